"""The classifiers read what a message asks without the greeting and polite words before it and the thanks after
it."""

from __future__ import annotations

import pytest

from bot.app import App
from handlers.courtesies import without_courtesies
from handlers.types import Action
from tests.conftest import MessageFactory


@pytest.mark.parametrize(("text", "read"), [
    ("Добрый вечер, какие есть способы оплаты?", "какие есть способы оплаты?"),
    ("Здравствуйте! Подскажите, как сменить тариф", "как сменить тариф"),
    ("İyi akşamlar, fatura ödeme seçenekleri neler?", "fatura ödeme seçenekleri neler?"),
    ("Hi there - my internet is down", "my internet is down"),
    ("Как оплатить картой? Заранее спасибо!", "Как оплатить картой?"),
    ("Добрый вечер, какие есть способы оплаты? Спасибо", "какие есть способы оплаты?"),
    ("Спасибо большое. Сколько стоит приставка?", "Сколько стоит приставка?"),
    ("интернет не работает, помогите пожалуйста, спасибо", "интернет не работает, помогите пожалуйста"),
    ("Kartla nasıl ödeme yaparım? Şimdiden teşekkürler", "Kartla nasıl ödeme yaparım?"),
    ("How do I pay by card? Thanks in advance", "How do I pay by card?"),
    ("Подскажите, пожалуйста, сколько стоит приставка?", "сколько стоит приставка?"),
    ("Здравствуйте, подскажите пожалуйста, как оплатить? Спасибо", "как оплатить?"),
    ("Уважаемая поддержка, когда починят интернет?", "когда починят интернет?"),
    ("lütfen faturamı gönderin", "faturamı gönderin"),
    ("please, how do I pay?", "how do I pay?"),
    ("подскажите пожалуйста", "подскажите пожалуйста"),  # nothing else: an opener as a whole
    ("Please help", "Please help"),
    # what is left is no question: the message is a greeting or thanks as a whole
    ("Здравствуйте!", "Здравствуйте!"),
    ("Здравствуйте, у меня вопрос", "Здравствуйте, у меня вопрос"),
    ("hello!!! 😀", "hello!!! 😀"),
    ("приветствую вас", "приветствую вас"),
    ("всё заработало, спасибо", "всё заработало, спасибо"),
    ("thanks, it works now", "thanks, it works now"),
    ("спасибо за ничего", "спасибо за ничего"),
    ("hiç internet yok", "hiç internet yok"),  # "hi" is no word of it
    ("как оплатить?", "как оплатить?"),
    ("", ""),
])
def test_what_the_classifiers_read(text: str, read: str) -> None:
    assert without_courtesies(text) == read


async def test_a_question_between_courtesies_is_answered_as_the_question(app: App, message: MessageFactory) -> None:
    """Read with its greeting, the intent head gave the payment methods 0.23 (the price list 0.27) and a person
    got the thread; the question alone reads 0.48 payment methods, and similarity agrees. The stored message
    keeps the greeting."""
    text = "Good evening, what payment options do you have?"
    greeted = await app.pipeline.handle(message(text, customer="gr"))
    assert greeted is not None
    assert (greeted.decision.action, greeted.decision.entry_id) == (Action.ANSWER, "payment_methods"), greeted
    stored, _, _ = await app.storage.load_incoming(greeted.message_id)
    assert stored.text == text
    thanked = await app.pipeline.handle(message("Как оплатить картой? Заранее спасибо!", customer="th"))
    assert thanked is not None
    assert (thanked.decision.action, thanked.decision.entry_id) == (Action.ANSWER, "payment_methods"), thanked
    thanks = await app.pipeline.handle(message("всё заработало, спасибо", customer="th"))
    assert thanks is not None and thanks.decision.entry_id == "thanks"
    # read with its polite words, the head gave the price list 0.49 and the equipment 0.22
    polite = await app.pipeline.handle(message("Подскажите, пожалуйста, сколько стоит приставка?", customer="pl"))
    assert polite is not None
    assert (polite.decision.action, polite.decision.entry_id) == (Action.ANSWER, "equipment"), polite
