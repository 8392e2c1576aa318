"""content/ loads, legal claims cite a source and review date, bad files fail loudly."""

import re

import pytest

from pwa_app.content import ContentError, load_content

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
        (
            "platforms.toml",
            'source = "https://support.google.com/websearch/answer/9116649"\n',
            "",
            "'source'",
        ),
        (
            "platforms.toml",
            'reviewed = "2026-11-25"\n\n[[platforms]]',
            "[[platforms]]",
            "'reviewed'",
        ),
        (
            "hotlines.toml",
            'reviewed = "2026-11-25"\nstatus = "listed"',
            'status = "listed"',
            "'reviewed'",
        ),
        ("notices.toml", 'send_via = "form"', 'send_via = "fax"', "send_via"),
        ("notices.toml", 'after = "48 hours"', 'after = "two days"', "after"),
        ("photo.toml", 'steps_title = "', 'steps_heading = "', "'steps_title'"),
        ("photo.toml", 'reviewed = "2026-11-30"', 'reviewed = "soon"', "reviewed"),
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


def test_a_legal_notice_without_sources_is_refused(copy):
    path = copy / "notices.toml"
    text = path.read_text()
    start = text.index('id = "take_it_down"')
    block = re.compile(r"sources = \[\n(  \{.*\},\n)+\]\n")
    m = block.search(text, start)
    assert m is not None
    path.write_text(text[: m.start()] + text[m.end() :])
    with pytest.raises(ContentError, match="must cite") as ei:
        load_content(copy)
    assert "notices.toml" in str(ei.value)


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


# ---- issue 10: what must be right --------------------------------------------------------------
def _all_text() -> str:
    """Every word of content/ that the app shows or puts in a notice."""
    parts = [s.text for c in C.cards for s in c.steps] + [c.summary for c in C.cards]
    parts += [f.question + " " + f.answer for f in C.faq]
    parts += [h.name + " " + h.what for h in C.hotlines]
    parts += [p.name + " " + p.note + " " + " ".join(r.name for r in p.routes) for p in C.platforms]
    for n in C.notices:
        parts += [n.title, n.region, n.summary, n.not_fit, n.warning, n.how_to_send, n.follow_up]
        parts += [p.text + " " + p.agent for p in n.paragraphs]
    for f in C.fields.values():
        parts += [f.label, f.help] + [c.label + " " + c.text + " " + c.agent for c in f.choices]
    return "\n".join(parts)


def test_us_law_covers_all_50_states_and_dc():
    text = _all_text()
    assert "almost every state" not in text.lower()
    step = next(s for c in C.cards for s in c.steps if s.id == "rights-crime")
    assert "all 50 states and the District of Columbia" in step.text
    assert "South Carolina" in step.text


def test_dsa_is_eu_only_and_the_uk_has_its_own_route():
    text = _all_text()
    assert "EU/UK" not in text and "EU / UK" not in text
    assert C.notice("dsa16").region.startswith("European Union only")
    uk = next(s for c in C.cards for s in c.steps if s.id == "rights-uk")
    assert "Online Safety Act 2023" in uk.text and "Ofcom" in uk.text and uk.sources
    # the statement of accuracy covers only what the person chose to state
    statement = C.fields["dsa_statement"]
    assert {c.id for c in statement.choices} == {"privacy", "crime", "both"}
    assert "criminal" not in statement.choice("privacy").text
    assert statement.choice("crime").needs == ("jurisdiction",)


def test_take_it_down_goes_through_the_platform_form_and_escalates_to_the_ftc():
    t = C.notice("take_it_down")
    assert t.send_via == "form" and "form" in t.how_to_send
    assert [(d.amount, d.unit) for d in t.deadlines] == [(48, "hours")]
    assert t.escalate is not None and t.escalate.url == "https://takeitdown.ftc.gov/"
    assert "19 May 2026" in t.escalate.text
    assert "digital forgeries" in t.summary
    known = {p.id for p in C.platforms if p.take_it_down is not None}
    assert {"x", "discord"} <= known
    assert C.platform("x").take_it_down.url.startswith("https://help.x.com/forms/")


def test_dmca_warns_and_keeps_address_and_phone_optional():
    t = C.notice("dmca")
    for word in ("forwarded", "Lumen", "counter-notice", "10 to 14 business days", "registered"):
        assert word in t.warning
    assert "email" in t.required
    assert "address" not in t.required and "phone" not in t.required
    assert "usually" in t.summary and "assigned" in t.summary
    assert t.not_fit and "Google" in t.not_fit


def test_gdpr_grounds_and_the_extended_deadline():
    ground = C.fields["gdpr_ground"]
    assert {c.id for c in ground.choices} >= {"b", "c", "d"}
    assert "17(1)(d)" in ground.choice("d").text and "never" in ground.choice("d").label
    assert "Article 21" in ground.choice("c").text
    t = C.notice("gdpr17")
    assert [(d.amount, d.unit) for d in t.deadlines] == [(1, "months"), (3, "months")]
    text = " ".join(p.text for p in t.paragraphs) + t.summary
    assert "12(3)" in text and "will be erased" not in text


def test_platform_routes_named_by_the_review():
    urls = {r.url for p in C.platforms for r in p.routes}
    assert any("about.meta.com" in u and "ncii" in u for u in urls)
    assert "https://support.google.com/websearch/answer/9116649" in urls
    google = " ".join(r.name for r in C.platform("google").routes)
    assert "Remove result" in google
    assert "Report a Concern" in C.platform("bing").routes[0].name
    assert "Content Removal Request" in C.platform("aylo").routes[0].name
    for pid in ("onlyfans", "discord", "telegram"):
        assert C.platform(pid).routes
    assert "no dedicated route" in C.platform("telegram").note
    assert "found no form" in C.platform("onlyfans").note
    for p in C.platforms:
        for r in p.routes:
            assert r.source.startswith("https://") and r.reviewed.year >= 2026


