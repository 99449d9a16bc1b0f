"""`smm-responder report`: a brand's period as an agency hands it to its client, in Markdown, in ru, tr or en.

Practitioners judge support by four figures: the mentions handled, the share of customers satisfied with the
resolution, the change of the positive/negative ratio, and the reach of solved cases. The report gives them for
the period beside the period before it, then how fast people reacted, who answered (the bot, people), what
customers wrote about most (the argument base's entries), the public cases solved that most people saw (what the
brand's PR shows: practitioners' "решение проблемы и расшаривание этого решения"), the posts elsewhere that speak
well of the brand (its advocates, to thank and share), the negative and the attacks
(surges, directed negative, posts found elsewhere, spam and scams), each moderator's figures, and what the
argument base lacks (`review --gaps`). `stats` gives the same figures as JSON for machines; this is for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import BrandConfig
from bot.permalinks import outside_link, permalink
from bot.pipeline import words_of
from bot.report_html import table_cell
from bot.review import gaps_in_the_base
from bot.stats import BrandStats, brand_stats
from bot.storage import Storage
from handlers.argument_base import ArgumentBase
from handlers.courtesies import is_pleasantry
from handlers.support_hours import local_moment
from handlers.surge_words import name_stems
from handlers.texts import label, percent

TOPICS_SHOWN = 10  # the entries customers wrote about most
GAPS_SHOWN = 5  # the subjects the base lacks
CASES_SHOWN = 5  # the solved public cases seen widest
UNSATISFIED_SHOWN = 10  # the latest words of customers not satisfied with a resolution
ADVOCATES_SHOWN = 5  # the positive posts about the brand found elsewhere, seen widest
POSITIVE = 0.5  # a found post this positive speaks well of the brand


@dataclass(frozen=True)
class Period:
    """A report's period and the one it is compared with, as moments (UTC, as stored): from `since` to `until`,
    against `before` to `since`. `month`: "YYYY-MM" when it is a calendar month on the brand's clock, against the
    month before (of its own length), not the last N days against the N before."""

    since: datetime
    until: datetime
    before: datetime
    month: str | None = None

    @property
    def days(self) -> float:
        return (self.until - self.since) / timedelta(days=1)

    @property
    def days_before(self) -> float:
        return (self.since - self.before) / timedelta(days=1)


def last_days(days: int, now: datetime) -> Period:
    """The last `days` days to `now`, against the `days` before them."""
    return Period(now - timedelta(days=days), now, now - timedelta(days=2 * days))


def calendar_month(year: int, month: int, zone: ZoneInfo) -> Period:
    """A calendar month on the brand's clock, midnight to midnight, against the month before it."""
    def first_day(year: int, month: int) -> datetime:
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        return datetime.combine(date(year, month, 1), time(), zone).astimezone(UTC)  # stored moments are UTC

    return Period(first_day(year, month), first_day(year, month + 1), first_day(year, month - 1),
                  f"{year:04d}-{month:02d}")


def last_month(now: datetime, zone: ZoneInfo) -> Period:
    """The last calendar month over at `now` on the brand's clock."""
    local = now.astimezone(zone)
    return calendar_month(local.year, local.month - 1, zone)


@dataclass(frozen=True)
class EntryCount:
    """How many customers' messages one entry of the argument base was about, and who answered them."""

    entry_id: str
    topic: str
    messages: int
    answered_by_bot: int
    handed_off: int


async def asked_most(storage: Storage, brand: str, since: datetime, until: datetime, base: ArgumentBase | None,
                     language: str, limit: int = TOPICS_SHOWN) -> list[EntryCount]:
    """The entries the brand's customers' messages were about in the period, most first, with their topics in
    `language` (an entry gone from the base since keeps its id); not the base's pleasantries (a greeting, thanks, a
    goodbye: "Приветствие" and "Клиент прощается" topped the table, as nearly every talk has them)."""
    pleasantries = [entry.id for entry in base.entries if is_pleasantry(entry)] if base is not None else []
    rows = await storage.fetch(
        "SELECT entry_id, COUNT(*), SUM(action = 'answer'), SUM(action = 'handoff') FROM messages"
        " WHERE brand = ? AND direction = 'in' AND sent_at >= ? AND sent_at < ? AND entry_id IS NOT NULL"
        f" AND entry_id NOT IN ({', '.join('?' * len(pleasantries))})"
        " GROUP BY entry_id ORDER BY COUNT(*) DESC, entry_id LIMIT ?",
        (brand, since.isoformat(), until.isoformat(), *pleasantries, limit),
    )
    topics = {entry.id: entry.topic_in(language) for entry in base.entries} if base is not None else {}
    return [EntryCount(str(entry), topics.get(str(entry)) or str(entry), int(n), int(bot or 0), int(people or 0))
            for entry, n, bot, people in rows]


