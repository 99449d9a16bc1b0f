"""Argument-base validation: every problem is reported with file, entry and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from handlers.argument_base import ArgumentBaseError, ArgumentBaseSource, load_argument_base
from tests.conftest import SAMPLE_KB

GOOD = """
entries:
  - id: greeting
    topic: Greeting
    examples: {ru: ["привет"], tr: ["merhaba"], en: ["hello"]}
    answers: {ru: ["Здравствуйте!", "Добрый день, {name}!"], tr: ["Merhaba!", "Selam!"], en: ["Hi!", "Hello, {name}!"]}
"""

# (file content, expected entry, expected field, expected words in the message)
BROKEN: list[tuple[str, str | None, str | None, str]] = [
    ("entries: [\n  - id: x\n    topic: [unclosed\n", None, None, "not valid YAML"),
    ("just a string\n", None, "entries", "top-level 'entries'"),
    ("entries:\n  - 42\n", "#1", None, "mapping"),
    (GOOD.replace("id: greeting", "id: Greeting Entry"), "#1", "id", "snake_case"),
    (GOOD.replace("    topic: Greeting\n", ""), "greeting", "topic", "non-empty"),
    (GOOD.replace('en: ["hello"]', 'en: []'), "greeting", "examples.en", "non-empty list"),
    (GOOD.replace('tr: ["merhaba"], ', ""), "greeting", "examples.tr", "missing"),
    (GOOD.replace('tr: ["Merhaba!", "Selam!"]', 'tr: ["Merhaba!"]'), "greeting", "answers.tr", "at least 2"),
    (GOOD.replace("Добрый день, {name}!", "Добрый день, {customer}!"), "greeting", "answers.ru[1]", "placeholder"),
    (GOOD.replace("    topic: Greeting\n", "    topic: Greeting\n    needs_human: maybe\n"), "greeting",
     "needs_human", "true or false"),
    (GOOD.replace("    topic: Greeting\n", "    topic: Greeting\n    colour: red\n"), "greeting", "colour", "unknown"),
    (GOOD.replace('en: ["hello"]', 'en: ["hello"], de: ["hallo"]'), "greeting", "examples.de", "not one of"),
    (GOOD.replace('en: ["Hi!", "Hello, {name}!"]', 'en: ["Hi!", "Hi!"]'), "greeting", "answers.en", "repeats"),
    (GOOD.replace("    answers:", "    answers_typo:"), "greeting", "answers", "missing"),
    (GOOD.replace("Здравствуйте!", "Вы сами виноваты, роутер надо было перезагрузить."), "greeting", "answers.ru[0]",
     "accuses the customer"),
    (GOOD.replace("Selam!", "Yalan söylüyorsunuz, kayıtlarımız başka."), "greeting", "answers.tr[1]", "accuses"),
    (GOOD.replace("Hi!", "Honestly, you're lyyying."), "greeting", "answers.en[0]", "accuses"),
    (GOOD.replace("Здравствуйте!", "Судя по логам, you are lying."), "greeting", "answers.ru[0]", "accuses"),
    (GOOD + 'out_of_scope: {ru: ["когда дадут горячую воду", ""]}\n', None, "out_of_scope.ru[1]", "non-empty"),
    (GOOD + 'out_of_scope: {de: ["wann kommt das warme Wasser"]}\n', None, "out_of_scope.de", "not one of"),
    (GOOD + 'out_of_scope: {en: ["Hello"]}\n', None, "out_of_scope", "also an example of entry 'greeting'"),
    (GOOD + "faq: []\n", None, "faq", "unknown top-level key"),
    (GOOD + 'directed_negative: {ru: ["Мы проверяем каждое обращение."]}\n', None, "directed_negative.ru",
     "at least 2"),
    (GOOD + 'directed_negative: {ru: ["Мы проверяем каждое обращение.", "Вам заплатили за эти отзывы."]}\n', None,
     "directed_negative.ru[1]", "accuses"),
    (GOOD.replace("topic: Greeting", "topic: {ru: Приветствие, en: ''}"), "greeting", "topic.en", "non-empty"),
    (GOOD.replace("topic: Greeting", "topic: {ru: Приветствие, de: Gruß}"), "greeting", "topic.de", "not one of"),
]


def test_a_topic_per_language_is_read_in_each_and_the_first_stands_for_the_others(tmp_path: Path) -> None:
    """Moderators and the agency's client read an entry's topic in their language; a base may give one topic for
    all, or one per language."""
    (tmp_path / "10.yaml").write_text(GOOD.replace("topic: Greeting", "topic: {tr: Selamlaşma, en: Greeting}"),
                                      encoding="utf-8")
    [entry] = load_argument_base(tmp_path).entries
    assert (entry.topic_in("tr"), entry.topic_in("en"), entry.topic_in("ru"), entry.topic) == (
        "Selamlaşma", "Greeting", "Selamlaşma", "Selamlaşma")  # ru not given: the first of the brand's it has
    (tmp_path / "10.yaml").write_text(GOOD, encoding="utf-8")
    [entry] = load_argument_base(tmp_path).entries
    assert (entry.topic_in("tr"), entry.topic_in(None)) == ("Greeting", "Greeting")
    sample = load_argument_base(SAMPLE_KB).entry("outage")
    assert [sample.topic_in(language) for language in ("ru", "tr", "en")] == [
        "Интернета нет совсем", "İnternet hiç yok", "No internet at all"]


def test_the_brands_answer_to_a_directed_wave_is_prepared_in_its_base(tmp_path: Path) -> None:
    statement = 'directed_negative:\n  ru: ["Мы проверяем каждое обращение.", "Напишите нам в личные сообщения."]\n'
    (tmp_path / "10.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "60.yaml").write_text(statement, encoding="utf-8")
    assert load_argument_base(tmp_path).directed_statement == {
        "ru": ("Мы проверяем каждое обращение.", "Напишите нам в личные сообщения.")}
    (tmp_path / "61.yaml").write_text(statement, encoding="utf-8")
    with pytest.raises(ArgumentBaseError, match=r"61\.yaml: field 'directed_negative': is given in another file too"):
        load_argument_base(tmp_path)


def test_a_file_of_out_of_scope_phrases_only(tmp_path: Path) -> None:
    (tmp_path / "10-entries.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "90-not-ours.yaml").write_text(
        'out_of_scope:\n  ru: ["когда дадут горячую воду", "почему не работает лифт"]\n  en: ["when is the hot'
        ' water back"]\n', encoding="utf-8")
    base = load_argument_base(tmp_path)
    assert [e.id for e in base.entries] == ["greeting"]
    assert base.out_of_scope == ("когда дадут горячую воду", "почему не работает лифт", "when is the hot water back")


def test_answers_that_say_it_is_not_the_customers_fault_and_examples_that_accuse_us_are_fine(tmp_path: Path
                                                                                             ) -> None:
    kind = (GOOD.replace("Здравствуйте!", "Это не ваша вина: сбой был на нашей стороне, мы сами виноваты.")
            .replace("Selam!", "Bu sizin hatanız değil, arıza bizdeydi.")
            .replace("Hi!", "It's not your fault, the outage was ours.")
            .replace("Hello, {name}!", "That wasn't your fault, {name}.")
            .replace('ru: ["привет"]', 'ru: ["привет", "вы врёте, сами виноваты"]'))
    (tmp_path / "kind.yaml").write_text(kind, encoding="utf-8")
    entry = load_argument_base(tmp_path).entry("greeting")
    assert entry.answers["tr"][1] == "Bu sizin hatanız değil, arıza bizdeydi."
    assert "вы врёте, сами виноваты" in entry.examples["ru"]


@pytest.mark.parametrize(("content", "entry", "field", "words"), BROKEN)
def test_each_broken_file_is_reported_with_file_entry_and_field(
    tmp_path: Path, content: str, entry: str | None, field: str | None, words: str
) -> None:
    (tmp_path / "broken.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(ArgumentBaseError) as info:
        load_argument_base(tmp_path)
    problems = info.value.problems
    assert any(
        p.file == "broken.yaml" and p.entry == entry and p.field == field and words in p.message for p in problems
    ), [str(p) for p in problems]


def test_duplicate_ids_across_files_and_binary_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "c.yaml").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ArgumentBaseError) as info:
        load_argument_base(tmp_path)
    text = str(info.value)
    assert "b.yaml: entry 'greeting': field 'id': duplicates the entry in a.yaml" in text
    assert "c.yaml: is not UTF-8 text" in text


def test_empty_or_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ArgumentBaseError, match=r"no \.yaml files"):
        load_argument_base(tmp_path)
    with pytest.raises(ArgumentBaseError, match="is not a folder"):
        load_argument_base(tmp_path / "missing")


def test_sample_brand_has_what_the_issue_asks() -> None:
    base = load_argument_base(SAMPLE_KB)
    ids = {e.id for e in base.entries}
    required = {"greeting", "thanks", "connection_status", "tariffs", "payment_methods", "outage", "slow_speed",
                "router_setup", "moving_house", "refund", "cancel_contract", "contacts_hours", "staff_complaint",
                "human_request"}
    assert required <= ids and len(ids) >= 15
    for entry in base.entries:
        for lang in ("ru", "tr", "en"):
            assert len(entry.examples[lang]) >= 8, (entry.id, lang)
            assert len(entry.answers[lang]) >= 2, (entry.id, lang)


def test_each_phrasing_of_the_sample_brand_answers_the_whole_question() -> None:
    """A customer gets one phrasing of an entry, any of them: "can I pay by card?" got the one about cash only.
    Each phrasing of these entries names what their examples ask about, in every language."""
    base = load_argument_base(SAMPLE_KB)
    must_name: dict[str, dict[str, tuple[str, ...]]] = {  # entry -> per language, stems each phrasing names
        "payment_methods": {"ru": ("карт", "наличн"), "tr": ("kart", "nakit"), "en": ("card", "cash")},
        "contacts_hours": {"ru": ("9:00",), "tr": ("9:00",), "en": ("9:00",)},
    }
    for entry_id, languages in must_name.items():
        entry = base.entry(entry_id)
        for lang, stems in languages.items():
            for phrasing in entry.answers[lang]:
                assert all(stem in phrasing.lower() for stem in stems), (entry_id, lang, phrasing)


def test_a_broken_edit_keeps_the_last_good_version(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(GOOD, encoding="utf-8")
    source = ArgumentBaseSource(tmp_path, ("ru", "tr", "en"))
    good_digest = source.current.digest
    path.write_text(GOOD + "  - id: [broken\n", encoding="utf-8")
    assert source.refresh() is False
    assert source.current.digest == good_digest and source.last_error is not None
    path.write_text(GOOD.replace("привет", "приветик"), encoding="utf-8")
    assert source.refresh() is True
    assert source.current.entry("greeting").examples["ru"] == ("приветик",)
    assert source.last_error is None


def test_kb_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "check", str(SAMPLE_KB)]) == 0
    assert "OK" in capsys.readouterr().out
    (tmp_path / "x.yaml").write_text(BROKEN[7][0], encoding="utf-8")
    assert main(["kb", "check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "x.yaml: entry 'greeting': field 'answers.tr': needs at least 2 items, has 1" in err


def test_kb_check_advises_on_private_answers_that_send_the_customer_to_private_messages(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An entry's `answers` go to private chats when it has `public_answers`: "пришлите в личные сообщения" there
    is read in the private chat already (the sample brand had 111). Allowed, and said; without public answers the
    same words also go under comments, where they are right. An entry that only wishes "Хорошего дня" says it at
    night too."""
    (tmp_path / "x.yaml").write_text(
        "entries:\n"
        "  - id: outage\n    topic: outage\n    examples:\n      ru: [\"нет интернета\"]\n"
        "    answers:\n      ru: [\"Пришлите, пожалуйста, в личные сообщения номер договора.\", \"Пришлите номер "
        "договора.\"]\n"
        "    public_answers:\n      ru: [\"Напишите нам в личку номер договора.\", \"Ждём номер договора в личке.\"]\n"
        "  - id: refund\n    topic: refund\n    examples:\n      ru: [\"верните деньги\"]\n"
        "    answers:\n      ru: [\"Напишите в личку номер договора.\", \"Пришлите номер договора в личку.\"]\n"
        "  - id: status\n    topic: status\n    examples:\n      ru: [\"где моя заявка\"]\n"
        "    answers:\n      ru: [\"Пришлите телефон из заявки,.\", \"Пришлите номер заявки.\"]\n"
        "  - id: bye\n    topic: bye\n    examples:\n      ru: [\"пока\"]\n"
        "    answers:\n      ru: [\"Хорошего дня!\", \"Всего доброго и хорошего дня!\"]\n",
        encoding="utf-8")
    assert main(["kb", "check", "--languages", "ru", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    advice = [line for line in out.splitlines() if line.startswith("advice: ")]
    assert advice == ["advice: x.yaml: entry 'outage': field 'answers.ru[0]': asks the customer to write privately "
                      "('в личные сообщени'), but these answers go to private chats (its public_answers go under "
                      "comments)",
                      "advice: x.yaml: entry 'status': field 'answers.ru[0]': stray punctuation (',.')",
                      "advice: x.yaml: entry 'bye': field 'answers.ru': every phrasing greets or wishes for a time "
                      "of day, wrong at 11 hours of the day (at 23:00 among them); add one that fits any hour"]
    assert main(["kb", "check", str(SAMPLE_KB)]) == 0
    assert "advice" not in capsys.readouterr().out  # the sample's private answers no longer say it


def test_a_drafts_answers_name_each_customer_and_its_id_is_new() -> None:
    from handlers.entry_drafts import entry_id, with_name_placeholder

    assert (with_name_placeholder("Иван, проверили: Иван, всё готово", "Иван Петров")
            == "{name}, проверили: {name}, всё готово")
    assert (with_name_placeholder("Ивановы переехали? {скидка}", "Иван")
            == "Ивановы переехали? (скидка)")  # a word of its own stays; braces are not the answer's placeholders
    assert with_name_placeholder("Спасибо, А!", "А") == "Спасибо, А!"  # an initial is no name to replace
    taken = {"new_router"}
    assert [entry_id(word, taken) for word in ("Роутер", "роутер", "şikâyet", "!!")] == [
        "new_router_2", "new_router_3", "new_sikayet", "new_topic"]


def test_drafts_of_one_question_in_several_languages_are_joined_and_only_those() -> None:
    """Gaps join when their mean embeddings are alike (MERGE_AT), each the other's most alike among gaps of other
    languages; two gaps of one language, or of no known language, never join."""
    import numpy as np

    from handlers.entry_drafts import MERGE_AT, one_question

    def at(angle: float) -> list[float]:  # unit vectors: cos(a - b) is their similarity
        return [float(np.cos(angle)), float(np.sin(angle))]

    near = float(np.arccos(MERGE_AT)) * 0.8  # alike enough
    far = float(np.arccos(MERGE_AT)) * 1.5  # not
    centroids = np.array([at(0.0), at(3.0), at(near), at(3.0 + near), at(far * 2), at(0.01), at(3.0 - far),
                          at(1.0), at(1.0 + near / 2), at(1.0 - near / 2)])
    languages = [frozenset({"ru"}), frozenset({"ru"}), frozenset({"tr"}), frozenset({"en"}), frozenset({"tr"}),
                 frozenset(), frozenset({"tr"}), frozenset({"ru"}), frozenset({"tr"}), frozenset({"en"})]
    # 0 (ru) and 2 (tr) are one question; 1 (ru) and 3 (en) too; 4 is alike to none; 5 has no language; 6 (tr) is
    # too far from 1; 7, 8 and 9 are one question in three languages
    assert one_question(centroids, languages) == [[0, 2], [1, 3], [4], [5], [6], [7, 8, 9]]
    # the same two questions in one language are two gaps, however alike
    assert one_question(np.array([at(0.0), at(0.001)]), [frozenset({"ru"})] * 2) == [[0], [1]]
