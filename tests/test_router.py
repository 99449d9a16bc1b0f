"""The router's rules on given analyses (no encoder needed)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from handlers.argument_base import load_argument_base
from handlers.entry_moods import EntryMood
from handlers.matcher import Match
from handlers.phrasing import choose_phrasing, words_named
from handlers.policy import BrandPolicy
from handlers.router import decide
from handlers.surge_words import subject_words
from handlers.texts import TEXTS
from handlers.types import Action, Analysis, Conversation, ConversationState, Decision, IncomingMessage, Platform
from tests.conftest import SAMPLE_KB

BASE = load_argument_base(SAMPLE_KB)
POLICY = BrandPolicy(private_link="https://t.me/volna_bot?start=support")


def _decide(analysis: Analysis, match: Match | None = None, public: bool = False, text: str = "текст",
            state: ConversationState = ConversationState.BOT) -> tuple[Action, str, str | None, str | None]:
    conversation = Conversation(1, "volna", Platform.LOCAL, "c", "Анна", state, "ru")
    msg = IncomingMessage(Platform.LOCAL, "volna", "chat", "1", "c", text, "Анна", is_public=public)
    d = decide(msg, conversation, analysis, match, BASE, POLICY, [], random.Random(0))
    return d.action, d.reason, d.entry_id, d.reply_text


def test_intent_head_wins_and_similarity_is_the_fallback() -> None:
    by_head = _decide(Analysis("ru", intents={"tariffs": 0.9, "change_tariff": 0.05}))
    assert by_head[:3] == (Action.ANSWER, "intent", "tariffs")
    fallback = _decide(Analysis("ru"), Match("refund", 0.93, 0.88, {}))
    assert fallback[:3] == (Action.ANSWER, "similarity", "refund")
    unsure = _decide(Analysis("ru"), Match("refund", 0.80, 0.79, {}))
    assert unsure[:2] == (Action.HANDOFF, "no_confident_answer") and unsure[3]


def test_a_question_is_not_answered_with_a_pleasantry_by_similarity() -> None:
    """"До какого числа?" under a post lay nearest the goodbye and heard "До свидания, Анна!": a person answers it.
    A greeting with a question, a call ("алло есть кто") and a pleasantry the intent head is sure of keep theirs."""
    near_goodbye = Match("goodbye", 0.9, 0.86, {})
    for text in ("До какого числа?", "Где подробности?", "Подробнее можно?"):
        assert _decide(Analysis("ru"), near_goodbye, public=True, text=text)[:3] == (
            Action.HANDOFF, "no_confident_answer", None)
    near_greeting = Match("greeting", 0.9, 0.86, {})
    for text in ("Привет, как дела?", "алло есть кто", "Доброе утро, можно вопрос?"):
        assert _decide(Analysis("ru"), near_greeting, text=text)[:3] == (Action.ANSWER, "similarity", "greeting")
    sure = _decide(Analysis("ru", intents={"goodbye": 0.9}), near_goodbye, text="Подробнее можно?")
    assert sure[:3] == (Action.ANSWER, "intent", "goodbye")


def test_a_calm_question_read_mildly_negative_hears_no_regret() -> None:
    """"Я переезжаю. Как быть с интернетом?" read 0.55 negative and heard "Понимаю ваше недовольство" from a person's
    handoff; a question so read with no word of displeasure or trouble gets the plain notice."""
    regret = {t.format(eta="часа") for t in TEXTS["unhappy_handoff"]["ru"]}
    plain = {t.format(eta="часа") for t in TEXTS["handoff"]["ru"]}

    def heard(text: str, negative: float) -> str | None:
        mood = {"negative": negative, "neutral": 1 - negative, "positive": 0.0}
        action, reason, _, reply = _decide(Analysis("ru", mood, intents={"moving_house": 0.28}), text=text)
        assert (action, reason) == (Action.HANDOFF, "no_confident_answer"), text
        return reply

    assert heard("Я переезжаю. Как быть с интернетом?", 0.55) in plain
    assert heard("Я переезжаю. Как быть с интернетом?", 0.65) in regret  # read more negative: regret, as before
    assert heard("Сколько можно ждать переезда?", 0.55) in regret  # a word of displeasure
    assert heard("Опять не работает, что делать?", 0.55) in regret  # of trouble
    assert heard("Ну и сервис у вас, третий раз пишу", 0.51) in regret  # no question


def test_words_of_displeasure_get_no_pleasantry() -> None:
    """"Позор" (0.37 negative) lay nearest the goodbye and heard "Всего доброго! Мы на связи": regret and a person.
    A farewell alone keeps the goodbye, however it reads."""
    displeased = {"negative": 0.37, "neutral": 0.6, "positive": 0.03}
    near_goodbye = Match("goodbye", 0.87, 0.86, {})
    action, reason, entry, reply = _decide(Analysis("ru", displeased), near_goodbye, public=True, text="Позор")
    assert (action, reason, entry) == (Action.HANDOFF, "no_confident_answer", None)
    assert reply in {t.format(eta="часа") for t in TEXTS["unhappy_handoff"]["ru"]}
    assert _decide(Analysis("ru", displeased), near_goodbye, text="Пока")[:3] == (
        Action.ANSWER, "similarity", "goodbye")


def test_similarity_answers_an_unsure_head_only_where_they_agree() -> None:
    unsure = {"refund": 0.4, "tariffs": 0.3}  # in scope, but under the 0.5 intent threshold
    agree = _decide(Analysis("ru", intents=unsure), Match("refund", 0.9, 0.86, {}))
    assert agree[:3] == (Action.ANSWER, "similarity", "refund")
    disagree = _decide(Analysis("ru", intents=unsure), Match("tariffs", 0.9, 0.86, {}))
    assert disagree[:3] == (Action.HANDOFF, "no_confident_answer", None)
    # a best guess barely ahead of the second is a coin toss: "Где можно посмотреть карту покрытия?" read 0.15 the
    # app entry, 0.14 coverage, and got the app's "Баланс… видно в приложении"
    tied = {"account_app": 0.15, "coverage": 0.14, "payment_methods": 0.04}
    assert _decide(Analysis("ru", intents=tied), Match("account_app", 0.881, 0.86, {}))[:3] == (
        Action.HANDOFF, "no_confident_answer", None)
    ahead = {"account_app": 0.22, "coverage": 0.14}
    assert _decide(Analysis("ru", intents=ahead), Match("account_app", 0.881, 0.86, {}))[:3] == (
        Action.ANSWER, "similarity", "account_app")
    # ... and a best guess this weak is chance, however far ahead: "Кто уже перешёл?" (0.16 the move, 0.13 the
    # connection status) heard "Поздравляем с переездом!"
    weak = {"moving_house": 0.16, "connection_status": 0.13}
    assert _decide(Analysis("ru", intents=weak), Match("moving_house", 0.881, 0.86, {}))[:3] == (
        Action.HANDOFF, "no_confident_answer", None)


def test_an_unhappy_customer_is_answered_on_agreement_only_where_the_head_guesses_it_well() -> None:
    """A wrong approved answer to an angry customer is worse than a person's reply: "Удалите рекламу, она
    оскорбительная" got the contract-cancelling answer on intent 0.25 and similarity agreeing."""
    near = Match("change_tariff", 0.876, 0.86, {})
    weak = {"change_tariff": 0.25, "tariffs": 0.2}
    angry = {"negative": 0.71, "neutral": 0.04, "positive": 0.25}
    assert _decide(Analysis("ru", angry, intents=weak), near)[:3] == (Action.HANDOFF, "no_confident_answer", None)
    calm = {"negative": 0.1, "neutral": 0.8, "positive": 0.1}
    assert _decide(Analysis("ru", calm, intents=weak), near)[:3] == (Action.ANSWER, "similarity", "change_tariff")
    fair = {"change_tariff": 0.40, "tariffs": 0.2}  # a guess this good stands for an unhappy customer too
    assert _decide(Analysis("ru", angry, intents=fair), near)[:3] == (Action.ANSWER, "similarity", "change_tariff")
    # where the entry speaks of something the message does: "Хочу сменить тариф, этот ужасный" (subject words)
    named = Analysis("ru", angry, intents=fair, subjects=("сменит", "тариф"))
    assert _decide(named, near)[:3] == (Action.ANSWER, "similarity", "change_tariff")
    # "Ваша реклама отвратительна": nothing of a tariff in it, a person answers
    other = Analysis("ru", angry, intents=fair, subjects=("реклам",))
    assert _decide(other, near)[:3] == (Action.HANDOFF, "no_confident_answer", None)
    nothing = Analysis("ru", angry, intents=fair, subjects=())  # "Да сколько можно!": no subject word at all
    assert _decide(nothing, near)[:2] == (Action.HANDOFF, "no_confident_answer")
    calm_other = Analysis("ru", calm, intents=weak, subjects=("реклам",))  # a calm customer: as before
    assert _decide(calm_other, near)[:3] == (Action.ANSWER, "similarity", "change_tariff")


