"""The crypto port inside the browser: WebCrypto for AES-256-GCM and HKDF, HMAC-SHA256 over
hashlib (``crypto.hmac_sha256``: no trip to JavaScript for each id an unlock derives), and Argon2id
from hash-wasm (WebAssembly) in a worker of its own, so deriving a key never blocks Python or the
screen. Only imported under Pyodide.

Bytes go in as exact-size ``Uint8Array`` copies (``to_js``) and come out with ``to_bytes()``.
"""

from __future__ import annotations

from collections.abc import Sequence

import js  # type: ignore[import-not-found]  # Pyodide's bridge to the browser
from pyodide.ffi import JsException, to_js  # type: ignore[import-not-found]

from .crypto import AuthenticationFailed, KdfParams, hmac_sha256

ZERO_SALT = bytes(32)


def _u8(data: bytes):
    return to_js(bytes(data))


def _obj(d: dict):
    return to_js(d, dict_converter=js.Object.fromEntries)


def _subtle():
    return js.crypto.subtle


class _Aead:
    __slots__ = ("_key",)

    def __init__(self, key) -> None:
        self._key = key

    async def encrypt(self, nonce: bytes, plaintext: bytes, ad: bytes) -> bytes:
        alg = _obj({"name": "AES-GCM", "iv": _u8(nonce), "additionalData": _u8(ad)})
        return (await _subtle().encrypt(alg, self._key, _u8(plaintext))).to_bytes()

    async def decrypt(self, nonce: bytes, ciphertext: bytes, ad: bytes) -> bytes:
        alg = _obj({"name": "AES-GCM", "iv": _u8(nonce), "additionalData": _u8(ad)})
        try:
            return (await _subtle().decrypt(alg, self._key, _u8(ciphertext))).to_bytes()
        except JsException:  # OperationError: the tag did not verify
            raise AuthenticationFailed() from None

    async def decrypt_many(self, items: Sequence[tuple[bytes, bytes, bytes]]) -> list[bytes | None]:
        """One call into the worker's JavaScript (``decryptMany``, python-worker.js): every
        record's nonce, associated data and ciphertext end to end in one buffer, the
        plaintexts back end to end in another. (One trip each cost more than the decrypting.)"""
        import recourse_js  # type: ignore[import-not-found]  # registered by python-worker.js

        if not items:
            return []
        sent, ends = bytearray(), []
        for nonce, ciphertext, ad in items:
            for part in (nonce, ad, ciphertext):
                sent += part
                ends.append(len(sent))
        payload = to_js(sent)  # (a copy in JavaScript: Python's goes now, not after the wait)
        del sent
        got = await recourse_js.decryptMany(self._key, payload, to_js(ends))
        data, sizes = got[0].to_bytes(), got[1].to_py().tolist()
        del got  # (the plaintexts' JavaScript copy can go)
        out: list[bytes | None] = []
        at = 0
        for size in sizes:
            out.append(None if size < 0 else data[at : at + size])
            at += max(size, 0)
        return out


class BrowserCrypto:
    async def argon2id(self, password: bytes, salt: bytes, params: KdfParams, length: int) -> bytes:
        import recourse_js  # type: ignore[import-not-found]  # registered by python-worker.js

        out = await recourse_js.argon2id(
            _u8(password), _u8(salt), params.memory_kib, params.iterations, params.lanes, length
        )
        return out.to_bytes()

    async def hkdf_sha256(self, key: bytes, info: bytes, length: int) -> bytes:
        base = await _subtle().importKey("raw", _u8(key), "HKDF", False, to_js(["deriveBits"]))
        alg = _obj({"name": "HKDF", "hash": "SHA-256", "salt": _u8(ZERO_SALT), "info": _u8(info)})
        return (await _subtle().deriveBits(alg, base, length * 8)).to_bytes()

    async def hmac_sha256(self, key: bytes, data: bytes) -> bytes:
        return hmac_sha256(key, data)

    async def aead(self, key: bytes) -> _Aead:
        k = await _subtle().importKey(
            "raw", _u8(key), "AES-GCM", False, to_js(["encrypt", "decrypt"])
        )
        return _Aead(k)
