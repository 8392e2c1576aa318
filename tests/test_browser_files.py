"""Files in and out of the web app go straight between the page and Python, never through
Flutter (issue 18). Through Flutter a file's bytes cost 40 to over 100 times their size in the
page's memory (measured on a phone set-up: each 2.5 MB screenshot attached grew the page by
about 100 MB, and saving a 10 MB backup took it to 1.8 GB), which a phone's browser does not
survive.

The page here counts the bytes on Flutter's channel (the raw messages between Flutter and
Python's worker) and what the page reads of a chosen file; the page, Flutter, Python and the
files are the real ones."""

from __future__ import annotations

import hashlib
import os

import pytest
from browser_harness import reveal_text, tap
from test_browser import PASS, attach, home, run_native, vault_with_entry

from pwa_app.services import MAX_ATTACHMENT, Services
from pwa_app.vault import MemoryStorage

pytestmark = pytest.mark.browser

COUNT = """
window.__crossed = {toPython: 0, toFlutter: 0, picked: []};
const Made = window.Worker;
window.Worker = function (url, options) {
  const w = new Made(url, options);
  w.addEventListener('message', (e) => {
    if (e.data instanceof Uint8Array) window.__crossed.toFlutter += e.data.byteLength;
  });
  return w;
};
window.Worker.prototype = Made.prototype;
const post = Made.prototype.postMessage;
Made.prototype.postMessage = function (m, t) {
  if (m instanceof Uint8Array) window.__crossed.toPython += m.byteLength;
  if (m && m.recourse && m.recourse.kind === 'file-done')
    window.__crossed.picked.push(m.recourse.value.bytes ? m.recourse.value.bytes.byteLength : -1);
  return post.call(this, m, t);
};
// A file the browser cannot read (it was moved, or a cloud copy did not download).
const read = Blob.prototype.arrayBuffer;
Blob.prototype.arrayBuffer = function () {
  return this.name === 'unreadable.bin'
    ? Promise.reject(new DOMException('gone', 'NotReadableError')) : read.call(this);
};
"""
LIMIT = 500_000  # bytes: the screens' own messages while a file goes in or out


def crossed(page) -> dict:
    return page.evaluate("window.__crossed")


@pytest.fixture
def counted(pw, tmp_path, server):
    with vault_with_entry(
        pw, tmp_path / "profile", server.url, "https://example.com/rec", COUNT
    ) as page:
        yield page


def test_a_file_in_and_a_backup_out_never_cross_flutter(counted, tmp_path):
    page = counted
    data = os.urandom(6_000_000)
    path = tmp_path / "recording.bin"
    path.write_bytes(data)
    before = crossed(page)
    attach(page, path)
    after = crossed(page)
    assert after["picked"][-1] == len(data)
    assert after["toPython"] - before["toPython"] < LIMIT, after

    home(page)
    tap(page, "button", "Settings", exact=True)
    with page.expect_download(timeout=60_000) as dl:
        tap(page, "button", "Export encrypted backup")
    reveal_text(page, "was handed to your browser to download")
    backup = tmp_path / "backup.enc"
    dl.value.save_as(backup)
    assert backup.stat().st_size > len(data)
    assert crossed(page)["toFlutter"] - after["toFlutter"] < LIMIT

    async def native():  # the very file, in the backup the browser saved
        svc = Services(MemoryStorage())
        await svc.backup.restore(backup.read_bytes(), PASS)
        (item,) = await svc.evidence.all()
        return item.attachments[0].sha256

    assert run_native(native) == hashlib.sha256(data).hexdigest()


def test_too_large_cancelled_or_unreadable_each_is_said_and_the_next_file_is_taken(
    counted, tmp_path
):
    page = counted
    big = tmp_path / "video.mp4"
    big.write_bytes(os.urandom(MAX_ATTACHMENT + 2_000_000))
    attach(page, big, expect="larger than 15 MB")
    assert crossed(page)["picked"][-1] == MAX_ATTACHMENT + 1

    # The chooser closed with nothing chosen: the app goes on, and the next file is taken.
    with page.expect_file_chooser(timeout=30_000) as fc:
        tap(page, "button", "Attach screenshot or file")
    fc.value.set_files([])
    page.wait_for_function("window.__crossed.picked.length === 2 && "
                           "window.__crossed.picked[1] === -1")  # fmt: skip
    gone = tmp_path / "unreadable.bin"
    gone.write_bytes(b"x" * 1000)
    attach(page, gone, expect="could not be read (NotReadableError)")

    small = tmp_path / "notes.txt"
    small.write_text("What they wrote to me, copied out.\n" * 100)
    attach(page, small)
    assert crossed(page)["picked"][-1] == small.stat().st_size
