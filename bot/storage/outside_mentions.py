"""Mentions of a brand outside its own pages (bot.vk.monitor): kept once each, shown to the moderators,
marked dealt with, counted for `stats`, erased with their author (`forget`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.storage.base import StorageBase
from bot.storage.records import FoundMention, now_iso

_AUTHOR = "brand = ? AND platform = ? AND author_id = ?"


class OutsideMentionStore(StorageBase):
    """Found posts about a brand."""

    async def save_outside_mentions(self, brand: str, found: Sequence[FoundMention], at: datetime
                                    ) -> list[int | None]:
        """Keep the posts not kept before, found at a moment (a post found again by another search or a later one
        is one mention); returns each post's new id, None for those kept before."""
        new: list[int | None] = []
        async with self._write:
            for post in found:
                cur = await self._db.execute(
                    "INSERT INTO outside_mentions (brand, platform, address, query, author_id, author_name, text,"
                    " language, negative, positive, toxicity, views, posted_at, found_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (brand, post.platform, post.address, post.query, post.author_id, post.author_name, post.text,
                     post.language, post.sentiment.get("negative", 0.0), post.sentiment.get("positive", 0.0),
                     post.toxicity, post.views, post.posted_at.isoformat(), at.isoformat()))
                new.append(cur.lastrowid if cur.rowcount else None)
            await self._db.commit()
        return new

    async def outside_directed(self, mention_ids: Sequence[int]) -> int:
        """File found posts under one wave of directed negative (alike unhappy posts from several authors): the
        wave some of them already belong to, else a new one; returns its id (its first post's)."""
        marks = ",".join("?" * len(mention_ids))
        async with self._write:
            async with self._db.execute(f"SELECT MIN(directed) FROM outside_mentions WHERE id IN ({marks})"
                                        " AND directed > 0", tuple(mention_ids)) as cur:
                row = await cur.fetchone()
            wave = int(row[0]) if row and row[0] is not None else min(mention_ids)
            await self._db.execute(f"UPDATE outside_mentions SET directed = ? WHERE id IN ({marks})",
                                   (wave, *mention_ids))
            await self._db.commit()
        return wave

    async def outside_waves(self, brand: str, since: datetime) -> list[dict[str, Any]]:
        """The brand's waves of directed negative among the posts found since a moment (the evidence), each with
        its posts, oldest first."""
        async with self._db.execute(
            "SELECT directed, platform, address, author_id, author_name, text, posted_at, views FROM outside_mentions"
            " WHERE brand = ? AND directed > 0 AND found_at >= ? ORDER BY directed, posted_at, id",
            (brand, since.isoformat()),
        ) as cur:
            rows = await cur.fetchall()
        waves: dict[int, dict[str, Any]] = {}
        for row in rows:
            wave = waves.setdefault(int(row["directed"]), {"outside_wave": int(row["directed"]), "accounts": 0,
                                                           "posts": []})
            wave["posts"].append({k: row[k] for k in ("platform", "address", "author_id", "author_name", "text",
                                                      "posted_at", "views")})
        for wave in waves.values():
            wave["accounts"] = len({post["author_id"] for post in wave["posts"]})
        return list(waves.values())

    async def outside_mentions(self, brand: str, since: datetime, *, negative_at: float = 0.0,
                               not_shown: bool = False, not_handled: bool = False) -> list[dict[str, Any]]:
        """The brand's mentions found since a moment, at least `negative_at` negative, oldest first; with
        `not_shown`, those no forum post shows yet; with `not_handled`, those nobody has dealt with."""
        async with self._db.execute(
            "SELECT id, platform, address, query, author_id, author_name, text, negative, positive, toxicity, views,"
            " posted_at, found_at, handled_by, directed FROM outside_mentions WHERE brand = ? AND found_at >= ?"
            " AND negative >= ?" + (" AND forum_post IS NULL" if not_shown else "")
            + (" AND handled_by IS NULL" if not_handled else "") + " ORDER BY id",
            (brand, since.isoformat(), negative_at),
        ) as cur:
            return [dict(row) for row in await cur.fetchall()]

    async def outside_mention_shown(self, mention_id: int, chat_id: str, post_id: str) -> None:
        async with self._write:
            await self._db.execute("UPDATE outside_mentions SET forum_chat = ?, forum_post = ? WHERE id = ?",
                                   (chat_id, post_id, mention_id))
            await self._db.commit()

    async def outside_waiting(self, brand: str, since: datetime, negative_at: float) -> list[dict[str, Any]]:
        """Unhappy posts found since a moment that a forum shows, nobody has dealt with and the forum was not
        reminded of: `id`, `found_at`, `forum_chat`, `forum_post`, oldest first."""
        async with self._db.execute(
            "SELECT id, found_at, forum_chat, forum_post FROM outside_mentions WHERE brand = ? AND found_at >= ?"
            " AND negative >= ? AND forum_post IS NOT NULL AND handled_by IS NULL AND reminded_at IS NULL ORDER BY id",
            (brand, since.isoformat(), negative_at),
        ) as cur:
            return [dict(row) for row in await cur.fetchall()]

    async def outside_reminded(self, mention_id: int) -> None:
        async with self._write:
            await self._db.execute("UPDATE outside_mentions SET reminded_at = ? WHERE id = ?", (now_iso(), mention_id))
            await self._db.commit()

    async def outside_mention_handled(self, brand: str, mention_id: int, moderator: str) -> bool:
        """A moderator dealt with a found post (answered it on its page, or judged it needs nothing): False when
        the brand has no such mention or someone marked it before."""
        async with self._write:
            cur = await self._db.execute(
                "UPDATE outside_mentions SET handled_by = ?, handled_at = ? WHERE id = ? AND brand = ?"
                " AND handled_by IS NULL", (moderator, now_iso(), mention_id, brand))
            await self._db.commit()
        return cur.rowcount > 0

    async def outside_counts(self, brand: str, since: datetime, until: datetime, negative_at: float
                             ) -> dict[str, int]:
        """Mentions found in a period: all, negative (at least `negative_at`), positive (0.5 or more), those of
        directed-negative waves, those a moderator dealt with and their reach (the views VK counted when found)."""
        [(found, negative, positive, directed, handled, reach)] = await self.fetch(
            "SELECT COUNT(*), SUM(negative >= ?), SUM(positive >= 0.5), SUM(directed > 0), SUM(handled_by IS NOT NULL),"
            " SUM(CASE WHEN handled_by IS NOT NULL THEN views END)"
            " FROM outside_mentions WHERE brand = ? AND found_at >= ? AND found_at < ?",
            (negative_at, brand, since.isoformat(), until.isoformat()))
        return {"found": int(found or 0), "negative": int(negative or 0), "positive": int(positive or 0),
                "directed": int(directed or 0),
                "handled": int(handled or 0), "handled_reach": int(reach or 0)}

    async def outside_mentions_by(self, brand: str, platform: str, author_id: str) -> list[tuple[str, str]]:
        """The forum posts showing an author's found posts: (chat id, post id)."""
        rows = await self.fetch(f"SELECT forum_chat, forum_post FROM outside_mentions WHERE {_AUTHOR}"
                                " AND forum_post IS NOT NULL", (brand, platform, author_id))
        return [(str(chat), str(post)) for chat, post in rows]
