"""Telegram Business: the brand's own Telegram account connects the bot as its chatbot, and the bot answers the
account's private chats on its behalf. The real App and aiogram Bot against the fake Bot API over HTTP."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.desk import ModeratorDesk
from bot.inbox import card_text
from bot.stats import brand_stats
from handlers.types import ConversationState, Platform
from tests.conftest import write_config
from tests.fake_telegram import FakeTelegram, user
from tests.test_telegram_acceptance import (
    CUSTOMER,
    FORUM,
    MODERATOR,
    TOKEN,
    Running,
    count_is,
    setup_fake,
    telegram_table,
    wait_until,
)

OWNER = user(900, "Алина", "Волнова", username="volna_shop")
STRANGER_OWNER = user(901, "Чужой", "Магазин")
BUYER = user(43, "Ольга", "Смирнова")


def business_config(tmp_path: Path, url: str) -> Path:
    return write_config(tmp_path, brand_extra=telegram_table(url, "polling", 0) + "business_accounts = [900]\n")


@pytest.fixture
async def business(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
                   ) -> AsyncIterator[tuple[FakeTelegram, App]]:
    """The App with run_platforms against the fake Bot API; the brand serves the business account 900."""
    caplog.set_level(logging.INFO, logger="bot.telegram.adapter")
    fake = FakeTelegram(TOKEN)
    url = await fake.start()
    setup_fake(fake)
    monkeypatch.setenv("VOLNA_TG_TOKEN", TOKEN)
    running = Running(business_config(tmp_path, url), tmp_path / "b.sqlite3")
    app = await running.start()
    try:
        yield fake, app
    finally:
        with contextlib.suppress(Exception):
            await running.stop()
        await fake.close()


def business_sends(fake: FakeTelegram, chat_id: int, connection: str) -> list[str]:
    return [str(c.params.get("text") or "") for c in fake.sent(chat_id)
            if c.params.get("business_connection_id") == connection]


def bot_chat_sends(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [str(c.params.get("text") or "") for c in fake.sent(chat_id) if not c.params.get("business_connection_id")]


async def test_the_bot_answers_for_a_business_account_and_steps_back_when_its_owner_writes(
    business: tuple[FakeTelegram, App], caplog: pytest.LogCaptureFixture
) -> None:
    fake, app = business
    storage = app.storage
    connection = fake.connect_business(OWNER)
    await wait_until(lambda: "connected the bot" in caplog.text, what="the connection noticed")

    # The same person writes to the bot and to the business account: both chats number their messages
    # from 1, and both messages are kept and answered, each in its own chat.
    fake.customer_message(CUSTOMER, "Как оплатить интернет?")
    question = fake.business_customer_message(connection, CUSTOMER, "Где моя заявка на подключение?")
    await wait_until(lambda: business_sends(fake, 42, connection) and bot_chat_sends(fake, 42),
                     what="both answers")
    assert question["message_id"] == 1
    conversation = await storage.customer_conversation("volna", Platform.TELEGRAM, "42")
    assert conversation is not None
    incoming = [m for m in await storage.history(conversation.id) if m.direction == "in"]
    assert {m.entry_id for m in incoming} == {"payment_methods", "connection_status"}
    # The reply in the business chat went out as the owner, through the connection; its echo (Telegram
    # shows the bot the business account's own messages) is not taken for a customer's message.
    echo = next(m for m in fake.business_messages[(connection, 42)].values() if m.get("sender_business_bot"))
    assert echo["from"]["id"] == OWNER["id"]
    await wait_until(lambda: count_is(storage, 2, "outbox", "status = 'sent'"), what="both recorded")
    await wait_until(lambda: not fake.updates, what="the echo read and confirmed")
    assert await storage.count("messages", "direction = 'in'") == 2

    # An edit in the business chat changes that message, not the bot chat's message with the same id.
    fake.edit_business_message(question, "Где моя заявка на подключение? Номер 123")
    await wait_until(lambda: storage.count("messages", "edited_at IS NOT NULL"), what="the edit")
    texts = sorted(m.text for m in await storage.history(conversation.id) if m.direction == "in")
    assert texts == ["Где моя заявка на подключение? Номер 123", "Как оплатить интернет?"]

    # A complaint in the business chat goes to the moderators' forum; the moderator's answer reaches the
    # customer in the business chat, from the brand's account.
    fake.business_customer_message(connection, CUSTOMER, "Позовите оператора! Хочу пожаловаться на сотрудника!")
    await wait_until(lambda: fake.called("createForumTopic"), what="the topic")
    topic = fake.called("createForumTopic")[0].result["message_thread_id"]
    await wait_until(lambda: len(business_sends(fake, 42, connection)) == 2, what="the handoff notice")
    fake.customer_message(MODERATOR, "Иван, здравствуйте! Разберусь и вернусь с ответом.", chat_id=FORUM,
                          thread_id=topic)
    await wait_until(lambda: len(business_sends(fake, 42, connection)) == 3, what="the moderator's answer")
    assert business_sends(fake, 42, connection)[2] == "Иван, здравствуйте! Разберусь и вернусь с ответом."
    assert len(bot_chat_sends(fake, 42)) == 1
    # The owner writes in the chat too: the moderators read it in the topic.
    fake.business_owner_message(connection, CUSTOMER, "Иван, я тоже на связи.")
    await wait_until(lambda: any(t == "✍ Алина Волнова ответил(а) клиенту лично (из бизнес-аккаунта Telegram):"
                                      " Иван, я тоже на связи." for t in fake.texts(FORUM, thread=topic)),
                     what="the owner's answer shown in the topic")

    # Resolved: the rating question is asked in the business chat; the press is recorded and the question
    # edited through the connection.
    card = next(c for c in fake.sent(FORUM, thread=topic) if c.params.get("reply_markup"))
    fake.press(MODERATOR, card.result, f"fd:resolve:{conversation.id}")
    rating = await wait_until(lambda: [c for c in fake.sent(42) if c.params.get("reply_markup")],
                              what="the rating question")
    assert rating[0].params["business_connection_id"] == connection
    button = rating[0].params["reply_markup"]["inline_keyboard"][0][0]
    fake.press(CUSTOMER, rating[0].result, button["callback_data"])
    await wait_until(lambda: storage.ratings(conversation.id), what="the rating")
    edited = await wait_until(lambda: [c for c in fake.called("editMessageText", chat_id=42) if c.ok],
                              what="the question marked")
    assert edited[0].params["business_connection_id"] == connection

    # The owner answers another customer by hand: a person's answer. The thread is the owner's, the bot
    # says nothing more in it, and the moderators' topic shows who answered what.
    fake.business_customer_message(connection, BUYER, "Какие у вас тарифы?")
    await wait_until(lambda: business_sends(fake, 43, connection), what="the bot's answer")
    fake.business_owner_message(connection, BUYER, "Ольга, для вас есть скидка 20% на первый месяц")
    found = await storage.customer_conversation("volna", Platform.TELEGRAM, "43")
    assert found is not None
    await wait_until(lambda: storage.count("messages", "conversation_id = ? AND author = 'moderator'",
                                           (found.id,)), what="the owner's answer recorded")
    buyer = await storage.conversation(found.id, "volna")
    assert buyer.state is ConversationState.WITH_MODERATOR and buyer.moderator == "Алина Волнова"
    said = [m for m in await storage.history(buyer.id) if m.author == "moderator"]
    assert said[0].text == "Ольга, для вас есть скидка 20% на первый месяц"
    # The thread is the owner's now, as if handed off and answered: the customer's next message is held to
    # the reaction time like any follow-up (a reminder, then an apology), never left to silence.
    [(reason, answered, taken_by)] = await storage.fetch(
        "SELECT reason, first_reply_at, taken_by FROM handoffs WHERE conversation_id = ? AND closed_at IS NULL",
        (buyer.id,))
    assert reason == "answered_in_person" and answered and taken_by == "Алина Волнова"
    fake.business_customer_message(connection, BUYER, "А как её получить?")
    await wait_until(lambda: storage.count("messages", "conversation_id = ? AND direction = 'in'"
                                           " AND action = 'ignore'", (buyer.id,)), what="the bot stepping back")
    handoff = await storage.open_handoff(buyer.id)
    assert handoff is not None and handoff.followup_due is not None
    # (stepping in unasked kept nobody waiting: no reaction time for it in the stats)
    figures = await brand_stats(storage, "volna")
    assert figures.reactions_within_deadline + figures.reactions_late == 1
    assert figures.by_moderator["Алина Волнова"]["threads"] == 1
    assert len(business_sends(fake, 43, connection)) == 1
    buyer_topic = await wait_until(lambda: storage.forum_topic(buyer.id), what="the buyer's topic")
    await wait_until(lambda: any("А как её получить?" in t for t in fake.texts(FORUM, thread=int(buyer_topic[1]))),
                     what="the question shown to the moderators")
    # (the topic opened after the owner's answer: its card's history shows it)
    assert any("скидка 20%" in t for t in fake.texts(FORUM, thread=int(buyer_topic[1])))
    # (the bot's own messages in the chat are never taken for the owner's)
    assert await storage.count("messages", "author = 'moderator' AND conversation_id = ?", (buyer.id,)) == 1


async def test_a_message_edited_then_deleted_in_the_business_chat_is_shown_marked_and_the_moderators_told(
    business: tuple[FakeTelegram, App], caplog: pytest.LogCaptureFixture
) -> None:
    """A customer deletes their complaint (or the owner does: Telegram does not say which): it stays in the
    history, marked deleted, and the thread's forum topic says so. A deletion read twice is told once."""
    fake, app = business
    storage = app.storage
    connection = fake.connect_business(OWNER)
    await wait_until(lambda: "connected the bot" in caplog.text, what="the connection noticed")
    complaint = fake.business_customer_message(connection, CUSTOMER,
                                               "Позовите оператора! Хочу пожаловаться на сотрудника!")
    await wait_until(lambda: fake.called("createForumTopic"), what="the topic")
    topic = fake.called("createForumTopic")[0].result["message_thread_id"]
    await wait_until(lambda: business_sends(fake, 42, connection), what="the handoff notice")

    # an edit is shown in the topic of a thread people handle
    fake.edit_business_message(complaint, "Позовите оператора! Хочу пожаловаться на сотрудника! Он нагрубил.")
    await wait_until(lambda: "Клиент изменил сообщение: Позовите оператора! Хочу пожаловаться на сотрудника! Он"
                             " нагрубил." in fake.texts(FORUM, thread=topic), what="the edit shown")
    fake.delete_business_messages(connection, [complaint])
    told = "🗑 Сообщение клиента удалено из чата: Позовите оператора! Хочу пожаловаться на сотрудника! Он нагрубил."
    await wait_until(lambda: told in fake.texts(FORUM, thread=topic), what="the topic told")
    conversation = await storage.customer_conversation("volna", Platform.TELEGRAM, "42")
    assert conversation is not None
    [stored] = [m for m in await storage.history(conversation.id) if m.direction == "in"]
    assert (stored.text, stored.deleted_by) == ("Позовите оператора! Хочу пожаловаться на сотрудника! Он нагрубил.", "")
    card = await ModeratorDesk(storage, "volna").card(conversation)
    assert any(line.endswith("Клиент: Позовите оператора! Хочу пожаловаться на сотрудника! Он нагрубил. (🗑 удалено)")
               for line in card_text(card, "ru", ZoneInfo("Europe/Moscow")).splitlines())

    fake.delete_business_messages(connection, [complaint])  # Telegram sends it again (a restart): once
    fake.business_customer_message(connection, CUSTOMER, "Алло?")
    await wait_until(lambda: any("Алло?" in t for t in fake.texts(FORUM, thread=topic)), what="the next message")
    assert fake.texts(FORUM, thread=topic).count(told) == 1


