"""A message whose one sentence asks, among sentences that only tell, is decided by that sentence read alone."""

from __future__ import annotations

import pytest

from bot.app import App
from handlers.request_sentence import request_sentence
from handlers.router import answer_request
from handlers.types import Action, Decision
from tests.conftest import MessageFactory


@pytest.mark.parametrize(("text", "asking"), [
    ("Я ваш абонент уже пять лет. Сколько стоит Оптимум?", "Сколько стоит Оптимум?"),
    ("Пишу вам уже второй раз.\n\nКак оплатить картой?", "Как оплатить картой?"),
    ("Beş yıldır abonenizim. Fiyatlar ne kadar?", "Fiyatlar ne kadar?"),
    ("How do I pay by card? This is my second time writing to you.", "How do I pay by card?"),
    ("У нас дома трое детей. Интернет не работает с утра.", "Интернет не работает с утра."),  # trouble, no question
])
def test_the_one_sentence_that_asks_or_complains_is_found(text: str, asking: str) -> None:
    assert request_sentence(text) == asking


@pytest.mark.parametrize("text", [
    "Сколько стоит Оптимум?",  # one sentence
    "Здравствуйте! Сколько стоит Оптимум?",  # a greeting: the whole already reads without it
    "Сколько стоит Оптимум? Как оплатить?",  # two questions (handlers.question_parts)
    "Договор 4581203. Когда почините?",  # the details are read with the question
    "Живу на ул. Ленина 5. Можно подключить?",  # an abbreviation ends no sentence: the address stays with it
    "Я ваш абонент уже пять лет. Спасибо вам!",  # nothing asked
    "Интернет не работает. Сколько можно!",  # two complaints
])
def test_a_message_is_read_whole_otherwise(text: str) -> None:
    assert request_sentence(text) is None


def test_the_sentences_decision_replaces_only_a_plain_one() -> None:
    whole = Decision(Action.HANDOFF, "no_confident_answer", "ru", scores={"intent": 0.3})
    answer = Decision(Action.ANSWER, "intent", "ru", "tariffs", "Тарифы…", "tariffs:ru:private:0", {"intent": 0.9})
    assert answer_request(whole, answer) == Decision(Action.ANSWER, "intent", "ru", "tariffs", "Тарифы…",
                                                     "tariffs:ru:private:0", {"intent": 0.3})
    rated = Decision(Action.ANSWER, "rated_satisfied", "ru", reply_text="Спасибо за оценку!")
    assert answer_request(rated, answer) is rated  # the whole called for more than an answer
    ignored = Decision(Action.IGNORE, "acknowledgement", "ru")
    assert answer_request(whole, ignored) is whole


@pytest.mark.parametrize(("text", "entry", "language"), [
    ("Я ваш абонент уже пять лет. Сколько стоит Оптимум?", "tariffs", "ru"),  # went to a person
    ("Beş yıldır abonenizim. Fiyatlar ne kadar?", "tariffs", "tr"),  # went to a person
    ("Пишу вам уже второй раз. Как оплатить картой?", "payment_methods", "ru"),
])
async def test_a_question_after_a_sentence_that_only_tells_is_answered(
        app: App, message: MessageFactory, text: str, entry: str, language: str) -> None:
    outcome = await app.pipeline.handle(message(text, customer=f"told-{entry}-{language}"))
    assert outcome is not None
    decision = outcome.decision
    assert (decision.action, decision.entry_id, decision.language) == (Action.ANSWER, entry, language), decision


async def test_details_before_a_question_are_still_heard(app: App, message: MessageFactory) -> None:
    outcome = await app.pipeline.handle(message("Договор 4581203. Когда почините?", customer="told-details"))
    assert outcome is not None and outcome.decision.reason == "details_given", outcome.decision
