"""Short questions that lean on the bot's answer before them: "а с какого числа он начнёт действовать?", "а сколько
это стоит?", "bu ne kadar sürer?", "how long does it take?".

Read alone, such a question lies near whatever entry its few words suggest: after the tariff-change answer, "а с
какого числа он начнёт действовать?" got the contacts entry's "быстрее всего написать в чат поддержки", and "а
сколько это стоит?" after the router answer would get the price list. Where the intent head is not sure of its
own entry, a person answers it, with the answer it follows for context; a question the head is sure of ("а как его
оплатить?": the payment methods) is answered as before.
"""

from __future__ import annotations

from models.word_match import fold, folded_phrases

FOLLOW_UP = "follow_up"  # a handoff reason

_MOST_WORDS = 10  # a longer message says what it is about
# Words that point back at what was said (folded)
_POINTING = folded_phrases(
    "он", "она", "оно", "они", "его", "её", "ее", "их", "ему", "ей", "им", "это", "этот", "эта", "эти", "этого",
    "этой", "этим", "этом", "эту",
    "bu", "bunu", "bunun", "buna", "bunlar", "bunlari", "o", "onu", "onun", "ona", "onlar",
    "it", "its", "this", "that", "these", "those", "they", "them",
)
# Words a question begins with, where it has no "?" (after "а", "и", "and", "peki"...)
_LEADING = folded_phrases("а", "и", "но", "ну", "так", "and", "but", "so", "ok", "okay", "peki", "ya", "ama", "tamam")
_ASKING = folded_phrases(
    "сколько", "когда", "как", "где", "куда", "откуда", "почему", "зачем", "какой", "какая", "какое", "какие",
    "каким", "какого", "можно", "нужно", "надо", "что", "чем", "ли",
    "ne", "nasil", "nerede", "nereden", "neden", "niye", "kac", "hangi", "mi", "mu", "mı", "mü", "gerekir",
    "how", "when", "where", "why", "what", "which", "can", "could", "is", "are", "does", "do", "will", "should",
)


def leans_on_answer(text: str) -> bool:
    """Whether a short question points back at what was said before it ("а сколько это стоит?")."""
    words = fold(text)
    if not words or len(words) > _MOST_WORDS or _POINTING.isdisjoint(words):
        return False
    if "?" in text:
        return True
    start = next((w for w in words if w not in _LEADING), "")
    return start in _ASKING or not _ASKING.isdisjoint(words[-1:])  # "bu ne kadar sürer", "bu ücretli mi"
