"""What the clock does to handoffs. When most of the reaction window is used up with no moderator reply, the
moderators are reminded (once); past the deadline the customer gets an apology instead of silence and the
moderators are told, once per handoff (the flag and the notice are stored together). A thread a person answered
and then left quiet for the brand's `hand_back_hours`, with nobody waiting, goes back to the bot."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import datetime, timedelta

from bot.app import App, tell
from bot.storage import NewReply
from handlers.conversation_states import Event, TransitionError
from handlers.texts import say
from handlers.types import Conversation, utcnow

log = logging.getLogger(__name__)

CHECK_SECONDS = 60.0
REMIND_AT_SHARE = 0.75  # of the reaction window: a 60-minute promise is recalled with 15 minutes left


async def remind_due_soon(app: App, now: datetime | None = None) -> list[Conversation]:
    """Remind moderators of every unanswered handoff, and every unanswered follow-up in an answered thread, near
    its deadline; returns their conversations."""
    reminded = []
    # The last quarter of the reaction minutes before the deadline: in working time when the brand has support
    # hours (a Friday night handoff due Monday 10:00 is recalled at 9:45, not on Sunday evening).
    lead = {name: timedelta(minutes=brand.policy.reaction_minutes * (1 - REMIND_AT_SHARE))
            for name, brand in app.config.brands.items()}
    now = now or utcnow()
    for handoff, conversation in await app.storage.due_soon_handoffs(now, lead, REMIND_AT_SHARE):
        if not await app.storage.mark_reminded(handoff):
            continue
        log.info("conversation %d (brand %s): unanswered, deadline %s", conversation.id, conversation.brand,
                 (handoff.due_at or handoff.deadline_at).isoformat(timespec="minutes"))
        reminded.append(conversation)
        await tell(app.due_soon_listeners, conversation, handoff)
    return reminded


async def flag_overdue(app: App, rng: random.Random, now: datetime | None = None) -> list[Conversation]:
    """Flag every handoff whose deadline passed unanswered, and every customer's follow-up in an answered thread
    whose own deadline passed unanswered (a person must react again in time); returns their conversations."""
    flagged = []
    now = now or utcnow()
    for handoff, conversation in await app.storage.overdue_handoffs(now):
        text = say("overdue_holding", app.language_of(conversation), rng)
        # no word to paid accounts, nor under messages the customer has all deleted (nothing left to answer), nor
        # in private to a customer who blocked private messages (under their public comment, they read it)
        blocked = conversation.unreachable and not await app.storage.answers_in_public(conversation.id)
        silent = (blocked or await app.storage.in_campaign(conversation.id)
                  or await app.storage.all_deleted(conversation.id))
        notice = None if silent else NewReply(text, "notice")
        if not await app.storage.flag_overdue(handoff, conversation, notice):
            continue  # a moderator answered in the meantime
        due = handoff.due_at or handoff.deadline_at
        log.warning("conversation %d (brand %s): no moderator reply by the deadline %s%s", conversation.id,
                    conversation.brand, due.isoformat(timespec="minutes"),
                    " (a follow-up)" if handoff.first_reply_at else "")
        flagged.append(conversation)
        await tell(app.overdue_listeners, conversation, handoff)
    if flagged:
        app.outbox.wake()
    return flagged


async def hand_back_quiet(app: App, now: datetime | None = None) -> list[Conversation]:
    """Give back to the bot every thread a person answered where nobody has written for the brand's
    `hand_back_hours` and nobody waits for an answer (people step in and forget to hand threads back; the
    customer's next question would otherwise wait for them). Returns their conversations."""
    now = now or utcnow()
    handed = []
    for name, brand in app.config.brands.items():
        hours = brand.policy.hand_back_hours
        if not hours:
            continue
        for handoff, conversation in await app.storage.quiet_answered_handoffs(name, now - timedelta(hours=hours)):
            try:
                await app.storage.moderator_event(conversation, Event.RETURN_TO_BOT,
                                                  conversation.moderator or handoff.taken_by or "")
            except TransitionError:
                continue  # someone resolved it meanwhile
            log.info("conversation %d (brand %s): quiet for %d h after a person's answer, back to the bot",
                     conversation.id, name, hours)
            handed.append(conversation)
            await tell(app.hand_back_listeners, conversation, hours)
    return handed


async def watch_overdue(app: App, rng: random.Random, interval: float = CHECK_SECONDS) -> None:
    """Check the handoffs' deadlines every `interval` seconds until cancelled; and decide the messages waiting to
    be decided again (a customer's last word in a thread given back to the bot unanswered, from this process or a
    moderator's terminal inbox: bot.storage.handoffs.LEFT_TO_BOT)."""
    while True:
        try:
            await remind_due_soon(app)
            await flag_overdue(app, rng)
            await hand_back_quiet(app)
            await app.pipeline.resume()
        except Exception:
            log.exception("checking the handoffs' deadlines failed; retrying in %.0f s", interval)
        await asyncio.sleep(interval)
