"""Customers' own details in a message (handlers.customer_details), and what the router does with them."""

from __future__ import annotations

import random
from dataclasses import replace

from handlers.argument_base import load_argument_base
from handlers.customer_details import customer_details, only_details
from handlers.policy import BrandPolicy
from handlers.router import decide
from handlers.texts import TEXTS, eta_text
from handlers.types import Action, Analysis, Conversation, ConversationState, Decision, IncomingMessage, Platform
from tests.conftest import SAMPLE_KB

BASE = load_argument_base(SAMPLE_KB)
POLICY = BrandPolicy(private_link="https://vk.me/volna")


def test_contract_numbers_phones_e_mails_and_addresses_are_found_as_written() -> None:
    assert customer_details("договор 4581203, ул. Ленина 5 кв 12") == ["4581203", "ул. Ленина 5", "кв 12"]
    assert customer_details("Добрый день, вот мой номер: 8 (912) 345 67 89") == ["8 (912) 345 67 89"]
    assert customer_details("Cumhuriyet Mah. Atatürk Cad. No:5 Daire 12") == ["Mah. Atatürk Cad. No:5", "Daire 12"]
    assert customer_details("Telefonum 0532 123 45 67") == ["0532 123 45 67"]
    assert customer_details("contract 458-12-03, 5 Baker St apt 12") == ["458-12-03", "5 Baker St", "apt 12"]
    assert customer_details("пишу с ivan.petrov@mail.ru") == ["ivan.petrov@mail.ru"]
    assert customer_details("заказ №00451 не пришёл") == ["00451"]


def test_money_times_dates_speeds_and_everyday_numbers_are_no_details() -> None:
    for text in ("почему списали 15000 руб?", "12 500 TL fatura geldi neden", "₺12500 fatura geldi",
                 "в 12:30 пропал интернет", "с 12.05.2024 не работает", "скорость 2 мегабита вместо 100",
                 "дом уже 3 дня без света", "No internet for 2 days", "на стр. 5 договора", "flat rate 500",
                 "роутер 192.168.0.1 не открывается", "у меня 5 этаж, дом старый", "тариф за 450 ₽ в месяц",
                 "@52094_f спасибо!", "#акция12345", "скидка 100000% на всё"):
        assert customer_details(text) == [], text


def test_error_and_promo_codes_are_no_details() -> None:
    """"код ошибки 10054" was heard as details ("Спасибо, данные получили"): it is a question about an error."""
    for text in ("код ошибки 10054", "ошибка: 50001", "Error code: 40401", "hata kodu 10054", "промокод 55555",
                 "SMS-код 123456"):
        assert customer_details(text) == [], text
    assert customer_details("код ошибки 10054, договор 4581203") == ["4581203"]


def test_details_alone_differ_from_a_question_that_carries_them() -> None:
    for text in ("4581203", "мой номер договора 4581203", "+7 912 345-67-89", "Sözleşme numaram 4581203",
                 "my contract number is 4581203", "Добрый день, вот мой номер: 8 (912) 345 67 89",
                 "ivan.petrov@mail.ru"):
        assert only_details(text), text
    for text in ("у меня не работает интернет уже третий день, договор 4581203",
                 "как сменить тариф на более быстрый? договор 4581203", "сколько стоит тариф",
                 "ошибка 50001 при оплате"):
        assert not only_details(text), text


def _decide(text: str, intents: dict[str, float], public: bool = False, language: str = "ru",
            known_language: str | None = "ru") -> Decision:
    conversation = Conversation(1, "volna", Platform.VK, "c", "Анна", ConversationState.BOT, known_language)
    message = IncomingMessage(Platform.VK, "volna", "wall-1_5" if public else "c", "1", "c", text, "Анна",
                              is_public=public)
    return decide(message, conversation, Analysis(language, intents=intents), None, BASE, POLICY, [],
                  random.Random(0))


def _phrasings(key: str, language: str) -> set[str]:
    return {text.format(eta=eta_text(POLICY.reaction_minutes, language)) for text in TEXTS[key][language]}


def test_sent_details_go_to_a_person_with_thanks_instead_of_being_asked_for_again() -> None:
    # the outage answer asks for the contract number; the customer sends it: no answer that asks again
    given = _decide("договор 4581203, ул. Ленина 5 кв 12", {"contacts_hours": 0.6})
    assert (given.action, given.reason, given.entry_id) == (Action.HANDOFF, "details_given", None)
    assert given.reply_text in _phrasings("details_received", "ru")
    # a question whose answer needs the customer's data, with the data in it: a person, the question's entry along
    asked = _decide("у меня не работает интернет уже третий день, договор 4581203", {"outage": 0.9})
    assert (asked.action, asked.reason, asked.entry_id) == (Action.HANDOFF, "details_given", "outage")
    # an entry that needs a person keeps its approved words (the staff complaint's apology comes first)
    complaint = _decide("мастер нахамил мне вчера, договор 4581203", {"staff_complaint": 0.9})
    assert (complaint.action, complaint.reason, complaint.entry_id) == (Action.HANDOFF, "entry_needs_human",
                                                                       "staff_complaint")
    # a question the base answers for everyone is answered, whatever number it has
    tariffs = _decide("сколько стоят тарифы для дома 4581203 и что входит?", {"tariffs": 0.9})
    assert (tariffs.action, tariffs.entry_id) == (Action.ANSWER, "tariffs")


