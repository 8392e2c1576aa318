import contextlib
import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from conftest import FAST_KDF, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pwa_app.vault import (
    DEFAULT_KDF,
    BackupRejected,
    CorruptVault,
    MemoryStorage,
    NoVault,
    PreferencesStorage,
    SqliteStorage,
    StorageFull,
    TamperedRecord,
    UnsupportedVersion,
    Vault,
    VaultError,
    VaultExists,
    VaultLocked,
    WrongPassphrase,
    vault_exists,
)
from pwa_app.vault.crypto import hmac_sha256
from pwa_app.vault.crypto_native import NativeCrypto
from pwa_app.vault.envelope import Header, RecordKeys, associated_data

VECTORS = Path(__file__).parent / "vectors"


def make(storage=None, pw="pass phrase"):
    storage = storage or MemoryStorage()
    return storage, run(Vault.create(storage, pw, FAST_KDF))


def test_default_kdf_is_at_least_bitwarden():
    assert DEFAULT_KDF.memory_kib >= 64 * 1024
    assert DEFAULT_KDF.iterations >= 3
    assert DEFAULT_KDF.lanes >= 4


def test_create_unlock_round_trip_and_wrong_passphrase():
    s, v = make()
    run(v.put("case", "a1", {"title": "Ünïcode ✓ 😀", "n": 3}))
    v2 = run(Vault.unlock(s, "pass phrase"))
    assert run(v2.get("case", "a1")) == {"title": "Ünïcode ✓ 😀", "n": 3}
    with pytest.raises(WrongPassphrase) as ei:
        run(Vault.unlock(s, "pass phrasE"))
    assert isinstance(ei.value, VaultError)
    assert "pass phras" not in str(ei.value)


def test_unlock_without_vault_and_create_twice():
    s = MemoryStorage()
    assert not run(vault_exists(s))
    with pytest.raises(NoVault):
        run(Vault.unlock(s, "x"))
    make(s)
    assert run(vault_exists(s))
    with pytest.raises(VaultExists):
        run(Vault.create(s, "other", FAST_KDF))


def test_header_carries_version_and_kdf_parameters():
    s, _ = make()
    doc = json.loads(s.meta)
    assert doc["version"] == 1 and doc["magic"] == "recourse-vault"
    assert doc["kdf"] == {
        **doc["kdf"],
        "name": "argon2id",
        "memory_kib": 1024,
        "iterations": 1,
        "lanes": 1,
    }


def test_lock_drops_keys():
    s, v = make()
    run(v.put("case", "a", {"x": 1}))
    v.lock()
    assert v.locked
    for call in (
        lambda: v.get("case", "a"),
        lambda: v.put("case", "b", {}),
        lambda: v.list("case"),
    ):
        with pytest.raises(VaultLocked):
            run(call())
    assert v._keys is None


def test_each_record_sealed_alone_with_fresh_nonce():
    s, v = make()
    run(v.put("case", "a", {"x": 1}))
    run(v.put("case", "b", {"x": 2}))
    before_b = s.data["b"]
    run(v.put("case", "a", {"x": 1}))
    first = s.data["a"][1]
    run(v.put("case", "a", {"x": 1}))
    assert s.data["a"][1] != first  # fresh nonce every time
    assert s.data["b"] == before_b  # saving one record re-encrypts nothing else


def test_type_tag_is_opaque_and_types_are_separate():
    s, v = make()
    run(v.put("case", "a", {"x": 1}))
    run(v.put("evidence", "b", {"y": 2}))
    tag = s.data["a"][0]
    assert "case" not in tag and len(tag) == 24
    assert [rid for rid, _ in run(v.list("case")).items] == ["a"]
    assert run(v.get("evidence", "a")) is None


def test_flipped_byte_reported_for_that_record_only():
    s, v = make()
    for i in range(5):
        run(v.put("evidence", f"id{i}", {"i": i}))
    tag, blob = s.data["id2"]
    s.data["id2"] = (tag, blob[:20] + bytes([blob[20] ^ 1]) + blob[21:])
    listing = run(v.list("evidence"))
    assert sorted(d["i"] for _, d in listing.items) == [0, 1, 3, 4]
    assert [e.record_id for e in listing.damaged] == ["id2"]
    with pytest.raises(TamperedRecord) as ei:
        run(v.get("evidence", "id2"))
    assert ei.value.record_id == "id2"


