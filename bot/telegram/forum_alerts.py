"""What concerns a brand's whole forum rather than one customer's thread: directed-negative campaigns (a topic
each, every message of the wave posted there as evidence, not a topic per paid account), abuse the bot left up
(one topic, each comment with a button that hides it), unhappy posts about the brand found outside its pages
(one topic, each with a button that marks it dealt with), negative surges (one alert in the General topic as each
starts, then as it doubles), every evening the day's figures and, once a week, what the argument base lacked
(`review --gaps`: its words and how many customers, then the entries to add as a file of drafts, as `review --gaps
--draft` writes them). Every post that quotes customers is recorded, so that `forget` can delete it."""

from __future__ import annotations

import asyncio
import html
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.desk import ModeratorDesk
from bot.evidence_page import account_signs, evidence_markdown
from bot.permalinks import outside_link, permalink, profile_link
from bot.pipeline import words_of
from bot.report import Period, last_month
from bot.report_html import report_html
from bot.review import Embed, find_gaps, gap_drafts
from bot.stats import brand_stats
from bot.storage import Storage
from bot.storage.company_questions import UNANSWERED_LISTED
from bot.telegram.company_chat import TO_COMPANY
from bot.telegram.forum_chat import ForumChat, desk_data, thread_gone
from handlers.outside_mentions import shared_post
from handlers.router import UNHAPPY
from handlers.support_hours import SupportHours
from handlers.texts import percent
from handlers.types import Platform

log = logging.getLogger(__name__)

CAMPAIGN_TEXT_CHARS = 1500  # of each campaign message shown in its topic (the evidence keeps all)
CAMPAIGN_RECOVERY = timedelta(days=1)  # campaigns this recent get their missed posts on recovery
ABUSE_RECOVERY = timedelta(days=1)  # abuse the bot left up this recently is posted if a failure left it out
ABUSE_GROUPED = timedelta(hours=1)  # a troll's comments this close after their first post join it
ABUSE_GROUPED_MAX = 10  # comments in one such post at most (Telegram's 4,096 characters)
ABUSE_TEXT_CHARS = 300  # of each comment shown in such a post
OUTSIDE_RECOVERY = timedelta(days=1)  # and posts about the brand found outside its pages this recently
# found posts shown at a time: a scandal's hundreds would hold the forum's rate limit (about 20 posts a minute)
# while customers' threads wait to be opened; the rest follow at the next recoveries, a minute apart
OUTSIDE_AT_ONCE = 5
SURGE_RECOVERY = timedelta(days=1)  # surges this recent get their missed alerts on recovery
SURGE_TEXT_CHARS = 300  # of each customer's message quoted in a surge alert
SPAM_AT_ONCE = 5  # of what the bot took for spam, shown a recovery (a minute) at a time
GAPS_EVERY = timedelta(days=7)  # how often the forum hears what the argument base lacked, over that time
GAPS_SHOWN = 5  # of those gaps, the most customers' few
MONTHLY_FROM = time(9, 0)  # on the month's first day, on the brand's clock: the last month's client report


def _author(item: dict[str, Any]) -> str:
    """Who wrote a customer's message or a found post, as HTML: their name, a link to their profile where the
    platform has one."""
    who = html.escape(item["author_name"] or item["author_id"])
    profile = profile_link(item["platform"], item["author_id"])
    return f'<a href="{html.escape(profile)}">{who}</a>' if profile else who


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


