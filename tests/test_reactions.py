"""Customers' verdicts on a reply, an emoji reaction or words ("не помогло"), and the `review` of the bot's answers
putting the ones a customer disapproved of first."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.desk import ModeratorDesk
from bot.report import brand_report, last_days
from bot.review import least_sure_answers
from bot.stats import brand_stats
from handlers.reactions import (
    ANSWER_DID_NOT_HELP,
    ANSWER_UNCLEAR,
    NOT_RESOLVED,
    RATED_SATISFIED,
    reaction_verdict,
    says_it_did_not_help,
    says_it_goes_on,
    says_it_is_unclear,
    typed_rating,
)
from handlers.texts import TEXTS
from handlers.types import Action, Conversation, ConversationState, Platform, utcnow
from tests.conftest import MessageFactory


@pytest.mark.parametrize(("emojis", "verdict"), [
    (["👍"], 1), (["❤️"], 1), (["❤‍🔥"], 1), (["🔥", "🙏"], 1),
    (["👎"], -1), (["😡"], -1), (["👍", "👎"], -1),  # a 👎 anywhere: not satisfied
    (["🤔"], 0), (["👀"], 0), ([], 0),
])
def test_a_reaction_approves_disapproves_or_says_neither(emojis: list[str], verdict: int) -> None:
    assert reaction_verdict(emojis) == verdict


@pytest.mark.parametrize("text", [
    "не помогло", "Перезагрузил, не помогло(", "всё равно не работает", "увы, так и не заработал", "işe yaramadı",
    "Modemi yeniden başlattım ama hâlâ çalışmıyor", "that didn't help", "Still not working!", "did not work, sorry",
    "спасибо за ничего", "ну спасибо, помогли так помогли", "спасибо за отписку", "teşekkürler, hiçbir işe "
    "yaramadınız", "Thanks for nothing", "thanks for wasting my time", "useless",
    "перезагрузил, всё то же самое", "ничего не изменилось", "modemi kapatıp açtım, hala aynı",
    "I already restarted the router, still the same", "nothing changed",
    # what the answer says, done already: "I already restarted the router twice" went to a person as a question
    "Я уже перезагружал роутер", "уже всё перепробовала", "Modemi zaten yeniden başlattım", "zaten denedim",
    "I already restarted the router twice", "tried that already",
])
def test_words_saying_the_answer_did_not_help(text: str) -> None:
    assert says_it_did_not_help(text)


@pytest.mark.parametrize("text", [
    "помогло, спасибо", "не работает интернет", "sorun olmadı, teşekkürler", "it works now", "",
    "спасибо, очень помогли!", "thank you so much for your help", "а тариф всё ещё действует?",
    "can I still get the discount?", "перезагрузил, всё ещё тормозит", "я уже оплатил", "I already paid",
    "не помогло бы подключить ещё одну приставку: сколько стоит вторая приставка и как её подключить к тарифу?",
])
def test_words_that_are_no_such_verdict(text: str) -> None:
    assert not says_it_did_not_help(text)  # a longer message says more than a verdict: a question of its own


@pytest.mark.parametrize(("text", "goes_on"), [
    ("перезагрузил, всё ещё тормозит", True), ("modemi yeniden başlattım ama hâlâ yavaş", True),
    ("i already restarted it, still dropping", True), ("по-прежнему пишет «нет сети»", True),
    ("спасибо, до сих пор всё работает отлично", True),  # goes on pleased: the router reads its mood
    ("а тариф всё ещё действует?", False), ("can I still get the discount?", False),  # questions
    ("тормозит", False), ("", False),
])
def test_words_saying_something_goes_on(text: str, goes_on: bool) -> None:
    assert says_it_goes_on(text) is goes_on


async def test_an_answer_the_customer_says_did_not_help_goes_to_a_person_and_counts_as_disapproved(
        app: App, message: MessageFactory) -> None:
    """"не помогло" after the router answer was read as a question of its own, and handed off as "Понимаю, это
    важно" with nothing for the moderator; now a person takes it with the entry that did not help, the customer
    hears that the answer did not help, and the answer counts as disapproved in `stats` and comes first in
    `review`."""
    asked = await app.pipeline.handle(message("как поменять пароль от wifi?", customer="nh"))
    assert asked is not None and (asked.decision.action, asked.decision.entry_id) == (Action.ANSWER, "router_setup")
    await app.pipeline.handle(message("Сколько стоит ваш самый быстрый тариф?", customer="nh-other"))
    verdict = await app.pipeline.handle(message("перезагрузил, не помогло", customer="nh"))
    assert verdict is not None
    assert (verdict.decision.action, verdict.decision.reason, verdict.decision.entry_id) == (
        Action.HANDOFF, ANSWER_DID_NOT_HELP, "router_setup")
    assert verdict.decision.reply_text in {t.format(eta="часа") for t in TEXTS["did_not_help_handoff"]["ru"]}
    listed = await least_sure_answers(app.storage, "volna", 1, 10)
    assert [(a["entry_id"], a["disapproved"]) for a in listed] == [("router_setup", True), ("tariffs", False)]
    stats = await brand_stats(app.storage, "volna")
    assert (stats.answers_disapproved, stats.answered_by_bot, stats.handed_off) == (1, 2, 1)
    # said to no answer of the bot's (the first message of a conversation): not a verdict on one
    first = await app.pipeline.handle(message("не помогло", customer="nh-first"))
    assert first is not None and first.decision.reason != ANSWER_DID_NOT_HELP

    # the trouble going on after the answer ("hâlâ yavaş" went to a person as a new unsure question); the service
    # going on as the customer is pleased with is no verdict on it
    for customer, after, goes_on, did_not_help in (
            ("nh-slow", "internetim çok yavaş", "modemi yeniden başlattım ama hâlâ yavaş", True),
            ("nh-fine", "как поменять пароль от wifi?", "спасибо, до сих пор всё работает отлично", False)):
        await app.pipeline.handle(message(after, customer=customer))
        said = await app.pipeline.handle(message(goes_on, customer=customer))
        assert said is not None
        assert (said.decision.reason == ANSWER_DID_NOT_HELP) is did_not_help, said.decision


def test_words_asking_what_the_answer_meant() -> None:
    unclear = ["не понял", "Не поняла(", "а подробнее?", "можно поподробнее, пожалуйста", "в смысле?", "что?",
               "anlamadım", "ne demek istiyorsunuz?", "daha detaylı lütfen", "What do you mean?",
               "sorry, I don't get it", "huh?", "а почему?", "зачем?", "neden?", "but why?"]
    other = ["не понял, как подключить автоплатёж в приложении", "что по тарифам?", "подробнее о тарифе Оптимум",
             "понятно, спасибо", "ok", "", "???", "почему так дорого?", "why is my bill so high?"]
    assert [text for text in unclear if not says_it_is_unclear(text)] == []
    assert [text for text in other if says_it_is_unclear(text)] == []


async def test_an_answer_the_customer_did_not_understand_goes_to_a_person_with_it_and_comes_up_in_review(
        app: App, message: MessageFactory) -> None:
    """"what do you mean?" after the autopay answer heard "Good question, but not quite my area", and the card
    had no entry; now a person explains that answer, and `review` lists it before the merely unsure ones."""
    asked = await app.pipeline.handle(message("как подключить автоплатёж?", customer="un"))
    assert asked is not None and asked.decision.action is Action.ANSWER and asked.decision.entry_id is not None
    await app.pipeline.handle(message("Сколько стоит ваш самый быстрый тариф?", customer="un-other"))
    lost = await app.pipeline.handle(message("не понял", customer="un"))
    assert lost is not None
    assert (lost.decision.action, lost.decision.reason, lost.decision.entry_id) == (
        Action.HANDOFF, ANSWER_UNCLEAR, asked.decision.entry_id)
    assert lost.decision.reply_text in {t.format(eta="часа") for t in TEXTS["unclear_handoff"]["ru"]}
    listed = await least_sure_answers(app.storage, "volna", 1, 10)
    assert [(a["entry_id"], a["unclear"], a["disapproved"]) for a in listed] == [
        (asked.decision.entry_id, True, False), ("tariffs", False, False)]
    first = await app.pipeline.handle(message("не понял", customer="un-first"))  # no answer of the bot's before
    assert first is not None and first.decision.reason != ANSWER_UNCLEAR


@pytest.mark.parametrize(("text", "verdict"), [
    ("да", True), ("Да, спасибо!", True), ("Всё отлично, спасибо", True), ("evet", True), ("Memnunum", True),
    ("yes thanks", True), ("👍", True), ("нет", False), ("Нет, не решили", False), ("hayır", False),
    ("not really", False), ("не помогло, деньги так и не вернули", False), ("👎", False),
    ("спасибо за ничего", False), ("thanks for nothing", False),
    ("сколько стоит тариф?", None), ("спасибо", None), ("нет интернета", None), ("", None),
])
def test_a_typed_answer_to_the_rating_question(text: str, verdict: bool | None) -> None:
    assert typed_rating(text) is verdict


@pytest.mark.parametrize(("text", "pleased", "verdict"), [
    # saying it works is the commonest answer ("Да, заработало, спасибо" was answered "Спасибо и вам", no rating)
    ("Да, заработало, спасибо", False, True), ("всё работает!", False, True), ("evet düzeldi", False, True),
    ("Çalışıyor, teşekkürler", False, True), ("yes it works now", False, True), ("all sorted, thanks", False, True),
    # ... unless a word takes it back, or it says it does not work
    ("интернет так и не работает", False, False), ("Да блин опять не работает", False, False),
    ("it isn't working", False, False), ("Çalışmıyor", True, False), ("всё работает, но медленно", True, None),
    ("да уж, помогли", True, None), ("работает?", True, None),
    # "да, …" is satisfied when the classifier reads it pleased ("да вы издеваетесь" is "да" too)
    ("да все супер", True, True), ("да все супер", False, None), ("Да вы издеваетесь", False, None),
    ("спасибо", True, None), ("Супер!", False, True), ("Молодцы", False, True),  # a cheer
])
def test_a_typed_answer_that_says_the_resolution_worked(text: str, pleased: bool, verdict: bool | None) -> None:
    assert typed_rating(text, pleased) is verdict


async def test_a_rating_typed_back_is_stored_and_a_resolution_that_did_not_help_goes_back_to_a_person(
        app: App, message: MessageFactory) -> None:
    """Asked "Вы довольны решением?", customers write back instead of pressing a button: "не помогло, деньги так
    и не вернули" was answered from the refund entry again, as a new question, and no rating was kept. Now a
    typed answer is the rating (with the customer's words); a "no" also hands the thread back to a person."""
    rated: list[tuple[int, bool]] = []

    async def heard(conversation: Conversation, satisfied: bool, reopened: bool) -> None:
        assert not reopened  # a typed "no" hands the thread over with its message's decision
        rated.append((conversation.id, satisfied))

    app.rating_listeners.append(heard)
    desk = ModeratorDesk(app.storage, "volna")
    answers = (("happy", "Да, спасибо!"), ("unhappy", "не помогло, деньги так и не вернули"),
               ("works", "Да, всё заработало, спасибо!"))
    for customer, answer in answers:
        opened = await app.pipeline.handle(message("Позовите оператора, пожалуйста", customer=customer))
        assert opened is not None and opened.decision.action is Action.HANDOFF
        await desk.reply(opened.conversation.id, "maria", "Проверила: второй платёж вернём в течение 3 дней.")
        await desk.resolve(opened.conversation.id, "maria")
        await app.outbox.deliver_due(Platform.LOCAL)
        assert await app.storage.rating_awaited(opened.conversation.id)
        typed = await app.pipeline.handle(message(answer, customer=customer))
        assert typed is not None
        assert not await app.storage.rating_awaited(opened.conversation.id)  # rated: a later "да" is no rating
        conversation = await app.storage.conversation(opened.conversation.id, "volna")
        if customer != "unhappy":
            assert (typed.decision.action, typed.decision.reason) == (Action.ANSWER, RATED_SATISFIED)
            assert typed.decision.reply_text in TEXTS["rating_thanks"]["ru"]
            assert conversation.state is ConversationState.BOT
        else:
            assert (typed.decision.action, typed.decision.reason) == (Action.HANDOFF, NOT_RESOLVED)
            assert typed.decision.reply_text in {t.format(eta="часа") for t in TEXTS["not_resolved_handoff"]["ru"]}
            assert conversation.state is ConversationState.WAITING_FOR_MODERATOR
        assert await app.storage.ratings(opened.conversation.id) == [(customer != "unhappy", answer)]
    assert [satisfied for _, satisfied in rated] == [True, False, True]
    stats = await brand_stats(app.storage, "volna")
    assert (stats.ratings, stats.satisfied_share) == (3, 0.667)
    # the client's report says why: the unsatisfied customers' own words
    report = (await brand_report(app.storage, app.config.brands["volna"], last_days(30, utcnow()), "ru")).splitlines()
    why = report.index("## Почему клиенты недовольны решением")
    assert report[why + 2].startswith("Что клиенты написали в ответ на вопрос об оценке")
    assert report[why + 4] == f"- {utcnow().date().isoformat()}: «не помогло, деньги так и не вернули»"
    assert report[why + 5] == ""  # the satisfied customer's "Да, спасибо!" is no reason to list
    # a question after the rating question is a question, and no rating
    other = await app.pipeline.handle(message("Позовите оператора, пожалуйста", customer="asks"))
    assert other is not None
    await desk.reply(other.conversation.id, "maria", "Готово.")
    await desk.resolve(other.conversation.id, "maria")
    await app.outbox.deliver_due(Platform.LOCAL)
    question = await app.pipeline.handle(message("сколько стоит тариф Оптимум?", customer="asks"))
    assert question is not None and question.decision.entry_id == "tariffs"
    assert await app.storage.ratings(other.conversation.id) == [] and await app.storage.rating_awaited(
        other.conversation.id) is False  # our last reply is the answer now


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
