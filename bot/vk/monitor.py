"""Mentions of a brand outside its own community: VK posts found with newsfeed.search.

Both practitioners' interviews name monitoring first: customers write about a brand on their own walls and in
other communities, where its support never hears of it, and an attack is best met as it begins. Every
`monitor_minutes` each of the brand's queries is searched for posts since the last search (a day back the first
time; a quarter of an hour of overlap, for posts VK indexes late); a post that really names the brand
(handlers.outside_mentions) and is not the brand's own is read as a customer's message is (language, mood,
toxicity) and kept once (bot.storage.outside_mentions); alike unhappy posts from several authors within the brand's
campaign window are marked directed negative, as a wave of comments is (handlers.directed); the listeners (the
moderators' forum) then show the unhappy ones. The bot never answers there: the moderators do, on the post's page.

newsfeed.search takes a user's or an app's service token, not a community's (error 27): the brand's
`monitor_token_env` names the variable holding it. A failed search (a bad token, VK's limits, the network) is
logged and tried again at the next round; nothing found is lost, since the next search starts where the last
successful one did.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import numpy as np

from bot.app import FoundListener
from bot.config import BrandConfig
from bot.pipeline import ANALYSIS_CHARS, BrandRuntime
from bot.storage import FoundMention, Storage
from bot.vk.client import VkClient, VkError
from handlers.directed import CampaignDetector, Mention
from handlers.outside_mentions import is_unhappy, mentions_brand
from handlers.router import UNHAPPY
from handlers.types import Platform, utcnow
from models.analyzer import BatchingAnalyzer

log = logging.getLogger(__name__)

FIRST_LOOK_BACK = timedelta(days=1)  # how far back the first search of a query goes (VK's own default)
OVERLAP = timedelta(minutes=15)  # each search also covers this much before the last one: posts indexed late
PAGE = 200  # posts per newsfeed.search call (VK's maximum)
PAGES = 5  # calls per query and round at most: a thousand posts (a brand in the news waits for the next round)


class VkMonitor:
    """One brand's searches for posts about it."""

    def __init__(self, brand: BrandConfig, client: VkClient, storage: Storage, analyzer: BatchingAnalyzer,
                 runtime: Callable[[], BrandRuntime | None], listeners: list[FoundListener]) -> None:
        """`runtime`: the brand's current pipeline runtime (how its customers' texts are read)."""
        assert brand.vk is not None
        self.brand = brand
        self.settings = brand.vk
        self.client = client
        self.storage = storage
        self.analyzer = analyzer
        self.runtime = runtime
        self.listeners = listeners
        self.campaigns = CampaignDetector(brand.policy.campaign)  # waves among the found posts, apart from comments'
        self.every = self.settings.monitor_minutes * 60.0  # seconds between rounds

    async def run(self) -> None:
        """Search every `monitor_minutes` until cancelled."""
        try:
            while True:
                try:
                    await self.search_all()
                except Exception:  # (the database, the model): the brand's customers are still served meanwhile
                    log.exception("brand %s: VK search round failed; tried again in %d min", self.brand.name,
                                  self.settings.monitor_minutes)
                await asyncio.sleep(self.every)
        finally:
            self.client.close()

    async def search_all(self, now: datetime | None = None) -> int:
        """One round over every query; returns how many new mentions were kept (a failed query is logged)."""
        new = 0
        for query in self.settings.monitor:
            try:
                new += await self.search(query, now or utcnow())
            except VkError as exc:
                level = logging.ERROR if exc.code in (5, 27) else logging.WARNING  # a wrong token stays wrong
                log.log(level, "brand %s: VK search for %r failed, tried again in %d min: %s", self.brand.name,
                        query, self.settings.monitor_minutes, exc)
            except (KeyError, TypeError, ValueError, AttributeError):  # an answer not shaped as VK documents
                log.exception("brand %s: VK search for %r gave an answer that could not be read; tried again in %d"
                              " min", self.brand.name, query, self.settings.monitor_minutes)
        for listener in self.listeners if new else ():
            try:
                await listener(self.brand.name, new)
            except Exception:  # (Telegram down): the posts are kept, and the forum's recovery shows them
                log.exception("brand %s: telling of %d posts found on VK failed", self.brand.name, new)
        return new

    async def search(self, query: str, now: datetime) -> int:
        """Posts found for one query since its last search, kept; returns how many were new."""
        key = f"vk_monitor:{self.brand.name}:{query}"
        last = await self.storage.get_state(key)
        since = datetime.fromisoformat(last) - OVERLAP if last else now - FIRST_LOOK_BACK
        posts, authors = await self._posts(query, since, now)
        found = [post for post in posts if self._about_brand(post)]
        found.sort(key=lambda post: int(post.get("date", 0)))  # oldest first, as waves are looked for
        read = [await self._read(post, query, authors) for post in found]
        ids = await self.storage.save_outside_mentions(self.brand.name, [mention for mention, _ in read], now)
        await self._find_waves(read, ids, now)
        await self.storage.set_state(key, now.isoformat())
        new = sum(mention_id is not None for mention_id in ids)
        log.info("brand %s: VK search for %r: %d posts, %d about the brand, %d new", self.brand.name, query,
                 len(posts), len(found), new)
        return new

    async def _find_waves(self, read: list[tuple[FoundMention, np.ndarray]], ids: list[int | None],
                          now: datetime) -> None:
        """Alike unhappy posts from several authors within the campaign window: one wave, marked directed."""
        if not self.campaigns.recalled:  # once: the window's posts kept before this process started
            self.campaigns.recalled = True
            earlier = await self.storage.outside_mentions(self.brand.name, now - FIRST_LOOK_BACK, negative_at=UNHAPPY)
            earlier = [m for m in earlier if m["id"] not in ids]
            if earlier:
                runtime = self.runtime()
                vectors, _ = await self.analyzer.vectors([reading_of(runtime, m["text"])[0] for m in earlier])
                for kept, vector in zip(earlier, vectors, strict=True):
                    self.campaigns.remember(Mention.of(kept["id"], kept["author_id"],
                                                       datetime.fromisoformat(kept["posted_at"]), kept["text"], vector))
        for (mention, vector), mention_id in zip(read, ids, strict=True):
            if mention_id is None or not is_unhappy(mention.sentiment):
                continue
            wave = self.campaigns.observe(Mention.of(mention_id, mention.author_id, mention.posted_at, mention.text,
                                                     vector))
            if wave:
                await self.storage.outside_directed([mention_id, *(m.message_id for m in wave)])

    async def _posts(self, query: str, since: datetime, until: datetime
                     ) -> tuple[list[dict[str, Any]], dict[int, str]]:
        """The posts of a search, and their authors' names by VK id (communities negative)."""
        posts: list[dict[str, Any]] = []
        authors: dict[int, str] = {}
        start_from = None
        for _ in range(PAGES):
            page = await self.client.call(
                "newsfeed.search", q=query, extended=1, count=PAGE, start_time=int(since.timestamp()),
                end_time=int(until.timestamp()), start_from=start_from)
            posts += [item for item in page.get("items", ()) if isinstance(item, dict)]
            for user in page.get("profiles", ()):
                authors[int(user["id"])] = f"{user.get('first_name', '')} {user.get('last_name', '')}".strip()
            for group in page.get("groups", ()):
                authors[-int(group["id"])] = str(group.get("name", ""))
            start_from = page.get("next_from")
            if not start_from:
                break
        else:
            log.warning("brand %s: VK search for %r found more than %d posts in one round; the oldest were left"
                        " unread (search more often: monitor_minutes)", self.brand.name, query, PAGE * PAGES)
        return posts, authors

    def _about_brand(self, post: dict[str, Any]) -> bool:
        own = -self.settings.group_id  # the community's wall: its own events bring those (bot.vk.community)
        return (bool(post.get("text")) and own not in (post.get("owner_id"), post.get("from_id"))
                and "id" in post and "owner_id" in post
                and mentions_brand(str(post["text"]), self.settings.monitor) is not None)

    async def _read(self, post: dict[str, Any], query: str, authors: dict[int, str]
                    ) -> tuple[FoundMention, np.ndarray]:
        """A found post as kept, and its sentence embedding."""
        author = int(post.get("from_id") or post["owner_id"])
        views = post.get("views", {}).get("count") if isinstance(post.get("views"), dict) else None
        return await read_found(self.analyzer, self.runtime(), f"{post['owner_id']}_{post['id']}", query,
                                author, authors.get(author, ""), str(post["text"]),
                                datetime.fromtimestamp(int(post.get("date", 0)), UTC),
                                int(views) if views is not None else None)


