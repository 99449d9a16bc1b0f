"""A customer who greets before asking is greeted back: "Добрый вечер! Как оплатить картой?" heard the answer
alone, as if nobody had read the greeting. The greeting fits the time of day the customer named, else the brand's
clock; a reply that greets already (the greeting entry's) is left as it is.
"""

from __future__ import annotations

from dataclasses import replace

from handlers.openers import starts_with_greeting
from handlers.types import Action, Decision

# By language: morning (05-12), afternoon (12-17), evening (17-23), and any hour
_BACK = {
    "ru": ("Доброе утро!", "Добрый день!", "Добрый вечер!", "Здравствуйте!"),
    "tr": ("Günaydın!", "İyi günler!", "İyi akşamlar!", "Merhaba!"),
    "en": ("Good morning!", "Good afternoon!", "Good evening!", "Hello!"),
}


def greeting_for(language: str, hour: int) -> str:
    """A greeting in the language that fits the hour (0-23)."""
    morning, afternoon, evening, any_hour = _BACK.get(language, _BACK["en"])
    if 5 <= hour < 12:
        return morning
    if 12 <= hour < 17:
        return afternoon
    if 17 <= hour < 23:
        return evening
    return any_hour


def greeted_back(decision: Decision, text: str, hour: int) -> Decision:
    """The decision with a greeting before its reply when the customer's message (`text`) begins with one and the
    reply answers or hands the message to a person; `hour`: the customer's, as their greeting names it or the
    brand's clock tells."""
    reply = decision.reply_text
    if (not reply or decision.action not in (Action.ANSWER, Action.HANDOFF) or not starts_with_greeting(text)
            or starts_with_greeting(reply)):
        return decision
    return replace(decision, reply_text=f"{greeting_for(decision.language, hour)} {reply}")
