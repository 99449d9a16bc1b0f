"""Telegram webhooks: one HTTP server per (host, port), shared by every brand whose webhook path is on it.

An agency runs a dozen brands behind one reverse proxy and one open port: each brand's bot posts to its
own path (e.g. /telegram/<brand>); an unknown path gets 404.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class WebhookServer:
    """One listening socket; requests are dispatched by their path."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port  # the configured port; the OS-picked one once started on port 0
        self.handlers: dict[str, Handler] = {}
        self._runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        handler = self.handlers.get(request.path)
        if handler is None:
            return web.Response(status=404, text="unknown webhook path")
        return await handler(request)

    async def start(self) -> None:
        if self._runner is not None:
            return
        server = web.Application()
        server.router.add_post("/{tail:.*}", self.handle)
        self._runner = web.AppRunner(server, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockets = getattr(site._server, "sockets", None)
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        log.info("Telegram webhook server listening on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


class WebhookServers:
    """Every brand's webhook, sharing a server where host and port are the same."""

    def __init__(self) -> None:
        self.servers: dict[tuple[str, int], WebhookServer] = {}

    async def add(self, host: str, port: int, path: str, handler: Handler) -> WebhookServer:
        server = self.servers.setdefault((host, port), WebhookServer(host, port))
        if path in server.handlers:
            raise ValueError(f"two Telegram webhooks on {host}:{port}{path}: give each brand its own path")
        server.handlers[path] = handler
        try:
            await server.start()
        except BaseException:
            del server.handlers[path]
            raise
        return server

    async def remove(self, host: str, port: int, path: str) -> None:
        server = self.servers.get((host, port))
        if server is None:
            return
        server.handlers.pop(path, None)
        if not server.handlers:
            await server.stop()
            del self.servers[(host, port)]
