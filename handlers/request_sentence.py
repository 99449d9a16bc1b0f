"""The one sentence of a message that asks or complains, among sentences that only tell: "Я ваш абонент уже пять
лет. Сколько стоит Оптимум?", "Beş yıldır abonenizim. Modemin ışığı yanmıyor.", "This is my second time writing
to you. How do I pay by card?".

Read whole, the telling sentence pulls the message away from what it asks: with one such sentence put before each
of the sample brand's example phrases that ask something, 34% of them were answered from their right entry and 8%
from a wrong one, against 68% and 4% alone (`python -m benchmarks.routing`, the `told` row: 65% and 8% read so).
Read alone, the sentence that asks is decided as a message of its own would be (bot.pipeline), and answers for the
whole where the whole called for no more than an answer or a plain handoff and the intent head is sure of the
sentence's entry, which speaks of something the sentence names (handlers.router.answer_request); or where
similarity answers it, as it would alone, and the whole was answered from no other entry (the `told` row: 64.9%
right, 7.7% wrong, against 53.6%, 6.0% when only the head's sure answers did; the `context` row below: 1.6 points
more right, 0.8 more wrong). Where it names
nothing ("Что делать?" after "Приставка показывает ошибку 404."), the one sentence that tells is read alone instead
(the `what_now` row): answering what the question alone got, 16% of the sample's examples so written got a wrong
answer, against 6% read whole. A question the head is unsure of alone is about what the one sentence that tells
says ("Я переезжаю. Как быть с интернетом?" went to a person): that sentence, read alone, answers where the head is
sure of it and the whole was answered from no other entry; where the question names something that sentence's
entry does not speak of, a person takes the question after that answer ("Я переезжаю. А футболки у вас
продаются?"). Where each is sure of another entry, both are answered if the question names what the other's entry
does not speak of ("Переезжаю в новую квартиру. Сколько стоит Оптимум?": the move alone before), else the whole is
read ("I'm moving to a new flat. What happens with my internet?" was told of an outage). A trouble told beside a
question ("Телевизор не показывает. Как оплатить картой?": two sentences that ask or complain, read whole before,
the set-top box's answer alone) is read so too, and is heard: never left for the question's answer alone. On the
sample's examples (the `context` row of `python -m benchmarks.routing`: another entry's example that asks nothing
before each that asks, "Интернет пропал. Как оплатить картой?"), the question is answered 49.0% (15.1% alone, 33.9%
with the other's entry), against 43.8% (alone) before; the sentence before's entry alone 19.5%, and 17.3% with a
person for the question, against 25.7% alone; a person alone 10.8% against 27.9%; another entry 3.4% against 2.6%.
The `what_now` row, where a question naming something was read alone and a trouble beside a question whole: 52.2%
right, 6.3% wrong against 46.2%, 6.1% (words of asking, "подскажите", "yapmalıyım", "lazım", name no subject:
handlers.surge_words). A message whose other sentences hold the customer's details ("Договор
4581203. Когда почините?") is read whole, so the details are heard; one whose other sentences are only greetings,
thanks or an opener already reads without them (handlers.courtesies)."""

from __future__ import annotations

import re
from collections.abc import Sequence

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
_BY_SIMILARITY = frozenset({"similarity", "similarity_tiebreak"})  # handlers.router.pick_entry's, the head unsure
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


def request_sentences(text: str, language: str | None = None) -> tuple[str, ...]:
    """The sentences of `text` to read alone, the likeliest first: the one that asks something or tells of trouble
    or displeasure, when it is the only one and the others tell something else (not only courtesies, nor the
    customer's details), then the one other sentence that tells, where there is one: what it is about when the
    question names little ("Я переезжаю. Как быть с интернетом?"); where the question names nothing (in the
    `language`: "Что делать?"), that sentence alone ("Приставка показывает ошибку 404."); none otherwise."""
    if len(fold(text)) > _MOST_WORDS:
        return ()
    sentences = _sentences(text)
    if len(sentences) < 2:
        return ()
    requests = [i for i, sentence in enumerate(sentences) if _asks_or_complains(sentence)]
    if len(requests) != 1:
        return ()
    told = [s for i, s in enumerate(sentences) if i != requests[0] and not (says_only_courtesies(s) or is_opener(s))]
    if not told or any(read_details(s).found for s in told):
        return ()
    asked = sentences[requests[0]]
    context = (told[0],) if len(told) == 1 else ()
    return (asked, *context) if subject_words(asked, language) else context


