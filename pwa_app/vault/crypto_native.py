"""The crypto port over pyca ``cryptography``: phones, desktops and the tests."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .crypto import AuthenticationFailed, KdfParams


class _Aead:
    __slots__ = ("_aead",)

    def __init__(self, key: bytes):
        self._aead = AESGCM(key)

    async def encrypt(self, nonce: bytes, plaintext: bytes, ad: bytes) -> bytes:
        return self._aead.encrypt(nonce, plaintext, ad)

    async def decrypt(self, nonce: bytes, ciphertext: bytes, ad: bytes) -> bytes:
        try:
            return self._aead.decrypt(nonce, ciphertext, ad)
        except InvalidTag:
            raise AuthenticationFailed() from None

    async def decrypt_many(self, items: Sequence[tuple[bytes, bytes, bytes]]) -> list[bytes | None]:
        out: list[bytes | None] = []
        for nonce, ciphertext, ad in items:
            try:
                out.append(self._aead.decrypt(nonce, ciphertext, ad))
            except InvalidTag:
                out.append(None)
        return out


class NativeCrypto:
    async def argon2id(self, password: bytes, salt: bytes, params: KdfParams, length: int) -> bytes:
        kdf = Argon2id(
            salt=salt,
            length=length,
            iterations=params.iterations,
            lanes=params.lanes,
            memory_cost=params.memory_kib,
        )
        # Off the event loop, so the screen (and every other session) stays alive meanwhile.
        return await asyncio.to_thread(kdf.derive, password)

    async def hkdf_sha256(self, key: bytes, info: bytes, length: int) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(key)

    async def hmac_sha256(self, key: bytes, data: bytes) -> bytes:
        return hmac.new(key, data, hashlib.sha256).digest()

    async def aead(self, key: bytes) -> _Aead:
        return _Aead(key)
