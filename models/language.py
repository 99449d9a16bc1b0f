"""Language of a customer message: Russian, Turkish or English (or unknown)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from models.keyboard_layout import from_keys, russian_keys
from models.translit import cyrillic, latin_only, russian_words
from models.turkish_colloquial import ColloquialTurkish
from models.turkish_letters import TURKISH_LETTERS, TurkishLetters, lower, plain, shipped, shipped_counts, word_counts

SUPPORTED = ("ru", "tr", "en")

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Links, e-mail addresses and handles: words of no language ("https://volna.example/promo" alone was read English)
_NO_LANGUAGE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|(?<![\w@])@\w+"
                          r"|\b(?:[a-z0-9-]+\.)+[a-z]{2,12}\b(?:/\S*)?", re.IGNORECASE)
_TURKISH_LETTERS = TURKISH_LETTERS | frozenset("âîû")
_TURKISH_WORDS = frozenset(
    "ve bir bu da de ne için ile çok var yok mi mı mu mü ama ben sen biz siz merhaba selam "
    "teşekkür teşekkürler tesekkurler sağol sagol neden nasıl nasil hala hâlâ internet yok "
    "gün gündür lütfen lutfen istiyorum iptal fatura ödeme odeme hız hiz kaç kac ne zaman "
    "abonelik tarife paket müşteri musteri hizmetleri kargo nerede nerde evet hayır hayir "
    "oldu olmadı olmuyor çalışmıyor calismiyor bağlantı baglanti modem şikayet sikayet iyi "
    "günler akşamlar kötü rezalet param iade taşınma adres saat kadar herif artık artik daha değil degil "
    "bana beni sizin olsun şey sey hemen tamam tamamdır tamamdir tmm peki olur anladım anladim "
    "günaydın slm mrb tşk saol sağ olun eyvallah kolay gelsin hoşça kalın görüşürüz misin musun mısınız "
    "misiniz müsünüz yüksek düşük yardım yardımcı sorun şifre şifremi kim kime niye lazım gerek bugün yarın "
    "dün ücret hesabım neler nedir nereden nereye harika helal efsane sonunda nihayet bekliyoruz tebrikler "
    "güzel mükemmel şahane".split()
)
_TURKISH_TYPED = frozenset(plain(word) for word in _TURKISH_WORDS)  # as typed without Turkish letters too
_ENGLISH_WORDS = frozenset(
    "the and is are to my you your i it of for in on not no can how what why when where "
    "hello hi hey thanks thank please internet is does do did have has was with this that "
    "me we our need want help order refund cancel speed slow working wifi router bill pay "
    "price plan human agent still again".split()
)


@dataclass(frozen=True)
class KnownWords:
    """Words of a brand's own texts that only its Turkish or only its English uses, for telling the two apart
    where the built-in lists know no word of a text: "tarifeleriniz neler", "nakit nereden odeyebilirim" have
    none, and were read as English. Turkish words are kept as typed without Turkish letters (so they match
    both spellings)."""

    turkish: frozenset[str] = frozenset()
    english: frozenset[str] = frozenset()

    @classmethod
    def learn(cls, turkish: Iterable[str], english: Iterable[str]) -> KnownWords:
        tr = {plain(word) for text in turkish for word in _WORD.findall(lower(text))}
        en = {word.lower() for text in english for word in _WORD.findall(text)}
        return cls(frozenset(tr - en), frozenset(en - tr))


NO_WORDS = KnownWords()


@dataclass(frozen=True)
class BrandWords:
    """What a brand's own Turkish and English texts (its argument base) teach about reading its customers."""

    known: KnownWords
    letters: TurkishLetters
    latin_in_russian: frozenset[str] = frozenset()  # "wifi", "reset": Latin words Russian texts use as they are
    # "yanıyo", "nerden": Turkish as it is spoken, written out
    spoken: ColloquialTurkish = field(default_factory=lambda: ColloquialTurkish({}))

    @classmethod
    def learn(cls, turkish: Sequence[str], english: Sequence[str], russian: Sequence[str] = ()) -> BrandWords:
        latin = {word.lower() for text in russian for word in _WORD.findall(text) if latin_only(word)}
        written = word_counts(turkish)
        return cls(KnownWords.learn(turkish, english), TurkishLetters(written, fallback=shipped()),
                   frozenset(latin) | _ENGLISH_WORDS, ColloquialTurkish(Counter(shipped_counts()) + written))

    def language(self, text: str) -> str | None:
        return detect_language(text, known=self.known)

    def read(self, text: str, language: str | None) -> str:
        """The text as the classifier reads it (Turkish typed without its letters, with them, and as it is spoken,
        written out; Russian typed in Latin letters, in Cyrillic; Russian typed with the keyboard in the English
        layout, in the letters of its keys)."""
        # Only a text that reads as Russian itself: the conversation's language may make a short Latin one
        # Russian ("internet yavaş" after "привет"), which is no Russian typed in Latin letters.
        if language == "ru" and (reading := russian_reading(text, self.latin_in_russian, self.known)):
            return reading
        return self.spoken.read(self.letters.read(text, language), language)

    def reading(self, text: str) -> tuple[str, str | None]:
        """A text with nothing else known of its writer (no conversation): as the classifier reads it, and its
        language."""
        language = self.language(text)
        return self.read(text, language), language


