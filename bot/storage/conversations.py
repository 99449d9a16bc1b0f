"""Customers' messages as they arrive, and the conversations they belong to."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

import aiosqlite

from bot.storage.base import StorageBase
from bot.storage.records import (
    PUBLIC_PHRASINGS_REMEMBERED,
    RESEND_WITHIN,
    UNREACHABLE,
    ReplyTarget,
    StoredMessage,
    moment_or_none,
    now_iso,
)
from handlers.types import (
    Conversation,
    ConversationState,
    IncomingMessage,
    MessageKind,
    Platform,
    utcnow,
)


class ConversationStore(StorageBase):
    """Every incoming message is stored here before it is processed; conversations and their history."""

    async def store_incoming(self, msg: IncomingMessage) -> tuple[int, Conversation] | None:
        """Store a customer's message; None when this platform message was stored before. A customer marked
        unreachable (they had blocked the bot) who writes again in private is reachable again, and the replies
        that failed for the block are due again (see `set_reachable`)."""
        now = now_iso()
        async with self._write:
            await self._db.execute(
                "INSERT INTO conversations (brand, platform, customer_id, customer_name, state, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, 'bot', ?, ?) ON CONFLICT (brand, platform, customer_id) DO UPDATE SET"
                " customer_name = CASE WHEN excluded.customer_name != '' THEN excluded.customer_name"
                " ELSE customer_name END",
                (msg.brand, msg.platform.value, msg.author_id, msg.author_name, now, now),
            )
            conversation = await self._conversation_by_customer(msg.brand, msg.platform, msg.author_id)
            cur = await self._db.execute(
                "INSERT INTO messages (conversation_id, brand, platform, direction, author, chat_id, thread_id,"
                " platform_message_id, reply_to, author_id, author_name, text, kind, is_public, sent_at, status,"
                " business_connection, language_hint)"
                " VALUES (?, ?, ?, 'in', 'customer', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?)"
                " ON CONFLICT DO NOTHING",
                (conversation.id, msg.brand, msg.platform.value, msg.chat_id, msg.thread_id, msg.message_id,
                 msg.reply_to, msg.author_id, msg.author_name, msg.text, msg.kind.value, int(msg.is_public),
                 msg.sent_at.isoformat(), msg.business_connection, msg.language_hint),
            )
            inserted = cur.rowcount == 1
            row_id = cur.lastrowid
            if inserted and conversation.unreachable and not msg.is_public:  # unblocked, or allowed messages again
                await self._mark_reachable(conversation, True)
            await self._db.commit()
        if not inserted or row_id is None:
            return None
        return row_id, conversation

    async def set_reachable(self, conversation: Conversation, reachable: bool) -> tuple[bool, int]:
        """The customer blocked the brand's private messages (False: the bot, or the community's messages) or
        allowed them again (True). The conversation's flag follows; allowed again, the private replies that failed
        for the block and were queued within RESEND_WITHIN are due again (a person's answer that overtook one of
        the bot's since still withdraws it at delivery). Returns whether the flag changed, and how many replies
        are due again."""
        async with self._write:
            changed, resent = await self._mark_reachable(conversation, reachable)
            await self._db.commit()
        return changed, resent

    async def _mark_reachable(self, conversation: Conversation, reachable: bool) -> tuple[bool, int]:
        """Inside a write transaction: the flag set, and allowed again, the replies into the customer's private chat
        (the bot's or the community's, not a Telegram Business chat: blocking the bot does not block the account)
        that failed for a block due again."""
        cur = await self._db.execute("UPDATE conversations SET unreachable = ? WHERE id = ? AND unreachable = ?",
                                     (int(not reachable), conversation.id, int(reachable)))
        changed = cur.rowcount == 1
        conversation.unreachable = not reachable
        if not reachable:
            return changed, 0
        cur = await self._db.execute(
            "UPDATE outbox SET status = 'pending', last_error = NULL, next_attempt_at = ? WHERE conversation_id = ?"
            " AND status = 'failed' AND substr(last_error, 1, ?) = ? AND business_connection = '' AND created_at >= ?"
            " AND chat_id IN (SELECT chat_id FROM messages WHERE conversation_id = ? AND direction = 'in'"
            " AND is_public = 0 AND business_connection = '')",
            (now_iso(), conversation.id, len(UNREACHABLE), UNREACHABLE, (utcnow() - RESEND_WITHIN).isoformat(),
             conversation.id))
        return changed, cur.rowcount

    async def update_incoming_text(self, msg: IncomingMessage) -> bool:
        """An edited message: the stored text follows the customer's edit."""
        async with self._write:
            cur = await self._db.execute(
                "UPDATE messages SET text = ?, edited_at = ? WHERE direction = 'in' AND brand = ?"
                " AND platform = ? AND chat_id = ? AND platform_message_id = ? AND business_connection = ?",
                (msg.text, now_iso(), msg.brand, msg.platform.value, msg.chat_id, msg.message_id,
                 msg.business_connection),
            )
            await self._db.commit()
        return cur.rowcount > 0

    async def pending_incoming(self) -> list[int]:
        async with self._db.execute("SELECT id FROM messages WHERE status = 'received' ORDER BY id") as cur:
            return [int(r[0]) for r in await cur.fetchall()]

    async def undecided_text(self, conversation_id: int) -> str | None:
        """The text of the conversation's latest customer message still to be decided (None when there is none)."""
        rows = await self.fetch("SELECT text FROM messages WHERE conversation_id = ? AND direction = 'in'"
                                " AND status = 'received' ORDER BY id DESC LIMIT 1", (conversation_id,))
        return str(rows[0][0]) if rows else None

    async def load_incoming(self, message_id: int) -> tuple[IncomingMessage, int, str]:
        async with self._db.execute("SELECT * FROM messages WHERE id = ?", (message_id,)) as cur:
            row = await cur.fetchone()
        if row is None:
            raise KeyError(message_id)
        msg = IncomingMessage(
            platform=Platform(row["platform"]), brand=row["brand"], chat_id=row["chat_id"],
            message_id=row["platform_message_id"] or "", author_id=row["author_id"], text=row["text"],
            author_name=row["author_name"], is_public=bool(row["is_public"]), thread_id=row["thread_id"],
            reply_to=row["reply_to"], kind=MessageKind(row["kind"]), sent_at=datetime.fromisoformat(row["sent_at"]),
            business_connection=row["business_connection"], language_hint=row["language_hint"],
        )
        return msg, int(row["conversation_id"]), str(row["status"])

    @staticmethod
    def _conversation(row: aiosqlite.Row) -> Conversation:
        return Conversation(
            id=int(row["id"]), brand=row["brand"], platform=Platform(row["platform"]),
            customer_id=row["customer_id"], customer_name=row["customer_name"],
            state=ConversationState(row["state"]), language=row["language"],
            handoff_reason=row["handoff_reason"], handoff_at=moment_or_none(row["handoff_at"]),
            moderator=row["moderator"], unreachable=bool(row["unreachable"]),
        )

    async def _stored_state(self, conversation: Conversation) -> ConversationState:
        """The conversation's state as stored now: read under the write lock before moving it on, since the
        pipeline and the moderators move it side by side (`conversation` may have been read before)."""
        async with self._db.execute("SELECT state FROM conversations WHERE id = ?", (conversation.id,)) as cur:
            row = await cur.fetchone()
        return ConversationState(row[0]) if row else conversation.state

    async def conversation_of_message(self, brand: str, platform: Platform, chat_id: str,
                                      platform_message_id: str) -> Conversation | None:
        """The conversation a customer's stored message belongs to (e.g. the one a person replied to)."""
        async with self._db.execute(
            "SELECT conversation_id FROM messages WHERE brand = ? AND platform = ? AND chat_id = ?"
            " AND platform_message_id = ? AND business_connection = '' AND direction = 'in'",
            (brand, platform.value, chat_id, platform_message_id),
        ) as cur:
            row = await cur.fetchone()
        return await self.conversation(int(row[0]), brand) if row else None

    async def _conversation_by_customer(self, brand: str, platform: Platform, customer_id: str) -> Conversation:
        async with self._db.execute(
            "SELECT * FROM conversations WHERE brand = ? AND platform = ? AND customer_id = ?",
            (brand, platform.value, customer_id),
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        return self._conversation(row)

    async def conversation(self, conversation_id: int, brand: str) -> Conversation:
        """A conversation, only if it belongs to `brand` (moderators never see other brands)."""
        async with self._db.execute(
            "SELECT * FROM conversations WHERE id = ? AND brand = ?", (conversation_id, brand)
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            raise KeyError(f"brand {brand!r} has no conversation {conversation_id}")
        return self._conversation(row)

    async def conversations(self, brand: str, states: Iterable[ConversationState]) -> list[Conversation]:
        wanted = [s.value for s in states]
        marks = ",".join("?" * len(wanted))
        async with self._db.execute(
            f"SELECT * FROM conversations WHERE brand = ? AND state IN ({marks}) ORDER BY handoff_at, id",
            (brand, *wanted),
        ) as cur:
            return [self._conversation(r) for r in await cur.fetchall()]

    async def customer_conversation(self, brand: str, platform: Platform, customer_id: str) -> Conversation | None:
        async with self._db.execute(
            "SELECT * FROM conversations WHERE brand = ? AND platform = ? AND customer_id = ?",
            (brand, platform.value, customer_id),
        ) as cur:
            row = await cur.fetchone()
        return self._conversation(row) if row else None

    async def history(self, conversation_id: int, limit: int = 20) -> list[StoredMessage]:
        """The conversation's last messages, both directions, oldest first."""
        async with self._db.execute(
            "SELECT *, (SELECT j.text FROM messages j WHERE j.id = m.joins) AS joined_text FROM"
            " (SELECT * FROM messages WHERE conversation_id = ? ORDER BY id DESC LIMIT ?) m ORDER BY id",
            (conversation_id, limit),
        ) as cur:
            rows = await cur.fetchall()
        return [_stored(r) for r in rows]

    async def joined_comments(self, brand: str, platform: Platform, chat_id: str, author_id: str,
                              replied: Sequence[str], since: datetime | None, thread: str | None,
                              reasons: Collection[str], latest: int = 5) -> list[StoredMessage]:
        """Other customers' comments in a public chat (a commented post, a group) that a comment may join ("у меня
        тоже", handlers.me_too), decided for one of `reasons`: those of `replied` (the comment it
        replies to, its thread's first), in that order; then, with `since`, the `latest` written since then (in
        `thread` only, when given: a Telegram discussion group's channel post), newest first. Deleted comments are
        left out."""
        marks = ", ".join("?" * len(reasons))
        common = (f"brand = ? AND platform = ? AND chat_id = ? AND direction = 'in' AND author_id != ?"
                  f" AND reason IN ({marks}) AND deleted_at IS NULL")
        args = (brand, platform.value, chat_id, author_id, *reasons)
        queries: list[tuple[str, tuple[object, ...]]] = [
            ("AND platform_message_id = ?", (message_id,)) for message_id in replied]
        if since is not None:
            in_thread = ("AND thread_id = ?", (thread,)) if thread is not None else ("", ())
            queries.append((f"AND sent_at >= ? {in_thread[0]} ORDER BY id DESC LIMIT ?",
                            (since.isoformat(), *in_thread[1], latest)))
        found: list[StoredMessage] = []
        for where, values in queries:
            async with self._db.execute(f"SELECT *, NULL AS joined_text FROM messages WHERE {common} {where}",
                                        (*args, *values)) as cur:
                found += [_stored(row) for row in await cur.fetchall()]
        return found

    async def mark_joined(self, message_id: int, joined: StoredMessage) -> None:
        """Keep which comment a public one joined and was answered as (handlers.me_too), for the moderators' card."""
        async with self._write:
            await self._db.execute("UPDATE messages SET joins = ? WHERE id = ?", (joined.id, message_id))
            await self._db.commit()

    async def used_phrasings(self, conversation_id: int, public_chat: str | None = None,
                             limit: int = PUBLIC_PHRASINGS_REMEMBERED) -> list[str]:
        """The phrasings this customer got, oldest first; with `public_chat` (a commented post, a group), also
        those everyone got there lately: readers of a comment thread never see one template over and over."""
        wheres: list[tuple[str, object]] = [("conversation_id = ?", conversation_id)]
        if public_chat is not None:
            wheres.append(("chat_id = ?", public_chat))
        latest: dict[int, str] = {}
        for where, value in wheres:  # each by its own index, newest first (a busy group's whole year is not sorted)
            async with self._db.execute(
                f"SELECT id, phrasing_key FROM outbox WHERE {where} AND phrasing_key IS NOT NULL"
                " ORDER BY id DESC LIMIT ?", (value, limit),
            ) as cur:
                latest.update((int(r[0]), str(r[1])) for r in await cur.fetchall())
        return [latest[i] for i in sorted(latest)[-limit:]]

    async def last_reply(self, conversation_id: int) -> tuple[str, str | None] | None:
        """The kind ("answer", "notice", "moderator", "rating"...) and phrasing key of the last reply queued for the
        customer (no key: a notice, a moderator's words); None before any."""
        rows = await self.fetch("SELECT kind, phrasing_key FROM outbox WHERE conversation_id = ? AND kind != 'hide'"
                                " ORDER BY id DESC LIMIT 1", (conversation_id,))
        return (str(rows[0][0]), None if rows[0][1] is None else str(rows[0][1])) if rows else None

    async def last_reply_key(self, conversation_id: int) -> str | None:
        """The phrasing key of the last reply queued for the customer (None when it had none: a notice, a
        moderator's words)."""
        last = await self.last_reply(conversation_id)
        return last[1] if last is not None else None

    async def last_reply_at(self, conversation_id: int) -> datetime | None:
        """When the customer was last written to (answer, notice or a moderator's reply), queued or sent."""
        async with self._db.execute(
            "SELECT MAX(created_at) FROM outbox WHERE conversation_id = ? AND kind != 'hide'", (conversation_id,)
        ) as cur:
            row = await cur.fetchone()
        return moment_or_none(row[0] if row else None)

    async def last_incoming_public(self, conversation_id: int) -> bool:
        """Whether the customer's latest message was a public comment (no rating is asked there)."""
        async with self._db.execute(
            "SELECT is_public FROM messages WHERE conversation_id = ? AND direction = 'in' ORDER BY id DESC LIMIT 1",
            (conversation_id,),
        ) as cur:
            row = await cur.fetchone()
        return bool(row[0]) if row else False

    async def last_incoming_id(self, conversation_id: int) -> int | None:
        async with self._db.execute(
            "SELECT MAX(id) FROM messages WHERE conversation_id = ? AND direction = 'in'", (conversation_id,)
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row and row[0] is not None else None

    async def last_incoming(self, conversation_id: int) -> IncomingMessage | None:
        """The customer's latest message in a conversation (where it was written: chat, thread, public)."""
        message_id = await self.last_incoming_id(conversation_id)
        return (await self.load_incoming(message_id))[0] if message_id is not None else None

    async def all_deleted(self, conversation_id: int) -> bool:
        """Every message the customer wrote in the conversation was deleted on the platform."""
        return not await self.fetch(
            "SELECT 1 FROM messages WHERE conversation_id = ? AND direction = 'in' AND deleted_at IS NULL LIMIT 1",
            (conversation_id,))

    async def _reply_target(self, conversation_id: int) -> ReplyTarget:
        """Where to answer a conversation: the customer's latest message's chat and thread (the latest one not
        deleted, if any is left)."""
        row = await self._latest_customer_message(conversation_id)
        return ReplyTarget(str(row[0]), row[1], row[2], str(row[3]))

    async def answers_in_public(self, conversation_id: int) -> bool:
        """Whether the conversation is answered in public now: the customer's latest message (see _reply_target)
        is a comment others read. A customer who blocked private messages still reads those answers."""
        return bool((await self._latest_customer_message(conversation_id))[4])

    async def _latest_customer_message(self, conversation_id: int) -> aiosqlite.Row:
        async with self._db.execute(
            "SELECT chat_id, thread_id, platform_message_id, business_connection, is_public FROM messages"
            " WHERE conversation_id = ? AND direction = 'in' ORDER BY deleted_at IS NOT NULL, id DESC LIMIT 1",
            (conversation_id,),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            raise KeyError(f"conversation {conversation_id} has no customer message")
        return row

    async def public_origin(self, conversation_id: int) -> ReplyTarget | None:
        """Where the open handoff began, when that was a public message (a comment others read)."""
        async with self._db.execute(
            "SELECT m.chat_id, m.thread_id, m.platform_message_id FROM handoffs h"
            " JOIN messages m ON m.id = h.message_id"
            " WHERE h.conversation_id = ? AND h.closed_at IS NULL AND m.is_public = 1 ORDER BY h.id DESC LIMIT 1",
            (conversation_id,),
        ) as cur:
            row = await cur.fetchone()
        return ReplyTarget(str(row[0]), row[1], row[2]) if row else None


def _stored(row: aiosqlite.Row) -> StoredMessage:
    """A message row, selected with the text of the comment it joined as `joined_text`."""
    return StoredMessage(
        int(row["id"]), int(row["conversation_id"]), row["direction"], row["author"], row["text"], row["kind"],
        datetime.fromisoformat(row["sent_at"]), row["action"], row["reason"], row["entry_id"], row["language"],
        json.loads(row["scores"]) if row["scores"] else {}, row["deleted_by"] if row["deleted_at"] else None,
        row["joined_text"],
    )
