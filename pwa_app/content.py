"""Load and validate content/ into domain objects. A bad file fails loudly with its path.

Checks: known keys only (typos are errors), required keys and types, unique ids; every legal
claim, every legal notice, every platform route and every hotline cites an https source with a
review date; actions point at things that exist; notice placeholders (in every paragraph, its
"acting for someone" variant and every choice's text) are all known; and every required legal
element is tagged on a paragraph.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from .domain.content_types import (
    Card,
    Change,
    ChecklistGroup,
    ChecklistItem,
    Choice,
    Content,
    Country,
    Deadline,
    Element,
    Escalation,
    FaqItem,
    GuideMeta,
    Hotline,
    NoticeField,
    NoticeLanguage,
    NoticeTemplate,
    NoticeVersion,
    Paragraph,
    PassphraseWords,
    PhotoAdvice,
    Platform,
    QuickExitContent,
    ReportWords,
    Route,
    Source,
    Step,
    TrustedGuide,
    phrases,
)
from .paths import content_dir

TOOLS = {"evidence", "requests", "checklist", "case", "directory", "followups", "trusted"}
FIELD_KINDS = {"text", "multiline", "email", "phone", "url", "urls", "date", "choice"}
# Placeholders the document generator fills in besides the form fields themselves.
DERIVED_PLACEHOLDERS = {
    "url_list",
    "url_count",
    "date",
    "signature",
    "contact_block",
    "contact_lines",
    "phone_line",
    "contact_sentence",
}  # plus ${<choice field>_text} for every choice field
DEADLINE_RE = re.compile(r"(\d+) (hour|day|month)s?")
STATUSES = ("listed", "to-confirm")


class ContentError(Exception):
    def __init__(self, file: str, where: str, message: str):
        super().__init__(f"content/{file}: {where}: {message}")


class _Reader:
    def __init__(self, file: str, data: dict[str, Any], where: str = ""):
        self.file, self.data, self.where = file, data, where or "(top)"
        self._used: set[str] = set()

    def fail(self, message: str) -> ContentError:
        return ContentError(self.file, self.where, message)

    def _get(self, key: str, types: tuple[type, ...], default: Any, required: bool) -> Any:
        self._used.add(key)
        if key not in self.data:
            if required:
                raise self.fail(f"missing required key {key!r}")
            return default
        value = self.data[key]
        if not isinstance(value, types):
            raise self.fail(f"{key!r} must be {' or '.join(t.__name__ for t in types)}")
        return value

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        value = self._get(key, (str,), default, required)
        if required and not value.strip():
            raise self.fail(f"{key!r} is empty")
        return value

    def whole(self, key: str) -> int:
        value = self._get(key, (int,), 0, True)
        if isinstance(value, bool):
            raise self.fail(f"{key!r} must be a whole number")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        return self._get(key, (bool,), default, False)

    def strings(self, key: str, required: bool = True) -> tuple[str, ...]:
        value = self._get(key, (list,), [], required)
        if not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"{key!r} must be a list of non-empty strings")
        return tuple(value)

    def day(self, key: str) -> date:
        value = self._get(key, (str, date), None, True)
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{key!r} must be a date YYYY-MM-DD") from None

    def url(self, key: str, required: bool = True) -> str:
        value = self.text(key, required)
        if value and not re.fullmatch(r"https://[^\s/]+\.[^\s]+", value):
            raise self.fail(f"{key!r} must be an https:// address, got {value!r}")
        return value

    def children(self, key: str, required: bool = True) -> list[_Reader]:
        value = self._get(key, (list,), [], required)
        if required and not value:
            raise self.fail(f"{key!r} is empty")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.fail(f"{key}[{i}] must be a table")
            out.append(_Reader(self.file, item, f"{self.where}.{key}[{i}]".lstrip("(top).")))
        return out

    def child(self, key: str, required: bool = True) -> _Reader | None:
        value = self._get(key, (dict,), None, required)
        return None if value is None else _Reader(self.file, value, key)

    def done(self) -> None:
        unknown = set(self.data) - self._used
        if unknown:
            raise self.fail(f"unknown key(s): {', '.join(sorted(unknown))}")


def _unique(file: str, what: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", i):
            raise ContentError(file, what, f"id {i!r} must be lower-case letters, digits, - or _")
        if i in seen:
            raise ContentError(file, what, f"duplicate id {i!r}")
        seen.add(i)


def _sources(r: _Reader, required: bool) -> tuple[Source, ...]:
    out = []
    for s in r.children("sources", required=False):
        out.append(Source(s.text("title"), s.url("url"), s.day("reviewed")))
        s.done()
    if required and not out:
        raise r.fail("a legal claim must cite at least one source with a review date")
    return tuple(out)


def _load(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ContentError(name, "(file)", "is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(name, "(file)", f"is not valid TOML: {exc}") from None


def _guide(directory: Path) -> tuple:
    r = _Reader("guide.toml", _load(directory, "guide.toml"))
    m = r.child("meta")
    meta = GuideMeta(
        m.day("reviewed"), m.text("not_legal_advice"), m.text("legal_help"), m.text("comfort")
    )
    m.done()
    cards = []
    for c in r.children("cards"):
        steps = []
        for s in c.children("steps"):
            legal = s.flag("legal")
            steps.append(
                Step(
                    s.text("id"),
                    s.text("text"),
                    s.text("action", required=False),
                    legal,
                    _sources(s, legal),
                )
            )
            s.done()
        cards.append(
            Card(c.text("id"), c.text("title"), c.text("icon"), c.text("summary"), tuple(steps))
        )
        c.done()
    faq = []
    for f in r.children("faq"):
        legal = f.flag("legal")
        faq.append(
            FaqItem(f.text("id"), f.text("question"), f.text("answer"), legal, _sources(f, legal))
        )
        f.done()
    changes = []
    for ch in r.children("changes"):
        changes.append(Change(ch.text("what"), ch.text("why")))
        ch.done()
    t = r.child("trusted")
    messages = []
    for msg in t.children("messages"):
        messages.append((msg.text("title"), msg.text("text")))
        msg.done()
    trusted = TrustedGuide(t.text("title"), t.text("intro"), t.strings("tips"), tuple(messages))
    t.done()
    r.done()
    _unique("guide.toml", "cards", [c.id for c in cards])
    _unique("guide.toml", "steps", [s.id for c in cards for s in c.steps])
    _unique("guide.toml", "faq", [f.id for f in faq])
    return meta, tuple(cards), tuple(faq), tuple(changes), trusted


def _hotlines(directory: Path) -> tuple[tuple[Country, ...], tuple[Hotline, ...]]:
    r = _Reader("hotlines.toml", _load(directory, "hotlines.toml"))
    r.child("meta").day("reviewed")
    countries = []
    for c in r.children("countries"):
        countries.append(Country(c.text("code"), c.text("name")))
        c.done()
    codes = {c.code for c in countries}
    entries = []
    for e in r.children("entries"):
        h = Hotline(
            id=e.text("id"),
            country=e.text("country"),
            name=e.text("name"),
            what=e.text("what"),
            source=e.url("source"),
            reviewed=e.day("reviewed"),
            status=e.text("status"),
            phone=e.text("phone", required=False),
            sms=e.text("sms", required=False),
            web=e.url("web", required=False),
            hours=e.text("hours", required=False),
            tag=e.text("tag", required=False),
        )
        if h.country not in codes:
            raise e.fail(f"unknown country {h.country!r}")
        if h.status not in STATUSES:
            raise e.fail("status must be 'listed' or 'to-confirm'")
        if not (h.phone or h.web):
            raise e.fail("needs a phone number or a web address")
        if h.phone and not re.fullmatch(r"\+?[0-9][0-9 -]{1,20}", h.phone):
            raise e.fail(f"phone {h.phone!r} is not a phone number")
        entries.append(h)
        e.done()
    r.done()
    _unique("hotlines.toml", "entries", [h.id for h in entries])
    return tuple(countries), tuple(entries)


def _checklist(directory: Path) -> tuple[ChecklistGroup, ...]:
    r = _Reader("checklist.toml", _load(directory, "checklist.toml"))
    r.child("meta").day("reviewed")
    groups = []
    for g in r.children("groups"):
        items = []
        for i in g.children("items"):
            items.append(ChecklistItem(i.text("id"), i.text("what"), i.text("where")))
            i.done()
        groups.append(ChecklistGroup(g.text("id"), g.text("title"), tuple(items)))
        g.done()
    r.done()
    _unique("checklist.toml", "items", [i.id for g in groups for i in g.items])
    return tuple(groups)


def _platforms(directory: Path) -> tuple[Platform, ...]:
    r = _Reader("platforms.toml", _load(directory, "platforms.toml"))
    r.child("meta").day("reviewed")
    out = []
    for p in r.children("platforms"):
        routes = []
        for rt in p.children("routes"):
            route = Route(
                rt.text("name"),
                rt.url("url"),
                rt.text("status"),
                rt.url("source"),
                rt.day("reviewed"),
                rt.flag("general"),
                rt.flag("take_it_down"),
            )
            if route.status not in STATUSES:
                raise rt.fail("status must be 'listed' or 'to-confirm'")
            routes.append(route)
            rt.done()
        out.append(
            Platform(
                p.text("id"),
                p.text("name"),
                p.strings("asks_for"),
                tuple(routes),
                p.text("note", required=False),
            )
        )
        p.done()
    r.done()
    _unique("platforms.toml", "platforms", [p.id for p in out])
    return tuple(out)


def _placeholders(text: str) -> set[str]:
    return {m[1] or m[2] for m in string.Template.pattern.findall(text) if m[1] or m[2]}


def _deadline(r: _Reader) -> Deadline:
    m = DEADLINE_RE.fullmatch(r.text("after"))
    if not m:
        raise r.fail("'after' must be like '48 hours', '7 days' or '1 month'")
    return Deadline(int(m[1]), m[2] + "s", r.text("label"))


def _language(r: _Reader) -> NoticeLanguage:
    lang = NoticeLanguage(
        id=r.text("id"),
        name=r.text("name"),
        domains=r.strings("domains", required=False),
        months=r.strings("months"),
        date=r.text("date"),
        to=r.text("to"),
        date_label=r.text("date_label"),
        subject_label=r.text("subject_label"),
        email=r.text("email"),
        phone=r.text("phone"),
        address=r.text("address"),
        contact_sentence=r.text("contact_sentence"),
        translated=r.text("translated"),
    )
    if len(lang.months) != 12:
        raise r.fail("months must name the twelve months, January first")
    if _placeholders(lang.date) != {"day", "month", "year"}:
        raise r.fail("date must use ${day}, ${month} and ${year}, and nothing else")
    if _placeholders(lang.contact_sentence) - {"email"}:
        raise r.fail("contact_sentence may use ${email} only")
    r.done()
    return lang


def _version(
    n: _Reader, t: NoticeTemplate, fields: dict[str, NoticeField], languages: set[str]
) -> NoticeVersion:
    """One notice in another language, checked against the notice itself: every element it
    must contain, every paragraph's element, every choice it inserts (and its agent form)."""
    language = n.text("language")
    if language not in languages:
        raise n.fail(f"language {language!r} is not one of the [[languages]]")
    paragraphs = []
    for p in n.children("paragraphs"):
        paragraphs.append(
            Paragraph(p.text("element"), p.text("text"), p.text("agent", required=False))
        )
        p.done()
    if [p.element for p in paragraphs] != [p.element for p in t.paragraphs]:
        raise n.fail(f"{language}: paragraphs must follow the notice's, element by element")
    for mine, theirs in zip(paragraphs, t.paragraphs, strict=True):
        if bool(mine.agent) != bool(theirs.agent):
            raise n.fail(f"{language}: paragraph {mine.element!r} needs the same agent form")
    must = n.child("must_contain")
    must_contain = tuple((e.id, must.strings(e.id)) for e in t.elements)
    must.done()
    choices = []
    for c in n.children("choices", required=False):
        fid = c.text("field")
        original = fields[fid].choice(c.text("id")) if fid in t.fields else None
        if original is None:
            raise c.fail(f"{language}: {fid}/{c.text('id')} is not a choice of this notice")
        choice = Choice(original.id, "", c.text("text"), c.text("agent", required=False))
        if bool(choice.agent) != bool(original.agent):
            raise c.fail(f"{language}: {fid}/{choice.id} needs the same agent form")
        choices.append((fid, choice))
        c.done()
    said = {(fid, c.id) for fid, c in choices}
    for fid in t.fields:
        for c in fields[fid].choices:
            if c.text and (fid, c.id) not in said:
                raise n.fail(f"{language}: the choice {fid}/{c.id} is not written in it")
    v = NoticeVersion(
        language=language,
        reviewed=n.flag("reviewed"),
        note=n.text("note"),
        subject=n.text("subject"),
        heading=n.text("heading"),
        paragraphs=tuple(paragraphs),
        must_contain=must_contain,
        choices=tuple(choices),
        sources=_sources(n, required=False),
    )
    n.done()
    return v


