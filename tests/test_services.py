"""The service layer with a fake (in-memory) store and a fixed clock."""

import asyncio
import dataclasses
import io
from datetime import UTC, datetime, timedelta

import pytest
from conftest import FAST_KDF, run
from PIL import Image
from pypdf import PdfReader

from pwa_app.domain import DomainError
from pwa_app.photo import inspect_image, strip_metadata
from pwa_app.services import Services, Settings, Throttle, TooManyAttempts
from pwa_app.vault import MemoryStorage, VaultLocked, WrongPassphrase

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def svc():
    s = Services(MemoryStorage(), clock=lambda: NOW, kdf=FAST_KDF, min_score=0)
    run(s.session.create("pw"))
    return s


def test_evidence_first_then_request_then_followups_and_report():
    s = svc()
    case = run(s.cases.ensure())
    res, item = run(s.evidence.log(case.id, "https://x.org/a", "X", NOW - timedelta(hours=1)))
    assert res.ok
    assert run(s.evidence.unlogged(case.id, ["https://x.org/a", "https://x.org/b"])) == [
        "https://x.org/b"
    ]
    values = {
        "full_name": "A B",
        "email": "a@b.org",
        "urls": "https://x.org/a",
        "description": "photos",
        "recipient": "X Corp",
        "image_kind": "forgery",
    }
    assert s.requests.check("take_it_down", values) == {}
    notice = s.requests.render("take_it_down", values)
    req = run(s.requests.mark_sent(case.id, notice))
    assert req.due_at == NOW + timedelta(hours=48)
    assert run(s.evidence.all())[0].status == "reported"
    s.session.clock = lambda: NOW + timedelta(hours=49)
    fus = run(s.overview.follow_ups())
    assert fus[0].overdue and "48-hour" in fus[0].text
    gdpr = s.requests.render(
        "gdpr17",
        {**values, "gdpr_ground": "d", "recipient": "Org Ltd", "urls": "https://x.org/c"},
    )
    g = run(s.requests.mark_sent(case.id, gdpr))
    assert [label for label, _ in g.deadlines] == [
        "Reply due (one month)",
        "Latest reply if they extended the time",
    ]
    assert g.deadlines[0][1].month == (s.clock().month % 12) + 1
    assert run(s.cases.add_number(case.id, "police", "Met", "CAD 7", "2026-11-20", "")).ok
    assert not run(s.cases.add_number(case.id, "police", "Met", "", "", "")).ok
    assert run(s.overview.search("cad 7"))[0][0] == "Case number"
    progress = []
    pdf = run(s.reports.report(case.id, progress=progress.append)).data
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "CAD 7" in text and "https://x.org/a" in text and "TAKE IT DOWN" in text
    assert progress and progress[-1] == 1.0 and progress == sorted(progress)


def test_follow_ups_dealt_with_leave_the_list_and_the_history_keeps_them():
    now = [NOW]
    s = Services(MemoryStorage(), clock=lambda: now[0], kdf=FAST_KDF, min_score=0)
    run(s.session.create("pw"))
    case = run(s.cases.ensure())
    _, item = run(s.evidence.log(case.id, "https://x.org/a", "X", None))
    assert not run(s.evidence.still_gone(item.id)).ok  # not removed: nothing to check
    values = {"recipient": "Org", "urls": "https://x.org/a", "description": "photos"}
    req = run(s.requests.mark_sent(case.id, s.requests.render("platform", values)))
    label = req.deadlines[0][0]
    assert [f.label for f in run(s.overview.follow_ups()) if f.request_id] == [label]
    assert run(s.requests.follow_up_done(req.id, label)).ok
    assert not [f for f in run(s.overview.follow_ups()) if f.request_id]
    refused = run(s.requests.follow_up_done(req.id, label))
    assert not refused.ok and "no longer open" in refused.errors["deadline"]
    assert run(s.requests.follow_up_done(req.id, label, done=False)).ok  # a mistake, undone
    assert [f.label for f in run(s.overview.follow_ups()) if f.request_id] == [label]
    assert run(s.requests.follow_up_done(req.id, label)).ok
    assert not run(s.requests.follow_up_done("nope", label)).ok
    # Removed, then looked at again 31 days later: the next look is 30 days after that.
    assert run(s.evidence.set_status(item.id, "removed")).ok
    now[0] = NOW + timedelta(days=31)
    (due,) = run(s.overview.follow_ups())
    assert due.recheck and due.overdue
    assert run(s.evidence.still_gone(item.id)).ok
    (due,) = run(s.overview.follow_ups())
    assert not due.overdue and due.when == now[0] + timedelta(days=30)
    done = [e for e in run(s.history.entries())[0] if e.event.startswith("followup.")]
    assert [(e.event, e.data.get("deadline")) for e in done] == [
        ("followup.done", label),
        ("followup.reopened", label),
        ("followup.done", label),
        ("followup.done", None),
    ]
    assert done[-1].data["url"] == "https://x.org/a" and done[-1].record == item.id
    notes = [t.text for t in run(s.overview.snapshot()).timeline]
    assert any("Follow-up done" in t for t in notes) and any("still gone" in t for t in notes)
    assert run(s.history.check()).ok


