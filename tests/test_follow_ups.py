"""A short question that points back at the bot's answer ("а с какого числа он начнёт действовать?") or goes on from
it ("а сроки какие?") goes to a person with that answer's entry, unless the intent head is sure of its own entry."""

from __future__ import annotations

import random

import pytest

from bot.app import App
from handlers.argument_base import load_argument_base
from handlers.follow_ups import FOLLOW_UP, leans_on_answer
from handlers.matcher import Match
from handlers.policy import BrandPolicy
from handlers.router import decide
from handlers.texts import TEXTS, handoff_reason
from handlers.types import Action, Analysis, Conversation, ConversationState, Decision, IncomingMessage, Platform
from tests.conftest import SAMPLE_KB, MessageFactory

BASE = load_argument_base(SAMPLE_KB)


@pytest.mark.parametrize("text", ["а с какого числа он начнёт действовать?", "а сколько это стоит",
                                  "а когда он придёт?", "bu ücretli mi", "Peki bunu nereden alırım?",
                                  "how long does it take?", "and where do I find it", "а сроки какие?",
                                  "Peki nasıl ödeyebilirim?", "and the installation?"])
def test_questions_pointing_back(text: str) -> None:
    assert leans_on_answer(text)


@pytest.mark.parametrize("text", ["сколько стоит приставка?", "спасибо, это помогло", "это всё, спасибо",
                                  "он не работает", "ok thanks", "", "а это бесплатно", "а ещё спасибо вам",
                                  "какие сроки подключения?",
                                  "скажите пожалуйста сколько стоит подключение интернета в частный дом если "
                                  "он далеко от города?"])
def test_not_questions_pointing_back(text: str) -> None:
    assert not leans_on_answer(text)


def _decide(text: str, analysis: Analysis, match: Match | None, last_key: str | None) -> Decision:
    conversation = Conversation(1, "volna", Platform.LOCAL, "c", "Анна", ConversationState.BOT, "ru")
    message = IncomingMessage(Platform.LOCAL, "volna", "c", "1", "c", text, "Анна")
    return decide(message, conversation, analysis, match, BASE, BrandPolicy(), [], random.Random(0),
                  last_reply_key=last_key)


def test_a_question_pointing_back_goes_to_a_person_unless_the_head_is_sure() -> None:
    after = "change_tariff:ru:private:1"
    unsure = Analysis("ru", intents={"contacts_hours": 0.3}, out_of_scope=False)
    near = Match("contacts_hours", 0.9, 0.86, {})
    handed = _decide("а с какого числа он начнёт действовать?", unsure, near, after)
    assert (handed.action, handed.reason, handed.entry_id) == (Action.HANDOFF, FOLLOW_UP, "change_tariff")
    assert handed.reply_text in {text.format(eta="часа") for text in TEXTS["handoff"]["ru"]}
    assert handed.suggestions == ("contacts_hours",)
    assert handoff_reason(FOLLOW_UP, "ru") == "уточняющий вопрос к ответу бота"
    # read alone, the same message and scores are answered from the entry similarity and the head agree on
    alone = _decide("а с какого числа он начнёт действовать?", unsure, near, None)
    assert (alone.action, alone.entry_id) == (Action.ANSWER, "contacts_hours")
    # the head sure of its own entry: "а как его оплатить?" is the payment methods whatever came before
    sure = _decide("а как его оплатить?", Analysis("ru", intents={"payment_methods": 0.77}),
                   Match("tariffs", 0.9, 0.001, {}), "tariffs:ru:private:0")
    assert (sure.action, sure.entry_id) == (Action.ANSWER, "payment_methods")
    # after a notice rather than an approved answer there is nothing to point back at
    notice = _decide("а сколько это стоит?", unsure, near, "opener_prompt:ru:0")
    assert notice.reason != FOLLOW_UP



def test_a_reply_nearest_the_entry_just_answered_goes_to_a_person() -> None:
    """"на максимум" to the tariff-change answer's "which tariff?" got that entry's other phrasing, asking again."""
    after = "change_tariff:ru:private:1"
    near_it = Match("change_tariff", 0.93, 0.88, {})
    again = _decide("на максимум", Analysis("ru"), near_it, after)
    assert (again.action, again.reason, again.entry_id) == (Action.HANDOFF, FOLLOW_UP, "change_tariff")
    # read alone, it is answered from that entry
    assert _decide("на максимум", Analysis("ru"), near_it, None).action is Action.ANSWER
    # the intent head sure of it: asked again, answered again (in other words)
    sure = _decide("хочу сменить тариф", Analysis("ru", intents={"change_tariff": 0.9}), near_it, after)
    assert (sure.action, sure.entry_id) == (Action.ANSWER, "change_tariff")
    # details are for a person anyway, and say they arrived
    details = _decide("на максимум, договор 4581203", Analysis("ru"), near_it, after)
    assert (details.action, details.reason) == (Action.HANDOFF, "details_given")
    # a second greeting may get the greeting entry again
    hello = _decide("добрый день", Analysis("ru"), Match("greeting", 0.95, 0.9, {}), "greeting:ru:private:0")
    assert (hello.action, hello.entry_id) == (Action.ANSWER, "greeting")


async def test_the_follow_up_to_the_tariff_change_answer_reaches_a_person(app: App, message: MessageFactory) -> None:
    first = await app.pipeline.handle(message("Хочу перейти на тариф подешевле, как это сделать?", customer="fu"))
    assert first is not None and first.decision.entry_id == "change_tariff"
    follow = await app.pipeline.handle(message("а с какого числа он начнёт действовать?", customer="fu"))
    assert follow is not None
    assert (follow.decision.action, follow.decision.reason) == (Action.HANDOFF, FOLLOW_UP), follow.decision
    assert follow.decision.entry_id == "change_tariff"
    conversation = await app.storage.conversation(follow.conversation.id, "volna")
    assert conversation.state is ConversationState.WAITING_FOR_MODERATOR
