"""A customer's verdict on a reply: an emoji reaction to it, words saying it did not help ("не помогло"), or a
typed answer to the rating question ("да, спасибо", "нет, не решили")."""

from __future__ import annotations

from collections.abc import Iterable

from handlers.cheers import CHEERS, reaction
from handlers.openers import PLEASE
from models.word_match import fold, folded_phrases

# Telegram's reaction emoji (the ones a customer can set on a bot's message), by what they say about a reply
APPROVING = frozenset({"👍", "❤", "🔥", "🥰", "👏", "😁", "🎉", "🤩", "🙏", "👌", "😍", "❤‍🔥", "💯", "🤣", "⚡", "🏆",
                       "🤝", "🤗", "🫡", "🆒", "💘", "😘", "😎", "😇", "🕊", "🍾"})
DISAPPROVING = frozenset({"👎", "🤬", "😢", "🤮", "💩", "🤡", "🥱", "💔", "🤨", "😐", "🖕", "😭", "😡"})
# The reason of a handoff the customer asked for by disapproving of the bot's answer
DISLIKED_ANSWER = "disliked_answer"


def reaction_verdict(emojis: Iterable[str]) -> int:
    """1 when the reaction approves of the reply (👍, ❤, 🔥...), -1 when it disapproves (👎, 😡, 💩...), 0 when it
    says neither (🤔, 👀, or no reaction left). Disapproval wins in a mixed reaction: a customer who puts 👎
    anywhere is not satisfied."""
    said = {emoji.replace("\ufe0f", "") for emoji in emojis}
    if said & DISAPPROVING:
        return -1
    return 1 if said & APPROVING else 0


# The reason of a handoff the customer asked for by writing that the bot's answer did not help
ANSWER_DID_NOT_HELP = "answer_did_not_help"
# Words saying an answer did not help (folded whole words, anywhere in a short message): "перезагрузил, не помогло",
# "всё равно не работает", "işe yaramadı", "still not working", "I already restarted the router twice"; thanks for
# help that failed ("спасибо за ничего", "thanks for nothing").
_DID_NOT_HELP = tuple(f" {phrase} " for phrase in folded_phrases(
    # ru
    "не помогло", "не помогает", "не помог", "не помогли", "ничего не помогло", "не сработало", "не заработало",
    "так и не заработал", "всё равно не работает", "все равно не работает", "всё ещё не работает",
    "по прежнему не работает", "опять не работает", "не получилось", "это не помогло",
    "это не то", "вы не поняли", "не ответили на вопрос", "не ответ на мой вопрос", "за ничего",
    "потратили моё время", "помогли так помогли", "ничем не помогли", "никак не помогли", "толку ноль",
    "толку никакого", "бесполезно", "бесполезный", "бесполезная", "бесполезные", "за отписку", "отписка",
    "всё так же", "все так же", "всё то же самое", "все то же самое",
    "без изменений", "ничего не изменилось", "не изменилось", "ничего не поменялось",
    # having done already what the answer says ("я уже перезагружал роутер"): it did not help, or they would not say
    "уже перезагружал", "уже перезагружала", "уже перезагружали", "уже перезагрузил", "уже перезагрузила",
    "уже пробовал", "уже пробовала", "уже пробовали", "уже делал", "уже делала", "уже сделал", "уже сделала",
    "уже всё сделал", "уже все сделал", "уже всё сделала", "уже все сделала", "уже всё перепробовал",
    "уже все перепробовал", "уже всё перепробовала", "уже все перепробовала", "пробовал уже", "делал уже",
    # tr
    "işe yaramadı", "yaramadı", "yardımcı olmadı", "yine olmadı", "maalesef olmadı", "düzelmedi", "çözülmedi",
    "hâlâ çalışmıyor", "hala çalışmıyor", "yine çalışmıyor", "hâlâ olmuyor", "hala olmuyor",
    "sorumu cevaplamadınız", "beni anlamadınız", "işe yaramadınız", "zaman kaybı", "vaktimi boşa",
    "yardımcı olmadınız", "boşuna", "hâlâ aynı", "hala aynı", "yine aynı", "aynı sorun",
    "değişen bir şey yok", "hiçbir şey değişmedi", "bir şey değişmedi",
    "zaten yaptım", "zaten denedim", "zaten yeniden başlattım", "zaten kapatıp açtım", "yaptım zaten",
    "denedim zaten",
    # en
    "didn't help", "did not help", "doesn't help", "does not help", "didn't work", "did not work",
    "already restarted", "already rebooted", "already tried", "already did that", "already done that",
    "tried that already", "did that already", "already unplugged",
    "still not working", "still doesn't work", "still does not work", "not working still", "no luck",
    "that's not it", "not helpful", "you didn't answer", "that's not what i asked", "didnt help", "didnt work",
    "for nothing", "wasting my time", "wasted my time", "waste of time", "useless", "no help at all", "of no help",
    "still the same", "same problem", "same issue", "nothing changed", "still happening",
))
_SHORT = 12  # words at most: a longer message says more than a verdict, and is read as a question of its own
# Words saying something goes on ("перезагрузил, всё ещё тормозит", "modemi yeniden başlattım ama hâlâ yavaş", "i
# already restarted it, still dropping"; but "спасибо, до сих пор всё работает отлично" too)
_STILL = tuple(f" {phrase} " for phrase in folded_phrases(
    "всё ещё", "все еще", "по прежнему", "до сих пор", "hâlâ", "hala", "halen", "still"))


