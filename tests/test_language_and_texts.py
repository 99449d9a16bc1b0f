"""Language detection and the bot's own multilingual texts."""

from __future__ import annotations

import random

import pytest

from handlers.phrasing import fill_name
from handlers.texts import HANDOFF_REASONS, LABELS, TEXTS, eta_text, handoff_reason, say
from handlers.tone import accusation
from models.language import BrandWords, KnownWords, detect_language, letters_tell


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("где мой интернет?", "ru"),
        ("Internetim 2 gündür yok", "tr"),
        ("tarife fiyatları nedir", "tr"),
        ("merhaba", "tr"),
        ("Harika!", "tr"),  # a cheer under a post was thanked in English
        ("Helal olsun", "tr"),
        ("my wifi is so slow", "en"),
        ("Hello there", "en"),
        ("😡😡😡", None),
        ("12345 !!!", None),
        ("Привет, у меня не работает wifi", "ru"),
        # a link's, an address's or a handle's Latin letters are no English
        ("https://volna.example/promo", None),
        ("www.volna.ru", None),
        ("support@volna.example", None),
        ("@volna_bot", None),
        ("@volna_bot помогите", "ru"),
        ("посмотрите volna.example/promo", "ru"),
        ("merhaba, volna.com.tr", "tr"),
        ("check https://volna.example please", "en"),
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


def test_every_system_text_exists_in_every_language() -> None:
    for key, variants in TEXTS.items():
        assert set(variants) == {"ru", "tr", "en"}, key
        for language, options in variants.items():
            assert options and len(set(options)) == len(options), (key, language)
            assert not [t for t in options if accusation(t, language)], (key, language)  # as answers are held to
    for key, labels in LABELS.items():
        assert set(labels) == {"ru", "tr", "en"}, key
    for key, labels in HANDOFF_REASONS.items():
        assert set(labels) == {"ru", "tr", "en"}, key


@pytest.mark.parametrize(("text", "found"), [
    ("Вы все лжёте, у нас всё работает", "вы все лжете"),  # answering a wave, moderators reach for these
    ("Это ложь: аварий не было", "это ложь"),
    ("Вам заплатили за эти отзывы", "вам заплатили"),
    ("You're all lying, the network is fine", "you're all lying"),
    ("Hepiniz yalan söylüyor, size para verildi", "hepiniz yalan*"),
    ("Это не ложь: мы правда повысили цены", None),
    ("Мы видим несколько похожих отзывов и разбираемся с каждым", None),
    ("Мы не считаем, что это ложь: разбираемся", None),  # a denied saying or thinking is no accusation
    ("Никто не говорит, что вы лжёте", None),
    ("Мы не хотим сказать, что вы преувеличиваете", None),
    ("I don't think you're lying, let's check the bill", None),
    ("No one says you are lying", None),
    ("Sizin hatanız olduğunu düşünmüyoruz", None),
    ("Мы не считаем нужным это обсуждать, вы лжёте", "вы лжете"),  # the denial is about something else
    ("Я так думаю: вы врёте", "вы врете"),
    ("We think that you're lying", "you're lying"),
    ("Sizin hatanız olduğunu düşünüyoruz", "sizin hatanız"),
])
def test_accusing_the_authors_of_a_wave_is_caught_too(text: str, found: str | None) -> None:
    assert accusation(text) == found


def test_handoff_reasons_read_in_the_moderators_language() -> None:
    assert handoff_reason("out_of_scope", "tr") == "soru yanıt tabanının konularından değil"
    assert handoff_reason("attachment_voice", "ru") == "вложение (voice)"
    assert handoff_reason("strong_negative", "de") == "the customer is very unhappy"  # English otherwise
    assert handoff_reason("moderator_whim", "ru") == "moderator_whim"  # an unknown one as it is


def test_reaction_time_reads_right() -> None:
    assert eta_text(60, "ru") == "часа"
    assert eta_text(90, "ru") == "90 минут"
    assert eta_text(120, "ru") == "2 часов"
    assert eta_text(21, "ru") == "21 минуты"
    assert eta_text(60, "en") == "an hour"
    assert eta_text(90, "tr") == "90 dakika"
    text = say("handoff", "ru", random.Random(1), eta=eta_text(60, "ru"))
    assert "в течение часа" in text or "{" not in text


def test_names_are_filled_or_dropped_gracefully() -> None:
    assert fill_name("Здравствуйте, {name}!", "Анна Петрова") == "Здравствуйте, Анна!"
    assert fill_name("Здравствуйте, {name}!", "") == "Здравствуйте!"
    assert fill_name("{name}, добрый день!", "") == "Добрый день!"
    # a name set off by commas mid-sentence takes both with it ("Thank you, for the kind words!" before)
    assert fill_name("Thank you, {name}, for the kind words!", "") == "Thank you for the kind words!"
    assert fill_name("Спасибо и вам, {name}, за обратную связь!", "Анна") == "Спасибо и вам, Анна, за обратную связь!"
    assert fill_name("Görüşmek üzere {name}, iyi günler dileriz!", "") == "Görüşmek üzere, iyi günler dileriz!"
    # capitalised as the language writes: Turkish dotted i ("Internetin" read wrong), English and Russian as usual
    assert fill_name("{name}, internetin yavaşlamasına üzüldüm.", "", "tr") == "İnternetin yavaşlamasına üzüldüm."
    assert fill_name("{name}, ısrarınız için teşekkürler.", "", "tr") == "Israrınız için teşekkürler."
    assert fill_name("{name}, it's fixed now.", "", "en") == "It's fixed now."
    assert fill_name("{name}, извините за ожидание.", "", "ru") == "Извините за ожидание."
    assert fill_name("{name}", "", "tr") == ""  # nothing left is nothing, in Turkish too


def test_a_brands_own_words_tell_turkish_typed_without_its_letters_from_english() -> None:
    known = KnownWords.learn(["Tarifelerimizin fiyatları için sitemize bakın.", "Faturanızı nakit ödeyebilirsiniz."],
                             ["See our website for the prices of our plans.", "You can pay your bill in cash."])
    assert detect_language("tarifelerimizin fiyatlari") == "en"  # no word the built-in lists know
    assert detect_language("tarifelerimizin fiyatlari", known=known) == "tr"
    assert detect_language("faturanizi nakit odeyebilirsiniz", known=known) == "tr"
    assert detect_language("what are the prices of your plans", known=known) == "en"
    assert detect_language("cok tesekkur ederim, gunaydin") == "tr"  # built-in words as typed without letters


def test_brand_words_read_turkish_typed_without_its_letters_with_them() -> None:
    words = BrandWords.learn(["Faturanızı nakit ödeyebilirsiniz."], ["You can pay your bill in cash."])
    assert words.language("faturanizi nakit odeyebilirsiniz") == "tr"
    assert words.read("faturanizi nakit odeyebilirsiniz", "tr") == "faturanızı nakit ödeyebilirsiniz"
    assert words.read("faturanizi nakit odeyebilirsiniz", "en") == "faturanizi nakit odeyebilirsiniz"


def test_the_letters_alone_tell_russian_and_turkish_and_plain_latin_tells_nothing() -> None:
    assert letters_tell("спасибо") == "ru" and letters_tell("ок") == "ru"
    assert letters_tell("anladım") == "tr" and letters_tell("teşekkürler") == "tr"
    assert letters_tell("ok") is None and letters_tell("tamam") is None and letters_tell("👍") is None
