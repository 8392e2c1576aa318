"""Notice and report generators: pure functions of their input and a clock."""

from .mailto import mailto_uri
from .notice import RenderedNotice, render_notice, validate_notice
from .pdf import notice_pdf

__all__ = ["RenderedNotice", "mailto_uri", "notice_pdf", "render_notice", "validate_notice"]
