"""The local channel and the inbox in their scriptable JSON-lines mode, end to end."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.cli import main
from bot.desk import ModeratorDesk
from bot.inbox import _error_text
from bot.local_channel import LocalSender, run_chat
from bot.storage import NewReply, Storage
from handlers.argument_base import load_argument_base
from handlers.support_hours import local_moment
from handlers.texts import LABELS, TEXTS, handoff_reason
from handlers.types import Platform, utcnow
from tests.conftest import SAMPLE_KB, write_config


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str],
         stdin: str) -> list[dict[str, object]]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(argv) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_chat_then_inbox_then_chat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    config = str(write_config(tmp_path))
    lines = ["привет", "сколько стоит самый быстрый тариф?", "", "хочу поговорить с живым человеком",
             "ну где вы?"]
    out = _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna", "--name", "Олег"],
               "\n".join(lines) + "\n")
    assert len(out) == len(lines)
    for row in out:
        assert set(row) >= {"reply", "decision", "entry_id", "language", "scores"}
    assert out[0]["decision"] == "answer" and out[0]["entry_id"] == "greeting" and out[0]["language"] == "ru"
    assert out[1]["entry_id"] == "tariffs"
    assert out[2]["reason"] == "empty_message" and out[2]["reply"]
    assert out[3]["decision"] == "handoff" and out[3]["reply"]
    # asked where the person is: told at once that they have the request (a quick follow-up else waits in silence)
    assert out[4]["decision"] == "ignore" and out[4]["reply"] in {
        text.format(eta="часа") for text in TEXTS["still_waiting"]["ru"]}

    inbox = _run(monkeypatch, capsys, ["--config", config, "inbox", "--brand", "volna", "--moderator", "maria"],
                 "take 1\nreply 1 Олег, добрый день! Это Мария, помогу.\nnote 1 checked\nresolve 1\nreply 99 x\n"
                 "dance 1\n")
    threads = inbox[0]["threads"]
    assert isinstance(threads, list) and len(threads) == 1
    assert threads[0]["customer_name"] == "Олег" and threads[0]["state"] == "waiting_for_moderator"
    assert [m["text"] for m in threads[0]["history"] if m["author"] == "customer"][-1] == "ну где вы?"
    assert [r["ok"] for r in inbox[1:]] == [True, True, True, True, False, False]
    assert "no conversation 99" in str(inbox[5]["error"])

    back = _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna", "--name", "Олег"],
                "спасибо!\n👍 Доволен\n/rate no\n/rate maybe\n")
    assert back[0]["decision"] == "answer" and back[0]["entry_id"] == "thanks"
    # The moderator's reply and the rating question, queued while the customer was away, arrive too.
    replies = back[0]["replies"]
    assert isinstance(replies, list) and any("Мария" in r for r in replies)
    assert any(r in replies for r in TEXTS["rating_question"]["ru"])
    # Typing the button's label answers the question: thanked once, in Russian; a second answer is refused.
    assert back[1]["decision"] == "rating" and back[1]["satisfied"] is True and "error" not in back[1]
    assert back[1]["reply"] in TEXTS["rating_thanks"]["ru"]
    assert back[2]["satisfied"] is False and back[2]["reply"] is None and "nothing to rate" in str(back[2]["error"])
    assert "usage" in str(back[3]["error"])
    assert main(["--config", config, "stats", "--brand", "volna"]) == 0
    stats = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert stats["ratings"] == 1 and stats["satisfied_share"] == 1.0


def test_a_rating_without_a_resolved_thread_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    config = str(write_config(tmp_path))
    out = _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna"], "/rate yes\nпривет\n/rate yes\n")
    assert [row["decision"] for row in out] == ["rating", "answer", "rating"]
    assert all("nothing to rate" in str(row["error"]) for row in (out[0], out[2]))


def test_a_customer_reacts_to_the_bots_answer_in_the_local_channel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`/react` reacts to the last reply shown, as on Telegram: 👍 is kept, 👎 on the bot's answer brings a person."""
    config = str(write_config(tmp_path))
    out = _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna"],
               "/react 👍\nсколько стоит самый быстрый тариф?\n/react 👍\n/react 👎\n")
    assert "nothing to react to" in str(out[0]["error"])
    assert out[1]["entry_id"] == "tariffs"
    assert out[2] == {"reply": None, "decision": "reaction", "reaction": "👍", "handed_off": False}
    assert out[3]["decision"] == "reaction" and out[3]["handed_off"] is True
    assert any(str(out[3]["reply"]).startswith(text.split("{")[0]) for text in TEXTS["disliked_handoff"]["ru"])
    assert main(["--config", config, "stats", "--brand", "volna"]) == 0
    stats = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (stats["answers_approved"], stats["answers_disapproved"], stats["handed_off"]) == (0, 1, 0)
    [inbox] = _run(monkeypatch, capsys, ["--config", config, "inbox", "--brand", "volna"], "")
    threads = inbox["threads"]
    assert isinstance(threads, list) and [t["state"] for t in threads] == ["waiting_for_moderator"]
    # on a terminal the reaction's outcome reads as a line of its own
    monkeypatch.setattr("sys.stdin", _Terminal("/react\nсколько стоит самый быстрый тариф?\n/react 👎\n"))
    assert main(["--config", config, "chat", "--brand", "volna", "--customer", "t2"]) == 0
    screen = capsys.readouterr().out
    assert "[nothing to react to: no reply was shown yet]" in screen and "[reaction: 👎; handed to a person]" in screen


def test_the_brand_may_be_left_out_when_the_configuration_has_only_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`smm-responder chat` on the embedded sample stopped at "the following arguments are required: --brand"."""
    config = str(write_config(tmp_path))
    [said] = _run(monkeypatch, capsys, ["--config", config, "chat"], "сколько стоит самый быстрый тариф?\n")
    assert said["entry_id"] == "tariffs"
    # "/quit" ends the chat as Ctrl-D does: it heard "human_owns_thread" as a customer's message
    assert len(_run(monkeypatch, capsys, ["--config", config, "chat"], "привет\n/quit\nспасибо\n")) == 1
    [inbox] = _run(monkeypatch, capsys, ["--config", config, "inbox"], "")
    assert inbox["threads"] == []
    two = tmp_path / "two"
    two.mkdir()
    second = f'[[brands]]\nname = "more"\nlanguages = ["ru"]\ndefault_language = "ru"\nargument_base = "{SAMPLE_KB}"\n'
    several = str(write_config(two, extra=second))
    monkeypatch.setattr("sys.stdin", io.StringIO("привет\n"))
    assert main(["--config", several, "chat"]) == 2
    assert "name one with --brand (configured: more, volna)" in capsys.readouterr().err


def test_bad_config_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[brands]]\nname = 'x'\nargument_base = 'nope'\n", encoding="utf-8")
    assert main(["--config", str(bad), "chat", "--brand", "x"]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "brands.x.argument_base" in err and "does not exist" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_inbox_on_a_terminal_reads_in_the_brands_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A moderator at a terminal reads threads, the reason of the handoff and the inbox's own words in the brand's
    default language (Russian here), not the JSON keys and reason codes scripts get."""
    config = str(write_config(tmp_path))
    out = _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna"],
               "хочу поговорить с живым человеком\n")
    reason = str(out[0]["reason"])
    assert out[0]["decision"] == "handoff" and handoff_reason(reason, "ru") != reason
    monkeypatch.setattr("sys.stdin", _Terminal("take 1\nnote 1 перезвонить вечером\nshow 1\nreply 99 x\nreply 1\n"
                                               "resolve 1\nresolve 1\ndance\n"))
    assert main(["--config", config, "inbox", "--brand", "volna", "--moderator", "maria"]) == 0
    screen = capsys.readouterr().out
    ru = {key: texts["ru"] for key, texts in LABELS.items()}
    assert screen.startswith(ru["inbox_intro"].format(brand="volna") + "; " + ru["inbox_help"])
    assert f"{ru['card_reason']}: {handoff_reason(reason, 'ru')}" in screen and f"={reason}" not in screen
    assert f"{ru['author_customer']}: хочу поговорить с живым человеком" in screen
    assert f"{ru['card_owner']}: maria" in screen  # after `take`
    assert f"({ru['inbox_awaiting']})" in screen  # taken, not answered yet: the customer still waits
    assert f"{ru['inbox_note_by'].format(who='maria')}: перезвонить вечером" in screen
    assert screen.count(ru["inbox_done"]) == 3  # take, note, resolve
    assert ru["inbox_no_thread"].format(id=99) in screen
    assert ru["inbox_needs_text"] in screen  # an empty reply
    assert ru["inbox_wrong_state"].format(id=1) in screen  # resolved twice
    assert screen.count(ru["inbox_help"]) == 2  # on start and after an unknown command


