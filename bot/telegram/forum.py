"""The moderators' desk in a Telegram forum supergroup: one topic per customer thread.

Platform-agnostic on the customer side: it listens to the pipeline's Outcomes of ANY platform
(Telegram, VK, ...). A handoff opens (or reopens) the customer's topic with a context card; later
customer messages are mirrored into it (one that fails is posted by the periodic recovery); a moderator's
message in the topic goes through ModeratorDesk.reply -> outbox -> the customer's platform sender. Buttons
and commands take, resolve, return to the bot and keep internal notes. Only members of the moderators' group act.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, time
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters

from bot.desk import (
    AccusingReply,
    ModeratorDesk,
    NothingToHide,
    RelevanceOf,
    ThreadCard,
    history_text,
    with_reading,
)
from bot.outbox import OutboxDispatcher, Sender, Undeliverable
from bot.permalinks import permalink, profile_link
from bot.pipeline import Outcome
from bot.report import Period
from bot.review import Embed
from bot.storage import Handoff, OutboxItem, Storage
from bot.storage.deletions import AUTHOR
from bot.telegram.company_chat import SEND_ANSWER, TO_COMPANY, CompanyChat
from bot.telegram.convert import chunks
from bot.telegram.forum_alerts import BrandAlerts
from bot.telegram.forum_chat import DESK_PREFIX, ForumChat, desk_data, thread_gone
from bot.telegram.limits import RateLimiter
from bot.telegram.members import Memberships
from bot.telegram.sender import TEXT_LIMIT
from handlers.argument_base import ArgumentBase
from handlers.conversation_states import TransitionError
from handlers.router import ABUSE_LEFT_UP, SPAM_PRIVATE
from handlers.spam import SpamKind
from handlers.support_hours import SupportHours
from handlers.texts import handoff_reason, label, reachability_note
from handlers.types import (
    Action,
    Conversation,
    ConversationState,
    IncomingMessage,
    MessageKind,
    Platform,
    utcnow,
)

log = logging.getLogger(__name__)

MEMBER_STATUSES = {"creator", "administrator", "member"}
MEMBERSHIP_TTL = 300.0
HISTORY_LINES = 8
CARD_LIMIT = 4000
SUGGESTION_CHARS = 300  # of each suggested answer on a card (the whole one is sent)
GAPS_DAYS_MAX = 90  # `/gaps DAYS` in the General topic looks back at most this far


def command_of(text: str) -> tuple[str, str]:
    """A forum message's command ("/note@volna_bot text" -> "note", "text"); ("", text) when it is none."""
    head, _, rest = text.partition(" ")
    return (head[1:].split("@", 1)[0].lower(), rest) if head.startswith("/") else ("", text)


