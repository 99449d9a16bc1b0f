"""Russian typed in Latin letters: told from English and Turkish, read in Cyrillic, answered in Russian."""

from __future__ import annotations

import pytest

from bot.app import App
from handlers.types import Action
from models.language import BrandWords, detect_language
from models.translit import cyrillic
from tests.conftest import MessageFactory


def test_russian_typed_in_latin_letters_is_written_back_in_cyrillic() -> None:
    assert cyrillic("internet ne rabotaet uzhe tretiy den") == "интернет не работает уже третий ден"
    assert cyrillic("Zdravstvuyte! Pochemu 4to-to ne tak?") == "Здравствуйте! Почему что-то не так?"
    assert cyrillic("novyy tarif, zhdu mastera") == "новый тариф, жду мастера"
    # addresses and numbers stay as written
    assert cyrillic("pishite na help@volna.ru ili zvonite 8-800") == "пишите на help@volna.ru или звоните 8-800"


def test_latin_russian_is_told_from_english_and_turkish() -> None:
    for text in ("internet ne rabotaet uzhe tretiy den", "skolko stoit tarif?", "zdravstvuyte, kak oplatit kartoy?",
                 "pozovite operatora", "kanaly ne pokazyvayut"):
        assert detect_language(text) == "ru", text
    for text in ("What are your prices?", "set a 10 minute timer", "I need to cancel my order, can you help me?"):
        assert detect_language(text) == "en", text
    for text in ("ne zaman gelecek kargom", "Bu urun cok guzel"):
        assert detect_language(text) == "tr", text
    # Turkish words that are Russian ones typed in Latin letters too, as stems or short words: not Russian
    for text in ("Urun orta kalitede, ona gore satin alin", "Israil 21 yilda 2 bin 100'den fazla cocugu oldurdu",
                 "set a one minute timer"):
        assert detect_language(text) != "ru", text


@pytest.mark.parametrize(("question", "complaint"), [
    ("skolko stoit tarif?", "internet ne rabotaet uzhe tretiy den, kogda pochinite?"),
    ("crjkmrj cnjbn nfhba&", "bynthytn yt hf,jnftn e;t nhtnbq ltym? rjulf gjxbybnt&"),
], ids=["in Latin letters", "in the English layout"])
async def test_a_customer_typing_russian_without_a_cyrillic_keyboard_is_answered_in_russian(
    app: App, message: MessageFactory, question: str, complaint: str
) -> None:
    """Before, "skolko stoit tarif?" got the English tariffs answer and "internet ne rabotaet..." a Turkish
    handoff notice; "crjkmrj cnjbn nfhba&" (the same question with the keyboard in the English layout) read as no
    language and was handed off in English."""
    asked = await app.pipeline.handle(message(question, customer=f"{question}-1"))
    assert asked is not None and asked.decision.language == "ru"
    assert (asked.decision.action, asked.decision.entry_id) == (Action.ANSWER, "tariffs")
    assert asked.decision.reply_text and "₽" in asked.decision.reply_text
    down = await app.pipeline.handle(message(complaint, customer=f"{question}-2"))
    assert down is not None and down.decision.language == "ru" and down.decision.reply_text
    assert any("\u0400" <= ch <= "\u04ff" for ch in down.decision.reply_text)  # in Russian letters
    assert down.decision.entry_id == "outage" or "outage" in down.decision.suggestions
    stored = await app.storage.history(down.conversation.id)
    assert stored[0].text == complaint  # as the customer typed it


def test_only_a_text_read_as_latin_russian_is_written_in_cyrillic() -> None:
    """A short message in plain Latin letters is read in the conversation's language: "internet yavas" after
    "привет" is Russian to the pipeline, but it is not Russian typed in Latin letters, and stays as typed."""
    words = BrandWords.learn(["İnternetim çok yavaş"], ["My internet is slow"])
    assert words.read("internet yavas", "ru") == "internet yavas"
    assert words.read("internet ne rabotaet", "ru") == "интернет не работает"
    assert words.read("internet ne rabotaet", "en") == "internet ne rabotaet"  # read so only as Russian
