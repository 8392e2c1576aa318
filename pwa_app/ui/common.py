"""Shared layout: every screen has the same top bar with "Quick exit" in the same place."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import flet as ft

from ..domain import MAX_SHORT, MAX_TEXT
from ..i18n import N_, _, day_in_words
from .state import Actions, Ctx, use_actions

EXIT_COLOR = "#B3261E"
PAD = 16
# A date field's label: its name, the form to type in brackets, and a mark after (" *")
LABEL_AND_FORM = re.compile(r"^(?P<name>.+?) \((?P<form>[^()]+)\)(?P<mark>.*)$")


def go(actions: Actions, route: str) -> Callable[..., None]:
    def handler(_e: Any = None) -> None:
        actions.go_to(route)

    return handler


def spawn(actions: Actions, fn: Callable[..., Any], *args: Any):
    """An event handler that runs ``fn(*args)`` and shows any failure on the screen."""
    return actions.guard(fn, *args)


def act(actions: Actions, fn: Callable[..., Any]):
    """An event handler that runs ``fn(event)`` and shows any failure on the screen."""
    return actions.guard(fn, with_event=True)


def share_button(actions: Actions, label: str, key: str, fn: Callable[..., Any], *args: Any):
    """A button that hands a file to the system share sheet: only where there is one (a phone
    app, or a browser that can share files); elsewhere the Save button beside it is the way."""
    if not actions.store.can_share:
        return []
    return [
        ft.OutlinedButton(label, key=key, icon=ft.Icons.SHARE, on_click=spawn(actions, fn, *args))
    ]


def quick_exit_button(actions: Actions) -> ft.Control:
    button = ft.FilledButton(
        _("Quick exit"),
        icon=ft.Icons.EXIT_TO_APP,
        style=ft.ButtonStyle(bgcolor=EXIT_COLOR, color=ft.Colors.WHITE),
        on_click=lambda _e: actions.quick_exit(),
        tooltip=_("Hide everything now (or press Shift three times)"),
    )
    if actions.bridge.active:
        # In the browser the page draws Quick exit itself, over this spot, so it works at once
        # (and even while Python is busy): keep the space, show nothing, offer nothing.
        button.opacity, button.disabled, button.on_click = 0, True, None
        return ft.Semantics(key="quick-exit", exclude_semantics=True, content=button)
    return ft.Semantics(key="quick-exit", identifier="quick-exit", content=button)


def banner(actions: Actions) -> ft.Control:
    """The message line under the top bar. Always there (hidden when there is no message), so
    a message coming or going never rebuilds the page under it or moves where it is scrolled."""
    store = actions.store
    if not store.message:
        return ft.Container(visible=False)
    error = store.message_kind == "error"
    return ft.Container(
        bgcolor=ft.Colors.ERROR_CONTAINER if error else ft.Colors.SECONDARY_CONTAINER,
        padding=ft.Padding.symmetric(horizontal=PAD, vertical=8),
        content=ft.Row(
            [
                ft.Icon(ft.Icons.ERROR_OUTLINE if error else ft.Icons.INFO_OUTLINE),
                ft.Text(store.message, expand=True),
                ft.Semantics(  # a name screen readers announce (a tooltip alone has none)
                    label=_("Dismiss message"),
                    button=True,
                    content=ft.IconButton(
                        ft.Icons.CLOSE,
                        tooltip=_("Dismiss message"),
                        on_click=lambda _e: actions.clear_message(),
                    ),
                ),
            ]
        ),
    )


def case_line(actions: Actions) -> list[ft.Control]:
    """With more than one case, say which one a screen is showing, and how to change it."""
    if len(actions.store.cases) < 2 or actions.store.case is None:
        return []
    return [
        ft.Row(
            [
                ft.Icon(ft.Icons.FOLDER_SHARED, size=18),
                ft.Text(
                    _("Case: {title}").format(title=actions.store.case.title),
                    expand=True,
                    weight=ft.FontWeight.W_600,
                ),
                ft.TextButton(_("Change case"), on_click=go(actions, "/case")),
            ],
            key="case-line",
        )
    ]


def screen(
    actions: Actions, title: str, body: list[ft.Control], back: str | None = "/"
) -> ft.Control:
    """Top bar (Back, Quick exit), the message banner, and the title and body, scrolling.

    Anything in ``body`` that holds state (a component, a field, a choice) or is repeated for
    each record carries a ``key``: Flet matches unkeyed items by position, so when the list
    changes, their state would pass to whatever now stands in their place."""
    actions.has_back(back)
    top = ft.Container(
        padding=ft.Padding.only(left=4, right=8, top=6, bottom=6),
        bgcolor=ft.Colors.SURFACE_CONTAINER,
        content=ft.Row(
            [
                ft.Semantics(
                    key="back",
                    label=_("Back"),
                    button=True,
                    content=ft.IconButton(ft.Icons.ARROW_BACK, on_click=go(actions, back)),
                )
                if back is not None
                else ft.Container(key="back", width=8),
                quick_exit_button(actions),
            ],
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
    )
    # The title leads the page rather than sharing the bar with Quick exit, so neither is
    # squeezed when the phone's text is large.
    heading = ft.Text(title, size=22, weight=ft.FontWeight.W_600)
    return ft.SafeArea(
        expand=True,
        content=ft.Column(
            [
                top,
                banner(actions),
                ft.ListView(
                    key="body",
                    expand=True,
                    padding=ft.Padding.all(PAD),
                    spacing=12,
                    controls=[heading, *body],
                ),
            ],
            spacing=0,
            expand=True,
        ),
    )


def h2(text: str) -> ft.Text:
    return ft.Text(text, size=17, weight=ft.FontWeight.W_600)


def para(text: str, size: int = 15, **kw: Any) -> ft.Text:
    return ft.Text(text, size=size, **kw)


def one_moment() -> ft.Control:
    """What shows while the app works and the person waits (starting, making a key): words,
    not an animated ring or bar. On a phone's one busy core, an animation drawn 60 times a
    second takes CPU from the work itself (benchmarks/run.py: unlock to home, median 2.08 ->
    1.73 s; load to the lock screen 6.89 -> 6.69 s and 7.92 -> 7.48 s). A live region: a screen
    reader says it too, once, without moving the focus."""
    return ft.Semantics(
        key="working",
        live_region=True,
        content=ft.Text(_("One moment: this can take a few seconds.")),
    )


def local_time(dt: datetime) -> str:
    """A moment as this device's clock shows it, to the minute."""
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


