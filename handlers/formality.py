"""A customer who greets formally ("Здравствуйте", "Добрый день", "İyi günler", "Good afternoon") is not answered
"Привет!", "Selam" or "Hey": of an entry's phrasings, the ones that greet informally are kept for customers who greet
so, or not at all ("Здравствуйте" got the greeting entry's "Привет! Рады, что написали" one time in four)."""

from __future__ import annotations

from models.word_match import fold, folded_phrases

# Greetings a message begins with (folded)
_FORMAL = sorted((phrase.split() for phrase in folded_phrases(
    "здравствуйте", "добрый день", "добрый вечер", "доброе утро", "доброй ночи", "доброго дня", "доброго времени суток",
    "уважаемые", "уважаемая", "iyi günler", "iyi akşamlar", "günaydın", "saygılar", "good morning",
    "good afternoon", "good evening", "dear",
)), key=len, reverse=True)
# The first word of a reply that greets informally
_INFORMAL = folded_phrases("привет", "приветик", "хай", "салют", "здорово", "selam", "selamlar", "slm", "hey", "hiya",
                           "yo")


def greets_formally(text: str) -> bool:
    """Whether a message begins with a formal greeting."""
    words = fold(text)
    return any(words[:len(greeting)] == greeting for greeting in _FORMAL)


def greets_informally(reply: str) -> bool:
    """Whether a reply begins with an informal greeting ("Привет!", "Selam {name}", "Hey {name}")."""
    words = fold(reply)
    return bool(words) and words[0] in _INFORMAL
