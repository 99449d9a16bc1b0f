"""Turkish written as it is spoken, written out before the classifier reads it.

Turkish customers write as they speak: "modem kırmızı yanıyo" for "yanıyor", "faturayı nerden ödicem" for "nereden
ödeyeceğim", "bi bakın" for "bir bakın". The brand's examples are written out, and the encoder splits the spoken
forms into other pieces: "modem kırmızı yanıyo" read the router-setup entry likeliest (the outage one as written out),
"faturayı nerden ödicem" the refund entry at 0.15 (payments at 0.41 written out).

Three kinds of words are written out: the present tense without its "r" ("yanıyo", "bilmiyom", "geliyoz",
"çalışmıyolar"), which only a word that is known as written and commoner than the spoken form keeps; the future
tense spoken short, where the spoken form is unknown: with the vowel it raises ("ödicem", "yapıcam", "bağlanıcak"),
else only where the written form is known ("gelcek", "olcak"), as "ancak", "sıcak" and "hocam" are words of their
own; and a few spoken words ("nerden", "nası", "bi", "napcaz", "slm", "tşk"). Known: seen in the brand's Turkish
texts or the shipped Turkish word counts (`models.turkish_letters.WORDS_FILE`). The customer's stored message keeps
their text."""

from __future__ import annotations

import re
from collections.abc import Mapping

from models.turkish_letters import lower

# The present tense without its "r", and its endings: "yanıyo", "bilmiyom", "geliyoz", "yapıyolar" (not "biliyon":
# "aksiyon" and "opsiyon" end so)
_PRESENT = re.compile(r"^(\w+[ıiuü])yo(m|z|sun|nuz|lar|du|dum|duk|muş)?$")
_PRESENT_ENDINGS = {"": "yor", "m": "yorum", "z": "yoruz", "sun": "yorsun", "nuz": "yorsunuz", "lar": "yorlar",
                    "du": "yordu", "dum": "yordum", "duk": "yorduk", "muş": "yormuş"}
# The future tense spoken short: "ödicem" (ödeyeceğim), "yapcam" / "yapıcam" (yapacağım), "gelcez", "olcak"
# (its "c" may have been read as "ç" in a text typed without Turkish letters: models.turkish_letters guesses so)
_FUTURE = re.compile(r"^(\w{2,}?)([ıi])?[cç]([ae])(m|z|k)$")
# Spoken words, as written out
_SPOKEN = {
    "nerden": "nereden", "nası": "nasıl", "bi": "bir", "bişey": "bir şey", "bişi": "bir şey", "bşy": "bir şey",
    "diil": "değil", "dimi": "değil mi", "napcaz": "ne yapacağız", "napıcaz": "ne yapacağız",
    "napcam": "ne yapacağım", "napıcam": "ne yapacağım", "napıyım": "ne yapayım", "napim": "ne yapayım",
    "napıyim": "ne yapayım", "noldu": "ne oldu", "nolur": "ne olur", "slm": "selam", "mrb": "merhaba",
    "tşk": "teşekkürler", "tşkler": "teşekkürler", "tsk": "teşekkürler", "tskler": "teşekkürler", "tmm": "tamam",
}
_WORD = re.compile(r"[^\W\d_]+")


class ColloquialTurkish:
    """Writes out the spoken forms of a Turkish text, as learnt which words are known written."""

    def __init__(self, counts: Mapping[str, int]) -> None:
        """`counts`: how often each word (Turkish lower case) was seen written."""
        self.counts = counts

    def read(self, text: str, language: str | None) -> str:
        """A Turkish text with its spoken forms written out; any other text as it is."""
        if language != "tr":
            return text
        return _WORD.sub(lambda m: self._written(m.group(0)), text)

    def _written(self, typed: str) -> str:
        word = lower(typed)
        written = _SPOKEN.get(word) or self._present(word) or self._future(word)
        if written is None:
            return typed
        if not typed[:1].isupper():
            return written
        return ("İ" if written[:1] == "i" else written[:1].upper()) + written[1:]  # Turkish: i -> İ

    def _present(self, word: str) -> str | None:
        found = _PRESENT.match(word)
        if found is None:
            return None
        written = found.group(1) + _PRESENT_ENDINGS[found.group(2) or ""]
        seen = self.counts.get(word, 0)
        return written if not seen or self.counts.get(written, 0) > seen else None

    def _future(self, word: str) -> str | None:
        found = _FUTURE.match(word)
        if found is None or word in self.counts:
            return None
        stem, raised, vowel, person = found.groups()
        ending = {"m": "ğım" if vowel == "a" else "ğim", "z": "ğız" if vowel == "a" else "ğiz", "k": "k"}[person]
        # "ödicem": the stem may end in a vowel the spoken form raised ("öde-yeceğim"), or not ("ed-eceğim")
        short, long = f"{stem}{vowel}c{vowel}{ending}", f"{stem}{vowel}y{vowel}c{vowel}{ending}"
        known = next((written for written in (short, long) if written in self.counts), None)
        # with the raised vowel ("yapıcam", "bağlanıcak") the spoken future is unmistakable; without it only a known
        # written form tells it ("gelcek"), as "hocam", "amcam" and "ancak" end so
        return known or (short if raised else None)
