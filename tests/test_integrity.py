"""The vault hardened (issue 17): a passphrase change seals every record again under a new key,
and a record removed or put back behind the app's back, on the real vault file, is named at
unlock and by "Check the record"."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import FAST_KDF, run

from pwa_app.domain.chain import ALTERED, INDEXED
from pwa_app.services import Services
from pwa_app.services.records import ALL_TYPES
from pwa_app.vault import KeyChanged, SqliteStorage, TamperedRecord, WrongPassphrase, default_crypto
from pwa_app.vault.envelope import Header, RecordKeys, unwrap_data_key
from pwa_app.vault.index import BUCKETS

PASS = "purple elephant dancing quietly"
NEW = "seven orange kites over harbour"
VECTORS = Path(__file__).parent / "vectors"


def app(directory) -> Services:
    return Services(SqliteStorage(directory), kdf=FAST_KDF)


def raw(directory) -> sqlite3.Connection:
    """The vault file, opened as someone with the file but not the key would."""
    return sqlite3.connect(Path(directory) / SqliteStorage.FILENAME, isolation_level=None)


def logged(tmp_path, n: int = 3) -> tuple[Services, list]:
    s = app(tmp_path)
    run(s.session.create(PASS))
    case = run(s.cases.ensure())
    for i in range(n):
        run(s.evidence.log(case.id, f"https://site{i}.example/page", f"note {i}", None))
    items, _ = run(s.session.all("evidence", lambda d: d))
    return s, sorted(items, key=lambda d: d["url"])


def reopen(tmp_path) -> Services:
    s = app(tmp_path)
    run(s.session.unlock(PASS))
    return s


# ---- item 3: the set of records as a whole ----------------------------------------------------
def test_an_intact_vault_unlocks_with_nothing_found(tmp_path):
    s, _items = logged(tmp_path)
    s.session.lock()
    again = reopen(tmp_path)
    assert again.session.integrity.found == []
    check = run(again.history.check())
    assert check.ok and not check.altered, check.line()


def test_an_evidence_row_deleted_behind_the_apps_back_is_named_at_unlock_and_written_down(
    tmp_path,
):
    s, items = logged(tmp_path)
    s.session.lock()
    raw(tmp_path).execute("DELETE FROM records WHERE id=?", (items[1]["id"],))
    again = reopen(tmp_path)
    found = [str(f) for f in again.session.integrity.found]
    assert len(found) == 1
    assert found[0].startswith("An evidence entry was removed")
    assert "https://site1.example/page" in found[0]  # named by what the history said of it
    entries, _ = run(again.history.entries())
    assert entries[-1].event == ALTERED and "https://site1.example/page" in entries[-1].text
    check = run(again.history.check())  # the index matches again; the finding stays in view
    assert check.ok and check.altered and "site1.example" in check.line()
    again.session.lock()
    assert reopen(tmp_path).session.integrity.found == []  # said once, kept in the history


def test_the_head_rolled_back_and_later_entries_removed_are_named(tmp_path):
    s, _items = logged(tmp_path, 1)
    db = raw(tmp_path)
    before = dict(db.execute("SELECT id, blob FROM records").fetchall())
    case = run(s.cases.ensure())
    run(s.evidence.log(case.id, "https://later.example/", "later", None))
    head = run(s.session.single_id("history-head"))
    s.session.lock()
    after = dict(db.execute("SELECT id, blob FROM records").fetchall())
    assert after[head] != before[head]
    # Put back the old head, and remove every record added since: every row left opens.
    db.execute("UPDATE records SET blob=? WHERE id=?", (before[head], head))
    for rid in set(after) - set(before):  # the new evidence entry and history entries
        db.execute("DELETE FROM records WHERE id=?", (rid,))
    again = reopen(tmp_path)
    found = " ".join(map(str, again.session.integrity.found))
    assert "The record of the history's last entry was put back to an earlier version" in found
    assert "An evidence entry was removed" in found
    assert "An entry of the tamper-evident history was removed" in found


def test_a_record_put_back_while_the_app_is_open_is_named_by_check_the_record(tmp_path):
    s, items = logged(tmp_path)
    db = raw(tmp_path)
    first = db.execute("SELECT blob FROM records WHERE id=?", (items[0]["id"],)).fetchone()[0]
    run(s.evidence.set_status(items[0]["id"], "reported"))
    db.execute("UPDATE records SET blob=? WHERE id=?", (first, items[0]["id"]))
    check = run(s.history.check())
    assert not check.ok
    assert "An evidence entry was put back to an earlier version, or replaced" in check.problem
    assert "site0.example" in check.problem


def test_a_removed_index_is_itself_a_finding(tmp_path):
    s, _items = logged(tmp_path)
    index_id = run(s.session.vault._open_keys().derived_id("index"))
    s.session.lock()
    raw(tmp_path).execute("DELETE FROM records WHERE id=?", (index_id,))
    again = reopen(tmp_path)
    assert [str(f) for f in again.session.integrity.found] == [
        "The index of the records was removed."
    ]


def test_a_vault_from_before_the_index_gets_one_and_the_history_says_from_when(tmp_path):
    shutil.copytree(VECTORS / "v1", tmp_path, dirs_exist_ok=True)
    expected = json.loads((VECTORS / "v1-expected.json").read_text())
    s = Services(SqliteStorage(tmp_path))
    run(s.session.unlock(expected["passphrase"]))
    assert s.session.integrity.found == []
    entries, _ = run(s.history.entries())
    assert any(e.event == INDEXED for e in entries)
    s.session.lock()
    s2 = Services(SqliteStorage(tmp_path))
    run(s2.session.unlock(expected["passphrase"]))
    evidence_tag = run(s2.session.vault._open_keys().type_tag("evidence"))
    s2.session.lock()
    rid = raw(tmp_path).execute("SELECT id FROM records WHERE tag=?", (evidence_tag,)).fetchone()
    if rid is None:
        pytest.skip("the committed vector holds no evidence entry")
    raw(tmp_path).execute("DELETE FROM records WHERE id=?", rid)
    s3 = Services(SqliteStorage(tmp_path))
    run(s3.session.unlock(expected["passphrase"]))
    assert any("evidence entry was removed" in str(f) for f in s3.session.integrity.found)


# ---- item 2: a new data key at every passphrase change ----------------------------------------
def test_a_passphrase_change_seals_every_record_again_and_the_old_key_opens_nothing_new(tmp_path):
    s, items = logged(tmp_path, 4)
    case = run(s.cases.ensure())
    run(s.evidence.attach(items[0]["id"], "shot.txt", b"x" * 5000, "text/plain"))
    db = raw(tmp_path)
    old_header = db.execute("SELECT v FROM meta WHERE k='header'").fetchone()[0]
    before = dict(db.execute("SELECT id, blob FROM records").fetchall())
    steps = []
    run(s.session.change_passphrase(PASS, NEW, lambda done, of: steps.append((done, of))))
    # every record but the old index's
    assert steps and steps[-1][0] == steps[-1][1] == len(before) - (1 + BUCKETS)
    after = dict(db.execute("SELECT id, blob FROM records").fetchall())
    kept = set(before) & set(after)
    # the same records; only the index's root and buckets and the history head (ids derived from
    # the key) move
    assert len(kept) == len(before) - (1 + BUCKETS) - 1
    assert all(after[rid] != before[rid] for rid in kept)
    # The app goes on: every record reads, a save works, the record checks out.
    run(s.evidence.log(case.id, "https://after.example/", "after", None))
    check = run(s.history.check())
    assert check.ok and check.files == 1, check.line()
    s.session.lock()
    with pytest.raises(WrongPassphrase):
        run(app(tmp_path).session.unlock(PASS))
    again = app(tmp_path)
    run(again.session.unlock(NEW))
    assert again.session.integrity.found == []
    # Someone who kept the old header and knows the old passphrase: nothing stored now opens.
    crypto = default_crypto()
    key = run(unwrap_data_key(crypto, Header.decode(old_header), PASS))
    old_keys = run(RecordKeys.derive(crypto, key))
    for rid, blob in db.execute("SELECT id, blob FROM records").fetchall():
        for rtype in (*ALL_TYPES, "index"):
            with pytest.raises(TamperedRecord):
                run(old_keys.open(rtype, rid, blob))


def test_a_wrong_old_passphrase_changes_nothing(tmp_path):
    s, _items = logged(tmp_path)
    db = raw(tmp_path)
    before = dict(db.execute("SELECT id, blob FROM records").fetchall())
    with pytest.raises(WrongPassphrase):
        run(s.session.change_passphrase("not the one at all, sorry", NEW))
    assert dict(db.execute("SELECT id, blob FROM records").fetchall()) == before


def test_another_window_open_on_the_old_key_is_told_and_saves_nothing(tmp_path):
    s, _items = logged(tmp_path)
    other = reopen(tmp_path)
    run(s.session.change_passphrase(PASS, NEW))
    db = raw(tmp_path)
    before = dict(db.execute("SELECT id, blob FROM records").fetchall())
    with pytest.raises(KeyChanged):
        run(other.session.put_single("settings", {"auto_lock_minutes": 5}))
    assert dict(db.execute("SELECT id, blob FROM records").fetchall()) == before


# ---- item 5: no record named in clear ---------------------------------------------------------
def test_a_backup_from_before_moves_its_named_records_to_ids_that_name_nothing(tmp_path):
    """The committed v1 backup (made by the app, never regenerated) keeps its settings under
    the name "settings": restored, it moves to a derived id, and everything in it still reads
    and checks out."""
    from pwa_app.services.records import SINGLETON

    expected = json.loads((VECTORS / "v1-app-expected.json").read_text())
    data = (VECTORS / "v1-app-backup.recourse").read_bytes()
    assert b'["settings",' in data  # as it was made
    s = app(tmp_path)
    run(s.backup.restore(data, expected["passphrase"]))
    ids = {r[0] for r in raw(tmp_path).execute("SELECT id FROM records").fetchall()}
    assert not ids & set(SINGLETON.values())
    check = run(s.history.check())
    assert check.ok, check.line()
    assert s.session.integrity.found == []
    evidence, damaged = run(s.session.all("evidence", lambda d: d))
    assert not damaged and evidence[0]["url"] == expected["url"]
    s.session.lock()
    again = reopen_with(tmp_path, expected["passphrase"])
    assert again.session.integrity.found == []
    assert run(again.history.check()).ok


def test_records_kept_under_their_names_move_to_derived_ids_at_unlock(tmp_path):
    """Earlier versions kept the single records under plain names; the unlock reads those
    names while the key is made, and moves what it finds (and only that) to derived ids."""
    from pwa_app.services.records import SINGLETON, T_CHECKLIST, T_SETTINGS

    s = app(tmp_path)
    run(s.session.create(PASS))
    run(s.session.vault.put(T_SETTINGS, "settings", {"auto_lock_minutes": 7}))  # as it was
    run(s.session.vault.put(T_CHECKLIST, "checklist", {"done": ["a"]}))
    s.session.lock()
    ids = {r[0] for r in raw(tmp_path).execute("SELECT id FROM records").fetchall()}
    assert {"settings", "checklist"} <= ids
    again = reopen(tmp_path)
    ids = {r[0] for r in raw(tmp_path).execute("SELECT id FROM records").fetchall()}
    assert not ids & set(SINGLETON.values())
    assert run(again.session.single(T_SETTINGS)) == {"auto_lock_minutes": 7}
    assert run(again.session.single(T_CHECKLIST)) == {"done": ["a"]}
    assert again.session.integrity.found == []
    assert run(again.history.check()).ok


def reopen_with(tmp_path, passphrase: str) -> Services:
    s = app(tmp_path)
    run(s.session.unlock(passphrase))
    return s


class Racing(SqliteStorage):
    """The vault file, where another window saves just as this one lists the records."""

    other = None

    async def versions(self, presence_only=()):
        if self.other is not None:
            save, self.other = self.other, None
            await save()
        return await super().versions(presence_only)


def test_a_save_in_another_window_during_the_unlock_check_is_no_finding(tmp_path):
    s, _items = logged(tmp_path)
    case = run(s.cases.ensure())
    s.session.lock()
    other = reopen(tmp_path)
    b = Services(Racing(tmp_path), kdf=FAST_KDF)
    b.session.storage.other = lambda: other.evidence.log(
        case.id, "https://meanwhile.example/", "meanwhile", None
    )
    run(b.session.unlock(PASS))
    assert b.session.storage.other is None  # the other window did save, mid-check
    assert b.session.integrity.found == []
    entries, _ = run(b.history.entries())
    assert not [e for e in entries if e.event == ALTERED]
    assert run(b.history.check()).ok


def test_a_bucket_of_the_index_put_back_is_itself_a_finding(tmp_path):
    s, items = logged(tmp_path, 1)
    ids = run(s.session.vault._index_ids(s.session.vault._open_keys()))
    db = raw(tmp_path)
    before = dict(db.execute("SELECT id, blob FROM records").fetchall())
    case = run(s.cases.ensure())
    run(s.evidence.log(case.id, "https://later.example/", "later", None))
    after = dict(db.execute("SELECT id, blob FROM records").fetchall())
    s.session.lock()
    changed = [rid for rid in ids[1:] if before[rid] != after[rid]]
    assert changed  # the save rewrote the buckets of what it wrote, and no others
    assert len(changed) < 10
    db.execute("UPDATE records SET blob=? WHERE id=?", (before[changed[0]], changed[0]))
    again = reopen(tmp_path)
    assert [str(f) for f in again.session.integrity.found] == [
        "The index of the records does not open: it was damaged or replaced."
    ]


def test_a_save_costs_the_same_in_a_large_vault(tmp_path):
    """Only the buckets of what is written are rewritten: the bytes a save writes do not grow
    with the number of records."""
    s, _items = logged(tmp_path, 1)
    vault = s.session.vault
    db = raw(tmp_path)

    def written(n: int) -> int:
        for i in range(n):
            run(vault.put("timeline", f"{i:032x}", {"text": "x" * 50}))
        before = dict(db.execute("SELECT id, blob FROM records").fetchall())
        run(vault.put("timeline", "f" * 32, {"text": "one more"}))
        after = dict(db.execute("SELECT id, blob FROM records").fetchall())
        return sum(len(b) for rid, b in after.items() if before.get(rid) != b)

    small = written(10)
    large = written(2000)
    assert large < small * 3, (small, large)
