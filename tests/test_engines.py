"""The core flows in the two other engines people's phones use: WebKitGTK (Safari's engine, as
on every iPhone) and Firefox ESR, on the built static site served by a plain static file server.
Chromium runs the same flows, and many more, in test_browser*.py.

First run and create, evidence with a screenshot, quick exit to the neutral screen, reopen
offline, unlock, backup export, and restore on another origin (a new, empty browser store)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import os
import time
from pathlib import Path

import pytest
from browser_harness import NAVIGATION_TYPE, StaticServer, built_site
from engines import start
from PIL import Image

from pwa_app.content import load_content
from pwa_app.services import Services
from pwa_app.vault import MemoryStorage

pytestmark = pytest.mark.browser
PASS = "purple elephant dancing quietly"
CONTENT = load_content()
NO_CONTENT_WORDS = ("Recourse", "evidence", "Evidence", "passphrase", "Step by step")


@pytest.fixture(params=["webkit", "firefox"])
def engine(request, artifacts_dir):
    eng = start(request.param)
    yield eng
    with _quiet():
        eng.screenshot(artifacts_dir / f"last-{request.node.name}.png")
    eng.close()


class _quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True


def _native_restore(backup: bytes) -> list:
    async def go():
        svc = Services(MemoryStorage())
        await svc.backup.restore(backup, PASS)
        return await svc.evidence.all()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


START_FAILED = (
    "(() => { const b = document.getElementById('start-failed');"
    " return b && !b.hidden && b.innerText; })()"
)


def _laid_out(engine, phase: str) -> None:
    """Flutter's word, through Python, that the first screen is laid out: the page's start
    watch stands down on it (a start-failure message must not cover a working app)."""
    engine.wait(f"document.documentElement.dataset.drawn === '{phase}'", 30, f"{phase} laid out")
    assert not engine.js(START_FAILED)


def _unlock_and_find(engine, url: str) -> None:
    """The lock screen laid out, the vault unlocked, and ``url`` in the evidence log."""
    engine.wait_text("Unlock", 120)
    _laid_out(engine, "unlock")
    engine.type_into("Passphrase", PASS)
    engine.press_until("Unlock", "Step by step", wait=60)
    engine.tap("button", "Evidence log")
    engine.wait_text(url)


def test_core_flows(engine, tmp_path, artifacts_dir):
    name = engine.name
    marker = "zq" + os.urandom(6).hex()
    url = f"https://example.com/{marker}"
    screen = tmp_path / "screen.png"
    Image.new("RGB", (90, 160), (30, 90, 200)).save(screen, "PNG")
    server = StaticServer()
    other = None
    try:
        # First run: create the vault.
        t0 = time.monotonic()
        engine.open(server.url)
        engine.wait_text("Create vault", 120)
        print(f"{name}: first screen {time.monotonic() - t0:.1f} s")
        _laid_out(engine, "create")
        # Python restored from the build's snapshot (the worker falls back without a word)
        times = engine.wait("window.recourseStartTimes", 30, "the worker's start times")
        assert "Pyodide running (restored from its snapshot)" in times, times
        engine.type_into("Passphrase", PASS)
        engine.type_into("Repeat passphrase", PASS)
        engine.press_until("Create vault", "Step by step", wait=60)
        engine.screenshot(artifacts_dir / f"{name}-home.png")

        # Evidence with a screenshot.
        engine.tap("button", "Evidence log")
        engine.type_into("Web address (URL)", url)
        engine.press_until("Save to evidence log", "Saved to your evidence log")
        engine.choose_file("Attach screenshot or file", screen)
        engine.wait_text("fingerprint is recorded", 60)
        engine.screenshot(artifacts_dir / f"{name}-evidence.png")

        # Quick exit: the neutral screen, nothing of the app left to see or hear.
        engine.tap("button", "Quick exit")
        engine.wait("document.documentElement.dataset.phase === 'decoy'", 15, "the decoy")
        assert engine.js("document.title") == CONTENT.quick_exit.decoy_title
        engine.wait(
            "!/" + "|".join(NO_CONTENT_WORDS) + "/.test(document.body.innerText + "
            "Array.from(document.querySelectorAll('[aria-label]'))"
            ".map(e => e.getAttribute('aria-label')).join(' '))",
            10,
            "nothing of the app left in the page",
        )

        # Reopen offline (the server stopped), unlock, the evidence is there.
        engine.wait("window.recourseOffline.then(() => true)", 120, "offline files kept")
        engine.goto("about:blank")
        server.stop()
        engine.open(server.url)
        _unlock_and_find(engine, url)
        engine.wait_text("screen.png")

        # Left for another page and brought back with Back: the page starts again, locked. (WebKit
        # keeps the page in its back/forward cache, without Python's worker, let go as the page
        # was left: python.js; index.html starts it again. Firefox here mostly loads it afresh,
        # and sometimes keeps it too.)
        engine.goto("about:blank")
        engine.js("(history.back(), true)")
        # (waited for, not read at once: a page WebKit brings back runs a moment, with what it
        # showed when it was left, before its own reload)
        loaded = ("reload",) if name == "webkit" else ("reload", "back_forward")
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(Exception):  # (a script cut short by that reload)
                if engine.js(NAVIGATION_TYPE) in loaded:
                    break
            assert time.monotonic() < deadline, f"{name}: not loaded by {' or '.join(loaded)}"
            time.sleep(0.2)
        engine.wait("document.documentElement.dataset.drawn === 'unlock'", 120, "lock screen")
        engine.semantics_on()
        _unlock_and_find(engine, url)

        # Backup export (still offline).
        engine.press_until("Back", "Step by step")
        engine.tap("button", "Settings")
        engine.wait_text("Lock automatically after")
        engine.catch_downloads()
        engine.tap("button", "Export encrypted backup")
        saved_name, backup = engine.saved()
        assert saved_name.endswith(".enc")
        assert marker.encode() not in backup
        items = _native_restore(backup)  # what the browser wrote, read by pyca cryptography
        assert [e.url for e in items] == [url]
        assert items[0].attachments[0].sha256 == hashlib.sha256(screen.read_bytes()).hexdigest()

        # Restore on another origin (its store is new and empty), as on another device.
        path = tmp_path / saved_name
        path.write_bytes(backup)
        other = StaticServer()
        engine.open(other.url)
        engine.wait_text("Create vault", 120)
        _laid_out(engine, "create")
        engine.choose_file("Restore from a backup file", path)
        engine.wait_text(f"Backup file: {saved_name}")
        engine.type_into("Backup passphrase", PASS)
        engine.press_until("Restore backup", "Step by step", wait=90)
        engine.tap("button", "Evidence log")
        engine.wait_text(url)
        engine.screenshot(artifacts_dir / f"{name}-restored.png")
    finally:
        server.stop()
        if other:
            other.stop()


# ---- a start that cannot hang, in WebKit (issue 18, item 2) ---------------------------------


def _site_without(tmp_path: Path, *names: str) -> Path:
    """The built site, less some files (links to the rest): a start that cannot finish."""
    site, copy = built_site(), tmp_path / "site"
    copy.mkdir()
    for entry in site.iterdir():
        if entry.name not in names:
            (copy / entry.name).symlink_to(entry)
    return copy


def test_webkit_in_the_c_locale_falls_back_to_english_and_starts(server):
    """Under LANG=C, WebKit reports the language "C", which its own Intl.Locale rejects: Flutter
    stopped there for good, a spinner forever, before the page fell back to English."""
    eng = start("webkit", lang="C.UTF-8")
    try:
        assert eng.js("navigator.language") in ("C", "c")  # the engine's own, not a stand-in
        eng.open(server.url)
        eng.wait_text("Create vault", 120)
        _laid_out(eng, "create")
    finally:
        eng.close()


def test_webkit_says_within_20_seconds_when_the_app_cannot_start_and_its_reload_works(tmp_path):
    """Flutter's files missing: said within 20 s, with a Reload. Once they are there again, the
    page's own Reload brings the app, as the test harness presses it at a start that stays
    stalled (Engine.wait_text: once, with a warning)."""
    missing = ("main.dart.js", "main.dart.mjs", "main.dart.wasm", "canvaskit")
    site = _site_without(tmp_path, *missing)
    srv = StaticServer(site)
    eng = start("webkit")
    try:
        t0 = time.monotonic()
        eng.goto(srv.url)
        text = eng.wait(START_FAILED, 25, "the start-failure message")
        assert time.monotonic() - t0 < 25
        assert "taking longer than it should" in text and "reload the page" in text
        for name in missing:
            if (built_site() / name).exists():
                (site / name).symlink_to(built_site() / name)
        with pytest.warns(UserWarning, match="the start stalled; pressed Reload"):
            eng.wait_text("Create vault", 120)
        assert eng.reloaded
        assert eng.js("performance.getEntriesByType('navigation')[0].type") == "reload"
    finally:
        eng.close()
        srv.stop()


def test_webkit_without_webassembly_says_so(server):
    """JSC_useWasm=false: what Lockdown Mode does to Safari's engine."""
    eng = start("webkit", extra_env={"JSC_useWasm": "false"})
    try:
        eng.goto(server.url)
        text = eng.wait(START_FAILED, 25, "the WebAssembly message")
        assert "WebAssembly turned off" in text
    finally:
        eng.close()


