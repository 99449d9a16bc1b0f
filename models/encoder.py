"""The multilingual sentence encoder: texts in, L2-normalised e5 embeddings out."""

from __future__ import annotations

import json
import logging
import os
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer, pre_tokenizers
from transformers import (
    AutoConfig,
    AutoModel,
    AutoTokenizer,
    PreTrainedModel,
)
from transformers.utils import logging as hf_logging

from models.encoder_cache import build_encoder_cache, default_encoder_dir
from models.torch_thread import on_torch_thread

log = logging.getLogger(__name__)

QUERY_PREFIX = "query: "
DEFAULT_MAX_TOKENS = 128


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """e5 pooling: the mean of token states over the attention mask, L2-normalised."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    summed = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
    return torch.nn.functional.normalize(summed, dim=-1)


def resolve_encoder(name_or_path: str | None) -> str:
    """The bundled offline encoder by default; otherwise a local folder or a hub model name."""
    if not name_or_path or name_or_path == "bundled":
        target = default_encoder_dir()
        if not (target / "smm-responder.json").is_file():
            build_encoder_cache(target)
        return str(target)
    return name_or_path




class LeanTokenizer:
    """The bare `tokenizers` pipeline of a local tokenizer.json: the same ids as transformers' fast
    XLM-R tokenizer at about half its memory (no Python-side vocabulary copies)."""

    def __init__(self, tokenizer_file: Path, max_tokens: int) -> None:
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        # transformers' XLM-R pipeline splits on whitespace before the metaspace step (so trailing
        # spaces vanish); do the same so token ids are identical.
        current = tokenizer.pre_tokenizer
        if isinstance(current, pre_tokenizers.Metaspace):
            tokenizer.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), current])
        pad_id = tokenizer.token_to_id("<pad>")
        tokenizer.enable_truncation(max_length=max_tokens)
        tokenizer.enable_padding(pad_id=1 if pad_id is None else pad_id, pad_token="<pad>")
        self._tokenizer = tokenizer

    def __call__(self, texts: Sequence[str]) -> dict[str, torch.Tensor]:
        encodings = self._tokenizer.encode_batch(list(texts))
        return {
            "input_ids": torch.tensor([e.ids for e in encodings], dtype=torch.long),
            "attention_mask": torch.tensor([e.attention_mask for e in encodings], dtype=torch.long),
        }


def load_tokenizer(source: str, max_tokens: int) -> Callable[[Sequence[str]], dict[str, torch.Tensor]]:
    """The lean tokenizer for a local folder with an XLM-R tokenizer.json; AutoTokenizer otherwise."""
    folder = Path(source)
    tokenizer_file = folder / "tokenizer.json"
    config_file = folder / "tokenizer_config.json"
    if tokenizer_file.is_file() and config_file.is_file():
        config = json.loads(config_file.read_text())
        if config.get("tokenizer_class") == "XLMRobertaTokenizerFast":
            return LeanTokenizer(tokenizer_file, max_tokens)
    auto = AutoTokenizer.from_pretrained(source)

    def tokenize(texts: Sequence[str]) -> dict[str, torch.Tensor]:
        batch = auto(list(texts), padding=True, truncation=True, max_length=max_tokens, return_tensors="pt")
        return {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"]}

    return tokenize


class Encoder:
    """A loaded transformer encoder; its torch work runs on the process's torch thread."""

    def __init__(
        self,
        name_or_path: str | None = None,
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        quantize: bool = True,
        threads: int | None = None,
    ) -> None:
        if threads:
            torch.set_num_threads(threads)
        source = resolve_encoder(name_or_path)
        self.source = source
        self.max_tokens = max_tokens
        self.tokenizer = load_tokenizer(source, max_tokens)
        self.quantize = quantize
        hf_logging.disable_progress_bar()
        self.dim = int(AutoConfig.from_pretrained(source).hidden_size)
        self._model: PreTrainedModel | None = None
        self._model_lock = threading.Lock()

    @property
    def model(self) -> PreTrainedModel:
        """The torch model, loaded on first use: the ONNX Runtime path needs only the tokenizer, and
        leaving the weights unloaded keeps about 200 MB out of the bot's memory."""
        with self._model_lock:
            if self._model is None:
                self._model = self._load_model()
            return self._model

    @property
    def model_loaded(self) -> bool:
        return self._model is not None

    def _load_model(self) -> PreTrainedModel:
        model: PreTrainedModel = AutoModel.from_pretrained(self.source, add_pooling_layer=False)
        model.eval()
        if self.quantize:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # torch's deprecation notice for int8 tensors
                model = torch.ao.quantization.quantize_dynamic(
                    model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True
                )
        return model

    def tokenize(self, texts: Sequence[str]) -> dict[str, torch.Tensor]:
        return self.tokenizer([QUERY_PREFIX + t for t in texts])

    def hidden_states(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        return on_torch_thread(self._hidden_states, batch)

    def _hidden_states(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        return self.model(**batch).last_hidden_state

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Embed texts; returns float32 array (len(texts), dim), rows L2-normalised."""
        return on_torch_thread(self._embed, texts, batch_size)

    @torch.inference_mode()
    def _embed(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out: list[np.ndarray] = []
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            batch = self.tokenize([texts[i] for i in idx])
            pooled = mean_pool(self._hidden_states(batch), batch["attention_mask"])
            out.append(pooled.float().numpy())
        vectors = np.concatenate(out)
        result = np.empty_like(vectors)
        result[order] = vectors
        return result


_shared: dict[tuple[str, bool], Encoder] = {}
_shared_lock = threading.Lock()


def shared_encoder(name_or_path: str | None = None, *, quantize: bool = True) -> Encoder:
    """One encoder per process per source: loading costs seconds and hundreds of MB."""
    key = (name_or_path or "bundled", quantize)
    with _shared_lock:
        if key not in _shared:
            threads = int(os.environ.get("SMM_RESPONDER_THREADS", "0")) or None
            _shared[key] = on_torch_thread(Encoder, name_or_path, quantize=quantize, threads=threads)
        return _shared[key]


def encoder_is_cached(path: Path | None = None) -> bool:
    return ((path or default_encoder_dir()) / "smm-responder.json").is_file()
