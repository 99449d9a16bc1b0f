"""A char + word TF-IDF logistic regression, stored as plain arrays (no pickle).

Shipped next to the fine-tuned heads and averaged with them: the lexical model catches spelling
variants of obscenities and brand-specific words that the encoder's pieces blur.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # sklearn and scipy load only to fit, or to featurise more than FAST_PATH_MAX texts at once
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

CHAR_PARAMS: dict[str, Any] = {
    "analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 2, "sublinear_tf": True, "lowercase": True,
}
FAST_PATH_MAX = 64  # up to this many texts, featurise in plain Python (much less per-call overhead)
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # sklearn's default token_pattern
WORD_PARAMS: dict[str, Any] = {"analyzer": "word", "ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True}
# (solver, tol) for fits that must be quick. On the 67-intent Russian training file (4268 texts, 25842 TF-IDF
# features) lbfgs at its default tol took 13.6 s, most of it in L-BFGS-B's own update over the 1.7M coefficients;
# SAG, which suits these L2-normalised sparse rows, took 6.6 s and came closer to the exact optimum (dev
# probabilities within 0.001 of an lbfgs fit at tol 1e-8; lbfgs at its default tol: within 0.013); same dev accuracy.
FAST_SOLVER: tuple[str, float] = ("sag", 1e-4)


def restore_vectorizer(params: dict[str, Any], vocabulary: dict[str, int], idf: np.ndarray) -> TfidfVectorizer:
    """A fitted TfidfVectorizer from its parameters, vocabulary and idf weights."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(**params, vocabulary=vocabulary)
    vec.idf_ = idf.astype(np.float64)
    return vec


def _vocabulary(vec: TfidfVectorizer) -> dict[str, int]:
    return {str(term): int(index) for term, index in vec.vocabulary_.items()}


