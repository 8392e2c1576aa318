"""Passphrase strength estimate (zxcvbn). ``services/passphrase.py`` sets the minimum."""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_, _

LABELS = [N_("Very weak"), N_("Weak"), N_("Fair"), N_("Strong"), N_("Very strong")]


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
    advice = " ".join(p for p in parts if p).strip()
    if not advice:
        advice = (
            _("Good. Write it down somewhere safe: it cannot be recovered.")
            if score >= 3
            else _("Add more words to make it harder to guess.")
        )
    return Strength(score, _(LABELS[score]), advice)
