"""Built-in obscenities and slurs in Russian, Turkish and English: unambiguous words, whatever the context.

The toxicity model uses the mark as one of its features (models.analyzer: beside the encoder's and the TF-IDF
model's scores), and a brand's policy treats a message with one as toxic whatever its score (handlers.blocklist):
the Russian-trained model carries over to much Turkish and English abuse ("Siktir git, aptal herif" 0.97, "You are
a fucking idiot" 0.999) but not to all of it ("Salak mısın sen, geri zekalı" 0.14, under the default 0.8
threshold), nor to every Russian obscenity with a prefix ("нихуя не работает", "распиздяи"). Insults that are also
plain words ("stupid", "mal") are left to the model and the brand's own list. Matching is on folded whole words
(models.word_match), so "serefsiz" matches "şerefsiz". The Turkish list applies to messages detected as Turkish
only: folded, some of its words are English or names ("pic", "amina").
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

_LISTS = {lang: WordList(entries) for lang, entries in OBSCENITIES.items()}


def obscenity_in(words: list[str], language: str | None) -> str | None:
    """The built-in entry found in folded `words` of a text in `language` (None: not detected), or None."""
    for lang in sorted({*ANY_LANGUAGE, language} if language else set(ANY_LANGUAGE)):
        found = _LISTS[lang].first(words) if lang in _LISTS else None
        if found is not None:
            return found
    return None


def obscenity(text: str, language: str | None) -> str | None:
    """The built-in entry found in `text`, or None."""
    return obscenity_in(fold(text), language)
