"""The sealed inbox: what is shared into the app while its vault is locked (the format is in
docs/inbox-format.md).

The service worker seals each share at once to a public key kept beside the vault (X25519, then
HKDF-SHA256, then AES-256-GCM, all in WebCrypto); only the vault's private key, inside the
unlocked vault, opens it. This module is the opening side (and a sealing side, the same format,
for tests and for the committed vector): X25519 in pure Python (RFC 7748), the rest through the
vault's crypto port, so the same code runs natively and in Pyodide.

Where the sealed items and the public key are kept is the ``InboxStore`` port: IndexedDB in the
browser (database ``nb-in``, written by the service worker), memory in tests.
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..i18n import N_
from .crypto import AuthenticationFailed, Crypto
from .errors import VaultError

MAGIC = b"RCS1"
INFO = b"recourse inbox v1"
HEAD = len(MAGIC) + 32 + 12  # magic, the sender's one-time public key, the nonce


class SealedUnreadable(VaultError):
    user_message = N_(
        "Something shared into Recourse could not be opened with this vault's key (it was "
        "sealed for another vault, or it was damaged). It is kept as it is."
    )


# ---- X25519 (RFC 7748, section 5) -----------------------------------------------------------
_P = 2**255 - 19
_A24 = 121665
BASE_POINT = (9).to_bytes(32, "little")


def _scalar(k: bytes) -> int:
    b = bytearray(k)
    b[0] &= 248
    b[31] &= 127
    b[31] |= 64
    return int.from_bytes(b, "little")


def x25519(k: bytes, u: bytes) -> bytes:
    """The X25519 function: scalar ``k`` times the point with u-coordinate ``u``."""
    if len(k) != 32 or len(u) != 32:
        raise ValueError("X25519 takes 32-byte values")
    n = _scalar(k)
    x1 = int.from_bytes(bytes(u[:31]) + bytes([u[31] & 127]), "little") % _P
    x2, z2, x3, z3, swap = 1, 0, x1, 1, 0
    for t in reversed(range(255)):
        bit = (n >> t) & 1
        swap ^= bit
        if swap:
            x2, x3, z2, z3 = x3, x2, z3, z2
        swap = bit
        a, b = x2 + z2, x2 - z2
        aa, bb = a * a % _P, b * b % _P
        e = aa - bb
        c, d = x3 + z3, x3 - z3
        da, cb = d * a % _P, c * b % _P
        x3 = (da + cb) ** 2 % _P
        z3 = x1 * (da - cb) ** 2 % _P
        x2 = aa * bb % _P
        z2 = e * (aa + _A24 * e) % _P
    if swap:
        x2, x3, z2, z3 = x3, x2, z3, z2
    return (x2 * pow(z2, _P - 2, _P) % _P).to_bytes(32, "little")


def new_keypair() -> tuple[bytes, bytes]:
    """(private, public) for the inbox."""
    private = os.urandom(32)
    return private, x25519(private, BASE_POINT)


# ---- the sealed format ----------------------------------------------------------------------
@dataclass(frozen=True)
class SharedFile:
    name: str
    mime: str
    data: bytes


@dataclass(frozen=True)
class Opened:
    """One share, as the service worker received it."""

    received: str  # ISO 8601, UTC, from the device's clock when it arrived
    title: str = ""
    text: str = ""
    url: str = ""
    files: list[SharedFile] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)  # too large to keep


async def _key(crypto: Crypto, secret: bytes, eph_pub: bytes, recipient: bytes):
    if secret == bytes(32):  # a low-order point: no secret at all
        raise SealedUnreadable("the sender's key is not a valid X25519 public key")
    return await crypto.aead(await crypto.hkdf_sha256(secret, INFO + eph_pub + recipient, 32))


def encode(meta: dict[str, Any], files: list[bytes]) -> bytes:
    head = json.dumps(meta, ensure_ascii=False).encode()
    return struct.pack(">I", len(head)) + head + b"".join(files)


async def seal(
    crypto: Crypto, recipient: bytes, plaintext: bytes, eph_private: bytes | None = None
) -> bytes:
    """What the service worker does (tests and the committed vector use this one)."""
    eph_private = eph_private or os.urandom(32)
    eph_pub = x25519(eph_private, BASE_POINT)
    aead = await _key(crypto, x25519(eph_private, recipient), eph_pub, recipient)
    nonce = os.urandom(12)
    body = await aead.encrypt(nonce, plaintext, MAGIC + eph_pub + recipient)
    return MAGIC + eph_pub + nonce + body


async def open_sealed(crypto: Crypto, private: bytes, sealed: bytes) -> Opened:
    """The share inside ``sealed``, or ``SealedUnreadable``."""
    if len(sealed) < HEAD + 16 or sealed[:4] != MAGIC:
        raise SealedUnreadable("not a sealed share")
    eph_pub, nonce = sealed[4:36], sealed[36:48]
    recipient = x25519(private, BASE_POINT)
    aead = await _key(crypto, x25519(private, eph_pub), eph_pub, recipient)
    try:
        plain = await aead.decrypt(nonce, sealed[HEAD:], MAGIC + eph_pub + recipient)
    except AuthenticationFailed:
        raise SealedUnreadable("the share does not open with this key") from None
    try:
        (n,) = struct.unpack(">I", plain[:4])
        meta = json.loads(plain[4 : 4 + n].decode())
        at, files = 4 + n, []
        for f in meta.get("files", []):
            size = int(f["size"])
            files.append(
                SharedFile(str(f["name"])[:200], str(f.get("type", "")), plain[at : at + size])
            )
            at += size
        if at != len(plain):
            raise ValueError("the files' sizes do not add up")
        return Opened(
            received=str(meta["received"]),
            title=str(meta.get("title", "")),
            text=str(meta.get("text", "")),
            url=str(meta.get("url", "")),
            files=files,
            skipped=[dict(s) for s in meta.get("skipped", [])],
        )
    except (ValueError, KeyError, TypeError, struct.error, UnicodeDecodeError):
        raise SealedUnreadable("the share opened but its contents are not readable") from None


class InboxStore(Protocol):
    """Where the sealed shares and the public key are kept, beside the vault."""

    async def publish(self, public: bytes) -> None: ...

    async def items(self) -> list[tuple[Any, bytes]]:
        """(key, sealed bytes) of every share waiting."""
        ...

    async def delete(self, key: Any) -> None: ...


class MemoryInbox:
    def __init__(self) -> None:
        self.public: bytes | None = None
        self.sealed: dict[int, bytes] = {}
        self._next = 1

    async def publish(self, public: bytes) -> None:
        self.public = public

    async def items(self) -> list[tuple[Any, bytes]]:
        return sorted(self.sealed.items())

    async def delete(self, key: Any) -> None:
        self.sealed.pop(key, None)

    def add(self, sealed: bytes) -> None:
        self.sealed[self._next] = sealed
        self._next += 1
