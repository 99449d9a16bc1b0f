"""Messages typed in capitals ("СКОЛЬКО СТОИТ ПРИСТАВКА", "INTERNET YOK"): read in lower case.

Angry customers shout, and the classifiers read capitals poorly: with the sample brand's held-out examples typed
so, 39% were answered from the right entry instead of 71% (`python -m benchmarks.routing`), and the sentiment head
reads shouting no angrier than the same words in lower case ("У МЕНЯ НЕ РАБОТАЕТ ИНТЕРНЕТ" 0.85 negative,
lower-case 0.98). A few capitals in an ordinary message ("ТВ", "OK", "Wi-Fi") are left as they are.
"""

from __future__ import annotations

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