async def test_without_the_right_to_reply_the_message_is_kept_and_the_failure_recorded(
    business: tuple[FakeTelegram, App], caplog: pytest.LogCaptureFixture
) -> None:
    fake, app = business
    connection = fake.connect_business(OWNER, can_reply=False)
    await wait_until(lambda: "without the right to reply" in caplog.text, what="the warning")
    fake.business_customer_message(connection, CUSTOMER, "Как оплатить интернет?")
    await wait_until(lambda: count_is(app.storage, 1, "outbox", "status = 'failed'"), what="the failure")
    rows = await app.storage.fetch("SELECT last_error, business_connection FROM outbox")
    assert rows == [("400: Bad Request: BUSINESS_CONNECTION_NOT_ALLOWED", connection)]
    assert await app.storage.count("messages", "direction = 'in' AND business_connection = ?", (connection,)) == 1
    assert not business_sends(fake, 42, connection)


async def test_only_the_brands_own_business_accounts_are_served(
    business: tuple[FakeTelegram, App], caplog: pytest.LogCaptureFixture
) -> None:
    """Anyone with Telegram Business can connect any bot: a stranger's account would have the brand's bot speak for
    it and pour its customers into the brand's desk. Only the accounts in business_accounts are served; one the bot
    has not heard connect (it was down) is looked up."""
    fake, app = business
    foreign = fake.connect_business(STRANGER_OWNER)
    await wait_until(lambda: "not one of the brand's business_accounts" in caplog.text, what="the warning")
    fake.business_customer_message(foreign, CUSTOMER, "Где моя заявка на подключение?")
    own = fake.connect_business(OWNER, announce=False)
    fake.business_customer_message(own, BUYER, "Где моя заявка на подключение?")
    await wait_until(lambda: business_sends(fake, 43, own), what="the own account's customer answered")
    assert fake.called("getBusinessConnection", business_connection_id=own)
    await wait_until(lambda: not fake.updates, what="every update read")
    assert await app.storage.count("messages", "direction = 'in'") == 1
    assert not fake.sent(42)
    assert await app.storage.customer_conversation("volna", Platform.TELEGRAM, "42") is None
