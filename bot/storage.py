"""SQLite storage (aiosqlite, WAL): messages, conversations, outbox, handoffs, notes, ratings.

Every incoming message is written before it is processed; processing is recorded in the same
transaction as its outcome (state change and outbox rows), so a restart resumes exactly where
the previous process stopped.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import aiosqlite

from bot.reach import PublicCase, Reach
from handlers.conversation_states import Event, next_state
from handlers.types import (
    Action,
    Conversation,
    ConversationState,
    Decision,
    IncomingMessage,
    MessageKind,
    Platform,
    utcnow,
)

log = logging.getLogger(__name__)

MIGRATIONS: tuple[str, ...] = (
    # 1: the foundation
    """
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        brand TEXT NOT NULL,
        platform TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        customer_name TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT 'bot',
        language TEXT,
        handoff_reason TEXT,
        handoff_at TEXT,
        moderator TEXT,
        unreachable INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (brand, platform, customer_id)
    );
    CREATE INDEX conversations_state ON conversations (brand, state);
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        brand TEXT NOT NULL,
        platform TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        author TEXT NOT NULL CHECK (author IN ('customer', 'bot', 'moderator')),
        chat_id TEXT NOT NULL,
        thread_id TEXT,
        platform_message_id TEXT,
        reply_to TEXT,
        author_id TEXT NOT NULL DEFAULT '',
        author_name TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'text',
        is_public INTEGER NOT NULL DEFAULT 0,
        sent_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'received',
        action TEXT,
        reason TEXT,
        entry_id TEXT,
        language TEXT,
        scores TEXT,
        processed_at TEXT,
        edited_at TEXT
    );
    CREATE UNIQUE INDEX messages_incoming_once
        ON messages (brand, platform, chat_id, platform_message_id) WHERE direction = 'in';
    CREATE INDEX messages_conversation ON messages (conversation_id, id);
    CREATE INDEX messages_pending ON messages (status) WHERE status = 'received';
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        brand TEXT NOT NULL,
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        thread_id TEXT,
        reply_to TEXT,
        text TEXT NOT NULL,
        kind TEXT NOT NULL,
        phrasing_key TEXT,
        source_message_id INTEGER REFERENCES messages(id),
        extra TEXT,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        platform_message_id TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT
    );
    CREATE INDEX outbox_due ON outbox (platform, status, next_attempt_at);
    CREATE INDEX outbox_conversation ON outbox (conversation_id, id);
    CREATE TABLE handoffs (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        brand TEXT NOT NULL,
        reason TEXT NOT NULL,
        message_id INTEGER REFERENCES messages(id),
        created_at TEXT NOT NULL,
        deadline_at TEXT NOT NULL,
        taken_by TEXT,
        taken_at TEXT,
        first_reply_at TEXT,
        closed_at TEXT,
        outcome TEXT
    );
    CREATE INDEX handoffs_open ON handoffs (conversation_id) WHERE closed_at IS NULL;
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE ratings (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        handoff_id INTEGER REFERENCES handoffs(id),
        satisfied INTEGER NOT NULL,
        comment TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (handoff_id)
    );
    """,
    # 2: platform cursors (poll offsets) and moderators' forum topics
    """
    CREATE TABLE platform_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE forum_topics (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL UNIQUE REFERENCES conversations(id),
        brand TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        topic_id TEXT NOT NULL,
        card_message_id TEXT,
        closed INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX forum_topics_lookup ON forum_topics (chat_id, topic_id);
    """,
    # 3: the last customer message shown in each forum topic (a failed mirror is posted later)
    """
    ALTER TABLE forum_topics ADD COLUMN mirrored_upto INTEGER NOT NULL DEFAULT 0;
    UPDATE forum_topics SET mirrored_upto = COALESCE((SELECT MAX(id) FROM messages
        WHERE messages.conversation_id = forum_topics.conversation_id AND direction = 'in'), 0);
    """,
    # 4: when a handoff passed its deadline with no moderator reply (the customer and moderators were told once)
    """
    ALTER TABLE handoffs ADD COLUMN overdue_at TEXT;
    CREATE INDEX handoffs_waiting ON handoffs (deadline_at) WHERE closed_at IS NULL AND first_reply_at IS NULL;
    """,
    # 5: directed negative: waves of near-identical negative messages from several accounts, kept as evidence
    """
    CREATE TABLE campaigns (
        id INTEGER PRIMARY KEY,
        brand TEXT NOT NULL,
        detected_at TEXT NOT NULL
    );
    CREATE INDEX campaigns_brand ON campaigns (brand, detected_at);
    CREATE TABLE campaign_messages (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        message_id INTEGER NOT NULL UNIQUE REFERENCES messages(id)
    );
    """,
    # 6: when moderators were reminded of a handoff's coming deadline (once per handoff)
    """
    ALTER TABLE handoffs ADD COLUMN reminded_at TEXT;
    """,
    # 7: each campaign's moderators' forum topic and the last of its messages posted there
    """
    CREATE TABLE campaign_topics (
        campaign_id INTEGER PRIMARY KEY REFERENCES campaigns(id),
        chat_id TEXT NOT NULL,
        topic_id TEXT NOT NULL,
        shown_upto INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 8: the reach of a solved public case: how many people could see it (post views, or the audience)
    """
    ALTER TABLE handoffs ADD COLUMN reach INTEGER;
    ALTER TABLE handoffs ADD COLUMN reach_kind TEXT;
    ALTER TABLE handoffs ADD COLUMN reach_at TEXT;
    """,
    # 9: a brand's messages by time (stats, recalled negative waves): a year of 12 brands, 2.4M messages,
    # read 0.7 s per brand's stats by scanning all of them, 0.05 s with it; replies by public chat (the
    # phrasings everyone under a post got lately) and by the message they answer (`review`)
    """
    CREATE INDEX messages_brand_time ON messages (brand, direction, sent_at);
    CREATE INDEX outbox_chat ON outbox (chat_id, id);
    CREATE INDEX outbox_source ON outbox (source_message_id);
    """,
    # 10: the argument-base entries a handed-off message could be answered from (moderators send one with a
    # press: handlers.suggestions), as a JSON list
    """
    ALTER TABLE messages ADD COLUMN suggestions TEXT;
    """,
    # 11: a customer who writes again after a moderator's reply waits for a person once more: since when, by
    # when (the brand's reaction time), and when they were told the answer is late (once per follow-up)
    """
    ALTER TABLE handoffs ADD COLUMN followup_at TEXT;
    ALTER TABLE handoffs ADD COLUMN followup_due TEXT;
    ALTER TABLE handoffs ADD COLUMN followup_overdue_at TEXT;
    CREATE INDEX handoffs_followup ON handoffs (followup_due) WHERE closed_at IS NULL AND followup_overdue_at IS NULL;
    """,
    # 12: when moderators were reminded of a follow-up's coming deadline (once per follow-up)
    """
    ALTER TABLE handoffs ADD COLUMN followup_reminded_at TEXT;
    """,
    # 13: the Telegram Business connection a customer wrote through ('' for the brand's own bot or community):
    # replies go back the same way, and a business chat's message ids count apart from the bot's chat with the
    # same person, so the same id in both is two messages
    """
    ALTER TABLE messages ADD COLUMN business_connection TEXT NOT NULL DEFAULT '';
    ALTER TABLE outbox ADD COLUMN business_connection TEXT NOT NULL DEFAULT '';
    DROP INDEX messages_incoming_once;
    CREATE UNIQUE INDEX messages_incoming_once
        ON messages (brand, platform, chat_id, platform_message_id, business_connection) WHERE direction = 'in';
    """,
)


PUBLIC_PHRASINGS_REMEMBERED = 200  # a customer's and a public chat's latest phrasings the next reply avoids



class ReplyTarget(NamedTuple):
    """Where a reply goes."""

    chat_id: str
    thread_id: str | None
    reply_to: str | None  # the platform message id replied to
    business_connection: str = ""  # the Telegram Business connection to send through ('' for the bot itself)


def _now() -> str:
    return utcnow().isoformat()


def _ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _handoff(row: aiosqlite.Row) -> Handoff:
    return Handoff(int(row["id"]), int(row["conversation_id"]), row["reason"],
                   datetime.fromisoformat(row["created_at"]), datetime.fromisoformat(row["deadline_at"]),
                   row["taken_by"], _ts(row["first_reply_at"]), _ts(row["followup_at"]), _ts(row["followup_due"]))


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


@dataclass(frozen=True)
class NewReply:
    """A reply to put in the outbox together with the decision that produced it."""

    text: str
    kind: str
    phrasing_key: str | None = None
    extra: dict[str, Any] | None = None


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


class Storage:
    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self.path = path
        self._write = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Storage:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path)
        db.row_factory = aiosqlite.Row
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("PRAGMA foreign_keys=ON")
        await db.execute("PRAGMA busy_timeout=5000")
        storage = cls(db, path)
        await storage._migrate()
        return storage

    async def close(self) -> None:
        await self._db.close()

    async def _migrate(self) -> None:
        await self._db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        async with self._db.execute("SELECT MAX(version) FROM schema_version") as cur:
            row = await cur.fetchone()
        current = int(row[0] or 0) if row else 0
        if current > len(MIGRATIONS):
            raise RuntimeError(f"{self.path}: schema version {current} is newer than this program knows")
        for version in range(current + 1, len(MIGRATIONS) + 1):
            log.info("migrating %s to schema version %d", self.path, version)
            await self._db.executescript(
                "BEGIN;" + MIGRATIONS[version - 1] + f"; INSERT INTO schema_version VALUES ({version}); COMMIT;"
            )

    async def schema_version(self) -> int:
        async with self._db.execute("SELECT MAX(version) FROM schema_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    # -- incoming --------------------------------------------------------------------------

    async def store_incoming(self, msg: IncomingMessage) -> tuple[int, Conversation] | None:
        """Store a customer's message; None when this platform message was stored before."""
        now = _now()
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
                " business_connection) VALUES (?, ?, ?, 'in', 'customer', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?)"
                " ON CONFLICT DO NOTHING",
                (conversation.id, msg.brand, msg.platform.value, msg.chat_id, msg.thread_id, msg.message_id,
                 msg.reply_to, msg.author_id, msg.author_name, msg.text, msg.kind.value, int(msg.is_public),
                 msg.sent_at.isoformat(), msg.business_connection),
            )
            inserted = cur.rowcount == 1
            row_id = cur.lastrowid
            await self._db.commit()
        if not inserted or row_id is None:
            return None
        return row_id, conversation

    async def update_incoming_text(self, msg: IncomingMessage) -> bool:
        """An edited message: the stored text follows the customer's edit."""
        async with self._write:
            cur = await self._db.execute(
                "UPDATE messages SET text = ?, edited_at = ? WHERE direction = 'in' AND brand = ?"
                " AND platform = ? AND chat_id = ? AND platform_message_id = ? AND business_connection = ?",
                (msg.text, _now(), msg.brand, msg.platform.value, msg.chat_id, msg.message_id, msg.business_connection),
            )
            await self._db.commit()
        return cur.rowcount > 0

    async def pending_incoming(self) -> list[int]:
        async with self._db.execute("SELECT id FROM messages WHERE status = 'received' ORDER BY id") as cur:
            return [int(r[0]) for r in await cur.fetchall()]

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
            business_connection=row["business_connection"],
        )
        return msg, int(row["conversation_id"]), str(row["status"])

    # -- conversations -------------------------------------------------------------------

    @staticmethod
    def _conversation(row: aiosqlite.Row) -> Conversation:
        return Conversation(
            id=int(row["id"]), brand=row["brand"], platform=Platform(row["platform"]),
            customer_id=row["customer_id"], customer_name=row["customer_name"],
            state=ConversationState(row["state"]), language=row["language"],
            handoff_reason=row["handoff_reason"], handoff_at=_ts(row["handoff_at"]),
            moderator=row["moderator"], unreachable=bool(row["unreachable"]),
        )

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

    async def history(self, conversation_id: int, limit: int = 20) -> list[StoredMessage]:
        """The conversation's last messages, both directions, oldest first."""
        async with self._db.execute(
            "SELECT * FROM (SELECT * FROM messages WHERE conversation_id = ? ORDER BY id DESC LIMIT ?)"
            " ORDER BY id",
            (conversation_id, limit),
        ) as cur:
            rows = await cur.fetchall()
        return [
            StoredMessage(
                int(r["id"]), int(r["conversation_id"]), r["direction"], r["author"], r["text"], r["kind"],
                datetime.fromisoformat(r["sent_at"]), r["action"], r["reason"], r["entry_id"], r["language"],
                json.loads(r["scores"]) if r["scores"] else {},
            )
            for r in rows
        ]

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

    async def last_reply_at(self, conversation_id: int) -> datetime | None:
        """When the customer was last written to (answer, notice or a moderator's reply), queued or sent."""
        async with self._db.execute(
            "SELECT MAX(created_at) FROM outbox WHERE conversation_id = ? AND kind != 'hide'", (conversation_id,)
        ) as cur:
            row = await cur.fetchone()
        return _ts(row[0] if row else None)

    # -- decisions -----------------------------------------------------------------------

    async def record_decision(
        self,
        message_id: int,
        conversation: Conversation,
        decision: Decision,
        replies: Sequence[NewReply],
        reply_deadline: Callable[[datetime], datetime],
        message: IncomingMessage | None = None,
        followup_due: datetime | None = None,
    ) -> list[int]:
        """Mark a message processed with its decision, move the conversation, queue replies. A handoff's
        deadline is `reply_deadline(now)` (the brand's `BrandPolicy.reply_deadline`); `followup_due`: a person
        owns the thread and has answered, and this message needs an answer by then (unless an earlier one
        already waits).

        `message` is the stored message when the caller already has it (saves reading it again).
        """
        now = utcnow()
        msg = message or (await self.load_incoming(message_id))[0]
        state = next_state(conversation.state, Event.CUSTOMER_MESSAGE)
        async with self._write:
            await self._db.execute(
                "UPDATE messages SET status = 'processed', action = ?, reason = ?, entry_id = ?, language = ?,"
                " scores = ?, processed_at = ?, suggestions = ? WHERE id = ?",
                (decision.action.value, decision.reason, decision.entry_id, decision.language,
                 json.dumps(decision.scores), now.isoformat(),
                 json.dumps(list(decision.suggestions)) if decision.suggestions else None, message_id),
            )
            if decision.action is Action.HANDOFF:
                state = next_state(state, Event.HANDOFF)
                if not conversation.owned_by_human:
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
                await self._queue(conversation, ReplyTarget(msg.chat_id, msg.thread_id, msg.message_id,
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
                (error[:500], _now(), message_id),
            )
            await self._db.commit()

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

    # -- outbox --------------------------------------------------------------------------

    async def due_outbox(self, platform: Platform, limit: int = 50) -> list[OutboxItem]:
        """Pending items whose time has come, oldest first; an item waits while an older one of its chat is
        still pending and not due (a chat's replies keep their order through retries)."""
        now = _now()
        async with self._db.execute(
            "SELECT * FROM outbox o WHERE o.platform = ? AND o.status = 'pending' AND o.next_attempt_at <= ?"
            " AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.platform = o.platform AND e.chat_id = o.chat_id"
            " AND e.status = 'pending' AND e.id < o.id AND e.next_attempt_at > ?)"
            " ORDER BY o.id LIMIT ?",
            (platform.value, now, now, limit),
        ) as cur:
            rows = await cur.fetchall()
        return [
            OutboxItem(int(r["id"]), int(r["conversation_id"]), r["brand"], Platform(r["platform"]), r["chat_id"],
                       r["thread_id"], r["reply_to"], r["text"], r["kind"], int(r["attempts"]),
                       json.loads(r["extra"] or "{}"), r["business_connection"])
            for r in rows
        ]

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
        """Delivered: the outbox row is closed and the reply joins the conversation history."""
        now = _now()
        author = "moderator" if item.kind == "moderator" else "bot"
        async with self._write:
            await self._db.execute(
                "UPDATE outbox SET status = 'sent', sent_at = ?, platform_message_id = ?, attempts = attempts + 1"
                " WHERE id = ?",
                (now, platform_message_id, item.id),
            )
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
                (error[:500], item.id),
            )
            if unreachable:
                await self._db.execute(
                    "UPDATE conversations SET unreachable = 1 WHERE id = ?", (item.conversation_id,)
                )
            await self._db.commit()

    # -- moderators ----------------------------------------------------------------------

    async def open_handoff(self, conversation_id: int) -> Handoff | None:
        async with self._db.execute(
            "SELECT * FROM handoffs WHERE conversation_id = ? AND closed_at IS NULL ORDER BY id DESC LIMIT 1",
            (conversation_id,),
        ) as cur:
            row = await cur.fetchone()
        return _handoff(row) if row is not None else None

    async def moderator_event(
        self, conversation: Conversation, event: Event, moderator: str, reply: NewReply | None = None,
        elsewhere: tuple[ReplyTarget, NewReply] | None = None, delivered: DeliveredReply | None = None,
    ) -> int | None:
        """Apply a moderator's take / reply / resolve / return; returns the queued reply's outbox id.

        `reply` goes where the customer last wrote; `elsewhere` is one more reply to a given place (e.g. the
        public comment a thread began with), queued in the same transaction; `delivered` is a reply the person
        sent outside the bot, recorded as sent.
        """
        state = next_state(conversation.state, event)
        now = utcnow()
        outbox_id = None
        async with self._write:
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

    async def _reply_target(self, conversation_id: int) -> ReplyTarget:
        """Where to answer a conversation: the customer's latest message's chat and thread."""
        async with self._db.execute(
            "SELECT chat_id, thread_id, platform_message_id, business_connection FROM messages"
            " WHERE conversation_id = ? AND direction = 'in' ORDER BY id DESC LIMIT 1",
            (conversation_id,),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            raise KeyError(f"conversation {conversation_id} has no customer message")
        return ReplyTarget(str(row[0]), row[1], row[2], str(row[3]))

    async def add_note(self, conversation: Conversation, author: str, text: str) -> None:
        async with self._write:
            await self._db.execute(
                "INSERT INTO notes (conversation_id, author, text, created_at) VALUES (?, ?, ?, ?)",
                (conversation.id, author, text, _now()),
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
                (conversation.id, handoff_id, int(satisfied), comment, _now()),
            )
            await self._db.commit()
        return cur2.rowcount == 1

    async def ratings(self, conversation_id: int) -> list[tuple[bool, str | None]]:
        async with self._db.execute(
            "SELECT satisfied, comment FROM ratings WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        ) as cur:
            return [(bool(r[0]), r[1]) for r in await cur.fetchall()]

    # -- platform cursors and forum topics ------------------------------------------------

    async def get_state(self, key: str) -> str | None:
        async with self._db.execute("SELECT value FROM platform_state WHERE key = ?", (key,)) as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else None

    async def set_state(self, key: str, value: str) -> None:
        async with self._write:
            await self._db.execute(
                "INSERT INTO platform_state (key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (key, value, _now()),
            )
            await self._db.commit()

    async def forum_topic(self, conversation_id: int) -> tuple[str, str, str | None, bool] | None:
        """(chat_id, topic_id, card_message_id, closed) of a conversation's moderators' topic."""
        async with self._db.execute(
            "SELECT chat_id, topic_id, card_message_id, closed FROM forum_topics WHERE conversation_id = ?",
            (conversation_id,),
        ) as cur:
            row = await cur.fetchone()
        return (str(row[0]), str(row[1]), row[2], bool(row[3])) if row else None

    async def conversation_by_topic(self, chat_id: str, topic_id: str) -> tuple[int, str] | None:
        """(conversation_id, brand) owning a forum topic."""
        async with self._db.execute(
            "SELECT conversation_id, brand FROM forum_topics WHERE chat_id = ? AND topic_id = ?", (chat_id, topic_id)
        ) as cur:
            row = await cur.fetchone()
        return (int(row[0]), str(row[1])) if row else None

    async def save_forum_topic(self, conversation: Conversation, chat_id: str, topic_id: str,
                               card_message_id: str | None, closed: bool = False, shown_upto: int | None = None
                               ) -> None:
        """`shown_upto`: a card was posted whose history shows the customer's messages up to this id. A new
        topic forgets the old topic's card until its own is posted."""
        now = _now()
        async with self._write:
            await self._db.execute(
                "INSERT INTO forum_topics (conversation_id, brand, chat_id, topic_id, card_message_id, closed,"
                " mirrored_upto, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (conversation_id) DO UPDATE SET"
                " chat_id = excluded.chat_id, topic_id = excluded.topic_id,"
                " card_message_id = CASE WHEN excluded.topic_id = topic_id AND excluded.chat_id = chat_id"
                " THEN COALESCE(excluded.card_message_id, card_message_id) ELSE excluded.card_message_id END,"
                " closed = excluded.closed, mirrored_upto = MAX(mirrored_upto, excluded.mirrored_upto),"
                " updated_at = excluded.updated_at",
                (conversation.id, conversation.brand, chat_id, topic_id, card_message_id, int(closed),
                 shown_upto or 0, now, now),
            )
            await self._db.commit()

    async def campaign_topic(self, campaign_id: int) -> tuple[str, str, int] | None:
        """(chat_id, topic_id, shown_upto) of a campaign's moderators' topic."""
        async with self._db.execute(
            "SELECT chat_id, topic_id, shown_upto FROM campaign_topics WHERE campaign_id = ?", (campaign_id,)
        ) as cur:
            row = await cur.fetchone()
        return (str(row[0]), str(row[1]), int(row[2])) if row else None

    async def campaigns_not_shown(self, brand: str, since: datetime) -> list[int]:
        """The brand's campaigns detected since a moment with messages not yet posted in a moderators' topic."""
        async with self._db.execute(
            "SELECT c.id FROM campaigns c JOIN campaign_messages cm ON cm.campaign_id = c.id"
            " LEFT JOIN campaign_topics t ON t.campaign_id = c.id WHERE c.brand = ? AND c.detected_at >= ?"
            " GROUP BY c.id HAVING MAX(cm.message_id) > COALESCE(MAX(t.shown_upto), 0) ORDER BY c.id",
            (brand, since.isoformat()),
        ) as cur:
            return [int(r[0]) for r in await cur.fetchall()]

    async def save_campaign_topic(self, campaign_id: int, chat_id: str, topic_id: str, shown_upto: int) -> None:
        """`shown_upto`: the campaign's messages up to this id are posted in the topic."""
        async with self._write:
            await self._db.execute(
                "INSERT INTO campaign_topics (campaign_id, chat_id, topic_id, shown_upto) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (campaign_id) DO UPDATE SET chat_id = excluded.chat_id, topic_id = excluded.topic_id,"
                " shown_upto = excluded.shown_upto",
                (campaign_id, chat_id, topic_id, shown_upto),
            )
            await self._db.commit()

    async def unmirrored(self, conversation_id: int) -> list[int]:
        """The customer's processed messages not yet shown in the conversation's open forum topic (one with
        a card posted), oldest first."""
        async with self._db.execute(
            "SELECT m.id FROM messages m JOIN forum_topics f ON f.conversation_id = m.conversation_id"
            " WHERE m.conversation_id = ? AND m.direction = 'in' AND m.status != 'received'"
            " AND f.closed = 0 AND f.card_message_id IS NOT NULL AND m.id > f.mirrored_upto ORDER BY m.id",
            (conversation_id,),
        ) as cur:
            return [int(r[0]) for r in await cur.fetchall()]

    async def mark_mirrored(self, conversation_id: int, upto: int) -> None:
        """The topic shows the customer's messages up to this message id."""
        async with self._write:
            await self._db.execute(
                "UPDATE forum_topics SET mirrored_upto = MAX(mirrored_upto, ?), updated_at = ?"
                " WHERE conversation_id = ?",
                (upto, _now(), conversation_id),
            )
            await self._db.commit()

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """A read-only query (reports and statistics)."""
        async with self._db.execute(sql, tuple(params)) as cur:
            return [tuple(row) for row in await cur.fetchall()]

    async def count(self, table: str, where: str = "1", params: Sequence[Any] = ()) -> int:
        if table not in {"messages", "outbox", "conversations", "handoffs", "notes", "ratings"}:
            raise ValueError(table)
        async with self._db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", tuple(params)) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    # -- platform adapters: lookups and notices outside the pipeline (VK) -----------------

    async def customer_conversation(self, brand: str, platform: Platform, customer_id: str) -> Conversation | None:
        async with self._db.execute(
            "SELECT * FROM conversations WHERE brand = ? AND platform = ? AND customer_id = ?",
            (brand, platform.value, customer_id),
        ) as cur:
            row = await cur.fetchone()
        return self._conversation(row) if row else None

    async def last_incoming_public(self, conversation_id: int) -> bool:
        """Whether the customer's latest message was a public comment (no rating is asked there)."""
        async with self._db.execute(
            "SELECT is_public FROM messages WHERE conversation_id = ? AND direction = 'in' ORDER BY id DESC LIMIT 1",
            (conversation_id,),
        ) as cur:
            row = await cur.fetchone()
        return bool(row[0]) if row else False

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
            return [(_handoff(r), r["brand"]) for r in await cur.fetchall()]

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

    async def handoff_suggestions(self, conversation_id: int) -> tuple[list[str], bool]:
        """The entries offered for the message that opened the conversation's open handoff, and whether that
        message was public; none when no handoff is open."""
        async with self._db.execute(
            "SELECT m.suggestions, m.is_public FROM handoffs h JOIN messages m ON m.id = h.message_id"
            " WHERE h.conversation_id = ? AND h.closed_at IS NULL ORDER BY h.id DESC LIMIT 1",
            (conversation_id,),
        ) as cur:
            row = await cur.fetchone()
        if row is None or not row[0]:
            return [], bool(row[1]) if row else False
        return list(json.loads(row[0])), bool(row[1])

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
                    (_now(), handoff.id),
                )
            else:
                cur = await self._db.execute(
                    "UPDATE handoffs SET followup_reminded_at = ? WHERE id = ? AND followup_reminded_at IS NULL"
                    " AND followup_due = ? AND closed_at IS NULL",
                    (_now(), handoff.id, handoff.followup_due.isoformat() if handoff.followup_due else None),
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
                    (_now(), handoff.id),
                )
            else:  # a follow-up: the same one still unanswered (a moderator's reply clears it)
                cur = await self._db.execute(
                    "UPDATE handoffs SET followup_overdue_at = ? WHERE id = ? AND followup_overdue_at IS NULL"
                    " AND followup_due = ? AND closed_at IS NULL",
                    (_now(), handoff.id, handoff.followup_due.isoformat() if handoff.followup_due else None),
                )
            if cur.rowcount != 1:
                await self._db.rollback()
                return False
            if reply is not None:
                await self._queue_to_latest(conversation, reply)
            await self._db.commit()
        return True

    # -- directed negative evidence ---------------------------------------------------------

    async def record_campaign(self, brand: str, message_ids: Sequence[int]) -> int:
        """File messages under one campaign: the one some of them already belong to, else a new one."""
        marks = ",".join("?" * len(message_ids))
        async with self._write:
            async with self._db.execute(
                f"SELECT MIN(cm.campaign_id) FROM campaign_messages cm JOIN campaigns c ON c.id = cm.campaign_id"
                f" WHERE c.brand = ? AND cm.message_id IN ({marks})",
                (brand, *message_ids),
            ) as cur:
                row = await cur.fetchone()
            if row and row[0] is not None:
                campaign_id = int(row[0])
            else:
                cur2 = await self._db.execute(
                    "INSERT INTO campaigns (brand, detected_at) VALUES (?, ?)", (brand, _now())
                )
                assert cur2.lastrowid is not None
                campaign_id = cur2.lastrowid
            await self._db.executemany(  # a message erased meanwhile (`forget`) is left out
                "INSERT INTO campaign_messages (campaign_id, message_id) SELECT ?, id FROM messages WHERE id = ?"
                " ON CONFLICT DO NOTHING",
                [(campaign_id, m) for m in message_ids],
            )
            await self._db.commit()
        return campaign_id

    async def forget_customer(self, brand: str, platform: str, customer_id: str, *, erase: bool) -> dict[str, int]:
        """Everything stored about one customer of a brand (a request to erase personal data: GDPR, 152-FZ,
        KVKK): their conversation, messages in and out, queued replies, handoffs, notes, ratings, forum topic
        links and campaign evidence. Counts what there is; deletes it in one transaction with `erase`."""
        rows = await self.fetch("SELECT id FROM conversations WHERE brand = ? AND platform = ? AND customer_id = ?",
                                (brand, platform, customer_id))
        counts = {"conversations": len(rows)}
        if not rows:
            return counts
        conversation = (int(rows[0][0]),)
        in_conversation = "conversation_id = ?"
        tables = [  # children before parents: foreign keys hold throughout
            ("campaign_messages", "message_id IN (SELECT id FROM messages WHERE conversation_id = ?)"),
            ("ratings", in_conversation), ("notes", in_conversation), ("forum_topics", in_conversation),
            ("outbox", in_conversation), ("handoffs", in_conversation), ("messages", in_conversation),
            ("conversations", "id = ?"),
        ]
        for table, where in tables:
            [(n,)] = await self.fetch(f"SELECT COUNT(*) FROM {table} WHERE {where}", conversation)
            counts[table] = int(n)
        if erase:
            async with self._write:
                await self._db.execute("PRAGMA secure_delete = ON")  # the freed pages are zeroed, not left readable
                for table, where in tables:
                    await self._db.execute(f"DELETE FROM {table} WHERE {where}", conversation)
                await self._db.commit()
                await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # and no old copy stays in the WAL
        return counts

    async def in_campaign(self, conversation_id: int) -> bool:
        """Whether any of the conversation's messages belongs to a directed-negative campaign (a paid account)."""
        rows = await self.fetch(
            "SELECT 1 FROM messages m JOIN campaign_messages cm ON cm.message_id = m.id"
            " WHERE m.conversation_id = ? LIMIT 1", (conversation_id,))
        return bool(rows)

    async def recent_negative(self, brand: str, since: datetime, threshold: float) -> list[tuple[int, str, str, str]]:
        """Customer messages since a moment that read as negative: (id, author id, sent at, text)."""
        async with self._db.execute(
            "SELECT id, author_id, sent_at, text FROM messages WHERE brand = ? AND direction = 'in' AND sent_at >= ?"
            " AND status = 'processed' AND json_extract(scores, '$.sentiment_negative') >= ? ORDER BY sent_at, id",
            (brand, since.isoformat(), threshold),
        ) as cur:
            return [(int(r[0]), r[1], r[2], r[3]) for r in await cur.fetchall()]

    async def campaigns(self, brand: str, since: datetime) -> list[dict[str, Any]]:
        """One brand's campaigns detected since a moment, each with its messages (the evidence)."""
        return await self._campaigns("c.detected_at >= ?", (brand, since.isoformat()))

    async def campaign(self, brand: str, campaign_id: int) -> dict[str, Any] | None:
        """One campaign of the brand with its messages, as `campaigns` lists them."""
        found = await self._campaigns("c.id = ?", (brand, campaign_id))
        return found[0] if found else None

    async def _campaigns(self, condition: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        async with self._db.execute(
            "SELECT c.id, c.detected_at, m.id AS message_id, m.platform, m.author_id, m.author_name, m.chat_id,"
            " m.platform_message_id, m.thread_id, m.is_public, m.text, m.sent_at FROM campaigns c"
            " JOIN campaign_messages cm ON cm.campaign_id = c.id JOIN messages m ON m.id = cm.message_id"
            f" WHERE c.brand = ? AND {condition} ORDER BY c.id, m.id",
            params,
        ) as cur:
            rows = await cur.fetchall()
        found: dict[int, dict[str, Any]] = {}
        for r in rows:
            campaign = found.setdefault(int(r["id"]), {"campaign": int(r["id"]), "detected_at": r["detected_at"],
                                                       "accounts": 0, "messages": []})
            campaign["messages"].append({
                "message_id": int(r["message_id"]), "platform": r["platform"], "author_id": r["author_id"],
                "author_name": r["author_name"], "chat_id": r["chat_id"],
                "platform_message_id": r["platform_message_id"], "thread_id": r["thread_id"],
                "public": bool(r["is_public"]), "text": r["text"], "at": r["sent_at"],
            })
        for campaign in found.values():
            campaign["accounts"] = len({m["author_id"] for m in campaign["messages"]})
        return list(found.values())

    async def backlog(self, older_than: datetime) -> dict[str, int]:
        """What is still waiting in the whole file: replies not delivered yet (and those queued before
        `older_than`), customer messages not processed yet (and those received before it), handoffs past their
        deadline with no moderator reply (or with a customer's follow-up unanswered past its own)."""
        platforms = tuple(p.value for p in Platform)
        marks = ", ".join("?" * len(platforms))
        cutoff = older_than.isoformat()
        [(pending, stale)] = await self.fetch(
            f"SELECT COUNT(*), COALESCE(SUM(created_at < ?), 0) FROM outbox WHERE platform IN ({marks})"
            " AND status = 'pending'", (cutoff, *platforms))
        [(received, unprocessed)] = await self.fetch(
            "SELECT COUNT(*), COALESCE(SUM(sent_at < ?), 0) FROM messages WHERE status = 'received'", (cutoff,))
        now = utcnow().isoformat()
        [(overdue,)] = await self.fetch(
            "SELECT COUNT(*) FROM handoffs WHERE closed_at IS NULL AND (first_reply_at IS NULL AND deadline_at <= ?"
            " OR followup_due <= ?)", (now, now))
        return {"replies_pending": int(pending), "replies_stale": int(stale), "messages_unprocessed": int(received),
                "messages_stale": int(unprocessed), "handoffs_overdue": int(overdue)}

    async def answers_moderators_chose(self, brand: str, since: datetime) -> list[dict[str, Any]]:
        """Handoffs of the brand since a moment whose moderator sent one of the suggested argument-base answers
        (`entry_id` in the reply): the customer's message that opened the handoff, its language, the entry,
        who sent it and when (oldest first)."""
        async with self._db.execute(
            "SELECT h.conversation_id, m.text, m.language, json_extract(o.extra, '$.entry_id') AS entry_id,"
            " json_extract(o.extra, '$.moderator') AS moderator, o.created_at FROM handoffs h"
            " JOIN messages m ON m.id = h.message_id"
            " JOIN outbox o ON o.conversation_id = h.conversation_id AND o.kind = 'moderator'"
            " AND o.created_at >= h.created_at AND (h.closed_at IS NULL OR o.created_at <= h.closed_at)"
            " WHERE h.brand = ? AND h.created_at >= ? AND json_extract(o.extra, '$.entry_id') IS NOT NULL"
            " ORDER BY o.id",
            (brand, since.isoformat()),
        ) as cur:
            rows = await cur.fetchall()
        return [{"conversation": int(r[0]), "text": r[1], "language": r[2], "entry_id": r[3], "moderator": r[4],
                 "at": r[5]} for r in rows]

    async def bot_answers(self, brand: str, since: datetime) -> list[dict[str, Any]]:
        """The brand's customer messages the bot answered from its argument base since a moment, each with
        the reply it queued, its reason and scores (oldest first)."""
        async with self._db.execute(
            "SELECT m.id, m.platform, m.chat_id, m.platform_message_id, m.thread_id, m.is_public, m.text,"
            " m.sent_at, m.language, m.entry_id, m.reason, m.scores, o.text AS reply FROM messages m"
            " LEFT JOIN outbox o ON o.source_message_id = m.id AND o.kind = 'answer'"
            " WHERE m.brand = ? AND m.direction = 'in' AND m.sent_at >= ? AND m.action = 'answer'"
            " AND m.entry_id IS NOT NULL ORDER BY m.id",
            (brand, since.isoformat()),
        ) as cur:
            rows = await cur.fetchall()
        return [{
            "message_id": int(r["id"]), "platform": r["platform"], "chat_id": r["chat_id"],
            "platform_message_id": r["platform_message_id"], "thread_id": r["thread_id"],
            "public": bool(r["is_public"]), "at": r["sent_at"], "language": r["language"], "text": r["text"],
            "entry_id": r["entry_id"], "reason": r["reason"], "scores": json.loads(r["scores"] or "{}"),
            "reply": r["reply"],
        } for r in rows]

    async def queue_notice(self, conversation: Conversation, reply: NewReply) -> int:
        """Queue a bot notice (e.g. thanks for a rating) to the customer's latest chat; no state change."""
        async with self._write:
            outbox_id = await self._queue_to_latest(conversation, reply)
            await self._db.commit()
        return outbox_id

    async def _queue_to_latest(self, conversation: Conversation, reply: NewReply) -> int:
        """Queue a reply where the customer last wrote (inside a write transaction)."""
        return await self._queue(conversation, await self._reply_target(conversation.id), reply, None, utcnow())

    # -- Telegram forum desk ---------------------------------------------------------------

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
