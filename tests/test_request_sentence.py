"""A message whose one sentence asks, among sentences that only tell, is decided by that sentence read alone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.app import App
from handlers.argument_base import load_argument_base
from handlers.request_sentence import answering_sentence, request_sentences, trouble_and_question
from handlers.router import answer_request
from handlers.types import Action, Decision
from tests.conftest import SAMPLE_KB, MessageFactory

BASE = load_argument_base(SAMPLE_KB)


@pytest.mark.parametrize(("text", "asking"), [
    ("Я ваш абонент уже пять лет. Сколько стоит Оптимум?", "Сколько стоит Оптимум?"),
    ("Пишу вам уже второй раз.\n\nКак оплатить картой?", "Как оплатить картой?"),
    ("Beş yıldır abonenizim. Fiyatlar ne kadar?", "Fiyatlar ne kadar?"),
    ("How do I pay by card? This is my second time writing to you.", "How do I pay by card?"),
    ("У нас дома трое детей. Интернет не работает с утра.", "Интернет не работает с утра."),  # trouble, no question
])
def test_the_one_sentence_that_asks_or_complains_is_found(text: str, asking: str) -> None:
    assert request_sentences(text)[0] == asking


def test_where_it_names_nothing_the_one_sentence_that_tells_is_read() -> None:
    """"Что делать?" alone lay near the request for a person: the set-top box is what the message is about."""
    assert request_sentences("Приставка показывает ошибку 404. Что делать?", "ru") == (
        "Приставка показывает ошибку 404.",)
    assert request_sentences("Forgot my wifi password. What should I do?", "en") == ("Forgot my wifi password.",)
    assert request_sentences("Пишу второй раз. Договорился с соседом. Что делать?", "ru") == ()  # which one?


def test_the_one_sentence_that_tells_is_read_after_the_question() -> None:
    """What the question is about when it names little: "Как быть с интернетом?" after "Я переезжаю."."""
    assert request_sentences("Пишу вам уже второй раз. Как оплатить картой?", "ru") == (
        "Как оплатить картой?", "Пишу вам уже второй раз.")
    assert request_sentences("Я переезжаю. Как быть с интернетом?", "ru") == ("Как быть с интернетом?", "Я переезжаю.")
    assert request_sentences("Пишу второй раз. Договорился с соседом. Как быть с интернетом?", "ru") == (
        "Как быть с интернетом?",)  # two that tell: the question alone


def test_a_question_answered_by_similarity_alone_answers_for_a_whole_no_entry_answered() -> None:
    """As a message of its own would be: "Пишу вам уже второй раз. Как оплатить картой?" read whole went to a
    person."""
    payment = BASE.entry("payment_methods")
    asked = (payment, "similarity", "Как оплатить картой?")
    told = (None, "no_confident_answer", "Пишу вам уже второй раз.")
    assert answering_sentence([asked, told], "ru") == 0
    assert answering_sentence([asked, told], "ru", whole_entry="payment_methods") == 0
    assert answering_sentence([asked, told], "ru", whole_entry="tariffs") is None  # the whole answered another
    assert answering_sentence([asked, told], "ru", trouble=True) is None  # a trouble told is to be heard
    assert answering_sentence([(payment, "similarity", "Обычно плачу картой.")], "ru") is None  # asks nothing
    assert answering_sentence([(payment, "similarity", "Как быть?")], "ru") is None  # names nothing


def test_a_trouble_and_a_question_are_found() -> None:
    assert trouble_and_question("Телевизор не показывает. Как оплатить картой?") == (
        "Телевизор не показывает.", "Как оплатить картой?")
    assert trouble_and_question("Как оплатить картой? Интернет не работает.") == (
        "Интернет не работает.", "Как оплатить картой?")
    assert trouble_and_question("Интернет не работает. Договор 4581203. Когда почините?") is None  # three
    assert trouble_and_question("Договор 4581203, интернет не работает. Когда почините?") is None  # details
    assert trouble_and_question("Интернет не работает, почему? Когда почините?") is None  # two questions


@pytest.mark.parametrize("text", [
    "Сколько стоит Оптимум?",  # one sentence
    "Здравствуйте! Сколько стоит Оптимум?",  # a greeting: the whole already reads without it
    "Сколько стоит Оптимум? Как оплатить?",  # two questions (handlers.question_parts)
    "Договор 4581203. Когда почините?",  # the details are read with the question
    "Живу на ул. Ленина 5. Можно подключить?",  # an abbreviation ends no sentence: the address stays with it
    "Я ваш абонент уже пять лет. Спасибо вам!",  # nothing asked
    "Интернет не работает. Сколько можно!",  # two complaints
])
def test_a_message_is_read_whole_otherwise(text: str) -> None:
    assert request_sentences(text) == ()


def test_the_sentence_answers_for_a_plain_whole_when_the_head_is_sure_of_an_entry_it_names() -> None:
    whole = Decision(Action.HANDOFF, "no_confident_answer", "ru", scores={"intent": 0.3})
    sure = Decision(Action.ANSWER, "intent", "ru", "tariffs", "Тарифы…", "tariffs:ru:private:0", {"intent": 0.9})
    asked = "Сколько стоит Оптимум?"
    assert answer_request(whole, [(sure, asked)], BASE) == replace(sure, scores={"intent": 0.3})
    rated = Decision(Action.ANSWER, "rated_satisfied", "ru", reply_text="Спасибо за оценку!")
    assert answer_request(rated, [(sure, asked)], BASE) is rated  # the whole called for more than an answer
    # "Что делать?" names nothing the entry speaks of: the whole ("Приставка показывает ошибку 404.") stands
    assert answer_request(whole, [(replace(sure, entry_id="human_request"), "Что делать?")], BASE) is whole
    # the head unsure of it alone: answered by similarity as alone it would be, unless the whole had another entry
    by_similarity = replace(sure, reason="similarity")
    assert answer_request(whole, [(by_similarity, asked)], BASE) == replace(by_similarity, scores={"intent": 0.3})
    other = Decision(Action.ANSWER, "similarity", "ru", "payment_methods", "Оплатить…", "payment_methods:ru:private:0")
    assert answer_request(other, [(by_similarity, asked)], BASE) is other
    handed = Decision(Action.HANDOFF, "no_confident_answer", "ru", reply_text="Передаю…")
    assert answer_request(whole, [(handed, asked)], BASE) is whole


def test_the_sentence_that_tells_answers_for_an_unsure_question_unless_they_disagree() -> None:
    whole = Decision(Action.HANDOFF, "no_confident_answer", "ru", scores={"intent": 0.3})
    unsure = Decision(Action.HANDOFF, "no_confident_answer", "ru")
    moving = Decision(Action.ANSWER, "intent", "ru", "moving_house", "Поздравляем с переездом!…",
                      "moving_house:ru:private:0")
    told = (moving, "Я переезжаю.")
    assert answer_request(whole, [(unsure, "Как быть с интернетом?"), told], BASE) == replace(
        moving, scores={"intent": 0.3})
    # the question alone sure of an outage, the sentence that tells of the move: which is meant is not clear
    outage = Decision(Action.ANSWER, "intent", "ru", "outage", "Давайте разбираться…", "outage:ru:private:1")
    assert answer_request(whole, [(outage, "Что будет с интернетом?"), told], BASE) is whole
    # the question, handed off alone, names what the move's entry does not speak of: a person for it after the answer
    notice = replace(unsure, reason="out_of_scope", reply_text="Передаю коллеге…", phrasing_key="out_of_scope:ru:0")
    combined = answer_request(whole, [(notice, "А футболки у вас продаются?"), told], BASE)
    assert (combined.action, combined.reason, combined.reply_text, combined.more_replies) == (
        Action.HANDOFF, "out_of_scope", moving.reply_text, (("Передаю коллеге…", "out_of_scope:ru:0"),))
    # ... and where the question names something the move's entry does not speak of, each is answered
    tariffs = Decision(Action.ANSWER, "intent", "ru", "tariffs", "Тарифы…", "tariffs:ru:private:0")
    assert answer_request(whole, [(tariffs, "Сколько стоит Оптимум?"), told], BASE) == replace(
        moving, scores={"intent": 0.3}, more_replies=(("Тарифы…", "tariffs:ru:private:0"),))
    # ... unless the whole message read by the intent head all but rules the other's entry out ("…thinking of
    # switching from another provider" alone: the cancel entry; the whole: promotions for new customers)
    assert answer_request(whole, [(tariffs, "Сколько стоит Оптимум?"), told], BASE,
                          whole_intents={"tariffs": 0.8, "moving_house": 0.04}) == replace(
        tariffs, scores={"intent": 0.3})
    assert answer_request(whole, [(tariffs, "Сколько стоит Оптимум?"), told], BASE,
                          whole_intents={"tariffs": 0.5, "moving_house": 0.2}).more_replies  # not ruled out
    assert answer_request(whole, [(unsure, "Как быть с интернетом?"), told], BASE,
                          whole_intents={"outage": 0.4, "moving_house": 0.01}) is whole  # nor for an unsure question
    # a trouble told is heard: the question alone does not answer for it
    assert answer_request(whole, [(tariffs, "Сколько стоит Оптимум?"), (unsure, "Телевизор не показывает.")], BASE,
                          trouble=True) is whole
    assert answer_request(whole, [(tariffs, "Сколько стоит Оптимум?"), (unsure, "Я переезжаю.")], BASE) == replace(
        tariffs, scores={"intent": 0.3})
    # ... and a trouble that alone goes to a person goes to one, the question answered after it, however unhappy
    # the whole reads ("Не работает интернет. Сколько стоит Максимум?" heard only regret and a person)
    handed = Decision(Action.HANDOFF, "strong_negative", "ru", "outage", "Очень жаль…", "outage:ru:private:0")
    heard = replace(handed, scores={"intent": 0.3}, more_replies=(("Тарифы…", "tariffs:ru:private:0"),))
    for read in (whole, replace(whole, reason="strong_negative")):
        assert answer_request(read, [(tariffs, "Сколько стоит Оптимум?"), (handed, "Интернет пропал.")], BASE,
                              trouble=True) == heard
    assert answer_request(replace(whole, reason="strong_negative"), [(tariffs, "Сколько стоит Оптимум?"), told], BASE,
                          trouble=True).reason == "strong_negative"  # a trouble answered alone: a person still
    # the whole was answered from another entry: the sentence that tells does not overrule it
    answered = replace(outage, reason="similarity")
    assert answer_request(answered, [(unsure, "Как быть с интернетом?"), told], BASE) is answered
    assert answer_request(replace(answered, entry_id="moving_house"), [(unsure, "Как быть с интернетом?"), told],
                          BASE) == replace(moving, scores=answered.scores)


@pytest.mark.parametrize(("text", "entry", "language"), [
    ("Я ваш абонент уже пять лет. Сколько стоит Оптимум?", "tariffs", "ru"),  # went to a person
    ("Beş yıldır abonenizim. Fiyatlar ne kadar?", "tariffs", "tr"),  # went to a person
    ("Пишу вам уже второй раз. Как оплатить картой?", "payment_methods", "ru"),
    # the question alone answered by similarity, as alone it is (both went to a person)
    ("Я ваш абонент уже пять лет. Где взять номер договора?", "account_app", "ru"),
    ("Мы недавно переехали в этот район. Нужен ли паспорт для подключения?", "new_connection", "ru"),
])
async def test_a_question_after_a_sentence_that_only_tells_is_answered(
        app: App, message: MessageFactory, text: str, entry: str, language: str) -> None:
    outcome = await app.pipeline.handle(message(text, customer=f"told-{entry}-{language}"))
    assert outcome is not None
    decision = outcome.decision
    assert (decision.action, decision.entry_id, decision.language) == (Action.ANSWER, entry, language), decision


async def test_a_sentence_that_says_nothing_alone_leaves_the_whole_as_it_was(app: App, message: MessageFactory) -> None:
    """"Что делать?" read alone lay near the request for a person; "I'm moving next week. What do I do with my
    internet?" is the moving entry's whole, and nobody's alone; details before a question are heard with it."""
    for text, entry in (("Приставка показывает ошибку 404. Что делать?", "tv_not_working"),
                        ("I'm moving next week. What do I do with my internet?", "moving_house")):
        outcome = await app.pipeline.handle(message(text, customer=f"told-{entry}"))
        assert outcome is not None
        assert (outcome.decision.action, outcome.decision.entry_id) == (Action.ANSWER, entry), outcome.decision
    details = await app.pipeline.handle(message("Договор 4581203. Когда почините?", customer="told-details"))
    assert details is not None
    assert details.decision.reason == "details_given", details.decision


