"""Shipped sentiment / toxicity heads and the `model` commands, with the real encoder and artifacts."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from models.analyzer import TextAnalyzer
from models.artifact_files import artifacts_present
from models.cli_model import main as model_main
from models.encoder import shared_encoder
from models.toxicity_cv import main as toxicity_cv_main
from models.train import main as train_main

pytestmark = pytest.mark.skipif(not artifacts_present(), reason="shipped classifier artifacts are missing")


@pytest.fixture(scope="module")
def analyzer() -> TextAnalyzer:
    return TextAnalyzer.load(shared_encoder(), require_heads=True)


CLEAR = [
    ("ru", "Ужасный сервис, третий день нет интернета, верните деньги!", "negative"),
    ("ru", "Спасибо огромное, всё починили очень быстро, вы лучшие!", "positive"),
    ("tr", "Berbat bir hizmet, kargom hâlâ gelmedi ve kimse cevap vermiyor.", "negative"),
    ("tr", "Çok teşekkürler, ürün harika ve kargo çok hızlı geldi!", "positive"),
    ("en", "Worst customer service ever, my order is lost and nobody answers.", "negative"),
    ("en", "Thank you so much, the support team was amazing and fixed it fast!", "positive"),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CLEAR, ids=[f"{c[0]}-{c[2]}" for c in CLEAR])
def test_clear_sentiment(analyzer: TextAnalyzer, lang: str, text: str, expected: str) -> None:
    features = analyzer.analyze([text])[0]
    assert set(features.sentiment) == {"negative", "neutral", "positive"}
    assert abs(sum(features.sentiment.values()) - 1.0) < 1e-4
    assert max(features.sentiment, key=features.sentiment.__getitem__) == expected, (lang, features.sentiment)


def test_toxicity_ranks_toxic_above_clean(analyzer: TextAnalyzer) -> None:
    toxic, clean = analyzer.analyze(
        ["Ты тупой дебил, иди нахер со своим сраным банком", "Подскажите, пожалуйста, как поменять тариф?"]
    )
    assert toxic.toxicity is not None and clean.toxicity is not None
    assert toxic.toxicity > clean.toxicity
    assert toxic.toxicity > 0.5 > clean.toxicity


def test_a_task_scores_only_texts_in_the_languages_it_learnt(analyzer: TextAnalyzer) -> None:
    """Toxicity learnt from Russian comments only: an English or Turkish text gets no toxicity score (the head's
    guess there flags ordinary requests such as "Please cancel my subscription"), but its sentiment; a Russian
    one and a text whose language is not detected get both."""
    heads = analyzer.heads
    assert heads is not None
    assert heads.task_languages == {"toxicity": {"ru"}, "sentiment": {"ru", "tr", "en"}}  # as trained (the meta)
    english, turkish, russian, short = analyzer.analyze([
        "Please cancel my subscription", "Aboneliğimi iptal etmek istiyorum",
        "Ты тупой дебил, иди нахер со своим сраным банком", "👍"])
    for other in (english, turkish):
        assert other.toxicity is None and set(other.sentiment) == {"negative", "neutral", "positive"}
    assert russian.toxicity is not None and russian.toxicity > 0.5
    assert short.toxicity is not None
    # what `model eval` reads (the head's own probabilities) still has every text's score
    assert analyzer.analyze_arrays(["Please cancel my subscription"]).probs["toxicity"].shape == (1, 2)


# What the ONNX graph tests run: the clear cases, a one-word message and an abusive one (in padded batches).
GRAPH_TEXTS = [text for _, text, _ in CLEAR] + ["ok", "Ты тупой дебил, иди нахер со своим сраным банком"]


@pytest.fixture(scope="module")
def exact() -> TextAnalyzer:
    """The same graph in fp32 torch: the reference the int8 ONNX Runtime path is held to."""
    from models.analyzer import ShippedHeads
    from models.encoder import Encoder

    fp32 = Encoder(quantize=False)
    return TextAnalyzer(fp32, ShippedHeads.load(fp32, quantize=False))


def test_onnx_runtime_path_computes_the_torch_graph(analyzer: TextAnalyzer, exact: TextAnalyzer,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert analyzer.runtime == "onnxruntime"  # the default when onnxruntime is installed
    monkeypatch.setenv("SMM_RESPONDER_RUNTIME", "torch")
    torch_path = TextAnalyzer.load(analyzer.encoder, require_heads=True)
    assert torch_path.runtime == "torch" and torch_path.feature_tag != analyzer.feature_tag
    # int8 moves a probability by 0.03-0.05 on average from fp32 (torch's own int8 by 0.06-0.10) and more on
    # a word or two ("hi"); clear cases keep their verdict.
    texts = [text for _, text, _ in CLEAR] + ["Ты тупой дебил, иди нахер со своим сраным банком"]
    fast, ref = analyzer.analyze_arrays(texts, lexical=False), exact.analyze_arrays(texts, lexical=False)
    assert (fast.probs["sentiment"].argmax(axis=1) == ref.probs["sentiment"].argmax(axis=1)).all()
    russian = [0, 1, len(texts) - 1]  # toxicity is trained on Russian comments only
    assert (fast.probs["toxicity"][russian].argmax(axis=1) == ref.probs["toxicity"][russian].argmax(axis=1)).all()
    for task in ("sentiment", "toxicity"):
        assert np.abs(fast.probs[task] - ref.probs[task]).mean() < 0.1, task
    assert ((fast.embeddings * ref.embeddings).sum(axis=1) > 0.97).all()
    assert fast.intent_vectors.shape == ref.intent_vectors.shape == torch_path.intent_vectors(texts).shape


def test_only_the_torch_path_loads_torch_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ONNX Runtime graph holds every weight it runs, so that path never loads the torch copies (about
    200 MB); the torch path loads them with the analyzer, not at the first message, and artifacts whose
    layers do not load disable the heads there (or fail when the heads are required)."""
    import shutil

    from models.artifact_files import ARTIFACTS_DIR, WEIGHTS_FILE, ArtifactError
    from models.encoder import Encoder

    encoder = Encoder()
    fast = TextAnalyzer.load(encoder, require_heads=True)
    assert fast.runtime == "onnxruntime" and fast.heads is not None
    assert fast.analyze(["Спасибо, всё отлично!"])[0].sentiment["positive"] > 0.5
    assert not encoder.model_loaded and not fast.heads.tuned_loaded

    monkeypatch.setenv("SMM_RESPONDER_RUNTIME", "torch")
    slow = TextAnalyzer.load(encoder, require_heads=True)
    assert slow.runtime == "torch" and slow.heads is not None
    assert encoder.model_loaded and slow.heads.tuned_loaded

    broken = tmp_path / "artifacts"
    shutil.copytree(ARTIFACTS_DIR, broken)
    (broken / WEIGHTS_FILE).write_bytes(b"not safetensors")
    assert TextAnalyzer.load(encoder, artifacts=broken).heads is None
    with pytest.raises(ArtifactError):
        TextAnalyzer.load(encoder, artifacts=broken, require_heads=True)


