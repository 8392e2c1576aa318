"""The served policy (issue 17, item 6), in Chromium on a copy of the built site served by a plain
static file server: the service worker answers a file it had not kept only when its bytes are
this version's, and a page keeps the version it started with after a newer one takes over."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import time

import pytest
from browser_harness import StaticServer, built_site, launch, open_app, wait_offline_ready

from pwa_app.site import build

pytestmark = pytest.mark.browser
# Chromium activates a worker that called skipWaiting() only once the old one has no request
# in flight (a response body not yet read to its end counts), or after 5 minutes at most
# (kMaxLameDuckTime in service_worker_registration.cc). Usually it is at once; a CI run and a
# run here once waited past a minute and past four. So a takeover is awaited up to that bound,
# and a test that awaits one gets more than the suite's 5 minutes a test.
TAKEOVER_S = 330
TAKEOVER = pytest.mark.timeout(600)

FONT = "fonts/Lohit-Devanagari.ttf"  # on the site, but not precached: fetched when first needed
SITE_LINE = re.compile(r"^const SITE = (\{.*\});$", re.M)

FETCH = """path => fetch(path).then(async r => ({status: r.status,
  sha: Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', await r.arrayBuffer())),
    b => b.toString(16).padStart(2, '0')).join('')}))"""


# Wait until the worker's registration has a newer version "waiting", or has the "newer" one
# active with nothing waiting: up to `seconds` (a minute unless said).
UNTIL = """async ({want, seconds = 60}) => {
  for (let i = 0; i < seconds * 10; i++) {
    const r = await navigator.serviceWorker.getRegistration();
    if (r) {
      if (want === 'waiting' && r.waiting) return true;
      if (want === 'waiting' && !r.installing) await r.update().catch(() => {});
      const keys = await caches.keys();
      if (want === 'newer' && r.active && !r.waiting && !r.installing &&
          keys.some(n => n.startsWith('site-newer'))) return true;
    }
    await new Promise(ok => setTimeout(ok, 100));
  }
  return false;
}"""


@contextlib.contextmanager
def served_copy(pw, tmp_path):
    """A copy of the built site, served, and a page on it with its files kept for offline use:
    (the copy's folder, the browser context, the page)."""
    site = tmp_path / "site"
    shutil.copytree(built_site(), site)
    server = StaticServer(site)
    ctx = launch(pw, tmp_path / "profile")
    try:
        page = open_app(ctx, server.url)
        wait_offline_ready(page)
        yield site, server, ctx, page
    finally:
        ctx.close()
        server.stop()


def new_version(site, changed: bytes) -> str:
    """The site as a newer version: the font changed, and the worker's list says so."""
    (site / FONT).write_bytes(changed)
    sw = (site / "sw.js").read_text()
    listed = json.loads(SITE_LINE.search(sw).group(1))
    listed["version"] = "newer" + listed["version"][5:]
    listed["files"][FONT] = build._sha256(changed)
    (site / "sw.js").write_text(
        SITE_LINE.sub(lambda _m: "const SITE = " + json.dumps(listed) + ";", sw)
    )
    return listed["version"]


def test_the_built_policy_allows_the_inline_scripts_by_their_hashes_only():
    site = built_site()
    html = (site / "index.html").read_text()
    headers = dict(
        line.strip().split(": ", 1)
        for line in (site / "_headers").read_text().splitlines()[1:]
        if line.strip()
    )
    policy = headers["Content-Security-Policy"]
    script_src = next(p for p in policy.split("; ") if p.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    bodies = build.INLINE_SCRIPT.findall(html)
    assert len(bodies) >= 5
    for body in bodies:
        assert (
            build.csp(f"<script>{body}</script>").split("script-src 'self' ")[1].split(" ")[0]
            in script_src
        )
    assert "frame-ancestors 'none'" in policy and "blob:" not in policy.split("worker-src")[1]
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert meta == policy.removesuffix("; frame-ancestors 'none'")


def test_a_file_not_yet_kept_is_answered_only_with_this_versions_bytes(pw, tmp_path):
    with served_copy(pw, tmp_path) as (site, _server, _ctx, page):
        good = (site / FONT).read_bytes()
        # The host now holds other bytes under that name (a half-finished upload, or worse).
        (site / FONT).write_bytes(b"not the font" + good[:1000])
        got = page.evaluate(FETCH, FONT)
        assert got["status"] == 503, got
        (site / FONT).write_bytes(good)
        got = page.evaluate(FETCH, FONT)
        assert got == {"status": 200, "sha": build._sha256(good)}


@TAKEOVER
def test_an_open_page_keeps_its_version_when_a_newer_one_takes_over(pw, tmp_path):
    with served_copy(pw, tmp_path) as (site, server, ctx, first):
        old = (site / FONT).read_bytes()
        assert first.evaluate(FETCH, FONT)["sha"] == build._sha256(old)  # kept for version 1
        newer = old + b"\0" * 16
        new_version(site, newer)
        # A page that has just started finds the newer version waiting and switches to it.
        second = ctx.new_page()
        second.goto(server.url)
        assert second.evaluate(UNTIL, {"want": "waiting"}), "the newer version was never installed"
        second.reload()  # it asks the newer version to take over, and reloads itself when it has
        assert first.evaluate(UNTIL, {"want": "newer", "seconds": TAKEOVER_S}), (
            "the newer version never took over"
        )
        second.wait_for_timeout(2000)
        second.wait_for_load_state()
        second.wait_for_function("() => navigator.serviceWorker.controller", timeout=60_000)
        second.reload()  # a page started under the newer version
        assert second.evaluate(FETCH, FONT)["sha"] == build._sha256(newer)
        # The page that started with version 1 still gets version 1's file.
        assert first.evaluate(FETCH, FONT) == {"status": 200, "sha": build._sha256(old)}


def stuck_new_version(site, changed: bytes) -> None:
    """A newer version whose worker does not take over when a page asks ("activate"), only when
    this test says so ("activate-now"): a worker that cannot switch in, as a busy browser may."""
    new_version(site, changed)
    sw = (site / "sw.js").read_text()
    asked = 'if (data.kind === "activate") {\n    self.skipWaiting();'
    assert sw.count(asked) == 1, "the worker no longer answers 'activate' as this test expects"
    (site / "sw.js").write_text(sw.replace(asked, asked.replace('"activate"', '"activate-now"')))


@contextlib.contextmanager
def page_held_by_a_stuck_version(pw, tmp_path):
    """(a page of version 1, a page just reloaded while a newer version it asked to switch in
    waits, marked so that a reload shows)."""
    with served_copy(pw, tmp_path) as (site, server, ctx, first):
        stuck_new_version(site, (site / FONT).read_bytes() + b"\0" * 16)
        page = ctx.new_page()
        page.goto(server.url)
        assert page.evaluate(UNTIL, {"want": "waiting"}), "the newer version was never installed"
        page.reload()  # it finds the newer version waiting and asks it to switch in: in vain
        page.evaluate("() => { window.sameDocument = true; }")
        yield first, page


def switch_in(first, page) -> None:
    """The newer version switches in (the test says so); then the page must be the same one."""
    page.evaluate(
        "() => navigator.serviceWorker.getRegistration()"
        ".then(r => r.waiting.postMessage({kind: 'activate-now'}))"
    )
    started = time.monotonic()
    assert first.evaluate(UNTIL, {"want": "newer", "seconds": TAKEOVER_S}), (
        "the newer version never took over within Chromium's 5 minutes"
    )
    print(f"the newer version took over in {time.monotonic() - started:.1f} s")
    page.wait_for_timeout(3_000)
    assert page.evaluate("() => window.sameDocument === true"), "the page was reloaded"


@TAKEOVER
def test_a_page_starts_after_5_s_when_the_newer_version_does_not_switch_in_and_is_never_reloaded_later(  # noqa: E501
    pw, tmp_path
):
    with page_held_by_a_stuck_version(pw, tmp_path) as (first, page):
        # It waits 5 s at most, then starts as it is: the first screen comes.
        page.locator("html[data-phase=create]").wait_for(state="attached", timeout=90_000)
        started = page.evaluate("() => performance.now()")
        assert started > 4_000, f"the page did not wait for the newer version ({started:.0f} ms)"
        # The newer version switches in later: the page is not reloaded under the person.
        switch_in(first, page)
        assert page.locator("html[data-phase=create]").count() == 1


@TAKEOVER
def test_after_quick_exit_while_the_page_waits_a_newer_version_switching_in_reloads_nothing(
    pw, tmp_path
):
    with page_held_by_a_stuck_version(pw, tmp_path) as (first, page):
        # While the page waits for the newer version, the person taps Quick exit.
        page.locator("#quick-exit").click()
        page.locator("html.covered").wait_for(state="attached", timeout=10_000)
        assert page.evaluate("() => performance.now()") < 4_500, "too late: the wait was over"
        switch_in(first, page)  # during the wait: a reload would have uncovered the app
        assert page.locator("html.covered").count() == 1
