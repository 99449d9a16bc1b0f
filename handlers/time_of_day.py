"""Greetings and wishes that belong to a time of day: "Добрый день" and "Хорошего дня" read wrong at 23:00,
"İyi günler" at night, "Good morning" after lunch. Of an entry's approved phrasings, one that fits the customer's
hour is chosen where there is one (handlers.phrasing): the hour their own greeting tells ("добрый вечер"), else
the brand's clock."""

from __future__ import annotations

import functools
from datetime import datetime
from zoneinfo import ZoneInfo

from models.word_match import WordList, fold

# Folded whole words; the hours they fit (on a 24-hour clock, from inclusive, to exclusive; 29 is 05:00 next day);
# and an hour well inside those, for a customer who says them
_TIMED = (
    ((5, 18), 14, ("добрый день", "хорошего дня", "хорошего вам дня", "удачного дня", "отличного дня", "iyi günler",
                   "güzel bir gün", "good afternoon", "great day", "nice day", "lovely day", "good day")),
    ((5, 12), 9, ("доброе утро", "доброго утра", "günaydın", "good morning")),
    ((17, 24), 20, ("добрый вечер", "хорошего вечера", "iyi akşamlar", "good evening", "nice evening")),
    ((20, 29), 23, ("спокойной ночи", "доброй ночи", "iyi geceler", "good night")),
)
_LISTS = tuple((hours, typical, WordList(phrases)) for hours, typical, phrases in _TIMED)


def fits_the_hour(text: str, hour: int) -> bool:
    """Whether nothing in the text greets or wishes for another time of day than `hour` (0-23)."""
    return all(start <= hour < end or start <= hour + 24 < end for (start, end), _ in _times_named(text))


def hour_said(text: str) -> int | None:
    """The hour a customer's greeting or wish tells ("доброе утро": 9, "добрый вечер": 20), None when it tells
    none or more than one time of day. A customer who greets the brand "Добрый день" at 22:00 hears it back."""
    named = _times_named(text)
    return named[0][1] if len(named) == 1 else None


def customer_hour(text: str, sent_at: datetime, timezone: str) -> int:
    """The hour it is for a customer who wrote `text`: the one their greeting tells ("добрый вечер"), else the
    brand's clock (`timezone`) at `sent_at`."""
    said = hour_said(text)
    return said if said is not None else sent_at.astimezone(ZoneInfo(timezone)).hour


@functools.lru_cache(maxsize=4096)
def _times_named(text: str) -> tuple[tuple[tuple[int, int], int], ...]:
    """The times of day a text names, each as its hours and an hour well inside them (an approved phrasing is
    read once)."""
    words = fold(text)
    return tuple((hours, typical) for hours, typical, found in _LISTS if found.first(words) is not None)
