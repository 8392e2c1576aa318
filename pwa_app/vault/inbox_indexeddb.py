"""The sealed inbox in the browser: IndexedDB database ``nb-in`` (a neutral name), shared with the
service worker, which writes the sealed shares (store ``items``) with the public key it reads
from store ``key`` (entry ``public``). Only sealed bytes and the public key are ever kept here."""

from __future__ import annotations

from typing import Any

import js  # type: ignore[import-not-found]
from pyodide.ffi import to_js  # type: ignore[import-not-found]

from .storage_indexeddb import _request, _transaction, open_db

INBOX_DB = "nb-in"


class IndexedDBInbox:
    async def _db(self) -> Any:
        def upgrade(db: Any) -> None:
            names = list(db.objectStoreNames)
            if "key" not in names:
                db.createObjectStore("key")
            if "items" not in names:
                db.createObjectStore(
                    "items", to_js({"autoIncrement": True}, dict_converter=js.Object.fromEntries)
                )

        return await open_db(INBOX_DB, 1, upgrade)

    async def publish(self, public: bytes) -> None:
        db = await self._db()
        try:
            tx = db.transaction("key", "readwrite")
            tx.objectStore("key").put(to_js(bytes(public)), "public")
            await _transaction(tx)
        finally:
            db.close()

    async def items(self) -> list[tuple[Any, bytes]]:
        db = await self._db()
        try:
            store = db.transaction("items").objectStore("items")
            # both asked before either is awaited: an await in between would end the transaction
            # (and both watched at once: a request's success event fires only once)
            keys_done, values_done = _request(store.getAllKeys()), _request(store.getAll())
            keys = list((await keys_done).to_py())
            values = await values_done
            return [(k, js.Uint8Array.new(v).to_bytes()) for k, v in zip(keys, values, strict=True)]
        finally:
            db.close()

    async def delete(self, key: Any) -> None:
        db = await self._db()
        try:
            tx = db.transaction("items", "readwrite")
            tx.objectStore("items").delete(key)
            await _transaction(tx)
        finally:
            db.close()
