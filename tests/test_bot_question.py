""""Вы бот?" is answered by the bot itself, honestly, with how to reach a person; a moderator used to get the
thread only to say so an hour later."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from bot.app import App
from handlers.argument_base import ArgumentBase, load_argument_base
from handlers.bot_question import BOT_QUESTION, asks_if_bot
from handlers.policy import BrandPolicy
from handlers.router import decide
from handlers.texts import TEXTS
from handlers.types import Action, Analysis, Conversation, ConversationState, Decision, IncomingMessage, Platform
from tests.conftest import SAMPLE_KB, MessageFactory

BASE = load_argument_base(SAMPLE_KB)


@pytest.mark.parametrize("text", ["вы бот?", "Здравствуйте, вы живой человек?", "А ты бот???", "это бот отвечает?",
                                  "Вы бот или человек?", "bot musunuz?", "Merhaba, gerçek bir insan mısınız?",
                                  "Bu bir bot mu", "Are you a bot?", "hi, am I talking to a real person?",
                                  "are you human"])
def test_questions_whether_a_bot_writes(text: str) -> None:
    assert asks_if_bot(text)


@pytest.mark.parametrize("text", ["вы бот? позовите человека", "с ботом общаться не буду", "дайте человека",
                                  "бот не помог", "ботинки", "are you open on sunday?", "bot musun? insanla "
                                  "görüşmek istiyorum", "", "человек"])
def test_not_questions_whether_a_bot_writes(text: str) -> None:
    assert not asks_if_bot(text)


def _decide(text: str, analysis: Analysis, base: ArgumentBase = BASE) -> Decision:
    conversation = Conversation(1, "volna", Platform.LOCAL, "c", "Анна", ConversationState.BOT, "ru")
    message = IncomingMessage(Platform.LOCAL, "volna", "c", "1", "c", text, "Анна")
    return decide(message, conversation, analysis, None, base, BrandPolicy(), [], random.Random(0))


def test_the_bot_says_it_is_one_whatever_entry_lies_near_unless_the_brand_answers_it() -> None:
    near_person = Analysis("ru", intents={"human_request": 0.9})
    told = _decide("вы бот?", near_person)
    assert (told.action, told.reason, told.entry_id) == (Action.ANSWER, BOT_QUESTION, None)
    assert told.reply_text in TEXTS[BOT_QUESTION]["ru"]
    assert told.phrasing_key == f"{BOT_QUESTION}:ru:{TEXTS[BOT_QUESTION]['ru'].index(told.reply_text)}"
    # a brand whose base lists the question under an entry keeps that entry's words (here: a person comes)
    person = next(e for e in BASE.entries if e.id == "human_request")
    listed = replace(person, examples={**person.examples, "ru": (*person.examples["ru"], "вы бот?")})
    own = replace(BASE, entries=tuple(listed if e.id == "human_request" else e for e in BASE.entries))
    kept = _decide("вы бот?", near_person, own)
    assert (kept.action, kept.entry_id) == (Action.HANDOFF, "human_request")
    # asking for a person in the same breath still gets one
    wants = _decide("вы бот? позовите человека", near_person)
    assert (wants.action, wants.entry_id) == (Action.HANDOFF, "human_request")


async def test_a_customer_told_it_is_a_bot_gets_a_person_when_asking_for_one(
        app: App, message: MessageFactory) -> None:
    """The sample base listed "вы бот?" among the requests for a person; the customer asked, and heard "Конечно,
    подключаю специалиста" to a question nobody answered."""
    for customer, text, language in (("bq-ru", "Здравствуйте, вы бот?", "ru"), ("bq-tr", "bot musunuz?", "tr"),
                                     ("bq-en", "Am I talking to a real person?", "en")):
        told = await app.pipeline.handle(message(text, customer=customer))
        assert told is not None
        assert (told.decision.action, told.decision.reason) == (Action.ANSWER, BOT_QUESTION), told.decision
        assert told.decision.language == language and told.decision.reply_text is not None
        # greeted, the customer is greeted back first (handlers.greeting_back)
        assert told.decision.reply_text.endswith(TEXTS[BOT_QUESTION][language]), told.decision.reply_text
    person = await app.pipeline.handle(message("хорошо, тогда позовите человека", customer="bq-ru"))
    assert person is not None and person.decision.action is Action.HANDOFF
    assert person.decision.entry_id == "human_request"
