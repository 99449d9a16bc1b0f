"""Storage on a real SQLite file: WAL, versioned migrations, outbox retries, restart."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from benchmarks.stats import create_schema, fill
from bot.desk import ModeratorDesk
from bot.outbox import OutboxDispatcher, RetryLater, Undeliverable
from bot.review import examples_moderators_confirmed
from bot.stats import brand_stats
from bot.storage import MIGRATIONS, NewReply, OutboxItem, Storage
from handlers.argument_base import load_argument_base
from handlers.conversation_states import Event, TransitionError
from handlers.policy import BrandPolicy
from handlers.support_hours import SupportHours
from handlers.texts import TEXTS
from handlers.types import Action, Conversation, ConversationState, Decision, Platform, utcnow
from tests.conftest import SAMPLE_KB, MessageFactory


async def test_wal_and_schema_version(tmp_path: Path) -> None:
    storage = await Storage.open(tmp_path / "s.sqlite3")
    try:
        assert await storage.schema_version() == len(MIGRATIONS)
    finally:
        await storage.close()
    raw = sqlite3.connect(tmp_path / "s.sqlite3")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.execute("INSERT INTO schema_version VALUES (999)")
    raw.commit()
    raw.close()
    with pytest.raises(RuntimeError, match="newer than this program"):
        await Storage.open(tmp_path / "s.sqlite3")


async def test_migrations_upgrade_an_old_file(tmp_path: Path) -> None:
    raw = sqlite3.connect(tmp_path / "old.sqlite3")
    raw.executescript("CREATE TABLE schema_version (version INTEGER NOT NULL);" + MIGRATIONS[0]
                      + "; INSERT INTO schema_version VALUES (1);")
    raw.close()
    storage = await Storage.open(tmp_path / "old.sqlite3")
    try:
        assert await storage.schema_version() == len(MIGRATIONS)
        await storage.set_state("telegram:offset", "42")
        assert await storage.get_state("telegram:offset") == "42"
    finally:
        await storage.close()
    # a new version of the program kept the database as it was before migrating it
    kept = sqlite3.connect(tmp_path / f"old.sqlite3.before-schema-{len(MIGRATIONS)}.bak")
    try:
        assert kept.execute("SELECT MAX(version) FROM schema_version").fetchone() == (1,)
    finally:
        kept.close()
    reopened = await Storage.open(tmp_path / "old.sqlite3")  # up to date: nothing more to keep
    await reopened.close()
    assert [p.name for p in tmp_path.glob("*.bak")] == [f"old.sqlite3.before-schema-{len(MIGRATIONS)}.bak"]
    assert not list(tmp_path.glob("new.sqlite3*.bak"))


async def test_a_migration_that_cannot_keep_a_copy_first_stops_with_the_reason(tmp_path: Path) -> None:
    raw = sqlite3.connect(tmp_path / "old.sqlite3")
    raw.executescript("CREATE TABLE schema_version (version INTEGER NOT NULL);" + MIGRATIONS[0]
                      + "; INSERT INTO schema_version VALUES (1);")
    raw.close()
    (tmp_path / f"old.sqlite3.before-schema-{len(MIGRATIONS)}.bak").mkdir()  # in the way: cannot be replaced
    with pytest.raises(RuntimeError, match=r"not migrated from schema version 1 to \d+, as no copy of it"):
        await Storage.open(tmp_path / "old.sqlite3")
    check = sqlite3.connect(tmp_path / "old.sqlite3")
    try:
        assert check.execute("SELECT MAX(version) FROM schema_version").fetchone() == (1,)  # left as it was
    finally:
        check.close()


@pytest.mark.parametrize(("query", "index"), [
    # stats and the negative-wave recall (figures: `python -m benchmarks.stats`)
    ("SELECT COUNT(*), SUM(is_public) FROM messages WHERE brand = 'volna' AND direction = 'in' AND sent_at >= '2026'"
     " AND sent_at < '2027'", "messages_brand_time"),
    # the phrasings everyone under a post got lately
    ("SELECT id, phrasing_key FROM outbox WHERE chat_id = 'wall-1_2' AND phrasing_key IS NOT NULL ORDER BY id DESC"
     " LIMIT 200", "outbox_chat"),
    # `review`: the reply each answered message got
    ("SELECT m.id, o.text FROM messages m LEFT JOIN outbox o ON o.source_message_id = m.id AND o.kind = 'answer'"
     " WHERE m.brand = 'volna' AND m.direction = 'in' AND m.sent_at >= '2026'", "outbox_source"),
    # `stats`: the customers' reactions to the bot's answers
    ("SELECT o.reaction FROM messages m JOIN outbox o ON o.source_message_id = m.id WHERE m.brand = 'volna'"
     " AND m.direction = 'in' AND m.sent_at >= '2026' AND m.sent_at < '2027' AND m.action = 'answer'"
     " AND o.kind = 'answer' AND o.reaction != ''", "outbox_source"),
    # the minute's look for customers' follow-ups past their deadline
    ("SELECT * FROM handoffs WHERE closed_at IS NULL AND followup_overdue_at IS NULL AND followup_due <= '2026'"
     " ORDER BY followup_due", "handoffs_followup"),
    ("SELECT * FROM handoffs WHERE closed_at IS NULL AND followup_overdue_at IS NULL AND followup_due > '2026'"
     " AND followup_reminded_at IS NULL ORDER BY followup_due", "handoffs_followup"),
])
async def test_reports_and_replies_read_by_index_not_by_scanning_a_whole_table(tmp_path: Path, query: str,
                                                                               index: str) -> None:
    storage = await Storage.open(tmp_path / "s.sqlite3")
    try:
        plan = await storage.fetch("EXPLAIN QUERY PLAN " + query)
    finally:
        await storage.close()
    steps = [str(row[-1]) for row in plan]
    assert any(f"INDEX {index} " in step for step in steps), steps
    assert all(step.startswith("SEARCH ") for step in steps), steps  # no table read whole


async def test_upgraded_forum_topics_do_not_mirror_their_history_again(tmp_path: Path) -> None:
    """Schema 3 starts each existing topic's mirror mark at its latest customer message."""
    raw = sqlite3.connect(tmp_path / "v2.sqlite3")
    raw.executescript("CREATE TABLE schema_version (version INTEGER NOT NULL);" + MIGRATIONS[0] + ";"
                      + MIGRATIONS[1] + "; INSERT INTO schema_version VALUES (1), (2);")
    t = "2026-01-01T00:00:00+00:00"
    raw.execute("INSERT INTO conversations (id, brand, platform, customer_id, state, created_at, updated_at)"
                " VALUES (1, 'volna', 'telegram', '42', 'with_moderator', ?, ?)", (t, t))
    for number in (1, 2):
        raw.execute("INSERT INTO messages (conversation_id, brand, platform, direction, author, chat_id,"
                    " platform_message_id, text, sent_at, status) VALUES (1, 'volna', 'telegram', 'in', 'customer',"
                    " '42', ?, 'old', ?, 'processed')", (str(number), t))
    raw.execute("INSERT INTO forum_topics (conversation_id, brand, chat_id, topic_id, card_message_id, created_at,"
                " updated_at) VALUES (1, 'volna', '-100', '7', '9', ?, ?)", (t, t))
    raw.commit()
    raw.close()
    storage = await Storage.open(tmp_path / "v2.sqlite3")
    try:
        assert await storage.unmirrored(1) == []
        raw = sqlite3.connect(tmp_path / "v2.sqlite3")
        raw.execute("INSERT INTO messages (conversation_id, brand, platform, direction, author, chat_id,"
                    " platform_message_id, text, sent_at, status) VALUES (1, 'volna', 'telegram', 'in', 'customer',"
                    " '42', '3', 'new', ?, 'processed')", (t,))
        raw.commit()
        raw.close()
        assert await storage.unmirrored(1) == [3]
        await storage.mark_mirrored(1, 3)
        assert await storage.unmirrored(1) == []
    finally:
        await storage.close()


