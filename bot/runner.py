"""`smm-responder run`: every configured platform adapter, or the local channel when none has a token."""

from __future__ import annotations

import asyncio
import logging
import random
import sys
from typing import TYPE_CHECKING

from bot.app import App
from bot.backup import watch_backups
from bot.local_channel import LocalSender, run_chat
from bot.overdue import watch_overdue
from bot.reach import watch_reach
from bot.vk.monitor import start_monitors
from bot.vk.service import start_vk

if TYPE_CHECKING:
    from bot.telegram.runtime import TelegramRuntime

log = logging.getLogger(__name__)


async def run_platforms(app: App, local: LocalSender) -> int:
    watchers = [asyncio.create_task(watch_overdue(app, random.Random())), asyncio.create_task(watch_reach(app))]
    if app.config.backups is not None:
        watchers.append(asyncio.create_task(watch_backups(app.storage.path, app.config.backups)))
    try:
        return await _run(app, local, watchers)
    finally:
        await _cancel(watchers)


async def _cancel(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def _run(app: App, local: LocalSender, watchers: list[asyncio.Task[None]]) -> int:
    tasks: list[asyncio.Task[object]] = []
    telegram: TelegramRuntime | None = None
    for brand in app.config.brands.values():
        if brand.telegram and brand.telegram.token():
            log.info("brand %s: Telegram configured", brand.name)
            if telegram is None:  # aiogram takes about 4 s and 170 MB to import: only when a brand uses it
                from bot.telegram.runtime import TelegramRuntime

                telegram = TelegramRuntime(app)
            await telegram.start_brand(brand)
        if brand.vk and brand.vk.token():
            log.info("brand %s: VK configured", brand.name)
    if app.config.agency is not None:  # every brand at a glance in the agency's chat, with one brand's bot
        if telegram is not None:
            telegram.start_agency(app.config.agency)
        else:
            log.error("agency: brand %s's Telegram bot is not running (no token?): no overview in chat %s",
                      app.config.agency.via_brand, app.config.agency.chat)
    if telegram is not None and telegram.adapters:
        tasks.append(asyncio.create_task(telegram.run()))
    tasks.extend(await start_vk(app))  # checks every VK token (error 5 stops start-up), registers the VK sender
    tasks.extend(await start_monitors(list(app.config.brands.values()), app.storage, app.analyzer,
                                      app.pipeline.brands, app.found_listeners))
    if not tasks:
        first = next(iter(app.config.brands))
        log.info("no platform tokens configured: local channel for brand %s", first)
        print(f"No platform tokens configured: talking to brand {first!r} on the local channel.", file=sys.stderr)
        return await run_chat(app, first, local, customer="local-customer", name="")
    if telegram is not None:
        telegram.wrap_senders()  # undeliverable replies of every platform are reported in the forum topics
    resume = asyncio.create_task(app.pipeline.resume())
    outbox = asyncio.create_task(app.outbox.run())
    try:
        await asyncio.gather(*tasks)
    finally:
        await _cancel(watchers)  # they call the platforms too (forum notices, reach): stopped first
        if telegram is not None:
            await telegram.stop()  # nothing half-sent: the delivery under way is recorded first
        resume.cancel()
        outbox.cancel()
    return 0
