"""The app: one lock gate in front of every route (the router "auth_page" pattern)."""

from __future__ import annotations

import asyncio
import importlib
import time

import flet as ft

from .. import bootstrap
from ..i18n import _
from ..platform import SCREEN_FONT, in_browser
from .case import CaseScreen
from .common import PAD, go, one_moment, para, screen
from .evidence import EvidenceScreen
from .guide import CardScreen, Directory, FaqScreen, Home, QuickExitInfo, Trusted
from .lock import Decoy, ExitRoute, LockScreen
from .page_bridge import PageBridge
from .photo_screen import PhotoScreen
from .record import ChecklistScreen, FollowUps
from .requests import NoticeForm, RequestsHome
from .settings import SettingsScreen
from .state import Actions, Ctx, ScreenState, StoreCtx, use_actions

ESCAPE_WINDOW = 1.5  # seconds between the two Escape presses
# Flet imports a control's module the first time the app names it. In the browser, the lock
# screen's and home's (the theme's alone: about 0.7 s on the phone set-up) would be imported
# after Flutter has asked for the first screen, on the way to it; ``preload`` imports them
# while Flutter is still starting (tests/test_ui_start.py: none is left for later).
FIRST_SCREENS = (
    *("Theme", "SafeArea", "Semantics", "Container", "Column", "Row", "ListView", "Divider"),
    *("Text", "TextSpan", "TextField", "AutofillGroup", "Icon", "Icons", "Card", "ListTile"),
)
HIDDEN_STATES = {ft.AppLifecycleState.HIDE, ft.AppLifecycleState.PAUSE, ft.AppLifecycleState.DETACH}


@ft.component
def Gate():
    """Nothing behind the gate renders unless the vault is open."""
    actions = use_actions()
    outlet = ft.use_route_outlet()
    return closed_screen(actions) or outlet


def closed_screen(actions: Actions) -> ft.Control | None:
    """What shows while the vault is not open, whatever the address; None when it is open."""
    phase = actions.store.phase
    if phase == "starting":
        return ft.Container(
            expand=True, alignment=ft.Alignment.CENTER, padding=PAD, content=one_moment()
        )
    if phase == "decoy":
        return Decoy()
    if phase in ("create", "unlock"):
        return LockScreen()
    return None


ROUTES = [
    ft.Route(
        component=Gate,
        children=[
            ft.Route(index=True, component=Home),
            ft.Route(path="notes", component=ExitRoute),
            ft.Route(path="card/:card_id", component=CardScreen),
            ft.Route(path="faq", component=FaqScreen),
            ft.Route(path="directory", component=Directory),
            ft.Route(path="trusted", component=Trusted),
            ft.Route(path="evidence", component=EvidenceScreen),
            ft.Route(path="photo", component=PhotoScreen),
            ft.Route(path="case", component=CaseScreen),
            ft.Route(path="checklist", component=ChecklistScreen),
            ft.Route(path="followups", component=FollowUps),
            ft.Route(path="requests", component=RequestsHome),
            ft.Route(path="requests/:kind", component=NoticeForm),
            ft.Route(path="settings", component=SettingsScreen),
            ft.Route(path="quick-exit", component=QuickExitInfo),
        ],
    )
]


@ft.component
def NotFound():
    """An address that leads nowhere: behind the same gate, with the same Quick exit."""
    actions = use_actions()
    closed = closed_screen(actions)
    if closed is not None:
        return closed
    return screen(
        actions,
        _("Nothing here"),
        [
            para(_("This address does not lead to anything in the app.")),
            ft.FilledButton(_("Go to the start"), icon=ft.Icons.HOME, on_click=go(actions, "/")),
        ],
    )


@ft.component
def App(actions: Actions):
    page = actions.page
    escapes = ft.use_ref(0.0)

    def on_key(event: ft.KeyboardEvent) -> None:
        actions.touch()
        if event.key == "Escape" and not actions.dialog_open:
            now = time.monotonic()
            if now - escapes.current <= ESCAPE_WINDOW:
                escapes.current = 0.0
                actions.quick_exit()
            else:
                escapes.current = now
        else:
            escapes.current = 0.0

    def on_lifecycle(event: ft.AppLifecycleStateChangeEvent) -> None:
        if event.state in HIDDEN_STATES:
            actions.went_to_background()
        elif event.state in (ft.AppLifecycleState.SHOW, ft.AppLifecycleState.RESUME):
            actions.came_back()

    def on_disconnect(_e: ft.Event) -> None:
        # A closed or reloaded tab keeps its server session for a while (Flet's default is an
        # hour), and reopening the tab reconnects to it: lock now, so it reconnects to the lock.
        actions.lock(_("Locked because the page was closed, reloaded or lost its connection."))

    def on_connect(_e: ft.Event) -> None:
        # The same page reconnected (a network blip): it locked when the connection dropped, so
        # draw the lock screen again rather than what the page showed before.
        if actions.store.phase == "unlock":
            actions.set_phase("starting")
            actions.set_phase("unlock")

    def mount() -> None:
        page.on_keyboard_event = on_key
        page.on_app_lifecycle_state_change = on_lifecycle
        page.on_disconnect = on_disconnect
        page.on_connect = on_connect
        page.on_close = on_disconnect
        task = asyncio.create_task(actions.auto_lock_loop())
        asyncio.create_task(actions.start())
        return task

    task_ref = ft.use_ref(None)

    def setup() -> None:
        task_ref.current = mount()

    def cleanup() -> None:
        if task_ref.current:
            task_ref.current.cancel()

    ft.use_effect(setup, [], cleanup)
    return Ctx(
        actions, lambda: StoreCtx(actions.store, lambda: ft.Router(ROUTES, not_found=NotFound))
    )


# What Flet's run imports to connect to Flutter in the browser (its Pyodide connection, which
# itself needs the worker's flet_js): the page, the session, the message format (msgpack).
CONNECTION = ("flet.messaging.session", "flet.messaging.protocol", "flet.pubsub.pubsub_hub")


def preload() -> None:
    """Import the modules of Flet's controls that the first screens use (FIRST_SCREENS), and
    those Flet's run needs to connect (CONNECTION)."""
    for name in FIRST_SCREENS:
        getattr(ft, name)
    for name in CONNECTION:
        importlib.import_module(name)


def ahead_of_start() -> None:
    """What the site's build does once, in the Python whose memory it saves as the start
    snapshot (pwa_app/site/build.py), so that no start in the browser does it again: the
    preload, and content/ read and checked (the create screen's words are in it: natively,
    reading it was 87 ms of that screen's first build, the rest 20 ms)."""
    preload()
    bootstrap.read_content()


def main(page: ft.Page) -> None:
    # The title is set by Actions.start() once the disguise flag is read: never the real name
    # first and the neutral one after.
    family, path = SCREEN_FONT
    if not in_browser():  # (in the browser Flutter has it from the start: SCREEN_FONT)
        page.fonts = {family: path}
    page.theme = ft.Theme(font_family=family, color_scheme_seed="#3F5F73")
    page.dark_theme = ft.Theme(font_family=family, color_scheme_seed="#3F5F73")
    page.theme_mode = ft.ThemeMode.SYSTEM
    page.padding = 0
    found = bootstrap.adapters(page.web, ft.SharedPreferences)
    actions = Actions(
        page=page,
        store=ScreenState(),
        services=bootstrap.services(found),
        flags=found.flags,
    )
    actions.bridge = PageBridge(actions.on_page_message)
    page.render(lambda: App(actions))
