"""TF-IDF whose `max_features` cut is the same on every machine.

sklearn's own cut breaks term-frequency ties with numpy's unstable argsort, whose order depends on the
CPU's sort kernels (AVX-512 or not): the same training data gave different vocabularies, and so
different shipped models, on different machines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

from models.lexical import restore_vectorizer


def fit_tfidf(texts: Sequence[str], params: dict[str, Any], limit: int | None) -> tuple[TfidfVectorizer, sp.csr_matrix]:
    """Fit a TfidfVectorizer keeping the `limit` most frequent terms, ties broken by the term itself.

    The cut is a stable sort over alphabetically ordered columns, so the vocabulary, the idf and the
    matrix are the same everywhere. Returns the vectorizer and the fitted texts' tf-idf matrix.
    """
    weighting = {k: params[k] for k in ("norm", "use_idf", "smooth_idf", "sublinear_tf") if k in params}
    counting = {k: v for k, v in params.items() if k not in weighting}
    counter = CountVectorizer(**counting)
    counts = counter.fit_transform(texts).tocsc()
    if limit is not None and counts.shape[1] > limit:
        frequency = np.asarray(counts.sum(axis=0)).ravel()
        keep = np.sort(np.argsort(-frequency, kind="stable")[:limit])
        counts = counts[:, keep]
    else:
        keep = np.arange(counts.shape[1])
    terms = counter.get_feature_names_out()[keep]
    weighter = TfidfTransformer(**weighting)
    matrix = weighter.fit_transform(counts.tocsr())
    vectorizer = restore_vectorizer(params, {str(term): i for i, term in enumerate(terms)}, weighter.idf_)
    return vectorizer, matrix.tocsr()


class StableTfidfVectorizer(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """A TfidfVectorizer for pipelines whose `max_features` cut is the same on every CPU (see fit_tfidf)."""

    def __init__(self, max_features: int | None = None, **params: Any) -> None:
        self.max_features = max_features
        self.params = params
        self.vectorizer_: TfidfVectorizer | None = None

    def fit_transform(self, texts: Sequence[str], y: Any = None) -> sp.csr_matrix:
        self.vectorizer_, matrix = fit_tfidf(texts, self.params, self.max_features)
        return matrix

    def fit(self, texts: Sequence[str], y: Any = None) -> StableTfidfVectorizer:
        self.fit_transform(texts)
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        if self.vectorizer_ is None:
            raise RuntimeError("StableTfidfVectorizer is not fitted")
        return self.vectorizer_.transform(texts)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"max_features": self.max_features, **self.params}

    def set_params(self, **params: Any) -> StableTfidfVectorizer:
        self.max_features = params.pop("max_features", self.max_features)
        self.params.update(params)
        return self
