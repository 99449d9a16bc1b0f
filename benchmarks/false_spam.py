"""Benchmark: how often customers' own texts are taken for spam or for someone posing as the brand's support.

`handlers.spam` has no labelled data to learn from: its lists are rules. This runs them over texts from
../shared/datasets that customers and ordinary people wrote (tweets about banks and telecoms, tweets, reviews,
requests to an assistant, and customers' tweets to brands' support), where a flag is, near enough, a false alarm:
the share flagged is an upper bound of the rate at which real customers' comments would be hidden (some tweets
are adverts: those flags are right). And, for contrast, the brands' own support replies in the same threads
(`twcs_brands`), which speak as the company ("Please DM us") and are what an impersonator writes. Each set is read
twice: every text as a comment of its own, and as a reply to another customer's comment (where speaking as the
company is enough for an impersonation, as scammers answer complaints). Each set's flagged texts are printed
with `--show N`, to read.

Run: `python -m benchmarks.false_spam [--show 5] [--data-dir DIR]`.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.false_toxic import SETS as OTHER_SETS
from handlers.spam import SpamKind, spam_kind
from models.training_data import DataError, default_data_dir


def _tsv_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle, delimiter="\t")]


def _sentirueval(root: Path) -> list[str]:
    folder = root / "sentirueval2015_banks_telecom" / "derived_tsv"
    return _tsv_texts(folder / "banks_train.tsv") + _tsv_texts(folder / "telecoms_train.tsv")


def _rusentitweet(root: Path) -> list[str]:
    with (root / "rusentitweet" / "rusentitweet_train.csv").open(encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def _twcs(root: Path, inbound: bool) -> list[str]:
    with (root / "twcs_sample_unlabelled" / "sample.csv").open(encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle) if (row["inbound"] == "True") == inbound]


SETS: dict[str, Callable[[Path], list[str]]] = {
    "sentirueval2015_train": _sentirueval,  # ru tweets naming banks and telecoms (customers', the news', adverts)
    "rusentitweet_train": _rusentitweet,  # ru tweets
    **{name: read for name, (_, read) in OTHER_SETS.items()},
    "twcs_customers": lambda root: _twcs(root, True),  # en customers' tweets to brands' support
}
CONTRAST = {"twcs_brands": lambda root: _twcs(root, False)}  # en: the brands' support answering them


def measure(texts: Sequence[str], answers_customer: bool = False) -> tuple[dict[str, float], list[tuple[str, str]]]:
    """The share of `texts` flagged, each read as a comment of its own or (`answers_customer`) as a reply to another
    customer's comment, where company speech is enough for an impersonation."""
    flagged = [(kind, text) for text in texts if (kind := spam_kind(text, answers_customer=answers_customer))]
    counts = {k.value: sum(1 for kind, _ in flagged if kind is k) for k in SpamKind}
    figures = {"texts": len(texts), **counts, "flagged_share": round(len(flagged) / max(1, len(texts)), 4)}
    return figures, [(kind.value, text) for kind, text in flagged]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.false_spam", description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=5, help="flagged texts printed per set")
    parser.add_argument("--data-dir", type=Path, default=None, help="default: ../shared/datasets")
    args = parser.parse_args(argv)
    root = args.data_dir or default_data_dir()
    results = []
    for name, read in {**SETS, **CONTRAST}.items():
        try:
            texts = [t for t in read(root) if t.strip()]
        except (OSError, KeyError, DataError) as exc:
            print(f"{name}: skipped ({exc})", file=sys.stderr)
            continue
        for answering in (False, True):
            figures, flagged = measure(texts, answering)
            results.append({"set": name, "as": "reply" if answering else "comment", **figures})
            print(f"{name}, {'each a reply to a customer' if answering else 'each a comment'}: {figures}")
            for kind, text in flagged[: args.show]:
                print(f"  [{kind}] {' '.join(text.split())[:160]}")
    print(json.dumps(results, ensure_ascii=False))
    return 0 if results else 1


if __name__ == "__main__":
    sys.exit(main())
