"""The vault hardened (issue 17), in Chromium on the built site served by a plain static file
server: a passphrase change seals every record in IndexedDB again under a new key, and a record
deleted from IndexedDB behind the app's back is named at the next unlock."""

from __future__ import annotations

import pytest
from browser_harness import (
    enable_semantics,
    open_app,
    press_until,
    reveal_text,
    semantics_text,
    tap,
    type_into,
    wait_phase,
)
from test_browser import (
    PASS,
    attach,
    back_to_lock,
    create_vault,
    home,
    log_url,
    quick_exit,
)

from pwa_app.content import load_content
from pwa_app.vault.index import BUCKETS

pytestmark = pytest.mark.browser
CONTENT = load_content()

NEW = "seven orange kites over harbour"
URL = "https://example.com/rekey"

# Every record in IndexedDB: id, and the blob's first 13 bytes (version byte and nonce) in hex.
ROWS = """() => new Promise((ok, bad) => {
  const r = indexedDB.open('nb');
  r.onerror = bad;
  r.onsuccess = () => {
    const q = r.result.transaction('records').objectStore('records').getAll();
    q.onsuccess = () => { ok(Object.fromEntries(q.result.map(v => [v.id,
      Array.from(v.blob.subarray(0, 13)).map(b => b.toString(16).padStart(2, '0')).join('')])));
      r.result.close(); };
  };
})"""


def change_row(page, rid: str, spoil: bool = False) -> None:
    """A record deleted from IndexedDB behind the app's back; ``spoil``: instead, one bit of
    its last byte (its GCM tag) changed, its nonce (which the record index compares) not."""
    page.evaluate(
        """([rid, spoil]) => new Promise((ok, bad) => {
          const r = indexedDB.open('nb');
          r.onsuccess = () => { const t = r.result.transaction('records', 'readwrite');
            const s = t.objectStore('records');
            if (spoil) { const q = s.get(rid);
              q.onsuccess = () => { const v = q.result; const b = new Uint8Array(v.blob);
                b[b.length - 1] ^= 1; v.blob = b; s.put(v); };
            } else s.delete(rid);
            t.oncomplete = () => { r.result.close(); ok(); }; t.onerror = bad; };
        })""",
        [rid, spoil],
    )


def test_a_passphrase_change_seals_every_record_again_in_the_browser(server, browser, tmp_path):
    picture = tmp_path / "screen.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000)
    page = open_app(browser, server.url)
    create_vault(page)
    log_url(page, URL)
    attach(page, picture, expect="fingerprint")
    home(page)
    before = page.evaluate(ROWS)
    tap(page, "button", "Settings", exact=True)
    type_into(page, "Current passphrase", PASS)
    type_into(page, "New passphrase", NEW)
    type_into(page, "Repeat new passphrase", NEW)
    press_until(page, "button", "Change passphrase", "Passphrase changed", wait_ms=60_000)
    after = page.evaluate(ROWS)
    kept = set(before) & set(after)
    # the same records: only the index's root and buckets, the history head and (in the
    # browser, which has a share target) the inbox's key move: their ids are derived from the key
    moved = 1 + BUCKETS + 2
    assert len(kept) == len(before) - moved and len(after) == len(before)
    assert all(after[rid] != before[rid] for rid in kept)
    quick_exit(page)
    back_to_lock(page)
    type_into(page, "Passphrase", PASS)  # the old passphrase opens nothing now
    press_until(page, "button", "Unlock", "did not open the vault", wait_ms=30_000)
    type_into(page, "Passphrase", NEW)
    press_until(page, "button", "Unlock", "Step by step", wait_ms=30_000)
    tap(page, "button", "Evidence log")
    reveal_text(page, URL)
    reveal_text(page, "screen.png")


