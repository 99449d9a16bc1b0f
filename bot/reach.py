"""The reach of solved public cases: how many people could see a public complaint that was solved.

Practitioners count it among the figures that show support works: a complaint solved where others read
it shows the brand solving problems to all of them. Each platform measures what it can: VK counts the
views of a wall post (a comment under a post is read by the post's viewers); for photo, video, board and
market comments, and on Telegram (the Bot API tells no view counts), the reach is the chat's or community's
member count, the audience that could see it. A case is measured after it is resolved and again every
few hours for a week, as views keep coming; `smm-responder stats` adds the figures up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from handlers.types import utcnow

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

CHECK_SECONDS = 600.0
REFRESH = timedelta(hours=6)  # a measured case is asked again after this long ...
FOLLOW_FOR = timedelta(days=7)  # ... until this long after it was resolved


@dataclass(frozen=True)
class PublicCase:
    """A handoff that began with a public message and was resolved: where that message was written."""

    handoff_id: int
    brand: str
    platform: str
    chat_id: str  # VK: the commented object (see bot.vk.events.parse_target); Telegram: the group


@dataclass(frozen=True)
class Reach:
    people: int
    kind: str  # "views" (of the post) or "members" (of the chat or community)


ReachProbe = Callable[[PublicCase], Awaitable[Reach | None]]  # None: the platform cannot tell for this case


async def measure_reach(app: App, now: datetime | None = None) -> int:
    """Measure every solved public case due for it; returns how many got a figure.

    A case whose platform has no probe (the local channel) is skipped; a failing probe is logged and the
    case is asked again on the next round."""
    now = now or utcnow()
    measured = 0
    for case in await app.storage.public_cases_to_measure(now - FOLLOW_FOR, now - REFRESH):
        probe = app.reach_probes.get((case.platform, case.brand))
        if probe is None:
            continue
        try:
            reach = await probe(case)
        except Exception as exc:
            log.warning("brand %s: the reach of solved case %d (%s %s) could not be measured: %s",
                        case.brand, case.handoff_id, case.platform, case.chat_id, exc)
            continue
        # unknown (None) is recorded too: asked again after REFRESH, not every round
        await app.storage.record_reach(case.handoff_id, reach, now)
        measured += reach is not None
    return measured


async def watch_reach(app: App) -> None:
    """Measure the solved public cases' reach every CHECK_SECONDS until cancelled."""
    while True:
        try:
            await measure_reach(app)
        except Exception:
            log.exception("measuring the reach of solved public cases failed; retrying in %.0f s", CHECK_SECONDS)
        await asyncio.sleep(CHECK_SECONDS)
