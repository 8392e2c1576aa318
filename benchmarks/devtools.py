"""Chromium driven through its DevTools protocol alone, without Playwright: for the figure of a
phone's memory (benchmarks/run.py).

Playwright turns on DevTools' Network domain in every page and worker it attaches to, and with it
DevTools keeps a copy of each response's body in the page's process: measured on the first visit
(2026-12-07, a memory dump of the renderer), 107-117 MB of Blink's buffers at the lock screen
under Playwright, among them a copy of each WebAssembly file at 1.33 times its size, twice over
with the service worker (its own fetch recorded too); 18 MB without. A person's browser keeps no
such copies. Here only the Page, Runtime, Input and Emulation domains are used, never Network.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import time
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

# Finds an element of Flutter's accessibility tree: a text field by its label, a button by what
# it says, or a text that says ``name`` among other words. (DevTools' evaluation is not bound
# by the site's Content-Security-Policy.)
FIND = """(kind, name) => {
  if (kind === 'field') return document.querySelector(`input[aria-label="${name}"]`);
  const all = [...document.querySelectorAll(kind === 'button' ? '[role=button]' : 'flt-semantics')];
  const says = (e) => (e.getAttribute('aria-label') || e.textContent || '').trim();
  return all.find((e) => (kind === 'button' ? says(e) === name : says(e).includes(name)));
}"""


class Chromium:
    """One Chromium, one page, a flat DevTools session to it."""

    def __init__(self, executable: str, profile: Path, args: list[str], port: int):
        self.proc = subprocess.Popen(
            [executable, "--headless", f"--remote-debugging-port={port}",
             f"--user-data-dir={profile}", *args, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version") as r:
                    url = json.load(r)["webSocketDebuggerUrl"]
                break
            except OSError:
                time.sleep(0.2)
        else:
            self.close()
            raise RuntimeError("Chromium's DevTools did not answer")
        self.ws = connect(url, max_size=None)
        self.n = 0
        pages = [t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
        self.target = pages[0]["targetId"]
        attach = {"targetId": self.target, "flatten": True}
        self.session = self.call("Target.attachToTarget", attach)["sessionId"]

    def new_page(self) -> None:
        """Close the page and open a new, empty one in its place (a person opening the app
        again), attached."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.call("Target.closeTarget", {"targetId": self.target})
        self.target = target
        attach = {"targetId": target, "flatten": True}
        self.session = self.call("Target.attachToTarget", attach)["sessionId"]

    def call(self, method: str, params: dict | None = None, page: bool = False) -> dict:
        self.n += 1
        message = {"id": self.n, "method": method, "params": params or {}}
        if page:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        while True:
            answer = json.loads(self.ws.recv())
            if answer.get("id") == self.n:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer["result"]

    def js(self, expression: str):
        """The value of ``expression`` in the page (a promise is awaited)."""
        params = {"expression": expression, "returnByValue": True, "awaitPromise": True}
        result = self.call("Runtime.evaluate", params, page=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def wait(self, expression: str, what: str, timeout: float = 180) -> None:
        end = time.monotonic() + timeout
        while True:
            try:
                if self.js(f"!!({expression})"):
                    return
            except RuntimeError:  # (a page being replaced: not there yet)
                pass
            if time.monotonic() > end:
                raise TimeoutError(f"waited {timeout:.0f} s for {what}")
            time.sleep(0.1)

    def find(self, kind: str, name: str) -> str:
        return f"({FIND})({json.dumps(kind)}, {json.dumps(name)})"

    def tap(self, kind: str, name: str, dx: float | None = None, dy: float | None = None) -> None:
        """A click where a finger would tap (its centre, or dx, dy from its top left)."""
        self.wait(self.find(kind, name), f"the {kind} {name!r}", 60)
        box = self.js(f"(() => {{ const r = {self.find(kind, name)}.getBoundingClientRect();"
                      " return [r.x, r.y, r.width, r.height]; })()")  # fmt: skip
        x = box[0] + (box[2] / 2 if dx is None else dx)
        y = box[1] + (box[3] / 2 if dy is None else dy)
        for kind_ in ("mousePressed", "mouseReleased"):
            event = {"type": kind_, "x": x, "y": y, "button": "left", "clickCount": 1}
            self.call("Input.dispatchMouseEvent", event, page=True)

    def type_into(self, label: str, text: str) -> None:
        """Focus a text field as a thumb would, type ``text``, and check that all of it arrived."""
        for _ in range(4):
            self.tap("field", label, 24, 14)
            with contextlib.suppress(TimeoutError):
                self.wait(f"document.activeElement === {self.find('field', label)}", "focus", 10)
                time.sleep(0.15)
                self.call("Input.insertText", {"text": text}, page=True)
                time.sleep(0.25)
                if self.js(f"{self.find('field', label)}.value") == text:
                    return
        raise AssertionError(f"could not type into {label!r}")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
