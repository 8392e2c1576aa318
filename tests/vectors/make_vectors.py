"""Made the committed v1 test vectors once. Kept for the record; tests never run it.

python3 tests/vectors/make_vectors.py
"""

import asyncio
import json
from pathlib import Path

from pwa_app.vault import SqliteStorage, Vault

HERE = Path(__file__).parent
PASSPHRASE = "correct horse battery staple ünïcødé"
RECORDS = {
    "case": ("c0ffee00c0ffee00c0ffee00c0ffee00", {"title": "Test vector case", "n": 1}),
    "evidence": ("e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1", {"url": "https://example.org/x", "ok": True}),
}


async def main():
    d = HERE / "v1"
    d.mkdir(exist_ok=True)
    st = SqliteStorage(d)
    v = await Vault.create(st, PASSPHRASE)
    for rtype, (rid, value) in RECORDS.items():
        await v.put(rtype, rid, value)
    (HERE / "v1-backup.recourse").write_bytes(await v.export_backup())
    st._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    st._db.execute("PRAGMA journal_mode=DELETE")
    st.close()
    (HERE / "v1-expected.json").write_text(
        json.dumps({"passphrase": PASSPHRASE, "records": RECORDS}, ensure_ascii=False, indent=1)
    )


if __name__ == "__main__":
    asyncio.run(main())