def test_truncated_record_and_swapped_ids_detected():
    s, v = make()
    run(v.put("case", "a", {"x": "secret-a"}))
    run(v.put("case", "b", {"x": "secret-b"}))
    s.data["a"], s.data["b"] = s.data["b"], s.data["a"]  # the id is bound in the AEAD
    with pytest.raises(TamperedRecord):
        run(v.get("case", "a"))
    s.data["a"] = (s.data["a"][0], s.data["a"][1][:10])
    with pytest.raises(TamperedRecord):
        run(v.get("case", "a"))


def test_newer_header_version_is_refused_clearly():
    s, _ = make()
    doc = json.loads(s.meta)
    doc["version"] = 2
    s.meta = json.dumps(doc).encode()
    with pytest.raises(UnsupportedVersion) as ei:
        run(Vault.unlock(s, "pass phrase"))
    assert "newer version" in str(ei.value)


@pytest.mark.parametrize(
    "meta",
    [b"", b"{", b"[]", b'{"magic":"recourse-vault","version":1}', b"\xff\xfe"],
)
def test_truncated_or_malformed_header(meta):
    s, _ = make()
    s.meta = meta
    with pytest.raises(CorruptVault):
        run(Vault.unlock(s, "pass phrase"))


def test_header_truncated_at_every_length_never_crashes():
    s, _ = make()
    full = s.meta
    for n in range(len(full)):
        s.meta = full[:n]
        with pytest.raises(VaultError):
            run(Vault.unlock(s, "pass phrase"))


def test_hostile_kdf_parameters_are_refused():
    s, _ = make()
    doc = json.loads(s.meta)
    doc["kdf"]["memory_kib"] = 2**40
    s.meta = json.dumps(doc).encode()
    with pytest.raises(CorruptVault):
        run(Vault.unlock(s, "pass phrase"))


def test_downgraded_kdf_parameters_do_not_unwrap():
    s, _ = make()
    doc = json.loads(s.meta)
    doc["kdf"]["iterations"] = 2  # the parameters are bound as associated data
    s.meta = json.dumps(doc).encode()
    with pytest.raises(WrongPassphrase):
        run(Vault.unlock(s, "pass phrase"))


def test_change_passphrase_makes_a_new_data_key_and_seals_every_record_again():
    s, v = make()
    run(v.put("case", "a", {"x": 1}))
    run(v.put_bytes("file", "f", b"picture" * 1000))
    old_header, blobs = s.meta, dict(s.data)
    with pytest.raises(WrongPassphrase):
        run(v.change_passphrase("nope", "new one", None, ("case", "file")))
    assert s.data == blobs and s.meta == old_header  # a wrong passphrase changes nothing
    seen = []
    run(
        v.change_passphrase(
            "pass phrase", "new one", None, ("case", "file"), lambda *p: seen.append(p)
        )
    )
    assert seen[-1] == (2, 2)
    # The same records, every one sealed anew (the index's own id is derived from the key).
    own = set(run(v._index_ids(v._open_keys())))  # the index's root and buckets (ids from the key)
    assert set(s.data) == {"a", "f"} | own and len(blobs) == 2 + len(own)
    for rid in ("a", "f"):
        assert s.data[rid][1] != blobs[rid][1] and s.data[rid][0] != blobs[rid][0]
    assert run(v.get("case", "a")) == {"x": 1}  # this window goes on with the new key
    run(v.put("case", "b", {"x": 2}))
    with pytest.raises(WrongPassphrase):
        run(Vault.unlock(s, "pass phrase"))
    again = run(Vault.unlock(s, "new one"))
    assert run(again.get("case", "a")) == {"x": 1} and run(again.get("case", "b")) == {"x": 2}
    assert run(again.get_bytes("file", "f")) == b"picture" * 1000
    # The old header and the old passphrase: the old data key opens nothing saved from now on.
    stale = MemoryStorage()
    run(stale.load_all(old_header, [(rid, tag, blob) for rid, (tag, blob) in s.data.items()]))
    old_keys = run(Vault.unlock(stale, "pass phrase"))._open_keys()
    for rid, (_tag, blob) in s.data.items():
        for rtype in ("case", "file", "index"):
            with pytest.raises(TamperedRecord):
                run(old_keys.open(rtype, rid, blob))