def test_the_inbox_says_when_the_bot_will_answer_what_a_thread_given_back_left_unanswered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(write_config(tmp_path))
    _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna"],
         "хочу поговорить с живым человеком\nсменить тариф на дешевле\n")  # asks nothing: left to the person
    monkeypatch.setattr("sys.stdin", _Terminal("bot 1\n"))
    assert main(["--config", config, "inbox", "--brand", "volna", "--moderator", "maria"]) == 0
    ru = {key: texts["ru"] for key, texts in LABELS.items()}
    assert ru["topic_returned_left"].format(text="сменить тариф на дешевле") in capsys.readouterr().out
    # the running bot (here the chat, which resumes what is stored undecided) answers it from the base
    assert _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna"], "") == []

    async def last_decided() -> tuple[str, str | None, str | None]:
        storage = await Storage.open(tmp_path / "db.sqlite3")
        try:
            conversation = await storage.customer_conversation("volna", Platform.LOCAL, "local-customer")
            assert conversation is not None
            last = [m for m in await storage.history(conversation.id) if m.direction == "in"][-1]
            return last.text, last.action, last.entry_id
        finally:
            await storage.close()

    assert asyncio.run(last_decided()) == ("сменить тариф на дешевле", "answer", "change_tariff")


def test_review_lists_the_bots_own_answers_least_sure_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    config = str(write_config(tmp_path))
    said = _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna"],
                "сколько стоит самый быстрый тариф?\nкак оплатить картой?\nhow do I change my tariff?\n"
                "хочу поговорить с человеком\n")
    answered = {line["entry_id"]: line for line in said if line["decision"] == "answer"}
    assert len(answered) == 3 and said[3]["decision"] == "handoff"  # not the bot's answer: not listed
    assert main(["--config", config, "review", "--brand", "volna"]) == 0
    review = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["entry_id"] for r in review} == set(answered)
    assert [r["sureness"] for r in review] == sorted(r["sureness"] for r in review)
    for r in review:
        assert r["reply"] == answered[r["entry_id"]]["reply"] and r["text"] and r["reason"] and r["link"] is None
    assert main(["--config", config, "review", "--brand", "volna", "--limit", "1"]) == 0
    assert [json.loads(line)["entry_id"] for line in capsys.readouterr().out.splitlines()] == [review[0]["entry_id"]]


def test_review_gaps_groups_what_no_entry_covers_by_the_word_customers_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(write_config(tmp_path))
    asked = {  # customer -> what they asked, none of it in the sample base
        "t1": "Где купить вашу фирменную футболку?", "t2": "Продаёте ли вы футболки с логотипом?",
        "t3": "Можно заказать футболку Волны?", "j1": "Есть ли у вас вакансии инженера?",
        "j2": "Вакансии монтажника открыты?", "s1": "Сколько стоит реклама в вашем журнале?", "t4": "Футболку хочу!",
        "t5": "gde kupit futbolku s logotipom?",  # Russian in Latin letters: read as the bot read it, one word
    }
    for customer, text in asked.items():
        said = _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna", "--customer", customer],
                    f"{text}\n")
        assert said[0]["decision"] == "handoff" and said[0]["entry_id"] is None
    # in a thread a person has now: not the bot's to route, so no gap of the base
    _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna", "--customer", "t1"],
         "А футболки когда будут?\n")
    gaps = _run(monkeypatch, capsys, ["--config", config, "review", "--brand", "volna", "--gaps"], "")
    assert [(g["word"], g["customers"], g["messages"]) for g in gaps] == [("футболку", 5, 5), ("вакансии", 2, 2)]
    examples = [cast(list[str], g["examples"]) for g in gaps]
    assert examples[0][0] == asked["t5"] and asked["t2"] in examples[0]
    assert gaps[1]["languages"] == ["ru"] and set(examples[1]) == {asked["j1"], asked["j2"]}
    # "стоит" of one customer alone is no gap yet; --limit caps the groups
    limited = _run(monkeypatch, capsys, ["--config", config, "review", "--brand", "volna", "--gaps", "--limit", "1"],
                   "")
    assert [g["word"] for g in limited] == ["футболку"]
    with pytest.raises(SystemExit):
        main(["--config", config, "review", "--brand", "volna", "--gaps", "--examples"])
    # a moderator answers one vacancy question with an entry's suggested answer: the base had an answer for it
    listed = _run(monkeypatch, capsys, ["--config", config, "inbox", "--brand", "volna"], "list\n")
    j2 = next(c for c in cast(list[dict[str, object]], listed[0]["threads"]) if c["customer_id"] == "j2")
    assert j2["suggestions"], j2
    used = _run(monkeypatch, capsys, ["--config", config, "inbox", "--brand", "volna", "--moderator", "maria"],
                f"use {j2['conversation_id']} 1\n")
    assert used[0]["ok"], used
    after = _run(monkeypatch, capsys, ["--config", config, "review", "--brand", "volna", "--gaps"], "")
    assert [(g["word"], g["customers"]) for g in after] == [("футболку", 5)]  # one customer's vacancies: no gap