async def test_the_phrasing_is_chosen_for_the_whole_message(app: App, message: MessageFactory) -> None:
    """"Можно приостановить договор?" alone lies nearest the cancel entry's "what made you decide to leave?"; with
    "Мы уезжаем на дачу на всё лето." before it, nearest the one on pausing the service."""
    outcome = await app.pipeline.handle(message("Мы уезжаем на дачу на всё лето. Можно приостановить договор?",
                                                customer="told-summer"))
    assert outcome is not None
    assert outcome.decision.entry_id == "cancel_contract", outcome.decision
    assert "приостановить обслуживание" in (outcome.decision.reply_text or ""), outcome.decision.reply_text


@pytest.mark.parametrize(("text", "entry"), [
    ("Я переезжаю. Как быть с интернетом?", "moving_house"),  # the question unsure alone: went to a person
    ("Интернет очень медленный по вечерам. Можно что-то сделать с интернетом?", "slow_speed"),  # went to a person
    ("I'm moving to a new flat. What happens with my internet?", "moving_house"),  # was told of an outage
])
async def test_the_sentence_that_tells_says_what_a_question_naming_little_is_about(
        app: App, message: MessageFactory, text: str, entry: str) -> None:
    outcome = await app.pipeline.handle(message(text, customer=f"context-{entry}"))
    assert outcome is not None
    assert (outcome.decision.action, outcome.decision.entry_id) == (Action.ANSWER, entry), outcome.decision


