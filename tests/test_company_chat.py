"""Questions to the company (bot.telegram.company_chat): a moderator asks the brand's own specialists from a
customer's topic, the customer is told it is being checked, the company answers by replying in its chat, and the
answer reaches the customer with one press. The real App and aiogram Bot against the fake Bot API over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.texts import TEXTS
from handlers.types import Platform
from tests.fake_telegram import FakeTelegram, user
from tests.test_telegram_acceptance import CUSTOMER, FORUM, MODERATOR, polling_bot, wait_until

COMPANY = -1005000000001
EXPERT = user(601, "Ольга", "Склад")


def company_chat(fake: FakeTelegram) -> None:
    fake.add_chat(COMPANY, "supergroup", "Volna: the company")
    fake.set_member(COMPANY, fake.bot_user["id"], "member")
    fake.set_member(COMPANY, EXPERT["id"], "member")


async def test_a_moderator_asks_the_company_and_its_answer_reaches_the_customer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with polling_bot(tmp_path, monkeypatch, company_chat, extra=f"company_chat = {COMPANY}\n") as (fake, app):
        fake.customer_message(CUSTOMER, "Позовите оператора, пожалуйста")
        conversation = await wait_until(lambda: app.storage.customer_conversation("volna", Platform.TELEGRAM, "42"))
        card = await wait_until(lambda: next(iter(fake.called("createForumTopic")), None), what="the topic")
        topic = card.result["message_thread_id"]
        intro = await wait_until(lambda: next((t for t in fake.texts(FORUM, thread=topic) if "/ask" in t), None),
                                 what="the card")
        assert "вопрос специалистам компании" in intro  # the card says how to ask, the company chat being set
        told_before = len(fake.texts(42))

        fake.customer_message(MODERATOR, "/ask Когда поступят роутеры с Wi-Fi 7?", chat_id=FORUM, thread_id=topic)
        question = await wait_until(lambda: next((c for c in fake.sent(COMPANY) if "Вопрос #1" in c.params["text"]),
                                                 None), what="the question in the company's chat")
        assert "Когда поступят роутеры с Wi-Fi 7?" in question.params["text"] and "Мария" in question.params["text"]
        assert "Позовите" not in question.params["text"]  # the customer's words stay with the moderators
        # the customer, waiting for a person's first word, hears it is being checked (one of its phrasings)
        await wait_until(lambda: len(fake.texts(42)) > told_before, what="the customer told")
        assert fake.texts(42)[-1] in TEXTS["company_checking"]["ru"]
        await wait_until(lambda: any("спросил(а) компанию (вопрос #1)" in t for t in fake.texts(FORUM, thread=topic)),
                         what="the topic told")
        handoff = await app.storage.open_handoff(conversation.id)
        assert handoff is not None and handoff.first_reply_at is not None  # a person reacted

        fake.customer_message(EXPERT, "Обсуждаем поставку", chat_id=COMPANY)  # the company's own talk: left alone
        fake.customer_message(EXPERT, "Поступят 15 декабря, цена 6 990 ₽.", chat_id=COMPANY, reply_to=question.result)
        answer = await wait_until(lambda: next((c for c in fake.sent(FORUM, thread=topic)
                                                if "Ответ компании на вопрос #1" in c.params["text"]), None),
                                  what="the answer in the topic")
        assert "Ольга Склад" in answer.params["text"] and "Поступят 15 декабря, цена 6 990 ₽." in answer.params["text"]
        [[button]] = answer.params["reply_markup"]["inline_keyboard"]
        assert button["text"] == "✉ Отправить клиенту" and button["callback_data"] == "fd:companysend:1"
        await wait_until(lambda: any("Ответ передан модераторам" in t for t in fake.texts(COMPANY)),
                         what="the company thanked")
        assert len([t for t in fake.texts(COMPANY) if "передан" in t]) == 1  # not for the talk

        fake.press(MODERATOR, answer.result, "fd:companysend:1")
        await wait_until(lambda: fake.texts(42)[-1] == "Поступят 15 декабря, цена 6 990 ₽.",
                         what="the answer delivered")
        await wait_until(lambda: any("Мария Модератор отправил(а) клиенту ответ компании" in t
                                     for t in fake.texts(FORUM, thread=topic)), what="the topic told")
        asked = await app.storage.company_question(1, "volna")
        assert asked is not None and asked.answered_by == "Ольга Склад" and asked.sent_at is not None
        notes = await app.storage.notes(conversation.id)
        assert ("Мария Модератор", "Вопрос компании: Когда поступят роутеры с Wi-Fi 7?") in notes
        assert ("Ольга Склад", "Ответ компании: Поступят 15 декабря, цена 6 990 ₽.") in notes

        # asked again after a person's reply: the customer is not told a second time; a question as long as a
        # Telegram message can be still fits in one post there (cut), whole in the thread's notes
        replies = len(fake.texts(42))
        long = "А в белом цвете будут? " + "Подробности заказа. " * 199
        fake.customer_message(MODERATOR, f"/ask {long}", chat_id=FORUM, thread_id=topic)
        second = await wait_until(lambda: next((t for t in fake.texts(COMPANY) if "Вопрос #2" in t), None),
                                  what="the second question")
        assert "А в белом цвете будут?" in second and "…" in second and len(second) <= 4096
        await wait_until(lambda: any("(вопрос #2)" in t for t in fake.texts(FORUM, thread=topic)), what="told")
        assert len(fake.texts(42)) == replies
        assert ("Мария Модератор", f"Вопрос компании: {long.strip()}") in await app.storage.notes(conversation.id)

        # the customer's request to erase their data takes the questions about their thread too
        counts = await app.storage.forget_customer("volna", "telegram", "42", erase=True)
        assert counts["company_questions"] == 2 and await app.storage.company_question(1, "volna") is None


async def test_without_a_company_chat_ask_says_how_to_set_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    async with polling_bot(tmp_path, monkeypatch) as (fake, app):
        fake.customer_message(CUSTOMER, "Позовите оператора")
        card = await wait_until(lambda: next(iter(fake.called("createForumTopic")), None), what="the topic")
        topic = card.result["message_thread_id"]
        fake.customer_message(MODERATOR, "/ask Когда будут роутеры?", chat_id=FORUM, thread_id=topic)
        await wait_until(lambda: any("company_chat" in t for t in fake.texts(FORUM, thread=topic)), what="the hint")
        assert await app.storage.company_question(1, "volna") is None
        assert not any("/ask" in t for t in fake.texts(FORUM, thread=topic))  # the card offers no /ask


async def test_a_question_the_company_chat_refuses_is_said_and_the_customer_not_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with polling_bot(tmp_path, monkeypatch, company_chat, extra=f"company_chat = {COMPANY}\n") as (fake, app):
        fake.customer_message(CUSTOMER, "Позовите оператора, пожалуйста")
        card = await wait_until(lambda: next(iter(fake.called("createForumTopic")), None), what="the topic")
        topic = card.result["message_thread_id"]
        told_before = len(fake.texts(42))
        fake.fail_next("sendMessage", chat_id=COMPANY, code=403)  # the bot was removed from the company's chat
        fake.customer_message(MODERATOR, "/ask Когда будут роутеры?", chat_id=FORUM, thread_id=topic)
        said = await wait_until(lambda: next((t for t in fake.texts(FORUM, thread=topic)
                                              if "Вопрос не ушёл в чат компании" in t), None), what="the refusal")
        assert "403" in said or "Forbidden" in said
        assert len(fake.texts(42)) == told_before  # not told of a question that went nowhere
        conversation = await app.storage.customer_conversation("volna", Platform.TELEGRAM, "42")
        assert conversation is not None
        handoff = await app.storage.open_handoff(conversation.id)
        assert handoff is not None and handoff.first_reply_at is None  # still waiting for a person's first word
