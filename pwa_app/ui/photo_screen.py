"""Check what a photo's hidden data reveals, and save a copy without it."""

from __future__ import annotations

import flet as ft

from ..i18n import _, current
from ..photo import inspect_image, said, strip_metadata
from ..platform import in_browser
from .common import para, screen, small, spawn
from .state import use_actions


async def reencoded(data: bytes) -> bytes | None:
    """A new JPEG of the picture drawn by the browser (no hidden data goes with it), or None
    where this cannot be done (outside the browser, or a picture this browser cannot open)."""
    if not in_browser():
        return None
    from ..images_browser import to_jpeg

    return await to_jpeg(data, max_side=None)


@ft.component
def PhotoScreen():
    actions = use_actions()
    result, set_result = ft.use_state(None)
    advice = actions.content.photo

    async def pick() -> None:
        f = await actions.pick_file(image=True)
        if f is None:
            return
        info = inspect_image(f.bytes or b"")
        set_result((f.name, f.bytes or b"", info))

    def stem() -> str:
        return result[0].rsplit(".", 1)[0] or "photo"

    async def save_clean() -> None:
        name, data, info = result
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        ext = ext if ext in ("jpg", "jpeg", "png", "webp", "gif", "bmp") else info.mime[6:]
        await actions.save_file(f"{stem()}-clean.{ext}", strip_metadata(data))

    async def save_reencoded() -> None:
        copy = await reencoded(result[1])
        if copy is None:
            actions.say(
                _(
                    "This browser cannot open this kind of picture, so no copy could be "
                    "made here. See “{steps_title}” below."
                ).format(steps_title=advice.steps_title),
                "error",
            )
            return
        await actions.save_file(f"{stem()}-clean.jpg", copy)

    rows: list[ft.Control] = [
        para(
            _(
                "Photos can carry hidden data: where they were taken, the phone, and the time. "
                "Check a photo before you share it, and save a clean copy. The photo stays on this "
                "device."
            )
        ),
        ft.FilledButton(
            _("Choose a photo"), key="choose", icon=ft.Icons.PHOTO, on_click=spawn(actions, pick)
        ),
    ]
    if result is not None:
        name, _data, info = result
        if not info.ok:
            rows.append(ft.Text(f"{name}: {said(info.error, current())}", color=ft.Colors.ERROR))
        else:
            if info.revealing:
                rows.append(para(_("{name} reveals:").format(name=name)))
                rows += [
                    para(f"• {said(r, current())}", key=f"found:{i}")
                    for i, r in enumerate(info.revealing)
                ]
            if info.unread:
                rows.append(
                    ft.Text(f"{name}: {said(info.unread, current())}", color=ft.Colors.ERROR)
                )
            if info.nothing_found:
                rows.append(
                    para(
                        _("{name} has no location, device or time data that we can find.").format(
                            name=name
                        )
                    )
                )
            elif info.cleanable:
                rows.append(
                    ft.FilledTonalButton(
                        _("Save a copy without hidden data"),
                        key="clean",
                        on_click=spawn(actions, save_clean),
                    )
                )
            else:
                rows.append(para(advice.not_lossless))
                if in_browser():
                    rows += [
                        ft.FilledTonalButton(
                            advice.reencode_button,
                            key="reencode",
                            on_click=spawn(actions, save_reencoded),
                        ),
                        small(advice.reencode_note),
                    ]
                rows.append(para(advice.steps_title, weight=ft.FontWeight.W_600))
                rows += [
                    para(f"• {s}", size=14, key=f"step:{i}") for i, s in enumerate(advice.steps)
                ]
        rows.append(small(_("Sharing apps may add or remove data of their own.")))
    return screen(actions, _("Photo hidden data"), rows, back="/evidence")
