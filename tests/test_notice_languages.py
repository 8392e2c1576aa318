"""Notices in their own language (issue 21, item 4): a notice goes out in the recipient's
language when it has a version in it, the person can choose another, every element the law
requires is in every version both ways (for oneself, for someone else), and a version no lawyer
or native speaker has reviewed carries its English original, saying so in both languages."""

from __future__ import annotations

import dataclasses
import io
import re
import string
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from pwa_app import i18n
from pwa_app.content import ContentError, load_content
from pwa_app.documents import notice_pdf, render_notice, validate_notice
from pwa_app.documents.notice import recipient_language, required_phrases

C = load_content()
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
SPANISH = C.language("es")
VALUES = {
    "full_name": "Ana Núñez",
    "email": "ana@example.org",
    "recipient": "Ejemplo Medios SL",
    "recipient_email": "privacidad@ejemplo.es",
    "urls": "https://ejemplo.es/a\nhttps://ejemplo.com/b",
    "description": "dos fotos, de 2024",
    "gdpr_ground": "d",
    "site": "https://ejemplo.es",
    "first_contacted": "2026-11-01",
    "jurisdiction": "España",
}
# What a notice written for someone else must never say in Spanish (the person is not the one
# shown): "mine", "my right", "I never consented", "I withdraw", "I object".
AGENT_NEVER = (
    "mías",
    "mi derecho",
    "mi consentimiento",
    "nunca consentí",
    "retiro el consentimiento",
    "me opongo",
    "Pedí ",
)
VERSIONS = [(t.id, v.language) for t in C.notices for v in t.versions]


def norm(s: str) -> str:
    return " ".join(s.split())


def pdf_text(data: bytes) -> str:
    """The PDF's words, its pages joined without their "Page 1/2" footers, so that a sentence
    running over a page break reads whole."""
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]
    return " ".join(re.sub(r" ?(Page|Página) \d+/\d+$", "", p) for p in pages)


def _cases():
    for kind, language in VERSIONS:
        t = C.notice(kind)
        choices = [(fid, c.id) for fid in t.fields for c in C.fields[fid].choices if c.text]
        for fid, choice in choices or [("", "")]:
            for agent in ("", "Jo Rivera"):
                name = f"{kind}-{language}-{fid}-{choice}-{'agent' if agent else 'own'}"
                yield pytest.param(kind, language, fid, choice, agent, id=name)


def test_spanish_is_there_to_test():
    assert {("gdpr17", "es"), ("host", "es"), ("dsa16", "es"), ("platform", "es")} <= set(VERSIONS)


@pytest.mark.parametrize("kind,language,fid,choice,agent", list(_cases()))
def test_every_version_has_every_element_both_ways_in_text_and_pdf(
    kind, language, fid, choice, agent
):
    t = C.notice(kind)
    words = C.language(language)
    values = {**VALUES, "acting_for": agent, **({fid: choice} if fid else {})}
    assert validate_notice(t, C.fields, values, NOW) == {}
    n = render_notice(t, C.fields, values, NOW, words)
    text = n.text
    made = notice_pdf(n, NOW, i18n.translator_for(language))
    reader = PdfReader(io.BytesIO(made))
    assert reader.trailer["/Root"]["/Lang"] == language  # read aloud in its own language
    footer = {"en": "Page 1/", "es": "Página 1/"}[language]
    assert footer in reader.pages[0].extract_text()
    pdf = pdf_text(made)
    for element, phrases in required_phrases(t, C.fields, values, NOW, words).items():
        for phrase in phrases:
            assert norm(phrase) in norm(text), (element, phrase)
            assert norm(phrase) in pdf, (element, phrase, "PDF")
    version = t.version(language)
    own = text.split(words.translated)[0] if not version.reviewed else text
    assert n.language == language and own.startswith(version.heading)
    assert f"{words.to}: " in own and f"{words.date_label}: " in own
    if fid:  # the choice in this language, not the English one
        said = dict(version.choices)
        mine = next(c for f, c in version.choices if f == fid and c.id == choice)
        assert said and norm(
            string.Template(mine.agent if agent and mine.agent else mine.text).safe_substitute(
                values
            )
        ) in norm(own)
    if agent:
        assert "Jo Rivera" in own
        for claim in AGENT_NEVER:
            assert claim not in own, f"{claim!r} when writing for someone else"
    assert "${" not in text


