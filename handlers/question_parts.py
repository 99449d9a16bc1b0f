"""Two questions in one message: "Сколько стоит Оптимум и как его оплатить?", "Какие у вас тарифы? Можно оплатить
картой?", "Fiyatlar ne kadar ve nasıl ödeyebilirim?", "How much is Optimum and how do I pay for it?".

Read whole, such a message lies between two entries, and the intent head is sure of neither: it went to a person,
who would answer with the two approved answers an hour later. Split where a second question begins (after a
question mark, or at "и"/"а"/"ve"/"and" before a question word), each part is read alone (bot.pipeline), and when
each is answered from an entry of its own, the customer gets both answers at once; when some are and no entry
answers the rest, those answers and a person for the rest (handlers.router.answer_parts).
"""

from __future__ import annotations

import itertools
import re

from handlers.entry_moods import asks_something
from models.word_match import fold, folded_phrases

MOST_PARTS = 3  # more questions than that in one message is a letter for a person
_LEAST_WORDS = 2  # a part shorter than that ("да?") asks nothing of its own
_MOST_WORDS = 40  # a longer message tells a story: a person reads it whole
# Words a question begins with (folded), after a joining word: "... и как его оплатить?"
QUESTION_WORDS = folded_phrases(
    "как", "где", "куда", "когда", "сколько", "можно", "какой", "какая", "какое", "какие", "каким", "что", "почему",
    "зачем", "есть", "нужно", "надо",
    "nasıl", "nerede", "nereden", "ne", "neden", "niçin", "kaç", "hangi", "mümkün",
    "how", "where", "when", "what", "which", "why", "can", "could", "do", "does", "is", "are", "should",
)
_JOINING = folded_phrases("и", "а", "также", "ещё", "еще", "ve", "ayrıca", "and", "also")
_AFTER_QUESTION = re.compile(r"(?<=\?)\s+")
# Words that begin an alternative to the question before, not a question of its own: "Можно оплатить картой? Или
# только наличными?" is one question
_ALTERNATIVE = folded_phrases("или", "либо", "ya", "yoksa", "veya", "or")
_WORD = re.compile(r"\S+")
# The whole message's decisions a message of several questions may be answered instead of: the head unsure of the
# whole (to a person), or sure of one of its questions and silent on the others
REPLACEABLE = frozenset({"no_confident_answer", "out_of_scope", "intent", "similarity", "similarity_tiebreak"})


def _joined_questions(sentence: str) -> list[str]:
    """A sentence split at each joining word before a question word ("…Оптимум | как его оплатить?"), the joining
    word left out."""
    spans = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(sentence)]
    parts, start = [], 0
    for (begin, _, word), (after, _, following) in itertools.pairwise(spans[1:]):  # never before the first
        joining, next_words = fold(word), fold(following)
        if joining and " ".join(joining) in _JOINING and next_words and next_words[0] in QUESTION_WORDS:
            parts.append(sentence[start:begin].strip(" ,;"))
            start = after
    parts.append(sentence[start:].strip(" ,;"))
    return parts


def question_parts(text: str) -> list[str]:
    """The questions a message asks, each as the customer wrote it; the message alone when it asks one (or tells a
    story, or asks more than MOST_PARTS), or when a part asks nothing of its own."""
    if len(fold(text)) > _MOST_WORDS:
        return [text]
    sentences: list[str] = []
    for sentence in _AFTER_QUESTION.split(text.strip()):
        words = fold(sentence)
        # an alternative, or a question that goes on from the one before with no question word of its own ("Сколько
        # стоит приставка? А роутер?"): one question with it
        elliptical = len(words) > 1 and words[0] in _JOINING and words[1] not in QUESTION_WORDS
        if sentences and words and (words[0] in _ALTERNATIVE or elliptical):
            sentences[-1] = f"{sentences[-1]} {sentence}"
        else:
            sentences.append(sentence)
    parts = [part for sentence in sentences for part in _joined_questions(sentence)]
    if not 2 <= len(parts) <= MOST_PARTS:
        return [text]
    if any(len(fold(part)) < _LEAST_WORDS or not asks_something(part) for part in parts):
        return [text]
    return parts
