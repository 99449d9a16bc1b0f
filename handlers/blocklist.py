"""Blocked words: obscenities and slurs treated as toxic whatever the toxicity score, and a brand's own
stop words (a competitor's name or link, a spam phrase).

The toxicity model is trained on Russian comments only. Its head carries over to much Turkish and English
abuse ("Siktir git, aptal herif" 0.97, "You are a fucking idiot" 0.999) but not to all of it ("Salak mısın
sen, geri zekalı" 0.14, under the default 0.8 threshold), nor to every Russian obscenity with a prefix
("нихуя не работает" 0.05, "распиздяи" 0.35). The built-in lists close that gap for unambiguous
words; insults that are also plain words ("stupid", "mal") are left to the model and the brand's own list.

An entry is a word or a phrase; a trailing `*` makes its last word a prefix ("fuck*" also matches
"fucking"). Matching is on whole words after folding case, diacritics (ş -> s, ı -> i, ё -> е) and
letter runs ("fuuuck" -> "fuck", on both sides), so "serefsiz" matches "şerefsiz". The Turkish list
applies to messages detected as Turkish only: folded, some of its words are English or names
("pic", "amina").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
_RUN = re.compile(r"(\w)\1+")

BUILTIN: dict[str, tuple[str, ...]] = {
    "ru": (
        "бля", "бляд*", "блят*", "сука", "суки", "сучка*", "сучар*", "хуй*", "хуе*", "хуё*", "хуя*", "пизд*",
        "мудак*", "мудил*", "пидор*", "пидар*", "ебать", "ебал*", "ебан*", "ебуч*", "заеб*", "уеб*", "выеб*",
        "долбоеб*", "отъеб*",
        # the same roots after a prefix (whole words, so "страхуем" stays innocent)
        "нахуй", "нахуя", "похуй*", "похую", "нихуя", "нихуе*", "дохуя", "охуе*", "охуи*", "ахуе*", "ахуи*",
        "распизд*", "спизд*", "выпизд*", "напизд*", "запизд*", "опизд*", "отпизд*", "выбляд*",
        "ебл*", "ебет*", "ебут*", "наеб*", "поеб*", "проеб*", "доеб*", "съеб*", "въеб*",
        "разъеб*", "объеб*", "подъеб*", "остоеб*", "долбаеб*",
    ),
    "tr": (
        "orospu*", "siktir*", "sikerim", "sikeyim", "sikik*", "amına", "amk", "piç", "piçler*", "yavşak*",
        "şerefsiz*", "gerizekalı*", "geri zekalı*", "pezevenk*", "kahpe*", "ibne*", "götveren*", "puşt*",
        "aq", "oç",
    ),
    "en": (
        "fuck*", "motherfuck*", "shit", "shits", "shitty", "bullshit*", "bitch*", "bastard*", "asshole*", "cunt*",
        "dickhead*", "wanker*", "twat*", "retard", "retards", "retarded",
    ),
}
ANY_LANGUAGE = ("ru", "en")  # their folded words are nobody's innocent words in the other languages


def fold(text: str) -> list[str]:
    """Words of `text` as matched: lower case, no diacritics, letter runs collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ı", "i"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return [_RUN.sub(r"\1", word) for word in _WORD.findall(plain)]


@dataclass(frozen=True)
class WordPattern:
    """A word or phrase matched on folded whole words; with `prefix`, its last word may go on."""

    entry: str
    words: tuple[str, ...]
    prefix: bool

    def starts_in(self, words: Sequence[str]) -> list[int]:
        """Where in the folded `words` the phrase begins (every place)."""
        n = len(self.words)
        found = []
        for start in range(len(words) - n + 1):
            window = words[start : start + n]
            if list(window[:-1]) != list(self.words[:-1]):
                continue
            last, wanted = window[-1], self.words[-1]
            if last == wanted or (self.prefix and last.startswith(wanted)):
                found.append(start)
        return found

    def found_in(self, words: Sequence[str]) -> bool:
        return bool(self.starts_in(words))


def word_pattern(entry: str) -> WordPattern:
    """`entry` as matched: folded words, a trailing `*` making the last one a prefix."""
    words = tuple(fold(entry))
    if not words:
        raise ValueError(f"blocked word {entry!r} has no letters or digits")
    return WordPattern(entry, words, entry.rstrip().endswith("*"))


class Blocklist:
    """Built-in lists per language plus a brand's own entries (which apply to every language)."""

    def __init__(self, own: Iterable[str] = (), *, builtin: bool = True) -> None:
        self.own = tuple(own)
        self.builtin = builtin
        self._own = [word_pattern(e) for e in self.own]
        lists = BUILTIN.items() if builtin else ()
        self._builtin = {lang: [word_pattern(e) for e in entries] for lang, entries in lists}

    def match(self, text: str, language: str | None) -> str | None:
        """The first entry found in `text` (for the record), or None."""
        words = fold(text)
        if not words:
            return None
        languages = {*ANY_LANGUAGE, language} if language else set(ANY_LANGUAGE)
        patterns = [p for lang in sorted(languages) for p in self._builtin.get(lang, [])]
        for pattern in [*self._own, *patterns]:
            if pattern.found_in(words):
                return pattern.entry
        return None
