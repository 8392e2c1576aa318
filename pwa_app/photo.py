"""What a photo's hidden data reveals, and a copy without it. Pure Python, no image library:
the same code runs natively and inside the browser.

Every format the app recognises is looked inside: JPEG, PNG, WebP, GIF and BMP part by part,
TIFF (which is EXIF itself), and HEIC, HEIF and AVIF (ISO base media files: their Exif and XMP
items). A finding is never "nothing" for a part that was not read: what could not be read is
said.

Cleaning is lossless and works from an allow-list: only what drawing the picture needs is kept
(in JPEG: the frame, tables and scans, a JFIF header without its thumbnail, a well-formed Adobe
colour marker, a real ICC colour profile; in WebP: the picture, alpha, animation and a real ICC
profile, inside animation frames too; in PNG: the picture's own chunks; in GIF: the frames,
their colour tables and the looping marker; in BMP: the declared file), and everything else
goes, whatever it is called. The picture's own bytes are never touched. TIFF, HEIC, HEIF and
AVIF cannot be cleaned this way here: the app says so and offers what works instead.

Every walk is linear in the size of the file, and what is listed is capped.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime

CLEANABLE = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp"}


def N_(phrase: str) -> str:
    """Marks a phrase for the language template; whoever shows it translates it."""
    return phrase


def N_n(singular: str, plural: str) -> tuple[str, str]:
    """Marks a phrase with plural forms for the language template (its English singular and
    plural); whoever shows it translates it."""
    return singular, plural


class Finding(str):
    """What the check found, in English (it is a ``str``), with the template and values it was
    made from, so that a screen can say it in the person's language: ``said(translator)``. A
    template with plural forms (``N_n``) takes the form its ``count`` needs."""

    template: str | tuple[str, str]
    values: dict

    def __new__(cls, template: str | tuple[str, str], **values: object) -> Finding:
        english = template
        if isinstance(template, tuple):
            english = template[0] if values.get("count") == 1 else template[1]
        made = super().__new__(cls, str(english).format(**values))
        made.template, made.values = template, values
        return made

    def said(self, say=lambda phrase: phrase) -> str:
        """In ``say``'s language (a translator: ``say.n`` gives a plural phrase its form)."""
        if isinstance(self.template, tuple):
            singular, plural = self.template
            count = int(self.values.get("count", 0))  # type: ignore[call-overload]
            if hasattr(say, "n"):
                return say.n(singular, plural, count).format(**self.values)
            return str(self)
        return say(self.template).format(**self.values)


def said(text: str, say) -> str:
    """A finding, or any phrase marked here, in ``say``'s language."""
    return text.said(say) if isinstance(text, Finding) else say(text)


NOT_A_PICTURE = N_("This file is not a picture this app can read.")
MAX_LISTED = 10  # findings listed; more are counted ("and N more")
MAX_EXIF_READ = 8  # EXIF blocks read in full; more are counted


class NotAPicture(ValueError):
    pass


READ_ERRORS = (NotAPicture, struct.error, IndexError, ValueError, OverflowError)


@dataclass(frozen=True)
class PhotoInfo:
    ok: bool
    mime: str = ""
    error: str = ""
    revealing: list[str] = field(default_factory=list)  # plain-language findings
    unread: str = ""  # a part that could not be read: said instead of "nothing found"

    @property
    def cleanable(self) -> bool:
        """A lossless copy without the hidden data can be made here."""
        return self.ok and self.mime in CLEANABLE

    @property
    def nothing_found(self) -> bool:
        """Every part was read and none reveals anything."""
        return self.ok and not self.revealing and not self.unread


@dataclass
class _Found:
    exif: list[bytes] = field(default_factory=list)  # TIFF structures
    exif_more: int = 0  # EXIF blocks beyond MAX_EXIF_READ
    xmp: bool = False
    comment: bool = False
    trailing: bool = False
    thumbnail: bool = False
    second_picture: bool = False
    other: int = 0  # other blocks that are not part of the picture
    text: set[str] = field(default_factory=set)  # descriptive text fields (TIFF)
    png_time: bytes = b""  # a PNG's tIME chunk: when it was last changed, in UTC

    def add_exif(self, raw: bytes) -> None:
        if len(self.exif) < MAX_EXIF_READ:
            self.exif.append(raw)
        else:
            self.exif_more += 1


