"""List identity in the UI: every screen, drawn by the real Flet app in this process over a vault
full of records, keeps a key on everything in a list that holds state or is repeated, so that
when the list changes, a question, a typed answer or a shown picture stays with its own item.

Flet 1.0 matches unkeyed controls by position (flet/controls/object_patch.py, "positional among
unkeyed items"), and a component's hook state follows the match. Without keys, logging a new
evidence entry moved an open "Remove this entry?" question onto the entry below, and "Yes"
removed that one (issue 19)."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import flet as ft
import pytest
from flet.components.component import Component, Renderer
from sessions import Clock, picture, real_session
from ui_harness import BUTTONS, PASS, UiApp, child_lists, text_of, walk, with_app

from pwa_app.content import load_content
from pwa_app.vault import MemoryStorage

CONTENT = load_content()
# Controls whose state lives in the control itself (typed text, a tick, a choice).
STATEFUL = (
    ft.TextField,
    ft.Checkbox,
    ft.Switch,
    ft.Radio,
    ft.RadioGroup,
    ft.Dropdown,
    ft.Slider,
    ft.Chip,
)


def key_of(c: Any) -> Any:
    return c.key


def has_handler(c: Any) -> bool:
    return any(getattr(c, f, None) is not None for f in getattr(type(c), "_event_fields", ()))


def holds_state(c: Any) -> bool:
    return any(isinstance(x, (Component, *STATEFUL)) for x in walk(c))


def holds_handlers(c: Any) -> bool:
    return any(has_handler(x) for x in walk(c))


def kind_of(c: Any) -> Any:
    return c.fn if isinstance(c, Component) else type(c)


def describe(c: Any) -> str:
    name = c.fn.__name__ if isinstance(c, Component) else type(c).__name__
    return f"{name}({text_of(c)[:60]!r})"


def unkeyed(root: Any) -> list[str]:
    """Every list item that should carry a key and does not, and every key used twice in one
    list. In a list of two or more:
    - a component or a stateful control, or anything that holds one, carries a key;
    - items of the same kind that hold handlers (repeated buttons, cards, rows) carry keys."""
    problems: list[str] = []
    for parent in walk(root):
        for field, items in child_lists(parent):
            if len(items) < 2:
                continue
            where = f"{describe(parent)}.{field}"
            keys = [key_of(c) for c in items if key_of(c) is not None]
            problems += [
                f"{where}: key {k!r} used twice" for k, n in Counter(keys).items() if n > 1
            ]
            repeated = Counter(kind_of(c) for c in items if holds_handlers(c))
            for c in items:
                if key_of(c) is not None:
                    continue
                if holds_state(c):
                    problems.append(f"{where}: {describe(c)} holds state but has no key")
                elif holds_handlers(c) and repeated[kind_of(c)] > 1:
                    problems.append(f"{where}: repeated {describe(c)} has no key")
    return problems


def run(coro):
    return asyncio.run(coro)


async def full_app(**options: Any) -> UiApp:
    """The app unlocked over a record with two cases, entries with files (pictures and not),
    case numbers, notes, requests with open, overdue and dealt-with follow-ups."""
    storage = MemoryStorage()
    svc, case_id, _other = await real_session(storage, PASS)
    ok, item = await svc.evidence.log(case_id, "https://bad.example/c", "Other site", None)
    assert ok.ok
    assert (await svc.evidence.attach(item.id, "notes.txt", b"not a picture", "text/plain")).ok
    assert (await svc.evidence.attach(item.id, "third.jpg", picture(7), "image/jpeg")).ok
    assert (await svc.cases.add_number(case_id, "platform", "Site", "T-1")).ok
    for kind, values in (
        ("dmca", {"recipient": "Host A", "urls": "https://bad.example/c"}),
        ("platform", {"recipient": "Site B", "urls": "https://bad.example/b"}),
    ):
        notice = svc.requests.render(kind, {**values, "description": "photos of me"})
        req = await svc.requests.mark_sent(case_id, notice)
        for name in ("answer.eml", "answer.eml"):  # two answers, even with one name
            assert (await svc.requests.attach_reply(req.id, name, b"Re: ok", "message/rfc822")).ok
    assert (await svc.requests.follow_up_done(req.id, req.deadlines[0][0])).ok
    svc.session.lock()
    app = await UiApp(storage=storage, clock=Clock(), **options).start(create=False)
    await app.unlock()
    return app


SCREENS = [
    "/",
    *[f"/card/{c.id}" for c in CONTENT.cards],
    "/faq",
    "/directory",
    "/trusted",
    "/evidence",
    "/photo",
    "/case",
    "/checklist",
    "/followups",
    "/requests",
    *[f"/requests/{n.id}" for n in CONTENT.notices],
    "/requests/platform?platform=meta",
    "/settings",
    "/quick-exit",
    "/no-such-place",
]


def sample(field) -> str:
    return {
        "email": "me@example.org",
        "phone": "+44 20 7946 0000",
        "url": "https://bad.example/a",
        "urls": "https://bad.example/a\nhttps://bad.example/new",
        "date": "2026-11-01",
    }.get(field.kind, "Alex Example")


async def fill_and_preview(app: UiApp, kind: str) -> None:
    """Fill every field of a request and show its preview (the screen at its fullest)."""
    t = CONTENT.notice(kind)
    for fid in t.fields:
        f = CONTENT.fields[fid]
        if f.kind == "choice":
            group = [c for c in app.find(ft.Column) if c.key == fid][0]
            radios = next(x for x in walk(group) if isinstance(x, ft.RadioGroup))
            app.session.apply_patch(radios._i, {"value": f.choices[0].id})
            await app.tap(radios, "change", f.choices[0].id)
        else:
            field = [x for x in app.find(ft.TextField) if x.key == fid][0]
            await app.type(field, sample(f))
    await app.press("Preview")
    assert "Preview" in app.screen_text()
    assert any(isinstance(b, BUTTONS) and b.key == "sent" for b in app.all()), kind


def test_every_screen_keys_what_holds_state_or_repeats():
    async def go() -> list[str]:
        app = await full_app()
        problems: list[str] = []
        try:
            for route in SCREENS:
                await app.go(route)
                problems += [f"{route}: {p}" for p in unkeyed(app.root())]
            for n in CONTENT.notices:
                await app.go(f"/requests/{n.id}")
                await fill_and_preview(app, n.id)
                problems += [f"/requests/{n.id} (preview): {p}" for p in unkeyed(app.root())]
            # the lock screen, first run with a backup chosen, the decoy
            app.actions.lock("Locked.")
            await app.settle()
            problems += [f"unlock: {p}" for p in unkeyed(app.root())]
            app.actions.quick_exit()
            await app.settle()
            problems += [f"decoy: {p}" for p in unkeyed(app.root())]
        finally:
            await app.close()
        fresh = await UiApp().start(create=False)
        try:
            problems += [f"create: {p}" for p in unkeyed(fresh.root())]
        finally:
            await fresh.close()
        return problems

    problems = run(go())
    assert not problems, "\n".join(problems)


def test_the_key_check_finds_an_unkeyed_list_of_stateful_components():
    """The check itself fails on what it is there to catch."""

    @ft.component
    def Item(label: str):
        open_, set_open = ft.use_state(False)
        return ft.TextButton(label, on_click=lambda _e: set_open(not open_))

    bare = Renderer().render(lambda: ft.Column([Item("a"), Item("b")]))
    keyed = Renderer().render(lambda: ft.Column([Item("a", key="a"), Item("b", key="b")]))
    cards = ft.Column([ft.Card(content=ft.TextButton("x", on_click=print)) for _ in range(2)])
    twice = ft.Column([ft.Text("a", key="k"), ft.Text("b", key="k")])
    fields = ft.Column([ft.TextField(label="a"), ft.Text("b")])
    assert len(unkeyed(bare)) == 2
    assert unkeyed(keyed) == []
    assert len(unkeyed(cards)) == 2
    assert unkeyed(twice) == ["Column('a\\nb').controls: key 'k' used twice"]
    assert len(unkeyed(fields)) == 1


# ---- the sequences, in this process (the browser tests repeat the first two) -------
def card_of(app: UiApp, url: str) -> Any:
    (card,) = app.holding(ft.Card, url)
    return card


async def log(app: UiApp, url: str) -> None:
    await app.field("Web address", url)
    await app.press("Save to evidence log")
    assert "Saved to your evidence log" in app.actions.store.message


def test_an_open_question_stays_with_its_entry_when_another_is_logged():
    async def go(app: UiApp) -> None:
        await app.go("/evidence")
        await log(app, "https://example.com/e1")
        await log(app, "https://example.com/e2")
        await app.press("Remove this entry", within=card_of(app, "https://example.com/e1"))
        await log(app, "https://example.com/e3")
        asking = [
            u for u in ("e1", "e2", "e3")
            if "Yes, remove it" in text_of(card_of(app, f"https://example.com/{u}"))
        ]  # fmt: skip
        assert asking == ["e1"]
        await app.press("Yes, remove it")
        left = [e.url for e in app.actions.store.evidence]
        assert left == ["https://example.com/e2", "https://example.com/e3"]

    with_app(go)


def shown_picture(app: UiApp, card: Any) -> tuple[bytes | None, bool]:
    """(the picture's bytes drawn in this card, whether it is blurred)."""
    images = [x for x in walk(card) if isinstance(x, ft.Image)]
    if not images:
        return None, False
    blurred = any(isinstance(x, ft.Container) and x.blur is not None for x in walk(card))
    return images[0].src, blurred


def test_a_shown_picture_stays_with_its_file_when_another_entry_is_logged():
    red, blue = picture(1), picture(2)

    async def go(app: UiApp) -> None:
        await app.go("/evidence")
        for url, data in (("https://example.com/e4", red), ("https://example.com/e5", blue)):
            await log(app, url)
            item = next(e for e in app.actions.store.evidence if e.url == url)
            assert (await app.service.evidence.attach(item.id, "p.jpg", data, "image/jpeg")).ok
        await app.actions.refresh()
        await app.settle()
        e4 = card_of(app, "https://example.com/e4")
        await app.press("Load blurred preview", within=e4)
        await app.press("Tap to show", within=card_of(app, "https://example.com/e4"))
        assert shown_picture(app, card_of(app, "https://example.com/e4")) == (red, False)
        await log(app, "https://example.com/e6")
        assert shown_picture(app, card_of(app, "https://example.com/e4")) == (red, False)
        assert shown_picture(app, card_of(app, "https://example.com/e5")) == (None, False)

    with_app(go)


def test_a_shown_picture_stays_with_its_file_when_a_file_before_it_is_removed():
    async def go(app: UiApp) -> None:
        await app.go("/evidence")
        await log(app, "https://example.com/files")
        item = app.actions.store.evidence[0]
        for i in (1, 2, 3):
            res = await app.service.evidence.attach(item.id, f"f{i}.jpg", picture(i), "image/jpeg")
            assert res.ok
        await app.actions.refresh()
        await app.settle()
        files = {x.filename: x for x in app.actions.store.evidence[0].attachments}

        def box(name: str) -> Any:
            """The box drawn for one file (its name and its fingerprint)."""
            (found,) = [
                c
                for c in app.all()
                if isinstance(c, Component)
                and c.fn.__name__ == "AttachedFile"
                and files[name].sha256 in text_of(c)
            ]
            return found

        await app.press("Load blurred preview", within=box("f2.jpg"))
        await app.press("Tap to show", within=box("f2.jpg"))
        await app.press("Remove f1.jpg")
        await app.press("Yes, remove it")
        assert "f1.jpg removed" in app.actions.store.message
        assert shown_picture(app, box("f2.jpg")) == (picture(2), False)
        assert shown_picture(app, box("f3.jpg")) == (None, False)

    with_app(go)


def test_a_half_typed_answer_stays_with_its_request_when_the_list_changes():
    async def go(app: UiApp) -> None:
        svc = app.service
        case = app.actions.store.case
        first = await svc.requests.mark_sent(
            case.id,
            svc.requests.render(
                "platform",
                {"recipient": "First", "urls": "https://a.example/1", "description": "x"},
            ),
        )
        await app.actions.refresh()
        await app.go("/requests")
        card = app.holding(ft.Card, "sent to First")[0]
        answer = app.one(ft.TextField, "Their answer", within=card)
        await app.type(answer, "They said they would look")
        # a request recorded meanwhile (the list gains a card above this one)
        await svc.requests.mark_sent(
            case.id,
            svc.requests.render(
                "platform",
                {"recipient": "Second", "urls": "https://a.example/2", "description": "y"},
            ),
        )
        await app.actions.refresh()
        await app.settle()
        for who, typed in (("First", "They said they would look"), ("Second", "")):
            card = app.holding(ft.Card, f"sent to {who}")[0]
            field = app.one(ft.TextField, "Their answer", within=card)
            assert (field.value or "") == typed, who
        await app.press("Save ticket and answer", within=app.holding(ft.Card, "sent to First")[0])
        saved = {r.recipient: r.notes for r in app.actions.store.requests}
        assert saved == {"First": "They said they would look", "Second": ""}
        assert first.id in {r.id for r in app.actions.store.requests}

    with_app(go)


@pytest.mark.parametrize("kind", [n.id for n in CONTENT.notices])
def test_typed_fields_stay_with_their_field_when_the_form_changes_above_them(kind):
    """Choosing a platform redraws the part of the form above the fields: what was typed stays
    in the field it was typed into."""

    async def go(app: UiApp) -> None:
        await app.go(f"/requests/{kind}")
        for f in app.find(ft.TextField):
            await app.type(f, f"typed into {f.label}")
        choose = [b for b in app.find(BUTTONS) if b.key in {p.id for p in CONTENT.platforms}]
        uses = app.find(ft.TextButton, "Write it for")
        if choose:
            await app.tap(choose[0])
        elif uses:
            await app.tap(uses[0])
        for f in app.find(ft.TextField):
            if not f.label.startswith("Send to") or not (choose or uses):
                assert f.value == f"typed into {f.label}"

    with_app(go)