# ---- backup ---------------------------------------------------------------------------------
def test_backup_round_trip_to_another_device():
    s, v = make()
    for i in range(20):
        run(v.put("evidence", f"e{i}", {"i": i, "note": "ñ" * i}))
    data = run(v.export_backup())
    assert "ñ".encode() not in data and b'"note"' not in data
    other = MemoryStorage()
    v2 = run(Vault.import_backup(other, data, "pass phrase"))
    assert sorted(d["i"] for _, d in run(v2.list("evidence")).items) == list(range(20))


def test_a_backup_is_written_exactly_as_one_compact_json_document_would_be():
    """export_backup writes the file a record at a time (memory); its bytes are still the
    format's: the magic, the MAC in base64 over the body, and the body as json.dumps writes it."""
    import base64

    from pwa_app.vault.vault import BACKUP_MAGIC, FORMAT_VERSION

    s, v = make()
    run(v.put("case", "a", {"x": 1}))
    for i in range(12):
        run(v.put("file", f"f{i}", {"n": i}))
    run(v.put_bytes("file", "pic", b"\x00\xff" * 5000))
    data = run(v.export_backup())
    rows = sorted(run(s.rows()))
    assert rows
    body = json.dumps(
        {
            "version": FORMAT_VERSION,
            "header": base64.b64encode(v.header_bytes).decode(),
            "records": [[rid, tag, base64.b64encode(b).decode()] for rid, tag, b in rows],
        },
        separators=(",", ":"),
    ).encode()
    mac = run(v._open_keys().backup_mac(body))
    assert data == BACKUP_MAGIC + base64.b64encode(mac) + b"\n" + body


