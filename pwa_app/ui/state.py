"""Session state: the observable store the screens read, and the actions they call.

The store caches decrypted records only while the vault is open; ``quick_exit`` and ``lock``
replace every cached value with an empty one at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import time
import traceback
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import flet as ft

from .. import i18n
from ..disguise import slug
from ..domain import ChecklistProgress, DomainError
from ..i18n import N_, SOURCE, _
from ..platform import device_languages
from ..services import MAX_BACKUP, SaveResult, Services, Settings, Snapshot, TooManyAttempts
from ..vault import Storage, VaultError
from .page_bridge import PageBridge

APP_NAME = "Recourse"
log = logging.getLogger("recourse")
UNEXPECTED = N_(
    "Something went wrong and this was not done ({what}). Everything saved before is safe. "
    "Please try again; if it happens again, export a backup from Settings."
)


def problem(exc: BaseException) -> str:
    """What to tell the person about an exception: the vault's own message, a rule of the
    record in words, or a plain one."""
    if isinstance(exc, VaultError):
        return str(exc)
    if isinstance(exc, DomainError):
        return exc.sentence(_)
    if isinstance(exc, TooManyAttempts):
        return str(exc)
    log.error("unexpected error\n%s", "".join(traceback.format_exception(exc)))
    return _(UNEXPECTED).format(what=type(exc).__name__)


@ft.observable
@dataclass
class ScreenState:
    phase: str = "starting"  # starting | create | unlock | open | decoy
    busy: bool = False
    message: str = ""
    message_kind: str = "info"  # info | error
    # The open vault as the screens see it (typed, from the services); None while locked.
    snapshot: Snapshot | None = None
    # Safari on an iPhone or iPad, in a tab rather than from the Home Screen: Safari may delete
    # what the site keeps after 7 days without a visit (the page says so; a fact of the browser).
    safari_tab: bool = False
    # The system share sheet takes files here: a phone app, or a browser that says it can
    # (the page asks navigator.canShare with a file). Elsewhere the files are saved instead.
    can_share: bool = False
    # Shared into the app (Android): what the page said about a share as it opened.
    share_note: str = ""
    # cleartext UI flags (only whether the app is disguised, and as what, and the language
    # chosen in Settings: "" follows the device)
    disguise: bool = False
    disguise_title: str = "Notes"
    language_choice: str = ""
    language: str = SOURCE  # the one spoken now

    def forget(self) -> None:
        """Lock: nothing decrypted is kept."""
        self.snapshot = None
        self.message = ""

    @property
    def now(self) -> Snapshot:
        return self.snapshot or EMPTY

    # What each screen reads, from the snapshot (empty while locked).
    cases = property(lambda self: self.now.cases)
    case = property(lambda self: self.now.case)  # the current case
    evidence = property(lambda self: self.now.evidence)  # of the current case
    requests = property(lambda self: self.now.requests)  # of the current case
    all_requests = property(lambda self: self.now.all_requests)
    timeline = property(lambda self: self.now.timeline)
    followups = property(lambda self: self.now.followups)
    dealt = property(lambda self: self.now.dealt)  # deadlines marked dealt with
    checklist = property(lambda self: self.now.checklist)
    steps = property(lambda self: self.now.steps)
    settings = property(lambda self: self.now.settings)
    profile = property(lambda self: self.now.profile)
    damaged = property(lambda self: self.now.damaged)
    backup_due = property(lambda self: self.now.backup_due)  # offer a backup on the home screen
    shared = property(lambda self: self.now.shared)  # shares waiting for their web address


EMPTY = Snapshot(
    cases=[],
    case=None,
    evidence=[],
    requests=[],
    all_requests=[],
    timeline=[],
    followups=[],
    checklist=ChecklistProgress(),
    steps=ChecklistProgress(),
    settings=Settings(),
    profile={},
    damaged=0,
)


@dataclass
class Actions:
    """Everything a screen may do. Lives for one session; holds the service, not plaintext."""

    page: Any
    store: ScreenState
    services: Services
    # Where the cleartext UI flags live (the browser: localStorage, which the page script reads
    # before anything renders; natively: the vault file's own meta table).
    flags: Storage | None = None
    bridge: PageBridge = field(default_factory=PageBridge)
    device_languages: list[str] = field(default_factory=device_languages)
    last_activity: float = field(default_factory=time.monotonic)
    dialog_open: bool = False
    back_to: str | None = None  # where the screen on show goes Back to (None: it has no Back)
    # Where the app is in the trip away of the system's file picker or save dialog: "asked"
    # (open), "away" (the app was sent to the background by it), "back" (on screen again: the
    # next time away locks); "" when none is open, or none may take the app away any more.
    pick_trip: str = ""
    pdf_warm: bool = False  # the PDF maker has been made ready (see warm_pdf)
    content_warm: bool = False  # content/ is read, or being read (see warm_content)
    _tasks: set = field(default_factory=set)
    _closing: Any = None  # the page being asked again to close a calendar (close_dialog)
    forms: weakref.WeakSet = field(default_factory=weakref.WeakSet)  # the forms on screen

    @property
    def content(self):
        """What content/ says, in the language the screens speak."""
        say = i18n.current()
        return self.services.content if say.english else self.services.content_in(say)

    # ---- activity and locking ---------------------------------------------------------------
    def warm_pdf(self) -> None:
        """A screen that makes PDFs has opened: once a session, a moment after it is drawn, get
        the PDF maker ready, so the first report is as quick as the next."""
        if self.pdf_warm:
            return
        self.pdf_warm = True

        def failed() -> None:
            self.pdf_warm = False

        self._head_start(0.6, self.services.reports.warm_up, failed)

    def warm_content(self) -> None:
        """The lock screen is drawn: while the passphrase is typed, read and check content/
        (none of it is on the lock screen), so that home comes as quickly after unlock as
        before. A bad file still fails loudly where it is first shown."""
        if self.content_warm:
            return
        self.content_warm = True

        async def read() -> None:
            self.content  # noqa: B018 - read, checked and kept (in the screens' language)

        self._head_start(0.2, read)

    def _head_start(self, seconds: float, job: Callable[[], Awaitable[Any]], failed=None) -> None:
        """``job`` a moment from now, in the background: only a head start, so its failure is
        not reported here (the real use reports its own)."""

        async def later() -> None:
            await asyncio.sleep(seconds)
            try:
                await job()
            except Exception:  # noqa: BLE001 - see above
                if failed is not None:
                    failed()

        self._tasks.add(task := asyncio.ensure_future(later()))
        task.add_done_callback(self._tasks.discard)

    def touch(self) -> None:
        self.last_activity = time.monotonic()

    def title(self) -> str:
        return self.store.disguise_title if self.store.disguise else APP_NAME

    def _set_title(self, text: str) -> None:
        self.page.title = text
        self.page.update()

    def set_phase(self, phase: str) -> None:
        self.store.phase = phase
        self.bridge.phase(phase)

    def drawn(self, _e: object = None) -> None:
        """Flutter has laid out the lock screen or the decoy (its size came back from Flutter):
        the page's start watch stands down only then, not when Python merely chose what to
        show."""
        self.bridge.drawn(self.store.phase)
        self.warm_content()

    def on_page_message(self, kind: str) -> None:
        """From the page's own script (the browser only)."""
        if kind == "exit":
            self.quick_exit()
        elif kind == "leave-decoy" and self.store.phase == "decoy":
            self.leave_decoy()
        elif kind == "back" and self.store.phase == "open":
            self.go_back()
        elif kind == "safari-tab":
            self.store.safari_tab = True
        elif kind == "can-share-files":
            self.store.can_share = True
        elif kind in SHARE_NOTES:
            self.store.share_note = _(SHARE_NOTES[kind])

    def quick_exit(self) -> None:
        """Lock at once, forget everything, and show the neutral screen."""
        self.services.session.lock()
        self.store.forget()
        self.close_dialog()
        self.store.phase = "decoy"
        self._set_title(self.content.quick_exit.decoy_title)
        if (self.page.route or "/") != "/notes":
            self.page.navigate("/notes")
        # Told last: the page keeps its cover up from the tap until Python has drawn its own.
        self.set_phase("decoy")

    def lock(self, reason: str = "") -> None:
        if self.store.phase != "open":
            return
        # What was typed and not saved leaves the screen with the lock (nobody else may read
        # it). Said, so that it is never lost without a word: kept sealed as a draft, or not.
        forms = list(self.forms)
        lost = any(f.lost() for f in forms)
        kept = not lost and any(f.unsaved() for f in forms)
        self.services.session.lock()
        self.store.forget()
        self.close_dialog()
        self.set_phase("unlock")
        if reason:
            after = _(UNSAVED_CLEARED) if lost else _(UNSAVED_KEPT) if kept else ""
            self.say(f"{reason} {after}" if after else reason)

    # ---- drafts: what is typed, kept sealed until it is saved -----------------------------------
    def keep_draft(self, form: Any) -> None:
        """Text was typed into a form that keeps drafts: seal it into the vault a moment after
        the typing stops (one write waiting per form; the next key typed moves it on)."""
        if not form.keep_as:
            return
        if form.keeping is not None:
            form.keeping.cancel()

        async def later() -> None:
            await asyncio.sleep(DRAFT_DELAY)
            draft = form.draft()
            if draft == form.kept or not self.services.session.unlocked:
                return
            try:
                # (a key typed while it is written does not cut the write short: the next
                # write, a moment later, keeps what was typed meanwhile)
                await asyncio.shield(self.services.drafts.keep(form.keep_as, draft))
            except (VaultError, OSError) as exc:  # a lock in between, storage refusing
                log.warning("draft not kept: %s", type(exc).__name__)
                return
            form.kept = draft

        form.keeping = task = asyncio.ensure_future(later())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def restore_draft(self, form: Any) -> None:
        """A form that keeps drafts opened: what was typed into it and not saved comes back
        (unless the person has already typed something new)."""

        async def load() -> None:
            try:
                draft = await self.services.drafts.get(form.keep_as)
            except (VaultError, OSError):
                return
            if not draft or form.typed:
                return
            form.values.update(draft)
            form.typed |= set(draft)
            form.kept = dict(draft)
            self.say(_(DRAFT_BACK))
            form.refresh()

        if self.services.session.unlocked:
            self._tasks.add(task := asyncio.ensure_future(load()))
            task.add_done_callback(self._tasks.discard)

    async def drop_draft(self, form: Any) -> None:
        """The form was saved: its draft goes (and a write still waiting with it)."""
        if form.keeping is not None:
            form.keeping.cancel()
        form.kept = {}
        form.typed.clear()
        if form.keep_as:
            await self.services.drafts.drop(form.keep_as)

    def leave_decoy(self) -> None:
        self.set_phase("unlock")
        self._set_title(self.title())
        self.close_dialog()  # (one left open at Quick exit: now that the page can reach it)

    # ---- moving between screens ---------------------------------------------------------------
    def go_to(self, route: str) -> None:
        self.touch()
        self.clear_message()
        self.page.navigate(route)

    def has_back(self, route: str | None) -> None:
        """The screen on show goes Back to ``route`` (None: it has no Back). In the browser the
        page then lets a phone's own Back do the same (PageBridge.has_back)."""
        self.back_to = route
        self.bridge.has_back(route is not None)

    def go_back(self) -> None:
        """A phone's own Back (its gesture or button, through the page): it closes a calendar
        or clock that is open, or else does what the screen's Back button does."""
        self.touch()
        if self.dialog_open:
            self.close_dialog()
        elif self.back_to is not None:
            self.go_to(self.back_to)
        self.bridge.has_back(self.back_to is not None, again=True)

    def close_dialog(self) -> None:
        """Close the calendar or clock that is open, if one is: at a phone's Back, and at a
        lock or Quick exit, which must not leave one over the lock screen. In the browser the
        page closes it as Escape does (Flet 1.0 cannot close its DatePicker: a native app leaves
        it open, a known limit), asked again until it says it closed (its on_dismiss): Flutter
        may take the first key only to find its focus, and under Quick exit's cover nothing can
        reach it, so leaving the decoy asks again. While it is open, Escape is not counted."""
        if not self.dialog_open or not self.bridge.active:
            return
        self.bridge.close_dialog()

        async def again() -> None:
            for _n in range(4):
                await asyncio.sleep(0.3)
                if not self.dialog_open:
                    return
                self.bridge.close_dialog()

        if self._closing is not None:  # (one asking at a time: the newest asks in full)
            self._closing.cancel()
        self._tasks.add(task := asyncio.ensure_future(again()))
        task.add_done_callback(self._tasks.discard)
        self._closing = task

    def show_dialog(self, page: Any, dialog: Any) -> None:
        """A calendar or clock over the screen, known to be open until it closes: a phone's
        Back then closes it, and Escape (which closes it) is not half of Quick exit."""

        def closing(handler: Any) -> Any:
            def closed(event: Any) -> Any:
                self.dialog_open = False
                return handler(event) if handler else None

            return closed

        dialog.on_change = closing(dialog.on_change)
        dialog.on_dismiss = closing(dialog.on_dismiss)
        self.dialog_open = True
        page.show_dialog(dialog)

    # ---- messages -----------------------------------------------------------------------------
    def say(self, text: str, kind: str = "info") -> None:
        self.store.message, self.store.message_kind = text, kind

    def clear_message(self) -> None:
        if self.store.message:
            self.store.message = ""

    # ---- start, unlock, refresh ---------------------------------------------------------------
    @property
    def _flags(self) -> Storage:
        return self.flags or self.services.session.storage

    async def start(self) -> None:
        flags = await self._flags.get_meta("ui")
        if flags:
            try:
                d = json.loads(flags)
                self.store.disguise = bool(d.get("disguise"))
                self.store.disguise_title = str(d.get("title") or "Notes")[:40]
                self.store.language_choice = str(d.get("language") or "")[:20]
            except (ValueError, AttributeError):
                pass
        self.speak()
        if self.store.phase == "decoy":  # quick exit pressed while the app was starting
            return
        if not self.page.web and self.page.platform in PHONES:
            self.store.can_share = True
        self._set_title(self.title())
        phase = "unlock" if await self.services.session.has_vault() else "create"
        if self.store.phase != "decoy":  # (or while it looked for the vault)
            self.set_phase(phase)

    def speak(self) -> None:
        """Speak the language chosen in Settings, or the device's, from the next render on
        (before unlock: the lock screen is in it too); Flutter's own widgets (date pickers,
        text selection) follow."""
        try:
            offered = i18n.offered()
            language = i18n.choose(self.store.language_choice, self.device_languages)
            i18n.use(i18n.translator_for(language))
            rtl = i18n.right_to_left(language)
        except Exception:  # noqa: BLE001 - a language must never stop the app: English
            log.exception("language")
            offered, language, rtl = {SOURCE: "English"}, SOURCE, False
            i18n.use(i18n.Translator())
        self.store.language = language
        self.bridge.language(language)
        if len(offered) > 1:  # (with English alone, Flutter keeps its own default)
            self.page.rtl = rtl  # the whole layout mirrors, Quick exit first in reading order
            self.page.locale_configuration = ft.LocaleConfiguration(
                supported_locales=[ft.Locale(code.split("-")[0]) for code in offered],
                current_locale=ft.Locale(language.split("-")[0]),
            )

    async def save_ui_flags(self) -> None:
        title = self.store.disguise_title
        # The page script (assets/index.html) reads these to swap in a neutral manifest and icon
        # before anything renders, so the tab and an installed icon never show the app's name.
        flags = {"disguise": self.store.disguise, "title": title, "slug": slug(title)}
        if self.store.language_choice:
            flags["language"] = self.store.language_choice
        await self._flags.put_meta(json.dumps(flags).encode(), "ui")
        self._set_title(self.title())

    async def opened(self) -> None:
        self.touch()
        self.pick_trip = ""  # (a picker left open before the lock lets nothing away now)
        await self.refresh()
        self.set_phase("open")
        # Then what was shared in while locked (home is not kept waiting for it; measured: a
        # tenth of a second of a phone's unlock).
        received = await self.receive_shares()
        if received and self.store.phase == "open":  # (not after a quick exit meanwhile)
            self.say(received)

    async def receive_shares(self) -> str:
        """Move what was shared into the app (sealed while the vault was locked) into the
        vault; what to say about it. Never stands between the person and their record."""
        inbox = self.services.inbox
        if inbox.store is None:
            return ""
        self.store.share_note = ""
        try:
            await inbox.ready()
            got = await inbox.receive(self.store.case.id)
        except Exception as exc:  # noqa: BLE001 - the shares stay sealed; the record opens
            print(f"inbox: {type(exc).__name__}: {exc}")
            return _("Something shared into Recourse could not be opened now. It stays sealed.")
        if not got.any:
            return ""
        await self.refresh()
        return got.sentence()

    async def refresh(self) -> None:
        self.store.snapshot = await self.services.overview.snapshot()

    @property
    def case(self):
        return self.store.case

    async def open_case(self, case_id: str, route: str | None = None) -> None:
        """Make another case current (remembered in the vault), then optionally go somewhere."""
        current = self.store.case
        if (current is None or current.id != case_id) and await self.save(
            self.services.cases.select(case_id)
        ):
            self.say(_("Now showing the case: {title}.").format(title=self.store.case.title))
        if route:
            self.page.navigate(route)

    async def save(
        self,
        write: Awaitable[Any],
        ok: str = "",
        *,
        form: Any = None,
        set_errors: Callable[[dict[str, str]], None] | None = None,
        field: str | None = None,
        keep: tuple[str, ...] = (),
        refresh: bool = True,
    ) -> bool:
        """The one way a screen saves. Runs the write; a failure or a refusal is said clearly
        (each problem beside its field when a ``form`` is given, what typed stays; the rest at
        the top, in place of any earlier success), never a crash. Once it went through: the
        form emptied (but ``keep``), the screens refreshed from the vault, and ``ok`` (or the
        write's own news) said. ``field``: the one field of a one-field form. A write that
        went through in part says its problems after refreshing."""
        self.touch()
        try:
            res = await write
        except Exception as exc:  # noqa: BLE001 - every failure reaches the person
            res = SaveResult(False, {field or "": problem(exc)})
        if isinstance(res, tuple):  # (the result, what was made)
            res = res[0]
        if not isinstance(res, SaveResult):
            res = SaveResult(True)
        if not res.ok:
            self._refused(res.errors, form, set_errors, field)
            return False
        if set_errors is not None:
            set_errors({})
        if form is not None:
            form.reset(keep=keep)
            await self.drop_draft(form)
        if refresh:
            await self.refresh()
        if res.errors:
            self.say(" ".join(res.errors.values()), "error")
        elif ok or res.said:
            self.say(ok or res.said)
        return True

    def _refused(self, errors: dict[str, str], form: Any, set_errors: Any, field: str | None):
        first = next(iter(errors.values()), _("That could not be saved."))
        if set_errors is None:
            self.say(first, "error")
            return
        if field is not None:
            set_errors({field: first})
            return
        beside = {k: v for k, v in errors.items() if form is not None and k in form.fields}
        set_errors(beside)
        elsewhere = [v for k, v in errors.items() if k not in beside]
        if beside:
            elsewhere.append(_("Please check the marked fields. Nothing you typed is lost."))
        if elsewhere:
            self.say(" ".join(elsewhere), "error")

    def fail(self, exc: BaseException) -> None:
        """Say what went wrong, in place of any message shown before."""
        self.say(problem(exc), "error")

    def guard(self, fn: Callable[..., Any], *args: Any, with_event: bool = False):
        """An event handler that runs ``fn(*args)`` (or ``fn(event)``), plain or async, and
        reports anything it raises on the screen instead of crashing the session."""

        async def handler(event: Any = None) -> None:
            self.touch()
            try:
                res = fn(event) if with_event else fn(*args)
                if inspect.isawaitable(res):
                    await res
            except Exception as exc:  # noqa: BLE001 - every failure reaches the person
                self.fail(exc)

        handler.guarded = True  # type: ignore[attr-defined]  # checked by the tests
        return handler

    # ---- device services ------------------------------------------------------------------------
    async def copy(self, text: str, what: str = "") -> None:
        await ft.Clipboard().set(text)
        self.say(f"{what or _('Copied')}.")  # (translated when said, not at import)

    async def open_url(self, url: str) -> None:
        self.touch()
        try:
            await ft.UrlLauncher().launch_url(url)
        except Exception:  # noqa: BLE001 - no handler for tel:/mailto: on this device
            self.say(
                _("This device could not open {scheme} links. The address is: {address}").format(
                    scheme=url.split(":", 1)[0], address=url.split(":", 1)[1][:200]
                ),
                "error",
            )

    def went_to_background(self) -> None:
        """Lock when the app leaves the screen, except for the system's own file picker or save
        dialog, which on a phone sends the app to the background until a file is chosen: one
        trip away, the picker's own. Once the app is back on screen, leaving it again locks,
        the picker still open or not: a browser without the file input's "cancel" event
        (Safari before 16.4, Chrome before 113) never says that the picker was closed with
        nothing chosen. (The inactivity lock still runs meanwhile.)"""
        if self.pick_trip in ("asked", "away"):
            self.pick_trip = "away"
            return
        self.lock(_("Locked because the app was in the background."))

    def came_back(self) -> None:
        """The app is on screen again: a picker's trip away is over, and a calendar the lock
        could not close while the app was away is closed now."""
        if self.pick_trip == "away":
            self.pick_trip = "back"
        self.close_dialog()

    @contextlib.asynccontextmanager
    async def _system_dialog(self):
        self.touch()
        self.pick_trip = "asked"
        try:
            yield
        finally:
            self.pick_trip = ""
            self.touch()

    async def pick_file(self, max_bytes: int = MAX_BACKUP, image: bool = False) -> Any | None:
        """One file from the device, with its bytes (``.name``, ``.bytes``); None if cancelled
        or impossible. In the browser the page's own chooser, and of a file larger than
        ``max_bytes`` only one byte more is read (the caller's size check still refuses it)."""
        async with self._system_dialog():
            if self.bridge.files:
                try:
                    return await self.bridge.pick_file("image/*" if image else "", max_bytes)
                except OSError as exc:
                    self.say(
                        _("The file could not be read ({error}). Try again.").format(error=exc),
                        "error",
                    )
                    return None
            kw = {"file_type": ft.FilePickerFileType.IMAGE} if image else {}
            try:
                files = await ft.FilePicker().pick_files(with_data=True, allow_multiple=False, **kw)
            except Exception:  # noqa: BLE001 - no file picker on this device
                self.say(_("This device could not open a file picker."), "error")
                return None
        return files[0] if files else None

    async def save_file(self, name: str, data: bytes) -> bool:
        async with self._system_dialog():
            try:
                if self.bridge.files:  # the browser downloads it, straight from the page
                    await self.bridge.save_file(name, data, mime_of(name))
                else:
                    await ft.FilePicker().save_file(file_name=name, src_bytes=data)
            except Exception as exc:  # noqa: BLE001 - cancelled or not supported
                self.say(
                    _("The file was not saved ({error}). Try again.").format(
                        error=type(exc).__name__
                    ),
                    "error",
                )
                return False
        self.say(self._saved(name))
        return True

    def _saved(self, name: str) -> str:
        """What can be said of a file saved: in the browser, only that the browser has it (a
        phone's browser may still ask, or keep it somewhere of its own)."""
        if self.bridge.files:
            return _(
                "{name} was handed to your browser to download. Check that it is in your downloads."
            ).format(name=name)
        return _("Saved {name}.").format(name=name)

    async def share_file(self, name: str, data: bytes, mime: str) -> bool:
        """Hand a file to the system share sheet (Flet's Share service), to send to another
        app; where there is none after all, the browser downloads it instead. True when the
        system says an app was chosen."""
        async with self._system_dialog():
            try:
                if self.bridge.files:  # the page's share sheet (a download where there is none)
                    status = await self.bridge.share_file(name, data, mime)
                else:
                    res = await ft.Share().share_files(
                        [ft.ShareFile.from_bytes(data, mime_type=mime, name=name)],
                        download_fallback_enabled=True,
                    )
                    status = res.status.value.lower()
            except Exception as exc:  # noqa: BLE001 - no share sheet here after all
                self.say(
                    _("The share sheet did not open ({error}). Use Save instead.").format(
                        error=str(exc) if self.bridge.files else type(exc).__name__
                    ),
                    "error",
                )
                return False
        if status == "dismissed":
            self.say(_("Nothing was shared: {name} was not sent anywhere.").format(name=name))
            return False
        if status == "downloaded":
            self.say(self._saved(name))
            return False
        self.say(_("{name} was handed to the share sheet.").format(name=name))
        # True only when the system says an app was chosen (a browser may not say): what is
        # remembered as a backup made is only what is known to have gone somewhere.
        return status == "success"

    async def hand_over(self, name: str, data: bytes, share: bool = False) -> bool:
        """Save a file on the device, or (``share``) hand it to the share sheet."""
        if share:
            return await self.share_file(name, data, mime_of(name))
        return await self.save_file(name, data)

    async def export_backup(self, share: bool = False) -> None:
        """Save (or share) an encrypted backup file, and remember when (only once it is out)."""
        data = await self.services.backup.export()
        if await self.hand_over(f"backup-{datetime.now():%Y-%m-%d}.enc", data, share):
            await self.save(self.services.backup.exported())  # (says nothing more)

    async def auto_lock_loop(self) -> None:
        while True:
            await asyncio.sleep(2)
            if self.store.phase == "open":
                limit = max(1, self.store.settings.auto_lock_minutes) * 60
                if time.monotonic() - self.last_activity > limit:
                    self.lock(_("Locked after a few minutes without use."))


