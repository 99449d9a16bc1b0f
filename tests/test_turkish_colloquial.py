"""Turkish written as it is spoken is written out before the classifier reads it; words of their own are kept."""

from __future__ import annotations

import pytest

from benchmarks.routing import typed_colloquially
from bot.app import App
from handlers.argument_base import load_argument_base
from handlers.types import Action
from models.language import BrandWords
from models.turkish_colloquial import ColloquialTurkish
from tests.conftest import SAMPLE_KB, MessageFactory

BASE = load_argument_base(SAMPLE_KB)
WORDS = BrandWords.learn(BASE.texts("tr"), BASE.texts("en"), BASE.texts("ru"))


@pytest.mark.parametrize(("spoken", "written"), [
    ("modem kırmızı yanıyo", "modem kırmızı yanıyor"),
    ("faturayı nerden ödicem", "faturayı nereden ödeyeceğim"),
    ("internet çalışmıyo napcaz", "internet çalışmıyor ne yapacağız"),
    ("bilmiyom valla", "bilmiyorum valla"),
    ("Abonelik iptal edicem", "Abonelik iptal edeceğim"),
    ("ne zaman bağlanıcak", "ne zaman bağlanacak"),
    ("internet ne zaman gelcek", "internet ne zaman gelecek"),  # no raised vowel: the written form is known
    ("bi bakın lütfen", "bir bakın lütfen"),
    ("modem isigi yanmiyo ne yapicam", "modem ışığı yanmıyor ne yapacağım"),  # typed without Turkish letters too
])
def test_spoken_forms_are_written_out(spoken: str, written: str) -> None:
    assert WORDS.read(spoken, "tr") == written


@pytest.mark.parametrize(("written", "spoken"), [
    ("tarifemi değiştirmek istiyorum", "tarifemi değiştirmek istiyom"),
    ("bir hafta internet yoktu, ücret düşülecek", "bi hafta internet yoktu, ücret düşülcek"),
    ("faturayı nereden ödeyeceğim", "faturayı nerden ödicem"),
    ("otomatik ödeme talimatı veriliyor mu", "otomatik ödeme talimatı veriliyo mu"),
])
def test_the_routing_benchmarks_spoken_turkish_is_read_back_as_written(written: str, spoken: str) -> None:
    assert typed_colloquially(written) == spoken
    assert WORDS.read(spoken, "tr") == written


@pytest.mark.parametrize("text", [
    "hocam ancak sıcak bıçak amcam",  # end as a short future would, and are words of their own
    "aksiyon opsiyon versiyon radyo stüdyo",
    "internetim çalışmıyor",
])
def test_words_of_their_own_are_kept(text: str) -> None:
    assert WORDS.read(text, "tr") == text


def test_only_turkish_is_written_out_and_a_commoner_spoken_form_stays() -> None:
    assert WORDS.read("bi", "en") == "bi" and WORDS.read("yanıyo", "ru") == "yanıyo"
    counts = {"geliyo": 50, "geliyor": 5}  # where the spoken form is the commoner one, it is a word of its own
    assert ColloquialTurkish(counts).read("geliyo", "tr") == "geliyo"
    assert ColloquialTurkish({"geliyo": 5, "geliyor": 66}).read("Geliyo", "tr") == "Geliyor"
    assert ColloquialTurkish({}).read("İstiyom", "tr") == "İstiyorum"  # a Turkish capital: i is İ


async def test_a_spoken_question_is_answered_as_the_written_one(app: App, message: MessageFactory) -> None:
    """"faturayı nerden ödicem" read the refund entry likeliest at 0.15 and went to a person with regret; written out
    it is the payments question it is."""
    paid = await app.pipeline.handle(message("faturayı nerden ödicem", customer="tr1"))
    assert paid is not None
    assert (paid.decision.action, paid.decision.entry_id, paid.decision.language) == (
        Action.ANSWER, "payment_methods", "tr")
    stored = (await app.storage.history(paid.conversation.id))[0]
    assert stored.text == "faturayı nerden ödicem"  # the customer's words are kept as they wrote them