def test_a_record_deleted_behind_the_apps_back_is_named_at_unlock(server, browser):
    page = open_app(browser, server.url)
    create_vault(page)
    before = page.evaluate(ROWS)
    log_url(page, URL)
    home(page)
    added = set(page.evaluate(ROWS)) - set(before)
    quick_exit(page)
    # the evidence entry is one of the records the save added (with its history entry)
    for rid in added:
        change_row(page, rid)
    back_to_lock(page)
    type_into(page, "Passphrase", PASS)
    press_until(page, "button", "Unlock", "your records were changed outside it", wait_ms=30_000)
    reveal_text(page, "An evidence entry was removed")


def test_after_quick_exit_the_tabs_history_names_neither_the_app_nor_where_the_person_was(
    server, browser
):
    page = open_app(browser, server.url)
    create_vault(page)
    log_url(page, URL)
    home(page)
    tap(page, "button", "Removal requests")
    page.wait_for_timeout(500)
    home(page)
    tap(page, "button", "Settings", exact=True)
    page.wait_for_timeout(500)
    cdp = page.context.new_cdp_session(page)
    during = cdp.send("Page.getNavigationHistory")["entries"]
    ours = [e for e in during if e["url"].startswith(server.url)]
    assert [e["url"] for e in ours] == [server.url], during  # one entry, no route in it
    quick_exit(page)
    after = cdp.send("Page.getNavigationHistory")
    ours = [e for e in after["entries"] if e["url"].startswith(server.url)]
    assert [e["url"] for e in ours] == [server.url], after
    assert [e["title"] for e in ours] == [CONTENT.quick_exit.decoy_title], after
    assert page.evaluate("history.length") == len(after["entries"])
    assert "#" not in page.url


def test_the_key_derivation_worker_is_gone_once_the_key_is_made(server, browser):
    """Argon2id runs in a worker of its own, holding a copy of the passphrase and 64 MiB of its
    memory: once the key is made it is terminated, not left waiting (issue 17, item 7). It is
    started while the lock screen is up (nothing in it yet), so an unlock does not wait for it
    (issue 18), and an idle one is let go when the app hides."""
    page = open_app(browser, server.url)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Target.setDiscoverTargets", {"discover": True})

    def workers() -> list[str]:
        infos = cdp.send("Target.getTargets")["targetInfos"]
        return [t["url"].rsplit("/", 1)[-1] for t in infos if t["type"] == "worker"]

    assert "python-worker.js" in workers()  # the probe sees the page's workers

    def ready() -> None:
        for _ in range(50):
            if "kdf-worker.js" in workers():
                return
            page.wait_for_timeout(100)
        raise AssertionError("no key derivation worker ready at the lock screen")

    ready()  # before any passphrase
    create_vault(page)
    page.wait_for_timeout(1000)
    assert "kdf-worker.js" not in workers()
    quick_exit(page)
    back_to_lock(page)
    ready()
    quick_exit(page)  # from the lock screen: the idle one goes too
    page.wait_for_timeout(1000)
    assert "kdf-worker.js" not in workers()
    back_to_lock(page)
    ready()
    type_into(page, "Passphrase", PASS)
    press_until(page, "button", "Unlock", "Step by step", wait_ms=30_000)
    page.wait_for_timeout(1000)
    assert "kdf-worker.js" not in workers()


# Every message put into a live region of the page (an element with aria-live, where Flutter
# puts what a screen reader is to say), recorded as it is added: Flutter removes each soon after.
# Flutter adds a no-break space to a message said twice in a row (so that it is said again):
# recorded without it.
HEAR = """() => {
  window.heard = [];
  new MutationObserver(changes => { for (const c of changes) for (const n of c.addedNodes) {
    const live = (n.nodeType === 1 ? n : n.parentElement)?.closest('[aria-live]');
    if (live && n.textContent) window.heard.push(n.textContent.replace(/\u00a0+$/, ''));
  } }).observe(document.body, {childList: true, subtree: true});
}"""


