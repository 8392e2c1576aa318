"""The lock gate (first run, unlock), the neutral decoy, and the exit route."""

from __future__ import annotations

from datetime import datetime

import flet as ft

from ..i18n import N_, _, day_in_words
from ..services import MAX_BACKUP
from ..vault.strength import estimate
from .common import (
    PAD,
    WRAP_LINES,
    act,
    made_passphrase,
    one_moment,
    para,
    quick_exit_button,
    safari_note,
    small,
    use_form,
)
from .state import use_actions

CANNOT_RECOVER = N_(
    "Everything you save here is locked with this passphrase, on this device only. "
    "If you forget it, nobody can recover your data, not even us, because the passphrase is "
    "never sent or stored anywhere else. Write it down somewhere safe, away from this device."
)


@ft.component
def LockScreen():
    actions = use_actions()
    store = actions.store
    creating = store.phase == "create"
    form = use_form()
    errors, set_errors = ft.use_state({})
    hint, set_hint = ft.use_state("")
    working, set_working = ft.use_state(False)
    backup, set_backup = ft.use_state(None)  # (file name, bytes) picked to restore
    made, set_made = ft.use_state("")  # a passphrase the app made, shown to be written down

    def make(_e=None) -> None:
        words = actions.services.session.make_passphrase()
        form.values["pass"] = form.values["repeat"] = words
        set_errors({})
        set_hint("")
        set_made(words)

    def typed(event: ft.Event) -> None:
        form.values["pass"] = event.control.value or ""
        actions.touch()
        if creating:
            s = estimate(form.values["pass"])
            set_hint(_("Strength: {label}. {advice}").format(label=s.label, advice=s.advice))
            if made and form.values["pass"] != made:
                set_made("")

    async def submit(_e=None) -> None:
        pw = form.values.get("pass", "")
        if not pw:
            set_errors({"pass": _("Enter your passphrase.")})
            return
        if creating and pw != form.values.get("repeat", ""):
            set_errors({"repeat": _("The two passphrases are not the same. Type them again.")})
            return
        session = actions.services.session
        if not await attempt(session.create(pw) if creating else session.unlock(pw), "pass"):
            return
        actions.clear_message()  # the reason it locked has been read
        await enter()
        found = actions.services.session.integrity.found
        if found:
            actions.say(
                _(
                    "Since this app was last open, your records were changed outside it: "
                    "{found} This is now written in the record's tamper-evident history. "
                    'Settings, "Check the record", shows it.'
                ).format(found=" ".join(f.said(_) for f in found)),
                "error",
            )

    async def attempt(opening, field: str) -> bool:
        """Open the vault (create, unlock, restore): a failure is said beside ``field``."""
        set_working(True)
        opened = await actions.save(
            opening, form=form, set_errors=set_errors, field=field, refresh=False
        )  # (entering refreshes)
        if not opened:
            set_working(False)
        return opened

    async def enter() -> None:
        form.reset()
        # Leave any exit route before the content can render (a trip to the screen and back:
        # only when not there already).
        if actions.page.route != "/":
            await actions.page.push_route("/")
        await actions.opened()

    async def pick_backup(_e=None) -> None:
        f = await actions.pick_file()
        if f is None:
            return
        data = f.bytes or b""
        if not data or len(data) > MAX_BACKUP:
            set_errors({"restore": _("That file is empty or too large to be a backup.")})
            return
        set_errors({})
        set_backup((f.name, data))

    async def restore(_e=None) -> None:
        if backup is None:
            return
        restoring = actions.services.backup.restore(backup[1], form.values.get("restore", ""))
        if not await attempt(restoring, "restore"):
            return
        set_backup(None)
        actions.say(
            _("Your backup is restored. Everything in it is here, locked with its passphrase.")
        )
        await enter()

    title = actions.title()
    pass_field = ft.TextField(
        key="pass",
        label=_("Passphrase"),
        password=True,
        can_reveal_password=True,
        value=form.values.get("pass", ""),
        on_change=typed,
        on_submit=act(actions, submit),
        error=errors.get("pass"),
        error_max_lines=WRAP_LINES,  # the whole message, at any text size
    )
    controls: list[ft.Control] = [
        ft.Text(title, size=26, weight=ft.FontWeight.W_600),
        # why it locked ("after a few minutes without use", "in the background")
        *([small(store.message)] if store.message and not creating else []),
        # opened by the share sheet: what became of what was shared
        *([para(store.share_note, key="share-note")] if store.share_note else []),
    ]
    if creating:
        controls += [
            ft.Text(_("Create a passphrase"), size=20),
            *safari_note(actions),
            para(_(CANNOT_RECOVER)),
            pass_field,
            form.field(
                "repeat",
                _("Repeat passphrase"),
                errors,
                password=True,
                on_submit=act(actions, submit),
            ),
            small(
                hint
                or _(
                    "Tip: four or more random words make a strong passphrase that is "
                    "easy to remember."
                )
            ),
            ft.OutlinedButton(
                actions.content.passphrase.make_button,
                key="make",
                icon=ft.Icons.CASINO,
                on_click=make,
            ),
            *([made_passphrase(actions.content.passphrase.made, made)] if made else []),
            ft.FilledButton(
                _("Create vault"),
                icon=ft.Icons.LOCK,
                on_click=act(actions, submit),
                disabled=working,
            ),
            ft.Divider(),
            ft.Text(_("Moving from another device?"), size=18),
            para(
                _(
                    "If you exported an encrypted backup, restore it here instead. It opens "
                    "with the passphrase it was saved with."
                )
            ),
        ]
        if backup is None:
            controls += [
                ft.OutlinedButton(
                    _("Restore from a backup file"),
                    key="restore-file",
                    icon=ft.Icons.UPLOAD_FILE,
                    on_click=act(actions, pick_backup),
                ),
                *(
                    [ft.Text(errors["restore"], color=ft.Colors.ERROR)]
                    if "restore" in errors
                    else []
                ),
            ]
        else:
            controls += [
                small(_("Backup file: {name}").format(name=backup[0])),
                form.field(
                    "restore",
                    _("Backup passphrase"),
                    errors,
                    password=True,
                    on_submit=act(actions, restore),
                ),
                ft.Row(
                    [
                        ft.FilledTonalButton(
                            _("Restore backup"),
                            icon=ft.Icons.RESTORE,
                            on_click=act(actions, restore),
                            disabled=working,
                        ),
                        ft.TextButton(_("Choose another file"), on_click=act(actions, pick_backup)),
                    ],
                    wrap=True,
                ),
            ]
    else:
        controls += [
            para(_("Enter your passphrase to open your private record.")),
            pass_field,
            ft.FilledButton(
                _("Unlock"),
                icon=ft.Icons.LOCK_OPEN,
                on_click=act(actions, submit),
                disabled=working,
            ),
        ]
    if working:
        controls.append(one_moment())
    return ft.SafeArea(
        expand=True,
        on_size_change=actions.drawn,
        content=ft.Column(
            [
                ft.Row([quick_exit_button(actions)], alignment=ft.MainAxisAlignment.END),
                ft.ListView(
                    key="body",
                    controls=controls,
                    padding=ft.Padding.all(PAD),
                    spacing=14,
                    expand=True,
                ),
            ],
            expand=True,
        ),
    )


