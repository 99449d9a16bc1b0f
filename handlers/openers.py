"""Messages that only announce a question: "у меня вопрос", "помогите", "bir sorum var", "can I ask something?".

In messengers people often write in bursts, the announcement first and the question after it. Matched against no
argument-base entry, the announcement went to a person ("Хороший вопрос, но не совсем по моей части" in reply to
"у меня проблема"), and the question that followed waited for that person too, though the bot could answer it.
Such a message is met with an invitation to tell what happened, whatever entry it lies near ("у меня ещё вопрос"
after an answer was answered from the goodbye entry, "Всего доброго!") unless the brand's base answers such
messages with that entry (its greeting lists "Good afternoon, I have a question"); a second one in a row goes to a
person as before (someone who cannot put it in words gets a human).
"""

from __future__ import annotations

import re

from handlers.argument_base import Entry
from handlers.texts import said_last
from models.word_match import fold, folded_phrases

OPENER = "opener"  # a decision's reason
ATTENTION = "attention"  # ... of "???" alone under a post, left as it is
PROMPT = "opener_prompt"  # the texts' key of the invitation


# Calls asking whether anyone is there ("ау, вы где?", "kimse var mı", "is anybody there?"): an opener as a whole
# message; while a thread waits for a person, a question of when they answer (handlers.impatience)
CALLS = (
    "вы тут", "вы здесь", "есть кто", "есть кто нибудь", "кто нибудь тут", "кто нибудь есть", "ау", "алло", "вы где",
    "где вы", "ау вы где", "ау где вы", "ау вы тут", "вы на связи",
    # ... or will answer ("Кто-нибудь ответит?" as a first message went to a person, who would only ask what it is)
    "кто нибудь ответит", "ответит кто нибудь", "мне кто нибудь ответит", "есть кто живой", "есть живые",
    "orada misiniz", "burada misiniz", "kimse var mi", "neredesiniz", "cevap verecek kimse var mi",
    "cevap verin", "biri cevap versin", "kimse cevap vermeyecek mi",
    "anyone there", "is anyone there", "anybody there", "is anybody there", "are you there",
    "is someone there", "is somebody there", "will anyone answer", "will anyone reply", "can someone answer",
)
# Whole messages, once a greeting before them and a "please" are set aside (folded: case, diacritics and
# stretched letters do not matter).
OPENERS = folded_phrases(
    # ru
    "вопрос", "есть вопрос", "у меня вопрос", "у меня есть вопрос", "у меня вопрос к вам", "вопрос к вам",
    "у меня к вам вопрос", "можно вопрос", "можно задать вопрос", "хочу задать вопрос", "хочу спросить",
    "можно спросить", "подскажите", "помогите", "нужна помощь", "мне нужна помощь", "нужна ваша помощь",
    "можете помочь", "вы можете помочь", "можете подсказать", "проблема", "есть проблема", "у меня проблема",
    "у меня есть проблема", "у меня беда",
    "ещё вопрос", "ещё один вопрос", "и ещё вопрос", "и ещё один вопрос",
    "у меня ещё вопрос", "у меня ещё один вопрос", "можно ещё вопрос", "есть ещё вопрос", "ещё вопросик",
    # tr
    "soru", "bir soru", "sorum var", "bir sorum var", "bir sorum olacak", "soru sorabilir miyim",
    "bir sey sorabilir miyim", "bir sey soracaktim", "bir sey sormak istiyorum", "sorun var", "bir sorun var",
    "sorunum var", "bir sorunum var", "yardim", "yardim edin", "yardim eder misiniz", "yardimci olur musunuz",
    "yardimci olabilir misiniz", "yardima ihtiyacim var",
    "bir sorum daha var", "bir sorum daha olacak", "bir sey daha soracagim", "bir sey daha sorabilir miyim",
    # en
    "question", "a question", "quick question", "i have a question", "i ve got a question", "got a question",
    "can i ask a question", "can i ask something", "can i ask you something", "problem", "i have a problem",
    "i have an issue", "help", "help me", "i need help", "need help", "can you help", "can you help me",
    "could you help me", "can u help", "can u help me", "could u help me", "can someone help", "can someone help me",
    "can anyone help", "can anyone help me", "i need some help", "need some help",
    "one more question", "another question", "i have another question", "i have one more question",
    "can i ask one more question", "can i ask another question", "anyone", "anybody", *CALLS,
)
# What may stand before it ("Здравствуйте, у меня вопрос") or after it ("помогите пожалуйста").
_GREETINGS = sorted((phrase.split() for phrase in folded_phrases(
    "здравствуйте", "здравствуй", "добрый день", "добрый вечер", "доброе утро", "доброго дня",
    "доброго времени суток", "привет", "приветствую", "merhaba", "selam", "selamlar", "iyi gunler",
    "iyi aksamlar", "hello", "hi", "hey", "good morning", "good afternoon", "good evening",
    "приветствую вас", "здравствуйте уважаемые", "merhabalar", "gunaydin", "hi there", "hello there", "hey there",
)), key=len, reverse=True)  # the longest first: "добрый день" before a one-word greeting
# "?", "???", "...", "…", "?!": no words, only a wish to be heard (went to a person as an unclear question)
_ATTENTION = re.compile(r"\s*(?=[\s!.…]*[?.…])[?!.…\s]+")
PLEASE = folded_phrases("пожалуйста", "плиз", "lütfen", "please", "pls", "plz")


def is_opener(text: str) -> bool:
    """Whether the whole message only announces a question or a problem, a greeting before it and a "please"
    aside; or is only question marks or dots ("???", "..."), a call for attention."""
    return calls_for_attention(text) or says_only(text, OPENERS)


def says_only(text: str, phrases: frozenset[str]) -> bool:
    """Whether the whole message is one of the folded `phrases`, a greeting before it and a "please" aside."""
    words = [w for w in without_greeting(fold(text)) if w not in PLEASE]
    return bool(words) and " ".join(words) in phrases


def greeting_phrases() -> list[list[str]]:
    """The greetings a message may begin with, as folded words, the longest first."""
    return [list(greeting) for greeting in _GREETINGS]


def starts_with_greeting(text: str) -> bool:
    """Whether a message begins with a greeting (or is one)."""
    words = fold(text)
    return without_greeting(words) != words


def without_greeting(words: list[str]) -> list[str]:
    """The folded words of a message, the greeting it begins with ("Здравствуйте, ...") set aside."""
    for greeting in _GREETINGS:
        if words[:len(greeting)] == greeting:
            return words[len(greeting):]
    return words


def calls_for_attention(text: str) -> bool:
    """Whether the message is only question marks or dots ("???", "..."): whatever entry its embedding lies near
    is noise."""
    return _ATTENTION.fullmatch(text) is not None


def meant_for_openers(entry: Entry) -> bool:
    """Whether the brand's base answers openers with this entry: some of its examples are one ("Good afternoon, I
    have a question" among the greetings), so its approved words are what the brand wants said to them."""
    return any(is_opener(example) for examples in entry.examples.values() for example in examples)


def prompted_last(last_reply_key: str | None) -> bool:
    """Whether the customer's last reply from the brand was the invitation to tell what happened."""
    return said_last(PROMPT, last_reply_key)