def test_onnx_graph_fuses_attention_and_matches_torch(exact: TextAnalyzer, tmp_path: Path) -> None:
    """The exported graph writes each layer's attention as one fused node and smooths its FFN matmuls with the
    shipped activation ranges, and its fp32 form computes what the torch modules do (the int8 file differs
    from it only by quantisation)."""
    import onnx
    import onnxruntime as ort

    from models import onnx_export
    from models.artifact_files import ARTIFACTS_DIR

    fp32, heads = exact.encoder, exact.heads
    assert heads is not None
    tasks = list(heads.tasks)
    ranges = onnx_export.load_ranges(ARTIFACTS_DIR)
    assert ranges is not None  # shipped beside the heads
    layers = fp32.model.config.num_hidden_layers
    path = onnx_export.export(fp32.model, heads.tuned, heads.split_layer, tasks, fp32.tokenize(["a", "b c"]),
                               tmp_path / "graph.onnx", ranges)
    ops = [node.op_type for node in onnx.load(str(path)).graph.node]
    assert ops.count("Attention") == layers and ops.count("Softmax") == len(tasks)
    plain = onnx_export.export(fp32.model, heads.tuned, heads.split_layer, tasks, fp32.tokenize(["a", "b c"]),
                                tmp_path / "plain.onnx")
    assert ops.count("Mul") == [node.op_type for node in onnx.load(str(plain)).graph.node].count("Mul") + 2 * layers
    texts = GRAPH_TEXTS
    batch = fp32.tokenize(texts)  # padded: the mask matters
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    embedding, pooled, *probs = session.run(None, {k: batch[k].numpy() for k in ("input_ids", "attention_mask")})
    expected = exact.analyze_arrays(texts, lexical=False)
    np.testing.assert_allclose(embedding, expected.embeddings, atol=1e-4)
    unit = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)  # the intent vector's second half
    np.testing.assert_allclose(unit, expected.intent_vectors[:, fp32.dim:], atol=1e-4)
    for task, got in zip(tasks, probs, strict=True):
        np.testing.assert_allclose(got, expected.probs[task], atol=1e-4)


