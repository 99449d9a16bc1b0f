"""The TOML configuration: storage, encoder and brands ("projects"), validated at start.

Errors name the file, the key and what is wrong. Secrets are never in the file: it names the
environment variables that hold them.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from handlers.blocklist import Blocklist
from handlers.directed import CampaignPolicy
from handlers.policy import BrandPolicy
from handlers.support_hours import SupportHours, SupportHoursError, clock, zone_or_error
from handlers.surge import SurgePolicy
from models.language import SUPPORTED
from models.word_match import WordList

log = logging.getLogger(__name__)

DEFAULT_CONFIG_NAME = "smm-responder.toml"
EMBEDDED_CONFIG = Path(__file__).parent / "defaults" / DEFAULT_CONFIG_NAME


class ConfigError(ValueError):
    def __init__(self, file: Path, key: str, message: str) -> None:
        super().__init__(f"{file}: {key}: {message}")


@dataclass(frozen=True)
class TelegramSettings:
    token_env: str
    moderator_chat: int | None = None
    mode: str = "polling"  # or "webhook"
    api_server: str | None = None  # a self-hosted telegram-bot-api server
    webhook_url: str | None = None
    webhook_secret_env: str | None = None
    listen_host: str = "0.0.0.0"
    listen_port: int = 8080
    bot_username: str | None = None
    mention_words: tuple[str, ...] = ()
    # Telegram Business accounts (user ids) whose private chats the bot answers once they connect it; anyone
    # with Telegram Business can connect any bot, so other accounts' connections are ignored.
    business_accounts: tuple[int, ...] = ()
    # when the moderators' forum hears the day's figures, on the brand's clock (None: never)
    daily_summary: time | None = time(21, 0)
    # whether the forum gets the last month's client report (`smm-responder report --month`) on the 1st
    monthly_report: bool = True
    # the company's own Telegram chat (the brand's experts: the agency's client), where moderators' questions about
    # a thread go (`/ask` in its topic) and whose answers come back to the topic (bot.telegram.company_chat)
    company_chat: int | None = None

    def token(self) -> str | None:
        return os.environ.get(self.token_env) or None


@dataclass(frozen=True)
class VkSettings:
    token_env: str  # "": no community, only the search for posts about the brand (`monitor`)
    group_id: int
    mode: str = "longpoll"  # or "callback"
    api_url: str = "https://api.vk.ru"
    confirmation_env: str | None = None
    secret_env: str | None = None
    listen_host: str = "0.0.0.0"
    listen_port: int = 8081
    # mentions of the brand outside its community (bot.vk.monitor): search queries, the environment variable
    # holding the token newsfeed.search takes (an app's service token; a community's cannot search), how often
    monitor: tuple[str, ...] = ()
    monitor_token_env: str | None = None
    monitor_minutes: int = 10

    def token(self) -> str | None:
        return os.environ.get(self.token_env) or None if self.token_env else None

    def monitor_token(self) -> str | None:
        return os.environ.get(self.monitor_token_env) if self.monitor_token_env else None


@dataclass(frozen=True)
class BrandConfig:
    name: str
    display_name: str
    argument_base: Path
    policy: BrandPolicy
    telegram: TelegramSettings | None = None
    vk: VkSettings | None = None


@dataclass(frozen=True)
class BackupSchedule:
    """The bot's own backups of its database (bot.backup.watch_backups): into `folder`, one every `every`, the
    newest `kept` kept."""

    folder: Path
    every: timedelta
    kept: int
    # a program that copies each new backup off the machine, as its arguments ("{backup}": the file's path,
    # "{name}": its name), e.g. ["rclone", "copyto", "{backup}", "offsite:smm/{name}"]; () none
    command: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgencySettings:
    """The agency's own Telegram chat (bot.telegram.agency): every brand at a glance (`overview`) each day at
    `overview_at` on the agency's clock, posted by the bot of brand `via_brand`."""

    chat: int
    via_brand: str
    overview_at: time = time(9, 30)
    timezone: str = "UTC"
    language: str = "ru"
    monthly_reports: bool = True  # on the 1st, every brand's report of the month before too


