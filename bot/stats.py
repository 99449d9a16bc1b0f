"""The figures practitioners judge support by, per brand and period.

Mentions handled, the share of customers satisfied with the resolution, the positive/negative
ratio and its change against the previous period, human reaction times against the promise,
and how many solved cases were public and how many people could see them (their reach: see bot.reach); and the
posts about the brand found outside its pages (bot.vk.monitor).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.storage import PERSON_STEPPED_IN, Storage
from bot.storage.deletions import WITHDRAWN
from handlers.reactions import ANSWER_DID_NOT_HELP, reaction_verdict
from handlers.router import (
    ABUSE_LEFT_UP,
    IMPERSONATION_REASONS,
    NOT_CUSTOMERS,
    SCAM_SHOWN,
    SPAM_REASONS,
    TAKEN_FOR_SPAM,
    UNHAPPY,
)
from handlers.scam_reports import SCAM_REPORTED
from handlers.support_hours import SupportHours
from handlers.types import utcnow


@dataclass(frozen=True)
class BrandStats:
    brand: str
    since: str
    until: str
    mentions: int  # customers' messages (spam and scams are not: `spam` counts them), as the next five
    handled: int
    answered_by_bot: int
    handed_off: int
    hidden: int  # by the bot (abuse, with `hide_toxic`)
    hidden_by_moderators: int  # customers' public comments moderators hid from the desk (/hide), in the period
    abuse_left_up: int  # public comments the bot took for abuse and left up (`hide_toxic` off) for moderators to judge
    public_mentions: int
    mentions_by_platform: dict[str, int]  # e.g. {"telegram": 120, "vk": 340}: where the brand's customers write
    resolved_by_humans: int
    resolved_public: int
    resolved_public_reach: int  # people who could see those cases: post views, else the chat's or community's members
    resolved_public_unmeasured: int  # public cases whose reach is not known (yet): no platform API, or not asked yet
    reactions_within_deadline: int
    reactions_late: int
    waiting_past_deadline: int  # handed off (or followed up after a reply), unanswered and past the deadline now
    directed_negative: int  # messages of detected campaigns (`smm-responder evidence` lists them)
    directed_answered: int  # the brand's answers to those waves in public, once per post (bot.desk.answer_campaign)
    negative_surges: int  # many customers unhappy about one entry or word at once (handlers.surge), begun in the period
    median_reaction_minutes: float | None
    ratings: int
    satisfied_share: float | None
    # the bot's answers in the period its customers reacted to (Telegram reactions, VK likes): approving (👍, ❤...)
    # or not (👎, 😡..., or the customer wrote that it did not help, "не помогло"; `review` lists those first)
    answers_approved: int
    answers_disapproved: int
    positive: int  # customers' messages; a campaign's (directed negative) are left out of these two
    negative: int
    positive_negative_ratio: float | None
    previous_ratio: float | None
    # per moderator (who took each thread first): threads, resolved, reactions in time / late and their median,
    # ratings and the satisfied share: how a brand's team keeps the practitioners' promises, person by person
    by_moderator: dict[str, dict[str, Any]]
    # posts about the brand found outside its pages (bot.vk.monitor) in the period: found, unhappy, positive, and
    # those a moderator marked dealt with
    outside_mentions: dict[str, int]
    # messages that were no customer's (handlers.spam): spam (adverts, bait), impersonations of the brand's support,
    # how many of both the bot hid, and the customers it warned an impersonator had answered; and customers'
    # messages it took for spam that moderators brought back (`customers_after_all`: its mistakes they found)
    spam: dict[str, int]
    # moderators' questions to the company (bot.telegram.company_chat) asked in the period: how many, answered,
    # sent on to the customer, and the median minutes the company took to answer (its own reaction time, which
    # the moderators' depends on)
    company_questions: dict[str, Any]
    # handoffs nobody had answered whose customer deleted what they were for (bot.storage.deletions): closed, not
    # late, counted apart
    handoffs_withdrawn: int = 0
    # customers who told of someone calling or writing in the brand's name for codes or card details, or showed such
    # a message (handlers.scam_reports): a wave of them calls for a public warning
    scams_reported: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Team:
    """One moderator's tallies while the handoffs are read."""

    threads: int = 0
    resolved: int = 0
    within: int = 0
    late: int = 0
    reactions: list[float] = field(default_factory=list)
    ratings: int = 0
    satisfied: int = 0

    def figures(self) -> dict[str, Any]:
        return {"threads": self.threads, "resolved": self.resolved, "reactions_within_deadline": self.within,
                "reactions_late": self.late, "median_reaction_minutes": _median(self.reactions),
                "ratings": self.ratings,
                "satisfied_share": round(self.satisfied / self.ratings, 3) if self.ratings else None}


