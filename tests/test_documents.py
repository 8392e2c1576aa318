"""Notices: every required element and URL in the text and the PDF; golden files; hostile input."""

import io
import os
import string
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from pwa_app.content import load_content
from pwa_app.documents import mailto_uri, notice_pdf, render_notice, validate_notice
from pwa_app.documents.notice import required_phrases
from pwa_app.documents.pdf import MISSING

C = load_content()
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # pinned creation date
GOLDEN = Path(__file__).parent / "golden"
VALUES = {
    "full_name": "Ana Núñez",
    "email": "ana@example.org",
    "phone": "+1 555 0100",
    "postal_address": "1 Main St\nSpringfield, IL 62701",
    "recipient": "Example Host Inc.",
    "recipient_email": "dmca@example.com",
    "urls": "https://example.com/a?x=1&y=2\nhttps://example.net/b#frag",
    "description": "two photos of me, taken in 2024",
    "jurisdiction": "Germany",
    "gdpr_ground": "d",
    "dsa_statement": "both",
    "image_kind": "real",
    "site": "https://example.com",
    "first_contacted": "2026-11-01",
}
KINDS = [n.id for n in C.notices]


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def norm(s: str) -> str:
    return " ".join(s.split())


@pytest.mark.parametrize("kind", KINDS)
def test_every_required_element_and_url_in_text_and_pdf(kind):
    t = C.notice(kind)
    assert validate_notice(t, C.fields, VALUES, NOW) == {}
    n = render_notice(t, C.fields, VALUES, NOW)
    pdf = pdf_text(notice_pdf(n, NOW))
    for element, phrases in required_phrases(t, C.fields, VALUES, NOW).items():
        for phrase in phrases:
            assert norm(phrase) in norm(n.text), f"{kind}: element {element} missing in text"
            assert norm(phrase) in pdf, f"{kind}: element {element} missing in PDF"
    for url in n.urls:
        assert url in n.text and url in pdf


def test_dmca_has_all_six_statutory_elements():
    t = C.notice("dmca")
    assert [e.id for e in t.elements] == ["i", "ii", "iii", "iv", "v", "vi"]
    text = render_notice(t, C.fields, VALUES, NOW).text
    assert "/s/ Ana Núñez" in text and "penalty of perjury" in text
    assert "not authorized by the copyright owner, its agent, or the law" in text
    assert t.not_fit and "someone else took" in t.not_fit


def test_dmca_needs_only_an_email_to_be_reached():
    """§512(c)(3)(A)(iv): contact details "reasonably sufficient", such as an address, phone or
    e-mail. Postal address and phone are optional; when left out, no empty line is left."""
    t = C.notice("dmca")
    bare = {**VALUES, "phone": "", "postal_address": ""}
    assert validate_notice(t, C.fields, bare, NOW) == {}
    text = render_notice(t, C.fields, bare, NOW).text
    assert "E-mail: ana@example.org" in text
    assert "Telephone:" not in text and "Address:" not in text
    full = render_notice(t, C.fields, VALUES, NOW).text
    assert "Telephone: +1 555 0100" in full and "Address: 1 Main St" in full


def test_dmca_warns_before_sending_and_says_when_it_does_not_fit():
    t = C.notice("dmca")
    for words in ("forwarded to the person who uploaded", "Lumen", "counter-notice",
                  "10 to 14 business days", "registered"):  # fmt: skip
        assert words in t.warning
    assert "usually" in t.summary and "assigned" in t.summary
    assert "TAKE IT DOWN" in t.not_fit and "Google" in t.not_fit


def test_gdpr_grounds_deadlines_and_no_promise_of_erasure():
    t = C.notice("gdpr17")
    grounds = {c.id: c for c in C.fields["gdpr_ground"].choices}
    assert "17(1)(d)" in grounds["d"].text and "never consented" in grounds["d"].text
    assert "withdraw" in grounds["b"].text and "17(1)(b)" in grounds["b"].text
    assert "Article 21" in grounds["c"].text and "17(1)(c)" in grounds["c"].text
    assert [(d.amount, d.unit) for d in t.deadlines] == [(1, "months"), (3, "months")]
    text = render_notice(t, C.fields, VALUES, NOW).text
    assert "within one month" in text and "two further months" in text
    assert "17(3)" in t.summary and "may be no" in t.summary


