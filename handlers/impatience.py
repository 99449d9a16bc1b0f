"""Messages asking where the answer is: "когда ответите?", "сколько ждать?", "ne zaman dönüş yapacaksınız?",
"any update?", "???", "hello??", "ап".

While a thread waits for a person, a follow-up within a few minutes of our last message is left to that person
(handlers.router._still_waiting), so a burst of details does not get a reply to each line. A customer who asks
when they will be answered is different: silence is the answer they fear, so they hear at once that their
request is with a person and when that person will answer.

A customer who says they have waited for support's reply in a thread not waiting for a person ("Ответьте уже в ЛС,
третий день жду" under a post, "Yazdım cevap yok, 2 gündür bekliyorum") waited elsewhere: a private message the brand
missed, an earlier comment, a call. Read as a question, their words lay in the connection-status entry ("Проверим
вашу заявку!"); they hear regret, and a person takes it (`UNANSWERED`).
"""

from __future__ import annotations

from handlers.openers import CALLS, calls_for_attention, without_greeting
from models.word_match import WordList, fold, folded_phrases

# Folded whole words anywhere in a short message, and the calls asking whether anyone is there; a trailing `*` lets
# the last word go on ("игнорите", "игнорируете")
_ASKS = WordList((*CALLS,
    # ru
    "когда ответите", "когда вы ответите", "когда ответят", "когда мне ответят", "когда будет ответ",
    "когда ответ", "когда со мной свяжутся", "когда свяжетесь", "сколько ждать", "сколько ещё ждать",
    "сколько можно ждать", "долго ещё ждать", "долго ждать", "мне ждать", "жду ответа", "всё ещё жду",
    "все еще жду", "до сих пор жду", "ответьте", "ну что там", "что там с моим", "есть новости", "какие новости",
    "кто нибудь", "почему не отвечаете", "почему молчите", "не отвечаете", "игнор*", "где ответ",
    # tr
    "ne zaman dönüş", "ne zaman dönecek*", "ne zaman cevap", "ne zaman yanıt", "ne kadar bekle*", "hala bekliyorum",
    "hâlâ bekliyorum", "bekliyorum", "cevap verin", "cevap ver", "yanıt verin", "kimse yok mu",
    "neden cevap vermiyorsunuz", "cevap yok", "yanıt yok", "haber var mı", "bir gelişme var mı", "gelişme var mı",
    # en
    "when will you reply", "when will you answer", "when will someone", "when will i get", "how long",
    "still waiting", "i'm waiting", "im waiting", "i am waiting", "waiting for an answer", "waiting for a reply",
    "any update*", "any news", "hello anyone", "why no answer", "no answer yet", "no reply yet", "answer me",
    "please reply", "please answer",
))
# A whole message bumping the customer's own comment or request up ("ап", "up" under a post): where is the answer
_BUMPS = folded_phrases("ап", "апну", "апаю", "up", "bump", "up up")
_SHORT = 12  # words at most: a longer message says more than "where is my answer", and waits for the person


def asks_when_answered(text: str) -> bool:
    """Whether a short message asks when a person will answer, or only calls for attention ("???", "ау?", a greeting
    asked, "hello??": it heard the greeting entry's "Hello! Ask me anything" while a person was due)."""
    if calls_for_attention(text):
        return True
    words = fold(text)
    if "?" in text and words and not without_greeting(words):
        return True
    return 0 < len(words) <= _SHORT and (_ASKS.first(words) is not None or " ".join(words) in _BUMPS)


UNANSWERED = "unanswered"  # the reason of the handoff
# Words of having waited for support's reply (folded whole words; a trailing `*` lets the last word go on)
_WAITED = WordList((
    # ru
    "жду ответа", "жду ответ", "ждём ответа", "ждем ответа", "не отвечаете", "никто не ответил", "никто не отвечает",
    "ответьте уже", "ответьте в лс", "ответьте в личку", "ответьте в личке", "почему молчите", "игнорите",
    "игнорируете", "проверьте личку", "проверь личку", "проверьте лс", "без ответа", "так и не ответили",
    # tr
    "cevap yok", "yanıt yok", "cevap vermiyorsunuz", "yanıt vermiyorsunuz", "kimse cevap vermedi",
    "kimse dönmedi", "kimse dönüş yapmadı", "cevap bekliyorum", "yanıt bekliyorum", "dönüş bekliyorum",
    "dönüş yapmadınız", "mesajıma bakın", "mesajlarıma bakın",
    # en
    "waiting for a reply", "waiting for a response", "waiting for an answer", "waiting for your reply",
    "no one answered", "nobody answered", "no one replied", "nobody replied", "no one has replied",
    "nobody has replied", "no one has answered", "nobody has answered", "no reply", "ignoring me", "check your dm*",
    "answer my dm*", "reply to my dm*", "still no answer",
))


def says_unanswered(text: str) -> bool:
    """Whether a message says its customer has waited for support's reply ("жду ответа", "cevap yok", "nobody
    replied")."""
    return _WAITED.first(fold(text)) is not None
