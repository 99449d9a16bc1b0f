"""The embeddings and intent vectors of a fixed set of texts (a brand's argument-base examples), cached on
disk by the texts and by what the vectors mean (the analyzer's feature tag, which names the encoder, the
shipped heads and the runtime). A bot restart, or an edit of a base's answers only, then embeds nothing
again: about 2.5 s per brand of ~650 example phrases on two cores, half a minute for an agency's dozen."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from models.cache_files import UNREADABLE, mark_used, prune_stale, write_npz
from models.encoder_cache import cache_root

log = logging.getLogger(__name__)

FORMAT_VERSION = "1"
_GLOB = "vectors-*.npz"  # cached sets, and the partial files an interrupted write leaves

Vectors = tuple[np.ndarray, np.ndarray]


def cache_dir() -> Path:
    return cache_root() / "example_vectors"


def vectors_file(texts: Sequence[str], feature_tag: str, folder: Path | None = None) -> Path:
    digest = hashlib.sha256(f"vectors:{FORMAT_VERSION}:{feature_tag}\n".encode())
    for text in texts:
        digest.update(json.dumps(text, ensure_ascii=False).encode() + b"\n")
    return (folder or cache_dir()) / f"vectors-{digest.hexdigest()[:32]}.npz"


def cached_vectors(
    compute: Callable[[list[str]], Vectors], texts: Sequence[str], feature_tag: str, folder: Path | None = None
) -> Vectors:
    """(embeddings, intent vectors) of `texts`, row for row: from the cache, else `compute`d and cached. An
    unreadable cached file is computed again; a cache that cannot be written is logged, not raised."""
    path = vectors_file(texts, feature_tag, folder)
    cached = _read(path, len(texts))
    if cached is not None:
        return cached
    vectors = compute(list(texts))
    _write(path, vectors)
    return vectors


def _read(path: Path, rows: int) -> Vectors | None:
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["version"]) != FORMAT_VERSION:
                raise ValueError(f"format {data['version']} is not {FORMAT_VERSION}")
            embeddings, intent_vectors = data["embeddings"], data["intent_vectors"]
    except UNREADABLE as exc:
        log.warning("embedding again: the cached vectors %s are unreadable (%s)", path, exc)
        return None
    if len(embeddings) != rows or len(intent_vectors) != rows:
        log.warning("embedding again: the cached vectors %s hold %d rows, not %d", path, len(embeddings), rows)
        return None
    mark_used(path)
    return embeddings, intent_vectors


def _write(path: Path, vectors: Vectors) -> None:
    try:
        write_npz(path, embeddings=vectors[0], intent_vectors=vectors[1], version=np.array(FORMAT_VERSION))
    except OSError as exc:  # a read-only or full cache: the vectors are still used, only not kept
        log.warning("could not cache the vectors in %s: %s", path, exc)
        return
    prune_stale(path, _GLOB)
