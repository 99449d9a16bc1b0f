"""A message typed in capitals is read in lower case, its sentences begun in lower case; a few capitals in an ordinary
one are left alone."""

from __future__ import annotations

import pytest

from bot.app import App
from handlers.argument_base import load_argument_base
from handlers.types import Action
from models.letter_case import sentences_begun_lower, unshouted
from tests.conftest import SAMPLE_KB, MessageFactory


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


@pytest.mark.parametrize(("text", "language", "read"), [
    ("Сколько стоит Оптимум?", "ru", "сколько стоит Оптимум?"),
    ("İptal ücreti var mı?", "tr", "iptal ücreti var mı?"),  # no combining dot
    ("Здравствуйте! Есть ли у вас IP? ТВ не работает.", "ru", "здравствуйте! есть ли у вас IP? ТВ не работает."),
    ("Добрый день,\nПодскажите тариф", "ru", "добрый день,\nподскажите тариф"),
    ("«Оптимум» это сколько?", "ru", "«оптимум» это сколько?"),
    ("Internet is down", "en", "internet is down"),
    ("Internet yok", "tr", "Internet yok"),  # ı or i: Turkish words begun with I are left as they are
    ("I need a technician", "en", "I need a technician"),
    ("OK, спасибо", "ru", "OK, спасибо"),
    ("сколько стоит?", "ru", "сколько стоит?"),
    ("", "ru", ""),
])
def test_each_sentence_is_read_begun_in_lower_case(text: str, language: str | None, read: str) -> None:
    assert sentences_begun_lower(text, language) == read


async def test_a_question_begun_with_a_capital_is_answered_as_the_same_words_in_lower_case(
        app: App, message: MessageFactory) -> None:
    """"İptal ücreti var mı?" went to a person (the price list 0.23, read as typed), "iptal ücreti var mı?" was
    answered from the cancel entry: the sample base's examples begin in lower case, and the encoder reads a
    capital first letter as another word. The message is stored as it came."""
    capital = await app.pipeline.handle(message("İptal ücreti var mı?", customer="capital-tr"))
    assert capital is not None
    assert (capital.decision.action, capital.decision.entry_id) == (Action.ANSWER, "cancel_contract"), capital.decision
    assert capital.decision.reply_text == load_argument_base(SAMPLE_KB).entry("cancel_contract").answers["tr"][3]
    stored, _, _ = await app.storage.load_incoming(capital.message_id)
    assert stored.text == "İptal ücreti var mı?"
