"""A message that asks two things ("Сколько стоит Оптимум и как его оплатить?") gets both approved answers; it went
to a person, the intent head sure of neither question read together."""

from __future__ import annotations

import pytest

from bot.app import App
from handlers.question_parts import question_parts
from handlers.router import answer_parts
from handlers.types import Action, Decision
from tests.conftest import MessageFactory


@pytest.mark.parametrize(("text", "parts"), [
    ("Сколько стоит Оптимум и как его оплатить?", ["Сколько стоит Оптимум", "как его оплатить?"]),
    ("Добрый вечер! Какие у вас тарифы? Можно оплатить картой?",
     ["Добрый вечер! Какие у вас тарифы?", "Можно оплатить картой?"]),
    ("Fiyatlar ne kadar ve nasıl ödeyebilirim?", ["Fiyatlar ne kadar", "nasıl ödeyebilirim?"]),
    ("How much is Optimum and how do I pay for it?", ["How much is Optimum", "how do I pay for it?"]),
    ("Где офис, а когда он работает?", ["Где офис", "когда он работает?"]),
])
def test_questions_asked_together(text: str, parts: list[str]) -> None:
    assert question_parts(text) == parts


@pytest.mark.parametrize("text", [
    "как оплатить картой?", "А как оплатить?",  # one question, a joining word first
    "не работает интернет и что делать?",  # a complaint, then a question: one matter
    "у вас есть приставка и сколько она стоит?",  # no question before the joining word
    "Какие тарифы есть? Спасибо",  # thanks ask nothing
    "Где офис? Да?",  # too short to ask anything of its own
    "Какие тарифы? Как оплатить? Где офис? Когда приедет мастер?",  # more than three: a letter for a person
    "Почему " + "очень " * 40 + "дорого и как оплатить?",  # a long story: read whole
    "",
])
def test_one_question(text: str) -> None:
    assert question_parts(text) == [text]


def _answer(entry: str, key: int = 0) -> Decision:
    return Decision(Action.ANSWER, "intent", "ru", entry, f"ответ {entry}", f"{entry}:ru:private:{key}")


def test_each_question_is_answered_when_the_head_is_sure_of_an_entry_for_each() -> None:
    whole = Decision(Action.HANDOFF, "no_confident_answer", "ru", None, "Передаю…", "handoff:ru:0", {"intent": 0.41})
    both = answer_parts(whole, [_answer("tariffs"), _answer("payment_methods")])
    assert (both.action, both.reason, both.entry_id, both.reply_text) == (Action.ANSWER, "intent", "tariffs",
                                                                        "ответ tariffs")
    assert both.more_replies == (("ответ payment_methods", "payment_methods:ru:private:0"),)
    assert both.scores == {"intent": 0.41}  # the message's own scores, as stored
    # one entry answers both ("Где офис и когда он работает?"), or a part is not surely answered: the whole stands
    assert answer_parts(whole, [_answer("contacts_hours"), _answer("contacts_hours", 1)]) is whole
    unsure = Decision(Action.HANDOFF, "no_confident_answer", "ru", None, "Передаю…", "handoff:ru:1")
    assert answer_parts(whole, [_answer("tariffs"), unsure]) is whole
    by_similarity = Decision(Action.ANSWER, "similarity", "ru", "payment_methods", "ответ",
                             "payment_methods:ru:private:0")
    assert answer_parts(whole, [_answer("tariffs"), by_similarity]) is whole
    # what the whole called for besides an answer stands: a very unhappy customer, details, a request for a person
    for reason in ("strong_negative", "details_given", "entry_needs_human", "follow_up"):
        called = Decision(Action.HANDOFF, reason, "ru", None, "…", "unhappy_handoff:ru:0")
        assert answer_parts(called, [_answer("tariffs"), _answer("payment_methods")]) is called
    # an answer from one entry for the whole gets the other question's answer too
    one = _answer("tariffs", 2)
    assert answer_parts(one, [_answer("tariffs"), _answer("payment_methods")]).more_replies


async def test_a_message_of_two_questions_gets_both_answers(app: App, message: MessageFactory) -> None:
    outcome = await app.pipeline.handle(message("Сколько стоит Оптимум и как его оплатить?", customer="two"))
    assert outcome is not None
    decision = outcome.decision
    assert (decision.action, decision.entry_id) == (Action.ANSWER, "tariffs"), decision
    assert [key.split(":")[0] for _, key in decision.more_replies] == ["payment_methods"]
    assert len(outcome.outbox_ids) == 2  # two messages, the price first
    used = await app.storage.used_phrasings(outcome.conversation.id)
    assert [key.split(":")[0] for key in used] == ["tariffs", "payment_methods"]  # neither comes again at once
    conversation = await app.storage.conversation(outcome.conversation.id, "volna")
    assert not conversation.owned_by_human
    # in Turkish and English too
    for text in ("Fiyatlar ne kadar ve nasıl ödeyebilirim?", "How much is Optimum and how do I pay for it?"):
        other = await app.pipeline.handle(message(text, customer=f"two-{text[:3]}"))
        assert other is not None
        assert other.decision.entry_id == "tariffs", other.decision
        assert [key.split(":")[0] for _, key in other.decision.more_replies] == ["payment_methods"]
