"""Hostile and unusual files in the built site, in Chromium (issue 16): a photo the app reads
but cannot copy pixel for pixel (AVIF, TIFF) is never said to hold nothing, and the person is
offered what works; a backup whose record cannot be read is refused plainly, and the first
screen stays usable."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_harness import press_until, reveal, reveal_text, semantics_text, tap, type_into
from conftest import FAST_KDF
from PIL import Image
from test_browser import PASS, create_vault, open_app, run_native

from pwa_app.content import load_content
from pwa_app.services import Services
from pwa_app.services.records import T_CHECKLIST
from pwa_app.vault import MemoryStorage

pytestmark = pytest.mark.browser
ADVICE = load_content().photo


def located(fmt: str, path: Path) -> Path:
    """A picture whose hidden data holds a GPS position and a phone's name."""
    ex = Image.Exif()
    ex[271], ex[272] = "Acme", "Phone 9"
    ex[34853] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 30.0)}
    im = Image.new("RGB", (48, 32), "red")
    im.save(path, fmt, exif=ex.tobytes() if fmt == "TIFF" else ex)
    return path


def check_photo(page, path: Path) -> None:
    tap(page, "button", "Evidence log")
    tap(page, "button", "Check a photo's hidden data")
    with page.expect_file_chooser(timeout=30_000) as fc:
        tap(page, "button", "Choose a photo")
    fc.value.set_files(str(path))
    reveal_text(page, "51.50000, -0.12500")


def test_an_avif_photo_is_read_and_copied_anew_without_its_hidden_data(server, browser, tmp_path):
    photo = located("AVIF", tmp_path / "photo.avif")
    page = open_app(browser, server.url)
    create_vault(page)
    check_photo(page, photo)
    reveal_text(page, "Acme Phone 9")
    reveal_text(page, "cannot copy it without its hidden data")
    assert "no location, device or time data" not in semantics_text(page)
    with page.expect_download(timeout=60_000) as dl:
        tap(page, "button", ADVICE.reencode_button)
    copy = tmp_path / "copy.jpg"
    dl.value.save_as(copy)
    with Image.open(copy) as im:
        assert im.format == "JPEG" and im.size == (48, 32)
        assert dict(im.getexif()) == {}
    assert b"Acme" not in copy.read_bytes()


def test_a_tiff_this_browser_cannot_open_gets_the_steps_that_work(server, browser, tmp_path):
    photo = located("TIFF", tmp_path / "scan.tiff")
    page = open_app(browser, server.url)
    create_vault(page)
    check_photo(page, photo)
    reveal_text(page, ADVICE.steps_title)
    reveal_text(page, ADVICE.steps[0][:40])
    press_until(page, "button", ADVICE.reencode_button, "cannot open this kind of picture")
    assert "no location, device or time data" not in semantics_text(page)


def test_a_backup_whose_record_cannot_be_read_is_refused_and_the_screen_stays_usable(
    server, browser, tmp_path
):
    async def odd_backup() -> bytes:
        maker = Services(MemoryStorage(), kdf=FAST_KDF, min_score=0)
        await maker.session.create(PASS)
        await maker.cases.ensure()
        # under its name, as versions before the derived ids kept it
        await maker.session.vault.put(T_CHECKLIST, "checklist", {"done": 7})
        return await maker.backup.export()

    backup = tmp_path / "odd.enc"
    backup.write_bytes(run_native(odd_backup))
    page = open_app(browser, server.url)
    page.get_by_role("button", name="Create vault").wait_for(timeout=90_000)
    with page.expect_file_chooser(timeout=30_000) as fc:
        tap(page, "button", "Restore from a backup file")
    fc.value.set_files(str(backup))
    type_into(page, "Backup passphrase", PASS)
    press_until(page, "button", "Restore backup", "cannot be read by this version", wait_ms=60_000)
    # still usable: the button works again, and a new vault can be made instead
    assert page.get_by_role("button", name="Restore backup").is_enabled()
    reveal(page, page.get_by_role("button", name="Create vault"))
    create_vault(page)
    assert "Step by step" in semantics_text(page)
