"""The evidence report for the police or a lawyer: chronological, with case numbers, every URL
with its dates and status, file hashes, and the requests sent with their answers.

Intimate images are left out unless the person chooses to include them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ..domain import CASE_NUMBER_KINDS, Case, EvidenceItem, RemovalRequest, TimelineEntry
from .text import long_date

Progress = Callable[[float], None]


@dataclass(frozen=True)
class ReportData:
    case: Case
    evidence: tuple[EvidenceItem, ...] = ()
    requests: tuple[RemovalRequest, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    images: dict[str, bytes] = field(default_factory=dict)  # blob id → bytes, only if chosen
    notice_titles: dict[str, str] = field(default_factory=dict)


def _ts(dt: datetime) -> str:
    return (
        dt.strftime("%Y-%m-%d %H:%M UTC") if dt.utcoffset() == 0 else dt.isoformat(" ", "minutes")
    )


def chronology(data: ReportData) -> list[tuple[datetime, str]]:
    events: list[tuple[datetime, str]] = []
    for e in data.evidence:
        events.append((e.found_at, f"Found at {e.url} ({e.platform or 'site not named'})"))
    for r in data.requests:
        kind = data.notice_titles.get(r.kind, r.kind)
        events.append(
            (r.sent_at, f"{kind} sent to {r.recipient} ({len(r.urls)} URL(s)); status: {r.status}")
        )
    for t in data.timeline:
        events.append((t.when, t.text))
    return sorted(events, key=lambda x: x[0])


def report_pdf(data: ReportData, now: datetime, progress: Progress | None = None) -> bytes:
    from .pdf import Doc

    step = progress or (lambda _f: None)
    total = 4 + len(data.evidence)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        step(min(done / total, 1.0))

    c = data.case
    doc = Doc(f"Evidence report: {c.title}", now)
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
        doc.para(f"{i}. {e.url}", bold=True, size=9.5, gap=0.5)
        rows = [
            f"Site: {e.platform or '—'}   Status: {e.status}",
            f"Found: {_ts(e.found_at)}   Logged: {_ts(e.logged_at)}",
        ]
        if e.notes:
            rows.append(f"Notes: {e.notes}")
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
        doc.lines(rows, size=9)
    if not data.requests:
        doc.para("None recorded yet.")
    tick()
    return doc.finish()
