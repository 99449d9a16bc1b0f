"""Messages that compare the brand with its competitors ("У конкурентов дешевле", "Rakip firma daha ucuz", "Your
competitor offers 1 Gbit for half the price"): a customer weighing whether to leave, whom a person answers with what
the brand offers. Read alone they lay near the price list or the tariff change ("Поможем подобрать новый тариф"), and
"Your competitor offers 1 Gbit for half the price", read 0.81 positive, was thanked "We're glad you're happy". Only
an entry the intent head is sure of answers them ("хочу уйти к другому провайдеру": the cancel entry). Competitors
are told by general words, and by the names a brand lists (`competitors` in its configuration: "А в Ростелекоме
дешевле" got the price list).

A customer coming to the brand from a competitor ("Думаю перейти к вам от другого провайдера. Какие есть акции?",
"Başka firmadan size geçmek istiyorum", "thinking of switching from another provider") is not weighing whether to
leave: the bot answers what they ask, as any new customer's question, and never from an entry for customers leaving
for a competitor (read alone, "Думаю перейти к вам от другого провайдера" lay in the cancel entry: "можно узнать, что
стало причиной?")."""

from __future__ import annotations

import functools

from handlers.argument_base import Entry
from models.word_match import WordList, fold

COMPETITOR = "competitor"  # the reason of the handoff

# Folded whole words; a trailing `*` lets the last word go on
_COMPETITORS = WordList((
    # ru
    "конкурент*", "другой провайдер*", "другого провайдер*", "других провайдер*", "другие провайдер*",
    "другим провайдер*", "другому провайдер*", "другом провайдер*", "у других", "у соседнего провайдер*",
    # tr
    "rakip*", "başka firma*", "diğer firma*", "başka operatör*", "diğer operatör*", "başka şirket*",
    "diğer şirket*", "başka sağlayıcı*", "diğer sağlayıcı*",
    # en
    "competitor*", "other provider*", "another provider*", "other company", "other companies",
))


# Words of switching providers (folded whole words; a trailing `*` lets the last word go on)
_SWITCHING = WordList((
    "перейти", "перейду", "перейдем", "перейдём", "перехожу", "переходим", "переходить", "подключиться",
    "подключусь", "уйти от", "ухожу от",
    "gecmek", "gecmeyi", "gecis", "geciyorum", "gececegim", "gecelim", "gelmek", "geliyorum",
    "switch*", "move", "moving", "come", "coming", "join", "joining",
))
# ... and of coming to the brand, or from a competitor (the competitor's word in the form "from", Turkish's ablative)
_TOWARDS_US = WordList((
    "к вам", "от конкурент*", "от другого провайдер*", "от других провайдер*", "с другого провайдер*",
    "от нынешнего провайдер*", "от текущего провайдер*", "от старого провайдер*",
    "size", "sizin*", "rakipten", "rakip firmadan", "baska firmadan", "diger firmadan", "baska operatorden",
    "diger operatorden", "baska sirketten", "diger sirketten", "baska saglayicidan", "diger saglayicidan",
    "to you", "with you", "from a competitor", "from another provider", "from my provider", "from other provider*",
    "from my current provider", "from my old provider",
))
# ... and of a comparison or of leaving the brand, which a person answers whatever else the words say
_AWAY = WordList((
    "дешевле", "дороже", "лучше", "быстрее", "к другому провайдер*", "к конкурент*",
    "daha", "baska firmaya", "diger firmaya", "rakibe", "rakip firmaya", "baska operatore", "diger operatore",
    "cheaper", "better", "faster", "to another provider", "to a competitor", "to other provider*",
))


def comes_from_competitor(text: str) -> bool:
    """Whether a message speaks of switching to the brand, from a competitor or at all ("Хочу перейти к вам от
    конкурента", "хочу подключиться к вам"), with no comparison or word of leaving for another ("у конкурента
    дешевле, перейду к нему")."""
    words = fold(text)
    return (_SWITCHING.first(words) is not None and _TOWARDS_US.first(words) is not None
            and _AWAY.first(words) is None)


def mentions_competitor(text: str, named: WordList | None = None) -> bool:
    """Whether a message speaks of the brand's competitors: in general words, or by a name the brand lists
    (`named`: its `competitors`, "Ростелеком", "МТС")."""
    words = fold(text)
    return _COMPETITORS.first(words) is not None or (named is not None and named.first(words) is not None)


def for_leaving(entry: Entry) -> bool:
    """Whether an entry is for customers leaving for a competitor: one of its examples speaks of one ("переходим к
    другому провайдеру")."""
    return _speak_of_competitors(tuple(example for examples in entry.examples.values() for example in examples))


@functools.lru_cache(maxsize=512)  # an entry's examples are read once per version of the base, not per message
def _speak_of_competitors(examples: tuple[str, ...]) -> bool:
    return any(mentions_competitor(example) for example in examples)
