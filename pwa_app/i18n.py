"""The words on screen in the person's language: gettext catalogues (``content/locale/*.po``),
read by this module (pure Python, so the same in the browser), English the source and the
fallback.

* In code, a phrase the person sees is written in English inside ``_()``; a phrase kept in a
  module-level constant is marked with ``N_()`` and translated where it is shown (``_(NAME)``),
  so that a change of language reaches it.
* Placeholders are named, ``_("Strength: {label}.").format(label=...)``, so that a translation
  can put them in its own order; every translation keeps the same names (tests/test_i18n.py).
* ``python -m pwa_app.i18n`` writes ``content/locale/recourse.pot``, the template a translator
  starts from, and brings each language's file up to date with it; a test fails when the code
  and the template disagree.

A catalogue is offered to the person only when it is complete (``missing`` finds nothing): a
screen half in one language and half in another is worse than English throughout.
"""

from __future__ import annotations

import ast
import functools
import gettext
import re
import string
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

SOURCE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "content" / "locale"
TEMPLATE = LOCALE_DIR / "recourse.pot"
# {name}, {name!r}, {name:,} or {when:%d %B %Y}: what str.format fills in
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:![rsa])?(?::[^{}]*)?\}")
_TAG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$")


class CatalogueError(ValueError):
    """A catalogue file that cannot be read as it stands: the file and line are in the text."""


# A phrase with plural forms is kept as gettext's compiled files keep it: its English singular
# and plural joined by NUL make its key, and its translated forms joined by NUL its translation.
PLURAL = "\x00"


@dataclass(frozen=True)
class Catalogue:
    language: str
    messages: Mapping[str, str] = field(default_factory=dict)
    plural_forms: str = ""  # the header's Plural-Forms ("nplurals=2; plural=(n != 1);")
    separators: tuple[str, str] = (",", ".")  # a number's thousands and decimal point

    def missing(self, msgids: Iterable[str]) -> list[str]:
        """The phrases of ``msgids`` this catalogue does not translate yet, in order."""
        return [m for m in msgids if not self.messages.get(m)]

    @functools.cached_property
    def plural(self) -> Callable[[int], int]:
        """Which of a phrase's translated forms a number takes (English's rule when the file
        names none, or one this reader cannot read)."""
        rule = re.search(r"plural\s*=\s*([^;]+)", self.plural_forms)
        try:
            return gettext.c2py(rule[1]) if rule else _english_plural
        except (ValueError, SyntaxError):
            return _english_plural


def _english_plural(n: int) -> int:
    return 0 if n == 1 else 1


# ---- reading a .po file -------------------------------------------------------------------------
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(s: str, where: str) -> str:
    if len(s) < 2 or not (s.startswith('"') and s.endswith('"')):
        raise CatalogueError(f"{where}: expected a quoted string, found {s!r}.")
    body, out, i = s[1:-1], [], 0
    if "\\" not in body and '"' not in body:
        return body  # most lines: nothing to undo (and the start reads every line)
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if i + 1 >= len(body) or body[i + 1] not in _ESCAPES:
                raise CatalogueError(f"{where}: an escape this reader does not know: {s!r}.")
            out.append(_ESCAPES[body[i + 1]])
            i += 2
            continue
        if ch == '"':
            raise CatalogueError(f'{where}: a quote inside a string must be written \\".')
        out.append(ch)
        i += 1
    return "".join(out)