@dataclass(frozen=True)
class Config:
    file: Path
    storage_path: Path
    encoder: str
    brands: dict[str, BrandConfig] = field(default_factory=dict)
    backups: BackupSchedule | None = None
    agency: AgencySettings | None = None

    def only_brand(self) -> str:
        """The name of the configuration's one brand, for commands whose `--brand` is left out."""
        if len(self.brands) == 1:
            return next(iter(self.brands))
        known = ", ".join(sorted(self.brands)) or "none"
        raise ConfigError(self.file, "brands", f"name one with --brand (configured: {known})")

    def brand(self, name: str) -> BrandConfig:
        try:
            return self.brands[name]
        except KeyError:
            known = ", ".join(sorted(self.brands)) or "none"
            raise ConfigError(self.file, "brands", f"no brand named {name!r} (configured: {known})") from None


class _Reader:
    def __init__(self, file: Path) -> None:
        self.file = file

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(self.file, key, message)

    def get(self, table: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...],
            default: Any = ..., *, allowed: set[str] | None = None) -> Any:
        full = f"{where}.{key}" if where else key
        if key not in table:
            if default is ...:
                raise self.fail(full, "is required")
            return default
        value = table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if isinstance(value, bool) and kind is not bool and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(full, f"must be {getattr(kind, '__name__', kind)}, not a boolean")
        if not isinstance(value, kind):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise self.fail(full, f"must be {names}, got {type(value).__name__} {value!r}")
        if allowed is not None and value not in allowed:
            raise self.fail(full, f"must be one of {sorted(allowed)}, got {value!r}")
        return value

    def unknown(self, table: dict[str, Any], known: set[str], where: str) -> None:
        for key in table:
            if key not in known:
                raise self.fail(f"{where}.{key}" if where else key, "unknown key")


def _env_name(reader: _Reader, table: dict[str, Any], key: str, where: str, required: bool = True) -> str | None:
    value = reader.get(table, key, where, str, ... if required else None)
    if value is not None and (not value.isidentifier() or not value.isupper()):
        raise reader.fail(f"{where}.{key}", "must be the NAME of an environment variable (UPPER_CASE), not a secret")
    return value


def _threshold(reader: _Reader, table: dict[str, Any], key: str, where: str, default: float) -> float:
    value = float(reader.get(table, key, where, float, default))
    if not 0.0 <= value <= 1.0:
        raise reader.fail(f"{where}.{key}", f"must be between 0 and 1, got {value}")
    return value


def _support_hours(reader: _Reader, raw: dict[str, Any], where: str, minutes: int,
                   brand_timezone: str) -> SupportHours | None:
    """`[brands.support_hours]`: when moderators work (in the brand's time zone unless given); none means around
    the clock."""
    if "support_hours" not in raw:
        return None
    table = reader.get(raw, "support_hours", where, dict)
    where = f"{where}.support_hours"
    reader.unknown(table, {"timezone", "hours", "days", "holidays"}, where)
    timezone = reader.get(table, "timezone", where, str, brand_timezone)
    span = reader.get(table, "hours", where, str)
    days = reader.get(table, "days", where, (str, list), "mon-sun")
    holidays = reader.get(table, "holidays", where, list, [])
    try:
        hours = SupportHours.parse(timezone, span, days, holidays)
    except SupportHoursError as exc:
        raise reader.fail(where, str(exc)) from None
    longest = hours.longest_wait(minutes)
    if longest > timedelta(days=1):
        # The brand's choice, but practitioners' limit is a day: say so once at start.
        log.warning("%s: a message written at closing time waits up to %.0f h for a person (practitioners: never"
                    " over a day); open on more days or for longer", where, longest.total_seconds() / 3600)
    return hours


def _daily_summary(reader: _Reader, raw: dict[str, Any], where: str) -> time | None:
    """`daily_summary = "21:00"` (the default) or "off": when the forum hears the day's figures."""
    return _time_of_day(reader, raw, "daily_summary", where, "21:00", may_be_off=True)


def _time_of_day(reader: _Reader, table: dict[str, Any], key: str, where: str, default: str,
                 may_be_off: bool = False) -> time | None:
    """A time of day like "21:00" (None: "off", where `may_be_off`)."""
    value = reader.get(table, key, where, str, default).strip()
    if may_be_off and value.lower() in ("", "off"):
        return None
    try:
        moment = clock(value)
    except SupportHoursError:
        moment = None
    if moment is None:
        raise reader.fail(f"{where}.{key}", 'must be a time of day like "21:00"' + (', or "off"' if may_be_off
                                                                                    else ""))
    return moment


