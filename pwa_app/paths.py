"""Where native data lives: Flet's FLET_APP_STORAGE_DATA, else the platform's user data dir."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

APP_DIR_NAME = "Recourse"


def data_dir() -> Path:
    env = os.environ.get("FLET_APP_STORAGE_DATA")
    if env:
        path = Path(env)
    else:
        import platformdirs  # native only: the browser keeps its data in IndexedDB

        path = Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        path.chmod(0o700)
    return path


def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def assets_dir() -> Path:
    return project_root() / "assets"


def content_dir() -> Path:
    return project_root() / "content"
