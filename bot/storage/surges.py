"""Negative surges (handlers.surge): counted from the stored messages themselves, so a surge spanning a restart, or
several processes on one database, is one surge."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.storage.base import StorageBase
from handlers.surge import (
    NO_ENTRY,
    RELATED,
    USUAL_DAYS,
    Surge,
    SurgePolicy,
    Unhappy,
    new_topic,
    news_words,
    signature,
    worth_announcing,
)
from handlers.surge_words import written_form

LATEST_SHOWN = 3  # of a surge's messages, the newest few go with its alert
FORMS_READ = 200  # of a new surge on a word, its newest messages read for the form of the word they write

# A customer's processed message that reads as negative; a campaign's messages are an attack, not customers' mood
# (handlers.directed). About an entry: `m.topic = ?` (handlers.surge.topic_of); using a word: `_ON_WORD`.
_UNHAPPY = (
    "FROM messages m WHERE m.brand = ? AND m.direction = 'in' AND m.sent_at >= ?"
    " AND m.author = 'customer' AND m.status = 'processed'"
    " AND json_extract(m.scores, '$.sentiment_negative') >= ?"
    " AND NOT EXISTS (SELECT 1 FROM campaign_messages cm WHERE cm.message_id = m.id)"
)
_ON_WORD = " AND m.words LIKE ?"


def _about(entry_id: str, stem: str | None) -> tuple[str, str]:
    """The condition (after _UNHAPPY) and its argument for a surge's messages."""
    return (_ON_WORD, f"% {stem} %") if entry_id == NO_ENTRY and stem else (" AND m.topic = ?", entry_id)


