"""The terminal inbox: moderators list waiting threads, reply, take, resolve, return, note.

Commands (one per line): list | show ID | take ID | reply ID TEXT | use ID N | resolve ID | bot ID |
note ID TEXT | hide ID | hidemsg N | hideall N | done N | quit. When standard input is not a terminal every result
is one JSON line.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any
from zoneinfo import ZoneInfo

from bot.desk import AccusingReply, EmptyText, ModeratorDesk, NothingToHide, Suggestion, ThreadCard, history_text
from bot.permalinks import outside_link, permalink
from handlers.conversation_states import TransitionError
from handlers.support_hours import local_moment
from handlers.texts import LABELS, handoff_reason, label

HELP = LABELS["inbox_help"]["en"]  # in JSON results (scripts); a terminal shows the brand's language
AUTHORS = {"customer": "author_customer", "bot": "author_bot", "moderator": "author_moderator"}


def card_text(card: ThreadCard, language: str, zone: ZoneInfo) -> str:
    """A thread as a moderator reads it on a terminal, labelled in `language`, its moments in the brand's `zone`."""
    def t(key: str) -> str:
        return label(key, language)

    overdue = f" {t('inbox_overdue')}" if card.overdue else f" ({t('inbox_awaiting')})" if card.awaiting_reply else ""
    lines = [
        f"#{card.conversation_id} [{card.state}]{overdue} {card.platform} {card.customer_name or card.customer_id}"
        f" ({card.language or '?'})",
        f"    {t('card_reason')}: {handoff_reason(card.reason, language)}"
        f" · {t('card_deadline')}: {local_moment(card.deadline, zone) if card.deadline else '—'}"
        f" · {t('card_owner')}: {card.moderator or '—'}",
    ]
    if card.unreachable:
        lines.append(f"    {t('card_unreachable')}")
    for m in card.history:
        author = t(AUTHORS[m["author"]]) if m["author"] in AUTHORS else m["author"]
        lines.append(f"    {local_moment(m['at'], zone)} {author}: {history_text(m, t, 300)}")
    for n in card.notes:
        lines.append(f"    {t('inbox_note_by').format(who=n['author'])}: {n['text']}")
    for number, suggestion in enumerate(card.suggestions, 1):
        lines.append(f"    ✉ {t('inbox_suggestion').format(n=number, id=card.conversation_id)}, {suggestion.topic}: "
                     f"{suggestion.text[:300]}")
    return "\n".join(lines)


def _card(fields: dict[str, Any]) -> ThreadCard:
    """A card back from its JSON form."""
    return ThreadCard(**{**fields, "suggestions": [Suggestion(**s) for s in fields["suggestions"]]})


def _error_text(result: dict[str, Any], language: str) -> str:
    """A failed command's result as a moderator reads it."""
    code = result.get("code")
    if code == "usage":
        return label("inbox_help", language)
    if code in ("no_thread", "wrong_state", "needs_text", "no_suggestion", "nothing_to_hide", "no_comment",
                "no_mention", "no_spam"):
        return label(f"inbox_{code}", language).format(id=result.get("conversation"))
    if code == "accusing":
        return label("inbox_accusing", language).format(id=result.get("conversation"), phrase=result.get("phrase"))
    return label("inbox_error", language).format(error=result["error"])