# ---- JPEG -----------------------------------------------------------------------------------
SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# What drawing a JPEG needs besides the frame: tables, restart interval, line count, scans.
JPEG_DRAW = SOF | {0xC4, 0xCC, 0xDB, 0xDD, 0xDC, 0xDE, 0xDF, 0xDA}
ICC_TAG = b"ICC_PROFILE\x00"


def _real_icc(profile: bytes) -> bool:
    """An ICC colour profile: its header says its own size and carries the 'acsp' mark."""
    return (
        len(profile) >= 132
        and struct.unpack(">I", profile[:4])[0] == len(profile)
        and profile[36:40] == b"acsp"
    )


def _jfif(payload: bytes) -> bytes | None:
    """A JFIF header without its thumbnail, or None when the segment is not one."""
    if payload.startswith(b"JFIF\x00") and len(payload) >= 14:
        return payload[:12] + b"\x00\x00"
    return None


def _jpeg(data: bytes, found: _Found | None) -> bytes:
    """Walk a JPEG's segments. Returns the cleaned file; fills ``found`` with what it saw."""
    if data[:2] != b"\xff\xd8":
        raise NotAPicture
    out: list[bytes] = [b"\xff\xd8"]
    icc: list[tuple[int, bytes]] = []  # (sequence number, chunk), for one profile
    icc_at: int | None = None  # where in ``out`` the profile goes
    i, n, frame = 2, len(data), False
    while True:
        while i + 1 < n and data[i] == 0xFF and data[i + 1] == 0xFF:
            i += 1  # fill bytes
        if i + 2 > n or data[i] != 0xFF:
            raise NotAPicture
        marker = data[i + 1]
        if marker == 0xD9:  # end of image: anything after it is dropped
            out.append(b"\xff\xd9")
            if found is not None and data[i + 2 :].strip(b"\x00"):
                found.trailing = True
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # standalone markers: not needed here
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
        if marker in JPEG_DRAW:
            out.append(segment)
        elif marker == 0xE0 and _jfif(payload) is not None:
            if found is not None and payload[12:14] != b"\x00\x00":
                found.thumbnail = True
            body = _jfif(payload)
            out.append(b"\xff\xe0" + struct.pack(">H", len(body) + 2) + body)
        elif marker == 0xEE and payload.startswith(b"Adobe") and len(payload) == 12:
            out.append(segment)
        elif marker == 0xE2 and payload.startswith(ICC_TAG) and len(payload) > 14:
            icc.append((payload[12], payload[14:]))
            if icc_at is None:
                icc_at = len(out)
                out.append(b"")  # placeholder: the profile is put back here if it is real
        elif found is not None:
            _jpeg_found(marker, payload, found)
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
                if nxt == 0x00 or 0xD0 <= nxt <= 0xD7:
                    j += 2
                    continue
                if nxt == 0xFF:
                    j += 1
                    continue
                break
            out.append(data[i:j])
            i = j
    if not frame:
        raise NotAPicture
    if icc_at is not None:
        chunks = [c for _seq, c in sorted(icc, key=lambda x: x[0])]
        if _real_icc(b"".join(chunks)):
            count = len(chunks)
            out[icc_at] = b"".join(
                b"\xff\xe2"
                + struct.pack(">H", len(ICC_TAG) + 4 + len(c))
                + ICC_TAG
                + bytes([k + 1, count])
                + c
                for k, c in enumerate(chunks)
            )
        elif found is not None:
            found.other += 1
    return b"".join(out)


def _jpeg_found(marker: int, payload: bytes, found: _Found) -> None:
    """What a segment that is dropped held."""
    if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
        found.add_exif(payload[6:])
    elif marker == 0xED or (marker == 0xE1 and b"http://ns.adobe.com/xap/1.0/" in payload[:40]):
        found.xmp = True  # IPTC / Photoshop, or XMP
    elif marker == 0xFE:
        found.comment = True
    elif marker == 0xE0 and payload.startswith(b"JFXX\x00"):
        found.thumbnail = True
    elif marker == 0xE2 and payload.startswith(b"MPF\x00"):
        found.second_picture = True
    else:
        found.other += 1


