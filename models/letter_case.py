"""Messages typed in capitals ("СКОЛЬКО СТОИТ ПРИСТАВКА", "INTERNET YOK"): read in lower case; each sentence's
first word begun with a capital ("Сколько стоит приставка?") read begun in lower case.

Angry customers shout, and the classifiers read capitals poorly: with the sample brand's held-out examples typed
so, 39% were answered from the right entry instead of 71% (`python -m benchmarks.routing`), and the sentiment head
reads shouting no angrier than the same words in lower case ("У МЕНЯ НЕ РАБОТАЕТ ИНТЕРНЕТ" 0.85 negative,
lower-case 0.98). A few capitals in an ordinary message ("ТВ", "OK", "Wi-Fi") are left as they are.
"""

from __future__ import annotations

import re

SHOUTED_SHARE = 0.8  # of a message's cased letters in capitals, at least
SHOUTED_LETTERS = 4  # cased letters at least: "ОК" is no shouting


def unshouted(text: str, language: str | None = None) -> str:
    """The text in lower case when it is typed in capitals (Turkish İ and I as i and ı where `language` is
    Turkish; İ as i in any), else as it is."""
    cased = [ch for ch in text if ch.isupper() or ch.islower()]
    if len(cased) < SHOUTED_LETTERS or sum(ch.isupper() for ch in cased) < SHOUTED_SHARE * len(cased):
        return text
    if language == "tr":
        text = text.replace("I", "ı")
    return text.replace("İ", "i").lower()


# A sentence's first word: at the start, after a sentence's end or a line break (quotes and brackets may open it).
_SENTENCE_START = re.compile(r"(^|[.!?…]\s+|\n)([\"'«(]*)([^\W\d_]+)")


def sentences_begun_lower(text: str, language: str | None = None) -> str:
    """The text with each sentence's first word in lower case where only its first letter is a capital ("Сколько
    стоит Оптимум?" -> "сколько стоит Оптимум?", "İptal ücreti var mı?" -> "iptal ücreti var mı?"); words of one
    letter, capitals ("ТВ", "OK") and, in Turkish, words begun with I as they are (ı in "Islak", i in "Internet"
    typed on another keyboard).

    An argument base's examples mostly begin in lower case, as chat messages do, and the encoder reads a word with a
    capital as another word: with the sample brand's held-out examples given a capital first letter, 60.6% were
    answered from the right entry instead of 64.2% (`python -m benchmarks.routing`), Turkish ones 55.8% instead of
    60.0% ("İptal ücreti var mı?" read the price list 0.23, "iptal ücreti var mı?" the cancel entry 0.64)."""
    def lowered(match: re.Match[str]) -> str:
        before, opening, word = match.groups()
        if len(word) < 2 or not word[0].isupper() or not word[1:].islower():
            return match.group(0)
        if word[0] == "I" and language == "tr":
            return match.group(0)
        return f"{before}{opening}{'i' if word[0] == 'İ' else word[0].lower()}{word[1:]}"

    return _SENTENCE_START.sub(lowered, text)
