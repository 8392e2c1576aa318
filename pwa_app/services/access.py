"""The open vault's records, as every use case reads and seals them: a listing of one type, one
record, the single records (settings, the history's head ...), a kept file's bytes, and rows
sealed for a commit. ``Session`` is a ``Records`` that also locks, unlocks and commits; the
history and the integrity check depend on this alone."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

from ..domain import CHANGED, Attachment, DomainError, Line, TimelineEntry
from ..domain.content_types import Content
from ..vault import Storage, TamperedRecord, Vault, VaultLocked, new_id
from ..vault.storage import Row
from .records import T_FILE, T_OLD_BLOB, T_TIMELINE

Clock = Callable[[], datetime]
# Files read back together: at most this many, or about this many bytes (a phone's memory).
READ_BATCH_FILES, READ_BATCH_BYTES = 32, 8 * 1024 * 1024


class Records:
    def __init__(self, storage: Storage, clock: Clock, content: Callable[[], Content]):
        """``content``: what gives content/ when it is first needed (reading and checking all
        of it is most of the app's own start natively; the lock screen needs none of it)."""
        self.storage = storage
        self.clock = clock
        self._content = content
        self._vault: Vault | None = None

    @property
    def content(self) -> Content:
        return self._content()

    @property
    def vault(self) -> Vault:
        if self._vault is None or self._vault.locked:
            raise VaultLocked()
        return self._vault

    # ---- reading records -----------------------------------------------------------------------
    async def all(self, rtype: str, factory: Callable[[dict[str, Any]], Any]) -> tuple[list, int]:
        """Every record of a type that opens and parses, and how many did not."""
        listing = await self.vault.list(rtype)
        items, damaged = [], len(listing.damaged)
        for rid, d in listing.items:
            try:
                # The vault's record id is bound into the ciphertext: it is the entry's id.
                items.append(factory({**d, "id": rid}))
            except (DomainError, KeyError, TypeError, ValueError):
                damaged += 1
        return items, damaged

    async def one(self, rtype: str, rid: str, factory: Callable[[dict[str, Any]], Any]) -> Any:
        """One record by id, or None when it is missing or damaged (one read, not a listing)."""
        try:
            d = await self.vault.get(rtype, rid)
            return factory({**d, "id": rid}) if d else None
        except (TamperedRecord, DomainError, KeyError, TypeError, ValueError):
            return None

    async def single(self, rtype: str) -> dict[str, Any]:
        try:
            return await self.vault.get(rtype, await self.single_id(rtype)) or {}
        except TamperedRecord:
            return {}

    async def put_single(self, rtype: str, value: dict[str, Any]) -> None:
        await self.vault.put(rtype, await self.single_id(rtype), value)

    async def single_id(self, rtype: str) -> str:
        """The id of the one record of this type (settings, the history's head ...): derived from
        the key, so that storage names none of them."""
        return await self.vault.derived_id(rtype)

    async def file_bytes(self, blob_id: str) -> bytes | None:
        """An attached file's bytes, as they were added."""
        data = await self.vault.get_bytes(T_FILE, blob_id)
        if data is None:
            old = await self.vault.get(T_OLD_BLOB, blob_id)
            data = base64.b64decode(old["b64"]) if old else None
        return data

    async def read_back(self, a: Attachment) -> bytes | str:
        """A kept file's bytes if they are the ones it had when it was added; else why not:
        NOT_FOUND or CHANGED (stored, but it does not open or its SHA-256 differs)."""
        try:
            return a.as_added(await self.file_bytes(a.blob_id))
        except TamperedRecord:
            return CHANGED

    async def read_back_all(
        self, attachments: list[Attachment]
    ) -> AsyncIterator[tuple[Attachment, bytes | str]]:
        """``read_back`` of each file, in order, read a few at a time: each batch in one read of
        storage and opened side by side (one by one, a browser took about 20 ms a file: 50
        files, a second), and never more than about READ_BATCH_BYTES of them in memory."""
        batch: list[Attachment] = []
        size = 0
        for n, a in enumerate(attachments):
            batch.append(a)
            size += max(a.size, 0)
            last = n == len(attachments) - 1
            if not last and size < READ_BATCH_BYTES and len(batch) < READ_BATCH_FILES:
                continue
            opened = await self.vault.get_many_bytes(T_FILE, [x.blob_id for x in batch])
            for x in batch:
                got = opened.get(x.blob_id)
                if isinstance(got, TamperedRecord):
                    yield x, CHANGED
                elif got is None:  # not a file record: one kept by an earlier version, or none
                    yield x, await self.read_back(x)
                else:
                    yield x, x.as_added(got)
            batch, size = [], 0

    async def row(self, rtype: str, rid: str, value: dict[str, Any]) -> Row:
        """A record sealed for ``commit``."""
        return await self.vault.seal_row(rtype, rid, Vault.encode(value))

    async def note_row(self, case_id: str, line: Line) -> Row:
        """A line the app writes in a case's timeline, sealed for ``commit``: its English, and
        its template and values, for the screens to say in the person's language."""
        t = TimelineEntry(new_id(), case_id, self.clock(), line.text, line)
        return await self.row(T_TIMELINE, t.id, t.to_dict())
