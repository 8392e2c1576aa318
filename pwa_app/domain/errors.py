from __future__ import annotations


class DomainError(ValueError):
    """A value the person entered breaks a rule. ``field`` names the form field to show it on."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")
