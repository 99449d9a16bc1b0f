"""The embeddings and intent vectors of a fixed set of texts (a brand's argument-base examples, its approved
phrasings), cached on disk by the texts and by what the vectors mean (the analyzer's feature tag, which names the
encoder, the shipped heads and the runtime). A bot restart then embeds nothing again: about 2.5 s per brand of
~650 example phrases on two cores, half a minute for an agency's dozen. An edit of the examples or the answers
embeds only the texts no cached set holds: the rest are rows of the sets cached before."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from models.cache_files import PARTIAL_SUFFIX, UNREADABLE, mark_used, prune_stale, write_npz
from models.encoder_cache import cache_root

log = logging.getLogger(__name__)

FORMAT_VERSION = "2"  # 2: each set also holds its texts and feature tag, so its rows serve other sets
_GLOB = "vectors-*.npz"  # cached sets, and the partial files an interrupted write leaves
REUSE_FROM = 16  # on a miss, rows are looked up in at most this many of the newest cached sets

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
    """(embeddings, intent vectors) of `texts`, row for row: from the cache, else `compute`d and cached. Only
    texts that no recently cached set holds are computed. An unreadable cached file is computed again; a cache
    that cannot be written is logged, not raised."""
    if not texts:
        return compute([])
    path = vectors_file(texts, feature_tag, folder)
    cached = _read(path, len(texts))
    if cached is not None:
        return cached
    known = _known_rows(path.parent, feature_tag, set(texts))
    missing = sorted({t for t in texts if t not in known})
    if missing:
        fresh = compute(missing)
        known.update({t: (fresh[0][i], fresh[1][i]) for i, t in enumerate(missing)})
    vectors = (np.stack([known[t][0] for t in texts]), np.stack([known[t][1] for t in texts]))
    _write(path, vectors, texts, feature_tag)
    return vectors


def _known_rows(folder: Path, feature_tag: str, wanted: set[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Rows of `wanted` texts in the newest cached sets of the same feature tag. A set's arrays are loaded only
    when it holds one of them; unusable sets are skipped silently (they are not the set asked for)."""
    try:
        files = sorted(folder.glob(_GLOB), key=lambda f: f.stat().st_mtime, reverse=True)
    except OSError:
        return {}
    known: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for file in [f for f in files if not f.name.endswith(PARTIAL_SUFFIX)][:REUSE_FROM]:
        try:
            with np.load(file, allow_pickle=False) as data:
                if str(data["version"]) != FORMAT_VERSION or str(data["feature_tag"]) != feature_tag:
                    continue
                texts = json.loads(str(data["texts"]))
                rows = [i for i, text in enumerate(texts) if text in wanted and text not in known]
                if not rows:
                    continue
                embeddings, intent_vectors = data["embeddings"], data["intent_vectors"]
        except UNREADABLE:
            continue
        if len(embeddings) == len(intent_vectors) == len(texts):
            known.update({texts[i]: (embeddings[i], intent_vectors[i]) for i in rows})
        if len(known) == len(wanted):
            break
    return known


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


def _write(path: Path, vectors: Vectors, texts: Sequence[str], feature_tag: str) -> None:
    try:
        write_npz(
            path, embeddings=vectors[0], intent_vectors=vectors[1], version=np.array(FORMAT_VERSION),
            texts=np.array(json.dumps(list(texts), ensure_ascii=False)), feature_tag=np.array(feature_tag),
        )
    except OSError as exc:  # a read-only or full cache: the vectors are still used, only not kept
        log.warning("could not cache the vectors in %s: %s", path, exc)
        return
    prune_stale(path, _GLOB)
