"""The stacking regression that combines the toxicity model's scores (models.stacking) and the word lists it and
the blocklist read (models.word_match, models.abusive_words)."""

from __future__ import annotations

import numpy as np

from models.abusive_words import abusive, obscenity_in
from models.stacking import Stack
from models.word_match import WordList, fold


def test_combine_is_the_logistic_function_of_the_weighted_logits() -> None:
    stack = Stack(encoder=0.5, lexical=1.0, abusive=2.0, bias=-0.25)
    encoder, lexical, mark = np.array([0.9, 0.2]), np.array([0.7, 0.5]), np.array([1.0, 0.0])
    z = 0.5 * np.log(0.9 / 0.1) + 1.0 * np.log(0.7 / 0.3) + 2.0 - 0.25
    np.testing.assert_allclose(stack.combine(encoder, lexical, mark)[0], 1 / (1 + np.exp(-z)))
    # certain scores (int8 rounding gives exact 0 and 1) stay finite
    edge = stack.combine(np.array([1.0, 0.0]), np.array([1.0, 0.0]), np.zeros(2))
    assert np.isfinite(edge).all() and edge[0] > 0.999 and edge[1] < 0.001
    assert Stack.from_json(stack.to_json()) == stack


def test_fitting_learns_how_far_to_trust_each_score() -> None:
    """Labels that follow the TF-IDF score and an abusive-word mark, with a noisy encoder: the fit leans on the
    TF-IDF model and the mark, and ranks better than either score alone."""
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 600)
    lexical = np.clip(0.5 + (labels - 0.5) * 0.6 + rng.normal(0, 0.2, 600), 0.01, 0.99)
    encoder = np.clip(0.5 + rng.normal(0, 0.3, 600), 0.01, 0.99)
    mark = (labels == 1) & (rng.random(600) < 0.4)
    stack = Stack.fit(encoder, lexical, mark, labels)
    assert stack.lexical > 5 * abs(stack.encoder) and stack.abusive > 1.0, stack
    stacked = stack.combine(encoder, lexical, mark)
    assert np.corrcoef(stacked, labels)[0, 1] > np.corrcoef(lexical, labels)[0, 1]


def test_a_word_list_reports_the_earliest_listed_entry() -> None:
    words = WordList(["geri zekalı*", "shit", "fuck*", "fu"])
    assert words.first(fold("oh shit, what the fuuucking hell")) == "shit"
    assert words.first(fold("fu fucking")) == "fuck*"  # listed before "fu"
    assert words.first(fold("Salak mısın sen, geri zekalılar")) == "geri zekalı*"  # a phrase, its last word a prefix
    assert words.first(fold("geri dön, zekalı")) is None  # a phrase's words in a row
    assert words.first(fold("shitake mushrooms")) is None  # not a prefix entry
    assert WordList([]).first(fold("anything")) is None


def obscenity(text: str, language: str | None) -> str | None:
    return obscenity_in(fold(text), language)


def test_obscenities_of_a_language_apply_where_it_is_detected() -> None:
    assert obscenity("нихуя не работает", "ru") == "нихуя"
    assert obscenity("нихуя не работает", None) == "нихуя"  # Russian and English lists apply everywhere
    assert obscenity("piç kurusu", "tr") == "piç"
    assert obscenity("piç kurusu", "ru") is None
    assert obscenity("Можно застраховать роутер? Мы всё страхуем.", "ru") is None


def test_the_abusive_word_mark_adds_russian_insults_to_the_obscenities() -> None:
    assert abusive("нихуя не работает", "tr")  # an obscenity of every language
    assert abusive("вы там совсем твари, третий день без связи", "ru")
    assert abusive("Идиоты, кто у вас там работает", None)  # undetected language: Russian insults apply
    assert not abusive("Козел", "tr") and obscenity("Козел", "ru") is None  # an insult: a feature, never blocked
    assert not abusive("Спасибо, всё работает, а тариф можно сменить на даунгрейд?", "ru")


def test_english_and_turkish_insults_count_in_their_own_language() -> None:
    assert abusive("Shut up, you stupid moron", "en") and abusive("Salak mısınız, kaç gündür bekliyorum", "tr")
    assert abusive("Aptallar, ne zaman düzelecek", "tr")  # folded, a prefix: "aptal*"
    assert not abusive("Salak mısınız", "en") and not abusive("Shut up, you stupid moron", "tr")
    assert not abusive("Please cancel my subscription", "en") and not abusive("Aboneliğimi iptal edin", "tr")

