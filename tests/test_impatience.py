import random

from handlers.impatience import UNANSWERED, asks_when_answered, says_unanswered
from handlers.router import decide
from handlers.texts import TEXTS, eta_text, handoff_reason
from handlers.types import Action, Analysis, Conversation, ConversationState, IncomingMessage, Platform
from tests.test_router import BASE, POLICY


def test_asking_when_a_person_answers_is_told_from_a_new_question_in_every_language() -> None:
    asks = ["Когда ответите?", "сколько ещё ждать??", "ну что там с моим вопросом", "АУ", "вы где вообще",
            "почему игнорите", "ne zaman dönüş yapacaksınız?", "hâlâ bekliyorum", "kimse yok mu?",
            "Any updates?", "still waiting for an answer", "how long do I have to wait", "???", "...", "ап", "Up!",
            "bump", "hello??", "Merhaba?", "Здравствуйте??"]
    others = ["а сколько стоит переезд?", "договор 4581203", "роутер мигает красным", "ne kadar ödemem gerek?",
              "how much is the 500 Mbit plan?", "", "спасибо", "привет",
              "Здравствуйте, сколько стоит Оптимум?", "how do I set up the router", "speed up",
              "ответьте пожалуйста почему у меня списали деньги дважды за один месяц и не вернули до сих пор"]
    assert [text for text in asks if not asks_when_answered(text)] == []
    assert [text for text in others if asks_when_answered(text)] == []


def test_words_of_having_waited_for_support_are_told_in_every_language() -> None:
    waited = ["Ответьте уже в ЛС, третий день жду", "Почему не отвечаете в личке? Жду ответа два дня",
              "Я вам писала вчера, никто не ответил", "Админ, проверь личку", "Yazdım cevap yok, 2 gündür bekliyorum",
              "Dün yazdım, kimse dönüş yapmadı", "I've been waiting for a reply in DMs for three days",
              "Nobody replied to my message", "check your DMs please"]
    others = ["Сколько ждать подключения?", "How long does installation take?", "Модем не отвечает",
              "жду мастера с утра", "Teknisyen ne zaman gelecek?", "ответьте пожалуйста, сколько стоит Оптимум",
              "Cevap için teşekkürler"]
    assert [text for text in waited if not says_unanswered(text)] == []
    assert [text for text in others if says_unanswered(text)] == []


def test_a_customer_who_waited_for_support_elsewhere_hears_regret_and_gets_a_person() -> None:
    """"Ответьте уже в ЛС, третий день жду" under a post, no thread of theirs waiting, heard the connection-status
    entry's "Проверим вашу заявку!" (the intent head read it 0.57 so)."""
    for language, text in (("ru", "Ответьте уже в ЛС, третий день жду"),
                           ("tr", "Yazdım cevap yok, 2 gündür bekliyorum"),
                           ("en", "I've been waiting for a reply in DMs for three days")):
        conversation = Conversation(1, "volna", Platform.VK, "c", "Анна", ConversationState.BOT, language)
        message = IncomingMessage(Platform.VK, "volna", "wall-1_5", "1", "c", text, "Анна", is_public=True)
        d = decide(message, conversation, Analysis(language, intents={"connection_status": 0.57}), None, BASE,
                   POLICY, [], random.Random(0))
        assert (d.action, d.reason, d.entry_id) == (Action.HANDOFF, UNANSWERED, "connection_status"), text
        assert d.reply_text in {t.format(eta=eta_text(60, language)) for t in TEXTS["unhappy_handoff"][language]}
        assert d.suggestions[:1] == ("connection_status",)
        assert handoff_reason(UNANSWERED, language) != UNANSWERED
