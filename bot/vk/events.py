"""VK events (Bots Long Poll and Callback API share the format) -> IncomingMessage, and back to targets.

Where a reply goes is kept in the message itself, so the outbox can answer without asking VK:

* private message: chat_id = peer_id ("123"), no thread;
* comment: chat_id names the commented object ("wall-1_2", "photo-1_5", "video-1_3", "topic-1_7", "market-1_9"),
  thread_id = the top comment of the thread, message_id = the comment, reply_to = the comment it answers;
* a customer's own post on an open community wall: chat_id names the post ("wall-1_8"), message_id is "post8"
  (never a comment's number), no thread: it is answered by a comment under it, and hidden by deleting it.

The community's outgoing private messages (`message_reply`) matter when a manager wrote them by hand in VK's
own interface (they carry `admin_author_id`; the bot's own sends through the API do not): a person answered.
Comments signed as the community are the bot's own or a manager's; which, the outbox tells (bot.vk.community).
A customer's edit changes the stored text; a deleted comment (by its author, a manager, or the bot hiding it) is
marked in the history, and unmarked when restored. A customer's like on the answer under their comment is their
approving reaction to it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from handlers.types import IncomingMessage, MessageKind, Platform, utcnow

COMMENT_EVENTS = {
    # event type -> (chat prefix, owner field, object field)
    "wall_reply_new": ("wall", "post_owner_id", "post_id"),
    "photo_comment_new": ("photo", "photo_owner_id", "photo_id"),
    "video_comment_new": ("video", "video_owner_id", "video_id"),
    "board_post_new": ("topic", "topic_owner_id", "topic_id"),
    "market_comment_new": ("market", "market_owner_id", "item_id"),
}
# A comment edited by its author (`*_edit`), or restored after deleting by its author or a manager (`*_restore`):
# VK sends the same object as when it was new, under the new event's name with another ending.
EDIT_EVENTS = {new.removesuffix("_new") + "_edit": new for new in COMMENT_EVENTS}
RESTORE_EVENTS = {new.removesuffix("_new") + "_restore": new for new in COMMENT_EVENTS}
DELETE_EVENTS = {
    # event type -> (chat prefix, owner field, object field); the comment is `id`, who deleted it `deleter_id`
    # (`user_id` in some types; none for board posts)
    "wall_reply_delete": ("wall", "owner_id", "post_id"),
    "photo_comment_delete": ("photo", "owner_id", "photo_id"),
    "video_comment_delete": ("video", "owner_id", "video_id"),
    "board_post_delete": ("topic", "topic_owner_id", "topic_id"),
    "market_comment_delete": ("market", "owner_id", "item_id"),
}
# A user allowed or denied the community's private messages (`user_id`; writing to it allows them too)
PERMISSION_EVENTS = {"message_allow": True, "message_deny": False}
# A user liked (`like_add`) or took back a like (`like_remove`) on something of the community's: `liker_id`,
# `object_type`, `object_owner_id`, `object_id`, `post_id`. Read for comments under wall posts ("comment"), where
# the bot's answers to public comments are; VK has no dislike, nor likes on private messages.
LIKE_EVENTS = {"like_add": True, "like_remove": False}
LIKE = "❤"  # VK's like, as a reaction (handlers.reactions: approving)
# The language a private message's sender uses VK in (`client_info.lang_id`), for the languages served.
VK_LANGUAGES = {0: "ru", 3: "en", 82: "tr"}
HANDLED_EVENTS = frozenset({"message_new", "message_reply", "message_edit", "wall_post_new", "wall_repost",
                            *COMMENT_EVENTS, *EDIT_EVENTS, *DELETE_EVENTS, *RESTORE_EVENTS, *PERMISSION_EVENTS,
                            *LIKE_EVENTS})
POST_PREFIX = "post"  # the message id of a customer's post on the wall: "post<id>"
CHAT_PEER_OFFSET = 2_000_000_000  # peer ids of group chats start here


def events_off(settings: object) -> list[str]:
    """The event types the bot reads that a Long Poll or Callback API settings answer (`events`: type -> 0/1) has
    off, sorted."""
    events = settings.get("events", {}) if isinstance(settings, dict) else {}
    return sorted(kind for kind in HANDLED_EVENTS if not events.get(kind))


_TARGET = re.compile(r"^(wall|photo|video|topic|market)(-?\d+)_(\d+)$")


@dataclass(frozen=True)
class CommentTarget:
    kind: str  # wall | photo | video | topic | market
    owner_id: int
    object_id: int


def parse_target(chat_id: str) -> CommentTarget | None:
    """The commented object of a public chat id; None for a private dialog (a peer id)."""
    m = _TARGET.match(chat_id)
    return CommentTarget(m.group(1), int(m.group(2)), int(m.group(3))) if m else None


@dataclass(frozen=True)
class RatingAnswer:
    """A press on the rating keyboard in a private dialog."""

    user_id: int
    peer_id: int
    satisfied: bool


@dataclass(frozen=True)
class Converted:
    """A customer's message ready for the pipeline; name lookups happen later (`author_user`)."""

    message: IncomingMessage
    author_user: int  # > 0 when the author is a user whose name users.get can tell