def test_words_of_displeasure_make_a_customer_unhappy_however_calmly_read() -> None:
    """"Fiyatlar çok pahalı" read 0.20 negative and got the price list by similarity on a 0.32 guess: a complaint
    about prices goes to a person with regret. Asked calmly ("Tarifeler pahalı mı?") it is answered as before."""
    near = Match("tariffs", 0.906, 0.86, {})
    weak = {"tariffs": 0.32, "slow_speed": 0.29}
    calm = {"negative": 0.2, "neutral": 0.71, "positive": 0.09}
    action, reason, entry, reply = _decide(Analysis("tr", calm, intents=weak), near, text="Fiyatlar çok pahalı")
    assert (action, reason, entry) == (Action.HANDOFF, "no_confident_answer", None)
    assert reply in {t.format(eta="1 saat") for t in TEXTS["unhappy_handoff"]["tr"]}
    assert _decide(Analysis("tr", calm, intents=weak), near, text="Tarifeler pahalı mı?")[:3] == (
        Action.ANSWER, "similarity", "tariffs")
    fair = {"tariffs": 0.40}  # a guess this good stands for an unhappy customer too
    assert _decide(Analysis("ru", calm, intents=fair), near, text="Слишком дорого, какие есть тарифы?")[:3] == (
        Action.ANSWER, "similarity", "tariffs")


