"""Acceptance: the real App and the real aiogram Bot against a fake Telegram Bot API over HTTP.

One scenario, run with long polling and with a webhook: answer, handoff into a forum topic,
moderator reply, resolve and rating, answering again, a public comment in the discussion group,
and a 429 storm with a restart in the middle that loses and duplicates nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import html
import inspect
import json
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.app import App
from bot.cli import run_forget
from bot.config import load_config
from bot.desk import ModeratorDesk
from bot.local_channel import LocalSender
from bot.runner import run_platforms
from bot.stats import brand_stats
from handlers.support_hours import local_moment
from handlers.texts import LABELS, TEXTS
from handlers.types import Platform, utcnow
from tests.conftest import write_config
from tests.fake_telegram import FakeTelegram, user

TOKEN = "123456:TEST-token_abc"
FORUM = -1001000000001
CHANNEL = -1001000000100
DISCUSSION = -1001000000200
MODERATOR = user(501, "Мария", "Модератор", username="maria_mod")
STRANGER = user(666, "Посторонний")
CUSTOMER = user(42, "Иван", "Петров", username="ivan_p")
COMMENTER = user(43, "Ольга", "Смирнова")
STORMY = user(44, "Пётр", "Шторм")


async def wait_until(predicate: Callable[[], Any], timeout: float = 30.0, what: str = "") -> Any:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = predicate()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await asyncio.sleep(0.05)


async def count_is(storage: Any, expected: int, table: str, where: str = "1", params: tuple[Any, ...] = ()) -> bool:
    return bool(await storage.count(table, where, params) == expected)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Running:
    """The App with run_platforms (the production wiring), startable and stoppable on one SQLite file."""

    def __init__(self, config_path: Path, db: Path) -> None:
        self.config_path = config_path
        self.db = db
        self.app: App | None = None
        self.task: asyncio.Task[int] | None = None

    async def start(self) -> App:
        self.app = await App.start(load_config(self.config_path), storage_path=self.db, seed=7)
        self.task = asyncio.create_task(run_platforms(self.app, LocalSender()))
        return self.app

    async def stop(self) -> None:
        assert self.task is not None and self.app is not None
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        await self.app.close()


def setup_fake(fake: FakeTelegram) -> None:
    fake.add_chat(FORUM, "supergroup", "Volna moderators", is_forum=True)
    fake.set_member(FORUM, MODERATOR["id"], "member")
    fake.add_chat(CHANNEL, "channel", "Volna news", linked_chat_id=DISCUSSION)
    fake.add_chat(DISCUSSION, "supergroup", "Volna news chat", linked_chat_id=CHANNEL)


def bot_administers_discussion(fake: FakeTelegram) -> None:
    """The brand's bot is an administrator of its channel's discussion group (it hears reactions there, hides abuse)."""
    fake.set_member(DISCUSSION, fake.bot_user["id"], "administrator")


@contextlib.asynccontextmanager
async def polling_bot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      prepare: Callable[[FakeTelegram], None] | None = None,
                      storage_extra: str = "", extra: str = "") -> AsyncIterator[tuple[FakeTelegram, App]]:
    """The sample brand's bot polling the fake Bot API (forum, channel and discussion group set up, then
    `prepare`d), run as in production on a fresh SQLite file (`storage_extra`: more of its `[storage]` table;
    `extra`: more tables after the brand's); stopped and closed afterwards."""
    fake = FakeTelegram(TOKEN)
    url = await fake.start()
    setup_fake(fake)
    if prepare is not None:
        prepare(fake)
    monkeypatch.setenv("VOLNA_TG_TOKEN", TOKEN)
    running = Running(write_config(tmp_path, brand_extra=telegram_table(url, "polling", 0) + extra,
                                   storage_extra=storage_extra), tmp_path / "bot.sqlite3")
    try:
        yield fake, await running.start()
    finally:
        if running.task is not None:
            await running.stop()
        await fake.close()


def telegram_table(fake_url: str, mode: str, port: int) -> str:
    """The sample brand's Telegram table against the fake (the evening figures are off: when they post depends on
    the wall clock, so they are tested on their own)."""
    table = f"""
[brands.telegram]
token_env = "VOLNA_TG_TOKEN"
moderator_chat = {FORUM}
daily_summary = "off"
mode = "{mode}"
api_server = "{fake_url}"
mention_words = ["волна", "volna"]
"""
    if mode == "webhook":
        table += f"""webhook_url = "http://127.0.0.1:{port}/telegram/volna"
webhook_secret_env = "VOLNA_TG_SECRET"
listen_host = "127.0.0.1"
listen_port = {port}
"""
    return table


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_telegram_end_to_end(mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeTelegram(TOKEN)
    url = await fake.start()
    setup_fake(fake)
    monkeypatch.setenv("VOLNA_TG_TOKEN", TOKEN)
    monkeypatch.setenv("VOLNA_TG_SECRET", "s3cret-for-tests")
    config_path = write_config(tmp_path, brand_extra=telegram_table(url, mode, free_port()))
    db = tmp_path / "tg.sqlite3"
    running = Running(config_path, db)
    try:
        await scenario(fake, running, mode)
    finally:
        with contextlib.suppress(Exception):
            if running.task is not None and not running.task.done():
                await running.stop()
        await fake.close()


async def scenario(fake: FakeTelegram, running: Running, mode: str) -> None:
    app = await running.start()
    storage = app.storage
    if mode == "webhook":
        await wait_until(lambda: fake.webhook is not None, what="setWebhook")
        assert fake.webhook is not None and fake.webhook["secret"] == "s3cret-for-tests"
        forged = {"update_id": 999, "message": {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"},
                                                "from": CUSTOMER, "text": "Где моя заявка на подключение?"}}
        async with aiohttp.ClientSession() as client:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with client.post(fake.webhook["url"], json=forged, headers=headers) as resp:
                    assert resp.status == 401
        assert await storage.count("messages") == 0
    else:
        await wait_until(lambda: fake.called("getUpdates"), what="long polling")

    # 1. A question in Russian is answered from the argument base, in Russian.
    fake.customer_message(CUSTOMER, "Где моя заявка на подключение?")
    await wait_until(lambda: len(fake.texts(42)) == 1, what="the first answer")
    await wait_until(lambda: count_is(storage, 1, "outbox", "status = 'sent'"), what="the answer recorded")
    conversation = await storage.customer_conversation("volna", Platform.TELEGRAM, "42")
    assert conversation is not None and conversation.customer_name == "Иван Петров"
    history = await storage.history(conversation.id)
    assert history[0].entry_id == "connection_status" and history[0].action == "answer"
    assert history[0].language == "ru"
    assert fake.texts(42)[0] == history[1].text and any("а" <= ch <= "я" for ch in fake.texts(42)[0])

    # 2. An angry complaint is acknowledged and handed off into a new forum topic with a context card.
    fake.customer_message(CUSTOMER, "Позовите оператора! Хочу пожаловаться на сотрудника, это издевательство!")
    await wait_until(lambda: len(fake.texts(42)) == 2, what="the acknowledgement")
    history = await storage.history(conversation.id)
    complaint = [m for m in history if m.direction == "in"][-1]
    assert complaint.action == "handoff" and complaint.entry_id == "staff_complaint"
    await wait_until(lambda: fake.called("createForumTopic"), what="the topic")
    topic = fake.called("createForumTopic")[0].result["message_thread_id"]
    # the topic's name and the card say what it is about as moderators read it, the entry's id beside it on the card
    assert fake.called("createForumTopic")[0].params["name"] == "telegram · Иван Петров · Жалоба на сотрудника"
    card_call = await wait_until(lambda: [c for c in fake.sent(FORUM, thread=topic) if c.params.get("reply_markup")],
                                 what="the card")
    card = card_call[0]
    text = card.params["text"]
    for needle in ("Иван Петров", "tg://user?id=42", "Жалоба на сотрудника (staff_complaint)",
                   "тема требует сотрудника", "личные сообщения",
                   "Ответить до", "Позовите оператора", "Где моя заявка"):
        assert needle in text, needle
    buttons = [b["callback_data"] for b in card.params["reply_markup"]["inline_keyboard"][0]]
    assert buttons == [f"fd:take:{conversation.id}", f"fd:resolve:{conversation.id}", f"fd:bot:{conversation.id}"]
    card_message = card.result

    # The customer's next message is mirrored into the topic (the bot stays silent).
    fake.customer_message(CUSTOMER, "Я жду уже полчаса")
    await wait_until(lambda: any("Я жду уже полчаса" in t for t in fake.texts(FORUM, thread=topic)),
                     what="the mirror")
    assert len(fake.texts(42)) == 2

    # 3. A stranger in the topic is ignored; a moderator's reply reaches the customer and is stored.
    fake.customer_message(STRANGER, "Я не модератор", chat_id=FORUM, thread_id=topic)
    fake.customer_message(MODERATOR, "Иван, здравствуйте! Мастер приедет завтра с 10 до 12.", chat_id=FORUM,
                          thread_id=topic)
    await wait_until(lambda: len(fake.texts(42)) == 3, what="the moderator's reply")
    assert fake.texts(42)[2] == "Иван, здравствуйте! Мастер приедет завтра с 10 до 12."
    assert "Я не модератор" not in fake.texts(42)
    await wait_until(lambda: storage.count("messages", "author = 'moderator'"), what="the stored human reply")

    # 4. Resolve -> rating question -> "satisfied" is stored and the customer is thanked.
    fake.press(MODERATOR, card_message, f"fd:resolve:{conversation.id}")
    rating_call = await wait_until(
        lambda: [c for c in fake.sent(42) if c.params.get("reply_markup")], what="the rating question")
    rating_message = rating_call[0].result
    satisfied = rating_call[0].params["reply_markup"]["inline_keyboard"][0][0]
    assert satisfied["text"] == "👍 Доволен"
    await wait_until(lambda: fake.called("closeForumTopic"), what="the topic closed")
    fake.press(CUSTOMER, rating_message, satisfied["callback_data"])
    await wait_until(lambda: storage.ratings(conversation.id), what="the rating")
    assert await storage.ratings(conversation.id) == [(True, None)]
    await wait_until(lambda: any("Спасибо" in t for t in fake.texts(42)[4:]), what="the thanks")

    # 5. A new question is answered by the bot again.
    before = len(fake.texts(42))
    fake.customer_message(CUSTOMER, "Как оплатить интернет?")
    await wait_until(lambda: len(fake.texts(42)) == before + 1, what="the bot answering again")
    last_in = [m for m in await storage.history(conversation.id) if m.direction == "in"][-1]
    assert last_in.action == "answer" and last_in.entry_id == "payment_methods"

    # 6. A public comment under a channel post is answered in its thread, as a reply to the comment.
    root = fake.channel_post(CHANNEL, DISCUSSION, "Новые тарифы уже доступны!")
    comment = fake.customer_message(COMMENTER, "Какие у вас тарифы?", chat_id=DISCUSSION, reply_to=root)
    await wait_until(lambda: fake.sent(DISCUSSION), what="the public answer")
    public = fake.sent(DISCUSSION)
    assert len(public) == 1
    assert public[0].params["reply_parameters"]["message_id"] == comment["message_id"]
    assert public[0].result["message_thread_id"] == root["message_id"]
    commenter = await storage.customer_conversation("volna", Platform.TELEGRAM, "43")
    assert commenter is not None
    stored_comment = (await storage.history(commenter.id))[0]
    assert stored_comment.entry_id == "tariffs" and stored_comment.action == "answer"

    # 7. A 429 storm and a restart in the middle: every reply delivered exactly once.
    fake.fail_next("sendMessage", chat_id=44, times=3, retry_after=1)
    questions = ["Какие у вас тарифы?", "Как оплатить интернет?", "Где моя заявка на подключение?"]
    for question in questions:
        fake.customer_message(STORMY, question)
    await wait_until(lambda: any(c.error_code == 429 for c in fake.called("sendMessage", chat_id=44)), what="429")
    stormy = await wait_until(lambda: storage.customer_conversation("volna", Platform.TELEGRAM, "44"))
    await wait_until(lambda: count_is(storage, 3, "outbox", "conversation_id = ?", (stormy.id,)),
                     what="three queued replies")
    await running.stop()
    fake.customer_message(STORMY, "Спасибо!")  # written while the bot is down
    app = await running.start()
    storage = app.storage
    await wait_until(lambda: count_is(storage, 4, "outbox", "conversation_id = ? AND status = 'sent'", (stormy.id,)),
                     timeout=45, what="all four replies sent after the restart")
    await asyncio.sleep(1.5)  # nothing more trickles in
    delivered = fake.texts(44)
    assert len(delivered) == 4, delivered
    assert await storage.count("messages", "conversation_id = ? AND direction = 'in'", (stormy.id,)) == 4
    expected = [row.text for row in await storage.history(stormy.id) if row.direction == "out"]
    assert sorted(delivered) == sorted(expected) and len(set(delivered)) == 4
    assert any(c.error_code == 429 for c in fake.calls)
    await running.stop()


async def test_a_moderator_sends_a_suggested_answer_from_the_card_with_one_press(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bot was unsure between entries and handed the thread off: the topic's card lists their approved
    answers with a ✉ button each; a press sends that answer to the customer (a stranger's press does nothing),
    the topic says who sent what, and the card then offers that entry's next phrasing."""
    fake = FakeTelegram(TOKEN)
    url = await fake.start()
    setup_fake(fake)
    monkeypatch.setenv("VOLNA_TG_TOKEN", TOKEN)
    brand_extra = 'timezone = "Europe/Moscow"\n' + telegram_table(url, "polling", 0)  # the brand's clock
    running = Running(write_config(tmp_path, brand_extra=brand_extra), tmp_path / "s.sqlite3")
    app = await running.start()
    try:
        fake.customer_message(CUSTOMER, "Можно ли как-то вернуть деньги или сменить тариф?")
        await wait_until(lambda: len(fake.texts(42)) == 1, what="the handoff notice")
        conversation = await app.storage.customer_conversation("volna", Platform.TELEGRAM, "42")
        assert conversation is not None
        card_call = await wait_until(lambda: [c for c in fake.sent(FORUM) if c.params.get("reply_markup")],
                                     what="the card")
        card = card_call[0]
        rows = card.params["reply_markup"]["inline_keyboard"]
        assert len(rows) == 2 and [b["callback_data"] for b in rows[1]] == [
            f"fd:use{n}:{conversation.id}" for n in range(1, len(rows[1]) + 1)]
        offered = await app_desk(app).suggestions(conversation)
        assert len(offered) == len(rows[1]) and "refund" in [s.entry_id for s in offered]
        assert "Ответы из базы" in card.params["text"] and f"✉ 1. <i>{offered[0].topic}</i>" in card.params["text"]
        handoff = await app.storage.open_handoff(conversation.id)
        assert handoff is not None  # moderators read the deadline on the brand's clock
        assert f"Ответить до: {local_moment(handoff.deadline_at, ZoneInfo('Europe/Moscow'))}" in card.params["text"]
        assert "(UTC+3)" in card.params["text"]

        fake.press(STRANGER, card.result, f"fd:use1:{conversation.id}")
        await wait_until(lambda: fake.called("answerCallbackQuery"), what="the stranger answered")
        assert len(fake.texts(42)) == 1
        fake.press(MODERATOR, card.result, f"fd:use1:{conversation.id}")
        await wait_until(lambda: len(fake.texts(42)) == 2, what="the suggested answer")
        assert fake.texts(42)[1] == offered[0].text
        topic = card.params["message_thread_id"]
        await wait_until(lambda: any(offered[0].text in t and "Мария" in t for t in fake.texts(FORUM, thread=topic)),
                         what="the topic told")
        edited = await wait_until(lambda: [c for c in fake.called("editMessageText") if c.ok], what="the card")
        after = await app_desk(app).suggestions(await app.storage.conversation(conversation.id, "volna"))
        same = next(s for s in after if s.entry_id == offered[0].entry_id)
        assert same.text != offered[0].text and same.text[:50] in html.unescape(edited[-1].params["text"])
        fake.customer_message(MODERATOR, "/use 9", chat_id=FORUM, thread_id=topic)
        await wait_until(lambda: any("Такого предложенного ответа нет" in t for t in fake.texts(FORUM, thread=topic)),
                         what="no such suggestion")
        assert len(fake.texts(42)) == 2
    finally:
        await running.stop()
        await fake.close()


async def test_return_to_bot_with_the_customers_question_unanswered_lets_the_bot_answer_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The moderator asked "Чем помочь?", the customer asked about a cheaper plan, and the moderator pressed
    Return-to-bot: the topic says the bot will answer that message, and it does at once."""
    fake = FakeTelegram(TOKEN)
    url = await fake.start()
    setup_fake(fake)
    monkeypatch.setenv("VOLNA_TG_TOKEN", TOKEN)
    running = Running(write_config(tmp_path, brand_extra=telegram_table(url, "polling", 0)), tmp_path / "s.sqlite3")
    app = await running.start()
    try:
        fake.customer_message(CUSTOMER, "Позовите оператора, пожалуйста")
        await wait_until(lambda: len(fake.texts(42)) == 1, what="the handoff notice")
        card = (await wait_until(lambda: [c for c in fake.sent(FORUM) if c.params.get("reply_markup")],
                                 what="the card"))[0]
        topic = card.params["message_thread_id"]
        fake.customer_message(MODERATOR, "Здравствуйте! Чем помочь?", chat_id=FORUM, thread_id=topic)
        await wait_until(lambda: len(fake.texts(42)) == 2, what="the moderator's reply")
        fake.customer_message(CUSTOMER, "хочу сменить тариф на дешевле")
        await wait_until(lambda: any("сменить тариф" in t for t in fake.texts(FORUM, thread=topic)), what="mirror")
        conversation = await app.storage.customer_conversation("volna", Platform.TELEGRAM, "42")
        assert conversation is not None
        fake.press(MODERATOR, card.result, f"fd:bot:{conversation.id}")
        await wait_until(lambda: any("Бот ответит на последнее сообщение клиента" in t and "сменить тариф" in t
                                     for t in fake.texts(FORUM, thread=topic)), what="the topic told")
        await wait_until(lambda: len(fake.texts(42)) == 3, what="the bot's answer")
        assert await app.pipeline.resume() == 0  # decided already, not waiting for the minute watcher
        last = [m for m in await app.storage.history(conversation.id) if m.direction == "in"][-1]
        assert (last.action, last.entry_id) == ("answer", "change_tariff")

        # one the bot cannot answer goes back to a person: the closed topic reopens with a new card
        fake.customer_message(CUSTOMER, "Позовите оператора, пожалуйста")
        await wait_until(lambda: len(fake.texts(42)) == 4, what="the second handoff notice")
        fake.customer_message(MODERATOR, "Слушаю вас", chat_id=FORUM, thread_id=topic)
        await wait_until(lambda: len(fake.texts(42)) == 5, what="the moderator's second reply")
        fake.customer_message(CUSTOMER, "сосед сверлит стену каждое утро, что посоветуете?")
        await wait_until(lambda: any("сосед" in t for t in fake.texts(FORUM, thread=topic)), what="mirror")
        cards = len([c for c in fake.sent(FORUM, thread=topic) if c.params.get("reply_markup")])
        reopened = len(fake.called("reopenForumTopic"))
        fake.press(MODERATOR, card.result, f"fd:bot:{conversation.id}")
        await wait_until(lambda: len(fake.texts(42)) == 6, what="the handoff again")
        await wait_until(lambda: len([c for c in fake.sent(FORUM, thread=topic) if c.params.get("reply_markup")])
                         > cards, what="a new card")
        assert len(fake.called("reopenForumTopic")) > reopened
        assert (await app.storage.conversation(conversation.id, "volna")).owned_by_human
    finally:
        await running.stop()
        await fake.close()


async def test_comments_joining_a_complaint_under_a_channel_post_get_its_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a channel's discussion group, "+1" in reply to an outage complaint and "у меня тоже" in the same post's
    thread are read as the complaint and answered from the outage entry, each in its own words; "у меня тоже" under
    another post joins nothing written there."""
    async with polling_bot(tmp_path, monkeypatch) as (fake, app):
        root = fake.channel_post(CHANNEL, DISCUSSION, "Плановые работы на сети в четверг")
        other = fake.channel_post(CHANNEL, DISCUSSION, "Новые тарифы уже доступны!")
        complaint = fake.customer_message(user(7101, "Олег"), "Опять интернета нет с утра, сколько можно!",
                                          chat_id=DISCUSSION, reply_to=root)
        await wait_until(lambda: len(fake.sent(DISCUSSION)) == 1, what="the answer to the complaint")
        fake.customer_message(user(7102, "Вера"), "+1", chat_id=DISCUSSION, reply_to=complaint)
        await wait_until(lambda: len(fake.sent(DISCUSSION)) == 2, what="the answer to +1")
        fake.customer_message(user(7103, "Лев"), "у меня тоже", chat_id=DISCUSSION, reply_to=root)
        await wait_until(lambda: len(fake.sent(DISCUSSION)) == 3, what="the answer to 'у меня тоже'")
        fake.customer_message(user(7104, "Ия"), "у меня тоже", chat_id=DISCUSSION, reply_to=other)
        await wait_until(lambda: len(fake.sent(DISCUSSION)) == 4, what="the answer under the other post")
        entries = {}
        for customer in (7101, 7102, 7103, 7104):
            conversation = await app.storage.customer_conversation("volna", Platform.TELEGRAM, str(customer))
            assert conversation is not None
            entries[customer] = (await app.storage.history(conversation.id))[0].entry_id
        assert entries == {7101: "outage", 7102: "outage", 7103: "outage", 7104: None}
        answers = [call.result["text"] for call in fake.sent(DISCUSSION)[:3]]
        assert len(set(answers)) == 3, answers


async def test_a_wave_of_comments_shows_what_each_telegram_account_shows_the_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paid accounts are empty ones: the campaign topic says which authors have no @username and show no photo
    (getUserProfilePhotos, asked once per author), and `evidence` keeps it; the topic's button answers the wave
    once under the channel post, as a reply to its first comment."""
    from tests.test_directed import TEMPLATE

    authors = [user(7001, "Пётр"), user(7002, "Анна", username="anna_real"), user(7003, "Игорь")]

    def prepare(fake: FakeTelegram) -> None:
        fake.profile_photos.update({7001: 0, 7003: 0})  # 7002 shows a photo

    async with polling_bot(tmp_path, monkeypatch, prepare) as (fake, app):
        root = fake.channel_post(CHANNEL, DISCUSSION, "Новые тарифы уже доступны!")
        wave = [fake.customer_message(author, text, chat_id=DISCUSSION, reply_to=root)
                for author, text in zip(authors, TEMPLATE, strict=True)]
        fake.customer_message(authors[0], TEMPLATE[1] + " Позор!", chat_id=DISCUSSION, reply_to=root)
        topic = await wait_until(lambda: next((t.result["message_thread_id"] for t in fake.called("createForumTopic")
                                               if t.params["name"] == "⚠ Кампания #1"), None),
                                 what="the campaign topic")
        posts = await wait_until(lambda: [t for t in fake.texts(FORUM, thread=topic) if "(id 70" in t]
                                 if len([t for t in fake.texts(FORUM, thread=topic) if "(id 70" in t]) >= 4 else None,
                                 what="the evidence posts")
        assert "(id 7001) · фото не видно · без @имени · telegram" in posts[0]
        assert "(id 7002) · telegram" in posts[1]  # a @username and a photo: nothing to note
        assert "(id 7003) · фото не видно · без @имени · telegram" in posts[2]
        assert "(id 7001) · фото не видно · без @имени · telegram" in posts[3]
        assert len(fake.called("getUserProfilePhotos")) == 3  # once per author
        [campaign] = await app.storage.campaigns("volna", utcnow() - timedelta(hours=1))
        assert campaign["messages"][0]["account"] == {"username": False, "photo_visible": False}

        # the brand answers the wave once, in the discussion under the channel post, not once per account
        [intro] = [c for c in fake.sent(FORUM, thread=topic) if c.params.get("reply_markup")]
        fake.press(MODERATOR, intro.result, intro.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
        base = app.pipeline.argument_base("volna")
        assert base is not None
        prepared = base.directed_statement["ru"]
        [answer] = await wait_until(lambda: [c for c in fake.sent(DISCUSSION) if c.params.get("text") in prepared],
                                    what="the answer in the discussion")
        assert answer.params["reply_parameters"]["message_id"] == wave[0]["message_id"]


def app_desk(app: App) -> ModeratorDesk:
    return ModeratorDesk(app.storage, "volna", argument_base=lambda: app.pipeline.argument_base("volna"),
                         relevance=functools.partial(app.pipeline.relevance_to, "volna"))  # as the forum's


async def test_forget_also_deletes_the_customers_topic_in_the_moderators_forum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The topic mirrors the customer's messages, so an erasure request reaches it: deleted with the brand's bot
    through the Bot API; a topic that cannot be deleted is reported, and the database is erased all the same."""
    fake = FakeTelegram(TOKEN)
    url = await fake.start()
    setup_fake(fake)
    monkeypatch.setenv("VOLNA_TG_TOKEN", TOKEN)
    config_path = write_config(tmp_path, brand_extra=telegram_table(url, "polling", 0))
    db = tmp_path / "f.sqlite3"
    running = Running(config_path, db)
    await running.start()
    topics: list[int] = []
    try:
        for person in (CUSTOMER, COMMENTER):
            fake.customer_message(person, "Позовите оператора, хочу поговорить с живым человеком!")
            await wait_until(lambda: len(fake.called("createForumTopic")) == len(topics) + 1, what="the topic")
            topics.append(fake.called("createForumTopic")[-1].result["message_thread_id"])
            await wait_until(lambda: [c for c in fake.sent(FORUM, thread=topics[-1]) if c.params.get("reply_markup")],
                             what="the card")
    finally:
        await running.stop()
    brand = load_config(config_path).brands["volna"]
    try:
        args = argparse.Namespace(platform="telegram", customer="42", yes=False)
        assert await run_forget(args, brand, db) == 0
        dry = json.loads(capsys.readouterr().out)
        assert dry["forum_topic"] == f"{FORUM}/{topics[0]}" and not fake.called("deleteForumTopic")  # a dry run
        args.yes = True
        assert await run_forget(args, brand, db) == 0
        done = json.loads(capsys.readouterr().out)
        assert done["erased"] and done["forum_topic"] == f"{FORUM}/{topics[0]}: deleted"
        assert topics[0] not in fake.topics[FORUM] and topics[1] in fake.topics[FORUM]
        fake.delete_topic(FORUM, topics[1])  # a moderator deleted the other one already
        args.customer = str(COMMENTER["id"])
        assert await run_forget(args, brand, db) == 0
        other = json.loads(capsys.readouterr().out)
        assert other["erased"] and other["forum_topic"].startswith(f"{FORUM}/{topics[1]}: not deleted: ")
        assert "message thread not found" in other["forum_topic"]
    finally:
        await fake.close()


async def test_forget_also_deletes_the_surge_alert_quoting_the_customer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A surge alert in the forum's General topic quotes customers' messages: an erasure request deletes it too."""
    from tests.test_surge import OUTAGE, SURGE

    fake = FakeTelegram(TOKEN)
    url = await fake.start()
    setup_fake(fake)
    monkeypatch.setenv("VOLNA_TG_TOKEN", TOKEN)
    config_path = write_config(tmp_path, brand_extra=telegram_table(url, "polling", 0) + SURGE.replace(
        "customers = 3", "customers = 2"))
    db = tmp_path / "s.sqlite3"
    running = Running(config_path, db)
    await running.start()
    try:
        for person, text in ((CUSTOMER, OUTAGE[0]), (COMMENTER, OUTAGE[2])):
            fake.customer_message(person, text)
        alert = (await wait_until(lambda: [c for c in fake.sent(FORUM) if "message_thread_id" not in c.params],
                                  what="the surge alert"))[0]
        assert OUTAGE[0] in alert.params["text"] and OUTAGE[2] in alert.params["text"]
    finally:
        await running.stop()
    post = alert.result["message_id"]
    brand = load_config(config_path).brands["volna"]
    try:
        args = argparse.Namespace(platform="telegram", customer="42", yes=False)
        assert await run_forget(args, brand, db) == 0
        assert json.loads(capsys.readouterr().out)["forum_posts"] == [f"{FORUM}/{post}"]  # a dry run lists it
        assert not fake.called("deleteMessage")
        args.yes = True
        assert await run_forget(args, brand, db) == 0
        done = json.loads(capsys.readouterr().out)
        assert done["forum_posts"] == [f"{FORUM}/{post}: deleted"] and done["stored"]["forum_quotes"] == 1
        assert fake.called("deleteMessage", chat_id=FORUM, message_id=post)
        args.customer = str(COMMENTER["id"])  # the other customer it quoted: the post is gone already, and said so
        assert await run_forget(args, brand, db) == 0
        [gone] = json.loads(capsys.readouterr().out)["forum_posts"]
        assert gone.startswith(f"{FORUM}/{post}: not deleted: ")
    finally:
        await fake.close()


async def test_a_moderators_reply_reaches_a_customer_who_blocked_the_bot_once_they_unblock_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Customers block a bot in anger or by mistake, and unblock it later; Telegram tells the bot of both in the
    private chat. The topic hears of the block at once (before a moderator writes a long answer in vain), and the
    reply that could not go meanwhile is delivered when the customer unblocks the bot."""
    async with polling_bot(tmp_path, monkeypatch) as (fake, app):
        fake.customer_message(CUSTOMER, "Можно ли как-то вернуть деньги или сменить тариф?")
        await wait_until(lambda: len(fake.texts(42)) == 1, what="the handoff notice")
        card = await wait_until(lambda: [c for c in fake.sent(FORUM) if c.params.get("reply_markup")], what="card")
        topic = card[0].params["message_thread_id"]

        fake.set_blocked(CUSTOMER, True)
        await wait_until(lambda: any("запретил личные сообщения" in t for t in fake.texts(FORUM, thread=topic)),
                         what="the topic told of the block")
        conversation = await app.storage.customer_conversation("volna", Platform.TELEGRAM, "42")
        assert conversation is not None and conversation.unreachable
        blocked = LABELS["card_unreachable"]["ru"]
        await wait_until(lambda: any(blocked in c.params["text"] for c in fake.called("editMessageText") if c.ok),
                         what="the card says so")
        answer = "Иван, вернём деньги на карту в течение трёх дней."
        fake.customer_message(MODERATOR, answer, chat_id=FORUM, thread_id=topic)
        await wait_until(lambda: count_is(app.storage, 1, "outbox", "status = 'failed'"), what="the reply failed")
        assert fake.texts(42)[1:] == []

        fake.set_blocked(CUSTOMER, False)
        await wait_until(lambda: fake.texts(42)[1:] == [answer], what="the reply delivered after all")
        await wait_until(lambda: any("Недоставленные ответы отправлены снова: 1" in t
                                     for t in fake.texts(FORUM, thread=topic)), what="the topic told")
        assert not (await app.storage.conversation(conversation.id, "volna")).unreachable
        await wait_until(lambda: blocked not in [c for c in fake.called("editMessageText") if c.ok][-1].params["text"],
                         what="the card no longer says so")
        notes = [text for _, text in await app.storage.notes(conversation.id)]
        assert any("запретил" in n for n in notes) and any("снова разрешил" in n for n in notes)


async def test_a_customer_who_disapproves_of_the_bots_answer_gets_a_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Customers answer with a reaction more often than with words. 👍 on the bot's answer is kept (the `review`
    shows it); 👎 hands the thread to a person at once, with a word to the customer and a topic that says why and
    which answer did not help. Reactions after that are shown in the topic and hand nothing off again."""
    async with polling_bot(tmp_path, monkeypatch) as (fake, app):
        storage = app.storage
        fake.customer_message(CUSTOMER, "Сколько стоит ваш самый быстрый тариф?")
        await wait_until(lambda: len(fake.texts(42)) == 1, what="the bot's answer")
        answer = fake.sent(42)[0].result
        fake.react(CUSTOMER, answer, "👍")
        await wait_until(lambda: count_is(storage, 1, "outbox", "reaction = '👍' AND kind = 'answer'"), what="👍 kept")
        fake.react(CUSTOMER, answer, {"type": "custom_emoji", "custom_emoji_id": "5368324170671202286"})
        await wait_until(lambda: not fake.updates, what="the custom-emoji reaction read")
        assert await storage.count("outbox", "reaction = '👍'") == 1  # it says nothing readable: 👍 stands
        conversation = await storage.customer_conversation("volna", Platform.TELEGRAM, "42")
        assert conversation is not None and await storage.open_handoff(conversation.id) is None

        fake.react(CUSTOMER, answer, "👎")
        await wait_until(lambda: len(fake.texts(42)) == 2, what="the word that a person is coming")
        assert any(fake.texts(42)[1].startswith(text.split("{")[0]) for text in TEXTS["disliked_handoff"]["ru"])
        handoff = await storage.open_handoff(conversation.id)
        assert handoff is not None and handoff.reason == "disliked_answer"
        topic = await wait_until(lambda: storage.forum_topic(conversation.id), what="the topic")
        told = f"👎 Клиент отреагировал на ответ: {answer['text']}"
        await wait_until(lambda: told in fake.texts(FORUM, thread=int(topic[1])), what="the topic told")
        card = next(t for t in fake.texts(FORUM, thread=int(topic[1])) if "клиенту не помог ответ бота" in t)
        assert "Сколько стоит ваш самый быстрый тариф?" in card

        fake.react(CUSTOMER, answer, "😡")
        await wait_until(lambda: f"😡 Клиент отреагировал на ответ: {answer['text']}"
                         in fake.texts(FORUM, thread=int(topic[1])), what="the next reaction shown")
        assert len(fake.texts(42)) == 2 and await storage.count("handoffs") == 1


async def test_a_commenter_who_disapproves_of_the_bots_public_answer_gets_a_person_and_others_do_not_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a post anyone can react to the bot's answer; only the customer it answered speaks for themselves.
    Their 👎 brings a person, with the word said in the thread where they asked."""
    async with polling_bot(tmp_path, monkeypatch, prepare=bot_administers_discussion) as (fake, app):
        storage = app.storage
        root = fake.channel_post(CHANNEL, DISCUSSION, "Новые тарифы уже доступны!")
        fake.customer_message(COMMENTER, "Какие у вас тарифы?", chat_id=DISCUSSION, reply_to=root)
        await wait_until(lambda: len(fake.sent(DISCUSSION)) == 1, what="the bot's public answer")
        answer = fake.sent(DISCUSSION)[0].result
        fake.react(STRANGER, answer, "👎")
        fake.react(COMMENTER, answer, "👍")
        await wait_until(lambda: count_is(storage, 1, "outbox", "reaction = '👍'"), what="the commenter's 👍")
        commenter = await storage.customer_conversation("volna", Platform.TELEGRAM, str(COMMENTER["id"]))
        assert commenter is not None and await storage.open_handoff(commenter.id) is None

        fake.react(COMMENTER, answer, "👎")
        await wait_until(lambda: len(fake.sent(DISCUSSION)) == 2, what="the word under the comment")
        said = fake.sent(DISCUSSION)[1]
        assert any(said.params["text"].startswith(text.split("{")[0]) for text in TEXTS["disliked_handoff"]["ru"])
        handoff = await storage.open_handoff(commenter.id)
        assert handoff is not None and handoff.reason == "disliked_answer"
        assert await storage.customer_conversation("volna", Platform.TELEGRAM, str(STRANGER["id"])) is None


async def test_moderators_read_russian_typed_in_the_english_layout_as_the_bot_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """"Gjpjdbnt jgthfnjhf" is "Позовите оператора" typed with the keyboard left in the English layout: the bot
    reads it so and hands the thread off; the moderators' card and the customer's next message in the topic show
    the reading beside what the customer typed (stored as typed)."""
    async with polling_bot(tmp_path, monkeypatch) as (fake, app):
        fake.customer_message(CUSTOMER, "Gjpjdbnt jgthfnjhf")
        await wait_until(lambda: len(fake.texts(42)) == 1, what="the handoff notice")
        assert any("\u0400" <= ch <= "\u04ff" for ch in fake.texts(42)[0])  # in Russian
        conversation = await app.storage.customer_conversation("volna", Platform.TELEGRAM, "42")
        assert conversation is not None and conversation.owned_by_human
        topic = await wait_until(lambda: app.storage.forum_topic(conversation.id), what="the topic")
        card = await wait_until(lambda: [t for t in fake.texts(FORUM, thread=int(topic[1])) if "Gjpjdbnt" in t],
                                what="the card")
        assert "Gjpjdbnt jgthfnjhf [читается как: Позовите оператора]" in card[0]
        fake.customer_message(CUSTOMER, "Z ;le/")
        await wait_until(lambda: any(t.endswith(": Z ;le/ [читается как: Я жду.]")
                                     for t in fake.texts(FORUM, thread=int(topic[1]))), what="the next message shown")
        assert [m.text for m in await app.storage.history(conversation.id) if m.direction == "in"] == [
            "Gjpjdbnt jgthfnjhf", "Z ;le/"]


async def test_a_comment_with_a_customers_phone_is_answered_then_deleted_when_the_brand_hides_details(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`hide_details`: a customer leaves their phone under a channel post; the bot answers in the discussion group
    that the details arrived and the comment is hidden, then deletes the comment (after the answer, which quotes
    it), and a person gets the thread in the moderators' forum; so for a very unhappy comment with details."""
    customer = user(7200, "Ольга")
    async with polling_bot(tmp_path, monkeypatch) as (fake, app):
        runtime = app.pipeline.brands["volna"]
        monkeypatch.setattr(runtime, "config", replace(runtime.config,
                                                       policy=replace(runtime.config.policy, hide_details=True)))
        root = fake.channel_post(CHANNEL, DISCUSSION, "Новые тарифы уже доступны!")
        comment = fake.customer_message(customer, "мой телефон +7 912 345-67-89, перезвоните", chat_id=DISCUSSION,
                                        reply_to=root)
        await wait_until(lambda: fake.called("deleteMessage", chat_id=DISCUSSION), what="the comment deleted")
        [answer] = fake.sent(DISCUSSION)
        assert answer.params["reply_parameters"]["message_id"] == comment["message_id"]
        assert any(note in answer.params["text"] for note in TEXTS["details_hidden_note"]["ru"])
        assert [c.params["message_id"] for c in fake.called("deleteMessage")] == [comment["message_id"]]
        assert fake.calls.index(fake.called("sendMessage", chat_id=DISCUSSION)[0]) < fake.calls.index(
            fake.called("deleteMessage")[0])  # answered first, while the comment was there to quote
        conversation = await app.storage.customer_conversation("volna", Platform.TELEGRAM, "7200")
        assert conversation is not None and conversation.handoff_reason == "details_hidden"
        await wait_until(lambda: fake.called("createForumTopic"), what="the thread's topic for a person")
        # a very unhappy comment with a contract number: regret, and hidden too (it stayed in view)
        angry = fake.customer_message(user(7201, "Игорь"), "Третий день нет интернета, позор! Договор 4581203",
                                      chat_id=DISCUSSION, reply_to=root)
        await wait_until(lambda: len(fake.called("deleteMessage")) == 2, what="the angry comment deleted")
        assert fake.called("deleteMessage")[1].params["message_id"] == angry["message_id"]
        regret = fake.sent(DISCUSSION)[1].params["text"]
        assert any(note in regret for note in TEXTS["details_hidden_note"]["ru"]), regret
        conversation = await app.storage.customer_conversation("volna", Platform.TELEGRAM, "7201")
        assert conversation is not None and conversation.handoff_reason == "strong_negative"


async def test_abuse_the_bot_leaves_up_reaches_the_moderators_with_a_button_that_hides_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `hide_toxic` off (the sample brand) an abusive comment that asks nothing was only recorded: nobody saw
    it. Now it is posted in the forum's abuse topic (one for the brand), who wrote it, where and when, with a
    button; a moderator's press deletes it in the discussion group and the topic says who did; a stranger's
    press does nothing. The bot still says nothing under it. A troll's further comments within the hour join their
    post (one button hides them all) rather than flood the topic; another author's get their own."""
    abuser = user(7100, "Тролль")
    async with polling_bot(tmp_path, monkeypatch) as (fake, app):
        root = fake.channel_post(CHANNEL, DISCUSSION, "Новые тарифы уже доступны!")
        comment = fake.customer_message(abuser, "Вы все идиоты и уроды, ненавижу вас", chat_id=DISCUSSION,
                                        reply_to=root)
        topic = await wait_until(lambda: next((t.result["message_thread_id"] for t in fake.called("createForumTopic")
                                               if t.params["name"] == "🚫 Оскорбления"), None), what="the abuse topic")

        def posts() -> list[Any]:
            return [c for c in fake.sent(FORUM, thread=topic) if c.params.get("reply_markup")]

        post = await wait_until(lambda: next(iter(posts()), None), what="the comment posted")
        assert "Вы все идиоты и уроды, ненавижу вас" in post.params["text"] and "(id 7100)" in post.params["text"]
        [button] = post.params["reply_markup"]["inline_keyboard"][0]
        assert button["text"] == "🚫 Скрыть" and button["callback_data"].startswith("fd:hidemsg:")
        assert fake.sent(DISCUSSION) == []  # no word under abuse
        # `forget` deletes the post too: it is recorded as quoting the comment (just after Telegram took it)
        quoted = await wait_until(lambda: app.storage.fetch("SELECT post_id FROM forum_quotes"), what="the quote")
        assert quoted == [(str(post.result["message_id"]),)]

        fake.press(STRANGER, post.result, button["callback_data"])
        await wait_until(lambda: fake.called("answerCallbackQuery"), what="the stranger answered")
        assert not fake.called("deleteMessage")
        fake.press(MODERATOR, post.result, button["callback_data"])
        await wait_until(lambda: fake.called("deleteMessage", chat_id=DISCUSSION), what="the comment deleted")
        assert [c.params["message_id"] for c in fake.called("deleteMessage")] == [comment["message_id"]]
        await wait_until(lambda: "Мария Модератор скрыл(а) комментарий." in fake.texts(FORUM, thread=topic),
                         what="the topic told who hid it")
        await wait_until(lambda: "reply_markup" not in (fake.message(FORUM, post.result["message_id"]) or {}),
                         what="the button done with")
        assert fake.sent(DISCUSSION) == []
        figures = await brand_stats(app.storage, "volna")
        assert (figures.abuse_left_up, figures.hidden_by_moderators, figures.hidden) == (1, 1, 0)

        # the troll goes on: their post grows (the comments still up) instead of new posts
        second = fake.customer_message(abuser, "Тупые уроды", chat_id=DISCUSSION, reply_to=root)
        third = fake.customer_message(abuser, "Идиоты, все до одного, ненавижу", chat_id=DISCUSSION, reply_to=root)
        grown = "Комментариев автора, которые бот оставил: 2"
        edited = await wait_until(lambda: next((c for c in fake.called("editMessageText", chat_id=FORUM)
                                                if grown in c.params["text"]), None),
                                  what="the troll's post extended")
        assert edited.params["message_id"] == post.result["message_id"]
        assert "Тупые уроды" in edited.params["text"] and "Идиоты, все до одного" in edited.params["text"]
        assert "ненавижу вас" not in edited.params["text"]  # hidden already
        assert f"https://t.me/c/1000000200/{second['message_id']}?" in edited.params["text"]
        [hide_all] = edited.params["reply_markup"]["inline_keyboard"][0]
        assert hide_all["text"] == "🚫 Скрыть все (2)" and hide_all["callback_data"].startswith("fd:hideall:")
        other = fake.customer_message(user(7200, "Другой"), "Вы все тупые уроды", chat_id=DISCUSSION, reply_to=root)
        await wait_until(lambda: len(posts()) == 2, what="another author's post")
        assert "Вы все тупые уроды" in posts()[1].params["text"]
        assert len([t for t in fake.called("createForumTopic") if t.params["name"] == "🚫 Оскорбления"]) == 1

        # one press hides the troll's comments; Telegram refuses one (the bot lost its right): the topic says which
        fake.fail_next("deleteMessage", chat_id=DISCUSSION, code=400, description="Bad Request: message can't be "
                       "deleted")
        fake.press(MODERATOR, post.result, hide_all["callback_data"])
        await wait_until(lambda: "Мария Модератор скрыл(а) комментарии автора: 2." in fake.texts(FORUM, thread=topic),
                         what="the topic told who hid them")
        refused = await wait_until(lambda: [t for t in fake.texts(FORUM, thread=topic)
                                            if t.startswith("Не получилось:") and "can't be deleted" in t],
                                   what="the refusal told")
        assert f"(https://t.me/c/1000000200/{second['message_id']}?" in refused[0]  # which comment
        await wait_until(lambda: fake.message(DISCUSSION, third["message_id"]) is None, what="the other deleted")
        assert fake.message(DISCUSSION, other["message_id"]) is not None  # another author's stays up
        # the forum's note of the troll's post names them: an erasure request takes it (another author's stays)
        erased = await app.storage.forget_customer("volna", "telegram", "7100", erase=True)
        assert erased["forum_state"] == 1
        assert await app.storage.get_state(f"forum:volna:{FORUM}:abuse_by:telegram:7100") is None
        assert await app.storage.get_state(f"forum:volna:{FORUM}:abuse_by:telegram:7200") is not None


async def test_forget_deletes_the_bots_answers_to_the_customer_in_the_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bot's answer under a commenter's comment names them for everyone in the group: an erasure request
    deletes it with the brand's bot (deleteMessage); the answers in their private chat with the bot stay theirs."""
    async with polling_bot(tmp_path, monkeypatch) as (fake, app):
        root = fake.channel_post(CHANNEL, DISCUSSION, "Новые тарифы уже доступны!")
        fake.customer_message(COMMENTER, "Какие у вас тарифы?", chat_id=DISCUSSION, reply_to=root)
        await wait_until(lambda: fake.sent(DISCUSSION), what="the public answer")
        [answer] = fake.sent(DISCUSSION)
        fake.customer_message(COMMENTER, "А как оплатить картой?")
        await wait_until(lambda: fake.sent(COMMENTER["id"]), what="the private answer")
        await wait_until(lambda: count_is(app.storage, 2, "outbox", "status = 'sent'"), what="both recorded as sent")
        brand = app.config.brands["volna"]
        args = argparse.Namespace(platform="telegram", customer=str(COMMENTER["id"]), yes=True)
        assert await run_forget(args, brand, tmp_path / "bot.sqlite3") == 0  # polling_bot's database
        done = json.loads(capsys.readouterr().out)
        assert done["public_replies"] == [f"telegram:{DISCUSSION}/{answer.result['message_id']}: deleted"]
        assert [(c.params["chat_id"], c.params["message_id"]) for c in fake.called("deleteMessage")] == [
            (DISCUSSION, answer.result["message_id"])]
        assert fake.message(DISCUSSION, answer.result["message_id"]) is None


async def test_a_scammer_answering_a_commenter_as_the_support_is_deleted_and_the_commenter_warned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scammers answer unhappy commenters before the brand does, as its support. Such a reply to another commenter
    is not addressed to the brand, yet the bot reads it: it deletes it and warns the commenter in a reply to their
    comment; a spam comment under the post is deleted without a word, also one signed as a spam bot's channel, and
    spam addressed to nobody in the group the bot administers (not an admin's own promotion).
    Neither opens a topic for the moderators, and an ordinary reply from one commenter to another, or another
    channel's ordinary comment, is still none of the bot's business."""
    async with polling_bot(tmp_path, monkeypatch, bot_administers_discussion) as (fake, app):
        root = fake.channel_post(CHANNEL, DISCUSSION, "Новые тарифы уже доступны!")
        complaint = fake.customer_message(COMMENTER, "Какие у вас тарифы?", chat_id=DISCUSSION, reply_to=root)
        await wait_until(lambda: fake.sent(DISCUSSION), what="the public answer")
        fake.customer_message(user(7402, "Лена"), "Тоже интересно, спасибо за вопрос", chat_id=DISCUSSION,
                              reply_to=complaint)
        scam = fake.customer_message(user(7401, "Волна", "Поддержка"), "Здравствуйте! Напишите нам в телеграм "
                                     "@volna_help_24, вернём деньги", chat_id=DISCUSSION, reply_to=complaint)
        spam = fake.customer_message(user(7403, "Марина"), "Заработок от 5000 ₽ в день без вложений, пиши в лс",
                                     chat_id=DISCUSSION, reply_to=root)
        # spam bots also comment signed as a channel of theirs (Telegram's placeholder user): read all the same
        placeholder = user(136817688, "Channel", username="Channel_Bot", is_bot=True)
        as_channel = fake.customer_message(placeholder, "Подписывайтесь: заработок от 3000 ₽ в день, t.me/easy_job",
                                           chat_id=DISCUSSION, reply_to=root,
                                           sender_chat={"id": -1009990001, "type": "channel", "title": "Лёгкий доход"})
        fake.customer_message(placeholder, "Отличные тарифы, сами пользуемся!", chat_id=DISCUSSION, reply_to=root,
                              sender_chat={"id": -1009990002, "type": "channel", "title": "Соседи"})
        # and anywhere in a group the bot administers, addressed to nobody; an admin's own promotion is the brand's
        loose = fake.customer_message(user(7404, "Беттер"), "Ставки на спорт с гарантией выигрыша, пиши @bet_master",
                                      chat_id=DISCUSSION)
        fake.set_member(DISCUSSION, 7405, "administrator")
        fake.customer_message(user(7405, "Админ Волны"), "Подписывайтесь на наш канал t.me/volna_news, там все акции",
                              chat_id=DISCUSSION)
        await wait_until(lambda: len(fake.called("deleteMessage", chat_id=DISCUSSION)) == 4, what="all four deleted")
        assert {c.params["message_id"] for c in fake.called("deleteMessage")} == {
            scam["message_id"], spam["message_id"], as_channel["message_id"], loose["message_id"]}
        channel = await app.storage.customer_conversation("volna", Platform.TELEGRAM, "-1009990001")
        assert channel is not None and channel.customer_name == "Лёгкий доход"  # the channel, not the placeholder
        assert await app.storage.customer_conversation("volna", Platform.TELEGRAM, "-1009990002") is None
        warning = await wait_until(lambda: next((c for c in fake.sent(DISCUSSION)
                                                 if c.params["text"] in TEXTS["impersonation_warning"]["ru"]), None),
                                   what="the commenter warned")
        assert warning.params["reply_parameters"]["message_id"] == complaint["message_id"]
        await wait_until(lambda: count_is(app.storage, 5, "messages", "direction = 'in' AND action IS NOT NULL"),
                         what="the question, the scam and the spam read (not the reply between commenters)")
        assert len(fake.sent(DISCUSSION)) == 2  # the answer to the question and the warning: nothing else
        for ordinary in ("7402", "7405"):  # a reply between commenters; the admin's promotion
            assert await app.storage.customer_conversation("volna", Platform.TELEGRAM, ordinary) is None
        assert not [t for t in fake.called("createForumTopic") if "Поддержка" in t.params["name"]]
        figures = await brand_stats(app.storage, "volna")
        assert figures.spam == {"spam": 3, "impersonation": 1, "hidden": 4, "customers_warned": 1,
                                "customers_after_all": 0}
        # the moderators hear of the scammer once, with the customer it answered, to check on them
        topic = await wait_until(lambda: next((t.result["message_thread_id"] for t in fake.called("createForumTopic")
                                               if t.params["name"] == "🚫 Оскорбления"), None), what="the abuse topic")
        told = await wait_until(lambda: next((c for c in fake.sent(FORUM, thread=topic)
                                              if "мошенника" in c.params["text"]), None), what="the scammer told")
        assert len([c for c in fake.sent(FORUM, thread=topic) if "мошенника" in c.params["text"]]) == 1
        commenter = await app.storage.customer_conversation("volna", Platform.TELEGRAM, str(COMMENTER["id"]))
        assert commenter is not None
        assert ">Волна Поддержка</a> (id 7401)" in told.params["text"] and "@volna_help_24" in told.params["text"]
        assert f"Он ответил клиенту: обращение #{commenter.id} (отвечает бот)" in told.params["text"]
        assert "reply_markup" not in told.params  # hidden already: nothing to press


async def test_spam_left_up_reaches_the_abuse_topic_saying_what_it_was_taken_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `hide_spam` off a spam comment is left for the moderators as abuse is: in the abuse topic with a hide
    button, and a line saying it looks like spam (not an insult)."""
    async with polling_bot(tmp_path, monkeypatch, bot_administers_discussion) as (fake, app):
        runtime = app.pipeline.brands["volna"]
        monkeypatch.setattr(runtime, "config", replace(runtime.config, policy=replace(runtime.config.policy,
                                                                                      hide_spam=False)))
        root = fake.channel_post(CHANNEL, DISCUSSION, "Новые тарифы уже доступны!")
        spam = fake.customer_message(user(7501, "Марина"), "Заработок от 5000 ₽ в день без вложений, пиши в лс",
                                     chat_id=DISCUSSION, reply_to=root)
        topic = await wait_until(lambda: next((t.result["message_thread_id"] for t in fake.called("createForumTopic")
                                               if t.params["name"] == "🚫 Оскорбления"), None), what="the abuse topic")
        post = await wait_until(lambda: next((c for c in fake.sent(FORUM, thread=topic)
                                              if c.params.get("reply_markup")), None), what="the spam posted")
        assert post.params["text"].startswith(LABELS["abuse_spam"]["ru"])
        assert "Заработок от 5000 ₽" in post.params["text"] and "(id 7501)" in post.params["text"]
        assert not fake.called("deleteMessage") and fake.sent(DISCUSSION) == []
        [left] = await ModeratorDesk(app.storage, "volna").abuse_left_up()  # what the terminal inbox lists
        assert (left["reason"], left["text"]) == ("spam_recorded", spam["text"])


async def test_the_running_bot_posts_last_months_client_report_and_backs_its_database_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As deployed (`monthly_report` on by default): a brand whose customers wrote last month gets that month's
    report for the agency's client in its forum's General topic as a Markdown file when the bot runs on or after
    the month's first day (09:00 on the brand's clock: the hour is moved to midnight here so the test holds at any
    time of the 1st), and so does the agency's chat (`[agency]`); with `[storage] backups`, the bot takes its
    backups itself."""
    from datetime import UTC, datetime, time

    from bot.storage import Storage
    from bot.telegram import forum_alerts
    from handlers.types import Action, Decision, IncomingMessage

    monkeypatch.setattr(forum_alerts, "MONTHLY_FROM", time(0, 0))
    now = utcnow()
    first = datetime(now.year, now.month, 1, tzinfo=UTC)
    storage = await Storage.open(tmp_path / "bot.sqlite3")  # the bot's database, with last month's customer
    try:
        stored = await storage.store_incoming(IncomingMessage(
            Platform.TELEGRAM, "volna", "42", "7", "42", "Как оплатить картой?", sent_at=first - timedelta(hours=5)))
        assert stored is not None
        await storage.record_decision(stored[0], stored[1], Decision(Action.ANSWER, "intent", "ru"), [],
                                      lambda at: at + timedelta(hours=1))
    finally:
        await storage.close()
    month = f"{first - timedelta(days=1):%Y-%m}"
    agency_chat = -1009998

    def prepare(fake: FakeTelegram) -> None:
        fake.add_chat(agency_chat, "supergroup", "Agency heads")

    async with polling_bot(tmp_path, monkeypatch, prepare, storage_extra=f'backups = "{tmp_path / "backups"}"',
                           extra=f'\n[agency]\nchat = {agency_chat}\nvia_brand = "volna"\noverview_at = "00:00"\n'
                           ) as (fake, _):
        [post] = await wait_until(lambda: [c for c in fake.sent(FORUM) if c.method == "sendDocument"],
                                  what="the month's report")
        assert post.params["document"]["upload"] == f"report-volna-{month}.html"
        assert f"--month {month}" in post.params["caption"]
        report = post.params["document"]["content"].decode()
        assert f"<h1>Отчёт: volna, {month}-01 — " in report
        assert "<tr><td>Обработано упоминаний</td><td>1 из 1</td>" in report
        # the agency's own chat gets every brand's report too, to send its clients
        [sent] = await wait_until(lambda: [c for c in fake.sent(agency_chat) if c.method == "sendDocument"],
                                  what="the report in the agency's chat")
        assert sent.params["document"]["upload"] == f"report-volna-{month}.html"
        assert "<tr><td>Обработано упоминаний</td><td>1 из 1</td>" in sent.params["document"]["content"].decode()
        # and with `[storage] backups`, the running bot backs its database up by itself
        [backup] = await wait_until(lambda: list((tmp_path / "backups").glob("smm-responder-*.sqlite3")),
                                    what="the scheduled backup")
        copy = await Storage.open(backup)
        try:
            assert await copy.count("messages", "direction = 'in'") == 1
        finally:
            await copy.close()


async def test_the_agency_chat_hears_every_brand_at_a_glance_each_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `[agency]`, one brand's bot posts `overview` into the agency's own chat once a day at `overview_at`
    (midnight here, so the running bot posts it at once): the head of an agency running a dozen brands reads where
    the fire is without opening every forum; not again the same day."""
    agency_chat = -1009999
    table = f'\n[agency]\nchat = {agency_chat}\nvia_brand = "volna"\noverview_at = "00:00"\nlanguage = "en"\n'

    def prepare(fake: FakeTelegram) -> None:
        fake.add_chat(agency_chat, "supergroup", "Agency heads")

    async with polling_bot(tmp_path, monkeypatch, prepare, extra=table) as (fake, app):
        [post] = await wait_until(lambda: fake.texts(agency_chat), what="the overview in the agency's chat")
        lines = post.splitlines()
        assert lines[0].startswith("🗂 Every brand (1) as of ") and lines[1].startswith("volna: ⏰ past the deadline 0")
        from bot.telegram.agency import STATE_KEY

        await wait_until(lambda: app.storage.get_state(STATE_KEY), what="the day marked done")  # (once a day)
        assert await app.storage.get_state(STATE_KEY) == utcnow().date().isoformat()


async def test_gaps_in_the_general_topic_posts_what_the_base_lacked_with_its_drafts_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Moderators work in Telegram, not at a terminal: `/gaps` in the forum's General topic gives what the base
    lacked lately and those entries as a file of drafts, without waiting for the weekly digest."""
    import yaml

    async with polling_bot(tmp_path, monkeypatch) as (fake, _app):
        fake.customer_message(MODERATOR, "/gaps", chat_id=FORUM)
        await wait_until(lambda: any("не спрашивали ничего" in t for t in fake.texts(FORUM)), what="nothing yet")
        asked = ["Где купить вашу фирменную футболку?", "Продаёте футболки с логотипом?",
                 "Logolu tişört satıyor musunuz?", "Tişört fiyatı ne kadar?"]
        for i, text in enumerate(asked):
            fake.customer_message(user(4100 + i, f"Клиент{i}"), text)
        await wait_until(lambda: len(fake.called("createForumTopic")) == 4, what="all handed to people")
        fake.customer_message(STRANGER, "/gaps 3", chat_id=FORUM)  # not a member: nothing happens
        fake.customer_message(MODERATOR, "/gaps 3", chat_id=FORUM)
        [drafts] = await wait_until(lambda: [c for c in fake.sent(FORUM) if c.method == "sendDocument"],
                                    what="the drafts")
        digest = [t for t in fake.texts(FORUM) if t.startswith("📝 О чём клиенты спрашивали за 3 дней")]
        assert len(digest) == 1 and "• «футболк" in digest[0] and "» — клиентов: 2" in digest[0]
        # one question asked in Russian and in Turkish: one draft (the running bot's encoder tells them alike)
        [entry] = yaml.safe_load(drafts.params["document"]["content"].decode())["entries"]
        assert entry["id"] == "new_tisort" and entry["topic"].startswith("tişört / футболк")  # (as many customers)
        assert set(entry["examples"]["ru"]) == set(asked[:2]) and set(entry["examples"]["tr"]) == set(asked[2:])
