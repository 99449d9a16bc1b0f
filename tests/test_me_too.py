"""Which public comments join another customer's ("у меня тоже", "bende de", "same here", "+1")."""

from __future__ import annotations

import pytest

from handlers.me_too import joins_another


@pytest.mark.parametrize("text", [
    "у меня тоже", "У меня тоже не работает!", "и у меня", "та же проблема", "То же самое, второй день",
    "bende de", "Bende de aynı sorun var", "me too", "Same here", "same problem here",
])
def test_joining_words_join_whether_replying_or_not(text: str) -> None:
    assert joins_another(text, replying=False) and joins_another(text, replying=True)


@pytest.mark.parametrize("text", ["+1", "+", "++", " +1! ", "аналогично", "Поддерживаю!", "aynen", "same", "ditto"])
def test_a_plus_or_agreeing_joins_only_the_comment_it_replies_to(text: str) -> None:
    """Under a post alone, "+" or "поддерживаю" agrees with the post: it joins nobody's comment."""
    assert joins_another(text, replying=True) and not joins_another(text, replying=False)


@pytest.mark.parametrize("text", [
    "и у меня вопрос", "bir sorum da var", "I have a question too",  # their own question is still to come
    "у меня тоже с утра не работает интернет и телевизор, роутер мигает красным",  # a story of their own
    "у меня тоже так было, перезагрузите роутер", "у меня тоже было, починили за час",  # ... helping another
    "Сколько стоит Оптимум?", "Harika hizmet", "+100500 к карме", "1+1", "",
])
def test_other_comments_join_nobody(text: str) -> None:
    assert not joins_another(text, replying=True)
