"""The long-term record: evidence log, case record, privacy checklist, follow-ups, settings."""

from __future__ import annotations

import asyncio
from datetime import datetime

import flet as ft

from ..domain import CASE_NUMBER_KINDS, MAX_URL, dealt_with
from ..services import MAX_ATTACHMENT
from ..services.prefs import last_backup
from ..vault.strength import estimate
from .common import (
    ConfirmButton,
    Form,
    act,
    case_line,
    go,
    h2,
    made_passphrase,
    para,
    safari_note,
    screen,
    settle,
    share_button,
    small,
    spawn,
    use_form,
)
from .shared import HOW_TO_SHARE, shared_section
from .state import Actions, use_actions

NEXT_STATUS_LABEL = {
    "reported": "Mark reported",
    "removed": "Mark removed",
    "reappeared": "Mark reappeared",
}


def _fmt(dt: datetime) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


# ---- evidence ---------------------------------------------------------------------------------
def evidence_form(a: Actions, form: Form, errors: dict[str, str], set_errors) -> list[ft.Control]:
    async def save(_e=None) -> None:
        v = form.values
        res, _item = await a.service.evidence.log(
            a.case.id,
            v.get("url", ""),
            v.get("platform", ""),
            v.get("found_at"),
            v.get("notes", ""),
        )
        if not res.ok:
            set_errors(res.errors)  # every field's problem at once, each beside its field
            a.say("Please check the marked fields. Nothing you typed is lost.", "error")
            return
        set_errors({})
        form.reset()
        await a.run(asyncio.sleep(0), ok="Saved to your evidence log.")

    return [
        h2("Log where you found it"),
        form.field(
            "url",
            "Web address (URL)",
            errors,
            keyboard=ft.KeyboardType.URL,
            hint="Copy it from the address bar. Do not save the images themselves here "
            "if they show anyone under 18.",
            limit=MAX_URL,
        ),
        form.field("platform", "Site or app (for example Reddit)", errors),
        form.when_field("found_at", "When you found it (YYYY-MM-DD HH:MM, empty = now)", errors),
        form.field("notes", "Notes (optional)", errors, multiline=True),
        ft.FilledButton(
            "Save to evidence log", key="save", icon=ft.Icons.SAVE, on_click=act(a, save)
        ),
    ]


PICTURE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "bmp", "tif", "tiff"}