def test_a_screen_reader_hears_that_the_vault_is_opening(server, browser):
    """While the key is made (a second or more on a phone), the lock screen says so in words,
    and as a live region: a screen reader says it without the focus moving."""
    page = open_app(browser, server.url)
    said = "One moment: this can take a few seconds."
    page.evaluate(HEAR)
    create_vault(page)
    assert said in page.evaluate("window.heard.splice(0)")
    quick_exit(page)
    back_to_lock(page)
    type_into(page, "Passphrase", PASS)
    assert said not in page.evaluate("window.heard.splice(0)")
    press_until(page, "button", "Unlock", "Step by step", wait_ms=30_000)
    assert said in page.evaluate("window.heard")


def add_to_worker(browser, addition: str) -> None:
    """The site's own Python worker, served with ``addition`` in place of the line where it
    has connected to Flutter (``addition`` ends with that line)."""
    line = '\n  mark("connected to Flutter");'

    def patched(route) -> None:
        body = route.fetch().text()
        assert line in body
        route.fulfill(body=body.replace(line, addition, 1), content_type="text/javascript")

    browser.route("**/python-worker.js", patched)


# The site's own worker, with one addition for the test: a way to crash Python for real (a read
# far outside its WebAssembly memory, which traps inside the interpreter: Pyodide's "fatal
# error", as a real crash would give).
CRASH = """
  self.recourseCrashForTest = () =>
    pyodide.runPythonAsync("import ctypes\\nctypes.string_at(0xFFFFFF00, 64)");
  mark("connected to Flutter");"""


def test_python_stopping_after_the_start_is_said_and_lets_the_keys_go(server, browser):
    """Python's interpreter crashing while the vault is open (a phone short of memory, a bug in
    its WebAssembly) left a screen that showed the records and answered nothing, and the open
    vault's keys in memory. Now the page says so in plain words over the app, lets Python's
    worker (and the keys) go, Quick exit still hides everything, and a reload opens the app
    again with every saved entry there."""

    add_to_worker(browser, CRASH)
    page = open_app(browser, server.url)
    create_vault(page)
    log_url(page, URL)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Target.setDiscoverTargets", {"discover": True})

    def workers() -> list[str]:
        infos = cdp.send("Target.getTargets")["targetInfos"]
        return [t["url"].rsplit("/", 1)[-1] for t in infos if t["type"] == "worker"]

    assert "python-worker.js" in workers()
    python = next(w for w in page.workers if w.url.endswith("python-worker.js"))
    # (Not awaited here: the page lets this worker go as it crashes.)
    python.evaluate("() => { setTimeout(() => self.recourseCrashForTest().catch(() => {})); }")
    box = page.locator("#start-failed")
    box.wait_for(state="visible", timeout=10_000)
    said = box.inner_text()
    assert "the app stopped" in said and "had saved is kept" in said, said
    assert page.locator("html.stopped flutter-view").evaluate(
        "v => getComputedStyle(v).visibility") == "hidden"  # fmt: skip
    assert "Step by step" not in page.locator("body").aria_snapshot()
    assert page.evaluate("document.activeElement.dataset.reload !== undefined")
    for _ in range(50):
        if "python-worker.js" not in workers():
            break
        page.wait_for_timeout(100)
    assert "python-worker.js" not in workers()  # and with it the open vault's keys

    # Quick exit still hides it all; the date line comes back to the message, not to the app.
    page.get_by_role("button", name="Quick exit").first.click()
    page.get_by_text("Groceries", exact=False).first.wait_for(timeout=5_000)
    assert page.title() == CONTENT.quick_exit.decoy_title
    page.locator("#decoy button").click()
    box.wait_for(state="visible", timeout=5_000)

    box.get_by_role("button", name="Reload").click()
    enable_semantics(page)
    page.get_by_role("button", name="Unlock").wait_for(timeout=90_000)
    assert not box.is_visible()
    type_into(page, "Passphrase", PASS)
    press_until(page, "button", "Unlock", "Step by step", wait_ms=30_000)
    tap(page, "button", "Evidence log")
    reveal_text(page, URL)


