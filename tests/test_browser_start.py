"""A start that cannot hang (issue 18, item 2, and the iPhone's Lockdown Mode from item 3), in
Chromium on the built site served by a plain static file server. The same start failures in
WebKitGTK itself (its own "C" locale, the site without Flutter, WebAssembly off) are in
test_engines.py."""

from __future__ import annotations

import contextlib
import gzip
import io

import pytest
from browser_harness import enable_semantics, launch, semantics_text, wait_drawn, worker_heap_usage
from PIL import Image

pytestmark = pytest.mark.browser

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def message(page, timeout: float) -> str:
    box = page.locator("#start-failed")
    box.wait_for(state="visible", timeout=timeout)
    return box.inner_text()


@contextlib.contextmanager
def first_screen(server, pw, tmp_path, script: str):
    """A first run with ``script`` run before each page's own, at its first screen drawn."""
    ctx = launch(pw, tmp_path / "profile")
    ctx.add_init_script(script)
    try:
        page = ctx.pages[0]
        page.goto(server.url)
        wait_drawn(page, "create", timeout=60_000)
        yield page
    finally:
        ctx.close()


def test_a_language_tag_the_engine_cannot_read_falls_back_and_the_app_starts(server, pw, tmp_path):
    """What WebKit reports under a "C" locale: Flutter's engine stopped at it, for good."""
    c_locale = (
        "Object.defineProperty(Navigator.prototype, 'languages', "
        "{get: () => ['C'], configurable: true});"
        "Object.defineProperty(Navigator.prototype, 'language', "
        "{get: () => 'C', configurable: true});"
    )
    with first_screen(server, pw, tmp_path, c_locale) as page:
        assert page.locator("#start-failed").is_hidden()
        assert page.evaluate("navigator.languages") == ["en"]


def test_the_screens_font_comes_with_flutters_own_at_start_and_once(server, pw, tmp_path):
    """The screen's font (a wide set of scripts, from this site) is loaded by Flutter with its
    own fonts as it starts, before its first frame, and not again once Python names it: the
    first screen is laid out once, in it."""
    first_frame = (
        "addEventListener('flutter-first-frame', () => { window.firstFrameAt = performance.now() },"
        " {once: true});"
    )
    with first_screen(server, pw, tmp_path, first_frame) as page:
        page.wait_for_timeout(1000)
        fetched = page.evaluate(
            "performance.getEntriesByType('resource').filter(e => e.initiatorType === 'fetch')"
            ".map(e => [new URL(e.name).pathname, e.startTime])"
        )
        font = [at for path, at in fetched if path.endswith("/fonts/DejaVuSans.ttf")]
        assert len(font) == 1, fetched
        assert font[0] < page.evaluate("window.firstFrameAt"), fetched


def test_python_starts_from_the_snapshot_the_build_made(server, pw, tmp_path):
    """Python restored from its snapshot (the build's python-snapshot.bin), not started afresh:
    the worker falls back without a word on screen, and a fresh start costs seconds."""
    with first_screen(server, pw, tmp_path, "") as page:
        page.wait_for_function("window.recourseStartTimes", timeout=30_000)
        times = page.evaluate("window.recourseStartTimes")
        assert "Pyodide running (restored from its snapshot)" in times, times


def test_once_python_runs_its_worker_keeps_no_copy_of_the_snapshot(server, pw, tmp_path):
    """The snapshot is copied into Python's memory as Python starts. A second copy kept in the
    worker (Pyodide keeps the options it was given, and with them the snapshot's bytes, for
    good) is 36 MB a phone's browser does not have: measured in the worker after its garbage is
    collected, its buffers hold less than the unpacked snapshot."""
    unpacked = len(gzip.decompress((server.site / "python-snapshot.bin").read_bytes()))
    with first_screen(server, pw, tmp_path, "") as page:
        page.wait_for_function("window.recourseStartTimes", timeout=30_000)
        usage = worker_heap_usage(page, "python-worker.js")
    assert 0 < usage["backingStorageSize"] < unpacked, (usage, unpacked)


