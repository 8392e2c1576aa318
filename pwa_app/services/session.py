"""The session: lock and unlock, and the open vault that every use case reads and writes through.

Holds the unlocked vault for one session (one person, one device or browser tab). ``lock()``
drops the vault and every decrypted value it cached. Every change to the long-term record goes
through ``commit``: the change and its history entry are stored in one transaction.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..content import default_content
from ..domain import DomainError, Line
from ..domain.chain import make_content
from ..domain.content_types import Content
from ..i18n import N_, _, _n
from ..vault import (
    DEFAULT_KDF,
    Crypto,
    KdfParams,
    Storage,
    TamperedRecord,
    Vault,
    VaultError,
    WrongPassphrase,
    vault_exists,
)
from ..vault.storage import Row
from .access import Clock, Records
from .history import History
from .integrity import Integrity
from .passphrase import MIN_SCORE
from .passphrase import check as check_passphrase
from .passphrase import make as make_passphrase
from .records import ALL_TYPES, RECORD_TYPES, SINGLETON


def utcnow() -> datetime:
    return datetime.now(UTC)


class MoveFailed(VaultError):
    user_message = N_(
        "Your records could not be moved to this browser's new storage, so they were left "
        "where they were, unchanged. Export an encrypted backup from Settings to keep a copy."
    )


THROTTLE_META = "throttle"  # kept beside the vault, in clear: read before any passphrase


@dataclass
class Throttle:
    """Repeated wrong passphrases slow down, and a reload does not reset it: the count and the
    time to wait until are kept with the vault (``load``/``save``). Nothing is ever wiped."""

    failures: int = 0
    not_before: float = 0.0  # seconds since the epoch: the device's clock, as a reload sees it
    clock: Callable[[], float] = time.time

    def wait_seconds(self) -> int:
        wait = self.not_before - self.clock()
        if wait > 3600:  # the clock was set back a long way: never lock someone out for long
            self.not_before = self.clock() + 60
            wait = 60
        return max(0, int(wait + 0.999))

    def failed(self) -> None:
        self.failures += 1
        if self.failures >= 3:
            self.not_before = self.clock() + min(2 ** (self.failures - 3), 60)

    def succeeded(self) -> None:
        self.failures, self.not_before = 0, 0.0

    def encode(self) -> bytes:
        return json.dumps({"failures": self.failures, "until": self.not_before}).encode()

    def load(self, raw: bytes | None) -> None:
        try:
            d = json.loads(raw or b"{}")
            failures, until = int(d.get("failures", 0)), float(d.get("until", 0.0))
        except (ValueError, TypeError, AttributeError):
            return  # unreadable: start from nothing rather than lock anyone out
        self.failures = max(self.failures, min(failures, 1000))
        self.not_before = max(self.not_before, until)


class TooManyAttempts(Exception):
    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(
            _n(
                "Too many tries in a row. Please wait {seconds} second and try again.",
                "Too many tries in a row. Please wait {seconds} seconds and try again.",
                seconds,
            ).format(seconds=seconds)
        )


@dataclass
class SaveResult:
    ok: bool
    errors: dict[str, str] = field(default_factory=dict)
    said: str = ""  # what to tell the person about a save that went through, when it has news

    @classmethod
    def refused(cls, exc: DomainError) -> SaveResult:
        return cls(False, {exc.field: exc.sentence(_)})


class Session(Records):
    """Lock and unlock, the wait after wrong passphrases, moving an older vault over, and every
    change to the record (``commit``, with its history entry); reading and sealing records is
    ``Records``'."""

    def __init__(
        self,
        storage: Storage,
        *,
        clock: Clock = utcnow,
        kdf: KdfParams = DEFAULT_KDF,
        content: Content | None = None,
        crypto: Crypto | None = None,
        legacy: Storage | None = None,
        min_score: int = MIN_SCORE,
    ):
        super().__init__(storage, clock, (lambda: content) if content else default_content)
        self.kdf = kdf
        self.crypto = crypto
        # Where an earlier version kept the vault (the first web app: localStorage). A vault found
        # there is moved into ``storage`` at its first unlock.
        self.legacy = legacy
        self.min_score = min_score  # how strong a new passphrase must be (zxcvbn score)
        self.throttle = Throttle()
        self.history = History(self)
        self.integrity = Integrity(self, self.history)
        # "Check the record" ends with the set of records as a whole (the index), files included.
        self.history.also_check = self.integrity.check

    # ---- lock and unlock -----------------------------------------------------------------------
    async def has_vault(self) -> bool:
        return await vault_exists(self.storage) or await self._legacy_vault()

    async def _legacy_vault(self) -> bool:
        return self.legacy is not None and await vault_exists(self.legacy)

    @property
    def unlocked(self) -> bool:
        return self._vault is not None and not self._vault.locked

    def make_passphrase(self) -> str:
        return make_passphrase(self.content.passphrase)

    async def create(self, passphrase: str) -> None:
        check_passphrase(passphrase, self.content.passphrase, self.min_score)
        self._vault = await Vault.create(self.storage, passphrase, self.kdf, self.crypto)
        await self.history.start("new")  # which says the record index starts with it

    async def unlock(self, passphrase: str) -> None:
        # (Read together: every read before the key is made delays it.)
        throttle, header = await asyncio.gather(
            self.storage.get_meta(THROTTLE_META), self.storage.get_meta()
        )
        self.throttle.load(throttle)
        wait = self.throttle.wait_seconds()
        if wait:
            raise TooManyAttempts(wait)
        plain = None
        try:
            if header is None and await self._legacy_vault():
                self._vault = await self._move_legacy(passphrase)
            else:
                # While the key is made (in its own worker, in the browser): what an earlier
                # version kept under plain names, in one read.
                self._vault, plain = await asyncio.gather(
                    Vault.unlock(self.storage, passphrase, self.crypto, header),
                    self._plain_singles(),
                )
        except WrongPassphrase:
            self.throttle.failed()
            await self.storage.put_meta(self.throttle.encode(), THROTTLE_META)
            raise
        if self.throttle.failures:
            self.throttle.succeeded()
            await self.storage.put_meta(self.throttle.encode(), THROTTLE_META)
        await self._name_singles(plain)
        await self.history.start("existing")  # a vault from before the history: it starts now
        await self.integrity.at_unlock()  # anything removed or put back behind the app's back

    async def opened(self, vault: Vault, start: bool = True) -> None:
        """A vault opened elsewhere (a backup just restored) becomes this session's. Its single
        records move to their derived ids as at unlock, so it reads as the app will read it; its
        history starts now if it has none (``start=False``: not that, as the verifier and the
        trial of a backup, each on a copy in memory, only read it)."""
        self._vault = vault
        await self._name_singles()
        if start:
            await self.history.start("existing")
            await self.integrity.at_unlock()

    async def _move_legacy(self, passphrase: str) -> Vault:
        """Open the old vault, copy its rows in one transaction, read them back and check every
        one (the same bytes, and each record still opens), and only then remove the old copy.
        Any difference leaves the old copy as it was."""
        assert self.legacy is not None
        old = await Vault.unlock(self.legacy, passphrase, self.crypto)  # WrongPassphrase
        header, rows = old.header_bytes, await self.legacy.rows()
        await self.storage.load_all(header, rows)
        moved = old.on(self.storage)
        copied = {rid: (tag, blob) for rid, tag, blob in await self.storage.rows()}
        same = await self.storage.get_meta() == header and all(
            copied.get(rid) == (tag, blob) for rid, tag, blob in rows
        )
        for rtype in RECORD_TYPES:
            listing = await moved.list(rtype)
            old_listing = await old.list(rtype)
            same &= len(listing.items) == len(old_listing.items)
        if not same:
            raise MoveFailed()
        await self.legacy.remove_vault()
        return moved

    async def space(self):
        """How much the browser lets the app keep and whether it may clear it (browser only)."""
        space = getattr(self.storage, "space", None)
        return await space() if space is not None else None

    def lock(self) -> None:
        self.integrity.found = []
        if self._vault is not None:
            self._vault.lock()
        self._vault = None
        forget = getattr(self.storage, "forget", None)
        if forget is not None:
            forget()

    async def change_passphrase(
        self, old: str, new: str, progress: Callable[[int, int], Any] | None = None
    ) -> None:
        """A new passphrase and a new data key, every record sealed again under it in one
        transaction (``progress(done, of)`` as it goes); key derivation settings weaker than
        today's move up to them."""
        check_passphrase(new, self.content.passphrase, self.min_score)
        await self.rekey(self.vault, old, new, progress)

    async def rekey(
        self,
        vault: Vault,
        old: str,
        new: str,
        progress: Callable[[int, int], Any] | None = None,
    ) -> None:
        """A new data key for ``vault``, every record of every type the app keeps sealed again
        under it; key derivation settings weaker than today's move up to them."""
        params = self.kdf if vault.kdf.weaker_than(self.kdf) else vault.kdf
        await vault.change_passphrase(old, new, params, ALL_TYPES, progress, tuple(SINGLETON))

    async def _plain_singles(self) -> dict[str, tuple[str, bytes]]:
        return await self.storage.get_many(list(SINGLETON.values()))

    async def _name_singles(self, plain: dict[str, tuple[str, bytes]] | None = None) -> None:
        """Records kept by earlier versions under a plain name ("settings", "history-head")
        move to their derived ids: opened, sealed again under the new id, and the old row
        removed, in one transaction each. One that does not open stays as it was. (``plain``:
        those rows, when already read.)"""
        vault = self.vault
        if plain is None:
            plain = await self._plain_singles()
        for rtype, name in SINGLETON.items():
            if name not in plain:
                continue
            new = await self.single_id(rtype)
            if await self.storage.get(new) is not None:
                continue
            try:
                data = await vault.get_bytes(rtype, name)
            except TamperedRecord:
                continue
            if data is not None:
                await vault.put_rows([await vault.seal_row(rtype, new, data)], (name,))

    # ---- changing the long-term record ---------------------------------------------------------
    async def commit(
        self,
        rows: list[Row],
        deletes: tuple[str, ...] = (),
        events: tuple[dict[str, Any], ...] = (),
    ) -> None:
        """Store ``rows``, delete ``deletes`` and append ``events`` (history contents) to the
        history, all in one transaction: a crash keeps all of it or none of it."""
        await self.history.commit(rows, deletes, events)

    async def save(
        self,
        rtype: str,
        value: dict[str, Any],
        *,
        case: str,
        event: str,
        text: Line,
        data: dict[str, Any] | None = None,
        before: tuple[Row, ...] = (),
        deletes: tuple[str, ...] = (),
    ) -> SaveResult:
        """The common change: one record (``value``, with its ``id``) stored, a line ``text``
        in its case's timeline, and the history entry ``event`` that says the same (in
        English, as the history keeps it), in one transaction (``before``: rows stored with it,
        such as a file's bytes)."""
        rid = value["id"]
        await self.commit(
            [*before, await self.row(rtype, rid, value), await self.note_row(case, text)],
            deletes,
            (make_content(event, text.text, case=case, record=rid, data=data or {}),),
        )
        return SaveResult(True)
