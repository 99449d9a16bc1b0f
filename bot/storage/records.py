"""What storage hands out and takes in: stored messages, outbox items, replies, handoffs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import aiosqlite

from handlers.types import Platform, utcnow

PUBLIC_PHRASINGS_REMEMBERED = 200  # a customer's and a public chat's latest phrasings the next reply avoids
# The reason of a handoff a person opened by answering unasked (from the platform's own app): no reaction to time.
PERSON_STEPPED_IN = "answered_in_person"
# The stored error of a reply that failed because the customer had blocked the brand's private messages: it goes
# out after all when they allow them again, if it was queued this recently (older answers are stale by then).
UNREACHABLE = "unreachable: "
RESEND_WITHIN = timedelta(days=7)
# Who deleted a customer's message, when not the customer (`bot.storage.deletions`): the brand's people, or the bot
# hiding abuse.
OTHER = "other"


class ReplyTarget(NamedTuple):
    """Where a reply goes."""

    chat_id: str
    thread_id: str | None
    reply_to: str | None  # the platform message id replied to
    business_connection: str = ""  # the Telegram Business connection to send through ('' for the bot itself)


def now_iso() -> str:
    return utcnow().isoformat()


def moment_or_none(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def place_of(row: aiosqlite.Row) -> dict[str, Any]:
    """Where a stored customer message was written, as reports give it (the message's platform address:
    bot.permalinks.permalink)."""
    return {"platform": row["platform"], "chat_id": row["chat_id"], "platform_message_id": row["platform_message_id"],
            "thread_id": row["thread_id"]}


def handoff_of(row: aiosqlite.Row) -> Handoff:
    return Handoff(int(row["id"]), int(row["conversation_id"]), row["reason"],
                   datetime.fromisoformat(row["created_at"]), datetime.fromisoformat(row["deadline_at"]),
                   row["taken_by"], moment_or_none(row["first_reply_at"]), moment_or_none(row["followup_at"]),
                   moment_or_none(row["followup_due"]))


@dataclass(frozen=True)
class StoredMessage:
    id: int
    conversation_id: int
    direction: str
    author: str
    text: str
    kind: str
    sent_at: datetime
    action: str | None
    reason: str | None
    entry_id: str | None
    language: str | None
    scores: dict[str, float]
    deleted_by: str | None = None  # deleted on the platform: by 'author', 'other' or '' (unknown); None: not
    joins: str | None = None  # the text of the comment this one joined ("+1": handlers.me_too), where it did


@dataclass(frozen=True)
class OutboxItem:
    id: int
    conversation_id: int
    brand: str
    platform: Platform
    chat_id: str
    thread_id: str | None
    reply_to: str | None
    text: str
    kind: str
    attempts: int
    extra: dict[str, Any]
    business_connection: str = ""  # send through this Telegram Business connection ('' for the bot itself)
    superseded: bool = False  # a bot's reply a person's answer overtook (see OutboxStore.due_outbox): not sent
    waiting_since: datetime | None = None  # the customer's message it answers (else when it was queued)
    language: str | None = None  # the conversation's


@dataclass(frozen=True)
class ReactedReply:
    """A reply delivered to a customer that they reacted to."""

    outbox_id: int
    conversation_id: int
    kind: str  # as queued: 'answer' (the bot's, from the argument base), 'moderator', 'notice'...
    text: str
    source_message_id: int | None  # the customer's message it answered


@dataclass(frozen=True)
class NewReply:
    """A reply to put in the outbox together with the decision that produced it."""

    text: str
    kind: str
    phrasing_key: str | None = None
    extra: dict[str, Any] | None = None
    reply_to: str | None = None  # the platform message it goes under, when not the one it answers


@dataclass(frozen=True)
class DeliveredReply:
    """A person's message the platform has already delivered: the owner of a Telegram Business account
    answering a customer by hand, in the chat the bot answers for."""

    target: ReplyTarget
    platform_message_id: str
    text: str


@dataclass(frozen=True)
class Handoff:
    id: int
    conversation_id: int
    reason: str
    created_at: datetime
    deadline_at: datetime
    taken_by: str | None
    first_reply_at: datetime | None = None
    followup_at: datetime | None = None  # the customer wrote again after a moderator's reply, unanswered since
    followup_due: datetime | None = None

    @property
    def waiting_since(self) -> datetime | None:
        """Since when the customer waits for a person: the handoff until the first reply, then a follow-up."""
        return self.created_at if self.first_reply_at is None else self.followup_at

    @property
    def due_at(self) -> datetime | None:
        """By when a person must answer what the customer waits for now (None: nothing is waiting)."""
        return self.deadline_at if self.first_reply_at is None else self.followup_due




@dataclass(frozen=True)
class FoundMention:
    """A post that mentions a brand outside its own pages (bot.vk.monitor), as read."""

    platform: str
    address: str  # the post on its platform: VK "<owner id>_<post id>"
    query: str  # the search query that found it
    author_id: str
    author_name: str
    text: str
    posted_at: datetime
    language: str | None
    sentiment: dict[str, float]
    toxicity: float | None
    views: int | None = None


@dataclass(frozen=True)
class CompanyQuestion:
    """A moderator's question to the company about a customer's thread (bot.storage.company_questions)."""

    id: int
    brand: str
    conversation_id: int
    moderator: str
    question: str
    asked_at: str
    chat_id: str | None  # the post in the company's chat that asked it
    post_id: str | None
    answer: str | None  # the company's answer, who gave it and when
    answered_by: str | None
    answered_at: str | None
    sent_at: str | None  # when a moderator sent that answer to the customer
