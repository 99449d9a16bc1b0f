"""The VK API for one community token: vk_api (synchronous) run off the event loop, rate limited.

Every call runs in the community's own single worker thread, so calls are queued in order and never
dropped, the event loop never blocks, and at most `rate` requests leave per second. Error 6 (too many
requests) is retried here a few times with a back-off before it reaches the caller as a VkError.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests
import vk_api
from requests.adapters import HTTPAdapter

log = logging.getLogger(__name__)

API_VERSION = "5.199"
DEFAULT_API_URL = "https://api.vk.ru"
# vk_api 11.x posts every method to https://api.vk.ru/method/...; older releases used api.vk.com.
VK_HOSTS = ("https://api.vk.ru", "https://api.vk.com")

TOO_MANY_REQUESTS = 6
AUTH_FAILED = 5
CANNOT_MESSAGE = 901


class VkError(Exception):
    """An error answered by the VK API (code and message), or a transport failure (code -1)."""

    def __init__(self, method: str, code: int, message: str) -> None:
        super().__init__(f"{method}: VK error {code}: {message}")
        self.method = method
        self.code = code
        self.message = message


class ApiUrlAdapter(HTTPAdapter):
    """Sends requests for the public VK API hosts to another base URL (a proxy, a test server)."""

    def __init__(self, base_url: str, hosts: tuple[str, ...] = VK_HOSTS) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.hosts = hosts

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        url = request.url or ""
        for host in self.hosts:
            if url.startswith(host + "/"):
                request.url = self.base_url + url[len(host):]
                break
        return super().send(request, *args, **kwargs)


def api_session(api_url: str = DEFAULT_API_URL) -> requests.Session:
    """A requests session for vk_api; a non-default api_url reroutes the VK API hosts to it."""
    session = requests.Session()
    session.headers["User-Agent"] = "smm-responder"
    if api_url.rstrip("/") != DEFAULT_API_URL:
        adapter = ApiUrlAdapter(api_url)
        for host in VK_HOSTS:
            session.mount(host + "/", adapter)
    return session


class RateLimit:
    """At most `rate` calls per `per` seconds; callers wait (in the worker thread) instead of failing.

    A call may start only when the call `rate` places before it has *finished* at least `per`
    seconds ago, so even the server's arrival times never show more than `rate` per window.
    """

    def __init__(self, rate: int, per: float = 1.0) -> None:
        self.rate = rate
        self.per = per
        self._done: deque[float] = deque(maxlen=rate)
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            if len(self._done) == self.rate:
                delay = self._done[0] + self.per - time.monotonic()
                if delay > 0:
                    time.sleep(delay)

    def finished(self) -> None:
        with self._lock:
            self._done.append(time.monotonic())


class VkClient:
    """One community token's API access."""

    def __init__(
        self, token: str, *, api_url: str = DEFAULT_API_URL, session: requests.Session | None = None,
        rate: int = 20, too_many_retries: int = 3, too_many_backoff: float = 0.5,
    ) -> None:
        self.session = session or api_session(api_url)
        self.vk = vk_api.VkApi(token=token, session=self.session, api_version=API_VERSION)
        self.vk.RPS_DELAY = 0.0  # our RateLimit replaces vk_api's 3 requests/s user-token pacing
        # vk_api sleeps and retries error 6 forever inside the call; we back off ourselves.
        self.vk.error_handlers.pop(TOO_MANY_REQUESTS, None)
        self.limit = RateLimit(rate)
        self.too_many_retries = too_many_retries
        self.too_many_backoff = too_many_backoff
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vk-api")
        self.calls = 0

    def _call_sync(self, method: str, params: dict[str, Any]) -> Any:
        self.limit.wait()
        try:
            self.calls += 1
            return self.vk.method(method, params)
        except vk_api.ApiError as exc:
            raise VkError(method, int(exc.code), str(exc.error.get("error_msg", ""))) from None
        except vk_api.ApiHttpError as exc:
            raise VkError(method, -1, f"HTTP {exc.response.status_code}") from None
        except requests.RequestException as exc:
            raise VkError(method, -1, f"{type(exc).__name__}: {exc}") from None
        except ValueError as exc:  # a body that is not JSON
            raise VkError(method, -1, f"bad response: {exc}") from None
        finally:
            self.limit.finished()

    async def call(self, method: str, **params: Any) -> Any:
        """Call an API method; error 6 is retried with a back-off, other errors raise VkError."""
        clean = {k: v for k, v in params.items() if v is not None}
        loop = asyncio.get_running_loop()
        attempt = 0
        while True:
            try:
                return await loop.run_in_executor(self._executor, self._call_sync, method, clean)
            except VkError as exc:
                if exc.code != TOO_MANY_REQUESTS or attempt >= self.too_many_retries:
                    raise
                delay = self.too_many_backoff * 2 ** attempt
                attempt += 1
                log.warning("%s: too many requests, retrying in %.1fs", method, delay)
                await asyncio.sleep(delay)

    async def run_sync(self, fn: Callable[[], Any]) -> Any:
        """Run other blocking vk_api work in the same worker thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self.session.close()


PROFILE_FIELDS = "has_photo,followers_count"  # besides the name, is_closed and deactivated users.get always gives


def profile_of(user: dict[str, Any]) -> dict[str, Any]:
    """What a VK profile shows that tells an empty account (a paid one) from a person's: a photo, followers, a
    closed profile, a deleted or banned page."""
    return {"photo": bool(user.get("has_photo", 1)), "followers": user.get("followers_count"),
            "closed": bool(user.get("is_closed", False)), "deactivated": str(user.get("deactivated") or "")}


@dataclass(frozen=True)
class VkAccount:
    name: str
    profile: dict[str, Any]  # `profile_of`


class NameCache:
    """Customers' display names and profiles from users.get, cached; a failed lookup never blocks a message."""

    def __init__(self, client: VkClient, size: int = 10_000) -> None:
        self.client = client
        self.size = size
        self._accounts: dict[int, VkAccount] = {}

    async def name(self, user_id: int) -> str:
        account, _ = await self.account(user_id)
        return account.name if account is not None else ""

    async def account(self, user_id: int) -> tuple[VkAccount | None, bool]:
        """The user's name and profile, and whether they were just looked up (not cached); a community (a negative
        id: scammers comment as communities named like the brand's support) has its name and no profile; None when
        the lookup failed."""
        if user_id == 0:
            return None, False
        if user_id in self._accounts:
            return self._accounts[user_id], False
        try:
            if user_id < 0:
                answer = await self.client.call("groups.getById", group_id=str(-user_id))
                groups = answer.get("groups", []) if isinstance(answer, dict) else answer
                account = VkAccount(str(groups[0].get("name", "")) if groups else "", {})
            else:
                users = await self.client.call("users.get", user_ids=str(user_id), fields=PROFILE_FIELDS)
                first = users[0] if users else {}
                name = " ".join(p for p in (first.get("first_name", ""), first.get("last_name", "")) if p)
                account = VkAccount(name, profile_of(first) if first else {})  # {}: VK knows no such user
        except VkError as exc:
            log.warning("looking up VK account %d failed: %s", user_id, exc)
            return None, False
        if len(self._accounts) >= self.size:
            self._accounts.pop(next(iter(self._accounts)))
        self._accounts[user_id] = account
        return account, True
