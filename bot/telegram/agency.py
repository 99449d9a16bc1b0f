"""The agency's own Telegram chat: every brand at a glance (bot.overview), once a day.

An agency runs 10-12 brands, each with its own moderators' forum; its head reads none of them in the morning. With
`[agency]` set, one brand's bot posts `smm-responder overview` into the agency's chat each day at `overview_at` on
the agency's clock: the brands with customers past the promised time first, then by those waiting, surges, waves
left unanswered, scammers, unhappy posts found elsewhere and abuse left up, each with the last 24 hours' figures.
A day it could not post (Telegram refused, the bot was stopped) is posted at the next check that day. On each
month's first day every brand's report of the month before comes too (`report --month`, as pages), for the agency
to send its clients, with `monthly_reports` on (the default).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.config import BrandConfig
from bot.overview import overview, overview_line
from bot.report import Period, last_month
from bot.report_html import report_html
from bot.storage import Storage
from bot.telegram.convert import chunks
from bot.telegram.forum_chat import ForumChat
from handlers.types import utcnow

log = logging.getLogger(__name__)

CHECK_SECONDS = 60.0
MAX_RETRY_SECONDS = 3600.0
STATE_KEY = "agency:overview_shown"


class AgencyOverview:
    """The daily post of every brand's overview into the agency's chat."""

    def __init__(self, chat: ForumChat, storage: Storage, brands: list[BrandConfig], at: time,
                 report: Callable[[BrandConfig, Period], Awaitable[str]] | None = None) -> None:
        """`report`: a brand's client report of a period in Markdown (bot.report); with it, on each month's first
        day every brand's report of the month before comes too, as the page to send its client."""
        self.chat = chat
        self.storage = storage
        self.brands = brands
        self.at = at
        self.report = report

    async def post_if_due(self, now: datetime) -> int:
        """Once a day, once the agency's clock passes `at`: the overview; returns 1 when posted."""
        local = now.astimezone(self.chat.zone)
        if local.time() < self.at or await self.storage.get_state(STATE_KEY) == local.date().isoformat():
            return 0
        rows = await overview(self.storage, self.brands, now)
        text = "\n".join([self.chat.t("agency_overview", moment=self.chat.moment(now), brands=str(len(rows))),
                          *(overview_line(row, self.chat.language) for row in rows)])
        for part in chunks(text):  # a dozen brands' lines can pass Telegram's 4,096 characters
            await self.chat.send_general(part)
        await self.storage.set_state(STATE_KEY, local.date().isoformat())
        return 1

    async def post_reports_if_due(self, now: datetime) -> int:
        """From `at` on a month's first day (the agency's clock), each brand's report of its last calendar month
        (on the brand's clock) as an HTML page, once; none for a brand nobody wrote to that month. Returns how
        many were posted."""
        local = now.astimezone(self.chat.zone)
        if self.report is None or (local.day == 1 and local.time() < self.at):
            return 0
        posted = 0
        for brand in self.brands:
            period = last_month(now, ZoneInfo(brand.policy.timezone))
            key = f"agency:report_shown:{brand.name}"
            if await self.storage.get_state(key) == period.month:
                continue
            if await self.storage.mentioned_between(brand.name, period.since, period.until):
                page = report_html(await self.report(brand, period), brand.policy.default_language)
                await self.chat.send_general_file(f"report-{brand.name}-{period.month}.html", page.encode(),
                                                  self.chat.t("month_report", month=str(period.month),
                                                              brand=brand.name))
                posted += 1
            await self.storage.set_state(key, str(period.month))
        return posted


async def watch_agency(digest: AgencyOverview, interval: float = CHECK_SECONDS,
                       sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
    """Post the overview when due, until cancelled; a failure (the bot not in the chat, Telegram down) is logged
    and tried again later, waiting twice as long each time up to an hour, so a wrong chat fills no log."""
    failures = 0
    while True:
        try:
            if await digest.post_if_due(utcnow()):
                log.info("posted every brand's overview into the agency's chat %s", digest.chat.chat_id)
            if reports := await digest.post_reports_if_due(utcnow()):
                log.info("posted %d brands' monthly reports into the agency's chat %s", reports, digest.chat.chat_id)
            failures = 0
        except Exception as exc:
            failures += 1
            log.error("the agency's overview in chat %s failed (%s); trying again in %.0f s", digest.chat.chat_id,
                      exc, _retry_in(interval, failures))
        await sleep(_retry_in(interval, failures))


def _retry_in(interval: float, failures: int) -> float:
    return min(interval * 2 ** min(failures, 12), MAX_RETRY_SECONDS) if failures else interval
