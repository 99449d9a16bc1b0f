"""`smm-responder backup`: a consistent copy of the SQLite database, taken while the bot runs.

Copying the file (or a Docker volume) while the bot writes can catch a half-written page or leave the write-ahead
log behind; SQLite's online backup copies every page within one read transaction, so the copy is the database as
it was at one moment, whatever the bot writes meanwhile. The copy is written beside the target first, checked
(`PRAGMA integrity_check`) and only then put in place, so a failed backup never replaces a good one.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any


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
    target.parent.mkdir(parents=True, exist_ok=True)
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
    os.replace(partial, target)
    return {"database": str(database), "backup": str(target), "bytes": target.stat().st_size,
            "messages": int(messages), "seconds": round(time.perf_counter() - started, 2)}
