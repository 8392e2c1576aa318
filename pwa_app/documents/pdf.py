"""PDFs with fpdf2 and the bundled DejaVu Sans (any script, right-to-left shaping by HarfBuzz).

Characters the font cannot draw (CJK, emoji, ...) are shown as a visible box, and the PDF says
so: the text version keeps them exactly. Same input and clock → the same bytes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from .notice import RenderedNotice

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
MISSING = "\u25a1"  # WHITE SQUARE, which DejaVu has
FALLBACK_NOTE = (
    "Some characters could not be drawn in this PDF and are shown as \u25a1. "
    "The text version (copy or email) contains them exactly."
)


@lru_cache(maxsize=1)
def _cmap() -> frozenset[int]:
    font = TTFont(str(REGULAR), lazy=True)
    return frozenset(font.getBestCmap())


def drawable(text: str) -> tuple[str, bool]:
    """Replace what the font cannot draw; say whether anything was replaced."""
    cmap = _cmap()
    out, missing = [], False
    for ch in text:
        if ch in "\n\t" or ord(ch) in cmap:
            out.append(ch)
        elif ch in "\u200d\ufe0f\ufe0e" or 0x1F3FB <= ord(ch) <= 0x1F3FF:
            missing = True  # joiners, variation selectors and skin tones: part of one emoji
        else:
            out.append(MISSING)
            missing = True
    return "".join(out), missing


def needs_shaping(*texts: str) -> bool:
    """Right-to-left or combining-mark text needs HarfBuzz; plain text is laid out faster without.
    (Latin, Greek, Cyrillic and CJK render the same either way with this font.)"""
    for text in texts:
        for ch in text:
            if ord(ch) >= 0x0300 and (
                unicodedata.bidirectional(ch) in ("R", "AL", "AN", "NSM")
                or unicodedata.combining(ch)
                or 0x0900 <= ord(ch) <= 0x0DFF  # Indic scripts
            ):
                return True
    return False


class Doc(FPDF):
    """An A4 document with the bundled font, page numbers and glyph fallback."""

    def __init__(self, title: str, now: datetime, shaping: bool = True):
        super().__init__(format="A4")
        self.set_creation_date(now)
        self.set_title(title)
        self.set_creator("Recourse")
        self.set_producer("Recourse (fpdf2)")
        self.add_font("DejaVu", fname=str(REGULAR))
        if shaping:
            self.set_text_shaping(use_shaping_engine=True)
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)
        self.replaced = False
        self.add_page()

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("DejaVu", size=8)
        self.cell(0, 6, f"Page {self.page_no()}/{{nb}}", align="C")

    def _t(self, text: str) -> str:
        text, missing = drawable(text)
        self.replaced |= missing
        return text

    def heading(self, text: str, size: int = 15) -> None:
        # One face only: loading a second (bold) font costs as much as the whole rest.
        self.set_font("DejaVu", "", size + 1)
        self.multi_cell(0, size * 0.55, self._t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def para(self, text: str, size: int = 10.5, bold: bool = False, gap: float = 3) -> None:
        self.set_font("DejaVu", "", size + (0.5 if bold else 0))
        self.multi_cell(0, size * 0.5, self._t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    def lines(self, items: Iterable[str], size: float = 9.5) -> None:
        self.set_font("DejaVu", size=size)
        for item in items:
            self.multi_cell(
                0,
                size * 0.5,
                self._t(item),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
                wrapmode=WrapMode.CHAR,
            )
        self.ln(3)

    def finish(self) -> bytes:
        if self.replaced:
            self.ln(4)
            self.set_font("DejaVu", size=8.5)
            self.multi_cell(0, 4.5, FALLBACK_NOTE, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return bytes(self.output())


def notice_pdf(notice: RenderedNotice, now: datetime) -> bytes:
    """Heading, recipient, body in the statute's order (URL list inside it), signature, date."""
    texts = (notice.heading, notice.recipient, notice.subject, *notice.paragraphs)
    doc = Doc(notice.title, now, shaping=needs_shaping(*texts))
    doc.heading(notice.heading)
    to = notice.recipient + (f" <{notice.recipient_email}>" if notice.recipient_email else "")
    doc.para(f"To: {to}", bold=True, gap=0.5)
    doc.para(f"Date: {notice.date}", gap=0.5)
    doc.para(f"Subject: {notice.subject}", gap=5)
    for p in notice.paragraphs:
        doc.para(p)
    return doc.finish()
