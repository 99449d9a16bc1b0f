"""Directed negative: a wave of alike negative messages from several accounts is kept as evidence and left
to a person; real customers complaining about the same problem in their own words are not a wave."""

from __future__ import annotations

import io
import json
import random
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from bot.app import App
from bot.cli import main
from bot.config import ConfigError, load_config
from bot.desk import AccusingReply, ModeratorDesk
from bot.overdue import flag_overdue
from handlers.directed import CampaignDetector, CampaignPolicy, Mention
from handlers.texts import TEXTS
from handlers.types import Action, Platform, utcnow
from tests.conftest import MessageFactory, write_config

TEMPLATE = [
    "Худший провайдер в городе! Интернет постоянно пропадает, деньги берут, а связи нет. Не подключайтесь к ним!",
    "Худший провайдер в городе!!! Интернет постоянно пропадает, деньги берут а связи нет. Не подключайтесь к ним",
    "худший провайдер в городе, интернет постоянно пропадает, деньги берут, а связи нет, не подключайтесь!",
]
OUTAGE = [
    "Интернет не работает третий день, когда вы уже почините? Сколько можно ждать, я плачу каждый месяц!",
    "У меня тоже пропал интернет с самого утра, что у вас случилось и когда всё заработает?",
    "Третий день сижу без интернета, верните деньги за эти дни, это просто издевательство какое-то",
]


def _mention(i: int, author: str, vector: list[float], minutes: float = 0, words: int = 12) -> Mention:
    v = np.array(vector, dtype=np.float32)
    return Mention(i, author, utcnow() + timedelta(minutes=minutes), v / np.linalg.norm(v), words)


def test_the_detector_needs_several_accounts_alike_within_the_window() -> None:
    detector = CampaignDetector(CampaignPolicy(accounts=3, window_minutes=60, similarity=0.95, min_words=8))
    assert detector.observe(_mention(1, "a", [1, 0])) == []
    assert detector.observe(_mention(2, "a", [1, 0.01])) == []  # the same account again is not a wave
    assert detector.observe(_mention(3, "b", [0, 1])) == []  # another account, other words
    assert detector.observe(_mention(4, "c", [1, 0.02], words=3)) == []  # too short to be a template
    wave = detector.observe(_mention(5, "d", [1, 0.03]))
    assert wave == []  # accounts a and d only: two
    wave = detector.observe(_mention(6, "e", [1, 0.02], minutes=30))
    assert sorted(m.message_id for m in wave) == [1, 2, 5]
    # two hours later the old ones have left the window
    assert detector.observe(_mention(7, "f", [1, 0], minutes=150)) == []


def test_a_mention_found_to_be_spam_is_forgotten() -> None:
    """A scam that copied an angry customer's words (handlers.spam) is no account of a wave."""
    detector = CampaignDetector(CampaignPolicy(accounts=3, window_minutes=60, similarity=0.95, min_words=8))
    assert detector.observe(_mention(1, "a", [1, 0])) == []
    assert detector.observe(_mention(2, "scammer", [1, 0.01])) == []
    detector.forget(2)
    assert detector.observe(_mention(3, "c", [1, 0.02])) == []  # a and c: two accounts
    assert sorted(m.message_id for m in detector.observe(_mention(4, "d", [1, 0.03]))) == [1, 3]


async def test_a_template_wave_is_evidence_and_left_to_a_person(
    app: App, message: MessageFactory
) -> None:
    outcomes = []
    for i, text in enumerate(OUTAGE):
        outcome = await app.pipeline.handle(message(text, customer=f"real{i}", is_public=True, chat_id="wall-1"))
        assert outcome is not None
        outcomes.append(outcome)
    assert all(o.decision.reason != "directed_negative" for o in outcomes)  # real customers, own words

    for i, text in enumerate(TEMPLATE):
        outcome = await app.pipeline.handle(message(text, customer=f"paid{i}", is_public=True, chat_id="wall-1"))
        assert outcome is not None
        outcomes.append(outcome)
    last = outcomes[-1]
    # in public: no bot reply and no thread per paid account; moderators get the campaign (bot.telegram.forum)
    assert last.decision.action is Action.IGNORE and last.decision.reason == "directed_negative"
    assert last.decision.reply_text is None and last.outbox_ids == []
    assert last.campaign is not None and await app.storage.open_handoff(last.conversation.id) is None
    assert all(o.decision.reason != "directed_negative" for o in outcomes[3:5])  # not known yet then

    campaigns = await app.storage.campaigns("volna", utcnow() - timedelta(days=1))
    assert len(campaigns) == 1 and campaigns[0]["accounts"] == 3
    assert [m["text"] for m in campaigns[0]["messages"]] == TEMPLATE
    assert {m["author_id"] for m in campaigns[0]["messages"]} == {"paid0", "paid1", "paid2"}

    # a fourth account joins the same campaign
    fourth = await app.pipeline.handle(message(TEMPLATE[0] + " Позор!", customer="paid3", is_public=True))
    assert fourth is not None and fourth.decision.reason == "directed_negative"
    assert fourth.campaign == last.campaign
    campaigns = await app.storage.campaigns("volna", utcnow() - timedelta(days=1))
    assert len(campaigns) == 1 and campaigns[0]["accounts"] == 4

    assert await app.storage.campaigns("another-brand", utcnow() - timedelta(days=1)) == []

    # the forum's recovery finds campaigns with messages not yet posted in their topic
    since = utcnow() - timedelta(days=1)
    assert await app.storage.campaigns_not_shown("volna", since) == [last.campaign]
    newest = campaigns[0]["messages"][-1]["message_id"]
    await app.storage.save_campaign_topic(last.campaign, "-100777", "5", newest)
    assert await app.storage.campaigns_not_shown("volna", since) == []
    assert await app.storage.campaigns_not_shown("another-brand", since) == []



