"""Russian typed in Latin letters ("internet ne rabotaet uzhe tretiy den"): told apart, and read in Cyrillic.

Customers without a Cyrillic keyboard (a phone set to another language, abroad) write Russian in Latin letters, in
no one scheme: "zh" or "j" for ж, "h" or "kh" for х, "y" for both ы and й, ь left out. Such a text was read as
English or Turkish and answered in them. `russian_words` counts the words of a Latin text that, written back in
Cyrillic, are common Russian ones; `language.detect_language` weighs them against the English and Turkish words,
and `cyrillic` writes the text back for the classifier, letter by letter (the multilingual encoder reads
"интернет не работает уже третий ден" as Russian, missing soft sign and all).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

# Longest first: "shch" before "sh" before "s".
_SPELLINGS = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yo", "ё"),
    ("jo", "ё"), ("yu", "ю"), ("ju", "ю"), ("ya", "я"), ("ja", "я"), ("ye", "е"), ("je", "е"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("w", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),
    ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"),
    ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "ц"), ("x", "х"), ("q", "к"), ("y", "ы"), ("'", "ь"),
    ("4", "ч"),
)
_SPELLING = re.compile("|".join(re.escape(latin) for latin, _ in _SPELLINGS))
_CYRILLIC_OF = dict(_SPELLINGS)
_VOWELS = frozenset("аеёиоуыэюя")
_LATIN_WORD = re.compile(r"[a-z']*[a-z][a-z'4]*|4[a-z][a-z'4]*", re.IGNORECASE)

# Common words of Russian support messages, compared stemmed after `_key` (ё and э as е, й as и, no soft or hard
# sign): what tells a Latin text to be Russian.
_COMMON = frozenset(
    "не нет да как что чтобы почему когда где куда уже еще ещё спасибо здравствуйте здравствуй привет добрый "
    "вечер утро пожалуйста помогите подскажите скажите работает работать можно нужно надо "
    "сколько стоит стоимость тариф тарифы интернет связь оплата оплатить оплатил заплатил деньги денег счет "
    "баланс договор номер подключить подключение отключить отключили роутер модем скорость сегодня вчера завтра "
    "сейчас опять снова очень плохо хорошо меня мне мой моя мои вы вас вам ваш ваша ваши это этот эта был была "
    "было будет есть хочу могу можете зачем или если только тоже так вот все всё ничего же ни за из от "
    "по при для без над через на об ты кто чем чего телефон приложение заявка заявку мастер мастера "
    "адрес перенести расторгнуть вернуть возврат карта картой карты наличными канал пакет оператор офис "
    "поддержка сайт звонок звонить позовите соедините специалист человек бот отключение проблема ошибка пропал "
    "пропадает медленно тормозит сигнал приставка телевизор кабель списали переезд переезжаем квартира город "
    "новый старый хороший пока свидания благодарю давно неделю месяц платеж платить бесплатно "
    "скидка акция цена дорого вопрос ответ ответьте долго ждать жду пришел придет приедет утра какой который "
    "нельзя должны обещали сделать делать отвалился мигает вайфай пароль забыл настроить настройка помочь "
    "помощь напишите пришлите отправил получил лицевой остаток минус долг".split()
)  # not those typed as English or Turkish words are: "my" (мы), "on", "no", "by", "do", "pro", "tam", "ego"...


_FOLDED = str.maketrans("ёэй", "ееи", "ьъ")


def _key(word: str) -> str:
    """A Cyrillic word as words are compared: spelling variants folded (ё, э as е; й as и; no ь, ъ)."""
    return word.lower().translate(_FOLDED)


_RUSSIAN = snowballstemmer.stemmer("russian")
STEMMED = 5  # words of this many letters or more are compared stemmed


def _stem(key: str) -> str:
    return str(_RUSSIAN.stemWord(key))


_COMMON_KEYS = frozenset(_key(word) for word in _COMMON)
# Any form of the longer ones ("интернета", "тарифа", "каналов"); short stems are other languages' words too
# (Turkish "gore", "onu", English "one" would match "горит", "она").
_COMMON_STEMS = frozenset(form for word in _COMMON if len(key := _key(word)) >= STEMMED
                          for form in (key, _stem(key)) if len(form) >= STEMMED - 1)  # "канал" of "каналы" too


def _cyrillic_word(word: str) -> str:
    lower = word.lower()
    letters: list[str] = []
    for match in _SPELLING.finditer(lower):
        latin = match.group(0)
        if latin == "y":  # й after a vowel ("tretiy", "moy", "novyy"), ы after a consonant ("vy", "tarify")
            letters.append("й" if letters and letters[-1] in _VOWELS else "ы")
        else:
            letters.append(_CYRILLIC_OF[latin])
    written = "".join(letters)
    if word.isupper() and len(word) > 1:
        return written.upper()
    if word[:1].isupper():
        return written[:1].upper() + written[1:]
    return written


def cyrillic(text: str) -> str:
    """A Russian text typed in Latin letters written in Cyrillic (words with Cyrillic, digits alone, addresses
    and the like as they are)."""
    return _LATIN_WORD.sub(lambda m: m.group(0) if _in_address(text, m) else _cyrillic_word(m.group(0)), text)


def _in_address(text: str, match: re.Match[str]) -> bool:
    start = text.rfind(" ", 0, match.start()) + 1
    end = text.find(" ", match.end())
    return is_address(text[start:end if end >= 0 else len(text)])


def is_address(token: str) -> bool:
    """Whether a space-delimited token is a link, an e-mail address or a handle (kept as written)."""
    return any(mark in token for mark in ("://", "www.", "@", ".ru", ".com"))


def latin_only(text: str) -> bool:
    """Whether a text has Latin letters and no Cyrillic ones."""
    return bool(re.search(r"[a-zA-Z]", text)) and not re.search(r"[\u0400-\u04ff]", text)


def russian_words(words: list[str]) -> int:
    """How many of a Latin text's words (of two letters or more: "a", "i", "s" are anyone's) are common Russian
    ones typed in Latin letters."""
    return sum(1 for word in words if len(word) > 1 and _common_typed(word.lower()))


@lru_cache(maxsize=65_536)  # customers' words repeat: each written back and stemmed once
def _common_typed(word: str) -> bool:
    return common_russian(_cyrillic_word(word))


def common_russian(word: str) -> bool:
    """Whether a Cyrillic word is a common word of Russian support messages, in any form."""
    key = _key(word)
    return key in _COMMON_KEYS or (len(key) >= STEMMED and _stem(key) in _COMMON_STEMS)


# Russian written in Latin letters for names and identifiers (one common scheme), Turkish letters without their marks
_LATIN_OF = str.maketrans({
    **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdezijklmnoprstufye", strict=True)),
    "ё": "yo", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya", "ь": "",
    "ъ": "", **dict(zip("çğıöşü", "cgiosu", strict=True)),
})


def latin(text: str) -> str:
    """A text in Latin letters, lower case: Russian transliterated, other letters without their marks ("роутер" ->
    "router", "şikâyet" -> "sikayet")."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LATIN_OF))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
