"""Turkish typed without its own letters, written back with them before the classifier reads it.

Turkish customers often type on keyboards without ç ğ ı ö ş ü: "faturami nasil odeyebilirim" for "faturamı nasıl
ödeyebilirim". The encoder splits such words into other pieces, and the brand's examples, written properly, no
longer look alike: on the sample brand's Turkish examples typed so, the share answered from the right entry fell
from about 69% to 44%, and wrong answers doubled (`python -m benchmarks.routing`).

`TurkishLetters` learns from Turkish text written with its letters: each word as written, and for words it has not
seen, which of c/ç, g/ğ, i/ı, o/ö, s/ş, u/ü the letters around each one call for (the longest context seen, up to
CONTEXT letters either side). A brand's own examples and answers come first; behind them, the word counts of the
Turkish training texts shipped with the classifier (`WORDS_FILE`, written by `models.train`). The customer's stored
message keeps their text.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from models.artifact_files import ARTIFACTS_DIR

CONTEXT = 4  # letters either side that decide a letter of an unknown word
WORDS_FILE = "turkish_words.tsv"  # shipped: word <tab> count, of the Turkish training texts
MIN_COUNT = 2  # a word seen once in the training texts is not shipped (typos, names)
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


def word_counts(texts: Iterable[str]) -> Counter[str]:
    """How often each word (in Turkish lower case) occurs in texts."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_WORD.findall(lower(text)))
    return counts


def write_words(path: Path, counts: Mapping[str, int]) -> int:
    """Write the word counts seen at least MIN_COUNT times, commonest first; returns how many."""
    kept = sorted(((word, n) for word, n in counts.items() if n >= MIN_COUNT), key=lambda item: (-item[1], item[0]))
    path.write_text("".join(f"{word}\t{n}\n" for word, n in kept), encoding="utf-8")
    return len(kept)


class TurkishLetters:
    """Writes a Turkish text typed without its letters back with them, as learnt from properly written text."""

    def __init__(self, words: Mapping[str, int], fallback: TurkishLetters | None = None) -> None:
        """`words`: how often each word (Turkish lower case) was seen written; `fallback`: what knows more
        Turkish, asked about the words these counts never saw."""
        self.fallback = fallback
        self.known: bool = bool(words) or (fallback is not None and fallback.known)
        forms: dict[str, str] = {}  # a plain word -> its commonest form (itself when typed plain most)
        for word, count in words.items():
            key = plain(word)
            if key not in forms or count > words[forms[key]]:
                forms[key] = word
        self._words = {key: word for key, word in forms.items() if any(ch in _UNDECIDED for ch in key)}
        contexts: defaultdict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
        for word, count in words.items():
            padded = f" {plain(word)} "
            for i, letter in enumerate(padded):
                if letter in _UNDECIDED:
                    written = word[i - 1]
                    for k in range(1, CONTEXT + 1):
                        contexts[padded[max(0, i - k):i], padded[i + 1:i + 1 + k], letter][written] += count
        self._letters = {context: seen.most_common(1)[0][0] for context, seen in contexts.items()}

    @classmethod
    def learn(cls, texts: Iterable[str], fallback: TurkishLetters | None = None) -> TurkishLetters:
        return cls(word_counts(texts), fallback)

    def read(self, text: str, language: str | None) -> str:
        """What the classifier reads: a Turkish text typed without Turkish letters written with them; in one
        typed with some of them ("faturamı odeyemiyorum"), the words without any that are known to be written
        with them ("ödeyemiyorum": no guessing, the customer may have meant the plain letters); any other text
        as it is."""
        if language != "tr" or not self.known:
            return text
        if typed_plain(text):
            return _WORD.sub(lambda m: self._word(m.group(0)), text)
        return _WORD.sub(lambda m: self._known_form(m.group(0)), text)

    def _known_form(self, typed: str) -> str:
        """A word typed without Turkish letters as it is known written, when it is; else as typed."""
        if not typed.isascii():
            return typed
        written = self._known_word(typed.lower())
        return typed if written is None else self._cased(typed, written)

    def _word(self, typed: str) -> str:
        key = typed.lower()  # typed without Turkish letters, I is the capital of i
        written = self._known_word(key)
        if written is None:
            guesser = self.fallback if self.fallback is not None and self.fallback.known else self
            written = guesser._guess(key) if key.isascii() else key
        return self._cased(typed, written)

    @staticmethod
    def _cased(typed: str, written: str) -> str:
        """`written` in the case `typed` was."""
        if typed.isupper() and len(typed) > 1:
            return _upper(written)
        if typed[:1].isupper():
            return _upper(written[:1]) + written[1:]
        return written

    def _known_word(self, key: str) -> str | None:
        """The commonest written form of a word seen (here first, then in the fallback), None if never seen."""
        written = self._words.get(key)
        if written is None and self.fallback is not None:
            written = self.fallback._known_word(key)
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


@functools.cache
def shipped_counts(path: Path | None = None) -> Mapping[str, int]:
    """The Turkish word counts shipped with the classifier (read once); none without the file."""
    file = (path or ARTIFACTS_DIR) / WORDS_FILE
    if not file.is_file():
        return {}
    counts: dict[str, int] = {}
    for line in file.read_text(encoding="utf-8").splitlines():
        word, _, count = line.partition("\t")
        if word and count.isdigit():
            counts[word] = int(count)
    return counts


@functools.cache
def shipped(path: Path | None = None) -> TurkishLetters | None:
    """What the word counts shipped with the classifier teach (read once); None without the file."""
    counts = shipped_counts(path)
    return TurkishLetters(counts) if counts else None
