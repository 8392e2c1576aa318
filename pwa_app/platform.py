"""Where this Python runs: the one question the rooms ask of the platform."""

from __future__ import annotations

import sys

# The screen's font (a wide set of scripts, offline: no font from any other host), by family
# name and its path in the app's assets and on the site. In the browser the site's build has
# Flutter load it at start with its own fonts (pwa_app/site/build.py); natively the page names it.
SCREEN_FONT = ("DejaVu", "fonts/DejaVuSans.ttf")


def in_browser() -> bool:
    """True when Python runs inside the browser (Pyodide)."""
    return sys.platform == "emscripten"


def device_languages() -> list[str]:
    """The languages the person's device or browser asks for, most preferred first (as it
    reports them: a tag may be malformed; ``i18n.negotiate`` passes over those)."""
    try:
        if in_browser():
            import js  # type: ignore[import-not-found]  # the worker's navigator

            return [str(x) for x in (getattr(js.navigator, "languages", None) or [])]
        import locale
        import os

        tags = [os.environ.get(k, "") for k in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")]
        tags = [t for v in tags for t in v.split(":")]
        return [t for t in [*tags, locale.getlocale()[0] or ""] if t]
    except Exception:  # noqa: BLE001 - no language known: the app speaks English
        return []
