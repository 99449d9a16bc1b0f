"""`smm-responder check --online`, VK's part: asks VK what the brand's tokens can do before the bot starts.

A community token revoked or made for another community, a token without the right to the community's messages
or to manage it (hiding abuse, restoring a comment, reading the event settings), Callback API servers that are
not sent the event types the bot reads, a search token that cannot search: each is found at the first customer's
message otherwise, or never (a forgotten event type loses those messages silently). Only reading methods are
called: nothing is sent, nothing is changed (at start, the bot turns on Bots Long Poll's event types itself).
"""

from __future__ import annotations

from typing import Any

from bot.config import VkSettings
from bot.preflight import Finding
from bot.vk.client import AUTH_FAILED, VkClient, VkError
from bot.vk.events import events_off

NEEDED_RIGHTS = {
    "messages": "customers' private messages",
    "manage": "hiding abuse, restoring comments, the community's event settings",
}
SEARCH_FORBIDDEN = 27  # a community's token cannot search


async def vk_findings(brand: str, settings: VkSettings) -> list[Finding]:
    """What VK says of the brand's community token (the community it belongs to, its rights, the event types
    sent to the bot) and of its search token (`monitor`). Nothing for a token not set (the offline check says
    so)."""
    found: list[Finding] = []
    token = settings.token()
    if token:
        client = VkClient(token, api_url=settings.api_url, too_many_retries=1)
        try:
            found += await _community(client, f"brand {brand}: VK community {settings.group_id}", settings)
        finally:
            client.close()
    search_token = settings.monitor_token()
    if settings.monitor and search_token:
        client = VkClient(search_token, api_url=settings.api_url, too_many_retries=1)
        try:
            found.append(await _search(client, f"brand {brand}: VK search token ${settings.monitor_token_env}",
                                       settings.monitor[0]))
        finally:
            client.close()
    return found


async def _community(client: VkClient, name: str, settings: VkSettings) -> list[Finding]:
    try:
        answer = await client.call("groups.getById", group_id=settings.group_id)
    except VkError as exc:
        if exc.code == AUTH_FAILED:
            return [Finding(False, f"{name}: VK rejects the token in ${settings.token_env} (revoked or mistyped): "
                                   "create a new community token")]
        return [Finding(False, f"{name}: VK could not be asked about the community: {exc}")]
    groups = answer.get("groups", []) if isinstance(answer, dict) else answer
    group = groups[0] if isinstance(groups, list) and groups and isinstance(groups[0], dict) else {}
    if int(group.get("id", settings.group_id)) != settings.group_id:
        return [Finding(False, f"{name}: the token in ${settings.token_env} belongs to community {group.get('id')}")]
    found = [Finding(True, f"{name} ({group.get('name', '?')}): VK accepts the token")]
    found += await _rights(client, name)
    found.append(await (_longpoll(client, name, settings.group_id) if settings.mode == "longpoll"
                        else _callback(client, name, settings.group_id)))
    return found


async def _rights(client: VkClient, name: str) -> list[Finding]:
    try:
        answer = await client.call("groups.getTokenPermissions")
    except VkError as exc:
        return [Finding(False, f"{name}: the token's rights could not be read: {exc}")]
    permissions = answer.get("permissions") if isinstance(answer, dict) else None
    if not isinstance(permissions, list):
        return [Finding(False, f"{name}: the token's rights could not be read: {answer!r}")]
    has = {str(p.get("name")) for p in permissions if isinstance(p, dict)}
    missing = [right for right in NEEDED_RIGHTS if right not in has]
    if missing:
        return [Finding(False, f"{name}: the token lacks the right to {right} ({NEEDED_RIGHTS[right]}): create a "
                               "token with it (Manage -> API usage -> Access tokens)") for right in missing]
    return [Finding(True, f"{name}: the token has the rights to {', '.join(NEEDED_RIGHTS)}")]


async def _longpoll(client: VkClient, name: str, group_id: int) -> Finding:
    try:
        current = await client.call("groups.getLongPollSettings", group_id=group_id)
    except VkError as exc:
        return Finding(False, f"{name}: the Long Poll settings could not be read: {exc}")
    off = events_off(current)
    enabled = isinstance(current, dict) and bool(current.get("is_enabled"))
    if enabled and not off:
        return Finding(True, f"{name}: Bots Long Poll on, with every event type the bot reads")
    return Finding(True, f"{name}: Bots Long Poll {'on' if enabled else 'off'}"
                         + (f", {len(off)} event types the bot reads off ({', '.join(off)})" if off else "")
                         + ": the bot turns them on when it starts")


async def _callback(client: VkClient, name: str, group_id: int) -> Finding:
    try:
        answer = await client.call("groups.getCallbackServers", group_id=group_id)
        items = answer.get("items") if isinstance(answer, dict) else None
        servers = [s for s in items if isinstance(s, dict)] if isinstance(items, list) else []
        off_by_server: list[tuple[dict[str, Any], list[str]]] = []
        for server in servers:
            off_by_server.append((server, events_off(await client.call(
                "groups.getCallbackSettings", group_id=group_id, server_id=server.get("id")))))
    except VkError as exc:
        return Finding(False, f"{name}: the Callback API settings could not be read: {exc}")
    if not servers:
        return Finding(False, f"{name}: no Callback API server: add the bot's address (Manage -> API usage -> "
                              "Callback API)")
    complete = [server for server, off in off_by_server if not off]
    if complete:
        return Finding(True, f"{name}: Callback API server {_server(complete[0])} is sent every event type the bot "
                             "reads")
    server, off = off_by_server[0]
    return Finding(False, f"{name}: no Callback API server is sent every event type the bot reads; "
                          f"{_server(server)} lacks {', '.join(off)} (Manage -> API usage -> Callback API -> "
                          "Event types)")


def _server(server: dict[str, Any]) -> str:
    return f"{server.get('title', '')!r} ({server.get('url', '')})"


async def _search(client: VkClient, name: str, query: str) -> Finding:
    try:
        await client.call("newsfeed.search", q=query, count=1)
    except VkError as exc:
        if exc.code == SEARCH_FORBIDDEN:
            return Finding(False, f"{name}: a community's token cannot search; set a user's or an app's service "
                                  "token")
        if exc.code == AUTH_FAILED:
            return Finding(False, f"{name}: VK rejects the token (revoked or mistyped)")
        return Finding(False, f"{name}: the search could not be tried: {exc}")
    return Finding(True, f"{name}: searching works")
