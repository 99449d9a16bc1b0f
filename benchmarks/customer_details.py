"""Benchmark: how often ordinary texts are read as a customer's details, and how long the reading takes.

`handlers.customer_details` is rules, with no labelled data to learn from. This runs them over the texts of
`benchmarks.false_spam` (tweets, reviews, requests to an assistant, customers' tweets to brands' support), where a
text read as details alone (a handoff with "thanks, we've got your details") is, near enough, a false alarm, and
a detail inside a longer text matters only where the entry it comes near asks for such details. Flagged texts are
printed with `--show N`, to read. Then the time to read long adversarial texts (runs of letters, digits, "@"): the
router reads every message on the event loop, so no input may take long.

Run: `python -m benchmarks.customer_details [--show 5] [--data-dir DIR]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.false_spam import SETS
from handlers.customer_details import read_details
from models.training_data import DataError, default_data_dir

ADVERSARIAL = {  # as long as a message the bot reads (max_message_chars)
    "letters": "a" * 4000, "digits": "1" * 4000, "letters_then_at": "a" * 3000 + "@" + "b." * 400,
    "at_signs": "a@" * 2000, "dots": "a." * 2000, "street_words": "ул " * 1300,
    "details_repeated": "ул. Ленина 5 кв 12 +7 912 345-67-89 ivan@mail.ru " * 80,
}


def measure(texts: Sequence[str]) -> tuple[dict[str, float], list[str]]:
    """The share of `texts` with any detail and read as details alone, and those read so."""
    read = [(t, read_details(t)) for t in texts]
    found = [t for t, details in read if details.found]
    alone = [t for t, details in read if details.alone]
    n = max(1, len(texts))
    return {"texts": len(texts), "with_details": round(len(found) / n, 4), "details_alone": round(len(alone) / n, 4),
            "details_alone_count": len(alone)}, alone


def slowest_ms(text: str, repeat: int = 3) -> float:
    """The longest of `repeat` readings of one text as the router and the pipeline read it, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        read_details(text)
        times.append((time.perf_counter() - start) * 1000)
    return round(max(times), 2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.customer_details",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=5, help="texts read as details alone printed per set")
    parser.add_argument("--data-dir", type=Path, default=None, help="default: ../shared/datasets")
    args = parser.parse_args(argv)
    root = args.data_dir or default_data_dir()
    results: dict[str, object] = {}
    for name, read in SETS.items():
        try:
            texts = [t for t in read(root) if t.strip()]
        except (OSError, KeyError, DataError) as exc:
            print(f"{name}: skipped ({exc})", file=sys.stderr)
            continue
        figures, alone = measure(texts)
        results[name] = figures
        print(f"{name}: {figures}")
        for text in alone[: args.show]:
            print(f"  {' '.join(text.split())[:160]}")
    timing = {name: slowest_ms(text) for name, text in ADVERSARIAL.items()}
    print(f"reading 3,900-4,000 characters, slowest of 3 (ms): {timing}")
    print(json.dumps({"sets": results, "adversarial_ms": timing}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