# The site's own worker and loader, with two changes for the test: a way to hold Python's thread
# for some seconds (a long task, or a hang), and the page's watch asking every quarter of a
# second and speaking after 3 s of silence instead of 30.
HOLD = """
  self.recourseHoldForTest = (seconds) => pyodide.runPython(
    "import time\\nend = time.monotonic() + " + seconds + "\\nwhile time.monotonic() < end: pass");
  mark("connected to Flutter");"""
WATCH = "var BEAT_MS = 5000, QUIET_MS = 30000;"


def test_python_held_up_is_said_and_taken_back_when_it_answers_again(server, browser):
    """Python's thread held (a long task, or a hang) used to leave a screen that answered
    nothing, with no word. Now, after a spell without an answer, the page says so at the foot of
    the screen, with Reload; never over Quick exit, never under its cover; and it takes it back
    by itself once Python answers again. An idle app says nothing."""

    def loader(route) -> None:
        body = route.fetch().text()
        assert WATCH in body
        route.fulfill(body=body.replace(WATCH, "var BEAT_MS = 250, QUIET_MS = 3000;"),
                      content_type="text/javascript")  # fmt: skip

    add_to_worker(browser, HOLD)
    browser.route("**/python.js", loader)
    page = open_app(browser, server.url)
    create_vault(page)
    box = page.locator("#not-answering")
    page.wait_for_timeout(5_000)  # Python idle at home answers: nothing is said
    assert box.is_hidden()

    def hold(seconds: int) -> None:
        python = next(w for w in page.workers if w.url.endswith("python-worker.js"))
        python.evaluate(f"() => {{ setTimeout(() => self.recourseHoldForTest({seconds})); }}")
        box.wait_for(state="visible", timeout=8_000)

    hold(8)
    said = box.inner_text()
    assert "not answered for half a minute" in said and "saved is kept" in said, said
    assert box.get_attribute("role") == "status"
    exit_button = page.get_by_role("button", name="Quick exit").first
    over = exit_button.bounding_box()
    under = box.bounding_box()
    assert over["y"] + over["height"] <= under["y"], (over, under)  # Quick exit stays clear
    # Quick exit still hides everything at once, this message too (and from a screen reader).
    exit_button.click()
    page.get_by_text("Groceries", exact=False).first.wait_for(timeout=5_000)
    assert box.evaluate("b => getComputedStyle(b).display") == "none"
    assert "answered" not in page.locator("body").aria_snapshot()
    wait_phase(page, "decoy", timeout=30_000)  # Python locks once it is free again
    back_to_lock(page)
    assert box.is_hidden()  # Python answered: the message was taken back

    hold(600)  # as good as a hang: Reload brings the app back, locked
    box.get_by_role("button", name="Reload").click()
    enable_semantics(page)
    page.get_by_role("button", name="Unlock").wait_for(timeout=90_000)
    assert box.is_hidden()


def test_a_record_changed_behind_the_apps_back_is_named_and_the_others_still_open(server, browser):
    """The records are opened many at a time in one call into WebCrypto: one that no longer
    authenticates is counted as not opened, and the others of its batch open as they were."""
    page = open_app(browser, server.url)
    create_vault(page)
    log_url(page, URL)
    home(page)
    before = page.evaluate(ROWS)
    log_url(page, URL + "/spoiled")
    spoiled = set(page.evaluate(ROWS)) - set(before)  # the entry and its history entry
    home(page)
    log_url(page, URL + "/after")
    home(page)
    quick_exit(page)
    for rid in spoiled:
        change_row(page, rid, spoil=True)
    back_to_lock(page)
    type_into(page, "Passphrase", PASS)
    press_until(page, "button", "Unlock", "Step by step", wait_ms=30_000)
    reveal_text(page, "saved item(s) could not be opened")
    tap(page, "button", "Evidence log")
    reveal_text(page, URL + "/after")
    reveal_text(page, URL)
    assert "/spoiled" not in semantics_text(page)


