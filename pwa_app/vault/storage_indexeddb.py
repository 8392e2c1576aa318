"""Ciphertext rows in the browser's IndexedDB, from Python in Pyodide's worker.

* Database ``nb`` (a neutral name), object stores ``meta`` (key → bytes) and ``records``
  (``{id, tag, blob}``, with an index on ``tag``). Only ciphertext and opaque tags are stored.
* Each save is one transaction, asked to be flushed to disk (``durability: "strict"``);
  IndexedDB transactions are all-or-nothing, so a crash keeps every save that completed.
* Attachments are records of their own with raw sealed bytes, never base64 inside JSON.
* If the database disappears while the page has it open (Chromium resets IndexedDB whose files
  broke when the disk filled up completely; electron/electron#41877, google/leveldb#1180), every
  later operation raises ``StorageLost`` with a plain message, and nothing is written on top.
* A full store aborts the transaction: ``QuotaExceededError`` when the browser's quota is used
  up; with the device's disk really full (measured in Chromium), ``UnknownError`` naming
  ``FILE_ERROR_NO_SPACE`` (then the browser closes the connection) or, for a large value,
  ``DataError: Failed to write blobs``. All are reported as ``StorageFull``; nothing saved before
  is touched, and the next operation opens a new connection if it must.
* A request or a transaction that gets no answer at all (the browser's storage stuck: a bug
  of the engine, a disk that stalls, another window holding the store in a transaction that
  does not end) is given up after ``QUIET_S`` seconds: its transaction is aborted, so nothing of
  it is written, and ``StorageSilent`` says so. One that can no longer be aborted (it is being
  written) is waited for: its answer is on the way.

Nothing is awaited inside a transaction: the rows are sealed first, then every request is issued
and only the transaction's completion is awaited (an await in between would end it).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_once_callable, create_proxy, to_js  # type: ignore[import-not-found]

from ..i18n import N_, _
from .errors import StorageFull, StorageLost, StorageSilent, VaultError, WriteConflict
from .storage import Expect, Row, Versions, check_expected, version_of

DB_NAME = "nb"
DB_VERSION = 1
RECORDS, META = "records", "meta"
WRITE_OPTIONS = {"durability": "strict"}
# How long a request or a transaction may go without an answer before it is given up (and
# aborted). Generous: a phone writes a backup's tens of MB in seconds, and a write's allowance
# grows with its size (``quiet_for``).
QUIET_S = 60.0


class StorageError(VaultError):
    user_message = N_(
        "This browser refused to read or save your private data, so nothing was changed. "
        "If you are in a private window, use a normal one: private windows may not keep data."
    )


@dataclass(frozen=True)
class Space:
    """How much the browser lets this app keep, and whether it may clear it on its own."""

    used: int
    quota: int
    persisted: bool


def _obj(d: dict[str, Any]):
    return to_js(d, dict_converter=js.Object.fromEntries)


def _describe(err: Any) -> tuple[str, str]:
    try:
        return str(err.name), str(err.message)
    except Exception:  # noqa: BLE001 - any JS value may arrive here
        return "", ""


# How a full device shows in Chromium (measured with a small disk filled up): "UnknownError ...
# FILE_ERROR_NO_SPACE" for records, "DataError: Failed to write blobs (IOError)" for large values.
FULL_SIGNS = ("NO_SPACE", "no space", "Failed to write blobs")


def is_full(name: str, message: str) -> bool:
    """The browser's quota is used up, or the device itself has no space left."""
    return name == "QuotaExceededError" or any(sign in message for sign in FULL_SIGNS)


def _fail(err: Any) -> VaultError:
    name, message = _describe(err)
    print(f"IndexedDB refused: {name}: {message}")  # the browser console, for a developer
    if is_full(name, message):
        return StorageFull()
    return StorageError(f"{_(StorageError.user_message)} ({name or 'unknown error'})")


def quiet_for(rows: list[Row], meta: bytes | None = None) -> float:
    """How long a write of ``rows`` (and the header ``meta``) may go without an answer:
    ``QUIET_S``, and a second more for each MB (a slow phone writes several MB a second)."""
    size = sum(len(blob) for _rid, _tag, blob in rows) + len(meta or b"")
    return QUIET_S + size / 1_000_000


