"""`smm-responder model ...` commands: evaluate the shipped heads and the intent head, benchmark.

Mounted by bot/cli.py through `add_model_parser(subparsers)` / `run_model_command(args)`; also
runs standalone as `python -m models.cli_model eval|bench ...`.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import logging
import os
import re
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from models import bootstrap
from models.torch_thread import on_torch_thread
from models.training_data import DATASETS_ENV, SENTIMENT_LABELS, TOXICITY_LABELS

if TYPE_CHECKING:
    from models.analyzer import TextAnalyzer

TASK_LABELS: dict[str, tuple[str, ...]] = {"sentiment": SENTIMENT_LABELS, "toxicity": TOXICITY_LABELS}
DEFAULT_LABEL_MAPS: dict[str, dict[str, str]] = {
    "sentiment": {"-1": "negative", "0": "neutral", "1": "positive"},
    "toxicity": {"0": "clean", "1": "toxic", "0.0": "clean", "1.0": "toxic", "false": "clean", "true": "toxic"},
}


MAX_PRINTED_LABELS = 20


class CommandError(Exception):
    """A user error: printed as one line, exit code 2."""


# -- argument parsing ------------------------------------------------------------------------------


def _add_commands(parser: argparse.ArgumentParser, dest: str) -> None:
    sub = parser.add_subparsers(dest=dest, required=True)
    ev = sub.add_parser("eval", help="score a labelled CSV with the shipped heads or an intent head")
    ev.add_argument("--task", choices=("sentiment", "toxicity", "intent"), required=True)
    ev.add_argument("--data", type=Path, required=True, help="CSV to score")
    ev.add_argument("--train", type=Path, help="intent task: CSV to train the intent head on")
    ev.add_argument("--text-col", default="text")
    ev.add_argument("--label-col", default="label")
    ev.add_argument("--label-map", default=None, help='e.g. "-1=negative,0=neutral,1=positive"')
    # let values such as "-1=negative,..." follow --label-map (argparse would take them for options)
    ev._negative_number_matcher = re.compile(r"^-\d+$|^-\d*\.\d+$|^-\d[^=\s]*=")
    ev.add_argument("--baseline", action="store_true", help="also train and score a TF-IDF + logistic regression peer")
    ev.add_argument(
        "--data-dir", type=Path, default=None, help=f"training datasets for --baseline (or ${DATASETS_ENV})"
    )
    ev.add_argument("--artifacts", type=Path, default=None, help="shipped artifacts folder (default models/artifacts)")
    ev.add_argument("--seed", type=int, default=0)
    bench = sub.add_parser("bench", help="latency, throughput, load time and peak RSS with all heads")
    bench.add_argument("--n", type=int, default=300, help="single-message calls to time")
    bench.add_argument("--batch-texts", type=int, default=1024)
    bench.add_argument(
        "--rounds", type=int, default=3, help="batched passes; the median is reported (shared cores vary run to run)"
    )
    bench.add_argument("--artifacts", type=Path, default=None)


def add_model_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Mount `model eval|bench` on the main CLI's subparsers."""
    parser: argparse.ArgumentParser = subparsers.add_parser("model", help="evaluate and benchmark the classifiers")
    _add_commands(parser, "model_command")
    return parser


# -- CSV input -----------------------------------------------------------------------------------


def parse_label_map(spec: str | None) -> dict[str, str]:
    if not spec:
        return {}
    out: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise CommandError(f"bad --label-map item {part!r}: expected RAW=LABEL")
        raw, label = part.split("=", 1)
        out[raw.strip()] = label.strip()
    return out