def test_dsa_is_eu_only_and_states_only_what_the_person_chooses():
    t = C.notice("dsa16")
    assert "EU/UK" not in t.region + t.summary and "UK" in t.region
    privacy = render_notice(t, C.fields, {**VALUES, "dsa_statement": "privacy"}, NOW).text
    assert "criminal offence" not in privacy and "Articles 7 and 8" in privacy
    crime = render_notice(t, C.fields, {**VALUES, "dsa_statement": "crime"}, NOW).text
    assert "I believe that sharing intimate images without consent is a criminal offence" in crime
    assert "under the law of Germany" in crime
    errs = validate_notice(
        t, C.fields, {**VALUES, "dsa_statement": "crime", "jurisdiction": ""}, NOW
    )
    assert "jurisdiction" in errs
    assert (
        validate_notice(
            t, C.fields, {**VALUES, "dsa_statement": "privacy", "jurisdiction": ""}, NOW
        )
        == {}
    )


def test_take_it_down_goes_through_the_platform_form_and_covers_fakes():
    t = C.notice("take_it_down")
    assert t.send_via == "form" and "form" in t.how_to_send
    assert [(d.amount, d.unit) for d in t.deadlines] == [(48, "hours")]
    assert t.escalate and t.escalate.url == "https://takeitdown.ftc.gov/"
    assert "FTC" in t.escalate.label and "19 May 2026" in t.escalate.text
    assert "digital forgeries" in t.summary
    fake = render_notice(t, C.fields, {**VALUES, "image_kind": "forgery"}, NOW).text
    assert "digital forgery" in fake


# Words that only the person shown may say; when someone writes for them, none may appear.
FIRST_PERSON_CLAIMS = (
    "I am the person shown",
    "I am the identifiable individual",
    "made by me",
    "I own the copyright",
    "of me",
    "my consent",
    "I did not consent",
    "I never consented",
    "I withdraw",
    "I object",
    "my right to erasure",
    "assigned to me",
    "I have a good faith belief that the intimate",  # TIDA (iii): the individual's belief
)


@pytest.mark.parametrize("kind", KINDS)
def test_every_notice_reads_right_for_the_person_and_for_someone_acting_for_them(kind):
    t = C.notice(kind)
    values = {k: v for k, v in VALUES.items() if k in t.fields or k == "urls"}
    values["description"] = "two photos, taken in 2024"
    own = render_notice(t, C.fields, values, NOW).text
    assert "Jo Rivera" not in own
    agent_values = {**values, "acting_for": "Jo Rivera"}
    assert validate_notice(t, C.fields, agent_values, NOW) == {}
    agent = render_notice(t, C.fields, agent_values, NOW).text
    for claim in FIRST_PERSON_CLAIMS:
        assert claim not in agent, f"{kind}: {claim!r} when writing for someone else"
    assert "Jo Rivera" in agent and ("on behalf of" in agent or "for them" in agent)
    # every element the law requires is there both ways
    for phrases in required_phrases(t, C.fields, agent_values, NOW).values():
        for phrase in phrases:
            assert norm(phrase) in norm(agent), f"{kind}: {phrase!r} missing for an agent"
    if kind == "dmca":
        assert "made by Jo Rivera, who owns the copyright" in agent
    if kind == "gdpr17":
        assert "Jo Rivera never consented" in agent


def test_take_it_down_elements_and_paragraph_order_follow_the_statute():
    t = C.notice("take_it_down")
    assert {e.id for e in t.elements} == {"i", "ii", "iii", "iv"}
    order = [p.element for p in t.paragraphs]
    assert order.index("ii") < order.index("iii") < order.index("iv") < order.index("i")