@ft.component
def Attachment(
    evidence_id: str,
    blob_id: str,
    filename: str,
    sha: str,
    mime: str,
    added: str,
    size: int,
    own_date: str = "",
):
    a = use_actions()
    shown, set_shown = ft.use_state(False)
    data, set_data = ft.use_state(None)

    async def load() -> None:
        a.touch()
        set_data(await a.service.evidence.file_bytes(blob_id))

    is_image = mime.startswith("image/")
    controls: list[ft.Control] = [
        small(f"{filename} · {size:,} bytes · added to Recourse {added}"),
        *([small(f"Its own date: {own_date}")] if own_date else []),
        small(f"SHA-256 {sha}"),
    ]
    if is_image:
        if data is None:
            controls.append(
                ft.OutlinedButton(
                    "Load blurred preview", icon=ft.Icons.IMAGE, on_click=spawn(a, load)
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
                    "Hide" if shown else "Tap to show", on_click=lambda _e: set_shown(not shown)
                )
            )

    async def remove() -> None:
        await a.run(
            a.service.evidence.remove_file(evidence_id, blob_id),
            ok=f"{filename} removed. The timeline keeps its fingerprint.",
        )

    controls.append(
        ConfirmButton(
            f"Remove {filename if len(filename) <= 40 else filename[:37] + '...'}",
            f"Remove {filename} from this device? This cannot be undone.",
            "Yes, remove it",
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


def evidence_card(a: Actions, e) -> ft.Control:
    async def move(status: str) -> None:
        await a.run(a.service.evidence.set_status(e.id, status), ok=f"Marked {status}.")

    async def attach() -> None:
        f = await a.pick_file()
        if f is None:
            return
        data = f.bytes or b""
        if len(data) > MAX_ATTACHMENT:
            a.say("That file is larger than 15 MB. Try a screenshot instead.", "error")
            return
        from ..photo import inspect_image

        info = inspect_image(data)
        mime = info.mime if info.ok else "application/octet-stream"
        msg = "Attached. Its SHA-256 fingerprint is recorded."
        looks_like_picture = f.name.rsplit(".", 1)[-1].lower() in PICTURE_EXTENSIONS
        if not info.ok and looks_like_picture:
            msg += (
                f" {f.name} is named like a picture but is not one this app can read, so it is "
                "kept as a file and not previewed. If it should be a picture, take a new "
                "screenshot and attach that too."
            )
        if info.ok and info.revealing:
            msg += " This photo's hidden data shows: " + "; ".join(info.revealing) + "."
        if info.ok and info.unread:
            msg += " " + info.unread
        await a.run(a.service.evidence.attach(e.id, f.name, data, mime), ok=msg)

    buttons = [
        ft.OutlinedButton(NEXT_STATUS_LABEL[s], key=s, on_click=spawn(a, move, s))
        for s in e.next_statuses
        if s in NEXT_STATUS_LABEL
    ]
    buttons.append(
        ft.OutlinedButton(
            "Attach screenshot or file",
            key="attach",
            icon=ft.Icons.ATTACH_FILE,
            on_click=spawn(a, attach),
        )
    )
    body: list[ft.Control] = [
        ft.Text(e.url, size=14, weight=ft.FontWeight.W_600),
        small(f"{e.platform or 'Site not named'} · found {_fmt(e.found_at)} · status: {e.status}"),
    ]
    if e.notes:
        body.append(para(e.notes, size=14))
    body += [
        Attachment(
            e.id,
            x.blob_id,
            x.filename,
            x.sha256,
            x.mime,
            _fmt(x.added_at),
            x.size,
            f"{x.own_date} (from {x.own_date_from})" if x.own_date else "",
            key=x.blob_id,  # its preview and its question stay with this file
        )
        for x in e.attachments
    ]
    body.append(ft.Row(buttons, wrap=True, spacing=6, run_spacing=6))

    async def remove() -> None:
        await a.run(a.service.evidence.remove(e.id), ok="Removed from the evidence log.")

    body.append(
        ConfirmButton(
            "Remove this entry",
            "Remove this entry and its files from this device? This cannot be undone. If it "
            "may be needed as evidence, keep it and mark its status instead.",
            "Yes, remove it",
            remove,
            key="remove",
        )
    )
    # Keyed by the entry: when an entry is logged or removed the cards shift, and an unkeyed
    # card's open question (or shown picture) would pass to the entry now in its place.
    return ft.Card(
        key=f"evidence:{e.id}",
        content=ft.Container(padding=12, content=ft.Column(body, spacing=6)),
    )


def nothing_logged(a: Actions) -> str:
    if len(a.store.cases) > 1:
        return (
            f"Nothing logged yet. This is the case {a.store.case.title}; each case keeps its "
            "own entries: to see another case's, use Change case above."
        )
    return "Nothing logged yet."


@ft.component
def EvidenceScreen():
    a = use_actions()
    form = use_form()
    errors, set_errors = ft.use_state({})
    items = list(reversed(a.store.evidence))
    return screen(
        a,
        "Evidence log",
        [
            *case_line(a),
            para(
                "Keep a record before anything is removed. Everything here is encrypted on this "
                "device."
            ),
            *safari_note(a),
            *evidence_form(a, form, errors, set_errors),
            *shared_section(a),
            h2(f"Logged ({len(items)})"),
            *([evidence_card(a, e) for e in items] or [small(nothing_logged(a))]),
            ft.OutlinedButton(
                "Check a photo's hidden data",
                key="photo",
                icon=ft.Icons.PHOTO,
                on_click=go(a, "/photo"),
            ),
            small(HOW_TO_SHARE, key="how-to-share"),
        ],
    )


# ---- case -------------------------------------------------------------------------------------
def case_switcher(a: Actions, case, switch) -> list[ft.Control]:
    """With more than one case: which one is shown."""
    if len(a.store.cases) < 2:
        return []
    return [
        h2(f"Your cases ({len(a.store.cases)})"),
        small("The evidence log, requests and everything below belong to the case chosen."),
        ft.RadioGroup(
            key="cases",
            value=case.id,
            on_change=act(a, switch),
            content=ft.Column(
                [ft.Radio(key=c.id, value=c.id, label=c.title) for c in a.store.cases],
                spacing=0,
            ),
        ),
    ]


@ft.component
def CaseDetails(case_id: str, title: str, jurisdiction: str):
    """The case's name and place. Keyed by the case: another case (a new one, or one switched
    to) gets a form of its own, never the one typed for the case before."""
    a = use_actions()
    details = use_form()
    errors, set_errors = ft.use_state({})
    details.values.setdefault("title", title)
    details.values.setdefault("jurisdiction", jurisdiction)

    async def save(_e=None) -> None:
        v = details.values
        res = await a.service.cases.edit(case_id, v["title"], v["jurisdiction"])
        await settle(a, res, details, set_errors, "Case details saved.")

    return ft.Column(
        [
            h2("This case"),
            details.field("title", "Case name", errors, on_submit=act(a, save)),
            details.field("jurisdiction", "Country or state (optional)", errors),
            ft.OutlinedButton(
                "Save case details", key="save-case", icon=ft.Icons.EDIT, on_click=act(a, save)
            ),
        ],
        spacing=12,
    )


def new_case(a: Actions, starting: Form, errors, start_case) -> list[ft.Control]:
    return [
        h2("Start another case"),
        small("For another site, another person, or if it happens again."),
        starting.field("new_title", "Name for the new case", errors, on_submit=act(a, start_case)),
        ft.FilledTonalButton(
            "Start new case", key="new-case", icon=ft.Icons.ADD, on_click=act(a, start_case)
        ),
    ]


@ft.component
def CaseScreen():
    a = use_actions()
    st = a.store
    case = a.case
    ft.use_effect(a.warm_pdf, [])
    form = use_form({"kind": "police"})
    note = use_form()
    errors, set_errors = ft.use_state({})
    finder = use_form()
    prep = use_form()
    hits, set_hits = ft.use_state([])
    progress, set_progress = ft.use_state(None)
    include_images, set_include = ft.use_state(False)
    starting = use_form()
    if case is None:
        return screen(a, "Case record", [ft.ProgressRing()])

    async def start_case(_e=None) -> None:
        v = starting.values
        res, _new = await a.service.cases.new(v.get("new_title", ""), case.jurisdiction)
        ok = "New case started. It is now the one shown."
        await settle(a, res, starting, set_errors, ok, field="new_title")

    async def switch(e: ft.Event) -> None:
        set_hits([])
        await a.open_case(e.control.value)

    async def add_number(_e=None) -> None:
        v = form.values
        res = await a.service.cases.add_number(
            case.id,
            v.get("kind", "police"),
            v.get("organisation", ""),
            v.get("number", ""),
            v.get("date", ""),
            v.get("contact", ""),
        )
        await settle(a, res, form, set_errors, "Case number saved.", keep=("kind",))

    async def add_note(_e=None) -> None:
        res = await a.service.cases.add_note(case.id, note.values.get("text", ""))
        await settle(a, res, note, set_errors, "Added to the timeline.", field="text")

    async def search(_e=None) -> None:
        a.touch()
        set_hits(await a.service.overview.search(finder.values.get("q", "")))

    async def make(what: str, share: bool = False) -> None:
        loop = asyncio.get_running_loop()
        done = False

        def tick(f: float) -> None:  # from the worker thread (natively), or at once
            loop.call_soon_threadsafe(lambda: None if done else set_progress(f))

        set_progress(0.0)
        try:
            by = prep.values.get("prepared_by", "")
            if what == "pack":
                data = await a.service.reports.pack(case.id, tick, prepared_by=by)
            else:
                data = await a.service.reports.report(case.id, include_images, tick, prepared_by=by)
        finally:
            done = True
            set_progress(None)
        day = f"{datetime.now():%Y-%m-%d}"
        name = f"evidence-pack-{day}.zip" if what == "pack" else f"evidence-report-{day}.pdf"
        await a.hand_over(name, data, share)

    kinds = ft.RadioGroup(
        key="kind",
        value=form.values.get("kind", "police"),
        on_change=lambda e: form.values.__setitem__("kind", e.control.value),
        content=ft.Row(
            [ft.Radio(key=k, value=k, label=v) for k, v in CASE_NUMBER_KINDS.items()], wrap=True
        ),
    )
    numbers = [
        ft.ListTile(
            key=f"number:{i}",  # numbers are only ever added, so the place is the identity
            title=ft.Text(f"{CASE_NUMBER_KINDS[n.kind]}: {n.number}"),
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
        small(f"{_fmt(t.when)}  {t.text}", key=f"timeline:{t.id}")
        for t in reversed(st.timeline[-50:])
    ]
    return screen(
        a,
        "Case record",
        [
            para("Keep every case number, ticket and reference here, with who gave it and when."),
            *case_switcher(a, case, switch),
            h2(f"Case numbers ({len(case.case_numbers)})"),
            *(numbers or [small("None yet.")]),
            h2("Add a case number"),
            kinds,
            form.field("organisation", "Organisation (for example Metropolitan Police)", errors),
            form.field("number", "Number or reference", errors),
            form.when_field("date", "Date given (YYYY-MM-DD, optional)", errors, with_time=False),
            form.field("contact", "Contact person or details (optional)", errors),
            ft.FilledButton(
                "Save case number",
                key="save-number",
                icon=ft.Icons.SAVE,
                on_click=act(a, add_number),
            ),
            h2("Timeline"),
            note.field("text", "What happened or what you did", errors, multiline=True),
            ft.FilledButton(
                "Add to timeline", key="add-note", icon=ft.Icons.ADD, on_click=act(a, add_note)
            ),
            *(timeline or [small("Nothing yet.")]),
            h2("Search your record"),
            finder.field("q", "Search", on_submit=act(a, search)),
            ft.OutlinedButton(
                "Search", key="search", icon=ft.Icons.SEARCH, on_click=act(a, search)
            ),
            *[small(f"{where}: {text}") for where, text in hits],
            h2("Evidence report (PDF)"),
            para(
                "For the police or a lawyer: case numbers, every address with dates and status, "
                "file fingerprints, the requests you sent with their answers, and the notices "
                "themselves. Times are given in this device's time zone, with UTC beside them."
            ),
            prep.field(
                "prepared_by",
                "Prepared by (optional): how you want it to read, for example your name",
                errors,
            ),
            ft.Checkbox(
                key="include-images",
                label="Include attached images",
                value=include_images,
                on_change=lambda e: set_include(bool(e.control.value)),
            ),
            ft.FilledButton(
                "Make evidence report",
                key="report",
                icon=ft.Icons.PICTURE_AS_PDF,
                on_click=spawn(a, make, "report"),
                disabled=progress is not None,
            ),
            *share_button(a, "Share evidence report", "report-share", make, "report", True),
            h2("Evidence pack (one ZIP file)"),
            para(
                "Everything in one file for the police or a lawyer: the report, every attached "
                "file exactly as you added it, and their fingerprints with the record's history, "
                "so they can check that nothing was changed."
            ),
            ft.Container(
                padding=12,
                border_radius=8,
                bgcolor=ft.Colors.TERTIARY_CONTAINER,
                content=para(
                    "The pack is not encrypted and holds your pictures: save it only where you "
                    "trust, and give it only to the people who need it.",
                    size=14,
                ),
            ),
            ft.FilledTonalButton(
                "Save evidence pack",
                key="pack",
                icon=ft.Icons.FOLDER_ZIP,
                on_click=spawn(a, make, "pack"),
                disabled=progress is not None,
            ),
            *share_button(a, "Share evidence pack", "pack-share", make, "pack", True),
            *([ft.ProgressBar(value=progress)] if progress is not None else []),
            CaseDetails(case.id, case.title, case.jurisdiction, key=f"case:{case.id}"),
            *new_case(a, starting, errors, start_case),
        ],
    )


# ---- checklist --------------------------------------------------------------------------------
@ft.component
def ChecklistScreen():
    a = use_actions()
    done = a.store.checklist.done
    ids = a.content.checklist_ids
    n_done, total = a.store.checklist.count(ids)
    rows: list[ft.Control] = [
        ft.Text(f"{n_done} of {total} done", size=18, weight=ft.FontWeight.W_600),
        ft.ProgressBar(value=n_done / total if total else 0),
        para(
            "A few settings make it harder for anyone to find or misuse your accounts. Do what "
            "you can; every step helps."
        ),
    ]
    for g in a.content.checklist:
        rows.append(h2(g.title))
        for item in g.items:

            async def toggle(e: ft.Event, item_id: str = item.id) -> None:
                await a.run(a.service.prefs.set_checklist(item_id, bool(e.control.value)))

            rows.append(
                ft.Column(
                    key=f"checklist:{item.id}",
                    controls=[
                        ft.Checkbox(
                            key="done",
                            label=item.what,
                            value=item.id in done,
                            on_change=act(a, toggle),
                        ),
                        ft.Container(
                            padding=ft.Padding.only(left=40), content=small(f"Where: {item.where}")
                        ),
                    ],
                    spacing=0,
                )
            )
    return screen(a, "Privacy checklist", rows)


# ---- follow-ups -------------------------------------------------------------------------------
def _escalation(a: Actions, kind: str):
    try:
        return a.content.notice(kind).escalate if kind else None
    except KeyError:
        return None


@ft.component
def FollowUps():
    a = use_actions()
    reqs = {r.id: r for r in a.store.all_requests}
    titles = {c.id: c.title for c in a.store.cases}
    several = len(titles) > 1

    async def mark_removed(request_id: str) -> None:
        await a.run(a.service.requests.update(request_id, "removed"), ok="Marked removed.")

    async def deadline_done(request_id: str, label: str, done: bool = True) -> None:
        await a.run(
            a.service.requests.follow_up_done(request_id, label, done),
            ok="Done. It is kept in your case history, and you can bring it back below."
            if done
            else "It is back on your follow-ups.",
        )

    async def still_gone(evidence_id: str) -> None:
        await a.run(
            a.service.evidence.still_gone(evidence_id),
            ok="Noted. We will remind you to look again in 30 days.",
        )

    rows: list[ft.Control] = [para("What is due or overdue. Re-send or escalate in one tap.")]
    for f in a.store.followups:
        buttons: list[ft.Control] = []
        r = reqs.get(f.request_id or "")
        if r is not None:
            buttons += [
                ft.OutlinedButton(
                    "Copy to re-send",
                    key="copy",
                    icon=ft.Icons.COPY,
                    on_click=spawn(a, a.copy, r.text, "Request copied"),
                ),
                *(
                    [
                        ft.OutlinedButton(
                            "Escalate to the host",
                            key="escalate-host",
                            icon=ft.Icons.ARROW_UPWARD,
                            on_click=spawn(
                                a, a.open_case, r.case_id, f"/requests/host?from={r.id}"
                            ),
                        )
                    ]
                    if a.content.hosted(r.kind)
                    else []
                ),
                ft.OutlinedButton(
                    "Mark removed",
                    key="removed",
                    on_click=spawn(a, mark_removed, r.id),
                    icon=ft.Icons.DONE,
                ),
                ft.OutlinedButton(
                    "I've dealt with this",
                    key="done",
                    on_click=spawn(a, deadline_done, r.id, f.label),
                    icon=ft.Icons.CHECK_CIRCLE_OUTLINE,
                ),
            ]
        escalate = _escalation(a, f.kind) if f.overdue else None
        if escalate is not None:
            buttons.insert(
                0,
                ft.FilledTonalButton(
                    escalate.label,
                    key="escalate",
                    icon=ft.Icons.OPEN_IN_NEW,
                    on_click=spawn(a, a.open_url, escalate.url),
                ),
            )
        if f.evidence_id:
            if f.recheck:
                buttons.append(
                    ft.OutlinedButton(
                        "I looked: still gone",
                        key="still-gone",
                        on_click=spawn(a, still_gone, f.evidence_id),
                        icon=ft.Icons.DONE,
                    )
                )
            buttons.append(
                ft.OutlinedButton(
                    "Open evidence log",
                    key="evidence",
                    on_click=spawn(a, a.open_case, f.case_id, "/evidence"),
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
                                ("Overdue: " if f.overdue else "Due: ") + _fmt(f.when),
                                color=ft.Colors.ERROR if f.overdue else None,
                                weight=ft.FontWeight.W_600,
                            ),
                            *([small(f"Case: {titles.get(f.case_id, '')}")] if several else []),
                            para(f.text, size=14),
                            *([para(escalate.text, size=14)] if escalate is not None else []),
                            ft.Row(buttons, wrap=True, spacing=6, run_spacing=6),
                        ],
                        spacing=6,
                    ),
                ),
            )
        )
    if len(rows) == 1:
        rows.append(small("Nothing is due. Requests you mark as sent appear here."))
    dealt = dealt_with(a.store.all_requests, a.service.clock())
    if dealt:
        rows.append(h2("Dealt with"))
        for f in dealt:
            rows.append(
                ft.Container(
                    key=f"dealt:{f.id}",
                    padding=ft.Padding.symmetric(horizontal=4, vertical=2),
                    content=ft.Column(
                        [
                            *([small(f"Case: {titles.get(f.case_id, '')}")] if several else []),
                            para(f"{f.text}, due {_fmt(f.when)}", size=14),
                            ft.TextButton(
                                "Put it back on the list",
                                icon=ft.Icons.UNDO,
                                on_click=spawn(a, deadline_done, f.request_id, f.label, False),
                            ),
                        ],
                        spacing=2,
                    ),
                )
            )
    return screen(a, "Follow-ups", rows)


