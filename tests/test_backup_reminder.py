"""A backup offered, never required (issue 18, item 3, in part): Settings says when the last
backup was saved from this device, and after new evidence, with no backup for a week, the home
screen offers one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import FAST_KDF, run
from ui_harness import UiApp

from pwa_app.domain import EvidenceItem, backup_due
from pwa_app.services import Services
from pwa_app.vault import MemoryStorage

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def item(logged: datetime) -> EvidenceItem:
    return EvidenceItem("e", "c", "https://example.com/x", "X", logged, logged_at=logged)


def test_the_rule():
    week = timedelta(days=7)
    assert not backup_due(None, [], T0)  # nothing to keep yet
    assert backup_due(None, [item(T0)], T0)  # evidence, and never a backup
    assert not backup_due(T0, [item(T0 - week)], T0 + 30 * week)  # nothing new since
    assert not backup_due(T0, [item(T0 + week / 2)], T0 + week / 2)  # new, but a recent backup
    assert backup_due(T0, [item(T0 + week / 2)], T0 + week)  # new, and a week without one


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def test_saving_a_backup_is_remembered_and_the_offer_comes_back_after_a_week():
    clock = Clock()
    s = Services(MemoryStorage(), clock=clock, kdf=FAST_KDF, min_score=0)
    run(s.session.create("pw"))
    case = run(s.cases.ensure())
    assert not run(s.overview.snapshot()).backup_due
    run(s.evidence.log(case.id, "https://example.com/1", "X", None))
    assert run(s.overview.snapshot()).backup_due
    run(s.backup.export())
    run(s.backup.exported())
    snap = run(s.overview.snapshot())
    assert not snap.backup_due and snap.settings.last_backup == "2026-11-01T09:00:00+00:00"
    clock.now = T0 + timedelta(days=3)
    run(s.evidence.log(case.id, "https://example.com/2", "X", None))
    assert not run(s.overview.snapshot()).backup_due  # a backup three days ago
    clock.now = T0 + timedelta(days=8)
    assert run(s.overview.snapshot()).backup_due


def test_home_offers_it_and_settings_says_when():
    async def body(a: UiApp) -> None:
        await a.go("/settings")
        assert "No backup has been saved from here yet." in a.screen_text()
        await a.go("/")
        assert "backup-due" not in {getattr(c, "key", None) for c in a.all()}
        case = await a.service.cases.ensure()
        await a.service.evidence.log(case.id, "https://example.com/1", "X", None)
        await a.actions.refresh()
        await a.settle()
        assert "Keep a copy somewhere safe" in a.screen_text()
        saved: list[tuple[str, bytes]] = []

        async def save_file(name: str, data: bytes) -> bool:  # the system's save dialog
            saved.append((name, data))
            return True

        a.actions.save_file = save_file
        await a.tap(next(c for c in a.all() if getattr(c, "key", None) == "backup-now"))
        await a.until(lambda: not a.actions.store.backup_due)
        await a.settle()
        assert "Keep a copy somewhere safe" not in a.screen_text()
        assert saved and saved[0][1].startswith(b"RECOURSE-BACKUP")
        await a.go("/settings")
        assert "Last backup saved from here:" in a.screen_text()

    async def go() -> None:
        a = await UiApp().start()
        try:
            await body(a)
        finally:
            await a.close()

    run(go())


def test_safari_in_a_tab_is_told_before_anything_is_saved():
    from pwa_app.ui.common import SAFARI_TAB

    async def go() -> None:
        a = await UiApp().start(create=False)
        try:
            assert SAFARI_TAB not in a.screen_text()
            a.actions.on_page_message("safari-tab")  # what the page says in Safari, in a tab
            await a.settle()
            assert SAFARI_TAB in a.screen_text()  # the first screen, before the vault exists
            await a.service.session.create("purple elephant dancing quietly")
            await a.actions.opened()
            await a.go("/evidence")
            assert SAFARI_TAB in a.screen_text()  # and where evidence is saved
        finally:
            await a.close()

    run(go())
