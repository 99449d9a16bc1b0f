"""Russian typed with the keyboard left in its English layout ("bynthytn yt hf,jnftn"): told apart, and read.

A customer who forgets to switch the layout types Russian on the Latin keys of the same places: "ghbdtn" for
"привет", with "," and "." for б and ю, "/" for a full stop and "&" for a question mark. Such a text reads as no
language at all (it was answered in English, or handed off as out of scope). The keys map one to one, so the text
is read back exactly; `russian_keys` counts the words that, read back, are common Russian ones (`models.translit`).
"""

from __future__ import annotations

import re
import string
from collections.abc import Collection
from functools import lru_cache

from models.translit import common_russian, is_address

# The standard Russian layout (ЙЦУКЕН) over the US one (QWERTY), key by key, without and with Shift.
_LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,./`QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>?~@#$^&|"
_RUSSIAN_KEYS = "йцукенгшщзхъфывапролджэячсмитьбю.ёЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,Ё\"№;:?/"
_READ_BACK = str.maketrans(_LATIN_KEYS, _RUSSIAN_KEYS)
_TOKEN = re.compile(r"\S+")
_OTHER_LETTER = re.compile(r"[^\W\d_a-zA-Z]")  # a letter no US key types
_CYRILLIC_WORD = re.compile(r"[а-яё]{2,}", re.IGNORECASE)  # "а", "в", "с", "я" alone: any stray key is one


def from_keys(text: str, latin: Collection[str] = frozenset()) -> str:
    """A text typed on the Latin keys read in the Russian letters of the same keys. Links, e-mail addresses,
    handles and the words of `latin` (lower-case: "wifi", the brand's product names) stay as they are: they were
    typed in that layout on purpose, unless they read back as a common Russian word."""

    def read(match: re.Match[str]) -> str:
        token = match.group(0)
        if is_address(token) or (token.strip(string.punctuation).lower() in latin and not _common_keyed(token)):
            return token
        return token.translate(_READ_BACK)

    return _TOKEN.sub(read, text)


def russian_keys(text: str) -> int:
    """How many words of a text typed on the US layout, read in the Russian letters of the same keys, are common
    Russian words (0 for a text with letters no US key types: Cyrillic, Turkish ç, ş...; emoji are anyone's)."""
    if _OTHER_LETTER.search(text):
        return 0
    return sum(_common_keyed(token) for token in _TOKEN.findall(text) if not is_address(token))


@lru_cache(maxsize=65_536)  # customers' words repeat: each read back and looked up once
def _common_keyed(token: str) -> int:
    return sum(1 for word in _CYRILLIC_WORD.findall(token.translate(_READ_BACK)) if common_russian(word))
