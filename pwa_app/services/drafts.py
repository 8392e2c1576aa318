"""Text typed into a form and not yet saved, kept sealed in the vault (one record) a moment after
the typing stops, so that a lock (the app sent to the background to copy a web address, the
auto-lock, Quick exit) or a crash does not take it. It is never part of the evidence record: not
in the history, a report or a pack. A passphrase is never kept here (the screens do not give
one)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from .records import T_DRAFTS

if TYPE_CHECKING:
    from .session import Session

MAX_DRAFTS = 40  # the newest kept; an older one goes first


class Drafts:
    def __init__(self, session: Session):
        self.session = session
        self._turn = asyncio.Lock()  # one read-change-write at a time (two forms may type)

    async def get(self, name: str) -> dict[str, str]:
        """What was typed into the form ``name`` and not yet saved ({} when nothing)."""
        kept = (await self.session.single(T_DRAFTS)).get(name)
        if not isinstance(kept, dict):
            return {}
        return {k: v for k, v in kept.items() if isinstance(k, str) and isinstance(v, str)}

    async def keep(self, name: str, values: dict[str, str]) -> None:
        """Keep ``values`` as the form's draft (all empty: the draft goes)."""
        values = {k: v for k, v in values.items() if v.strip()}
        async with self._turn:
            drafts = await self.session.single(T_DRAFTS)
            drafts.pop(name, None)
            if values:
                drafts[name] = values  # (last in the order: the newest)
            while len(drafts) > MAX_DRAFTS:
                drafts.pop(next(iter(drafts)))
            await self.session.put_single(T_DRAFTS, drafts)

    async def drop(self, name: str) -> None:
        """The form was saved: its draft goes."""
        async with self._turn:
            drafts = await self.session.single(T_DRAFTS)
            if drafts.pop(name, None) is not None:
                await self.session.put_single(T_DRAFTS, drafts)
