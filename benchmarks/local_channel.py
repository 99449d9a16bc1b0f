"""Benchmark: 1,000 mixed ru/tr/en messages through the local channel's pipeline.

Prints messages decided per second under load (all messages submitted at once by distinct
customers), p50/p99 decision latency for messages arriving one at a time, and peak RSS.
Run: `make bench` (or `python -m benchmarks.local_channel --messages 1000`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from bot.app import App
from bot.config import EMBEDDED_CONFIG, load_config
from bot.local_channel import LocalSender
from handlers.types import IncomingMessage, Platform

TEMPLATES = [
    "здравствуйте, где моя заявка на подключение? номер {n}",
    "сколько стоит тариф с телевидением?",
    "у меня уже {n} часа нет интернета!!",
    "как оплатить картой через приложение",
    "почему такая низкая скорость вечером",
    "спасибо большое за помощь",
    "хочу расторгнуть договор, что для этого нужно",
    "не работает тв приставка, каналы не показывают",
    "merhaba, başvurum ne durumda? {n} gündür bekliyorum",
    "internet hızım çok düşük",
    "faturamı nasıl öderim",
    "modemin şifresini nasıl değiştiririm",
    "hi, my internet has been down for {n} hours",
    "what are your prices?",
    "I'm moving next month, can I keep my contract?",
    "thank you so much!",
]


def _messages(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(TEMPLATES).format(n=rng.randint(2, 9)) for _ in range(count)]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _bench(count: int, latency_count: int) -> dict[str, float]:
    config = load_config(EMBEDDED_CONFIG)
    with tempfile.TemporaryDirectory() as tmp:
        app = await App.start(config, storage_path=Path(tmp) / "bench.sqlite3", seed=1,
                              senders={Platform.LOCAL: LocalSender()})
        try:
            texts = _messages(count, 1)
            # Warm-up: first-call costs (allocations, caches) are not what we measure.
            for i, text in enumerate(texts[:20]):
                await app.pipeline.handle(IncomingMessage(Platform.LOCAL, "volna", "w", f"w{i}", f"w{i}", text))

            start = time.perf_counter()
            futures = [
                await app.pipeline.submit(IncomingMessage(Platform.LOCAL, "volna", f"c{i}", f"m{i}", f"c{i}", t))
                for i, t in enumerate(texts)
            ]
            await asyncio.gather(*[f for f in futures if f is not None])
            elapsed = time.perf_counter() - start

            latencies = []
            for i, text in enumerate(_messages(latency_count, 2)):
                msg = IncomingMessage(Platform.LOCAL, "volna", "solo", f"s{i}", f"solo{i % 50}", text)
                t0 = time.perf_counter()
                await app.pipeline.handle(msg)
                latencies.append((time.perf_counter() - t0) * 1000)
            decided = await app.storage.count("messages", "direction = 'in' AND status = 'processed'")
        finally:
            await app.close()
    return {
        "messages": count,
        "decided_total": decided,
        "messages_per_second": round(count / elapsed, 1),
        "seconds": round(elapsed, 2),
        "latency_p50_ms": round(statistics.median(latencies), 2),
        "latency_p99_ms": round(_percentile(latencies, 0.99), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--latency-messages", type=int, default=300)
    args = parser.parse_args()
    result = asyncio.run(_bench(args.messages, args.latency_messages))
    print(f"{result['messages']} messages decided in {result['seconds']} s: {result['messages_per_second']} msg/s")
    print(f"decision latency (one at a time): p50 {result['latency_p50_ms']} ms, p99 {result['latency_p99_ms']} ms")
    print(f"peak RSS {result['peak_rss_mb']} MB")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
