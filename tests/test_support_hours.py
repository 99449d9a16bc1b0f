"""Support hours: the reaction time counts working time only, and what a customer hears outside it."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.argument_base import load_argument_base
from handlers.policy import BrandPolicy
from handlers.router import decide
from handlers.support_hours import SupportHours, SupportHoursError, local_moment, parse_days
from handlers.texts import TEXTS
from handlers.types import Action, Analysis, Conversation, ConversationState, IncomingMessage, Platform
from tests.conftest import SAMPLE_KB

MOSCOW_WEEKDAYS = SupportHours.parse("Europe/Moscow", "09:00-21:00", "mon-fri")
THU = datetime(2026, 12, 3, tzinfo=UTC)  # a Thursday; Moscow is UTC+3 all year


def at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day + timedelta(hours=hour, minutes=minute)


def test_the_reaction_time_counts_working_time_only() -> None:
    hours = MOSCOW_WEEKDAYS
    assert hours.deadline(at(THU, 7), 60) == at(THU, 8)  # Thu 10:00 MSK: an hour later
    assert hours.deadline(at(THU, 17, 30), 60) == at(THU, 24 + 6, 30)  # 20:30: 30 min today, 30 on Fri 9:00
    assert hours.deadline(at(THU, 3), 60) == at(THU, 7)  # 6:00, before opening: 10:00
    friday_night = at(THU, 24 + 19)  # Fri 22:00 MSK: the weekend is closed
    assert hours.deadline(friday_night, 90) == at(THU, 4 * 24 + 7, 30)  # Mon 10:30 MSK
    assert hours.open_throughout(at(THU, 7), at(THU, 8))
    assert not hours.open_throughout(at(THU, 17, 30), hours.deadline(at(THU, 17, 30), 60))
    assert not hours.open_throughout(friday_night, friday_night + timedelta(minutes=1))
    # Friday 21:00 MSK to Monday 10:00: the longest a message waits for an hour's reaction
    assert hours.longest_wait(60) == timedelta(hours=61)
    all_day = SupportHours.parse("UTC", "00:00-24:00")
    assert all_day.deadline(at(THU, 23, 30), 60) == at(THU, 24, 30)  # midnight is no closing time
    assert all_day.open_throughout(at(THU, 23, 30), at(THU, 24, 30))  # so "within an hour" holds
    assert all_day.longest_wait(60) == timedelta(hours=1)


def test_holidays_are_closed_and_a_far_deadline_reads_as_a_date() -> None:
    new_year = SupportHours.parse("Europe/Moscow", "09:00-21:00", "mon-fri",
                                  [f"2027-01-0{d}" for d in range(1, 9)])  # the Russian New Year holidays
    eve = datetime(2026, 12, 31, 19, 0, tzinfo=UTC)  # Thursday 22:00 MSK
    due = new_year.deadline(eve, 60)
    assert due == datetime(2027, 1, 11, 7, 0, tzinfo=UTC)  # Monday 11 January, 10:00 MSK
    assert new_year.when(due, eve, "ru") == "11 января до 10:00 (UTC+3)"
    assert new_year.when(due, eve, "tr") == "11 Ocak saat 10:00'a kadar (UTC+3)"
    assert new_year.when(due, eve, "en") == "on January 11 by 10:00 (UTC+3)"
    assert new_year.working_time(eve, due) == timedelta(hours=1)
    with pytest.raises(SupportHoursError, match=r"holiday '1\.1\.2027' is not a date"):
        SupportHours.parse("UTC", "09:00-18:00", "mon-fri", ["1.1.2027"])


def test_working_time_leaves_the_closed_hours_out() -> None:
    hours = MOSCOW_WEEKDAYS
    assert hours.working_time(at(THU, 19), at(THU, 24 + 6, 5)) == timedelta(minutes=5)  # 22:00 -> Fri 9:05
    assert hours.working_time(at(THU, 7), at(THU, 8)) == timedelta(hours=1)
    # Fri 20:00 MSK to Mon 9:30: an hour on Friday, half an hour on Monday, the weekend not at all
    assert hours.working_time(at(THU, 24 + 17), at(THU, 4 * 24 + 6, 30)) == timedelta(minutes=90)
    assert hours.working_time(at(THU, 8), at(THU, 7)) == timedelta(0)


def test_moderators_read_moments_on_the_brands_clock() -> None:
    assert local_moment(at(THU, 7), ZoneInfo("Europe/Moscow")) == "2026-12-03 10:00 (UTC+3)"
    assert local_moment(at(THU, 7).isoformat(), ZoneInfo("Asia/Kolkata")) == "2026-12-03 12:30 (UTC+5:30)"
    assert local_moment(at(THU, 7), ZoneInfo("UTC")) == "2026-12-03 07:00 (UTC)"
    assert local_moment(at(THU, 7), ZoneInfo("America/New_York")) == "2026-12-03 02:00 (UTC-5)"


def test_a_daylight_saving_change_is_counted_in_real_minutes() -> None:
    berlin = SupportHours.parse("Europe/Berlin", "09:00-18:00")
    saturday = datetime(2026, 3, 28, 17, 30, tzinfo=UTC)  # 18:30 CET, after closing; clocks go forward that night
    assert berlin.deadline(saturday, 60) == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)  # Sunday 10:00 CEST
    assert berlin.when(berlin.deadline(saturday, 60), saturday, "en") == "tomorrow by 10:00 (UTC+2)"


def test_the_deadline_reads_as_a_day_and_a_time_in_every_language() -> None:
    hours = MOSCOW_WEEKDAYS
    thursday_night = at(THU, 19)  # 22:00 MSK
    tomorrow = hours.deadline(thursday_night, 60)
    assert hours.when(tomorrow, thursday_night, "ru") == "завтра до 10:00 (UTC+3)"
    assert hours.when(tomorrow, thursday_night, "tr") == "yarın saat 10:00'a kadar (UTC+3)"
    assert hours.when(tomorrow, thursday_night, "en") == "tomorrow by 10:00 (UTC+3)"
    friday_night = at(THU, 24 + 19)
    monday = hours.deadline(friday_night, 60)
    assert hours.when(monday, friday_night, "ru") == "в понедельник до 10:00 (UTC+3)"
    assert hours.when(monday, friday_night, "tr") == "pazartesi saat 10:00'a kadar (UTC+3)"
    assert hours.when(monday, friday_night, "en") == "on Monday by 10:00 (UTC+3)"
    early = at(THU, 3)  # 6:00 MSK: later today
    assert hours.when(hours.deadline(early, 30), early, "ru") == "сегодня до 9:30 (UTC+3)"
    # Turkish: the dative follows the number said last
    for clock, suffix in [((8, 0), "e"), ((9, 30), "a"), ((12, 0), "ye"), ((16, 0), "ya"), ((9, 15), "e"),
                          ((10, 20), "ye"), ((13, 40), "a"), ((0, 0), "a")]:
        moment = datetime(2026, 12, 3, *clock, tzinfo=UTC)
        utc = SupportHours.parse("UTC", "00:00-24:00")
        assert utc.when(moment, moment, "tr").endswith(f"'{suffix} kadar (UTC)"), clock


@pytest.mark.parametrize(
    ("timezone", "span", "days", "words"),
    [
        ("Mars/Olympus", "09:00-18:00", "mon-fri", "unknown time zone"),
        ("Europe/Moscow", "9-18", "mon-fri", "not a time like 09:00"),
        ("Europe/Moscow", "09:00", "mon-fri", "not a span"),
        ("Europe/Moscow", "18:00-09:00", "mon-fri", "opening must come before closing"),
        ("Europe/Moscow", "09:00-25:00", "mon-fri", "not a time of day"),
        ("Europe/Moscow", "09:00-18:00", "mon-fry", "'mon-fry': days are mon, tue"),
        ("Europe/Moscow", "09:00-18:00", [], "no day is open"),
    ],
)
def test_a_schedule_that_cannot_be_read_says_why(timezone: str, span: str, days: str | list[str],
                                                 words: str) -> None:
    with pytest.raises(SupportHoursError, match=words):
        SupportHours.parse(timezone, span, days)


def test_days_are_names_and_ranges() -> None:
    assert parse_days("mon-fri") == frozenset(range(5))
    assert parse_days("mon-fri, sun") == frozenset({0, 1, 2, 3, 4, 6})
    assert parse_days("fri-mon") == frozenset({4, 5, 6, 0})
    assert parse_days(["Sat", "sun"]) == frozenset({5, 6})


BASE = load_argument_base(SAMPLE_KB)
POLICY = BrandPolicy(reaction_minutes=60, support_hours=MOSCOW_WEEKDAYS)


def _decide(sent_at: datetime, analysis: Analysis, state: ConversationState = ConversationState.BOT,
            reply_due: datetime | None = None, language: str = "ru") -> tuple[Action, str | None]:
    conversation = Conversation(1, "volna", Platform.LOCAL, "c", "Анна", state, language)
    msg = IncomingMessage(Platform.LOCAL, "volna", "chat", "1", "c", "текст", "Анна", sent_at=sent_at)
    d = decide(msg, conversation, analysis, None, BASE, POLICY, [], random.Random(0), reply_due=reply_due)
    return d.action, d.reply_text


def _texts(key: str, language: str = "ru", **values: str) -> set[str]:
    return {text.format(**values) for text in TEXTS[key][language]}


def test_a_handoff_outside_support_hours_says_when_a_person_answers() -> None:
    unsure = Analysis("ru")
    assert _decide(at(THU, 7), unsure) in {(Action.HANDOFF, t) for t in _texts("handoff", eta="часа")}
    night = _decide(at(THU, 19), unsure)
    assert night in {(Action.HANDOFF, t) for t in _texts("handoff_later", when="завтра до 10:00 (UTC+3)")}
    # 20:30: open, but the hour runs past closing: no "within an hour"
    late = _decide(at(THU, 17, 30), unsure)
    assert late[1] in _texts("handoff_later", when="завтра до 9:30 (UTC+3)")
    english = _decide(at(THU, 24 + 19), Analysis("en"), language="en")
    assert english[1] in _texts("handoff_later", "en", when="on Monday by 10:00 (UTC+3)")
    # an entry answered and then handed to a person: the approved words, then when
    complaint = _decide(at(THU, 19), Analysis("ru", intents={"staff_complaint": 0.9}))
    assert complaint[0] is Action.HANDOFF and complaint[1] is not None
    assert any(complaint[1].endswith(t) for t in _texts("eta_note_later", when="завтра до 10:00 (UTC+3)"))
    # every kind of handoff promises the same, e.g. an off-topic question
    assert _decide(at(THU, 19), Analysis("ru", out_of_scope=True))[1] in _texts("handoff_later",
                                                                               when="завтра до 10:00 (UTC+3)")
    # a very unhappy customer hears regret first, and when too; so does abuse in private
    angry = Analysis("ru", {"negative": 0.95, "neutral": 0.03, "positive": 0.02})
    for analysis in (angry, Analysis("ru", toxicity=0.99)):
        assert _decide(at(THU, 19), analysis)[1] in _texts("unhappy_handoff_later", when="завтра до 10:00 (UTC+3)")


def test_a_waiting_customer_outside_support_hours_hears_when_a_person_answers() -> None:
    due = MOSCOW_WEEKDAYS.deadline(at(THU, 19), 60)  # handed off Thursday 22:00 MSK
    action, reply = _decide(at(THU, 20), Analysis("ru"), ConversationState.WAITING_FOR_MODERATOR, due)
    assert action is Action.IGNORE
    assert reply in _texts("still_waiting_later", when="завтра до 10:00 (UTC+3)")
    # Friday 9:20 MSK: open, and the deadline is within today's hours: "within 40 minutes"
    action, reply = _decide(at(THU, 24 + 6, 20), Analysis("ru"), ConversationState.WAITING_FOR_MODERATOR, due)
    assert reply in _texts("still_waiting", eta="40 минут")
