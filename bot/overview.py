"""`smm-responder overview`: every brand of the configuration at a glance, the most urgent first.

An agency runs 10-12 brands at once; its head needs to see where a fire is without opening a dozen forums:
customers waiting for a person and those past the promised time, negative surges, directed-negative messages and
the posts they reached the brand has not answered under yet, the moderators' questions the company has not answered,
scammers posing as the brand's support and customers telling of scammers calling in its name, abuse left up,
unhappy posts about the brand found elsewhere nobody has dealt with, and the last 24 hours' mentions, satisfaction
and mood. One JSON line per brand when piped; on a terminal, a line per brand in the chosen language.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from bot.config import BrandConfig
from bot.desk import ModeratorDesk
from bot.stats import brand_stats
from bot.storage import Storage
from bot.storage.company_questions import UNANSWERED_LISTED
from handlers.texts import label, percent


@dataclass(frozen=True)
class BrandOverview:
    brand: str
    waiting: int  # customers waiting for a person's answer now
    overdue: int  # of them, past the promised reaction time
    surges: int  # negative surges with a customer's message in the last 24 hours
    directed_negative: int  # messages of directed-negative campaigns in the last 24 hours
    waves_unanswered: int  # posts those campaigns reached with no answer from the brand there yet (the forum's 📣)
    company_unanswered: int  # moderators' questions to the company it has not answered (customers wait behind them)
    scams: int  # comments of scammers posing as the brand's support in the last 24 hours (handlers.spam)
    scams_reported: int  # customers who told of scammers in the brand's name, the last 24 hours
    abuse_left_up: int  # abusive public comments left up for the moderators, the last 24 hours
    outside_unhappy: int  # unhappy posts about the brand found elsewhere, the last 24 hours, nobody dealt with
    mentions: int  # the last 24 hours' customer messages ...
    answered_by_bot: int
    handed_off: int
    satisfied_share: float | None  # ... and how the customers who rated a resolution felt
    positive_negative_ratio: float | None

    def urgency(self) -> tuple[int, ...]:
        return (self.overdue, self.waiting, self.surges, self.waves_unanswered, self.company_unanswered,
                self.directed_negative, self.scams, self.scams_reported, self.outside_unhappy, self.abuse_left_up)


async def brand_overview(storage: Storage, brand: BrandConfig, now: datetime) -> BrandOverview:
    desk = ModeratorDesk(storage, brand.name)
    waiting = [card for card in await desk.waiting() if card.awaiting_reply]
    day = await brand_stats(storage, brand.name, days=1, now=now, hours=brand.policy.support_hours)
    return BrandOverview(
        brand.name, len(waiting), sum(card.overdue for card in waiting), len(await desk.surges()),
        day.directed_negative, sum(c["unanswered"] for c in await desk.campaigns()),
        len(await storage.company_questions_unanswered(brand.name, now - UNANSWERED_LISTED)), day.spam["impersonation"],
        day.scams_reported, len(await desk.abuse_left_up()),
        len(await desk.outside_mentions()), day.mentions,
        day.answered_by_bot, day.handed_off, day.satisfied_share, day.positive_negative_ratio)


async def overview(storage: Storage, brands: list[BrandConfig], now: datetime) -> list[BrandOverview]:
    """Every brand's overview, the most urgent first (past the deadline, waiting, surges...), then by name."""
    found = [await brand_overview(storage, brand, now) for brand in brands]
    return sorted(found, key=lambda b: ([-n for n in b.urgency()], b.brand))


def as_json(brand: BrandOverview) -> dict[str, object]:
    return asdict(brand)


def overview_line(brand: BrandOverview, language: str) -> str:
    """A brand's overview as a person reads it on a terminal, in `language`."""
    satisfied = "—" if brand.satisfied_share is None else percent(brand.satisfied_share, language)
    ratio = "—" if brand.positive_negative_ratio is None else f"{brand.positive_negative_ratio:.2f}"
    return label("overview_line", language).format(
        brand=brand.brand, overdue=brand.overdue, waiting=brand.waiting, surges=brand.surges,
        directed=brand.directed_negative, unanswered=brand.waves_unanswered, scams=brand.scams,
        reported=brand.scams_reported,
        abuse=brand.abuse_left_up, outside=brand.outside_unhappy,
        mentions=brand.mentions, bot=brand.answered_by_bot, people=brand.handed_off, satisfied=satisfied,
        ratio=ratio) + (label("overview_company", language).format(n=brand.company_unanswered)
                        if brand.company_unanswered else "")
