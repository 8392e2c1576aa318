"""The static build's own pieces: pinned downloads, reproducible archives, checked patches,
the headers a host should send. (The whole site is built and run by the browser tests.)"""

import gzip
import json
import subprocess
import zipfile

import pytest

from pwa_app.site import build
from pwa_app.site.serve import read_headers


def test_a_download_that_does_not_match_its_pinned_hash_is_refused(monkeypatch, tmp_path):
    cfg = build._config()
    wrong = [r.rsplit("sha256:", 1)[0] + "sha256:" + "0" * 64 for r in cfg["wheels"][:1]]
    monkeypatch.setattr(build, "_config", lambda: {**cfg, "wheels": wrong, "sdists": []})
    with pytest.raises(build.BuildError):
        build.python_packages(tmp_path)


def test_the_app_bundle_is_reproducible_and_reads_back_as_the_worker_reads_it(tmp_path):
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "pkg" / "a.py").write_text("x = 1\n")
    (src / "data.toml").write_bytes(b"\x00\x01 binary too")
    (src / "skip.ttf").write_bytes(b"font")
    one, two = tmp_path / "1.bundle", tmp_path / "2.bundle"
    build.app_bundle(src, one, skip=("skip.ttf",))
    (src / "pkg" / "a.py").touch()  # a newer time changes nothing
    build.app_bundle(src, two, skip=("skip.ttf",))
    assert one.read_bytes() == two.read_bytes()
    raw = gzip.decompress(one.read_bytes())
    n = int.from_bytes(raw[:4], "big")
    at, files = 4 + n, {}
    for name, size in json.loads(raw[4 : 4 + n]):
        files[name] = raw[at : at + size]
        at += size
    assert files == {"data.toml": b"\x00\x01 binary too", "pkg/a.py": b"x = 1\n"}
    assert at == len(raw)


def test_the_packages_zip_holds_bytecode_where_the_sources_were(tmp_path):
    src = tmp_path / "pk"
    (src / "mod" / "__pycache__").mkdir(parents=True)
    (src / "mod" / "__init__.py").write_text("")
    (src / "mod" / "__pycache__" / "__init__.cpython-314.pyc").write_bytes(b"pyc")
    (src / "mod" / "data.json").write_text("{}")
    (src / "mod-1.0.dist-info").mkdir()
    (src / "mod-1.0.dist-info" / "RECORD").write_text("x")
    (src / "mod-1.0.dist-info" / "LICENSE").write_text("MIT")
    out = tmp_path / "p.zip"
    build.bytecode_zip(src, out)
    with zipfile.ZipFile(out) as z:
        assert sorted(z.namelist()) == [
            "mod-1.0.dist-info/LICENSE",
            "mod/__init__.pyc",
            "mod/data.json",
        ]
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in z.infolist())


def test_a_change_in_flet_web_fails_the_build_loudly():
    with pytest.raises(build.BuildError):
        build._replace_once("no such thing here", r"serviceWorkerSettings", "", "bootstrap")
    assert build._replace_once("a X b", r"X", "Y", "t") == "a Y b"


def test_the_rive_address_is_replaced_by_one_of_the_same_length():
    assert len(build.RIVE_LOCAL) == len(build.RIVE_CDN)
    assert not build.RIVE_LOCAL.startswith((b"http:", b"https:"))


