"""The evidence report for the police, a lawyer or a court: page 1 says who prepared it, in which
time zone its times are, what it holds, how to check it in plain words, and what the record's
tamper-evident history proves and does not; then the case numbers, a chronology, each evidence
entry as a numbered exhibit (E-1, E-2, ...) with its dated status line and files, each request
(R-1, ...) with its answers, the history of the case, and an appendix with every notice as it
was sent, matched to the fingerprint the history kept of it.

Every time is printed in one named time zone with UTC beside it. "Found" is the person's
statement; "added to Recourse" is when the app recorded something; a file's own date is what
the file itself states. Intimate images are left out unless the person chooses to include them.

Its words are in the language of ``ReportData.say`` (a catalogue's; English by default). In this
module ``_`` is always the report's translator, never the screen's. What the record quotes stays
as it was written: the person's own words, the history's entries (their hashes cover them), the
notices' legal names and the notices as sent.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import cached_property
from string import Template

from ..domain import (
    CASE_NUMBER_KINDS,
    CHANGED,
    NOT_FOUND,
    STATUS_WORDS,
    Case,
    EvidenceItem,
    RemovalRequest,
    TimelineEntry,
)
from ..domain.chain import ChainSummary, HistoryEntry, parse_at, sha256_hex
from ..domain.content_types import ReportWords
from ..i18n import N_, Translator, day_in_words

HEAD_MARK = "recourse-history-head:"  # in the PDF's keywords: where the verifier reads the head
PICTURE_W, PICTURE_MAX_H = 80.0, 110.0  # mm: how large a picture is drawn, at most

Progress = Callable[[float], None]
# Why a file the record lists could not be read back, as it was added, when the report was made
UNREAD_MARK = {
    NOT_FOUND: N_("NOT FOUND: this file was not in the record when this report was made."),
    CHANGED: N_(
        "CHANGED OR DAMAGED: this file was in the record when this report was made, but not as "
        "it was added (it did not open, or its SHA-256 no longer matches)."
    ),
}
CONVERTED = N_("drawn from a copy converted for this PDF; the SHA-256 above is the file's as added")
PICTURE_WORDS = N_(
    "Each picture drawn in this report shows an attached file. A JPEG is drawn from the file "
    "itself; any other picture from a copy converted for this PDF (marked so beside it). The "
    "SHA-256 given is always that of the file as it was added, and the evidence pack holds "
    "the file itself."
)
UNREAD_WORDS = N_(
    "{count} file(s) listed in this report could not be read back as they were added when it "
    "was made (marked NOT FOUND or CHANGED OR DAMAGED): the fingerprints given are the ones "
    "recorded when they were added; the files themselves cannot be shown, and are not in the "
    "evidence pack."
)


@dataclass(frozen=True)
class ReportData:
    case: Case
    evidence: tuple[EvidenceItem, ...] = ()
    requests: tuple[RemovalRequest, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    images: dict[str, bytes] = field(default_factory=dict)  # blob id → bytes, only if chosen
    # files the record lists that were read back and were not as they were added: blob id →
    # NOT_FOUND or CHANGED (every other file was read back and matched its SHA-256)
    unread: dict[str, str] = field(default_factory=dict)
    notice_titles: dict[str, str] = field(default_factory=dict)  # kind → the app's name
    notice_names: dict[str, str] = field(default_factory=dict)  # kind → its legal name
    history: tuple[HistoryEntry, ...] = ()  # the whole chain, checked
    chain: ChainSummary | None = None  # None: the history did not check out (see below)
    history_problem: str = ""  # what was wrong with the history, in plain words (English)
    history_problem_said: str = ""  # the same in the report's language ("": as above)
    history_problem_since: str = ""  # the time of the entry where it went wrong, if known
    zone: tzinfo = UTC  # the time zone every time is printed in, with UTC beside it
    zone_name: str = "UTC"
    prepared_by: str = ""  # as the person chooses to state it ("" : not stated)
    words: ReportWords | None = None  # content/report.toml
    version: str = ""  # the Recourse version that made it
    say: Translator = field(default_factory=Translator)  # the report's language (words: too)

    @cached_property
    def about_case(self) -> list[HistoryEntry]:
        return [e for e in self.history if e.about(self.case.id)]

    @cached_property
    def status_changes(self) -> dict[str, list[HistoryEntry]]:
        """Each evidence entry's status changes in the history, by the entry's id."""
        out: dict[str, list[HistoryEntry]] = {}
        for h in self.about_case:
            if h.event == "evidence.status" and h.record and h.data.get("to"):
                out.setdefault(h.record, []).append(h)
        return out

    def legal(self, kind: str) -> str:
        """A request's legal name, in English (as the record's own lines write it)."""
        return self.notice_names.get(kind) or self.notice_titles.get(kind, kind)

    def formal(self, kind: str) -> str:
        """A request's legal name, in the report's language (content/ gives each)."""
        return self.say(self.legal(kind))

    def texts(self) -> list[str]:
        """Every piece of free text the report draws (to know whether it needs shaping)."""
        c = self.case
        out = [c.title, c.jurisdiction, self.prepared_by]
        out += [f"{n.number} {n.organisation} {n.contact}" for n in c.case_numbers]
        for e in self.evidence:
            out += [e.url, e.platform, e.notes, *(a.filename for a in e.attachments)]
        for r in self.requests:
            out += [r.recipient, r.notes, r.ticket_number, r.text, *r.urls]
            out += [a.filename for a in r.replies]
        out += [t.text for t in self.timeline]
        out += [e.text for e in self.about_case]
        return out

    def exhibits(self) -> list[tuple[str, EvidenceItem]]:
        """Each evidence entry with its exhibit number, in the order found."""
        ordered = sorted(self.evidence, key=lambda e: (e.found_at, e.logged_at, e.id))
        width = len(str(len(ordered)))  # E-01 … E-20: the pack's file names sort in order
        return [(f"E-{i:0{width}d}", e) for i, e in enumerate(ordered, 1)]

    def request_numbers(self) -> list[tuple[str, RemovalRequest]]:
        ordered = sorted(self.requests, key=lambda r: (r.sent_at, r.id))
        width = len(str(len(ordered)))
        return [(f"R-{i:0{width}d}", r) for i, r in enumerate(ordered, 1)]


# ---- times --------------------------------------------------------------------------------------
def when_in(dt: datetime, zone: tzinfo) -> str:
    """A time in the report's zone, with its offset, and UTC beside it:
    "2026-06-03 22:33 +02:00 (20:33 UTC)"; the UTC date is given too when it differs."""
    dt = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    utc = dt.astimezone(UTC)
    if zone is UTC:
        return f"{utc:%Y-%m-%d %H:%M} UTC"
    local = dt.astimezone(zone)
    off = local.strftime("%z")
    off = f"{off[:3]}:{off[3:]}" if len(off) == 5 else off
    u = f"{utc:%H:%M}" if utc.date() == local.date() else f"{utc:%Y-%m-%d %H:%M}"
    return f"{local:%Y-%m-%d %H:%M} {off} ({u} UTC)"


# ---- what happened, in order ----------------------------------------------------------------
def chronology(data: ReportData) -> list[tuple[datetime, str]]:
    """What happened, in order: each address found (as the person states), each request sent
    once under its legal name, each change of a status when it was made (as it was then), each
    answer kept, and the case's own notes."""
    z = dict(data.exhibits())
    number = {e.id: n for n, e in z.items()}
    rnum = {r.id: n for n, r in data.request_numbers()}
    _ = data.say
    events: list[tuple[datetime, str]] = []
    for e in data.evidence:
        found = _("{exhibit} found at {url} ({site})").format(
            exhibit=number[e.id], url=e.url, site=e.platform or _("site not named")
        )
        events.append((e.found_at, found))
    requests = {r.id: r for r in data.requests}
    skip = set()
    for r in data.requests:
        skip.add(f"{data.notice_titles.get(r.kind, r.kind)} sent to {r.recipient}")
        skip.add(f"{data.legal(r.kind)} sent to {r.recipient}")
        sent = _("{request} {notice} sent to {recipient} ({count} address(es))").format(
            request=rnum[r.id], notice=data.formal(r.kind), recipient=r.recipient,
            count=len(r.urls),
        )  # fmt: skip
        events.append((r.sent_at, sent))
    for h in data.about_case:  # a status as it changed, at the time it changed
        r = requests.get(h.record or "")
        status = h.data.get("status")
        if h.event == "request.updated" and r is not None and isinstance(status, str):
            now = _("{request} {notice} to {recipient}: status now {status}").format(
                request=rnum[r.id], notice=data.formal(r.kind), recipient=r.recipient,
                status=_status(_, status),
            )  # fmt: skip
            events.append((h.when, now))
        elif h.event == "reply.added" and r is not None:
            kept = _("{request} answer kept as a file: {name}")
            events.append((h.when, kept.format(request=rnum[r.id], name=h.data.get("name"))))
    by_url: dict[str, list[str]] = {}
    for n, e in z.items():
        by_url.setdefault(e.url, []).append(n)
    # The history's status changes, by what they say: a timeline line about an address logged
    # more than once is matched to the one made with it (same words, same moment).
    changes: dict[str, list[tuple[datetime, str]]] = {}
    for h in data.about_case:
        if h.event == "evidence.status" and h.record in number:
            changes.setdefault(h.text, []).append((h.when, number[h.record]))
    own = {h.record for h in data.about_case if h.event == "note.added"}  # the person's notes
    for t in sorted(data.timeline, key=lambda t: t.when):
        if t.id in own:  # their words, as written, whatever they say
            text = english = t.text
        elif t.text in skip or t.text.startswith("Answer from "):
            continue  # (given above, from the requests and the history)
        else:
            english = _formal_words(data, t.text)
            # the app's own line in the report's language; in English, or a line kept before
            # lines were kept apart from their values, with the requests' legal names
            text = english if data.say.english or t.line is None else t.said(data.say)
        url = english.split(": ", 1)[0]
        if url in by_url:  # "https://…: marked removed (…)": say which exhibit
            text = f"{_which(by_url[url], changes.get(t.text, []), t.when, _)} {text}"
        events.append((t.when, text))
    return sorted(events, key=lambda x: x[0])


