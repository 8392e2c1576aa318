"""Cases: start, rename, pick the current one, case numbers, and the case's timeline notes."""

from __future__ import annotations

from datetime import datetime

from ..domain import CASE_NUMBER_KINDS, Case, CaseNumber, DomainError, Line, TimelineEntry
from ..domain.chain import make_content
from ..i18n import N_, _
from ..vault import new_id
from .prefs import Settings
from .records import T_CASE, T_SETTINGS, T_TIMELINE
from .session import SaveResult, Session


class Cases:
    def __init__(self, session: Session):
        self.session = session

    async def all(self) -> list[Case]:
        items, _ = await self.session.all(T_CASE, Case.from_dict)
        return sorted(items, key=lambda c: c.created_at)

    async def get(self, case_id: str) -> Case:
        case = await self.session.one(T_CASE, case_id, Case.from_dict)
        if case is None:
            raise KeyError(f"no case {case_id!r}")
        return case

    async def ensure(self) -> Case:
        """The person's first case, made on demand so every record has a home."""
        cases = await self.all()
        if cases:
            return cases[0]
        case = Case(id=new_id(), title=_("My case"), created_at=self.session.clock())
        await self._started(case, note=False)
        return case

    async def new(self, title: str, jurisdiction: str = "") -> tuple[SaveResult, Case | None]:
        """Start another case (another site, another person, another year) and make it current."""
        try:
            case = Case(new_id(), title, jurisdiction, created_at=self.session.clock())
        except DomainError as exc:
            return SaveResult.refused(exc), None
        await self._started(case, note=True)
        await self.select(case.id)
        return SaveResult(True), case

    async def _started(self, case: Case, note: bool) -> None:
        text = Line(N_("Case started: {title}"), title=case.title)
        rows = [await self.session.row(T_CASE, case.id, case.to_dict())]
        if note:
            rows.append(await self.session.note_row(case.id, text))
        await self.session.commit(
            rows,
            events=(
                make_content(
                    "case.started",
                    text.text,
                    case=case.id,
                    record=case.id,
                    data={"title": case.title, "jurisdiction": case.jurisdiction},
                ),
            ),
        )

    async def edit(self, case_id: str, title: str, jurisdiction: str = "") -> SaveResult:
        case = await self.get(case_id)
        try:
            edited = Case(case.id, title, jurisdiction, case.case_numbers, case.created_at)
        except DomainError as exc:
            return SaveResult.refused(exc)
        if (edited.title, edited.jurisdiction) == (case.title, case.jurisdiction):
            return SaveResult(True)
        await self.session.commit(
            [await self.session.row(T_CASE, case.id, edited.to_dict())],
            events=(
                make_content(
                    "case.edited",
                    f"Case details changed: {edited.title}"
                    + (f" ({edited.jurisdiction})" if edited.jurisdiction else ""),
                    case=case.id,
                    record=case.id,
                    data={
                        "title": edited.title,
                        "jurisdiction": edited.jurisdiction,
                        "before": {"title": case.title, "jurisdiction": case.jurisdiction},
                    },
                ),
            ),
        )
        return SaveResult(True)

    async def select(self, case_id: str) -> SaveResult:
        await self.get(case_id)  # refuses an unknown id
        s = Settings.from_dict(await self.session.single(T_SETTINGS))
        s.current_case = case_id
        await self.session.put_single(T_SETTINGS, s.to_dict())
        return SaveResult(True)

    async def add_number(
        self,
        case_id: str,
        kind: str,
        organisation: str,
        number: str,
        date: str = "",
        contact: str = "",
    ) -> SaveResult:
        try:
            cn = CaseNumber.new(
                kind, organisation, number, date, contact, self.session.clock().date()
            )
        except DomainError as exc:
            return SaveResult.refused(exc)
        case = await self.get(case_id)
        # who gave it: the organisation as typed, else the kind of number (a marked phrase)
        who, words = (
            (cn.organisation, ()) if cn.organisation else (CASE_NUMBER_KINDS[cn.kind], ("who",))
        )
        text = Line(N_("Case number added: {number} ({who})"), words, number=cn.number, who=who)
        return await self.session.save(
            T_CASE,
            case.with_number(cn).to_dict(),
            case=case_id,
            event="case.number_added",
            text=text,
            data=cn.to_dict(),
        )

    # ---- the timeline: the person's own dated notes, and lines the app writes -------------------
    async def timeline(self, case_id: str | None = None) -> list[TimelineEntry]:
        items, _ = await self.session.all(T_TIMELINE, TimelineEntry.from_dict)
        return sorted((t for t in items if case_id in (None, t.case_id)), key=lambda t: t.when)

    async def add_note(self, case_id: str, text: str, when: datetime | None = None) -> SaveResult:
        try:
            t = TimelineEntry(new_id(), case_id, when or self.session.clock(), text)
        except DomainError as exc:
            return SaveResult.refused(exc)
        await self.session.commit(
            [await self.session.row(T_TIMELINE, t.id, t.to_dict())],
            events=(
                make_content(
                    "note.added",
                    f"Note: {t.text}",
                    case=case_id,
                    record=t.id,
                    data={"when": t.when.isoformat(), "text": t.text},
                ),
            ),
        )
        return SaveResult(True)
