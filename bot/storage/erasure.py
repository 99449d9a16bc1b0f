"""A customer's request to delete their personal data (`smm-responder forget`)."""

from __future__ import annotations

from typing import Any

from bot.storage.base import StorageBase

_ACCOUNT = "brand = ? AND platform = ? AND account_id = ?"
_AUTHOR = "brand = ? AND platform = ? AND author_id = ?"
_STATE = "key LIKE ? ESCAPE '\\'"


def _escaped(text: str) -> str:
    """Text matched as written by LIKE."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class ErasureStore(StorageBase):
    """Erasing one customer's data."""

    async def public_replies(self, conversation_id: int) -> list[tuple[str, str, str]]:
        """The replies the bot delivered to the customer where others read them (a chat other than their own
        private one: comments, groups; a business account's chats are private): (platform, chat id, message id),
        oldest first. They answer the customer by name."""
        rows = await self.fetch(
            "SELECT o.platform, o.chat_id, o.platform_message_id FROM outbox o"
            " JOIN conversations c ON c.id = o.conversation_id WHERE o.conversation_id = ? AND o.status = 'sent'"
            " AND o.kind != 'hide' AND COALESCE(o.platform_message_id, '') != '' AND o.chat_id != c.customer_id"
            " AND o.business_connection = '' AND o.platform IN ('telegram', 'vk') ORDER BY o.id",
            (conversation_id,))
        return [(str(platform), str(chat), str(message)) for platform, chat, message in rows]

    async def forget_customer(self, brand: str, platform: str, customer_id: str, *, erase: bool) -> dict[str, int]:
        """Everything stored about one customer of a brand (a request to erase personal data: GDPR, 152-FZ,
        KVKK): their conversation, messages in and out, queued replies, handoffs, notes, ratings, forum topic
        links, campaign evidence, what their account's profile showed and the forum posts known to quote them;
        and their posts found outside the brand's pages (a customer may have none of the rest). Counts what there
        is; deletes it in one transaction with `erase`."""
        rows = await self.fetch("SELECT id FROM conversations WHERE brand = ? AND platform = ? AND customer_id = ?",
                                (brand, platform, customer_id))
        account = (brand, platform, customer_id)
        [(outside,)] = await self.fetch(f"SELECT COUNT(*) FROM outside_mentions WHERE {_AUTHOR}", account)
        counts = {"conversations": len(rows), "outside_mentions": int(outside)}
        if not rows:
            if erase and outside:
                async with self._write:
                    await self._erase(f"DELETE FROM outside_mentions WHERE {_AUTHOR}", account)
            return counts
        conversation = (int(rows[0][0]),)
        in_conversation = "conversation_id = ?"
        tables = [  # children before parents: foreign keys hold throughout
            ("campaign_messages", "message_id IN (SELECT id FROM messages WHERE conversation_id = ?)"),
            ("forum_quotes", "message_id IN (SELECT id FROM messages WHERE conversation_id = ?)"),
            ("ratings", in_conversation), ("notes", in_conversation), ("forum_topics", in_conversation),
            ("company_questions", in_conversation),
            ("outbox", in_conversation), ("handoffs", in_conversation), ("messages", in_conversation),
            ("conversations", "id = ?"),
        ]
        for table, where in tables:
            [(n,)] = await self.fetch(f"SELECT COUNT(*) FROM {table} WHERE {where}", conversation)
            counts[table] = int(n)
        # what their profile showed (campaign evidence)
        [(n,)] = await self.fetch(f"SELECT COUNT(*) FROM accounts WHERE {_ACCOUNT}", account)
        counts["accounts"] = int(n)
        # the forum's note of their abuse post (bot.telegram.forum_alerts: a troll's comments join one post)
        state = (_escaped(f"forum:{brand}:") + "%" + _escaped(f":abuse_by:{platform}:{customer_id}"),)
        [(n,)] = await self.fetch(f"SELECT COUNT(*) FROM platform_state WHERE {_STATE}", state)
        counts["forum_state"] = int(n)
        if erase:
            async with self._write:
                await self._erase(f"DELETE FROM accounts WHERE {_ACCOUNT}", account,
                                  f"DELETE FROM platform_state WHERE {_STATE}", state,
                                  f"DELETE FROM outside_mentions WHERE {_AUTHOR}", account,
                                  # others' "+1" that joined their comments (handlers.me_too) no longer show them
                                  "UPDATE messages SET joins = NULL WHERE joins IN"
                                  " (SELECT id FROM messages WHERE conversation_id = ?)", conversation,
                                  *(item for table, where in tables
                                    for item in (f"DELETE FROM {table} WHERE {where}", conversation)))
        return counts

    async def _erase(self, *statements: Any) -> None:
        """Run DELETE statements (each followed by its parameters) as one transaction, leaving no readable copy
        of what they delete in the file or its WAL; the caller holds the write lock."""
        await self._db.execute("PRAGMA secure_delete = ON")  # the freed pages are zeroed, not left readable
        for sql, params in zip(statements[::2], statements[1::2], strict=True):
            await self._db.execute(sql, params)
        await self._db.commit()
        await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # and no old copy stays in the WAL