class FlakySender:
    platform = Platform.LOCAL

    def __init__(self, failures: list[Exception]) -> None:
        self.failures = failures
        self.sent: list[int] = []
        self.texts: dict[int, str] = {}  # what each delivered item said

    async def deliver(self, item: OutboxItem) -> str | None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(item.id)
        self.texts[item.id] = item.text
        return f"m{item.id}"


async def test_outbox_retries_and_marks_unreachable(tmp_path: Path, message: MessageFactory) -> None:
    storage = await Storage.open(tmp_path / "o.sqlite3")
    try:
        stored = await storage.store_incoming(message("привет", customer="o"))
        assert stored is not None
        message_id, conversation = stored
        decision = Decision(Action.ANSWER, "test", "ru", "greeting", "Здравствуйте!", "greeting:ru:private:0")
        [outbox_id] = await storage.record_decision(message_id, conversation, decision,
                                                    [NewReply("Здравствуйте!", "answer")],
                                                    BrandPolicy().reply_deadline)
        sender = FlakySender([RetryLater("429", retry_after=0), ConnectionError("reset")])
        dispatcher = OutboxDispatcher(storage, {Platform.LOCAL: sender})
        assert await dispatcher.deliver_due(Platform.LOCAL) == 0  # 429, retry_after 0: due again at once
        assert await dispatcher.deliver_due(Platform.LOCAL) == 0  # network error: backs off 2 s
        assert await storage.outbox_status(outbox_id) == "pending"
        assert await dispatcher.deliver_due(Platform.LOCAL) == 0  # not due yet
        await storage._db.execute("UPDATE outbox SET next_attempt_at = '2000-01-01'")
        assert await dispatcher.deliver_due(Platform.LOCAL) == 1
        assert sender.sent == [outbox_id] and await storage.outbox_status(outbox_id) == "sent"

        stored2 = await storage.store_incoming(message("ещё", customer="o"))
        assert stored2 is not None
        [second] = await storage.record_decision(stored2[0], conversation, decision, [NewReply("x", "answer")],
                                                 BrandPolicy().reply_deadline)
        sender.failures.append(Undeliverable("403 blocked"))
        await dispatcher.deliver_due(Platform.LOCAL)
        assert await storage.outbox_status(second) == "failed"
        assert (await storage.conversation(conversation.id, "volna")).unreachable
        # they unblock the bot and write again: reachable again (the overdue apology reaches them), but not
        # because an old message was read again after a restart
        read_again, _, _ = await storage.load_incoming(stored2[0])
        assert await storage.store_incoming(read_again) is None
        assert (await storage.conversation(conversation.id, "volna")).unreachable
        back = await storage.store_incoming(message("я снова тут", customer="o"))
        assert back is not None and not back[1].unreachable
        assert not (await storage.conversation(conversation.id, "volna")).unreachable
        assert await storage.outbox_status(second) == "pending"  # what the block stopped goes out after all
    finally:
        await storage.close()


