"""Start the real web app on a free loopback port and drive it with Debian Chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
LOOPBACK = ("http://127.0.0.1", "ws://127.0.0.1", "blob:http://127.0.0.1", "data:")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, home: Path | None = None):
        self.port = free_port()
        self.home = home or Path(tempfile.mkdtemp(prefix="recourse-server-"))
        self.url = f"http://127.0.0.1:{self.port}/"
        env = dict(os.environ)
        env.update(
            {
                "FLET_FORCE_WEB_SERVER": "true",
                "FLET_APP_STORAGE_DATA": str(self.home / "data"),
                "HOME": str(self.home),
                "TMPDIR": str(self.home / "tmp"),
                "PYTHONUNBUFFERED": "1",
            }
        )
        (self.home / "tmp").mkdir(parents=True, exist_ok=True)
        self.log = open(self.home / "server.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pwa_app", "--web", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(self.url, timeout=2).read()
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("the web app did not start:\n" + (self.home / "server.log").read_text())

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def launch(playwright, user_data_dir: Path):
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=CHROMIUM,
        args=ARGS,
        headless=True,
        viewport={"width": 360, "height": 640},
    )


def open_app(context, url: str, timeout: float = 60_000):
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url)
    enable_semantics(page, timeout)
    return page


def enable_semantics(page, timeout: float = 60_000) -> None:
    """Turn Flutter's accessibility tree on (a no-op when it already is)."""
    page.wait_for_selector(
        "flt-semantics-placeholder, flt-semantics", state="attached", timeout=timeout
    )
    page.evaluate(
        "(() => { const p = document.querySelector('flt-semantics-placeholder');"
        " if (p) p.click(); })()"
    )


def type_into(page, label: str, text: str, exact: bool = True) -> None:
    """Click a Flutter text field, wait until it really has focus, replace its text, and check
    that every character arrived (a key pressed before focus lands would be lost)."""
    active = "document.activeElement && document.activeElement.value"
    for _attempt in range(4):
        reveal(page, page.get_by_label(label, exact=exact)).click()
        page.wait_for_function(
            "['INPUT','TEXTAREA'].includes(document.activeElement && "
            "document.activeElement.tagName)",
            timeout=10_000,
        )
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


def semantics_text(page) -> str:
    return page.evaluate(
        "Array.from(document.querySelectorAll('flt-semantics')).map(e => "
        "(e.getAttribute('aria-label') || '') + ' ' + (e.innerText || '')).join('\\n')"
    )


def _wheel_into_view(page, target, tries: int = 8) -> None:
    """Scroll with the mouse wheel, as a person would, until ``target`` is well inside the
    viewport. (Scrolling Flutter's semantics nodes from script, as Playwright's own
    scroll-into-view does, can fight Flutter's scroll position and hang the page.)"""
    height = (page.viewport_size or {"height": 640})["height"]
    last_y = None
    for _ in range(tries):
        box = target.bounding_box()
        if box is None or box["y"] == last_y:  # gone, or fixed in place (the top bar)
            return
        last_y = box["y"]
        if box["y"] < 56:  # under the top bar
            page.mouse.wheel(0, box["y"] - 200)
        elif box["y"] + box["height"] > height - 8:
            page.mouse.wheel(0, box["y"] + box["height"] - height + 200)
        else:
            return
        page.wait_for_timeout(150)


def reveal(page, locator, tries: int = 60, step: int = 350):
    """Flutter only builds what is on screen: scroll the list until the target exists."""
    page.mouse.move(180, 400)
    for direction in (1, -1):
        for _ in range(tries):
            if locator.count() > 0:
                _wheel_into_view(page, locator.first)
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