def test_out_of_scope_is_answered_only_from_a_near_paraphrase() -> None:
    off_topic = Analysis("ru", out_of_scope=True)
    # "what's the weather at the weekend" lies about this close to "are you open at the weekend"
    near = Match("contacts_hours", 0.87, 0.84, {})
    action, reason, entry, reply = _decide(off_topic, near, text="какая погода будет на выходных?")
    assert (action, reason, entry) == (Action.HANDOFF, "out_of_scope", None)
    assert reply in {text.format(eta="часа") for text in TEXTS["out_of_scope"]["ru"]}  # says so, plainly
    assert _decide(Analysis("ru"), near)[:3] == (Action.ANSWER, "similarity", "contacts_hours")  # no head
    paraphrase = Match("contacts_hours", 0.93, 0.86, {})
    assert _decide(off_topic, paraphrase)[:3] == (Action.ANSWER, "similarity", "contacts_hours")
    # an unhappy customer's, only from an entry that speaks of something the message does: "Hiç memnun değilim"
    # lay 0.896 near the examples of a payment not credited and heard "Paranın henüz bakiyede görünmemesine üzüldüm"
    unhappy = {"negative": 0.57, "neutral": 0.18, "positive": 0.25}
    near_payment = Match("payment_not_credited", 0.896, 0.882, {})
    displeased_only = Analysis("tr", unhappy, out_of_scope=True, subjects=subject_words("Hiç memnun değilim", "tr"))
    assert _decide(displeased_only, near_payment, text="Hiç memnun değilim")[:2] == (Action.HANDOFF, "out_of_scope")
    about_payment = Analysis("tr", unhappy, out_of_scope=True, subjects=subject_words("Ödeme yansımadı", "tr"))
    assert _decide(about_payment, near_payment, text="Ödeme yansımadı")[:3] == (
        Action.ANSWER, "similarity", "payment_not_credited")
    # a statement hears no "Good question", and words of displeasure however mildly read hear regret
    statement = _decide(off_topic, near, public=True, text="Сегодня отличная погода")[3]
    assert statement in {t.format(eta="часа") for t in TEXTS["handoff"]["ru"]}
    mild = {"negative": 0.34, "neutral": 0.39, "positive": 0.27}
    displeased = _decide(Analysis("ru", mild, out_of_scope=True), near, public=True, text="rezalet bir hizmet")[3]
    assert displeased in {t.format(eta="часа") for t in TEXTS["unhappy_handoff"]["ru"]}
    # a question under the brand's post is most likely about the post: not "not quite my area" either
    assert _decide(off_topic, near, public=True, text="Это только для Москвы?")[3] in {
        t.format(eta="часа") for t in TEXTS["handoff"]["ru"]}
    # a question about a repair is the service's, whatever the head makes of it: not "not quite my area"
    for text in ("Когда починят?", "Ne zaman düzelecek?", "When will it be fixed?"):
        reply = _decide(off_topic, near, public=True, text=text)[3]
        assert reply in {t.format(eta="часа") for t in TEXTS["handoff"]["ru"]}, text


def test_a_message_nearer_one_of_the_brands_own_out_of_scope_phrases_is_not_answered_by_similarity() -> None:
    theirs = Match("outage", 0.91, 0.85, {}, out_of_scope=0.93)  # "лифт опять сломался" ~ "не работает лифт"
    assert _decide(Analysis("ru"), theirs)[:3] == (Action.HANDOFF, "no_confident_answer", None)
    ours = Match("outage", 0.95, 0.85, {}, out_of_scope=0.90)
    assert _decide(Analysis("ru"), ours)[:3] == (Action.ANSWER, "similarity", "outage")
    sure = Analysis("ru", intents={"outage": 0.9})  # the intent head, taught those phrases, still decides
    assert _decide(sure, theirs)[:3] == (Action.ANSWER, "intent", "outage")


def test_strong_negative_goes_to_a_human_with_the_detected_intent() -> None:
    angry = Analysis("ru", sentiment={"negative": 0.95, "neutral": 0.03, "positive": 0.02},
                     intents={"outage": 0.9})
    action, reason, entry, reply = _decide(angry)
    assert (action, reason, entry) == (Action.HANDOFF, "strong_negative", "outage")
    assert reply in {text.format(eta="часа") for text in TEXTS["unhappy_handoff"]["ru"]}  # regret first, and when
    calm_handoffs = {text.format(eta="часа") for text in TEXTS["handoff"]["ru"]}
    assert not calm_handoffs & {text.format(eta="часа") for text in TEXTS["unhappy_handoff"]["ru"]}
    complaint = Analysis("ru", sentiment={"negative": 0.95}, intents={"staff_complaint": 0.9})
    assert _decide(complaint)[:3] == (Action.HANDOFF, "entry_needs_human", "staff_complaint")


