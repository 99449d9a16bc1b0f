"""What the bot answered by itself, least sure first: the list a brand's moderators check, feeding what was
not the brand's business into the argument base's `out_of_scope` and a wrongly matched question into the
right entry's examples (`smm-responder review`). And what the moderators taught it: messages the bot was
unsure of that a person answered with an entry's approved answer, new examples for that entry
(`review --examples`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.permalinks import permalink
from bot.storage import Storage
from handlers.argument_base import ArgumentBase
from handlers.reactions import reaction_verdict
from handlers.types import utcnow


async def least_sure_answers(storage: Storage, brand: str, days: float, limit: int) -> list[dict[str, Any]]:
    """The brand's bot answers of the last `days`: first those the customer disapproved of with a reaction (👎:
    `disapproved`), then the least sure (the intent head's probability, else the similarity), each with a link
    where it was public."""
    answers = await storage.bot_answers(brand, utcnow() - timedelta(days=days))
    for answer in answers:
        scores = answer["scores"]
        answer["sureness"] = scores.get("intent", scores.get("similarity"))
        answer["disapproved"] = reaction_verdict((answer["reaction"] or "").split()) < 0
        answer["link"] = permalink(answer["platform"], answer.pop("chat_id"), answer.pop("platform_message_id"),
                                   answer.pop("thread_id"))
    answers.sort(key=lambda a: (not a["disapproved"], a["sureness"] is not None, a["sureness"] or 0.0))
    return answers[:limit]


async def examples_moderators_confirmed(storage: Storage, brand: str, days: float,
                                        base: ArgumentBase) -> list[dict[str, Any]]:
    """Customers' messages of the last `days` that the bot handed off unsure and a moderator answered with one of
    the suggested entries (bot.desk.send_suggestion): each is an example that entry lacks. Once per text and
    entry; texts the entry already has as examples, and entries edited away since, are left out."""
    entries = {entry.id: entry for entry in base.entries}
    seen: set[tuple[str, str]] = set()
    found = []
    for chosen in await storage.answers_moderators_chose(brand, utcnow() - timedelta(days=days)):
        entry = entries.get(chosen["entry_id"])
        text = chosen["text"].strip()
        key = (chosen["entry_id"], text.lower())
        if entry is None or not text or key in seen:
            continue
        seen.add(key)
        known = {e.lower() for examples in entry.examples.values() for e in examples}
        if text.lower() not in known:
            found.append({**chosen, "text": text, "topic": entry.topic})
    return found
