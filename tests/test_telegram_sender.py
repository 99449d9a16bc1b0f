"""The Telegram sender and the forum desk against the fake Bot API (real aiogram Bot, real storage, no encoder)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery

from bot.desk import ModeratorDesk
from bot.outbox import OutboxDispatcher
from bot.storage import FoundMention, NewReply, Storage
from bot.telegram.forum import ForumDesk, NotifyingSender
from bot.telegram.limits import Limits, RateLimiter
from bot.telegram.sender import TelegramSender
from handlers.policy import BrandPolicy
from handlers.types import Conversation, ConversationState, IncomingMessage, Platform
from tests.fake_telegram import FakeTelegram, user

TOKEN = "123456:TEST-token_abc"
FORUM = -1001000000001
GROUP = -1001000000200
CHANNEL = -1001000000100
CUSTOMER = user(42, "Иван", "Петров")
MODERATOR = user(501, "Мария")


class Env:
    def __init__(self, fake: FakeTelegram, storage: Storage, bot: Bot) -> None:
        self.fake = fake
        self.storage = storage
        self.bot = bot
        self.limiter = RateLimiter(Limits(per_chat_interval=0.05))
        self.sender = TelegramSender(storage)
        self.sender.add_brand("volna", bot, self.limiter)
        self.dispatcher = OutboxDispatcher(storage, {Platform.TELEGRAM: self.sender})
        self.forum = ForumDesk(bot, storage, self.dispatcher, "volna", FORUM, self.limiter, "ru")
        self._ids = iter(range(1000, 10**6))

    async def conversation(self, customer: str = "42", chat: str = "42", *, message_id: str | None = None,
                           public: bool = False, thread: str | None = None) -> Conversation:
        stored = await self.storage.store_incoming(IncomingMessage(
            Platform.TELEGRAM, "volna", chat, message_id or str(next(self._ids)), customer, "Здравствуйте",
            "Иван Петров", is_public=public, thread_id=thread,
        ))
        assert stored is not None
        return stored[1]

    async def handed_off(self, text: str) -> Conversation:
        """A customer's message the bot handed to a person (no topic opened yet)."""
        from handlers.types import Action, Decision

        stored = await self.storage.store_incoming(IncomingMessage(
            Platform.TELEGRAM, "volna", "42", str(next(self._ids)), "42", text, "Иван Петров"))
        assert stored is not None
        message_id, conversation = stored
        decision = Decision(Action.HANDOFF, "entry_needs_human", "ru")
        await self.storage.record_decision(message_id, conversation, decision, [], BrandPolicy().reply_deadline)
        return conversation

    async def deliver_all(self, timeout: float = 20.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while await self.storage.count("outbox", "status = 'pending'"):
            assert loop.time() < deadline, "outbox not drained"
            await self.dispatcher.deliver_due(Platform.TELEGRAM)
            await asyncio.sleep(0.05)


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    fake = FakeTelegram(TOKEN)
    url = await fake.start()
    fake.add_chat(FORUM, "supergroup", "Moderators", is_forum=True)
    fake.set_member(FORUM, MODERATOR["id"])
    fake.add_chat(CHANNEL, "channel", "News", linked_chat_id=GROUP)
    fake.add_chat(GROUP, "supergroup", "News chat", linked_chat_id=CHANNEL)
    fake.private_chat(CUSTOMER)
    storage = await Storage.open(tmp_path / "db.sqlite3")
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(url)))
    yield Env(fake, storage, bot)
    await bot.session.close()
    await storage.close()
    await fake.close()


async def test_429_is_honoured_and_the_chat_keeps_its_order(env: Env) -> None:
    conversation = await env.conversation()
    env.fake.fail_next("sendMessage", chat_id=42, times=2, retry_after=1)
    for text in ("один", "два", "три"):
        await env.storage.queue_notice(conversation, NewReply(text, "answer"))
    await env.deliver_all()
    assert env.fake.texts(42) == ["один", "два", "три"]
    assert len([c for c in env.fake.called("sendMessage", chat_id=42) if c.error_code == 429]) == 2
    assert await env.storage.count("outbox", "status = 'sent'") == 3


async def test_blocked_customer_is_undeliverable_and_the_moderators_are_told(env: Env) -> None:
    conversation = await env.conversation()
    topic = int(await env.forum.open_topic(conversation.id, None))
    env.dispatcher.senders[Platform.TELEGRAM] = NotifyingSender(env.sender, {"volna": env.forum})
    env.fake.blocked.add(42)
    await ModeratorDesk(env.storage, "volna").reply(conversation.id, "Мария", "Ответ модератора")
    await env.dispatcher.deliver_due(Platform.TELEGRAM)
    assert await env.storage.count("outbox", "status = 'failed'") == 1
    assert (await env.storage.conversation(conversation.id, "volna")).unreachable
    assert any("заблокировал" in t for t in env.fake.texts(FORUM, thread=topic))
    assert env.fake.texts(42) == []


async def test_deleted_topic_is_recreated_and_the_post_retried(env: Env) -> None:
    conversation = await env.conversation()
    first = int(await env.forum.open_topic(conversation.id, None))
    env.fake.delete_topic(FORUM, first)
    await env.forum.post(conversation.id, "Клиент пишет снова")
    topic = await env.storage.forum_topic(conversation.id)
    assert topic is not None and int(topic[1]) != first
    second = int(topic[1])
    assert len(env.fake.called("createForumTopic")) == 2
    texts = env.fake.texts(FORUM, thread=second)
    assert "Иван Петров" in texts[0] and texts[-1] == "Клиент пишет снова"


async def test_reescalation_reopens_the_same_topic(env: Env) -> None:
    conversation = await env.conversation()
    topic = int(await env.forum.open_topic(conversation.id, None))
    await env.forum.act("take", conversation.id, "Мария")
    await env.forum.act("bot", conversation.id, "Мария")
    assert env.fake.topics[FORUM][topic]["closed"]
    await env.forum.open_topic(conversation.id, None)
    assert len(env.fake.called("createForumTopic")) == 1
    assert env.fake.called("reopenForumTopic") and not env.fake.topics[FORUM][topic]["closed"]
    assert len([c for c in env.fake.sent(FORUM, thread=topic) if c.params.get("reply_markup")]) == 2


async def test_long_text_is_split(env: Env) -> None:
    conversation = await env.conversation()
    text = " ".join(f"слово{i}" for i in range(900))
    assert len(text) > 4096
    await env.storage.queue_notice(conversation, NewReply(text, "answer"))
    await env.deliver_all()
    parts = env.fake.texts(42)
    assert len(parts) == 2 and all(len(p) <= 4096 for p in parts)
    assert " ".join(parts).split() == text.split()