def test_a_very_unhappy_customer_near_an_entry_written_for_unhappy_ones_hears_its_answer_and_gets_a_person(
) -> None:
    """"не работает интернет" reads 0.97 negative: the outage entry, whose examples read 0.69 on average, starts
    solving it (asks for the contract number) and a person still takes the thread; an entry for calm questions, or
    one whose mood is not read yet, leaves the regret and the promise alone."""
    angry = Analysis("ru", sentiment={"negative": 0.97, "neutral": 0.02, "positive": 0.01}, intents={"outage": 0.9})
    conversation = Conversation(1, "volna", Platform.LOCAL, "c", "Анна", ConversationState.BOT, "ru")
    msg = IncomingMessage(Platform.LOCAL, "volna", "chat", "1", "c", "не работает интернет", "Анна",
                          sent_at=datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    moods = {"outage": EntryMood(0.69, 0.09), "tariffs": EntryMood(0.20, 0.30)}
    d = decide(msg, conversation, angry, None, BASE, POLICY, [], random.Random(0), moods=moods)
    assert (d.action, d.reason, d.entry_id) == (Action.HANDOFF, "strong_negative", "outage")
    answers = {text.replace("{name}", "Анна") for text in BASE.entry("outage").answers["ru"]}
    notes = {text.format(eta="часа") for text in TEXTS["eta_note"]["ru"]}
    assert d.reply_text in {f"{answer} {note}" for answer in answers for note in notes}
    assert d.phrasing_key is not None and d.phrasing_key.startswith("outage:ru:private:")
    regret = {text.format(eta="часа") for text in TEXTS["unhappy_handoff"]["ru"]}
    calm_entry = Analysis("ru", sentiment=angry.sentiment, intents={"tariffs": 0.9})
    d = decide(msg, conversation, calm_entry, None, BASE, POLICY, [], random.Random(0), moods=moods)
    assert (d.action, d.reason, d.entry_id, d.reply_text in regret) == (Action.HANDOFF, "strong_negative",
                                                                         "tariffs", True)
    d = decide(msg, conversation, angry, None, BASE, POLICY, [], random.Random(0), moods={})
    assert (d.action, d.entry_id, d.reply_text in regret) == (Action.HANDOFF, "outage", True)


def test_a_question_read_very_unhappy_with_no_word_of_displeasure_hears_its_answer_and_gets_a_person() -> None:
    """"I forgot to pay, will my internet be cut off?" reads 0.89 negative and heard only regret, an hour before anyone
    said what happens: the entry the head is sure of answers it, and a person still takes the thread. Displeasure
    ("Почему у вас такие цены, это издевательство?") and trouble keep the regret alone."""
    worried = Analysis("en", sentiment={"negative": 0.89, "neutral": 0.1, "positive": 0.01},
                       intents={"payment_date": 0.63})
    conversation = Conversation(1, "volna", Platform.LOCAL, "c", "Анна", ConversationState.BOT, "en")
    msg = IncomingMessage(Platform.LOCAL, "volna", "chat", "1", "c", "I forgot to pay, will my internet be cut off?",
                          "Анна", sent_at=datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    d = decide(msg, conversation, worried, None, BASE, POLICY, [], random.Random(0))
    assert (d.action, d.reason, d.entry_id) == (Action.HANDOFF, "strong_negative", "payment_date")
    answers = {text.replace("{name}", "Анна") for text in BASE.entry("payment_date").answers["en"]}
    notes = {text.format(eta="an hour") for text in TEXTS["eta_note"]["en"]}
    assert d.reply_text in {f"{answer} {note}" for answer in answers for note in notes}, d.reply_text
    regret = {text.format(eta="часа") for text in TEXTS["unhappy_handoff"]["ru"]}
    angry = Analysis("ru", sentiment={"negative": 0.95}, intents={"tariffs": 0.9})
    for text in ("Почему у вас такие цены, это издевательство?", "Опять не работает интернет, сколько стоит Максимум?"):
        msg = IncomingMessage(Platform.LOCAL, "volna", "chat", "1", "c", text, "Анна")
        d = decide(msg, replace(conversation, language="ru"), angry, None, BASE, POLICY, [], random.Random(0))
        assert (d.action, d.reason, d.entry_id, d.reply_text in regret) == (
            Action.HANDOFF, "strong_negative", "tariffs", True), text


def test_toxic_public_comments_are_hidden_only_when_enabled() -> None:
    toxic = Analysis("ru", toxicity=0.97)
    assert _decide(toxic, public=True)[:2] == (Action.IGNORE, "toxic_recorded")
    conversation = Conversation(1, "volna", Platform.LOCAL, "c", "", ConversationState.BOT, "ru")
    msg = IncomingMessage(Platform.LOCAL, "volna", "chat", "1", "c", "текст", is_public=True)
    hiding = BrandPolicy(hide_toxic=True)
    d = decide(msg, conversation, toxic, None, BASE, hiding, [], random.Random(0))
    assert (d.action, d.reason, d.reply_text) == (Action.HIDE, "toxic", None)
    action, reason, _, reply = _decide(toxic, public=False)
    assert (action, reason) == (Action.HANDOFF, "toxic_private")
    # in private, regret ("ваш бот тупой" heard "Передаю ваш вопрос специалисту")
    assert reply in {t.format(eta="часа") for t in TEXTS["unhappy_handoff"]["ru"]}


def test_a_question_in_an_abusive_public_comment_goes_to_a_person_not_silence() -> None:
    """Natural negative in abusive words ("идиоты, когда почините интернет?!"): the base covers the question, so a
    person answers it (with the entry suggested); the bot never answers abuse itself, and a comment it hides or
    that is part of a campaign stays as it was."""
    question = Analysis("ru", toxicity=0.97, intents={"outage": 0.9})
    action, reason, entry, reply = _decide(question, public=True)
    assert (action, reason, entry) == (Action.HANDOFF, "toxic_question", "outage")
    assert reply is not None and "в течение часа" in reply
    conversation = Conversation(1, "volna", Platform.LOCAL, "c", "", ConversationState.BOT, "ru")
    msg = IncomingMessage(Platform.LOCAL, "volna", "chat", "1", "c", "нихуя не работает интернет", is_public=True)
    blocked = decide(msg, conversation, Analysis("ru", toxicity=0.1, intents={"outage": 0.9}), None, BASE, POLICY,
                     [], random.Random(0))
    assert (blocked.action, blocked.reason, blocked.entry_id, blocked.suggestions) == (
        Action.HANDOFF, "toxic_question", "outage", ("outage",))
    hiding = decide(msg, conversation, question, None, BASE, BrandPolicy(hide_toxic=True), [], random.Random(0))
    assert (hiding.action, hiding.reason) == (Action.HIDE, "toxic")
    wave = decide(msg, conversation, question, None, BASE, POLICY, [], random.Random(0), directed=True)
    assert (wave.action, wave.reason) == (Action.IGNORE, "toxic_recorded")
    spam = decide(IncomingMessage(Platform.LOCAL, "volna", "chat", "1", "c", "тарифы дешевле у rostelecom",
                                  is_public=True), conversation, Analysis("ru", intents={"tariffs": 0.9}), None, BASE,
                  BrandPolicy(blocked_words=("rostelecom",)), [], random.Random(0))
    assert (spam.action, spam.reason) == (Action.IGNORE, "blocked_word_recorded")  # the brand's own stop word
    unsure = Analysis("ru", toxicity=0.97, intents={"outage": 0.3, "tariffs": 0.3})
    assert _decide(unsure, public=True)[:2] == (Action.IGNORE, "toxic_recorded")  # abuse, no question the bot knows


def test_public_personal_data_questions_are_invited_to_private_messages() -> None:
    action, reason, entry, reply = _decide(Analysis("ru", intents={"connection_status": 0.9}), public=True)
    assert (action, entry) == (Action.ANSWER, "connection_status") and reason == "intent_private_invite"
    assert reply and POLICY.private_link in reply


def test_a_human_owned_thread_is_left_to_the_human() -> None:
    for state in (ConversationState.WAITING_FOR_MODERATOR, ConversationState.WITH_MODERATOR):
        action, reason, _, reply = _decide(Analysis("ru", intents={"tariffs": 0.9}), state=state)
        assert (action, reason, reply) == (Action.IGNORE, "human_owns_thread", None)


def test_a_new_question_the_head_is_sure_of_is_answered_while_the_thread_waits_for_a_person() -> None:
    waiting = ConversationState.WAITING_FOR_MODERATOR

    def meanwhile(text: str, intents: dict[str, float], state: ConversationState = waiting, public: bool = False,
                  used: tuple[str, ...] = (), negative: float = 0.1) -> Decision:
        conversation = Conversation(1, "volna", Platform.LOCAL, "c", "Анна", state, "ru", "no_confident_answer")
        msg = IncomingMessage(Platform.LOCAL, "volna", "chat", "1", "c", text, "Анна", is_public=public)
        analysis = Analysis("ru", {"negative": negative, "neutral": 1 - negative}, intents=intents)
        return decide(msg, conversation, analysis, None, BASE, POLICY, list(used), random.Random(0))

    sure = {"payment_methods": 0.9}
    answered = meanwhile("а как оплатить картой?", sure)
    assert (answered.action, answered.reason, answered.entry_id) == (Action.ANSWER, "intent", "payment_methods")
    assert answered.reply_text in {t.replace("{name}", "Анна") for t in BASE.entry("payment_methods").answers["ru"]}
    left = (Action.IGNORE, "human_owns_thread", None)

    def outcome(d: Decision) -> tuple[Action, str, str | None]:
        return d.action, d.reason, d.reply_text

    # a person took the thread: theirs to answer; under a post, for all to read: left to the person too
    assert outcome(meanwhile("а как оплатить картой?", sure, ConversationState.WITH_MODERATOR)) == left
    assert outcome(meanwhile("а как оплатить картой?", sure, public=True)) == left
    # the head unsure, nothing asked, or that entry's answer had already: left to the person
    for text, intents, used in (("а как оплатить картой?", {"payment_methods": 0.3}, ()),
                                ("оплатил картой", sure, ()),
                                ("а как оплатить картой?", sure, ("payment_methods:ru:private:0",))):
        assert outcome(meanwhile(text, intents, used=used)) == left, text
    # what the bot hands to a person anyway, and a very unhappy customer, stay with the person
    assert meanwhile("мастер нахамил, как подать жалобу?", {"staff_complaint": 0.9}).action is Action.IGNORE
    assert meanwhile("а как оплатить картой?!", sure, negative=0.95).action is Action.IGNORE
    # asking when a person answers hears that (not an entry the words lie near)
    impatient = meanwhile("когда ответите?", {"contacts_hours": 0.9})
    assert (impatient.action, impatient.reason, impatient.entry_id) == (Action.IGNORE, "human_owns_thread", None)


def test_a_waiting_customer_who_writes_again_after_a_quiet_while_hears_when_a_person_answers() -> None:
    t0 = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    due = t0 + timedelta(hours=1)
    rng = random.Random(0)

    def follow_up(minutes: float, last_reply: datetime | None, reply_due: datetime | None = due,
                  state: ConversationState = ConversationState.WAITING_FOR_MODERATOR,
                  text: str = "и роутер мигает красным", last_key: str | None = None,
                  used: tuple[str, ...] = ()) -> tuple[str, str | None]:
        conversation = Conversation(1, "volna", Platform.LOCAL, "c", "Анна", state, "ru", "strong_negative", t0)
        msg = IncomingMessage(Platform.LOCAL, "volna", "chat", "1", "c", text, "Анна",
                              sent_at=t0 + timedelta(minutes=minutes))
        d = decide(msg, conversation, Analysis("ru"), None, BASE, POLICY, list(used), rng, last_reply_at=last_reply,
                   reply_due=reply_due, last_reply_key=last_key)
        assert d.action is Action.IGNORE
        return d.reason, d.reply_text

    def waiting(eta: str) -> set[str]:
        return {text.format(eta=eta) for text in TEXTS["still_waiting"]["ru"]}

    assert follow_up(12, t0) in {("human_owns_thread", t) for t in waiting("50 минут")}  # 48 left
    assert follow_up(3, t0) == ("human_owns_thread", None)  # a quick follow-up: no reply
    assert follow_up(30, t0 + timedelta(minutes=25)) == ("human_owns_thread", None)  # we just wrote
    assert follow_up(30, None)[1] in waiting("30 минут")
    assert follow_up(15, t0, t0 + timedelta(hours=3))[1] in waiting("3 часов")  # 165 left, said in whole hours
    # past the deadline: the apology, not a new promise
    assert follow_up(75, t0 + timedelta(minutes=61))[1] in set(TEXTS["overdue_holding"]["ru"])
    # a moderator took the thread but has not answered: taking is no reply, the customer still hears
    assert follow_up(40, t0, state=ConversationState.WITH_MODERATOR)[1] in waiting("20 минут")
    # a moderator is answering: left to them
    assert follow_up(40, t0, None, ConversationState.WITH_MODERATOR) == ("human_owns_thread", None)
    # details: heard to have arrived at once (the contract number sent right after the handoff notice met silence)
    details = "договор 4581203, ул. Ленина 5 кв 12"
    assert follow_up(3, t0, text=details)[1] in waiting("часа")  # 57 minutes left, said as an hour
    assert follow_up(3, t0 + timedelta(minutes=2, seconds=30), text=details)[1] in waiting("часа")
    # ... once for a burst of them: not again within a minute of saying so
    assert follow_up(3, t0 + timedelta(minutes=2, seconds=30), text=details, last_key="still_waiting:ru:0") == (
        "human_owns_thread", None)
    # ... after an answer that asked for them (the outage entry's) too; other words so soon are left to the person
    asked = "outage:ru:private:0"
    assert follow_up(0.5, t0 + timedelta(seconds=10), text=details, last_key=asked)[1] in waiting("часа")
    assert follow_up(0.5, t0 + timedelta(seconds=10), last_key=asked) == ("human_owns_thread", None)  # no details
    # ... and the outcome of what it asked them to try ("перезагрузил, не помогло" met silence)
    for tried in ("перезагружал роутер, не помогло", "перезагрузил, всё ещё не грузит", "hâlâ yavaş"):
        assert follow_up(0.5, t0 + timedelta(seconds=10), text=tried, last_key=asked)[1] in waiting("часа"), tried
    # asking when a person answers: heard at once, however soon after our last message
    for impatient in ("когда ответите?", "ну что там?", "ау", "???", "ne zaman dönüş yapacaksınız?", "any update?"):
        assert follow_up(2, t0 + timedelta(minutes=1, seconds=50), text=impatient)[1] in waiting("часа"), impatient
    # ... but not told the same twice within a minute
    told = "still_waiting:ru:1"
    assert follow_up(2, t0 + timedelta(minutes=1, seconds=30), text="когда ответите?", last_key=told) == (
        "human_owns_thread", None)
    assert follow_up(3, t0 + timedelta(minutes=1, seconds=30), text="когда ответите?", last_key=told)[1] in waiting(
        "часа")
    # told again later: in words the customer has not had yet
    heard = {follow_up(20, t0, used=(told,))[1] for _ in range(10)}
    assert heard == {TEXTS["still_waiting"]["ru"][0].format(eta="40 минут")}


def test_once_every_phrasing_was_used_the_one_last_used_longest_ago_comes_next() -> None:
    tariffs = BASE.entry("tariffs")
    first, second = (f"tariffs:ru:public:{i}" for i in range(2))
    text, key = choose_phrasing(tariffs, "ru", public=True, used=[first, second, first], customer_name="",
                                rng=random.Random(0))
    assert key == second and text == tariffs.public_answers["ru"][1]


def test_of_the_fresh_phrasings_the_ones_nearest_the_message_are_chosen() -> None:
    router = BASE.entry("router_setup")  # password / factory password / a new router / a technician
    keys = [f"router_setup:ru:private:{i}" for i in range(4)]

    def chosen(relevance: list[float] | None, used: list[str], name: str = "Анна") -> set[str]:
        return {choose_phrasing(router, "ru", public=False, used=used, customer_name=name, rng=random.Random(seed),
                                relevance=relevance)[1] for seed in range(40)}

    password = [0.865, 0.859, 0.852, 0.812]  # "как поменять пароль от wifi?": the two answers on the password
    assert chosen(password, []) == set(keys[:2])
    assert chosen([0.847, 0.847, 0.899, 0.846], []) == {keys[2]}  # "купил новый роутер": that one alone
    assert chosen([0.847, 0.847, 0.899, 0.846], [keys[2]]) == set(keys[:2]) | {keys[3]}  # never twice to one
    assert chosen(password, keys) == {keys[0]}  # all used: the one used longest ago, as before
    assert chosen(None, []) == set(keys)  # not read: any fresh one
    assert chosen([0.9, 0.5], []) == set(keys)  # figures that do not fit the phrasings are not used


def test_of_the_fresh_phrasings_those_naming_what_the_message_names_that_others_do_not_are_chosen() -> None:
    """The embeddings of one entry's phrasings lie within a hair of each other for most messages: "А если на год
    вперёд оплатить, скидка будет?" got any of the promotions' four, three of them only on the "Приведи друга"
    bonus, one on there being no discount for paying a year ahead."""
    def chosen(entry_id: str, language: str, asked: str, used: tuple[str, ...] = ()) -> set[str]:
        entry = BASE.entry(entry_id)
        return {choose_phrasing(entry, language, public=False, used=used, customer_name="Анна",
                                rng=random.Random(seed), asked=asked)[1] for seed in range(40)}

    assert chosen("promo_bonus", "ru", "А если на год вперёд оплатить, скидка будет?") == {"promo_bonus:ru:private:3"}
    for language, asked in (("ru", "Мы уезжаем на дачу на всё лето. Можно приостановить договор?"),
                            ("tr", "Yaz için aboneliğimi dondurabilir miyim?"),
                            ("en", "Can I pause my contract for the summer?")):
        assert chosen("cancel_contract", language, asked) == {f"cancel_contract:{language}:private:2"}, asked
    assert chosen("account_app", "ru", "Не приходит смс с кодом для входа в приложение") == {
        "account_app:ru:private:1"}
    # only among those near the message: the login answers lie nearer "…личный кабинет, пишет неверный пароль" than
    # the one on balances that names the personal account
    login = "Не могу зайти в личный кабинет, пишет неверный пароль"
    assert {choose_phrasing(BASE.entry("account_app"), "ru", public=False, used=(), customer_name="Анна",
                            rng=random.Random(seed), asked=login, relevance=[0.836, 0.851, 0.852, 0.81])[1]
            for seed in range(40)} == {"account_app:ru:private:1"}
    # a little further off, one naming all that the nearest name of the message, and more: "Есть ли штраф за
    # расторжение?" names the penalty the no-fee answer speaks of (0.868), "what made you decide to leave?" lies
    # nearest (0.886) and names only the cancelling; not from further off than NAMING_SPREAD
    fee = "Есть ли штраф за расторжение?"
    for relevance, nearest_fit in (([0.846, 0.886, 0.838, 0.868], 3), ([0.846, 0.896, 0.838, 0.868], 1)):
        assert {choose_phrasing(BASE.entry("cancel_contract"), "ru", public=False, used=(), customer_name="Анна",
                                rng=random.Random(seed), asked=fee, relevance=relevance)[1]
                for seed in range(40)} == {f"cancel_contract:ru:private:{nearest_fit}"}, relevance
    # words of seeing or finding name nothing: "And where can I see my balance?" heard the login answer's "tell us
    # what error you see"
    for language, asked in (("en", "And where can I see my balance?"), ("ru", "Где посмотреть баланс?")):
        assert chosen("account_app", language, asked) == {f"account_app:{language}:private:{i}" for i in (0, 2)}
    # never twice to one customer: the others, as before
    assert chosen("promo_bonus", "ru", "А скидка за год будет?", used=("promo_bonus:ru:private:3",)) == {
        f"promo_bonus:ru:private:{i}" for i in range(3)}
    # words every phrasing names, or none does, tell none apart
    assert chosen("tariffs", "ru", "Сколько стоит Оптимум?") == {f"tariffs:ru:private:{i}" for i in range(4)}
    assert [len(named) for named in words_named(BASE.entry("tariffs").answers["ru"], "Привет", "ru")] == [0, 0, 0, 0]


def test_a_handoff_offers_the_moderator_the_entries_the_bot_thought_of() -> None:
    conversation = Conversation(1, "volna", Platform.LOCAL, "c", "Анна", ConversationState.BOT, "ru")
    msg = IncomingMessage(Platform.LOCAL, "volna", "chat", "1", "c", "текст", "Анна")

    def offered(analysis: Analysis, match: Match | None = None) -> tuple[str, tuple[str, ...]]:
        d = decide(msg, conversation, analysis, match, BASE, POLICY, [], random.Random(0))
        return d.reason, d.suggestions

    unsure = {"refund": 0.3, "change_tariff": 0.25, "tariffs": 0.2, "outage": 0.1, "promo_bonus": 0.01}
    assert offered(Analysis("ru", intents=unsure)) == (
        "no_confident_answer", ("refund", "change_tariff", "tariffs"))  # the likeliest three, over the floor
    angry = Analysis("ru", sentiment={"negative": 0.95}, intents={"outage": 0.9, "slow_speed": 0.06})
    assert offered(angry) == ("strong_negative", ("outage", "slow_speed"))
    # no head's opinion (out of scope): similarity, not far under the answer threshold
    near = Match("contacts_hours", 0.82, 0.79, {"contacts_hours": 0.82, "tariffs": 0.79, "outage": 0.70})
    assert offered(Analysis("ru", out_of_scope=True), near) == ("out_of_scope", ("contacts_hours", "tariffs"))
    theirs = Match("outage", 0.84, 0.8, {"outage": 0.84}, out_of_scope=0.9)  # nearer the brand's out of scope
    assert offered(Analysis("ru", out_of_scope=True), theirs) == ("out_of_scope", ())
    # abuse and answers already given offer nothing
    assert offered(Analysis("ru", toxicity=0.99, intents=unsure)) == ("toxic_private", ())
    assert offered(Analysis("ru", intents={"tariffs": 0.9}))[1] == ()


def test_an_unhappy_customer_no_entry_answers_hears_regret_first() -> None:
    """"мастер не пришёл, ждал весь день" (0.51 negative, no entry sure enough) heard "Спасибо, что написали.
    Подключаю коллегу"; a neutral question still hears the plain notice, an off-topic one that it is off-topic
    (unless unhappy too: "Faturam neden bu kadar yüksek geldi?", which the base does not cover, heard "I answer
    questions about our services")."""
    unsure = Match("staff_complaint", 0.80, 0.79, {})
    regret = {text.format(eta="часа") for text in TEXTS["unhappy_handoff"]["ru"]}
    plain = {text.format(eta="часа") for text in TEXTS["handoff"]["ru"]}
    unhappy = _decide(Analysis("ru", {"negative": 0.51, "neutral": 0.44, "positive": 0.05}), unsure)
    assert unhappy[:3] == (Action.HANDOFF, "no_confident_answer", None) and unhappy[3] in regret
    calm = _decide(Analysis("ru", {"negative": 0.2, "neutral": 0.7, "positive": 0.1}), unsure)
    assert calm[:3] == (Action.HANDOFF, "no_confident_answer", None) and calm[3] in plain
    off_topic = _decide(Analysis("ru", {"negative": 0.2, "neutral": 0.7, "positive": 0.1}, out_of_scope=True),
                        text="какая погода завтра?")
    assert off_topic[1] == "out_of_scope"
    assert off_topic[3] in {text.format(eta="часа") for text in TEXTS["out_of_scope"]["ru"]}
    unhappy_off_topic = _decide(Analysis("ru", {"negative": 0.6, "neutral": 0.3, "positive": 0.1}, out_of_scope=True))
    assert unhappy_off_topic[1] == "out_of_scope" and unhappy_off_topic[3] in regret
