"""Configuration validation names the file, the key and what is wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.config import EMBEDDED_CONFIG, ConfigError, TelegramSettings, load_config
from tests.conftest import write_config


def test_embedded_default_loads() -> None:
    config = load_config(EMBEDDED_CONFIG)
    assert list(config.brands) == ["volna"]
    assert config.storage_path == Path("var/smm-responder.sqlite3")
    assert config.brands["volna"].argument_base.is_dir()
    policy = config.brands["volna"].policy
    assert policy.builtin_out_of_scope and policy.out_of_scope_similarity == 0.88


def test_public_comments_with_a_customers_details_are_left_up_unless_the_brand_hides_them(tmp_path: Path) -> None:
    assert not load_config(write_config(tmp_path)).brands["volna"].policy.hide_details
    assert load_config(write_config(tmp_path, brand_extra="hide_details = true")).brands["volna"].policy.hide_details


def test_out_of_scope_settings(tmp_path: Path) -> None:
    path = write_config(tmp_path, brand_extra="builtin_out_of_scope = false\n[brands.thresholds]\nout_of_scope = 0.93")
    policy = load_config(path).brands["volna"].policy
    assert not policy.builtin_out_of_scope and policy.out_of_scope_similarity == 0.93


@pytest.mark.parametrize(
    ("brand_extra", "key", "words"),
    [
        ("reaction_minutes = 5000", "brands.volna.reaction_minutes", "1440"),
        ("hand_back_hours = -1", "brands.volna.hand_back_hours", "between 0 (never) and 720"),
        ("[brands.thresholds]\nanswer = 1.5", "brands.volna.thresholds.answer", "between 0 and 1"),
        ("[brands.thresholds]\nanswr = 0.5", "brands.volna.thresholds.answr", "unknown key"),
        ("[brands.thresholds]\nout_of_scope = 2", "brands.volna.thresholds.out_of_scope", "between 0 and 1"),
        ("hide_toxic = 'yes'", "brands.volna.hide_toxic", "must be bool"),
        ("hide_spam = 'no'", "brands.volna.hide_spam", "must be bool"),
        ("hide_details = 1", "brands.volna.hide_details", "must be bool"),
        ("builtin_out_of_scope = 1", "brands.volna.builtin_out_of_scope", "must be bool"),
        ("blocked_words = ['ok', 5]", "brands.volna.blocked_words[1]", "must be a string"),
        ("blocked_words = ['!!!']", "brands.volna.blocked_words", "has no letters or digits"),
        ("competitors = 'МТС'", "brands.volna.competitors", "must be list"),
        ("competitors = ['МТС', 7]", "brands.volna.competitors[1]", "must be a string"),
        ("competitors = ['—']", "brands.volna.competitors", "has no letters or digits"),
        ("[brands.telegram]\ntoken_env = '123456:AAE-secret'", "brands.volna.telegram.token_env",
         "NAME of an environment variable"),
        ("[brands.telegram]\ntoken_env = 'T'\nbusiness_accounts = ['@volna_shop']",
         "brands.volna.telegram.business_accounts", "Telegram user ids (numbers)"),
        ("[brands.telegram]\ntoken_env = 'TG_TOKEN'\nmode = 'carrier-pigeon'", "brands.volna.telegram.mode",
         "must be one of"),
        ("[brands.telegram]\ntoken_env = 'T'\ndaily_summary = '9pm'", "brands.volna.telegram.daily_summary",
         'a time of day like "21:00", or "off"'),
        ("[brands.telegram]\ntoken_env = 'T'\ndaily_summary = '24:00'", "brands.volna.telegram.daily_summary",
         'a time of day like "21:00"'),
        ("[brands.telegram]\ntoken_env = 'T'\ncompany_chat = -1005", "brands.volna.telegram.company_chat",
         "needs moderator_chat"),
        ("[brands.telegram]\ntoken_env = 'T'\nmoderator_chat = -1001\ncompany_chat = -1001",
         "brands.volna.telegram.company_chat", "another chat than moderator_chat"),
        ("[brands.vk]\ntoken_env = 'VK_TOKEN'", "brands.volna.vk.group_id", "is required"),
        ("[brands.vk]\ntoken_env = 'V'\ngroup_id = 1\nmonitor = ['Волна Телеком']", "brands.volna.vk.monitor_token_env",
         "is required"),
        ("[brands.vk]\ntoken_env = 'V'\ngroup_id = 1\nmonitor = 'Волна'\nmonitor_token_env = 'S'",
         "brands.volna.vk.monitor", "must be list"),
        ("[brands.vk]\ntoken_env = 'V'\ngroup_id = 1\nmonitor = ['Волна', ' ']\nmonitor_token_env = 'S'",
         "brands.volna.vk.monitor", "search queries (non-empty strings)"),
        ("[brands.vk]\ntoken_env = 'V'\ngroup_id = 1\nmonitor = ['Волна']\nmonitor_token_env = 'vk.abc'",
         "brands.volna.vk.monitor_token_env", "NAME of an environment variable"),
        ("[brands.vk]\ntoken_env = 'V'\ngroup_id = 1\nmonitor = ['Волна']\nmonitor_token_env = 'S'\n"
         "monitor_minutes = 0", "brands.volna.vk.monitor_minutes", "must be 1 or more"),
        ("timezone = 'Moscow'", "brands.volna.timezone", "unknown time zone 'Moscow'"),
        ("[brands.support_hours]\ntimezone = 5\nhours = '09:00-18:00'", "brands.volna.support_hours.timezone",
         "must be str"),
        ("[brands.support_hours]\ntimezone = 'Moscow'\nhours = '09:00-18:00'", "brands.volna.support_hours",
         "unknown time zone 'Moscow'"),
        ("[brands.support_hours]\ntimezone = 'UTC'\nhours = '21:00-09:00'", "brands.volna.support_hours",
         "opening must come before closing"),
        ("[brands.support_hours]\ntimezone = 'UTC'\nhours = '09:00-18:00'\ndays = 'weekdays'",
         "brands.volna.support_hours", "'weekdays': days are mon"),
        ("[brands.support_hours]\ntimezone = 'UTC'\nhours = '09:00-18:00'\nholidays = ['Jan 1']",
         "brands.volna.support_hours", "holiday 'Jan 1' is not a date"),
        ("[brands.support_hours]\ntimezone = 'UTC'\nhours = '09:00-18:00'\nopen = true",
         "brands.volna.support_hours.open", "unknown key"),
    ],
)
def test_errors_name_file_and_key(tmp_path: Path, brand_extra: str, key: str, words: str) -> None:
    path = write_config(tmp_path, brand_extra=brand_extra)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(str(path)) and key in message and words in message, message


def test_a_brand_without_a_vk_community_may_still_search_vk_for_posts_about_it(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOLNA_VK_SEARCH", "service-key")
    brand = load_config(write_config(tmp_path, brand_extra="[brands.vk]\nmonitor = ['Волна Телеком']\n"
                                                            "monitor_token_env = 'VOLNA_VK_SEARCH'")).brands["volna"]
    assert brand.vk is not None and brand.vk.token() is None and brand.vk.group_id == 0
    assert brand.vk.monitor == ("Волна Телеком",) and brand.vk.monitor_token() == "service-key"
    with pytest.raises(ConfigError, match=r"brands\.volna\.vk\.token_env: is required"):  # neither: nothing to do
        load_config(write_config(tmp_path, brand_extra="[brands.vk]\nmonitor_minutes = 5"))
    with pytest.raises(ConfigError, match=r"brands\.volna\.vk\.group_id: is required"):  # a community needs its id
        load_config(write_config(tmp_path, brand_extra="[brands.vk]\ntoken_env = 'V'\nmonitor = ['Волна']\n"
                                                        "monitor_token_env = 'S'"))


def _telegram(tmp_path: Path, extra: str) -> TelegramSettings:
    """The sample brand's Telegram settings with `extra` lines in its table."""
    telegram = load_config(write_config(tmp_path, brand_extra=f"[brands.telegram]\ntoken_env = 'T'\n{extra}")
                           ).brands["volna"].telegram
    assert telegram is not None
    return telegram


