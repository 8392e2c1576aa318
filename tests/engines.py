"""Drive the built static site in the two engines Playwright cannot drive here: WebKitGTK (the
engine of Safari on iPhone) through WebKitWebDriver and Selenium, and Firefox ESR through the
WebDriver BiDi protocol it speaks itself (no geckodriver). How each was made to work is in
../shared/notes/other-engines.md.

Both drivers offer the same few moves, and the helpers at the bottom (find a control by its role
and name, type into a field, wait for a text) are written once over them. The viewport is tall,
so that most of a screen is built without scrolling (Flutter builds only what is on screen)."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
FIREFOX = "/usr/bin/firefox-esr"
WIDTH, HEIGHT = 450, 2000

# WebDriver's codes for the keys the helpers press.
BACKSPACE, END, SHIFT, ESCAPE = "\ue003", "\ue010", "\ue008", "\ue00c"


def available(engine: str) -> bool:
    need = {"webkit": (MINIBROWSER, WEBKIT_DRIVER), "firefox": (FIREFOX,)}[engine]
    return all(Path(p).exists() for p in need) and (
        engine != "webkit" or (shutil.which("Xvfb") and shutil.which("dbus-daemon"))
    )


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Engine:
    """The moves every driver offers. ``js`` evaluates an expression in the page (a returned
    promise is awaited) and gives back its JSON value; ``element`` gives a handle to the element
    an expression evaluates to, or None."""

    name = ""

    def goto(self, url: str) -> None: ...
    def js(self, expr: str): ...
    def element(self, expr: str): ...
    def click(self, handle) -> None: ...
    def keys(self, text: str) -> None: ...
    def wheel(self, dy: int) -> None: ...
    def set_files(self, handle, path: Path) -> None: ...
    def screenshot(self, path: Path) -> None: ...
    def close(self) -> None: ...
    def peak_rss_mb(self) -> float:
        """The largest resident size among the browser's own processes, in MB."""
        return 0.0

    # -- written once over the moves above ---------------------------------------------------
    def wait(self, expr: str, timeout: float = 30, what: str = "") -> object:
        deadline = time.monotonic() + timeout
        while True:
            value = self.js(expr)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.name}: timed out waiting for {what or expr}\n{self.state()}"
                )
            time.sleep(0.2)

    def state(self) -> str:
        """What the page is showing, for a failure's message: which screen Python chose and
        Flutter laid out, the start watch's message, the loads, Python's start times."""
        try:
            return "page state: " + json.dumps(self.js(_STATE))
        except Exception as e:  # (the page itself may be gone)
            return f"page state unknown: {e!r}"[:500]

    def open(self, url: str, timeout: float = 120) -> float:
        """Load the site and turn Flutter's semantics on; seconds until the first screen."""
        t0 = time.monotonic()
        self.goto(url)
        self.wait(
            "document.querySelectorAll('flt-semantics-placeholder, flt-semantics').length",
            timeout,
            "the first screen",
        )
        first = time.monotonic() - t0
        self.semantics_on()
        return first

    def semantics_on(self) -> None:
        self.js(
            "(() => { const p = document.querySelector('flt-semantics-placeholder');"
            " if (p) p.click(); return true; })()"
        )

    def text(self) -> str:
        return self.js(
            "Array.from(document.querySelectorAll('flt-semantics, flt-semantics input, "
            "flt-semantics textarea')).map(e => (e.getAttribute('aria-label') || '') + ' ' + "
            "(e.innerText || '')).join('\\n')"
        )

    reloaded = False  # the page's own Reload was pressed once, at a start that stalled

    def wait_text(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        offered = None  # since when the page has offered its Reload at a start that stalled
        while text not in (seen := self.text()):
            if not seen.strip():  # a click on the placeholder that came too early is lost
                self.semantics_on()
            if seen.strip() or self.reloaded or not self.js(_RELOAD_OFFERED):
                offered = None
            elif time.monotonic() - (offered := offered or time.monotonic()) > 30:
                # What the page tells a person to do after waiting a little longer: once per
                # test, and said (a warning in the run's summary) with what the page showed.
                warnings.warn(
                    f"{self.name}: the start stalled; pressed Reload. {self.state()}", stacklevel=2
                )
                self.js("(document.querySelector('#start-failed [data-reload]').click(), true)")
                self.reloaded, offered = True, None
                deadline = max(deadline, time.monotonic() + 90)
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.name}: {text!r} never appeared; on screen:\n{self.text()}\n"
                    + self.state()
                )
            time.sleep(0.25)

    def _control(self, role: str, name: str) -> str:
        """An expression for the visible control of ``role`` named exactly ``name``, else the
        first whose label or text holds it."""
        return (
            f"(() => {{ const all = Array.from(document.querySelectorAll("
            f"'flt-semantics[role={role}], {role}')).filter(e => e.getClientRects().length);"
            " const said = e => ((e.getAttribute('aria-label') || '') + ' ' + (e.innerText || ''))"
            f".trim(); const n = {json.dumps(name)};"
            " return all.find(e => said(e) === n) || all.find(e => said(e).includes(n)) || null;"
            " })()"
        )

    def tap(self, role: str, name: str, timeout: float = 30) -> None:
        self.click(self.reveal(self._control(role, name), timeout, f"{role} {name!r}"))

    def reveal(self, expr: str, timeout: float = 30, what: str = ""):
        """The element ``expr`` finds, scrolled inside the viewport with the mouse wheel as a
        person would (Flutter builds only what is on screen, so scroll down, then up, until it
        exists). One the wheel no longer moves is taken where it is, if its centre is on screen."""
        where = (
            f"(() => {{ const e = {expr}; if (!e) return null; const r = e.getBoundingClientRect();"
            " const mid = r.top + Math.min(r.height / 2, 14);"
            " return [r.top < 0 ? r.top - 200 : r.bottom > innerHeight - 8 ?"
            " r.bottom - innerHeight + 200 : 0, r.top, mid >= 0 && mid < innerHeight - 4]; })()"
        )
        deadline = time.monotonic() + timeout
        step, moved, last = 600, 0, None
        while True:
            got = self.js(where)
            if got and (got[0] == 0 or (got[1] == last and got[2])):
                time.sleep(0.3)  # still there, in the same place (not the screen going away)?
                if self.js(where) == got:
                    return self.element(expr)
                continue
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: not found on screen: {what or expr} ({got})")
            if got is None:  # not built yet: wait a moment, then look further down, then up
                time.sleep(0.3)
                if self.js(where) is not None:
                    continue
                if moved > 30_000:
                    step = -600
                delta, last = step, None
            else:
                delta, last = got[0], got[1]
            moved += abs(delta)
            self.wheel(delta)
            time.sleep(0.3)

    def press_until(self, name: str, expect: str, tries: int = 3, wait: float = 20) -> None:
        """Press a button until ``expect`` shows (a first press can be spent moving focus)."""
        for _ in range(tries):
            self.tap("button", name)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                if expect in self.text():
                    return
                time.sleep(0.25)
        raise AssertionError(
            f"{self.name}: pressing {name!r} never showed {expect!r}; on screen:\n{self.text()}"
        )

    def type_into(self, label: str, text: str) -> None:
        field = (
            f"Array.from(document.querySelectorAll('flt-semantics input, flt-semantics textarea'))"
            f".find(e => e.getAttribute('aria-label') === {json.dumps(label)}) || null"
        )
        active = "(document.activeElement && document.activeElement.value) || ''"
        for _ in range(4):
            self.click(self.reveal(field, 30, f"the field {label!r}"))
            # Keys go to whatever has focus: wait until it is this field, not the one before
            # (on a loaded machine Flutter moves focus late, and a passphrase typed into the
            # wrong field made "the two passphrases are not the same" in WebKit).
            with contextlib.suppress(AssertionError):
                self.wait(f"document.activeElement === ({field})", 10)
            time.sleep(0.2)
            if not self.js(f"document.activeElement === ({field})"):
                continue
            # On a loaded machine keys can still be arriving from the try before: clear and
            # check only a value that has stopped changing (else a late key lands after the
            # check, and the passphrases differ).
            current = self.settled(active)
            if current:
                self.keys(END + BACKSPACE * len(current))
            self.keys(text)
            if self.settled(f"(({field}) || {{}}).value") == text:
                return
        raise AssertionError(f"{self.name}: could not type into {label!r}")

    def settled(self, expr: str, quiet: float = 0.6, timeout: float = 10):
        """The value of ``expr`` once it has stayed the same for ``quiet`` seconds."""
        last, end = self.js(expr), time.monotonic() + timeout
        while time.monotonic() < end:
            time.sleep(quiet)
            now = self.js(expr)
            if now == last:
                return now
            last = now
        return last

    def catch_downloads(self) -> None:
        """Keep each file the page hands the browser to save (its blob, or its data: address),
        so the test can read the very bytes; the page's own download path still runs."""
        self.js(
            "(() => { if (window.__saved) return true; window.__saved = []; window.__blobs = {};"
            " const made = URL.createObjectURL;"
            " URL.createObjectURL = function (b) { const u = made.call(URL, b);"
            " window.__blobs[u] = b; return u; };"
            " const click = HTMLAnchorElement.prototype.click;"
            " HTMLAnchorElement.prototype.click = function () {"
            " if (this.download) { window.__saved.push({href: this.href, name: this.download});"
            " return; } return click.call(this); }; return true; })()"
        )

    def saved(self, timeout: float = 60) -> tuple[str, bytes]:
        """The last file the page saved: its name and bytes."""
        self.wait("window.__saved && window.__saved.length", timeout, "a saved file")
        got = self.js(
            "(async () => { const s = window.__saved[window.__saved.length - 1];"
            " const b = window.__blobs[s.href] || await (await fetch(s.href)).blob();"
            " const bytes = new Uint8Array(await b.arrayBuffer()); let out = '';"
            " for (let i = 0; i < bytes.length; i += 0x8000)"
            " out += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));"
            " return {name: s.name, data: btoa(out)}; })()"
        )
        return got["name"], base64.b64decode(got["data"])

    def choose_file(self, button: str, path: Path) -> None:
        """Press a button that opens the file chooser, then hand it ``path`` (the chooser's
        own input element, as WebDriver does for a person's pick)."""
        self.js(
            "(() => { window.__picked = null; if (window.__pickHook) return true;"
            " window.__pickHook = true; const click = HTMLInputElement.prototype.click;"
            " HTMLInputElement.prototype.click = function () {"
            " if (this.type === 'file') { window.__picked = this;"
            " if (!this.isConnected) { this.style.display = 'none';"
            " document.body.appendChild(this); } return; }"
            " return click.call(this); }; return true; })()"
        )
        self.tap("button", button)
        self.wait("!!window.__picked", 30, "the file chooser")
        self.set_files(self.element("window.__picked"), path)


