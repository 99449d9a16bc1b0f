"""The moderators' Telegram forum: each thread's and each campaign's topic, which messages it shows, and the posts
that quote a customer's message outside their own topic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.storage.base import StorageBase
from bot.storage.records import now_iso
from handlers.types import Conversation


class ForumTopicStore(StorageBase):
    """Forum topics of threads and campaigns."""

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
        now = now_iso()
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

    async def save_forum_quotes(self, chat_id: str, post_id: str, message_ids: Sequence[int]) -> None:
        """A forum post outside the customers' own topics (a campaign's evidence, a surge alert) quotes these
        customer messages (an erasure request deletes it: `forum_quotes`)."""
        async with self._write:
            await self._db.executemany(  # a message erased meanwhile (`forget`) is left out
                "INSERT INTO forum_quotes (message_id, chat_id, post_id) SELECT id, ?, ? FROM messages WHERE id = ?",
                [(chat_id, post_id, message_id) for message_id in message_ids])
            await self._db.commit()

    async def forum_quotes(self, conversation_id: int) -> list[tuple[str, str]]:
        """(chat id, post id) of the forum posts that quote the conversation's customer messages, oldest first."""
        return [(str(chat), str(post)) for chat, post in await self.fetch(
            "SELECT q.chat_id, q.post_id FROM forum_quotes q JOIN messages m ON m.id = q.message_id"
            " WHERE m.conversation_id = ? GROUP BY q.chat_id, q.post_id ORDER BY MIN(q.rowid)", (conversation_id,))]

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
                (upto, now_iso(), conversation_id),
            )
            await self._db.commit()