def test_a_version_not_reviewed_carries_its_english_original_and_says_so_in_both_languages():
    t = C.notice("gdpr17")
    assert t.version("es").reviewed is False  # until a lawyer or native speaker has read it
    spanish = render_notice(t, C.fields, VALUES, NOW, SPANISH)
    english = render_notice(t, C.fields, VALUES, NOW)
    said = spanish.paragraphs.index(SPANISH.translated)
    assert "traducción" in SPANISH.translated and "translation" in SPANISH.translated
    assert spanish.paragraphs[said + 1 :] == (english.heading, *english.paragraphs)
    assert "30 de noviembre" not in spanish.text and "24 de noviembre de 2026" in spanish.text
    assert "Date: 24 November 2026" in spanish.text  # the original's own date line
    assert spanish.head == (
        "Para: Ejemplo Medios SL <privacidad@ejemplo.es>",
        "Fecha: 24 de noviembre de 2026",
        "Asunto: Solicitud de supresión conforme al artículo 17 del RGPD (direcciones: 2)",
    )


def test_a_reviewed_version_goes_alone():
    t = C.notice("gdpr17")
    reviewed = dataclasses.replace(t.version("es"), reviewed=True)
    t = dataclasses.replace(t, versions=(reviewed,))
    n = render_notice(t, C.fields, VALUES, NOW, SPANISH)
    assert SPANISH.translated not in n.paragraphs
    assert "Article 17" not in n.text and "artículo 17" in n.text


def test_english_is_unchanged_by_the_versions():
    t = C.notice("gdpr17")
    plain = dataclasses.replace(t, versions=())
    assert render_notice(t, C.fields, VALUES, NOW) == render_notice(plain, C.fields, VALUES, NOW)
    assert render_notice(t, C.fields, VALUES, NOW, C.language("en")).text == (
        render_notice(plain, C.fields, VALUES, NOW).text
    )


@pytest.mark.parametrize(
    "kind,values,expected",
    [
        ("gdpr17", {"recipient_email": "dpo@ejemplo.es"}, ("es", "es")),
        ("gdpr17", {"recipient_email": "legal@medios.com.mx"}, ("es", "mx")),
        # the recipient's own address decides: a Spanish site with an American address
        (
            "gdpr17",
            {"recipient_email": "privacy@example.com", "urls": "https://x.es/a"},
            ("en", ""),
        ),
        # no address of theirs: the first address reported
        ("gdpr17", {"urls": "https://sitio.ar/foto\nhttps://example.com/b"}, ("es", "ar")),
        ("gdpr17", {"urls": "https://example.com/b\nhttps://sitio.ar/foto"}, ("en", "")),
        ("gdpr17", {"urls": "https://EJEMPLO.ES./a"}, ("es", "es")),
        ("gdpr17", {}, ("en", "")),
        # the host letter: the site's own address when the host's is not given
        ("host", {"site": "https://ejemplo.es", "urls": "https://example.com/a"}, ("es", "es")),
        ("host", {"recipient_email": "abuse@host.com", "site": "https://ejemplo.es"}, ("en", "")),
        # a notice without a Spanish version stays English, whoever receives it
        ("dmca", {"recipient_email": "dmca@ejemplo.es"}, ("en", "")),
        ("take_it_down", {"urls": "https://ejemplo.es/a"}, ("en", "")),
    ],
)
def test_the_recipients_language_by_default(kind, values, expected):
    lang, ending = recipient_language(C.notice(kind), C.languages, values)
    assert (lang.id, ending) == expected