def russian_reading(text: str, latin: Collection[str] = _ENGLISH_WORDS, known: KnownWords = NO_WORDS) -> str | None:
    """A Russian text typed in Latin letters or with the keyboard in the English layout, in Cyrillic (`latin`: the
    Latin words such a text keeps as they are); None for any other text."""
    if not latin_only(text) or detect_language(text, known=known) != "ru":
        return None
    if russian_keys(text) > russian_words(_WORD.findall(text)):
        return from_keys(text, latin)
    return cyrillic(text)


def letters_tell(text: str) -> str | None:
    """The language a text's letters alone tell, however few its words: Cyrillic is Russian, Turkish-only letters
    (ç ğ ı ö ş ü) Turkish; None for plain Latin letters ("ok" is anyone's)."""
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        return "ru"
    return "tr" if any(ch in TURKISH_LETTERS for ch in text) else None


def detect_language(text: str, default: str | None = None, known: KnownWords = NO_WORDS) -> str | None:
    """Best guess among ru/tr/en from letters and common words; `default` when there are none.

    Cyrillic letters mean Russian (the only Cyrillic language served). Among Latin-script
    texts, Turkish-only letters and common Turkish words (built in, and the brand's `known`) tell
    Turkish from English, and common Russian words typed in Latin letters (`models.translit`) or on the keys of
    the Russian letters in the English layout (`models.keyboard_layout`) Russian.
    """
    text = _NO_LANGUAGE.sub(" ", text)  # a link's or an address's Latin letters are no English
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return default
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    latin = sum(1 for ch in letters if ch.isascii() or ch in _TURKISH_LETTERS)
    if cyrillic >= max(1, latin):
        return "ru"
    if latin == 0:
        return default
    found = _WORD.findall(text)
    tr_score = 2 * sum(1 for ch in letters if ch in _TURKISH_LETTERS)
    tr_score += sum(2 for w in found if (typed := plain(lower(w))) in _TURKISH_TYPED or typed in known.turkish)
    en_score = sum(2 for w in found if (word := w.lower()) in _ENGLISH_WORDS or word in known.english)
    ru_score = 0 if tr_score and any(ch in _TURKISH_LETTERS for ch in letters) else 2 * russian_words(found)
    ru_score = max(ru_score, 2 * russian_keys(text))
    if ru_score > max(tr_score, en_score):  # Russian typed in Latin letters ("internet ne rabotaet", "bynthytn")
        return "ru"
    if tr_score > en_score:
        return "tr"
    if en_score > 0 or tr_score == en_score:
        return "en" if en_score or default is None else default
    return default
