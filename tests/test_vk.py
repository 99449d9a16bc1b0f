"""VK without the App: event conversion, the router's hide decision, the real vk_api client against the fake."""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.vk.client import VkClient, VkError, api_session
from bot.vk.events import (
    CommunityComment,
    Converted,
    Liked,
    ManagerReply,
    RatingAnswer,
    answered_message,
    convert,
    parse_target,
)
from handlers.argument_base import ArgumentBaseSource
from handlers.policy import BrandPolicy
from handlers.router import decide
from handlers.types import Action, Analysis, Conversation, ConversationState, IncomingMessage, MessageKind, Platform
from tests.conftest import SAMPLE_KB
from tests.fake_vk import FakeVk

GROUP = 1001
SAMPLE_BASE = ArgumentBaseSource(SAMPLE_KB, ("ru", "tr", "en")).current


@pytest.fixture
async def fake():
    server = await FakeVk(GROUP).start()
    yield server
    await server.stop()


def test_private_message_becomes_an_incoming_message() -> None:
    fake = FakeVk(GROUP)
    converted = convert(fake.event("message_new", fake.private(42, "Привет", message_id=9)), "volna", GROUP)
    assert isinstance(converted, Converted)
    msg = converted.message
    assert (msg.platform, msg.chat_id, msg.message_id, msg.author_id, msg.is_public) == (
        Platform.VK, "42", "9", "42", False)
    rating = convert(fake.event("message_new", fake.private(42, "👍", payload={"rating": "satisfied"})), "volna", GROUP)
    assert rating == RatingAnswer(42, 42, True)


def test_a_link_attached_to_a_comment_or_message_is_part_of_its_text() -> None:
    """VK shows an attached link as a card under the text: where readers are sent is part of what was written
    (spam hides its link there); a link the text gives already is not repeated, and a card alone is text."""
    fake = FakeVk(GROUP)
    card = {"type": "link", "link": {"url": "https://easy-money.example/join", "title": "Работа"}}
    comment = {**fake.wall_comment(7, "Доход от 5000 в день без вложений", comment_id=401), "attachments": [card]}
    converted = convert(fake.event("wall_reply_new", comment), "volna", GROUP)
    assert isinstance(converted, Converted)
    assert converted.message.text == "Доход от 5000 в день без вложений\nhttps://easy-money.example/join"
    given = {**comment, "text": "Смотрите https://easy-money.example/join", "attachments": [card, {"type": "photo"}]}
    converted = convert(fake.event("wall_reply_new", given), "volna", GROUP)
    assert isinstance(converted, Converted) and converted.message.text == "Смотрите https://easy-money.example/join"
    alone = convert(fake.event("message_new", {"message": {"id": 9, "from_id": 8, "peer_id": 8, "text": "",
                                                            "attachments": [card]}}), "volna", GROUP)
    assert isinstance(alone, Converted)
    assert (alone.message.text, alone.message.kind) == ("https://easy-money.example/join", MessageKind.TEXT)


def test_a_private_message_keeps_the_language_its_sender_uses_vk_in() -> None:
    """`client_info.lang_id` (0 Russian, 3 English, 82 Turkish): for a message whose words tell no language."""
    fake = FakeVk(GROUP)
    for lang_id, hint in ((82, "tr"), (3, "en"), (0, "ru"), (6, None), ("x", None)):
        event = fake.private(8, "4581203")
        event["client_info"]["lang_id"] = lang_id
        converted = convert(fake.event("message_new", event), "volna", GROUP)
        assert isinstance(converted, Converted) and converted.author_user == 8
        assert converted.message.language_hint == hint, lang_id


