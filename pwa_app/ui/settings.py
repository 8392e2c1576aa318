"""Settings: auto-lock, disguise, backup, the record's check, the passphrase, storage."""

from __future__ import annotations

import asyncio

import flet as ft

from .. import i18n
from ..i18n import _
from ..services.prefs import last_backup
from ..vault.strength import estimate
from .common import (
    act,
    go,
    h2,
    local_time,
    made_passphrase,
    para,
    screen,
    share_button,
    small,
    spawn,
    tick,
    use_form,
)
from .state import Actions, use_actions


# ---- settings ---------------------------------------------------------------------------------
def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n < 1e9 else f"{n / 1e9:,.1f} GB"


@ft.component
def StorageSpace():
    """In the browser: how much space the record uses, and whether the browser may clear it."""
    actions = use_actions()
    space, set_space = ft.use_state(None)

    async def load() -> None:
        try:
            set_space(await actions.services.session.space())
        except Exception as exc:  # noqa: BLE001 - a browser that will not say: show nothing
            actions.fail(exc)

    ft.use_effect(lambda: asyncio.ensure_future(load()) and None, [])
    if space is None:
        return ft.Container()
    kept = (
        _("This browser has agreed to keep it: it will not clear it to make room.")
        if space.persisted
        else _(
            "This browser may clear it on its own when the device runs low on space, or if "
            "the browser's data is cleared."
        )
    )
    return ft.Column(
        [
            h2(_("Storage on this device")),
            para(
                _(
                    "Your encrypted record uses {used} of the {quota} this browser allows. {kept}"
                ).format(used=_mb(space.used), quota=_mb(space.quota), kept=kept)
            ),  # fmt: skip
            small(
                _(
                    "Keep an encrypted backup somewhere else too (below), and export a new one "
                    "after you add something important."
                )
            ),  # fmt: skip
        ],
        spacing=8,
    )


@ft.component
def RecordCheck():
    """The same check a lawyer runs on a pack, of the vault itself."""
    actions = use_actions()
    result, set_result = ft.use_state(None)

    async def check() -> None:
        set_result(None)
        set_result(await actions.services.history.check())

    async def join() -> None:
        set_result(await actions.services.history.join())
        await actions.refresh()

    rows: list[ft.Control] = [
        h2(_("Check your record")),
        para(
            _(
                "Checks the history of your record from its first entry to the last, and every "
                "kept file against the fingerprint taken when you added it."
            )
        ),
        ft.OutlinedButton(
            _("Check the record"),
            key="check",
            icon=ft.Icons.VERIFIED,
            on_click=spawn(actions, check),
        ),
    ]
    if result is not None and result.ok:
        summary = result.summary
        joined = "".join(
            _(
                " It forked at entry {seq} on {at} (two windows open at once); both "
                "branches are kept and entry {joined_by} joins them."
            ).format(seq=f.seq, at=f.at[:10], joined_by=f.joined_by.seq)
            for f in summary.forks
            if f.joined_by is not None
        )
        rows += [
            para(
                _(
                    "Intact: {count} entries from {first_at} to {last_at}; {files} kept "
                    "file(s) match their fingerprints.{joined}"
                ).format(
                    count=summary.count,
                    first_at=summary.first_at[:10],
                    last_at=summary.last_at[:10],
                    files=result.files,
                    joined=joined,
                ),
                size=14,
            ),
            small(_("Head hash: {head}").format(head=summary.head)),
            *(
                ft.Text(w, key=f"warning:{i}", color=ft.Colors.TERTIARY, size=14)
                for i, w in enumerate(result.warnings_said(_))
            ),
        ]
    elif result is not None and result.fork is not None:
        rows += [
            ft.Text(
                _("Not intact yet: {problem}").format(problem=result.problem_said(_)),
                color=ft.Colors.ERROR,
            ),
            para(
                _(
                    "Joining adds one entry that lists every entry of the other branch by its "
                    "fingerprint, so the whole history checks out again. No entry is changed or "
                    "removed, and your reports will say that this happened."
                ),
                size=14,
            ),
            ft.FilledTonalButton(
                _("Join the two branches"),
                key="join",
                icon=ft.Icons.MERGE_TYPE,
                on_click=spawn(actions, join),
            ),
        ]
    elif result is not None:
        rows.append(
            ft.Text(
                _(
                    "Not intact: {problem} Keep this device as it is, export an "
                    "encrypted backup, and tell whoever helps you with your case. You "
                    "can still make your evidence report: its first page says what did "
                    "not check out."
                ).format(problem=result.problem_said(_)),
                color=ft.Colors.ERROR,
            )
        )
    return ft.Column(rows, spacing=8)