def test_backup_wrong_passphrase_truncated_or_altered_changes_nothing():
    s, v = make()
    run(v.put("case", "a", {"x": 1}))
    data = run(v.export_backup())
    target = MemoryStorage()
    with pytest.raises(BackupRejected):
        run(Vault.import_backup(target, data, "wrong"))
    for cut in (0, 5, len(data) // 2, len(data) - 1):
        with pytest.raises(BackupRejected):
            run(Vault.import_backup(target, data[:cut], "pass phrase"))
    altered = bytearray(data)
    altered[-30] ^= 0x04
    with pytest.raises(VaultError):
        run(Vault.import_backup(target, bytes(altered), "pass phrase"))
    # dropping a record (a valid-looking file with one record removed) is caught by the MAC
    head, body = data.split(b"\n", 2)[:2], data.split(b"\n", 2)[2]
    doc = json.loads(body)
    doc["records"] = []
    forged = b"\n".join(head) + b"\n" + json.dumps(doc, separators=(",", ":")).encode()
    with pytest.raises(BackupRejected):
        run(Vault.import_backup(target, forged, "pass phrase"))
    assert target.meta is None and target.data == {}


def test_import_refuses_to_overwrite_an_existing_vault():
    s, v = make()
    data = run(v.export_backup())
    other, _ = make()
    before = dict(other.data), other.meta
    with pytest.raises(VaultExists):
        run(Vault.import_backup(other, data, "pass phrase"))
    assert (dict(other.data), other.meta) == before


# ---- committed test vector ------------------------------------------------------------------
def _expected():
    return json.loads((VECTORS / "v1-expected.json").read_text())


def test_committed_v1_vault_always_opens(tmp_path):
    exp = _expected()
    shutil.copytree(VECTORS / "v1", tmp_path / "v1")
    st_ = SqliteStorage(tmp_path / "v1")
    v = run(Vault.unlock(st_, exp["passphrase"]))
    assert v.kdf == DEFAULT_KDF
    for rtype, (rid, value) in exp["records"].items():
        assert run(v.get(rtype, rid)) == value
    with pytest.raises(WrongPassphrase):
        run(Vault.unlock(st_, exp["passphrase"] + "x"))


def test_committed_v1_backup_always_imports():
    exp = _expected()
    v = run(
        Vault.import_backup(
            MemoryStorage(), (VECTORS / "v1-backup.recourse").read_bytes(), exp["passphrase"]
        )
    )
    for rtype, (rid, value) in exp["records"].items():
        assert run(v.get(rtype, rid)) == value


# ---- adapters -------------------------------------------------------------------------------
def test_sqlite_persists_across_reopen(tmp_path):
    st1 = SqliteStorage(tmp_path)
    v = run(Vault.create(st1, "pw", FAST_KDF))
    run(v.put("case", "a", {"x": 1}))
    run(v.delete("b-not-there"))
    st1.close()
    v2 = run(Vault.unlock(SqliteStorage(tmp_path), "pw"))
    assert run(v2.get("case", "a")) == {"x": 1}


def test_sqlite_damaged_file_gives_clear_error(tmp_path):
    (tmp_path / SqliteStorage.FILENAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(CorruptVault):
        SqliteStorage(tmp_path)


class FakePrefs:
    """Flet's SharedPreferences interface over a dict, with an optional quota."""

    def __init__(self, quota=None, raise_on_full=True):
        self.d = {}
        self.quota = quota
        self.raise_on_full = raise_on_full

    async def set(self, key, value):
        if self.quota is not None:
            size = sum(len(k) + len(v) for k, v in self.d.items() if k != key) + len(value)
            if size > self.quota:
                if self.raise_on_full:
                    raise RuntimeError("QuotaExceededError")
                return False
        self.d[key] = value
        return True

    async def get(self, key):
        return self.d.get(key)

    async def remove(self, key):
        return self.d.pop(key, None) is not None

    async def get_keys(self, prefix):
        return [k for k in self.d if k.startswith(prefix)]


def test_preferences_storage_round_trip():
    prefs = FakePrefs()
    s = PreferencesStorage(prefs)
    v = run(Vault.create(s, "pw", FAST_KDF))
    run(v.put("case", "a", {"x": "marker-1234"}))
    assert all("marker" not in val for val in prefs.d.values())
    v2 = run(Vault.unlock(PreferencesStorage(prefs), "pw"))
    assert run(v2.get("case", "a")) == {"x": "marker-1234"}
    run(v2.delete("a"))
    assert run(v2.list("case")).items == []


@pytest.mark.parametrize("raise_on_full", [True, False])
def test_preferences_full_gives_clear_error_and_loses_nothing(raise_on_full):
    prefs = FakePrefs(quota=60_000, raise_on_full=raise_on_full)  # the index takes ~25 kB
    s = PreferencesStorage(prefs)
    v = run(Vault.create(s, "pw", FAST_KDF))
    run(v.put("case", "small", {"x": 1}))
    with pytest.raises(StorageFull) as ei:
        run(v.put("case", "big", {"x": "y" * 50_000}))
    assert "backup" in str(ei.value)
    assert run(v.list("case")).items == [("small", {"x": 1})]


# ---- properties -----------------------------------------------------------------------------
KEYS = run(RecordKeys.derive(NativeCrypto(), b"k" * 32))
ids = st.text(alphabet="0123456789abcdef", min_size=1, max_size=32)


@given(
    rtype=st.sampled_from(["case", "evidence", "request"]), rid=ids, data=st.binary(max_size=2000)
)
def test_seal_open_round_trip(rtype, rid, data):
    assert run(KEYS.open(rtype, rid, run(KEYS.seal(rtype, rid, data)))) == data


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=300)
@given(data=st.binary(max_size=200), pos=st.integers(min_value=0), bit=st.integers(1, 255))
def test_any_single_byte_flip_is_detected(data, pos, bit):
    blob = run(KEYS.seal("case", "abc", data))
    i = pos % len(blob)
    flipped = blob[:i] + bytes([blob[i] ^ bit]) + blob[i + 1 :]
    with pytest.raises(TamperedRecord):
        run(KEYS.open("case", "abc", flipped))


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=150)
@given(
    records=st.lists(
        st.tuples(ids, st.binary(max_size=300), st.sampled_from(["ok", "flip", "short", "other"])),
        max_size=12,
    ),
    pos=st.integers(min_value=0),
)
def test_opening_many_at_once_says_of_each_what_opening_it_alone_says(records, pos):
    """open_many (one trip to WebCrypto in the browser) gives each record what open gives it:
    its plaintext, or TamperedRecord for that one alone, in the order given."""

    def stored(rid: str, data: bytes, how: str) -> bytes:
        blob = run(KEYS.seal("evidence", rid, data))
        if how == "flip":
            i = pos % len(blob)
            return blob[:i] + bytes([blob[i] ^ 1]) + blob[i + 1 :]
        if how == "short":
            return blob[:20]
        if how == "other":  # sealed for another record: its associated data does not match
            return run(KEYS.seal("evidence", rid + "x", data))
        return blob

    batch = [(rid, stored(rid, data, how)) for rid, data, how in records]
    many = run(KEYS.open_many("evidence", batch))
    assert len(many) == len(batch)
    for (rid, blob), (_rid, data, how), got in zip(batch, records, many, strict=True):
        try:
            alone = run(KEYS.open("evidence", rid, blob))
        except TamperedRecord as exc:
            assert isinstance(got, TamperedRecord) and got.args == exc.args and how != "ok"
        else:
            assert got == alone == data and how == "ok"