def test_details_sent_after_an_answer_that_asked_for_them_are_about_its_entry() -> None:
    # the outage answer asked for the contract number: the handoff is about the outage (the moderator's card names it)
    conversation = Conversation(1, "volna", Platform.VK, "c", "Анна", ConversationState.BOT, "ru")
    message = IncomingMessage(Platform.VK, "volna", "c", "2", "c", "договор 4581203", "Анна")
    after = {key: decide(message, conversation, Analysis("ru", intents={"contacts_hours": 0.6}), None, BASE, POLICY,
                         [key] if key else [], random.Random(0), last_reply_key=key)
             for key in ("outage:ru:private:1", "greeting:ru:private:0", None)}
    assert [(d.reason, d.entry_id) for d in after.values()] == [
        ("details_given", "outage"), ("details_given", None), ("details_given", None)]  # the greeting asked for none


def test_details_in_a_public_comment_are_said_to_be_safer_in_private() -> None:
    public = _decide("мой телефон +7 912 345-67-89, перезвоните", {"contacts_hours": 0.3}, public=True)
    assert (public.action, public.reason) == (Action.HANDOFF, "details_public")
    text = public.reply_text or ""
    assert any(text.startswith(p) for p in _phrasings("details_received", "ru"))
    assert any(note in text for note in TEXTS["details_public_note"]["ru"]) and text.endswith(POLICY.private_link)


def test_a_brand_that_hides_details_says_it_hid_the_comment() -> None:
    conversation = Conversation(1, "volna", Platform.VK, "c", "Анна", ConversationState.BOT, "ru")
    comment = IncomingMessage(Platform.VK, "volna", "wall-1_5", "1", "c", "договор 4581203", "Анна", is_public=True)
    hiding = replace(POLICY, hide_details=True)
    hidden = decide(comment, conversation, Analysis("ru"), None, BASE, hiding, [], random.Random(0))
    assert (hidden.action, hidden.reason) == (Action.HANDOFF, "details_hidden")
    assert any(note in (hidden.reply_text or "") for note in TEXTS["details_hidden_note"]["ru"])
    private = replace(comment, chat_id="c", is_public=False)  # nothing to hide in a private chat
    assert decide(private, conversation, Analysis("ru"), None, BASE, hiding, [], random.Random(0)).reason == (
        "details_given")


def test_details_in_a_public_comment_handed_off_for_another_reason_are_kept_private_too() -> None:
    """A very unhappy comment with a contract number heard regret alone, and the number stayed in view."""
    conversation = Conversation(1, "volna", Platform.VK, "c", "Анна", ConversationState.BOT, "ru")
    angry = Analysis("ru", {"negative": 0.97, "neutral": 0.02, "positive": 0.01})

    def decided(text: str, policy: BrandPolicy) -> Decision:
        comment = IncomingMessage(Platform.VK, "volna", "wall-1_5", "1", "c", text, "Анна", is_public=True)
        return decide(comment, conversation, angry, None, BASE, policy, [], random.Random(0))

    shown = decided("Третий день нет интернета, позор! Договор 4581203", POLICY)
    assert (shown.action, shown.reason, shown.hide_comment) == (Action.HANDOFF, "strong_negative", False)
    assert any(shown.reply_text == f"{regret} {note} {POLICY.private_link}"
               for regret in _phrasings("unhappy_handoff", "ru") for note in TEXTS["details_public_note"]["ru"])
    hidden = decided("Третий день нет интернета, позор! Договор 4581203", replace(POLICY, hide_details=True))
    assert (hidden.reason, hidden.hide_comment) == ("strong_negative", True)
    assert any(note in (hidden.reply_text or "") for note in TEXTS["details_hidden_note"]["ru"])
    # without details nothing is added; a scam told of names the scammer's number, not the customer's
    assert decided("Третий день нет интернета, позор!", POLICY).reply_text in _phrasings("unhappy_handoff", "ru")
    scam = decided("Мне звонили с номера +7 912 345-67-89 от вашего имени, просили код из смс",
                   replace(POLICY, hide_details=True))
    assert (scam.reason, scam.hide_comment) == ("scam_reported", False)
    assert scam.reply_text in _phrasings("scam_warning", "ru")