def read_labelled_csv(
    path: Path, text_col: str, label_col: str, label_map: dict[str, str], allowed: Sequence[str] | None
) -> tuple[list[str], list[str]]:
    """Texts and mapped labels; CommandError naming the file, row or column on any problem."""
    if not path.is_file():
        raise CommandError(f"file not found: {path}")
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = reader.fieldnames or []
            for col in (text_col, label_col):
                if col not in columns:
                    raise CommandError(f"{path}: no column {col!r} (columns: {', '.join(columns) or 'none'})")
            texts: list[str] = []
            labels: list[str] = []
            for row_no, row in enumerate(reader, start=2):
                text = (row.get(text_col) or "").strip()
                raw = (row.get(label_col) or "").strip()
                if not text:
                    raise CommandError(f"{path}:{row_no}: empty text in column {text_col!r}")
                label = label_map.get(raw, raw)
                if allowed is not None and label not in allowed:
                    raise CommandError(
                        f"{path}:{row_no}: unknown label {raw!r} in column {label_col!r} "
                        f"(expected one of {', '.join(allowed)}; use --label-map)"
                    )
                if not label:
                    raise CommandError(f"{path}:{row_no}: empty label in column {label_col!r}")
                texts.append(text)
                labels.append(label)
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise CommandError(f"{path}: malformed CSV ({exc})") from exc
    if not texts:
        raise CommandError(f"{path}: no rows")
    return texts, labels


# -- metrics -------------------------------------------------------------------------------------


@dataclass
class Scores:
    name: str
    accuracy: float
    macro_f1: float
    roc_auc: float | None
    texts_per_s: float
    labels: list[str]
    confusion: list[list[int]]
    extra: dict[str, float]
    samples: dict[str, np.ndarray] = field(default_factory=dict)  # bootstrap draws per figure

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "texts_per_s": round(self.texts_per_s, 1),
        }
        if self.roc_auc is not None:
            out["roc_auc"] = round(self.roc_auc, 4)
        for metric, draws in self.samples.items():
            ci = bootstrap.interval(draws)
            if ci is not None:
                out[f"{metric}_ci95"] = [round(ci[0], 4), round(ci[1], 4)]
        out.update({k: round(v, 4) for k, v in self.extra.items()})
        out["labels"] = self.labels
        out["confusion"] = self.confusion
        return out


CI_METRICS = ("accuracy", "macro_f1", "roc_auc")


def score(
    name: str,
    gold: Sequence[str],
    pred: Sequence[str],
    labels: Sequence[str],
    texts_per_s: float,
    binary_scores: np.ndarray | None = None,
    positive: str | None = None,
    draws: np.ndarray | None = None,
) -> Scores:
    """The figures of one model on one file; with bootstrap `draws` (`bootstrap.resamples`), their samples
    too (pass the same draws to compare two models on the same file)."""
    from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

    present = [lab for lab in labels if lab in set(gold) | set(pred)]
    auc: float | None = None
    samples: dict[str, np.ndarray] = {}
    if draws is not None and len(gold):
        gold_codes, pred_codes = bootstrap.label_codes(gold, pred, present)
        samples["accuracy"] = bootstrap.accuracy_samples(gold_codes, pred_codes, draws)
        samples["macro_f1"] = bootstrap.macro_f1_samples(gold_codes, pred_codes, len(present), draws)
    if binary_scores is not None and positive is not None:
        truth = np.array([g == positive for g in gold])
        if truth.any() and not truth.all():
            auc = float(roc_auc_score(truth, binary_scores))
            if draws is not None:
                samples["roc_auc"] = bootstrap.roc_auc_samples(truth, np.asarray(binary_scores), draws)
    return Scores(
        name=name,
        accuracy=float(accuracy_score(gold, pred)),
        macro_f1=float(f1_score(gold, pred, labels=present, average="macro", zero_division=0)),
        roc_auc=auc,
        texts_per_s=texts_per_s,
        labels=present,
        confusion=_confusion(gold, pred, present),
        extra={},
        samples=samples,
    )


def paired_differences(model: Scores, peer: Scores) -> dict[str, dict[str, Any]]:
    """`model` minus `peer` per figure both have, with the 95% interval of the paired bootstrap (both scored
    on the same draws): an interval above 0 means the model is better beyond the file's sampling noise."""
    out: dict[str, dict[str, Any]] = {}
    for metric in CI_METRICS:
        a, b = model.samples.get(metric), peer.samples.get(metric)
        value_a, value_b = getattr(model, metric), getattr(peer, metric)
        if a is None or b is None or value_a is None or value_b is None:
            continue
        ci = bootstrap.interval(a - b)
        if ci is not None:
            out[metric] = {"diff": round(value_a - value_b, 4), "ci95": [round(ci[0], 4), round(ci[1], 4)]}
    return out


