"""The moderators' desk, whatever the front end (terminal inbox, Telegram forum)."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

from bot.storage import NewReply, Storage
from handlers.conversation_states import Event
from handlers.texts import label, say
from handlers.tone import accusation
from handlers.types import Conversation, ConversationState, utcnow


@dataclass(frozen=True)
class ThreadCard:
    """What a moderator needs to pick up a thread without asking the customer again."""

    conversation_id: int
    brand: str
    platform: str
    customer_id: str
    customer_name: str
    state: str
    language: str | None
    reason: str | None
    deadline: str | None
    overdue: bool  # the deadline passed and no moderator has answered yet
    moderator: str | None
    last_intent: str | None
    scores: dict[str, float]
    history: list[dict[str, str]]
    notes: list[dict[str, str]]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class AccusingReply(ValueError):
    """A moderator's reply that reads as calling the customer a liar or blaming them (handlers.tone): not sent
    unless the moderator insists (`force`)."""

    def __init__(self, phrase: str) -> None:
        super().__init__(f"the reply reads as accusing the customer ({phrase!r})")
        self.phrase = phrase


class EmptyText(ValueError):
    """A reply or a note without text."""


class ModeratorDesk:
    """Take, reply, resolve, return to the bot and notes; always scoped to one brand."""

    def __init__(self, storage: Storage, brand: str, rng: random.Random | None = None) -> None:
        self.storage = storage
        self.brand = brand
        self.rng = rng or random.Random()

    async def card(self, conversation: Conversation, history_limit: int = 10) -> ThreadCard:
        history = await self.storage.history(conversation.id, history_limit)
        handoff = await self.storage.open_handoff(conversation.id)
        last_in = next((m for m in reversed(history) if m.direction == "in" and m.action), None)
        return ThreadCard(
            conversation.id, conversation.brand, conversation.platform.value, conversation.customer_id,
            conversation.customer_name, conversation.state.value, conversation.language,
            conversation.handoff_reason, handoff.deadline_at.isoformat() if handoff else None,
            handoff is not None and handoff.first_reply_at is None and handoff.deadline_at <= utcnow(),
            conversation.moderator, last_in.entry_id if last_in else None,
            last_in.scores if last_in else {},
            [{"author": m.author, "text": m.text, "at": m.sent_at.isoformat(timespec="seconds")} for m in history],
            [{"author": a, "text": t} for a, t in await self.storage.notes(conversation.id)],
        )

    async def waiting(self) -> list[ThreadCard]:
        conversations = await self.storage.conversations(
            self.brand, (ConversationState.WAITING_FOR_MODERATOR, ConversationState.WITH_MODERATOR)
        )
        return [await self.card(c) for c in conversations]

    async def conversation(self, conversation_id: int) -> Conversation:
        return await self.storage.conversation(conversation_id, self.brand)

    async def take(self, conversation_id: int, moderator: str) -> Conversation:
        conversation = await self.conversation(conversation_id)
        await self.storage.moderator_event(conversation, Event.TAKE, moderator)
        return conversation

    async def reply(self, conversation_id: int, moderator: str, text: str, extra: dict[str, object] | None = None,
                    *, force: bool = False) -> int:
        """Queue a moderator's reply to the customer. Practitioners' rule, for people too: never accuse a
        customer of lying; such a reply raises AccusingReply unless `force`."""
        if not text.strip() and not extra:
            raise EmptyText("an empty reply cannot be sent")
        accusing = None if force else accusation(text)
        if accusing:
            raise AccusingReply(accusing)
        conversation = await self.conversation(conversation_id)
        outbox_id = await self.storage.moderator_event(
            conversation, Event.MODERATOR_REPLY, moderator,
            NewReply(text, "moderator", extra={"moderator": moderator, **(extra or {})}),
        )
        assert outbox_id is not None
        return outbox_id

    async def resolve(self, conversation_id: int, moderator: str, *, ask_rating: bool = True) -> int | None:
        """Close the thread, give it back to the bot and (in private chats) ask for a rating.

        A thread that began with a public comment and was solved in private gets a note under that comment:
        others who read the complaint see that it was solved (practitioners: solve it, then show it).
        """
        conversation = await self.conversation(conversation_id)
        lang = conversation.language or "en"
        reply = None
        public_now = await self.storage.last_incoming_public(conversation.id)
        origin = await self.storage.public_origin(conversation.id)
        shown = None
        if origin is not None and not public_now:
            shown = (origin, NewReply(say("solved_in_private", lang, self.rng), "notice"))
        if ask_rating and public_now:
            ask_rating = False  # public comment threads are never asked for a rating
        if ask_rating:
            reply = NewReply(
                say("rating_question", lang, self.rng), "rating",
                extra={"buttons": [["satisfied", label("satisfied", lang)],
                                   ["not_satisfied", label("not_satisfied", lang)]]},
            )
        outbox_id = await self.storage.moderator_event(conversation, Event.RESOLVE, moderator, reply, shown)
        await self.storage.moderator_event(conversation, Event.CUSTOMER_MESSAGE, moderator)
        return outbox_id

    async def return_to_bot(self, conversation_id: int, moderator: str) -> None:
        conversation = await self.conversation(conversation_id)
        await self.storage.moderator_event(conversation, Event.RETURN_TO_BOT, moderator)

    async def note(self, conversation_id: int, moderator: str, text: str) -> None:
        if not text.strip():
            raise EmptyText("a note needs text")
        await self.storage.add_note(await self.conversation(conversation_id), moderator, text.strip())
