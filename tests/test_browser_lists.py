"""List identity in the built site, in Chromium: when a list changes under an open question or
a shown picture, the question and the picture stay with their own item (issue 19).

Each test writes out the sequence that went wrong. The page is made tall enough to hold every
item at once, so that where each item, question and picture is drawn can be compared."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_harness import press_until, reveal_text, semantics_text, tap, type_into
from PIL import Image
from test_browser import attach, create_vault, log_url, open_app, shot

pytestmark = pytest.mark.browser
TALL = {"width": 390, "height": 2400}

# Flutter's accessibility tree gives each evidence card one node whose label holds the card's
# text (address, dates, file names and fingerprints, an open question), with its buttons as
# child nodes: where each is drawn says which card it belongs to. (A card that draws a picture
# carries its label on an inner image node instead; its box is its parent's.)
CARDS = """() => Array.from(document.querySelectorAll(
    'flt-semantics[role=group][aria-label], flt-semantics-img[role=img][aria-label]'))
  .map(e => { const r = (e.tagName === 'FLT-SEMANTICS-IMG' ? e.parentElement : e)
                .getBoundingClientRect();
              return [e.getAttribute('aria-label'), r.top, r.bottom]; })"""


def card(page, text: str) -> tuple[float, float, str]:
    """(top, bottom, label) of the one card whose text says ``text``."""
    found = [(t, b, label) for label, t, b in page.evaluate(CARDS) if text in label]
    assert len(found) == 1, f"{len(found)} cards say {text!r}"
    return found[0]


def button_tops(page, name: str) -> list[float]:
    """Where each button called ``name`` is drawn, top to bottom."""
    found = page.get_by_role("button", name=name, exact=True)
    return sorted(found.nth(i).bounding_box()["y"] for i in range(found.count()))


def within(y: float, box: tuple[float, float, str]) -> bool:
    return box[0] <= y <= box[1]


def log_another(page, url: str) -> None:
    type_into(page, "Web address (URL)", url)
    press_until(page, "button", "Save to evidence log", "Saved to your evidence log")
    reveal_text(page, url)


def wait_gone(page, text: str, tries: int = 50) -> None:
    for _ in range(tries):
        if text not in semantics_text(page):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{text!r} is still on the page")


def red_pixels(page, top: float, bottom: float, artifacts_dir: Path, name: str) -> int:
    """How many strongly red pixels are drawn between ``top`` and ``bottom``."""
    path = artifacts_dir / f"{name}.png"
    page.wait_for_timeout(300)  # the picture is decoded and drawn a frame later
    page.screenshot(path=str(path), clip={"x": 0, "y": top, "width": 390, "height": bottom - top})
    with Image.open(path) as im:
        px = im.convert("RGB").tobytes()
    return sum(1 for i in range(0, len(px), 3) if px[i] > 170 and px[i + 1] < 90 and px[i + 2] < 90)


def picture(path: Path, colour: str) -> Path:
    Image.new("RGB", (220, 160), colour).save(path, "JPEG", quality=95)
    return path


def tap_at(page, name: str, pick) -> None:
    """Tap one of several buttons called ``name``: ``pick`` chooses from their tops."""
    found = page.get_by_role("button", name=name, exact=True)
    ys = [found.nth(i).bounding_box()["y"] for i in range(found.count())]
    found.nth(ys.index(pick(ys))).click()


def test_the_removal_question_stays_with_its_entry_and_removes_that_one(
    server, browser, artifacts_dir
):
    e1, e2, e3 = (f"https://example.com/e{i}" for i in (1, 2, 3))
    question = "Remove this entry and its files from this device?"
    page = open_app(browser, server.url)
    create_vault(page)
    page.set_viewport_size(TALL)
    log_url(page, e1)
    log_another(page, e2)
    # The list shows e2, then e1: ask about e1 (the lower of the two).
    tap_at(page, "Remove this entry", max)
    reveal_text(page, question)
    assert question in card(page, e1)[2]
    # Without answering, log a third entry: the list becomes e3, e2, e1.
    log_another(page, e3)
    assert card(page, e3)[0] < card(page, e2)[0] < card(page, e1)[0]
    assert question in card(page, e1)[2], "the open question left e1"
    assert question not in card(page, e2)[2], "the open question moved to e2"
    assert within(button_tops(page, "Yes, remove it")[0], card(page, e1))
    shot(page, artifacts_dir, "lists-question-stays")
    press_until(page, "button", "Yes, remove it", "Removed from the evidence log")
    wait_gone(page, e1)
    text = semantics_text(page)
    assert e2 in text and e3 in text, "another entry than the one asked about was removed"


def test_a_shown_picture_stays_with_its_file_when_another_entry_is_logged(
    server, browser, tmp_path, artifacts_dir
):
    e4, e5, e6 = (f"https://example.com/e{i}" for i in (4, 5, 6))
    page = open_app(browser, server.url)
    create_vault(page)
    page.set_viewport_size(TALL)
    log_url(page, e4)
    attach(page, picture(tmp_path / "red.jpg", "#E01010"), "Remove red.jpg")
    log_another(page, e5)
    attach(page, picture(tmp_path / "blue.jpg", "#1010E0"), "Remove blue.jpg")  # e5's, on top
    assert "blue.jpg" in card(page, e5)[2] and "red.jpg" in card(page, e4)[2]
    # Load and show e4's red picture (the lower of the two previews).
    tap_at(page, "Load blurred preview", max)
    press_until(page, "button", "Tap to show", "Hide")
    log_another(page, e6)
    assert card(page, e6)[0] < card(page, e5)[0] < card(page, e4)[0]
    # The shown picture stays with e4's file; e5's file still offers only a blurred preview.
    (hide,) = button_tops(page, "Hide")
    assert within(hide, card(page, e4)), "the shown picture left e4's file"
    (load,) = button_tops(page, "Load blurred preview")
    assert within(load, card(page, e5))
    top5, bottom5, _ = card(page, e5)
    assert red_pixels(page, top5, bottom5, artifacts_dir, "lists-e5") == 0, "e5 shows red"
    top4, bottom4, _ = card(page, e4)
    assert red_pixels(page, top4, bottom4, artifacts_dir, "lists-e4") > 5_000, "e4 shows no red"


def test_a_shown_picture_and_a_question_stay_with_their_files_when_one_before_is_removed(
    server, browser, tmp_path, artifacts_dir
):
    url = "https://example.com/three-files"
    page = open_app(browser, server.url)
    create_vault(page)
    page.set_viewport_size(TALL)
    log_url(page, url)
    for name, colour in (("one", "#10A010"), ("two", "#E01010"), ("three", "#1010E0")):
        attach(page, picture(tmp_path / f"{name}.jpg", colour), f"Remove {name}.jpg")
    # Show the second file's (red) picture, and open the question on the third file.
    tap_at(page, "Load blurred preview", lambda ys: sorted(ys)[1])
    press_until(page, "button", "Tap to show", "Hide")
    tap(page, "button", "Remove three.jpg")
    reveal_text(page, "Remove three.jpg from this device?")
    # Now remove the first file.
    tap(page, "button", "Remove one.jpg")
    reveal_text(page, "Remove one.jpg from this device?")
    tap_at(page, "Yes, remove it", min)
    reveal_text(page, "one.jpg removed")
    wait_gone(page, "Remove one.jpg")
    # In drawing order: two's shown picture, then three's unopened preview and open question.
    hides = button_tops(page, "Hide")
    loads = button_tops(page, "Load blurred preview")
    yeses = button_tops(page, "Yes, remove it")
    assert len(yeses) == 1, "the open question on three.jpg was lost"
    assert len(hides) == len(loads) == 1
    hide, load, yes = hides[0], loads[0], yeses[0]
    assert hide < load < yes, "the picture or the question moved to another file"
    assert "Remove three.jpg from this device?" in card(page, url)[2]
    assert red_pixels(page, hide - 170, hide, artifacts_dir, "lists-two") > 5_000
    shot(page, artifacts_dir, "lists-file-removed")
