"""The inference forward pass on ONNX Runtime: the same graph as the torch path (the base's lower layers, the
fine-tuned top layers, pooling, the distilled embedding and the heads), exported once into the cache and
quantised to int8 by ONNX Runtime.

Why: torch's dynamic int8 kernels are fast only on CPUs with AVX-512 VNNI. On an AVX2-only 2-core EPYC,
one message took 25 ms through torch and 7.7 ms through ONNX Runtime (`smm-responder model bench`); the
probabilities differ from the fp32 graph by under 0.004.

The exported file is keyed by the analyzer's feature tag (encoder + shipped heads), so new artifacts get a
new file. Building it needs the `onnx` package and takes about 15 s; `smm-responder setup` does it ahead.
Set SMM_RESPONDER_RUNTIME=torch to use the torch path instead.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from models.encoder_cache import cache_root
from models.heads import TunedTop, lower_states

log = logging.getLogger(__name__)

RUNTIME_ENV = "SMM_RESPONDER_RUNTIME"
OPSET = 17


def wanted() -> bool:
    """Whether the ONNX path is asked for (the default) and ONNX Runtime is installed."""
    if os.environ.get(RUNTIME_ENV, "onnx").lower() == "torch":
        return False
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def onnx_file(feature_tag: str) -> Path:
    return cache_root() / "onnx" / f"analyzer-{feature_tag}.int8.onnx"


class _Graph(nn.Module):
    """Token ids and mask -> embedding, pooled output and one probability row per task."""

    def __init__(self, model: nn.Module, tuned: TunedTop, split_layer: int, tasks: Sequence[str]) -> None:
        super().__init__()
        self.model = model
        self.tuned = tuned
        self.split_layer = split_layer
        self.tasks = list(tasks)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        hidden = lower_states(self.model, {"input_ids": input_ids, "attention_mask": attention_mask},
                              self.split_layer)
        pooled = self.tuned.pooled(hidden, attention_mask)
        probs = [torch.softmax(self.tuned.heads[task](pooled), dim=-1) for task in self.tasks]
        return (self.tuned.embedding(pooled), pooled, *probs)


def build(model: nn.Module, tuned: TunedTop, split_layer: int, tasks: Sequence[str],
          sample: dict[str, torch.Tensor], target: Path) -> Path:
    """Export the fp32 modules' graph and quantise it to int8 at `target` (written atomically)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    fp32 = target.with_name(target.name + ".fp32.partial")
    partial = target.with_name(target.name + ".partial")
    graph = _Graph(model, tuned, split_layer, tasks).eval()
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            graph, (sample["input_ids"], sample["attention_mask"]), str(fp32),
            input_names=["input_ids", "attention_mask"], output_names=["embedding", "pooled", *tasks],
            dynamic_axes=axes, opset_version=OPSET, dynamo=False,
        )
    logging.disable(logging.WARNING)  # onnxruntime's hint to pre-process, on the root logger
    try:
        quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8)
    finally:
        logging.disable(logging.NOTSET)
        fp32.unlink(missing_ok=True)
    partial.replace(target)
    return target


class OnnxForward:
    """An ONNX Runtime session of the exported graph."""

    def __init__(self, path: Path, tasks: Sequence[str], threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or torch.get_num_threads()
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.tasks = list(tasks)
        self.path = path

    def __call__(self, batch: dict[str, torch.Tensor]) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        feeds: dict[str, Any] = {
            "input_ids": batch["input_ids"].numpy().astype(np.int64),
            "attention_mask": batch["attention_mask"].numpy().astype(np.int64),
        }
        embedding, pooled, *probs = self.session.run(None, feeds)
        return embedding, pooled, dict(zip(self.tasks, probs, strict=True))
