"""Requests sent: each with its status, the ticket and answer they gave, and their replies
kept as files."""

from __future__ import annotations

import flet as ft

from ..domain import REQUEST_STATUSES, STATUS_WORDS, capitalised
from ..i18n import _
from ..services import MAX_ATTACHMENT
from .common import ConfirmButton, small, spawn, use_form
from .state import Actions, use_actions


def request_card(actions: Actions, r) -> ft.Control:
    title = next((n.title for n in actions.content.notices if n.id == r.kind), r.kind)
    # Keyed by the request: what is typed into its ticket and answer stays with it.
    return ft.Card(
        key=f"request:{r.id}",
        content=ft.Container(
            padding=12,
            content=ft.Column(
                [
                    # A node of its own: otherwise screen readers hear all of it as the ticket
                    # field's label.
                    ft.Semantics(
                        container=True,
                        content=ft.Column(
                            [
                                ft.Text(
                                    _("{title} sent to {recipient}").format(
                                        title=title, recipient=r.recipient
                                    ),
                                    weight=ft.FontWeight.W_600,
                                ),
                                small(
                                    _(
                                        "Sent {sent_at:%Y-%m-%d %H:%M} · due {due_at:%Y-%m-%d "
                                        "%H:%M} · "
                                        "status: {status}"
                                    ).format(
                                        sent_at=r.sent_at.astimezone(),
                                        due_at=r.due_at.astimezone(),
                                        status=_(STATUS_WORDS[r.status]),
                                    )
                                    + (
                                        _(" · ticket {ticket_number}").format(
                                            ticket_number=r.ticket_number
                                        )
                                        if r.ticket_number
                                        else ""
                                    )
                                ),
                                *(
                                    [small(_("Their answer: {notes}").format(notes=r.notes))]
                                    if r.notes
                                    else []
                                ),
                                *[small(u) for u in r.urls[:5]],
                                *(
                                    [small(_("… and {count} more").format(count=len(r.urls) - 5))]
                                    if len(r.urls) > 5
                                    else []
                                ),
                            ],
                            spacing=4,
                        ),
                    ),
                    *[reply_row(actions, r, x) for x in r.replies],
                    ft.OutlinedButton(
                        _("Keep their answer as a file"),
                        key="reply",
                        icon=ft.Icons.ATTACH_FILE,
                        tooltip=_(
                            "An e-mail saved as .eml or PDF, or a screenshot of their answer"
                        ),
                        on_click=spawn(actions, attach_reply, actions, r.id),
                    ),
                    RequestUpdate(r.id, r.status, r.ticket_number, r.notes, key=r.id),
                ],
                spacing=4,
            ),
        ),
    )


async def attach_reply(actions: Actions, request_id: str) -> None:
    """Their answer kept with the request, as a file with its fingerprint."""
    f = await actions.pick_file(MAX_ATTACHMENT)
    if f is None:
        return
    await actions.save(
        actions.services.requests.attach_reply(request_id, f.name, f.bytes or b""),
        ok=_("Their answer is kept with the request. Its SHA-256 fingerprint is recorded."),
    )


def reply_row(actions: Actions, r, x) -> ft.Control:
    """One answer kept as a file: its name, when it was added, its fingerprint, and a way to
    take it out again (the history keeps its fingerprint)."""

    async def remove() -> None:
        await actions.save(
            actions.services.requests.remove_reply(r.id, x.blob_id),
            ok=_("{filename} removed. The history keeps its fingerprint.").format(
                filename=x.filename
            ),
        )

    return ft.Column(
        key=f"reply:{x.blob_id}",
        controls=[
            small(
                _(
                    "Answer kept: {filename} ({size:,} bytes), added {added_at:%Y-%m-%d "
                    "%H:%M} · SHA-256 {sha256}…"
                ).format(
                    filename=x.filename,
                    size=x.size,
                    added_at=x.added_at.astimezone(),
                    sha256=x.sha256[:16],
                )
            ),
            ConfirmButton(
                _("Remove {filename}").format(filename=x.filename[:40]),
                _("Remove {filename} from this device? The history keeps its fingerprint.").format(
                    filename=x.filename
                ),
                _("Yes, remove it"),
                remove,
                key="remove",
            ),
        ],
        spacing=2,
    )


@ft.component
def RequestUpdate(request_id: str, status: str, ticket: str, answer: str):
    """A new status, the ticket number they gave, and what they answered."""
    actions = use_actions()
    form = use_form({"ticket": ticket, "answer": answer}, keep_as=f"answer:{request_id}")

    async def save(new_status: str, ok: str) -> None:
        v = form.values
        if await actions.save(
            actions.services.requests.update(
                request_id, new_status, v.get("ticket"), v.get("answer", "")
            ),
            ok=ok,
        ):
            await actions.drop_draft(form)  # (the form keeps what is now in the record)

    return ft.Column(
        [
            form.field("ticket", _("Ticket or reference number")),
            form.field(
                "answer",
                _("Their answer (paste it, or sum it up)"),
                multiline=True,
            ),
            ft.Row(
                [
                    ft.OutlinedButton(
                        capitalised(_(STATUS_WORDS[other])),
                        key=other,
                        on_click=spawn(
                            actions,
                            save,
                            other,
                            _("Updated: {other}.").format(other=_(STATUS_WORDS[other])),
                        ),
                    )
                    for other in REQUEST_STATUSES
                    if other != status
                ]
                + [
                    ft.TextButton(
                        _("Save ticket and answer"),
                        key="save",
                        on_click=spawn(actions, save, status, _("Saved in your record.")),
                    )
                ],
                wrap=True,
                spacing=6,
                run_spacing=6,
            ),
        ],
        spacing=4,
    )
