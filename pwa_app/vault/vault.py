"""The unlocked vault: typed records sealed one by one, over any storage adapter and crypto port.

A record's plaintext is JSON (``put``/``get``/``list``) or raw bytes (``put_bytes``/``get_bytes``,
for attachments: no base64, no JSON pass). Both use the same v1 envelope.
"""

from __future__ import annotations

import asyncio
import base64
import hmac
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..i18n import _
from .adapters import default_crypto
from .crypto import DEFAULT_KDF, Crypto, KdfParams
from .envelope import (
    FORMAT_VERSION,
    Header,
    RecordKeys,
    new_header,
    unwrap_data_key,
)
from .errors import (
    BackupRejected,
    CorruptVault,
    KeyChanged,
    NoVault,
    TamperedRecord,
    UnsupportedVersion,
    VaultError,
    VaultExists,
    VaultLocked,
    WriteConflict,
    WrongPassphrase,
)
from .index import (
    BUCKETS,
    INDEX_TYPE,
    Difference,
    IndexRoot,
    RecordIndex,
    bucket_name,
    bucket_of,
    compare,
)
from .storage import Expect, Row, Storage

BACKUP_MAGIC = b"RECOURSE-BACKUP v1\n"
_MAC_B64 = 44  # an HMAC-SHA256 in base64
# Records opened in one go (``open_many``: in the browser, one call into WebCrypto for them all).
OPEN_BATCH = 256
TRIES = 8  # saves that found the index changed by another window, before giving up
Progress = Callable[[int, int], Any]  # (records done, of how many)


