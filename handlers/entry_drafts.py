"""Drafts of new argument-base entries, from what customers asked that no entry answered and what people replied.

Practitioners: most of what customers ask is covered by an argument base written in advance, but new questions
come up in the work, and the brand has to answer them. Each such question reached a person (`review --gaps`
groups them by the word their customers share); the moderators' first replies to those customers are answers the
brand already gave, in several people's words. A draft puts them where the base wants them: the customers'
messages as examples, the replies as answers (the customer's name as `{name}`), per language, with an empty list
where a language still needs writing (the same question in another language is another gap, its words being
others: the person merges them). It is a draft: the bot never reads it. A person checks it (a reply may hold
one customer's own details), writes what is missing (every language needs examples and two answers or more),
moves it into the base and runs `smm-responder kb check`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from handlers.argument_base import MIN_ANSWERS
from models.translit import latin

EXAMPLES_KEPT = 20  # per language, the newest first
ANSWERS_KEPT = 6


@dataclass(frozen=True)
class Said:
    text: str
    language: str | None


@dataclass(frozen=True)
class GapSource:
    """One gap of the base (a word customers shared): their messages, newest first, and people's first replies
    to them (the customer's name with each, to write as `{name}`)."""

    word: str
    customers: int
    messages: Sequence[Said]
    replies: Sequence[tuple[Said, str]]


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


def draft(gap: GapSource, languages: Sequence[str], taken: set[str]) -> dict[str, object]:
    """One entry's draft in the base's own form."""
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
    return {
        "id": entry_id(gap.word, taken),
        "topic": gap.word,
        "examples": {language: texts[:EXAMPLES_KEPT] for language, texts in examples.items()},
        "answers": {language: texts[:ANSWERS_KEPT] for language, texts in answers.items()},
    }


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
        "# brand's argument base and run `smm-responder kb check`. The same question asked in two languages is two",
        "# drafts here (their words differ): make them one entry.",
        "entries:",
    ]
    for gap in gaps:
        entry = draft(gap, languages, taken)
        answers = entry["answers"]
        assert isinstance(answers, dict)
        short = [language for language in languages if len(answers[language]) < MIN_ANSWERS]
        lines.append(f"  # {gap.word!r}: {gap.customers} customers, {len(gap.messages)} messages; "
                     + (f"answers to write: {', '.join(short)}" if short else "answers from people's replies"))
        dumped = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
        lines += [f"  {line}" if line else line for line in dumped.splitlines()]
    return "\n".join(lines) + "\n"