# The site's own worker, with one addition for the test: a way to run Python in it.
RUN = """
  self.recourseRunForTest = (code) => pyodide.runPythonAsync(code);
  mark("connected to Flutter");"""

# The storage's own write, straight: what became of it.
PROBE = """
from pwa_app.vault import StorageSilent
from pwa_app.vault.storage_indexeddb import IndexedDBStorage
try:
    await IndexedDBStorage().put_meta(b"probe", "probe")
    said = "written"
except StorageSilent:
    said = "given up"
said
"""
PROBED = """() => new Promise((ok, bad) => {
  const r = indexedDB.open('nb');
  r.onerror = () => bad(r.error);
  r.onsuccess = () => { const q = r.result.transaction('meta').objectStore('meta').get('probe');
    q.onsuccess = () => { ok(q.result !== undefined); r.result.close(); }; };
})"""

# Another window of the same site holding the vault's stores in a transaction that does not
# end (it keeps asking for a record). Read-only: this app's reads go on, and its writes wait
# for ever (a write waits for every earlier transaction on its stores to end).
HOLD_STORE = """() => new Promise((ok, bad) => {
  const r = indexedDB.open('nb');
  r.onerror = () => bad(r.error);
  r.onsuccess = () => {
    const db = r.result, tx = db.transaction(['records', 'meta'], 'readonly');
    const store = tx.objectStore('records');
    window.holding = true;
    const again = () => { if (window.holding) store.get('none').onsuccess = again; };
    again();
    tx.oncomplete = () => { db.close(); window.released = true; };
    ok(true);
  };
})"""


def test_storage_that_never_answers_is_given_up_and_nothing_is_written(server, browser):
    """A save whose storage never answered (a stuck engine, a stalled disk, another window
    holding the store) used to wait for ever, with Python free and nothing said. Now, after a
    spell without an answer (a minute; 3 s here), its transaction is aborted and the person is
    told that nothing was changed; that is true (the entry is not in the log), and once the
    storage answers again the same save works, and the entry is there once."""

    add_to_worker(browser, RUN)
    page = open_app(browser, server.url)
    create_vault(page)
    log_url(page, URL)
    python = next(w for w in page.workers if w.url.endswith("python-worker.js"))
    python.evaluate(
        "() => self.recourseRunForTest("
        "'import pwa_app.vault.storage_indexeddb as s\\ns.QUIET_S = 3.0')"
    )
    other = browser.new_page()
    other.goto(server.url + "/manifest.json")
    assert other.evaluate(HOLD_STORE)
    assert python.evaluate("code => self.recourseRunForTest(code)", PROBE) == "given up"

    second = "https://example.com/while-stuck"
    type_into(page, "Web address (URL)", second)
    tap(page, "button", "Save to evidence log")
    reveal_text(page, "did not answer for over a minute")
    assert "Saved to your evidence log" not in semantics_text(page)

    other.evaluate("window.holding = false")
    other.wait_for_function("window.released === true", timeout=10_000)
    other.close()
    page.wait_for_timeout(2_000)  # (a write let through would land now)
    assert not page.evaluate(PROBED)
    # Nothing was written, as the message said: read back from IndexedDB after a reload.
    page.reload()
    enable_semantics(page)
    page.get_by_role("button", name="Unlock").wait_for(timeout=90_000)
    type_into(page, "Passphrase", PASS)
    press_until(page, "button", "Unlock", "Step by step", wait_ms=30_000)
    tap(page, "button", "Evidence log")
    reveal_text(page, URL)
    assert second not in semantics_text(page)
    # The storage answers again: the same save works.
    type_into(page, "Web address (URL)", second)
    press_until(page, "button", "Save to evidence log", "Saved to your evidence log")
    reveal_text(page, second)