def test_review_gaps_draft_gives_the_entries_to_add_with_what_people_replied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`review --gaps --draft`: each gap as a draft entry of the base's form: its customers' messages as examples,
    the fullest reply a person gave each as answers (the customer's name as {name}), empty lists where a language
    still needs writing; finished as it says, it passes `kb check` and the bot answers the question from it."""
    import shutil

    import yaml

    config = str(write_config(tmp_path))
    asked = {"t1": ("Иван Петров", "Где купить вашу фирменную футболку?"),
             "t2": ("Ольга", "Продаёте ли вы футболки с логотипом?"),
             "t3": ("Анна", "Можно заказать футболку Волны?"),
             "t4": ("Mehmet", "Logolu tişört satıyor musunuz?"), "t5": ("Ayşe", "Tişört fiyatı ne kadar?"),
             "j1": ("Пётр", "Есть ли у вас вакансии инженера?"), "j2": ("Олег", "Вакансии монтажника открыты?")}
    for customer, (name, text) in asked.items():
        said = _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna", "--customer", customer,
                                          "--name", name], f"{text}\n")
        assert said[0]["decision"] == "handoff" and said[0]["entry_id"] is None
    listed = _run(monkeypatch, capsys, ["--config", config, "inbox", "--brand", "volna"], "list\n")
    thread = {str(c["customer_id"]): c["conversation_id"] for c in cast(list[dict[str, object]], listed[0]["threads"])}
    replies = {"t1": "Иван, футболки с логотипом продаются в нашем офисе на Ленина, 1 — 500 ₽.",
               "t2": "Ольга, добрый день! Футболки есть в офисе на Ленина, 1, по 500 ₽.",
               "t4": "Mehmet, logolu tişörtler Lenin 1'deki ofisimizde 500 ₽."}
    _run(monkeypatch, capsys, ["--config", config, "inbox", "--brand", "volna", "--moderator", "maria"],
         f"reply {thread['t1']} Иван, минутку, уточняю.\n"  # a thread's fullest reply is its answer, not these
         + "".join(f"reply {thread[c]} {text}\n" for c, text in replies.items())
         + f"reply {thread['t1']} А ещё есть кружки.\n")

    assert main(["--config", config, "review", "--brand", "volna", "--gaps", "--draft"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# What volna's customers asked from ") and "DRAFTS: the bot does not read this file" in text
    # one draft per question: the Turkish customers asked the same as the Russian ones (their messages read alike to
    # the encoder, their words differ); the vacancies are another question
    entry, jobs = yaml.safe_load(text)["entries"]
    assert entry["id"] == "new_futbolku" and entry["topic"] == "футболку / tişört"
    assert set(entry["examples"]["ru"]) == {asked[c][1] for c in ("t1", "t2", "t3")}
    assert set(entry["examples"]["tr"]) == {asked["t4"][1], asked["t5"][1]} and entry["examples"]["en"] == []
    assert sorted(entry["answers"]["ru"]) == sorted([
        "{name}, футболки с логотипом продаются в нашем офисе на Ленина, 1 — 500 ₽.",
        "{name}, добрый день! Футболки есть в офисе на Ленина, 1, по 500 ₽."])
    assert entry["answers"]["tr"] == ["{name}, logolu tişörtler Lenin 1'deki ofisimizde 500 ₽."]
    assert entry["answers"]["en"] == [] and "А ещё есть кружки." not in text and "минутку" not in text
    assert "'футболку' / 'tişört': 5 customers, 5 messages; answers to write: tr, en" in text
    assert jobs["id"] == "new_vakansii" and set(jobs["examples"]["ru"]) == {asked["j1"][1], asked["j2"][1]}
    assert jobs["answers"] == {"ru": [], "tr": [], "en": []}  # nobody answered them yet

    # finished as the draft says (the missing language and answers written), it is an entry of the base
    entry["id"], entry["topic"] = "merch", "Фирменные футболки"
    entry["examples"]["en"] = ["where can I buy your branded t-shirt", "do you sell t-shirts with the logo"]
    entry["answers"]["tr"].append("{name}, tişörtlerimiz ofisimizde (Lenin 1) 500 ₽'ye satılıyor.")
    entry["answers"]["en"] = ["Our branded T-shirts are sold at our office, Lenina 1, for 500 RUB.",
                              "{name}, you can buy a T-shirt with our logo at the office on Lenina 1 (500 RUB)."]
    base = tmp_path / "base"
    shutil.copytree(SAMPLE_KB, base)
    (base / "70-merch.yaml").write_text(yaml.safe_dump({"entries": [entry]}, allow_unicode=True), encoding="utf-8")
    assert main(["kb", "check", str(base)]) == 0
    capsys.readouterr()
    config = str(write_config(tmp_path, argument_base=base))
    said = _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna", "--customer", "t9"],
                "Где можно купить футболку с логотипом?\n")
    assert said[0]["decision"] == "answer" and said[0]["entry_id"] == "merch", said

    with pytest.raises(SystemExit):  # a draft of what? --draft goes with --gaps
        main(["--config", config, "review", "--brand", "volna", "--draft"])


def test_inbox_holds_back_a_reply_that_accuses_the_customer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    config = str(write_config(tmp_path))
    _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna"], "хочу поговорить с человеком\n")
    out = _run(monkeypatch, capsys, ["--config", config, "inbox", "--brand", "volna"],
               "reply 1 Yalan söylüyorsunuz, ödeme bir kez alındı.\nreply! 1 Yalan söylüyorsunuz.\n")
    refused, sent = out[-2:]  # after the waiting list the inbox opens with
    assert refused["ok"] is False and refused["code"] == "accusing" and refused["phrase"] == "yalan söylüyorsunuz"
    assert sent["ok"] is True and sent["command"] == "reply"
    assert "reply! 1" in _error_text(refused, "ru") and "«yalan söylüyorsunuz»" in _error_text(refused, "ru")


def test_health_tells_when_replies_are_stuck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    config = str(write_config(tmp_path))
    _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna"], "как оплатить картой?\n")
    assert _run(monkeypatch, capsys, ["--config", config, "health"], "") == [{
        "ok": True, "replies_pending": 0, "replies_stale": 0, "messages_unprocessed": 0, "messages_stale": 0,
        "handoffs_overdue": 0}]

    async def queue_undelivered() -> None:  # a reply no sender has taken (the platform is down)
        storage = await Storage.open(tmp_path / "db.sqlite3")
        try:
            conversation = await storage.customer_conversation("volna", Platform.LOCAL, "local-customer")
            assert conversation is not None
            await storage.queue_notice(conversation, NewReply("Спасибо!", "notice"))
        finally:
            await storage.close()

    asyncio.run(queue_undelivered())
    assert main(["--config", config, "health"]) == 0  # queued just now: not stuck yet
    assert json.loads(capsys.readouterr().out)["replies_pending"] == 1
    assert main(["--config", config, "health", "--stale-minutes", "0"]) == 1
    assert json.loads(capsys.readouterr().out) == {
        "ok": False, "replies_pending": 1, "replies_stale": 1, "messages_unprocessed": 0, "messages_stale": 0,
        "handoffs_overdue": 0}


def test_stats_after_a_handled_and_resolved_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    config = str(write_config(tmp_path))
    _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna"],
         "привет\nкак оплатить картой?\nхочу поговорить с человеком\n")
    _run(monkeypatch, capsys, ["--config", config, "inbox", "--brand", "volna"], "reply 1 Добрый день!\nresolve 1\n")
    assert main(["--config", config, "stats", "--brand", "volna"]) == 0
    stats = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert stats["mentions"] == 3 and stats["handled"] == 3 and stats["mentions_by_platform"] == {"local": 3}
    assert stats["answered_by_bot"] == 2 and stats["handed_off"] == 1
    assert stats["resolved_by_humans"] == 1 and stats["reactions_within_deadline"] == 1
    assert stats["median_reaction_minutes"] is not None and stats["median_reaction_minutes"] < 60
    # an agency's view: without --brand, a line per brand of the configuration, each with its own figures
    two = str(write_config(tmp_path, extra=f"""
[[brands]]
name = "sol"
argument_base = "{SAMPLE_KB}"
"""))
    assert main(["--config", two, "stats"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert [(line["brand"], line["mentions"]) for line in lines] == [("volna", 3), ("sol", 0)]


async def test_the_terminal_shows_a_moderators_answer_without_waiting_for_the_next_line(
        app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal, what a moderator sends from the inbox (and the rating question after the resolve) shows up
    while the customer is not typing."""
    monkeypatch.setattr(app.outbox, "poll_seconds", 0.05)
    read_end, write_end = os.pipe()
    stdin, typed = os.fdopen(read_end, encoding="utf-8"), os.fdopen(write_end, "w", encoding="utf-8")
    screen = io.StringIO()
    sender = app.outbox.senders[Platform.LOCAL]
    assert isinstance(sender, LocalSender)
    chat = asyncio.create_task(run_chat(app, "volna", sender, customer="c1", name="Олег", stdin=stdin, stdout=screen,
                                        interactive=True))

    async def shown(text: str) -> str:
        for _ in range(200):
            if text in screen.getvalue():
                return screen.getvalue()
            await asyncio.sleep(0.05)
        raise AssertionError(f"{text!r} never shown; the screen: {screen.getvalue()!r}")

    typed.write("хочу поговорить с живым человеком\n")
    typed.flush()
    await shown("[handoff:")
    conversation = await app.storage.customer_conversation("volna", Platform.LOCAL, "c1")
    assert conversation is not None
    desk = ModeratorDesk(app.storage, "volna")
    await desk.reply(conversation.id, "maria", "Олег, добрый день! Это Мария, помогу.")
    await shown("moderator: Олег, добрый день! Это Мария, помогу.\n> ")
    await desk.resolve(conversation.id, "maria")
    label = LABELS["satisfied"]["ru"]
    await shown(f"[{label}]")
    typed.write(label + "\n")  # the button's label answers the question
    typed.close()
    assert await asyncio.wait_for(chat, 10) == 0
    assert any(thanks in screen.getvalue() for thanks in TEXTS["rating_thanks"]["ru"])
    assert screen.getvalue().count("moderator: ") == 1  # shown once, not again with the next line


_RUN_AND_REPORT_IMPORTS = """
import json, sys
from bot.cli import main
code = main(sys.argv[1:])
heavy = sorted(name for name in ("torch", "transformers", "sklearn", "scipy", "aiogram") if name in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def test_the_bot_answers_without_importing_torch(tmp_path: Path) -> None:
    """`smm-responder run` with no tokens (what `make run` starts) reads messages on ONNX Runtime: a fresh
    process answers a customer on the local channel without importing torch or transformers (about 280 MB
    and 2-3 s of start-up), nor aiogram (no brand has a Telegram token: 170 MB, 4 s), and once the brand's
    intent heads are cached, without scikit-learn either."""
    import subprocess
    import sys

    from models.analyzer import TextAnalyzer

    assert TextAnalyzer.load().runtime == "onnxruntime"  # builds the graph into the cache if it is missing
    config = str(write_config(tmp_path))
    root = Path(__file__).resolve().parent.parent
    runs = []
    for _ in range(2):  # the first run may train the brand's intent heads
        done = subprocess.run(
            [sys.executable, "-c", _RUN_AND_REPORT_IMPORTS, "--config", config, "run"],
            input="сколько стоит самый быстрый тариф?\n", capture_output=True, text=True, cwd=root, timeout=300,
            check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        report = json.loads(done.stderr.strip().splitlines()[-1])
        answer = json.loads(done.stdout.strip().splitlines()[-1])
        assert report["code"] == 0 and answer["entry_id"] == "tariffs", (done.stdout, done.stderr)
        assert answer["scores"]["sentiment_neutral"] > 0 and answer["scores"]["toxicity"] < 0.5
        runs.append(report["heavy"])
    assert "torch" not in runs[0] and "transformers" not in runs[0] and "aiogram" not in runs[0]
    assert runs[1] == []


def test_the_inbox_offers_the_answers_the_bot_thought_of_and_sends_one_by_its_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bot was unsure between refund and a tariff change, so a person got the thread: the inbox offers those
    entries' approved answers, `use ID N` sends one, and the next phrasing of it is offered after that."""
    config = str(write_config(tmp_path, brand_extra="timezone = 'Europe/Istanbul'"))
    said = _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna", "--name", "Ольга Ким"],
                "можно ли как-то вернуть деньги или сменить тариф?\n")
    assert said[0]["decision"] == "handoff" and said[0]["reason"] == "no_confident_answer"
    out = _run(monkeypatch, capsys, ["--config", config, "inbox", "--brand", "volna", "--moderator", "maria"],
               "show 1\nuse 1 9\nuse 1 1\nshow 1\nuse 1 x\n")
    shown, missing, used, after, usage = out[1:]
    offered: list[dict[str, str]] = shown["thread"]["suggestions"]  # type: ignore[index]
    assert 1 <= len(offered) <= 3 and "refund" in [s["entry_id"] for s in offered]
    base = load_argument_base(SAMPLE_KB)
    for s in offered:  # each an approved phrasing of its entry, in the customer's language, with their name
        entry = base.entry(s["entry_id"])
        assert s["text"] in {a.replace("{name}", "Ольга") for a in entry.answers["ru"]} and s["topic"] == entry.topic
    assert missing["ok"] is False and missing["code"] == "no_suggestion"
    assert "use 1" not in _error_text(missing, "ru") and "#1" in _error_text(missing, "ru")
    assert used["ok"] is True and used["text"] == offered[0]["text"] and used["entry_id"] == offered[0]["entry_id"]
    thread: dict[str, Any] = after["thread"]  # type: ignore[assignment]
    assert thread["state"] == "with_moderator"

    async def queued() -> list[tuple[str, str, str]]:
        storage = await Storage.open(tmp_path / "db.sqlite3")
        try:
            rows = await storage.fetch("SELECT kind, text, phrasing_key FROM outbox WHERE kind = 'moderator'")
            return [(str(kind), str(text), str(key)) for kind, text, key in rows]
        finally:
            await storage.close()

    [(_, text, key)] = asyncio.run(queued())  # the customer's reply, on its way through the outbox
    assert text == offered[0]["text"] and key == offered[0]["phrasing_key"]
    again = next(s for s in thread["suggestions"] if s["entry_id"] == offered[0]["entry_id"])
    assert again["text"] != offered[0]["text"]  # that phrasing was sent: the next one is offered
    assert usage["code"] == "usage"
    # what the moderator chose teaches the base: the customer's words, a new example for that entry
    examples = _run(monkeypatch, capsys, ["--config", config, "review", "--brand", "volna", "--examples"], "")
    assert examples == [{"conversation": 1, "text": "можно ли как-то вернуть деньги или сменить тариф?",
                         "language": "ru", "entry_id": offered[0]["entry_id"], "moderator": "maria",
                         "at": examples[0]["at"], "topic": offered[0]["topic"]}]
    monkeypatch.setattr("sys.stdin", _Terminal("show 1\n"))
    assert main(["--config", config, "inbox", "--brand", "volna"]) == 0
    screen = capsys.readouterr().out
    assert f"✉ {LABELS['inbox_suggestion']['ru'].format(n=1, id=1)}, {thread['suggestions'][0]['topic']}" in screen
    assert f"{LABELS['card_deadline']['ru']}: {local_moment(thread['deadline'], ZoneInfo('Europe/Istanbul'))}" in screen
    assert "(UTC+3)" in screen and thread["deadline"].endswith("+00:00")  # JSON keeps UTC for scripts