def _notices(
    directory: Path,
) -> tuple[dict[str, NoticeField], tuple[NoticeTemplate, ...], tuple[NoticeLanguage, ...]]:
    r = _Reader("notices.toml", _load(directory, "notices.toml"))
    languages = (NoticeLanguage(), *(_language(x) for x in r.children("languages", required=False)))
    _unique("notices.toml", "languages", [x.id for x in languages])
    fields: dict[str, NoticeField] = {}
    for f in r.children("fields"):
        kind = f.text("kind", required=False, default="text")
        if kind not in FIELD_KINDS:
            raise f.fail(f"unknown field kind {kind!r}")
        choices = []
        for c in f.children("choices", required=kind == "choice"):
            choices.append(
                Choice(
                    c.text("id"),
                    c.text("label"),
                    c.text("text", required=False),
                    c.text("agent", required=False),
                    c.strings("needs", required=False),
                )
            )
            c.done()
        fld = NoticeField(
            f.text("id"),
            f.text("label"),
            kind,
            f.text("help", required=False),
            tuple(choices),
            f.text("default", required=False),
        )
        if fld.default and fld.choice(fld.default) is None:
            raise f.fail(f"default {fld.default!r} is not one of the choices")
        if fld.id in fields:
            raise f.fail(f"duplicate field {fld.id!r}")
        fields[fld.id] = fld
        f.done()
    known = set(fields) | DERIVED_PLACEHOLDERS
    known |= {f"{fid}_text" for fid, f in fields.items() if f.kind == "choice"}
    for fld in fields.values():
        for c in fld.choices:
            for text in (c.text, c.agent):
                unknown = _placeholders(text) - known
                if unknown:
                    raise ContentError(
                        "notices.toml", f"field {fld.id}", f"unknown placeholder(s) {unknown}"
                    )
            for need in c.needs:
                if need not in fields:
                    raise ContentError("notices.toml", f"field {fld.id}", f"needs {need!r}?")
    notices = []
    for n in r.children("notices"):
        required, optional = n.strings("required"), n.strings("optional", required=False)
        for fid in (*required, *optional):
            if fid not in fields:
                raise n.fail(f"names an unknown field {fid!r}")
        elements = []
        for e in n.children("elements"):
            elements.append(Element(e.text("id"), e.text("label"), e.strings("must_contain")))
            e.done()
        paragraphs = []
        for p in n.children("paragraphs"):
            paragraphs.append(
                Paragraph(p.text("element"), p.text("text"), p.text("agent", required=False))
            )
            p.done()
        deadlines = []
        for d in n.children("deadlines", required=False):
            deadlines.append(_deadline(d))
            d.done()
        esc = n.child("escalate", required=False)
        escalation = None
        if esc is not None:
            escalation = Escalation(esc.text("label"), esc.url("url"), esc.text("text"))
            esc.done()
        legal = n.flag("legal", default=True)
        t = NoticeTemplate(
            id=n.text("id"),
            title=n.text("title"),
            region=n.text("region"),
            summary=n.text("summary"),
            required=required,
            optional=optional,
            subject=n.text("subject"),
            heading=n.text("heading"),
            follow_up=n.text("follow_up"),
            elements=tuple(elements),
            paragraphs=tuple(paragraphs),
            sources=_sources(n, required=legal),
            not_fit=n.text("not_fit", required=False),
            contact_any=n.strings("contact_any", required=False),
            warning=n.text("warning", required=False),
            send_via=n.text("send_via", required=False, default="email"),
            how_to_send=n.text("how_to_send", required=False),
            deadlines=tuple(deadlines),
            escalate=escalation,
            legal=legal,
            record_name=n.text("record_name"),
            hosted=n.flag("hosted"),
        )
        if t.send_via not in ("email", "form"):
            raise n.fail("send_via must be 'email' or 'form'")
        if t.send_via == "form" and not t.how_to_send:
            raise n.fail("a notice sent through a form must say how (how_to_send)")
        t = replace(
            t,
            versions=tuple(
                _version(v, t, fields, {x.id for x in languages[1:]})
                for v in n.children("versions", required=False)
            ),
        )
        _unique("notices.toml", f"{t.id}'s versions", [v.language for v in t.versions])
        for each in (t, *(t.in_language(v.language, fields)[0] for v in t.versions)):
            tagged = {p.element for p in each.paragraphs}
            for e in each.elements:
                if e.id not in tagged:
                    raise n.fail(f"required element {e.id!r} is on no paragraph")
            texts = [
                each.subject,
                *(p.text for p in each.paragraphs),
                *(p.agent for p in each.paragraphs),
                *(s for e in each.elements for s in e.must_contain),
                *(c.text + c.agent for _f, c in (v for x in t.versions for v in x.choices)),
            ]
            for text in texts:
                unknown = _placeholders(text) - known
                if unknown:
                    raise n.fail(f"unknown placeholder(s) {', '.join(sorted(unknown))}")
        notices.append(t)
        n.done()
    r.done()
    _unique("notices.toml", "notices", [n.id for n in notices])
    return fields, tuple(notices), languages


