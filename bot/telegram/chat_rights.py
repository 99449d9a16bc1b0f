"""What the brand's bot may do in the chats it works in, told to whoever runs it.

In the moderators' forum the bot must be an administrator that manages topics (every handoff opens one) and
deletes messages (`forget` deletes a customer's topic); in a group whose comments it answers, hiding abuse needs
the right to delete messages. An admin who takes a right away, or removes the bot, breaks this without a word
from Telegram to anyone but the bot: checked at start, and again whenever Telegram tells the bot its rights in a
chat changed (`my_chat_member`), with an error in the log saying what to give back.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import AiogramError
from aiogram.types import ChatMemberAdministrator, ChatMemberBanned, ChatMemberLeft, ChatMemberOwner, ChatMemberUnion

log = logging.getLogger(__name__)


def forum_problems(is_forum: bool, member: ChatMemberUnion) -> list[str]:
    """What keeps the bot (`member`: its own membership) from serving the moderators' forum; empty when nothing."""
    problems = [] if is_forum else ["the group has no topics (turn on Topics in its settings)"]
    if isinstance(member, ChatMemberOwner):
        return problems
    if not isinstance(member, ChatMemberAdministrator):
        return [*problems, "the bot is not an administrator there: make it one, with Manage topics and Delete"
                           " messages"]
    if not member.can_manage_topics:
        problems.append("the bot may not manage topics (handoffs cannot open theirs): give it Manage topics")
    if not member.can_delete_messages:
        problems.append("the bot may not delete messages (`forget` cannot delete a customer's topic): give it"
                        " Delete messages")
    return problems


def report_forum(brand: str, chat_id: int, problems: list[str]) -> None:
    for problem in problems:
        log.error("brand %s: moderators' forum %s: %s", brand, chat_id, problem)


async def forum_state(bot: Bot, chat_id: int) -> tuple[str, list[str]]:
    """Asked of Telegram: the forum's title and what keeps the bot from serving it (`forum_problems`); AiogramError
    when Telegram cannot be asked (or the bot cannot see the chat)."""
    chat = await bot.get_chat(chat_id)
    member = await bot.get_chat_member(chat_id, bot.id)
    return chat.title or "", forum_problems(bool(chat.is_forum), member)


async def check_forum(bot: Bot, brand: str, chat_id: int) -> list[str]:
    """At start: the forum's problems, logged (none when Telegram cannot be asked now: that is logged too)."""
    try:
        _, problems = await forum_state(bot, chat_id)
    except AiogramError as exc:
        log.warning("brand %s: could not check the bot's rights in the moderators' forum %s: %s", brand, chat_id, exc)
        return []
    report_forum(brand, chat_id, problems)
    return problems


def report_group(brand: str, chat_id: int, title: str, member: ChatMemberUnion) -> None:
    """The bot's rights changed in a group other than the forum (the discussion group of the brand's channel,
    where it answers comments and hides abuse)."""
    if isinstance(member, ChatMemberOwner):
        return
    if isinstance(member, ChatMemberAdministrator):
        if member.can_delete_messages:
            log.info("brand %s: the bot administers the group %s (%s)", brand, chat_id, title)
        else:
            log.warning("brand %s: the bot may not delete messages in the group %s (%s): toxic comments there cannot"
                        " be hidden; give it Delete messages", brand, chat_id, title)
    elif isinstance(member, (ChatMemberLeft, ChatMemberBanned)):
        log.warning("brand %s: the bot was removed from the group %s (%s): comments there are no longer read",
                    brand, chat_id, title)
    else:
        log.warning("brand %s: the bot is no longer an administrator of the group %s (%s): toxic comments there"
                    " cannot be hidden, and its admins are read as customers", brand, chat_id, title)
