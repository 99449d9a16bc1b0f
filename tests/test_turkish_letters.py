"""Turkish typed without its own letters is read with them (models.turkish_letters)."""

from __future__ import annotations

from models.turkish_letters import TurkishLetters, lower, plain, typed_plain

LEARNT = [
    "Faturamı nasıl ödeyebilirim?",
    "İnternetim çalışmıyor, ne zaman düzelecek?",
    "Modemin ışıkları yanıp sönüyor.",
    "Hızım çok düşük, şikâyetim var.",
    "Teşekkürler, internet geldi.",
]


def test_words_seen_are_written_back_with_their_letters_and_the_customers_case() -> None:
    letters = TurkishLetters(LEARNT)
    assert letters.read("faturami nasil odeyebilirim", "tr") == "faturamı nasıl ödeyebilirim"
    assert letters.read("Internetim CALISMIYOR", "tr") == "İnternetim ÇALIŞMIYOR"
    # "internet" is written so (no Turkish letter in it): left as it is
    assert letters.read("internet geldi, tesekkurler", "tr") == "internet geldi, teşekkürler"


def test_a_word_not_seen_gets_the_letters_its_surroundings_call_for() -> None:
    letters = TurkishLetters(LEARNT)
    # "ışıkları" and "ödeyebilirim" were seen; "ışık", "ışıklar" and "ödeyebilir" were not
    assert letters.read("isik", "tr") == "ışık"
    assert letters.read("isiklar odeyebilir", "tr") == "ışıklar ödeyebilir"


def test_other_languages_and_texts_with_turkish_letters_are_read_as_they_are() -> None:
    letters = TurkishLetters(LEARNT)
    assert letters.read("faturami nasil odeyebilirim", "en") == "faturami nasil odeyebilirim"
    assert letters.read("faturami nasıl odeyebilirim", "tr") == "faturami nasıl odeyebilirim"  # typed with some
    assert TurkishLetters([]).read("faturami", "tr") == "faturami"  # nothing learnt: nothing guessed


def test_plain_and_lower_case() -> None:
    assert plain("Şikâyet İçin Ğ") == "Sikayet Icin G"
    assert lower("IŞIK İçin") == "ışık için"
    assert typed_plain("modem isiklari") and not typed_plain("modem ışıkları") and not typed_plain("ama")