def _quick_exit(directory: Path) -> QuickExitContent:
    r = _Reader("quick_exit.toml", _load(directory, "quick_exit.toml"))
    d, e, g = r.child("decoy"), r.child("explain"), r.child("disguise")
    q = QuickExitContent(
        d.text("title"),
        d.strings("notes"),
        e.text("title"),
        e.strings("points"),
        g.strings("titles"),
    )
    for x in (d, e, g, r):
        x.done()
    return q


def _photo(directory: Path) -> PhotoAdvice:
    r = _Reader("photo.toml", _load(directory, "photo.toml"))
    m, c = r.child("meta"), r.child("copy")
    advice = PhotoAdvice(
        m.day("reviewed"),
        c.text("not_lossless"),
        c.text("reencode_button"),
        c.text("reencode_note"),
        c.text("steps_title"),
        c.strings("steps"),
    )
    for x in (m, c, r):
        x.done()
    return advice


def _report(directory: Path) -> ReportWords:
    r = _Reader("report.toml", _load(directory, "report.toml"))
    m, t = r.child("meta"), r.child("report")
    words = ReportWords(
        m.day("reviewed"),
        t.text("times"),
        t.strings("how_to_check"),
        t.text("proves"),
        t.text("not_proven"),
        t.text("statement_title"),
        t.text("statement"),
        t.text("pack_warning"),
    )
    if "${zone}" not in words.times:
        raise r.fail("report.times must say which time zone: ${zone}")
    for x in (m, t, r):
        x.done()
    return words


