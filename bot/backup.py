"""`smm-responder backup`: a consistent copy of the SQLite database, taken while the bot runs.

Copying the file (or a Docker volume) while the bot writes can catch a half-written page or leave the write-ahead
log behind; SQLite's online backup copies every page within one read transaction, so the copy is the database as
it was at one moment, whatever the bot writes meanwhile. The copy is written beside the target first, checked
(`PRAGMA integrity_check`) and only then put in place, so a failed backup never replaces a good one.

With `[storage] backups` set, the running bot takes them itself (`watch_backups`): one every `backup_hours` into
that folder, named by the moment (`smm-responder-20261206-0930.sqlite3`), the newest `backups_kept` kept and older
ones deleted (a customer's data a `forget` erased leaves the backups with them). A backup on the same machine is
lost with it: `backup_command` copies each new one elsewhere (rclone, scp, aws s3 cp: any program, run without a
shell), marks it copied (`<backup>.copied`), and tries the newest again at each check until it is; `health` gives
the age of the newest copied off.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.config import BackupSchedule
from handlers.types import utcnow

log = logging.getLogger(__name__)

CHECK_SECONDS = 600.0  # how often the running bot looks whether a backup is due
COMMAND_SECONDS = 1800  # a backup_command running longer is stopped (tried again at the next check)
COPIED = ".copied"  # beside a backup: `backup_command` copied it off the machine
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
        _copied(path).unlink(missing_ok=True)
    return {**result, "deleted": [path.name for _, path in old]}


def _copied(path: Path) -> Path:
    return path.with_name(path.name + COPIED)


def copy_off_if_due(schedule: BackupSchedule) -> Path | None:
    """Run `backup_command` on the newest backup when it has not been copied off yet (older ones it missed are
    passed over: the newest holds all they held), and mark it copied; returns it, None when nothing was due.
    BackupError when the program fails (not marked: tried again at the next check)."""
    taken = scheduled_backups(schedule.folder)
    if not schedule.command or not taken or _copied(taken[-1][1]).exists():
        return None
    newest = taken[-1][1]
    argv = [part.replace("{backup}", str(newest)).replace("{name}", newest.name) for part in schedule.command]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=COMMAND_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackupError(f"backup_command could not copy {newest.name} off: {exc}") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"backup_command exited with {done.returncode} copying {newest.name} off"
                          + (f": {said[-1][:300]}" if said else ""))
    _copied(newest).touch()
    return newest


def newest_copied_off(folder: Path) -> datetime | None:
    """When the newest backup copied off the machine was taken (None: none was)."""
    copied = [moment for moment, path in scheduled_backups(folder) if _copied(path).exists()]
    return copied[-1] if copied else None


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
        try:
            copied = await asyncio.to_thread(copy_off_if_due, schedule)
        except (BackupError, OSError) as exc:
            log.error("copying the backup off the machine failed (tried again in %.0f s): %s", interval, exc)
        else:
            if copied is not None:
                log.info("backup_command copied %s off the machine", copied.name)
        await asyncio.sleep(interval)
