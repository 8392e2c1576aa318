"""A phone's own Back (its back gesture or button) inside the app: one screen back, as the app's
Back button goes, not out of the app (which closed it and locked the vault). Chromium on the
built site with a touch screen, as a phone's browser is; a close request is what a phone's Back
makes, and what Escape makes on a computer, so Escape stands in for it here."""

from __future__ import annotations

import pytest
from browser_harness import launch, reveal_text, semantics_text, tap, wait_phase
from test_browser import back_to_lock, create_vault, open_app, quick_exit, unlock

from pwa_app.content import load_content

pytestmark = pytest.mark.browser
CONTENT = load_content()
HOME = "Step by step"


def phone_back(page) -> None:
    """The phone's Back. (Escape, as on a computer, is also half of Quick exit's double press:
    each Back waits until a second one would no longer count as that.)"""
    page.wait_for_timeout(1_700)
    page.keyboard.press("Escape")


def on_screen(page, text: str, timeout: float = 15_000) -> None:
    page.wait_for_function(
        "t => [...document.querySelectorAll('flt-semantics')].some(e => (e.innerText ||"
        " e.getAttribute('aria-label') || '').includes(t))",
        arg=text,
        timeout=timeout,
    )


def test_a_phones_back_goes_back_one_screen_and_never_adds_to_the_tabs_history(
    server, pw, tmp_path, artifacts_dir
):
    ctx = launch(pw, tmp_path / "profile", has_touch=True, is_mobile=True)
    try:
        page = open_app(ctx, server.url)
        assert page.evaluate("typeof CloseWatcher === 'function'")
        assert page.evaluate("matchMedia('(pointer: coarse)').matches")
        create_vault(page)
        length = page.evaluate("history.length")

        # Two screens deep, then back up one at a time, as the app's own Back would go.
        tap(page, "button", "Removal requests")
        page.get_by_text("Choose what to send").wait_for()
        tap(page, "button", "DMCA takedown notice")
        reveal_text(page, "Use DMCA only if you own the copyright")
        phone_back(page)
        page.get_by_text("Choose what to send").wait_for(timeout=15_000)
        phone_back(page)
        on_screen(page, HOME)
        assert "Choose what to send" not in semantics_text(page)

        # At home there is nowhere further back in the app: the page is left as it is.
        phone_back(page)
        page.wait_for_timeout(2_000)
        on_screen(page, HOME)
        assert page.evaluate("document.documentElement.dataset.phase") == "open"

        # A calendar open over a form: Back closes the calendar, and the form stays.
        tap(page, "button", "Evidence log")
        tap(page, "button", "Choose on a calendar: When you found it")
        page.get_by_role("button", name="OK").first.wait_for(timeout=15_000)
        page.wait_for_timeout(1_000)  # (open, not still opening: as a person's Back would come)
        page.evaluate("window.recourse.send('back')")  # (what the page's watch sends)
        page.get_by_role("button", name="OK").first.wait_for(state="detached", timeout=15_000)
        assert page.evaluate("document.documentElement.dataset.phase") == "open"
        reveal_text(page, "Web address (URL)")
        phone_back(page)
        on_screen(page, HOME)

        # Nothing of this went into the tab's history: its back list still names nothing.
        assert page.evaluate("history.length") == length

        # Under Quick exit's cover, Back does not reach the app.
        tap(page, "button", CONTENT.cards[0].title)
        quick_exit(page)
        phone_back(page)
        page.wait_for_timeout(2_000)
        wait_phase(page, "decoy")
        back_to_lock(page)
        unlock(page)
        on_screen(page, HOME)
    finally:
        for p in ctx.pages:
            p.screenshot(path=str(artifacts_dir / "last-phone-back.png"))
        ctx.close()
