"""What the bot answered by itself, least sure first: the list a brand's moderators check, feeding what was
not the brand's business into the argument base's `out_of_scope` and a wrongly matched question into the
right entry's examples (`smm-responder review`). And what the moderators taught it: messages the bot was
unsure of that a person answered with an entry's approved answer, new examples for that entry
(`review --examples`). And what the base lacks: what customers wrote about that no entry covers, by the word
they share, most customers first (`review --gaps`), also as drafts of the entries to add, with what people
replied (`review --gaps --draft`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from bot.permalinks import permalink
from bot.storage import Storage
from handlers.argument_base import ArgumentBase
from handlers.entry_drafts import GapSource, Said, drafts_yaml, one_question
from handlers.reactions import reaction_verdict
from handlers.surge_words import subject_words, written_form
from handlers.types import utcnow
from models.language import BrandWords, russian_reading


async def least_sure_answers(storage: Storage, brand: str, days: float, limit: int) -> list[dict[str, Any]]:
    """The brand's bot answers of the last `days`: first those the customer disapproved of, with a reaction (👎)
    or by writing that it did not help ("не помогло"; `disapproved`), then those the customer did not understand
    ("не понял", "а подробнее?"; `unclear`: worth writing more plainly), then the least sure (the intent head's
    probability, else the similarity), each with a link where it was public, and `read_as`, how the bot read it,
    where that is not as typed (Russian typed in Latin letters or in the English layout; the comment a "+1" joined)."""
    answers = await storage.bot_answers(brand, utcnow() - timedelta(days=days))
    for answer in answers:
        if (reading := russian_reading(answer["text"])) is not None:
            answer["read_as"] = reading
        if (joined := answer.pop("joins")) is not None:  # "+1" answered as the comment it joined
            answer["read_as"] = joined
        scores = answer["scores"]
        answer["sureness"] = scores.get("intent", scores.get("similarity"))
        answer["disapproved"] = (reaction_verdict((answer["reaction"] or "").split()) < 0
                                 or answer.pop("did_not_help"))
        answer["link"] = permalink(answer["platform"], answer.pop("chat_id"), answer.pop("platform_message_id"),
                                   answer.pop("thread_id"))
    answers.sort(key=lambda a: (not a["disapproved"], not a["unclear"], a["sureness"] is not None,
                                a["sureness"] or 0.0))
    return answers[:limit]


async def examples_moderators_confirmed(storage: Storage, brand: str, days: float, base: ArgumentBase,
                                        words: BrandWords | None = None) -> list[dict[str, Any]]:
    """Customers' messages of the last `days` that the bot handed off unsure and a moderator answered with one of
    the suggested entries (bot.desk.send_suggestion): each is an example that entry lacks. Once per text and
    entry; texts the entry already has as examples, and entries edited away since, are left out. With the
    brand's `words` (bot.pipeline.words_of) each text is the example as the bot read it (Russian typed in Latin
    letters or in the English layout in Cyrillic, Turkish with its letters), what the customer typed in `typed`."""
    entries = {entry.id: entry for entry in base.entries}
    seen: set[tuple[str, str]] = set()
    found = []
    for chosen in await storage.answers_moderators_chose(brand, utcnow() - timedelta(days=days)):
        entry = entries.get(chosen["entry_id"])
        typed = chosen["text"].strip()
        text = words.read(typed, chosen["language"]) if words is not None else typed
        key = (chosen["entry_id"], text.lower())
        if entry is None or not text or key in seen:
            continue
        seen.add(key)
        known = {e.lower() for examples in entry.examples.values() for e in examples}
        if text.lower() not in known:
            found.append({**chosen, "text": text, "topic": entry.topic, **({"typed": typed} if typed != text else {})})
    return found


GAP_EXAMPLES = 5  # of a gap's messages, the newest few shown


@dataclass(frozen=True)
class Gap:
    """What the base lacked that customers shared one word about."""

    word: str  # as most of its customers write it
    customers: int
    taken: list[dict[str, Any]]  # its messages, newest first


async def find_gaps(storage: Storage, brand: str, days: float, limit: int, names: frozenset[str] = frozenset(),
                    words: BrandWords | None = None, until: datetime | None = None) -> list[Gap]:
    """The groups `gaps_in_the_base` describes (its arguments), each with all its messages, newest first."""
    messages = await storage.messages_on_no_entry(brand, (until or utcnow()) - timedelta(days=days), until)

    def read(m: dict[str, Any]) -> str:
        return words.read(m["text"], m["language"]) if words is not None else str(m["text"])

    stems = {m["message_id"]: set(subject_words(read(m), m["language"], names)) for m in messages}
    left = list(messages)
    found: list[Gap] = []
    while left and len(found) < limit:
        customers: dict[str, set[str]] = defaultdict(set)
        for m in left:
            for word in stems[m["message_id"]]:
                customers[word].add(m["customer"])
        if not customers:
            break
        stem = min(customers, key=lambda w: (-len(customers[w]), w))
        if len(customers[stem]) < 2:
            break
        taken = [m for m in left if stem in stems[m["message_id"]]]
        left = [m for m in left if stem not in stems[m["message_id"]]]
        newest = sorted(taken, key=lambda m: m["message_id"], reverse=True)
        found.append(Gap(written_form([read(m) for m in taken], stem), len(customers[stem]), newest))
    return found


async def gaps_in_the_base(storage: Storage, brand: str, days: float, limit: int, names: frozenset[str] = frozenset(),
                           words: BrandWords | None = None, until: datetime | None = None) -> list[dict[str, Any]]:
    """What the brand's customers wrote about in the last `days` that none of the argument base's entries answered
    (`Storage.messages_on_no_entry`), grouped by the subject word (handlers.surge_words) the most customers
    share: each group is a candidate entry, its messages candidate examples. Greedy: the word of the most
    customers takes its messages, then the next word among the rest, while two customers or more share one.
    `names`: the brand's names (name_stems), which customers use whatever they write about; `words`: the brand's
    (bot.pipeline.words_of), to read each message as the bot read it (Turkish typed without its letters, Russian
    in Latin letters), so that both spellings of a word are one. `until`: the period's end (default now)."""
    return [{
        "word": gap.word, "customers": gap.customers, "messages": len(gap.taken),
        "languages": sorted({m["language"] for m in gap.taken if m["language"]}),
        "examples": list(dict.fromkeys(m["text"].strip() for m in gap.taken))[:GAP_EXAMPLES],
        "links": [link for m in gap.taken[:GAP_EXAMPLES] if (link := permalink(
            m["platform"], m["chat_id"], m["platform_message_id"], m["thread_id"]))],
    } for gap in await find_gaps(storage, brand, days, limit, names, words, until)]