def _words(reader: _Reader, raw: dict[str, Any], key: str, where: str,
           build: Callable[[list[str]], object]) -> tuple[str, ...]:
    """A brand's list of words and phrases (`blocked_words`, `competitors`): strings `build` accepts."""
    words = reader.get(raw, key, where, list, [])
    for i, word in enumerate(words):
        if not isinstance(word, str):
            raise reader.fail(f"{where}.{key}[{i}]", "must be a string")
    try:
        build(words)
    except ValueError as exc:
        raise reader.fail(f"{where}.{key}", str(exc)) from None
    return tuple(words)


def _surge(reader: _Reader, raw: Any, where: str) -> SurgePolicy:
    table = reader.get(raw, "negative_surge", where, dict, {})
    sw = f"{where}.negative_surge"
    reader.unknown(table, {"customers", "window_minutes", "new_topics"}, sw)
    customers = reader.get(table, "customers", sw, int, SurgePolicy.customers)
    if customers != 0 and customers < 2:
        raise reader.fail(f"{sw}.customers", "must be 0 (no alerts) or at least 2 (a surge is several customers)")
    window = reader.get(table, "window_minutes", sw, int, SurgePolicy.window_minutes)
    if not 1 <= window <= 24 * 60:
        raise reader.fail(f"{sw}.window_minutes", "must be between 1 and 1440")
    return SurgePolicy(customers, window, reader.get(table, "new_topics", sw, bool, SurgePolicy.new_topics))


