"""A record that stands up in court (issue 22), in Chromium on the built site served by a plain
static file server: the report made inside the browser names the browser's time zone and gives
its offset for each date, draws and extracts Hindi with the Devanagari font fetched only when a
PDF needs it, and a request's answer kept as a file goes into the pack with the notice as it
was sent."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile

import pytest
from browser_harness import (
    built_site,
    enable_semantics,
    launch,
    press_until,
    reveal,
    tap,
    type_into,
    watch,
)
from pypdf import PdfReader
from test_browser import create_vault, home, log_url
from test_browser_record import make_report, pdf_text, send_platform_report

from pwa_app.verify import verify_pack

pytestmark = pytest.mark.browser

HINDI = "मेरी तस्वीरें बिना अनुमति के पोस्ट की गईं"
URL = "https://example.com/court"


FONT = "fonts/Lohit-Devanagari.ttf"


def test_the_devanagari_font_is_on_the_site_but_not_in_what_every_visit_loads():
    site = built_site()
    sw = (site / "sw.js").read_text()
    listed = json.loads(re.search(r"^const SITE = (\{.*\});$", sw, re.M).group(1))
    assert FONT in listed["files"] and FONT not in listed["core"]
    assert (site / FONT).stat().st_size > 100_000


def test_a_report_made_in_the_browser_names_its_time_zone_and_draws_hindi(server, pw, tmp_path):
    ctx = launch(pw, tmp_path / "profile", timezone_id="Europe/Madrid")
    watch(ctx)
    try:
        page = ctx.new_page()
        page.goto(server.url)
        enable_semantics(page)
        create_vault(page)
        tap(page, "button", "Evidence log")
        type_into(page, "Web address (URL)", URL)
        type_into(page, "Notes (optional)", HINDI)
        press_until(page, "button", "Save to evidence log", "Saved to your evidence log")
        home(page)
        path = make_report(page, tmp_path)
        text = pdf_text(path)
        flat = " ".join(text.split())
        assert "Every time is given in Europe/Madrid" in flat
        # 30 November is winter time in Madrid: one hour ahead of UTC
        assert "+01:00 (" in flat and "UTC)" in flat
        assert HINDI in text
        reader = PdfReader(path)
        fonts = {
            str(f.get_object().get("/BaseFont"))
            for p in reader.pages
            for f in ((p.get("/Resources") or {}).get("/Font") or {}).values()
        }
        assert any("Lohit" in f for f in fonts), fonts  # fetched when this PDF needed it
        assert "<pdfaid:part>2</pdfaid:part>" in reader.xmp_metadata.rdf_root.toxml()
    finally:
        ctx.close()


def test_an_answer_kept_as_a_file_goes_into_the_pack_with_the_notice_as_sent(
    server, browser, tmp_path
):
    page = browser.new_page()
    page.goto(server.url)
    enable_semantics(page)
    create_vault(page)
    log_url(page, URL)
    send_platform_report(page, URL)
    answer = tmp_path / "their answer.eml"
    answer.write_bytes(b"From: support@example.com\r\nSubject: Re: report\r\n\r\nRemoved.\r\n")
    with page.expect_file_chooser(timeout=30_000) as fc:
        reveal(page, page.get_by_role("button", name="Keep their answer as a file")).click()
    fc.value.set_files(str(answer))
    press_until(page, "button", "Removed", "Updated: removed.", exact=True)
    home(page)
    tap(page, "button", "Case record")
    with page.expect_download(timeout=120_000) as dl:
        reveal(page, page.get_by_role("button", name="Save evidence pack")).click()
    pack = dl.value.path().read_bytes()
    assert verify_pack(pack).ok, verify_pack(pack).problems
    z = zipfile.ZipFile(io.BytesIO(pack))
    names = z.namelist()
    assert "replies/R-1.1-their_answer.eml" in names, names
    assert z.read("replies/R-1.1-their_answer.eml") == answer.read_bytes()
    manifest = json.loads(z.read("manifest.json"))
    kept = next(e for e in manifest["history"]["entries"] if e.get("content", {}).get("event")
                == "request.sent")  # fmt: skip
    notice = z.read("notices/R-1.txt")
    assert hashlib.sha256(notice).hexdigest() == kept["content"]["data"]["text_sha256"]
    assert URL.encode() in notice