async def execute(desk: ModeratorDesk, moderator: str, line: str) -> dict[str, Any]:
    """Run one inbox command; returns a JSON-able result with 'ok' and details or 'error'."""
    parts = line.strip().split(maxsplit=2)
    if not parts:
        return {"ok": True, "command": None}
    command = parts[0].lower()
    conversation_id: int | None = None
    try:
        if command in ("list", "ls"):
            return {"ok": True, "command": "list", "threads": [c.as_dict() for c in await desk.waiting()],
                    "surges": await desk.surges(), "abuse": [
                        {**m, "link": permalink(m["platform"], m["chat_id"], m["platform_message_id"], m["thread_id"])}
                        for m in await desk.abuse_left_up()],
                    "outside": [{**m, "link": outside_link(m["platform"], m["address"])}
                                for m in await desk.outside_mentions()],
                    "campaigns": await desk.campaigns(), "spam": await desk.spam_unseen()}
        if command == "help":
            return {"ok": True, "command": "help", "help": HELP}
        if len(parts) < 2 or not parts[1].lstrip("#").isdigit():
            return {"ok": False, "command": command, "error": f"usage: {HELP}", "code": "usage"}
        conversation_id = int(parts[1].lstrip("#"))
        rest = parts[2] if len(parts) > 2 else ""
        if command == "show":
            card = await desk.card(await desk.conversation(conversation_id))
            return {"ok": True, "command": "show", "thread": card.as_dict()}
        if command == "take":
            await desk.take(conversation_id, moderator)
        elif command in ("reply", "reply!"):  # "reply!": send even what reads as accusing the customer
            outbox_id = await desk.reply(conversation_id, moderator, rest, force=command == "reply!")
            return {"ok": True, "command": "reply", "conversation": conversation_id, "outbox_id": outbox_id}
        elif command == "use":  # a suggested answer from the argument base, by its number
            if not rest.strip().isdigit():
                return {"ok": False, "command": command, "error": f"usage: {HELP}", "code": "usage"}
            try:
                chosen = await desk.send_suggestion(conversation_id, moderator, int(rest))
            except IndexError as exc:
                return {"ok": False, "command": command, "error": str(exc), "code": "no_suggestion",
                        "conversation": conversation_id}
            return {"ok": True, "command": "use", "conversation": conversation_id, "entry_id": chosen.entry_id,
                    "text": chosen.text}
        elif command == "resolve":
            await desk.resolve(conversation_id, moderator)
        elif command == "bot":  # the customer's last message, when nobody answered it: the bot answers it now
            left = await desk.return_to_bot(conversation_id, moderator)
            return {"ok": True, "command": "bot", "conversation": conversation_id, "left_to_bot": left}
        elif command == "note":
            await desk.note(conversation_id, moderator, rest)
        elif command == "hide":  # the customer's latest public comment still up
            outbox_id = await desk.hide(conversation_id, moderator)
            return {"ok": True, "command": "hide", "conversation": conversation_id, "outbox_id": outbox_id}
        elif command in ("hidemsg", "hideall"):  # abuse the bot left up, by the number `list` shows (its message
            try:  # id); hideall: every comment of its author still up
                done: dict[str, Any] = ({"outbox_id": await desk.hide_message(conversation_id, moderator)}
                                        if command == "hidemsg" else
                                        {"hidden": await desk.hide_author_abuse(conversation_id, moderator)})
            except NothingToHide as exc:
                return {"ok": False, "command": command, "error": str(exc), "code": "no_comment",
                        "conversation": conversation_id}
            return {"ok": True, "command": command, "message": conversation_id, **done}
        elif command == "customer":  # what the bot took for spam, by its number in `list`, is a customer's
            try:
                conversation = await desk.customer_after_all(conversation_id, moderator)
            except LookupError as exc:
                return {"ok": False, "command": command, "error": str(exc), "code": "no_spam",
                        "conversation": conversation_id}
            return {"ok": True, "command": "customer", "message": conversation_id,
                    "conversation": conversation.id}
        elif command in ("notify", "notify!"):  # what was done about surge N, to each of its customers
            told = await desk.notify_surge(conversation_id, moderator, rest, force=command == "notify!")
            return {"ok": True, "command": "notify", "surge": conversation_id, "told": told}
        elif command in ("statement", "statement!"):  # a campaign answered once in public (!: even if accusing)
            sent = await desk.answer_campaign(conversation_id, moderator, rest, force=command == "statement!")
            return {"ok": True, "command": "statement", "campaign": conversation_id, "sent": sent}
        elif command == "done":  # an unhappy post about the brand found outside its pages, by its number in `list`
            try:
                await desk.outside_mention_handled(conversation_id, moderator)
            except LookupError as exc:
                return {"ok": False, "command": command, "error": str(exc), "code": "no_mention",
                        "conversation": conversation_id}
            return {"ok": True, "command": "done", "mention": conversation_id}
        else:
            return {"ok": False, "command": command, "error": f"unknown command; {HELP}", "code": "usage"}
        return {"ok": True, "command": command, "conversation": conversation_id}
    except NothingToHide as exc:
        return {"ok": False, "command": command, "error": str(exc), "code": "nothing_to_hide",
                "conversation": conversation_id}
    except AccusingReply as exc:
        return {"ok": False, "command": command, "error": str(exc), "code": "accusing",
                "conversation": conversation_id, "phrase": exc.phrase}
    except (KeyError, ValueError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        code = ("no_thread" if isinstance(exc, KeyError) else "wrong_state" if isinstance(exc, TransitionError)
                else "needs_text" if isinstance(exc, EmptyText) else "error")
        return {"ok": False, "command": command, "error": str(message), "code": code, "conversation": conversation_id}


async def run_inbox(desk: ModeratorDesk, moderator: str, stdin: IO[str] | None = None, stdout: IO[str] | None = None,
                    interactive: bool | None = None, language: str = "en", timezone: str = "UTC") -> int:
    """The inbox loop. On a terminal, threads and messages read in `language` (the brand's default), moments in
    the brand's `timezone`; otherwise every result is one JSON line (UTC), the same in every language."""
    zone = ZoneInfo(timezone)
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty() if interactive is None else interactive
    if interactive:  # the base's topics too (JSON results give each entry's topic in the brand's first language)
        desk.language = language

    def show(result: dict[str, Any]) -> None:
        if not interactive:
            stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        elif not result["ok"]:
            stdout.write(_error_text(result, language) + "\n")
        elif "threads" in result:
            for surge in result["surges"]:
                key = "inbox_surge" if surge["entry_id"] else "inbox_surge_word"
                stdout.write(label(key, language).format(
                    entry=surge["topic"], word=surge["word"], customers=surge["customers"],
                    since=local_moment(surge["since"], zone))
                    + label("inbox_surge_notify", language).format(n=surge["surge"]) + "\n")
            for abuse in result["abuse"]:
                link = f" ({abuse['link']})" if abuse["link"] else ""
                kind = {"spam_recorded": "inbox_spam", "impersonation_recorded": "inbox_impersonation"}.get(
                    abuse["reason"], "inbox_abuse")
                stdout.write(label(kind, language).format(
                    n=abuse["message_id"], who=abuse["author_name"] or abuse["author_id"],
                    when=local_moment(abuse["at"], zone), link=link, text=abuse["text"][:300]) + "\n")
            for spam in result["spam"]:
                stdout.write(label("inbox_spam_unseen", language).format(
                    n=spam["message_id"], who=spam["author_name"] or spam["author_id"],
                    when=local_moment(spam["at"], zone), text=spam["text"][:300]) + "\n")
            for campaign in result["campaigns"]:
                stdout.write(label("inbox_campaign", language).format(
                    n=campaign["campaign"], accounts=campaign["accounts"], unanswered=campaign["unanswered"],
                    since=local_moment(campaign["since"], zone)) + "\n")
            for found in result["outside"]:
                stdout.write(label("inbox_outside", language).format(
                    n=found["id"], who=found["author_name"] or found["author_id"],
                    when=local_moment(found["posted_at"], zone), link=found["link"] or found["address"],
                    text=found["text"][:300]) + "\n")
            threads = result["threads"]
            stdout.write("\n".join(card_text(_card(t), language, zone) for t in threads)
                         or label("inbox_empty", language))
            stdout.write("\n")
        elif "thread" in result:
            stdout.write(card_text(_card(result["thread"]), language, zone) + "\n")
        elif result.get("help"):
            stdout.write(label("inbox_help", language) + "\n")
        elif result["command"] == "notify":
            stdout.write(label("surge_notified", language).format(who=moderator, n=result["told"]) + "\n")
        elif result["command"] == "statement":
            sent = result["sent"]
            stdout.write((label("campaign_answered", language).format(who=moderator, n=len(sent), text=sent[-1])
                          if sent else label("campaign_nothing_to_answer", language)) + "\n")
        elif result["command"] == "bot" and result["left_to_bot"]:  # nobody had answered it: the bot does now
            stdout.write(label("topic_returned_left", language).format(text=result["left_to_bot"][:300]) + "\n")
        elif result["command"]:
            stdout.write(label("inbox_done", language) + "\n")
        stdout.flush()

    if interactive:
        stdout.write(f"{label('inbox_intro', language).format(brand=desk.brand)}; {label('inbox_help', language)}\n")
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
