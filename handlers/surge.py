"""Negative surges: many customers unhappy about the same thing at once (an outage, a failed release, a price rise).

Practitioners: negative not handled in time can blow up into an "information explosion"; find it as it begins
to spread. Unlike a directed wave (handlers.directed), a surge is natural negative: real customers, in their own
words, each answered as usual. What the moderators need is one early alert naming the topic, so that a person
finds the cause, solves it and says so publicly, instead of answering the same problem customer by customer.

A new problem (an offensive advert, a broken release) has no entry yet: its customers' messages are about none of
the base's topics, or are taken for one or another of them at random, and what they share is their words
(handlers.surge_words). A surge on a word starts when at least `customers` unhappy customers use it within the
window, at least twice as many as in any window of the week before (a word customers always use in complaints is
not news), and no more than half of them wrote about one entry (that is the entry's surge).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.types import Decision

# Below an entry of its own, a message counts towards a surge on the intent head's likeliest entry when the head
# gives it this much ("пропал интернет, что делать?": outage 0.39, handed to a person unsure): real customers in an
# outage word it every way, and half of them are not answered from the entry.
GUESS_FLOOR = 0.3
NO_ENTRY = ""  # the entry of a surge on a word, about none of the base's entries
USUAL_DAYS = 7  # a surge on a word has twice as many customers as any window of these days before it had
RELATED = timedelta(hours=12)  # a surge on a word this recent takes the messages using its word (see new_topic)
RELATED_SHARE = 0.25  # of a word's messages in the window, this share using a recent surge's word: that surge's


@dataclass(frozen=True)
class SurgePolicy:
    customers: int = 5  # distinct customers unhappy about one argument-base entry ... (0: no alerts)
    window_minutes: int = 30  # ... within this many minutes; the surge lasts while they keep coming this often
    new_topics: bool = True  # ... or about one word none of the entries covers (a new problem)

    @property
    def enabled(self) -> bool:
        return self.customers > 0


@dataclass(frozen=True)
class Surge:
    """A surge as moderators are told of it."""

    id: int
    entry_id: str
    customers: int  # distinct unhappy customers since `since`
    since: str  # when the first of them wrote (ISO)
    latest: tuple[tuple[int, str], ...]  # the newest of their messages (stored id, text), newest first
    word: str = ""  # on no entry (NO_ENTRY): the word they share, as most of them write it


def topic_of(decision: Decision) -> str | None:
    """The argument-base entry a message is about, for surges: the one it was answered or handed off with, else
    the intent head's likeliest (offered to the moderator first) when the head gives it GUESS_FLOOR; none for a
    message the head found out of scope. Stored with the decision (`messages.topic`), where `bot.storage.surges`
    counts it."""
    if decision.entry_id:
        return decision.entry_id
    if decision.reason != "out_of_scope" and decision.suggestions and decision.scores.get("intent", 0.0) >= GUESS_FLOOR:
        return decision.suggestions[0]
    return None


def worth_announcing(customers: int, announced: int, policy: SurgePolicy) -> bool:
    """Whether moderators hear of a surge of `customers` now, having heard of it at `announced` (0: never):
    when it starts, then each time it doubles (5, 10, 20 ... customers), so they learn it grows without an
    alert per message."""
    if not policy.enabled or customers < policy.customers:
        return False
    return announced == 0 or customers >= 2 * announced


@dataclass(frozen=True)
class Unhappy:
    """An unhappy customer's message, as a surge on a word counts it."""

    customer: str
    at: datetime
    words: frozenset[str]  # its subject words' stems (handlers.surge_words.subject_words)
    topic: str | None = None  # the entry it is about (topic_of), if any


def new_topic(unhappy: Sequence[Unhappy], words: Iterable[str], at: datetime, policy: SurgePolicy,
              taken: frozenset[str] = frozenset(), related: frozenset[str] = frozenset()) -> str | None:
    """The word among `words` (a message's, sent `at`) that starts a surge now, given the brand's unhappy
    messages of the last USUAL_DAYS up to `at` (the message's own included) and the surges on a word of the last
    RELATED (`taken`: their words; `related`: the words most of their messages share, `signature`): of those
    `news_words` finds in the window, used by twice as many customers as in any window before, the one most
    customers used; None when there is none."""
    window = timedelta(minutes=policy.window_minutes)
    start = at - window
    oldest = start - timedelta(days=USUAL_DAYS)
    best: tuple[int, str] | None = None
    for word, now in news_words([m for m in unhappy if start <= m.at <= at], words, policy, taken, related).items():
        before: dict[int, set[str]] = {}
        for m in unhappy:
            if word in m.words and oldest <= m.at < start:
                before.setdefault(int((start - m.at) / window), set()).add(m.customer)
        usual = max((len(customers) for customers in before.values()), default=0)
        if now >= 2 * usual and (best is None or now > best[0]):  # (words in order: the first of a tie)
            best = (now, word)
    return best[1] if best else None


def news_words(within: Sequence[Unhappy], words: Iterable[str], policy: SurgePolicy,
               taken: frozenset[str] = frozenset(), related: frozenset[str] = frozenset()) -> dict[str, int]:
    """Of `words`, those the window's unhappy messages (`within`) make news of, with their customers: used by at
    least `policy.customers` customers, by no more than half of them about one entry (that is the entry's
    surge), and not a recent surge's news in other words. Cheap: what `new_topic` then compares with the week
    before.

    A message with a recent surge's word (`taken`) is that surge's and counts for no other; a word that
    RELATED_SHARE of the window's messages using it share with a recent surge (`related`: "цены" of "повысил
    цены архивных тарифов" beside a surge on "подорожали" of "старые тарифы подорожали") is that surge's news:
    one event, one alert."""
    if not policy.enabled or not policy.new_topics:
        return {}
    related = related | taken
    found: dict[str, int] = {}
    for word in sorted(set(words) - taken):
        using = [m for m in within if word in m.words]
        if related and using and sum(1 for m in using if m.words & related) >= RELATED_SHARE * len(using):
            continue
        recent = {m.customer: m.topic for m in using if not m.words & taken}
        if len(recent) < policy.customers:
            continue
        entries = Counter(topic for topic in recent.values() if topic)
        if entries and 2 * entries.most_common(1)[0][1] > len(recent):  # mostly one entry: the entry's surge
            continue
        found[word] = len(recent)
    return found


def signature(messages: Sequence[Unhappy]) -> frozenset[str]:
    """The words at least half of a surge's messages use: what else its news is called."""
    counts = Counter(word for m in messages for word in m.words)
    return frozenset(word for word, n in counts.items() if 2 * n >= len(messages))