# ---- PNG ------------------------------------------------------------------------------------
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
                found.add_exif(body)
            elif ctype == b"iTXt" and body.startswith(b"XML:com.adobe.xmp"):
                found.xmp = True
            elif ctype in (b"tEXt", b"zTXt", b"iTXt"):
                found.comment = True
            else:
                if ctype == b"tIME" and len(body) == 7:
                    found.png_time = body
                found.other += 1
        i = end
        if ctype == b"IEND":
            if found is not None and data[i:].strip(b"\x00"):
                found.trailing = True
            return b"".join(out)


# ---- WebP -----------------------------------------------------------------------------------
WEBP_TOP = {b"VP8X", b"ICCP", b"ANIM", b"ANMF", b"ALPH", b"VP8 ", b"VP8L"}
WEBP_FRAME = {b"ALPH", b"VP8 ", b"VP8L"}  # what an animation frame draws with
VP8X_ICC, VP8X_EXIF, VP8X_XMP = 0x20, 0x08, 0x04


def _riff_chunks(data: bytes, start: int, end: int):
    """(type, body, whole chunk) for each chunk from ``start`` to ``end``."""
    i = start
    while i + 8 <= end:
        ctype, length = data[i : i + 4], struct.unpack("<I", data[i + 4 : i + 8])[0]
        stop = i + 8 + length
        if stop > end:
            raise NotAPicture
        yield ctype, data[i + 8 : stop], data[i : min(end, stop + (length & 1))]
        i = stop + (length & 1)


def _webp_found(ctype: bytes, body: bytes, found: _Found) -> None:
    if ctype.upper() in (b"EXIF", b"UXIF"):
        raw = body[6:] if body.startswith(b"Exif\x00\x00") else body
        if raw[:2] in (b"II", b"MM"):
            found.add_exif(raw)
        else:
            found.other += 1
    elif ctype.upper() == b"XMP ":
        found.xmp = True
    else:
        found.other += 1


def _webp(data: bytes, found: _Found | None) -> bytes:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise NotAPicture
    size = struct.unpack("<I", data[4:8])[0]
    n = min(len(data), 8 + size)
    if found is not None and data[n:].strip(b"\x00"):
        found.trailing = True
    chunks: list[bytes] = []
    picture, icc_kept, vp8x_at = False, False, None
    for ctype, body, whole in _riff_chunks(data, 12, n):
        if ctype not in WEBP_TOP or (ctype == b"ICCP" and not _real_icc(body)):
            if found is not None:
                _webp_found(ctype, body, found)
            continue
        picture |= ctype in (b"VP8 ", b"VP8L", b"ANMF")
        icc_kept |= ctype == b"ICCP"
        if ctype == b"ANMF":  # a frame: its 16-byte header, then its own chunks
            if len(body) < 16:
                raise NotAPicture
            inner = []
            for sub, sub_body, sub_whole in _riff_chunks(body, 16, len(body)):
                if sub in WEBP_FRAME:
                    inner.append(sub_whole)
                elif found is not None:
                    _webp_found(sub, sub_body, found)
            frame = body[:16] + b"".join(inner)
            chunks.append(b"ANMF" + struct.pack("<I", len(frame)) + frame)
        elif ctype == b"VP8X":
            if len(body) < 1:
                raise NotAPicture
            vp8x_at = len(chunks)
            chunks.append(whole)
        else:
            chunks.append(whole)
    if not picture:
        raise NotAPicture
    if vp8x_at is not None:  # the header's flags say what the file still has
        whole = chunks[vp8x_at]
        flags = whole[8] & ~(VP8X_EXIF | VP8X_XMP | (0 if icc_kept else VP8X_ICC))
        chunks[vp8x_at] = whole[:8] + bytes([flags]) + whole[9:]
    payload = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(payload)) + payload


# ---- GIF ------------------------------------------------------------------------------------
GIF_LOOPING = (b"NETSCAPE2.0", b"ANIMEXTS1.0")


