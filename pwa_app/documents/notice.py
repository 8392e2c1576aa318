"""Fill a notice template from what the person entered. Validation returns messages per field,
so a form can show them next to the field and keep everything typed.

When "acting_for" is filled, every paragraph and choice that has an ``agent`` variant speaks for
that person instead of in the first person.

A notice is written in English, or in a language it has a version in (``language``): every word
of it then comes from that version and its language's words. A version not yet reviewed carries
the English original after it, with a line that says so in both languages."""

from __future__ import annotations

import dataclasses
import re
import string
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from ..domain import DomainError, capitalised, unique_addresses, validate_url
from ..domain.content_types import NoticeField, NoticeLanguage, NoticeTemplate, NoticeVersion
from .text import clean

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9 ()./-]{5,30}$")
MAX_URLS = 1000


@dataclass(frozen=True)
class RenderedNotice:
    kind: str
    title: str
    heading: str
    recipient: str
    recipient_email: str
    subject: str
    paragraphs: tuple[str, ...]
    urls: tuple[str, ...]
    date: str
    repeated: int = 0  # addresses given more than once, listed once
    language: str = "en"
    labels: tuple[str, str, str] = ("To", "Date", "Subject")  # in the notice's language

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def head(self) -> tuple[str, str, str]:
        """The lines above the body: to whom, the date, the subject."""
        to, date, subject = self.labels
        who = self.recipient + (f" <{self.recipient_email}>" if self.recipient_email else "")
        return (f"{to}: {who}", f"{date}: {self.date}", f"{subject}: {self.subject}")

    @property
    def text(self) -> str:
        return "\n".join([self.heading, "", *self.head, ""]) + "\n" + self.body + "\n"


def with_defaults(
    template: NoticeTemplate, fields: dict[str, NoticeField], values: dict[str, object]
) -> dict[str, object]:
    """The values given, and for a choice left unanswered, its default."""
    out = dict(values)
    for fid in template.fields:
        if fields[fid].default and not out.get(fid):
            out[fid] = fields[fid].default
    return out


def split_urls(raw: object) -> list[str]:
    """The addresses typed or pasted (one per line, or separated by spaces or commas), each
    once: the same address again (the site in other letters, a slash at the end) is left out."""
    return unique_addresses(_all_urls(raw))[0]


def repeated_urls(raw: object) -> int:
    """How many of the addresses given were the same as one before them."""
    return unique_addresses(_all_urls(raw))[1]


def _all_urls(raw: object) -> list[str]:
    if isinstance(raw, (list, tuple)):
        items = [clean(u) for u in raw]
    else:
        items = [clean(u) for u in re.split(r"[\s,]+", str(raw or ""))]
    return [u for u in items if u]


