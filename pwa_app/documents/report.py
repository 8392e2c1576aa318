"""The evidence report for the police or a lawyer: chronological, with case numbers, every URL
with its dates and status, file hashes, the requests sent with their answers, and the record's
tamper-evident history (each entry's time and short hash; the head hash on the first page, and
in the PDF's metadata for the verifier).

Intimate images are left out unless the person chooses to include them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..domain import CASE_NUMBER_KINDS, Case, EvidenceItem, RemovalRequest, TimelineEntry
from ..domain.chain import ChainSummary, HistoryEntry
from .text import long_date

HEAD_MARK = "recourse-history-head:"  # in the PDF's keywords: where the verifier reads the head

Progress = Callable[[float], None]


@dataclass(frozen=True)
class ReportData:
    case: Case
    evidence: tuple[EvidenceItem, ...] = ()
    requests: tuple[RemovalRequest, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    images: dict[str, bytes] = field(default_factory=dict)  # blob id → bytes, only if chosen
    notice_titles: dict[str, str] = field(default_factory=dict)
    history: tuple[HistoryEntry, ...] = ()  # the whole chain, checked
    chain: ChainSummary | None = None  # None: the history did not check out (see below)
    history_problem: str = ""  # what was wrong with the history, in plain words
    history_problem_since: str = ""  # the time of the entry where it went wrong, if known

    @property
    def about_case(self) -> list[HistoryEntry]:
        return [e for e in self.history if e.about(self.case.id)]

    def texts(self) -> list[str]:
        """Every piece of free text the report draws (to know whether it needs shaping)."""
        c = self.case
        out = [c.title, c.jurisdiction]
        out += [f"{n.number} {n.organisation} {n.contact}" for n in c.case_numbers]
        for e in self.evidence:
            out += [e.url, e.platform, e.notes, *(a.filename for a in e.attachments)]
        for r in self.requests:
            out += [r.recipient, r.notes, r.ticket_number, *r.urls]
        out += [t.text for t in self.timeline]
        out += [e.text for e in self.about_case]
        return out


def _ts(dt: datetime) -> str:
    return (
        dt.strftime("%Y-%m-%d %H:%M UTC")
        if dt.utcoffset() == timedelta(0)
        else dt.isoformat(" ", "minutes")
    )


def chronology(data: ReportData) -> list[tuple[datetime, str]]:
    """What happened, in order: each address found, each request sent (once) and each change
    of its status when it was made, and the case's timeline."""
    events: list[tuple[datetime, str]] = []
    for e in data.evidence:
        events.append((e.found_at, f"Found at {e.url} ({e.platform or 'site not named'})"))
    requests = {r.id: r for r in data.requests}
    sent_lines = set()
    for r in data.requests:
        kind = data.notice_titles.get(r.kind, r.kind)
        sent_lines.add(f"{kind} sent to {r.recipient}")  # the timeline's own line for it
        events.append((r.sent_at, f"{kind} sent to {r.recipient} ({len(r.urls)} URL(s))"))
    for h in data.about_case:  # a status as it changed, at the time it changed
        r = requests.get(h.record or "")
        status = h.data.get("status")
        if h.event == "request.updated" and r is not None and isinstance(status, str):
            kind = data.notice_titles.get(r.kind, r.kind)
            events.append((h.when, f"{kind} to {r.recipient}: status now {status}"))
    for t in data.timeline:
        if t.text not in sent_lines:
            events.append((t.when, t.text))
    return sorted(events, key=lambda x: x[0])


def _hist_ts(e: HistoryEntry) -> str:
    return _when(e.at)


def _when(at: str) -> str:
    return at[:16].replace("T", " ") + " UTC"


