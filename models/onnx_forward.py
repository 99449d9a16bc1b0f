"""The inference forward pass on ONNX Runtime: the same graph as the torch path (the base's lower layers, the
fine-tuned top layers, pooling, the distilled embedding and the heads), exported once into the cache and
quantised to int8 (per output channel) by ONNX Runtime.

Why: torch's dynamic int8 kernels are fast only on CPUs with AVX-512 VNNI. On an AVX2-only 2-core EPYC,
one message took 25 ms through torch and 9-11 ms through ONNX Runtime (`smm-responder model bench`).
Each layer's attention is written as ONNX Runtime's fused `Attention` node (`QAttention` once quantised):
the exporter's own rendering spends a quarter of the time in reshape, transpose and shape nodes, and
the fused graph runs 10-15% faster. Per-channel weights keep the int8 probabilities nearer the fp32
graph's (mean |dp| on dev texts: sentiment 0.054, toxicity 0.031; per-tensor: 0.068, 0.045).

The exported file is keyed by the analyzer's feature tag (encoder + shipped heads) and GRAPH_VERSION, so new
artifacts or a new way of writing the graph get a new file. Building it needs the `onnx` package and takes
about 15 s; `smm-responder setup` does it ahead. Set SMM_RESPONDER_RUNTIME=torch to use the torch path instead.
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
from models.heads import TunedTop, additive_mask, base_layers, masked_mean

log = logging.getLogger(__name__)

RUNTIME_ENV = "SMM_RESPONDER_RUNTIME"
OPSET = 17
GRAPH_VERSION = 2  # how the graph is written (2: fused attention); part of the file name and feature tag


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
    return cache_root() / "onnx" / f"analyzer-{feature_tag}-g{GRAPH_VERSION}.int8.onnx"


class _Attention(torch.autograd.Function):
    """Multi-head self-attention with packed QKV weights; exported as ONNX Runtime's fused `Attention` op.

    The torch forward is the reference computation (and what tracing runs); `symbolic` is what the
    graph gets: one node per layer, which dynamic quantisation turns into `QAttention`, instead of the
    three matmuls plus ~30 reshape, transpose and shape nodes the exporter writes for BertSelfAttention.
    """

    @staticmethod
    def forward(ctx: Any, hidden: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor,
                mask: torch.Tensor, heads: int) -> torch.Tensor:
        batch, tokens, width = hidden.shape
        q, k, v = (part.reshape(batch, tokens, heads, width // heads).transpose(1, 2)
                   for part in (hidden @ weight + bias).split(width, dim=-1))
        scores = q @ k.transpose(-1, -2) / (width // heads) ** 0.5 + additive_mask(mask, hidden.dtype)
        return (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(batch, tokens, width)

    @staticmethod
    def symbolic(g: Any, hidden: Any, weight: Any, bias: Any, mask: Any, heads: int) -> Any:
        mask_index = g.op("Cast", mask, to_i=6)  # int32: a (batch, tokens) 0/1 mask
        context = g.op("com.microsoft::Attention", hidden, weight, bias, mask_index, num_heads_i=heads)
        context.setType(hidden.type())  # same shape and type as its input
        return context


class _FusedLayer(nn.Module):
    """A BertLayer (eval mode) for export: the same weights, its attention as one `_Attention` node."""

    def __init__(self, layer: nn.Module, heads: int) -> None:
        super().__init__()
        attention: Any = layer.attention
        parts = [attention.self.query, attention.self.key, attention.self.value]
        self.register_buffer("qkv_weight", torch.cat([p.weight.T for p in parts], dim=1).contiguous())
        self.register_buffer("qkv_bias", torch.cat([p.bias for p in parts]))
        self.heads = heads
        self.attention_out: Any = attention.output
        self.intermediate: Any = layer.intermediate
        self.out: Any = layer.output

    def forward(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        context = _Attention.apply(hidden, self.qkv_weight, self.qkv_bias, mask, self.heads)
        hidden = self.attention_out.LayerNorm(self.attention_out.dense(context) + hidden)
        inner = self.intermediate.intermediate_act_fn(self.intermediate.dense(hidden))
        return self.out.LayerNorm(self.out.dense(inner) + hidden)  # type: ignore[no-any-return]


def _fusable(layer: nn.Module) -> bool:
    """Whether `layer` has a BertLayer's parts (what `_FusedLayer` reads)."""
    own = getattr(getattr(layer, "attention", None), "self", None)
    return all(hasattr(own, name) for name in ("query", "key", "value")) and all(
        hasattr(layer, name) for name in ("intermediate", "output"))


class _Graph(nn.Module):
    """Token ids and mask -> embedding, pooled output and one probability row per task."""

    def __init__(self, model: nn.Module, tuned: TunedTop, split_layer: int, tasks: Sequence[str]) -> None:
        super().__init__()
        layers = [*base_layers(model)[:split_layer], *tuned.layers]
        heads = int(getattr(getattr(model, "config", None), "num_attention_heads", 0))
        if not heads or not all(_fusable(layer) for layer in layers):
            raise ValueError("the encoder's layers are not BERT-shaped; the ONNX graph is written for BertLayer")
        self.embeddings: Any = model.embeddings
        self.layers = nn.ModuleList([_FusedLayer(layer, heads) for layer in layers])
        self.tuned = tuned
        self.tasks = list(tasks)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        hidden = self.embeddings(input_ids=input_ids)
        for layer in self.layers:
            hidden = layer(hidden, attention_mask)
        pooled = masked_mean(hidden, attention_mask)
        probs = [torch.softmax(self.tuned.heads[task](pooled), dim=-1) for task in self.tasks]
        return (self.tuned.embedding(pooled), pooled, *probs)


def export(model: nn.Module, tuned: TunedTop, split_layer: int, tasks: Sequence[str],
           sample: dict[str, torch.Tensor], path: Path) -> Path:
    """Write the fp32 modules' graph to `path`."""
    graph = _Graph(model, tuned, split_layer, tasks).eval()
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            graph, (sample["input_ids"], sample["attention_mask"]), str(path),
            input_names=["input_ids", "attention_mask"], output_names=["embedding", "pooled", *tasks],
            dynamic_axes=axes, opset_version=OPSET, dynamo=False,
        )
    return path


def build(model: nn.Module, tuned: TunedTop, split_layer: int, tasks: Sequence[str],
          sample: dict[str, torch.Tensor], target: Path) -> Path:
    """Export the fp32 modules' graph and quantise it to int8 at `target` (written atomically)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    fp32 = export(model, tuned, split_layer, tasks, sample, target.with_name(target.name + ".fp32.partial"))
    partial = target.with_name(target.name + ".partial")
    logging.disable(logging.WARNING)  # onnxruntime's hint to pre-process, on the root logger
    try:
        quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8, per_channel=True)
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