async def test_replies_a_block_stopped_go_out_when_the_customer_allows_messages_again(
    tmp_path: Path, message: MessageFactory
) -> None:
    """Only what the block stopped: replies into the customer's private chat that failed as unreachable, queued
    within the last week. A reply under a public post, another failure and a stale reply stay failed; a public
    comment does not unblock anyone."""
    storage = await Storage.open(tmp_path / "reach.sqlite3")
    try:
        stored = await storage.store_incoming(message("Где мой заказ?", customer="r"))
        assert stored is not None
        conversation = stored[1]
        one, two, stale, other = [await storage.queue_notice(conversation, NewReply(text, "answer"))
                                  for text in ("один", "два", "старый", "другая ошибка")]
        await storage.store_incoming(message("Где мой заказ?!", customer="r", chat_id="post-7", is_public=True))
        public = await storage.queue_notice(conversation, NewReply("под постом", "answer"))
        await storage._db.execute("UPDATE outbox SET created_at = ? WHERE id = ?",
                                  ((utcnow() - timedelta(days=8)).isoformat(), stale))
        items = {item.id: item for item in await storage.due_outbox(Platform.LOCAL)}
        for outbox_id in (one, two, stale, public):
            await storage.mark_undeliverable(items[outbox_id], "403 blocked", unreachable=True)
        await storage.mark_undeliverable(items[other], "400 bad request", unreachable=False)
        await storage.store_incoming(message("Ну что?", customer="r", chat_id="post-7", is_public=True))
        assert (await storage.conversation(conversation.id, "volna")).unreachable

        assert await storage.set_reachable(conversation, True) == (True, 2)
        assert [await storage.outbox_status(i) for i in (one, two, stale, other, public)] == [
            "pending", "pending", "failed", "failed", "failed"]
        assert not (await storage.conversation(conversation.id, "volna")).unreachable
        assert await storage.set_reachable(conversation, True) == (False, 0)  # told twice: nothing more
        assert await storage.set_reachable(conversation, False) == (True, 0)
        assert (await storage.conversation(conversation.id, "volna")).unreachable
    finally:
        await storage.close()


