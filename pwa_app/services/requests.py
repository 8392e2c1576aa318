"""Removal requests: check and render a notice, send it (as text, e-mail or PDF), record it as
sent with its deadlines, and keep its answers."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace

from .. import i18n
from ..documents import notice_pdf, render_notice, validate_notice
from ..documents.mailto import mailto_uri
from ..documents.notice import RenderedNotice, recipient_language
from ..domain import (
    MAX_TEXT,
    STATUS_WORDS,
    Case,
    DomainError,
    EvidenceItem,
    Line,
    RemovalRequest,
    add_period,
)
from ..domain.chain import make_content, sha256_hex
from ..domain.content_types import NoticeLanguage
from ..i18n import N_, _
from ..vault import new_id
from .evidence import Evidence, file_facts
from .fonts import fonts_for
from .records import T_FILE, T_REQUEST
from .session import SaveResult, Session


def reply_type(filename: str, data: bytes) -> str:
    from ..photo import sniff

    if picture := sniff(data):
        return picture
    if filename.lower().endswith(".eml"):
        return "message/rfc822"
    return "application/pdf" if data.startswith(b"%PDF") else "application/octet-stream"


@dataclass(frozen=True)
class Language:
    words: NoticeLanguage
    ending: str  # the recipient's address ending that chose it ("" when none did)
    chosen: bool = False  # the person chose it


class Requests:
    def __init__(self, session: Session, evidence: Evidence):
        self.session = session
        self.evidence = evidence

    async def all(self, case_id: str | None = None) -> list[RemovalRequest]:
        items, _ = await self.session.all(T_REQUEST, RemovalRequest.from_dict)
        return sorted((r for r in items if case_id in (None, r.case_id)), key=lambda r: r.sent_at)

    def defaults(
        self,
        kind: str,
        *,
        profile: dict[str, str],
        case: Case | None,
        requests: list[RemovalRequest],
        evidence: list[EvidenceItem],
        from_request: str = "",
        platform: str = "",
    ) -> dict[str, str]:
        """What a new notice of ``kind`` starts with: the sender's saved details, the case's
        jurisdiction, the addresses (of the request it follows up, ``from_request``, or every
        address of the case still up), the platform's name, and each choice's default."""
        c = self.session.content
        d = {k: v for k, v in profile.items() if v}
        if case and case.jurisdiction and not d.get("jurisdiction"):
            d["jurisdiction"] = case.jurisdiction
        src = next((r for r in requests if r.id == from_request), None)
        if src is not None:
            d["urls"] = "\n".join(src.urls)
            d["first_contacted"] = src.sent_at.date().isoformat()
            if kind == "host":
                d["site"] = "/".join(src.urls[0].split("/")[:3])
        elif evidence:
            d["urls"] = "\n".join(e.url for e in evidence if e.online)
        if platform:
            with contextlib.suppress(KeyError):
                d["recipient"] = c.platform(platform).name
        for fid in c.notice(kind).fields:  # a choice's default, until another is picked
            default = c.fields[fid].default
            if default:
                d.setdefault(fid, default)
        return d

    def language(self, kind: str, values: dict[str, object], chosen: str = "") -> Language:
        """The language a notice goes out in: the one chosen, else the recipient's (when the
        notice has a version in it), else English; and the address ending that chose it."""
        c = self.session.content
        template = c.notice(kind)
        if chosen == "en" or template.version(chosen):
            return Language(c.language(chosen), "", chosen=True)
        lang, ending = recipient_language(template, c.languages, values)
        return Language(lang, ending)

    def languages(self, kind: str) -> list[NoticeLanguage]:
        """The languages a notice of ``kind`` can be written in, English first."""
        c = self.session.content
        template = c.notice(kind)
        return [x for x in c.languages if x.id == "en" or template.version(x.id)]

    def check(self, kind: str, values: dict[str, object], language: str = "") -> dict[str, str]:
        """Field id → what is wrong with it; empty when the notice can be made and kept."""
        c = self.session.content
        template = c.notice(kind)
        errors = validate_notice(template, c.fields, values, self.session.clock())
        if not errors:
            size = len(self.render(kind, values, language).text)
            if size > 2 * MAX_TEXT:  # what the record keeps of a request's text
                longest = max(
                    (f for f in template.fields if c.fields[f].kind == "multiline"),
                    key=lambda f: len(str(values.get(f) or "")),
                    default=template.fields[0],
                )
                errors[longest] = _(
                    "The whole notice would be {size:,} characters long; at most "
                    "{limit:,} can be kept in your record. Shorten this."
                ).format(size=size, limit=2 * MAX_TEXT)
        return errors

    def render(self, kind: str, values: dict[str, object], language: str = "") -> RenderedNotice:
        """The notice, in the language chosen (``""``: the recipient's, as ``language`` says)."""
        c = self.session.content
        words = self.language(kind, values, language).words
        return render_notice(c.notice(kind), c.fields, values, self.session.clock(), words)

    def mailto(self, notice: RenderedNotice) -> str:
        return mailto_uri(notice.recipient_email, notice.subject, notice.body)

    async def pdf(self, notice: RenderedNotice) -> bytes:
        await fonts_for(notice.text)
        known = notice.language in i18n.languages()  # (its footer's words, in its language)
        say = i18n.translator_for(notice.language) if known else i18n.Translator()
        return notice_pdf(notice, self.session.clock(), say)

    async def mark_sent(
        self, case_id: str, notice: RenderedNotice, ticket: str = ""
    ) -> RemovalRequest:
        """Record the request as sent: its deadlines start now, and the addresses it names move
        to "reported" in the evidence log."""
        sent_at = self.session.clock()
        template = self.session.content.notice(notice.kind)
        r = RemovalRequest(
            id=new_id(),
            case_id=case_id,
            kind=notice.kind,
            recipient=notice.recipient,
            urls=notice.urls,
            sent_at=sent_at,
            ticket_number=ticket,
            text=notice.text,
            deadlines=tuple(
                (d.label, add_period(sent_at, d.amount, d.unit)) for d in template.deadlines
            ),
        )
        # its legal name, in the record
        text = Line(
            N_("{request} sent to {recipient}"),
            ("request",),  # said in the person's language; the record keeps the legal name
            request=template.formal,
            recipient=r.recipient,
        )
        rows = [
            await self.session.row(T_REQUEST, r.id, r.to_dict()),
            await self.session.note_row(case_id, text),
        ]
        events = [
            make_content(
                "request.sent",
                f"{text.text} ({len(r.urls)} URL(s))",
                case=case_id,
                record=r.id,
                data={
                    "kind": r.kind,
                    "language": notice.language,
                    "recipient": r.recipient,
                    "urls": list(r.urls),
                    "text_sha256": sha256_hex(r.text.encode("utf-8")),
                    "ticket": r.ticket_number,
                    "deadlines": [[label, when.isoformat()] for label, when in r.deadlines],
                },
            )
        ]
        moved, moves = await self.evidence.follow_request(
            case_id,
            r.urls,
            "sent",
            Line(N_("{request} sent"), ("request",), request=template.formal),
        )
        await self.session.commit(rows + moved, events=tuple(events + moves))
        return r

    async def follow_up_done(self, request_id: str, label: str, done: bool = True) -> SaveResult:
        """One of a request's deadlines dealt with (answered by phone, re-sent, escalated): it
        leaves the follow-ups, and the history keeps when. ``done=False`` brings it back."""
        r = await self.session.one(T_REQUEST, request_id, RemovalRequest.from_dict)
        if r is None:
            return SaveResult(False, {"status": _("This request no longer exists.")})
        try:
            new = r.deadline_done(label, done)
        except DomainError as exc:
            return SaveResult.refused(exc)
        due = dict(r.deadlines)[label]
        text = Line(
            N_("Follow-up done: {label}, request to {recipient}")
            if done
            else N_("Follow-up back on the list: {label}, request to {recipient}"),
            ("label",),
            label=label,
            recipient=r.recipient,
        )
        return await self.session.save(
            T_REQUEST,
            new.to_dict(),
            case=r.case_id,
            event="followup.done" if done else "followup.reopened",
            text=text,
            data={"deadline": label, "due": due.isoformat()},
        )

    async def attach_reply(
        self, request_id: str, filename: str, data: bytes, mime: str | None = None
    ) -> SaveResult:
        """Their answer kept as a file (an e-mail saved as .eml or PDF, a screenshot), with its
        fingerprint and a history entry, in one transaction. Without ``mime``, what the file
        is comes from its bytes (a picture, a PDF) or, for a saved e-mail, its name."""
        att = self.evidence.new_file(filename, data, mime or reply_type(filename, data), False)
        if isinstance(att, SaveResult):
            return att
        r = await self.session.one(T_REQUEST, request_id, RemovalRequest.from_dict)
        if r is None:
            return SaveResult(False, {"file": _("This request no longer exists.")})
        text = Line(
            N_("Answer from {recipient} kept as a file: {filename} ({size:,} bytes)"),
            recipient=r.recipient,
            filename=att.filename,
            size=att.size,
        )
        return await self.session.save(
            T_REQUEST,
            r.with_reply(att).to_dict(),
            case=r.case_id,
            event="reply.added",
            text=text,
            data={"recipient": r.recipient, **file_facts(att), "mime": att.mime},
            before=(await self.session.vault.seal_row(T_FILE, att.blob_id, data),),
        )

    async def remove_reply(self, request_id: str, blob_id: str) -> SaveResult:
        """Take an answer's file out (added by mistake): the history keeps its fingerprint."""
        r = await self.session.one(T_REQUEST, request_id, RemovalRequest.from_dict)
        att = next((x for x in r.replies if x.blob_id == blob_id), None) if r else None
        if r is None or att is None:
            return SaveResult(False, {"file": _("This file was already removed.")})
        text = Line(
            N_("Answer file removed from the request to {recipient}: {filename}"),
            recipient=r.recipient,
            filename=att.filename,
        )
        return await self.session.save(
            T_REQUEST,
            r.without_reply(blob_id).to_dict(),
            case=r.case_id,
            event="reply.removed",
            text=text,
            data={"recipient": r.recipient, **file_facts(att)},
            deletes=(blob_id,),
        )

    async def update(
        self, request_id: str, status: str, ticket: str | None = None, notes: str | None = None
    ) -> SaveResult:
        """A new status, ticket number or answer."""
        r = await self.session.one(T_REQUEST, request_id, RemovalRequest.from_dict)
        if r is None:
            return SaveResult(False, {"status": _("This request no longer exists.")})
        try:
            new = r.with_status(status, ticket)
            if notes is not None:
                new = replace(new, notes=notes)
                RemovalRequest.from_dict(new.to_dict())  # validates
        except DomainError as exc:
            return SaveResult.refused(exc)
        changed = {
            k: v
            for k, old, v in (
                ("status", r.status, new.status),
                ("ticket", r.ticket_number, new.ticket_number),
                ("answer", r.notes, new.notes),
            )
            if old != v
        }
        if not changed:
            return SaveResult(True)
        words = []
        if "status" in changed:
            words.append(f"now {new.status}")
        if "ticket" in changed:
            words.append(f"ticket {new.ticket_number or '(none)'}")
        if "answer" in changed:
            words.append("answer recorded")
        moved, moves = [], []
        if "status" in changed:
            moved, moves = await self.evidence.follow_request(
                r.case_id,
                r.urls,
                new.status,
                Line(
                    N_("request to {recipient} marked {status}"),
                    ("status",),
                    recipient=r.recipient,
                    status=STATUS_WORDS[new.status],
                ),
            )
        await self.session.commit(
            [await self.session.row(T_REQUEST, new.id, new.to_dict()), *moved],
            events=(
                make_content(
                    "request.updated",
                    f"Request to {r.recipient}: " + ", ".join(words),
                    case=r.case_id,
                    record=r.id,
                    data=changed,
                ),
                *moves,
            ),
        )
        return SaveResult(True)
