"""Names for the disguised app: the file each offered title's manifest and icons live under."""

from __future__ import annotations

import re


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-") or "notes"


def manifest_name(title: str) -> str:
    return title.strip()[:30] or "Notes"
