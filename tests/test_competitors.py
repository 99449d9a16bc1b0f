"""Messages comparing the brand with its competitors go to a person: never the price list, never thanks."""

from __future__ import annotations

import random

import pytest

from handlers.competitors import COMPETITOR, comes_from_competitor, for_leaving, mentions_competitor
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


@pytest.mark.parametrize("text", [
    "Думаю перейти к вам от другого провайдера", "Хочу подключиться к вам, ухожу от конкурента",
    "Başka firmadan size geçmek istiyorum", "Rakip firmadan geçmek istiyorum",
    "thinking of switching from another provider", "We'd like to switch to you from our current provider",
])
def test_a_customer_coming_from_a_competitor_is_told_in_each_language(text: str) -> None:
    assert comes_from_competitor(text)


@pytest.mark.parametrize("text", [
    "У конкурентов дешевле, перейду к ним", "хочу уйти к другому провайдеру", "переходим к другому провайдеру",
    "Başka firmaya geçiyorum", "Rakip firmadan daha ucuz, geçmek istiyorum", "I'm switching to another provider",
    "Other providers are cheaper, I'll switch", "Your competitor offers 1 Gbit for half the price",
])
def test_a_customer_leaving_or_comparing_is_not_taken_for_one_coming(text: str) -> None:
    assert not comes_from_competitor(text)


def test_a_customer_coming_from_a_competitor_asks_as_any_new_customer() -> None:
    """"Думаю перейти к вам от другого провайдера. Какие есть акции?" went to a person as a comparison with a
    competitor, and read alone its first sentence lay in the cancel entry ("можно узнать, что стало причиной?")."""
    plain = BrandPolicy()
    near_promos = Match("promo_bonus", 0.91, 0.89, {})
    assert _decide("Хочу перейти к вам от конкурента, какие есть акции?", plain, Analysis("ru"), near_promos) == (
        Action.ANSWER, "similarity", "promo_bonus")
    assert _decide("Хочу перейти к конкуренту, какие есть акции?", plain, Analysis("ru"), near_promos) == (
        Action.HANDOFF, COMPETITOR, None)
    sure = Analysis("ru", intents={"cancel_contract": 0.9})
    action, _, entry = _decide("Думаю перейти к вам от другого провайдера", plain, sure, None)
    assert (action, entry) == (Action.HANDOFF, None)
    assert for_leaving(BASE.entry("cancel_contract")) and not for_leaving(BASE.entry("promo_bonus"))