def test_several_cases_each_keep_their_own_records_and_the_choice_survives_lock():
    s = svc()
    first = run(s.cases.ensure())
    run(s.evidence.log(first.id, "https://one.example/a", "X", NOW - timedelta(hours=2)))
    res, none = run(s.cases.new("   "))
    assert not res.ok and "title" in res.errors and none is None
    assert len(run(s.cases.all())) == 1  # nothing saved for a refused case
    res, second = run(s.cases.new("Second site", "UK"))
    assert res.ok and second.jurisdiction == "UK"
    run(s.evidence.log(second.id, "https://two.example/b", "Y", NOW - timedelta(hours=1)))

    snap = run(s.overview.snapshot())
    assert snap.case.id == second.id  # a new case becomes the one shown
    assert [e.url for e in snap.evidence] == ["https://two.example/b"]
    assert [t.text for t in snap.timeline] == ["Case started: Second site"]
    # follow-ups and search span every case, and say which case each belongs to
    assert {f.case_id for f in snap.followups} == {first.id, second.id}
    hits = run(s.overview.search("example"))
    assert {w for w, _ in hits} == {
        f"Evidence (case: {first.title})",
        "Evidence (case: Second site)",
    }
    assert len(hits) == 2

    run(s.cases.select(first.id))
    assert not run(s.cases.edit(first.id, "", "")).ok
    assert run(s.cases.edit(first.id, "First site", "US-CA")).ok
    s.session.lock()
    run(s.session.unlock("pw"))
    snap = run(s.overview.snapshot())
    assert (snap.case.title, snap.case.jurisdiction) == ("First site", "US-CA")
    assert [e.url for e in snap.evidence] == ["https://one.example/a"]
    assert len(snap.cases) == 2
    with pytest.raises(KeyError):
        run(s.cases.select("no-such-case"))


def test_remove_an_attachment_or_an_entry_keeps_a_timeline_line_and_frees_the_bytes():
    s = svc()
    case = run(s.cases.ensure())
    _, keep = run(s.evidence.log(case.id, "https://x.org/keep", "X", NOW - timedelta(hours=1)))
    _, gone = run(s.evidence.log(case.id, "https://x.org/gone", "X", NOW - timedelta(hours=1)))
    assert run(s.evidence.attach(keep.id, "a.png", b"first file", "image/png")).ok
    assert run(s.evidence.attach(keep.id, "b.png", b"second file", "image/png")).ok
    assert run(s.evidence.attach(gone.id, "c.png", b"third file", "image/png")).ok
    item = next(e for e in run(s.evidence.all()) if e.id == keep.id)
    a_id, b_id = (x.blob_id for x in item.attachments)
    c_id = next(e for e in run(s.evidence.all()) if e.id == gone.id).attachments[0].blob_id

    assert run(s.evidence.remove_file(keep.id, a_id)).ok
    assert not run(s.evidence.remove_file(keep.id, a_id)).ok  # twice: a clear message, no crash
    item = next(e for e in run(s.evidence.all()) if e.id == keep.id)
    assert [x.filename for x in item.attachments] == ["b.png"]
    assert run(s.evidence.file_bytes(a_id)) is None
    assert run(s.evidence.file_bytes(b_id)) == b"second file"

    assert run(s.evidence.remove(gone.id)).ok
    assert not run(s.evidence.remove(gone.id)).ok
    assert [e.url for e in run(s.evidence.all())] == ["https://x.org/keep"]
    assert run(s.evidence.file_bytes(c_id)) is None
    lines = [t.text for t in run(s.cases.timeline(case.id))]
    assert any("a.png" in t and "SHA-256" in t for t in lines)
    assert "Removed from the evidence log: https://x.org/gone" in lines


