"""Removal requests: pick a kind, fill in once, preview, copy / email / PDF, mark sent, track."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import flet as ft

from ..domain.content_types import NoticeTemplate, Platform, Route
from ..i18n import _, _n
from ..services import SaveResult
from ..services.requests import Language
from .common import (
    Form,
    act,
    case_line,
    go,
    h2,
    info_card,
    not_legal_advice,
    option,
    para,
    screen,
    share_button,
    small,
    spawn,
    use_form,
)
from .guide import sources_block
from .sent import request_card
from .state import Actions, use_actions


@ft.component
def RequestsHome():
    actions = use_actions()
    store = actions.store
    rows: list[ft.Control] = [
        *case_line(actions),
        notice_box(
            _(
                "Evidence first: removal can destroy evidence the police may "
                "need. Log each address in your evidence log before you send "
                "a request. The app offers to do it for you."
            ),
            size=15,
        ),
        h2(_("Choose what to send")),
    ]
    for n in actions.content.notices:
        rows.append(
            ft.Card(
                key=f"notice:{n.id}",
                content=ft.ListTile(
                    title=ft.Text(n.title, weight=ft.FontWeight.W_600),
                    subtitle=ft.Text(f"{n.region}. {n.summary}"),
                    on_click=go(actions, f"/requests/{n.id}"),
                ),
            )
        )
    rows.append(h2(_("Official platform routes")))
    rows += [
        platform_card(actions, p, write=True, key=f"platform:{p.id}")
        for p in actions.content.platforms
    ]
    rows.append(h2(_("Sent ({n_requests})").format(n_requests=len(store.requests))))
    rows += [request_card(actions, r) for r in reversed(store.requests)] or [
        small(_("Nothing sent yet."))
    ]
    rows.append(not_legal_advice(actions))
    return screen(actions, _("Removal requests"), rows)


def route_note(r: Route) -> str:
    """What the person should know about one route before they open it."""
    notes = []
    if r.take_it_down:
        notes.append(_("the platform's process under the TAKE IT DOWN Act"))
    if r.general:
        notes.append(_("a general page: look there for what the name says"))
    if r.status != "listed":
        notes.append(_("we could not confirm this address on the platform's own pages: check it"))
    return " · ".join(notes)


def route_rows(actions: Actions, p: Platform, use: Callable[[Platform], None] | None = None):
    """One row per route: its name, what to know, a button that opens it."""
    rows: list[ft.Control] = []
    for r in p.routes:
        note = route_note(r)
        rows.append(
            ft.Column(
                key=f"{r.name} {r.url}",
                controls=[
                    para(r.name, size=14),
                    *([small(note)] if note else []),
                    ft.Row(
                        [
                            ft.OutlinedButton(
                                _("Open the form") if not r.general else _("Open the page"),
                                key="open",
                                icon=ft.Icons.OPEN_IN_NEW,
                                on_click=spawn(actions, actions.open_url, r.url),
                            ),
                            *(
                                [
                                    ft.TextButton(
                                        _("Write it for {name}").format(name=p.name),
                                        key="use",
                                        on_click=lambda _e, p=p: use(p),
                                    )
                                ]
                                if use is not None and r.take_it_down
                                else []
                            ),
                        ],
                        wrap=True,
                        spacing=6,
                    ),
                ],
                spacing=2,
            )
        )
    return rows


def platform_card(
    actions: Actions,
    p: Platform,
    use: Callable[[Platform], None] | None = None,
    *,
    chosen: bool = False,
    write: bool = False,
    key: str | None = None,
) -> ft.Control:
    """A platform's routes, what its form asks for, and (on the list) a way to write for it."""
    return info_card(
        p.name + ("  ✓ chosen" if chosen else ""),
        *route_rows(actions, p, use),
        small(_("It asks for: ") + "; ".join(p.asks_for)),
        *([small(p.note)] if p.note else []),
        *(
            [
                ft.OutlinedButton(
                    _("Write text to paste"),
                    key="write",
                    on_click=go(actions, f"/requests/platform?platform={p.id}"),
                )
            ]
            if write
            else []
        ),
        spacing=4,
        key=key,
    )


