"""Fine-tuned top encoder layers plus classification heads, shipped as fp16 deltas over the base.

The base encoder's lower layers (up to ``split_layer``) run once per message; their hidden states
feed the fine-tuned copy of the top layers, whose mean-pooled output feeds the heads (sentiment,
toxicity, ...). The base's own top layers do not run at all. The sentence embedding used for
similarity matching is a linear projection of the same pooled output, trained to reproduce the
base encoder's embedding (distillation), so example phrases match as they did with the base.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file
from torch import nn

from models.artifact_files import ARTIFACT_FORMAT, ARTIFACTS_DIR, META_FILE, WEIGHTS_FILE, ArtifactError, read_meta


def additive_mask(mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """(B, L) 0/1 attention mask -> (B, 1, 1, L) additive mask for BertLayer attention."""
    extended = mask[:, None, None, :].to(dtype)
    return (1.0 - extended) * torch.finfo(dtype).min


def masked_mean(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """e5 pooling: the mean of token states over the attention mask, L2-normalised."""
    return nn.functional.normalize(masked_mean(hidden, mask), dim=-1)


def run_layers(layers: Iterable[nn.Module], hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Hidden states through BertLayer-style `layers` under a 0/1 attention mask."""
    ext = additive_mask(mask, hidden.dtype)
    for layer in layers:
        out = layer(hidden, ext)
        hidden = out[0] if isinstance(out, tuple) else out
    return hidden


def lower_states(model: nn.Module, batch: Mapping[str, torch.Tensor], n_layers: int) -> torch.Tensor:
    """The model's hidden states after its first `n_layers` layers (the rest never run).

    Same result as the model's own forward up to there, without its per-call output-capturing hooks.
    """
    embeddings: nn.Module = model.embeddings  # type: ignore[assignment]
    hidden = embeddings(input_ids=batch["input_ids"])
    return run_layers(base_layers(model)[:n_layers], hidden, batch["attention_mask"])


def base_layers(model: nn.Module) -> nn.ModuleList:
    layers = model.encoder.layer  # type: ignore[union-attr]
    if not isinstance(layers, nn.ModuleList):
        raise ArtifactError("base encoder has no encoder.layer list (not a BERT-style model)")
    return layers


