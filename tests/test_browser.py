"""The real app in Debian Chromium: lock screen, cards, quick exit, zero third-party requests,
no plaintext on disk, the DMCA flow, the case record and its report."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from browser_harness import (
    LOOPBACK,
    Server,
    check_until,
    enable_semantics,
    launch,
    open_app,
    press_until,
    reveal,
    reveal_text,
    semantics_text,
    tap,
    type_into,
)
from playwright.sync_api import sync_playwright

from pwa_app.content import load_content

pytestmark = pytest.mark.browser
PASS = "purple elephant dancing quietly"
CONTENT = load_content()


@pytest.fixture(scope="module")
def server():
    srv = Server()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def pw():
    with sync_playwright() as p:
        yield p


@pytest.fixture
def browser(pw, tmp_path, request, artifacts_dir):
    """A fresh browser profile (its own localStorage) that records every request."""
    profile = tmp_path / "profile"
    ctx = launch(pw, profile)
    ctx.requests = []
    ctx.blocked = []
    ctx.on("request", lambda r: ctx.requests.append(r.url))
    ctx.on("requestfailed", lambda r: ctx.blocked.append((r.url, r.failure)))
    ctx.profile = profile
    yield ctx
    for i, page in enumerate(ctx.pages):  # the last screen of every test, for a person to see
        page.screenshot(path=str(artifacts_dir / f"last-{request.node.name}-{i}.png"))
    ctx.close()


def shot(page, artifacts_dir: Path, name: str) -> None:
    page.screenshot(path=str(artifacts_dir / f"{name}.png"))


def create_vault(page) -> None:
    page.get_by_role("button", name="Create vault").wait_for(timeout=60_000)
    type_into(page, "Passphrase", PASS)
    type_into(page, "Repeat passphrase", PASS)
    press_until(page, "button", "Create vault", "Step by step", wait_ms=20_000)


def log_url(page, url: str) -> None:
    """Open the evidence log and save one address there."""
    tap(page, "button", "Evidence log")
    type_into(page, "Web address (URL)", url)
    press_until(page, "button", "Save to evidence log", "Saved to your evidence log")


def home(page) -> None:
    press_until(page, "button", "Back", "Step by step")


def quick_exit(page) -> None:
    page.get_by_role("button", name="Quick exit").first.click()
    page.get_by_text("Groceries", exact=False).wait_for(timeout=10_000)


def assert_no_content(page) -> None:
    text = semantics_text(page)
    for word in (
        "Recourse",
        "evidence",
        "Evidence",
        "Quick exit",
        "passphrase",
        "legal",
        *[c.title for c in CONTENT.cards],
    ):
        assert word not in text, f"{word!r} is still on screen after quick exit"
    assert page.title() == CONTENT.quick_exit.decoy_title


def back_to_lock(page) -> None:
    """From the decoy: tap the date line, as a person coming back would."""
    page.get_by_role("button").first.click()
    page.get_by_role("button", name="Unlock").wait_for(timeout=10_000)


def unlock(page, passphrase: str = PASS) -> None:
    type_into(page, "Passphrase", passphrase)
    expect = "Step by step" if passphrase == PASS else "did not open the vault"
    press_until(page, "button", "Unlock", expect, wait_ms=20_000)


# ---------------------------------------------------------------------------------------------
def test_create_lock_unlock_and_wrong_passphrase(server, browser, artifacts_dir):
    t0 = time.monotonic()
    page = open_app(browser, server.url)
    page.get_by_role("button", name="Create vault").wait_for(timeout=60_000)
    print(f"cold load to lock screen: {time.monotonic() - t0:.2f}s")
    assert "cannot recover" in semantics_text(page) or "nobody can recover" in semantics_text(page)
    shot(page, artifacts_dir, "01-create-passphrase")
    # mismatch is refused with a clear message; nothing is created
    type_into(page, "Passphrase", PASS)
    type_into(page, "Repeat passphrase", PASS + "x")
    press_until(page, "button", "Create vault", "not the same")
    type_into(page, "Repeat passphrase", PASS)
    press_until(page, "button", "Create vault", "Step by step", wait_ms=20_000)
    shot(page, artifacts_dir, "02-home")

    quick_exit(page)
    back_to_lock(page)
    shot(page, artifacts_dir, "03-unlock")
    unlock(page, "wrong passphrase")
    page.get_by_text("did not open the vault", exact=False).wait_for(timeout=10_000)
    shot(page, artifacts_dir, "04-wrong-passphrase")
    unlock(page)
    page.get_by_text("Step by step").wait_for(timeout=30_000)

    # a reload in a new tab of the same browser finds the vault (stored in this browser)
    page2 = browser.new_page()
    page2.goto(server.url)
    enable_semantics(page2)
    page2.get_by_role("button", name="Unlock").wait_for(timeout=60_000)
    page2.close()


def test_each_card_opens(server, browser, artifacts_dir):
    page = open_app(browser, server.url)
    create_vault(page)
    for card in CONTENT.cards:
        tap(page, "button", card.title)
        reveal_text(page, card.steps[0].text[:40])
        shot(page, artifacts_dir, f"card-{card.id}")
        home(page)
    tap(page, "button", "Questions people ask")
    reveal_text(page, CONTENT.faq[0].question)
    shot(page, artifacts_dir, "faq")


def test_step_progress_is_saved_in_the_vault(server, browser):
    page = open_app(browser, server.url)
    create_vault(page)
    card = CONTENT.cards[0]
    tap(page, "button", card.title)
    reveal(page, page.get_by_role("checkbox", name="Step 1 done")).click()
    page.get_by_role("checkbox", name="Step 1 done", checked=True).wait_for(timeout=15_000)
    quick_exit(page)
    back_to_lock(page)
    unlock(page)
    page.get_by_text("Step by step").wait_for(timeout=30_000)
    reveal_text(page, f"1 of {len(card.steps)} steps done")


@pytest.mark.parametrize("where", ["home", "card", "evidence", "lock"])
def test_quick_exit_button_from_every_kind_of_screen(server, browser, artifacts_dir, where):
    page = open_app(browser, server.url)
    create_vault(page)
    if where == "card":
        tap(page, "button", CONTENT.cards[2].title)
    elif where == "evidence":
        tap(page, "button", "Evidence log")
        page.get_by_text("Log where you found it").wait_for()
    elif where == "lock":
        quick_exit(page)
        back_to_lock(page)
    t0 = time.monotonic()
    quick_exit(page)
    print(f"quick exit ({where}) to decoy: {(time.monotonic() - t0) * 1000:.0f} ms")
    assert_no_content(page)
    shot(page, artifacts_dir, f"decoy-from-{where}")
    # Back does not lead into the content
    for _ in range(3):
        page.go_back()
        page.wait_for_timeout(1000)
        text = semantics_text(page) if page.url.startswith(server.url) else ""
        assert "Step by step" not in text and "Log where you found it" not in text


def test_quick_exit_keyboard_shift_three_times(server, browser):
    page = open_app(browser, server.url)
    create_vault(page)
    tap(page, "button", "Case record")
    page.get_by_text("Add a case number").wait_for()
    for _ in range(3):
        page.keyboard.press("Shift")
    page.get_by_text("Groceries", exact=False).wait_for(timeout=10_000)
    assert_no_content(page)
    page.go_back()
    page.wait_for_timeout(800)
    assert "Add a case number" not in semantics_text(page)


def test_shift_used_with_other_keys_does_not_exit(server, browser):
    page = open_app(browser, server.url)
    create_vault(page)
    page.keyboard.press("Shift")
    page.keyboard.press("a")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift+B")
    page.wait_for_timeout(800)
    assert "Step by step" in semantics_text(page)


def test_quick_exit_keyboard_escape_twice(server, browser):
    page = open_app(browser, server.url)
    create_vault(page)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.get_by_text("Groceries", exact=False).wait_for(timeout=10_000)
    assert_no_content(page)


def test_browser_contacts_no_other_host(server, browser):
    page = open_app(browser, server.url)
    create_vault(page)
    tap(page, "button", "Support directory")
    page.get_by_text("Tap a number to call", exact=False).wait_for()
    home(page)
    tap(page, "button", "Removal requests")
    page.get_by_text("Choose what to send").wait_for()
    quick_exit(page)
    left = [u for u in browser.requests if not u.startswith(LOOPBACK)]
    blocked = {u for u, failure in browser.blocked if failure == "csp"}
    # Requests the client asked for but the policy refused never left the browser.
    assert set(left) <= blocked, f"requests to other hosts left the browser: {set(left) - blocked}"
    assert all(
        urllib.request.urlparse(u).hostname in ("127.0.0.1", None)
        for u in browser.requests
        if u not in blocked
    )


def test_an_unknown_address_is_behind_the_gate_and_has_quick_exit(server, browser):
    page = open_app(browser, server.url + "no/such/page")
    page.get_by_role("button", name="Create vault").wait_for(timeout=60_000)
    create_vault(page)
    page.goto(server.url + "no/such/page")  # a new visit: locked again, whatever the address
    enable_semantics(page)
    page.get_by_role("button", name="Unlock").wait_for(timeout=60_000)
    assert "Step by step" not in semantics_text(page)
    quick_exit(page)
    assert_no_content(page)


def test_served_page_has_strict_csp_and_own_manifest(server):
    html = urllib.request.urlopen(server.url).read().decode()
    assert "Content-Security-Policy" in html and "default-src 'self'" in html
    assert "connect-src 'self'" in html
    assert "fonts.googleapis" not in html and "gstatic" not in html
    assert "sessionStorage.removeItem('_flet_session_id')" in html  # no reconnecting to a vault
    manifest = json.loads(urllib.request.urlopen(server.url + "manifest.json").read())
    assert manifest["name"] == "Recourse" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert urllib.request.urlopen(server.url + icon["src"]).status == 200


def _files_containing(root: Path, marker: bytes) -> list[str]:
    hits = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            try:
                data = p.read_bytes()
            except OSError:
                continue
            if marker in data or marker.decode().encode("utf-16-le") in data:
                hits.append(str(p))
    return hits


def test_record_survives_lock_and_no_plaintext_anywhere(server, browser, artifacts_dir):
    marker = "zq" + os.urandom(6).hex()
    page = open_app(browser, server.url)
    create_vault(page)
    # a case number
    tap(page, "button", "Case record")
    type_into(page, "Organisation (for example Metropolitan Police)", "Met Police")
    type_into(page, "Number or reference", f"CAD-{marker}")
    press_until(page, "button", "Save case number", "Case number saved")
    home(page)
    # an evidence URL
    tap(page, "button", "Evidence log")
    type_into(page, "Web address (URL)", f"https://example.com/{marker}")
    type_into(page, "Site or app (for example Reddit)", "Example")
    press_until(page, "button", "Save to evidence log", "Saved to your evidence log")
    home(page)
    # a checklist tick
    tap(page, "button", "Privacy checklist")
    first_item = CONTENT.checklist[0].items[0].what
    check_until(page, first_item)
    reveal_text(page, f"1 of {len(CONTENT.checklist_ids)} done")
    shot(page, artifacts_dir, "checklist")

    quick_exit(page)
    back_to_lock(page)
    unlock(page)
    page.get_by_text("Step by step").wait_for(timeout=30_000)
    tap(page, "button", "Case record")
    reveal_text(page, f"CAD-{marker}")
    shot(page, artifacts_dir, "case-record")
    home(page)
    tap(page, "button", "Evidence log")
    reveal_text(page, f"https://example.com/{marker}")
    shot(page, artifacts_dir, "evidence-log")
    home(page)
    tap(page, "button", "Privacy checklist")
    page.get_by_text(f"1 of {len(CONTENT.checklist_ids)} done").wait_for()

    # no plaintext in the browser's profile (localStorage included) or the server's files
    ls = page.evaluate("JSON.stringify(localStorage)")
    assert marker not in ls and "nb.r." in ls
    page.close()
    subprocess.run(["sync"], check=False)
    assert _files_containing(browser.profile, marker.encode()) == []
    assert _files_containing(server.home, marker.encode()) == []


def test_bad_input_gets_clear_message_and_keeps_what_was_typed(server, browser, artifacts_dir):
    page = open_app(browser, server.url)
    create_vault(page)
    tap(page, "button", "Evidence log")
    type_into(page, "Web address (URL)", "example.com/no-scheme")
    type_into(page, "When you found it (YYYY-MM-DD HH:MM, empty = now)", "2999-01-01 10:00")
    press_until(page, "button", "Save to evidence log", "must start with http")
    shot(page, artifacts_dir, "bad-url")
    type_into(page, "Web address (URL)", "https://example.com/fixed")
    press_until(page, "button", "Save to evidence log", "be in the future")
    # what was typed is still there
    field = page.get_by_label("Web address (URL)")
    field.click()
    assert page.evaluate("document.activeElement.value") == "https://example.com/fixed"
    home(page)
    tap(page, "button", "Case record")
    tap(page, "button", "Save case number")
    reveal_text(page, "it is required")


def test_dmca_notice_preview_pdf_mark_sent_and_report(server, browser, artifacts_dir, tmp_path):
    page = open_app(browser, server.url)
    create_vault(page)
    tap(page, "button", "Removal requests")
    tap(page, "button", "DMCA takedown notice")
    page.get_by_text("may not fit", exact=False).wait_for()
    values = {
        "Your full name *": "Ana Núñez",
        "Your email address": "ana@example.org",
        "Your phone number *": "+1 555 0100",
        "Your postal address *": "1 Main St, Springfield",
        "Send to (site or company) *": "Example Host Inc.",
        "Their email address (optional)": "dmca@example.com",
        "Web addresses (one per line) *": "https://example.com/a?x=1&y=2",
        "Describe the images (briefly) *": "two photos of me, taken in 2024",
    }
    tap(page, "button", "Preview")
    page.get_by_text("needed for this notice", exact=False).first.wait_for()
    for label, value in values.items():
        reveal(page, page.get_by_label(label, exact=True))
        type_into(page, label, value)
    tap(page, "button", "Preview")
    reveal_text(page, "Evidence first:")
    shot(page, artifacts_dir, "dmca-evidence-first")
    tap(page, "button", "Log them now")
    page.get_by_text("Logged 1 address", exact=False).wait_for()
    reveal_text(page, "penalty of perjury")
    shot(page, artifacts_dir, "dmca-preview")
    with page.expect_download(timeout=30_000) as dl:
        tap(page, "button", "Save PDF")
    pdf = tmp_path / "notice.pdf"
    dl.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "penalty of perjury" in text and "https://example.com/a?x=1&y=2" in text
    tap(page, "button", "Mark as sent")
    page.get_by_text("Recorded in your case", exact=False).wait_for()
    reveal(page, page.get_by_role("button", name="Back")).click()
    reveal_text(page, "Sent (1)")
    shot(page, artifacts_dir, "requests-sent")
    home(page)
    tap(page, "button", "Case record")
    type_into(page, "Number or reference", "PR-2026-77")
    press_until(page, "button", "Save case number", "Case number saved")
    with page.expect_download(timeout=30_000) as dl:
        tap(page, "button", "Make evidence report")
    report = tmp_path / "report.pdf"
    dl.value.save_as(report)
    text = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True).stdout
    assert "PR-2026-77" in text and "https://example.com/a?x=1&y=2" in text
    assert "DMCA takedown notice" in text


def test_several_cases_each_keep_their_own_evidence(server, browser, artifacts_dir):
    page = open_app(browser, server.url)
    create_vault(page)
    tap(page, "button", "Case record")
    press_until(page, "button", "Start new case", "please fill this in")  # no name yet
    type_into(page, "Name for the new case", "Second site")
    press_until(page, "button", "Start new case", "New case started")
    reveal_text(page, "Your cases (2)")
    shot(page, artifacts_dir, "cases")
    home(page)
    tap(page, "button", "Evidence log")
    reveal_text(page, "Case: Second site")
    type_into(page, "Web address (URL)", "https://example.com/second-site")
    press_until(page, "button", "Save to evidence log", "Saved to your evidence log")
    # switch back to the first case: its log is empty
    press_until(page, "button", "Change case", "Your cases (2)")
    press_until(page, "radio", "My case", "Now showing the case: My case", exact=True)
    home(page)
    tap(page, "button", "Evidence log")
    reveal_text(page, "Case: My case")
    reveal_text(page, "Nothing logged yet.")
    assert "second-site" not in semantics_text(page)
    # the choice is kept in the vault, across a lock
    quick_exit(page)
    back_to_lock(page)
    unlock(page)
    tap(page, "button", "Evidence log")
    reveal_text(page, "Case: My case")
    press_until(page, "button", "Change case", "Your cases (2)")
    press_until(page, "radio", "Second site", "Now showing the case: Second", exact=True)
    home(page)
    tap(page, "button", "Evidence log")
    reveal_text(page, "https://example.com/second-site")


def test_backup_from_one_browser_restores_in_another(server, browser, pw, tmp_path, artifacts_dir):
    marker = "zq" + os.urandom(6).hex()
    page = open_app(browser, server.url)
    create_vault(page)
    log_url(page, f"https://example.com/{marker}")
    home(page)
    tap(page, "button", "Settings", exact=True)
    with page.expect_download(timeout=30_000) as dl:
        tap(page, "button", "Export encrypted backup")
    backup = tmp_path / "backup.enc"
    dl.value.save_as(backup)
    assert marker.encode() not in backup.read_bytes()

    other = launch(pw, tmp_path / "other-device")
    try:
        page2 = open_app(other, server.url)
        page2.get_by_role("button", name="Create vault").wait_for(timeout=60_000)
        not_backup = tmp_path / "notes.txt"
        not_backup.write_text("just some notes")
        with page2.expect_file_chooser(timeout=30_000) as fc:
            tap(page2, "button", "Restore from a backup file")
        fc.value.set_files(str(not_backup))
        type_into(page2, "Backup passphrase", PASS)
        press_until(page2, "button", "Restore backup", "not a Recourse backup")
        with page2.expect_file_chooser(timeout=30_000) as fc:
            tap(page2, "button", "Choose another file")
        fc.value.set_files(str(backup))
        reveal_text(page2, "Backup file: backup.enc")
        type_into(page2, "Backup passphrase", PASS + " wrong")
        press_until(page2, "button", "Restore backup", "passphrase is wrong")
        shot(page2, artifacts_dir, "restore-refused")
        type_into(page2, "Backup passphrase", PASS)
        press_until(page2, "button", "Restore backup", "Step by step", wait_ms=30_000)
        tap(page2, "button", "Evidence log")
        reveal_text(page2, f"https://example.com/{marker}")
        shot(page2, artifacts_dir, "restored")
    finally:
        other.close()


def test_disguise_renames_tab_lock_screen_and_installed_app(server, browser, artifacts_dir):
    page = open_app(browser, server.url)
    create_vault(page)
    tap(page, "button", "Settings", exact=True)
    press_until(page, "button", 'Call it "Weather"', "neutral name")
    wait_title(page, "Weather")
    page.reload()
    # before the app has even drawn, the page script has swapped title, manifest and icons
    page.wait_for_selector("link[rel=manifest][href='disguise/weather.json']", state="attached")
    titles = set()
    for _ in range(40):  # the app starting must never show the real name, not even briefly
        titles.add(page.title())
        page.wait_for_timeout(50)
    assert "Recourse" not in titles and "Weather" in titles
    manifest = json.loads(
        urllib.request.urlopen(server.url + "disguise/weather.json", timeout=10).read()
    )
    assert manifest["name"] == "Weather"
    enable_semantics(page)
    page.get_by_role("button", name="Unlock").wait_for(timeout=60_000)
    reveal_text(page, "Weather")
    assert "Recourse" not in semantics_text(page)
    assert page.title() == "Weather"
    shot(page, artifacts_dir, "disguised-lock")
    unlock(page)
    tap(page, "button", "Settings", exact=True)
    press_until(page, "switch", "Show a neutral name", "shows its own name")
    page.wait_for_selector("link[rel=manifest][href='manifest.json']", state="attached")
    wait_title(page, "Recourse")


def wait_title(page, title: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while page.title() != title:
        assert time.monotonic() < deadline, f"the tab title stayed {page.title()!r}"
        page.wait_for_timeout(100)


def _photo_with_location(path: Path) -> None:
    from PIL import Image

    im = Image.new("RGB", (64, 48), "red")
    ex = Image.Exif()
    ex[271], ex[272] = "Acme", "Phone 9"
    ex[34853] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 30.0)}
    im.save(path, "JPEG", exif=ex)


def test_attachments_are_blurred_and_photo_data_is_removed(
    server, browser, artifacts_dir, tmp_path
):
    from PIL import Image

    photo = tmp_path / "screenshot.jpg"
    _photo_with_location(photo)
    fake = tmp_path / "fake.jpg"
    fake.write_text("this is not a picture")
    page = open_app(browser, server.url)
    create_vault(page)
    log_url(page, "https://example.com/attach")
    with page.expect_file_chooser(timeout=30_000) as fc:
        tap(page, "button", "Attach screenshot or file")
    fc.value.set_files(str(photo))
    reveal_text(page, "fingerprint is recorded")
    reveal_text(page, "GPS")  # the photo's hidden location is pointed out at once
    reveal_text(page, "SHA-256 ")
    # never shown without a tap: first a blurred preview, then "Tap to show"
    tap(page, "button", "Load blurred preview")
    reveal(page, page.get_by_role("button", name="Tap to show"))
    shot(page, artifacts_dir, "evidence-blurred")
    # an "image" that is not one: a clear message, and the first attachment is kept
    with page.expect_file_chooser(timeout=30_000) as fc:
        tap(page, "button", "Attach screenshot or file")
    fc.value.set_files(str(fake))
    reveal_text(page, "named like a picture but is not one")
    reveal_text(page, "fake.jpg")
    reveal_text(page, "screenshot.jpg")
    # a file added by mistake can be taken out again, after one question
    tap(page, "button", "Remove fake.jpg")
    press_until(page, "button", "Yes, remove it", "fake.jpg removed")
    reveal_text(page, "Remove screenshot.jpg")
    assert page.get_by_role("button", name="Remove fake.jpg").count() == 0

    tap(page, "button", "Check a photo's hidden data")
    with page.expect_file_chooser(timeout=30_000) as fc:
        tap(page, "button", "Choose a photo")
    fc.value.set_files(str(photo))
    reveal_text(page, "Acme")
    with page.expect_download(timeout=30_000) as dl:
        tap(page, "button", "Save a copy without hidden data")
    clean = tmp_path / "clean.jpg"
    dl.value.save_as(clean)
    with Image.open(clean) as im:
        exif = im.getexif()
        assert im.size == (64, 48) and 34853 not in exif and 271 not in exif


def test_large_text_on_a_small_phone(server, pw, tmp_path, artifacts_dir):
    """Text at twice the size (the browser's own setting) at 360x640: Quick exit stays whole and
    on screen, and every step can still be reached and used."""
    ctx = launch(pw, tmp_path / "large-text")
    ctx.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => "
        "{ document.documentElement.style.fontSize = '200%'; });"
    )
    try:
        page = open_app(ctx, server.url)

        def quick_exit_on_screen() -> None:
            box = reveal(page, page.get_by_role("button", name="Quick exit")).bounding_box()
            assert box and box["x"] >= 0 and box["y"] >= 0
            assert box["x"] + box["width"] <= 361 and box["y"] + box["height"] <= 641
            assert box["height"] >= 40  # a thumb-sized target even with big text

        reveal(page, page.get_by_role("button", name="Create vault"))
        quick_exit_on_screen()
        shot(page, artifacts_dir, "large-text-lock")
        create_vault(page)
        quick_exit_on_screen()
        shot(page, artifacts_dir, "large-text-home")
        tap(page, "button", CONTENT.cards[0].title)
        quick_exit_on_screen()
        reveal(page, page.get_by_role("checkbox", name="Step 1 done"))
        shot(page, artifacts_dir, "large-text-card")
        home(page)
        log_url(page, "https://example.com/large")
        quick_exit_on_screen()
        shot(page, artifacts_dir, "large-text-evidence")
        quick_exit(page)
        assert_no_content(page)
    finally:
        ctx.close()


def test_auto_lock_after_a_minute_without_input(server, browser):
    page = open_app(browser, server.url)
    create_vault(page)
    tap(page, "button", "Settings", exact=True)
    press_until(page, "radio", "1 min", "Saved.", exact=True)
    home(page)
    # no input from here on: within the minute (plus the 2-second check) the vault locks
    page.get_by_role("button", name="Unlock").wait_for(timeout=100_000)
    reveal_text(page, "Locked after a few minutes without use.")
    assert "Step by step" not in semantics_text(page)
    unlock(page)


def test_reloading_or_reopening_the_page_comes_back_locked(server, browser):
    page = open_app(browser, server.url)
    create_vault(page)
    tap(page, "button", "Evidence log")
    for _ in range(2):  # the same tab, so the same server session if Flet reuses it
        page.reload()
        enable_semantics(page)
        page.get_by_role("button", name="Unlock").wait_for(timeout=60_000)
        assert "Log where you found it" not in semantics_text(page)
    unlock(page)


def test_switching_away_from_the_tab_locks(server, browser):
    page = open_app(browser, server.url)
    create_vault(page)
    tap(page, "button", "Evidence log")
    # what the browser does when the person switches tab or app: the page becomes hidden
    page.evaluate(
        "Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
        "Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'));"
        "window.dispatchEvent(new Event('blur'));"
    )
    page.get_by_role("button", name="Unlock").wait_for(timeout=30_000)
    assert "Log where you found it" not in semantics_text(page)
