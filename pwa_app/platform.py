"""Where this Python runs: the one question the rooms ask of the platform."""

from __future__ import annotations

import sys


def in_browser() -> bool:
    """True when Python runs inside the browser (Pyodide)."""
    return sys.platform == "emscripten"