@dataclass(frozen=True)
class GapDrafts:
    text: str  # one YAML file of the base's form
    message_ids: list[int]  # the customers' messages it quotes (a forum post of it is recorded as quoting them)


Embed = Callable[[Sequence[str]], Awaitable[np.ndarray]]


async def gap_drafts(storage: Storage, brand: str, gaps: list[Gap], base: ArgumentBase, days: float,
                     until: datetime | None = None, embed: Embed | None = None) -> GapDrafts:
    """Gaps (`find_gaps`, over the last `days` to `until`) as drafts of argument-base entries
    (handlers.entry_drafts): each gap's messages as examples and the fullest reply a person gave each of its
    customers as answers, in one YAML file of the base's form for a person to finish (`review --gaps --draft`).
    With `embed` (the encoder's sentence embeddings), the gaps that are one question asked in different languages
    are one draft (handlers.entry_drafts.one_question)."""
    replies = await storage.person_answers([m["message_id"] for gap in gaps for m in gap.taken])
    groups = [[i] for i in range(len(gaps))]
    if embed is not None and len(gaps) > 1:
        centroids = np.stack([(await embed([m["text"] for m in gap.taken])).mean(axis=0) for gap in gaps])
        groups = one_question(centroids, [frozenset(m["language"] for m in gap.taken if m["language"])
                                          for gap in gaps])
    sources = []
    for group in groups:
        taken = [m for i in group for m in gaps[i].taken]
        sources.append(GapSource(
            [gaps[i].word for i in group], len({m["customer"] for m in taken}),
            [Said(m["text"], m["language"]) for m in taken],
            [(Said(replies[m["message_id"]][0], m["language"]), replies[m["message_id"]][1])
             for m in taken if m["message_id"] in replies]))
    end = (until or utcnow()).date()
    header = (f"What {brand}'s customers asked from {end - timedelta(days=days)} to {end} that no entry answered, "
              f"and what people replied: {len(sources)} draft entr{'y' if len(sources) == 1 else 'ies'}")
    return GapDrafts(drafts_yaml(sources, base.languages, header, [entry.id for entry in base.entries]),
                     [m["message_id"] for gap in gaps for m in gap.taken])
