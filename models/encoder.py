"""The multilingual sentence encoder: texts in, L2-normalised e5 embeddings out."""

from __future__ import annotations

import json
import logging
import os
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from models.encoder_cache import build_encoder_cache, default_encoder_dir
from models.tokenizer import TokenBatch, load_tokenizer
from models.torch_thread import on_torch_thread

if TYPE_CHECKING:  # torch and transformers load only with the torch model (the ONNX Runtime path never does)
    import torch
    from transformers import PreTrainedModel

log = logging.getLogger(__name__)

# e5 reads "query: " before a text. Its 3 tokens are ~14% of a short message's forward pass; tuned layers trained
# on texts as written ran ~14% more texts/s batched, but their distilled embedding fell from cosine 0.992 to 0.983
# to the base's and the sample brand's routing got worse (off-topic answered 17.5% -> 22.8% en, 22.8% -> 28.3% ru).
QUERY_PREFIX = "query: "
DEFAULT_MAX_TOKENS = 128


def resolve_encoder(name_or_path: str | None) -> str:
    """The bundled offline encoder by default; otherwise a local folder or a hub model name."""
    if not name_or_path or name_or_path == "bundled":
        target = default_encoder_dir()
        if not (target / "smm-responder.json").is_file():
            build_encoder_cache(target)
        return str(target)
    return name_or_path


def hidden_size(source: str) -> int:
    """The encoder's width, from a local folder's config.json (transformers' AutoConfig for other sources)."""
    config = Path(source) / "config.json"
    if config.is_file():
        return int(json.loads(config.read_text())["hidden_size"])
    from transformers import AutoConfig

    return int(AutoConfig.from_pretrained(source).hidden_size)


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
        self.threads = threads  # torch's and ONNX Runtime's; None: their defaults
        source = resolve_encoder(name_or_path)
        self.source = source
        self.max_tokens = max_tokens
        self.tokenizer = load_tokenizer(source, max_tokens)
        self.quantize = quantize
        self.dim = hidden_size(source)
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
        import torch
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging

        if self.threads:
            torch.set_num_threads(self.threads)
        hf_logging.disable_progress_bar()
        model: PreTrainedModel = AutoModel.from_pretrained(self.source, add_pooling_layer=False)
        model.eval()
        if self.quantize:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # torch's deprecation notice for int8 tensors
                model = torch.ao.quantization.quantize_dynamic(
                    model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True
                )
        return model

    def token_arrays(self, texts: Sequence[str]) -> TokenBatch:
        """Token ids and attention mask as numpy arrays (e5's query prefix added)."""
        return self.tokenizer([QUERY_PREFIX + t for t in texts])

    def tokenize(self, texts: Sequence[str]) -> dict[str, torch.Tensor]:
        """`token_arrays` as torch tensors, for the torch model."""
        import torch

        return {key: torch.from_numpy(value) for key, value in self.token_arrays(texts).items()}

    def hidden_states(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        return on_torch_thread(self._hidden_states, batch)

    def _hidden_states(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        return self.model(**batch).last_hidden_state

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Embed texts; returns float32 array (len(texts), dim), rows L2-normalised."""
        return on_torch_thread(self._embed, texts, batch_size)

    def _embed(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        import torch

        from models.heads import mean_pool

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out: list[np.ndarray] = []
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with torch.inference_mode():
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
