"""Russian typed with the keyboard left in the English layout: told apart and read back (answered in Russian:
tests/test_translit.py)."""

from __future__ import annotations

from models.keyboard_layout import from_keys, russian_keys
from models.language import BrandWords, detect_language


def test_a_text_typed_on_the_latin_keys_reads_back_key_by_key() -> None:
    assert from_keys("bynthytn yt hf,jnftn e;t nhtnbq ltym") == "интернет не работает уже третий день"
    # the Russian layout's comma, full stop and question mark are "?", "/" and "&" on the English one
    assert from_keys("Ghbdtn? crjkmrj cnjbn nfhba& Cgfcb,j/") == "Привет, сколько стоит тариф? Спасибо."
    assert from_keys("GHBDTN") == "ПРИВЕТ"
    # links, addresses and the given Latin words stay as typed
    assert from_keys("gbie yf help@volna.ru") == "пишу на help@volna.ru"
    assert from_keys("pf,sk gfhjkm jn wifi", latin=frozenset({"wifi"})) == "забыл пароль от wifi"
    assert from_keys("pf,sk gfhjkm jn wifi") == "забыл пароль от цшаш"


def test_russian_typed_on_the_latin_keys_is_told_from_english_turkish_and_latin_russian() -> None:
    for text in ("bynthytn yt hf,jnftn e;t nhtnbq ltym", "Ghbdtn", "crjkmrj cnjbn nfhba&",
                 "gjpjdbnt jgthfnjhf", "Cgfcb,j 😊 «ghbdtn»"):
        assert russian_keys(text) >= 1, text
        assert detect_language(text) == "ru", text
    for text in ("What are your prices?", "set a 10 minute timer", "I need to cancel my order, can you help me?",
                 "ok", "Thanks!"):
        assert russian_keys(text) == 0, text
        assert detect_language(text) == "en", text
    for text in ("ne zaman gelecek kargom", "Bu ürün çok güzel", "internet ne rabotaet"):
        assert russian_keys(text) == 0, text
    assert detect_language("ne zaman gelecek kargom") == "tr"


def test_the_bot_reads_each_way_of_typing_russian_as_its_own() -> None:
    words = BrandWords.learn(["İnternetim çok yavaş"], ["My internet is slow"], ["Не работает wifi"])
    assert words.read("bynthytn yt hf,jnftn", "ru") == "интернет не работает"
    assert words.read("yt hf,jnftn wifi", "ru") == "не работает wifi"  # the brand's own Latin word, as typed
    assert words.read("internet ne rabotaet", "ru") == "интернет не работает"  # Latin letters, not keys
    assert words.read("ok", "ru") == "ok"  # a short English word in a Russian conversation stays
    assert words.read("bynthytn yt hf,jnftn", "en") == "bynthytn yt hf,jnftn"  # read so only as Russian
