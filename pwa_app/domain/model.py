"""The case record: cases, case numbers, evidence, removal requests, checklist, timeline.

Every constructor validates; a broken value raises ``DomainError`` naming the field.
``to_dict``/``from_dict`` give the JSON that the vault seals.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from .errors import N_, DomainError

MAX_TEXT = 100_000  # characters in any free-text field
MAX_SHORT = 500  # characters in a name, number or title
MAX_URL = 8000  # characters in one web address
MAX_URLS = 1000

CASE_NUMBER_KINDS = {
    "police": N_("Police report"),
    "platform": N_("Platform ticket"),
    "court": N_("Court"),
    "lawyer": N_("Lawyer reference"),
    "other": N_("Other"),
}

EVIDENCE_STATUSES = ("found", "reported", "removed", "reappeared")
_EVIDENCE_NEXT = {
    "found": {"reported", "removed"},
    "reported": {"removed", "reappeared"},
    "removed": {"reappeared"},
    "reappeared": {"reported", "removed"},
}

REQUEST_STATUSES = ("sent", "acknowledged", "removed", "refused", "reappeared")
# What the addresses a request names become in the evidence log when the request does: one rule
# for a request marked sent, removed or back, from wherever it is marked.
EVIDENCE_FOLLOWS_REQUEST = {"sent": "reported", "removed": "removed", "reappeared": "reappeared"}
# A status in words, for the screens to say in the person's language (the record keeps the id).
STATUS_WORDS = {
    "found": N_("found"),
    "reported": N_("reported"),
    "removed": N_("removed"),
    "reappeared": N_("reappeared"),
    "sent": N_("sent"),
    "acknowledged": N_("acknowledged"),
    "refused": N_("refused"),
}


# ---- small validators -----------------------------------------------------------------------
def _clean(value: object, fld: str, *, required: bool = False, limit: int = MAX_SHORT) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError(fld, N_("must be text."))
    # Drop control characters except tab and newline; keep every script, accent and emoji.
    text = "".join(
        ch for ch in value if ch in "\t\n" or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    text = " ".join(text.split()) if limit == MAX_SHORT else text.strip()
    if required and not text:
        raise DomainError(fld, N_("please fill this in (it is required)."))
    if len(text) > limit:
        raise DomainError(fld, N_("is too long (at most {limit:,} characters)."), limit=limit)
    return text


_HOST_RE = re.compile(r"^[\w.-]+$|^[0-9a-fA-F:.]+$", re.UNICODE)


def validate_url(value: object, fld: str = "url") -> str:
    """An absolute http(s) URL with a host, or a DomainError saying what is wrong."""
    text = _clean(value, fld, required=True, limit=MAX_URL)
    if any(ch.isspace() for ch in text):
        raise DomainError(fld, N_("a web address cannot contain spaces."))
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        raise DomainError(
            fld, N_("must start with http:// or https:// (copy it from the address bar).")
        )
    try:
        host = parts.hostname or ""
    except ValueError:
        host = ""
    if not host or not _HOST_RE.match(host):
        raise DomainError(fld, N_("does not name a website."))
    if "." not in host and ":" not in host:
        raise DomainError(fld, N_("does not name a website (no dot in the site name)."))
    return text


def address_key(url: str) -> str:
    """What makes two web addresses the same one: the scheme and site in any case, with or
    without a slash at the end of the path."""
    parts = urlsplit(url.strip())
    try:
        host = (parts.hostname or "").lower()
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return url.strip()
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    frag = f"#{parts.fragment}" if parts.fragment else ""
    return f"{parts.scheme.lower()}://{host}{port}{path}{query}{frag}"


def unique_addresses(urls: list[str]) -> tuple[list[str], int]:
    """Each address once (as first written), and how many repeats were left out."""
    seen: set[str] = set()
    out = []
    for u in urls:
        key = address_key(u)
        if key not in seen:
            seen.add(key)
            out.append(u)
    return out, len(urls) - len(out)


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _dt(value: object, fld: str) -> datetime:
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, str):
        try:
            return _aware(datetime.fromisoformat(value))
        except ValueError:
            pass
    raise DomainError(fld, N_("is not a valid date and time."))


def _date(value: object, fld: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise DomainError(fld, N_("is not a valid date (use YYYY-MM-DD)."))


def typed_time(value: object, fld: str) -> datetime | None:
    """A time the person typed ("YYYY-MM-DD HH:MM" or "YYYY-MM-DD", in this device's time
    zone unless it says another), a datetime as it is, or None for nothing typed."""
    if isinstance(value, datetime) or value is None:
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        dt = datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise DomainError(
            fld,
            N_(
                "is not a date and time: use the form YYYY-MM-DD HH:MM, "
                "for example 2026-03-14 21:30."
            ),
        ) from None
    return dt if dt.tzinfo else dt.astimezone()


def _not_future(when: datetime, now: datetime, fld: str) -> None:
    # A few minutes of slack for clocks that disagree.
    if when > _aware(now) + timedelta(minutes=5):
        raise DomainError(fld, N_("cannot be in the future."))


def _iso(d: date | datetime | None) -> str | None:
    return d.isoformat() if d else None


# ---- entities -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseNumber:
    kind: str
    organisation: str
    number: str
    date: date | None = None
    contact: str = ""

    def __post_init__(self) -> None:
        if self.kind not in CASE_NUMBER_KINDS:
            raise DomainError("kind", N_("choose what kind of number this is."))
        object.__setattr__(self, "organisation", _clean(self.organisation, "organisation"))
        object.__setattr__(self, "number", _clean(self.number, "number", required=True))
        object.__setattr__(self, "date", _date(self.date, "date"))
        object.__setattr__(self, "contact", _clean(self.contact, "contact"))

    @classmethod
    def new(
        cls, kind: str, organisation: str, number: str, given: object, contact: str, today: date
    ) -> CaseNumber:
        """A number being added now: the day it was given cannot be after today (a day of
        slack for time zones), which catches a mistyped year."""
        cn = cls(kind, organisation, number, given or None, contact)
        if cn.date is not None and cn.date > today + timedelta(days=1):
            raise DomainError("date", N_("cannot be in the future (check the year)."))
        return cn

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "organisation": self.organisation,
            "number": self.number,
            "date": _iso(self.date),
            "contact": self.contact,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CaseNumber:
        return cls(
            d["kind"], d.get("organisation", ""), d["number"], d.get("date"), d.get("contact", "")
        )


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    jurisdiction: str = ""
    case_numbers: tuple[CaseNumber, ...] = ()
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", _clean(self.title, "title", required=True))
        object.__setattr__(self, "jurisdiction", _clean(self.jurisdiction, "jurisdiction"))
        object.__setattr__(self, "case_numbers", tuple(self.case_numbers))
        object.__setattr__(self, "created_at", _dt(self.created_at, "created_at"))

    def with_number(self, number: CaseNumber) -> Case:
        return replace(self, case_numbers=(*self.case_numbers, number))

    def without_number(self, index: int) -> Case:
        nums = list(self.case_numbers)
        del nums[index]
        return replace(self, case_numbers=tuple(nums))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "jurisdiction": self.jurisdiction,
            "case_numbers": [n.to_dict() for n in self.case_numbers],
            "created_at": _iso(self.created_at),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Case:
        return cls(
            id=d["id"],
            title=d["title"],
            jurisdiction=d.get("jurisdiction", ""),
            case_numbers=tuple(CaseNumber.from_dict(n) for n in d.get("case_numbers", [])),
            created_at=d.get("created_at") or datetime.now(UTC),
        )


# Why a kept file could not be read back as it was added: its bytes are not in the record, or
# they are but did not open or no longer have the SHA-256 recorded when it was added.
NOT_FOUND, CHANGED = "not found", "changed"


@dataclass(frozen=True)
class Attachment:
    """A file kept inside the vault; ``blob_id`` names the record holding its bytes."""

    blob_id: str
    filename: str
    mime: str
    size: int
    sha256: str
    captured_at: datetime  # when it was added to Recourse (the name is kept for old records)
    intimate: bool = True
    # The file's own date, as the file states it ("2026-06-03 22:14:05", with "+02:00" when it
    # names its zone), and where that was read: never changed into another zone.
    own_date: str = ""
    own_date_from: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[0-9a-f]{64}", self.sha256 or ""):
            raise DomainError("sha256", N_("is not a SHA-256 hex digest."))
        object.__setattr__(self, "filename", _clean(self.filename, "filename") or "file")
        object.__setattr__(self, "captured_at", _dt(self.captured_at, "captured_at"))
        object.__setattr__(self, "own_date", _clean(self.own_date, "own_date"))
        object.__setattr__(self, "own_date_from", _clean(self.own_date_from, "own_date_from"))

    @property
    def added_at(self) -> datetime:
        """When the file was added to Recourse (not when it was made)."""
        return self.captured_at

    def as_added(self, data: bytes | None) -> bytes | str:
        """``data`` if they are this file's bytes as it was added (the same SHA-256); else why
        not: NOT_FOUND (None) or CHANGED."""
        if data is None:
            return NOT_FOUND
        return data if hashlib.sha256(data).hexdigest() == self.sha256 else CHANGED

    def to_dict(self) -> dict[str, Any]:
        return {
            "blob_id": self.blob_id,
            "filename": self.filename,
            "mime": self.mime,
            "size": self.size,
            "sha256": self.sha256,
            "captured_at": _iso(self.captured_at),
            "intimate": self.intimate,
            "own_date": self.own_date,
            "own_date_from": self.own_date_from,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Attachment:
        return cls(**{**d})


@dataclass(frozen=True)
class SharedItem:
    """Something shared into the app from another one (the system share sheet) that names no
    web address: its files are kept, and it waits in the evidence log until the person says
    where it was found. ``received_at``: when it arrived, by the device's clock."""

    id: str
    received_at: datetime
    files: tuple[Attachment, ...] = ()
    title: str = ""
    text: str = ""
    skipped: tuple[str, ...] = ()  # files too large to keep: "name (size)"

    def __post_init__(self) -> None:
        object.__setattr__(self, "received_at", _dt(self.received_at, "received_at"))
        object.__setattr__(self, "title", _clean(self.title, "title"))
        object.__setattr__(self, "text", _clean(self.text, "text", limit=MAX_TEXT))

    def to_dict(self) -> dict[str, Any]:
        return {
            "received_at": _iso(self.received_at),
            "files": [a.to_dict() for a in self.files],
            "title": self.title,
            "text": self.text,
            "skipped": list(self.skipped),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SharedItem:
        return cls(
            id=d["id"],
            received_at=d["received_at"],
            files=tuple(Attachment.from_dict(a) for a in d.get("files", [])),
            title=d.get("title", ""),
            text=d.get("text", ""),
            skipped=tuple(d.get("skipped", [])),
        )


@dataclass(frozen=True)
class EvidenceItem:
    id: str
    case_id: str
    url: str
    platform: str
    found_at: datetime
    notes: str = ""
    status: str = "found"
    attachments: tuple[Attachment, ...] = ()
    logged_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # When it was last seen to be gone: marked removed, or checked again later.
    gone_at: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", validate_url(self.url))
        object.__setattr__(self, "platform", _clean(self.platform, "platform"))
        object.__setattr__(self, "found_at", _dt(self.found_at, "found_at"))
        object.__setattr__(self, "logged_at", _dt(self.logged_at, "logged_at"))
        if self.gone_at is not None:
            object.__setattr__(self, "gone_at", _dt(self.gone_at, "gone_at"))
        object.__setattr__(self, "notes", _clean(self.notes, "notes", limit=MAX_TEXT))
        if self.status not in EVIDENCE_STATUSES:
            raise DomainError(
                "status", N_("must be one of {choices}."), choices=", ".join(EVIDENCE_STATUSES)
            )
        object.__setattr__(self, "attachments", tuple(self.attachments))

    @classmethod
    def new(
        cls,
        *,
        id: str,
        case_id: str,
        url: str,
        platform: str,
        found_at: object,
        notes: str = "",
        now: datetime,
    ) -> EvidenceItem:
        found = _dt(found_at, "found_at")
        _not_future(found, now, "found_at")
        return cls(
            id=id,
            case_id=case_id,
            url=url,
            platform=platform,
            found_at=found,
            notes=notes,
            logged_at=now,
        )

    def can_move_to(self, status: str) -> bool:
        return status in _EVIDENCE_NEXT.get(self.status, set())

    @property
    def next_statuses(self) -> tuple[str, ...]:
        """The statuses this entry can be moved to, in the log's own order."""
        return tuple(s for s in EVIDENCE_STATUSES if self.can_move_to(s))

    @property
    def online(self) -> bool:
        """Still up as far as the person knows, and not reported yet: found, or back again."""
        return self.status in ("found", "reappeared")

    def moved_to(self, status: str, now: datetime | None = None) -> EvidenceItem:
        if status == self.status:
            return self
        if status not in _EVIDENCE_NEXT.get(self.status, set()):
            raise DomainError(
                "status", N_("cannot go from {old} to {new}."), old=self.status, new=status
            )
        gone = _aware(now) if status == "removed" and now is not None else None
        return replace(self, status=status, gone_at=gone)

    def checked_gone(self, now: datetime) -> EvidenceItem:
        """Looked again, and it is still gone: the next check is a while from now."""
        if self.status != "removed":
            raise DomainError(
                "status", N_("only an address marked removed can be checked as gone.")
            )
        return replace(self, gone_at=_aware(now))

    @property
    def recheck_at(self) -> datetime:
        return (self.gone_at or self.logged_at) + RECHECK_REMOVED_AFTER

    def with_attachment(self, att: Attachment) -> EvidenceItem:
        return replace(self, attachments=(*self.attachments, att))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "case_id": self.case_id,
            "url": self.url,
            "platform": self.platform,
            "found_at": _iso(self.found_at),
            "notes": self.notes,
            "status": self.status,
            "attachments": [a.to_dict() for a in self.attachments],
            "logged_at": _iso(self.logged_at),
            "gone_at": _iso(self.gone_at),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EvidenceItem:
        return cls(
            id=d["id"],
            case_id=d["case_id"],
            url=d["url"],
            platform=d.get("platform", ""),
            found_at=d["found_at"],
            notes=d.get("notes", ""),
            status=d.get("status", "found"),
            attachments=tuple(Attachment.from_dict(a) for a in d.get("attachments", [])),
            logged_at=d.get("logged_at") or d["found_at"],
            gone_at=d.get("gone_at"),
        )


RECHECK_REMOVED_AFTER = timedelta(days=30)


# When nothing else is known about a request, a week is a sensible time to check again. The
# legal deadlines themselves come from each notice's template (content/notices.toml).
DEFAULT_FOLLOW_UP = timedelta(days=7)
DEFAULT_LABEL = "Reply due"


def add_period(when: datetime, amount: int, unit: str) -> datetime:
    """``when`` plus hours, days or calendar months (31 January + 1 month = 28/29 February)."""
    if unit == "hours":
        return when + timedelta(hours=amount)
    if unit == "days":
        return when + timedelta(days=amount)
    if unit == "months":
        months = when.month - 1 + amount
        year, month = when.year + months // 12, months % 12 + 1
        last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
        return when.replace(year=year, month=month, day=min(when.day, last))
    raise ValueError(f"unknown unit {unit!r}")


@dataclass(frozen=True)
class RemovalRequest:
    id: str
    case_id: str
    kind: str
    recipient: str
    urls: tuple[str, ...]
    sent_at: datetime
    status: str = "sent"
    due_at: datetime | None = None
    ticket_number: str = ""
    notes: str = ""
    text: str = ""  # the notice as sent, kept for the record
    # (label, when) for every answer the law or the app expects, soonest first
    deadlines: tuple[tuple[str, datetime], ...] = ()
    done: tuple[str, ...] = ()  # labels of the deadlines the person has dealt with
    replies: tuple[Attachment, ...] = ()  # their answers, kept as files (.eml, PDF, screenshot)

    def __post_init__(self) -> None:
        object.__setattr__(self, "replies", tuple(self.replies))
        object.__setattr__(self, "kind", _clean(self.kind, "kind", required=True))
        object.__setattr__(self, "recipient", _clean(self.recipient, "recipient", required=True))
        urls = tuple(validate_url(u, "urls") for u in self.urls)
        if not urls:
            raise DomainError("urls", N_("add at least one web address."))
        if len(urls) > MAX_URLS:
            raise DomainError(
                "urls", N_("at most {count} addresses in one request."), count=MAX_URLS
            )
        object.__setattr__(self, "urls", urls)
        object.__setattr__(self, "sent_at", _dt(self.sent_at, "sent_at"))
        deadlines = tuple(
            sorted(
                (
                    (_clean(str(label), "deadlines"), _dt(when, "deadlines"))
                    for label, when in self.deadlines
                ),
                key=lambda d: d[1],
            )
        )
        if self.due_at is not None:
            object.__setattr__(self, "due_at", _dt(self.due_at, "due_at"))
        elif deadlines:
            object.__setattr__(self, "due_at", deadlines[0][1])
        else:
            object.__setattr__(self, "due_at", self.sent_at + DEFAULT_FOLLOW_UP)
        if not deadlines:  # a request saved before deadlines were kept
            deadlines = ((DEFAULT_LABEL, self.due_at),)
        object.__setattr__(self, "deadlines", deadlines)
        labels = {label for label, _ in deadlines}
        object.__setattr__(self, "done", tuple(x for x in dict.fromkeys(self.done) if x in labels))
        if self.status not in REQUEST_STATUSES:
            raise DomainError(
                "status", N_("must be one of {choices}."), choices=", ".join(REQUEST_STATUSES)
            )
        object.__setattr__(self, "ticket_number", _clean(self.ticket_number, "ticket_number"))
        object.__setattr__(self, "notes", _clean(self.notes, "notes", limit=MAX_TEXT))
        object.__setattr__(self, "text", _clean(self.text, "text", limit=2 * MAX_TEXT))

    @property
    def open(self) -> bool:
        return self.status in ("sent", "acknowledged", "reappeared")

    @property
    def pending(self) -> tuple[tuple[str, datetime], ...]:
        """The deadlines still to follow up: none once the request is settled."""
        if not self.open:
            return ()
        return tuple(d for d in self.deadlines if d[0] not in self.done)

    def deadline_done(self, label: str, done: bool = True) -> RemovalRequest:
        """Mark one deadline dealt with, or (``done=False``) bring it back to the follow-ups."""
        if done:
            if label not in {x for x, _ in self.pending}:
                raise DomainError("deadline", N_("this follow-up is no longer open."))
            return replace(self, done=(*self.done, label))
        if not self.open or label not in self.done:
            raise DomainError("deadline", N_("this follow-up is not marked as dealt with."))
        return replace(self, done=tuple(x for x in self.done if x != label))

    def with_status(self, status: str, ticket_number: str | None = None) -> RemovalRequest:
        if status not in REQUEST_STATUSES:
            raise DomainError(
                "status", N_("must be one of {choices}."), choices=", ".join(REQUEST_STATUSES)
            )
        return replace(
            self,
            status=status,
            ticket_number=self.ticket_number if ticket_number is None else ticket_number,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "case_id": self.case_id,
            "kind": self.kind,
            "recipient": self.recipient,
            "urls": list(self.urls),
            "sent_at": _iso(self.sent_at),
            "status": self.status,
            "due_at": _iso(self.due_at),
            "ticket_number": self.ticket_number,
            "notes": self.notes,
            "text": self.text,
            "deadlines": [[label, _iso(when)] for label, when in self.deadlines],
            "done": list(self.done),
            "replies": [a.to_dict() for a in self.replies],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RemovalRequest:
        return cls(
            **{
                **d,
                "urls": tuple(d.get("urls", ())),
                "deadlines": tuple(tuple(x) for x in d.get("deadlines", ())),
                "done": tuple(str(x) for x in d.get("done", ())),
                "replies": tuple(Attachment.from_dict(a) for a in d.get("replies", ())),
            }
        )

    def with_reply(self, att: Attachment) -> RemovalRequest:
        return replace(self, replies=(*self.replies, att))

    def without_reply(self, blob_id: str) -> RemovalRequest:
        return replace(self, replies=tuple(a for a in self.replies if a.blob_id != blob_id))


class Line:
    """A line the app writes in a case's timeline: an English ``template`` (marked ``N_()``
    where it is written) with its values apart, so that a screen says it in the person's
    language, while ``text`` is the English the record and its reports keep. A value named in
    ``words`` is itself a marked phrase (a status, a deadline's label); a value may be a Line."""

    def __init__(self, template: str, words: tuple[str, ...] = (), **values: Any):
        self.template, self.words, self.values = template, tuple(words), values

    @property
    def text(self) -> str:
        return self.said()

    def said(self, say: Callable[[str], str] = lambda s: s) -> str:
        """The line in ``say``'s language (English by default)."""
        values = {
            k: v.said(say) if isinstance(v, Line) else say(v) if k in self.words else v
            for k, v in self.values.items()
        }
        try:
            return say(self.template).format(**values)
        except (KeyError, IndexError, ValueError):  # a translation that does not fit: English
            return self.template.format(**values)

    def to_dict(self) -> dict[str, Any]:
        values = {k: v.to_dict() if isinstance(v, Line) else v for k, v in self.values.items()}
        return {"template": self.template, "words": list(self.words), "values": values}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Line:
        if not isinstance(d, dict) or not isinstance(d.get("template"), str):
            raise DomainError("line", N_("is not a line of the record."))
        values = {
            k: cls.from_dict(v) if isinstance(v, dict) else v
            for k, v in dict(d.get("values") or {}).items()
        }
        return cls(d["template"], tuple(d.get("words") or ()), **values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Line) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(self.template)

    def __repr__(self) -> str:
        return f"Line({self.text!r})"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class TimelineEntry:
    """A dated line of a case: the person's own note (``text`` alone), or one the app wrote
    (``line``, said in the person's language; ``text`` its English, as recorded)."""

    id: str
    case_id: str
    when: datetime
    text: str
    line: Line | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "when", _dt(self.when, "when"))
        object.__setattr__(self, "text", _clean(self.text, "text", required=True, limit=MAX_TEXT))

    def said(self, say: Callable[[str], str]) -> str:
        """The line in ``say``'s language: the app's own lines are; the person's notes, and
        lines written before lines were kept apart from their values, are as written."""
        return self.line.said(say) if self.line is not None else self.text

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "case_id": self.case_id, "when": _iso(self.when), "text": self.text}
        if self.line is not None:
            d["line"] = self.line.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TimelineEntry:
        d = dict(d)
        line = d.pop("line", None)
        return cls(**d, line=Line.from_dict(line) if line is not None else None)