def test_contact_required_for_take_it_down():
    errs = validate_notice(
        C.notice("take_it_down"), C.fields, {**VALUES, "email": "", "phone": ""}, NOW
    )
    assert "email" in errs and "phone" in errs


@pytest.mark.parametrize(
    "field,value,needle",
    [
        ("urls", "not a url", "http"),
        ("urls", "", "at least one"),
        ("email", "ana@", "email"),
        ("phone", "call me", "digits"),
        ("full_name", "   ", "needed"),
        ("email", "", "needed"),
    ],
)
def test_bad_fields_get_messages_next_to_them(field, value, needle):
    errs = validate_notice(C.notice("dmca"), C.fields, {**VALUES, field: value}, NOW)
    assert needle in errs[field].lower()


def test_future_date_and_bad_site_refused_for_host_letter():
    errs = validate_notice(
        C.notice("host"), C.fields, {**VALUES, "first_contacted": "2999-01-01", "site": "nope"}, NOW
    )
    assert "future" in errs["first_contacted"] and "http" in errs["site"]


@pytest.mark.parametrize("kind", KINDS)
def test_golden_text_and_pdf(kind):
    """Same input and clock give the same text and the same PDF bytes as committed."""
    n = render_notice(C.notice(kind), C.fields, VALUES, NOW)
    pdf = notice_pdf(n, NOW)
    assert notice_pdf(n, NOW) == pdf
    txt_path, pdf_path = GOLDEN / f"{kind}.txt", GOLDEN / f"{kind}.pdf"
    if os.environ.get("RECOURSE_REGENERATE_GOLDEN"):
        txt_path.write_text(n.text)
        pdf_path.write_bytes(pdf)
    assert n.text == txt_path.read_text()
    assert pdf == pdf_path.read_bytes()


def test_mailto_encodes_unicode_line_breaks_and_reserved_characters():
    body = "Línea 1 & más?\nURL: https://x.org/?a=1&b=2#c\n😀"
    uri = mailto_uri("dmca@example.com", "Re: a&b ? #1", body)
    assert uri.startswith("mailto:dmca@example.com?subject=")
    query = uri.split("?", 1)[1]
    parts = dict(p.split("=", 1) for p in query.split("&"))
    assert set(parts) == {"subject", "body"}
    assert unquote(parts["subject"]) == "Re: a&b ? #1"
    assert unquote(parts["body"]) == body.replace("\n", "\r\n")
    assert " " not in uri and "\n" not in uri and "#" not in uri


def test_pdf_never_crashes_on_any_script_and_shows_a_fallback():
    v = {**VALUES, "full_name": "李小龙 محمد שלום Ана 👩🏽‍💻", "description": "𝔘𝔫𝔦 ✓ \u202e rtl"}
    n = render_notice(C.notice("dmca"), C.fields, v, NOW)
    text = pdf_text(notice_pdf(n, NOW))
    assert MISSING in text and "could not be drawn" in text
    assert "Ана" in text


printable = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.fixed_dictionaries({f: printable for f in VALUES if f != "urls"}),
    urls=st.lists(printable, max_size=5),
    kind=st.sampled_from(KINDS),
)
def test_hostile_input_never_crashes_and_mailto_stays_valid(values, urls, kind):
    v = {**values, "urls": "\n".join(urls)}
    t = C.notice(kind)
    validate_notice(t, C.fields, v, NOW)
    n = render_notice(t, C.fields, v, NOW)
    notice_pdf(n, NOW)
    uri = mailto_uri(v.get("recipient_email", ""), n.subject, n.body)
    allowed = set(string.ascii_letters + string.digits + "-._~%:@?=&")
    assert set(uri) <= allowed