def test_bad_evidence_reports_every_field_and_saves_nothing():
    s = svc()
    case = run(s.cases.ensure())
    res, item = run(s.evidence.log(case.id, "nope", "X" * 600, NOW + timedelta(days=2)))
    assert not res.ok and item is None
    assert {"url", "found_at", "platform"} <= set(res.errors)
    assert run(s.evidence.all()) == []


def test_attachment_hash_and_bytes_only_in_vault_and_report_leaves_images_out():
    s = svc()
    case = run(s.cases.ensure())
    _, item = run(s.evidence.log(case.id, "https://x.org/a", "X", NOW))
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buf, "PNG")
    data = buf.getvalue()
    assert run(s.evidence.attach(item.id, "shot.png", data, "image/png")).ok
    att = run(s.evidence.all())[0].attachments[0]
    import hashlib

    assert att.sha256 == hashlib.sha256(data).hexdigest()
    assert run(s.evidence.file_bytes(att.blob_id)) == data
    assert all(data not in blob for _, (_, blob) in s.session.storage.data.items())
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(run(s.reports.report(case.id)).data)).pages
    )
    assert att.sha256 in text and "not shown in this report, by choice" in text

    def images(pdf):
        return sum(len(p.images) for p in PdfReader(io.BytesIO(pdf)).pages)

    assert images(run(s.reports.report(case.id)).data) == 0
    assert images(run(s.reports.report(case.id, include_images=True)).data) == 1
    assert not run(s.evidence.attach(item.id, "empty", b"", "x")).ok


def test_checklist_steps_settings_survive_lock_and_lock_drops_everything():
    s = svc()
    run(s.prefs.set_checklist("fb-tagging", True))
    run(s.prefs.set_step("support-hotline", True))
    run(s.prefs.save_settings(Settings(auto_lock_minutes=2, country="UK")))
    s.session.lock()
    with pytest.raises(VaultLocked):
        run(s.prefs.checklist())
    run(s.session.unlock("pw"))
    assert "fb-tagging" in run(s.prefs.checklist()).done
    assert "support-hotline" in run(s.prefs.steps()).done
    assert run(s.prefs.settings()).auto_lock_minutes == 2


def test_wrong_passphrases_slow_down_but_never_wipe():
    s = svc()
    s.session.lock()
    t = [0.0]
    s.session.throttle = Throttle(clock=lambda: t[0])
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            run(s.session.unlock("nope"))
    with pytest.raises(TooManyAttempts):
        run(s.session.unlock("pw"))
    t[0] += 2
    run(s.session.unlock("pw"))
    assert s.session.unlocked and s.session.storage.meta is not None


def test_photo_metadata_found_and_removed():
    im = Image.new("RGB", (30, 20), "red")
    ex = Image.Exif()
    ex[271], ex[272] = "Acme", "Phone 9"
    ex[34853] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 30.0)}
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=ex)
    info = inspect_image(buf.getvalue())
    assert (
        info.ok
        and any("GPS" in r for r in info.revealing)
        and any("Acme" in r for r in info.revealing)
    )
    clean = strip_metadata(buf.getvalue())
    assert inspect_image(clean).revealing == []
    assert not inspect_image(b"GIF89a not really").ok


