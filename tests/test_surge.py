"""Negative surges: many customers unhappy about one thing at once reach the moderators as one alert, when the
surge starts and as it doubles; each customer is still answered as usual."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.cli import main
from bot.config import ConfigError, load_config
from bot.desk import ModeratorDesk
from bot.inbox import run_inbox
from bot.local_channel import LocalSender
from bot.pipeline import Outcome
from handlers.argument_base import load_argument_base
from handlers.surge import SurgePolicy, Unhappy, new_topic, signature, worth_announcing
from handlers.surge_words import name_stems, subject_words, written_form
from handlers.types import Platform, utcnow
from tests.conftest import SAMPLE_KB, MessageFactory, write_config

# Wider margins than the defaults around the figures the messages below score (int8 kernels move them a little by
# CPU): every complaint lands on `outage`, and the mild one is answered by the bot, not handed to a person.
SURGE = ("\n[brands.negative_surge]\ncustomers = 3\nwindow_minutes = 30\n"
         "\n[brands.thresholds]\nintent = 0.4\nnegative_handoff = 0.95\n")
OUTAGE = [  # the sample base's `outage` entry, each from another customer and unhappy
    "Интернет не работает третий день, когда вы уже почините?",
    "У меня тоже пропал интернет с самого утра, что случилось?",
    "нет интернета уже два часа, ужас",
    "Опять нет интернета! Сколько можно?",
    "С утра не работает интернет, когда починят?",
    "Internet is down again, this is terrible",
    "internetim yok, rezalet!",
]
MILD = "интернета нет, подскажите что делать"


async def _started(tmp_path: Path, brand_extra: str) -> AsyncIterator[App]:
    application = await App.start(load_config(write_config(tmp_path, brand_extra=brand_extra)), seed=7,
                                  senders={Platform.LOCAL: LocalSender()})
    yield application
    await application.close()


@pytest.fixture
async def surge_app(tmp_path: Path) -> AsyncIterator[App]:
    async for application in _started(tmp_path, SURGE):
        yield application


@pytest.fixture
async def three_customers_app(tmp_path: Path) -> AsyncIterator[App]:
    """Surges of 3 customers, the sample brand's thresholds otherwise."""
    async for application in _started(tmp_path, "\n[brands.negative_surge]\ncustomers = 3\n"):
        yield application


def test_a_surge_is_announced_as_it_starts_then_each_time_it_doubles() -> None:
    policy = SurgePolicy(customers=5)
    assert next(n for n in range(1, 25) if worth_announcing(n, 0, policy)) == 5
    assert not worth_announcing(9, 5, policy) and worth_announcing(10, 5, policy)
    assert not worth_announcing(19, 10, policy) and worth_announcing(20, 10, policy)
    assert not worth_announcing(50, 0, SurgePolicy(customers=0))  # turned off