def _said(text: str) -> str | None:
    """A short message's folded words between spaces (whole words: a phrase is found between spaces), else None."""
    words = fold(text)
    return f" {' '.join(words)} " if words and len(words) <= _SHORT else None


def says_it_did_not_help(text: str) -> bool:
    """Whether a short message says the answer before it did not help ("увы, не помогло", "işe yaramadı")."""
    said = _said(text)
    return said is not None and any(phrase in said for phrase in _DID_NOT_HELP)


def says_it_goes_on(text: str) -> bool:
    """Whether a short message that asks nothing says something goes on ("всё ещё тормозит", "hâlâ yavaş", "still
    dropping"): after an answer, that it did not help, unless it reads pleased ("до сих пор всё работает отлично":
    handlers.router)."""
    said = _said(text)
    return said is not None and "?" not in text and any(phrase in said for phrase in _STILL)


# The reason of a handoff the customer asked for by writing that they did not understand the bot's answer
ANSWER_UNCLEAR = "answer_unclear"
# Words asking what the answer meant, the whole message but for a "please", a "sorry" or a "hmm" (folded): "не понял",
# "а подробнее?", "anlamadım", "what do you mean?"
_UNCLEAR = folded_phrases(
    # ru
    "не понял", "не поняла", "не понятно", "непонятно", "ничего не понял", "ничего не поняла", "ничего не понятно",
    "не понимаю", "в смысле", "в каком смысле", "что это значит", "что значит", "это как", "как это", "подробнее",
    "а подробнее", "можно подробнее", "поподробнее", "а поподробнее", "можно поподробнее", "объясните",
    "объясните подробнее", "можете объяснить", "поясните", "не понял вас", "не поняла вас", "что", "а", "чего",
    "почему", "а почему", "но почему", "зачем", "а зачем",
    # tr
    "anlamadım", "hiçbir şey anlamadım", "anlamadım ne demek", "ne demek", "ne demek istiyorsunuz", "nasıl yani",
    "yani", "daha ayrıntılı", "daha detaylı", "detaylı anlatır mısınız", "açıklar mısınız", "açıklayabilir misiniz",
    "ne", "neden", "niye", "niçin", "ama neden",
    # en
    "what", "what do you mean", "i don't understand", "i dont understand", "i don't get it", "i dont get it",
    "don't understand", "not clear", "unclear", "more details", "more detail", "can you explain", "explain",
    "explain please", "what does that mean", "meaning", "huh", "why", "but why", "how so",
)

_FILLERS = PLEASE | folded_phrases("извините", "простите", "ну", "эм", "хм", "pardon", "sorry", "hmm", "um")


def says_it_is_unclear(text: str) -> bool:
    """Whether the message only asks what the answer before it meant ("не понял", "а подробнее?", "ne demek?")."""
    words = [word for word in fold(text) if word not in _FILLERS]
    return bool(words) and " ".join(words) in _UNCLEAR


