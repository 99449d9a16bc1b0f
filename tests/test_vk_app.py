"""Acceptance: the real App (temp SQLite, sample brand, real encoder) with the VK adapter against the fake VK."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import inspect
import io
import json
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.cli import run_forget
from bot.config import Config, load_config
from bot.desk import HIDDEN, ModeratorDesk
from bot.evidence_page import impersonators
from bot.inbox import card_text, execute, run_inbox
from bot.reach import FOLLOW_FOR, REFRESH, measure_reach
from bot.review import least_sure_answers
from bot.stats import brand_stats
from bot.vk import VkCommunity, VkService, VkStartupError
from handlers.texts import TEXTS
from handlers.types import ConversationState, Platform, utcnow
from tests.conftest import write_config
from tests.fake_vk import FakeVk

GROUP = 1001
TOKEN_ENV = "VOLNA_VK_TOKEN"
TOKEN = "vk-test-token"
MANAGER = 888  # a manager of the community (groups.getMembers filter=managers)


def vk_config(tmp_path: Path, fake: FakeVk, *, vk_extra: str = "", api_url: bool = True) -> Config:
    api = f'api_url = "{fake.url}"' if api_url else ""
    brand_extra = f"""
[brands.vk]
token_env = "{TOKEN_ENV}"
group_id = {GROUP}
{api}
{vk_extra}
"""
    return load_config(write_config(tmp_path, brand_extra=brand_extra))


async def until(check: Callable[[], Any], what: str, timeout: float = 45.0) -> None:
    """Poll a condition (sync or async) with a generous timeout; no timing is asserted."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = check()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


@dataclass
class Live:
    fake: FakeVk
    app: App
    service: VkService
    community: VkCommunity


