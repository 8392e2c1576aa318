"""The vault's crypto port: the five primitives format v1 needs, behind one small async interface.

Two adapters give the same bytes (the committed test vector proves it):

* ``crypto_native.NativeCrypto``: pyca ``cryptography``, on phones, desktops and in tests;
* ``crypto_browser.BrowserCrypto``: WebCrypto (AES-256-GCM, HKDF-SHA256, HMAC-SHA256) and Argon2id
  compiled to WebAssembly (hash-wasm), inside the browser, where Python runs in Pyodide.

Every call is async because everything WebCrypto does is a promise. An authentication failure is
always ``AuthenticationFailed``; the envelope turns it into the person-facing error.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Protocol

from .errors import CorruptVault


class AuthenticationFailed(Exception):
    """AES-GCM refused the ciphertext: wrong key, or the bytes were changed."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters. Defaults are at least Bitwarden's (64 MiB, 3 iterations, 4 lanes)."""

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    # Bounds for what a header may ask for: protects against a hostile header that would
    # make the device allocate gigabytes or spin for hours.
    MAX_MEMORY_KIB = 4 * 1024 * 1024
    MAX_ITERATIONS = 64
    MAX_LANES = 64

    def check(self) -> None:
        if not (8 * self.lanes <= self.memory_kib <= self.MAX_MEMORY_KIB):
            raise CorruptVault("The vault header asks for an impossible amount of memory.")
        if not (1 <= self.iterations <= self.MAX_ITERATIONS):
            raise CorruptVault("The vault header has an invalid iteration count.")
        if not (1 <= self.lanes <= self.MAX_LANES):
            raise CorruptVault("The vault header has an invalid lane count.")


DEFAULT_KDF = KdfParams()


class AeadKey(Protocol):
    """One AES-256-GCM key, imported once and used for many records."""

    async def encrypt(self, nonce: bytes, plaintext: bytes, ad: bytes) -> bytes:
        """ciphertext || 16-byte tag"""
        ...

    async def decrypt(self, nonce: bytes, ciphertext: bytes, ad: bytes) -> bytes:
        """The plaintext, or ``AuthenticationFailed``."""
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


def in_browser() -> bool:
    """True when Python runs inside the browser (Pyodide)."""
    return sys.platform == "emscripten"


def default_crypto() -> Crypto:
    if in_browser():
        from .crypto_browser import BrowserCrypto

        return BrowserCrypto()
    from .crypto_native import NativeCrypto

    return NativeCrypto()
