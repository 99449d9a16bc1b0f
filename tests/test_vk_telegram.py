"""VK comments escalated into the brand's Telegram moderators' forum, through run_platforms (production wiring)."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.config import load_config
from bot.local_channel import LocalSender
from bot.overdue import flag_overdue, remind_due_soon
from bot.runner import run_platforms
from bot.storage import Handoff
from bot.vk import VkStartupError
from handlers.argument_base import load_argument_base
from handlers.texts import LABELS, TEXTS
from handlers.types import ConversationState, Platform, utcnow
from tests.conftest import SAMPLE_KB, write_config
from tests.fake_telegram import FakeTelegram
from tests.fake_vk import FakeVk
from tests.test_telegram_acceptance import FORUM, MODERATOR, TOKEN, count_is, setup_fake, wait_until
from tests.test_vk_app import not_deleted

GROUP = 1001


def tables(tg_url: str, vk_url: str) -> str:
    return f"""
[brands.telegram]
token_env = "VOLNA_TG_TOKEN"
moderator_chat = {FORUM}
daily_summary = "off"
mode = "polling"
api_server = "{tg_url}"

[brands.vk]
token_env = "VOLNA_VK_TOKEN"
group_id = {GROUP}
api_url = "{vk_url}"
"""


@dataclass
class Live:
    tg: FakeTelegram
    vk: FakeVk
    app: App


@contextlib.asynccontextmanager
async def running_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, brand_extra: str = "",
                       prepare: Callable[[FakeVk], None] | None = None) -> AsyncIterator[Live]:
    """The app with a Telegram forum and a VK community, both fakes, run as in production (run_platforms);
    `brand_extra`: more of the brand's VK table; `prepare`: what is on VK before it starts."""
    tg = FakeTelegram(TOKEN)
    tg_url = await tg.start()
    setup_fake(tg)
    vk = await FakeVk(GROUP).start()
    if prepare is not None:
        prepare(vk)
    monkeypatch.setenv("VOLNA_TG_TOKEN", TOKEN)
    monkeypatch.setenv("VOLNA_VK_TOKEN", "vk-test-token")
    app = await App.start(load_config(write_config(tmp_path, brand_extra=tables(tg_url, vk.url) + brand_extra)),
                          seed=11)
    task = asyncio.create_task(run_platforms(app, LocalSender()))
    try:
        await wait_until(lambda: tg.called("getUpdates") and vk.lp_requests, what="both platforms listening")
        yield Live(tg, vk, app)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        await app.close()
        await tg.close()
        await vk.stop()


@pytest.fixture
async def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Live]:
    async with running_both(tmp_path, monkeypatch) as running:
        yield running


