"""The vault's crypto envelope, format v1. Pure functions, no I/O.

Modelled on the age spec and pyca's Fernet:

* a versioned header carries the KDF (Argon2id) parameters and salt, and the random data key
  wrapped by the passphrase key (AES-256-GCM, the header fields bound as associated data);
* each record is sealed on its own with AES-256-GCM under a key derived from the data key,
  with a fresh 96-bit nonce; the associated data binds the format version, record type and id;
* record types are stored only as an opaque keyed tag, so the storage shows no names.

Record blob layout: ``0x02 || nonce(12) || ciphertext||tag(16)``, the plaintext padded to a size
class first (``pad``); records written before padding (``0x01``, unpadded) are still read.

The primitives come from the crypto port (``crypto.py``): pyca ``cryptography`` natively, WebCrypto
and hash-wasm in the browser. This module imports neither.
"""

from __future__ import annotations

import base64
import json
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..i18n import _
from .crypto import DEFAULT_KDF, AuthenticationFailed, Crypto, KdfParams
from .errors import CorruptVault, TamperedRecord, UnsupportedVersion, WrongPassphrase

MAGIC = "recourse-vault"
FORMAT_VERSION = 1
RECORD_VERSION_BYTE = b"\x01"  # layout 1: the plaintext as it is (still read)
PADDED_BYTE = b"\x02"  # layout 2: the plaintext padded to a size class (written from now on)
NONCE_LEN = 12
TAG_LEN = 16
KEY_LEN = 32
MAX_HEADER = 4096  # bytes: a header is a few hundred


__all__ = ["DEFAULT_KDF", "KdfParams"]  # re-exported for older imports