def _share(part: int, whole: int, language: str) -> str:
    return percent(part / whole, language) if whole else "—"


def _satisfied(figures: BrandStats | dict[str, Any], language: str) -> str:
    share, ratings = ((figures.satisfied_share, figures.ratings) if isinstance(figures, BrandStats)
                      else (figures["satisfied_share"], figures["ratings"]))
    if share is None:
        return "—"
    return label("report_satisfied_value", language).format(share=percent(share, language), ratings=ratings)


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _minutes(value: float | None, language: str) -> str:
    return "—" if value is None else label("report_minutes", language).format(minutes=round(value))



def _main_figures(now: BrandStats, before: BrandStats, language: str) -> list[str]:
    def t(key: str) -> str:
        return label(key, language)

    def handled(s: BrandStats) -> str:
        return t("report_handled_value").format(handled=s.handled, mentions=s.mentions)

    def reach(s: BrandStats) -> str:
        return t("report_reach_value").format(reach=s.resolved_public_reach, cases=s.resolved_public)

    def in_time(s: BrandStats) -> str:
        reactions = s.reactions_within_deadline + s.reactions_late
        return t("report_in_time_value").format(within=s.reactions_within_deadline, reactions=reactions,
                                                median=_minutes(s.median_reaction_minutes, language))

    rows = [("report_row_handled", handled(now), handled(before)),
            ("report_row_satisfied", _satisfied(now, language), _satisfied(before, language)),
            ("report_row_ratio", _ratio(now.positive_negative_ratio), _ratio(before.positive_negative_ratio)),
            ("report_row_reach", reach(now), reach(before)),
            ("report_row_in_time", in_time(now), in_time(before))]
    return [f"| {t('report_col_measure')} | {t('report_col_period')} | {t('report_col_before')} |", "|---|---|---|",
            *(f"| {t(key)} | {a} | {b} |" for key, a, b in rows)]