def test_the_forums_daily_summary_is_at_21_by_default_at_the_given_time_or_off(tmp_path: Path) -> None:
    from datetime import time

    def summary(extra: str) -> time | None:
        return _telegram(tmp_path, extra).daily_summary

    assert (summary(""), summary("daily_summary = '19:30'"), summary("daily_summary = 'off'")) == (
        time(21, 0), time(19, 30), None)


def test_the_forum_gets_the_monthly_client_report_unless_turned_off(tmp_path: Path) -> None:
    def monthly(extra: str) -> bool:
        return _telegram(tmp_path, extra).monthly_report

    assert (monthly(""), monthly("monthly_report = false")) == (True, False)
    with pytest.raises(ConfigError, match=r"brands\.volna\.telegram\.monthly_report"):
        monthly("monthly_report = 'yes'")


@pytest.mark.parametrize(("storage_extra", "key", "words"), [
    ("backup_hours = 12", "storage.backup_hours", "needs `backups`"),
    ("backups = 'var/b'\nbackup_hours = 0", "storage.backup_hours", "more than 0"),
    ("backups = 'var/b'\nbackups_kept = 0", "storage.backups_kept", "1 or more"),
    ("backup = 'var/b'", "storage.backup", "unknown key"),
    ("backup_command = ['rclone', 'copyto', '{backup}', 'x:']", "storage.backup_command", "needs `backups`"),
    ("backups = 'var/b'\nbackup_command = ['rclone', 'copyto', 'x']", "storage.backup_command", '"{backup}"'),
    ("backups = 'var/b'\nbackup_command = 'rclone copyto {backup} x'", "storage.backup_command", "must be list"),
])
def test_bad_backup_settings_are_named(tmp_path: Path, storage_extra: str, key: str, words: str) -> None:
    path = write_config(tmp_path, storage_extra=storage_extra)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}: {key}: ") and words in str(info.value), str(info.value)