_STATE = (
    "(() => { const h = document.documentElement, b = document.getElementById('start-failed');"
    " return {url: location.href, ready: document.readyState, phase: h.dataset.phase || '',"
    " drawn: h.dataset.drawn || '', classes: h.className,"
    " message: b && !b.hidden ? b.innerText : '', startTimes: window.recourseStartTimes || null,"
    " loads: performance.getEntriesByType('navigation').map(e => e.type),"
    " since_load: Math.round(performance.now()),"
    " elements: document.getElementsByTagName('*').length,"
    " semantics: document.querySelectorAll('flt-semantics').length,"
    " placeholder: document.querySelectorAll('flt-semantics-placeholder').length}; })()"
)

# The page's start message with its Reload on show (a start that stalled, not Python stopping
# after it: that one has its own tests).
_RELOAD_OFFERED = (
    "(() => { const b = document.querySelector('#start-failed [data-reload]');"
    " return !!b && !b.hidden && !!b.getClientRects().length"
    " && !document.documentElement.classList.contains('stopped'); })()"
)

_CENTRE = (
    "const r = arguments[0].getBoundingClientRect();"
    " return [r.left + r.width / 2, r.top + Math.min(r.height / 2, 14)];"
)


class WebKit(Engine):
    """MiniBrowser (WebKitGTK) under WebKitWebDriver, on its own Xvfb display and D-Bus."""

    name = "webkit"

    def __init__(self, lang: str = "en_US.UTF-8", extra_env: dict | None = None):
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        class _Options(Options):  # WebKitWebDriver 2.50 refuses browserName "MiniBrowser"
            def to_capabilities(self):
                caps = super().to_capabilities()
                caps.pop("browserName", None)
                return caps

        self._procs: list[subprocess.Popen] = []
        self._display = self._xvfb()
        bus = subprocess.run(
            ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        self._bus_pid = int(bus[1])
        env = dict(os.environ, DISPLAY=self._display, DBUS_SESSION_BUS_ADDRESS=bus[0])
        env.update(NO_AT_BRIDGE="1", LANG=lang, LC_ALL=lang, **(extra_env or {}))
        opts = _Options()
        opts.binary_location = MINIBROWSER
        opts.add_argument("--automation")
        opts.add_argument("--enable-smooth-scrolling=false")
        self._service = Service(WEBKIT_DRIVER, env=env)
        self.driver = webdriver.WebKitGTK(options=opts, service=self._service)
        self.driver.set_window_size(WIDTH, HEIGHT)

    def _xvfb(self) -> str:
        for n in range(90, 140):
            if Path(f"/tmp/.X11-unix/X{n}").exists() or Path(f"/tmp/.X{n}-lock").exists():
                continue
            proc = subprocess.Popen(
                ["Xvfb", f":{n}", "-screen", "0", f"1280x{HEIGHT + 200}x24", "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(50):
                if Path(f"/tmp/.X11-unix/X{n}").exists():
                    self._procs.append(proc)
                    return f":{n}"
                if proc.poll() is not None:
                    break
                time.sleep(0.1)
            proc.kill()
        raise RuntimeError("no X display could be started")

    def goto(self, url: str) -> None:
        self.driver.get(url)

    def js(self, expr: str):
        return self.driver.execute_script(f"return ({expr});")

    def element(self, expr: str):
        return self.driver.execute_script(f"return ({expr});")

    def click(self, handle) -> None:
        # At the centre of its box, in viewport coordinates: WebDriver's own checks of whether
        # an element can be clicked do not fit Flutter's semantics layer.
        from selenium.webdriver.common.action_chains import ActionBuilder

        x, y = self.driver.execute_script(_CENTRE, handle)
        actions = ActionBuilder(self.driver)
        actions.pointer_action.move_to_location(int(x), int(y)).click()
        actions.perform()

    def keys(self, text: str) -> None:
        from selenium.webdriver import ActionChains

        ActionChains(self.driver).send_keys(text).perform()

    def wheel(self, dy: int) -> None:
        from selenium.webdriver import ActionChains
        from selenium.webdriver.common.actions.wheel_input import ScrollOrigin

        origin = ScrollOrigin.from_viewport(WIDTH // 2, HEIGHT // 2)
        ActionChains(self.driver).scroll_from_origin(origin, 0, int(dy)).perform()

    def set_files(self, handle, path: Path) -> None:
        handle.send_keys(str(path))

    def screenshot(self, path: Path) -> None:
        self.driver.save_screenshot(str(path))

    def peak_rss_mb(self) -> float:
        return _largest_rss("WebKitWebProces")  # (/proc keeps 15 characters of a name)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.driver.quit()
        for proc in self._procs:
            proc.terminate()
        with contextlib.suppress(OSError):
            os.kill(self._bus_pid, 15)


class Firefox(Engine):
    """Firefox ESR, headless, driven over WebDriver BiDi on a loopback port."""

    name = "firefox"

    def __init__(self):
        from websockets.sync.client import connect

        self.profile = Path(tempfile.mkdtemp(prefix="recourse-firefox-"))
        (self.profile / "user.js").write_text(
            'user_pref("browser.shell.checkDefaultBrowser", false);\n'
            'user_pref("datareporting.policy.dataSubmissionEnabled", false);\n'
            'user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);\n'
            'user_pref("browser.startup.homepage_override.mstone", "ignore");\n'
            'user_pref("app.update.disabledForTesting", true);\n'
            'user_pref("browser.download.useDownloadDir", true);\n'
            'user_pref("browser.download.folderList", 2);\n'
            f'user_pref("browser.download.dir", "{self.profile / "downloads"}");\n'
        )
        port = _free_port()
        self.proc = subprocess.Popen(
            [FIREFOX, "--headless", "--no-remote", "--profile", str(self.profile)]
            + [f"--remote-debugging-port={port}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ, LANG="en_US.UTF-8", MOZ_CRASHREPORTER_DISABLE="1"),
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.ws = connect(f"ws://127.0.0.1:{port}/session", max_size=None).__enter__()
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.proc.kill()
                    raise
                time.sleep(0.2)
        self._n = 0
        self.cmd("session.new", capabilities={})
        self.context = self.cmd("browsingContext.getTree")["contexts"][0]["context"]
        self.cmd(
            "browsingContext.setViewport",
            context=self.context,
            viewport={"width": WIDTH, "height": HEIGHT},
        )

    def cmd(self, method: str, **params):
        self._n += 1
        self.ws.send(json.dumps({"id": self._n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv(timeout=180))
            if msg.get("id") == self._n:
                if msg.get("type") == "error":
                    raise RuntimeError(f"firefox: {method}: {msg.get('message') or msg}")
                return msg["result"]

    def goto(self, url: str) -> None:
        self.cmd("browsingContext.navigate", context=self.context, url=url, wait="complete")

    def _eval(self, expr: str) -> dict:
        got = self.cmd(
            "script.evaluate",
            expression=expr,
            target={"context": self.context},
            awaitPromise=True,
        )
        if got.get("type") == "exception":
            raise RuntimeError(f"firefox: {got['exceptionDetails'].get('text')}")
        return got["result"]

    def js(self, expr: str):
        return _plain(self._eval(f"(async () => JSON.stringify(await ({expr})))()"), parse=True)

    def element(self, expr: str):
        got = self._eval(expr)
        return {"sharedId": got["sharedId"]} if got.get("type") == "node" else None

    def click(self, handle) -> None:
        origin = {"type": "element", "element": handle}
        self.cmd(
            "input.performActions",
            context=self.context,
            actions=[
                {
                    "type": "pointer",
                    "id": "mouse",
                    "parameters": {"pointerType": "mouse"},
                    "actions": [
                        {"type": "pointerMove", "x": 0, "y": 0, "origin": origin},
                        {"type": "pointerDown", "button": 0},
                        {"type": "pointerUp", "button": 0},
                    ],
                }
            ],
        )

    def keys(self, text: str) -> None:
        actions = []
        for ch in text:
            actions += [{"type": "keyDown", "value": ch}, {"type": "keyUp", "value": ch}]
        self.cmd(
            "input.performActions",
            context=self.context,
            actions=[{"type": "key", "id": "keyboard", "actions": actions}],
        )

    def wheel(self, dy: int) -> None:
        scroll = {"type": "scroll", "x": WIDTH // 2, "y": HEIGHT // 2, "deltaX": 0}
        self.cmd(
            "input.performActions",
            context=self.context,
            actions=[{"type": "wheel", "id": "wheel", "actions": [{**scroll, "deltaY": int(dy)}]}],
        )

    def set_files(self, handle, path: Path) -> None:
        self.cmd("input.setFiles", context=self.context, element=handle, files=[str(path)])

    def screenshot(self, path: Path) -> None:
        got = self.cmd("browsingContext.captureScreenshot", context=self.context)
        Path(path).write_bytes(base64.b64decode(got["data"]))

    def peak_rss_mb(self) -> float:
        return _largest_rss("Web Content", "Isolated Web Co", "firefox-esr")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.cmd("browser.close")
        with contextlib.suppress(Exception):
            self.ws.close()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def _plain(result: dict, parse: bool = False):
    if result.get("type") == "undefined":
        return None
    value = result.get("value")
    return json.loads(value) if parse and isinstance(value, str) else value


def _largest_rss(*names: str) -> float:
    """Largest RSS (MB) of a running process whose name starts with one of ``names``."""
    best = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("Name", "").strip().startswith(names):
            best = max(best, int(fields.get("VmRSS", "0 kB").split()[0]))
    return best / 1024


def start(engine: str, **kw) -> Engine:
    return {"webkit": WebKit, "firefox": Firefox}[engine](**kw)
