"""Pictures for the evidence report, inside the browser: the browser's own decoder turns any
picture it can show (PNG, WebP, GIF, ...) into a JPEG that the PDF can hold without an image
library. Only imported under Pyodide; natively fpdf2 reads pictures with Pillow itself.
"""

from __future__ import annotations

import js  # type: ignore[import-not-found]
from pyodide.ffi import JsException, to_js  # type: ignore[import-not-found]

MAX_SIDE = 1600  # pixels: plenty for a printed page, and a small PDF


async def to_jpeg(data: bytes, max_side: int | None = MAX_SIDE) -> bytes | None:
    """A JPEG of the picture (white behind transparency; at most ``max_side`` pixels on its
    longer side, or its own size), or None if the browser cannot read it. A canvas writes no
    hidden data: the JPEG carries none of the original's."""
    blob = js.Blob.new(to_js([to_js(bytes(data))]))
    try:
        bitmap = await js.createImageBitmap(blob)
    except JsException:
        return None
    try:
        longest = max(bitmap.width, bitmap.height, 1)
        scale = min(1.0, (max_side or longest) / longest)
        w, h = max(1, round(bitmap.width * scale)), max(1, round(bitmap.height * scale))
        canvas = js.OffscreenCanvas.new(w, h)
        ctx = canvas.getContext("2d")
        ctx.fillStyle = "#ffffff"
        ctx.fillRect(0, 0, w, h)
        ctx.drawImage(bitmap, 0, 0, w, h)
    finally:
        bitmap.close()
    options = to_js({"type": "image/jpeg", "quality": 0.9}, dict_converter=js.Object.fromEntries)
    out = await canvas.convertToBlob(options)
    return (await out.arrayBuffer()).to_bytes()
