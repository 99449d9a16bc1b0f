"""Advice on an argument base that loads: what is allowed but reads wrong to customers (`smm-responder kb check`
prints it; nothing is refused for it).

An entry's `answers` go to private chats whenever it has `public_answers` in that language, so an answer there
that asks the customer to "write to us in private messages" is read in the private chat already: the sample
brand's had 111 of them ("пришлите, пожалуйста, в личные сообщения номер договора" to a customer in its private
chat).
"""

from __future__ import annotations

import re

from handlers.argument_base import ArgumentBase

# Words that send a customer to private messages, per language
_TO_PRIVATE = {
    "ru": re.compile(r"в\s+личн(?:ые|ых)\s+сообщени|в\s+личк|личным\s+сообщением|в\s+личке|в\s+директ", re.I),
    "tr": re.compile(r"özel\s+mesaj|özelden|\bDM\b|DM'den", re.I),
    "en": re.compile(r"private\s+message|privately|\bDM\b|direct\s+message", re.I),
}


def advice(base: ArgumentBase) -> list[str]:
    """What reads wrong in a base that loads, one line each with its file, entry and field."""
    found = []
    for entry in base.entries:
        for language, answers in entry.answers.items():
            pattern = _TO_PRIVATE.get(language)
            if pattern is None or not entry.public_answers.get(language):
                continue  # with no public answers these go under public comments too, where asking it is right
            for index, answer in enumerate(answers):
                if (match := pattern.search(answer)) is not None:
                    found.append(f"{entry.source}: entry {entry.id!r}: field 'answers.{language}[{index}]': asks "
                                 f"the customer to write privately ({match.group(0)!r}), but these answers go to "
                                 "private chats (its public_answers go under comments)")
    return found
