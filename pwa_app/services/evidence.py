"""The evidence log: addresses with when they were found, their status, and attached files."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from ..domain import (
    EVIDENCE_FOLLOWS_REQUEST,
    STATUS_WORDS,
    Attachment,
    DomainError,
    EvidenceItem,
    Line,
    address_key,
    typed_time,
)
from ..domain.chain import make_content
from ..i18n import N_, _, current
from ..photo import own_date
from ..vault import new_id
from ..vault.storage import Row
from .records import MAX_ATTACHMENT, T_EVIDENCE, T_FILE
from .session import SaveResult, Session


def file_facts(att: Attachment) -> dict[str, Any]:
    """What the history keeps of a file: enough to recognise it later (and its own date, as
    the file states it, where it states one)."""
    facts: dict[str, Any] = {"name": att.filename, "size": att.size, "sha256": att.sha256}
    if att.own_date:
        facts["own_date"] = att.own_date
    return facts


def files_of(item: EvidenceItem) -> list[dict[str, Any]]:
    return [file_facts(a) for a in item.attachments]


def marked(url: str, status: str, why: Line | None = None) -> Line:
    """An address's new status in the evidence log, and why (a request sent, marked ...)."""
    return Line(
        N_("{url}: marked {status}") if why is None else N_("{url}: marked {status} ({why})"),
        ("status",),
        url=url,
        status=STATUS_WORDS[status],
        **({} if why is None else {"why": why}),
    )


def status_event(item: EvidenceItem, status: str, why: Line | None = None) -> dict[str, Any]:
    return make_content(
        "evidence.status",
        marked(item.url, status, why).text,
        case=item.case_id,
        record=item.id,
        data={"url": item.url, "from": item.status, "to": status, "files": files_of(item)},
    )


PICTURE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "bmp", "tif", "tiff"}


def recognise(filename: str, data: bytes) -> tuple[str, str]:
    """(the file's type, what to say about it) from its own bytes, never from its name alone."""
    from ..photo import inspect_image, said

    info = inspect_image(data)
    mime = info.mime if info.ok else "application/octet-stream"
    message = _("Attached. Its SHA-256 fingerprint is recorded.")
    if not info.ok and filename.rsplit(".", 1)[-1].lower() in PICTURE_EXTENSIONS:
        message += " " + _(
            "{filename} is named like a picture but is not one this app can read, so it is "
            "kept as a file and not previewed. If it should be a picture, take a new "
            "screenshot and attach that too."
        ).format(filename=filename)
    if info.ok and info.revealing:
        message += " " + _("This photo's hidden data shows: {found}.").format(
            found="; ".join(said(r, current()) for r in info.revealing)
        )
    if info.ok and info.unread:
        message += " " + said(info.unread, current())
    return mime, message


