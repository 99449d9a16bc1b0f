"""Writing the classifier's forward pass for ONNX Runtime (`models.onnx_forward` runs it): the same graph as
the torch path (the base's lower layers, the fine-tuned top layers, pooling, the distilled embedding and the
heads), exported once into the cache and quantised to int8 (weights per output channel) by ONNX Runtime.

Why: torch's dynamic int8 kernels are fast only on CPUs with AVX-512 VNNI. On an AVX2-only 2-core EPYC,
one message took 25 ms through torch and 9-11 ms through ONNX Runtime (`smm-responder model bench`).
Each layer's attention is written as ONNX Runtime's fused `Attention` node (`QAttention` once quantised):
the exporter's own rendering spends a quarter of the time in reshape, transpose and shape nodes, and
the fused graph runs 10-15% faster. Per-channel weights keep the int8 probabilities nearer the fp32
graph's (mean |dp| on dev texts: sentiment 0.054, toxicity 0.031; per-tensor: 0.068, 0.045).

Smoothing (SmoothQuant, Xiao et al. 2023): ONNX Runtime quantises a matmul's input per tensor, at run time,
and the inputs of each layer's two FFN matmuls have a few channels 10-20x larger than the rest, which
then set the int8 step for all of them. With the activation ranges measured on training texts at
`make model` (`activation_ranges.npz` beside the heads), the graph computes those matmuls as
(x / s) @ (s * W): the same in fp32, with channel j's range shared between input and weight by
s_j = max|x_j|^a / max|W_j|^(1 - a). On 3,000 dev texts this cut the int8 drift from fp32 (mean |dp|)
from 0.052 to 0.020 (sentiment) and 0.034 to 0.011 (toxicity) for 0.3-0.5 ms (3-6%) more per short message;
smoothing the attention's matmuls too changed nothing, and smoothing only some layers lost most of the gain.

The same ranges fix every activation's int8 scale (`models.onnx_static`), so a text's scores do not depend
on the other texts in its batch; artifacts without them keep ONNX Runtime's per-batch dynamic scales.

The exported file is keyed by the analyzer's feature tag (encoder + shipped heads) and
`onnx_forward.GRAPH_VERSION` (bump it when this module writes the graph differently), so new artifacts or a
new way of writing the graph get a new file. Building it needs torch and the `onnx` package and takes about
15 s; `smm-responder setup` does it ahead. Set SMM_RESPONDER_RUNTIME=torch to use the torch path instead.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from models.heads import TunedTop, additive_mask, base_layers, masked_mean

OPSET = 17
RANGES_FILE = "activation_ranges.npz"
SMOOTHING = 0.75  # a: how much of an input channel's range moves into the weights (0.5, 0.65, 0.9 did worse)
CALIBRATION_TEXTS = 512  # training texts the ranges are measured on (256 and 1024 gave the same drift)


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


class _Smoothed(nn.Module):
    """`linear` computed as (x / s) @ (s * W).T + b: the same result, with s moving the input's outlier
    channels into the weights, which are quantised per output channel and take them with little loss."""

    def __init__(self, linear: nn.Linear, input_range: torch.Tensor) -> None:
        super().__init__()
        weight_range = linear.weight.detach().abs().amax(dim=0).clamp(min=1e-5)
        scale = input_range.clamp(min=1e-5) ** SMOOTHING / weight_range ** (1 - SMOOTHING)
        self.inverse = nn.Buffer(1.0 / scale)
        self.linear = nn.Linear(linear.in_features, linear.out_features)
        with torch.no_grad():
            self.linear.weight.copy_(linear.weight * scale)
            self.linear.bias.copy_(linear.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x * self.inverse)  # type: ignore[no-any-return]


class _FusedLayer(nn.Module):
    """A BertLayer (eval mode) for export: the same weights, its attention as one `_Attention` node, and
    with `ranges` (ffn, out) its FFN matmuls `_Smoothed`."""

    def __init__(self, layer: nn.Module, heads: int, ranges: tuple[torch.Tensor, torch.Tensor] | None = None) -> None:
        super().__init__()
        attention: Any = layer.attention
        parts = [attention.self.query, attention.self.key, attention.self.value]
        self.register_buffer("qkv_weight", torch.cat([p.weight.T for p in parts], dim=1).contiguous())
        self.register_buffer("qkv_bias", torch.cat([p.bias for p in parts]))
        self.heads = heads
        self.attention_out: Any = attention.output
        intermediate: Any = layer.intermediate
        output: Any = layer.output
        self.activation: Any = intermediate.intermediate_act_fn
        self.out_norm: Any = output.LayerNorm
        # hidden -> inner (4x wider), and the activated inner -> hidden
        self.ffn: Any = intermediate.dense if ranges is None else _Smoothed(intermediate.dense, ranges[0])
        self.out: Any = output.dense if ranges is None else _Smoothed(output.dense, ranges[1])

    def forward(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        context = _Attention.apply(hidden, self.qkv_weight, self.qkv_bias, mask, self.heads)
        hidden = self.attention_out.LayerNorm(self.attention_out.dense(context) + hidden)
        return self.out_norm(self.out(self.activation(self.ffn(hidden))) + hidden)


def _fusable(layer: nn.Module) -> bool:
    """Whether `layer` has a BertLayer's parts (what `_FusedLayer` reads)."""
    own = getattr(getattr(layer, "attention", None), "self", None)
    return all(hasattr(own, name) for name in ("query", "key", "value")) and all(
        hasattr(layer, name) for name in ("intermediate", "output"))


