"""Links to customers and their messages on their own platforms (campaign evidence, moderators' cards).

Only public messages have links others can open: a VK comment under a post, photo, video, board topic
or market item, or a customer's own post on the community's wall; a Telegram message in a supergroup or
channel discussion (a `t.me/c/` link opens for the group's members). Private dialogs and the local channel
have none.
"""

from __future__ import annotations

from bot.vk.events import POST_PREFIX, parse_target
from handlers.types import Platform

TELEGRAM_SUPERGROUP_PREFIX = "-100"


def profile_link(platform: str, customer_id: str) -> str | None:
    """The customer's profile, where the platform has one to open."""
    if platform == Platform.TELEGRAM and customer_id.lstrip("-").isdigit():
        return f"tg://user?id={customer_id}"
    if platform == Platform.VK and customer_id.isdigit():
        return f"https://vk.com/id{customer_id}"
    if platform == Platform.VK and customer_id.startswith("-") and customer_id[1:].isdigit():  # a community
        return f"https://vk.com/club{customer_id[1:]}"
    return None


def outside_link(platform: str, address: str) -> str | None:
    """A post found outside the brand's pages (bot.vk.monitor): VK's "<owner id>_<post id>"."""
    return f"https://vk.com/wall{address}" if platform == Platform.VK else None


def permalink(platform: str, chat_id: str, message_id: str | None, thread_id: str | None = None) -> str | None:
    """The message's web address, or None where the platform has no shareable one."""
    if not message_id:
        return None
    if platform == Platform.VK:
        return _vk(chat_id, message_id, thread_id)
    if platform == Platform.TELEGRAM:
        return _telegram(chat_id, message_id, thread_id)
    return None


def _vk(chat_id: str, comment_id: str, thread_id: str | None) -> str | None:
    target = parse_target(chat_id)
    if target is None:  # a private dialog
        return None
    base = f"https://vk.com/{target.kind}{target.owner_id}_{target.object_id}"
    if comment_id.startswith(POST_PREFIX):  # a customer's post on the wall: the post itself
        return base
    if target.kind == "wall":
        nested = f"&thread={thread_id}" if thread_id and thread_id != comment_id else ""
        return f"{base}?reply={comment_id}{nested}"
    if target.kind == "topic":
        return f"{base}?post={comment_id}"
    return base  # photo, video and market comments have no address of their own


def _telegram(chat_id: str, message_id: str, thread_id: str | None) -> str | None:
    if not chat_id.startswith(TELEGRAM_SUPERGROUP_PREFIX):  # private chats and basic groups
        return None
    internal = chat_id.removeprefix(TELEGRAM_SUPERGROUP_PREFIX)
    thread = f"?thread={thread_id}" if thread_id and thread_id != message_id else ""
    return f"https://t.me/c/{internal}/{message_id}{thread}"
