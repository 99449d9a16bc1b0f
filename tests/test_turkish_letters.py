"""Turkish typed without its own letters is read with them (models.turkish_letters)."""

from __future__ import annotations

from pathlib import Path

from models.turkish_letters import (
    WORDS_FILE,
    TurkishLetters,
    lower,
    plain,
    shipped,
    typed_plain,
    word_counts,
    write_words,
)

LEARNT = [
    "Faturamı nasıl ödeyebilirim?",
    "İnternetim çalışmıyor, ne zaman düzelecek?",
    "Modemin ışıkları yanıp sönüyor.",
    "Hızım çok düşük, şikâyetim var.",
    "Teşekkürler, internet geldi.",
]


def test_words_seen_are_written_back_with_their_letters_and_the_customers_case() -> None:
    letters = TurkishLetters.learn(LEARNT)
    assert letters.read("faturami nasil odeyebilirim", "tr") == "faturamı nasıl ödeyebilirim"
    assert letters.read("Internetim CALISMIYOR", "tr") == "İnternetim ÇALIŞMIYOR"
    # "internet" is written so (no Turkish letter in it): left as it is
    assert letters.read("internet geldi, tesekkurler", "tr") == "internet geldi, teşekkürler"


def test_a_word_not_seen_gets_the_letters_its_surroundings_call_for() -> None:
    letters = TurkishLetters.learn(LEARNT)
    # "ışıkları" and "ödeyebilirim" were seen; "ışık", "ışıklar" and "ödeyebilir" were not
    assert letters.read("isik", "tr") == "ışık"
    assert letters.read("isiklar odeyebilir", "tr") == "ışıklar ödeyebilir"


def test_other_languages_and_texts_with_turkish_letters_are_read_as_they_are() -> None:
    letters = TurkishLetters.learn(LEARNT)
    assert letters.read("faturami nasil odeyebilirim", "en") == "faturami nasil odeyebilirim"
    assert TurkishLetters.learn([]).read("faturami", "tr") == "faturami"  # nothing learnt: nothing guessed


def test_a_text_typed_with_some_turkish_letters_gets_the_others_only_where_its_words_are_known() -> None:
    letters = TurkishLetters.learn(LEARNT)
    assert letters.read("faturami nasıl odeyebilirim", "tr") == "faturamı nasıl ödeyebilirim"
    assert letters.read("Modemin isiklari yanip sönüyor", "tr") == "Modemin ışıkları yanıp sönüyor"
    # "ışık" was not seen: with letters elsewhere, the customer may have meant it plain; nothing is guessed
    assert letters.read("isik sönüyor", "tr") == "isik sönüyor"
    assert letters.read("Şikâyetim var, INTERNETIM calismiyor", "tr") == "Şikâyetim var, İNTERNETİM çalışmıyor"


def test_plain_and_lower_case() -> None:
    assert plain("Şikâyet İçin Ğ") == "Sikayet Icin G"
    assert lower("IŞIK İçin") == "ışık için"
    assert typed_plain("modem isiklari") and not typed_plain("modem ışıkları") and not typed_plain("ama")


def test_the_brands_words_come_first_then_the_words_shipped_with_the_classifier(tmp_path: Path) -> None:
    general = TurkishLetters({"üs": 5, "çok": 9, "güzel": 4, "ürün": 3})
    brand = TurkishLetters.learn(["Fatura için US kodunu yazın."], fallback=general)  # "US" written so: kept
    assert brand.read("us kodu cok guzel", "tr") == "us kodu çok güzel"
    assert general.read("us", "tr") == "üs"
    assert brand.read("urunler", "tr") == "ürünler"  # a word neither saw: the fallback's letters around it

    assert write_words(tmp_path / WORDS_FILE, word_counts(["Çok güzel, çok hızlı.", "Güzel!", "hızlı"])) == 3
    assert (tmp_path / WORDS_FILE).read_text(encoding="utf-8") == "güzel\t2\nhızlı\t2\nçok\t2\n"
    assert shipped(tmp_path / "none") is None
    read = shipped(tmp_path)
    assert read is not None and read.read("cok guzel", "tr") == "çok güzel"


def test_the_shipped_words_read_everyday_turkish() -> None:
    read = shipped()
    assert read is not None  # models/artifacts/turkish_words.tsv
    assert read.read("kargo cok gec geldi, urun kirik cikti", "tr") == "kargo çok geç geldi, ürün kırık çıktı"