def test_headers_file_carries_the_page_policy(tmp_path):
    html = "<script>var a = 1;</script><script src='x.js'></script><script>var b = 2;</script>"
    (tmp_path / "_headers").write_text(
        "/*\n" + "".join(f"  {k}: {v}\n" for k, v in build.headers(html).items())
    )
    got = read_headers(tmp_path)
    assert got["Content-Security-Policy"] == build.csp(html) + "; frame-ancestors 'none'"
    assert "default-src 'self'" in got["Content-Security-Policy"]
    assert "'unsafe-eval'" not in got["Content-Security-Policy"]
    # the two inline scripts by their SHA-256, and no other inline script
    assert got["Content-Security-Policy"].count("'sha256-") == 2
    script_src = next(p for p in build.csp(html).split("; ") if p.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-inline'" in build.csp()  # the developer's server mode: Flet adds a script
    assert read_headers(tmp_path / "missing") == {}


def test_any_change_to_what_the_site_is_made_of_means_a_rebuild(tmp_path, monkeypatch):
    (tmp_path / "index.html").write_text("x")
    (tmp_path / build.INFO_FILE).write_text(json.dumps({"inputs": "abc"}))
    monkeypatch.setattr(build, "inputs_fingerprint", lambda: "abc")
    assert build.is_fresh(tmp_path)
    monkeypatch.setattr(build, "inputs_fingerprint", lambda: "abd")
    assert not build.is_fresh(tmp_path)


def test_the_readme_command_serves_the_built_site_on_loopback_with_its_headers():
    """``python3 -m pwa_app``: builds the site if it is missing or stale, serves it on
    127.0.0.1 only, and says where and how to stop."""
    import subprocess
    import sys
    import time
    import urllib.request

    from browser_harness import built_site, free_port

    built_site()  # fresh, so the command only serves
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pwa_app", "--port", str(port)],
        cwd=build.ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        said = proc.stdout.readline() + proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in said and "Ctrl+C" in said
        deadline = time.time() + 10
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
                    assert b"python.js" in r.read()
                break
            except OSError:
                assert time.time() < deadline
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(10)


def test_the_bundle_leaves_out_the_site_tools_folder_and_nothing_else(tmp_path):
    build._stage_app(tmp_path)
    staged = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.py")}
    own = {
        p.relative_to(build.ROOT).as_posix()
        for p in (build.ROOT / "pwa_app").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert not any(p.startswith("pwa_app/site/") for p in staged)
    assert own - staged == {p for p in own if p.startswith("pwa_app/site/")}
    assert "pwa_app/vault/inbox.py" in staged


def test_the_pages_own_words_are_the_catalogues_and_the_same_as_the_page_in_english(tmp_path):
    """The page's own script speaks the language the app speaks (before Python has started, or
    when it cannot): the build writes its words for each language offered. With English alone,
    English only; the English is word for word what the page itself says."""
    import re

    from catalogues import offered_copy, pseudo_language

    from pwa_app.i18n import pseudo_rtl

    assert list(build.page_words()) == ["en"]  # no other language is offered yet
    english = build.page_words()["en"]
    page = (build.ROOT / "assets" / "index.html").read_text()
    shown = {
        key: " ".join(text.split())
        for key, text in re.findall(r'data-word="(\w+)"[^>]*>([^<]+)<', page)
    }
    assert shown and all(shown[k] == english["words"][k] for k in shown), shown
    assert 'title="' + english["words"]["quick_exit_hint"] + '"' in page
    assert 'aria-label="' + english["words"]["loading"] + '"' in page
    assert english["decoy"]["title"] == "Notes" and not english["rtl"]

    offered_copy(tmp_path, "es")
    pseudo_language(tmp_path, "qps-plocm", pseudo_rtl, rtl=True)
    words = build.page_words(locales=tmp_path)
    assert list(words) == ["en", "es", "qps-plocm"]
    assert words["es"]["words"]["quick_exit"] == "Salida rápida"
    assert words["es"]["decoy"]["title"] == "Notas" and not words["es"]["rtl"]
    assert words["qps-plocm"]["rtl"]
    assert set(words["es"]["words"]) == set(build.PAGE_WORDS)
    assert all(words["es"]["words"][k] != build.PAGE_WORDS[k] for k in build.PAGE_WORDS)
    html = build.index_html(words)
    assert '"Salida rápida"' in html and "/*WORDS*/" not in html


def test_pythons_worker_starts_no_worker_inside_itself():
    """In Firefox, a worker started inside Python's worker could leave Python's worker deaf for
    good: the app stayed on 'Working...' (the CI failure at d03ab26; 4 loads in 12 on a busy
    machine). The page runs Argon2id's worker and passes the keys on; Python's worker asks it."""
    worker = (build.ROOT / "assets" / "python-worker.js").read_text()
    page = (build.ROOT / "assets" / "python.js").read_text()
    code = "\n".join(line for line in worker.splitlines() if not line.lstrip().startswith("//"))
    assert "new Worker(" not in code
    assert 'new Worker(new URL("kdf-worker.js"' in page


def test_pythons_snapshot_holds_the_apps_modules_and_flets_for_the_first_screens(tmp_path):
    """The app's own modules, Flet's that the first screens use and those its run needs to
    connect (pwa_app.ui.app.preload) are in Python's start snapshot, so no start imports them,
    and content/ read and checked, so no start reads it: Python restored from the built site's
    snapshot (under Node, as the browser's worker restores it, with the site's Pyodide) has
    them before any code of the app runs. With the app's
    modules Python's memory is larger than the memory Pyodide starts with, and Pyodide as
    flet-web ships it refuses to restore it: the site's restores it (build.GROW_FIRST)."""
    import flet as ft
    from browser_harness import built_site

    from pwa_app.site.build import CACHE, flet_web_dir, node_tools
    from pwa_app.ui.app import CONNECTION, FIRST_SCREENS

    site = built_site()
    script = f"""
import fs from "node:fs";
import zlib from "node:zlib";
const snapshot = zlib.gunzipSync(fs.readFileSync({json.dumps(str(site / "python-snapshot.bin"))}));
const shipped = await import({json.dumps((flet_web_dir() / "pyodide" / "pyodide.mjs").as_uri())});
try {{
  await shipped.loadPyodide({{ _loadSnapshot: new Uint8Array(snapshot) }});
  console.log("restored as shipped");
}} catch (error) {{
  console.log("refused as shipped: " + error);
}}
const {{ loadPyodide }} = await import({json.dumps((site / "pyodide" / "pyodide.mjs").as_uri())});
const py = await loadPyodide({{ _loadSnapshot: new Uint8Array(snapshot) }});
console.log(py.runPython("import sys, json; json.dumps(sorted(sys.modules))"));
console.log(py.runPython("import sys; sys.modules['pwa_app.ui.app'].__file__"));
console.log(py.runPython("import pwa_app.content as c; c.default_content.cache_info().currsize"));
"""
    js = tmp_path / "snapshot-probe.mjs"
    js.write_text(script)
    out = subprocess.run(
        [*node_tools(CACHE)[0], str(js)], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    *_, shipped, modules, app_file, content_kept = out.stdout.strip().splitlines()
    assert shipped.startswith("refused as shipped: RangeError"), shipped
    restored = set(json.loads(modules))
    wanted = {getattr(ft, name).__module__ for name in FIRST_SCREENS} | {*CONNECTION, "msgpack"}
    wanted |= {"pwa_app.ui.app", "pwa_app.ui.lock", "pwa_app.ui.state", "pwa_app.vault"}
    assert wanted <= restored, sorted(wanted - restored)
    assert app_file == "/app/pwa_app/ui/app.py"  # where the worker writes the app's files
    assert content_kept == "1"  # content/ read as the snapshot was made (ahead_of_start)
