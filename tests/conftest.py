"""Shared fixtures: a configuration of the sample brand on a temporary SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config, load_config
from bot.local_channel import LocalSender
from handlers.types import IncomingMessage, Platform, utcnow

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_KB = ROOT / "bot" / "defaults" / "volna" / "argument-base"


def write_config(tmp_path: Path, extra: str = "", brand_extra: str = "", argument_base: Path = SAMPLE_KB,
                 storage_extra: str = "") -> Path:
    path = tmp_path / "smm-responder.toml"
    path.write_text(
        f"""
[storage]
path = "{tmp_path / 'db.sqlite3'}"
{storage_extra}

[[brands]]
name = "volna"
languages = ["ru", "tr", "en"]
default_language = "ru"
argument_base = "{argument_base}"
{brand_extra}
{extra}
""",
        encoding="utf-8",
    )
    return path


def open_only_in(days: int) -> tuple[str, date]:
    """`brand_extra` for a brand whose moderators work 09:00-18:00 UTC on one weekday only, `days` from today
    (so now is closed), with a 60-minute reaction time; and that day."""
    day = (utcnow() + timedelta(days=days)).date()
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    return (f'reaction_minutes = 60\n[brands.support_hours]\ntimezone = "UTC"\nhours = "09:00-18:00"\n'
            f'days = "{weekday}"'), day


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return load_config(write_config(tmp_path))


@pytest.fixture
async def app(config: Config) -> AsyncIterator[App]:
    application = await App.start(config, seed=7, senders={Platform.LOCAL: LocalSender()})
    yield application
    await application.close()


MessageFactory = Callable[..., IncomingMessage]


@pytest.fixture
def message() -> MessageFactory:
    counter = iter(range(1, 1_000_000))

    def make(text: str, customer: str = "c1", **kwargs: object) -> IncomingMessage:
        fields: dict[str, object] = {
            "platform": Platform.LOCAL, "brand": "volna", "chat_id": f"chat-{customer}",
            "message_id": str(next(counter)), "author_id": customer, "text": text, "author_name": "Анна Петрова",
        }
        fields.update(kwargs)
        return IncomingMessage(**fields)  # type: ignore[arg-type]

    return make
