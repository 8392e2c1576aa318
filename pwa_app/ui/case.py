"""The case record: case numbers, the timeline, the report and the evidence pack, and the
cases themselves."""

from __future__ import annotations

import asyncio
from datetime import datetime

import flet as ft

from .. import i18n
from ..domain import CASE_NUMBER_KINDS
from ..i18n import _
from .common import (
    Form,
    act,
    h2,
    local_time,
    one_moment,
    option,
    para,
    screen,
    share_button,
    small,
    spawn,
    use_form,
)
from .state import Actions, use_actions


# ---- case -------------------------------------------------------------------------------------
def report_language(prep: Form) -> list[ft.Control]:
    """The language of the report and the pack, when there is more than English: the screen's
    by default (for the police where the person lives), English for a reader who needs it."""
    offered = i18n.offered()
    if len(offered) < 2:
        return []
    return [
        small(_("Language of the report and the pack")),
        ft.RadioGroup(
            key="report-language",
            value=prep.values.get("language") or i18n.current().language,
            on_change=lambda event: prep.edited("language", event.control.value),
            content=ft.Row(
                [ft.Radio(key=code, value=code, label=name) for code, name in offered.items()],
                wrap=True,
            ),
        ),
    ]


def report_translator(prep: Form) -> i18n.Translator:
    chosen = prep.values.get("language")
    if not chosen or chosen == i18n.current().language or chosen not in i18n.offered():
        return i18n.current()
    return i18n.translator_for(chosen)


def case_switcher(actions: Actions, case, switch) -> list[ft.Control]:
    """With more than one case: which one is shown."""
    if len(actions.store.cases) < 2:
        return []
    return [
        h2(_("Your cases ({n_cases})").format(n_cases=len(actions.store.cases))),
        small(_("The evidence log, requests and everything below belong to the case chosen.")),
        ft.RadioGroup(
            key="cases",
            value=case.id,
            on_change=act(actions, switch),
            content=ft.Column(
                [option(c.id, c.title) for c in actions.store.cases],
                spacing=0,
            ),
        ),
    ]


@ft.component
def CaseDetails(case_id: str, title: str, jurisdiction: str):
    """The case's name and place. Keyed by the case: another case (a new one, or one switched
    to) gets a form of its own, never the one typed for the case before."""
    actions = use_actions()
    details = use_form()
    errors, set_errors = ft.use_state({})
    details.values.setdefault("title", title)
    details.values.setdefault("jurisdiction", jurisdiction)

    async def save(_e=None) -> None:
        v = details.values
        await actions.save(
            actions.services.cases.edit(case_id, v["title"], v["jurisdiction"]),
            _("Case details saved."),
            form=details,
            set_errors=set_errors,
        )

    return ft.Column(
        [
            h2(_("This case")),
            details.field("title", _("Case name"), errors, on_submit=act(actions, save)),
            details.field("jurisdiction", _("Country or state (optional)"), errors),
            ft.OutlinedButton(
                _("Save case details"),
                key="save-case",
                icon=ft.Icons.EDIT,
                on_click=act(actions, save),
            ),
        ],
        spacing=12,
    )


def new_case(actions: Actions, starting: Form, errors, start_case) -> list[ft.Control]:
    return [
        h2(_("Start another case")),
        small(_("For another site, another person, or if it happens again.")),
        starting.field(
            "new_title", _("Name for the new case"), errors, on_submit=act(actions, start_case)
        ),
        ft.FilledTonalButton(
            _("Start new case"),
            key="new-case",
            icon=ft.Icons.ADD,
            on_click=act(actions, start_case),
        ),
    ]


