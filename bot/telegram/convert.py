"""Telegram messages -> handlers.types.IncomingMessage, and which group messages are meant for the brand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

from aiogram.enums import ChatType
from aiogram.types import Message

from handlers.types import IncomingMessage, MessageKind, Platform


@dataclass(frozen=True)
class BotIdentity:
    id: int
    username: str  # without the "@"
    mention_words: tuple[str, ...] = ()


def message_kind(message: Message) -> MessageKind:
    if message.photo:
        return MessageKind.PHOTO
    if message.document:
        return MessageKind.DOCUMENT
    if message.voice or message.video_note or message.audio:
        return MessageKind.VOICE
    if message.sticker:
        return MessageKind.STICKER
    if message.text is not None or message.caption is not None:
        return MessageKind.TEXT
    return MessageKind.OTHER


def message_text(message: Message) -> str:
    """The text a customer wrote: the message text, else the media caption; a sticker's emoji; a shared contact's
    phone number (a customer's details, as if typed)."""
    if message.contact is not None:
        return message.contact.phone_number
    return message.text or message.caption or (message.sticker.emoji or "" if message.sticker else "")


def is_content(message: Message) -> bool:
    """Something a customer said (not a service message such as "topic created" or "member joined")."""
    return bool(
        message.text is not None or message.caption is not None or message.photo or message.document
        or message.voice or message.video_note or message.audio or message.sticker or message.video
        or message.animation or message.contact or message.location
    )


def mentions(message: Message, identity: BotIdentity) -> bool:
    text = message_text(message).lower()
    if identity.username and f"@{identity.username.lower()}" in text:
        return True
    for entity in (message.entities or message.caption_entities or []):
        if entity.type == "text_mention" and entity.user is not None and entity.user.id == identity.id:
            return True
    return any(word.lower() in text for word in identity.mention_words if word.strip())


def replies_to_bot(message: Message, identity: BotIdentity) -> bool:
    reply = message.reply_to_message
    return bool(reply is not None and reply.from_user is not None and reply.from_user.id == identity.id)


def is_channel_comment(message: Message) -> bool:
    """A comment directly under a channel post, in the channel's linked discussion group."""
    reply = message.reply_to_message
    return bool(reply is not None and reply.is_automatic_forward)


def addressed_to_brand(message: Message, identity: BotIdentity) -> bool:
    """Private chats always; groups when the brand is mentioned or the bot is replied to; comments on posts."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    if message.chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        return False
    if message.is_automatic_forward or message.sender_chat is not None:
        return False  # the channel's own post forwarded into its discussion group, or a channel/anonymous admin
    if message.from_user is not None and message.from_user.is_bot:
        return False
    return is_channel_comment(message) or replies_to_bot(message, identity) or mentions(message, identity)


def author_id(message: Message) -> str:
    """Who wrote it, by id: the person, or the channel or group it was signed as (Telegram's placeholder user is
    everyone's)."""
    if message.sender_chat is not None:
        return str(message.sender_chat.id)
    return str(message.from_user.id) if message.from_user is not None else str(message.chat.id)


def author_name(message: Message) -> str:
    """Who wrote it: the person, or the channel or group it was signed as (Telegram then gives a placeholder user)."""
    if message.sender_chat is not None:
        return message.sender_chat.title or ""
    return message.from_user.full_name if message.from_user is not None else ""


def to_incoming(message: Message, brand: str) -> IncomingMessage:
    """A customer's Telegram message in the shape every platform hands to the pipeline.

    Anything outside a private chat is public: others read it, so the router picks public phrasings
    and invites personal-data questions to the private chat. In discussion groups `thread_id` is the
    channel post's thread (the post forwarded into the group). A message to a Telegram Business account
    the bot answers for keeps its connection: replies go back through it.
    """
    private = message.chat.type == ChatType.PRIVATE
    thread = message.message_thread_id
    reply = message.reply_to_message
    sent_at = message.date if message.date.tzinfo else message.date.replace(tzinfo=UTC)
    return IncomingMessage(
        platform=Platform.TELEGRAM,
        brand=brand,
        chat_id=str(message.chat.id),
        message_id=str(message.message_id),
        author_id=author_id(message),
        text=message_text(message),
        author_name=author_name(message),
        is_public=not private,
        thread_id=str(thread) if thread is not None and not private else None,
        reply_to=str(reply.message_id) if reply is not None else None,
        kind=message_kind(message),
        sent_at=sent_at,
        business_connection=message.business_connection_id or "",
        language_hint=(message.from_user.language_code or "")[:2].lower() or None if message.from_user else None,
    )


def chunks(text: str, limit: int = 4096) -> Sequence[str]:
    """Split a long text at line or word breaks into pieces Telegram accepts."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts
