"""One brand's Telegram bot: updates in (long polling or webhook), customers to the pipeline.

Customers write to the bot itself, or to a Telegram Business account that connected the bot as its chatbot
(the brand's own account, listed in `business_accounts`: the bot answers in its private chats, on its behalf;
anyone can connect any bot, so other accounts are ignored). There, what the account's owner writes by hand is
a person's answer: the thread is theirs, and the bot stays quiet in it. The same goes for the brand's people in
its public groups (admins, the group itself, the linked channel: bot.telegram.staff): never read as customers,
and their replies to a customer's message are a person's answer. The bot also hears of its own membership (a
customer blocking or unblocking it: App.record_reachable; its rights in the forum and groups: bot.telegram.chat_rights)
and of customers' reactions to its replies (App.record_reaction).

Polling keeps Telegram's update offset in storage and moves it only after the update's message
was stored, so a restart re-reads what was not confirmed and the storage's dedupe drops repeats.
In webhook mode Telegram gets 200 only after the message was stored (otherwise it redelivers).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import random
import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlparse

from aiogram import Bot
from aiogram.enums import ChatType
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BusinessConnection,
    BusinessMessagesDeleted,
    CallbackQuery,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberUpdated,
    Message,
    MessageReactionUpdated,
    ReactionTypeEmoji,
    Update,
)
from aiohttp import web
from pydantic import ValidationError

from bot.app import App
from bot.config import BrandConfig, TelegramSettings
from bot.pipeline import Outcome
from bot.reach import PublicCase, Reach
from bot.storage import DeliveredReply, ReplyTarget
from bot.telegram.accounts import AccountChecks
from bot.telegram.chat_rights import forum_problems, report_forum, report_group
from bot.telegram.convert import (
    BotIdentity,
    addressed_to_brand,
    author_id,
    author_name,
    is_channel_comment,
    is_content,
    message_kind,
    message_text,
    to_incoming,
)
from bot.telegram.forum import ForumDesk
from bot.telegram.limits import RateLimiter
from bot.telegram.sender import parse_rating_data
from bot.telegram.staff import GroupStaff
from bot.telegram.webhooks import WebhookServers
from handlers.addressing import without_address
from handlers.me_too import JOINABLE, joins_another
from handlers.router import brand_sites
from handlers.spam import spam_kind
from handlers.texts import label, say
from handlers.types import Conversation, Platform

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "business_connection", "business_message",
                   "edited_business_message", "deleted_business_messages", "my_chat_member", "message_reaction"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
START_PAYLOAD = "support"


class StoreFailed(Exception):
    """A customer's message could not be stored: the update must not be confirmed."""