SAME_MOMENT = 60  # seconds: a timeline line and its history entry are written together


def _which(
    numbers: list[str], changes: list[tuple[datetime, str]], when: datetime, _: Translator
) -> str:
    """The exhibit a timeline line about an address is about: the only one with that address,
    or the one whose status change the history recorded with the same words at that moment
    (each change used once). When the history cannot tell (a line from before it was kept),
    every exhibit with that address is named, and none is guessed."""
    if len(numbers) == 1:
        return numbers[0]
    gaps = [
        (abs((w - when).total_seconds()), i) for i, (w, n) in enumerate(changes) if n in numbers
    ]
    near = [(gap, i) for gap, i in gaps if gap <= SAME_MOMENT]
    if not near:
        return _(" or ").join(numbers)
    return changes.pop(min(near)[1])[1]


def _formal_words(data: ReportData, text: str) -> str:
    """A timeline line the app wrote with its own name for a request (lines written before the
    app wrote legal names), with the request's legal name."""
    for kind, title in data.notice_titles.items():
        if title in text:
            text = text.replace(title, data.legal(kind))
    return text


def _status(_: Translator, status: str) -> str:
    """A status (an id the record keeps) in words, in the report's language."""
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status


def status_line(data: ReportData, e: EvidenceItem) -> str:
    """An entry's status as it went: found (the person's statement), then each change with
    its time, from the history."""
    _ = data.say
    steps = [_("found {when} (as stated)").format(when=when_in(e.found_at, data.zone))]
    for h in data.status_changes.get(e.id, ()):
        to = h.data["to"]
        steps.append(f"{_status(_, to)} {when_in(h.when, data.zone)}")
    if len(steps) == 1 and e.status != "found":  # a record from before the history kept it
        status = _status(_, e.status)
        steps.append(_("{status} (time not recorded)").format(status=status))
    return _("Status: {steps}").format(steps=" → ".join(steps))


