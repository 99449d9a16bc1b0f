"""Directed negative: waves of near-identical negative messages from several accounts, kept as evidence; and the
abusive public comments the bot left up (the brand does not let it hide them), for moderators to judge."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.storage.base import StorageBase
from bot.storage.records import now_iso, place_of
from handlers.router import ABUSE_LEFT_UP, NOT_CUSTOMERS, SPAM_PRIVATE
from handlers.types import Platform

# The post a public message is under, beside its chat: on VK the chat is the post; in a Telegram discussion group,
# the channel post's thread.
_POST = "CASE WHEN {t}.platform = 'vk' THEN '' ELSE COALESCE({t}.thread_id, '') END"


class EvidenceStore(StorageBase):
    """Campaigns and their messages."""

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
                    "INSERT INTO campaigns (brand, detected_at) VALUES (?, ?)", (brand, now_iso())
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

    async def save_account(self, brand: str, platform: Platform, account_id: str, profile: dict[str, Any]) -> None:
        """What the platform shows of a customer's account (`bot.vk.client.profile_of`), kept for the evidence."""
        async with self._write:
            await self._db.execute(
                "INSERT INTO accounts (brand, platform, account_id, profile, checked_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (brand, platform, account_id) DO UPDATE SET profile = excluded.profile,"
                " checked_at = excluded.checked_at",
                (brand, platform.value, account_id, json.dumps(profile), now_iso()))
            await self._db.commit()

    async def in_campaign(self, conversation_id: int) -> bool:
        """Whether any of the conversation's messages belongs to a directed-negative campaign (a paid account)."""
        rows = await self.fetch(
            "SELECT 1 FROM messages m JOIN campaign_messages cm ON cm.message_id = m.id"
            " WHERE m.conversation_id = ? LIMIT 1", (conversation_id,))
        return bool(rows)

    async def recent_negative(self, brand: str, since: datetime, threshold: float) -> list[tuple[int, str, str, str]]:
        """Customer messages since a moment that read as negative: (id, author id, sent at, text); not spam or
        scams (handlers.router.NOT_CUSTOMERS)."""
        async with self._db.execute(
            "SELECT id, author_id, sent_at, text FROM messages WHERE brand = ? AND direction = 'in' AND sent_at >= ?"
            " AND status = 'processed' AND json_extract(scores, '$.sentiment_negative') >= ?"
            f" AND COALESCE(reason, '') NOT IN ({', '.join('?' * len(NOT_CUSTOMERS))}) ORDER BY sent_at, id",
            (brand, since.isoformat(), threshold, *NOT_CUSTOMERS),
        ) as cur:
            return [(int(r[0]), r[1], r[2], r[3]) for r in await cur.fetchall()]

    async def campaign_of_topic(self, brand: str, chat_id: str, topic_id: str) -> int | None:
        """The brand's campaign whose forum topic this is, if any."""
        rows = await self.fetch(
            "SELECT t.campaign_id FROM campaign_topics t JOIN campaigns c ON c.id = t.campaign_id"
            " WHERE c.brand = ? AND t.chat_id = ? AND t.topic_id = ?", (brand, chat_id, topic_id))
        return int(rows[0][0]) if rows else None

    async def statement_targets(self, brand: str, campaign_id: int) -> list[tuple[int, str | None]]:
        """Where the brand answers a campaign once in public: per post or group the wave reached, its first message
        still up, where no answer to the wave went yet (a failed one is tried again); (message id, its language).
        A VK chat is one post's comments (each top comment a thread of them); a Telegram discussion group's
        thread is one channel post's."""
        rows = await self.fetch(
            f"SELECT m.id, m.language, m.platform, m.chat_id, {_POST.format(t='m')},"
            " EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'statement' AND o.status != 'failed'"
            "  AND json_extract(o.extra, '$.campaign') = cm.campaign_id AND o.platform = m.platform"
            f"  AND o.chat_id = m.chat_id AND {_POST.format(t='o')} = {_POST.format(t='m')})"
            " FROM campaign_messages cm JOIN campaigns c ON c.id = cm.campaign_id"
            " JOIN messages m ON m.id = cm.message_id"
            " WHERE c.brand = ? AND cm.campaign_id = ? AND m.is_public = 1 AND m.deleted_at IS NULL ORDER BY m.id",
            (brand, campaign_id))
        first: dict[tuple[str, str, str], tuple[int, str | None, bool]] = {}
        for message_id, language, platform, chat_id, post, answered in rows:
            first.setdefault((platform, chat_id, post), (int(message_id), language, bool(answered)))
        return [(message_id, language) for message_id, language, answered in first.values() if not answered]

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
            " m.platform_message_id, m.thread_id, m.is_public, m.text, m.sent_at, a.profile FROM campaigns c"
            " JOIN campaign_messages cm ON cm.campaign_id = c.id JOIN messages m ON m.id = cm.message_id"
            " LEFT JOIN accounts a ON a.brand = c.brand AND a.platform = m.platform AND a.account_id = m.author_id"
            f" WHERE c.brand = ? AND {condition} ORDER BY c.id, m.id",
            params,
        ) as cur:
            rows = await cur.fetchall()
        found: dict[int, dict[str, Any]] = {}
        for r in rows:
            campaign = found.setdefault(int(r["id"]), {"campaign": int(r["id"]), "detected_at": r["detected_at"],
                                                       "accounts": 0, "messages": []})
            campaign["messages"].append(_evidence(r))
        for campaign in found.values():
            campaign["accounts"] = len({m["author_id"] for m in campaign["messages"]})
        return list(found.values())

    async def abuse_left_up(self, brand: str, since: datetime, after_id: int) -> list[dict[str, Any]]:
        """The brand's public customer messages since a moment, newer than message `after_id`, that the bot took
        for abuse (toxic, or a blocked word) and only recorded: no campaign's (their topic shows them), none
        deleted since; each as a campaign's messages are (`message_id`, author, where, `text`, `at`, `account`),
        oldest first."""
        async with self._db.execute(
            "SELECT m.id AS message_id, m.platform, m.author_id, m.author_name, m.chat_id, m.platform_message_id,"
            " m.thread_id, m.is_public, m.text, m.sent_at, m.reason, a.profile FROM messages m"
            " LEFT JOIN accounts a ON a.brand = m.brand AND a.platform = m.platform AND a.account_id = m.author_id"
            " WHERE m.brand = ? AND m.direction = 'in' AND m.sent_at >= ? AND m.id > ? AND m.is_public = 1"
            f" AND m.reason IN ({', '.join('?' * len(ABUSE_LEFT_UP))}) AND m.deleted_at IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM campaign_messages cm WHERE cm.message_id = m.id) ORDER BY m.id",
            (brand, since.isoformat(), after_id, *ABUSE_LEFT_UP),
        ) as cur:
            # `reason`: what it was taken for (handlers.router.ABUSE_LEFT_UP: abuse, spam, an impersonation)
            return [{**_evidence(r), "reason": r["reason"]} for r in await cur.fetchall()]


    async def impersonations(self, brand: str, since: datetime, after_id: int = 0, *,
                             hidden_only: bool = False) -> list[dict[str, Any]]:
        """The brand's public comments since a moment, newer than message `after_id`, that the bot took for someone
        posing as its support (handlers.spam): hidden, or left for the moderators (not with `hidden_only`), oldest
        first; each as evidence (`abuse_left_up`, `reason` telling which), with `victim`: the author id of the
        customer's message it answered (None when it answered none of theirs)."""
        reasons = ("impersonation",) if hidden_only else ("impersonation", "impersonation_recorded")
        async with self._db.execute(
            "SELECT m.id AS message_id, m.platform, m.author_id, m.author_name, m.chat_id, m.platform_message_id,"
            " m.thread_id, m.is_public, m.text, m.sent_at, m.reason, a.profile,"
            " (SELECT v.author_id FROM messages v WHERE v.brand = m.brand AND v.platform = m.platform"
            "  AND v.chat_id = m.chat_id AND v.platform_message_id = m.reply_to AND v.direction = 'in'"
            "  AND v.author = 'customer' LIMIT 1) AS victim FROM messages m"
            " LEFT JOIN accounts a ON a.brand = m.brand AND a.platform = m.platform AND a.account_id = m.author_id"
            " WHERE m.brand = ? AND m.direction = 'in' AND m.sent_at >= ? AND m.id > ? AND m.is_public = 1"
            f" AND m.reason IN ({', '.join('?' * len(reasons))}) ORDER BY m.id",
            (brand, since.isoformat(), after_id, *reasons),
        ) as cur:
            return [{**_evidence(r), "reason": r["reason"], "victim": r["victim"]} for r in await cur.fetchall()]

    async def spam_unseen(self, brand: str, since: datetime, after_id: int = 0) -> list[dict[str, Any]]:
        """What the bot took for spam since a moment, newer than message `after_id`, and nobody sees any more: the
        public comments it hid and the private messages it left unanswered (handlers.router: scams are shown
        apart, spam left up is in the abuse topic already); oldest first, each as evidence, with `reason`."""
        async with self._db.execute(
            "SELECT m.id AS message_id, m.platform, m.author_id, m.author_name, m.chat_id, m.platform_message_id,"
            " m.thread_id, m.is_public, m.text, m.sent_at, m.reason, a.profile FROM messages m"
            " LEFT JOIN accounts a ON a.brand = m.brand AND a.platform = m.platform AND a.account_id = m.author_id"
            " WHERE m.brand = ? AND m.direction = 'in' AND m.sent_at >= ? AND m.id > ?"
            " AND m.reason IN ('spam', ?) ORDER BY m.id",
            (brand, since.isoformat(), after_id, SPAM_PRIVATE),
        ) as cur:
            return [{**_evidence(r), "reason": r["reason"]} for r in await cur.fetchall()]


def _evidence(r: Any) -> dict[str, Any]:
    """A customer message as evidence is shown: who, where, when, the text, what the author's profile showed."""
    return {
        "message_id": int(r["message_id"]), **place_of(r), "author_id": r["author_id"],
        "author_name": r["author_name"], "public": bool(r["is_public"]), "text": r["text"], "at": r["sent_at"],
        "account": json.loads(r["profile"]) if r["profile"] else None,  # what its profile showed
    }
