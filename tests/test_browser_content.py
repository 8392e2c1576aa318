"""Protect the person who sends (issue 15), in Chromium on the built site served by a plain static
file server: a host letter, a DSA notice and a GDPR request can put the person's name in front of
the site that posted the images. Each says so as the form opens, before anything can be sent, and
again beside the buttons that send."""

from __future__ import annotations

import pytest
from browser_harness import press_until, reveal, reveal_text, semantics_text, type_into
from pypdf import PdfReader
from test_browser import create_vault, open_app
from test_browser_record import open_request, preview

pytestmark = pytest.mark.browser

COMMON = {
    "Your full name *": "Ana Núñez",
    "Your email address *": "ana@example.org",
    "Web addresses (one per line) *": "https://example.com/leak/1",
    "Describe the images (briefly) *": "one photo of me",
}

FLOWS = {
    "host": (
        "Letter to a website's host or registrar",
        "often pass a complaint, with the sender's name and e-mail address, on to the site's",
        {
            "Send to (site or company) *": "Example Hosting",
            "The website's address *": "https://example.com",
            "Date you asked the site *": "2026-11-01",
        },
        None,
    ),
    "dsa16": (
        "EU Digital Services Act notice (Article 16)",
        "may include your identity where it is strictly necessary (Article 17(3)(b))",
        {"Send to (site or company) *": "Example Platform"},
        "It breaks my rights to privacy and data protection",
    ),
    "gdpr17": (
        "GDPR erasure request (Article 17)",
        "If it is the site that posted the images, that is the site itself",
        {"Send to (site or company) *": "Example Site"},
        None,
    ),
}


@pytest.mark.parametrize("kind", list(FLOWS))
def test_the_exposure_warning_is_shown_before_the_person_can_send(server, browser, kind):
    title, words, extra, radio = FLOWS[kind]
    page = open_app(browser, server.url)
    create_vault(page)
    open_request(page, title)
    # As the form opens: the warning, and no way to send yet.
    reveal_text(page, words)
    assert "separate e-mail address" in semantics_text(page)
    for button in ("Copy text", "Open in email app", "Save PDF", "I sent it"):
        assert page.get_by_role("button", name=button).count() == 0, button
    for label, value in {**COMMON, **extra}.items():
        reveal(page, page.get_by_label(label, exact=True))
        type_into(page, label, value)
    if radio:
        reveal(page, page.get_by_role("radio", name=radio, exact=False)).click()
    preview(page)
    # Beside the buttons that send, it is said again.
    reveal(page, page.get_by_role("button", name="Open in email app"))
    near = semantics_text(page)
    assert words in near
    assert "ask a helpline" in near


def test_a_spanish_recipient_gets_the_request_in_spanish_with_its_original(
    server, browser, tmp_path
):
    """Issue 21, item 4, in Chromium: the recipient's address ending in .es makes the GDPR
    request Spanish (said why, and that the English original goes with it); the PDF saved is
    read back; choosing English takes the Spanish away."""
    import subprocess

    page = open_app(browser, server.url)
    create_vault(page)
    open_request(page, "GDPR erasure request (Article 17)")
    values = {
        **COMMON,
        "Send to (site or company) *": "Ejemplo Medios SL",
        "Their email address (optional)": "privacidad@ejemplo.es",
    }
    for label, value in values.items():
        reveal(page, page.get_by_label(label, exact=True))
        type_into(page, label, value)
    reveal_text(page, "Chosen from their address, which ends in .es.")
    assert page.get_by_role("radio", name="Español").is_checked()
    assert "English original is sent with it" in semantics_text(page)
    press_until(page, "button", "Preview", "Asunto:")
    reveal_text(page, "Me llamo Ana Núñez")
    with page.expect_download(timeout=60_000) as dl:
        reveal(page, page.get_by_role("button", name="Save PDF")).click()
    pdf = tmp_path / "solicitud.pdf"
    dl.value.save_as(pdf)
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "Para: Ejemplo Medios SL <privacidad@ejemplo.es>" in text
    assert "supriman estos datos personales sin dilación indebida" in text
    assert "es una traducción al español del original en inglés" in text
    assert "erase this personal data without undue delay" in text  # the original, after it
    assert "Página 1/" in text and "Page 1/" not in text  # its own words in its language too
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "es"
    reveal(page, page.get_by_role("radio", name="English")).click()
    reveal_text(page, "You chose it.")
    assert page.get_by_role("button", name="Save PDF").count() == 0  # preview again first
    preview(page)
    reveal_text(page, "My name is Ana Núñez")
    assert "Me llamo" not in semantics_text(page)