# ---- the PDF ------------------------------------------------------------------------------------
def report_pdf(data: ReportData, now: datetime, progress: Progress | None = None) -> bytes:
    from .pdf import Doc, needs_devanagari, needs_shaping

    step = progress or (lambda _f: None)
    total = 5 + len(data.evidence)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        step(min(done / total, 1.0))

    c = data.case
    z = data.zone
    _ = data.say
    texts = data.texts()
    ref = c.case_numbers[0].number if c.case_numbers else ""
    title = _("Evidence report: {case}").format(case=c.title)
    doc = Doc(
        title,
        now,
        shaping=needs_shaping(*texts),
        devanagari=needs_devanagari(*texts),
        footer_text=title + (_(" · ref. {ref}").format(ref=ref) if ref else ""),
        lang=data.say.language,
        say=data.say,
    )
    chain = data.chain
    if chain is not None:
        doc.set_subject(
            _("Tamper-evident history: {count} entries, {span}").format(
                count=chain.count, span=chain.span
            )
        )
        doc.set_keywords(f"{HEAD_MARK}{chain.head} entries:{chain.count}")
    exhibits = data.exhibits()
    numbered = data.request_numbers()
    _first_page(doc, data, now, exhibits, numbered)
    tick()

    doc.heading(_("Case numbers"), 12)
    if c.case_numbers:
        doc.lines(
            f"{_(CASE_NUMBER_KINDS[n.kind]) if n.kind in CASE_NUMBER_KINDS else n.kind}: "
            f"{n.number}"
            + (f" — {n.organisation}" if n.organisation else "")
            + (f" — {n.date.isoformat()}" if n.date else "")
            + (" — " + _("contact: {contact}").format(contact=n.contact) if n.contact else "")
            for n in c.case_numbers
        )
    else:
        doc.para(_("None recorded yet."))
    tick()

    doc.heading(_("Chronology"), 12)
    events = chronology(data)
    doc.lines([f"{when_in(when, z)}  {text}" for when, text in events] or [_("Nothing yet.")])
    tick()

    refs: dict[str, list[HistoryEntry]] = {}
    for h in data.about_case:
        if h.record:
            refs.setdefault(h.record, []).append(h)
    if doc.will_page_break(60):  # the heading goes with its first exhibit
        doc.add_page()
    doc.heading(_("Evidence ({count} exhibit(s))").format(count=len(exhibits)), 12)
    left_out = 0
    for number, e in exhibits:
        rows = [
            _("Site: {site}").format(site=e.platform or "—"),
            _("Found (as the person states): {when}").format(when=when_in(e.found_at, z)),
            _("Added to Recourse: {when}").format(when=when_in(e.logged_at, z)),
            status_line(data, e),
        ]
        rows += _labelled(_("Notes"), e.notes)
        rows += _history_refs(refs.get(e.id, ()), z, _)
        files: list[tuple[str, list[str], bytes | None, bool, str]] = []
        for k, a in enumerate(e.attachments, 1):
            label = f"{number}.{k}"
            said = {"label": label, "name": a.filename, "size": a.size}
            lines = [_("File {label}: {name} ({size:,} bytes)").format(**said)]
            lines.append("  " + _("Added to Recourse: {when}").format(when=when_in(a.added_at, z)))
            if a.own_date:
                lines.append("  " + _("Its own date: {date}, from {source}").format(
                    date=a.own_date, source=data.say(a.own_date_from)))  # fmt: skip
            lines.append(f"  SHA-256: {a.sha256}")
            img = data.images.get(a.blob_id)
            if a.blob_id in data.unread:
                lines.append(f"  {_(UNREAD_MARK[data.unread[a.blob_id]])}")
            elif img is None:
                left_out += 1
            as_added = img is not None and _as_added_jpeg(img, a.sha256)
            caption = _("Exhibit {label}: {name} ({size:,} bytes)").format(**said)
            files.append((label, lines, img, as_added, caption))
        _keep_together(doc, e, rows, files)
        doc.heading(_("Exhibit {exhibit}: {url}").format(exhibit=number, url=e.url), 10.5,
                    bookmark=True)  # fmt: skip
        doc.lines(rows, size=9, gap=1)
        for _label, lines, img, as_added, caption in files:
            doc.lines(lines, size=9, gap=1)
            if img is not None:
                _picture(doc, img, caption if as_added else f"{caption}, {_(CONVERTED)}", _)
        doc.ln(3)
        tick()
    if not exhibits:
        doc.para(_("None recorded yet."))
    if data.images:
        doc.para(_(PICTURE_WORDS), size=9)
    if left_out:
        doc.para(
            _(
                "{count} attached file(s) are not shown in this report, by choice. Each was read "
                "back from the record when this report was made and matched the SHA-256 "
                "fingerprint listed above; they can be shown on request."
            ).format(count=left_out),
            size=9,
        )
    if data.unread:
        doc.para(_(UNREAD_WORDS).format(count=len(data.unread)), size=9)

    doc.heading(_("Removal requests ({count})").format(count=len(numbered)), 12)
    for number, r in numbered:
        rows = [
            _("{request}: {notice} to {recipient}").format(
                request=number, notice=data.formal(r.kind), recipient=r.recipient
            ),
            _("Sent: {when}   Status now: {status}").format(
                when=when_in(r.sent_at, z), status=_status(_, r.status)
            )
            + (
                "   " + _("Ticket: {ticket}").format(ticket=r.ticket_number)
                if r.ticket_number
                else ""
            ),  # fmt: skip
        ]
        rows += [  # (a deadline's label: content/'s, marked there)
            _("Deadline: {label}, {when}").format(label=data.say(label), when=when_in(when, z))
            for label, when in r.deadlines
        ]
        rows += [f"  {u}" for u in r.urls]
        if r.text:
            rows.append(_("The notice as sent: Appendix, {request}").format(request=number))
        rows += _labelled(_("Answer / notes"), r.notes)
        for k, a in enumerate(r.replies, 1):
            rows.append(_("Answer {label} kept as a file: {name} ({size:,} bytes)").format(
                label=f"{number}.{k}", name=a.filename, size=a.size))  # fmt: skip
            rows.append("  " + _("Added to Recourse: {when}").format(when=when_in(a.added_at, z)))
            rows.append(f"  SHA-256: {a.sha256}")
            if a.blob_id in data.unread:
                rows.append(f"  {_(UNREAD_MARK[data.unread[a.blob_id]])}")
        rows += _history_refs(refs.get(r.id, ()), z, _)
        doc.lines(rows, size=9)
    if not numbered:
        doc.para(_("None recorded yet."))
    tick()

    mine = data.about_case
    if data.history:
        others = len(data.history) - len(mine)
        doc.heading(_("History of this case ({count} entries)").format(count=len(mine)), 12)
        doc.para(
            _(
                "Each entry: when it was recorded, the first 12 characters of its hash, and what "
                "happened."
            )
            + (
                _(
                    " The other {count} entries are about other cases kept in the same record; "
                    "the evidence pack holds them by their hashes only."
                ).format(count=others)
                if others > 0
                else ""
            )
            + ("" if data.say.english else _(" Each entry is quoted as it was recorded.")),
            size=9,
        )
        doc.lines([f"{when_in(h.when, z)}  #{h.short}  {h.text}" for h in mine], size=8.5)
    tick()

    sent = [(n, r) for n, r in numbered if r.text]
    if sent:
        doc.add_page()
        doc.heading(_("Appendix: the notices as sent"), 12)
        doc.para(
            _(
                "Each notice's text exactly as it was recorded when the person marked it sent. "
                "Its SHA-256 is the fingerprint the history kept of it at that moment: the "
                "evidence pack holds each as a text file with the same fingerprint."
            ),
            size=9,
        )
        kept = _kept_hashes(data)
        for number, r in sent:
            digest = sha256_hex(r.text.encode("utf-8"))
            match = kept.get(r.id)
            said = (
                _("the same as history entry #{entry} ({when})").format(
                    entry=match.short, when=when_in(match.when, z)
                )
                if match is not None and match.data.get("text_sha256") == digest
                else _("NOT the one the history kept")
                if match is not None
                else _("the history holds no entry for its sending")
            )
            to = _("{request}: {notice} to {recipient}")
            doc.heading(to.format(request=number, notice=data.formal(r.kind),
                                  recipient=r.recipient), 10.5)  # fmt: skip
            doc.lines(
                [
                    _("Sent: {when}").format(when=when_in(r.sent_at, z)),
                    _("SHA-256 of the text: {digest} ({said})").format(digest=digest, said=said),
                ],
                size=8.5,
                gap=1.5,
            )
            doc.lines(r.text.split("\n"), size=8.5, gap=5)
    return doc.finish()