async def test_a_chats_replies_keep_their_order_through_retries(tmp_path: Path, message: MessageFactory) -> None:
    """A reply put off (429) holds back its chat's later replies, in the same pass and after it: they never
    overtake it, even when its new attempt time lies after theirs. Other chats are not held back."""
    storage = await Storage.open(tmp_path / "order.sqlite3")
    try:
        ids: dict[str, list[int]] = {}
        for customer in ("a", "b"):
            stored = await storage.store_incoming(message("привет", customer=customer))
            assert stored is not None
            decision = Decision(Action.ANSWER, "test", "ru", None, "1", None)
            ids[customer] = await storage.record_decision(
                stored[0], stored[1], decision, [NewReply(t, "answer") for t in ("1", "2", "3")],
                BrandPolicy().reply_deadline)
        sender = FlakySender([RetryLater("429", retry_after=0)])  # a's first reply: due again at once
        dispatcher = OutboxDispatcher(storage, {Platform.LOCAL: sender})
        assert await dispatcher.deliver_due(Platform.LOCAL) == 3  # a's 2 and 3 waited for its 1; b went out
        assert sender.sent == ids["b"]
        await storage._db.execute("UPDATE outbox SET next_attempt_at = '2999-01-01' WHERE id = ?", (ids["a"][0],))
        await storage._db.execute("UPDATE outbox SET next_attempt_at = '2000-01-01' WHERE id != ?", (ids["a"][0],))
        assert await dispatcher.deliver_due(Platform.LOCAL) == 0  # a's 1 is not due: 2 and 3 wait
        await storage._db.execute("UPDATE outbox SET next_attempt_at = '2000-01-01'")
        assert await dispatcher.deliver_due(Platform.LOCAL) == 3
        assert sender.sent == ids["b"] + ids["a"]
    finally:
        await storage.close()


PAYMENT_ANSWER = "Картой или по QR."


async def answer_payment(storage: Storage, message_id: int, conversation: Conversation,
                         *more: NewReply) -> list[int]:
    """The bot answers a payment question from the base (and queues `more` with it); the outbox ids."""
    decision = Decision(Action.ANSWER, "test", "ru", "payment_methods", PAYMENT_ANSWER, "pm:ru:0")
    return await storage.record_decision(message_id, conversation, decision,
                                         [NewReply(PAYMENT_ANSWER, "answer"), *more], BrandPolicy().reply_deadline)


async def test_the_bots_replies_a_persons_answer_overtook_are_withdrawn_not_sent(
    tmp_path: Path, message: MessageFactory
) -> None:
    """The bot's answer and its notices, held up by retries, are withdrawn once a moderator's reply to the thread
    is queued after them; hiding abuse is not. What the bot answers after the person's reply goes as usual."""
    storage = await Storage.open(tmp_path / "withdraw.sqlite3")
    try:
        stored = await storage.store_incoming(message("как оплатить?", customer="w"))
        assert stored is not None
        message_id, conversation = stored
        answer, hide = await answer_payment(storage, message_id, conversation, NewReply("", "hide"))
        notice = await storage.queue_notice(conversation, NewReply("Извините, что ждёте.", "notice"))
        sender = FlakySender([RetryLater("flood control", retry_after=0)])
        dispatcher = OutboxDispatcher(storage, {Platform.LOCAL: sender})
        assert await dispatcher.deliver_due(Platform.LOCAL) == 0  # the chat's first reply put off: all wait

        reply = await ModeratorDesk(storage, "volna").reply(conversation.id, "maria", "Здравствуйте! Картой.")
        assert await dispatcher.deliver_due(Platform.LOCAL) == 2
        assert sender.sent == [hide, reply]
        assert [await storage.outbox_status(i) for i in (answer, notice)] == ["withdrawn", "withdrawn"]
        assert [(m.author, m.text) for m in await storage.history(conversation.id) if m.direction == "out"] == [
            ("bot", ""), ("moderator", "Здравствуйте! Картой.")]  # the hidden comment; the person's reply

        later = await storage.store_incoming(message("спасибо, а доставка?", customer="w"))
        assert later is not None
        [after] = await storage.record_decision(later[0], conversation, Decision(Action.IGNORE, "test", "ru"),
                                                [NewReply("Передали ваш вопрос, ответим скоро.", "notice")],
                                                BrandPolicy().reply_deadline)
        assert await dispatcher.deliver_due(Platform.LOCAL) == 1 and sender.sent[-1] == after
    finally:
        await storage.close()