@given(st.binary(max_size=400))
def test_header_decode_never_crashes_on_garbage(raw):
    with contextlib.suppress(VaultError):
        Header.decode(raw)


def test_associated_data_binds_version_type_and_id():
    ad = associated_data("case", "abc")
    assert b"v1" in ad and b"case" in ad and b"abc" in ad
    assert associated_data("case", "ab") != associated_data("cas", "eab")


def test_raw_byte_records_and_listing_by_type(tmp_path):
    for storage in (MemoryStorage(), SqliteStorage(tmp_path)):
        _, v = make(storage)
        data = bytes(range(256)) * 100
        run(v.put_bytes("file", "f1", data))
        run(v.put("case", "c1", {"x": 1}))
        assert run(v.get_bytes("file", "f1")) == data
        assert run(v.get_bytes("case", "f1")) is None  # another type's tag: not this record
        tag = run(v._open_keys().type_tag("case"))
        assert [r[0] for r in run(storage.rows(tag))] == ["c1"]
        own = set(run(v._index_ids(v._open_keys())))  # the index's root and buckets
        assert {r[0] for r in run(storage.rows())} == {"f1", "c1"} | own


def test_rows_put_together_are_stored_together_or_not_at_all(tmp_path):
    st_ = SqliteStorage(tmp_path)
    _, v = make(st_)
    rows = [run(v.seal_row("case", f"r{i}", b'{"i":1}')) for i in range(3)]
    run(v.put_rows(rows))
    assert len(run(v.list("case")).items) == 3
    bad = [*rows[:2], ("r9", None, b"x")]  # the last row cannot be stored
    with pytest.raises(Exception):  # noqa: B017 - any refusal; what matters is what is left
        run(v.put_rows([(f"n{i}", t, b) for i, (_, t, b) in enumerate(bad)]))
    assert {rid for rid, _ in run(v.list("case")).items} == {"r0", "r1", "r2"}


def test_the_same_open_vault_over_another_storage_needs_no_passphrase():
    s, v = make()
    run(v.put("case", "a", {"x": 1}))
    other = MemoryStorage()
    run(other.load_all(s.meta, run(s.rows())))
    assert run(v.on(other).get("case", "a")) == {"x": 1}


# ---- the same words, typed on another device (issue 17, item 7) -------------------------------
NFC = unicodedata.normalize("NFC", "crème brûlée on the piano")
NFD = unicodedata.normalize("NFD", NFC)


def test_a_passphrase_opens_whichever_way_its_accents_were_typed():
    assert NFC != NFD
    for made, typed in ((NFC, NFD), (NFD, NFC), (NFD, NFD)):
        s = MemoryStorage()
        run(Vault.create(s, made, FAST_KDF))
        v = run(Vault.unlock(s, typed))
        run(v.change_passphrase(typed, made + " again", FAST_KDF, ("case",)))
        run(Vault.unlock(s, unicodedata.normalize("NFD", made + " again")))
    with pytest.raises(WrongPassphrase):
        run(Vault.unlock(s, NFC.replace("piano", "organ")))


