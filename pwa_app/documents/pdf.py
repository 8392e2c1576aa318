"""PDFs with fpdf2: archival (PDF/A-2U), with the bundled DejaVu Sans and, for Devanagari, Lohit
Devanagari as a fallback font (both free to redistribute).

Only the lines that need it are shaped by HarfBuzz (right-to-left and Indic writing): every other
line is laid out by this module's own fast wrapping, and words stay whole either way. A shaped
Indic line carries its text as written (PDF ActualText), so that copying or extracting it gives
the letters in their order. Characters no bundled font can draw (CJK, emoji, ...) are shown as a
visible box, and the PDF says so: the text version keeps them exactly. Same input and clock →
the same bytes.

Inside the browser there is no HarfBuzz and no Pillow. Text that needs shaping is still drawn,
letter by letter, and the PDF says that the text version has it exactly. JPEG pictures are
embedded as they are (their own bytes, parsed here), so no image library is needed for them.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, WrapMode, XPos, YPos

from ..i18n import N_
from .fonts import DEVANAGARI, FONT_DIR, REGULAR, is_devanagari, needs_devanagari
from .notice import RenderedNotice

__all__ = ["DEVANAGARI", "FONT_DIR", "REGULAR", "is_devanagari", "needs_devanagari"]
COMPLIANCE = "PDF/A-2U"
MISSING = "\u25a1"  # WHITE SQUARE, which DejaVu has
# A document's own words, said in its language by its ``say`` (English by default)
FALLBACK_NOTE = N_(
    "Some characters could not be drawn in this PDF and are shown as \u25a1. "
    "The text version (copy or email) contains them exactly."
)
UNSHAPED_NOTE = N_(
    "This PDF was made without text shaping, so right-to-left or joined writing (such as "
    "Arabic, Hebrew or Hindi) may appear in the wrong order or with its letters apart. "
    "The text version (copy or email) contains it exactly."
)
PAGE_WORDS = N_("Page {page}/{pages}")  # each page's footer


@lru_cache(maxsize=1)
def shaping_available() -> bool:
    """HarfBuzz is there natively; the browser build has none."""
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=4)
def _font_cmap(path: Path) -> frozenset[int]:
    font = TTFont(str(path), lazy=True)
    return frozenset(font.getBestCmap())


def _cmap(fallback: bool = False) -> frozenset[int]:
    base = _font_cmap(REGULAR)
    return base | _font_cmap(DEVANAGARI) if fallback else base


@lru_cache(maxsize=2)
def _drawable_chars(fallback: bool = False) -> frozenset[str]:
    return frozenset(map(chr, _cmap(fallback))) | {"\n", "\t"}


def fallback_available() -> bool:
    """The Devanagari font is there (in the browser it is fetched the first time it is needed)."""
    return DEVANAGARI.is_file()


def drawable(text: str, fallback: bool = False) -> tuple[str, bool]:
    """Replace what the fonts cannot draw; say whether anything was replaced."""
    if not set(text) - _drawable_chars(fallback):  # nearly always: one pass at C speed
        return text, False
    cmap = _cmap(fallback)
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
    return any(_needs_shaping(t) for t in texts)


@lru_cache(maxsize=4096)
def _needs_shaping(text: str) -> bool:
    if text.isascii():
        return False
    for ch in text:
        if ord(ch) >= 0x0300 and (
            unicodedata.bidirectional(ch) in ("R", "AL", "AN", "NSM")
            or unicodedata.combining(ch)
            or 0x0900 <= ord(ch) <= 0x0DFF  # Indic scripts
        ):
            return True
    return False


def _right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def _actual_text(text: str) -> str:
    """A PDF text string (UTF-16BE, hex) for ActualText."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


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


class _Picked(dict):
    """A font's characters as numbered in its subset: picked on first use, as fpdf2 picks
    them (then ``str.translate`` maps a whole row at once)."""

    def __init__(self, font):
        super().__init__()
        self.font = font

    def __missing__(self, uni: int) -> str:
        mapped = self.font.subset.pick(uni)
        self[uni] = got = "" if mapped is None else chr(mapped)
        return got


