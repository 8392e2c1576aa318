"""The vault's crypto port: the five primitives format v1 needs, behind one small async interface.

Two adapters give the same bytes (the committed test vector proves it):

* ``crypto_native.NativeCrypto``: pyca ``cryptography``, on phones, desktops and in tests;
* ``crypto_browser.BrowserCrypto``: WebCrypto (AES-256-GCM, HKDF-SHA256, HMAC-SHA256) and Argon2id
  compiled to WebAssembly (hash-wasm), inside the browser, where Python runs in Pyodide.

Every call is async because everything WebCrypto does is a promise. An authentication failure is
always ``AuthenticationFailed``; the envelope turns it into the person-facing error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..i18n import _
from .errors import CorruptVault


class AuthenticationFailed(Exception):
    """AES-GCM refused the ciphertext: wrong key, or the bytes were changed."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters. Defaults are at least Bitwarden's (64 MiB, 3 iterations, 4 lanes)."""

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    # Bounds for what a header may ask for, so that a hostile or damaged header cannot make a
    # device allocate gigabytes or spin for minutes before anything is refused. What a phone's
    # browser can do (the age format caps its scrypt work at about 15 s): at most 512 MiB, and
    # at most eight times the default's work (memory x passes), about 3 s in a desktop browser
    # and 12-15 s on a mid-range phone.
    MAX_MEMORY_KIB = 512 * 1024
    MAX_ITERATIONS = 16
    MAX_LANES = 16
    MAX_WORK = 8 * (64 * 1024) * 3  # KiB x passes

    def check(self) -> None:
        for name in ("memory_kib", "iterations", "lanes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise CorruptVault(_("The vault header's key derivation settings are not numbers."))
        if not (8 * self.lanes <= self.memory_kib <= self.MAX_MEMORY_KIB):
            raise CorruptVault(
                _(
                    "The vault header asks the key derivation for more memory than a phone can "
                    "give (or an impossible amount). It was not made by Recourse, or it was "
                    "changed."
                )
            )
        if not (1 <= self.iterations <= self.MAX_ITERATIONS):
            raise CorruptVault(_("The vault header has an invalid key derivation pass count."))
        if not (1 <= self.lanes <= self.MAX_LANES):
            raise CorruptVault(_("The vault header has an invalid key derivation lane count."))
        if self.memory_kib * self.iterations > self.MAX_WORK:
            raise CorruptVault(
                _(
                    "The vault header asks for a key derivation far slower than a phone can do. "
                    "It was not made by Recourse, or it was changed."
                )
            )

    def weaker_than(self, other: KdfParams) -> bool:
        """Less memory or fewer passes than ``other``: worth moving up to it."""
        return self.memory_kib < other.memory_kib or self.iterations < other.iterations


DEFAULT_KDF = KdfParams()


class AeadKey(Protocol):
    """One AES-256-GCM key, imported once and used for many records."""

    async def encrypt(self, nonce: bytes, plaintext: bytes, ad: bytes) -> bytes:
        """ciphertext || 16-byte tag"""
        ...

    async def decrypt(self, nonce: bytes, ciphertext: bytes, ad: bytes) -> bytes:
        """The plaintext, or ``AuthenticationFailed``."""
        ...

    async def decrypt_many(self, items: Sequence[tuple[bytes, bytes, bytes]]) -> list[bytes | None]:
        """Each (nonce, ciphertext, ad) opened: its plaintext, or None where it does not
        authenticate (one that fails never stops the others). In the browser, one trip to
        WebCrypto for them all instead of one a record."""
        ...


class Crypto(Protocol):
    async def argon2id(
        self, password: bytes, salt: bytes, params: KdfParams, length: int
    ) -> bytes: ...

    async def hkdf_sha256(self, key: bytes, info: bytes, length: int) -> bytes:
        """HKDF-SHA256 with no salt (RFC 5869: a string of 32 zero bytes)."""
        ...

    async def hmac_sha256(self, key: bytes, data: bytes) -> bytes: ...

    async def aead(self, key: bytes) -> AeadKey: ...


_INNER = bytes(b ^ 0x36 for b in range(256))
_OUTER = bytes(b ^ 0x5C for b in range(256))


def hmac_sha256(key: bytes, data: bytes) -> bytes:
    """HMAC-SHA256 (RFC 2104) over hashlib's SHA-256 alone, for the browser adapter: hashlib is
    already loaded when the app starts in Pyodide, whereas the ``hmac`` module pulls in more
    (with it, Firefox did not start the app again offline), and WebCrypto costs two trips to
    JavaScript per call. The same bytes as pyca's and WebCrypto's (tests/test_vault.py)."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    inner = hashlib.sha256(key.translate(_INNER))
    inner.update(data)  # (not joined to the key first: a backup's body is not copied again)
    return hashlib.sha256(key.translate(_OUTER) + inner.digest()).digest()
