"""Evidence shared straight in (issue 18, item 5): the installed web app is a share target. What
another app shares arrives as a POST the service worker answers; it seals it at once to the
public key the vault left beside itself, and only after unlock is it opened and moved into the
vault. Chromium on the built site, served by a plain static file server.

The share sheet's POST is made here the way Android makes it: a navigation from outside the app
(a form on a blank page of the same browser), multipart, with a file, a URL and a text."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from browser_harness import (
    enable_semantics,
    launch,
    open_app,
    press_until,
    reveal_text,
    semantics_text,
    tap,
    type_into,
    wait_offline_ready,
)
from PIL import Image, PngImagePlugin
from test_browser import _files_containing, create_vault, unlock

pytestmark = pytest.mark.browser


def _png(marker: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", marker)
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


SEALED_LEFT = """new Promise(ok => { const r = indexedDB.open('nb-in'); r.onsuccess = () => {
  const q = r.result.transaction('items').objectStore('items').count();
  q.onsuccess = () => ok(q.result); }; })"""


def sealed_left(page) -> int:
    """How many sealed shares the service worker's store still holds."""
    return page.evaluate(SEALED_LEFT)


def share_into(ctx, url: str, file, link: str, text: str):
    """What Android's share sheet does: POST the share to the app's share target."""
    sheet = ctx.new_page()
    sheet.set_content(
        # (autocomplete off: this stand-in page's own fields are not kept by the browser for
        # session restore, as a real share sheet's are not the browser's to keep)
        f'<form method="post" enctype="multipart/form-data" action="{url}share-target" '
        'autocomplete="off"><input type="file" name="files"><input name="url" autocomplete="off">'
        '<input name="text" autocomplete="off"></form>'
    )
    sheet.set_input_files("input[type=file]", str(file))
    sheet.fill("input[name=url]", link)
    sheet.fill("input[name=text]", text)
    with sheet.expect_navigation():
        sheet.evaluate("document.forms[0].submit()")
    return sheet


def test_a_share_is_sealed_while_locked_and_logged_after_unlock(server, pw, tmp_path):
    marker = "zq" + os.urandom(8).hex()
    shot = tmp_path / "shot.png"
    shot.write_bytes(_png(marker))
    profile = tmp_path / "profile"
    ctx = launch(pw, profile)
    try:
        page = open_app(ctx, server.url)
        create_vault(page)  # the vault leaves the inbox's public key beside itself
        wait_offline_ready(page)
        page.close()  # the app is closed (and so locked) when something is shared

        app = share_into(ctx, server.url, shot, f"https://example.com/{marker}", marker + " text")
        enable_semantics(app)
        app.get_by_role("button", name="Unlock").wait_for(timeout=90_000)
        assert "shared=" not in app.url  # the one neutral address, as always
        reveal_text(app, "It is sealed: unlock to add it")
        # Locked: no byte of what was shared is anywhere in the browser's files, in clear.
        leaks = _files_containing(profile, marker.encode())
        assert not leaks, leaks
        # and a screenshot alone (no address): it will wait for one
        app.close()
        alone = tmp_path / "alone.png"
        alone.write_bytes(_png("alone"))
        app = share_into(ctx, server.url, alone, "", "")
        enable_semantics(app)
        app.get_by_role("button", name="Unlock").wait_for(timeout=90_000)

        unlock(app)
        reveal_text(app, "1 shared into Recourse added to your evidence log")
        reveal_text(app, "waiting for the web address where you found it")
        tap(app, "button", "Evidence log")
        reveal_text(app, f"https://example.com/{marker}")
        sha = hashlib.sha256(shot.read_bytes()).hexdigest()
        reveal_text(app, sha[:16])
        assert "shot.png" in semantics_text(app)
        # the one waiting: say where it was found, and it joins the log
        reveal_text(app, "Shared into Recourse, waiting for a web address (1)")
        type_into(app, "Web address where you found it", "https://example.com/alone")
        press_until(app, "button", "Add to evidence log", "Added to your evidence log")
        reveal_text(app, "https://example.com/alone")
        reveal_text(app, hashlib.sha256(alone.read_bytes()).hexdigest()[:16])
        assert "waiting for a web address" not in semantics_text(app)
        # moved, not copied: the sealed copy is gone
        left = sealed_left(app)
        assert left == 0
    finally:
        ctx.close()


def test_a_share_before_any_vault_is_not_kept_and_says_so(server, pw, tmp_path):
    shot = tmp_path / "shot.png"
    shot.write_bytes(_png("first visit"))
    ctx = launch(pw, tmp_path / "profile")
    try:
        page = open_app(ctx, server.url)
        page.get_by_role("button", name="Create vault").wait_for(timeout=90_000)
        wait_offline_ready(page)
        page.close()
        app = share_into(ctx, server.url, shot, "https://example.com/x", "")
        enable_semantics(app)
        reveal_text(app, "there is no vault here yet, so nothing was kept")
        left = sealed_left(app)
        assert left == 0
    finally:
        ctx.close()
