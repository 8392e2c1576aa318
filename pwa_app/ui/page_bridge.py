"""The side channel between Python and the page's own script, when the app runs in the browser.

Quick exit must not wait for a round trip through Flutter and Python, so on the web the page
draws the Quick exit button itself and covers the screen at once. It then tells Python
("exit", or "leave-decoy" when the person comes back), and Python tells the page which phase
the app is in ("starting", "create", "unlock", "open", "decoy"), when Flutter has laid out the
lock screen or the decoy ("drawn": the page's start watch waits for that), and which language
it speaks (chosen in Settings, the page's own words follow). Outside the browser (phones,
desktops, the developer's server mode) there is no such channel and this does nothing: Flutter
draws the button.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable

from ..platform import in_browser


class PageBridge:
    def __init__(self, on_message: Callable[[str], None] | None = None):
        self._js = None
        self._proxy = None
        self._drawn = ""  # the last phase whose screen Flutter confirmed
        if not in_browser():
            return
        import recourse_js  # type: ignore[import-not-found]  # registered by python-worker.js
        from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

        self._js = recourse_js
        if on_message is not None:
            loop = asyncio.get_event_loop()
            # Run as Flet's own event handlers do: with this session's page as the context.
            context = contextvars.copy_context()

            def deliver(kind: object, _value: object = None) -> None:
                loop.call_soon(on_message, str(kind), context=context)

            self._proxy = create_proxy(deliver)
            recourse_js.listen(self._proxy)

    @property
    def active(self) -> bool:
        """True when the page draws Quick exit itself."""
        return self._js is not None

    def phase(self, phase: str) -> None:
        self._drawn = ""
        if self._js is not None:
            self._js.post("phase", phase)

    def drawn(self, phase: str) -> None:
        """Flutter has laid out this phase's screen (the page's start watch stands down)."""
        if self._js is not None and phase != self._drawn:
            self._drawn = phase
            self._js.post("drawn", phase)

    def language(self, language: str) -> None:
        """The language the app now speaks: the page's own words (its Quick exit button) follow
        at once, not only at the next start."""
        if self._js is not None:
            self._js.post("language", language)
