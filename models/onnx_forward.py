"""The classifier's forward pass on ONNX Runtime: the int8 graph `models.onnx_export` writes into the cache,
run on token arrays. Nothing here imports torch, so the bot's inference path does not load it (about 220 MB
and 2 s of start-up)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from models.cache_files import mark_used
from models.encoder_cache import cache_root
from models.tokenizer import TokenBatch

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


# Pruned by models.cache_files when a new graph is built: graphs, and the partial files an interrupted export leaves.
GRAPH_GLOB = "analyzer-*.onnx*"


def onnx_file(feature_tag: str) -> Path:
    return cache_root() / "onnx" / f"analyzer-{feature_tag}-g{GRAPH_VERSION}.int8.onnx"


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
