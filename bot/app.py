"""Wiring: configuration -> storage, encoder, brands, pipeline, outbox, platform adapters."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from bot.config import Config
from bot.outbox import OutboxDispatcher, Sender
from bot.pipeline import BrandRuntime, Pipeline
from bot.storage import Storage
from handlers.types import Platform
from models.analyzer import BatchingAnalyzer, TextAnalyzer
from models.encoder import shared_encoder

log = logging.getLogger(__name__)


@dataclass
class App:
    config: Config
    storage: Storage
    analyzer: BatchingAnalyzer
    pipeline: Pipeline
    outbox: OutboxDispatcher

    @classmethod
    async def start(
        cls, config: Config, *, storage_path: Path | None = None, seed: int | None = None,
        senders: dict[Platform, Sender] | None = None,
    ) -> App:
        storage = await Storage.open(storage_path or config.storage_path)
        encoder = shared_encoder(None if config.encoder == "bundled" else config.encoder)
        analyzer = BatchingAnalyzer(TextAnalyzer.load(encoder))
        brands = {name: await BrandRuntime.load(b, analyzer) for name, b in config.brands.items()}
        pipeline = Pipeline(storage, analyzer, brands, seed=seed)
        outbox = OutboxDispatcher(storage, dict(senders or {}))

        async def wake_outbox(_outcome: object) -> None:
            outbox.wake()

        pipeline.listeners.append(wake_outbox)
        return cls(config, storage, analyzer, pipeline, outbox)

    async def close(self) -> None:
        await self.pipeline.drain()
        await self.analyzer.close()
        await self.storage.close()
