"""The TF-IDF model mixed into the shipped heads: its plain-Python path for a few texts computes what
sklearn's vectorizers do for many."""

from __future__ import annotations

from pathlib import Path

import numpy as np

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
