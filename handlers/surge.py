"""Negative surges: many customers unhappy about the same thing at once (an outage, a failed release, a price rise).

Practitioners: negative not handled in time can blow up into an "information explosion"; find it as it begins
to spread. Unlike a directed wave (handlers.directed), a surge is natural negative: real customers, in their own
words, each answered as usual. What the moderators need is one early alert naming the topic, so that a person
finds the cause, solves it and says so publicly, instead of answering the same problem customer by customer.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.types import Decision

# Below an entry of its own, a message counts towards a surge on the intent head's likeliest entry when the head
# gives it this much ("пропал интернет, что делать?": outage 0.39, handed to a person unsure): real customers in an
# outage word it every way, and half of them are not answered from the entry.
GUESS_FLOOR = 0.3


@dataclass(frozen=True)
class SurgePolicy:
    customers: int = 5  # distinct customers unhappy about one argument-base entry ... (0: no alerts)
    window_minutes: int = 30  # ... within this many minutes; the surge lasts while they keep coming this often

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
