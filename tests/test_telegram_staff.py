"""The brand's people in its channel's discussion group: the group's admins and replies signed as the channel.
The real App and aiogram Bot against the fake Bot API over HTTP."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from pathlib import Path

import pytest

from bot.overdue import hand_back_quiet
from handlers.types import ConversationState, Platform, utcnow
from tests.conftest import write_config
from tests.fake_telegram import FakeTelegram, user
from tests.test_telegram_acceptance import (
    CHANNEL,
    COMMENTER,
    CUSTOMER,
    DISCUSSION,
    FORUM,
    MODERATOR,
    STORMY,
    TOKEN,
    Running,
    setup_fake,
    telegram_table,
    wait_until,
)

ADMIN = user(502, "Сергей", "Админов")
FANS = -1001000000300  # a group of the brand's fans the bot was added to (not its admin)
CHANNEL_SIGNATURE = user(136817688, "Channel", language_code=None)  # the sender Telegram shows for channel posts


async def test_admins_and_the_channel_answering_comments_are_a_persons_answer_not_customers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An admin naming the brand while answering a complaint under a post was read as a new customer's
    question, and the handoff stayed unanswered (an apology for the wait would follow). Now the admin's reply
    is the person's answer the complaint waited for; replies signed as the channel too; anyone else who names
    the brand is still a customer."""
    fake = FakeTelegram(TOKEN)
    url = await fake.start()
    setup_fake(fake)
    fake.set_member(DISCUSSION, ADMIN["id"], "administrator")
    fake.set_member(DISCUSSION, fake.bot_user["id"], "administrator")  # the brand's group: its bot administers it
    fake.add_chat(FANS, "supergroup", "Volna fans")
    fake.set_member(FANS, ADMIN["id"], "administrator")
    fake.set_member(FANS, fake.bot_user["id"], "member")
    monkeypatch.setenv("VOLNA_TG_TOKEN", TOKEN)
    running = Running(write_config(tmp_path, brand_extra=telegram_table(url, "polling", 0)), tmp_path / "g.sqlite3")
    app = await running.start()
    storage = app.storage
    try:
        root = fake.channel_post(CHANNEL, DISCUSSION, "Новые тарифы уже доступны!")
        complaint = fake.customer_message(COMMENTER, "Позовите оператора! Хочу пожаловаться на сотрудника!",
                                          chat_id=DISCUSSION, reply_to=root)
        await wait_until(lambda: fake.sent(DISCUSSION), what="the handoff notice under the comment")
        commenter = await wait_until(lambda: storage.customer_conversation("volna", Platform.TELEGRAM, "43"))
        topic = await wait_until(lambda: storage.forum_topic(commenter.id), what="the topic")

        fake.customer_message(ADMIN, "Ольга, это Волна: разберёмся сегодня же, напишите нам в личку.",
                              chat_id=DISCUSSION, reply_to=complaint)
        await wait_until(lambda: storage.count("messages", "author = 'moderator' AND conversation_id = ?",
                                               (commenter.id,)), what="the admin's answer recorded")
        handoff = await storage.open_handoff(commenter.id)
        assert handoff is not None and handoff.first_reply_at is not None and handoff.taken_by == "Сергей Админов"
        now = await storage.conversation(commenter.id, "volna")
        assert now.state is ConversationState.WITH_MODERATOR
        await wait_until(lambda: any(t.startswith("✍ Сергей Админов ответил(а) клиенту лично (публично, в обсуждении)")
                                     for t in fake.texts(FORUM, thread=int(topic[1]))), what="the topic told")
        assert await storage.customer_conversation("volna", Platform.TELEGRAM, str(ADMIN["id"])) is None

        question = fake.customer_message(STORMY, "Какие у вас тарифы?", chat_id=DISCUSSION, reply_to=root)
        await wait_until(lambda: len(fake.sent(DISCUSSION)) == 2, what="the bot's answer")
        fake.customer_message(CHANNEL_SIGNATURE, "Пётр, все тарифы Волны в закреплённом посте.", chat_id=DISCUSSION,
                              reply_to=question, sender_chat=fake.chats[CHANNEL])
        stormy = await wait_until(lambda: storage.customer_conversation("volna", Platform.TELEGRAM, "44"))
        await wait_until(lambda: storage.count("messages", "author = 'moderator' AND conversation_id = ?",
                                               (stormy.id,)), what="the channel's answer recorded")
        assert (await storage.conversation(stormy.id, "volna")).moderator == "Volna news"

        fake.customer_message(CUSTOMER, "Волна, у меня тоже не работает интернет!", chat_id=DISCUSSION,
                              reply_to=complaint)
        await wait_until(lambda: storage.count("messages", "direction = 'in' AND author_id = '42'"),
                         what="a customer who names the brand in a reply, stored")
        assert len(fake.called("getChatMember", chat_id=DISCUSSION, user_id=ADMIN["id"])) == 1  # cached
        assert len([t for t in fake.texts(DISCUSSION) if "Сергей" in t]) == 0  # nobody answered the admin

        # A member of the moderators' forum answering in the discussion group is the brand's person too.
        asking = fake.customer_message(user(45, "Нина", "Ким"), "Как оплатить интернет?", chat_id=DISCUSSION,
                                       reply_to=root)
        await wait_until(lambda: len(fake.sent(DISCUSSION)) == 3, what="the bot's answer to Нина")
        fake.customer_message(MODERATOR, "Нина, ещё можно оплатить в приложении Волны.", chat_id=DISCUSSION,
                              reply_to=asking)
        nina = await wait_until(lambda: storage.customer_conversation("volna", Platform.TELEGRAM, "45"))
        await wait_until(lambda: storage.count("messages", "author = 'moderator' AND conversation_id = ?",
                                               (nina.id,)), what="the moderator's public answer recorded")
        assert (await storage.conversation(nina.id, "volna")).moderator == "Мария Модератор"

        # In someone else's group the bot was added to, its admins are people like any other.
        fake.customer_message(ADMIN, "Волна, где моя заявка на подключение?", chat_id=FANS)
        await wait_until(lambda: fake.sent(FANS), what="the answer in the fans' group")
        assert await storage.customer_conversation("volna", Platform.TELEGRAM, str(ADMIN["id"])) is not None

        # A day later nobody has written in the complaint's thread: it goes back to the bot, the topic says so
        # and is closed.
        handed = await hand_back_quiet(app, now=utcnow() + timedelta(hours=25))
        assert commenter.id in [c.id for c in handed]
        await wait_until(lambda: any(t.startswith("Тишина 24 ч") for t in fake.texts(FORUM, thread=int(topic[1]))),
                         what="the topic told")
        assert fake.called("closeForumTopic", message_thread_id=int(topic[1]))
        assert (await storage.conversation(commenter.id, "volna")).state is ConversationState.BOT
    finally:
        with contextlib.suppress(Exception):
            await running.stop()
        await fake.close()
