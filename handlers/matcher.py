"""Match a message against the argument base's example phrases by embedding similarity."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from handlers.argument_base import ArgumentBase, Entry
from handlers.phrasing import fill_name

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Match:
    entry_id: str | None  # best entry, None when the base is empty
    score: float  # the best entry's similarity (mean of its TOP_K closest examples)
    runner_up: float  # same for the second-best entry
    scores: dict[str, float]  # every entry's similarity
    out_of_scope: float = 0.0  # similarity to the nearest of the base's own out-of-scope phrases

    @property
    def margin(self) -> float:
        return self.score - self.runner_up


TOP_K = 3  # averaging an entry's 3 closest examples beats the single nearest one (leave-one-out 0.78 vs 0.69)


class SimilarityMatcher:
    """Nearest example phrases per entry, over all the base's languages at once."""

    def __init__(self, base: ArgumentBase, embed: Embed, out_of_scope: np.ndarray | None = None,
                 phrasings: Mapping[str, np.ndarray] | None = None) -> None:
        """`out_of_scope`: the embeddings of the base's own out-of-scope phrases (rows), if any; `phrasings`: the
        embeddings of the approved phrasings, by text (`phrasing_texts`), if read."""
        self.base = base
        self._phrasing_rows = _phrasing_rows(base, phrasings or {})
        self._out_of_scope = out_of_scope if out_of_scope is not None and len(out_of_scope) else None
        texts: list[str] = []
        owners: list[int] = []
        for index, entry in enumerate(base.entries):
            for phrases in entry.examples.values():
                texts.extend(phrases)
                owners.extend([index] * len(phrases))
        self._owners = np.asarray(owners, dtype=np.int64)
        self._examples = embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)

    def relevance(self, vector: np.ndarray, entry: Entry, language: str, public: bool) -> list[float] | None:
        """How near each of an entry's phrasings (in a language, for a public comment or not) lies to a message:
        an entry may answer several questions, one phrasing each ("change the Wi-Fi password" / "a new router"
        / "a technician sets it up"); None when they were not read."""
        rows = self._phrasing_rows.get((entry.id, language, public))
        return None if rows is None else [float(s) for s in rows @ vector]

    def match(self, vector: np.ndarray) -> Match:
        return self.match_many(vector[None, :])[0]

    def match_many(self, vectors: np.ndarray) -> list[Match]:
        n_entries = len(self.base.entries)
        if n_entries == 0:
            return [Match(None, 0.0, 0.0, {}) for _ in range(len(vectors))]
        sims = vectors @ self._examples.T  # (n, examples)
        per_entry = np.empty((len(vectors), n_entries), dtype=np.float32)
        for index in range(n_entries):
            own = sims[:, self._owners == index]
            k = min(TOP_K, own.shape[1])
            per_entry[:, index] = np.sort(own, axis=1)[:, -k:].mean(axis=1)
        if self._out_of_scope is not None:
            off = (vectors @ self._out_of_scope.T).max(axis=1)
        else:
            off = np.zeros(len(vectors), dtype=np.float32)
        results = []
        for row, off_topic in zip(per_entry, off, strict=True):
            order = np.argsort(-row)
            best = int(order[0])
            second = float(row[order[1]]) if n_entries > 1 else 0.0
            scores = {e.id: round(float(s), 4) for e, s in zip(self.base.entries, row, strict=True)}
            results.append(Match(self.base.entries[best].id, float(row[best]), second, scores, float(off_topic)))
        return results


def plain_phrasing(template: str) -> str:
    """A phrasing as embedded: without the customer's name (the same vector whoever it goes to)."""
    return fill_name(template, "")


def phrasing_texts(base: ArgumentBase) -> list[str]:
    """Every approved phrasing of the base, once each, as embedded."""
    texts = {plain_phrasing(text) for entry in base.entries for by_language in (entry.answers, entry.public_answers)
             for phrasings in by_language.values() for text in phrasings}
    return sorted(texts)


def _phrasing_rows(base: ArgumentBase, embedded: Mapping[str, np.ndarray]) -> dict[tuple[str, str, bool], np.ndarray]:
    """Each entry's phrasings in a language, for a public comment or not, as rows of their embeddings (arranged
    once, not per message); left out where one of them was not embedded."""
    rows = {}
    for entry in base.entries:
        for key in {(entry.id, language, public) for language in (*entry.answers, *entry.public_answers)
                    for public in (False, True)}:
            texts = [plain_phrasing(text) for text in entry.phrasings(key[1], key[2])]
            if texts and all(text in embedded for text in texts):
                rows[key] = np.stack([embedded[text] for text in texts])
    return rows
