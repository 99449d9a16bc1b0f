"""A brand's moderators' forum supergroup as somewhere to post: rate-limited Telegram calls (429s waited out,
never dropped), its General topic and its topics, and moments and places as the moderators read them."""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message, ReplyParameters

from bot.permalinks import permalink
from bot.telegram.limits import RateLimiter
from handlers.support_hours import local_moment
from handlers.texts import label

log = logging.getLogger(__name__)

T = TypeVar("T")
DESK_PREFIX = "fd"  # of the forum's buttons' callback data: "fd:<action>:<id>"


def desk_data(action: str, target_id: int) -> str:
    """A forum button's callback data: an action on a thread (by conversation id) or a message (by its id)."""
    return f"{DESK_PREFIX}:{action}:{target_id}"


def thread_gone(exc: TelegramBadRequest) -> bool:
    """Whether Telegram refused because the topic no longer exists (a moderator deleted it)."""
    text = exc.message.lower()
    return "thread not found" in text or "topic_deleted" in text or "topic not found" in text


class ForumChat:
    """One brand's forum: where its moderators read, in their language and on the brand's clock."""

    def __init__(self, bot: Bot, chat_id: int, limiter: RateLimiter, language: str = "en",
                 timezone: str = "UTC") -> None:
        self.bot = bot
        self.chat_id = chat_id
        self.limiter = limiter
        self.language = language
        self.zone = ZoneInfo(timezone)

    def t(self, key: str, **values: str) -> str:
        return label(key, self.language).format(**values)

    def moment(self, moment: datetime | str) -> str:
        """A moment as the brand's moderators read it: "2026-12-07 10:00 (UTC+3)"."""
        return local_moment(moment, self.zone)

    async def call(self, make: Callable[[], Awaitable[T]]) -> T:
        """A Telegram call within the chat's rate limit; a 429 is waited out and the call made again."""
        for _ in range(10):
            await self.limiter.acquire(self.chat_id)
            try:
                return await make()
            except TelegramRetryAfter as exc:
                log.warning("forum %s: 429, waiting %ss", self.chat_id, exc.retry_after)
                self.limiter.block(self.chat_id, float(exc.retry_after))
                await asyncio.sleep(float(exc.retry_after))
        return await make()

    async def send_general(self, text: str) -> Message:
        """Plain text into the forum's General topic (what concerns the whole brand, not one thread)."""
        return await self.call(lambda: self.bot.send_message(self.chat_id, text))

    async def send_general_file(self, name: str, content: bytes, caption: str,
                                markup: InlineKeyboardMarkup | None = None) -> Message:
        """A file into the General topic, with a caption (plain text) and buttons, if any."""
        return await self.call(lambda: self.bot.send_document(self.chat_id, BufferedInputFile(content, name),
                                                              caption=caption, reply_markup=markup))

    async def send_topic_file(self, topic_id: str, name: str, content: bytes, caption: str) -> Message:
        """A file into a topic, with a caption (plain text)."""
        return await self.call(lambda: self.bot.send_document(self.chat_id, BufferedInputFile(content, name),
                                                              message_thread_id=int(topic_id), caption=caption))

    async def send_to_topic(self, topic_id: str, text: str, markup: InlineKeyboardMarkup | None = None,
                            *, as_html: bool = True, reply_to: int | None = None) -> Message:
        """`reply_to`: a post of the topic this one answers (sent all the same if it was deleted)."""
        reply = ReplyParameters(message_id=reply_to, allow_sending_without_reply=True) if reply_to else None
        return await self.call(lambda: self.bot.send_message(
            self.chat_id, text, message_thread_id=int(topic_id), reply_markup=markup,
            parse_mode="HTML" if as_html else None, reply_parameters=reply,
        ))

    def where(self, platform: str, chat_id: str, message_id: str | None, thread_id: str | None,
              public: bool) -> str:
        """Where a customer wrote, as HTML: private messages, or the comment thread / group linked to the
        message itself where the platform has an address for it."""
        e = html.escape
        if not public:
            return self.t("where_private")
        where = (f"{self.t('where_comment')} {e(thread_id)}" if thread_id
                 else f"{self.t('where_group')} {e(chat_id)}")
        link = permalink(platform, chat_id, message_id, thread_id)
        return f'<a href="{e(link)}">{where}</a>' if link else where
