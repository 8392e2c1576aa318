"""What a photo's hidden data reveals, and a copy without it. Pure Python, no image library:
the same code runs natively and inside the browser.

Cleaning is lossless: the metadata segments of JPEG, PNG and WebP files are removed and every
byte of the picture itself is kept. Removed: EXIF (location, device, time, embedded thumbnail),
XMP, IPTC and Photoshop blocks, comments, text chunks, and anything hidden after the end of the
picture (some phones append a second photo or a video there). Kept: what is needed to draw the
picture as before (JFIF, colour profile, Adobe colour transform, transparency, gamma).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

CLEANABLE = {"image/jpeg", "image/png", "image/webp"}
NOT_A_PICTURE = "This file is not a picture this app can read."


class NotAPicture(ValueError):
    pass


@dataclass(frozen=True)
class PhotoInfo:
    ok: bool
    mime: str = ""
    error: str = ""
    revealing: list[str] = field(default_factory=list)  # plain-language findings

    @property
    def cleanable(self) -> bool:
        return self.ok and self.mime in CLEANABLE


@dataclass
class _Found:
    exif: list[bytes] = field(default_factory=list)  # TIFF structures
    xmp: bool = False
    comment: bool = False
    trailing: bool = False


# ---- containers -----------------------------------------------------------------------------
JPEG_KEEP_APP = {0xE0, 0xEE}  # JFIF, Adobe (colour transform); APP2 only for the ICC profile
SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(data: bytes, found: _Found | None) -> bytes:
    """Walk a JPEG's segments. Returns the cleaned file; fills ``found`` with what it saw."""
    if data[:2] != b"\xff\xd8":
        raise NotAPicture
    out = [b"\xff\xd8"]
    i, n, frame = 2, len(data), False
    while True:
        while i < n and data[i] == 0xFF and i + 1 < n and data[i + 1] == 0xFF:
            i += 1  # fill bytes
        if i + 2 > n or data[i] != 0xFF:
            raise NotAPicture
        marker = data[i + 1]
        if marker == 0xD9:  # end of image: anything after it is dropped
            out.append(b"\xff\xd9")
            if found is not None and data[i + 2 :].strip(b"\x00"):
                found.trailing = True
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(data[i : i + 2])
            i += 2
            continue
        if i + 4 > n:
            raise NotAPicture
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        end = i + 2 + length
        if length < 2 or end > n:
            raise NotAPicture
        segment, payload = data[i:end], data[i + 4 : end]
        frame |= marker in SOF
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            keep = marker in JPEG_KEEP_APP or (
                marker == 0xE2 and payload.startswith(b"ICC_PROFILE\x00")
            )
            if found is not None:
                if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
                    found.exif.append(payload[6:])
                elif (
                    marker == 0xED
                    or (  # IPTC / Photoshop, or XMP
                        marker == 0xE1 and b"http://ns.adobe.com/xap/1.0/" in payload[:40]
                    )
                ):
                    found.xmp = True
                elif marker == 0xFE:
                    found.comment = True
            if keep:
                out.append(segment)
        else:
            out.append(segment)
        i = end
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            if not frame:
                raise NotAPicture
            j = i
            while True:
                j = data.find(b"\xff", j)
                if j < 0 or j + 1 >= n:
                    raise NotAPicture  # the picture is cut off
                nxt = data[j + 1]
                if nxt == 0x00 or 0xD0 <= nxt <= 0xD7 or nxt == 0xFF:
                    j += 1 if nxt == 0xFF else 2
                    continue
                break
            out.append(data[i:j])
            i = j
    if not frame:
        raise NotAPicture
    return b"".join(out)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP",
            b"sBIT", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT"}  # fmt: skip


def _png(data: bytes, found: _Found | None) -> bytes:
    if not data.startswith(PNG_SIGNATURE):
        raise NotAPicture
    out, i, n, first = [PNG_SIGNATURE], 8, len(data), True
    while True:
        if i + 12 > n:
            raise NotAPicture  # cut off before IEND
        length, ctype = struct.unpack(">I4s", data[i : i + 8])
        end = i + 12 + length
        if end > n or (first and ctype != b"IHDR"):
            raise NotAPicture
        body = data[i + 8 : i + 8 + length]
        if zlib.crc32(ctype + body) != struct.unpack(">I", data[i + 8 + length : end])[0]:
            raise NotAPicture
        first = False
        if ctype in PNG_KEEP:
            out.append(data[i:end])
        elif found is not None:
            if ctype == b"eXIf":
                found.exif.append(body)
            elif ctype == b"iTXt" and body.startswith(b"XML:com.adobe.xmp"):
                found.xmp = True
            elif ctype in (b"tEXt", b"zTXt", b"iTXt"):
                found.comment = True
        i = end
        if ctype == b"IEND":
            if found is not None and data[i:].strip(b"\x00"):
                found.trailing = True
            return b"".join(out)


