"""Bootstrap intervals of `model eval`'s figures (models.bootstrap and the paired comparison)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score, roc_auc_score

from models import bootstrap
from models.cli_model import paired_differences, score

LABELS = ["negative", "neutral", "positive"]


def _labelled(n: int, error_rate: float, seed: int) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    gold = [LABELS[i] for i in rng.integers(0, 3, size=n)]
    pred = [LABELS[(LABELS.index(g) + 1) % 3] if rng.random() < error_rate else g for g in gold]
    return gold, pred


def test_draws_are_fixed_by_the_seed() -> None:
    a, b, c = bootstrap.resamples(50, rounds=20, seed=1), bootstrap.resamples(50, rounds=20, seed=1), \
        bootstrap.resamples(50, rounds=20, seed=2)
    assert a.shape == (20, 50) and a.min() >= 0 and a.max() < 50
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_samples_are_sklearns_figures_on_each_draw() -> None:
    gold, pred = _labelled(120, 0.3, seed=0)
    g, p = bootstrap.label_codes(gold, pred, LABELS)
    draws = bootstrap.resamples(len(gold), rounds=25, seed=3)
    acc = bootstrap.accuracy_samples(g, p, draws)
    f1 = bootstrap.macro_f1_samples(g, p, len(LABELS), draws)
    for r, rows in enumerate(draws):
        gd, pd = [gold[i] for i in rows], [pred[i] for i in rows]
        assert acc[r] == pytest.approx(np.mean([x == y for x, y in zip(gd, pd, strict=True)]))
        assert f1[r] == pytest.approx(f1_score(gd, pd, average="macro", zero_division=0))
    truth = np.array([x == "positive" for x in gold])
    scores = np.random.default_rng(4).random(len(gold)) + truth * 0.5
    auc = bootstrap.roc_auc_samples(truth, scores, draws)
    assert auc[0] == pytest.approx(roc_auc_score(truth[draws[0]], scores[draws[0]]))


def test_a_label_missing_from_a_draw_does_not_count_zero() -> None:
    gold = ["negative"] * 10 + ["positive"]
    draws = np.array([[*range(10), 0]])  # the one positive text is not drawn
    g, p = bootstrap.label_codes(gold, gold, LABELS)
    assert bootstrap.macro_f1_samples(g, p, len(LABELS), draws)[0] == 1.0


def test_a_draw_with_one_class_has_no_auc_and_the_interval_skips_it() -> None:
    truth = np.array([True, False])
    draws = np.array([[0, 0], [1, 1], [0, 1]])
    samples = bootstrap.roc_auc_samples(truth, np.array([0.9, 0.1]), draws)
    assert np.isnan(samples[0]) and np.isnan(samples[1]) and samples[2] == 1.0
    assert bootstrap.interval(samples) == (1.0, 1.0)
    assert bootstrap.interval(np.array([np.nan])) is None


def test_the_interval_narrows_with_more_texts() -> None:
    spans = []
    for n in (100, 2500):
        gold, pred = _labelled(n, 0.2, seed=5)
        s = score("m", gold, pred, LABELS, 1.0, draws=bootstrap.resamples(n, rounds=400))
        low, high = s.as_json()["accuracy_ci95"]
        assert low <= s.accuracy <= high
        spans.append(high - low)
    assert spans[1] < spans[0] / 3


def test_paired_difference_tells_a_real_gap_from_noise() -> None:
    gold, better = _labelled(1500, 0.1, seed=6)
    rng = np.random.default_rng(7)
    worse = [LABELS[(LABELS.index(g) + 1) % 3] if rng.random() < 0.3 else g for g in gold]
    draws = bootstrap.resamples(len(gold), rounds=400)
    a, b = (score(name, gold, pred, LABELS, 1.0, draws=draws) for name, pred in (("a", better), ("b", worse)))
    gap = paired_differences(a, b)["accuracy"]
    assert gap["diff"] == pytest.approx(round(a.accuracy - b.accuracy, 4))
    assert gap["ci95"][0] > 0  # better beyond noise
    same = paired_differences(a, score("a2", gold, better, LABELS, 1.0, draws=draws))
    assert same["accuracy"] == {"diff": 0.0, "ci95": [0.0, 0.0]}
    # without draws there is nothing to compare
    assert paired_differences(score("x", gold, better, LABELS, 1.0), b) == {}
