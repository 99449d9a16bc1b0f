"""Handoffs past their reaction deadline with no moderator reply: the customer gets an apology instead of
silence and the moderators are told, once per handoff (the flag and the notice are stored together)."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import datetime
from typing import TYPE_CHECKING

from bot.storage import NewReply
from handlers.texts import say
from handlers.types import Conversation, utcnow

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

CHECK_SECONDS = 60.0


async def flag_overdue(app: App, rng: random.Random, now: datetime | None = None) -> list[Conversation]:
    """Flag every handoff whose deadline passed unanswered; returns their conversations."""
    flagged = []
    for handoff, conversation in await app.storage.overdue_handoffs(now or utcnow()):
        text = say("overdue_holding", app.language_of(conversation), rng)
        notice = None if conversation.unreachable else NewReply(text, "notice")
        if not await app.storage.flag_overdue(handoff, conversation, notice):
            continue  # a moderator answered in the meantime
        log.warning("conversation %d (brand %s): no moderator reply by the deadline %s",
                    conversation.id, conversation.brand, handoff.deadline_at.isoformat(timespec="minutes"))
        flagged.append(conversation)
        for listener in app.overdue_listeners:
            try:
                await listener(conversation, handoff)
            except Exception:
                log.exception("overdue listener failed for conversation %d", conversation.id)
    if flagged:
        app.outbox.wake()
    return flagged


async def watch_overdue(app: App, rng: random.Random, interval: float = CHECK_SECONDS) -> None:
    """Check for overdue handoffs every `interval` seconds until cancelled."""
    while True:
        try:
            await flag_overdue(app, rng)
        except Exception:
            log.exception("checking for overdue handoffs failed; retrying in %.0f s", interval)
        await asyncio.sleep(interval)
