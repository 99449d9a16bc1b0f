"""Short messages that ask nothing: "ок", "tamam", "got it", "+", 👍, or an angry 😡 on its own.

Customers often close an exchange with a word or an emoji. Matched against no argument-base entry, such a message
used to go to a person as a question ("passing your question to a specialist" in reply to "ок"), and an emoji
alone was answered from whichever entry lay nearest (😡 got "goodbye"). A message that is only an acknowledgement
is acknowledged; one that is only disapproving emoji is an unhappy customer (handlers.reactions).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Collection

from handlers.reactions import APPROVING, reaction_verdict
from handlers.texts import said_last, say_fresh
from models.word_match import fold, folded_phrases

ACKNOWLEDGEMENT = "acknowledgement"  # a decision's reason, and the texts' key

# Whole messages (folded: case, diacritics and stretched letters do not matter), any language: a Russian customer
# types "ok" as often as "ок".
ACKNOWLEDGEMENTS = folded_phrases(
    # ru
    "ок", "окей", "оке", "ага", "угу", "ясно", "понятно", "понял", "поняла", "хорошо", "ладно", "принято",
    "договорились", "ок понятно", "ясно понятно", "хорошо понятно", "ладно понятно",
    # tr
    "tamam", "tamamdır", "tmm", "peki", "olur", "anladım", "anlaşıldı", "anlaştık", "tamam anladım", "okey",
    # en
    "ok", "okay", "k", "kk", "got it", "sure", "alright", "all right", "understood", "noted", "i see", "will do",
    "sounds good", "ok got it", "okay got it", "fine",
)
_SIGNS = frozenset("+!.)")  # "+", "ок!", "хорошо)" and the like
# Emoji that acknowledge in a message though no reaction offers them (🙂 alone went to a person as a question);
# laughter too: "😂😂😂" under a post was thanked "for the warm words", whether it laughed with the post or at it
_FRIENDLY = frozenset({"🙂", "😊", "😀", "😃", "😄", "☺", "😉", "🙌", "✅", "✔", "💪", "😌", "🆗", "😂", "😆", "😅",
                       "😹"})


def _emoji_only(text: str) -> list[str] | None:
    """The emoji of a message made of emoji only (variation selectors and joiners aside), else None."""
    emoji = [ch for ch in text if not ch.isspace() and ch not in "\ufe0f\u200d"]
    if not emoji or any(unicodedata.category(ch) not in ("So", "Sk") for ch in emoji):
        return None
    return [ch for ch in emoji if unicodedata.category(ch) == "So"] or None  # skin tones (Sk) say nothing


# A giveaway's entry under the brand's post, whole: the thanks entry it lies near thanked "for the kind words"
_ENTERING = folded_phrases("участвую", "я участвую", "тоже участвую", "я в деле", "katılıyorum", "ben de katılıyorum",
                           "ben varım", "varım", "i'm in", "im in", "count me in", "participating")
# Laughter in words, as 😂 alone ("Ха-ха, смешно" under a post got the greeting's "Привет! Задавайте вопрос"): words
# of "х" and "а" or "h" and "a" ("ахаха", "hahah"), these, and words of how funny beside one of them
_LAUGHS = folded_phrases("лол", "кек", "ржу", "ржака", "lol", "lmao", "rofl", "xd", "хд", "kek", "jajaja")
_FUNNY = folded_phrases("смешно", "очень", "как", "funny", "so", "very", "komik", "çok")


def _laugh(word: str) -> bool:
    return word in _LAUGHS or any(set(word) == sound for sound in ({"х", "а"}, {"h", "a"}))


def _laughs(words: list[str]) -> bool:
    """Whether folded words only laugh ("ха-ха", "ахахах, смешно", "hahaha", "lol"; emoji aside)."""
    return any(_laugh(w) for w in words) and all(_laugh(w) or w in _FUNNY for w in words)


def _nothing_to_answer(words: list[str]) -> bool:
    return _laughs(words) or " ".join(words) in _ENTERING


def says_nothing_to_answer(text: str) -> bool:
    """Whether a message only laughs or enters a giveaway ("ха-ха", "Участвую!"): whatever entry it lies near (the
    greeting, the thanks) is noise; it is an acknowledgement."""
    return _nothing_to_answer(fold(text))


def is_acknowledgement(text: str) -> bool:
    """Whether the whole message only acknowledges: a listed word or phrase, a "+", approving emoji, laughter, a
    giveaway's entry."""
    stripped = text.strip()
    if stripped and set(stripped) <= _SIGNS | {" "} and "+" in stripped:
        return True
    emoji = _emoji_only(stripped)
    if emoji is not None:
        return all(ch in APPROVING or ch in _FRIENDLY for ch in emoji)
    words = fold(stripped)
    return bool(words) and (" ".join(words) in ACKNOWLEDGEMENTS or _nothing_to_answer(words))


def acknowledge(language: str, used: Collection[str], rng: random.Random) -> tuple[str, str]:
    """(text, phrasing key) of a short "write any time": one the customer has not had yet, where one is left."""
    return say_fresh(ACKNOWLEDGEMENT, language, used, rng)


def acknowledged_last(last_reply_key: str | None) -> bool:
    """Whether the customer's last reply from the brand was an acknowledgement: theirs now closes the exchange
    (an "ok" back to our "write any time" wants no answer, or the two would go on for ever)."""
    return said_last(ACKNOWLEDGEMENT, last_reply_key)


def is_disapproving_emoji(text: str) -> bool:
    """Whether the message is emoji only, and they disapprove (😡, 👎, 🤬 ...)."""
    emoji = _emoji_only(text.strip())
    return emoji is not None and reaction_verdict(emoji) < 0
