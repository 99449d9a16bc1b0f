"""`smm-responder check --online`, Telegram's part: asks Telegram what the brand's bot can do before it starts.

A token revoked in @BotFather, a bot never added to the moderators' forum (or added without the right to open
topics), a `bot_username` copied from another brand, a webhook Telegram cannot deliver to: each is found at the
first customer's message otherwise. Only reading methods are called (getMe, getChat, getChatMember,
getWebhookInfo): nothing is sent, nothing is changed.
"""

from __future__ import annotations

import time

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.exceptions import AiogramError, TelegramUnauthorizedError
from aiogram.types import ChatMemberBanned, ChatMemberLeft

from bot.config import TelegramSettings
from bot.preflight import Finding
from bot.telegram.chat_rights import forum_state

TIMEOUT = 20  # seconds for each call: a check that hangs on an unreachable server helps nobody
RECENT_ERROR = 24 * 3600  # a webhook delivery error older than this is history, not a problem now


async def telegram_findings(brand: str, settings: TelegramSettings, agency_chat: int | None = None) -> list[Finding]:
    """What Telegram says of the brand's bot: its token, `bot_username`, the moderators' forum and the bot's rights
    there, the webhook's last delivery error, whether the bot is in the company's chat (`company_chat`) and
    (`agency_chat`: this bot posts the agency's overview) in the agency's. Nothing when the token is not set (the
    offline check says so)."""
    token = settings.token()
    if not token:
        return []
    name = f"brand {brand}"
    api = TelegramAPIServer.from_base(settings.api_server) if settings.api_server else PRODUCTION
    bot = Bot(token, session=AiohttpSession(api=api, timeout=TIMEOUT))
    try:
        try:
            me = await bot.get_me()
        except TelegramUnauthorizedError:
            return [Finding(False, f"{name}: Telegram rejects the token in ${settings.token_env} (revoked or "
                                   "mistyped): take the bot's current token from @BotFather")]
        except AiogramError as exc:
            return [Finding(False, f"{name}: Telegram could not be asked about the bot: {exc}")]
        found = [Finding(True, f"{name}: Telegram accepts the token: the bot @{me.username}")]
        wanted = (settings.bot_username or "").lstrip("@")
        if wanted and wanted.casefold() != (me.username or "").casefold():
            found.append(Finding(False, f"{name}: bot_username is @{wanted} but the token is @{me.username}'s: "
                                        "customers' mentions of the bot would not be recognised"))
        if settings.moderator_chat is not None:
            found += await _forum(bot, name, settings.moderator_chat)
        if settings.mode == "webhook":
            found += await _webhook(bot, name, settings.webhook_url)
        if settings.company_chat is not None:
            found.append(await _in_chat(bot, f"{name}: company chat {settings.company_chat}", "the bot",
                                        settings.company_chat, me.id))
        if agency_chat is not None:
            found.append(await _in_chat(bot, f"agency chat {agency_chat}", f"{name}'s bot", agency_chat, me.id))
        return found
    finally:
        await bot.session.close()


async def _forum(bot: Bot, name: str, chat_id: int) -> list[Finding]:
    where = f"{name}: moderators' forum {chat_id}"
    try:
        title, problems = await forum_state(bot, chat_id)
    except AiogramError as exc:
        return [Finding(False, f"{where}: the bot cannot see it ({exc}): add the bot to the group as an "
                               "administrator with Manage topics and Delete messages")]
    if not problems:
        return [Finding(True, f"{where} ({title}): topics on; the bot manages topics and deletes messages")]
    return [Finding(False, f"{where} ({title}): {problem}") for problem in problems]


async def _webhook(bot: Bot, name: str, url: str | None) -> list[Finding]:
    try:
        info = await bot.get_webhook_info()
    except AiogramError as exc:
        return [Finding(False, f"{name}: the webhook's state could not be read: {exc}")]
    if info.url != (url or ""):
        return [Finding(True, f"{name}: webhook {url} not set yet (the bot sets it when it starts)")]
    if info.last_error_date is not None and info.last_error_message:
        ago = time.time() - info.last_error_date.timestamp()
        if ago < RECENT_ERROR:
            return [Finding(False, f"{name}: Telegram's last delivery to the webhook {url} failed "
                                   f"{_minutes(ago)} ago: {info.last_error_message} ({info.pending_update_count} "
                                   "updates waiting)")]
    return [Finding(True, f"{name}: webhook {url} set; {info.pending_update_count} updates waiting")]


async def _in_chat(bot: Bot, where: str, who: str, chat_id: int, bot_id: int) -> Finding:
    """Whether the bot is a member of a chat it posts in (the agency's, the company's)."""
    try:
        chat = await bot.get_chat(chat_id)
        member = await bot.get_chat_member(chat_id, bot_id)
    except AiogramError as exc:
        return Finding(False, f"{where}: {who} cannot see it ({exc}): add the bot to the chat")
    if isinstance(member, (ChatMemberLeft, ChatMemberBanned)):
        return Finding(False, f"{where} ({chat.title}): {who} is not in it: add the bot to the chat")
    return Finding(True, f"{where} ({chat.title}): {who} is in it")


def _minutes(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} min" if minutes < 120 else f"{round(minutes / 60)} h"