def test_huge_input_100kb_and_500_urls():
    urls = "\n".join(f"https://example.com/{i}/{'x' * 40}" for i in range(500))
    v = {**VALUES, "urls": urls, "description": "d" * 100_000}
    t = C.notice("dsa16")
    assert validate_notice(t, C.fields, v, NOW) == {}
    n = render_notice(t, C.fields, v, NOW)
    data = notice_pdf(n, NOW)
    text = pdf_text(data)
    assert "https://example.com/499/" in text and len(n.urls) == 500
    over = {**v, "description": "d" * 100_001}
    assert "too long" in validate_notice(t, C.fields, over, NOW)["description"]


def test_shaping_only_for_text_that_needs_it():
    from pwa_app.documents.pdf import needs_shaping

    assert not needs_shaping("Ana Núñez", "Zoë Ølsen", "Дарья", "https://x.org/a?b=1")
    assert needs_shaping("Ana", "שלום")  # Hebrew, right to left
    assert needs_shaping("مرحبا")  # Arabic
    assert needs_shaping("नमस्ते")  # Devanagari
    assert needs_shaping("e\u0301")  # a combining accent


def test_without_harfbuzz_the_pdf_still_comes_out_and_says_why_it_may_look_wrong(monkeypatch):
    """The browser build has no HarfBuzz: right-to-left text is still drawn, and the PDF says
    that the text version has it exactly."""
    from pwa_app.documents import pdf as pdfmod

    v = {**VALUES, "full_name": "شلום Ana"}
    n = render_notice(C.notice("dmca"), C.fields, v, NOW)
    assert "without text shaping" not in pdf_text(notice_pdf(n, NOW))  # HarfBuzz here
    monkeypatch.setattr(pdfmod, "shaping_available", lambda: False)
    text = pdf_text(notice_pdf(n, NOW))
    assert "without text shaping" in text and "Ana" in text and "penalty of perjury" in text
    plain = render_notice(C.notice("dmca"), C.fields, VALUES, NOW)
    assert "without text shaping" not in pdf_text(notice_pdf(plain, NOW))


def test_jpeg_pictures_go_into_a_pdf_without_any_image_library(monkeypatch):
    """As in the browser, where there is no Pillow: a JPEG's own bytes are embedded."""
    import fpdf.image_parsing
    from PIL import Image

    from pwa_app.documents.pdf import Doc, jpeg_info

    buf = io.BytesIO()
    Image.new("RGB", (64, 40), "orange").save(buf, "JPEG")
    jpeg = buf.getvalue()
    assert jpeg_info(jpeg) == {"w": 64, "h": 40, "cs": "DeviceRGB", "dpn": 3, "inverted": False}
    assert jpeg_info(b"not a jpeg") is None
    monkeypatch.setattr(fpdf.image_parsing, "Image", None)  # no Pillow from here on
    doc = Doc("t", NOW)
    doc.picture(jpeg, w=40)
    doc.picture(jpeg, w=20)  # the same picture twice: embedded once
    reader = PdfReader(io.BytesIO(doc.finish()))
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 1 and images[0].data == jpeg  # both drawings use one object
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(png, "PNG")
    with pytest.raises(EnvironmentError):  # other formats need converting first
        Doc("t", NOW).picture(png.getvalue(), w=10)


# ---- the report's own line wrapping -------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.one_of(
            st.text(alphabet=string.ascii_letters + "éüßЖж", min_size=1, max_size=12),
            st.text(alphabet=string.hexdigits + "/:.?=&", min_size=40, max_size=300),
        ),
        min_size=0,
        max_size=40,
    ),
    size=st.sampled_from([8.5, 9, 9.5, 12]),
)
def test_report_rows_fit_the_page_and_lose_nothing(words, size):
    from pwa_app.documents.pdf import Doc

    doc = Doc("t", NOW, shaping=False)
    doc.set_font("DejaVu", size=size)
    text = " ".join(words)
    rows = doc.wrap(text)
    room = doc.w - doc.l_margin - doc.r_margin - 2 * doc.c_margin
    for row in rows:
        assert doc.get_string_width(row) <= room + 1e-6 or len(row) == 1
    # Rows break at a space (dropped) or inside a long word: joined back, nothing is lost.
    assert "".join(rows).replace(" ", "") == text.replace(" ", "")
    assert len(" ".join(rows)) <= len(text) + len(rows)


