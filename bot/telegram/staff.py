"""Who speaks for the brand in its public Telegram groups: the group's admins, the group itself (anonymous
admins) and the channel the group discusses (replies signed as the channel). A group is the brand's when its
bot administers it (as in the channel's discussion group, where it hides abuse); in anyone else's group the
bot was merely added to, its admins are people like any other. The brand's moderators (members of its
moderators' forum) speak for it there too.

Their messages are never a customer's, even when they name the brand; a reply of theirs to a customer's message
is a person's answer (the adapter records it as such). Answers are cached for a while: admins change rarely, and
a busy group must not cost an API call per message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.enums import ChatType
from aiogram.exceptions import AiogramError
from aiogram.types import Message

from bot.telegram.members import Memberships

log = logging.getLogger(__name__)

STAFF_TTL = 600.0  # seconds a group's admin list and linked channel are trusted
ADMIN_STATUSES = {"creator", "administrator"}


class GroupStaff:
    def __init__(self, bot: Bot, ttl: float = STAFF_TTL,
                 is_moderator: Callable[[int], Awaitable[bool]] | None = None) -> None:
        """`is_moderator`: whether a user belongs to the brand's moderators (bot.telegram.forum.ForumDesk)."""
        self.bot = bot
        self.ttl = ttl
        self.is_moderator = is_moderator
        self._members = Memberships(bot.get_chat_member, ttl)
        self._channels: dict[int, tuple[int | None, float]] = {}

    async def speaks_for_brand(self, message: Message) -> bool:
        """A group message written by the brand's people (not an automatic forward of a channel post)."""
        chat = message.chat
        if chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP) or message.is_automatic_forward:
            return False
        if not await self._is_admin(chat.id, self.bot.id):
            return False  # not the brand's group
        sender = message.sender_chat
        if sender is not None:
            return sender.id == chat.id or sender.id == await self._linked_channel(chat.id)
        user = message.from_user
        if user is None or user.is_bot:
            return False
        if await self._is_admin(chat.id, user.id):
            return True
        return self.is_moderator is not None and await self.is_moderator(user.id)

    async def administers(self, chat_id: int) -> bool:
        """Whether the bot is an administrator of a group: the brand's own group (its discussion group, its
        community chat), whose spam is the brand's to hide."""
        return await self._is_admin(chat_id, self.bot.id)

    def forget_bot(self, chat_id: int) -> None:
        """Telegram told the bot its rights in the group changed: whether the group is the brand's is asked anew."""
        self._members.forget(chat_id, self.bot.id)

    async def _is_admin(self, chat_id: int, user_id: int) -> bool:
        """(Telegram unable to tell: not an admin, and the message is read as a customer's.)"""
        return await self._members.status(chat_id, user_id) in ADMIN_STATUSES

    async def _linked_channel(self, chat_id: int) -> int | None:
        now = time.monotonic()
        cached = self._channels.get(chat_id)
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            chat = await self.bot.get_chat(chat_id)
        except AiogramError as exc:
            log.warning("getChat(%s) failed: %s", chat_id, exc)
            return None
        self._channels[chat_id] = (chat.linked_chat_id, now + self.ttl)
        return chat.linked_chat_id
