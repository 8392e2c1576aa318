"""What the screens call: the one path from the UI to the vault and the documents.

Holds the unlocked vault for one session (one person, one device or browser tab). ``lock()``
drops the vault and every decrypted value it cached.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from .content import default_content
from .documents import notice_pdf, render_notice, validate_notice
from .documents.mailto import mailto_uri
from .documents.notice import RenderedNotice
from .documents.report import Progress, ReportData, report_pdf
from .domain import (
    Attachment,
    Case,
    CaseNumber,
    ChecklistProgress,
    DomainError,
    EvidenceItem,
    FollowUp,
    RemovalRequest,
    TimelineEntry,
    add_period,
    follow_ups,
    validate_url,
)
from .domain.content_types import Content
from .vault import (
    DEFAULT_KDF,
    Crypto,
    KdfParams,
    Storage,
    TamperedRecord,
    Vault,
    VaultError,
    VaultLocked,
    WrongPassphrase,
    in_browser,
    new_id,
    vault_exists,
)

Clock = Callable[[], datetime]


class MoveFailed(VaultError):
    user_message = (
        "Your records could not be moved to this browser's new storage, so they were left "
        "where they were, unchanged. Export an encrypted backup from Settings to keep a copy."
    )


# Record types in the vault.
T_CASE, T_EVIDENCE, T_REQUEST, T_TIMELINE = "case", "evidence", "request", "timeline"
# Attachments: "file" records hold the raw bytes; "blob" records (base64 in JSON) were written
# by earlier versions and are still read.
T_FILE, T_OLD_BLOB = "file", "blob"
T_SETTINGS, T_CHECKLIST, T_STEPS, T_PROFILE = (
    "settings",
    "checklist",
    "steps",
    "profile",
)
SINGLETON = {
    T_SETTINGS: "settings",
    T_CHECKLIST: "checklist",
    T_STEPS: "steps",
    T_PROFILE: "profile",
}

RECORD_TYPES = (T_CASE, T_EVIDENCE, T_REQUEST, T_TIMELINE, *SINGLETON)

MAX_ATTACHMENT = 15 * 1024 * 1024
MAX_BACKUP = 512 * 1024 * 1024


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Settings:
    auto_lock_minutes: int = 5
    country: str = ""
    current_case: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Settings:
        s = cls()
        for k, v in d.items():
            if hasattr(s, k) and isinstance(v, type(getattr(s, k))):
                setattr(s, k, v)
        s.auto_lock_minutes = max(1, min(s.auto_lock_minutes, 60))
        return s


@dataclass
class Throttle:
    """Repeated wrong passphrases slow down. Nothing is ever wiped."""

    failures: int = 0
    not_before: float = 0.0
    clock: Callable[[], float] = time.monotonic

    def wait_seconds(self) -> int:
        return max(0, int(self.not_before - self.clock() + 0.999))

    def failed(self) -> None:
        self.failures += 1
        if self.failures >= 3:
            self.not_before = self.clock() + min(2 ** (self.failures - 3), 60)

    def succeeded(self) -> None:
        self.failures, self.not_before = 0, 0.0


class TooManyAttempts(Exception):
    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(
            f"Please wait {seconds} second{'s' if seconds != 1 else ''} and try again."
        )


@dataclass
class Snapshot:
    cases: list[Case]
    case: Case
    evidence: list[EvidenceItem]
    requests: list[RemovalRequest]
    all_requests: list[RemovalRequest]
    timeline: list[TimelineEntry]
    followups: list[FollowUp]
    checklist: ChecklistProgress
    steps: ChecklistProgress
    settings: Settings
    profile: dict[str, str]
    damaged: int


@dataclass
class SaveResult:
    ok: bool
    errors: dict[str, str] = field(default_factory=dict)


class RecourseService:
    def __init__(
        self,
        storage: Storage,
        *,
        clock: Clock = utcnow,
        kdf: KdfParams = DEFAULT_KDF,
        content: Content | None = None,
        crypto: Crypto | None = None,
        legacy: Storage | None = None,
    ):
        self.storage = storage
        self.clock = clock
        self.kdf = kdf
        self.content = content or default_content()
        self.crypto = crypto
        # Where an earlier version kept the vault (the first web app: localStorage). A vault found
        # there is moved into ``storage`` at its first unlock.
        self.legacy = legacy
        self.throttle = Throttle()
        self._vault: Vault | None = None

    # ---- lock and unlock -----------------------------------------------------------------------
    async def has_vault(self) -> bool:
        return await vault_exists(self.storage) or await self._legacy_vault()

    async def _legacy_vault(self) -> bool:
        return self.legacy is not None and await vault_exists(self.legacy)

    @property
    def unlocked(self) -> bool:
        return self._vault is not None and not self._vault.locked

    async def create(self, passphrase: str) -> None:
        self._vault = await Vault.create(self.storage, passphrase, self.kdf, self.crypto)

    async def unlock(self, passphrase: str) -> None:
        wait = self.throttle.wait_seconds()
        if wait:
            raise TooManyAttempts(wait)
        try:
            if not await vault_exists(self.storage) and await self._legacy_vault():
                self._vault = await self._move_legacy(passphrase)
            else:
                self._vault = await Vault.unlock(self.storage, passphrase, self.crypto)
        except WrongPassphrase:
            self.throttle.failed()
            raise
        self.throttle.succeeded()

    async def _move_legacy(self, passphrase: str) -> Vault:
        """Open the old vault, copy its rows in one transaction, read them back and check every
        one (the same bytes, and each record still opens), and only then remove the old copy.
        Any difference leaves the old copy as it was."""
        assert self.legacy is not None
        old = await Vault.unlock(self.legacy, passphrase, self.crypto)  # WrongPassphrase
        header, rows = old.header_bytes, await self.legacy.rows()
        await self.storage.load_all(header, rows)
        moved = old.on(self.storage)
        copied = {rid: (tag, blob) for rid, tag, blob in await self.storage.rows()}
        same = await self.storage.get_meta() == header and all(
            copied.get(rid) == (tag, blob) for rid, tag, blob in rows
        )
        for rtype in RECORD_TYPES:
            listing = await moved.list(rtype)
            old_listing = await old.list(rtype)
            same &= len(listing.items) == len(old_listing.items)
        if not same:
            raise MoveFailed()
        await self.legacy.remove_vault()
        return moved

    async def space(self):
        """How much the browser lets the app keep and whether it may clear it (browser only)."""
        space = getattr(self.storage, "space", None)
        return await space() if space is not None else None

    def lock(self) -> None:
        if self._vault is not None:
            self._vault.lock()
        self._vault = None
        forget = getattr(self.storage, "forget", None)
        if forget is not None:
            forget()

    @property
    def vault(self) -> Vault:
        if self._vault is None or self._vault.locked:
            raise VaultLocked()
        return self._vault

    async def change_passphrase(self, old: str, new: str) -> None:
        await self.vault.change_passphrase(old, new)

    async def export_backup(self) -> bytes:
        return await self.vault.export_backup()

    async def import_backup(self, data: bytes, passphrase: str) -> None:
        self._vault = await Vault.import_backup(self.storage, data, passphrase, self.crypto)

    # ---- generic helpers -----------------------------------------------------------------------
    async def _all(self, rtype: str, factory: Callable[[dict[str, Any]], Any]) -> tuple[list, int]:
        listing = await self.vault.list(rtype)
        items, damaged = [], len(listing.damaged)
        for rid, d in listing.items:
            try:
                # The vault's record id is bound into the ciphertext: it is the entry's id.
                items.append(factory({**d, "id": rid}))
            except (DomainError, KeyError, TypeError, ValueError):
                damaged += 1
        return items, damaged

    async def _single(self, rtype: str) -> dict[str, Any]:
        try:
            return await self.vault.get(rtype, SINGLETON[rtype]) or {}
        except TamperedRecord:
            return {}

    # ---- settings, checklist, steps, profile ---------------------------------------------------
    async def settings(self) -> Settings:
        return Settings.from_dict(await self._single(T_SETTINGS))

    async def save_settings(self, s: Settings) -> None:
        await self.vault.put(T_SETTINGS, SINGLETON[T_SETTINGS], s.to_dict())

    async def checklist(self) -> ChecklistProgress:
        return ChecklistProgress.from_dict(await self._single(T_CHECKLIST))

    async def set_checklist(self, item_id: str, done: bool) -> ChecklistProgress:
        p = (await self.checklist()).toggled(item_id, done)
        await self.vault.put(T_CHECKLIST, SINGLETON[T_CHECKLIST], p.to_dict())
        return p

    async def steps(self) -> ChecklistProgress:
        return ChecklistProgress.from_dict(await self._single(T_STEPS))

    async def set_step(self, step_id: str, done: bool) -> ChecklistProgress:
        p = (await self.steps()).toggled(step_id, done)
        await self.vault.put(T_STEPS, SINGLETON[T_STEPS], p.to_dict())
        return p

    async def profile(self) -> dict[str, str]:
        """What the person entered once for notices (name, contact), reused as defaults."""
        return {k: v for k, v in (await self._single(T_PROFILE)).items() if isinstance(v, str)}

    async def save_profile(self, values: dict[str, object]) -> None:
        keep = ("full_name", "email", "phone", "postal_address", "jurisdiction")
        await self.vault.put(
            T_PROFILE, SINGLETON[T_PROFILE], {k: str(values.get(k) or "") for k in keep}
        )

    # ---- cases ---------------------------------------------------------------------------------
    async def cases(self) -> list[Case]:
        items, _ = await self._all(T_CASE, Case.from_dict)
        return sorted(items, key=lambda c: c.created_at)

    async def ensure_case(self) -> Case:
        """The person's first case, made on demand so every record has a home."""
        cases = await self.cases()
        if cases:
            return cases[0]
        case = Case(id=new_id(), title="My case", created_at=self.clock())
        await self.save_case(case)
        return case

    async def save_case(self, case: Case) -> None:
        await self.vault.put(T_CASE, case.id, case.to_dict())

    async def new_case(self, title: str, jurisdiction: str = "") -> tuple[SaveResult, Case | None]:
        """Start another case (another site, another person, another year) and make it current."""
        try:
            case = Case(new_id(), title, jurisdiction, created_at=self.clock())
        except DomainError as exc:
            return SaveResult(False, {exc.field: _sentence(exc)}), None
        await self.save_case(case)
        await self.add_timeline(case.id, f"Case started: {case.title}")
        await self.select_case(case.id)
        return SaveResult(True), case

    async def edit_case(self, case_id: str, title: str, jurisdiction: str = "") -> SaveResult:
        case = await self._case(case_id)
        try:
            edited = Case(case.id, title, jurisdiction, case.case_numbers, case.created_at)
        except DomainError as exc:
            return SaveResult(False, {exc.field: _sentence(exc)})
        await self.save_case(edited)
        return SaveResult(True)

    async def select_case(self, case_id: str) -> None:
        await self._case(case_id)  # refuses an unknown id
        s = await self.settings()
        s.current_case = case_id
        await self.save_settings(s)

    async def _case(self, case_id: str) -> Case:
        case = await self._one(T_CASE, case_id, Case.from_dict)
        if case is None:
            raise KeyError(f"no case {case_id!r}")
        return case

    async def _one(self, rtype: str, rid: str, factory: Callable[[dict[str, Any]], Any]) -> Any:
        """One record by id, or None when it is missing or damaged (one read, not a listing)."""
        try:
            d = await self.vault.get(rtype, rid)
            return factory({**d, "id": rid}) if d else None
        except (TamperedRecord, DomainError, KeyError, TypeError, ValueError):
            return None

    async def add_case_number(
        self,
        case_id: str,
        kind: str,
        organisation: str,
        number: str,
        date: str = "",
        contact: str = "",
    ) -> SaveResult:
        try:
            cn = CaseNumber(kind, organisation, number, date or None, contact)
        except DomainError as exc:
            return SaveResult(False, {exc.field: _sentence(exc)})
        case = await self._case(case_id)
        await self.save_case(case.with_number(cn))
        await self.add_timeline(
            case_id, f"Case number added: {cn.number} ({cn.organisation or cn.kind})"
        )
        return SaveResult(True)

    # ---- timeline ------------------------------------------------------------------------------
    async def timeline(self, case_id: str | None = None) -> list[TimelineEntry]:
        items, _ = await self._all(T_TIMELINE, TimelineEntry.from_dict)
        return sorted((t for t in items if case_id in (None, t.case_id)), key=lambda t: t.when)

    async def add_timeline(
        self, case_id: str, text: str, when: datetime | None = None
    ) -> SaveResult:
        try:
            t = TimelineEntry(new_id(), case_id, when or self.clock(), text)
        except DomainError as exc:
            return SaveResult(False, {exc.field: _sentence(exc)})
        await self.vault.put(T_TIMELINE, t.id, t.to_dict())
        return SaveResult(True)

    # ---- evidence ------------------------------------------------------------------------------
    async def evidence(self, case_id: str | None = None) -> list[EvidenceItem]:
        items, _ = await self._all(T_EVIDENCE, EvidenceItem.from_dict)
        return sorted((e for e in items if case_id in (None, e.case_id)), key=lambda e: e.found_at)

    async def log_evidence(
        self, case_id: str, url: str, platform: str, found_at: object, notes: str = ""
    ) -> tuple[SaveResult, EvidenceItem | None]:
        """Log a URL. Every field's problem is reported at once, each next to its field."""
        now = self.clock()
        checks = {
            "url": lambda: validate_url(url),
            "found_at": lambda: EvidenceItem.new(
                id="check",
                case_id=case_id,
                url="https://example.org/",
                platform="",
                found_at=found_at or now,
                now=now,
            ),
            "platform": lambda: EvidenceItem.new(
                id="check",
                case_id=case_id,
                url="https://example.org/",
                platform=platform,
                found_at=now,
                notes=notes,
                now=now,
            ),
        }
        errors: dict[str, str] = {}
        for fld, check in checks.items():
            try:
                check()
            except DomainError as exc:
                errors.setdefault(exc.field if exc.field != "url" else fld, _sentence(exc))
        if errors:
            return SaveResult(False, errors), None
        item = EvidenceItem.new(
            id=new_id(),
            case_id=case_id,
            url=url,
            platform=platform,
            found_at=found_at or now,
            notes=notes,
            now=now,
        )
        await self.vault.put(T_EVIDENCE, item.id, item.to_dict())
        return SaveResult(True), item

    async def save_evidence(self, item: EvidenceItem) -> None:
        await self.vault.put(T_EVIDENCE, item.id, item.to_dict())

    async def set_evidence_status(self, evidence_id: str, status: str) -> SaveResult:
        item = await self._one(T_EVIDENCE, evidence_id, EvidenceItem.from_dict)
        if item is None:
            return SaveResult(False, {"status": "This item no longer exists."})
        try:
            moved = item.moved_to(status)
        except DomainError as exc:
            return SaveResult(False, {exc.field: _sentence(exc)})
        await self.save_evidence(moved)
        await self.add_timeline(item.case_id, f"{item.url}: marked {status}")
        return SaveResult(True)

    async def attach(
        self, evidence_id: str, filename: str, data: bytes, mime: str, intimate: bool = True
    ) -> SaveResult:
        if not data:
            return SaveResult(False, {"file": "The file is empty."})
        if len(data) > MAX_ATTACHMENT:
            return SaveResult(
                False, {"file": "The file is larger than 15 MB. Try a screenshot instead."}
            )
        item = await self._one(T_EVIDENCE, evidence_id, EvidenceItem.from_dict)
        if item is None:
            return SaveResult(False, {"file": "This item no longer exists."})
        blob_id = new_id()
        att = Attachment(
            blob_id,
            filename,
            mime or "application/octet-stream",
            len(data),
            hashlib.sha256(data).hexdigest(),
            self.clock(),
            intimate,
        )
        # The bytes first, then the record that points to them: a crash in between leaves an
        # orphan blob, never a record pointing at nothing.
        await self.vault.put_bytes(T_FILE, blob_id, data)
        await self.save_evidence(item.with_attachment(att))
        return SaveResult(True)

    async def remove_attachment(self, evidence_id: str, blob_id: str) -> SaveResult:
        """Take one file out of an entry. The entry is saved first, then the bytes deleted: a
        crash in between leaves an orphan blob, never an entry pointing at nothing."""
        item = await self._one(T_EVIDENCE, evidence_id, EvidenceItem.from_dict)
        att = next((x for x in item.attachments if x.blob_id == blob_id), None) if item else None
        if item is None or att is None:
            return SaveResult(False, {"file": "This file was already removed."})
        kept = tuple(x for x in item.attachments if x.blob_id != blob_id)
        await self.save_evidence(replace(item, attachments=kept))
        await self.vault.delete(blob_id)
        await self.add_timeline(
            item.case_id,
            f"File removed from the evidence for {item.url}: {att.filename} (SHA-256 {att.sha256})",
        )
        return SaveResult(True)

    async def remove_evidence(self, evidence_id: str) -> SaveResult:
        """Delete an entry logged by mistake, with its files. The timeline keeps a line."""
        item = await self._one(T_EVIDENCE, evidence_id, EvidenceItem.from_dict)
        if item is None:
            return SaveResult(False, {"url": "This entry was already removed."})
        await self.vault.delete(item.id)
        for att in item.attachments:
            await self.vault.delete(att.blob_id)
        await self.add_timeline(item.case_id, f"Removed from the evidence log: {item.url}")
        return SaveResult(True)

    async def attachment_bytes(self, blob_id: str) -> bytes | None:
        data = await self.vault.get_bytes(T_FILE, blob_id)
        if data is None:
            old = await self.vault.get(T_OLD_BLOB, blob_id)
            data = base64.b64decode(old["b64"]) if old else None
        return data

    # ---- requests ------------------------------------------------------------------------------
    async def requests(self, case_id: str | None = None) -> list[RemovalRequest]:
        items, _ = await self._all(T_REQUEST, RemovalRequest.from_dict)
        return sorted((r for r in items if case_id in (None, r.case_id)), key=lambda r: r.sent_at)

    def check_notice(self, kind: str, values: dict[str, object]) -> dict[str, str]:
        return validate_notice(self.content.notice(kind), self.content.fields, values, self.clock())

    def render(self, kind: str, values: dict[str, object]) -> RenderedNotice:
        return render_notice(self.content.notice(kind), self.content.fields, values, self.clock())

    def notice_mailto(self, notice: RenderedNotice) -> str:
        return mailto_uri(notice.recipient_email, notice.subject, notice.body)

    def notice_pdf(self, notice: RenderedNotice) -> bytes:
        return notice_pdf(notice, self.clock())

    async def mark_sent(
        self, case_id: str, notice: RenderedNotice, ticket: str = ""
    ) -> RemovalRequest:
        sent_at = self.clock()
        template = self.content.notice(notice.kind)
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
        await self.vault.put(T_REQUEST, r.id, r.to_dict())
        for e in await self.evidence(case_id):
            if e.url in r.urls and e.status in ("found", "reappeared"):
                await self.save_evidence(e.moved_to("reported"))
        await self.add_timeline(case_id, f"{notice.title} sent to {r.recipient}")
        return r

    async def update_request(
        self, request_id: str, status: str, ticket: str | None = None, notes: str | None = None
    ) -> SaveResult:
        r = next((x for x in await self.requests() if x.id == request_id), None)
        if r is None:
            return SaveResult(False, {"status": "This request no longer exists."})
        try:
            r = r.with_status(status, ticket)
            if notes is not None:
                r = replace(r, notes=notes)
                RemovalRequest.from_dict(r.to_dict())  # validates
        except DomainError as exc:
            return SaveResult(False, {exc.field: _sentence(exc)})
        await self.vault.put(T_REQUEST, r.id, r.to_dict())
        return SaveResult(True)

    async def unlogged_urls(self, case_id: str, urls: list[str]) -> list[str]:
        """URLs about to be reported that are not yet in the evidence log (evidence first)."""
        logged = {e.url for e in await self.evidence(case_id)}
        return [u for u in urls if u not in logged]

    # ---- everything a screen shows, in one pass -------------------------------------------------
    async def snapshot(self) -> Snapshot:
        """The open vault as the screens see it: the current case's records, and follow-ups
        and the checklist across everything. Each record type is decrypted once, and the reads
        run at once (in the browser each is a round trip to IndexedDB and WebCrypto)."""
        (
            cases,
            settings,
            (evidence, damaged_e),
            (requests, damaged_r),
            (timeline, damaged_t),
            checklist,
            steps,
            profile,
        ) = await asyncio.gather(
            self.cases(),
            self.settings(),
            self._all(T_EVIDENCE, EvidenceItem.from_dict),
            self._all(T_REQUEST, RemovalRequest.from_dict),
            self._all(T_TIMELINE, TimelineEntry.from_dict),
            self.checklist(),
            self.steps(),
            self.profile(),
        )
        cases = cases or [await self.ensure_case()]
        current = next((c for c in cases if c.id == settings.current_case), cases[0])
        evidence.sort(key=lambda e: e.found_at)
        requests.sort(key=lambda r: r.sent_at)
        timeline.sort(key=lambda t: t.when)
        return Snapshot(
            cases=cases,
            case=current,
            evidence=[e for e in evidence if e.case_id == current.id],
            requests=[r for r in requests if r.case_id == current.id],
            all_requests=requests,
            timeline=[t for t in timeline if t.case_id == current.id],
            followups=follow_ups(requests, evidence, self.clock()),
            checklist=checklist,
            steps=steps,
            settings=settings,
            profile=profile,
            damaged=damaged_e + damaged_r + damaged_t,
        )

    # ---- follow-ups, search, report -------------------------------------------------------------
    async def follow_ups(self) -> list[FollowUp]:
        return follow_ups(await self.requests(), await self.evidence(), self.clock())

    async def search(self, query: str) -> list[tuple[str, str]]:
        """(where, text) pairs across cases, evidence, requests and the timeline."""
        q = query.strip().casefold()
        if not q:
            return []
        hits: list[tuple[str, str]] = []
        for c in await self.cases():
            for n in c.case_numbers:
                if q in f"{n.number} {n.organisation} {n.contact}".casefold():
                    hits.append(("Case number", f"{n.number} — {n.organisation}"))
            if q in c.title.casefold():
                hits.append(("Case", c.title))
        for e in await self.evidence():
            if q in f"{e.url} {e.platform} {e.notes}".casefold():
                hits.append(("Evidence", e.url))
        for r in await self.requests():
            if q in f"{r.recipient} {r.ticket_number} {' '.join(r.urls)} {r.notes}".casefold():
                hits.append(("Request", f"{r.recipient} ({r.status})"))
        for t in await self.timeline():
            if q in t.text.casefold():
                hits.append(("Timeline", t.text))
        return hits

    async def report(
        self, case_id: str, include_images: bool = False, progress: Progress | None = None
    ) -> bytes:
        case = await self._case(case_id)
        evidence = await self.evidence(case_id)
        images: dict[str, bytes] = {}
        if include_images:
            for e in evidence:
                for a in e.attachments:
                    data = await self.attachment_bytes(a.blob_id)
                    if data is not None:
                        images[a.blob_id] = await _printable(data)
        data = ReportData(
            case=case,
            evidence=tuple(evidence),
            requests=tuple(await self.requests(case_id)),
            timeline=tuple(await self.timeline(case_id)),
            images=images,
            notice_titles={n.id: n.title for n in self.content.notices},
        )
        return report_pdf(data, self.clock(), progress)


async def _printable(picture: bytes) -> bytes:
    """Inside the browser a PDF can hold JPEG only (no image library there): other pictures are
    converted by the browser itself. Natively fpdf2 reads every format."""
    if in_browser() and not picture.startswith(b"\xff\xd8"):
        from .images_browser import to_jpeg

        return await to_jpeg(picture) or picture
    return picture


def _sentence(exc: DomainError) -> str:
    m = exc.message
    return m[:1].upper() + m[1:]
