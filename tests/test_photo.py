"""The pure-Python photo check and metadata removal (the same code runs in the browser).
Pillow is used here only to make test pictures and to read the results back."""

import io
import os
import struct
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from pwa_app.photo import NotAPicture, inspect_image, sniff, strip_metadata


def picture(fmt: str, exif: bool = True, **kw) -> bytes:
    im = Image.new("RGB", (40, 30), "red")
    for x in range(40):
        im.putpixel((x, x % 30), (x * 6, 255 - x, 9))
    ex = Image.Exif()
    if exif:
        ex[271], ex[272], ex[305] = "Acme", "Phone 9", "PhotoApp 2"
        ex[306] = "2024:01:02 03:04:05"
        ex[34853] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 30.0)}
    buf = io.BytesIO()
    im.save(buf, fmt, exif=ex, **kw)
    return buf.getvalue()


FORMATS = [("JPEG", {"quality": 92}), ("PNG", {}), ("WEBP", {"lossless": True})]


@pytest.mark.parametrize(("fmt", "kw"), FORMATS)
def test_what_the_hidden_data_reveals(fmt, kw):
    info = inspect_image(picture(fmt, **kw))
    assert info.ok and info.cleanable and info.mime == f"image/{fmt.lower()}"
    text = " ".join(info.revealing)
    assert "51.50000, -0.12500" in text  # 51°30'N, 0°7'30"W
    assert "Acme Phone 9" in text and "2024:01:02 03:04:05" in text and "PhotoApp 2" in text


@pytest.mark.parametrize(("fmt", "kw"), FORMATS)
def test_clean_copy_is_lossless_and_keeps_no_metadata(fmt, kw):
    data = picture(fmt, **kw)
    clean = strip_metadata(data)
    assert inspect_image(clean).revealing == []
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(clean)) as b:
        assert b.format == fmt and b.size == a.size
        assert a.tobytes() == b.tobytes()  # the picture itself is untouched
        assert dict(b.getexif()) == {}
    assert b"Acme" not in clean and b"Phone 9" not in clean


def test_png_text_chunks_and_jpeg_comments_are_found_and_removed():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at home")
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, "PNG", pnginfo=info)
    assert any("comments" in r for r in inspect_image(buf.getvalue()).revealing)
    assert b"taken at home" not in strip_metadata(buf.getvalue())
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, "JPEG", comment=b"secret note")
    assert any("comments" in r for r in inspect_image(buf.getvalue()).revealing)
    assert b"secret note" not in strip_metadata(buf.getvalue())


def test_data_hidden_after_the_picture_is_found_and_dropped():
    data = picture("JPEG", exif=False) + b"ftypmp4 a hidden video" * 50
    info = inspect_image(data)
    assert any("after the picture" in r for r in info.revealing)
    clean = strip_metadata(data)
    assert b"hidden video" not in clean and clean.endswith(b"\xff\xd9")
    with Image.open(io.BytesIO(clean)) as im:
        im.load()


def test_colour_profile_is_kept():
    icc = b"\x00" * 128 + b"fake profile"
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buf, "JPEG", icc_profile=icc)
    clean = strip_metadata(buf.getvalue())
    with Image.open(io.BytesIO(clean)) as im:
        assert im.info.get("icc_profile") == icc


def test_other_pictures_are_recognised_but_not_cleaned():
    for fmt in ("GIF", "BMP", "TIFF"):
        buf = io.BytesIO()
        Image.new("RGB", (8, 8), "green").save(buf, fmt)
        info = inspect_image(buf.getvalue())
        assert info.ok and not info.cleanable, fmt
        with pytest.raises(NotAPicture):
            strip_metadata(buf.getvalue())


@pytest.mark.parametrize(
    "data",
    [b"", b"not a picture", b"GIF89a not really", b"\xff\xd8\xff\xe0broken", b"RIFF\x00\x00"],
)
def test_not_a_picture_gets_a_clear_answer(data):
    info = inspect_image(data)
    assert not info.ok and "not a picture" in info.error
    with pytest.raises(NotAPicture):
        strip_metadata(data)


def test_a_png_with_a_bad_checksum_is_not_a_picture():
    data = bytearray(picture("PNG", exif=False))
    data[40] ^= 0xFF  # inside IHDR or IDAT: the CRC no longer matches
    assert not inspect_image(bytes(data)).ok


def test_exif_with_hostile_offsets_never_crashes():
    tiff = b"II*\x00\x08\x00\x00\x00" + struct.pack("<H", 3)
    tiff += struct.pack("<HHII", 0x8825, 4, 1, 0xFFFFFFF0)  # GPS pointer far outside
    tiff += struct.pack("<HHII", 0x010F, 2, 10_000, 0x7FFFFFFF)  # Make, nonsense
    tiff += struct.pack("<HHII", 0x8769, 4, 1, 8)  # sub-IFD pointing at itself
    body = b"Exif\x00\x00" + tiff
    jpeg = picture("JPEG", exif=False)
    data = jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + jpeg[2:]
    assert inspect_image(data).ok


SEEDS = [picture(f, **kw) for f, kw in FORMATS]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    seed=st.sampled_from(range(len(SEEDS))),
    cut=st.integers(0, 10_000),
    flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 255)), max_size=4),
)
def test_truncated_or_damaged_pictures_never_crash(seed, cut, flips):
    data = bytearray(SEEDS[seed][: cut or None])
    for pos, bit in flips:
        if data:
            data[pos % len(data)] ^= bit
    inspect_image(bytes(data))  # never raises
    try:
        clean = strip_metadata(bytes(data))
    except NotAPicture:
        return
    assert sniff(clean) == sniff(bytes(data))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2_000))
def test_random_bytes_never_crash(data):
    inspect_image(data)
    inspect_image(b"\xff\xd8\xff" + data)
    inspect_image(b"\x89PNG\r\n\x1a\n" + data)
    inspect_image(b"RIFF" + struct.pack("<I", len(data) + 4) + b"WEBP" + data)


def test_a_large_screenshot_keeps_every_byte_of_its_picture():
    side = 900
    buf = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buf, "PNG")
    data = buf.getvalue()
    assert inspect_image(data).ok
    clean = strip_metadata(data)
    idat = [c for c in _png_chunks(data) if c[0] == b"IDAT"]
    assert [c for c in _png_chunks(clean) if c[0] == b"IDAT"] == idat


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    out, i = [], 8
    while i < len(data):
        n, kind = struct.unpack(">I4s", data[i : i + 8])
        out.append((kind, data[i + 8 : i + 8 + n]))
        assert (
            zlib.crc32(kind + data[i + 8 : i + 8 + n])
            == struct.unpack(">I", data[i + 8 + n : i + 12 + n])[0]
        )
        i += 12 + n
    return out
