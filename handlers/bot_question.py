"""Customers asking whether they talk to a bot: "вы бот?", "bot musunuz?", "am I talking to a real person?".

The brand's base rarely has an entry for it, and the question lay nearest the one asking for a person, so it went
to a moderator, who had only to say "yes, a bot answered you" an hour later. The honest answer is the bot's own:
it is the brand's automatic assistant, it answers the usual questions at once, and a person comes when asked.
A brand whose base has an entry for the question keeps its own words.
"""

from __future__ import annotations

from handlers.argument_base import Entry
from handlers.openers import says_only
from models.word_match import folded_phrases

BOT_QUESTION = "bot_question"  # a decision's reason, and the texts' key of the answer

# Whole messages, a greeting before them aside (folded: case, diacritics and stretched letters do not matter)
_QUESTIONS = folded_phrases(
    # ru
    "вы бот", "ты бот", "это бот", "вы робот", "ты робот", "это робот", "это чат бот", "вы чат бот",
    "а вы бот", "а ты бот", "а это бот", "а вы робот", "вы что бот", "ты что бот", "бот что ли", "вы бот что ли",
    "это бот отвечает", "бот отвечает", "мне бот отвечает", "это автоответчик", "это автоматический ответ",
    "я общаюсь с ботом", "я с ботом общаюсь", "я говорю с ботом",
    "я переписываюсь с ботом", "со мной бот общается", "мне отвечает бот",
    "вы человек", "ты человек", "вы живой человек", "ты живой человек", "вы живой", "ты живой",
    "это живой человек", "вы настоящий человек", "я говорю с человеком", "вы бот или человек",
    "ты бот или человек", "вы человек или бот", "бот или человек", "человек или бот",
    # tr
    "bot musun", "bot musunuz", "robot musun", "robot musunuz", "bu bot mu", "bu bir bot mu", "bot mu",
    "botla mi konusuyorum", "bir botla mi konusuyorum", "bu otomatik mesaj mi", "otomatik cevap mi",
    "insan misin", "insan misiniz", "gercek kisi misiniz", "gercek bir insan misiniz", "gercek biri mi",
    "gercek bir kisiyle mi konusuyorum", "bot musunuz insan mi", "insan misiniz bot mu",
    # en
    "are you a bot", "is this a bot", "are you a robot", "is this a robot", "am i talking to a bot",
    "am i talking to a robot", "is a bot answering", "is a bot answering me", "am i chatting with a bot",
    "is this automated", "is this an automated reply",
    "are you human", "are you a human", "are you a real person", "are you real", "is this a real person",
    "is this a human", "am i talking to a real person", "am i talking to a human", "are you a bot or a human",
    "are you a human or a bot", "bot or human", "human or bot",
)


def asks_if_bot(text: str) -> bool:
    """Whether the whole message only asks whether a bot or a person writes, a greeting and a "please" aside."""
    return says_only(text, _QUESTIONS)


def meant_for_bot_questions(entry: Entry) -> bool:
    """Whether the brand's base answers the question with this entry (one of its examples is one): its approved
    words are then what the brand wants said."""
    return any(asks_if_bot(example) for examples in entry.examples.values() for example in examples)