WEBP_DROP = {b"EXIF", b"XMP "}


def _webp(data: bytes, found: _Found | None) -> bytes:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise NotAPicture
    size = struct.unpack("<I", data[4:8])[0]
    n = min(len(data), 8 + size)
    if found is not None and data[n:].strip(b"\x00"):
        found.trailing = True
    chunks, i, picture = [], 12, False
    while i + 8 <= n:
        ctype, length = data[i : i + 4], struct.unpack("<I", data[i + 4 : i + 8])[0]
        end = i + 8 + length + (length & 1)
        if i + 8 + length > n:
            raise NotAPicture
        body = data[i + 8 : i + 8 + length]
        picture |= ctype in (b"VP8 ", b"VP8L", b"ANMF")
        if ctype in WEBP_DROP:
            if found is not None:
                if ctype == b"EXIF":
                    found.exif.append(body[6:] if body.startswith(b"Exif\x00\x00") else body)
                else:
                    found.xmp = True
        else:
            if ctype == b"VP8X" and length >= 1:  # clear the "has EXIF" and "has XMP" flags
                body = bytes([body[0] & ~0x0C]) + body[1:]
                chunks.append(ctype + data[i + 4 : i + 8] + body + data[i + 8 + length : end])
            else:
                chunks.append(data[i:end])
        i = end
    if not picture:
        raise NotAPicture
    payload = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(payload)) + payload


WALKERS = {"image/jpeg": _jpeg, "image/png": _png, "image/webp": _webp}


def _plausible(mime: str, data: bytes) -> bool:
    """A shallow check for the types this app recognises but does not look inside."""
    try:
        if mime == "image/gif":
            return len(data) >= 14 and data.rstrip(b"\x00").endswith(b"\x3b")
        if mime == "image/bmp":
            return struct.unpack_from("<I", data, 2)[0] <= len(data) + 16 and len(data) > 54
        if mime == "image/tiff":
            first = struct.unpack_from("<I" if data[:2] == b"II" else ">I", data, 4)[0]
            return 8 <= first < len(data)
        if mime in ("image/heif", "image/avif"):
            return 16 <= struct.unpack_from(">I", data, 0)[0] < len(data) and b"meta" in data[:4096]
    except struct.error:
        return False
    return False


