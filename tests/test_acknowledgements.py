"""Messages that ask nothing ("ок", "+", 👍) are acknowledged, not handed to a person as questions; an angry emoji
alone goes to a person, not to the nearest entry's answer."""

from __future__ import annotations

import pytest

from bot.app import App
from handlers.acknowledgements import ACKNOWLEDGEMENT, is_acknowledgement, is_disapproving_emoji
from handlers.cheers import CHEERS, NODS, reaction
from handlers.entry_moods import PRAISE
from handlers.openers import OPENER, PROMPT
from handlers.texts import TEXTS
from handlers.types import Action, MessageKind, Platform
from tests.conftest import MessageFactory


@pytest.mark.parametrize("text", ["ок", "Ок!", "окей", "ага", "Понятно)", "tamam", "Tamamdır", "ok", "OKAY",
                                  "got it", "+", "++", "👍", "👍🏻", "❤️", "🙏🙏", "🙂", "😊😊", "✅", "☺️",
                                  "😂😂😂", "😅", "Участвую!", "я участвую", "Ben varım", "count me in", "katılıyorum",
                                  "Ха-ха, смешно", "ахахах 😂", "hahaha", "LOL", "çok komik hahaha"])
def test_acknowledgements(text: str) -> None:
    assert is_acknowledgement(text) and not is_disapproving_emoji(text)


@pytest.mark.parametrize("text", ["ок, а когда починят интернет?", "не ок", "ok but my tv still has no signal",
                                  "нет", "?", "+7 999 123 45 67", "👍 а счёт когда придёт?", "😡", "🤔", "",
                                  "не смешно", "смешно", "ха-ха, а интернет когда починят?", "а"])
def test_not_acknowledgements(text: str) -> None:
    assert not is_acknowledgement(text)


def test_disapproving_emoji_alone() -> None:
    assert is_disapproving_emoji("😡") and is_disapproving_emoji("🤬🤬") and is_disapproving_emoji("👎🏻")
    assert not is_disapproving_emoji("😡 опять нет интернета") and not is_disapproving_emoji("👍")


async def test_an_acknowledgement_is_acknowledged_once_in_the_customers_language(
    app: App, message: MessageFactory
) -> None:
    first = await app.pipeline.handle(message("где моя заявка на подключение?", customer="ack"))
    assert first is not None and first.decision.action is Action.ANSWER
    ok = await app.pipeline.handle(message("ok", customer="ack"))  # one word tells no language: the chat's is Russian
    assert ok is not None and (ok.decision.action, ok.decision.reason) == (Action.ANSWER, ACKNOWLEDGEMENT)
    assert ok.decision.language == "ru" and ok.decision.reply_text in TEXTS[ACKNOWLEDGEMENT]["ru"]
    # an "ок" back to our "write any time" closes the exchange: no answer, or the two would go on for ever
    closing = await app.pipeline.handle(message("ок", customer="ack"))
    assert closing is not None and (closing.decision.action, closing.decision.reason) == (Action.IGNORE,
                                                                                         ACKNOWLEDGEMENT)
    assert closing.decision.reply_text is None and closing.outbox_ids == []
    # after another answer, the next acknowledgement is answered again, in words the customer has not had yet
    again = await app.pipeline.handle(message("сколько стоит тариф Оптимум?", customer="ack"))
    assert again is not None and again.decision.action is Action.ANSWER
    later = await app.pipeline.handle(message("ага", customer="ack"))
    assert later is not None and later.decision.reason == ACKNOWLEDGEMENT
    assert later.decision.reply_text in TEXTS[ACKNOWLEDGEMENT]["ru"]
    assert later.decision.reply_text != ok.decision.reply_text
    assert await app.storage.open_handoff(first.conversation.id) is None  # nobody was called for any of it
    turkish = await app.pipeline.handle(message("tamam", customer="ack-tr"))
    assert turkish is not None and turkish.decision.reply_text in TEXTS[ACKNOWLEDGEMENT]["tr"]


async def test_a_plus_under_a_post_is_left_alone_and_an_angry_emoji_goes_to_a_person(
    app: App, message: MessageFactory
) -> None:
    plus = await app.pipeline.handle(message("+", customer="plus", chat_id="wall-1_7", is_public=True))
    assert plus is not None and (plus.decision.action, plus.decision.reason) == (Action.IGNORE, ACKNOWLEDGEMENT)
    assert plus.decision.reply_text is None and plus.outbox_ids == []
    # laughter under a post, with it or at it, is no praise to thank "for the warm words"
    laughter = await app.pipeline.handle(message("😂😂😂", customer="lol", chat_id="wall-1_7", is_public=True))
    assert laughter is not None and (laughter.decision.action, laughter.decision.reason) == (Action.IGNORE,
                                                                                           ACKNOWLEDGEMENT)
    # ... nor laughter in words, which lay nearest the greeting ("Привет! Мы на связи, задавайте вопрос"), nor a
    # giveaway's entry ("Большое спасибо за отзыв!")
    for text in ("Ха-ха, смешно", "Участвую!", "Katılıyorum 🙋‍♀️"):
        left = await app.pipeline.handle(message(text, customer=text, chat_id="wall-1_7", is_public=True))
        assert left is not None and (left.decision.action, left.decision.reason) == (Action.IGNORE, ACKNOWLEDGEMENT)
    angry = await app.pipeline.handle(message("😡", customer="angry"))
    assert angry is not None and (angry.decision.action, angry.decision.reason) == (Action.HANDOFF, "strong_negative")
    assert angry.decision.entry_id is None


