"""Erasing a customer's traces from Telegram (`smm-responder forget`): their moderators' topic mirrors their
messages, campaign evidence and surge alerts quote them, and the bot's public replies to them in groups name them,
so a request to delete their personal data reaches those too."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.exceptions import TelegramAPIError

from bot.config import TelegramSettings


async def delete_forum_topic(settings: TelegramSettings | None, chat_id: str, topic_id: str) -> str:
    """Delete the topic with the brand's bot; returns what happened ("deleted", or why not) for the report."""
    [done] = await _delete(settings, "the topic", [
        (chat_id, lambda bot: bot.delete_forum_topic(int(chat_id), int(topic_id)))])
    return done


async def delete_forum_posts(settings: TelegramSettings | None, posts: Sequence[tuple[str, str]]) -> list[str]:
    """Delete forum posts (chat id, message id) with the brand's bot; what happened to each, for the report."""
    done = await _delete(settings, "the post", [(chat_id, _deleting(chat_id, post_id)) for chat_id, post_id in posts])
    return [f"{chat_id}/{post_id}: {what}" for (chat_id, post_id), what in zip(posts, done, strict=True)]


async def delete_replies(settings: TelegramSettings | None, replies: Sequence[tuple[str, str]]) -> list[str]:
    """Delete the bot's messages (chat id, message id) in groups; what happened to each, for the report."""
    return await _delete(settings, "the reply in the group",
                         [(chat_id, _deleting(chat_id, message_id)) for chat_id, message_id in replies], forum=False)


def _deleting(chat_id: str, message_id: str) -> Callable[[Bot], Awaitable[object]]:
    return lambda bot: bot.delete_message(int(chat_id), int(message_id))


async def _delete(settings: TelegramSettings | None, what: str,
                  calls: Sequence[tuple[str, Callable[[Bot], Awaitable[object]]]], *, forum: bool = True
                  ) -> list[str]:
    """Each (chat id, deletion) made with one session of the brand's bot; what happened to each (`forum`: only
    in the brand's moderator_chat)."""
    token = settings.token() if settings else None
    if settings is None or not token:
        where = "in the forum" if forum else "there"
        return [f"not deleted: the brand's Telegram token is not set; delete {what} {where}"] * len(calls)
    api = TelegramAPIServer.from_base(settings.api_server) if settings.api_server else PRODUCTION
    bot = Bot(token, session=AiohttpSession(api=api))
    done = []
    try:
        for chat_id, call in calls:
            if forum and str(settings.moderator_chat) != chat_id:
                done.append(f"not deleted: {what} is in another chat than the brand's moderator_chat; delete it there")
                continue
            try:
                await call(bot)
            except TelegramAPIError as exc:
                done.append(f"not deleted: {exc.message}; delete {what} {'in the forum' if forum else 'there'}")
            else:
                done.append("deleted")
    finally:
        await bot.session.close()
    return done
