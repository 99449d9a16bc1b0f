"""Spam and impersonations of the brand's support (handlers.spam) and what the router does with them."""

from __future__ import annotations

import random

import pytest

from bot.app import App
from handlers.argument_base import load_argument_base
from handlers.policy import BrandPolicy
from handlers.router import SCAM_SHOWN, SPAM_PRIVATE, brand_sites, decide
from handlers.spam import SpamKind, linked_sites, spam_kind
from handlers.texts import TEXTS, handoff_reason
from handlers.types import Action, Analysis, Conversation, ConversationState, IncomingMessage, Platform
from tests.conftest import SAMPLE_KB, MessageFactory

BASE = load_argument_base(SAMPLE_KB)


@pytest.mark.parametrize(("text", "author"), [
    ("Заработок от 10 000 ₽ в день без вложений! Пиши в ЛС 👉 t.me/easy_money_777", "Марина"),
    ("Ищу партнёров для бизнеса, доход от 100к, подробности в профиле", "Олег"),
    ("Отличный пост! Подписывайтесь на мой канал t.me/mychannel", "Катя"),
    ("Ставки на спорт с гарантией, пиши @bet_master", "Bet"),
    ("Günde 5000 TL kazanmak ister misin? Detaylar profilimde", "Zeynep"),
    ("Evden para kazan, ayrıntılar için whatsapp 0555 111 22 33", "Ali"),
    ("Earn $500 a day from home! DM me for details https://bit.ly/xyz", "Kate"),
    ("Passive income with forex, link in bio", "Trader"),
    ("Работа на дому без вложений → t . me/easy_job", "Вика"),  # a link written apart to slip past filters
    ("Доход от 3% в день: easy-money(.)ru", "Инвестор"),
    ("Заработай 100000 в день! Пиши в лс", "Лена"),  # got "Понимаю ваше недовольство" and a person
])
def test_bait_with_a_way_off_the_page_is_spam(text: str, author: str) -> None:
    assert spam_kind(text, author) is SpamKind.SPAM


@pytest.mark.parametrize(("text", "author"), [
    # the text speaks as the company
    ("Служба поддержки Волна Телеком: для возврата средств напишите нам в личные сообщения vk.com/id123456789", "Ира"),
    ("Здравствуйте! Свяжитесь с нами в телеграм @volna_help_24, вернём деньги за простой", "Иван"),
    ("Merhaba, sorununuz için bize yazın: wa.me/905551112233", "Destek"),
    ("We'd love to help! Please DM us your card details: https://volna-refund.example/form", "Helper"),
    # the account is named like the brand's support
    ("Здравствуйте, опишите проблему в личных сообщениях", "Волна | Поддержка"),
    ("Sorununuzu özelden iletin, hemen çözelim", "Volna Destek"),
    ("Please send a DM with your account number", "Volna Customer Service"),
    # warning of "fakes", with its own way out as the only official one
    ("⚠️ Осторожно, мошенники! Наша официальная поддержка только здесь: @volna_help_24", "Волна Телеком"),
    ("Beware of fake accounts! Our only official support: t.me/volna_helpdesk", "Volna"),
    ("Dikkat, sahte hesaplar var! Resmi hesabımız: @volna_destek_tr", "Volna"),
    ("Остерегайтесь мошенников, пишите только нам: @volna_help_24", "Волна Поддержка"),
    # a support desk's signature pointing at a link or handle (went to a person as a customer's question)
    ("Поддержка Волны тут: t.me/volna_support_help пишите туда", "Ира"),
    ("Служба поддержки: @volna_help_24", "Ира"),
    ("Destek ekibi burada: @volna_destek_tr", "Ayşe"),
    ("Volna support here: t.me/volna_helpdesk", "Kate"),
    ("Осторожно, мошенники! Мы поможем вернуть деньги, напишите нам в телеграм @volna_refund", "Ира"),
])
def test_posing_as_the_support_with_a_way_off_the_page_is_impersonation(text: str, author: str) -> None:
    assert spam_kind(text, author) is SpamKind.IMPERSONATION