async def test_rating_question_has_buttons(env: Env) -> None:
    conversation = await env.conversation()
    buttons = [["satisfied", "👍 Доволен"], ["not_satisfied", "👎 Не доволен"]]
    await env.storage.queue_notice(conversation, NewReply("Оцените помощь", "rating", extra={"buttons": buttons}))
    await env.deliver_all()
    markup = env.fake.sent(42)[0].params["reply_markup"]
    assert [b["callback_data"] for b in markup["inline_keyboard"][0]] == [
        f"rate:{conversation.id}:satisfied", f"rate:{conversation.id}:not_satisfied"]


async def test_moderator_photo_and_document(env: Env) -> None:
    conversation = await env.conversation()
    desk = ModeratorDesk(env.storage, "volna")
    await desk.reply(conversation.id, "Мария", "Вот схема", {"media": "photo", "telegram_file_id": "PHOTO-1"})
    await desk.reply(conversation.id, "Мария", "", {"media": "document", "telegram_file_id": "DOC-1"})
    await env.deliver_all()
    photo, document = env.fake.sent(42)
    assert photo.method == "sendPhoto" and photo.params["photo"] == "PHOTO-1" and photo.params["caption"] == "Вот схема"
    assert document.method == "sendDocument" and document.params["document"] == "DOC-1"


async def test_public_comment_reply_and_hide(env: Env) -> None:
    root = env.fake.channel_post(CHANNEL, GROUP, "Пост")
    comment = env.fake.customer_message(CUSTOMER, "Комментарий", chat_id=GROUP, reply_to=root)
    gone = env.fake.customer_message(CUSTOMER, "Удалённый", chat_id=GROUP, reply_to=root)
    conversation = await env.conversation(chat=str(GROUP), message_id=str(comment["message_id"]), public=True,
                                          thread=str(root["message_id"]))
    await env.storage.queue_notice(conversation, NewReply("Ответ в ветке", "answer"))
    await env.deliver_all()
    first = env.fake.sent(GROUP)[0]
    assert first.params["reply_parameters"]["message_id"] == comment["message_id"]
    assert first.result["message_thread_id"] == root["message_id"]
    # The customer deleted the comment before the answer went out: it lands in the thread anyway.
    await env.conversation(chat=str(GROUP), message_id=str(gone["message_id"]), public=True,
                           thread=str(root["message_id"]))
    del env.fake.messages[GROUP][gone["message_id"]]
    await env.storage.queue_notice(conversation, NewReply("Ответ после удаления", "answer"))
    await env.deliver_all()
    last = env.fake.sent(GROUP)[-1]
    assert last.params["text"] == "Ответ после удаления" and last.result["message_thread_id"] == root["message_id"]
    # Hiding a toxic comment deletes it.
    toxic = env.fake.customer_message(CUSTOMER, "Токсичный", chat_id=GROUP, reply_to=root)
    await env.conversation(chat=str(GROUP), message_id=str(toxic["message_id"]), public=True,
                           thread=str(root["message_id"]))
    await env.storage.queue_notice(conversation, NewReply("", "hide"))
    await env.deliver_all()
    assert env.fake.called("deleteMessage", chat_id=GROUP, message_id=toxic["message_id"])
    assert env.fake.message(GROUP, toxic["message_id"]) is None


async def test_only_moderators_may_press_the_buttons(env: Env) -> None:
    conversation = await env.conversation()
    await env.forum.open_topic(conversation.id, None)

    def query(person: dict[str, Any]) -> CallbackQuery:
        return CallbackQuery.model_validate({"id": "q1", "from": person, "chat_instance": "c",
                                             "data": f"fd:take:{conversation.id}"})

    assert await env.forum.handle_callback(query(user(666, "Чужой")))
    assert (await env.storage.conversation(conversation.id, "volna")).moderator is None
    assert "участники" in env.fake.called("answerCallbackQuery")[-1].params["text"]
    assert await env.forum.handle_callback(query(MODERATOR))
    assert (await env.storage.conversation(conversation.id, "volna")).moderator == "Мария"
    assert env.fake.called("editMessageText")  # the card names the owner now


def test_rate_limiter_windows() -> None:
    now = [100.0]
    limiter = RateLimiter(clock=lambda: now[0])

    async def run() -> None:
        assert await limiter.acquire(42, max_wait=0) == 0
        assert await limiter.acquire(42, max_wait=0) == pytest.approx(1.0)  # 1 message/s per chat
        for i in range(20):  # 20 per minute in a group
            now[0] += 1.0
            assert await limiter.acquire(-100, max_wait=0) == 0, i
        now[0] += 1.0
        assert await limiter.acquire(-100, max_wait=0) == pytest.approx(40.0)
        for chat in range(1, 31):  # 30 per second overall
            assert await limiter.acquire(1000 + chat, max_wait=0) == 0
        assert await limiter.acquire(5000, max_wait=0) > 0
        limiter.block(7, 3.0)
        assert await limiter.acquire(7, max_wait=0) == pytest.approx(3.0)

    asyncio.run(run())


async def test_rate_limiter_hands_out_a_chats_slots_in_the_order_asked() -> None:
    """A message asked for later never overtakes one already waiting for the same chat, whatever their waits
    were when each asked (a forum topic's card was overtaken by a note posted under it)."""
    now = [0.0]
    limiter = RateLimiter(Limits(per_chat_interval=0.5), clock=lambda: now[0])
    order: list[str] = []

    async def send(name: str) -> None:
        assert await limiter.acquire(-100) == 0
        order.append(name)

    await send("first")
    card = asyncio.create_task(send("card"))  # its slot: 0.5 s after the first message
    await asyncio.sleep(0.01)
    now[0] = 0.25
    note = asyncio.create_task(send("note"))  # asked later, with a shorter wait left to it
    await asyncio.sleep(0.02)
    now[0] = 0.5  # the card's moment came while both were waiting
    await asyncio.sleep(1.0)
    now[0] = 10.0
    await asyncio.wait_for(asyncio.gather(card, note), 5)
    assert order == ["first", "card", "note"]
    assert limiter._last[-100] == pytest.approx(1.0)  # the note took the slot after the card's


async def test_topic_commands_note_take_resolve(env: Env) -> None:
    from aiogram.types import Message

    conversation = await env.conversation()
    topic = int(await env.forum.open_topic(conversation.id, None))
    ids = iter(range(500, 600))

    def say(person: dict[str, Any], text: str) -> Message:
        return Message.model_validate({
            "message_id": next(ids), "date": 0, "chat": env.fake.chats[FORUM], "from": person, "text": text,
            "message_thread_id": topic, "is_topic_message": True,
        })

    await env.forum.handle_message(say(MODERATOR, "/note клиент VIP, не звонить после 21:00"))
    assert await env.storage.notes(conversation.id) == [("Мария", "клиент VIP, не звонить после 21:00")]
    await env.forum.handle_message(say(MODERATOR, "/take@volna_support_bot"))
    assert (await env.storage.conversation(conversation.id, "volna")).state == "with_moderator"
    await env.forum.handle_message(say(user(666, "Чужой"), "/resolve"))  # not a member: ignored
    assert (await env.storage.conversation(conversation.id, "volna")).state == "with_moderator"
    await env.forum.handle_message(say(MODERATOR, "/resolve"))
    assert (await env.storage.conversation(conversation.id, "volna")).state == "bot"
    assert env.fake.topics[FORUM][topic]["closed"]
    await env.deliver_all()
    assert [c.params.get("reply_markup") is not None for c in env.fake.sent(42)] == [True]  # only the rating
    assert not any("VIP" in t for t in env.fake.texts(42))


