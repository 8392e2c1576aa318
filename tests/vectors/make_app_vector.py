"""Made the committed app-level v1 test vector once (2026-11-25). Kept for the record; tests
never run it. Never regenerate: a change that breaks it breaks people's backups.

    python3 tests/vectors/make_app_vector.py

A backup written by the app's own services, natively (pyca cryptography): a case with a case
number, an evidence entry with an attached PNG (stored as a raw-bytes "file" record), a removal
request and a timeline note, under the default KDF parameters.

It was made by version 0.1, before the tamper-evident history: it has none, and so it also
proves that an older vault starts its history at its first unlock (tests/test_history.py). The
calls below are written in today's API; run now, they would write a vault with a history.
"""

import asyncio
import hashlib
import json
import struct
import sys
import zlib
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent))

from pwa_app.services import Services  # noqa: E402
from pwa_app.vault import MemoryStorage  # noqa: E402

PASSPHRASE = "vector passphrase: blue kettle, late train ünïcødé"
WHEN = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def tiny_png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    rows = b"".join(b"\x00" + bytes([40, 90, 160]) * 8 for _ in range(6))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 6, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def main() -> None:
    svc = Services(MemoryStorage(), clock=lambda: WHEN)
    await svc.session.create(PASSPHRASE)
    res, case = await svc.cases.new("Vector case", "England")
    await svc.cases.add_number(case.id, "police", "Vector Police", "VEC-0001", "2026-11-20")
    res, item = await svc.evidence.log(case.id, "https://example.org/vector", "Example", WHEN)
    png = tiny_png()
    await svc.evidence.attach(item.id, "vector-shot.png", png, "image/png")
    notice = svc.requests.render(
        "platform",
        {"recipient": "Example Site", "urls": "https://example.org/vector", "description": "one"},
    )
    await svc.requests.mark_sent(case.id, notice)
    await svc.cases.add_note(case.id, "Vector note: called the helpline")
    (HERE / "v1-app-backup.recourse").write_bytes(await svc.backup.export())
    expected = {
        "passphrase": PASSPHRASE,
        "case": "Vector case",
        "case_number": "VEC-0001",
        "url": "https://example.org/vector",
        "attachment": {"filename": "vector-shot.png", "sha256": hashlib.sha256(png).hexdigest()},
        "request_recipient": "Example Site",
        "timeline": "Vector note: called the helpline",
    }
    (HERE / "v1-app-expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n"
    )


if __name__ == "__main__":
    asyncio.run(main())
