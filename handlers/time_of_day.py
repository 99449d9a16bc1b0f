"""Greetings and wishes that belong to a time of day: "Добрый день" and "Хорошего дня" read wrong at 23:00,
"İyi günler" at night, "Good morning" after lunch. Of an entry's approved phrasings, one that fits the customer's
hour (on the brand's clock) is chosen where there is one (handlers.phrasing)."""

from __future__ import annotations

from models.word_match import fold, word_pattern

# Folded whole words, and the hours (on a 24-hour clock, from inclusive, to exclusive) they fit
_TIMED = (
    ((5, 18), ("добрый день", "хорошего дня", "хорошего вам дня", "удачного дня", "отличного дня", "iyi günler",
               "güzel bir gün", "good afternoon", "great day", "nice day", "lovely day", "good day")),
    ((5, 12), ("доброе утро", "доброго утра", "günaydın", "good morning")),
    ((17, 24), ("добрый вечер", "хорошего вечера", "iyi akşamlar", "good evening", "nice evening")),
    ((20, 29), ("спокойной ночи", "доброй ночи", "iyi geceler", "good night")),  # 29: until 05:00
)
_PATTERNS = tuple((hours, tuple(word_pattern(phrase) for phrase in phrases)) for hours, phrases in _TIMED)


def fits_the_hour(text: str, hour: int) -> bool:
    """Whether nothing in the text greets or wishes for another time of day than `hour` (0-23)."""
    words = fold(text)
    for (start, end), patterns in _PATTERNS:
        if not (start <= hour < end or start <= hour + 24 < end) and any(p.found_in(words) for p in patterns):
            return False
    return True
