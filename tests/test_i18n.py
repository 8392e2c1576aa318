"""The words on screen in the person's language: the catalogue reader, the choice of language,
the template a translator starts from, and the lock screen walked in a pseudo-locale."""

from __future__ import annotations

import ast
import asyncio
import base64
import dataclasses
import json
import re
from datetime import datetime
from pathlib import Path

import flet as ft
import pytest
from catalogues import offered_copy, pseudo_language
from ui_harness import PASS, UiApp, walk, words

from pwa_app import i18n
from pwa_app.content import content_phrases, load_content
from pwa_app.i18n import (
    Catalogue,
    CatalogueError,
    Translator,
    extract,
    negotiate,
    parse_po,
    problems,
    pseudo,
    pseudo_rtl,
)
from pwa_app.vault import MemoryStorage

ROOT = Path(__file__).resolve().parent.parent

PO = r"""# a comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#: pwa_app/ui/lock.py
msgid "Unlock"
msgstr "Desbloquear"

msgid "Backup file: {name}"
msgstr "Archivo de copia: {name}"

msgid ""
"A long one, "
"on two lines with a \"quote\"\n"
msgstr ""
"Una larga, "
"en dos líneas con una \"cita\"\n"

#, fuzzy
msgid "Quick exit"
msgstr "Salida rápida"

msgid "Not yet"
msgstr ""
"""


def test_a_catalogue_is_read_with_its_continued_lines_and_escapes():
    messages = parse_po(PO, "es.po")
    assert messages == {
        "Unlock": "Desbloquear",
        "Backup file: {name}": "Archivo de copia: {name}",
        'A long one, on two lines with a "quote"\n': 'Una larga, en dos líneas con una "cita"\n',
    }  # the header, the fuzzy (unreviewed) entry and the empty one are not translations


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('msgctxt "button"\nmsgid "a"\nmsgstr "b"\n', "line 1: 'msgctxt'"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', "a plural entry needs msgstr[0]"),
        ('msgid "a"\nmsgstr[x] "b"\n', "line 2: 'msgstr[x]'"),
        ('msgid "a"\nmsgstr "b\n', "line 2: expected a quoted string"),
        ('msgid "a"\nmsgstr "b"c"\n', "line 2: a quote inside"),
        ('msgid "a"\nmsgstr "b\\x"\n', "line 2: an escape"),
        ('"loose"\n', "line 1: a string that continues nothing"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', "'a' is translated twice"),
        ('msgid "a"\n\nmsgstr "b"\n', "without both msgid and msgstr"),
        ('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', "line 3: a second msgstr"),
    ],
)
def test_a_bad_catalogue_is_refused_with_its_line(text, says):
    with pytest.raises(CatalogueError) as caught:
        parse_po(text, "xx.po")
    assert says in str(caught.value)
    assert "xx.po" in str(caught.value)


@pytest.mark.parametrize(
    ("preferred", "available", "chosen"),
    [
        (["es-MX", "en"], ["en", "es"], "es"),
        (["es-ES"], ["en", "es", "es-es"], "es-es"),
        (["pt-BR", "es"], ["en", "es"], "es"),  # the first the app has
        (["de-DE", "fr"], ["en", "es"], "en"),  # none: English
        (["C"], ["en", "es"], "en"),  # what made Flutter's start hang in WebKit
        (["", "*", "not a tag!", "es_ES.UTF-8"], ["en", "es"], "es"),
        ([None, 42, "es"], ["en", "es"], "es"),  # what a bridge might hand over
        ([], ["en", "es"], "en"),
    ],
)
def test_the_language_is_the_first_the_person_reads_that_the_app_has(preferred, available, chosen):
    assert negotiate(preferred, available) == chosen


def test_the_pseudo_locales_change_every_letter_keep_placeholders_and_grow():
    for text in ("Unlock", "Backup file: {name}", "{size:,} bytes on {day:%d %B %Y}, {x!r}"):
        out = pseudo(text)
        body = i18n.PLACEHOLDER.sub("", out)
        assert not any("a" <= c.lower() <= "z" for c in body), out
        assert i18n.placeholders(out) == i18n.placeholders(text)
        assert "{size:,}" in out or "{size" not in text
        assert len(out) >= 1.4 * len(text)
        assert out.format(name="x", size=1234, day=datetime(2026, 1, 2), x="y")  # still formats
        rtl = pseudo_rtl(text)
        assert rtl.startswith("\u202e") and rtl.endswith("\u202c")