def po_entries(text: str, name: str = "catalogue") -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each entry of a gettext .po file, the header (empty msgid)
    included. A phrase with plural forms comes as ``singular NUL plural`` and its forms joined
    by NUL (``PLURAL``). Contexts are refused: the app does not use them, and a file that has
    them was made for something else."""
    entries: list[tuple[str, str, bool]] = []
    seen: set[str] = set()
    entry: dict[str, str] = {}
    fuzzy = False
    key: str | None = None

    def finish() -> None:
        nonlocal entry, fuzzy, key
        if entry:
            if "msgid_plural" in entry:
                forms = sorted(k for k in entry if k.startswith("msgstr["))
                if "msgstr" in entry or not forms:
                    raise CatalogueError(f"{name}: a plural entry needs msgstr[0], msgstr[1] ...")
                entry["msgid"] += PLURAL + entry.pop("msgid_plural")
                entry["msgstr"] = PLURAL.join(entry.pop(k) for k in forms)
            if "msgid" not in entry or "msgstr" not in entry:
                raise CatalogueError(f"{name}: an entry without both msgid and msgstr.")
            msgid = entry["msgid"]
            if msgid in seen:
                raise CatalogueError(f"{name}: {msgid!r} is translated twice.")
            seen.add(msgid)
            entries.append((msgid, entry["msgstr"], fuzzy))
        entry, fuzzy, key = {}, False, None

    for n, raw in enumerate(text.splitlines(), 1):
        where = f"{name}, line {n}"
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#"):
            if entry:
                finish()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
        elif line.startswith('"'):
            if key is None:
                raise CatalogueError(f"{where}: a string that continues nothing.")
            entry[key] += _unquote(line, where)
        else:
            word, _sep, rest = line.partition(" ")
            if word not in ("msgid", "msgstr", "msgid_plural") and not re.fullmatch(
                r"msgstr\[[0-9]\]", word
            ):
                raise CatalogueError(f"{where}: {word!r} is not something this app reads.")
            if word == "msgid" and entry:
                finish()
            if word in entry:
                raise CatalogueError(f"{where}: a second {word} in one entry.")
            key = word
            entry[key] = _unquote(rest.strip(), where)
    finish()
    return entries


def parse_po(text: str, name: str = "catalogue") -> dict[str, str]:
    """msgid -> msgstr of a gettext .po file. Entries marked ``fuzzy`` (not yet reviewed) and
    empty translations count as missing; the header (empty msgid) is skipped."""
    return {
        m: t for m, t, fuzzy in po_entries(text, name) if m and all(t.split(PLURAL)) and not fuzzy
    }


def load(language: str, directory: Path | None = None) -> Catalogue:
    path = (directory or LOCALE_DIR) / f"{language}.po"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path.name} could not be read: {exc}") from None
    fields = header(text, path.name)
    rule = fields.get("Plural-Forms", "")
    try:
        separators = (
            SEPARATORS[fields.get(THOUSANDS, "comma").lower()],
            SEPARATORS[fields.get(DECIMAL, "period").lower()],
        )
    except KeyError:
        raise CatalogueError(
            f"{path.name}: a number separator must be one of {', '.join(SEPARATORS)}."
        ) from None
    return Catalogue(language, parse_po(text, path.name), rule, separators)


OFFERED = "X-Recourse-Offered"  # "yes" in a .po file's header: reviewed, complete, offered
NAME = "X-Language-Name"  # the language's name in itself ("Español"), for the chooser
DIRECTION = "X-Direction"  # "rtl" for a language written right to left


def header(text: str, name: str = "catalogue") -> dict[str, str]:
    """The fields of a .po file's header (the empty msgid's translation)."""
    first = text.split("\n#: ", 1)[0]  # (the header comes first: read no further)
    body = next((t for m, t, _fuzzy in po_entries(first, name) if m == ""), "")
    fields = (line.partition(":") for line in body.splitlines() if ":" in line)
    return {k.strip(): v.strip() for k, _sep, v in fields}


@functools.lru_cache(maxsize=4)
def _headers(directory: Path) -> dict[str, dict[str, str]]:
    """Each language file's header fields, read once: the files do not change while the app
    runs, and the start and every Settings screen ask."""
    return {
        language: header((directory / f"{language}.po").read_text(encoding="utf-8"), language)
        for language in languages(directory)[1:]
    }


def offered(directory: Path | None = None) -> dict[str, str]:
    """The languages a person can choose, code -> name in itself: English, and each language
    whose file a reviewer marked ``X-Recourse-Offered: yes`` (docs/translating.md)."""
    out = {SOURCE: "English"}
    for language, fields in _headers(directory or LOCALE_DIR).items():
        if fields.get(OFFERED, "").lower() == "yes":
            out[language] = fields.get(NAME) or language
    return out


def right_to_left(language: str, directory: Path | None = None) -> bool:
    """Whether ``language`` is written right to left: ``X-Direction: rtl`` in its file's header
    (Arabic, Hebrew, Persian, Urdu ...); the screens then mirror."""
    fields = _headers(directory or LOCALE_DIR).get(language, {})
    return fields.get(DIRECTION, "").lower() == "rtl"


def choose(chosen: str, device: Iterable[str], directory: Path | None = None) -> str:
    """The language to speak: the one chosen in Settings when it is still offered, else the
    device's (``negotiate``)."""
    have = offered(directory)
    return chosen if chosen in have else negotiate(device, have)