async def test_escalated_vk_comment_in_the_forum_and_the_moderator_reply_under_it(live: Live) -> None:
    tg, vk, app = live.tg, live.vk, live.app
    vk.users[5101] = ("Ольга", "Смирнова")
    comment = vk.wall_comment(5101, "Позовите живого человека, хочу поговорить с оператором! Это безобразие.",
                              post_id=90)
    vk.push("wall_reply_new", comment)

    # the customer is acknowledged under the comment, the moderators get a topic with the card
    await wait_until(lambda: [c for c in vk.comments if c["reply_to_comment"] == comment["id"]],
                     what="the public acknowledgement")
    conversation = await app.storage.customer_conversation("volna", Platform.VK, "5101")
    assert conversation is not None
    first = (await app.storage.history(conversation.id))[0]
    assert first.action == "handoff", (first.action, first.reason, first.entry_id, first.scores)
    await wait_until(lambda: tg.called("createForumTopic"), what="the forum topic")
    topic = tg.called("createForumTopic")[0].result["message_thread_id"]
    assert "Ольга Смирнова" in tg.called("createForumTopic")[0].params["name"]
    card = await wait_until(lambda: [c for c in tg.sent(FORUM, thread=topic) if c.params.get("reply_markup")],
                            what="the card")
    assert "Позовите живого человека" in card[0].params["text"]
    conversation = await app.storage.customer_conversation("volna", Platform.VK, "5101")
    assert conversation is not None and conversation.state is ConversationState.WAITING_FOR_MODERATOR

    # the moderator answers in the topic -> the reply is posted under the VK comment
    tg.customer_message(MODERATOR, "Ольга, извините! Разберёмся и напишем вам в личные сообщения.",
                        chat_id=FORUM, thread_id=topic)
    await wait_until(lambda: [c for c in vk.comments if c["reply_to_comment"] == comment["id"]
                              and c["text"].startswith("Ольга, извините")], what="the reply under the comment")
    assert vk.messages == []  # nothing private was sent to a public commenter

    # resolving a public thread asks no rating
    tg.press(MODERATOR, card[0].result, f"fd:resolve:{conversation.id}")
    await wait_until(lambda: tg.called("closeForumTopic"), what="the topic closed")
    assert await app.storage.count("outbox", "conversation_id = ? AND kind = 'rating'", (conversation.id,)) == 0
    assert vk.messages == []

    # a private VK thread: resolved in the forum, the customer's rating is shown in its topic
    vk.push("message_new", vk.private(5102, "Позовите оператора, хочу поговорить с живым человеком!"))
    await wait_until(lambda: len(tg.called("createForumTopic")) == 2, what="the second topic")
    second = tg.called("createForumTopic")[1].result["message_thread_id"]
    card = await wait_until(lambda: [c for c in tg.sent(FORUM, thread=second) if c.params.get("reply_markup")],
                            what="the second card")
    private = await app.storage.customer_conversation("volna", Platform.VK, "5102")
    assert private is not None

    # near the deadline, unanswered: the moderators are reminded in the topic (the customer hears nothing)
    handoff = await app.storage.open_handoff(private.id)
    assert handoff is not None
    near = handoff.deadline_at - timedelta(minutes=1)
    assert [c.id for c in await remind_due_soon(app, now=near)] == [private.id]
    await wait_until(lambda: [t for t in tg.texts(FORUM, thread=second) if t.startswith("⏳ Клиент ждёт ответа")],
                     what="the reminder in the topic")

    # nobody answered by the deadline: the customer gets an apology, the topic says so
    later = utcnow() + timedelta(hours=2)
    assert [c.id for c in await flag_overdue(app, random.Random(2), now=later)] == [private.id]
    await wait_until(lambda: [m for m in vk.messages if m["peer_id"] == 5102
                              and m["text"] in TEXTS["overdue_holding"]["ru"]], what="the apology")
    await wait_until(lambda: [t for t in tg.texts(FORUM, thread=second) if t.startswith("⏰ Срок ответа прошёл")],
                     what="the overdue note in the topic")
    assert not [t for t in tg.texts(FORUM, thread=topic) if t.startswith(("⏰", "⏳"))]  # that one was answered

    # a moderator answers at last; the customer asks more and nobody reacts: the follow-up has its own deadline
    tg.customer_message(MODERATOR, "Здравствуйте! Простите за ожидание, уже проверяем.", chat_id=FORUM,
                        thread_id=second)
    await wait_until(lambda: [m for m in vk.messages if m["peer_id"] == 5102 and m["text"].startswith("Здравствуйте!")],
                     what="the moderator's reply")
    vk.push("message_new", vk.private(5102, "А что с мастером? Когда он придёт?"))
    followed = await wait_until(lambda: _followed(app, private.id), what="the follow-up's deadline")
    late = followed.followup_due + timedelta(minutes=1)
    assert [c.id for c in await flag_overdue(app, random.Random(3), now=late)] == [private.id]
    await wait_until(lambda: len([m for m in vk.messages if m["peer_id"] == 5102
                                  and m["text"] in TEXTS["overdue_holding"]["ru"]]) == 2, what="a second apology")
    since = followed.followup_at.isoformat()[:16].replace("T", " ") if followed.followup_at else "?"
    await wait_until(lambda: [t for t in tg.texts(FORUM, thread=second) if t.startswith("⏰ Срок ответа прошёл")
                              and f"клиент ждёт с {since}" in t], what="the follow-up's overdue note in the topic")

    tg.press(MODERATOR, card[0].result, f"fd:resolve:{private.id}")
    rating = await wait_until(lambda: [m for m in vk.messages if m["peer_id"] == 5102 and m.get("keyboard")],
                              what="the rating question")
    button = rating[0]["keyboard"]["buttons"][0][1]["action"]
    assert button["payload"] == '{"rating": "not_satisfied"}'
    vk.push("message_new", vk.private(5102, button["label"], payload={"rating": "not_satisfied"}))
    await wait_until(lambda: app.storage.ratings(private.id), what="the stored rating")
    shown = await wait_until(lambda: [t for t in tg.texts(FORUM, thread=second) if t.startswith("Оценка клиента")],
                             what="the rating in the topic")
    assert shown == ["Оценка клиента: 👎 Не доволен"], shown
    # not satisfied: the resolution did not solve it, so the thread goes back to a person ("Спасибо за оценку!"
    # and nobody came back to it before); the customer hears so, and the topic gets a card again
    back = await app.storage.conversation(private.id, "volna")
    assert (back.state, back.handoff_reason) == (ConversationState.WAITING_FOR_MODERATOR, "not_resolved")
    promised = {t.format(eta="часа") for t in TEXTS["not_resolved_handoff"]["ru"]}
    await wait_until(lambda: [m for m in vk.messages if m["peer_id"] == 5102 and m["text"] in promised],
                     what="the customer told a person comes back to it")
    assert not [m for m in vk.messages if m["peer_id"] == 5102 and m["text"] in TEXTS["rating_thanks"]["ru"]]
    await wait_until(lambda: [c for c in tg.sent(FORUM, thread=second) if c.params.get("reply_markup")
                              and "решение не помогло" in c.params["text"]], what="the topic's new card")


