"""A real session of the app's services (a fake store only where the device would be): a case
with a case number, evidence with files, a status change, a request sent and answered, a
follow-up done, a file removed, a note, and a second case that a pack for the first must not
reveal."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from conftest import FAST_KDF
from PIL import Image

from pwa_app.services import Services
from pwa_app.vault import MemoryStorage

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


class Clock:
    """Moves a minute on at every reading, as a person's session would."""

    def __init__(self, start: datetime = START):
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def picture(seed: int, size: int = 48) -> bytes:
    im = Image.new("RGB", (size, size), (seed * 37 % 256, seed * 91 % 256, 120))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


async def real_session(storage=None, passphrase: str = "pw") -> tuple[Services, str, str]:
    """(services, the case's id, the other case's id)."""
    app = Services(storage or MemoryStorage(), clock=Clock(), kdf=FAST_KDF)
    await app.session.create(passphrase)
    case = await app.cases.ensure()
    assert (await app.cases.add_number(case.id, "police", "Met Police", "CAD 4471/26")).ok
    ok, a = await app.evidence.log(case.id, "https://bad.example/a", "Bad site", None, "first")
    assert ok.ok
    ok, b = await app.evidence.log(case.id, "https://bad.example/b", "Bad site", None)
    assert (await app.evidence.attach(a.id, "screenshot 1.jpg", picture(1), "image/jpeg")).ok
    assert (await app.evidence.attach(a.id, "screenshot 2.jpg", picture(2), "image/jpeg")).ok
    assert (await app.evidence.attach(b.id, "wrong one.jpg", picture(3), "image/jpeg")).ok
    item_b = await app.evidence.get(b.id)
    assert (await app.evidence.remove_file(b.id, item_b.attachments[0].blob_id)).ok
    notice = app.requests.render(
        "platform",
        {
            "recipient": "Bad site",
            "urls": "https://bad.example/a\nhttps://bad.example/b",
            "description": "two photos of me",
        },
    )
    req = await app.requests.mark_sent(case.id, notice)
    assert (await app.requests.update(req.id, "acknowledged", "T-99")).ok
    assert (await app.requests.follow_up_done(req.id, req.deadlines[0][0])).ok
    assert (await app.requests.update(req.id, "removed", notes="Removed, they said.")).ok
    assert (await app.evidence.set_status(a.id, "removed")).ok
    assert (await app.evidence.still_gone(a.id)).ok
    assert (await app.cases.add_note(case.id, "Called the helpline")).ok
    ok, other = await app.cases.new("Someone else's case", "UK")
    await app.evidence.log(other.id, "https://private.example/other", "Secret", None)
    await app.cases.select(case.id)
    return app, case.id, other.id


async def fork(app: Services, case_id: str) -> None:
    """Fork the record's history on purpose, as two open windows did before appends checked
    the head: window A logs an address; window B, whose idea of the head is one entry behind,
    logs another after the same entry, and then goes on (its head is the record's head)."""
    from pwa_app.domain import EvidenceItem
    from pwa_app.domain.chain import make_content, next_entry
    from pwa_app.services.records import T_EVIDENCE, T_HEAD, T_HISTORY
    from pwa_app.vault import new_id

    s = app.session
    seen_by_b = await app.history.head()
    ok, _a = await app.evidence.log(case_id, "https://fork.example/a", "Window A", None)
    assert ok.ok
    now = s.clock()
    item = EvidenceItem.new(
        id=new_id(),
        case_id=case_id,
        url="https://fork.example/b",
        platform="Window B",
        found_at=now,
        now=now,
    )
    entry = next_entry(
        seen_by_b,
        s.clock(),
        make_content(
            "evidence.logged",
            f"Evidence logged: {item.url}",
            case=case_id,
            record=item.id,
            data={"url": item.url},
        ),
    )
    await s.vault.put_rows(
        [
            await s.row(T_EVIDENCE, item.id, item.to_dict()),
            await s.row(T_HISTORY, new_id(), entry.to_dict()),
            await s.row(T_HEAD, "history-head", {"entry": entry.to_dict()}),
        ]
    )
    assert (await app.cases.add_note(case_id, "Window B goes on")).ok
