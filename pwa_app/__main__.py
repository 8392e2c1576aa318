"""Recourse.

python3 -m pwa_app                 build the web app if needed, serve it on 127.0.0.1:8550
python3 -m pwa_app build [--out D] write the static site (default build/web)
python3 -m pwa_app verify FILE     check an evidence pack or an encrypted backup
python3 -m pwa_app --native        the app in a desktop window (developer's tool)
python3 -m pwa_app --dev-server    Flet's server mode on 127.0.0.1 (developer's tool: Python
                                   runs on the server and sees what is typed)
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from .paths import assets_dir

DEFAULT_PORT = 8550


def _flet(web: bool, host: str, port: int) -> None:
    # Never log request or record contents; warnings only.
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("FLET_HIDE_WINDOW_ON_START", "false")
    # A server-mode session whose tab is gone is dropped after a minute, not Flet's default hour.
    os.environ.setdefault("FLET_SESSION_TIMEOUT", "60")

    import flet as ft

    from .ui.app import main as app_main

    if web:
        ft.run(
            app_main,
            view=ft.AppView.WEB_BROWSER,
            host=host,
            port=port,
            assets_dir=str(assets_dir()),
            no_cdn=True,
            web_renderer=ft.WebRenderer.AUTO,
        )
    else:
        ft.run(app_main, assets_dir=str(assets_dir()))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["build"]:
        from .site.build import main as build_main

        return build_main(argv[1:])
    if argv[:1] == ["verify"]:
        from .verify import main as verify_main

        return verify_main(argv[1:])

    parser = argparse.ArgumentParser(
        prog="python3 -m pwa_app",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8550)")
    parser.add_argument("--native", action="store_true", help="open a desktop window instead")
    parser.add_argument("--dev-server", action="store_true", help="Flet's server mode (dev only)")
    args = parser.parse_args(argv)
    host = "127.0.0.1"  # never another interface: nothing here is meant for a network

    if args.native or args.dev_server:
        _flet(web=args.dev_server, host=host, port=args.port)
        return 0

    from .site.build import DEFAULT_OUT, BuildError, build, is_fresh
    from .site.serve import serve

    if not is_fresh(DEFAULT_OUT):
        try:
            build(DEFAULT_OUT)
        except BuildError as exc:
            print(f"The site could not be built: {exc}", file=sys.stderr)
            return 1
    serve(DEFAULT_OUT, host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