async def _followed(app: App, conversation_id: int) -> Handoff | None:
    """The open handoff once a customer's follow-up waits for a person."""
    handoff = await app.storage.open_handoff(conversation_id)
    return handoff if handoff is not None and handoff.followup_due is not None else None


async def test_a_complaint_deleted_before_anyone_answered_closes_its_topic_and_reopens_it_when_restored(
        live: Live) -> None:
    tg, vk = live.tg, live.vk
    comment = vk.wall_comment(5110, "Позовите живого человека, третий день без интернета!", post_id=91)
    vk.push("wall_reply_new", comment)
    await wait_until(lambda: tg.called("createForumTopic"), what="the forum topic")
    topic = tg.called("createForumTopic")[0].result["message_thread_id"]
    vk.delete_wall_comment(comment["id"], deleter=5110)
    await wait_until(lambda: tg.called("closeForumTopic", message_thread_id=topic), what="the topic closed")
    texts = tg.texts(FORUM, thread=topic)
    assert any(t.startswith("🗑 Клиент удалил своё сообщение") for t in texts)
    assert LABELS["topic_withdrawn"]["ru"] in texts
    vk.push("wall_reply_restore", comment)
    await wait_until(lambda: tg.called("reopenForumTopic", message_thread_id=topic), what="the topic reopened")
    cards = await wait_until(lambda: [c for c in tg.sent(FORUM, thread=topic) if c.params.get("reply_markup")][1:],
                             what="a new card")
    assert "третий день без интернета" in cards[-1].params["text"]


async def test_run_stops_on_a_bad_vk_token_naming_the_brand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vk = await FakeVk(GROUP).start()
    monkeypatch.setenv("VOLNA_VK_TOKEN", "revoked")
    table = f'[brands.vk]\ntoken_env = "VOLNA_VK_TOKEN"\ngroup_id = {GROUP}\napi_url = "{vk.url}"\n'
    app = await App.start(load_config(write_config(tmp_path, brand_extra=table)), seed=1)
    try:
        with pytest.raises(VkStartupError, match=r"brands\.volna\.vk.*brand 'volna'.*VOLNA_VK_TOKEN.*error 5"):
            await run_platforms(app, LocalSender())
    finally:
        await app.close()
        await vk.stop()