def test_auto_lock_and_background_lock():
    from pwa_app.ui.state import Actions, ScreenState

    class Page:
        title, route = "", "/"

        def update(self):
            pass

        def navigate(self, r):
            self.route = r

    s = svc()
    a = Actions(page=Page(), store=ScreenState(), services=s)
    run(a.opened())
    assert a.store.phase == "open" and a.store.cases
    a.last_activity -= 6 * 60
    a.store.settings.auto_lock_minutes = 5

    async def one_tick():
        task = asyncio.create_task(a.auto_lock_loop())
        await asyncio.sleep(2.2)
        task.cancel()

    run(one_tick())
    assert a.store.phase == "unlock" and not s.session.unlocked and a.store.cases == []
    run(s.session.unlock("pw"))
    run(a.opened())
    a.quick_exit()
    assert a.store.phase == "decoy" and a.page.route == "/notes" and a.page.title == "Notes"
    assert not s.session.unlocked and a.store.evidence == [] and a.store.profile == {}

    # a phone's file picker sends the app to the background: that alone does not lock it
    run(s.session.unlock("pw"))
    run(a.opened())
    a.pick_trip = "asked"
    a.went_to_background()
    a.went_to_background()  # (a phone says it in steps: hidden, then paused)
    assert a.store.phase == "open" and s.session.unlocked
    a.pick_trip = ""
    a.went_to_background()
    assert a.store.phase == "unlock" and not s.session.unlocked
    assert "background" in a.store.message

    # ...one trip: back on screen, the next time away locks, even with the picker never
    # having said it closed (no "cancel" event in older browsers)
    run(s.session.unlock("pw"))
    run(a.opened())
    a.pick_trip = "asked"
    a.came_back()  # (a computer's picker only takes the focus: nothing was away)
    a.went_to_background()
    assert a.store.phase == "open"
    a.came_back()
    a.went_to_background()
    assert a.store.phase == "unlock" and not s.session.unlocked
    # ...nor does one left open before a lock, once the vault is opened again
    a.pick_trip = "asked"
    a.quick_exit()
    run(s.session.unlock("pw"))
    run(a.opened())
    a.went_to_background()
    assert a.store.phase == "unlock" and not s.session.unlocked


def test_attachments_are_raw_sealed_bytes_and_older_base64_ones_still_open():
    import base64

    from pwa_app.vault.envelope import padded_size

    s = svc()
    case = run(s.cases.ensure())
    _, item = run(s.evidence.log(case.id, "https://x.org/a", "X", NOW))
    data = bytes(range(256)) * 40
    assert run(s.evidence.attach(item.id, "f.bin", data, "application/octet-stream")).ok
    att = run(s.evidence.all())[0].attachments[0]
    tag, blob = s.session.storage.data[att.blob_id]
    # the bytes themselves, padded to their size class and sealed: no base64
    assert len(blob) == 1 + 12 + padded_size(4 + len(data)) + 16
    assert run(s.evidence.file_bytes(att.blob_id)) == data
    # a file saved by an earlier version, base64 inside a JSON record, still opens
    run(s.session.vault.put("blob", "old1", {"b64": base64.b64encode(b"older bytes").decode()}))
    assert run(s.evidence.file_bytes("old1")) == b"older bytes"
    assert run(s.evidence.file_bytes("missing")) is None


def test_a_vault_in_the_old_storage_is_moved_checked_then_removed():
    old = MemoryStorage()
    before = Services(old, clock=lambda: NOW, kdf=FAST_KDF, min_score=0)
    run(before.session.create("pw"))
    case = run(before.cases.ensure())
    run(before.evidence.log(case.id, "https://x.org/moved", "X", NOW))

    class Legacy(MemoryStorage):
        removed = False

        async def remove_vault(self):
            self.removed = True
            self.data.clear()
            self.meta = None

    legacy = Legacy()
    legacy.meta, legacy.data = old.meta, dict(old.data)
    new = MemoryStorage()
    s = Services(new, clock=lambda: NOW, kdf=FAST_KDF, min_score=0, legacy=legacy)
    assert run(s.session.has_vault())
    with pytest.raises(WrongPassphrase):
        run(s.session.unlock("wrong"))
    assert new.meta is None and legacy.data  # nothing moved, nothing removed
    run(s.session.unlock("pw"))
    assert [e.url for e in run(s.evidence.all())] == ["https://x.org/moved"]
    assert legacy.removed and new.meta == old.meta and new.data == old.data
    s.session.lock()
    run(s.session.unlock("pw"))  # from the new storage now
    assert [e.url for e in run(s.evidence.all())] == ["https://x.org/moved"]