@dataclass(frozen=True)
class CommunityComment:
    """A comment signed as the community, answering another comment: the bot's own reply or a manager's."""

    message: IncomingMessage  # chat, thread, the comment (message_id) and the comment it answers (reply_to)


@dataclass(frozen=True)
class Edited:
    """A customer edited a message or a comment: its new text."""

    message: IncomingMessage


@dataclass(frozen=True)
class Restored:
    """A deleted comment is back: its author or a manager restored it."""

    message: IncomingMessage


@dataclass(frozen=True)
class MessagesAllowed:
    """A user allowed (True) or denied (False) private messages from the community."""

    user_id: int
    allowed: bool


@dataclass(frozen=True)
class Liked:
    """A user liked a comment under a wall post (True) or took the like back (False)."""

    chat_id: str  # the commented post, as in IncomingMessage.chat_id
    comment_id: str
    user_id: int
    liked: bool


@dataclass(frozen=True)
class CommentDeleted:
    """A comment was deleted: by its author, the community's managers, or the bot hiding it."""

    chat_id: str  # the commented object, as in IncomingMessage.chat_id
    comment_id: str
    deleter: str | None  # VK's id of who deleted it; None when the event does not say


@dataclass(frozen=True)
class ManagerReply:
    """A community manager answered a customer by hand in a private dialog, in VK's own interface."""

    peer_id: int
    manager_id: int
    message_id: str
    text: str


@dataclass(frozen=True)
class Reposted:
    """One of the community's posts shared on someone's wall (or another community's) with words of the sharer's
    own (`wall_repost`): a mention of the brand outside its pages, often without its name, so that the VK search
    (bot.vk.monitor) misses it ("Ну-ну, верим" over the brand's advert)."""

    address: str  # the share: "<owner id>_<post id>"
    shared: str  # the community's post it shares: "<owner id>_<post id>"
    author_id: int
    text: str
    posted_at: datetime
    views: int | None


def _text(obj: dict[str, Any]) -> str:
    """A message's or comment's text, with the address of each link attached to it (a link card) that the text does
    not give: what readers are sent to is part of what was written (spam hides its link there: handlers.spam)."""
    text = str(obj.get("text", ""))
    attachments = obj.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else []:
        link = attachment.get("link") if isinstance(attachment, dict) and attachment.get("type") == "link" else None
        url = str(link.get("url") or "") if isinstance(link, dict) else ""
        if url and url not in text:
            text = f"{text}\n{url}" if text else url
    return text


def _kind(attachments: list[dict[str, Any]] | None, text: str) -> MessageKind:
    if text.strip() or not attachments:
        return MessageKind.TEXT
    kind = str(attachments[0].get("type", ""))
    return {
        "photo": MessageKind.PHOTO, "doc": MessageKind.DOCUMENT, "audio_message": MessageKind.VOICE,
        "sticker": MessageKind.STICKER,
    }.get(kind, MessageKind.OTHER)


def _sent_at(obj: dict[str, Any]) -> datetime:
    date = obj.get("date")
    return datetime.fromtimestamp(int(date), UTC) if isinstance(date, int) and date > 0 else utcnow()


def _payload(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str) and raw:
        try:
            value = json.loads(raw)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
    return {}


