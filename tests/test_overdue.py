"""Reaction deadlines: moderators are reminded near the deadline; past it, an apology to the customer and a word
to the moderators, once."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.config import load_config
from bot.desk import ModeratorDesk
from bot.local_channel import LocalSender
from bot.overdue import REMIND_AT_SHARE, flag_overdue, hand_back_quiet, remind_due_soon, watch_overdue
from bot.stats import brand_stats
from bot.storage import Handoff
from handlers.texts import TEXTS
from handlers.types import Conversation, ConversationState, Platform, utcnow
from tests.conftest import MessageFactory, open_only_in, write_config

HUMAN = "позовите живого человека, хочу поговорить с оператором"


async def _handoff(app: App, message: MessageFactory, customer: str, text: str = HUMAN) -> Conversation:
    outcome = await app.pipeline.handle(message(text, customer=customer))
    assert outcome is not None and outcome.decision.action.value == "handoff"
    return outcome.conversation


async def test_an_unanswered_handoff_gets_one_apology_and_moderators_are_told(
    app: App, message: MessageFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[tuple[int, Handoff]] = []

    async def listener(conversation: Conversation, handoff: Handoff) -> None:
        told.append((conversation.id, handoff))

    app.overdue_listeners.append(listener)
    waiting = await _handoff(app, message, "waits")
    taken = await _handoff(app, message, "taken")
    answered = await _handoff(app, message, "answered")
    turkish = await _handoff(app, message, "tr", "Canlı bir temsilciyle görüşmek istiyorum, lütfen bağlayın")
    desk = ModeratorDesk(app.storage, "volna")
    await desk.take(taken.id, "maria")  # taking a thread is not an answer
    await desk.reply(answered.id, "maria", "Здравствуйте! Уже смотрю.")
    handoff = await app.storage.open_handoff(waiting.id)
    assert handoff is not None
    rng = random.Random(3)

    assert await flag_overdue(app, rng, now=handoff.deadline_at - timedelta(minutes=1)) == []
    late = handoff.deadline_at + timedelta(minutes=5)
    flagged = await flag_overdue(app, rng, now=late)
    assert sorted(c.id for c in flagged) == sorted([waiting.id, taken.id, turkish.id])
    assert sorted(cid for cid, _ in told) == sorted([waiting.id, taken.id, turkish.id])
    assert all(h.deadline_at <= late for _, h in told)
    # once per handoff, across checks (and restarts: the flag is stored)
    assert await flag_overdue(app, rng, now=late + timedelta(hours=1)) == []
    assert len(told) == 3

    sender = app.outbox.senders[Platform.LOCAL]
    assert isinstance(sender, LocalSender)
    await app.outbox.deliver_due(Platform.LOCAL)
    notices = {d.conversation_id: d.text for d in sender.take() if d.kind == "notice"}
    assert set(notices) == {waiting.id, taken.id, turkish.id}
    assert notices[waiting.id] in TEXTS["overdue_holding"]["ru"]
    assert notices[turkish.id] in TEXTS["overdue_holding"]["tr"]

    # moderators see which threads are overdue; the stats count them
    assert not any(card.overdue for card in await desk.waiting())
    monkeypatch.setattr("bot.desk.utcnow", lambda: late)
    overdue = {card.conversation_id: card.overdue for card in await desk.waiting()}
    assert overdue == {waiting.id: True, taken.id: True, turkish.id: True, answered.id: False}
    stats = await brand_stats(app.storage, "volna", now=late)
    assert stats.waiting_past_deadline == 3 and stats.reactions_within_deadline == 1


async def test_a_complaint_its_author_deleted_gets_no_apology_but_moderators_are_told(
    app: App, message: MessageFactory
) -> None:
    gone = await _handoff(app, message, "gone")
    kept = await _handoff(app, message, "kept")
    [(chat_id, message_id)] = await app.storage.fetch(
        "SELECT chat_id, platform_message_id FROM messages WHERE conversation_id = ? AND direction = 'in'", (gone.id,))
    await app.storage.mark_deleted("volna", Platform.LOCAL, chat_id, [message_id], "gone")
    handoff = await app.storage.open_handoff(gone.id)
    assert handoff is not None
    flagged = await flag_overdue(app, random.Random(0), now=handoff.deadline_at + timedelta(minutes=5))
    assert {c.id for c in flagged} == {gone.id, kept.id}  # the moderators still hear of both
    notices = await app.storage.fetch("SELECT conversation_id FROM outbox WHERE kind = 'notice'")
    assert notices == [(kept.id,)]


async def test_a_customer_who_blocked_private_messages_gets_the_apology_only_under_a_public_comment(
    app: App, message: MessageFactory
) -> None:
    in_private = await _handoff(app, message, "blocked-private")
    outcome = await app.pipeline.handle(message(HUMAN, customer="blocked-public", chat_id="post-9", is_public=True))
    assert outcome is not None and outcome.decision.action.value == "handoff"
    in_public = outcome.conversation
    for conversation in (in_private, in_public):
        assert await app.storage.set_reachable(conversation, False) == (True, 0)
    handoff = await app.storage.open_handoff(in_public.id)
    assert handoff is not None
    flagged = await flag_overdue(app, random.Random(0), now=handoff.deadline_at + timedelta(minutes=5))
    assert {c.id for c in flagged} == {in_private.id, in_public.id}  # the moderators hear of both
    notices = await app.storage.fetch("SELECT conversation_id, chat_id FROM outbox WHERE kind = 'notice'")
    assert notices == [(in_public.id, "post-9")]


async def test_moderators_are_reminded_once_before_the_deadline(app: App, message: MessageFactory) -> None:
    reminded: list[int] = []

    async def listener(conversation: Conversation, handoff: Handoff) -> None:
        reminded.append(conversation.id)

    app.due_soon_listeners.append(listener)
    waiting = await _handoff(app, message, "waits")
    answered = await _handoff(app, message, "answered")
    await ModeratorDesk(app.storage, "volna").reply(answered.id, "maria", "Здравствуйте! Уже смотрю.")
    handoff = await app.storage.open_handoff(waiting.id)
    assert handoff is not None
    window = handoff.deadline_at - handoff.created_at

    assert await remind_due_soon(app, now=handoff.created_at + window / 2) == []
    near = handoff.created_at + window * REMIND_AT_SHARE + timedelta(seconds=1)
    assert [c.id for c in await remind_due_soon(app, now=near)] == [waiting.id]  # not the answered one
    assert reminded == [waiting.id]
    assert await remind_due_soon(app, now=near + timedelta(minutes=1)) == []  # once per handoff
    assert await app.storage.count("outbox", "kind = 'notice'") == 0  # a word to moderators, not the customer
    # the deadline still counts: past it, the apology and the overdue word follow
    flagged = await flag_overdue(app, random.Random(5), now=handoff.deadline_at + timedelta(seconds=1))
    assert [c.id for c in flagged] == [waiting.id]


async def test_with_support_hours_the_reminder_comes_in_the_last_working_quarter_hour(
    tmp_path: Path, message: MessageFactory
) -> None:
    """Open one day only, the day after tomorrow: a handoff now is due that day at 10:00 (60 working minutes),
    and the moderators hear of it at 9:45, not three quarters of the way through the closed days."""
    brand_extra, open_day = open_only_in(days=2)
    config = load_config(write_config(tmp_path, brand_extra=brand_extra))
    app = await App.start(config, seed=7, senders={Platform.LOCAL: LocalSender()})
    try:
        conversation = await _handoff(app, message, "night")
        handoff = await app.storage.open_handoff(conversation.id)
        assert handoff is not None and handoff.deadline_at == datetime.combine(open_day, time(10), UTC)
        window = handoff.deadline_at - handoff.created_at
        assert await remind_due_soon(app, now=handoff.created_at + window * REMIND_AT_SHARE) == []
        assert await remind_due_soon(app, now=handoff.deadline_at - timedelta(minutes=16)) == []
        assert [c.id for c in await remind_due_soon(app, now=handoff.deadline_at - timedelta(minutes=15))] == [
            conversation.id]
    finally:
        await app.close()


async def test_a_handoff_first_seen_past_its_deadline_is_overdue_not_reminded(
    app: App, message: MessageFactory
) -> None:
    conversation = await _handoff(app, message, "late")
    handoff = await app.storage.open_handoff(conversation.id)
    assert handoff is not None
    late = handoff.deadline_at + timedelta(minutes=10)  # e.g. the bot was down near the deadline
    assert await remind_due_soon(app, now=late) == []
    assert [c.id for c in await flag_overdue(app, random.Random(6), now=late)] == [conversation.id]


async def test_a_listener_failure_does_not_stop_the_others(app: App, message: MessageFactory) -> None:
    seen: list[int] = []

    async def broken(conversation: Conversation, handoff: Handoff) -> None:
        raise RuntimeError("forum down")

    async def working(conversation: Conversation, handoff: Handoff) -> None:
        seen.append(conversation.id)

    app.overdue_listeners.extend([broken, working])
    first = await _handoff(app, message, "a")
    second = await _handoff(app, message, "b")
    handoff = await app.storage.open_handoff(second.id)
    assert handoff is not None
    flagged = await flag_overdue(app, random.Random(1), now=handoff.deadline_at + timedelta(seconds=1))
    assert [c.id for c in flagged] == [first.id, second.id] and seen == [first.id, second.id]


async def test_the_watch_keeps_checking(app: App, message: MessageFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    conversation = await _handoff(app, message, "w")
    handoff = await app.storage.open_handoff(conversation.id)
    assert handoff is not None
    monkeypatch.setattr("bot.overdue.utcnow", lambda: handoff.deadline_at + timedelta(hours=1))
    watch = asyncio.create_task(watch_overdue(app, random.Random(4), interval=0.05))
    try:
        for _ in range(200):
            if await app.storage.count("outbox", "conversation_id = ? AND kind = 'notice'", (conversation.id,)):
                break
            await asyncio.sleep(0.05)
        later = await _handoff(app, message, "later")  # a handoff made while the watch runs is caught too
        for _ in range(200):
            if await app.storage.count("outbox", "conversation_id = ? AND kind = 'notice'", (later.id,)):
                break
            await asyncio.sleep(0.05)
    finally:
        watch.cancel()
    notices = await app.storage.count("outbox", "kind = 'notice'")
    assert notices == 2


async def test_a_follow_up_after_a_moderators_reply_needs_a_person_in_time_too(
    app: App, message: MessageFactory
) -> None:
    """A moderator answered; the customer asks something more and nobody reacts. Past the brand's reaction time
    from that message the customer is told, once, and the moderators hear it; a moderator's reply ends it, and
    the next unanswered follow-up starts its own clock."""
    told: list[Handoff] = []

    async def listener(conversation: Conversation, handoff: Handoff) -> None:
        told.append(handoff)

    app.overdue_listeners.append(listener)
    conversation = await _handoff(app, message, "f")
    desk = ModeratorDesk(app.storage, "volna")
    await desk.reply(conversation.id, "maria", "Здравствуйте! Уже смотрю.")
    asked = utcnow() - timedelta(hours=2)  # written two hours ago (the stored time counts)
    follow_up = await app.pipeline.handle(message("а когда придёт мастер?", customer="f", sent_at=asked))
    assert follow_up is not None and follow_up.decision.reason == "human_owns_thread"
    handoff = await app.storage.open_handoff(conversation.id)
    assert handoff is not None and handoff.followup_at == asked
    assert handoff.followup_due == asked + timedelta(minutes=60) == handoff.due_at
    card = await desk.card(await desk.conversation(conversation.id))
    assert card.deadline == (asked + timedelta(minutes=60)).isoformat() and card.overdue
    again = await app.pipeline.handle(message("алло?", customer="f", sent_at=asked + timedelta(minutes=20)))
    assert again is not None  # the clock runs from the first unanswered message
    handoff = await app.storage.open_handoff(conversation.id)
    assert handoff is not None and handoff.followup_at == asked

    # the moderators are reminded in the follow-up's last quarter hour, once (the customer hears nothing yet)
    assert await remind_due_soon(app, now=asked + timedelta(minutes=44)) == []
    assert [c.id for c in await remind_due_soon(app, now=asked + timedelta(minutes=46))] == [conversation.id]
    assert await remind_due_soon(app, now=asked + timedelta(minutes=50)) == []
    rng = random.Random(2)
    assert await flag_overdue(app, rng, now=asked + timedelta(minutes=59)) == []
    late = asked + timedelta(minutes=61)
    assert [c.id for c in await flag_overdue(app, rng, now=late)] == [conversation.id]
    assert [h.waiting_since for h in told] == [asked]
    assert await flag_overdue(app, rng, now=late + timedelta(hours=1)) == []  # once per follow-up
    notices = await app.storage.fetch("SELECT text FROM outbox WHERE conversation_id = ? AND kind = 'notice'",
                                      (conversation.id,))
    assert [text for (text,) in notices] in [[t] for t in TEXTS["overdue_holding"]["ru"]]
    assert (await app.storage.backlog(utcnow()))["handoffs_overdue"] == 1
    assert (await brand_stats(app.storage, "volna")).waiting_past_deadline == 1  # the follow-up, not the reply

    await desk.reply(conversation.id, "maria", "Мастер будет завтра с 10 до 12.")
    handoff = await app.storage.open_handoff(conversation.id)
    assert handoff is not None and handoff.followup_due is None and handoff.due_at is None
    assert (await app.storage.backlog(utcnow()))["handoffs_overdue"] == 0
    assert (await brand_stats(app.storage, "volna")).waiting_past_deadline == 0
    later = utcnow()
    await app.pipeline.handle(message("спасибо, а можно после обеда?", customer="f", sent_at=later))
    handoff = await app.storage.open_handoff(conversation.id)
    assert handoff is not None and handoff.followup_due == later + timedelta(minutes=60)
    assert [c.id for c in await remind_due_soon(app, now=later + timedelta(minutes=50))] == [conversation.id]
    assert [c.id for c in await flag_overdue(app, rng, now=later + timedelta(minutes=61))] == [conversation.id]
    assert len(told) == 2


async def test_a_thread_left_quiet_after_a_persons_answer_goes_back_to_the_bot(
    app: App, message: MessageFactory
) -> None:
    """A person answered and nobody wrote again for the brand's hand_back_hours (24): the thread goes back to the
    bot, so the customer's next question is answered instead of waiting for someone who has moved on. Not while
    the customer waits for an answer, and not before the hours have passed."""
    told: list[tuple[int, int]] = []

    async def listener(conversation: Conversation, hours: int) -> None:
        told.append((conversation.id, hours))

    app.hand_back_listeners.append(listener)
    desk = ModeratorDesk(app.storage, "volna")
    quiet = await _handoff(app, message, "q")
    await desk.reply(quiet.id, "maria", "Здравствуйте! Всё исправили, проверьте, пожалуйста.")
    waiting = await _handoff(app, message, "w")
    await desk.reply(waiting.id, "maria", "Здравствуйте! Уже смотрю.")
    await app.pipeline.handle(message("а когда?", customer="w"))  # a follow-up nobody answered
    unanswered = await _handoff(app, message, "u")  # nobody answered at all: the deadlines deal with it
    now = utcnow()

    assert await hand_back_quiet(app, now=now + timedelta(hours=23)) == []
    handed = await hand_back_quiet(app, now=now + timedelta(hours=25))
    assert [c.id for c in handed] == [quiet.id] and told == [(quiet.id, 24)]
    assert (await app.storage.conversation(quiet.id, "volna")).state is ConversationState.BOT
    assert (await app.storage.open_handoff(quiet.id)) is None
    for other in (waiting, unanswered):
        assert (await app.storage.conversation(other.id, "volna")).state is not ConversationState.BOT
    assert await hand_back_quiet(app, now=now + timedelta(hours=48)) == []  # once

    answer = await app.pipeline.handle(message("Как оплатить интернет?", customer="q"))
    assert answer is not None and answer.decision.action.value == "answer"


async def test_hand_back_hours_zero_keeps_the_thread_with_the_person(tmp_path: Path, message: MessageFactory) -> None:
    app = await App.start(load_config(write_config(tmp_path, brand_extra="hand_back_hours = 0")),
                          storage_path=tmp_path / "h.sqlite3", seed=1)
    try:
        conversation = await _handoff(app, message, "k")
        await ModeratorDesk(app.storage, "volna").reply(conversation.id, "maria", "Здравствуйте!")
        assert await hand_back_quiet(app, now=utcnow() + timedelta(days=40)) == []
    finally:
        await app.close()


async def test_the_inbox_lists_customers_waiting_for_a_person_first_the_nearest_deadline_first(
    app: App, message: MessageFactory
) -> None:
    desk = ModeratorDesk(app.storage, "volna")
    answered = await _handoff(app, message, "answered")  # the oldest handoff, answered: in conversation
    await desk.reply(answered.id, "maria", "Здравствуйте! Чем помочь?")
    later = await _handoff(app, message, "later")
    sooner = await _handoff(app, message, "sooner")
    await app.storage._db.execute("UPDATE handoffs SET deadline_at = ? WHERE conversation_id = ?",
                                  ((utcnow() + timedelta(minutes=5)).isoformat(), sooner.id))
    await app.storage._db.commit()
    cards = await desk.waiting()
    assert [c.conversation_id for c in cards] == [sooner.id, later.id, answered.id]
    assert [c.awaiting_reply for c in cards] == [True, True, False]
    # the answered customer writes again: their follow-up is due within the hour, after the other two
    await app.pipeline.handle(message("а ещё вопрос", customer="answered"))
    cards = await desk.waiting()
    assert [c.conversation_id for c in cards] == [sooner.id, later.id, answered.id]
    assert all(c.awaiting_reply for c in cards)
    await app.storage._db.execute("UPDATE handoffs SET followup_due = ? WHERE conversation_id = ?",
                                  ((utcnow() + timedelta(minutes=1)).isoformat(), answered.id))
    await app.storage._db.commit()
    assert [c.conversation_id for c in await desk.waiting()] == [answered.id, sooner.id, later.id]