async def test_recover_opens_missing_topics(env: Env) -> None:
    conversation = await env.handed_off("Позовите человека")
    assert await env.forum.recover(min_age_seconds=3600) == 0  # a fresh handoff is the listener's
    assert await env.forum.recover() == 1
    topic = await env.storage.forum_topic(conversation.id)
    assert topic is not None and not topic[3]
    assert "Позовите человека" in env.fake.texts(FORUM, thread=int(topic[1]))[0]
    assert await env.forum.recover() == 0


async def test_recover_posts_the_card_of_a_topic_recreated_before_a_stop(env: Env) -> None:
    """The process stopped between recreating a deleted topic and posting its card: the new topic does not
    inherit the old card's id (which lies in the deleted topic), and recovery posts the card once."""
    conversation = await env.handed_off("Где мой заказ? Позовите человека")
    first = int(await env.forum.open_topic(conversation.id, None))
    env.fake.delete_topic(FORUM, first)
    recreated = await env.forum.bot.create_forum_topic(FORUM, "recreated")  # ... and then the process stopped
    await env.storage.save_forum_topic(conversation, str(FORUM), str(recreated.message_thread_id), None)
    topic = await env.storage.forum_topic(conversation.id)
    assert topic is not None and topic[1] == str(recreated.message_thread_id) and topic[2] is None
    assert await env.storage.unmirrored(conversation.id) == []  # no mirrors into a topic without its card

    assert await env.forum.recover() == 1
    cards = [c for c in env.fake.sent(FORUM, thread=recreated.message_thread_id) if c.params.get("reply_markup")]
    assert len(cards) == 1 and "Где мой заказ?" in cards[0].params["text"]
    topic = await env.storage.forum_topic(conversation.id)
    assert topic is not None and topic[2] == str(cards[0].result["message_id"])
    assert await env.forum.recover() == 0


async def test_the_topic_is_told_of_a_deleted_message_and_of_its_restoring(env: Env) -> None:
    conversation = await env.handed_off("Третий день нет интернета, позовите оператора")
    topic = int(await env.forum.open_topic(conversation.id, None))
    await env.forum.on_deleted(conversation, "Третий день нет интернета, позовите оператора", "author")
    await env.forum.on_restored(conversation, "Третий день нет интернета, позовите оператора")
    assert env.fake.texts(FORUM, thread=topic)[-2:] == [
        "🗑 Клиент удалил своё сообщение: Третий день нет интернета, позовите оператора",
        "♻ Удалённое сообщение клиента восстановлено: Третий день нет интернета, позовите оператора"]
    other = dataclasses.replace(conversation, brand="other")
    await env.forum.on_restored(other, "не наше")  # another brand's thread is not this forum's
    assert "не наше" not in "".join(env.fake.texts(FORUM))


async def test_vk_handoff_goes_to_the_same_forum_and_the_reply_to_vk(env: Env) -> None:
    from aiogram.types import Message

    from bot.pipeline import Outcome
    from handlers.types import Action, Analysis, Decision

    vk_message = IncomingMessage(Platform.VK, "volna", "wall-77_88", "555", "1234", "Хочу поговорить с человеком",
                                 "Ольга ВК", is_public=True, thread_id="555")
    stored = await env.storage.store_incoming(vk_message)
    assert stored is not None
    message_id, conversation = stored
    decision = Decision(Action.HANDOFF, "entry_needs_human", "ru", "human_request",
                        scores={"similarity": 0.93, "sentiment_negative": 0.7, "toxicity": 0.1})
    await env.storage.record_decision(message_id, conversation, decision, [], BrandPolicy().reply_deadline)
    await env.forum.on_outcome(Outcome(message_id, vk_message, conversation, decision, Analysis("ru")))
    create = env.fake.called("createForumTopic")[0]
    assert create.params["name"].startswith("vk · Ольга ВК")
    topic = create.result["message_thread_id"]
    card = env.fake.texts(FORUM, thread=topic)[0]
    assert "https://vk.com/id1234" in card and "https://vk.com/wall-77_88?reply=555" in card and "0.70" in card
    await env.forum.handle_message(Message.model_validate({
        "message_id": 700, "date": 0, "chat": env.fake.chats[FORUM], "from": MODERATOR, "text": "Ольга, помогу!",
        "message_thread_id": topic, "is_topic_message": True,
    }))
    vk_items = await env.storage.due_outbox(Platform.VK)
    assert [(i.text, i.kind, i.chat_id) for i in vk_items] == [("Ольга, помогу!", "moderator", "wall-77_88")]


async def test_a_moderator_hides_the_customers_public_comment_from_the_topic(env: Env) -> None:
    """`/hide` in the thread's topic deletes the customer's latest comment still up in the discussion group (abuse
    around a question a person answers: the bot hides abuse itself only with `hide_toxic`); once, however often it
    is asked; the thread stays the person's. A thread with no public comment has nothing to hide."""
    from aiogram.types import Message

    root = env.fake.channel_post(CHANNEL, GROUP, "Пост")
    older = env.fake.customer_message(CUSTOMER, "Где мастер?", chat_id=GROUP, reply_to=root)
    abusive = env.fake.customer_message(CUSTOMER, "Третий день без интернета, вы ***", chat_id=GROUP, reply_to=root)
    conversation = await env.conversation(chat=str(GROUP), message_id=str(older["message_id"]), public=True,
                                          thread=str(root["message_id"]))
    await env.conversation(chat=str(GROUP), message_id=str(abusive["message_id"]), public=True,
                           thread=str(root["message_id"]))
    topic = int(await env.forum.open_topic(conversation.id, None))
    await env.forum.act("take", conversation.id, "Мария")
    ids = iter(range(700, 800))

    def say(text: str, thread: int) -> Message:
        return Message.model_validate({
            "message_id": next(ids), "date": 0, "chat": env.fake.chats[FORUM], "from": MODERATOR, "text": text,
            "message_thread_id": thread, "is_topic_message": True,
        })

    await env.forum.handle_message(say("/hide", topic))
    await env.forum.handle_message(say("/hide", topic))  # asked twice: hidden once
    await env.deliver_all()
    assert [c.params["message_id"] for c in env.fake.called("deleteMessage")] == [abusive["message_id"]]
    assert env.fake.message(GROUP, abusive["message_id"]) is None
    assert env.fake.message(GROUP, older["message_id"]) is not None
    assert env.fake.texts(FORUM, thread=topic).count("Мария скрыл(а) публичный комментарий клиента.") == 2
    assert (await env.storage.conversation(conversation.id, "volna")).state == "with_moderator"
    # stored as deleted by the brand (Telegram reports no deletions in groups), so the next /hide is the older one
    history = await env.storage.history(conversation.id, 10)
    assert [(m.text, m.deleted_by) for m in history if m.direction == "in"] == [
        ("Здравствуйте", None), ("Здравствуйте", "other")]
    await env.forum.handle_message(say("/hide", topic))
    await env.deliver_all()
    assert [c.params["message_id"] for c in env.fake.called("deleteMessage")] == [
        abusive["message_id"], older["message_id"]]
    from bot.stats import brand_stats

    figures = await brand_stats(env.storage, "volna")
    assert figures.hidden_by_moderators == 2 and figures.hidden == 0  # the bot hid nothing itself

    private = await env.conversation(customer="77", chat="77")
    private_topic = int(await env.forum.open_topic(private.id, None))
    await env.forum.handle_message(say("/hide", private_topic))
    assert "Скрывать нечего" in env.fake.texts(FORUM, thread=private_topic)[-1]
    assert len(env.fake.called("deleteMessage")) == 2


