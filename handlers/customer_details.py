"""A customer's own details in a message: a contract, order or account number, a phone number, an e-mail address,
a street address. The argument base's answers ask for them ("пришлите номер договора"); once the customer has
sent them, asking again or answering "a question" is wrong: a person with access to the account takes over, and
the customer hears that their details arrived. In a public comment they are also told that such details are
safer in private messages (anyone reads a comment)."""

from __future__ import annotations

import re
from dataclasses import dataclass

DETAILS_GIVEN = "details_given"  # a handoff reason: the customer sent their details for a person to check
DETAILS_PUBLIC = "details_public"  # the same in a public comment (a moderator may hide it)
DETAILS_HIDDEN = "details_hidden"  # the same in a public comment the bot hides (`hide_details`)

# A phone number: an international or a long national one ("+7 912 345-67-89", "8 (912) 345 67 89",
# "0532 123 45 67"): ten digits or more with the usual separators.
PHONE = re.compile(r"(?<![\w@#])\+?\d[\d\s()-]{8,}\d(?!\w)")
# (a local part starts where no other of its characters stands before it, and parts are bounded: a long run of
# letters is tried once, not from each of its characters)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[a-z]{2,24}(?![\w-])",
                    re.IGNORECASE)
# A contract, order, account or card number: five digits or more, possibly grouped ("4581203", "458-12-03",
# "№ 00451"); not an amount of money ("15000 руб", "₺12500", "12 500 TL"), a share, a handle or a hashtag.
_NUMBER = re.compile(r"(?<![\w.,@#])\d(?:[\s-]?\d){4,}(?![\w.,]*\d)(?!\s*%)")
_MONEY_AFTER = re.compile(r"\s*(?:руб|р\b|р\.|₽|rub|tl\b|₺|lira|\$|usd|eur|€|dollar|tenge|тг|тенге|сум|грн)",
                          re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:[₽₺$€]|tl|usd|eur)\s*$", re.IGNORECASE)
# A number right after a word naming a code is an error or a promo code, not the customer's own ("код ошибки 10054",
# "error 40401", "hata kodu 10054", "промокод 55555"): a question about it, not details for a person to check.
_CODE_BEFORE = re.compile(r"(?<!\w)(?:ошибк\w*|код\w*|промокод\w*|error|err|code|promo\w*|hata\w*|kod\w*)"
                          r"\s*[:№#]?\s*$", re.IGNORECASE)
# A street address: a street word and a number after its name ("ул. Ленина 5", "Atatürk Cad. No:5"), a house or
# flat word and its number right after it ("кв 12", "д. 5", "Daire 12", "apt 12"), or an English house number
# before the street ("5 Baker St").
_ADDRESS = re.compile(
    r"(?<!\w)(?:ул|улица|пр-т|просп(?:ект)?|пер(?:еулок)?|шоссе|б-р|бульвар|мкр|микрорайон|"
    r"mah(?:alle(?:si)?)?|cad(?:de(?:si)?)?|sok(?:ak|ağı)?|sk|bulvar[ıi]?|street|avenue|road)"
    r"(?!\w)\.?\s*[^\d\n!?]{0,25}?\d[\w/-]*"
    r"|(?<!\w)(?:д|дом|кв|квартира|корп(?:ус)?|daire|no[.:]|apt|apartment)(?!\w)[.:№\s]{0,3}\d[\w/-]*"
    r"|(?<!\w)\d+[a-z]?\s+(?:[A-Z][\w-]*\s+){1,3}(?:street|st|avenue|ave|road|rd|lane)(?!\w)", re.IGNORECASE)
# Words that only say what the details are ("мой номер договора", "sözleşme numaram", "my phone is"): stems, and
# short words as they are.
_NAMING_STEMS = ("номер", "договор", "лицев", "счёт", "счет", "заказ", "абонент", "адрес", "телефон", "почт",
                 "email", "паспорт", "индекс", "город", "улиц", "квартир", "sözleşme", "numara", "abone", "müşteri",
                 "sipariş", "adres", "telefon", "posta", "hesab", "hesap", "contract", "account", "order", "customer",
                 "number", "address", "phone", "mail", "postcode")
_NAMING_WORDS = frozenset({"мой", "моя", "мое", "моё", "мои", "наш", "наша", "вот", "это", "тел", "ул", "дом", "кв",
                           "д", "г", "и", "benim", "bizim", "no", "tel", "il", "ilçe", "ve", "my", "our", "here",
                           "is", "it's", "its", "the", "and", "e"})
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
ONLY_DETAILS_WORDS = 2  # other words a message of details may have ("добрый день", "спасибо заранее")


def _spans(text: str) -> list[tuple[int, int]]:
    """Where the details stand in a message, in order."""
    found: list[tuple[int, int]] = []
    taken = bytearray(len(text) + 1)  # the characters some detail covers already

    def add(start: int, end: int) -> None:
        if not any(taken[start:end]):
            found.append((start, end))
            taken[start:end] = b"\x01" * (end - start)

    for match in _EMAIL.finditer(text):
        add(*match.span())
    for pattern in (PHONE, _NUMBER):
        for match in pattern.finditer(text):
            if sum(c.isdigit() for c in match.group()) < 5:
                continue
            if _MONEY_AFTER.match(text, match.end()) or _MONEY_BEFORE.search(text, max(0, match.start() - 8),
                                                                             match.start()):
                continue
            if pattern is _NUMBER and _CODE_BEFORE.search(text, max(0, match.start() - 16), match.start()):
                continue
            add(match.start(), match.end())
    for match in _ADDRESS.finditer(text):
        add(match.start(), match.end())
    return sorted(found)


def customer_details(text: str) -> list[str]:
    """The details in a message, as written, in order; money amounts, times and short numbers are none."""
    return [text[s:e].strip() for s, e in _spans(text)]


def _words_besides(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The message's words outside its details, lowercased."""
    rest, last = [], 0
    for start, end in spans:
        rest.append(text[last:start])
        last = end
    rest.append(text[last:])
    return _WORD.findall(" ".join(rest).lower())


@dataclass(frozen=True)
class Details:
    """What one reading of a message tells of the customer's details in it."""

    found: bool  # some detail
    alone: bool  # details and little else: ONLY_DETAILS_WORDS words besides them and the words naming them
    unworded: bool  # details and not a word besides ("ivan.petrov@mail.ru"): their letters tell no language


def read_details(text: str) -> Details:
    """The message's details, read once: "договор 4581203, ул. Ленина 5 кв 12", "+7 912 345-67-89" and "sözleşme
    numaram 4581203" are details alone; a question with a contract number in it is still a question."""
    spans = _spans(text)
    if not spans:
        return Details(False, False, False)
    words = _words_besides(text, spans)
    other = [w for w in words if w not in _NAMING_WORDS and not w.startswith(_NAMING_STEMS)]
    return Details(True, len(other) <= ONLY_DETAILS_WORDS, not words)


def only_details(text: str) -> bool:
    """Whether a message is the customer's details and little else (`read_details`)."""
    return read_details(text).alone