@ft.component
def Decoy():
    """A plain notes screen. No word of the app or its content."""
    actions = use_actions()
    q = actions.content.quick_exit
    today = day_in_words(datetime.now().date(), weekday=True)
    return ft.SafeArea(
        expand=True,
        on_size_change=actions.drawn,  # (Quick exit while starting: the start is done)
        content=ft.Column(
            [
                ft.Container(
                    padding=ft.Padding.all(PAD),
                    content=ft.Column(
                        [
                            ft.Text(q.decoy_title, size=24, weight=ft.FontWeight.W_600),
                            ft.TextButton(
                                today,
                                on_click=lambda _e: actions.leave_decoy(),
                                style=ft.ButtonStyle(padding=0),
                            ),
                        ],
                        spacing=2,
                    ),
                ),
                ft.ListView(
                    expand=True,
                    padding=ft.Padding.symmetric(horizontal=PAD),
                    controls=[
                        ft.Container(
                            padding=ft.Padding.symmetric(vertical=10),
                            border=ft.Border.only(
                                bottom=ft.BorderSide(1, ft.Colors.OUTLINE_VARIANT)
                            ),
                            content=ft.Text(n, size=16),
                        )
                        for n in q.decoy_notes
                    ],
                ),
            ],
            expand=True,
        ),
    )


@ft.component
def ExitRoute():
    """Reached by the keyboard shortcut (the page script sends the browser to /notes)."""
    actions = use_actions()
    ft.use_effect(lambda: actions.quick_exit(), [])
    return ft.Container()