def validate_notice(
    template: NoticeTemplate,
    fields: dict[str, NoticeField],
    values: dict[str, object],
    now: datetime,
) -> dict[str, str]:
    """Field id → a clear message. Empty when the notice can be made."""
    errors: dict[str, str] = {}
    values = with_defaults(template, fields, values)
    for fid in template.fields:
        fld = fields[fid]
        raw = values.get(fid)
        if fld.kind == "urls":
            urls = split_urls(raw)
            if not urls:
                if fid in template.required:
                    errors[fid] = "Add at least one web address."
                continue
            if len(urls) > MAX_URLS:
                errors[fid] = f"At most {MAX_URLS} addresses in one notice; split it in two."
                continue
            for n, u in enumerate(urls, 1):
                try:
                    validate_url(u)
                except DomainError as exc:
                    errors[fid] = f"Address {n} ({u[:60]}): {exc.message}"
                    break
            continue
        text = clean(raw, multiline=fld.kind == "multiline")
        if not text:
            if fid in template.required:
                errors[fid] = (
                    "Choose one of the options."
                    if fld.kind == "choice"
                    else f"{fld.label} is needed for this notice."
                )
            continue
        if len(text) > fld.limit:
            errors[fid] = (
                f"This is too long: {len(text):,} characters, and at most {fld.limit:,} fit "
                "here. Shorten it (nothing was cut)."
            )
        elif fld.kind == "email" and not EMAIL_RE.match(text):
            errors[fid] = "This does not look like an email address (name@example.com)."
        elif fld.kind == "phone" and not PHONE_RE.match(text):
            errors[fid] = "Use digits, spaces and an optional + (for example +44 20 7946 0000)."
        elif fld.kind == "url":
            try:
                validate_url(text)
            except DomainError as exc:
                errors[fid] = capitalised(exc.message)
        elif fld.kind == "date":
            try:
                d = datetime.fromisoformat(text).date()
                if d > now.date():
                    errors[fid] = "This date is in the future."
            except ValueError:
                errors[fid] = "Use the form YYYY-MM-DD, for example 2026-03-14."
        elif fld.kind == "choice":
            choice = fld.choice(text)
            if choice is None:
                errors[fid] = "Choose one of the options."
            else:
                for need in choice.needs:
                    if not clean(values.get(need)):
                        errors.setdefault(
                            need, f"{fields[need].label} is needed for what you chose below."
                        )
    if template.contact_any and not any(clean(values.get(f)) for f in template.contact_any):
        for f in template.contact_any:
            errors.setdefault(f, "Give an email address or a phone number, so they can reply.")
    return errors


def said_date(when: datetime, words: NoticeLanguage) -> str:
    """A date as a letter in that language writes it: 30 November 2026, 30 de noviembre de 2026."""
    month = words.months[when.month - 1]
    return string.Template(words.date).substitute(day=when.day, month=month, year=when.year)


def _values(
    template: NoticeTemplate,
    fields: dict[str, NoticeField],
    values: dict[str, object],
    now: datetime,
    words: NoticeLanguage,
) -> dict[str, str]:
    values = with_defaults(template, fields, values)
    v = {
        fid: clean(values.get(fid), multiline=fields[fid].kind == "multiline")
        for fid in fields
        if fields[fid].kind != "urls"
    }
    urls = split_urls(values.get("urls"))
    v["url_list"] = "\n".join(f"{i}. {u}" for i, u in enumerate(urls, 1))
    v["url_count"] = str(len(urls))
    v["date"] = said_date(now, words)
    v["signature"] = f"/s/ {v['full_name']}" if v.get("full_name") else ""
    v["consent_info"] = v.get("consent_info", "")
    contact = [x for x in (v.get("full_name"), v.get("email"), v.get("phone")) if x]
    v["contact_block"] = "\n" + "\n".join(contact) if contact else ""
    lines = [
        f"{label}: {v[key]}"
        for key, label in (
            ("email", words.email),
            ("phone", words.phone),
            ("postal_address", words.address),
        )
        if v.get(key)
    ]
    v["contact_lines"] = "\n".join(lines)
    v["phone_line"] = f"\n{words.phone}: {v['phone']}" if v.get("phone") else ""
    v["contact_sentence"] = (
        string.Template(words.contact_sentence).substitute(email=v["email"])
        if v.get("email")
        else ""
    )
    agent = bool(v.get("acting_for"))
    for fid, fld in fields.items():
        if fld.kind == "choice":
            choice = fld.choice(v.get(fid, ""))
            text = (choice.agent if agent and choice.agent else choice.text) if choice else ""
            v[f"{fid}_text"] = string.Template(text).safe_substitute(v)
    return v


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def render_notice(
    template: NoticeTemplate,
    fields: dict[str, NoticeField],
    values: dict[str, object],
    now: datetime,
    language: NoticeLanguage | None = None,
) -> RenderedNotice:
    """The finished notice, in ``language`` when it has a version in it (else in English).
    Call ``validate_notice`` first; this never raises on odd input."""
    english = _render(template, fields, values, now, NoticeLanguage())
    if (other := _translation(template, fields, language)) is None:
        return english
    version, mine, their_fields = other
    notice = _render(mine, their_fields, values, now, language)
    if version.reviewed:
        return notice
    original = (language.translated, english.heading, *english.paragraphs)
    return dataclasses.replace(notice, paragraphs=notice.paragraphs + original)