def test_backups_are_off_unless_a_folder_is_given(tmp_path: Path) -> None:
    assert load_config(write_config(tmp_path)).backups is None
    backups = load_config(write_config(tmp_path, storage_extra="backups = 'var/b'")).backups
    assert backups is not None and (backups.folder, backups.every.total_seconds(), backups.kept) == (
        Path("var/b"), 86400.0, 7)


@pytest.mark.parametrize(("agency", "key", "words"), [
    ('chat = -100\nvia_brand = "acme"', "agency.via_brand", "a brand with a [brands.telegram] table, not 'acme'"),
    ('chat = -100\nvia_brand = "volna"\noverview_at = "9am"', "agency.overview_at", "a time of day"),
    ('chat = -100\nvia_brand = "volna"\ntimezone = "Moscow"', "agency.timezone", "unknown time zone"),
    ('chat = -100\nvia_brand = "volna"\nlanguage = "de"', "agency.language", "must be one of"),
    ('via_brand = "volna"', "agency.chat", "is required"),
    ('chat = -100\nvia_brand = "volna"\ncolour = 1', "agency.colour", "unknown key"),
])
def test_bad_agency_settings_are_named(tmp_path: Path, agency: str, key: str, words: str) -> None:
    path = write_config(tmp_path, brand_extra=f"[brands.telegram]\ntoken_env = 'T'\n\n[agency]\n{agency}")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}: {key}: ") and words in str(info.value), str(info.value)


def test_the_agency_chat_is_optional_and_read_with_its_defaults(tmp_path: Path) -> None:
    from datetime import time

    assert load_config(write_config(tmp_path)).agency is None
    agency = load_config(write_config(tmp_path, brand_extra="[brands.telegram]\ntoken_env = 'T'\n\n[agency]\n"
                                                            "chat = -100123\nvia_brand = 'volna'")).agency
    assert agency is not None
    assert (agency.chat, agency.via_brand, agency.overview_at, agency.timezone, agency.language,
            agency.monthly_reports) == (-100123, "volna", time(9, 30), "UTC", "ru", True)
    quiet = load_config(write_config(tmp_path, brand_extra="[brands.telegram]\ntoken_env = 'T'\n\n[agency]\n"
                                                           "chat = -1\nvia_brand = 'volna'\nmonthly_reports = false"))
    assert quiet.agency is not None and not quiet.agency.monthly_reports


def test_secret_values_are_never_in_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(tmp_path, brand_extra="[brands.telegram]\ntoken_env = 'VOLNA_TG_TOKEN'\nmoderator_chat = -100")
    config = load_config(path)
    telegram = config.brands["volna"].telegram
    assert telegram is not None and telegram.token() is None
    monkeypatch.setenv("VOLNA_TG_TOKEN", "123:abc")
    assert telegram.token() == "123:abc"
    assert "123:abc" not in repr(config)


def test_unknown_brand_and_duplicates(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path))
    with pytest.raises(ConfigError, match="no brand named 'acme'"):
        config.brand("acme")
    kb = config.brands["volna"].argument_base
    twice = tmp_path / "twice.toml"
    twice.write_text(f"[[brands]]\nname='a'\nargument_base='{kb}'\n[[brands]]\nname='a'\nargument_base='{kb}'\n")
    with pytest.raises(ConfigError, match="listed twice"):
        load_config(twice)


def test_two_brands_cannot_share_a_webhook_path(tmp_path: Path) -> None:
    kb = load_config(write_config(tmp_path)).brands["volna"].argument_base

    def brand(name: str, path: str) -> str:
        return (f"[[brands]]\nname = '{name}'\nargument_base = '{kb}'\n"
                f"[brands.telegram]\ntoken_env = 'TG_{name.upper()}'\n"
                f"mode = 'webhook'\nwebhook_url = 'https://bots.example.com{path}'\nlisten_port = 8443\n")

    shared = tmp_path / "shared.toml"
    shared.write_text(brand("a", "/telegram/a") + brand("b", "/telegram/b"))
    assert list(load_config(shared).brands) == ["a", "b"]
    clash = tmp_path / "clash.toml"
    clash.write_text(brand("a", "/telegram") + brand("b", "/telegram"))
    with pytest.raises(ConfigError, match="same webhook path on the same port as brand 'a'") as info:
        load_config(clash)
    assert "brands[1].telegram.webhook_url" in str(info.value)


