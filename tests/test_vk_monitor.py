"""Posts about the brand outside its own VK community (bot.vk.monitor), found with newsfeed.search through the
real vk_api client against the fake VK API: kept once, read, shown to the moderators' forum (aiogram against the
fake Bot API) when unhappy, counted, erased with their author."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.cli import main, run_forget
from bot.config import load_config
from bot.desk import ModeratorDesk
from bot.inbox import execute, run_inbox
from bot.local_channel import LocalSender
from bot.runner import run_platforms
from bot.stats import brand_stats
from bot.vk import monitor as vk_monitor
from bot.vk.client import VkClient
from bot.vk.monitor import VkMonitor
from handlers.outside_mentions import mentions_brand
from handlers.types import utcnow
from tests.conftest import write_config
from tests.fake_vk import FakeVk
from tests.test_directed import TEMPLATE
from tests.test_telegram_acceptance import FORUM, MODERATOR, STRANGER, wait_until
from tests.test_vk_telegram import GROUP, Live, running_both, tables

UNHAPPY = "Волна Телеком опять третий день без интернета, ужасный провайдер, никому не советую"
HAPPY = "Спасибо Волна Телеком, быстро подключили, интернет летает, всё отлично"
SEA = "Морская волна накрыла пляж, красота"  # VK's search finds it for "Волна Телеком": not about the brand
MONITOR = """monitor = ["Волна Телеком"]
monitor_token_env = "VOLNA_VK_SEARCH_TOKEN"
"""


def test_a_post_mentions_the_brand_by_every_word_of_a_query_in_any_form_or_by_a_one_word_query_as_written() -> None:
    queries = ["Волна Телеком", "#volnatelecom"]
    assert mentions_brand("Опять у Волны Телекома всё лежит", queries) == "Волна Телеком"
    assert mentions_brand("волна-телеком молодцы", queries) == "Волна Телеком"
    assert mentions_brand("ВОЛНЁ ТЕЛЕКОМ", queries) == "Волна Телеком"  # ё as е
    assert mentions_brand("Подключился к #VolnaTelecom, доволен", queries) == "#volnatelecom"
    assert mentions_brand("https://vk.com/volnatelecom", queries) is None  # the hashtag query wants its sign
    assert mentions_brand("https://vk.com/volnatelecom", ["volnatelecom"]) == "volnatelecom"  # a handle: inside too
    turkish = ["Türk Telekom", "#şokmarket"]
    assert mentions_brand("TÜRK TELEKOM'a üç gündür ulaşamıyorum", turkish) == "Türk Telekom"
    assert mentions_brand("turk telekomun interneti yine yok", turkish) == "Türk Telekom"  # typed without its letters
    assert mentions_brand("İndirim için #ŞOKMARKET", turkish) == "#şokmarket"
    assert mentions_brand("Морская волна", ["#волна"]) is None  # a hashtag query wants its sign
    assert mentions_brand("Спасибо @volna_support!", ["@volna_support"]) == "@volna_support"
    assert mentions_brand("Türk kahvesi", turkish) is None
    for text in (SEA, "Телеком-новости дня", "волной", ""):
        assert mentions_brand(text, queries) is None, text


def _on_vk(vk: FakeVk) -> None:
    vk.users[6001] = ("Ирина", "Недовольная")
    vk.outside_post(6001, UNHAPPY, views=1500)
    vk.outside_post(6002, HAPPY, owner_id=-2002)  # in another community
    vk.outside_post(6003, SEA)
    vk.outside_post(-GROUP, "Волна Телеком: новые тарифы!")  # the brand's own post: its community's events bring it
    vk.outside_post(6004, "Волна Телеком, а у вас вчера была авария?", ago=3 * 86400)  # older than the first look


@pytest.fixture
async def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Live]:
    """Both platforms and a search for the brand, posts already on VK: run_platforms searches at once."""
    monkeypatch.setenv("VOLNA_VK_SEARCH_TOKEN", "vk-service-token")
    async with running_both(tmp_path, monkeypatch, MONITOR, _on_vk) as running:
        yield running


async def test_an_unhappy_post_about_the_brand_on_vk_reaches_the_forum_with_a_button_that_marks_it_dealt_with(
    live: Live, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tg, vk, app = live.tg, live.vk, live.app
    topic = await wait_until(lambda: next((t.result["message_thread_id"] for t in tg.called("createForumTopic")
                                           if t.params["name"] == "🔎 Упоминания"), None), what="the mentions topic")
    post = await wait_until(lambda: next((c for c in tg.sent(FORUM, thread=topic) if c.params.get("reply_markup")),
                                         None), what="the unhappy post shown")
    [unhappy] = [p for p in vk.posts if p["text"] == UNHAPPY]
    text = post.params["text"]
    assert UNHAPPY in text and "Ирина Недовольная" in text and "https://vk.com/id6001" in text
    assert f"https://vk.com/wall6001_{unhappy['id']}" in text and "просмотров: 1500" in text
    assert "по запросу «Волна Телеком»" in text
    # the search went with the search token, never the community's, over the last day up to now
    [search] = vk.calls_of("newsfeed.search")
    assert search.params["access_token"] == "vk-service-token" and search.params["q"] == "Волна Телеком"
    assert abs(int(search.params["end_time"]) - int(search.params["start_time"]) - 86400) < 5
    # kept: the unhappy post and the happy one; not the sea, the brand's own post, the one older than a day
    kept = await app.storage.fetch("SELECT author_id, negative >= 0.5, positive >= 0.5 FROM outside_mentions"
                                   " ORDER BY author_id")
    assert kept == [("6001", 1, 0), ("6002", 0, 1)]
    assert len([c for c in tg.sent(FORUM, thread=topic) if c.params.get("reply_markup")]) == 1  # the happy: counted
    assert vk.comments == [] and vk.messages == []  # the bot never answers there

    [button] = post.params["reply_markup"]["inline_keyboard"][0]
    assert button["text"] == "✅ Разобрано" and button["callback_data"].startswith("fd:outside:")
    tg.press(STRANGER, post.result, button["callback_data"])
    await wait_until(lambda: tg.called("answerCallbackQuery"), what="the stranger answered")
    tg.press(MODERATOR, post.result, button["callback_data"])
    await wait_until(lambda: "Мария Модератор разобрал(а) это упоминание." in tg.texts(FORUM, thread=topic),
                     what="the topic told who dealt with it")
    shown = post.result["message_id"]
    await wait_until(lambda: "reply_markup" not in (tg.message(FORUM, shown) or {"reply_markup": 1}),
                     what="the button done with")
    figures = await brand_stats(app.storage, "volna")
    assert figures.outside_mentions == {"found": 2, "negative": 1, "positive": 1, "directed": 0, "handled": 1,
                                        "handled_reach": 1500}
    assert figures.mentions == 0  # the brand's own customers' messages are counted apart

    # the author asks to be forgotten: their found post goes, and the forum post that quoted it
    brand = app.config.brands["volna"]
    args = argparse.Namespace(platform="vk", customer="6001", yes=True)
    assert await run_forget(args, brand, tmp_path / "db.sqlite3") == 0
    done = json.loads(capsys.readouterr().out)
    assert done["erased"] and done["stored"]["outside_mentions"] == 1
    assert done["forum_posts"] == [f"{FORUM}/{post.result['message_id']}: deleted"]
    assert tg.message(FORUM, post.result["message_id"]) is None
    assert await app.storage.fetch("SELECT author_id FROM outside_mentions") == [("6002",)]


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run the command line; the lines it printed."""
    capsys.readouterr()
    assert main(argv) == 0
    return capsys.readouterr().out.splitlines()