def test_a_move_that_does_not_read_back_the_same_leaves_the_old_vault_alone():
    from pwa_app.services import MoveFailed

    old = MemoryStorage()
    run(Services(old, kdf=FAST_KDF, min_score=0).session.create("pw"))
    run(_put_two(old))

    class Lossy(MemoryStorage):
        async def load_all(self, meta, rows):
            await super().load_all(meta, rows[:-1])  # one row goes missing on the way

    class Legacy(MemoryStorage):
        async def remove_vault(self):
            raise AssertionError("must not remove the only copy")

    legacy = Legacy()
    legacy.meta, legacy.data = old.meta, dict(old.data)
    s = Services(Lossy(), kdf=FAST_KDF, min_score=0, legacy=legacy)
    with pytest.raises(MoveFailed):
        run(s.session.unlock("pw"))
    assert legacy.data == old.data


async def _put_two(storage):
    from pwa_app.vault import Vault

    v = await Vault.unlock(storage, "pw")
    await v.put("case", "c1", {"title": "one"})
    await v.put("case", "c2", {"title": "two"})


def screen_actions():
    """The screens' actions on a fresh vault, with a page that draws nothing."""
    from pwa_app.ui.state import Actions, ScreenState

    class Page:
        title, route = "", "/"

        def update(self):
            pass

    return Actions(page=Page(), store=ScreenState(), services=svc())


def test_every_failure_in_a_handler_reaches_the_screen_and_replaces_a_success_message():

    a = screen_actions()
    a.say("Attached. Its SHA-256 fingerprint is recorded.")

    async def broken():
        raise ZeroDivisionError

    handler = a.guard(broken)
    run(handler(None))  # never raises
    assert a.store.message_kind == "error"
    assert "ZeroDivisionError" in a.store.message and "Attached" not in a.store.message

    from pwa_app.vault import StorageFull

    async def full():
        raise StorageFull()

    run(a.guard(full)(None))
    assert "storage for this app is full" in a.store.message
    assert run(a.save(full())) is False and "full" in a.store.message

    # A change the record refuses says why, in place of the success message.
    a.say("Marked removed.")
    gone = a.services.evidence.still_gone("no-such-entry")
    assert run(a.save(gone, ok="Noted.")) is False
    assert a.store.message_kind == "error" and a.store.message == "This item no longer exists."


# ---- what the person is told is what happened (issue 23) -----------------------------------------
PLATFORM = {"recipient": "Site", "description": "photos of me"}


def test_a_request_marked_removed_moves_its_evidence_with_the_30_day_look_again():
    s = svc()
    case = run(s.cases.ensure())
    for u in ("https://x.org/a", "https://x.org/b/"):
        assert run(s.evidence.log(case.id, u, "X", NOW - timedelta(hours=1)))[0].ok
    notice = s.requests.render("platform", {**PLATFORM, "urls": "https://X.org/a\nhttps://x.org/b"})
    req = run(s.requests.mark_sent(case.id, notice))
    assert {e.status for e in run(s.evidence.all())} == {"reported"}
    assert run(s.requests.update(req.id, "removed")).ok  # the follow-ups' button calls this too
    items = run(s.evidence.all())
    assert {e.status for e in items} == {"removed"}
    looks = [f for f in run(s.overview.follow_ups()) if f.recheck]
    assert {f.evidence_id for f in looks} == {e.id for e in items}
    assert all(f.when == NOW + timedelta(days=30) for f in looks)
    # and back again
    assert run(s.requests.update(req.id, "reappeared")).ok
    assert {e.status for e in run(s.evidence.all())} == {"reappeared"}