@pytest.mark.parametrize(("text", "entries"), [
    # the move's entry speaks of the internet but not of "Оптимум": the price is asked too (the move alone before)
    ("Переезжаю в новую квартиру. Сколько стоит Оптимум?", ["moving_house", "tariffs"]),
    # a trouble and another question: the set-top box's answer alone before
    ("Телевизор не показывает. Как оплатить картой?", ["tv_not_working", "payment_methods"]),
])
async def test_a_question_naming_what_the_sentence_before_does_not_speak_of_is_answered_with_it(
        app: App, message: MessageFactory, text: str, entries: list[str]) -> None:
    outcome = await app.pipeline.handle(message(text, customer=f"context-{entries[0]}"))
    assert outcome is not None
    decision = outcome.decision
    assert (decision.action, _answered_from(decision)) == (Action.ANSWER, entries), decision
    assert decision.reply_text and decision.reply_text.count("Анна") + sum(
        text.count("Анна") for text, _ in decision.more_replies) <= 1  # the name once


async def test_a_sentence_the_whole_message_rules_out_answers_nothing(app: App, message: MessageFactory) -> None:
    """The second sentence alone lay in the cancel entry, sure ("switching"), and the customer heard "May I ask what
    made you decide to leave?" before the promotions: the whole message read gave that entry 0.04."""
    text = "hi! do you guys have any promo for new customers? thinking of switching from another provider"
    outcome = await app.pipeline.handle(message(text, customer="switching"))
    assert outcome is not None
    decision = outcome.decision
    assert (decision.action, decision.entry_id, decision.more_replies) == (Action.ANSWER, "promo_bonus", ()), decision


