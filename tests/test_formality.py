"""A formal greeting is not answered with an informal one ("Здравствуйте" got "Привет! Рады, что написали")."""

from __future__ import annotations

import random

from bot.app import App
from handlers.argument_base import load_argument_base
from handlers.formality import greets_formally, greets_informally
from handlers.phrasing import choose_phrasing
from handlers.types import Action
from tests.conftest import SAMPLE_KB, MessageFactory

BASE = load_argument_base(SAMPLE_KB)


def test_formal_greetings_and_informal_replies_are_told_in_each_language() -> None:
    assert greets_formally("Здравствуйте!") and greets_formally("Добрый вечер, подскажите тариф")
    assert greets_formally("İyi günler") and greets_formally("Good afternoon, I have a question")
    assert not greets_formally("привет") and not greets_formally("Merhaba") and not greets_formally("hi")
    assert greets_informally("Привет! Рады, что написали.") and greets_informally("Selam {name}, Volna'ya…")
    assert greets_informally("Hey {name}, thanks for reaching out")
    assert not greets_informally("Здравствуйте, {name}!") and not greets_informally("Приветствуем вас!")


def test_a_customer_who_greets_formally_is_never_greeted_informally() -> None:
    greeting = BASE.entry("greeting")
    for language, public in (("ru", False), ("ru", True), ("tr", False), ("en", False)):
        formal = {choose_phrasing(greeting, language, public=public, used=[], customer_name="Анна",
                                  rng=random.Random(seed), formal=True)[0] for seed in range(40)}
        casual = {choose_phrasing(greeting, language, public=public, used=[], customer_name="Анна",
                                  rng=random.Random(seed))[0] for seed in range(40)}
        assert formal and not any(greets_informally(text) for text in formal)
        assert any(greets_informally(text) for text in casual)  # the informal ones stay for the others


async def test_hello_in_words_is_answered_in_kind(app: App, message: MessageFactory) -> None:
    for n in range(8):
        hello = await app.pipeline.handle(message("Здравствуйте", customer=f"formal-{n}"))
        assert hello is not None and (hello.decision.action, hello.decision.entry_id) == (Action.ANSWER, "greeting")
        assert not greets_informally(str(hello.decision.reply_text))
