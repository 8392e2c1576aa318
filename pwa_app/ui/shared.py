"""Shared into the app from another one (Android's share sheet): the shares that name no web
address, waiting in the evidence log until the person says where each was found."""

from __future__ import annotations

import flet as ft

from ..domain import MAX_URL
from ..i18n import N_, _
from .common import ConfirmButton, Form, act, h2, small, use_form
from .state import Actions, use_actions

HOW_TO_SHARE = N_(
    "From another app: on Android, once Recourse is installed from the browser's menu (Install "
    "app, or Add to Home screen), share a screenshot or a link to Recourse. It arrives here, "
    "sealed until you unlock, with the time it was received. iPhone does not let web apps "
    "receive shares: save the screenshot, then attach it to an entry here."
)


def shared_section(actions: Actions) -> list[ft.Control]:
    waiting = actions.store.shared
    if not waiting:
        return []
    return [
        h2(
            _("Shared into Recourse, waiting for a web address ({n_waiting})").format(
                n_waiting=len(waiting)
            )
        ),
        small(
            _(
                "Say where you found each one: it then joins this case's evidence log, with the "
                "time it was received."
            )
        ),
        *[
            SharedCard(x.id, x.received_at.astimezone().strftime("%Y-%m-%d %H:%M"), key=x.id)
            for x in waiting
        ],
    ]


@ft.component
def SharedCard(shared_id: str, received: str):
    actions = use_actions()
    form: Form = use_form(keep_as=f"shared:{shared_id}")
    errors, set_errors = ft.use_state({})
    item = next((x for x in actions.store.shared if x.id == shared_id), None)
    if item is None:
        return ft.Container(key="gone")

    async def file_it(_e=None) -> None:
        v = form.values
        await actions.save(
            actions.services.inbox.file_under(
                shared_id, actions.case.id, v.get("url", ""), v.get("platform", "")
            ),
            _("Added to your evidence log."),
            form=form,
            set_errors=set_errors,
        )

    async def remove() -> None:
        await actions.save(  # (with the form: what was typed for it goes too)
            actions.services.inbox.discard(shared_id, actions.case.id), _("Removed."), form=form
        )

    files = [
        small(
            _("{filename} · {size:,} bytes · SHA-256 {sha256}…").format(
                filename=f.filename, size=f.size, sha256=f.sha256[:16]
            ),
            key=f.blob_id,
        )
        for f in item.files
    ]
    words = [small(x, key=f"w{i}") for i, x in enumerate((item.title, item.text)) if x]
    skipped = (
        [
            small(
                _("Not kept, larger than 15 MB: {files}").format(files=", ".join(item.skipped)),
                key="skipped",
            )
        ]
        if item.skipped
        else []
    )
    return ft.Card(
        content=ft.Container(
            padding=12,
            content=ft.Column(
                [
                    ft.Text(
                        _("Received {received}").format(received=received),
                        weight=ft.FontWeight.W_600,
                    ),
                    *files,
                    *words,
                    *skipped,
                    form.field(
                        "url",
                        _("Web address where you found it"),
                        errors,
                        keyboard=ft.KeyboardType.URL,
                        limit=MAX_URL,
                    ),
                    form.field("platform", _("Site or app (optional)"), errors),
                    ft.FilledButton(
                        _("Add to evidence log"),
                        key="file",
                        icon=ft.Icons.SAVE,
                        on_click=act(actions, file_it),
                    ),
                    ConfirmButton(
                        _("Remove"),
                        _("Remove this shared item and its files? This cannot be undone."),
                        _("Yes, remove it"),
                        remove,
                        key="remove",
                    ),
                ],
                spacing=6,
            ),
        ),
    )