def trouble_and_question(text: str) -> tuple[str, str] | None:
    """A message of two sentences, one telling of trouble that asks nothing and one that asks something ("Телевизор
    не показывает. Как оплатить картой?"), as (the trouble, the question); None otherwise (details in either: read
    whole)."""
    if len(fold(text)) > _MOST_WORDS:
        return None
    sentences = _sentences(text)
    if len(sentences) != 2 or any(read_details(sentence).found for sentence in sentences):
        return None
    troubles = [s for s in sentences if mentions_trouble(s) and not asks_something(s)]
    questions = [s for s in sentences if asks_something(s)]
    return (troubles[0], questions[0]) if len(troubles) == len(questions) == 1 else None


def entry_subjects(entry: Entry, language: str) -> frozenset[str]:
    """What an entry's examples and answers in a language speak of: their subject words' stems."""
    return subjects_of((*entry.examples.get(language, ()), *entry.answers.get(language, ())), language)


def names_a_subject_of(entry: Entry, sentence: str, language: str, names: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence names something an entry's examples or answers in the language speak of ("Сколько стоит
    Оптимум?" the price list's "Оптимум"; "Что делать?" nothing); `names`: the brand's, which name no subject."""
    return not entry_subjects(entry, language).isdisjoint(subject_words(sentence, language, names))


def answers_alone(entry: Entry | None, how: str, sentence: str, language: str,
                  names: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence read alone may answer for its message: the intent head sure of its entry (`how`:
    handlers.router.pick_entry's "intent"), which speaks of something the sentence names."""
    return entry is not None and how == "intent" and names_a_subject_of(entry, sentence, language, names)


def answering_sentence(readings: Sequence[tuple[Entry | None, str, str]], language: str,
                       names: frozenset[str] = frozenset(), whole_entry: str | None = None,
                       trouble: bool = False) -> int | None:
    """Which of a message's sentences read alone (`readings`: each one's entry, how it was picked and the
    sentence, as request_sentences orders them) answers for the message (handlers.router.answer_request): the first
    that `answers_alone`; where none does, a question answered by similarity alone as a message of its own would be,
    of an entry that speaks of something it names, unless the whole was answered from another entry or the other
    sentence tells of a trouble (`trouble`). None, the whole message read as it is, where none of that is so, where
    the question and the sentence that tells are each sure of another entry ("Taşınıyorum. İnternet ne olacak?": the
    move, and an outage read in the question alone; which one the customer means is not the question's to say
    alone), and where the sentence that tells would answer for an unsure question another entry than the whole was
    answered from (`whole_entry`)."""
    sure = [(rank, entry) for rank, (entry, how, sentence) in enumerate(readings)
            if entry is not None and answers_alone(entry, how, sentence, language, names)]
    if not sure:
        entry, how, sentence = readings[0] if readings else (None, "", "")
        by_similarity = (entry is not None and how in _BY_SIMILARITY and not trouble and asks_something(sentence)
                         and whole_entry in (None, entry.id) and names_a_subject_of(entry, sentence, language, names))
        return 0 if by_similarity else None
    rank, entry = sure[0]
    if len({other.id for _, other in sure}) > 1:  # the question stands where it names what the other's is not
        return rank if names_more_than(sure[1][1], readings[0][2], language, names) else None
    return None if rank > 0 and whole_entry not in (None, entry.id) else rank


def names_more_than(entry: Entry, sentence: str, language: str, names: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence names something an entry's examples and answers do not speak of ("Сколько стоит
    Оптимум?" beside the move's entry; not "Как быть с интернетом?"): the sentence asks more than that entry
    answers."""
    return not entry_subjects(entry, language).issuperset(subject_words(sentence, language, names))
