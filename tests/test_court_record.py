"""A record that stands up in front of police and a court (issue 22). A realistic record built
through the services (June to November, times typed in Madrid time, files with their own dates,
every script in the notes, six requests with answers kept as files, a removed file and entry, a
second private case), then its report read back with pdftotext and pypdf, its pack unpacked and
checked with sha256sum and the verifier."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import FAST_KDF, ROOT, run
from pypdf import PdfReader
from sessions import MADRID, NOTES, court_record

from pwa_app import i18n
from pwa_app.documents.pack import README
from pwa_app.documents.report import report_pdf, when_in
from pwa_app.services import Services
from pwa_app.services import zone as zone_module
from pwa_app.services.access import READ_BATCH_BYTES, READ_BATCH_FILES
from pwa_app.services.records import T_FILE, T_OLD_BLOB
from pwa_app.vault import MemoryStorage
from pwa_app.verify import verify_pack

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f"))


def pdftotext(pdf: bytes, *args: str) -> str:
    out = subprocess.run(
        ["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout
    return out.decode("utf-8").translate(BIDI_CONTROLS)


@pytest.fixture(scope="module")
def record():
    app, case_id, _clock = run(court_record())
    data = run(app.reports.data(case_id, include_images=True, prepared_by="Lucía Fernández"))
    data = dataclasses.replace(data, zone=ZoneInfo(MADRID), zone_name=MADRID)
    pdf = report_pdf(data, NOW)
    return app, case_id, data, pdf


@pytest.fixture(scope="module")
def pack(record):
    app, case_id, _data, _pdf = record
    return run(app.reports.pack(case_id)).data


def entries_about(app, case_id, event: str):
    entries, _ = run(app.history.entries())
    return [e for e in entries if e.about(case_id) and e.event == event]


# ---- 1. the notices that were sent, and the answers ------------------------------------------
def test_each_notice_as_sent_is_in_the_pack_and_the_report_matched_to_the_history(record, pack):
    app, case_id, data, pdf = record
    sent = {e.record: e.data["text_sha256"] for e in entries_about(app, case_id, "request.sent")}
    assert len(sent) == 6
    z = zipfile.ZipFile(io.BytesIO(pack))
    manifest = json.loads(z.read("manifest.json"))
    notices = [f for f in manifest["files"] if re.fullmatch(r"notices/R-\d+\.txt", f["name"])]
    assert len(notices) == 6
    for f in notices:
        text = z.read(f["name"])
        assert hashlib.sha256(text).hexdigest() == sent[f["request_id"]] == f["sha256"]
    assert "notices/notices.pdf" in z.namelist()
    notices_text = pdftotext(z.read("notices/notices.pdf"))
    assert "DMCA takedown notice (17 U.S.C. § 512(c)(3))" in notices_text
    # The report's appendix holds each text, with the fingerprint the history kept.
    text = pdftotext(pdf)
    appendix = text.split("Appendix: the notices as sent", 1)[1]
    for r in data.requests:
        digest = hashlib.sha256(r.text.encode()).hexdigest()
        assert f"SHA-256 of the text: {digest} (the same as history entry #" in " ".join(
            appendix.split()
        )
        first_line = r.text.split("\n")[0]
        assert " ".join(first_line.split()) in " ".join(appendix.split())


def test_a_notice_changed_in_the_pack_is_named_even_when_its_lists_were_changed_too(pack):
    z = zipfile.ZipFile(io.BytesIO(pack))
    manifest = json.loads(z.read("manifest.json"))
    target = next(f for f in manifest["files"] if f["name"].endswith(".txt"))
    forged = z.read(target["name"]).replace(b"fotos", b"FOTOS")
    target["sha256"] = hashlib.sha256(forged).hexdigest()
    target["size"] = len(forged)
    new_manifest = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode()
    sums = z.read("SHA256SUMS").decode().splitlines()
    fixed = []
    for line in sums:
        sha, name = line.split("  ", 1)
        if name == target["name"]:
            sha = target["sha256"]
        elif name == "manifest.json":
            sha = hashlib.sha256(new_manifest).hexdigest()
        fixed.append(f"{sha}  {name}")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in z.infolist():
            blob = z.read(info.filename)
            if info.filename == target["name"]:
                blob = forged
            elif info.filename == "manifest.json":
                blob = new_manifest
            elif info.filename == "SHA256SUMS":
                blob = ("\n".join(fixed) + "\n").encode()
            out.writestr(info, blob)
    res = verify_pack(buf.getvalue())
    assert not res.ok
    assert any("it is not the notice that was sent" in p for p in res.problems), res.problems


def test_an_answer_is_kept_as_a_file_with_its_own_fingerprint_and_history_entry(record, pack):
    app, case_id, data, _pdf = record
    kept = entries_about(app, case_id, "reply.added")
    assert len(kept) == 6
    z = zipfile.ZipFile(io.BytesIO(pack))
    replies = [n for n in z.namelist() if n.startswith("replies/")]
    assert len(replies) == 6 and all(n.endswith(".eml") for n in replies)
    recorded = {e.data["sha256"] for e in kept}
    assert {hashlib.sha256(z.read(n)).hexdigest() for n in replies} == recorded
    check = run(app.history.check())
    assert check.ok and check.files == 16 + 6  # evidence files and answers, all checked
    # an answer taken out again: the history keeps its fingerprint, the check still holds
    r = data.requests[0]
    assert run(app.requests.remove_reply(r.id, r.replies[0].blob_id)).ok
    gone = entries_about(app, case_id, "reply.removed")
    assert gone and gone[-1].data["sha256"] == r.replies[0].sha256
    assert run(app.history.check()).ok
    assert run(app.requests.attach_reply(r.id, "again.eml", b"x", "message/rfc822")).ok


def test_verify_says_intact_for_the_untouched_pack_and_sha256sum_agrees(pack, tmp_path):
    res = verify_pack(pack)
    assert res.ok, res.problems
    folder = tmp_path / "pack"
    with zipfile.ZipFile(io.BytesIO(pack)) as z:
        z.extractall(folder)
        names = set(z.namelist())
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True)
    assert check.returncode == 0, check.stdout
    assert check.stdout.decode().count(": OK") == len(names) - 1
    assert f"{README}: OK" in check.stdout.decode()  # README.txt is covered too


# ---- 2. honest time labels --------------------------------------------------------------------
def test_times_are_named_added_to_recourse_found_as_stated_and_the_files_own_date(record):
    _app, _case_id, data, pdf = record
    text = " ".join(pdftotext(pdf).split())
    assert "captured" not in text
    assert "Every time is given in Europe/Madrid" in text
    assert "Found (as the person states): 2026-06-03 22:05 +02:00 (20:05 UTC)" in text
    assert "Added to Recourse: 2026-06-03 22:31 +02:00 (20:31 UTC)" in text
    assert (
        "Its own date: 2026-06-03 22:14:05, from its file name (which gives no time zone)" in text
    )
    assert re.search(
        r"Its own date: 2026-06-02 21:01:00 \+02:00, from the camera data inside it "
        r"\(EXIF DateTimeOriginal\)",
        text,
    )
    # summer and winter time: the offset follows the date, UTC beside it
    assert "2026-11-02 21:05 +01:00 (20:05 UTC)" in text
    assert when_in(datetime(2026, 6, 3, 23, 30, tzinfo=UTC), ZoneInfo(MADRID)) == (
        "2026-06-04 01:30 +02:00 (2026-06-03 23:30 UTC)"
    )


def test_the_device_zone_is_found_by_name(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    zone, name = zone_module.device_zone()
    assert name == "America/New_York"
    assert datetime(2026, 7, 1, 12, tzinfo=UTC).astimezone(zone).strftime("%z") == "-0400"
    assert datetime(2026, 12, 1, 12, tzinfo=UTC).astimezone(zone).strftime("%z") == "-0500"


def test_the_device_zone_without_zone_data_follows_summer_time(monkeypatch):
    """Where the zone has a name but no zone data (the browser), the device's own rules."""
    import time

    monkeypatch.setenv("TZ", "Europe/Madrid")
    time.tzset()
    try:
        z = zone_module.DeviceZone("Europe/Madrid")
        assert when_in(datetime(2026, 6, 3, 20, 5, tzinfo=UTC), z) == (
            "2026-06-03 22:05 +02:00 (20:05 UTC)"
        )
        assert when_in(datetime(2026, 11, 2, 20, 5, tzinfo=UTC), z) == (
            "2026-11-02 21:05 +01:00 (20:05 UTC)"
        )
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