async def test_a_deleted_message_is_marked_once_and_only_the_bots_replies_to_it_withdrawn(
    tmp_path: Path, message: MessageFactory
) -> None:
    storage = await Storage.open(tmp_path / "deleted.sqlite3")
    try:
        first = await storage.store_incoming(message("как оплатить?", customer="d"))
        second = await storage.store_incoming(message("и где договор?", customer="d"))
        assert first is not None and second is not None
        conversation = first[1]
        [answer] = await answer_payment(storage, first[0], conversation)
        reply = await ModeratorDesk(storage, "volna").reply(conversation.id, "maria", "Договор пришлём на почту.")
        msg, _, _ = await storage.load_incoming(second[0])
        deleted = await storage.mark_deleted("volna", Platform.LOCAL, msg.chat_id, [msg.message_id], "d")
        assert [(d.message_id, d.by) for d in deleted] == [(second[0], "author")]
        assert await storage.mark_deleted("volna", Platform.LOCAL, msg.chat_id, [msg.message_id], "d") == []
        assert await storage.outbox_status(answer) == "pending"  # it answers the first message, still there
        assert await storage.outbox_status(reply) == "pending"  # a person's reply is never withdrawn
        first_msg, _, _ = await storage.load_incoming(first[0])
        notice = await storage.queue_notice(conversation, NewReply("Извините, что ждёте.", "notice"))
        assert await storage.fetch("SELECT reply_to FROM outbox WHERE id = ?", (notice,)) == [
            (first_msg.message_id,)]  # under the latest message still there
        [gone] = await storage.mark_deleted("volna", Platform.LOCAL, msg.chat_id, [first_msg.message_id], "admin")
        assert gone.by == "other" and await storage.outbox_status(answer) == "withdrawn"
        assert [m.deleted_by for m in await storage.history(conversation.id) if m.direction == "in"] == [
            "other", "author"]
    finally:
        await storage.close()


async def test_a_company_question_of_a_withdrawn_thread_is_neither_reminded_of_nor_counted_unanswered(
    tmp_path: Path, message: MessageFactory
) -> None:
    """A moderator asked the company about a complaint, and its customer deleted the complaint before anyone
    answered (the handoff withdrawn): the evening reminder and the unanswered count still named the question. A
    restored complaint wants the answer again."""
    storage = await Storage.open(tmp_path / "company.sqlite3")
    try:
        stored = await storage.store_incoming(message("где мой заказ? третий день жду", customer="w"))
        assert stored is not None
        message_id, conversation = stored
        await storage.record_decision(message_id, conversation, Decision(Action.HANDOFF, "test", "ru"), [],
                                      BrandPolicy().reply_deadline)
        question = await storage.add_company_question("volna", conversation.id, "maria", "Когда доставка по №4581?")
        await storage.company_question_posted(question, "-100", "7")
        since = utcnow() - timedelta(hours=1)

        async def listed() -> tuple[list[int], list[int]]:
            return ([q.id for q in await storage.company_questions_to_remind("volna", since)],
                    [q.id for q in await storage.company_questions_unanswered("volna", since)])

        assert await listed() == ([question], [question])
        msg, _, _ = await storage.load_incoming(message_id)
        await storage.mark_deleted("volna", Platform.LOCAL, msg.chat_id, [msg.message_id], "w")
        assert await storage.withdraw_unanswered(conversation.id)
        assert await listed() == ([], [])
        assert await storage.reopen_withdrawn(conversation.id, message_id, utcnow() + timedelta(hours=1))
        assert await listed() == ([question], [question])
    finally:
        await storage.close()