class Evidence:
    def __init__(self, session: Session):
        self.session = session

    async def all(self, case_id: str | None = None) -> list[EvidenceItem]:
        items, _ = await self.session.all(T_EVIDENCE, EvidenceItem.from_dict)
        return sorted((e for e in items if case_id in (None, e.case_id)), key=lambda e: e.found_at)

    async def get(self, evidence_id: str) -> EvidenceItem | None:
        return await self.session.one(T_EVIDENCE, evidence_id, EvidenceItem.from_dict)

    async def log(
        self, case_id: str, url: str, platform: str, found_at: object, notes: str = ""
    ) -> tuple[SaveResult, EvidenceItem | None]:
        """Log a URL (``found_at``: a datetime, the person's typed text, or nothing for now).
        Every field's problem is reported at once, each next to its field."""
        now = self.session.clock()
        errors: dict[str, str] = {}

        def check(fld: str, **values: Any) -> Any:
            """One field checked with the others left valid."""
            good = {"url": "https://example.org/", "platform": "", "notes": "", "found_at": now}
            try:
                if fld == "found_at":
                    good["found_at"] = typed_time(found_at, "found_at") or now
                return EvidenceItem.new(id="check", case_id=case_id, now=now, **{**good, **values})
            except DomainError as exc:
                errors.setdefault(fld, exc.sentence(_))
                return None

        check("url", url=url)
        check("platform", platform=platform)
        check("notes", notes=notes)
        when = check("found_at")
        if errors:
            return SaveResult(False, errors), None
        item = EvidenceItem.new(
            id=new_id(),
            case_id=case_id,
            url=url,
            platform=platform,
            found_at=when.found_at,
            notes=notes,
            now=now,
        )
        await self.session.commit(
            [await self.session.row(T_EVIDENCE, item.id, item.to_dict())],
            events=(
                make_content(
                    "evidence.logged",
                    f"Evidence logged: {item.url}",
                    case=case_id,
                    record=item.id,
                    data={
                        "url": item.url,
                        "platform": item.platform,
                        "found_at": item.found_at.isoformat(),
                        "notes": item.notes,
                    },
                ),
            ),
        )
        return SaveResult(True), item

    async def set_status(self, evidence_id: str, status: str) -> SaveResult:
        item = await self.get(evidence_id)
        if item is None:
            return SaveResult(False, {"status": _("This item no longer exists.")})
        if status == item.status:  # marked so already (by a request it was named in): no change
            return SaveResult(True)
        try:
            moved = item.moved_to(status, self.session.clock())
        except DomainError as exc:
            return SaveResult.refused(exc)
        await self.session.commit(
            [
                await self.session.row(T_EVIDENCE, moved.id, moved.to_dict()),
                await self.session.note_row(item.case_id, marked(item.url, status)),
            ],
            events=(status_event(item, status),),
        )
        return SaveResult(True)

    async def still_gone(self, evidence_id: str) -> SaveResult:
        """The person looked again and what was removed is still gone: a follow-up done."""
        item = await self.get(evidence_id)
        if item is None:
            return SaveResult(False, {"status": _("This item no longer exists.")})
        try:
            checked = item.checked_gone(self.session.clock())
        except DomainError as exc:
            return SaveResult.refused(exc)
        return await self.session.save(
            T_EVIDENCE,
            checked.to_dict(),
            case=item.case_id,
            event="followup.done",
            text=Line(N_("Checked again: {url} is still gone"), url=item.url),
            data={"url": item.url, "found": "still gone", "files": files_of(item)},
        )

    async def attach(
        self,
        evidence_id: str,
        filename: str,
        data: bytes,
        mime: str | None = None,
        intimate: bool = True,
    ) -> SaveResult:
        """Keep a file with an entry. Without ``mime``, the file's own bytes say what it is
        (a picture this app can read, or a plain file), and ``said`` what was found: a file
        named like a picture that is not one, and a photo's revealing hidden data."""
        said = _("Attached. Its SHA-256 fingerprint is recorded.")
        if mime is None and 0 < len(data) <= MAX_ATTACHMENT:  # (the others are refused below)
            mime, said = recognise(filename, data)
        att = self.new_file(filename, data, mime or "", intimate)
        if isinstance(att, SaveResult):
            return att
        blob_id = att.blob_id
        item = await self.get(evidence_id)
        if item is None:
            return SaveResult(False, {"file": _("This item no longer exists.")})
        # The bytes, the entry that points to them and the history entry: one transaction.
        await self.session.commit(
            [
                await self.session.vault.seal_row(T_FILE, blob_id, data),
                await self.session.row(T_EVIDENCE, item.id, item.with_attachment(att).to_dict()),
            ],
            events=(
                make_content(
                    "file.added",
                    f"File added to the evidence for {item.url}: {att.filename} "
                    f"({att.size:,} bytes)",
                    case=item.case_id,
                    record=item.id,
                    data={"url": item.url, **file_facts(att), "mime": att.mime},
                ),
            ),
        )
        return SaveResult(True, said=said)

    def new_file(
        self, filename: str, data: bytes, mime: str, intimate: bool = True
    ) -> Attachment | SaveResult:
        """A file about to be kept: its fingerprint, the time it is added, and its own date
        where it states one. A SaveResult saying why when it cannot be kept."""
        if not data:
            return SaveResult(False, {"file": _("The file is empty.")})
        if len(data) > MAX_ATTACHMENT:
            return SaveResult(
                False, {"file": _("The file is larger than 15 MB. Try a screenshot instead.")}
            )
        when, source = own_date(data, filename)
        try:
            return Attachment(
                new_id(),
                filename,
                mime or "application/octet-stream",
                len(data),
                hashlib.sha256(data).hexdigest(),
                self.session.clock(),
                intimate,
                own_date=when,
                own_date_from=source,
            )
        except DomainError as exc:
            return SaveResult(False, {"file": exc.sentence(_)})

    async def remove_file(self, evidence_id: str, blob_id: str) -> SaveResult:
        """Take one file out of an entry (the entry, its file and the history at once)."""
        item = await self.get(evidence_id)
        att = next((x for x in item.attachments if x.blob_id == blob_id), None) if item else None
        if item is None or att is None:
            return SaveResult(False, {"file": _("This file was already removed.")})
        kept = replace(item, attachments=tuple(x for x in item.attachments if x.blob_id != blob_id))
        text = Line(
            N_("File removed from the evidence for {url}: {filename} (SHA-256 {sha256})"),
            url=item.url,
            filename=att.filename,
            sha256=att.sha256,
        )
        return await self.session.save(
            T_EVIDENCE,
            kept.to_dict(),
            case=item.case_id,
            event="file.removed",
            text=text,
            data={"url": item.url, **file_facts(att)},
            deletes=(blob_id,),
        )

    async def remove(self, evidence_id: str) -> SaveResult:
        """Delete an entry logged by mistake, with its files. The timeline keeps a line, and the
        history the fingerprint of every file that went with it."""
        item = await self.get(evidence_id)
        if item is None:
            return SaveResult(False, {"url": _("This entry was already removed.")})
        text = Line(N_("Removed from the evidence log: {url}"), url=item.url)
        await self.session.commit(
            [await self.session.note_row(item.case_id, text)],
            deletes=(item.id, *(a.blob_id for a in item.attachments)),
            events=(
                make_content(
                    "evidence.removed",
                    text.text,
                    case=item.case_id,
                    record=item.id,
                    data={"url": item.url, "status": item.status, "files": files_of(item)},
                ),
            ),
        )
        return SaveResult(True)

    async def file_bytes(self, blob_id: str) -> bytes | None:
        return await self.session.file_bytes(blob_id)

    async def unlogged(self, case_id: str, urls: list[str]) -> list[str]:
        """URLs about to be reported that are not yet in the evidence log (evidence first)."""
        logged = {address_key(e.url) for e in await self.all(case_id)}
        out: list[str] = []
        for u in urls:
            if address_key(u) not in logged:
                logged.add(address_key(u))
                out.append(u)
        return out

    async def log_many(
        self, case_id: str, urls: list[str], platform: str, notes: str
    ) -> tuple[list[EvidenceItem], dict[str, str]]:
        """Log several addresses (each its own save): (those saved, address → why not)."""
        saved: list[EvidenceItem] = []
        refused: dict[str, str] = {}
        for u in urls:
            res, item = await self.log(case_id, u, platform, None, notes)
            if item is not None:
                saved.append(item)
            else:
                refused[u] = next(iter(res.errors.values()), _("It could not be saved."))
        return saved, refused

    async def follow_request(
        self, case_id: str, urls: tuple[str, ...], request_status: str, why: Line
    ) -> tuple[list[Row], list[dict[str, Any]]]:
        """The rows and history entries that move the addresses a request names along with
        it (sent: reported; removed: removed, with the 30-day look again; back: reappeared),
        for the same transaction as the request's own change. One rule, wherever a request is
        marked."""
        target = EVIDENCE_FOLLOWS_REQUEST.get(request_status)
        rows: list[Row] = []
        events: list[dict[str, Any]] = []
        if target is None:
            return rows, events
        named = {address_key(u) for u in urls}
        for e in await self.all(case_id):
            if address_key(e.url) in named and e.can_move_to(target):
                moved = e.moved_to(target, self.session.clock())
                rows.append(await self.session.row(T_EVIDENCE, e.id, moved.to_dict()))
                rows.append(await self.session.note_row(case_id, marked(e.url, target, why)))
                events.append(status_event(e, target, why))
        return rows, events