async def test_a_directed_negative_wave_is_one_campaign_topic_with_links(live: Live) -> None:
    from tests.test_directed import TEMPLATE

    tg, vk, app = live.tg, live.vk, live.app
    comments = [vk.wall_comment(6001 + i, text, post_id=95) for i, text in enumerate(TEMPLATE)]
    vk.profiles[comments[0]["from_id"]] = {"has_photo": 0, "followers_count": 2}  # an empty account
    vk.profiles[comments[1]["from_id"]] = {"deactivated": "banned"}
    for comment in comments:
        vk.push("wall_reply_new", comment)
    await wait_until(lambda: [t for t in tg.called("createForumTopic") if t.params["name"] == "⚠ Кампания #1"],
                     what="the campaign topic")
    campaign_topic = next(t.result["message_thread_id"] for t in tg.called("createForumTopic")
                          if t.params["name"] == "⚠ Кампания #1")
    posts = await wait_until(lambda: len(tg.texts(FORUM, thread=campaign_topic)) >= 4 and
                             tg.sent(FORUM, thread=campaign_topic), what="the campaign's evidence")
    assert posts[0].params["text"].startswith("Похоже на направленный негатив")
    for comment, post in zip(comments, posts[1:], strict=True):
        assert f'href="https://vk.com/wall-{GROUP}_95?reply={comment["id"]}"' in post.params["text"]
        assert f'href="https://vk.com/id{comment["from_id"]}"' in post.params["text"]
    # what each account's profile showed (users.get), for telling paid accounts
    assert "(id 6001) · без фото · подписчиков: 2 · vk · " in posts[1].params["text"]
    assert "(id 6002) · подписчиков: 120 · страница заблокирована · vk · " in posts[2].params["text"]
    assert "(id 6003) · подписчиков: 120 · vk · " in posts[3].params["text"]
    # each evidence post is known to quote its customer (an erasure request deletes it: `forget`)
    paid = await app.storage.customer_conversation("volna", Platform.VK, str(comments[0]["from_id"]))
    assert paid is not None
    assert await app.storage.forum_quotes(paid.id) == [(str(FORUM), str(posts[1].result["message_id"]))]
    # the comment that completed the wave got no bot reply and no topic of its own
    assert not [c for c in vk.comments if c["reply_to_comment"] == comments[-1]["id"]]
    per_account = [t for t in tg.called("createForumTopic") if t.params["name"] != "⚠ Кампания #1"]
    assert len(per_account) <= 2  # at most the two that came before the wave was seen

    # a fourth account joins: its message goes to the same topic
    joining = vk.wall_comment(6010, TEMPLATE[1] + " Позор!", post_id=95)
    vk.push("wall_reply_new", joining)
    await wait_until(lambda: [t for t in tg.texts(FORUM, thread=campaign_topic) if "Позор" in t],
                     what="the fourth account in the campaign topic")
    assert len([t for t in tg.called("createForumTopic") if t.params["name"].startswith("⚠")]) == 1
    evidence = await app.storage.campaigns("volna", utcnow() - timedelta(hours=1))
    assert len(evidence) == 1 and evidence[0]["accounts"] == 4
    assert evidence[0]["messages"][0]["account"] == {"photo": False, "followers": 2, "closed": False,
                                                     "deactivated": ""}
    # the evidence as a page to expose the attack, from the topic's button
    [intro] = [c for c in tg.sent(FORUM, thread=campaign_topic) if c.params.get("reply_markup")]
    [[_, evidence_button]] = intro.params["reply_markup"]["inline_keyboard"]
    assert evidence_button["text"] == "📄 Доказательства"
    tg.press(MODERATOR, intro.result, evidence_button["callback_data"])
    [page] = await wait_until(lambda: [c for c in tg.sent(FORUM, thread=campaign_topic) if c.method == "sendDocument"],
                              what="the evidence page")
    assert page.params["document"]["upload"] == "evidence-volna-campaign-1.html"
    html_page = page.params["document"]["content"].decode()
    assert "<h2>Кампания #1: аккаунтов 4, сообщений 4, замечена " in html_page
    assert ('<td>без фото · подписчиков: 2</td><td>1</td>' in html_page
            and "<td>подписчиков: 120 · страница заблокирована</td>" in html_page)
    assert f'<a href="https://vk.com/wall-{GROUP}_95?reply={comments[0]["id"]}">' in html_page
    # the profile is personal data: an erasure request takes it with the rest (the other accounts' stay)
    erased = await app.storage.forget_customer("volna", "vk", str(comments[0]["from_id"]), erase=True)
    assert erased["accounts"] == 1 and await app.storage.count("accounts") == 3