def test_directory_additions_and_opening_hours():
    ids = {h.id for h in C.hotlines}
    assert {
        "us-ccri-safety-center",
        "ca-needhelpnow",
        "es-aepd",
        "it-garante",
        "nz-netsafe",
        "uk-report-remove",
    } <= ids
    assert C.hotline("nz-netsafe").phone == "0508 638 723"
    assert "Canal Prioritario" in C.hotline("es-aepd").name + C.hotline("es-aepd").what
    assert "48" in C.hotline("it-garante").title
    assert "18" in C.hotline("uk-report-remove").what
    for hid in ("uk-rph", "de-hateaid"):
        assert C.hotline(hid).hours and "24/7" not in C.hotline(hid).hours
    assert "young" in C.hotline("fr-3018").title and "Adults" in C.hotline("fr-3018").what
    assert {h.id for h in C.hotlines if h.country == "FR"} - {"fr-3018"}
    assert "3(2)(b)" in C.hotline("in-cybercrime").what


def test_services_that_are_gone_are_explained_and_paid_ones_warned_about():
    changes = " ".join(c.what + " " + c.why for c in C.changes)
    for name in ("Without My Consent", "DMCA Defender"):
        assert name in changes
    services = next(s for c in C.cards for s in c.steps if s.id == "removal-services")
    assert "recovery" in services.text and services.sources


# ---- the second content review (issue 15) -------------------------------------------------------
def _step(step_id: str):
    return next(s for c in C.cards for s in c.steps if s.id == step_id)


def test_threats_are_named_a_crime_only_where_the_law_says_so():
    text = _step("rights-crime").text
    threat = text.split("Threatening to share them is a crime in itself in ")[1].split(";")[0]
    assert "Canada" not in threat and "England and Wales" in threat
    assert "sharing or threatening to share intimate images without consent is a crime" not in text
    titles = " ".join(s.title for s in _step("rights-crime").sources)
    assert "Scotland" in titles and "threats fall under other sections" in titles
    assert all(s.reviewed.isoformat() >= "2026-11-25" for s in _step("rights-crime").sources)


def test_x_and_discord_take_it_down_forms_are_for_the_us_with_a_route_for_everyone_else():
    for pid in ("x", "discord"):
        p = C.platform(pid)
        assert "United States" in p.take_it_down.name, pid
        others = [r for r in p.routes if r.name.startswith("Outside the United States")]
        assert others and not others[0].take_it_down, pid
        assert "United States" in p.note


def test_a_discord_message_is_reported_in_the_app_as_discord_s_own_page_says():
    """Read on discord.com itself (2026-12-07): hold the message down (right-click on a
    computer), Report Message, the type of abuse. The policy explainer stays to confirm."""
    routes = C.platform("discord").routes
    (app,) = [r for r in routes if r.name.startswith("In the app")]
    assert app.status == "listed" and app.general and "Report Message" in app.name
    assert app.url == app.source and app.source.startswith("https://discord.com/safety/")
    assert not app.take_it_down
    (explainer,) = [r for r in routes if r.name.startswith("Outside the United States")]
    assert explainer.status == "to-confirm"


def test_directory_facts_of_the_second_review():
    assert "requires it to remove the images within 24 hours" in C.hotline("au-esafety").what
    assert "usually" not in C.hotline("au-esafety").what
    assert "legislation.gov.au" in C.hotline("au-esafety").source
    assert C.hotline("fr-3018").hours == "7 days a week, 9:00 to 23:00"
    assert "images themselves" in C.hotline("fr-disrupt").what and "StopNCII" in (
        C.hotline("fr-disrupt").what
    )
    garante = C.hotline("it-garante")
    assert garante.web == "https://www.gpdp.it/temi/revengeporn" and "images themselves" in (
        garante.what
    )
    for hid in ("ie-hotline", "us-ftc-tida", "it-garante"):
        assert C.hotline(hid).confirmed, hid
    assert "tips.fbi.gov" in C.hotline("us-fbi-tips").web


def test_canada_adults_sextortion_pay_sites_and_warning_contacts_are_covered():
    bc = C.hotline("ca-bc-iips")
    assert bc.phone == "1-833-688-4381" and bc.country == "CA" and bc.confirmed
    canada = _step("rights-canada")
    assert canada.action == "call:ca-bc-iips" and "Civil Resolution Tribunal" in canada.text
    assert "other provinces" in canada.text
    sextortion = _step("support-sextortion")
    assert "tips.fbi.gov" in sextortion.text and "Take It Down" in sextortion.text
    assert "CyberTipline" in sextortion.text and "do not pay" in sextortion.text
    pay = _step("removal-pay-sites")
    assert pay.text.startswith("Never pay a site") and "9172218" in pay.sources[0].url
    google = {r.url for r in C.platform("google").routes}
    assert "https://support.google.com/websearch/answer/9172218" in google
    contacts = _step("privacy-contacts")
    assert "not your fault" in contacts.text and contacts.action == "tool:trusted"
    assert any("heads-up" in title for title, _text in C.trusted.messages)


def test_the_trusted_person_tips_do_not_contradict_each_other():
    tips = " ".join(C.trusted.tips)
    assert "not to search for the images" in tips
    assert "check sites" not in tips
