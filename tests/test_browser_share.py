"""Handing over from a phone (issue 18, item 7): where the browser's share sheet takes files,
the notice PDF, the evidence pack and report, and a backup can go to it (Flet's Share service);
where it does not, nothing offers to share, and Save downloads as before.

Headless Chromium on Linux has no share sheet (Web Share exists on Android, ChromeOS, macOS,
Windows and in Safari), so the share sheet here is a stand-in the test puts in the page before it
loads: it keeps the files the page hands to ``navigator.share`` so the test can read them. The
page, Flutter, Python and the files are the real ones."""

from __future__ import annotations

import base64
import subprocess

import pytest
from browser_harness import open_app, reveal_text, semantics_text, tap
from test_browser import PASS, create_vault, run_native, vault_with_entry

from pwa_app.services import Services
from pwa_app.vault import MemoryStorage

pytestmark = pytest.mark.browser

SHARE_SHEET = """
window.__shared = [];
Navigator.prototype.canShare = function (data) { return !!(data && data.files); };
Navigator.prototype.share = async function (data) {
  for (const f of data.files || []) {
    const bytes = new Uint8Array(await f.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    window.__shared.push({name: f.name, type: f.type, data: btoa(s)});
  }
};
"""


def shared(page, count: int) -> list[dict]:
    for _ in range(150):
        got = page.evaluate("window.__shared")
        if len(got) >= count:
            return got
        page.wait_for_timeout(200)
    raise AssertionError(f"the share sheet got {len(got)} file(s), not {count}")


def test_files_go_to_the_share_sheet_where_there_is_one(server, pw, tmp_path):
    with vault_with_entry(
        pw, tmp_path / "profile", server.url, "https://example.com/shared", SHARE_SHEET
    ) as page:
        # the backup: what the share sheet got opens natively, with the entry in it
        tap(page, "button", "Back")
        tap(page, "button", "Settings", exact=True)
        tap(page, "button", "Share encrypted backup")
        reveal_text(page, "was handed to the share sheet")
        (backup,) = shared(page, 1)
        assert backup["name"].endswith(".enc")

        async def native():
            svc = Services(MemoryStorage())
            await svc.backup.restore(base64.b64decode(backup["data"]), PASS)
            return [e.url for e in await svc.evidence.all()]

        assert run_native(native) == ["https://example.com/shared"]

        # the evidence report: a PDF that reads back with the case in it
        tap(page, "button", "Back")
        tap(page, "button", "Case record")
        tap(page, "button", "Share evidence report")
        report = shared(page, 2)[1]
        assert report["name"].endswith(".pdf") and report["type"] == "application/pdf"
        pdf = tmp_path / "report.pdf"
        pdf.write_bytes(base64.b64decode(report["data"]))
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
        assert "Evidence report" in text.stdout and "https://example.com/shared" in text.stdout

        # the evidence pack: a ZIP
        tap(page, "button", "Share evidence pack")
        pack = shared(page, 3)[2]
        assert pack["type"] == "application/zip"
        assert base64.b64decode(pack["data"])[:2] == b"PK"


def test_nothing_offers_to_share_where_the_browser_cannot(server, browser):
    page = open_app(browser, server.url)
    create_vault(page)
    tap(page, "button", "Settings", exact=True)
    reveal_text(page, "Export encrypted backup")
    tap(page, "button", "Back")
    tap(page, "button", "Case record")
    reveal_text(page, "Save evidence pack")
    assert "Share" not in semantics_text(page)