async def test_moderators_answer_a_wave_once_under_each_post_it_reached(live: Live) -> None:
    """Silence under a wave reads as guilt, and a reply per paid account feeds it: the campaign topic's button
    answers once under each post the wave reached (under its first comment still up there: the statement the
    sample base prepared, which accuses nobody and asks customers to write in private); pressed again, only where
    the wave went since; `/statement TEXT` answers with the moderators' own words, refused when they read as
    accusing the authors; other talk in the topic stays there."""
    from tests.test_directed import TEMPLATE

    tg, vk, app = live.tg, live.vk, live.app
    wave = [vk.wall_comment(6101 + i, text, post_id=95) for i, text in enumerate(TEMPLATE)]
    for comment in wave:
        vk.push("wall_reply_new", comment)
    topics = await wait_until(lambda: [t for t in tg.called("createForumTopic") if t.params["name"] == "⚠ Кампания #1"],
                              what="the campaign topic")
    topic = topics[0].result["message_thread_id"]
    [intro] = await wait_until(lambda: [c for c in tg.sent(FORUM, thread=topic) if c.params.get("reply_markup")],
                               what="the intro with its button")
    [[button, _evidence]] = intro.params["reply_markup"]["inline_keyboard"]
    assert button["text"] == "📣 Ответить один раз публично" and "/statement ТЕКСТ" in intro.params["text"]

    prepared = load_argument_base(SAMPLE_KB).directed_statement["ru"]  # the brand's own, from its base

    def statements() -> list[dict[str, Any]]:
        return [c for c in vk.comments if c["text"] in prepared]

    tg.press(MODERATOR, intro.result, button["callback_data"])
    [statement] = await wait_until(statements, what="the answer under the post")
    assert (statement["object_id"], statement["reply_to_comment"]) == (95, wave[0]["id"])  # the wave's first there
    await wait_until(lambda: any(t.startswith("Мария Модератор ответил(а) волне публично, мест: 1")
                                 for t in tg.texts(FORUM, thread=topic)), what="the topic told")

    joining = vk.wall_comment(6110, TEMPLATE[0], post_id=96)  # the wave reaches another post
    vk.push("wall_reply_new", joining)
    await wait_until(lambda: [t for t in tg.texts(FORUM, thread=topic) if "wall-1001_96" in t or "_96?" in t],
                     what="the new post's comment in the topic")
    tg.press(MODERATOR, intro.result, button["callback_data"])
    await wait_until(lambda: len(statements()) == 2, what="the answer under the second post")
    assert [(c["object_id"], c["reply_to_comment"]) for c in statements()] == [(95, wave[0]["id"]),
                                                                                (96, joining["id"])]
    tg.press(MODERATOR, intro.result, button["callback_data"])  # nothing new: nowhere to answer
    await wait_until(lambda: any(t.startswith("Отвечать негде") for t in tg.texts(FORUM, thread=topic)),
                     what="nowhere to answer")

    third = vk.wall_comment(6111, TEMPLATE[1], post_id=97)
    vk.push("wall_reply_new", third)
    await wait_until(lambda: [t for t in tg.texts(FORUM, thread=topic) if "_97?" in t], what="the third post's")
    tg.customer_message(MODERATOR, "это боты конкурента, не отвечаем им", chat_id=FORUM, thread_id=topic)
    tg.customer_message(MODERATOR, "/statement Вы лжёте, у нас всё работает", chat_id=FORUM, thread_id=topic)
    await wait_until(lambda: any(t.startswith("Не отправлено: ответ звучит как обвинение авторов")
                                 for t in tg.texts(FORUM, thread=topic)), what="the accusation refused")
    own = "Сеть работает штатно, аварий за неделю не было. Если у вас нет связи, напишите нам в личные сообщения."
    tg.customer_message(MODERATOR, f"/statement {own}", chat_id=FORUM, thread_id=topic)
    [answer] = await wait_until(lambda: [c for c in vk.comments if c["reply_to_comment"] == third["id"]],
                                what="the moderators' own words under the third post")
    assert answer["text"] == own
    assert not [c for c in vk.comments if "боты конкурента" in c["text"] or "лжёте" in c["text"]]
    assert len(statements()) == 2  # one per post, not one per account
    sent = await app.storage.fetch("SELECT json_extract(extra, '$.moderator') FROM outbox WHERE kind = 'statement'")
    assert sent == [("Мария Модератор",)] * 3
    from bot.stats import brand_stats  # the agency's report counts the waves answered

    await wait_until(lambda: count_is(app.storage, 3, "outbox", "kind = 'statement' AND status = 'sent'"),
                     what="all three recorded as sent")
    assert (await brand_stats(app.storage, "volna", 1)).directed_answered == 3


