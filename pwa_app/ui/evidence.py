"""The evidence log: where something was found, when, its status and its files."""

from __future__ import annotations

import flet as ft

from ..domain import MAX_URL, STATUS_WORDS
from ..i18n import N_, _, marked
from ..services import MAX_ATTACHMENT
from .common import (
    ConfirmButton,
    Form,
    act,
    case_line,
    go,
    h2,
    local_time,
    para,
    safari_note,
    screen,
    small,
    spawn,
    use_form,
)
from .shared import HOW_TO_SHARE, shared_section
from .state import Actions, use_actions

NEXT_STATUS_LABEL = {
    "reported": N_("Mark reported"),
    "removed": N_("Mark removed"),
    "reappeared": N_("Mark reappeared"),
}


# ---- evidence ---------------------------------------------------------------------------------
def evidence_form(
    actions: Actions, form: Form, errors: dict[str, str], set_errors
) -> list[ft.Control]:
    async def save(_e=None) -> None:
        v = form.values
        await actions.save(
            actions.services.evidence.log(
                actions.case.id,
                v.get("url", ""),
                v.get("platform", ""),
                v.get("found_at"),
                v.get("notes", ""),
            ),
            _("Saved to your evidence log."),
            form=form,
            set_errors=set_errors,
        )

    return [
        h2(_("Log where you found it")),
        form.field(
            "url",
            _("Web address (URL)"),
            errors,
            keyboard=ft.KeyboardType.URL,
            hint=_(
                "Copy it from the address bar. Do not save the images themselves here "
                "if they show anyone under 18."
            ),
            limit=MAX_URL,
        ),
        form.field("platform", _("Site or app (for example Reddit)"), errors),
        form.when_field("found_at", _("When you found it (YYYY-MM-DD HH:MM, empty = now)"), errors),
        form.field("notes", _("Notes (optional)"), errors, multiline=True),
        ft.FilledButton(
            _("Save to evidence log"), key="save", icon=ft.Icons.SAVE, on_click=act(actions, save)
        ),
    ]


@ft.component
def AttachedFile(
    evidence_id: str,
    blob_id: str,
    filename: str,
    sha: str,
    mime: str,
    added: str,
    size: int,
    own_date: str = "",
):
    actions = use_actions()
    shown, set_shown = ft.use_state(False)
    data, set_data = ft.use_state(None)

    async def load() -> None:
        actions.touch()
        set_data(await actions.services.evidence.file_bytes(blob_id))

    is_image = mime.startswith("image/")
    controls: list[ft.Control] = [
        small(
            _("{filename} · {size:,} bytes · added to Recourse {added}").format(
                filename=filename, size=size, added=added
            )
        ),
        *([small(_("Its own date: {own_date}").format(own_date=own_date))] if own_date else []),
        small(_("SHA-256 {sha}").format(sha=sha)),
    ]
    if is_image:
        if data is None:
            controls.append(
                ft.OutlinedButton(
                    _("Load blurred preview"), icon=ft.Icons.IMAGE, on_click=spawn(actions, load)
                )
            )
        else:
            controls.append(
                ft.Stack(
                    [
                        ft.Image(src=data, width=220, height=160, fit=ft.BoxFit.COVER),
                        *(
                            []
                            if shown
                            else [
                                ft.Container(
                                    width=220, height=160, blur=ft.Blur(24, 24), bgcolor="#66808080"
                                )
                            ]
                        ),
                    ]
                )
            )
            controls.append(
                ft.TextButton(
                    _("Hide") if shown else _("Tap to show"),
                    on_click=lambda _e: set_shown(not shown),
                )
            )

    async def remove() -> None:
        await actions.save(
            actions.services.evidence.remove_file(evidence_id, blob_id),
            ok=_("{filename} removed. The timeline keeps its fingerprint.").format(
                filename=filename
            ),
        )

    controls.append(
        ConfirmButton(
            _("Remove {filename}").format(
                filename=filename if len(filename) <= 40 else filename[:37] + "..."
            ),
            _("Remove {filename} from this device? This cannot be undone.").format(
                filename=filename
            ),
            _("Yes, remove it"),
            remove,
            key="remove",
        )
    )
    return ft.Container(
        padding=8,
        border_radius=8,
        bgcolor=ft.Colors.SURFACE_CONTAINER_HIGH,
        content=ft.Column(controls, spacing=4),
    )


