"""Messages comparing the brand with its competitors go to a person: never the price list, never thanks."""

from __future__ import annotations

import random

import pytest

from handlers.competitors import COMPETITOR, mentions_competitor
from handlers.matcher import Match
from handlers.policy import BrandPolicy
from handlers.router import decide
from handlers.types import Action, Analysis, Conversation, ConversationState, IncomingMessage, Platform
from models.word_match import WordList
from tests.test_router import BASE

PLEASED = {"negative": 0.04, "neutral": 0.15, "positive": 0.81}


@pytest.mark.parametrize("text", [
    "У конкурентов дешевле", "у других провайдеров скорость выше", "Rakip firma daha ucuz ama",
    "Başka firmalar daha ucuz", "Your competitor offers 1 Gbit for half the price", "Other providers are cheaper",
])
def test_competitors_are_told_by_general_words_in_each_language(text: str) -> None:
    assert mentions_competitor(text)


def test_competitors_are_told_by_the_names_a_brand_lists() -> None:
    named = WordList(("Ростелеком*", "МТС", "Türk Telekom"))
    assert mentions_competitor("А в Ростелекоме дешевле", named) and mentions_competitor("Переходите на МТС", named)
    assert mentions_competitor("Türk Telekom daha hızlı", named)
    assert not mentions_competitor("А в Ростелекоме дешевле") and not mentions_competitor("Сколько стоит Оптимум?",
                                                                                          named)


def _decide(text: str, policy: BrandPolicy, analysis: Analysis, match: Match | None) -> tuple[Action, str, str | None]:
    conversation = Conversation(1, "volna", Platform.VK, "c", "Анна", ConversationState.BOT, analysis.language)
    message = IncomingMessage(Platform.VK, "volna", "wall-1_5", "1", "c", text, "Анна", is_public=True)
    d = decide(message, conversation, analysis, match, BASE, policy, [], random.Random(0))
    return d.action, d.reason, d.entry_id


def test_a_comparison_with_a_competitor_goes_to_a_person() -> None:
    """"Your competitor offers 1 Gbit for half the price" read 0.81 positive and was thanked "We're glad you're
    happy"; "А в Ростелекоме дешевле" got the price list by similarity."""
    plain = BrandPolicy()
    assert _decide("Your competitor offers 1 Gbit for half the price", plain, Analysis("en", PLEASED), None) == (
        Action.HANDOFF, COMPETITOR, None)
    near_prices = Match("tariffs", 0.91, 0.89, {})
    assert _decide("А в Ростелекоме дешевле", plain, Analysis("ru"), near_prices)[:3] == (
        Action.ANSWER, "similarity", "tariffs")  # a name the brand does not list is nobody's
    named = BrandPolicy(competitors=("Ростелеком*",))
    assert _decide("А в Ростелекоме дешевле", named, Analysis("ru"), near_prices) == (
        Action.HANDOFF, COMPETITOR, None)
    # the intent head sure of an entry keeps it ("хочу уйти к другому провайдеру": the cancel entry)
    sure = Analysis("ru", intents={"cancel_contract": 0.9})
    assert _decide("хочу уйти к другому провайдеру", plain, sure, None)[:3] == (
        Action.ANSWER, "intent", "cancel_contract")
