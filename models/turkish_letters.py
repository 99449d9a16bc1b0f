"""Turkish typed without its own letters, written back with them before the classifier reads it.

Turkish customers often type on keyboards without ç ğ ı ö ş ü: "faturami nasil odeyebilirim" for "faturamı nasıl
ödeyebilirim". The encoder splits such words into other pieces, and the brand's examples, written properly, no
longer look alike: on the sample brand's Turkish examples typed so, the share answered from the right entry fell
from about 69% to 44%, and wrong answers doubled (`python -m benchmarks.routing`).

`TurkishLetters` learns from Turkish text written with its letters (a brand's examples and answers): each word as
written, and for words it has not seen, which of c/ç, g/ğ, i/ı, o/ö, s/ş, u/ü the letters around each one call for
(the longest context seen, up to CONTEXT letters either side). The customer's stored message keeps their text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

CONTEXT = 4  # letters either side that decide a letter of an unknown word
TURKISH_LETTERS = frozenset("çğıöşüÇĞİÖŞÜ")
_PLAIN = str.maketrans("çğıöşüÇĞİÖŞÜâîûÂÎÛ", "cgiosuCGIOSUaiuAIU")
_UNDECIDED = frozenset("cgiosu")  # a plain letter that may stand for a Turkish one
_WORD = re.compile(r"[^\W\d_]+")


def plain(text: str) -> str:
    """`text` without Turkish letters, as typed on a keyboard without them (â î û too)."""
    return text.translate(_PLAIN)


def lower(text: str) -> str:
    """Turkish lower case: I is ı and İ is i."""
    return text.replace("I", "ı").replace("İ", "i").lower()


def _upper(text: str) -> str:
    return text.replace("i", "İ").replace("ı", "I").upper()


def typed_plain(text: str) -> bool:
    """Whether a Latin-script text was typed without Turkish letters (some of its letters could be one)."""
    return not TURKISH_LETTERS.intersection(text) and any(ch in _UNDECIDED for ch in text.lower())


class TurkishLetters:
    """Writes a Turkish text typed without its letters back with them, as learnt from properly written text."""

    def __init__(self, texts: Iterable[str]) -> None:
        words: Counter[str] = Counter()
        for text in texts:
            words.update(_WORD.findall(lower(text)))
        forms: dict[str, str] = {}  # a plain word -> its commonest form (itself when typed plain most)
        for word, count in words.items():
            key = plain(word)
            if key not in forms or count > words[forms[key]]:
                forms[key] = word
        self._words = {key: word for key, word in forms.items() if key != word}
        contexts: defaultdict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
        for word, count in words.items():
            padded = f" {plain(word)} "
            for i, letter in enumerate(padded):
                if letter in _UNDECIDED:
                    written = word[i - 1]
                    for k in range(1, CONTEXT + 1):
                        contexts[padded[max(0, i - k):i], padded[i + 1:i + 1 + k], letter][written] += count
        self._letters = {context: seen.most_common(1)[0][0] for context, seen in contexts.items()}
        self.known = bool(words)

    def read(self, text: str, language: str | None) -> str:
        """What the classifier reads: a Turkish text typed without Turkish letters written with them; any
        other text as it is."""
        if language != "tr" or not self.known or not typed_plain(text):
            return text
        return _WORD.sub(lambda m: self._word(m.group(0)), text)

    def _word(self, typed: str) -> str:
        key = typed.lower()  # typed without Turkish letters, I is the capital of i
        written = self._words.get(key)
        if written is None:
            written = self._guess(key) if key.isascii() else key
        if typed.isupper() and len(typed) > 1:
            return _upper(written)
        if typed[:1].isupper():
            return _upper(written[:1]) + written[1:]
        return written

    def _guess(self, word: str) -> str:
        """A word not seen: each undecided letter as the longest context around it has it."""
        padded = f" {word} "
        letters = list(word)
        for i, letter in enumerate(padded):
            if letter not in _UNDECIDED:
                continue
            for k in range(CONTEXT, 0, -1):
                written = self._letters.get((padded[max(0, i - k):i], padded[i + 1:i + 1 + k], letter))
                if written is not None:
                    letters[i - 1] = written
                    break
        return "".join(letters)