def reading_of(runtime: BrandRuntime | None, text: str) -> tuple[str, str | None]:
    """A post's text as the pipeline reads a customer's (with the brand's words), and its language."""
    return runtime.words.reading(text[:ANALYSIS_CHARS]) if runtime else (text[:ANALYSIS_CHARS], None)


async def read_found(analyzer: BatchingAnalyzer, runtime: BrandRuntime | None, address: str, query: str,
                     author: int, author_name: str, text: str, posted_at: datetime, views: int | None
                     ) -> tuple[FoundMention, np.ndarray]:
    """A VK post about the brand outside its pages, read as a customer's message is (language, mood, toxicity), as
    kept (bot.storage.outside_mentions); and its sentence embedding. `query`: what found it."""
    reading, language = reading_of(runtime, text)
    features = await analyzer.analyze(reading, language)  # the brand's words tell Turkish typed without its letters
    return FoundMention(Platform.VK.value, address, query, str(author), author_name, text, posted_at, language,
                        features.sentiment, features.toxicity, views), features.embedding


async def start_monitors(brands: list[BrandConfig], storage: Storage, analyzer: BatchingAnalyzer,
                         runtimes: dict[str, BrandRuntime], listeners: list[FoundListener]
                         ) -> list[asyncio.Task[object]]:
    """For `run`: a monitor for every brand with VK search queries and their token in the environment (one
    without the token is logged, not stopped: its community still works)."""
    tasks: list[asyncio.Task[object]] = []
    for brand in brands:
        if brand.vk is None or not brand.vk.monitor:
            continue
        token = brand.vk.monitor_token()
        if not token:
            log.error("brand %s: VK monitoring is configured but %s is not set: no search", brand.name,
                      brand.vk.monitor_token_env)
            continue
        client = VkClient(token, api_url=brand.vk.api_url, rate=3)
        monitor = VkMonitor(brand, client, storage, analyzer, partial(runtimes.get, brand.name), listeners)
        log.info("brand %s: searching VK for %s every %d min", brand.name, ", ".join(map(repr, brand.vk.monitor)),
                 brand.vk.monitor_minutes)
        tasks.append(asyncio.create_task(monitor.run()))
    return tasks