def notices_as_sent(data: ReportData) -> tuple[str, list[tuple[str, str]]]:
    """The title of the pack's PDF of every notice as it was sent, and each notice's heading
    and text (in the order of the requests' numbers)."""
    _ = data.say
    to = _("{request}: {notice} to {recipient}")
    sent = [
        (to.format(request=number, notice=data.formal(r.kind), recipient=r.recipient), r.text)
        for number, r in data.request_numbers()
        if r.text
    ]
    return _("The notices as sent: {case}").format(case=data.case.title), sent


def _kept_hashes(data: ReportData) -> dict[str, HistoryEntry]:
    """Each request's "sent" history entry, by the request's id."""
    return {
        h.record: h for h in data.about_case if h.event == "request.sent" and h.record is not None
    }


def _first_page(doc, data: ReportData, now: datetime, exhibits, numbered) -> None:
    c, z, w = data.case, data.zone, data.words
    _, _n = data.say, data.say.n
    doc.heading(_("Evidence report"))
    doc.para(_("Case: {case}").format(case=c.title), bold=True, gap=0.5)
    if c.jurisdiction:
        doc.para(_("Jurisdiction: {jurisdiction}").format(jurisdiction=c.jurisdiction), gap=0.5)
    if c.case_numbers:
        kind = (
            (lambda k: k)
            if data.say.english
            else (lambda k: _(CASE_NUMBER_KINDS[k]) if k in CASE_NUMBER_KINDS else k)
        )
        refs = "; ".join(
            f"{n.number} ({n.organisation or kind(n.kind)})" for n in c.case_numbers[:3]
        )
        doc.para(_("Reference: {references}").format(references=refs), gap=0.5)
    doc.para(
        _("Prepared by: {who}").format(
            who=data.prepared_by
            or _("the person this record belongs to (who chose not to give a name)")
        ),
        gap=0.5,
    )
    doc.para(
        (
            _(
                "Made on {day}, at {when}, with Recourse {version}, from records kept encrypted "
                "on the person's own device."
            )
            if data.version
            else _(
                "Made on {day}, at {when}, with Recourse, from records kept encrypted on the "
                "person's own device."
            )
        ).format(day=day_in_words(now.date(), say=_), when=when_in(now, z), version=data.version),
        size=9.5,
        gap=3,
    )
    files = sum(len(e.attachments) for e in data.evidence)
    replies = sum(len(r.replies) for r in data.requests)
    removed = sum(1 for h in data.about_case if h.event == "evidence.removed")
    awaiting = sum(1 for r in data.requests if r.open)
    gone = sum(1 for e in data.evidence if e.status == "removed")
    gone_words = _n(
        "{count} entry was removed from the evidence log; the history keeps the fingerprints "
        "of their files.",
        "{count} entries were removed from the evidence log; the history keeps the "
        "fingerprints of their files.",
        removed,
    ).format(count=removed)
    doc.heading(_("In this report"), 12)
    doc.lines(
        [
            _(
                "{count} evidence exhibit(s) ({span}), with {files} file(s); {gone} of the "
                "addresses are marked removed."
            ).format(count=len(exhibits), span=_span(exhibits, _), files=files, gone=gone)
            if exhibits
            else _("No evidence entries yet."),
            _(
                "{count} removal request(s) sent ({span}), {awaiting} still awaiting an "
                "outcome; {replies} answer(s) kept as files."
            ).format(
                count=len(numbered), span=_span(numbered, _), awaiting=awaiting, replies=replies
            )
            if numbered
            else _("No removal requests sent yet."),
            _("{count} case number(s).").format(count=len(c.case_numbers)),
        ]
        + ([gone_words] if removed else [])
        + ([_(UNREAD_WORDS).format(count=len(data.unread))] if data.unread else []),
        size=9.5,
    )
    if w is not None:
        doc.heading(_("Times"), 12)
        doc.para(Template(w.times).safe_substitute(zone=data.zone_name), size=9.5)
        doc.heading(_("How to check it"), 12)
        for p in w.how_to_check:
            doc.para(p, size=9.5, gap=1.5)
        doc.ln(1.5)
    _history_summary(doc, data)
    if w is not None:
        doc.heading(w.statement_title, 12)
        doc.para(w.statement, size=9.5, gap=4)