async def test_a_wave_is_answered_once_per_channel_post_it_reached(app: App, message: MessageFactory) -> None:
    """In a Telegram discussion group each channel post is a thread: the wave's answer goes once under each post
    (under its first wave message still up), in that message's language, never twice; a moderator's own words are
    held back when they accuse the authors."""
    group, ids = "-100500", iter(range(100, 200))

    async def post(text: str, customer: str, thread: str) -> int:
        outcome = await app.pipeline.handle(message(text, customer=customer, platform=Platform.TELEGRAM, chat_id=group,
                                                    thread_id=thread, is_public=True, message_id=str(next(ids))))
        assert outcome is not None
        return outcome.message_id

    first = [await post(text, f"paid{i}", "10") for i, text in enumerate(TEMPLATE)]
    later = await post(TEMPLATE[0] + " Позор!", "paid3", "20")  # the wave under the next channel post
    await app.storage.mark_deleted("volna", Platform.TELEGRAM, group, [str(100)], None)  # its first one is gone
    [campaign] = await app.storage.campaigns("volna", utcnow() - timedelta(days=1))
    desk = ModeratorDesk(app.storage, "volna", language="ru")
    with pytest.raises(AccusingReply):
        await desk.answer_campaign(campaign["campaign"], "maria", "Вы лжёте, вам заплатили")
    sent = await desk.answer_campaign(campaign["campaign"], "maria")
    assert len(sent) == 2 and all(text in TEXTS["campaign_statement"]["ru"] for text in sent)
    queued = await app.storage.fetch("SELECT source_message_id, chat_id, thread_id, kind FROM outbox"
                                     " WHERE kind = 'statement' ORDER BY id")
    assert queued == [(first[1], group, "10", "statement"), (later, group, "20", "statement")]
    assert await desk.answer_campaign(campaign["campaign"], "maria") == []  # answered everywhere already
    assert await ModeratorDesk(app.storage, "another-brand").answer_campaign(campaign["campaign"], "x") == []


async def test_the_terminal_inbox_lists_the_days_campaigns_and_answers_one_in_public(
    app: App, message: MessageFactory
) -> None:
    """Brands without a Telegram forum answer a wave from the terminal: `list` shows the day's campaigns with the
    posts not answered yet, `statement N [TEXT]` answers (held back when accusing; `statement!` as it is); the
    agency's overview counts the posts left unanswered."""
    import io

    from bot.inbox import run_inbox

    for i, text in enumerate(TEMPLATE):
        await app.pipeline.handle(message(text, customer=f"paid{i}", is_public=True, chat_id="wall-1_5"))
    from bot.overview import brand_overview

    brand = app.config.brands["volna"]
    before = await brand_overview(app.storage, brand, utcnow())  # the agency's overview: a wave left unanswered
    assert (before.directed_negative, before.waves_unanswered) == (3, 1)
    desk = ModeratorDesk(app.storage, "volna")
    out = io.StringIO()
    await run_inbox(desk, "maria", stdin=io.StringIO("statement 1 Вы лжёте\nstatement 1\nlist\nquit\n"), stdout=out,
                    interactive=True, language="ru", timezone="UTC")
    lines = [line.removeprefix("inbox> ") for line in out.getvalue().splitlines()]
    listed = [line for line in lines if line.startswith("⚠ Кампания 1 (направленный негатив): аккаунтов 3, с ")]
    assert len(listed) == 2 and "без ответа публично мест: 1 (statement 1" in listed[0]
    assert "без ответа публично мест: 0 (statement 1" in listed[1]
    assert any("звучит как обвинение" in line for line in lines)
    [answered] = [line for line in lines if line.startswith("maria ответил(а) волне публично, мест: 1: «")]
    assert answered[answered.index("«") + 1:-1] in TEXTS["campaign_statement"]["ru"]
    [(text, reply_to)] = await app.storage.fetch("SELECT text, reply_to FROM outbox WHERE kind = 'statement'")
    assert reply_to == "1" and text in TEXTS["campaign_statement"]["ru"]  # under the wave's first comment
    assert (await brand_overview(app.storage, brand, utcnow())).waves_unanswered == 0


