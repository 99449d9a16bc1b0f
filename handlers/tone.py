"""Nothing the customer reads accuses them.

Practitioners' rule: never accuse a customer of lying (nor tell them it is their own fault) - even a
customer who is wrong is answered with facts and a way to check them. The argument base's answers are
checked for phrasings that do ("вы сами виноваты", "yalan söylüyorsunuz", "you're lying"), and so are the
moderators' replies (bot.desk holds such a reply back unless sent on purpose); the customers' example
phrases are not, they may say anything. Words are matched as blocked words are (case, diacritics and
letter runs folded); a negation next to the phrase ("это не ваша вина", "not your fault", "sizin
hatanız değil") makes it kind, not accusing, and so does a denied saying or thinking just before it ("мы не
считаем, что это ложь", "никто не говорит, что вы лжёте", "I don't think you're lying") or, in Turkish, just
after it ("sizin hatanız olduğunu düşünmüyoruz").
"""

from __future__ import annotations

from models.word_match import WordPattern, fold, word_pattern

ACCUSATIONS: dict[str, tuple[str, ...]] = {
    "ru": (
        "вы лжете", "вы врете", "вы соврали", "вы солгали", "вы обманываете", "вы нас обманываете",
        "вы сочиняете", "вы выдумываете", "вы говорите неправду", "вы сами виноваты", "вы виноваты",
        "ваша вина", "по вашей вине", "вы преувеличиваете",  # not "сами виноваты": "мы сами виноваты" is kind
        "вы все лжете", "вы все врете", "все вы лжете", "все вы врете", "вы просто лжете", "вы просто врете",
        "это ложь", "лжецы", "вруны", "лгуны", "вам заплатили", "вам платят",  # a wave's authors too
    ),
    "tr": (
        "yalan söylüyorsunuz", "yalan söylediniz", "yalan söylüyorsun", "yalancı*", "suç sizde", "sizin suçunuz",
        "sizin hatanız", "kendi hatanız", "abartıyorsunuz", "hepiniz yalan*", "bu bir yalan", "para aldınız",
        "size para veril*", "paralı hesap*",
    ),
    "en": (
        "you are lying", "you're lying", "you lied", "you are making this up", "you're making this up",
        "your fault", "your own fault", "you are exaggerating", "you're exaggerating", "not telling the truth",
        "you are all lying", "you're all lying", "that's a lie", "this is a lie", "liars", "you are paid",
        "you were paid", "you're paid", "paid accounts",
    ),
}
NEGATION_BEFORE = frozenset({"не", "ни", "not", "never", "no", "t"})  # "t": "isn't", "wasn't" fold to "isn", "t"
NEGATION_AFTER = frozenset({"degil"})  # Turkish negates after the noun: "sizin hatanız değil"
# Saying or thinking, by stem (folded), and the words that may link it to what is said
REPORTING = ("счита", "дума", "говор", "утвержда", "сказа", "подозрева", "обвиня", "намека", "полага",
             "think", "say", "said", "believ", "suggest", "claim", "mean", "accus", "impl")
LINKS = frozenset({"что", "будто", "якобы", "that"})
NOBODY = frozenset({"никто", "nobody", "one"})  # "no one" folds to "no", "one"
# Turkish denies a saying or thinking at the verb's end, after what is said: "... olduğunu düşünmüyoruz"
DENIED_AFTER = ("muyoruz", "miyoruz", "muyorum", "miyorum", "medik", "madik", "meyiz", "mayiz")

_PATTERNS: dict[str, list[WordPattern]] = {
    lang: [word_pattern(e) for e in entries] for lang, entries in ACCUSATIONS.items()
}


def accusation(text: str, language: str | None = None) -> str | None:
    """The accusing phrase found in a text in `language` (English phrases are checked in every language;
    every language's when it is None), or None."""
    words = fold(text)
    if language is None:
        patterns = [p for entries in _PATTERNS.values() for p in entries]
    else:
        patterns = _PATTERNS.get(language, []) + (_PATTERNS["en"] if language != "en" else [])
    for pattern in patterns:
        for start in pattern.starts_in(words):
            before = words[start - 1] if start > 0 else ""
            end = start + len(pattern.words)
            after = words[end] if end < len(words) else ""
            if before not in NEGATION_BEFORE and after not in NEGATION_AFTER and not _denied(words, start, end):
                return pattern.entry
    return None


def _denied(words: list[str], start: int, end: int) -> bool:
    """Whether the phrase at words[start:end] is what someone denies saying or thinking: a reporting verb right
    before it (or before a linking "что"/"that") with a negation at most two words before the verb; in Turkish,
    a denied reporting verb at most two words after it."""
    if any(word.endswith(DENIED_AFTER) for word in words[end:end + 3]):
        return True
    verb = start - 1 - (start > 0 and words[start - 1] in LINKS)
    if verb < 0 or not words[verb].startswith(REPORTING):
        return False
    return any(word in NEGATION_BEFORE or word in NOBODY for word in words[max(0, verb - 3):verb])
