"""Crafted hostile files for the verifier and for restore, made by code (no binary blobs): each
one is what a security audit fed the app (issue 16). ``python3 tests/make_hostile.py DIR``
writes them out to look at; the tests call ``packs()`` and ``backups()``.

Each entry: (name, bytes, words the refusal must say). Every one must be refused with a plain
message, never a traceback, within the time and memory the tests state."""

from __future__ import annotations

import base64
import io
import json
import struct
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

DEEP = 100_000  # nesting that exhausts Python's recursion in a JSON parser
KD = "key derivation"  # what a refused header's settings are called


def _zip(members: list[tuple[str, bytes]], compress: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def _members(pack: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(pack)) as z:
        return [(n, z.read(n)) for n in z.namelist()]


def _replace(pack: bytes, name: str, data: bytes) -> bytes:
    return _zip([(n, data if n == name else d) for n, d in _members(pack)])


def packs(good: bytes) -> list[tuple[str, bytes, str]]:
    """Hostile variants of a good evidence pack ``good``."""
    out: list[tuple[str, bytes, str]] = []
    # A flipped byte in a member's "version needed to extract" (the central directory's copy).
    data = bytearray(good)
    at = data.rindex(b"PK\x01\x02")
    data[at + 6 : at + 8] = struct.pack("<H", 0x3F)  # version 6.3: unknown features
    data[at + 8] |= 0x40  # and "strong encryption" asked for
    out.append(("version-flip", bytes(data), "cannot be read"))
    out.append(("nested-manifest", _replace(good, "manifest.json", b"[" * DEEP), "not readable"))
    # A member that expands far beyond anything a pack holds (deflated zeros: a bomb).
    bomb = _members(good) + [("files/999-bomb.jpg", b"\x00" * (300 * 1024 * 1024))]
    out.append(("zip-bomb", _zip(bomb, compress=True), "bomb"))
    out.append(("folder-with-data", _zip([*_members(good), ("files/", b"hidden")]), "folder"))
    readme = dict(_members(good))["README.txt"].replace(b"sha256sum", b"md5sum   ")
    out.append(("readme-edited", _replace(good, "README.txt", readme), "README.txt"))
    sums = dict(_members(good))["SHA256SUMS"]
    first = sums.splitlines(keepends=True)[0]
    twice = first.replace(first[:64], b"0" * 64) + sums  # a second, wrong line for one file
    out.append(("sums-twice", _replace(good, "SHA256SUMS", twice), "twice"))
    return out


def _backup(header: dict | bytes, body: bytes | None = None, mac: bytes = b"\x00" * 32) -> bytes:
    from pwa_app.vault.vault import BACKUP_MAGIC

    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    body = (
        body
        or json.dumps(
            {"version": 1, "header": base64.b64encode(raw).decode(), "records": []},
            separators=(",", ":"),
        ).encode()
    )
    return BACKUP_MAGIC + base64.b64encode(mac) + b"\n" + body


def _header(**kdf) -> dict:
    params = {"name": "argon2id", "memory_kib": 65536, "iterations": 3, "lanes": 4}
    params.update(kdf, salt=base64.b64encode(b"s" * 16).decode())
    return {
        "magic": "recourse-vault",
        "version": 1,
        "kdf": params,
        "wrapped_key": base64.b64encode(b"k" * 60).decode(),
    }


def backups() -> list[tuple[str, bytes, str]]:
    nested = b'{"magic":"recourse-vault","version":1,"kdf":' + b"[" * DEEP
    return [
        ("nested-header", _backup(nested), "damaged"),
        ("nested-body", _backup(_header(), b"[" * DEEP), "damaged"),
        ("kdf-overflow", _backup(json.dumps(_header()).replace("65536", "1e400").encode()), KD),
        ("kdf-as-text", _backup(_header(memory_kib="65536")), KD),
        ("kdf-as-bool", _backup(_header(iterations=True)), KD),
        ("kdf-huge", _backup(_header(memory_kib=4 * 1024 * 1024, iterations=64, lanes=64)), KD),
        ("kdf-slow", _backup(_header(memory_kib=512 * 1024, iterations=16)), KD),
    ]


def write(directory: Path, good_pack: bytes) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    groups: list[tuple[str, Callable[[], list]]] = [
        ("pack", lambda: packs(good_pack)),
        ("backup", backups),
    ]
    for kind, make in groups:
        for name, data, _words in make():
            (directory / f"{kind}-{name}.bin").write_bytes(data)


if __name__ == "__main__":  # python3 tests/make_hostile.py DIR
    import asyncio

    sys.path.insert(0, str(Path(__file__).parent))
    sys.path.insert(0, str(Path(__file__).parent.parent))
    from sessions import real_session

    async def pack() -> bytes:
        app, case_id, _ = await real_session()
        return (await app.reports.pack(case_id)).data

    write(Path(sys.argv[1]), asyncio.run(pack()))