# Reasons of the decisions on a typed answer to the rating question (a moderator resolved the thread, the bot asked
# "Вы довольны решением?" and the customer wrote back instead of pressing a button)
RATED_SATISFIED = "rated_satisfied"
NOT_RESOLVED = "not_resolved"  # a handoff reason: the customer says the resolution did not solve it
# Whole answers (folded; a "please" or a "thanks" may go with them)
_SATISFIED = folded_phrases(
    "да", "да спасибо", "спасибо да", "доволен", "довольна", "да доволен", "да довольна", "очень доволен",
    "очень довольна", "всё хорошо", "все хорошо", "всё отлично", "все отлично", "отлично", "решено", "решили",
    "да решили", "помогло", "да помогло", "всё решили", "все решили", "всё решено", "все решено",
    "evet", "evet teşekkürler", "memnunum", "evet memnunum", "çok memnunum", "çözüldü", "evet çözüldü",
    "yes", "yes thanks", "yes thank you", "satisfied", "very satisfied", "yes satisfied", "all good", "solved",
    "it's solved", "yes it's solved", "it helped",
)
_NOT_SATISFIED = folded_phrases(
    "нет", "не доволен", "не довольна", "нет не доволен", "нет не довольна", "не решено", "не решили",
    "нет не решили", "нет не решено", "ничего не решили", "ничего не решено",
    "hayır", "memnun değilim", "hayır memnun değilim", "çözülmedi", "hayır çözülmedi", "çözmediniz",
    "no", "not satisfied", "no not satisfied", "not really", "not solved", "no it's not solved", "it's not solved",
)
_VERDICTS = _SATISFIED | _NOT_SATISFIED
_ASIDE = folded_phrases("спасибо", "пожалуйста", "teşekkürler", "teşekkür ederim", "lütfen", "thanks", "thank you",
                        "please")


# Words saying the resolution worked, anywhere in a short answer that asks nothing ("Да, заработало, спасибо!", "всё
# работает", "evet düzeldi", "it's working now"): the commonest typed answers, and neither "да" nor "спасибо" alone;
# after a negation they say it did not ("так и не работает", "isn't working": "t")
_WORKED = folded_phrases(
    "заработало", "заработал", "заработала", "заработали", "работает", "работают", "починили", "исправили",
    "наладилось", "наладили", "решилось", "появился", "появилось", "вернули",
    "düzeldi", "düzelmiş", "çalışıyor", "halloldu", "hallolmuş", "hallettiniz",
    "works", "working", "fixed", "sorted", "resolved", "helped",
)
_NEGATIONS = folded_phrases("не", "ни", "not", "t", "never")
_NOT_WORKING = folded_phrases("çalışmıyor", "düzelmedi", "hallolmadı", "olmadı")  # Turkish says "not" in the verb
PLEASED_RATING = 0.5  # a "да, …" the classifier reads this positive answers the rating question satisfied
_YES = folded_phrases("да", "ага", "угу", "конечно", "evet", "tabii", "yes", "yeah", "yep", "yup", "sure")
# Words that take a "да" or a "работает" back: a negation, a "but" ("да, но всё ещё медленно"), a sneer ("да уж,
# помогли", "ага, щас")
_TAKEN_BACK = _NEGATIONS | folded_phrases(
    "нет", "но", "однако", "только", "уж", "щас", "ну", "değil", "ama", "fakat", "ancak", "sadece", "no", "but",
    "though", "only", "however")


def _says_it_worked(text: str, pleased: bool) -> bool | None:
    """Whether a short answer that asks nothing says the resolution worked (one of _WORKED), or says "да" and reads
    pleased ("да, всё супер!"), with no word that takes it back: True; False when it says it did not work ("так и
    не заработало", "çalışmıyor"); None when it says neither."""
    words = fold(text)
    if not words or len(words) > _SHORT or "?" in text:
        return None
    if any(word in _NOT_WORKING or (word in _WORKED and at and words[at - 1] in _NEGATIONS)
           for at, word in enumerate(words)):
        return False
    if any(word in _TAKEN_BACK for word in words):
        return None
    return True if any(word in _WORKED for word in words) or (words[0] in _YES and pleased) else None


def typed_rating(text: str, pleased: bool = False) -> bool | None:
    """A typed answer to the rating question: True satisfied ("да, спасибо", "evet", "all good", 👍, "да, всё
    заработало", a cheer, "Супер!", and "да, всё супер!" when the classifier reads the message `pleased`), False
    not ("нет", "не решили", "hayır", "не помогло", 👎), None when the message says something else (a new
    question)."""
    emoji = [ch for ch in text if not ch.isspace() and ch != "\ufe0f"]
    if emoji and all(ch in APPROVING or ch in DISAPPROVING for ch in emoji):
        return reaction_verdict(emoji) > 0
    words = " ".join(fold(text))
    for aside in _ASIDE:
        if words.endswith(" " + aside) and words[:-len(aside) - 1] in _VERDICTS:
            words = words[:-len(aside) - 1]
    if words in _SATISFIED:
        return True
    if words in _NOT_SATISFIED or says_it_did_not_help(text):
        return False
    if reaction(text) == CHEERS:  # "Супер!", "Молодцы!", "Harika!"
        return True
    return _says_it_worked(text, pleased)
