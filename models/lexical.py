"""A char + word TF-IDF logistic regression, stored as plain arrays (no pickle).

Shipped next to the fine-tuned heads and averaged with them: the lexical model catches spelling
variants of obscenities and brand-specific words that the encoder's pieces blur.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

CHAR_PARAMS: dict[str, Any] = {
    "analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 2, "sublinear_tf": True, "lowercase": True,
}
WORD_PARAMS: dict[str, Any] = {"analyzer": "word", "ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True}


def _restore(params: dict[str, Any], vocabulary: list[str], idf: np.ndarray) -> TfidfVectorizer:
    vec = TfidfVectorizer(**params, vocabulary={term: i for i, term in enumerate(vocabulary)})
    vec.idf_ = idf.astype(np.float64)
    return vec


class LexicalModel:
    """TF-IDF (char 2-5 + word 1-2) features, multinomial logistic regression."""

    def __init__(
        self,
        labels: Sequence[str],
        char: TfidfVectorizer,
        word: TfidfVectorizer,
        coef: np.ndarray,
        intercept: np.ndarray,
    ) -> None:
        self.labels = list(labels)
        self.char = char
        self.word = word
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        seed: int = 0,
        c: float = 5.0,
        max_char: int = 120_000,
        max_word: int = 40_000,
    ) -> LexicalModel:
        from sklearn.linear_model import LogisticRegression

        char = TfidfVectorizer(**CHAR_PARAMS, max_features=max_char)
        word = TfidfVectorizer(**WORD_PARAMS, max_features=max_word)
        x = sp.hstack([char.fit_transform(texts), word.fit_transform(texts)]).tocsr()
        clf = LogisticRegression(C=c, max_iter=3000, random_state=seed).fit(x, list(labels))
        names = [str(v) for v in clf.classes_]
        coef = np.asarray(clf.coef_, dtype=np.float32)
        intercept = np.asarray(clf.intercept_, dtype=np.float32)
        if len(names) == 2:
            coef = np.concatenate([-coef / 2, coef / 2])
            intercept = np.concatenate([-intercept / 2, intercept / 2])
        return cls(names, char, word, coef, intercept)

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        return sp.hstack([self.char.transform(texts), self.word.transform(texts)]).tocsr()

    def predict_proba(self, texts: Sequence[str], labels: Sequence[str] | None = None) -> np.ndarray:
        """(n, classes) probabilities, columns in `labels` order (default: the model's own)."""
        if not texts:
            return np.zeros((0, len(labels or self.labels)), dtype=np.float32)
        logits = np.asarray(self.features(texts) @ self.coef.T) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        if labels is None:
            return probs.astype(np.float32)
        return probs[:, [self.labels.index(lab) for lab in labels]].astype(np.float32)

    def save(self, path: Path) -> Path:
        def vocab(vec: TfidfVectorizer) -> list[str]:
            terms = sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])
            return [term for term, _ in terms]

        np.savez_compressed(
            path,
            meta=np.array(json.dumps({"labels": self.labels, "char_vocab": vocab(self.char),
                                      "word_vocab": vocab(self.word)}, ensure_ascii=False)),
            char_idf=self.char.idf_.astype(np.float32),
            word_idf=self.word.idf_.astype(np.float32),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept,
        )
        return path

    @classmethod
    def load(cls, path: Path) -> LexicalModel:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            char = _restore(CHAR_PARAMS, meta["char_vocab"], data["char_idf"])
            word = _restore(WORD_PARAMS, meta["word_vocab"], data["word_idf"])
            return cls(meta["labels"], char, word, data["coef"].astype(np.float32), data["intercept"])
