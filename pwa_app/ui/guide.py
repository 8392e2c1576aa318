"""Home, the step cards, FAQ, support directory, telling someone, how quick exit works."""

from __future__ import annotations

import flet as ft

from ..domain.content_types import Source, Step
from ..i18n import N_, _
from .common import act, go, h2, info_card, not_legal_advice, para, screen, small, spawn
from .state import Actions, use_actions

TOOL_ROUTES = {
    "evidence": (N_("Open the evidence log"), "/evidence"),
    "requests": (N_("Write a removal request"), "/requests"),
    "checklist": (N_("Open the privacy checklist"), "/checklist"),
    "case": (N_("Open your case record"), "/case"),
    "directory": (N_("Open the support directory"), "/directory"),
    "followups": (N_("See follow-ups"), "/followups"),
    "trusted": (N_("How to tell someone"), "/trusted"),
}


def icon(name: str) -> ft.IconData:
    return getattr(ft.Icons, name, ft.Icons.ARTICLE)


def action_button(actions: Actions, action: str) -> ft.Control | None:
    kind, _sep, target = action.partition(":")
    if kind == "tool":
        return ft.OutlinedButton(
            _(TOOL_ROUTES[target][0]),
            key=action,
            icon=ft.Icons.ARROW_FORWARD,
            on_click=go(actions, TOOL_ROUTES[target][1]),
        )
    if kind == "call":
        h = actions.content.hotline(target)
        return ft.FilledTonalButton(
            _("Call {name} ({phone})").format(name=h.title, phone=h.phone),
            key=action,
            icon=ft.Icons.CALL,
            on_click=spawn(actions, actions.open_url, h.tel_uri),
        )
    if kind == "link":
        host = target.split("/")[2]
        return ft.OutlinedButton(
            _("Open {host}").format(host=host),
            key=action,
            icon=ft.Icons.OPEN_IN_NEW,
            on_click=spawn(actions, actions.open_url, target),
        )
    return None


def sources_block(actions: Actions, sources: tuple[Source, ...]) -> list[ft.Control]:
    return [
        ft.TextButton(
            _("Source: {title} (reviewed {reviewed})").format(
                title=source.title, reviewed=source.reviewed.isoformat()
            ),
            key=f"source:{source.url}",
            on_click=spawn(actions, actions.open_url, source.url),
            style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=0, vertical=2)),
        )
        for source in sources
    ]


@ft.component
def Home():
    actions = use_actions()
    store = actions.store
    done = store.steps.done
    due = [f for f in store.followups if f.overdue]
    cards = []
    for c in actions.content.cards:
        n_done = sum(1 for step in c.steps if step.id in done)
        cards.append(
            ft.Card(
                key=f"card:{c.id}",
                content=ft.ListTile(
                    leading=ft.Icon(icon(c.icon)),
                    title=ft.Text(c.title, weight=ft.FontWeight.W_600),
                    subtitle=ft.Text(
                        _("{summary}\n{n_done} of {n_steps} steps done").format(
                            summary=c.summary, n_done=n_done, n_steps=len(c.steps)
                        )
                    ),
                    on_click=go(actions, f"/card/{c.id}"),
                ),
            )
        )
    cards.append(
        ft.Card(
            key="faq",
            content=ft.ListTile(
                leading=ft.Icon(ft.Icons.HELP_OUTLINE),
                title=ft.Text(_("Questions people ask (FAQ)"), weight=ft.FontWeight.W_600),
                on_click=go(actions, "/faq"),
            ),
        )
    )
    tools = [
        (_("Evidence log"), ft.Icons.CAMERA_ALT, "/evidence"),
        (_("Removal requests"), ft.Icons.OUTGOING_MAIL, "/requests"),
        (_("Case record"), ft.Icons.FOLDER_SHARED, "/case"),
        (_("Privacy checklist"), ft.Icons.CHECKLIST, "/checklist"),
        (_("Support directory"), ft.Icons.CALL, "/directory"),
        (
            _("Follow-ups ({n_due} due)").format(n_due=len(due)) if due else _("Follow-ups"),
            ft.Icons.EVENT,
            "/followups",
        ),
        (_("Settings"), ft.Icons.SETTINGS, "/settings"),
    ]
    return screen(
        actions,
        actions.title(),
        [
            *(
                [
                    ft.Text(
                        _(
                            "{damaged} saved item(s) could not be opened: the stored data was "
                            "changed or damaged. Everything else is here. If you have an "
                            "encrypted backup, it still holds them."
                        ).format(damaged=store.damaged),
                        color=ft.Colors.ERROR,
                    )
                ]
                if store.damaged
                else []
            ),
            para(actions.content.meta.comfort, size=16),
            *([backup_offer(actions)] if store.backup_due else []),
            h2(_("Step by step")),
            *cards,
            h2(_("Your tools")),
            ft.Row(
                wrap=True,
                spacing=8,
                run_spacing=8,
                controls=[
                    ft.FilledTonalButton(label, key=route, icon=ic, on_click=go(actions, route))
                    for label, ic, route in tools
                ],
            ),
            not_legal_advice(actions),
        ],
        back=None,
    )


def backup_offer(actions: Actions) -> ft.Control:
    """New evidence that is in no backup yet, and none for a week: offered, never required."""
    return info_card(
        _("Keep a copy somewhere safe"),
        para(
            _(
                "Some of your evidence is not in a backup yet. A backup is one encrypted file that "
                "opens only with your passphrase; keep it somewhere other than this device."
            ),
            size=14,
        ),
        ft.FilledTonalButton(
            _("Export encrypted backup"),
            key="backup-now",
            icon=ft.Icons.DOWNLOAD,
            on_click=spawn(actions, actions.export_backup),
        ),
        key="backup-due",
    )


