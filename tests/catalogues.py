"""Languages made for the tests as a translator would add one: a .po file, no Python."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pwa_app import i18n

ROOT = Path(__file__).resolve().parent.parent


def pseudo_language(directory: Path, code: str, transform: Callable[[str], str], rtl: bool) -> Path:
    """A whole language made from the template (every phrase of the screens and of content/
    run through ``transform``), marked offered (and right to left), in ``directory``."""
    found = i18n.collected(ROOT)
    head = '"X-Recourse-Offered: yes\\n"\n' + ('"X-Direction: rtl\\n"\n' if rtl else "")
    text = i18n.template(found).replace('"Content-Type:', head + '"Content-Type:', 1)
    for msgid in found:
        forms = msgid.split(i18n.PLURAL)  # a phrase with plural forms: each form changed
        empty = "\n".join(i18n._entry(msgid, "", 2))
        made = "\n".join(i18n._entry(msgid, i18n.PLURAL.join(map(transform, forms)), 2))
        text = text.replace(empty, made)
    path = directory / f"{code}.po"
    path.write_text(text, encoding="utf-8")
    return path


def offered_copy(directory: Path, code: str) -> Path:
    """A shipped language's file, as a reviewer would mark it offered, in ``directory``."""
    text = (i18n.LOCALE_DIR / f"{code}.po").read_text(encoding="utf-8")
    assert "X-Recourse-Offered" not in text  # not offered yet in the app itself
    line = f'"Language: {code}\\n"\n'
    path = directory / f"{code}.po"
    path.write_text(text.replace(line, line + '"X-Recourse-Offered: yes\\n"\n', 1), "utf-8")
    return path
