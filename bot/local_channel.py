"""The local terminal channel: type as a customer, see the bot's replies.

When standard input is not a terminal, each input line is one message and each outcome is
printed as one JSON line: reply text (or null), decision, reason, entry id, language, scores.

After a moderator resolves the thread the customer is asked for a rating, as on the messengers;
typing a button's label, or `/rate yes` / `/rate no`, answers it (and is not a message).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import sys
import time
from typing import IO, Any

from bot.app import App
from bot.storage import OutboxItem
from handlers.types import IncomingMessage, Platform

LOCAL_CHAT = "terminal"
RATE_COMMAND = "/rate"
_RATE_WORDS = {"yes": True, "+": True, "1": True, "👍": True, "no": False, "-": False, "2": False, "👎": False}


def rating_answer(line: str, buttons: dict[str, bool]) -> tuple[bool, bool | None]:
    """(whether the line answers the rating question, the verdict): a button label or `/rate yes|no`;
    a `/rate` with another word is an answer without a verdict."""
    text = line.strip()
    if text in buttons:
        return True, buttons[text]
    command, _, word = text.partition(" ")
    if command.lower() == RATE_COMMAND:
        return True, _RATE_WORDS.get(word.strip().lower())
    return False, None


def _buttons(item: OutboxItem) -> dict[str, bool]:
    """Label -> satisfied, for a rating question's buttons."""
    pairs = item.extra.get("buttons") or []
    return {str(text): code == "satisfied" for code, text in pairs}


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
    buttons: dict[str, bool] = {}  # the open rating question's buttons
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = await lines.get()
        if line is None:
            break
        is_rating, verdict = rating_answer(line, buttons)
        decision: dict[str, Any] | None = None
        if is_rating:
            buttons = {}
            decision = await _rate(app, brand, customer, verdict)
        else:
            msg = IncomingMessage(Platform.LOCAL, brand, LOCAL_CHAT, str(next(counter)), customer, line, name)
            outcome = await app.pipeline.handle(msg)
            if outcome is not None:
                d = outcome.decision
                decision = {"decision": d.action.value, "reason": d.reason, "entry_id": d.entry_id,
                            "language": d.language, "scores": d.scores}
        await app.outbox.deliver_due(Platform.LOCAL)
        replies = sender.take()
        for reply in replies:
            if reply.kind == "rating":
                buttons = _buttons(reply)
        if interactive:
            for reply in replies:
                stdout.write(f"bot: {reply.text}\n" if reply.kind != "moderator" else f"moderator: {reply.text}\n")
                if reply.kind == "rating":
                    stdout.write("   " + "  ".join(f"[{label}]" for label in _buttons(reply)) + "\n")
            if decision is not None and "error" in decision:
                stdout.write(f"   [{decision['error']}]\n")
            elif decision is not None and decision["decision"] != "rating":
                stdout.write(f"   [{decision['decision']}: {decision['reason']}; entry={decision['entry_id']}; "
                             f"lang={decision['language']}]\n")
        else:
            stdout.write(outcome_json(replies, decision) + "\n")
        stdout.flush()
    return 0


async def _rate(app: App, brand: str, customer: str, verdict: bool | None) -> dict[str, Any]:
    """Record a rating answer (its thanks is queued like any reply); the outcome to print."""
    conversation = await app.storage.customer_conversation(brand, Platform.LOCAL, customer)
    outcome: dict[str, Any] = {"decision": "rating", "satisfied": verdict}
    if verdict is None:
        outcome["error"] = "usage: /rate yes or /rate no"
    elif conversation is None or await app.record_rating(conversation, verdict, random.Random()) is None:
        outcome["error"] = "nothing to rate: no thread was resolved since the last rating"
    return outcome
