"""The long-term record's lists: the privacy checklist and the follow-ups."""

from __future__ import annotations

import flet as ft

from ..domain import FollowUp
from ..i18n import _, _n, marked
from .common import (
    h2,
    local_time,
    para,
    screen,
    small,
    spawn,
    tick,
)
from .state import Actions, use_actions


# ---- checklist --------------------------------------------------------------------------------
@ft.component
def ChecklistScreen():
    actions = use_actions()
    done = actions.store.checklist.done
    ids = actions.content.checklist_ids
    n_done, total = actions.store.checklist.count(ids)
    rows: list[ft.Control] = [
        ft.Text(
            _("{n_done} of {total} done").format(n_done=n_done, total=total),
            size=18,
            weight=ft.FontWeight.W_600,
        ),
        ft.ProgressBar(value=n_done / total if total else 0),
        para(
            _(
                "A few settings make it harder for anyone to find or misuse your accounts. Do what "
                "you can; every step helps."
            )
        ),
    ]
    for g in actions.content.checklist:
        rows.append(h2(g.title))
        for item in g.items:

            async def toggle(ticked: bool, item_id: str = item.id) -> None:
                await actions.save(actions.services.prefs.set_checklist(item_id, ticked))

            rows.append(
                ft.Column(
                    key=f"checklist:{item.id}",
                    controls=[
                        tick(actions, "done", item.what, item.id in done, toggle),
                        ft.Container(
                            padding=ft.Padding.only(left=44),
                            content=small(_("Where: {where}").format(where=item.where)),
                        ),
                    ],
                    spacing=0,
                )
            )
    return screen(actions, _("Privacy checklist"), rows)


# ---- follow-ups -------------------------------------------------------------------------------
def _escalation(actions: Actions, kind: str):
    try:
        return actions.content.notice(kind).escalate if kind else None
    except KeyError:
        return None


@ft.component
def FollowUps():
    actions = use_actions()
    reqs = {r.id: r for r in actions.store.all_requests}
    titles = {c.id: c.title for c in actions.store.cases}
    several = len(titles) > 1

    async def mark_removed(request_id: str) -> None:
        await actions.save(
            actions.services.requests.update(request_id, "removed"), ok=_("Marked removed.")
        )

    async def deadline_done(request_id: str, label: str, done: bool = True) -> None:
        await actions.save(
            actions.services.requests.follow_up_done(request_id, label, done),
            ok=_("Done. It is kept in your case history, and you can bring it back below.")
            if done
            else _("It is back on your follow-ups."),
        )

    async def still_gone(evidence_id: str) -> None:
        await actions.save(
            actions.services.evidence.still_gone(evidence_id),
            ok=_("Noted. We will remind you to look again in 30 days."),
        )

    rows: list[ft.Control] = [para(_("What is due or overdue. Re-send or escalate in one tap."))]
    for f in actions.store.followups:
        buttons: list[ft.Control] = []
        r = reqs.get(f.request_id or "")
        if r is not None:
            buttons += [
                ft.OutlinedButton(
                    _("Copy to re-send"),
                    key="copy",
                    icon=ft.Icons.COPY,
                    on_click=spawn(actions, actions.copy, r.text, _("Request copied")),
                ),
                *(
                    [
                        ft.OutlinedButton(
                            _("Escalate to the host"),
                            key="escalate-host",
                            icon=ft.Icons.ARROW_UPWARD,
                            on_click=spawn(
                                actions, actions.open_case, r.case_id, f"/requests/host?from={r.id}"
                            ),
                        )
                    ]
                    if actions.content.hosted(r.kind)
                    else []
                ),
                ft.OutlinedButton(
                    _("Mark removed"),
                    key="removed",
                    on_click=spawn(actions, mark_removed, r.id),
                    icon=ft.Icons.DONE,
                ),
                ft.OutlinedButton(
                    _("I've dealt with this"),
                    key="done",
                    on_click=spawn(actions, deadline_done, r.id, f.label),
                    icon=ft.Icons.CHECK_CIRCLE_OUTLINE,
                ),
            ]
        escalate = _escalation(actions, f.kind) if f.overdue else None
        if escalate is not None:
            buttons.insert(
                0,
                ft.FilledTonalButton(
                    escalate.label,
                    key="escalate",
                    icon=ft.Icons.OPEN_IN_NEW,
                    on_click=spawn(actions, actions.open_url, escalate.url),
                ),
            )
        if f.evidence_id:
            if f.recheck:
                buttons.append(
                    ft.OutlinedButton(
                        _("I looked: still gone"),
                        key="still-gone",
                        on_click=spawn(actions, still_gone, f.evidence_id),
                        icon=ft.Icons.DONE,
                    )
                )
            buttons.append(
                ft.OutlinedButton(
                    _("Open evidence log"),
                    key="evidence",
                    on_click=spawn(actions, actions.open_case, f.case_id, "/evidence"),
                )
            )
        rows.append(
            ft.Card(
                key=f"due:{f.id}",
                content=ft.Container(
                    padding=12,
                    content=ft.Column(
                        [
                            ft.Text(
                                (_("Overdue: ") if f.overdue else _("Due: ")) + local_time(f.when),
                                color=ft.Colors.ERROR if f.overdue else None,
                                weight=ft.FontWeight.W_600,
                            ),
                            *(
                                [small(_("Case: {case}").format(case=titles.get(f.case_id, "")))]
                                if several
                                else []
                            ),
                            para(followup_words(f), size=14),
                            *([para(escalate.text, size=14)] if escalate is not None else []),
                            ft.Row(buttons, wrap=True, spacing=6, run_spacing=6),
                        ],
                        spacing=6,
                    ),
                ),
            )
        )
    if len(rows) == 1:
        rows.append(small(_("Nothing is due. Requests you mark as sent appear here.")))
    dealt = actions.store.dealt
    if dealt:
        rows.append(h2(_("Dealt with")))
        for f in dealt:
            rows.append(
                ft.Container(
                    key=f"dealt:{f.id}",
                    padding=ft.Padding.symmetric(horizontal=4, vertical=2),
                    content=ft.Column(
                        [
                            *(
                                [small(_("Case: {case}").format(case=titles.get(f.case_id, "")))]
                                if several
                                else []
                            ),
                            para(
                                _("{text}, due {when}").format(
                                    text=followup_words(f), when=local_time(f.when)
                                ),
                                size=14,
                            ),
                            ft.TextButton(
                                _("Put it back on the list"),
                                icon=ft.Icons.UNDO,
                                on_click=spawn(
                                    actions, deadline_done, f.request_id, f.label, False
                                ),
                            ),
                        ],
                        spacing=2,
                    ),
                )
            )
    return screen(actions, _("Follow-ups"), rows)


def followup_words(f: FollowUp) -> str:
    """What a follow-up says, in the screens' language (the domain's ``text`` is English)."""
    if f.label:
        return _n(
            "{label}: {recipient} ({count} address)",
            "{label}: {recipient} ({count} addresses)",
            f.addresses,
        ).format(label=marked(f.label), recipient=f.recipient, count=f.addresses)
    if f.recheck:
        return _("Check again that it is still gone: {url}").format(url=f.url)
    if f.evidence_id:
        return _("Not reported yet: {url}").format(url=f.url)
    return f.text