def _passphrase(directory: Path) -> PassphraseWords:
    r = _Reader("passphrase.toml", _load(directory, "passphrase.toml"))
    m, w, c = r.child("meta"), r.child("words"), r.child("copy")
    m.day("reviewed")
    name = w.text("file")
    path = directory / name
    if "/" in name or not path.is_file():
        raise w.fail(f"the word list {name!r} is not a file in content/")
    words = tuple(line.strip() for line in path.read_text("utf-8").splitlines() if line.strip())
    if len(set(words)) != len(words) or len(words) < 4096:
        raise w.fail(f"{name}: the word list must hold at least 4,096 different words")
    if not all(re.fullmatch(r"[a-z]+(-[a-z]+)?", x) for x in words):
        raise w.fail(f"{name}: every word must be lower-case letters (with one hyphen at most)")
    count = w.whole("count")
    if not 5 <= count <= 10:
        raise w.fail("count must be between 5 and 10 words")
    out = PassphraseWords(
        words,
        count,
        w.text("source"),
        w.text("licence"),
        c.text("too_weak"),
        c.text("make_button"),
        c.text("made"),
    )
    for x in (m, w, c, r):
        x.done()
    return out


def load_content(directory: Path | None = None) -> Content:
    directory = directory or content_dir()
    meta, cards, faq, changes, trusted = _guide(directory)
    countries, hotlines = _hotlines(directory)
    checklist = _checklist(directory)
    platforms = _platforms(directory)
    fields, notices, languages = _notices(directory)
    content = Content(
        meta,
        cards,
        faq,
        changes,
        countries,
        hotlines,
        checklist,
        platforms,
        fields,
        notices,
        _quick_exit(directory),
        trusted,
        _photo(directory),
        _report(directory),
        _passphrase(directory),
        languages,
    )
    _check_actions(content)
    return content


