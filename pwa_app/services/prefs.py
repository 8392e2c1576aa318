"""What the person sets for themselves: settings, checklist and step progress, and the details
reused in every notice. Not part of the long-term record, so not in its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..domain import ChecklistProgress
from .records import T_CHECKLIST, T_PROFILE, T_SETTINGS, T_STEPS
from .session import SaveResult, Session

PROFILE_FIELDS = ("full_name", "email", "phone", "postal_address", "jurisdiction")


@dataclass
class Settings:
    auto_lock_minutes: int = 5
    country: str = ""
    current_case: str = ""
    last_backup: str = ""  # when an encrypted backup was last saved from this device (ISO, UTC)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Settings:
        s = cls()
        for k, v in d.items():
            if hasattr(s, k) and isinstance(v, type(getattr(s, k))):
                setattr(s, k, v)
        s.auto_lock_minutes = max(1, min(s.auto_lock_minutes, 60))
        return s


def last_backup(settings: Settings) -> datetime | None:
    """When the last backup was saved from this device, if ever (and the date reads)."""
    try:
        when = datetime.fromisoformat(settings.last_backup) if settings.last_backup else None
    except ValueError:
        return None
    return when if when is None or when.tzinfo else when.replace(tzinfo=UTC)


class Prefs:
    def __init__(self, session: Session):
        self.session = session

    async def settings(self) -> Settings:
        return Settings.from_dict(await self.session.single(T_SETTINGS))

    async def save_settings(self, s: Settings) -> SaveResult:
        await self.session.put_single(T_SETTINGS, s.to_dict())
        return SaveResult(True)

    async def checklist(self) -> ChecklistProgress:
        return ChecklistProgress.from_dict(await self.session.single(T_CHECKLIST))

    async def set_checklist(self, item_id: str, done: bool) -> SaveResult:
        p = (await self.checklist()).toggled(item_id, done)
        await self.session.put_single(T_CHECKLIST, p.to_dict())
        return SaveResult(True)

    async def steps(self) -> ChecklistProgress:
        return ChecklistProgress.from_dict(await self.session.single(T_STEPS))

    async def set_step(self, step_id: str, done: bool) -> SaveResult:
        p = (await self.steps()).toggled(step_id, done)
        await self.session.put_single(T_STEPS, p.to_dict())
        return SaveResult(True)

    async def profile(self) -> dict[str, str]:
        """What the person entered once for notices (name, contact), reused as defaults."""
        return {
            k: v for k, v in (await self.session.single(T_PROFILE)).items() if isinstance(v, str)
        }

    async def save_profile(self, values: dict[str, object]) -> SaveResult:
        await self.session.put_single(
            T_PROFILE, {k: str(values.get(k) or "") for k in PROFILE_FIELDS}
        )
        return SaveResult(True)
