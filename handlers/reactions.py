"""A customer's emoji reaction to a reply, read as their verdict on it."""

from __future__ import annotations

from collections.abc import Iterable

# Telegram's reaction emoji (the ones a customer can set on a bot's message), by what they say about a reply
APPROVING = frozenset({"👍", "❤", "🔥", "🥰", "👏", "😁", "🎉", "🤩", "🙏", "👌", "😍", "❤‍🔥", "💯", "🤣", "⚡", "🏆",
                       "🤝", "🤗", "🫡", "🆒", "💘", "😘", "😎", "😇", "🕊", "🍾"})
DISAPPROVING = frozenset({"👎", "🤬", "😢", "🤮", "💩", "🤡", "🥱", "💔", "🤨", "😐", "🖕", "😭", "😡"})
# The reason of a handoff the customer asked for by disapproving of the bot's answer
DISLIKED_ANSWER = "disliked_answer"


def reaction_verdict(emojis: Iterable[str]) -> int:
    """1 when the reaction approves of the reply (👍, ❤, 🔥...), -1 when it disapproves (👎, 😡, 💩...), 0 when it
    says neither (🤔, 👀, or no reaction left). Disapproval wins in a mixed reaction: a customer who puts 👎
    anywhere is not satisfied."""
    said = {emoji.replace("\ufe0f", "") for emoji in emojis}
    if said & DISAPPROVING:
        return -1
    return 1 if said & APPROVING else 0