def _span(numbered: list, _: Translator) -> str:
    first, last = numbered[0][0], numbered[-1][0]
    return first if first == last else _("{first} to {last}").format(first=first, last=last)


def _history_summary(doc, data: ReportData) -> None:
    chain, z, w, _ = data.chain, data.zone, data.words, data.say
    mine = data.about_case
    if chain is None and data.history_problem:
        doc.heading(_("The history of this record does not check out"), 12)
        since = (
            _(" This is so from the entry made at {when}.").format(
                when=when_in(parse_at(data.history_problem_since), z)
            )
            if data.history_problem_since
            else ""
        )
        problem = data.history_problem_said or data.history_problem
        doc.para(
            problem
            + since
            + _(
                " The rest of this report is the record as it is kept; each file can still be "
                "checked against its SHA-256 below. No head hash is given, because none can be "
                "vouched for."
            ),
            size=9.5,
            gap=4,
        )
        return
    if chain is None:
        return
    started = chain.started
    doc.heading(_("Tamper-evident history"), 12)
    if w is not None:
        doc.para(w.proves, size=9.5, gap=1.5)
        doc.para(w.not_proven, size=9.5, gap=1.5)
    doc.para(
        _(
            "{count} entries from {first} to {last} ({mine} about this case). Head hash "
            "(SHA-256 of the last entry):"
        ).format(
            count=chain.count, first=chain.first_at[:10], last=chain.last_at[:10], mine=len(mine)
        ),
        size=9.5,
        gap=0.5,
    )
    doc.lines([chain.head], size=9)
    doc.para(
        _(
            "To check the history too: python3 -m pwa_app verify on the evidence pack this "
            "report came in (Recourse is free software). Its manifest.json holds the same head "
            "hash."
        ),
        size=9,
        gap=0.5 if started.data.get("reason") == "existing" else 3,
    )
    if started.data.get("reason") == "existing":
        doc.para(
            _(
                "The history runs from {day}, when this record was first opened with a version "
                "of Recourse that keeps one. What was recorded before is written in its first "
                "entries as it stood that day."
            ).format(day=started.at[:10]),
            size=9,
            gap=3,
        )
    for fork in chain.forks:
        by = fork.joined_by
        doc.para(
            _(
                "{fork}. Both branches are kept as they were written; entry {entry} ({when}) "
                "joins them, listing each entry of the other branch by its hash."
            ).format(
                fork=fork.line().said(_),
                entry=by.seq if by else "?",
                when=when_in(by.when, z) if by else "?",
            ),
            size=9,
            gap=3,
        )
    for line in chain.warning_lines():
        doc.para(line.said(_), size=9, gap=1.5)