def _abort(tx: Any) -> bool:
    """``tx`` aborted, so that nothing of it is written; False if it is too late for that (it is
    being written, or done: its answer is on the way)."""
    try:
        tx.abort()
    except Exception:  # noqa: BLE001 - InvalidStateError: committing or finished
        return False
    return True


def _watch(
    target: Any, ok: str, bad: tuple[str, ...], value, tx: Any, quiet: float | None = None
) -> asyncio.Future:
    """A future settled by ``target``'s events: ``ok`` gives ``value()``, any of ``bad`` fails.
    With no answer after ``quiet`` seconds (``QUIET_S``), ``tx`` is aborted and it fails with
    ``StorageSilent`` (``tx`` None: a database being opened, given up without more)."""
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    proxies: list[Any] = []

    def silent() -> None:
        if fut.done() or (tx is not None and not _abort(tx)):
            return
        print(f"IndexedDB did not answer for {quiet or QUIET_S:.0f} s: given up")
        fut.set_exception(StorageSilent())

    timer = loop.call_later(QUIET_S if quiet is None else quiet, silent)

    def done(_e: Any = None) -> None:
        if not fut.done():
            fut.set_result(value())

    def failed(_e: Any = None) -> None:
        if not fut.done():
            fut.set_exception(_fail(target.error))

    proxies.append(create_proxy(done))
    setattr(target, ok, proxies[0])
    for name in bad:
        p = create_proxy(failed)
        proxies.append(p)
        setattr(target, name, p)

    def cleanup(_f: asyncio.Future) -> None:
        timer.cancel()
        for name in (ok, *bad):
            setattr(target, name, None)
        for p in proxies:
            p.destroy()

    fut.add_done_callback(cleanup)
    return fut


def _request(req: Any) -> asyncio.Future:
    return _watch(req, "onsuccess", ("onerror",), lambda: req.result, req.transaction)


def _transaction(tx: Any, quiet: float | None = None) -> asyncio.Future:
    return _watch(tx, "oncomplete", ("onabort", "onerror"), lambda: None, tx, quiet)


async def open_db(name: str, version: int, upgrade) -> Any:
    """A connection to database ``name``; ``upgrade(db)`` makes its stores when it is new.
    Raises ``StorageError`` without IndexedDB, ``StorageSilent`` if the browser never opens it
    (then, should it open after all, it is made as it should be and closed at once)."""
    try:
        req = js.indexedDB.open(name, version)
    except Exception as exc:  # noqa: BLE001 - no IndexedDB (some private windows)
        raise StorageError() from exc
    on_upgrade = create_proxy(lambda _e: upgrade(req.result))
    req.onupgradeneeded = on_upgrade
    silent = False
    try:
        return await _request(req)
    except StorageSilent:
        silent = True
        req.onsuccess = create_once_callable(lambda _e: req.result.close())
        raise
    finally:
        if not silent:  # (else the upgrade's proxy is kept for that late opening)
            req.onupgradeneeded = None
            on_upgrade.destroy()


def _row(value: Any) -> Row:
    return str(value.id), str(value.tag), value.blob.to_bytes()


