"""A browser set to Spanish, on the site built with Spanish offered (the app itself offers English
alone until a native speaker has reviewed es.po: docs/translating.md); and the whole app in a
right-to-left pseudo-locale made from the template alone, on a small phone with large text. Built
by the project's own build, for a locale folder in which those are marked offered, and served by
a plain static server. Chromium, with the browser's language set as a person's would be."""

from __future__ import annotations

import base64
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from browser_harness import (
    StaticServer,
    launch,
    open_app,
    press_until,
    reveal,
    reveal_text,
    semantics_text,
    tap,
    type_into,
    wait_phase,
)
from catalogues import offered_copy, pseudo_language
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from pwa_app import i18n
from pwa_app.content import content_phrases, load_content
from pwa_app.domain.content_types import translated
from pwa_app.i18n import pseudo_rtl
from pwa_app.site import build

pytestmark = pytest.mark.browser
PASS = "purple elephant dancing quietly"
ES = i18n.Translator(i18n.load("es"))
CONTENT = translated(load_content(), ES)


@pytest.fixture(scope="module")
def spanish_site(tmp_path_factory):
    locales = tmp_path_factory.mktemp("locale")
    offered_copy(locales, "es")
    pseudo_language(locales, "qps-plocm", pseudo_rtl, rtl=True)
    out = tmp_path_factory.mktemp("spanish") / "web"
    build.build(out, locales=locales)
    srv = StaticServer(out)
    yield srv
    srv.stop()


def device(pw, profile, language: str):
    """A browser whose language is ``language``, for the page and for Python's worker alike."""
    return launch(pw, profile, locale=language)


@pytest.mark.parametrize("language", ["es-MX", "es-ES", "en-US"])
def test_the_first_screen_is_in_the_browsers_language(spanish_site, pw, tmp_path, language):
    ctx = device(pw, tmp_path / "profile", language)
    t = ES if language.startswith("es") else i18n.Translator()
    try:
        page = open_app(ctx, spanish_site.url)
        page.get_by_role("button", name=t("Create vault")).wait_for(timeout=90_000)
        assert page.get_by_role("button", name=t("Quick exit")).count()
        text = semantics_text(page)
        assert t("Create a passphrase") in text
        other = i18n.Translator() if t is ES else ES
        assert other("Create a passphrase") not in text
    finally:
        ctx.close()


def created_in_spanish(ctx, url: str):
    """The app opened, a vault created through the Spanish first-run screen, and home."""
    page = open_app(ctx, url)
    page.get_by_role("button", name=ES("Create vault")).wait_for(timeout=90_000)
    type_into(page, ES("Passphrase"), PASS)
    type_into(page, ES("Repeat passphrase"), PASS)
    press_until(page, "button", ES("Create vault"), ES("Step by step"), wait_ms=30_000)
    return page


def test_spanish_from_the_first_screen_to_home_guide_request_settings_and_decoy(
    spanish_site, pw, tmp_path
):
    ctx = device(pw, tmp_path / "profile", "es-ES")
    try:
        page = created_in_spanish(ctx, spanish_site.url)
        text = semantics_text(page)
        assert "Paso a paso" in text and "Step by step" not in text
        # the guide: a card and its first step, from content/ in Spanish
        card = CONTENT.cards[0]
        tap(page, "button", card.title)
        reveal_text(page, card.steps[0].text[:40])
        press_until(page, "button", ES("Back"), ES("Step by step"))
        # a request: the list of kinds and one form's fields
        tap(page, "button", ES("Removal requests"))
        notice = CONTENT.notice("gdpr17")
        reveal_text(page, notice.title)
        tap(page, "button", notice.title)
        reveal_text(page, CONTENT.fields["full_name"].label)
        press_until(page, "button", ES("Back"), ES("Removal requests"))
        press_until(page, "button", ES("Back"), ES("Step by step"))
        # Settings: the language can be chosen; English chosen wins over the browser's
        tap(page, "button", ES("Settings"), exact=True)
        reveal_text(page, ES("Language"))
        # the heading just above the choice (the screen's title may be scrolled away)
        choose_until(page, "English", "Language")
        # the page's own Quick exit follows at once, not at the next start
        page.wait_for_function(
            "document.querySelector('#quick-exit').innerText.trim() === 'Quick exit'",
            timeout=15_000,
        )
        assert page.locator("#quick-exit").get_attribute("lang") == "en"
        choose_until(page, "As this device is set", "Idioma")  # (said in English now)
        # the decoy: neutral, and in Spanish
        page.get_by_role("button", name="Salida rápida").first.click()
        wait_phase(page, "decoy")
        assert page.locator("#decoy h1").inner_text() == "Notas"
        assert page.title() == "Notas"
    finally:
        ctx.close()


