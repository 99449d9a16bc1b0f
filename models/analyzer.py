"""One encoder forward pass per message, feeding every head; batched across concurrent callers."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from models.encoder import Encoder


@dataclass(frozen=True)
class TextFeatures:
    embedding: np.ndarray  # L2-normalised sentence embedding
    sentiment: dict[str, float] = field(default_factory=dict)  # negative / neutral / positive
    toxicity: float | None = None  # probability of toxic


class TextAnalyzer:
    """The encoder plus the shipped heads (sentiment, toxicity) when they are available."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder

    def analyze(self, texts: Sequence[str]) -> list[TextFeatures]:
        vectors = self.encoder.embed(texts)
        return [TextFeatures(v) for v in vectors]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.encoder.embed(texts)


class BatchingAnalyzer:
    """Collects concurrent requests into batches and runs them off the event loop.

    While one batch runs in the worker thread, new requests queue up and form the next batch,
    so throughput grows with load while a lone message still goes through alone.
    """

    def __init__(self, analyzer: TextAnalyzer, max_batch: int = 32) -> None:
        self.analyzer = analyzer
        self.max_batch = max_batch
        self._queue: asyncio.Queue[tuple[str, asyncio.Future[TextFeatures]]] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="encoder")

    async def analyze(self, text: str) -> TextFeatures:
        if self._queue is None:
            self._queue = asyncio.Queue()
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._run(self._queue))
        future: asyncio.Future[TextFeatures] = asyncio.get_running_loop().create_future()
        await self._queue.put((text, future))
        return await future

    async def embed(self, texts: Sequence[str]) -> np.ndarray:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.analyzer.embed, list(texts))

    async def _run(self, queue: asyncio.Queue[tuple[str, asyncio.Future[TextFeatures]]]) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await queue.get()]
            while len(batch) < self.max_batch and not queue.empty():
                batch.append(queue.get_nowait())
            texts = [t for t, _ in batch]
            try:
                results = await loop.run_in_executor(self._executor, self.analyzer.analyze, texts)
            except Exception as exc:  # every waiter learns about the failure
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc)
                continue
            for (_, fut), res in zip(batch, results, strict=True):
                if not fut.done():
                    fut.set_result(res)

    async def close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass
        self._executor.shutdown(wait=False)
