"""A message whose one sentence asks, among sentences that only tell, is decided by that sentence read alone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.app import App
from handlers.argument_base import load_argument_base
from handlers.request_sentence import request_sentence
from handlers.router import answer_request
from handlers.types import Action, Decision
from tests.conftest import SAMPLE_KB, MessageFactory

BASE = load_argument_base(SAMPLE_KB)


@pytest.mark.parametrize(("text", "asking"), [
    ("Я ваш абонент уже пять лет. Сколько стоит Оптимум?", "Сколько стоит Оптимум?"),
    ("Пишу вам уже второй раз.\n\nКак оплатить картой?", "Как оплатить картой?"),
    ("Beş yıldır abonenizim. Fiyatlar ne kadar?", "Fiyatlar ne kadar?"),
    ("How do I pay by card? This is my second time writing to you.", "How do I pay by card?"),
    ("У нас дома трое детей. Интернет не работает с утра.", "Интернет не работает с утра."),  # trouble, no question
])
def test_the_one_sentence_that_asks_or_complains_is_found(text: str, asking: str) -> None:
    assert request_sentence(text) == asking


def test_where_it_names_nothing_the_one_sentence_that_tells_is_read() -> None:
    """"Что делать?" alone lay near the request for a person: the set-top box is what the message is about."""
    assert request_sentence("Приставка показывает ошибку 404. Что делать?", "ru") == "Приставка показывает ошибку 404."
    assert request_sentence("Forgot my wifi password. What should I do?", "en") == "Forgot my wifi password."
    assert request_sentence("Пишу вам уже второй раз. Как оплатить картой?", "ru") == "Как оплатить картой?"
    assert request_sentence("Пишу второй раз. Договорился с соседом. Что делать?", "ru") is None  # which one?


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


def test_the_sentence_answers_for_a_plain_whole_when_the_head_is_sure_of_an_entry_it_names() -> None:
    whole = Decision(Action.HANDOFF, "no_confident_answer", "ru", scores={"intent": 0.3})
    sure = Decision(Action.ANSWER, "intent", "ru", "tariffs", "Тарифы…", "tariffs:ru:private:0", {"intent": 0.9})
    asked = "Сколько стоит Оптимум?"
    assert answer_request(whole, sure, asked, BASE) == replace(sure, scores={"intent": 0.3})
    rated = Decision(Action.ANSWER, "rated_satisfied", "ru", reply_text="Спасибо за оценку!")
    assert answer_request(rated, sure, asked, BASE) is rated  # the whole called for more than an answer
    # "Что делать?" names nothing the entry speaks of: the whole ("Приставка показывает ошибку 404.") stands
    assert answer_request(whole, replace(sure, entry_id="human_request"), "Что делать?", BASE) is whole
    by_similarity = replace(sure, reason="similarity")  # the head unsure of it alone: no surer than the whole
    assert answer_request(whole, by_similarity, asked, BASE) is whole
    handed = Decision(Action.HANDOFF, "no_confident_answer", "ru", reply_text="Передаю…")
    assert answer_request(whole, handed, asked, BASE) is whole


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


async def test_a_sentence_that_says_nothing_alone_leaves_the_whole_as_it_was(app: App, message: MessageFactory) -> None:
    """"Что делать?" read alone lay near the request for a person; "I'm moving next week. What do I do with my
    internet?" is the moving entry's whole, and nobody's alone; details before a question are heard with it."""
    for text, entry in (("Приставка показывает ошибку 404. Что делать?", "tv_not_working"),
                        ("I'm moving next week. What do I do with my internet?", "moving_house")):
        outcome = await app.pipeline.handle(message(text, customer=f"told-{entry}"))
        assert outcome is not None
        assert (outcome.decision.action, outcome.decision.entry_id) == (Action.ANSWER, entry), outcome.decision
    details = await app.pipeline.handle(message("Договор 4581203. Когда почините?", customer="told-details"))
    assert details is not None
    assert details.decision.reason == "details_given", details.decision


async def test_the_phrasing_is_chosen_for_the_whole_message(app: App, message: MessageFactory) -> None:
    """"Можно приостановить договор?" alone lies nearest the cancel entry's "what made you decide to leave?"; with
    "Мы уезжаем на дачу на всё лето." before it, nearest the one on pausing the service."""
    outcome = await app.pipeline.handle(message("Мы уезжаем на дачу на всё лето. Можно приостановить договор?",
                                                customer="told-summer"))
    assert outcome is not None
    assert outcome.decision.entry_id == "cancel_contract", outcome.decision
    assert "приостановить обслуживание" in (outcome.decision.reply_text or ""), outcome.decision.reply_text
