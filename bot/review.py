"""What the bot answered by itself, least sure first: the list a brand's moderators check, feeding what was
not the brand's business into the argument base's `out_of_scope` and a wrongly matched question into the
right entry's examples (`smm-responder review`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.permalinks import permalink
from bot.storage import Storage
from handlers.types import utcnow


async def least_sure_answers(storage: Storage, brand: str, days: float, limit: int) -> list[dict[str, Any]]:
    """The brand's bot answers of the last `days`, least sure first (the intent head's probability, else the
    similarity), each with a link where it was public."""
    answers = await storage.bot_answers(brand, utcnow() - timedelta(days=days))
    for answer in answers:
        scores = answer["scores"]
        answer["sureness"] = scores.get("intent", scores.get("similarity"))
        answer["link"] = permalink(answer["platform"], answer.pop("chat_id"), answer.pop("platform_message_id"),
                                   answer.pop("thread_id"))
    answers.sort(key=lambda a: (a["sureness"] is not None, a["sureness"] or 0.0))
    return answers[:limit]