# ---- settings ---------------------------------------------------------------------------------
def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n < 1e9 else f"{n / 1e9:,.1f} GB"


@ft.component
def StorageSpace():
    """In the browser: how much space the record uses, and whether the browser may clear it."""
    a = use_actions()
    space, set_space = ft.use_state(None)

    async def load() -> None:
        try:
            set_space(await a.service.session.space())
        except Exception as exc:  # noqa: BLE001 - a browser that will not say: show nothing
            a.fail(exc)

    ft.use_effect(lambda: asyncio.ensure_future(load()) and None, [])
    if space is None:
        return ft.Container()
    kept = (
        "This browser has agreed to keep it: it will not clear it to make room."
        if space.persisted
        else "This browser may clear it on its own when the device runs low on space, or if "
        "the browser's data is cleared."
    )
    return ft.Column(
        [
            h2("Storage on this device"),
            para(
                f"Your encrypted record uses {_mb(space.used)} of the {_mb(space.quota)} this "
                f"browser allows. {kept}"
            ),  # fmt: skip
            small(
                "Keep an encrypted backup somewhere else too (below), and export a new one "
                "after you add something important."
            ),  # fmt: skip
        ],
        spacing=8,
    )


@ft.component
def RecordCheck():
    """The same check a lawyer runs on a pack, of the vault itself."""
    a = use_actions()
    result, set_result = ft.use_state(None)

    async def check() -> None:
        set_result(None)
        set_result(await a.service.history.check())

    async def join() -> None:
        set_result(await a.service.history.join())
        await a.refresh()

    rows: list[ft.Control] = [
        h2("Check your record"),
        para(
            "Checks the history of your record from its first entry to the last, and every "
            "kept file against the fingerprint taken when you added it."
        ),
        ft.OutlinedButton(
            "Check the record", key="check", icon=ft.Icons.VERIFIED, on_click=spawn(a, check)
        ),
    ]
    if result is not None and result.ok:
        s = result.summary
        joined = "".join(
            f" It forked at entry {f.seq} on {f.at[:10]} (two windows open at once); both "
            f"branches are kept and entry {f.joined_by.seq} joins them."
            for f in s.forks
            if f.joined_by is not None
        )
        rows += [
            para(
                f"Intact: {s.count} entries from {s.first_at[:10]} to {s.last_at[:10]}; "
                f"{result.files} kept file(s) match their fingerprints.{joined}",
                size=14,
            ),
            small(f"Head hash: {s.head}"),
            *(
                ft.Text(w, key=f"warning:{i}", color=ft.Colors.TERTIARY, size=14)
                for i, w in enumerate(result.warnings())
            ),
        ]
    elif result is not None and result.fork is not None:
        rows += [
            ft.Text(f"Not intact yet: {result.problem}", color=ft.Colors.ERROR),
            para(
                "Joining adds one entry that lists every entry of the other branch by its "
                "fingerprint, so the whole history checks out again. No entry is changed or "
                "removed, and your reports will say that this happened.",
                size=14,
            ),
            ft.FilledTonalButton(
                "Join the two branches",
                key="join",
                icon=ft.Icons.MERGE_TYPE,
                on_click=spawn(a, join),
            ),
        ]
    elif result is not None:
        rows.append(
            ft.Text(
                f"Not intact: {result.problem} Keep this device as it is, export an encrypted "
                "backup, and tell whoever helps you with your case. You can still make your "
                "evidence report: its first page says what did not check out.",
                color=ft.Colors.ERROR,
            )
        )
    return ft.Column(rows, spacing=8)


