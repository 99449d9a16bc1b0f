"""Russian typed with the keyboard left in the English layout: told apart, read back, answered in Russian."""

from __future__ import annotations

from bot.app import App
from handlers.types import Action
from models.keyboard_layout import from_keys, russian_keys
from models.language import BrandWords, detect_language
from tests.conftest import MessageFactory


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


async def test_a_customer_typing_in_the_english_layout_is_answered_in_russian(
    app: App, message: MessageFactory
) -> None:
    """Before, "crjkmrj cnjbn nfhba&" ("сколько стоит тариф?") read as no language: answered in English, or
    handed to a person as out of scope."""
    asked = await app.pipeline.handle(message("crjkmrj cnjbn nfhba&", customer="keys1"))
    assert asked is not None and asked.decision.language == "ru"
    assert (asked.decision.action, asked.decision.entry_id) == (Action.ANSWER, "tariffs")
    assert asked.decision.reply_text and "₽" in asked.decision.reply_text
    down = await app.pipeline.handle(message("bynthytn yt hf,jnftn e;t nhtnbq ltym? rjulf gjxbybnt&",
                                             customer="keys2"))
    assert down is not None and down.decision.language == "ru" and down.decision.reply_text
    assert any("\u0400" <= ch <= "\u04ff" for ch in down.decision.reply_text)
    assert down.decision.entry_id == "outage" or "outage" in down.decision.suggestions
    stored = await app.storage.history(down.conversation.id)
    assert stored[0].text == "bynthytn yt hf,jnftn e;t nhtnbq ltym? rjulf gjxbybnt&"  # as the customer typed it