def test_a_repeated_address_is_listed_once_and_the_person_is_told():
    s = svc()
    case = run(s.cases.ensure())
    urls = "https://x.org/a\nhttps://X.ORG/a/\nhttps://x.org/b\nhttps://x.org/a"
    notice = s.requests.render("platform", {**PLATFORM, "urls": urls})
    assert notice.urls == ("https://x.org/a", "https://x.org/b") and notice.repeated == 2
    assert "3. " not in notice.text  # the list in the notice has two lines
    assert run(s.evidence.unlogged(case.id, list(notice.urls) * 2)) == list(notice.urls)
    req = run(s.requests.mark_sent(case.id, notice))
    assert req.urls == ("https://x.org/a", "https://x.org/b")


def test_a_send_to_longer_than_the_record_keeps_is_refused_before_the_preview():
    s = svc()
    case = run(s.cases.ensure())
    long = "Designated agent: " + "x" * 600
    errors = s.requests.check(
        "platform", {**PLATFORM, "recipient": long, "urls": "https://x.org/a"}
    )
    assert "too long" in errors["recipient"] and "618" in errors["recipient"]
    # and were it ever asked to keep one, the refusal names the field, in words
    notice = s.requests.render(
        "platform", {**PLATFORM, "recipient": long, "urls": "https://x.org/a"}
    )
    with pytest.raises(DomainError) as ei:
        run(s.requests.mark_sent(case.id, notice))
    assert ei.value.sentence().startswith("Send to")
    saved, refused = run(s.evidence.log_many(case.id, ["https://x.org/a"], long, ""))
    assert saved == [] and "site or app is too long" in refused["https://x.org/a"]
    assert run(s.evidence.all()) == []


def test_every_problem_with_an_evidence_entry_is_given_at_once_each_naming_its_field():
    s = svc()
    case = run(s.cases.ensure())
    res, item = run(
        s.evidence.log(case.id, "example.com/x", "p" * 501, "14/03/2026", "n" * 100_001)
    )
    assert item is None
    assert set(res.errors) == {"url", "platform", "found_at", "notes"}
    assert res.errors["platform"].startswith("The site or app is too long")
    assert "YYYY-MM-DD HH:MM" in res.errors["found_at"]
    assert run(s.evidence.log(case.id, "https://x.org/a", "", "2026-11-20 21:30", ""))[0].ok


def test_a_too_long_ticket_says_which_field():
    s = svc()
    case = run(s.cases.ensure())
    notice = s.requests.render("platform", {**PLATFORM, "urls": "https://x.org/a"})
    req = run(s.requests.mark_sent(case.id, notice))
    res = run(s.requests.update(req.id, "sent", "T" * 501))
    assert not res.ok
    assert next(iter(res.errors.values())).startswith("The ticket number is too long")


def test_a_case_number_given_years_from_now_is_refused():
    s = svc()
    case = run(s.cases.ensure())
    res = run(s.cases.add_number(case.id, "police", "Met", "CAD 1", "2031-11-20", ""))
    assert not res.ok and "future" in res.errors["date"] and "year" in res.errors["date"]
    assert run(s.cases.add_number(case.id, "police", "Met", "CAD 1", "2026-11-24", "")).ok


