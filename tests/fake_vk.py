"""A local fake of the VK API (methods + Bots Long Poll + Callback API sender) over real HTTP.

The real vk_api client talks to it through a requests session whose adapter rewrites
https://api.vk.ru (and api.vk.com) to this server. Semantics follow VK: the access token is
checked (error 5), messages.send needs random_id (error 100) and returns the same message id
for a repeated random_id without sending twice, comments with a repeated guid are not posted
twice, long poll keys expire (failed 2), errors 5 / 6 / 901 and failed 1/2/3 are injectable.
Every private message the community sends comes back as a `message_reply` event (as with that event type
enabled); one a manager writes by hand in VK's interface carries `admin_author_id`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import requests
from aiohttp import web
from requests.adapters import HTTPAdapter

# A community token's rights and their bits (groups.getTokenPermissions)
TOKEN_RIGHTS = {"stories": 1, "photos": 4, "app_widget": 64, "messages": 4096, "docs": 131072, "manage": 262144}
ERROR_TEXT = {
    5: "User authorization failed: invalid access_token (4).",
    6: "Too many requests per second",
    27: "Group authorization failed: method is unavailable with group auth.",
    100: "One of the parameters specified was missing or invalid",
    901: "Can't send messages for users without permission",
}


@dataclass
class Call:
    method: str
    params: dict[str, str]
    at: float
    error: int | None = None


@dataclass
class FakeVk:
    group_id: int = 1001
    tokens: set[str] = field(default_factory=lambda: {"vk-test-token"})
    url: str = ""
    calls: list[Call] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    deleted: list[dict[str, str]] = field(default_factory=list)
    restored: list[dict[str, str]] = field(default_factory=list)  # comments the community restored
    lp_requests: list[dict[str, str]] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    users: dict[int, tuple[str, str]] = field(default_factory=dict)
    communities: dict[int, str] = field(default_factory=dict)  # other communities' names by id (groups.getById)
    # users.get's profile fields by user (default: a photo, 120 followers, open); e.g. {"has_photo": 0,
    # "followers_count": 2} for an empty account, {"deactivated": "banned"}
    profiles: dict[int, dict[str, Any]] = field(default_factory=dict)
    post_views: dict[int, int] = field(default_factory=dict)  # wall.getById: views of the community's posts
    members_count: int | None = 0  # groups.getById with fields=members_count (None: hidden)
    managers: set[int] = field(default_factory=set)  # groups.getMembers with filter=managers
    # Bots Long Poll settings (groups.get/setLongPollSettings): which event types it sends
    longpoll_events: dict[str, int] = field(default_factory=lambda: {"message_new": 1, "wall_reply_new": 1})
    longpoll_enabled: bool = True
    # Callback API servers (groups.getCallbackServers) and, by server id, the event types each is sent
    callback_servers: list[dict[str, Any]] = field(default_factory=list)
    callback_events: dict[int, dict[str, int]] = field(default_factory=dict)
    # newsfeed.search: posts anywhere on VK (`outside_post`), and the tokens that may search (a user's or an app's
    # service token; a community's gets error 27, as from VK)
    posts: list[dict[str, Any]] = field(default_factory=list)
    search_tokens: set[str] = field(default_factory=lambda: {"vk-service-token"})
    # groups.getTokenPermissions: the rights the community token was created with
    token_rights: tuple[str, ...] = ("photos", "messages", "docs", "manage")

    def __post_init__(self) -> None:
        self.key = "key-1"
        self._keys = itertools.count(2)
        self._ids = itertools.count(500)
        self._event_ids = itertools.count(1)
        self._errors: dict[str, deque[int]] = {}
        self._lp_failures: deque[int] = deque()
        self._random_ids: dict[tuple[int, int], int] = {}
        self._guids: dict[str, int] = {}
        self._wall_posts: dict[int, int] = {}  # customers' wall comments -> their post
        self._pushed = asyncio.Event()
        self._stopping = False  # long polls then answer at once: shutting down waits for requests in flight
        self._runner: web.AppRunner | None = None

    # -- server ----------------------------------------------------------------------------

    async def start(self) -> FakeVk:
        app = web.Application()
        app.router.add_post("/method/{name}", self._method)
        app.router.add_get("/lp/{group}", self._longpoll)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        self._stopping = True
        self._pushed.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def session(self) -> requests.Session:
        """A requests session that sends the public VK API hosts to this fake."""
        session = requests.Session()
        adapter = _Rewrite(self.url)
        for host in ("https://api.vk.ru/", "https://api.vk.com/"):
            session.mount(host, adapter)
        return session

    # -- test controls ---------------------------------------------------------------------

    def fail(self, method: str, code: int, times: int = 1) -> None:
        """The next `times` calls of `method` ("*" = any) answer VK error `code`."""
        self._errors.setdefault(method, deque()).extend([code] * times)

    def recover(self, method: str) -> None:
        """Failures still queued for `method` are dropped: it answers again."""
        self._errors.pop(method, None)

    def fail_longpoll(self, *codes: int) -> None:
        self._lp_failures.extend(codes)

    def expire_key(self) -> None:
        self.key = f"key-{next(self._keys)}"

    def push(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        """An event for Bots Long Poll: queued only if long poll is on with this event type, as VK does."""
        event = {"type": kind, "object": obj, "group_id": self.group_id, "event_id": f"ev{next(self._event_ids)}",
                 "v": "5.199"}
        if self.longpoll_enabled and self.longpoll_events.get(kind):
            self.events.append(event)
            self._pushed.set()
        return event

    def event(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        """An event for the Callback API (not queued for long poll)."""
        return {"type": kind, "object": obj, "group_id": self.group_id, "event_id": f"ev{next(self._event_ids)}",
                "v": "5.199"}

    def private(self, from_id: int, text: str, payload: dict[str, Any] | None = None,
                message_id: int | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {
            "id": message_id or next(self._ids), "date": int(time.time()), "peer_id": from_id, "from_id": from_id,
            "text": text, "out": 0, "attachments": [], "conversation_message_id": next(self._ids),
        }
        if payload is not None:
            message["payload"] = json.dumps(payload)
        return {"message": message, "client_info": {"keyboard": True, "inline_keyboard": True}}

    def _outgoing(self, message_id: int, peer: int, text: str, admin: int | None) -> None:
        message: dict[str, Any] = {"id": message_id, "date": int(time.time()), "peer_id": peer,
                                   "from_id": -self.group_id, "text": text, "out": 1, "attachments": [],
                                   "conversation_message_id": next(self._ids)}
        if admin is not None:
            message["admin_author_id"] = admin
        self.push("message_reply", message)

    def manager_reply(self, peer: int, admin: int, text: str) -> int:
        """A community manager answers a customer by hand in VK's own interface; returns the message id."""
        message_id = next(self._ids)
        self.messages.append({"id": message_id, "peer_id": peer, "text": text, "random_id": 0, "keyboard": None,
                              "admin": admin})
        self._outgoing(message_id, peer, text, admin)
        return message_id

    def wall_comment(self, from_id: int, text: str, post_id: int = 77, comment_id: int | None = None,
                     reply_to_comment: int | None = None, parents_stack: list[int] | None = None) -> dict[str, Any]:
        obj: dict[str, Any] = {
            "id": comment_id or next(self._ids), "from_id": from_id, "date": int(time.time()), "text": text,
            "post_owner_id": -self.group_id, "owner_id": -self.group_id, "post_id": post_id,
            "parents_stack": parents_stack or [],
        }
        if reply_to_comment:
            obj["reply_to_comment"] = reply_to_comment
        self._wall_posts[int(obj["id"])] = post_id
        return obj

    def delete_wall_comment(self, comment_id: int, deleter: int) -> None:
        """A comment under a wall post deleted (by its author, a manager, or the community through the API): VK
        sends wall_reply_delete."""
        self.push("wall_reply_delete", {"owner_id": -self.group_id, "id": comment_id, "deleter_id": deleter,
                                        "post_id": self._wall_posts.get(comment_id, 0)})

    def like(self, liker: int, comment_id: int, liked: bool = True) -> None:
        """Someone likes a comment under a community wall post (or takes the like back): VK sends like_add /
        like_remove with the liked object and its post."""
        self.push("like_add" if liked else "like_remove", {
            "liker_id": liker, "object_type": "comment", "object_owner_id": -self.group_id, "object_id": comment_id,
            "post_id": self._wall_posts.get(comment_id, 0), "thread_reply_id": 0})

    def outside_post(self, from_id: int, text: str, owner_id: int | None = None, ago: float = 60.0,
                     views: int | None = None) -> dict[str, Any]:
        """A post on someone's wall (the author's own unless `owner_id`), `ago` seconds old, for newsfeed.search."""
        post: dict[str, Any] = {"id": next(self._ids), "owner_id": owner_id if owner_id is not None else from_id,
                                "from_id": from_id, "date": int(time.time() - ago), "text": text, "post_type": "post"}
        if views is not None:
            post["views"] = {"count": views}
        self.posts.append(post)
        return post

    def calls_of(self, method: str, ok_only: bool = True) -> list[Call]:
        return [c for c in self.calls if c.method == method and not (ok_only and c.error)]

    async def post_callback(self, url: str, event: dict[str, Any], secret: str | None = None) -> tuple[int, str]:
        body = dict(event)
        if secret is not None:
            body["secret"] = secret
        async with aiohttp.ClientSession() as http, http.post(url, json=body) as resp:
            return resp.status, await resp.text()

    # -- API methods -----------------------------------------------------------------------

    async def _method(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        params = {k: str(v) for k, v in (await request.post()).items()}
        call = Call(name, params, time.monotonic())
        self.calls.append(call)
        if params.get("access_token") not in self.tokens | self.search_tokens:
            return self._error(call, 5)
        for key in (name, "*"):
            queue = self._errors.get(key)
            if queue:
                return self._error(call, queue.popleft())
        handler = getattr(self, "_m_" + name.replace(".", "_"), None)
        if handler is None:
            return self._error(call, 3)
        try:
            result = handler(params)
        except _ApiFailure as exc:
            return self._error(call, exc.code)
        return web.json_response({"response": result})

    def _error(self, call: Call, code: int) -> web.Response:
        call.error = code
        params = [{"key": k, "value": v} for k, v in call.params.items() if k != "access_token"]
        return web.json_response({"error": {"error_code": code, "error_msg": ERROR_TEXT.get(code, "Unknown method"),
                                             "request_params": params}})

    def _m_groups_getLongPollSettings(self, p: dict[str, str]) -> Any:
        return {"is_enabled": self.longpoll_enabled, "api_version": "5.199", "events": dict(self.longpoll_events)}

    def _m_groups_setLongPollSettings(self, p: dict[str, str]) -> Any:
        if "enabled" in p:
            self.longpoll_enabled = p["enabled"] == "1"
        for key, value in p.items():
            if key not in ("group_id", "enabled", "api_version", "access_token", "v"):
                self.longpoll_events[key] = int(value)
        return 1

    def _m_groups_getTokenPermissions(self, p: dict[str, str]) -> Any:
        if p.get("access_token") not in self.tokens:
            raise _ApiFailure(27)
        permissions = [{"setting": TOKEN_RIGHTS[name], "name": name} for name in self.token_rights]
        return {"mask": sum(TOKEN_RIGHTS[name] for name in self.token_rights), "permissions": permissions}

    def _m_groups_getCallbackServers(self, p: dict[str, str]) -> Any:
        return {"count": len(self.callback_servers), "items": self.callback_servers}

    def _m_groups_getCallbackSettings(self, p: dict[str, str]) -> Any:
        return {"api_version": "5.199", "events": self.callback_events.get(int(p["server_id"]), {})}

    def _m_groups_getMembers(self, p: dict[str, str]) -> Any:
        if p.get("filter") != "managers":
            raise _ApiFailure(100)
        items = [{"id": uid, "role": "editor"} for uid in sorted(self.managers)]
        return {"count": len(items), "items": items}

    def _m_groups_getById(self, p: dict[str, str]) -> Any:
        other = int(p.get("group_id") or self.group_id)
        if other in self.communities:  # another community (one commenting on the brand's wall)
            return {"groups": [{"id": other, "name": self.communities[other], "type": "page"}], "profiles": []}
        group: dict[str, Any] = {"id": self.group_id, "name": "Volna", "screen_name": "volna", "type": "group"}
        if "members_count" in p.get("fields", "").split(",") and self.members_count is not None:
            group["members_count"] = self.members_count
        return {"groups": [group], "profiles": []}

    def _m_wall_getById(self, p: dict[str, str]) -> Any:
        items = []
        for ref in p.get("posts", "").split(","):
            owner, _, post = ref.partition("_")
            if int(owner) == -self.group_id and int(post) in self.post_views:
                items.append({"id": int(post), "owner_id": -self.group_id, "from_id": -self.group_id,
                              "text": "", "views": {"count": self.post_views[int(post)]}})
        return {"items": items}

    def _m_newsfeed_search(self, p: dict[str, str]) -> Any:
        """As VK's search: loose (a post sharing the first four letters of a query's word is found, "волна" finds
        sea waves too), newest first, within start_time and end_time, `count` a page, `next_from` for the next."""
        if p.get("access_token") not in self.search_tokens:
            raise _ApiFailure(27)
        stems = [word[:4] for word in p.get("q", "").casefold().split()]
        start, end = int(p.get("start_time", time.time() - 86400)), int(p.get("end_time", time.time()))
        found = sorted((post for post in self.posts if start <= post["date"] <= end
                        and any(stem in post["text"].casefold() for stem in stems)), key=lambda post: -post["date"])
        offset, count = int(p.get("start_from", 0)), int(p.get("count", 30))
        page = found[offset:offset + count]
        answer: dict[str, Any] = {"items": page, "count": len(page), "total_count": len(found)}
        if offset + count < len(found):
            answer["next_from"] = str(offset + count)
        if p.get("extended") == "1":
            answer["profiles"] = [{"id": uid, "first_name": self.users.get(uid, (f"User{uid}", ""))[0],
                                   "last_name": self.users.get(uid, ("", "Testov"))[1]}
                                  for uid in sorted({post["from_id"] for post in page if post["from_id"] > 0})]
            answer["groups"] = [{"id": -gid, "name": f"Community {-gid}"}
                                for gid in sorted({post["from_id"] for post in page if post["from_id"] < 0})]
        return answer

    def _m_groups_getLongPollServer(self, p: dict[str, str]) -> Any:
        if int(p.get("group_id", 0)) != self.group_id:
            raise _ApiFailure(100)
        return {"key": self.key, "server": f"{self.url}/lp/{self.group_id}", "ts": str(len(self.events))}

    def _m_users_get(self, p: dict[str, str]) -> Any:
        ids = [int(x) for x in p.get("user_ids", "").split(",") if x]
        out = []
        fields = set(p.get("fields", "").split(","))
        for uid in ids:
            first, last = self.users.get(uid, (f"User{uid}", "Testov"))
            profile = {"has_photo": 1, "followers_count": 120, "is_closed": False, **self.profiles.get(uid, {})}
            user = {"id": uid, "first_name": first, "last_name": last, "can_access_closed": True,
                    "is_closed": profile["is_closed"]}
            user.update({k: v for k, v in profile.items() if k in fields or k == "deactivated"})
            out.append(user)
        return out

    def _m_messages_send(self, p: dict[str, str]) -> Any:
        if "random_id" not in p:
            raise _ApiFailure(100)
        peer = int(p.get("peer_id") or p.get("user_id") or 0)
        if peer in self.blocked:
            raise _ApiFailure(901)
        key = (peer, int(p["random_id"]))
        if key in self._random_ids:
            return self._random_ids[key]
        message_id = next(self._ids)
        self._random_ids[key] = message_id
        keyboard = json.loads(p["keyboard"]) if "keyboard" in p else None
        self.messages.append({"id": message_id, "peer_id": peer, "text": p.get("message", ""),
                              "random_id": key[1], "keyboard": keyboard})
        self._outgoing(message_id, peer, p.get("message", ""), None)
        return message_id

    def _comment(self, method: str, p: dict[str, str], object_field: str) -> int:
        if not p.get("message"):
            raise _ApiFailure(100)
        guid = p.get("guid")
        if guid and guid in self._guids:
            return self._guids[guid]
        comment_id = next(self._ids)
        if guid:
            self._guids[guid] = comment_id
        self.comments.append({
            "method": method, "id": comment_id, "owner_id": int(p.get("owner_id") or -int(p.get("group_id", 0))),
            "object_id": int(p[object_field]), "text": p["message"],
            "reply_to_comment": int(p["reply_to_comment"]) if "reply_to_comment" in p else None,
            "from_group": p.get("from_group"),
        })
        if method == "wall.createComment":  # as VK does: the community's comment comes back as an event
            obj = self.wall_comment(-self.group_id, p["message"], post_id=int(p["post_id"]), comment_id=comment_id,
                                    reply_to_comment=int(p["reply_to_comment"]) if "reply_to_comment" in p else None)
            self.push("wall_reply_new", obj)
        return comment_id

    def community_comment(self, text: str, post_id: int, reply_to_comment: int | None) -> int:
        """A manager answers a comment in the community's name, on vk.com; returns the comment id."""
        comment_id = next(self._ids)
        self.comments.append({"method": "manual", "id": comment_id, "owner_id": -self.group_id, "object_id": post_id,
                              "text": text, "reply_to_comment": reply_to_comment, "from_group": str(self.group_id)})
        self.push("wall_reply_new", self.wall_comment(-self.group_id, text, post_id=post_id, comment_id=comment_id,
                                                      reply_to_comment=reply_to_comment))
        return comment_id

    def _m_wall_createComment(self, p: dict[str, str]) -> Any:
        return {"comment_id": self._comment("wall.createComment", p, "post_id"), "parents_stack": []}

    def _m_photos_createComment(self, p: dict[str, str]) -> Any:
        return self._comment("photos.createComment", p, "photo_id")

    def _m_video_createComment(self, p: dict[str, str]) -> Any:
        return self._comment("video.createComment", p, "video_id")

    def _m_board_createComment(self, p: dict[str, str]) -> Any:
        return self._comment("board.createComment", p, "topic_id")

    def _m_market_createComment(self, p: dict[str, str]) -> Any:
        return self._comment("market.createComment", p, "item_id")

    def _delete(self, method: str, p: dict[str, str]) -> int:
        if "comment_id" not in p:
            raise _ApiFailure(100)
        self.deleted.append({"method": method, **{k: v for k, v in p.items() if k not in ("access_token", "v")}})
        if method == "wall.deleteComment" and int(p["comment_id"]) in self._wall_posts:
            self.delete_wall_comment(int(p["comment_id"]), -self.group_id)  # deleted by the community itself
        return 1

    def _m_wall_delete(self, p: dict[str, str]) -> Any:
        if "post_id" not in p:
            raise _ApiFailure(100)
        self.deleted.append({"method": "wall.delete", **{k: v for k, v in p.items() if k not in ("access_token", "v")}})
        return 1

    def _m_wall_deleteComment(self, p: dict[str, str]) -> Any:
        return self._delete("wall.deleteComment", p)

    def _m_photos_deleteComment(self, p: dict[str, str]) -> Any:
        return self._delete("photos.deleteComment", p)

    def _m_video_deleteComment(self, p: dict[str, str]) -> Any:
        return self._delete("video.deleteComment", p)

    def _m_board_deleteComment(self, p: dict[str, str]) -> Any:
        return self._delete("board.deleteComment", p)

    def _m_market_deleteComment(self, p: dict[str, str]) -> Any:
        return self._delete("market.deleteComment", p)

    def _restore(self, method: str, p: dict[str, str]) -> int:
        if "comment_id" not in p:
            raise _ApiFailure(100)
        self.restored.append({"method": method, **{k: v for k, v in p.items() if k not in ("access_token", "v")}})
        comment_id = int(p["comment_id"])
        original = next((e["object"] for e in self.events if e["type"] == "wall_reply_new"
                         and e["object"]["id"] == comment_id), None)
        if method == "wall.restoreComment" and original is not None:  # as VK does: the event follows
            self.push("wall_reply_restore", original)
        return 1

    def _m_wall_restoreComment(self, p: dict[str, str]) -> Any:
        return self._restore("wall.restoreComment", p)

    def _m_photos_restoreComment(self, p: dict[str, str]) -> Any:
        return self._restore("photos.restoreComment", p)

    def _m_video_restoreComment(self, p: dict[str, str]) -> Any:
        return self._restore("video.restoreComment", p)

    def _m_board_restoreComment(self, p: dict[str, str]) -> Any:
        return self._restore("board.restoreComment", p)

    def _m_market_restoreComment(self, p: dict[str, str]) -> Any:
        return self._restore("market.restoreComment", p)

    # -- Bots Long Poll --------------------------------------------------------------------

    async def _longpoll(self, request: web.Request) -> web.Response:
        q = dict(request.query)
        self.lp_requests.append(q)
        if q.get("act") != "a_check":
            return web.json_response({"failed": 2})
        if self._lp_failures:
            code = self._lp_failures.popleft()
            if code == 1:
                return web.json_response({"failed": 1, "ts": str(len(self.events))})
            return web.json_response({"failed": code})
        if q.get("key") != self.key:
            return web.json_response({"failed": 2})
        try:
            ts = int(q.get("ts", ""))
        except ValueError:
            return web.json_response({"failed": 1, "ts": str(len(self.events))})
        if ts > len(self.events):
            return web.json_response({"failed": 1, "ts": str(len(self.events))})
        if ts == len(self.events) and not self._stopping:
            self._pushed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._pushed.wait(), float(q.get("wait", "25")))
        return web.json_response({"ts": str(len(self.events)), "updates": self.events[ts:]})


class _ApiFailure(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class _Rewrite(HTTPAdapter):
    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        url = request.url or ""
        for host in ("https://api.vk.ru", "https://api.vk.com"):
            if url.startswith(host):
                request.url = self.base + url[len(host):]
        return super().send(request, *args, **kwargs)
