"""Encrypted on-device storage. No flet here."""

from ..platform import in_browser
from .adapters import default_crypto
from .crypto import DEFAULT_KDF, Crypto, KdfParams
from .envelope import FORMAT_VERSION
from .errors import (
    BackupRejected,
    CorruptVault,
    KeyChanged,
    NoVault,
    StorageFull,
    StorageLost,
    StorageSilent,
    TamperedRecord,
    UnsupportedVersion,
    VaultError,
    VaultExists,
    VaultLocked,
    WriteConflict,
    WrongPassphrase,
)
from .storage import MemoryStorage, PreferencesStorage, SqliteStorage, Storage
from .vault import IndexCheck, Listing, Vault, new_id, vault_exists, verify_backup

__all__ = [
    "DEFAULT_KDF",
    "FORMAT_VERSION",
    "BackupRejected",
    "CorruptVault",
    "Crypto",
    "IndexCheck",
    "KeyChanged",
    "KdfParams",
    "Listing",
    "MemoryStorage",
    "NoVault",
    "PreferencesStorage",
    "SqliteStorage",
    "Storage",
    "StorageFull",
    "StorageLost",
    "StorageSilent",
    "TamperedRecord",
    "UnsupportedVersion",
    "Vault",
    "VaultError",
    "VaultExists",
    "VaultLocked",
    "WriteConflict",
    "WrongPassphrase",
    "default_crypto",
    "in_browser",
    "new_id",
    "vault_exists",
    "verify_backup",
]
