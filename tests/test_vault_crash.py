"""kill -9 in the middle of saves, hundreds of times: nothing committed is lost, the vault opens."""

import os
import random
import signal
import time

from conftest import FAST_KDF, run

from pwa_app.vault import SqliteStorage, Vault

PW = "crash test passphrase"
ROUNDS = 200


def _child(directory, w_fd, seed):
    # A fresh connection in the child: never share an open SQLite handle across fork.
    rnd = random.Random(seed)
    v = run(Vault.unlock(SqliteStorage(directory), PW))
    i = 0
    while True:
        rid = f"{seed:04d}-{i:05d}"
        run(v.put("evidence", rid, {"seed": seed, "i": i, "pad": "p" * rnd.randrange(1, 20000)}))
        os.write(w_fd, (rid + "\n").encode())  # reported only once put() has returned
        if rnd.random() < 0.1:  # some overwrites of committed records, too
            run(v.put("evidence", rid, {"seed": seed, "i": i, "pad": "q"}))
        i += 1


def test_sigkill_during_saves_loses_nothing_committed(tmp_path):
    st = SqliteStorage(tmp_path)
    run(Vault.create(st, PW, FAST_KDF))
    st.close()
    committed: set[str] = set()
    rnd = random.Random(1234)
    for seed in range(ROUNDS):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(r)
            try:
                _child(tmp_path, w, seed)
            finally:
                os._exit(1)
        os.close(w)
        time.sleep(rnd.uniform(0.002, 0.04))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(r, "rb") as f:
            # a line is written whole (pipe writes this small are atomic) or not at all
            committed.update(line.decode() for line in f.read().splitlines())
        if seed % 20 == 19 or seed == ROUNDS - 1:
            s = SqliteStorage(tmp_path)
            v = run(Vault.unlock(s, PW))
            listing = run(v.list("evidence"))
            assert listing.damaged == []
            present = {rid for rid, _ in listing.items}
            missing = committed - present
            assert not missing, f"lost {len(missing)} committed records, e.g. {sorted(missing)[:3]}"
            s.close()
    assert len(committed) > ROUNDS  # the children really were saving when they were killed


def test_marker_scan_native_files_hold_no_plaintext(tmp_path, monkeypatch):
    """Store records holding a unique marker through the service, then search every file written."""
    import asyncio
    import os

    from pwa_app.paths import data_dir
    from pwa_app.services import Services

    monkeypatch.setenv("FLET_APP_STORAGE_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    marker = "mk" + os.urandom(8).hex()

    async def go():
        s = Services(SqliteStorage(data_dir()), kdf=FAST_KDF, min_score=0)
        await s.session.create("pw")
        case = await s.cases.ensure()
        await s.cases.add_number(case.id, "police", f"Org {marker}", f"N-{marker}")
        _, item = await s.evidence.log(
            case.id, f"https://example.com/{marker}", marker, None, f"note {marker}"
        )
        await s.evidence.attach(item.id, f"{marker}.png", f"bytes {marker}".encode(), "image/png")
        await s.cases.add_note(case.id, f"timeline {marker}")
        await s.prefs.set_checklist(marker, True)
        await s.backup.export()
        s.session.lock()

    asyncio.run(go())
    hits = []
    for dirpath, _d, files in os.walk(tmp_path):
        for name in files:
            data = (open(os.path.join(dirpath, name), "rb")).read()  # noqa: SIM115
            if marker.encode() in data or marker in name:
                hits.append(name)
    assert hits == []
    assert os.listdir(tmp_path / "data")  # the vault really was written there
