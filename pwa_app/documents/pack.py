"""The evidence pack: one ZIP file with the report, every attached file as it was added, a
manifest (names, sizes, SHA-256, and the history), and a SHA256SUMS file that ``sha256sum -c``
reads. A pure function of its input and a clock.

The pack is not encrypted: it holds the pictures. The app says so before it is saved.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

from .. import __version__
from .report import ReportData

FORMAT = "recourse-evidence-pack"
VERSION = 1
MANIFEST, SUMS, README, REPORT = "manifest.json", "SHA256SUMS", "README.txt", "report.pdf"

HOW_TO_CHECK = """\
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
HEAD_WORDS = """\
The history's head hash, which must be the same in report.pdf and manifest.json:
  {head}"""
NO_HEAD_WORDS = """\
The record's history did NOT check out when this pack was made, so it has no head hash:
  {problem}
The files can still be checked with SHA256SUMS."""


@dataclass(frozen=True)
class PackFile:
    name: str  # as the person named it when adding it
    data: bytes
    evidence_url: str
    sha256: str  # as recorded when it was added


def safe_name(name: str, limit: int = 80) -> str:
    """A file name that every system and ``sha256sum`` can handle: ASCII letters, digits, dot,
    dash and underscore, the extension kept."""

    def clean(part: str) -> str:
        part = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9._-]+", "_", part).strip("._")

    stem, dot, ext = name.rpartition(".")
    if not dot or not 0 < len(clean(ext)) <= 8:
        stem, ext = name, ""
    stem, ext = clean(stem) or "file", clean(ext)
    return stem[: limit - len(ext) - 1] + ("." + ext if ext else "")


def _info(name: str, when: datetime, compress: bool) -> zipfile.ZipInfo:
    t = when.astimezone(UTC)
    info = zipfile.ZipInfo(name, (max(t.year, 1980), t.month, t.day, t.hour, t.minute, t.second))
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def evidence_pack(data: ReportData, pdf: bytes, files: list[PackFile], now: datetime) -> bytes:
    chain = data.chain
    listed = [
        {
            "name": REPORT,
            "size": len(pdf),
            "sha256": hashlib.sha256(pdf).hexdigest(),
            "what": "evidence report",
        }
    ]
    contents: list[tuple[str, bytes]] = [(REPORT, pdf)]
    for i, f in enumerate(files, 1):
        name = f"files/{i:03d}-{safe_name(f.name)}"
        listed.append(
            {
                "name": name,
                "size": len(f.data),
                "sha256": hashlib.sha256(f.data).hexdigest(),
                "original_name": f.name,
                "evidence_url": f.evidence_url,
            }
        )
        contents.append((name, f.data))
    made = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "made_at": made,
        "app": f"Recourse {__version__}",
        "case": {"id": data.case.id, "title": data.case.title},
        "files": listed,
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
    readme = HOW_TO_CHECK.format(
        app=__version__,
        made=made.replace("T", " ").replace("Z", " UTC"),
        case=data.case.title,
        head_words=HEAD_WORDS.format(head=chain.head)
        if chain is not None
        else NO_HEAD_WORDS.format(problem=data.history_problem),
    ).encode("utf-8")
    sums = "".join(f"{x['sha256']}  {x['name']}\n" for x in listed)
    sums += f"{hashlib.sha256(manifest_bytes).hexdigest()}  {MANIFEST}\n"
    sums += f"{hashlib.sha256(readme).hexdigest()}  {README}\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(_info(README, now, True), readme)
        z.writestr(_info(MANIFEST, now, True), manifest_bytes)
        z.writestr(_info(SUMS, now, True), sums.encode("utf-8"))
        for name, blob in contents:
            z.writestr(_info(name, now, False), blob)
    return buf.getvalue()