async def test_once_a_week_the_forum_hears_what_the_argument_base_lacked(env: Env) -> None:
    """The week's gaps of the base (`review --gaps`) in the General topic: their words and how many customers,
    no customer's text (the command lists those); the first week counted from when the forum first runs."""
    from datetime import timedelta

    from handlers.argument_base import load_argument_base
    from handlers.surge_words import name_stems
    from handlers.types import Action, Decision, utcnow
    from tests.conftest import SAMPLE_KB

    forum = ForumDesk(env.bot, env.storage, env.dispatcher, "volna", FORUM, env.limiter, "ru",
                      lambda: load_argument_base(SAMPLE_KB), names=name_stems("volna", "Волна"))
    start = utcnow()
    assert await forum.alerts.show_gaps(start) == 0  # the first week begins
    asked = ["Где купить футболку Волны?", "Продаёте футболки с логотипом?", "Футболку хочу!",
             "Есть вакансии инженера?", "Вакансии монтажника открыты?"]
    for i, text in enumerate(asked):
        stored = await env.storage.store_incoming(IncomingMessage(
            Platform.TELEGRAM, "volna", f"gap{i}", str(next(env._ids)), f"gap{i}", text))
        assert stored is not None
        await env.storage.record_decision(stored[0], stored[1], Decision(Action.HANDOFF, "out_of_scope", "ru"), [],
                                          BrandPolicy().reply_deadline)
    assert await forum.alerts.show_gaps(start + timedelta(days=3)) == 0  # not a week yet
    env.fake.fail_next("sendMessage", chat_id=FORUM, code=500)  # refused: tried again at the next recovery
    with pytest.raises(TelegramAPIError):
        await forum.alerts.show_gaps(start + timedelta(days=7))
    assert await forum.alerts.show_gaps(start + timedelta(days=7, minutes=1)) == 1
    [post] = [c for c in env.fake.sent(FORUM) if "message_thread_id" not in c.params and c.method == "sendMessage"]
    lines = post.params["text"].splitlines()
    assert lines[0].startswith("📝 О чём клиенты спрашивали за 7 дней")
    assert lines[1:3] == ["• «футболку» — клиентов: 3", "• «вакансии» — клиентов: 2"]
    assert "smm-responder review --brand volna --gaps --days 7" in lines[3]
    assert not any(text in post.params["text"] for text in asked)  # no customer's words beyond the one shared
    # and those entries as drafts of the base, in a file for whoever keeps it (bot.review.gap_drafts)
    [drafts] = [c for c in env.fake.sent(FORUM) if c.method == "sendDocument"]
    assert drafts.params["document"]["upload"].startswith("gaps-volna-") and "message_thread_id" not in drafts.params
    assert drafts.params["caption"].startswith("📝 Черновики этих записей базы")
    entries = yaml.safe_load(drafts.params["document"]["content"].decode())["entries"]
    assert [(e["id"], sorted(e["examples"]["ru"])) for e in entries] == [
        ("new_futbolku", sorted(asked[:3])), ("new_vakansii", sorted(asked[3:]))]
    customer = await env.storage.customer_conversation("volna", Platform.TELEGRAM, "gap0")
    assert customer is not None  # `forget` deletes the file with the rest of what quotes the customer
    assert (str(FORUM), str(drafts.result["message_id"])) in await env.storage.forum_quotes(customer.id)
    assert await forum.alerts.show_gaps(start + timedelta(days=8)) == 0  # the next one in a week


async def test_every_evening_the_forum_hears_the_days_figures(env: Env) -> None:
    """At `daily_summary` on the brand's clock (21:00 Moscow here) the General topic gets the last 24 hours:
    mentions and what became of them, who still waits for a person, replies in time, satisfaction, the mood; once a
    day, and a post Telegram refuses is tried again at the next recovery."""
    from datetime import UTC, datetime, time, timedelta

    from handlers.types import Action, Decision

    forum = ForumDesk(env.bot, env.storage, env.dispatcher, "volna", FORUM, env.limiter, "ru",
                      timezone="Europe/Moscow", daily_summary=time(21, 0))
    evening = datetime(2026, 12, 7, 18, 5, tzinfo=UTC)  # 21:05 in Moscow
    for i, (action, negative) in enumerate([(Action.ANSWER, 0.1), (Action.ANSWER, 0.9), (Action.HANDOFF, 0.9)]):
        stored = await env.storage.store_incoming(IncomingMessage(
            Platform.TELEGRAM, "volna", f"d{i}", str(next(env._ids)), f"d{i}", "Здравствуйте",
            sent_at=evening - timedelta(hours=2)))
        assert stored is not None
        scores = {"sentiment_negative": negative, "sentiment_positive": 1 - negative}
        # due at 21:05 on the test's clock, whatever the machine's (the storage takes "now" from the machine)
        await env.storage.record_decision(stored[0], stored[1], Decision(Action(action), "intent", "ru",
                                                                        scores=scores), [],
                                          lambda _: evening)
    for i, reason in enumerate(("spam", "impersonation")):  # no customers' (handlers.spam): hidden
        stored = await env.storage.store_incoming(IncomingMessage(
            Platform.TELEGRAM, "volna", "-100500", str(next(env._ids)), f"s{i}", "Заработок от 5000 ₽, пиши в лс",
            is_public=True, sent_at=evening - timedelta(hours=2)))
        assert stored is not None
        await env.storage.record_decision(stored[0], stored[1], Decision(Action.HIDE, reason, "ru"), [],
                                          lambda at: at + timedelta(hours=1))
    found = [FoundMention("vk", f"{6000 + i}_1", "Волна Телеком", str(6000 + i), "", "Волна Телеком ...",
                          evening - timedelta(hours=3), "ru", {"negative": negative, "positive": 1 - negative}, 0.0)
             for i, negative in enumerate((0.9, 0.2))]
    await env.storage.save_outside_mentions("volna", found, evening - timedelta(hours=2))  # posts about it elsewhere
    assert await env.storage.outside_mention_handled("volna", 1, "Мария")
    assert await forum.alerts.show_day(evening - timedelta(hours=1)) == 0  # 20:05: not yet
    env.fake.fail_next("sendMessage", chat_id=FORUM, code=500)
    with pytest.raises(TelegramAPIError):
        await forum.alerts.show_day(evening)
    assert await forum.alerts.show_day(evening + timedelta(minutes=1)) == 1
    [post] = [c for c in env.fake.sent(FORUM) if "message_thread_id" not in c.params]
    lines = post.params["text"].splitlines()
    assert lines[0] == "🌙 Итоги суток до 2026-12-07 21:06 (UTC+3):"
    assert lines[1] == "• упоминаний: 3 (бот ответил: 2, передано людям: 1, скрыто: 0)"  # the spam is below
    assert lines[2] == "• ждут ответа человека: 1, срок прошёл: 1"  # its hour is up at 21:06
    assert lines[5] == "• позитив/негатив: 0.50 (сутками раньше: —)"
    assert lines[6] == ("• упоминаний вне страниц бренда: 2 (недовольных: 1, из них направленных: 0, разобрано: 1;"
                        " тема «🔎 Упоминания»)")
    assert lines[7] == ("• спам: 1, мошенники под видом поддержки: 1 (скрыто: 2, клиентов предупредили: 0, клиентов "
                        "вернули: 0; smm-responder review --spam)")
    assert await forum.alerts.show_day(evening + timedelta(hours=2)) == 0  # 23:05: once a day
    assert await forum.alerts.show_day(evening + timedelta(days=1)) == 1  # the next evening


