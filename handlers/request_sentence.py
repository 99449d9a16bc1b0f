"""The one sentence of a message that asks or complains, among sentences that only tell: "Я ваш абонент уже пять
лет. Сколько стоит Оптимум?", "Beş yıldır abonenizim. Modemin ışığı yanmıyor.", "This is my second time writing
to you. How do I pay by card?".

Read whole, the telling sentence pulls the message away from what it asks: with one such sentence put before each
of the sample brand's example phrases that ask something, 34% of them were answered from their right entry and 8%
from a wrong one, against 68% and 4% alone (`python -m benchmarks.routing`, the `told` row: 54% and 8% read so).
Read alone, the sentence that asks is decided as a message of its own would be (bot.pipeline), and answers for the
whole where the whole called for no more than an answer or a plain handoff and the intent head is sure of the
sentence's entry, which speaks of something the sentence names (handlers.router.answer_request). Where it names
nothing ("Что делать?" after "Приставка показывает ошибку 404."), the one sentence that tells is read alone instead
(the `what_now` row): answering what the question alone got, 16% of the sample's examples so written got a wrong
answer, against 6% read whole. A message whose other sentences hold the customer's details ("Договор 4581203. Когда
почините?") is read whole, so the details are heard; one whose other sentences are only greetings, thanks or an
opener already reads without them (handlers.courtesies)."""

from __future__ import annotations

import re

from handlers.argument_base import Entry
from handlers.courtesies import says_only_courtesies
from handlers.customer_details import read_details
from handlers.entry_moods import asks_something, mentions_trouble, says_displeasure
from handlers.openers import is_opener
from handlers.surge_words import subject_words, subjects_of
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


def request_sentence(text: str, language: str | None = None) -> str | None:
    """The sentence of `text` that asks something or tells of trouble or displeasure, when it is the only one and
    the others tell something else (not only courtesies, nor the customer's details); when it names nothing (in
    the `language`: "Что делать?"), the one other sentence that tells what it is about ("Приставка показывает ошибку
    404."); None otherwise."""
    if len(fold(text)) > _MOST_WORDS:
        return None
    sentences = _sentences(text)
    if len(sentences) < 2:
        return None
    requests = [i for i, sentence in enumerate(sentences) if _asks_or_complains(sentence)]
    if len(requests) != 1:
        return None
    told = [s for i, s in enumerate(sentences) if i != requests[0] and not (says_only_courtesies(s) or is_opener(s))]
    if not told or any(read_details(s).found for s in told):
        return None
    asked = sentences[requests[0]]
    if subject_words(asked, language):
        return asked
    return told[0] if len(told) == 1 else None


def entry_subjects(entry: Entry, language: str) -> frozenset[str]:
    """What an entry's examples and answers in a language speak of: their subject words' stems."""
    return subjects_of((*entry.examples.get(language, ()), *entry.answers.get(language, ())), language)


def names_a_subject_of(entry: Entry, sentence: str, language: str, names: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence names something an entry's examples or answers in the language speak of ("Сколько стоит
    Оптимум?" the price list's "Оптимум"; "Что делать?" nothing); `names`: the brand's, which name no subject."""
    return not entry_subjects(entry, language).isdisjoint(subject_words(sentence, language, names))


def answers_alone(entry: Entry | None, how: str, sentence: str, language: str,
                  names: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence read alone may answer for its message (handlers.router.answer_request): the intent head
    sure of its entry (`how`: handlers.router.pick_entry's "intent"), which speaks of something the sentence names."""
    return entry is not None and how == "intent" and names_a_subject_of(entry, sentence, language, names)
