"""Benchmark: how often surges on a word (handlers.surge.new_topic) begin on a real stream of complaints.

The stream: the negative tweets of SentiRuEval-2015's telecom training set (../shared/datasets), about Russian
mobile operators, in the order and at the times they were written (two weeks of 2014), each from another customer
and about no entry (a brand with an empty argument base: the most a stream can give). The operators' names are left
out as a brand's own name would be. Each tweet goes through the real storage (a SQLite file) as the pipeline stores
an unhappy message, and `SurgeStore.note_unhappy_words` tells whether a surge begins or is announced. `--speed N`
squeezes the times N-fold: a brand N times as busy.

Printed: the surges begun, per day, and each one's word, customers and first messages, for a person to judge which
are real events and which are noise; the last line is one JSON object with the figures.

Run: `python -m benchmarks.word_surges [--speed 1] [--customers 5] [--window 30] [--data-dir DIR]`.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.storage import Storage
from handlers.router import UNHAPPY
from handlers.surge import SurgePolicy
from handlers.surge_words import name_stems, subject_words
from handlers.types import Action, Decision, IncomingMessage, Platform
from models.training_data import DataError, default_data_dir

BRAND = "telecom"
OPERATORS = ("билайн", "beeline", "мтс", "mts", "мегафон", "megafon", "теле2", "tele2", "ростелеком", "rostelecom",
             "комстар", "скайлинк")


def negative_tweets(root: Path) -> list[tuple[datetime, str]]:
    path = root / "sentirueval2015_banks_telecom" / "derived_tsv" / "telecoms_train.tsv"
    if not path.is_file():
        raise DataError(f"{path}: not found (see ../shared/datasets/README.md)")
    with path.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["tweet_label"] == "negative"]
    return sorted((datetime.fromtimestamp(int(row["date"]), UTC), row["text"]) for row in rows)


async def run(tweets: Sequence[tuple[datetime, str]], policy: SurgePolicy,
              speed: float) -> tuple[dict[str, object], list[dict[str, Any]]]:
    """(figures, the surges begun with their first messages)."""
    leave_out = name_stems(*OPERATORS)
    start = tweets[0][0]
    with tempfile.TemporaryDirectory() as tmp:
        storage = await Storage.open(Path(tmp) / "bench.sqlite3")
        try:
            announced = 0
            for i, (written, text) in enumerate(tweets):
                at = start + (written - start) / speed
                msg = IncomingMessage(Platform.LOCAL, BRAND, f"chat{i}", str(i), f"customer{i}", text, sent_at=at)
                stored = await storage.store_incoming(msg)
                assert stored is not None
                message_id, conversation = stored
                words = subject_words(text, "ru", leave_out)
                decision = Decision(Action.IGNORE, "benchmark", "ru", scores={"sentiment_negative": 1.0})
                await storage.record_decision(message_id, conversation, decision, [], lambda now: now, msg,
                                              words=words)
                if await storage.note_unhappy_words(BRAND, words, at, policy, UNHAPPY) is not None:
                    announced += 1
            surges = await storage.surges(BRAND, start - timedelta(days=1))
            for surge in surges:
                rows = await storage.fetch(
                    "SELECT text FROM messages WHERE brand = ? AND sent_at >= ? AND words LIKE ? ORDER BY sent_at"
                    " LIMIT 3", (BRAND, surge["since"], f"% {(await _stem(storage, surge['surge']))} %"))
                surge["first"] = [str(row[0])[:100] for row in rows]
        finally:
            await storage.close()
    days = max((tweets[-1][0] - start) / speed / timedelta(days=1), 1 / 24)
    figures: dict[str, object] = {
        "messages": len(tweets), "days": round(days, 2), "speed": speed, "surges": len(surges),
        "surges_per_day": round(len(surges) / days, 2), "alerts": announced,
        "words": sorted(((s["word"], s["customers"]) for s in surges), key=lambda w: -w[1])}
    return figures, surges


async def _stem(storage: Storage, surge_id: int) -> str:
    [(stem,)] = await storage.fetch("SELECT word_stem FROM surges WHERE id = ?", (surge_id,))
    return str(stem)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.word_surges", description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=1.0, help="times squeezed this many-fold (a busier brand)")
    parser.add_argument("--customers", type=int, default=SurgePolicy.customers)
    parser.add_argument("--window", type=int, default=SurgePolicy.window_minutes, help="minutes")
    parser.add_argument("--data-dir", type=Path, default=None, help="default: ../shared/datasets")
    args = parser.parse_args(argv)
    try:
        tweets = negative_tweets(args.data_dir or default_data_dir())
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    figures, surges = asyncio.run(run(tweets, SurgePolicy(args.customers, args.window), args.speed))
    for surge in surges:
        print(f"{surge['since'][:16]}  «{surge['word']}»  {surge['customers']} customers")
        for text in surge["first"]:
            print(f"    {text}")
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