@pytest.mark.parametrize(("text", "author"), [
    ("Служба поддержки не отвечает третий день, напишите мне в лс!", "Иван Петров"),  # names the support, asks a DM
    ("Поддержка: не отвечает третий день, скрин https://imgur.com/a/xyz", "Иван"),  # the signature says of it
    ("Техподдержка не отвечает, вот скрин: https://imgur.com/a/xyz", "Иван"),
    ("Техподдержка не отвечает: https://imgur.com/a/xyz", "Иван"),  # only names stand around a desk's signature
    ("Поддержка Волны не работает - https://imgur.com/a/xyz", "Иван"),
    ("Вот скрин ошибки: https://imgur.com/a/xyz", "Иван"),  # a link, nothing sold
    ("Где мой приз за розыгрыш? Вы обещали", "Анна"),  # a prize, no way off the page
    ("Интернет не работает, мой номер +7 912 345 67 89, перезвоните", "Анна"),
    ("Интернет наконец заработал, спасибо! Скрин: https://imgur.com/a/ok", "Анна"),  # "заработал": works again
    ("Нужна справка о доходах для банка, пришлите на почту ivan@mail.ru", "Иван"),
    ("your customer support is useless, dm me", "John"),
    ("Müşteri hizmetleri cevap vermiyor, özelden yazın lütfen", "Ayşe"),
    ("Abone oldum ama internet yok @VolnaDestek", "Mehmet"),  # a telecom's customer subscribes
    ("Хочу заработать немного денег, у вас есть вакансии?", "Петя"),
    ("@volna_bot подпишитесь на мой вопрос: где мастер?", "Петя"),  # the handle it begins with addresses the bot
    ("", "Волна | Поддержка"),
    ("Мне ответили «напишите нам в лс», я написал, и тишина уже неделю", "Олег"),  # the support's words, quoted
    ("Мне написали от вашего имени: напишите нам в телеграм @volna_refund, вернём деньги. Это вы?", "Олег"),
    ("Someone DMed me: contact us at @volna_refunds for a refund. Is this a scam?", "Kate"),
    ("Sizin adınıza biri yazdı: bize yazın wa.me/905551112233. Bu siz misiniz?", "Ayşe"),
    # customers warning others of a scammer, naming them
    ("Осторожно, тут мошенники пишут от имени поддержки, не переходите по ссылке t.me/volna_refund", "Ольга"),
    ("Beware, fake support accounts here, e.g. @volna_refunds: don't send them anything", "Kate"),
    ("Dikkat, dolandırıcılar var! Bana yazdılar: @volna_iade, cevap vermeyin", "Ayşe"),
    ("Мошенники! Мне пишут «мы служба поддержки, напишите нам» с @volna_refund", "Олег"),
    ("Наша компания — ваш клиент, третий день нет связи в офисе. Свяжитесь с нами: +7 495 123-45-67", "ООО Ромашка"),
    ("Please contact us at +1 555 123 4567, our office has had no internet since Monday", "Acme Ltd"),
])
def test_customers_words_are_not_spam(text: str, author: str) -> None:
    assert spam_kind(text, author) is None


def test_links_to_the_brands_own_sites_send_nobody_elsewhere() -> None:
    """The brand's sites are those its argument base's answers link to (the sample's volna.example); on everyone's
    hosts (VK, Telegram) a page is the brand's by its address, not the host."""
    own = brand_sites(BASE, BrandPolicy(private_link="https://vk.me/volna"))
    assert own == {"volna.example", "vk.me/volna"}
    assert spam_kind("Мы поможем: напишите нам на volna.example/help или vk.me/volna", "Ира", own) is None
    assert spam_kind("Мы поможем: напишите нам на app.volna.example", "Ира", own) is None
    assert spam_kind("Мы поможем: напишите нам на vk.me/volna_refunds", "Ира", own) is SpamKind.IMPERSONATION
    assert spam_kind("Мы поможем: напишите нам на volna.example.refund.ru", "Ира", own) is SpamKind.IMPERSONATION
    telegram = brand_sites(BASE, BrandPolicy(private_link="https://t.me/volna_support"))  # its handle: @volna_support
    assert spam_kind("Мы поможем: напишите нам @Volna_Support", "Ира", telegram) is None
    assert spam_kind("Мы поможем: напишите нам @volna_support_24", "Ира", telegram) is SpamKind.IMPERSONATION
    assert spam_kind("Поддержка тут: @volna_support", "Ира", telegram) is None  # pointing at the brand's own
    assert spam_kind("Поддержка тут: @volna_support_24", "Ира", telegram) is SpamKind.IMPERSONATION
    assert linked_sites(["https://www.Volna.example/pay?x=1, t.me/Volna.", "help@volna.example"]) == {
        "volna.example", "t.me/volna"}


