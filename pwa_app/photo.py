"""What a photo's hidden data (EXIF) reveals, and a copy without it. Pure functions (Pillow)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from PIL import ExifTags, Image, UnidentifiedImageError

Image.MAX_IMAGE_PIXELS = 80_000_000  # refuse decompression bombs with a clear message

FORMAT_MIME = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "HEIF": "image/heif",
    "TIFF": "image/tiff",
    "BMP": "image/bmp",
}


@dataclass(frozen=True)
class PhotoInfo:
    ok: bool
    mime: str = ""
    error: str = ""
    revealing: list[str] = field(default_factory=list)  # plain-language findings


def _gps(exif: Image.Exif) -> str:
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except (KeyError, ValueError, TypeError):
        return ""
    if not gps:
        return ""

    def deg(v, ref) -> float:
        d, m, s = (float(x) for x in v)
        val = d + m / 60 + s / 3600
        return -val if ref in ("S", "W") else val

    try:
        lat = deg(gps[2], gps.get(1, "N"))
        lon = deg(gps[4], gps.get(3, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return "a GPS position (where the photo was taken)"
    return f"the GPS position where it was taken ({lat:.5f}, {lon:.5f})"


def inspect_image(data: bytes) -> PhotoInfo:
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.verify()
        with Image.open(io.BytesIO(data)) as im:
            fmt = im.format or ""
            exif = im.getexif()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return PhotoInfo(False, error="This file is not a picture this app can read.")
    found: list[str] = []
    if where := _gps(exif):
        found.append(where)
    make, model = exif.get(ExifTags.Base.Make), exif.get(ExifTags.Base.Model)
    if make or model:
        found.append(f"the device ({' '.join(str(x).strip() for x in (make, model) if x)})")
    try:
        sub = exif.get_ifd(ExifTags.IFD.Exif)
    except (KeyError, ValueError, TypeError):
        sub = {}
    when = sub.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if when:
        found.append(f"the date and time it was taken ({str(when).strip()})")
    if exif.get(ExifTags.Base.Software):
        found.append(f"the software used ({str(exif.get(ExifTags.Base.Software)).strip()})")
    return PhotoInfo(True, FORMAT_MIME.get(fmt, "image/" + fmt.lower()), revealing=found)


def strip_metadata(data: bytes) -> bytes:
    """A copy with the pixels only: no EXIF, GPS, comments or embedded thumbnails."""
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        fmt = im.format if im.format in ("JPEG", "PNG", "WEBP") else "PNG"
        clean = Image.frombytes(im.mode, im.size, im.tobytes())
        if im.mode == "P" and im.getpalette():
            clean.putpalette(im.getpalette())
        out = io.BytesIO()
        kw = {"quality": 95} if fmt == "JPEG" else {}
        clean.save(out, format=fmt, **kw)
        return out.getvalue()
