"""Words that speak well of the service, and words that speak to the brand.

The sentiment head reads praise by negation mildly: "Пользуюсь уже 5 лет, ни разу не подводили" reads 0.56 positive,
"Been with you for three years and never had an issue" 0.55, and both went to a person, who had only thanks to give.
It reads some praise as it reads the complaints its words recall: "Самый стабильный интернет из всех, что у меня
были" (0.72 positive) lay near the outage examples and heard "Очень жаль, что интернет пропал". Words of praise
(`speaks_well`) tell what the head misses. A word of praise after a negation ("не доволен", "not the best",
"wouldn't recommend") or before a Turkish one ("memnun değilim") is no praise.

Praise the intent head finds out of scope is thanked only when it speaks to or of the brand (`speaks_to_brand`):
"Волна лучший провайдер, третий год без проблем!" went to a person; news of another company ("МегаФон увеличил
покрытие 4G", 0.97 positive) and tweets about anything ("хочется сидеть и смотреть на небо") are no praise of ours.
"""

from __future__ import annotations

import functools

from models.word_match import WordList, fold, folded_phrases, word_pattern

# Praise of the service and of those who serve (folded whole words; a trailing `*` lets the last word go on). Words
# that praise anything ("harika", "excellent") are left out: the head reads them well, and "Harika bir gün" is not
# the brand's to thank.
_PRAISE = tuple(word_pattern(entry) for entry in (
    # ru
    "лучший", "лучшая", "лучшие", "лучшего", "лучшей", "лучшим", "самый стабильн*", "самый быстр*",
    "самый надежн*", "самая стабильн*", "самая быстр*", "самая надежн*", "самое стабильн*",
    "рекомендую", "всем советую", "советую всем", "доволен", "довольна", "довольны",
    "ни разу не подвел*", "ни разу не подвод*", "ни разу не пожалел*", "ни разу не было проблем*",
    "ни одного сбоя", "ни одной проблемы", "без проблем", "без сбоев", "без нареканий", "никаких проблем",
    "никаких сбоев", "как часы", "молодец", "молодцы", "умница", "на высоте",
    "выше всяких похвал",
    # tr
    "en iyi*", "en hizli*", "tavsiye ederim", "tavsiye ediyorum", "memnunum", "memnunuz", "cok memnun*",
    "sorunsuz", "hic sorun yasamadim", "hic sorun yasamadik", "hic sorun olmadi", "hic kesinti olmadi",
    # en
    "the best", "best provider", "best internet", "best service", "best support", "fastest", "most reliable",
    "recommend", "happy with", "satisfied", "never had an issue", "never had a problem",
    "never had any issue*", "never had any problem*", "never let me down", "never let us down", "no complaints",
    "not a single problem", "not one problem", "works like a charm", "rock solid",
))
# a word of negation among the two before a word of praise ("не доволен", "не очень нравится", "not the best",
# "wouldn't recommend": "wouldn", "t")
_NEGATION_BEFORE = folded_phrases("не", "ни", "нет", "not", "never", "no", "t", "hardly", "hic")
# ... and Turkish's, after it ("memnun değilim", "tavsiye etmem")
_NEGATION_AFTER = WordList(("degil*", "etmem", "etmiyorum", "etmeyiz", "etmiyoruz"))

# a word that turns round what was said before it ("çok iyi ancak fiyatlar çok hızlı pahalanıyor", "хорошо, но"):
# praise before it is no praise of the whole
_CONTRAST = folded_phrases("но", "однако", "зато", "ama", "ancak", "fakat", "lakin", "but", "however", "though")

# Words that speak to the brand: "you" (folded whole words; a trailing `*` lets the last word go on)
_TO_BRAND = WordList((
    "вы", "вас", "вам", "вами", "ваш*", "спасибо", "благодар*",
    "siz", "sizi", "size", "sizin*", "sizde*", "sizden", "tesekkur*", "sag olun",
    "you guys", "you are", "you re", "with you", "your", "yours", "thank*",
))


@functools.lru_cache(maxsize=256)  # the router asks it of one message more than once
def speaks_well(text: str) -> bool:
    """Whether a message has a word of praise ("ни разу не подводили", "лучший провайдер", "tavsiye ederim",
    "never had an issue") that no negation turns round, nor a contrast after it ("çok iyi ancak")."""
    words = fold(text)
    for pattern in _PRAISE:
        for start in pattern.starts_in(words):
            end = start + len(pattern.words)
            before = words[max(0, start - 2):start]
            if pattern.words[0] not in _NEGATION_BEFORE and not _NEGATION_BEFORE.isdisjoint(before):
                continue
            if _NEGATION_AFTER.first(words[end:end + 2]) is not None or not _CONTRAST.isdisjoint(words[end:]):
                continue
            return True
    return False


def speaks_to_brand(text: str) -> bool:
    """Whether a message speaks to the brand ("вы", "спасибо", "size", "you") or well of it (`speaks_well`)."""
    return _TO_BRAND.first(fold(text)) is not None or speaks_well(text)