# ---- 3. times that go backwards ---------------------------------------------------------------
def test_a_time_that_goes_backwards_is_named_by_the_verifier_the_check_and_the_report(tmp_path):
    app, case_id, _clock = run(court_record(entries=6, backwards=True))
    check = run(app.history.check())
    assert check.ok
    assert "is dated before the entry it follows" in check.line()
    pack = run(app.reports.pack(case_id)).data
    path = tmp_path / "pack.zip"
    path.write_bytes(pack)
    out = subprocess.run(
        [sys.executable, "-m", "pwa_app", "verify", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout  # a warning, not a failure
    assert re.search(
        r"Warning: entry \d+ \(2026-06-01 09:0\d:00 UTC\) is dated before the entry it follows",
        out.stdout,
    ), out.stdout
    first = pdftotext(run(app.reports.report(case_id)).data, "-f", "1", "-l", "2")
    assert "is dated before the entry it follows" in " ".join(first.split())
    # and a record whose times go forward has no such warning
    app2, case2, _ = run(court_record(entries=3))
    assert "dated before" not in run(app2.history.check()).line()


def test_page_one_says_what_the_history_proves_and_what_it_does_not(record):
    *_, pdf = record
    page1 = " ".join(pdftotext(pdf, "-f", "1", "-l", "2").split())
    assert "What the history proves:" in page1
    assert "What it does not prove:" in page1 and "device's own clock" in page1
    assert "Prepared by: Lucía Fernández" in page1
    assert "Recourse 0." in page1 and "20 evidence exhibit(s) (E-01 to E-20)" in page1
    assert "6 removal request(s) sent (R-1 to R-6)" in page1
    assert "Statement (to sign only if you choose to)" in page1
    assert "Get-FileHash" in page1 and "certutil" in page1
    # words a clerk understands before the command
    assert page1.index("fingerprint") < page1.index("sha256sum")
    # the case reference on every page's footer
    pages = PdfReader(io.BytesIO(pdf)).pages
    for i in range(1, len(pages) + 1):
        assert "ref. ATD-2026-0415" in pdftotext(pdf, "-f", str(i), "-l", str(i))


# ---- 4 and 5. every script, words whole -------------------------------------------------------
def test_devanagari_and_arabic_are_drawn_and_extracted(record):
    *_, pdf = record
    text = pdftotext(pdf)
    hindi = NOTES[2]
    assert hindi in text  # letters, vowel signs and conjuncts in their order
    assert "स्क्रीनशॉट 2.png" in text  # a Hindi file name too
    assert "\u25a1" not in text.split("Reposted")[0]  # nothing drawn as a box before the emoji
    arabic = NOTES[1]
    flat = " ".join(text.split())
    assert "تم العثور على الصورة في" in flat  # words whole, in their order
    for word in arabic.replace("(", " ").replace(")", " ").split():
        assert word in flat
    assert "3" in flat
    fonts = {f for p in PdfReader(io.BytesIO(pdf)).pages for f in _fonts(p)}
    assert any("Lohit" in f for f in fonts) and any("DejaVu" in f for f in fonts)


def _fonts(page) -> list[str]:
    res = page.get("/Resources") or {}
    fonts = res.get("/Font") or {}
    return [str(fonts[k].get_object().get("/BaseFont")) for k in fonts]


def _vocabulary(data) -> set[str]:
    sources = [
        (ROOT / "pwa_app/documents/report.py").read_text(),
        (ROOT / "pwa_app/documents/pdf.py").read_text(),
        *(p.read_text() for p in (ROOT / "content").glob("*.toml")),
        (ROOT / "pwa_app/photo.py").read_text(),
        (ROOT / "pwa_app/domain/chain.py").read_text(),
        *(p.read_text() for p in (ROOT / "pwa_app/services").glob("*.py")),
        "January February March April May June July August September October November December",
        data.zone_name,
        *data.texts(),
        *data.notice_names.values(),
        *(r.text for r in data.requests),
    ]
    return {w.lower() for s in sources for w in re.findall(r"[A-Za-z]+", s)}


def test_no_english_word_is_broken_across_lines_when_other_scripts_are_there(record):
    _app, _case_id, data, pdf = record
    known = _vocabulary(data)
    text = re.sub(r"[0-9a-f]{12,64}", " ", pdftotext(pdf))  # fingerprints, whole or short
    tokens = re.findall(r"[A-Za-z]+", text)
    broken = sorted({t for t in tokens if t.lower() not in known})
    assert not broken, broken[:20]


# ---- 6. exhibits, dated status lines, legal names, pictures on their page -----------------------
def test_exhibits_status_lines_and_legal_names(record):
    _app, _case_id, data, pdf = record
    text = " ".join(pdftotext(pdf).split())
    assert "Exhibit E-01: https://foro.example/hilo/1000" in text
    assert re.search(
        r"Status: found 2026-06-03 22:05 \+02:00 \(20:05 UTC\) \(as stated\) → reported "
        r"2026-06-20 \S+ \+02:00 \(\S+ UTC\) → removed 2026-06-24",
        text,
    )
    assert "Platform report (text to paste)" not in text  # the app's name for it, nowhere
    assert "R-1 Report through the platform's own reporting process sent to Servicio 1" in text
    assert "R-2 DMCA takedown notice (17 U.S.C. § 512(c)(3)) sent to Servicio 2" in text
    assert "E-01 https://foro.example/hilo/1000: marked reported" in text
    # each request sent once in the chronology
    chronology = text.split("Chronology", 1)[1].split("Evidence (", 1)[0]
    assert chronology.count("sent to Servicio 1") == 1
    # a picture, its caption and its entry on one page
    pages = PdfReader(io.BytesIO(pdf)).pages
    for i, page in enumerate(pages, 1):
        if page.images:
            words = " ".join(pdftotext(pdf, "-f", str(i), "-l", str(i)).split())
            for m in re.finditer(r"Exhibit (E-\d+)\.(\d+): ", words):
                assert f"Exhibit {m.group(1)}: https://" in words, (i, m.group(0))


def test_each_picture_drawn_says_whether_it_is_the_file_itself_or_a_converted_copy(record):
    """A JPEG is drawn from the file itself (its bytes are in the PDF as they were added); a
    PNG from a copy converted for the PDF, and its caption says so: a picture taken out of the
    report is never passed off as the evidence file with the listed SHA-256."""
    _app, _case_id, data, pdf = record
    text = " ".join(pdftotext(pdf).split())
    assert "A JPEG is drawn from the file itself; any other picture from a copy" in text
    jpegs = pngs = 0
    for number, e in data.exhibits():
        for k, a in enumerate(e.attachments, 1):
            if a.blob_id not in data.images:
                continue
            caption = f"Exhibit {number}.{k}: {a.filename} ({a.size:,} bytes)"
            converted = f"{caption}, drawn from a copy converted for this PDF"
            if a.mime == "image/jpeg":
                jpegs += 1
                assert data.images[a.blob_id] in pdf  # its stream: byte for byte, as added
                assert caption in text and converted not in text, caption
            else:
                pngs += 1
                assert converted in text, caption
                assert data.images[a.blob_id] not in pdf
    assert jpegs and pngs


# ---- 7. the pack -------------------------------------------------------------------------------
def test_the_pack_warns_explains_and_keeps_names_and_times_readable(pack):
    z = zipfile.ZipFile(io.BytesIO(pack))
    readme = z.read(README).decode()
    assert readme.startswith("WARNING: the folder files/ holds the evidence itself")
    assert "Get-FileHash -Algorithm SHA256" in readme and "certutil -hashfile" in readme
    assert "Times in file names and in this folder are in UTC" in readme
    names = z.namelist()
    assert any(unicodedata.normalize("NFC", "स्क्रीनशॉट_2.png") in n for n in names), names
    assert "files/E-01.1-Captura_de_pantalla_2026-06-03_a_las_22.14.05.png" in names
    evidence = [n for n in names if n.startswith("files/")]
    assert evidence == sorted(evidence, key=lambda n: n.split("-", 2)[:2])  # E-01, E-02, … E-20
    manifest = json.loads(z.read("manifest.json"))
    for key in ("files", "history", "made_at", "case", "time_zone"):
        assert key in manifest["about"], key
    first = next(f for f in manifest["files"] if f["name"].startswith("files/E-01.1"))
    assert first["own_date"] == "2026-06-03 22:14:05" and first["added_at"].endswith("Z")
    # every entry carries its time as UTC (extended timestamp), not as a time with no zone
    for info in z.infolist():
        assert b"UT" in info.extra, info.filename
    made = datetime.strptime(manifest["made_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    stamp = int.from_bytes(z.infolist()[0].extra[5:9], "little")
    assert stamp == int(made.timestamp())


def test_a_file_the_record_lists_but_cannot_read_back_is_named_in_the_report_pack_and_verifier(
    tmp_path,
):
    """Files not as they were added when a report or pack is made: one deleted behind the app's
    back, one whose stored bytes were damaged, one replaced by other bytes. The pack lists each
    with why, the report marks each beside its recorded fingerprint, the verifier does not call
    the pack intact, and the screen can say how many. Nothing is left out without a word, and
    the files left out of a report by choice are said to match only because they were read."""
    app, case_id, _clock = run(court_record(entries=4))
    evidence = run(app.evidence.all(case_id))
    gone, damaged, replaced, intact = (a for e in evidence for a in e.attachments)
    answer = next(a for r in run(app.requests.all(case_id)) for a in r.replies)
    del app.session.storage.data[gone.blob_id]
    tag, blob = app.session.storage.data[damaged.blob_id]
    app.session.storage.data[damaged.blob_id] = (tag, blob[:-1] + bytes([blob[-1] ^ 1]))
    run(app.session.vault.put_bytes(T_FILE, replaced.blob_id, b"other bytes"))
    assert run(app.evidence.file_bytes(gone.blob_id)) is None

    made = run(app.reports.pack(case_id))
    assert made.unread == {gone.blob_id: "not found", damaged.blob_id: "changed",
                           replaced.blob_id: "changed"}  # fmt: skip
    z = zipfile.ZipFile(io.BytesIO(made.data))
    manifest = json.loads(z.read("manifest.json"))
    assert [(m["sha256"], m["why"]) for m in manifest["missing"]] == [
        (gone.sha256, "not found"),
        (damaged.sha256, "changed or damaged"),
        (replaced.sha256, "changed or damaged"),
    ]
    assert "missing" in manifest["about"]
    assert [f["sha256"] for f in manifest["files"] if f["name"].startswith("replies/")] == [
        answer.sha256
    ]
    in_pack = {f["sha256"] for f in manifest["files"]}
    assert intact.sha256 in in_pack
    assert not {gone.sha256, damaged.sha256, replaced.sha256} & in_pack
    labels = ", ".join(m["label"] for m in manifest["missing"])
    readme = " ".join(z.read(README).decode().split())
    assert f"NOT IN THIS PACK: 3 file(s) that the record lists ({labels}) could not be" in readme
    text = " ".join(pdftotext(z.read("report.pdf")).split())
    assert f"SHA-256: {gone.sha256} NOT FOUND: this file was not in the record" in text
    for a in (damaged, replaced):
        assert f"SHA-256: {a.sha256} CHANGED OR DAMAGED: this file was in the record" in text
    assert "3 file(s) listed in this report could not be read back as they were added" in text
    res = verify_pack(made.data)
    assert not res.ok
    for m in manifest["missing"]:
        said = f"{m['label']}: the record lists it, but it could not be read back as it was added"
        assert any(p.startswith(said) and f"({m['why']})" in p for p in res.problems), m

    # the app's own check (Settings) names every one of them, not only the first
    check = run(app.history.check())
    assert not check.ok and check.files == 2  # the intact evidence file and the answer
    assert check.problem.count("The file ") == 3
    assert f"The file {gone.filename} (evidence for https://" in check.problem
    assert check.problem.count("does not open, or does not match the SHA-256") == 2

    # a report, with pictures or without, reads every file back and says the same; the bar
    # moves while the files are read (4 evidence files and an answer), then with the PDF
    for pictures in (True, False):
        progress: list[float] = []
        made = run(app.reports.report(case_id, include_images=pictures, progress=progress.append))
        assert progress[:5] == [pytest.approx(0.3 * n / 5) for n in range(1, 6)]
        assert progress == sorted(progress) and progress[-1] == 1.0
        assert len(made.unread) == 3
        text = " ".join(pdftotext(made.data).split())
        assert text.count("NOT FOUND: this file") == 1, pictures
        assert text.count("CHANGED OR DAMAGED: this file") == 2, pictures
        assert ("matched the SHA-256 fingerprint" in text) is not pictures


# ---- 8. archival PDF --------------------------------------------------------------------------
def test_the_report_and_notices_are_pdf_a_with_language_bookmarks_and_fixed_dates(
    record, pack, tmp_path
):
    app, case_id, data, pdf = record
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.xmp_metadata.rdf_root.toxml()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>U" in xmp
    assert 'xmp:ModifyDate="2026-11-20T09:30:00+00:00"' in xmp  # the record's clock
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/OutputIntents" in reader.trailer["/Root"]
    titles = _flat(reader.outline)
    assert "Evidence report" in titles and any(t.startswith("Exhibit E-01") for t in titles)
    assert report_pdf(data, NOW) == pdf  # the same record gives the same bytes
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True)
    assert check.returncode == 0, check.stdout + check.stderr
    z = zipfile.ZipFile(io.BytesIO(pack))
    notices = PdfReader(io.BytesIO(z.read("notices/notices.pdf")))
    assert "<pdfaid:part>2</pdfaid:part>" in notices.xmp_metadata.rdf_root.toxml()


def _flat(outline) -> list[str]:
    out = []
    for o in outline:
        if isinstance(o, list):
            out += _flat(o)
        else:
            out.append(o.title)
    return out


def test_files_are_read_back_in_batches_each_named_in_order_whatever_batch_it_falls_in():
    """The read-back takes files a few at a time (by count and by size, for a phone's memory):
    a file not as it was added is named wherever it falls, a batch boundary included, every
    file comes back in the record's order, and a file kept by an earlier version (base64 in a
    "blob" record) is still read."""
    app = Services(MemoryStorage(), kdf=FAST_KDF, min_score=0)
    run(app.session.create("pw"))
    case = run(app.cases.ensure())
    _ok, e = run(app.evidence.log(case.id, "https://example.com/a", "Example", None))
    big = READ_BATCH_BYTES // 3 + 1  # three of these pass the batch's size
    sizes = [big] * 4 + [100] * (READ_BATCH_FILES + 5)
    for i, size in enumerate(sizes):
        assert run(app.evidence.attach(e.id, f"f{i}.txt", bytes([i]) * size, "text/plain")).ok
    files = list(run(app.evidence.all(case.id))[0].attachments)
    storage = app.session.storage
    spoiled = {3: "changed", 4: "not found", 4 + READ_BATCH_FILES: "changed"}
    for k, why in spoiled.items():
        rid = files[k].blob_id
        if why == "not found":
            del storage.data[rid]
        else:
            tag, blob = storage.data[rid]
            storage.data[rid] = (tag, blob[:-1] + bytes([blob[-1] ^ 1]))
    # one file as an earlier version kept it
    old = files[10]
    data = run(app.evidence.file_bytes(old.blob_id))
    del storage.data[old.blob_id]
    run(app.session.vault.put(T_OLD_BLOB, old.blob_id, {"b64": base64.b64encode(data).decode()}))

    async def read_all():
        return [(a, got) async for a, got in app.session.read_back_all(files)]

    got = run(read_all())
    assert [a.blob_id for a, _got in got] == [a.blob_id for a in files]
    for k, (_a, back) in enumerate(got):
        if k in spoiled:
            assert back == spoiled[k], k
        else:
            assert back == bytes([k]) * sizes[k], k


# ---- 8. in the person's language (issue 21) ----------------------------------------------------
def _report_in(record, say):
    app, case_id, _data, _pdf = record
    data = run(app.reports.data(case_id, True, "Lucía Fernández", say=say))
    data = dataclasses.replace(data, zone=ZoneInfo(MADRID), zone_name=MADRID)
    return data, report_pdf(data, NOW)


def test_the_report_and_the_pack_in_spanish_quote_the_record_as_it_was_written(record):
    app, case_id, _data, _pdf = record
    say = i18n.translator_for("es")
    data, pdf = _report_in(record, say)
    _english, english_pdf = _report_in(record, i18n.Translator())  # the record as it is now
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "es"
    text = " ".join(pdftotext(pdf).split())
    for words in (
        "Informe de pruebas Caso: Fotos publicadas sin permiso",
        "Hecho el 20 de noviembre de 2026, a las 2026-11-20 10:30 +01:00 (09:30 UTC)",
        "Todas las horas se dan en Europe/Madrid",  # content/report.toml, in Spanish
        "Lo que prueba el historial: cada entrada contiene la huella digital de la anterior",
        "Declaración (para firmar solo si así lo decides) Yo, ______",
        "Denuncia policial: ATD-2026-0415 — Policía Nacional",
        "Prueba E-01: https://foro.example/hilo/1000",
        "Estado: encontrada 2026-06-03 22:05 +02:00 (20:05 UTC) (según la persona) → "
        "notificada 2026-06-20",
        "Envío de R-2, Aviso de retirada DMCA",
        "Apéndice: los avisos tal como se enviaron",
        "Página 1/",
    ):
        assert words in text, words
    assert "Every time is given in" not in text and "Page 1/" not in text
    # the record's own words stay as they were written: the person's notes, the history's
    # entries (their hashes cover them), and each notice as it was sent
    assert NOTES[0] in text and "Each entry is quoted as it was recorded" not in text
    assert "Cada entrada se cita tal como se registró, en inglés." in text
    for h in data.about_case[:5]:
        assert " ".join(h.text.split()) in text, h.text
    sent = next(r for r in data.requests if r.text)
    assert " ".join(sent.text.split("\n")[0].split()) in text
    # the same record, the same fingerprints: only the words around them changed
    assert re.findall(r"\b[0-9a-f]{64}\b", text) == re.findall(
        r"\b[0-9a-f]{64}\b", " ".join(pdftotext(english_pdf).split())
    )

    pack = run(app.reports.pack(case_id, say=say)).data
    assert verify_pack(pack).ok
    z = zipfile.ZipFile(io.BytesIO(pack))
    readme = z.read(README).decode()
    assert readme.startswith("ADVERTENCIA: la carpeta files/ contiene las propias pruebas")
    assert "Cómo comprobar que ningún archivo se cambió" in readme
    assert "Get-FileHash -Algorithm SHA256" in readme and "sha256sum -c SHA256SUMS" in readme
    manifest = json.loads(z.read("manifest.json"))  # for programs as well: English
    assert manifest["about"]["made_at"].startswith("when the pack was made")
    notices = PdfReader(io.BytesIO(z.read("notices/notices.pdf")))
    assert notices.trailer["/Root"]["/Lang"] == "es"
    assert "Página 1/" in notices.pages[0].extract_text()


def test_every_phrase_the_report_and_the_pack_write_goes_through_the_catalogue(record):
    """In a pseudo-locale every phrase of the report's and the pack's own is accented: what is
    left in plain letters is the record's own words, or the report has a phrase in English
    that no language can translate."""
    app, case_id, _english, _pdf = record
    say = i18n.Translator(transform=i18n.pseudo)
    data, pdf = _report_in(record, say)
    quoted = [  # what the record says in its own words, quoted as it was written
        *data.texts(),
        *(h.text for h in data.history),
        *(line for r in data.requests for line in r.text.split("\n")),
    ]
    known = {w.lower() for s in quoted for w in re.findall(r"[A-Za-z]+", s)}
    known |= {"sha", "utc", "recourse", "europe", "madrid"}  # (terms and names, any language)

    def english(text: str) -> list[str]:
        for s in sorted(filter(str.strip, quoted), key=len, reverse=True):  # its own words
            text = text.replace(" ".join(s.split()), " ")
        text = re.sub(r"\b[0-9a-f]{12,64}\b|\b[ER]-\d+(\.\d+)?\b", " ", text)
        return sorted({t for t in re.findall(r"[A-Za-z]{2,}", text) if t.lower() not in known})

    assert english(" ".join(pdftotext(pdf).split())) == []
    pack = run(app.reports.pack(case_id, say=say)).data
    z = zipfile.ZipFile(io.BytesIO(pack))
    assert english(z.read(README).decode()) == []
    assert english(" ".join(pdftotext(z.read("notices/notices.pdf")).split())) == []