def _b64e(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _b64d(s: object, what: str) -> bytes:
    if not isinstance(s, str):
        raise CorruptVault(
            _("The vault header field {what} is missing or malformed.").format(what=repr(what))
        )
    try:
        return base64.b64decode(s.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise CorruptVault(
            _("The vault header field {what} is not valid base64.").format(what=repr(what))
        ) from exc


async def derive_passphrase_key(
    crypto: Crypto, passphrase: str, salt: bytes, params: KdfParams
) -> bytes:
    params.check()
    return await crypto.argon2id(passphrase.encode("utf-8"), salt, params, KEY_LEN)


def normal(passphrase: str) -> str:
    """The passphrase in Unicode NFC: "é" typed as one character on one keyboard and as "e" plus
    an accent on another are the same passphrase. Every key is wrapped with this form."""
    return unicodedata.normalize("NFC", passphrase)


def spellings(passphrase: str) -> list[str]:
    """The forms a passphrase may have been wrapped with, most likely first: NFC (this version);
    then, for vaults made before it, the bytes as typed, or as another device may have typed them
    (NFD). Only a passphrase with accents or other combining characters has more than one."""
    out: list[str] = []
    for form in (normal(passphrase), passphrase, unicodedata.normalize("NFD", passphrase)):
        if form not in out:
            out.append(form)
    return out


async def _subkey(crypto: Crypto, data_key: bytes, purpose: str) -> bytes:
    return await crypto.hkdf_sha256(data_key, f"{MAGIC} {purpose}".encode(), KEY_LEN)


@dataclass(frozen=True)
class Header:
    version: int
    kdf: KdfParams
    salt: bytes
    wrapped_key: bytes  # nonce || ct || tag

    def bound_fields(self) -> bytes:
        """Canonical bytes of everything the passphrase key's AEAD binds."""
        return json.dumps(
            {
                "magic": MAGIC,
                "version": self.version,
                "kdf": {
                    "name": "argon2id",
                    "memory_kib": self.kdf.memory_kib,
                    "iterations": self.kdf.iterations,
                    "lanes": self.kdf.lanes,
                    "salt": _b64e(self.salt),
                },
            },
            sort_keys=True,
            separators=(",", ":"),
        ).encode()

    def encode(self) -> bytes:
        doc = json.loads(self.bound_fields())
        doc["wrapped_key"] = _b64e(self.wrapped_key)
        return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()

    @classmethod
    def decode(cls, raw: bytes) -> Header:
        if len(raw) > MAX_HEADER:
            raise CorruptVault()
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise CorruptVault() from exc
        if not isinstance(doc, dict) or doc.get("magic") != MAGIC:
            raise CorruptVault(_("This is not a Recourse vault."))
        version = doc.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise CorruptVault()
        if version > FORMAT_VERSION:
            raise UnsupportedVersion(version)
        if version < 1:
            raise CorruptVault()
        kdf = doc.get("kdf")
        if not isinstance(kdf, dict) or kdf.get("name") != "argon2id":
            raise CorruptVault(_("The vault header names an unknown key derivation."))
        try:  # numbers only, as written: never "65536", 1e400 or true
            params = KdfParams(
                memory_kib=kdf["memory_kib"], iterations=kdf["iterations"], lanes=kdf["lanes"]
            )
        except KeyError as exc:
            raise CorruptVault() from exc
        params.check()  # before any key is derived
        salt = _b64d(kdf.get("salt"), "salt")
        wrapped = _b64d(doc.get("wrapped_key"), "wrapped_key")
        if len(salt) < 16 or len(wrapped) != NONCE_LEN + KEY_LEN + TAG_LEN:
            raise CorruptVault()
        return cls(version=version, kdf=params, salt=salt, wrapped_key=wrapped)


async def new_header(
    crypto: Crypto, passphrase: str, params: KdfParams = DEFAULT_KDF
) -> tuple[Header, bytes]:
    """A fresh header with a new random data key. Returns (header, data_key)."""
    data_key = os.urandom(KEY_LEN)
    return await wrap_data_key(crypto, data_key, passphrase, params), data_key


async def wrap_data_key(
    crypto: Crypto, data_key: bytes, passphrase: str, params: KdfParams = DEFAULT_KDF
) -> Header:
    salt = os.urandom(16)
    unsigned = Header(FORMAT_VERSION, params, salt, b"\0" * (NONCE_LEN + KEY_LEN + TAG_LEN))
    kek = await derive_passphrase_key(crypto, normal(passphrase), salt, params)
    nonce = os.urandom(NONCE_LEN)
    aead = await crypto.aead(kek)
    wrapped = nonce + await aead.encrypt(nonce, data_key, unsigned.bound_fields())
    return Header(FORMAT_VERSION, params, salt, wrapped)


async def unwrap_data_key(crypto: Crypto, header: Header, passphrase: str) -> bytes:
    nonce, ct = header.wrapped_key[:NONCE_LEN], header.wrapped_key[NONCE_LEN:]
    for form in spellings(passphrase):
        kek = await derive_passphrase_key(crypto, form, header.salt, header.kdf)
        aead = await crypto.aead(kek)
        try:
            return await aead.decrypt(nonce, ct, header.bound_fields())
        except AuthenticationFailed:
            continue
    raise WrongPassphrase()


class RecordKeys:
    """Keys derived from the data key. Dropped (with the data key) when the vault locks."""

    __slots__ = ("_crypto", "_aead", "_index_key", "_backup_key", "_tags")

    def __init__(self, crypto: Crypto, aead, index_key: bytes, backup_key: bytes):
        self._crypto = crypto
        self._aead = aead
        self._index_key = index_key
        self._backup_key = backup_key
        self._tags: dict[str, str] = {}

    @classmethod
    async def derive(cls, crypto: Crypto, data_key: bytes) -> RecordKeys:
        records = await _subkey(crypto, data_key, "records v1")
        return cls(
            crypto,
            await crypto.aead(records),
            await _subkey(crypto, data_key, "index v1"),
            await _subkey(crypto, data_key, "backup v1"),
        )

    async def type_tag(self, record_type: str) -> str:
        """An opaque, stable tag for a record type, so storage shows no type names."""
        tag = self._tags.get(record_type)
        if tag is None:
            mac = await self._crypto.hmac_sha256(self._index_key, record_type.encode())
            tag = self._tags[record_type] = mac.hex()[:24]
        return tag

    def type_of(self, tag: str) -> str | None:
        """The record type a tag stands for, among those named so far (``type_tag``)."""
        return next((t for t, x in self._tags.items() if x == tag), None)

    async def derived_id(self, name: str) -> str:
        """A record id for one of the vault's own records, that looks like any other id (32
        hex digits) and names nothing in storage."""
        mac = await self._crypto.hmac_sha256(self._index_key, b"record id\x00" + name.encode())
        return mac.hex()[:32]

    async def backup_mac(self, payload: bytes) -> bytes:
        return await self._crypto.hmac_sha256(self._backup_key, payload)

    async def seal(self, record_type: str, record_id: str, plaintext: bytes) -> bytes:
        """A padded record (layout 2): its stored size says only its size class."""
        nonce = os.urandom(NONCE_LEN)
        ad = associated_data(record_type, record_id, PADDED_BYTE)
        return PADDED_BYTE + nonce + await self._aead.encrypt(nonce, pad(plaintext), ad)

    async def open(self, record_type: str, record_id: str, blob: bytes) -> bytes:
        layout, nonce, ct, ad = _sealed(record_type, record_id, blob)
        try:
            plaintext = await self._aead.decrypt(nonce, ct, ad)
        except AuthenticationFailed:
            raise TamperedRecord(record_id) from None
        return _opened(layout, plaintext, record_id)

    async def open_many(
        self, record_type: str, records: Sequence[tuple[str, bytes]]
    ) -> list[bytes | TamperedRecord]:
        """Each (id, blob) opened as ``open`` opens it, all in one go: its plaintext, or the
        ``TamperedRecord`` it raises (one that does not open never stops the others)."""
        out: list[bytes | TamperedRecord] = []
        todo: list[tuple[int, str, bytes]] = []  # (where, id, layout)
        parts: list[tuple[bytes, bytes, bytes]] = []
        for record_id, blob in records:
            try:
                layout, nonce, ct, ad = _sealed(record_type, record_id, blob)
            except TamperedRecord as exc:
                out.append(exc)
                continue
            todo.append((len(out), record_id, layout))
            parts.append((nonce, ct, ad))
            out.append(TamperedRecord(record_id))  # (until opened below)
        for (at, record_id, layout), plaintext in zip(
            todo, await self._aead.decrypt_many(parts), strict=True
        ):
            if plaintext is not None:
                try:
                    out[at] = _opened(layout, plaintext, record_id)
                except TamperedRecord as exc:
                    out[at] = exc
        return out


def _sealed(record_type: str, record_id: str, blob: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    """A stored record's (layout, nonce, ciphertext, associated data), or ``TamperedRecord``."""
    if len(blob) < 1 + NONCE_LEN + TAG_LEN:
        raise TamperedRecord(record_id)
    layout = bytes(blob[:1])
    if layout not in (RECORD_VERSION_BYTE, PADDED_BYTE):
        # The header governs the format version; a record that disagrees is damaged.
        raise TamperedRecord(record_id)
    nonce, ct = blob[1 : 1 + NONCE_LEN], blob[1 + NONCE_LEN :]
    return layout, nonce, ct, associated_data(record_type, record_id, layout)


def _opened(layout: bytes, plaintext: bytes, record_id: str) -> bytes:
    return plaintext if layout == RECORD_VERSION_BYTE else unpad(plaintext, record_id)


def associated_data(record_type: str, record_id: str, layout: bytes = RECORD_VERSION_BYTE) -> bytes:
    parts = [MAGIC.encode(), b"v%d" % FORMAT_VERSION, record_type.encode(), record_id.encode()]
    if layout == PADDED_BYTE:  # bound, so a padded record cannot pass for an unpadded one
        parts.append(b"padded")
    return b"\x00".join(parts)


MIN_PADDED = 256  # bytes: every small record looks the same size


def padded_size(n: int) -> int:
    """Padmé (Nikitin et al., "Reducing metadata leakage from encrypted files", PETS 2019): the
    size rounded up so that it leaks O(log log n) bits, at most 12% more; never below 256."""
    n = max(n, MIN_PADDED)
    e = n.bit_length() - 1
    s = e.bit_length()
    mask = (1 << (e - s)) - 1 if e > s else 0
    return (n + mask) & ~mask


def pad(plaintext: bytes) -> bytes:
    """``length (4 bytes, big-endian) || plaintext || zeros`` to the padded size."""
    body = len(plaintext).to_bytes(4, "big") + plaintext
    return body + bytes(padded_size(len(body)) - len(body))


def unpad(padded: bytes, record_id: str) -> bytes:
    n = int.from_bytes(padded[:4], "big") if len(padded) >= 4 else -1
    if not 0 <= n <= len(padded) - 4 or any(padded[4 + n :]):
        raise TamperedRecord(record_id)
    return bytes(padded[4 : 4 + n])
