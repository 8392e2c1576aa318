"""The time zone a report speaks in: the device's own, by name, with its rules (summer time
included), natively and in the browser."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from ..platform import in_browser


class DeviceZone(tzinfo):
    """The device's zone through the C library's local time: natively the system's time zone
    database; in the browser, Emscripten's local time asks the browser itself. Used where the
    zone's name is known but its rules are not available as data."""

    def __init__(self, name: str):
        self.name = name

    def _at(self, ts: float) -> timedelta:
        return timedelta(seconds=time.localtime(ts).tm_gmtoff)

    def fromutc(self, dt: datetime) -> datetime:
        ts = dt.replace(tzinfo=UTC).timestamp()
        return (dt.replace(tzinfo=None) + self._at(ts)).replace(tzinfo=self)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return self._at(time.time())
        wall = (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, 0, 0, -1)
        return self._at(time.mktime(wall))

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"DeviceZone({self.name!r})"


def _name() -> str:
    if in_browser():
        try:
            import js  # type: ignore[import-not-found]

            return str(js.Intl.DateTimeFormat.new().resolvedOptions().timeZone)
        except Exception:  # noqa: BLE001 - no name: the offset alone is said
            return ""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and "/" in tz and not tz.startswith("/"):
        return tz
    try:
        link = os.readlink("/etc/localtime")
    except OSError:
        link = ""
    if "zoneinfo/" in link:
        return link.split("zoneinfo/", 1)[1]
    tz_file = Path("/etc/timezone")
    if tz_file.is_file():
        return tz_file.read_text().strip()
    return time.tzname[0] if time.tzname and time.tzname[0] else ""


def device_zone() -> tuple[tzinfo, str]:
    """(the zone, its name): by its IANA name where the device gives one."""
    name = _name()
    if name in ("", "UTC", "Etc/UTC", "GMT"):
        return (UTC, "UTC") if name or not time.localtime().tm_gmtoff else _unnamed()
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name), name
    except Exception:  # noqa: BLE001 - no zone data here (the browser): the device's own rules
        return DeviceZone(name), name


def _unnamed() -> tuple[tzinfo, str]:
    return DeviceZone("local time"), "the device's local time"
