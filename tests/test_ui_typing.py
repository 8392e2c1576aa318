"""Typing is use, and a lock never clears typed text without a word (the real app in this
process, through Flet's own event dispatch: see ui_harness)."""

from __future__ import annotations

import asyncio
import time

from ui_harness import UiApp, with_app

from pwa_app.i18n import _
from pwa_app.ui.state import UNSAVED_CLEARED

IDLE = "Locked after a few minutes without use."


async def idle_for(app: UiApp, seconds: float) -> None:
    """As if nothing had been tapped or typed for ``seconds``."""
    app.actions.last_activity = time.monotonic() - seconds


async def locked_by_the_clock(app: UiApp) -> str:
    """Nothing done for over a minute: the auto-lock (which looks every 2 seconds) locks, and
    what it says is returned."""
    app.actions.say("")
    app.actions.store.settings.auto_lock_minutes = 1
    await idle_for(app, 61)
    await asyncio.sleep(2.5)
    await app.settle()
    assert app.actions.store.phase == "unlock"
    return app.actions.store.message


async def unlock(app: UiApp, route: str) -> None:
    await app.unlock()
    await app.go(route)


def test_typing_is_use_so_the_vault_does_not_lock_while_the_person_writes():
    async def go(app: UiApp) -> None:
        app.actions.store.settings.auto_lock_minutes = 1
        await app.go("/evidence")
        # almost a minute of silence, then the person types (a phone's keyboard sends no key
        # events: only the field's changes say that someone is there); the auto-lock looks at
        # least once in the next 2.5 seconds, when over a minute would have gone by
        await idle_for(app, 59.6)
        await app.field("Notes (optional)", "Found it on a forum after")
        await asyncio.sleep(2.5)  # (the auto-lock looks every 2 seconds)
        await app.settle()
        assert app.actions.store.phase == "open"
        await app.field("Notes (optional)", "Found it on a forum after a friend sent me the link")
        await app.field("Web address", "https://forum.example/t/1")
        await app.press("Save to evidence log")
        assert [e.notes for e in app.actions.store.evidence] == [
            "Found it on a forum after a friend sent me the link"
        ]

    with_app(go)


def test_a_lock_says_when_it_cleared_text_typed_and_not_saved():
    async def go(app: UiApp) -> None:
        await app.go("/evidence")
        await app.field("Notes (optional)", "What they wrote under the picture")
        said = await locked_by_the_clock(app)
        assert said.startswith(IDLE) and _(UNSAVED_CLEARED) in said
        assert "What they wrote" not in app.screen_text()

        # unlocked again: the cleared form is gone with its screen, so the next lock, with
        # nothing typed, says only why it locked
        await unlock(app, "/")
        assert await locked_by_the_clock(app) == IDLE

        # typed and saved: nothing was lost, and nothing is said about it
        await unlock(app, "/evidence")
        await app.field("Web address", "https://forum.example/t/2")
        await app.press("Save to evidence log")
        assert "Saved to your evidence log" in app.actions.store.message
        assert await locked_by_the_clock(app) == IDLE

        # typed, then deleted again: nothing is lost
        await unlock(app, "/evidence")
        await app.field("Notes (optional)", "x")
        await app.field("Notes (optional)", "")
        assert await locked_by_the_clock(app) == IDLE

        # a search typed into the case record is not something to save
        await unlock(app, "/case")
        await app.field("Search", "forum")
        assert await locked_by_the_clock(app) == IDLE

        # nor is the passphrase field of the lock screen (the screen is already locked), but a
        # note typed into the case record is
        await unlock(app, "/case")
        await app.field("What happened or what you did", "Called the police")
        assert _(UNSAVED_CLEARED) in await locked_by_the_clock(app)

    with_app(go)