async def test_an_answer_held_up_for_long_goes_out_with_an_apology_for_the_delay(
    tmp_path: Path, message: MessageFactory
) -> None:
    """The platform was down for hours: the bot's answer still goes, but begins with an apology (in the
    customer's language); the outbox keeps the text as decided, the history what was sent. Also when the bot
    itself was down: the question was asked long before the answer was decided. Fresh answers and notices go as
    they are."""
    storage = await Storage.open(tmp_path / "late.sqlite3")
    try:
        texts = {}
        asked = {"late": utcnow(), "fresh": utcnow(), "backlog": utcnow() - timedelta(hours=2)}
        for customer, text in (("late", "как оплатить?"), ("fresh", "как оплатить картой?"),
                               ("backlog", "как оплатить по QR?")):
            stored = await storage.store_incoming(message(text, customer=customer, sent_at=asked[customer]))
            assert stored is not None
            [texts[customer]] = await answer_payment(storage, *stored)
        late_conversation = await storage.customer_conversation("volna", Platform.LOCAL, "late")
        assert late_conversation is not None
        notice = await storage.queue_notice(late_conversation, NewReply("Спасибо за оценку!", "notice"))
        hours_ago = (utcnow() - timedelta(hours=3)).isoformat()
        await storage._db.execute("UPDATE outbox SET created_at = ? WHERE id IN (?, ?)",
                                  (hours_ago, texts["late"], notice))
        sender = FlakySender([])
        assert await OutboxDispatcher(storage, {Platform.LOCAL: sender}).deliver_due(Platform.LOCAL) == 4
        delivered = sender.texts
        for late in ("late", "backlog"):
            apology, answer = delivered[texts[late]].split("\n\n")
            assert apology in TEXTS["late_answer"]["ru"] and answer == "Картой или по QR."
        assert delivered[texts["fresh"]] == "Картой или по QR." and delivered[notice] == "Спасибо за оценку!"
        assert await storage.outbox_item(texts["late"]) == ("Картой или по QR.", "sent")
        sent = [m.text for m in await storage.history(late_conversation.id) if m.direction == "out"]
        assert sent == [delivered[texts["late"]], "Спасибо за оценку!"]
    finally:
        await storage.close()


async def test_the_stats_benchmarks_year_of_messages_reads_as_a_brands_week(tmp_path: Path) -> None:
    path = tmp_path / "bench.sqlite3"
    await create_schema(path)
    fill(path, 20_000, ["a", "b"])
    storage = await Storage.open(path)
    try:
        week = await brand_stats(storage, "a", 7)
    finally:
        await storage.close()
    # 10,000 messages a year: about 190 a week, a twentieth of them handed off and answered in 40 minutes
    assert 120 < week.mentions < 260 and week.handled == week.mentions
    assert week.resolved_by_humans == week.reactions_within_deadline > 0
    assert week.median_reaction_minutes == 40.0


async def test_a_person_taking_the_thread_while_a_message_is_read_is_never_undone(
    tmp_path: Path, message: MessageFactory
) -> None:
    """The pipeline read the conversation (the bot's) before analysing the message; meanwhile a person took the
    thread. Recording the decision must not hand it back to the bot, nor open a second handoff."""
    storage = await Storage.open(tmp_path / "race.sqlite3")
    try:
        stored = await storage.store_incoming(message("как оплатить?", customer="r"))
        assert stored is not None
        message_id, read_before = stored
        await ModeratorDesk(storage, "volna").take(read_before.id, "maria")
        decision = Decision(Action.ANSWER, "test", "ru", "payment_methods", "Картой или по QR.", "pm:ru:0")
        [reply] = await storage.record_decision(message_id, read_before, decision, [NewReply("Картой", "answer")],
                                                BrandPolicy().reply_deadline)
        now = await storage.conversation(read_before.id, "volna")
        assert now.state is ConversationState.WITH_MODERATOR and now.moderator == "maria"
        assert await storage.outbox_status(reply) == "pending"  # the answer to what came before still goes

        second = await storage.store_incoming(message("позовите человека", customer="r"))
        assert second is not None
        stale = replace(second[1], state=ConversationState.BOT)
        await storage.record_decision(second[0], stale, Decision(Action.HANDOFF, "test", "ru"), [],
                                      BrandPolicy().reply_deadline)
        assert (await storage.conversation(read_before.id, "volna")).state is ConversationState.WITH_MODERATOR
        assert await storage.count("handoffs", "conversation_id = ?", (read_before.id,)) == 0
    finally:
        await storage.close()


async def test_a_moderators_action_applies_to_the_thread_as_stored_not_as_read(
    tmp_path: Path, message: MessageFactory
) -> None:
    """A moderator's view of the thread was read before the bot handed it off: resolving it still works, and
    returning a thread someone else already gave back to the bot is refused instead of written."""
    storage = await Storage.open(tmp_path / "stale.sqlite3")
    try:
        stored = await storage.store_incoming(message("позовите человека", customer="s"))
        assert stored is not None
        message_id, seen = stored
        await storage.record_decision(message_id, replace(seen), Decision(Action.HANDOFF, "test", "ru"), [],
                                      BrandPolicy().reply_deadline)
        assert seen.state is ConversationState.BOT  # the moderator's stale view
        await storage.moderator_event(seen, Event.RESOLVE, "maria")
        assert (await storage.conversation(seen.id, "volna")).state is ConversationState.RESOLVED
        with pytest.raises(TransitionError):
            await storage.moderator_event(replace(seen, state=ConversationState.WITH_MODERATOR),
                                          Event.RETURN_TO_BOT, "maria")
    finally:
        await storage.close()


