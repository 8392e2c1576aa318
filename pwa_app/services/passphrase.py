"""Passphrases: how strong one must be, and one made from a word list on this device."""

from __future__ import annotations

import secrets

from ..domain.content_types import PassphraseWords
from ..vault import VaultError
from ..vault.strength import estimate

MIN_SCORE = 3  # zxcvbn: "safely unguessable" (more than 10^8 guesses); an offline guesser at
# 0.3 s a guess a core needs about a year for 10^8


class WeakPassphrase(VaultError):
    """A passphrase too easy to guess: the content says why, in one plain sentence."""


def check(passphrase: str, words: PassphraseWords, min_score: int) -> None:
    """Raise ``WeakPassphrase`` for one below ``min_score``."""
    if min_score and estimate(passphrase).score < min_score:
        raise WeakPassphrase(words.too_weak)


def make(words: PassphraseWords) -> str:
    """``words.count`` words chosen at random (the operating system's generator), one space
    between each: with 7,776 words and six of them, about 77 bits."""
    return " ".join(secrets.choice(words.words) for _ in range(words.count))