def test_smoothing_brings_int8_nearer_fp32(exact: TextAnalyzer, tmp_path: Path) -> None:
    """Activation ranges measured on a few texts, saved and loaded as the artifacts are: the int8 graph smoothed
    with them computes every text's pooled output nearer the fp32 graph's than the plain int8 graph does
    (about half the error)."""
    from models import onnx_export
    from models.onnx_forward import OnnxForward

    fp32, heads = exact.encoder, exact.heads
    assert heads is not None
    tasks = list(heads.tasks)
    texts = GRAPH_TEXTS
    measured = onnx_export.activation_ranges(fp32.model, heads.tuned, heads.split_layer,
                                              [fp32.tokenize([text]) for text in texts])
    layers, width = fp32.model.config.num_hidden_layers, fp32.model.config.hidden_size
    assert measured["ffn"].shape == (layers, width) and measured["out"].shape == (layers, 4 * width)
    assert (measured["ffn"] > 0).all() and (measured["out"] > 0).all()
    ranges = onnx_export.load_ranges(onnx_export.save_ranges(measured, tmp_path).parent)
    assert ranges is not None and all(np.array_equal(ranges[p], measured[p]) for p in measured)
    sample = fp32.tokenize(["a", "b c"])
    reference = exact.analyze_arrays(texts, lexical=False).intent_vectors[:, fp32.dim:]  # unit pooled outputs
    errors = {}
    for name, used in (("plain", None), ("smoothed", ranges)):
        path = onnx_export.build(fp32.model, heads.tuned, heads.split_layer, tasks, sample,
                                  tmp_path / f"{name}.int8.onnx", used)
        got = TextAnalyzer(fp32, heads, OnnxForward(path, tasks)).analyze_arrays(texts, lexical=False)
        errors[name] = np.linalg.norm(got.intent_vectors[:, fp32.dim:] - reference, axis=1)
    assert (errors["smoothed"] < errors["plain"]).all()
    assert errors["smoothed"].mean() < 0.7 * errors["plain"].mean()


def test_a_texts_scores_do_not_depend_on_its_batch(analyzer: TextAnalyzer) -> None:
    """The shipped graph quantises activations with fixed scales (`onnx_static`), not per batch: a message
    scores the same alone, in a batch with others, and wherever it falls in the batch's order (with dynamic
    scales these moved by up to 0.2 on dev texts)."""
    import onnx

    from models.artifact_files import ARTIFACTS_DIR
    from models.onnx_export import load_ranges
    from models.onnx_static import has_static_ranges

    assert analyzer.fast is not None and has_static_ranges(load_ranges(ARTIFACTS_DIR))  # as shipped
    ops = {node.op_type for node in onnx.load(str(analyzer.fast.path)).graph.node}
    assert "DynamicQuantizeLinear" not in ops and {"QuantizeLinear", "MatMulIntegerToFloat", "QAttention"} <= ops
    texts = [*GRAPH_TEXTS, "Siktir git, aptal herif", "Где мой заказ? Жду уже вторую неделю, никто не отвечает"]
    together = analyzer.analyze_arrays(texts, lexical=False)
    reordered = analyzer.analyze_arrays(texts[::-1], lexical=False)
    for i, text in enumerate(texts):
        alone = analyzer.analyze_arrays([text], lexical=False)
        for task in ("sentiment", "toxicity"):
            np.testing.assert_allclose(alone.probs[task][0], together.probs[task][i], atol=1e-5, err_msg=text)
            np.testing.assert_allclose(reordered.probs[task][len(texts) - 1 - i], together.probs[task][i],
                                       atol=1e-5, err_msg=text)
        np.testing.assert_allclose(alone.intent_vectors[0], together.intent_vectors[i], atol=1e-5, err_msg=text)