def _gif_blocks(data: bytes, i: int) -> int:
    """The end of a run of data sub-blocks starting at ``i``."""
    n = len(data)
    while True:
        if i >= n:
            raise NotAPicture
        size = data[i]
        i += 1 + size
        if size == 0:
            return i


def _gif(data: bytes, found: _Found | None) -> bytes:
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise NotAPicture
    packed = data[10]
    i = 13 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0)
    out, n, frames = [data[:i]], len(data), 0
    while True:
        if i >= n:
            raise NotAPicture  # cut off before the trailer
        block = data[i]
        if block == 0x3B:  # trailer
            out.append(b"\x3b")
            if found is not None and data[i + 1 :].strip(b"\x00"):
                found.trailing = True
            break
        if block == 0x2C:  # an image: descriptor, local colour table, LZW data
            if i + 11 > n:
                raise NotAPicture
            local = data[i + 9]
            start = i
            i += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            i = _gif_blocks(data, i + 1)  # after the LZW minimum code size
            out.append(data[start:i])
            frames += 1
        elif block == 0x21 and i + 2 <= n:  # an extension
            label, start = data[i + 1], i
            i = _gif_blocks(data, i + 2)
            app = data[start + 3 : start + 14] if label == 0xFF else b""
            if label == 0xF9 or (label == 0xFF and app in GIF_LOOPING):
                out.append(data[start:i])  # frame timing, looping
            elif found is not None:
                if label == 0xFE or label == 0x01:
                    found.comment = True  # comment, plain text
                elif app == b"XMP DataXMP":
                    found.xmp = True
                else:
                    found.other += 1
        else:
            raise NotAPicture
    if not frames:
        raise NotAPicture
    return b"".join(out)


# ---- BMP ------------------------------------------------------------------------------------
def _bmp(data: bytes, found: _Found | None) -> bytes:
    if data[:2] != b"BM" or len(data) < 54:
        raise NotAPicture
    size, offset, header = struct.unpack_from("<I4xII", data, 2)
    if not (54 <= offset <= size <= len(data)) or header not in (12, 40, 52, 56, 64, 108, 124):
        raise NotAPicture
    if found is not None and data[size:].strip(b"\x00"):
        found.trailing = True
    return data[:size]


# ---- TIFF (EXIF itself) -------------------------------------------------------------------
def _tiff(data: bytes, found: _Found | None) -> bytes:
    if data[:4] not in (b"II*\x00", b"MM\x00*"):
        raise NotAPicture
    if found is not None:
        found.add_exif(data)
        tiff = _Tiff(data)
        ifd0 = tiff.ifd(tiff.u("I", 4)[0])
        if TAG_XMP in ifd0 or TAG_IPTC in ifd0:
            found.xmp = True
        for tag in (TAG_DESCRIPTION, TAG_ARTIST, TAG_COPYRIGHT):
            if ifd0.get(tag):
                found.text.add(str(ifd0[tag])[:80])
    return b""  # read only: not cleaned here


# ---- HEIC, HEIF, AVIF (ISO base media) ---------------------------------------------------------
def _boxes(data: bytes, start: int, end: int):
    """(type, body start, body end) for each box from ``start`` to ``end``."""
    i = start
    while i + 8 <= end:
        size, btype = struct.unpack(">I4s", data[i : i + 8])
        head = 8
        if size == 1:
            if i + 16 > end:
                raise NotAPicture
            size, head = struct.unpack(">Q", data[i + 8 : i + 16])[0], 16
        elif size == 0:
            size = end - i
        if size < head or i + size > end:
            raise NotAPicture
        yield btype, i + head, i + size
        i += size


def _uint(data: bytes, at: int, size: int) -> int:
    if size == 0:
        return 0
    if size not in (4, 8) or at + size > len(data):
        raise NotAPicture
    return struct.unpack(">I" if size == 4 else ">Q", data[at : at + size])[0]


