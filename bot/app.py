"""Wiring: configuration -> storage, encoder, brands, pipeline, outbox, platform adapters."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from bot.config import Config
from bot.desk import ModeratorDesk
from bot.outbox import OutboxDispatcher, Sender
from bot.pipeline import BrandRuntime, Outcome, Pipeline
from bot.reach import ReachProbe
from bot.storage import DeliveredReply, Handoff, NewReply, Storage
from bot.storage.deletions import AUTHOR
from bot.storage.records import OTHER
from handlers.reactions import DISLIKED_ANSWER, NOT_RESOLVED, RATED_SATISFIED, reaction_verdict
from handlers.router import NOT_RESOLVED_NOTICE, handoff_promise
from handlers.texts import reachability_note, say
from handlers.types import Conversation, IncomingMessage, Platform, utcnow
from models.analyzer import BatchingAnalyzer, TextAnalyzer
from models.encoder import shared_encoder

log = logging.getLogger(__name__)

# (conversation, satisfied, reopened: the thread went back to a person for it outside a message's decision)
RatingListener = Callable[[Conversation, bool, bool], Awaitable[None]]
DeadlineListener = Callable[[Conversation, Handoff], Awaitable[None]]  # see bot.overdue
HandBackListener = Callable[[Conversation, int], Awaitable[None]]  # a quiet thread went back to the bot (after hours)
# the conversation, who, what they wrote, and where (a label key: handlers.texts "outside_*")
OutsideReplyListener = Callable[[Conversation, str, str, str], Awaitable[None]]
# a customer's message deleted on the platform: the conversation, its text, who (bot.storage.deletions AUTHOR...)
DeletedListener = Callable[[Conversation, str, str], Awaitable[None]]
EditedListener = Callable[[Conversation, str], Awaitable[None]]  # a customer edited a message: its new text
RestoredListener = Callable[[Conversation, str], Awaitable[None]]  # a deleted message is back: its text
# an unanswered handoff withdrawn because the customer deleted what it was for (True), or reopened on its restoring
WithdrawnListener = Callable[[Conversation, bool], Awaitable[None]]
# the customer blocked (False) or allowed again (True) private messages; how many failed replies are due again
ReachableListener = Callable[[Conversation, bool, int], Awaitable[None]]
# the customer reacted to a reply: the reaction's emoji, the reply's text, whether the thread went to a person for it
ReactionListener = Callable[[Conversation, str, str, bool], Awaitable[None]]
FoundListener = Callable[[str, int], Awaitable[None]]  # the brand, how many posts about it were found (bot.vk.monitor)


@dataclass
class App:
    config: Config
    storage: Storage
    analyzer: BatchingAnalyzer
    pipeline: Pipeline
    outbox: OutboxDispatcher
    rating_listeners: list[RatingListener] = field(default_factory=list)
    due_soon_listeners: list[DeadlineListener] = field(default_factory=list)  # most of the window used, unanswered
    overdue_listeners: list[DeadlineListener] = field(default_factory=list)
    hand_back_listeners: list[HandBackListener] = field(default_factory=list)
    outside_reply_listeners: list[OutsideReplyListener] = field(default_factory=list)
    deleted_listeners: list[DeletedListener] = field(default_factory=list)
    edited_listeners: list[EditedListener] = field(default_factory=list)
    restored_listeners: list[RestoredListener] = field(default_factory=list)
    withdrawn_listeners: list[WithdrawnListener] = field(default_factory=list)
    reachable_listeners: list[ReachableListener] = field(default_factory=list)
    reaction_listeners: list[ReactionListener] = field(default_factory=list)
    found_listeners: list[FoundListener] = field(default_factory=list)
    reach_probes: dict[tuple[str, str], ReachProbe] = field(default_factory=dict)  # (platform, brand): bot.reach

    @classmethod
    async def start(
        cls, config: Config, *, storage_path: Path | None = None, seed: int | None = None,
        senders: dict[Platform, Sender] | None = None,
    ) -> App:
        storage = await Storage.open(storage_path or config.storage_path)
        try:
            encoder = shared_encoder(None if config.encoder == "bundled" else config.encoder)
            analyzer = BatchingAnalyzer(TextAnalyzer.load(encoder))
            brands = await _load_brands(config, analyzer)
        except BaseException:
            await storage.close()
            raise
        pipeline = Pipeline(storage, analyzer, brands, seed=seed)
        outbox = OutboxDispatcher(storage, dict(senders or {}))

        async def wake_outbox(_outcome: object) -> None:
            outbox.wake()

        pipeline.listeners.append(wake_outbox)
        app = cls(config, storage, analyzer, pipeline, outbox)
        pipeline.listeners.append(app._rated_in_words)
        return app

    def language_of(self, conversation: Conversation) -> str:
        """The language to write to a customer in: theirs, else the brand's default."""
        return conversation.language or self.default_language(conversation.brand)

    def default_language(self, brand: str) -> str:
        """The brand's default language (its moderators' notes are written in it)."""
        config = self.config.brands.get(brand)
        return config.policy.default_language if config else "en"

    async def record_rating(self, conversation: Conversation, satisfied: bool, rng: random.Random) -> str | None:
        """A customer answered the rating question with its button, on any platform: store it, and tell the
        listeners (the moderators' forum). Satisfied, the customer is thanked; not, the resolution did not solve
        it and the thread goes back to a person, as a typed "нет, не решили" sends it (`not_resolved`: "Жаль, что
        вопрос так и не решён…"; before, "Спасибо за оценку!" and nobody came back to it). Returns what the
        customer is told; None when this handoff was rated before."""
        if not await self.storage.store_rating(conversation, satisfied):
            return None
        language, runtime = self.language_of(conversation), self.pipeline.brands.get(conversation.brand)
        if not satisfied and runtime is not None:
            policy, now = runtime.config.policy, utcnow()
            notice, key = handoff_promise(policy, now, language, rng, NOT_RESOLVED_NOTICE,
                                          f"{NOT_RESOLVED_NOTICE}_later")
            if await self.storage.hand_off(conversation, NOT_RESOLVED, policy.reply_deadline(now),
                                           NewReply(notice, "handoff", key), None):
                log.info("brand %s: conversation %d handed to a person: the customer was not satisfied with its "
                         "resolution", conversation.brand, conversation.id)
                self.outbox.wake()
                await tell(self.rating_listeners, conversation, satisfied, True)
                return notice
        thanks = say("rating_thanks", language, rng)
        await self.storage.queue_notice(conversation, NewReply(thanks, "notice"))
        self.outbox.wake()
        await tell(self.rating_listeners, conversation, satisfied, False)
        return thanks

    async def _rated_in_words(self, outcome: Outcome) -> None:
        """A rating typed back to the rating question ("да, спасибо", "нет, не решили"; the pipeline stored it, and
        handed a "no" to a person with the message's decision) reaches the listeners (the moderators' forum) as a
        pressed one does."""
        if outcome.decision.reason in (RATED_SATISFIED, NOT_RESOLVED):
            await tell(self.rating_listeners, outcome.conversation, outcome.decision.reason == RATED_SATISFIED,
                       False)

    async def record_outside_reply(self, conversation: Conversation, person: str, delivered: DeliveredReply,
                                   where: str) -> None:
        """A person answered a customer outside the bot, in the platform's own app (a Telegram Business
        account's owner, a group's admin, a VK community's manager): the thread is theirs, as after a reply
        from the desk, and the bot stays quiet in it; the listeners (the moderators' forum) are told who wrote
        what, and `where` (a label key of handlers.texts)."""
        await ModeratorDesk(self.storage, conversation.brand).record_reply(conversation.id, person, delivered)
        await tell(self.outside_reply_listeners, conversation, person, delivered.text, where)

    async def record_edited(self, edited: IncomingMessage) -> None:
        """A customer edited a message on the platform: the stored text follows, and the listeners (the
        moderators' forum) hear of it. A message never stored (not addressed to the brand) is left alone."""
        if not await self.storage.update_incoming_text(edited):
            return
        conversation = await self.storage.customer_conversation(edited.brand, edited.platform, edited.author_id)
        if conversation is not None:
            await tell(self.edited_listeners, conversation, edited.text)

    async def record_deleted(self, brand: str, platform: Platform, chat_id: str, message_ids: Sequence[str],
                             deleter: str | None, business_connection: str = "") -> None:
        """Customers' messages deleted on the platform (`deleter`: the platform's id of who deleted them, None when
        it does not say): marked in the history, the bot's replies to them still waiting withdrawn, and the
        listeners (the moderators' forum) told of those the customer deleted or that the platform does not say
        who deleted; the brand's own deletions (hiding abuse) are theirs to know."""
        deleted = await self.storage.mark_deleted(brand, platform, chat_id, message_ids, deleter, business_connection)
        for item in deleted:
            log.info("brand %s: message %d of conversation %d deleted on %s (by %s)", brand, item.message_id,
                     item.conversation_id, platform.value, item.by or "unknown")
            if item.by != OTHER:
                conversation = await self.storage.conversation(item.conversation_id, brand)
                await tell(self.deleted_listeners, conversation, item.text, item.by)
            if item.by == AUTHOR and await self.storage.withdraw_unanswered(item.conversation_id):
                log.info("brand %s: conversation %d's handoff withdrawn: the customer deleted what it was for",
                         brand, item.conversation_id)
                await tell(self.withdrawn_listeners, await self.storage.conversation(item.conversation_id, brand),
                           True)

    async def record_restored(self, brand: str, platform: Platform, chat_id: str, message_id: str) -> None:
        """A deleted customer message is back on the platform (a VK comment restored by its author or a manager):
        unmarked, the bot's replies withdrawn for its deletion go out after all (never silent on a question the
        customer deleted by mistake), and the listeners told when they had been told of the deletion."""
        restored = await self.storage.mark_restored(brand, platform, chat_id, message_id)
        if restored is None:
            return
        log.info("brand %s: message %d of conversation %d restored on %s", brand, restored.message_id,
                 restored.conversation_id, platform.value)
        self.outbox.wake()
        if restored.by != OTHER:
            conversation = await self.storage.conversation(restored.conversation_id, brand)
            await tell(self.restored_listeners, conversation, restored.text)
        deadline = self.config.brands[brand].policy.reply_deadline(utcnow())
        if await self.storage.reopen_withdrawn(restored.conversation_id, restored.message_id, deadline):
            log.info("brand %s: conversation %d's withdrawn handoff reopened: the message is back", brand,
                     restored.conversation_id)
            await tell(self.withdrawn_listeners, await self.storage.conversation(restored.conversation_id, brand),
                       False)

    async def record_reachable(self, brand: str, platform: Platform, customer_id: str, reachable: bool) -> None:
        """A customer blocked the brand's private messages (a Telegram user blocked the bot, a VK user denied the
        community's messages) or allowed them again. The conversation's flag follows (no apology is queued for a
        customer who cannot get it); allowed again, the replies that failed for the block go out after all (a
        moderator's answer is not lost to a customer who blocked the bot for a day); a note goes on the thread
        and the listeners (the moderators' forum) are told. Someone who never wrote to the brand is not stored."""
        conversation = await self.storage.customer_conversation(brand, platform, customer_id)
        if conversation is None:
            return
        changed, resent = await self.storage.set_reachable(conversation, reachable)
        if not changed and not resent:
            return
        log.info("brand %s: the customer of conversation %d %s private messages on %s (%d replies due again)",
                 brand, conversation.id, "allowed" if reachable else "blocked", platform.value, resent)
        if resent:
            self.outbox.wake()
        await self.storage.add_note(conversation, platform.value,
                                    reachability_note(reachable, resent, self.default_language(brand)))
        await tell(self.reachable_listeners, conversation, reachable, resent)

    async def record_reaction(self, brand: str, platform: Platform, chat_id: str, message_id: str,
                              customer_id: str, emojis: Sequence[str], rng: random.Random) -> bool:
        """A customer reacted to a reply delivered to them (Telegram: emoji on the bot's message in their private
        chat, or on its answer to them under a post; VK: a like on the answer under their comment; others' reactions
        there are not the customer's verdict).
        Kept on the reply (the `review` of the bot's answers shows it); a disapproving one (👎, 😡...) on the bot's
        answer while the bot has the thread hands it to a person at once, with a word to the customer that one is
        coming (an unhappy customer is never left with an answer that did not help); the listeners (the
        moderators' forum) hear of every reaction. Returns whether the thread went to a person for it."""
        reaction = " ".join(emojis)
        reacted = await self.storage.record_reaction(brand, platform, chat_id, message_id, customer_id, reaction)
        if reacted is None or not emojis:
            return False
        conversation = await self.storage.conversation(reacted.conversation_id, brand)
        runtime = self.pipeline.brands.get(brand)
        escalated = False
        if reaction_verdict(emojis) < 0 and reacted.kind == "answer" and runtime is not None:
            policy, now = runtime.config.policy, utcnow()
            notice, key = handoff_promise(policy, now, self.language_of(conversation), rng, "disliked_handoff",
                                          "disliked_handoff_later")
            escalated = await self.storage.hand_off(conversation, DISLIKED_ANSWER, policy.reply_deadline(now),
                                                    NewReply(notice, "handoff", key), reacted.source_message_id)
        if escalated:
            log.info("brand %s: conversation %d handed to a person: the customer reacted %s to the bot's answer",
                     brand, conversation.id, reaction)
            self.outbox.wake()
        await tell(self.reaction_listeners, conversation, reaction, reacted.text, escalated)
        return escalated

    async def close(self) -> None:
        await self.pipeline.drain()
        await self.analyzer.close()
        await self.storage.close()


async def tell(listeners: Sequence[Callable[..., Awaitable[None]]], conversation: Conversation, *args: object
               ) -> None:
    """Every listener hears of an event on a conversation; one failing is logged and does not stop the others."""
    for listener in listeners:
        try:
            await listener(conversation, *args)
        except Exception:
            log.exception("listener %s failed for conversation %d", getattr(listener, "__qualname__", listener),
                          conversation.id)


async def _load_brands(config: Config, analyzer: BatchingAnalyzer) -> dict[str, BrandRuntime]:
    """Every brand's runtime, loaded side by side: one brand's intent head trains (on one core) while the next
    one's examples are embedded (12 sample-sized brands, nothing cached: 44 s one by one, 32 s together). The
    first brand that fails raises, as if they loaded one by one."""
    loaded = await asyncio.gather(*(BrandRuntime.load(b, analyzer) for b in config.brands.values()),
                                  return_exceptions=True)
    for runtime in loaded:
        if isinstance(runtime, BaseException):
            raise runtime
    return dict(zip(config.brands, cast(list[BrandRuntime], loaded), strict=True))