def sniff(data: bytes) -> str:
    """The picture type from the file's first bytes ("" when it is none this app knows)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(PNG_SIGNATURE):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
        return "image/avif" if data[8:12] == b"avif" else "image/heif"
    if data[:2] == b"BM" and len(data) > 26:
        return "image/bmp"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    return ""


# ---- EXIF (TIFF structure) --------------------------------------------------------------------
TAG_MAKE, TAG_MODEL, TAG_SOFTWARE, TAG_DATETIME = 0x010F, 0x0110, 0x0131, 0x0132
TAG_EXIF_IFD, TAG_GPS_IFD, TAG_ORIGINAL = 0x8769, 0x8825, 0x9003
TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8}


class _Tiff:
    def __init__(self, raw: bytes):
        if raw[:2] == b"II":
            self.e = "<"
        elif raw[:2] == b"MM":
            self.e = ">"
        else:
            raise NotAPicture
        self.raw = raw

    def u(self, fmt: str, off: int) -> tuple:
        return struct.unpack_from(self.e + fmt, self.raw, off)

    def ifd(self, off: int) -> dict[int, object]:
        out: dict[int, object] = {}
        if not 8 <= off < len(self.raw) - 2:
            return out
        (count,) = self.u("H", off)
        for k in range(min(count, 512)):
            entry = off + 2 + 12 * k
            if entry + 12 > len(self.raw):
                break
            tag, typ, num = self.u("HHI", entry)
            size = TYPE_SIZE.get(typ, 0) * num
            if not size or num > 4096:
                continue
            at = entry + 8 if size <= 4 else self.u("I", entry + 8)[0]
            if at + size > len(self.raw):
                continue
            out[tag] = self.value(typ, num, at)
        return out

    def value(self, typ: int, num: int, at: int) -> object:
        if typ == 2:
            return self.raw[at : at + num].split(b"\x00")[0].decode("latin-1").strip()
        if typ in (5, 10):
            vals = []
            for k in range(num):
                a, b = self.u("ii" if typ == 10 else "II", at + 8 * k)
                vals.append(a / b if b else 0.0)
            return vals
        if typ == 3:
            return list(self.u(f"{num}H", at))
        if typ in (4, 9):
            return list(self.u(f"{num}{'i' if typ == 9 else 'I'}", at))
        return self.raw[at : at + num]


def _dms(value: object, ref: object) -> float | None:
    if not (isinstance(value, list) and len(value) == 3):
        return None
    d, m, s = value
    deg = float(d) + float(m) / 60 + float(s) / 3600
    return -deg if str(ref).upper() in ("S", "W") else deg


def _exif_findings(raw: bytes) -> list[str]:
    tiff = _Tiff(raw)
    ifd0 = tiff.ifd(tiff.u("I", 4)[0])
    found: list[str] = []
    gps_off = ifd0.get(TAG_GPS_IFD)
    if isinstance(gps_off, list) and gps_off:
        gps = tiff.ifd(int(gps_off[0]))
        lat, lon = _dms(gps.get(2), gps.get(1)), _dms(gps.get(4), gps.get(3))
        if lat is not None and lon is not None:
            found.append(f"the GPS position where it was taken ({lat:.5f}, {lon:.5f})")
        elif gps:
            found.append("a GPS position (where the photo was taken)")
    device = " ".join(str(ifd0[t]).strip() for t in (TAG_MAKE, TAG_MODEL) if ifd0.get(t))
    if device:
        found.append(f"the device ({device})")
    sub_off = ifd0.get(TAG_EXIF_IFD)
    sub = tiff.ifd(int(sub_off[0])) if isinstance(sub_off, list) and sub_off else {}
    when = sub.get(TAG_ORIGINAL) or ifd0.get(TAG_DATETIME)
    if when:
        found.append(f"the date and time it was taken ({when})")
    if ifd0.get(TAG_SOFTWARE):
        found.append(f"the software used ({ifd0[TAG_SOFTWARE]})")
    return found


# ---- the two things the app asks ---------------------------------------------------------------
def inspect_image(data: bytes) -> PhotoInfo:
    """Is this a picture, and what does its hidden data say? Never raises."""
    mime = sniff(data)
    if not mime:
        return PhotoInfo(False, error=NOT_A_PICTURE)
    walker = WALKERS.get(mime)
    if walker is None:  # a picture this app recognises but cannot look inside
        return (
            PhotoInfo(True, mime)
            if _plausible(mime, data)
            else PhotoInfo(False, error=NOT_A_PICTURE)
        )
    found = _Found()
    try:
        walker(data, found)
    except (NotAPicture, struct.error, IndexError, ValueError):
        return PhotoInfo(False, error=NOT_A_PICTURE)
    revealing: list[str] = []
    for raw in found.exif:
        try:
            revealing += [f for f in _exif_findings(raw) if f not in revealing]
        except (NotAPicture, struct.error, IndexError, ValueError, ZeroDivisionError):
            revealing.append("camera data (EXIF) that could not be read in full")
    if found.xmp:
        revealing.append(
            "descriptive data (XMP or IPTC), which can include the place and edit history"
        )
    if found.comment:
        revealing.append("text comments stored inside the file")
    if found.trailing:
        revealing.append("extra data hidden after the picture (some phones store a second photo "
                         "or a short video there)")  # fmt: skip
    return PhotoInfo(True, mime, revealing=revealing)


def strip_metadata(data: bytes) -> bytes:
    """A lossless copy without hidden data. ``NotAPicture`` for anything but JPEG, PNG, WebP."""
    walker = WALKERS.get(sniff(data))
    if walker is None:
        raise NotAPicture(NOT_A_PICTURE)
    try:
        return walker(data, None)
    except (struct.error, IndexError, ValueError) as exc:
        raise NotAPicture(NOT_A_PICTURE) from exc