def _heif(data: bytes, found: _Found | None) -> bytes:
    top = {t: (s, e) for t, s, e in _boxes(data, 0, len(data))}
    if b"ftyp" not in top or b"meta" not in top:
        raise NotAPicture
    ms, me = top[b"meta"]
    inner = {t: (s, e) for t, s, e in _boxes(data, ms + 4, me)}  # meta is a full box
    exif_ids, xmp_ids = set(), set()
    if b"iinf" in inner:
        s, e = inner[b"iinf"]
        version = data[s]
        first = s + 4 + (2 if version == 0 else 4)
        for btype, bs, be in _boxes(data, first, e):
            if btype != b"infe" or be - bs < 12:
                continue
            v = data[bs]
            if v < 2:
                continue
            at = bs + 4
            item = struct.unpack(">H" if v == 2 else ">I", data[at : at + (2 if v == 2 else 4)])[0]
            at += (2 if v == 2 else 4) + 2
            itype = data[at : at + 4]
            rest = data[at + 4 : be].split(b"\x00")
            if itype == b"Exif":
                exif_ids.add(item)
            elif itype == b"mime" and len(rest) > 1 and b"rdf+xml" in rest[1]:
                xmp_ids.add(item)
    if found is not None and (exif_ids or xmp_ids) and b"iloc" in inner:
        idat = inner.get(b"idat", (0, 0))
        for item, extents in _iloc(data, *inner[b"iloc"], idat[0]).items():
            raw = b"".join(data[a : a + n] for a, n in extents)
            if item in xmp_ids:
                found.xmp = True
            elif item in exif_ids and len(raw) > 4:
                skip = struct.unpack(">I", raw[:4])[0]
                tiff = raw[4 + skip :]
                if tiff[:2] in (b"II", b"MM"):
                    found.add_exif(tiff)
                else:
                    found.other += 1
    return b""  # read only: not cleaned here


def _iloc(data: bytes, s: int, e: int, idat: int) -> dict[int, list[tuple[int, int]]]:
    """Item id → (file offset, length) of each extent, from an item location box."""
    version = data[s]
    sizes = data[s + 4 : s + 6]
    if len(sizes) < 2:
        raise NotAPicture
    off_size, len_size = sizes[0] >> 4, sizes[0] & 15
    base_size, index_size = sizes[1] >> 4, (sizes[1] & 15 if version in (1, 2) else 0)
    at = s + 6
    count = _uint(data, at, 4) if version == 2 else struct.unpack(">H", data[at : at + 2])[0]
    at += 4 if version == 2 else 2
    out: dict[int, list[tuple[int, int]]] = {}
    for _ in range(min(count, 4096)):
        if version == 2:
            item, at = _uint(data, at, 4), at + 4
        else:
            item, at = struct.unpack(">H", data[at : at + 2])[0], at + 2
        method = 0
        if version in (1, 2):
            method, at = data[at + 1] & 15, at + 2
        at += 2  # data reference index
        base, at = _uint(data, at, base_size), at + base_size
        extents = struct.unpack(">H", data[at : at + 2])[0]
        at += 2
        for _ in range(min(extents, 64)):
            at += index_size
            offset, at = _uint(data, at, off_size), at + off_size
            length, at = _uint(data, at, len_size), at + len_size
            start = base + offset + (idat if method == 1 else 0)
            if start < len(data):
                out.setdefault(item, []).append((start, min(length, len(data) - start)))
        if at > e:
            raise NotAPicture
    return out


WALKERS = {
    "image/jpeg": _jpeg,
    "image/png": _png,
    "image/webp": _webp,
    "image/gif": _gif,
    "image/bmp": _bmp,
    "image/tiff": _tiff,
    "image/heif": _heif,
    "image/avif": _heif,
}


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
TAG_DIGITIZED, TAG_OFFSET_ORIGINAL = 0x9004, 0x9011
TAG_DESCRIPTION, TAG_ARTIST, TAG_COPYRIGHT = 0x010E, 0x013B, 0x8298
TAG_XMP, TAG_IPTC = 0x02BC, 0x83BB
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


