"""Read-only looks for monitoring and review: the backlog, what the bot answered, what moderators chose."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.storage.base import StorageBase
from bot.storage.records import place_of
from handlers.reactions import ANSWER_DID_NOT_HELP, ANSWER_UNCLEAR
from handlers.router import NOT_CUSTOMERS
from handlers.types import (
    Platform,
    utcnow,
)


class ReportStore(StorageBase):
    """Queries behind `health` and `review`."""

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
        the reply it queued (a row for each, when it asked several questions) and what became of it (`delivery`:
        sent, pending, failed, withdrawn; `reaction`: the customer's emoji reaction to it, if any; `did_not_help`:
        the customer's next message said it did not help, "не помогло"; `unclear`: ... that they did not understand
        it, "не понял"), its reason and scores, and `joins`: the comment it joined and was answered as ("+1":
        handlers.me_too), if it did (oldest first)."""
        async with self._db.execute(
            "SELECT m.id, m.platform, m.chat_id, m.platform_message_id, m.thread_id, m.is_public, m.text,"
            " m.sent_at, m.language, m.reason, m.scores, o.text AS reply, o.status AS delivery, o.reaction,"
            # the entry of the answer itself: a message of several questions got one answer of each (its own
            # entry_id names the first's); an entry's phrasing key is "ENTRY:LANGUAGE:public|private:N"
            " COALESCE(NULLIF(substr(o.phrasing_key, 1, instr(o.phrasing_key, ':') - 1), ''), m.entry_id) AS entry_id,"
            " (SELECT n.reason FROM messages n WHERE n.conversation_id = m.conversation_id AND n.direction = 'in'"
            "  AND n.id > m.id AND n.reason IS NOT NULL ORDER BY n.id LIMIT 1) AS next_reason,"
            " (SELECT j.text FROM messages j WHERE j.id = m.joins) AS joins"
            " FROM messages m"
            " LEFT JOIN outbox o ON o.source_message_id = m.id AND o.kind = 'answer'"
            " WHERE m.brand = ? AND m.direction = 'in' AND m.sent_at >= ? AND m.action = 'answer'"
            " AND m.entry_id IS NOT NULL ORDER BY m.id",
            (brand, since.isoformat()),
        ) as cur:
            rows = await cur.fetchall()
        return [{
            "message_id": int(r["id"]), **place_of(r), "public": bool(r["is_public"]), "at": r["sent_at"],
            "language": r["language"], "text": r["text"],
            "entry_id": r["entry_id"], "reason": r["reason"], "scores": json.loads(r["scores"] or "{}"),
            "reply": r["reply"], "delivery": r["delivery"],  # sent, pending, failed, withdrawn
            "reaction": r["reaction"] or None, "did_not_help": r["next_reason"] == ANSWER_DID_NOT_HELP,
            "unclear": r["next_reason"] == ANSWER_UNCLEAR, "joins": r["joins"],
        } for r in rows]

    async def mentioned_between(self, brand: str, since: datetime, until: datetime) -> bool:
        """Whether anyone wrote to or about the brand between two moments."""
        async with self._db.execute(
            "SELECT 1 FROM messages WHERE brand = ? AND direction = 'in' AND sent_at >= ? AND sent_at < ? LIMIT 1",
            (brand, since.isoformat(), until.isoformat()),
        ) as cur:
            return await cur.fetchone() is not None

    async def messages_on_no_entry(self, brand: str, since: datetime, until: datetime | None = None
                                   ) -> list[dict[str, Any]]:
        """The brand's customer messages with text since a moment (and before `until`) the bot handed off because
        no entry of its argument base answered them (out of scope, or unsure), not part of a campaign, oldest
        first. Not those a person's thread got (the bot reads no entry for them), nor handoffs for other reasons
        (a customer asking for a person, a very unhappy one), nor those a moderator answered with an entry's
        suggested answer (the base had it: the bot only missed it, and `review --examples` lists them)."""
        async with self._db.execute(
            "SELECT m.id, m.platform, m.author_id, m.chat_id, m.platform_message_id, m.thread_id, m.text, m.sent_at,"
            " m.language FROM messages m WHERE m.brand = ? AND m.direction = 'in' AND m.sent_at >= ?"
            + (" AND m.sent_at < ?" if until is not None else "") +
            " AND m.author = 'customer' AND m.status = 'processed' AND m.action = 'handoff' AND m.entry_id IS NULL"
            " AND m.reason IN ('out_of_scope', 'no_confident_answer')"
            " AND m.text != '' AND NOT EXISTS (SELECT 1 FROM campaign_messages cm WHERE cm.message_id = m.id)"
            " AND NOT EXISTS (SELECT 1 FROM handoffs h JOIN outbox o ON o.conversation_id = h.conversation_id"
            " AND o.kind = 'moderator' AND o.created_at >= h.created_at"
            " AND (h.closed_at IS NULL OR o.created_at <= h.closed_at)"
            " WHERE h.message_id = m.id AND json_extract(o.extra, '$.entry_id') IS NOT NULL)"
            " ORDER BY m.id",
            (brand, since.isoformat(), *([until.isoformat()] if until is not None else [])),
        ) as cur:
            rows = await cur.fetchall()
        return [{
            "message_id": int(r["id"]), **place_of(r), "customer": f"{r['platform']}:{r['author_id']}",
            "text": r["text"], "at": r["sent_at"], "language": r["language"],
        } for r in rows]

    async def person_answers(self, message_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """For customers' messages the bot handed to people: the fullest reply a person wrote to the customer in
        that handoff (the answer, rather than "one moment, I'll check": the longest; at the desk or in the forum,
        delivered or still queued, or in the platform's own app; not the word that the company is being asked),
        with the customer's name as stored, by message id; messages nobody answered are left out."""
        found: dict[int, tuple[str, str]] = {}
        ids = list(dict.fromkeys(message_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = await self.fetch(
                "SELECT h.message_id, c.customer_name, (SELECT text FROM ("
                "  SELECT o.text AS text, o.created_at AS at FROM outbox o WHERE o.conversation_id = h.conversation_id"
                "  AND o.kind = 'moderator' AND json_extract(o.extra, '$.holding') IS NULL"
                "  AND o.created_at >= h.created_at AND (h.closed_at IS NULL OR o.created_at <= h.closed_at)"
                # replies written in the platform's own app: in the history without an outbox row
                "  UNION ALL SELECT r.text, r.sent_at FROM messages r WHERE r.conversation_id = h.conversation_id"
                "  AND r.direction = 'out' AND r.author = 'moderator' AND r.sent_at >= h.created_at"
                "  AND (h.closed_at IS NULL OR r.sent_at <= h.closed_at) AND NOT EXISTS (SELECT 1 FROM outbox q"
                "  WHERE q.conversation_id = r.conversation_id AND q.platform_message_id = r.platform_message_id)"
                " ) WHERE text != '' ORDER BY length(text) DESC, at LIMIT 1)"
                " FROM handoffs h JOIN conversations c ON c.id = h.conversation_id"
                f" WHERE h.message_id IN ({', '.join('?' * len(chunk))}) ORDER BY h.id", tuple(chunk))
            for message_id, name, text in rows:
                if text and int(message_id) not in found:
                    found[int(message_id)] = (str(text), str(name or ""))
        return found

    async def solved_public_cases(self, brand: str, since: datetime, until: datetime,
                                  limit: int) -> list[dict[str, Any]]:
        """The brand's public cases handed to people in the period and resolved, the widest seen first (their
        reach, `bot.reach`: a VK post's views, else the audience; unmeasured ones last): each with the customer's
        comment (`text`, where it is) still up, and `reach` (None: not measured)."""
        async with self._db.execute(
            "SELECT h.reach, m.platform, m.chat_id, m.platform_message_id, m.thread_id, m.text, m.sent_at"
            " FROM handoffs h JOIN messages m ON m.id = h.message_id"
            " WHERE h.brand = ? AND h.created_at >= ? AND h.created_at < ? AND h.outcome = 'resolve'"
            " AND m.is_public = 1 AND m.deleted_at IS NULL ORDER BY COALESCE(h.reach, -1) DESC, h.id LIMIT ?",
            (brand, since.isoformat(), until.isoformat(), limit),
        ) as cur:
            rows = await cur.fetchall()
        return [{**place_of(r), "text": r["text"], "at": r["sent_at"],
                 "reach": int(r["reach"]) if r["reach"] is not None else None} for r in rows]

    async def taken_for_spam(self, brand: str, since: datetime, limit: int) -> list[dict[str, Any]]:
        """The brand's messages since a moment the bot took for spam or a scam (handlers.router.NOT_CUSTOMERS),
        newest first: to check that no customer was among them."""
        reasons = ", ".join("?" * len(NOT_CUSTOMERS))
        async with self._db.execute(
            "SELECT m.id, m.platform, m.author_id, m.author_name, m.chat_id, m.platform_message_id, m.thread_id,"
            f" m.text, m.sent_at, m.reason, m.action, m.deleted_at FROM messages m WHERE m.brand = ?"
            f" AND m.direction = 'in' AND m.sent_at >= ? AND m.reason IN ({reasons}) ORDER BY m.id DESC LIMIT ?",
            (brand, since.isoformat(), *NOT_CUSTOMERS, limit),
        ) as cur:
            rows = await cur.fetchall()
        return [{"message_id": int(r["id"]), **place_of(r), "author_id": r["author_id"],
                 "author_name": r["author_name"], "text": r["text"], "at": r["sent_at"], "reason": r["reason"],
                 "hidden": r["action"] == "hide", "deleted": r["deleted_at"] is not None} for r in rows]