def _confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    """Counts of (gold, predicted) pairs, rows and columns in `labels` order (sklearn's confusion_matrix,
    which warns when a small file holds one label only)."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        matrix[index[g]][index[p]] += 1
    return matrix


def report(task: str, n: int, all_scores: Sequence[Scores]) -> None:
    """The figures side by side with their intervals, the paired differences from the peer (the second
    model), the confusion matrices, and as the last line the JSON object: the first model's figures, the
    peer's under `baseline` and the differences under `vs_baseline`."""
    figures = [s.as_json() for s in all_scores]
    summary: dict[str, Any] = {"task": task, "n": n, **figures[0]}
    if len(all_scores) > 1:
        summary["baseline"] = figures[1]
        summary["vs_baseline"] = paired_differences(all_scores[0], all_scores[1])
    keys = ["accuracy", "macro_f1", "roc_auc", "texts_per_s"]
    keys += sorted({k for s in all_scores for k in s.extra})
    width = max(len(s.name) for s in all_scores) + 2
    print("metric".ljust(16) + "".join(s.name.rjust(width) for s in all_scores))
    for key in keys:
        cells = []
        for figure in figures:
            value = figure.get(key)
            text = "-" if value is None else f"{value:.1f}" if key == "texts_per_s" else f"{value:.4f}"
            cells.append(text.rjust(width))
        print(key.ljust(16) + "".join(cells))
        spans = [figure.get(f"{key}_ci95") for figure in figures]
        if any(spans):
            print("  95% interval".ljust(16) + "".join(
                ("-" if span is None else f"{span[0]:.3f}-{span[1]:.3f}").rjust(width) for span in spans))
    for metric, difference in summary.get("vs_baseline", {}).items():
        low, high = difference["ci95"]
        verdict = "better" if low > 0 else "worse" if high < 0 else "within sampling noise"
        print(f"{metric}: {all_scores[0].name} - {all_scores[1].name} = {difference['diff']:+.4f}"
              f" (95% interval {low:+.4f} to {high:+.4f}: {verdict})")
    for s in all_scores:
        if len(s.labels) > MAX_PRINTED_LABELS:
            print(f"\nconfusion matrix ({s.name}): {len(s.labels)} labels, in the JSON line only")
            continue
        print(f"\nconfusion matrix ({s.name}; rows = gold, columns = predicted)")
        label_width = max(len(lab) for lab in s.labels) + 2
        print(" " * label_width + "".join(lab[:10].rjust(11) for lab in s.labels))
        for lab, row in zip(s.labels, s.confusion, strict=True):
            print(lab.ljust(label_width) + "".join(str(v).rjust(11) for v in row))
    print(json.dumps(summary, ensure_ascii=False))


# -- eval ----------------------------------------------------------------------------------------


def _binary_score(
    task: str, labels: Sequence[str], gold: Sequence[str], probs: np.ndarray
) -> tuple[np.ndarray, str] | None:
    """The score and positive class for ROC AUC when the task (or the data) is binary."""
    if task == "toxicity":
        return probs[:, list(labels).index("toxic")], "toxic"
    if set(gold) <= {"negative", "positive"}:
        return probs[:, list(labels).index("positive")] - probs[:, list(labels).index("negative")], "positive"
    return None


