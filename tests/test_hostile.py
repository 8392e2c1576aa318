"""Hostile files (issue 16): the verifier and restore never crash, hang or reassure falsely.

Every crafted file (tests/make_hostile.py makes them) is refused with a message, never a
traceback, within the bounds stated here: 10 seconds, and at most 64 MB of memory beyond the
file itself (the bomb in them would need 300 MB, the deepest JSON all of Python's stack)."""

from __future__ import annotations

import json
import time
import tracemalloc

import pytest
from conftest import FAST_KDF, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from make_hostile import backups, packs
from sessions import real_session
from test_pack import cli

from pwa_app.services import Services
from pwa_app.services.records import T_CHECKLIST
from pwa_app.vault import BackupRejected, MemoryStorage, VaultError
from pwa_app.verify import verify_backup_file, verify_pack

SECONDS = 10
EXTRA_MEMORY = 64 * 1024 * 1024


@pytest.fixture(scope="module")
def good_pack():
    app, case_id, _ = run(real_session())
    return run(app.reports.pack(case_id)).data


def bounded(fn, *args):
    """(what ``fn`` returned, seconds, peak bytes allocated meanwhile)."""
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        out = fn(*args)
    finally:
        took = time.perf_counter() - t0
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return out, took, peak


@pytest.fixture(scope="module")
def hostile_packs(good_pack):
    return packs(good_pack)


@pytest.mark.parametrize("i", range(6))
def test_a_hostile_pack_is_refused_plainly_in_bounded_time_and_memory(hostile_packs, i):
    name, data, words = hostile_packs[i]
    res, took, peak = bounded(verify_pack, data)
    assert not res.ok, name
    said = res.report()
    assert words.lower() in said.lower(), (name, said)
    assert "Traceback" not in said
    assert took < SECONDS, f"{name}: {took:.1f} s"
    assert peak < len(data) + EXTRA_MEMORY, f"{name}: {peak / 1e6:.0f} MB"


def test_the_command_names_each_hostile_pack_and_exits_1(hostile_packs, tmp_path):
    for name, data, words in hostile_packs:
        path = tmp_path / f"{name}.zip"
        path.write_bytes(data)
        out = cli(str(path))
        assert out.returncode == 1, (name, out.stdout, out.stderr)
        assert words.lower() in out.stdout.lower() and "Traceback" not in out.stderr, name


@pytest.mark.parametrize("i", range(7))
def test_a_hostile_backup_is_refused_plainly_in_bounded_time_and_memory(i):
    name, data, words = backups()[i]
    res, took, peak = bounded(lambda: run(verify_backup_file(data, "pw")))
    assert not res.ok, name
    assert words.lower() in res.report().lower(), (name, res.report())
    assert took < SECONDS, f"{name}: {took:.1f} s"
    assert peak < len(data) + EXTRA_MEMORY, f"{name}: {peak / 1e6:.0f} MB"
    app = Services(MemoryStorage(), kdf=FAST_KDF, min_score=0)
    with pytest.raises(VaultError) as ei:
        run(app.backup.restore(data, "pw"))
    assert str(ei.value) and not app.session.storage.data and app.session.storage.meta is None


def test_a_backup_is_parsed_in_one_pass_at_a_small_multiple_of_its_size():
    app = Services(MemoryStorage(), kdf=FAST_KDF, min_score=0)
    run(app.session.create("pw"))
    case = run(app.cases.ensure())
    ok, item = run(app.evidence.log(case.id, "https://x.example/a", "X", None))
    for i in range(6):  # about 18 MB of pictures that do not compress
        data = bytes((i * 7 + k * 31) % 251 for k in range(3_000_000))
        assert run(app.evidence.attach(item.id, f"shot-{i}.png", data, "image/png")).ok
    backup = run(app.backup.export())
    from pwa_app.vault import default_crypto
    from pwa_app.vault.vault import verify_backup

    (_header, rows, _keys), took, peak = bounded(
        lambda: run(verify_backup(default_crypto(), backup, "pw"))
    )
    assert len(rows) > 6
    assert peak < 2.5 * len(backup), f"{peak / len(backup):.1f} times the backup's size"


