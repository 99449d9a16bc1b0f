"""When a brand's moderators are at work, and the brand's clock. A handoff's reaction time counts working time
only, and a customer who writes when nobody can answer within it hears when a person will, instead of a promise
nobody keeps; moderators read every moment in the brand's time zone."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = frozenset(range(7))
MAX_DAYS_AHEAD = 400  # how far a deadline is looked for (more than a year of holidays)

# How a deadline's day reads before its time: today, tomorrow, else the weekday.
_DAY_WORDS = {
    "ru": ("сегодня", "завтра", ("в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу",
                                 "в воскресенье")),
    "tr": ("bugün", "yarın", ("pazartesi", "salı", "çarşamba", "perşembe", "cuma", "cumartesi", "pazar")),
    "en": ("today", "tomorrow", ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday",
                                 "on Saturday", "on Sunday")),
}
# A deadline a week or more away reads as a date: "9 января", "9 Ocak", "on January 9".
_MONTHS = {
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
    "tr": ("Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım",
           "Aralık"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
# Turkish dative after a clock time ("10:00'a kadar") follows the last number word as it is said.
_TR_UNITS = ("a", "e", "ye", "e", "e", "e", "ya", "ye", "e", "a")  # sıfır, bir, iki, üç, dört, beş, altı, yedi, ...
_TR_TENS = ("a", "a", "ye", "a", "a", "ye")  # (sıfır), on, yirmi, otuz, kırk, elli


class SupportHoursError(ValueError):
    """A schedule that cannot be read; the message says what is wrong."""


def clock(text: str) -> time | None:
    """'09:30' -> 09:30; '24:00' -> None (the end of the day)."""
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise SupportHoursError(f"{text!r} is not a time like 09:00")
    h, m = int(hours), int(minutes)
    if (h, m) == (24, 0):
        return None
    if h > 23 or m > 59:
        raise SupportHoursError(f"{text!r} is not a time of day")
    return time(h, m)


def parse_days(value: str | list[str]) -> frozenset[int]:
    """'mon-fri', 'mon-fri, sun' or ['mon', 'tue'] -> weekday numbers (Monday 0)."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    days: set[int] = set()
    for part in parts:
        if not isinstance(part, str):
            raise SupportHoursError(f"{part!r} is not a day like 'mon'")
        first, dash, last = part.strip().lower().partition("-")
        try:
            start = WEEKDAYS.index(first.strip())
            end = WEEKDAYS.index(last.strip()) if dash else start
        except ValueError:
            raise SupportHoursError(f"{part.strip()!r}: days are {', '.join(WEEKDAYS)} or ranges like mon-fri"
                                    ) from None
        days.update((start + i) % 7 for i in range((end - start) % 7 + 1))  # 'fri-mon' wraps
    if not days:
        raise SupportHoursError("no day is open")
    return frozenset(days)


