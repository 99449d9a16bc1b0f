"""Telegram's sending limits: about 1 message/s per chat, 20/min per group, 30/s overall.

Short waits are slept through (order is kept, nothing is dropped); a long wait is returned to the
caller, which defers the message (the outbox retries it) instead of stalling every other chat.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    per_chat_interval: float = 1.0
    group_per_minute: int = 20
    global_per_second: int = 30


class RateLimiter:
    def __init__(self, limits: Limits | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits or Limits()
        self._clock = clock
        self._last: dict[int | str, float] = {}
        self._group: dict[int | str, deque[float]] = {}
        self._global: deque[float] = deque()
        self._blocked: dict[int | str, float] = {}
        self._lock = asyncio.Lock()

    def block(self, chat_id: int | str, seconds: float) -> None:
        """Telegram said 429 for this chat: nothing goes there before the time is up."""
        until = self._clock() + seconds
        self._blocked[chat_id] = max(self._blocked.get(chat_id, 0.0), until)

    def blocked_for(self, chat_id: int | str) -> float:
        return max(0.0, self._blocked.get(chat_id, 0.0) - self._clock())

    def _next_slot(self, chat_id: int | str, now: float) -> float:
        """The chat's earliest free sending moment (slots already handed out are taken)."""
        slot = max(now, self._blocked.get(chat_id, 0.0))
        last = self._last.get(chat_id)
        if last is not None:
            slot = max(slot, last + self.limits.per_chat_interval)
        if _is_group(chat_id):
            window = self._group.setdefault(chat_id, deque())
            while len(window) > self.limits.group_per_minute:
                window.popleft()
            if len(window) >= self.limits.group_per_minute:
                slot = max(slot, window[-self.limits.group_per_minute] + 60.0)
        return slot

    def _global_wait(self, now: float) -> float:
        while self._global and self._global[0] <= now - 1.0:
            self._global.popleft()
        if len(self._global) >= self.limits.global_per_second:
            return self._global[0] + 1.0 - now
        return 0.0

    async def acquire(self, chat_id: int | str, max_wait: float = float("inf")) -> float:
        """Wait for a sending slot; returns 0 when taken, else the (longer than max_wait) time to wait.

        A chat's slots go in the order they are asked for: a message queued first is sent first (the
        card of a new forum topic before the notes posted under it), never overtaken by one asked for later
        that happened to wake up first.
        """
        while True:
            async with self._lock:
                now = self._clock()
                slot = self._next_slot(chat_id, now)
                wait = max(slot - now, self._global_wait(now))
                if wait > max_wait:
                    return wait
                self._last[chat_id] = slot
                if _is_group(chat_id):
                    self._group[chat_id].append(slot)
            if slot > now:
                await asyncio.sleep(slot - now)
            if self.blocked_for(chat_id) <= 0:  # else a 429 came while waiting: queue again behind it
                break
        while True:  # the overall limit: a short wait, order across chats does not matter
            async with self._lock:
                now = self._clock()
                wait = self._global_wait(now)
                if wait <= 0:
                    self._global.append(now)
                    return 0.0
            await asyncio.sleep(wait)


def _is_group(chat_id: int | str) -> bool:
    return str(chat_id).startswith("-")
