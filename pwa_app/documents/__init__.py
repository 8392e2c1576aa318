"""Notice and report generators: pure functions of their input and a clock.

fpdf2 is imported only when a PDF is made: it is the slowest import of the app, and the lock
screen should not wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from .mailto import mailto_uri
from .notice import RenderedNotice, render_notice, validate_notice


def notice_pdf(notice: RenderedNotice, now: datetime, say: Callable[[str], str] = str) -> bytes:
    """``say``: the PDF's own words (its footer) in the notice's language."""
    from .pdf import notice_pdf as make

    return make(notice, now, say)


def warm_up() -> None:
    """Import fpdf2 and read the font once, before the first PDF is asked for (a screen that
    makes PDFs calls this when it opens): the first report then takes no longer than the next."""
    from .pdf import Doc

    doc = Doc("", datetime(2026, 1, 1), shaping=False)
    doc.lines(["Recourse"])
    doc.finish()


__all__ = [
    "RenderedNotice",
    "mailto_uri",
    "notice_pdf",
    "render_notice",
    "validate_notice",
    "warm_up",
]