def test_forget_erases_everything_stored_about_one_customer_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A customer asks to delete their personal data: a dry run counts it, --yes erases it (the text is gone
    from the file itself, not just unlinked), and another customer's thread is untouched."""
    config = str(write_config(tmp_path))
    secret = "мой номер договора 7788-ЗЕЛЁНЫЙ-ЛИС, позовите живого человека"
    _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna", "--customer", "anna"], secret + "\n")
    _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna", "--customer", "boris"],
         "как оплатить картой?\n")
    _run(monkeypatch, capsys, ["--config", config, "inbox", "--brand", "volna"],
         "note 1 перезвонить Анне\nreply 1 Здравствуйте! Проверяем.\nresolve 1\n")
    db, wal = tmp_path / "db.sqlite3", tmp_path / "db.sqlite3-wal"

    def raw() -> bytes:
        return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    assert "7788-ЗЕЛЁНЫЙ-ЛИС".encode() in raw()

    dry = _run(monkeypatch, capsys, ["--config", config, "forget", "--brand", "volna", "--platform", "local",
                                     "--customer", "anna"], "")
    stored = dry[0]["stored"]
    assert dry[0]["erased"] is False and isinstance(stored, dict) and stored["conversations"] == 1
    assert stored["messages"] >= 2 and stored["notes"] == 1 and stored["handoffs"] == 1
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["--config", config, "forget", "--brand", "volna", "--platform", "local", "--customer", "anna",
                 "--yes"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["erased"] is True and done["stored"] == stored

    async def left() -> tuple[int, int, int]:
        storage = await Storage.open(db)
        try:
            return (await storage.count("conversations"), await storage.count("messages", "text LIKE '%ЗЕЛЁНЫЙ%'"),
                    await storage.count("messages", "author_id = 'boris' OR chat_id = 'local-boris'"))
        finally:
            await storage.close()

    conversations, secrets, boris = asyncio.run(left())
    assert conversations == 1 and secrets == 0 and boris >= 1  # Boris's thread stays
    assert "7788-ЗЕЛЁНЫЙ-ЛИС".encode() not in raw()  # zeroed, not just unlinked
    assert main(["--config", config, "forget", "--brand", "volna", "--platform", "local", "--customer", "anna"]) == 1
    assert "has no local customer 'anna'" in capsys.readouterr().err


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path) -> None:
    """`smm-responder stats | head -1` with a reader that closes early: no traceback, the usual status 141."""
    config = str(write_config(tmp_path))
    process = subprocess.Popen([sys.executable, "-m", "bot", "--config", config, "stats"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the command writes anything
    errors = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141 and "Traceback" not in errors, errors


async def test_the_inbox_hides_the_customers_public_comment_and_says_when_there_is_none(tmp_path: Path) -> None:
    from bot.inbox import execute
    from handlers.types import IncomingMessage

    storage = await Storage.open(tmp_path / "s.sqlite3")
    try:
        desk = ModeratorDesk(storage, "volna")
        stored = await storage.store_incoming(IncomingMessage(
            Platform.VK, "volna", "wall-1_5", "77", "9", "Опять нет интернета, ***", is_public=True, thread_id="5"))
        assert stored is not None
        public = stored[1]
        hidden = await execute(desk, "Мария", f"hide {public.id}")
        assert hidden["ok"] and hidden["command"] == "hide"
        rows = await storage.fetch("SELECT kind, chat_id, reply_to, status FROM outbox WHERE id = ?",
                                   (hidden["outbox_id"],))
        assert [tuple(r) for r in rows] == [("hide", "wall-1_5", "77", "pending")]
        assert (await execute(desk, "Мария", f"hide {public.id}"))["outbox_id"] == hidden["outbox_id"]  # once

        stored = await storage.store_incoming(IncomingMessage(Platform.VK, "volna", "10", "78", "10", "Привет"))
        assert stored is not None
        refused = await execute(desk, "Мария", f"hide {stored[1].id}")
        assert not refused["ok"] and refused["code"] == "nothing_to_hide"
        assert _error_text(refused, "ru") == f"У клиента в обращении #{stored[1].id} нет публичного комментария, " \
                                             "который ещё виден"
        assert (await execute(desk, "Мария", "hide 999"))["code"] == "no_thread"
    finally:
        await storage.close()


def test_review_examples_gives_the_example_as_the_bot_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A customer typed the question with the keyboard in the English layout and a moderator answered it with a
    suggested entry: the example to add to that entry is the Russian the bot read, not the Latin keys."""
    config = str(write_config(tmp_path))
    typed = "vj;yj kb rfr-nj dthyenm ltymub bkb cvtybnm nfhba&"  # можно ли как-то вернуть деньги или сменить тариф?
    said = _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna"], typed + "\n")
    assert said[0]["decision"] == "handoff" and said[0]["language"] == "ru", said
    used = _run(monkeypatch, capsys, ["--config", config, "inbox", "--brand", "volna", "--moderator", "maria"],
                "use 1 1\n")
    assert used[1]["ok"], used
    [example] = _run(monkeypatch, capsys, ["--config", config, "review", "--brand", "volna", "--examples"], "")
    assert (example["text"], example["typed"]) == ("можно ли как-то вернуть деньги или сменить тариф?", typed)


def test_review_shows_how_the_bot_read_a_question_typed_without_a_cyrillic_keyboard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The moderator checking the bot's answers reads "crjkmrj cnjbn nfhba&" as the bot did."""
    config = str(write_config(tmp_path))
    said = _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna"],
                "crjkmrj cnjbn nfhba&\nсколько стоит самый быстрый тариф?\n")
    assert [s["decision"] for s in said] == ["answer", "answer"]
    review = _run(monkeypatch, capsys, ["--config", config, "review", "--brand", "volna"], "")
    read = {r["text"]: r.get("read_as") for r in review}
    assert read == {"crjkmrj cnjbn nfhba&": "сколько стоит тариф?", "сколько стоит самый быстрый тариф?": None}


def test_overview_shows_every_brand_the_most_urgent_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """An agency's head sees all its brands at once: the one with a customer past the promised time first, what
    waits in each, the day's figures; piped: JSON lines; on a terminal: a line per brand in the chosen language."""
    acme = f'\n[[brands]]\nname = "acme"\nlanguages = ["ru", "tr", "en"]\ndefault_language = "tr"\n' \
           f'argument_base = "{SAMPLE_KB}"\n'
    config = str(write_config(tmp_path, extra=acme))
    for brand in ("acme", "volna"):
        out = _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", brand], "хочу поговорить с живым "
                   "человеком\nсколько стоит тариф?\n")
        assert out[0]["decision"] == "handoff"
    _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna", "--customer", "c2"],
         "какие у вас тарифы?\n")

    async def past_the_deadline() -> None:  # volna's customer has waited past the promised hour
        storage = await Storage.open(tmp_path / "db.sqlite3")
        try:
            await storage._db.execute("UPDATE handoffs SET deadline_at = '2000-01-01T00:00:00+00:00'"
                                      " WHERE brand = 'volna'")
            await storage._db.commit()
        finally:
            await storage.close()

    async def scammer_at_acme() -> None:  # a comment posing as acme's support, hidden (handlers.spam)
        from handlers.types import Action, Decision, IncomingMessage

        storage = await Storage.open(tmp_path / "db.sqlite3")
        try:
            stored = await storage.store_incoming(IncomingMessage(
                Platform.VK, "acme", "wall-7_1", "70", "66", "Напишите нам в телеграм @acme_refund", is_public=True))
            assert stored is not None
            await storage.record_decision(stored[0], stored[1], Decision(Action.HIDE, "impersonation", "ru"), [],
                                          lambda at: at + timedelta(hours=1))
        finally:
            await storage.close()

    asyncio.run(past_the_deadline())
    asyncio.run(scammer_at_acme())
    _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "acme", "--customer", "c3"],
         "Мне звонили от вашего имени и просили код из смс, это вы?\n")  # a customer tells of a scam call
    rows = _run(monkeypatch, capsys, ["--config", config, "overview"], "")
    assert [row["brand"] for row in rows] == ["volna", "acme"]
    # (the price question asked while waiting for a person is the bot's to answer: handlers.router)
    assert {k: rows[0][k] for k in ("waiting", "overdue", "mentions", "answered_by_bot", "handed_off")} == {
        "waiting": 1, "overdue": 1, "mentions": 3, "answered_by_bot": 2, "handed_off": 1}
    # (the scammer's comment is no customer's mention: `scams` counts it)
    assert (rows[1]["waiting"], rows[1]["overdue"], rows[1]["mentions"], rows[1]["scams"]) == (2, 0, 3, 1)
    assert (rows[0]["scams_reported"], rows[1]["scams_reported"]) == (0, 1)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert main(["--config", config, "overview", "--language", "tr"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("volna: ⏰ süresi geçen 1 · bir kişiyi bekleyen 1 ·") and "bahsedilme 3" in lines[0]
    assert lines[1].startswith("acme: ⏰ süresi geçen 0") and "🎭 dolandırıcı 1 (müşteri bildirdi: 1)" in lines[1]


def test_report_gives_the_brands_period_for_its_client_in_its_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An agency's monthly report to its client: the four success figures against the period before, who answered,
    what customers wrote about, negative and attacks, the team, what the base lacks; in the brand's language or
    the one asked for."""
    config = str(write_config(tmp_path))
    _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna", "--customer", "c1"],
         "как оплатить картой?\nхочу поговорить с живым человеком\n")
    _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna", "--customer", "c2"],
         "Здравствуйте!\nкак оплатить картой?\n")
    for customer, text in (("t1", "Где купить вашу фирменную футболку?"), ("t2", "Продаёте футболки с логотипом?"),
                           ("s1", "Заработок от 5000 ₽ в день без вложений, пиши в лс")):
        _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna", "--customer", customer], f"{text}\n")
    _run(monkeypatch, capsys, ["--config", config, "inbox", "--brand", "volna", "--moderator", "maria"],
         "reply 1 Добрый день! Помогу.\nresolve 1\n")
    rated = _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna", "--customer", "c1"],
                 "/rate yes\n")
    assert rated[0]["satisfied"] is True

    async def solved_in_public() -> None:  # a VK comment's case a person solved, seen by 1,500 readers
        from bot.reach import Reach
        from bot.storage import FoundMention
        from handlers.types import Action, Decision, IncomingMessage, utcnow

        storage = await Storage.open(tmp_path / "db.sqlite3")
        try:
            stored = await storage.store_incoming(IncomingMessage(
                Platform.VK, "volna", "wall-1001_77", "555", "9001", "Третий день нет интернета, позор!", "Ира",
                is_public=True, thread_id="555"))
            assert stored is not None
            await storage.record_decision(stored[0], stored[1], Decision(Action.HANDOFF, "strong_negative", "ru"),
                                          [], lambda at: at + timedelta(hours=1))
            handoff = await ModeratorDesk(storage, "volna").resolve(stored[1].id, "maria")
            assert handoff is None  # a public thread is asked no rating
            [(handoff_id,)] = await storage.fetch("SELECT id FROM handoffs WHERE conversation_id = ?", (stored[1].id,))
            await storage.record_reach(handoff_id, Reach(1500, "views"), utcnow())
            found = [FoundMention("vk", f"5501_{i}", "Волна Телеком", "5501", "Ира", text, utcnow(), "ru",
                                  {"negative": negative, "positive": 1 - negative}, 0.0, views)
                     for i, (text, negative, views) in enumerate([
                         ("Волна Телеком — лучший провайдер, всем советую!", 0.01, 900),
                         ("Волна Телеком опять без связи", 0.95, 3000)])]
            await storage.save_outside_mentions("volna", found, utcnow())  # posts about the brand found elsewhere
        finally:
            await storage.close()

    asyncio.run(solved_in_public())
    assert main(["--config", config, "stats", "--brand", "volna", "--days", "30"]) == 0
    stats = json.loads(capsys.readouterr().out)

    assert main(["--config", config, "report", "--brand", "volna"]) == 0
    report = capsys.readouterr().out.splitlines()
    assert report[0].startswith("# Отчёт: volna, ") and report[2].startswith("Для сравнения — предыдущие 30 дн.")
    assert f"| Обработано упоминаний | {stats['handled']} из {stats['mentions']} | 0 из 0 |" in report
    assert stats["mentions"] == 7  # the spam below is no customer's mention
    assert "| Охват решённых публичных случаев | 1500 чел. (случаев: 1) | 0 чел. (случаев: 0) |" in report
    assert "- охват 1500: «Третий день нет интернета, позор!» https://vk.com/wall-1001_77?reply=555" in report
    advocates = report.index("## Хорошо отзываются о бренде")
    assert report[advocates + 4:advocates + 6] == [
        "- Ира, просмотров 900: «Волна Телеком — лучший провайдер, всем советую!» https://vk.com/wall5501_0", ""]
    assert "| Клиенты довольны решением | 100% (оценок: 1) | — |" in report
    assert "| Реакция человека в срок | 1 из 1, медиана 0 мин | 0 из 0, медиана — |" in report
    assert "- Бот ответил сам: 3 (43% обработанных)" in report
    topics = load_argument_base(SAMPLE_KB).entry("payment_methods").topic
    assert f"| {topics} | 2 | 2 | 0 |" in report
    # the greeting is no topic customers wrote about, though answered from its entry
    assert load_argument_base(SAMPLE_KB).entry("greeting").topic not in "\n".join(report)
    assert ("- Спам: 1, мошенники под видом поддержки: 0 (скрыто: 0, клиентов предупредили: 0; клиентов, принятых "
            "за спам, вернули: 0)") in report
    assert "| maria | 1 | 1 | 1 | 0 | 0 мин | 100% (оценок: 1) |" in report
    gap = report[report.index("## Чего не хватает в базе ответов") + 4]
    assert gap.startswith("- «футболк") and "» — клиентов: 2 (например: " in gap

    assert main(["--config", config, "report", "--brand", "volna", "--language", "en", "--days", "7"]) == 0
    english = capsys.readouterr().out
    assert english.startswith("# Report: volna, ") and "Compared with the 7 days before" in english
    assert "| Customers satisfied with the resolution | 100% (1 ratings) | — |" in english
    # what the bot took for spam, to check no customer was among them
    [taken] = _run(monkeypatch, capsys, ["--config", config, "review", "--brand", "volna", "--spam"], "")
    assert (taken["reason"], taken["hidden"], taken["author_id"], taken["link"]) == ("spam_private", False, "s1", None)
    assert taken["text"] == "Заработок от 5000 ₽ в день без вложений, пиши в лс"
    assert main(["--config", config, "report", "--brand", "volna", "--format", "html"]) == 0  # for the client
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>") and "<title>Отчёт: volna, " in page
    assert f"<tr><td>Обработано упоминаний</td><td>{stats['handled']} из {stats['mentions']}</td>" in page
    assert ('<li>охват 1500: «Третий день нет интернета, позор!» <a href="https://vk.com/wall-1001_77?reply=555">'
            "https://vk.com/wall-1001_77?reply=555</a></li>") in page
    assert main(["--config", config, "report", "--brand", "volna", "--language", "tr"]) == 0
    assert "| Çözümden memnun müşteriler | %100 (1 değerlendirme) | — |" in capsys.readouterr().out  # "%" first
    with pytest.raises(SystemExit) as bad:
        main(["--config", config, "report", "--brand", "volna", "--days", "0"])
    assert bad.value.code == 2 and "must be 1 or more" in capsys.readouterr().err


def test_a_monthly_report_covers_the_calendar_month_on_the_brands_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Agencies report by calendar month: `--month` alone gives the last month that is over, midnight to midnight
    on the brand's clock (Moscow here), against the month before it; a month not over yet, a malformed one, or
    both --days and --month are clear errors."""
    config = str(write_config(tmp_path, brand_extra='timezone = "Europe/Moscow"'))
    zone = ZoneInfo("Europe/Moscow")
    this_month = utcnow().astimezone(zone).date().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    month_before = (last_month - timedelta(days=1)).replace(day=1)

    def moscow(day: date, hour: int, minute: int) -> datetime:  # as the platforms give it: UTC
        return datetime.combine(day, time(hour, minute), zone).astimezone(UTC)

    async def messages() -> None:
        from handlers.types import Action, Decision, IncomingMessage

        storage = await Storage.open(tmp_path / "db.sqlite3")
        try:  # Moscow's midnight is 21:00 UTC the day before: the first and last are in the month only there
            for i, at in enumerate([moscow(last_month, 0, 30), moscow(this_month - timedelta(days=1), 23, 30),
                                    moscow(last_month + timedelta(days=9), 12, 0),  # the last month: 3
                                    moscow(this_month, 0, 30),  # this month: not in the report
                                    moscow(month_before, 0, 10), moscow(last_month, 0, 0) - timedelta(minutes=5)]):
                stored = await storage.store_incoming(IncomingMessage(
                    Platform.TELEGRAM, "volna", f"c{i}", f"m{i}", f"c{i}", "как оплатить картой?", sent_at=at))
                assert stored is not None
                await storage.record_decision(stored[0], stored[1], Decision(Action.ANSWER, "answered", "ru"), [],
                                              lambda at: at + timedelta(hours=1))
        finally:
            await storage.close()

    asyncio.run(messages())
    assert main(["--config", config, "report", "--brand", "volna", "--month", "--language", "en"]) == 0
    report = capsys.readouterr().out.splitlines()
    last_day = this_month - timedelta(days=1)
    assert report[0] == f"# Report: volna, {last_month} to {last_day}"
    assert report[2] == f"Compared with the month before ({month_before} to {last_month - timedelta(days=1)})."
    assert "| Mentions handled | 3 of 3 | 2 of 2 |" in report
    assert main(["--config", config, "report", "--brand", "volna", "--month", f"{last_month:%Y-%m}"]) == 0
    assert "| Обработано упоминаний | 3 из 3 | 2 из 2 |" in capsys.readouterr().out.splitlines()

    assert main(["--config", config, "report", "--brand", "volna", "--month", f"{this_month:%Y-%m}"]) == 2
    assert f"error: {this_month:%Y-%m} is not over yet" in capsys.readouterr().err
    for wrong, said in ((["--month", "2026-13"], "not a month as YYYY-MM: '2026-13'"),
                        (["--month", "2026-11", "--days", "7"], "not allowed with argument")):
        with pytest.raises(SystemExit) as bad:
            main(["--config", config, "report", "--brand", "volna", *wrong])
        assert bad.value.code == 2 and said in capsys.readouterr().err


def test_backup_copies_the_database_consistently_while_it_is_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A self-hosted bot's data is backed up while it runs: the copy holds what was committed, is checked before it
    is put in place, and never overwrites an earlier backup unasked; bad targets are one-line errors."""
    config = str(write_config(tmp_path))
    _run(monkeypatch, capsys, ["--config", config, "chat", "--brand", "volna"], "как оплатить картой?\n")
    target = tmp_path / "backups" / "volna.sqlite3"

    import sqlite3

    bot = sqlite3.connect(tmp_path / "db.sqlite3")  # the bot holds the database open meanwhile, writing
    try:
        bot.execute("INSERT INTO platform_state (key, value, updated_at)"
                    " VALUES ('written-before-the-backup', 'yes', '')")
        bot.commit()
        bot.execute("BEGIN IMMEDIATE")  # and is in the middle of a write when the backup is taken
        bot.execute("INSERT INTO platform_state (key, value, updated_at) VALUES ('not-committed', 'no', '')")
        assert main(["--config", config, "backup", str(target)]) == 0
        done = json.loads(capsys.readouterr().out)
    finally:
        bot.rollback()
        bot.close()
    assert done["backup"] == str(target) and done["messages"] == 2 and done["bytes"] == target.stat().st_size

    async def read_copy() -> tuple[int, str | None, str | None]:
        copy = await Storage.open(target)
        try:
            return (await copy.count("messages", "direction = 'in'"), await copy.get_state("written-before-the-backup"),
                    await copy.get_state("not-committed"))
        finally:
            await copy.close()

    assert asyncio.run(read_copy()) == (1, "yes", None)
    assert main(["--config", config, "backup", str(target)]) == 2
    assert "exists (--replace to overwrite it)" in capsys.readouterr().err
    assert main(["--config", config, "backup", str(target), "--replace"]) == 0
    assert not list(target.parent.glob("*.partial"))
    assert main(["--config", config, "--db", str(tmp_path / "none.sqlite3"), "backup", str(target), "--replace"]) == 2
    assert "no database at" in capsys.readouterr().err
    assert main(["--config", config, "backup", str(target.parent), "--replace"]) == 2  # a folder: said, not raised
    assert "could not be put at" in capsys.readouterr().err and not list(tmp_path.glob("*.partial"))


def test_the_bot_backs_itself_up_on_schedule_keeping_the_newest_and_health_tells_a_late_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With `[storage] backups`, one backup every `backup_hours` into that folder (named by the moment), the newest
    `backups_kept` kept and older ones deleted (a forgotten customer's data goes with them), other files left
    alone; `health` gives the newest's age and fails once it is two periods old."""
    from bot.backup import backup_if_due, scheduled_backups
    from bot.config import load_config

    folder = tmp_path / "backups"
    config_path = write_config(tmp_path, storage_extra=f'backups = "{folder}"\nbackup_hours = 6\nbackups_kept = 2')
    config = load_config(config_path)
    assert config.backups is not None and (config.backups.every, config.backups.kept) == (timedelta(hours=6), 2)
    _run(monkeypatch, capsys, ["--config", str(config_path), "chat", "--brand", "volna"], "как оплатить картой?\n")
    folder.mkdir()
    (folder / "notes.txt").write_text("the agency's own file", encoding="utf-8")
    start = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
    first = backup_if_due(tmp_path / "db.sqlite3", config.backups, start)
    assert first is not None and first["backup"].endswith("smm-responder-20261206-0930.sqlite3")
    assert first["messages"] == 2 and first["deleted"] == []
    assert backup_if_due(tmp_path / "db.sqlite3", config.backups, start + timedelta(hours=5)) is None  # not due
    for hours in (6, 12):
        assert backup_if_due(tmp_path / "db.sqlite3", config.backups, start + timedelta(hours=hours)) is not None
    assert [path.name for _, path in scheduled_backups(folder)] == [
        "smm-responder-20261206-1530.sqlite3", "smm-responder-20261206-2130.sqlite3"]  # the first one deleted
    assert (folder / "notes.txt").exists() and not list(folder.glob("*.partial"))

    monkeypatch.setattr("bot.cli.utcnow", lambda: start + timedelta(hours=20))
    assert main(["--config", str(config_path), "health"]) == 0
    assert json.loads(capsys.readouterr().out)["backup_age_hours"] == 8.0
    monkeypatch.setattr("bot.cli.utcnow", lambda: start + timedelta(hours=25))  # 13 hours: two periods gone by
    assert main(["--config", str(config_path), "health"]) == 1
    late = json.loads(capsys.readouterr().out)
    assert (late["ok"], late["backup_age_hours"], late["replies_stale"], late["messages_stale"]) == (False, 13.0, 0, 0)


def test_each_new_backup_is_copied_off_the_machine_until_it_is_and_health_tells_how_long_ago(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backup on the bot's own disk is lost with it: `backup_command` (any program, no shell) copies each new one
    elsewhere and marks it copied; a failed copy is said and tried again at the next check, with the newest backup
    (an older one it missed is passed over); `check` says whether the program is there; `health` gives the age of
    the newest copied off and fails once it is two periods old."""
    import sqlite3

    from bot.backup import BackupError, backup_if_due, copy_off_if_due
    from bot.config import load_config

    folder, offsite = tmp_path / "backups", tmp_path / "offsite"
    copy = [sys.executable, "-c", "import shutil, sys; shutil.copy(sys.argv[1], sys.argv[2])", "{backup}",
            f"{offsite}/{{name}}"]
    config_path = write_config(tmp_path, storage_extra=f'backups = "{folder}"\nbackup_hours = 6\n'
                                                       f"backup_command = {json.dumps(copy)}")
    config = load_config(config_path)
    assert config.backups is not None and config.backups.command == tuple(copy)
    _run(monkeypatch, capsys, ["--config", str(config_path), "chat", "--brand", "volna"], "как оплатить картой?\n")
    start = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
    assert backup_if_due(tmp_path / "db.sqlite3", config.backups, start) is not None
    with pytest.raises(BackupError, match=r"exited with 1 copying smm-responder-20261206-0930\.sqlite3 off: .*"):
        copy_off_if_due(config.backups)  # the other end is not there yet
    assert not list(folder.glob("*.copied"))
    backup_if_due(tmp_path / "db.sqlite3", config.backups, start + timedelta(hours=6))
    offsite.mkdir()  # back: the newest goes off, the one it missed is passed over
    copied = copy_off_if_due(config.backups)
    assert copied is not None and copied.name == "smm-responder-20261206-1530.sqlite3"
    assert [path.name for path in offsite.iterdir()] == [copied.name]
    assert copy_off_if_due(config.backups) is None  # once
    backed = sqlite3.connect(offsite / copied.name)
    assert backed.execute("SELECT COUNT(*) FROM messages").fetchone() == (2,)  # a whole database there
    backed.close()

    monkeypatch.setattr("bot.cli.utcnow", lambda: start + timedelta(hours=8))
    assert main(["--config", str(config_path), "health"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["backup_age_hours"], figures["backup_copied_age_hours"]) == (2.0, 2.0)
    backup_if_due(tmp_path / "db.sqlite3", config.backups, start + timedelta(hours=12))  # taken, never copied
    monkeypatch.setattr("bot.cli.utcnow", lambda: start + timedelta(hours=19))
    assert main(["--config", str(config_path), "health"]) == 1  # the newest copied off is 13 hours old: two periods
    late = json.loads(capsys.readouterr().out)
    assert (late["backup_age_hours"], late["backup_copied_age_hours"]) == (7.0, 13.0)

    assert main(["--config", str(config_path), "check"]) == 0
    assert f"ok  backups copied off the machine by `{sys.executable}`" in capsys.readouterr().out.splitlines()
    missing = write_config(tmp_path, storage_extra=f'backups = "{folder}"\nbackup_command = ["rclone-not-here", '
                                                   '"copyto", "{backup}", "remote:{name}"]')
    assert main(["--config", str(missing), "check"]) == 1
    assert ("PROBLEM  backups copied off the machine by `rclone-not-here`: no such program here (install it, or give "
            "its full path)") in capsys.readouterr().out.splitlines()


def test_the_reports_html_page_escapes_what_customers_wrote() -> None:
    """Customers' words reach the client's report (its cases, gaps, advocates): in the HTML page they are text,
    never markup; a pipe a customer wrote stays in its table cell."""
    from bot.report_html import report_html

    page = report_html("# Report: acme, 2026-11-01 to 2026-11-30\n\n## Topics\n\n| topic | messages |\n|---|---|\n"
                       "| a \\| b | 3 |\n\n- «<script>alert(1)</script>» https://vk.com/wall-1_2?reply=3&x=<b>\n", "en")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<tr><td>a | b</td><td>3</td></tr>" in page
    assert '<a href="https://vk.com/wall-1_2?reply=3&amp;x=&lt;b&gt;">' not in page  # the address ends at "<"
    assert '<a href="https://vk.com/wall-1_2?reply=3&amp;x=">' in page and '<html lang="en">' in page


def test_check_says_what_a_deployment_lacks_before_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check` reads the configuration, each brand's base, which tokens are set (names, never values), the database
    (to be migrated: said) and the encoder cache, and exits 1 on a problem; it starts nothing and writes nothing."""
    import sqlite3

    from bot.storage import MIGRATIONS

    monkeypatch.setenv("VOLNA_VK_TOKEN", "vk-secret-value-123")
    monkeypatch.delenv("VOLNA_TG_TOKEN", raising=False)
    tables = ("[brands.telegram]\ntoken_env = 'VOLNA_TG_TOKEN'\nmoderator_chat = -1001\n\n"
              "[brands.vk]\ntoken_env = 'VOLNA_VK_TOKEN'\ngroup_id = 1001\n")
    config = str(write_config(tmp_path, brand_extra=tables))
    old = sqlite3.connect(tmp_path / "db.sqlite3")  # a database of an older version
    old.executescript("CREATE TABLE schema_version (version INTEGER NOT NULL);" + MIGRATIONS[0]
                      + "; INSERT INTO schema_version VALUES (1);")
    old.close()
    assert main(["--config", config, "check"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "ok  brand volna: argument base " in lines[1] and lines[1].endswith(": 26 entries in ru, tr, en")
    assert "PROBLEM  brand volna: Telegram token $VOLNA_TG_TOKEN not set" in lines
    assert "ok  brand volna: moderators' forum -1001" in lines
    assert "ok  brand volna: VK community 1001 token $VOLNA_VK_TOKEN set" in lines
    assert (f"ok  database {tmp_path / 'db.sqlite3'}: schema 1 will be migrated to {len(MIGRATIONS)} at start (a copy "
            "is kept beside it first)") in lines
    assert lines[-1].startswith("ok  encoder cache ") and lines[-1].endswith(": built")
    assert "vk-secret-value-123" not in "\n".join(lines)
    check = sqlite3.connect(tmp_path / "db.sqlite3")  # nothing written: still as it was
    assert check.execute("SELECT MAX(version) FROM schema_version").fetchone() == (1,)
    check.close()

    monkeypatch.setenv("VOLNA_TG_TOKEN", "123:tg-secret")
    assert main(["--config", config, "check"]) == 0  # everything there
    assert "PROBLEM" not in capsys.readouterr().out
    broken = tmp_path / "kb"
    broken.mkdir()
    (broken / "a.yaml").write_text("entries:\n  - id: Bad Id\n", encoding="utf-8")
    assert main(["--config", str(write_config(tmp_path, brand_extra=tables, argument_base=broken)), "check"]) == 1
    out = capsys.readouterr().out
    assert f"PROBLEM  brand volna: argument base {broken}: " in out and f"smm-responder kb check {broken}" in out
    assert "ok  brand volna: Telegram token $VOLNA_TG_TOKEN set" in out and "tg-secret" not in out
