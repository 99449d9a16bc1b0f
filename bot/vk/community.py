"""One brand's VK community: start-up check, events in (long poll or callback), replies out."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import random
from dataclasses import replace
from typing import Any

import aiohttp

from bot.app import App
from bot.config import BrandConfig, ConfigError, VkSettings
from bot.outbox import RetryLater, Undeliverable
from bot.reach import PublicCase, Reach
from bot.storage import DeliveredReply, OutboxItem, ReplyTarget
from bot.vk.client import API_VERSION, AUTH_FAILED, CANNOT_MESSAGE, TOO_MANY_REQUESTS, NameCache, VkClient, VkError
from bot.vk.comments import delete_comment, restore_comment
from bot.vk.events import (
    HANDLED_EVENTS,
    LIKE,
    CommentDeleted,
    CommentTarget,
    CommunityComment,
    Converted,
    Edited,
    Liked,
    ManagerReply,
    MessagesAllowed,
    RatingAnswer,
    Reposted,
    Restored,
    answered_message,
    convert,
    events_off,
    parse_target,
)
from bot.vk.monitor import read_found
from handlers.outside_mentions import SHARED
from handlers.texts import say
from handlers.types import IncomingMessage, Platform, utcnow

log = logging.getLogger(__name__)

# Errors after which a reply can never be delivered; the first set also means "cannot reach the customer".
UNREACHABLE_CODES = frozenset({CANNOT_MESSAGE, 900, 902, 18})
PERMANENT_CODES = frozenset({7, 15, 100, 113, 210, 211, 212, 213, 222, 223, 914, 917, 945, 946})
# "Group authorization failed: method is unavailable with group auth": VK does not let a community token do this
# (which methods it allows has changed over the years); retrying cannot help, and would hold up the chat's later
# replies behind it.
GROUP_AUTH_UNAVAILABLE = 27
MAX_RETRY_SECONDS = 60.0


class VkStartupError(ConfigError):
    """A brand's VK community cannot be served (bad token, wrong group, missing callback secrets)."""


def random_id(item: OutboxItem) -> int:
    """messages.send random_id for an outbox entry: the same on every retry, so VK never sends it twice."""
    digest = hashlib.blake2b(f"{item.brand}:{item.conversation_id}:{item.id}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") & 0x7FFFFFFF or item.id


def rating_keyboard(buttons: list[list[str]]) -> str:
    """A one-time keyboard with one button per [code, label]; the payload carries the code."""
    row = [
        {
            "action": {"type": "text", "label": str(text)[:40], "payload": json.dumps({"rating": str(code)})},
            "color": "positive" if code == "satisfied" else "negative",
        }
        for code, text in buttons
    ]
    return json.dumps({"one_time": True, "buttons": [row]}, ensure_ascii=False)


