"""Check an evidence pack or an encrypted backup: ``python3 -m pwa_app verify FILE``.

An evidence pack (ZIP): every file against the manifest (name, size, SHA-256) and SHA256SUMS,
no file left out or slipped in, the history from its first entry to its head, every attached
file against the history's record of it, and the head against the one in report.pdf.

An encrypted backup: the passphrase (asked for, or ``--passphrase-file``, or the environment
variable RECOURSE_PASSPHRASE), the backup's own check code, the history from first entry to head,
and every kept file against the SHA-256 recorded when it was added.

Prints "intact: N entries from DATE to DATE" and exits 0, or names each problem and exits 1.
It never changes the file.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import hashlib
import io
import json
import os
import re
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

from .documents.pack import (
    FORMAT,
    HEAD_WORDS,
    HOW_TO_CHECK_V1,
    MANIFEST,
    READ_VERSIONS,
    README,
    SUMS,
)
from .documents.report import HEAD_MARK
from .domain import capitalised
from .domain.chain import (
    EXISTING_CASE,
    ChainError,
    CheckResult,
    HistoryEntry,
    includes,
    verify_chain,
)

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
# Bounds on what a pack may make this program read: a pack holds attachments of at most 15 MB
# and a report; a ZIP member that would expand beyond these is refused unread.
MAX_MEMBER = 256 * 1024 * 1024  # bytes, any one file
MAX_MANIFEST = 64 * 1024 * 1024
MAX_RATIO = 200  # expanded / compressed: text compresses some 3-20 times; only a bomb does this
PACK_SCOPE = (
    "This proves that the pack is consistent with itself: every file matches the manifest and "
    "SHA256SUMS, and the history checks from its first entry to its head. That it is the "
    "record that was handed over is proved only with --head and a head hash given earlier."
)
BACKUP_SCOPE = (
    "This proves that the backup is as it was made (its check code matches, which needs the "
    "passphrase) and that its history and files agree. That it is the record that was handed "
    "over is proved only with --head and a head hash given earlier."
)
_PDF_HEAD = re.compile(re.escape(HEAD_MARK).encode() + rb"([0-9a-f]{64})")


# ---- evidence packs ---------------------------------------------------------------------------
def verify_pack(data: bytes) -> CheckResult:
    """Never raises on bad input: every problem becomes a line of the result."""
    res = CheckResult(scope=PACK_SCOPE)
    try:
        _verify_pack(data, res)
    except Exception as exc:  # noqa: BLE001 - the last net: a file that breaks a reader is named
        res.summary = None
        res.problems.append(
            f"This pack cannot be read ({type(exc).__name__}): it is damaged, or it was not "
            "made by Recourse."
        )
    return res


def _read(
    z: zipfile.ZipFile, infos: list[zipfile.ZipInfo], res: CheckResult, sizes: dict[str, int]
) -> dict[str, bytes]:
    """Files of the pack, each read only if it is no larger than the manifest says (or than
    any pack's file can be) and does not expand like a ZIP bomb."""
    contents: dict[str, bytes] = {}
    for info in infos:
        name = info.filename
        if name.endswith("/"):
            if info.file_size:
                res.problems.append(
                    f"{name}: a folder entry that holds {info.file_size:,} bytes of data (a "
                    "pack's folder entries hold nothing)."
                )
            continue
        limit = min(MAX_MEMBER, sizes.get(name, MAX_MEMBER))
        if info.file_size > limit:
            res.problems.append(
                f"{name}: it would expand to {info.file_size:,} bytes, more than "
                + (f"{MANIFEST} says ({limit:,})." if name in sizes else "any pack's file can be.")
            )
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if info.compress_type != zipfile.ZIP_STORED and ratio > MAX_RATIO:
            res.problems.append(
                f"{name}: it would expand {ratio:,.0f} times its stored size, as only a ZIP bomb "
                "does; it was not read."
            )
            continue
        try:
            with z.open(info) as f:
                blob = f.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
            res.problems.append(f"{name}: damaged inside the ZIP file ({type(exc).__name__}).")
            continue
        except (NotImplementedError, RuntimeError):
            res.problems.append(
                f"{name}: it cannot be read (the ZIP file asks for a method or encryption that "
                "no Recourse pack uses)."
            )
            continue
        if len(blob) > limit:
            res.problems.append(f"{name}: it holds more than its ZIP entry says.")
            continue
        contents[name] = blob
    return contents


def _verify_pack(data: bytes, res: CheckResult) -> None:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        names = z.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        res.problems.append(
            "This is not a complete evidence pack: the ZIP file is damaged or cut short."
        )
        return
    if len(set(names)) != len(names):
        res.problems.append("The ZIP file holds two files with the same name.")
    infos = z.infolist()
    first = _read(
        z, [i for i in infos if i.filename == MANIFEST][:1], res, {MANIFEST: MAX_MANIFEST}
    ).get(MANIFEST)
    if first is None:
        res.problems.append(
            f"The pack has no readable {MANIFEST}, so nothing can be checked against it."
        )
        return
    try:
        manifest = json.loads(first.decode("utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError
    except (UnicodeDecodeError, ValueError, RecursionError):
        res.problems.append(f"{MANIFEST} is not readable (it is not valid JSON).")
        return
    version = manifest.get("version")
    if (
        manifest.get("format") != FORMAT
        or not isinstance(version, int)
        or isinstance(version, bool)
        or version not in READ_VERSIONS
    ):
        res.problems.append(
            f"{MANIFEST} is not a Recourse evidence pack manifest (format "
            f"{manifest.get('format')!r:.40}, version {manifest.get('version')!r:.10})."
        )
        return
    sizes = {
        f["name"]: f["size"]
        for f in manifest.get("files") or []
        if isinstance(f, dict)
        and isinstance(f.get("name"), str)
        and isinstance(f.get("size"), int)
        and not isinstance(f.get("size"), bool)
        and f["size"] >= 0
    }
    others = [i for i in infos if i.filename != MANIFEST]
    contents = {MANIFEST: first, **_read(z, others, res, sizes)}
    listed = _check_files(manifest, contents, res)
    _check_sums(contents, listed, res)
    chain = _check_history(manifest, res)
    if chain is not None:
        _check_files_in_history(manifest, listed, chain, res)
    _check_report(manifest, contents, res)
    _check_readme(manifest, contents, res)
    if res.summary is not None and not res.problems:
        res.notes.append(
            f"{len(listed)} file(s) match the manifest and SHA256SUMS; head {res.summary.head}"
        )


def _check_files(
    manifest: dict[str, Any], contents: dict[str, bytes], res: CheckResult
) -> dict[str, dict[str, Any]]:
    files = manifest.get("files")
    if not isinstance(files, list) or not files:
        res.problems.append(f"{MANIFEST} lists no files.")
        return {}
    listed: dict[str, dict[str, Any]] = {}
    for i, f in enumerate(files, 1):
        name = f.get("name") if isinstance(f, dict) else None
        if not isinstance(name, str) or not name or name.startswith("/") or ".." in name.split("/"):
            res.problems.append(f"{MANIFEST}: file {i} has no usable name.")
            continue
        if name in listed:
            res.problems.append(f"{MANIFEST} lists {name} twice.")
            continue
        listed[name] = f
        sha, size = f.get("sha256"), f.get("size")
        if not isinstance(sha, str) or not _HEX64.match(sha) or not isinstance(size, int):
            res.problems.append(f"{name}: {MANIFEST} gives no valid size and SHA-256 for it.")
            continue
        blob = contents.get(name)
        if blob is None:
            res.problems.append(f"{name}: listed in {MANIFEST} but missing from the pack.")
            continue
        if hashlib.sha256(blob).hexdigest() != sha:
            res.problems.append(
                f"{name}: its SHA-256 does not match {MANIFEST} (the file was changed or swapped)."
            )
        elif len(blob) != size:
            res.problems.append(f"{name}: its size does not match {MANIFEST}.")
    for name in contents:
        if name not in listed and name not in (MANIFEST, SUMS, README) and not name.endswith("/"):
            res.problems.append(f"{name}: in the pack but not in {MANIFEST} (a file was added).")
    missing = manifest.get("missing")
    for m in missing if isinstance(missing, list) else [missing] if missing else []:
        label = m.get("label") if isinstance(m, dict) else None
        label = label[:80] if isinstance(label, str) else "A file"
        why = m.get("why") if isinstance(m, dict) else None
        why = f" ({why[:40]})" if isinstance(why, str) and why else ""
        res.problems.append(
            f"{label}: the record lists it, but it could not be read back as it was added when "
            f"the pack was made{why}, and it is not in the pack."
        )
    return listed


def _check_sums(
    contents: dict[str, bytes], listed: dict[str, dict[str, Any]], res: CheckResult
) -> None:
    raw = contents.get(SUMS)
    if raw is None:
        res.problems.append(f"The pack has no {SUMS} file.")
        return
    sums: dict[str, str] = {}
    for line in raw.decode("utf-8", "replace").splitlines():
        m = re.match(r"^([0-9a-f]{64}) [ *](.+)$", line)
        if not m:
            if line.strip():
                res.problems.append(f"{SUMS}: a line cannot be read: {line[:60]!r}")
            continue
        if m.group(2) in sums:
            res.problems.append(
                f"{SUMS} lists {m.group(2)} twice (sha256sum -c reports one of them FAILED)."
            )
            continue
        sums[m.group(2)] = m.group(1)
    expected = {n: f.get("sha256") for n, f in listed.items()}
    expected[MANIFEST] = hashlib.sha256(contents[MANIFEST]).hexdigest()
    if README in sums and README in contents:  # packs made from 0.2.1 on
        expected[README] = hashlib.sha256(contents[README]).hexdigest()
    for name, sha in expected.items():
        if name not in sums:
            res.problems.append(f"{SUMS} does not list {name}.")
        elif sums[name] != sha:
            what = "the manifest was changed" if name == MANIFEST else f"{MANIFEST} disagrees"
            res.problems.append(f"{SUMS} gives another SHA-256 for {name} ({what}).")
    for name in sums:
        if name not in expected:
            res.problems.append(f"{SUMS} lists {name}, which {MANIFEST} does not.")


def _check_history(manifest: dict[str, Any], res: CheckResult) -> list[HistoryEntry] | None:
    h = manifest.get("history")
    if not isinstance(h, dict) or not isinstance(h.get("entries"), list):
        res.problems.append(f"{MANIFEST} holds no history.")
        return None
    chain = []
    try:
        for i, d in enumerate(h["entries"]):
            chain.append(HistoryEntry.from_dict(d, where=f"history entry {i + 1} of the manifest"))
        head = h.get("head")
        summary = verify_chain(chain, head if isinstance(head, str) else None)
        if not isinstance(head, str):
            raise ChainError(f"{MANIFEST} gives no head hash for the history.")
    except ChainError as exc:
        res.problems.append(f"History: {exc}")
        return None
    for key, value in (
        ("count", summary.count),
        ("first_at", summary.first_at),
        ("last_at", summary.last_at),
    ):
        if h.get(key) != value:
            res.problems.append(
                f"{MANIFEST} says the history's {key.replace('_', ' ')} is {h.get(key)!r:.30}, "
                f"but its entries say {value!r}."
            )
    res.summary, res.chain = summary, chain
    return chain


def _recorded_files(chain: list[HistoryEntry], case_id: str, event: str = "file.added") -> set[str]:
    """SHA-256 of every file the history says was added to this case's evidence (or, with
    ``event="reply.added"``, kept as an answer to one of its requests)."""
    out: set[str] = set()
    for e in chain:
        if not e.about(case_id):
            continue
        if e.event == event and isinstance(e.data.get("sha256"), str):
            out.add(e.data["sha256"])
        elif e.event == EXISTING_CASE and event == "file.added":
            items = e.data.get("evidence")
            for item in items if isinstance(items, list) else []:
                files = item.get("files") if isinstance(item, dict) else None
                for f in files if isinstance(files, list) else []:
                    if isinstance(f, dict) and isinstance(f.get("sha256"), str):
                        out.add(f["sha256"])
    return out


def _sent_notices(chain: list[HistoryEntry], case_id: str) -> dict[str, str]:
    """Request id → the SHA-256 the history kept of its notice's text when it was sent."""
    return {
        e.record: e.data["text_sha256"]
        for e in chain
        if e.about(case_id)
        and e.event == "request.sent"
        and isinstance(e.record, str)
        and isinstance(e.data.get("text_sha256"), str)
    }


def _check_files_in_history(
    manifest: dict[str, Any],
    listed: dict[str, dict[str, Any]],
    chain: list[HistoryEntry],
    res: CheckResult,
) -> None:
    case = manifest.get("case")
    case_id = case.get("id") if isinstance(case, dict) else None
    if not isinstance(case_id, str):
        res.problems.append(f"{MANIFEST} does not say which case the pack is for.")
        return
    recorded = _recorded_files(chain, case_id)
    answers = _recorded_files(chain, case_id, "reply.added")
    sent = _sent_notices(chain, case_id)
    for name, f in listed.items():
        sha = f.get("sha256")
        if name.startswith("files/") and sha not in recorded:
            res.problems.append(
                f"{name}: no entry of the history records a file with its SHA-256 (it is not "
                "the file that was added)."
            )
        elif name.startswith("replies/") and sha not in answers:
            res.problems.append(
                f"{name}: no entry of the history records an answer with its SHA-256 (it is "
                "not the file that was kept)."
            )
        elif name.startswith("notices/") and name.endswith(".txt"):
            kept = sent.get(str(f.get("request_id")))
            if kept is None:
                res.problems.append(
                    f"{name}: no entry of the history records this notice being sent."
                )
            elif kept != sha:
                res.problems.append(
                    f"{name}: it is not the notice that was sent: its SHA-256 differs from the "
                    "one the history kept when it was sent."
                )


def _check_readme(manifest: dict[str, Any], contents: dict[str, bytes], res: CheckResult) -> None:
    """README.txt carries the head hash and how to check the pack. From 0.2.1 SHA256SUMS covers
    it (checked there); for packs made before, it must be what Recourse wrote, word for word."""
    readme = contents.get(README)
    if readme is None:
        res.problems.append(f"The pack has no {README}.")
        return
    if re.search(rb"^[0-9a-f]{64} [ *]README\.txt$", contents.get(SUMS, b""), re.M):
        return
    history, case = manifest.get("history"), manifest.get("case")
    head = history.get("head") if isinstance(history, dict) else None
    app, made = manifest.get("app"), manifest.get("made_at")
    title = case.get("title") if isinstance(case, dict) else None
    if not all(isinstance(x, str) for x in (head, app, made, title)):
        return  # named already: the manifest itself is not whole
    written = HOW_TO_CHECK_V1.format(
        app=app.removeprefix("Recourse "),
        made=made.replace("T", " ").replace("Z", " UTC"),
        case=title,
        head_words=HEAD_WORDS.format(head=head),
    ).encode("utf-8")
    if readme != written:
        res.problems.append(
            f"{README} is not what Recourse wrote for this pack: it was changed (it carries the "
            "head hash and the instructions for checking the pack)."
        )


def pdf_head(pdf: bytes) -> str | None:
    m = _PDF_HEAD.search(pdf)
    return m.group(1).decode() if m else None


def _check_report(manifest: dict[str, Any], contents: dict[str, bytes], res: CheckResult) -> None:
    pdf = contents.get("report.pdf")
    if pdf is None:
        return  # already named as missing when the manifest lists it
    head = pdf_head(pdf)
    if head is None:
        res.problems.append("report.pdf does not carry the history's head hash.")
        return
    history = manifest.get("history")
    expected = history.get("head") if isinstance(history, dict) else None
    if head != expected:
        res.problems.append(
            f"report.pdf gives the head hash {head[:12]}…, but the history in {MANIFEST} ends "
            f"at {str(expected)[:12]}… (the report and the history are not the same record)."
        )


# ---- encrypted backups ------------------------------------------------------------------------
async def verify_backup_file(data: bytes, passphrase: str) -> CheckResult:
    from .services import Services
    from .vault import BackupRejected, MemoryStorage, UnsupportedVersion, Vault

    res = CheckResult(scope=BACKUP_SCOPE)
    storage = MemoryStorage()
    try:
        vault = await Vault.import_backup(storage, data, passphrase)
    except BackupRejected as exc:
        res.problems.append(capitalised(exc.reason) if exc.reason else str(exc))
        return res
    except UnsupportedVersion as exc:
        res.problems.append(str(exc))
        return res
    app = Services(storage)
    await app.session.opened(vault, start=False)
    entries, _damaged = await app.history.entries()
    if not entries and await app.history.head() is None:
        res.problems.append(
            "This backup was made by a version of Recourse that kept no history, so there is "
            "no history to check (its own check code matches: the file is as it was made)."
        )
        return res
    check = await app.history.check()
    res.summary = check.summary
    if not check.ok:
        res.problems += map(str, check.problems)  # one line each
    else:
        res.chain = entries
        res.notes.append(
            f"the backup's check code matches; {check.files} kept file(s) match their SHA-256; "
            f"head {check.summary.head if check.summary else ''}"
        )
    return res


# ---- the command ------------------------------------------------------------------------------
def _passphrase(args: argparse.Namespace) -> str:
    if args.passphrase_file:
        return Path(args.passphrase_file).read_text(encoding="utf-8").rstrip("\r\n")
    env = os.environ.get("RECOURSE_PASSPHRASE")
    if env is not None:
        return env
    return getpass.getpass("Passphrase of this backup (not shown): ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m pwa_app verify",
        description="Check a Recourse evidence pack (.zip) or encrypted backup. Changes nothing.",
    )
    parser.add_argument("file", help="the evidence pack or backup file")
    parser.add_argument(
        "--passphrase-file", help="read a backup's passphrase from this file (first line)"
    )
    parser.add_argument(
        "--head",
        help="a head hash from an earlier report: check that this record still holds it",
    )
    args = parser.parse_args(argv)
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"Cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    from .vault.vault import BACKUP_MAGIC

    if data.startswith(BACKUP_MAGIC):
        try:
            passphrase = _passphrase(args)
        except (OSError, EOFError, KeyboardInterrupt) as exc:
            print(f"No passphrase: {exc}", file=sys.stderr)
            return 2
        res = asyncio.run(verify_backup_file(data, passphrase))
    else:
        res = verify_pack(data)
    if args.head and res.ok:
        earlier = args.head.strip().lower()
        found = includes(res.chain, earlier)
        if found is None:
            res.problems.append(
                f"The earlier head {earlier[:12]}… is not in this history: entries up to it "
                "were changed or removed (or it is from another record)."
            )
        else:
            res.notes.append(
                f"the earlier head {earlier[:12]}… is entry {found.seq}: nothing up to it has "
                "changed since."
            )
    print(res.report())
    return 0 if res.ok else 1
