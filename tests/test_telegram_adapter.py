"""The Telegram adapter with the real App (long polling against the fake Bot API): what gets stored and how."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import bot.reach as reach_module
import bot.telegram.runtime as runtime_module
from bot.app import App
from bot.desk import ModeratorDesk
from bot.stats import brand_stats
from handlers.texts import TEXTS
from handlers.types import ConversationState, Platform
from tests.conftest import write_config
from tests.fake_telegram import FakeTelegram, user
from tests.test_telegram_acceptance import (
    CHANNEL,
    DISCUSSION,
    FORUM,
    MODERATOR,
    TOKEN,
    Running,
    count_is,
    free_port,
    setup_fake,
    telegram_table,
    wait_until,
)

GROUP = -1001000000300
ANNA = user(61, "Анна", language_code="ru")
BORIS = user(62, "Борис")
CLARA = user(63, "Клара")
DMITRY = user(64, "Дмитрий")
EVA = user(65, "Ева", language_code="en")


async def stored_in(storage: Any, customer: str) -> list[Any]:
    conversation = await storage.customer_conversation("volna", Platform.TELEGRAM, customer)
    if conversation is None:
        return []
    return [m for m in await storage.history(conversation.id) if m.direction == "in"]


@contextlib.asynccontextmanager
async def polling_bot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[FakeTelegram, App]]:
    """The fake Bot API (moderators' forum, channel with its discussion, GROUP) and `run` polling it."""
    fake = FakeTelegram(TOKEN)
    url = await fake.start()
    setup_fake(fake)
    fake.add_chat(GROUP, "supergroup", "Район")
    monkeypatch.setenv("VOLNA_TG_TOKEN", TOKEN)
    running = Running(write_config(tmp_path, brand_extra=telegram_table(url, "polling", free_port())),
                      tmp_path / "db.sqlite3")
    try:
        app = await running.start()
        await wait_until(lambda: fake.called("getUpdates"), what="polling")
        yield fake, app
    finally:
        with contextlib.suppress(Exception):
            await running.stop()
        await fake.close()


async def test_adapter_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async with polling_bot(tmp_path, monkeypatch) as (fake, app):
        storage = app.storage
        runtime = app.pipeline.brands["volna"]
        assert runtime.config.policy.private_link == "https://t.me/volna_support_bot?start=support"

        # Groups: only messages that mention the brand or reply to the bot.
        fake.customer_message(ANNA, "Всем привет, какие тарифы у соседей?", chat_id=GROUP)
        mention = fake.customer_message(ANNA, "Волна, какие у вас тарифы?", chat_id=GROUP)
        await wait_until(lambda: fake.sent(GROUP), what="the group answer")
        answer = fake.sent(GROUP)[0]
        assert answer.params["reply_parameters"]["message_id"] == mention["message_id"]
        fake.customer_message(ANNA, "А как оплатить?", chat_id=GROUP, reply_to=answer.result)
        await wait_until(lambda: len(fake.sent(GROUP)) == 2, what="the answer to a reply to the bot")
        texts = [m.text for m in await stored_in(storage, "61")]
        assert texts == ["Волна, какие у вас тарифы?", "А как оплатить?"]

        # /start opens the private chat with a welcome and is not a question.
        fake.customer_message(EVA, "/start support")
        await wait_until(lambda: fake.texts(65), what="the welcome")
        assert fake.texts(65) == ["Hello! Write your question and we'll answer here."]
        assert await stored_in(storage, "65") == []

        # A sticker is stored with its kind and read as its emoji: an angry one is an unhappy customer for a
        # person (it was handed off as an attachment to look at, and a 👍 one too); a later photo is mirrored into
        # the topic.
        fake.customer_message(BORIS, None, sticker={"file_id": "STK", "file_unique_id": "uSTK", "type": "regular",
                                                    "width": 512, "height": 512, "is_animated": False,
                                                    "is_video": False, "emoji": "😡"})
        await wait_until(lambda: fake.called("createForumTopic"), what="the sticker's topic")
        sticker = (await stored_in(storage, "62"))[0]
        assert (sticker.kind, sticker.text, sticker.action, sticker.reason) == ("sticker", "😡", "handoff",
                                                                               "strong_negative")
        topic = fake.called("createForumTopic")[0].result["message_thread_id"]
        fake.customer_message(BORIS, None, caption="Вот фото роутера",
                              photo=[{"file_id": "PH", "file_unique_id": "uPH", "width": 100, "height": 100}])
        await wait_until(lambda: fake.called("copyMessage", chat_id=FORUM, message_thread_id=topic), what="mirror")
        await wait_until(lambda: any("Вот фото роутера" in t for t in fake.texts(FORUM, thread=topic)))
        photo = (await stored_in(storage, "62"))[1]
        assert photo.kind == "photo" and photo.text == "Вот фото роутера" and photo.reason == "human_owns_thread"

        fake.customer_message(EVA, None, sticker={"file_id": "STK2", "file_unique_id": "uSTK2", "type": "regular",
                                                  "width": 512, "height": 512, "is_animated": False,
                                                  "is_video": False, "emoji": "👍"})
        await wait_until(lambda: fake.texts(65)[1:], what="the 👍 sticker acknowledged")
        assert fake.texts(65)[1] in TEXTS["acknowledgement"]["en"]
        assert len(fake.called("createForumTopic")) == 1  # nobody is called for it
        # A shared contact is the customer's phone, as if typed: a person checks it (it was "an attachment")
        fedor = user(66, "Фёдор")
        fake.customer_message(fedor, None, contact={"phone_number": "+79123456789", "first_name": "Фёдор",
                                                    "user_id": 66})
        await wait_until(lambda: len(fake.called("createForumTopic")) == 2, what="the contact's topic")
        [shared] = await stored_in(storage, "66")
        assert (shared.kind, shared.text, shared.action, shared.reason) == ("other", "+79123456789", "handoff",
                                                                           "details_given")
        assert fake.texts(66)[0] in {t.format(eta="часа") for t in TEXTS["details_received"]["ru"]}

        # Edits update the stored text.
        original = fake.customer_message(CLARA, "Как оплатить интернет?")
        await wait_until(lambda: fake.texts(63), what="Clara's answer")
        fake.edit_by_customer(original, "Как оплатить интернет картой?")
        await wait_until(lambda: [m for m in fake.updates if "edited_message" in m] == [], what="edit read")
        await wait_until(lambda: _first_text_is(storage, "63", "Как оплатить интернет картой?"), what="edit stored")

        # A personal-data question in public comments gets the private-chat deep link.
        root = fake.channel_post(CHANNEL, DISCUSSION, "Расширяем сеть!")
        fake.customer_message(DMITRY, "Где моя заявка на подключение?", chat_id=DISCUSSION, reply_to=root)
        await wait_until(lambda: fake.sent(DISCUSSION), what="the invite")
        assert "https://t.me/volna_support_bot?start=support" in fake.texts(DISCUSSION)[0]

        # Storing fails once: the update is not confirmed, it is read again and stored exactly once.
        real_submit = app.pipeline.submit
        failures = [1]

        async def flaky_submit(msg: Any) -> Any:
            if failures:
                failures.pop()
                raise OSError("disk full")
            return await real_submit(msg)

        monkeypatch.setattr(app.pipeline, "submit", flaky_submit)
        flaky = fake.customer_message(CLARA, "Какие у вас тарифы?")
        await wait_until(lambda: len(fake.texts(63)) == 2, what="the answer after the storage failure")
        assert not failures
        # Telegram redelivers a message (e.g. the offset was lost in a crash): dedupe keeps it single.
        fake.push_update(message=flaky)
        last = fake.push_update(message=fake.message(63, original["message_id"]))
        await wait_until(lambda: _state_is(storage, str(last["update_id"] + 1)), what="the offset")
        assert [m.text for m in await stored_in(storage, "63")] == ["Как оплатить интернет картой?",
                                                                     "Какие у вас тарифы?"]
        assert await count_is(storage, 2, "outbox", "chat_id = '63'")
        assert len(fake.texts(63)) == 2
        assert not fake.sent(GROUP)[2:]  # the unaddressed group message never got an answer


async def _first_text_is(storage: Any, customer: str, text: str) -> bool:
    stored = await stored_in(storage, customer)
    return bool(stored) and stored[0].text == text


async def _state_is(storage: Any, value: str) -> bool:
    return bool(await storage.get_state("telegram:volna:offset") == value)


async def test_a_failed_mirror_is_posted_later_once_and_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    """Telegram fails while a customer's message is mirrored into the topic: the recovery posts it later,
    before the next message, and nothing is shown twice (also not the messages the card already shows)."""
    monkeypatch.setattr(runtime_module, "RECOVERY_SECONDS", 0.3)
    monkeypatch.setattr(runtime_module, "RECOVERY_MIN_AGE", 0.0)
    async with polling_bot(tmp_path, monkeypatch) as (fake, app):
        fake.customer_message(BORIS, "Позовите оператора! Хочу пожаловаться на сотрудника!")
        await wait_until(lambda: [c for c in fake.sent(FORUM) if c.params.get("reply_markup")], what="the card")
        topic = fake.called("createForumTopic")[0].result["message_thread_id"]

        fake.fail_next("sendMessage", chat_id=FORUM, times=1, code=500, description="Internal Server Error")
        fake.customer_message(BORIS, "Первое: жду мастера с утра")
        await wait_until(lambda: [c for c in fake.called("sendMessage", chat_id=FORUM) if c.error_code == 500],
                         what="the failed mirror")
        fake.customer_message(BORIS, "Второе: никто не пришёл")
        await wait_until(lambda: any("Второе" in t for t in fake.texts(FORUM, thread=topic)), what="the mirrors")
        await asyncio.sleep(1.0)  # a few more recovery rounds post nothing again
        mirrors = [t for t in fake.texts(FORUM, thread=topic) if t.startswith("👤")]
        assert mirrors == ["👤 Борис: Первое: жду мастера с утра", "👤 Борис: Второе: никто не пришёл"]
        conversation = await app.storage.customer_conversation("volna", Platform.TELEGRAM, "62")
        assert conversation is not None and await app.storage.unmirrored(conversation.id) == []


async def test_a_question_the_base_answers_is_answered_while_the_thread_waits_for_a_person(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A customer waiting for a person asks something new the base answers: the bot answers it at once, the thread
    still waits for the person, and the topic shows the question and what the bot said."""
    async with polling_bot(tmp_path, monkeypatch) as (fake, app):
        fake.customer_message(BORIS, "Позовите оператора, хочу поговорить с человеком")
        await wait_until(lambda: [c for c in fake.sent(FORUM) if c.params.get("reply_markup")], what="the card")
        topic = fake.called("createForumTopic")[0].result["message_thread_id"]
        fake.customer_message(BORIS, "А пока скажите, как оплатить картой?")
        await wait_until(lambda: len(fake.texts(62)) == 2, what="the answer while waiting")
        conversation = await app.storage.customer_conversation("volna", Platform.TELEGRAM, "62")
        assert conversation is not None
        assert str(await app.storage.last_reply_key(conversation.id)).startswith("payment_methods:ru:private:")
        await wait_until(lambda: any(t.startswith("🤖") for t in fake.texts(FORUM, thread=topic)), what="the topic")
        shown = fake.texts(FORUM, thread=topic)
        assert "👤 Борис: А пока скажите, как оплатить картой?" in shown
        topic_name = app.pipeline.brands["volna"].matcher.base.entry("payment_methods").topic_in("ru")
        assert f"🤖 Бот ответил по базе ({topic_name}): {fake.texts(62)[1]}" in shown
        conversation = await app.storage.conversation(conversation.id, "volna")
        assert conversation.state is ConversationState.WAITING_FOR_MODERATOR
        handoff = await app.storage.open_handoff(conversation.id)
        assert handoff is not None and handoff.first_reply_at is None  # the bot's answer is no person's
        # the card tells what the person is to answer: the request handed over, not the question the bot answered
        card = await ModeratorDesk(app.storage, "volna").card(conversation)
        assert card.last_intent == "human_request"


async def test_a_solved_public_case_reaches_the_groups_members(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """`run` measures the reach of a complaint solved in a group: the group's members (the Bot API tells no
    views); a failed lookup is asked again on the next round; a private thread has no reach."""
    monkeypatch.setattr(reach_module, "CHECK_SECONDS", 0.2)
    async with polling_bot(tmp_path, monkeypatch) as (fake, app):
        storage = app.storage
        fake.member_counts[GROUP] = 5400
        fake.customer_message(ANNA, "Волна, позовите оператора! Хочу пожаловаться на сотрудника!", chat_id=GROUP)
        fake.customer_message(BORIS, "Позовите оператора! Хочу пожаловаться на сотрудника!")
        public = await wait_until(lambda: _waiting(storage, "61"), what="the public handoff")
        private = await wait_until(lambda: _waiting(storage, "62"), what="the private handoff")
        fake.fail_next("getChatMemberCount", chat_id=GROUP, code=500, description="Internal Server Error")
        desk = ModeratorDesk(storage, "volna")
        for conversation in (public, private):
            await desk.resolve(conversation.id, "maria")
        await wait_until(lambda: _reach_of(storage, public.id), what="the reach measured")
        assert await _reach_of(storage, public.id) == (5400, "members")
        assert [c.ok for c in fake.called("getChatMemberCount", chat_id=GROUP)][:2] == [False, True]
        assert await _reach_of(storage, private.id) is None  # a private chat has no audience
        stats = await brand_stats(storage, "volna")
        assert (stats.resolved_public, stats.resolved_public_reach, stats.resolved_public_unmeasured) == (1, 5400, 0)


async def _waiting(storage: Any, customer: str) -> Any:
    conversation = await storage.customer_conversation("volna", Platform.TELEGRAM, customer)
    return conversation if conversation is not None and conversation.state == "waiting_for_moderator" else None


async def _reach_of(storage: Any, conversation_id: int) -> tuple[Any, Any] | None:
    rows = await storage.fetch("SELECT reach, reach_kind FROM handoffs WHERE conversation_id = ?"
                               " AND outcome = 'resolve' AND reach IS NOT NULL", (conversation_id,))
    return rows[0] if rows else None


async def test_a_moderators_reply_that_accuses_the_customer_is_held_back_until_sent_on_purpose(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Practitioners' rule, for people too: never accuse a customer of lying. The topic says why the reply was
    not sent; /send sends it as it is."""
    async with polling_bot(tmp_path, monkeypatch) as (fake, app):
        fake.customer_message(CLARA, "Позовите оператора! Деньги списали дважды, хочу пожаловаться!")
        card = await wait_until(lambda: [c for c in fake.sent(FORUM) if c.params.get("reply_markup")],
                                what="the card")
        topic = card[0].params["message_thread_id"]
        before = len(fake.texts(63))
        fake.customer_message(MODERATOR, "Вы врёте, списание было одно.", chat_id=FORUM, thread_id=topic)
        await wait_until(lambda: any("Не отправлено" in t for t in fake.texts(FORUM, thread=topic)),
                         what="the notice in the topic")
        assert any("«вы врете»" in t for t in fake.texts(FORUM, thread=topic))
        fake.customer_message(MODERATOR, "Это не ваша вина: списание было одно, второе вернётся в течение дня.",
                              chat_id=FORUM, thread_id=topic)
        await wait_until(lambda: len(fake.texts(63)) == before + 1, what="the kind reply")
        fake.customer_message(MODERATOR, "/send Вы сами виноваты, что не проверили выписку.", chat_id=FORUM,
                              thread_id=topic)
        await wait_until(lambda: len(fake.texts(63)) == before + 2, what="the reply sent on purpose")
        assert fake.texts(63)[before:] == ["Это не ваша вина: списание было одно, второе вернётся в течение дня.",
                                           "Вы сами виноваты, что не проверили выписку."]
        conversation = await app.storage.customer_conversation("volna", Platform.TELEGRAM, "63")
        assert conversation is not None
        sent = [m.text for m in await app.storage.history(conversation.id) if m.author == "moderator"]
        assert all("врёте" not in t for t in sent)


async def test_a_malformed_update_is_skipped_and_the_others_of_its_batch_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """aiogram reads a getUpdates answer as a whole: one update it cannot read failed the whole batch at the same
    offset, again and again, and stopped the brand's polling. Now it is logged and passed over."""
    async with polling_bot(tmp_path, monkeypatch) as (fake, app):
        fake.push_update(message={"message_id": "first", "chat": 62, "text": "?"})
        fake.customer_message(ANNA, "Как оплатить интернет?")
        await wait_until(lambda: fake.texts(61), what="the answer to the message after it")
        assert "malformed update" in caplog.text
        await wait_until(lambda: not fake.updates, what="both confirmed")
        assert [m.text for m in await stored_in(app.storage, "61")] == ["Как оплатить интернет?"]