DRAFT_DELAY = 0.8  # seconds after the last key typed before the draft is kept
UNSAVED_KEPT = N_(
    "What you had typed and not yet saved is kept, encrypted, and will be back in its form "
    "after you unlock."
)
DRAFT_BACK = N_(
    "What you typed here before is back, as you left it. It is not saved yet: save it when "
    "it is ready."
)
UNSAVED_CLEARED = N_(
    "Text you had typed and not yet saved was cleared with it, so nobody else can read it: "
    "please type it again."
)
PHONES = (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)
# What the page says about a share as the app opens (the service worker's answer).
SHARE_NOTES = {
    "shared": N_(
        "Something was shared into Recourse. It is sealed: unlock to add it to your evidence log."
    ),
    "shared-no-vault": N_(
        "Something was shared into Recourse, but there is no vault here yet, so "
        "nothing was kept. Create your vault, then share it again."
    ),
    "shared-failed": N_(
        "Something was shared into Recourse but could not be sealed, so nothing "
        "was kept. Please share it again."
    ),
}
MIME = {
    "pdf": "application/pdf",
    "zip": "application/zip",
    "jpg": "image/jpeg",
    "png": "image/png",
    "": "application/octet-stream",
}


def mime_of(name: str) -> str:
    return MIME.get(name.rsplit(".", 1)[-1].lower() if "." in name else "", MIME[""])


Ctx = ft.create_context(None)
StoreCtx = ft.create_context(None)


def use_actions() -> Actions:
    """The session's actions; the calling component re-renders when the store changes."""
    ft.use_context(StoreCtx)  # an observable context value subscribes the component
    return ft.use_context(Ctx)
