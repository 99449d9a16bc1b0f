"""The local terminal channel: type as a customer, see the bot's replies.

When standard input is not a terminal, each input line is one message and each outcome is
printed as one JSON line: reply text (or null), decision, reason, entry id, language, scores.
On a terminal, replies queued while the customer is not typing (a moderator answering from the
inbox in another terminal, the rating question after a resolve) show up within a second.

After a moderator resolves the thread the customer is asked for a rating, as on the messengers;
typing a button's label, or `/rate yes` / `/rate no`, answers it (and is not a message). `/react 👎` reacts to
the last reply shown, as a customer's emoji reaction on Telegram (bot.app.App.record_reaction).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import sys
import time
from dataclasses import dataclass
from typing import IO, Any

from bot.app import App
from bot.storage import OutboxItem
from handlers.types import IncomingMessage, Platform

LOCAL_CHAT = "terminal"
RATE_COMMAND = "/rate"
REACT_COMMAND = "/react"
QUIT_COMMANDS = ("/quit", "/exit")  # end the chat, as Ctrl-D does (the moderators' inbox takes "quit", "exit")
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


def message_id(item: OutboxItem) -> str:
    """The local channel's id of a delivered reply."""
    return f"local-{item.id}"


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
        return message_id(item)

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


class _Screen:
    """The interactive terminal: replies and decisions as text, the prompt, the open rating question's buttons."""

    def __init__(self, stdout: IO[str]) -> None:
        self.stdout = stdout
        self.buttons: dict[str, bool] = {}

    def note_buttons(self, replies: list[OutboxItem]) -> None:
        for reply in replies:
            if reply.kind == "rating":
                self.buttons = _buttons(reply)

    def replies(self, replies: list[OutboxItem]) -> None:
        for reply in replies:
            self.stdout.write(f"bot: {reply.text}\n" if reply.kind != "moderator" else f"moderator: {reply.text}\n")
            if reply.kind == "rating":
                self.stdout.write("   " + "  ".join(f"[{label}]" for label in _buttons(reply)) + "\n")

    def decision(self, decision: dict[str, Any] | None) -> None:
        if decision is not None and "error" in decision:
            self.stdout.write(f"   [{decision['error']}]\n")
        elif decision is not None and decision["decision"] == "reaction":
            self.stdout.write(f"   [reaction: {decision['reaction'] or 'taken back'}"
                              f"{'; handed to a person' if decision['handed_off'] else ''}]\n")
        elif decision is not None and decision["decision"] != "rating":
            self.stdout.write(f"   [{decision['decision']}: {decision['reason']}; entry={decision['entry_id']}; "
                              f"lang={decision['language']}]\n")

    def prompt(self) -> None:
        self.stdout.write("> ")
        self.stdout.flush()


@dataclass
class _Chat:
    app: App
    brand: str
    sender: LocalSender
    screen: _Screen
    customer: str
    name: str
    interactive: bool
    last_reply: OutboxItem | None = None

    async def line(self, line: str, line_id: int) -> None:
        """Handle one typed line (a message, an answer to the rating question, a reaction to the last reply) and
        show what came of it."""
        is_rating, verdict = rating_answer(line, self.screen.buttons)
        decision: dict[str, Any] | None = None
        command, _, emojis = line.strip().partition(" ")
        if is_rating:
            self.screen.buttons = {}
            decision = await _rate(self.app, self.brand, self.customer, verdict)
        elif command.lower() == REACT_COMMAND:
            decision = await self._react(emojis.split())
        else:
            msg = IncomingMessage(Platform.LOCAL, self.brand, LOCAL_CHAT, str(line_id), self.customer, line,
                                  self.name)
            outcome = await self.app.pipeline.handle(msg)
            if outcome is not None:
                d = outcome.decision
                decision = {"decision": d.action.value, "reason": d.reason, "entry_id": d.entry_id,
                            "language": d.language, "scores": d.scores}
        replies = await self._delivered()
        if self.interactive:
            self.screen.replies(replies)
            self.screen.decision(decision)
        else:
            self.screen.stdout.write(outcome_json(replies, decision) + "\n")
        self.screen.stdout.flush()

    async def follow(self, turn: asyncio.Lock) -> None:
        """Show replies queued while the customer is not typing (a moderator's answer, the rating question)."""
        while True:
            await asyncio.sleep(self.app.outbox.poll_seconds)  # as often as the outbox looks on the platforms
            async with turn:
                replies = await self._delivered()
                if replies:
                    self.screen.stdout.write("\r")  # over the waiting prompt
                    self.screen.replies(replies)
                    self.screen.prompt()

    async def _react(self, emojis: list[str]) -> dict[str, Any]:
        """A reaction to the last reply shown (none: taken back); the outcome to print."""
        outcome: dict[str, Any] = {"decision": "reaction", "reaction": " ".join(emojis), "handed_off": False}
        if self.last_reply is None:
            outcome["error"] = "nothing to react to: no reply was shown yet"
            return outcome
        outcome["handed_off"] = await self.app.record_reaction(
            self.brand, Platform.LOCAL, self.last_reply.chat_id, message_id(self.last_reply), self.customer, emojis,
            random.Random())
        return outcome

    async def _delivered(self) -> list[OutboxItem]:
        await self.app.outbox.deliver_due(Platform.LOCAL)
        replies = self.sender.take()
        self.screen.note_buttons(replies)
        shown = [r for r in replies if r.kind != "hide"]
        if shown:
            self.last_reply = shown[-1]
        return replies


async def run_chat(
    app: App, brand: str, sender: LocalSender, *, customer: str, name: str,
    stdin: IO[str] | None = None, stdout: IO[str] | None = None, interactive: bool | None = None,
) -> int:
    app.config.brand(brand)
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty() if interactive is None else interactive
    counter = itertools.count(time.time_ns())
    chat = _Chat(app, brand, sender, _Screen(stdout), customer, name, interactive)
    turn = asyncio.Lock()  # one typed line with its replies, or one look for replies queued meanwhile
    await app.pipeline.resume()
    if interactive:
        stdout.write(f"smm-responder local channel, brand {brand!r}. Type as a customer; Ctrl-D or /quit to quit.\n")
    lines = await _read_lines(stdin)
    follower = asyncio.create_task(chat.follow(turn)) if interactive else None
    try:
        while True:
            if interactive:
                chat.screen.prompt()
            line = await lines.get()
            if line is None or line.strip().lower() in QUIT_COMMANDS:
                break
            async with turn:
                await chat.line(line, next(counter))
    finally:
        if follower is not None:
            follower.cancel()
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