def step_row(actions: Actions, number: int, step: Step, done: bool) -> ft.Control:
    async def toggle(event: ft.Event) -> None:
        await actions.save(actions.services.prefs.set_step(step.id, bool(event.control.value)))

    extra: list[ft.Control] = []
    if step.action:
        btn = action_button(actions, step.action)
        if btn is not None:
            extra.append(btn)
    extra += sources_block(actions, step.sources)
    return ft.Container(
        key=f"step:{step.id}",
        padding=ft.Padding.all(12),
        border_radius=10,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
        content=ft.Column(
            [
                ft.Row(
                    [
                        ft.Text(f"{number}.", size=16, weight=ft.FontWeight.W_600),
                        ft.Text(step.text, size=15, expand=True),
                    ],
                    vertical_alignment=ft.CrossAxisAlignment.START,
                ),
                *extra,
                ft.Checkbox(
                    key="done",
                    label=_("Step {number} done").format(number=number),
                    value=done,
                    on_change=act(actions, toggle),
                ),
            ],
            spacing=6,
        ),
    )


@ft.component
def CardScreen():
    actions = use_actions()
    params = ft.use_route_params()
    try:
        card = actions.content.card(params.get("card_id", ""))
    except KeyError:
        return screen(actions, _("Not found"), [para(_("That page does not exist."))])
    done = actions.store.steps.done
    return screen(
        actions,
        card.title,
        [
            para(card.summary, size=16),
            *[step_row(actions, i, s, s.id in done) for i, s in enumerate(card.steps, 1)],
            not_legal_advice(actions),
        ],
    )


@ft.component
def FaqScreen():
    actions = use_actions()
    items: list[ft.Control] = []
    for f in actions.content.faq:
        items.append(
            ft.Column(
                key=f"faq:{f.id}",
                controls=[h2(f.question), para(f.answer), *sources_block(actions, f.sources)],
                spacing=12,
            )
        )
    items += [h2(_("How this guide differs from the article it is based on"))]
    items += [para(f"{c.what}: {c.why}", size=14) for c in actions.content.changes]
    items.append(not_legal_advice(actions))
    return screen(actions, _("Questions people ask"), items)


@ft.component
def Directory():
    actions = use_actions()
    country, set_country = ft.use_state(actions.store.settings.country or "")
    entries = [h for h in actions.content.hotlines if not country or h.country in (country, "INT")]
    chips = [
        ft.Chip(
            key="all",
            label=ft.Text(_("All")),
            selected=not country,
            on_select=lambda _e: set_country(""),
        )
    ] + [
        ft.Chip(
            key=c.code,
            label=ft.Text(c.name),
            selected=country == c.code,
            on_select=lambda _e, code=c.code: set_country(code),
        )
        for c in actions.content.countries
        if c.code != "INT"
    ]
    rows: list[ft.Control] = [
        para(
            _(
                "Tap a number to call. Numbers change: each entry shows where it comes from and "
                "when it was last reviewed."
            )
        ),
        ft.Row(chips, key="countries", wrap=True, spacing=6, run_spacing=6),
    ]
    for h in entries:
        buttons: list[ft.Control] = []
        if h.phone:
            buttons.append(
                ft.FilledButton(
                    _("Call {phone}").format(phone=h.phone),
                    key="call",
                    icon=ft.Icons.CALL,
                    on_click=spawn(actions, actions.open_url, h.tel_uri),
                )
            )
        if h.sms:
            buttons.append(
                ft.OutlinedButton(
                    _("Text {sms}").format(sms=h.sms),
                    key="sms",
                    icon=ft.Icons.SMS,
                    on_click=spawn(actions, actions.open_url, f"sms:{h.sms}"),
                )
            )
        if h.web:
            buttons.append(
                ft.OutlinedButton(
                    _("Open website"),
                    key="web",
                    icon=ft.Icons.OPEN_IN_NEW,
                    on_click=spawn(actions, actions.open_url, h.web),
                )
            )
        note = _("Source: {source} · reviewed {reviewed}").format(
            source=h.source, reviewed=h.reviewed.isoformat()
        )
        if not h.confirmed:
            note += _(" · not yet confirmed on the organisation's own page: check the website")
        rows.append(
            info_card(
                h.title,
                para(h.what, size=14),
                *([small(_("Open: {hours}").format(hours=h.hours))] if h.hours else []),
                ft.Row(buttons, wrap=True, spacing=6, run_spacing=6),
                small(note),
                key=f"hotline:{h.id}",
            )
        )
    rows.append(small(_("Calls you make appear in your phone's call log and bill.")))
    return screen(actions, _("Support directory"), rows)


@ft.component
def Trusted():
    actions = use_actions()
    t = actions.content.trusted
    rows: list[ft.Control] = [para(t.intro, size=16)]
    rows += [para(f"• {tip}") for tip in t.tips]
    for title, text in t.messages:
        rows += [
            h2(title),
            ft.Container(
                padding=12,
                border_radius=8,
                bgcolor=ft.Colors.SURFACE_CONTAINER_HIGH,
                content=para(text),
            ),
            ft.OutlinedButton(
                _('Copy "{title}"').format(title=title),
                key=f"copy:{title}",
                icon=ft.Icons.COPY,
                on_click=spawn(actions, actions.copy, text, _("Message copied")),
            ),
        ]
    return screen(actions, t.title, rows)


@ft.component
def QuickExitInfo():
    actions = use_actions()
    q = actions.content.quick_exit
    return screen(
        actions, q.explain_title, [para(f"• {p}") for p in q.explain_points], back="/settings"
    )