@pytest.mark.parametrize(("text", "entries"), [
    ("Интернет пропал. Как оплатить картой?", ["outage", "payment_methods"]),  # the payment's answer alone before
    ("Не работает интернет. Сколько стоит Максимум?", ["outage", "tariffs"]),  # regret and a person alone before
])
async def test_a_trouble_that_goes_to_a_person_is_heard_and_the_question_beside_it_answered(
        app: App, message: MessageFactory, text: str, entries: list[str]) -> None:
    outcome = await app.pipeline.handle(message(text, customer=f"trouble-{entries[1]}"))
    assert outcome is not None
    assert (outcome.decision.action, _answered_from(outcome.decision)) == (Action.HANDOFF, entries), outcome.decision


def _answered_from(decision: Decision) -> list[str]:
    """The entries of a decision's replies, in the order they go out."""
    keys = [decision.phrasing_key, *(key for _, key in decision.more_replies)]
    return [str(key).split(":")[0] for key in keys]


@pytest.mark.parametrize(("text", "entry"), [
    ("Я переезжаю. А футболки у вас продаются?", "moving_house"),  # the move's answer alone before
    ("Телевизор не показывает. А футболки у вас продаются?", "tv_not_working"),  # the set-top box's alone before
])
async def test_a_question_the_sentence_before_does_not_answer_goes_to_a_person_after_its_answer(
        app: App, message: MessageFactory, text: str, entry: str) -> None:
    """The answer for what the sentence before tells, and a person for the T-shirts no entry speaks of."""
    outcome = await app.pipeline.handle(message(text, customer=f"context-shirts-{entry}"))
    assert outcome is not None
    decision = outcome.decision
    assert decision.action is Action.HANDOFF, decision
    assert (decision.phrasing_key or "").startswith(f"{entry}:ru:"), decision
    assert [key.split(":")[0] for _, key in decision.more_replies] == ["out_of_scope"], decision
