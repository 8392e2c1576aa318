"""The tamper-evident history of the long-term record: a hash chain, and how to check one.

Every change to the record (a case number, an evidence entry and each change of its status, a
file with its SHA-256, a request sent, an answer, a removal) appends one entry. Entries are never
rewritten. Each entry commits to what happened (the SHA-256 of its content) and to the entry
before it (that entry's hash), so changing, removing, adding or moving any entry changes every
hash after it, up to the head.

Format 1 (docs/history-format.md has it for people checking a record with other tools)::

    content = {"event": ..., "case": <case id> or null, "record": <record id> or null,
               "text": <what happened, in words>, "data": {...}}
    entry   = {"v": 1, "seq": <0, 1, 2, ...>, "at": "YYYY-MM-DDTHH:MM:SSZ",
               "prev": <hash of entry seq-1, or 64 zeros>, "content_sha256": SHA-256(content)}
    hash    = SHA-256(entry)

where SHA-256(x) is the lowercase hex SHA-256 of x as canonical JSON: UTF-8, keys sorted, no
spaces. The entry itself holds only times and hashes, so an evidence pack can carry the entries
about other cases without their content ("redacted") and the chain still checks from end to end.

Forks. Before 0.2.1, two windows of the app open on the same vault could each append an entry
after the same one: two entries with one number, each well formed, on two branches. The head
record names the branch the record went on with (the main line); the entries beside it are
kept, never rewritten, and joined by a later ``history.merged`` entry on the main line whose
``data.entries`` lists each of them by number and hash. A chain checks out when its main line
does and every entry beside it is well formed, follows an entry of the chain, and is listed by
a ``history.merged`` entry; an entry beside the main line that no such entry lists is a fork
still to be joined (``ForkedHistory``).

Pure functions, no I/O.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .errors import N_
from .model import Line

FORMAT = 1
GENESIS_PREV = "0" * 64

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def parse_at(at: str) -> datetime:
    """An entry's time ("YYYY-MM-DDTHH:MM:SSZ", shape checked by ``_AT``) as a UTC datetime;
    ValueError for a day or time that does not exist. (Not strptime: its first call loads the
    locale machinery, a third of a second of a phone's unlock in the browser, measured.)"""
    return datetime(
        int(at[0:4]), int(at[5:7]), int(at[8:10]), int(at[11:13]), int(at[14:16]),
        int(at[17:19]), tzinfo=UTC,
    )  # fmt: skip


# What can happen to the record. The words each entry shows are in its content ("text").
STARTED = "history.started"  # the first entry of every chain
EXISTING_CASE = "case.existing"  # what a case held when its history started (older vaults)
MERGED = "history.merged"  # joins the entries of a fork to the main line
INDEXED = "record.indexed"  # from here on, the set of records is checked as a whole
ALTERED = "record.altered"  # records found removed or changed outside the app, named
EVENTS = (
    STARTED,
    EXISTING_CASE,
    "case.started",
    "case.edited",
    "case.number_added",
    "note.added",
    "evidence.logged",
    "evidence.status",
    "evidence.removed",
    "file.added",
    "file.removed",
    "request.sent",
    "request.updated",
    "reply.added",
    "reply.removed",
    "followup.done",
    "followup.reopened",
    "shared.received",
    "shared.removed",
    MERGED,
    INDEXED,
    ALTERED,
)


class ChainError(ValueError):
    """The history does not check out. ``str()`` says where, in plain words (English: what a
    report and the command print); ``said()`` in the person's language, where the message was
    written as a Line."""

    def __init__(self, message: str | Line, seq: int | None = None):
        super().__init__(str(message))
        self.seq = seq
        self.line = message if isinstance(message, Line) else None

    def said(self, say: Callable[[str], str]) -> str:
        return self.line.said(say) if self.line is not None else str(self)


# What does not check out, one sentence each: the English is what a report and the command
# print; a screen says it in the person's language.
FORKED_ONE = N_(
    "The history forked at entry {seq} ({when}): the record was changed in two places at once "
    "(two windows of the app open together), and {count} entry was written on a branch beside "
    "the rest"
)
FORKED = N_(
    "The history forked at entry {seq} ({when}): the record was changed in two places at once "
    "(two windows of the app open together), and {count} entries were written on a branch "
    "beside the rest"
)
NOT_JOINED = N_(
    "{fork}. No entry is missing or changed, but the branch is not yet joined to the rest of "
    "the history."
)
HASH_CHANGED = N_("Entry {seq} ({when}) has been changed: its hash does not match it.")
CONTENT_CHANGED = N_(
    "Entry {seq} ({when}) has been changed: what it says does not match its SHA-256."
)
BOTH_END = N_(
    "The history forked and both branches end at entry {seq}: nothing says which one the "
    "record went on with."
)
NO_HEAD_ENTRY = N_("The history does not hold the entry its head names ({head}…).")
BESIDE_FOLLOWS_NOTHING = N_(
    "Entry {seq} ({when}), beside the main line, does not follow any entry of the history: an "
    "entry before it was changed, removed or put in."
)
EMPTY = N_("The history is empty: it has no entries at all.")
TWO_NUMBERED = N_("There are two entries numbered {seq}.")
MISSING = N_("Entry {i} is missing or out of place: after entry {before} comes entry {seq}.")
NOT_FROM_0 = N_("The history does not start at entry 0: it starts at entry {seq}.")
OUT_OF_ORDER = N_("The entries are out of order: entry {seq} comes after entry {before}.")
FOLLOWS_NOTHING = N_(
    "Entry {seq} ({when}) does not follow the entry before it: an entry before it was "
    "changed, removed or put in."
)
NOT_A_START = N_("Entry 0 is not the start of a history.")
GOES_ON = N_(
    "The history goes on after the head it should end at (entry {seq}): {count} entries were "
    "added after it."
)
BACKWARDS = N_(
    "Warning: entry {seq} ({when}) is dated before the entry it follows ({before}). The "
    "device's clock may have been changed; the order of the entries is still proved by their "
    "hashes."
)
MORE_BACKWARDS = N_("Warning: and {count} more entries dated before the one they follow.")
ENDS_ELSEWHERE = N_(
    "The history ends at {end}…, not at the head it should end at ({head}…): entries at its "
    "end were changed, removed or added."
)


def canonical(value: Any) -> bytes:
    """The bytes that are hashed: JSON with sorted keys, no spaces, UTF-8."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_hash(content: dict[str, Any]) -> str:
    return sha256_hex(canonical(content))


def stamp(when: datetime) -> str:
    """A time as the chain writes it: UTC, to the second."""
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_hash(seq: int, at: str, prev: str, content_sha256: str) -> str:
    core = {"v": FORMAT, "seq": seq, "at": at, "prev": prev, "content_sha256": content_sha256}
    return sha256_hex(canonical(core))


def make_content(
    event: str,
    text: str,
    *,
    case: str | None = None,
    record: str | None = None,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if event not in EVENTS:
        raise ValueError(f"unknown history event {event!r}")
    return {"event": event, "case": case, "record": record, "text": text, "data": data or {}}


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    at: str  # as hashed: "YYYY-MM-DDTHH:MM:SSZ"
    prev: str
    content_sha256: str
    hash: str
    content: dict[str, Any] | None = field(default=None, compare=False)  # None: redacted

    @property
    def when(self) -> datetime:
        return parse_at(self.at)

    @property
    def short(self) -> str:
        return self.hash[:12]

    def _c(self, key: str) -> Any:
        return (self.content or {}).get(key)

    @property
    def event(self) -> str:
        return self._c("event") or ""

    @property
    def case(self) -> str | None:
        return self._c("case")

    @property
    def record(self) -> str | None:
        return self._c("record")

    @property
    def text(self) -> str:
        return self._c("text") or ""

    @property
    def data(self) -> dict[str, Any]:
        d = self._c("data")
        return d if isinstance(d, dict) else {}

    def about(self, case_id: str) -> bool:
        """Whether a pack for ``case_id`` carries this entry's content (its own case's entries,
        and those about no case, such as the first)."""
        return self.content is not None and self.case in (None, case_id)

    def redacted(self) -> HistoryEntry:
        return HistoryEntry(self.seq, self.at, self.prev, self.content_sha256, self.hash)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "v": FORMAT,
            "seq": self.seq,
            "at": self.at,
            "prev": self.prev,
            "content_sha256": self.content_sha256,
            "hash": self.hash,
        }
        if self.content is not None:
            d["content"] = self.content
        return d

    @classmethod
    def from_dict(cls, d: object, where: str = "entry") -> HistoryEntry:
        """Checks the shape only (the hashes are checked by ``verify_chain``)."""
        if not isinstance(d, dict):
            raise ChainError(f"{where} is not an entry.")
        v = d.get("v")
        if v != FORMAT:
            raise ChainError(
                f"{where} has format {v!r}; this version of Recourse reads format {FORMAT}."
            )
        seq = d.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise ChainError(f"{where} has no valid entry number.")
        where = f"entry {seq}"
        at = d.get("at")
        if not isinstance(at, str) or not _AT.match(at):
            raise ChainError(f"{where} has no valid time.", seq)
        try:
            parse_at(at)
        except ValueError:
            raise ChainError(f"{where} has no valid time.", seq) from None
        for key in ("prev", "content_sha256", "hash"):
            if not isinstance(d.get(key), str) or not _HEX64.match(d[key]):
                raise ChainError(f"{where} has no valid {key.replace('_', ' ')}.", seq)
        content = d.get("content")
        if content is not None and not isinstance(content, dict):
            raise ChainError(f"{where} has content that is not readable.", seq)
        return cls(seq, at, d["prev"], d["content_sha256"], d["hash"], content)


def next_entry(prev: HistoryEntry | None, at: datetime, content: dict[str, Any]) -> HistoryEntry:
    seq = 0 if prev is None else prev.seq + 1
    prev_hash = GENESIS_PREV if prev is None else prev.hash
    when = stamp(at)
    c_hash = content_hash(content)
    digest = entry_hash(seq, when, prev_hash, c_hash)
    return HistoryEntry(seq, when, prev_hash, c_hash, digest, content)


@dataclass(frozen=True)
class Fork:
    """Entries written beside the main line, after the same entry (two windows at once)."""

    seq: int  # the number the two branches both used first
    at: str  # when the first entry beside the main line was written
    entries: tuple[HistoryEntry, ...]  # every entry beside the main line, by number
    joined_by: HistoryEntry | None = None  # the history.merged entry, once joined

    def words(self) -> str:
        return self.line().text

    def line(self) -> Line:
        one = len(self.entries) == 1
        return Line(FORKED_ONE if one else FORKED, seq=self.seq, when=_when(self.at),
                    count=len(self.entries))  # fmt: skip


class ForkedHistory(ChainError):
    """Entries beside the main line that no later entry joins. Nothing is lost or changed:
    the app can join them by appending a ``history.merged`` entry."""

    def __init__(self, fork: Fork):
        self.fork = fork
        super().__init__(Line(NOT_JOINED, fork=fork.line()), fork.seq)


@dataclass(frozen=True)
class Backwards:
    """An entry dated before the entry it follows: the chain still checks out (clocks get
    corrected, and a phone's clock can be set by hand), but the times are not in order."""

    seq: int
    at: str
    before_at: str  # the time of the entry it follows


@dataclass(frozen=True)
class ChainSummary:
    count: int
    first_at: str
    last_at: str
    head: str
    started: HistoryEntry  # the first entry (why and when the history began)
    forks: tuple[Fork, ...] = ()  # forks found and joined
    backwards: tuple[Backwards, ...] = ()  # times that go back on the main line

    @property
    def span(self) -> str:
        return f"{self.first_at[:10]} to {self.last_at[:10]}"

    def line(self) -> str:
        out = f"intact: {self.count} entries from {self.first_at[:10]} to {self.last_at[:10]}"
        for f in self.forks:
            joined = f", joined by entry {f.joined_by.seq}" if f.joined_by else ""
            out += f" (forked at entry {f.seq} on {f.at[:10]}{joined})"
        return out

    def warnings(self) -> list[str]:
        """What checks out but should still be read with care, one sentence each."""
        return [w.text for w in self.warning_lines()]

    def warning_lines(self) -> list[Line]:
        shown = self.backwards[:MAX_NAMED]
        more = len(self.backwards) - len(shown)
        return [
            Line(BACKWARDS, seq=b.seq, when=_when(b.at), before=_when(b.before_at)) for b in shown
        ] + ([Line(MORE_BACKWARDS, count=more)] if more else [])


MAX_NAMED = 20  # times going back named one by one; the rest are counted


@dataclass
class CheckResult:
    """What checking a record found: the chain's summary, or the problems; one type for the
    check in the app (Settings) and the command that checks a pack or a backup."""

    summary: ChainSummary | None = None
    problems: list[str | Line] = field(default_factory=list)  # a Line: said in any language
    files: int = 0  # files whose bytes were checked against their SHA-256
    fork: Fork | None = None  # a fork not yet joined: the app can join it
    altered: tuple[str | Line, ...] = ()  # records found changed outside the app before
    notes: list[str] = field(default_factory=list)  # what else was checked, said when intact
    chain: list[HistoryEntry] = field(default_factory=list)
    scope: str = ""  # what "intact" proves, and what it does not

    @property
    def ok(self) -> bool:
        return self.summary is not None and not self.problems

    @property
    def problem(self) -> str:
        return " ".join(map(str, self.problems))

    def problem_said(self, say: Callable[[str], str]) -> str:
        """The problems in ``say``'s language, where they were written to be said in one."""
        return " ".join(p.said(say) if isinstance(p, Line) else p for p in self.problems)

    def warnings(self) -> list[str]:
        return [*(self.summary.warnings() if self.summary else []), *map(str, self.altered)]

    def warnings_said(self, say: Callable[[str], str]) -> list[str]:
        """The warnings in ``say``'s language, where they were written to be said in one."""
        lines = [*(self.summary.warning_lines() if self.summary else []), *self.altered]
        return [w.said(say) if isinstance(w, Line) else w for w in lines]

    def line(self) -> str:
        """In a sentence or two (the app's check)."""
        if self.ok:
            assert self.summary is not None
            return "\n".join([self.summary.line(), *self.warnings()])
        return "not intact: " + self.problem

    def report(self) -> str:
        """Everything, one line each (the command's check)."""
        if self.ok:
            assert self.summary is not None
            scope = [self.scope] if self.scope else []
            return "\n".join([self.summary.line(), *self.warnings(), *self.notes, *scope])
        lines = [f"NOT INTACT: {len(self.problems)} problem(s) found"]
        lines += [f"  - {p}" for p in self.problems]
        if self.summary is not None:
            lines.append(f"(the history itself checks: {self.summary.line()})")
        return "\n".join(lines)


def backwards(line: list[HistoryEntry]) -> tuple[Backwards, ...]:
    """Every entry of one line dated before the entry it follows."""
    pairs = zip(line, line[1:], strict=False)
    return tuple(Backwards(e.seq, e.at, before.at) for before, e in pairs if e.at < before.at)


def _when(at: str) -> str:
    return at.replace("T", " ").replace("Z", " UTC")


def _about(template: str, e: HistoryEntry) -> ChainError:
    """A problem with one entry, named by its number and time."""
    return ChainError(Line(template, seq=e.seq, when=_when(e.at)), e.seq)


def _check_own_hashes(e: HistoryEntry) -> None:
    if entry_hash(e.seq, e.at, e.prev, e.content_sha256) != e.hash:
        raise _about(HASH_CHANGED, e)
    if e.content is not None and content_hash(e.content) != e.content_sha256:
        raise _about(CONTENT_CHANGED, e)


def _forked(chain: list[HistoryEntry]) -> bool:
    """Whether two different entries carry one number (an entry given twice is not a fork)."""
    seen: dict[int, str] = {}
    return any(seen.setdefault(e.seq, e.hash) != e.hash for e in chain)


def _split(chain: list[HistoryEntry], head: str | None) -> tuple[list[HistoryEntry], Fork | None]:
    """(the main line, by number; the entries beside it) of a forked chain. The main line runs
    back from ``head`` (without one: from the one latest entry that nothing follows)."""
    by_hash = {e.hash: e for e in chain}
    if head is None:
        followed = {e.prev for e in chain}
        tips = [e for e in chain if e.hash not in followed]
        top = max(e.seq for e in tips)
        latest = [e for e in tips if e.seq == top]
        if len(latest) != 1:
            raise ChainError(Line(BOTH_END, seq=top), top)
        head = latest[0].hash
    if head not in by_hash:
        raise ChainError(Line(NO_HEAD_ENTRY, head=head[:12]), max(e.seq for e in chain))
    main = [by_hash[head]]
    while main[-1].prev in by_hash and main[-1].seq > 0:
        main.append(by_hash[main[-1].prev])
    main.reverse()
    on_main = {e.hash for e in main}
    side = sorted((e for e in chain if e.hash not in on_main), key=lambda e: (e.seq, e.at))
    if not side:  # every entry is on one line: the numbers themselves are wrong
        return chain, None
    return main, Fork(side[0].seq, side[0].at, tuple(side))


def _joined(main: list[HistoryEntry], fork: Fork) -> list[Fork]:
    """Check the entries beside the main line: each well formed, each following an entry of
    the chain, and each listed by a ``history.merged`` entry of the main line. Returns the forks
    with the entry that joined each; raises ``ForkedHistory`` for entries no entry joins."""
    known = {e.hash: e for e in (*main, *fork.entries)}
    for e in fork.entries:
        _check_own_hashes(e)
        parent = known.get(e.prev)
        if parent is None or parent.seq != e.seq - 1:
            raise _about(BESIDE_FOLLOWS_NOTHING, e)
    joined_by: dict[str, HistoryEntry] = {}
    for m in main:
        if m.event == MERGED:
            for x in m.data.get("entries", []):
                if isinstance(x, dict) and isinstance(x.get("hash"), str):
                    joined_by.setdefault(x["hash"], m)
    loose = [e for e in fork.entries if e.hash not in joined_by]
    if loose:
        raise ForkedHistory(Fork(loose[0].seq, loose[0].at, tuple(loose)))
    forks: dict[str, list[HistoryEntry]] = {}
    for e in fork.entries:
        forks.setdefault(joined_by[e.hash].hash, []).append(e)
    return [
        Fork(side[0].seq, side[0].at, tuple(side), joined_by[side[0].hash])
        for side in forks.values()
    ]


def verify_chain(entries: Iterable[HistoryEntry], head: str | None = None) -> ChainSummary:
    """Check a whole chain: numbers 0, 1, 2, ... without a gap, each entry's hash, each content
    that is present against its hash, each link to the entry before, and the last hash against
    ``head`` when one is given. Raises ``ChainError`` naming the first entry that does not
    match. A forked chain (see above) checks out when its main line does and the entries beside
    it are joined; ``ForkedHistory`` when they are not yet."""
    chain = list(entries)
    if not chain:
        raise ChainError(Line(EMPTY))
    if _forked(chain):
        main, side = _split(chain, head)
        summary = _verify_line(main, head)
        if side is None:
            return summary
        forks = _joined(main, side)
        return ChainSummary(
            summary.count + len(side.entries),
            summary.first_at,
            summary.last_at,
            summary.head,
            summary.started,
            tuple(forks),
            summary.backwards,
        )
    return _verify_line(chain, head)


def _verify_line(chain: list[HistoryEntry], head: str | None) -> ChainSummary:
    """One line of entries, in the order given."""
    prev: HistoryEntry | None = None
    for i, e in enumerate(chain):
        if e.seq != i:
            if prev is not None and e.seq == prev.seq:
                raise ChainError(Line(TWO_NUMBERED, seq=e.seq), e.seq)
            if e.seq > i:
                line = (
                    Line(MISSING, i=i, before=i - 1, seq=e.seq)
                    if i
                    else Line(NOT_FROM_0, seq=e.seq)
                )
                raise ChainError(line, i)
            raise ChainError(Line(OUT_OF_ORDER, seq=e.seq, before=i - 1), e.seq)
        _check_own_hashes(e)
        expected_prev = GENESIS_PREV if prev is None else prev.hash
        if e.prev != expected_prev:
            raise _about(FOLLOWS_NOTHING, e)
        if e.seq == 0 and e.content is not None and e.event != STARTED:
            raise ChainError(Line(NOT_A_START), 0)
        prev = e
    last = chain[-1]
    if head is not None and last.hash != head:
        known = next((e for e in chain if e.hash == head), None)
        if known is not None:
            added = Line(GOES_ON, seq=known.seq, count=len(chain) - 1 - known.seq)
            raise ChainError(added, known.seq + 1)
        raise ChainError(Line(ENDS_ELSEWHERE, end=last.hash[:12], head=head[:12]), last.seq)
    return ChainSummary(
        len(chain), chain[0].at, last.at, last.hash, chain[0], backwards=backwards(chain)
    )


def includes(chain: Iterable[HistoryEntry], earlier_head: str) -> HistoryEntry | None:
    """The entry whose hash is an earlier head (from a report given before), if the chain has
    it: then nothing up to that entry has changed since."""
    return next((e for e in chain if e.hash == earlier_head), None)
