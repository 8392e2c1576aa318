"""What the screens show at once: the open vault in one pass, follow-ups, and search."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from ..domain import (
    Case,
    ChecklistProgress,
    EvidenceItem,
    FollowUp,
    RemovalRequest,
    SharedItem,
    TimelineEntry,
    backup_due,
    dealt_with,
    follow_ups,
)
from .cases import Cases
from .evidence import Evidence
from .prefs import Prefs, Settings, last_backup
from .records import T_EVIDENCE, T_REQUEST, T_SHARED, T_TIMELINE
from .requests import Requests
from .session import Session


@dataclass
class Snapshot:
    cases: list[Case]
    case: Case
    evidence: list[EvidenceItem]
    requests: list[RemovalRequest]
    all_requests: list[RemovalRequest]
    timeline: list[TimelineEntry]
    followups: list[FollowUp]
    checklist: ChecklistProgress
    steps: ChecklistProgress
    settings: Settings
    profile: dict[str, str]
    damaged: int
    backup_due: bool = False  # evidence logged since the last backup, and none for a week
    shared: list[SharedItem] = field(default_factory=list)  # shares waiting for an address
    dealt: list[FollowUp] = field(default_factory=list)  # deadlines marked dealt with


class Overview:
    def __init__(
        self, session: Session, cases: Cases, evidence: Evidence, requests: Requests, prefs: Prefs
    ):
        self.session = session
        self.cases = cases
        self.evidence = evidence
        self.requests = requests
        self.prefs = prefs

    async def snapshot(self) -> Snapshot:
        """The open vault as the screens see it: the current case's records, and follow-ups
        and the checklist across everything. Each record type is decrypted once, and the reads
        run at once (in the browser each is a round trip to IndexedDB and WebCrypto)."""
        s, p = self.session, self.prefs
        (
            cases,
            settings,
            (evidence, damaged_e),
            (requests, damaged_r),
            (timeline, damaged_t),
            checklist,
            steps,
            profile,
            (shared, _damaged_s),
        ) = await asyncio.gather(
            self.cases.all(),
            p.settings(),
            s.all(T_EVIDENCE, EvidenceItem.from_dict),
            s.all(T_REQUEST, RemovalRequest.from_dict),
            s.all(T_TIMELINE, TimelineEntry.from_dict),
            p.checklist(),
            p.steps(),
            p.profile(),
            s.all(T_SHARED, SharedItem.from_dict),
        )
        cases = cases or [await self.cases.ensure()]
        current = next((c for c in cases if c.id == settings.current_case), cases[0])
        evidence.sort(key=lambda e: e.found_at)
        requests.sort(key=lambda r: r.sent_at)
        timeline.sort(key=lambda t: t.when)
        return Snapshot(
            cases=cases,
            case=current,
            evidence=[e for e in evidence if e.case_id == current.id],
            requests=[r for r in requests if r.case_id == current.id],
            all_requests=requests,
            timeline=[t for t in timeline if t.case_id == current.id],
            followups=follow_ups(requests, evidence, s.clock()),
            dealt=dealt_with(requests, s.clock()),
            checklist=checklist,
            steps=steps,
            settings=settings,
            profile=profile,
            damaged=damaged_e + damaged_r + damaged_t,
            backup_due=backup_due(last_backup(settings), evidence, s.clock()),
            shared=sorted(shared, key=lambda x: x.received_at),
        )

    async def follow_ups(self) -> list[FollowUp]:
        return follow_ups(
            await self.requests.all(), await self.evidence.all(), self.session.clock()
        )

    async def search(self, query: str) -> list[tuple[str, str]]:
        """(where, text) pairs across cases, evidence, requests and the timeline; with more than
        one case, ``where`` says which case each is in."""
        q = query.strip().casefold()
        if not q:
            return []
        cases = await self.cases.all()
        titles = {c.id: c.title for c in cases}

        def where(kind: str, case_id: str) -> str:
            return f"{kind} (case: {titles.get(case_id, '?')})" if len(cases) > 1 else kind

        hits: list[tuple[str, str]] = []
        for c in cases:
            for n in c.case_numbers:
                if q in f"{n.number} {n.organisation} {n.contact}".casefold():
                    hits.append((where("Case number", c.id), f"{n.number} — {n.organisation}"))
            if q in c.title.casefold():
                hits.append(("Case", c.title))
        for e in await self.evidence.all():
            if q in f"{e.url} {e.platform} {e.notes}".casefold():
                hits.append((where("Evidence", e.case_id), e.url))
        for r in await self.requests.all():
            if q in f"{r.recipient} {r.ticket_number} {' '.join(r.urls)} {r.notes}".casefold():
                hits.append((where("Request", r.case_id), f"{r.recipient} ({r.status})"))
        for t in await self.cases.timeline():
            if q in t.text.casefold():
                hits.append((where("Timeline", t.case_id), t.text))
        return hits