def test_a_translator_falls_back_to_english_phrase_by_phrase():
    t = Translator(Catalogue("es", parse_po(PO)))
    assert t("Unlock") == "Desbloquear"
    assert t("Quick exit") == "Quick exit"  # fuzzy: not shown
    assert t("Never seen") == "Never seen"
    assert Translator()("Unlock") == "Unlock"


def test_the_template_a_translator_starts_from_matches_the_code():
    found = i18n.collected(ROOT)
    assert "Unlock" in found and "Quick exit" in found
    assert found[load_content().cards[0].title] == ["content/guide.toml"]
    assert i18n.TEMPLATE.read_text(encoding="utf-8") == i18n.template(found), (
        "content/locale/recourse.pot is out of date: run python -m pwa_app.i18n"
    )
    assert parse_po(i18n.TEMPLATE.read_text(encoding="utf-8"), "recourse.pot") == {}
    for language in i18n.languages()[1:]:  # every catalogue shipped: complete and consistent
        assert i18n.problems(i18n.load(language), found) == [], language


def test_a_phrase_the_template_cannot_know_is_refused(tmp_path):
    for code, says in [
        ('_(f"Hello {name}")\n', "takes one string literal"),
        ('_("a" + b)\n', "takes one string literal"),
        ("_(name)\n", "name is not a phrase marked N_()"),
        ("_(name[0])\n", "name[0] is not a phrase marked N_()"),
    ]:
        (tmp_path / "m.py").write_text(code)
        with pytest.raises(CatalogueError, match=re.escape(says)):
            extract([tmp_path / "m.py"], tmp_path)
    (tmp_path / "m.py").write_text('NAME = N_("Kept for later")\nshown = _(NAME)\n')
    assert extract([tmp_path / "m.py"], tmp_path) == {"Kept for later": ["m.py:1"]}


def test_the_catalogue_check_finds_what_a_translator_can_get_wrong():
    msgids = ["Unlock", "Backup file: {name}", "Quick exit"]
    bad = Catalogue(
        "xx",
        {"Unlock": "Ouvrir", "Backup file: {name}": "Fichier : {nom}", "Gone phrase": "Parti"},
    )
    found = problems(bad, msgids)
    assert "'Backup file: {name}': the translation's placeholders are {nom}, not {name}" in found
    assert "'Gone phrase' is no longer in the app" in found
    assert "'Quick exit' is not translated" in found
    sizes = Catalogue("xx", {"{size:,} bytes on {day:%d %B}": "{size} octets le {day:%d/%m}"})
    assert problems(sizes, ["{size:,} bytes on {day:%d %B}"]) == [
        "'{size:,} bytes on {day:%d %B}': a placeholder's format differs ({size:,} must stay "
        "{size:,}; only a date's %-format may change)"
    ]
    assert problems(Catalogue("xx", {m: m.upper().replace("{NAME}", "{name}") for m in msgids}),
                    msgids) == []  # fmt: skip


async def speak(app: UiApp, translator: Translator) -> None:
    """Make ``app`` speak ``translator``'s language now, as a choice in Settings does (the app
    itself speaks only the languages offered; the pseudo-locales never are), and check that
    it does (a walk in English would find nothing)."""
    i18n.use(translator)
    app.actions.store.language = "xx"  # what re-renders the screen
    await app.settle()
    assert translator("Quick exit") in app.screen_text()


def _content_strings(value, out: set[str]) -> set[str]:
    if isinstance(value, str):
        out.add(value)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            _content_strings(getattr(value, f.name), out)
    elif isinstance(value, dict):
        for k, v in value.items():
            _content_strings(k, out)
            _content_strings(v, out)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            _content_strings(v, out)
    return out


def test_the_lock_screen_speaks_only_the_catalogues_language():
    """Walked in the pseudo-locale: every phrase the lock screen's code shows comes through the
    catalogue (what comes from content/ has per-language files of its own)."""
    content = _content_strings(load_content(), set())

    def english_left(app: UiApp) -> list[str]:
        texts = [w.strip() for w in (words(c) for c in walk(app.root())) if w.strip()]
        return [
            t
            for t in texts
            if not t.startswith("[") and t not in content and t not in ("Recourse",)
        ]

    async def go() -> list[str]:
        left: list[str] = []
        try:
            fresh = await UiApp().start(create=False)  # first run
            try:
                fresh.actions.on_page_message("safari-tab")  # the Safari note shows too
                await speak(fresh, Translator(transform=pseudo))
                left += [f"create: {t}" for t in english_left(fresh)]
            finally:
                await fresh.close()
            app = await UiApp().start()
            try:
                app.actions.lock("")
                await speak(app, Translator(transform=pseudo))
                left += [f"unlock: {t}" for t in english_left(app)]
            finally:
                await app.close()
        finally:
            i18n.use(Translator())
        return left

    left = asyncio.run(go())
    assert not left, "\n".join(left)