def report_pdf(data: ReportData, now: datetime, progress: Progress | None = None) -> bytes:
    from .pdf import Doc, needs_shaping

    step = progress or (lambda _f: None)
    total = 4 + len(data.evidence)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        step(min(done / total, 1.0))

    c = data.case
    doc = Doc(f"Evidence report: {c.title}", now, shaping=needs_shaping(*data.texts()))
    chain = data.chain
    if chain is not None:
        doc.set_subject(f"Tamper-evident history: {chain.count} entries, {chain.span}")
        doc.set_keywords(f"{HEAD_MARK}{chain.head} entries:{chain.count}")
    doc.heading("Evidence report")
    doc.para(f"Case: {c.title}", bold=True, gap=0.5)
    if c.jurisdiction:
        doc.para(f"Jurisdiction: {c.jurisdiction}", gap=0.5)
    doc.para(
        f"Prepared on {long_date(now)} ({_ts(now)}) with Recourse, from records kept "
        "encrypted on the person's own device. File hashes are SHA-256, recorded when each "
        "file was added.",
        size=9,
        gap=4,
    )
    mine = data.about_case
    if chain is None and data.history_problem:
        doc.heading("The history of this record does not check out", 12)
        since = (
            f" This is so from entry time {_when(data.history_problem_since)} on."
            if data.history_problem_since
            else ""
        )
        doc.para(
            f"{data.history_problem}{since} The rest of this report is the record as it is "
            "kept; each file can still be checked against its SHA-256 below. No head hash is "
            "given, because none can be vouched for.",
            size=9.5,
            gap=4,
        )
    if chain is not None:
        started = chain.started
        doc.heading("Tamper-evident history", 12)
        doc.para(
            f"{chain.count} entries from {chain.first_at[:10]} to {chain.last_at[:10]}"
            f" ({len(mine)} about this case). Head hash (SHA-256 of the last entry):",
            size=9.5,
            gap=0.5,
        )
        doc.lines([chain.head], size=9)
        doc.para(
            "To check it: run python3 -m pwa_app verify on the evidence pack this report came "
            "in (Recourse is free software), or check its files with sha256sum -c SHA256SUMS.",
            size=9,
            gap=0.5,
        )
        doc.para(
            "Every entry holds the hash of the one before it: changing, removing or adding any "
            "entry changes this head hash, which the pack's manifest.json also holds.",
            size=9,
            gap=0.5 if started.data.get("reason") == "existing" else 4,
        )
        if started.data.get("reason") == "existing":
            doc.para(
                f"The history runs from {started.at[:10]}, when this record was first opened "
                "with a version of Recourse that keeps one. What was recorded before is "
                "written in its first entries as it stood that day.",
                size=9,
                gap=4,
            )
        for fork in chain.forks:
            by = fork.joined_by
            doc.para(
                f"{fork.words()}. Both branches are kept as they were written; entry "
                f"{by.seq if by else '?'} ({_when(by.at) if by else '?'}) joins them, listing "
                "each entry of the other branch by its hash.",
                size=9,
                gap=4,
            )
    refs: dict[str, list[HistoryEntry]] = {}
    for e in mine:
        if e.record:
            refs.setdefault(e.record, []).append(e)
    tick()

    doc.heading("Case numbers", 12)
    if c.case_numbers:
        doc.lines(
            f"{CASE_NUMBER_KINDS.get(n.kind, n.kind)}: {n.number}"
            + (f" — {n.organisation}" if n.organisation else "")
            + (f" — {n.date.isoformat()}" if n.date else "")
            + (f" — contact: {n.contact}" if n.contact else "")
            for n in c.case_numbers
        )
    else:
        doc.para("None recorded yet.")
    tick()

    doc.heading("Chronology", 12)
    events = chronology(data)
    doc.lines([f"{_ts(when)}  {text}" for when, text in events] or ["No events recorded yet."])
    tick()

    doc.heading(f"Evidence ({len(data.evidence)} item(s))", 12)
    left_out = 0
    for i, e in enumerate(sorted(data.evidence, key=lambda e: e.found_at), 1):
        doc.lines([f"{i}. {e.url}"], size=10, gap=0.5)
        rows = [
            f"Site: {e.platform or '—'}   Status: {e.status}",
            f"Found: {_ts(e.found_at)}   Logged: {_ts(e.logged_at)}",
        ]
        if e.notes:
            rows.append(f"Notes: {e.notes}")
        rows += _history_refs(refs.get(e.id, ()))
        for a in e.attachments:
            rows.append(f"File: {a.filename} ({a.size:,} bytes), captured {_ts(a.captured_at)}")
            rows.append(f"SHA-256: {a.sha256}")
        doc.lines(rows, size=9)
        for a in e.attachments:
            img = data.images.get(a.blob_id)
            if img is None:
                left_out += 1
                continue
            try:
                doc.picture(img, w=80)
                doc.ln(3)
            except Exception:  # noqa: BLE001 - a file that is not a picture stays listed by hash
                doc.lines([f"(The file {a.filename} is not an image and is not shown.)"], size=9)
        tick()
    if left_out:
        doc.para(
            f"{left_out} attached file(s) are not included in this report, by choice. "
            "They are kept unchanged and can be shown on request; their SHA-256 hashes "
            "are listed above.",
            size=9,
        )

    doc.heading(f"Removal requests ({len(data.requests)})", 12)
    for r in sorted(data.requests, key=lambda r: r.sent_at):
        kind = data.notice_titles.get(r.kind, r.kind)
        rows = [
            f"{kind} to {r.recipient}",
            f"Sent: {_ts(r.sent_at)}   Due: {_ts(r.due_at) if r.due_at else '—'}   "
            f"Status: {r.status}" + (f"   Ticket: {r.ticket_number}" if r.ticket_number else ""),
        ]
        rows += [f"  {u}" for u in r.urls]
        if r.notes:
            rows.append(f"Answer / notes: {r.notes}")
        rows += _history_refs(refs.get(r.id, ()))
        doc.lines(rows, size=9)
    if not data.requests:
        doc.para("None recorded yet.")
    tick()

    if data.history:
        others = len(data.history) - len(mine)
        doc.heading(f"History of this case ({len(mine)} entries)", 12)
        doc.para(
            "Each entry: when it was recorded (UTC), the first 12 characters of its hash, and "
            "what happened."
            + (
                f" The other {others} entries are about other cases kept in "
                "the same record; the evidence pack holds them by their hashes only."
                if others > 0
                else ""
            ),
            size=9,
        )
        doc.lines([f"{_hist_ts(e)}  #{e.short}  {e.text}" for e in mine], size=8.5)
    return doc.finish()


def _history_refs(entries) -> list[str]:
    """Where an item appears in the history: its first entry, and its last if there are more."""
    if not entries:
        return []
    first, last = entries[0], entries[-1]
    out = f"History: #{first.short} ({_hist_ts(first)})"
    if last is not first:
        out += f", last change #{last.short} ({_hist_ts(last)})"
    return [out]
