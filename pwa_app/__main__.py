"""Run the app: ``python -m pwa_app`` (native window) or ``python -m pwa_app --web [--port N]``."""

from __future__ import annotations

import argparse
import logging
import os

from .paths import assets_dir

DEFAULT_PORT = 8550


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m pwa_app", description=__doc__)
    parser.add_argument("--web", action="store_true", help="serve the web app on 127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="web port (default 8550)")
    parser.add_argument("--host", default="127.0.0.1", help="web host (default 127.0.0.1)")
    args = parser.parse_args(argv)

    # Never log request or record contents; warnings only.
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("FLET_HIDE_WINDOW_ON_START", "false")
    # A web session whose tab is gone is dropped after a minute, not Flet's default hour.
    os.environ.setdefault("FLET_SESSION_TIMEOUT", "60")

    import flet as ft

    from .ui.app import main as app_main

    if args.web:
        ft.run(
            app_main,
            view=ft.AppView.WEB_BROWSER,
            host=args.host,
            port=args.port,
            assets_dir=str(assets_dir()),
            no_cdn=True,
            web_renderer=ft.WebRenderer.AUTO,
        )
    else:
        ft.run(app_main, assets_dir=str(assets_dir()))


if __name__ == "__main__":
    main()