def small(text: str, **kw: Any) -> ft.Text:
    return ft.Text(text, size=12.5, color=ft.Colors.ON_SURFACE_VARIANT, **kw)


def option(value: str, label: str) -> ft.Control:
    """A radio button (inside a RadioGroup) named by words that wrap onto as many lines as they
    need, as ``tick``: Flet's own radio label never wraps, and a choice of what makes the
    content illegal ran off a phone's screen. A tap on the words chooses it (the tile's
    ``toggle_inputs``, in Flutter, at once), and a screen reader hears one radio, named. Its
    value (a case's or a choice's id) is its key as well."""
    return ft.MergeSemantics(
        key=f"{value}-row",
        content=ft.ListTile(
            leading=ft.Radio(key=value, value=value),
            title=ft.Text(label, size=14),
            toggle_inputs=True,
            content_padding=ft.Padding.all(0),
            horizontal_spacing=4,
            min_leading_width=0,
            min_vertical_padding=4,
        ),
    )


def tick(
    actions: Actions,
    key: str,
    label: str,
    value: bool,
    on_change: Callable[[bool], Any],
    *,
    switch: bool = False,
) -> ft.Control:
    """A checkbox (``switch``: a switch) named by words that wrap onto as many lines as they
    need. Flet's own label sits in a row that never wraps: on a phone a long one ran off the
    screen (the privacy checklist's steps, cut off at 360 px). Built as Flet builds its own
    label: one node for a screen reader, named by the words, and a tap on them ticks it too."""

    async def changed(event: ft.Event) -> None:
        await on_change(bool(event.control.value))

    async def tapped(_event: ft.Event) -> None:
        await on_change(not value)

    box = (ft.Switch if switch else ft.Checkbox)(
        key=key, value=value, on_change=act(actions, changed)
    )
    return ft.MergeSemantics(
        key=f"{key}-row",
        content=ft.GestureDetector(
            on_tap=act(actions, tapped),
            mouse_cursor=ft.MouseCursor.CLICK,
            content=ft.Row([box, ft.Text(label, expand=True)], spacing=4),
        ),
    )