def test_the_report_chronology_has_each_send_once_and_each_status_when_it_changed():
    from pwa_app.documents.report import chronology

    clock = [NOW]
    s = Services(MemoryStorage(), clock=lambda: clock[0], kdf=FAST_KDF, min_score=0)
    run(s.session.create("pw"))
    case = run(s.cases.ensure())
    run(s.evidence.log(case.id, "https://x.org/a", "X", NOW - timedelta(hours=1)))
    notice = s.requests.render("platform", {**PLATFORM, "urls": "https://x.org/a"})
    req = run(s.requests.mark_sent(case.id, notice))
    clock[0] = NOW + timedelta(days=2)
    assert run(s.requests.update(req.id, "acknowledged")).ok
    clock[0] = NOW + timedelta(days=5)
    assert run(s.requests.update(req.id, "removed")).ok
    lines = [text for _when, text in chronology(run(s.reports.data(case.id)))]
    sends = [x for x in lines if "sent to Site" in x]
    assert len(sends) == 1 and "status" not in sends[0]
    statuses = [x for x in lines if "status now" in x]
    formal = s.session.content.notice("platform").formal
    assert statuses == [
        f"R-1 {formal} to Site: status now acknowledged",
        f"R-1 {formal} to Site: status now removed",
    ]
    assert notice.title not in " ".join(lines)  # the legal name, not the app's wording
    # ... but the person's own note keeps the words they wrote
    mine = f"Phoned them about the {notice.title}, no answer"
    also = "Answer from the police: they will call back on Monday"
    assert run(s.cases.add_note(case.id, mine)).ok and run(s.cases.add_note(case.id, also)).ok
    lines = [text for _when, text in chronology(run(s.reports.data(case.id)))]
    assert mine in lines and also in lines


def test_the_report_chronology_names_the_right_exhibit_when_two_share_an_address():
    """The same address logged twice (it came back after removal, or was logged again): each
    status change in the chronology names the exhibit it happened to, never the other."""
    from pwa_app.documents.report import chronology

    url = "https://x.org/a"
    clock = [NOW - timedelta(days=3)]
    s = Services(MemoryStorage(), clock=lambda: clock[0], kdf=FAST_KDF, min_score=0)
    run(s.session.create("pw"))
    case = run(s.cases.ensure())
    _, first = run(s.evidence.log(case.id, url, "X", NOW - timedelta(days=3)))
    clock[0] = NOW - timedelta(days=1)
    assert run(s.evidence.set_status(first.id, "removed")).ok
    clock[0] = NOW - timedelta(hours=2)
    run(s.evidence.log(case.id, url, "X", NOW - timedelta(hours=2)))
    clock[0] = NOW
    notice = s.requests.render("platform", {**PLATFORM, "urls": url})
    run(s.requests.mark_sent(case.id, notice))
    lines = [text for _when, text in chronology(run(s.reports.data(case.id)))]
    marked = [x for x in lines if ": marked " in x]
    assert len(marked) == 2, lines
    assert marked[0].startswith(f"E-1 {url}: marked removed"), marked
    assert marked[1].startswith(f"E-2 {url}: marked reported"), marked

    # both moved by one request, in one moment: each named once
    s2 = Services(MemoryStorage(), clock=lambda: NOW, kdf=FAST_KDF, min_score=0)
    run(s2.session.create("pw"))
    case = run(s2.cases.ensure())
    run(s2.evidence.log(case.id, url, "X", NOW - timedelta(days=2)))
    run(s2.evidence.log(case.id, url, "Y", NOW - timedelta(days=1)))
    run(s2.requests.mark_sent(case.id, s2.requests.render("platform", {**PLATFORM, "urls": url})))
    lines = [text for _when, text in chronology(run(s2.reports.data(case.id)))]
    marked = sorted(x for x in lines if ": marked " in x)
    assert [x.split(" ", 1)[0] for x in marked] == ["E-1", "E-2"], marked

    # lines from before the history was kept: both named, none guessed
    data = dataclasses.replace(run(s2.reports.data(case.id)), history=())
    marked = [text for _when, text in chronology(data) if ": marked " in text]
    assert marked == [f"E-1 or E-2 {url}: marked reported ({marked[0].split('(', 1)[1]}"] * 2


