"""Check what a photo's hidden data reveals, and save a copy without it."""

from __future__ import annotations

import flet as ft

from ..photo import inspect_image, strip_metadata
from .common import para, screen, small, spawn
from .state import use_actions


@ft.component
def PhotoScreen():
    a = use_actions()
    result, set_result = ft.use_state(None)

    async def pick() -> None:
        f = await a.pick_file(file_type=ft.FilePickerFileType.IMAGE)
        if f is None:
            return
        info = inspect_image(f.bytes or b"")
        set_result((f.name, f.bytes or b"", info))

    async def save_clean() -> None:
        name, data, _info = result
        stem = name.rsplit(".", 1)[0] or "photo"
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else "png"
        ext = ext if ext in ("jpg", "jpeg", "png", "webp") else "png"
        await a.save_file(f"{stem}-clean.{ext}", strip_metadata(data))

    rows: list[ft.Control] = [
        para(
            "Photos can carry hidden data: where they were taken, the phone, and the time. "
            "Check a photo before you share it, and save a clean copy. The photo stays on this "
            "device."
        ),
        ft.FilledButton("Choose a photo", icon=ft.Icons.PHOTO, on_click=spawn(a, pick)),
    ]
    if result is not None:
        name, _data, info = result
        if not info.ok:
            rows.append(ft.Text(f"{name}: {info.error}", color=ft.Colors.ERROR))
        elif info.revealing:
            rows.append(para(f"{name} reveals:"))
            rows += [para(f"• {r}") for r in info.revealing]
            rows.append(
                ft.FilledTonalButton(
                    "Save a copy without hidden data", on_click=spawn(a, save_clean)
                )
            )
        else:
            rows.append(para(f"{name} has no location, device or time data that we can find."))
        rows.append(small("Sharing apps may add or remove data of their own."))
    return screen(a, "Photo hidden data", rows, back="/evidence")