def not_legal_advice(actions: Actions) -> ft.Control:
    m = actions.content.meta
    return ft.Container(
        padding=ft.Padding.all(12),
        border_radius=8,
        bgcolor=ft.Colors.SURFACE_CONTAINER_HIGH,
        content=ft.Column([small(m.not_legal_advice), small(m.legal_help)], spacing=4),
    )


class Form:
    """Values typed into fields, kept across re-renders (and across errors) in a plain dict.

    Each field renders the value last received from the client, which is also what Flet's copy
    of the control already holds, so a re-render sends nothing and never overwrites typing.
    ``reset()`` empties the form (the next render sends the empty values).

    Every field has the limit the record keeps for it, checked as it is typed or pasted: past
    it, the field says so at once (nothing is cut), and the save says it again.
    """

    def __init__(self, values: dict[str, str], refresh: Callable[[], None] | None = None):
        self.values = values
        self.fields: set[str] = set()  # the fields drawn, by key
        self.too_long: dict[str, str] = {}
        self.refresh = refresh or (lambda: None)
        self.on_edit: Callable[[], None] | None = None  # called after any field changes
        self.touch: Callable[[], None] = lambda: None  # typing is use: the auto-lock waits
        self.saves = True  # what is typed here is meant to be saved (not a search box)
        self.typed: set[str] = set()  # the text fields typed in since the form was last saved
        self.secret: set[str] = set()  # passphrase fields: never kept as a draft
        # The draft: the name the typed text is kept under in the vault ("": not kept), what
        # was last kept there, and the one write waiting for the typing to stop.
        self.keep_as = ""
        self.kept: dict[str, str] = {}
        self.on_typed: Callable[[], None] = lambda: None
        self.keeping: Any = None
        self.show_dialog: Callable[[Any, Any], None] = lambda page, dialog: page.show_dialog(dialog)

    def reset(self, keep: tuple[str, ...] = ()) -> None:
        for k in [k for k in self.values if k not in keep]:
            del self.values[k]
        self.too_long.clear()
        self.typed.clear()

    def draft(self) -> dict[str, str]:
        """The text typed and not saved, as a draft keeps it (never a passphrase)."""
        return {
            k: self.values.get(k, "")
            for k in sorted(self.typed - self.secret)
            if self.values.get(k, "").strip()
        }

    def unsaved(self) -> bool:
        """Text typed into this form and not saved (what a lock now would clear)."""
        return self.saves and any(self.values.get(k, "").strip() for k in self.typed)

    def lost(self) -> bool:
        """Text typed and not saved that a lock now would take: nothing is kept for it, or
        not all of it yet (the draft is written a moment after the typing stops)."""
        if not self.unsaved():
            return False
        return not self.keep_as or bool(self.secret & self.typed) or self.draft() != self.kept

    def edited(self, key: str, value: str) -> None:
        """A field changed (typed, pasted, chosen). The same value sent again (the client does,
        as focus moves) is no change."""
        if self.values.get(key, "") == value:
            return
        self.values[key] = value
        if self.on_edit is not None:
            self.on_edit()

    def field(
        self,
        key: str,
        label: str,
        errors: dict[str, str] | None = None,
        *,
        multiline: bool = False,
        password: bool = False,
        hint: str = "",
        keyboard: ft.KeyboardType | None = None,
        on_submit: Any = None,
        limit: int | None = -1,
    ) -> ft.Control:
        """A text field named after the value it holds. ``limit``: the most characters the
        record keeps (by default, a name's or a text's; ``None``: no limit, for passphrases)."""
        if limit == -1:
            limit = None if password else MAX_TEXT if multiline else MAX_SHORT
        self.fields.add(key)

        def changed(event: ft.Event) -> None:
            text = event.control.value or ""
            self.touch()  # each key typed is use (a phone's keyboard sends no key events)
            self.typed.add(key)
            if password:
                self.secret.add(key)
            if limit is not None:
                over = (
                    _(
                        "This is {n_text:,} characters; at most {limit:,} fit here. Nothing "
                        "was cut: shorten it before you save."
                    ).format(n_text=len(text), limit=limit)
                    if len(text) > limit
                    else ""
                )
                if over != self.too_long.get(key, ""):
                    if over:
                        self.too_long[key] = over
                    else:
                        self.too_long.pop(key, None)
                    self.refresh()
            self.edited(key, text)
            self.on_typed()

        return ft.TextField(
            key=key,  # the field keeps its identity (and focus) when the list around it changes
            label=label,
            value=self.values.get(key, ""),
            on_change=changed,
            on_submit=on_submit,
            error=self.too_long.get(key) or (errors or {}).get(key),
            helper=hint or None,
            # hints and errors are drawn whole, on as many lines as they need
            helper_max_lines=WRAP_LINES,
            error_max_lines=WRAP_LINES,
            multiline=multiline,
            min_lines=3 if multiline else None,
            max_lines=8 if multiline else 1,
            password=password,
            can_reveal_password=password,
            keyboard_type=keyboard,
        )

    def when_field(
        self,
        key: str,
        label: str,
        errors: dict[str, str] | None = None,
        *,
        with_time: bool = True,
    ) -> ft.Control:
        """A date (and time) that can be typed, or chosen with the phone's own calendar and
        clock: the button beside the field opens Flet's DatePicker, then its TimePicker, and
        writes what was picked into the field, in the form typing uses. The form to type, in
        the label's brackets ("When you found it (YYYY-MM-DD HH:MM, empty = now)"), is shown
        below the field: in the label it ran over three lines on a phone, out of its box."""
        split = LABEL_AND_FORM.match(label)
        name = split["name"] if split else label
        box = self.field(
            key,
            name + split["mark"] if split else label,
            errors,
            hint=split["form"] if split else "",
            keyboard=ft.KeyboardType.DATETIME,
        )

        def put(day: date, at: time | None) -> None:
            self.edited(key, f"{day:%Y-%m-%d}" + (f" {at:%H:%M}" if at else ""))
            self.refresh()

        def pick(event: ft.Event) -> None:
            page = event.page
            start = _typed_day(self.values.get(key, "")) or date.today()

            def time_picked(ev: ft.Event, day: date) -> None:
                if ev.control.value is not None:
                    put(day, ev.control.value)

            def day_picked(ev: ft.Event) -> None:
                if ev.control.value is None:
                    return
                day = picked_day(ev.control.value)
                if not with_time:
                    put(day, None)
                    return
                self.show_dialog(
                    page,
                    ft.TimePicker(
                        value=datetime.now().time().replace(second=0, microsecond=0),
                        help_text=_("What time on {day}?").format(day=day_in_words(day)),
                        on_change=lambda ev2: time_picked(ev2, day),
                    ),
                )

            self.show_dialog(
                page,
                ft.DatePicker(
                    value=datetime(start.year, start.month, start.day, 12),
                    first_date=datetime(1990, 1, 1),
                    last_date=datetime(date.today().year + 1, 12, 31),
                    help_text=name,
                    on_change=day_picked,
                ),
            )

        return ft.Row(
            [
                ft.Container(box, key=f"{key}-box", expand=True),
                ft.IconButton(
                    # the icon's label is what a screen reader (and a test) calls the button
                    ft.Icon(
                        ft.Icons.CALENDAR_MONTH,
                        semantics_label=_("Choose on a calendar: {name}").format(name=name),
                    ),
                    key=f"{key}-pick",
                    tooltip=_("Choose on a calendar: {name}").format(name=name),
                    on_click=pick,
                ),
            ],
            key=f"{key}-when",
            vertical_alignment=ft.CrossAxisAlignment.START,
        )


