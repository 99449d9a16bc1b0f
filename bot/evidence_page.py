"""A directed-negative campaign's evidence as people read it: practitioners expose the agents of a wave publicly, and
that takes a document, not JSON lines. Per campaign: the accounts with what their profiles showed (paid accounts are
typically empty: no photo, a couple of followers, a banned page) and their alike messages with times and links.
Markdown here; `bot.report_html` makes it the page the forum's campaign topic and `evidence --format html` give."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.permalinks import permalink, profile_link
from bot.report_html import table_cell
from bot.storage import Storage
from handlers.support_hours import local_moment
from handlers.texts import label

TEXT_CHARS = 500  # of each message shown (the stored evidence keeps all)


def account_signs(profile: dict[str, Any], language: str) -> list[str]:
    """A profile's signs (`bot.vk.client.profile_of`, `bot.telegram.accounts.profile_of`) as people read them:
    "no photo", "followers: 2", "no @username"... (none known: none)."""
    def t(key: str, **values: str) -> str:
        return label(key, language).format(**values)

    signs = [] if profile.get("photo", True) else [t("account_no_photo")]
    if not profile.get("photo_visible", True):
        signs.append(t("account_no_photo_visible"))
    if not profile.get("username", True):
        signs.append(t("account_no_username"))
    if profile.get("followers") is not None:
        signs.append(t("account_followers", n=str(profile["followers"])))
    if profile.get("closed"):
        signs.append(t("account_closed"))
    if profile.get("deactivated") in ("deleted", "banned"):
        signs.append(t(f"account_{profile['deactivated']}"))
    return signs


async def impersonators(storage: Storage, brand: str, since: datetime) -> list[dict[str, Any]]:
    """`evidence`: each account that posed as the brand's support (handlers.spam), with its profile's address and
    its comments (text, when, where, hidden or left up, whom it answered): what a report to the platform needs."""
    accounts: dict[tuple[str, str], dict[str, Any]] = {}
    for m in await storage.impersonations(brand, since):
        account = accounts.setdefault((m["platform"], m["author_id"]), {
            "impersonator": {"platform": m["platform"], "author_id": m["author_id"], "name": m["author_name"],
                             "profile": profile_link(m["platform"], m["author_id"])}, "messages": []})
        account["messages"].append({
            "text": m["text"], "at": m["at"], "hidden": m["reason"] == "impersonation", "answered": m["victim"],
            "link": permalink(m["platform"], m["chat_id"], m["platform_message_id"], m["thread_id"])})
    return list(accounts.values())



def evidence_markdown(brand: str, campaigns: list[dict[str, Any]], language: str, zone: ZoneInfo,
                      posing: list[dict[str, Any]] | None = None) -> str:
    """The campaigns (`Storage.campaigns`) of a brand as one document in `language`, moments on the brand's clock;
    and the accounts that posed as its support (`impersonators`), to report to the platform."""
    def t(key: str, **values: Any) -> str:
        return label(key, language).format(**{k: str(v) for k, v in values.items()})

    lines = [t("evidence_title", brand=brand), "", t("evidence_intro"), ""]
    for campaign in campaigns:
        messages = campaign["messages"]
        lines += [t("evidence_campaign", n=campaign["campaign"], accounts=campaign["accounts"],
                    messages=len(messages), since=local_moment(campaign["detected_at"], zone)), "",
                  t("evidence_accounts_head"), "|---|---|---|"]
        per_author = Counter(m["author_id"] for m in messages)
        seen: set[str] = set()
        for m in messages:
            if m["author_id"] in seen:
                continue
            seen.add(m["author_id"])
            who = table_cell(m["author_name"] or m["author_id"])
            profile = profile_link(m["platform"], m["author_id"])
            signs = " · ".join(account_signs(m.get("account") or {}, language)) or "—"
            lines.append(f"| {who} ({m['platform']} {profile or m['author_id']}) | {table_cell(signs)} | "
                         f"{per_author[m['author_id']]} |")
        lines += ["", t("evidence_messages_head"), ""]
        for m in messages:
            link = permalink(m["platform"], m["chat_id"], m["platform_message_id"], m["thread_id"])
            lines.append(f"- {local_moment(m['at'], zone)} · {table_cell(m['author_name'] or m['author_id'])}: "
                         f"«{table_cell(m['text'][:TEXT_CHARS])}»" + (f" {link}" if link else ""))
        lines.append("")
    if not campaigns:
        lines += [t("evidence_none"), ""]
    if posing:
        lines += [t("evidence_impersonators"), ""]
        for account in posing:
            who = account["impersonator"]
            lines += [f"### {' '.join((who['name'] or who['author_id']).split())} ({who['platform']} "
                      f"{who['profile'] or who['author_id']})", ""]
            lines += [f"- {local_moment(m['at'], zone)}: «{table_cell(m['text'][:TEXT_CHARS])}»"
                      + (f" {m['link']}" if m["link"] else "") for m in account["messages"]]
            lines.append("")
    return "\n".join(lines)
