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
    app = Services(storage or MemoryStorage(), clock=Clock(), kdf=FAST_KDF, min_score=0)
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
            await s.row(T_HEAD, await s.single_id(T_HEAD), {"entry": entry.to_dict()}),
        ]
    )
    assert (await app.cases.add_note(case_id, "Window B goes on")).ok


# ---- a record such as a court would read (issue 22) --------------------------------------------
MADRID = "Europe/Madrid"
NOTES = (
    "Encontrado en un foro; el usuario «lobo_77» lo compartió con 12 personas.",
    "تم العثور على الصورة في 3 مواقع (انظر الرابط)",
    "मेरी तस्वीरें बिना अनुमति के पोस्ट की गईं",
    "Reposted with a caption 😢🔥 by the same account",
)


def png_shot(seed: int) -> bytes:
    im = Image.new("RGB", (60, 120), (seed * 53 % 256, 80, seed * 29 % 256))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def jpeg_taken(seed: int, when: str, offset: str = "") -> bytes:
    """A JPEG whose camera data says when it was taken ("2026:06:03 22:14:05")."""
    im = Image.new("RGB", (90, 60), (seed * 37 % 256, 140, 60))
    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = when
    if offset:
        sub[0x9011] = offset
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif.tobytes(), quality=80)
    return buf.getvalue()


class SetClock:
    """A clock the test sets; each reading moves it on by a minute."""

    def __init__(self, start: datetime):
        self.now = start

    def set(self, when: datetime) -> None:
        self.now = when

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


async def court_record(
    storage=None, entries: int = 20, backwards: bool = False
) -> tuple[Services, str, SetClock]:
    """Several months (June to November 2026), times typed in Madrid time, files with their
    own dates (in their names, their camera data), every script in the notes, six requests with
    answers kept as files, a removed file and a removed entry, and a second, private case.
    ``backwards``: the device clock is set back once (as a person might, by hand)."""
    from zoneinfo import ZoneInfo

    madrid = ZoneInfo(MADRID)
    clock = SetClock(datetime(2026, 6, 3, 20, 0, tzinfo=UTC))
    app = Services(storage or MemoryStorage(), clock=clock, kdf=FAST_KDF, min_score=0)
    await app.session.create("pw")
    case = await app.cases.ensure()
    assert (await app.cases.edit(case.id, "Fotos publicadas sin permiso", "Spain")).ok
    assert (await app.cases.add_number(case.id, "police", "Policía Nacional", "ATD-2026-0415")).ok
    kinds = iter(["platform", "dmca", "gdpr17", "dsa16", "host", "platform"])
    values = {
        "full_name": "Lucía Fernández",
        "email": "lucia@example.org",
        "description": "fotos íntimas mías",
        "gdpr_ground": "d",
        "dsa_statement": "privacy",
        "site": "https://foro.example",
        "first_contacted": "2026-06-20",
    }
    items = []
    for i in range(entries):
        day = datetime(2026, 6, 3, 20, 30, tzinfo=UTC) + timedelta(days=8 * i)
        clock.set(day)
        found = (day - timedelta(minutes=25)).astimezone(madrid)  # typed in Madrid time
        ok, item = await app.evidence.log(
            case.id,
            f"https://foro.example/hilo/{1000 + i}",
            ["foro.example", "imgs.example", "pastes.example"][i % 3],
            found,
            NOTES[i % len(NOTES)],
        )
        assert ok.ok, ok.errors
        items.append(item)
        if i == 0:
            name = "Captura de pantalla 2026-06-03 a las 22.14.05.png"
            assert (await app.evidence.attach(item.id, name, png_shot(i), "image/png")).ok
        elif i % 4 == 1:
            taken = jpeg_taken(i, f"2026:{6 + i // 5:02d}:0{1 + i % 8} 21:0{i % 10}:00", "+02:00")
            assert (await app.evidence.attach(item.id, f"IMG_{i}.jpg", taken, "image/jpeg")).ok
        elif i % 4 == 2:
            name = f"स्क्रीनशॉट {i}.png"
            assert (await app.evidence.attach(item.id, name, png_shot(i), "image/png")).ok
        elif i % 4 == 3:
            assert (
                await app.evidence.attach(item.id, f"shot {i}.jpg", picture(i), "image/jpeg")
            ).ok
        if i == 10:  # a file added by mistake, and an entry logged by mistake
            clock.set(day + timedelta(hours=1))
            assert (await app.evidence.attach(item.id, "wrong.jpg", picture(99), "image/jpeg")).ok
            wrong = (await app.evidence.get(item.id)).attachments[-1]
            assert (await app.evidence.remove_file(item.id, wrong.blob_id)).ok
            ok, mistake = await app.evidence.log(case.id, "https://typo.example/x", "typo", None)
            assert (await app.evidence.remove(mistake.id)).ok
        if i % 3 == 2 and i < 18:  # a request for the last three addresses, and its answer
            k = i // 3 + 1
            kind = next(kinds)
            clock.set(day + timedelta(days=1))
            urls = "\n".join(x.url for x in items[-3:])
            notice = app.requests.render(
                kind, {**values, "recipient": f"Servicio {k}", "urls": urls}
            )
            req = await app.requests.mark_sent(case.id, notice)
            clock.set(day + timedelta(days=3))
            assert (await app.requests.update(req.id, "acknowledged", f"T-{k}")).ok
            reply = (
                f"From: soporte@servicio{k}.example\r\nSubject: Re: su solicitud\r\n\r\n"
                "Hemos recibido su solicitud.\r\n"
            ).encode()
            name = f"respuesta {k}.eml"
            assert (await app.requests.attach_reply(req.id, name, reply, "message/rfc822")).ok
            if k % 2:
                clock.set(day + timedelta(days=5))
                assert (await app.requests.update(req.id, "removed", notes="Retirado.")).ok
    if backwards:  # the clock set back by hand
        clock.set(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
        assert (await app.cases.add_note(case.id, "Clock wrong on this phone")).ok
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    assert (await app.cases.add_note(case.id, "Denuncia presentada en comisaría")).ok
    ok, other = await app.cases.new("Otro caso", "Spain")
    await app.evidence.log(other.id, "https://private.example/other", "Secret", None)
    await app.cases.select(case.id)
    return app, case.id, clock
