"""Typed content: the guide, FAQ, directory, checklist, platforms and notice templates."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date
from typing import TypeVar

from .model import MAX_SHORT, MAX_TEXT, MAX_URL

T = TypeVar("T")


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    reviewed: date


@dataclass(frozen=True)
class Step:
    id: str
    text: str
    action: str = ""  # "tool:<name>", "call:<hotline id>", "link:<url>" or ""
    legal: bool = False
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Card:
    id: str
    title: str
    icon: str
    summary: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class FaqItem:
    id: str
    question: str
    answer: str
    legal: bool = False
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Change:
    what: str
    why: str


@dataclass(frozen=True)
class GuideMeta:
    reviewed: date
    not_legal_advice: str
    legal_help: str
    comfort: str


@dataclass(frozen=True)
class TrustedGuide:
    title: str
    intro: str
    tips: tuple[str, ...]
    messages: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Hotline:
    id: str
    country: str
    name: str
    what: str
    source: str
    reviewed: date
    status: str
    phone: str = ""
    sms: str = ""
    web: str = ""
    hours: str = ""  # when the line is open, where it is not 24/7
    tag: str = ""  # what the name alone does not say ("under 18"), said in the language

    @property
    def title(self) -> str:
        """Its name as written, and what the name alone does not say."""
        return f"{self.name} · {self.tag}" if self.tag else self.name

    @property
    def confirmed(self) -> bool:
        return self.status == "listed"

    @property
    def tel_uri(self) -> str:
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""


@dataclass(frozen=True)
class Country:
    code: str
    name: str


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    what: str
    where: str


@dataclass(frozen=True)
class ChecklistGroup:
    id: str
    title: str
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class Route:
    """One official way to ask a platform to remove something, with where we read about it."""

    name: str
    url: str
    status: str  # "listed" (read on the platform's own page) or "to-confirm"
    source: str
    reviewed: date
    general: bool = False  # the address is a general help page, not the form itself
    take_it_down: bool = False  # the platform's process under the US TAKE IT DOWN Act


@dataclass(frozen=True)
class Platform:
    id: str
    name: str
    asks_for: tuple[str, ...]
    routes: tuple[Route, ...]
    note: str = ""

    @property
    def take_it_down(self) -> Route | None:
        return next((r for r in self.routes if r.take_it_down), None)


@dataclass(frozen=True)
class Choice:
    id: str
    label: str  # what the form shows
    text: str = ""  # what the notice says (``${<field>_text}``), in the first person
    agent: str = ""  # what it says when the person writes for someone else
    needs: tuple[str, ...] = ()  # fields that must be filled when this is chosen


@dataclass(frozen=True)
class NoticeField:
    id: str
    label: str
    kind: str = "text"  # text, multiline, email, phone, url, urls, date, choice
    help: str = ""
    choices: tuple[Choice, ...] = ()
    default: str = ""  # the choice made until the person picks another

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    @property
    def limit(self) -> int:
        """The most characters the field takes: what the record can keep of it."""
        return {"multiline": MAX_TEXT, "urls": MAX_TEXT, "url": MAX_URL}.get(self.kind, MAX_SHORT)


@dataclass(frozen=True)
class Element:
    id: str
    label: str
    must_contain: tuple[str, ...]


@dataclass(frozen=True)
class Paragraph:
    element: str
    text: str
    agent: str = ""  # the same paragraph when the person writes for someone else

    def for_(self, agent: bool) -> str:
        return self.agent if agent and self.agent else self.text


@dataclass(frozen=True)
class Deadline:
    """When an answer is due after a request is sent ("48 hours", "1 month", ...)."""

    amount: int
    unit: str  # hours, days, months
    label: str


@dataclass(frozen=True)
class Escalation:
    label: str
    url: str
    text: str


@dataclass(frozen=True)
class NoticeTemplate:
    id: str
    title: str
    region: str
    summary: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    subject: str
    heading: str
    follow_up: str
    elements: tuple[Element, ...]
    paragraphs: tuple[Paragraph, ...]
    sources: tuple[Source, ...] = ()
    not_fit: str = ""
    contact_any: tuple[str, ...] = ()
    warning: str = ""  # said before it is sent
    send_via: str = "email"  # "form": the platform's own process, never e-mail
    how_to_send: str = ""
    deadlines: tuple[Deadline, ...] = ()
    escalate: Escalation | None = None
    legal: bool = True
    record_name: str = ""  # what the record, a report and a court call it (its legal name)
    hosted: bool = False  # about content a site hosts: unanswered, the site's host is next
    versions: tuple[NoticeVersion, ...] = ()  # the same notice in other languages

    @property
    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional

    @property
    def formal(self) -> str:
        return self.record_name or self.title

    def version(self, language: str) -> NoticeVersion | None:
        return next((v for v in self.versions if v.language == language), None)

    def in_language(
        self, language: str, fields: dict[str, NoticeField]
    ) -> tuple[NoticeTemplate, dict[str, NoticeField]]:
        """This notice and its fields with the words of ``language`` (its own when it has no
        version in that language): subject, heading, paragraphs, the phrases each element
        must contain, and what each choice inserts."""
        v = self.version(language)
        if v is None:
            return self, fields
        must = dict(v.must_contain)
        template = replace(
            self,
            subject=v.subject,
            heading=v.heading,
            paragraphs=v.paragraphs,
            elements=tuple(replace(e, must_contain=must[e.id]) for e in self.elements),
            versions=(),
        )
        said = {(fid, c.id): c for fid, c in v.choices}
        out = dict(fields)
        for fid in self.fields:
            fld = fields[fid]
            if fld.kind == "choice":
                choices = tuple(
                    replace(c, text=said[fid, c.id].text, agent=said[fid, c.id].agent)
                    if (fid, c.id) in said
                    else c
                    for c in fld.choices
                )
                out[fid] = replace(fld, choices=choices)
        return template, out


@dataclass(frozen=True)
class NoticeVersion:
    """A notice written in another language: every paragraph, and the phrases each element
    must contain in it, with the sources of its legal wording. ``reviewed`` is False until a
    lawyer or a native speaker has checked it; the notice then carries its original too."""

    language: str
    reviewed: bool
    note: str  # what the form says about this version before it is chosen
    subject: str
    heading: str
    paragraphs: tuple[Paragraph, ...]
    must_contain: tuple[tuple[str, tuple[str, ...]], ...]  # element id, its phrases
    choices: tuple[tuple[str, Choice], ...]  # field id, the choice's text in this language
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class NoticeLanguage:
    """The words a notice in one language needs besides its paragraphs. The defaults are
    English, the language every notice is first written in."""

    id: str = "en"
    name: str = "English"  # in its own language, as a choice of language is shown
    domains: tuple[str, ...] = ()  # addresses ending in these get this language by default
    months: tuple[str, ...] = (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    )  # fmt: skip
    date: str = "${day} ${month} ${year}"
    to: str = "To"
    date_label: str = "Date"
    subject_label: str = "Subject"
    email: str = "E-mail"
    phone: str = "Telephone"
    address: str = "Address"
    contact_sentence: str = "You can reach me at ${email}."
    translated: str = ""  # said between a translation not yet reviewed and its original


@dataclass(frozen=True)
class QuickExitContent:
    decoy_title: str
    decoy_notes: tuple[str, ...]
    explain_title: str
    explain_points: tuple[str, ...]
    disguise_titles: tuple[str, ...]


@dataclass(frozen=True)
class PhotoAdvice:
    """What the photo check says when it cannot make a clean copy itself."""

    reviewed: date
    not_lossless: str
    reencode_button: str
    reencode_note: str
    steps_title: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class ReportWords:
    """What the evidence report and pack say to the people who read them."""

    reviewed: date
    times: str  # ${zone}
    how_to_check: tuple[str, ...]
    proves: str
    not_proven: str
    statement_title: str
    statement: str
    pack_warning: str


@dataclass(frozen=True)
class PassphraseWords:
    """The word list a passphrase is made from, and what the app says about passphrases."""

    words: tuple[str, ...]
    count: int  # words in a passphrase the app makes
    source: str
    licence: str
    too_weak: str
    make_button: str
    made: str


@dataclass(frozen=True)
class Content:
    meta: GuideMeta
    cards: tuple[Card, ...]
    faq: tuple[FaqItem, ...]
    changes: tuple[Change, ...]
    countries: tuple[Country, ...]
    hotlines: tuple[Hotline, ...]
    checklist: tuple[ChecklistGroup, ...]
    platforms: tuple[Platform, ...]
    fields: dict[str, NoticeField]
    notices: tuple[NoticeTemplate, ...]
    quick_exit: QuickExitContent
    trusted: TrustedGuide
    photo: PhotoAdvice
    report: ReportWords
    passphrase: PassphraseWords
    languages: tuple[NoticeLanguage, ...] = (NoticeLanguage(),)  # a notice can be written in

    def language(self, language_id: str) -> NoticeLanguage:
        return _by_id(self.languages, language_id)

    def notice(self, notice_id: str) -> NoticeTemplate:
        return _by_id(self.notices, notice_id)

    def hosted(self, notice_id: str) -> bool:
        """Is a request of this kind about content a site hosts? (False for a kind no longer
        in the content, as an old record may name.)"""
        return any(n.id == notice_id and n.hosted for n in self.notices)

    def hotline(self, hotline_id: str) -> Hotline:
        return _by_id(self.hotlines, hotline_id)

    def card(self, card_id: str) -> Card:
        return _by_id(self.cards, card_id)

    def platform(self, platform_id: str) -> Platform:
        return _by_id(self.platforms, platform_id)

    @property
    def checklist_ids(self) -> list[str]:
        return [i.id for g in self.checklist for i in g.items]

    @property
    def step_ids(self) -> list[str]:
        return [s.id for c in self.cards for s in c.steps]


def _by_id(items: Iterable[T], item_id: str) -> T:
    for item in items:
        if getattr(item, "id", None) == item_id:
            return item
    raise KeyError(item_id)


# ---- what the person reads, in their language ---------------------------------------------------
# The fields of content/ that the screens show as words, per type. Everything else (ids, addresses,
# phone numbers, names of organisations and laws, sources, dates) stays as written, and so does
# what goes into a document (a notice's paragraphs, the report's words): a document keeps its own
# language. Notices and routes are named here for the screens that show them.
WORDS: dict[type, tuple[str, ...]] = {
    GuideMeta: ("not_legal_advice", "legal_help", "comfort"),
    Card: ("title", "summary"),
    Step: ("text",),
    FaqItem: ("question", "answer"),
    Change: ("what", "why"),
    TrustedGuide: ("title", "intro", "tips", "messages"),
    Country: ("name",),
    Hotline: ("what", "hours", "tag"),
    ChecklistGroup: ("title",),
    ChecklistItem: ("what", "where"),
    Platform: ("asks_for", "note"),
    Route: ("name",),
    NoticeField: ("label", "help"),
    Choice: ("label",),
    NoticeTemplate: (
        "title",
        "region",
        "summary",
        "not_fit",
        "warning",
        "how_to_send",
        "record_name",
    ),
    NoticeVersion: ("note",),
    Deadline: ("label",),
    Escalation: ("label", "text"),
    QuickExitContent: ("decoy_title", "decoy_notes", "explain_title", "explain_points"),
    PhotoAdvice: ("not_lossless", "reencode_button", "reencode_note", "steps_title", "steps"),
    PassphraseWords: ("too_weak", "make_button", "made"),
    # (what the evidence report and pack say: in the report's language, not the screen's)
    ReportWords: (
        "times",
        "how_to_check",
        "proves",
        "not_proven",
        "statement_title",
        "statement",
        "pack_warning",
    ),
}


def translated(value: T, say: Callable[[str], str]) -> T:
    """``value`` (content, or any part of it) with every field in ``WORDS`` passed through
    ``say``: the same content, in another language. An empty phrase stays empty."""
    return _walk(value, lambda text, _owner: say(text))


def phrases(content: Content) -> dict[str, type]:
    """Every phrase of ``content`` that ``translated`` passes through ``say``, in order, once
    each, with the type whose field holds it first."""
    found: dict[str, type] = {}

    def note(text: str, owner: type) -> str:
        found.setdefault(text, owner)
        return text

    _walk(content, note)
    return found


def _walk(value, say: Callable[[str, type], str]):
    if isinstance(value, tuple):
        return tuple(_walk(v, say) for v in value)
    if isinstance(value, dict):
        return {k: _walk(v, say) for k, v in value.items()}
    if not is_dataclass(value) or isinstance(value, type):
        return value
    words = WORDS.get(type(value), ())
    changes = {}
    for f in fields(value):
        v = getattr(value, f.name)
        changes[f.name] = _said(v, say, type(value)) if f.name in words else _walk(v, say)
    return replace(value, **changes)


def _said(value, say: Callable[[str, type], str], owner: type):
    if isinstance(value, str):
        return say(value, owner) if value else value
    return tuple(_said(v, say, owner) for v in value)
