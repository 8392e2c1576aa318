"""The evidence pack: one ZIP file with the report, every attached file as it was added (named
by its exhibit number), every notice as it was sent (its text, whose SHA-256 the history kept,
and a PDF of it), every answer kept as a file, a manifest that explains its own fields, and a
SHA256SUMS file that ``sha256sum -c`` reads. A pure function of its input and a clock.

The pack is not encrypted: it holds the pictures. The app says so before it is saved, and the
README says so before anything is opened.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

from .. import __version__
from ..domain import CHANGED, NOT_FOUND
from ..i18n import N_
from .report import ReportData

FORMAT = "recourse-evidence-pack"
VERSION = 2  # 2: notices and answers, exhibit names, fields explained (1 is still read)
READ_VERSIONS = (1, 2)
MANIFEST, SUMS, README, REPORT = "manifest.json", "SHA256SUMS", "README.txt", "report.pdf"

# The README of version 1 packs (before 0.2.1 it was not in SHA256SUMS, and the verifier checks
# it by writing it again).
HOW_TO_CHECK_V1 = """\
This evidence pack was made by Recourse {app} on {made}, for the case "{case}".

What is in it
  report.pdf      the evidence report
  files/          every file attached to the evidence, exactly as it was added
  manifest.json   each file's name, size and SHA-256, and the record's tamper-evident history
  SHA256SUMS      the same SHA-256 fingerprints, in the form sha256sum reads

How to check it
  1. That no file was changed: in this folder, run   sha256sum -c SHA256SUMS
     (macOS: shasum -a 256 -c SHA256SUMS). Every line must say OK.
  2. The history, and the files against it: with Recourse installed (free software), run
       python3 -m pwa_app verify <this pack>.zip
     It prints "intact: N entries from DATE to DATE", or exactly what does not match.

{head_words}
"""
# The README of version 2, in the report's language (ReportData.say); manifest.json stays in
# English, for programs as much as for people.
MISSING_README = N_("""
NOT IN THIS PACK: {count} file(s) that the record lists ({labels}) could not be
read back as they were added when this pack was made. manifest.json lists them
under "missing", each with why and the SHA-256 it had when it was added; the
report marks them NOT FOUND or CHANGED OR DAMAGED.
""")

WHY = {NOT_FOUND: "not found", CHANGED: "changed or damaged"}  # a missing file's "why"

README_TEXT = N_("""\
{warning}

This evidence pack was made by Recourse {app} on {made}, for the case "{case}".
Times in file names and in this folder are in UTC; the report gives each time in
{zone} with UTC beside it.

What is in it
  report.pdf      the evidence report (start here)
  files/          the evidence files, exactly as they were added, named by exhibit
                  (E-3.1 is the first file of exhibit E-3 in the report)
  notices/        each notice exactly as it was sent (R-2.txt is request R-2), and all of
                  them in one PDF (notices.pdf), each on its own page
  replies/        answers kept as files (R-2.1 is the first answer to request R-2)
  manifest.json   every file's name, size and SHA-256 (fingerprint), the record's
                  tamper-evident history, and what each field means ("about")
  SHA256SUMS      the SHA-256 of every file here, this README included

How to check that no file was changed
  Each file has a fingerprint (SHA-256) worked out from its exact contents; if a single dot
  changed, the fingerprint would be different. Work each one out again and compare it with the
  one in SHA256SUMS (the same fingerprints are printed in report.pdf):
    Linux:    sha256sum -c SHA256SUMS                (every line must say OK)
    macOS:    shasum -a 256 -c SHA256SUMS            (every line must say OK)
    Windows:  in PowerShell, in this folder:
                Get-FileHash -Algorithm SHA256 report.pdf
              or in a Command Prompt:
                certutil -hashfile report.pdf SHA256
              then compare what it prints with the line for that file in SHA256SUMS
              (Windows may print the letters in capitals: they are the same).

How to check the history, and every file against it
  With Recourse installed (free software), run
    python3 -m pwa_app verify <this pack>.zip
  It prints "intact: N entries from DATE to DATE", or exactly what does not match.

{head_words}
""")
HEAD_WORDS = N_("""\
The history's head hash, which must be the same in report.pdf and manifest.json:
  {head}""")
NO_HEAD_WORDS = N_("""\
The record's history did NOT check out when this pack was made, so it has no head hash:
  {problem}