@pytest.mark.parametrize(("first", "second", "setting"), [
    ("[brands.telegram]\ntoken_env = 'TG_A'\n", "[brands.telegram]\ntoken_env = 'TG_A'\n", "telegram.token_env"),
    ("[brands.telegram]\ntoken_env = 'TG_A'\nmoderator_chat = -1001\n",
     "[brands.telegram]\ntoken_env = 'TG_B'\nmoderator_chat = -1001\n", "telegram.moderator_chat"),
    ("[brands.vk]\ntoken_env = 'VK_A'\ngroup_id = 5\n", "[brands.vk]\ntoken_env = 'VK_B'\ngroup_id = 5\n",
     "vk.group_id"),
    ("[brands.vk]\ntoken_env = 'VK_A'\ngroup_id = 5\n", "[brands.vk]\ntoken_env = 'VK_A'\ngroup_id = 6\n",
     "vk.token_env"),
])
def test_two_brands_cannot_share_a_bot_a_forum_or_a_community(tmp_path: Path, first: str, second: str,
                                                              setting: str) -> None:
    """An agency copying one brand's table for the next forgets to change a setting: two brands on one Telegram
    bot, one moderators' forum (one brand's moderators would read the other's customers) or one VK community is
    a clear error naming both brands; a VK service token for the search is everyone's."""
    kb = load_config(write_config(tmp_path)).brands["volna"].argument_base
    clash = tmp_path / "clash.toml"
    clash.write_text(f"[[brands]]\nname = 'a'\nargument_base = '{kb}'\n{first}"
                     f"[[brands]]\nname = 'b'\nargument_base = '{kb}'\n{second}")
    with pytest.raises(ConfigError, match=f"brand 'b' has the same {setting} as brand 'a'") as info:
        load_config(clash)
    assert f"brands[1].{setting}" in str(info.value)
    searching = tmp_path / "searching.toml"
    search = "[brands.vk]\nmonitor = ['Volna']\nmonitor_token_env = 'VK_SEARCH'\n"
    searching.write_text(f"[[brands]]\nname = 'a'\nargument_base = '{kb}'\n{search}"
                         f"[[brands]]\nname = 'b'\nargument_base = '{kb}'\n{search}")
    assert list(load_config(searching).brands) == ["a", "b"]


def test_support_hours(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    around_the_clock = load_config(write_config(tmp_path)).brands["volna"].policy
    assert around_the_clock.support_hours is None
    path = write_config(tmp_path, brand_extra=(
        "reaction_minutes = 90\n[brands.support_hours]\ntimezone = 'Europe/Istanbul'\nhours = '09:00-21:00'\n"
        "holidays = ['2027-01-01', 2027-01-02]"))
    with caplog.at_level("WARNING"):
        policy = load_config(path).brands["volna"].policy
    assert policy.support_hours is not None and policy.support_hours.days == frozenset(range(7))
    assert policy.support_hours.holidays == frozenset({date(2027, 1, 1), date(2027, 1, 2)})  # a string, a date
    assert policy.timezone == "UTC"  # the brand's clock (moderators' times) is its own setting
    brand_clock = write_config(tmp_path, brand_extra=(
        "timezone = 'Asia/Almaty'\n[brands.support_hours]\nhours = '09:00-18:00'"))
    with_clock = load_config(brand_clock).brands["volna"].policy
    assert with_clock.timezone == "Asia/Almaty" and with_clock.support_hours is not None
    assert with_clock.support_hours.timezone == "Asia/Almaty"  # the hours are the brand's, unless told otherwise
    assert not caplog.records  # every day open: nobody waits more than a night
    weekdays = write_config(tmp_path, brand_extra=(
        "[brands.support_hours]\ntimezone = 'Europe/Moscow'\nhours = '09:00-18:00'\ndays = ['mon', 'tue', 'wed',"
        " 'thu', 'fri']"))
    with caplog.at_level("WARNING"):
        assert load_config(weekdays).brands["volna"].policy.support_hours is not None
    # closed at the weekend: the brand's choice, but the practitioners' day is exceeded, and it is said
    assert "waits up to 64 h" in caplog.text and "brands.volna.support_hours" in caplog.text
