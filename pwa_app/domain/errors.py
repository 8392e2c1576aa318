from __future__ import annotations

from collections.abc import Callable


def N_(phrase: str) -> str:
    """Marks a phrase for the language template (``python -m pwa_app.i18n`` finds it): the
    domain stays free of the catalogue, and whoever shows the phrase translates it."""
    return phrase


def _same(phrase: str) -> str:
    return phrase


def capitalised(text: str) -> str:
    """The text with its first letter a capital (the rest as it is): a phrase made a sentence."""
    return text[:1].upper() + text[1:]


class DomainError(ValueError):
    """A value the person entered breaks a rule. ``field`` names the form field to show it on;
    ``template`` says what is wrong, to follow the field's name (``sentence()`` joins them),
    with its ``{placeholders}`` filled from ``values``. Said in English unless given the
    language's translator (``say``): the domain knows no catalogue."""

    def __init__(self, field: str, template: str, **values: object):
        self.field = field
        self.template = template
        self.values = values
        self.message = template.format(**values)
        super().__init__(f"{field}: {self.message}")

    def said(self, say: Callable[[str], str] = _same) -> str:
        """What is wrong, in ``say``'s language, to show beside the field."""
        return say(self.template).format(**self.values)

    def sentence(self, say: Callable[[str], str] = _same) -> str:
        """The whole problem in words, naming the field: shown where the field is not in sight
        (a message at the top of the screen) as well as beside it."""
        name = FIELD_NAMES.get(self.field)
        problem = self.said(say)
        if name is None:
            return capitalised(problem)
        if self.template.startswith(("is ", "must ", "cannot ", "does ", "has ")):
            # "The web address does not name a website." (a language may write "{field}: ...")
            return say(N_("{field} {problem}")).format(field=say(name), problem=problem)
        return say(N_("{field}: {problem}")).format(field=capitalised(say(name)), problem=problem)


# What each field is called, as the start of a sentence about it.
FIELD_NAMES = {
    "title": N_("The case name"),
    "jurisdiction": N_("The country or state"),
    "organisation": N_("The organisation"),
    "number": N_("The number or reference"),
    "date": N_("The date it was given"),
    "contact": N_("The contact"),
    "url": N_("The web address"),
    "urls": N_("The web addresses"),
    "platform": N_("The site or app"),
    "found_at": N_("The time you found it"),
    "notes": N_("The notes"),
    "text": N_("The text"),
    "recipient": N_("Send to"),
    "ticket_number": N_("The ticket number"),
    "filename": N_("The file name"),
    "status": N_("The status"),
}