def _translation(
    template: NoticeTemplate, fields: dict[str, NoticeField], language: NoticeLanguage | None
) -> tuple[NoticeVersion, NoticeTemplate, dict[str, NoticeField]] | None:
    """The notice's version in ``language``, and the notice and its fields in its words; None
    when it is to be written in English (no language, or none the notice has a version in)."""
    version = template.version(language.id) if language else None
    if version is None:
        return None
    return (version, *template.in_language(version.language, fields))


def _render(
    template: NoticeTemplate,
    fields: dict[str, NoticeField],
    values: dict[str, object],
    now: datetime,
    words: NoticeLanguage,
) -> RenderedNotice:
    v = _values(template, fields, values, now, words)
    agent = bool(v.get("acting_for"))
    paras = tuple(
        p
        for p in (
            _tidy(string.Template(par.for_(agent)).safe_substitute(v))
            for par in template.paragraphs
        )
        if p
    )
    return RenderedNotice(
        kind=template.id,
        title=template.title,
        heading=template.heading,
        recipient=v.get("recipient", ""),
        recipient_email=v.get("recipient_email", ""),
        subject=_tidy(string.Template(template.subject).safe_substitute(v)),
        paragraphs=paras,
        urls=tuple(split_urls(values.get("urls"))),
        date=v["date"],
        repeated=repeated_urls(values.get("urls")),
        language=words.id,
        labels=(words.to, words.date_label, words.subject_label),
    )


def required_phrases(
    template: NoticeTemplate,
    fields: dict[str, NoticeField],
    values: dict[str, object],
    now: datetime,
    language: NoticeLanguage | None = None,
) -> dict[str, list[str]]:
    """Element id → the phrases that must appear, with the person's values filled in: in the
    notice's language, and in English too where the English original goes with it."""
    english = _phrases(template, fields, values, now, NoticeLanguage())
    if (other := _translation(template, fields, language)) is None:
        return english
    version, mine, their_fields = other
    phrases = _phrases(mine, their_fields, values, now, language)
    if not version.reviewed:
        phrases = {e: phrases[e] + english[e] for e in phrases}
    return phrases


def _phrases(
    template: NoticeTemplate,
    fields: dict[str, NoticeField],
    values: dict[str, object],
    now: datetime,
    words: NoticeLanguage,
) -> dict[str, list[str]]:
    v = _values(template, fields, values, now, words)
    return {
        e.id: [_tidy(string.Template(s).safe_substitute(v)) for s in e.must_contain]
        for e in template.elements
    }


def recipient_language(
    template: NoticeTemplate, languages: tuple[NoticeLanguage, ...], values: dict[str, object]
) -> tuple[NoticeLanguage, str]:
    """The language a notice goes out in unless the person chooses: the recipient's, read from
    the end of their e-mail address (else the website's, else the first address reported), when
    the notice has a version in it; else English. Also the ending that chose it ("" for none)."""
    english = next(x for x in languages if x.id == "en")
    email = clean(values.get("recipient_email"))
    hosts = [email.rpartition("@")[2]] if "@" in email else []
    for url in (clean(values.get("site")), *split_urls(values.get("urls"))[:1]):
        if url:
            hosts.append(urlsplit(url if "//" in url else f"//{url}").hostname or "")
    for host in hosts:
        if not host:
            continue
        ending = host.lower().rstrip(".").rpartition(".")[2]
        for lang in languages:
            if ending in lang.domains and template.version(lang.id):
                return lang, ending
        return english, ""  # the recipient's own address decides, when there is one
    return english, ""