def _baseline_pipeline(seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    from models.lexical import CHAR_PARAMS
    from models.stable_tfidf import StableTfidfVectorizer

    features = make_union(
        StableTfidfVectorizer(max_features=300_000, **CHAR_PARAMS),
        StableTfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
    )
    return make_pipeline(features, LogisticRegression(C=5.0, max_iter=2000, random_state=seed))


def _shipped_training_data(task: str, data_dir: Path | None, meta: dict[str, Any]) -> tuple[list[str], list[str]]:
    from models.training_data import DataConfig, DataError, default_data_dir, load_all, split, task_examples

    root = data_dir or default_data_dir()
    if not root.is_dir():
        raise CommandError(
            f"--baseline needs the training datasets: {root} not found (pass --data-dir or set {DATASETS_ENV})"
        )
    config = DataConfig(**meta.get("data_config", {}))
    seed = int(meta.get("seed", 0))
    try:
        train, _dev = split(load_all(root, seed=seed, config=config), seed)
    except DataError as exc:
        raise CommandError(str(exc)) from exc
    return task_examples(train, task)


def eval_shipped(args: argparse.Namespace) -> int:
    from models.analyzer import TextAnalyzer
    from models.artifact_files import ArtifactError

    task: str = args.task
    labels = TASK_LABELS[task]
    label_map = {**DEFAULT_LABEL_MAPS[task], **parse_label_map(args.label_map)}
    texts, gold = read_labelled_csv(args.data, args.text_col, args.label_col, label_map, labels)
    try:
        analyzer = TextAnalyzer.load(artifacts=args.artifacts, require_heads=True)
    except ArtifactError as exc:
        raise CommandError(str(exc)) from exc
    assert analyzer.heads is not None
    _warm_up(analyzer, texts)
    started = time.perf_counter()
    probs = analyzer.analyze_arrays(texts).probs
    rate = len(texts) / max(time.perf_counter() - started, 1e-9)
    head_labels = analyzer.heads.tasks[task]
    p = probs[task]
    pred = [head_labels[i] for i in p.argmax(axis=1)]
    binary = _binary_score(task, head_labels, gold, p)
    draws = bootstrap.resamples(len(texts), seed=args.seed)
    scores, positive = binary or (None, None)
    results = [score("shipped", gold, pred, labels, rate, scores, positive, draws=draws)]
    if args.baseline:
        train_texts, train_labels = _shipped_training_data(task, args.data_dir, analyzer.heads.meta)
        print(f"training the TF-IDF + logistic regression peer on {len(train_texts)} texts ...", file=sys.stderr)
        model = _baseline_pipeline(args.seed).fit(train_texts, train_labels)
        started = time.perf_counter()
        bp = model.predict_proba(texts)
        b_rate = len(texts) / max(time.perf_counter() - started, 1e-9)
        classes = [str(c) for c in model.classes_]
        full = np.zeros((len(texts), len(head_labels)), dtype=np.float64)
        for j, cls in enumerate(classes):
            full[:, head_labels.index(cls)] = bp[:, j]
        b_pred = [head_labels[i] for i in full.argmax(axis=1)]
        b_scores, b_positive = _binary_score(task, head_labels, gold, full) or (None, None)
        results.append(score("tfidf_logreg", gold, b_pred, labels, b_rate, b_scores, b_positive, draws=draws))
    print(f"task {task}: {len(texts)} texts from {args.data}")
    report(task, len(texts), results)
    return 0


def _oos_scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    from models.intent_head import OOS

    out: dict[str, float] = {}
    if OOS in gold:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == OOS and p == OOS)
        predicted = sum(1 for p in pred if p == OOS)
        actual = sum(1 for g in gold if g == OOS)
        out["oos_precision"] = tp / predicted if predicted else 0.0
        out["oos_recall"] = tp / actual if actual else 0.0
    in_scope = [(g, p) for g, p in zip(gold, pred, strict=True) if g != OOS]
    if in_scope:
        out["in_scope_accuracy"] = sum(1 for g, p in in_scope if g == p) / len(in_scope)
    return out


def _rejection_cost(
    gold: Sequence[str], labels: Sequence[str], probs: np.ndarray, threshold: float, closed_set: bool
) -> dict[str, float]:
    """For a closed-set test: accuracy with the out-of-scope threshold applied, and the share it rejects."""
    from models.intent_head import labels_or_oos

    if not closed_set or not len(gold):
        return {}
    pred = labels_or_oos(labels, probs, threshold)
    return {
        "accuracy_with_rejection": float(np.mean([p == g for p, g in zip(pred, gold, strict=True)])),
        "rejected_share": float(np.mean(probs.max(axis=1) < threshold)),
    }