def test_comments_keep_where_to_answer() -> None:
    fake = FakeVk(GROUP)
    wall = convert(fake.event("wall_reply_new", fake.wall_comment(7, "hi", post_id=77, comment_id=301,
                                                                   reply_to_comment=300, parents_stack=[299])),
                   "volna", GROUP)
    assert isinstance(wall, Converted)
    m = wall.message
    assert (m.chat_id, m.thread_id, m.message_id, m.reply_to, m.is_public) == (
        f"wall-{GROUP}_77", "299", "301", "300", True)
    target = parse_target(m.chat_id)
    assert target is not None and (target.kind, target.owner_id, target.object_id) == ("wall", -GROUP, 77)
    photo = convert({"type": "photo_comment_new", "object": {
        "id": 5, "from_id": 8, "text": "", "photo_owner_id": -GROUP, "photo_id": 12,
        "attachments": [{"type": "sticker"}]}}, "volna", GROUP)
    assert isinstance(photo, Converted)
    assert photo.message.chat_id == f"photo-{GROUP}_12" and photo.message.kind is MessageKind.STICKER
    board = convert({"type": "board_post_new", "object": {
        "id": 6, "from_id": 8, "text": "?", "topic_owner_id": -GROUP, "topic_id": 3}}, "volna", GROUP)
    market = convert({"type": "market_comment_new", "object": {
        "id": 7, "from_id": 8, "text": "?", "market_owner_id": -GROUP, "item_id": 4}}, "volna", GROUP)
    assert isinstance(board, Converted) and board.message.chat_id == f"topic-{GROUP}_3"
    assert isinstance(market, Converted)
    assert market.message.chat_id == f"market-{GROUP}_4"
    video = convert({"type": "video_comment_new", "object": {
        "id": 9, "from_id": 8, "text": "?", "video_owner_id": -GROUP, "video_id": 5, "reply_to_comment": 2,
        "parents_stack": [2]}}, "volna", GROUP)
    assert isinstance(video, Converted)
    assert (video.message.chat_id, video.message.thread_id, video.message.reply_to) == (f"video-{GROUP}_5", "2", "2")
    target = parse_target(video.message.chat_id)
    assert target is not None and (target.kind, target.owner_id, target.object_id) == ("video", -GROUP, 5)
    post = convert({"type": "wall_post_new", "object": {
        "id": 8, "owner_id": -GROUP, "from_id": 8, "post_type": "post", "text": "?"}}, "volna", GROUP)
    assert isinstance(post, Converted)
    assert (post.message.chat_id, post.message.message_id, post.message.thread_id, post.message.is_public) == (
        f"wall-{GROUP}_8", "post8", None, True)
    assert parse_target("42") is None


def test_own_replies_and_other_events_are_never_answered() -> None:
    fake = FakeVk(GROUP)
    own_comment = convert(fake.event("wall_reply_new", fake.wall_comment(-GROUP, "our own reply")), "volna", GROUP)
    # (the community's comments are never a customer's; a top-level one under a post may answer a customer's post)
    assert isinstance(own_comment, CommunityComment) and answered_message(own_comment.message) == "post77"
    photo = {"id": 5, "from_id": -GROUP, "text": "ours", "photo_owner_id": -GROUP, "photo_id": 12}
    assert convert(fake.event("photo_comment_new", photo), "volna", GROUP) is None
    own = fake.private(42, "x")
    own["message"]["out"] = 1
    assert convert(fake.event("message_new", own), "volna", GROUP) is None
    chat = fake.private(2_000_000_001, "in a group chat")
    assert convert(fake.event("message_new", chat), "volna", GROUP) is None
    assert convert({"type": "message_reply", "object": {"from_id": -GROUP}}, "volna", GROUP) is None
    assert convert({"type": "group_join", "object": {"user_id": 5}}, "volna", GROUP) is None


def test_likes_on_wall_comments_are_read_and_others_skipped() -> None:
    like = {"liker_id": 5, "object_type": "comment", "object_owner_id": -GROUP, "object_id": 900, "post_id": 77}
    assert convert({"type": "like_add", "object": like}, "volna", GROUP) == Liked(f"wall-{GROUP}_77", "900", 5, True)
    assert convert({"type": "like_remove", "object": like}, "volna", GROUP) == Liked(f"wall-{GROUP}_77", "900", 5,
                                                                                     False)
    for other in ({"object_type": "post"}, {"object_type": "photo_comment"}, {"post_id": 0}, {"liker_id": -GROUP},
                  {"object_id": None}):
        assert convert({"type": "like_add", "object": {**like, **other}}, "volna", GROUP) is None, other


