"""The local terminal channel: type as a customer, see the bot's replies.

When standard input is not a terminal, each input line is one message and each outcome is
printed as one JSON line: reply text (or null), decision, reason, entry id, language, scores.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from typing import IO, Any

from bot.app import App
from bot.storage import OutboxItem
from handlers.types import IncomingMessage, Platform

LOCAL_CHAT = "terminal"


class LocalSender:
    """Delivers local-channel replies by collecting them for the terminal."""

    platform = Platform.LOCAL

    def __init__(self) -> None:
        self.delivered: list[OutboxItem] = []

    async def deliver(self, item: OutboxItem) -> str | None:
        self.delivered.append(item)
        return f"local-{item.id}"

    def take(self) -> list[OutboxItem]:
        items, self.delivered = self.delivered, []
        return items


async def _read_lines(stream: IO[str]) -> asyncio.Queue[str | None]:
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def reader() -> None:
        for line in stream:
            loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\n"))
        loop.call_soon_threadsafe(queue.put_nowait, None)

    loop.run_in_executor(None, reader)
    return queue


def outcome_json(replies: list[OutboxItem], decision: dict[str, Any] | None) -> str:
    texts = [r.text for r in replies if r.kind != "hide"]
    payload: dict[str, Any] = {"reply": "\n".join(texts) if texts else None}
    payload.update(decision or {"decision": None, "reason": "duplicate", "entry_id": None,
                                "language": None, "scores": {}})
    if len(texts) > 1:
        payload["replies"] = texts
    return json.dumps(payload, ensure_ascii=False)


async def run_chat(
    app: App, brand: str, sender: LocalSender, *, customer: str, name: str,
    stdin: IO[str] | None = None, stdout: IO[str] | None = None, interactive: bool | None = None,
) -> int:
    app.config.brand(brand)
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty() if interactive is None else interactive
    counter = itertools.count(time.time_ns())
    await app.pipeline.resume()
    if interactive:
        stdout.write(f"smm-responder local channel, brand {brand!r}. Type as a customer; Ctrl-D to quit.\n")
    lines = await _read_lines(stdin)
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = await lines.get()
        if line is None:
            break
        msg = IncomingMessage(Platform.LOCAL, brand, LOCAL_CHAT, str(next(counter)), customer, line, name)
        outcome = await app.pipeline.handle(msg)
        await app.outbox.deliver_due(Platform.LOCAL)
        replies = sender.take()
        if interactive:
            for reply in replies:
                stdout.write(f"bot: {reply.text}\n" if reply.kind != "moderator" else f"moderator: {reply.text}\n")
            if outcome is not None:
                d = outcome.decision
                stdout.write(f"   [{d.action.value}: {d.reason}; entry={d.entry_id}; lang={d.language}]\n")
        else:
            decision = None
            if outcome is not None:
                d = outcome.decision
                decision = {"decision": d.action.value, "reason": d.reason, "entry_id": d.entry_id,
                            "language": d.language, "scores": d.scores}
            stdout.write(outcome_json(replies, decision) + "\n")
        stdout.flush()
    return 0
