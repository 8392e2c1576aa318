"""The start's work before the first screen: what Python does after Flutter has asked for it is
on the way to the screen (in the browser, on a phone, seconds), what it does before is not."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A fresh Python (no other test has imported Flet's controls): after the app's preload, the
# first run to home and a later one (lock screen, unlock, home) import no module of Flet's.
FLOWS = """
import asyncio, sys
import flet as ft
from pwa_app.ui.app import preload
from ui_harness import UiApp
from pwa_app.vault import MemoryStorage

preload()
before = set(sys.modules)

async def flows():
    storage = MemoryStorage()
    first = await UiApp(storage=storage).start(create=False)
    seen = [first.actions.store.phase]
    await first.close()
    made = await UiApp(storage=storage).start(create=True)
    seen.append(made.actions.store.phase)
    await made.close()
    later = await UiApp(storage=storage).start(create=False)
    seen.append(later.actions.store.phase)
    await later.unlock()
    seen.append(later.actions.store.phase)
    await later.close()
    return seen

print(asyncio.run(flows()))
print(sorted(m for m in set(sys.modules) - before if m.split(".")[0] == "flet"))
"""


def test_the_first_screens_need_no_import_of_flets_after_the_preload():
    out = subprocess.run(
        [sys.executable, "-c", FLOWS],
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'tests'}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    phases, imported = out.stdout.strip().splitlines()[-2:]
    assert phases == "['create', 'open', 'unlock', 'open']"
    assert imported == "[]", f"imported after the preload (add them to FIRST_SCREENS): {imported}"


def test_the_lock_screen_reads_no_content_and_content_is_read_once_it_is_drawn(monkeypatch):
    """Reading and checking the whole of content/ was most of the app's own start (natively 57
    of 70 ms); the lock screen shows none of it. It is read once the screen is drawn."""
    from ui_harness import UiApp

    from pwa_app.content import default_content
    from pwa_app.services import session
    from pwa_app.vault import MemoryStorage

    storage = MemoryStorage()

    async def make() -> None:
        made = await UiApp(storage=storage).start(create=True)
        await made.close()

    asyncio.run(make())
    reads = []

    def counted():
        reads.append(1)
        return default_content()

    monkeypatch.setattr(session, "default_content", counted)
    asyncio.run(later(storage, reads))


async def later(storage, reads) -> None:
    from ui_harness import UiApp

    app = await UiApp(storage=storage).start(create=False)
    try:
        await app.settle(20)
        assert app.actions.store.phase == "unlock"
        assert reads == []
        app.actions.drawn()  # (Flutter laid out the lock screen)
        await app.until(lambda: reads != [], seconds=5)
        await app.unlock()
        assert app.actions.store.phase == "open"
    finally:
        await app.close()
