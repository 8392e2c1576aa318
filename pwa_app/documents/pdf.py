"""PDFs with fpdf2 and the bundled DejaVu Sans (any script, right-to-left shaping by HarfBuzz).

Characters the font cannot draw (CJK, emoji, ...) are shown as a visible box, and the PDF says
so: the text version keeps them exactly. Same input and clock → the same bytes.

Inside the browser there is no HarfBuzz and no Pillow. Text that needs shaping is still drawn,
letter by letter, and the PDF says that the text version has it exactly. JPEG pictures are
embedded as they are (their own bytes, parsed here), so no image library is needed for them.
"""

from __future__ import annotations

import hashlib
import io
import struct
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from itertools import accumulate
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
UNSHAPED_NOTE = (
    "This PDF was made without text shaping, so right-to-left or joined writing (such as "
    "Arabic, Hebrew or Hindi) may appear in the wrong order or with its letters apart. "
    "The text version (copy or email) contains it exactly."
)


@lru_cache(maxsize=1)
def shaping_available() -> bool:
    """HarfBuzz is there natively; the browser build has none."""
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _cmap() -> frozenset[int]:
    font = TTFont(str(REGULAR), lazy=True)
    return frozenset(font.getBestCmap())


@lru_cache(maxsize=1)
def _drawable_chars() -> frozenset[str]:
    return frozenset(map(chr, _cmap())) | {"\n", "\t"}


def drawable(text: str) -> tuple[str, bool]:
    """Replace what the font cannot draw; say whether anything was replaced."""
    if not set(text) - _drawable_chars():  # nearly always: one pass at C speed
        return text, False
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
        if text.isascii():
            continue
        for ch in text:
            if ord(ch) >= 0x0300 and (
                unicodedata.bidirectional(ch) in ("R", "AL", "AN", "NSM")
                or unicodedata.combining(ch)
                or 0x0900 <= ord(ch) <= 0x0DFF  # Indic scripts
            ):
                return True
    return False


def jpeg_info(data: bytes) -> dict | None:
    """Width, height and colour space of a baseline or progressive JPEG; None if not one."""
    if data[:2] != b"\xff\xd8":
        return None
    i, adobe = 2, False
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker == 0xEE:
            adobe = True
        if marker in (0xC0, 0xC1, 0xC2) and i + 10 <= len(data):
            h, w = struct.unpack(">HH", data[i + 5 : i + 9])
            comps = data[i + 9]
            cs = {1: "DeviceGray", 3: "DeviceRGB", 4: "DeviceCMYK"}.get(comps)
            if not (w and h and cs):
                return None
            return {"w": w, "h": h, "cs": cs, "dpn": comps, "inverted": comps == 4 and adobe}
        if marker == 0xDA:
            return None
        i += 2 + length
    return None


class Doc(FPDF):
    """An A4 document with the bundled font, page numbers and glyph fallback."""

    def __init__(self, title: str, now: datetime, shaping: bool = True):
        super().__init__(format="A4")
        self.set_creation_date(now)
        self.set_title(title)
        self.set_creator("Recourse")
        self.set_producer("Recourse (fpdf2)")
        self.add_font("DejaVu", fname=str(REGULAR))
        self.unshaped = shaping and not shaping_available()
        if shaping and not self.unshaped:
            self.set_text_shaping(use_shaping_engine=True)
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)
        self.replaced = False
        self.add_page()

    def picture(self, data: bytes, w: float) -> None:
        """Draw a picture. JPEG goes in as it is, without any image library; other formats
        need Pillow (natively) and raise where there is none (the browser converts them to JPEG
        first)."""
        info = jpeg_info(data)
        if info is not None:
            from fpdf.image_datastructures import RasterImageInfo

            # fpdf2 keys its image cache by the MD5 of the bytes: filled here, it never parses.
            key = hashlib.md5(data.strip(), usedforsecurity=False).hexdigest()
            if key not in self.image_cache.images:
                self.image_cache.images[key] = RasterImageInfo(
                    data=data,
                    bpc=8,
                    f="DCTDecode",
                    iccp=None,
                    iccp_i=None,
                    dp=f"/Predictor 15 /Colors {info['dpn']} /Columns {info['w']}",
                    i=len(self.image_cache.images) + 1,
                    usages=0,
                    **info,
                )
        self.image(io.BytesIO(data), w=w)

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

    def lines(self, items: Iterable[str], size: float = 9.5, gap: float = 3) -> None:
        """Lines of text, each wrapped at spaces (or anywhere in a long address or hash)."""
        self.set_font("DejaVu", size=size)
        h = size * 0.5
        for item in items:
            text = self._t(item)
            if self.text_shaping:  # shaped text: fpdf2 measures each shaped run itself
                self.multi_cell(
                    0, h, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR
                )
                continue
            for row in self.wrap(text):
                self.cell(0, h, row, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    def wrap(self, text: str) -> list[str]:
        """Break text into rows that fit between the margins at the current font size: at the
        last space that fits, or inside a word longer than a row. Widths are summed once per
        paragraph. (fpdf2's own wrapping measures a row again for every character added: at
        hundreds of lines that was most of the time a report took.)"""
        cw = self.current_font.cw
        limit = (self.w - self.l_margin - self.r_margin - 2 * self.c_margin) / (
            self.font_size_pt * 0.001 / self.k
        )  # the room, in the font's own units
        rows: list[str] = []
        for para in text.split("\n"):
            acc = list(accumulate(map(cw.__getitem__, map(ord, para))))
            start, base = 0, 0
            while acc and acc[-1] - base > limit:
                end = max(bisect_right(acc, base + limit, lo=start), start + 1)
                space = para.rfind(" ", start, end)
                if space > start:
                    rows.append(para[start:space])
                    start = space + 1
                else:
                    rows.append(para[start:end])
                    start = end
                base = acc[start - 1]
            rows.append(para[start:])
        return rows

    def finish(self) -> bytes:
        for note in [FALLBACK_NOTE] * self.replaced + [UNSHAPED_NOTE] * self.unshaped:
            self.ln(4)
            self.set_font("DejaVu", size=8.5)
            self.multi_cell(0, 4.5, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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