def _site_that_crashes_python(tmp_path: Path) -> Path:
    """The built site, its Python worker with one addition: the page's side message "crash"
    crashes Python for real (a read far outside its WebAssembly memory: Pyodide's fatal error)."""
    site = _site_without(tmp_path, "python-worker.js")
    source = (built_site() / "python-worker.js").read_text()
    hook = '  mark("connected to Flutter");'
    crash = (
        "  self.recourseCrash = () => pyodide.runPythonAsync("
        '"import ctypes\\nctypes.string_at(0xFFFFFF00, 64)").catch(() => {});\n'
    )
    branch = "  } else if (data && data.recourse) {"
    assert source.count(hook) == 1 and source.count(branch) == 1
    source = source.replace(hook, crash + hook).replace(
        branch,
        '  } else if (data && data.recourse && data.recourse.kind === "crash") {\n'
        "    self.recourseCrash();\n" + branch,
    )
    (site / "python-worker.js").write_text(source)
    return site


def test_python_stopping_is_said_and_a_reload_brings_the_record_back(engine, tmp_path):
    """Python crashing after the start (a phone short of memory, a bug in its WebAssembly), in
    Safari's engine and Firefox's: the page says so over the app, and a reload opens the vault
    with every entry."""
    srv = StaticServer(_site_that_crashes_python(tmp_path))
    url = "https://example.com/" + os.urandom(6).hex()
    try:
        engine.open(srv.url)
        engine.wait_text("Create vault", 120)
        _laid_out(engine, "create")
        engine.type_into("Passphrase", PASS)
        engine.type_into("Repeat passphrase", PASS)
        engine.press_until("Create vault", "Step by step", wait=60)
        engine.tap("button", "Evidence log")
        engine.type_into("Web address (URL)", url)
        engine.press_until("Save to evidence log", "Saved to your evidence log")
        engine.js("(window.recourse.send('crash'), true)")
        text = engine.wait(START_FAILED, 15, "the message that the app stopped")
        assert "the app stopped" in text and "had saved is kept" in text, text
        assert engine.js("document.documentElement.classList.contains('stopped')")
        engine.tap("button", "Reload")
        _unlock_and_find(engine, url)
    finally:
        srv.stop()
