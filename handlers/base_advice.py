"""Advice on an argument base that loads: what is allowed but reads wrong to customers (`smm-responder kb check`
prints it; nothing is refused for it): stray punctuation, private answers that send the customer to private
messages, and an entry whose every phrasing in a language greets or wishes for one time of day ("Хорошего дня!" is
sent at 23:00 too when nothing else is written: handlers.time_of_day).

An entry's `answers` go to private chats whenever it has `public_answers` in that language, so an answer there
that asks the customer to "write to us in private messages" is read in the private chat already: the sample
brand's had 111 of them ("пришлите, пожалуйста, в личные сообщения номер договора" to a customer in its private
chat).
"""

from __future__ import annotations

import re

from handlers.argument_base import ArgumentBase
from handlers.time_of_day import fits_the_hour

# Words that send a customer to private messages, per language
_TO_PRIVATE = {
    "ru": re.compile(r"в\s+личн(?:ые|ых)\s+сообщени|в\s+личк|личным\s+сообщением|в\s+личке|в\s+директ", re.I),
    "tr": re.compile(r"özel\s+mesaj|özelden|\bDM\b|DM'den", re.I),
    "en": re.compile(r"private\s+message|privately|\bDM\b|direct\s+message", re.I),
}


# Punctuation that reads as a slip: a comma before a full stop or another comma, a space before a comma, two spaces
# ("plus the phone number you gave,." was left in the sample when words went)
_STRAY = re.compile(r",\s*[.!?,;]|\s,|\S  +\S")


def advice(base: ArgumentBase) -> list[str]:
    """What reads wrong in a base that loads, one line each with its file, entry and field."""
    found = []
    for entry in base.entries:
        for field, by_language in (("answers", entry.answers), ("public_answers", entry.public_answers)):
            for language, answers in by_language.items():
                for index, answer in enumerate(answers):
                    if (slip := _STRAY.search(answer)) is not None:
                        found.append(f"{entry.source}: entry {entry.id!r}: field '{field}.{language}[{index}]': "
                                     f"stray punctuation ({slip.group(0)!r})")
        for language, answers in entry.answers.items():
            pattern = _TO_PRIVATE.get(language)
            if pattern is None or not entry.public_answers.get(language):
                continue  # with no public answers these go under public comments too, where asking it is right
            for index, answer in enumerate(answers):
                if (match := pattern.search(answer)) is not None:
                    found.append(f"{entry.source}: entry {entry.id!r}: field 'answers.{language}[{index}]': asks "
                                 f"the customer to write privately ({match.group(0)!r}), but these answers go to "
                                 "private chats (its public_answers go under comments)")
        for field, by_language in (("answers", entry.answers), ("public_answers", entry.public_answers)):
            for language, answers in by_language.items():
                hours = [hour for hour in range(24) if not any(fits_the_hour(answer, hour) for answer in answers)]
                if hours:
                    found.append(f"{entry.source}: entry {entry.id!r}: field '{field}.{language}': every phrasing "
                                 f"greets or wishes for a time of day, wrong at {len(hours)} hours of the day (at "
                                 f"{hours[-1]:02d}:00 among them); add one that fits any hour")
    return found