def convert(event: dict[str, Any], brand: str, group_id: int
            ) -> (Converted | RatingAnswer | ManagerReply | CommunityComment | Edited | CommentDeleted | Restored
                  | MessagesAllowed | Liked | Reposted | None):
    """One event of the community; None when it is not a customer's message (or a manager's answer to one)."""
    kind = event.get("type")
    obj = event.get("object") or {}
    if kind not in HANDLED_EVENTS or not isinstance(obj, dict):
        return None
    if kind in ("message_edit", *EDIT_EVENTS):
        new = (_private(obj.get("message", obj), brand, group_id) if kind == "message_edit"
               else _comment(EDIT_EVENTS[str(kind)], obj, brand, group_id))
        return Edited(new.message) if isinstance(new, Converted) else None
    if kind in RESTORE_EVENTS:
        back = _comment(RESTORE_EVENTS[str(kind)], obj, brand, group_id)
        return Restored(back.message) if isinstance(back, Converted) else None
    if kind == "message_new":
        message = obj.get("message", obj)  # API >= 5.103 wraps the message with client_info
        private = _private(message, brand, group_id)
        client = obj.get("client_info")
        lang_id = client.get("lang_id") if isinstance(client, dict) else None
        language = VK_LANGUAGES.get(lang_id) if isinstance(lang_id, int) else None
        if isinstance(private, Converted) and language:
            return Converted(replace(private.message, language_hint=language), private.author_user)
        return private
    if kind == "message_reply":
        return _manager_reply(obj.get("message", obj))
    if kind in PERMISSION_EVENTS:
        user_id = int(obj.get("user_id") or 0)
        return MessagesAllowed(user_id, PERMISSION_EVENTS[str(kind)]) if user_id > 0 else None
    if kind in LIKE_EVENTS:
        return _liked(obj, LIKE_EVENTS[str(kind)])
    if kind == "wall_post_new":
        return _wall_post(obj, brand, group_id)
    if kind == "wall_repost":
        return _repost(obj, group_id)
    if kind in DELETE_EVENTS:
        return _deleted(str(kind), obj, group_id)
    return _comment(str(kind), obj, brand, group_id)


def _repost(obj: dict[str, Any], group_id: int) -> Reposted | None:
    """A share of the community's post with words of the sharer's own; a plain share (no words) and the community's
    own are none."""
    text = str(obj.get("text") or "")
    owner_id, post_id = int(obj.get("owner_id") or 0), int(obj.get("id") or 0)
    author = int(obj.get("from_id") or owner_id)
    history = obj.get("copy_history")
    shared = history[0] if isinstance(history, list) and history and isinstance(history[0], dict) else {}
    if not text.strip() or not owner_id or not post_id or -group_id in (author, owner_id):
        return None
    views = obj["views"].get("count") if isinstance(obj.get("views"), dict) else None
    return Reposted(f"{owner_id}_{post_id}", f"{shared.get('owner_id', -group_id)}_{shared.get('id', 0)}", author,
                    text, _sent_at(obj), int(views) if views is not None else None)


def _deleted(kind: str, obj: dict[str, Any], group_id: int) -> CommentDeleted | None:
    prefix, owner_field, object_field = DELETE_EVENTS[kind]
    owner_id = int(obj.get(owner_field) or -group_id)
    object_id = int(obj.get(object_field) or 0)
    comment_id = int(obj.get("id") or 0)
    if not object_id or not comment_id:
        return None
    deleter = obj.get("deleter_id", obj.get("user_id"))
    return CommentDeleted(f"{prefix}{owner_id}_{object_id}", str(comment_id),
                          str(deleter) if isinstance(deleter, int) and deleter else None)


def _liked(obj: dict[str, Any], liked: bool) -> Liked | None:
    if obj.get("object_type") != "comment":
        return None  # a post, a photo, or a comment whose event does not name the commented object
    owner_id, post_id = int(obj.get("object_owner_id") or 0), int(obj.get("post_id") or 0)
    comment_id, user_id = int(obj.get("object_id") or 0), int(obj.get("liker_id") or 0)
    if not owner_id or not post_id or not comment_id or user_id <= 0:
        return None
    return Liked(f"wall{owner_id}_{post_id}", str(comment_id), user_id, liked)