def _median(values: list[float]) -> float | None:
    return round(sorted(values)[len(values) // 2], 1) if values else None


async def _sentiment_counts(storage: Storage, brand: str, since: datetime, until: datetime) -> tuple[int, int]:
    """Customers' positive and negative messages; a campaign's messages are an attack, not customers' mood, and
    spam and scams are nobody's."""
    rows = await storage.fetch(
        "SELECT SUM(json_extract(scores, '$.sentiment_positive') >= 0.5),"
        " SUM(json_extract(scores, '$.sentiment_negative') >= 0.5) FROM messages"
        " WHERE brand = ? AND direction = 'in' AND sent_at >= ? AND sent_at < ?"
        " AND id NOT IN (SELECT message_id FROM campaign_messages)"
        f" AND COALESCE(reason, '') NOT IN ({', '.join('?' * len(NOT_CUSTOMERS))})",
        (brand, since.isoformat(), until.isoformat(), *NOT_CUSTOMERS),
    )
    positive, negative = rows[0]
    return int(positive or 0), int(negative or 0)


def _ratio(positive: int, negative: int) -> float | None:
    return round(positive / negative, 3) if negative else None


async def brand_stats(storage: Storage, brand: str, days: float = 7, now: datetime | None = None,
                      hours: SupportHours | None = None) -> BrandStats:
    """`hours`: the brand's support hours; reaction times then count working time only (a night handoff
    answered at 9:05 took the moderators 5 minutes), as the deadlines do."""
    until = now or utcnow()
    since = until - timedelta(days=days)
    window = (brand, since.isoformat(), until.isoformat())
    spam, impersonation = ", ".join("?" * len(SPAM_REASONS)), ", ".join("?" * len(IMPERSONATION_REASONS))
    # a customer's message: not spam nor a scam (handlers.spam), which `spam` counts on its own
    customer = f"COALESCE(reason, '') NOT IN ({spam}, {impersonation})"
    [(mentions, handled, answered, handed_off, hidden, public, abuse_left_up, scams_reported,
      *not_customers)] = await storage.fetch(
        f"SELECT SUM({customer}), SUM({customer} AND status = 'processed'), SUM({customer} AND action = 'answer'),"
        f" SUM({customer} AND action = 'handoff'), SUM({customer} AND action = 'hide'), SUM({customer} AND is_public),"
        f" SUM(is_public AND reason IN ({', '.join('?' * len(ABUSE_LEFT_UP))})), SUM(reason IN (?, ?)),"
        # messages that were no customer's (handlers.spam), in the same pass
        f" SUM(reason IN ({spam})), SUM(reason IN ({impersonation})),"
        f" SUM(action = 'hide' AND reason IN ({spam}, {impersonation})),"
        f" SUM(reason IN ({impersonation}) AND EXISTS (SELECT 1 FROM outbox o WHERE o.source_message_id = messages.id"
        "  AND o.kind = 'notice' AND o.status = 'sent')),"
        " SUM(reason = ?)"  # and customers' messages it took for spam, as moderators found
        " FROM messages WHERE brand = ? AND direction = 'in' AND sent_at >= ? AND sent_at < ?",
        (*(SPAM_REASONS + IMPERSONATION_REASONS) * 6, *ABUSE_LEFT_UP, SCAM_REPORTED, SCAM_SHOWN, *SPAM_REASONS,
         *IMPERSONATION_REASONS,
         *SPAM_REASONS, *IMPERSONATION_REASONS, *IMPERSONATION_REASONS, TAKEN_FOR_SPAM, *window),
    )
    by_platform = dict(await storage.fetch(
        f"SELECT platform, COUNT(*) FROM messages WHERE brand = ? AND direction = 'in' AND sent_at >= ? AND sent_at < ?"
        f" AND {customer} GROUP BY platform ORDER BY platform",
        (*window, *SPAM_REASONS, *IMPERSONATION_REASONS),
    ))
    handoffs = await storage.fetch(
        "SELECT h.reason, h.created_at, h.deadline_at, h.first_reply_at, h.outcome,"
        " (SELECT MAX(m.is_public) FROM messages m WHERE m.id = h.message_id), h.reach, h.followup_due, h.taken_by,"
        " (SELECT r.satisfied FROM ratings r WHERE r.handoff_id = h.id)"
        " FROM handoffs h WHERE h.brand = ? AND h.created_at >= ? AND h.created_at < ?",
        window,
    )
    reactions: list[float] = []
    late = within = resolved = resolved_public = reach = unmeasured = waiting_late = withdrawn = 0
    team: dict[str, _Team] = {}
    for reason, created, deadline, first_reply, outcome, was_public, people, followup_due, taken_by, rated \
            in handoffs:
        member = team.setdefault(taken_by, _Team()) if taken_by else _Team()  # nobody's: counted for the brand only
        member.threads += 1
        member.resolved += outcome == "resolve"
        withdrawn += outcome == WITHDRAWN
        if rated is not None:
            member.ratings += 1
            member.satisfied += int(rated)
        if outcome == "resolve":
            resolved += 1
            if was_public:
                resolved_public += 1
                reach += int(people or 0)
                unmeasured += int(people is None)
        if first_reply and reason != PERSON_STEPPED_IN:  # (a person who stepped in unasked kept nobody waiting)
            asked, answered_at = datetime.fromisoformat(created), datetime.fromisoformat(first_reply)
            took = answered_at - asked if hours is None else hours.working_time(asked, answered_at)
            minutes = took.total_seconds() / 60
            reactions.append(minutes)
            member.reactions.append(minutes)
            if first_reply <= deadline:
                within += 1
                member.within += 1
            else:
                late += 1
                member.late += 1
        elif outcome is None and datetime.fromisoformat(deadline) <= until:
            waiting_late += 1
        if first_reply and outcome is None and followup_due and datetime.fromisoformat(followup_due) <= until:
            waiting_late += 1  # answered once, but the customer's follow-up is unanswered past its own deadline
    [(directed,)] = await storage.fetch(
        "SELECT COUNT(*) FROM campaign_messages cm JOIN messages m ON m.id = cm.message_id"
        " WHERE m.brand = ? AND m.sent_at >= ? AND m.sent_at < ?",
        window,
    )
    [(hidden_by_moderators, directed_answered)] = await storage.fetch(
        "SELECT COUNT(DISTINCT CASE WHEN kind = 'hide' AND json_extract(extra, '$.reason') = 'moderator'"
        " THEN source_message_id END), SUM(kind = 'statement')"
        " FROM outbox WHERE brand = ? AND sent_at >= ? AND sent_at < ? AND status = 'sent'",
        window,
    )
    [(surges,)] = await storage.fetch(
        "SELECT COUNT(*) FROM surges WHERE brand = ? AND since >= ? AND since < ?", window)
    [(ratings, satisfied)] = await storage.fetch(
        "SELECT COUNT(*), SUM(satisfied) FROM ratings r JOIN conversations c ON c.id = r.conversation_id"
        " WHERE c.brand = ? AND r.created_at >= ? AND r.created_at < ?",
        window,
    )
    verdicts = [reaction_verdict(str(reaction).split()) for (reaction,) in await storage.fetch(
        "SELECT o.reaction FROM messages m JOIN outbox o ON o.source_message_id = m.id"
        " WHERE m.brand = ? AND m.direction = 'in' AND m.sent_at >= ? AND m.sent_at < ? AND m.action = 'answer'"
        " AND o.kind = 'answer' AND o.reaction != ''",
        window,
    )]
    [(did_not_help,)] = await storage.fetch(
        "SELECT COUNT(*) FROM messages WHERE brand = ? AND direction = 'in' AND sent_at >= ? AND sent_at < ?"
        " AND reason = ?", (*window, ANSWER_DID_NOT_HELP))
    positive, negative = await _sentiment_counts(storage, brand, since, until)
    prev_pos, prev_neg = await _sentiment_counts(storage, brand, since - timedelta(days=days), since)
    return BrandStats(
        brand, since.isoformat(timespec="seconds"), until.isoformat(timespec="seconds"),
        int(mentions or 0), int(handled or 0), int(answered or 0), int(handed_off or 0), int(hidden or 0),
        int(hidden_by_moderators or 0), int(abuse_left_up or 0), int(public or 0),
        {str(k): int(v) for k, v in by_platform.items()}, resolved,
        resolved_public, reach, unmeasured, within, late, waiting_late, int(directed or 0),
        int(directed_answered or 0), int(surges or 0),
        _median(reactions),
        int(ratings or 0), round(int(satisfied or 0) / ratings, 3) if ratings else None,
        verdicts.count(1), verdicts.count(-1) + int(did_not_help or 0),
        positive, negative, _ratio(positive, negative), _ratio(prev_pos, prev_neg),
        {name: member.figures() for name, member in sorted(team.items())},
        await storage.outside_counts(brand, since, until, UNHAPPY),
        dict(zip(("spam", "impersonation", "hidden", "customers_warned", "customers_after_all"),
                 (int(n or 0) for n in not_customers),
                 strict=True)),
        await _company_questions(storage, window),
        handoffs_withdrawn=withdrawn,
        scams_reported=int(scams_reported or 0),
    )


async def _company_questions(storage: Storage, window: tuple[str, str, str]) -> dict[str, Any]:
    rows = await storage.fetch("SELECT asked_at, answered_at, sent_at FROM company_questions WHERE brand = ?"
                               " AND asked_at >= ? AND asked_at < ?", window)
    minutes = [(datetime.fromisoformat(answered) - datetime.fromisoformat(asked)).total_seconds() / 60
               for asked, answered, _ in rows if answered]
    return {"asked": len(rows), "answered": len(minutes), "sent": sum(1 for *_, sent in rows if sent),
            "median_answer_minutes": _median(minutes)}
