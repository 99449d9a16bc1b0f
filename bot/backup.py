"""`smm-responder backup`: a consistent copy of the SQLite database, taken while the bot runs.

Copying the file (or a Docker volume) while the bot writes can catch a half-written page or leave the write-ahead
log behind; SQLite's online backup copies every page within one read transaction, so the copy is the database as
it was at one moment, whatever the bot writes meanwhile. The copy is written beside the target first, checked
(`PRAGMA integrity_check`) and only then put in place, so a failed backup never replaces a good one.

With `[storage] backups` set, the running bot takes them itself (`watch_backups`): one every `backup_hours` into
that folder, named by the moment (`smm-responder-20261206-0930.sqlite3`), the newest `backups_kept` kept and older
ones deleted (a customer's data a `forget` erased leaves the backups with them).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.config import BackupSchedule
from handlers.types import utcnow

log = logging.getLogger(__name__)

CHECK_SECONDS = 600.0  # how often the running bot looks whether a backup is due
_NAME = re.compile(r"^smm-responder-(\d{8}-\d{4})\.sqlite3$")


class BackupError(RuntimeError):
    """A backup that could not be taken; the message says why."""


def backup(database: Path, target: Path, *, replace: bool = False) -> dict[str, Any]:
    """Copy `database` to `target` (refused when it exists, unless `replace`); returns what was copied."""
    if not database.is_file():
        raise BackupError(f"no database at {database}")
    if target.resolve() == database.resolve():
        raise BackupError(f"{target} is the database itself")
    if target.exists() and not replace:
        raise BackupError(f"{target} exists (--replace to overwrite it)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"no folder for {target}: {exc.strerror or exc}") from None
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    try:
        source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)  # every page in one step: one read transaction, one moment
                check = copy.execute("PRAGMA integrity_check").fetchone()[0]
                messages = copy.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
            finally:
                copy.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup of {database} failed: {exc}") from None
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy of {database} failed its integrity check: {check}")
    try:
        os.replace(partial, target)
    except OSError as exc:  # e.g. a folder where the copy goes
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy of {database} could not be put at {target}: {exc.strerror or exc}") from None
    return {"database": str(database), "backup": str(target), "bytes": target.stat().st_size,
            "messages": int(messages), "seconds": round(time.perf_counter() - started, 2)}


def scheduled_backups(folder: Path) -> list[tuple[datetime, Path]]:
    """The bot's own backups in `folder` (by their names), oldest first; other files are not its business."""
    if not folder.is_dir():
        return []
    found = [(datetime.strptime(match[1], "%Y%m%d-%H%M").replace(tzinfo=UTC), path)
             for path in folder.iterdir() if (match := _NAME.match(path.name))]
    return sorted(found)


def backup_if_due(database: Path, schedule: BackupSchedule, now: datetime) -> dict[str, Any] | None:
    """Take a backup into the schedule's folder when the newest is `every` old (or there is none), then delete the
    oldest beyond `kept`; None when none was due."""
    taken = scheduled_backups(schedule.folder)
    if taken and now - taken[-1][0] < schedule.every:
        return None
    result = backup(database, schedule.folder / f"smm-responder-{now.astimezone(UTC):%Y%m%d-%H%M}.sqlite3",
                    replace=True)
    old = scheduled_backups(schedule.folder)[:-schedule.kept]
    for _, path in old:
        path.unlink(missing_ok=True)
    return {**result, "deleted": [path.name for _, path in old]}


async def watch_backups(database: Path, schedule: BackupSchedule, interval: float = CHECK_SECONDS) -> None:
    """Back the database up on schedule until cancelled (in a thread: the bot goes on meanwhile); a failed backup
    is logged and tried again at the next check."""
    while True:
        try:
            done = await asyncio.to_thread(backup_if_due, database, schedule, utcnow())
        except (BackupError, OSError) as exc:  # (OSError: the folder unreadable)
            log.error("scheduled backup failed (tried again in %.0f s): %s", interval, exc)
        else:
            if done is not None:
                log.info("backed the database up to %s (%d bytes, %.2f s; deleted as old: %s)", done["backup"],
                         done["bytes"], done["seconds"], ", ".join(done["deleted"]) or "none")
        await asyncio.sleep(interval)