async def test_the_evening_figures_say_where_a_wave_is_still_unanswered(env: Env) -> None:
    """A directed-negative wave left without the brand's answer is in the evening's figures, with where to answer."""
    from datetime import time, timedelta

    from handlers.types import Action, Decision, utcnow

    forum = ForumDesk(env.bot, env.storage, env.dispatcher, "volna", FORUM, env.limiter, "ru",
                      daily_summary=time(0, 0))
    wave = []
    for i in range(3):
        stored = await env.storage.store_incoming(IncomingMessage(
            Platform.VK, "volna", "wall-1_9", str(900 + i), f"paid{i}", "Худший провайдер, не подключайтесь!",
            is_public=True, thread_id=str(900 + i)))
        assert stored is not None
        await env.storage.record_decision(stored[0], stored[1], Decision(Action.IGNORE, "directed_negative", "ru"),
                                          [], lambda at: at + timedelta(hours=1))
        wave.append(stored[0])
    campaign = await env.storage.record_campaign("volna", wave)
    assert await forum.alerts.show_day(utcnow()) == 1
    [post] = [c for c in env.fake.sent(FORUM) if "message_thread_id" not in c.params]
    assert ("• сообщений направленного негатива: 3; записей без ответа на волну: 1 (кнопка 📣 в теме кампании)"
            in post.params["text"].splitlines())
    assert len(await forum.desk.answer_campaign(campaign, "Мария")) == 1
    assert [c["unanswered"] for c in await forum.desk.campaigns()] == [0]


async def test_the_evening_figures_chase_the_companys_unanswered_questions_and_the_report_counts_them(
    env: Env
) -> None:
    """A question to the company (`/ask`) left unanswered holds its customer up: the evening figures name how many
    and since when, and the company's chat is reminded of it once past the brand's reaction time; `stats` and the
    client's report count the questions, the answers and how long they took."""
    from datetime import datetime, time, timedelta

    from bot.config import BrandConfig
    from bot.overview import brand_overview, overview_line
    from bot.report import brand_report, last_days
    from bot.stats import brand_stats
    from handlers.argument_base import load_argument_base
    from handlers.types import Action, Decision, utcnow
    from tests.conftest import SAMPLE_KB

    forum = ForumDesk(env.bot, env.storage, env.dispatcher, "volna", FORUM, env.limiter, "ru",
                      daily_summary=time(0, 0))
    threads, asked = [], []
    for i in range(2):
        stored = await env.storage.store_incoming(IncomingMessage(
            Platform.TELEGRAM, "volna", f"c{i}", str(next(env._ids)), f"c{i}", "Когда будут роутеры с Wi-Fi 7?"))
        assert stored is not None
        await env.storage.record_decision(stored[0], stored[1], Decision(Action.HANDOFF, "no_confident_answer", "ru"),
                                          [], lambda at: at + timedelta(hours=1))
        threads.append(stored[1].id)
        asked.append(stored[0])
    answered = await forum.desk.ask_company(threads[0], "Мария", "Когда будут роутеры с Wi-Fi 7?")
    await forum.desk.company_answered(answered, "15 декабря", "Ольга")
    await forum.desk.send_company_answer(answered.id, "Мария")
    waiting = await forum.desk.ask_company(threads[1], "Мария", "А белые будут?")
    assert await forum.desk.tell_company_checks(threads[1], "Мария")  # nobody had answered that customer yet
    assert not await forum.desk.tell_company_checks(threads[1], "Мария")  # told once
    # the word that the company is being asked is no answer: drafts of the base take the company's, sent on
    assert await env.storage.person_answers(asked) == {asked[0]: ("15 декабря", "")}
    assert await forum.alerts.show_day(utcnow()) == 1
    [post] = [c for c in env.fake.sent(FORUM) if "message_thread_id" not in c.params]
    assert (f"• вопросы компании без ответа: 1 (самый давний — с {forum.moment(waiting.asked_at)}): напомните им"
            in post.params["text"].splitlines())

    # posted in the company's chat, it is reminded of there once its customer's reaction time is up
    company = -1005000000001
    env.fake.add_chat(company, "supergroup", "Volna: the company")
    reminding = ForumDesk(env.bot, env.storage, env.dispatcher, "volna", FORUM, env.limiter, "ru",
                          company_chat=company)
    assert reminding.company is not None
    question_post = await env.bot.send_message(company, "❓ Вопрос #2")
    await env.storage.company_question_posted(waiting.id, str(company), str(question_post.message_id))
    asked_at = datetime.fromisoformat(waiting.asked_at)

    def hour_on(at: datetime) -> datetime:
        return at + timedelta(hours=1)

    assert await reminding.company.remind(asked_at + timedelta(minutes=59), hour_on) == 0
    assert await reminding.company.remind(asked_at + timedelta(minutes=61), hour_on) == 1
    assert await reminding.company.remind(asked_at + timedelta(hours=5), hour_on) == 0  # once
    [reminder] = [c for c in env.fake.sent(company) if "⏰" in c.params["text"]]
    assert reminder.params["reply_parameters"]["message_id"] == question_post.message_id
    assert reminder.params["text"].startswith("⏰ Вопрос #2 ждёт ответа с ")

    figures = await brand_stats(env.storage, "volna", days=1)
    assert {k: v for k, v in figures.company_questions.items() if k != "median_answer_minutes"} == {
        "asked": 2, "answered": 1, "sent": 1}
    assert figures.company_questions["median_answer_minutes"] is not None
    brand = BrandConfig("volna", "Волна", SAMPLE_KB, BrandPolicy())
    report = await brand_report(env.storage, brand, last_days(7, utcnow()), "ru", load_argument_base(SAMPLE_KB))
    assert "- Вопросов модераторов компании: 2; компания ответила: 1 (медиана 0 мин); передано клиентам: 1" in report
    # the agency's overview counts it among what is urgent, after the waves left unanswered
    seen = await brand_overview(env.storage, brand, utcnow())
    assert seen.company_unanswered == 1 and overview_line(seen, "ru").endswith(" · ❓ вопросов компании без ответа: 1")

    # an answer no topic shows yet (Telegram refused it, or the process stopped) is shown at the next recovery, with
    # its button; one whose thread has no topic only stays in the thread's notes
    topic = await reminding.open_topic(threads[1], None)
    await reminding.desk.company_answered(waiting, "Будут в январе", "Ольга")
    assert await reminding.company.recover(utcnow(), hour_on) == 1
    [shown] = [c for c in env.fake.sent(FORUM, thread=int(topic)) if "Будут в январе" in c.params["text"]]
    assert shown.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == f"fd:companysend:{waiting.id}"
    assert await reminding.company.recover(utcnow(), hour_on) == 0  # once


