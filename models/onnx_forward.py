"""The classifier's forward pass on ONNX Runtime: the int8 graph `models.onnx_export` writes into the cache,
run on token arrays. Nothing here imports torch, so the bot's inference path does not load it (about 220 MB
and 2 s of start-up)."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from models.encoder_cache import cache_root
from models.tokenizer import TokenBatch

log = logging.getLogger(__name__)

RUNTIME_ENV = "SMM_RESPONDER_RUNTIME"
GRAPH_VERSION = 4  # how the graph is written (3: smoothed FFN, 4: fixed activation scales); in its file name


def wanted() -> bool:
    """Whether the ONNX path is asked for (the default) and ONNX Runtime is installed."""
    if os.environ.get(RUNTIME_ENV, "onnx").lower() == "torch":
        return False
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


# A graph no checkout sharing the cache has loaded for this long is deleted when a new one is built (each
# change of the shipped artifacts or of the graph's layout writes a new ~80 MB graph beside the old ones).
STALE_AFTER_DAYS = 30
_GRAPH_GLOB = "analyzer-*.onnx*"  # graphs, and the partial files an interrupted export leaves


def onnx_file(feature_tag: str) -> Path:
    return cache_root() / "onnx" / f"analyzer-{feature_tag}-g{GRAPH_VERSION}.int8.onnx"


def mark_used(path: Path) -> None:
    """Record that `path` was loaded just now (its modification time), which keeps it from being pruned."""
    try:
        os.utime(path)
    except OSError as exc:  # a read-only cache: the graph still loads, it is only not marked
        log.debug("could not mark %s as used: %s", path, exc)


def prune_stale(keep: Path, now: float | None = None) -> list[Path]:
    """Delete the graphs beside `keep` that nothing loaded for STALE_AFTER_DAYS; returns what was deleted.

    Graphs of other checkouts or versions sharing this cache stay while they are in use, as each load
    marks its graph (`mark_used`)."""
    cutoff = (time.time() if now is None else now) - STALE_AFTER_DAYS * 86400
    removed = []
    for other in sorted(keep.parent.glob(_GRAPH_GLOB)):
        try:
            if other == keep or other.stat().st_mtime >= cutoff:
                continue
            other.unlink()
        except OSError as exc:
            log.warning("could not delete the unused graph %s: %s", other, exc)
            continue
        removed.append(other)
        log.info("deleted %s: not loaded for %d days", other.name, STALE_AFTER_DAYS)
    return removed


class OnnxForward:
    """An ONNX Runtime session of the exported graph: token arrays -> embedding, pooled output and one
    probability row per task."""

    def __init__(self, path: Path, tasks: Sequence[str], threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or 0  # 0: ONNX Runtime's default, one per physical core
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        mark_used(path)
        self.tasks = list(tasks)
        self.path = path

    def __call__(self, batch: TokenBatch) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        feeds: dict[str, Any] = {key: np.asarray(batch[key], dtype=np.int64) for key in ("input_ids", "attention_mask")}
        embedding, pooled, *probs = self.session.run(None, feeds)
        return embedding, pooled, dict(zip(self.tasks, probs, strict=True))
