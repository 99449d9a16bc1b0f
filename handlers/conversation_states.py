"""The conversation life cycle: bot -> waiting_for_moderator -> with_moderator -> resolved -> bot."""

from __future__ import annotations

from enum import StrEnum

from handlers.types import ConversationState as S


class Event(StrEnum):
    HANDOFF = "handoff"  # the bot hands the thread to a human
    TAKE = "take"  # a moderator takes the thread
    MODERATOR_REPLY = "moderator_reply"  # a moderator answers (taking it implicitly)
    RESOLVE = "resolve"  # a moderator solved it
    RETURN_TO_BOT = "return_to_bot"  # a moderator gives the thread back without solving
    CUSTOMER_MESSAGE = "customer_message"  # a resolved thread hears from the customer again


_TRANSITIONS: dict[tuple[S, Event], S] = {
    (S.BOT, Event.HANDOFF): S.WAITING_FOR_MODERATOR,
    (S.RESOLVED, Event.HANDOFF): S.WAITING_FOR_MODERATOR,
    (S.WAITING_FOR_MODERATOR, Event.HANDOFF): S.WAITING_FOR_MODERATOR,
    (S.WITH_MODERATOR, Event.HANDOFF): S.WITH_MODERATOR,
    (S.BOT, Event.TAKE): S.WITH_MODERATOR,
    (S.RESOLVED, Event.TAKE): S.WITH_MODERATOR,
    (S.WAITING_FOR_MODERATOR, Event.TAKE): S.WITH_MODERATOR,
    (S.WITH_MODERATOR, Event.TAKE): S.WITH_MODERATOR,
    (S.BOT, Event.MODERATOR_REPLY): S.WITH_MODERATOR,
    (S.RESOLVED, Event.MODERATOR_REPLY): S.WITH_MODERATOR,
    (S.WAITING_FOR_MODERATOR, Event.MODERATOR_REPLY): S.WITH_MODERATOR,
    (S.WITH_MODERATOR, Event.MODERATOR_REPLY): S.WITH_MODERATOR,
    (S.WAITING_FOR_MODERATOR, Event.RESOLVE): S.RESOLVED,
    (S.WITH_MODERATOR, Event.RESOLVE): S.RESOLVED,
    (S.WAITING_FOR_MODERATOR, Event.RETURN_TO_BOT): S.BOT,
    (S.WITH_MODERATOR, Event.RETURN_TO_BOT): S.BOT,
    (S.RESOLVED, Event.CUSTOMER_MESSAGE): S.BOT,
    (S.BOT, Event.CUSTOMER_MESSAGE): S.BOT,
    (S.WAITING_FOR_MODERATOR, Event.CUSTOMER_MESSAGE): S.WAITING_FOR_MODERATOR,
    (S.WITH_MODERATOR, Event.CUSTOMER_MESSAGE): S.WITH_MODERATOR,
}


class TransitionError(ValueError):
    """An action that the conversation's current state does not allow."""


def next_state(state: S, event: Event) -> S:
    try:
        return _TRANSITIONS[(state, event)]
    except KeyError:
        raise TransitionError(f"cannot {event.value} a conversation in state {state.value}") from None