def _exif_findings(raw: bytes) -> list[Finding]:
    tiff = _Tiff(raw)
    ifd0 = tiff.ifd(tiff.u("I", 4)[0])
    found: list[Finding] = []
    gps_off = ifd0.get(TAG_GPS_IFD)
    if isinstance(gps_off, list) and gps_off:
        gps = tiff.ifd(int(gps_off[0]))
        lat, lon = _dms(gps.get(2), gps.get(1)), _dms(gps.get(4), gps.get(3))
        if lat is not None and lon is not None:
            found.append(
                Finding(
                    N_("the GPS position where it was taken ({lat:.5f}, {lon:.5f})"),
                    lat=lat,
                    lon=lon,
                )
            )
        elif gps:
            found.append(Finding(N_("a GPS position (where the photo was taken)")))
    device = " ".join(str(ifd0[t]).strip() for t in (TAG_MAKE, TAG_MODEL) if ifd0.get(t))
    if device:
        found.append(Finding(N_("the device ({device})"), device=device))
    sub_off = ifd0.get(TAG_EXIF_IFD)
    sub = tiff.ifd(int(sub_off[0])) if isinstance(sub_off, list) and sub_off else {}
    when = sub.get(TAG_ORIGINAL) or ifd0.get(TAG_DATETIME)
    if when:
        found.append(Finding(N_("the date and time it was taken ({when})"), when=when))
    if ifd0.get(TAG_SOFTWARE):
        found.append(Finding(N_("the software used ({software})"), software=ifd0[TAG_SOFTWARE]))
    return found


def _findings(found: _Found) -> list[str]:
    """Each finding once, in plain words, at most MAX_LISTED of them ("and N more")."""
    out: list[str] = []
    seen: set[str] = set()

    def add(text: str) -> None:
        if text not in seen:
            seen.add(text)
            out.append(text)

    for raw in found.exif:
        try:
            for f in _exif_findings(raw):
                add(f)
        except (
            NotAPicture,
            struct.error,
            IndexError,
            ValueError,
            ZeroDivisionError,
            OverflowError,
        ):
            add(Finding(N_("camera data (EXIF) that could not be read in full")))
    if found.exif_more:
        more = N_n(
            "{count} more block of camera data (EXIF)", "{count} more blocks of camera data (EXIF)"
        )
        add(Finding(more, count=found.exif_more))
    for text in sorted(found.text):
        add(Finding(N_("descriptive text ({text})"), text=text))
    if found.xmp:
        add(
            Finding(
                N_("descriptive data (XMP or IPTC), which can include the place and edit history")
            )
        )
    if found.comment:
        add(Finding(N_("text comments stored inside the file")))
    if found.thumbnail:
        add(Finding(N_("a small preview picture (thumbnail) stored inside the file")))
    if found.second_picture:
        add(Finding(N_("a second picture stored inside the file")))
    if found.trailing:
        add(
            Finding(
                N_(
                    "extra data hidden after the picture (some phones store a second photo or "
                    "a short video there)"
                )
            )
        )
    if found.other:
        add(
            Finding(
                N_n(
                    "{count} other block of data that is not part of the picture (it can hold "
                    "anything)",
                    "{count} other blocks of data that are not part of the picture (they can "
                    "hold anything)",
                ),
                count=found.other,
            )
        )
    if len(out) > MAX_LISTED:
        out = out[:MAX_LISTED] + [Finding(N_("and {count} more"), count=len(out) - MAX_LISTED)]
    return out


# ---- the two things the app asks ---------------------------------------------------------------


def inspect_image(data: bytes) -> PhotoInfo:
    """Is this a picture, and what does its hidden data say? Never raises."""
    mime = sniff(data)
    if not mime:
        return PhotoInfo(False, error=NOT_A_PICTURE)
    found = _Found()
    try:
        WALKERS[mime](data, found)
    except READ_ERRORS:
        if mime in ("image/heif", "image/avif") and _heif_shape(data):
            # Its boxes are there, but its list of items could not be read: say so.
            return PhotoInfo(True, mime, revealing=_findings(found), unread=UNREAD)
        return PhotoInfo(False, error=NOT_A_PICTURE)
    return PhotoInfo(True, mime, revealing=_findings(found))


UNREAD = N_(
    "Part of its hidden data could not be read, so it may hold location, device or time data "
    "that this check did not see."
)


def _heif_shape(data: bytes) -> bool:
    """An ISO base media file with a file type and a meta box (its items were then read)."""
    try:
        kinds = {t for t, _s, _e in _boxes(data, 0, len(data))}
    except READ_ERRORS:
        return False
    return b"ftyp" in kinds and b"meta" in kinds