async def test_a_customer_the_bot_hid_as_spam_is_brought_back_from_the_forum(live: Live) -> None:
    """What the bot hides as spam nobody would see again: the abuse topic shows each with a "🙋 Это клиент" button.
    A job seeker's "ищу подработку… пишите в лс" reads as spam; pressed, the VK comment comes back, a thread opens
    for a person (as a handoff due within the brand's time), the moderator's answer goes under the comment, and
    the message counts as handed off, not as spam."""
    from bot.stats import brand_stats

    tg, vk, app = live.tg, live.vk, live.app
    vk.users[5301] = ("Павел", "Горин")
    comment = vk.wall_comment(5301, "Ищу подработку монтажником, у вас есть вакансии? Пишите в лс", post_id=93)
    vk.push("wall_reply_new", comment)
    await wait_until(lambda: [d for d in vk.deleted if d.get("comment_id") == str(comment["id"])],
                     what="the comment hidden as spam")
    topics = await wait_until(lambda: [t for t in tg.called("createForumTopic") if t.params["name"].startswith("🚫")],
                              what="the abuse topic")
    abuse = topics[0].result["message_thread_id"]
    [post] = await wait_until(lambda: [c for c in tg.sent(FORUM, thread=abuse) if c.params.get("reply_markup")],
                              what="the hidden spam shown")
    assert post.params["text"].startswith("🧲 Бот скрыл как спам.") and "Ищу подработку" in post.params["text"]
    [[button]] = post.params["reply_markup"]["inline_keyboard"]
    assert button["text"] == "🙋 Это клиент"

    tg.press(MODERATOR, post.result, button["callback_data"])
    await wait_until(lambda: [r for r in vk.restored if r["comment_id"] == str(comment["id"])],
                     what="the comment restored on VK")
    opened = await wait_until(lambda: [t for t in tg.called("createForumTopic") if "Павел Горин" in t.params["name"]],
                              what="the customer's topic")
    topic = opened[0].result["message_thread_id"]
    await wait_until(lambda: any(t.startswith("Мария Модератор: это клиент") for t in tg.texts(FORUM, thread=abuse)),
                     what="the abuse topic told")
    conversation = await app.storage.customer_conversation("volna", Platform.VK, "5301")
    assert conversation is not None and conversation.state is ConversationState.WAITING_FOR_MODERATOR
    handoff = await app.storage.open_handoff(conversation.id)
    assert handoff is not None and handoff.reason == "taken_for_spam"
    await wait_until(lambda: not_deleted(app, conversation.id), what="the comment no longer marked deleted")
    history = await app.storage.history(conversation.id)
    assert [(m.direction, m.text) for m in history] == [("in", comment["text"]), ("out", "")]  # its hiding, once

    tg.customer_message(MODERATOR, "Павел, вакансии на сайте volna.example/jobs, пришлите резюме туда.",
                        chat_id=FORUM, thread_id=topic)
    await wait_until(lambda: [c for c in vk.comments if c["reply_to_comment"] == comment["id"]
                              and c["text"].startswith("Павел, вакансии")], what="the answer under the comment")
    figures = await brand_stats(app.storage, "volna", 1)
    assert (figures.spam["spam"], figures.spam["hidden"], figures.spam["customers_after_all"], figures.handed_off) == (
        0, 0, 1, 1)  # the bot's mistake the moderators found, counted


async def test_a_negative_surge_is_one_alert_in_the_forums_general_topic(live: Live) -> None:
    from tests.test_surge import OUTAGE

    tg, vk = live.tg, live.vk
    for i, text in enumerate(OUTAGE[:5]):  # five customers (the default), each in their own words
        vk.push("wall_reply_new", vk.wall_comment(7001 + i, text, post_id=96))
    alerts = await wait_until(lambda: [c for c in tg.sent(FORUM) if "message_thread_id" not in c.params],
                              what="the surge alert")
    text = alerts[0].params["text"]
    assert text.startswith("📈 Всплеск недовольства: 5 клиентов") and "«Интернета нет совсем» (outage)" in text
    # the newest messages go with it, each with its address
    assert f"— {OUTAGE[4]} (https://vk.com/wall-{GROUP}_96?reply=" in text
    # each customer was still handled: five threads for the moderators (they were very unhappy), one alert
    await wait_until(lambda: len(tg.called("createForumTopic")) >= 5, what="the customers' topics")
    assert len([c for c in tg.sent(FORUM) if "message_thread_id" not in c.params]) == 1


