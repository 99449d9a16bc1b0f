"""Short questions that lean on the bot's answer before them: "а с какого числа он начнёт действовать?", "а сколько
это стоит?", "bu ne kadar sürer?", "how long does it take?"; those that go on from it with a conjunction ("а сроки
какие?", "peki nasıl ödeyebilirim?", "and the installation?"); and replies that lie nearest the answered entry again
("на максимум" to "which tariff?").

Read alone, such a question lies near whatever entry its few words suggest: after the tariff-change answer, "а с
какого числа он начнёт действовать?" got the contacts entry's "быстрее всего написать в чат поддержки", and "а
сколько это стоит?" after the router answer would get the price list. Where the intent head is not sure of its
own entry, a person answers it, with the answer it follows for context; a question the head is sure of ("а как его
оплатить?": the payment methods) is answered as before.
"""

from __future__ import annotations

from handlers.acknowledgements import is_acknowledgement
from handlers.argument_base import Entry
from handlers.customer_details import read_details
from handlers.entry_moods import EntryMood, asks_something, for_pleased
from handlers.openers import meant_for_openers
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
# Words that open a question going on from what was said before it (folded): "а сроки какие?" asks the deadlines of
# what the answer was about
_GOING_ON = folded_phrases("а", "и", "но", "peki", "ya", "and", "but", "so", "also")


def leans_on_answer(text: str) -> bool:
    """Whether a short question (handlers.entry_moods.asks_something) points back at what was said before it ("а
    сколько это стоит?") or goes on from it ("а сроки какие?")."""
    words = fold(text)
    if not words or len(words) > _MOST_WORDS or not asks_something(text):
        return False
    return words[0] in _GOING_ON or not _POINTING.isdisjoint(words)


def answers_back(text: str, entry: Entry | None, answered: Entry, mood: EntryMood | None) -> bool:
    """Whether a reply to the answer of `answered` lies nearest that entry again (`entry`, of this `mood`): "на
    максимум" to the tariff-change answer's "which tariff?" got that entry's other phrasing, asking the same in
    other words. Not details (a person checks those anyway), an acknowledgement, nor an entry for greetings or
    thanks, which a second greeting or thanks may well get again."""
    return (entry is not None and entry.id == answered.id and not read_details(text).found
            and not is_acknowledgement(text) and not meant_for_openers(entry) and not for_pleased(mood))
