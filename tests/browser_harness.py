"""Build the static site once, serve it with a plain static file server on a free loopback port,
and drive it with Debian Chromium. No Python of the app runs on the server."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "build" / "web"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL = ("http://127.0.0.1", "blob:http://127.0.0.1", "data:")
# How the page now shown came to be loaded: "navigate", "reload" or "back_forward".
NAVIGATION_TYPE = "performance.getEntriesByType('navigation')[0].type"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def built_site() -> Path:
    """The static site, built when missing or when its sources changed."""
    sys.path.insert(0, str(ROOT))
    from pwa_app.site.build import build, is_fresh

    if not is_fresh(SITE):
        build(SITE)
    return SITE


class StaticServer:
    """``python3 -m http.server`` over the built site (or, with ``headers=True``, the project's
    own static server, which also sends the site's Content-Security-Policy header)."""

    def __init__(self, site: Path | None = None, headers: bool = False, port: int | None = None):
        self.site = site or built_site()
        self.headers = headers
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        if self.headers:
            cmd = [sys.executable, "-m", "pwa_app.site.serve", str(self.site), str(self.port)]
        else:
            cmd = [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1"]
            cmd += ["--directory", str(self.site)]
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(self.url, timeout=2).read()
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("the static server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def launch(playwright, user_data_dir: Path, extra_args: tuple[str, ...] = (), **kw):
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=CHROMIUM,
        args=[*ARGS, *extra_args],
        headless=True,
        viewport={"width": 360, "height": 640},
        accept_downloads=True,
        **kw,
    )


def watch(ctx) -> None:
    """Record every request the browser makes, and every one that failed."""
    ctx.requests = []
    ctx.failed = []
    ctx.on("request", lambda r: ctx.requests.append(r.url))
    ctx.on("requestfailed", lambda r: ctx.failed.append((r.url, r.failure)))


def open_app(context, url: str, timeout: float = 90_000):
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url)
    enable_semantics(page, timeout)
    return page


def enable_semantics(page, timeout: float = 90_000) -> None:
    """Turn Flutter's accessibility tree on (a no-op when it already is)."""
    page.wait_for_selector(
        "flt-semantics-placeholder, flt-semantics", state="attached", timeout=timeout
    )
    page.evaluate(
        "(() => { const p = document.querySelector('flt-semantics-placeholder');"
        " if (p) p.click(); })()"
    )


def wait_phase(page, phase: str, timeout: float = 30_000) -> None:
    """Wait until Python has told the page it is in ``phase`` (a DOM attribute: no eval)."""
    page.locator(f"html[data-phase={phase}]").wait_for(state="attached", timeout=timeout)


def wait_drawn(page, phase: str, timeout: float = 30_000) -> None:
    """Wait until Flutter has laid out ``phase``'s screen, as Python heard back from Flutter
    (the lock screen's: "create" or "unlock")."""
    page.locator(f"html[data-drawn={phase}]").wait_for(state="attached", timeout=timeout)


def wait_offline_ready(page, timeout: float = 60_000) -> dict:
    """Wait until the service worker has kept every file this page needs."""
    return page.evaluate(
        "() => Promise.race([window.recourseOffline, new Promise((_, no) => "
        f"setTimeout(() => no(new Error('offline files not kept')), {int(timeout)}))])"
    )


def type_into(page, label: str, text: str, exact: bool = True, rtl: bool = False) -> None:
    """Click a Flutter text field, wait until it really has focus, replace its text, and check
    that every character arrived (a key pressed before focus lands would be lost). ``rtl``: the
    screen is mirrored (a language written right to left): the field starts at its right."""
    active = "document.activeElement && document.activeElement.value"
    for _attempt in range(4):
        # Tap the field's box near its top, at its start, as a thumb would: a field whose hint or
        # error runs over several lines has that text in the lower part of its box.
        field = reveal(page, page.get_by_label(label, exact=exact))
        x = (field.bounding_box() or {"width": 48})["width"] - 24 if rtl else 24
        field.click(position={"x": x, "y": 14})
        _wait_focus(page)
        page.wait_for_timeout(150)
        for _ in range(5):
            current = page.evaluate(f"{active} || ''")
            if not current:
                break
            page.keyboard.press("End")
            for _ in range(len(current)):
                page.keyboard.press("Backspace")
        page.keyboard.type(text, delay=15)
        page.wait_for_timeout(250)
        if page.evaluate(f"{active} || ''") == text:
            return
    raise AssertionError(f"could not type into {label!r}")


def _wait_focus(page, seconds: float = 10) -> None:
    """Poll (no eval: the site's policy forbids it) until a text field has focus."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.evaluate(
            "['INPUT','TEXTAREA'].includes(document.activeElement && "
            "document.activeElement.tagName)"
        ):
            return
        page.wait_for_timeout(50)
    raise AssertionError("no text field took the focus")


def check_until(page, name: str, tries: int = 3, wait_ms: int = 8_000) -> None:
    """Tick a checkbox and wait until it shows as ticked (a first click may only move focus)."""
    ticked = page.get_by_role("checkbox", name=name, checked=True)
    for _ in range(tries):
        reveal(page, page.get_by_role("checkbox", name=name)).click()
        deadline = time.monotonic() + wait_ms / 1000
        while time.monotonic() < deadline:
            if ticked.count():
                return
            page.wait_for_timeout(200)
    raise AssertionError(f"the checkbox {name!r} never showed as ticked")


def worker_heap_usage(page, script: str, timeout: float = 30.0) -> dict:
    """DevTools' Runtime.getHeapUsage of the page's worker running ``script``, after a garbage
    collection: its JavaScript heap and the bytes of its buffers (``backingStorageSize``; a
    WebAssembly memory is not among them). Sent through the page's own DevTools session."""
    import json

    session = page.context.new_cdp_session(page)
    answers: dict[int, dict] = {}
    session.on(
        "Target.receivedMessageFromTarget",
        lambda e: answers.setdefault(json.loads(e["message"]).get("id"), json.loads(e["message"])),
    )
    targets = session.send("Target.getTargets")["targetInfos"]
    worker = [t for t in targets if t["type"] == "worker" and t["url"].endswith("/" + script)]
    assert len(worker) == 1, targets
    attach = {"targetId": worker[0]["targetId"], "flatten": False}
    sid = session.send("Target.attachToTarget", attach)["sessionId"]
    for n, method in enumerate(("HeapProfiler.collectGarbage", "Runtime.getHeapUsage"), 1):
        message = json.dumps({"id": n, "method": method})
        session.send("Target.sendMessageToTarget", {"sessionId": sid, "message": message})
        end = time.monotonic() + timeout
        while n not in answers:
            assert time.monotonic() < end, f"{script}: no answer to {method}"
            page.wait_for_timeout(100)
    session.detach()
    return answers[2]["result"]


def semantics_text(page) -> str:
    """Everything the accessibility tree says: node labels and text, text fields' labels, and
    the labels of nodes that hold a picture (Flutter puts those on an inner image node)."""
    return page.evaluate(
        "Array.from(document.querySelectorAll('flt-semantics, flt-semantics-img, "
        "flt-semantics input, flt-semantics textarea')).map(e => "
        "(e.getAttribute('aria-label') || '') + ' ' + (e.innerText || '')).join('\\n')"
    )


def _wheel_into_view(page, target, tries: int = 8) -> bool:
    """Scroll with the mouse wheel, as a person would, until ``target`` is well inside the
    viewport. (Scrolling Flutter's semantics nodes from script, as Playwright's own
    scroll-into-view does, can fight Flutter's scroll position and hang the page.)
    False when the target left the tree meanwhile: Flutter drops what a still-running
    scroll carried off screen, and the caller should look for it again."""
    height = (page.viewport_size or {"height": 640})["height"]
    last_y = None
    for _ in range(tries):
        try:
            box = target.bounding_box(timeout=2_000)
        except PlaywrightTimeout:
            return False
        if box is None or box["y"] == last_y:  # gone, or fixed in place (the top bar)
            return box is not None
        last_y = box["y"]
        if box["y"] < 56:  # under the top bar
            page.mouse.wheel(0, box["y"] - 200)
        elif box["y"] + box["height"] > height - 8:
            page.mouse.wheel(0, box["y"] + box["height"] - height + 200)
        else:
            return True
        page.wait_for_timeout(150)
    return True


def reveal(page, locator, tries: int = 60, step: int = 350):
    """Flutter only builds what is on screen: scroll the list until the target exists."""
    page.mouse.move(180, 400)
    for direction in (1, -1):
        for _ in range(tries):
            if locator.count() > 0 and _wheel_into_view(page, locator.first):
                return locator.first
            page.mouse.wheel(0, step * direction)
            page.wait_for_timeout(120)
    raise AssertionError(f"not found on screen after scrolling: {locator}")


def tap(page, role: str, name: str, exact: bool = False) -> None:
    reveal(page, page.get_by_role(role, name=name, exact=exact)).click()


def reveal_text(page, text: str, tries: int = 60, step: int = 350) -> None:
    """Wait (scrolling as needed) until ``text`` is in the semantics tree, visible text or
    accessible labels alike (Flutter often merges a paragraph into its group's label)."""
    page.mouse.move(180, 400)
    for direction in (1, -1):
        for _ in range(tries):
            if text in semantics_text(page):
                return
            page.mouse.wheel(0, step * direction)
            page.wait_for_timeout(150)
    raise AssertionError(f"text not on screen after scrolling: {text!r}")


def press_until(
    page,
    role: str,
    name: str,
    expect: str,
    tries: int = 3,
    wait_ms: int = 10_000,
    exact: bool = False,
) -> None:
    """Press a control and wait for ``expect`` to appear. A first click on Flutter web can be
    spent moving focus away from a text field; pressing again is what a person would do."""
    for _ in range(tries):
        reveal(page, page.get_by_role(role, name=name, exact=exact)).click()
        deadline = time.monotonic() + wait_ms / 1000
        while time.monotonic() < deadline:
            if expect in semantics_text(page) or page.get_by_text(expect, exact=False).count():
                return
            page.wait_for_timeout(200)
    raise AssertionError(f"pressing {name!r} never showed {expect!r}")