async def test_with_support_hours_a_night_handoffs_reaction_counts_working_minutes(
    tmp_path: Path, message: MessageFactory
) -> None:
    """Handed off at 22:00 Moscow time, answered at 9:05 the next morning: the moderators took 5 minutes of
    their working day, not 11 hours, and they kept the deadline (9:00 + 60 working minutes)."""
    hours = SupportHours.parse("Europe/Moscow", "09:00-21:00")
    policy = BrandPolicy(reaction_minutes=60, support_hours=hours)
    storage = await Storage.open(tmp_path / "hours.sqlite3")
    try:
        stored = await storage.store_incoming(message("позовите человека", customer="n"))
        assert stored is not None
        await storage.record_decision(stored[0], stored[1], Decision(Action.HANDOFF, "test", "ru"), [],
                                      policy.reply_deadline)
        asked = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)  # Thursday 22:00 MSK
        await storage._db.execute(
            "UPDATE handoffs SET created_at = ?, deadline_at = ?, first_reply_at = ?",
            (asked.isoformat(), policy.reply_deadline(asked).isoformat(),
             datetime(2026, 12, 4, 6, 5, tzinfo=UTC).isoformat()))
        await storage._db.commit()
        now = asked + timedelta(days=1)
        working = await brand_stats(storage, "volna", 7, now=now, hours=hours)
        assert working.median_reaction_minutes == 5.0
        assert working.reactions_within_deadline == 1 and working.reactions_late == 0
        assert (await brand_stats(storage, "volna", 7, now=now)).median_reaction_minutes == 665.0
    finally:
        await storage.close()


async def test_examples_moderators_confirmed_leave_out_known_examples_repeats_and_removed_entries(
    tmp_path: Path, message: MessageFactory
) -> None:
    base = load_argument_base(SAMPLE_KB)
    known = base.entry("refund").examples["ru"][0]
    storage = await Storage.open(tmp_path / "teach.sqlite3")
    desk = ModeratorDesk(storage, "volna", argument_base=lambda: base)
    try:
        for customer, text, entries in [("a", "верните деньги за сентябрь, пожалуйста", ("refund", "tariffs")),
                                        ("b", known, ("refund",)),
                                        ("c", "Верните деньги за сентябрь, пожалуйста ", ("refund",)),
                                        ("d", "а какие тарифы есть для дачи?", ("tariffs",))]:
            stored = await storage.store_incoming(message(text, customer=customer))
            assert stored is not None
            decision = Decision(Action.HANDOFF, "no_confident_answer", "ru", suggestions=entries)
            await storage.record_decision(stored[0], stored[1], decision, [], BrandPolicy().reply_deadline)
            await desk.send_suggestion(stored[1].id, "maria", 1)
        edited = replace(base, entries=tuple(e for e in base.entries if e.id != "tariffs"))  # tariffs removed since
        found = await examples_moderators_confirmed(storage, "volna", 1, edited)
        assert [(f["text"], f["entry_id"]) for f in found] == [("верните деньги за сентябрь, пожалуйста", "refund")]
        assert found[0]["moderator"] == "maria" and found[0]["topic"] == base.entry("refund").topic
    finally:
        await storage.close()


async def test_a_campaign_leaves_out_a_message_erased_meanwhile(tmp_path: Path, message: MessageFactory) -> None:
    """`forget` may erase a wave's message while the running bot still remembers it: filing the wave later
    keeps the messages that are there and does not fail."""
    storage = await Storage.open(tmp_path / "erased.sqlite3")
    try:
        stored = await storage.store_incoming(message("худший провайдер", customer="x"))
        assert stored is not None
        campaign = await storage.record_campaign("volna", [stored[0], stored[0] + 1000])
        [(n,)] = await storage.fetch("SELECT COUNT(*) FROM campaign_messages WHERE campaign_id = ?", (campaign,))
        assert n == 1
    finally:
        await storage.close()


