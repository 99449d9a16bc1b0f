"""A customer who greets before asking is greeted back: "Добрый вечер! Как оплатить картой?" heard the answer
alone, as if nobody had read the greeting. The greeting fits the time of day the customer named, else the brand's
clock; a reply that greets already (the greeting entry's), and a goodbye, are left as they are.
"""

from __future__ import annotations

from dataclasses import replace

from handlers.openers import starts_with_greeting
from handlers.phrasing import capitalised, first_name
from handlers.types import Action, Decision
from models.word_match import WordList, fold

# Farewells (folded whole words): a customer who says goodbye, or a reply that does, is not greeted ("Привет,
# пока" heard "Здравствуйте! Всего доброго!")
FAREWELLS = WordList((
    "пока", "до свидания", "всего доброго", "всего хорошего", "до встречи", "прощайте",
    "hoşça kal", "hoşça kalın", "görüşürüz", "görüşmek üzere", "güle güle",
    "bye", "goodbye", "good bye", "see you", "take care", "farewell",
))
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


def greeted_back(decision: Decision, text: str, hour: int, customer_name: str = "") -> Decision:
    """The decision with a greeting before its reply when the customer's message (`text`) begins with one and the
    reply answers or hands the message to a person; `hour`: the customer's, as their greeting names it or the
    brand's clock tells. A reply that begins with the customer's first name takes it into the greeting ("Добрый
    вечер, Анна! Могу сменить тариф…", not "Добрый вечер! Анна, могу…")."""
    reply = decision.reply_text
    if (not reply or decision.action not in (Action.ANSWER, Action.HANDOFF) or not starts_with_greeting(text)
            or starts_with_greeting(reply) or FAREWELLS.first(fold(f"{text} {reply}")) is not None):
        return decision
    greeting = greeting_for(decision.language, hour)
    first = first_name(customer_name)
    if first and reply.startswith(f"{first}, "):
        rest = capitalised(reply[len(first) + 2:], decision.language)
        return replace(decision, reply_text=f"{greeting.rstrip('!')}, {first}! {rest}")
    return replace(decision, reply_text=f"{greeting} {reply}")