def test_an_authentic_backup_whose_record_cannot_be_read_is_refused_and_nothing_written():
    """Made with the passphrase (its check code matches), but a record inside it is of a shape
    no version of Recourse writes."""
    maker = Services(MemoryStorage(), kdf=FAST_KDF, min_score=0)
    run(maker.session.create("pw"))
    run(maker.cases.ensure())
    checklist_id = run(maker.session.single_id(T_CHECKLIST))
    run(maker.session.vault.put(T_CHECKLIST, checklist_id, {"done": 7}))
    data = run(maker.backup.export())
    app = Services(MemoryStorage(), kdf=FAST_KDF, min_score=0)
    with pytest.raises(BackupRejected) as ei:
        run(app.backup.restore(data, "pw"))
    assert "cannot be read" in str(ei.value) and "Nothing was changed" in str(ei.value)
    assert app.session.storage.meta is None and not app.session.storage.data


def test_a_restored_backup_with_weak_key_settings_is_moved_up_to_todays():
    from pwa_app.vault import KdfParams

    weak = KdfParams(memory_kib=512, iterations=1, lanes=1)
    maker = Services(MemoryStorage(), kdf=weak, min_score=0)
    run(maker.session.create("pw"))
    case = run(maker.cases.ensure())
    _ok, item = run(maker.evidence.log(case.id, "https://example.org/kept", "X", None))
    run(maker.evidence.attach(item.id, "shot.txt", b"evidence bytes", "text/plain"))
    data = run(maker.backup.export())
    app = Services(MemoryStorage(), kdf=FAST_KDF, min_score=0)
    run(app.backup.restore(data, "pw"))
    header = json.loads(app.session.storage.meta)
    assert header["kdf"]["memory_kib"] == FAST_KDF.memory_kib
    app.session.lock()
    run(app.session.unlock("pw"))  # the same passphrase opens it, and everything in it
    (kept,) = run(app.evidence.all())
    assert kept.url == "https://example.org/kept"
    assert run(app.evidence.file_bytes(kept.attachments[0].blob_id)) == b"evidence bytes"
    check = run(app.history.check())
    assert check.ok and check.files == 1, check.line()
    assert app.session.integrity.found == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    key=st.sampled_from(["memory_kib", "iterations", "lanes", "name", "salt"]),
    value=st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=20),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    ),
)
def test_any_value_in_a_backup_header_is_refused_by_type_never_a_crash(key, value):
    from make_hostile import _backup, _header

    header = _header()
    header["kdf"][key] = value
    data = _backup(json.dumps(header, allow_nan=True).encode())
    res, took, _peak = bounded(lambda: run(verify_backup_file(data, "pw")))
    assert not res.ok and res.problems
    assert took < SECONDS


@pytest.fixture(scope="module")
def a_backup():
    app, _case, _other = run(real_session())
    return run(app.backup.export())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    how=st.sampled_from(["flip", "cut", "insert", "swap"]),
    at=st.floats(min_value=0, max_value=1),
    byte=st.integers(1, 255),
)
def test_any_change_to_a_backup_is_refused_never_a_crash(a_backup, how, at, byte):
    data = bytearray(a_backup)
    i = min(int(at * len(data)), len(data) - 1)
    if how == "flip":
        data[i] ^= byte
    elif how == "cut":
        del data[i:]
    elif how == "insert":
        data[i:i] = bytes([byte]) * 3
    else:
        j = (i + 97) % len(data)
        data[i], data[j] = data[j], data[i]
        if data == a_backup:
            return
    res = run(verify_backup_file(bytes(data), "pw"))
    assert not res.ok and res.problems


def test_an_old_backup_whose_named_record_cannot_be_read_is_refused_too():
    """Earlier versions kept the single records under their names: the trial reads them as the
    app will, once moved to their derived ids."""
    maker = Services(MemoryStorage(), kdf=FAST_KDF, min_score=0)
    run(maker.session.create("pw"))
    run(maker.cases.ensure())
    run(maker.session.vault.put(T_CHECKLIST, "checklist", {"done": 7}))  # as an old version did
    data = run(maker.backup.export())
    app = Services(MemoryStorage(), kdf=FAST_KDF, min_score=0)
    with pytest.raises(BackupRejected) as ei:
        run(app.backup.restore(data, "pw"))
    assert "cannot be read" in str(ei.value)
    assert app.session.storage.meta is None and not app.session.storage.data