async def test_a_sticker_asks_nothing_and_is_read_as_its_emoji(app: App, message: MessageFactory) -> None:
    """A sticker went to a person as an attachment to look at ("Получили ваше вложение…"), a thumbs-up after an
    answer too. VK gives no sticker's emoji: it is an acknowledgement; Telegram's 😡 one is an unhappy customer."""
    sticker = {"kind": MessageKind.STICKER, "platform": Platform.VK}
    first = await app.pipeline.handle(message("где моя заявка на подключение?", customer="stk", platform=Platform.VK))
    assert first is not None and first.decision.action is Action.ANSWER
    thanks = await app.pipeline.handle(message("", customer="stk", **sticker))
    assert thanks is not None and (thanks.decision.action, thanks.decision.reason) == (Action.ANSWER, ACKNOWLEDGEMENT)
    assert thanks.decision.language == "ru" and thanks.decision.reply_text in TEXTS[ACKNOWLEDGEMENT]["ru"]
    again = await app.pipeline.handle(message("", customer="stk", **sticker))  # closes the exchange
    assert again is not None and (again.decision.action, again.decision.reply_text) == (Action.IGNORE, None)
    public = await app.pipeline.handle(message("", customer="stk2", chat_id="wall-1_7", is_public=True, **sticker))
    assert public is not None and (public.decision.action, public.outbox_ids) == (Action.IGNORE, [])
    angry = await app.pipeline.handle(message("😡", customer="stk3", kind=MessageKind.STICKER))
    assert angry is not None and (angry.decision.action, angry.decision.reason) == (Action.HANDOFF, "strong_negative")
    # a sticker before anything was said to the customer says hello: invited to tell what they came for, not
    # "write any time"
    hello = await app.pipeline.handle(message("👋", customer="stk4", kind=MessageKind.STICKER))
    assert hello is not None and (hello.decision.action, hello.decision.reason) == (Action.ANSWER, OPENER)
    assert hello.decision.reply_text in TEXTS[PROMPT]["ru"]


@pytest.mark.parametrize(("text", "reacting"), [
    ("Молодцы!", CHEERS), ("Супер, давно пора", CHEERS), ("Наконец-то!!!", CHEERS), ("Ура! 🔥", CHEERS),
    ("Harika!", CHEERS), ("Helal olsun", CHEERS), ("Can't wait!", CHEERS), ("Awesome news", CHEERS),
    ("Супер, ждём!", CHEERS), ("Интересно", NODS), ("очень интересно", NODS), ("Ну-ну, посмотрим", NODS),
    ("Ждём!", NODS), ("Bekliyoruz", NODS), ("we'll see", NODS),
    ("Опять реклама", None), ("Интересно, а сколько стоит?", None), ("Great, how do I sign up", None),
    ("Молодцы, третий день без интернета", None), ("очень", None), ("", None), ("цена", None),
])
def test_a_message_that_only_cheers_or_takes_note(text: str, reacting: str | None) -> None:
    assert reaction(text) == reacting


async def test_a_cheer_is_thanked_and_a_note_taken_is_acknowledged_under_a_post_left_as_it_is(
    app: App, message: MessageFactory
) -> None:
    """The commonest comments under a post: "Молодцы!" heard the greeting's "Привет! Мы на связи", "Наконец-то"
    and "Bekliyoruz!" the goodbye's, "Can't wait!" and "Интересно" went to a person as questions."""
    for text, language in (("Молодцы!", "ru"), ("Наконец-то", "ru"), ("Can't wait!", "en"), ("Harika!", "tr")):
        cheer = await app.pipeline.handle(message(text, customer=text, chat_id="wall-1_9", is_public=True))
        assert cheer is not None and cheer.decision.action is Action.ANSWER, cheer
        if cheer.decision.entry_id is not None:  # thanked from the thanks entry where it lies near it ("Harika!",
            assert cheer.decision.entry_id == "thanks", cheer.decision  # near its "harikasınız")
            continue
        assert cheer.decision.reason == PRAISE and cheer.decision.reply_text in TEXTS["praise_thanks"][language]
    for text in ("Интересно", "Ну-ну, посмотрим", "Bekliyoruz!"):
        noted = await app.pipeline.handle(message(text, customer=text, chat_id="wall-1_9", is_public=True))
        assert noted is not None and (noted.decision.action, noted.decision.reason) == (Action.IGNORE, ACKNOWLEDGEMENT)
        assert noted.outbox_ids == [] and await app.storage.open_handoff(noted.conversation.id) is None
    # ... and in private: "Молодцы!" got the greeting's "Добрый день! Я на связи", "Интересно" went to a person
    cheer = await app.pipeline.handle(message("Молодцы!", customer="dm-cheer"))
    assert cheer is not None and (cheer.decision.action, cheer.decision.reason) == (Action.ANSWER, PRAISE)
    noted = await app.pipeline.handle(message("Интересно", customer="dm-note"))
    assert noted is not None and (noted.decision.action, noted.decision.reason) == (Action.ANSWER, ACKNOWLEDGEMENT)
    assert noted.decision.reply_text in TEXTS[ACKNOWLEDGEMENT]["ru"]