def _keep_together(doc, e: EvidenceItem, rows: list[str], files) -> None:
    """Start an exhibit on a new page when it, with its pictures, would not fit on this one
    but would on a fresh page: a picture stays on the page of its entry."""
    lines = 2 + len(rows) + sum(len(f[1]) for f in files)
    height = lines * 4.8 + sum(_picture_h(doc, f[2]) + 8 for f in files if f[2])
    room = doc.h - doc.b_margin - doc.get_y()
    fresh = doc.h - doc.b_margin - doc.t_margin
    if height > room and height <= fresh:
        doc.add_page()


def _picture_size(doc, img: bytes) -> tuple[float, float] | None:
    from .pdf import jpeg_info

    info = jpeg_info(img)
    if info is not None:
        w, h = info["w"], info["h"]
    else:
        try:
            from fpdf.image_parsing import preload_image

            _name, _img, meta = preload_image(doc.image_cache, io.BytesIO(img))
            w, h = meta["w"], meta["h"]
        except Exception:  # noqa: BLE001 - not a picture: listed by its hash only
            return None
    if not w or not h:
        return None
    draw_w = min(PICTURE_W, PICTURE_MAX_H * w / h)
    return draw_w, draw_w * h / w


def _as_added_jpeg(img: bytes, sha256: str) -> bool:
    """Whether a picture to draw is the JPEG file itself as it was added (fpdf2 keeps a JPEG's
    bytes as they are); anything else is drawn from a converted copy."""
    return img.startswith(b"\xff\xd8") and sha256_hex(img) == sha256