def eval_intent(args: argparse.Namespace) -> int:
    from models.analyzer import TextAnalyzer
    from models.intent_head import OOS, IntentHead, IntentHeadError, calibrate_threshold, labels_or_oos

    if args.train is None:
        raise CommandError("--task intent needs --train TRAIN.csv (the examples to train the intent head on)")
    label_map = parse_label_map(args.label_map)
    train_texts, train_labels = read_labelled_csv(args.train, args.text_col, args.label_col, label_map, None)
    known = sorted(set(train_labels) | {OOS})
    texts, gold = read_labelled_csv(args.data, args.text_col, args.label_col, label_map, known)
    analyzer = TextAnalyzer.load()
    try:
        head = IntentHead.train(analyzer.intent_vectors, train_texts, train_labels, seed=args.seed)
    except IntentHeadError as exc:
        raise CommandError(f"{args.train}: {exc}") from exc
    analyzer.intent_vectors(texts[:8])
    started = time.perf_counter()
    vectors = analyzer.intent_vectors(texts)
    probs = head.probabilities(vectors, texts)
    rate = len(texts) / max(time.perf_counter() - started, 1e-9)
    # Neither file has `oos` examples: a closed-set task, scored on the best label. What the
    # out-of-scope threshold (which a brand's bot applies) would cost is reported beside it.
    closed_set = OOS not in gold and OOS not in train_labels
    labels = [*head.labels, OOS]
    pred = labels_or_oos(head.labels, probs, 0.0 if closed_set else head.threshold)
    draws = bootstrap.resamples(len(texts), seed=args.seed)
    results = [score("intent_head", gold, pred, labels, rate, draws=draws)]
    results[0].extra = {
        **_oos_scores(gold, pred),
        **_rejection_cost(gold, head.labels, probs, head.threshold, closed_set),
        "threshold": head.threshold,
    }
    if args.baseline:
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        in_idx = [i for i, lab in enumerate(train_labels) if lab != OOS]
        x_in = [train_texts[i] for i in in_idx]
        y_in = [train_labels[i] for i in in_idx]
        oos_texts = [t for t, lab in zip(train_texts, train_labels, strict=True) if lab == OOS]
        model = _baseline_pipeline(args.seed)
        min_count = min(y_in.count(lab) for lab in set(y_in))
        threshold = 0.0
        if min_count >= 2 and len(set(y_in)) >= 2:
            cv = StratifiedKFold(n_splits=min(5, min_count), shuffle=True, random_state=args.seed)
            held = cross_val_predict(model, x_in, y_in, cv=cv, method="predict_proba")
            classes = sorted(set(y_in))
            top_oos = np.zeros(0)
            if oos_texts:
                top_oos = model.fit(x_in, y_in).predict_proba(oos_texts).max(axis=1)
            correct = np.array([classes[int(i)] == y for i, y in zip(held.argmax(axis=1), y_in, strict=True)])
            threshold = calibrate_threshold(held.max(axis=1), correct, top_oos)
        model.fit(x_in, y_in)
        started = time.perf_counter()
        bp = model.predict_proba(texts)
        b_rate = len(texts) / max(time.perf_counter() - started, 1e-9)
        classes = [str(c) for c in model.classes_]
        b_pred = labels_or_oos(classes, bp, 0.0 if closed_set else threshold)
        base_scores = score("tfidf_logreg", gold, b_pred, labels, b_rate, draws=draws)
        base_scores.extra = {
            **_oos_scores(gold, b_pred),
            **_rejection_cost(gold, classes, bp, threshold, closed_set),
            "threshold": threshold,
        }
        results.append(base_scores)
    print(f"task intent: trained on {len(train_texts)} examples ({len(head.labels)} intents), scored {len(texts)}")
    if closed_set:
        print("no `oos` examples in either file: scored as closed-set classification (best label);"
              " accuracy_with_rejection applies the out-of-scope threshold as a bot would")
    report("intent", len(texts), results)
    return 0


# -- bench ---------------------------------------------------------------------------------------

BENCH_TEXTS = (
    "Интернет не работает уже третий день, сколько можно?!",
    "Спасибо большое, всё починили очень быстро 👍",
    "Как подключить тариф с безлимитным интернетом?",
    "Вы вообще собираетесь вернуть мне деньги или нет",
    "İnternetim iki gündür çalışmıyor, yardım eder misiniz?",
    "Kargom hâlâ gelmedi, rezalet bir hizmet.",
    "Teşekkürler, sorun çözüldü.",
    "My order has not arrived yet, where is it?",
    "Thanks a lot, the support team was great!",
    "How do I cancel my subscription?",
)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# Int8 instruction sets, best first. The figures depend on which the CPU has: the same graph ran 720 texts/s
# batched on a 2-core Xeon with AVX-512 VNNI and AMX, 259 on a 2-core AVX2-only EPYC.
INT8_ISAS = ("amx_int8", "avx512_vnni", "avx_vnni", "avx2")


