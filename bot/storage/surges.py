"""Negative surges (handlers.surge): counted from the stored messages themselves, so a surge spanning a restart, or
several processes on one database, is one surge."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.storage.base import StorageBase
from handlers.surge import Surge, SurgePolicy, worth_announcing

LATEST_SHOWN = 3  # of a surge's messages, the newest few go with its alert

# A customer's processed message about the entry (its topic: handlers.surge.topic_of) that reads as negative; a
# campaign's messages are an attack, not customers' mood (handlers.directed).
_UNHAPPY = (
    "FROM messages m WHERE m.brand = ? AND m.direction = 'in' AND m.sent_at >= ? AND m.topic = ?"
    " AND m.author = 'customer' AND m.status = 'processed'"
    " AND json_extract(m.scores, '$.sentiment_negative') >= ?"
    " AND NOT EXISTS (SELECT 1 FROM campaign_messages cm WHERE cm.message_id = m.id)"
)


class SurgeStore(StorageBase):
    """Surges and what moderators were told of them."""

    async def note_unhappy(self, brand: str, entry_id: str, at: datetime, policy: SurgePolicy,
                           negative: float) -> Surge | None:
        """After an unhappy customer's message on `entry_id` (sent `at`) is recorded: the surge it starts or
        grows, when the moderators should hear of it now (`handlers.surge.worth_announcing`), else None."""
        if not policy.enabled:
            return None
        window = timedelta(minutes=policy.window_minutes)
        async with self._write:
            async with self._db.execute(
                "SELECT id, since, announced FROM surges WHERE brand = ? AND entry_id = ? AND last_at >= ?"
                " ORDER BY id DESC LIMIT 1", (brand, entry_id, (at - window).isoformat()),
            ) as cur:
                row = await cur.fetchone()
            # a running surge counts everyone since it began; a new one, the window's customers
            start = datetime.fromisoformat(row["since"]) if row else at - window
            async with self._db.execute(
                f"SELECT COUNT(DISTINCT m.platform || ':' || m.author_id), MIN(m.sent_at) {_UNHAPPY}",
                (brand, start.isoformat(), entry_id, negative),
            ) as cur:
                counted = await cur.fetchone()
            customers, first = (int(counted[0]), counted[1]) if counted else (0, None)
            if row is None and (customers < policy.customers or first is None):
                return None
            if row is None:
                cursor = await self._db.execute(
                    "INSERT INTO surges (brand, entry_id, since, last_at, customers) VALUES (?, ?, ?, ?, ?)",
                    (brand, entry_id, first, at.isoformat(), customers))
                assert cursor.lastrowid is not None
                surge_id, since, announced = cursor.lastrowid, str(first), 0
            else:
                surge_id, since, announced = int(row["id"]), str(row["since"]), int(row["announced"])
                await self._db.execute("UPDATE surges SET last_at = MAX(last_at, ?), customers = ? WHERE id = ?",
                                       (at.isoformat(), customers, surge_id))
            announce = worth_announcing(customers, announced, policy)
            if announce:
                await self._db.execute("UPDATE surges SET announced = ? WHERE id = ?", (customers, surge_id))
            await self._db.commit()
        if not announce:
            return None
        return await self._surge(surge_id, since, customers, brand, entry_id, negative)

    async def _surge(self, surge_id: int, since: str, customers: int, brand: str, entry_id: str,
                     negative: float) -> Surge:
        async with self._db.execute(
            f"SELECT m.id, m.text {_UNHAPPY} AND m.deleted_at IS NULL ORDER BY m.sent_at DESC, m.id DESC LIMIT ?",
            (brand, since, entry_id, negative, LATEST_SHOWN),
        ) as cur:
            latest = tuple((int(r[0]), str(r[1])) for r in await cur.fetchall())
        return Surge(surge_id, entry_id, customers, since, latest)

    async def surges_not_shown(self, brand: str, since: datetime, negative: float) -> list[Surge]:
        """The brand's surges active since a moment whose last announcement the forum has not shown."""
        async with self._db.execute(
            "SELECT id, since, announced, entry_id FROM surges WHERE brand = ? AND last_at >= ? AND announced > shown"
            " ORDER BY id", (brand, since.isoformat()),
        ) as cur:
            rows = await cur.fetchall()
        return [await self._surge(int(r["id"]), r["since"], int(r["announced"]), brand, r["entry_id"], negative)
                for r in rows]

    async def surge_shown(self, surge_id: int, customers: int) -> None:
        """The forum has shown the surge's announcement of `customers`."""
        async with self._write:
            await self._db.execute("UPDATE surges SET shown = MAX(shown, ?) WHERE id = ?", (customers, surge_id))
            await self._db.commit()

    async def surges(self, brand: str, since: datetime) -> list[dict[str, Any]]:
        """The brand's surges active since a moment, newest first: entry, customers, since, last message."""
        async with self._db.execute(
            "SELECT id, entry_id, customers, since, last_at FROM surges WHERE brand = ? AND last_at >= ?"
            " ORDER BY last_at DESC, id DESC", (brand, since.isoformat()),
        ) as cur:
            return [{"surge": int(r["id"]), "entry_id": r["entry_id"], "customers": int(r["customers"]),
                     "since": r["since"], "last_at": r["last_at"]} for r in await cur.fetchall()]
