"""The unlocked vault: typed JSON records sealed one by one, over any storage adapter."""

from __future__ import annotations

import asyncio
import base64
import hmac
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from .envelope import (
    DEFAULT_KDF,
    FORMAT_VERSION,
    Header,
    KdfParams,
    RecordKeys,
    new_header,
    unwrap_data_key,
    wrap_data_key,
)
from .errors import (
    BackupRejected,
    CorruptVault,
    NoVault,
    TamperedRecord,
    UnsupportedVersion,
    VaultError,
    VaultExists,
    VaultLocked,
    WrongPassphrase,
)
from .storage import Row, Storage

BACKUP_MAGIC = b"RECOURSE-BACKUP v1\n"


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass
class Listing:
    """Records of one type that opened, and the ids of any that were damaged."""

    items: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    damaged: list[TamperedRecord] = field(default_factory=list)


async def vault_exists(storage: Storage) -> bool:
    return await storage.get_meta() is not None


class Vault:
    """Create or unlock with a passphrase; ``lock()`` drops every key and decrypted value."""

    def __init__(self, storage: Storage, header: Header, data_key: bytes):
        self._storage = storage
        self._header = header
        self._keys: RecordKeys | None = RecordKeys(data_key)

    # ---- lifecycle -------------------------------------------------------------------------
    @classmethod
    async def create(
        cls, storage: Storage, passphrase: str, params: KdfParams = DEFAULT_KDF
    ) -> Vault:
        if await vault_exists(storage):
            raise VaultExists()
        if not passphrase:
            raise VaultError("Choose a passphrase first.")
        # The KDF runs off the event loop, so the screen stays alive (and other sessions too).
        header, data_key = await asyncio.to_thread(new_header, passphrase, params)
        await storage.put_meta(header.encode())
        return cls(storage, header, data_key)

    @classmethod
    async def unlock(cls, storage: Storage, passphrase: str) -> Vault:
        raw = await storage.get_meta()
        if raw is None:
            raise NoVault()
        header = Header.decode(raw)
        data_key = await asyncio.to_thread(unwrap_data_key, header, passphrase)
        return cls(storage, header, data_key)

    @property
    def locked(self) -> bool:
        return self._keys is None

    @property
    def kdf(self) -> KdfParams:
        return self._header.kdf

    def lock(self) -> None:
        self._keys = None

    def _k(self) -> RecordKeys:
        if self._keys is None:
            raise VaultLocked()
        return self._keys

    async def change_passphrase(self, old: str, new: str, params: KdfParams | None = None) -> None:
        """Re-wrap only the data key; no record is re-encrypted."""
        self._k()
        if not new:
            raise VaultError("Choose a new passphrase first.")
        data_key = await asyncio.to_thread(unwrap_data_key, self._header, old)  # WrongPassphrase
        header = await asyncio.to_thread(wrap_data_key, data_key, new, params or self._header.kdf)
        await self._storage.put_meta(header.encode())
        self._header = header

    # ---- records ---------------------------------------------------------------------------
    async def put(self, record_type: str, record_id: str, value: dict[str, Any]) -> None:
        keys = self._k()
        plaintext = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        blob = keys.seal(record_type, record_id, plaintext)
        await self._storage.put(record_id, keys.type_tag(record_type), blob)

    async def get(self, record_type: str, record_id: str) -> dict[str, Any] | None:
        keys = self._k()
        row = await self._storage.get(record_id)
        if row is None:
            return None
        tag, blob = row
        if tag != keys.type_tag(record_type):
            return None
        return self._decode(record_id, keys.open(record_type, record_id, blob))

    @staticmethod
    def _decode(record_id: str, plaintext: bytes) -> dict[str, Any]:
        try:
            value = json.loads(plaintext)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise TamperedRecord(record_id) from None
        if not isinstance(value, dict):
            raise TamperedRecord(record_id)
        return value

    async def delete(self, record_id: str) -> None:
        self._k()
        await self._storage.delete(record_id)

    async def list(self, record_type: str) -> Listing:
        keys = self._k()
        tag = keys.type_tag(record_type)
        out = Listing()
        for rid, row_tag, blob in await self._storage.rows():
            if row_tag != tag:
                continue
            try:
                out.items.append((rid, self._decode(rid, keys.open(record_type, rid, blob))))
            except TamperedRecord as exc:
                out.damaged.append(exc)
        return out

    # ---- backup ----------------------------------------------------------------------------
    async def export_backup(self) -> bytes:
        """The whole vault (still encrypted) in one file, with a MAC over all of it."""
        keys = self._k()
        rows = sorted(await self._storage.rows())
        body = json.dumps(
            {
                "version": FORMAT_VERSION,
                "header": base64.b64encode(self._header.encode()).decode(),
                "records": [[rid, tag, base64.b64encode(b).decode()] for rid, tag, b in rows],
            },
            separators=(",", ":"),
        ).encode()
        mac = keys.backup_mac(body)
        return BACKUP_MAGIC + base64.b64encode(mac) + b"\n" + body

    @staticmethod
    async def import_backup(storage: Storage, data: bytes, passphrase: str) -> Vault:
        """Check everything first; write only if all of it verifies. Refuses to overwrite."""
        if await vault_exists(storage):
            raise VaultExists(
                "This device already has a vault. A backup can only be imported on a device "
                "(or browser) that has none."
            )
        header, rows, data_key = await asyncio.to_thread(_verify_backup, data, passphrase)
        await storage.load_all(header.encode(), rows)
        return Vault(storage, header, data_key)  # the key is already verified: no second KDF


def _verify_backup(data: bytes, passphrase: str) -> tuple[Header, list[Row], bytes]:
    if not data.startswith(BACKUP_MAGIC):
        raise BackupRejected("This file is not a Recourse backup. Nothing was changed.")
    try:
        mac_line, body = data[len(BACKUP_MAGIC) :].split(b"\n", 1)
        mac = base64.b64decode(mac_line, validate=True)
        doc = json.loads(body)
        header = Header.decode(base64.b64decode(doc["header"], validate=True))
        rows = [(str(r), str(t), base64.b64decode(b, validate=True)) for r, t, b in doc["records"]]
    except UnsupportedVersion:
        raise
    except (ValueError, KeyError, TypeError, CorruptVault) as exc:
        raise BackupRejected() from exc
    try:
        data_key = unwrap_data_key(header, passphrase)
    except WrongPassphrase:
        raise BackupRejected() from None
    if not hmac.compare_digest(mac, RecordKeys(data_key).backup_mac(body)):
        raise BackupRejected()
    return header, rows, data_key
