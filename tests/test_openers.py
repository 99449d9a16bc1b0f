"""A message that only announces a question ("у меня проблема", "bir sorum var") is met with an invitation to tell
it, not handed to a person who would only ask for it; the question that follows is answered."""

from __future__ import annotations

import random

import pytest

from bot.app import App
from handlers.argument_base import load_argument_base
from handlers.openers import ATTENTION, OPENER, PROMPT, is_opener
from handlers.policy import BrandPolicy
from handlers.router import decide
from handlers.texts import TEXTS
from handlers.types import Action, Analysis, Conversation, ConversationState, Decision, IncomingMessage, Platform
from tests.conftest import SAMPLE_KB, MessageFactory

BASE = load_argument_base(SAMPLE_KB)


@pytest.mark.parametrize("text", ["у меня проблема", "Здравствуйте, у меня вопрос!", "Добрый день! Помогите, "
                                  "пожалуйста", "есть кто-нибудь?", "можно задать вопрос?", "Merhaba, bir sorum var",
                                  "Yardım edin lütfen", "bir şey sorabilir miyim?", "Hi, can I ask you something?",
                                  "I've got a question", "HELP!!!", "помогитееее", "у меня ещё вопрос",
                                  "Можно еще вопрос?", "bir sorum daha var", "One more question",
                                  "ау, вы где?", "вы на связи?", "neredesiniz?", "Is anybody there?", "???", "...",
                                  "…", "?!", "can u help me pls", "Can anyone help?",
                                  # calls to be answered, as a first message: a person would only ask what it is
                                  "Кто-нибудь ответит?", "Есть кто живой?", "Cevap verin lütfen", "Anyone?",
                                  "Will anyone answer?"])
def test_openers(text: str) -> None:
    assert is_opener(text)


@pytest.mark.parametrize("text", ["у меня проблема с интернетом", "помогите подключить интернет", "Здравствуйте",
                                  "вопрос по тарифу", "bir sorum var: fatura neden yüksek?", "help me pay my bill",
                                  "вопрос решён, спасибо", "", "!!!", "+", "где вы находитесь?",
                                  "Кто-нибудь ответит, почему нет интернета?", "Does anyone know the wifi password?"])
def test_not_openers(text: str) -> None:
    assert not is_opener(text)


def _decide(text: str, analysis: Analysis, last_reply_key: str | None = None) -> Decision:
    conversation = Conversation(1, "volna", Platform.LOCAL, "c", "Анна", ConversationState.BOT, "ru")
    message = IncomingMessage(Platform.LOCAL, "volna", "c", "1", "c", text, "Анна")
    return decide(message, conversation, analysis, None, BASE, BrandPolicy(), [], random.Random(0),
                  last_reply_key=last_reply_key)


def test_an_opener_is_invited_once_then_goes_to_a_person() -> None:
    upset = Analysis("ru", {"negative": 0.9, "neutral": 0.05, "positive": 0.05}, out_of_scope=True)
    invited = _decide("у меня проблема", upset)  # however upset: a person would only ask what happened
    assert (invited.action, invited.reason, invited.entry_id) == (Action.ANSWER, OPENER, None)
    phrasings = TEXTS[PROMPT]["ru"]
    assert invited.reply_text in phrasings
    assert invited.phrasing_key == f"{PROMPT}:ru:{phrasings.index(invited.reply_text)}"
    again = _decide("помогите", upset, last_reply_key=invited.phrasing_key)  # cannot put it in words: a person
    assert again.action is Action.HANDOFF
    # whatever entry lies near: "у меня ещё вопрос" after an answer got the goodbye entry's "Всего доброго!"
    another = _decide("у меня ещё вопрос", Analysis("ru", intents={"goodbye": 0.8}))
    assert (another.action, another.reason, another.entry_id) == (Action.ANSWER, OPENER, None)
    # unless the base answers openers with that entry: the sample's greetings list "доброе утро, можно вопрос?"
    greeted = _decide("есть кто?", Analysis("ru", intents={"greeting": 0.9}))
    assert (greeted.action, greeted.entry_id) == (Action.ANSWER, "greeting")
    # "???" or "..." alone: whatever entry lies near is noise ("???" after an answer got "Привет! Рады, что
    # написали"; "..." went to a person as an unclear question): invited, then a person
    marks = _decide("???", Analysis("ru", intents={"greeting": 0.9}))
    assert (marks.action, marks.reason, marks.entry_id) == (Action.ANSWER, OPENER, None)
    again = _decide("...", Analysis("ru", intents={"greeting": 0.9}), last_reply_key=marks.phrasing_key)
    assert (again.action, again.entry_id) == (Action.HANDOFF, None)
    # under a post "???" is puzzlement at the post, not a call to support: left as it is
    conversation = Conversation(1, "volna", Platform.LOCAL, "c", "Анна", ConversationState.BOT, "ru")
    comment = IncomingMessage(Platform.LOCAL, "volna", "wall-1_5", "2", "c", "???", "Анна", is_public=True)
    public = decide(comment, conversation, Analysis("ru", intents={"greeting": 0.9}), None, BASE, BrandPolicy(), [],
                    random.Random(0))
    assert (public.action, public.reason, public.reply_text) == (Action.IGNORE, ATTENTION, None)


async def test_the_question_after_an_opener_is_answered_by_the_bot(app: App, message: MessageFactory) -> None:
    """"у меня проблема" was handed to a person ("Хороший вопрос, но не совсем по моей части"), and the
    outage question right after it waited for that person, ignored by the bot."""
    opener = await app.pipeline.handle(message("у меня проблема", customer="burst"))
    assert opener is not None and (opener.decision.action, opener.decision.reason) == (Action.ANSWER, OPENER)
    assert opener.decision.reply_text in TEXTS[PROMPT]["ru"]
    question = await app.pipeline.handle(message("интернет не работает с утра", customer="burst"))
    assert question is not None
    assert (question.decision.action, question.decision.entry_id) == (Action.ANSWER, "outage"), question.decision
    more = await app.pipeline.handle(message("у меня ещё вопрос", customer="burst"))  # after the outage answer
    assert more is not None and (more.decision.reason, more.decision.entry_id) == (OPENER, None)
    turkish = await app.pipeline.handle(message("Merhaba, bir sorum var", customer="burst-tr"))
    assert turkish is not None and turkish.decision.language == "tr"
    assert turkish.decision.action is Action.ANSWER and turkish.decision.reply_text