async def test_on_the_months_first_day_the_forum_gets_the_last_months_client_report_as_a_file(env: Env) -> None:
    """On the 1st, from 09:00 on the brand's clock (Moscow here), the General topic gets last month's report for the
    agency's client (bot.report, as `report --month` writes it) as a Markdown file to check and send on; once a
    month; a refused post is tried again at the next recovery; a month nobody wrote in gets none."""
    from datetime import UTC, datetime, time, timedelta

    from bot.config import BrandConfig
    from bot.report import Period, brand_report
    from handlers.argument_base import load_argument_base
    from handlers.types import Action, Decision
    from tests.conftest import SAMPLE_KB

    brand = BrandConfig("volna", "Волна", SAMPLE_KB, BrandPolicy(timezone="Europe/Moscow"))

    async def report(period: Period) -> str:
        return await brand_report(env.storage, brand, period, "ru", load_argument_base(SAMPLE_KB))

    forum = ForumDesk(env.bot, env.storage, env.dispatcher, "volna", FORUM, env.limiter, "ru",
                      timezone="Europe/Moscow", daily_summary=time(21, 0), monthly_report=report)
    november = [datetime(2026, 10, 31, 21, 30, tzinfo=UTC), datetime(2026, 11, 30, 20, 30, tzinfo=UTC)]
    for i, at in enumerate([*november, datetime(2026, 11, 30, 21, 30, tzinfo=UTC)]):  # the last: December's
        stored = await env.storage.store_incoming(IncomingMessage(
            Platform.TELEGRAM, "volna", f"m{i}", str(next(env._ids)), f"m{i}", "как оплатить картой?", sent_at=at))
        assert stored is not None
        await env.storage.record_decision(stored[0], stored[1], Decision(Action.ANSWER, "intent", "ru"), [],
                                          lambda at: at + timedelta(hours=1))
    first = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # 09:00 in Moscow
    assert await forum.alerts.show_month(first - timedelta(minutes=5)) == 0  # 08:55: not yet
    env.fake.fail_next("sendDocument", chat_id=FORUM, code=500)
    with pytest.raises(TelegramAPIError):
        await forum.alerts.show_month(first)
    assert await forum.alerts.show_month(first + timedelta(minutes=1)) == 1
    [post] = [c for c in env.fake.sent(FORUM) if c.method == "sendDocument"]
    assert "message_thread_id" not in post.params  # the General topic
    assert post.params["caption"].startswith("📊 Отчёт за 2026-11 для клиента")
    assert "smm-responder report --brand volna --month 2026-11" in post.params["caption"]
    assert post.params["document"]["upload"] == "report-volna-2026-11.html"  # opens on any phone
    page = post.params["document"]["content"].decode()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="ru">' in page
    assert "<h1>Отчёт: Волна, 2026-11-01 — 2026-11-30</h1>" in page
    assert "<p>Для сравнения — предыдущий месяц (2026-10-01 — 2026-10-31).</p>" in page
    assert "<tr><td>Обработано упоминаний</td><td>2 из 2</td><td>0 из 0</td></tr>" in page
    assert await forum.alerts.show_month(first + timedelta(days=3)) == 0  # once a month
    assert await forum.alerts.show_month(datetime(2027, 1, 1, 7, 0, tzinfo=UTC)) == 1  # December's
    assert await forum.alerts.show_month(datetime(2027, 2, 5, 7, 0, tzinfo=UTC)) == 0  # nobody wrote in January
    assert len([c for c in env.fake.sent(FORUM) if c.method == "sendDocument"]) == 2


async def test_with_the_companys_chat_the_months_report_goes_there_with_one_press(env: Env) -> None:
    """The agency checks the client's report in its forum, then "📤 Отправить компании" under it copies the page into
    the company's own chat, with a caption for the company rather than the moderators' own."""
    from datetime import UTC, datetime, timedelta

    from bot.config import BrandConfig
    from bot.report import Period, brand_report
    from handlers.argument_base import load_argument_base
    from handlers.types import Action, Decision
    from tests.conftest import SAMPLE_KB

    company = -1005000000001
    env.fake.add_chat(company, "supergroup", "Volna: the company")
    brand = BrandConfig("volna", "Волна", SAMPLE_KB, BrandPolicy())

    async def report(period: Period) -> str:
        return await brand_report(env.storage, brand, period, "ru", load_argument_base(SAMPLE_KB))

    forum = ForumDesk(env.bot, env.storage, env.dispatcher, "volna", FORUM, env.limiter, "ru", monthly_report=report,
                      company_chat=company, display_name="Волна")
    stored = await env.storage.store_incoming(IncomingMessage(
        Platform.TELEGRAM, "volna", "m1", str(next(env._ids)), "m1", "как оплатить картой?",
        sent_at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC)))
    assert stored is not None
    await env.storage.record_decision(stored[0], stored[1], Decision(Action.ANSWER, "intent", "ru"), [],
                                      lambda at: at + timedelta(hours=1))
    assert await forum.alerts.show_month(datetime(2026, 12, 1, 10, 0, tzinfo=UTC)) == 1
    [post] = [c for c in env.fake.sent(FORUM) if c.method == "sendDocument"]
    [[button]] = post.params["reply_markup"]["inline_keyboard"]
    assert button == {"text": "📤 Отправить компании", "callback_data": "fd:tocompany:202611"}

    def press(person: dict[str, Any]) -> CallbackQuery:
        return CallbackQuery.model_validate({"id": "q1", "from": person, "chat_instance": "c",
                                             "data": button["callback_data"], "message": post.result})

    assert await forum.handle_callback(press(user(666, "Чужой")))  # not a moderator: nothing is sent
    assert not env.fake.sent(company)
    assert await forum.handle_callback(press(MODERATOR))
    [copied] = env.fake.sent(company)
    assert copied.method == "copyMessage" and copied.params["message_id"] == post.result["message_id"]
    assert copied.params["caption"] == ("📊 Волна: отчёт поддержки в соцсетях за 2026-11. Откройте файл в браузере "
                                        "(печатается в PDF).")
    assert "smm-responder" not in env.fake.messages[company][copied.result["message_id"]]["caption"]
    assert any("отправил(а) отчёт за 2026-11 компании" in t for t in env.fake.texts(FORUM))


