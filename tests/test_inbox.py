"""The sealed inbox (issue 18, item 5): X25519 against RFC 7748 and pyca, the sealed format,
and shares moved into the vault (the service worker's side runs in test_browser_share_target.py)."""

from __future__ import annotations

import hashlib
import io
import os
from datetime import UTC, datetime

import pytest
from conftest import FAST_KDF, run
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from PIL import Image

from pwa_app.services import Services
from pwa_app.services.records import T_SHARED
from pwa_app.vault import MemoryStorage, default_crypto
from pwa_app.vault.inbox import (
    BASE_POINT,
    MemoryInbox,
    SealedUnreadable,
    encode,
    open_sealed,
    seal,
    x25519,
)

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
CRYPTO = default_crypto()


def test_x25519_matches_rfc_7748_and_pyca():
    a = bytes.fromhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
    b = bytes.fromhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")
    a_pub = x25519(a, BASE_POINT)
    assert a_pub.hex() == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
    b_pub = x25519(b, BASE_POINT)
    assert b_pub.hex() == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
    shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
    assert x25519(a, b_pub).hex() == x25519(b, a_pub).hex() == shared
    for _ in range(20):
        k, peer = os.urandom(32), X25519PrivateKey.generate()
        ours = X25519PrivateKey.from_private_bytes(k)
        assert x25519(k, BASE_POINT) == ours.public_key().public_bytes_raw()
        assert x25519(k, peer.public_key().public_bytes_raw()) == ours.exchange(peer.public_key())


def _sealed(public: bytes, meta: dict, files: list[bytes]) -> bytes:
    return run(seal(CRYPTO, public, encode(meta, files)))


def test_sealed_share_opens_only_with_its_key_and_unchanged():
    private = os.urandom(32)
    public = x25519(private, BASE_POINT)
    meta = {"v": 1, "received": "2026-11-24T11:00:00.000Z", "url": "https://x.org/p"}
    meta["files"] = [{"name": "a.png", "type": "image/png", "size": 5}]
    sealed = _sealed(public, meta, [b"12345"])
    assert b"x.org" not in sealed and b"12345" not in sealed
    opened = run(open_sealed(CRYPTO, private, sealed))
    assert opened.url == "https://x.org/p" and opened.files[0].data == b"12345"
    with pytest.raises(SealedUnreadable):
        run(open_sealed(CRYPTO, os.urandom(32), sealed))
    for at in (3, 10, 40, len(sealed) - 1):  # magic, key, nonce, body
        bad = bytearray(sealed)
        bad[at] ^= 1
        with pytest.raises(SealedUnreadable):
            run(open_sealed(CRYPTO, private, bytes(bad)))


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 30), (10, 200, 30)).save(out, "PNG")
    return out.getvalue()


def _services(inbox: MemoryInbox) -> Services:
    s = Services(MemoryStorage(), inbox=inbox, clock=lambda: NOW, kdf=FAST_KDF, min_score=0)
    run(s.session.create("pw"))
    run(s.inbox.ready())
    return s


def test_shares_move_into_the_vault_with_the_time_they_arrived():
    inbox = MemoryInbox()
    s = _services(inbox)
    assert inbox.public is not None and len(inbox.public) == 32
    case = run(s.cases.ensure())
    png = _png()
    arrived = "2026-11-24T10:15:00.000Z"
    # a link with a screenshot: an evidence entry at once
    meta = {"v": 1, "received": arrived, "title": "Post", "text": "see https://x.org/post1 now"}
    meta["files"] = [{"name": "shot.png", "type": "image/png", "size": len(png)}]
    inbox.add(_sealed(inbox.public, meta, [png]))
    # a screenshot alone, and one too large to keep: waits for its address, nothing lost unsaid
    meta2 = {"v": 1, "received": arrived, "files": [], "skipped": [{"name": "big.mov"}]}
    meta2["files"] = [{"name": "alone.png", "type": "image/png", "size": len(png)}]
    inbox.add(_sealed(inbox.public, meta2, [png]))
    # sealed for another vault: left as it is, and said
    inbox.add(_sealed(x25519(os.urandom(32), BASE_POINT), meta, [png]))

    got = run(s.inbox.receive(case.id))
    assert (got.logged, got.waiting, got.unreadable, got.too_large) == (1, 1, 1, ("big.mov",))
    assert "big.mov" in got.sentence() and "did not open" in got.sentence()
    assert len(inbox.sealed) == 1  # only the unreadable one is left

    (entry,) = run(s.evidence.all(case.id))
    assert entry.url == "https://x.org/post1"
    assert entry.found_at == datetime(2026, 11, 24, 10, 15, tzinfo=UTC)
    (att,) = entry.attachments
    assert att.sha256 == hashlib.sha256(png).hexdigest()
    assert run(s.evidence.file_bytes(att.blob_id)) == png

    (waiting,) = run(s.inbox.waiting())
    assert waiting.files[0].filename == "alone.png" and waiting.skipped == ("big.mov",)
    res = run(s.inbox.file_under(waiting.id, case.id, "not a web address"))
    assert not res.ok and "url" in res.errors
    assert run(s.inbox.file_under(waiting.id, case.id, "https://y.org/2", "Y")).ok
    assert run(s.inbox.waiting()) == []
    second = [e for e in run(s.evidence.all(case.id)) if e.url == "https://y.org/2"][0]
    assert second.found_at == datetime(2026, 11, 24, 10, 15, tzinfo=UTC)
    assert run(s.evidence.file_bytes(second.attachments[0].blob_id)) == png

    # the history names every file, as for one attached by hand
    events = [e for e in run(s.history.entries())[0] if e.event == "file.added"]
    assert sorted(e.data["name"] for e in events) == ["alone.png", "shot.png"]
    assert run(s.history.check()).ok


def test_a_waiting_share_can_be_removed_with_its_files():
    inbox = MemoryInbox()
    s = _services(inbox)
    case = run(s.cases.ensure())
    png = _png()
    meta = {"v": 1, "received": "2026-11-24T10:15:00Z"}
    meta["files"] = [{"name": "x.png", "type": "image/png", "size": len(png)}]
    inbox.add(_sealed(inbox.public, meta, [png]))
    run(s.inbox.receive(case.id))
    (waiting,) = run(s.inbox.waiting())
    assert run(s.inbox.discard(waiting.id, case.id)).ok
    assert run(s.inbox.waiting()) == []
    assert run(s.evidence.file_bytes(waiting.files[0].blob_id)) is None
    assert run(s.session.vault.list(T_SHARED)).items == []


def test_the_key_stays_across_unlock_and_a_passphrase_change():
    inbox = MemoryInbox()
    s = _services(inbox)
    first = inbox.public
    s.session.lock()
    run(s.session.unlock("pw"))
    run(s.inbox.ready())
    assert inbox.public == first
    run(s.session.change_passphrase("pw", "another passphrase"))
    run(s.inbox.ready())
    assert inbox.public == first  # a share sealed before the change still opens
    meta = {"v": 1, "received": "2026-11-24T10:15:00Z", "url": "https://x.org/k", "files": []}
    inbox.add(_sealed(first, meta, []))
    case = run(s.cases.ensure())
    assert run(s.inbox.receive(case.id)).logged == 1