class SurgeStore(StorageBase):
    """Surges and what moderators were told of them."""

    async def note_unhappy(self, brand: str, entry_id: str, at: datetime, policy: SurgePolicy,
                           negative: float) -> Surge | None:
        """After an unhappy customer's message on `entry_id` (sent `at`) is recorded: the surge it starts or
        grows, when the moderators should hear of it now (`handlers.surge.worth_announcing`), else None."""
        if not policy.enabled:
            return None
        window = timedelta(minutes=policy.window_minutes)
        if await self._running_on_entry(brand, entry_id, at - window) is None:
            # most messages: no surge, nor enough customers for one; counted without waiting for the write lock
            customers, _ = await self._unhappy_customers(brand, at - window, negative, entry_id)
            if customers < policy.customers:
                return None
        async with self._write:
            row = await self._running_on_entry(brand, entry_id, at - window)
            # a running surge counts everyone since it began; a new one, the window's customers
            start = datetime.fromisoformat(row["since"]) if row else at - window
            customers, first = await self._unhappy_customers(brand, start, negative, entry_id)
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
                await self._grown(surge_id, at, customers)
            announce = await self._announced(surge_id, customers, announced, policy)
        if not announce:
            return None
        return await self._surge(surge_id, since, customers, brand, entry_id, negative)

    async def _grown(self, surge_id: int, at: datetime, customers: int) -> None:
        """A running surge's newest message and customers so far (inside the write lock)."""
        await self._db.execute("UPDATE surges SET last_at = MAX(last_at, ?), customers = ? WHERE id = ?",
                               (at.isoformat(), customers, surge_id))

    async def _announced(self, surge_id: int, customers: int, announced: int, policy: SurgePolicy) -> bool:
        """Whether the moderators hear of the surge now (`worth_announcing`), recorded, and the surge's changes
        committed (inside the write lock)."""
        announce = worth_announcing(customers, announced, policy)
        if announce:
            await self._db.execute("UPDATE surges SET announced = ? WHERE id = ?", (customers, surge_id))
        await self._db.commit()
        return announce

    async def _running_on_entry(self, brand: str, entry_id: str, window_start: datetime) -> Any:
        """The entry's surge still running (a customer of it wrote since `window_start`), else None."""
        async with self._db.execute(
            "SELECT id, since, announced FROM surges WHERE brand = ? AND entry_id = ? AND last_at >= ?"
            " ORDER BY id DESC LIMIT 1", (brand, entry_id, window_start.isoformat()),
        ) as cur:
            return await cur.fetchone()

    async def _unhappy_customers(self, brand: str, since: datetime, negative: float, entry_id: str,
                                 stem: str | None = None) -> tuple[int, str | None]:
        """The unhappy customers of an entry (of a word: `stem`, on NO_ENTRY) since a moment, and when the first
        of them wrote."""
        about, argument = _about(entry_id, stem)
        async with self._db.execute(
            f"SELECT COUNT(DISTINCT m.platform || ':' || m.author_id), MIN(m.sent_at) {_UNHAPPY}{about}",
            (brand, since.isoformat(), negative, argument),
        ) as cur:
            counted = await cur.fetchone()
        return (int(counted[0]), counted[1]) if counted else (0, None)

    async def note_unhappy_words(self, brand: str, words: Sequence[str], at: datetime, policy: SurgePolicy,
                                 negative: float) -> Surge | None:
        """After an unhappy customer's message, with its subject `words` stored, is recorded: the surge on a word
        it joins (one of its words already has a surge) or starts (handlers.surge.new_topic), when the moderators
        should hear of it now, else None. What a new surge would be is read before taking the write lock (the
        messages of the window, and of the week before only for words that are news in it), so storing other
        messages does not wait for it."""
        if not policy.enabled or not policy.new_topics or not words:
            return None
        window = timedelta(minutes=policy.window_minutes)
        recent = await self._word_surges(brand, at - RELATED)
        running = [row for row in recent if datetime.fromisoformat(row["last_at"]) >= at - window]
        found = None
        if not any(row["word_stem"] in words for row in running):
            found = await self._new_topic(brand, words, at, policy, negative, recent)
            if found is None:
                return None
        async with self._write:
            recent = await self._word_surges(brand, at - RELATED)  # as they are now: one may have begun meanwhile
            running = [row for row in recent if datetime.fromisoformat(row["last_at"]) >= at - window]
            joined = next((row for row in running if row["word_stem"] in words), None)
            if joined is not None:
                surge_id, since, announced = int(joined["id"]), str(joined["since"]), int(joined["announced"])
                stem, written = str(joined["word_stem"]), str(joined["word"])
                customers, _ = await self._unhappy_customers(brand, datetime.fromisoformat(since), negative, NO_ENTRY,
                                                             stem)
                await self._grown(surge_id, at, customers)
            elif found is not None and found[0] not in {row["word_stem"] for row in recent}:
                stem, since, customers, written, shared = found
                cursor = await self._db.execute(
                    "INSERT INTO surges (brand, entry_id, since, last_at, customers, word_stem, word, words)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (brand, NO_ENTRY, since, at.isoformat(), customers, stem, written, f" {' '.join(sorted(shared))} "))
                assert cursor.lastrowid is not None
                surge_id, announced = cursor.lastrowid, 0
            else:
                return None
            announce = await self._announced(surge_id, customers, announced, policy)
        if not announce:
            return None
        return await self._surge(surge_id, since, customers, brand, NO_ENTRY, negative, stem, written)

    async def _word_surges(self, brand: str, since: datetime) -> list[Any]:
        """The brand's surges on a word active since a moment, newest first."""
        async with self._db.execute(
            "SELECT id, since, last_at, announced, word_stem, word, words FROM surges WHERE brand = ? AND entry_id = ?"
            " AND last_at >= ? ORDER BY id DESC", (brand, NO_ENTRY, since.isoformat()),
        ) as cur:
            return list(await cur.fetchall())

    async def _new_topic(self, brand: str, words: Sequence[str], at: datetime, policy: SurgePolicy,
                         negative: float, recent: Sequence[Any]) -> tuple[str, str, int, str, frozenset[str]] | None:
        """(stem, since, customers, written form, signature) of the surge on a word the message starts, if any
        (handlers.surge.new_topic), given the `recent` surges on a word."""
        taken = frozenset(str(row["word_stem"]) for row in recent)
        related = frozenset(word for row in recent for word in str(row["words"] or "").split())
        start = at - timedelta(minutes=policy.window_minutes)
        within = await self._unhappy_using(brand, start, at, negative, words)
        news = news_words(within, words, policy, taken, related)
        if not news:
            return None
        week = await self._unhappy_using(brand, start - timedelta(days=USUAL_DAYS), start, negative, list(news))
        stem = new_topic([*week, *within], list(news), at, policy, taken, related)
        if stem is None:
            return None
        now = [m for m in within if stem in m.words and not m.words & taken]
        async with self._db.execute(
            f"SELECT m.text {_UNHAPPY}{_ON_WORD} AND m.sent_at <= ? ORDER BY m.id DESC LIMIT ?",
            (brand, start.isoformat(), negative, f"% {stem} %", at.isoformat(), FORMS_READ),
        ) as cur:
            texts = [str(row[0]) for row in await cur.fetchall()]
        return (stem, min(m.at for m in now).isoformat(), len({m.customer for m in now}), written_form(texts, stem),
                signature(now))

    async def _unhappy_using(self, brand: str, since: datetime, until: datetime, negative: float,
                             words: Sequence[str]) -> list[Unhappy]:
        """The brand's unhappy messages sent from `since` up to `until` using any of `words`."""
        using = " OR ".join("m.words LIKE ?" for _ in words)
        async with self._db.execute(
            f"SELECT m.platform || ':' || m.author_id, m.sent_at, m.words, m.topic {_UNHAPPY} AND m.sent_at <= ?"
            f" AND ({using})", (brand, since.isoformat(), negative, until.isoformat(),
                               *(f"% {word} %" for word in words)),
        ) as cur:
            return [Unhappy(str(r[0]), datetime.fromisoformat(r[1]), frozenset(str(r[2]).split()), r[3])
                    for r in await cur.fetchall()]

    async def _surge(self, surge_id: int, since: str, customers: int, brand: str, entry_id: str,
                     negative: float, stem: str | None = None, word: str | None = None) -> Surge:
        about, argument = _about(entry_id, stem)
        async with self._db.execute(
            f"SELECT m.id, m.text {_UNHAPPY}{about} AND m.deleted_at IS NULL ORDER BY m.sent_at DESC, m.id DESC"
            " LIMIT ?", (brand, since, negative, argument, LATEST_SHOWN),
        ) as cur:
            latest = tuple((int(r[0]), str(r[1])) for r in await cur.fetchall())
        return Surge(surge_id, entry_id, customers, since, latest, (word or stem or "") if entry_id == NO_ENTRY else "")

    async def surges_not_shown(self, brand: str, since: datetime, negative: float) -> list[Surge]:
        """The brand's surges active since a moment whose last announcement the forum has not shown."""
        async with self._db.execute(
            "SELECT id, since, announced, entry_id, word_stem, word FROM surges WHERE brand = ? AND last_at >= ?"
            " AND announced > shown ORDER BY id", (brand, since.isoformat()),
        ) as cur:
            rows = await cur.fetchall()
        return [await self._surge(int(r["id"]), r["since"], int(r["announced"]), brand, r["entry_id"], negative,
                                  r["word_stem"], r["word"]) for r in rows]

    async def surge_shown(self, surge_id: int, customers: int) -> None:
        """The forum has shown the surge's announcement of `customers`."""
        async with self._write:
            await self._db.execute("UPDATE surges SET shown = MAX(shown, ?) WHERE id = ?", (customers, surge_id))
            await self._db.commit()

    async def surge_conversations(self, brand: str, surge_id: int, negative: float) -> list[int]:
        """The conversations of the customers in one of the brand's surges (their unhappy messages about its entry
        or word from its start to its last), first to write first; none for another brand's surge."""
        async with self._db.execute(
            "SELECT entry_id, word_stem, since, last_at FROM surges WHERE id = ? AND brand = ?", (surge_id, brand),
        ) as cur:
            surge = await cur.fetchone()
        if surge is None:
            return []
        about, argument = _about(surge["entry_id"], surge["word_stem"])
        async with self._db.execute(
            f"SELECT m.conversation_id, MIN(m.id) {_UNHAPPY}{about} AND m.sent_at <= ? GROUP BY m.conversation_id"
            " ORDER BY MIN(m.id)", (brand, surge["since"], negative, argument, surge["last_at"]),
        ) as cur:
            return [int(r[0]) for r in await cur.fetchall()]

    async def surges(self, brand: str, since: datetime) -> list[dict[str, Any]]:
        """The brand's surges active since a moment, newest first: entry (or the word of one on no entry),
        customers, since, last message."""
        async with self._db.execute(
            "SELECT id, entry_id, word, customers, since, last_at FROM surges WHERE brand = ? AND last_at >= ?"
            " ORDER BY last_at DESC, id DESC", (brand, since.isoformat()),
        ) as cur:
            return [{"surge": int(r["id"]), "entry_id": r["entry_id"], "word": r["word"] or "",
                     "customers": int(r["customers"]), "since": r["since"], "last_at": r["last_at"]}
                    for r in await cur.fetchall()]
