"""Encrypted on-device storage. No flet here."""

from .envelope import DEFAULT_KDF, FORMAT_VERSION, KdfParams
from .errors import (
    BackupRejected,
    CorruptVault,
    NoVault,
    StorageFull,
    TamperedRecord,
    UnsupportedVersion,
    VaultError,
    VaultExists,
    VaultLocked,
    WrongPassphrase,
)
from .storage import MemoryStorage, PreferencesStorage, SqliteStorage, Storage
from .vault import Listing, Vault, new_id, vault_exists

__all__ = [
    "DEFAULT_KDF",
    "FORMAT_VERSION",
    "BackupRejected",
    "CorruptVault",
    "KdfParams",
    "Listing",
    "MemoryStorage",
    "NoVault",
    "PreferencesStorage",
    "SqliteStorage",
    "Storage",
    "StorageFull",
    "TamperedRecord",
    "UnsupportedVersion",
    "Vault",
    "VaultError",
    "VaultExists",
    "VaultLocked",
    "WrongPassphrase",
    "new_id",
    "vault_exists",
]