@ft.component
def SettingsScreen():
    a = use_actions()
    st = a.store
    pw = use_form()
    errors, set_errors = ft.use_state({})
    made, set_made = ft.use_state("")  # a passphrase the app made, shown to be written down
    progress, set_progress = ft.use_state(None)  # (records sealed again, of how many)

    def make(_e=None) -> None:
        words = a.service.session.make_passphrase()
        pw.values["new"] = pw.values["repeat"] = words
        set_errors({})
        set_made(words)

    async def set_minutes(e: ft.Event) -> None:
        s = st.settings
        s.auto_lock_minutes = int(e.control.value)
        await a.run(a.service.prefs.save_settings(s), ok="Saved.")

    async def set_disguise(value: bool, title: str | None = None) -> None:
        st.disguise = value
        if title:
            st.disguise_title = title
        await a.save_ui_flags()
        a.say("The tab now shows a neutral name." if value else "The app shows its own name.")

    async def change_pw(_e=None) -> None:
        v = pw.values
        if v.get("new", "") != v.get("repeat", ""):
            set_errors({"repeat": "The two new passphrases are not the same."})
            return
        set_progress((0, 0))
        ok = await a.run(
            a.service.session.change_passphrase(
                v.get("old", ""), v.get("new", ""), lambda done, of: set_progress((done, of))
            ),
            ok="Passphrase changed. Everything is now sealed with a new key that only the new "
            "passphrase opens.",
        )
        set_progress(None)
        if ok:
            pw.reset()
            set_errors({})
            set_made("")

    strength = estimate(pw.values.get("new", "")) if pw.values.get("new") else None
    return screen(
        a,
        "Settings",
        [
            h2("Lock automatically after"),
            ft.RadioGroup(
                key="auto-lock",
                value=str(st.settings.auto_lock_minutes),
                on_change=act(a, set_minutes),
                content=ft.Row(
                    [
                        ft.Radio(key=str(m), value=str(m), label=f"{m} min")
                        for m in (1, 2, 5, 10, 15)
                    ],
                    wrap=True,
                ),
            ),
            small("The app also locks when you switch away from it."),
            ft.OutlinedButton(
                "Lock now", key="lock", icon=ft.Icons.LOCK, on_click=lambda _e: a.lock("Locked.")
            ),
            h2("Disguise"),
            ft.Switch(
                key="disguise",
                label="Show a neutral name in the browser tab and on the lock screen",
                value=st.disguise,
                on_change=act(a, lambda e: set_disguise(bool(e.control.value))),
            ),
            ft.Row(
                [
                    ft.OutlinedButton(
                        f'Call it "{t}"', key=t, on_click=spawn(a, set_disguise, True, t)
                    )
                    for t in a.content.quick_exit.disguise_titles
                ],
                wrap=True,
            ),
            ft.OutlinedButton(
                "How quick exit works",
                key="quick-exit-info",
                icon=ft.Icons.INFO_OUTLINE,
                on_click=go(a, "/quick-exit"),
            ),
            StorageSpace(key="storage"),
            h2("Backup"),
            para(
                "Save an encrypted copy of everything. It opens only with your passphrase, on this "
                "or another device."
            ),
            small(
                f"Last backup saved from here: {_fmt(last)}."
                if (last := last_backup(st.settings))
                else "No backup has been saved from here yet."
            ),
            ft.FilledTonalButton(
                "Export encrypted backup",
                key="backup",
                icon=ft.Icons.DOWNLOAD,
                on_click=spawn(a, a.export_backup),
            ),
            *share_button(a, "Share encrypted backup", "backup-share", a.export_backup, True),
            RecordCheck(key="check"),
            h2("Change passphrase"),
            pw.field("old", "Current passphrase", errors, password=True),
            pw.field("new", "New passphrase", errors, password=True),
            pw.field("repeat", "Repeat new passphrase", errors, password=True),
            *([small(f"Strength: {strength.label}. {strength.advice}")] if strength else []),
            ft.TextButton(
                a.content.passphrase.make_button, key="make", icon=ft.Icons.CASINO, on_click=make
            ),
            *(
                [made_passphrase(a.content.passphrase.made, made)]
                if made and pw.values.get("new") == made
                else []
            ),
            ft.OutlinedButton(
                "Change passphrase",
                key="change-pw",
                on_click=act(a, change_pw),
                disabled=progress is not None,
            ),
            *(
                [
                    ft.ProgressBar(
                        key="rekey", value=progress[0] / progress[1] if progress[1] else None
                    ),
                    small(
                        f"Sealing every record again under a new key: {progress[0]:,} of "
                        f"{progress[1]:,}. Keep the app open."
                    ),
                ]
                if progress is not None
                else []
            ),
        ],
    )
