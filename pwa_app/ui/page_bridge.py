"""The side channel between Python and the page's own script, when the app runs in the browser.

Quick exit must not wait for a round trip through Flutter and Python, so on the web the page
draws the Quick exit button itself and covers the screen at once. It then tells Python
("exit", or "leave-decoy" when the person comes back), and Python tells the page which phase
the app is in ("starting", "create", "unlock", "open", "decoy"), when Flutter has laid out the
lock screen or the decoy ("drawn": the page's start watch waits for that), and which language
it speaks (chosen in Settings, the page's own words follow). Whether the screen on show has a
Back ("can-back") lets a phone's own Back gesture or button go back a screen ("back") instead
of leaving the app; the page closes a calendar or clock that Flet cannot ("close-dialog").
Outside the browser (phones, desktops, the developer's server mode) there is no such channel
and this does nothing: Flutter draws the button.

Files in and out also take this channel in the browser, straight between the page and Python:
through Flutter, a file's bytes cost about 40 times their size in the page's memory on the way
in, and over 100 times on the way out (measured: attaching one 2.5 MB screenshot grew the page
by about 100 MB; saving a 10 MB backup took it to 1.8 GB, which a phone's browser does not
survive).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from dataclasses import dataclass

from ..platform import in_browser

ANSWER = "file-done"  # the page's answer to a file asked of it


@dataclass(frozen=True)
class PickedFile:
    """A file the person chose (as Flet's FilePickerFile: its name and bytes)."""

    name: str
    bytes: bytes | None


class PageBridge:
    def __init__(self, on_message: Callable[[str], None] | None = None):
        self._js = None
        self._proxy = None
        self._drawn = ""  # the last phase whose screen Flutter confirmed
        self._back = False  # the page was last told that the screen on show has a Back
        self._asked: dict[int, asyncio.Future] = {}  # file calls the page has not answered
        self._seq = 0
        if not in_browser():
            return
        import recourse_js  # type: ignore[import-not-found]  # registered by python-worker.js
        from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

        self._js = recourse_js
        if on_message is None:  # (a bridge that only speaks; the page's words wait for the app's)
            return
        loop = asyncio.get_event_loop()
        # Run as Flet's own event handlers do: with this session's page as the context.
        context = contextvars.copy_context()

        def deliver(kind: object, value: object = None) -> None:
            if str(kind) == ANSWER:
                self._answered(value)
            else:
                loop.call_soon(on_message, str(kind), context=context)

        self._proxy = create_proxy(deliver)
        recourse_js.listen(self._proxy)

    @property
    def active(self) -> bool:
        """True when the page draws Quick exit itself."""
        return self._js is not None

    @property
    def files(self) -> bool:
        """True when files in and out go through the page (it can answer: the app's bridge)."""
        return self._proxy is not None

    def phase(self, phase: str) -> None:
        self._drawn = ""
        if self._js is not None:
            self._js.post("phase", phase)

    def drawn(self, phase: str) -> None:
        """Flutter has laid out this phase's screen (the page's start watch stands down)."""
        if self._js is not None and phase != self._drawn:
            self._drawn = phase
            self._js.post("drawn", phase)

    def has_back(self, back: bool, again: bool = False) -> None:
        """Whether the screen on show has a Back: the page then lets a phone's own Back go
        there (it sends "back"), and otherwise leaves it to the browser. Said when it changes,
        and ``again`` after a Back (the page's watch for it is used up by each one)."""
        if self._js is not None and (back != self._back or again):
            self._back = back
            self._js.post("can-back", back)

    def close_dialog(self) -> None:
        """Close Flutter's calendar or clock, as Escape does (Flet's own cannot close one)."""
        if self._js is not None:
            self._js.post("close-dialog")

    def language(self, language: str) -> None:
        """The language the app now speaks: the page's own words (its Quick exit button) follow
        at once, not only at the next start."""
        if self._js is not None:
            self._js.post("language", language)

    # ---- files, in the browser only (``files``) --------------------------------------------
    async def pick_file(self, accept: str = "", max_bytes: int = 0) -> PickedFile | None:
        """The page's own file chooser: the file the person chose, or None if they cancelled;
        OSError if it could not be read.
        With ``max_bytes``, at most that many bytes and one more are read, so that a size check
        still says "too large" while a huge file never fills the memory."""
        got = await self._ask("pick", {"accept": accept, "max": max_bytes})
        if got["status"] != "picked":
            return None
        return PickedFile(str(got.get("name") or "file"), got.get("bytes") or b"")

    async def save_file(self, name: str, data: bytes, mime: str) -> None:
        """The browser downloads the file; OSError if the page could not hand it over."""
        await self._ask("save", {"name": name, "mime": mime}, data)

    async def share_file(self, name: str, data: bytes, mime: str) -> str:
        """The system share sheet: "success" or "dismissed", "downloaded" where the browser
        cannot share files; OSError if the share sheet failed."""
        return (await self._ask("share", {"name": name, "mime": mime}, data))["status"]

    async def _ask(self, what: str, value: dict, data: bytes | None = None) -> dict:
        """The page's answer; its "error: <what>" (python.js ``failed``) raised as OSError."""
        from pyodide.ffi import to_js  # type: ignore[import-not-found]

        self._seq += 1
        call = self._seq
        answer = asyncio.get_event_loop().create_future()
        self._asked[call] = answer
        try:
            # The bytes are moved to the page, not copied again.
            self._js.ask(what, call, to_js(value, dict_converter=_object), to_js(data))
            got = await answer
        finally:
            self._asked.pop(call, None)
        error, _colon, what_failed = got["status"].partition(": ")
        if error == "error":
            raise OSError(what_failed)
        return got

    def _answered(self, value: object) -> None:
        """The page's answer: {id, status, name?, bytes?} (converted at once, while the page's
        object is at hand; JavaScript's null arrives as Pyodide's ``jsnull``, not None)."""
        name, data = getattr(value, "name", None), getattr(value, "bytes", None)
        got = {
            "status": str(getattr(value, "status", "")),
            "name": name if isinstance(name, str) else None,
            "bytes": data.to_bytes() if hasattr(data, "to_bytes") else None,
        }
        call = self._asked.get(int(getattr(value, "id", 0)))
        if call is not None and not call.done():
            call.set_result(got)


def _object(entries: object) -> object:
    import js  # type: ignore[import-not-found]

    return js.Object.fromEntries(entries)