def evidence_card(actions: Actions, entry) -> ft.Control:
    async def move(status: str) -> None:
        await actions.save(
            actions.services.evidence.set_status(entry.id, status),
            ok=_("Marked {status}.").format(status=_(STATUS_WORDS[status])),
        )

    async def attach() -> None:
        f = await actions.pick_file(MAX_ATTACHMENT)
        if f is not None:
            await actions.save(actions.services.evidence.attach(entry.id, f.name, f.bytes or b""))

    buttons = [
        ft.OutlinedButton(
            _(NEXT_STATUS_LABEL[status]), key=status, on_click=spawn(actions, move, status)
        )
        for status in entry.next_statuses
        if status in NEXT_STATUS_LABEL
    ]
    buttons.append(
        ft.OutlinedButton(
            _("Attach screenshot or file"),
            key="attach",
            icon=ft.Icons.ATTACH_FILE,
            on_click=spawn(actions, attach),
        )
    )
    body: list[ft.Control] = [
        ft.Text(entry.url, size=14, weight=ft.FontWeight.W_600),
        small(
            _("{site} · found {when} · status: {status}").format(
                site=entry.platform or _("Site not named"),
                when=local_time(entry.found_at),
                status=_(STATUS_WORDS[entry.status]),
            )
        ),
    ]
    if entry.notes:
        body.append(para(entry.notes, size=14))
    body += [
        AttachedFile(
            entry.id,
            x.blob_id,
            x.filename,
            x.sha256,
            x.mime,
            local_time(x.added_at),
            x.size,
            (
                _("{date} (from {source})").format(date=x.own_date, source=marked(x.own_date_from))
                if x.own_date
                else ""
            ),
            key=x.blob_id,  # its preview and its question stay with this file
        )
        for x in entry.attachments
    ]
    body.append(ft.Row(buttons, wrap=True, spacing=6, run_spacing=6))

    async def remove() -> None:
        await actions.save(
            actions.services.evidence.remove(entry.id), ok=_("Removed from the evidence log.")
        )

    body.append(
        ConfirmButton(
            _("Remove this entry"),
            _(
                "Remove this entry and its files from this device? This cannot be undone. If it "
                "may be needed as evidence, keep it and mark its status instead."
            ),
            _("Yes, remove it"),
            remove,
            key="remove",
        )
    )
    # Keyed by the entry: when an entry is logged or removed the cards shift, and an unkeyed
    # card's open question (or shown picture) would pass to the entry now in its place.
    return ft.Card(
        key=f"evidence:{entry.id}",
        content=ft.Container(padding=12, content=ft.Column(body, spacing=6)),
    )


def nothing_logged(actions: Actions) -> str:
    if len(actions.store.cases) > 1:
        return _(
            "Nothing logged yet. This is the case {title}; each case keeps its "
            "own entries: to see another case's, use Change case above."
        ).format(title=actions.store.case.title)
    return _("Nothing logged yet.")


@ft.component
def EvidenceScreen():
    actions = use_actions()
    case = actions.case
    form = use_form(keep_as=f"evidence:{case.id}" if case else "")
    errors, set_errors = ft.use_state({})
    items = list(reversed(actions.store.evidence))
    return screen(
        actions,
        _("Evidence log"),
        [
            *case_line(actions),
            para(
                _(
                    "Keep a record before anything is removed. Everything here is encrypted on "
                    "this "
                    "device."
                )
            ),
            *safari_note(actions),
            *evidence_form(actions, form, errors, set_errors),
            *shared_section(actions),
            h2(_("Logged ({n_items})").format(n_items=len(items))),
            *(
                [evidence_card(actions, entry) for entry in items]
                or [small(nothing_logged(actions))]
            ),
            ft.OutlinedButton(
                _("Check a photo's hidden data"),
                key="photo",
                icon=ft.Icons.PHOTO,
                on_click=go(actions, "/photo"),
            ),
            small(_(HOW_TO_SHARE), key="how-to-share"),
        ],
    )
