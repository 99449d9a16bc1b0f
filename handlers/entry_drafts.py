"""Drafts of new argument-base entries, from what customers asked that no entry answered and what people replied.

Practitioners: most of what customers ask is covered by an argument base written in advance, but new questions
come up in the work, and the brand has to answer them. Each such question reached a person (`review --gaps`
groups them by the word their customers share); the moderators' replies to those customers (the fullest of each
thread) are answers the brand already gave, in several people's words. A draft puts them where the base wants them:
the customers' messages as examples, the replies as answers (the customer's name as `{name}`), per language, with
an empty list where a language still needs writing; the same question asked in another language is another gap
(its words are others), joined to it when their messages read alike (`one_question`). It is a draft: the bot never
reads it. A person checks it (a reply may hold one customer's own details), writes what is missing (every language
needs examples and two answers or more), moves it into the base and runs `smm-responder kb check`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import yaml

from handlers.argument_base import MIN_ANSWERS
from models.translit import latin

EXAMPLES_KEPT = 20  # per language, the newest first
ANSWERS_KEPT = 6
# Two gaps of different languages whose messages' mean embeddings (multilingual-e5) are this alike are one question:
# the same question in Russian and Turkish measured 0.87-0.92, different ones across languages 0.81-0.85
MERGE_AT = 0.86


@dataclass(frozen=True)
class Said:
    text: str
    language: str | None


@dataclass(frozen=True)
class GapSource:
    """One gap of the base (a word customers shared): their messages, newest first, and people's fullest replies
    to them (the customer's name with each, to write as `{name}`)."""

    words: Sequence[str]  # the word its customers share; one per language when one question was asked in several
    customers: int
    messages: Sequence[Said]
    replies: Sequence[tuple[Said, str]]


def one_question(centroids: np.ndarray, languages: Sequence[frozenset[str]]) -> list[list[int]]:
    """Which gaps are one question asked in different languages ("футболку" and "tişört"): groups of their indices,
    in the order of their first. Greedily, the most alike two groups are joined while each is the other's most
    alike among the groups of other languages, their languages do not overlap and the cosine of their mean
    embeddings (`centroids`, one row per gap) is at least MERGE_AT; a gap of no known language stays alone. Two
    gaps of one language are two questions: their words differ."""
    groups = [[i] for i in range(len(languages))]
    langs = [set(language) for language in languages]
    rows = centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    while len(groups) > 1:
        mean = np.stack([rows[g].mean(axis=0) for g in groups])
        mean /= np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
        apart = np.array([[bool(a and b and not a & b) for b in langs] for a in langs])
        sims = np.where(apart, mean @ mean.T, -1.0)
        best = sims.argmax(axis=1)
        pairs = [(float(sims[a, b]), a, int(b)) for a, b in enumerate(best)
                 if sims[a, b] >= MERGE_AT and best[b] == a and a < b]
        if not pairs:
            break
        _, a, b = max(pairs)
        groups[a] = sorted(groups[a] + groups[b])  # (its gaps in their order: the most customers first)
        langs[a] |= langs[b]
        del groups[b], langs[b]
    return groups


def entry_id(word: str, taken: set[str]) -> str:
    """A snake_case id from the word ("роутер" -> "new_router"), unique among `taken` (which it joins)."""
    slug = re.sub(r"[^a-z0-9]+", "_", latin(word).casefold()).strip("_") or "topic"
    candidate, n = f"new_{slug}", 2
    while candidate in taken:
        candidate, n = f"new_{slug}_{n}", n + 1
    taken.add(candidate)
    return candidate


def with_name_placeholder(text: str, name: str) -> str:
    """The customer's first name, where the reply uses it, as `{name}` (filled with each customer's own); braces
    of the reply itself become parentheses (only `{name}` may stand in an answer)."""
    text = text.replace("{", "(").replace("}", ")").strip()
    first = name.split()[0] if name.split() else ""
    if len(first) < 2:
        return text
    return re.sub(rf"(?<!\w){re.escape(first)}(?!\w)", "{name}", text)


def draft(gap: GapSource, languages: Sequence[str], taken: set[str]) -> tuple[dict[str, object], list[str]]:
    """One entry's draft in the base's own form, and the languages whose answers are still to write."""
    examples: dict[str, list[str]] = {language: [] for language in languages}
    answers: dict[str, list[str]] = {language: [] for language in languages}
    for said in gap.messages:
        bucket = examples.get(said.language or languages[0])
        text = said.text.strip()
        if bucket is not None and text and text.casefold() not in {t.casefold() for t in bucket}:
            bucket.append(text)
    for said, name in gap.replies:
        bucket = answers.get(said.language or languages[0])
        text = with_name_placeholder(said.text, name)
        if bucket is not None and text and text not in bucket:
            bucket.append(text)
    entry: dict[str, object] = {
        "id": entry_id(gap.words[0], taken),
        "topic": " / ".join(gap.words),
        "examples": {language: texts[:EXAMPLES_KEPT] for language, texts in examples.items()},
        "answers": {language: texts[:ANSWERS_KEPT] for language, texts in answers.items()},
    }
    return entry, [language for language in languages if len(answers[language]) < MIN_ANSWERS]


def drafts_yaml(gaps: Sequence[GapSource], languages: Sequence[str], header: str,
                existing_ids: Sequence[str] = ()) -> str:
    """The drafts as one YAML file of the base's form, each entry after a comment saying what it came from and
    what it still lacks; `header`: a first comment line (the brand and the period)."""
    taken = set(existing_ids)
    lines = [
        f"# {header}",
        "# DRAFTS: the bot does not read this file. For each entry: rename its id and topic, check every answer",
        "# (they are moderators' replies to single customers: remove what was one customer's own), write what is",
        f"# missing (every language needs examples and {MIN_ANSWERS} answers or more), then move it into a file of the",
        "# brand's argument base and run `smm-responder kb check`. Gaps of different languages whose messages read",
        "# alike are one draft (their words joined by ' / '): check that they are one question.",
        "entries:",
    ]
    for gap in gaps:
        entry, short = draft(gap, languages, taken)
        words = " / ".join(map(repr, gap.words))
        lines.append(f"  # {words}: {gap.customers} customers, {len(gap.messages)} messages; "
                     + (f"answers to write: {', '.join(short)}" if short else "answers from people's replies"))
        dumped = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
        lines += [f"  {line}" if line else line for line in dumped.splitlines()]
    return "\n".join(lines) + "\n"