class IndexedDBStorage:
    def __init__(self, name: str = DB_NAME):
        self.name = name
        self._db: Any = None
        self._on_close: Any = None
        self._opened = False  # a database was opened before by this page
        self.lost = False  # ...and later found gone: every operation then says so

    async def _open(self) -> Any:
        if self.lost:
            raise StorageLost()
        if self._db is not None:
            return self._db
        created = []

        def upgrade(db: Any) -> None:
            created.append(True)
            names = list(db.objectStoreNames)
            if RECORDS not in names:
                store = db.createObjectStore(RECORDS, _obj({"keyPath": "id"}))
                store.createIndex("tag", "tag")
            if META not in names:
                db.createObjectStore(META)

        db = await open_db(self.name, DB_VERSION, upgrade)
        if created and self._opened:
            # Opened before, and now made anew: the browser deleted the database under us (a
            # completely full disk breaks Chromium's files and it resets them). Writing on would
            # leave records without their vault; say so instead, at every operation.
            print("IndexedDB: the database was deleted while the app had it open")
            self.lost = True
            with contextlib.suppress(Exception):
                db.close()
            raise StorageLost()
        self._opened = True
        # The browser closes a connection after a disk error (and another tab's upgrade asks us
        # to): the next operation then opens a new one.
        self._on_close = create_proxy(lambda _e=None: self._forget(db))
        db.onclose = self._on_close
        db.onversionchange = self._on_close
        self._db = db
        return db

    def _forget(self, db: Any) -> None:
        if self._db is db:
            self._db = None
            with contextlib.suppress(Exception):  # already closed
                db.close()

    async def _tx(self, names: list[str], mode: str = "readonly") -> Any:
        """A transaction, on a new connection if the last one was closed under us."""
        args = (to_js(names), mode) + ((_obj(WRITE_OPTIONS),) if mode == "readwrite" else ())
        db = await self._open()
        try:
            return db.transaction(*args)
        except Exception:  # InvalidStateError: that connection was closing
            self._forget(db)
            return (await self._open()).transaction(*args)

    async def _store(self, name: str, mode: str = "readonly") -> tuple[Any, Any]:
        tx = await self._tx([name], mode)
        return tx, tx.objectStore(name)

    async def _read(self, name: str, call) -> Any:
        _tx, store = await self._store(name)
        return await _request(call(store))

    async def _write(
        self, name: str, call, names: list[str] | None = None, quiet: float | None = None
    ) -> None:
        tx = await self._tx(names or [name], "readwrite")
        store = tx.objectStore(name)
        try:
            call(store)
        except Exception as exc:  # noqa: BLE001 - a request refused at once (e.g. DataCloneError)
            tx.abort()
            raise _fail(getattr(exc, "js_error", None)) from exc
        await _transaction(tx, quiet)

    # ---- the storage port ------------------------------------------------------------------
    async def get_meta(self, name: str = "header") -> bytes | None:
        value = await self._read(META, lambda s: s.get(name))
        return None if value is None else value.to_bytes()

    async def put_meta(self, meta: bytes, name: str = "header") -> None:
        await self._write(META, lambda s: s.put(to_js(bytes(meta)), name))

    async def put(self, record_id: str, tag: str, blob: bytes) -> None:
        await self.put_many([(record_id, tag, blob)])

    async def put_many(
        self, rows: list[Row], deletes: tuple[str, ...] = (), expect: Expect | None = None
    ) -> None:
        await self._put_all(rows, deletes, expect)

    async def _put_all(
        self,
        rows: list[Row],
        deletes: tuple[str, ...],
        expect: Expect | None,
        *,
        clear: bool = False,
        meta: bytes | None = None,
    ) -> None:
        """Rows stored and ``deletes`` removed (``clear``: every record first; ``meta``: a new
        header with them) in one transaction, on the condition ``expect``."""
        values = [
            _obj({"id": rid, "tag": tag, "blob": to_js(bytes(blob))}) for rid, tag, blob in rows
        ]
        conflict: list[bool] = []
        proxies: list[Any] = []

        def put_all(store: Any) -> None:
            # The expected records are read first, in this same transaction: requests run in
            # order, and a transaction aborted from a request's handler writes nothing at all.
            # (IndexedDB runs one read-write transaction on a store at a time, across windows.)
            tx = store.transaction
            if meta is not None:
                tx.objectStore(META).put(to_js(bytes(meta)), "header")
            for rid, blob in (expect or {}).items():
                req = store.get(rid)

                def seen(_e: Any, req: Any = req, rid: str = rid, blob: Any = blob) -> None:
                    value = req.result
                    now = None if value is None else value.blob.to_bytes()
                    try:
                        check_expected({rid: blob}, lambda _rid: now)
                    except WriteConflict:
                        if not conflict:
                            conflict.append(True)
                            tx.abort()

                proxies.append(create_proxy(seen))
                req.onsuccess = proxies[-1]
            if clear:
                store.clear()
            for v in values:
                store.put(v)
            for rid in deletes:
                store.delete(rid)

        try:
            names = [RECORDS, META] if meta is not None else None
            await self._write(RECORDS, put_all, names, quiet_for(rows, meta))
        except VaultError:
            if conflict:
                raise WriteConflict() from None
            raise
        finally:
            for p in proxies:
                p.destroy()

    async def get(self, record_id: str) -> tuple[str, bytes] | None:
        value = await self._read(RECORDS, lambda s: s.get(record_id))
        if value is None:
            return None
        _rid, tag, blob = _row(value)
        return tag, blob

    async def get_many(self, record_ids: list[str]) -> dict[str, tuple[str, bytes]]:
        """All in one transaction (measured: 64 separate reads took a third of a second of a
        phone's unlock)."""
        tx, store = await self._store(RECORDS)
        requests = [(rid, store.get(rid)) for rid in record_ids]
        await _transaction(tx)
        out = {}
        for rid, req in requests:
            if req.result is not None:
                _rid, tag, blob = _row(req.result)
                out[rid] = (tag, blob)
        return out

    async def delete(self, record_id: str) -> None:
        await self._write(RECORDS, lambda s: s.delete(record_id))

    async def rows(self, tag: str | None = None) -> list[Row]:
        if tag is None:
            values = await self._read(RECORDS, lambda s: s.getAll())
        else:
            values = await self._read(
                RECORDS, lambda s: s.index("tag").getAll(js.IDBKeyRange.only(tag))
            )
        return [_row(v) for v in values]

    async def load_all(self, meta: bytes, rows: list[Row]) -> None:
        """A whole vault in one transaction, the header with it: all of it, or nothing."""
        tx = await self._tx([RECORDS, META], "readwrite")
        records, metas = tx.objectStore(RECORDS), tx.objectStore(META)
        for rid, tag, blob in rows:
            records.put(_obj({"id": rid, "tag": tag, "blob": to_js(bytes(blob))}))
        metas.put(to_js(bytes(meta)), "header")
        await _transaction(tx, quiet_for(rows, meta))

    async def replace_all(self, meta: bytes, rows: list[Row], expect: Expect) -> None:
        await self._put_all(rows, (), expect, clear=True, meta=meta)

    async def versions(self, presence_only: tuple[str, ...] = ()) -> Versions:
        """Files (``presence_only``) by key alone: their blobs are never read here. Every other
        record's blob is read in the browser and only its first 13 bytes cross into Python."""
        tx = await self._tx([RECORDS])
        store, by_tag = tx.objectStore(RECORDS), tx.objectStore(RECORDS).index("tag")
        out: Versions = {}
        skip = sorted(set(presence_only))
        # the tags between the skipped ones: [.., t1), (t1, t2), ..., (tn, ..]
        bounds = [None, *skip, None]
        reads = []
        for lo, hi in zip(bounds, bounds[1:], strict=False):
            if lo is None and hi is None:
                rng = None
            elif lo is None:
                rng = js.IDBKeyRange.upperBound(hi, True)
            elif hi is None:
                rng = js.IDBKeyRange.lowerBound(lo, True)
            else:
                rng = js.IDBKeyRange.bound(lo, hi, True, True)
            reads.append(_request(by_tag.getAll(rng) if rng is not None else store.getAll()))
        keyed = [(t, _request(by_tag.getAllKeys(js.IDBKeyRange.only(t)))) for t in skip]
        for values in await asyncio.gather(*reads):
            for v in values:
                out[str(v.id)] = version_of(str(v.tag), v.blob.subarray(0, 13).to_bytes(), ())
        for tag, req in keyed:
            for key in await req:
                out[str(key)] = (tag, None)
        return out

    # ---- space -----------------------------------------------------------------------------
    async def space(self) -> Space | None:
        storage = getattr(js.navigator, "storage", None)
        if storage is None:
            return None
        est = await storage.estimate()
        persisted = bool(await storage.persisted()) if hasattr(storage, "persisted") else False
        return Space(int(est.usage or 0), int(est.quota or 0), persisted)
