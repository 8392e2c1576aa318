"""Plain dataclasses and rules. No flet, no I/O."""

from .errors import DomainError
from .model import (
    CASE_NUMBER_KINDS,
    EVIDENCE_STATUSES,
    REQUEST_STATUSES,
    Attachment,
    Case,
    CaseNumber,
    ChecklistProgress,
    EvidenceItem,
    FollowUp,
    RemovalRequest,
    StepProgress,
    TimelineEntry,
    add_period,
    dealt_with,
    follow_ups,
    validate_url,
)

__all__ = [
    "CASE_NUMBER_KINDS",
    "EVIDENCE_STATUSES",
    "REQUEST_STATUSES",
    "Attachment",
    "Case",
    "CaseNumber",
    "ChecklistProgress",
    "DomainError",
    "EvidenceItem",
    "FollowUp",
    "RemovalRequest",
    "StepProgress",
    "TimelineEntry",
    "add_period",
    "dealt_with",
    "follow_ups",
    "validate_url",
]
