"""What the screens call: small use-case modules over one session, the one path from the UI to
the vault and the documents.

``Services`` puts them together for one person, one device or browser tab::

    app = Services(storage)
    await app.session.unlock(passphrase)
    ok, item = await app.evidence.log(case.id, url, site, found_at)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.chain import CheckResult
from ..domain.content_types import Content, translated
from ..vault import Storage, Vault
from ..vault.inbox import InboxStore
from .backup import Backup
from .cases import Cases
from .drafts import Drafts
from .evidence import Evidence
from .history import History
from .inbox import Inbox, Received
from .overview import Overview, Snapshot
from .prefs import Prefs, Settings
from .records import MAX_ATTACHMENT, MAX_BACKUP
from .report import Reports
from .requests import Requests
from .session import (
    Clock,
    MoveFailed,
    SaveResult,
    Session,
    Throttle,
    TooManyAttempts,
)


class Services:
    def __init__(self, storage: Storage, inbox: InboxStore | None = None, **options: Any):
        """``inbox``: where shares into the app wait, sealed (the browser); ``options``: those
        of ``Session`` (clock, kdf, content, crypto, legacy)."""
        self._options = options
        self._shown: tuple[Callable[[str], str], Content] | None = None
        s = self.session = Session(storage, **options)
        self.history: History = s.history
        self.prefs = Prefs(s)
        self.drafts = Drafts(s)
        self.cases = Cases(s)
        self.evidence = Evidence(s)
        self.inbox = Inbox(s, self.evidence, inbox)
        self.requests = Requests(s, self.evidence)
        self.overview = Overview(s, self.cases, self.evidence, self.requests, self.prefs)
        self.backup = Backup(s, readable=self._readable)
        self.reports = Reports(s, self.cases, self.evidence, self.requests)

    async def _readable(self, storage: Storage, vault: Vault) -> None:
        """Open a record (a backup being restored) as the screens will, without keeping it."""
        trial = Services(storage, **{**self._options, "legacy": None})
        await trial.session.opened(vault.on(storage), start=False)
        try:
            await trial.overview.snapshot()
        finally:
            trial.session.lock()

    @property
    def content(self) -> Content:
        return self.session.content

    def content_in(self, say: Callable[[str], str]) -> Content:
        """The content as the screens show it in a language (``say``: its translator); what
        the services write into notices and the record stays in ``content``'s words."""
        if self._shown is None or self._shown[0] is not say:
            self._shown = (say, translated(self.content, say))
        return self._shown[1]

    @property
    def clock(self) -> Clock:
        return self.session.clock


__all__ = [
    "MAX_ATTACHMENT",
    "MAX_BACKUP",
    "CheckResult",
    "MoveFailed",
    "Received",
    "SaveResult",
    "Services",
    "Session",
    "Settings",
    "Snapshot",
    "Throttle",
    "TooManyAttempts",
]
