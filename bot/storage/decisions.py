"""A processed message's decision, written in one transaction with the conversation's new state, the
handoff it opens and the replies it queues."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.storage.outbox import OutboxStore
from bot.storage.records import (
    NewReply,
    ReplyTarget,
    now_iso,
)
from handlers.conversation_states import Event, next_state
from handlers.surge import topic_of
from handlers.types import (
    Action,
    Conversation,
    ConversationState,
    Decision,
    IncomingMessage,
    utcnow,
)


class DecisionStore(OutboxStore):
    """Decisions of the pipeline."""

    async def record_decision(
        self,
        message_id: int,
        conversation: Conversation,
        decision: Decision,
        replies: Sequence[NewReply],
        reply_deadline: Callable[[datetime], datetime],
        message: IncomingMessage | None = None,
        followup_due: datetime | None = None,
        words: Sequence[str] = (),
    ) -> list[int]:
        """Mark a message processed with its decision, move the conversation, queue replies. A handoff's
        deadline is `reply_deadline(now)` (the brand's `BrandPolicy.reply_deadline`); `followup_due`: a person
        owns the thread and has answered, and this message needs an answer by then (unless an earlier one
        already waits). `words`: an unhappy message's subject words (a surge on a word counts them,
        handlers.surge.new_topic).

        `message` is the stored message when the caller already has it (saves reading it again).

        The conversation moves on from its state as stored now, not as `conversation` says: a person may have
        taken the thread (at the desk, or answering in the platform's own app) while this message was read,
        and that is never undone. The decision's replies are queued: they answer what came before, unless the
        person answers it first (then they are withdrawn at delivery, `OutboxStore.due_outbox`).
        """
        now = utcnow()
        msg = message or (await self.load_incoming(message_id))[0]
        async with self._write:
            current = await self._stored_state(conversation)
            owned = current in (ConversationState.WAITING_FOR_MODERATOR, ConversationState.WITH_MODERATOR)
            state = next_state(current, Event.CUSTOMER_MESSAGE)
            await self._db.execute(
                "UPDATE messages SET status = 'processed', action = ?, reason = ?, entry_id = ?, language = ?,"
                " scores = ?, processed_at = ?, suggestions = ?, topic = ?, words = ? WHERE id = ?",
                (decision.action.value, decision.reason, decision.entry_id, decision.language,
                 json.dumps(decision.scores), now.isoformat(),
                 json.dumps(list(decision.suggestions)) if decision.suggestions else None, topic_of(decision),
                 f" {' '.join(words)} " if words else None, message_id),
            )
            if decision.action is Action.HANDOFF:
                state = next_state(state, Event.HANDOFF)
                if not owned:
                    await self._db.execute(
                        "INSERT INTO handoffs (conversation_id, brand, reason, message_id, created_at, deadline_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (conversation.id, conversation.brand, decision.reason, message_id, now.isoformat(),
                         reply_deadline(now).isoformat()),
                    )
                await self._db.execute(
                    "UPDATE conversations SET handoff_reason = ?, handoff_at = COALESCE(handoff_at, ?)"
                    " WHERE id = ?",
                    (decision.reason, now.isoformat(), conversation.id),
                )
            if followup_due is not None:
                await self._db.execute(
                    "UPDATE handoffs SET followup_at = COALESCE(followup_at, ?),"
                    " followup_due = COALESCE(followup_due, ?)"
                    " WHERE conversation_id = ? AND closed_at IS NULL AND first_reply_at IS NOT NULL",
                    (msg.sent_at.isoformat(), followup_due.isoformat(), conversation.id),
                )
            await self._db.execute(
                "UPDATE conversations SET state = ?, language = ?, updated_at = ? WHERE id = ?",
                (state.value, decision.language, now.isoformat(), conversation.id),
            )
            ids = [
                await self._queue(conversation, ReplyTarget(msg.chat_id, msg.thread_id,
                                                            reply.reply_to or msg.message_id,
                                                            msg.business_connection), reply, message_id, now)
                for reply in replies
            ]
            await self._db.commit()
        conversation.state = state
        conversation.language = decision.language
        return ids

    async def mark_failed(self, message_id: int, error: str) -> None:
        async with self._write:
            await self._db.execute(
                "UPDATE messages SET status = 'failed', reason = ?, processed_at = ? WHERE id = ?",
                (error[:500], now_iso(), message_id),
            )
            await self._db.commit()