def _typed_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def picked_day(value: datetime | date) -> date:
    """The day the person tapped in Flet's DatePicker. The client sends the local midnight of
    that day converted to UTC (flet-dev/flet#6145), so east of UTC it arrives as the evening
    before: read it back in this device's own zone, which is the one the calendar showed."""
    if isinstance(value, datetime):
        return (value.astimezone() if value.tzinfo else value).date()
    return value


WRAP_LINES = 12  # lines a field's hint or error may take before it is cut


def use_form(
    initial: dict[str, str] | None = None, *, keep_as: str = "", saves: bool = True
) -> Form:
    """A form kept across re-renders.

    ``keep_as``: the name under which what is typed is kept as a draft, sealed in the vault, a
    moment after the typing stops, and given back when the form opens again (after a lock, a
    crash, or another screen); it goes when the form is saved. Name it after what the form
    belongs to (its case), so a draft never lands in another. ``saves=False``: what is typed
    is not meant to be saved (a search box), so a lock does not count it as text lost."""
    _version, bump = ft.use_state(0)
    ref = ft.use_ref(lambda: Form(dict(initial or {})))
    form = ref.current
    form.refresh = lambda: bump(lambda n: n + 1)
    form.saves, form.keep_as = saves, keep_as
    actions: Actions | None = ft.use_context(Ctx)
    if actions is not None:
        form.touch = actions.touch
        form.show_dialog = actions.show_dialog
        form.on_typed = lambda: actions.keep_draft(form)
        actions.forms.add(form)  # (a weak set: a form gone with its screen is gone from it)

    def opened() -> None:
        if actions is not None and keep_as:
            actions.restore_draft(form)

    ft.use_effect(opened, [keep_as], lambda: actions and actions.forms.discard(form))
    return form