def test_a_managers_answer_written_in_vk_is_told_from_the_bots_own() -> None:
    """`message_reply` is every private message the community sends; only one with admin_author_id was written by
    a person in VK's interface."""
    fake = FakeVk(GROUP)
    by_hand = {"id": 900, "peer_id": 42, "from_id": -GROUP, "out": 1, "admin_author_id": 77, "text": "Это Анна",
               "attachments": []}
    reply = convert(fake.event("message_reply", by_hand), "volna", GROUP)
    assert reply == ManagerReply(42, 77, "900", "Это Анна")
    photo = {**by_hand, "text": "", "attachments": [{"type": "photo"}]}
    assert convert(fake.event("message_reply", photo), "volna", GROUP) == ManagerReply(42, 77, "900", "[photo]")
    through_api = {k: v for k, v in by_hand.items() if k != "admin_author_id"}
    assert convert(fake.event("message_reply", through_api), "volna", GROUP) is None
    in_chat = {**by_hand, "peer_id": 2_000_000_001}
    assert convert(fake.event("message_reply", in_chat), "volna", GROUP) is None


@pytest.mark.parametrize("hide_toxic", [True, False])
def test_router_hides_toxic_public_comments_only_when_enabled(hide_toxic: bool) -> None:
    # The toxicity head is not shipped yet (the analyzer returns toxicity None): the decision is checked
    # with a given Analysis here; the VK delivery of 'hide' is tested end to end in test_vk_app.py.
    policy = BrandPolicy(hide_toxic=hide_toxic)
    conversation = Conversation(1, "volna", Platform.VK, "7", "", ConversationState.BOT, None)
    msg = IncomingMessage(Platform.VK, "volna", f"wall-{GROUP}_77", "301", "7", "вы все ...", is_public=True)
    decision = decide(msg, conversation, Analysis("ru", toxicity=0.97), None, SAMPLE_BASE, policy, [],
                      random.Random(1))
    assert decision.action is (Action.HIDE if hide_toxic else Action.IGNORE)
    assert decision.reason == ("toxic" if hide_toxic else "toxic_recorded")
    assert decision.reply_text is None


async def test_real_vk_api_client_over_http_with_version_and_errors(fake: FakeVk) -> None:
    client = VkClient("vk-test-token", session=fake.session(), too_many_backoff=0.01)
    try:
        groups = await client.call("groups.getById", group_id=GROUP)
        assert groups["groups"][0]["id"] == GROUP
        call = fake.calls[-1]
        assert call.params["v"] == "5.199" and call.params["access_token"] == "vk-test-token"
        # messages.send without random_id is refused, as by VK
        with pytest.raises(VkError) as missing:
            await client.call("messages.send", peer_id=5, message="x")
        assert missing.value.code == 100
        # error 6 is retried with a back-off inside the client; a longer storm reaches the caller
        fake.fail("users.get", 6, times=2)
        assert (await client.call("users.get", user_ids="5"))[0]["first_name"] == "User5"
        fake.fail("users.get", 6, times=10)
        with pytest.raises(VkError) as storm:
            await client.call("users.get", user_ids="5")
        assert storm.value.code == 6
    finally:
        client.close()
    bad = VkClient("wrong-token", api_url=fake.url)  # the production api_url rerouting, no test adapter
    try:
        with pytest.raises(VkError) as auth:
            await bad.call("groups.getById", group_id=GROUP)
        assert auth.value.code == 5
    finally:
        bad.close()
    assert api_session().adapters["https://"].__class__.__name__ == "HTTPAdapter"


async def test_at_most_20_requests_per_second_queued_not_dropped(fake: FakeVk) -> None:
    client = VkClient("vk-test-token", session=fake.session())
    try:
        results = await asyncio.gather(*(client.call("users.get", user_ids=str(i)) for i in range(1, 46)))
    finally:
        client.close()
    assert [r[0]["id"] for r in results] == list(range(1, 46))  # every call answered, in order
    times = sorted(c.at for c in fake.calls_of("users.get"))
    assert len(times) == 45
    for i in range(len(times) - 20):
        assert times[i + 20] - times[i] >= 1.0, "more than 20 requests reached VK within one second"
