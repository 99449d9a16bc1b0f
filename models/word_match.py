"""Whole-word matching of words and phrases, folded so spelling games do not hide them.

Case, diacritics (ş -> s, ı -> i, ё -> е) and letter runs ("fuuuck" -> "fuck") are folded on both sides, and
only whole words match, so innocent words that contain a listed one ("страхуем", "Scunthorpe") never do. An
entry is a word or a phrase; a trailing `*` makes its last word a prefix ("fuck*" also matches "fucking").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
_RUN = re.compile(r"(\w)\1+")


def fold(text: str) -> list[str]:
    """Words of `text` as matched: lower case, no diacritics, letter runs collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ı", "i"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return [_RUN.sub(r"\1", word) for word in _WORD.findall(plain)]


def folded_phrases(*phrases: str) -> frozenset[str]:
    """Whole phrases as a message folds to them (`" ".join(fold(message))`), for set look-ups."""
    return frozenset(" ".join(fold(phrase)) for phrase in phrases)


@dataclass(frozen=True)
class WordPattern:
    """A word or phrase matched on folded whole words; with `prefix`, its last word may go on."""

    entry: str
    words: tuple[str, ...]
    prefix: bool

    def starts_in(self, words: Sequence[str]) -> list[int]:
        """Where in the folded `words` the phrase begins (every place)."""
        n = len(self.words)
        head, wanted = self.words[:-1], self.words[-1]
        found = []
        for start in range(len(words) - n + 1):
            if head and (words[start] != head[0] or tuple(words[start : start + n - 1]) != head):
                continue  # the first word tells most places apart before any slice is made
            last = words[start + n - 1]
            if last == wanted or (self.prefix and last.startswith(wanted)):
                found.append(start)
        return found

    def found_in(self, words: Sequence[str]) -> bool:
        return bool(self.starts_in(words))


def word_pattern(entry: str) -> WordPattern:
    """`entry` as matched: folded words, a trailing `*` making the last one a prefix."""
    words = tuple(fold(entry))
    if not words:
        raise ValueError(f"word {entry!r} has no letters or digits")
    return WordPattern(entry, words, entry.rstrip().endswith("*"))


class WordList:
    """Many entries matched at once: single words by a set look-up and one prefix test per word, phrases one by one
    (a list of a hundred words costs microseconds per message, not a loop over every entry and word)."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.patterns = [word_pattern(e) for e in entries]
        self._exact: dict[str, int] = {}
        self._prefixes: dict[str, int] = {}
        self._phrases: list[tuple[int, WordPattern]] = []
        for rank, pattern in enumerate(self.patterns):
            if len(pattern.words) > 1:
                self._phrases.append((rank, pattern))
            else:
                table = self._prefixes if pattern.prefix else self._exact
                table.setdefault(pattern.words[0], rank)
        self._prefix_tuple = tuple(self._prefixes)

    def first(self, words: Sequence[str]) -> str | None:
        """The earliest listed entry found in the folded `words`, or None."""
        ranks = [self._exact[w] for w in words if w in self._exact]
        if self._prefix_tuple:
            for word in words:
                if word.startswith(self._prefix_tuple):
                    ranks.extend(r for p, r in self._prefixes.items() if word.startswith(p))
        ranks.extend(rank for rank, pattern in self._phrases if pattern.found_in(words))
        return self.patterns[min(ranks)].entry if ranks else None
