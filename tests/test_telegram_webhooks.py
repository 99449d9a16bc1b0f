"""Brands on one host and port share a webhook server, each on its own path (real HTTP)."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import web

from bot.telegram.webhooks import WebhookServers


def answering(name: str):  # type: ignore[no-untyped-def]
    async def handle(request: web.Request) -> web.Response:
        return web.Response(text=f"{name}:{await request.text()}")
    return handle


async def test_brands_share_one_port_and_are_told_apart_by_path() -> None:
    servers = WebhookServers()
    first = await servers.add("127.0.0.1", 0, "/telegram/a", answering("a"))
    second = await servers.add("127.0.0.1", 0, "/telegram/b", answering("b"))
    assert first is second and len(servers.servers) == 1
    base = f"http://127.0.0.1:{first.port}"
    try:
        async with aiohttp.ClientSession() as client:
            for path, expected in (("/telegram/a", "a:1"), ("/telegram/b", "b:1")):
                async with client.post(base + path, data="1") as resp:
                    assert resp.status == 200 and await resp.text() == expected
            async with client.post(base + "/telegram/c", data="1") as resp:
                assert resp.status == 404
            with pytest.raises(ValueError, match="own path"):
                await servers.add("127.0.0.1", 0, "/telegram/a", answering("again"))
            await servers.remove("127.0.0.1", 0, "/telegram/a")
            async with client.post(base + "/telegram/a", data="1") as resp:
                assert resp.status == 404
            async with client.post(base + "/telegram/b", data="2") as resp:
                assert await resp.text() == "b:2"
            await servers.remove("127.0.0.1", 0, "/telegram/b")
            assert servers.servers == {}
            with pytest.raises(aiohttp.ClientConnectionError):
                async with client.post(base + "/telegram/b", data="3"):
                    pass
    finally:
        for server in list(servers.servers.values()):
            await server.stop()
