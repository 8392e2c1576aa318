"""The tamper-evident history: its format, every change writing an entry in the same
transaction, existing vaults, the in-app check, and the report's history."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import FAST_KDF, run
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sessions import Clock, fork, real_session

from pwa_app.domain.chain import (
    GENESIS_PREV,
    ChainError,
    HistoryEntry,
    canonical,
    make_content,
    next_entry,
    verify_chain,
)
from pwa_app.services import Services
from pwa_app.services.records import T_HISTORY
from pwa_app.vault import MemoryStorage, SqliteStorage, StorageFull, WriteConflict

VECTORS = Path(__file__).parent / "vectors"
T0 = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


# ---- the format -------------------------------------------------------------------------------
def test_the_format_is_what_the_docs_say_byte_for_byte():
    """Written out by hand, not by the code under test: anyone can recompute these hashes
    with any JSON-free tool (docs/history-format.md)."""
    c0 = make_content(
        "history.started",
        "The tamper-evident history of this record starts here.",
        data={"reason": "new", "app": "Recourse 0.2.0"},
    )
    e0 = next_entry(None, T0, c0)
    c1 = make_content(
        "evidence.logged",
        "Evidence logged: https://example.org/ü",
        case="c1",
        record="e1",
        data={"url": "https://example.org/ü"},
    )
    e1 = next_entry(e0, T0 + timedelta(minutes=1), c1)
    content1 = (
        '{"case":"c1","data":{"url":"https://example.org/ü"},"event":"evidence.logged",'
        '"record":"e1","text":"Evidence logged: https://example.org/ü"}'
    ).encode()
    assert canonical(c1) == content1
    assert e1.content_sha256 == hashlib.sha256(content1).hexdigest()
    core1 = (
        f'{{"at":"2026-11-25T09:31:00Z","content_sha256":"{e1.content_sha256}",'
        f'"prev":"{e0.hash}","seq":1,"v":1}}'
    ).encode()
    assert e1.hash == hashlib.sha256(core1).hexdigest()
    assert e0.prev == GENESIS_PREV == "0" * 64
    # Pinned: a change to the format breaks every record people have handed over.
    assert e0.hash == "ac8d60726e7a24908c14d5a78dc98acbe2d1353862522df36a253d9433b3ced2"
    assert e1.hash == "e400807aecdac94a1809e8cc2a77226ae5d2802144b9051eed7f0a3c3efc9ad0"


def chain_of(n: int) -> list[HistoryEntry]:
    entries = [
        next_entry(None, T0, make_content("history.started", "start", data={"reason": "new"}))
    ]
    for i in range(1, n):
        entries.append(
            next_entry(
                entries[-1],
                T0 + timedelta(minutes=i),
                make_content("note.added", f"note {i}", case="c", record=f"r{i}"),
            )
        )
    return entries


def test_a_whole_chain_checks_and_summarises():
    chain = chain_of(5)
    s = verify_chain(chain, chain[-1].hash)
    assert (s.count, s.head, s.first_at, s.last_at) == (
        5,
        chain[-1].hash,
        "2026-11-25T09:30:00Z",
        "2026-11-25T09:34:00Z",
    )
    assert s.line() == "intact: 5 entries from 2026-11-25 to 2026-11-25"
    # Redacted entries (content left out) still link up.
    assert verify_chain([e.redacted() for e in chain], chain[-1].hash).count == 5
    # Round trip through JSON, as in a pack.
    back = [HistoryEntry.from_dict(json.loads(json.dumps(e.to_dict()))) for e in chain]
    assert verify_chain(back).head == chain[-1].hash


MUTATIONS = (
    "edit text",
    "edit time",
    "edit number",
    "remove",
    "swap",
    "duplicate",
    "forge",
    "drop end",
    "add end",
    "rehash edited",
)


def mutate(chain: list[HistoryEntry], how: str, i: int, j: int) -> list[HistoryEntry]:
    c = list(chain)
    e = c[i]
    if how == "edit text":
        content = dict(e.content or {}, text=(e.text or "") + " (changed)")
        c[i] = replace(e, content=content)
    elif how == "edit time":
        c[i] = replace(e, at="2030-01-01T00:00:00Z")
    elif how == "edit number":
        c[i] = replace(e, seq=e.seq + 7)
    elif how == "remove":
        del c[i]
    elif how == "swap":
        j = j if j != i else (i + 1) % len(c)
        c[i], c[j] = c[j], c[i]
    elif how == "duplicate":
        c.insert(i, e)
    elif how == "forge":  # a well-formed entry slipped in, linking to the one before it
        forged = next_entry(c[i - 1] if i else None, T0, make_content("note.added", "forged"))
        c.insert(i, forged)
    elif how == "drop end":
        c = c[:-1]
    elif how == "add end":
        c.append(next_entry(c[-1], T0, make_content("note.added", "added after")))
    elif how == "rehash edited":  # content edited and its content hash recomputed, entry rehashed
        content = dict(e.content or {}, text="rewritten")
        c[i] = next_entry(c[i - 1] if i else None, T0, content)
    return c


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=12),
    how=st.sampled_from(MUTATIONS),
    data=st.data(),
)
def test_every_change_to_a_chain_is_caught(n, how, data):
    chain = chain_of(n)
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    j = data.draw(st.integers(min_value=0, max_value=n - 1))
    if how in ("swap",) and n < 2:
        return
    changed = mutate(chain, how, i, j)
    with pytest.raises(ChainError) as ei:
        verify_chain(changed, chain[-1].hash)  # the head the report and the manifest hold
    assert str(ei.value)  # always says what


@pytest.mark.parametrize(
    "bad",
    [
        None,
        [],
        {"v": 2, "seq": 0},
        {"v": 1, "seq": -1},
        {"v": 1, "seq": True},
        {"v": 1, "seq": 0, "at": "yesterday"},
        {"v": 1, "seq": 0, "at": "2026-13-40T00:00:00Z"},
        {"v": 1, "seq": 0, "at": "2026-11-25T09:30:00Z", "prev": "x"},
    ],
)
def test_malformed_entries_are_named_never_a_crash(bad):
    with pytest.raises(ChainError):
        HistoryEntry.from_dict(bad)


# ---- the history in the vault -----------------------------------------------------------------
def test_every_change_to_the_record_appends_an_entry():
    app, case_id, other_id = run(real_session())
    entries, damaged = run(app.history.entries())
    assert damaged == 0
    events = [e.event for e in entries]
    assert events[0] == "history.started" and entries[0].data["reason"] == "new"
    for event in (
        "case.started",
        "case.number_added",
        "evidence.logged",
        "file.added",
        "file.removed",
        "request.sent",
        "request.updated",
        "evidence.status",
        "note.added",
        "followup.done",
    ):
        assert event in events, event
    # Each status change is there, with the fingerprints of the files of what was removed.
    # (Marking the request removed marked both its addresses removed: issue 23.)
    removed = {
        e.data["url"]: e
        for e in entries
        if e.event == "evidence.status" and e.data["to"] == "removed"
    }
    assert len(removed) == 2 and len(removed["https://bad.example/a"].data["files"]) == 2
    assert all(len(f["sha256"]) == 64 for f in removed["https://bad.example/a"].data["files"])
    sent = next(e for e in entries if e.event == "request.sent")
    assert len(sent.data["text_sha256"]) == 64
    assert [e.seq for e in entries] == list(range(len(entries)))
    summary = verify_chain(entries, run(app.history.head()).hash)
    assert summary.count == len(entries)
    check = run(app.history.check())
    assert check.ok and check.files == 2 and check.line().startswith("intact: ")


def test_entries_are_never_rewritten():
    app, case_id, _ = run(real_session())
    storage = app.session.storage
    tag = run(app.session.vault._open_keys().type_tag(T_HISTORY))
    before = {rid: blob for rid, (t, blob) in storage.data.items() if t == tag}
    run(app.evidence.log(case_id, "https://later.example/", "Later", None))
    run(app.cases.add_note(case_id, "later note"))
    after = {rid: blob for rid, (t, blob) in storage.data.items() if t == tag}
    assert len(after) == len(before) + 2
    assert all(after[rid] == blob for rid, blob in before.items())


def test_a_change_and_its_entry_are_one_transaction():
    class Failing(MemoryStorage):
        fail = False

        async def put_many(self, rows, deletes=(), expect=None):
            if self.fail:
                raise StorageFull()
            await super().put_many(rows, deletes, expect)

    storage = Failing()
    app = Services(storage, kdf=FAST_KDF, min_score=0)
    run(app.session.create("pw"))
    case = run(app.cases.ensure())
    head = run(app.history.head())
    rows_before = dict(storage.data)
    storage.fail = True
    with pytest.raises(StorageFull):
        run(app.evidence.log(case.id, "https://x.example/", "X", None))
    assert storage.data == rows_before  # neither the entry nor its history
    assert run(app.history.head()) == head
    storage.fail = False
    assert run(app.evidence.log(case.id, "https://x.example/", "X", None))[0].ok
    assert run(app.history.check()).ok


def test_an_existing_vault_starts_its_history_at_its_first_unlock(tmp_path):
    """The committed app vector was written before the history existed."""
    expected = json.loads((VECTORS / "v1-app-expected.json").read_text())
    data = (VECTORS / "v1-app-backup.recourse").read_bytes()
    app = Services(MemoryStorage(), clock=lambda: datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    run(app.backup.restore(data, expected["passphrase"]))
    entries, _ = run(app.history.entries())
    assert entries[0].event == "history.started" and entries[0].data["reason"] == "existing"
    existing = [e for e in entries if e.event == "case.existing"]
    assert len(existing) == 1
    stood = existing[0].data
    assert stood["case"]["title"] == expected["case"]
    assert stood["evidence"][0]["url"] == expected["url"]
    assert stood["evidence"][0]["files"][0]["sha256"] == expected["attachment"]["sha256"]
    assert stood["requests"][0]["recipient"] == expected["request_recipient"]
    # Unlocking again does not start it again.
    app.session.lock()
    run(app.session.unlock(expected["passphrase"]))
    assert len(run(app.history.entries())[0]) == len(entries)
    case_id = existing[0].case
    pdf = run(app.reports.report(case_id)).data
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "The history runs from 2026-12-01" in text


def test_a_lost_head_record_never_restarts_the_history():
    app, case_id, _ = run(real_session())
    n = len(run(app.history.entries())[0])
    run(app.session.vault.delete(run(app.session.single_id("history-head"))))
    app.session.lock()
    run(app.session.unlock("pw"))
    run(app.cases.add_note(case_id, "after"))
    entries, _ = run(app.history.entries())
    assert len(entries) == n + 1 and run(app.history.check()).ok


def test_the_check_in_the_app_names_what_does_not_match():
    app, case_id, _ = run(real_session())
    storage, vault = app.session.storage, app.session.vault
    # A kept file replaced by other bytes (sealed properly, so only the hash can tell).
    item = next(e for e in run(app.evidence.all(case_id)) if e.attachments)
    att = item.attachments[0]
    rid, tag, blob = run(vault.seal_row("file", att.blob_id, b"other bytes"))
    good = storage.data[att.blob_id]
    storage.data[rid] = (tag, blob)
    check = run(app.history.check())
    assert not check.ok and att.filename in check.problem and "SHA-256" in check.problem
    storage.data[att.blob_id] = good
    assert run(app.history.check()).ok
    # An entry deleted from the vault.
    entries, _ = run(app.history.entries())
    tag = run(vault._open_keys().type_tag(T_HISTORY))
    victim = next(
        r
        for r, (t, b) in storage.data.items()
        if t == tag and run(vault.get(T_HISTORY, r))["seq"] == 3
    )
    del storage.data[victim]
    check = run(app.history.check())
    assert not check.ok and "Entry 3 is missing" in check.problem


def test_the_report_shows_each_entry_with_time_and_short_hash_and_the_head_first():
    app, case_id, other_id = run(real_session())
    pdf = run(app.reports.report(case_id)).data
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0].extract_text()
    head = run(app.history.head())
    entries, _ = run(app.history.entries())
    assert head.hash in first.replace("\n", "")
    assert f"{len(entries)} entries from 2026-11-20 to 2026-11-20" in first
    assert "sha256sum -c SHA256SUMS" in first and "python3 -m pwa_app verify" in first
    text = " ".join(p.extract_text() for p in reader.pages)
    mine = [e for e in entries if e.about(case_id)]
    for e in mine:
        assert f"#{e.short}" in text
        assert e.at[:16].replace("T", " ") in text
    assert "private.example" not in text  # the other case stays out
    keywords = reader.xmp_metadata.pdf_keywords or ""
    assert keywords.startswith("recourse-history-head:" + head.hash)


# ---- two windows at once (issue 23) -------------------------------------------------------------
def two_windows(storage) -> tuple[Services, Services, str]:
    """Two sessions of the app open on one vault, as two browser windows or a split screen."""
    a = Services(storage, clock=Clock(), kdf=FAST_KDF, min_score=0)
    run(a.session.create("pw"))
    case = run(a.cases.ensure())
    b = Services(storage, clock=Clock(), kdf=FAST_KDF, min_score=0)
    run(b.session.unlock("pw"))
    # each has read the head once, as an open window has
    assert run(a.history.head()).hash == run(b.history.head()).hash
    return a, b, case.id


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_two_windows_saving_one_after_the_other_never_fork_the_history(kind, tmp_path):
    storage = MemoryStorage() if kind == "memory" else SqliteStorage(tmp_path)
    a, b, case_id = two_windows(storage)
    assert run(a.evidence.log(case_id, "https://one.example/", "One", None))[0].ok
    assert run(b.evidence.log(case_id, "https://two.example/", "Two", None))[0].ok
    assert run(a.cases.add_note(case_id, "from A again")).ok
    for app in (a, b):
        check = run(app.history.check())
        assert check.ok, check.problem
        entries, _ = run(app.history.entries())
        assert [e.seq for e in entries] == list(range(len(entries)))


def test_two_windows_saving_at_the_same_moment_never_fork_the_history():
    async def both() -> None:
        storage = MemoryStorage()
        a = Services(storage, kdf=FAST_KDF, min_score=0)
        await a.session.create("pw")
        case = await a.cases.ensure()
        b = Services(storage, kdf=FAST_KDF, min_score=0)
        await b.session.unlock("pw")
        await asyncio.gather(
            *(
                app.evidence.log(case.id, f"https://{name}{i}.example/", name, None)
                for i in range(5)
                for app, name in ((a, "a"), (b, "b"))
            )
        )
        check = await a.history.check()
        assert check.ok, check.problem
        assert check.summary.count == 1 + 1 + 10  # started, case, ten addresses

    asyncio.run(both())


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_conditional_write_refuses_when_the_record_changed_and_writes_nothing(kind, tmp_path):
    storage = MemoryStorage() if kind == "memory" else SqliteStorage(tmp_path)
    run(storage.put("head", "t", b"one"))
    with pytest.raises(WriteConflict):
        run(storage.put_many([("x", "t", b"new")], ("head",), expect={"head": b"stale"}))
    with pytest.raises(WriteConflict):
        run(storage.put_many([("x", "t", b"new")], expect={"absent": b"something"}))
    assert run(storage.get("x")) is None and run(storage.get("head")) == ("t", b"one")
    run(storage.put_many([("x", "t", b"new")], expect={"head": b"one", "absent": None}))
    assert run(storage.get("x")) == ("t", b"new")


def test_a_forked_history_is_named_joined_by_one_entry_and_then_checks_out():
    app, case_id, _ = run(real_session())
    run(fork(app, case_id))
    entries_before, _ = run(app.history.entries())
    check = run(app.history.check())
    assert not check.ok and check.fork is not None
    assert "forked at entry" in check.problem and "two windows" in check.problem
    assert check.fork.at.startswith("2026-11-20")
    assert [e.data.get("url") for e in check.fork.entries] == ["https://fork.example/a"]
    joined = run(app.history.join())
    assert joined.ok, joined.problem
    assert "forked at entry" in joined.line() and "joined by entry" in joined.line()
    entries, _ = run(app.history.entries())
    merged = entries[-1]
    assert merged.event == "history.merged"
    assert [x["hash"] for x in merged.data["entries"]] == [e.hash for e in check.fork.entries]
    # nothing was rewritten: every entry from before is still there, byte for byte
    assert {e.hash for e in entries_before} <= {e.hash for e in entries}
    assert len(entries) == len(entries_before) + 1
    # and the record goes on as usual
    assert run(app.cases.add_note(case_id, "later")).ok
    assert run(app.history.check()).ok


def test_a_fork_cannot_be_joined_by_an_entry_that_lists_other_hashes():
    app, case_id, _ = run(real_session())
    run(fork(app, case_id))
    fake = make_content("history.merged", "joined", data={"entries": [{"hash": "0" * 64}]})
    run(app.session.commit([], events=(fake,)))
    check = run(app.history.check())
    assert not check.ok and check.fork is not None


def test_the_report_is_made_when_the_history_does_not_check_out_and_says_so_first():
    app, case_id, _ = run(real_session())
    run(fork(app, case_id))
    pdf = run(app.reports.report(case_id)).data
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace("\n", " ")
    assert "does not check out" in first
    assert "forked at entry" in first and "2026-11-20" in first
    assert "Head hash" not in first
    pack = run(app.reports.pack(case_id)).data
    assert b"report.pdf" in pack  # the pack is made too; the verifier names the problem
    run(app.history.join())
    first = PdfReader(io.BytesIO(run(app.reports.report(case_id)).data)).pages[0].extract_text()
    first = first.replace("\n", " ")
    assert "does not check out" not in first and "Head hash" in first
    assert "forked at entry" in first and "joins them" in first


def test_the_verifier_names_an_unjoined_fork_and_passes_a_joined_one():
    from pwa_app.verify import verify_pack

    app, case_id, _ = run(real_session())
    run(fork(app, case_id))
    res = verify_pack(run(app.reports.pack(case_id)).data)
    assert not res.ok
    assert any("no head hash" in p or "forked" in p for p in res.problems), res.problems
    run(app.history.join())
    res = verify_pack(run(app.reports.pack(case_id)).data)
    assert res.ok, res.problems
    assert "joined by entry" in res.report()


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
def test_an_entry_time_reads_as_strptime_reads_it(dt):
    from pwa_app.domain.chain import parse_at

    at = dt.strftime("%Y-%m-%dT%H:%M:%SZ") if dt.year >= 1000 else None
    if at is None:
        return
    expected = datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert parse_at(at) == expected


def test_an_entry_time_that_does_not_exist_is_refused():
    from pwa_app.domain.chain import parse_at

    for bad in ("2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-30T23:59:60Z"):
        with pytest.raises(ValueError):
            parse_at(bad)


def test_a_report_in_spanish_says_what_is_wrong_with_the_history_in_spanish():
    """What does not check out (a fork; an entry whose record no longer opens) is said on the
    report's first page in the report's language; the English report says it as before."""
    from pwa_app import i18n

    app, case_id, _ = run(real_session())
    run(fork(app, case_id))
    spanish = i18n.translator_for("es")

    def first_page(say=None) -> str:
        pdf = run(app.reports.report(case_id, say=say)).data
        return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())

    first = first_page(spanish)
    assert "El historial de este expediente no es correcto" in first
    assert "El historial se bifurcó en la entrada" in first, first
    assert "does not check out" not in first and "forked" not in first
    run(app.history.join())
    # one entry's record spoilt where it is kept: it no longer opens
    storage, vault = app.session.storage, app.session.vault
    tag = run(vault._open_keys().type_tag(T_HISTORY))
    victim = next(r for r, (t, _b) in storage.data.items() if t == tag)
    t, blob = storage.data[victim]
    storage.data[victim] = (t, blob[:-1] + bytes([blob[-1] ^ 1]))
    first = first_page(spanish)
    assert "No se pudo abrir 1 entrada del historial" in first, first
    first = first_page()
    assert "1 history entry could not be opened: the stored record was damaged" in first
