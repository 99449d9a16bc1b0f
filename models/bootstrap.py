"""Bootstrap confidence intervals for `model eval`'s figures.

A dev or test file of a few hundred texts moves accuracy by several points from one draw to the next
(196 toxicity texts: ROC AUC 0.975 could be anything from about 0.955 to 0.99), so a figure alone says
little about whether two models differ. Every figure gets a 95% percentile interval from resampling the
scored texts with replacement; comparing the shipped model with the TF-IDF peer resamples both on the
same draws (a paired bootstrap), whose difference interval says whether the gap is more than chance.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

ROUNDS = 1000
LEVEL = 0.95


def resamples(n: int, rounds: int = ROUNDS, seed: int = 0) -> np.ndarray:
    """(rounds, n) row indices, each row a draw of n texts with replacement; fixed by `seed`."""
    return np.random.default_rng(seed).integers(0, n, size=(rounds, n), dtype=np.int32)


def label_codes(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    index = {label: i for i, label in enumerate(labels)}
    return np.array([index[g] for g in gold], dtype=np.int64), np.array([index[p] for p in pred], dtype=np.int64)


def accuracy_samples(gold: np.ndarray, pred: np.ndarray, draws: np.ndarray) -> np.ndarray:
    return np.asarray((gold == pred)[draws].mean(axis=1), dtype=np.float64)


def macro_f1_samples(gold: np.ndarray, pred: np.ndarray, n_labels: int, draws: np.ndarray) -> np.ndarray:
    """Macro-F1 per draw over the labels the draw holds or predicts, as the figure itself is computed (sklearn's
    f1_score without `labels`): a rare label missing from a draw is left out rather than counted 0, which would
    pull every draw under the figure."""
    pairs = gold * n_labels + pred
    out = np.empty(len(draws), dtype=np.float64)
    for r, rows in enumerate(draws):
        counts = np.bincount(pairs[rows], minlength=n_labels * n_labels).reshape(n_labels, n_labels)
        tp = np.diag(counts).astype(np.float64)
        denominator = counts.sum(axis=0) + counts.sum(axis=1)
        seen = denominator > 0
        out[r] = float((2 * tp[seen] / denominator[seen]).mean())
    return out


def roc_auc_samples(truth: np.ndarray, scores: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """ROC AUC per draw; NaN for a draw that holds one class only."""
    from sklearn.metrics import roc_auc_score

    out = np.full(len(draws), np.nan)
    for r, rows in enumerate(draws):
        t = truth[rows]
        if t.any() and not t.all():
            out[r] = roc_auc_score(t, scores[rows])
    return out


def interval(samples: np.ndarray, level: float = LEVEL) -> tuple[float, float] | None:
    """The central `level` percentile interval of the finite samples (None when there are none)."""
    finite = samples[np.isfinite(samples)]
    if not len(finite):
        return None
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return float(low), float(high)
