"""Messages that only cheer ("Молодцы!", "Ура!", "Наконец-то", "Harika!", "Can't wait!") or only take note
("Интересно", "Ну-ну, посмотрим", "Ждём!", "Bakalım"): the commonest comments under a brand's post, and said in
private too. Each lay near some entry ("Молодцы!" got the greeting's "Привет! Мы на связи", "Наконец-то" and
"Bekliyoruz!" the goodbye's) or went to a person as a question ("Can't wait!", "Интересно"). A cheer is thanked as
praise (and answers the rating question "yes"); a note taken is acknowledged (under a post, left as it is)."""

from __future__ import annotations

from models.word_match import fold, folded_phrases

_CHEERS = sorted((phrase.split() for phrase in folded_phrases(
    "молодцы", "молодец", "класс", "классно", "круто", "супер", "отлично", "здорово", "огонь", "ура", "наконец то",
    "наконец", "давно пора", "браво", "вы лучшие", "лучшие", "топ", "шикарно", "бомба", "красота", "вау",
    "harika", "süper", "mükemmel", "bravo", "helal", "helal olsun", "nihayet", "sonunda", "efsane", "şahane",
    "çok güzel", "tebrikler", "awesome", "great", "cool", "nice", "amazing", "finally", "love it", "can't wait",
    "cant wait", "yay", "wow", "great news", "awesome news", "well done", "congrats", "congratulations",
)), key=len, reverse=True)
_NODS = sorted((phrase.split() for phrase in folded_phrases(
    "интересно", "посмотрим", "ну посмотрим", "ну ну", "ждём", "ждем", "будем ждать", "ждём с нетерпением",
    "ждем с нетерпением", "ilginç", "bakalım", "göreceğiz", "bekliyoruz", "merakla bekliyoruz", "interesting",
    "we'll see", "we will see", "waiting", "hmm",
)), key=len, reverse=True)
_BESIDES = folded_phrases("очень", "просто", "вот", "это", "так", "уже", "же", "и", "çok", "so", "very", "just",
                          "and", "really")
CHEERS, NODS = "cheers", "nods"  # what a message only does (`reaction`)


def _made_of(words: list[str], phrases: list[list[str]]) -> bool:
    """Whether folded words are these phrases one after another, and words beside them ("очень", "so")."""
    at = 0
    while at < len(words):
        phrase = next((p for p in phrases if words[at:at + len(p)] == p), None)
        if phrase is None and words[at] not in _BESIDES:
            return False
        at += len(phrase) if phrase is not None else 1
    return True


def reaction(text: str) -> str | None:
    """CHEERS when a message only cheers ("Молодцы!", "Супер, давно пора", "Can't wait!"), NODS when it only takes
    note ("Интересно", "Ждём!"), else None."""
    words = fold(text)
    if not words or all(word in _BESIDES for word in words) or not _made_of(words, _CHEERS + _NODS):
        return None
    return NODS if _made_of(words, _NODS) else CHEERS
