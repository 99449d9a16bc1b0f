"""The built-in out-of-scope phrases and how a brand keeps its own topics (no encoder needed)."""

from __future__ import annotations

import numpy as np

from handlers.out_of_scope import BUILTIN, away_from, out_of_scope_phrases, phrases_digest


def test_every_language_has_its_phrases() -> None:
    assert set(BUILTIN) == {"ru", "tr", "en"}
    assert all(len(phrases) >= 30 and len(set(phrases)) == len(phrases) for phrases in BUILTIN.values())
    assert out_of_scope_phrases(["tr"]) == list(BUILTIN["tr"])
    assert out_of_scope_phrases(["ru", "xx"]) == list(BUILTIN["ru"])
    assert phrases_digest(out_of_scope_phrases(["ru"])) != phrases_digest(out_of_scope_phrases(["ru", "en"]))


def test_phrases_a_brands_examples_cover_are_left_out() -> None:
    phrases = np.eye(3, dtype=np.float32)  # three unit vectors
    examples = np.array([[0.0, 0.97, 0.243], [0.6, 0.0, 0.8]], dtype=np.float32)
    examples /= np.linalg.norm(examples, axis=1, keepdims=True)
    assert away_from(phrases, examples) == [0, 2]  # phrase 1 is a brand's example (cosine 0.97)
    assert away_from(phrases, examples, limit=0.5) == []
    assert away_from(phrases, np.zeros((0, 3), dtype=np.float32)) == [0, 1, 2]
    assert away_from(np.zeros((0, 3), dtype=np.float32), examples) == []