def test_where_a_host_isolates_the_page_flutter_still_draws_on_one_thread(server, pw, tmp_path):
    """A host that sends Cross-Origin-Embedder-Policy beside the site's Opener-Policy makes the
    page cross-origin isolated, and Flutter's renderer would then draw in a worker of its own:
    in the Flutter flet-web ships, a way to freeze the page for good (build.SINGLE_THREADED).
    Served so, the app starts and draws its first screen, on one thread."""
    import functools
    import http.server
    import threading

    from browser_harness import free_port

    from pwa_app.site import serve

    isolating = {**serve.read_headers(server.site), "Cross-Origin-Embedder-Policy": "require-corp"}
    assert isolating.get("Cross-Origin-Opener-Policy") == "same-origin"
    handler = type("Isolating", (serve.Handler,), {"extra_headers": isolating})
    port = free_port()
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(server.site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    ctx = launch(pw, tmp_path / "profile")
    ctx.add_init_script(
        "window.refused = []; document.addEventListener('securitypolicyviolation',"
        " (e) => window.refused.push(e.effectiveDirective + ' ' + e.blockedURI));"
    )
    try:
        page = ctx.pages[0]
        page.goto(f"http://127.0.0.1:{port}/")
        wait_drawn(page, "create", timeout=60_000)
        assert page.evaluate("self.crossOriginIsolated")  # the host's headers took effect
        page.wait_for_timeout(1_000)
        # no drawing worker asked for (the page's policy refuses one: a blank screen below the
        # page's own Quick exit) ...
        assert page.evaluate("window.refused") == []
        workers = {w.url.rsplit("/", 1)[-1] for w in page.workers}
        assert "python-worker.js" in workers <= {"python-worker.js", "kdf-worker.js"}, workers
        # ... and the screen drawn
        shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
        below = shot.crop((0, 80, shot.width, shot.height))
        assert len(below.getcolors(maxcolors=1 << 16) or ()) > 20
    finally:
        ctx.close()
        httpd.shutdown()
        httpd.server_close()


def test_a_start_that_never_comes_is_said_within_20_seconds_with_a_reload(server, pw, tmp_path):
    """Said in plain words, with a Reload button (an app opened from the Home Screen has no
    browser control to reload with), and the button reloads."""
    ctx = launch(pw, tmp_path / "profile")
    ctx.route("**/main.dart.*", lambda route: route.abort())
    ctx.route("**/canvaskit/**", lambda route: route.abort())
    try:
        page = ctx.pages[0]
        page.goto(server.url)
        text = message(page, 25_000)
        assert "taking longer than it should" in text
        assert "Nothing you saved is affected" in text and "reload the page" in text
        page.evaluate("window.beforeReload = true")
        page.get_by_role("button", name="Reload", exact=True).click()
        page.wait_for_function("!window.beforeReload", timeout=10_000)
        assert page.evaluate("performance.getEntries()[0].type") == "reload"
        assert "taking longer than it should" in message(page, 25_000)
    finally:
        ctx.close()


# Flutter never shows what Python sends after its first screen was chosen: every message from
# Python to Flutter is dropped once the page hears the phase (as a blank WebKit page after
# Python had started was seen in CI). Python's worker and its side channel go on working.
LOSE_THE_SCREEN = """
(() => {
  let lose = false, connect = null;
  if (ONLY_FIRST_LOAD) {
    if (sessionStorage.getItem('test-lost')) return;
    sessionStorage.setItem('test-lost', '1');
  }
  document.addEventListener('DOMContentLoaded', () =>
    window.recourse.listen((kind) => { if (kind === 'phase') lose = true; }));
  Object.defineProperty(globalThis, 'jsConnect', {
    configurable: true,
    set(fn) { connect = fn; },
    get() {
      return (id, args, onMessage) =>
        connect(id, args, (data) => { if (!lose) onMessage(data); });
    },
  });
})();
"""


@contextlib.contextmanager
def losing_the_screen(server, pw, tmp_path, only_first_load: bool):
    """The site opened with its first screen lost (on every load, or the first only); the page,
    and the kind of each of its loads ("navigate", "reload") as they come."""
    ctx = launch(pw, tmp_path / "profile")
    ctx.add_init_script(LOSE_THE_SCREEN.replace("ONLY_FIRST_LOAD", str(only_first_load).lower()))
    try:
        page = ctx.pages[0]
        loads = []
        page.on("load", lambda _p: loads.append(page.evaluate("performance.getEntries()[0].type")))
        page.goto(server.url)
        yield page, loads
    finally:
        ctx.close()


def test_a_first_screen_chosen_but_never_drawn_is_said_within_20_seconds(server, pw, tmp_path):
    """The start watch stands down when Flutter has laid out the first screen, not when Python
    has chosen it: a blank page after Python started is reloaded once, and then said, like any
    other failed start, within 20 seconds of that load."""
    with losing_the_screen(server, pw, tmp_path, only_first_load=False) as (page, loads):
        text = message(page, 60_000)
        assert loads == ["navigate", "reload"]  # one reload, not a loop
        assert page.evaluate("performance.now()") < 25_000
        assert page.evaluate("document.documentElement.dataset.phase") == "create"
        assert page.evaluate("document.documentElement.dataset.drawn") is None
        assert "taking longer than it should" in text and "reload the page" in text
        assert page.get_by_role("button", name="Reload", exact=True).is_visible()


def test_a_first_screen_lost_once_comes_back_by_itself(server, pw, tmp_path):
    with losing_the_screen(server, pw, tmp_path, only_first_load=True) as (page, loads):
        wait_drawn(page, "create", timeout=60_000)
        assert loads == ["navigate", "reload"]
        enable_semantics(page)
        page.get_by_role("button", name="Create vault").wait_for(timeout=30_000)
        assert page.locator("#start-failed").is_hidden()


def test_on_an_iphone_without_webassembly_lockdown_mode_is_named(server, pw, tmp_path):
    ctx = launch(pw, tmp_path / "profile", user_agent=IPHONE)
    ctx.add_init_script("delete globalThis.WebAssembly;")
    try:
        page = ctx.pages[0]
        page.goto(server.url)
        text = message(page, 10_000)
        assert "WebAssembly turned off" in text and "Lockdown Mode" in text
        assert "Configure Web Browsing" in text and "Chrome" not in text
        assert page.locator("#start-failed [data-reload]").is_hidden()
    finally:
        ctx.close()


def test_safari_in_a_tab_says_it_may_delete_the_data_and_how_to_keep_it(server, pw, tmp_path):
    ctx = launch(pw, tmp_path / "profile", user_agent=IPHONE)
    try:
        page = ctx.pages[0]
        page.goto(server.url)
        enable_semantics(page)
        page.get_by_role("button", name="Create vault").wait_for(timeout=90_000)
        page.get_by_text("after 7 days without a visit", exact=False).first.wait_for(timeout=10_000)
        assert "Add to Home Screen" in semantics_text(page)
    finally:
        ctx.close()


def test_other_browsers_are_not_told_about_safari(server, pw, tmp_path):
    ctx = launch(pw, tmp_path / "profile")
    try:
        page = ctx.pages[0]
        page.goto(server.url)
        enable_semantics(page)
        page.get_by_role("button", name="Create vault").wait_for(timeout=90_000)
        page.wait_for_timeout(1000)
        assert "Add to Home Screen" not in semantics_text(page)
    finally:
        ctx.close()