@ft.component
def CaseScreen():
    actions = use_actions()
    store = actions.store
    case = actions.case
    ft.use_effect(actions.warm_pdf, [])
    form = use_form({"kind": "police"}, keep_as=f"case-number:{case.id}" if case else "")
    note = use_form(keep_as=f"case-note:{case.id}" if case else "")
    errors, set_errors = ft.use_state({})
    finder = use_form(saves=False)
    prep = use_form()
    hits, set_hits = ft.use_state([])
    progress, set_progress = ft.use_state(None)
    # (kept in the form's values, which change at once, and not only in the next render's state:
    # a tap on "Make evidence report" right after ticking must see the tick)
    include_images = prep.values.get("include_images") == "yes"
    starting = use_form()
    if case is None:
        return screen(actions, _("Case record"), [one_moment()])

    async def start_case(_e=None) -> None:
        v = starting.values
        await actions.save(
            actions.services.cases.new(v.get("new_title", ""), case.jurisdiction),
            _("New case started. It is now the one shown."),
            form=starting,
            set_errors=set_errors,
            field="new_title",
        )

    async def switch(event: ft.Event) -> None:
        set_hits([])
        await actions.open_case(event.control.value)

    async def add_number(_e=None) -> None:
        v = form.values
        write = actions.services.cases.add_number(
            case.id,
            v.get("kind", "police"),
            v.get("organisation", ""),
            v.get("number", ""),
            v.get("date", ""),
            v.get("contact", ""),
        )
        await actions.save(
            write, _("Case number saved."), form=form, set_errors=set_errors, keep=("kind",)
        )

    async def add_note(_e=None) -> None:
        await actions.save(
            actions.services.cases.add_note(case.id, note.values.get("text", "")),
            _("Added to the timeline."),
            form=note,
            set_errors=set_errors,
            field="text",
        )

    async def search(_e=None) -> None:
        actions.touch()
        set_hits(await actions.services.overview.search(finder.values.get("q", "")))

    async def make(what: str, share: bool = False) -> None:
        loop = asyncio.get_running_loop()
        done = False

        def tick(f: float) -> None:  # from the worker thread (natively), or at once
            loop.call_soon_threadsafe(lambda: None if done else set_progress(f))

        set_progress(0.0)
        try:
            by, say = prep.values.get("prepared_by", ""), report_translator(prep)
            if what == "pack":
                made = await actions.services.reports.pack(case.id, tick, prepared_by=by, say=say)
            else:
                with_images = prep.values.get("include_images") == "yes"
                made = await actions.services.reports.report(
                    case.id, with_images, tick, prepared_by=by, say=say
                )
        finally:
            done = True
            set_progress(None)
        day = f"{datetime.now():%Y-%m-%d}"
        name = f"evidence-pack-{day}.zip" if what == "pack" else f"evidence-report-{day}.pdf"
        await actions.hand_over(name, made.data, share)
        if made.unread:  # said beside what became of the file, never instead of it
            unread = _(
                "{count} file(s) in this case could not be read back as they were added, so "
                "they are not in it; it names each one. A backup made earlier may still hold "
                "them."
            ).format(count=len(made.unread))
            actions.say(f"{actions.store.message} {unread}".strip(), "error")

    kinds = ft.RadioGroup(
        key="kind",
        value=form.values.get("kind", "police"),
        on_change=lambda event: form.values.__setitem__("kind", event.control.value),
        content=ft.Row(
            [ft.Radio(key=k, value=k, label=_(CASE_NUMBER_KINDS[k])) for k in CASE_NUMBER_KINDS],
            wrap=True,
        ),
    )
    numbers = [
        ft.ListTile(
            key=f"number:{i}",  # numbers are only ever added, so the place is the identity
            title=ft.Text(f"{_(CASE_NUMBER_KINDS[n.kind])}: {n.number}"),
            subtitle=ft.Text(
                " · ".join(
                    x
                    for x in (n.organisation, n.date.isoformat() if n.date else "", n.contact)
                    if x
                )
            ),
        )
        for i, n in enumerate(case.case_numbers)
    ]
    timeline = [
        small(f"{local_time(t.when)}  {t.said(_)}", key=f"timeline:{t.id}")
        for t in reversed(store.timeline[-50:])
    ]
    return screen(
        actions,
        _("Case record"),
        [
            para(
                _("Keep every case number, ticket and reference here, with who gave it and when.")
            ),
            *case_switcher(actions, case, switch),
            h2(_("Case numbers ({n_case_numbers})").format(n_case_numbers=len(case.case_numbers))),
            *(numbers or [small(_("None yet."))]),
            h2(_("Add a case number")),
            kinds,
            form.field(
                "organisation",
                _("Organisation"),
                errors,
                hint=_("For example Metropolitan Police"),
            ),
            form.field("number", _("Number or reference"), errors),
            form.when_field(
                "date", _("Date given (YYYY-MM-DD, optional)"), errors, with_time=False
            ),
            form.field(
                "contact",
                _("Contact (optional)"),
                errors,
                hint=_("A person, a phone number or an email address"),
            ),
            ft.FilledButton(
                _("Save case number"),
                key="save-number",
                icon=ft.Icons.SAVE,
                on_click=act(actions, add_number),
            ),
            h2(_("Timeline")),
            note.field("text", _("What happened or what you did"), errors, multiline=True),
            ft.FilledButton(
                _("Add to timeline"),
                key="add-note",
                icon=ft.Icons.ADD,
                on_click=act(actions, add_note),
            ),
            *(timeline or [small(_("Nothing yet."))]),
            h2(_("Search your record")),
            finder.field("q", _("Search"), on_submit=act(actions, search)),
            ft.OutlinedButton(
                _("Search"), key="search", icon=ft.Icons.SEARCH, on_click=act(actions, search)
            ),
            *[small(f"{where}: {text}") for where, text in hits],
            h2(_("Evidence report (PDF)")),
            para(
                _(
                    "For the police or a lawyer: case numbers, every address with dates and "
                    "status, "
                    "file fingerprints, the requests you sent with their answers, and the notices "
                    "themselves. Times are given in this device's time zone, with UTC beside them."
                )
            ),
            prep.field(
                "prepared_by",
                _("Prepared by (optional)"),
                errors,
                hint=_("As you want it to read: your name, or your initials"),
            ),
            ft.Checkbox(
                key="include-images",
                label=_("Include attached images"),
                value=include_images,
                on_change=lambda event: prep.edited(
                    "include_images", "yes" if event.control.value else ""
                ),
            ),
            *report_language(prep),
            ft.FilledButton(
                _("Make evidence report"),
                key="report",
                icon=ft.Icons.PICTURE_AS_PDF,
                on_click=spawn(actions, make, "report"),
                disabled=progress is not None,
            ),
            *share_button(
                actions, _("Share evidence report"), "report-share", make, "report", True
            ),
            h2(_("Evidence pack (one ZIP file)")),
            para(
                _(
                    "Everything in one file for the police or a lawyer: the report, every "
                    "attached file exactly as you added it, and their fingerprints with the "
                    "record's history, so they can check that nothing was changed."
                )
            ),
            ft.Container(
                padding=12,
                border_radius=8,
                bgcolor=ft.Colors.TERTIARY_CONTAINER,
                content=para(
                    _(
                        "The pack is not encrypted and holds your pictures: save it only where you "
                        "trust, and give it only to the people who need it."
                    ),
                    size=14,
                ),
            ),
            ft.FilledTonalButton(
                _("Save evidence pack"),
                key="pack",
                icon=ft.Icons.FOLDER_ZIP,
                on_click=spawn(actions, make, "pack"),
                disabled=progress is not None,
            ),
            *share_button(actions, _("Share evidence pack"), "pack-share", make, "pack", True),
            *([ft.ProgressBar(value=progress)] if progress is not None else []),
            CaseDetails(case.id, case.title, case.jurisdiction, key=f"case:{case.id}"),
            *new_case(actions, starting, errors, start_case),
        ],
    )