def test_report_rows_break_at_spaces_when_they_can():
    from pwa_app.documents.pdf import Doc

    doc = Doc("t", NOW, shaping=False)
    doc.set_font("DejaVu", size=9)
    rows = doc.wrap("word " * 60 + "\nnext paragraph")
    assert all(r == "" or (not r.startswith(" ") and r.split(" ")[-1] == "word") for r in rows[:-2])
    assert rows[-1] == "next paragraph"


def test_a_plain_row_is_written_byte_for_byte_as_fpdf2s_cell_writes_it():
    """Doc.row is the fast way to write a row of plain text: what it writes, page breaks and
    fonts included, is what fpdf2's cell() writes (this fails if a new fpdf2 writes otherwise)."""
    from fpdf.enums import XPos, YPos

    from pwa_app.documents.pdf import Doc

    rows = ["Found on a forum", "", "Ärger über «Fotos» — 写真 (2026-11-24 10:15)", "x" * 90] * 60

    def made(fast: bool) -> bytes:
        doc = Doc("t", NOW, shaping=False)
        for i, row in enumerate(rows):
            doc._font(9.5 if i % 7 else 12)  # (the font said again on the page, as in a report)
            if fast:
                doc.row(row, 4.75)
            else:
                doc.cell(0, 4.75, row, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return doc.finish()

    fast = made(True)
    assert fast == made(False)
    assert len(PdfReader(io.BytesIO(fast)).pages) > 3


def test_a_note_that_reads_like_fpdf2s_page_count_placeholder_stays_as_written():
    from pwa_app.documents.pdf import PAGES, Doc

    doc = Doc("t", NOW)
    doc.para("My note: {nb} is what the post said")
    doc.para("نص {nb} عربي")  # (a line shaped by HarfBuzz, through fpdf2's own cell)
    doc.para(f"not a placeholder: {PAGES}")
    doc.add_page()
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(doc.finish())).pages]
    assert "My note: {nb} is what the post said" in pages[0]
    assert "nb" in pages[0].split("said", 1)[1].split("not a")[0]  # (read right to left)
    assert PAGES not in pages[0] and "not a placeholder: {" in pages[0]
    assert pages[0].endswith("Page 1/2") and pages[1].endswith("Page 2/2")


# ---- protecting the person who sends (issue 15) -------------------------------------------------
@pytest.mark.parametrize(
    "kind,words",
    [
        ("host", ("pass a complaint", "operator", "separate e-mail address", "do not forward")),
        ("dsa16", ("Article 17(3)(b)", "your identity", "separate e-mail address")),
        ("gdpr17", ("your name and e-mail address", "site that posted", "separate e-mail address")),
        ("dmca", ("forwarded to the person who uploaded", "Lumen")),
    ],
)
def test_a_request_that_can_reach_the_uploader_says_so_before_it_is_sent(kind, words):
    t = C.notice(kind)
    for w in words:
        assert w in t.warning, (kind, w)
    assert "helpline" in t.warning or kind == "dmca"


@pytest.mark.parametrize("agent", ["", "Jo Rivera"])
def test_dmca_says_intimate_only_when_chosen_and_swears_to_the_right_ownership(agent):
    t = C.notice("dmca")
    base = {**VALUES, "acting_for": agent}
    plain = render_notice(t, C.fields, base, NOW).text
    assert "intimate" not in plain and "without" not in plain.split("expeditiously")[1]
    said = render_notice(t, C.fields, {**base, "dmca_mention": "say"}, NOW).text
    assert "intimate imagery" in said
    took = render_notice(t, C.fields, base, NOW).text
    assigned = render_notice(t, C.fields, {**base, "dmca_author": "assigned"}, NOW).text
    assert "were made by" in took and "assigned" not in took
    assert "assigned" in assigned and "in writing" in assigned and "were made by" not in assigned
    if agent:
        assert "assigned in writing to Jo Rivera" in assigned and "to me" not in assigned
    else:
        assert "assigned to me in writing, and I own it" in assigned
    assert "registered first (17 U.S.C. § 411(a))" in t.warning
    assert "United States" in t.warning.split("411(a)")[0].split(";")[-1]