class VkCommunity:
    def __init__(self, app: App, brand: BrandConfig, client: VkClient, *, wait: int = 25,
                 rng: random.Random | None = None) -> None:
        assert brand.vk is not None
        self.app = app
        self.brand = brand
        self.settings: VkSettings = brand.vk
        self.group_id = brand.vk.group_id
        self.client = client
        self.names = NameCache(client)
        self.wait = wait
        self.rng = rng or random.Random()
        self.state_key = f"vk:{brand.name}:{self.group_id}:longpoll_ts"
        self.managers_key = f"vk:{brand.name}:{self.group_id}:managers"
        # The community's managers (user ids): their comments are never a customer's. Read at start, and
        # learned from the private replies they write on vk.com (admin_author_id; kept across restarts).
        self.managers: set[int] = set()
        self.community_name = f"club{self.group_id}"  # groups.getById tells the real one at start

    def _fail(self, message: str) -> VkStartupError:
        return VkStartupError(self.app.config.file, f"brands.{self.brand.name}.vk", message)

    async def check(self) -> None:
        """Start-up: the token must work and belong to the configured community."""
        try:
            answer = await self.client.call("groups.getById", group_id=self.group_id)
        except VkError as exc:
            if exc.code == AUTH_FAILED:
                raise self._fail(
                    f"brand {self.brand.name!r}: VK rejected the community token in ${self.settings.token_env}"
                    f" (error 5: {exc.message}); create a new community token with messages, wall and"
                    " photos/video/board/market management rights"
                ) from None
            raise self._fail(f"brand {self.brand.name!r}: VK start-up check failed: {exc}") from None
        groups = answer.get("groups", []) if isinstance(answer, dict) else answer
        if groups and int(groups[0].get("id", self.group_id)) != self.group_id:
            raise self._fail(
                f"brand {self.brand.name!r}: the token in ${self.settings.token_env} belongs to community"
                f" {groups[0].get('id')}, not group_id {self.group_id}"
            )
        if groups and groups[0].get("name"):
            self.community_name = str(groups[0]["name"])
        log.info("brand %s: VK community %d connected", self.brand.name, self.group_id)
        await self._read_managers()
        if self.settings.mode == "longpoll":
            await self._longpoll_events()
        else:
            await self._callback_events()

    async def _callback_events(self) -> None:
        """The Callback API sends each server only the event types turned on for it, and which server is this
        bot's, VK does not say: for every server of the community, say which types the bot reads are off (a
        forgotten one loses those messages silently). Nothing is changed: other servers may be other tools'."""
        try:
            answer = await self.client.call("groups.getCallbackServers", group_id=self.group_id)
            items = answer.get("items") if isinstance(answer, dict) else None
            servers = [s for s in items if isinstance(s, dict)] if isinstance(items, list) else []
            if not servers:
                log.warning("brand %s: the community has no Callback API server yet: add this bot's address in the"
                            " community's settings (Manage -> API usage -> Callback API)", self.brand.name)
            for server in servers:
                off = events_off(await self.client.call("groups.getCallbackSettings", group_id=self.group_id,
                                                        server_id=server.get("id")))
                if off:
                    log.warning("brand %s: VK Callback API server %r (%s) does not send the event types %s: if it is"
                                " this bot's, turn them on (Manage -> API usage -> Callback API -> Event types)",
                                self.brand.name, server.get("title", ""), server.get("url", ""), ", ".join(off))
        except VkError as exc:
            log.warning("brand %s: the community's Callback API settings could not be read: %s", self.brand.name, exc)

    async def _longpoll_events(self) -> None:
        """Bots Long Poll sends only the event types turned on for it: turn on every type the bot reads (a
        forgotten `message_reply` hides managers' answers on vk.com; a forgotten comment type, the customers'
        comments), or say which are off and where to turn them on."""
        try:
            current = await self.client.call("groups.getLongPollSettings", group_id=self.group_id)
        except VkError as exc:
            log.warning("brand %s: the community's Long Poll settings could not be read: %s", self.brand.name, exc)
            return
        off = events_off(current)
        if not off and isinstance(current, dict) and current.get("is_enabled"):
            return
        try:
            await self.client.call("groups.setLongPollSettings", group_id=self.group_id, enabled=1,
                                   api_version=API_VERSION, **{kind: 1 for kind in sorted(HANDLED_EVENTS)})
        except VkError as exc:
            log.warning("brand %s: Bots Long Poll event types %s are off and could not be turned on (%s): turn them"
                        " on in the community's settings (Manage -> API usage -> Long Poll API -> Event types)",
                        self.brand.name, ", ".join(off), exc)
            return
        log.info("brand %s: turned on Bots Long Poll (API %s) and its event types %s", self.brand.name,
                 API_VERSION, ", ".join(off))

    async def _read_managers(self) -> None:
        learned = await self.app.storage.get_state(self.managers_key)
        if learned:
            self.managers.update(int(m) for m in json.loads(learned))
        try:
            answer = await self.client.call("groups.getMembers", group_id=self.group_id, filter="managers")
        except VkError as exc:
            log.warning("brand %s: the VK community's managers could not be read (%s); they are learned from the"
                        " private replies they write on vk.com", self.brand.name, exc)
            return
        items = answer.get("items", []) if isinstance(answer, dict) else []
        self.managers.update(int(item["id"] if isinstance(item, dict) else item) for item in items)

    # -- events in -----------------------------------------------------------------------

    async def handle_event(self, event: dict[str, Any]) -> bool:
        """Store (and schedule) one event; True when it was a new customer message or rating."""
        try:
            converted = convert(event, self.brand.name, self.group_id)
        except (TypeError, ValueError, AttributeError, LookupError) as exc:  # skipped, not retried: it never parses
            log.warning("brand %s: a malformed VK %s event skipped: %s", self.brand.name, event.get("type"), exc)
            return False
        if converted is None:
            return False
        if isinstance(converted, RatingAnswer):
            return await self._rating(converted)
        if isinstance(converted, ManagerReply):
            await self._manager_replied(converted)
            return False
        if isinstance(converted, CommunityComment):
            await self._community_commented(converted)
            return False
        if isinstance(converted, Edited):
            await self.app.record_edited(converted.message)
            return False
        if isinstance(converted, Restored):
            msg = converted.message
            await self.app.record_restored(self.brand.name, Platform.VK, msg.chat_id, msg.message_id)
            return False
        if isinstance(converted, MessagesAllowed):
            await self.app.record_reachable(self.brand.name, Platform.VK, str(converted.user_id), converted.allowed)
            return False
        if isinstance(converted, Liked):
            await self.app.record_reaction(self.brand.name, Platform.VK, converted.chat_id, converted.comment_id,
                                           str(converted.user_id), [LIKE] if converted.liked else [], self.rng)
            return False
        if isinstance(converted, CommentDeleted):
            await self.app.record_deleted(self.brand.name, Platform.VK, converted.chat_id, [converted.comment_id],
                                          converted.deleter)
            return False
        if isinstance(converted, Reposted):
            await self._reposted(converted)
            return False
        return await self._submit(converted)

    async def _reposted(self, share: Reposted) -> None:
        """Someone shared one of the community's posts with words of their own: kept as a post about the brand
        found outside its pages (the VK search's kind, bot.vk.monitor), the unhappy ones shown to the moderators;
        the bot never answers there."""
        name = await self.names.name(share.author_id)
        mention, _ = await read_found(self.app.analyzer, self.app.pipeline.brands.get(self.brand.name), share.address,
                                      f"{SHARED}{share.shared}", share.author_id, name, share.text, share.posted_at,
                                      share.views)
        [kept] = await self.app.storage.save_outside_mentions(self.brand.name, [mention], utcnow())
        if kept is None:  # (told twice)
            return
        log.info("brand %s: post %s shared by %d with words of their own", self.brand.name, share.shared,
                 share.author_id)
        for listener in self.app.found_listeners:
            try:
                await listener(self.brand.name, 1)
            except Exception:  # (Telegram down): the share is kept, and the forum's recovery shows it
                log.exception("brand %s: telling of a share of post %s failed", self.brand.name, share.shared)

    async def _submit(self, converted: Converted) -> bool:
        msg = converted.message
        if msg.is_public and converted.author_user in self.managers:
            await self._manager_commented(converted)
            return False
        account, looked_up = await self.names.account(converted.author_user)
        if account is not None and account.name:
            msg = replace(msg, author_name=account.name)
        if account is not None and looked_up and account.profile:  # evidence if the account joins a wave
            await self.app.storage.save_account(self.brand.name, Platform.VK, str(converted.author_user),
                                                account.profile)
        future = await self.app.pipeline.submit(msg)
        if future is None:
            return False
        future.add_done_callback(_consume)
        return True

    async def _rating(self, answer: RatingAnswer) -> bool:
        storage = self.app.storage
        conversation = await storage.customer_conversation(self.brand.name, Platform.VK, str(answer.user_id))
        if conversation is None:
            log.info("VK rating from unknown customer %d ignored", answer.user_id)
            return False
        return await self.app.record_rating(conversation, answer.satisfied, self.rng) is not None

    async def _manager_commented(self, converted: Converted) -> None:
        """A manager commented as themselves: never a customer's question; an answer to a customer's comment is a
        person's answer to that customer."""
        manager = await self.names.name(converted.author_user) or f"id{converted.author_user}"
        await self._answered_in_comments(converted.message, manager)

    async def _community_commented(self, comment: CommunityComment) -> None:
        """A comment signed as the community that the bot did not send (its replies are in the outbox, sent or on
        their way): a manager answered in the community's name."""
        msg = comment.message
        if await self.app.storage.sent_or_sending(Platform.VK, msg.chat_id, msg.message_id, answered_message(msg)):
            return
        await self._answered_in_comments(msg, self.community_name)

    async def _answered_in_comments(self, msg: IncomingMessage, person: str) -> None:
        answered = answered_message(msg)
        if answered is None:
            return
        conversation = await self.app.storage.conversation_of_message(self.brand.name, Platform.VK, msg.chat_id,
                                                                      answered)
        if conversation is None:
            return
        delivered = DeliveredReply(ReplyTarget(msg.chat_id, msg.thread_id, answered), msg.message_id, msg.text)
        await self.app.record_outside_reply(conversation, person, delivered, "outside_vk_comments")

    async def _manager_replied(self, reply: ManagerReply) -> None:
        """A manager answered in VK's own interface: a person's answer, and the thread is theirs."""
        if reply.manager_id not in self.managers:
            self.managers.add(reply.manager_id)
            await self.app.storage.set_state(self.managers_key, json.dumps(sorted(self.managers)))
        conversation = await self.app.storage.customer_conversation(self.brand.name, Platform.VK, str(reply.peer_id))
        if conversation is None:
            return  # someone who never wrote to the brand: nothing to take over
        manager = await self.names.name(reply.manager_id) or f"id{reply.manager_id}"
        delivered = DeliveredReply(ReplyTarget(str(reply.peer_id), None, None), reply.message_id, reply.text)
        await self.app.record_outside_reply(conversation, manager, delivered, "outside_vk")

    async def ingest(self, updates: list[dict[str, Any]]) -> int:
        """Store every event of a batch (duplicates are ignored); raises if any could not be stored."""
        new = 0
        for event in updates:
            if await self.handle_event(event):
                new += 1
        return new

    async def _longpoll_server(self) -> dict[str, Any]:
        delay = 1.0
        while True:
            try:
                server = await self.client.call("groups.getLongPollServer", group_id=self.group_id)
                return dict(server)
            except VkError as exc:
                level = logging.ERROR if exc.code == AUTH_FAILED else logging.WARNING
                log.log(level, "brand %s: groups.getLongPollServer failed, retry in %.0fs: %s",
                        self.brand.name, delay, exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)

    async def run_longpoll(self) -> None:
        """Bots Long Poll forever; the cursor (ts) is saved only after the batch's events are stored."""
        server = await self._longpoll_server()
        ts = await self.app.storage.get_state(self.state_key) or str(server["ts"])
        delay = 1.0
        timeout = aiohttp.ClientTimeout(total=self.wait + 15)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            while True:
                params = {"act": "a_check", "key": str(server["key"]), "ts": ts, "wait": str(self.wait)}
                try:
                    async with http.get(str(server["server"]), params=params) as resp:
                        resp.raise_for_status()
                        data = await resp.json(content_type=None)
                    if not isinstance(data, dict):
                        raise ValueError(f"unexpected long poll answer {data!r:.200}")
                    failed = data.get("failed")
                    if failed == 1:  # history lost or too old: continue from the server's ts
                        log.warning("brand %s: VK long poll history lost, continuing from ts %s",
                                    self.brand.name, data.get("ts"))
                        ts = str(data["ts"])
                        await self.app.storage.set_state(self.state_key, ts)
                    elif failed == 2:  # the key expired: a new key, the same ts
                        server = await self._longpoll_server()
                    elif failed == 3:  # key and history lost: a new key and ts
                        server = await self._longpoll_server()
                        ts = str(server["ts"])
                        await self.app.storage.set_state(self.state_key, ts)
                    elif failed is not None:
                        raise ValueError(f"unknown long poll failure {data!r:.200}")
                    else:
                        await self.ingest(list(data.get("updates") or []))
                        ts = str(data["ts"])
                        await self.app.storage.set_state(self.state_key, ts)
                    delay = 1.0
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.warning("brand %s: VK long poll failed, retry in %.0fs: %s", self.brand.name, delay, exc)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, MAX_RETRY_SECONDS)

    # -- reach of solved public cases -----------------------------------------------------

    async def reach(self, case: PublicCase) -> Reach | None:
        """Views of the wall post a solved comment sits under; for other comments (photo, board, market: VK counts
        no views; video: its views need a user token) the community's members. VkError when VK cannot tell."""
        target = parse_target(case.chat_id)
        if target is None:  # a private dialog is nobody else's to see
            return None
        if target.kind == "wall":
            answer = await self.client.call("wall.getById", posts=f"{target.owner_id}_{target.object_id}")
            posts = answer.get("items", []) if isinstance(answer, dict) else answer
            views = posts[0].get("views", {}).get("count") if posts else None
            if views is not None:
                return Reach(int(views), "views")
        answer = await self.client.call("groups.getById", group_id=self.group_id, fields="members_count")
        groups = answer.get("groups", []) if isinstance(answer, dict) else answer
        members = groups[0].get("members_count") if groups else None
        return Reach(int(members), "members") if members is not None else None

    # -- replies out ---------------------------------------------------------------------

    async def deliver(self, item: OutboxItem) -> str | None:
        target = parse_target(item.chat_id)
        try:
            if item.kind == "hide":
                if target is None or not item.reply_to:
                    raise Undeliverable("only public comments can be hidden", unreachable=False)
                await delete_comment(self.client, target, item.reply_to)
                return None
            if item.kind == "restore":
                if target is None or not item.reply_to:
                    raise Undeliverable("only public comments can be restored", unreachable=False)
                await restore_comment(self.client, target, item.reply_to)
                return None
            if target is None:
                return await self._send_private(item)
            if item.kind == "rating":
                raise Undeliverable("no rating question in public comment threads", unreachable=False)
            return await self._comment(target, item)
        except VkError as exc:
            raise await self._failure(item, exc) from None

    async def _send_private(self, item: OutboxItem) -> str:
        keyboard = None
        buttons = item.extra.get("buttons")
        if item.kind == "rating" and buttons:
            keyboard = rating_keyboard(buttons)
        result = await self.client.call(
            "messages.send", peer_id=int(item.chat_id), message=item.text, random_id=random_id(item),
            keyboard=keyboard,
        )
        return str(result)

    async def _comment(self, target: CommentTarget, item: OutboxItem) -> str:
        guid = f"smm-{item.brand}-{item.id}"  # VK ignores a second comment with the same guid
        reply_to = int(item.reply_to) if item.reply_to and item.reply_to.isdigit() else None
        if target.kind == "wall":
            result = await self.client.call(
                "wall.createComment", owner_id=target.owner_id, post_id=target.object_id, message=item.text,
                reply_to_comment=reply_to, from_group=self.group_id, guid=guid,
            )
            return str(result.get("comment_id") if isinstance(result, dict) else result)
        if target.kind == "photo":
            result = await self.client.call(
                "photos.createComment", owner_id=target.owner_id, photo_id=target.object_id, message=item.text,
                reply_to_comment=reply_to, from_group=1, guid=guid,
            )
        elif target.kind == "video":
            result = await self.client.call(
                "video.createComment", owner_id=target.owner_id, video_id=target.object_id, message=item.text,
                reply_to_comment=reply_to, from_group=1, guid=guid,
            )
        elif target.kind == "topic":
            result = await self.client.call(
                "board.createComment", group_id=-target.owner_id, topic_id=target.object_id, message=item.text,
                from_group=1, guid=guid,
            )
        else:
            result = await self.client.call(
                "market.createComment", owner_id=target.owner_id, item_id=target.object_id, message=item.text,
                reply_to_comment=reply_to, from_group=1, guid=guid,
            )
        return str(result)

    async def _failure(self, item: OutboxItem, exc: VkError) -> Exception:
        if exc.code == TOO_MANY_REQUESTS:
            return RetryLater(str(exc), retry_after=min(MAX_RETRY_SECONDS, 2.0 ** min(item.attempts, 6)))
        if exc.code == AUTH_FAILED:
            log.error("brand %s: VK rejected the community token in $%s: %s",
                      self.brand.name, self.settings.token_env, exc)
            return RetryLater(str(exc), retry_after=MAX_RETRY_SECONDS)
        if exc.code in UNREACHABLE_CODES:
            await self._tell_moderators(item, exc)
            return Undeliverable(str(exc), unreachable=True)
        if exc.code == GROUP_AUTH_UNAVAILABLE:
            log.error("brand %s: VK refuses the community token this %s (outbox %d, %s: %s): answer it by hand on"
                      " vk.com", self.brand.name, item.kind, item.id, item.chat_id, exc)
            return Undeliverable(str(exc), unreachable=False)
        if exc.code in PERMANENT_CODES:
            return Undeliverable(str(exc), unreachable=False)
        return RetryLater(str(exc))  # transport failures, internal errors, flood control: later

    async def _tell_moderators(self, item: OutboxItem, exc: VkError) -> None:
        """A note on the thread (shown on its card) and a log line: nobody can answer this customer in VK."""
        log.warning("brand %s: VK customer of conversation %d is unreachable: %s",
                    self.brand.name, item.conversation_id, exc)
        try:
            conversation = await self.app.storage.conversation(item.conversation_id, item.brand)
            language = self.brand.policy.default_language
            await self.app.storage.add_note(
                conversation, "vk", say("customer_unreachable", language, self.rng, error=exc.message or str(exc)),
            )
        except Exception:
            log.exception("could not record the unreachable note for conversation %d", item.conversation_id)


def _consume(future: asyncio.Future[Any]) -> None:
    """The pipeline logs failures itself; this keeps asyncio from warning about unread exceptions."""
    if not future.cancelled():
        future.exception()