def _brand(reader: _Reader, raw: Any, index: int, base_dir: Path) -> BrandConfig:
    where = f"brands[{index}]"
    if not isinstance(raw, dict):
        raise reader.fail(where, "must be a table")
    reader.unknown(raw, {"name", "display_name", "languages", "default_language", "argument_base",
                         "reaction_minutes", "hide_toxic", "hide_spam", "hide_details", "blocked_words", "competitors",
                         "builtin_blocked_words", "builtin_out_of_scope", "private_link", "thresholds",
                         "directed_negative", "negative_surge", "timezone", "support_hours", "hand_back_hours",
                         "telegram", "vk"}, where)
    name = reader.get(raw, "name", where, str)
    if not name.replace("-", "").replace("_", "").isalnum():
        raise reader.fail(f"{where}.name", "use letters, digits, '-' and '_' only")
    where = f"brands.{name}"
    languages = reader.get(raw, "languages", where, list, ["ru", "tr", "en"])
    for lang in languages:
        if lang not in SUPPORTED:
            raise reader.fail(f"{where}.languages", f"unsupported language {lang!r} (supported: {list(SUPPORTED)})")
    default_language = reader.get(raw, "default_language", where, str, languages[0] if languages else "ru")
    if default_language not in languages:
        raise reader.fail(f"{where}.default_language", f"{default_language!r} is not in languages {languages}")
    kb = base_dir / reader.get(raw, "argument_base", where, str)
    if not kb.is_dir():
        raise reader.fail(f"{where}.argument_base", f"folder {kb} does not exist")
    minutes = reader.get(raw, "reaction_minutes", where, int, 60)
    if not 1 <= minutes <= 24 * 60:
        raise reader.fail(f"{where}.reaction_minutes", "must be between 1 and 1440 (a human reacts within a day)")
    hand_back = reader.get(raw, "hand_back_hours", where, int, 24)
    if not 0 <= hand_back <= 24 * 30:
        raise reader.fail(f"{where}.hand_back_hours", "must be between 0 (never) and 720 hours")
    timezone = reader.get(raw, "timezone", where, str, "UTC")
    try:
        zone_or_error(timezone)
    except SupportHoursError as exc:
        raise reader.fail(f"{where}.timezone", str(exc)) from None
    hours = _support_hours(reader, raw, where, minutes, timezone)
    th = reader.get(raw, "thresholds", where, dict, {})
    tw = f"{where}.thresholds"
    reader.unknown(th, {"answer", "margin", "intent", "out_of_scope", "negative_handoff", "toxic"}, tw)
    dn = reader.get(raw, "directed_negative", where, dict, {})
    dw = f"{where}.directed_negative"
    reader.unknown(dn, {"accounts", "window_minutes", "similarity", "min_words"}, dw)
    accounts = reader.get(dn, "accounts", dw, int, CampaignPolicy.accounts)
    if accounts < 2:
        raise reader.fail(f"{dw}.accounts", "must be at least 2 (a wave comes from several accounts)")
    window = reader.get(dn, "window_minutes", dw, int, CampaignPolicy.window_minutes)
    if not 1 <= window <= 24 * 60:
        raise reader.fail(f"{dw}.window_minutes", "must be between 1 and 1440")
    campaign = CampaignPolicy(accounts, window, _threshold(reader, dn, "similarity", dw, CampaignPolicy.similarity),
                              reader.get(dn, "min_words", dw, int, CampaignPolicy.min_words))
    surge = _surge(reader, raw, where)
    blocked = _words(reader, raw, "blocked_words", where, Blocklist)
    competitors = _words(reader, raw, "competitors", where, WordList)
    policy = BrandPolicy(
        competitors=competitors,
        campaign=campaign,
        surge=surge,
        blocked_words=blocked,
        builtin_blocked_words=reader.get(raw, "builtin_blocked_words", where, bool, True),
        default_language=default_language,
        languages=tuple(languages),
        answer_threshold=_threshold(reader, th, "answer", tw, 0.85),
        answer_margin=_threshold(reader, th, "margin", tw, 0.005),
        intent_threshold=_threshold(reader, th, "intent", tw, 0.5),
        out_of_scope_similarity=_threshold(reader, th, "out_of_scope", tw, BrandPolicy.out_of_scope_similarity),
        builtin_out_of_scope=reader.get(raw, "builtin_out_of_scope", where, bool, BrandPolicy.builtin_out_of_scope),
        negative_handoff=_threshold(reader, th, "negative_handoff", tw, 0.85),
        toxic_threshold=_threshold(reader, th, "toxic", tw, 0.8),
        hide_toxic=reader.get(raw, "hide_toxic", where, bool, False),
        hide_spam=reader.get(raw, "hide_spam", where, bool, True),
        hide_details=reader.get(raw, "hide_details", where, bool, False),
        reaction_minutes=minutes,
        hand_back_hours=hand_back,
        support_hours=hours,
        timezone=timezone,
        private_link=reader.get(raw, "private_link", where, str, ""),
    )
    telegram = None
    if "telegram" in raw:
        t = reader.get(raw, "telegram", where, dict)
        tw = f"{where}.telegram"
        reader.unknown(t, {"token_env", "moderator_chat", "mode", "api_server", "webhook_url", "webhook_secret_env",
                           "listen_host", "listen_port", "bot_username", "mention_words", "business_accounts",
                           "daily_summary", "monthly_report", "company_chat"}, tw)
        accounts = reader.get(t, "business_accounts", tw, list, [])
        if not all(isinstance(a, int) and not isinstance(a, bool) for a in accounts):
            raise reader.fail(f"{tw}.business_accounts", "must list Telegram user ids (numbers), e.g. [123456789]")
        telegram = TelegramSettings(
            token_env=_env_name(reader, t, "token_env", tw) or "",
            moderator_chat=reader.get(t, "moderator_chat", tw, int, None),
            mode=reader.get(t, "mode", tw, str, "polling", allowed={"polling", "webhook"}),
            api_server=reader.get(t, "api_server", tw, str, None),
            webhook_url=reader.get(t, "webhook_url", tw, str, None),
            webhook_secret_env=_env_name(reader, t, "webhook_secret_env", tw, required=False),
            listen_host=reader.get(t, "listen_host", tw, str, "0.0.0.0"),
            listen_port=reader.get(t, "listen_port", tw, int, 8080),
            bot_username=reader.get(t, "bot_username", tw, str, None),
            mention_words=tuple(reader.get(t, "mention_words", tw, list, [])),
            business_accounts=tuple(accounts),
            daily_summary=_daily_summary(reader, t, tw),
            monthly_report=reader.get(t, "monthly_report", tw, bool, True),
            company_chat=reader.get(t, "company_chat", tw, int, None),
        )
        if telegram.company_chat is not None and telegram.moderator_chat is None:
            raise reader.fail(f"{tw}.company_chat", "needs moderator_chat: moderators ask the company from a thread's "
                                                    "topic in their forum")
        if telegram.company_chat is not None and telegram.company_chat == telegram.moderator_chat:
            raise reader.fail(f"{tw}.company_chat", "must be another chat than moderator_chat (the company would read "
                                                    "every customer's thread)")
        if telegram.mode == "webhook" and not telegram.webhook_url:
            raise reader.fail(f"{tw}.webhook_url", "is required when mode = \"webhook\"")
    vk = None
    if "vk" in raw:
        v = reader.get(raw, "vk", where, dict)
        vw = f"{where}.vk"
        reader.unknown(v, {"token_env", "group_id", "mode", "api_url", "confirmation_env", "secret_env",
                           "listen_host", "listen_port", "monitor", "monitor_token_env", "monitor_minutes"}, vw)
        monitor = reader.get(v, "monitor", vw, list, [])
        if not all(isinstance(query, str) and query.strip() for query in monitor):
            raise reader.fail(f"{vw}.monitor", "must be a list of search queries (non-empty strings), e.g."
                                               " [\"Волна Телеком\", \"#volnatelecom\"]")
        monitor_token_env = _env_name(reader, v, "monitor_token_env", vw, required=bool(monitor))
        monitor_minutes = reader.get(v, "monitor_minutes", vw, int, 10)
        if monitor_minutes < 1:
            raise reader.fail(f"{vw}.monitor_minutes", f"must be 1 or more, got {monitor_minutes}")
        community = "token_env" in v or not monitor  # a brand may only search VK for posts about it
        vk = VkSettings(
            token_env=(_env_name(reader, v, "token_env", vw) if community else None) or "",
            group_id=reader.get(v, "group_id", vw, int, ... if community else 0),
            mode=reader.get(v, "mode", vw, str, "longpoll", allowed={"longpoll", "callback"}),
            api_url=reader.get(v, "api_url", vw, str, "https://api.vk.ru"),
            confirmation_env=_env_name(reader, v, "confirmation_env", vw, required=False),
            secret_env=_env_name(reader, v, "secret_env", vw, required=False),
            listen_host=reader.get(v, "listen_host", vw, str, "0.0.0.0"),
            listen_port=reader.get(v, "listen_port", vw, int, 8081),
            monitor=tuple(query.strip() for query in monitor),
            monitor_token_env=monitor_token_env,
            monitor_minutes=monitor_minutes,
        )
    display = reader.get(raw, "display_name", where, str, name)
    return BrandConfig(name, display, kb, policy, telegram, vk)


