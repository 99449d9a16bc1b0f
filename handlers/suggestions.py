"""Approved answers a moderator can send with one press: the argument-base entries the bot thought of for a
message it handed to a person because it was unsure, the question looked out of scope, the customer was
very unhappy, or asked it in abusive words. A moderator confirms the bot's guess instead of typing the approved
words again."""

from __future__ import annotations

from handlers.competitors import COMPETITOR
from handlers.impatience import UNANSWERED
from handlers.matcher import Match
from handlers.missed_visits import MISSED_VISIT
from handlers.policy import BrandPolicy
from handlers.types import Analysis

SUGGESTIONS = 3  # entries offered per handoff
INTENT_FLOOR = 0.05  # the intent head's probability an entry needs to be offered
SIMILARITY_SLACK = 0.07  # without the head's opinion: this far under the answer threshold still counts
# handoffs whose moderators get suggestions; abuse without a question, campaigns and attachments get none
SUGGESTING = frozenset({"no_confident_answer", "out_of_scope", "strong_negative", "too_long", "toxic_question",
                        "follow_up", COMPETITOR, MISSED_VISIT, UNANSWERED})


def suggest_entries(analysis: Analysis, match: Match | None, policy: BrandPolicy) -> tuple[str, ...]:
    """Up to SUGGESTIONS entry ids, likeliest first: by the intent head, else by similarity."""
    if analysis.intents:
        ranked = sorted(analysis.intents.items(), key=lambda item: -item[1])
        return tuple(entry for entry, p in ranked if p >= INTENT_FLOOR)[:SUGGESTIONS]
    if match is None:
        return ()
    floor = policy.answer_threshold - SIMILARITY_SLACK
    if match.score <= match.out_of_scope:  # nearer one of the brand's own out-of-scope phrases: not its business
        return ()
    ranked = sorted(match.scores.items(), key=lambda item: -item[1])
    return tuple(entry for entry, score in ranked if score >= floor)[:SUGGESTIONS]
