"""The set of records as a whole: checked at every unlock and by "Check the record".

The vault keeps an index of every record it wrote (``vault/index.py``). At unlock it is compared
with storage: a record removed, or put back to an earlier version, behind the app's back is named
to the person, written into the tamper-evident history (so it is never forgotten, whatever happens
next), and only then is the index made to match storage again. A vault from before the index gets
one at its first unlock, and the history says from when: after that, an index that is missing is
itself a finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import Line
from ..domain.chain import ALTERED, INDEXED, make_content
from ..i18n import N_
from ..vault import IndexCheck, WriteConflict
from ..vault.index import Difference
from .records import (
    ALL_TYPES,
    T_CASE,
    T_CHECKLIST,
    T_DRAFTS,
    T_EVIDENCE,
    T_FILE,
    T_HEAD,
    T_HISTORY,
    T_INBOX_KEY,
    T_OLD_BLOB,
    T_PROFILE,
    T_REQUEST,
    T_SETTINGS,
    T_SHARED,
    T_STEPS,
    T_TIMELINE,
)

if TYPE_CHECKING:
    from .access import Records
    from .history import History

# What was found, one sentence each: its English is what the history keeps; the screen says it
# in the person's language (a Line).
WHAT = {
    T_CASE: N_("A case"),
    T_EVIDENCE: N_("An evidence entry"),
    T_REQUEST: N_("A request"),
    T_TIMELINE: N_("A note in a case's timeline"),
    T_HISTORY: N_("An entry of the tamper-evident history"),
    T_HEAD: N_("The record of the history's last entry"),
    T_FILE: N_("A kept file"),
    T_OLD_BLOB: N_("A kept file"),
    T_SETTINGS: N_("The settings"),
    T_CHECKLIST: N_("The privacy checklist"),
    T_STEPS: N_("The steps marked done"),
    T_PROFILE: N_("The details kept for requests"),
    T_INBOX_KEY: N_("The key that opens what is shared into the app"),
    T_SHARED: N_("Something shared into the app, waiting for its web address"),
    T_DRAFTS: N_("Text typed into a form and not yet saved"),
}
SOME_RECORD = N_("A record")
HOW = {  # (what happened, the same with the history's last words about the record)
    "removed": (
        N_("{what} was removed."),
        N_('{what} was removed (the history last says of it: "{last}").'),
    ),
    "changed": (
        N_("{what} was put back to an earlier version, or replaced."),
        N_(
            "{what} was put back to an earlier version, or replaced (the history last says "
            'of it: "{last}").'
        ),
    ),
    "added": (
        N_("{what} was added."),
        N_('{what} was added (the history last says of it: "{last}").'),
    ),
}
INDEX_DAMAGED = N_("The index of the records does not open: it was damaged or replaced.")
INDEX_REMOVED = N_("The index of the records was removed.")
MORE = N_("And {count} more records.")
MAX_NAMED = 20


class Integrity:
    def __init__(self, records: Records, history: History):
        self.records = records
        self.history = history
        self.found: list[Line] = []  # what the last unlock found, one sentence each

    async def at_unlock(self) -> list[Line]:
        """Compare the records with the index (files: only that they are there), write down any
        difference in the history, and start the index where there is none. Returns what was
        found, for the person, one sentence each."""
        vault = self.records.vault
        check = await vault.check_index(ALL_TYPES, presence_only=(T_FILE,))
        self.found = await self._words(check)
        if self.found:
            text = "Found at unlock, changed outside the app: " + " ".join(
                f.text for f in self.found
            )
            await self.history.commit([], (), (make_content(ALTERED, text),))
        if check.state != "ok" or self.found:
            try:
                await vault.start_index(ALL_TYPES)
            except WriteConflict:  # another window saved meanwhile: the next unlock sees again
                return self.found
        if check.state == "none" and not self.found:
            await self.started()
        return self.found

    async def started(self) -> None:
        """Say in the history that the index starts here: from then on, its absence is seen."""
        text = (
            "From here on, the whole set of records is checked at every unlock: a record removed "
            "or put back behind the app's back is named."
        )
        await self.history.commit([], (), (make_content(INDEXED, text),))

    async def check(self) -> list[Line]:
        """The whole comparison, files' versions included (the record check)."""
        return await self._words(await self.records.vault.check_index(ALL_TYPES))

    async def _words(self, check: IndexCheck) -> list[Line]:
        if check.state == "damaged":
            return [Line(INDEX_DAMAGED)]
        if check.state == "none":
            entries, _damaged = await self.history.entries()
            if any(e.event == INDEXED or e.data.get("indexed") for e in entries):
                return [Line(INDEX_REMOVED)]
            return []
        if not check.differences:
            return []
        named = await self._names()
        out = []
        for d in check.differences[:MAX_NAMED]:
            out.append(self._sentence(d, named.get(d.record_id)))
        if len(check.differences) > MAX_NAMED:
            out.append(Line(MORE, count=len(check.differences) - MAX_NAMED))
        return out

    @staticmethod
    def _sentence(d: Difference, last: str | None) -> Line:
        plain, with_last = HOW[d.how]
        what = WHAT.get(d.record_type, SOME_RECORD)
        if last:
            return Line(with_last, ("what",), what=what, last=last)
        return Line(plain, ("what",), what=what)

    async def _names(self) -> dict[str, str]:
        """Each record's last words in the history (``record`` → the entry's text)."""
        entries, _damaged = await self.history.entries()
        out: dict[str, str] = {}
        for e in entries:
            if e.content and e.content.get("record"):
                out[str(e.content["record"])] = str(e.content.get("text", ""))[:200]
        return out