@dataclass(frozen=True)
class ChecklistProgress:
    """Which checklist items are done. Unknown ids (from older content) are kept, not lost."""

    done: frozenset[str] = frozenset()

    def toggled(self, item_id: str, value: bool) -> ChecklistProgress:
        return ChecklistProgress(self.done | {item_id} if value else self.done - {item_id})

    def count(self, item_ids: list[str]) -> tuple[int, int]:
        return sum(1 for i in item_ids if i in self.done), len(item_ids)

    def to_dict(self) -> dict[str, Any]:
        return {"done": sorted(self.done)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ChecklistProgress:
        return cls(frozenset(str(x) for x in d.get("done", [])))


# Step progress on the guidance cards has the same shape and rules as the checklist.
StepProgress = ChecklistProgress


@dataclass(frozen=True)
class FollowUp:
    when: datetime
    overdue: bool
    text: str
    request_id: str | None = None
    evidence_id: str | None = None
    case_id: str = ""
    kind: str = ""  # the request's notice kind, when it is a request's deadline
    label: str = ""  # the request's deadline, when it is one
    recheck: bool = False  # looking again that something removed is still gone
    # what ``text`` is made of, for a screen that says it in another language
    recipient: str = ""
    addresses: int = 0
    url: str = ""

    @property
    def id(self) -> str:
        """Which follow-up this is, across refreshes: a request's deadline, or an entry's."""
        if self.request_id:
            return f"request:{self.request_id}:{self.label}"
        return f"evidence:{self.evidence_id}"


def _deadline(r: RemovalRequest, label: str, when: datetime, now: datetime) -> FollowUp:
    return FollowUp(
        when,
        when <= now,
        f"{label}: {r.recipient} ({len(r.urls)} address(es))",
        request_id=r.id,
        case_id=r.case_id,
        kind=r.kind,
        label=label,
        recipient=r.recipient,
        addresses=len(r.urls),
    )


def dealt_with(requests: list[RemovalRequest], now: datetime) -> list[FollowUp]:
    """The deadlines of open requests that the person marked dealt with (they can bring one
    back), soonest first."""
    now = _aware(now)
    out = [
        _deadline(r, label, when, now)
        for r in requests
        if r.open
        for label, when in r.deadlines
        if label in r.done
    ]
    return sorted(out, key=lambda f: f.when)


def follow_ups(
    requests: list[RemovalRequest], evidence: list[EvidenceItem], now: datetime
) -> list[FollowUp]:
    """What is due or overdue, soonest first."""
    now = _aware(now)
    out: list[FollowUp] = []
    for r in requests:
        out += [_deadline(r, label, when, now) for label, when in r.pending]
    for e in evidence:
        if e.status == "removed":
            when = e.recheck_at
            out.append(
                FollowUp(
                    when,
                    when <= now,
                    f"Check again that it is still gone: {e.url}",
                    evidence_id=e.id,
                    case_id=e.case_id,
                    recheck=True,
                    url=e.url,
                )
            )
        elif e.online:
            out.append(
                FollowUp(
                    e.found_at,
                    True,
                    f"Not reported yet: {e.url}",
                    evidence_id=e.id,
                    case_id=e.case_id,
                    url=e.url,
                )
            )
    return sorted(out, key=lambda f: f.when)


BACKUP_EVERY = timedelta(days=7)


def backup_due(last_backup: datetime | None, evidence: list[EvidenceItem], now: datetime) -> bool:
    """Whether to offer a backup: evidence was logged since the last one, and there has been
    none (or none for a week). Offered, never required."""
    newest = max((e.logged_at for e in evidence), default=None)
    if newest is None or (last_backup is not None and newest <= _aware(last_backup)):
        return False
    return last_backup is None or _aware(now) - _aware(last_backup) >= BACKUP_EVERY
