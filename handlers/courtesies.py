"""What the classifiers read of a message: what it asks, without the courtesies around it.

A greeting before a question ("Добрый вечер, какие есть способы оплаты?"), polite words opening it ("Подскажите,
пожалуйста, …") and thanks after it ("Как оплатить картой? Заранее спасибо!") pull the intent head and similarity
towards the greeting and thanks entries, or anywhere: `python -m benchmarks.routing` routes the sample brand's
held-out examples again with each put around them, read whole and read so. The greeting and the polite words are set
aside unless nothing else, or only an announcement of a question ("Здравствуйте, у меня вопрос"), is left: that is
a greeting as a whole, as brands list it. Thanks are set aside only where what is left asks something ("всё
заработало, спасибо" is thanks as a whole). The base's examples are read the same way when the head learns them.
The router's own rules read the whole message; so does the stored one.
"""

from __future__ import annotations

import functools
import re

from handlers.argument_base import Entry
from handlers.entry_moods import asks_something
from handlers.greeting_back import FAREWELLS
from handlers.openers import PLEASE, greeting_phrases, is_opener, without_greeting
from models.word_match import fold, folded_phrases

_WORD = re.compile(r"\w+")
_MARKS = " \t\n,.!?;:—–-)(…"  # before what is left after a greeting or thanks
_TRAILING = " \t\n,;:—–-("  # after what is left before thanks: its "?" stays
# Thanks at either end of a message (folded)
_THANKS = sorted((phrase.split() for phrase in folded_phrases(
    "спасибо", "спасибо большое", "большое спасибо", "заранее спасибо", "спасибо заранее", "заранее благодарю",
    "благодарю", "спс", "спасибо вам", "спасибо вам большое",
    "teşekkürler", "teşekkür ederim", "şimdiden teşekkürler", "şimdiden teşekkür ederim", "çok teşekkürler",
    "sağ olun", "tşk",
    "thanks", "thank you", "thanks in advance", "thank you in advance", "many thanks", "thanks a lot", "thx", "ty",
)), key=len, reverse=True)  # the longest first: "спасибо большое" before "спасибо"

# Polite words a question begins with (folded), after any greeting: "Подскажите, пожалуйста, сколько стоит
# приставка?" read 0.49 the price list, the question alone 0.41 the equipment entry it is about
_POLITE = sorted((phrase.split() for phrase in PLEASE | folded_phrases(
    "подскажите", "подскажите пожалуйста", "пожалуйста подскажите", "скажите", "скажите пожалуйста",
    "извините", "извините за беспокойство", "простите за беспокойство", "уважаемая поддержка",
    "уважаемые", "можете подсказать", "не подскажете",
    "rica etsem", "kusura bakmayın", "bir şey sormak istiyorum", "sormak istiyorum",
    "excuse me", "sorry to bother you", "can you tell me", "could you tell me", "could you please tell me",
)), key=len, reverse=True)

_POLITE_WORDS = frozenset(word for phrase in _POLITE for word in phrase)
# The words a courtesy begins a message with, and ends it with: a message with neither is read as it is
_OPENING = frozenset(phrase[0] for phrase in (*greeting_phrases(), *_POLITE, *_THANKS))
_CLOSING = frozenset(phrase[-1] for phrase in _THANKS)


def without_courtesies(text: str) -> str:
    """The message as the classifiers read it: after its greeting and polite opening words, and without thanks
    before or after what it asks."""
    words = fold(text)
    if not words or (words[0] not in _OPENING and words[-1] not in _CLOSING):
        return text  # most messages: one fold, nothing to set aside
    return _without_thanks(_after_polite_words(_after_greeting(text)))


def _spans(text: str) -> list[tuple[str, int, int]]:
    """The folded words of `text` with where each raw word starts and ends."""
    return [(folded, match.start(), match.end()) for match in _WORD.finditer(text) for folded in fold(match.group())]


def _after_greeting(text: str) -> str:
    words = fold(text)
    greeting = len(words) - len(without_greeting(words))
    if not greeting:
        return text
    rest = text[_spans(text)[greeting - 1][2]:].lstrip(_MARKS)
    return rest if any(ch.isalnum() for ch in rest) and not is_opener(rest) else text


def _after_polite_words(text: str) -> str:
    words = fold(text)
    for polite in _POLITE:
        n = len(polite)
        if words[:n] == polite:
            rest = text[_spans(text)[n - 1][2]:].lstrip(_MARKS)
            said = set(fold(rest))
            return rest if said and not said <= _POLITE_WORDS and not is_opener(rest) else text
    return text


def _without_thanks(text: str) -> str:
    words = fold(text)
    for thanks in _THANKS:
        n = len(thanks)
        if len(words) > n and words[-n:] == thanks:
            rest = text[:_spans(text)[-n][1]].rstrip(_TRAILING)
            if asks_something(rest):
                return _without_thanks(rest)
        if len(words) > n and words[:n] == thanks:
            rest = text[_spans(text)[n - 1][2]:].lstrip(_MARKS)
            if asks_something(rest):
                return _without_thanks(rest)
    return text


# The words of greetings, thanks, farewells and "please" (folded): a message of these alone is a courtesy
_COURTESY_WORDS = frozenset(word for phrase in (*greeting_phrases(), *_THANKS, *(p.split() for p in PLEASE),
                                                *(pattern.words for pattern in FAREWELLS.patterns))
                            for word in phrase)
PLEASANTRY_SHARE = 0.2  # of an entry's examples courtesies alone: an entry for pleasantries (the sample's: 26-50%,
#                         its other entries' none)


def says_only_courtesies(text: str) -> bool:
    """Whether a message is greetings, thanks, farewells and "please" alone ("Спасибо большое!", "пока-пока")."""
    words = fold(text)
    return bool(words) and all(word in _COURTESY_WORDS for word in words)


def is_pleasantry(entry: Entry) -> bool:
    """Whether the brand wrote an entry for pleasantries (a greeting, thanks, a goodbye): PLEASANTRY_SHARE of its
    examples at least are courtesies alone. Said to another customer, such words are said to that customer."""
    return _of_pleasantries(tuple(example for texts in entry.examples.values() for example in texts))


@functools.lru_cache(maxsize=512)  # an entry's examples are read once per version of the base, not per message
def _of_pleasantries(examples: tuple[str, ...]) -> bool:
    return bool(examples) and sum(map(says_only_courtesies, examples)) >= PLEASANTRY_SHARE * len(examples)