SAFARI_TAB = N_(
    "Safari may delete what this app keeps here after 7 days without a visit, unless it is on "
    'your Home Screen. To keep your records: tap the Share button, then "Add to Home Screen", '
    "and open the app from there."
)


def safari_note(actions: Actions) -> list[ft.Control]:
    """Before anything important is saved in Safari in a tab (not from the Home Screen)."""
    if not actions.store.safari_tab:
        return []
    return [
        ft.Container(
            key="safari-tab",
            padding=12,
            border=ft.Border.all(1, ft.Colors.OUTLINE),
            border_radius=8,
            content=ft.Row(
                [ft.Icon(ft.Icons.ADD_TO_HOME_SCREEN), ft.Text(_(SAFARI_TAB), expand=True)],
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
        )
    ]


def made_passphrase(why: str, words: str) -> ft.Control:
    """A passphrase the app made, in large type, to be written down word for word."""
    return ft.Container(
        key="made",
        padding=12,
        border=ft.Border.all(1, ft.Colors.OUTLINE),
        border_radius=8,
        content=ft.Column(
            [para(why), ft.Text(words, key="made-words", size=22, selectable=True)], spacing=8
        ),
    )


def info_card(
    title: str, *rows: ft.Control, spacing: int = 6, key: str | None = None
) -> ft.Control:
    """A card with a bold title and the rows under it (directory, platforms, requests, ...)."""
    return ft.Card(
        key=key,
        content=ft.Container(
            padding=12,
            content=ft.Column(
                [ft.Text(title, size=16, weight=ft.FontWeight.W_600), *rows], spacing=spacing
            ),
        ),
    )


@ft.component
def ConfirmButton(label: str, question: str, confirm: str, on_confirm: Callable[[], Any]):
    """A quiet button that asks once, in place, before something is deleted."""
    actions = use_actions()
    asking, set_asking = ft.use_state(False)

    async def yes() -> None:
        set_asking(False)
        await on_confirm()

    if not asking:
        return ft.TextButton(
            label, icon=ft.Icons.DELETE_OUTLINE, on_click=lambda _e: set_asking(True)
        )
    return ft.Container(
        padding=8,
        border_radius=8,
        bgcolor=ft.Colors.ERROR_CONTAINER,
        content=ft.Column(
            [
                ft.Text(question, color=ft.Colors.ON_ERROR_CONTAINER),
                ft.Row(
                    [
                        ft.FilledButton(confirm, key="yes", on_click=actions.guard(yes)),
                        ft.TextButton(
                            _("Keep it"), key="no", on_click=lambda _e: set_asking(False)
                        ),
                    ],
                    wrap=True,
                ),
            ],
            spacing=6,
        ),
    )
