import random
from datetime import UTC, datetime
from pathlib import Path

from bot.desk import ModeratorDesk
from bot.storage import Storage
from handlers.argument_base import load_argument_base
from handlers.phrasing import choose_phrasing
from handlers.policy import BrandPolicy
from handlers.router import decide
from handlers.time_of_day import fits_the_hour, hour_said
from handlers.types import (
    Action,
    Analysis,
    Conversation,
    ConversationState,
    Decision,
    IncomingMessage,
    Platform,
    utcnow,
)
from tests.conftest import SAMPLE_KB, MessageFactory

BASE = load_argument_base(SAMPLE_KB)


def test_greetings_and_wishes_fit_their_time_of_day_in_each_language() -> None:
    assert fits_the_hour("Добрый день! Чем помочь?", 14) and not fits_the_hour("Добрый день! Чем помочь?", 23)
    assert not fits_the_hour("Спасибо и вам за обратную связь! Хорошего дня.", 21)
    assert not fits_the_hour("Görüşmek üzere, iyi günler dileriz!", 2)
    assert not fits_the_hour("Good morning! How can I help?", 15) and fits_the_hour("Good morning!", 8)
    night = "Доброй ночи!"
    assert fits_the_hour(night, 1) and fits_the_hour(night, 23) and not fits_the_hour(night, 9)
    assert fits_the_hour("Добрый вечер!", 19) and not fits_the_hour("Добрый вечер!", 10)
    assert all(fits_the_hour("Рады помочь! Пишите в любое время.", hour) for hour in range(24))


def test_a_customers_greeting_tells_their_time_of_day() -> None:
    assert hour_said("Добрый вечер! Подскажите тариф") == 20 and hour_said("iyi akşamlar") == 20
    assert hour_said("доброе утро") == 9 and hour_said("Good morning!") == 9
    assert hour_said("Добрый день, у меня вопрос") == 14 and hour_said("спокойной ночи") == 23
    assert hour_said("сколько стоит тариф?") is None
    assert hour_said("доброе утро, хотя уже добрый вечер") is None  # two times of day: neither


def test_the_bot_greets_back_at_the_time_of_day_the_customer_greets_in() -> None:
    """The brand's clock says 10:00, the customer (in another time zone) says "добрый вечер": no "Добрый день"."""
    greeting = BASE.entry("greeting")
    conversation = Conversation(1, "volna", Platform.LOCAL, "c", "Анна", ConversationState.BOT, "ru")
    morning = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)

    def replies(text: str) -> set[str]:
        message = IncomingMessage(Platform.LOCAL, "volna", "c", "1", "c", text, "Анна", sent_at=morning)
        analysis = Analysis("ru", intents={"greeting": 0.95})
        return {str(decide(message, conversation, analysis, None, BASE, BrandPolicy(), [], random.Random(seed)
                           ).reply_text) for seed in range(30)}

    evening = replies("добрый вечер")
    assert evening and all(fits_the_hour(text, 20) for text in evening), evening
    assert not all(fits_the_hour(text, 20) for text in replies("здравствуйте"))  # by the clock: "Добрый день" too
    assert len(greeting.phrasings("ru", False)) > len(evening)


def test_at_night_the_goodbye_wishes_no_good_day_while_another_phrasing_is_fresh() -> None:
    goodbye = BASE.entry("goodbye")

    def said(hour: int | None, language: str) -> set[str]:
        return {choose_phrasing(goodbye, language, public=False, used=[], customer_name="Анна",
                                rng=random.Random(seed), hour=hour)[0] for seed in range(30)}

    for language in ("ru", "tr", "en"):
        night = said(23, language)
        assert night and all(fits_the_hour(text, 23) for text in night), language
        assert said(11, language) > night, language  # by day every phrasing may come
    # the only fresh phrasing wishes a good day: it comes anyway, never one the customer had
    text, key = choose_phrasing(goodbye, "ru", public=False, customer_name="", rng=random.Random(0), hour=23,
                                used=["goodbye:ru:private:0", "goodbye:ru:private:2"])
    assert key == "goodbye:ru:private:1" and not fits_the_hour(text, 23)


def _zone_at(hour: int) -> str:
    """A fixed-offset zone whose clock shows `hour` now (Etc/GMT-3 is UTC+3)."""
    offset = (hour - utcnow().hour) % 24
    offset = offset - 24 if offset > 14 else offset
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"


async def test_a_moderators_suggestion_wishes_no_good_day_at_night_on_the_brands_clock(
    tmp_path: Path, message: MessageFactory
) -> None:
    storage = await Storage.open(tmp_path / "desk.sqlite3")
    try:
        conversations = []
        for n in range(8):
            stored = await storage.store_incoming(message("ну всё, пока", customer=f"n{n}"))
            assert stored is not None
            decision = Decision(Action.HANDOFF, "no_confident_answer", "ru", suggestions=("goodbye",))
            await storage.record_decision(stored[0], stored[1], decision, [], BrandPolicy().reply_deadline)
            conversations.append(await storage.conversation(stored[1].id, "volna"))

        async def offered(hour: int) -> list[str]:
            desk = ModeratorDesk(storage, "volna", argument_base=lambda: BASE, timezone=_zone_at(hour))
            return [(await desk.suggestions(conversation))[0].text for conversation in conversations]

        night = await offered(23)
        assert all(fits_the_hour(text, 23) for text in night), night
        assert night == await offered(23)  # the same one every time it is asked, until one is sent
        assert not all(fits_the_hour(text, 23) for text in await offered(11))  # by day "Хорошего дня" comes too
    finally:
        await storage.close()