# What one brand alone may have, and why (an agency copying a brand's table for the next one forgets one of them).
SHARED_WHY = {
    "telegram.token_env": "a Telegram bot answers for one brand (two brands on one bot would take each other's "
                          "customers and fight over its updates); create a bot per brand with @BotFather",
    "telegram.moderator_chat": "each brand needs its own moderators' forum, or one brand's moderators would read "
                               "the other's customers",
    "vk.token_env": "a VK community token belongs to one community, and a community to one brand",
    "vk.group_id": "a VK community is one brand's",
}


def _own_to_a_brand(brand: BrandConfig) -> list[tuple[str, object]]:
    """The settings no other brand of the configuration may share (SHARED_WHY), as (key, value)."""
    own: list[tuple[str, object]] = []
    if brand.telegram is not None:
        own += [("telegram.token_env", brand.telegram.token_env)] if brand.telegram.token_env else []
        own += [("telegram.moderator_chat", brand.telegram.moderator_chat)] if brand.telegram.moderator_chat else []
    if brand.vk is not None and brand.vk.token_env:  # (a brand searching VK only shares nothing: `monitor`)
        own += [("vk.token_env", brand.vk.token_env), ("vk.group_id", brand.vk.group_id)]
    return own


def load_config(path: Path | None = None) -> Config:
    """Read the given file, else ./smm-responder.toml, else the embedded default."""
    if path is None:
        local = Path(DEFAULT_CONFIG_NAME)
        path = local if local.is_file() else EMBEDDED_CONFIG
    reader = _Reader(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(path, "-", "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "-", f"not valid TOML: {exc}") from None
    reader.unknown(data, {"storage", "encoder", "brands", "agency"}, "")
    storage = reader.get(data, "storage", "", dict, {})
    encoder = reader.get(data, "encoder", "", dict, {})
    reader.unknown(storage, {"path", "backups", "backup_hours", "backups_kept", "backup_command"}, "storage")
    storage_path = Path(reader.get(storage, "path", "storage", str, "var/smm-responder.sqlite3"))
    backups = _backups(reader, storage)
    brands_raw = reader.get(data, "brands", "", list)
    if not brands_raw:
        raise reader.fail("brands", "at least one brand is required")
    brands: dict[str, BrandConfig] = {}
    webhooks: dict[tuple[str, int, str], str] = {}
    owners: dict[tuple[str, object], str] = {}  # (key, value) -> the brand it belongs to (_own_to_a_brand)
    for i, raw in enumerate(brands_raw):
        brand = _brand(reader, raw, i, path.parent)
        if brand.name in brands:
            raise reader.fail(f"brands[{i}].name", f"brand {brand.name!r} is listed twice")
        brands[brand.name] = brand
        tg = brand.telegram
        if tg is not None and tg.mode == "webhook" and tg.webhook_url:
            key = (tg.listen_host, tg.listen_port, urlparse(tg.webhook_url).path or "/")
            if key in webhooks:
                raise reader.fail(f"brands[{i}].telegram.webhook_url",
                                  f"brand {brand.name!r} has the same webhook path on the same port as brand"
                                  f" {webhooks[key]!r}; give each brand its own path, e.g. /telegram/{brand.name}")
            webhooks[key] = brand.name
        for setting, value in _own_to_a_brand(brand):
            other = owners.setdefault((setting, value), brand.name)
            if other != brand.name:
                raise reader.fail(f"brands[{i}].{setting}", f"brand {brand.name!r} has the same {setting} as brand "
                                  f"{other!r}: {SHARED_WHY[setting]}")
    return Config(path, storage_path, reader.get(encoder, "model", "encoder", str, "bundled"), brands, backups,
                  _agency(reader, data, brands))


def _agency(reader: _Reader, data: dict[str, Any], brands: dict[str, BrandConfig]) -> AgencySettings | None:
    """`[agency]`: chat, via_brand (a brand with a Telegram bot), overview_at ("09:30"), timezone, language."""
    if "agency" not in data:
        return None
    table = reader.get(data, "agency", "", dict)
    reader.unknown(table, {"chat", "via_brand", "overview_at", "timezone", "language", "monthly_reports"}, "agency")
    via = reader.get(table, "via_brand", "agency", str)
    if via not in brands or brands[via].telegram is None:
        raise reader.fail("agency.via_brand", f"must name a brand with a [brands.telegram] table, not {via!r}")
    at = _time_of_day(reader, table, "overview_at", "agency", "09:30")
    assert at is not None
    timezone = reader.get(table, "timezone", "agency", str, "UTC")
    try:
        zone_or_error(timezone)
    except SupportHoursError as exc:
        raise reader.fail("agency.timezone", str(exc)) from None
    return AgencySettings(reader.get(table, "chat", "agency", int), via, at, timezone,
                          reader.get(table, "language", "agency", str, "ru", allowed={"ru", "tr", "en"}),
                          reader.get(table, "monthly_reports", "agency", bool, True))


def _backups(reader: _Reader, storage: dict[str, Any]) -> BackupSchedule | None:
    """`[storage] backups = "var/backups"` (none: the bot takes no backups of its own), `backup_hours = 24`,
    `backups_kept = 7`, `backup_command = [...]` (none)."""
    folder = reader.get(storage, "backups", "storage", str, "")
    hours = reader.get(storage, "backup_hours", "storage", (int, float), 24)
    kept = reader.get(storage, "backups_kept", "storage", int, 7)
    command = reader.get(storage, "backup_command", "storage", list, [])
    if command and not (all(isinstance(part, str) and part for part in command)
                        and any("{backup}" in part for part in command)):
        raise reader.fail("storage.backup_command", 'must list a program and its arguments, one of them naming the '
                                                    'backup as "{backup}", e.g. ["rclone", "copyto", "{backup}", '
                                                    '"offsite:smm/{name}"]')
    if not folder:
        for key in ("backup_hours", "backups_kept", "backup_command"):
            if key in storage:
                raise reader.fail(f"storage.{key}", 'needs `backups`, the folder to keep them in (e.g. "var/backups")')
        return None
    if hours <= 0:
        raise reader.fail("storage.backup_hours", "must be more than 0")
    if kept < 1:
        raise reader.fail("storage.backups_kept", "must be 1 or more")
    return BackupSchedule(Path(folder), timedelta(hours=hours), kept, tuple(command))