NOT_WORDS = {"Recourse", "INT"}  # the app's name; the directory's code for "any country"


def hard_coded_phrases() -> set[str]:
    """Every piece of text in ui/'s code that is not a docstring and not inside _() or N_():
    what a screen must never show in a pseudo-locale."""
    found: set[str] = set()
    for path in sorted((ROOT / "pwa_app" / "ui").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = set()
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
                skip.add(id(body[0].value))  # a docstring
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
            ):
                skip.update(id(a) for a in node.args)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.strip()
                if id(node) not in skip and re.search("[A-Za-z]{2}", text):
                    found.add(text)
    return found - NOT_WORDS


@pytest.mark.parametrize("language", ["pseudo", "es"])
def test_no_screen_shows_a_phrase_hard_coded_in_ui(language):
    """Every screen walked in the pseudo-locale, and in Spanish (the screens, each notice's
    form, the lock screen, the decoy): each renders without an error (a translation's
    placeholders fit the code's values), and no text on them holds a phrase written in ui/'s
    code outside the catalogue, nor a phrase of content/ the screens show, the lines the app
    wrote in the case's timeline included. (What is still English there is the person's own
    data and names: docs/translating.md.)"""
    from test_ui_keys import CONTENT, SCREENS, full_app

    phrases = hard_coded_phrases()
    assert "Save to evidence log" not in phrases  # in _(): the catalogue's
    assert "-clean.jpg" in phrases  # part of a file name: not the catalogue's
    translator = (
        Translator(transform=pseudo) if language == "pseudo" else Translator(i18n.load(language))
    )
    # and what content/ gives the screens to show (the guide, the directory, the forms ...),
    # but for a name that is also a platform's, which stays as the platform writes it
    names = {p.name for p in CONTENT.platforms}
    phrases |= {p for p in content_phrases() if translator(p) != p and p not in names}
    prose = {p for p in phrases if " " in p and re.search("[A-Za-z]{3}", p)}

    def left(app: UiApp, where: str) -> list[str]:
        return [
            f"{where}: {t!r} holds {p!r}"
            for t in (words(c).strip() for c in walk(app.root()))
            for p in prose
            if p in t
        ]

    async def go() -> list[str]:
        found: list[str] = []
        try:
            app = await full_app()
            try:
                await speak(app, translator)
                for route in [*SCREENS, *(f"/requests/{n.id}" for n in CONTENT.notices)]:
                    await app.go(route)
                    # A render that raises ends Flet's update loop: nothing changes on screen
                    # after it (in the browser, a frozen app).
                    updates = app.session._Session__updates_task
                    if updates.done():
                        return [f"{route}: {updates.exception()!r}"]
                    found += left(app, route)
                app.actions.lock("")
                await app.settle()
                found += left(app, "lock")
                app.actions.quick_exit()
                await app.settle()
                found += left(app, "decoy")
            finally:
                await app.close()
        finally:
            i18n.use(Translator())
        return found

    found = asyncio.run(go())
    assert not found, "\n".join(found)
    if language == "es":  # and the Spanish is what was shown
        assert translator("Step by step") == "Paso a paso"


def test_a_language_file_is_brought_up_to_date_without_losing_a_translation():
    old = (
        '# Spanish\nmsgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        '#: pwa_app/ui/lock.py\nmsgid "Unlock"\nmsgstr "Desbloquear"\n\n'
        '#, fuzzy\nmsgid "Quick exit"\nmsgstr "Salida rápida"\n\n'
        'msgid "A phrase the app dropped"\nmsgstr "Una frase que ya no está"\n'
    )
    found = {"Quick exit": ["pwa_app/ui/common.py:5"], "Unlock": ["pwa_app/ui/lock.py:9"],
             "New {name}": ["pwa_app/ui/a.py:1", "pwa_app/ui/a.py:7"]}  # fmt: skip
    text = i18n.merged(old, found, "es.po")
    assert text.startswith('# Spanish\nmsgid ""\nmsgstr ""\n"Language: es\\n"\n\n')
    assert [(m, t, f) for m, t, f in i18n.po_entries(text) if m] == [
        ("Quick exit", "Salida rápida", True),  # still to be reviewed
        ("Unlock", "Desbloquear", False),
        ("New {name}", "", False),  # to translate
    ]  # and the dropped phrase is gone
    assert "#: pwa_app/ui/a.py\nmsgid" in text  # each file once
    assert i18n.merged(text, found, "es.po") == text  # a second run changes nothing