def _picture_h(doc, img: bytes | None) -> float:
    size = _picture_size(doc, img) if img else None
    return size[1] if size else 0.0


def _picture(doc, img: bytes, caption: str, _: Translator) -> None:
    name = caption.split(": ", 1)[-1]
    size = _picture_size(doc, img)
    if size is None:
        doc.lines([_("(The file {name} is not a picture and is not shown.)").format(name=name)],
                  size=9)  # fmt: skip
        return
    w, h = size
    if doc.will_page_break(h + 6):
        doc.add_page()
    try:
        doc.picture(img, w=w)
    except Exception:  # noqa: BLE001 - a file that cannot be drawn stays listed by its hash
        doc.lines([_("(The file {name} could not be drawn.)").format(name=name)], size=9)
        return
    doc.lines([caption], size=8, gap=3)


def _labelled(label: str, text: str) -> list[str]:
    """A label and its free text: on one line, or, for right-to-left writing, the text on its
    own lines so that it reads in its own direction."""
    if not text:
        return []
    from .pdf import _right_to_left

    return [f"{label}:", text] if _right_to_left(text) else [f"{label}: {text}"]


def _history_refs(entries, zone: tzinfo, _: Translator) -> list[str]:
    """Where an item appears in the history: its first entry, and its last if there are more."""
    if not entries:
        return []
    first, last = entries[0], entries[-1]
    out = _("History: #{entry} ({when})").format(entry=first.short, when=when_in(first.when, zone))
    if last is not first:
        out += _(", last change #{entry} ({when})").format(
            entry=last.short, when=when_in(last.when, zone)
        )
    return [out]