The files can still be checked with SHA256SUMS.""")

ABOUT = {
    "format, version": "what this file is: a Recourse evidence pack, in this version of it",
    "made_at": "when the pack was made (UTC, by the device's clock)",
    "app": "the Recourse version that made it",
    "case": "the case the pack is about: its id in the record and its title",
    "time_zone": "the time zone the report's times are given in (with UTC beside each)",
    "files": "every file in the pack: name (its path here), size in bytes, sha256 (its "
    "fingerprint), what it is; for evidence files also the exhibit, the original file name, the "
    "address it is evidence for, when it was added to Recourse (added_at, UTC) and its own date "
    "as the file states it (own_date), where it states one; for notices the request, its "
    "legal name and when it was sent (sent_at, UTC)",
    "missing": "present only when a file the record lists could not be read back as it was "
    "added when the pack was made: each with its label, original name, the sha256 it had when "
    "it was added, added_at, and why: 'not found' (not in the record), or 'changed or "
    "damaged' (in the record, but it did not open or its sha256 did not match)",
    "history": "the record's tamper-evident history: head (the hash of the last entry), count, "
    "first_at and last_at (UTC), and every entry; entries about this case carry what happened, "
    "entries about other cases only their time and hashes. docs/history-format.md in Recourse "
    "explains how each entry's hash is made",
}


@dataclass(frozen=True)
class PackFile:
    """A kept file's bytes, by the blob id the record knows it by."""

    blob_id: str
    data: bytes


