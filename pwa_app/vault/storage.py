"""Storage adapters behind one small async port. They only ever see ciphertext.

* ``SqliteStorage``: phones and desktops. One SQLite file in the app's data directory, WAL journal
  and ``synchronous=FULL``, each save its own transaction: a kill -9 mid-save loses nothing that
  was committed and never leaves the file unreadable.
* ``IndexedDBStorage`` (``storage_indexeddb.py``): the web app, inside the browser.
* ``PreferencesStorage``: ciphertext in the browser's localStorage through Flet's
  ``SharedPreferences``. The first web app kept its vault there; it is now read only to move such
  a vault into IndexedDB, and by the developer's server mode.
* ``MemoryStorage``: a fake for unit tests.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from ..i18n import _
from .envelope import NONCE_LEN
from .errors import CorruptVault, StorageFull, WriteConflict

Row = tuple[str, str, bytes]  # (record id, opaque type tag, sealed blob)
Versions = dict[str, tuple[str, bytes | None]]  # record id → (type tag, nonce; None: not read)


def nonce_of(blob: bytes) -> bytes:
    """What names one version of a sealed record: its nonce (see ``index.py``)."""
    return bytes(blob[1 : 1 + NONCE_LEN])


# record id → the sealed blob it must still hold when a write is made (None: it must not exist)
Expect = dict[str, bytes | None]


def check_expected(expect: Expect | None, current) -> None:
    """Raise ``WriteConflict`` unless every record in ``expect`` holds what it should.
    ``current(record_id)`` gives the blob stored now, or None."""
    for rid, blob in (expect or {}).items():
        now = current(rid)
        if (None if now is None else bytes(now)) != (None if blob is None else bytes(blob)):
            raise WriteConflict()


class Storage(Protocol):
    async def get_meta(self, name: str = "header") -> bytes | None: ...
    async def put_meta(self, meta: bytes, name: str = "header") -> None: ...
    async def put(self, record_id: str, tag: str, blob: bytes) -> None: ...
    async def get(self, record_id: str) -> tuple[str, bytes] | None: ...
    async def get_many(self, record_ids: list[str]) -> dict[str, tuple[str, bytes]]:
        """The rows of these ids that are there, read together (one transaction where the
        storage has them)."""
        ...

    async def delete(self, record_id: str) -> None: ...
    async def put_many(
        self, rows: list[Row], deletes: tuple[str, ...] = (), expect: Expect | None = None
    ) -> None:
        """Several rows stored and ``deletes`` removed in one transaction: all of it, or none.
        With ``expect``, the transaction first checks that those records still hold what the
        caller read, and writes nothing (``WriteConflict``) if another writer changed them:
        two windows of the app can then never both append the same history entry."""
        ...

    async def rows(self, tag: str | None = None) -> list[Row]:
        """Every row, or only those with this type tag."""
        ...

    async def load_all(self, meta: bytes, rows: list[Row]) -> None:
        """Write a whole vault into an empty store; the meta goes last."""
        ...

    async def replace_all(self, meta: bytes, rows: list[Row], expect: Expect) -> None:
        """Every record and the header replaced by these, in one transaction (a new data key):
        all of it or none, on the condition ``expect`` as in ``put_many``."""
        ...

    async def versions(self, presence_only: tuple[str, ...] = ()) -> Versions:
        """Every record's id → (tag, the nonce of its blob). For tags in ``presence_only``
        (large files) the nonce is not read (None): only that the record is there."""
        ...


def version_of(tag: str, blob: bytes, presence_only: tuple[str, ...]) -> tuple[str, bytes | None]:
    return tag, None if tag in presence_only else nonce_of(blob)


class MemoryStorage:
    def __init__(self) -> None:
        self.meta: bytes | None = None
        self.extra: dict[str, bytes] = {}
        self.data: dict[str, tuple[str, bytes]] = {}

    async def get_meta(self, name: str = "header") -> bytes | None:
        return self.meta if name == "header" else self.extra.get(name)

    async def put_meta(self, meta: bytes, name: str = "header") -> None:
        if name == "header":
            self.meta = bytes(meta)
        else:
            self.extra[name] = bytes(meta)

    async def put(self, record_id: str, tag: str, blob: bytes) -> None:
        self.data[record_id] = (tag, bytes(blob))

    async def put_many(
        self, rows: list[Row], deletes: tuple[str, ...] = (), expect: Expect | None = None
    ) -> None:
        check_expected(expect, lambda rid: (self.data.get(rid) or (None, None))[1])
        for rid, tag, blob in rows:
            self.data[rid] = (tag, bytes(blob))
        for rid in deletes:
            self.data.pop(rid, None)

    async def get(self, record_id: str) -> tuple[str, bytes] | None:
        return self.data.get(record_id)

    async def get_many(self, record_ids: list[str]) -> dict[str, tuple[str, bytes]]:
        return {rid: self.data[rid] for rid in record_ids if rid in self.data}

    async def delete(self, record_id: str) -> None:
        self.data.pop(record_id, None)

    async def rows(self, tag: str | None = None) -> list[Row]:
        return [(rid, t, blob) for rid, (t, blob) in self.data.items() if tag in (None, t)]

    async def load_all(self, meta: bytes, rows: list[Row]) -> None:
        for rid, tag, blob in rows:
            self.data[rid] = (tag, blob)
        self.meta = meta

    async def replace_all(self, meta: bytes, rows: list[Row], expect: Expect) -> None:
        check_expected(expect, lambda rid: (self.data.get(rid) or (None, None))[1])
        self.data = {rid: (tag, bytes(blob)) for rid, tag, blob in rows}
        self.meta = bytes(meta)

    async def versions(self, presence_only: tuple[str, ...] = ()) -> Versions:
        return {rid: version_of(t, b, presence_only) for rid, (t, b) in self.data.items()}


class SqliteStorage:
    FILENAME = "vault.sqlite3"

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / self.FILENAME
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA temp_store=MEMORY")
            self._db.execute("PRAGMA secure_delete=ON")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v BLOB NOT NULL)"
            )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS records "
                "(id TEXT PRIMARY KEY, tag TEXT NOT NULL, blob BLOB NOT NULL)"
            )
            self._db.execute("CREATE INDEX IF NOT EXISTS records_tag ON records (tag)")
        except sqlite3.DatabaseError as exc:
            raise CorruptVault(_("The vault file on this device is damaged.")) from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction, or none: a full disk is reported as StorageFull."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc).lower():
                    raise StorageFull() from exc
                raise

    def _write(self, sql: str, args: tuple[Any, ...]) -> None:
        with self._transaction() as db:
            db.execute(sql, args)

    async def get_meta(self, name: str = "header") -> bytes | None:
        with self._lock:
            row = self._db.execute("SELECT v FROM meta WHERE k=?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    async def put_meta(self, meta: bytes, name: str = "header") -> None:
        self._write("INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)", (name, meta))

    async def put(self, record_id: str, tag: str, blob: bytes) -> None:
        self._write(
            "INSERT OR REPLACE INTO records (id, tag, blob) VALUES (?, ?, ?)",
            (record_id, tag, blob),
        )

    async def get(self, record_id: str) -> tuple[str, bytes] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT tag, blob FROM records WHERE id=?", (record_id,)
            ).fetchone()
        return (row[0], bytes(row[1])) if row else None

    async def get_many(self, record_ids: list[str]) -> dict[str, tuple[str, bytes]]:
        found = []
        with self._lock:
            for at in range(0, len(record_ids), 500):  # (SQLite's limit on ? in one query)
                part = record_ids[at : at + 500]
                marks = ",".join("?" * len(part))  # only the placeholders: ids go as values
                query = f"SELECT id, tag, blob FROM records WHERE id IN ({marks})"  # noqa: S608
                found += self._db.execute(query, part).fetchall()
        return {rid: (tag, bytes(blob)) for rid, tag, blob in found}

    async def put_many(
        self, rows: list[Row], deletes: tuple[str, ...] = (), expect: Expect | None = None
    ) -> None:
        with self._transaction() as db:  # BEGIN IMMEDIATE: no other writer until COMMIT
            check_expected(expect, lambda rid: self._blob(db, rid))
            db.executemany("INSERT OR REPLACE INTO records (id, tag, blob) VALUES (?, ?, ?)", rows)
            db.executemany("DELETE FROM records WHERE id=?", [(rid,) for rid in deletes])

    async def delete(self, record_id: str) -> None:
        self._write("DELETE FROM records WHERE id=?", (record_id,))

    async def rows(self, tag: str | None = None) -> list[Row]:
        with self._lock:
            if tag is None:
                cur = self._db.execute("SELECT id, tag, blob FROM records")
            else:
                cur = self._db.execute("SELECT id, tag, blob FROM records WHERE tag=?", (tag,))
            return [(r[0], r[1], bytes(r[2])) for r in cur.fetchall()]

    async def load_all(self, meta: bytes, rows: list[Row]) -> None:
        with self._transaction() as db:
            db.executemany("INSERT OR REPLACE INTO records (id, tag, blob) VALUES (?, ?, ?)", rows)
            db.execute("INSERT OR REPLACE INTO meta (k, v) VALUES ('header', ?)", (meta,))

    async def replace_all(self, meta: bytes, rows: list[Row], expect: Expect) -> None:
        with self._transaction() as db:
            check_expected(expect, lambda rid: self._blob(db, rid))
            db.execute("DELETE FROM records")
            db.executemany("INSERT INTO records (id, tag, blob) VALUES (?, ?, ?)", rows)
            db.execute("INSERT OR REPLACE INTO meta (k, v) VALUES ('header', ?)", (meta,))

    @staticmethod
    def _blob(db: sqlite3.Connection, rid: str) -> bytes | None:
        row = db.execute("SELECT blob FROM records WHERE id=?", (rid,)).fetchone()
        return None if row is None else bytes(row[0])

    async def versions(self, presence_only: tuple[str, ...] = ()) -> Versions:
        with self._lock:  # only the nonce's 13 bytes are read, never a file's whole blob
            cur = self._db.execute("SELECT id, tag, substr(blob, 1, 13) FROM records")
            return {r[0]: version_of(r[1], bytes(r[2]), presence_only) for r in cur.fetchall()}


class PreferencesStorage:
    """Ciphertext in the browser's storage via a SharedPreferences-like async object.

    Keys: ``nb.m.<name>`` and ``nb.r.<id>`` whose value is ``<tag>:<base64 blob>``. The prefix
    is neutral on purpose: someone looking through the browser's storage sees no app name.
    """

    PREFIX = "nb."

    def __init__(self, prefs: Any):
        self._prefs = prefs
        # Ciphertext rows mirrored for this session once read, so listing does not cost one
        # round trip per key each time. Only ever ciphertext; updated on every write.
        self._rows: dict[str, tuple[str, bytes]] | None = None

    def forget(self) -> None:
        """Drop the mirrored rows (on lock): the next listing reads the browser's storage."""
        self._rows = None

    async def _set(self, key: str, value: str) -> None:
        try:
            ok = await self._prefs.set(key, value)
        except Exception as exc:  # the browser's QuotaExceededError arrives as a generic error
            raise StorageFull() from exc
        if ok is False:
            raise StorageFull()

    async def get_meta(self, name: str = "header") -> bytes | None:
        v = await self._prefs.get(self.PREFIX + "m." + name)
        try:
            return base64.b64decode(v) if isinstance(v, str) and v else None
        except ValueError:
            return b""  # reported as a damaged header when opened

    async def put_meta(self, meta: bytes, name: str = "header") -> None:
        await self._set(self.PREFIX + "m." + name, base64.b64encode(meta).decode())

    async def put(self, record_id: str, tag: str, blob: bytes) -> None:
        await self._set(self.PREFIX + "r." + record_id, tag + ":" + base64.b64encode(blob).decode())
        if self._rows is not None:
            self._rows[record_id] = (tag, bytes(blob))

    async def put_many(
        self, rows: list[Row], deletes: tuple[str, ...] = (), expect: Expect | None = None
    ) -> None:
        # localStorage has no transactions: one key at a time (this adapter is only read to move
        # an old vault, and by the developer's server mode, one window at a time).
        if expect:
            current = {rid: (await self._fetch(rid) or (None, None))[1] for rid in expect}
            check_expected(expect, current.get)
        for rid, tag, blob in rows:
            await self.put(rid, tag, blob)
        for rid in deletes:
            await self.delete(rid)

    @staticmethod
    def _decode(v: object) -> tuple[str, bytes] | None:
        if not isinstance(v, str) or ":" not in v:
            return None
        tag, _sep, b64 = v.partition(":")
        try:
            return tag, base64.b64decode(b64)
        except ValueError:
            return tag, b""  # reported as a damaged record when opened

    async def get(self, record_id: str) -> tuple[str, bytes] | None:
        if self._rows is not None:
            return self._rows.get(record_id)
        return await self._fetch(record_id)

    async def get_many(self, record_ids: list[str]) -> dict[str, tuple[str, bytes]]:
        rows = await asyncio.gather(*(self.get(rid) for rid in record_ids))
        return {rid: row for rid, row in zip(record_ids, rows, strict=True) if row is not None}

    async def _fetch(self, record_id: str) -> tuple[str, bytes] | None:
        """What the browser's storage holds now (never the mirror)."""
        return self._decode(await self._prefs.get(self.PREFIX + "r." + record_id))

    async def delete(self, record_id: str) -> None:
        await self._prefs.remove(self.PREFIX + "r." + record_id)
        if self._rows is not None:
            self._rows.pop(record_id, None)

    async def rows(self, tag: str | None = None) -> list[Row]:
        if self._rows is None:
            prefix = self.PREFIX + "r."
            rows: dict[str, tuple[str, bytes]] = {}
            keys = [k.removeprefix("flutter.") for k in await self._prefs.get_keys(prefix)]
            # Many reads in flight at once: one round trip's latency, not one per record.
            for start in range(0, len(keys), 256):
                chunk = keys[start : start + 256]
                values = await asyncio.gather(*(self._prefs.get(k) for k in chunk))
                for key, value in zip(chunk, values, strict=True):
                    decoded = self._decode(value)
                    if decoded is not None:
                        rows[key[len(prefix) :]] = decoded
            self._rows = rows
        return [(rid, t, blob) for rid, (t, blob) in self._rows.items() if tag in (None, t)]

    async def load_all(self, meta: bytes, rows: list[Row]) -> None:
        await self.put_many(rows)
        await self.put_meta(meta)

    async def replace_all(self, meta: bytes, rows: list[Row], expect: Expect) -> None:
        # No transactions in localStorage (see put_many): the developer's server mode only.
        old = [rid for rid, _t, _b in await self.rows() if rid not in {r[0] for r in rows}]
        await self.put_many(rows, tuple(old), expect)
        await self.put_meta(meta)

    async def versions(self, presence_only: tuple[str, ...] = ()) -> Versions:
        return {rid: version_of(t, b, presence_only) for rid, t, b in await self.rows()}

    async def remove_vault(self) -> None:
        """Remove the vault's keys (header and records), once it lives somewhere else."""
        for rid, _tag, _blob in await self.rows():
            await self._prefs.remove(self.PREFIX + "r." + rid)
        await self._prefs.remove(self.PREFIX + "m.header")
        self._rows = None