def _check_actions(content: Content) -> None:
    hotline_ids = {h.id for h in content.hotlines}
    for card in content.cards:
        for step in card.steps:
            if not step.action:
                continue
            kind, _, target = step.action.partition(":")
            ok = (
                (kind == "tool" and target in TOOLS)
                or (kind == "call" and target in hotline_ids)
                or (kind == "link" and target.startswith("https://"))
            )
            if not ok:
                raise ContentError("guide.toml", f"step {step.id}", f"bad action {step.action!r}")


@lru_cache(maxsize=1)
def default_content() -> Content:
    return load_content()


# The file each type of content comes from (for a translator: where a phrase is).
_FILES: dict[type, str] = {
    **dict.fromkeys((GuideMeta, Card, Step, FaqItem, Change, TrustedGuide), "guide.toml"),
    **dict.fromkeys((Country, Hotline), "hotlines.toml"),
    **dict.fromkeys((ChecklistGroup, ChecklistItem), "checklist.toml"),
    **dict.fromkeys((Platform, Route), "platforms.toml"),
    **dict.fromkeys(
        (NoticeField, Choice, NoticeTemplate, NoticeVersion, Deadline, Escalation), "notices.toml"
    ),
    QuickExitContent: "quick_exit.toml",
    PhotoAdvice: "photo.toml",
    PassphraseWords: "passphrase.toml",
    ReportWords: "report.toml",
}


def content_phrases(content: Content | None = None) -> dict[str, list[str]]:
    """Every phrase of content/ the screens show (``WORDS``), with its file: what a language's
    catalogue translates besides the screens' own words."""
    found = phrases(content or default_content())
    return {text: [f"content/{_FILES[owner]}"] for text, owner in found.items()}
