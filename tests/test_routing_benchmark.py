"""`python -m benchmarks.routing` on a small brand and small off-topic files (real encoder, the bot's code)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from benchmarks.routing import folds_of
from benchmarks.routing import main as routing_main

ENTRIES = {
    "delivery": (["где моя посылка", "когда привезут заказ", "заказ всё ещё не доставлен", "курьер не приехал",
                  "сколько ждать доставку", "отследить посылку"],
                 ["where is my parcel", "when will my order arrive", "my order has not been delivered yet",
                  "the courier never came", "how long does delivery take", "track my package"]),
    "refund": (["верните деньги", "хочу вернуть товар", "как оформить возврат", "деньги за заказ не вернули",
                "оформите возврат средств", "товар бракованный, хочу деньги назад"],
               ["I want my money back", "how do I return an item", "refund my order please",
                "you still have not refunded me", "start a return", "the item is broken, give me a refund"]),
    "greeting": (["здравствуйте", "добрый день", "привет", "доброе утро", "добрый вечер", "приветствую"],
                 ["hello", "hi there", "good morning", "good afternoon", "good evening", "hey"]),
}


def _brand(tmp_path: Path) -> Path:
    kb = tmp_path / "kb"
    kb.mkdir()
    lines = ["entries:"]
    for entry_id, (ru, en) in ENTRIES.items():
        lines += [f"  - id: {entry_id}", f"    topic: {entry_id}", "    examples:",
                  f"      ru: {json.dumps(ru, ensure_ascii=False)}", f"      en: {json.dumps(en)}",
                  "    answers:", '      ru: ["Ответ один.", "Ответ два."]', '      en: ["Answer one.", "Answer two."]']
    (kb / "entries.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = tmp_path / "smm-responder.toml"
    config.write_text(f'[storage]\npath = "{tmp_path / "db.sqlite3"}"\n\n[[brands]]\nname = "shop"\n'
                      f'languages = ["ru", "en"]\nargument_base = "{kb}"\n', encoding="utf-8")
    return config


def test_routing_benchmark_scores_the_brands_examples_and_off_topic_requests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _brand(tmp_path)
    data = tmp_path / "datasets" / "encodechka_train"
    data.mkdir(parents=True)
    off_topic = ["Поставь будильник на семь утра", "Какая погода будет завтра в Казани?", "Включи джаз",
                 "Сколько будет двенадцать умножить на восемь?", "Расскажи последние новости спорта",
                 "Напомни купить молоко вечером", "Переведи слово кошка на французский", "Закажи такси до вокзала"]
    with (data / "intents_train.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        writer.writerows([(text, "misc__query") for text in off_topic] + [("Привет!", "general__greet")])

    assert routing_main(["--config", str(config), "--folds", "3", "--data-dir", str(tmp_path / "datasets")]) == 0
    out = capsys.readouterr().out
    result = json.loads(out.strip().splitlines()[-1])
    assert result["brand"] == "shop" and result["examples"] == 36 and result["builtin_out_of_scope"]
    shares = result["in_scope"]
    assert abs(sum(shares.values()) - 1.0) < 1e-3
    assert shares["right"] > 0.6 and shares["wrong"] < 0.2, shares
    probes = result["off_topic"]
    assert list(probes) == ["encodechka_intents_ru"]  # no CLINC150 files here; small talk is left out
    assert probes["encodechka_intents_ru"]["n"] == len(off_topic)
    assert probes["encodechka_intents_ru"]["answered"] <= 0.25, probes
    assert "answered right" in out and "off topic, encodechka_intents_ru" in out
    offered = result["handoff_suggestions"]  # what the moderator is offered for the examples handed off
    if shares["handoff"]:
        assert 0 <= offered["top1"] <= offered["top3"] <= offered["offered"] <= 1, offered
        assert offered["top3"] >= 0.5, offered  # three entries: the right one is nearly always offered
        assert "suggested first" in out
    else:
        assert offered == {"offered": None, "top1": None, "top3": None}
    assert 0 <= (probes["encodechka_intents_ru"]["handoffs_with_suggestions"] or 0) <= 1
    assert result["typed_plain"]["n"] == 0 and "Turkish ones" not in out  # the brand has no Turkish examples
    on_keys = result["typed_on_keys"]  # its 18 Russian examples typed with the keyboard in the English layout
    assert on_keys["n"] == 18 and "typed in the English layout" in out
    assert on_keys["on_keys"]["read_as_russian"] >= 0.5, on_keys  # "ult vjz gjcskrf" -> "где моя посылка"
    # the examples that read very unhappy: answered from an entry written for unhappy customers (refund, delivery
    # complaints) before a person takes them, or met with regret and a person
    unhappy = result["strongly_negative"]
    assert set(unhappy) <= {"right", "wrong", "handoff", "regret_handoff"} and sum(unhappy.values()) <= 36, unhappy
    assert unhappy.get("right", 0) >= unhappy.get("wrong", 0), unhappy
    assert "strongly negative examples" in out
    # each example as a reply to another customer's comment: the brand's questions are mostly still the brand's
    replies = result["as_replies"]
    assert abs(sum(replies.values()) - 1.0) < 1e-3 and replies["left"] < 0.5, replies
    assert "as a public reply to another customer" in out
    probe = probes["encodechka_intents_ru"]
    assert 0 <= probe["strongly_negative_answered"] <= probe["strongly_negative"] <= len(off_topic), probe
    # the examples with a greeting put before them: the 24 that are no greeting themselves ("hey" and "hi there"
    # are the greeting entry's too)
    greeted = result["greeted"]
    assert greeted["n"] == 24, greeted
    # ... and those that ask something with thanks after them: "сколько ждать доставку Спасибо!"
    thanked, polite = result["thanked"], result["polite"]  # ... and polite words before them
    assert 0 < polite["n"] <= thanked["n"] < 36, (polite, thanked)
    shouted = result["shouted"]  # ... and every one of them typed in capitals
    assert shouted["n"] == 36, shouted
    capital = result["capitalised"]  # ... and with a capital first letter, all but "I want my money back"
    assert capital["n"] == 35, capital
    told = result["told"]  # ... and those that ask something after a sentence that only tells
    assert told["n"] == thanked["n"], told
    what_now = result["what_now"]  # ... and those that ask nothing with "Что делать?" after them
    assert told["n"] + what_now["n"] == 36, what_now
    for kind, figures in (("greeted", greeted), ("polite", polite), ("thanked", thanked), ("shouted", shouted),
                          ("capitalised", capital), ("told", told), ("what_now", what_now)):
        for spelling in ("written", kind, "read_whole"):
            assert abs(sum(figures[spelling].values()) - 1.0) < 1e-3, figures
        if kind == "what_now":  # the question says nothing alone: read so, never worse than whole
            assert figures[kind]["right"] >= figures["read_whole"]["right"], figures
            assert figures[kind]["wrong"] <= figures["read_whole"]["wrong"], figures
        else:
            assert figures[kind]["right"] >= figures["written"]["right"] - 0.1, figures  # read without them
    assert "with a greeting put before them" in out and "with thanks put after them" in out
    assert "with polite words put before them" in out and "typed in capitals" in out
    assert "with a capital first letter" in out
    assert "after a sentence that only tells" in out and "with a question that names nothing after them" in out


def test_routing_benchmark_refuses_an_unknown_brand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        routing_main(["--config", str(_brand(tmp_path)), "--brand", "nope"])
    assert info.value.code == 2 and "unknown brand 'nope' (configured: shop)" in capsys.readouterr().err


def test_folds_spread_each_entry_and_an_added_entry_leaves_the_others_folds_as_they_were() -> None:
    """One draw for all entries redrew every entry after one added, which moved the figures by a point or two on
    its own: each entry's examples are drawn by a draw of its own."""
    examples = [(entry, "ru", f"{entry} {i}") for entry in ("a", "b", "c") for i in range(10)]
    folds = folds_of(examples, 5, 0)
    assert sorted(i for fold in folds for i in fold) == list(range(30))
    assert all(sorted(examples[i][0] for i in fold) == ["a", "a", "b", "b", "c", "c"] for fold in folds)
    added = [("new", "ru", f"new {i}") for i in range(10)] + examples
    again = folds_of(added, 5, 0)

    def held(fs: list[list[int]], exs: list[tuple[str, str, str]]) -> list[set[str]]:
        return [{exs[i][2] for i in fold if exs[i][0] != "new"} for fold in fs]

    assert held(again, added) == held(folds, examples)
    assert held(folds_of(examples, 5, 1), examples) != held(folds, examples)