async def test_the_agency_chat_gets_each_brands_monthly_report_on_the_first(env: Env) -> None:
    """An agency sends its clients a report each month: from `overview_at` on the 1st (the agency's clock) its chat
    gets each brand's page of the month before (on that brand's clock), once; a brand nobody wrote to, none."""
    from datetime import UTC, datetime, time, timedelta

    from bot.config import BrandConfig
    from bot.report import Period, brand_report
    from bot.telegram.agency import AgencyOverview
    from bot.telegram.forum_chat import ForumChat
    from handlers.types import Action, Decision
    from tests.conftest import SAMPLE_KB

    agency = -1009997
    env.fake.add_chat(agency, "supergroup", "Agency")
    brands = [BrandConfig("acme", "Acme", SAMPLE_KB, BrandPolicy(timezone="Europe/Istanbul")),
              BrandConfig("volna", "Волна", SAMPLE_KB, BrandPolicy(timezone="Europe/Moscow"))]

    async def report(brand: BrandConfig, period: Period) -> str:
        return await brand_report(env.storage, brand, period, "ru")

    digest = AgencyOverview(ForumChat(env.bot, agency, env.limiter, "ru", "Europe/Moscow"), env.storage, brands,
                            time(9, 30), report)
    stored = await env.storage.store_incoming(IncomingMessage(
        Platform.TELEGRAM, "volna", "k1", str(next(env._ids)), "k1", "как оплатить картой?",
        sent_at=datetime(2026, 11, 30, 20, 0, tzinfo=UTC)))  # 23:00 in Moscow: November's
    assert stored is not None
    await env.storage.record_decision(stored[0], stored[1], Decision(Action.ANSWER, "intent", "ru"), [],
                                      lambda at: at + timedelta(hours=1))
    first = datetime(2026, 12, 1, 6, 30, tzinfo=UTC)  # 09:30 in Moscow
    assert await digest.post_reports_if_due(first - timedelta(minutes=1)) == 0
    assert await digest.post_reports_if_due(first) == 1  # volna's; acme had nobody
    [sent] = [c for c in env.fake.sent(agency) if c.method == "sendDocument"]
    assert sent.params["document"]["upload"] == "report-volna-2026-11.html"
    assert sent.params["caption"].startswith("📊 Отчёт за 2026-11 для клиента")
    assert "<h1>Отчёт: Волна, 2026-11-01 — 2026-11-30</h1>" in sent.params["document"]["content"].decode()
    assert await digest.post_reports_if_due(first + timedelta(days=2)) == 0  # once


async def test_the_agency_overview_waits_longer_while_its_chat_refuses(env: Env) -> None:
    """A wrong agency chat (the bot not in it) fills no log: each failure waits twice as long, up to an hour, and
    the checks go back to every minute once it posts."""
    import asyncio
    from datetime import time

    from bot.config import BrandConfig
    from bot.telegram.agency import AgencyOverview, watch_agency
    from bot.telegram.forum_chat import ForumChat
    from tests.conftest import SAMPLE_KB

    digest = AgencyOverview(ForumChat(env.bot, -100404, env.limiter, "en"), env.storage,
                            [BrandConfig("volna", "volna", SAMPLE_KB, BrandPolicy())], time(0, 0))
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            env.fake.add_chat(-100404, "supergroup", "Agency")  # someone adds the bot to the chat
        if len(waits) == 5:
            raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await watch_agency(digest, interval=60, sleep=sleep)
    assert waits == [120, 240, 480, 60, 60]
    assert len(env.fake.texts(-100404)) == 1  # posted once the chat let it, then not again that day


async def test_a_private_message_taken_for_spam_is_shown_and_brought_back_to_a_person(env: Env) -> None:
    """A private message the bot took for spam gets no answer: the abuse topic shows it with the "🙋 Это клиент"
    button; pressed, the thread goes to a person (a topic opens) and nothing is queued to restore (nothing was
    deleted); pressed again, or for another brand's message, it says there is no such spam."""
    from datetime import timedelta

    from handlers.types import Action, Decision, utcnow

    stored = await env.storage.store_incoming(IncomingMessage(
        Platform.TELEGRAM, "volna", "42", str(next(env._ids)), "42", "Подработка есть? Пишите в лс", "Иван Петров"))
    assert stored is not None
    await env.storage.record_decision(stored[0], stored[1], Decision(Action.IGNORE, "spam_private", "ru"), [],
                                      lambda at: at + timedelta(hours=1))
    assert await env.forum.alerts.show_spam(utcnow()) == 1
    [post] = [c for c in env.fake.sent(FORUM) if c.params.get("reply_markup")]
    assert post.params["text"].startswith("🧲 Бот принял за спам личное сообщение и не ответил.")
    assert post.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == f"fd:customer:{stored[0]}"
    assert await env.forum.alerts.show_spam(utcnow()) == 0  # once
    done = await env.forum.act("customer", stored[0], "Мария")
    assert done == "Мария: это клиент — обращение открыто, ответьте в его теме."
    conversation = await env.storage.conversation(stored[1].id, "volna")
    assert conversation.state is ConversationState.WAITING_FOR_MODERATOR
    assert await env.storage.forum_topic(conversation.id) is not None
    assert await env.storage.count("outbox", "kind = 'restore'") == 0
    with pytest.raises(LookupError):
        await env.forum.act("customer", stored[0], "Мария")


async def test_the_agency_overview_is_posted_once_a_day_from_its_hour_and_retried(env: Env) -> None:
    """Every brand at a glance in the agency's chat from `overview_at` on the agency's clock (Moscow here), the most
    urgent first; once a day; a post Telegram refuses is tried again at the next check; in the agency's language."""
    from datetime import UTC, datetime, time, timedelta

    from bot.config import BrandConfig
    from bot.telegram.agency import AgencyOverview
    from bot.telegram.forum_chat import ForumChat
    from tests.conftest import SAMPLE_KB

    agency = -1009999
    env.fake.add_chat(agency, "supergroup", "Agency")
    brands = [BrandConfig(name, name, SAMPLE_KB, BrandPolicy()) for name in ("acme", "volna")]
    digest = AgencyOverview(ForumChat(env.bot, agency, env.limiter, "tr", "Europe/Moscow"), env.storage, brands,
                            time(9, 30))
    await env.handed_off("Интернета нет третий день, когда почините?")  # volna: a customer waits for a person
    morning = datetime(2026, 12, 7, 6, 30, tzinfo=UTC)  # 09:30 in Moscow
    assert await digest.post_if_due(morning - timedelta(minutes=1)) == 0
    env.fake.fail_next("sendMessage", chat_id=agency, code=500)
    with pytest.raises(TelegramAPIError):
        await digest.post_if_due(morning)
    assert await digest.post_if_due(morning + timedelta(minutes=1)) == 1
    [text] = env.fake.texts(agency)
    lines = text.splitlines()
    assert lines[0] == "🗂 Tüm markalar (2), 2026-12-07 09:31 (UTC+3) itibarıyla, en acil olanlar önce:"
    assert lines[1].startswith("volna: ⏰ süresi geçen 0 · bir kişiyi bekleyen 1") and lines[2].startswith("acme:")
    assert await digest.post_if_due(morning + timedelta(hours=5)) == 0  # once a day
    assert await digest.post_if_due(morning + timedelta(days=1)) == 1