# Measured input ranges, per channel. "ffn": (layers, width), "out": (layers, inner width): max |input| of
# each layer's two FFN matmuls (what smoothing reads); "<point>_min" / "<point>_max" for each quantised
# matmul input (`STATIC_POINTS`): the signed ranges `onnx_static` fixes the int8 activation scales from.
Ranges = dict[str, np.ndarray]
STATIC_POINTS = ("qkv", "context", "ffn", "out", "pooled")  # per layer but "pooled" (the heads' input)


class _Graph(nn.Module):
    """Token ids and mask -> embedding, pooled output and one probability row per task."""

    def __init__(self, model: nn.Module, tuned: TunedTop, split_layer: int, tasks: Sequence[str],
                 ranges: Ranges | None = None) -> None:
        super().__init__()
        layers = [*base_layers(model)[:split_layer], *tuned.layers]
        heads = int(getattr(getattr(model, "config", None), "num_attention_heads", 0))
        if not heads or not all(_fusable(layer) for layer in layers):
            raise ValueError("the encoder's layers are not BERT-shaped; the ONNX graph is written for BertLayer")
        if ranges is not None and any(len(ranges[part]) != len(layers) for part in ("ffn", "out")):
            raise ValueError(f"activation ranges are for {len(ranges['ffn'])} layers, the graph has {len(layers)}")
        self.embeddings: Any = model.embeddings
        self.layers = nn.ModuleList([
            _FusedLayer(layer, heads, None if ranges is None else
                        (torch.from_numpy(ranges["ffn"][i]), torch.from_numpy(ranges["out"][i])))
            for i, layer in enumerate(layers)])
        self.tuned = tuned
        self.tasks = list(tasks)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        hidden = self.embeddings(input_ids=input_ids)
        for layer in self.layers:
            hidden = layer(hidden, attention_mask)
        pooled = masked_mean(hidden, attention_mask)
        probs = [torch.softmax(self.tuned.heads[task](pooled), dim=-1) for task in self.tasks]
        return (self.tuned.embedding(pooled), pooled, *probs)


