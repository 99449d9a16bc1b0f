"""A message that asks two things ("Сколько стоит Оптимум и как его оплатить?") gets both approved answers; it went
to a person, the intent head sure of neither question read together. One the base does not cover gets the answer to
the other and a person for it, not the one answer alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from benchmarks.question_pairs import joined, outcome
from bot.app import App
from bot.config import load_config
from bot.local_channel import LocalSender
from bot.review import least_sure_answers
from handlers.argument_base import load_argument_base
from handlers.question_parts import question_parts
from handlers.router import answer_parts
from handlers.types import Action, Decision, Platform
from tests.conftest import SAMPLE_KB, MessageFactory, write_config


@pytest.mark.parametrize(("text", "parts"), [
    ("Сколько стоит Оптимум и как его оплатить?", ["Сколько стоит Оптимум", "как его оплатить?"]),
    ("Добрый вечер! Какие у вас тарифы? Можно оплатить картой?",
     ["Добрый вечер! Какие у вас тарифы?", "Можно оплатить картой?"]),
    ("Fiyatlar ne kadar ve nasıl ödeyebilirim?", ["Fiyatlar ne kadar", "nasıl ödeyebilirim?"]),
    ("How much is Optimum and how do I pay for it?", ["How much is Optimum", "how do I pay for it?"]),
    ("Где офис, а когда он работает?", ["Где офис", "когда он работает?"]),
    ("Как оплатить картой? А где посмотреть баланс?", ["Как оплатить картой?", "А где посмотреть баланс?"]),
])
def test_questions_asked_together(text: str, parts: list[str]) -> None:
    assert question_parts(text) == parts


@pytest.mark.parametrize("text", [
    "как оплатить картой?", "А как оплатить?",  # one question, a joining word first
    "не работает интернет и что делать?",  # a complaint, then a question: one matter
    "у вас есть приставка и сколько она стоит?",  # no question before the joining word
    "Какие тарифы есть? Спасибо",  # thanks ask nothing
    "Где офис? Да?",  # too short to ask anything of its own
    "Можно оплатить картой? Или только наличными?", "Kartla ödeyebilir miyim? Yoksa sadece nakit mi?",  # one question
    "Can I pay by card? Or only in cash?",
    "Сколько стоит приставка? А роутер?", "Modem kaç para? Ve TV kutusu?",  # the second goes on from the first
    "Какие тарифы? Как оплатить? Где офис? Когда приедет мастер?",  # more than three: a letter for a person
    "Почему " + "очень " * 40 + "дорого и как оплатить?",  # a long story: read whole
    "",
])
def test_one_question(text: str) -> None:
    assert question_parts(text) == [text]


def _answer(entry: str, key: int = 0) -> Decision:
    return Decision(Action.ANSWER, "intent", "ru", entry, f"ответ {entry}", f"{entry}:ru:private:{key}")


def test_each_question_is_answered_when_the_head_is_sure_of_an_entry_for_each() -> None:
    whole = Decision(Action.HANDOFF, "no_confident_answer", "ru", None, "Передаю…", "handoff:ru:0", {"intent": 0.41})
    both = answer_parts(whole, [_answer("tariffs"), _answer("payment_methods")])
    assert (both.action, both.reason, both.entry_id, both.reply_text) == (Action.ANSWER, "intent", "tariffs",
                                                                        "ответ tariffs")
    assert both.more_replies == (("ответ payment_methods", "payment_methods:ru:private:0"),)
    assert both.scores == {"intent": 0.41}  # the message's own scores, as stored
    # one entry answers both ("Где офис и когда он работает?"): the whole stands
    assert answer_parts(whole, [_answer("contacts_hours"), _answer("contacts_hours", 1)]) is whole
    # a part answered by similarity, as it would be alone, is answered so
    by_similarity = Decision(Action.ANSWER, "similarity", "ru", "payment_methods", "ответ",
                             "payment_methods:ru:private:0")
    assert answer_parts(whole, [_answer("tariffs"), by_similarity]).more_replies == (
        ("ответ", "payment_methods:ru:private:0"),)
    # what the whole called for besides an answer stands: a very unhappy customer, details, a request for a person
    for reason in ("strong_negative", "details_given", "entry_needs_human", "follow_up"):
        called = Decision(Action.HANDOFF, reason, "ru", None, "…", "unhappy_handoff:ru:0")
        assert answer_parts(called, [_answer("tariffs"), _answer("payment_methods")]) is called
    # an answer from one entry for the whole gets the other question's answer too
    one = _answer("tariffs", 2)
    assert answer_parts(one, [_answer("tariffs"), _answer("payment_methods")]).more_replies


def test_a_question_no_entry_answers_goes_to_a_person_after_the_answer_to_the_other() -> None:
    """"Сколько стоит Оптимум и где купить вашу футболку?" got the price list alone: nobody answered the rest."""
    whole = _answer("tariffs", 2)
    person = Decision(Action.HANDOFF, "out_of_scope", "ru", None, "Передаю сотруднику…", "out_of_scope:ru:1",
                      suggestions=("contacts_hours",))
    mixed = answer_parts(whole, [_answer("tariffs"), person])
    assert (mixed.action, mixed.reason, mixed.entry_id) == (Action.HANDOFF, "out_of_scope", None)
    assert (mixed.reply_text, mixed.phrasing_key) == ("ответ tariffs", "tariffs:ru:private:0")  # the answer first
    assert mixed.more_replies == (("Передаю сотруднику…", "out_of_scope:ru:1"),)  # then when a person answers
    assert mixed.suggestions == ("contacts_hours",) and mixed.scores == whole.scores
    # a request for a person among the questions: the answer, then the person ("…и как позвать оператора?" got the
    # payment methods alone)
    called = Decision(Action.HANDOFF, "entry_needs_human", "ru", "human_request", "Подключаю специалиста…",
                      "human_request:ru:private:0")
    asked_for = answer_parts(_answer("payment_methods", 1), [_answer("payment_methods"), called])
    assert (asked_for.action, asked_for.reason, asked_for.entry_id) == (Action.HANDOFF, "entry_needs_human",
                                                                        "human_request")
    assert asked_for.reply_text == "ответ payment_methods"
    assert asked_for.more_replies == (("Подключаю специалиста…", "human_request:ru:private:0"),)
    # no part surely answered: the whole stands (a person for all of it, or its one answer)
    assert answer_parts(whole, [person, person]) is whole
    # a part answered another way (by similarity alone, a greeting's prompt) leaves the whole as it was
    prompt = Decision(Action.ANSWER, "opener", "ru", None, "Задавайте вопрос", "opener_prompt:ru:0")
    assert answer_parts(whole, [_answer("payment_methods"), prompt]) is whole


async def test_a_message_of_two_questions_gets_both_answers(app: App, message: MessageFactory) -> None:
    outcome = await app.pipeline.handle(message("Сколько стоит Оптимум и как его оплатить?", customer="two"))
    assert outcome is not None
    decision = outcome.decision
    assert (decision.action, decision.entry_id) == (Action.ANSWER, "tariffs"), decision
    assert [key.split(":")[0] for _, key in decision.more_replies] == ["payment_methods"]
    assert len(outcome.outbox_ids) == 2  # two messages, the price first
    used = await app.storage.used_phrasings(outcome.conversation.id)
    assert [key.split(":")[0] for key in used] == ["tariffs", "payment_methods"]  # neither comes again at once
    conversation = await app.storage.conversation(outcome.conversation.id, "volna")
    assert not conversation.owned_by_human
    # the review lists each answer with its own entry
    reviewed = [a for a in await least_sure_answers(app.storage, "volna", 1, 1000)
                if a["message_id"] == outcome.message_id]
    assert sorted((a["entry_id"], a["reply"]) for a in reviewed) == sorted(
        [("tariffs", decision.reply_text)] + [(key.split(":")[0], text) for text, key in decision.more_replies])
    # a question no entry answers: the answer to the other, then a person for it
    mixed = await app.pipeline.handle(message("Сколько стоит Оптимум и где купить вашу фирменную футболку?",
                                              customer="mixed"))
    assert mixed is not None
    assert (mixed.decision.action, mixed.decision.entry_id) == (Action.HANDOFF, None), mixed.decision
    assert str(mixed.decision.phrasing_key).startswith("tariffs:ru:private:") and len(mixed.outbox_ids) == 2
    waiting = await app.storage.conversation(mixed.conversation.id, "volna")
    assert waiting.owned_by_human
    # thanks after the questions ask nothing: both answered still
    thanked = await app.pipeline.handle(message("Ребята, сколько стоит Оптимум? И как оплатить? Спасибо!",
                                                customer="thanked"))
    assert thanked is not None
    assert [thanked.decision.entry_id] + [key.split(":")[0] for _, key in thanked.decision.more_replies] == [
        "tariffs", "payment_methods"], thanked.decision
    # in Turkish and English too
    for text in ("Fiyatlar ne kadar ve nasıl ödeyebilirim?", "How much is Optimum and how do I pay for it?"):
        other = await app.pipeline.handle(message(text, customer=f"two-{text[:3]}"))
        assert other is not None
        assert other.decision.entry_id == "tariffs", other.decision
        assert [key.split(":")[0] for _, key in other.decision.more_replies] == ["payment_methods"]


def test_the_benchmark_joins_two_examples_as_customers_do_and_tells_what_they_got() -> None:
    assert joined("Сколько стоит Оптимум?", "Как оплатить картой?", "ru") == {
        "question_marks": "Сколько стоит Оптимум? Как оплатить картой?",
        "joined": "Сколько стоит Оптимум и как оплатить картой?"}
    assert joined("Fiyatlar ne kadar", "fatura ödeyemiyorum", "tr") == {
        "question_marks": "Fiyatlar ne kadar? fatura ödeyemiyorum"}  # no question word: not joined with "ve"
    base = load_argument_base(SAMPLE_KB)
    tariffs, payment = base.entry("tariffs"), base.entry("payment_methods")
    right = ("tariffs", "payment_methods")
    sure, unsure = (tariffs, "intent"), (None, "no_confident_answer")
    assert outcome(unsure, [sure, (payment, "intent")], right) == "both"
    assert outcome(unsure, [(payment, "intent"), sure], right) == "wrong_in_pair"  # each from the other's entry
    assert outcome(sure, [sure, unsure], right) == "one_and_person"
    assert outcome(sure, [sure, (payment, "similarity")], right) == "both"  # as it would be answered alone
    assert outcome(sure, [sure, (payment, "greeting_prompt")], right) == "one"  # the whole's answer alone
    assert outcome(unsure, None, right) == "person"
    assert outcome((base.entry("refund"), "intent"), None, right) == "wrong"


async def test_the_customers_name_comes_once_in_the_answers_to_several_questions(tmp_path: Path,
                                                                                 message: MessageFactory) -> None:
    """"Анна, …" twice in a row reads like a form letter: with every phrasing of both entries naming the customer,
    the first answer names her and the second does not."""
    sample = load_argument_base(SAMPLE_KB)
    def named(answer: str) -> str:
        return answer if "{name}" in answer else f"{{name}}, {answer[:1].lower()}{answer[1:]}"

    entries = [{"id": entry.id, "topic": entry.topic,
                "examples": {lang: list(texts) for lang, texts in entry.examples.items()},
                "answers": {lang: [named(a) if lang == "ru" else a for a in texts]
                            for lang, texts in entry.answers.items()}}
               for entry in (sample.entry(e) for e in ("tariffs", "payment_methods", "contacts_hours"))]
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "base.yaml").write_text(yaml.safe_dump({"entries": entries}, allow_unicode=True), encoding="utf-8")
    app = await App.start(load_config(write_config(tmp_path, argument_base=kb)), seed=7,
                          senders={Platform.LOCAL: LocalSender()})
    try:
        asked = await app.pipeline.handle(message("Сколько стоит Оптимум и как его оплатить?", customer="named"))
        assert asked is not None and asked.decision.more_replies, asked
        assert str(asked.decision.reply_text).startswith("Анна, ")
        assert not any("Анна" in text for text, _ in asked.decision.more_replies)
    finally:
        await app.close()
