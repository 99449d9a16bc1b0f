"""A customer telling of someone who contacted them in the brand's name and asked for what scammers ask for: "Мне
звонили от вашего имени и просили код из смс, это вы?", "Sizin adınıza arayıp SMS kodunu istediler", "Someone
called me claiming to be from your support and asked for my card details". Such a message lay near no entry and
heard "Понимаю ваше недовольство. Передаю ваше обращение специалисту…" an hour before anyone said not to share the
code. The customer hears at once what the brand never asks for and what to do if they already shared it (in words
that hold whether or not the call was the brand's), and a person checks who it was.

The words are the customer's, telling of a contact ("мне звонили", "от вашего имени", "bana yazdılar", "called me")
together with what was asked or that it looks like a scam (a code, a password, card details, a link, "мошенники").
A scammer's own message, pasted or posted, is told by handlers.spam."""

from __future__ import annotations

from handlers.spam import CONTACTED_WORDS, IN_BRANDS_NAME_WORDS, SCAM_WORDS
from models.word_match import WordList, fold

SCAM_REPORTED = "scam_reported"  # the reason of the handoff
SCAM_WARNING = "scam_warning"  # handlers.texts: what the customer hears

# Someone claims to be the brand, or the customer asks whether it was (folded whole words; a trailing `*` lets the
# last word go on)
_IN_BRANDS_NAME = WordList((
    *IN_BRANDS_NAME_WORDS, "это были вы", "это ваши", "это ваш", "представил*", "назвал* себя", "назвал* вашим*",
    "adiniza", "siz mi aradiniz", "siz mi yazdiniz", "sizden oldugunu", "temsilcisi oldugunu",
    "was this you", "was it you", "claiming to be", "claimed to be", "pretending to be", "said they were from",
    "said he was from", "said she was from",
))
# ... or only that someone contacted them. Not "мне пришло" alone: the brand's own login code comes so ("мне пришло
# смс с кодом, но вход не работает").
_CONTACTED = WordList((
    *CONTACTED_WORDS, "звонили", "позвонили", "прислали мне", "мне звонят", "звонят", "названива*",
    "aradilar", "ariyorlar", "keep calling", "keeps calling", "is calling me",
))
# What the brand never asks for
_ASKED_FOR = WordList((
    "код", "кода", "коду", "коды", "кодом", "смс-код*", "sms-код*", "пароль", "пароля", "пин-код*", "пин код*",
    "cvv", "cvc", "данные карты", "номер карты", "реквизиты карты", "три цифры", "паспорт*", "госуслуг*",
    "перевести деньги",
    "kod", "kodu", "kodunu", "kodlari", "sms kodu*", "sifre*", "parola*", "kart bilgi*", "kart numara*",
    "tc kimlik*", "para gonder*",
    "code", "codes", "password*", "pin", "card details", "card number", "bank details", "passport", "send money",
    "transfer money",
))
# A link counts only from someone claiming to be the brand: the brand's own answers send links to its site ("you
# sent me a link to pay")
_LINK = WordList(("ссылк*", "link*", "baglanti*"))


def tells_of_scam(text: str) -> bool:
    """Whether a message tells of someone who contacted the customer in the brand's name and asked for a code, a
    password, card details or the like, or who the customer takes for a scammer."""
    words = fold(text)
    asked = _ASKED_FOR.first(words) is not None or SCAM_WORDS.first(words) is not None
    if _IN_BRANDS_NAME.first(words) is not None:
        return asked or _LINK.first(words) is not None
    return asked and _CONTACTED.first(words) is not None
