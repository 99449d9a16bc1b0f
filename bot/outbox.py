"""Delivering queued replies: every reply is delivered, retried later, or marked undeliverable; a bot's reply a
person's answer overtook is withdrawn (kept, marked, not sent)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import replace
from datetime import timedelta
from typing import Protocol

from bot.storage import OutboxItem, Storage
from handlers.texts import say
from handlers.types import Platform, utcnow

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300.0
# A bot's answer (or handoff notice) that goes out this long after the customer wrote (the platform was down or
# refusing, or the bot was not running) begins with an apology for the delay.
LATE_AFTER = timedelta(minutes=30)
LATE_KINDS = ("answer", "handoff")


class RetryLater(Exception):
    """The platform asked us to wait (429) or failed transiently."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Undeliverable(Exception):
    """The reply can never be delivered (the customer blocked the bot, the chat is gone)."""

    def __init__(self, message: str, *, unreachable: bool = True) -> None:
        super().__init__(message)
        self.unreachable = unreachable


class Sender(Protocol):
    platform: Platform

    async def deliver(self, item: OutboxItem) -> str | None:
        """Send one outbox item; return the platform's message id (if any)."""
        ...


def backoff_seconds(attempts: int) -> float:
    return min(MAX_BACKOFF_SECONDS, 2.0 ** min(attempts, 10))


class OutboxDispatcher:
    def __init__(self, storage: Storage, senders: dict[Platform, Sender], poll_seconds: float = 1.0,
                 rng: random.Random | None = None) -> None:
        self.storage = storage
        self.senders = senders
        self.poll_seconds = poll_seconds
        self.rng = rng or random.Random()
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def deliver_due(self, platform: Platform) -> int:
        """Try every due item of a platform once, in order; returns how many were sent."""
        sender = self.senders[platform]
        sent = 0
        deferred: set[str] = set()  # chats with an item put off in this pass: their later items wait too
        for item in await self.storage.due_outbox(platform):
            if item.chat_id in deferred:
                continue
            if item.superseded:
                log.info("outbox %d (%s) withdrawn: a person answered the thread first", item.id, item.kind)
                await self.storage.mark_withdrawn(item, "withdrawn: a person answered the thread first")
                continue
            item = self._apologising_if_late(item)
            try:
                platform_id = await sender.deliver(item)
            except RetryLater as exc:
                delay = exc.retry_after if exc.retry_after is not None else backoff_seconds(item.attempts)
                log.warning("outbox %d: retry in %.1fs: %s", item.id, delay, exc)
                await self.storage.mark_retry(item, str(exc), delay)
                deferred.add(item.chat_id)
                continue
            except Undeliverable as exc:
                log.warning("outbox %d undeliverable: %s", item.id, exc)
                await self.storage.mark_undeliverable(item, str(exc), unreachable=exc.unreachable)
                continue
            except Exception as exc:
                delay = backoff_seconds(item.attempts)
                log.exception("outbox %d: delivery failed, retry in %.0fs", item.id, delay)
                await self.storage.mark_retry(item, f"{type(exc).__name__}: {exc}", delay)
                deferred.add(item.chat_id)
                continue
            await self.storage.mark_sent(item, platform_id)
            sent += 1
        return sent

    def _apologising_if_late(self, item: OutboxItem) -> OutboxItem:
        """The item as it goes out: a bot's answer going out LATE_AFTER after the customer wrote begins with an
        apology for the delay in their language (the outbox keeps the text as decided; the history records what
        was sent)."""
        if item.kind not in LATE_KINDS or not item.text or item.waiting_since is None:
            return item
        if utcnow() - item.waiting_since < LATE_AFTER:
            return item
        return replace(item, text=f"{say('late_answer', item.language or 'en', self.rng)}\n\n{item.text}")

    async def run(self) -> None:
        while True:
            self._wake.clear()
            for platform in self.senders:
                try:
                    await self.deliver_due(platform)
                except Exception:
                    log.exception("outbox loop failed for %s", platform)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