@dataclass(frozen=True)
class SupportHours:
    """Open every day in `days` (Monday 0) from `opens` to `closes` (None: midnight), in `timezone`, except the
    `holidays` (local dates)."""

    timezone: str
    opens: time
    closes: time | None
    days: frozenset[int] = field(default=EVERY_DAY)
    holidays: frozenset[date] = frozenset()

    @classmethod
    def parse(cls, timezone: str, hours: str, days: str | list[str] = "mon-sun",
              holidays: list[str | date] | None = None) -> SupportHours:
        """From a configuration's words: an IANA time zone, 'HH:MM-HH:MM', days ('mon-fri') and holidays
        ('2027-01-01')."""
        zone_or_error(timezone)
        opens, dash, closes = hours.partition("-")
        if not dash:
            raise SupportHoursError(f"{hours!r} is not a span like 09:00-21:00")
        start, end = clock(opens), clock(closes)
        if start is None or (end is not None and end <= start):
            raise SupportHoursError(f"{hours!r}: opening must come before closing within a day"
                                    " (00:00-24:00 is all day)")
        closed = set()
        for text in holidays or []:
            if isinstance(text, date):  # a TOML date: holidays = [2027-01-01]
                closed.add(text)
                continue
            try:
                closed.add(date.fromisoformat(text))
            except (TypeError, ValueError):
                raise SupportHoursError(f"holiday {text!r} is not a date like 2027-01-01") from None
        return cls(timezone, start, end, parse_days(days), frozenset(closed))

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        """That local day's opening and closing in UTC (arithmetic on local times ignores DST), or None when
        closed all day."""
        if day.weekday() not in self.days or day in self.holidays:
            return None
        start = datetime.combine(day, self.opens, self.zone)
        end = (datetime.combine(day, self.closes, self.zone) if self.closes is not None
               else datetime.combine(day + timedelta(days=1), time(0), self.zone))
        return start.astimezone(UTC), end.astimezone(UTC)

    def deadline(self, start: datetime, minutes: int) -> datetime:
        """`minutes` of working time after `start` (aware): the time that runs while closed does not count."""
        left = timedelta(minutes=minutes)
        start = start.astimezone(UTC)
        day = start.astimezone(self.zone).date()
        for _ in range(MAX_DAYS_AHEAD):
            window = self._window(day)
            if window is not None:
                begin = max(start, window[0])
                if begin < window[1]:
                    if begin + left <= window[1]:
                        return begin + left
                    left -= window[1] - begin
            day += timedelta(days=1)
        return start + left  # holidays all year round: the minutes as they are, never a wait without end

    def working_time(self, start: datetime, end: datetime) -> timedelta:
        """How much of `start`..`end` lay within support hours (a moderator's reaction time, nights left out)."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        total = timedelta(0)
        day, last = start.astimezone(self.zone).date(), end.astimezone(self.zone).date()
        while day <= last:
            window = self._window(day)
            if window is not None:
                total += max(timedelta(0), min(end, window[1]) - max(start, window[0]))
            day += timedelta(days=1)
        return total

    def open_throughout(self, start: datetime, end: datetime) -> bool:
        """Whether working time runs all the way from `start` to `end` (nobody leaves in between; a day open
        until 24:00 runs on into the next one open from 00:00)."""
        return self.working_time(start, end) == end - start

    def longest_wait(self, minutes: int) -> timedelta:
        """The longest a message can wait for its deadline: written just as the longest closed stretch begins."""
        weekly = replace(self, holidays=frozenset())  # the week's schedule; holidays are the exception
        monday = date(2026, 1, 5)  # any week: the schedule repeats
        closings = [w[1] for d in range(7) if (w := weekly._window(monday + timedelta(days=d))) is not None]
        return max(weekly.deadline(at, minutes) - at for at in closings)

    def when(self, deadline: datetime, now: datetime, language: str) -> str:
        """The deadline as the customer reads it: 'завтра до 10:00 (UTC+3)', 'yarın saat 10:00'a kadar (UTC+3)',
        'on Monday by 10:00 (UTC+3)'."""
        local = deadline.astimezone(self.zone)
        today, tomorrow, weekdays = _DAY_WORDS.get(language, _DAY_WORDS["en"])
        ahead = (local.date() - now.astimezone(self.zone).date()).days
        months = _MONTHS.get(language, _MONTHS["en"])
        on_date = (f"on {months[local.month - 1]} {local.day}" if language == "en"
                   else f"{local.day} {months[local.month - 1]}")
        day = today if ahead <= 0 else tomorrow if ahead == 1 else (
            weekdays[local.weekday()] if ahead < 7 else on_date)
        clock = f"{local.hour}:{local.minute:02d}"
        zone = _utc_offset(local)
        if language == "ru":
            return f"{day} до {clock} ({zone})"
        if language == "tr":
            return f"{day} saat {clock}'{_tr_dative(local.hour, local.minute)} kadar ({zone})"
        return f"{day} by {clock} ({zone})"


def zone_or_error(name: str) -> ZoneInfo:
    """The time zone of an IANA name; SupportHoursError names what is wrong."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SupportHoursError(f"unknown time zone {name!r} (use a name like 'Europe/Moscow')") from None


def local_moment(moment: datetime | str, zone: ZoneInfo) -> str:
    """A stored moment (aware, or its ISO text) as moderators read it: "2026-12-07 10:00 (UTC+3)"."""
    when = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    local = when.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} ({_utc_offset(local)})"


def _utc_offset(local: datetime) -> str:
    offset = local.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _tr_dative(hour: int, minute: int) -> str:
    """The suffix of '10:00'a', '8:30'a', '9:15'e': said last is the minutes, or the hour at :00."""
    number = minute or hour
    return _TR_UNITS[number % 10] if number % 10 or number == 0 else _TR_TENS[number // 10]