async def test_unhappy_posts_found_outside_the_brands_pages_go_to_one_topic_a_wave_marked_directed(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The forum's mentions topic gets each unhappy post found about the brand once (not the content ones, nor
    another brand's), with its author, link and views, a few at a time; a post of a directed-negative wave says so,
    in the moderators' language; the topic deleted by someone is opened again."""
    from bot.telegram import forum_alerts

    monkeypatch.setattr(forum_alerts, "OUTSIDE_AT_ONCE", 2)
    from datetime import timedelta

    from handlers.types import utcnow

    forum = ForumDesk(env.bot, env.storage, env.dispatcher, "volna", FORUM, env.limiter, "en")
    now = utcnow()

    def post(i: int, text: str, negative: float, brand_words: str = "Volna Telecom") -> FoundMention:
        return FoundMention("vk", f"{6000 + i}_{i}", brand_words, str(6000 + i), f"Author {i}", text,
                            now - timedelta(minutes=5), "en", {"negative": negative, "positive": 1 - negative}, 0.0,
                            100 * i)

    texts = ["Volna Telecom has been down for three days", "Volna Telecom took my money and cut me off, avoid",
             "Volna Telecom took my money and cut me off!! avoid", "Volna Telecom is great, thanks"]
    ids = await env.storage.save_outside_mentions("volna", [post(i, text, 0.1 if i == 3 else 0.95)
                                                            for i, text in enumerate(texts)], now)
    await env.storage.save_outside_mentions("acme", [post(9, "Acme is awful", 0.99, "Acme")], now)
    assert len(ids) == 4 and all(ids)
    assert await env.storage.save_outside_mentions("volna", [post(0, texts[0], 0.95)], now) == [None]  # kept once
    await env.storage.outside_directed([ids[1], ids[2]])  # type: ignore[list-item]
    # the first author also wrote to the brand's VK community: the post names their thread and its topic
    stored = await env.storage.store_incoming(IncomingMessage(Platform.VK, "volna", "6000", "1", "6000",
                                                              "Где интернет?"))
    assert stored is not None
    await env.storage.save_forum_topic(stored[1], str(FORUM), "77", None)
    assert await forum.alerts.show_outside(now) == 2  # a few at a time: customers' threads are not held up
    assert await forum.alerts.show_outside(now) == 1
    [topic] = [t for t in env.fake.called("createForumTopic") if t.params["name"] == "🔎 Mentions"]
    thread = topic.result["message_thread_id"]
    shown = env.fake.texts(FORUM, thread=thread)
    assert shown[0].startswith("Unhappy posts about the brand found outside its own pages")
    assert len(shown) == 4 and all("Acme" not in text for text in shown)
    assert "Author 0" in shown[1] and "https://vk.com/wall6000_0" in shown[1] and "found by “Volna Telecom”" in shown[1]
    assert "⚠ This looks like directed negative" not in shown[1]  # a real unhappy customer
    assert (f'The author has written to the brand: thread <a href="https://t.me/c/1000000001/77">#{stored[1].id}</a>'
            " (the bot answers).") in env.fake.sent(FORUM, thread=thread)[1].params["text"]
    assert "The author has written" not in shown[2]
    assert all("⚠ This looks like directed negative" in text for text in shown[2:])
    assert "views: 200" in shown[3]
    assert await forum.alerts.show_outside(now) == 0  # each once

    env.fake.fail_next("sendMessage", chat_id=FORUM, code=400, description="Bad Request: message thread not found")
    await env.storage.save_outside_mentions("volna", [post(5, "Volna Telecom, where is my refund?", 0.9)], now)
    assert await forum.alerts.show_outside(now) == 1
    assert len([t for t in env.fake.called("createForumTopic") if t.params["name"] == "🔎 Mentions"]) == 2

    # nobody dealt with them within the brand's reaction time (an hour here): a reminder under each, once
    assert await env.storage.outside_mention_handled("volna", ids[0], "Maria")  # type: ignore[arg-type]
    assert await forum.alerts.remind_outside(now + timedelta(minutes=59)) == 0
    assert await forum.alerts.remind_outside(now + timedelta(minutes=61)) == 2  # the wave's two, and the refund one,
    assert await forum.alerts.remind_outside(now + timedelta(minutes=62)) == 1  # a few at a time
    reminders = [c for c in env.fake.sent(FORUM) if c.params["text"].startswith("⏰ Found at")]
    assert len(reminders) == 3 and "nobody has dealt with it yet" in reminders[0].params["text"]
    waiting = await env.storage.fetch("SELECT forum_post FROM outside_mentions WHERE brand = 'volna' AND id != ?"
                                      " AND negative >= 0.5 ORDER BY id", (ids[0],))
    assert [c.params["reply_parameters"]["message_id"] for c in reminders] == [int(p) for (p,) in waiting]
    assert await forum.alerts.remind_outside(now + timedelta(hours=2)) == 0  # once each


async def test_a_share_of_the_brands_post_shows_which_post_it_shares(env: Env) -> None:
    """A post found because it shares one of the brand's own posts (VK's wall_repost), not by a search query: the
    mentions topic links the brand's post it shares instead of naming a query."""
    from datetime import timedelta

    from handlers.types import utcnow

    forum = ForumDesk(env.bot, env.storage, env.dispatcher, "volna", FORUM, env.limiter, "ru")
    now = utcnow()
    await env.storage.save_outside_mentions("volna", [FoundMention(
        "vk", "5501_31", "share:-1001_97", "5501", "Ира", "Ну-ну, верим. Третий день без интернета",
        now - timedelta(minutes=2), "ru", {"negative": 0.93, "positive": 0.01}, 0.02, 240)], now)
    assert await forum.alerts.show_outside(now) == 1
    [topic] = [t for t in env.fake.called("createForumTopic") if t.params["name"] == "🔎 Упоминания"]
    [post] = env.fake.texts(FORUM, thread=topic.result["message_thread_id"])[1:]
    assert 'делится постом бренда <a href="https://vk.com/wall-1001_97">https://vk.com/wall-1001_97</a>' in post
    assert "по запросу" not in post and "https://vk.com/wall5501_31" in post
