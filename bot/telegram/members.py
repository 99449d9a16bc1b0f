"""Who is what in a Telegram chat (getChatMember), cached for a while: the forum asks whether someone is one of
the brand's moderators, the groups whether someone administers them, for many messages but rarely anew."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from aiogram.exceptions import AiogramError
from aiogram.types import ChatMemberUnion

log = logging.getLogger(__name__)

Fetch = Callable[[int, int], Awaitable[ChatMemberUnion]]  # (chat id, user id) -> the member


class Memberships:
    def __init__(self, fetch: Fetch, ttl: float) -> None:
        self.fetch = fetch
        self.ttl = ttl
        self._cache: dict[tuple[int, int], tuple[str, float]] = {}

    async def status(self, chat_id: int, user_id: int) -> str:
        """"creator", "administrator", "member" (a restricted member too), "left" or "kicked"; "left" when
        Telegram could not tell (logged, asked again next time)."""
        now = time.monotonic()
        cached = self._cache.get((chat_id, user_id))
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            member = await self.fetch(chat_id, user_id)
        except AiogramError as exc:
            log.warning("getChatMember(%s, %s) failed: %s", chat_id, user_id, exc)
            return "left"
        status = str(member.status.value if hasattr(member.status, "value") else member.status)
        if status == "restricted":
            status = "member" if getattr(member, "is_member", False) else "left"
        self._cache[(chat_id, user_id)] = (status, now + self.ttl)
        return status

    def forget(self, chat_id: int, user_id: int) -> None:
        """Someone's status changed: asked anew next time."""
        self._cache.pop((chat_id, user_id), None)