def _defaults(actions: Actions, kind: str) -> dict[str, str]:
    query = parse_qs(urlsplit(actions.page.route or "").query)
    store = actions.store
    return actions.services.requests.defaults(
        kind,
        profile=store.profile,
        case=actions.case,
        requests=store.requests,
        evidence=store.evidence,
        from_request=query.get("from", [""])[0],
        platform=query.get("platform", [""])[0],
    )


def _field(
    actions: Actions, form: Form, fid: str, required: bool, errors: dict[str, str]
) -> ft.Control:
    f = actions.content.fields[fid]
    label = f.label + (" *" if required else "")
    if f.kind == "choice":
        return ft.Column(
            key=fid,
            controls=[
                small(label),
                ft.RadioGroup(
                    key="choice",
                    value=form.values.get(fid),
                    content=ft.Column([option(c.id, c.label) for c in f.choices]),
                    on_change=lambda event: form.edited(fid, event.control.value),
                ),
                *([ft.Text(errors[fid], color=ft.Colors.ERROR)] if fid in errors else []),
            ],
            spacing=2,
        )
    if f.kind == "date":
        return form.when_field(fid, label, errors, with_time=False)
    kb = {
        "email": ft.KeyboardType.EMAIL,
        "phone": ft.KeyboardType.PHONE,
        "url": ft.KeyboardType.URL,
        "urls": ft.KeyboardType.URL,
    }.get(f.kind)
    return form.field(
        fid,
        label,
        errors,
        multiline=f.kind in ("multiline", "urls"),
        hint=f.help,
        keyboard=kb,
        limit=f.limit,
    )


def notice_box(content: str | ft.Control, size: int = 14) -> ft.Control:
    """A tinted box for what the person must read before they act."""
    return ft.Container(
        padding=12,
        border_radius=8,
        bgcolor=ft.Colors.TERTIARY_CONTAINER,
        content=para(content, size=size) if isinstance(content, str) else content,
    )


def where_to_send(
    actions: Actions, t: NoticeTemplate, chosen: str, use: Callable[[Platform], None]
) -> list[ft.Control]:
    """For requests that go through a platform's own form: the forms first, before the fields."""
    rows: list[ft.Control] = [h2(_("Where to send it"))]
    if t.id == "take_it_down":
        rows.append(
            para(
                _(
                    "Through the platform's own removal form, not by e-mail. The platforms whose "
                    "TAKE IT DOWN form we know:"
                ),
                size=14,
            )
        )
        for p in [p for p in actions.content.platforms if p.take_it_down is not None]:
            rows.append(
                platform_card(actions, p, use, chosen=p.id == chosen, key=f"platform:{p.id}")
            )
        rows.append(
            small(
                _(
                    "Another platform: look for its TAKE IT DOWN or intimate-image report "
                    '(often under "Report" or in its help centre) and type its name below.'
                )
            )
        )
        return rows
    try:
        p = actions.content.platform(chosen)
    except KeyError:
        rows.append(para(_("Choose the platform; its form opens from here."), size=14))
        rows.append(
            ft.Row(
                key="platforms",
                controls=[
                    ft.OutlinedButton(q.name, key=q.id, on_click=lambda _e, q=q: use(q))
                    for q in actions.content.platforms
                ],
                wrap=True,
                spacing=6,
                run_spacing=6,
            )
        )
        return rows
    rows.append(platform_card(actions, p, key=f"platform:{p.id}"))
    return rows