def test_dsa_asks_for_what_article_16_gives_the_notifier_and_says_where_to_turn_next():
    t = C.notice("dsa16")
    text = render_notice(t, C.fields, VALUES, NOW).text
    assert "possibilities for redress" in text and "Article 16(5)" in text
    assert "timely, diligent, non-arbitrary and objective" in text and "Article 16(6)" in text
    assert "Articles 16(5) and 17" not in text
    assert t.escalate is not None
    for words in ("Article 20", "Article 21", "Article 53", "Digital Services Coordinator"):
        assert words in t.escalate.text
    assert "own form" in t.summary


def test_take_it_down_for_someone_else_says_whose_good_faith_belief_it_is():
    t = C.notice("take_it_down")
    agent = render_notice(t, C.fields, {**VALUES, "acting_for": "Jo Rivera"}, NOW).text
    assert "Jo Rivera has a good faith belief that the intimate visual depiction" in agent
    assert "I have a good faith belief" not in agent
    own = render_notice(t, C.fields, VALUES, NOW).text
    assert "I have a good faith belief that the intimate visual depiction" in own


def test_gdpr_is_sent_to_the_controller_not_by_one():
    text = render_notice(C.notice("gdpr17"), C.fields, VALUES, NOW).text
    assert "I am writing to you, as the controller," in text
    assert "as the data controller" not in text


def test_a_platform_report_speaks_of_the_images_in_the_plural():
    text = render_notice(C.notice("platform"), C.fields, VALUES, NOW).text
    assert "The images appear at:" in text and "It appears at" not in text


def _choice_cases():
    for t in C.notices:
        for fid in t.fields:
            fld = C.fields[fid]
            for choice in fld.choices:
                for agent in ("", "Jo Rivera"):
                    name = f"{t.id}-{fid}-{choice.id}-{'agent' if agent else 'own'}"
                    yield pytest.param(t.id, fid, choice.id, agent, id=name)


@pytest.mark.parametrize("kind,fid,choice_id,agent", list(_choice_cases()))
def test_every_choice_reads_right_both_ways_with_every_element(kind, fid, choice_id, agent):
    t = C.notice(kind)
    values = {k: v for k, v in VALUES.items() if k in t.fields or k == "urls"}
    values.update({"description": "two photos, taken in 2024", fid: choice_id, "acting_for": agent})
    assert validate_notice(t, C.fields, values, NOW) == {}
    text = render_notice(t, C.fields, values, NOW).text
    choice = C.fields[fid].choice(choice_id)
    said = choice.agent if agent and choice.agent else choice.text
    for part in said.replace("${acting_for}", agent).split("${"):
        head = part.split("}", 1)[-1] if "}" in part else part
        assert norm(head) in norm(text), (kind, fid, choice_id, head)
    for phrases in required_phrases(t, C.fields, values, NOW).values():
        for phrase in phrases:
            assert norm(phrase) in norm(text), (kind, phrase)
    if agent:
        for claim in FIRST_PERSON_CLAIMS:
            assert claim not in text, f"{kind}/{choice_id}: {claim!r} when writing for someone else"
        assert "Jo Rivera" in text
    else:
        assert "Jo Rivera" not in text and "${" not in text


def test_the_app_starts_without_importing_fpdf2():
    """fpdf2 is the slowest import of the app (in WebKit's Python it held the lock screen back
    by about 4 s): it is imported only when a PDF is made."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "import sys, pwa_app.ui.app; print('fpdf' in sys.modules)"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
    )
    assert out.stdout.strip() == "False"