async def test_later_searches_start_where_the_last_one_did_and_keep_each_post_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str]
) -> None:
    """Each round searches from the last successful one (a quarter of an hour back, for posts VK indexes late),
    pages through next_from, and a post found again is one mention; a failed search (VK's limits, a wrong token)
    is logged and its posts are found by the next round."""
    vk = await FakeVk(GROUP).start()
    monkeypatch.setattr(vk_monitor, "PAGE", 2)  # three posts: two pages
    app = await App.start(load_config(write_config(tmp_path, brand_extra=tables("http://127.0.0.1:9", vk.url)
                                                   + MONITOR)))
    found: list[tuple[str, int]] = []

    async def listener(brand: str, new: int) -> None:
        found.append((brand, new))

    brand = app.config.brands["volna"]
    client = VkClient("vk-service-token", api_url=vk.url, session=vk.session(), too_many_backoff=0.01)
    monitor = VkMonitor(brand, client, app.storage, app.analyzer, lambda: app.pipeline.brands["volna"], [listener])
    try:
        for i in range(3):
            vk.outside_post(6100 + i, f"{HAPPY} ({i})", ago=600 - i)
        now = utcnow()
        assert await monitor.search_all(now) == 3 and found == [("volna", 3)]
        assert [c.params.get("start_from") for c in vk.calls_of("newsfeed.search")] == [None, "2"]
        vk.outside_post(6200, UNHAPPY, ago=0)
        later = now + timedelta(minutes=10)
        assert await monitor.search_all(later) == 1 and found[-1] == ("volna", 1)  # the old three again: kept once
        assert int(vk.calls_of("newsfeed.search")[-1].params["start_time"]) == int((now - timedelta(minutes=15))
                                                                                   .timestamp())
        assert await app.storage.fetch("SELECT COUNT(*) FROM outside_mentions") == [(4,)]

        vk.outside_post(6300, UNHAPPY.replace("третий", "четвёртый"), ago=0)
        vk.fail("newsfeed.search", 6, times=5)  # too many requests, past the client's retries
        with caplog.at_level(logging.WARNING, logger="bot.vk.monitor"):
            assert await monitor.search_all(later + timedelta(minutes=10)) == 0
        assert "VK search for 'Волна Телеком' failed, tried again in 10 min" in caplog.text
        vk.recover("newsfeed.search")
        assert await monitor.search_all(later + timedelta(minutes=20)) == 1  # the missed post, found now

        # a brand without a forum: the terminal inbox lists the unhappy ones, `done N` marks one dealt with
        desk = ModeratorDesk(app.storage, "volna")
        listed = (await execute(desk, "Мария", "list"))["outside"]
        assert [m["author_id"] for m in listed] == ["6200", "6300"]
        first = next(p for p in vk.posts if p["from_id"] == 6200)
        assert listed[0]["link"] == f"https://vk.com/wall6200_{first['id']}"
        screen = io.StringIO()
        await run_inbox(desk, "Мария", io.StringIO(""), screen, interactive=True, language="ru")
        n = listed[0]["id"]
        assert f"🔎 Недовольный пост о бренде {n} (done {n}, когда разберётесь): User6200 Testov" in screen.getvalue()
        elsewhere = await execute(ModeratorDesk(app.storage, "other"), "Пётр", f"done {n}")
        assert not elsewhere["ok"] and elsewhere["code"] == "no_mention"  # another brand's moderators: nothing
        assert (await execute(desk, "Мария", f"done {n}"))["ok"]
        assert (await execute(desk, "Мария", f"done {n}"))["code"] == "no_mention"  # done once
        assert [m["author_id"] for m in (await execute(desk, "Мария", "list"))["outside"]] == ["6300"]

        # alike unhappy posts from three authors within the hour: a directed wave, marked so; a real customer's not
        for i, text in enumerate(TEMPLATE):  # (posted on this test's clock: 20-22 minutes on)
            vk.outside_post(6401 + i, f"Волна Телеком: {text}", ago=-1200 - 60 * i)
        assert await monitor.search_all(later + timedelta(minutes=25)) == 3
        directed = await app.storage.fetch("SELECT author_id, directed > 0 FROM outside_mentions WHERE negative >= 0.5"
                                           " ORDER BY author_id")
        assert directed == [("6200", 0), ("6300", 0), ("6401", 1), ("6402", 1), ("6403", 1)]
        # `evidence` lists the wave with its posts and their links, beside the campaigns of comments
        lines = await asyncio.to_thread(_cli, ["--config", str(tmp_path / "smm-responder.toml"), "evidence",
                                               "--brand", "volna"], capsys)
        [wave] = [json.loads(line) for line in lines]
        assert wave["accounts"] == 3 and [p["author_id"] for p in wave["posts"]] == ["6401", "6402", "6403"]
        first_post = wave["posts"][0]
        assert first_post["link"].startswith("https://vk.com/wall6401_") and TEMPLATE[0] in first_post["text"]
        figures = await brand_stats(app.storage, "volna", now=later + timedelta(minutes=26))
        assert figures.outside_mentions == {"found": 8, "negative": 5, "positive": 3, "directed": 3, "handled": 1,
                                            "handled_reach": 0}

        # an answer not shaped as VK documents (a profile without its id): logged, nothing kept, tried again later
        def malformed(_params: dict[str, str]) -> dict[str, Any]:
            return {"items": [{"id": 1, "owner_id": 6600, "text": "Волна Телеком"}], "profiles": [{"first_name": "?"}]}

        caplog.clear()
        with monkeypatch.context() as patched, caplog.at_level(logging.WARNING, logger="bot.vk.monitor"):
            patched.setattr(vk, "_m_newsfeed_search", malformed)
            assert await monitor.search_all(later + timedelta(minutes=27)) == 0
        assert "gave an answer that could not be read" in caplog.text

        client.close()
        client = monitor.client = VkClient("vk-test-token", api_url=vk.url, session=vk.session())
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="bot.vk.monitor"):
            assert await monitor.search_all(later + timedelta(minutes=30)) == 0
        assert "method is unavailable with group auth" in caplog.text  # a community's token cannot search
    finally:
        client.close()
        await app.close()
        await vk.stop()