@functools.lru_cache(maxsize=8)
def translator_for(language: str, directory: Path | None = None) -> Translator:
    """``language``'s translator, its file read and parsed once (as ``_headers``: the files do
    not change while the app runs; a notice's or a report's PDF asks again each time)."""
    return Translator() if language == SOURCE else Translator(load(language, directory))


def languages(directory: Path | None = None) -> list[str]:
    """The languages with a catalogue file, English (the source, no file) first."""
    return [SOURCE, *sorted(p.stem for p in (directory or LOCALE_DIR).glob("*.po"))]


def problems(catalogue: Catalogue, msgids: Iterable[str]) -> list[str]:
    """What keeps ``catalogue`` from being offered: phrases not translated, translations whose
    placeholders differ from the English (``{name}`` renamed, lost or added), and phrases the
    app no longer has (left over from an older template)."""
    wanted = list(msgids)
    out = [f"{m!r} is not translated" for m in catalogue.missing(wanted)]
    for msgid, text in catalogue.messages.items():
        if msgid not in wanted:
            out.append(f"{msgid!r} is no longer in the app")
            continue
        theirs, ours = set(placeholders(text)), set(placeholders(msgid))
        if PLURAL in msgid:  # a form may leave out the number ("one address"): the forms together
            theirs = {n for form in text.split(PLURAL) for n in placeholders(form)}
        if theirs == ours and _specs(text) != _specs(msgid):
            out.append(
                f"{msgid!r}: a placeholder's format differs ({{size:,}} must stay {{size:,}}; "
                "only a date's %-format may change)"
            )
        if theirs != ours:
            out.append(
                f"{msgid!r}: the translation's placeholders are "
                f"{', '.join('{' + n + '}' for n in sorted(theirs)) or 'none'}, not "
                f"{', '.join('{' + n + '}' for n in sorted(ours)) or 'none'}"
            )
    return out


# ---- which language -----------------------------------------------------------------------------
def normalise(tag: str) -> str | None:
    """A language tag as BCP 47 writes it, lower case, or None for what is not one ("C",
    "POSIX", "", "*"): ``en_US.UTF-8`` -> ``en-us``."""
    t = tag.strip().split(".", 1)[0].split("@", 1)[0].replace("_", "-").lower()
    if t in ("c", "posix") or not _TAG.match(t):
        return None
    return t


def negotiate(preferred: Iterable[str], available: Iterable[str]) -> str:
    """The first of the person's languages (most preferred first) that the app has, matching
    ``es-MX`` to ``es`` when there is no ``es-mx``; English when none matches. A tag the
    device reports badly is passed over, never an error."""
    have = {t for t in (normalise(a) for a in available) if t}
    for tag in preferred:
        t = normalise(tag) if isinstance(tag, str) else None
        if not t:
            continue
        if t in have:
            return t
        if t.split("-")[0] in have:
            return t.split("-")[0]
    return SOURCE


# ---- numbers -----------------------------------------------------------------------------------
# A language's file says how it writes a number's thousands and its decimal point (headers
# X-Thousands-Separator and X-Decimal-Separator, by name, so that no space is lost in a header).
SEPARATORS = {"comma": ",", "period": ".", "space": "\u202f", "apostrophe": "\u2019", "none": ""}
THOUSANDS, DECIMAL = "X-Thousands-Separator", "X-Decimal-Separator"


