"""Shared into the app (Android's share sheet, through the installed web app's share target).

The service worker seals each share to the inbox's public key the moment it arrives (see
vault/inbox.py); here, with the vault open, each is opened and moved into the vault, then its
sealed copy deleted. A share that names a web address becomes an evidence entry at once, with
the time it was received; one that names none (a screenshot from the gallery) keeps its files in
the vault and waits in the evidence log until the person says where it was found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from ..domain import DomainError, EvidenceItem, SharedItem, capitalised, validate_url
from ..domain.chain import make_content
from ..domain.model import MAX_SHORT, MAX_TEXT
from ..i18n import _
from ..vault import new_id
from ..vault.inbox import (
    BASE_POINT,
    InboxStore,
    Opened,
    SealedUnreadable,
    new_keypair,
    open_sealed,
    x25519,
)
from .evidence import Evidence, file_facts
from .records import T_EVIDENCE, T_FILE, T_INBOX_KEY, T_SHARED
from .session import SaveResult, Session

_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Received:
    """What unlocking found in the inbox."""

    logged: int = 0  # became evidence entries (they named a web address)
    waiting: int = 0  # kept, waiting for the person to say where they were found
    unreadable: int = 0  # did not open with this vault's key: left as they are
    too_large: tuple[str, ...] = ()  # files not kept (over the limit), by name

    @property
    def any(self) -> bool:
        return bool(self.logged or self.waiting or self.unreadable or self.too_large)

    def sentence(self) -> str:
        said = []
        if self.logged:
            said.append(f"{self.logged} shared into Recourse added to your evidence log")
        if self.waiting:
            said.append(
                f"{self.waiting} shared into Recourse kept in your evidence log, waiting for "
                "the web address where you found it"
            )
        if self.too_large:
            said.append(
                f"not kept, larger than 15 MB: {', '.join(self.too_large)} (attach a "
                "screenshot instead)"
            )
        if self.unreadable:
            said.append(
                f"{self.unreadable} shared item(s) did not open with this vault's key and were "
                "left as they are"
            )
        text = "; ".join(said)
        return capitalised(text) + "."


def _address(opened: Opened) -> str:
    """The web address a share names (its URL, or the first one in its text), if valid."""
    for candidate in (opened.url, *(_URL.findall(opened.text))):
        try:
            return validate_url(candidate.strip().rstrip(").,;"))
        except DomainError:
            continue
    return ""


def _notes(title: str, text: str) -> str:
    return "\n".join(x for x in ("Shared into Recourse.", title, text) if x)[:MAX_TEXT]


def _logged(item: EvidenceItem, files, facts: dict) -> tuple[dict, ...]:
    """The history of a share become an entry: the entry, then each file, as the evidence log
    writes them (so a pack's check finds every file in the history)."""
    return (
        make_content(
            "evidence.logged",
            f"Evidence logged from something shared into Recourse: {item.url}",
            case=item.case_id,
            record=item.id,
            data={"url": item.url, "found_at": item.found_at.isoformat(), **facts},
        ),
        *(
            make_content(
                "file.added",
                f"File added to the evidence for {item.url}: {a.filename} ({a.size:,} bytes)",
                case=item.case_id,
                record=item.id,
                data={"url": item.url, **file_facts(a), "mime": a.mime},
            )
            for a in files
        ),
    )


class Inbox:
    def __init__(self, session: Session, evidence: Evidence, store: InboxStore | None):
        self.session = session
        self.evidence = evidence
        self.store = store

    async def _private(self) -> bytes | None:
        key = (await self.session.single(T_INBOX_KEY)).get("private", "")
        return bytes.fromhex(key) if key else None

    async def ready(self) -> None:
        """With the vault open: the inbox has its key pair (the private half in the vault), and
        the public half is beside the vault for the service worker to seal to."""
        if self.store is None:
            return
        private = await self._private()
        if private is None:
            private, _public = new_keypair()
            await self.session.put_single(T_INBOX_KEY, {"private": private.hex()})
        await self.store.publish(x25519(private, BASE_POINT))

    async def receive(self, case_id: str) -> Received:
        """Move every waiting share into the vault (into case ``case_id``)."""
        private = await self._private() if self.store is not None else None
        if private is None:
            return Received()
        logged = waiting = unreadable = 0
        too_large: list[str] = []
        for key, sealed in await self.store.items():
            try:
                opened = await open_sealed(self.session.vault.crypto, private, sealed)
            except SealedUnreadable:
                unreadable += 1
                continue
            too_large += [f"{s.get('name', 'file')}" for s in opened.skipped]
            if await self._keep(case_id, opened):
                logged += 1
            else:
                waiting += 1
            await self.store.delete(key)  # only once it is in the vault
        return Received(logged, waiting, unreadable, tuple(too_large))

    async def _keep(self, case_id: str, opened: Opened) -> bool:
        """One share into the vault, in one transaction; True when it became an entry."""
        received = datetime.fromisoformat(opened.received.replace("Z", "+00:00"))
        files, rows = [], []
        for f in opened.files:
            att = self.evidence.new_file(f.name, f.data, f.mime)
            if isinstance(att, SaveResult):  # empty: nothing to keep
                continue
            files.append(replace(att, captured_at=received))
            rows.append(await self.session.vault.seal_row(T_FILE, att.blob_id, f.data))
        url = _address(opened)
        if url:
            now = self.session.clock()
            item = EvidenceItem.new(
                id=new_id(),
                case_id=case_id,
                url=url,
                platform="",
                found_at=min(received, now),
                notes=_notes(opened.title, opened.text),
                now=now,
            )
            for att in files:
                item = item.with_attachment(att)
            rows.append(await self.session.row(T_EVIDENCE, item.id, item.to_dict()))
            events = _logged(item, files, {"received": opened.received})
        else:
            shared = SharedItem(
                new_id(),
                received,
                tuple(files),
                title=opened.title[:MAX_SHORT],
                text=opened.text[:MAX_TEXT],
                skipped=tuple(str(s.get("name", "file")) for s in opened.skipped),
            )
            rows.append(await self.session.row(T_SHARED, shared.id, shared.to_dict()))
            names = ", ".join(a.filename for a in files) or "text"
            events = (
                make_content(
                    "shared.received",
                    f"Shared into Recourse, waiting for its web address: {names}",
                    case=case_id,
                    record=shared.id,
                    data={"received": opened.received, "files": [file_facts(a) for a in files]},
                ),
            )
        await self.session.commit(rows, events=events)
        return bool(url)

    async def waiting(self) -> list[SharedItem]:
        items, _ = await self.session.all(T_SHARED, SharedItem.from_dict)
        return sorted(items, key=lambda x: x.received_at)

    async def file_under(
        self, shared_id: str, case_id: str, url: str, platform: str = ""
    ) -> SaveResult:
        """A waiting share becomes an evidence entry: found when it was received, its files
        attached as they arrived."""
        shared = await self.session.one(T_SHARED, shared_id, SharedItem.from_dict)
        if shared is None:
            return SaveResult(False, {"url": _("This shared item is no longer waiting.")})
        now = self.session.clock()
        try:
            item = EvidenceItem.new(
                id=new_id(),
                case_id=case_id,
                url=url,
                platform=platform,
                found_at=min(shared.received_at, now),
                notes=_notes(shared.title, shared.text),
                now=now,
            )
        except DomainError as exc:
            return SaveResult(False, {exc.field: exc.sentence(_)})
        for att in shared.files:
            item = item.with_attachment(att)
        await self.session.commit(
            [await self.session.row(T_EVIDENCE, item.id, item.to_dict())],
            deletes=(shared_id,),
            events=_logged(item, shared.files, {"shared": shared_id}),
        )
        return SaveResult(True)

    async def discard(self, shared_id: str, case_id: str) -> SaveResult:
        """Remove a waiting share and its files (after the person confirmed)."""
        shared = await self.session.one(T_SHARED, shared_id, SharedItem.from_dict)
        if shared is None:
            return SaveResult(True)
        await self.session.commit(
            [],
            deletes=(shared_id, *(a.blob_id for a in shared.files)),
            events=(
                make_content(
                    "shared.removed",
                    "A shared item was removed before it was logged: "
                    + (", ".join(a.filename for a in shared.files) or "text"),
                    case=case_id,
                    record=shared_id,
                    data={"files": [file_facts(a) for a in shared.files]},
                ),
            ),
        )
        return SaveResult(True)