async def test_customers_unhappy_about_one_entry_make_one_surge_announced_as_it_grows(
    surge_app: App, message: MessageFactory
) -> None:
    app = surge_app

    async def complain(i: int, **kwargs: object) -> Outcome:
        outcome = await app.pipeline.handle(message(OUTAGE[i], customer=f"surge{i}", **kwargs))
        assert outcome is not None and outcome.decision.entry_id == "outage"
        return outcome

    # two customers 40 minutes ago: outside the 30-minute window by now
    for i in (0, 1):
        assert (await complain(i, sent_at=utcnow() - timedelta(minutes=40))).surge is None
    for _ in range(2):  # mildly unhappy, answered by the bot: twice from one customer is one customer
        mild = await app.pipeline.handle(message(MILD, customer="surge2"))
        assert mild is not None and mild.decision.entry_id == "outage" and mild.decision.reason == "intent"
        assert mild.surge is None
    assert (await complain(4)).surge is None  # two customers in the window
    started = (await complain(5)).surge
    assert started is not None and started.entry_id == "outage" and started.customers == 3
    assert [text for _, text in started.latest] == [OUTAGE[5], OUTAGE[4], MILD]  # newest first
    assert (await complain(6)).surge is None  # 4: not yet twice as many as announced
    more = await app.pipeline.handle(message(OUTAGE[0], customer="surge7"))
    assert more is not None and more.surge is None
    grown = await app.pipeline.handle(message(OUTAGE[1], customer="surge8"))
    assert grown is not None and grown.surge is not None
    assert grown.surge.id == started.id and grown.surge.customers == 6  # everyone since the surge began

    # each customer was still answered (here: handed to a person, as very unhappy); moderators see the surge
    assert grown.decision.reply_text
    desk = ModeratorDesk(app.storage, "volna", argument_base=lambda: load_argument_base(SAMPLE_KB))
    [listed] = await desk.surges()
    assert listed["customers"] == 6 and listed["topic"] == "Интернета нет совсем"
    assert await ModeratorDesk(app.storage, "another-brand").surges() == []
    # the forum shows what it has not shown yet, once
    [unshown] = await app.storage.surges_not_shown("volna", utcnow() - timedelta(hours=1), 0.5)
    assert unshown.customers == 6
    await app.storage.surge_shown(unshown.id, unshown.customers)
    assert await app.storage.surges_not_shown("volna", utcnow() - timedelta(hours=1), 0.5) == []


async def test_a_complaint_the_bot_was_unsure_of_counts_on_the_intent_heads_likeliest_entry(
    three_customers_app: App, message: MessageFactory
) -> None:
    app = three_customers_app
    unsure = await app.pipeline.handle(message("пропал интернет, что делать?", customer="unsure"))
    assert unsure is not None and unsure.decision.entry_id is None  # handed to a person, unsure ...
    assert unsure.decision.suggestions[0] == "outage"  # ... with the outage entry offered first
    assert 0.3 <= unsure.decision.scores["intent"] < 0.5
    for i in (0, 2):
        last = await app.pipeline.handle(message(OUTAGE[i], customer=f"sure{i}"))
    assert last is not None and last.surge is not None and last.surge.customers == 3
    assert "пропал интернет, что делать?" in [text for _, text in last.surge.latest]


async def test_a_happy_message_and_a_campaign_do_not_make_a_surge(surge_app: App, message: MessageFactory) -> None:
    app = surge_app
    for i, text in enumerate(["Спасибо, интернет снова работает, вы молодцы!", "Всё починили, спасибо!",
                              "Интернет заработал, спасибо за быструю помощь"]):
        outcome = await app.pipeline.handle(message(text, customer=f"happy{i}"))
        assert outcome is not None and outcome.surge is None
    from tests.test_directed import TEMPLATE

    for i, text in enumerate(TEMPLATE):
        outcome = await app.pipeline.handle(message(text, customer=f"paid{i}", is_public=True, chat_id="wall-1"))
        assert outcome is not None and outcome.surge is None
    assert await app.storage.surges("volna", utcnow() - timedelta(hours=1)) == []


async def test_scammers_angry_words_make_no_surge_and_no_campaign(surge_app: App, message: MessageFactory) -> None:
    """Scammers posing as the support (handlers.spam) copy an angry customer's words and call readers off the page:
    hidden, they are nobody's mood, surge or campaign."""
    app = surge_app
    for i in range(4):
        outcome = await app.pipeline.handle(message(
            f"Ужасный провайдер, интернет опять пропал! Вернём деньги за простой: напишите нам в телеграм "
            f"@volna_refund_{i}", customer=f"scam{i}", is_public=True, chat_id="wall-1"))
        assert outcome is not None and outcome.decision.reason == "impersonation"
        assert outcome.analysis.sentiment["negative"] >= 0.5  # read as unhappy ...
        assert outcome.surge is None and outcome.campaign is None  # ... and counted as nobody's
    assert await app.storage.surges("volna", utcnow() - timedelta(hours=1)) == []
    assert await app.storage.count("messages", "words IS NOT NULL") == 0