class Phrase(str):
    """A translated phrase whose ``format()`` writes a number given the ``,`` format
    (``{size:,}``) the language's way: 20,000 in English, 20 000 in Spanish."""

    separators = (",", ".")

    def format(self, *args: object, **kwargs: object) -> str:
        return _Numbers(self.separators).vformat(self, args, kwargs)


class _Numbers(string.Formatter):
    def __init__(self, separators: tuple[str, str]) -> None:
        self.thousands, self.decimal = separators

    def format_field(self, value: object, spec: str) -> str:
        text = super().format_field(value, spec)
        if "," not in spec or not isinstance(value, (int, float)):
            return text
        swap = {",": self.thousands, ".": self.decimal}
        return "".join(swap.get(ch, ch) for ch in text)


_GROUPED = re.compile(r"\{\w+(?:![rsa])?:[^{}]*,")  # a placeholder given the "," format


def _phrase(text: str, separators: tuple[str, str] | None) -> str:
    """``text``, as a ``Phrase`` when it has a number to write the language's way (only then:
    every other phrase stays a plain ``str``)."""
    if separators is None or separators == Phrase.separators or not _GROUPED.search(text):
        return text
    made = Phrase(text)
    made.separators = separators
    return made


# ---- translating --------------------------------------------------------------------------------
class Translator:
    """``translator(msgid)``: the phrase in the catalogue's language, English where it has none.
    ``transform`` rewrites every phrase instead (the tests' pseudo-locales)."""

    def __init__(
        self, catalogue: Catalogue | None = None, transform: Callable[[str], str] | None = None
    ) -> None:
        self.language = catalogue.language if catalogue else SOURCE
        self._messages = catalogue.messages if catalogue else {}
        self._plural = catalogue.plural if catalogue else _english_plural
        self._separators = catalogue.separators if catalogue else None
        self._transform = transform

    @property
    def english(self) -> bool:
        """Does this translator leave every phrase as written?"""
        return not self._messages and self._transform is None

    def __call__(self, msgid: str) -> str:
        if self._transform is not None:
            return self._transform(msgid)
        return _phrase(self._messages.get(msgid) or msgid, self._separators)

    def n(self, singular: str, plural: str, count: int) -> str:
        """The phrase for ``count`` things, in the form the language uses for that number."""
        english = singular if count == 1 else plural
        if self._transform is not None:
            return self._transform(english)
        forms = (self._messages.get(singular + PLURAL + plural) or "").split(PLURAL)
        at = self._plural(count) if forms[0] else -1
        return _phrase(forms[at] if 0 <= at < len(forms) else english, self._separators)


_current = Translator()


def use(translator: Translator) -> None:
    """Speak ``translator``'s language from now on (what is on screen follows at its next
    render)."""
    global _current
    _current = translator


def current() -> Translator:
    return _current


def _(msgid: str) -> str:
    """``msgid`` (English) in the current language."""
    return _current(msgid)


def _n(singular: str, plural: str, count: int) -> str:
    """The phrase for ``count`` things (English: ``singular`` for 1, else ``plural``), in the
    current language, in the plural form it uses for that number."""
    return _current.n(singular, plural, count)


def marked(text: str) -> str:
    """A phrase the template has already, in the current language: one content/ gave (a
    deadline's label kept in a record ...), or one marked ``N_()`` where it was written (a
    library's own words listed for the catalogue)."""
    return _current(text)


def N_(msgid: str) -> str:
    """Marks a phrase for the template without translating it yet (a module-level constant)."""
    return msgid


# ---- dates in words -------------------------------------------------------------------------
MONTHS = (
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
)  # fmt: skip
WEEKDAYS = (
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
    N_("Saturday"), N_("Sunday"),
)  # fmt: skip


def day_in_words(
    day: date, weekday: bool = False, year: bool = True, say: Translator | None = None
) -> str:
    """A date as the language writes it in words ("Monday 30 November 2026"; in Spanish
    "lunes, 30 de noviembre de 2026"): the names and the order come from the catalogue, not
    from the system's locale (which Pyodide does not have). ``say``: in its language (a
    document's), else the screen's."""
    _ = say or current()
    month = _(MONTHS[day.month - 1])
    if weekday:
        return _("{weekday} {day} {month}").format(
            weekday=_(WEEKDAYS[day.weekday()]), day=day.day, month=month
        )
    if year:
        return _("{day} {month} {year}").format(day=day.day, month=month, year=day.year)
    return _("{day} {month}").format(day=day.day, month=month)


