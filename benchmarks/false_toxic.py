"""Benchmark: how often the toxicity head flags ordinary texts, per language.

The head learnt from Russian comments only. This scores texts that were written and labelled for other things
(requests to an assistant, product reviews, tweets) and are ordinary by far the most part, from ../shared/datasets:
the share the head scores at or above the hiding threshold is, near enough, its false-alarm rate in that
language (a few are really abusive, so it is an upper bound). Printed twice: the head's own score, and as the bot
takes it (`TextAnalyzer.analyze`: in a language the head was not trained on, a text's score counts only where a
built-in obscenity or insult backs it).

Run: `python -m benchmarks.false_toxic [--threshold 0.8] [--per-set 1000] [--data-dir DIR]`.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from models.analyzer import TextAnalyzer
from models.training_data import DataError, default_data_dir


def _clinc(root: Path) -> list[str]:
    data = json.loads((root / "clinc150_oos" / "data_full.json").read_text(encoding="utf-8"))
    return [text for text, _ in data["train"]]


def _tweeteval(root: Path) -> list[str]:
    return (root / "tweeteval_sentiment_en" / "val_text.txt").read_text(encoding="utf-8").splitlines()


def _hepsiburada(root: Path) -> list[str]:
    with (root / "tr_hepsiburada_reviews" / "train.csv").open(encoding="utf-8") as handle:
        return [row[1] for row in csv.reader(handle) if len(row) > 1]


def _fsmtsad(root: Path) -> list[str]:
    with (root / "fsmtsad_tr" / "fsmtsa.csv").open(encoding="utf-8") as handle:
        return [row["Sentence"] for row in csv.DictReader(handle)]


def _intents_ru(root: Path) -> list[str]:
    with (root / "encodechka_train" / "intents_train.csv").open(encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


SETS: dict[str, tuple[str, Callable[[Path], list[str]]]] = {
    "clinc150_train": ("en", _clinc),  # crowd-written requests to an assistant
    "tweeteval_val": ("en", _tweeteval),  # tweets, labelled for sentiment
    "hepsiburada": ("tr", _hepsiburada),  # product reviews
    "fsmtsad": ("tr", _fsmtsad),  # tweets and reviews, labelled for sentiment
    "intents_train": ("ru", _intents_ru),  # requests to an assistant (machine-translated)
}


def measure(analyzer: TextAnalyzer, texts: Sequence[str], threshold: float) -> dict[str, float]:
    head = analyzer.analyze_arrays(texts).probs["toxicity"][:, 1]
    taken = np.array([f.toxicity if f.toxicity is not None else 0.0 for f in analyzer.analyze(texts)])
    return {"head_flagged": round(float(np.mean(head >= threshold)), 4),
            "bot_flagged": round(float(np.mean(taken >= threshold)), 4)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.false_toxic", description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.8, help="the brand's `thresholds.toxic`")
    parser.add_argument("--per-set", type=int, default=1000, help="texts drawn (seeded) from each set")
    parser.add_argument("--data-dir", type=Path, default=None, help="default: ../shared/datasets")
    args = parser.parse_args(argv)
    root = args.data_dir or default_data_dir()
    analyzer = TextAnalyzer.load(require_heads=True)
    results = []
    for name, (language, read) in SETS.items():
        try:
            texts = [t for t in read(root) if t.strip()]
        except FileNotFoundError as exc:
            print(f"error: {DataError(f'dataset file not found: {exc.filename} (set --data-dir)')}", file=sys.stderr)
            return 2
        random.Random(0).shuffle(texts)
        texts = texts[: args.per_set]
        row = {"set": name, "language": language, "n": len(texts), **measure(analyzer, texts, args.threshold)}
        print(f"{name:16s} {language}  n={row['n']:5d}  flagged at {args.threshold}: head {row['head_flagged']:.2%},"
              f" as the bot takes it {row['bot_flagged']:.2%}", flush=True)
        results.append(row)
    print(json.dumps({"threshold": args.threshold, "sets": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
