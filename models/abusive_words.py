"""Built-in abusive words. Obscenities and slurs in Russian, Turkish and English are unambiguous, whatever the
context: a brand's policy treats a message with one as toxic whatever its score (handlers.blocklist), since the
Russian-trained model carries over to much Turkish and English abuse ("Siktir git, aptal herif" 0.97, "You are a
fucking idiot" 0.999) but not to all of it ("Salak mısın sen, geri zekalı" 0.14, under the default 0.8 threshold),
nor to every Russian obscenity with a prefix ("нихуя не работает", "распиздяи"). Russian insults are also plain
words at times ("козел" is a goat, "дура" a word among friends): never blocked by themselves, they are, with the
obscenities, a feature of the toxicity model (the abusive-word mark its stack reads, models.stacking). English and
Turkish insults back the model's score in those languages, which it was not trained on (models.analyzer).

Matching is on folded whole words (models.word_match), so "serefsiz" matches "şerefsiz". The Turkish list applies
to messages detected as Turkish only: folded, some of its words are English or names ("pic", "amina").
"""

from __future__ import annotations

from models.word_match import WordList, fold

OBSCENITIES: dict[str, tuple[str, ...]] = {
    "ru": (
        "бля", "бляд*", "блят*", "сука", "суки", "сучка*", "сучар*", "хуй*", "хуе*", "хуё*", "хуя*", "пизд*",
        "мудак*", "мудил*", "пидор*", "пидар*", "ебать", "ебал*", "ебан*", "ебуч*", "заеб*", "уеб*", "выеб*",
        "долбоеб*", "отъеб*",
        # the same roots after a prefix (whole words, so "страхуем" stays innocent)
        "нахуй", "нахуя", "похуй*", "похую", "нихуя", "нихуе*", "дохуя", "охуе*", "охуи*", "ахуе*", "ахуи*",
        "распизд*", "спизд*", "выпизд*", "напизд*", "запизд*", "опизд*", "отпизд*", "выбляд*",
        "ебл*", "ебет*", "ебут*", "наеб*", "поеб*", "проеб*", "доеб*", "съеб*", "въеб*",
        "разъеб*", "объеб*", "подъеб*", "остоеб*", "долбаеб*",
    ),
    "tr": (
        "orospu*", "siktir*", "sikerim", "sikeyim", "sikik*", "amına", "amk", "piç", "piçler*", "yavşak*",
        "şerefsiz*", "gerizekalı*", "geri zekalı*", "pezevenk*", "kahpe*", "ibne*", "götveren*", "puşt*",
        "aq", "oç",
    ),
    "en": (
        "fuck*", "motherfuck*", "shit", "shits", "shitty", "bullshit*", "bitch*", "bastard*", "asshole*", "cunt*",
        "dickhead*", "wanker*", "twat*", "retard", "retards", "retarded",
    ),
}
ANY_LANGUAGE = ("en", "ru")  # their folded words are nobody's innocent words in the other languages
# Insults and slurs aimed at people (and vulgar words for them), read in Russian and undetected texts; prefixes
# only where no innocent word begins with them.
INSULTS_RU = (
    "дебил*", "идиот*", "кретин*", "дегенерат*", "ублюд*", "урод*", "мраз*", "твар*", "скотин*", "сволоч*", "падл*",
    "гнид*", "чмо", "чмош*", "быдл*", "тупорыл*", "тупиц*", "дура", "дуры", "дурак*", "гандон*", "гондон*", "шлюх*",
    "шалав*", "говн*", "дерьм*", "жоп*", "засранец", "засранц*", "придур*", "недоум*", "козел", "козлы", "козлина",
    "свинья", "свиньи", "сдохн*", "подохн*", "выродок", "выродк*", "ничтожеств*", "паскуд*", "нахер", "похер*",
    "сраный", "сраная", "сраное", "сраные", "сраных",
    "лох", "лохи", "лохов", "лошара", "лошары", "пидр*", "пидорас*", "пидарас*", "гомик*", "мудоеб*", "дрочил*",
    "задрот*", "петушар*", "шмар*", "ссыкл*", "обоссан*", "очкошник*",
    # ethnic and political slurs (whole words where a longer word is innocent: "жидкость", "хохлома")
    "хач", "хачи", "хачей", "чурка", "чурки", "чурок", "жид", "жиды", "жидов", "жидам", "хохол", "хохлы", "хохлов",
    "хохлам", "кацап*", "пиндос*", "ватник*", "либераст*",
)

# English and Turkish insults: where the toxicity model was not trained (models.analyzer), a text's score counts
# only with one of these or an obscenity in it. Words that are plain words as often ("pathetic service", Turkish
# "mal" goods, "ezik" dented) are left out.
INSULTS_EN = (
    "idiot", "idiots", "idiotic", "moron*", "stupid", "stupidest", "dumb", "dumbass*", "imbecile*", "cretin*",
    "loser", "losers", "clown", "clowns", "scum*", "jerk", "jerks", "brainless", "dimwit*", "halfwit*", "nitwit*",
    "numbskull*", "douche*", "prick", "pricks", "whore*", "slut*", "shut up", "go to hell", "piece of garbage",
    "piece of trash", "kill yourself", "kill yourselves",
)
INSULTS_TR = (
    "aptal*", "salak*", "beyinsiz*", "ahmak*", "dangalak*", "gerzek*", "embesil*", "mankafa*", "sersem*", "budala*",
    "haysiyetsiz*", "namussuz*", "defol*", "kapa çeneni*",
)
INSULTS = {"ru": INSULTS_RU, "en": INSULTS_EN, "tr": INSULTS_TR}

_LISTS = {lang: WordList(entries) for lang, entries in OBSCENITIES.items()}
_INSULTS = {lang: WordList(entries) for lang, entries in INSULTS.items()}


def obscenity_in(words: list[str], language: str | None) -> str | None:
    """The built-in entry found in folded `words` of a text in `language` (None: not detected), or None."""
    for lang in sorted({*ANY_LANGUAGE, language} if language else set(ANY_LANGUAGE)):
        found = _LISTS[lang].first(words) if lang in _LISTS else None
        if found is not None:
            return found
    return None


def abusive_anywhere(text: str) -> bool:
    """Whether `text` has a built-in obscenity or insult of any language (short Turkish abuse is easily taken for
    English: "Siktir git, aptal herif")."""
    words = fold(text)
    return any(word_list.first(words) is not None for word_list in (*_LISTS.values(), *_INSULTS.values()))


def abusive(text: str, language: str | None) -> bool:
    """Whether `text` has a built-in obscenity or an insult of its language (Russian ones when it is not
    detected)."""
    words = fold(text)
    insults = _INSULTS.get(language or "ru")
    return obscenity_in(words, language) is not None or (insults is not None and insults.first(words) is not None)

