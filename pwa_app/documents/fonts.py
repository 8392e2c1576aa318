"""Which font files the PDFs use, and which text needs the fallback one. No fpdf2 here: the app
asks these before any PDF is made (fpdf2 is imported only when one is)."""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
DEVANAGARI = FONT_DIR / "Lohit-Devanagari.ttf"  # loaded only for text that needs it


def is_devanagari(ch: str) -> bool:
    return 0x0900 <= ord(ch) <= 0x097F or 0xA8E0 <= ord(ch) <= 0xA8FF


def needs_devanagari(*texts: str) -> bool:
    return any(not t.isascii() and any(map(is_devanagari, t)) for t in texts)