async def test_stats_per_moderator_count_their_threads_reactions_and_ratings(
    tmp_path: Path, message: MessageFactory
) -> None:
    storage = await Storage.open(tmp_path / "team.sqlite3")
    desk = ModeratorDesk(storage, "volna")
    try:
        conversations = {}
        for customer in ("a", "b", "c"):
            stored = await storage.store_incoming(message("позовите человека", customer=customer))
            assert stored is not None
            await storage.record_decision(stored[0], stored[1], Decision(Action.HANDOFF, "test", "ru"), [],
                                          BrandPolicy().reply_deadline)
            conversations[customer] = stored[1]
        await desk.reply(conversations["a"].id, "maria", "Здравствуйте! Сейчас проверю.")
        await desk.resolve(conversations["a"].id, "maria")
        assert await storage.store_rating(await desk.conversation(conversations["a"].id), True)
        await desk.take(conversations["b"].id, "oleg")
        await desk.reply(conversations["b"].id, "oleg", "Добрый день!")
        await storage._db.execute("UPDATE handoffs SET first_reply_at = ? WHERE conversation_id = ?",
                                  ((utcnow() + timedelta(hours=2)).isoformat(), conversations["b"].id))
        await storage._db.commit()
        await desk.resolve(conversations["b"].id, "oleg")
        assert await storage.store_rating(await desk.conversation(conversations["b"].id), False)
        week = await brand_stats(storage, "volna", 7, now=utcnow() + timedelta(hours=3))
    finally:
        await storage.close()
    maria, oleg = week.by_moderator["maria"], week.by_moderator["oleg"]
    assert set(week.by_moderator) == {"maria", "oleg"}  # the untaken thread is the brand's, nobody's
    assert (maria["threads"], maria["resolved"], maria["reactions_within_deadline"], maria["reactions_late"]) == (
        1, 1, 1, 0)
    assert maria["median_reaction_minutes"] is not None and maria["median_reaction_minutes"] < 1
    assert (maria["ratings"], maria["satisfied_share"]) == (1, 1.0)
    assert (oleg["threads"], oleg["reactions_within_deadline"], oleg["reactions_late"], oleg["satisfied_share"]) == (
        1, 0, 1, 0.0)
    assert oleg["median_reaction_minutes"] is not None and oleg["median_reaction_minutes"] >= 119
    assert week.handed_off == 3 and week.reactions_late == 1 and week.satisfied_share == 0.5


async def test_upgraded_messages_keep_counting_towards_surges_on_their_topic(tmp_path: Path) -> None:
    """Schema 18 stores each message's topic (handlers.surge.topic_of) with its decision; messages decided before
    get it by the same rule: the entry answered from, else the intent head's likeliest at 0.3, never out of scope."""
    raw = sqlite3.connect(tmp_path / "v17.sqlite3")
    raw.executescript("CREATE TABLE schema_version (version INTEGER NOT NULL);" + ";".join(MIGRATIONS[:17])
                      + "; INSERT INTO schema_version VALUES (17);")
    t = "2026-01-01T00:00:00+00:00"
    raw.execute("INSERT INTO conversations (id, brand, platform, customer_id, state, created_at, updated_at)"
                " VALUES (1, 'volna', 'vk', '42', 'bot', ?, ?)", (t, t))
    rows = [  # entry, reason, intent, suggestions
        ("outage", "intent", 0.9, None), (None, "no_confident_answer", 0.39, '["outage", "tariffs"]'),
        (None, "no_confident_answer", 0.2, '["outage"]'), (None, "out_of_scope", 0.5, '["outage"]')]
    for number, (entry, reason, intent, suggestions) in enumerate(rows):
        raw.execute("INSERT INTO messages (conversation_id, brand, platform, direction, author, chat_id,"
                    " platform_message_id, text, sent_at, status, entry_id, reason, scores, suggestions)"
                    " VALUES (1, 'volna', 'vk', 'in', 'customer', '42', ?, 'old', ?, 'processed', ?, ?, ?, ?)",
                    (str(number), t, entry, reason, json.dumps({"intent": intent}), suggestions))
    raw.commit()
    raw.close()
    storage = await Storage.open(tmp_path / "v17.sqlite3")
    try:
        topics = [row[0] for row in await storage.fetch("SELECT topic FROM messages ORDER BY id")]
    finally:
        await storage.close()
    assert topics == ["outage", "outage", None, None]
