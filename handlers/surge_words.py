"""What an unhappy message is about, in words: for surges on something the argument base has no entry for
(handlers.surge.new_topic), and for telling whether an entry the bot is unsure of speaks of it at all
(handlers.router.pick_entry).

A new problem (an offensive advert, a failed app release) comes with words no entry of the base answers, and the
customers who write of it share them: "реклама", "рекламу", "рекламой". A message's subject words are its words
stemmed (Snowball: Russian for Cyrillic words, Turkish or English for Latin ones by the message's language),
without the words that say nothing of a subject (function words, complaints in general: "ужас", "опять",
"rezalet", "terrible") and without the brand's own name, which customers use whatever they write about.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache

import snowballstemmer  # type: ignore[import-untyped]

from models.turkish_letters import lower, plain

MIN_LETTERS = 3  # shorter words ("нет", "ok") tell nothing of a subject
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ADDRESS = re.compile(r"\S*(?:https?://|www\.)\S*|[@#]?\S+@\S+", re.IGNORECASE)  # links and e-mail addresses
_CYRILLIC = re.compile(r"[а-яё]")

# Words that say nothing of what a complaint is about (each stands for its every form: they are compared stemmed).
_SAY_NOTHING = frozenset(
    # ru: function words, time, complaint in general, support in general
    "все всё это эта этот эти того тот такой так как вот уже еще ещё тоже также только даже было была были быть "
    "будет будут есть нет нету или либо если чтобы что чего чем кто где когда зачем почему сколько можно нельзя "
    "надо нужно очень просто вообще опять снова сегодня вчера завтра сейчас теперь потом давно всегда никогда "
    "день дня дней час часа часов минут неделю месяц раз там тут здесь меня мне мной мой моя мое моё мои вас вам "
    "вами ваш ваша ваше ваши нас нам наш они его она них ним ней себя свой своя свои который которая которые "
    "для без при про над под после перед через между из-за пока уж ведь ничего никто ничто какой какая какие "
    "новый новая новое новые ужас ужасно кошмар позор отвратительно отвратительный плохо плохой хуже худший бесит "
    "достали надоело "
    "безобразие издевательство жесть отстой хватит спасибо пожалуйста здравствуйте добрый вечер утро привет "
    "клиент клиенты клиентов поддержка поддержки поддержку оператор сервис компания компании вопрос ответ "
    "ответьте помогите помочь делать сделать случилось происходит произошел произошло что-то почините починить "
    "больше меньше стал стало очередной проблема проблемы работает работать работу жалоба жалуются услуга услуги "
    "подскажите подскажи подсказать скажите скажи узнать найти посмотреть хочу хотел хотела хотим "
    # tr
    "yeni bir bu şu ve ile için ama fakat çok daha hiç hala hâlâ artık yine gene bile gibi kadar sonra önce şimdi "
    "bugün dün yarın neden niye nasıl kaç ne zaman nerede ben sen biz siz onlar bana beni sizin bizim benim "
    "var yok değil mi mı mu mü olan oldu olmadı olmuyor gün saat hafta rezalet berbat kötü rezil yazık ayıp "
    "yeter bıktım artık müşteri destek hizmet hizmeti şirket lütfen merhaba teşekkür teşekkürler cevap yanıt "
    "yapmalıyım yapmalı yapabilirim yapabilir yapmam yapmak lazım gerek gerekiyor istiyorum öğrenmek görebilirim "
    # en
    "new the and for are was were been being have has had this that these those with from your you our they them "
    "what when where why how who which can cant can't could would should will not don't didn't doesn't isn't "
    "again still already just only even very really today yesterday now day days hour hours week time times "
    "terrible awful horrible worst bad worse ridiculous disgusting joke unacceptable hate annoying please thanks "
    "hello customer customers support service company answer reply help fix fixed anyone anything nothing "
    "there here about into over than then also some any all tell see find know want need".split()
)


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer({"ru": "russian", "tr": "turkish"}.get(language, "english"))


@lru_cache(maxsize=65_536)  # Snowball in Python takes about 150 us a Russian word; customers' words repeat
def _stem(word: str, language: str | None) -> str:
    """The word's stem, Turkish letters folded ("çöküyor" and "cokuyor" are one word); ё as е."""
    if _CYRILLIC.search(word):
        return str(_stemmer("ru").stemWord(word.replace("ё", "е")))
    return plain(str(_stemmer("tr" if language == "tr" else "en").stemWord(word)))


def _words(text: str, language: str | None) -> list[str]:
    text = _ADDRESS.sub(" ", text)
    folded = lower(text) if language == "tr" else text.lower()  # Turkish: I is ı
    return [word for word in _WORD.findall(folded) if len(word) >= MIN_LETTERS]


@cache
def _say_nothing() -> frozenset[str]:
    """The stems of the words that say nothing of a subject, every form of them: Latin ones as Turkish and as
    English stem them."""
    return frozenset(stem for word in _SAY_NOTHING for language in ("tr", "en") for stem in {_stem(word, language)})


@cache
def name_stems(*names: str) -> frozenset[str]:
    """Stems of a brand's names ("Волна", "Volna Telecom"), left out of its customers' subject words."""
    return frozenset(_stem(word, None) for name in names for word in _WORD.findall(name.lower()))


def subject_words(text: str, language: str | None, leave_out: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The distinct stems of a message's subject words, sorted; `leave_out`: the brand's names (name_stems)."""
    stems = {_stem(word, language) for word in _words(text, language)} - _say_nothing()
    return tuple(sorted(stem for stem in stems if not _named(stem, leave_out)))


def word_stems(text: str, language: str | None = None) -> frozenset[str]:
    """The stems of every word of a text of MIN_LETTERS or more, those that say nothing of a subject too."""
    return frozenset(_stem(word, language) for word in _words(text, language))


@lru_cache(maxsize=4_096)
def subjects_of(texts: tuple[str, ...], language: str) -> frozenset[str]:
    """Every subject word of some texts (an entry's examples and answers in a language)."""
    return frozenset(stem for text in texts for stem in subject_words(text, language))


def _named(stem: str, names: frozenset[str]) -> bool:
    """Whether a stem is one of a brand's names, or (names of 4 letters or more) a word made of one: a handle
    like "megafonhelp"."""
    return stem in names or any(len(name) >= 4 and stem.startswith(name) for name in names)


def written_form(texts: Sequence[str], stem: str, language: str | None = None) -> str:
    """The form of a stem its messages use most ("рекламу" over "реклама" when more write so); the stem itself
    when none does (their texts were erased)."""
    forms = Counter(word for text in texts for word in _words(text, language) if _stem(word, language) == stem)
    return min(forms, key=lambda form: (-forms[form], form)) if forms else stem
