"""A message typed in capitals is read in lower case; a few capitals in an ordinary one are left alone."""

from __future__ import annotations

import pytest

from bot.app import App
from handlers.types import Action
from models.letter_case import unshouted
from tests.conftest import MessageFactory


@pytest.mark.parametrize(("text", "language", "read"), [
    ("СКОЛЬКО СТОИТ ПРИСТАВКА?", "ru", "сколько стоит приставка?"),
    ("ПОЧЕМУ НЕТ ИНТЕРНЕТА!!! Wi-Fi", "ru", "почему нет интернета!!! wi-fi"),
    ("FATURAMI NASIL ÖDERİM?", "tr", "faturamı nasıl öderim?"),  # Turkish I is ı, İ is i
    ("HOW DO I PAY BY CARD?", "en", "how do i pay by card?"),
    ("İNTERNET YOK", None, "internet yok"),  # no combining dot from Python's lower() of İ
    ("OK", "en", "OK"),  # too few letters to shout
    ("Не работает ТВ", "ru", "Не работает ТВ"),
    ("", "ru", ""),
    ("4581203", "ru", "4581203"),
])
def test_capitals_are_read_in_lower_case(text: str, language: str | None, read: str) -> None:
    assert unshouted(text, language) == read


async def test_a_shouted_question_is_answered_as_the_same_words_in_lower_case(
        app: App, message: MessageFactory) -> None:
    """Read in capitals, the intent head gave the equipment entry 0.24 and the contacts 0.17."""
    for customer, text, entry in (("caps-ru", "СКОЛЬКО СТОИТ ПРИСТАВКА?", "equipment"),
                                  ("caps-tr", "FATURAMI NASIL ÖDERİM?", "payment_methods")):
        shouted = await app.pipeline.handle(message(text, customer=customer))
        assert shouted is not None
        assert (shouted.decision.action, shouted.decision.entry_id) == (Action.ANSWER, entry), shouted.decision
        stored, _, _ = await app.storage.load_incoming(shouted.message_id)
        assert stored.text == text
