"""Passphrases (issue 17, item 1): one too easy to guess is refused with the reason, the app can
make one from the shipped word list, and the wrong-passphrase wait survives a reload."""

from __future__ import annotations

import flet as ft
import pytest
from conftest import FAST_KDF, run
from ui_harness import UiApp

from pwa_app.content import load_content
from pwa_app.services import Services, TooManyAttempts
from pwa_app.services.passphrase import MIN_SCORE, WeakPassphrase
from pwa_app.vault import MemoryStorage, SqliteStorage, WrongPassphrase
from pwa_app.vault.strength import estimate

CONTENT = load_content()
WEAK = ["a", "password", "12345678", "letmein!", "Summer2026", "qwertyuiop"]


def app(storage=None) -> Services:
    return Services(storage or MemoryStorage(), kdf=FAST_KDF)  # today's minimum, not the tests'


def test_the_word_list_is_the_one_named_with_its_source_and_licence():
    words = CONTENT.passphrase
    assert len(words.words) == 7776 and len(set(words.words)) == 7776
    assert words.words[0] == "abacus" and words.words[-1] == "zoom"
    assert "eff.org" in words.source and "CC BY 3.0" in words.licence
    assert words.count >= 5


@pytest.mark.parametrize("weak", WEAK)
def test_a_weak_passphrase_is_refused_with_the_reason(weak):
    s = app()
    with pytest.raises(WeakPassphrase) as exc:
        run(s.session.create(weak))
    assert str(exc.value) == CONTENT.passphrase.too_weak
    assert not run(s.session.has_vault())


def test_a_made_passphrase_is_six_listed_words_different_each_time_and_accepted():
    s = app()
    made = {s.session.make_passphrase() for _ in range(50)}
    assert len(made) == 50
    for m in made:
        parts = m.split(" ")
        assert len(parts) == CONTENT.passphrase.count
        assert all(w in CONTENT.passphrase.words for w in parts)
        assert estimate(m).score >= MIN_SCORE
    one = next(iter(made))
    run(s.session.create(one))
    s.session.lock()
    run(s.session.unlock(one))
    assert s.session.unlocked


def test_a_new_passphrase_must_be_strong_too():
    s = app()
    run(s.session.create("purple elephant dancing quietly"))
    with pytest.raises(WeakPassphrase):
        run(s.session.change_passphrase("purple elephant dancing quietly", "abc123"))
    s.session.lock()
    run(s.session.unlock("purple elephant dancing quietly"))


def three_wrong_tries(tmp_path) -> None:
    s = app(SqliteStorage(tmp_path))
    run(s.session.create("purple elephant dancing quietly"))
    s.session.lock()
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            run(s.session.unlock("wrong guess number one"))


def test_the_wait_after_wrong_passphrases_survives_a_reload(tmp_path):
    three_wrong_tries(tmp_path)
    # A reload: a new process on the same vault file. The wait still holds, even for the
    # right passphrase.
    again = app(SqliteStorage(tmp_path))
    with pytest.raises(TooManyAttempts) as exc:
        run(again.session.unlock("purple elephant dancing quietly"))
    assert exc.value.seconds >= 1
    assert again.session.throttle.failures == 3


def test_the_wait_ends_and_a_right_passphrase_clears_it(tmp_path):
    three_wrong_tries(tmp_path)
    later = app(SqliteStorage(tmp_path))
    later.session.throttle.clock = lambda: 10**10  # long after
    run(later.session.unlock("purple elephant dancing quietly"))
    fresh = app(SqliteStorage(tmp_path))
    fresh.session.throttle.load(run(fresh.session.storage.get_meta("throttle")))
    assert fresh.session.throttle.failures == 0


# ---- on screen ---------------------------------------------------------------------------------
def ui(body) -> None:
    async def go() -> None:
        a = await UiApp(min_score=MIN_SCORE).start(create=False)
        try:
            await body(a)
        finally:
            await a.close()

    run(go())


def test_the_create_screen_refuses_a_weak_one_and_makes_one_to_write_down():
    async def body(a: UiApp) -> None:
        assert a.actions.store.phase == "create"
        await a.field("Passphrase", "password1")
        await a.field("Repeat passphrase", "password1")
        await a.press("Create vault")
        assert a.one(ft.TextField, "Passphrase").error == CONTENT.passphrase.too_weak
        assert a.actions.store.phase == "create"
        await a.press(CONTENT.passphrase.make_button)
        shown = next(c for c in a.all() if getattr(c, "key", None) == "made-words").value
        assert len(shown.split()) == CONTENT.passphrase.count
        assert CONTENT.passphrase.made in a.screen_text()
        assert a.one(ft.TextField, "Passphrase").value == shown
        await a.press("Create vault")
        await a.until(lambda: a.actions.store.phase == "open")
        assert "made-words" not in {getattr(c, "key", None) for c in a.all()}
        a.service.session.lock()
        await a.unlock(shown)
        assert a.service.session.unlocked

    ui(body)


def test_settings_makes_a_new_passphrase_and_refuses_a_weak_one():
    async def body(a: UiApp) -> None:
        await a.field("Passphrase", "purple elephant dancing quietly")
        await a.field("Repeat passphrase", "purple elephant dancing quietly")
        await a.press("Create vault")
        await a.until(lambda: a.actions.store.phase == "open")
        await a.go("/settings")
        await a.field("Current passphrase", "purple elephant dancing quietly")
        await a.field("New passphrase", "monkey12")
        await a.field("Repeat new passphrase", "monkey12")
        await a.press("Change passphrase")
        assert CONTENT.passphrase.too_weak in a.screen_text()
        await a.press(CONTENT.passphrase.make_button)
        made = next(c for c in a.all() if getattr(c, "key", None) == "made-words").value
        await a.press("Change passphrase")
        assert "Passphrase changed." in a.screen_text()
        a.service.session.lock()
        with pytest.raises(WrongPassphrase):
            await a.unlock("purple elephant dancing quietly")
        await a.unlock(made)

    ui(body)