@ft.component
def SettingsScreen():
    actions = use_actions()
    store = actions.store
    pw = use_form()
    errors, set_errors = ft.use_state({})
    made, set_made = ft.use_state("")  # a passphrase the app made, shown to be written down
    progress, set_progress = ft.use_state(None)  # (records sealed again, of how many)

    def make(_e=None) -> None:
        words = actions.services.session.make_passphrase()
        pw.values["new"] = pw.values["repeat"] = words
        set_errors({})
        set_made(words)

    async def set_minutes(event: ft.Event) -> None:
        settings = store.settings
        settings.auto_lock_minutes = int(event.control.value)
        await actions.save(actions.services.prefs.save_settings(settings), ok=_("Saved."))

    async def set_disguise(value: bool, title: str | None = None) -> None:
        store.disguise = value
        if title:
            store.disguise_title = title
        await actions.save(
            actions.save_ui_flags(),
            _("The tab now shows a neutral name.") if value else _("The app shows its own name."),
            refresh=False,
        )

    async def set_language(event: ft.Event) -> None:
        store.language_choice = event.control.value or ""
        actions.speak()
        await actions.save(actions.save_ui_flags(), _("Saved."), refresh=False)

    async def change_pw(_e=None) -> None:
        v = pw.values
        if v.get("new", "") != v.get("repeat", ""):
            set_errors({"repeat": _("The two new passphrases are not the same.")})
            return
        set_progress((0, 0))
        ok = await actions.save(
            actions.services.session.change_passphrase(
                v.get("old", ""), v.get("new", ""), lambda done, of: set_progress((done, of))
            ),
            _(
                "Passphrase changed. Everything is now sealed with a new key that only the new "
                "passphrase opens."
            ),
            form=pw,
            set_errors=set_errors,
        )
        set_progress(None)
        if ok:
            set_made("")

    strength = estimate(pw.values.get("new", "")) if pw.values.get("new") else None
    return screen(
        actions,
        _("Settings"),
        [
            h2(_("Lock automatically after")),
            ft.RadioGroup(
                key="auto-lock",
                value=str(store.settings.auto_lock_minutes),
                on_change=act(actions, set_minutes),
                content=ft.Row(
                    [
                        ft.Radio(key=str(m), value=str(m), label=f"{m} min")
                        for m in (1, 2, 5, 10, 15)
                    ],
                    wrap=True,
                ),
            ),
            small(_("The app also locks when you switch away from it.")),
            ft.OutlinedButton(
                _("Lock now"),
                key="lock",
                icon=ft.Icons.LOCK,
                on_click=lambda _e: actions.lock(_("Locked.")),
            ),
            *language_section(actions, set_language),
            h2(_("Disguise")),
            tick(
                actions,
                "disguise",
                _("Show a neutral name in the browser tab and on the lock screen"),
                store.disguise,
                set_disguise,
                switch=True,
            ),
            ft.Row(
                [
                    ft.OutlinedButton(
                        _('Call it "{name}"').format(name=t),
                        key=t,
                        on_click=spawn(actions, set_disguise, True, t),
                    )
                    for t in actions.content.quick_exit.disguise_titles
                ],
                wrap=True,
            ),
            ft.OutlinedButton(
                _("How quick exit works"),
                key="quick-exit-info",
                icon=ft.Icons.INFO_OUTLINE,
                on_click=go(actions, "/quick-exit"),
            ),
            StorageSpace(key="storage"),
            h2(_("Backup")),
            para(
                _(
                    "Save an encrypted copy of everything. It opens only with your passphrase, "
                    "on this "
                    "or another device."
                )
            ),
            small(
                _("Last backup saved from here: {when}.").format(when=local_time(last))
                if (last := last_backup(store.settings))
                else _("No backup has been saved from here yet.")
            ),
            ft.FilledTonalButton(
                _("Export encrypted backup"),
                key="backup",
                icon=ft.Icons.DOWNLOAD,
                on_click=spawn(actions, actions.export_backup),
            ),
            *share_button(
                actions, _("Share encrypted backup"), "backup-share", actions.export_backup, True
            ),
            RecordCheck(key="check"),
            h2(_("Change passphrase")),
            pw.field("old", _("Current passphrase"), errors, password=True),
            pw.field("new", _("New passphrase"), errors, password=True),
            pw.field("repeat", _("Repeat new passphrase"), errors, password=True),
            *(
                [
                    small(
                        _("Strength: {label}. {advice}").format(
                            label=strength.label, advice=strength.advice
                        )
                    )
                ]
                if strength
                else []
            ),
            ft.TextButton(
                actions.content.passphrase.make_button,
                key="make",
                icon=ft.Icons.CASINO,
                on_click=make,
            ),
            *(
                [made_passphrase(actions.content.passphrase.made, made)]
                if made and pw.values.get("new") == made
                else []
            ),
            ft.OutlinedButton(
                _("Change passphrase"),
                key="change-pw",
                on_click=act(actions, change_pw),
                disabled=progress is not None,
            ),
            *(
                [
                    ft.ProgressBar(
                        key="rekey", value=progress[0] / progress[1] if progress[1] else None
                    ),
                    small(
                        _(
                            "Sealing every record again under a new key: {done:,} of "
                            "{total:,}. Keep the app open."
                        ).format(done=progress[0], total=progress[1])
                    ),
                ]
                if progress is not None
                else []
            ),
        ],
    )


def language_section(actions: Actions, on_change) -> list[ft.Control]:
    """The language, when there is more than English to choose from: each named in itself.
    Kept in clear beside the vault, so that the lock screen speaks it too."""
    offered = i18n.offered()
    if len(offered) < 2:
        return []
    return [
        h2(_("Language")),
        ft.RadioGroup(
            key="language",
            value=actions.store.language_choice,
            on_change=act(actions, on_change),
            content=ft.Column(
                [
                    ft.Radio(key="device", value="", label=_("As this device is set")),
                    *(ft.Radio(key=code, value=code, label=name) for code, name in offered.items()),
                ]
            ),
        ),
    ]
