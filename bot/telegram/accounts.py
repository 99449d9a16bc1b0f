"""What Telegram shows a bot of a customer's account, kept as directed-negative evidence.

Practitioners: paid accounts are empty ones. A moderator checking a wave of alike comments by hand looks at each
author's profile; the campaign topic shows them what it looked like (bot.telegram.forum_alerts), as it does
for VK (`bot.vk.client.profile_of`). Telegram tells a bot little: whether the account has a @username (in every
message) and whether it shows the bot a profile photo (getUserProfilePhotos; a person may hide theirs from
strangers, so "no photo visible", not "no photo"). Asked once per author and process, for public comments only
(where waves come), before the comment is handed on, so the campaign topic has it; a lookup that fails or takes
over CHECK_SECONDS is skipped, never holding the comment up longer.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import User

from bot.storage import Storage
from handlers.types import Platform

log = logging.getLogger(__name__)

CHECK_SECONDS = 2.0
REMEMBERED = 10_000  # authors checked, per brand and process


def profile_of(user: User, photos: int) -> dict[str, Any]:
    """What an account shows: a @username or not, and how many profile photos the bot can see."""
    return {"username": bool(user.username), "photo_visible": photos > 0}


class AccountChecks:
    """One brand's bot looking at its public commenters' accounts."""

    def __init__(self, bot: Bot, storage: Storage, brand: str) -> None:
        self.bot = bot
        self.storage = storage
        self.brand = brand
        self._checked: OrderedDict[int, None] = OrderedDict()

    async def check(self, user: User) -> None:
        """Store what the user's account shows, unless this process did already; never raises."""
        if user.is_bot or user.id in self._checked:
            return
        self._checked[user.id] = None
        if len(self._checked) > REMEMBERED:
            self._checked.popitem(last=False)
        try:
            photos = await asyncio.wait_for(self.bot.get_user_profile_photos(user.id, limit=1), CHECK_SECONDS)
        except (TelegramAPIError, TimeoutError, OSError) as exc:
            log.info("brand %s: no profile of Telegram user %d: %s", self.brand, user.id, exc)
            return
        await self.storage.save_account(self.brand, Platform.TELEGRAM, str(user.id),
                                        profile_of(user, photos.total_count))