@pytest.mark.parametrize(
    "old,new,needle",
    [
        # a choice the Spanish version does not write would leave English inside it
        ('field = "gdpr_ground"\nid = "a"\n', 'field = "gdpr_ground"\nid = "zz"\n', "not a choice"),
        ('deadline = ["en el plazo de un mes", "otros dos meses"]\n', "", "'deadline'"),
        ('language = "es"\nreviewed', 'language = "pt"\nreviewed', "not one of the [[languages]]"),
        (
            '[[notices.versions.paragraphs]]\nelement = "erase"',
            '[[notices.versions.paragraphs]]\nelement = "inform"',
            "follow the notice's",
        ),
        ('months = ["enero", ', "months = [", "twelve months"),
        ("${day} de ${month} de ${year}", "${day} de ${mes}", "date must use"),
        (
            'url = "https://eur-lex.europa.eu/legal-content/ES/',
            'url = "http://eur-lex.europa.eu/legal-content/ES/',
            "https",
        ),
        ("Ese plazo solo puede prorrogarse otros dos meses", "Ese plazo ${plazo}", "placeholder"),
    ],
)
def test_a_bad_version_fails_loudly(copy, old, new, needle):
    path = copy / "notices.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError, match=needle.replace("[", r"\[").replace("(", r"\(")):
        load_content(copy)


def test_a_missing_choice_in_the_version_fails_loudly(copy):
    path = copy / "notices.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('[[notices.versions.choices]]\nfield = "gdpr_ground"\nid = "a"')
    end = text.index("\n\n", start)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ContentError, match="gdpr_ground/a is not written in it"):
        load_content(copy)


def test_a_version_that_quotes_the_law_cites_its_text_in_that_language():
    for kind, language in VERSIONS:
        v = C.notice(kind).version(language)
        assert all(s.url.startswith("https://") for s in v.sources)
        assert v.note  # what the form says before it is chosen
        if not v.reviewed:
            assert "English original" in v.note  # and the form says it goes with it
    es = C.notice("gdpr17").version("es")
    assert any("/legal-content/ES/" in s.url for s in es.sources)


def test_the_service_goes_by_the_recipient_until_the_person_chooses_and_the_record_keeps_it():
    from conftest import FAST_KDF, run

    from pwa_app.services import Services
    from pwa_app.vault import MemoryStorage

    s = Services(MemoryStorage(), clock=lambda: NOW, kdf=FAST_KDF, min_score=0)
    run(s.session.create("pw"))
    case = run(s.cases.ensure())
    assert [x.id for x in s.requests.languages("gdpr17")] == ["en", "es"]
    assert [x.id for x in s.requests.languages("dmca")] == ["en"]
    auto = s.requests.language("gdpr17", VALUES)
    assert (auto.words.id, auto.ending, auto.chosen) == ("es", "es", False)
    chosen = s.requests.language("gdpr17", VALUES, "en")
    assert (chosen.words.id, chosen.chosen) == ("en", True)
    # a language the notice is not written in is no choice: the recipient's again
    assert s.requests.language("gdpr17", VALUES, "fr").words.id == "es"
    assert s.requests.check("gdpr17", VALUES) == {}
    spanish = s.requests.render("gdpr17", VALUES)
    assert spanish.language == "es" and spanish.text.startswith("Solicitud de supresión")
    assert s.requests.render("gdpr17", VALUES, "en").text.startswith("Request for erasure")
    r = run(s.requests.mark_sent(case.id, spanish))
    assert r.text == spanish.text.strip()  # the record keeps the words that were sent
    sent = [e for e in run(s.history.entries())[0] if e.event == "request.sent"]
    assert sent[-1].data["language"] == "es"
    mailto = s.requests.mailto(spanish)
    assert "supresi%C3%B3n" in mailto and "Article%2017" in mailto  # the original goes too
