"""Wiring Telegram into a running App: a bot per brand, the forum desk listener, the outbox sender."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from functools import partial

import numpy as np
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer

from bot.app import App
from bot.config import AgencySettings, BrandConfig
from bot.report import Period, brand_report
from bot.telegram.adapter import TelegramAdapter
from bot.telegram.agency import AgencyOverview, watch_agency
from bot.telegram.chat_rights import check_forum
from bot.telegram.forum import ForumDesk, NotifyingSender
from bot.telegram.forum_chat import ForumChat
from bot.telegram.limits import Limits, RateLimiter
from bot.telegram.sender import TelegramSender
from bot.telegram.webhooks import WebhookServers
from handlers.surge_words import name_stems
from handlers.types import Platform

log = logging.getLogger(__name__)

RECOVERY_SECONDS = 60.0
RECOVERY_MIN_AGE = 30.0
DRAIN_SECONDS = 10.0  # at stop, how long messages under way may take to finish


class TelegramRuntime:
    """Everything Telegram in one process; `stop()` leaves nothing half-sent."""

    def __init__(self, app: App, *, limits: Limits | None = None, poll_timeout: int = 25) -> None:
        self.app = app
        self.limits = limits
        self.poll_timeout = poll_timeout
        self.sender = TelegramSender(app.storage)
        self.adapters: dict[str, TelegramAdapter] = {}
        self.desks: dict[str, ForumDesk] = {}
        self.webhooks = WebhookServers()  # brands on the same host and port share one server
        self._tasks: list[asyncio.Task[None]] = []

    async def embeddings(self, texts: Sequence[str]) -> np.ndarray:
        """The encoder's sentence embeddings of texts, off the event loop (the forum's drafts, bot.review)."""
        embedded, _ = await self.app.pipeline.analyzer.vectors(texts)
        return embedded

    async def start_brand(self, brand: BrandConfig) -> TelegramAdapter:
        """Connect a brand's bot (its token from the environment) and start receiving updates."""
        settings = brand.telegram
        token = settings.token() if settings else None
        if settings is None or not token:
            raise ValueError(f"brand {brand.name!r} has no Telegram token")
        api = TelegramAPIServer.from_base(settings.api_server) if settings.api_server else PRODUCTION
        bot = Bot(token, session=AiohttpSession(api=api))
        limiter = RateLimiter(self.limits)
        forum = None
        if settings.moderator_chat is not None:
            pipeline, name, storage = self.app.pipeline, brand.name, self.app.storage
            forum = ForumDesk(bot, storage, self.app.outbox, brand.name, settings.moderator_chat, limiter,
                              brand.policy.default_language, lambda: pipeline.argument_base(name),
                              brand.policy.timezone, name_stems(brand.name, brand.display_name),
                              settings.daily_summary, brand.policy.support_hours, brand.policy.reply_deadline,
                              partial(self.client_report, brand) if settings.monthly_report else None,
                              settings.company_chat, brand.display_name, self.embeddings,
                              partial(pipeline.relevance_to, name), pipeline.resume)
            self.desks[brand.name] = forum
            self.app.pipeline.listeners.append(forum.on_outcome)
            self.app.rating_listeners.append(forum.on_rating)
            self.app.due_soon_listeners.append(forum.on_due_soon)
            self.app.overdue_listeners.append(forum.on_overdue)
            self.app.outside_reply_listeners.append(forum.on_outside_reply)
            self.app.deleted_listeners.append(forum.on_deleted)
            self.app.edited_listeners.append(forum.on_edited)
            self.app.restored_listeners.append(forum.on_restored)
            self.app.withdrawn_listeners.append(forum.on_withdrawn)
            self.app.reachable_listeners.append(forum.on_reachable)
            self.app.reaction_listeners.append(forum.on_reaction)
            self.app.hand_back_listeners.append(forum.on_handed_back)
            self.app.found_listeners.append(forum.on_found)
        adapter = TelegramAdapter(self.app, brand, bot, limiter, forum, poll_timeout=self.poll_timeout,
                                  webhooks=self.webhooks)
        await adapter.prepare()
        if forum is not None:
            await check_forum(bot, brand.name, forum.chat_id)
        self.sender.add_brand(brand.name, bot, limiter)
        self.app.outbox.senders[Platform.TELEGRAM] = self.sender
        self.adapters[brand.name] = adapter
        self.app.reach_probes[(Platform.TELEGRAM, brand.name)] = adapter.reach
        self._tasks.append(asyncio.create_task(adapter.run(), name=f"telegram-{brand.name}"))
        if forum is not None:
            self._tasks.append(asyncio.create_task(self._recover(forum), name=f"forum-{brand.name}"))
        return adapter

    async def client_report(self, brand: BrandConfig, period: Period) -> str:
        """A brand's report of a period for its client (bot.report), in its language, read with its current base."""
        return await brand_report(self.app.storage, brand, period, brand.policy.default_language,
                                  self.app.pipeline.argument_base(brand.name))

    def start_agency(self, agency: AgencySettings) -> None:
        """Post every brand's overview into the agency's chat daily, with the bot of brand `via_brand` (started)."""
        adapter = self.adapters.get(agency.via_brand)
        if adapter is None:
            log.error("agency: brand %s's Telegram bot is not running (no token?): no overview in chat %s",
                      agency.via_brand, agency.chat)
            return
        chat = ForumChat(adapter.bot, agency.chat, adapter.limiter, agency.language, agency.timezone)
        digest = AgencyOverview(chat, self.app.storage, list(self.app.config.brands.values()), agency.overview_at,
                                self.client_report if agency.monthly_reports else None)
        self._tasks.append(asyncio.create_task(watch_agency(digest), name="agency-overview"))

    async def _recover(self, forum: ForumDesk) -> None:
        """Now and then open missing topics and post missed mirrors (what failed on Telegram is retried)."""
        min_age = 0.0
        while True:
            try:
                opened = await forum.recover(min_age)
            except Exception:
                log.exception("brand %s: forum recovery failed", forum.brand)
            else:
                if opened:
                    log.info("brand %s: opened or caught up %d forum topics", forum.brand, opened)
            min_age = RECOVERY_MIN_AGE
            await asyncio.sleep(RECOVERY_SECONDS)

    def wrap_senders(self) -> None:
        """Every platform's undeliverable replies are reported in the forum topics (call once, after all
        platforms registered their senders)."""
        for platform, sender in list(self.app.outbox.senders.items()):
            if not isinstance(sender, NotifyingSender):
                self.app.outbox.senders[platform] = NotifyingSender(sender, self.desks)

    async def run(self) -> object:
        """Wait for the adapters (they run until stopped or a fatal error)."""
        if self._tasks:
            await asyncio.gather(*self._tasks)
        return None

    async def stop(self) -> None:
        for adapter in self.adapters.values():
            adapter.stop()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        # messages under way finish while Telegram is still open: their forum cards go out now, not through
        # a session reopened after the close below
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.app.pipeline.drain(), DRAIN_SECONDS)
        await self.sender.drain()
        for adapter in self.adapters.values():
            await adapter.bot.session.close()
