"""A local fake of the Telegram Bot API (aiohttp on 127.0.0.1) that the real aiogram Bot talks to.

Telegram's semantics where the adapter depends on them: getUpdates is a real long poll and updates
stay until a later offset confirms them; a webhook receives each update (with the secret header)
until it answers 200; sends into forum topics check the topic; replies check the replied message;
errors look like Telegram's (400 / 403 / 409 / 429 with retry_after) and can be injected. Telegram
Business: an account connects the bot; its private chats are their own message spaces (the same chat id
and message id as the bot's chat with that person are different messages); the bot sends there through
the connection, as the owner, only with the right to reply, and its own sends come back as business
messages, as Telegram does. Updates of types the bot did not ask for (`allowed_updates` of its last getUpdates or
setWebhook; by default all but chat_member and reactions) are not sent, as Telegram does.
Every call is recorded for assertions.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

JSON_FIELDS = {"reply_markup", "reply_parameters", "allowed_updates", "link_preview_options", "entities",
               "caption_entities", "media"}
NOT_SENT_BY_DEFAULT = {"chat_member", "message_reaction", "message_reaction_count"}
INT_FIELDS = {"chat_id", "from_chat_id", "message_id", "message_thread_id", "offset", "limit", "timeout", "user_id"}


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    ok: bool = True
    error_code: int | None = None
    result: Any = None
    at: float = field(default_factory=time.monotonic)


@dataclass
class Fault:
    method: str
    chat_id: int | None
    times: int
    code: int
    description: str
    retry_after: int | None = None


def user(uid: int, first_name: str, last_name: str | None = None, username: str | None = None,
         language_code: str | None = "ru", is_bot: bool = False) -> dict[str, Any]:
    u: dict[str, Any] = {"id": uid, "is_bot": is_bot, "first_name": first_name}
    if last_name:
        u["last_name"] = last_name
    if username:
        u["username"] = username
    if language_code:
        u["language_code"] = language_code
    return u


class FakeTelegram:
    def __init__(self, token: str = "123456:TEST-token_abc", bot_username: str = "volna_support_bot") -> None:
        self.token = token
        self.bot_user = user(int(token.split(":")[0]), "Volna Support", username=bot_username, language_code=None,
                             is_bot=True)
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.allowed_updates: list[str] | None = None  # as the bot last asked; None: Telegram's default
        self._update_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self.webhook: dict[str, Any] | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status)
        self.webhook_error: tuple[int, str] | None = None  # getWebhookInfo's last error: (unix time, message)
        self._pusher: asyncio.Task[None] | None = None
        self.chats: dict[int, dict[str, Any]] = {}
        self.messages: dict[int, dict[int, dict[str, Any]]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self.topics: dict[int, dict[int, dict[str, Any]]] = {}
        self.members: dict[int, dict[int, str]] = {}
        self.rights: dict[tuple[int, int], dict[str, bool]] = {}  # an administrator's rights beyond the defaults
        self.member_counts: dict[int, int] = {}  # getChatMemberCount; else the members known to `members`
        self.profile_photos: dict[int, int] = {}  # user id -> profile photos a bot may see (default 1)
        self.blocked: set[int] = set()
        self.faults: list[Fault] = []
        self._callback_ids = itertools.count(1000)
        self.business: dict[str, dict[str, Any]] = {}  # connection id -> BusinessConnection
        self.business_messages: dict[tuple[str, int], dict[int, dict[str, Any]]] = {}
        self._business_ids: dict[tuple[str, int], itertools.count[int]] = {}
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None
        self.base_url = ""
        self.closing = False

    # -- server --------------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self._client = aiohttp.ClientSession()
        return self.base_url

    async def close(self) -> None:
        self.closing = True
        self._new_update.set()  # open long polls return now
        await self._stop_pusher()
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        prefix, _, method = path.partition("/")
        if prefix != f"bot{self.token}":
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        params = await self._params(request)
        call = Call(method, params)
        self.calls.append(call)
        handler = getattr(self, f"api_{method}", None)
        try:
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            self._inject_fault(method, params)
            result = await handler(params)
        except ApiError as exc:
            call.ok, call.error_code = False, exc.code
            body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            return web.json_response(body, status=exc.code)
        call.result = result
        return web.json_response({"ok": True, "result": result})

    async def _params(self, request: web.Request) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        if request.content_type == "application/json":
            raw = dict(await request.json())
        elif request.can_read_body:
            form = await request.post()
            for key, field_value in form.items():
                if isinstance(field_value, web.FileField):
                    data = field_value.file.read()
                    raw[key] = {"upload": field_value.filename, "size": len(data), "content": data}
                else:
                    raw[key] = field_value
        else:
            raw = dict(request.query)
        params: dict[str, Any] = {}
        for key, item in raw.items():
            value: Any = item
            if isinstance(value, str) and key in JSON_FIELDS:
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            elif isinstance(value, str) and key in INT_FIELDS and value.lstrip("-").isdigit():
                value = int(value)
            elif value in ("true", "false"):
                value = value == "true"
            params[key] = value
        for key, value in list(params.items()):  # a file sent along: "attach://<field>" names its form field
            if isinstance(value, str) and value.startswith("attach://") and value[9:] in params:
                params[key] = params.pop(value[9:])
        return params

    # -- faults ----------------------------------------------------------------------------------

    def fail_next(self, method: str, *, chat_id: int | None = None, times: int = 1, code: int = 429,
                  description: str | None = None, retry_after: int | None = None) -> None:
        """The next `times` calls of `method` (to `chat_id`, if given) fail like Telegram would."""
        if description is None:
            description = {429: f"Too Many Requests: retry after {retry_after or 1}",
                           403: "Forbidden: bot was blocked by the user",
                           400: "Bad Request: message thread not found"}.get(code, "Error")
        if code == 429 and retry_after is None:
            retry_after = 1
        self.faults.append(Fault(method, chat_id, times, code, description, retry_after))

    def _inject_fault(self, method: str, params: dict[str, Any]) -> None:
        for fault in self.faults:
            if fault.times > 0 and fault.method == method and fault.chat_id in (None, params.get("chat_id")):
                fault.times -= 1
                raise ApiError(fault.code, fault.description, fault.retry_after)

    # -- chats and messages --------------------------------------------------------------------

    def add_chat(self, chat_id: int, chat_type: str, title: str | None = None, *, is_forum: bool = False,
                 linked_chat_id: int | None = None, **extra: Any) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type, **extra}
        if title:
            chat["title"] = title
        if is_forum:
            chat["is_forum"] = True
            self.topics.setdefault(chat_id, {})
            self.set_member(chat_id, self.bot_user["id"], "administrator", can_manage_topics=True)
        if linked_chat_id is not None:
            chat["linked_chat_id"] = linked_chat_id
        self.chats[chat_id] = chat
        return chat

    def private_chat(self, customer: dict[str, Any]) -> dict[str, Any]:
        if customer["id"] not in self.chats:
            self.add_chat(customer["id"], "private", first_name=customer["first_name"])
        return self.chats[customer["id"]]

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        chat = self.chats.get(int(chat_id)) if str(chat_id).lstrip("-").isdigit() else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _new_message(self, chat_id: int, sender: dict[str, Any] | None, **content: Any) -> dict[str, Any]:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        message: dict[str, Any] = {"message_id": next(counter), "date": int(time.time()),
                                   "chat": self.chats[chat_id]}
        if sender is not None:
            message["from"] = sender
        message.update({k: v for k, v in content.items() if v is not None})
        self.messages.setdefault(chat_id, {})[message["message_id"]] = message
        return message

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        return self.messages.get(chat_id, {}).get(message_id)

    @staticmethod
    def _shallow(message: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in message.items() if k != "reply_to_message"}

    def set_member(self, chat_id: int, user_id: int, status: str = "member", **rights: bool) -> None:
        """`rights`: an administrator's, over the defaults (manage chat, delete messages)."""
        self.members.setdefault(chat_id, {})[user_id] = status
        self.rights[(chat_id, user_id)] = rights

    def set_bot_member(self, chat_id: int, status: str, **rights: bool) -> dict[str, Any]:
        """An admin changes the bot's own membership or rights in a group; the bot is told (my_chat_member)."""
        old = self._member(chat_id, self.bot_user["id"])
        self.set_member(chat_id, self.bot_user["id"], status, **rights)
        change = {"chat": self.chats[chat_id], "from": self.bot_user, "date": int(time.time()),
                  "old_chat_member": old, "new_chat_member": self._member(chat_id, self.bot_user["id"])}
        return self.push_update(my_chat_member=change)

    # -- updates -------------------------------------------------------------------------------

    def push_update(self, **payload: Any) -> dict[str, Any]:
        """An update, queued for the bot unless it is of a type the bot did not ask for."""
        update = {"update_id": next(self._update_ids), **payload}
        kinds = set(payload)
        if self.allowed_updates is None and kinds & NOT_SENT_BY_DEFAULT:
            return update
        if self.allowed_updates is not None and not kinds & set(self.allowed_updates):
            return update
        self.updates.append(update)
        self._new_update.set()
        return update

    def set_blocked(self, customer: dict[str, Any], blocked: bool) -> dict[str, Any]:
        """The customer blocks the bot (sends to them fail with 403) or unblocks it; the bot is told in the private
        chat (my_chat_member), as Telegram does."""
        (self.blocked.add if blocked else self.blocked.discard)(customer["id"])
        statuses = [{"user": self.bot_user, "status": "member"},
                    {"user": self.bot_user, "status": "kicked", "until_date": 0}]
        old, new = statuses if blocked else statuses[::-1]
        change = {"chat": self.private_chat(customer), "from": customer, "date": int(time.time()),
                  "old_chat_member": old, "new_chat_member": new}
        return self.push_update(my_chat_member=change)

    def customer_message(self, customer: dict[str, Any], text: str | None = None, *, chat_id: int | None = None,
                         reply_to: dict[str, Any] | None = None, thread_id: int | None = None,
                         **content: Any) -> dict[str, Any]:
        """A message from a person (customer or moderator) becomes an update; returns the message."""
        if chat_id is None:
            chat_id = self.private_chat(customer)["id"]
        extra: dict[str, Any] = dict(content)
        if reply_to is not None:
            extra["reply_to_message"] = self._shallow(reply_to)
            thread_id = thread_id or reply_to.get("message_thread_id") or (
                reply_to["message_id"] if reply_to.get("is_automatic_forward") else None)
        if thread_id is not None:
            extra["message_thread_id"] = thread_id
            if self.chats[chat_id].get("is_forum"):
                extra["is_topic_message"] = True
        message = self._new_message(chat_id, customer, text=text, **extra)
        self.push_update(message=message)
        return message

    def react(self, person: dict[str, Any], message: dict[str, Any],
              *reactions: str | dict[str, Any]) -> dict[str, Any]:
        """A person sets their reaction to a message: emoji, or ReactionType objects (custom emoji); none takes it
        back. The bot hears of it only when it asked for message_reaction updates, as Telegram does."""
        change = {"chat": message["chat"], "message_id": message["message_id"], "user": person,
                  "date": int(time.time()), "old_reaction": [],
                  "new_reaction": [r if isinstance(r, dict) else {"type": "emoji", "emoji": r} for r in reactions]}
        return self.push_update(message_reaction=change)

    def edit_by_customer(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        edited = {**message, "text": text, "edit_date": int(time.time())}
        self.messages[message["chat"]["id"]][message["message_id"]] = edited
        self.push_update(edited_message=edited)
        return edited

    def press(self, person: dict[str, Any], message: dict[str, Any], data: str) -> dict[str, Any]:
        business = message.get("business_connection_id")
        current = (self.business_messages.get((business, message["chat"]["id"]), {}) if business
                   else self.messages.get(message["chat"]["id"], {})).get(message["message_id"])
        query = {"id": str(next(self._callback_ids)), "from": person, "chat_instance": "ci-1", "data": data,
                 "message": self._shallow(current or message)}
        self.push_update(callback_query=query)
        return query

    # -- Telegram Business ----------------------------------------------------------------------

    def connect_business(self, owner: dict[str, Any], *, can_reply: bool = True, enabled: bool = True,
                         announce: bool = True) -> str:
        """The owner connects the bot to their business account (or changes the connection); returns its id.
        `announce=False`: no update about it (the bot was down then, or has forgotten it since)."""
        existing = [cid for cid, c in self.business.items() if c["user"]["id"] == owner["id"]]
        connection_id = existing[0] if existing else f"biz-{len(self.business) + 1}"
        self.business[connection_id] = {"id": connection_id, "user": owner, "user_chat_id": owner["id"],
                                        "date": int(time.time()), "is_enabled": enabled,
                                        "rights": {"can_reply": can_reply}}
        if announce:
            self.push_update(business_connection=self.business[connection_id])
        return connection_id

    def _business_message(self, connection_id: str, customer: dict[str, Any], sender: dict[str, Any],
                          **content: Any) -> dict[str, Any]:
        key = (connection_id, customer["id"])
        counter = self._business_ids.setdefault(key, itertools.count(1))
        chat = {"id": customer["id"], "type": "private", "first_name": customer["first_name"]}
        message: dict[str, Any] = {"message_id": next(counter), "date": int(time.time()), "chat": chat,
                                   "from": sender, "business_connection_id": connection_id}
        message.update({k: v for k, v in content.items() if v is not None})
        self.business_messages.setdefault(key, {})[message["message_id"]] = message
        self.push_update(business_message=message)
        return message

    def business_customer_message(self, connection_id: str, customer: dict[str, Any], text: str | None = None,
                                  **content: Any) -> dict[str, Any]:
        """A customer writes to the business account."""
        return self._business_message(connection_id, customer, customer, text=text, **content)

    def business_owner_message(self, connection_id: str, customer: dict[str, Any], text: str,
                               **content: Any) -> dict[str, Any]:
        """The account's owner writes to a customer by hand, from their own Telegram app."""
        owner = self.business[connection_id]["user"]
        return self._business_message(connection_id, customer, owner, text=text, **content)

    def edit_business_message(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        edited = {**message, "text": text, "edit_date": int(time.time())}
        self.business_messages[(message["business_connection_id"], message["chat"]["id"])][message["message_id"]] \
            = edited
        self.push_update(edited_business_message=edited)
        return edited

    def delete_business_messages(self, connection_id: str, messages: list[dict[str, Any]]) -> None:
        """Messages of one business chat deleted (by the customer or the owner: Telegram does not say)."""
        chat = messages[0]["chat"]
        for message in messages:
            self.business_messages.get((connection_id, chat["id"]), {}).pop(message["message_id"], None)
        self.push_update(deleted_business_messages={"business_connection_id": connection_id, "chat": chat,
                                                    "message_ids": [m["message_id"] for m in messages]})

    def _business_send(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        """A send through a business connection: as the owner, into a chat of theirs, if they allow replies."""
        connection = self.business.get(str(params["business_connection_id"]))
        if connection is None or not connection["is_enabled"]:
            raise ApiError(400, "Bad Request: BUSINESS_CONNECTION_INVALID")
        if not connection["rights"].get("can_reply"):
            raise ApiError(400, "Bad Request: BUSINESS_CONNECTION_NOT_ALLOWED")
        key = (connection["id"], int(params["chat_id"]))
        if key not in self.business_messages:
            raise ApiError(400, "Bad Request: chat not found")
        customer = {"id": key[1], "first_name": next(iter(self.business_messages[key].values()))["chat"]["first_name"]}
        markup = params.get("reply_markup")
        return self._business_message(connection["id"], customer, connection["user"],
                                      sender_business_bot=self.bot_user, reply_markup=markup or None, **content)

    async def api_getBusinessConnection(self, params: dict[str, Any]) -> Any:
        connection = self.business.get(str(params.get("business_connection_id")))
        if connection is None:
            raise ApiError(400, "Bad Request: BUSINESS_CONNECTION_INVALID")
        return connection

    def channel_post(self, channel_id: int, discussion_id: int, text: str) -> dict[str, Any]:
        """A channel post, automatically forwarded into the linked discussion group (the thread root)."""
        channel = self.chats[channel_id]
        post = self._new_message(channel_id, None, text=text, sender_chat=channel)
        forwarded = self._new_message(discussion_id, user(777000, "Telegram", language_code=None), text=text,
                                      sender_chat=channel, is_automatic_forward=True,
                                      forward_origin={"type": "channel", "chat": channel, "message_id":
                                                      post["message_id"], "date": post["date"]})
        self.push_update(message=forwarded)
        return forwarded

    def _pending(self) -> list[dict[str, Any]]:
        return list(self.updates)

    def _confirm_below(self, offset: int) -> None:
        self.updates = [u for u in self.updates if u["update_id"] >= offset]

    # -- API: updates and webhook ---------------------------------------------------------------

    async def api_getMe(self, params: dict[str, Any]) -> Any:
        return {**self.bot_user, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    async def api_getUpdates(self, params: dict[str, Any]) -> Any:
        if self.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        if params.get("allowed_updates"):
            self.allowed_updates = list(params["allowed_updates"])
        offset = int(params.get("offset") or 0)
        if offset > 0:
            self._confirm_below(offset)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        while not self.updates and not self.closing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), remaining)
        return self.updates[:limit]

    async def api_setWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = {"url": params["url"], "secret": params.get("secret_token")}
        if params.get("allowed_updates"):
            self.allowed_updates = list(params["allowed_updates"])
        if params.get("drop_pending_updates"):
            self.updates.clear()
        await self._stop_pusher()
        self._pusher = asyncio.create_task(self._push_loop())
        return True

    async def api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        await self._stop_pusher()
        if params.get("drop_pending_updates"):
            self.updates.clear()
        return True

    async def api_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        info = {"url": self.webhook["url"] if self.webhook else "", "has_custom_certificate": False,
                "pending_update_count": len(self.updates)}
        if self.webhook is not None and self.webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = self.webhook_error
        return info

    async def _stop_pusher(self) -> None:
        pusher, self._pusher = self._pusher, None
        if pusher is not None:
            pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pusher

    async def _push_loop(self) -> None:
        """Telegram's webhook delivery: one update at a time, repeated until the bot answers 200."""
        assert self._client is not None
        me = asyncio.current_task()
        # (a cancelled wait_for may swallow the cancellation on Python 3.11: check who is the pusher)
        while self.webhook is not None and not self.closing and self._pusher is me:
            if not self.updates:
                self._new_update.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_update.wait(), 0.5)
                continue
            update = self.updates[0]
            headers = {}
            if self.webhook.get("secret"):
                headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret"]
            try:
                async with self._client.post(self.webhook["url"], json=update, headers=headers) as resp:
                    status = resp.status
            except aiohttp.ClientError as exc:
                status, error = 0, str(exc) or type(exc).__name__
            else:
                error = f"Wrong response from the webhook: {status}"
            self.webhook_deliveries.append((update["update_id"], status))
            if status == 200:
                if self.updates and self.updates[0] is update:
                    self.updates.pop(0)
            else:
                self.webhook_error = (int(time.time()), error)
                await asyncio.sleep(0.2)

    # -- API: sending ----------------------------------------------------------------------------

    def _check_can_send(self, chat: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
        """Checks shared by every send; returns extra fields of the new message."""
        if chat["type"] == "private" and chat["id"] in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        extra: dict[str, Any] = {}
        thread = params.get("message_thread_id")
        if thread:
            if chat.get("is_forum"):
                if int(thread) not in self.topics.get(chat["id"], {}):
                    raise ApiError(400, "Bad Request: message thread not found")
                extra["is_topic_message"] = True
            extra["message_thread_id"] = int(thread)
        reply = params.get("reply_parameters")
        if isinstance(reply, dict) and reply.get("message_id"):
            target = self.message(chat["id"], int(reply["message_id"]))
            if target is None:
                if not reply.get("allow_sending_without_reply"):
                    raise ApiError(400, "Bad Request: message to be replied not found")
            else:
                extra["reply_to_message"] = self._shallow(target)
                root = target.get("message_thread_id") or (
                    target["message_id"] if target.get("is_automatic_forward") else None)
                if root and "message_thread_id" not in extra:
                    extra["message_thread_id"] = root
        markup = params.get("reply_markup")
        if markup:
            extra["reply_markup"] = markup
        return extra

    async def api_sendMessage(self, params: dict[str, Any]) -> Any:
        text = str(params.get("text") or "")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        if params.get("business_connection_id"):
            return self._business_send(params, text=text)
        chat = self._chat(params.get("chat_id"))
        extra = self._check_can_send(chat, params)
        return self._new_message(chat["id"], self.bot_user, text=text, **extra)

    async def _send_media(self, params: dict[str, Any], field_name: str) -> Any:
        caption = params.get("caption")
        if caption and len(str(caption)) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        business = bool(params.get("business_connection_id"))
        chat = {} if business else self._chat(params.get("chat_id"))
        extra = {} if business else self._check_can_send(chat, params)
        source = params.get(field_name)
        file_id = source if isinstance(source, str) else f"uploaded-{next(self._callback_ids)}"
        if field_name == "photo":
            media: Any = [{"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 640, "height": 480}]
        else:
            name = source.get("upload") if isinstance(source, dict) else None
            media = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name or "file.bin"}
        if business:
            return self._business_send(params, caption=caption, **{field_name: media})
        return self._new_message(chat["id"], self.bot_user, caption=caption, **{field_name: media}, **extra)

    async def api_sendPhoto(self, params: dict[str, Any]) -> Any:
        return await self._send_media(params, "photo")

    async def api_sendDocument(self, params: dict[str, Any]) -> Any:
        return await self._send_media(params, "document")

    async def api_copyMessage(self, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        source = self.message(int(params["from_chat_id"]), int(params["message_id"]))
        if source is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        extra = self._check_can_send(chat, params)
        content = {k: source[k] for k in ("text", "caption", "photo", "document", "voice", "sticker", "contact")
                   if k in source}
        if params.get("caption") is not None and "text" not in content:  # a new caption for the copy, as Telegram
            content["caption"] = params["caption"]
        copied = self._new_message(chat["id"], self.bot_user, **content, **extra)
        return {"message_id": copied["message_id"]}

    async def api_forwardMessage(self, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        source = self.message(int(params["from_chat_id"]), int(params["message_id"]))
        if source is None:
            raise ApiError(400, "Bad Request: message to forward not found")
        extra = self._check_can_send(chat, params)
        content = {k: source[k] for k in ("text", "caption", "photo", "document", "voice", "sticker", "contact")
                   if k in source}
        return self._new_message(chat["id"], self.bot_user, **content, **extra)

    async def api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        message = self.message(self._chat(params.get("chat_id"))["id"], int(params.get("message_id") or 0))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        if message.get("reply_markup") == markup or (not markup and "reply_markup" not in message):
            raise ApiError(400, "Bad Request: message is not modified")
        return self._edited(message, markup)

    @staticmethod
    def _edited(message: dict[str, Any], markup: Any) -> dict[str, Any]:
        """The message with its new keyboard (none: removed), marked edited now."""
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        return message

    async def api_editMessageText(self, params: dict[str, Any]) -> Any:
        if params.get("business_connection_id"):
            key = (str(params["business_connection_id"]), int(params["chat_id"]))
            message = self.business_messages.get(key, {}).get(int(params.get("message_id") or 0))
        else:
            message = self.message(self._chat(params.get("chat_id"))["id"], int(params.get("message_id") or 0))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        text = str(params.get("text") or "")
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        markup = params.get("reply_markup")
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message["text"] = text
        return self._edited(message, markup)

    async def api_deleteMessage(self, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        if self.messages.get(chat["id"], {}).pop(int(params.get("message_id") or 0), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    async def api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        return True

    # -- API: forum and members -----------------------------------------------------------------

    def _forum(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"))
        if not chat.get("is_forum"):
            raise ApiError(400, "Bad Request: the chat is not a forum")
        return chat

    async def api_createForumTopic(self, params: dict[str, Any]) -> Any:
        chat = self._forum(params)
        bot = self._member(chat["id"], self.bot_user["id"])
        if bot["status"] != "creator" and not bot.get("can_manage_topics"):
            raise ApiError(400, "Bad Request: not enough rights to create a topic")
        name = str(params.get("name") or "")
        if not 1 <= len(name) <= 128:
            raise ApiError(400, "Bad Request: invalid topic name")
        service = self._new_message(chat["id"], self.bot_user,
                                    forum_topic_created={"name": name, "icon_color": 7322096})
        thread = service["message_id"]
        service["message_thread_id"] = thread
        service["is_topic_message"] = True
        self.topics[chat["id"]][thread] = {"name": name, "closed": False}
        return {"message_thread_id": thread, "name": name, "icon_color": 7322096}

    def _topic(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._forum(params)
        topic = self.topics[chat["id"]].get(int(params.get("message_thread_id") or 0))
        if topic is None:
            raise ApiError(400, "Bad Request: message thread not found")
        return topic

    async def api_closeForumTopic(self, params: dict[str, Any]) -> Any:
        topic = self._topic(params)
        if topic["closed"]:
            raise ApiError(400, "Bad Request: TOPIC_NOT_MODIFIED")
        topic["closed"] = True
        return True

    async def api_reopenForumTopic(self, params: dict[str, Any]) -> Any:
        topic = self._topic(params)
        if not topic["closed"]:
            raise ApiError(400, "Bad Request: TOPIC_NOT_MODIFIED")
        topic["closed"] = False
        return True

    async def api_deleteForumTopic(self, params: dict[str, Any]) -> Any:
        self._topic(params)
        self.topics[self._forum(params)["id"]].pop(int(params["message_thread_id"]))
        return True

    def delete_topic(self, chat_id: int, thread: int) -> None:
        """A moderator deletes a topic (with its messages)."""
        self.topics[chat_id].pop(thread, None)

    async def api_getChatMember(self, params: dict[str, Any]) -> Any:
        return self._member(self._chat(params.get("chat_id"))["id"], int(params["user_id"]))

    def _member(self, chat_id: int, user_id: int) -> dict[str, Any]:
        status = self.members.get(chat_id, {}).get(user_id, "left")
        person = (self.bot_user if user_id == self.bot_user["id"]
                  else user(user_id, f"user{user_id}", language_code=None))
        member: dict[str, Any] = {"status": status, "user": person}
        if status == "creator":
            member["is_anonymous"] = False
        if status == "administrator":
            member.update({flag: False for flag in (
                "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                "can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users",
                "can_post_stories", "can_edit_stories", "can_delete_stories", "can_send_welcome_messages",
                "can_manage_topics")})
            member["can_manage_chat"] = member["can_delete_messages"] = True
            member.update(self.rights.get((chat_id, user_id), {}))
        if status == "kicked":
            member["until_date"] = 0
        return member

    async def api_getUserProfilePhotos(self, params: dict[str, Any]) -> Any:
        user_id = int(params["user_id"])
        total = self.profile_photos.get(user_id, 1)
        shown = min(total, int(params.get("limit", 100)))
        return {"total_count": total, "photos": [
            [{"file_id": f"photo{user_id}_{i}", "file_unique_id": f"p{user_id}_{i}", "width": 160, "height": 160}]
            for i in range(shown)]}

    async def api_getChatMemberCount(self, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        return self.member_counts.get(chat["id"], len(self.members.get(chat["id"], {})))

    async def api_getChat(self, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": {
            "unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False, "premium_subscription": False,
            "gifts_from_channels": False}}

    # -- assertions ------------------------------------------------------------------------------

    def sent(self, chat_id: int | None = None, *, thread: int | None = None) -> list[Call]:
        """Successful sends by the bot (sendMessage / sendPhoto / sendDocument / copyMessage)."""
        return [c for c in self.calls if c.ok and c.method in ("sendMessage", "sendPhoto", "sendDocument",
                                                                 "copyMessage")
                and (chat_id is None or c.params.get("chat_id") == chat_id)
                and (thread is None or c.params.get("message_thread_id") == thread)]

    def texts(self, chat_id: int | None = None, *, thread: int | None = None) -> list[str]:
        return [str(c.params.get("text") or c.params.get("caption") or "") for c in self.sent(chat_id, thread=thread)]

    def called(self, method: str, **match: Any) -> list[Call]:
        return [c for c in self.calls if c.method == method and all(c.params.get(k) == v for k, v in match.items())]
