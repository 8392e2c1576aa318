"""The real Flet app in this process, with no browser: a real Flet ``Session`` and the app's own
``App`` component over a stand-in for the Flutter client, which answers method calls and sends
back route changes as the client does. Taps and typing go through Flet's own event dispatch, so
reconciliation, hook state and handlers behave as they do in the browser.

Used for what a browser cannot check cheaply: walking every screen's control tree.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import flet as ft
import msgpack
from flet.components.component import Component
from flet.controls.context import _context_page
from flet.messaging.connection import Connection
from flet.messaging.protocol import MessageAction, configure_encode_object_for_msgpack
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

from pwa_app.services import Services
from pwa_app.ui.app import App
from pwa_app.ui.state import Actions, ScreenState
from pwa_app.vault import MemoryStorage

PASS = "purple elephant dancing quietly"
_encode = configure_encode_object_for_msgpack(ft.BaseControl)


class FakeClient(Connection):
    """Stands in for Flutter: every message is encoded as on the wire (which is also what lets
    Flet track later changes), method calls are answered, and a pushed route comes back as a
    route change."""

    def __init__(self) -> None:
        super().__init__()
        self.session: Session | None = None
        self.errors: list[str] = []
        self.page_url = "http://127.0.0.1:8550"

    def send_message(self, message) -> None:
        msgpack.packb([message.action, message.body], default=_encode)
        if message.action == MessageAction.SESSION_CRASHED:
            self.errors.append(str(message.body))
        if message.action == MessageAction.INVOKE_METHOD:
            asyncio.get_running_loop().call_soon(self._answer, message.body)

    def _answer(self, body) -> None:
        assert self.session is not None
        self.session.handle_invoke_method_results(body.control_id, body.call_id, None, None)
        if body.name == "push_route":
            page = self.session.page
            route = body.args["route"]
            self.session.apply_page_patch({"route": route})
            asyncio.ensure_future(
                self.session.dispatch_event(page._i, "route_change", {"route": route})
            )


def children(c: Any) -> Iterator[Any]:
    """The controls directly under ``c`` (a component's body counts as its child)."""
    if isinstance(c, Component):
        body = c._b
        yield from body if isinstance(body, list) else [body] if body is not None else []
        return
    for f in dataclasses.fields(c):
        if f.name.startswith("_") or f.name == "parent":
            continue
        v = getattr(c, f.name, None)
        if isinstance(v, ft.BaseControl):
            yield v
        elif isinstance(v, list):
            yield from (x for x in v if isinstance(x, ft.BaseControl))


def child_lists(c: Any) -> Iterator[tuple[str, list[Any]]]:
    """Every list of controls held by ``c`` (``controls``, ``actions`` ...), by field name."""
    if isinstance(c, Component):
        if isinstance(c._b, list):
            yield "_b", c._b
        return
    for f in dataclasses.fields(c):
        if f.name.startswith("_"):
            continue
        v = getattr(c, f.name, None)
        if isinstance(v, list) and any(isinstance(x, ft.BaseControl) for x in v):
            yield f.name, [x for x in v if isinstance(x, ft.BaseControl)]


def walk(c: Any) -> Iterator[Any]:
    yield c
    for x in children(c):
        yield from walk(x)


def words(c: Any) -> str:
    """The text a control shows (its own, not its children's)."""
    out = []
    for name in ("value", "content", "label", "text", "title", "tooltip"):
        v = getattr(c, name, None)
        if isinstance(v, str):
            out.append(v)
    return " ".join(out)


def text_of(c: Any) -> str:
    """All the text shown by ``c`` and everything under it."""
    return "\n".join(t for t in (words(x) for x in walk(c)) if t)


class UiApp:
    """One session of the app, unlocked on a memory vault."""

    def __init__(self, **services: Any):
        from conftest import FAST_KDF

        services.setdefault("kdf", FAST_KDF)
        self.storage = services.pop("storage", None) or MemoryStorage()
        self.flags = services.pop("flags", None) or MemoryStorage()  # the clear UI flags
        self.device_languages = services.pop("device_languages", ["en-GB", "en"])
        self.conn = FakeClient()
        self.services = services
        self.session: Session | None = None
        self.actions: Actions | None = None

    async def start(self, create: bool = True) -> UiApp:
        loop = asyncio.get_running_loop()
        conn = self.conn
        conn.loop = loop
        conn.executor = ThreadPoolExecutor(2)
        conn.pubsubhub = PubSubHub(loop, conn.executor)
        self.session = conn.session = Session(conn)
        page = self.session.page
        _context_page.set(page)
        page.route = "/"
        msgpack.packb(self.session.get_page_patch(), default=_encode)
        self.actions = Actions(
            page=page,
            store=ScreenState(),
            services=Services(self.storage, **self.services),
            flags=self.flags,
            device_languages=self.device_languages,
        )
        page.render(lambda: App(self.actions))
        await self.until(lambda: self.actions.store.phase != "starting")
        if create:
            await self.actions.services.session.create(PASS)
            await self.actions.opened()
            await self.settle()
        return self

    async def unlock(self, passphrase: str = PASS) -> None:
        assert self.actions is not None
        await self.actions.services.session.unlock(passphrase)
        await self.actions.opened()
        await self.settle()

    async def close(self) -> None:
        if self.actions is not None:
            self.actions.services.session.lock()
        if self.session is not None:
            self.session.close()
        self.conn.executor.shutdown(wait=False)

    @property
    def page(self) -> ft.Page:
        assert self.session is not None
        return self.session.page

    @property
    def service(self) -> Services:
        assert self.actions is not None
        return self.actions.services

    # ---- time --------------------------------------------------------------------------------
    async def settle(self, rounds: int = 6) -> None:
        """Let Flet's update scheduler and any tasks a tap started run to the end."""
        for _ in range(rounds):
            await asyncio.sleep(0.01)

    async def until(self, ok: Callable[[], bool], seconds: float = 10) -> None:
        deadline = asyncio.get_running_loop().time() + seconds
        while not ok():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("the app never got there")
            await asyncio.sleep(0.01)

    # ---- what is on screen -------------------------------------------------------------------
    def root(self) -> Any:
        return self.page.views[0].controls

    def all(self) -> list[Any]:
        root = self.root()
        return [x for r in (root if isinstance(root, list) else [root]) for x in walk(r)]

    def screen_text(self) -> str:
        return "\n".join(t for t in (words(x) for x in self.all()) if t)

    def find(self, kind: type | tuple[type, ...], text: str = "", within: Any = None) -> list[Any]:
        """Controls of ``kind`` whose own text contains ``text``, in the order drawn."""
        pool = list(walk(within)) if within is not None else self.all()
        return [c for c in pool if isinstance(c, kind) and text in words(c)]

    def one(self, kind: type | tuple[type, ...], text: str = "", within: Any = None) -> Any:
        found = self.find(kind, text, within)
        assert len(found) == 1, f"{len(found)} {kind} with {text!r} on screen"
        return found[0]

    def holding(self, kind: type, text: str) -> list[Any]:
        """The nearest ``kind`` around each piece of ``text`` (the card an entry is drawn in)."""
        out = []

        def visit(c: Any, around: Any) -> None:
            if isinstance(c, kind):
                around = c
            if text in words(c) and around is not None and around not in out:
                out.append(around)
            for x in children(c):
                visit(x, around)

        root = self.root()
        for r in root if isinstance(root, list) else [root]:
            visit(r, None)
        return out

    # ---- acting ------------------------------------------------------------------------------
    async def go(self, route: str) -> None:
        await self.page.push_route(route)
        await self.until(lambda: (self.page.route or "/") == route)
        await self.settle()

    async def tap(self, control: Any, event: str = "click", data: Any = None) -> None:
        assert self.session is not None
        await self.session.dispatch_event(control._i, event, data)
        await self.settle()
        assert not self.conn.errors, self.conn.errors

    async def type(self, field: ft.TextField, text: str) -> None:
        assert self.session is not None
        self.session.apply_patch(field._i, {"value": text})
        await self.tap(field, "change", text)

    async def field(self, label: str, text: str) -> None:
        await self.type(self.one(ft.TextField, label), text)

    async def press(self, label: str, within: Any = None) -> None:
        """Tap the one button showing ``label``."""
        await self.tap(self.one(BUTTONS, label, within))


def with_app(body: Callable[[UiApp], Any], **options: Any) -> None:
    """Run ``body(app)`` on a freshly started app (a new vault), and close it after."""

    async def go() -> None:
        app = await UiApp(**options).start()
        try:
            await body(app)
        finally:
            await app.close()

    asyncio.run(go())


BUTTONS = (
    ft.FilledButton,
    ft.FilledTonalButton,
    ft.OutlinedButton,
    ft.TextButton,
    ft.IconButton,
    ft.Button,
)
