"""Dates the phone's way (issue 18, item 6): every date the person enters can be picked with
Flutter's own calendar and clock (and still typed), and the day saved is the day picked, in a
browser whose time zone is far from UTC on either side (flet-dev/flet#6145: the picked day came
back as the evening before). Chromium on the built site, with the zone set for the whole browser
(``TZ``), as a phone set to that zone would be."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from browser_harness import (
    launch,
    reveal,
    reveal_text,
    semantics_text,
    tap,
    type_into,
    wait_phase,
)
from test_browser import back_to_lock, create_vault, open_app, quick_exit, unlock
from test_browser_record import value_of

pytestmark = pytest.mark.browser


def pick_day(page, day) -> None:
    """In the open calendar: tap ``day`` (a date in the month it shows), then OK."""
    label = re.compile(rf"{day:%B} {day.day}, {day.year}")
    page.get_by_role("button", name=label).first.wait_for(timeout=15_000)
    page.get_by_role("button", name=label).first.click()
    page.get_by_role("button", name="OK").first.click()


# Kiritimati is UTC+14 and Pago Pago UTC-11: the same instant is a different day in each.
@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_day_picked_is_the_day_saved(server, pw, tmp_path, zone, artifacts_dir):
    ctx = launch(pw, tmp_path / "profile", env={"TZ": zone})
    try:
        page = open_app(ctx, server.url)
        create_vault(page)
        here = datetime.now(ZoneInfo(zone))
        assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == zone
        # In the month the calendar opens on (today's), and never after today: a day in the
        # future is refused, rightly (the 15th was, on the 1st of a month in CI).
        day = here.date().replace(day=1)

        # when the evidence was found: a day, then a time of day
        tap(page, "button", "Evidence log")
        type_into(page, "Web address (URL)", "https://example.com/picked")
        tap(page, "button", "Choose on a calendar: When you found it")
        pick_day(page, day)
        reveal_text(page, f"What time on {day.day} {day:%B %Y}?")  # the clock, for the day picked
        page.get_by_role("button", name="OK").first.click()
        found = value_of(page, "When you found it")
        assert found.startswith(f"{day:%Y-%m-%d} "), found
        reveal(page, page.get_by_role("button", name="Save to evidence log")).click()
        reveal_text(page, "Saved to your evidence log")
        reveal_text(page, f"found {day:%Y-%m-%d} ")

        # a date alone: the date a case number was given, read back from the case record
        tap(page, "button", "Back")
        tap(page, "button", "Case record")
        type_into(page, "Organisation", "Police")
        type_into(page, "Number or reference", "CR-6145")
        tap(page, "button", "Choose on a calendar: Date given")
        pick_day(page, day)
        assert value_of(page, "Date given") == f"{day:%Y-%m-%d}"
        tap(page, "button", "Save case number")
        reveal_text(page, "Case number saved")
        reveal_text(page, f"Police · {day:%Y-%m-%d}")
        # typing is still possible, as before
        type_into(page, "Number or reference", "CR-typed")
        type_into(page, "Date given", "2026-02-03")
        tap(page, "button", "Save case number")
        reveal_text(page, "2026-02-03")
    finally:
        for p in ctx.pages:
            p.screenshot(path=str(artifacts_dir / f"last-dates-{zone.split('/')[1]}.png"))
        ctx.close()


def test_a_calendar_open_at_quick_exit_is_not_left_over_the_lock_screen(server, browser):
    """Flet cannot close its own calendar: one left open at Quick exit (or a lock) stayed over
    the lock screen when the person came back, naming what it was for. Now it is closed."""
    page = open_app(browser, server.url)
    create_vault(page)
    tap(page, "button", "Evidence log")
    tap(page, "button", "Choose on a calendar: When you found it")
    page.get_by_role("button", name="OK").first.wait_for(timeout=15_000)
    page.wait_for_timeout(1_000)
    quick_exit(page)
    page.wait_for_timeout(2_500)  # (away for a while, as a person would be)
    back_to_lock(page)
    page.wait_for_timeout(1_500)
    assert page.get_by_role("button", name="OK").count() == 0
    assert "When you found it" not in semantics_text(page)
    unlock(page)
    reveal_text(page, "Step by step")

    # Nor at the lock when the person switches away (what the browser does: the page hidden).
    tap(page, "button", "Evidence log")
    tap(page, "button", "Choose on a calendar: When you found it")
    page.get_by_role("button", name="OK").first.wait_for(timeout=15_000)
    page.wait_for_timeout(1_000)
    seen = "Object.defineProperty(document, '{0}', {{value: {1}, configurable: true}});"
    page.evaluate(
        seen.format("visibilityState", "'hidden'") + seen.format("hidden", "true")
        + "document.dispatchEvent(new Event('visibilitychange'));"
        + "window.dispatchEvent(new Event('blur'));"
    )  # fmt: skip
    wait_phase(page, "unlock")  # locked (Flutter may not close anything while it is away)
    page.wait_for_timeout(2_500)
    page.evaluate(
        seen.format("visibilityState", "'visible'") + seen.format("hidden", "false")
        + "document.dispatchEvent(new Event('visibilitychange'));"
        + "window.dispatchEvent(new Event('focus'));"
    )  # fmt: skip
    page.get_by_role("button", name="Unlock").wait_for(timeout=15_000)
    assert page.get_by_role("button", name="OK").count() == 0
    assert "When you found it" not in semantics_text(page)
