"""The page's own words (its Quick exit button, its neutral screen, the start's messages) in the
language the app speaks, in Chromium, before Python has even started. The app offers no language
but English yet: the site here is the built one with its page made, by the build's own code, for
a locale folder in which a reviewer marked Spanish offered (and a right-to-left pseudo-locale)."""

from __future__ import annotations

import base64
import json

import pytest
from browser_harness import StaticServer, built_site, launch
from catalogues import offered_copy, pseudo_language

from pwa_app.i18n import pseudo_rtl
from pwa_app.site import build

pytestmark = pytest.mark.browser

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    locales = tmp_path_factory.mktemp("locale")
    offered_copy(locales, "es")
    pseudo_language(locales, "qps-plocm", pseudo_rtl, rtl=True)
    built = built_site()
    out = tmp_path_factory.mktemp("site")
    for item in built.iterdir():  # the same site, but for its page
        if item.name != "index.html":
            (out / item.name).symlink_to(item)
    (out / "index.html").write_text(build.index_html(build.page_words(locales=locales)))
    srv = StaticServer(out)
    yield srv
    srv.stop()


def device(ctx, languages: list[str], chosen: str = "") -> None:
    """The browser's languages, and (``chosen``) a language chosen in Settings, as the app
    keeps it in its clear flags."""
    ctx.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'languages', "
        f"{{get: () => {json.dumps(languages)}, configurable: true}});"
        "Object.defineProperty(Navigator.prototype, 'language', "
        f"{{get: () => {json.dumps(languages[0])}, configurable: true}});"
    )
    if chosen:
        flags = base64.b64encode(json.dumps({"language": chosen}).encode()).decode()
        ctx.add_init_script(
            f"localStorage.setItem('flutter.nb.m.ui', {json.dumps(json.dumps(flags))});"
        )


@pytest.mark.parametrize("languages", [["es-ES", "en"], ["es-MX"]])
def test_a_spanish_browser_gets_the_pages_quick_exit_and_cover_in_spanish(
    site, pw, tmp_path, languages
):
    ctx = launch(pw, tmp_path / "profile")
    device(ctx, languages)
    ctx.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => setTimeout(() => {"
        " window.loadingLabel = document.getElementById('loading').getAttribute('aria-label');"
        " }, 0));"
    )
    # Python is held back (its app's files) until the tap: once it runs, the page's words follow
    # the app's language, English here, and Python starts in about a second.
    held = []

    def hold(route) -> None:
        held.append(route)

    ctx.route("**/app.bundle", hold)
    try:
        page = ctx.pages[0]
        page.goto(site.url)
        button = page.get_by_role("button", name="Salida rápida")
        button.wait_for(timeout=10_000)  # the page's own, before Python has started
        assert button.get_attribute("title") == "Ocultarlo todo ahora (o pulsa Mayús tres veces)"
        # (the spinner is gone once Flutter draws: its label as the page started)
        assert page.evaluate("window.loadingLabel") == "Cargando"
        button.click()
        cover = page.locator("#decoy")
        assert cover.locator("h1").inner_text() == "Notas"
        assert page.title() in ("Notas", "")  # (Flutter, starting, may blank it: never more)
        assert "Compras: avena, limones, arroz, té, tomates" in cover.inner_text()
        assert " de " in cover.locator("button").inner_text()  # "lunes, 30 de noviembre"
        # Tapped while Python was still starting: once it has, it locks and the cover stays.
        # (Its own title is English here: the app inside this site offers English alone.)
        for _ in range(300):  # (Playwright hands over the held request as it waits)
            if held:
                break
            page.wait_for_timeout(100)
        assert held, "Python's app files were never asked for"
        for route in held:
            route.continue_()
        ctx.unroute("**/app.bundle", hold)
        page.locator("html[data-phase=decoy]").wait_for(state="attached", timeout=90_000)
        assert cover.locator("h1").inner_text() == "Notas"
    finally:
        ctx.close()


def test_english_elsewhere_and_the_choice_in_settings_wins(site, pw, tmp_path):
    for languages, chosen, says in [
        (["en-US", "fr"], "", "Quick exit"),
        (["de-DE"], "", "Quick exit"),
        (["es-ES"], "en", "Quick exit"),
        (["en-GB"], "es", "Salida rápida"),
    ]:
        ctx = launch(pw, tmp_path / f"profile-{languages[0]}-{chosen}")
        device(ctx, languages, chosen)
        try:
            page = ctx.pages[0]
            page.goto(site.url)
            page.get_by_role("button", name=says, exact=True).wait_for(timeout=10_000)
        finally:
            ctx.close()


def test_the_start_failure_is_said_in_spanish(site, pw, tmp_path):
    ctx = launch(pw, tmp_path / "profile", user_agent=IPHONE)
    device(ctx, ["es-ES"])
    ctx.add_init_script("delete globalThis.WebAssembly;")
    try:
        page = ctx.pages[0]
        page.goto(site.url)
        box = page.locator("#start-failed")
        box.wait_for(state="visible", timeout=10_000)
        text = box.inner_text()
        assert "WebAssembly desactivado" in text and "modo de aislamiento" in text
        assert "Lockdown" not in text
    finally:
        ctx.close()


def test_a_right_to_left_language_puts_quick_exit_first_in_its_reading_order(site, pw, tmp_path):
    """Written right to left, the page's button reads that way and sits at the top left, where
    such a reader starts; left to right, at the top right."""
    width = 360
    for languages, left in [(["qps-plocm"], True), (["en"], False)]:
        ctx = launch(pw, tmp_path / f"profile-{languages[0]}")
        device(ctx, languages)
        try:
            page = ctx.pages[0]
            page.goto(site.url)
            button = page.locator("#quick-exit")
            button.wait_for(timeout=10_000)
            page.wait_for_function("document.readyState !== 'loading'")
            box = button.bounding_box()
            assert (box["x"] + box["width"] / 2 < width / 2) == left, box
            assert button.get_attribute("dir") == ("rtl" if left else None)
        finally:
            ctx.close()
