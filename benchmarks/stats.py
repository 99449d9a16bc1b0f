"""Benchmark: `smm-responder stats` on a year of an agency's messages.

Fills a temporary SQLite file (the bot's own schema) with `--messages` customer messages spread over a
year across `--brands` brands, with sentiment scores and a handoff per twentieth message, then prints how
long every brand's 7-day figures take to read, the slowest brand and the file size.
Run: `python -m benchmarks.stats [--messages 2400000] [--brands 12]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot.stats import brand_stats
from bot.storage import Storage
from handlers.types import utcnow

BATCH = 100_000


def fill(path: Path, messages: int, brands: list[str], seed: int = 0) -> None:
    """Customer messages over the last year, a conversation per brand, a handoff per 20th message."""
    rng = random.Random(seed)
    now = utcnow()
    db = sqlite3.connect(path)
    try:
        for i, brand in enumerate(brands, start=1):
            db.execute("INSERT INTO conversations (id, brand, platform, customer_id, created_at, updated_at)"
                       " VALUES (?, ?, 'vk', 'customer', ?, ?)", (i, brand, now.isoformat(), now.isoformat()))
        rows, handoffs = [], []
        for n in range(messages):
            at = now - timedelta(minutes=rng.random() * 365 * 24 * 60)
            scores = {"sentiment_positive": round(rng.random(), 4), "sentiment_negative": round(rng.random(), 4)}
            k = n % len(brands)
            rows.append((n + 1, k + 1, brands[k], str(n), at.isoformat(), json.dumps(scores), n % 7 == 0))
            if n % 20 == 0:
                handoffs.append((k + 1, brands[k], n + 1, at.isoformat(),
                                 (at + timedelta(hours=1)).isoformat(), (at + timedelta(minutes=40)).isoformat()))
            if len(rows) == BATCH or n == messages - 1:
                db.executemany(
                    "INSERT INTO messages (id, conversation_id, brand, platform, direction, author, chat_id,"
                    " platform_message_id, text, sent_at, status, action, scores, is_public)"
                    " VALUES (?, ?, ?, 'vk', 'in', 'customer', 'chat', ?, 'text', ?, 'processed', 'answer', ?, ?)",
                    rows)
                db.executemany(
                    "INSERT INTO handoffs (conversation_id, brand, reason, message_id, created_at, deadline_at,"
                    " first_reply_at, closed_at, outcome) VALUES (?, ?, 'strong_negative', ?, ?, ?, ?, ?, 'resolve')",
                    [(*h, h[-1]) for h in handoffs])
                rows, handoffs = [], []
        db.commit()
    finally:
        db.close()


async def measure(path: Path, brands: list[str]) -> dict[str, float]:
    storage = await Storage.open(path)
    try:
        per_brand = []
        started = time.perf_counter()
        for brand in brands:
            t = time.perf_counter()
            await brand_stats(storage, brand, 7)
            per_brand.append(time.perf_counter() - t)
        total = time.perf_counter() - started
    finally:
        await storage.close()
    return {"all_brands_s": round(total, 3), "slowest_brand_s": round(max(per_brand), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2_400_000)
    parser.add_argument("--brands", type=int, default=12)
    args = parser.parse_args()
    brands = [f"brand{i}" for i in range(args.brands)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stats.sqlite3"
        asyncio.run(create_schema(path))
        started = time.perf_counter()
        fill(path, args.messages, brands)
        filled = time.perf_counter() - started
        result = {"messages": args.messages, "brands": args.brands, "fill_s": round(filled, 1),
                  **asyncio.run(measure(path, brands)), "file_mb": round(path.stat().st_size / 2**20, 1)}
    print(f"{result['messages']} messages of {result['brands']} brands ({result['file_mb']} MB):"
          f" stats of every brand in {result['all_brands_s']} s, slowest brand {result['slowest_brand_s']} s")
    print(json.dumps(result))


async def create_schema(path: Path) -> None:
    """The bot's schema, every migration applied."""
    await (await Storage.open(path)).close()


if __name__ == "__main__":
    main()