class _Texts:
    """The report's texts in one language (handlers.texts labels, values as text)."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, key: str, **values: Any) -> str:
        return label(key, self.language).format(**{k: str(v) for k, v in values.items()})

    def section(self, key: str, *lines: str) -> list[str]:
        """A section: its heading, its lines, a blank line; none at all without lines."""
        return [f"## {self(key)}", "", *lines, ""] if lines else []


async def brand_report(storage: Storage, brand: BrandConfig, period: Period, language: str,
                       base: ArgumentBase | None = None) -> str:
    """The brand's `period` against the one before it, as Markdown in `language`. `base`: the brand's argument
    base, for its entries' topics and to read customers' words as the bot read them."""
    hours = brand.policy.support_hours
    since, until = period.since, period.until
    current = await brand_stats(storage, brand.name, period.days, until, hours=hours)
    before = await brand_stats(storage, brand.name, period.days_before, since, hours=hours)
    zone = ZoneInfo(brand.policy.timezone)
    t = _Texts(language)

    def first(moment: datetime) -> str:  # the day a period starts on, on the brand's clock
        return local_moment(moment, zone)[:10]

    def last(moment: datetime) -> str:  # the last day a period ends on (it ends at `moment`, not in it)
        return local_moment(moment - timedelta(seconds=1), zone)[:10]

    title = brand.display_name if brand.display_name != brand.name else brand.name
    dates = {"since": first(period.before), "until": last(since)}
    compared = (t("report_compared_month", **dates) if period.month
                else t("report_compared", days=round(period.days_before), **dates))
    lines = [t("report_title", brand=title, since=first(since), until=last(until)), "",
             compared, "", *t.section("report_main", *_main_figures(current, before, language))]
    if current.waiting_past_deadline:
        lines += [t("report_waiting_late", n=current.waiting_past_deadline), ""]
    lines += _who_answered(current, t)
    unsatisfied = await storage.unsatisfied_words(brand.name, since, until, UNSATISFIED_SHOWN)
    lines += t.section("report_unsatisfied", *([t("report_unsatisfied_intro"), ""] if unsatisfied else []), *(
        t("report_unsatisfied_one", day=local_moment(datetime.fromisoformat(at), zone)[:10],
          text=table_cell(words[:160])) for words, at in unsatisfied))
    lines += t.section("report_topics", *_topics(await asked_most(storage, brand.name, since, until, base,
                                                                             language), t))
    lines += t.section("report_cases", *_cases(await storage.solved_public_cases(brand.name, since, until,
                                                                                  CASES_SHOWN), t))
    lines += t.section("report_advocates", *_advocates(await storage.outside_mentions(brand.name, since), until, t))
    lines += _negative(current, t)
    lines += t.section("report_team", *_team(current, t))
    gaps = await gaps_in_the_base(storage, brand.name, period.days, GAPS_SHOWN,
                                  name_stems(brand.name, brand.display_name),
                                  words_of(base) if base is not None else None, until=until)
    lines += t.section("report_gaps", *([t("report_gaps_intro"), ""] if gaps else []), *(
        t("report_gap", word=g["word"], customers=g["customers"], example=table_cell(g["examples"][0][:160]))
        for g in gaps))
    return "\n".join(lines)


def _who_answered(figures: BrandStats, t: _Texts) -> list[str]:
    company = figures.company_questions
    platforms = ", ".join(f"{name} {n}" for name, n in figures.mentions_by_platform.items()) or "—"
    return t.section(
        "report_who",
        t("report_who_bot", n=figures.answered_by_bot,
          share=_share(figures.answered_by_bot, figures.handled, t.language)),
        t("report_who_people", n=figures.handed_off, resolved=figures.resolved_by_humans),
        t("report_who_hidden", n=figures.hidden + figures.hidden_by_moderators,
          moderators=figures.hidden_by_moderators),
        t("report_platforms", platforms=platforms),
        *([t("report_company", asked=company["asked"], answered=company["answered"], sent=company["sent"],
             median_answer_minutes=_minutes(company["median_answer_minutes"], t.language))]
          if company["asked"] else []))


def _topics(topics: list[EntryCount], t: _Texts) -> list[str]:
    if not topics:
        return []
    return [t("report_topics_head"), "|---|---|---|---|",
            *(f"| {table_cell(e.topic)} | {e.messages} | {e.answered_by_bot} | {e.handed_off} |" for e in topics)]


def _cases(cases: list[dict[str, Any]], t: _Texts) -> list[str]:
    """The solved public cases, the widest seen first, with their links."""
    if not cases:
        return []
    lines = [t("report_cases_intro"), ""]
    for case in cases:
        link = permalink(case["platform"], case["chat_id"], case["platform_message_id"], case["thread_id"])
        lines.append(t("report_case", reach="—" if case["reach"] is None else case["reach"],
                       text=table_cell(case["text"][:160]), link=f" {link}" if link else ""))
    return lines


def _advocates(found: list[dict[str, Any]], until: datetime, t: _Texts) -> list[str]:
    """The posts found elsewhere before `until` that speak well of the brand, the most seen first."""
    advocates = sorted((m for m in found if m["found_at"] < until.isoformat() and m["positive"] >= POSITIVE),
                       key=lambda m: (-(m["views"] or 0), m["id"]))[:ADVOCATES_SHOWN]
    if not advocates:
        return []
    lines = [t("report_advocates_intro"), ""]
    for m in advocates:
        link = outside_link(m["platform"], m["address"])
        lines.append(t("report_advocate", who=table_cell(m["author_name"] or m["author_id"]),
                       views="—" if m["views"] is None else m["views"], text=table_cell(m["text"][:160]),
                       link=f" {link}" if link else ""))
    return lines


def _negative(figures: BrandStats, t: _Texts) -> list[str]:
    outside, spam = figures.outside_mentions, figures.spam
    lines = [t("report_surges", n=figures.negative_surges),
             t("report_directed", n=figures.directed_negative, answered=figures.directed_answered)]
    if outside["found"]:
        lines.append(t("report_outside", **outside))
    if figures.abuse_left_up:
        lines.append(t("report_abuse_left_up", n=figures.abuse_left_up))
    if spam["spam"] or spam["impersonation"]:
        lines.append(t("report_spam", **spam))
    if figures.scams_reported:
        lines.append(t("report_scams_reported", n=figures.scams_reported))
    return t.section("report_negative", *lines)


def _team(figures: BrandStats, t: _Texts) -> list[str]:
    if not figures.by_moderator:
        return []
    return [t("report_team_head"), "|---|---|---|---|---|---|---|", *(
        f"| {table_cell(name)} | {f['threads']} | {f['resolved']} | {f['reactions_within_deadline']} | "
        f"{f['reactions_late']} | {_minutes(f['median_reaction_minutes'], t.language)} | "
        f"{_satisfied(f, t.language)} |" for name, f in figures.by_moderator.items())]