def _conversation() -> Conversation:
    return Conversation(1, "volna", Platform.VK, "66", "Ира", ConversationState.BOT, "ru")


def _message(text: str, *, public: bool = True, reply_to: str | None = "501", author: str = "Ира") -> IncomingMessage:
    return IncomingMessage(Platform.VK, "volna", "wall-1_77", "502", "66", text, author, is_public=public,
                           thread_id="500", reply_to=reply_to)


SCAM = "Здравствуйте! Вернём деньги за простой: напишите нам в телеграм @volna_refund"
SPAM = "Заработок от 5000 ₽ в день без вложений, пиши в лс"


def test_a_scam_answering_a_customer_is_hidden_and_the_customer_warned_under_their_comment() -> None:
    decision = decide(_message(SCAM), _conversation(), Analysis("ru"), None, BASE, BrandPolicy(), [],
                      random.Random(0), answers_customer=True)
    assert (decision.action, decision.reason, decision.reply_under) == (Action.HIDE, "impersonation", "501")
    assert decision.reply_text in TEXTS["impersonation_warning"]["ru"]
    top_level = decide(_message(SCAM, reply_to=None), _conversation(), Analysis("ru"), None, BASE, BrandPolicy(), [],
                       random.Random(0))
    assert (top_level.action, top_level.reply_text, top_level.reply_under) == (Action.HIDE, None, None)
    # "write to us" with a contact and nothing of a support desk's is a business customer's, unless it answers one
    office = _message("Наш офис третий день без связи. Свяжитесь с нами: +7 495 123-45-67", reply_to=None)
    assert decide(office, _conversation(), Analysis("ru"), None, BASE, BrandPolicy(), [], random.Random(0)
                  ).action is not Action.HIDE
    pitch = decide(_message("Свяжитесь с нами: +7 495 123-45-67"), _conversation(), Analysis("ru"), None, BASE,
                   BrandPolicy(), [], random.Random(0), answers_customer=True)
    assert (pitch.action, pitch.reason) == (Action.HIDE, "impersonation")


def test_spam_is_hidden_without_a_word_and_left_to_moderators_when_hiding_is_off() -> None:
    hidden = decide(_message(SPAM), _conversation(), Analysis("ru"), None, BASE, BrandPolicy(), [], random.Random(0))
    assert (hidden.action, hidden.reason, hidden.reply_text) == (Action.HIDE, "spam", None)
    left = decide(_message(SPAM), _conversation(), Analysis("ru"), None, BASE, BrandPolicy(hide_spam=False), [],
                  random.Random(0))
    assert (left.action, left.reason, left.reply_text) == (Action.IGNORE, "spam_recorded", None)
    warned = decide(_message(SCAM), _conversation(), Analysis("tr"), None, BASE, BrandPolicy(hide_spam=False), [],
                    random.Random(0), answers_customer=True)  # it stays up for the moderators; the customer is warned
    assert (warned.action, warned.reason, warned.reply_under) == (Action.IGNORE, "impersonation_recorded", "501")
    assert warned.reply_text in TEXTS["impersonation_warning"]["tr"]