async def _stop(tasks: list[asyncio.Task[Any]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


@pytest.fixture(scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Live]:
    fake = await FakeVk(GROUP, managers={MANAGER}).start()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(TOKEN_ENV, TOKEN)
        config = vk_config(tmp_path_factory.mktemp("vk-live"), fake)
        app = await App.start(config, seed=3)
        service = VkService(app)
        community = await service.add(config.brand("volna"), wait=2, too_many_backoff=0.01)
        tasks = [asyncio.create_task(service.run()), asyncio.create_task(app.outbox.run())]
        # without a saved cursor the bot starts from "now": wait until it is listening
        await until(lambda: fake.lp_requests, "the first long poll request")
        try:
            yield Live(fake, app, service, community)
        finally:
            await _stop(tasks)
            service.close()
            await app.close()
            await fake.stop()


async def conversation_of(app: App, customer: int) -> Any:
    conversation = await app.storage.customer_conversation("volna", Platform.VK, str(customer))
    assert conversation is not None, f"customer {customer} has no conversation"
    return conversation


async def outbox_done(app: App, customer: int, count: int = 1, status: str = "sent") -> bool:
    conversation = await app.storage.customer_conversation("volna", Platform.VK, str(customer))
    if conversation is None:
        return False
    done = await app.storage.count("outbox", "conversation_id = ? AND status = ?", (conversation.id, status))
    return done >= count


async def test_private_question_answered_from_the_argument_base(live: Live) -> None:
    fake, app = live.fake, live.app
    fake.push("message_new", fake.private(5001, "Сколько стоит ваш самый быстрый тариф?"))
    await until(lambda: outbox_done(app, 5001), "the answer to be delivered")
    sent = [m for m in fake.messages if m["peer_id"] == 5001]
    assert len(sent) == 1
    conversation = await conversation_of(app, 5001)
    assert conversation.customer_name == "User5001 Testov"  # users.get
    history = await app.storage.history(conversation.id)
    assert history[0].entry_id == "tariffs" and history[0].action == "answer"
    assert history[-1].direction == "out" and history[-1].text == sent[0]["text"]
    assert sent[0]["keyboard"] is None and sent[0]["random_id"] > 0


async def test_angry_wall_comment_handed_off_with_a_reply_in_its_thread(live: Live) -> None:
    fake, app = live.fake, live.app
    comment = fake.wall_comment(5002, "Ваш мастер нахамил мне и ушёл! Хочу пожаловаться на сотрудника.", post_id=77)
    fake.push("wall_reply_new", comment)
    await until(lambda: outbox_done(app, 5002), "the handoff notice under the comment")
    replies = [c for c in fake.comments if c["reply_to_comment"] == comment["id"]]
    assert len(replies) == 1
    reply = replies[0]
    assert reply["method"] == "wall.createComment"
    assert (reply["owner_id"], reply["object_id"], reply["from_group"]) == (-GROUP, 77, str(GROUP))
    conversation = await conversation_of(app, 5002)
    assert conversation.state is ConversationState.WAITING_FOR_MODERATOR
    assert (await app.storage.history(conversation.id))[0].action == "handoff"
    assert not [m for m in fake.messages if m["peer_id"] == 5002], "a public comment is answered publicly"


async def test_a_reply_to_the_community_is_read_without_the_address_vk_puts_before_it(live: Live) -> None:
    """VK begins a reply in a comment thread with its addressee: "[club…|Волна], помогите" is an opener all the
    same, and "[club…|Volna], 4581203" a contract number in Russian; the stored comment keeps its words."""
    fake, app = live.fake, live.app
    comment = fake.wall_comment(5303, f"[club{GROUP}|Волна], помогите", post_id=78)
    fake.push("wall_reply_new", comment)
    await until(lambda: outbox_done(app, 5303), "the invitation under the comment")
    history = await app.storage.history((await conversation_of(app, 5303)).id)
    assert history[0].text == f"[club{GROUP}|Волна], помогите" and history[0].reason == "opener"
    assert [c["text"] for c in fake.comments if c["reply_to_comment"] == comment["id"]] == [history[-1].text]
    number = fake.wall_comment(5304, f"[club{GROUP}|Volna], 4581203", post_id=78)
    fake.push("wall_reply_new", number)
    await until(lambda: outbox_done(app, 5304), "the reply to the contract number")
    sent = await app.storage.history((await conversation_of(app, 5304)).id)
    assert sent[0].reason in ("details_public", "details_hidden") and sent[0].language == "ru"


@contextlib.contextmanager
def heard(listeners: list[Any]) -> Iterator[list[tuple[Any, ...]]]:
    """What a list of the App's listeners is told meanwhile: (conversation id, the event's arguments...)."""
    told: list[tuple[Any, ...]] = []

    async def listener(conversation: Any, *args: Any) -> None:
        told.append((conversation.id, *args))

    listeners.append(listener)
    try:
        yield told
    finally:
        listeners.remove(listener)


async def test_a_comment_its_author_deletes_is_marked_and_not_answered_any_more(live: Live) -> None:
    """The customer deletes their complaint while VK fails the bot's notice under it: the notice is withdrawn
    (nothing to answer under), the complaint stays in the history marked deleted by the customer, and the
    moderators are told."""
    fake, app = live.fake, live.app
    with heard(app.deleted_listeners) as told:
        fake.fail("wall.createComment", 10, times=10_000)
        comment = fake.wall_comment(5048, "Третий день нет интернета, позовите оператора!")
        fake.push("wall_reply_new", comment)

        await until(partial(retrying, app, 5048), "the notice failing once")
        conversation = await conversation_of(app, 5048)
        fake.delete_wall_comment(comment["id"], deleter=5048)
        await until(lambda: outbox_done(app, 5048, status="withdrawn"), "the notice withdrawn")
        fake.recover("wall.createComment")
        [stored] = [m for m in await app.storage.history(conversation.id) if m.direction == "in"]
        assert stored.deleted_by == "author" and stored.text.startswith("Третий день нет интернета")
        assert told == [(conversation.id, stored.text, "author")]
        fake.push("message_new", fake.private(5049, "Сколько стоит ваш самый быстрый тариф?"))
        await until(lambda: outbox_done(app, 5049), "the next answer (the outbox runs again)")
        assert not [c for c in fake.comments if c["reply_to_comment"] == comment["id"]]


async def test_a_complaint_its_author_deletes_before_anyone_answers_is_withdrawn_and_back_when_restored(
        live: Live) -> None:
    """An unanswered handoff whose complaint its author deleted stayed open: in the moderators' queue with
    nothing to answer, and late in the brand's figures once its hour passed. It is closed as withdrawn, the
    thread back to the bot; a comment restored opens it again, due an hour from then."""
    fake, app = live.fake, live.app
    with heard(app.withdrawn_listeners) as told:
        comment = fake.wall_comment(5120, "Третий день нет интернета, позовите живого оператора!", post_id=99)
        fake.push("wall_reply_new", comment)
        await until(lambda: outbox_done(app, 5120), "the handoff notice")
        conversation = await conversation_of(app, 5120)
        assert conversation.state is ConversationState.WAITING_FOR_MODERATOR
        later = utcnow() + timedelta(hours=2)  # past the hour (one live fake serves the module: its other threads)
        before = await brand_stats(app.storage, "volna", now=later)
        fake.delete_wall_comment(comment["id"], deleter=5120)

        async def state_is(state: ConversationState) -> bool:
            return (await conversation_of(app, 5120)).state is state

        await until(lambda: state_is(ConversationState.BOT), "the handoff withdrawn")
        assert told == [(conversation.id, True)]
        [(outcome, closed)] = await app.storage.fetch(
            "SELECT outcome, closed_at IS NOT NULL FROM handoffs WHERE conversation_id = ?", (conversation.id,))
        assert (outcome, closed) == ("withdrawn", 1)
        after = await brand_stats(app.storage, "volna", now=later)  # no longer waiting past the hour, nor late
        assert after.waiting_past_deadline == before.waiting_past_deadline - 1
        assert after.reactions_late == before.reactions_late
        assert after.handoffs_withdrawn == before.handoffs_withdrawn + 1
        assert conversation.id not in [c.conversation_id for c in await ModeratorDesk(app.storage, "volna").waiting()]

        fake.push("wall_reply_restore", comment)  # the customer thinks better of it
        await until(lambda: state_is(ConversationState.WAITING_FOR_MODERATOR), "the handoff open again")
        assert told[1:] == [(conversation.id, False)]
        handoff = await app.storage.open_handoff(conversation.id)
        assert handoff is not None and handoff.deadline_at > utcnow() + timedelta(minutes=55)
        assert conversation.id in [c.conversation_id for c in await ModeratorDesk(app.storage, "volna").waiting()]


async def test_a_deleted_comment_restored_is_answered_after_all(live: Live, monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    """The customer deletes their question while VK fails the answer under it, then restores it (VK offers that
    right away): the answer withdrawn for the deletion goes out after all, the question is no longer marked, and
    the moderators, told of the deletion, are told it is back. A comment the bot hid and a manager restored is
    unmarked without a word to them (the brand's own people did both)."""
    fake, app = live.fake, live.app
    with heard(app.restored_listeners) as told:
        fake.fail("wall.createComment", 10, times=10_000)
        comment = fake.wall_comment(5056, "Подскажите, как оплатить интернет картой?", post_id=97)
        fake.push("wall_reply_new", comment)
        await until(partial(retrying, app, 5056), "the answer failing once")
        conversation = await conversation_of(app, 5056)
        fake.delete_wall_comment(comment["id"], deleter=5056)
        await until(lambda: outbox_done(app, 5056, status="withdrawn"), "the answer withdrawn")
        fake.push("wall_reply_restore", comment)

        await until(lambda: not_deleted(app, conversation.id), "the restored comment unmarked")
        fake.recover("wall.createComment")
        await until(lambda: outbox_done(app, 5056), "the answer sent after all")
        [answer] = [c for c in fake.comments if c["reply_to_comment"] == comment["id"]]
        assert answer["method"] == "wall.createComment" and answer["object_id"] == 97
        assert told == [(conversation.id, "Подскажите, как оплатить интернет картой?")]

        runtime = app.pipeline.brands["volna"]
        monkeypatch.setattr(runtime, "config", replace(runtime.config,
                                                       policy=replace(runtime.config.policy, hide_toxic=True)))
        abuse = fake.wall_comment(5057, "заткнись, урод, ты конченый дебил", post_id=97)
        fake.push("wall_reply_new", abuse)
        await until(lambda: outbox_done(app, 5057), "the abuse hidden")
        hidden = await conversation_of(app, 5057)
        await until(lambda: deleted(app, hidden.id), "the hiding reported back")
        fake.push("wall_reply_restore", abuse)  # a manager thinks better of it
        await until(lambda: not_deleted(app, hidden.id), "the comment unmarked")
        assert told == [(conversation.id, "Подскажите, как оплатить интернет картой?")]
        assert await app.storage.count("outbox", "conversation_id = ? AND kind = 'hide'", (hidden.id,)) == 1


async def test_a_comment_with_a_customers_phone_is_answered_and_hidden_when_the_brand_hides_details(
        live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    """Details left in public: a person gets the thread; the reply under the comment says they arrived and are
    safer in private. With `hide_details` the comment is then hidden (after the reply: the outbox keeps a chat's
    order), and the reply says so; without it the comment stays up for the moderators to judge."""
    fake, app = live.fake, live.app
    before = len(fake.deleted)  # one live fake serves the module's tests
    left = fake.wall_comment(5058, "мой телефон +7 912 345-67-89, перезвоните", post_id=98)
    fake.push("wall_reply_new", left)
    await until(lambda: outbox_done(app, 5058), "the reply under the comment")
    kept = await conversation_of(app, 5058)
    assert (kept.state, kept.handoff_reason) == (ConversationState.WAITING_FOR_MODERATOR, "details_public")
    [reply] = [c for c in fake.comments if c["reply_to_comment"] == left["id"]]
    assert any(note in reply["text"] for note in TEXTS["details_public_note"]["ru"])
    assert len(fake.deleted) == before and await not_deleted(app, kept.id)

    runtime = app.pipeline.brands["volna"]
    monkeypatch.setattr(runtime, "config", replace(runtime.config,
                                                   policy=replace(runtime.config.policy, hide_details=True)))
    hidden = fake.wall_comment(5059, "договор 4581203, ул. Ленина 5 кв 12, жду мастера", post_id=98)
    fake.push("wall_reply_new", hidden)
    await until(lambda: outbox_done(app, 5059, count=2), "the reply, then the hiding")
    conversation = await conversation_of(app, 5059)
    assert conversation.handoff_reason == "details_hidden"
    [reply] = [c for c in fake.comments if c["reply_to_comment"] == hidden["id"]]
    assert any(note in reply["text"] for note in TEXTS["details_hidden_note"]["ru"])
    assert [(d["method"], int(d["comment_id"])) for d in fake.deleted[before:]] == [
        ("wall.deleteComment", hidden["id"])]
    kinds = await app.storage.fetch("SELECT kind FROM outbox WHERE conversation_id = ? ORDER BY id",
                                    (conversation.id,))
    assert [k for (k,) in kinds] == ["handoff", "hide"]
    await until(lambda: deleted(app, conversation.id), "the comment marked hidden by the brand")


async def deleted(app: App, conversation_id: int) -> bool:
    return (await app.storage.history(conversation_id))[0].deleted_by is not None


async def not_deleted(app: App, conversation_id: int) -> bool:
    return (await app.storage.history(conversation_id))[0].deleted_by is None


async def test_a_customers_edits_in_comments_and_messages_change_the_stored_text(live: Live) -> None:
    fake, app = live.fake, live.app
    with heard(app.edited_listeners) as told:
        comment = fake.wall_comment(5051, "Интернет пропал, позовите оператора!", post_id=96)
        fake.push("wall_reply_new", comment)
        await until(lambda: outbox_done(app, 5051), "the handoff notice")
        fake.push("wall_reply_edit", {**comment, "text": "Интернет пропал, позовите оператора! Договор 4411"})
        private = fake.private(5051, "Сколько стоит ваш самый быстрый тариф?")
        fake.push("message_new", private)
        conversation = await conversation_of(app, 5051)

        async def both_read() -> bool:
            return await app.storage.count("messages", "conversation_id = ? AND direction = 'in'"
                                           " AND action IS NOT NULL", (conversation.id,)) == 2

        await until(both_read, "the private message read (the thread waits for a person)")
        fake.push("message_edit", {**private["message"], "text": "Сколько стоит самый быстрый тариф для дома?"})
        await until(lambda: len(told) == 2, "both edits told")
        assert [m.text for m in await app.storage.history(conversation.id) if m.direction == "in"] == [
            "Интернет пропал, позовите оператора! Договор 4411", "Сколько стоит самый быстрый тариф для дома?"]
        assert told == [(conversation.id, "Интернет пропал, позовите оператора! Договор 4411"),
                        (conversation.id, "Сколько стоит самый быстрый тариф для дома?")]


async def test_malformed_events_are_skipped_and_the_next_ones_read(live: Live) -> None:
    """A field of the wrong type once made the whole long-poll batch fail again and again at the same cursor."""
    fake, app = live.fake, live.app
    fake.push("wall_reply_new", {**fake.wall_comment(5052, "Где мой заказ?"), "from_id": "someone"})
    fake.push("wall_reply_delete", {"owner_id": -GROUP, "id": "x", "post_id": 77})
    fake.push("message_edit", {"id": 1, "from_id": [5052], "peer_id": 5052, "text": "?"})
    fake.push("wall_post_new", {"id": 620, "owner_id": -GROUP, "from_id": 5052, "post_type": "post", "text": "",
                                "attachments": {"type": "photo"}})  # a list in VK's own events
    fake.push("message_new", fake.private(5052, "Сколько стоит ваш самый быстрый тариф?"))
    await until(lambda: outbox_done(app, 5052), "the answer to the next message")
    assert await app.storage.count("messages", "author_id = '5052' AND direction = 'in'") == 1


async def test_photo_board_and_market_comments_answered_in_place(live: Live) -> None:
    fake, app = live.fake, live.app
    question = "Сколько стоит ваш самый быстрый тариф?"
    fake.push("photo_comment_new", {"id": 801, "from_id": 5003, "text": question, "photo_owner_id": -GROUP,
                                    "photo_id": 12})
    fake.push("board_post_new", {"id": 802, "from_id": 5004, "text": question, "topic_owner_id": -GROUP,
                                 "topic_id": 13})
    fake.push("market_comment_new", {"id": 803, "from_id": 5005, "text": question, "market_owner_id": -GROUP,
                                     "item_id": 14})
    fake.push("wall_reply_new", fake.wall_comment(-GROUP, "our own comment is never answered"))
    for customer in (5003, 5004, 5005):
        await until(partial(outbox_done, app, customer), f"the reply to {customer}")
    by_method = {c["method"]: c for c in fake.comments if c["object_id"] in (12, 13, 14)}
    assert by_method["photos.createComment"]["reply_to_comment"] == 801
    assert by_method["photos.createComment"]["owner_id"] == -GROUP
    assert by_method["board.createComment"]["object_id"] == 13
    assert by_method["market.createComment"]["reply_to_comment"] == 803
    assert await app.storage.customer_conversation("volna", Platform.VK, str(-GROUP)) is None


async def test_comments_under_a_video_are_answered_hidden_edited_and_deleted_in_place(
    live: Live, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Brands post videos and clips; customers ask and complain under them as under posts. A question is answered
    under the comment (video.createComment, in the community's name); abuse is hidden (video.deleteComment); a
    customer's edit and deletion reach the stored history."""
    fake, app = live.fake, live.app
    runtime = app.pipeline.brands["volna"]
    monkeypatch.setattr(runtime, "config", replace(runtime.config,
                                                   policy=replace(runtime.config.policy, hide_toxic=True)))
    fake.push("video_comment_new", {"id": 861, "from_id": 5061, "date": 1_760_000_000, "video_owner_id": -GROUP,
                                    "video_id": 31, "text": "Какие способы оплаты у вас есть? Картой можно?"})
    await until(lambda: outbox_done(app, 5061), "the answer under the video")
    [answer] = [c for c in fake.comments if c["method"] == "video.createComment"]
    assert (answer["owner_id"], answer["object_id"], answer["reply_to_comment"], answer["from_group"]) == (
        -GROUP, 31, 861, "1")
    conversation = await conversation_of(app, 5061)
    [asked] = [m for m in await app.storage.history(conversation.id) if m.direction == "in"]
    assert (asked.action, asked.entry_id) == ("answer", "payment_methods")

    fake.push("video_comment_new", {"id": 862, "from_id": 5062, "video_owner_id": -GROUP, "video_id": 31,
                                    "text": "заткнись, дебил, ты конченый урод"})
    await until(lambda: outbox_done(app, 5062), "the abuse hidden")
    assert [(d["method"], d["owner_id"], d["comment_id"]) for d in fake.deleted if d.get("comment_id") == "862"] == [
        ("video.deleteComment", str(-GROUP), "862")]

    fake.push("video_comment_edit", {"id": 861, "from_id": 5061, "video_owner_id": -GROUP, "video_id": 31,
                                     "text": "Какие способы оплаты у вас есть? Картой Мир можно?"})
    fake.push("video_comment_delete", {"id": 861, "owner_id": -GROUP, "video_id": 31, "user_id": 5061,
                                       "deleter_id": 5061})

    async def deleted_by_author() -> bool:
        return (await app.storage.history(conversation.id))[0].deleted_by == "author"

    await until(deleted_by_author, "the deletion marked")
    stored = (await app.storage.history(conversation.id))[0]
    assert stored.text == "Какие способы оплаты у вас есть? Картой Мир можно?"


async def test_a_customers_own_post_on_the_wall_is_answered_under_it_and_abuse_deleted(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On an open wall customers publish posts of their own: a question gets a comment under the post, abusive
    posts are deleted (with hiding on), and suggested posts (not published) and the community's own are left
    alone."""
    fake, app = live.fake, live.app
    runtime = app.pipeline.brands["volna"]
    monkeypatch.setattr(runtime, "config", replace(runtime.config,
                                                   policy=replace(runtime.config.policy, hide_toxic=True)))
    fake.push("wall_post_new", {"id": 601, "owner_id": -GROUP, "from_id": 5091, "date": 1_760_000_000,
                                "post_type": "post", "text": "Подскажите, как оплатить интернет картой через сайт?"})
    await until(lambda: outbox_done(app, 5091), "the answer under the post")
    [answer] = [c for c in fake.comments if c["object_id"] == 601]
    assert (answer["method"], answer["owner_id"], answer["reply_to_comment"]) == ("wall.createComment", -GROUP, None)
    [asked] = [m for m in await app.storage.history((await conversation_of(app, 5091)).id) if m.direction == "in"]
    assert (asked.action, asked.entry_id) == ("answer", "payment_methods")

    fake.push("wall_post_new", {"id": 602, "owner_id": -GROUP, "from_id": 5092, "post_type": "post",
                                "text": "заткнись, дебил, вы все конченые уроды"})
    await until(lambda: outbox_done(app, 5092), "the abusive post deleted")
    assert [d for d in fake.deleted if d["method"] == "wall.delete"] == [
        {"method": "wall.delete", "owner_id": str(-GROUP), "post_id": "602"}]

    fake.push("wall_post_new", {"id": 603, "owner_id": -GROUP, "from_id": 5093, "post_type": "suggest",
                                "text": "Предлагаю новость: как оплатить интернет?"})
    fake.push("wall_post_new", {"id": 604, "owner_id": -GROUP, "from_id": -GROUP, "post_type": "post",
                                "text": "Новый тариф уже доступен!"})
    fake.push("message_new", fake.private(5094, "Сколько стоит ваш самый быстрый тариф?"))
    await until(lambda: outbox_done(app, 5094), "a later message answered (the posts before it were read)")
    for author in (5093, -GROUP):
        assert await app.storage.customer_conversation("volna", Platform.VK, str(author)) is None


async def test_a_reply_vk_refuses_to_a_community_token_fails_at_once_and_holds_nothing_up(
    live: Live, caplog: pytest.LogCaptureFixture
) -> None:
    """VK answers error 27 when a method does not take a community token (which ones do has changed over the
    years). Retrying cannot help: the reply is failed at once with a logged error saying to answer by hand, and the
    next reply under the same video is not held up behind it."""
    fake, app = live.fake, live.app
    fake.fail("video.createComment", 27)
    fake.push("video_comment_new", {"id": 871, "from_id": 5071, "video_owner_id": -GROUP, "video_id": 32,
                                    "text": "Как оплатить интернет картой?"})
    await until(lambda: outbox_done(app, 5071, status="failed"), "the reply failed")
    [item] = await app.storage.fetch("SELECT attempts, last_error FROM outbox WHERE conversation_id = ?",
                                     ((await conversation_of(app, 5071)).id,))
    assert item[0] == 1 and "27" in item[1]
    assert "answer it by hand on vk.com" in caplog.text
    fake.push("video_comment_new", {"id": 872, "from_id": 5072, "video_owner_id": -GROUP, "video_id": 32,
                                    "text": "Сколько стоит ваш самый быстрый тариф для дома?"})
    await until(lambda: outbox_done(app, 5072), "the next reply under the video")


async def test_toxic_comment_hidden_when_enabled_and_only_recorded_when_not(
    live: Live, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The real toxicity head reads the comment; the router decides, the outbox queues 'hide', VK deletes it.
    fake, app = live.fake, live.app
    runtime = app.pipeline.brands["volna"]
    base_config = runtime.config
    monkeypatch.setattr(runtime, "config", replace(base_config, policy=replace(base_config.policy, hide_toxic=True)))
    earlier = len(fake.deleted)  # (comments hidden by other tests against the same fake)
    hidden = fake.wall_comment(5006, "заткнись, дебил, ты конченый урод", post_id=78)
    fake.push("wall_reply_new", hidden)
    await until(lambda: outbox_done(app, 5006), "the comment to be hidden")
    assert [(d["method"], d["comment_id"], d["owner_id"]) for d in fake.deleted
            if d.get("comment_id") == str(hidden["id"])] == [("wall.deleteComment", str(hidden["id"]), str(-GROUP))]
    history = await app.storage.history((await conversation_of(app, 5006)).id)
    assert (history[0].text, history[0].action, history[0].reason) == (
        "заткнись, дебил, ты конченый урод", "hide", "toxic")  # text, author and reason stay stored
    # Turkish abuse the Russian-trained model scores low: the built-in blocked words hide it
    turkish = fake.wall_comment(5009, "Şerefsiz herifler, paramı iade edin artık!", post_id=78)
    fake.push("wall_reply_new", turkish)
    await until(lambda: outbox_done(app, 5009), "the Turkish comment to be hidden")
    assert [d["comment_id"] for d in fake.deleted[earlier:]] == [str(hidden["id"]), str(turkish["id"])]
    history = await app.storage.history((await conversation_of(app, 5009)).id)
    assert (history[0].action, history[0].reason) == ("hide", "blocked_word")
    assert history[0].scores["toxicity"] < 0.8
    # English abuse without a blocked word: the toxicity head's score, which counts in English where insults back it
    english = fake.wall_comment(5030, "Shut up, you stupid moron", post_id=78)
    fake.push("wall_reply_new", english)
    await until(lambda: outbox_done(app, 5030), "the English comment to be hidden")
    assert fake.deleted[-1]["comment_id"] == str(english["id"])
    history = await app.storage.history((await conversation_of(app, 5030)).id)
    assert (history[0].action, history[0].reason) == ("hide", "toxic")
    # the moderators' card says what the bot did, not an empty line from the bot
    card = await ModeratorDesk(app.storage, "volna").card(await conversation_of(app, 5030))
    assert [(m["author"], m["kind"]) for m in card.history] == [("customer", "text"), ("bot", HIDDEN)]
    assert card_text(card, "ru", ZoneInfo("Europe/Moscow")).splitlines()[-1].endswith(
        "Бот: 🚫 скрыл сообщение клиента")
    # VK reports the deletion back (by the community): marked, not taken for the customer's own deletion
    hidden = await conversation_of(app, 5030)

    async def marked() -> bool:
        return (await app.storage.history(hidden.id))[0].deleted_by == "other"

    await until(marked, "the deletion reported back")

    monkeypatch.setattr(runtime, "config", replace(base_config, policy=replace(base_config.policy, hide_toxic=False)))
    kept = fake.wall_comment(5007, "заткнись, дебил, ты конченый урод", post_id=78)
    fake.push("wall_reply_new", kept)

    async def recorded() -> bool:
        conversation = await app.storage.customer_conversation("volna", Platform.VK, "5007")
        return conversation is not None and bool((await app.storage.history(conversation.id))[0].action)

    await until(recorded, "the toxic comment to be recorded")
    history = await app.storage.history((await conversation_of(app, 5007)).id)
    assert (history[0].action, history[0].reason) == ("ignore", "toxic_recorded")
    assert not [d for d in fake.deleted if d.get("comment_id") == str(kept["id"])]
    assert not [c for c in fake.comments if c["reply_to_comment"] == kept["id"]]
    # a real question in abusive words is not met with silence: a person answers it (told so under the comment)
    question = fake.wall_comment(5103, "Бля, третий день нет интернета, когда уже почините?", post_id=78)
    fake.push("wall_reply_new", question)
    await until(lambda: outbox_done(app, 5103), "the handoff notice under the abusive question")
    conversation = await conversation_of(app, 5103)
    history = await app.storage.history(conversation.id)
    assert (history[0].action, history[0].reason, history[0].entry_id) == ("handoff", "toxic_question", "outage")
    assert conversation.state is ConversationState.WAITING_FOR_MODERATOR
    assert [c["text"] for c in fake.comments if c["reply_to_comment"] == question["id"]] == [history[1].text]

    # the abuse the bot left up is the moderators' to judge: the terminal inbox lists it, `hidemsg N` deletes it
    desk = ModeratorDesk(app.storage, "volna")
    listed = await execute(desk, "Мария", "list")
    [abuse] = [a for a in listed["abuse"] if a["author_id"] == "5007"]
    assert abuse["text"] == "заткнись, дебил, ты конченый урод" and abuse["link"] == (
        f"https://vk.com/wall-{GROUP}_78?reply={kept['id']}")
    assert not [a for a in listed["abuse"] if a["author_id"] in ("5006", "5103")]  # hidden; a question, handed off
    screen = io.StringIO()
    await run_inbox(desk, "Мария", io.StringIO(""), screen, interactive=True, language="ru")
    assert f"🚫 Оскорбление {abuse['message_id']} (бот не скрыл, hidemsg {abuse['message_id']} скроет)" in (
        screen.getvalue())
    elsewhere = await execute(ModeratorDesk(app.storage, "other"), "Пётр", f"hidemsg {abuse['message_id']}")
    assert (elsewhere["ok"], elsewhere["code"]) == (False, "no_comment")  # another brand's moderators: none
    hidden_now = await execute(desk, "Мария", f"hidemsg {abuse['message_id']}")
    assert hidden_now["ok"], hidden_now
    await until(lambda: outbox_done(app, 5007), "the comment hidden by the moderator")
    assert [d["comment_id"] for d in fake.deleted if d.get("comment_id") == str(kept["id"])] == [str(kept["id"])]
    # the same author goes on: `hideall N` hides all their abuse still up at once
    more = [fake.wall_comment(5007, text, post_id=78) for text in ("ты конченый урод", "заткнись, дебил")]
    for comment in more:
        fake.push("wall_reply_new", comment)

    async def both_listed() -> bool:
        return len([a for a in (await execute(desk, "Мария", "list"))["abuse"] if a["author_id"] == "5007"]) == 2

    await until(both_listed, "both comments recorded")
    all_hidden = await execute(desk, "Мария", f"hideall {abuse['message_id']}")
    assert all_hidden["ok"] and all_hidden["hidden"] == 2, all_hidden
    await until(lambda: outbox_done(app, 5007, count=3), "the author's comments hidden")
    assert {d.get("comment_id") for d in fake.deleted} >= {str(c["id"]) for c in more}
    assert (await execute(desk, "Мария", f"hideall {abuse['message_id']}"))["code"] == "no_comment"  # none left


async def test_customer_without_messages_allowed_is_undeliverable_and_moderators_told(live: Live) -> None:
    fake, app = live.fake, live.app
    fake.blocked.add(5008)
    fake.push("message_new", fake.private(5008, "Сколько стоит ваш самый быстрый тариф?"))
    await until(lambda: outbox_done(app, 5008, status="failed"), "the reply to fail")
    conversation = await conversation_of(app, 5008)
    assert conversation.unreachable
    notes = await app.storage.notes(conversation.id)
    assert notes and notes[0][0] == "vk" and "901" not in notes[0][1] and "личные сообщения" in notes[0][1]
    assert len(fake.calls_of("messages.send", ok_only=False)) >= 1


async def test_a_customer_who_denies_and_allows_the_communitys_messages_again_gets_the_reply_after_all(
    live: Live,
) -> None:
    """VK tells the community when a user denies or allows its private messages (the event types are turned on at
    start with the others). Denied: the thread is marked and its card says so; allowed again: the moderator's reply
    that failed meanwhile goes out after all. Someone who never wrote to the brand is not stored."""
    fake, app = live.fake, live.app
    fake.push("message_new", fake.private(5081, "Сколько стоит ваш самый быстрый тариф?"))
    await until(lambda: outbox_done(app, 5081), "the bot's answer")
    conversation = await conversation_of(app, 5081)
    fake.blocked.add(5081)
    fake.push("message_deny", {"user_id": 5081})

    async def unreachable() -> bool:
        return bool((await conversation_of(app, 5081)).unreachable)

    await until(unreachable, "the customer marked unreachable")
    assert "запретил личные сообщения" in (await app.storage.notes(conversation.id))[-1][1]
    desk = ModeratorDesk(app.storage, "volna")
    card = card_text(await desk.card(await conversation_of(app, 5081)), "ru", ZoneInfo("UTC"))
    assert "🚫 Клиент запретил личные сообщения от бренда: ответы в личку до него не дойдут" in card
    answer = "Ответ модератора: быстрый тариф стоит 990 рублей в месяц."
    await desk.reply(conversation.id, "Мария", answer)
    app.outbox.wake()
    await until(lambda: outbox_done(app, 5081, status="failed"), "the reply failed")
    assert not [m for m in fake.messages if m["text"] == answer]

    fake.blocked.discard(5081)
    fake.push("message_allow", {"user_id": 5082, "key": ""})  # a stranger
    fake.push("message_allow", {"user_id": 5081, "key": ""})
    await until(lambda: [m for m in fake.messages if m["peer_id"] == 5081 and m["text"] == answer],
                "the reply delivered after all")
    assert not await unreachable()
    assert "ответы в личку до него не дойдут" not in card_text(await desk.card(await conversation_of(app, 5081)), "ru",
                                                              ZoneInfo("UTC"))
    assert (await app.storage.notes(conversation.id))[-1] == (
        "vk", "✅ Клиент снова разрешил личные сообщения. Недоставленные ответы отправлены снова: 1.")
    assert await app.storage.customer_conversation("volna", Platform.VK, "5082") is None


async def retrying(app: App, customer: int) -> bool:
    """A reply to the customer failed once and waits for its next attempt."""
    conversation = await app.storage.customer_conversation("volna", Platform.VK, str(customer))
    return conversation is not None and bool(await app.storage.count(
        "outbox", "conversation_id = ? AND status = 'pending' AND attempts > 0", (conversation.id,)))


async def test_a_manager_answering_in_vks_own_interface_takes_the_thread(live: Live) -> None:
    """SMM managers often answer in the community's messages on vk.com: that is a person's answer. The bot's own
    sends come back as message_reply events too and are not taken for a manager's."""
    fake, app = live.fake, live.app
    fake.users[777] = ("Анна", "Менеджер")
    fake.push("message_new", fake.private(5045, "Сколько стоит ваш самый быстрый тариф?"))
    await until(lambda: outbox_done(app, 5045), "the bot's answer")
    conversation = await conversation_of(app, 5045)
    await until(lambda: fake.events[-1]["type"] == "message_reply", "the answer's echo")
    cursor = str(len(fake.events))

    async def echo_read() -> bool:
        return await app.storage.get_state(live.community.state_key) == cursor

    await until(echo_read, "the echo read")
    assert await app.storage.count("messages", "conversation_id = ? AND author = 'moderator'", (conversation.id,)) == 0

    said = fake.manager_reply(5045, 777, "Здравствуйте! Для вас сейчас действует скидка, расскажу подробнее.")
    await until(lambda: app.storage.count("messages", "conversation_id = ? AND author = 'moderator'",
                                          (conversation.id,)), "the manager's answer recorded")
    conversation = await conversation_of(app, 5045)
    assert conversation.state is ConversationState.WITH_MODERATOR and conversation.moderator == "Анна Менеджер"
    # a manager now: their comments are never a customer's, also after a restart (kept with the cursors)
    assert 777 in live.community.managers
    assert 777 in json.loads(await app.storage.get_state(live.community.managers_key) or "[]")
    manager_rows = await app.storage.fetch(
        "SELECT text, platform_message_id FROM messages WHERE conversation_id = ? AND author = 'moderator'",
        (conversation.id,))
    assert manager_rows == [("Здравствуйте! Для вас сейчас действует скидка, расскажу подробнее.", str(said))]
    # the same event read again (a restart before the cursor moved) is recorded once
    echo = next(e for e in fake.events if e["type"] == "message_reply" and e["object"]["id"] == said)
    fake.push("message_reply", echo["object"])

    fake.push("message_new", fake.private(5045, "А как её оформить?"))
    await until(lambda: app.storage.count("messages", "conversation_id = ? AND direction = 'in' AND action = 'ignore'",
                                          (conversation.id,)), "the customer's next message read")
    assert len([m for m in fake.messages if m["peer_id"] == 5045 and "admin" not in m]) == 1, "the bot stays quiet"
    assert await app.storage.count("messages", "conversation_id = ? AND author = 'moderator'", (conversation.id,)) == 1


async def test_the_bots_answer_held_up_by_vk_is_withdrawn_when_a_manager_answers_first(live: Live) -> None:
    """VK fails the bot's answer for a while; meanwhile a manager answers by hand on vk.com. When VK works again
    the bot's answer is not sent after the person's: it is kept, marked withdrawn."""
    fake, app = live.fake, live.app
    fake.users[778] = ("Ольга", "Смирнова")
    fake.fail("messages.send", 10, times=10_000)
    fake.push("message_new", fake.private(5046, "Сколько стоит ваш самый быстрый тариф?"))

    await until(partial(retrying, app, 5046), "the bot's answer failing once")
    conversation = await conversation_of(app, 5046)
    fake.manager_reply(5046, 778, "Добрый день! Самый быстрый тариф стоит 990 ₽, подключу прямо сейчас.")
    await until(lambda: app.storage.count("messages", "conversation_id = ? AND author = 'moderator'",
                                          (conversation.id,)), "the manager's answer recorded")
    fake.recover("messages.send")
    await until(lambda: outbox_done(app, 5046, status="withdrawn"), "the bot's answer withdrawn")
    assert await app.storage.count("outbox", "conversation_id = ? AND status != 'withdrawn'", (conversation.id,)) == 0
    assert [m["text"] for m in fake.messages if m["peer_id"] == 5046] == [
        "Добрый день! Самый быстрый тариф стоит 990 ₽, подключу прямо сейчас."]
    # `review` still lists the bot's decision, and says its answer was never sent
    [(question,)] = await app.storage.fetch(
        "SELECT id FROM messages WHERE conversation_id = ? AND direction = 'in'", (conversation.id,))
    reviewed = {a["message_id"]: a for a in await least_sure_answers(app.storage, "volna", 1, 1000)}
    assert reviewed[question]["delivery"] == "withdrawn" and reviewed[question]["reply"]


async def test_a_managers_comment_is_never_a_customers_and_answers_the_comment_it_replies_to(live: Live) -> None:
    """A manager answering a complaint under a post as themselves was read as a new customer comment (the bot
    might answer its own staff), and the complaint's handoff stayed unanswered. Now it is the person's answer."""
    fake, app = live.fake, live.app
    fake.users[MANAGER] = ("Ирина", "Поддержка")
    assert MANAGER in live.community.managers
    complaint = fake.wall_comment(5050, "Ваш мастер нахамил мне и ушёл! Хочу пожаловаться на сотрудника.", post_id=95)
    fake.push("wall_reply_new", complaint)
    await until(lambda: outbox_done(app, 5050), "the handoff notice under the comment")
    conversation = await conversation_of(app, 5050)
    fake.push("wall_reply_new", fake.wall_comment(MANAGER, "Волна приносит извинения, уже разбираемся.", post_id=95,
                                                  reply_to_comment=complaint["id"], parents_stack=[complaint["id"]]))
    fake.push("wall_reply_new", fake.wall_comment(MANAGER, "Волна: новые тарифы с понедельника!", post_id=95))

    async def answered() -> bool:
        handoff = await app.storage.open_handoff(conversation.id)
        return handoff is not None and handoff.first_reply_at is not None

    await until(answered, "the manager's answer counted")
    conversation = await conversation_of(app, 5050)
    assert conversation.moderator == "Ирина Поддержка" and conversation.state is ConversationState.WITH_MODERATOR
    cursor = str(len(fake.events))

    async def all_read() -> bool:
        return await app.storage.get_state(live.community.state_key) == cursor

    await until(all_read, "every event read")
    assert await app.storage.customer_conversation("volna", Platform.VK, str(MANAGER)) is None
    assert len([c for c in fake.comments if c["object_id"] == 95]) == 1  # the handoff notice only


async def test_a_managers_answer_signed_as_the_community_is_told_from_the_bots_own(live: Live) -> None:
    """Comments signed as the community are the bot's replies (VK sends them back as events) or a manager's,
    written on vk.com: only the latter answer the customer, as a person."""
    fake, app = live.fake, live.app
    complaint = fake.wall_comment(5060, "Позовите живого человека, хочу поговорить с оператором", post_id=96)
    fake.push("wall_reply_new", complaint)
    await until(lambda: outbox_done(app, 5060), "the handoff notice under the comment")
    conversation = await conversation_of(app, 5060)
    await notice_echo_read(live, post_id=96)
    handoff = await app.storage.open_handoff(conversation.id)
    assert handoff is not None and handoff.first_reply_at is None  # the bot's own notice answers nothing

    fake.community_comment("Здравствуйте! Уже звоним вам, простите за ожидание.", post_id=96,
                           reply_to_comment=complaint["id"])

    async def answered() -> bool:
        handoff = await app.storage.open_handoff(conversation.id)
        return handoff is not None and handoff.first_reply_at is not None

    await until(answered, "the manager's answer counted")
    assert (await conversation_of(app, 5060)).moderator == "Volna"


async def notice_echo_read(live: Live, post_id: int) -> None:
    """VK sent the bot's own comment under the post back as an event, and the bot has read it."""
    fake, app = live.fake, live.app
    await until(lambda: any(e["type"] == "wall_reply_new" and e["object"]["from_id"] == -GROUP
                            and e["object"]["post_id"] == post_id for e in fake.events), "the notice's echo")
    cursor = str(len(fake.events))

    async def read() -> bool:
        return await app.storage.get_state(live.community.state_key) == cursor

    await until(read, "the echo read")


async def test_a_managers_comment_under_a_customers_post_answers_it(live: Live) -> None:
    """Under a customer's own post a manager answers with a plain comment (there is no comment to reply to): that
    answers the post's author, as a person; the bot's own notice under it, echoed back, does not."""
    fake, app = live.fake, live.app
    fake.push("wall_post_new", {"id": 611, "owner_id": -GROUP, "from_id": 5095, "post_type": "post",
                                "text": "Третий день не работает интернет на Лесной, позовите живого человека!"})
    await until(lambda: outbox_done(app, 5095), "the handoff notice under the post")
    conversation = await conversation_of(app, 5095)
    await notice_echo_read(live, post_id=611)
    handoff = await app.storage.open_handoff(conversation.id)
    assert handoff is not None and handoff.first_reply_at is None  # the bot's own notice answers nothing

    fake.community_comment("Здравствуйте! Бригада уже выехала на Лесную.", post_id=611, reply_to_comment=None)

    async def answered() -> bool:
        handoff = await app.storage.open_handoff(conversation.id)
        return handoff is not None and handoff.first_reply_at is not None

    await until(answered, "the manager's answer counted")
    assert (await conversation_of(app, 5095)).moderator == "Volna"


async def test_error_6_storm_loses_nothing_and_duplicates_nothing(live: Live) -> None:
    fake, app = live.fake, live.app
    before = len(fake.calls_of("messages.send"))
    fake.fail("messages.send", 6, times=7)
    customers = list(range(5010, 5014))
    for customer in customers:
        fake.push("message_new", fake.private(customer, "Сколько стоит ваш самый быстрый тариф?"))
    for customer in customers:
        await until(partial(outbox_done, app, customer), f"the answer to {customer} through the storm")
    for customer in customers:
        assert len([m for m in fake.messages if m["peer_id"] == customer]) == 1
    assert len(fake.calls_of("messages.send")) - before == len(customers)
    assert len([c for c in fake.calls if c.method == "messages.send" and c.error == 6]) >= 7


async def test_long_poll_failures_1_2_3_and_expired_key(live: Live) -> None:
    fake, app = live.fake, live.app
    servers_before = len(fake.calls_of("groups.getLongPollServer"))
    fake.fail_longpoll(1, 2, 3)
    fake.push("group_join", {"user_id": 1, "join_type": "join"})  # wakes the waiting long poll request
    await until(lambda: len(fake.calls_of("groups.getLongPollServer")) >= servers_before + 2, "new keys")
    fake.expire_key()
    fake.push("group_join", {"user_id": 2, "join_type": "join"})
    await until(lambda: len(fake.calls_of("groups.getLongPollServer")) >= servers_before + 3, "a new key")
    fake.push("message_new", fake.private(5015, "Сколько стоит ваш самый быстрый тариф?"))
    await until(lambda: outbox_done(app, 5015), "the answer after the long poll recovered")
    assert fake.lp_requests[-1]["key"] == fake.key
    assert await app.storage.get_state(live.community.state_key) == str(len(fake.events))


async def test_rating_keyboard_in_private_none_in_public_and_moderator_reply_under_comment(live: Live) -> None:
    fake, app = live.fake, live.app
    desk = ModeratorDesk(app.storage, "volna")
    # private: handoff, moderator reply, resolve -> a rating keyboard; the press is stored and thanked
    fake.push("message_new", fake.private(5020, "позовите живого человека, хочу поговорить с оператором"))
    await until(lambda: outbox_done(app, 5020), "the handoff notice")
    private = await conversation_of(app, 5020)
    await desk.reply(private.id, "maria", "Здравствуйте, это Мария. Уже проверяю.")
    rating_id = await desk.resolve(private.id, "maria")
    assert rating_id is not None
    app.outbox.wake()
    await until(lambda: outbox_done(app, 5020, 3), "the moderator reply and the rating question")
    keyboard = [m for m in fake.messages if m["peer_id"] == 5020][-1]["keyboard"]
    assert keyboard is not None
    payloads = [b["action"]["payload"] for b in keyboard["buttons"][0]]
    assert payloads == ['{"rating": "satisfied"}', '{"rating": "not_satisfied"}']
    fake.push("message_new", fake.private(5020, keyboard["buttons"][0][0]["action"]["label"],
                                          payload={"rating": "satisfied"}))
    await until(lambda: outbox_done(app, 5020, 4), "the thanks for the rating")
    assert await app.storage.ratings(private.id) == [(True, None)]

    # public: the moderator's reply goes under the comment, and resolving asks nothing
    comment = fake.wall_comment(5021, "позовите живого человека, хочу поговорить с оператором", post_id=79)
    fake.push("wall_reply_new", comment)
    await until(lambda: outbox_done(app, 5021), "the public handoff notice")
    public = await conversation_of(app, 5021)
    await desk.reply(public.id, "maria", "Ответили вам в личных сообщениях.")
    app.outbox.wake()
    await until(lambda: outbox_done(app, 5021, 2), "the moderator reply under the comment")
    under = [c for c in fake.comments if c["reply_to_comment"] == comment["id"]]
    assert [c["text"] for c in under][-1] == "Ответили вам в личных сообщениях."
    assert await desk.resolve(public.id, "maria") is None
    assert await app.storage.count("outbox", "conversation_id = ? AND kind = 'rating'", (public.id,)) == 0


async def _reach_of(app: App, conversation_id: int) -> tuple[int | None, str | None]:
    [(people, kind)] = await app.storage.fetch(
        "SELECT reach, reach_kind FROM handoffs WHERE conversation_id = ? AND outcome = 'resolve'", (conversation_id,))
    return people, kind


async def test_solved_public_cases_reach_post_views_or_the_community_measured_and_refreshed(live: Live) -> None:
    fake, app = live.fake, live.app
    desk = ModeratorDesk(app.storage, "volna")
    now = utcnow()
    await measure_reach(app, now)  # cases solved by earlier tests are measured now and not due again below
    before = await brand_stats(app.storage, "volna")
    ask = "позовите живого человека, хочу поговорить с оператором"
    fake.post_views[90] = 1500
    fake.members_count = 42000
    fake.push("wall_reply_new", fake.wall_comment(5030, ask, post_id=90))
    fake.push("photo_comment_new", {"id": 830, "from_id": 5031, "text": ask, "photo_owner_id": -GROUP,
                                    "photo_id": 15})
    fake.push("message_new", fake.private(5032, ask))
    for customer in (5030, 5031, 5032):
        await until(partial(outbox_done, app, customer), f"the handoff notice to {customer}")
    wall, photo, private = [await conversation_of(app, c) for c in (5030, 5031, 5032)]
    for conversation in (wall, photo, private):
        await desk.resolve(conversation.id, "maria")

    # VK fails on the wall post: that case waits for the next round; the photo's reach is the community
    fake.fail("wall.getById", 10)
    await measure_reach(app, now)
    assert await _reach_of(app, wall.id) == (None, None)
    assert await _reach_of(app, photo.id) == (42000, "members")
    assert await _reach_of(app, private.id) == (None, None)  # a private dialog has no audience
    mid = await brand_stats(app.storage, "volna")
    assert mid.resolved_public - before.resolved_public == 2
    assert mid.mentions_by_platform["vk"] - before.mentions_by_platform.get("vk", 0) == 3
    assert set(mid.mentions_by_platform) == {"vk"}
    assert mid.resolved_public_reach - before.resolved_public_reach == 42000
    assert mid.resolved_public_unmeasured - before.resolved_public_unmeasured == 1

    fake.members_count = 43000
    await measure_reach(app, now)  # the failed one is asked again; the measured one is not due yet
    assert await _reach_of(app, wall.id) == (1500, "views")
    assert await _reach_of(app, photo.id) == (42000, "members")
    assert fake.calls_of("wall.getById")[-1].params["posts"] == f"-{GROUP}_90"
    after = await brand_stats(app.storage, "volna")
    assert after.resolved_public_reach - before.resolved_public_reach == 43500
    assert after.resolved_public_unmeasured == before.resolved_public_unmeasured

    fake.post_views[90] = 2100  # views keep coming: the figure is refreshed for a week
    await measure_reach(app, now + REFRESH + timedelta(hours=1))
    assert await _reach_of(app, wall.id) == (2100, "views")
    assert await _reach_of(app, photo.id) == (43000, "members")
    fake.post_views[90] = 9999
    await measure_reach(app, now + FOLLOW_FOR + timedelta(days=1))
    assert await _reach_of(app, wall.id) == (2100, "views")

    # a community that hides its member count: the case stays unmeasured and is not asked again every round
    fake.members_count = None
    fake.push("market_comment_new", {"id": 831, "from_id": 5033, "text": ask, "market_owner_id": -GROUP,
                                     "item_id": 16})
    await until(partial(outbox_done, app, 5033), "the handoff notice under the market item")
    market = await conversation_of(app, 5033)
    await desk.resolve(market.id, "maria")
    await measure_reach(app, now)
    asked = len(fake.calls_of("groups.getById"))
    await measure_reach(app, now + timedelta(minutes=10))
    assert await _reach_of(app, market.id) == (None, None)
    assert len(fake.calls_of("groups.getById")) == asked


async def test_review_links_a_public_answer_to_its_comment(live: Live) -> None:
    fake, app = live.fake, live.app
    comment = fake.wall_comment(5040, "Сколько стоит ваш самый быстрый тариф?", post_id=91)
    fake.push("wall_reply_new", comment)
    await until(lambda: outbox_done(app, 5040), "the answer under the comment")
    answers = {a["text"]: a for a in await least_sure_answers(app.storage, "volna", 1, 1000)}
    answer = answers["Сколько стоит ваш самый быстрый тариф?"]
    assert answer["public"] and answer["entry_id"] == "tariffs"
    assert answer["link"] == f"https://vk.com/wall-{GROUP}_91?reply={comment['id']}"
    assert answer["reply"] == next(c for c in fake.comments if c["reply_to_comment"] == comment["id"])["text"]
    assert answer["delivery"] == "sent"


async def test_the_customers_like_on_the_answer_under_their_comment_is_their_approval(live: Live) -> None:
    """VK's like on the bot's answer (like_add, turned on at start with the other types) is the commenter's
    approving reaction to it, as a 👍 on Telegram: kept on the answer (review, stats) and shown to the moderators;
    a stranger's like is not the customer's verdict; a like taken back clears it."""
    fake, app = live.fake, live.app
    before = await brand_stats(app.storage, "volna")
    comment = fake.wall_comment(5101, "Сколько стоит ваш самый быстрый тариф?", post_id=101)
    fake.push("wall_reply_new", comment)
    await until(lambda: outbox_done(app, 5101), "the answer under the comment")
    answer = next(c for c in fake.comments if c["reply_to_comment"] == comment["id"])

    async def reaction() -> Any:
        reviewed = {a["text"]: a for a in await least_sure_answers(app.storage, "volna", 1, 1000)}
        return reviewed[comment["text"]]["reaction"]

    conversation = await conversation_of(app, 5101)
    with heard(app.reaction_listeners) as told:
        fake.like(5102, answer["id"])  # someone else liked it
        fake.like(5101, answer["id"])
        await until(lambda: reaction(), "the like kept on the answer")
        assert await reaction() == "❤"
        assert told == [(conversation.id, "❤", answer["text"], False)]
        assert (await brand_stats(app.storage, "volna")).answers_approved == before.answers_approved + 1
        fake.like(5101, answer["id"], liked=False)
        await until(lambda: _not(reaction()), "the like taken back")
    assert (await conversation_of(app, 5101)).state is ConversationState.BOT


async def commented(live: Live, customer: int, text: str, post_id: int, under: dict[str, Any] | None = None,
                    answered: bool = True) -> dict[str, Any]:
    """A customer's comment under a wall post (in reply to `under`, in its thread), pushed and decided, its reply
    delivered when it is `answered`."""
    comment = live.fake.wall_comment(customer, text, post_id=post_id, reply_to_comment=under["id"] if under else None,
                                     parents_stack=[under["id"]] if under else None)
    live.fake.push("wall_reply_new", comment)
    if answered:
        await until(lambda: outbox_done(live.app, customer), f"the reply to {text!r}")
    else:
        await until(partial(_decided, live.app, customer), f"{text!r} decided")
    return comment


async def test_comments_joining_a_complaint_are_answered_as_the_complaint(live: Live) -> None:
    """"+1" in reply to an outage complaint, "у меня тоже" under the same post: each is read as the complaint it
    joins and gets the outage entry's words (another phrasing each) under it; "у меня тоже не работает" in reply to
    a question about prices joins no outage; "+" alone under a post approves of the post and is left as it is."""
    fake, app = live.fake, live.app
    # read, and joined, without the address VK put before it
    complaint = await commented(live, 5701, f"[club{GROUP}|Волна], опять интернета нет с утра, сколько можно!", 131)
    plus = await commented(live, 5702, "+1", 131, under=complaint)
    too = await commented(live, 5703, "у меня тоже", 131)
    replies = {}
    for customer, comment in ((5701, complaint), (5702, plus), (5703, too)):
        first = (await app.storage.history((await conversation_of(app, customer)).id))[0]
        assert first.entry_id == "outage", (comment["text"], first)
        assert first.text == comment["text"]  # the stored comment keeps its own words
        replies[customer] = [c["text"] for c in fake.comments if c["reply_to_comment"] == comment["id"]]
        assert len(replies[customer]) == 1
    assert len({texts[0] for texts in replies.values()}) == 3, "one template for everyone"
    # the moderators' card tells what the "+1" joined; erasing the complaint's author takes it from there too
    desk, zone = ModeratorDesk(app.storage, "volna"), ZoneInfo("Europe/Moscow")
    plus_thread = await conversation_of(app, 5702)
    assert f"+1 [присоединился к комментарию: «{complaint['text']}»]" in card_text(await desk.card(plus_thread), "ru",
                                                                                 zone)
    assert (await app.storage.forget_customer("volna", "vk", "5701", erase=True))["messages"] == 2  # in and out
    assert "присоединился" not in card_text(await desk.card(plus_thread), "ru", zone)

    question = await commented(live, 5704, "Сколько стоит Оптимум?", 132)
    await commented(live, 5705, "у меня тоже не работает", 132, under=question)
    decided = (await app.storage.history((await conversation_of(app, 5705)).id))[0]
    assert decided.entry_id != "tariffs" and decided.action == "handoff"
    await commented(live, 5706, "+", 132, answered=False)
    assert (await app.storage.history((await conversation_of(app, 5706)).id))[0].reason == "acknowledgement"
    # "+1" to the question: answered as it, and `review` tells what the bot read it as
    await commented(live, 5707, "+1", 132, under=question)
    reviewed = {a["message_id"]: a for a in await least_sure_answers(app.storage, "volna", 1, 1000)}
    plus_one = (await app.storage.history((await conversation_of(app, 5707)).id))[0]
    asked = (await app.storage.history((await conversation_of(app, 5704)).id))[0]
    assert plus_one.entry_id == asked.entry_id is not None
    assert reviewed[plus_one.id]["read_as"] == "Сколько стоит Оптимум?" and reviewed[plus_one.id]["text"] == "+1"


async def test_comments_joining_a_trouble_no_entry_answers_reach_a_person_too(live: Live) -> None:
    """"Аналогично, ждали весь день" in reply to a technician who never came, "+1" to a very unhappy comment no entry
    answers: each customer is handed to a person with regret, as the comment they join (they were left to the
    customers, unanswered and shown to nobody)."""
    app = live.app
    troubles = ((134, 5731, "Мастер так и не пришёл, ждали весь день", "Аналогично, ждали весь день", "missed_visit"),
                (135, 5733, "Вы худшая компания, обманываете людей, позор", "+1", "strong_negative"))
    for post, customer, text, joining, reason in troubles:
        trouble = await commented(live, customer, text, post)
        await commented(live, customer + 1, joining, post, under=trouble)
        for author in (customer, customer + 1):
            first = (await app.storage.history((await conversation_of(app, author)).id))[0]
            assert (first.action, first.reason, first.entry_id) == ("handoff", reason, None), (author, first)
            conversation = await conversation_of(app, author)
            assert conversation.state is ConversationState.WAITING_FOR_MODERATOR
        said = (await app.storage.history((await conversation_of(app, customer + 1)).id))[1].text
        assert said in {t.format(eta="часа") for t in TEXTS["unhappy_handoff"]["ru"]}, said


async def test_customers_talking_among_themselves_under_a_post_are_left_to_it(live: Live) -> None:
    """Advice or an experience in reply to another customer's comment, a friend tagged, ask the brand nothing: no
    reply, no person called (they got "Передаю ваш вопрос специалисту", the promotions); a question or a complaint
    in such a reply is the brand's."""
    app = live.app
    question = await commented(live, 5711, "Сколько стоит подключение в частный дом?", 133)
    talk = {5712: "Перезагрузите роутер, мне помогло", 5713: "У меня подключали бесплатно",
            5714: "Мы подключались в прошлом году, всё отлично работает", 5715: "А в СНТ тоже подключаете?",
            5717: "а у меня норм всё",  # lay so near the goodbye that it heard "Рады были помочь"
            5719: "Ребята, у меня всё работает, может у вас роутер?"}  # heard the router's price list
    for customer, text in talk.items():
        await commented(live, customer, text, 133, under=question, answered=customer == 5715)
    talk[5716] = "[id12345|Маша], смотри какая акция"  # a friend tagged under the post: no reply, no promotions
    await commented(live, 5716, talk[5716], 133, answered=False)
    talk[5718] = "@Маша смотри"  # a handle typed as it is: it heard the goodbye
    await commented(live, 5718, talk[5718], 133, answered=False)
    reasons = {}
    for customer in talk:
        conversation = await conversation_of(app, customer)
        reasons[customer] = (await app.storage.history(conversation.id))[0].reason
        if customer != 5715:
            assert conversation.state is ConversationState.BOT
            assert not await app.storage.count("outbox", "conversation_id = ?", (conversation.id,))
    assert {reasons[c] for c in talk if c != 5715} == {"between_customers"}
    assert reasons[5715] != "between_customers"  # a question of its own


async def _decided(app: App, customer: int) -> bool:
    conversation = await app.storage.customer_conversation("volna", Platform.VK, str(customer))
    return conversation is not None and (await app.storage.history(conversation.id))[0].action is not None


async def _not(value: Any) -> bool:
    return not await value


async def test_bad_token_stops_start_up_naming_the_brand(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, "revoked-token")
    with pytest.raises(VkStartupError, match=r"brand 'volna'.*error 5"):
        await VkService(live.app).add(live.app.config.brand("volna"))


async def test_restart_with_storms_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = await FakeVk(GROUP).start()
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    config = vk_config(tmp_path, fake, api_url=False)  # the test session's adapter reroutes api.vk.ru instead
    try:
        # first run: events are stored and decided, but VK refuses every send (error 6 storm)
        fake.fail("messages.send", 6, times=10_000)
        app = await App.start(config, seed=5)
        service = VkService(app)
        community = await service.add(config.brand("volna"), session=fake.session(), wait=1, too_many_backoff=0.01)
        tasks = [asyncio.create_task(service.run()), asyncio.create_task(app.outbox.run())]
        await until(lambda: fake.lp_requests, "the first long poll request")
        first = [fake.push("message_new", fake.private(c, "Сколько стоит ваш самый быстрый тариф?"))
                 for c in (6001, 6002, 6003)]
        await until(lambda: _count(app, "outbox", "status = 'pending'", 3), "three replies waiting in the outbox")
        await until(lambda: _state_is(app, community.state_key, str(len(fake.events))), "the saved cursor")
        await _stop(tasks)
        service.close()
        await app.close()
        assert fake.messages == []

        # while down: new messages, and VK delivers one old event again
        fake.push("message_new", fake.private(6004, "Сколько стоит ваш самый быстрый тариф?"))
        fake.events.append(first[0])
        fake._errors.clear()
        fake.fail("messages.send", 6, times=5)

        app = await App.start(config, seed=5)
        service = VkService(app)
        await service.add(config.brand("volna"), session=fake.session(), wait=1, too_many_backoff=0.01)
        tasks = [asyncio.create_task(service.run()), asyncio.create_task(app.outbox.run())]
        try:
            for customer in (6001, 6002, 6003, 6004):
                await until(partial(outbox_done, app, customer), f"the answer to {customer} after the restart")
            assert sorted(m["peer_id"] for m in fake.messages) == [6001, 6002, 6003, 6004]
            assert await app.storage.count("messages", "direction = 'in'") == 4
            assert await app.storage.count("outbox", "status != 'sent'") == 0
        finally:
            await _stop(tasks)
            service.close()
            await app.close()
    finally:
        await fake.stop()


async def _count(app: App, table: str, where: str, at_least: int) -> bool:
    return await app.storage.count(table, where) >= at_least


async def _state_is(app: App, key: str, value: str) -> bool:
    return await app.storage.get_state(key) == value


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("allowed", [True, False])
async def test_start_up_turns_on_the_long_poll_event_types_the_bot_reads(
    allowed: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Long Poll sends only the event types turned on in the community's settings; one forgotten (message_reply:
    managers' answers on vk.com; photo comments) would go unnoticed. The bot turns them on at start, or, when the
    token may not, says which are off and where to turn them on."""
    fake = await FakeVk(GROUP, longpoll_events={"message_new": 1, "wall_reply_new": 1}).start()
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    if not allowed:
        fake.fail("groups.setLongPollSettings", 15)
    config = vk_config(tmp_path, fake)
    app = await App.start(config, seed=4)
    service = VkService(app)
    try:
        await service.add(config.brand("volna"), too_many_backoff=0.01)
        if allowed:
            assert all(fake.longpoll_events.get(kind) for kind in (
                "message_reply", "photo_comment_new", "video_comment_new", "video_comment_delete", "board_post_new",
                "market_comment_new"))
        else:
            assert not fake.longpoll_events.get("message_reply")
            warning = next(r.message for r in caplog.records if "could not be turned on" in r.message)
            assert all(kind in warning for kind in ("message_reply", "message_edit", "wall_reply_delete",
                                                    "board_post_new"))
            assert "Long Poll API -> Event types" in caplog.text
    finally:
        service.close()
        await app.close()
        await fake.stop()


async def test_callback_api_confirmation_secret_and_events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    from bot.vk.events import HANDLED_EVENTS

    fake = FakeVk(GROUP)
    # the community's two Callback API servers: this bot's, with video comments and wall posts forgotten, and
    # another tool's; VK cannot say which is which, so the bot says what each misses and changes nothing
    fake.callback_servers = [{"id": 1, "title": "smm-responder", "url": "https://bot.example/vk/callback"},
                             {"id": 2, "title": "analytics", "url": "https://stats.example/hook"}]
    fake.callback_events = {1: {kind: 1 for kind in HANDLED_EVENTS
                                if kind not in ("video_comment_new", "wall_post_new")},
                            2: {"message_new": 1}}
    await fake.start()
    port = _free_port()
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    monkeypatch.setenv("VOLNA_VK_CONFIRMATION", "a1b2c3d4")
    monkeypatch.setenv("VOLNA_VK_SECRET", "s3cret")
    config = vk_config(tmp_path, fake, vk_extra=f"""mode = "callback"
confirmation_env = "VOLNA_VK_CONFIRMATION"
secret_env = "VOLNA_VK_SECRET"
listen_host = "127.0.0.1"
listen_port = {port}""")
    app = await App.start(config, seed=9)
    service = VkService(app)
    tasks: list[asyncio.Task[Any]] = []
    try:
        await service.add(config.brand("volna"), too_many_backoff=0.01)
        [ours] = [r.message for r in caplog.records if "'smm-responder'" in r.message]
        assert "does not send the event types video_comment_new, wall_post_new:" in ours
        assert any("'analytics'" in r.message and "message_reply" in r.message for r in caplog.records)
        assert not fake.calls_of("groups.setCallbackSettings")
        tasks = [asyncio.create_task(service.run()), asyncio.create_task(app.outbox.run())]
        url = f"http://127.0.0.1:{port}/vk/callback"

        async def up() -> bool:
            try:
                status, _ = await fake.post_callback(url, {"type": "confirmation", "group_id": GROUP}, "s3cret")
            except OSError:
                return False
            return status == 200

        await until(up, "the callback endpoint")
        assert await fake.post_callback(url, {"type": "confirmation", "group_id": GROUP}, "s3cret") == (
            200, "a1b2c3d4")
        event = fake.event("message_new", fake.private(7001, "Сколько стоит ваш самый быстрый тариф?"))
        status, _ = await fake.post_callback(url, event, "wrong")
        assert status == 403
        assert await app.storage.count("messages", "1") == 0
        assert await fake.post_callback(url, event, "s3cret") == (200, "ok")
        assert await fake.post_callback(url, event, "s3cret") == (200, "ok")  # VK's retry: stored once
        await until(lambda: outbox_done(app, 7001), "the answer to the callback message")
        assert await app.storage.count("messages", "direction = 'in'") == 1
        assert [m["peer_id"] for m in fake.messages] == [7001]
        assert fake.lp_requests == []  # no long poll in callback mode
    finally:
        await _stop(tasks)
        service.close()
        await app.close()
        await fake.stop()


async def test_forget_deletes_the_bots_public_replies_that_name_the_customer(
    live: Live, capsys: pytest.CaptureFixture[str]
) -> None:
    """An erasure request reaches what the community wrote to the customer where others read it: the bot's
    answer under their comment goes (wall.deleteComment with the community token), their private messages' answers
    are not public and stay in their own dialog; a dry run deletes nothing."""
    fake, app = live.fake, live.app
    comment = fake.wall_comment(5301, "Какие у вас тарифы?", post_id=79)
    fake.push("wall_reply_new", comment)
    await until(lambda: outbox_done(app, 5301), "the public answer")
    [reply] = [c for c in fake.comments if c["reply_to_comment"] == comment["id"]]
    fake.push("message_new", fake.private(5301, "А как оплатить картой?"))
    await until(lambda: outbox_done(app, 5301, 2), "the private answer")
    brand = app.config.brands["volna"]
    args = argparse.Namespace(platform="vk", customer="5301", yes=False)
    assert await run_forget(args, brand, app.config.storage_path) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["public_replies"] == [f"vk:wall-{GROUP}_79/{reply['id']}"]
    assert not [d for d in fake.deleted if d.get("comment_id") == str(reply["id"])]
    args.yes = True
    assert await run_forget(args, brand, app.config.storage_path) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["erased"] and done["public_replies"] == [f"vk:wall-{GROUP}_79/{reply['id']}: deleted"]
    assert [(d["method"], d["owner_id"]) for d in fake.deleted if d.get("comment_id") == str(reply["id"])] == [
        ("wall.deleteComment", str(-GROUP))]
    assert await app.storage.customer_conversation("volna", Platform.VK, "5301") is None


async def test_spam_and_a_scammer_posing_as_the_support_are_hidden_and_the_customer_warned(
        live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    """An account named like the brand's support answers an unhappy customer's comment with "write to us in private
    messages": the bot deletes it and warns the customer under their comment; a spam bot's comment (earnings, "write
    to my DMs") is deleted without a word; a spam bot's private message gets no answer and no person. None of them
    is a thread for the moderators, and `stats` counts them apart from the customers' mood."""
    fake, app = live.fake, live.app
    complaint = fake.wall_comment(5401, "Третий день нет интернета, что делать?", post_id=98)
    fake.push("wall_reply_new", complaint)
    await until(lambda: outbox_done(app, 5401), "the customer's notice")
    fake.users[5402] = ("Волна", "Поддержка")
    scam = fake.wall_comment(5402, "Здравствуйте! Опишите проблему в личных сообщениях, вернём деньги за простой",
                             post_id=98, reply_to_comment=complaint["id"], parents_stack=[complaint["id"]])
    fake.push("wall_reply_new", scam)
    spam = fake.wall_comment(5403, "Заработок от 5000 ₽ в день без вложений, пиши в лс", post_id=98)
    fake.push("wall_reply_new", spam)
    fake.push("message_new", fake.private(5404, "Пассивный доход от 3% в день, подробности t.me/easy_income"))
    await until(lambda: outbox_done(app, 5402, count=2), "the scam hidden and the customer warned")
    await until(lambda: outbox_done(app, 5403), "the spam hidden")

    deleted = {int(d["comment_id"]) for d in fake.deleted if d["method"] == "wall.deleteComment"}
    assert {scam["id"], spam["id"]} <= deleted and complaint["id"] not in deleted
    [warning] = [c for c in fake.comments
                 if c["reply_to_comment"] == complaint["id"] and c["text"] in TEXTS["impersonation_warning"]["ru"]]
    assert (warning["object_id"], warning["from_group"]) == (98, str(GROUP))
    assert not [c for c in fake.comments if c["reply_to_comment"] in (scam["id"], spam["id"])]
    spammer = await conversation_of(app, 5404)
    await until(lambda: app.storage.count("messages", "conversation_id = ? AND action IS NOT NULL", (spammer.id,)),
                "the private spam read")
    assert not [m for m in fake.messages if m["peer_id"] == 5404]
    for author, reason in ((5402, "impersonation"), (5403, "spam"), (5404, "spam_private")):
        conversation = await conversation_of(app, author)
        assert conversation.state is ConversationState.BOT
        [stored] = [m for m in await app.storage.history(conversation.id) if m.direction == "in"]
        assert stored.reason == reason
    figures = await brand_stats(app.storage, "volna")
    assert figures.spam == {"spam": 2, "impersonation": 1, "hidden": 2, "customers_warned": 1,
                            "customers_after_all": 0}

    # scammers also comment as a community named like the brand's support (groups.getById tells its name)
    fake.communities[777] = "Волна Телеком | Служба поддержки"
    posing = fake.wall_comment(-777, "Здравствуйте! Опишите проблему в личных сообщениях, разберёмся", post_id=98,
                               reply_to_comment=complaint["id"], parents_stack=[complaint["id"]])
    fake.push("wall_reply_new", posing)
    await until(lambda: outbox_done(app, -777, count=2), "the community's scam hidden and the customer warned")
    assert posing["id"] in {int(d["comment_id"]) for d in fake.deleted if d["method"] == "wall.deleteComment"}
    community = await conversation_of(app, -777)
    assert community.customer_name == "Волна Телеком | Служба поддержки"

    # with `hide_spam` off the scam stays up for the moderators (the terminal inbox names it), the customer is
    # warned all the same
    runtime = app.pipeline.brands["volna"]
    monkeypatch.setattr(runtime, "config", replace(runtime.config, policy=replace(runtime.config.policy,
                                                                                  hide_spam=False)))
    again = fake.wall_comment(5405, "Мы поможем вернуть деньги: напишите нам в телеграм @volna_refund", post_id=98,
                              reply_to_comment=complaint["id"], parents_stack=[complaint["id"]])
    fake.push("wall_reply_new", again)
    await until(lambda: outbox_done(app, 5405), "the customer warned again")
    assert again["id"] not in {int(d["comment_id"]) for d in fake.deleted if d["method"] == "wall.deleteComment"}
    desk = ModeratorDesk(app.storage, "volna")
    [left] = [a for a in (await execute(desk, "Мария", "list"))["abuse"] if a["author_id"] == "5405"]
    assert left["reason"] == "impersonation_recorded"
    screen = io.StringIO()
    await run_inbox(desk, "Мария", io.StringIO(""), screen, interactive=True, language="ru")
    assert f"🎭 Выдаёт себя за поддержку {left['message_id']} (бот не скрыл, hidemsg {left['message_id']} скроет)" in (
        screen.getvalue())

    # `evidence`: each account that posed as the support, with its profile and comments, to report it to VK
    accounts = {a["impersonator"]["author_id"]: a for a in await impersonators(app.storage, "volna",
                                                                                 utcnow() - timedelta(hours=1))}
    assert set(accounts) == {"5402", "-777", "5405"}
    assert accounts["-777"]["impersonator"] == {"platform": "vk", "author_id": "-777", "profile":
                                                "https://vk.com/club777", "name": "Волна Телеком | Служба поддержки"}
    [hidden] = accounts["5402"]["messages"]
    assert (hidden["hidden"], hidden["answered"], hidden["text"]) == (True, "5401", scam["text"])
    assert hidden["link"] == f"https://vk.com/wall-{GROUP}_98?reply={scam['id']}&thread={complaint['id']}"
    assert [m["hidden"] for m in accounts["5405"]["messages"]] == [False]
    from bot.evidence_page import evidence_markdown
    from bot.report_html import report_html

    page = report_html(evidence_markdown("Volna", [], "ru", ZoneInfo("UTC"), list(accounts.values())), "ru")
    assert "<h2>Аккаунты, выдававшие себя за поддержку бренда</h2>" in page  # the page to report them with
    assert ('<h3>Волна Телеком | Служба поддержки (vk <a href="https://vk.com/club777">https://vk.com/club777</a>)'
            "</h3>") in page
    assert f'<a href="https://vk.com/wall-{GROUP}_98?reply={scam["id"]}&amp;thread={complaint["id"]}">' in page


async def test_a_share_of_the_communitys_post_with_words_of_ones_own_is_a_mention_found(live: Live) -> None:
    """Someone shares the brand's post on their wall with words of their own ("Ну-ну, верим…" over its advert): VK
    tells the community (wall_repost), and the share is kept as a post about the brand found outside its pages,
    read as a customer's message is, and told to the moderators (the forum shows the unhappy ones), once; a plain
    share without words and the community's own are not; the VK search would miss it (no brand name in it)."""
    fake, app = live.fake, live.app
    told: list[tuple[str, int]] = []

    async def listener(brand: str, new: int) -> None:
        told.append((brand, new))

    app.found_listeners.append(listener)
    try:
        share = {"id": 31, "owner_id": 5501, "from_id": 5501, "date": int(utcnow().timestamp()), "post_type": "post",
                 "text": "Ну-ну, верим. Третий день сижу без интернета, а они рекламу крутят, позор",
                 "views": {"count": 240}, "copy_history": [{"id": 97, "owner_id": -GROUP, "from_id": -GROUP,
                                                            "text": "Новые тарифы уже доступны!"}]}
        fake.push("wall_repost", {**share, "id": 32, "text": ""})  # a plain share: no words of their own
        fake.push("wall_repost", {**share, "id": 33, "owner_id": -GROUP, "from_id": -GROUP, "text": "Напоминаем!"})
        fake.push("wall_repost", share)
        await until(lambda: told, "the share told")
        fake.push("wall_repost", share)  # VK tells it again
        fake.push("message_new", fake.private(5502, "Сколько стоит ваш самый быстрый тариф?"))
        await until(lambda: outbox_done(app, 5502), "the next event read")
        assert told == [("volna", 1)]
        [found] = await app.storage.outside_mentions("volna", utcnow() - timedelta(hours=1))
        assert (found["address"], found["query"], found["views"]) == ("5501_31", f"share:-{GROUP}_97", 240)
        assert found["author_name"] == "User5501 Testov" and found["negative"] >= 0.5
        assert found["text"] == share["text"]
        assert not [c for c in fake.comments if c["owner_id"] == 5501]  # the bot never answers there
    finally:
        app.found_listeners.remove(listener)
