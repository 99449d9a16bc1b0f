"""Per-brand intent head: logistic regression over the argument base's examples' intent vectors.

The vectors come from `TextAnalyzer.vectors`: with the shipped heads, the distilled sentence
embedding next to the fine-tuned top's pooled output (trained on intents among other tasks);
without them, the base encoder's embedding. Any embedding function works for training.

Out-of-scope detection: a message is `oos` when its top in-scope probability is under a threshold
calibrated on held-back examples (cross-validation folds). Examples labelled `oos` train one more
class, whose probability is taken from the in-scope ones (so an off-topic message's top in-scope
probability falls), and calibrate the threshold. On CLINC150 (10 examples per intent plus its 100
`oos` training examples, scored on its validation half) that lifted accuracy from 0.823 to 0.864
and out-of-scope precision from 0.21 to 0.53 (recall 0.89 -> 0.77), against using them for the
threshold only.

Given the example texts too, a char + word TF-IDF model (models.lexical) is averaged in with weight
LEXICAL_WEIGHT: on an 80/20 split of the 67-intent Russian training file it lifted accuracy over
base embeddings from 0.767 to 0.805 (weights 0.3-0.5 within 0.5 point of each other).

Trained heads are cached under `cache_root()/intent_heads/<content hash>.npz`.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from tqdm import tqdm

from models.cache_files import mark_used, write_npz
from models.encoder_cache import cache_root
from models.lexical import FAST_SOLVER, LexicalModel

log = logging.getLogger(__name__)

OOS = "oos"
HEAD_VERSION = "4"  # 3: `oos` examples train a class; 4: the lexical model fitted with FAST_SOLVER
LEXICAL_WEIGHT = 0.4
DEFAULT_C = 20.0
MAX_FOLDS = 5
# Without oos examples: accept this share of held-back in-scope examples that were classified right.
IN_SCOPE_RECALL = 0.95
MIN_THRESHOLD = 0.05

Embed = Callable[[Sequence[str]], np.ndarray]


class _HasEmbed(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class IntentHeadError(ValueError):
    """Training data for an intent head is unusable."""


def _embed_fn(encoder_or_embed: _HasEmbed | Embed) -> Embed:
    if callable(encoder_or_embed):
        return encoder_or_embed
    return encoder_or_embed.embed


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype=np.float32)


def _fit(x: np.ndarray, y: np.ndarray, seed: int, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression; returns (coef (k, d), intercept (k,))."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    n_classes = int(y.max()) + 1 if len(y) else 0
    if n_classes == 1:  # one class: a constant head
        return np.zeros((1, x.shape[1]), dtype=np.float32), np.zeros(1, dtype=np.float32)
    clf = LogisticRegression(C=c, max_iter=2000, random_state=seed)
    # lbfgs's many small matrix products pay more for BLAS threads than they gain: on 2 cores a sample
    # brand's fit (769 examples x 768 dimensions, 19 classes) took 1.87 s with two and 0.16 s with one. The
    # bundled OpenBLAS takes the limit per calling thread, so brands' fits running side by side each get it
    # (0.17 s in an executor thread too).
    with threadpool_limits(limits=1, user_api="blas"):
        clf.fit(x, y)
    coef = np.asarray(clf.coef_, dtype=np.float32)
    intercept = np.asarray(clf.intercept_, dtype=np.float32)
    if n_classes == 2:  # sklearn's binary form -> two symmetric rows
        coef = np.concatenate([-coef / 2, coef / 2])
        intercept = np.concatenate([-intercept / 2, intercept / 2])
    return coef, intercept


def _folds(y: np.ndarray, n_folds: int, seed: int) -> list[np.ndarray]:
    """Stratified fold index per example: each class spread over the folds."""
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(y), dtype=np.int64)
    for cls in np.unique(y):
        idx = np.flatnonzero(y == cls)
        rng.shuffle(idx)
        fold[idx] = np.arange(len(idx)) % n_folds
    return [np.flatnonzero(fold == f) for f in range(n_folds)]


def calibrate_threshold(top_in: np.ndarray, correct: np.ndarray, top_oos: np.ndarray) -> float:
    """Threshold on the top probability; oos when under it.

    With held-back oos examples: the threshold maximising correct decisions over held-back in-scope
    (accepted and right) and oos (rejected) examples. Without: accept IN_SCOPE_RECALL of the
    correctly classified held-back in-scope examples.
    """
    if len(top_oos):
        candidates = np.unique(np.concatenate([top_in, top_oos, [MIN_THRESHOLD]]))
        best, best_score = MIN_THRESHOLD, -1.0
        for th in candidates:
            score = float(((top_in >= th) & correct).sum() + (top_oos < th).sum())
            if score > best_score:
                best, best_score = float(th), score
        return max(MIN_THRESHOLD, best)
    right = top_in[correct]
    if not len(right):
        return MIN_THRESHOLD
    return max(MIN_THRESHOLD, float(np.quantile(right, 1.0 - IN_SCOPE_RECALL)))


def labels_or_oos(labels: Sequence[str], probs: np.ndarray, threshold: float) -> list[str]:
    """Per row of `probs`, the best label, or `oos` when its probability is under the threshold."""
    best = probs.argmax(axis=1)
    return [labels[int(b)] if row[b] >= threshold else OOS for b, row in zip(best, probs, strict=True)]


class IntentHead:
    """Linear softmax head over L2-normalised embeddings, with a calibrated out-of-scope threshold."""

    def __init__(
        self, labels: Sequence[str], coef: np.ndarray, intercept: np.ndarray, threshold: float,
        lexical: LexicalModel | None = None, lexical_weight: float = 0.0,
    ) -> None:
        self.labels = list(labels)  # in scope; `coef` has one more row when `oos` examples trained a class
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.threshold = float(threshold)
        self.lexical = lexical
        self.lexical_weight = lexical_weight if lexical is not None else 0.0

    # -- training -----------------------------------------------------------------------------
    @classmethod
    def train(
        cls,
        encoder_or_embed: _HasEmbed | Embed,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        seed: int = 0,
        c: float = DEFAULT_C,
        progress: bool = True,
    ) -> IntentHead:
        if len(texts) != len(labels):
            raise IntentHeadError("texts and labels differ in length")
        if any(not t.strip() for t in texts):
            raise IntentHeadError("empty example text")
        embed = _embed_fn(encoder_or_embed)
        vectors = embed(list(texts)) if texts else np.zeros((0, 1), dtype=np.float32)
        return cls.train_on_embeddings(vectors, labels, seed=seed, c=c, progress=progress, texts=texts)

    @classmethod
    def train_on_embeddings(
        cls,
        vectors: np.ndarray,
        labels: Sequence[str],
        *,
        seed: int = 0,
        c: float = DEFAULT_C,
        progress: bool = True,
        texts: Sequence[str] | None = None,
        lexical_weight: float = LEXICAL_WEIGHT,
    ) -> IntentHead:
        """Fit on embeddings; with the example `texts`, also the lexical model mixed in."""
        in_scope = [lab for lab in labels if lab != OOS]
        names = sorted(set(in_scope))
        if not names:
            raise IntentHeadError("no in-scope examples to train an intent head on")
        # `oos` examples are the last class; the probabilities a message gets are the in-scope ones.
        classes = [*names, OOS] if len(in_scope) < len(labels) else names
        index = {name: i for i, name in enumerate(classes)}
        x = np.asarray(vectors, dtype=np.float32)
        y = np.array([index[lab] for lab in labels], dtype=np.int64)
        n_in = len(names)
        mixing = texts is not None and lexical_weight > 0
        all_texts = list(texts) if mixing and texts is not None else []

        def in_scope_probs(rows: np.ndarray, coef: np.ndarray, intercept: np.ndarray, cols: list[str],
                           lex: LexicalModel | None) -> np.ndarray:
            probs = _softmax(x[rows] @ coef.T + intercept)
            if lex is not None:
                fold_texts = [all_texts[i] for i in rows]
                probs = (1 - lexical_weight) * probs + lexical_weight * _lexical_columns(lex, fold_texts, cols)
            return probs

        counts = Counter(in_scope)
        n_folds = min(MAX_FOLDS, max(counts.values()))
        steps = (n_folds if n_folds >= 2 and len(names) >= 2 else 0) + 1
        bar = tqdm(total=steps, desc="intent head", unit="fit", disable=not progress)
        top_in: list[np.ndarray] = []
        correct: list[np.ndarray] = []
        top_oos: list[np.ndarray] = []
        if steps > 1:
            for held in _folds(y, n_folds, seed):
                keep = np.ones(len(y), dtype=bool)
                keep[held] = False
                # a class absent from the fold's training part cannot be predicted: map to present ones
                present = np.unique(y[keep])
                remap = {int(old): new for new, old in enumerate(present)}
                y_fold = np.array([remap[int(v)] for v in y[keep]])
                coef, intercept = _fit(x[keep], y_fold, seed, c)
                cols = [classes[int(i)] for i in present]
                lex = None
                if mixing:
                    lex = _fit_lexical([all_texts[i] for i in np.flatnonzero(keep)], [cols[v] for v in y_fold], seed)
                probs = in_scope_probs(held, coef, intercept, cols, lex)
                scope = present < n_in  # the fold's in-scope columns
                scoped = np.where(scope, probs, -1.0)
                top, best = scoped.max(axis=1), present[scoped.argmax(axis=1)]
                is_in = y[held] < n_in
                top_in.append(top[is_in])
                correct.append(best[is_in] == y[held][is_in])
                top_oos.append(top[~is_in])
                bar.update(1)
        coef, intercept = _fit(x, y, seed, c)
        lexical = _fit_lexical(all_texts, list(labels), seed) if mixing else None
        bar.update(1)
        bar.close()
        if top_in:
            threshold = calibrate_threshold(np.concatenate(top_in), np.concatenate(correct), np.concatenate(top_oos))
        else:
            threshold = MIN_THRESHOLD
        return cls(names, coef, intercept, threshold, lexical, lexical_weight)

    # -- inference ------------------------------------------------------------------------------
    def probabilities(self, embeddings: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        """(n, labels) in-scope probabilities (with `oos` examples, what that class takes is missing from
        them); with the messages' `texts`, the lexical model is mixed in as in training."""
        x = np.atleast_2d(np.asarray(embeddings, dtype=np.float32))
        probs = _softmax(x @ self.coef.T + self.intercept)[:, : len(self.labels)]
        if self.lexical is not None and texts is not None:
            lexical = _lexical_columns(self.lexical, list(texts), self.labels)
            probs = (1 - self.lexical_weight) * probs + self.lexical_weight * lexical
        return probs

    def predict_proba(self, embeddings: np.ndarray, texts: Sequence[str] | None = None) -> list[dict[str, float]]:
        """Per row, every intent label -> probability (no `oos` key; see `predict`)."""
        return [dict(zip(self.labels, map(float, row), strict=True)) for row in self.probabilities(embeddings, texts)]

    def predict(self, embeddings: np.ndarray, texts: Sequence[str] | None = None) -> list[str]:
        """Per row, the best label, or `oos` when its probability is under the threshold."""
        return labels_or_oos(self.labels, self.probabilities(embeddings, texts), self.threshold)

    # -- persistence ----------------------------------------------------------------------------
    def save(self, path: Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        lexical_path = _lexical_path(path)
        if self.lexical is not None:
            lexical_tmp = lexical_path.with_name(lexical_path.name + ".partial.npz")
            self.lexical.save(lexical_tmp)
            lexical_tmp.replace(lexical_path)
        write_npz(
            path,
            coef=self.coef,
            intercept=self.intercept,
            threshold=np.float32(self.threshold),
            labels=np.array(json.dumps(self.labels, ensure_ascii=False)),
            version=np.array(HEAD_VERSION),
            lexical_weight=np.float32(self.lexical_weight),
        )
        return path

    @classmethod
    def load(cls, path: Path) -> IntentHead:
        """A saved head; its files are marked used (models.cache_files), so a cache keeps the heads in use."""
        with np.load(Path(path), allow_pickle=False) as data:
            if str(data["version"]) != HEAD_VERSION:
                raise IntentHeadError(f"{path}: intent head format {data['version']} is not {HEAD_VERSION}")
            labels = json.loads(str(data["labels"]))
            weight = float(data["lexical_weight"])
            lexical = LexicalModel.load(_lexical_path(Path(path))) if weight > 0 else None
            head = cls(labels, data["coef"], data["intercept"], float(data["threshold"]), lexical, weight)
        mark_used(Path(path), *([_lexical_path(Path(path))] if lexical is not None else []))
        return head


def _lexical_path(path: Path) -> Path:
    return path.with_name(path.stem + ".lexical.npz")


def _fit_lexical(texts: Sequence[str], labels: Sequence[str], seed: int) -> LexicalModel | None:
    """The TF-IDF model for the mix; None when the examples are too few to fit one."""
    if len(set(labels)) < 2:
        return None
    try:
        solver, tol = FAST_SOLVER
        return LexicalModel.fit(texts, labels, seed=seed, solver=solver, tol=tol)
    except ValueError as exc:  # e.g. no term occurs twice (min_df) in a handful of examples
        log.info("intent head without the lexical mix: %s", exc)
        return None


def _lexical_columns(lexical: LexicalModel, texts: list[str], columns: Sequence[str]) -> np.ndarray:
    """The lexical model's probabilities in `columns` order (0 for a label it never saw)."""
    probs = lexical.predict_proba(texts)
    out = np.zeros((len(texts), len(columns)), dtype=np.float32)
    for j, label in enumerate(columns):
        if label in lexical.labels:
            out[:, j] = probs[:, lexical.labels.index(label)]
    return out


def content_hash(texts: Sequence[str], labels: Sequence[str], seed: int = 0, extra: str = "") -> str:
    digest = hashlib.sha256()
    digest.update(f"intent-head:{HEAD_VERSION}:{DEFAULT_C}:{seed}:{extra}\n".encode())
    for text, label in zip(texts, labels, strict=True):
        digest.update(json.dumps([text, label], ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()[:32]


def cache_dir() -> Path:
    return cache_root() / "intent_heads"


def load_or_train(
    encoder_or_embed: _HasEmbed | Embed,
    texts: Sequence[str],
    labels: Sequence[str],
    cache_key: str = "",
    *,
    seed: int = 0,
    progress: bool = True,
) -> IntentHead:
    """The cached head for exactly these examples (and cache_key, e.g. the encoder's name), else train one."""
    path = cache_dir() / f"{content_hash(texts, labels, seed, cache_key)}.npz"
    if path.is_file():
        try:
            return IntentHead.load(path)
        except (OSError, ValueError, KeyError) as exc:
            log.warning("ignoring unreadable intent head cache %s: %s", path, exc)
    head = IntentHead.train(encoder_or_embed, texts, labels, seed=seed, progress=progress)
    head.save(path)
    return head
