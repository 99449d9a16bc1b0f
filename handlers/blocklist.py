"""Blocked words: a brand's own stop words (a competitor's name or link, a spam phrase) and the built-in
obscenities and slurs (models.abusive_words), treated as toxic whatever the toxicity score.

Matching is on folded whole words (models.word_match); a trailing `*` makes an entry's last word a prefix.
"""

from __future__ import annotations

from collections.abc import Iterable

from models.abusive_words import obscenity_in
from models.word_match import WordList, fold


class Blocklist:
    """Built-in lists per language plus a brand's own entries (which apply to every language)."""

    def __init__(self, own: Iterable[str] = (), *, builtin: bool = True) -> None:
        self.own = tuple(own)
        self.builtin = builtin
        self._own = WordList(self.own)

    def match(self, text: str, language: str | None) -> str | None:
        """The first entry found in `text` (for the record), or None."""
        words = fold(text)
        if not words:
            return None
        found = self._own.first(words)
        if found is None and self.builtin:
            found = obscenity_in(words, language)
        return found
