"""The mood of an argument-base entry: how unhappy or pleased its example phrases read (the shipped sentiment head's
mean over them). The intent head learns what a message is about, not how the customer feels about it, so praise of
a technician lies nearest the staff-complaint entry ("Great service, the technician was very polite" got "We
apologise, this shouldn't have happened…"), and thanks in bitter words near the thanks entry. A message whose mood
clearly contradicts its entry's is not answered from it."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from handlers.praise_words import speaks_well
from handlers.reactions import reaction_verdict, says_it_did_not_help
from handlers.types import Analysis
from models.word_match import WordList, fold, folded_phrases

PLEASED = 0.85  # a message this positive is praise: never answered from an entry for unhappy customers
# ... and this positive, praise that no entry answers is thanked ("Отличный сервис, мастер пришёл вовремя" reads
# 0.84, "С Новым годом, Волна!" 0.82). Routed as public comments to the sample brand, 2 of 1,800 neutral and
# negative tweets would be (300 of each from SentiRuEval-2015's telecom training half, TweetEval's validation half
# and FSMTSAD: a news item, "kokoreç yiyorum"), and 216 of 900 positive ones
THANKED = 0.75
# ... and this positive with an approving emoji and no disapproving one ("Подключился месяц назад, всё летает 👍"
# reads 0.74 and went to a person): of RuSentiTweet's training tweets that have one and ask nothing, 0.60-0.75 adds
# 27 positive ones and 3 neutral or negative ("Вааа 😍😍😍")
EMOJI_THANKED = 0.6
UNHAPPY_ENTRY = 0.5  # an entry whose examples are on average this negative is one for unhappy customers
PLEASED_ENTRY = 0.5  # ... this positive, one for pleased customers (thanks)
# A message at least this negative is never answered from an entry for pleased customers: "Спасибо, что опять всё
# сломалось" reads 0.30 negative (0.68 positive) and got "Пожалуйста! Рады, что смогли помочь"; none of the
# sample brand's thanks examples reads 0.25, and none of its complaint entries' examples reads PLEASED positive.
BITTER = 0.25

# Words of a request or a question (single words, matched word by word; not "какой", which as often exclaims: "смотри,
# какая акция"): praise with one of them ("Отличный мастер, пришлите его ещё раз") goes to a person, who does what is
# asked; thanks alone would leave it undone.
ASKING = folded_phrases(
    "пришлите", "подключите", "сделайте", "помогите", "подскажите", "можно", "нужно", "надо", "хочу", "хотим",
    "прошу", "пожалуйста", "когда", "как", "где", "почему", "зачем", "сколько", "куда", "кто", "ли", "lütfen",
    "istiyorum", "nasıl", "ne", "neden", "nerede", "nereden", "hangi", "kaç", "kim",
    "mı", "mi", "mu", "mü", "misiniz", "mısınız", "musunuz", "müsünüz", "please", "can", "could", "would", "want",
    "need", "how", "when", "why", "where", "what", "which", "who", "isterim", "istiyoruz", "isteriz", "rica")
# ... and phrases of one (folded whole words; a trailing `*` lets the last word go on): "I'd like to upgrade to the
# fastest plan" reads 0.86 positive and was thanked for its kind words
_ASKING_PHRASES = WordList((
    "хотелось бы", "я бы хотел*", "мы бы хотел*", "хотел бы", "хотела бы",
    "i d like", "we d like", "i d love", "we d love", "i am interested in", "i m interested in",
    "we are interested in", "interested in getting",
))
# Words of wishing to thank or praise someone ("Хочу поблагодарить мастера Дмитрия", 0.95 positive, heard "Этим лучше
# займётся наш специалист"): their "хочу", "istiyorum", "want" ask for nothing (folded whole words)
_WISH_TO_THANK = WordList((
    "хочу поблагодарить", "хотим поблагодарить", "хочу сказать спасибо", "хотим сказать спасибо",
    "хочу выразить благодарность", "хотим выразить благодарность", "хочу оставить благодарность",
    "хочу оставить отзыв", "хотим оставить отзыв", "хочу похвалить", "хотим похвалить",
    "tesekkur etmek istiyorum", "tesekkur etmek isterim", "tesekkur etmek istiyoruz", "tesekkurlerimi iletmek*",
    "want to thank", "want to say thank*", "like to thank", "like to say thank*", "want to praise",
    "want to leave a review", "want to leave feedback", "like to leave a review", "like to leave feedback",
))
_WISHING = folded_phrases("хочу", "хотим", "istiyorum", "isterim", "istiyoruz", "want", "would", "like")
# a decision's reason: praise thanked, that no entry answers or that the base's entries took for a complaint
PRAISE = "praise"
# a handoff reason: thanks in bitter or sarcastic words ("спасибо за ничего"), not answered with "Рады помочь"
BITTER_THANKS = "bitter_thanks"
# Words of the service failing now: praise or thanks with them is sarcasm and never thanked ("Отличный сервис, третий
# день без интернета, спасибо" reads 0.9 positive, "Harika hizmet, 3 gündür internet yok" 0.97); nor with words of
# the help failing (handlers.reactions.says_it_did_not_help: "спасибо за ничего" reads 0.95 positive and got
# "Пожалуйста! Рады, что смогли помочь"). Folded whole words; a trailing `*` lets the last word go on. Past failures
# ("не работал, но быстро починили") are left out.
_TROUBLE = WordList((
    # ru
    "нет интернета", "нету интернета", "нет связи", "без интернета", "без связи", "не работает", "не работают",
    "не пашет", "не грузит", "не показывает", "отвалил*", "отваливается",
    "всё лежит", "все лежит", "тормозит", "глючит", "опять не", "снова не", "дня без", "дней без", "день без",
    "неделю без", "недели без", "недель без", "месяц без",
    "перестал работать", "перестала работать", "перестало работать", "перестали работать",
    # "пропал интернет", "пропала связь", and "Интернет пропал. Как оплатить картой?" (it heard the payment's alone)
    "пропал", "пропала", "пропало", "пропали", "не включается", "не включаются", "не грузится", "не загружается",
    "не открывается", "не подключается", "нет сигнала", "не ловит",
    # tr
    "internet yok", "bağlantı yok", "sinyal yok", "çalışmıyor", "kesildi", "kesik", "gidip geliyor", "bozuk",
    "donuyor", "yine yok", "hala yok", "hâlâ yok", "çalışmayı durdurdu", "çöküyor", "açılmıyor", "bağlanmıyor",
    "yüklenmiyor", "internet gitti", "sinyal gitti", "tv yok", "televizyon yok",
    # en
    "no internet", "no connection", "no signal", "not working", "doesn't work", "does not work", "isn't working",
    "is down", "down again", "keeps dropping", "without internet", "days without", "week without", "weeks without",
    "without tv", "without wifi", "stop working", "stops working",
    "stopped working", "keeps crashing", "keeps freezing", "won't turn on", "wont turn on", "won't switch on",
    "won't load", "not loading", "keeps disconnecting", "internet is out", "internet went out", "no wifi",
))
# Words of displeasure (folded whole words; a trailing `*` lets the last word go on) that the sentiment head reads
# mildly, short and without a subject, or in Turkish: "Rezalet" 0.25 negative, "rezalet bir hizmet" 0.34 (it
# heard "Güzel soru, ama tam benim alanım değil"), "Позор" 0.37, "Yazıklar olsun" 0.17
_DISPLEASURE = WordList((
    "позор*", "ужас", "ужасно", "ужасный", "ужасная", "ужасное", "ужасные", "какой ужас", "кошмар", "кошмарный",
    "отвратительн*", "безобразие", "издевательство", "беспредел", "отстой", "стыдно", "стыд",
    "rezalet*", "berbat*", "yazıklar olsun", "felaket", "iğrenç", "saçmalık", "skandal", "utanç verici",
    "disgrace*", "terrible", "awful", "horrible", "shame on you", "pathetic", "shameful", "appalling",
    # being fed up: "Сколько можно спамить" heard "С этим я сам не помогу", as if asked how much
    "сколько можно", "надоело", "надоели", "достали", "достало", "бесит", "бесят",
    "yeter artık", "bıktım", "bıktık", "bıktırdınız", "fed up", "sick of", "sick and tired", "enough is enough",
    # prices complained of: "Fiyatlar çok pahalı" (0.20 negative) got the price list by similarity
    "слишком дорого", "очень дорого", "дороговато", "грабеж", "обдираловка", "цены завышены", "завышенные цены",
    "çok pahalı", "aşırı pahalı", "fazla pahalı", "bu kadar pahalı", "fiyatlar çok yüksek", "kazık",
    "too expensive", "overpriced", "rip off", "ripoff", "too pricey", "prices are too high",
))
# Words of a repair (folded whole words; a trailing `*` lets the last word go on): "Когда починят?", "Ne zaman
# düzelecek?", "When will it be fixed?"
_REPAIR = WordList((
    "почин*", "исправ*", "восстанов*", "налад*", "отремонт*", "заработает", "заработают",
    "düzel*", "onar*", "tamir*", "çözül*",
    "fix*", "repair*", "restor*", "back up", "working again", "be back",
))
PRAISE_KEY = "praise_thanks"  # the texts' key of the thanks


@dataclass(frozen=True)
class EntryMood:
    negative: float  # mean probability of negative over the entry's examples
    positive: float


def mood_of(sentiments: list[dict[str, float]]) -> EntryMood:
    """An entry's mood from its examples' sentiment (examples the head does not read are left out)."""
    read = [s for s in sentiments if s]
    if not read:
        return EntryMood(0.0, 0.0)
    return EntryMood(sum(s.get("negative", 0.0) for s in read) / len(read),
                     sum(s.get("positive", 0.0) for s in read) / len(read))


def for_unhappy(mood: EntryMood | None) -> bool:
    """Whether an entry (of this mood; None: not read yet) was written for unhappy customers (an outage, a
    refund)."""
    return mood is not None and mood.negative >= UNHAPPY_ENTRY


def for_pleased(mood: EntryMood | None) -> bool:
    """Whether an entry (of this mood; None: not read yet) was written for pleased customers (thanks)."""
    return mood is not None and mood.positive >= PLEASED_ENTRY


def contradicts(analysis: Analysis, mood: EntryMood | None, text: str = "") -> str | None:
    """PRAISE when a clearly pleased message would be answered from an entry for unhappy customers; BITTER_THANKS
    when a somewhat unhappy one, or one that says the service is failing (`text`), would be answered from an entry
    for pleased ones; None when the moods agree or are unknown."""
    if mood is None:
        return None
    trouble = mentions_trouble(text)
    if sounds_pleased(analysis, text) and for_unhappy(mood) and not trouble:
        return PRAISE
    if (analysis.sentiment.get("negative", 0.0) >= BITTER or trouble) and for_pleased(mood):
        return BITTER_THANKS
    return None


def sounds_pleased(analysis: Analysis, text: str) -> bool:
    """Whether a message reads PLEASED positive, or speaks well of the service in words the sentiment head reads
    mildly and is not BITTER ("ни разу не подводили": handlers.praise_words)."""
    return analysis.sentiment.get("positive", 0.0) >= PLEASED or _praised_in_words(analysis, text)


def _praised_in_words(analysis: Analysis, text: str) -> bool:
    """Whether a message speaks well of the service (handlers.praise_words) and does not read BITTER."""
    return analysis.sentiment.get("negative", 0.0) < BITTER and speaks_well(text)


def needs_mood(analysis: Analysis, text: str) -> bool:
    """Whether a message's mood is clear enough for its entry's mood to matter."""
    return (sounds_pleased(analysis, text) or analysis.sentiment.get("negative", 0.0) >= BITTER
            or mentions_trouble(text))


@functools.lru_cache(maxsize=256)
def mentions_trouble(text: str) -> bool:
    """Whether the message says the service is failing now ("без интернета", "internet yok", "not working") or the
    help did ("спасибо за ничего", "не помогло", "thanks for nothing"). Kept for the latest messages: the pipeline
    and the router ask it of one message up to three times."""
    words = fold(text)
    return _TROUBLE.first(words) is not None or says_it_did_not_help(text)


def is_praise(analysis: Analysis, text: str) -> bool:
    """Whether a message no entry answers is praise to thank for: pleased (or speaking well of the service and not
    BITTER: handlers.praise_words), and asking nothing a person should do."""
    positive = analysis.sentiment.get("positive", 0.0)
    approving = reaction_verdict(text) == 1  # an approving emoji and no disapproving one
    warm = positive >= (EMOJI_THANKED if approving else THANKED) or _praised_in_words(analysis, text)
    return warm and not asks_more_than_to_thank(text) and not mentions_trouble(text)


def asks_something(text: str) -> bool:
    """Whether a message asks a question or for something ("?", "пришлите", "lütfen", "could you")."""
    words = fold(text)
    return "?" in text or not ASKING.isdisjoint(words) or _ASKING_PHRASES.first(words) is not None


def asks_more_than_to_thank(text: str) -> bool:
    """Whether a message asks something (asks_something) besides wishing to thank or praise someone ("Хочу
    поблагодарить мастера" asks nothing; "Хочу поблагодарить мастера, пришлите его ещё раз" does)."""
    words = fold(text)
    if "?" in text or _WISH_TO_THANK.first(words) is None or sum(word in _WISHING - {"like"} for word in words) > 1:
        return asks_something(text)  # ... "и хочу перейти на Максимум" wishes more
    return not (ASKING - _WISHING).isdisjoint(words)


def speaks_of_a_repair(text: str) -> bool:
    """Whether a message speaks of repairing something ("Когда починят?", "Почините уже", "When will it be
    fixed?"): the service's business, whatever the intent head makes of it."""
    return _REPAIR.first(fold(text)) is not None


def says_displeasure(text: str) -> bool:
    """Whether a message has a word of displeasure ("Позор", "Rezalet", "awful"): an unhappy customer's, however
    mildly the sentiment head reads it."""
    return _DISPLEASURE.first(fold(text)) is not None
