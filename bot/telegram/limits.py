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

    def _needed(self, chat_id: int | str, now: float) -> float:
        wait = max(0.0, self._blocked.get(chat_id, 0.0) - now)
        last = self._last.get(chat_id)
        if last is not None:
            wait = max(wait, last + self.limits.per_chat_interval - now)
        if _is_group(chat_id):
            window = self._group.setdefault(chat_id, deque())
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) >= self.limits.group_per_minute:
                wait = max(wait, window[0] + 60.0 - now)
        while self._global and self._global[0] <= now - 1.0:
            self._global.popleft()
        if len(self._global) >= self.limits.global_per_second:
            wait = max(wait, self._global[0] + 1.0 - now)
        return wait

    async def acquire(self, chat_id: int | str, max_wait: float = float("inf")) -> float:
        """Wait for a sending slot; returns 0 when taken, else the (longer than max_wait) time to wait."""
        while True:
            async with self._lock:
                now = self._clock()
                wait = self._needed(chat_id, now)
                if wait <= 0:
                    self._last[chat_id] = now
                    if _is_group(chat_id):
                        self._group.setdefault(chat_id, deque()).append(now)
                    self._global.append(now)
                    return 0.0
            if wait > max_wait:
                return wait
            await asyncio.sleep(wait)


def _is_group(chat_id: int | str) -> bool:
    return str(chat_id).startswith("-")
