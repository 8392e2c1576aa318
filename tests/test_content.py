"""content/ loads, legal claims cite a source and review date, bad files fail loudly."""

import shutil

import pytest

from pwa_app.content import ContentError, load_content
from pwa_app.paths import content_dir

C = load_content()
RPH_SOURCES = (
    'legal = true\nsources = [\n  { title = "Revenge Porn Helpline: advice on reporting", '
    'url = "https://revengepornhelpline.org.uk/", reviewed = "2026-11-24" },\n]'
)


def test_every_section_of_the_article_is_a_card_and_every_faq_is_there():
    titles = {c.id for c in C.cards}
    assert {"rights", "support", "removal", "circulation", "privacy", "longterm"} <= titles
    assert len(C.faq) >= 4
    assert all(len(c.steps) >= 3 for c in C.cards)


def test_every_legal_claim_has_a_source_and_review_date():
    claims = [s for c in C.cards for s in c.steps if s.legal] + [f for f in C.faq if f.legal]
    assert len(claims) >= 8
    for claim in claims:
        assert claim.sources, claim.id
        for src in claim.sources:
            assert src.url.startswith("https://") and src.reviewed.year >= 2026


def test_outdated_advice_is_rewritten():
    text = " ".join(s.text for c in C.cards for s in c.steps)
    assert "blockchain" in text.lower() and "advise against" in text
    assert "48 hours" in text and "TAKE IT DOWN" in text
    assert any("blockchain" in ch.what.lower() for ch in C.changes)


def test_directory_covers_required_countries_with_sources():
    countries = {h.country for h in C.hotlines}
    assert {"US", "UK", "CA", "AU", "IE", "IN"} <= countries
    assert countries & {"EU", "DE", "FR", "ES"}
    for h in C.hotlines:
        assert h.source.startswith("https://") and h.reviewed
        if h.phone:
            assert h.tel_uri.startswith("tel:") and h.tel_uri[4:].replace("+", "").isdigit()


def test_checklist_covers_platforms():
    groups = {g.id for g in C.checklist}
    assert {"facebook", "instagram", "x", "snapchat", "tiktok", "accounts", "phone"} <= groups


def test_platform_routes_present():
    ids = {p.id for p in C.platforms}
    assert {"google", "meta", "x", "reddit", "tiktok", "snapchat", "bing"} <= ids


@pytest.fixture
def copy(tmp_path):
    d = tmp_path / "content"
    shutil.copytree(content_dir(), d)
    return d


@pytest.mark.parametrize(
    "file,old,new,needle",
    [
        ("guide.toml", 'id = "support-hotline"', 'id = "support-hotline"\ntypo = 1', "unknown key"),
        (
            "guide.toml",
            RPH_SOURCES,
            "legal = true",
            "must cite",
        ),
        ("guide.toml", 'action = "tool:directory"', 'action = "tool:nowhere"', "bad action"),
        ("hotlines.toml", 'phone = "988"\nsms', 'phone = "call us"\nsms', "not a phone"),
        ("notices.toml", "${url_list}", "${url_lst}", "unknown placeholder"),
        ("checklist.toml", 'id = "sessions"', 'id = "email-password"', "duplicate"),
        ("platforms.toml", '\nstatus = "listed"', '\nstatus = "maybe"', "status"),
    ],
)
def test_bad_content_fails_loudly(copy, file, old, new, needle):
    path = copy / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ContentError) as ei:
        load_content(copy)
    assert needle in str(ei.value) and file in str(ei.value)


def test_broken_toml_and_missing_file(copy):
    (copy / "faq.toml").write_text("x")  # extra files are ignored
    (copy / "guide.toml").write_text("[[cards]\n")
    with pytest.raises(ContentError, match="not valid TOML"):
        load_content(copy)
    (copy / "hotlines.toml").unlink()
    with pytest.raises(ContentError):
        load_content(copy)


def test_every_disguise_title_has_a_neutral_manifest_and_icons():
    import json
    from pathlib import Path

    from PIL import Image

    from pwa_app.disguise import slug

    assets = Path(__file__).resolve().parent.parent / "assets"
    titles = load_content().quick_exit.disguise_titles
    assert titles
    for title in titles:
        key = slug(title)
        manifest = json.loads((assets / "disguise" / f"{key}.json").read_text())
        assert manifest["name"] == title and manifest["display"] == "standalone"
        text = json.dumps({k: v for k, v in manifest.items() if k != "icons"}).casefold()
        for word in ("recourse", "image", "photo", "abuse", "leak", "help", "evidence"):
            assert word not in text, f"{key}.json gives the app away: {word!r}"
        for icon in manifest["icons"]:
            with Image.open(assets / icon["src"]) as im:
                assert f"{im.width}x{im.height}" == icon["sizes"]
