"""A customer who greets before asking hears a greeting back, fit for the hour."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import App
from handlers.greeting_back import greeted_back, greeting_for
from handlers.types import Action, Decision
from tests.conftest import MessageFactory


def test_the_greeting_fits_the_hour_in_each_language() -> None:
    assert [greeting_for("ru", hour) for hour in (9, 14, 20, 2)] == [
        "Доброе утро!", "Добрый день!", "Добрый вечер!", "Здравствуйте!"]
    assert [greeting_for("tr", hour) for hour in (9, 14, 20, 2)] == [
        "Günaydın!", "İyi günler!", "İyi akşamlar!", "Merhaba!"]
    assert greeting_for("en", 20) == "Good evening!" and greeting_for("de", 9) == "Good morning!"


def test_only_a_greeted_answer_or_handoff_gets_a_greeting_before_it() -> None:
    answer = Decision(Action.ANSWER, "intent", "ru", "payment_methods", "Оплатить можно картой.")
    assert greeted_back(answer, "Добрый вечер! Как оплатить картой?", 20).reply_text == (
        "Добрый вечер! Оплатить можно картой.")
    assert greeted_back(answer, "Как оплатить картой?", 20) == answer  # no greeting of theirs
    greeting = Decision(Action.ANSWER, "intent", "ru", "greeting", "Здравствуйте, Анна! Чем помочь?")
    assert greeted_back(greeting, "Здравствуйте", 20) == greeting  # greets already
    waiting = Decision(Action.IGNORE, "human_owns_thread", "ru", reply_text="Добавил ваше сообщение к обращению.")
    assert greeted_back(waiting, "Здравствуйте, ну что там?", 20) == waiting
    # a reply that begins with the customer's name takes it into the greeting
    named = Decision(Action.ANSWER, "intent", "tr", "payment_methods", "Ayşe, internetiniz için kartla ödeyin.")
    assert greeted_back(named, "İyi akşamlar, nasıl öderim?", 20, "Ayşe Yılmaz").reply_text == (
        "İyi akşamlar, Ayşe! İnternetiniz için kartla ödeyin.")
    assert greeted_back(named, "Merhaba, nasıl öderim?", 2, "").reply_text == (
        "Merhaba! Ayşe, internetiniz için kartla ödeyin.")  # no name known: as it is
    # a goodbye is no time to greet: "Привет, пока" heard "Здравствуйте! Всего доброго!"
    goodbye = Decision(Action.ANSWER, "intent", "ru", "goodbye", "Всего доброго! Мы на связи.")
    assert greeted_back(goodbye, "Привет, пока", 20) == goodbye
    assert greeted_back(answer, "Здравствуйте, спасибо, до свидания", 20) == answer
    hidden = Decision(Action.HIDE, "toxic", "ru")
    assert greeted_back(hidden, "Привет, идиоты", 20) == hidden


async def test_a_greeted_question_hears_the_greeting_back(app: App, message: MessageFactory) -> None:
    """"Добрый вечер! Как оплатить картой?" heard the answer alone; the customer's evening is the hour, whatever
    the brand's clock says (here 08:00 UTC)."""
    morning = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    outcome = await app.pipeline.handle(message("Добрый вечер! Как оплатить картой?", customer="gb",
                                                sent_at=morning))
    assert outcome is not None and outcome.decision.entry_id == "payment_methods"
    assert outcome.decision.reply_text is not None and outcome.decision.reply_text.startswith("Добрый вечер! ")
    plain = await app.pipeline.handle(message("Как оплатить картой?", customer="gb2", sent_at=morning))
    assert plain is not None and plain.decision.reply_text is not None
    assert not plain.decision.reply_text.startswith(("Добр", "Здравствуйте"))
