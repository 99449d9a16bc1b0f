"""Intent head: train / predict / out-of-scope / save-load / content-hash cache, with the real encoder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from models.encoder import Encoder, shared_encoder
from models.intent_head import OOS, IntentHead, IntentHeadError, content_hash, load_or_train

EXAMPLES: dict[str, list[str]] = {
    "refund": [
        "Верните мне деньги за заказ",
        "Хочу оформить возврат средств",
        "Когда придут деньги за возврат?",
        "I want a refund for my order",
        "Please give me my money back",
        "Paramı iade etmenizi istiyorum",
        "İade ne zaman yapılacak?",
    ],
    "delivery": [
        "Где мой заказ? Курьер так и не приехал",
        "Когда доставят посылку?",
        "Отследить доставку заказа",
        "Where is my parcel? It has not arrived",
        "When will my order be delivered?",
        "Kargom nerede, hâlâ gelmedi",
        "Siparişim ne zaman teslim edilecek?",
    ],
    "internet_down": [
        "Не работает интернет с утра",
        "Пропал интернет дома, роутер мигает",
        "Очень медленный интернет, ничего не грузится",
        "My internet connection is down",
        "The wifi keeps dropping all the time",
        "İnternetim çalışmıyor",
        "Modemde ışık yanıp sönüyor, bağlantı yok",
    ],
    "greeting": [
        "Привет!",
        "Добрый день",
        "Здравствуйте",
        "Hello there",
        "Hi!",
        "Merhaba",
        "İyi günler",
    ],
}
OOS_EXAMPLES = [
    "Какая завтра погода в Москве?",
    "Посоветуйте хороший фильм на вечер",
    "What is the capital of Australia?",
    "Bana bir fıkra anlat",
    "Сколько будет дважды два",
    "Who won the football match yesterday?",
]


def _data(with_oos: bool = False) -> tuple[list[str], list[str]]:
    texts = [t for phrases in EXAMPLES.values() for t in phrases]
    labels = [lab for lab, phrases in EXAMPLES.items() for _ in phrases]
    if with_oos:
        texts += OOS_EXAMPLES
        labels += [OOS] * len(OOS_EXAMPLES)
    return texts, labels


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return shared_encoder()


def test_train_and_predict(encoder: Encoder) -> None:
    texts, labels = _data()
    head = IntentHead.train(encoder, texts, labels, seed=0, progress=False)
    assert head.labels == sorted(EXAMPLES)
    assert 0.0 < head.threshold < 1.0
    queries = ["Верните деньги, товар бракованный", "Kargo hala gelmedi", "internet is not working since morning"]
    vectors = encoder.embed(queries)
    probs = head.predict_proba(vectors)
    assert [max(p, key=p.__getitem__) for p in probs] == ["refund", "delivery", "internet_down"]
    assert all(abs(sum(p.values()) - 1.0) < 1e-4 for p in probs)


def test_oos_examples_train_a_class_and_calibrate_the_threshold(encoder: Encoder) -> None:
    texts, labels = _data(with_oos=True)
    head = IntentHead.train(encoder.embed, texts, labels, seed=0, progress=False)
    plain = IntentHead.train(encoder.embed, *_data(), seed=0, progress=False)
    assert OOS not in head.labels and head.labels == plain.labels
    assert head.coef.shape[0] == len(head.labels) + 1  # the out-of-scope class
    off_topic = ["Расскажи анекдот про кота", "Hava nasıl olacak yarın?", "Who won the football match?"]
    vectors = encoder.embed(["Где моя посылка?", *off_topic])
    assert head.predict(vectors) == ["delivery", OOS, OOS, OOS]
    probs, without = head.probabilities(vectors), plain.probabilities(vectors)
    # the class takes its share from the entries: off-topic messages lose far more of it than a real request
    kept = probs.max(axis=1) / without.max(axis=1)
    assert (kept[1:] < 0.6).all() and (kept[1:] < kept[0]).all(), kept
    assert probs[0].max() > 0.5 and probs[0].max() > probs[1:].max()


def test_save_load_round_trip(encoder: Encoder, tmp_path: Path) -> None:
    texts, labels = _data()
    head = IntentHead.train(encoder, texts, labels, seed=0, progress=False)
    path = head.save(tmp_path / "head.npz")
    loaded = IntentHead.load(path)
    vectors = encoder.embed(["Хочу вернуть деньги", "Merhaba"])
    assert loaded.labels == head.labels
    assert loaded.threshold == pytest.approx(head.threshold)
    np.testing.assert_allclose(loaded.probabilities(vectors), head.probabilities(vectors), rtol=1e-6)
    assert loaded.predict(vectors) == head.predict(vectors)


def test_training_is_deterministic(encoder: Encoder) -> None:
    texts, labels = _data()
    vectors = encoder.embed(texts)
    a = IntentHead.train_on_embeddings(vectors, labels, seed=0, progress=False)
    b = IntentHead.train_on_embeddings(vectors, labels, seed=0, progress=False)
    np.testing.assert_array_equal(a.coef, b.coef)
    assert a.threshold == b.threshold


def _heads(cache: Path) -> list[Path]:
    """Cached heads (each may have a `.lexical.npz` sibling holding its TF-IDF part)."""
    return [p for p in (cache / "intent_heads").glob("*.npz") if not p.name.endswith(".lexical.npz")]


def test_content_hash_cache(encoder: Encoder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMM_RESPONDER_CACHE", str(tmp_path))
    calls: list[int] = []

    def counting_embed(batch: Sequence[str]) -> np.ndarray:
        calls.append(len(batch))
        return encoder.embed(batch)

    texts, labels = _data()
    first = load_or_train(counting_embed, texts, labels, "bundled", progress=False)
    assert calls
    assert len(_heads(tmp_path)) == 1
    n_calls = len(calls)
    second = load_or_train(counting_embed, texts, labels, "bundled", progress=False)
    assert len(calls) == n_calls  # served from the cache: no embedding, no training
    np.testing.assert_array_equal(first.coef, second.coef)
    # a changed example or key is a different head
    assert content_hash(texts, labels) != content_hash([*texts[:-1], "Hey"], labels)
    assert content_hash(texts, labels, extra="a") != content_hash(texts, labels, extra="b")
    load_or_train(counting_embed, [*texts[:-1], "Hey"], labels, "bundled", progress=False)
    assert len(_heads(tmp_path)) == 2


def test_bad_input() -> None:
    with pytest.raises(IntentHeadError):
        IntentHead.train(lambda b: np.zeros((len(b), 4), dtype=np.float32), ["a", "b"], ["x"], progress=False)
    with pytest.raises(IntentHeadError):
        IntentHead.train(lambda b: np.zeros((len(b), 4), dtype=np.float32), ["a", " "], ["x", "y"], progress=False)
    with pytest.raises(IntentHeadError):
        IntentHead.train_on_embeddings(np.zeros((2, 4), dtype=np.float32), [OOS, OOS], progress=False)


def test_lexical_mix_is_saved_and_used(encoder: Encoder, tmp_path: Path) -> None:
    texts, labels = _data()
    head = IntentHead.train(encoder, texts, labels, progress=False)
    assert head.lexical is not None and 0 < head.lexical_weight < 1
    queries = ["Хочу вернуть деньги", "Merhaba"]
    vectors = encoder.embed(queries)
    mixed = head.probabilities(vectors, queries)
    assert not np.allclose(mixed, head.probabilities(vectors))  # the texts change the verdict's scores
    np.testing.assert_allclose(mixed.sum(axis=1), 1.0, rtol=1e-5)
    loaded = IntentHead.load(head.save(tmp_path / "head.npz"))
    assert loaded.lexical is not None
    np.testing.assert_allclose(loaded.probabilities(vectors, queries), mixed, rtol=1e-3, atol=1e-4)
    assert loaded.predict(vectors, queries) == head.predict(vectors, queries)