def test_the_evidence_command_lists_a_wave_from_the_local_channel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(write_config(tmp_path))
    for i, text in enumerate(TEMPLATE):
        monkeypatch.setattr("sys.stdin", io.StringIO(text + "\n"))
        assert main(["--config", config, "chat", "--brand", "volna", "--customer", f"paid{i}"]) == 0
    outcomes = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    # in a private chat the last one still hears when a person will answer; the bot says nothing more
    assert outcomes[-1]["reason"] == "directed_negative" and outcomes[-1]["decision"] == "handoff"
    assert main(["--config", config, "evidence", "--brand", "volna"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(rows) == 1 and rows[0]["accounts"] == 3
    assert [m["author_id"] for m in rows[0]["messages"]] == ["paid0", "paid1", "paid2"]
    assert {m["link"] for m in rows[0]["messages"]} == {None}  # the local channel has no web addresses
    assert main(["--config", config, "stats", "--brand", "volna"]) == 0
    stats = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert stats["directed_negative"] == 3
    assert stats["negative"] == 0  # an attack is not the customers' mood: the ratio leaves it out
    assert main(["--config", config, "evidence", "--brand", "volna", "--format", "html", "--language", "en"]) == 0
    page = capsys.readouterr().out  # one page to expose the attack
    assert page.startswith("<!DOCTYPE html>") and "<h1>Directed negative: volna</h1>" in page
    assert "<h2>Campaign #1: 3 accounts, 3 messages, seen " in page
    assert all(f"<tr><td>paid{i} (local paid{i})</td><td>—</td><td>1</td></tr>" in page for i in range(3))
    assert page.count("<li>") == 3 and "«Худший провайдер в городе! Интернет постоянно пропадает" in page


def test_bad_directed_negative_settings_are_config_errors(tmp_path: Path) -> None:
    for table, problem in (("accounts = 1", "at least 2"), ("similarity = 2.0", "between 0 and 1"),
                           ("window_minutes = 0", "between 1 and 1440"), ("typo = 1", "typo")):
        path = write_config(tmp_path, brand_extra=f"\n[brands.directed_negative]\n{table}\n")
        with pytest.raises(ConfigError, match=problem):
            load_config(path)


async def test_a_paid_account_whose_thread_a_person_owns_is_still_part_of_the_wave_and_gets_no_word(
    app: App, message: MessageFactory
) -> None:
    """The first template messages went to a person before the wave was known. When one of those accounts posts
    again, a quiet while later, its message joins the campaign as evidence, and no 'your message reached the
    specialist' goes out under the post to a paid account."""
    for i, text in enumerate(TEMPLATE):
        first = await app.pipeline.handle(message(text, customer=f"paid{i}", is_public=True, chat_id="wall-1"))
        assert first is not None
    owned = await app.storage.customer_conversation("volna", Platform.LOCAL, "paid0")
    assert owned is not None and owned.owned_by_human  # handed off before the wave was recognised
    again = await app.pipeline.handle(message(TEMPLATE[1] + " Не подключайтесь!", customer="paid0", is_public=True,
                                              chat_id="wall-1", sent_at=utcnow() + timedelta(minutes=15)))
    assert again is not None and again.decision.reason == "human_owns_thread"  # still mirrored to the person
    assert again.decision.reply_text is None and again.outbox_ids == []
    assert again.campaign is not None
    [campaign] = await app.storage.campaigns("volna", utcnow() - timedelta(days=1))
    assert again.message.text in [m["text"] for m in campaign["messages"]]
    # a moderator answered another of them: its next wave message is evidence, not a question due an answer
    paid1 = await app.storage.customer_conversation("volna", Platform.LOCAL, "paid1")
    assert paid1 is not None and paid1.owned_by_human
    await ModeratorDesk(app.storage, "volna").reply(paid1.id, "maria", "Здравствуйте! Расскажите подробнее.")
    more = await app.pipeline.handle(message(TEMPLATE[2] + " Позор!", customer="paid1", is_public=True,
                                             chat_id="wall-1"))
    assert more is not None and more.campaign is not None
    answered = await app.storage.open_handoff(paid1.id)
    assert answered is not None and answered.followup_due is None
    # the first one's handoff passes its deadline unanswered: the moderators hear, the paid account gets no apology
    unanswered = await app.storage.open_handoff(owned.id)
    assert unanswered is not None
    flagged = await flag_overdue(app, random.Random(1), now=unanswered.deadline_at + timedelta(minutes=1))
    assert owned.id in [c.id for c in flagged]
    assert await app.storage.count("outbox", "conversation_id = ? AND kind = 'notice'", (owned.id,)) == 0
    # a real customer in a thread a person owns still hears when the person will answer
    real = await app.pipeline.handle(message("позовите живого человека, хочу поговорить с оператором",
                                             customer="real"))
    assert real is not None and real.decision.action is Action.HANDOFF
    waiting = await app.pipeline.handle(message("я всё ещё жду ответа", customer="real",
                                                sent_at=utcnow() + timedelta(minutes=15)))
    assert waiting is not None and waiting.decision.reply_text and waiting.campaign is None
