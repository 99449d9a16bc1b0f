"""The core vocabulary: incoming messages, conversations and decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum


class Platform(StrEnum):
    TELEGRAM = "telegram"
    VK = "vk"
    LOCAL = "local"


class MessageKind(StrEnum):
    TEXT = "text"
    PHOTO = "photo"
    DOCUMENT = "document"
    VOICE = "voice"
    STICKER = "sticker"
    OTHER = "other"


class ConversationState(StrEnum):
    BOT = "bot"
    WAITING_FOR_MODERATOR = "waiting_for_moderator"
    WITH_MODERATOR = "with_moderator"
    RESOLVED = "resolved"


class Action(StrEnum):
    ANSWER = "answer"
    HANDOFF = "handoff"
    HIDE = "hide"
    IGNORE = "ignore"


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class IncomingMessage:
    """One message from a customer, as every platform adapter hands it over."""

    platform: Platform
    brand: str
    chat_id: str
    message_id: str
    author_id: str
    text: str
    author_name: str = ""
    is_public: bool = False
    thread_id: str | None = None  # the post / comment thread a public comment belongs to
    reply_to: str | None = None
    kind: MessageKind = MessageKind.TEXT
    sent_at: datetime = field(default_factory=utcnow)
    # A private chat with a person's account the bot answers for (a Telegram Business connection's id): replies
    # go back through it. '' when the customer wrote to the brand's bot or community itself.
    business_connection: str = ""
    # The language the customer's app is set to (Telegram's `language_code`), for a first message whose words
    # tell none (a sticker, "4581203"); None where the platform does not say.
    language_hint: str | None = None


@dataclass
class Conversation:
    """Everything one customer said to one brand on one platform."""

    id: int
    brand: str
    platform: Platform
    customer_id: str
    customer_name: str
    state: ConversationState
    language: str | None
    handoff_reason: str | None = None
    handoff_at: datetime | None = None
    moderator: str | None = None
    unreachable: bool = False

    @property
    def owned_by_human(self) -> bool:
        return self.state in (ConversationState.WAITING_FOR_MODERATOR, ConversationState.WITH_MODERATOR)


@dataclass(frozen=True)
class Analysis:
    """What the classifier read in a message."""

    language: str
    sentiment: dict[str, float] = field(default_factory=dict)  # negative / neutral / positive
    toxicity: float | None = None
    intents: dict[str, float] = field(default_factory=dict)  # entry id -> probability
    out_of_scope: bool = False  # the brand's intent head read it as about none of the entries
    # an unhappy customer's message: the stems of its subject words (handlers.surge_words); None when not read
    subjects: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Decision:
    """What to do with a message, and why."""

    action: Action
    reason: str
    language: str
    entry_id: str | None = None
    reply_text: str | None = None
    phrasing_key: str | None = None
    scores: dict[str, float] = field(default_factory=dict)
    suggestions: tuple[str, ...] = ()  # entries a moderator may answer a handoff from (handlers.suggestions)
    # the platform message the reply goes under, when not the customer's own: the comment a scammer posing as the
    # brand's support answered, whose author is warned
    reply_under: str | None = None
    # (text, phrasing key) of answers sent after reply_text: the further questions of a message that asks several
    # ("Сколько стоит Оптимум и как его оплатить?": handlers.question_parts)
    more_replies: tuple[tuple[str, str], ...] = ()
    # the customer's public comment is hidden after the reply: their details are in it (BrandPolicy.hide_details)
    hide_comment: bool = False
