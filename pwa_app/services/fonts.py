"""The PDF fallback font for Devanagari: part of the app natively; in the browser it is not in
the app's download, and is fetched from the site (and kept for offline use by the service
worker) the first time a PDF needs it."""

from __future__ import annotations

import logging

from ..documents.fonts import DEVANAGARI, needs_devanagari
from ..platform import in_browser

SITE_PATH = "fonts/" + DEVANAGARI.name


async def fonts_for(*texts: str) -> None:
    """Make sure the fonts these texts need are there. Without one the PDF is still made, and
    says which characters it could not draw."""
    if not in_browser() or DEVANAGARI.is_file() or not needs_devanagari(*texts):
        return
    try:
        import js  # type: ignore[import-not-found]
        from pyodide.http import pyfetch  # type: ignore[import-not-found]

        response = await pyfetch(js.URL.new(SITE_PATH, js.location.href).href)
        if response.ok:
            data = await response.bytes()
            DEVANAGARI.parent.mkdir(parents=True, exist_ok=True)
            DEVANAGARI.write_bytes(data)
    except Exception:  # noqa: BLE001 - offline before it was ever kept: drawn as boxes, said
        logging.getLogger(__name__).warning("The Devanagari font could not be fetched.")