def _file_name(name: str, clean, limit: int) -> str:
    """``name`` with ``clean`` applied to its stem and its extension (kept when it looks like
    one), never empty, at most ``limit`` characters."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not 0 < len(clean(ext)) <= 8:
        stem, ext = name, ""
    stem, ext = clean(stem) or "file", clean(ext)
    return stem[: limit - len(ext) - 1] + ("." + ext if ext else "")


def _ascii(part: str) -> str:
    part = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "_", part).strip("._")


def _any_script(part: str) -> str:
    out = "".join(ch if ch in "._-" or unicodedata.category(ch)[0] in "LMN" else "_" for ch in part)
    return re.sub(r"_+", "_", out).strip("._")


def safe_name(name: str, limit: int = 80) -> str:
    """A file name that every system and ``sha256sum`` can handle: ASCII letters, digits, dot,
    dash and underscore, the extension kept. (Used by packs of version 1.)"""
    return _file_name(name, _ascii, limit)


def readable_name(name: str, limit: int = 80) -> str:
    """A file name as the person gave it, in any script, with only what some system or
    ``sha256sum`` cannot take replaced: spaces and punctuation become "_", letters of every
    script stay (NFC), the extension is kept, and the length is capped (in characters)."""
    return _file_name(unicodedata.normalize("NFC", name), _any_script, limit)


def _utc_extra(when: datetime) -> bytes:
    """The ZIP "extended timestamp" field: the time as UTC seconds, so that unzip tools show
    each file's time in the reader's own zone instead of as a time with no zone."""
    return struct.pack("<HHBI", 0x5455, 5, 1, int(when.timestamp()))


def _info(name: str, when: datetime, compress: bool) -> zipfile.ZipInfo:
    t = when.astimezone(UTC)
    info = zipfile.ZipInfo(name, (max(t.year, 1980), t.month, t.day, t.hour, t.minute, t.second))
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    info.extra = _utc_extra(t)
    return info


def _utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def evidence_pack(
    data: ReportData,
    pdf: bytes,
    files: list[PackFile],
    now: datetime,
    notices_pdf: bytes | None = None,
) -> bytes:
    """``files``: the bytes of every evidence file and answer, by blob id; ``notices_pdf``: one
    PDF of every sent notice's text, each on its own page."""
    chain = data.chain
    by_blob = {f.blob_id: f.data for f in files}
    listed: list[dict] = []
    contents: list[tuple[str, bytes]] = []
    taken: set[str] = set()

    def add(name: str, blob: bytes, **facts) -> None:
        stem, dot, ext = name.rpartition(".")
        unique, n = name, 2
        while unique.casefold() in taken:  # two files of one exhibit with the same name
            unique = f"{stem}-{n}.{ext}" if dot else f"{name}-{n}"
            n += 1
        taken.add(unique.casefold())
        listed.append(
            {"name": unique, "size": len(blob), "sha256": hashlib.sha256(blob).hexdigest(), **facts}
        )
        contents.append((unique, blob))

    add(REPORT, pdf, what="the evidence report")

    missing: list[dict] = []

    def kept(folder: str, label: str, a, what: str, **facts) -> None:
        """A file kept in the record (evidence or an answer), named by its exhibit label; one
        that could not be read back as it was added is listed as missing, with why, never left
        out without a word."""
        raw = by_blob.get(a.blob_id)
        if raw is None:
            why = WHY[data.unread.get(a.blob_id, NOT_FOUND)]
            missing.append(
                {"label": label, "original_name": a.filename, "sha256": a.sha256, "what": what,
                 "added_at": _utc(a.added_at), "why": why, **facts}
            )  # fmt: skip
            return
        own = {"own_date": a.own_date, "own_date_from": a.own_date_from} if a.own_date else {}
        add(
            f"{folder}/{label}-{readable_name(a.filename)}",
            raw,
            what=what,
            original_name=a.filename,
            added_at=_utc(a.added_at),
            **own,
            **facts,
        )

    for number, e in data.exhibits():
        for k, a in enumerate(e.attachments, 1):
            label = f"{number}.{k}"
            kept("files", label, a, "an evidence file, exactly as it was added", exhibit=label,
                 evidence_url=e.url)  # fmt: skip
    for number, r in data.request_numbers():
        if r.text:
            add(
                f"notices/{number}.txt",
                r.text.encode("utf-8"),
                what="the notice exactly as it was sent (UTF-8 text); the history kept its "
                "SHA-256 when it was sent",
                request=number,
                request_id=r.id,
                notice=data.legal(r.kind),
                recipient=r.recipient,
                sent_at=_utc(r.sent_at),
            )
        for k, a in enumerate(r.replies, 1):
            kept("replies", f"{number}.{k}", a, "an answer to the request, kept as a file",
                 request=number, request_id=r.id)  # fmt: skip
    if notices_pdf is not None:
        add(
            "notices/notices.pdf",
            notices_pdf,
            what="every notice above as a PDF, each on its own page, made with this pack",
        )
    made = _utc(now)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "about": ABOUT,
        "made_at": made,
        "app": f"Recourse {__version__}",
        "case": {"id": data.case.id, "title": data.case.title},
        "time_zone": data.zone_name,
        "files": listed,
        **({"missing": missing} if missing else {}),
        "history": {
            **(
                {
                    "head": chain.head,
                    "count": chain.count,
                    "first_at": chain.first_at,
                    "last_at": chain.last_at,
                }
                if chain is not None
                else {"head": None, "problem": data.history_problem}
            ),
            "note": "Entries about this case are whole; entries about other cases in the same "
            "record carry only their time and hashes.",
            "entries": [
                (e if e.about(data.case.id) else e.redacted()).to_dict() for e in data.history
            ],
        },
    }
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    _ = data.say
    readme = _(README_TEXT).format(
        warning=data.words.pack_warning if data.words else "",
        app=__version__,
        made=made.replace("T", " ").replace("Z", " UTC"),
        case=data.case.title,
        zone=data.zone_name,
        head_words=_(HEAD_WORDS).format(head=chain.head)
        if chain is not None
        else _(NO_HEAD_WORDS).format(problem=data.history_problem_said or data.history_problem),
    )
    if missing:  # said right after the warning, before anything else
        warning, _sep, rest = readme.partition("\n\n")
        said = _(MISSING_README).format(
            count=len(missing), labels=", ".join(m["label"] for m in missing)
        )
        readme = f"{warning}\n{said}\n{rest}"
    readme = readme.encode("utf-8")
    sums = "".join(f"{x['sha256']}  {x['name']}\n" for x in listed)
    sums += f"{hashlib.sha256(manifest_bytes).hexdigest()}  {MANIFEST}\n"
    sums += f"{hashlib.sha256(readme).hexdigest()}  {README}\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(_info(README, now, True), readme)
        z.writestr(_info(MANIFEST, now, True), manifest_bytes)
        z.writestr(_info(SUMS, now, True), sums.encode("utf-8"))
        for name, blob in contents:
            z.writestr(_info(name, now, name.endswith((".txt", ".pdf"))), blob)
    return buf.getvalue()
