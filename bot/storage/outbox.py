"""The outbox: replies queued in the transaction that decided them, delivered or retried, also after a
restart; a delivered reply joins the conversation's history."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from bot.storage.conversations import ConversationStore
from bot.storage.records import (
    OTHER,
    UNREACHABLE,
    DeliveredReply,
    NewReply,
    OutboxItem,
    ReactedReply,
    ReplyTarget,
    now_iso,
)
from handlers.types import (
    Conversation,
    Platform,
    utcnow,
)

# The bot's own texts, which a person's answer makes stale; the person's replies, ratings and hiding abuse are not.
BOT_TEXT_KINDS = "('answer', 'handoff', 'notice')"


class OutboxStore(ConversationStore):
    """Replies waiting for delivery, their retries and failures."""

    async def _queue(
        self, conversation: Conversation, target: ReplyTarget, reply: NewReply, source_message_id: int | None,
        now: datetime,
    ) -> int:
        cur = await self._db.execute(
            "INSERT INTO outbox (conversation_id, brand, platform, chat_id, thread_id, reply_to, text, kind,"
            " phrasing_key, source_message_id, extra, next_attempt_at, created_at, business_connection)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (conversation.id, conversation.brand, conversation.platform.value, target.chat_id, target.thread_id,
             target.reply_to, reply.text, reply.kind, reply.phrasing_key, source_message_id,
             json.dumps(reply.extra or {}), now.isoformat(), now.isoformat(), target.business_connection),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    async def _queue_to_latest(self, conversation: Conversation, reply: NewReply) -> int:
        """Queue a reply where the customer last wrote (inside a write transaction)."""
        return await self._queue(conversation, await self._reply_target(conversation.id), reply, None, utcnow())

    async def queue_notice(self, conversation: Conversation, reply: NewReply) -> int:
        """Queue a bot notice (e.g. thanks for a rating) to the customer's latest chat; no state change."""
        async with self._write:
            outbox_id = await self._queue_to_latest(conversation, reply)
            await self._db.commit()
        return outbox_id

    async def queue_under(self, message_id: int, reply: NewReply) -> int:
        """Queue a reply under one stored customer message (a public comment), in its conversation, whoever wrote
        later; no state change."""
        async with self._write:
            async with self._db.execute(
                "SELECT conversation_id, brand, chat_id, thread_id, platform_message_id, business_connection"
                " FROM messages WHERE id = ? AND direction = 'in'", (message_id,),
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                raise KeyError(f"no customer message {message_id}")
            conversation = await self.conversation(int(row["conversation_id"]), row["brand"])
            target = ReplyTarget(row["chat_id"], row["thread_id"], row["platform_message_id"],
                                 row["business_connection"])
            outbox_id = await self._queue(conversation, target, reply, message_id, utcnow())
            await self._db.commit()
        return outbox_id

    async def due_outbox(self, platform: Platform, limit: int = 50) -> list[OutboxItem]:
        """Pending items whose time has come, oldest first; an item waits while an older one of its chat is
        still pending and not due (a chat's replies keep their order through retries).

        An item is `superseded` when it is the bot's own text (an answer, a handoff notice, a notice) and a
        person answered the thread in the same chat after what it replies to: their reply is in the history
        (sent from the desk, or by hand in the platform's app) or queued after it. Sent late (after retries, or
        decided while the person wrote), it would answer again what the person already answered. A reply
        elsewhere (in private, to a public complaint) leaves the public answer: others read it there."""
        now = now_iso()
        async with self._db.execute(
            "SELECT o.*, o.kind IN " + BOT_TEXT_KINDS + " AND (EXISTS (SELECT 1 FROM messages m"
            " WHERE m.conversation_id = o.conversation_id AND m.direction = 'out' AND m.author = 'moderator'"
            " AND m.chat_id = o.chat_id AND m.business_connection = o.business_connection"
            " AND CASE WHEN o.source_message_id IS NULL THEN m.sent_at >= o.created_at"
            " ELSE m.id > o.source_message_id END)"
            " OR EXISTS (SELECT 1 FROM outbox p WHERE p.conversation_id = o.conversation_id AND p.id > o.id"
            " AND p.chat_id = o.chat_id AND p.business_connection = o.business_connection"
            " AND p.kind = 'moderator' AND p.status != 'failed')) AS superseded,"
            " (SELECT c.language FROM conversations c WHERE c.id = o.conversation_id) AS language,"
            " (SELECT m.sent_at FROM messages m WHERE m.id = o.source_message_id) AS asked_at"
            " FROM outbox o WHERE o.platform = ? AND o.status = 'pending' AND o.next_attempt_at <= ?"
            " AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.platform = o.platform AND e.chat_id = o.chat_id"
            " AND e.status = 'pending' AND e.id < o.id AND e.next_attempt_at > ?)"
            " ORDER BY o.id LIMIT ?",
            (platform.value, now, now, limit),
        ) as cur:
            rows = await cur.fetchall()
        return [
            OutboxItem(int(r["id"]), int(r["conversation_id"]), r["brand"], Platform(r["platform"]), r["chat_id"],
                       r["thread_id"], r["reply_to"], r["text"], r["kind"], int(r["attempts"]),
                       json.loads(r["extra"] or "{}"), r["business_connection"], bool(r["superseded"]),
                       _waiting_since(r["created_at"], r["asked_at"]), r["language"])
            for r in rows
        ]

    async def mark_withdrawn(self, item: OutboxItem, why: str) -> None:
        """Not sent, on purpose (a person's answer overtook it): closed as 'withdrawn' with the reason."""
        async with self._write:
            await self._db.execute("UPDATE outbox SET status = 'withdrawn', last_error = ? WHERE id = ?",
                                   (why, item.id))
            await self._db.commit()

    async def sent_or_sending(self, platform: Platform, chat_id: str, platform_message_id: str,
                              reply_to: str | None) -> bool:
        """A message in a chat is the bot's own: delivered with that id, or (its id not recorded yet) a reply to
        the same message still on its way."""
        async with self._db.execute(
            "SELECT 1 FROM outbox WHERE platform = ? AND chat_id = ? AND (platform_message_id = ?"
            " OR (status = 'pending' AND reply_to = ?)) LIMIT 1",
            (platform.value, chat_id, platform_message_id, reply_to),
        ) as cur:
            return await cur.fetchone() is not None

    async def outbox_status(self, outbox_id: int) -> str:
        async with self._db.execute("SELECT status FROM outbox WHERE id = ?", (outbox_id,)) as cur:
            row = await cur.fetchone()
        if row is None:
            raise KeyError(outbox_id)
        return str(row[0])

    async def outbox_item(self, outbox_id: int) -> tuple[str, str]:
        async with self._db.execute("SELECT text, status FROM outbox WHERE id = ?", (outbox_id,)) as cur:
            row = await cur.fetchone()
        if row is None:
            raise KeyError(outbox_id)
        return str(row[0]), str(row[1])

    async def mark_sent(self, item: OutboxItem, platform_message_id: str | None) -> None:
        """Delivered: the outbox row is closed and the reply joins the conversation history. A hidden message is
        marked deleted by the brand (Telegram tells bots of no deletions in groups; VK's later report of it is
        then one already known), a restored one no longer."""
        now = now_iso()
        author = "moderator" if item.kind == "moderator" else "bot"
        async with self._write:
            await self._db.execute(
                "UPDATE outbox SET status = 'sent', sent_at = ?, platform_message_id = ?, attempts = attempts + 1"
                " WHERE id = ?",
                (now, platform_message_id, item.id),
            )
            if item.kind == "hide":
                await self._db.execute(
                    "UPDATE messages SET deleted_at = ?, deleted_by = ? WHERE conversation_id = ? AND direction = 'in'"
                    " AND chat_id = ? AND business_connection = ? AND platform_message_id = ? AND deleted_at IS NULL",
                    (now, OTHER, item.conversation_id, item.chat_id, item.business_connection, item.reply_to))
            elif item.kind == "restore":  # a comment the bot hid as spam, a customer's after all, is back (no
                await self._db.execute(  # reply of the bot's: the history's text-less one reads as hiding it)
                    "UPDATE messages SET deleted_at = NULL, deleted_by = NULL WHERE conversation_id = ?"
                    " AND direction = 'in' AND chat_id = ? AND platform_message_id = ?",
                    (item.conversation_id, item.chat_id, item.reply_to))
                await self._db.commit()
                return
            await self._insert_sent(
                item.conversation_id, item.brand, item.platform, author, str(item.extra.get("moderator", "")),
                ReplyTarget(item.chat_id, item.thread_id, item.reply_to, item.business_connection),
                platform_message_id, item.text, now,
            )
            await self._db.commit()

    async def _recorded(self, conversation_id: int, delivered: DeliveredReply) -> bool:
        """This delivered reply is in the history already (its update was read again after a restart)."""
        async with self._db.execute(
            "SELECT 1 FROM messages WHERE conversation_id = ? AND direction = 'out' AND platform_message_id = ?"
            " AND chat_id = ? AND business_connection = ?",
            (conversation_id, delivered.platform_message_id, delivered.target.chat_id,
             delivered.target.business_connection),
        ) as cur:
            return await cur.fetchone() is not None

    async def _insert_sent(
        self, conversation_id: int, brand: str, platform: Platform, author: str, author_id: str,
        target: ReplyTarget, platform_message_id: str | None, text: str, now: str,
    ) -> None:
        """A reply delivered to the customer joins the conversation's history (inside a write transaction)."""
        await self._db.execute(
            "INSERT INTO messages (conversation_id, brand, platform, direction, author, chat_id, thread_id,"
            " platform_message_id, reply_to, author_id, author_name, text, kind, is_public, sent_at, status,"
            " business_connection) VALUES (?, ?, ?, 'out', ?, ?, ?, ?, ?, ?, '', ?, 'text', 0, ?, 'processed', ?)",
            (conversation_id, brand, platform.value, author, target.chat_id, target.thread_id, platform_message_id,
             target.reply_to, author_id, text, now, target.business_connection),
        )

    async def mark_retry(self, item: OutboxItem, error: str, delay_seconds: float) -> None:
        when = (utcnow() + timedelta(seconds=delay_seconds)).isoformat()
        async with self._write:
            await self._db.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                (error[:500], when, item.id),
            )
            await self._db.commit()

    async def mark_undeliverable(self, item: OutboxItem, error: str, *, unreachable: bool) -> None:
        async with self._write:
            await self._db.execute(
                "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
                ((UNREACHABLE if unreachable else "") + error[:500], item.id),
            )
            if unreachable:
                await self._db.execute(
                    "UPDATE conversations SET unreachable = 1 WHERE id = ?", (item.conversation_id,)
                )
            await self._db.commit()

    async def record_reaction(self, brand: str, platform: Platform, chat_id: str, platform_message_id: str,
                              customer_id: str, reaction: str) -> ReactedReply | None:
        """A customer's reaction (its emoji, space-separated; '' when taken back) to a reply delivered to them,
        kept on the reply; None when the message is no reply of this brand's to this customer (another bot's, a
        forum post, an answer to someone else under a public post)."""
        async with self._write:
            cur = await self._db.execute(
                "UPDATE outbox SET reaction = ? WHERE brand = ? AND platform = ? AND chat_id = ?"
                " AND platform_message_id = ? AND business_connection = '' AND status = 'sent'"
                " AND conversation_id = (SELECT id FROM conversations WHERE brand = ? AND platform = ?"
                " AND customer_id = ?) RETURNING id, conversation_id, kind, text, source_message_id",
                (reaction, brand, platform.value, chat_id, platform_message_id, brand, platform.value, customer_id))
            row = await cur.fetchone()
            await cur.close()
            await self._db.commit()
        if row is None:
            return None
        return ReactedReply(int(row[0]), int(row[1]), str(row[2]), str(row[3]),
                            int(row[4]) if row[4] is not None else None)


def _waiting_since(queued_at: str, asked_at: str | None) -> datetime:
    """Since when the customer waits for an outbox item: the message it answers, else when it was queued."""
    queued = datetime.fromisoformat(queued_at)
    return min(queued, datetime.fromisoformat(asked_at)) if asked_at else queued