def test_the_rules_the_screens_use_come_from_the_domain_and_content():
    s = svc()
    case = run(s.cases.ensure())
    _, up = run(s.evidence.log(case.id, "https://x.org/up", "X", NOW))
    _, gone = run(s.evidence.log(case.id, "https://x.org/gone", "X", NOW))
    run(s.evidence.set_status(gone.id, "removed"))
    gone = run(s.evidence.get(gone.id))
    assert up.next_statuses == ("reported", "removed") and up.online
    assert gone.next_statuses == ("reappeared",) and not gone.online
    d = s.requests.defaults(
        "dmca",
        profile={"full_name": "A B", "email": ""},
        case=case,
        requests=[],
        evidence=[up, gone],
    )
    assert d["urls"] == "https://x.org/up" and d["full_name"] == "A B" and "email" not in d
    assert s.content.hosted("dmca") and not s.content.hosted("gdpr17")
    assert not s.content.hosted("a kind no longer there")


def test_an_attached_file_is_recognised_by_its_own_bytes():
    s = svc()
    case = run(s.cases.ensure())
    _, item = run(s.evidence.log(case.id, "https://x.org/f", "X", NOW))
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    res = run(s.evidence.attach(item.id, "screen.png", out.getvalue()))
    assert res.ok and res.said.startswith("Attached.")
    fake = run(s.evidence.attach(item.id, "fake.jpg", b"not a picture at all"))
    assert fake.ok and "named like a picture but is not one" in fake.said
    big = run(s.evidence.attach(item.id, "big.bin", b"x" * (15 * 1024 * 1024 + 1)))
    assert not big.ok and "larger than 15 MB" in big.errors["file"]
    mimes = [x.mime for x in run(s.evidence.get(item.id)).attachments]
    assert mimes == ["image/png", "application/octet-stream"]


def test_one_save_path_puts_each_problem_beside_its_field_and_keeps_what_was_typed():
    from pwa_app.services import SaveResult
    from pwa_app.ui.common import Form

    a = screen_actions()
    form = Form({"url": "not a web address", "notes": "kept"})
    form.fields = {"url", "notes"}
    shown: dict[str, str] = {}

    def set_errors(errors):
        shown.clear()
        shown.update(errors)

    case_id = run(a.services.cases.new("Site"))[1].id
    write = a.services.evidence.log(case_id, "not a web address", "", None, "kept")
    assert run(a.save(write, "Saved.", form=form, set_errors=set_errors)) is False
    assert set(shown) == {"url"} and form.values["notes"] == "kept"
    assert a.store.message_kind == "error" and "marked fields" in a.store.message

    async def partly() -> SaveResult:  # went through, with something to say about it
        return SaveResult(True, {"": "One address was not logged."})

    assert run(a.save(partly(), "All logged.", form=form, set_errors=set_errors)) is True
    assert shown == {} and form.values == {}
    assert a.store.message_kind == "error" and a.store.message == "One address was not logged."
    assert a.store.snapshot is not None  # refreshed from the vault

    one = Form({"text": ""})
    write = a.services.cases.add_note(case_id, "")
    assert run(a.save(write, "Added.", form=one, set_errors=set_errors, field="text")) is False
    assert list(shown) == ["text"]


def test_drafts_are_kept_per_form_sealed_and_go_when_saved_or_emptied():
    s = svc()
    run(s.drafts.keep("evidence:a", {"notes": "typed at night", "url": "  "}))
    run(s.drafts.keep("case-note:a", {"text": "called them"}))
    assert run(s.drafts.get("evidence:a")) == {"notes": "typed at night"}  # (blank left out)
    assert run(s.drafts.get("evidence:b")) == {}
    run(s.drafts.keep("evidence:a", {"notes": " "}))  # emptied: gone
    assert run(s.drafts.get("evidence:a")) == {}
    run(s.drafts.drop("case-note:a"))
    assert run(s.drafts.get("case-note:a")) == {}
    # the newest 40 only
    for i in range(45):
        run(s.drafts.keep(f"request:dmca:{i}", {"name": str(i)}))
    assert run(s.drafts.get("request:dmca:4")) == {}
    assert run(s.drafts.get("request:dmca:5")) == {"name": "5"}
    # sealed: no plaintext in storage; and locked, nothing is read
    assert not any(b"dmca" in blob for _tag, blob in s.session.storage.data.values())
    s.session.lock()
    with pytest.raises(VaultLocked):
        run(s.drafts.get("request:dmca:5"))