@dataclass(frozen=True)
class IndexCheck:
    """How the records in storage compare with the index the app keeps of them."""

    state: str  # "ok", "none" (this vault has no index yet) or "damaged" (it does not open)
    differences: tuple[Difference, ...] = ()

    @property
    def ok(self) -> bool:
        return self.state == "ok" and not self.differences


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

    def __init__(self, storage: Storage, header: Header, keys: RecordKeys, crypto: Crypto):
        self._storage = storage
        self._header = header
        self._crypto = crypto
        self._keys: RecordKeys | None = keys

    @property
    def crypto(self) -> Crypto:
        """The crypto adapter this vault uses (for what is sealed beside it: the inbox)."""
        return self._crypto

    # ---- lifecycle -------------------------------------------------------------------------
    @classmethod
    async def create(
        cls,
        storage: Storage,
        passphrase: str,
        params: KdfParams = DEFAULT_KDF,
        crypto: Crypto | None = None,
    ) -> Vault:
        crypto = crypto or default_crypto()
        if await vault_exists(storage):
            raise VaultExists()
        if not passphrase:
            raise VaultError(_("Choose a passphrase first."))
        header, data_key = await new_header(crypto, passphrase, params)
        keys = await RecordKeys.derive(crypto, data_key)
        vault = cls(storage, header, keys, crypto)
        # The header last: until it is there, there is no vault (a crash leaves none).
        await storage.load_all(header.encode(), await vault._whole_index(RecordIndex()))
        return vault

    @classmethod
    async def unlock(
        cls,
        storage: Storage,
        passphrase: str,
        crypto: Crypto | None = None,
        raw: bytes | None = None,
    ) -> Vault:
        """``raw``: the header, when the caller has just read it from ``storage``."""
        crypto = crypto or default_crypto()
        if raw is None:
            raw = await storage.get_meta()
        if raw is None:
            raise NoVault()
        header = Header.decode(raw)
        data_key = await unwrap_data_key(crypto, header, passphrase)
        return cls(storage, header, await RecordKeys.derive(crypto, data_key), crypto)

    @property
    def locked(self) -> bool:
        return self._keys is None

    @property
    def kdf(self) -> KdfParams:
        return self._header.kdf

    @property
    def storage(self) -> Storage:
        return self._storage

    def lock(self) -> None:
        """Drop every reference to the keys (the index ids' cache holds one too)."""
        self._keys = None
        self._ids = None

    def on(self, storage: Storage) -> Vault:
        """The same open vault over another storage that holds the same rows (no second KDF)."""
        return Vault(storage, self._header, self._open_keys(), self._crypto)

    @property
    def header_bytes(self) -> bytes:
        return self._header.encode()

    async def derived_id(self, name: str) -> str:
        """The id of the one record of its kind called ``name`` (settings, the history's head):
        derived from the key, so storage shows no name."""
        return await self._open_keys().derived_id(name)

    def _open_keys(self) -> RecordKeys:
        """The record keys of the open vault; VaultLocked once it is locked."""
        if self._keys is None:
            raise VaultLocked()
        return self._keys

    async def change_passphrase(
        self,
        old: str,
        new: str,
        params: KdfParams | None,
        types: tuple[str, ...],
        progress: Progress | None = None,
        singles: tuple[str, ...] = (),
    ) -> None:
        """A new passphrase and a new data key: every record of ``types`` is opened and sealed
        again under the new key, and stored with the new header in one transaction (all of it or
        none). Someone who knew the old passphrase and kept a copy of the old header can read
        nothing saved from now on. A record that did not open before is carried as it was (it
        still reads as damaged); so is one of a type not named: ``types`` must name every type
        the caller keeps. The records of ``singles`` (one
        each, by ``derived_id``) move to the ids the new key derives."""
        keys = self._open_keys()
        if not new:
            raise VaultError(_("Choose a new passphrase first."))
        await unwrap_data_key(self._crypto, self._header, old)  # WrongPassphrase
        header, data_key = await new_header(self._crypto, new, params or self._header.kdf)
        fresh = await RecordKeys.derive(self._crypto, data_key)
        del data_key
        by_tag = {await keys.type_tag(t): t for t in types}
        root_id, *bucket_ids = await self._index_ids(keys)
        own = {root_id, *bucket_ids}
        moved = {await keys.derived_id(n): await fresh.derived_id(n) for n in singles}
        for _attempt in range(TRIES):
            _root, root_blob = await self._read_root(keys)
            rows = [r for r in await self._storage.rows() if r[0] not in own]
            out: list[Row] = []

            async def again(row: Row) -> Row:
                rid, tag, blob = row
                rtype = by_tag.get(tag)
                if rtype is None:
                    return row
                to = moved.get(rid, rid)
                try:
                    plain = await keys.open(rtype, rid, blob)
                except TamperedRecord:
                    return to, await fresh.type_tag(rtype), blob
                return to, await fresh.type_tag(rtype), await fresh.seal(rtype, to, plain)

            for start in range(0, len(rows), OPEN_BATCH):
                out += await asyncio.gather(*(again(r) for r in rows[start : start + OPEN_BATCH]))
                if progress is not None:
                    progress(len(out), len(rows))
            index = RecordIndex()
            index.wrote(out, {await fresh.type_tag(t): t for t in types}, ())
            fresh_vault = Vault(self._storage, header, fresh, self._crypto)
            out += await fresh_vault._whole_index(index)
            try:
                await self._storage.replace_all(header.encode(), out, {root_id: root_blob})
            except WriteConflict:  # another window saved meanwhile: read everything again
                await asyncio.sleep(0.05)
                continue
            self._header, self._keys = header, fresh
            return
        raise WriteConflict()

    # ---- records ---------------------------------------------------------------------------
    async def seal_row(self, record_type: str, record_id: str, plaintext: bytes) -> Row:
        """The row that ``put`` would store, without storing it (for writes made in one go)."""
        keys = self._open_keys()
        blob = await keys.seal(record_type, record_id, plaintext)
        return record_id, await keys.type_tag(record_type), blob

    @staticmethod
    def encode(value: dict[str, Any]) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()

    async def put(self, record_type: str, record_id: str, value: dict[str, Any]) -> None:
        await self.put_bytes(record_type, record_id, self.encode(value))

    async def put_bytes(self, record_type: str, record_id: str, data: bytes) -> None:
        await self.put_rows([await self.seal_row(record_type, record_id, data)])

    async def put_rows(
        self, rows: list[Row], deletes: tuple[str, ...] = (), expect: Expect | None = None
    ) -> None:
        """Rows sealed with ``seal_row`` stored, and records deleted, in one transaction: all of
        it or none. ``expect``: records (by id) that must still hold the sealed blob read
        before (see ``read``), or ``WriteConflict`` and nothing is written. The record index
        changes in the same transaction."""
        keys = self._open_keys()
        deletes = tuple(deletes)
        for attempt in range(TRIES):
            root, root_blob = await self._read_root(keys)
            touched = {bucket_of(rid) for rid, _t, _b in rows} | {bucket_of(r) for r in deletes}
            buckets = None if root is None else await self._read_buckets(keys, root, touched)
            if root is None or buckets is None:
                # No index yet (it starts at unlock), or one that does not open: saved anyway,
                # and the check at the next unlock says so.
                await self._storage.put_many(rows, deletes, expect)
                return
            types = {t: keys.type_of(t) or t for _r, t, _b in rows}
            for b, index in buckets.items():
                index.wrote([r for r in rows if bucket_of(r[0]) == b], types, deletes)
            index_rows = await self._index_rows(keys, root, buckets)
            try:
                await self._storage.put_many(
                    [*rows, *index_rows], deletes, {**(expect or {}), index_rows[-1][0]: root_blob}
                )
                return
            except WriteConflict:
                # Another window saved first. If what the caller read is still there, only the
                # index moved on: read it again and retry; otherwise it is the caller's conflict.
                for rid, blob in (expect or {}).items():
                    now = await self._storage.get(rid)
                    if (None if now is None else now[1]) != blob:
                        raise
                await asyncio.sleep(0.02 * (attempt + 1))
        raise WriteConflict()

    # ---- the record index (``index.py``) ---------------------------------------------------
    async def _index_ids(self, keys: RecordKeys) -> list[str]:
        """The root's id, then each bucket's: derived from the key, so they name nothing."""
        cached = getattr(self, "_ids", None)
        if cached is None or cached[0] is not keys:
            ids = [await keys.derived_id(INDEX_TYPE)]
            ids += [await keys.derived_id(bucket_name(b)) for b in range(BUCKETS)]
            self._ids = cached = (keys, ids)
        return cached[1]

    async def _read_root(self, keys: RecordKeys) -> tuple[IndexRoot | None, bytes | None]:
        """The index's root and its sealed blob, as stored now. (None, None): there is no index
        yet. (None, blob): it does not open: ``KeyChanged`` if the header changed under us."""
        rid = (await self._index_ids(keys))[0]
        row = await self._storage.get(rid)
        if row is None:
            if await self._storage.get_meta() != self._header.encode():
                raise KeyChanged()  # a new key (whose index has other ids): not ours to write
            return None, None
        try:
            root = IndexRoot.decode(await keys.open(INDEX_TYPE, rid, row[1]))
        except TamperedRecord:
            root = None
        if root is None and await self._storage.get_meta() != self._header.encode():
            raise KeyChanged()
        return root, row[1]

    async def _read_buckets(
        self, keys: RecordKeys, root: IndexRoot, which: set[int]
    ) -> dict[int, RecordIndex] | None:
        """These buckets, each the version the root names; None if one is missing, does not
        open, or is another version (put back or replaced)."""
        ids = (await self._index_ids(keys))[1:]
        order = sorted(which)
        rows = await self._storage.get_many([ids[b] for b in order])
        sealed = []
        for b in order:
            row = rows.get(ids[b])
            if row is None or base64.b64encode(row[1][1:13]).decode() != root.buckets[b]:
                return None
            sealed.append((ids[b], row[1]))
        found: dict[int, RecordIndex] = {}
        for b, got in zip(order, await keys.open_many(INDEX_TYPE, sealed), strict=True):
            bucket = None if isinstance(got, TamperedRecord) else RecordIndex.decode(got)
            if bucket is None:
                return None
            found[b] = bucket
        return found

    async def _index_rows(
        self, keys: RecordKeys, root: IndexRoot, buckets: dict[int, RecordIndex]
    ) -> list[Row]:
        """The changed buckets sealed, and the root naming their new versions, last."""
        ids = await self._index_ids(keys)
        out = []
        for b, index in sorted(buckets.items()):
            row = await self.seal_row(INDEX_TYPE, ids[1 + b], index.encode())
            root.buckets[b] = base64.b64encode(row[2][1:13]).decode()
            out.append(row)
        out.append(await self.seal_row(INDEX_TYPE, ids[0], root.encode()))
        return out

    async def _whole_index(self, index: RecordIndex) -> list[Row]:
        """Every bucket and the root, for ``index`` (a new vault, a new key, a fresh start)."""
        parts = index.split()
        return await self._index_rows(
            self._open_keys(), IndexRoot([""] * BUCKETS), dict(enumerate(parts))
        )

    async def check_index(
        self, types: tuple[str, ...], presence_only: tuple[str, ...] = ()
    ) -> IndexCheck:
        """Compare storage with the index: every record there that the app wrote, as it wrote
        it last, and nothing else. Records of ``presence_only`` types (large files) are checked
        for being there only: their whole blobs are not read."""
        keys = self._open_keys()
        own = await self._index_ids(keys)
        tags = {await keys.type_tag(t): t for t in (*types, *presence_only)}
        skip = tuple([await keys.type_tag(t) for t in presence_only])
        for _attempt in range(TRIES):
            root, blob = await self._read_root(keys)
            if root is None:
                return IndexCheck("none" if blob is None else "damaged")
            buckets = await self._read_buckets(keys, root, set(range(BUCKETS)))
            stored = await self._storage.versions(skip)
            # Every save rewrites the root (a fresh nonce): the same root after the listing
            # means no save came between (another window's), so the two agree.
            if stored.get(own[0], (None, None))[1] != blob[1:13]:
                await asyncio.sleep(0.02)
                continue
            if buckets is None:
                return IndexCheck("damaged")
            for rid in own:
                stored.pop(rid, None)
            index = RecordIndex(
                {k: v for part in buckets.values() for k, v in part.records.items()}
            )
            return IndexCheck("ok", tuple(compare(index, stored, tags)))
        raise WriteConflict()

    async def start_index(self, types: tuple[str, ...]) -> None:
        """Write the index as storage holds the records now: a vault from before the index, or
        one whose differences were just written down."""
        keys = self._open_keys()
        own = await self._index_ids(keys)
        _root, old_blob = await self._read_root(keys)
        tags = {await keys.type_tag(t): t for t in types}
        index = RecordIndex()
        for rid, (tag, nonce) in (await self._storage.versions()).items():
            if rid not in own:
                index.records[rid] = (base64.b64encode(nonce or b"").decode(), tags.get(tag, tag))
        await self._storage.put_many(await self._whole_index(index), (), {own[0]: old_blob})

    async def read(
        self, record_type: str, record_id: str
    ) -> tuple[dict[str, Any] | None, bytes | None]:
        """(the record, the sealed blob it was read from), straight from storage: the blob is
        what ``put_rows(expect=...)`` compares with. A record that does not open reads as
        None with its blob."""
        keys = self._open_keys()
        row = await self._storage.get(record_id)
        if row is None:
            return None, None
        tag, blob = row
        if tag != await keys.type_tag(record_type):
            return None, blob
        try:
            return self._decode(record_id, await keys.open(record_type, record_id, blob)), blob
        except TamperedRecord:
            return None, blob

    async def get_bytes(self, record_type: str, record_id: str) -> bytes | None:
        keys = self._open_keys()
        row = await self._storage.get(record_id)
        if row is None:
            return None
        tag, blob = row
        if tag != await keys.type_tag(record_type):
            return None
        return await keys.open(record_type, record_id, blob)

    async def get_many_bytes(
        self, record_type: str, record_ids: list[str]
    ) -> dict[str, bytes | TamperedRecord]:
        """The records of this type among ``record_ids``: read together (one transaction where
        the storage has them) and opened side by side. One that does not open is its
        ``TamperedRecord``; one that is not there, or is of another type, is left out."""
        keys = self._open_keys()
        tag = await keys.type_tag(record_type)
        rows = await self._storage.get_many(list(record_ids))
        wanted = [(rid, blob) for rid, (t, blob) in rows.items() if t == tag]
        opened = await keys.open_many(record_type, wanted)
        return {rid: got for (rid, _blob), got in zip(wanted, opened, strict=True)}

    async def get(self, record_type: str, record_id: str) -> dict[str, Any] | None:
        plaintext = await self.get_bytes(record_type, record_id)
        return None if plaintext is None else self._decode(record_id, plaintext)

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
        await self.put_rows([], (record_id,))

    async def list(self, record_type: str) -> Listing:
        keys = self._open_keys()
        rows = await self._storage.rows(await keys.type_tag(record_type))
        out = Listing()
        for start in range(0, len(rows), OPEN_BATCH):
            batch = [(rid, blob) for rid, _tag, blob in rows[start : start + OPEN_BATCH]]
            for (rid, _blob), got in zip(
                batch, await keys.open_many(record_type, batch), strict=True
            ):
                if not isinstance(got, TamperedRecord):
                    try:
                        out.items.append((rid, self._decode(rid, got)))
                        continue
                    except TamperedRecord as exc:
                        got = exc
                out.damaged.append(got)
        return out

    # ---- backup ----------------------------------------------------------------------------
    async def export_backup(self) -> bytes:
        """The whole vault (still encrypted) in one file, with a MAC over all of it:
        ``BACKUP_MAGIC``, the MAC in base64, a newline, then the body, compact JSON as
        ``_BODY_HEAD`` and ``_RECORD`` read it. Written into one buffer a record at a time, each
        sealed blob let go once written: a phone's browser holds the file about twice while
        making it, not as a JSON document, then its text, then its bytes, the rows still held."""
        keys = self._open_keys()
        rows = sorted(await self._storage.rows(), reverse=True)  # (popped from the end)
        out = bytearray(BACKUP_MAGIC + b"=" * _MAC_B64 + b"\n")
        start = len(out)
        out += b'{"version":%d,"header":"%s","records":[' % (
            FORMAT_VERSION,
            base64.b64encode(self._header.encode()),
        )
        comma = b""
        while rows:
            rid, tag, blob = rows.pop()
            quoted = (json.dumps(rid) + "," + json.dumps(tag)).encode()
            out += comma + b"[" + quoted + b',"' + base64.b64encode(blob) + b'"]'
            comma = b","
        out += b"]}"
        mac = await keys.backup_mac(memoryview(out)[start:])
        out[start - 1 - _MAC_B64 : start - 1] = base64.b64encode(mac)
        return bytes(out)

    @staticmethod
    async def import_backup(
        storage: Storage, data: bytes, passphrase: str, crypto: Crypto | None = None
    ) -> Vault:
        """Check everything first; write only if all of it verifies. Refuses to overwrite."""
        crypto = crypto or default_crypto()
        if await vault_exists(storage):
            raise VaultExists(
                "This device already has a vault. A backup can only be imported on a device "
                "(or browser) that has none."
            )
        header, rows, keys = await verify_backup(crypto, data, passphrase)
        await storage.load_all(header.encode(), rows)
        return Vault(storage, header, keys, crypto)  # the key is already verified: no second KDF