# ---- the tests' pseudo-locales ------------------------------------------------------------------
_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)


def _specs(text: str) -> set[str]:
    """Each placeholder as written, a date's %-format left out (a language writes its dates
    its own way: ``{day:%d %B %Y}`` may become ``{day:%d/%m/%Y}``)."""
    return {m.group(0) if "%" not in m.group(0) else m.group(1) for m in PLACEHOLDER.finditer(text)}


def placeholders(text: str) -> list[str]:
    """The names ``text`` fills in, in order."""
    return PLACEHOLDER.findall(text)


def _outside_placeholders(text: str, change: Callable[[str], str]) -> str:
    out, at = [], 0
    for m in PLACEHOLDER.finditer(text):
        out += [change(text[at : m.start()]), m.group(0)]
        at = m.end()
    return "".join([*out, change(text[at:])])


def pseudo(text: str) -> str:
    """Accented and 40 % longer, between brackets, placeholders untouched: a string left in
    English shows at once, and so does a layout that cannot grow."""
    body = _outside_placeholders(text, lambda s: s.translate(_ACCENTED))
    return "[" + body + "~" * max(1, (len(text) * 2 + 4) // 5) + "]"


def pseudo_rtl(text: str) -> str:
    """The same, written right to left (U+202E ... U+202C around it): with the page set to
    right to left, a layout that does not mirror shows at once."""
    return "\u202e" + pseudo(text) + "\u202c"


# ---- the template -------------------------------------------------------------------------------
def extract(paths: Iterable[Path], root: Path) -> dict[str, list[str]]:
    """Every phrase in ``_()`` or ``N_()`` in the given Python files, with where it is
    (``path:line``), in the order found. A call with anything but one string literal is an
    error: a template cannot know what a computed string will say."""
    trees = [(path, ast.parse(path.read_text(encoding="utf-8"), str(path))) for path in paths]
    # NAME = N_("...") or a container of N_() phrases, at a module's top level: ``_(NAME)`` and
    # ``_(NAME[key])`` translate what was marked there
    tops = [  # a module's statements, and its classes' (``_(self.user_message)``)
        node
        for _path, tree in trees
        for top in tree.body
        for node in [top, *(top.body if isinstance(top, ast.ClassDef) else [])]
    ]
    marked = {
        t.id
        for node in tops
        if isinstance(node, ast.Assign) and any(_marks(x, "N_") for x in ast.walk(node.value))
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    found: dict[str, list[str]] = {}
    for path, tree in trees:
        for node in ast.walk(tree):
            if _marks(node, "_n") or _marks(node, "N_n"):  # _n("one", "{count} more", count)
                where = f"{path.relative_to(root).as_posix()}:{node.lineno}"
                a = node.args
                if len(a) != (3 if node.func.id == "_n" else 2) or not all(
                    isinstance(x, ast.Constant) and isinstance(x.value, str) for x in a[:2]
                ):
                    raise CatalogueError(f"{where}: _n() takes two string literals and a number.")
                found.setdefault(a[0].value + PLURAL + a[1].value, []).append(where)
                continue
            if not (_marks(node, "_") or _marks(node, "N_")):
                continue
            assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            where = f"{path.relative_to(root).as_posix()}:{node.lineno}"
            args = node.args
            kinds = ast.Name | ast.Subscript | ast.Attribute
            if node.func.id == "_" and len(args) == 1 and isinstance(args[0], kinds):
                base = args[0]
                while isinstance(base, ast.Subscript):
                    base = base.value
                name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", None)
                if name in marked:
                    continue  # its phrase is in the template where N_() marked it
                raise CatalogueError(
                    f"{where}: {ast.unparse(args[0])} is not a phrase marked N_()."
                )
            if len(args) != 1 or not (
                isinstance(args[0], ast.Constant) and isinstance(args[0].value, str)
            ):
                raise CatalogueError(f"{where}: {node.func.id}() takes one string literal.")
            found.setdefault(args[0].value, []).append(where)

    def first(where: list[str]) -> tuple[str, int]:
        path, line = where[0].rsplit(":", 1)
        return path, int(line)

    return dict(sorted(found.items(), key=lambda kv: first(kv[1])))


def _marks(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def template(found: Mapping[str, list[str]]) -> str:
    out = [
        "# The phrases of Recourse's screens, and the words of content/ they show, in English.",
        "# To add a language, copy this file to",
        "# <language>.po (es.po, pt-br.po ...) in this folder and translate each msgstr; see",
        "# docs/translating.md.",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        "",
    ]
    for msgid, where in found.items():
        # files without line numbers: the template changes when a phrase does, not a line
        files = dict.fromkeys(w.rsplit(":", 1)[0] for w in where)
        out += [f"#: {' '.join(files)}", *_entry(msgid, "", 2), ""]
    return "\n".join(out)


def _entry(msgid: str, translation: str, forms: int) -> list[str]:
    """The lines of one entry: msgid and msgstr, or for a phrase with plural forms msgid,
    msgid_plural and a msgstr[i] for each of the language's ``forms``."""
    if PLURAL not in msgid:
        return [f"msgid {_quote(msgid)}", f"msgstr {_quote(translation)}"]
    singular, plural = msgid.split(PLURAL, 1)
    have = translation.split(PLURAL) if translation else []
    have += [""] * (forms - len(have))
    return [f"msgid {_quote(singular)}", f"msgid_plural {_quote(plural)}"] + [
        f"msgstr[{i}] {_quote(t)}" for i, t in enumerate(have)
    ]


def merged(text: str, found: Mapping[str, list[str]], name: str = "catalogue") -> str:
    """A language's .po file brought up to date with the code (what gettext's msgmerge does):
    its header and every translation kept (a fuzzy one stays marked fuzzy), a new phrase added
    untranslated, a phrase the app no longer has dropped, in the template's order."""
    entries = {m: (t, fuzzy) for m, t, fuzzy in po_entries(text, name)}
    lines = text.splitlines()
    at = next((i for i, line in enumerate(lines) if line.startswith("#: ")), len(lines))
    out = [line for line in lines[:at]]
    while out and not out[-1].strip():
        out.pop()
    out.append("")
    rule = header(text, name).get("Plural-Forms", "")
    forms = int(m[1]) if (m := re.search(r"nplurals\s*=\s*([0-9])", rule)) else 2
    for msgid, where in found.items():
        translation, fuzzy = entries.get(msgid, ("", False))
        files = dict.fromkeys(w.rsplit(":", 1)[0] for w in where)
        out += [f"#: {' '.join(files)}", *(["#, fuzzy"] if fuzzy else [])]
        out += [*_entry(msgid, translation, forms), ""]
    return "\n".join(out)


def sources(root: Path = LOCALE_DIR.parent.parent) -> list[Path]:
    return sorted((root / "pwa_app").rglob("*.py"))


def collected(root: Path = LOCALE_DIR.parent.parent) -> dict[str, list[str]]:
    """What a language translates: the screens' own phrases (``extract``), then the words of
    content/ they show (the guide, the FAQ, the checklist, the directory's notes ...)."""
    from .content import content_phrases  # the tool's only use of content/

    found = extract(sources(root), root)
    for text, where in content_phrases().items():
        found.setdefault(text, []).extend(where)
    return found


def main() -> int:
    root = LOCALE_DIR.parent.parent
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    found = collected(root)
    TEMPLATE.write_text(template(found), encoding="utf-8")
    print(f"wrote {TEMPLATE.relative_to(root)}")
    for language in languages()[1:]:  # each language's file, brought up to date
        path = LOCALE_DIR / f"{language}.po"
        text = merged(path.read_text(encoding="utf-8"), found, path.name)
        path.write_text(text, encoding="utf-8")
        left = problems(Catalogue(language, parse_po(text, path.name)), found)
        print(f"updated {path.relative_to(root)}: {len(left)} to do")
    return 0


if __name__ == "__main__":
    sys.exit(main())