class TelegramAdapter:
    def __init__(
        self, app: App, brand: BrandConfig, bot: Bot, limiter: RateLimiter, forum: ForumDesk | None = None,
        *, poll_timeout: int = 25, rng: random.Random | None = None, webhooks: WebhookServers | None = None,
    ) -> None:
        assert brand.telegram is not None
        self.app = app
        self.brand = brand
        self.settings: TelegramSettings = brand.telegram
        self.bot = bot
        self.limiter = limiter
        self.forum = forum
        self.poll_timeout = poll_timeout
        self.rng = rng or random.Random()
        self.identity = BotIdentity(bot.id, self.settings.bot_username or "", self.settings.mention_words)
        self.offset_key = f"telegram:{brand.name}:offset"
        self.webhooks = webhooks or WebhookServers()
        self.webhook_port: int | None = None
        self._business_owners: dict[str, int] = {}  # connection id -> the account's user id
        self.staff = GroupStaff(bot, is_moderator=forum.is_moderator if forum is not None else None)
        self.accounts = AccountChecks(bot, app.storage, brand.name)
        self._stop = asyncio.Event()

    @property
    def name(self) -> str:
        return self.brand.name

    async def prepare(self) -> None:
        """Learn the bot's username and make the private-chat invite a deep link to this bot."""
        me = await self.bot.get_me()
        username = self.settings.bot_username or me.username or ""
        self.identity = BotIdentity(me.id, username.lstrip("@"), self.settings.mention_words)
        runtime = self.app.pipeline.brands.get(self.name)
        if runtime is not None and not runtime.config.policy.private_link and self.identity.username:
            link = f"https://t.me/{self.identity.username}?start={START_PAYLOAD}"
            policy = dataclasses.replace(runtime.config.policy, private_link=link)
            runtime.config = dataclasses.replace(runtime.config, policy=policy)

    async def reach(self, case: PublicCase) -> Reach:
        """The members of the group a solved public message was written in (the Bot API tells no view counts)."""
        return Reach(await self.bot.get_chat_member_count(int(case.chat_id)), "members")

    def stop(self) -> None:
        self._stop.set()

    # -- updates ---------------------------------------------------------------------------

    async def process_update(self, update: Update) -> None:
        """Handle one update; raises StoreFailed when a customer's message could not be stored."""
        try:
            if update.message is not None:
                await self._message(update.message)
            elif update.edited_message is not None:
                await self._edited(update.edited_message)
            elif update.callback_query is not None:
                await self._callback(update.callback_query)
            elif update.business_connection is not None:
                self._business_connection(update.business_connection)
            elif update.business_message is not None:
                await self._business_message(update.business_message)
            elif update.edited_business_message is not None:
                await self._edited(update.edited_business_message)
            elif update.deleted_business_messages is not None:
                await self._business_deleted(update.deleted_business_messages)
            elif update.my_chat_member is not None:
                await self._bot_membership(update.my_chat_member)
            elif update.message_reaction is not None:
                await self._reaction(update.message_reaction)
        except StoreFailed:
            raise
        except Exception:
            log.exception("brand %s: update %d failed", self.name, update.update_id)

    async def _message(self, message: Message) -> None:
        company = self.forum.company if self.forum is not None else None
        if self.forum is not None and message.chat.id == self.forum.chat_id:
            await self._once(message, self.forum.handle_message)
            return
        if company is not None and message.chat.id == company.chat_id:
            await self._once(message, company.handle_message)  # the company's answers to moderators' questions
            return
        if not is_content(message):
            return
        addressed = addressed_to_brand(message, self.identity)
        if message.chat.type != ChatType.PRIVATE:
            answered = await self._replied_customer(message)
            # a comment under the channel's post signed as a channel: the brand's own, or another's (spam bots post so)
            as_channel = message.sender_chat is not None and is_channel_comment(message)
            # (asking Telegram who the author is only for messages that could matter)
            if (addressed or answered is not None or as_channel) and await self.staff.speaks_for_brand(message):
                if answered is not None:
                    await self._staff_replied(message, answered)
                return
            # spam or a scam is the brand's business where it answers a customer or comments on the brand's post as
            # another channel, though it does not address the brand, and anywhere in a group of the brand's own
            if not (addressed or answered is not None or as_channel):
                addressed = (self._not_a_customer(message, None) and await self.staff.administers(message.chat.id)
                             and not await self.staff.speaks_for_brand(message))
            else:
                addressed = (addressed or self._not_a_customer(message, answered)
                             or await self._joins_a_customer(message, answered))
        if not addressed:
            return
        text = message.text or ""
        if message.chat.type == ChatType.PRIVATE and (text == "/start" or text.startswith("/start ")):
            await self._welcome(message)
            return
        await self._submit(message)

    async def _submit(self, message: Message) -> None:
        """A customer's message to the pipeline (stored before this returns). A public comment's author's account
        is looked at first (once per process): evidence, should they be a paid account in a wave."""
        incoming = to_incoming(message, self.name)
        if incoming.is_public and message.from_user is not None and message.sender_chat is None:
            await self.accounts.check(message.from_user)
        try:
            future = await self.app.pipeline.submit(incoming)
        except Exception as exc:
            raise StoreFailed(f"{type(exc).__name__}: {exc}") from exc
        if future is not None:
            future.add_done_callback(_retrieve)

    def _not_a_customer(self, message: Message, answered: Conversation | None) -> bool:
        """Spam, or someone posing as the brand's support (handlers.spam): in a group, the brand's business even
        when it answers a customer (`answered`) rather than the brand (scammers answer unhappy customers first)."""
        runtime = self.app.pipeline.brands[self.name]
        sites = brand_sites(runtime.matcher.base, runtime.config.policy)
        answers_customer = answered is not None and answered.customer_id != author_id(message)
        return spam_kind(message_text(message) or "", author_name(message), sites, answers_customer) is not None

    async def _replied_customer(self, message: Message) -> Conversation | None:
        """The conversation of the customer's message this group message replies to, if it is one."""
        reply = message.reply_to_message
        if reply is None or reply.is_automatic_forward:
            return None
        return await self.app.storage.conversation_of_message(self.name, Platform.TELEGRAM, str(message.chat.id),
                                                              str(reply.message_id))

    async def _joins_a_customer(self, message: Message, answered: Conversation | None) -> bool:
        """Whether a group message replying to a customer's joins it ("+1", "у меня тоже": handlers.me_too), a
        comment about one of the base's entries: the brand's business, though customers talking among themselves is
        not."""
        reply = message.reply_to_message
        said = without_address(message_text(message) or "")  # "@anna +1"
        if answered is None or reply is None or not joins_another(said, replying=True):
            return False
        joined = await self.app.storage.joined_comments(self.name, Platform.TELEGRAM, str(message.chat.id),
                                                        author_id(message), [str(reply.message_id)], None, None,
                                                        JOINABLE)
        return bool(joined) and not joins_another(joined[0].text, replying=True)

    async def _staff_replied(self, message: Message, conversation: Conversation) -> None:
        """One of the brand's people answered a customer's message in a public group: a person's answer to that
        customer."""
        reply = message.reply_to_message
        assert reply is not None
        signed_as = message.sender_chat.title if message.sender_chat is not None else None
        person = message.author_signature or signed_as or author_name(message)
        text = message_text(message) or f"[{message_kind(message).value}]"
        thread = str(message.message_thread_id) if message.message_thread_id is not None else None
        target = ReplyTarget(str(message.chat.id), thread, str(reply.message_id))
        await self.app.record_outside_reply(conversation, person, DeliveredReply(target, str(message.message_id), text),
                                            "outside_group")

    # -- Telegram Business ---------------------------------------------------------------------

    def _business_connection(self, connection: BusinessConnection) -> None:
        self._business_owners[connection.id] = connection.user.id
        owner = connection.user.full_name
        rights = connection.rights
        can_reply = rights.can_reply if rights is not None else bool(connection.can_reply)
        if connection.user.id not in self.settings.business_accounts:
            log.warning("brand %s: Telegram Business account %s (%s) connected the bot, but it is not one of the"
                        " brand's business_accounts: its chats are ignored (add %s to [brands.telegram]"
                        " business_accounts if it is the brand's)", self.name, owner, connection.user.id,
                        connection.user.id)
        elif not connection.is_enabled:
            log.info("brand %s: Telegram Business account %s (%s) disconnected the bot", self.name, owner,
                     connection.user.id)
        elif not can_reply:
            log.warning("brand %s: Telegram Business account %s (%s) connected the bot without the right to reply:"
                        " its customers' messages are stored and handed to moderators, but answers will fail until"
                        " the owner allows replies", self.name, owner, connection.user.id)
        else:
            log.info("brand %s: Telegram Business account %s (%s) connected the bot", self.name, owner,
                     connection.user.id)

    async def _business_message(self, message: Message) -> None:
        """A message in a private chat of a Telegram Business account the bot answers for."""
        if message.sender_business_bot is not None or message.is_from_offline:
            return  # a bot's message (this one's replies come back so) or the account's away / greeting message
        if not is_content(message) or not message.business_connection_id:
            return
        owner = await self._business_owner(message.business_connection_id)
        if owner is None or owner not in self.settings.business_accounts:
            return  # not the brand's account (warned when it connected)
        if message.from_user is not None and message.from_user.id == owner:
            await self._owner_replied(message)
        else:
            await self._submit(message)

    async def _business_owner(self, connection_id: str) -> int | None:
        """The user id of the account a business connection belongs to (asked once after a restart); None for a
        connection Telegram no longer knows. Telegram unreachable: StoreFailed, the update is read again later."""
        if connection_id not in self._business_owners:
            try:
                connection = await self.bot.get_business_connection(connection_id)
            except TelegramBadRequest as exc:
                log.warning("brand %s: Telegram Business connection %s unknown: %s", self.name, connection_id, exc)
                return None
            except TelegramAPIError as exc:
                raise StoreFailed(f"getBusinessConnection: {exc}") from exc
            self._business_owners[connection_id] = connection.user.id
        return self._business_owners[connection_id]

    async def _business_deleted(self, deleted: BusinessMessagesDeleted) -> None:
        """Messages deleted from a business chat (by the customer or the owner: Telegram does not say which)."""
        owner = await self._business_owner(deleted.business_connection_id)
        if owner is None or owner not in self.settings.business_accounts:
            return
        await self.app.record_deleted(self.name, Platform.TELEGRAM, str(deleted.chat.id),
                                      [str(i) for i in deleted.message_ids], None, deleted.business_connection_id)

    async def _reaction(self, update: MessageReactionUpdated) -> None:
        """A person's reaction to a message: in a private chat with the bot, or in a group where the bot is an
        administrator (Telegram tells only those); it counts when it is the bot's reply to that person."""
        if update.user is None:  # an anonymous admin, or a channel
            return
        emojis = [r.emoji for r in update.new_reaction if isinstance(r, ReactionTypeEmoji)]
        if update.new_reaction and not emojis:
            return  # a custom-emoji or paid reaction: nothing it says can be read; the last one read stands
        await self.app.record_reaction(self.name, Platform.TELEGRAM, str(update.chat.id), str(update.message_id),
                                       str(update.user.id), emojis, self.rng)

    async def _bot_membership(self, update: ChatMemberUpdated) -> None:
        """The bot's own membership changed. In a private chat Telegram tells only this: the customer blocked the
        bot or unblocked it. In the moderators' forum and in groups, an admin gave or took its rights
        (bot.telegram.chat_rights)."""
        chat, member = update.chat, update.new_chat_member
        if chat.type == ChatType.PRIVATE:
            if isinstance(member, (ChatMemberBanned, ChatMemberMember)):
                await self.app.record_reachable(self.name, Platform.TELEGRAM, str(chat.id),
                                                isinstance(member, ChatMemberMember))
            return
        if self.forum is not None and chat.id == self.forum.chat_id:
            problems = forum_problems(bool(chat.is_forum), member)
            report_forum(self.name, chat.id, problems)
            if not problems:
                log.info("brand %s: the bot has every right it needs in the moderators' forum %s", self.name, chat.id)
            return
        if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
            self.staff.forget_bot(chat.id)
            report_group(self.name, chat.id, chat.title or "", member)

    async def _owner_replied(self, message: Message) -> None:
        """The account's owner answered a customer by hand: a person's reply, as if sent from the desk."""
        conversation = await self.app.storage.customer_conversation(self.name, Platform.TELEGRAM,
                                                                    str(message.chat.id))
        if conversation is None:
            return  # someone who never wrote to the brand: nothing to take over
        owner = author_name(message) or str(message.from_user.id if message.from_user else "")
        text = message_text(message) or f"[{message_kind(message).value}]"
        target = ReplyTarget(str(message.chat.id), None, None, message.business_connection_id or "")
        await self.app.record_outside_reply(conversation, owner, DeliveredReply(target, str(message.message_id), text),
                                            "outside_business")

    async def _welcome(self, message: Message) -> None:
        code = message.from_user.language_code if message.from_user else None
        policy = self.brand.policy
        lang = code if code in policy.languages else policy.default_language
        await self.limiter.acquire(message.chat.id)
        await self.bot.send_message(message.chat.id, label("tg_welcome", lang))

    async def _once(self, message: Message, handle: Callable[[Message], Awaitable[None]]) -> None:
        """Handle a message of the moderators' forum or the company's chat once: message ids grow within a chat, so
        a redelivered update (after a crash) is not acted on twice."""
        key = f"telegram:{self.name}:moderators_done:{message.chat.id}"
        done = await self.app.storage.get_state(key)
        if done is None or message.message_id > int(done):
            await handle(message)
            await self.app.storage.set_state(key, str(message.message_id))

    async def _edited(self, message: Message) -> None:
        if self.forum is not None and message.chat.id == self.forum.chat_id:
            return
        await self.app.record_edited(to_incoming(message, self.name))

    async def _callback(self, query: CallbackQuery) -> None:
        data = query.data or ""
        if self.forum is not None and await self.forum.handle_callback(query):
            return
        rating = parse_rating_data(data)
        if rating is None:
            await self.bot.answer_callback_query(query.id)
            return
        conversation_id, code = rating
        storage = self.app.storage
        try:
            conversation = await storage.conversation(conversation_id, self.name)
        except KeyError:
            await self.bot.answer_callback_query(query.id)
            return
        if conversation.customer_id != str(query.from_user.id):
            await self.bot.answer_callback_query(query.id)
            return
        satisfied = code == "satisfied"
        lang = conversation.language or self.brand.policy.default_language
        thanks = await self.app.record_rating(conversation, satisfied, self.rng)
        await self.bot.answer_callback_query(query.id, text=thanks or say("rating_thanks", lang, self.rng))
        message = query.message
        if isinstance(message, Message) and message.text:
            chosen = label("satisfied" if satisfied else "not_satisfied", lang)
            try:
                await self.bot.edit_message_text(text=f"{message.text}\n\n{chosen}", chat_id=message.chat.id,
                                                 message_id=message.message_id,
                                                 business_connection_id=message.business_connection_id)
            except TelegramAPIError as exc:
                log.info("rating message not edited: %s", exc)

    # -- long polling ----------------------------------------------------------------------

    async def run_polling(self) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)
        stored = await self.app.storage.get_state(self.offset_key)
        offset = int(stored) if stored else None
        failures = 0
        log.info("brand %s: Telegram long polling as @%s from offset %s", self.name, self.identity.username, offset)
        while not self._stop.is_set():
            try:
                batch: list[tuple[int, Update | None]] = [(u.update_id, u) for u in await self.bot.get_updates(
                    offset=offset, timeout=self.poll_timeout, allowed_updates=ALLOWED_UPDATES,
                    request_timeout=self.poll_timeout + 15,
                )]
            except ClientDecodeError as exc:  # one update aiogram cannot read spoils the whole answer
                batch = self._readable(exc.data)
                if not batch:
                    failures += 1
                    delay = min(30.0, 0.5 * 2 ** min(failures, 6))
                    log.warning("brand %s: getUpdates answer unreadable (%s), retry in %.1fs", self.name,
                                exc.message, delay)
                    await asyncio.sleep(delay)
                    continue
            except TelegramUnauthorizedError:
                log.error("brand %s: the Telegram token was rejected; polling stops", self.name)
                raise
            except TelegramRetryAfter as exc:
                await asyncio.sleep(float(exc.retry_after))
                continue
            except (TelegramConflictError, TelegramAPIError) as exc:
                failures += 1
                delay = min(30.0, 0.5 * 2 ** min(failures, 6))
                log.warning("brand %s: getUpdates failed (%s), retry in %.1fs", self.name, exc, delay)
                await asyncio.sleep(delay)
                continue
            failures = 0
            for update_id, update in batch:
                if update is not None:
                    try:
                        await self.process_update(update)
                    except StoreFailed:
                        log.exception("brand %s: update %d not stored; it will be read again", self.name, update_id)
                        await asyncio.sleep(1.0)
                        break
                offset = update_id + 1
                await self.app.storage.set_state(self.offset_key, str(offset))

    def _readable(self, answer: Any) -> list[tuple[int, Update | None]]:
        """The updates of a getUpdates answer read one by one: a malformed one is logged and passed over (None)
        instead of failing the rest again and again; empty when the answer has no update list at all."""
        results = answer.get("result") if isinstance(answer, dict) else None
        batch: list[tuple[int, Update | None]] = []
        for raw in results if isinstance(results, list) else []:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if not isinstance(update_id, int):
                continue
            try:
                batch.append((update_id, Update.model_validate(raw, context={"bot": self.bot})))
            except ValidationError as exc:
                log.warning("brand %s: malformed update %d skipped (%d fields wrong: %s)", self.name, update_id,
                            exc.error_count(), ", ".join(".".join(map(str, e["loc"])) for e in exc.errors()))
                batch.append((update_id, None))
        return batch

    # -- webhook ---------------------------------------------------------------------------

    async def run_webhook(self) -> None:
        settings = self.settings
        assert settings.webhook_url
        secret = (os.environ.get(settings.webhook_secret_env) if settings.webhook_secret_env else None) \
            or secrets.token_urlsafe(32)
        path = urlparse(settings.webhook_url).path or "/"

        async def handle(request: web.Request) -> web.Response:
            if not secrets.compare_digest(request.headers.get(SECRET_HEADER, ""), secret):
                log.warning("brand %s: webhook call without the secret token from %s", self.name, request.remote)
                return web.Response(status=401, text="unauthorized")
            try:
                update = Update.model_validate(await request.json(), context={"bot": self.bot})
            except Exception:
                return web.Response(status=400, text="bad update")
            try:
                await self.process_update(update)
            except StoreFailed:
                log.exception("brand %s: update %d not stored; Telegram will redeliver it", self.name,
                              update.update_id)
                return web.Response(status=500, text="retry")
            await self.app.storage.set_state(self.offset_key, str(update.update_id + 1))
            return web.Response(text="ok")

        server = await self.webhooks.add(settings.listen_host, settings.listen_port, path, handle)
        self.webhook_port = server.port
        log.info("brand %s: Telegram webhook on %s:%s%s", self.name, settings.listen_host, self.webhook_port, path)
        try:
            await self.bot.set_webhook(settings.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES,
                                       drop_pending_updates=False)
            await self._stop.wait()
        finally:
            await self.webhooks.remove(settings.listen_host, settings.listen_port, path)

    async def run(self) -> None:
        if self.settings.mode == "webhook":
            await self.run_webhook()
        else:
            await self.run_polling()


def _retrieve(future: asyncio.Future[Outcome | None]) -> None:
    """The pipeline logs failures itself; reading the exception keeps asyncio from warning about it."""
    if not future.cancelled():
        future.exception()
