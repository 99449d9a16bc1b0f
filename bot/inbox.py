"""The terminal inbox: moderators list waiting threads, reply, take, resolve, return, note.

Commands (one per line): list | show ID | take ID | reply ID TEXT | resolve ID | bot ID |
note ID TEXT | quit. When standard input is not a terminal every result is one JSON line.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from bot.desk import ModeratorDesk, ThreadCard
from handlers.conversation_states import TransitionError

HELP = "commands: list | show ID | take ID | reply ID TEXT | resolve ID | bot ID | note ID TEXT | quit"


def _card_text(card: ThreadCard) -> str:
    lines = [
        f"#{card.conversation_id} [{card.state}]{' OVERDUE' if card.overdue else ''} {card.platform}"
        f" {card.customer_name or card.customer_id}"
        f" lang={card.language} reason={card.reason} deadline={card.deadline} owner={card.moderator or '-'}",
    ]
    for m in card.history:
        lines.append(f"    {m['at']} {m['author']}: {m['text'][:300]}")
    for n in card.notes:
        lines.append(f"    note by {n['author']}: {n['text']}")
    return "\n".join(lines)


async def execute(desk: ModeratorDesk, moderator: str, line: str) -> dict[str, Any]:
    """Run one inbox command; returns a JSON-able result with 'ok' and details or 'error'."""
    parts = line.strip().split(maxsplit=2)
    if not parts:
        return {"ok": True, "command": None}
    command = parts[0].lower()
    try:
        if command in ("list", "ls"):
            return {"ok": True, "command": "list", "threads": [c.as_dict() for c in await desk.waiting()]}
        if command == "help":
            return {"ok": True, "command": "help", "help": HELP}
        if len(parts) < 2 or not parts[1].lstrip("#").isdigit():
            return {"ok": False, "command": command, "error": f"usage: {HELP}"}
        conversation_id = int(parts[1].lstrip("#"))
        rest = parts[2] if len(parts) > 2 else ""
        if command == "show":
            card = await desk.card(await desk.conversation(conversation_id))
            return {"ok": True, "command": "show", "thread": card.as_dict()}
        if command == "take":
            await desk.take(conversation_id, moderator)
        elif command == "reply":
            outbox_id = await desk.reply(conversation_id, moderator, rest)
            return {"ok": True, "command": "reply", "conversation": conversation_id, "outbox_id": outbox_id}
        elif command == "resolve":
            await desk.resolve(conversation_id, moderator)
        elif command == "bot":
            await desk.return_to_bot(conversation_id, moderator)
        elif command == "note":
            await desk.note(conversation_id, moderator, rest)
        else:
            return {"ok": False, "command": command, "error": f"unknown command; {HELP}"}
        return {"ok": True, "command": command, "conversation": conversation_id}
    except (KeyError, ValueError, TransitionError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        return {"ok": False, "command": command, "error": str(message)}


async def run_inbox(desk: ModeratorDesk, moderator: str, stdin: IO[str] | None = None, stdout: IO[str] | None = None,
                    interactive: bool | None = None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty() if interactive is None else interactive

    def show(result: dict[str, Any]) -> None:
        if not interactive:
            stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        elif not result["ok"]:
            stdout.write(f"error: {result['error']}\n")
        elif "threads" in result:
            threads = result["threads"]
            stdout.write("\n".join(_card_text(ThreadCard(**t)) for t in threads) or "no threads waiting")
            stdout.write("\n")
        elif "thread" in result:
            stdout.write(_card_text(ThreadCard(**result["thread"])) + "\n")
        elif result.get("help"):
            stdout.write(result["help"] + "\n")
        elif result["command"]:
            stdout.write("ok\n")
        stdout.flush()

    if interactive:
        stdout.write(f"inbox of brand {desk.brand!r}; {HELP}\n")
    show(await execute(desk, moderator, "list"))
    while True:
        if interactive:
            stdout.write("inbox> ")
            stdout.flush()
        line = stdin.readline()
        if not line or line.strip() in ("quit", "exit"):
            break
        show(await execute(desk, moderator, line))
    return 0
