"""Customers' messages deleted on the platform (a comment removed, a message deleted from a Telegram Business
chat): marked, never erased here (a directed attack's deleted comments are its evidence; `forget` erases), and
the bot's replies to them still waiting are withdrawn: nothing to answer under any more. A VK comment restored
(by its author or a manager) is unmarked, and what was withdrawn for its deletion goes out after all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.storage.outbox import BOT_TEXT_KINDS, OutboxStore
from bot.storage.records import OTHER, now_iso
from handlers.types import Platform

AUTHOR = "author"  # the customer deleted their own message
UNKNOWN = ""  # the platform does not say who
WITHDRAWN_DELETED = "withdrawn: the message it answers was deleted"
WITHDRAWN = "withdrawn"  # a handoff's outcome: the customer deleted what it was for before anyone answered


@dataclass(frozen=True)
class DeletedMessage:
    conversation_id: int
    message_id: int  # the stored message
    text: str
    by: str  # AUTHOR, OTHER or UNKNOWN


class DeletionStore(OutboxStore):
    """Deletions reported by the platforms."""

    async def mark_deleted(
        self, brand: str, platform: Platform, chat_id: str, platform_message_ids: Sequence[str], deleter: str | None,
        business_connection: str = "",
    ) -> list[DeletedMessage]:
        """Mark the brand's stored customer messages in a chat deleted; `deleter`: the platform's id of who
        deleted them (None: not told). Returns those marked now: a deletion reported twice is marked once. The
        bot's answers, notices and hidings that reply to them and are still waiting are withdrawn; a person's
        reply is left to go (or fail) as written."""
        if not platform_message_ids:
            return []
        marks = ", ".join("?" * len(platform_message_ids))
        where = (f"brand = ? AND platform = ? AND chat_id = ? AND business_connection = ? AND direction = 'in'"
                 f" AND platform_message_id IN ({marks})")
        args = (brand, platform.value, chat_id, business_connection, *platform_message_ids)
        now = now_iso()
        async with self._write:
            rows = await self.fetch(
                f"SELECT id, conversation_id, text, author_id, platform_message_id FROM messages WHERE {where}"
                " AND deleted_at IS NULL ORDER BY id", args)
            deleted = []
            for message_id, conversation_id, text, author_id, platform_message_id in rows:
                item = DeletedMessage(int(conversation_id), int(message_id), str(text), _by(deleter, str(author_id)))
                deleted.append(item)
                await self._db.execute("UPDATE messages SET deleted_at = ?, deleted_by = ? WHERE id = ?",
                                       (now, item.by, item.message_id))
                await self._db.execute(
                    "UPDATE outbox SET status = 'withdrawn', last_error = ? WHERE conversation_id = ?"
                    " AND status = 'pending' AND chat_id = ? AND business_connection = ? AND reply_to = ?"
                    f" AND (kind IN {BOT_TEXT_KINDS} OR kind = 'hide')",
                    (WITHDRAWN_DELETED, item.conversation_id, chat_id, business_connection, str(platform_message_id)),
                )
            await self._db.commit()
        return deleted

    async def withdraw_unanswered(self, conversation_id: int) -> bool:
        """A handoff no person has answered yet, whose customer messages (from the one it was opened for on) their
        author has all deleted: nothing is left to answer (a comment taken back once the anger passed). It is
        closed as WITHDRAWN and the thread goes back to the bot; it counts as no reaction late. False when the
        thread has no such handoff."""
        async with self._write:
            rows = await self.fetch(
                "SELECT id, message_id FROM handoffs WHERE conversation_id = ? AND closed_at IS NULL"
                " AND first_reply_at IS NULL ORDER BY id DESC LIMIT 1", (conversation_id,))
            if not rows or rows[0][1] is None:
                return False
            handoff_id, message_id = rows[0]
            left = await self.fetch(
                "SELECT 1 FROM messages WHERE conversation_id = ? AND direction = 'in' AND id >= ?"
                " AND (deleted_at IS NULL OR deleted_by != ?) LIMIT 1", (conversation_id, message_id, AUTHOR))
            if left:
                return False
            now = now_iso()
            await self._db.execute("UPDATE handoffs SET closed_at = ?, outcome = ? WHERE id = ?",
                                   (now, WITHDRAWN, handoff_id))
            await self._db.execute(
                "UPDATE conversations SET state = 'bot', handoff_at = NULL, updated_at = ? WHERE id = ?",
                (now, conversation_id))
            await self._db.commit()
        return True

    async def reopen_withdrawn(self, conversation_id: int, message_id: int, deadline: datetime) -> bool:
        """The customer restored a message whose deletion withdrew the thread's handoff (its last, the thread the
        bot's since): the handoff is open again, due by `deadline` (the brand's reaction time from now, not from
        when it was first opened), and the thread a person's. False when there is nothing to reopen."""
        async with self._write:
            rows = await self.fetch(
                "SELECT h.id FROM handoffs h JOIN conversations c ON c.id = h.conversation_id"
                " WHERE h.conversation_id = ? AND h.outcome = ? AND h.message_id <= ? AND c.state = 'bot'"
                " AND h.id = (SELECT MAX(id) FROM handoffs WHERE conversation_id = h.conversation_id)",
                (conversation_id, WITHDRAWN, message_id))
            if not rows:
                return False
            now = now_iso()
            await self._db.execute(
                "UPDATE handoffs SET closed_at = NULL, outcome = NULL, deadline_at = ?, overdue_at = NULL,"
                " reminded_at = NULL WHERE id = ?", (deadline.isoformat(), rows[0][0]))
            await self._db.execute(
                "UPDATE conversations SET state = 'waiting_for_moderator', handoff_at = ?, updated_at = ?"
                " WHERE id = ?", (now, now, conversation_id))
            await self._db.commit()
        return True

    async def mark_restored(self, brand: str, platform: Platform, chat_id: str, platform_message_id: str
                            ) -> DeletedMessage | None:
        """A deleted customer message is back: unmarked, and the bot's replies withdrawn because of its deletion
        are due again (one a person's answer has overtaken since is still withdrawn at delivery). Returns what
        was restored, with who had deleted it; None when it was not stored as deleted."""
        async with self._write:
            rows = await self.fetch(
                "SELECT id, conversation_id, text, deleted_by FROM messages WHERE brand = ? AND platform = ?"
                " AND chat_id = ? AND business_connection = '' AND direction = 'in' AND platform_message_id = ?"
                " AND deleted_at IS NOT NULL", (brand, platform.value, chat_id, platform_message_id))
            if not rows:
                return None
            message_id, conversation_id, text, by = rows[0]
            await self._db.execute("UPDATE messages SET deleted_at = NULL, deleted_by = NULL WHERE id = ?",
                                   (message_id,))
            await self._db.execute(
                "UPDATE outbox SET status = 'pending', last_error = NULL, next_attempt_at = ? WHERE conversation_id = ?"
                " AND status = 'withdrawn' AND last_error = ? AND chat_id = ? AND business_connection = ''"
                " AND reply_to = ?",
                (now_iso(), conversation_id, WITHDRAWN_DELETED, chat_id, platform_message_id))
            await self._db.commit()
        return DeletedMessage(int(conversation_id), int(message_id), str(text), str(by))


def _by(deleter: str | None, author_id: str) -> str:
    if deleter is None or deleter == "":
        return UNKNOWN
    return AUTHOR if deleter == author_id else OTHER
