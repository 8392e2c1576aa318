"""The encrypted backup: the whole vault in one file, and restoring it on another device."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC

from ..i18n import _
from ..vault import BackupRejected, MemoryStorage, Storage, Vault, VaultExists, vault_exists
from .prefs import Settings
from .records import T_SETTINGS
from .session import SaveResult, Session

# Opens a restored record as the app will (a look at every screen's data), or raises.
Readable = Callable[[Storage, Vault], Awaitable[None]]


class Backup:
    def __init__(self, session: Session, readable: Readable | None = None):
        self.session = session
        self.readable = readable

    async def export(self) -> bytes:
        return await self.session.vault.export_backup()

    async def exported(self) -> SaveResult:
        """The backup file was saved: remember when (Settings shows it; the home screen offers
        a backup again after new evidence and a week)."""
        settings = Settings.from_dict(await self.session.single(T_SETTINGS))
        settings.last_backup = self.session.clock().astimezone(UTC).isoformat(timespec="seconds")
        await self.session.put_single(T_SETTINGS, settings.to_dict())
        return SaveResult(True)

    async def restore(self, data: bytes, passphrase: str) -> None:
        """Check the whole file first, and that the record it holds opens as the app will
        read it; write only if all of that holds (``BackupRejected`` otherwise, nothing
        written). A backup whose key derivation is weaker than today's is moved up to it."""
        s = self.session
        if await vault_exists(s.storage):
            raise VaultExists(
                _(
                    "This device already has a vault. A backup can only be imported on a "
                    "device (or browser) that has none."
                )
            )
        trial = MemoryStorage()
        vault = await Vault.import_backup(trial, data, passphrase, s.crypto)
        if self.readable is not None:
            try:
                await self.readable(trial, vault)
            except Exception as exc:  # noqa: BLE001 - any failure to read it refuses it
                raise BackupRejected(
                    _(
                        "its passphrase and check code are right, but the record inside it "
                        "cannot be read by this version of Recourse ({error})."
                    ).format(error=type(exc).__name__)
                ) from exc
        await s.storage.load_all(vault.header_bytes, await trial.rows())
        vault = vault.on(s.storage)
        if vault.kdf.weaker_than(s.kdf):  # moved up to today's, every record with it
            await s.rekey(vault, passphrase, passphrase)
        await s.opened(vault)
