"""Erasing a customer's traces from the brand's Telegram forum (`smm-responder forget`): their moderators' topic
mirrors their messages, and campaign evidence and surge alerts quote them, so a request to delete their personal
data reaches those too."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.exceptions import TelegramAPIError

from bot.config import TelegramSettings


async def delete_forum_topic(settings: TelegramSettings | None, chat_id: str, topic_id: str) -> str:
    """Delete the topic with the brand's bot; returns what happened ("deleted", or why not) for the report."""
    return await _with_bot(settings, chat_id, "the topic",
                           lambda bot: bot.delete_forum_topic(int(chat_id), int(topic_id)))


async def delete_forum_posts(settings: TelegramSettings | None, posts: Sequence[tuple[str, str]]) -> list[str]:
    """Delete forum posts (chat id, message id) with the brand's bot; what happened to each, for the report."""
    done = []
    for chat_id, post_id in posts:

        def delete(bot: Bot, chat: int = int(chat_id), post: int = int(post_id)) -> Awaitable[object]:
            return bot.delete_message(chat, post)

        done.append(f"{chat_id}/{post_id}: " + await _with_bot(settings, chat_id, "the post", delete))
    return done


async def _with_bot(settings: TelegramSettings | None, chat_id: str, what: str,
                    call: Callable[[Bot], Awaitable[object]]) -> str:
    token = settings.token() if settings else None
    if settings is None or not token:
        return f"not deleted: the brand's Telegram token is not set; delete {what} in the forum"
    if str(settings.moderator_chat) != chat_id:
        return f"not deleted: {what} is in another chat than the brand's moderator_chat; delete it there"
    api = TelegramAPIServer.from_base(settings.api_server) if settings.api_server else PRODUCTION
    bot = Bot(token, session=AiohttpSession(api=api))
    try:
        await call(bot)
    except TelegramAPIError as exc:
        return f"not deleted: {exc.message}; delete {what} in the forum"
    finally:
        await bot.session.close()
    return "deleted"
