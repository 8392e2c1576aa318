"""What a phone's screen holds: every one-line text field's name, on every screen and in every
language the app speaks, fits on one line of a 360-px phone, in the app's own font.

Flutter draws a field's name inside its box, and the box of a one-line field has room for its
name on one line (two, squeezed). Longer names were cut off at a phone's width: "Prepared by
(optional): how you want it to read, for example your name" ran over three lines in the
evidence report's box, and its end could not be read. What explains a field goes below it, as
its hint, which wraps."""

from __future__ import annotations

from typing import Any

import flet as ft
from PIL import ImageFont
from test_i18n import offered_spanish
from test_ui_keys import SCREENS, full_app, run
from ui_harness import UiApp, walk

from pwa_app import i18n
from pwa_app.paths import assets_dir

FONT = ImageFont.truetype(str(assets_dir() / "fonts" / "DejaVuSans.ttf"), 16)
# A field's name has 290 px on a 360-px screen: 16 px of page margin and 12 px inside the box
# on each side, less a little (measured: 273 px fitted on one line, 303 px did not).
ROOM = 290
BESIDE = 50  # a calendar button beside a date field, or the eye inside a passphrase field


def width(text: str) -> float:
    """As Flutter draws a field's name: 16 px, with Material 3's letter spacing of 0.5 px."""
    return FONT.getlength(text) + 0.5 * len(text)


def too_long(root: Any) -> list[str]:
    """Every one-line field whose name does not fit on one line, with its width and room."""
    found = []
    beside = {  # fields with a button beside them (a date's calendar) have less room
        id(c)
        for row in walk(root)
        if isinstance(row, ft.Row) and any(isinstance(x, ft.IconButton) for x in row.controls)
        for c in walk(row)
    }
    for c in walk(root):
        if not isinstance(c, ft.TextField) or c.multiline or not c.label:
            continue
        room = ROOM - (BESIDE if id(c) in beside or c.password else 0)
        if width(str(c.label)) > room:
            found.append(f"{c.label!r} ({width(str(c.label)):.0f} px, room {room})")
    return found


def test_every_one_line_fields_name_fits_on_a_phone_in_every_language(tmp_path, monkeypatch):
    offered_spanish(tmp_path, monkeypatch)  # (and every language a reviewer has marked)

    async def go(language: str) -> tuple[set[str], list[str]]:
        app = await full_app(device_languages=[language])
        names: set[str] = set()
        found: list[str] = []
        try:
            for route in SCREENS:
                await app.go(route)
                names |= {str(c.label) for c in walk(app.root()) if isinstance(c, ft.TextField)}
                found += [f"{language} {route}: {p}" for p in too_long(app.root())]
            app.actions.lock("Locked.")
            await app.settle()
            found += [f"{language} unlock: {p}" for p in too_long(app.root())]
        finally:
            await app.close()
        fresh = await UiApp(device_languages=[language]).start(create=False)
        try:
            found += [f"{language} create: {p}" for p in too_long(fresh.root())]
        finally:
            await fresh.close()
        return names, found

    try:
        languages = sorted(i18n.offered())
        assert "es" in languages
        for language in languages:
            names, found = run(go(language))
            # (every screen was there, in its language: the fields of the forms among them)
            assert len(names) > 20 and ("Organismo" in names) == (language == "es"), names
            assert not found, "\n".join(sorted(set(found)))
    finally:
        i18n.use(i18n.Translator())