def test_fixed_scales_refuse_a_graph_they_do_not_know(tmp_path: Path) -> None:
    """An int8 graph whose quantised inputs are not the measured points: a clear error, nothing guessed; and
    ranges from before the static points (smoothing only) keep the dynamic scales."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from models.onnx_static import fix_activation_scales, has_static_ranges

    weight = numpy_helper.from_array(np.ones((4, 4), dtype=np.float32), "weight")
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "weight"], ["y"], name="/other/MatMul")], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])], [weight])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(tmp_path / "f.onnx"))
    quantize_dynamic(str(tmp_path / "f.onnx"), str(tmp_path / "q.onnx"), weight_type=QuantType.QInt8)
    ranges: dict[str, np.ndarray] = {f"{point}_{side}": np.zeros((1, 4), dtype=np.float32)
              for point in ("qkv", "context", "ffn", "out") for side in ("min", "max")}
    ranges |= {"pooled_min": np.zeros(4, dtype=np.float32), "pooled_max": np.ones(4, dtype=np.float32)}
    assert has_static_ranges(ranges)
    with pytest.raises(ValueError, match="no measured range for the quantised input 'x'"):
        fix_activation_scales(onnx.load(str(tmp_path / "q.onnx")), ranges)
    assert not has_static_ranges({"ffn": ranges["ffn_max"], "out": ranges["out_max"]}) and not has_static_ranges(None)


def test_onnx_graph_refuses_layers_it_cannot_fuse() -> None:
    """Not BertLayer-shaped: a clear error at export (the analyzer then logs it and keeps the torch path)."""
    import torch

    from models import onnx_export
    from models.heads import TunedTop

    model = torch.nn.Module()
    model.config = type("Config", (), {"num_attention_heads": 2})()  # type: ignore[assignment]
    model.encoder = torch.nn.Module()
    model.encoder.layer = torch.nn.ModuleList([torch.nn.Linear(4, 4)])
    tuned = TunedTop([torch.nn.Linear(4, 4)], 4, {"sentiment": ["negative", "neutral", "positive"]})
    with pytest.raises(ValueError, match="not BERT-shaped"):
        onnx_export._Graph(model, tuned, 1, ["sentiment"])


def test_distilled_embedding_follows_the_base(analyzer: TextAnalyzer) -> None:
    texts = ["Где мой заказ?", "Merhaba, faturam yanlış geldi", "hi", "Верните деньги за сломанный роутер"]
    distilled = np.stack([f.embedding for f in analyzer.analyze(texts)])
    base = analyzer.encoder.embed(texts)
    np.testing.assert_allclose(np.linalg.norm(distilled, axis=1), 1.0, atol=1e-4)
    cosine = (distilled * base).sum(axis=1)
    assert cosine.min() > 0.9, cosine
    # the same geometry: a paraphrase stays nearer than an unrelated message
    para = analyzer.embed(["Когда привезут мою посылку?", "Bugün hava çok güzel"])
    assert para[0] @ distilled[0] > para[1] @ distilled[0]
    assert analyzer.analyze([]) == []


def test_lexical_share_follows_the_language(analyzer: TextAnalyzer) -> None:
    heads = analyzer.heads
    assert heads is not None
    assert heads.lexical_by_language["sentiment"]["tr"] != heads.lexical_weight["sentiment"]  # as shipped
    texts = ["Kargom hâlâ gelmedi, berbat bir hizmet", "Ужасный сервис, верните деньги"]
    probs = {"sentiment": np.full((2, 3), 1 / 3, dtype=np.float32)}
    saved = heads.lexical_weight, heads.lexical_by_language
    heads.lexical_weight = {**heads.lexical_weight, "sentiment": 0.0}
    heads.lexical_by_language = {**heads.lexical_by_language, "sentiment": {"tr": 1.0}}
    try:
        heads.mix_lexical(texts, probs)
    finally:
        heads.lexical_weight, heads.lexical_by_language = saved
    lexical = heads.lexical["sentiment"].predict_proba(texts, heads.tasks["sentiment"])
    np.testing.assert_allclose(probs["sentiment"][0], lexical[0], atol=1e-6)  # Turkish: all lexical
    np.testing.assert_allclose(probs["sentiment"][1], 1 / 3, atol=1e-6)  # Russian: default share 0


def test_a_language_the_caller_knows_sets_the_lexical_share(analyzer: TextAnalyzer) -> None:
    """"Berbat hizmet" (terrible service), with no Turkish letters, was mixed at English's lexical share, the pipeline
    knowing from the brand's words that it was Turkish: 0.40 negative, where Turkish's share gives 0.65."""
    text = "Berbat hizmet"
    [guessed] = analyzer.analyze([text])
    [told] = analyzer.analyze([text], languages=["tr"])
    [unknown] = analyzer.analyze([text], languages=[None])  # not known: the letters and words tell, as before
    assert told.sentiment["negative"] > guessed.sentiment["negative"] + 0.1
    assert unknown.sentiment == guessed.sentiment


def test_messages_and_examples_get_the_same_vectors(analyzer: TextAnalyzer) -> None:
    texts = ["Где мой заказ?", "Merhaba, faturam yanlış geldi", "hi"]
    features = analyzer.analyze(texts)
    embeddings, intent = analyzer.vectors(texts)
    np.testing.assert_allclose(np.stack([f.embedding for f in features]), embeddings, atol=1e-5)
    np.testing.assert_allclose(np.stack([f.intent_vector for f in features]), intent, atol=1e-5)
    assert intent.shape == (3, 2 * analyzer.encoder.dim)
    np.testing.assert_allclose(intent[:, : analyzer.encoder.dim], embeddings, atol=1e-6)


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _last_json(out: str) -> dict[str, Any]:
    result = json.loads(out.strip().splitlines()[-1])
    assert isinstance(result, dict)
    return result


def test_eval_sentiment_csv(analyzer: TextAnalyzer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [[text, {"negative": "-1", "positive": "1"}[label]] for _lang, text, label in CLEAR]
    rows.append(["Завтра будет вторник.", "0"])
    data = _write_csv(tmp_path / "senti.csv", ["tweet", "y"], rows)
    rc = model_main(["eval", "--task", "sentiment", "--data", str(data), "--text-col", "tweet", "--label-col", "y",
                     "--label-map", "-1=negative,0=neutral,1=positive"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "confusion matrix" in out
    result = _last_json(out)
    assert result["task"] == "sentiment" and result["n"] == 7
    assert isinstance(result["accuracy"], float) and result["accuracy"] >= 6 / 7
    assert "macro_f1" in result and "texts_per_s" in result
    matrix = result["confusion"]  # rows: gold, columns: predicted, in `labels` order
    assert result["labels"] == ["negative", "neutral", "positive"] and [sum(row) for row in matrix] == [3, 1, 3]
    assert sum(matrix[i][i] for i in range(3)) == round(result["accuracy"] * 7)
    for metric in ("accuracy", "macro_f1"):  # bootstrap intervals around the figures
        low, high = result[f"{metric}_ci95"]
        assert 0.0 <= low <= result[metric] <= high <= 1.0
    assert "95% interval" in out


def test_eval_toxicity_reports_auc(analyzer: TextAnalyzer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _write_csv(tmp_path / "tox.csv", ["text", "toxic"], [
        ["Ты тупой дебил, иди нахер", "1"],
        ["Заткнись, урод конченый", "1"],
        ["Спасибо за помощь, всё работает", "0"],
        ["Подскажите часы работы офиса", "0"],
    ])
    rc = model_main(["eval", "--task", "toxicity", "--data", str(data), "--label-col", "toxic"])
    assert rc == 0
    result = _last_json(capsys.readouterr().out)
    assert result["roc_auc"] == 1.0
    assert result["roc_auc_ci95"] == [1.0, 1.0]  # every two-class draw of a perfect ranking scores 1


INTENT_TRAIN = [
    ("Верните деньги за заказ", "refund"), ("Хочу оформить возврат", "refund"), ("I want a refund", "refund"),
    ("Paramı iade edin", "refund"), ("Когда вернут деньги?", "refund"),
    ("Где мой заказ?", "delivery"), ("Когда доставят посылку?", "delivery"), ("Where is my parcel?", "delivery"),
    ("Kargom nerede?", "delivery"), ("Курьер не приехал", "delivery"),
    ("Привет!", "greeting"), ("Здравствуйте", "greeting"), ("Hello there", "greeting"),
    ("Merhaba", "greeting"), ("Добрый день", "greeting"),
    ("Какая погода завтра?", "oos"), ("Посоветуй фильм", "oos"), ("What is the capital of Peru?", "oos"),
]
INTENT_TEST = [
    ("Верните мне деньги, пожалуйста", "refund"), ("Siparişim nerede kaldı?", "delivery"),
    ("Hi!", "greeting"), ("Сколько будет два плюс два?", "oos"), ("Tell me a joke about cats", "oos"),
]


@pytest.mark.parametrize("baseline", [False, True])
def test_eval_intent_with_oos(
    analyzer: TextAnalyzer, tmp_path: Path, capsys: pytest.CaptureFixture[str], baseline: bool
) -> None:
    train = _write_csv(tmp_path / "train.csv", ["text", "label"], [list(r) for r in INTENT_TRAIN])
    test = _write_csv(tmp_path / "test.csv", ["text", "label"], [list(r) for r in INTENT_TEST])
    args = ["eval", "--task", "intent", "--train", str(train), "--data", str(test)]
    rc = model_main(args + (["--baseline"] if baseline else []))
    out = capsys.readouterr().out
    assert rc == 0
    result = _last_json(out)
    assert result["task"] == "intent" and result["n"] == len(INTENT_TEST)
    assert "oos_precision" in result and "oos_recall" in result
    assert isinstance(result["accuracy"], float) and result["accuracy"] >= 0.6
    if baseline:
        assert "tfidf_logreg" in out
        assert isinstance(result["baseline"], dict) and "accuracy" in result["baseline"]
        gap = result["vs_baseline"]["accuracy"]  # paired bootstrap: both models on the same draws
        assert gap["diff"] == pytest.approx(result["accuracy"] - result["baseline"]["accuracy"], abs=1e-3)
        assert gap["ci95"][0] <= gap["diff"] <= gap["ci95"][1]
        assert "intent_head - tfidf_logreg" in out
    else:
        assert "vs_baseline" not in result


def test_eval_intent_closed_set(analyzer: TextAnalyzer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    in_scope = [r for r in INTENT_TRAIN if r[1] != "oos"]
    train = _write_csv(tmp_path / "train.csv", ["text", "label"], [list(r) for r in in_scope])
    test = _write_csv(tmp_path / "test.csv", ["text", "label"], [list(r) for r in INTENT_TEST if r[1] != "oos"])
    rc = model_main(["eval", "--task", "intent", "--train", str(train), "--data", str(test), "--baseline"])
    out = capsys.readouterr().out
    assert rc == 0 and "closed-set" in out
    result = _last_json(out)
    # no oos anywhere: every test message gets one of the trained intents; the threshold's cost is reported
    assert result["accuracy"] == 1.0
    assert 0.0 <= result["rejected_share"] <= 1.0
    assert result["accuracy_with_rejection"] == pytest.approx(1.0 - result["rejected_share"])
    assert isinstance(result["baseline"], dict) and "rejected_share" in result["baseline"]


def test_baseline_without_datasets_is_a_clear_error(
    analyzer: TextAnalyzer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _write_csv(tmp_path / "s.csv", ["text", "label"], [["Спасибо!", "positive"]])
    missing = tmp_path / "no-datasets"
    rc = model_main(["eval", "--task", "sentiment", "--data", str(data), "--baseline", "--data-dir", str(missing)])
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert err.startswith("error:") and str(missing) in err and len(err.splitlines()) == 1


def _bad_csv_cases(tmp_path: Path) -> list[tuple[list[str], str]]:
    ok = _write_csv(tmp_path / "ok.csv", ["text", "label"], [["Спасибо!", "positive"]])
    unknown = _write_csv(tmp_path / "unknown.csv", ["text", "label"], [["Спасибо!", "great"]])
    empty = _write_csv(tmp_path / "empty.csv", ["text", "label"], [["Спасибо!", "positive"], ["  ", "neutral"]])
    base = ["eval", "--task", "sentiment"]
    return [
        ([*base, "--data", str(tmp_path / "nope.csv")], "file not found"),
        ([*base, "--data", str(ok), "--text-col", "message"], "no column 'message'"),
        ([*base, "--data", str(unknown)], "unknown label 'great'"),
        ([*base, "--data", str(empty)], "empty text"),
        ([*base, "--data", str(ok), "--label-map", "nonsense"], "bad --label-map"),
        (["eval", "--task", "intent", "--data", str(ok)], "needs --train"),
    ]


def test_bad_csv_gives_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv, message in _bad_csv_cases(tmp_path):
        rc = model_main(argv)
        err = capsys.readouterr().err.strip()
        assert rc == 2, argv
        assert len(err.splitlines()) == 1 and err.startswith("error:") and message in err, (argv, err)


def test_train_without_datasets_names_the_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "datasets"
    rc = train_main(["--data-dir", str(missing), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert rc == 2 and str(missing) in err


def test_toxicity_cross_validation_without_datasets_names_the_file(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    rc = toxicity_cv_main(["--data-dir", str(tmp_path / "datasets")])
    err = capsys.readouterr().err.strip()
    missing = tmp_path / "datasets" / "encodechka_train" / "toxic_train.csv"
    assert rc == 2 and err == f"error: training data not found: {missing} (set --data-dir)"
    # With the auxiliary inappropriate-topic task, its file is checked before anything is computed.
    missing.parent.mkdir(parents=True)
    missing.write_text("text,toxic,labels\nпривет,0,__label__NORMAL\n", encoding="utf-8")
    rc = toxicity_cv_main(["--data-dir", str(tmp_path / "datasets"), "--inappropriate", "0.5"])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and err == f"error: training data not found: {missing.parent / 'inappropriate_train.csv'} " \
        "(set --data-dir)"


@pytest.mark.parametrize("repeat", ["sentirueval2016", "sentirueval2016=x", "sentirueval2016=0"])
def test_train_rejects_a_bad_repeat(tmp_path: Path, capsys: pytest.CaptureFixture[str], repeat: str) -> None:
    rc = train_main(["--data-dir", str(tmp_path), "--out", str(tmp_path / "out"), "--repeat", repeat])
    assert rc == 2 and "SOURCE=N" in capsys.readouterr().err


def test_make_model_measures_activation_ranges(tmp_path: Path) -> None:
    """The training run's ranges step on a copy of the artifacts: a seeded sample of the training texts,
    the same digest for the same texts, and a new digest (so a new graph) for other texts."""
    import shutil

    from models import onnx_export
    from models.artifact_files import ARTIFACTS_DIR, read_meta
    from models.train import add_activation_ranges
    from models.training_data import Example

    folder = Path(shutil.copytree(ARTIFACTS_DIR, tmp_path / "artifacts"))
    texts = [text for _, text, _ in CLEAR]
    examples = [Example(text, "positive", "sentiment", "test", "ru") for text in texts]
    add_activation_ranges(folder, examples, seed=0)
    first, ranges = read_meta(folder)["activation_ranges"], onnx_export.load_ranges(folder)
    assert ranges is not None and first != read_meta(ARTIFACTS_DIR)["activation_ranges"]
    add_activation_ranges(folder, list(reversed(examples)), seed=0)
    assert read_meta(folder)["activation_ranges"] == first
    add_activation_ranges(folder, examples[:2], seed=0)
    fewer = onnx_export.load_ranges(folder)
    assert read_meta(folder)["activation_ranges"] != first and fewer is not None
    # a maximum over fewer texts is no larger, a minimum no smaller
    assert all((fewer[part] >= ranges[part]).all() if part.endswith("_min") else (fewer[part] <= ranges[part]).all()
               for part in ranges)


def test_bench_runs(analyzer: TextAnalyzer, capsys: pytest.CaptureFixture[str]) -> None:
    rc = model_main(["bench", "--n", "5", "--batch-texts", "16", "--rounds", "3"])
    result = _last_json(capsys.readouterr().out)
    assert rc == 0
    assert result["heads"] == "sentiment+toxicity"
    rounds = result["batched_rounds"]
    assert len(rounds) == 3 and all(r > 0 for r in rounds)
    assert result["batched_texts_per_s"] == sorted(rounds)[1]  # the median pass
    for key in ("p50_ms", "p99_ms", "batched_texts_per_s", "load_s", "peak_rss_mb"):
        value = result[key]
        assert isinstance(value, float) and value > 0
    assert result["cpu"]["cores"] >= 1 and result["cpu"]["model"]  # the figures name the CPU they were taken on


def test_the_bench_names_the_cpus_best_int8_instruction_set(tmp_path: Path) -> None:
    from models.cli_model import cpu_description

    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu sse2 avx2 avx512f "
                       "avx512_vnni amx_tile amx_int8\n\nprocessor\t: 1\nflags\t\t: fpu\n")
    described = cpu_description(cpuinfo)
    assert (described["model"], described["int8"]) == ("Intel(R) Xeon(R) Processor", "amx_int8")
    cpuinfo.write_text("model name\t: AMD EPYC 7B13\nflags\t\t: fpu sse2 avx2 fma\n")
    assert cpu_description(cpuinfo)["int8"] == "avx2"
    cpuinfo.write_text("model name\t: Old\nflags\t\t: fpu sse2\n")
    assert cpu_description(cpuinfo)["int8"] == "other"
    assert cpu_description(tmp_path / "missing")["int8"] == "unknown"


def test_lean_tokenizer_gives_the_transformers_ids() -> None:
    """The bare `tokenizers` pipeline the encoder runs gives transformers' XLM-R ids, for a lone message and for
    a padded batch, with trailing spaces and past the token limit."""
    from transformers import AutoTokenizer

    from models.tokenizer import LeanTokenizer

    encoder = shared_encoder()
    folder = Path(encoder.source)
    lean = LeanTokenizer(folder / "tokenizer.json", 32)
    reference = AutoTokenizer.from_pretrained(folder)
    texts = ["query: где моя заявка?  ", "query: Kargom nerede?", "query: " + "very long message " * 20, "query: "]
    for text in texts:
        expected = reference([text], truncation=True, max_length=32)["input_ids"]
        assert lean([text])["input_ids"].tolist() == expected
    batch = lean(texts)
    expected = reference(texts, truncation=True, max_length=32, padding=True)
    assert batch["input_ids"].tolist() == expected["input_ids"]
    assert batch["attention_mask"].tolist() == expected["attention_mask"]
    assert batch["input_ids"].shape == (len(texts), 32)


def test_english_and_turkish_toxicity_counts_only_with_an_abusive_word(analyzer: TextAnalyzer) -> None:
    """The toxicity head learnt Russian comments. In English and Turkish its guess counts only where an insult or
    an obscenity of the language backs it: abuse keeps its score, ordinary requests get none."""
    from handlers.policy import BrandPolicy

    abuse = ["You are a fucking idiot, shut up and go to hell", "Shut up, you stupid moron", "Siktir git, aptal herif"]
    ordinary = ["Please cancel my subscription", "This is a joke, cancel my subscription", "Bu bir şaka mı? İptal edin"]
    scores = [f.toxicity for f in analyzer.analyze(abuse + ordinary)]
    assert all(score is not None for score in scores[:3]) and all(score is None for score in scores[3:]), scores
    assert min(s for s in scores[:2] if s is not None) >= BrandPolicy().toxic_threshold, scores


def test_russian_toxicity_is_stacked_with_the_abusive_word_mark(analyzer: TextAnalyzer) -> None:
    """Where the TF-IDF model has a weight, the shipped toxicity is the stacking regression over the encoder's and
    the TF-IDF model's scores and the built-in abusive-word mark; Turkish and English texts keep the encoder's."""
    from models.stacking import Stack

    heads = analyzer.heads
    assert heads is not None and isinstance(heads.lexical_stack["toxicity"], Stack)  # as shipped
    stack = heads.lexical_stack["toxicity"]
    texts = ["нихуя не работает уже третий день", "уже третий день не работает", "Siktir git, aptal herif"]
    labels = heads.tasks["toxicity"]
    shipped = analyzer.analyze_arrays(texts).probs["toxicity"][:, labels.index("toxic")]
    encoder = analyzer.analyze_arrays(texts, lexical=False).probs["toxicity"][:, labels.index("toxic")]
    lexical = heads.lexical["toxicity"].predict_proba(texts, labels)[:, labels.index("toxic")]
    expected = stack.combine(encoder[:2], lexical[:2], np.array([1.0, 0.0]))
    np.testing.assert_allclose(shipped[:2], expected, atol=1e-5)
    assert shipped[2] == pytest.approx(float(encoder[2]), abs=1e-6)
    assert stack.abusive > 0
