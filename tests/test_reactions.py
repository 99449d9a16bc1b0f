"""Customers' emoji reactions read as a verdict on a reply, and the `review` of the bot's answers putting the ones
a customer disapproved of first."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.review import least_sure_answers
from bot.stats import brand_stats
from handlers.reactions import reaction_verdict
from handlers.types import Platform
from tests.conftest import MessageFactory


@pytest.mark.parametrize(("emojis", "verdict"), [
    (["👍"], 1), (["❤️"], 1), (["❤‍🔥"], 1), (["🔥", "🙏"], 1),
    (["👎"], -1), (["😡"], -1), (["👍", "👎"], -1),  # a 👎 anywhere: not satisfied
    (["🤔"], 0), (["👀"], 0), ([], 0),
])
def test_a_reaction_approves_disapproves_or_says_neither(emojis: list[str], verdict: int) -> None:
    assert reaction_verdict(emojis) == verdict


async def test_the_review_lists_answers_a_customer_disapproved_of_first(app: App, message: MessageFactory) -> None:
    questions = ["Сколько стоит ваш самый быстрый тариф?", "Как оплатить интернет картой?",
                 "Где моя заявка на подключение?"]
    for n, text in enumerate(questions):
        outcome = await app.pipeline.handle(message(text, customer=f"r{n}"))
        assert outcome is not None and outcome.decision.action.value == "answer"
    assert await app.outbox.deliver_due(Platform.LOCAL) == 3
    before = await least_sure_answers(app.storage, "volna", 1, 10)
    surest = before[-1]
    assert not any(a["disapproved"] or a["reaction"] for a in before)
    sent = """SELECT o.chat_id, o.platform_message_id, c.customer_id FROM outbox o
              JOIN conversations c ON c.id = o.conversation_id WHERE o.source_message_id = ?"""
    [(chat_id, sent_id, customer)] = await app.storage.fetch(sent, (surest["message_id"],))
    # someone else's reaction to the answer (under a public post anyone can react) is not the customer's verdict
    assert await app.storage.record_reaction("volna", Platform.LOCAL, chat_id, sent_id, "r-stranger", "👎") is None
    reacted = await app.storage.record_reaction("volna", Platform.LOCAL, chat_id, sent_id, customer, "👎")
    assert reacted is not None and reacted.kind == "answer" and reacted.source_message_id == surest["message_id"]
    after = await least_sure_answers(app.storage, "volna", 1, 10)
    assert after[0]["message_id"] == surest["message_id"] and after[0]["reaction"] == "👎" and after[0]["disapproved"]
    assert [a["message_id"] for a in after[1:]] == [a["message_id"] for a in before[:-1]]
    # a message that is no delivered reply of the brand's is not stored against anything
    assert await app.storage.record_reaction("volna", Platform.LOCAL, chat_id, "local-999999", customer, "👎") is None
    assert await app.storage.record_reaction("other", Platform.LOCAL, chat_id, sent_id, customer, "👍") is None
    [(other_chat, other_sent, other_customer)] = await app.storage.fetch(sent, (before[0]["message_id"],))
    assert await app.storage.record_reaction("volna", Platform.LOCAL, other_chat, other_sent, other_customer,
                                             "❤️ 🔥") is not None
    stats = await brand_stats(app.storage, "volna")
    assert (stats.answers_approved, stats.answers_disapproved, stats.answered_by_bot) == (1, 1, 3)
