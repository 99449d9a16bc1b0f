"""Which public comments join another customer's ("у меня тоже", "bende de", "same here", "+1")."""

from __future__ import annotations

import pytest

from handlers.argument_base import load_argument_base
from handlers.courtesies import is_pleasantry, says_only_courtesies
from handlers.me_too import joins_another, left_to_customers
from tests.conftest import SAMPLE_KB


@pytest.mark.parametrize("text", [
    "у меня тоже", "У меня тоже не работает!", "и у меня", "та же проблема", "То же самое, второй день",
    "bende de", "Bende de aynı sorun var", "me too", "Same here", "same problem here",
])
def test_joining_words_join_whether_replying_or_not(text: str) -> None:
    assert joins_another(text, replying=False) and joins_another(text, replying=True)


@pytest.mark.parametrize("text", ["+1", "+", "++", " +1! ", "аналогично", "Поддерживаю!", "aynen", "same", "ditto",
                                  "тоже нет интернета", "mine is down too",
                                  # Turkish's "too" after a place, with what is missing there
                                  "Moda'da da yok", "Bizim sokakta da yok", "Ankara'da da aynı"])
def test_a_plus_or_agreeing_joins_only_the_comment_it_replies_to(text: str) -> None:
    """Under a post alone, "+" or "поддерживаю" agrees with the post: it joins nobody's comment."""
    assert joins_another(text, replying=True) and not joins_another(text, replying=False)


@pytest.mark.parametrize("text", [
    "и у меня вопрос", "bir sorum da var", "I have a question too",  # their own question is still to come
    "у меня тоже с утра не работает интернет и телевизор, роутер мигает красным",  # a story of their own
    "у меня тоже так было, перезагрузите роутер", "у меня тоже было, починили за час",  # ... helping another
    "Сколько стоит Оптимум?", "Harika hizmet", "+100500 к карме", "1+1", "",
    "Modemi de resetle", "Sen de haklısın",  # Turkish's "too" with nothing missing: advice, talk
])
def test_other_comments_join_nobody(text: str) -> None:
    assert not joins_another(text, replying=True)


def test_a_reply_to_another_customer_is_their_talk_unless_it_asks_complains_or_is_surely_for_the_brand() -> None:
    base = load_argument_base(SAMPLE_KB)
    assert left_to_customers("Перезагрузите роутер, мне помогло", unhappy=False, sure_of=None)
    assert left_to_customers("У меня подключали бесплатно", unhappy=False, sure_of=None)
    assert not left_to_customers("А в СНТ тоже подключаете?", unhappy=False, sure_of=None)  # a question
    assert not left_to_customers("подскажите тариф", unhappy=False, sure_of=None)  # a request
    assert not left_to_customers("у нас тоже не работает", unhappy=False, sure_of=None)  # a failing service
    assert not left_to_customers("какой у вас номер телефона", unhappy=False,
                                 sure_of=base.entry("contacts_hours"))  # the head is sure of an entry
    assert not left_to_customers("безобразие", unhappy=True, sure_of=None)  # an unhappy customer
    # what a customer whose service works asks, they ask the other customer (it heard the router's price list)
    assert left_to_customers("Ребята, у меня всё работает, может у вас роутер?", unhappy=False, sure_of=None)
    assert left_to_customers("Bende çalışıyor, modemi resetlediniz mi?", unhappy=False, sure_of=None)
    assert left_to_customers("Works fine for me, did you try a cable?", unhappy=False, sure_of=None)
    # ... but a goodbye, thanks or greeting it is sure of are said to that customer ("Рады были помочь" was not)
    assert left_to_customers("а у меня норм всё", unhappy=False, sure_of=base.entry("goodbye"))


def test_the_pleasantries_of_a_base_are_told_by_their_examples() -> None:
    """Entries for greetings, thanks and goodbyes (a fifth of their examples courtesies alone, whatever their ids);
    none of the entries that answer something."""
    base = load_argument_base(SAMPLE_KB)
    assert {entry.id for entry in base.entries if is_pleasantry(entry)} == {"greeting", "thanks", "goodbye"}
    assert says_only_courtesies("Спасибо большое!") and says_only_courtesies("пока-пока")
    assert says_only_courtesies("Merhaba, teşekkürler") and says_only_courtesies("good bye, thanks")
    assert not says_only_courtesies("спасибо, всё заработало") and not says_only_courtesies("")