def test_spam_in_private_gets_no_answer_and_no_person_and_a_scam_shown_there_gets_a_person() -> None:
    decision = decide(_message(SPAM, public=False, reply_to=None), _conversation(), Analysis("ru"), None, BASE,
                      BrandPolicy(), [], random.Random(0))
    assert (decision.action, decision.reason, decision.reply_text) == (Action.IGNORE, SPAM_PRIVATE, None)
    # nobody poses as the brand's support to the brand: a customer pasted what "the support" sent them
    shown = decide(_message(SCAM, public=False, reply_to=None), _conversation(), Analysis("ru"), None, BASE,
                   BrandPolicy(), [], random.Random(0))
    assert (shown.action, shown.reason) == (Action.HANDOFF, SCAM_SHOWN)
    # ... and hears at once what the brand never asks for (it heard only "Передаю ваше сообщение специалисту")
    assert shown.reply_text in {t.format(eta="часа") for t in TEXTS["scam_warning"]["ru"]}
    assert handoff_reason(SCAM_SHOWN, "ru") == "клиент показывает сообщение «поддержки», которое похоже на мошенников"


async def test_a_scam_under_the_scammers_own_comment_warns_nobody(app: App, message: MessageFactory) -> None:
    """The customer an impersonator answered is warned under their comment (the pipeline tells it answers another
    customer's); one answering its own comment has no customer there: hidden, no warning."""
    first = await app.pipeline.handle(message("Всем добрый день!", customer="s9", is_public=True, chat_id="wall-1",
                                              message_id="900"))
    assert first is not None
    own = await app.pipeline.handle(message(SCAM, customer="s9", is_public=True, chat_id="wall-1", message_id="901",
                                            reply_to="900"))
    assert own is not None and (own.decision.action, own.decision.reply_text) == (Action.HIDE, None)
    customer = await app.pipeline.handle(message("Третий день нет интернета!", customer="c9", is_public=True,
                                                 chat_id="wall-1", message_id="902"))
    assert customer is not None
    scam = await app.pipeline.handle(message(SCAM, customer="s9", is_public=True, chat_id="wall-1", message_id="903",
                                             reply_to="902"))
    assert scam is not None and scam.decision.reply_under == "902"
    kinds = await app.storage.fetch("SELECT kind, reply_to FROM outbox WHERE source_message_id IN (?, ?) ORDER BY id",
                                    (own.message_id, scam.message_id))
    assert [tuple(row) for row in kinds] == [("hide", "901"), ("hide", "903"), ("notice", "902")]


async def test_the_terminal_inbox_brings_back_a_customer_taken_for_spam(app: App, message: MessageFactory) -> None:
    """Brands without a forum: `list` shows what the bot took for spam and nobody sees, `customer N` hands that
    customer to a person."""
    import io

    from bot.desk import ModeratorDesk
    from bot.inbox import run_inbox

    outcome = await app.pipeline.handle(message("Ищу подработку, есть вакансии? Пишите в лс", customer="job1"))
    assert outcome is not None and outcome.decision.reason == SPAM_PRIVATE
    desk = ModeratorDesk(app.storage, "volna")
    out = io.StringIO()
    n = outcome.message_id
    await run_inbox(desk, "maria", stdin=io.StringIO(f"customer {n}\ncustomer {n}\nquit\n"), stdout=out,
                    interactive=True, language="ru")
    lines = [line.removeprefix("inbox> ") for line in out.getvalue().splitlines()]
    assert any(line.startswith(f"🧲 Принято за спам {n} (бот скрыл или не ответил; если это клиент — customer {n}):")
               for line in lines)
    conversation = await app.storage.conversation(outcome.conversation.id, "volna")
    assert conversation.state is ConversationState.WAITING_FOR_MODERATOR
    handoff = await app.storage.open_handoff(conversation.id)
    assert handoff is not None and handoff.reason == "taken_for_spam"
    assert handoff.deadline_at is not None and handoff.deadline_at > handoff.created_at
    assert f"Принятого за спам {n} нет в списке (или клиент уже возвращён): list" in lines  # pressed twice