# The footer's placeholder for the number of pages. fpdf2's own ("{nb}") turned a "{nb}" typed in
# a note or found in an address into the page count; drawable() lets no U+FFFF through, so no
# text of the record can hold this one. (Three characters, as "{nb}" counted: the same layout.)
PAGES = "{\uffff}"


class Doc(FPDF):
    """An archival A4 document with the bundled fonts, page numbers, a footer line, bookmarks
    for its headings and glyph fallback. ``shaping``: some of its text needs shaping (each
    line is then shaped only if it does); ``devanagari``: some of it is Devanagari."""

    def __init__(
        self,
        title: str,
        now: datetime,
        shaping: bool = True,
        *,
        devanagari: bool = False,
        footer_text: str = "",
        lang: str = "en",
        say: Callable[[str], str] = str,  # its own words (the footer's ...) in its language
    ):
        super().__init__(format="A4", enforce_compliance=COMPLIANCE)
        self.set_creation_date(now)
        self.set_title(title)
        self.set_lang(lang)
        self.set_creator("Recourse")
        self.set_producer("Recourse (fpdf2)")
        self.add_font("DejaVu", fname=str(REGULAR))
        self.fallback = devanagari and fallback_available()
        if self.fallback:  # used only while a line that needs it is drawn (it costs on each)
            self.add_font("Devanagari", fname=str(DEVANAGARI))
        self.can_shape = shaping and shaping_available()
        self.unshaped = shaping and not self.can_shape
        self.footer_text = footer_text
        self.say = say
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)
        self.alias_nb_pages(PAGES)
        self.replaced = False
        self._picked: dict[str, _Picked] = {}
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
        self._font(8)
        self.set_y(-14)
        line = self.say(PAGE_WORDS).format(page=self.page_no(), pages=PAGES)
        if self.footer_text:
            line = f"{self._t(self.footer_text)[:90]}  ·  {line}"
        deva = self.fallback and needs_devanagari(line)
        if deva:
            self.set_fallback_fonts(["Devanagari"])
        self.cell(0, 6, line, align="C")
        if deva:
            self.set_fallback_fonts([])

    def _t(self, text: str) -> str:
        text, missing = drawable(text, self.fallback)
        self.replaced |= missing
        return text

    def _font(self, size: float) -> None:
        """The body font at ``size``, said again on the page (after a line drawn partly in the
        fallback font, PDF readers must be told which font the next line is in)."""
        self.set_font("DejaVu", "", size)
        self.current_font_is_set_on_page = False

    def heading(self, text: str, size: int = 15, bookmark: bool = True) -> None:
        # One face only: loading a second (bold) font costs as much as the whole rest.
        if bookmark:
            self.start_section(text[:120], level=0 if size >= 15 else 1, strict=False)
        self.write_text(text, size + 1, size * 0.55)
        self.ln(2)

    def para(self, text: str, size: float = 10.5, bold: bool = False, gap: float = 3) -> None:
        self.write_text(text, size + (0.5 if bold else 0), size * 0.5)
        self.ln(gap)

    def lines(self, items: Iterable[str], size: float = 9.5, gap: float = 3) -> None:
        """Lines of text, each wrapped at spaces (or anywhere in a long address or hash)."""
        for item in items:
            self.write_text(item, size, size * 0.5)
        self.ln(gap)

    def write_text(self, item: str, size: float, h: float) -> None:
        """One paragraph: plain text by the fast wrapping below; text that needs shaping or the
        fallback font by fpdf2, shaped only when it needs it, wrapped at spaces."""
        text = self._t(item)
        self._font(size)
        shaped = self.can_shape and needs_shaping(text)
        deva = self.fallback and needs_devanagari(text)
        if not shaped and not deva:
            for row in self.wrap(text):
                self.row(row, h)
            return
        if shaped:
            self.set_text_shaping(use_shaping_engine=True)
        if deva:
            self.set_fallback_fonts(["Devanagari"])
        try:
            room = self.w - self.l_margin - self.r_margin - 2 * self.c_margin
            if "\n" not in text and self.get_string_width(text) <= 0.85 * room:
                rows = [text]  # one row: fpdf2's line breaking measures again at every letter
            else:
                rows = self.multi_cell(
                    0, h, text, dry_run=True, output=MethodReturnValue.LINES, wrapmode=WrapMode.WORD
                )
            actual = shaped and not _right_to_left(text)
            for row in rows:
                if self.will_page_break(h):
                    self.add_page()
                self._font(size)
                if actual:  # copied or extracted, an Indic line reads as it was written
                    self._out(f"/Span <</ActualText {_actual_text(row)}>> BDC")
                self.cell(0, h, row, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                if actual:
                    self._out("EMC")
        finally:
            if shaped:
                self.set_text_shaping(use_shaping_engine=False)
            if deva:
                self.set_fallback_fonts([])
            self._font(size)

    def row(self, text: str, h: float) -> None:
        """One row of plain text, the same bytes as ``cell(0, h, text, new_x=XPos.LMARGIN,
        new_y=YPos.NEXT)`` writes, without fpdf2's general text machinery (fragments, styles,
        links, measuring the row twice), which was most of a long report's time."""
        self._perform_page_break_if_need_be(h)
        if text:
            if not self.current_font_is_set_on_page:
                self._out(self._set_font_for_page(self.current_font, self.font_size_pt))
            x = (self.x + self.c_margin) * self.k
            y = (self.h - self.y - 0.5 * h - 0.3 * self.font_size) * self.k
            self._out(f"BT {x:.2f} {y:.2f} Td {self._encoded(text)} ET")
        self._lasth = h
        self.x = self.l_margin
        self.y += h

    def _encoded(self, text: str) -> str:
        """The font's ``encode_text(text)``, each character looked up once per document."""
        font = self.current_font
        if font.is_symbol:
            return font.encode_text(text)
        picked = self._picked.get(font.fontkey)
        if picked is None:
            picked = self._picked[font.fontkey] = _Picked(font)
        return f"({font.escape_text(text.translate(picked))}) Tj"

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
            self._font(8.5)
            self.multi_cell(0, 4.5, self.say(note), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._pin_xmp_dates()
        return bytes(self.output())

    def _pin_xmp_dates(self) -> None:
        """fpdf2 dates the archival metadata's "modified" with the time of output: date it with
        the document's own clock instead, so the same record gives the same bytes."""
        from fpdf.output import OutputProducer

        xmp = OutputProducer(self)._build_xmp_from_info()
        made = self.creation_date.astimezone(UTC).isoformat(timespec="seconds")
        xmp = re.sub(r'(xmp:(?:ModifyDate|MetadataDate)=")[^"]*"', rf'\g<1>{made}"', xmp)
        self.set_xmp_metadata(xmp)


def notice_pdf(notice: RenderedNotice, now: datetime, say: Callable[[str], str] = str) -> bytes:
    """Heading, recipient, body in the statute's order (URL list inside it), signature, date;
    in the notice's language (``say``: the PDF's own words in it)."""
    texts = (notice.heading, notice.recipient, notice.subject, *notice.paragraphs)
    doc = Doc(
        notice.title,
        now,
        shaping=needs_shaping(*texts),
        devanagari=needs_devanagari(*texts),
        lang=notice.language,
        say=say,
    )
    doc.heading(notice.heading)
    to, date, subject = notice.head
    doc.para(to, bold=True, gap=0.5)
    doc.para(date, gap=0.5)
    doc.para(subject, gap=5)
    for p in notice.paragraphs:
        doc.para(p)
    return doc.finish()


def texts_pdf(
    title: str,
    texts: list[tuple[str, str]],
    now: datetime,
    *,
    lang: str = "en",
    say: Callable[[str], str] = str,
) -> bytes:
    """One PDF of texts kept as they are (the notices as they were sent): each on its own
    page under its heading, with a bookmark; ``lang`` and ``say`` as Doc's."""
    lines = [line for _h, text in texts for line in text.split("\n")]
    heads = [h for h, _t in texts]
    doc = Doc(
        title,
        now,
        shaping=needs_shaping(*lines, *heads),
        devanagari=needs_devanagari(*lines, *heads),
        footer_text=title,
        lang=lang,
        say=say,
    )
    for i, (heading, text) in enumerate(texts):
        if i:
            doc.add_page()
        doc.heading(heading, 12)
        doc.lines(text.split("\n"), size=10)
    return doc.finish()
