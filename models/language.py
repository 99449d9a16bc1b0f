"""Language of a customer message: Russian, Turkish or English (or unknown)."""

from __future__ import annotations

import re

SUPPORTED = ("ru", "tr", "en")

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_TURKISH_LETTERS = set("ğışİĞŞıçöüÇÖÜâîû")
_TURKISH_WORDS = frozenset(
    "ve bir bu da de ne için ile çok var yok mi mı mu mü ama ben sen biz siz merhaba selam "
    "teşekkür teşekkürler tesekkurler sağol sagol neden nasıl nasil hala hâlâ internet yok "
    "gün gündür lütfen lutfen istiyorum iptal fatura ödeme odeme hız hiz kaç kac ne zaman "
    "abonelik tarife paket müşteri musteri hizmetleri kargo nerede nerde evet hayır hayir "
    "oldu olmadı olmuyor çalışmıyor calismiyor bağlantı baglanti modem şikayet sikayet iyi "
    "günler akşamlar kötü rezalet param iade taşınma adres saat kadar herif artık artik daha değil degil "
    "bana beni sizin olsun şey sey hemen tamam tamamdır tamamdir tmm peki olur anladım anladim".split()
)
_ENGLISH_WORDS = frozenset(
    "the and is are to my you your i it of for in on not no can how what why when where "
    "hello hi hey thanks thank please internet is does do did have has was with this that "
    "me we our need want help order refund cancel speed slow working wifi router bill pay "
    "price plan human agent still again".split()
)


def detect_language(text: str, default: str | None = None) -> str | None:
    """Best guess among ru/tr/en from letters and common words; `default` when there are none.

    Cyrillic letters mean Russian (the only Cyrillic language served). Among Latin-script
    texts, Turkish-only letters and common Turkish words tell Turkish from English.
    """
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return default
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    latin = sum(1 for ch in letters if ch.isascii() or ch in _TURKISH_LETTERS)
    if cyrillic >= max(1, latin):
        return "ru"
    if latin == 0:
        return default
    words = [w.lower() for w in _WORD.findall(text)]
    tr_score = 2 * sum(1 for ch in letters if ch in _TURKISH_LETTERS)
    tr_score += sum(2 for w in words if w in _TURKISH_WORDS)
    en_score = sum(2 for w in words if w in _ENGLISH_WORDS)
    if tr_score > en_score:
        return "tr"
    if en_score > 0 or tr_score == en_score:
        return "en" if en_score or default is None else default
    return default
