"""The encrypted backup: the whole vault in one file, and restoring it on another device."""

from __future__ import annotations

from ..vault import Vault
from .session import Session


class Backup:
    def __init__(self, session: Session):
        self.s = session

    async def export(self) -> bytes:
        return await self.s.vault.export_backup()

    async def restore(self, data: bytes, passphrase: str) -> None:
        """Check the whole file first; write only if all of it verifies."""
        s = self.s
        await s.opened(await Vault.import_backup(s.storage, data, passphrase, s.crypto))