class BrandAlerts:
    """Campaign topics and surge alerts in one brand's forum."""

    def __init__(self, chat: ForumChat, storage: Storage, desk: ModeratorDesk,
                 names: frozenset[str] = frozenset(), daily_summary: time | None = None,
                 hours: SupportHours | None = None,
                 reply_deadline: Callable[[datetime], datetime] | None = None,
                 monthly_report: Callable[[Period], Awaitable[str]] | None = None, embed: Embed | None = None,
                 to_company: bool = False) -> None:
        """`names`: the stems of the brand's names (handlers.surge_words.name_stems), no gap's word;
        `daily_summary`: when, on the brand's clock, the day's figures are posted (None: never); `hours`: the
        brand's support hours (reaction times count working time); `reply_deadline`: when a person must have
        reacted to something found at a moment (BrandPolicy.reply_deadline; default an hour on);
        `monthly_report`: the brand's client report of a period in Markdown (bot.report; None: none posted);
        `embed`: the encoder's sentence embeddings, which join the drafts of one question asked in several
        languages (bot.review.gap_drafts); `to_company`: the brand has the company's chat (the monthly report's
        post offers to send it there)."""
        self.chat = chat
        self.storage = storage
        self.desk = desk
        self.names = names
        self.daily_summary = daily_summary
        self.hours = hours
        self.reply_deadline = reply_deadline or (lambda start: start + timedelta(hours=1))
        self.monthly_report = monthly_report
        self.embed = embed
        self.to_company = to_company
        self._campaign_lock = asyncio.Lock()
        self._surge_lock = asyncio.Lock()
        self._abuse_lock = asyncio.Lock()
        self._outside_lock = asyncio.Lock()

    async def recover(self, now: datetime) -> int:
        """Post what a stopped process or a Telegram failure left out, and what is due (the week's gaps, the
        evening's figures); returns how many campaigns, abuse posts, surges, digests."""
        campaigns = await self.storage.campaigns_not_shown(self.desk.brand, now - CAMPAIGN_RECOVERY)
        for campaign_id in campaigns:
            await self.show_campaign(campaign_id)
        shown = (await self.show_abuse(now) + await self.show_impersonations(now) + await self.show_spam(now)
                 + await self.show_outside(now)
                 + await self.remind_outside(now)
                 + await self.show_surges(now) + await self.show_gaps(now))
        return len(campaigns) + shown + await self.show_day(now) + await self.show_month(now)

    # -- the day's figures (bot.stats), every evening ------------------------------------------------------

    async def show_day(self, now: datetime) -> int:
        """Once a day, once the brand's clock passes `daily_summary`: the last 24 hours' figures in the General
        topic (what an SMM manager checks before leaving the page for the night); returns 1 when posted."""
        if self.daily_summary is None:
            return 0
        local = now.astimezone(self.chat.zone)
        key = f"forum:{self.desk.brand}:day_shown"
        if local.time() < self.daily_summary or await self.storage.get_state(key) == local.date().isoformat():
            return 0
        figures = await brand_stats(self.storage, self.desk.brand, days=1, now=now, hours=self.hours)
        waiting = [card for card in await self.desk.waiting() if card.awaiting_reply]
        t = self.chat.t
        median = figures.median_reaction_minutes
        lines = [t("day_summary", moment=self.chat.moment(now), mentions=str(figures.mentions),
                   answered=str(figures.answered_by_bot), handed_off=str(figures.handed_off),
                   hidden=str(figures.hidden + figures.hidden_by_moderators), waiting=str(len(waiting)),
                   overdue=str(sum(card.deadline is not None and datetime.fromisoformat(card.deadline) <= now
                                   for card in waiting)), within=str(figures.reactions_within_deadline),
                   reactions=str(figures.reactions_within_deadline + figures.reactions_late),
                   median="" if median is None else t("day_summary_median", minutes=str(round(median))),
                   satisfied="—" if figures.satisfied_share is None else
                   f"{percent(figures.satisfied_share, self.chat.language)} ({figures.ratings})",
                   ratio=_ratio(figures.positive_negative_ratio), previous=_ratio(figures.previous_ratio))]
        if figures.negative_surges:
            lines.append(t("day_summary_surges", n=str(figures.negative_surges)))
        if figures.directed_negative:
            unanswered = sum(c["unanswered"] for c in await self.desk.campaigns())
            lines.append(t("day_summary_directed", n=str(figures.directed_negative), unanswered=str(unanswered)))
        if figures.abuse_left_up:
            lines.append(t("day_summary_abuse", n=str(figures.abuse_left_up)))
        if figures.outside_mentions["found"]:
            lines.append(t("day_summary_outside", **{k: str(v) for k, v in figures.outside_mentions.items()}))
        if figures.spam["spam"] or figures.spam["impersonation"]:
            lines.append(t("day_summary_spam", **{k: str(v) for k, v in figures.spam.items()}))
        unanswered = await self.storage.company_questions_unanswered(self.desk.brand, now - UNANSWERED_LISTED)
        if unanswered:  # the company's answers hold customers up: chase them before the night
            lines.append(t("day_summary_company", n=str(len(unanswered)),
                           since=self.chat.moment(unanswered[0].asked_at)))
        await self.chat.send_general("\n".join(lines))  # (refused: tried again at the next recovery, a minute on)
        await self.storage.set_state(key, local.date().isoformat())
        return 1

    async def show_month(self, now: datetime) -> int:
        """Once a month, from MONTHLY_FROM on its first day (brand's clock), the last month's report for the
        agency's client (`smm-responder report --month`) as an HTML page in the General topic (it opens on any
        phone and prints to PDF), to check and send on (with the company's chat, a button sends it there); a month
        without a single mention (the bot started since) has none. Returns 1 when posted."""
        if self.monthly_report is None:
            return 0
        local = now.astimezone(self.chat.zone)
        period = last_month(now, self.chat.zone)
        month, key = str(period.month), f"forum:{self.desk.brand}:month_shown"
        if (local.day == 1 and local.time() < MONTHLY_FROM) or await self.storage.get_state(key) == month:
            return 0
        mentioned = await self.storage.mentioned_between(self.desk.brand, period.since, period.until)
        if mentioned:  # (refused by Telegram: tried again at the next recovery, a minute on)
            page = report_html(await self.monthly_report(period), self.chat.language)
            button = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(  # "fd:tocompany:202611"
                text=self.chat.t("month_to_company"), callback_data=desk_data(TO_COMPANY, int(month.replace("-", ""))),
            )]])
            await self.chat.send_general_file(f"report-{self.desk.brand}-{month}.html", page.encode(),
                                              self.chat.t("month_report", month=month, brand=self.desk.brand),
                                              button if self.to_company else None)
        await self.storage.set_state(key, month)
        return 1 if mentioned else 0

    # -- abuse the bot left up (`hide_toxic` off) ----------------------------------------------------------

    async def show_abuse(self, now: datetime) -> int:
        """Post the public comments the bot took for abuse and left up that the forum has not shown yet into the
        brand's abuse topic (opened on the first), each with a button that hides it; a troll's further comments
        within ABUSE_GROUPED join their first post (edited: the comments still up, a button that hides them all)
        rather than flood the topic. Returns how many comments were shown."""
        key = f"forum:{self.desk.brand}:abuse_shown_upto"
        async with self._abuse_lock:
            shown = int(await self.storage.get_state(key) or 0)
            found = await self.storage.abuse_left_up(self.desk.brand, now - ABUSE_RECOVERY, shown)
            for message in found:
                if not await self._join_abuse_post(message, now):
                    hide = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
                        text=self.chat.t("abuse_hide_button"),
                        callback_data=desk_data("hidemsg", message["message_id"]))]])
                    post = await self._post_in_topic("abuse", self._abuse_text(message), hide)
                    await self.storage.set_state(self._troll_key(message), json.dumps(
                        {"post": post.message_id, "since": now.isoformat(), "messages": [message["message_id"]]}))
                    await self.storage.save_forum_quotes(str(self.chat.chat_id), str(post.message_id),
                                                         [message["message_id"]])
                await self.storage.set_state(key, str(message["message_id"]))
            return len(found)

    async def show_impersonations(self, now: datetime) -> int:
        """Scammers posing as the brand's support the bot hid (handlers.spam), each once in the abuse topic: who,
        where, what they wrote, and the customer they answered (warned under their comment) with that customer's
        thread, for a person to check on them: they may have written to the scammer already. Returns how many."""
        key = f"forum:{self.desk.brand}:impersonation_shown_upto"
        async with self._abuse_lock:
            shown = int(await self.storage.get_state(key) or 0)
            found = await self.storage.impersonations(self.desk.brand, now - ABUSE_RECOVERY, shown, hidden_only=True)
            for message in found:
                lines = [html.escape(self.chat.t("abuse_impersonation_hidden")), self._evidence_text(message)]
                victim = (await self._thread_of(message["platform"], message["victim"])
                          if message["victim"] else None)
                if victim is not None:
                    lines.append(self.chat.t("abuse_impersonation_victim", thread=victim[0], state=victim[1]))
                post = await self._post_in_topic("abuse", "\n".join(lines), None)
                await self.storage.save_forum_quotes(str(self.chat.chat_id), str(post.message_id),
                                                     [message["message_id"]])
                await self.storage.set_state(key, str(message["message_id"]))
            return len(found)

    async def show_spam(self, now: datetime) -> int:
        """What the bot took for spam and nobody sees any more (public comments it hid, private messages it left
        unanswered), each once in the abuse topic with a button that says it is a customer's after all (a thread
        opens for a person; a VK comment comes back), SPAM_AT_ONCE a recovery: a spam wave's hundreds would hold
        the forum's rate limit. Returns how many were shown."""
        key = f"forum:{self.desk.brand}:spam_shown_upto"
        async with self._abuse_lock:
            shown = int(await self.storage.get_state(key) or 0)
            found = (await self.storage.spam_unseen(self.desk.brand, now - ABUSE_RECOVERY, shown))[:SPAM_AT_ONCE]
            for message in found:
                head = self.chat.t("spam_hidden" if message["public"] else "spam_private_unanswered")
                customer = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
                    text=self.chat.t("spam_customer_button"),
                    callback_data=desk_data("customer", message["message_id"]))]])
                post = await self._post_in_topic("abuse", f"{html.escape(head)}\n{self._evidence_text(message)}",
                                                 customer)
                await self.storage.save_forum_quotes(str(self.chat.chat_id), str(post.message_id),
                                                     [message["message_id"]])
                await self.storage.set_state(key, str(message["message_id"]))
            return len(found)

    def _troll_key(self, message: dict[str, Any]) -> str:
        return f"forum:{self.desk.brand}:{self.chat.chat_id}:abuse_by:{message['platform']}:{message['author_id']}"

    async def _join_abuse_post(self, message: dict[str, Any], now: datetime) -> bool:
        """Add an abusive comment to its author's post of the last ABUSE_GROUPED in the abuse topic, if there is
        one with room (ABUSE_GROUPED_MAX comments); False when it needs a post of its own."""
        known = await self.storage.get_state(self._troll_key(message))
        group = json.loads(known) if known else None
        if group is None or now - datetime.fromisoformat(group["since"]) >= ABUSE_GROUPED:
            return False
        ids = [*group["messages"], message["message_id"]]
        if len(ids) > ABUSE_GROUPED_MAX:
            return False
        still_up = [m for m in await self.storage.abuse_left_up(self.desk.brand, now - ABUSE_RECOVERY, 0)
                    if m["message_id"] in ids]
        if not still_up:
            return False
        hide_all = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
            text=self.chat.t("abuse_hide_all_button", n=str(len(still_up))),
            callback_data=desk_data("hideall", message["message_id"]))]])
        try:
            await self.chat.call(lambda: self.chat.bot.edit_message_text(
                text=self._troll_text(still_up), chat_id=self.chat.chat_id, message_id=int(group["post"]),
                parse_mode="HTML", reply_markup=hide_all))
        except TelegramBadRequest as exc:  # the post was deleted, or is too long: a new one
            log.info("brand %s: abuse post %s not extended: %s", self.desk.brand, group["post"], exc.message)
            return False
        await self.storage.set_state(self._troll_key(message), json.dumps({**group, "messages": ids}))
        await self.storage.save_forum_quotes(str(self.chat.chat_id), str(group["post"]), [message["message_id"]])
        return True

    def _troll_text(self, messages: list[dict[str, Any]]) -> str:
        """One author's abusive comments as one post: who (as `_evidence_text`), then each comment's when, where
        and text."""
        lines = [*self._taken_for(messages[0]), self._author_line(messages[0]),
                 html.escape(self.chat.t("abuse_comments", n=str(len(messages))))]
        lines += [f"• {self._when_where(m)}\n{html.escape(m['text'][:ABUSE_TEXT_CHARS])}" for m in messages]
        return "\n".join(lines)

    def _abuse_text(self, message: dict[str, Any]) -> str:
        """A comment left up as moderators read it: what it was taken for when not abuse, then as evidence."""
        return "\n".join([*self._taken_for(message), self._evidence_text(message)])

    def _taken_for(self, message: dict[str, Any]) -> list[str]:
        """A line saying a comment was taken for spam or an impersonation of the brand's support (none for abuse)."""
        key = {"spam_recorded": "abuse_spam", "impersonation_recorded": "abuse_impersonation"}.get(message["reason"])
        return [html.escape(self.chat.t(key))] if key else []

    async def tell_abuse_topic(self, text: str) -> None:
        """Plain text into the abuse topic (a hide pressed there that the platform refused)."""
        await self._post_in_topic("abuse", html.escape(text, quote=False), None)

    async def _post_in_topic(self, kind: str, text: str, markup: InlineKeyboardMarkup | None) -> Message:
        """Post into one of the brand's standing topics, "abuse" or "outside" (opened, with its introduction, on
        the first post; opened again when someone deleted it)."""
        key = f"forum:{self.desk.brand}:{self.chat.chat_id}:{kind}_topic"
        topic_id = await self.storage.get_state(key)
        for _ in range(2):
            if topic_id is None:
                topic = await self.chat.call(lambda: self.chat.bot.create_forum_topic(
                    self.chat.chat_id, self.chat.t(f"{kind}_topic")))
                topic_id = str(topic.message_thread_id)
                await self.storage.set_state(key, topic_id)
                await self.chat.send_to_topic(topic_id, self.chat.t(f"{kind}_intro"), as_html=False)
            try:
                return await self.chat.send_to_topic(topic_id, text, markup)
            except TelegramBadRequest as exc:
                if not thread_gone(exc):
                    raise
                log.warning("brand %s: the %s topic %s was deleted; recreating", self.desk.brand, kind, topic_id)
                topic_id = None
        raise RuntimeError(f"could not post to the {kind} topic of brand {self.desk.brand}")

    # -- unhappy posts about the brand outside its pages (bot.vk.monitor) ----------------------------------

    async def show_outside(self, now: datetime) -> int:
        """Post the unhappy mentions found outside the brand's pages that the forum has not shown yet (the oldest
        OUTSIDE_AT_ONCE), each with a button that marks it dealt with, into the brand's mentions topic; returns
        how many."""
        async with self._outside_lock:
            found = await self.storage.outside_mentions(self.desk.brand, now - OUTSIDE_RECOVERY, negative_at=UNHAPPY,
                                                        not_shown=True)
            found = found[:OUTSIDE_AT_ONCE]
            for mention in found:
                done = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
                    text=self.chat.t("outside_handled_button"), callback_data=desk_data("outside", mention["id"]))]])
                text = self._outside_text(mention) + await self._customer_of(mention)
                post = await self._post_in_topic("outside", text, done)
                await self.storage.outside_mention_shown(mention["id"], str(self.chat.chat_id), str(post.message_id))
            return len(found)

    async def remind_outside(self, now: datetime) -> int:
        """Once for each unhappy found post nobody has dealt with in the brand's reaction time (practitioners: a
        person reacts within the hour, as to a customer's thread): a reminder under its post in the mentions
        topic; returns how many."""
        reminded = 0
        async with self._outside_lock:
            for mention in await self.storage.outside_waiting(self.desk.brand, now - OUTSIDE_RECOVERY, UNHAPPY):
                found = datetime.fromisoformat(mention["found_at"])
                if mention["forum_chat"] != str(self.chat.chat_id) or self.reply_deadline(found) > now:
                    continue
                if reminded >= OUTSIDE_AT_ONCE:  # the rest at the next recovery, as for the posts themselves
                    break
                topic_id = await self.storage.get_state(f"forum:{self.desk.brand}:{self.chat.chat_id}:outside_topic")
                text = self.chat.t("outside_overdue", since=self.chat.moment(found))
                try:
                    if topic_id is not None:
                        await self.chat.send_to_topic(topic_id, text, as_html=False,
                                                      reply_to=int(mention["forum_post"]))
                except TelegramBadRequest as exc:  # the topic was deleted: its next post opens it again
                    log.info("brand %s: no reminder of found post %d: %s", self.desk.brand, mention["id"],
                             exc.message)
                await self.storage.outside_reminded(mention["id"])
                reminded += 1
        return reminded

    async def _customer_of(self, mention: dict[str, Any]) -> str:
        """A line saying the found post's author has written to the brand (their thread, its forum topic), or ""."""
        thread = await self._thread_of(mention["platform"], mention["author_id"])
        return "" if thread is None else "\n" + self.chat.t("outside_customer", thread=thread[0], state=thread[1])

    async def _thread_of(self, platform: str, author_id: str) -> tuple[str, str] | None:
        """A customer's thread with the brand as moderators read it: "#N" (linked to its topic in this forum, if it
        has one) and its state; None when they never wrote to the brand."""
        conversation = await self.storage.customer_conversation(self.desk.brand, Platform(platform), author_id)
        if conversation is None:
            return None
        topic = await self.storage.forum_topic(conversation.id)
        here = topic is not None and topic[0] == str(self.chat.chat_id)
        link = permalink(Platform.TELEGRAM, topic[0], topic[1]) if topic is not None and here else None
        thread = f"#{conversation.id}"
        return (f'<a href="{html.escape(link)}">{thread}</a>' if link else thread,
                self.chat.t(f"outside_state_{conversation.state}"))

    def _outside_text(self, mention: dict[str, Any]) -> str:
        """A found post as moderators read it: who, where (its link), when, how it reads, its views, the text."""
        e = html.escape
        who = _author(mention)
        link = outside_link(mention["platform"], mention["address"])
        where = f'<a href="{e(link)}">{e(link)}</a>' if link else e(mention["address"])
        views = self.chat.t("outside_views", n=str(mention["views"])) if mention["views"] is not None else ""
        shared = shared_post(mention["query"])
        shared_link = outside_link(mention["platform"], shared) if shared else None
        reading = (self.chat.t("outside_shared", negative=f"{mention['negative']:.2f}",
                               post=f'<a href="{e(shared_link)}">{e(shared_link)}</a>') if shared_link else
                   self.chat.t("outside_reading", negative=f"{mention['negative']:.2f}", query=e(mention["query"])))
        head = (f"{who} · {e(mention['platform'])} · {self.chat.moment(mention['posted_at'])} · {where}\n"
                + reading + (f" · {e(views)}" if views else ""))
        directed = f"\n{e(self.chat.t('outside_directed'))}" if mention["directed"] else ""
        return f"{head}{directed}\n{e(mention['text'][:CAMPAIGN_TEXT_CHARS])}"

    # -- what the argument base lacked (bot.review.gaps_in_the_base) ---------------------------------------

    async def show_gaps(self, now: datetime) -> int:
        """Once every GAPS_EVERY (counted from when the forum first ran): the period's gaps of the base, their
        words and customers, in the General topic, then those entries as drafts (`post_gaps`); returns 1 when
        posted (a period without gaps posts nothing)."""
        key = f"forum:{self.desk.brand}:gaps_shown_at"
        last = await self.storage.get_state(key)
        if last is not None and now - datetime.fromisoformat(last) < GAPS_EVERY:
            return 0
        # (a post Telegram refuses is tried again at the next recovery: the week is marked once posted)
        posted = last is not None and await self.post_gaps(GAPS_EVERY.days, now)
        await self.storage.set_state(key, now.isoformat())
        return 1 if posted else 0

    async def post_gaps(self, days: int, now: datetime) -> bool:
        """What the base lacked in the last `days` (at most GAPS_SHOWN words, their customers) in the General
        topic, followed by those entries as a file of drafts (bot.review.gap_drafts: the customers' messages as
        examples, the moderators' fullest replies as answers) for whoever keeps the base, recorded as quoting the
        customers' messages (`forget` deletes it); False when there was nothing to post (no gap, or no base)."""
        base = self.desk.argument_base() if self.desk.argument_base is not None else None
        if base is None:
            return False
        gaps = await find_gaps(self.storage, self.desk.brand, days, GAPS_SHOWN, self.names, words_of(base))
        if not gaps:
            return False
        lines = [self.chat.t("gaps_digest", days=str(days))]
        lines += [self.chat.t("gaps_digest_line", word=gap.word, customers=str(gap.customers)) for gap in gaps]
        lines.append(self.chat.t("gaps_digest_more", brand=self.desk.brand, days=str(days)))
        await self.chat.send_general("\n".join(lines))
        drafts = await gap_drafts(self.storage, self.desk.brand, gaps, base, days, embed=self.embed)
        post = await self.chat.send_general_file(f"gaps-{self.desk.brand}-{now.date().isoformat()}.yaml",
                                                 drafts.text.encode(), self.chat.t("gaps_drafts_caption"))
        await self.storage.save_forum_quotes(str(self.chat.chat_id), str(post.message_id), drafts.message_ids)
        return True

    # -- negative surges (handlers.surge) --------------------------------------------------------------

    async def show_surges(self, now: datetime) -> int:
        """Post the surge alerts the forum has not shown yet; returns how many."""
        async with self._surge_lock:
            surges = await self.storage.surges_not_shown(self.desk.brand, now - SURGE_RECOVERY, UNHAPPY)
            for surge in surges:
                since = self.chat.moment(surge.since)
                if surge.entry_id:
                    head = self.chat.t("surge_alert", customers=str(surge.customers), since=since,
                                       topic=self.desk.topic(surge.entry_id), entry=surge.entry_id)
                else:  # on a word, about none of the entries
                    head = self.chat.t("surge_alert_word", customers=str(surge.customers), since=since, word=surge.word)
                quoted = [f"— {text[:SURGE_TEXT_CHARS]}{await self._link_suffix(message_id)}"
                          for message_id, text in surge.latest]
                hint = self.chat.t("surge_notify_hint", customers=str(surge.customers))
                post = await self.chat.send_general("\n".join([head, *quoted, hint]))
                await self.storage.save_forum_quotes(str(self.chat.chat_id), str(post.message_id),
                                                     [message_id for message_id, _ in surge.latest])
                await self.storage.set_state(self.surge_post_key(post.message_id), str(surge.id))
                await self.storage.surge_shown(surge.id, surge.customers)
            return len(surges)

    def surge_post_key(self, post_id: int) -> str:
        """The state key of the surge an alert post in the General topic is about (a reply to it tells them all)."""
        return f"forum:{self.desk.brand}:{self.chat.chat_id}:surge_post:{post_id}"

    async def _link_suffix(self, message_id: int) -> str:
        """" (address)" of a public customer message where its platform has one, else ""."""
        message, _, _ = await self.storage.load_incoming(message_id)
        link = (permalink(message.platform, message.chat_id, message.message_id, message.thread_id)
                if message.is_public else None)
        return f" ({link})" if link else ""

    # -- directed-negative campaigns (handlers.directed) -------------------------------------------------

    async def show_campaign(self, campaign_id: int) -> None:
        """Post the campaign's messages not shown yet into its topic (opened on its first message)."""
        chat_id = str(self.chat.chat_id)
        async with self._campaign_lock:
            campaign = await self.storage.campaign(self.desk.brand, campaign_id)
            if campaign is None:
                return
            known = await self.storage.campaign_topic(campaign_id)
            topic_id, shown = (known[1], known[2]) if known and known[0] == chat_id else (None, 0)
            for message in campaign["messages"]:
                if message["message_id"] <= shown:
                    continue
                for _ in range(2):
                    if topic_id is None:
                        topic_id = await self._open_campaign_topic(campaign_id)
                    try:
                        post = await self.chat.send_to_topic(topic_id, self._evidence_text(message))
                        await self.storage.save_forum_quotes(chat_id, str(post.message_id), [message["message_id"]])
                        break
                    except TelegramBadRequest as exc:
                        if not thread_gone(exc):
                            raise
                        log.warning("campaign %d topic %s was deleted; recreating", campaign_id, topic_id)
                        topic_id = None
                else:
                    raise RuntimeError(f"could not post to the topic of campaign {campaign_id}")
                shown = message["message_id"]
                await self.storage.save_campaign_topic(campaign_id, chat_id, topic_id, shown)

    async def _open_campaign_topic(self, campaign_id: int) -> str:
        name = self.chat.t("campaign_topic", number=str(campaign_id))
        topic = await self.chat.call(lambda: self.chat.bot.create_forum_topic(self.chat.chat_id, name))
        topic_id = str(topic.message_thread_id)
        await self.storage.save_campaign_topic(campaign_id, str(self.chat.chat_id), topic_id, 0)
        answer = InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text=self.chat.t("campaign_statement_button"),
                                 callback_data=desk_data("campaign", campaign_id)),
            InlineKeyboardButton(text=self.chat.t("evidence_button"), callback_data=desk_data("evidence", campaign_id)),
        ]])
        await self.chat.send_to_topic(topic_id, self.chat.t("campaign_intro", brand=self.desk.brand), answer,
                                      as_html=False)
        return topic_id

    async def send_evidence(self, campaign_id: int) -> bool:
        """The campaign's evidence (bot.evidence_page) as an HTML page in its topic; False when there is none."""
        campaign = await self.storage.campaign(self.desk.brand, campaign_id)
        known = await self.storage.campaign_topic(campaign_id)
        if campaign is None or known is None or known[0] != str(self.chat.chat_id):
            return False
        page = report_html(evidence_markdown(self.desk.brand, [campaign], self.chat.language, self.chat.zone),
                           self.chat.language)
        await self.chat.send_topic_file(known[1], f"evidence-{self.desk.brand}-campaign-{campaign_id}.html",
                                        page.encode(), self.chat.t("evidence_file", n=str(campaign_id)))
        return True

    def _author_line(self, message: dict[str, Any]) -> str:
        """Who wrote a customer's message, with what their account showed (an empty one is typical of paid
        accounts), and on which platform."""
        e = html.escape
        signs = "".join(f" · {e(sign)}" for sign in account_signs(message.get("account") or {}, self.chat.language))
        return f"{_author(message)} (id {e(message['author_id'])}){signs} · {e(message['platform'])}"

    def _when_where(self, message: dict[str, Any]) -> str:
        where = self.chat.where(message["platform"], message["chat_id"], message["platform_message_id"],
                                message["thread_id"], message["public"])
        return f"{self.chat.moment(message['at'])} · {where}"

    def _evidence_text(self, message: dict[str, Any]) -> str:
        """One campaign message as moderators read it: who, where, when, the text and its link."""
        return (f"{self._author_line(message)} · {self._when_where(message)}\n"
                f"{html.escape(message['text'][:CAMPAIGN_TEXT_CHARS])}")
