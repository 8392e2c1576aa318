"""``mailto:`` links (RFC 6068) that survive any Unicode, line breaks, and ``& ? #``."""

from __future__ import annotations

from urllib.parse import quote


def _enc(text: str) -> str:
    # Percent-encode everything outside the unreserved set, as UTF-8; line breaks as CRLF.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    return quote(text, safe="")


def mailto_uri(to: str, subject: str, body: str) -> str:
    addr = quote(to.strip(), safe="@") if to else ""
    return f"mailto:{addr}?subject={_enc(subject)}&body={_enc(body)}"