def activation_ranges(model: nn.Module, tuned: TunedTop, split_layer: int,
                      batches: Iterable[dict[str, torch.Tensor]]) -> Ranges:
    """Per-channel ranges of every quantised matmul's input over `batches` (one unpadded text each): each
    layer's attention input ("qkv"), attention output ("context"), the FFN's two inputs ("ffn", "out", before
    smoothing), and the pooled output the heads read."""
    graph = _Graph(model, tuned, split_layer, []).eval()
    low: dict[tuple[str, int], torch.Tensor] = {}
    high: dict[tuple[str, int], torch.Tensor] = {}

    def record(key: tuple[str, int]) -> Any:
        def hook(_: nn.Module, args: tuple[torch.Tensor, ...]) -> None:
            rows = args[0].detach().float().flatten(0, -2)
            bottom, top = rows.amin(dim=0), rows.amax(dim=0)
            low[key] = torch.minimum(low[key], bottom) if key in low else bottom
            high[key] = torch.maximum(high[key], top) if key in high else top
        return hook

    layers: list[Any] = list(graph.layers)
    points = [(("pooled", 0), graph.tuned.proj)]
    for i, layer in enumerate(layers):
        points += [(("qkv", i), layer), (("context", i), layer.attention_out.dense),
                   (("ffn", i), layer.ffn), (("out", i), layer.out)]
    hooks = [module.register_forward_pre_hook(record(key)) for key, module in points]
    try:
        with torch.inference_mode():
            for batch in batches:
                graph(batch["input_ids"], batch["attention_mask"])
    finally:
        for hook in hooks:
            hook.remove()
    if not high:
        raise ValueError("no calibration texts")

    def stacked(seen: dict[tuple[str, int], torch.Tensor], point: str) -> np.ndarray:
        if point == "pooled":
            return seen[point, 0].numpy()
        return np.stack([seen[point, i].numpy() for i in range(len(layers))])

    ranges = {f"{point}_{side}": stacked(seen, point)
              for point in STATIC_POINTS for side, seen in (("min", low), ("max", high))}
    for part in ("ffn", "out"):
        ranges[part] = np.maximum(np.abs(ranges[f"{part}_min"]), np.abs(ranges[f"{part}_max"]))
    return ranges


def save_ranges(ranges: Ranges, folder: Path) -> Path:
    path = folder / RANGES_FILE
    arrays: dict[str, Any] = dict(ranges)  # (numpy's stub reads ** as its allow_pickle flag)
    np.savez(path, **arrays)
    return path


def load_ranges(folder: Path) -> Ranges | None:
    """The artifacts' activation ranges; None when the folder has none (the graph is then not smoothed).
    Ranges saved before the static points were measured hold only "ffn" and "out"."""
    path = folder / RANGES_FILE
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        return {part: np.asarray(data[part], dtype=np.float32) for part in data.files}


def export(model: nn.Module, tuned: TunedTop, split_layer: int, tasks: Sequence[str],
           sample: dict[str, torch.Tensor], path: Path, ranges: Ranges | None = None) -> Path:
    """Write the fp32 modules' graph to `path` (with `ranges`, its FFN matmuls smoothed)."""
    graph = _Graph(model, tuned, split_layer, tasks, ranges).eval()
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
          sample: dict[str, torch.Tensor], target: Path, ranges: Ranges | None = None) -> Path:
    """Export the fp32 modules' graph and quantise it to int8 at `target` (written atomically): weights per
    output channel, activations with the fixed scales of `ranges` where they hold them (`onnx_static`),
    else with ONNX Runtime's dynamic, per-batch ones."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from models.onnx_static import fix_activation_scales, has_static_ranges

    target.parent.mkdir(parents=True, exist_ok=True)
    fp32 = export(model, tuned, split_layer, tasks, sample, target.with_name(target.name + ".fp32.partial"), ranges)
    partial = target.with_name(target.name + ".partial")
    logging.disable(logging.WARNING)  # onnxruntime's hint to pre-process, on the root logger
    try:
        quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        logging.disable(logging.NOTSET)
        fp32.unlink(missing_ok=True)
    if has_static_ranges(ranges):
        quantised = onnx.load(str(partial))
        fix_activation_scales(quantised, ranges)  # type: ignore[arg-type]
        onnx.save(quantised, str(partial))
    partial.replace(target)
    return target