def test_the_evidence_report_and_pack_are_in_spanish_and_english_can_be_chosen(
    spanish_site, pw, tmp_path
):
    """Made where the person lives, for the police there: in the screen's language by default;
    English chosen for the report makes it in English. Read back from the files the browser
    saved."""
    ctx = device(pw, tmp_path / "profile", "es-ES")
    try:
        page = created_in_spanish(ctx, spanish_site.url)
        tap(page, "button", ES("Case record"))
        type_into(page, ES("Number or reference"), "ATD-2026-0415")
        press_until(page, "button", ES("Save case number"), ES("Case number saved."))

        def made(button: str, name: str) -> Path:
            with page.expect_download(timeout=120_000) as dl:
                tap(page, "button", button)
            path = tmp_path / name
            dl.value.save_as(path)
            return path

        spanish = pdf_words(made(ES("Make evidence report"), "informe.pdf").read_bytes())
        assert "Informe de pruebas" in spanish and "Cronología" in spanish, spanish[:400]
        assert "Denuncia policial: ATD-2026-0415" in spanish and "Página 1/" in spanish
        assert "Evidence report" not in spanish and "Chronology" not in spanish
        with zipfile.ZipFile(made(ES("Save evidence pack"), "paquete.zip")) as z:
            assert z.read("README.txt").decode().startswith("ADVERTENCIA: la carpeta files/")
            assert "Informe de pruebas" in pdf_words(z.read("report.pdf"))
        tap(page, "radio", "English", exact=True)
        english = pdf_words(made(ES("Make evidence report"), "report.pdf").read_bytes())
        assert "Evidence report" in english and "Chronology" in english, english[:400]
        assert "Police report: ATD-2026-0415" in english and "Informe de pruebas" not in english
    finally:
        ctx.close()


def pdf_words(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


RTL = i18n.Translator(transform=pseudo_rtl)


def choose_until(page, radio: str, heading: str) -> None:
    """Choose a language in Settings and wait for the screen to be said in it (``heading``, a
    text that only that language shows). On a loaded machine a tap can land while the list is
    still being drawn: a person taps again."""
    for _ in range(3):
        tap(page, "radio", radio, exact=True)
        try:
            page.get_by_text(heading, exact=True).first.wait_for(timeout=15_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"choosing {radio!r} never showed {heading!r}")


def chosen(ctx, language: str) -> None:
    """``language`` chosen in Settings before: kept in the clear flags the page and Python read."""
    flags = base64.b64encode(json.dumps({"language": language}).encode()).decode()
    ctx.add_init_script(
        "if (!localStorage.getItem('flutter.nb.m.ui')) "
        f"localStorage.setItem('flutter.nb.m.ui', {json.dumps(json.dumps(flags))});"
    )


def test_every_screen_in_a_right_to_left_pseudo_locale_on_a_small_phone_with_large_text(
    spanish_site, pw, tmp_path, artifacts_dir
):
    """The right-to-left pseudo-locale (every phrase of the screens and of content/ changed,
    40 % longer, wrapped right to left), text at twice the size, 360 x 640: on every screen
    Quick exit is whole and on screen, nothing runs off the side, no English phrase of the
    catalogue is left, and the layout is mirrored (Back at the right)."""
    from test_i18n import hard_coded_phrases

    english = {
        p
        for p in hard_coded_phrases() | set(content_phrases())
        if " " in p and len(p) > 12 and RTL(p) != p
    }
    ctx = launch(pw, tmp_path / "profile")
    chosen(ctx, "qps-plocm")
    ctx.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => "
        "{ document.documentElement.style.fontSize = '200%'; });"
    )
    problems: list[str] = []
    try:
        page = open_app(ctx, spanish_site.url)

        def look(where: str, back: bool = True) -> None:
            page.wait_for_timeout(600)
            page.screenshot(path=str(artifacts_dir / f"rtl-{where.strip('/') or 'home'}.png"))
            box = page.locator("#quick-exit").bounding_box()
            if not (box and box["x"] >= 0 and box["x"] + box["width"] <= 361):
                problems.append(f"{where}: Quick exit not whole on screen: {box}")
            elif box["x"] + box["width"] / 2 > 180:
                problems.append(f"{where}: Quick exit not mirrored to the left: {box}")
            text = semantics_text(page)
            problems.extend(f"{where}: English left: {p!r}" for p in english if p in text)
            wide = page.evaluate(
                "() => [...document.querySelectorAll('flt-semantics')]"
                ".map(e => [e.getAttribute('aria-label') || e.textContent, "
                "e.getBoundingClientRect()])"
                ".filter(([, r]) => r.width > 0 && (r.left < -2 || r.right > 362))"
                ".map(([t, r]) => `${(t || '').slice(0, 40)} ${r.left}..${r.right}`)"
            )
            problems.extend(f"{where}: off the side: {w}" for w in wide)
            if back:
                b = page.get_by_role("button", name=RTL("Back")).first.bounding_box()
                if not b or b["x"] < 180:
                    problems.append(f"{where}: Back not at the right (mirrored): {b}")

        reveal(page, page.get_by_role("button", name=RTL("Create vault")))
        look("create", back=False)
        type_into(page, RTL("Passphrase"), PASS, rtl=True)
        type_into(page, RTL("Repeat passphrase"), PASS, rtl=True)
        press_until(page, "button", RTL("Create vault"), RTL("Step by step"), wait_ms=30_000)
        look("home", back=False)
        rtl_content = translated(load_content(), RTL)
        for card in rtl_content.cards:
            tap(page, "button", card.title)
            look(f"card-{card.id}")
            press_until(page, "button", RTL("Back"), RTL("Step by step"))
        for name, where in [
            (RTL("Evidence log"), "evidence"),
            (RTL("Removal requests"), "requests"),
            (RTL("Privacy checklist"), "checklist"),
            (RTL("Settings"), "settings"),
        ]:
            tap(page, "button", name, exact=where == "settings")
            look(where)
            press_until(page, "button", RTL("Back"), RTL("Step by step"))
        page.locator("#quick-exit").click()
        wait_phase(page, "decoy")
        assert page.locator("#decoy").get_attribute("dir") == "rtl"
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)
