"""Benchmark: messages that ask two things at once, made of two held-out example phrases of different entries.

Each fold's matchers and intent head are built by the bot's code from the other folds (as `benchmarks.routing`);
each held-out example that asks something is joined with another of the fold, same language, another entry, the
way customers join them: after a question mark ("Сколько стоит Оптимум? Как оплатить картой?") and, where the
second begins with a question word, with "и"/"ve"/"and" ("Сколько стоит Оптимум и как оплатить картой?"). Read
whole, the bot answers one question at best (`whole`); read as the pipeline reads it (`split`:
handlers.question_parts, each part alone, answered when each is answered from a different entry as it would be
alone, and a person called for a part no entry answers: handlers.router.answer_parts), how often both questions are
answered from their right entries, a pair of answers includes a wrong one, one is answered and a person gets the
other, one question is answered alone (the other left unanswered), or a person gets the message.

Run: `python -m benchmarks.question_pairs [--brand NAME] [--config FILE] [--folds 5] [--seed 0]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
from collections import Counter
from collections.abc import Sequence

import numpy as np

from benchmarks.routing import (
    Example,
    brand_folds_parser,
    examples_of,
    folds_of,
    parsed_brand_folds,
    read_typed,
    without,
)
from bot.config import Config
from bot.pipeline import build_matchers, read_intents, words_of
from handlers.argument_base import ArgumentBase, Entry, load_argument_base
from handlers.entry_moods import asks_something
from handlers.matcher import SimilarityMatcher
from handlers.policy import BrandPolicy
from handlers.question_parts import QUESTION_WORDS, question_parts
from handlers.router import answer_parts, pick_entry
from handlers.types import Action, Analysis, Decision
from models.analyzer import BatchingAnalyzer, TextAnalyzer
from models.encoder import shared_encoder
from models.intent_head import IntentHead
from models.word_match import fold

_JOINING = {"ru": "и", "tr": "ve", "en": "and"}
Reading = tuple[str, np.ndarray, np.ndarray, str | None]  # as benchmarks.routing.read_typed gives it


def joined(first: str, second: str, language: str) -> dict[str, str]:
    """Two questions as one message: after a question mark, and with a joining word where the second begins with
    a question word."""
    head = first.rstrip(" ?.!")
    tail = f"{second[:1].lower()}{second[1:]}"
    styles = {"question_marks": f"{head}? {second}"}
    words = fold(second)
    if words and words[0] in QUESTION_WORDS:
        styles["joined"] = f"{head} {_JOINING[language]} {tail}"
    return styles


def pairs_of(examples: Sequence[Example], fold_ids: Sequence[int], rng: random.Random) -> list[tuple[int, int]]:
    """Each example of the fold that asks something, with another of the fold (same language, another entry)."""
    asking = [i for i in fold_ids if asks_something(examples[i][2])]
    pairs = []
    for i in asking:
        others = [j for j in asking if examples[j][1] == examples[i][1] and examples[j][0] != examples[i][0]]
        if others:
            pairs.append((i, rng.choice(others)))
    return pairs


def picked(base: ArgumentBase, matchers: tuple[SimilarityMatcher, IntentHead | None], policy: BrandPolicy,
           reading: Reading, language: str) -> tuple[Entry | None, str]:
    """The entry the bot would answer a text from and how it chose it (handlers.router.pick_entry)."""
    text, vector, intent_vector, _ = reading
    matcher, head = matchers
    intents, out_of_scope = read_intents(head, intent_vector, text)
    return pick_entry(base, Analysis(language, {}, None, intents, out_of_scope), matcher.match(vector), policy)


def as_decision(picked: tuple[Entry | None, str]) -> Decision:
    """The router's decision on an entry choice (handlers.router.pick_entry), as far as answer_parts reads it: an
    answer from the entry (key "answer:ID"), or a person (key "person:ID": none sure enough, or one that needs a
    person)."""
    entry, how = picked
    if entry is None:
        return Decision(Action.HANDOFF, how, "", None, "…", "person:")
    if entry.needs_human:
        return Decision(Action.HANDOFF, "entry_needs_human", "", entry.id, "…", f"person:{entry.id}")
    return Decision(Action.ANSWER, how, "", entry.id, "…", f"answer:{entry.id}")


def outcome(whole: tuple[Entry | None, str], parts: list[tuple[Entry | None, str]] | None, right: tuple[str, str],
            ) -> str:
    """What the customer got, as handlers.router.answer_parts decides: `both` right answers, two answers with a
    wrong one (`wrong_in_pair`), the right answer to one and a person for the other (`one_and_person`), a wrong
    answer and a person (`wrong_and_person`); read whole: `one` right answer, a `wrong` one, or a `person`."""
    as_whole = as_decision(whole)
    decided = answer_parts(as_whole, [as_decision(p) for p in parts]) if parts else as_whole
    if decided is as_whole:
        if decided.action is not Action.ANSWER:
            return "person"
        return "one" if decided.entry_id in right else "wrong"
    keys = [str(decided.phrasing_key), *(key for _, key in decided.more_replies)]
    answered = tuple(key.removeprefix("answer:") for key in keys if key.startswith("answer:"))
    if any(key.startswith("person:") for key in keys):
        return "one_and_person" if set(answered) <= set(right) else "wrong_and_person"
    return "both" if answered == right else "wrong_in_pair"


async def run(args: argparse.Namespace, config: Config) -> dict[str, object]:
    brand = config.brands[args.brand or next(iter(config.brands))]
    policy = brand.policy
    base = load_argument_base(brand.argument_base, policy.languages)
    analyzer = BatchingAnalyzer(TextAnalyzer.load(shared_encoder(None if config.encoder == "bundled" else
                                                                 config.encoder)))
    examples = examples_of(base)
    rng = random.Random(args.seed)
    counts: dict[str, dict[str, Counter[str]]] = {}
    for fold_ids in folds_of(examples, args.folds, args.seed):
        part = without(base, examples, set(fold_ids))
        matchers = await build_matchers(part, analyzer, policy, cache=False)
        words = words_of(part)
        messages: list[tuple[str, str, str, tuple[str, str]]] = []  # style, language, text, right entries
        for i, j in pairs_of(examples, fold_ids, rng):
            (first, language, text), (second, _, other) = examples[i], examples[j]
            for style, message in joined(text, other, language).items():
                messages.append((style, language, message, (first, second)))
        whole = read_typed(dict(enumerate(m[2] for m in messages)), words, analyzer.analyzer)
        splits = [question_parts(m[2]) for m in messages]
        flat = [(k, p) for k, parts in enumerate(splits) if len(parts) > 1 for p in parts]
        read_parts = read_typed(dict(enumerate(p for _, p in flat)), words, analyzer.analyzer)
        by_message: dict[int, list[Reading]] = {}
        for n, (k, _) in enumerate(flat):
            by_message.setdefault(k, []).append(read_parts[n])
        for k, (style, language, _, right) in enumerate(messages):
            as_whole = picked(part, matchers, policy, whole[k], language)
            parts = [picked(part, matchers, policy, r, language) for r in by_message[k]] if k in by_message else None
            figures = counts.setdefault(style, {"whole": Counter(), "split": Counter()})
            figures["whole"][outcome(as_whole, None, right)] += 1
            figures["split"][outcome(as_whole, parts, right)] += 1
    return {"brand": brand.name, "folds": args.folds, "seed": args.seed,
            "styles": {style: {"n": sum(f["whole"].values()),
                               **{read: {k: round(v / sum(c.values()), 4) for k, v in sorted(c.items())}
                                  for read, c in f.items()}}
                       for style, f in counts.items()}}


def main(argv: Sequence[str] | None = None) -> int:
    args, config = parsed_brand_folds(brand_folds_parser("python -m benchmarks.question_pairs",
                                                         __doc__.splitlines()[0]), argv)
    result = asyncio.run(run(args, config))
    styles = result["styles"]
    assert isinstance(styles, dict)
    for style, figures in styles.items():
        for read in ("whole", "split"):
            shares = figures[read]
            print(f"{style} ({figures['n']} messages), read {read}: both answered right {shares.get('both', 0):.1%}, "
                  f"two answers with a wrong one {shares.get('wrong_in_pair', 0):.1%}; one answered right and a "
                  f"person for the other {shares.get('one_and_person', 0):.1%}, a wrong answer and a person "
                  f"{shares.get('wrong_and_person', 0):.1%}; one right answer alone {shares.get('one', 0):.1%}, a "
                  f"wrong one {shares.get('wrong', 0):.1%}; a person {shares.get('person', 0):.1%}")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
