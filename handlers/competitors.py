"""Messages that compare the brand with its competitors ("У конкурентов дешевле", "Rakip firma daha ucuz", "Your
competitor offers 1 Gbit for half the price"): a customer weighing whether to leave, whom a person answers with what
the brand offers. Read alone they lay near the price list or the tariff change ("Поможем подобрать новый тариф"), and
"Your competitor offers 1 Gbit for half the price", read 0.81 positive, was thanked "We're glad you're happy". Only
an entry the intent head is sure of answers them ("хочу уйти к другому провайдеру": the cancel entry). Competitors
are told by general words, and by the names a brand lists (`competitors` in its configuration: "А в Ростелекоме
дешевле" got the price list)."""

from __future__ import annotations

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


def mentions_competitor(text: str, named: WordList | None = None) -> bool:
    """Whether a message speaks of the brand's competitors: in general words, or by a name the brand lists
    (`named`: its `competitors`, "Ростелеком", "МТС")."""
    words = fold(text)
    return _COMPETITORS.first(words) is not None or (named is not None and named.first(words) is not None)
