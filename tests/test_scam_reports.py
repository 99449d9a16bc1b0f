"""A customer telling of someone who contacted them in the brand's name and asked for a code or card details hears at
once what the brand never asks for, and a person checks who it was."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import App
from bot.desk import ModeratorDesk
from bot.report import brand_report, last_days
from bot.stats import brand_stats
from handlers.scam_reports import SCAM_REPORTED, tells_of_scam
from handlers.texts import TEXTS, handoff_reason
from handlers.types import Action, ConversationState, utcnow
from tests.conftest import MessageFactory


@pytest.mark.parametrize("text", [
    "Мне звонили от вашего имени и просили код из смс, это вы?",
    "Позвонили, представились сотрудником Волны, спросили паспортные данные",
    "Мне написали от вашего имени и прислали ссылку, это вы?",
    "Это мошенники? Мне звонят и предлагают перейти на новый тариф",
    "Sizin adınıza biri aradı, kart bilgilerimi istedi",
    "Bana yazdılar, şifremi istediler, bu siz misiniz?",
    "Someone called me claiming to be from your support and asked for my card details",
    "Is this you? I got a text asking me to confirm my password",
])
def test_a_contact_in_the_brands_name_asking_for_what_the_brand_never_asks_for_is_a_scam_report(text: str) -> None:
    assert tells_of_scam(text)


@pytest.mark.parametrize("text", [
    "Мне пришло смс с кодом, но вход в приложение не работает",  # the brand's own login code
    "Мне не приходит код из смс",
    "You sent me a link to pay but it does not open",  # the brand's own link
    "Как оплатить по ссылке?",
    "Мне звонил мастер, сказал что придёт завтра",  # a contact, nothing asked
    "Вы мошенники, верните деньги",  # an accusation, nobody contacted them
    "Şifremi unuttum, nasıl değiştiririm?",
    "What's the code of your promo?",
])
def test_other_mentions_of_codes_links_and_calls_are_none(text: str) -> None:
    assert not tells_of_scam(text)


async def test_a_scam_report_is_warned_at_once_and_handed_to_a_person(app: App, message: MessageFactory) -> None:
    """It heard "Понимаю ваше недовольство. Передаю ваше обращение специалисту…": nothing on not sharing the code."""
    told = await app.pipeline.handle(message("Здравствуйте. Мне звонили от вашего имени и просили код из смс, это вы?",
                                             customer="sc1"))
    assert told is not None and (told.decision.action, told.decision.reason) == (Action.HANDOFF, SCAM_REPORTED)
    warnings = {t.format(eta="часа") for t in TEXTS["scam_warning"]["ru"]}
    assert any((told.decision.reply_text or "").endswith(w) for w in warnings), told.decision.reply_text
    conversation = await app.storage.conversation(told.conversation.id, "volna")
    assert conversation.state is ConversationState.WAITING_FOR_MODERATOR
    card = await ModeratorDesk(app.storage, "volna").card(conversation)
    assert handoff_reason(card.reason, "ru") == (
        "клиенту звонили или писали от имени бренда и просили коды, пароли или данные карты")
    # in Turkish, and a customer's scammer in another words: another phrasing for each, never one template
    turkish = await app.pipeline.handle(message("Bana yazdılar, şifremi istediler, bu siz misiniz?", customer="sc2"))
    assert turkish is not None and turkish.decision.reason == SCAM_REPORTED
    assert turkish.decision.reply_text in {t.format(eta="1 saat") for t in TEXTS["scam_warning"]["tr"]}
    # the agency sees them counted: a wave of them calls for a public warning
    assert (await brand_stats(app.storage, "volna", days=1)).scams_reported == 2
    brand = app.config.brands["volna"]
    report = await brand_report(app.storage, brand, last_days(30, utcnow() + timedelta(minutes=1)), "ru")
    assert ("- Клиенты сообщили о мошенниках от имени бренда (просили коды, пароли, данные карты): 2; при волне "
            "таких сообщений стоит предупредить всех публично") in report


async def test_comments_joining_a_scam_report_hear_the_warning_too(app: App, message: MessageFactory) -> None:
    """"+1" and "у меня тоже" under a comment telling of the scam call: each customer is warned (another phrasing
    each) and gets a person, as the comment they join."""
    told = await app.pipeline.handle(message("Осторожно! Мне звонили от имени Волны и просили код из смс",
                                             customer="sp1", is_public=True, chat_id="wall-1_9", message_id="901",
                                             thread_id="901"))
    assert told is not None and told.decision.reason == SCAM_REPORTED
    heard = {told.decision.phrasing_key}
    for customer, text, number in (("sp2", "+1", "902"), ("sp3", "у меня тоже", "903")):
        joined = await app.pipeline.handle(message(text, customer=customer, is_public=True, chat_id="wall-1_9",
                                                   message_id=number, thread_id="901", reply_to="901"))
        assert joined is not None and (joined.decision.action, joined.decision.reason) == (Action.HANDOFF,
                                                                                          SCAM_REPORTED), text
        heard.add(joined.decision.phrasing_key)
    assert len(heard) == 3, "one template for everyone under the post"