class TunedTop(nn.Module):
    """Fine-tuned copies of the base's top layers, mean pooling and one linear head per task."""

    def __init__(
        self, layers: Sequence[nn.Module], hidden: int, tasks: Mapping[str, Sequence[str]], dropout: float = 0.1
    ) -> None:
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.tasks: dict[str, list[str]] = {k: list(v) for k, v in tasks.items()}
        self.dropout = nn.Dropout(dropout)
        self.heads = nn.ModuleDict({k: nn.Linear(hidden, len(v)) for k, v in self.tasks.items()})
        # pooled output -> the base encoder's sentence embedding (starts as the identity)
        self.proj = nn.Linear(hidden, hidden)
        with torch.no_grad():
            self.proj.weight.copy_(torch.eye(hidden))
            self.proj.bias.zero_()

    @classmethod
    def from_base(
        cls, base: nn.Module, split_layer: int, tasks: Mapping[str, Sequence[str]], hidden: int
    ) -> TunedTop:
        layers = [copy.deepcopy(layer) for layer in base_layers(base)[split_layer:]]
        return cls(layers, hidden, tasks)

    def pooled(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return masked_mean(run_layers(self.layers, hidden, mask), mask)

    def embedding(self, pooled: torch.Tensor) -> torch.Tensor:
        """The L2-normalised sentence embedding (the base encoder's, as distilled) from the pooled output."""
        return nn.functional.normalize(self.proj(pooled), dim=-1)

    def forward(
        self, hidden: torch.Tensor, mask: torch.Tensor, tasks: Sequence[str] | None = None
    ) -> dict[str, torch.Tensor]:
        pooled = self.dropout(self.pooled(hidden, mask))
        names = tasks if tasks is not None else list(self.tasks)
        return {name: self.heads[name](pooled) for name in names}


def save_tuned_top(
    tuned: TunedTop, base: nn.Module, split_layer: int, out_dir: Path, meta: Mapping[str, Any]
) -> Path:
    """Write layer deltas (tuned - base) in fp16 and the heads in fp32, plus a JSON description."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tensors: dict[str, torch.Tensor] = {}
    base_top = base_layers(base)[split_layer:]
    for i, (layer, ref) in enumerate(zip(tuned.layers, base_top, strict=True)):
        ref_state = ref.state_dict()
        for name, value in layer.state_dict().items():
            delta = value.detach().float() - ref_state[name].detach().float()
            tensors[f"delta.{i}.{name}"] = delta.to(torch.float16).contiguous()
    for name, value in tuned.heads.state_dict().items():
        tensors[f"head.{name}"] = value.detach().float().contiguous()
    for name, value in tuned.proj.state_dict().items():
        tensors[f"proj.{name}"] = value.detach().float().contiguous()
    save_file(tensors, str(out_dir / WEIGHTS_FILE))
    description = {
        "format": ARTIFACT_FORMAT,
        "split_layer": split_layer,
        "n_layers": len(tuned.layers),
        "hidden": tuned.heads[next(iter(tuned.tasks))].in_features,
        "tasks": tuned.tasks,
        **meta,
    }
    (out_dir / META_FILE).write_text(json.dumps(description, indent=2, ensure_ascii=False) + "\n")
    return out_dir


def base_top_from_folder(source: str | Path, split_layer: int) -> nn.Module:
    """A BertModel-shaped module holding only the base's fp32 layers from `split_layer` on.

    Read straight from the encoder folder's safetensors, so the (quantised) encoder in memory
    need not keep fp32 weights around.
    """
    from safetensors import safe_open
    from transformers import BertConfig
    from transformers.models.bert.modeling_bert import BertLayer

    folder = Path(source)
    weights = folder / "model.safetensors"
    if not weights.is_file():
        raise ArtifactError(f"classifier artifacts need the bundled encoder folder; {weights} is missing")
    config = BertConfig.from_pretrained(str(folder))
    config._attn_implementation = "sdpa"  # as AutoModel picks for the base; standalone layers need it set
    n_layers = int(config.num_hidden_layers)
    holder = nn.Module()
    holder.encoder = nn.Module()
    layers = nn.ModuleList([nn.Identity() for _ in range(split_layer)] + [
        BertLayer(config) for _ in range(split_layer, n_layers)
    ])
    holder.encoder.layer = layers
    with safe_open(str(weights), framework="pt") as fh:
        names = set(fh.keys())
        for i in range(split_layer, n_layers):
            layer = layers[i]
            state = layer.state_dict()
            for name in state:
                key = f"encoder.layer.{i}.{name}"
                if key not in names:
                    key = f"bert.{key}"
                if key not in names:
                    raise ArtifactError(f"{weights}: missing tensor encoder.layer.{i}.{name}")
                state[name] = fh.get_tensor(key).float()
            layer.load_state_dict(state)
    return holder


def load_tuned_top(base: nn.Module, path: Path | None = None) -> tuple[TunedTop, dict[str, Any]]:
    """Rebuild the fine-tuned layers from the fp32 base (before quantisation) plus the deltas."""
    path = path or ARTIFACTS_DIR
    meta = read_meta(path)
    try:
        tensors = load_file(str(path / WEIGHTS_FILE))
    except (OSError, SafetensorError) as exc:
        raise ArtifactError(f"{path / WEIGHTS_FILE} cannot be read: {exc}") from exc
    split_layer = int(meta["split_layer"])
    layers = base_layers(base)
    if split_layer + int(meta["n_layers"]) != len(layers):
        raise ArtifactError("artifacts were trained for a base encoder with a different depth")
    tuned = TunedTop.from_base(base, split_layer, meta["tasks"], int(meta["hidden"]))
    for i, layer in enumerate(tuned.layers):
        state = layer.state_dict()
        for name in state:
            key = f"delta.{i}.{name}"
            if key not in tensors:
                raise ArtifactError(f"{path / WEIGHTS_FILE}: missing tensor {key}")
            state[name] = state[name].float() + tensors[key].float()
        layer.load_state_dict(state)
    heads = {name[len("head."):]: t for name, t in tensors.items() if name.startswith("head.")}
    tuned.heads.load_state_dict(heads)
    proj = {name[len("proj."):]: t for name, t in tensors.items() if name.startswith("proj.")}
    if set(proj) != {"weight", "bias"}:
        raise ArtifactError(f"{path / WEIGHTS_FILE}: missing the embedding projection (proj.*)")
    tuned.proj.load_state_dict(proj)
    tuned.eval()
    return tuned, meta
