"""Pick an approved phrasing: in the customer's language, never the same one twice to them."""

from __future__ import annotations

import random
import string
from collections.abc import Collection, Sequence

from handlers.argument_base import Entry
from handlers.formality import greets_informally
from handlers.surge_words import subject_words, subjects_of
from handlers.time_of_day import fits_the_hour

# Of the phrasings a customer has not had yet, those this close to the one nearest their message (embedding
# similarity) are chosen from: "как поменять пароль от wifi?" lies 0.865 and 0.859 from the router entry's two
# answers on the password, 0.852 from the new-router one and 0.812 from "a technician can come and set it up";
# "купил новый роутер, как подключить?" 0.899 from the new-router answer and 0.85 from the others; "можно ли
# заморозить договор на время отпуска?" 0.864 from the answer on pausing the contract and 0.854 from "what made
# you decide to leave?". Phrasings of one answer lie within about 0.007 of each other and take turns.
RELEVANCE_SPREAD = 0.008
# Of those, the ones that name most of the message's words that the others do not (words_named) are chosen from; not
# among phrasings further off, which the embedding tells apart: "Не могу зайти в личный кабинет, пишет неверный
# пароль" names the personal account the app entry's answer on balances speaks of (0.836), while the login answers
# lie nearer (0.851, 0.852) and name the password.
# Further off, to this spread, a phrasing that names every word of the message any of the nearest names, and more, is
# chosen over them: the cancel entry's "what made you decide to leave?" lies nearest most questions on cancelling,
# 0.855 from "Is there a cancellation fee?" and 0.886 from "Есть ли штраф за расторжение?", the answer that there is
# no fee 0.846 and 0.868.
NAMING_SPREAD = 0.025


def words_named(options: Sequence[str], asked: str, language: str) -> list[frozenset[str]]:
    """Per phrasing, the subject words (stems) of a message (`asked`) it names that not every phrasing of the answer
    names: "А если на год вперёд оплатить, скидка будет?" names the discount that one promotions phrasing speaks of
    ("Отдельной скидки на годовую оплату сейчас нет"), the others only the "Приведи друга" bonus; their embeddings
    lay within 0.005 of each other, and either was sent."""
    said = frozenset(subject_words(asked, language))
    stems = [subjects_of((option.replace("{name}", ""),), language) for option in options]
    everywhere = frozenset.intersection(*stems) if stems else frozenset()
    return [(said & named) - everywhere for named in stems]


def phrasing_key(entry_id: str, language: str, public: bool, index: int) -> str:
    return f"{entry_id}:{language}:{'public' if public else 'private'}:{index}"


def first_name(name: str) -> str:
    """The first word of a customer's display name ("" for none)."""
    words = name.split()
    return words[0] if words else ""


def fill_name(template: str, name: str, language: str = "") -> str:
    """Insert the customer's first name; phrasings with {name} read naturally without it too (capitalised as the
    `language` writes: Turkish "internetin" begins "İnternetin", not "Internetin")."""
    first = first_name(name)
    if first:
        return template.replace("{name}", first)
    # "Thank you, {name}, for the kind words!": the name and both its commas go ("Thank you, for" read wrong)
    text = template.replace(", {name},", "").replace(", {name}", "").replace(" {name}", "").replace("{name}, ", "")
    text = text.replace("{name}", "").strip()
    if text and text[0] in string.punctuation:
        text = text[1:].lstrip()
    return capitalised(text, language)


def capitalised(text: str, language: str = "") -> str:
    """The text with its first letter in upper case, as the language writes it (Turkish: i -> İ, ı -> I)."""
    first = text[:1]
    if language == "tr" and first in ("i", "ı"):
        return ("İ" if first == "i" else "I") + text[1:]
    return first.upper() + text[1:]


def choose_phrasing(
    entry: Entry,
    language: str,
    *,
    public: bool,
    used: Collection[str],
    customer_name: str,
    rng: random.Random,
    relevance: Sequence[float] | None = None,
    hour: int | None = None,
    formal: bool = False,
    asked: str = "",
) -> tuple[str, str]:
    """Return (text, key). Unused phrasings first, of those the ones whose greetings and wishes fit the customer's
    `hour` (0-23, where known: no "Хорошего дня" at night) and, for a customer who greeted `formal`ly, that greet
    no less formally (handlers.formality: no "Привет!" to "Здравствуйте"), the ones nearest the message among them
    where `relevance` (one figure per phrasing) tells, and of those the ones that name most of what the message
    (`asked`) names that the others do not (words_named); once all are used, the one
    last used longest ago. `used`: phrasing keys, oldest first (a key may repeat)."""
    options = entry.phrasings(language, public)
    if not options:
        raise KeyError(f"entry {entry.id} has no phrasing in {language}")
    keys = [phrasing_key(entry.id, language, public, i) for i in range(len(options))]
    fresh = [i for i, key in enumerate(keys) if key not in used]
    if hour is not None:
        fresh = [i for i in fresh if fits_the_hour(options[i], hour)] or fresh
    if formal:
        fresh = [i for i in fresh if not greets_informally(options[i])] or fresh
    named = words_named(options, asked, language) if asked else [frozenset()] * len(options)
    if relevance is not None and len(relevance) == len(options) and fresh:
        best = max(relevance[i] for i in fresh)
        near = [i for i in fresh if relevance[i] >= best - RELEVANCE_SPREAD]
        # a little further off, one that names all of what the nearest name of the message, and more
        fresh = [i for i in fresh if relevance[i] >= best - NAMING_SPREAD
                 and all(named[i] > named[j] for j in near)] or near
    if len(fresh) > 1:  # (one left: nothing to choose)
        most = max(len(named[i]) for i in fresh)
        fresh = [i for i in fresh if len(named[i]) == most]
    if not customer_name:
        # Without a name, prefer phrasings that do not need one.
        fresh = [i for i in fresh if "{name}" not in options[i]] or fresh
    if fresh:
        index = rng.choice(fresh)
    else:
        last_use = {key: n for n, key in enumerate(used)}  # each key's latest use
        index = min(range(len(options)), key=lambda i: last_use.get(keys[i], -1))
    return fill_name(options[index], customer_name, language), keys[index]
