from __future__ import annotations


def capitalised(text: str) -> str:
    """The text with its first letter a capital (the rest as it is): a phrase made a sentence."""
    return text[:1].upper() + text[1:]


class DomainError(ValueError):
    """A value the person entered breaks a rule. ``field`` names the form field to show it on;
    ``message`` says what is wrong, to follow the field's name (``sentence()`` joins them)."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")

    def sentence(self) -> str:
        """The whole problem in words, naming the field: shown where the field is not in sight
        (a message at the top of the screen) as well as beside it."""
        name = FIELD_NAMES.get(self.field)
        if name is None:
            return capitalised(self.message)
        if self.message.startswith(("is ", "must ", "cannot ", "does ", "has ")):
            return f"{name} {self.message}"
        return f"{capitalised(name)}: {self.message}"


# What each field is called, as the start of a sentence about it.
FIELD_NAMES = {
    "title": "The case name",
    "jurisdiction": "The country or state",
    "organisation": "The organisation",
    "number": "The number or reference",
    "date": "The date it was given",
    "contact": "The contact",
    "url": "The web address",
    "urls": "The web addresses",
    "platform": "The site or app",
    "found_at": "The time you found it",
    "notes": "The notes",
    "text": "The text",
    "recipient": "Send to",
    "ticket_number": "The ticket number",
    "filename": "The file name",
    "status": "The status",
}