def test_the_local_inbox_and_stats_show_a_surge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(write_config(tmp_path, brand_extra=SURGE))
    for i, text in enumerate(OUTAGE[:3]):
        monkeypatch.setattr("sys.stdin", io.StringIO(text + "\n"))
        assert main(["--config", config, "chat", "--brand", "volna", "--customer", f"local{i}"]) == 0
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["--config", config, "inbox", "--brand", "volna"]) == 0
    listing = json.loads(capsys.readouterr().out.splitlines()[0])
    assert [(s["entry_id"], s["customers"], s["topic"]) for s in listing["surges"]] == [
        ("outage", 3, "Интернета нет совсем")]
    assert main(["--config", config, "stats", "--brand", "volna"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["negative_surges"] == 1



async def test_the_terminal_inbox_reads_the_surge_in_the_brands_language(
    surge_app: App, message: MessageFactory
) -> None:
    for i, text in enumerate(OUTAGE[:3]):
        await surge_app.pipeline.handle(message(text, customer=f"term{i}"))
    desk = ModeratorDesk(surge_app.storage, "volna", argument_base=lambda: load_argument_base(SAMPLE_KB))
    out = io.StringIO()
    [surge] = await desk.surges()
    await run_inbox(desk, "maria", stdin=io.StringIO(f"notify {surge['surge']} {{name}}, авария устранена, "
                                                     "интернет работает.\nquit\n"),
                    stdout=out, interactive=True, language="ru", timezone="Europe/Moscow")
    [line] = [line for line in out.getvalue().splitlines() if line.startswith("📈")]
    assert line.startswith("📈 Всплеск недовольства: Интернета нет совсем — 3 клиентов с ") and "(UTC+3)" in line
    assert line.endswith(f"(notify {surge['surge']} ТЕКСТ — сообщить решение каждому)")
    # what was done, to each of the surge's customers, with their name
    assert "inbox> maria сообщил(а) решение клиентам: 3." in out.getvalue().splitlines()
    told = await surge_app.storage.fetch("SELECT text FROM outbox WHERE kind = 'moderator'")
    assert told == [("Анна, авария устранена, интернет работает.",)] * 3


def test_bad_negative_surge_settings_are_config_errors(tmp_path: Path) -> None:
    for table, problem in (("customers = 1", "at least 2"), ("window_minutes = 0", "between 1 and 1440"),
                           ("new_topics = 1", "must be bool"), ("typo = 1", "typo")):
        path = write_config(tmp_path, brand_extra=f"\n[brands.negative_surge]\n{table}\n")
        with pytest.raises(ConfigError, match=problem):
            load_config(path)
    off = load_config(write_config(tmp_path, brand_extra="\n[brands.negative_surge]\ncustomers = 0\n"))
    assert not off.brand("volna").policy.surge.enabled
    on_entries_only = load_config(write_config(tmp_path, brand_extra="\n[brands.negative_surge]\nnew_topics = false\n"))
    assert on_entries_only.brand("volna").policy.surge.enabled
    assert not on_entries_only.brand("volna").policy.surge.new_topics


# A new problem the sample base has no entry for: an advert customers find offensive, each in their own words.
ADVERT = [
    "Кто придумал эту рекламу? Оскорбительно для женщин",
    "Уберите эту мерзкую рекламу, стыдно за вас",
    "Отвратительная реклама, как вам не стыдно",
    "Ваша реклама в метро оскорбляет людей, снимите её",
    "Ваша реклама унижает пожилых людей, требую извинений",
]


def test_a_messages_subject_words_are_its_stems_without_words_that_say_nothing_of_a_subject() -> None:
    assert subject_words(ADVERT[0], "ru") == ("женщин", "оскорбительн", "придума", "реклам")
    assert "реклам" in subject_words(ADVERT[2], "ru")  # another form, one stem
    assert subject_words("Что у вас случилось? Ужас какой-то, кошмар, сколько можно!", "ru") == ()
    # words of asking name nothing: "Подскажите, что делать?" after a question read alone lay near some entry
    assert subject_words("Подскажите, что делать?", "ru") == subject_words("Ne yapmam lazım?", "tr") == ()
    assert subject_words("Ne yapmalıyım?", "tr") == subject_words("Can you tell me what to do?", "en") == ()
    # ... nor words of seeing, finding or wanting
    assert subject_words("And where can I see my balance?", "en") == subject_words("I want to know my balance",
                                                                                   "en") == ("balanc",)
    assert subject_words("Хочу узнать, где посмотреть баланс", "ru") == ("баланс",)
    assert subject_words("Bakiyemi öğrenmek istiyorum", "tr") == ("bakiye",)
    # the brand's own name is in complaints about anything
    assert subject_words("Волна, ваше приложение опять вылетает", "ru", name_stems("volna", "Волна")) == (
        "вылета", "приложен")
    # Turkish letters folded: "çirkin" and "cirkin" are one word; English stemmed as English
    assert "cirk" in subject_words("Reklamınız çok çirkin", "tr")
    assert subject_words("Your new advert is offensive, take it down!", "en") == ("advert", "down", "offens", "take")
    # a handle made of the brand's name, links and addresses are no subject
    assert subject_words("@volnahelp тарифы подорожали https://t.co/x1 pishite@volna.ru", "ru",
                         name_stems("volna")) == ("подорожа", "тариф")
    assert written_form(["реклама ужас", "уберите рекламу", "эту рекламу!"], "реклам") == "рекламу"
    assert written_form([], "реклам") == "реклам"  # texts erased: the stem


def test_a_surge_on_a_word_needs_enough_customers_more_than_usual_and_not_mostly_on_one_entry() -> None:
    policy = SurgePolicy(customers=3, window_minutes=30)
    now = utcnow()

    def unhappy(n: int, word: str, minutes_ago: float, topic: str | None = None, first: int = 0) -> list[Unhappy]:
        return [Unhappy(f"c{first + i}", now - timedelta(minutes=minutes_ago), frozenset({word, f"own{first + i}"}),
                        topic) for i in range(n)]

    assert new_topic(unhappy(3, "реклам", 5), ["реклам", "own0"], now, policy) == "реклам"
    assert new_topic(unhappy(2, "реклам", 5), ["реклам"], now, policy) is None  # two customers
    assert new_topic(unhappy(3, "реклам", 40), ["реклам"], now, policy) is None  # outside the window
    # one customer three times is one customer
    assert new_topic([*unhappy(1, "реклам", 5)] * 3, ["реклам"], now, policy) is None
    # a word as many customers used in a window yesterday is not news; twice as many is
    yesterday = unhappy(2, "реклам", 24 * 60, first=10)
    assert new_topic(yesterday + unhappy(3, "реклам", 5), ["реклам"], now, policy) is None
    assert new_topic(yesterday + unhappy(4, "реклам", 5), ["реклам"], now, policy) == "реклам"
    assert new_topic(unhappy(2, "реклам", 8 * 24 * 60, first=10) + unhappy(3, "реклам", 5), ["реклам"], now,
                     policy) == "реклам"  # over a week ago: forgotten
    # mostly about one entry: that entry's surge (handlers.surge.topic_of); spread over entries: a new problem
    assert new_topic(unhappy(3, "интернет", 5, "outage"), ["интернет"], now, policy) is None
    assert new_topic(unhappy(2, "интернет", 5, "outage") + unhappy(2, "интернет", 5, first=5), ["интернет"], now,
                     policy) == "интернет"
    # of the message's words, the one most customers used
    both = unhappy(3, "реклам", 5) + unhappy(4, "метро", 5, first=5)
    assert new_topic(both, ["метро", "реклам"], now, policy) == "метро"
    assert new_topic(unhappy(3, "реклам", 5), ["реклам"], now, SurgePolicy(3, 30, new_topics=False)) is None
    # one event, one alert: a recent surge's word is taken, and so is news that its words come with
    assert new_topic(unhappy(3, "реклам", 5), ["реклам"], now, policy, taken=frozenset({"реклам"})) is None
    prices = [Unhappy(f"p{i}", now, frozenset({"цен", "тариф"} if i < 2 else {"цен"})) for i in range(6)]
    assert new_topic(prices, ["цен"], now, policy) == "цен"
    assert new_topic(prices, ["цен"], now, policy, taken=frozenset({"подорожа"}),
                     related=frozenset({"подорожа", "тариф"})) is None  # 2 of 6 use the surge's words
    assert new_topic(prices, ["цен"], now, policy, taken=frozenset({"подорожа"}),
                     related=frozenset({"подорожа", "метро"})) == "цен"
    assert signature(prices) == frozenset({"цен"}) and signature(prices[:2]) == frozenset({"цен", "тариф"})


async def test_customers_unhappy_about_something_the_base_does_not_cover_make_a_surge_on_their_word(
    three_customers_app: App, message: MessageFactory
) -> None:
    app = three_customers_app
    happy = await app.pipeline.handle(message("Классная у вас новая реклама, очень понравилась!", customer="fan"))
    assert happy is not None and happy.surge is None
    outcomes = []
    for i, text in enumerate(ADVERT):
        outcome = await app.pipeline.handle(message(text, customer=f"advert{i}"))
        assert outcome is not None
        outcomes.append(outcome)
        again = await app.pipeline.handle(message(text + "!!!", customer=f"advert{i}"))  # once per customer
        assert again is not None and again.surge is None
    assert [o.surge is not None for o in outcomes] == [False, False, True, False, False]
    started = outcomes[2].surge
    assert started is not None and started.entry_id == "" and started.word == "рекламу"
    assert started.customers == 3 and started.latest[0][1] == ADVERT[2]
    # each customer was still handled as usual
    assert all(o.decision.reply_text for o in outcomes)
    desk = ModeratorDesk(app.storage, "volna", argument_base=lambda: load_argument_base(SAMPLE_KB))
    listed = [s for s in await desk.surges() if s["entry_id"] == ""]
    assert [(s["word"], s["topic"], s["customers"]) for s in listed] == [("рекламу", "рекламу", 5)]
    out = io.StringIO()
    await run_inbox(desk, "maria", stdin=io.StringIO("quit\n"), stdout=out, interactive=True, language="en")
    assert "📈 Negative surge (not in the argument base): “рекламу”, 5 customers since " in out.getvalue()
    [shown] = [s for s in await app.storage.surges_not_shown("volna", utcnow() - timedelta(hours=1), 0.5)
               if s.entry_id == ""]
    assert shown.word == "рекламу" and shown.customers == 3  # announced at 3; again at 6


def test_the_word_surge_benchmark_finds_the_event_in_a_stream_of_complaints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks.word_surges import main as bench

    folder = tmp_path / "sentirueval2015_banks_telecom" / "derived_tsv"
    folder.mkdir(parents=True)
    start = 1_406_224_555
    rows = [(start + 60 * i, text, "negative") for i, text in enumerate(
        ["Опять сбой связи!", "Сбой у Мегафона, сети нет", "Какой сбой, уже час без звонков", "Когда закончится сбой?",
         "Сбой по всей Москве"])]
    rows += [(start + 3600 * (i + 1), text, "negative") for i, text in enumerate(
        ["Мегафон, верните деньги за роуминг", "Билайн списал за подписку", "МТС, где мой перевод?"])]
    rows += [(start + 10, "Сбой? У меня всё работает, спасибо", "positive")]
    (folder / "telecoms_train.tsv").write_text("twitid\tdate\ttext\ttweet_label\n" + "".join(
        f"{i}\t{at}\t{text}\t{label}\n" for i, (at, text, label) in enumerate(rows)), encoding="utf-8")
    assert bench(["--data-dir", str(tmp_path)]) == 0
    figures = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert figures["messages"] == 8 and figures["surges"] == 1 and figures["words"] == [["сбой", 5]]
    assert bench(["--data-dir", str(tmp_path / "missing")]) == 2
