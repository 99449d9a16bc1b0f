"""Erasing a customer's moderators' topic from the brand's Telegram forum (`smm-responder forget`): the topic
mirrors their messages, so a request to delete their personal data reaches it too."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.exceptions import TelegramAPIError

from bot.config import TelegramSettings


async def delete_forum_topic(settings: TelegramSettings | None, chat_id: str, topic_id: str) -> str:
    """Delete the topic with the brand's bot; returns what happened ("deleted", or why not) for the report."""
    token = settings.token() if settings else None
    if settings is None or not token:
        return "not deleted: the brand's Telegram token is not set; delete the topic in the forum"
    if str(settings.moderator_chat) != chat_id:
        return "not deleted: the topic is in another chat than the brand's moderator_chat; delete it there"
    api = TelegramAPIServer.from_base(settings.api_server) if settings.api_server else PRODUCTION
    bot = Bot(token, session=AiohttpSession(api=api))
    try:
        await bot.delete_forum_topic(int(chat_id), int(topic_id))
    except TelegramAPIError as exc:
        return f"not deleted: {exc.message}; delete the topic in the forum"
    finally:
        await bot.session.close()
    return "deleted"
