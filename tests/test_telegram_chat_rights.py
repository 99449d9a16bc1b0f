"""The bot's own rights in the moderators' forum and in the brand's groups: checked at start and whenever Telegram
says they changed. The real App and aiogram Bot against the fake Bot API over HTTP."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from handlers.types import Platform
from tests.fake_telegram import FakeTelegram, user
from tests.test_telegram_acceptance import (
    CHANNEL,
    CUSTOMER,
    DISCUSSION,
    FORUM,
    bot_administers_discussion,
    polling_bot,
    wait_until,
)

ADMIN = user(503, "Лена", "Админова")


def forum_without_topic_rights(fake: FakeTelegram) -> None:
    fake.set_member(FORUM, fake.bot_user["id"], "administrator", can_manage_topics=False)


def discussion_with_an_admin(fake: FakeTelegram) -> None:
    bot_administers_discussion(fake)
    fake.set_member(DISCUSSION, ADMIN["id"], "administrator")


async def test_a_forum_where_the_bot_cannot_open_topics_is_reported_at_start_and_when_rights_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Without Manage topics every handoff's card fails to find a place, and nobody but the bot is told: the log
    says what to give it, at start and when an admin takes a right away; given back, the next handoff opens its
    topic."""
    caplog.set_level(logging.INFO, logger="bot.telegram")
    async with polling_bot(tmp_path, monkeypatch, prepare=forum_without_topic_rights) as (fake, app):
        await wait_until(lambda: "the bot may not manage topics" in caplog.text, what="the check at start")
        assert f"moderators' forum {FORUM}" in caplog.text and "Delete messages" not in caplog.text

        fake.set_bot_member(FORUM, "administrator", can_manage_topics=True)
        await wait_until(lambda: "has every right it needs in the moderators' forum" in caplog.text,
                         what="the rights given back")
        fake.customer_message(CUSTOMER, "Позовите оператора, хочу поговорить с человеком")
        conversation = await wait_until(lambda: app.storage.customer_conversation("volna", Platform.TELEGRAM, "42"))
        await wait_until(lambda: app.storage.forum_topic(conversation.id), what="the handoff's topic")

        fake.set_bot_member(FORUM, "member")
        await wait_until(lambda: "the bot is not an administrator there" in caplog.text, what="the demotion")


async def test_the_bot_losing_its_rights_in_the_discussion_group_is_logged_and_its_admins_become_customers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A group is the brand's while its bot administers it: its admins speak for the brand there. Demoted, the bot
    no longer knows the group for the brand's at once (not after the 10-minute cache), and the log says that toxic
    comments there can no longer be hidden; removed, that the comments are no longer read."""
    admin_id = str(ADMIN["id"])
    async with polling_bot(tmp_path, monkeypatch, prepare=discussion_with_an_admin) as (fake, app):
        root = fake.channel_post(CHANNEL, DISCUSSION, "Новые тарифы уже доступны!")
        fake.customer_message(ADMIN, "Волна напоминает: тарифы в закреплённом посте.", chat_id=DISCUSSION,
                              reply_to=root)
        question = fake.customer_message(user(45, "Пётр"), "Какие у вас тарифы?", chat_id=DISCUSSION, reply_to=root)
        await wait_until(lambda: app.storage.customer_conversation("volna", Platform.TELEGRAM, "45"),
                         what="the customer after the admin")
        assert await app.storage.customer_conversation("volna", Platform.TELEGRAM, admin_id) is None

        fake.set_bot_member(DISCUSSION, "administrator", can_delete_messages=False)
        await wait_until(lambda: "may not delete messages in the group" in caplog.text, what="the lost right")
        fake.set_bot_member(DISCUSSION, "member")
        await wait_until(lambda: "is no longer an administrator of the group" in caplog.text, what="the demotion")
        fake.customer_message(ADMIN, "Волна, а когда подключат мой дом?", chat_id=DISCUSSION, reply_to=question)
        await wait_until(lambda: app.storage.customer_conversation("volna", Platform.TELEGRAM, admin_id),
                         what="the admin of a group that is not the brand's read as a customer")

        fake.set_bot_member(DISCUSSION, "left")
        await wait_until(lambda: "the bot was removed from the group" in caplog.text, what="the removal")