async def test_a_round_that_fails_for_any_reason_is_logged_and_the_searches_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A monitor runs beside the brand's adapters: a round failing outside VK (the database busy, say) must not end
    it, nor `run` with it."""
    vk = await FakeVk(GROUP).start()
    app = await App.start(load_config(write_config(tmp_path, brand_extra=tables("http://127.0.0.1:9", vk.url)
                                                   + MONITOR)))
    client = VkClient("vk-service-token", api_url=vk.url, session=vk.session())
    monitor = VkMonitor(app.config.brands["volna"], client, app.storage, app.analyzer,
                        lambda: app.pipeline.brands["volna"], [])
    monitor.every = 0.01
    real = app.storage.save_outside_mentions
    failures = iter([RuntimeError("database is locked")])

    async def flaky(*args: Any) -> Any:
        for failure in failures:
            raise failure
        return await real(*args)

    monkeypatch.setattr(app.storage, "save_outside_mentions", flaky)
    vk.outside_post(6500, UNHAPPY)
    task = asyncio.create_task(monitor.run())
    try:
        with caplog.at_level(logging.ERROR, logger="bot.vk.monitor"):
            await wait_until(lambda: len(vk.calls_of("newsfeed.search")) >= 2, what="a second round")
            kept = await wait_until(lambda: app.storage.fetch("SELECT author_id FROM outside_mentions"),
                                    what="the post kept")
        assert kept == [("6500",)] and "VK search round failed" in caplog.text and not task.done()
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await app.close()
        await vk.stop()


async def test_a_brand_without_a_vk_community_still_hears_of_posts_about_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many brands answer only on Telegram while their customers write about them on VK: `[brands.vk]` with just
    the search settings runs the monitor alone, through run_platforms as in production."""
    vk = await FakeVk(GROUP).start()
    vk.outside_post(6700, UNHAPPY)
    monkeypatch.setenv("VOLNA_VK_SEARCH_TOKEN", "vk-service-token")
    app = await App.start(load_config(write_config(tmp_path, brand_extra=f'[brands.vk]\napi_url = "{vk.url}"\n'
                                                   + MONITOR)))
    task = asyncio.create_task(run_platforms(app, LocalSender()))
    try:
        kept = await wait_until(lambda: app.storage.fetch("SELECT author_id FROM outside_mentions"),
                                what="the post kept")
        assert kept == [("6700",)] and not task.done()
        assert not vk.calls_of("groups.getById") and not vk.lp_requests  # no community to check or listen to
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        await app.close()
        await vk.stop()
