"""Every VK community of the configuration: start-up checks, the shared sender, long polls and callback servers."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
from dataclasses import dataclass
from typing import Any

import requests
from aiohttp import web

from bot.app import App
from bot.config import BrandConfig
from bot.outbox import RetryLater
from bot.storage import OutboxItem
from bot.vk.client import VkClient
from bot.vk.community import VkCommunity, VkStartupError
from handlers.types import Platform

log = logging.getLogger(__name__)


class VkSender:
    """The outbox's VK sender: each item goes out through its brand's community token."""

    platform = Platform.VK

    def __init__(self) -> None:
        self.communities: dict[str, VkCommunity] = {}

    async def deliver(self, item: OutboxItem) -> str | None:
        community = self.communities.get(item.brand)
        if community is None:
            raise RetryLater(f"brand {item.brand!r} has no connected VK community", retry_after=60.0)
        return await community.deliver(item)


@dataclass
class _Endpoint:
    community: VkCommunity
    confirmation: str
    secret: str | None


class CallbackServer:
    """Callback API endpoint (any path): confirmation string, secret check, events stored before "ok"."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.endpoints: dict[int, _Endpoint] = {}
        self._runner: web.AppRunner | None = None

    def application(self) -> web.Application:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post("/{tail:.*}", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.StreamResponse:
        try:
            body: Any = json.loads(await request.text())
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(body, dict):
            return web.Response(status=400, text="not an event")
        try:
            endpoint = self.endpoints[int(body.get("group_id", 0))]
        except (KeyError, TypeError, ValueError):
            return web.Response(status=404, text="unknown community")
        if endpoint.secret is not None and not hmac.compare_digest(
            str(body.get("secret", "")).encode(), endpoint.secret.encode()
        ):
            log.warning("VK callback for group %s with a wrong secret rejected", body.get("group_id"))
            return web.Response(status=403, text="bad secret")
        if body.get("type") == "confirmation":
            return web.Response(text=endpoint.confirmation)
        try:
            await endpoint.community.handle_event(body)
        except Exception:
            log.exception("VK callback event could not be stored; VK will send it again")
            return web.Response(status=500, text="retry")
        return web.Response(text="ok")

    async def start(self) -> None:
        self._runner = web.AppRunner(self.application(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        log.info("VK callback endpoint listening on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


class VkService:
    def __init__(self, app: App) -> None:
        self.app = app
        self.sender = VkSender()
        self.communities: dict[str, VkCommunity] = {}
        self.servers: dict[tuple[str, int], CallbackServer] = {}

    async def add(self, brand: BrandConfig, *, session: requests.Session | None = None, wait: int = 25,
                  **client_options: Any) -> VkCommunity:
        """Check the brand's token and register its community; raises VkStartupError naming the brand."""
        settings = brand.vk
        if settings is None:
            raise ValueError(f"brand {brand.name!r} has no [vk] settings")
        where = f"brands.{brand.name}.vk"
        token = settings.token()
        if not token:
            raise VkStartupError(self.app.config.file, f"{where}.token_env",
                                 f"brand {brand.name!r}: environment variable {settings.token_env} is not set")
        endpoint = None
        if settings.mode == "callback":
            confirmation = _env(settings.confirmation_env)
            if not confirmation:
                raise VkStartupError(self.app.config.file, f"{where}.confirmation_env",
                                     f"brand {brand.name!r}: callback mode needs the confirmation string in an"
                                     " environment variable named by confirmation_env")
            endpoint = (confirmation, _env(settings.secret_env) or None)
        client = VkClient(token, api_url=settings.api_url, session=session, **client_options)
        community = VkCommunity(self.app, brand, client, wait=wait)
        try:
            await community.check()
        except BaseException:
            client.close()
            raise
        self.communities[brand.name] = community
        self.sender.communities[brand.name] = community
        self.app.outbox.senders[Platform.VK] = self.sender
        self.app.reach_probes[(Platform.VK, brand.name)] = community.reach
        if endpoint is not None:
            key = (settings.listen_host, settings.listen_port)
            server = self.servers.setdefault(key, CallbackServer(*key))
            server.endpoints[settings.group_id] = _Endpoint(community, *endpoint)
        return community

    async def run(self, *, resume: bool = True) -> object:
        """Long polls and callback servers until cancelled; with `resume`, stored but unhandled messages
        of a previous run are handled too (leave it to the runner when it resumes the pipeline itself)."""
        resumed = asyncio.create_task(self.app.pipeline.resume() if resume else asyncio.sleep(0))
        for server in self.servers.values():
            await server.start()
        polls = [asyncio.create_task(c.run_longpoll()) for c in self.communities.values()
                 if c.settings.mode == "longpoll"]
        try:
            await asyncio.gather(resumed, *polls, asyncio.Event().wait())
        finally:
            for task in (resumed, *polls):
                task.cancel()
            for server in self.servers.values():
                await server.stop()
        return None

    def close(self) -> None:
        for community in self.communities.values():
            community.client.close()


def _env(name: str | None) -> str:
    return os.environ.get(name, "") if name else ""


async def start_vk(app: App) -> list[asyncio.Task[object]]:
    """For `run`: every brand with a VK token in the environment; a bad token stops start-up.

    The VK sender is registered in app.outbox.senders; the runner resumes the pipeline itself."""
    service = VkService(app)
    for brand in app.config.brands.values():
        if brand.vk and brand.vk.token():
            await service.add(brand)
            log.info("brand %s: VK community %d (%s)", brand.name, brand.vk.group_id, brand.vk.mode)
    if not service.communities:
        return []
    return [asyncio.create_task(service.run(resume=False))]