async def test_the_solution_of_a_surge_reaches_each_of_its_customers_from_one_reply_to_the_alert(live: Live) -> None:
    """Natural negative is solved, then the solution shown: a moderator replies to the surge alert with `/notify
    TEXT` and each customer of the surge gets it where they wrote (under their VK comment), with their name; an
    accusing text is held back; other replies in the General topic are the moderators' talk."""
    from tests.test_surge import OUTAGE

    tg, vk, app = live.tg, live.vk, live.app
    names = ["Анна", "Борис", "Вера", "Глеб", "Дина"]
    comments = []
    for i, text in enumerate(OUTAGE[:5]):
        vk.users[7201 + i] = (names[i], "Клиентова")
        comments.append(vk.wall_comment(7201 + i, text, post_id=98))
        vk.push("wall_reply_new", comments[-1])
    [alert] = await wait_until(lambda: [c for c in tg.sent(FORUM) if "message_thread_id" not in c.params],
                               what="the surge alert")
    assert alert.params["text"].splitlines()[-1].startswith("Когда решите, ответьте на это сообщение: /notify ТЕКСТ")
    await wait_until(lambda: len(tg.called("createForumTopic")) >= 5, what="the customers' topics")
    tg.customer_message(MODERATOR, "чинят уже, ждём", chat_id=FORUM, reply_to=alert.result)  # talk: nothing sent
    tg.customer_message(MODERATOR, "/notify Вы сами виноваты", chat_id=FORUM, reply_to=alert.result)
    await wait_until(lambda: any(t.startswith("Не отправлено: текст звучит как обвинение клиентов")
                                 for t in tg.texts(FORUM)), what="the accusation held back")
    tg.customer_message(MODERATOR, "/notify {name}, авария на линии устранена, интернет работает. Простите за "
                        "неудобства!", chat_id=FORUM, reply_to=alert.result)
    def updated(comment: dict[str, Any], name: str) -> bool:
        return any(r["reply_to_comment"] == comment["id"] and r["text"].startswith(f"{name}, авария на линии")
                   for r in vk.comments)

    await wait_until(lambda: all(updated(c, n) for c, n in zip(comments, names, strict=True)),
                     what="the update under each customer's comment, with their name")
    await wait_until(lambda: "Мария Модератор сообщил(а) решение клиентам: 5." in tg.texts(FORUM),
                     what="the General topic told")
    assert not [r for r in vk.comments if "чинят уже" in r["text"] or "виноваты" in r["text"]]
    conversation = await app.storage.customer_conversation("volna", Platform.VK, "7201")
    assert conversation is not None and conversation.state is ConversationState.WITH_MODERATOR


async def test_a_surge_on_something_the_base_does_not_cover_is_an_alert_naming_the_customers_word(live: Live) -> None:
    from tests.test_surge import ADVERT

    tg, vk = live.tg, live.vk
    for i, text in enumerate(ADVERT):  # five customers (the default) unhappy about an advert: no entry covers it
        vk.push("wall_reply_new", vk.wall_comment(7101 + i, text, post_id=97))
    alerts = await wait_until(lambda: [c for c in tg.sent(FORUM) if "message_thread_id" not in c.params],
                              what="the surge alert")
    text = alerts[0].params["text"]
    assert text.startswith("📈 Всплеск недовольства тем, чего нет в базе ответов: 5 клиентов с ")
    assert "пишут об одном, общее слово — «реклама»" in text and "добавьте ответ в базу" in text
    assert f"— {ADVERT[4]} (https://vk.com/wall-{GROUP}_97?reply=" in text
    await wait_until(lambda: len(tg.called("createForumTopic")) >= 5, what="the customers' topics")
    assert len([c for c in tg.sent(FORUM) if "message_thread_id" not in c.params]) == 1
