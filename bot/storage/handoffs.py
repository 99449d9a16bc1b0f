"""Threads handed to people: moderators' actions, notes, ratings, the reaction deadlines (reminders, overdue
flags, follow-ups) and the reach of solved public cases."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.reach import PublicCase, Reach
from bot.storage.outbox import OutboxStore
from bot.storage.records import (
    PERSON_STEPPED_IN,
    DeliveredReply,
    Handoff,
    NewReply,
    ReplyTarget,
    handoff_of,
    now_iso,
)
from handlers.conversation_states import Event, next_state
from handlers.router import SPAM_PRIVATE
from handlers.types import (
    Conversation,
    ConversationState,
    Platform,
    utcnow,
)

# The customer's last message, left to a person (`human_owns_thread`) and answered by nobody since (no person's
# reply, no bot answer queued after it was read), goes back to the bot's queue
LEFT_TO_BOT = (
    "UPDATE messages SET status = 'received' WHERE id = (SELECT MAX(id) FROM messages WHERE conversation_id = ?"
    " AND direction = 'in') AND status = 'processed' AND reason = 'human_owns_thread' AND deleted_at IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.conversation_id = ? AND o.kind IN ('moderator', 'answer')"
    " AND o.created_at >= messages.processed_at)"
)

class HandoffStore(OutboxStore):
    """Handoffs and what moderators do with them."""

    async def open_handoff(self, conversation_id: int) -> Handoff | None:
        async with self._db.execute(
            "SELECT * FROM handoffs WHERE conversation_id = ? AND closed_at IS NULL ORDER BY id DESC LIMIT 1",
            (conversation_id,),
        ) as cur:
            row = await cur.fetchone()
        return handoff_of(row) if row is not None else None

    async def moderator_event(
        self, conversation: Conversation, event: Event, moderator: str, reply: NewReply | None = None,
        elsewhere: tuple[ReplyTarget, NewReply] | None = None, delivered: DeliveredReply | None = None,
    ) -> int | None:
        """Apply a moderator's take / reply / resolve / return; returns the queued reply's outbox id.

        `reply` goes where the customer last wrote; `elsewhere` is one more reply to a given place (e.g. the
        public comment a thread began with), queued in the same transaction; `delivered` is a reply the person
        sent outside the bot, recorded as sent. The state moves on from the one stored now (TransitionError
        when the event does not apply to it).

        A person answering a thread the bot had not handed off (an owner or manager stepping in from the
        platform's own app) opens a handoff that is answered already (`PERSON_STEPPED_IN`): the thread is
        theirs, so the customer's next message is held to the reaction time like any follow-up, not left to
        silence.

        A thread given back to the bot while its customer's last message waits for an answer (the bot left it to
        the person, who neither answered it nor resolved the thread) has that message decided again by the bot
        (`LEFT_TO_BOT`: marked received, for bot.pipeline.Pipeline.resume): "хочу сменить тариф" was never
        answered by anyone.
        """
        now = utcnow()
        outbox_id = None
        async with self._write:
            state = next_state(await self._stored_state(conversation), event)
            if event is Event.MODERATOR_REPLY and await self.open_handoff(conversation.id) is None:
                await self._db.execute(
                    "INSERT INTO handoffs (conversation_id, brand, reason, message_id, created_at, deadline_at,"
                    " taken_by, taken_at, first_reply_at) VALUES (?, ?, ?, (SELECT MAX(id) FROM messages"
                    " WHERE conversation_id = ? AND direction = 'in'), ?, ?, ?, ?, ?)",
                    (conversation.id, conversation.brand, PERSON_STEPPED_IN, conversation.id, *[now.isoformat()] * 2,
                     moderator, *[now.isoformat()] * 2),
                )
                await self._db.execute("UPDATE conversations SET handoff_reason = ?, handoff_at = ? WHERE id = ?",
                                       (PERSON_STEPPED_IN, now.isoformat(), conversation.id))
            await self._db.execute(
                "UPDATE conversations SET state = ?, moderator = ?, updated_at = ?,"
                " handoff_at = CASE WHEN ? IN ('bot', 'resolved') THEN NULL ELSE handoff_at END WHERE id = ?",
                (state.value, moderator, now.isoformat(), state.value, conversation.id),
            )
            if event in (Event.TAKE, Event.MODERATOR_REPLY):
                await self._db.execute(
                    "UPDATE handoffs SET taken_by = COALESCE(taken_by, ?), taken_at = COALESCE(taken_at, ?)"
                    " WHERE conversation_id = ? AND closed_at IS NULL",
                    (moderator, now.isoformat(), conversation.id),
                )
            if event is Event.MODERATOR_REPLY:  # the human reaction the customer was promised (or a follow-up's)
                await self._db.execute(
                    "UPDATE handoffs SET first_reply_at = COALESCE(first_reply_at, ?), followup_at = NULL,"
                    " followup_due = NULL, followup_overdue_at = NULL, followup_reminded_at = NULL"
                    " WHERE conversation_id = ? AND closed_at IS NULL",
                    (now.isoformat(), conversation.id),
                )
            if event in (Event.RESOLVE, Event.RETURN_TO_BOT):
                await self._db.execute(
                    "UPDATE handoffs SET closed_at = ?, outcome = ? WHERE conversation_id = ? AND closed_at IS NULL",
                    (now.isoformat(), event.value, conversation.id),
                )
            if event is Event.RETURN_TO_BOT:
                await self._db.execute(LEFT_TO_BOT, (conversation.id, conversation.id))
            if reply is not None:
                outbox_id = await self._queue(conversation, await self._reply_target(conversation.id), reply, None,
                                              now)
            if elsewhere is not None:
                await self._queue(conversation, *elsewhere, None, now)
            if delivered is not None and not await self._recorded(conversation.id, delivered):
                await self._insert_sent(conversation.id, conversation.brand, conversation.platform, "moderator",
                                        moderator, delivered.target, delivered.platform_message_id, delivered.text,
                                        now.isoformat())
            await self._db.commit()
        conversation.state = state
        conversation.moderator = moderator
        return outbox_id

    async def hide_public(self, conversation: Conversation, moderator: str, message_id: int | None = None
                          ) -> int | None:
        """Queue hiding the customer's latest public message in the thread that is still up, or the one given
        (a moderator's call: abuse around a question a person has answered, abuse the bot left up); returns its
        outbox id (the one queued before, when it was), None when the customer has no such message. The thread's
        state does not change."""
        which, params = ("", (conversation.id,)) if message_id is None else (
            " AND id = ?", (conversation.id, message_id))
        async with self._write:
            rows = await self.fetch(
                "SELECT id, chat_id, thread_id, platform_message_id FROM messages WHERE conversation_id = ?"
                f" AND direction = 'in' AND is_public = 1 AND deleted_at IS NULL{which} ORDER BY id DESC LIMIT 1",
                params)
            if not rows:
                return None
            hidden_id, chat_id, thread_id, platform_message_id = rows[0]
            queued = await self.fetch(
                "SELECT id FROM outbox WHERE conversation_id = ? AND kind = 'hide' AND chat_id = ? AND reply_to = ?"
                " AND status IN ('pending', 'sent')", (conversation.id, chat_id, platform_message_id))
            if queued:
                return int(queued[0][0])
            outbox_id = await self._queue(
                conversation, ReplyTarget(str(chat_id), thread_id, platform_message_id),
                NewReply("", "hide", extra={"reason": "moderator", "moderator": moderator}), int(hidden_id),
                utcnow())
            await self._db.commit()
        return outbox_id

    async def hand_off(self, conversation: Conversation, reason: str, deadline: datetime, notice: NewReply,
                       message_id: int | None) -> bool:
        """Hand a thread the bot is answering to a person outside a message's decision (the customer disapproved of
        the bot's answer to `message_id`): a handoff due by `deadline`, the thread waiting for a moderator, and
        `notice` queued to the customer, in one transaction. False when the thread is not the bot's now (a person
        has it, or it waits for one already)."""
        now = utcnow()
        async with self._write:
            if await self._stored_state(conversation) is not ConversationState.BOT:
                return False
            state = next_state(ConversationState.BOT, Event.HANDOFF)
            await self._db.execute(
                "INSERT INTO handoffs (conversation_id, brand, reason, message_id, created_at, deadline_at)"
                " VALUES (?, ?, ?, COALESCE(?, (SELECT MAX(id) FROM messages WHERE conversation_id = ?"
                " AND direction = 'in')), ?, ?)",
                (conversation.id, conversation.brand, reason, message_id, conversation.id, now.isoformat(),
                 deadline.isoformat()))
            await self._db.execute(
                "UPDATE conversations SET state = ?, handoff_reason = ?, handoff_at = ?, updated_at = ? WHERE id = ?",
                (state.value, reason, now.isoformat(), now.isoformat(), conversation.id))
            await self._queue_to_latest(conversation, notice)
            await self._db.commit()
        conversation.state = state
        conversation.handoff_reason = reason
        conversation.handoff_at = now
        return True

    async def quiet_answered_handoffs(self, brand: str, quiet_since: datetime) -> list[tuple[Handoff, Conversation]]:
        """A brand's open handoffs a person has answered, where nobody waits for an answer and the conversation
        has had no message either way since `quiet_since`."""
        async with self._db.execute(
            "SELECT * FROM handoffs h WHERE h.brand = ? AND h.closed_at IS NULL AND h.first_reply_at IS NOT NULL"
            " AND h.followup_at IS NULL AND (SELECT m.sent_at FROM messages m WHERE m.conversation_id ="
            " h.conversation_id ORDER BY m.id DESC LIMIT 1) < ?",
            (brand, quiet_since.isoformat()),
        ) as cur:
            handoffs = [handoff_of(r) for r in await cur.fetchall()]
        return [(handoff, await self.conversation(handoff.conversation_id, brand)) for handoff in handoffs]

    async def add_note(self, conversation: Conversation, author: str, text: str) -> None:
        async with self._write:
            await self._db.execute(
                "INSERT INTO notes (conversation_id, author, text, created_at) VALUES (?, ?, ?, ?)",
                (conversation.id, author, text, now_iso()),
            )
            await self._db.commit()

    async def notes(self, conversation_id: int) -> list[tuple[str, str]]:
        async with self._db.execute(
            "SELECT author, text FROM notes WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        ) as cur:
            return [(str(r[0]), str(r[1])) for r in await cur.fetchall()]

    async def store_rating(self, conversation: Conversation, satisfied: bool, comment: str | None = None) -> bool:
        """The customer's verdict on the last closed handoff; False if it was already rated or no handoff was
        ever resolved (a rating is only asked for when a moderator resolves a thread)."""
        async with self._db.execute(
            "SELECT id FROM handoffs WHERE conversation_id = ? AND outcome = 'resolve' ORDER BY id DESC LIMIT 1",
            (conversation.id,),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return False
        handoff_id = int(row[0])
        async with self._write:
            cur2 = await self._db.execute(
                "INSERT INTO ratings (conversation_id, handoff_id, satisfied, comment, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (handoff_id) DO NOTHING",
                (conversation.id, handoff_id, int(satisfied), comment, now_iso()),
            )
            await self._db.commit()
        return cur2.rowcount == 1

    async def rating_awaited(self, conversation_id: int) -> bool:
        """Whether the customer's last reply from the brand asked them to rate a resolution they have not rated
        (their next words may be the answer: "да, спасибо", "нет, не решили")."""
        last = await self.last_reply(conversation_id)
        if last is None or last[0] != "rating":
            return False
        async with self._db.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM ratings r WHERE r.handoff_id = h.id) FROM handoffs h"
            " WHERE h.conversation_id = ? AND h.outcome = 'resolve' ORDER BY h.id DESC LIMIT 1", (conversation_id,),
        ) as cur:
            row = await cur.fetchone()
        return bool(row and row[0])

    async def unsatisfied_words(self, brand: str, since: datetime, until: datetime, limit: int
                                ) -> list[tuple[str, str]]:
        """What the brand's customers wrote when they answered the rating question that they were not satisfied
        ("нет, деньги так и не вернули"), between two moments, newest first: (their words, when)."""
        rows = await self.fetch(
            "SELECT r.comment, r.created_at FROM ratings r JOIN conversations c ON c.id = r.conversation_id"
            " WHERE c.brand = ? AND r.satisfied = 0 AND r.comment IS NOT NULL AND r.comment != ''"
            " AND r.created_at >= ? AND r.created_at < ? ORDER BY r.id DESC LIMIT ?",
            (brand, since.isoformat(), until.isoformat(), limit))
        return [(str(comment), str(at)) for comment, at in rows]

    async def ratings(self, conversation_id: int) -> list[tuple[bool, str | None]]:
        async with self._db.execute(
            "SELECT satisfied, comment FROM ratings WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        ) as cur:
            return [(bool(r[0]), r[1]) for r in await cur.fetchall()]

    async def handoff_suggestions(self, conversation_id: int) -> tuple[list[str], bool, str]:
        """The entries offered for the message that opened the conversation's open handoff, whether that
        message was public, and its text; none when no handoff is open."""
        async with self._db.execute(
            "SELECT m.suggestions, m.is_public, m.text FROM handoffs h JOIN messages m ON m.id = h.message_id"
            " WHERE h.conversation_id = ? AND h.closed_at IS NULL ORDER BY h.id DESC LIMIT 1",
            (conversation_id,),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return [], False, ""
        return list(json.loads(row[0])) if row[0] else [], bool(row[1]), str(row[2] or "")

    async def overdue_handoffs(self, now: datetime) -> list[tuple[Handoff, Conversation]]:
        """Open handoffs past their deadline that no moderator has answered yet and nobody was told of, then
        answered ones whose customer's follow-up is past its own deadline, unanswered and not told yet."""
        late = await self._select_handoffs(
            "closed_at IS NULL AND first_reply_at IS NULL AND overdue_at IS NULL AND deadline_at <= ?"
            " ORDER BY deadline_at", now)
        late += await self._select_handoffs(
            "closed_at IS NULL AND followup_overdue_at IS NULL AND followup_due <= ? ORDER BY followup_due", now)
        return [(h, await self.conversation(h.conversation_id, brand)) for h, brand in late]

    async def _select_handoffs(self, where: str, now: datetime) -> list[tuple[Handoff, str]]:
        """Handoffs matching `where` (one `?`: now), each with its brand."""
        async with self._db.execute(f"SELECT * FROM handoffs WHERE {where}", (now.isoformat(),)) as cur:
            return [(handoff_of(r), r["brand"]) for r in await cur.fetchall()]

    async def due_soon_handoffs(self, now: datetime, lead: Mapping[str, timedelta],
                                share: float) -> list[tuple[Handoff, Conversation]]:
        """Open handoffs whose customer waits for a person (the first reply, or once answered, a follow-up) due
        `lead[brand]` from now or sooner (a brand not given: once `share` of the window is used up), not overdue,
        and whose moderators were not reminded of it yet."""
        waiting = await self._select_handoffs(
            "closed_at IS NULL AND first_reply_at IS NULL AND overdue_at IS NULL AND reminded_at IS NULL"
            " AND deadline_at > ? ORDER BY deadline_at", now)
        waiting += await self._select_handoffs(
            "closed_at IS NULL AND followup_overdue_at IS NULL AND followup_due > ? AND followup_reminded_at IS NULL"
            " ORDER BY followup_due", now)
        due = []
        for handoff, brand in waiting:
            if handoff.due_at is None or handoff.waiting_since is None:
                continue
            before = lead.get(brand, (handoff.due_at - handoff.waiting_since) * (1 - share))
            if handoff.due_at - before <= now:
                due.append((handoff, await self.conversation(handoff.conversation_id, brand)))
        return due

    async def mark_reminded(self, handoff: Handoff) -> bool:
        """Note that moderators were reminded (of the first reply, or once answered, of the customer's follow-up);
        False when it was answered, closed or reminded meanwhile."""
        async with self._write:
            if handoff.first_reply_at is None:
                cur = await self._db.execute(
                    "UPDATE handoffs SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL"
                    " AND first_reply_at IS NULL AND closed_at IS NULL",
                    (now_iso(), handoff.id),
                )
            else:
                cur = await self._db.execute(
                    "UPDATE handoffs SET followup_reminded_at = ? WHERE id = ? AND followup_reminded_at IS NULL"
                    " AND followup_due = ? AND closed_at IS NULL",
                    (now_iso(), handoff.id, handoff.followup_due.isoformat() if handoff.followup_due else None),
                )
            await self._db.commit()
        return cur.rowcount == 1

    async def flag_overdue(self, handoff: Handoff, conversation: Conversation, reply: NewReply | None) -> bool:
        """Mark the handoff (or, once answered, the customer's follow-up) overdue and queue the customer's notice
        in one transaction; False when a moderator answered meanwhile or it was flagged already (so the notice
        goes out once)."""
        async with self._write:
            if handoff.first_reply_at is None:
                cur = await self._db.execute(
                    "UPDATE handoffs SET overdue_at = ? WHERE id = ? AND overdue_at IS NULL AND first_reply_at IS NULL"
                    " AND closed_at IS NULL",
                    (now_iso(), handoff.id),
                )
            else:  # a follow-up: the same one still unanswered (a moderator's reply clears it)
                cur = await self._db.execute(
                    "UPDATE handoffs SET followup_overdue_at = ? WHERE id = ? AND followup_overdue_at IS NULL"
                    " AND followup_due = ? AND closed_at IS NULL",
                    (now_iso(), handoff.id, handoff.followup_due.isoformat() if handoff.followup_due else None),
                )
            if cur.rowcount != 1:
                await self._db.rollback()
                return False
            if reply is not None:
                await self._queue_to_latest(conversation, reply)
            await self._db.commit()
        return True

    async def public_cases_to_measure(self, resolved_since: datetime, measured_before: datetime) -> list[PublicCase]:
        """Resolved handoffs that began in public, resolved since `resolved_since`, whose reach was never
        measured or last measured before `measured_before`."""
        async with self._db.execute(
            "SELECT h.id, h.brand, m.platform, m.chat_id"
            " FROM handoffs h JOIN messages m ON m.id = h.message_id"
            " WHERE h.outcome = 'resolve' AND h.closed_at >= ? AND m.is_public = 1"
            " AND (h.reach_at IS NULL OR h.reach_at < ?) ORDER BY h.closed_at",
            (resolved_since.isoformat(), measured_before.isoformat()),
        ) as cur:
            rows = await cur.fetchall()
        return [PublicCase(int(r[0]), r[1], r[2], str(r[3])) for r in rows]

    async def record_reach(self, handoff_id: int, reach: Reach | None, at: datetime) -> None:
        """A solved public case's reach as measured at `at` (None: the platform could not tell)."""
        async with self._write:
            await self._db.execute(
                "UPDATE handoffs SET reach = ?, reach_kind = ?, reach_at = ? WHERE id = ?",
                (reach.people if reach else None, reach.kind if reach else None, at.isoformat(), handoff_id),
            )
            await self._db.commit()

    async def customer_after_all(self, brand: str, message_id: int, reason: str, deadline: datetime
                                 ) -> Conversation | None:
        """A message the bot took for spam is a customer's after all (a moderator says so): it becomes a handoff
        of its own (`reason`, a person to react by `deadline`), the conversation waits for a person, and a VK
        comment the bot hid is queued to be restored (a Telegram message it deleted is gone for good). None when
        the message is no spam of the brand's (any more)."""
        now = utcnow()
        async with self._write:
            async with self._db.execute(
                "SELECT conversation_id, platform, chat_id, thread_id, platform_message_id, business_connection,"
                " action FROM messages WHERE id = ? AND brand = ? AND direction = 'in' AND reason IN ('spam', ?)",
                (message_id, brand, SPAM_PRIVATE),
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                return None
            conversation = await self.conversation(int(row["conversation_id"]), brand)
            await self._db.execute("UPDATE messages SET action = 'handoff', reason = ? WHERE id = ?",
                                   (reason, message_id))
            if await self.open_handoff(conversation.id) is None:
                await self._db.execute(
                    "INSERT INTO handoffs (conversation_id, brand, reason, message_id, created_at, deadline_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (conversation.id, brand, reason, message_id, now.isoformat(), deadline.isoformat()))
                await self._db.execute(
                    "UPDATE conversations SET state = ?, handoff_reason = ?, handoff_at = ?, updated_at = ?"
                    " WHERE id = ?", (ConversationState.WAITING_FOR_MODERATOR.value, reason, now.isoformat(),
                                      now.isoformat(), conversation.id))
            if row["action"] == "hide" and row["platform"] == Platform.VK.value:
                await self._queue(conversation, ReplyTarget(row["chat_id"], row["thread_id"],
                                                            row["platform_message_id"], row["business_connection"]),
                                  NewReply("", "restore"), message_id, now)
            await self._db.commit()
        return await self.conversation(conversation.id, brand)
