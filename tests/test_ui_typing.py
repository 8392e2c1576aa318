"""Typing is use; what is typed and not saved is kept sealed as a draft, and a lock never takes
typed text without a word (the real app in this process, through Flet's own event dispatch: see
ui_harness; the vault on real files for what rests on disk)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import flet as ft
from ui_harness import UiApp, with_app

from pwa_app.i18n import _
from pwa_app.ui.state import DRAFT_BACK, UNSAVED_CLEARED, UNSAVED_KEPT
from pwa_app.vault import SqliteStorage, default_crypto
from pwa_app.vault.inbox import MemoryInbox, encode, seal

IDLE = "Locked after a few minutes without use."
NOTE = "Found it on a forum after a friend sent me the link"


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
    await app.until(lambda: (app.page.route or "/") == route)
    await asyncio.sleep(0.2)  # (a draft comes back from the vault)
    await app.settle()


def field_value(app: UiApp, label: str) -> str:
    return app.one(ft.TextField, label).value or ""


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
        await app.field("Notes (optional)", NOTE)
        await app.field("Web address", "https://forum.example/t/1")
        await app.press("Save to evidence log")
        assert [e.notes for e in app.actions.store.evidence] == [NOTE]

    with_app(go)


def test_text_typed_and_not_saved_is_kept_sealed_through_a_lock_and_goes_once_saved(
    tmp_path: Path,
):
    async def go(app: UiApp) -> None:
        await app.go("/evidence")
        await app.field("Web address", "https://forum.example/t/9")
        await app.field("Notes (optional)", "What they wrote under the picture")
        said = await locked_by_the_clock(app)
        assert said.startswith(IDLE) and _(UNSAVED_KEPT) in said
        assert "What they wrote" not in app.screen_text()
        # at rest: ciphertext only, on disk
        assert not [
            p for p in tmp_path.rglob("*") if p.is_file() and b"under the pic" in p.read_bytes()
        ]

        # unlocked: it is back in its form, said so, not saved
        await unlock(app, "/evidence")
        assert field_value(app, "Notes (optional)") == "What they wrote under the picture"
        assert field_value(app, "Web address") == "https://forum.example/t/9"
        assert app.actions.store.message == _(DRAFT_BACK)
        assert app.actions.store.evidence == []

        # saved: the draft goes, and nothing more is said at the next lock
        await app.press("Save to evidence log")
        assert [e.notes for e in app.actions.store.evidence] == [
            "What they wrote under the picture"
        ]
        assert await locked_by_the_clock(app) == IDLE
        await unlock(app, "/evidence")
        assert field_value(app, "Notes (optional)") == ""
        assert app.actions.store.message != _(DRAFT_BACK)

    with_app(go, storage=SqliteStorage(tmp_path))


def test_a_lock_before_the_draft_is_kept_says_the_text_was_cleared():
    async def go(app: UiApp) -> None:
        await app.go("/case")
        await app.field("What happened or what you did", "Called the police at 9")
        app.actions.lock(IDLE)  # at once: the draft is kept only a moment after typing stops
        await app.settle()
        assert app.actions.store.message == f"{IDLE} {_(UNSAVED_CLEARED)}"

        # typed, then deleted again: nothing is lost; a search is not something to save
        await unlock(app, "/case")
        await app.field("What happened or what you did", "x")
        await app.field("What happened or what you did", "")
        await app.field("Search", "forum")
        assert await locked_by_the_clock(app) == IDLE

    with_app(go)


def test_a_draft_stays_with_its_case():
    async def go(app: UiApp) -> None:
        first = app.actions.case.id
        await app.go("/evidence")
        await app.field("Notes (optional)", "Seen on the first site")
        await asyncio.sleep(1.2)  # kept
        await app.go("/case")
        await app.field("Name for the new case", "Second site")
        await app.press("Start new case")
        assert app.actions.case.id != first
        await app.go("/evidence")
        await asyncio.sleep(0.2)
        await app.settle()
        assert field_value(app, "Notes (optional)") == ""  # not the other case's draft
        await app.go("/")
        await app.actions.open_case(first)
        await app.go("/evidence")
        await asyncio.sleep(0.2)
        await app.settle()
        assert field_value(app, "Notes (optional)") == "Seen on the first site"

    with_app(go)


def test_a_pasted_answer_comes_back_after_a_lock_and_goes_once_saved():
    async def go(app: UiApp) -> None:
        svc = app.service
        notice = svc.requests.render(
            "platform", {"recipient": "First", "urls": "https://a.example/1", "description": "x"}
        )
        await svc.requests.mark_sent(app.actions.case.id, notice)
        await app.actions.refresh()
        await app.go("/requests")

        def answer() -> ft.TextField:
            return app.one(ft.TextField, "Their answer", within=app.holding(ft.Card, "First")[0])

        await app.type(answer(), "We have received your report #123")
        assert _(UNSAVED_KEPT) in await locked_by_the_clock(app)
        await unlock(app, "/requests")
        assert answer().value == "We have received your report #123"
        await app.press("Save ticket and answer", within=app.holding(ft.Card, "First")[0])
        assert [r.notes for r in app.actions.store.requests] == [
            "We have received your report #123"
        ]
        assert await svc.drafts.get(f"answer:{app.actions.store.requests[0].id}") == {}
        assert await locked_by_the_clock(app) == IDLE

    with_app(go)


def test_after_quick_exit_the_typed_note_is_back_in_its_form():
    async def go(app: UiApp) -> None:
        await app.go("/case")
        await app.field("What happened or what you did", "Spoke to the officer on duty")
        await asyncio.sleep(1.2)  # (kept a moment after the typing stops)
        app.actions.quick_exit()
        await app.settle()
        assert app.actions.store.phase == "decoy"
        assert "Spoke to the officer" not in app.screen_text()
        app.actions.leave_decoy()
        await app.go("/")  # (what the lock screen's Unlock does first)
        await unlock(app, "/case")
        assert field_value(app, "What happened or what you did") == "Spoke to the officer on duty"

    with_app(go)


def test_what_was_typed_for_a_shared_item_goes_when_the_item_is_removed():
    inbox = MemoryInbox()

    async def go(app: UiApp) -> None:
        await app.service.inbox.ready()
        meta = {"v": 1, "received": "2026-11-24T10:15:00Z", "text": "a link", "files": []}
        inbox.add(await seal(default_crypto(), inbox.public, encode(meta, [])))
        await app.actions.receive_shares()
        (waiting,) = app.actions.store.shared
        await app.go("/evidence")
        await app.field("Web address where you found it", "https://forum.example/t/9")
        await asyncio.sleep(1.2)  # (kept a moment after the typing stops)
        name = f"shared:{waiting.id}"
        assert await app.service.drafts.get(name) == {"url": "https://forum.example/t/9"}
        await app.press("Remove")
        await app.press("Yes, remove it")
        assert app.actions.store.shared == []
        assert await app.service.drafts.get(name) == {}  # (nothing of it left behind)
        assert await locked_by_the_clock(app) == IDLE

    with_app(go, inbox=inbox)
