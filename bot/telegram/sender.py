"""The Telegram outbox sender: answers, handoff notices, moderators' replies, rating questions, hiding.

Implements bot.outbox.Sender. Telegram's limits are kept by a queue (short waits are slept through,
long ones defer the item); 429 becomes RetryLater(retry_after) and holds the whole chat back so the
customer reads replies in order; a blocked bot (403) or a vanished chat becomes Undeliverable. A reply to a
customer who wrote to a Telegram Business account goes out through that account's connection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters

from bot.outbox import RetryLater, Undeliverable
from bot.storage import OutboxItem, Storage
from bot.telegram.convert import chunks
from bot.telegram.limits import RateLimiter
from handlers.types import Platform

log = logging.getLogger(__name__)

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
RATING_PREFIX = "rate"
# Waiting longer than this inside one delivery would stall every other chat: defer the item instead.
MAX_INLINE_WAIT = 2.0
# After a 429 the chat's later items wait a bit longer than the one that got it, keeping their order.
ORDER_MARGIN = 0.5

_UNREACHABLE = ("chat not found", "user is deactivated", "bot was kicked", "not enough rights to send",
                "have no rights to send", "peer_id_invalid", "user not found")


def rating_data(conversation_id: int, code: str) -> str:
    return f"{RATING_PREFIX}:{conversation_id}:{code}"


def parse_rating_data(data: str) -> tuple[int, str] | None:
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != RATING_PREFIX or not parts[1].isdigit():
        return None
    return int(parts[1]), parts[2]


def _is_group(chat_id: str) -> bool:
    return chat_id.startswith("-")


class TelegramSender:
    """Delivers every brand's Telegram outbox items with that brand's bot."""

    platform = Platform.TELEGRAM

    def __init__(self, storage: Storage | None = None) -> None:
        self.storage = storage
        self.bots: dict[str, Bot] = {}
        self.limiters: dict[str, RateLimiter] = {}
        self._progress: dict[int, int] = {}  # outbox id -> chunks already sent (long texts)
        self._in_flight = 0
        self._last_sent: int | None = None
        self.closing = False

    def add_brand(self, brand: str, bot: Bot, limiter: RateLimiter) -> None:
        self.bots[brand] = bot
        self.limiters[brand] = limiter

    async def deliver(self, item: OutboxItem) -> str | None:
        if self.closing:
            raise RetryLater("shutting down", 0.0)
        bot = self.bots.get(item.brand)
        if bot is None:
            raise RetryLater(f"brand {item.brand!r} has no Telegram bot running")
        limiter = self.limiters[item.brand]
        blocked = limiter.blocked_for(item.chat_id)
        if blocked > 0:
            raise RetryLater(f"chat {item.chat_id} is rate limited", blocked + ORDER_MARGIN)
        self._in_flight += 1
        try:
            wait = await limiter.acquire(item.chat_id, MAX_INLINE_WAIT)
            if wait > 0:
                raise RetryLater(f"sending limit for chat {item.chat_id}", wait)
            try:
                result = await self._send(bot, limiter, item)
            except TelegramRetryAfter as exc:
                limiter.block(item.chat_id, float(exc.retry_after))
                raise RetryLater(f"429: {exc.message}", float(exc.retry_after)) from exc
            except TelegramForbiddenError as exc:
                raise Undeliverable(f"403: {exc.message}", unreachable=True) from exc
            except (TelegramBadRequest, TelegramNotFound) as exc:
                text = exc.message.lower()
                unreachable = any(marker in text for marker in _UNREACHABLE)
                raise Undeliverable(f"400: {exc.message}", unreachable=unreachable) from exc
            except (TelegramNetworkError, TelegramServerError) as exc:
                raise RetryLater(f"{type(exc).__name__}: {exc.message}") from exc
            self._progress.pop(item.id, None)
            self._last_sent = item.id
            return result
        finally:
            self._in_flight -= 1

    async def drain(self, timeout: float = 10.0) -> None:
        """Before stopping: send nothing new and let the delivery under way be recorded as sent."""
        self.closing = True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._in_flight and loop.time() < deadline:
            await asyncio.sleep(0.02)
        if self.storage is not None and self._last_sent is not None:
            while loop.time() < deadline and await self._pending(self._last_sent):
                await asyncio.sleep(0.02)

    async def _pending(self, outbox_id: int) -> bool:
        assert self.storage is not None
        try:
            return await self.storage.outbox_status(outbox_id) == "pending"
        except KeyError:  # erased meanwhile: the customer asked to forget them (`smm-responder forget`)
            return False

    # -- one item ------------------------------------------------------------------------

    async def _send(self, bot: Bot, limiter: RateLimiter, item: OutboxItem) -> str | None:
        chat = item.chat_id
        if item.kind == "hide":
            if not item.reply_to:
                return None
            try:
                await bot.delete_message(chat, int(item.reply_to))
            except TelegramBadRequest as exc:
                if "not found" not in exc.message.lower():
                    raise
            return None
        if item.kind == "restore":  # (never queued for Telegram: what a bot deletes there is gone)
            raise Undeliverable("Telegram cannot restore a deleted message", unreachable=False)
        markup = None
        if item.kind == "rating":
            markup = InlineKeyboardMarkup(inline_keyboard=[[
                InlineKeyboardButton(text=str(label), callback_data=rating_data(item.conversation_id, str(code)))
                for code, label in item.extra.get("buttons", [])
            ]])
        business = item.business_connection or None
        media = str(item.extra.get("media") or "")
        file_id = str(item.extra.get("telegram_file_id") or "")
        if media in ("photo", "document") and file_id:
            return await self._send_media(bot, limiter, item, media, file_id, business)
        parts = list(chunks(item.text, TEXT_LIMIT))
        message_id: str | None = None
        for index in range(self._progress.get(item.id, 0), len(parts)):
            if index > 0:
                await limiter.acquire(chat)
            text = parts[index]
            keyboard = markup if index == len(parts) - 1 else None

            async def send(reply: ReplyParameters | None, text: str = text,
                           keyboard: InlineKeyboardMarkup | None = keyboard) -> Message:
                return await bot.send_message(chat, text, reply_parameters=reply, reply_markup=keyboard,
                                              business_connection_id=business)

            sent = await self._with_reply(item, send)
            message_id = str(sent.message_id)
            self._progress[item.id] = index + 1
        return message_id

    async def _send_media(self, bot: Bot, limiter: RateLimiter, item: OutboxItem, media: str, file_id: str,
                          business: str | None) -> str:
        chat = item.chat_id
        caption = item.text if len(item.text) <= CAPTION_LIMIT else None
        done = self._progress.get(item.id, 0)
        sent_id = ""
        if done == 0:
            if media == "photo":
                sent = await self._with_reply(item, lambda reply: bot.send_photo(
                    chat, file_id, caption=caption, reply_parameters=reply, business_connection_id=business))
            else:
                sent = await self._with_reply(item, lambda reply: bot.send_document(
                    chat, file_id, caption=caption, reply_parameters=reply, business_connection_id=business))
            sent_id = str(sent.message_id)
            self._progress[item.id] = 1
        if caption is None and item.text.strip():
            for index, part in enumerate(chunks(item.text, TEXT_LIMIT), start=1):
                if index < self._progress.get(item.id, 0):
                    continue
                await limiter.acquire(chat)
                sent_id = str((await bot.send_message(chat, part, business_connection_id=business)).message_id)
                self._progress[item.id] = index + 1
        return sent_id

    async def _with_reply(
        self, item: OutboxItem, send: Callable[[ReplyParameters | None], Awaitable[Message]]
    ) -> Message:
        """Send as a reply in groups and comment threads; if the customer's message is gone, reply to the
        thread's root (the channel post) so the answer stays in its comment thread."""
        if not _is_group(item.chat_id) or not item.reply_to:
            result: Message = await send(None)
            return result
        targets = [item.reply_to]
        if item.thread_id and item.thread_id != item.reply_to:
            targets.append(item.thread_id)
        for target in targets:
            try:
                result = await send(ReplyParameters(message_id=int(target), allow_sending_without_reply=False))
                return result
            except TelegramBadRequest as exc:
                if "replied" not in exc.message.lower() and "reply" not in exc.message.lower():
                    raise
                log.info("outbox %d: reply target %s is gone (%s)", item.id, target, exc.message)
        result = await send(None)
        return result
