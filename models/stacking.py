"""Combining a task's scores by stacking: a logistic regression over the fine-tuned encoder's and the TF-IDF
model's logits and the built-in abusive-word mark (models.abusive_words).

Averaging the two probabilities (the sentiment tasks' mix) treats a confident encoder and a confident TF-IDF model
as equals on a 0-1 scale that flattens both ends; in logit space each keeps its confidence and the regression
learns how far to trust each, plus what an obscenity or an insult adds. Fitted on out-of-fold scores
(`python -m models.toxicity_cv`), it also gives calibrated probabilities, so a threshold keeps its meaning.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

EPSILON = 1e-6


def logit(p: np.ndarray) -> np.ndarray:
    clipped = np.clip(np.asarray(p, dtype=np.float64), EPSILON, 1 - EPSILON)
    return np.log(clipped / (1 - clipped))


@dataclass(frozen=True)
class Stack:
    """P(positive class) = sigmoid(encoder * logit(p_encoder) + lexical * logit(p_tfidf) + abusive * mark + bias)."""

    encoder: float
    lexical: float
    abusive: float
    bias: float

    def combine(self, encoder: np.ndarray, lexical: np.ndarray, marks: np.ndarray) -> np.ndarray:
        z = (self.encoder * logit(encoder) + self.lexical * logit(lexical)
             + self.abusive * np.asarray(marks, dtype=np.float64) + self.bias)
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Stack:
        return cls(**{k: float(raw[k]) for k in ("encoder", "lexical", "abusive", "bias")})

    @classmethod
    def fit(cls, encoder: np.ndarray, lexical: np.ndarray, marks: np.ndarray, labels: np.ndarray) -> Stack:
        """The regression fitted on out-of-fold scores and 0/1 labels."""
        from sklearn.linear_model import LogisticRegression

        features = np.column_stack([logit(encoder), logit(lexical), np.asarray(marks, dtype=np.float64)])
        model = LogisticRegression(C=1.0).fit(features, labels)
        a, b, c = (round(float(x), 4) for x in model.coef_[0])
        return cls(a, b, c, round(float(model.intercept_[0]), 4))
