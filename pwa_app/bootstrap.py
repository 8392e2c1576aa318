"""The composition root: which adapters this device gets, chosen in one place (cosmicpython's
bootstrap). The vault's crypto (pyca natively, WebCrypto + Argon2id in WebAssembly in the
browser), its storage (SQLite natively, IndexedDB in the browser), where the cleartext UI flags
live, an older vault to move over, and the sealed inbox (the browser's share target only).

No flet here: the UI hands over a maker of Flet's SharedPreferences where one is needed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .content import default_content
from .paths import data_dir
from .platform import in_browser
from .services import Services
from .vault import Crypto, PreferencesStorage, SqliteStorage, Storage, default_crypto
from .vault.inbox import InboxStore


@dataclass
class Adapters:
    storage: Storage  # the vault
    flags: Storage  # the cleartext UI flags (disguise), read before anything renders
    legacy: Storage | None  # an older vault to move over
    inbox: InboxStore | None
    crypto: Crypto


def adapters(web: bool, shared_preferences: Callable[[], Any]) -> Adapters:
    """``web``: the page is a browser's (in Pyodide, or the developer's server mode)."""
    crypto = default_crypto()
    if in_browser():
        # The vault in IndexedDB. The flags stay in localStorage, where the page script reads
        # them before anything is drawn; the first web app's vault may still be there too.
        from .vault.inbox_indexeddb import IndexedDBInbox
        from .vault.storage_indexeddb import IndexedDBStorage

        prefs = PreferencesStorage(shared_preferences())
        return Adapters(IndexedDBStorage(), prefs, prefs, IndexedDBInbox(), crypto)
    if web:  # the developer's server mode
        prefs = PreferencesStorage(shared_preferences())
        return Adapters(prefs, prefs, None, None, crypto)
    sqlite = SqliteStorage(data_dir())
    return Adapters(sqlite, sqlite, None, None, crypto)


def services(found: Adapters) -> Services:
    return Services(found.storage, inbox=found.inbox, legacy=found.legacy, crypto=found.crypto)


def read_content() -> None:
    """content/ read, checked and kept (default_content keeps it), before anything needs it."""
    default_content()
