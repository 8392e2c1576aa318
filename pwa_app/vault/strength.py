"""Passphrase strength estimate (zxcvbn). ``services/passphrase.py`` sets the minimum."""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_, _, marked

LABELS = [N_("Very weak"), N_("Weak"), N_("Fair"), N_("Strong"), N_("Very strong")]

# zxcvbn's own advice (zxcvbn 4.5.0, zxcvbn/feedback.py), for the catalogue: it is said in the
# person's language like the rest (a test keeps this list the same as the pinned package's).
ZXCVBN_ADVICE = frozenset(
    (
        N_("Add another word or two. Uncommon words are better."),
        N_("Capitalization doesn't help very much."),
        N_("Reversed words aren't much harder to guess."),
        N_("Predictable substitutions like '@' instead of 'a' don't help very much."),
        N_("Use a few words, avoid common phrases."),
        N_("No need for symbols, digits, or uppercase letters."),
        N_("Straight rows of keys are easy to guess."),
        N_("Short keyboard patterns are easy to guess."),
        N_("This is a top-10 common password."),
        N_("This is similar to a commonly used password."),
        N_("A word by itself is easy to guess."),
        N_("All-uppercase is almost as easy to guess as all-lowercase."),
        N_("Use a longer keyboard pattern with more turns."),
        N_('Repeats like "aaa" are easy to guess.'),
        N_('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
        N_("This is a top-100 common password."),
        N_("This is a very common password."),
        N_("Names and surnames by themselves are easy to guess."),
        N_("Common names and surnames are easy to guess."),
        N_("Avoid repeated words and characters."),
        N_('Sequences like "abc" or "6543" are easy to guess.'),
        N_("Avoid sequences."),
        N_("Recent years are easy to guess."),
        N_("Dates are often easy to guess."),
        N_("Avoid recent years."),
        N_("Avoid years that are associated with you."),
        N_("Avoid dates and years that are associated with you."),
    )
)


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    label: str
    advice: str

    @property
    def weak(self) -> bool:
        return self.score < 3


def estimate(passphrase: str) -> Strength:
    if not passphrase:
        return Strength(
            0, _(LABELS[0]), _("Use four or more random words, like a short odd sentence.")
        )
    from zxcvbn import zxcvbn  # its word lists take a moment to load: only when typing one

    result = zxcvbn(passphrase[:100])  # zxcvbn is slow on very long input; 100 chars is plenty
    score = int(result["score"])
    fb = result.get("feedback") or {}
    parts = [fb.get("warning") or ""] + list(fb.get("suggestions") or [])
    advice = " ".join(marked(p) if p in ZXCVBN_ADVICE else p for p in parts if p).strip()
    if not advice:
        advice = (
            _("Good. Write it down somewhere safe: it cannot be recovered.")
            if score >= 3
            else _("Add more words to make it harder to guess.")
        )
    return Strength(score, _(LABELS[score]), advice)
