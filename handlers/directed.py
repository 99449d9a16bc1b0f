"""Directed negative: near-identical negative messages from several accounts within a short window.

Practitioners tell *natural* negative (a real unhappy customer: solve it, show the solution) from
*directed* negative (coordinated attacks, paid accounts: collect evidence, let a person answer).
A wave of negative messages saying the same thing from different accounts within the window is
treated as directed: every message of it is kept as evidence and the bot does not answer it itself.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

MAX_REMEMBERED = 5000  # per brand; an attack bigger than this within the window is still caught


@dataclass(frozen=True)
class CampaignPolicy:
    accounts: int = 3  # distinct accounts saying the same negative thing ...
    window_minutes: int = 60  # ... within this many minutes
    # Cosine between the messages' sentence embeddings: copies of one template score 0.96-0.99; real customers
    # complaining about the same outage in their own words score about 0.87-0.92.
    similarity: float = 0.95
    # Short complaints ("интернет не работает") from several real customers are alike by nature; templates are long.
    min_words: int = 8


@dataclass(frozen=True)
class Mention:
    """One negative message, as the detector remembers it."""

    message_id: int
    author_id: str
    at: datetime
    vector: np.ndarray  # L2-normalised sentence embedding
    words: int

    @classmethod
    def of(cls, message_id: int, author_id: str, at: datetime, text: str, embedding: np.ndarray) -> Mention:
        norm = float(np.linalg.norm(embedding))
        return cls(message_id, author_id, at, embedding / norm if norm > 0 else embedding, len(text.split()))


class CampaignDetector:
    """Remembers a brand's recent negative mentions and finds the waves among them."""

    def __init__(self, policy: CampaignPolicy) -> None:
        self.policy = policy
        self._recent: deque[Mention] = deque(maxlen=MAX_REMEMBERED)
        self.recalled = False  # whether the window's earlier mentions were loaded from storage

    def remember(self, mention: Mention) -> None:
        """An earlier mention, recalled from storage (no wave is looked for)."""
        if mention.words >= self.policy.min_words:
            self._recent.append(mention)

    def forget(self, message_id: int) -> None:
        """A mention found to be no customer's after all (spam, a scam: handlers.spam): not part of any wave."""
        self._recent = deque((m for m in self._recent if m.message_id != message_id), maxlen=MAX_REMEMBERED)

    def observe(self, mention: Mention) -> list[Mention]:
        """Add a negative mention; returns the earlier mentions it forms a wave with (empty: natural)."""
        if mention.words < self.policy.min_words:
            return []
        horizon = mention.at - timedelta(minutes=self.policy.window_minutes)
        while self._recent and self._recent[0].at < horizon:
            self._recent.popleft()
        similar = [
            m for m in self._recent
            if m.author_id != mention.author_id and float(m.vector @ mention.vector) >= self.policy.similarity
        ]
        self._recent.append(mention)
        accounts = {m.author_id for m in similar} | {mention.author_id}
        return similar if len(accounts) >= self.policy.accounts else []
