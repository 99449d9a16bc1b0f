"""A brand's example vectors and intent head are kept in the cache: a restart embeds and trains nothing again,
a damaged cache file is rebuilt, and heads nothing loaded for a month are pruned."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from bot import pipeline
from handlers.argument_base import load_argument_base
from handlers.policy import BrandPolicy
from models import vector_cache
from models.analyzer import BatchingAnalyzer, TextAnalyzer
from models.cache_files import STALE_AFTER_DAYS
from models.encoder import shared_encoder
from tests.conftest import SAMPLE_KB

TEXTS = ["Когда вернут деньги за заказ?", "Sipariş nerede?", "Where is my parcel?"]


@pytest.fixture(scope="module")
def analyzer() -> TextAnalyzer:
    return TextAnalyzer.load(shared_encoder(), require_heads=True)


class Counting:
    """The real analyzer's `vectors`, counting the texts it embeds."""

    def __init__(self, analyzer: TextAnalyzer) -> None:
        self.analyzer, self.embedded = analyzer, 0

    def __call__(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        self.embedded += len(texts)
        return self.analyzer.vectors(texts)


def test_vectors_are_computed_once_and_read_back_identical(analyzer: TextAnalyzer, tmp_path: Path) -> None:
    compute = Counting(analyzer)
    first = vector_cache.cached_vectors(compute, TEXTS, analyzer.feature_tag, tmp_path)
    again = vector_cache.cached_vectors(compute, TEXTS, analyzer.feature_tag, tmp_path)

    assert compute.embedded == len(TEXTS)
    assert first[0].shape == (3, analyzer.vectors(TEXTS[:1])[0].shape[1])
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    # Vectors that mean something else (another encoder, heads or runtime): embedded anew.
    vector_cache.cached_vectors(compute, TEXTS, "another-model", tmp_path)
    assert compute.embedded == 2 * len(TEXTS)
    assert len(list(tmp_path.glob("vectors-*.npz"))) == 2


def test_an_edited_set_embeds_only_its_new_texts(analyzer: TextAnalyzer, tmp_path: Path) -> None:
    compute = Counting(analyzer)
    first = vector_cache.cached_vectors(compute, TEXTS, analyzer.feature_tag, tmp_path)
    edited = [TEXTS[2], "Kargom hasarlı geldi", TEXTS[0]]  # one example removed, one added, order changed

    got = vector_cache.cached_vectors(compute, edited, analyzer.feature_tag, tmp_path)

    assert compute.embedded == len(TEXTS) + 1
    for row, text in ((0, TEXTS[2]), (2, TEXTS[0])):  # the kept examples: the first set's rows
        np.testing.assert_array_equal(got[0][row], first[0][TEXTS.index(text)])
        np.testing.assert_array_equal(got[1][row], first[1][TEXTS.index(text)])
    fresh = analyzer.vectors(["Kargom hasarlı geldi"])
    np.testing.assert_allclose(got[0][1], fresh[0][0], atol=1e-5)
    again = vector_cache.cached_vectors(compute, edited, analyzer.feature_tag, tmp_path)
    assert compute.embedded == len(TEXTS) + 1  # the edited set is cached as a whole too
    np.testing.assert_array_equal(again[1], got[1])
    vector_cache.cached_vectors(compute, edited, "another-model", tmp_path)  # rows of another model never serve
    assert compute.embedded == len(TEXTS) + 1 + len(edited)


def test_a_damaged_cache_file_is_embedded_again_and_replaced(
    analyzer: TextAnalyzer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    compute = Counting(analyzer)
    path = vector_cache.vectors_file(TEXTS, analyzer.feature_tag, tmp_path)
    expected = vector_cache.cached_vectors(compute, TEXTS, analyzer.feature_tag, tmp_path)
    path.write_bytes(path.read_bytes()[:200])  # an interrupted copy of the cache, a full disk

    got = vector_cache.cached_vectors(compute, TEXTS, analyzer.feature_tag, tmp_path)

    assert compute.embedded == 2 * len(TEXTS) and "unreadable" in caplog.text
    np.testing.assert_allclose(got[0], expected[0], atol=1e-6)
    vector_cache.cached_vectors(compute, TEXTS, analyzer.feature_tag, tmp_path)
    assert compute.embedded == 2 * len(TEXTS)  # the rewritten file reads


def test_a_cache_that_cannot_be_written_still_gives_the_vectors(
    analyzer: TextAnalyzer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    compute = Counting(analyzer)

    embeddings, intent_vectors = vector_cache.cached_vectors(compute, TEXTS, analyzer.feature_tag, blocked)

    assert len(embeddings) == len(intent_vectors) == len(TEXTS)
    assert "could not cache" in caplog.text


async def test_a_restarted_brand_embeds_and_trains_nothing(
    analyzer: TextAnalyzer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vector_cache, "cache_dir", lambda: tmp_path / "vectors")
    monkeypatch.setattr(pipeline, "cache_dir", lambda: tmp_path / "heads")
    monkeypatch.setattr(pipeline, "_BUILTIN_VECTORS", {})  # a fresh process: earlier tests' in-memory ones go
    base = load_argument_base(SAMPLE_KB, ("ru", "tr", "en"))
    policy = BrandPolicy()
    matcher, head = await pipeline.build_matchers(base, BatchingAnalyzer(analyzer), policy)
    assert head is not None

    def refuse(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        raise AssertionError(f"embedded {len(texts)} texts again")

    monkeypatch.setattr(analyzer, "vectors", refuse)
    monkeypatch.setattr(pipeline, "_BUILTIN_VECTORS", {})  # a new process: only the disk cache is left
    matcher_again, head_again = await pipeline.build_matchers(base, BatchingAnalyzer(analyzer), policy)
    monkeypatch.undo()

    assert head_again is not None and head_again.labels == head.labels
    np.testing.assert_array_equal(head_again.coef, head.coef)
    question = analyzer.vectors(["Как вернуть деньги за заказ?"])[0]
    assert matcher_again.match_many(question) == matcher.match_many(question)
    assert matcher.match_many(question)[0].entry_id is not None


async def test_intent_heads_nothing_loaded_for_a_month_are_pruned_when_a_new_one_is_saved(
    analyzer: TextAnalyzer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    heads = tmp_path / "heads"
    monkeypatch.setattr(vector_cache, "cache_dir", lambda: tmp_path / "vectors")
    monkeypatch.setattr(pipeline, "cache_dir", lambda: heads)
    heads.mkdir()
    month_ago = time.time() - (STALE_AFTER_DAYS + 1) * 86400
    stale = [heads / "kb-oldbase-x-y.npz", heads / "kb-oldbase-x-y.lexical.npz"]
    in_use = heads / "kb-otherbrand-x-y.npz"
    evaluation = heads / "0123abcd.npz"  # an evaluation's head (models.intent_head.load_or_train): not a brand's
    for path in [*stale, in_use, evaluation]:
        path.write_bytes(b"head")
        os.utime(path, (month_ago, month_ago))
    os.utime(in_use)  # loaded by another brand's bot today

    base = load_argument_base(SAMPLE_KB, ("ru", "tr", "en"))
    await pipeline.build_matchers(base, BatchingAnalyzer(analyzer), BrandPolicy())

    left = {p.name for p in heads.iterdir()}
    assert not left & {p.name for p in stale}
    assert {in_use.name, evaluation.name} <= left
    assert len([name for name in left if name.startswith("kb-") and name not in {in_use.name}]) == 2  # head + lexical