def offered_spanish(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the locale folder in which a reviewer marked Spanish as offered."""
    offered_copy(tmp_path, "es")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    return tmp_path


def test_only_a_language_a_reviewer_marked_is_offered(tmp_path, monkeypatch):
    assert i18n.offered() == {"en": "English"}  # the app today
    assert i18n.choose("", ["es-MX", "es"]) == "en"
    offered_spanish(tmp_path, monkeypatch)
    assert i18n.offered() == {"en": "English", "es": "Español"}
    assert i18n.choose("", ["es-MX", "en"]) == "es"  # the device's
    assert i18n.choose("en", ["es-MX"]) == "en"  # the person's choice wins
    assert i18n.choose("fr", ["es-MX"]) == "es"  # a choice no longer offered: the device's


def _language_radio(app: UiApp) -> ft.RadioGroup:
    return next(x for x in app.all() if isinstance(x, ft.RadioGroup) and x.key == "language")


async def _choose_language(app: UiApp, value: str) -> None:
    radios = _language_radio(app)
    app.session.apply_patch(radios._i, {"value": value})
    await app.tap(radios, "change", value)


def test_the_language_follows_the_device_from_the_first_screen_and_the_choice_wins(
    tmp_path, monkeypatch
):
    offered_spanish(tmp_path, monkeypatch)
    flags = MemoryStorage()

    async def go() -> None:
        app = await UiApp(flags=flags, device_languages=["es-MX", "en"]).start(create=False)
        try:
            text = app.screen_text()  # the first run, before any vault: in Spanish
            assert "Crea una frase de acceso" in text and "Salida rápida" in text, text
            assert app.page.locale_configuration.current_locale.language_code == "es"
            await app.service.session.create(PASS)
            await app.actions.opened()
            await app.go("/settings")
            assert "Idioma" in app.screen_text()
            await _choose_language(app, "en")
            assert "Lock automatically after" in app.screen_text()  # English at once
            assert json.loads(await flags.get_meta("ui"))["language"] == "en"
        finally:
            await app.close()
        # Opened again on the same device: the choice is known before unlock
        again = await UiApp(
            storage=app.storage, flags=flags, device_languages=["es-MX", "en"]
        ).start(create=False)
        try:
            text = again.screen_text()
            assert "Enter your passphrase to open your private record." in text, text
            await again.unlock()
            await again.go("/settings")
            await _choose_language(again, "")  # back to the device's
            assert "Bloquear automáticamente tras" in again.screen_text()
            assert "language" not in json.loads(await flags.get_meta("ui"))
        finally:
            await again.close()
            i18n.use(Translator())

    asyncio.run(go())


def test_with_english_alone_the_app_speaks_english_and_offers_no_choice():
    async def go() -> None:
        app = await UiApp(device_languages=["es-MX", "es"]).start()
        try:
            await app.go("/settings")
            assert "Lock automatically after" in app.screen_text()
            assert not [x for x in app.all() if getattr(x, "key", None) == "language"]
            assert app.page.locale_configuration is None  # Flutter's own default, as before
        finally:
            await app.close()

    asyncio.run(go())


def test_the_devices_languages_natively_come_from_its_settings(monkeypatch):
    from pwa_app.platform import device_languages

    monkeypatch.setenv("LANGUAGE", "es_MX:es")
    monkeypatch.setenv("LANG", "C.UTF-8")
    found = device_languages()
    assert found[:2] == ["es_MX", "es"]
    assert negotiate(found, ["en", "es"]) == "es"  # "C.UTF-8" passed over


def test_dates_in_words_follow_the_language_not_the_systems_locale():
    from datetime import date

    day = date(2026, 12, 1)
    assert i18n.day_in_words(day, weekday=True) == "Tuesday 1 December"
    assert i18n.day_in_words(day) == "1 December 2026"
    try:
        i18n.use(Translator(i18n.load("es")))
        assert i18n.day_in_words(day, weekday=True) == "martes, 1 de diciembre"
        assert i18n.day_in_words(day) == "1 de diciembre de 2026"
        assert i18n.day_in_words(day, year=False) == "1 de diciembre"
    finally:
        i18n.use(Translator())


def pseudo_catalogue(tmp_path: Path, monkeypatch, code: str, transform, rtl: bool) -> None:
    """A whole language made from the template with no Python written for it, as a translator
    would add one: every phrase run through ``transform``, marked offered (and right to left)."""
    pseudo_language(tmp_path, code, transform, rtl)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert problems(i18n.load(code), i18n.collected(ROOT)) == []


@pytest.mark.parametrize(
    ("code", "transform", "rtl"), [("qps-ploc", pseudo, False), ("qps-plocm", pseudo_rtl, True)]
)
def test_a_new_language_is_a_file_and_a_right_to_left_one_mirrors_the_screens(
    tmp_path, monkeypatch, code, transform, rtl
):
    pseudo_catalogue(tmp_path, monkeypatch, code, transform, rtl)

    async def go() -> None:
        app = await UiApp(device_languages=[code, "en"]).start(create=False)
        try:
            assert transform("Create vault") in app.screen_text()
            assert app.page.rtl is rtl
            first = next(c for c in app.all() if getattr(c, "key", None) == "quick-exit")
            assert transform("Quick exit") in words(next(x for x in walk(first) if words(x)))
        finally:
            await app.close()
            i18n.use(Translator())

    asyncio.run(go())


def test_no_phrase_is_translated_at_import_time():
    """A _() in a default argument, or at a module's or class's top level, runs once when the
    module is imported, in English, and never changes language after: N_() belongs there."""
    found = []
    for path in i18n.sources(ROOT):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        early = [
            d
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            for d in [*node.args.defaults, *(x for x in node.args.kw_defaults if x)]
        ]
        for top in tree.body:
            body = top.body if isinstance(top, ast.ClassDef) else [top]
            early += [x for x in body if not isinstance(x, ast.FunctionDef | ast.AsyncFunctionDef)]
        found += [
            f"{path.relative_to(ROOT)}:{n.lineno}"
            for node in early
            for n in ast.walk(node)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
        ]
    assert not found, found


def test_the_records_rules_are_said_in_the_persons_language_as_whole_sentences():
    """A rule the domain enforces is a whole-sentence template marked for the catalogue: said
    in English as before, or in the person's language when the services pass its translator."""
    from pwa_app.domain import DomainError, validate_url

    with pytest.raises(DomainError) as caught:
        validate_url("www.example.org/page")
    exc = caught.value
    assert exc.sentence() == (
        "The web address must start with http:// or https:// (copy it from the address bar)."
    )
    spanish = Translator(i18n.load("es"))
    assert exc.sentence(spanish) == (
        "La dirección web: debe empezar por http:// o https:// (cópiala de la barra de "
        "direcciones)."
    )
    assert exc.said(spanish).startswith("debe empezar por")
    too_long = DomainError("text", "is too long (at most {limit:,} characters).", limit=20000)
    assert too_long.sentence() == "The text is too long (at most 20,000 characters)."
    assert too_long.sentence(spanish) == "El texto: supera el máximo de 20\u202f000 caracteres."
    # every rule in the domain raises a marked template, never a computed string
    for path in sorted((ROOT / "pwa_app" / "domain").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "DomainError":
                template = node.args[1]
                assert isinstance(template, ast.Call) and template.func.id == "N_", (
                    f"{path.name}:{node.lineno}: DomainError's template is not marked N_()"
                )


def test_what_the_photo_check_finds_is_said_in_the_persons_language():
    """The findings stay English text (the record and the tests read them so), and carry the
    template they were made from: a screen says them in the person's language."""
    from pwa_app.photo import NOT_A_PICTURE, UNREAD, Finding, said

    gps = Finding("the GPS position where it was taken ({lat:.5f}, {lon:.5f})", lat=1.5, lon=-2)
    assert gps == "the GPS position where it was taken (1.50000, -2.00000)"
    spanish = Translator(i18n.load("es"))
    assert said(gps, spanish) == "la posición GPS donde se tomó (1.50000, -2.00000)"
    assert said(NOT_A_PICTURE, spanish).startswith("Este archivo no es una imagen")
    assert said(UNREAD, spanish).startswith("Parte de sus datos ocultos")
    for template in ("the device ({device})", "and {count} more"):
        assert template in i18n.collected(ROOT)
    from pwa_app.photo import N_n

    more = N_n(
        "{count} more block of camera data (EXIF)", "{count} more blocks of camera data (EXIF)"
    )
    assert Finding(more, count=1) == "1 more block of camera data (EXIF)"
    assert Finding(more, count=3) == "3 more blocks of camera data (EXIF)"
    assert said(Finding(more, count=3), spanish) == "3 bloques más de datos de la cámara (EXIF)"
    assert said(Finding(more, count=1), spanish) == "1 bloque más de datos de la cámara (EXIF)"


def test_the_passphrase_advice_of_zxcvbn_is_in_the_catalogue_and_said_in_the_language():
    """zxcvbn's own advice is a fixed list in the pinned package: the app lists it for the
    catalogue (this test keeps the list the same as the package's) and says it translated."""
    import zxcvbn

    from pwa_app.vault.strength import ZXCVBN_ADVICE, estimate

    source = (Path(zxcvbn.__file__).parent / "feedback.py").read_text(encoding="utf-8")
    theirs = {
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_"
    }
    assert theirs == set(ZXCVBN_ADVICE)
    assert "Avoid sequences." in estimate("abcdef").advice
    i18n.use(Translator(i18n.load("es")))
    try:
        advice = estimate("abcdef").advice
    finally:
        i18n.use(Translator())
    assert "Evita las secuencias." in advice and "Avoid" not in advice


def test_plural_forms_are_read_written_and_chosen_by_the_languages_own_rule(tmp_path):
    """A phrase for a number of things (``_n``) has the forms its language needs, chosen by
    the rule in the file's header: two in Spanish, three in a Polish-like rule."""
    polish = (
        'msgid ""\nmsgstr ""\n"Language: xx\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && '
        '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n#: m.py\n'
        'msgid "{n} address"\nmsgid_plural "{n} addresses"\n'
        'msgstr[0] "{n} adres"\nmsgstr[1] "{n} adresy"\nmsgstr[2] "{n} adresow"\n'
    )
    (tmp_path / "xx.po").write_text(polish, encoding="utf-8")
    t = Translator(i18n.load("xx", tmp_path))
    said = [t.n("{n} address", "{n} addresses", n).format(n=n) for n in (1, 3, 5, 22, 25)]
    assert said == ["1 adres", "3 adresy", "5 adresow", "22 adresy", "25 adresow"]
    assert Translator().n("{n} address", "{n} addresses", 1) == "{n} address"
    assert Translator().n("{n} address", "{n} addresses", 0) == "{n} addresses"
    # a form left empty: the phrase is not translated, and English is said
    half = polish.replace('msgstr[2] "{n} adresow"', 'msgstr[2] ""')
    (tmp_path / "xx.po").write_text(half, encoding="utf-8")
    assert Translator(i18n.load("xx", tmp_path)).n("{n} address", "{n} addresses", 5) == (
        "{n} addresses"
    )
    # the template and a language's file write them back with every form
    key = "{n} address" + i18n.PLURAL + "{n} addresses"
    assert 'msgid_plural "{n} addresses"\nmsgstr[0] ""\nmsgstr[1] ""' in i18n.template(
        {key: ["m.py:1"]}
    )
    again = i18n.merged(polish, {key: ["m.py:1"]}, "xx.po")
    assert parse_po(again) == parse_po(polish)
    assert problems(i18n.load("xx", tmp_path), [key]) == [f"{key!r} is not translated"]
    # Spanish: the lock screen's wait, in both forms
    es = Translator(i18n.load("es"))
    from pwa_app.services.session import TooManyAttempts

    i18n.use(es)
    try:
        assert str(TooManyAttempts(1)).startswith("Demasiados intentos seguidos. Espera 1 segundo ")
        assert "Espera 30 segundos " in str(TooManyAttempts(30))
    finally:
        i18n.use(Translator())
    assert str(TooManyAttempts(1)) == (
        "Too many tries in a row. Please wait 1 second and try again."
    )
    (tmp_path / "m.py").write_text("_n('one', plural, n)\n")
    with pytest.raises(CatalogueError, match="two string literals"):
        extract([tmp_path / "m.py"], tmp_path)


def test_numbers_are_written_the_languages_way():
    """{size:,} writes 1,234,567 in English and 1 234 567 in Spanish (a narrow space: the way
    both Spain and Latin America can read, where their points and commas differ)."""
    es = Translator(i18n.load("es"))
    phrase = "{filename} · {size:,} bytes · added to Recourse {added}"
    said = es(phrase).format(filename="a.png", size=1234567, added="hoy")
    assert "1\u202f234\u202f567" in said
    assert (
        Translator()(phrase)
        .format(filename="a", size=1234567, added="")
        .startswith("a · 1,234,567 bytes")
    )
    assert type(es("Notes")) is str  # a phrase with no number to write stays a plain str
    wait = i18n.Phrase("{n:,.1f} and {m} and {when:%Y}")
    wait.separators = ("\u202f", ",")
    assert wait.format(n=12345.25, m=1000, when=datetime(2026, 1, 2)) == (
        "12\u202f345,2 and 1000 and 2026"
    )


def test_the_records_own_lines_statuses_and_kinds_are_said_in_the_persons_language():
    """The lines the app writes in a case's timeline keep their template and values apart (the
    record keeps the English too): the case screen says them in Spanish, as it says a case
    number's kind and the status of an address and of a request; the history keeps English."""
    from test_ui_keys import full_app

    async def go() -> dict[str, str]:
        seen: dict[str, str] = {}
        app = await full_app()
        try:
            await speak(app, Translator(i18n.load("es")))
            for route in ("/case", "/evidence", "/requests"):
                await app.go(route)
                seen[route] = app.screen_text()
            timeline = await app.actions.services.cases.timeline()
            seen["record"] = "\n".join(t.text for t in timeline)
        finally:
            await app.close()
            i18n.use(Translator())
        return seen

    seen = asyncio.run(go())
    case = seen["/case"]
    for spanish in (
        "marcada como notificada",
        ": enviada a Host A",
        "Respuesta de Host A guardada como archivo: answer.eml (6 bytes)",
        "Seguimiento hecho: ",
        "Número de caso añadido: T-1 (Site)",
        "Ticket de la plataforma: T-1",
        "Denuncia policial",  # the kinds to choose from
    ):
        assert spanish in case, spanish
    for english in ("marked reported", " sent to Host A", "kept as a file", "Follow-up done"):
        assert english not in case, english
        assert english in seen["record"], english  # what the record keeps, as it happened
    assert "estado: notificada" in seen["/evidence"]
    assert "estado: enviada" in seen["/requests"]


def test_a_line_of_the_record_is_kept_with_its_values_and_said_in_any_language():
    from pwa_app.domain import Line, TimelineEntry

    why = Line("request to {recipient} marked {status}", ("status",), recipient="X", status="sent")
    line = Line(
        "{url}: marked {status} ({why})",
        ("status",),
        url="https://a.b/c",
        status="removed",
        why=why,
    )
    assert line.text == "https://a.b/c: marked removed (request to X marked sent)"
    es = Translator(i18n.load("es"))
    assert line.said(es) == (
        "https://a.b/c: marcada como retirada (solicitud a X marcada como enviada)"
    )
    entry = TimelineEntry("t1", "c1", datetime(2026, 11, 30, 12, 0), line.text, line)
    again = TimelineEntry.from_dict(json.loads(json.dumps(entry.to_dict())))
    assert again == entry and again.said(es) == line.said(es)
    # a line written before lines kept their values, and the person's own note: as written
    old = TimelineEntry.from_dict({k: v for k, v in entry.to_dict().items() if k != "line"})
    assert old.line is None and old.said(es) == line.text
    # a translation whose placeholders do not fit says the English, never fails
    broken = Translator(transform=lambda s: s.replace("{url}", "{adresse}"))
    assert line.said(broken) == line.text


def test_a_lines_name_stays_as_written_and_what_it_does_not_say_is_translated():
    from pwa_app.domain.content_types import translated

    content = load_content()
    es = translated(content, Translator(i18n.load("es")))
    for h, said in zip(content.hotlines, es.hotlines, strict=True):
        assert said.name == h.name  # an organisation's name, as it writes it
        if h.tag:
            assert said.tag != h.tag and said.title == f"{h.name} · {said.tag}"
    uk = next(h for h in es.hotlines if h.name == "Report Remove (Childline and IWF)")
    assert uk.title == "Report Remove (Childline and IWF) · menores de 18 años"
    # no name carries a descriptor in English any more: those are tags
    for h in content.hotlines:
        assert not any(w in h.name for w in (", under", ", for ", "(teens)", "(sextortion)"))


def test_what_the_record_check_finds_is_said_in_the_persons_language():
    """What the unlock and "Check the record" find stays English where it is written down (the
    history, the report, the command) and is said in the person's language on the screen."""
    from conftest import FAST_KDF, run

    from pwa_app.services import Services

    storage = MemoryStorage()
    app = Services(storage, kdf=FAST_KDF)
    run(app.session.create(PASS))
    case = run(app.cases.ensure())
    _res, item = run(app.evidence.log(case.id, "https://example.org/a", "", None))
    _res, other = run(app.evidence.log(case.id, "https://example.org/c", "", None))
    run(app.evidence.attach(item.id, "captura.png", b"\x89PNG not really", "image/png"))
    item = run(app.evidence.get(item.id))
    del storage.data[item.attachments[0].blob_id]
    spanish = Translator(i18n.load("es"))
    check = run(app.history.check())
    assert check.problem == (
        "The file captura.png (evidence for https://example.org/a) is missing."
    )
    assert check.problem_said(spanish) == (
        "Falta el archivo captura.png (prueba de https://example.org/a)."
    )

    app.session.lock()
    del storage.data[other.id]  # an evidence entry removed while the app was closed
    run(app.session.unlock(PASS))
    found = app.session.integrity.found
    assert sorted(f.text for f in found) == [
        "A kept file was removed.",  # (the file removed before: named again at unlock)
        'An evidence entry was removed (the history last says of it: "Evidence logged: '
        'https://example.org/c").',
    ]
    assert sorted(f.said(spanish) for f in found) == [
        "Se eliminó un archivo guardado.",
        "Se eliminó una entrada del registro de pruebas (lo último que dice de ello el "
        "historial: «Evidence logged: https://example.org/c»).",
    ]
    entries, _damaged = run(app.history.entries())
    assert all(f.text in entries[-1].text for f in found)  # the history keeps the English
    problem = run(app.history.check()).problem_said(spanish)
    assert "Se eliminó una entrada del registro de pruebas" not in problem  # said once
    assert problem.startswith("Falta el archivo captura.png")


def test_what_the_history_check_finds_is_said_in_the_persons_language():
    """The history's own problems and warnings: English for the report and the command (the
    very sentences they printed before), the person's language on the screen."""
    from dataclasses import replace
    from datetime import UTC, timedelta

    from pwa_app.domain.chain import ChainError, CheckResult, make_content, next_entry, verify_chain

    t0 = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    e0 = next_entry(None, t0, make_content("history.started", "start", data={"reason": "new"}))
    e1 = next_entry(e0, t0 - timedelta(hours=1), make_content("note.added", "a note"))
    e2 = next_entry(e1, t0 + timedelta(hours=1), make_content("note.added", "another"))
    spanish = Translator(i18n.load("es"))

    summary = verify_chain([e0, e1, e2])  # checks out; entry 1 is dated before entry 0
    assert summary.warnings() == [
        "Warning: entry 1 (2026-11-25 08:30:00 UTC) is dated before the entry it follows "
        "(2026-11-25 09:30:00 UTC). The device's clock may have been changed; the order of the "
        "entries is still proved by their hashes."
    ]
    said = CheckResult(summary).warnings_said(spanish)
    assert said == [
        "Aviso: la entrada 1 (2026-11-25 08:30:00 UTC) tiene una fecha anterior a la entrada a "
        "la que sigue (2026-11-25 09:30:00 UTC). Puede que se cambiara el reloj del dispositivo; "
        "el orden de las entradas lo siguen demostrando sus hashes."
    ]

    changed = replace(e1, content={**e1.content, "text": "another text"})
    with pytest.raises(ChainError) as caught:
        verify_chain([e0, changed, e2])
    assert str(caught.value) == (
        "Entry 1 (2026-11-25 08:30:00 UTC) has been changed: what it says does not match its "
        "SHA-256."
    )
    assert caught.value.said(spanish) == (
        "La entrada 1 (2026-11-25 08:30:00 UTC) se ha cambiado: lo que dice no coincide con su "
        "SHA-256."
    )
    with pytest.raises(ChainError) as caught:
        verify_chain([e0, e2])
    assert CheckResult(problems=[caught.value.line]).problem_said(spanish) == (
        "Falta la entrada 1 o está fuera de lugar: después de la entrada 0 viene la entrada 2."
    )


def test_why_a_backup_is_refused_is_said_in_the_persons_language():
    """A backup refused on restore (a wrong passphrase is the common case): the whole sentence
    in the person's language, not an English reason inside a Spanish one."""
    from conftest import FAST_KDF, run

    from pwa_app.services import Services
    from pwa_app.vault import BackupRejected

    app = Services(MemoryStorage(), kdf=FAST_KDF)
    run(app.session.create(PASS))
    backup = run(app.backup.export())
    fresh = Services(MemoryStorage(), kdf=FAST_KDF)
    head = re.search(rb'"header":"([^"]+)"', backup)
    greedy = base64.b64encode(  # a header that asks for more memory than a phone has
        base64.b64decode(head[1]).replace(b'"memory_kib":1024', b'"memory_kib":99999999')
    )
    greedy = backup[: head.start(1)] + greedy + backup[head.end(1) :]
    i18n.use(Translator(i18n.load("es")))
    try:
        for data, passphrase, said in (
            (backup, "not the passphrase", "la frase de acceso no es la correcta"),
            (b"hello", PASS, "este archivo no es una copia de seguridad de Recourse"),
            (backup[:-40], PASS, "el archivo está dañado o incompleto"),
            (greedy, PASS, "La cabecera del espacio cifrado pide para derivar la clave más"),
        ):
            with pytest.raises(BackupRejected) as caught:
                run(fresh.backup.restore(data, passphrase))
            assert str(caught.value).startswith(
                f"No se pudo importar esta copia de seguridad: {said}"
            )
    finally:
        i18n.use(Translator())
    with pytest.raises(BackupRejected, match="the passphrase is wrong"):
        run(fresh.backup.restore(backup, "not the passphrase"))