# The body of a backup, exactly as ``export_backup`` writes it (compact JSON, keys in this order):
#   {"version":1,"header":"<base64>","records":[["<id>","<tag>","<base64>"],...]}
_BODY_HEAD = re.compile(rb'\{"version":(\d{1,3}),"header":"([A-Za-z0-9+/=]{1,8000})","records":\[')
_RECORD = re.compile(
    rb'\["([A-Za-z0-9_.:-]{1,200})","([A-Za-z0-9_+/=-]{1,200})","([A-Za-z0-9+/=]*)"\]'
)


async def verify_backup(
    crypto: Crypto, data: bytes, passphrase: str
) -> tuple[Header, list[Row], RecordKeys]:
    """Parse a backup file and check its passphrase and MAC. Writes nothing.

    The header is read first (a few hundred bytes, its KDF settings bounded before any key is
    derived), then the check code over the whole body, and only an authentic body is parsed:
    in one pass, record by record, at about the size of the records it holds."""
    damaged = BackupRejected(_("the file is damaged or incomplete (perhaps cut short)."))
    if not data.startswith(BACKUP_MAGIC):
        raise BackupRejected(_("this file is not a Recourse backup."))
    nl = data.find(b"\n", len(BACKUP_MAGIC), len(BACKUP_MAGIC) + 200)
    head = _BODY_HEAD.match(data, nl + 1) if nl > 0 else None
    if head is None:
        raise damaged
    try:
        mac = base64.b64decode(data[len(BACKUP_MAGIC) : nl], validate=True)
        header = Header.decode(base64.b64decode(head.group(2), validate=True))
    except UnsupportedVersion:
        raise
    except CorruptVault as exc:  # what exactly is wrong with it, when the header says
        if str(exc) == _(CorruptVault.user_message):  # (what the header said)
            raise damaged from exc
        raise BackupRejected(str(exc)) from exc
    except ValueError as exc:
        raise damaged from exc
    try:
        data_key = await unwrap_data_key(crypto, header, passphrase)
    except WrongPassphrase:
        raise BackupRejected(
            _(
                "the passphrase is wrong (it must be the one the vault had when the backup was "
                "made)."
            )
        ) from None
    keys = await RecordKeys.derive(crypto, data_key)
    body = memoryview(data)[nl + 1 :]
    if not hmac.compare_digest(mac, await keys.backup_mac(body)):
        if not data.endswith(b"]}"):
            raise damaged
        raise BackupRejected(
            _(
                "the file has been changed or damaged since it was made (its check code does "
                "not match)."
            )
        )
    return header, _records(data, head.end(), damaged), keys


def _records(data: bytes, at: int, damaged: BackupRejected) -> list[Row]:
    """The records of an authentic body, from ``at`` to its closing ``]}``, in one pass."""
    rows: list[Row] = []
    n = len(data)
    while True:
        if data.startswith(b"]}", at) and at + 2 == n:
            return rows
        if rows:
            if data[at : at + 1] != b",":
                raise damaged
            at += 1
        m = _RECORD.match(data, at)
        if m is None:
            raise damaged
        try:
            blob = base64.b64decode(m.group(3), validate=True)
        except ValueError as exc:
            raise damaged from exc
        rows.append((m.group(1).decode(), m.group(2).decode(), blob))
        at = m.end()