def test_a_vault_made_before_normalisation_still_opens(monkeypatch):
    """Earlier versions wrapped the key with the bytes as typed: NFD on some keyboards."""
    from pwa_app.vault import envelope

    s = MemoryStorage()
    monkeypatch.setattr(envelope, "normal", lambda p: p)
    run(Vault.create(s, NFD, FAST_KDF))
    monkeypatch.undo()
    assert run(Vault.unlock(s, NFD)) and run(Vault.unlock(s, NFC))


# ---- sizes say only a size class (issue 17, item 5) -------------------------------------------
def test_a_stored_record_says_only_its_size_class():
    s, v = make()
    sizes = {}
    for n in (0, 10, 200, 251, 1000, 1001, 1020, 2_500_000, 2_500_100):
        run(v.put_bytes("file", f"f{n}", b"x" * n))
        sizes[n] = len(run(s.get(f"f{n}"))[1])
        assert run(v.get_bytes("file", f"f{n}")) == b"x" * n
    assert sizes[0] == sizes[10] == sizes[200] == sizes[251]  # every small record alike
    assert sizes[1000] == sizes[1001] == sizes[1020]
    assert sizes[2_500_000] == sizes[2_500_100]
    assert sizes[2_500_000] <= 2_500_000 * 1.12 + 29
    assert run(s.get("f0"))[1][:1] == b"\x02"


def test_padding_cannot_be_stripped_or_changed_unseen():
    s, v = make()
    run(v.put_bytes("file", "f", b"evidence"))
    tag, blob = run(s.get("f"))
    run(s.put("f", tag, b"\x01" + blob[1:]))  # passed off as an unpadded record
    with pytest.raises(TamperedRecord):
        run(v.get_bytes("file", "f"))
    run(s.put("f", tag, blob[:-17] + blob[-16:]))  # cut short
    with pytest.raises(TamperedRecord):
        run(v.get_bytes("file", "f"))


def test_a_locked_vault_keeps_no_reference_to_its_keys():
    def holds(x) -> bool:
        return isinstance(x, RecordKeys) or (isinstance(x, tuple) and any(map(holds, x)))

    _s, v = make()
    run(v.put("case", "a", {"x": 1}))  # (which fills the cache of the index's ids)
    assert any(map(holds, vars(v).values()))
    v.lock()
    assert not any(map(holds, vars(v).values()))


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_get_many_reads_the_rows_that_are_there_as_get_does(kind, tmp_path):
    storage = MemoryStorage() if kind == "memory" else SqliteStorage(tmp_path)
    rows = [("a" * 32, "t1", b"\x02first"), ("c" * 32, "t2", b"\x02third")]
    run(storage.put_many(rows))
    got = run(storage.get_many(["a" * 32, "b" * 32, "c" * 32]))
    assert got == {"a" * 32: ("t1", b"\x02first"), "c" * 32: ("t2", b"\x02third")}
    assert got["a" * 32] == run(storage.get("a" * 32))
    assert run(storage.get_many([])) == {}


# RFC 4231 test cases 1, 2 and 6 (a key longer than SHA-256's block)
@pytest.mark.parametrize(
    ("key", "data", "mac"),
    [
        (
            b"\x0b" * 20,
            b"Hi There",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        ),
        (
            b"Jefe",
            b"what do ya want for nothing?",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        ),
        (
            b"\xaa" * 131,
            b"Test Using Larger Than Block-Size Key - Hash Key First",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        ),
    ],
)
def test_the_browsers_hmac_matches_rfc_4231(key, data, mac):
    assert hmac_sha256(key, data).hex() == mac


@given(st.binary(max_size=200), st.binary(max_size=300))
def test_the_browsers_hmac_gives_pycas_bytes(key, data):
    assert hmac_sha256(key, data) == run(NativeCrypto().hmac_sha256(key, data))
