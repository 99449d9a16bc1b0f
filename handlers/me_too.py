"""Public comments that answer another customer's: joining it ("у меня тоже", "и у меня", "bende de", "same here",
"+1"), or talking to that customer.

During an outage the comments under a post fill with them. Read alone, such a comment names nothing the base
answers: "+1" and "и у меня" went to a person as questions ("Передаю ваш вопрос специалисту"), "у меня тоже не
работает" to a person with regret and no word of what to do, while the comment it joined was answered from the
outage entry. A comment that joins another and that the base cannot answer alone is read as the comment it joins
(the one it replies to, its thread's first, else the latest under the same post; an unhappy one for unhappy words)
and answered as that one was: each customer gets the entry's approved words (another phrasing than the others had),
and counts towards that entry's surge. A reply that only talks to the other customer (advice, an experience, a friend
tagged) is left to them (`left_to_customers`)."""

from __future__ import annotations

import re
from datetime import timedelta

from handlers.acknowledgements import ACKNOWLEDGEMENT
from handlers.argument_base import Entry
from handlers.courtesies import is_pleasantry
from handlers.entry_moods import asks_something, mentions_trouble
from handlers.missed_visits import MISSED_VISIT
from handlers.openers import is_opener
from handlers.scam_reports import SCAM_REPORTED
from models.word_match import WordList, fold

# Words of having the same as another customer (folded whole words)
_JOINING = WordList((
    # ru
    "у меня тоже", "у меня также", "у меня так же", "у меня то же", "и у меня", "у нас тоже", "и у нас",
    "у нас так же", "то же самое", "тоже самое", "та же проблема", "такая же проблема", "та же беда",
    "такая же беда", "та же ситуация", "такая же ситуация", "та же фигня", "такая же фигня",
    "аналогичная ситуация", "аналогичная проблема",
    # tr
    "bende de", "bizde de", "ben de", "biz de", "aynı sorun", "aynı sorunu", "aynı durum", "aynı şey",
    "aynı şekilde",
    # en
    "me too", "same here", "mine too", "us too", "same for me", "same with me", "same problem", "same issue",
    "same thing",
))
# Words of agreeing, or of having it too ("тоже нет интернета", "down too"): with a comment they reply to, they join
# it; under a post alone, they agree with the post
_AGREEING = WordList(("аналогично", "присоединяюсь", "плюсую", "поддерживаю", "тоже", "aynen", "katılıyorum", "same",
                      "ditto", "i agree", "agreed", "too"))
# Turkish's "too" after a place, with what is missing there ("Moda'da da yok" under "Kadıköy'de 3 gündür internet
# yok" was left to the customers): with a comment they reply to, they join it
_ALSO_TR = WordList(("da", "de", "ta", "te"))
_NONE_THERE_TR = WordList(("yok", "aynı"))
# ... unless it says they have a question of their own to come ("и у меня вопрос", "bir sorum da var")
_OWN_QUESTION = WordList(("вопрос*", "soru", "sorum", "sorumuz", "question*"))  # "soru*" would take "sorun"
# Words of the service working for the writer ("у меня всё работает, может у вас роутер?"): said to another customer,
# an experience, whatever it asks that customer
_WORKS_FOR_ME = WordList((
    "у меня всё работает", "у меня все работает", "у меня работает", "у меня всё норм*", "у меня все норм*",
    "у меня норм*", "у меня всё ок", "у меня все ок", "у меня всё хорошо", "у меня все хорошо", "у нас всё работает",
    "у нас все работает", "у нас работает", "у меня проблем нет", "у меня никаких проблем",
    "bende çalışıyor", "bende sorun yok", "bizde sorun yok", "bende sorun olmadı", "bende gayet iyi", "bizde çalışıyor",
    "works for me", "works fine for me", "mine works", "mine is fine", "mine is working", "no problems here",
    "no issues here", "fine for me",
))
_PLUS = re.compile(r"^\s*(\+\s*1?|\+{2,})\s*[!.)]*\s*$")  # "+", "+1", "++": agreement, when it replies to a comment
# A comment that replies to none joins the latest one under the same post written this lately
JOIN_WINDOW = timedelta(hours=3)
# Words besides the joining ones ("у меня тоже не работает с утра"); more tell a story of their own ("у меня тоже так
# было, перезагрузите роутер": a customer helping another)
MAX_OWN_WORDS = 3
JOINABLE = frozenset({"intent", "similarity", "similarity_tiebreak", "strong_negative", "entry_needs_human",
                      MISSED_VISIT, SCAM_REPORTED})
"""The reasons of a joined comment's decision it may be read as: about one of the base's entries, answered or handed
to a person with it, or a trouble a person takes whatever entry it lies near (a very unhappy customer, a technician
who never came: "Аналогично, ждали весь день" under one was left to the customers; a call from scammers in the
brand's name); not spam, abuse, a campaign's, or a customer's details."""
BETWEEN_CUSTOMERS = "between_customers"  # a reason: a public reply to another customer asking the brand nothing
REREAD = frozenset({"no_confident_answer", "out_of_scope", "strong_negative", ACKNOWLEDGEMENT, BETWEEN_CUSTOMERS})
"""The reasons of a joining comment's own decision, with no entry, that reading the joined one replaces."""


def joins_another(text: str, replying: bool) -> bool:
    """Whether a short comment says its author has the same as another ("у меня тоже", "bende de", "same here");
    "+", "+1" and words of agreeing ("аналогично", "aynen", "same") only when it replies to a comment (`replying`):
    under a post alone they agree with the post."""
    if _PLUS.match(text):
        return replying
    words = fold(text)
    joining = _JOINING.first(words) or (_AGREEING.first(words) if replying else None) or (
        _ALSO_TR.first(words) if replying and (_NONE_THERE_TR.first(words) or mentions_trouble(text)) else None)
    return (joining is not None and len(words) - len(fold(joining)) <= MAX_OWN_WORDS and not is_opener(text)
            and _OWN_QUESTION.first(words) is None)


def left_to_customers(text: str, unhappy: bool, sure_of: Entry | None) -> bool:
    """Whether a public reply to another customer's comment, or a friend tagged, is customers talking among
    themselves: it asks the brand nothing ("?", "как", "please": handlers.entry_moods.asks_something), is not unhappy
    nor says the service is failing ("тоже не работает"), or it says the service works for its writer (what it asks,
    it asks that customer: "Ребята, у меня всё работает, может у вас роутер?" heard the router's price list), and
    the intent head is sure of no entry for it but a pleasantry (`sure_of`: "какой у вас номер телефона" asks without
    a question mark, "оператор!!!" calls for a person; "а у меня норм всё" lay so near the goodbye that it heard
    "Рады были помочь", said to that customer)."""
    works = _WORKS_FOR_ME.first(fold(text)) is not None
    return (not unhappy and (works or not (asks_something(text) or mentions_trouble(text)))
            and (sure_of is None or is_pleasantry(sure_of)))
