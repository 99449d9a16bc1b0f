"""Derived files in the cache (ONNX graphs, brands' intent heads and example vectors): each load marks its
file used, and files of one kind that nothing loaded for a month are deleted when a new one is written.

Every change of the shipped artifacts, a graph's layout or a brand's argument base writes a new file beside
the old ones; other checkouts and bots sharing the cache keep theirs alive by loading them."""

from __future__ import annotations

import logging
import os
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

STALE_AFTER_DAYS = 30

# What numpy raises reading a damaged .npz file (truncated, overwritten, of another format): read again.
UNREADABLE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


def mark_used(*paths: Path) -> None:
    """Record that `paths` were loaded just now (their modification time), which keeps them from being pruned."""
    for path in paths:
        try:
            os.utime(path)
        except OSError as exc:  # a read-only cache: the file still loads, it is only not marked
            log.debug("could not mark %s as used: %s", path, exc)


def prune_stale(keep: Path, pattern: str, now: float | None = None) -> list[Path]:
    """Delete the files matching `pattern` beside `keep` that nothing loaded for STALE_AFTER_DAYS (never `keep`
    itself); returns what was deleted."""
    cutoff = (time.time() if now is None else now) - STALE_AFTER_DAYS * 86400
    removed = []
    for other in sorted(keep.parent.glob(pattern)):
        try:
            if other == keep or other.stat().st_mtime >= cutoff:
                continue
            other.unlink()
        except OSError as exc:
            log.warning("could not delete the unused cache file %s: %s", other, exc)
            continue
        removed.append(other)
        log.info("deleted %s: not loaded for %d days", other.name, STALE_AFTER_DAYS)
    return removed


PARTIAL_SUFFIX = ".partial.npz"  # what write_npz writes before renaming; never a finished file


def write_npz(path: Path, **arrays: Any) -> None:
    """Write `arrays` to `path` whole or not at all: through a partial file of this process, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.stem}.{os.getpid()}{PARTIAL_SUFFIX}")
    try:
        np.savez(tmp, **arrays)
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()