class ForumDesk(ForumChat):
    """One brand's moderators' forum: its customer threads, and its alerts (BrandAlerts)."""

    def __init__(
        self, bot: Bot, storage: Storage, outbox: OutboxDispatcher, brand: str, chat_id: int, limiter: RateLimiter,
        language: str = "en", argument_base: Callable[[], ArgumentBase | None] | None = None,
        timezone: str = "UTC", names: frozenset[str] = frozenset(), daily_summary: time | None = None,
        hours: SupportHours | None = None, reply_deadline: Callable[[datetime], datetime] | None = None,
        monthly_report: Callable[[Period], Awaitable[str]] | None = None, company_chat: int | None = None,
        display_name: str = "", embed: Embed | None = None,
        relevance: RelevanceOf | None = None, decide_left: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        """`argument_base`: the brand's current base, for the answers a card suggests (none: no suggestions);
        `timezone`: the brand's clock, in which moderators read every moment; `names`: the stems of the brand's
        names (handlers.surge_words.name_stems); `daily_summary`, `hours`, `reply_deadline`, `monthly_report`,
        `embed`: BrandAlerts'; `company_chat`: the company's own chat, where `/ask` questions go
        (bot.telegram.company_chat), which reads the brand as `display_name`; `relevance`: ModeratorDesk's;
        `decide_left`: decides the messages waiting to be decided (bot.pipeline.Pipeline.resume), at once when a
        thread given back to the bot left its customer's last message unanswered (else the minute watcher does)."""
        super().__init__(bot, chat_id, limiter, language, timezone)
        self.storage = storage
        self.outbox = outbox
        self.brand = brand
        self.desk = ModeratorDesk(storage, brand, argument_base=argument_base, language=language,
                                  reply_deadline=reply_deadline, relevance=relevance, timezone=timezone)
        self.decide_left = decide_left
        self.alerts = BrandAlerts(self, storage, self.desk, names, daily_summary, hours, reply_deadline,
                                  monthly_report, embed, to_company=company_chat is not None)
        self._locks: dict[int, asyncio.Lock] = {}
        self._mirror_locks: dict[int, asyncio.Lock] = {}
        self._members = Memberships(
            lambda chat, user: self.call(lambda: self.bot.get_chat_member(chat, user)), MEMBERSHIP_TTL)
        self.company = None if company_chat is None else CompanyChat(
            bot, company_chat, limiter, storage, self.desk, display_name or brand, self.post, language, timezone)

    # -- the pipeline listener (every platform) ------------------------------------------------

    async def on_outcome(self, outcome: Outcome) -> None:
        if outcome.message.brand != self.brand:
            return
        decision = outcome.decision
        if outcome.campaign is not None:
            await self.alerts.show_campaign(outcome.campaign)
        if outcome.surge is not None:
            await self.alerts.show_surges(utcnow())
        if decision.action is Action.HANDOFF:
            await self.open_topic(outcome.conversation.id, outcome.message)
        elif decision.action is Action.IGNORE and decision.reason == "human_owns_thread":
            await self.mirror(outcome.conversation.id, outcome.message)
        elif decision.action is Action.ANSWER and outcome.conversation.owned_by_human and decision.entry_id:
            # a new question answered while the thread waits for a person: the question, and what the bot said
            await self.mirror(outcome.conversation.id, outcome.message)
            await self.post(outcome.conversation.id, self.t(
                "topic_bot_answered", topic=self.desk.topic(decision.entry_id), text=decision.reply_text or ""))
        elif decision.action is Action.IGNORE and decision.reason in ABUSE_LEFT_UP and outcome.message.is_public:
            await self.alerts.show_abuse(utcnow())
        elif decision.action is Action.HIDE and decision.reason == SpamKind.IMPERSONATION:
            await self.alerts.show_impersonations(utcnow())
        elif decision.reason in (SpamKind.SPAM, SPAM_PRIVATE):  # hidden, or unanswered in private
            await self.alerts.show_spam(utcnow())

    async def on_found(self, brand: str, _new: int) -> None:
        """Posts about the brand were found outside its pages (bot.vk.monitor): the unhappy ones are shown."""
        if brand == self.brand:
            await self.alerts.show_outside(utcnow())

    async def recover(self, min_age_seconds: float = 0.0) -> int:
        """Threads waiting for a human without an open topic (the process stopped, or Telegram failed, in
        between): open them; customer messages a failed mirror left out: post them. Fresh handoffs are left
        to the listener that is handling them; and the campaign posts and surge alerts not shown yet. Returns
        how many topics were opened or caught up, campaigns and surges shown."""
        recovered = 0
        now = utcnow()
        owned = (ConversationState.WAITING_FOR_MODERATOR, ConversationState.WITH_MODERATOR)
        for conversation in await self.storage.conversations(self.brand, owned):
            since = conversation.handoff_at
            if since is not None and (now - since).total_seconds() < min_age_seconds:
                continue
            topic = await self.storage.forum_topic(conversation.id)
            if topic is None or topic[3]:
                await self.open_topic(conversation.id, None)
                recovered += 1
            elif topic[2] is None and await self._post_missing_card(conversation.id):
                recovered += 1
            elif await self.storage.unmirrored(conversation.id):
                await self.catch_up(conversation.id)
                recovered += 1
        if self.company is not None:  # the company's answers not shown yet, its questions to remind it of
            recovered += await self.company.recover(now, self.desk.reply_deadline)
        return recovered + await self.alerts.recover(now)

    # -- topics ----------------------------------------------------------------------------

    def _lock(self, conversation_id: int) -> asyncio.Lock:
        return self._locks.setdefault(conversation_id, asyncio.Lock())

    async def open_topic(self, conversation_id: int, message: IncomingMessage | None) -> str:
        """Create the conversation's topic, or reopen it on a new escalation, and post the context card."""
        async with self._lock(conversation_id):
            conversation = await self.storage.conversation(conversation_id, self.brand)
            existing = await self.storage.forum_topic(conversation_id)
            topic_id: str | None = None
            if existing is not None and existing[0] == str(self.chat_id):
                topic_id = existing[1]
                if existing[3]:
                    try:
                        await self.call(lambda: self.bot.reopen_forum_topic(self.chat_id, int(existing[1])))
                    except TelegramBadRequest as exc:
                        if thread_gone(exc):
                            topic_id = None
                        elif "not_modified" not in exc.message.lower():
                            raise
            return await self._post_card(conversation, message, topic_id)

    async def _post_missing_card(self, conversation_id: int) -> bool:
        """Post the card of a topic that was created (or recreated) but got none: the process stopped in
        between. False when it has one by now."""
        async with self._lock(conversation_id):
            topic = await self.storage.forum_topic(conversation_id)
            if topic is None or topic[2] is not None or topic[3] or topic[0] != str(self.chat_id):
                return False
            conversation = await self.storage.conversation(conversation_id, self.brand)
            await self._post_card(conversation, None, topic[1])
            return True

    async def _post_card(self, conversation: Conversation, message: IncomingMessage | None, topic_id: str | None
                         ) -> str:
        shown_upto = await self.storage.last_incoming_id(conversation.id)  # the card's history shows these
        card = await self.desk.card(conversation, HISTORY_LINES)
        message = message or await self.storage.last_incoming(conversation.id)
        for _ in range(3):
            if topic_id is None:
                topic = await self.call(lambda: self.bot.create_forum_topic(self.chat_id, self._topic_name(card)))
                topic_id = str(topic.message_thread_id)
                await self.storage.save_forum_topic(conversation, str(self.chat_id), topic_id, None)
            try:
                sent = await self.send_to_topic(topic_id, self.card_text(card, message), self._buttons(card))
            except TelegramBadRequest as exc:
                if not thread_gone(exc):
                    raise
                log.warning("forum topic %s of conversation %d was deleted; recreating", topic_id, conversation.id)
                topic_id = None
                continue
            await self.storage.save_forum_topic(conversation, str(self.chat_id), topic_id, str(sent.message_id),
                                                shown_upto=shown_upto)
            return topic_id
        raise RuntimeError(f"could not post the card of conversation {conversation.id}")

    async def post(self, conversation_id: int, text: str, markup: InlineKeyboardMarkup | None = None
                   ) -> Message | None:
        """Post plain text into the conversation's topic (recreating a deleted topic), `markup` under its last
        part; None when it has none."""
        sent: Message | None = None
        parts = chunks(text, TEXT_LIMIT)
        for i, part in enumerate(parts):
            sent = await self._post_part(conversation_id, part, markup if i == len(parts) - 1 else None)
        return sent

    async def _post_part(self, conversation_id: int, text: str, markup: InlineKeyboardMarkup | None
                         ) -> Message | None:
        for _ in range(3):
            topic = await self.storage.forum_topic(conversation_id)
            if topic is None or topic[0] != str(self.chat_id):
                return None
            try:
                return await self.send_to_topic(topic[1], text, markup, as_html=False)
            except TelegramBadRequest as exc:
                if not thread_gone(exc):
                    raise
                async with self._lock(conversation_id):
                    current = await self.storage.forum_topic(conversation_id)
                    if current is not None and current[1] == topic[1]:
                        conversation = await self.storage.conversation(conversation_id, self.brand)
                        await self._post_card(conversation, None, None)
        return None

    def _topic_name(self, card: ThreadCard) -> str:
        who = card.customer_name or card.customer_id
        what = self.desk.topic(card.last_intent) if card.last_intent else handoff_reason(card.reason, self.language)
        return f"{card.platform} · {who} · {what}"[:128]

    def _buttons(self, card: ThreadCard) -> InlineKeyboardMarkup:
        rows = [[
            InlineKeyboardButton(text=label("take", self.language),
                                 callback_data=desk_data("take", card.conversation_id)),
            InlineKeyboardButton(text=label("resolve", self.language),
                                 callback_data=desk_data("resolve", card.conversation_id)),
            InlineKeyboardButton(text=label("return_to_bot", self.language),
                                 callback_data=desk_data("bot", card.conversation_id)),
        ]]
        if card.suggestions:  # one press sends that approved answer to the customer
            rows.append([InlineKeyboardButton(text=f"✉ {n}", callback_data=desk_data(f"use{n}", card.conversation_id))
                         for n in range(1, len(card.suggestions) + 1)])
        return InlineKeyboardMarkup(inline_keyboard=rows)

    def card_text(self, card: ThreadCard, message: IncomingMessage | None) -> str:
        e = html.escape
        who = e(card.customer_name or card.customer_id)
        link = profile_link(message.platform if message else card.platform, card.customer_id)
        customer = f'<a href="{e(link)}">{who}</a>' if link else who
        where = self.t("where_private") if message is None else self.where(
            message.platform, message.chat_id, message.message_id, message.thread_id, message.is_public)
        scores = card.scores
        topic = self.desk.topic(card.last_intent) if card.last_intent else None
        # the entry's topic as moderators read it, and its id for finding it in the argument base
        intent = "—" if card.last_intent is None else e(topic if topic == card.last_intent else
                                                         f"{topic} ({card.last_intent})")
        details = [f"{k} {scores[k]:.2f}" for k in ("similarity", "intent") if k in scores]
        if details:
            intent += f" ({', '.join(details)})"
        sentiment = ", ".join(
            f"{k.removeprefix('sentiment_')} {v:.2f}" for k, v in scores.items() if k.startswith("sentiment_")
        ) or "—"
        toxicity = f"{scores['toxicity']:.2f}" if "toxicity" in scores else "—"
        deadline = self.moment(card.deadline) if card.deadline else "—"
        lines = [
            f"<b>{self.t('card_title')} #{card.conversation_id}</b> · {e(card.platform)}",
            f"{self.t('card_customer')}: {customer} (id {e(card.customer_id)})",
            f"{self.t('card_where')}: {where}",
            f"{self.t('card_intent')}: {intent}",
            f"{self.t('card_sentiment')}: {e(sentiment)}",
            f"{self.t('card_toxicity')}: {toxicity}",
            f"{self.t('card_reason')}: {e(handoff_reason(card.reason, self.language))}",
            f"{self.t('card_deadline')}: {deadline}",
            f"{self.t('card_owner')}: {e(card.moderator or '—')}",
            *([self.t("card_unreachable")] if card.unreachable else []),
            "",
            f"<b>{self.t('card_history')}</b>:",
        ]
        authors = {"customer": self.t("author_customer"), "bot": self.t("author_bot"),
                   "moderator": self.t("author_moderator")}
        history = [
            f"[{datetime.fromisoformat(m['at']).astimezone(self.zone):%H:%M}]"
            f" {authors.get(m['author'], m['author'])}: {e(history_text(m, self.t, 400))}"
            for m in card.history
        ]
        if card.suggestions:
            lines[-2:-2] = ["", f"<b>{self.t('card_suggestions')}</b>:"] + [
                f"✉ {n}. <i>{e(s.topic)}</i>: {e(s.text[:SUGGESTION_CHARS])}"
                for n, s in enumerate(card.suggestions, 1)]
        footer = ["", f"<i>{e(self.t('card_commands'))}</i>"]
        if self.company is not None:
            footer.append(f"<i>{e(self.t('card_commands_ask'))}</i>")
        while history and len("\n".join(lines + history + footer)) > CARD_LIMIT:
            history.pop(0)
        return "\n".join(lines + history + footer)

    async def refresh_card(self, conversation_id: int) -> None:
        topic = await self.storage.forum_topic(conversation_id)
        if topic is None or topic[2] is None:
            return
        conversation = await self.storage.conversation(conversation_id, self.brand)
        card = await self.desk.card(conversation, HISTORY_LINES)
        text = self.card_text(card, await self.storage.last_incoming(conversation_id))
        try:
            await self.call(lambda: self.bot.edit_message_text(
                text=text, chat_id=self.chat_id, message_id=int(topic[2] or 0), parse_mode="HTML",
                reply_markup=self._buttons(card),
            ))
        except TelegramBadRequest as exc:
            log.info("card of conversation %d not updated: %s", conversation_id, exc.message)

    async def mirror(self, conversation_id: int, message: IncomingMessage) -> None:
        """A customer's later message in a thread a human owns, shown in its topic."""
        if await self.storage.forum_topic(conversation_id) is None:
            await self.open_topic(conversation_id, message)
            return  # the new card's history already shows the message
        await self.catch_up(conversation_id)

    async def catch_up(self, conversation_id: int) -> None:
        """Show every customer message the topic does not show yet, in order, each exactly once."""
        async with self._mirror_locks.setdefault(conversation_id, asyncio.Lock()):
            for message_id in await self.storage.unmirrored(conversation_id):
                message = (await self.storage.load_incoming(message_id))[0]
                await self._show(conversation_id, message)
                await self.storage.mark_mirrored(conversation_id, message_id)

    async def _show(self, conversation_id: int, message: IncomingMessage) -> None:
        who = message.author_name or message.author_id
        if message.platform is Platform.TELEGRAM and message.kind is not MessageKind.TEXT \
                and not message.business_connection:  # (the bot cannot copy from a business account's chats)
            topic = await self.storage.forum_topic(conversation_id)
            assert topic is not None
            try:
                await self.call(lambda: self.bot.copy_message(
                    self.chat_id, message.chat_id, int(message.message_id), message_thread_id=int(topic[1]),
                ))
            except TelegramBadRequest as exc:
                log.info("could not copy message %s into the topic: %s", message.message_id, exc.message)
            if not message.text:
                await self.post(conversation_id, f"👤 {who}: [{message.kind.value}]")
                return
        marker = "" if message.kind is MessageKind.TEXT else f"[{message.kind.value}] "
        await self.post(conversation_id, f"👤 {who}: {marker}{with_reading(message.text, self.t)}")

    async def on_edited(self, conversation: Conversation, text: str) -> None:
        """A customer edited a message (bot.app.App.record_edited): a thread people handle shows the new text."""
        if conversation.brand == self.brand and conversation.owned_by_human:
            await self.post(conversation.id, self.t("topic_edited", text=text))

    async def on_outside_reply(self, conversation: Conversation, person: str, text: str, where: str) -> None:
        """Someone answered the customer in the platform's own app (bot.app.App.record_outside_reply)."""
        if conversation.brand != self.brand:
            return
        await self.post(conversation.id, self.t("topic_outside_reply", who=person, where=self.t(where), text=text))

    async def on_deleted(self, conversation: Conversation, text: str, by: str) -> None:
        """A customer's message was deleted on the platform by them, or by someone the platform does not name
        (bot.app.App.record_deleted): the thread's topic, if it has one, says so."""
        if conversation.brand != self.brand:
            return
        await self.post(conversation.id, self.t("topic_deleted_by_customer" if by == AUTHOR else "topic_deleted",
                                                text=text))

    async def on_restored(self, conversation: Conversation, text: str) -> None:
        """A deleted message the topic was told of is back (bot.app.App.record_restored)."""
        if conversation.brand == self.brand:
            await self.post(conversation.id, self.t("topic_restored", text=text))

    async def on_reachable(self, conversation: Conversation, reachable: bool, resent: int) -> None:
        """The customer blocked private messages from the brand, or allowed them again (App.record_reachable)."""
        if conversation.brand == self.brand:
            await self.post(conversation.id, reachability_note(reachable, resent, self.language))
            await self.refresh_card(conversation.id)

    async def on_reaction(self, conversation: Conversation, emoji: str, text: str, escalated: bool) -> None:
        """The customer reacted to a reply (App.record_reaction): a topic opens for a thread handed off for it."""
        if conversation.brand != self.brand:
            return
        if escalated:
            await self.open_topic(conversation.id, None)
        await self.post(conversation.id, self.t("topic_reaction", emoji=emoji, text=text))

    async def on_handed_back(self, conversation: Conversation, hours: int) -> None:
        """A thread left quiet after a person's answer went back to the bot (bot.overdue.hand_back_quiet)."""
        if conversation.brand != self.brand:
            return
        await self.post(conversation.id, self.t("topic_handed_back", hours=str(hours)))
        await self.refresh_card(conversation.id)
        await self._close(conversation.id)

    async def on_withdrawn(self, conversation: Conversation, withdrawn: bool) -> None:
        """The customer deleted what an unanswered handoff was for (`withdrawn`): the topic says so and closes; or
        restored it: the topic opens again with its card (bot.app.App.record_deleted, record_restored)."""
        if conversation.brand != self.brand:
            return
        if not withdrawn:
            await self.open_topic(conversation.id, None)
            return
        await self.post(conversation.id, self.t("topic_withdrawn"))
        await self.refresh_card(conversation.id)
        await self._close(conversation.id)

    async def undeliverable(self, item: OutboxItem, error: str, *, unreachable: bool = True) -> None:
        text = self.t("topic_blocked" if unreachable else "topic_failed", error=error)
        if await self.post(item.conversation_id, text) is None and item.kind == "hide":
            # abuse hidden from its topic, or by the bot (`hide_toxic`): the thread has no topic; say which comment
            link = permalink(item.platform.value, item.chat_id, item.reply_to, item.thread_id)
            await self.alerts.tell_abuse_topic(f"{text} ({link})" if link else text)

    async def on_rating(self, conversation: Conversation, satisfied: bool, reopened: bool) -> None:
        """The rating listener (every platform): the customer's answer is shown in the thread's topic, opened
        again with a card when the thread went back to a person for it (a 👎 pressed)."""
        if conversation.brand != self.brand:
            return
        if reopened:
            await self.open_topic(conversation.id, None)
        await self.post(conversation.id, self.t("topic_rating",
                                                rating=label("satisfied" if satisfied else "not_satisfied",
                                                             self.language)))

    async def on_due_soon(self, conversation: Conversation, handoff: Handoff) -> None:
        """The reminder listener (every platform): the topic says the deadline is near, unanswered."""
        if conversation.brand != self.brand:
            return
        await self.post(conversation.id, self.t("topic_due_soon", **self._waiting(handoff)))

    def _waiting(self, handoff: Handoff) -> dict[str, str]:
        """By when a person must answer and since when the customer waits: the first reply, or a follow-up."""
        return {"deadline": self.moment(handoff.due_at or handoff.deadline_at),
                "since": self.moment(handoff.waiting_since or handoff.created_at)}

    async def on_overdue(self, conversation: Conversation, handoff: Handoff) -> None:
        """The overdue listener (every platform): the topic says the deadline passed unanswered."""
        if conversation.brand != self.brand:
            return
        await self.post(conversation.id, self.t("topic_overdue", **self._waiting(handoff)))

    # -- moderators ------------------------------------------------------------------------

    async def is_moderator(self, user_id: int) -> bool:
        return await self._members.status(self.chat_id, user_id) in MEMBER_STATUSES

    async def _moderator(self, message: Message) -> str | None:
        """Who is acting, if they may: members of the group, or the group itself (anonymous admins)."""
        if message.sender_chat is not None:
            if message.sender_chat.id == self.chat_id:
                return message.author_signature or message.sender_chat.title or "admin"
            return None
        user = message.from_user
        if user is None or user.is_bot or not await self.is_moderator(user.id):
            return None
        return user.full_name or str(user.id)

    async def handle_message(self, message: Message) -> None:
        """A message in the moderators' forum: a command, or a reply for the customer."""
        if not message.is_topic_message or message.message_thread_id is None:
            await self._general_message(message)
            return
        found = await self.storage.conversation_by_topic(str(self.chat_id), str(message.message_thread_id))
        campaign = None if found is not None else await self.storage.campaign_of_topic(
            self.brand, str(self.chat_id), str(message.message_thread_id))
        if (found is None or found[1] != self.brand) and campaign is None:
            return
        moderator = await self._moderator(message)
        if moderator is None:
            log.warning("forum %s: ignoring a message from a non-member (%s)", self.chat_id,
                        message.from_user.id if message.from_user else message.sender_chat)
            return
        text = message.text or message.caption or ""
        if campaign is not None:  # the topic of a directed-negative wave: moderators talk there, but for a command
            await self._campaign_command(campaign, str(message.message_thread_id), moderator, text)
            return
        assert found is not None
        conversation_id = found[0]
        try:
            if text.startswith("/"):
                await self._command(conversation_id, moderator, text)
                return
            extra: dict[str, object] = {}
            if message.photo:
                extra = {"media": "photo", "telegram_file_id": message.photo[-1].file_id}
            elif message.document:
                extra = {"media": "document", "telegram_file_id": message.document.file_id,
                         "file_name": message.document.file_name or ""}
            elif message.text is None:
                return  # stickers, voice and service messages stay in the forum
            await self.desk.reply(conversation_id, moderator, text, extra or None)
            self.outbox.wake()
        except AccusingReply as exc:
            await self.post(conversation_id, self.t("topic_accusing", phrase=exc.phrase))
        except (TransitionError, ValueError, LookupError) as exc:
            await self.post(conversation_id, self._failure(exc))

    async def _general_message(self, message: Message) -> None:
        """In the General topic, a reply to a surge alert with `/notify TEXT` (`/notify_send`: as it is) tells every
        customer of that surge TEXT; `/gaps [DAYS]` posts what the base lacked in the last DAYS (7) with the
        entries to add as drafts, at once; the rest of the talk there is the moderators' own."""
        text = message.text or ""
        command, rest = command_of(text)
        if command == "gaps" and await self._moderator(message) is not None:
            days = min(int(rest.strip()), GAPS_DAYS_MAX) if rest.strip().isdigit() and int(rest.strip()) else 7
            if not await self.alerts.post_gaps(days, utcnow()):
                await self.send_general(self.t("gaps_none", days=str(days)))
            return
        alert = message.reply_to_message
        if command not in ("notify", "notify_send") or alert is None:
            return
        surge = await self.storage.get_state(self.alerts.surge_post_key(alert.message_id))
        moderator = await self._moderator(message) if surge is not None else None
        if surge is None or moderator is None:
            return
        try:
            told = await self.desk.notify_surge(int(surge), moderator, rest, force=command == "notify_send")
            self.outbox.wake()
            done = self.t("surge_notified", who=moderator, n=str(told))
        except AccusingReply as exc:
            done = self.t("surge_accusing", phrase=exc.phrase)
        except ValueError:  # an empty text
            done = self.t("surge_notify_hint", customers="…")
        await self.call(lambda: self.bot.send_message(self.chat_id, done, reply_parameters=ReplyParameters(
            message_id=alert.message_id, allow_sending_without_reply=True)))

    def _failure(self, exc: Exception) -> str:
        """What went wrong, in the moderators' language."""
        if isinstance(exc, TransitionError):
            return self.t("topic_wrong_state")
        if isinstance(exc, ValueError):
            return self.t("card_commands")  # an empty note or reply: how the topic is used
        if isinstance(exc, IndexError):
            return self.t("topic_no_suggestion")
        if isinstance(exc, NothingToHide):
            return self.t("topic_nothing_to_hide")
        return self.t("topic_failed", error=str(exc))

    async def _command(self, conversation_id: int, moderator: str, text: str) -> None:
        command, rest = command_of(text)
        if command == "note":
            await self.desk.note(conversation_id, moderator, rest)
            await self.post(conversation_id, self.t("topic_note_saved"))
        elif command == "send":  # a reply sent as it is, even one that reads as accusing the customer
            await self.desk.reply(conversation_id, moderator, rest, force=True)
            self.outbox.wake()
        elif command in ("resolve", "bot", "take", "hide"):
            await self.act(command, conversation_id, moderator)
        elif command == "use" and rest.strip().isdigit():  # /use N: suggested answer N, like its button
            await self.act(f"use{rest.strip()}", conversation_id, moderator)
        elif command == "ask":  # a question to the company's specialists (bot.telegram.company_chat)
            if self.company is None or not rest.strip():
                await self.post(conversation_id, self.t("company_no_chat" if self.company is None
                                                        else "card_commands_ask"))
                return
            done = await self.company.ask(conversation_id, moderator, rest)
            self.outbox.wake()  # (the customer told it is being checked)
            await self.post(conversation_id, done)

    async def _campaign_command(self, campaign_id: int, topic_id: str, moderator: str, text: str) -> None:
        """`/statement TEXT` in a campaign's topic answers the wave once in public with that text (`/statement`
        alone: the prepared answer, as the button; `/statement_send TEXT`: as it is, even if it reads as
        accusing); the rest of what moderators write there is their own talk."""
        command, rest = command_of(text)
        if command not in ("statement", "statement_send"):
            return
        try:
            done = await self._answer_campaign(campaign_id, moderator, rest, force=command == "statement_send")
        except AccusingReply as exc:
            done = self.t("campaign_accusing", phrase=exc.phrase)
        await self.send_to_topic(topic_id, done, as_html=False)

    async def _answer_campaign(self, campaign_id: int, moderator: str, text: str = "", *, force: bool = False) -> str:
        sent = await self.desk.answer_campaign(campaign_id, moderator, text, force=force)
        self.outbox.wake()
        if not sent:
            return self.t("campaign_nothing_to_answer")
        return self.t("campaign_answered", who=moderator, n=str(len(sent)), text=sent[-1])

    async def act(self, action: str, conversation_id: int, moderator: str) -> str:
        """Do a button's or command's action; returns what happened, in the moderators' language."""
        if action.startswith("use") and action[3:].isdigit():
            chosen = await self.desk.send_suggestion(conversation_id, moderator, int(action[3:]))
            self.outbox.wake()
            done = self.t("topic_suggestion_sent", who=moderator, entry=chosen.topic, text=chosen.text)
            await self.post(conversation_id, done)
            await self.refresh_card(conversation_id)  # the next phrasing of that entry is offered now
            return done
        if action == "hidemsg":  # a comment in the abuse topic: `conversation_id` is the message's id here
            await self.desk.hide_message(conversation_id, moderator)
            self.outbox.wake()
            return self.t("abuse_hidden", who=moderator)
        if action == "hideall":  # a troll's comments in the abuse topic: `conversation_id` is one of theirs
            hidden = await self.desk.hide_author_abuse(conversation_id, moderator)
            self.outbox.wake()
            return self.t("abuse_hidden_all", who=moderator, n=str(hidden))
        if action == "customer":  # what the bot took for spam, in the abuse topic: `conversation_id` is its message
            conversation = await self.desk.customer_after_all(conversation_id, moderator)
            self.outbox.wake()  # (a VK comment the bot hid comes back)
            await self.open_topic(conversation.id, None)
            return self.t("spam_customer_back", who=moderator)
        if action == "evidence":  # a campaign topic's evidence button: `conversation_id` is the campaign's id here
            if not await self.alerts.send_evidence(conversation_id):
                raise LookupError(f"no campaign {conversation_id} of brand {self.brand} in this forum")
            return self.t("evidence_file", n=str(conversation_id))
        if action == "campaign":  # a campaign topic's answer button: `conversation_id` is the campaign's id here
            return await self._answer_campaign(conversation_id, moderator)
        if action == SEND_ANSWER:  # the company's answer in a thread's topic: `conversation_id` is the question's
            try:
                question = await self.desk.send_company_answer(conversation_id, moderator)
            except AccusingReply as exc:
                return self.t("topic_accusing", phrase=exc.phrase)
            self.outbox.wake()
            done = self.t("company_sent", who=moderator)
            await self.post(question.conversation_id, done)
            return done
        if action == "outside":  # a post in the mentions topic: `conversation_id` is the mention's id here
            await self.desk.outside_mention_handled(conversation_id, moderator)
            return self.t("outside_handled", who=moderator)
        if action == "hide":  # the customer's public comment, not the thread: it stays as it is
            await self.desk.hide(conversation_id, moderator)
            self.outbox.wake()
            done = self.t("topic_hidden", who=moderator)
            await self.post(conversation_id, done)
            return done
        if action == "take":
            await self.desk.take(conversation_id, moderator)
            done = self.t("topic_taken", who=moderator)
            await self.post(conversation_id, done)
            await self.refresh_card(conversation_id)
            return done
        left = None  # the customer's last message a thread given back to the bot left unanswered
        if action == "resolve":
            await self.desk.resolve(conversation_id, moderator)
            self.outbox.wake()
            done = self.t("topic_resolved", who=moderator)
        elif action == "bot":
            left = await self.desk.return_to_bot(conversation_id, moderator)
            done = self.t("topic_returned", who=moderator)
            if left is not None:
                done = f"{done} {self.t('topic_returned_left', text=left[:SUGGESTION_CHARS])}"
        else:
            raise ValueError(f"unknown action {action!r}")
        await self.post(conversation_id, done)
        await self.refresh_card(conversation_id)
        await self._close(conversation_id)
        if left is not None and self.decide_left is not None:
            # nobody had answered it: the bot does now, once the topic is closed (a handoff again, when the bot
            # cannot answer it, reopens it with a new card)
            await self.decide_left()
        return done

    async def _close(self, conversation_id: int) -> None:
        topic = await self.storage.forum_topic(conversation_id)
        if topic is None:
            return
        try:
            await self.call(lambda: self.bot.close_forum_topic(self.chat_id, int(topic[1])))
        except TelegramBadRequest as exc:
            log.info("topic %s not closed: %s", topic[1], exc.message)
        conversation = await self.storage.conversation(conversation_id, self.brand)
        await self.storage.save_forum_topic(conversation, topic[0], topic[1], None, closed=True)

    async def handle_callback(self, query: CallbackQuery) -> bool:
        """Take / Resolve / Return-to-bot buttons on a card; False when the data is not the desk's."""
        parts = (query.data or "").split(":")
        if len(parts) != 3 or parts[0] != DESK_PREFIX or not parts[2].isdigit():
            return False
        if not await self.is_moderator(query.from_user.id):
            log.warning("forum %s: %s pressed %s but is not a member", self.chat_id, query.from_user.id, query.data)
            await self._answer(query, self.t("topic_not_allowed"))
            return True
        moderator = query.from_user.full_name or str(query.from_user.id)
        if parts[1] == TO_COMPANY:  # the month's report page in General: copied into the company's chat
            await self._answer(query, (await self._report_to_company(query, parts[2], moderator))[:200])
            return True
        try:
            done = await self.act(parts[1], int(parts[2]), moderator)
        except (TransitionError, ValueError, LookupError) as exc:
            await self._answer(query, self._failure(exc)[:200])
            return True
        await self._answer(query, done[:200])
        post = query.message
        # the abuse and mentions topics read who did it, under what; the post's button is done with
        # a campaign's button stays: a wave that reaches another post is answered there at the next press
        if parts[1] == "campaign" and isinstance(post, Message) and post.message_thread_id:
            await self.send_to_topic(str(post.message_thread_id), done, as_html=False, reply_to=post.message_id)
        if parts[1] in ("hidemsg", "hideall", "outside", "customer") and isinstance(post, Message) and \
                post.message_thread_id:
            await self.send_to_topic(str(post.message_thread_id), done, as_html=False, reply_to=post.message_id)
            try:
                await self.call(lambda: self.bot.edit_message_reply_markup(
                    chat_id=self.chat_id, message_id=post.message_id, reply_markup=None))
            except TelegramBadRequest as exc:  # deleted meanwhile, or pressed twice at once
                log.info("forum %s: the button of post %d stays: %s", self.chat_id, post.message_id, exc.message)
        return True

    async def _report_to_company(self, query: CallbackQuery, month: str, moderator: str) -> str:
        """Send the report page the button is under to the company's chat; what happened, in the moderators'
        language (told in General under the page too, once sent)."""
        post = query.message
        if self.company is None or not isinstance(post, Message):
            return self.t("company_no_chat")
        month = f"{month[:4]}-{month[4:]}"
        try:
            await self.company.send_report(self.chat_id, post.message_id, month)
        except TelegramAPIError as exc:
            return self.t("company_not_sent", error=str(exc))
        done = self.t("month_sent_to_company", who=moderator, month=month)
        await self.call(lambda: self.bot.send_message(self.chat_id, done, reply_parameters=ReplyParameters(
            message_id=post.message_id, allow_sending_without_reply=True)))
        return done

    async def _answer(self, query: CallbackQuery, text: str) -> None:
        try:
            await self.bot.answer_callback_query(query.id, text=text)
        except TelegramAPIError as exc:
            log.info("answerCallbackQuery failed: %s", exc)


class NotifyingSender:
    """Wraps any platform's sender: an undeliverable reply is reported in the thread's forum topic."""

    def __init__(self, inner: Sender, desks: dict[str, ForumDesk]) -> None:
        self.inner = inner
        self.platform = inner.platform
        self.desks = desks

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def deliver(self, item: OutboxItem) -> str | None:
        try:
            return await self.inner.deliver(item)
        except Undeliverable as exc:
            desk = self.desks.get(item.brand)
            if desk is not None:
                try:
                    await desk.undeliverable(item, str(exc), unreachable=exc.unreachable)
                except Exception:
                    log.exception("could not tell the moderators that outbox %d is undeliverable", item.id)
            raise
