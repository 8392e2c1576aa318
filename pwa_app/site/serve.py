"""Serve the built site on 127.0.0.1: a plain static file server that also sends the site's
security headers (from its ``_headers`` file) with every file. No Python of the app runs here:
the server only hands out files; the app runs in the browser.
"""

from __future__ import annotations

import functools
import http.server
from pathlib import Path


def read_headers(site: Path) -> dict[str, str]:
    """The ``_headers`` file's headers for ``/*`` (the format Netlify and Cloudflare Pages read)."""
    out: dict[str, str] = {}
    try:
        lines = (site / "_headers").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        if line.startswith((" ", "\t")) and ":" in line:
            name, _, value = line.strip().partition(":")
            out[name.strip()] = value.strip()
    return out


class Handler(http.server.SimpleHTTPRequestHandler):
    extra_headers: dict[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        # The page and the service worker are checked for a new version on every visit.
        if self.path.split("?")[0] in ("/", "/index.html", "/sw.js"):
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # a quiet server: file names only would still say what is being used


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8550):
    handler = type("SiteHandler", (Handler,), {"extra_headers": read_headers(site)})
    return http.server.ThreadingHTTPServer(
        (host, port), functools.partial(handler, directory=str(site))
    )


def serve(site: Path, host: str = "127.0.0.1", port: int = 8550) -> None:
    with make_server(site, host, port) as httpd:
        print(f"Recourse is running at http://{host}:{port}/", flush=True)
        print("Open that address in a browser. Press Ctrl+C here to stop.", flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            print("\nStopped.")


if __name__ == "__main__":  # python3 -m pwa_app.site.serve SITE [PORT]
    import sys

    serve(Path(sys.argv[1]), port=int(sys.argv[2]) if len(sys.argv) > 2 else 8550)
