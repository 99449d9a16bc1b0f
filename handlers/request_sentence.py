"""The one sentence of a message that asks or complains, among sentences that only tell: "Я ваш абонент уже пять
лет. Сколько стоит Оптимум?", "Beş yıldır abonenizim. Modemin ışığı yanmıyor.", "This is my second time writing
to you. How do I pay by card?".

Read whole, the telling sentence pulls the message away from what it asks: with one such sentence put before each
of the sample brand's example phrases, 29% of them were answered from their right entry and 10% from a wrong one,
against 69% and 4% alone (`python -m benchmarks.routing`, the `told` row). Read alone, the sentence that asks is
decided as a message of its own would be (bot.pipeline), where the whole message called for no more than an answer
or a plain handoff. A message whose other sentences hold the customer's details ("Договор 4581203. Когда
почините?") is read whole, so the details are heard; one whose other sentences are only greetings, thanks or an
opener already reads without them (handlers.courtesies)."""

from __future__ import annotations

import re

from handlers.courtesies import says_only_courtesies
from handlers.customer_details import read_details
from handlers.entry_moods import asks_something, mentions_trouble, says_displeasure
from handlers.openers import is_opener
from models.word_match import fold

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n+\s*")
# Words written with a dot that end no sentence: "ул. Ленина 5", "Atatürk Cad. No. 5", "Main St. 5"
_ABBREVIATIONS = frozenset({"ул.", "д.", "кв.", "г.", "пр.", "пер.", "мкр.", "корп.", "стр.", "т.е.", "т.к.", "т.д.",
                            "т.п.", "руб.", "тыс.", "mah.", "sok.", "cad.", "no.", "apt.", "blv.", "st.", "ave.",
                            "rd.", "dr.", "mr.", "mrs.", "ms.", "e.g.", "i.e.", "vs."})
_MOST_WORDS = 40  # a longer message tells a story: a person reads it whole (as handlers.question_parts)


def _sentences(text: str) -> list[str]:
    """The message's sentences that have words, split after ".", "!", "?", "…" and at line breaks, not after an
    abbreviation."""
    sentences: list[str] = []
    for part in _SENTENCE_END.split(text):
        if sentences and sentences[-1].split()[-1].lower() in _ABBREVIATIONS:
            sentences[-1] = f"{sentences[-1]} {part.strip()}"
        elif part.strip():
            sentences.append(part.strip())
    return [sentence for sentence in sentences if fold(sentence)]


def _asks_or_complains(sentence: str) -> bool:
    return asks_something(sentence) or mentions_trouble(sentence) or says_displeasure(sentence)


def request_sentence(text: str) -> str | None:
    """The sentence of `text` that asks something or tells of trouble or displeasure, when it is the only one and
    the others tell something else (not only courtesies, nor the customer's details); None otherwise."""
    if len(fold(text)) > _MOST_WORDS:
        return None
    sentences = _sentences(text)
    if len(sentences) < 2:
        return None
    requests = [i for i, sentence in enumerate(sentences) if _asks_or_complains(sentence)]
    if len(requests) != 1:
        return None
    told = [s for i, s in enumerate(sentences) if i != requests[0]]
    if all(says_only_courtesies(s) or is_opener(s) for s in told) or any(read_details(s).found for s in told):
        return None
    return sentences[requests[0]]
