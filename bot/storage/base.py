"""The SQLite file: opening it (WAL, migrations to the current schema), plain queries, and the key-value
state platforms keep (poll cursors and the like)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import aiosqlite

from bot.storage.records import now_iso
from bot.storage.schema import MIGRATIONS

log = logging.getLogger(__name__)


class StorageBase:
    """The connection, its write lock and the schema; every part of `bot.storage.Storage` builds on it."""

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self.path = path
        self._write = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Self:
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
        if 0 < current < len(MIGRATIONS):  # an upgrade: the data as it was is kept first, should it go wrong
            await self._copy_before_migrating(current)
        for version in range(current + 1, len(MIGRATIONS) + 1):
            log.info("migrating %s to schema version %d", self.path, version)
            await self._db.executescript(
                "BEGIN;" + MIGRATIONS[version - 1] + f"; INSERT INTO schema_version VALUES ({version}); COMMIT;"
            )

    async def _copy_before_migrating(self, current: int) -> None:
        """A checked copy of the database beside it (`<name>.before-schema-<new>.bak`, SQLite's online backup)
        before a new version of the program migrates it; a copy that cannot be taken stops the start."""
        from bot.backup import BackupError, backup

        target = self.path.with_name(f"{self.path.name}.before-schema-{len(MIGRATIONS)}.bak")
        try:
            done = await asyncio.to_thread(backup, self.path, target, replace=True)
        except BackupError as exc:
            raise RuntimeError(f"{self.path}: not migrated from schema version {current} to {len(MIGRATIONS)}, as"
                               f" no copy of it could be kept first: {exc}") from None
        log.warning("%s: schema version %d -> %d; the database as it was is kept in %s (%d bytes)", self.path,
                    current, len(MIGRATIONS), target, done["bytes"])

    async def schema_version(self) -> int:
        async with self._db.execute("SELECT MAX(version) FROM schema_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """A read-only query (reports and statistics)."""
        async with self._db.execute(sql, tuple(params)) as cur:
            return [tuple(row) for row in await cur.fetchall()]

    async def count(self, table: str, where: str = "1", params: Sequence[Any] = ()) -> int:
        if table not in {"messages", "outbox", "conversations", "handoffs", "notes", "ratings", "accounts"}:
            raise ValueError(table)
        async with self._db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", tuple(params)) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def get_state(self, key: str) -> str | None:
        async with self._db.execute("SELECT value FROM platform_state WHERE key = ?", (key,)) as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else None

    async def set_state(self, key: str, value: str) -> None:
        async with self._write:
            await self._db.execute(
                "INSERT INTO platform_state (key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (key, value, now_iso()),
            )
            await self._db.commit()
