"""The evidence pack and the verifier: a real session's pack checks with the command and with
sha256sum alone; every change to a pack or a backup is named, never a crash."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sessions import real_session

from pwa_app.documents.pack import safe_name
from pwa_app.services.records import T_HISTORY
from pwa_app.verify import verify_pack

PASS = "pw"


@pytest.fixture(scope="module")
def session():
    app, case_id, other_id = run(real_session())
    return app, case_id, other_id, run(app.reports.pack(case_id)).data


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pwa_app", "verify", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_an_untouched_pack_from_a_real_session_is_intact(session, tmp_path):
    app, case_id, other_id, pack = session
    path = tmp_path / "evidence-pack.zip"
    path.write_bytes(pack)
    entries, _ = run(app.history.entries())
    out = cli(str(path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith(f"intact: {len(entries)} entries from 2026-11-20 to 2026-11-20")
    # With only sha256sum, as a lawyer would.
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as z:
        z.extractall(folder)
        names = set(z.namelist())
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True)
    assert check.returncode == 0, check.stdout
    assert check.stdout.decode().count(": OK") == len(names) - 1  # all but SHA256SUMS itself
    # What is inside: the report, the two kept files as they were added, no removed file.
    manifest = json.loads((folder / "manifest.json").read_text())
    files = [f for f in manifest["files"] if f["name"].startswith("files/")]
    assert [f["original_name"] for f in files] == ["screenshot 1.jpg", "screenshot 2.jpg"]
    item = next(e for e in run(app.evidence.all(case_id)) if e.attachments)
    for f, att in zip(files, item.attachments, strict=True):
        assert (folder / f["name"]).read_bytes() == run(app.evidence.file_bytes(att.blob_id))
        assert f["sha256"] == att.sha256
    # The other case is in the chain by its hashes only.
    text = (folder / "manifest.json").read_text() + (folder / "README.txt").read_text()
    assert "private.example" not in text and "Someone else" not in text
    assert manifest["history"]["count"] == len(entries)
    redacted = [e for e in manifest["history"]["entries"] if "content" not in e]
    assert len(redacted) == sum(1 for e in entries if e.case == other_id)
    head = manifest["history"]["head"]
    assert head in (folder / "README.txt").read_text()


def test_an_earlier_head_can_be_checked_too(session, tmp_path):
    app, case_id, _, pack = session
    path = tmp_path / "p.zip"
    path.write_bytes(pack)
    entries, _ = run(app.history.entries())
    out = cli(str(path), "--head", entries[5].hash)
    assert out.returncode == 0 and "is entry 5: nothing up to it has changed" in out.stdout
    out = cli(str(path), "--head", "ab" * 32)
    assert out.returncode == 1 and "is not in this history" in out.stdout


# ---- mutations --------------------------------------------------------------------------------
def read(pack: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pack)) as z:
        return {n: z.read(n) for n in z.namelist()}


def write(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, b in files.items():
            z.writestr(n, b)
    return buf.getvalue()


def resum(files: dict[str, bytes], manifest: dict) -> None:
    """Make the manifest and SHA256SUMS agree with the files: a manifest that lies well."""
    for f in manifest["files"]:
        if f["name"] in files:
            f["sha256"] = hashlib.sha256(files[f["name"]]).hexdigest()
            f["size"] = len(files[f["name"]])
    files["manifest.json"] = json.dumps(manifest).encode()
    sums = "".join(f"{f['sha256']}  {f['name']}\n" for f in manifest["files"])
    sums += f"{hashlib.sha256(files['manifest.json']).hexdigest()}  manifest.json\n"
    files["SHA256SUMS"] = sums.encode()


def mutated(pack: bytes, how: str, n: int, other_pack: bytes) -> bytes:
    files = read(pack)
    manifest = json.loads(files["manifest.json"])
    pics = sorted(k for k in files if k.startswith("files/"))
    entries = manifest["history"]["entries"]
    k = n % len(entries)
    if how == "truncate":
        return pack[: max(1, n % len(pack))]
    if how == "flip a byte in a file":
        name = pics[n % len(pics)]
        b = bytearray(files[name])
        b[n % len(b)] ^= 0x01
        files[name] = bytes(b)
    elif how == "swap two files":
        a, b = pics[0], pics[1]
        files[a], files[b] = files[b], files[a]
    elif how == "swap a file, manifest and sums made to agree":
        files[pics[n % len(pics)]] = b"another picture entirely"
        resum(files, manifest)
    elif how == "remove a file":
        del files[pics[n % len(pics)]]
    elif how == "add a file":
        files["files/999-extra.jpg"] = b"slipped in"
    elif how == "manifest lies about a size":
        manifest["files"][1]["size"] += 1
        files["manifest.json"] = json.dumps(manifest).encode()
    elif how == "manifest drops a file":
        manifest["files"] = [f for f in manifest["files"] if f["name"] != pics[0]]
        files["manifest.json"] = json.dumps(manifest).encode()
    elif how == "remove an entry":
        del entries[k]
        resum(files, manifest)
    elif how == "reorder entries":
        j = (k + 1 + n // 7) % len(entries)
        if j == k:
            j = (k + 1) % len(entries)
        entries[k], entries[j] = entries[j], entries[k]
        resum(files, manifest)
    elif how == "edit an entry's words":
        e = next((e for e in entries[k:] + entries if "content" in e), entries[0])
        e["content"]["text"] += "!"
        resum(files, manifest)
    elif how == "edit an entry's time":
        entries[k]["at"] = "2025-01-01T00:00:00Z"
        resum(files, manifest)
    elif how == "cut the history short, head moved back":
        cut = max(1, k)
        manifest["history"]["entries"] = entries[:cut]
        manifest["history"]["head"] = entries[cut - 1]["hash"]
        manifest["history"]["count"] = cut
        manifest["history"]["last_at"] = entries[cut - 1]["at"]
        resum(files, manifest)
    elif how == "report from another record":
        files["report.pdf"] = read(other_pack)["report.pdf"]
        resum(files, manifest)
    elif how == "sums lie":
        files["SHA256SUMS"] = files["SHA256SUMS"].replace(b"a", b"b", 1)
    elif how == "manifest not JSON":
        files["manifest.json"] = b"{not json"
    elif how == "no manifest":
        del files["manifest.json"]
    return write(files)


HOW = (
    "truncate",
    "flip a byte in a file",
    "swap two files",
    "swap a file, manifest and sums made to agree",
    "remove a file",
    "add a file",
    "manifest lies about a size",
    "manifest drops a file",
    "remove an entry",
    "reorder entries",
    "edit an entry's words",
    "edit an entry's time",
    "cut the history short, head moved back",
    "report from another record",
    "sums lie",
    "manifest not JSON",
    "no manifest",
)


@pytest.fixture(scope="module")
def other_pack():
    app, case_id, _ = run(real_session())
    return run(app.reports.pack(case_id)).data


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(how=st.sampled_from(HOW), n=st.integers(min_value=0, max_value=10**6))
def test_every_change_to_a_pack_is_named(session, other_pack, how, n):
    pack = session[3]
    res = verify_pack(mutated(pack, how, n, other_pack))
    assert not res.ok, how
    assert res.problems and all(isinstance(p, str) and p for p in res.problems)
    assert "NOT INTACT" in res.report()


@pytest.mark.parametrize(
    "how,words",
    [
        ("flip a byte in a file", "SHA-256 does not match manifest.json"),
        ("swap a file, manifest and sums made to agree", "no entry of the history records"),
        ("remove a file", "missing from the pack"),
        ("add a file", "in the pack but not in manifest.json"),
        ("remove an entry", "History: "),
        ("edit an entry's words", "has been changed"),
        ("report from another record", "report.pdf gives the head hash"),
        ("truncate", "damaged or cut short"),
    ],
)
def test_the_command_says_exactly_what_does_not_match(session, other_pack, tmp_path, how, words):
    path = tmp_path / "p.zip"
    path.write_bytes(mutated(session[3], how, 5 if how != "truncate" else 1000, other_pack))
    out = cli(str(path))
    assert out.returncode == 1
    assert words in out.stdout, out.stdout
    assert "Traceback" not in out.stdout + out.stderr


# ---- encrypted backups ------------------------------------------------------------------------
def test_a_backup_is_checked_with_its_passphrase(session, tmp_path):
    app = session[0]
    backup = tmp_path / "backup.recourse"
    backup.write_bytes(run(app.backup.export()))
    pw = tmp_path / "pw.txt"
    pw.write_text(PASS + "\n")
    entries, _ = run(app.history.entries())
    out = cli(str(backup), "--passphrase-file", str(pw))
    assert out.returncode == 0, out.stdout
    assert out.stdout.startswith(f"intact: {len(entries)} entries from 2026-11-20 to 2026-11-20")
    assert "2 kept file(s) match their SHA-256" in out.stdout
    out = cli(str(backup), env={"RECOURSE_PASSPHRASE": "wrong"})
    assert out.returncode == 1 and "passphrase is wrong" in out.stdout
    backup.write_bytes(backup.read_bytes()[:-200])
    out = cli(str(backup), env={"RECOURSE_PASSPHRASE": PASS})
    assert out.returncode == 1 and "damaged or incomplete" in out.stdout


def test_a_backup_whose_history_lost_an_entry_is_named(tmp_path):
    """Made with the passphrase (so its own check code matches): only the chain can tell."""
    app, case_id, _ = run(real_session())
    vault, storage = app.session.vault, app.session.storage
    tag = run(vault._open_keys().type_tag(T_HISTORY))
    victim = next(
        r
        for r, (t, _b) in storage.data.items()
        if t == tag and run(vault.get(T_HISTORY, r))["seq"] == 4
    )
    del storage.data[victim]
    backup = tmp_path / "b.recourse"
    backup.write_bytes(run(app.backup.export()))
    out = cli(str(backup), env={"RECOURSE_PASSPHRASE": PASS})
    assert out.returncode == 1 and "Entry 4 is missing" in out.stdout


def test_a_backup_from_before_the_history_says_so():
    vectors = Path(__file__).parent / "vectors"
    expected = json.loads((vectors / "v1-app-expected.json").read_text())
    out = cli(
        str(vectors / "v1-app-backup.recourse"), env={"RECOURSE_PASSPHRASE": expected["passphrase"]}
    )
    assert out.returncode == 1 and "kept no history" in out.stdout


def test_not_a_file_and_not_a_pack():
    out = cli("/nonexistent/pack.zip")
    assert out.returncode == 2 and "Cannot read" in out.stderr
    out = cli(str(ROOT / "README.md"))
    assert out.returncode == 1 and "damaged or cut short" in out.stdout


@pytest.mark.parametrize(
    "name,expected",
    [
        ("screenshot 1.jpg", "screenshot_1.jpg"),
        ("Çà été ü.png", "Ca_ete_u.png"),
        ("../../etc/passwd", "etc_passwd"),
        ("屏幕截图.png", "file.png"),
        ("", "file"),
        ("a" * 200 + ".jpeg", "a" * 75 + ".jpeg"),
        ("no extension here", "no_extension_here"),
        (".hidden", "file.hidden"),
    ],
)
def test_file_names_in_a_pack_are_safe_everywhere(name, expected):
    assert safe_name(name) == expected


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    where=st.sampled_from(["manifest", "files", "history", "entries", "entry", "content", "case"]),
    value=json_values,
)
def test_any_manifest_at_all_is_named_never_a_crash(session, where, value):
    files = read(session[3])
    manifest = json.loads(files["manifest.json"])
    if where == "manifest":
        manifest = value
    elif where == "entries":
        manifest["history"]["entries"] = value
    elif where == "entry":
        manifest["history"]["entries"][1] = value
    elif where == "content":
        entry = next(e for e in manifest["history"]["entries"] if e.get("content"))
        entry["content"]["data"] = value
    else:
        manifest[where] = value
    files["manifest.json"] = json.dumps(manifest).encode()
    res = verify_pack(write(files))
    assert not res.ok and res.problems


@pytest.mark.parametrize(
    "evidence", ["abc", [1, None], [{"files": "x"}], [{"files": [3, {"sha256": 1}]}]]
)
def test_odd_but_well_hashed_history_data_is_read_without_a_crash(evidence):
    from datetime import UTC, datetime

    from pwa_app.domain.chain import make_content, next_entry
    from pwa_app.verify import _recorded_files

    t = datetime(2026, 11, 25, tzinfo=UTC)
    e0 = next_entry(None, t, make_content("history.started", "start"))
    e1 = next_entry(
        e0, t, make_content("case.existing", "as it stood", case="c", data={"evidence": evidence})
    )
    assert _recorded_files([e0, e1], "c") == set()


# ---- packs made by earlier versions keep checking (issue 22 changed the pack) -------------------
V1_PACK = ROOT / "tests" / "vectors" / "v1-pack.zip"  # made by Recourse 0.2.1 (pack version 1)


def _rewritten(pack: bytes, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(pack))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            out.writestr(info, change(info.filename, src.read(info.filename)))
    return buf.getvalue()


def test_a_version_1_pack_still_checks_and_its_readme_is_still_guarded():
    pack = V1_PACK.read_bytes()
    assert json.loads(zipfile.ZipFile(io.BytesIO(pack)).read("manifest.json"))["version"] == 1
    assert verify_pack(pack).ok, verify_pack(pack).problems
    # Before 0.2.1 SHA256SUMS did not list README.txt: it is checked by writing it again.
    older = _rewritten(
        pack,
        lambda name, blob: (
            b"".join(line for line in blob.splitlines(True) if not line.endswith(b"README.txt\n"))
            if name == "SHA256SUMS"
            else blob
        ),
    )
    assert verify_pack(older).ok, verify_pack(older).problems
    edited = _rewritten(
        older,
        lambda name, blob: (
            blob.replace(b"sha256sum", b"md5sum") if name == "README.txt" else blob
        ),  # fmt: skip
    )
    res = verify_pack(edited)
    assert not res.ok and any("README.txt is not what Recourse wrote" in p for p in res.problems)