def strip_metadata(data: bytes) -> bytes:
    """A lossless copy without hidden data. ``NotAPicture`` for a file that cannot be cleaned
    this way (not a picture, or TIFF, HEIC, HEIF, AVIF)."""
    mime = sniff(data)
    if mime not in CLEANABLE:
        raise NotAPicture(NOT_A_PICTURE)
    try:
        return WALKERS[mime](data, None)
    except READ_ERRORS as exc:
        raise NotAPicture(NOT_A_PICTURE) from exc


# ---- the file's own date ---------------------------------------------------------------------
# A date and time in a file name, as cameras, phones and screenshot tools write them:
# "Captura de pantalla 2026-06-03 a las 22.14.05", "Screenshot 2026-06-03 at 22.14.05",
# "Screenshot_20260603-221405", "IMG_20260603_221405", "WhatsApp Image 2026-06-03 at 22.14.05".
_NAME_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)[-_.]?(?P<m>[01]\d)[-_.]?(?P<d>[0-3]\d)(?!\d)"
    r"(?:[^\d]{1,12}?(?P<H>[0-2]\d)[.:_-]?(?P<M>[0-5]\d)[.:_-]?(?P<S>[0-5]\d)(?!\d))?"
)


def _exif_date(raw: bytes) -> str:
    tiff = _Tiff(raw)
    ifd0 = tiff.ifd(tiff.u("I", 4)[0])
    sub_off = ifd0.get(TAG_EXIF_IFD)
    sub = tiff.ifd(int(sub_off[0])) if isinstance(sub_off, list) and sub_off else {}
    when = sub.get(TAG_ORIGINAL) or sub.get(TAG_DIGITIZED)
    if not isinstance(when, str):
        return ""
    try:
        dt = datetime.strptime(when.strip(), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return ""
    zone = sub.get(TAG_OFFSET_ORIGINAL)
    zone = zone if isinstance(zone, str) and re.fullmatch(r"[+-]\d\d:\d\d", zone) else ""
    return dt.strftime("%Y-%m-%d %H:%M:%S") + (f" {zone}" if zone else "")


def name_date(name: str) -> str:
    """The date (and time) a file's name states, or ""."""
    for m in _NAME_DATE.finditer(name):
        parts = [int(m[k]) for k in ("y", "m", "d")]
        try:
            if m["H"] is not None:
                dt = datetime(*parts, int(m["H"]), int(m["M"]), int(m["S"]))
                return dt.strftime("%Y-%m-%d %H:%M:%S")
            return datetime(*parts).strftime("%Y-%m-%d")
        except ValueError:
            continue
    return ""


# Where a file's own date was read (kept in the record in English; said in any language)
FROM_EXIF = N_("the camera data inside it (EXIF DateTimeOriginal)")
FROM_EXIF_NO_ZONE = N_("the camera data inside it (EXIF DateTimeOriginal; it gives no time zone)")
FROM_PNG = N_("its PNG time stamp (last changed)")
FROM_NAME = N_("its file name (which gives no time zone)")


def own_date(data: bytes, name: str) -> tuple[str, str]:
    """The file's own date and where it was read, as the file states it (never moved into
    another time zone): (date, source), or ("", "") when it states none. Never raises."""
    mime = sniff(data)
    if mime:
        found = _Found()
        try:
            WALKERS[mime](data, found)
        except READ_ERRORS:
            found = _Found(exif=found.exif, png_time=found.png_time)
        for raw in found.exif:
            try:
                when = _exif_date(raw)
            except (*READ_ERRORS, ZeroDivisionError):
                continue
            if when:
                return when, FROM_EXIF if when[-6] in "+-" else FROM_EXIF_NO_ZONE
        if found.png_time:
            y, mo, d, h, mi, sec = struct.unpack(">HBBBBB", found.png_time)
            try:
                dt = datetime(y, mo, d, h, mi, sec)
            except ValueError:
                pass
            else:
                return dt.strftime("%Y-%m-%d %H:%M:%S UTC"), FROM_PNG
    when = name_date(name)
    if when:
        return when, FROM_NAME
    return "", ""