def cpu_description(cpuinfo: Path = Path("/proc/cpuinfo")) -> dict[str, Any]:
    """The CPU's model name, its cores as this process sees them, and its best int8 instruction set (Linux's
    /proc/cpuinfo; elsewhere what `platform` tells)."""
    import platform

    model, flags = platform.processor() or platform.machine(), set[str]()
    try:
        for line in cpuinfo.read_text(errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and value.strip():
                model = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0
    best = next((isa for isa in INT8_ISAS if isa in flags), "other" if flags else "unknown")
    return {"model": model, "cores": cores, "int8": best}


def _warm_up(analyzer: TextAnalyzer, texts: Sequence[str]) -> None:
    """Pay the one-time costs before timing: ONNX Runtime's first runs, and for more than FAST_PATH_MAX texts
    at once, loading the lexical models' sklearn vectorizers (about a second, which the bot, scoring at most 32
    messages at a time, never spends)."""
    from models.lexical import FAST_PATH_MAX

    for text in texts[:8]:
        analyzer.analyze_arrays([text])
    analyzer.analyze_arrays(list(itertools.islice(itertools.cycle(texts), FAST_PATH_MAX + 1)))


def bench(args: argparse.Namespace) -> int:
    from models.analyzer import TextAnalyzer
    from models.encoder import Encoder, encoder_is_cached

    if not encoder_is_cached():
        raise CommandError("the encoder cache is missing; run `smm-responder setup` first")
    started = time.perf_counter()
    analyzer = TextAnalyzer.load(Encoder(), artifacts=args.artifacts)
    load_s = time.perf_counter() - started
    heads = "sentiment+toxicity" if analyzer.heads is not None else "none (embedding only)"
    _warm_up(analyzer, BENCH_TEXTS)
    timings = []
    for i in range(args.n):
        t0 = time.perf_counter()
        analyzer.analyze([BENCH_TEXTS[i % len(BENCH_TEXTS)]])
        timings.append((time.perf_counter() - t0) * 1000)
    texts = [BENCH_TEXTS[i % len(BENCH_TEXTS)] + f" #{i}" for i in range(args.batch_texts)]
    rates = []
    for _ in range(max(1, args.rounds)):
        t0 = time.perf_counter()
        analyzer.analyze(texts)
        rates.append(len(texts) / (time.perf_counter() - t0))
    rate = float(np.median(rates))
    cpu = cpu_description()
    result = {
        "heads": heads,
        "runtime": analyzer.runtime,
        "cpu": cpu,
        "p50_ms": round(float(np.percentile(timings, 50)), 2),
        "p99_ms": round(float(np.percentile(timings, 99)), 2),
        "batched_texts_per_s": round(rate, 1),
        "batched_rounds": [round(r, 1) for r in rates],
        "load_s": round(load_s, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }
    print(f"heads: {heads}; runtime: {analyzer.runtime}")
    print(f"CPU: {cpu['model']}, {cpu['cores']} cores, best int8 instructions: {cpu['int8']}")
    print(f"single message latency: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms ({args.n} calls)")
    print(
        f"batched: {result['batched_texts_per_s']} texts/s, median of {len(rates)} passes "
        f"({', '.join(f'{r:.1f}' for r in rates)}; {len(texts)} texts, batches of 32)"
    )
    print(f"load time: {result['load_s']} s; peak RSS: {result['peak_rss_mb']} MB")
    print(json.dumps(result, ensure_ascii=False))
    return 0


# -- entry points ----------------------------------------------------------------------------------


def run_model_command(args: argparse.Namespace) -> int:
    """Run `model eval|bench`; user errors print one line and return 2."""
    command = getattr(args, "model_command", None)
    try:
        # Everything torch does runs on the torch thread (see models.torch_thread), so measured
        # speed is the speed the bot gets.
        if command == "eval":
            return on_torch_thread(eval_intent if args.task == "intent" else eval_shipped, args)
        if command == "bench":
            return on_torch_thread(bench, args)
        raise CommandError(f"unknown model command {command!r}")
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m models.cli_model", description="evaluate and benchmark the classifiers"
    )
    _add_commands(parser, "model_command")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    return run_model_command(args)


if __name__ == "__main__":
    sys.exit(main())