@ft.component
def NoticeForm():
    actions = use_actions()
    ft.use_effect(actions.warm_pdf, [])
    params = ft.use_route_params()
    kind = params.get("kind", "")
    try:
        t = actions.content.notice(kind)
    except KeyError:
        return screen(
            actions,
            _("Not found"),
            [para(_("That request type does not exist."))],
            back="/requests",
        )
    case = actions.case
    form = use_form(_defaults(actions, kind), keep_as=f"request:{kind}:{case.id}" if case else "")
    errors, set_errors = ft.use_state({})
    preview, set_preview = ft.use_state(None)
    unlogged, set_unlogged = ft.use_state([])
    sent, set_sent = ft.use_state(False)
    chosen, set_chosen = ft.use_state(
        parse_qs(urlsplit(actions.page.route or "").query).get("platform", [""])[0]
    )
    language, set_language = ft.use_state("")  # "": the recipient's, until one is chosen

    def use_platform(p: Platform) -> None:
        actions.touch()
        form.edited("recipient", p.name)
        set_chosen(p.id)

    in_use = actions.services.requests.language(kind, form.values, language)

    def edited() -> None:
        """What was previewed is what is sent and recorded: a change takes the preview away
        until the person previews again. The recipient's address typed can change the notice's
        language: the choice of language is drawn again then (and only then, not per key)."""
        if actions.services.requests.language(kind, form.values, language) != in_use:
            form.refresh()
        if preview is not None:
            set_preview(None)
            set_unlogged([])
            actions.say(_("You changed the request. Preview it again before you send it."))

    form.on_edit = edited

    async def make_preview(_e=None) -> None:
        actions.touch()
        errs = actions.services.requests.check(kind, form.values, language)
        set_errors(errs)
        if errs:
            set_preview(None)
            actions.say(
                _("Some fields need a look; they are marked below. Nothing you typed is lost."),
                "error",
            )
            return
        actions.clear_message()
        notice = actions.services.requests.render(kind, form.values, language)
        await actions.services.prefs.save_profile(form.values)
        set_unlogged(await actions.services.evidence.unlogged(actions.case.id, list(notice.urls)))
        set_preview(notice)
        set_sent(False)

    async def log_all() -> None:
        async def write() -> SaveResult:
            saved, refused = await actions.services.evidence.log_many(
                actions.case.id,
                unlogged,
                form.values.get("recipient", ""),
                _("Logged before sending a removal request."),
            )
            set_unlogged(list(refused))
            if refused:  # went through in part: what was not logged is said
                why = "; ".join(f"{u[:80]} ({why})" for u, why in refused.items())
                n = _n(
                    "Logged {n_saved} of {n_unlogged} address.",
                    "Logged {n_saved} of {n_unlogged} addresses.",
                    len(unlogged),
                ).format(n_saved=len(saved), n_unlogged=len(unlogged))
                return SaveResult(True, {"": _("{n} Not logged: {why}").format(n=n, why=why)})
            return SaveResult(
                True,
                said=_n(
                    "Logged {n_saved} address with the time now. You can attach "
                    "screenshots in the evidence log.",
                    "Logged {n_saved} addresses with the time now. You can attach "
                    "screenshots in the evidence log.",
                    len(saved),
                ).format(n_saved=len(saved)),
            )

        await actions.save(write())

    async def save_pdf(share: bool = False) -> None:
        await actions.hand_over(
            f"{kind}-notice.pdf", await actions.services.requests.pdf(preview), share
        )

    async def mark_sent() -> None:
        recorded = await actions.save(
            actions.services.requests.mark_sent(actions.case.id, preview),
            ok=_("Recorded in your case. ") + t.follow_up,
        )
        if recorded:  # what was typed is in the record now (the form keeps it, for another)
            await actions.drop_draft(form)
        set_sent(recorded)  # a refused one can be corrected and recorded again

    body: list[ft.Control] = [para(t.summary)]
    if t.not_fit:
        body.append(notice_box(t.not_fit))
    if t.warning:
        body.append(notice_box(t.warning))
    if t.send_via == "form":
        body += where_to_send(actions, t, chosen, use_platform)
    body += [small(_("Fields marked * are needed."))]
    body += [_field(actions, form, fid, fid in t.required, errors) for fid in t.fields]

    def choose_language(value: str) -> None:
        actions.touch()
        set_language(value)
        edited()

    body += language_choice(actions, t, in_use, choose_language)
    body.append(
        ft.FilledButton(
            _("Preview"), key="preview", icon=ft.Icons.PREVIEW, on_click=act(actions, make_preview)
        )
    )
    if preview is not None:
        if unlogged:
            body.append(
                notice_box(
                    ft.Column(
                        [
                            para(
                                _(
                                    "Evidence first: {n_unlogged} of these addresses are not in "
                                    "your evidence log yet. Removal can destroy evidence the "
                                    "police may need."
                                ).format(n_unlogged=len(unlogged))
                            ),
                            ft.Row(
                                [
                                    ft.FilledTonalButton(
                                        _("Log them now"),
                                        key="log",
                                        icon=ft.Icons.SAVE,
                                        on_click=spawn(actions, log_all),
                                    ),
                                    ft.TextButton(
                                        _("Continue without logging"),
                                        key="skip",
                                        on_click=lambda _e: set_unlogged([]),
                                    ),
                                ],
                                wrap=True,
                            ),
                        ]
                    ),
                )
            )
        if preview.repeated:
            body.append(
                notice_box(
                    _n(
                        "{repeated} address you gave was the same as another one (the site "
                        "written differently, or a / at the end), so it is listed once.",
                        "{repeated} addresses you gave were the same as another one (the "
                        "site written differently, or a / at the end), so each is listed "
                        "once.",
                        preview.repeated,
                    ).format(repeated=preview.repeated)
                )
            )
        body += [
            h2(_("Preview")),
            ft.Container(
                padding=12,
                border_radius=8,
                bgcolor=ft.Colors.SURFACE_CONTAINER_HIGH,
                content=ft.Text(preview.text, size=14),
            ),
            *([notice_box(t.warning)] if t.warning else []),
            *([para(t.how_to_send, size=14)] if t.how_to_send else []),
            ft.Row(
                key="send",
                controls=[
                    ft.FilledButton(
                        _("Copy text"),
                        key="copy",
                        icon=ft.Icons.COPY,
                        on_click=spawn(actions, actions.copy, preview.text, _("Notice copied")),
                    ),
                    *(
                        [
                            ft.FilledTonalButton(
                                _("Open in email app"),
                                key="email",
                                icon=ft.Icons.EMAIL,
                                on_click=spawn(
                                    actions,
                                    actions.open_url,
                                    actions.services.requests.mailto(preview),
                                ),
                            )
                        ]
                        if t.send_via == "email"
                        else []
                    ),
                    ft.FilledTonalButton(
                        _("Save PDF"),
                        key="pdf",
                        icon=ft.Icons.PICTURE_AS_PDF,
                        on_click=spawn(actions, save_pdf),
                    ),
                    *share_button(actions, _("Share PDF"), "pdf-share", save_pdf, True),
                ],
                wrap=True,
                spacing=6,
                run_spacing=6,
            ),
            ft.FilledButton(
                _("Mark as sent") if t.send_via == "email" else _("I sent it through the form"),
                key="sent",
                icon=ft.Icons.SEND,
                on_click=spawn(actions, mark_sent),
                disabled=sent,
            ),
            small(t.follow_up),
        ]
    body += sources_block(actions, t.sources)
    if (version := t.version(in_use.words.id)) is not None:
        body += sources_block(actions, version.sources)
    body.append(not_legal_advice(actions))
    return screen(actions, t.title, body, back="/requests")


def language_choice(
    actions: Actions, t: NoticeTemplate, now: Language, choose: Callable[[str], None]
) -> list[ft.Control]:
    """The language the notice is written in, when it can be written in more than one: the
    recipient's by default, said why, and what to know about a version not yet reviewed."""
    languages = actions.services.requests.languages(t.id)
    if len(languages) < 2:
        return []
    if now.ending:
        why = _("Chosen from their address, which ends in .{ending}.").format(ending=now.ending)
    elif now.chosen:
        why = _("You chose it.")
    else:
        why = _("English: their address does not point to another of these languages.")
    version = t.version(now.words.id)
    return [
        ft.Column(
            key="language",
            controls=[
                small(_("Language of the notice")),
                ft.RadioGroup(
                    key="choice",
                    value=now.words.id,
                    content=ft.Column(
                        [ft.Radio(key=x.id, value=x.id, label=x.name) for x in languages]
                    ),
                    on_change=lambda event: choose(event.control.value),
                ),
                small(why),
                *([notice_box(version.note)] if version is not None else []),
            ],
            spacing=2,
        )
    ]
