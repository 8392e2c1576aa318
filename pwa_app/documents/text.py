"""Text clean-up shared by the generators."""

from __future__ import annotations

import unicodedata


def clean(value: object, *, multiline: bool = False) -> str:
    """Strip control characters (keeping newlines in multi-line text) and outer spaces."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    keep = "\n\t" if multiline else ""
    text = "".join(
        ch if (ch in keep or unicodedata.category(ch) not in ("Cc", "Cs")) else " " for ch in text
    )
    if not multiline:
        text = " ".join(text.split())
    return text.strip()
