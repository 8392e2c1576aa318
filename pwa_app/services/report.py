"""The evidence report (PDF) and the evidence pack (one ZIP file for the police or a lawyer)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial

from .. import __version__
from ..documents import warm_up
from ..documents.pack import PackFile, evidence_pack
from ..documents.report import Progress, ReportData, notices_as_sent, report_pdf
from ..domain import Line
from ..domain.chain import ChainError, ForkedHistory, HistoryEntry, verify_chain
from ..domain.content_types import translated
from ..i18n import N_, Translator, current
from ..platform import in_browser
from .cases import Cases
from .evidence import Evidence
from .fonts import fonts_for
from .requests import Requests
from .session import Session
from .zone import device_zone


def since(exc: ChainError, entries: list[HistoryEntry]) -> str:
    """When the history stopped checking out: the time of the entry the problem is at."""
    if isinstance(exc, ForkedHistory):
        return exc.fork.at
    return next((e.at for e in entries if e.seq == exc.seq), "")


@dataclass(frozen=True)
class Made:
    """A report or a pack, and the files the record lists that could not be read back as they
    were added (blob id → NOT_FOUND or CHANGED): it names each of them, and so should the screen.
    """

    data: bytes
    unread: dict[str, str]


# (English: what the report's reader has always been told; said in the report's language)
UNOPENED = (
    N_("{count} history entry could not be opened: the stored record was damaged or changed."),
    N_("{count} history entries could not be opened: the stored record was damaged or changed."),
)
READING = 0.3  # the share of the progress bar for reading every file back, before the PDF


def _after_reading(progress: Progress | None) -> Progress | None:
    """The PDF's own progress, on the rest of the bar."""
    return None if progress is None else lambda f: progress(READING + (1 - READING) * f)


class Reports:
    def __init__(self, session: Session, cases: Cases, evidence: Evidence, requests: Requests):
        self.session = session
        self.cases = cases
        self.evidence = evidence
        self.requests = requests

    async def data(
        self,
        case_id: str,
        include_images: bool = False,
        prepared_by: str = "",
        files: list[PackFile] | None = None,
        progress: Progress | None = None,
        say: Translator | None = None,
    ) -> ReportData:
        """Everything about one case that a report shows, with the whole history checked and
        every file the record lists read back against the fingerprint it had when it was added
        (so that the report says of each only what was checked). ``files``: where to put each
        file read, for a pack; ``progress``: told after each file (up to READING); ``say``: the
        report's language (by default the screen's)."""
        say = say or current()
        history = self.session.history

        async def chain_read() -> tuple[tuple[list[HistoryEntry], int], HistoryEntry | None]:
            return await history.entries(), await history.head()  # (the head after, as before)

        # Read side by side: in the browser each read waits on storage and WebCrypto.
        case, evidence, requests, ((entries, damaged), head), timeline = await asyncio.gather(
            self.cases.get(case_id),
            self.evidence.all(case_id),
            self.requests.all(case_id),
            chain_read(),
            self.cases.timeline(case_id),
        )
        images: dict[str, bytes] = {}
        unread: dict[str, str] = {}  # the report and the pack name each, never leave it out
        kept = [(a, include_images) for e in evidence for a in e.attachments]
        kept += [(a, False) for r in requests for a in r.replies]
        drawn = iter([picture for _a, picture in kept])  # (read back in the same order)
        n = 0
        async for a, got in self.session.read_back_all([a for a, _picture in kept]):
            n, picture = n + 1, next(drawn)
            if progress is not None:
                progress(READING * n / len(kept))
            if isinstance(got, str):
                unread[a.blob_id] = got
                continue
            if files is not None:
                files.append(PackFile(a.blob_id, got))
            if picture:
                images[a.blob_id] = await _printable(got)
        # A history that does not check out never stops the report: it is made, and its first
        # page says what failed and since when (no report says intact when it is not).
        chain, problem, problem_said, problem_since = None, "", "", ""
        try:
            if damaged:
                raise ChainError(Line(UNOPENED[damaged > 1], count=damaged))
            chain = verify_chain(entries, head.hash if head else None)
        except ChainError as exc:
            problem, problem_since = str(exc), since(exc, entries)
            problem_said = "" if say.english else exc.said(say)
        zone, zone_name = device_zone()
        return ReportData(
            case=case,
            evidence=tuple(evidence),
            requests=tuple(requests),
            timeline=tuple(timeline),
            images=images,
            unread=unread,
            notice_titles={n.id: n.title for n in self.session.content.notices},
            notice_names={n.id: n.formal for n in self.session.content.notices},
            history=tuple(entries),
            chain=chain,
            history_problem=problem,
            history_problem_said=problem_said,
            history_problem_since=problem_since,
            zone=zone,
            zone_name=zone_name,
            prepared_by=" ".join(prepared_by.split())[:200],
            words=translated(self.session.content.report, say),
            version=__version__,
            say=say,
        )

    async def warm_up(self) -> None:
        """Get the PDF maker ready (its import is the slowest of the app), off the screen's way."""
        await _off_loop(warm_up)

    async def report(
        self,
        case_id: str,
        include_images: bool = False,
        progress: Progress | None = None,
        prepared_by: str = "",
        say: Translator | None = None,
    ) -> Made:
        data = await self.data(case_id, include_images, prepared_by, progress=progress, say=say)
        await fonts_for(*data.texts())
        pdf = await _off_loop(report_pdf, data, self.session.clock(), _after_reading(progress))
        return Made(pdf, data.unread)

    async def pack(
        self,
        case_id: str,
        progress: Progress | None = None,
        prepared_by: str = "",
        say: Translator | None = None,
    ) -> Made:
        """One ZIP: the report, every attached file as it was added, each notice as it was
        sent, each answer kept as a file, a manifest, and the history (this case's entries
        whole, others by their hashes)."""
        files: list[PackFile] = []
        data = await self.data(
            case_id, prepared_by=prepared_by, files=files, progress=progress, say=say
        )
        await fonts_for(*data.texts())
        now = self.session.clock()
        pdf = await _off_loop(report_pdf, data, now, _after_reading(progress))
        title, sent = notices_as_sent(data)
        from ..documents.pdf import texts_pdf  # fpdf2: only when a PDF is made

        made = partial(texts_pdf, title, sent, now, lang=data.say.language, say=data.say)
        notices = await _off_loop(made) if sent else None
        return Made(await _off_loop(evidence_pack, data, pdf, files, now, notices), data.unread)


async def _off_loop(fn, *args):
    """Long CPU work off the event loop natively, so the screen (and Quick exit) stay live; the
    browser has no threads, and its page handles Quick exit itself."""
    if in_browser():
        return fn(*args)
    return await asyncio.to_thread(fn, *args)


async def _printable(picture: bytes) -> bytes:
    """Inside the browser a PDF can hold JPEG only (no image library there): other pictures are
    converted by the browser itself. Natively fpdf2 reads every format."""
    if in_browser() and not picture.startswith(b"\xff\xd8"):
        from ..images_browser import to_jpeg

        return await to_jpeg(picture) or picture
    return picture