def _manager_reply(message: dict[str, Any]) -> ManagerReply | None:
    manager = int(message.get("admin_author_id") or 0)
    peer_id = int(message.get("peer_id") or 0)
    if manager <= 0 or peer_id <= 0 or peer_id >= CHAT_PEER_OFFSET:
        return None  # sent through the API (the bot's own answers), or not to one customer
    message_id = int(message.get("id") or 0)
    text = str(message.get("text", ""))
    kind = _kind(message.get("attachments"), text)
    said = str(message_id) if message_id else f"c{message.get('conversation_message_id')}"
    return ManagerReply(peer_id, manager, said, text if kind is MessageKind.TEXT else f"[{kind.value}]")


def _private(message: dict[str, Any], brand: str, group_id: int) -> Converted | RatingAnswer | None:
    from_id = int(message.get("from_id", 0))
    peer_id = int(message.get("peer_id", from_id))
    if message.get("out") or from_id <= 0 or from_id == -group_id or peer_id >= CHAT_PEER_OFFSET:
        return None  # our own message, another community, or a group chat
    payload = _payload(message.get("payload"))
    rating = payload.get("rating")
    if rating in ("satisfied", "not_satisfied"):
        return RatingAnswer(from_id, peer_id, rating == "satisfied")
    message_id = int(message.get("id") or 0)
    conversation_message_id = message.get("conversation_message_id")
    text = _text(message)
    incoming = IncomingMessage(
        platform=Platform.VK, brand=brand, chat_id=str(peer_id),
        message_id=str(message_id) if message_id else f"c{conversation_message_id}",
        author_id=str(from_id), text=text, kind=_kind(message.get("attachments"), text), sent_at=_sent_at(message),
    )
    return Converted(incoming, from_id)


def answered_message(comment: IncomingMessage) -> str | None:
    """The message a comment answers: the comment it replies to, else, top-level under a wall post, the post
    (stored only when a customer published it)."""
    if comment.reply_to:
        return comment.reply_to
    target = parse_target(comment.chat_id)
    return f"{POST_PREFIX}{target.object_id}" if target is not None and target.kind == "wall" else None


def _wall_post(obj: dict[str, Any], brand: str, group_id: int) -> Converted | None:
    """A post a customer published on the community's wall (open walls); the community's own posts, suggested
    posts (not published: nobody can comment under them) and postponed ones are not customers' messages."""
    from_id = int(obj.get("from_id") or 0)
    post_id = int(obj.get("id") or 0)
    if from_id <= 0 or not post_id or obj.get("post_type", "post") != "post":
        return None
    owner_id = int(obj.get("owner_id") or -group_id)
    text = _text(obj)
    incoming = IncomingMessage(
        platform=Platform.VK, brand=brand, chat_id=f"wall{owner_id}_{post_id}", message_id=f"{POST_PREFIX}{post_id}",
        author_id=str(from_id), text=text, is_public=True, kind=_kind(obj.get("attachments"), text),
        sent_at=_sent_at(obj),
    )
    return Converted(incoming, from_id)


def _comment(kind: str, obj: dict[str, Any], brand: str, group_id: int) -> Converted | CommunityComment | None:
    prefix, owner_field, object_field = COMMENT_EVENTS[kind]
    from_id = int(obj.get("from_id", 0))
    if from_id == 0 or obj.get("deleted"):
        return None
    owner_id = int(obj.get(owner_field, obj.get("owner_id", -group_id)))
    object_id = int(obj.get(object_field, 0))
    comment_id = int(obj.get("id", 0))
    if not object_id or not comment_id:
        return None
    parents = [int(p) for p in obj.get("parents_stack") or []]
    thread = parents[0] if parents else comment_id
    reply_to = obj.get("reply_to_comment")
    text = _text(obj)
    incoming = IncomingMessage(
        platform=Platform.VK, brand=brand, chat_id=f"{prefix}{owner_id}_{object_id}", message_id=str(comment_id),
        author_id=str(from_id), text=text, is_public=True, thread_id=str(thread),
        reply_to=str(reply_to) if reply_to else None, kind=_kind(obj.get("attachments"), text),
        sent_at=_sent_at(obj),
    )
    if from_id == -group_id:  # never answered: the bot's own reply or a manager's
        # (a top-level one under a wall post may answer a customer's own post: see answered_message)
        return CommunityComment(incoming) if reply_to or prefix == "wall" else None
    return Converted(incoming, from_id)
