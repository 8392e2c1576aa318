"""The request form, drawn by the real Flet app in this process (issue 15): the warning that the
request can reach the uploader comes before anything is typed and again beside the buttons that
send; a choice the law does not need is off until the person turns it on."""

from __future__ import annotations

import flet as ft
import pytest
from ui_harness import BUTTONS, UiApp, walk, with_app

from pwa_app.content import load_content

CONTENT = load_content()
TYPED = {
    "full_name": "Ana Núñez",
    "email": "ana@example.org",
    "urls": "https://example.com/leak/1",
    "description": "one photo",
    "recipient": "Example Host",
    "site": "https://example.com",
    "first_contacted": "2026-11-01",
}


def radio_value(app: UiApp, fid: str) -> str | None:
    group = next(c for c in app.find(ft.Column) if c.key == fid)
    return next(x for x in walk(group) if isinstance(x, ft.RadioGroup)).value


def order(app: UiApp, needle: str) -> list[int]:
    """Where in the drawn screen, top to bottom, a text containing ``needle`` is."""
    return [i for i, c in enumerate(app.all()) if isinstance(c, ft.Text) and needle in str(c.value)]


async def fill(app: UiApp, kind: str) -> None:
    for f in app.find(ft.TextField):
        if f.key in TYPED and f.key in CONTENT.notice(kind).fields:
            await app.type(f, TYPED[f.key])


@pytest.mark.parametrize("kind", [n.id for n in CONTENT.notices if n.warning])
def test_the_warning_comes_before_the_fields_and_again_beside_the_send_buttons(kind):
    warning = CONTENT.notice(kind).warning

    async def go(app: UiApp) -> None:
        await app.go(f"/requests/{kind}")
        first_field = next(i for i, c in enumerate(app.all()) if isinstance(c, ft.TextField))
        assert order(app, warning[:60]) and order(app, warning[:60])[0] < first_field
        assert not [b for b in app.find(BUTTONS) if b.key in ("copy", "email", "sent")]
        if kind == "dsa16":
            group = next(c for c in app.find(ft.Column) if c.key == "dsa_statement")
            radios = next(x for x in walk(group) if isinstance(x, ft.RadioGroup))
            app.session.apply_patch(radios._i, {"value": "privacy"})
            await app.tap(radios, "change", "privacy")
        await fill(app, kind)
        await app.press("Preview")
        where = order(app, warning[:60])
        send = next(i for i, c in enumerate(app.all()) if getattr(c, "key", None) == "send")
        assert len(where) == 2 and where[0] < first_field < where[1] < send

    with_app(go)


def test_dmca_leaves_out_the_intimate_sentence_and_says_who_took_it_until_told_otherwise():
    async def go(app: UiApp) -> None:
        await app.go("/requests/dmca")
        assert radio_value(app, "dmca_author") == "took"
        assert radio_value(app, "dmca_mention") == "leave"
        await fill(app, "dmca")
        await app.press("Preview")
        assert "made by me" in app.screen_text() and "intimate imagery" not in app.screen_text()
        group = next(c for c in app.find(ft.Column) if c.key == "dmca_mention")
        radios = next(x for x in walk(group) if isinstance(x, ft.RadioGroup))
        app.session.apply_patch(radios._i, {"value": "say"})
        await app.tap(radios, "change", "say")
        await app.press("Preview")
        assert "intimate imagery published without my consent" in app.screen_text()

    with_app(go)


def test_a_notice_goes_in_the_recipients_language_and_the_person_can_choose_another():
    note = CONTENT.notice("gdpr17").version("es").note

    async def go(app: UiApp) -> None:
        await app.go("/requests/gdpr17")
        assert radio_value(app, "language") == "en"  # nobody to read an ending from yet
        assert not order(app, note[:50])
        await fill(app, "gdpr17")
        for f in app.find(ft.TextField):
            if f.key == "recipient_email":
                await app.type(f, "privacidad@ejemplo.es")
        assert radio_value(app, "language") == "es"
        assert order(app, "ends in .es") and order(app, note[:50])
        await app.press("Preview")
        text = app.screen_text()
        assert "Para: Example Host <privacidad@ejemplo.es>" in text
        assert "Me llamo Ana Núñez" in text and "My name is Ana Núñez" in text  # with its original
        assert "texto oficial en español" in text  # the Spanish wording's source
        group = next(c for c in app.find(ft.Column) if c.key == "language")
        radios = next(x for x in walk(group) if isinstance(x, ft.RadioGroup))
        app.session.apply_patch(radios._i, {"value": "en"})
        await app.tap(radios, "change", "en")
        assert "Me llamo" not in app.screen_text()  # the Spanish preview is gone with the choice
        assert radio_value(app, "language") == "en" and order(app, "You chose it.")
        await app.press("Preview")
        text = app.screen_text()
        assert "My name is Ana Núñez" in text and "Me llamo" not in text

    with_app(go)


def test_a_notice_in_one_language_only_offers_no_choice():
    async def go(app: UiApp) -> None:
        await app.go("/requests/dmca")
        assert not [c for c in app.find(ft.Column) if c.key == "language"]

    with_app(go)
