"""The TF-IDF model mixed into the shipped heads: its plain-Python path for a few texts computes what
sklearn's vectorizers do for many."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.lexical import FAST_PATH_MAX, LexicalModel

TRAIN = [
    ("Ужасный сервис, верните деньги!", "negative"),
    ("Третий день нет интернета, ужасно", "negative"),
    ("Berbat bir hizmet, kargo gelmedi", "negative"),
    ("Worst support ever, nobody answers", "negative"),
    ("Спасибо, всё отлично работает", "positive"),
    ("Спасибо большое, быстро починили", "positive"),
    ("Çok teşekkürler, harika hizmet", "positive"),
    ("Thanks a lot, great support team", "positive"),
    ("Как поменять тариф?", "neutral"),
    ("Где посмотреть тариф и баланс?", "neutral"),
    ("Kargo ne zaman gelir?", "neutral"),
    ("How do I change my plan?", "neutral"),
]
TEXTS = [
    "Ужасный   сервис!!! Верните деньги...",
    "İSTANBUL'da kargo\tnerede?",
    "a",
    "!!!",
    "",
    "thanks thanks THANKS",
    "совсем незнакомые слова",
    "How do I change the plan, thanks",
]


def test_the_fast_path_gives_sklearns_probabilities(tmp_path: Path) -> None:
    model = LexicalModel.fit([t for t, _ in TRAIN], [label for _, label in TRAIN])
    model = LexicalModel.load(model.save(tmp_path / "lexical.npz"))  # as shipped: restored vectorizers
    labels = ["negative", "neutral", "positive"]
    fast = model.predict_proba(TEXTS, labels)
    many = TEXTS * (FAST_PATH_MAX // len(TEXTS) + 1)  # more than the fast path takes: sklearn's vectorizers
    assert len(many) > FAST_PATH_MAX
    reference = model.predict_proba(many, labels)[: len(TEXTS)]
    np.testing.assert_allclose(fast, reference, atol=1e-6)
    assert fast[0].argmax() == 0 and fast[-1].argmax() != 0  # it learnt something


def test_the_vocabulary_cut_breaks_frequency_ties_by_term_not_by_cpu() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from models.stable_tfidf import fit_tfidf

    texts = [t for t, _ in TRAIN]
    params = {"analyzer": "word", "sublinear_tf": True}
    full, full_x = fit_tfidf(texts, params, None)
    reference = TfidfVectorizer(**params).fit(texts)
    assert full.vocabulary_ == reference.vocabulary_  # no cut: exactly sklearn's vectorizer
    np.testing.assert_allclose(full_x.toarray(), reference.transform(texts).toarray(), atol=1e-12)

    cut, cut_x = fit_tfidf(texts, params, 8)
    analyse = reference.build_analyzer()
    counts = {term: sum(analyse(t).count(term) for t in texts) for term in reference.vocabulary_}
    ranked = sorted(counts, key=lambda term: (-counts[term], term))  # frequency, then the term itself
    assert sorted(cut.vocabulary_) == sorted(ranked[:8])
    assert counts[ranked[7]] == counts[ranked[8]]  # the cut falls inside a tie, so the rule was tested
    np.testing.assert_allclose(cut_x.toarray(), cut.transform(texts).toarray(), atol=1e-12)
    again, _ = fit_tfidf(list(reversed(texts)), params, 8)  # the texts' order changes nothing
    assert again.vocabulary_ == cut.vocabulary_
    np.testing.assert_allclose(again.idf_, cut.idf_)


def test_the_fast_solver_fits_the_same_model_as_lbfgs() -> None:
    """Brands' intent heads fit their lexical model with FAST_SOLVER: the optimum the shipped models' lbfgs
    reaches (here run to a tight tolerance), to within the fast solver's tolerance, and repeatably."""
    from models.lexical import FAST_SOLVER

    texts, labels = [t for t, _ in TRAIN], [label for _, label in TRAIN]
    solver, tol = FAST_SOLVER
    exact = LexicalModel.fit(texts, labels, tol=1e-10).predict_proba(TEXTS)
    fast = LexicalModel.fit(texts, labels, solver=solver, tol=tol).predict_proba(TEXTS)
    np.testing.assert_allclose(fast, exact, atol=0.03)  # 12 training texts: SAG's slowest case
    assert (fast.argmax(axis=1) == exact.argmax(axis=1)).all()
    other_c = LexicalModel.fit(texts, labels, c=0.5, solver=solver, tol=tol).predict_proba(TEXTS)
    assert np.abs(other_c - exact).max() > 0.1  # the tolerance above tells different models apart
    again = LexicalModel.fit(texts, labels, solver=solver, tol=tol).predict_proba(TEXTS)
    np.testing.assert_array_equal(again, fast)


def test_nb_weighted_features_fold_into_the_stored_coefficients(tmp_path: Path) -> None:
    """The toxicity model's NB weighting (`nb_alpha`) changes the fit, not the stored format: the restored model
    reads plain TF-IDF features and scores as the fitted one, on both featurising paths. Two labels only."""
    texts = [t for t, _ in TRAIN]
    negative = ["negative" if label == "negative" else "other" for _, label in TRAIN]
    plain = LexicalModel.fit(texts, negative)
    weighted = LexicalModel.fit(texts, negative, nb_alpha=0.25, c=30.0)
    restored = LexicalModel.load(weighted.save(tmp_path / "nb.npz"))
    labels = ["negative", "other"]
    fitted = weighted.predict_proba(TEXTS, labels)
    fast = restored.predict_proba(TEXTS, labels)
    np.testing.assert_allclose(fast, fitted, atol=1e-4)  # (stored in float32)
    many = TEXTS * (FAST_PATH_MAX // len(TEXTS) + 1)
    np.testing.assert_allclose(restored.predict_proba(many, labels)[: len(TEXTS)], fast, atol=1e-6)
    assert not np.allclose(fitted, plain.predict_proba(TEXTS, labels), atol=1e-3)
    assert fitted[0].argmax() == 0 and fitted[-1].argmax() == 1
    with pytest.raises(ValueError, match="two labels"):
        LexicalModel.fit(texts, [label for _, label in TRAIN], nb_alpha=0.25)
