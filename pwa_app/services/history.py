"""The tamper-evident history inside the vault: appending entries, and checking the record.

Each entry is its own record (a random id, like every other), and the head record holds the last
entry, so appending needs no listing. The change, its entries and the new head are stored in one
transaction, on condition that the head record still holds what was read just before: two
windows of the app open on the same vault can never both append the same entry number (the
second one reads the new head and tries again). Entries are never rewritten.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..domain import NOT_FOUND, Case, EvidenceItem, Line, RemovalRequest, TimelineEntry
from ..domain.chain import (
    ALTERED,
    EXISTING_CASE,
    MERGED,
    STARTED,
    ChainError,
    CheckResult,
    ForkedHistory,
    HistoryEntry,
    make_content,
    next_entry,
    verify_chain,
)
from ..i18n import N_
from ..vault import WriteConflict, new_id
from ..vault.storage import Row
from .records import T_CASE, T_EVIDENCE, T_HEAD, T_HISTORY, T_REQUEST, T_TIMELINE

if TYPE_CHECKING:
    from .access import Records


TRIES = 8  # appends that lost the race to another window, before giving up

# What "Check the record" finds, one sentence each (said in the person's language; the English
# is what a report or the command prints)
ENTRIES_DAMAGED = N_(
    "{count} history entry(ies) could not be opened: the vault has been damaged or changed."
)
EVIDENCE_FOR, ANSWER_FROM = N_("evidence for {url}"), N_("an answer from {recipient}")
FILE_MISSING = N_("The file {name} ({what}) is missing.")
FILE_CHANGED = N_(
    "The file {name} ({what}) does not open, or does not match the SHA-256 recorded when it "
    "was added."
)
REQUESTS_DAMAGED = N_("{count} request(s) could not be read.")
EVIDENCE_DAMAGED = N_("{count} evidence entry(ies) could not be read.")
CHANGED_OUTSIDE = N_("Changed outside the app: {finding}")
ALTERED_WARNING = N_(
    "Warning: entry {seq} ({day}) says records were changed outside the app: {found}"
)


class History:
    def __init__(self, records: Records):
        self.records = records
        self._lock = asyncio.Lock()
        # What "Check the record" looks at after the chain (the session sets it: the whole set
        # of records against their index); one sentence per finding.
        self.also_check: Callable[[], Awaitable[list[Line]]] | None = None

    # ---- reading -------------------------------------------------------------------------------
    async def head(self) -> HistoryEntry | None:
        """The last entry, as stored now (another window may have appended since)."""
        return (await self._current())[0]

    async def _current(self) -> tuple[HistoryEntry | None, bytes | None]:
        """The last entry, and the sealed head record it was read from (what an append expects
        to find still there). Read from storage every time, never remembered."""
        d, blob = await self.records.vault.read(T_HEAD, await self.records.single_id(T_HEAD))
        head = None
        if d:
            try:
                head = HistoryEntry.from_dict(d.get("entry"))
            except ChainError:
                head = None
        if head is None:
            entries, _damaged = await self.entries()
            if entries:  # the head record was lost: go on from the last entry, never restart
                head = entries[-1]
        return head, blob

    async def entries(self) -> tuple[list[HistoryEntry], int]:
        """Every entry, by number, and how many records could not be opened or read."""
        listing = await self.records.vault.list(T_HISTORY)
        out, damaged = [], len(listing.damaged)
        for _rid, d in listing.items:
            try:
                out.append(HistoryEntry.from_dict(d))
            except ChainError:
                damaged += 1
        out.sort(key=lambda e: e.seq)
        return out, damaged

    # ---- appending -----------------------------------------------------------------------------
    async def commit(
        self,
        rows: list[Row],
        deletes: tuple[str, ...],
        events: tuple[dict[str, Any], ...],
        *,
        first: bool = False,
    ) -> None:
        """Store ``rows``, delete ``deletes`` and append ``events``, in one transaction that
        checks the head is still the one these entries follow. (``first``: only if the history
        has not begun, in this window or another.)"""
        if not events:
            await self.records.vault.put_rows(list(rows), deletes)
            return
        async with self._lock:  # in this window, one append after the other
            for attempt in range(TRIES):
                entry, blob = await self._current()
                if first and entry is not None:
                    return
                out = list(rows)
                for content in events:
                    entry = next_entry(entry, self.records.clock(), content)
                    out.append(await self.records.row(T_HISTORY, new_id(), entry.to_dict()))
                assert entry is not None
                head_id = await self.records.single_id(T_HEAD)
                out.append(await self.records.row(T_HEAD, head_id, {"entry": entry.to_dict()}))
                try:
                    await self.records.vault.put_rows(out, deletes, expect={head_id: blob})
                    return
                except WriteConflict:  # another window appended first: follow its entry
                    await asyncio.sleep(0.02 * (attempt + 1))
            raise WriteConflict()

    async def start(self, why: str) -> None:
        """Begin the history if this vault has none: a new vault ("new"), or one kept by an
        earlier version ("existing"), whose cases are then written down as they stand."""
        if await self.head() is not None:
            return
        first = make_content(
            STARTED,
            "The tamper-evident history of this record starts here."
            if why == "new"
            else "The tamper-evident history of this record starts here. The records made "
            "before, with an earlier version of Recourse, follow as they stood.",
            # A new vault has its record index from the start (``integrity.py``): said here, so
            # that an index removed later is seen.
            data={"reason": why, "app": f"Recourse {__version__}"}
            | ({"indexed": True} if why == "new" else {}),
        )
        events = [first]
        if why == "existing":
            events += await self._as_they_stand()
        await self.commit([], (), tuple(events), first=True)

    async def _as_they_stand(self) -> list[dict[str, Any]]:
        cases, _ = await self.records.all(T_CASE, Case.from_dict)
        evidence, _ = await self.records.all(T_EVIDENCE, EvidenceItem.from_dict)
        requests, _ = await self.records.all(T_REQUEST, RemovalRequest.from_dict)
        notes, _ = await self.records.all(T_TIMELINE, TimelineEntry.from_dict)
        out = []
        for c in sorted(cases, key=lambda c: c.created_at):
            ev = sorted((e for e in evidence if e.case_id == c.id), key=lambda e: e.found_at)
            rq = sorted((r for r in requests if r.case_id == c.id), key=lambda r: r.sent_at)
            out.append(
                make_content(
                    EXISTING_CASE,
                    f"Case as it stood when the history started: {c.title} "
                    f"({len(c.case_numbers)} case number(s), {len(ev)} evidence entr"
                    f"{'y' if len(ev) == 1 else 'ies'}, {len(rq)} request(s))",
                    case=c.id,
                    record=c.id,
                    data={
                        "case": c.to_dict(),
                        "evidence": [
                            {
                                "id": e.id,
                                "url": e.url,
                                "status": e.status,
                                "found_at": e.found_at.isoformat(),
                                "files": [
                                    {"name": a.filename, "size": a.size, "sha256": a.sha256}
                                    for a in e.attachments
                                ],
                            }
                            for e in ev
                        ],
                        "requests": [
                            {
                                "id": r.id,
                                "kind": r.kind,
                                "recipient": r.recipient,
                                "sent_at": r.sent_at.isoformat(),
                                "status": r.status,
                                "urls": list(r.urls),
                            }
                            for r in rq
                        ],
                        "notes": sum(1 for n in notes if n.case_id == c.id),
                    },
                )
            )
        return out

    async def join(self) -> CheckResult:
        """Join a forked history (see ``domain/chain.py``): one ``history.merged`` entry, on the
        line the head record names, lists every entry written beside it. No entry is rewritten
        or removed. Then the record is checked again."""
        found = await self.check()
        if found.fork is None:
            return found
        fork = found.fork
        await self.commit(
            [],
            (),
            (
                make_content(
                    MERGED,
                    f"{fork.words()}. They are joined to the history here; no entry was "
                    "changed or removed.",
                    data={
                        "forked_at": fork.seq,
                        "entries": [
                            {"seq": e.seq, "at": e.at, "hash": e.hash} for e in fork.entries
                        ],
                    },
                ),
            ),
        )
        return await self.check()

    # ---- checking ------------------------------------------------------------------------------
    async def check(self) -> CheckResult:
        """The history from first entry to head, and every kept file against its SHA-256."""
        entries, damaged = await self.entries()
        if damaged:
            return CheckResult(problems=[Line(ENTRIES_DAMAGED, count=damaged)])
        head = await self.head()
        try:
            summary = verify_chain(entries, head.hash if head else None)
        except ForkedHistory as exc:
            return CheckResult(problems=[exc.line or str(exc)], fork=exc.fork)
        except ChainError as exc:
            return CheckResult(problems=[exc.line or str(exc)])
        altered = tuple(  # (what was found, as the history wrote it down: English)
            Line(ALTERED_WARNING, seq=e.seq, day=e.at[:10], found=e.text.split(": ", 1)[-1])
            for e in entries
            if e.event == ALTERED
        )

        def found(problems: list[Line] | None = None, files: int = 0) -> CheckResult:
            return CheckResult(summary, list(problems or []), files, altered=altered)

        evidence, damaged = await self.records.all(T_EVIDENCE, EvidenceItem.from_dict)
        requests, damaged_requests = await self.records.all(T_REQUEST, RemovalRequest.from_dict)
        kept = [(a, Line(EVIDENCE_FOR, url=e.url)) for e in evidence for a in e.attachments]
        kept += [(a, Line(ANSWER_FROM, recipient=r.recipient)) for r in requests for a in r.replies]
        files, unread = 0, []  # every file is read back: each one that is not as added is named
        whats = iter([what for _a, what in kept])  # (read back in the same order)
        async for a, got in self.records.read_back_all([a for a, _what in kept]):
            what = next(whats)
            if isinstance(got, bytes):
                files += 1
            else:
                gone = FILE_MISSING if got == NOT_FOUND else FILE_CHANGED
                unread.append(Line(gone, name=a.filename, what=what))
        if unread:
            return found(unread, files)
        if damaged_requests:
            return found([Line(REQUESTS_DAMAGED, count=damaged_requests)])
        if damaged:
            return found([Line(EVIDENCE_DAMAGED, count=damaged)])
        now = await self.also_check() if self.also_check else []
        if now:
            return found([Line(CHANGED_OUTSIDE, finding=f) for f in now], files)
        return found(files=files)