class LexicalModel:
    """TF-IDF (char 2-5 + word 1-2) features, multinomial logistic regression.

    Held as plain vocabularies, idf weights and coefficients: a few texts at a time (what the bot scores)
    are featurised here in plain Python; sklearn's vectorizers are rebuilt from the same arrays only for
    bigger batches.
    """

    def __init__(
        self,
        labels: Sequence[str],
        char: tuple[dict[str, int], np.ndarray],
        word: tuple[dict[str, int], np.ndarray],
        coef: np.ndarray,
        intercept: np.ndarray,
    ) -> None:
        self.labels = list(labels)
        self.char_vocab, self.char_idf = char[0], np.asarray(char[1], dtype=np.float32)
        self.word_vocab, self.word_idf = word[0], np.asarray(word[1], dtype=np.float32)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self._vectorizers: tuple[TfidfVectorizer, TfidfVectorizer] | None = None

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        seed: int = 0,
        c: float = 5.0,
        max_char: int = 300_000,
        max_word: int = 150_000,
        solver: str = "lbfgs",
        tol: float = 1e-4,
        nb_alpha: float | None = None,
    ) -> LexicalModel:
        """Fit on labelled texts. `solver`/`tol` go to sklearn's LogisticRegression: the shipped models use
        lbfgs; brands' intent heads use FAST_SOLVER (see there). `nb_alpha` (two labels only): NB-weighted
        features (NBSVM, Wang & Manning 2012): each feature scaled by the log-ratio of its smoothed (`nb_alpha`)
        share in the second label's texts and in the first's before the regression; the scales are folded into
        the coefficients, so the stored model reads plain TF-IDF features as before."""
        import scipy.sparse as sp
        from sklearn.linear_model import LogisticRegression

        from models.stable_tfidf import fit_tfidf

        char, char_x = fit_tfidf(texts, CHAR_PARAMS, max_char)
        word, word_x = fit_tfidf(texts, WORD_PARAMS, max_word)
        x = sp.hstack([char_x, word_x]).tocsr()
        scale = None
        if nb_alpha is not None:
            classes = sorted(set(labels))
            if len(classes) != 2:
                raise ValueError(f"NB weighting needs two labels, got {len(classes)}")
            second = np.array([label == classes[1] for label in labels])
            p = nb_alpha + np.asarray(x[second].sum(axis=0)).ravel()
            q = nb_alpha + np.asarray(x[~second].sum(axis=0)).ravel()
            scale = np.log((p / p.sum()) / (q / q.sum()))
            x = (x @ sp.diags(scale)).tocsr()
        clf = LogisticRegression(C=c, max_iter=3000, random_state=seed, solver=solver, tol=tol).fit(x, list(labels))
        names = [str(v) for v in clf.classes_]
        coef = np.asarray(clf.coef_ * (scale if scale is not None else 1.0), dtype=np.float32)
        intercept = np.asarray(clf.intercept_, dtype=np.float32)
        if len(names) == 2:
            coef = np.concatenate([-coef / 2, coef / 2])
            intercept = np.concatenate([-intercept / 2, intercept / 2])
        model = cls(names, (_vocabulary(char), char.idf_), (_vocabulary(word), word.idf_), coef, intercept)
        model._vectorizers = (char, word)
        return model

    def _logits_fast(self, text: str) -> np.ndarray:
        """The same as features(text) @ coef.T, without scipy / sklearn per-call overhead.

        Re-implements sklearn's char_wb and word analyzers (lowercase, default token pattern),
        sublinear tf, idf and per-vectorizer L2 normalisation.
        """
        char_vocab, char_idf, word_vocab, word_idf = self.char_vocab, self.char_idf, self.word_vocab, self.word_idf
        lowered = text.lower()
        char_counts: dict[int, int] = {}
        lo, hi = CHAR_PARAMS["ngram_range"]
        for word in lowered.split():
            padded = f" {word} "
            size = len(padded)
            for n in range(lo, hi + 1):
                offset = 0
                while True:
                    index = char_vocab.get(padded[offset : offset + n])
                    if index is not None:
                        char_counts[index] = char_counts.get(index, 0) + 1
                    if offset + n >= size:
                        break
                    offset += 1
                if offset == 0:
                    break
        tokens = _TOKEN.findall(lowered)
        word_counts: dict[int, int] = {}
        grams = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
        for gram in grams:
            index = word_vocab.get(gram)
            if index is not None:
                word_counts[index] = word_counts.get(index, 0) + 1
        logits = self.intercept.astype(np.float64).copy()
        offset_word = len(char_idf)
        for counts, idf, shift in ((char_counts, char_idf, 0), (word_counts, word_idf, offset_word)):
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            values = (1.0 + np.log(tf)) * idf[idx]
            values /= np.sqrt((values * values).sum())
            logits += self.coef[:, idx + shift] @ values
        return logits

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        import scipy.sparse as sp

        if self._vectorizers is None:
            self._vectorizers = (restore_vectorizer(CHAR_PARAMS, self.char_vocab, self.char_idf),
                                 restore_vectorizer(WORD_PARAMS, self.word_vocab, self.word_idf))
        char, word = self._vectorizers
        return sp.hstack([char.transform(texts), word.transform(texts)]).tocsr()

    def predict_proba(self, texts: Sequence[str], labels: Sequence[str] | None = None) -> np.ndarray:
        """(n, classes) probabilities, columns in `labels` order (default: the model's own)."""
        if not texts:
            return np.zeros((0, len(labels or self.labels)), dtype=np.float32)
        if len(texts) <= FAST_PATH_MAX:
            logits = np.stack([self._logits_fast(t) for t in texts])
        else:
            logits = np.asarray(self.features(texts) @ self.coef.T) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        if labels is None:
            return probs.astype(np.float32)
        return probs[:, [self.labels.index(lab) for lab in labels]].astype(np.float32)

    def save(self, path: Path) -> Path:
        def terms(vocabulary: dict[str, int]) -> list[str]:
            return [term for term, _ in sorted(vocabulary.items(), key=lambda kv: kv[1])]

        np.savez_compressed(
            path,
            meta=np.array(json.dumps({"labels": self.labels, "char_vocab": terms(self.char_vocab),
                                      "word_vocab": terms(self.word_vocab)}, ensure_ascii=False)),
            char_idf=self.char_idf,
            word_idf=self.word_idf,
            coef=self.coef.astype(np.float16),
            intercept=self.intercept,
        )
        return path

    @classmethod
    def load(cls, path: Path) -> LexicalModel:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            char = ({term: i for i, term in enumerate(meta["char_vocab"])}, data["char_idf"])
            word = ({term: i for i, term in enumerate(meta["word_vocab"])}, data["word_idf"])
            return cls(meta["labels"], char, word, data["coef"].astype(np.float32), data["intercept"])
