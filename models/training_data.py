"""Training data for the shipped heads, read from ../shared/datasets (never copied into the repo).

Only the training halves of the public datasets are read. A fixed, content-hashed dev split is
kept apart from training: the same text always lands in the same split, so duplicates across
sources never leak from train into dev.
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATASETS_ENV = "SMM_RESPONDER_DATASETS"
SENTIMENT_LABELS = ("negative", "neutral", "positive")
TOXICITY_LABELS = ("clean", "toxic")
DEV_PERCENT = 10

csv.field_size_limit(10_000_000)


class DataError(RuntimeError):
    """Training data is missing or malformed."""


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    task: str  # "sentiment" | "toxicity" | "intent"
    source: str  # dataset name, for per-source dev figures
    lang: str
    # Split by this text instead (e.g. a translation's original); with `train_only`, a dev member is dropped.
    split_key: str = ""
    train_only: bool = False


def default_data_dir() -> Path:
    env = os.environ.get(DATASETS_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"


def _require(path: Path) -> Path:
    if not path.exists():
        raise DataError(f"training data not found: {path} (set --data-dir or {DATASETS_ENV})")
    return path


_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def is_dev(text: str, seed: int = 0) -> bool:
    """Deterministic dev membership from the lower-cased text and the seed."""
    digest = hashlib.sha1(f"{seed}:{normalise(text).lower()}".encode()).digest()
    return int.from_bytes(digest[:4], "little") % 100 < DEV_PERCENT


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    with _require(path).open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def _sentiment_ru(root: Path, speech_as: str) -> list[Example]:
    out: list[Example] = []
    num = {"-1": "negative", "0": "neutral", "1": "positive"}
    for row in _csv_rows(root / "encodechka_train" / "SentiRuEval2016_small_train.csv"):
        out.append(Example(row["text"], num[row["answer"].strip()], "sentiment", "sentirueval2016", "ru"))
    for part in ("banks", "telecoms"):
        path = _require(root / "sentirueval2015_banks_telecom" / "derived_tsv" / f"{part}_train.tsv")
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                label = row["tweet_label"]
                if label in SENTIMENT_LABELS:
                    out.append(Example(row["text"], label, "sentiment", "sentirueval2015", "ru"))
    for row in _csv_rows(root / "rusentitweet" / "rusentitweet_train.csv"):
        label = row["label"]
        if label == "skip":
            continue
        if label == "speech":
            if speech_as == "drop":
                continue
            label = speech_as
        out.append(Example(row["text"], label, "sentiment", "rusentitweet", "ru"))
    return out


def _sentiment_tr(root: Path, rng: random.Random, fsmtsad_max: int, hepsi_pos_max: int) -> list[Example]:
    out: list[Example] = []
    num = {"0": "negative", "1": "neutral", "2": "positive"}
    rows = [r for r in _csv_rows(root / "fsmtsad_tr" / "fsmtsa.csv") if r["Label"].strip() in num]
    rows.sort(key=lambda r: r["Sentence"])
    rng.shuffle(rows)
    for row in rows[:fsmtsad_max]:
        out.append(Example(row["Sentence"], num[row["Label"].strip()], "sentiment", "fsmtsad_tr", "tr"))
    pos: list[Example] = []
    with _require(root / "tr_hepsiburada_reviews" / "train.csv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.reader(fh):
            if len(rec) < 2 or rec[0].strip() not in ("0", "1"):
                continue
            label = "positive" if rec[0].strip() == "1" else "negative"
            ex = Example(",".join(rec[1:]), label, "sentiment", "hepsiburada_tr", "tr")
            (pos if label == "positive" else out).append(ex)
    rng.shuffle(pos)
    out.extend(pos[:hepsi_pos_max])
    return out


def _sentiment_en(root: Path) -> list[Example]:
    base = root / "tweeteval_sentiment_en"
    texts = _require(base / "val_text.txt").read_text(encoding="utf-8").splitlines()
    labels = _require(base / "val_labels.txt").read_text(encoding="utf-8").splitlines()
    if len(texts) != len(labels):
        raise DataError(f"{base}: val_text/val_labels differ in length")
    return [
        Example(t, SENTIMENT_LABELS[int(y)], "sentiment", "tweeteval_val_en", "en")
        for t, y in zip(texts, labels, strict=True)
    ]


def _toxicity_ru(root: Path) -> list[Example]:
    return [
        Example(row["text"], TOXICITY_LABELS[int(float(row["toxic"]))], "toxicity", "toxic_ru", "ru")
        for row in _csv_rows(root / "encodechka_train" / "toxic_train.csv")
    ]


def _intents_ru(root: Path, with_originals: bool) -> list[Example]:
    """The Russian (machine-translated) requests; with `with_originals`, also their English originals.

    The originals are training-only and split by their Russian text, so an original never trains
    while its translation sits in the dev part.
    """
    out: list[Example] = []
    for row in _csv_rows(root / "encodechka_train" / "intents_train.csv"):
        out.append(Example(row["text"], row["label"], "intent", "intents_ru", "ru"))
        original = row.get("answer") or ""
        if with_originals and original.strip():
            out.append(Example(original, row["label"], "intent", "intents_en_original", "en", row["text"], True))
    return out


@dataclass(frozen=True)
class DataConfig:
    speech_as: str = "positive"  # rusentitweet "speech" (greetings/thanks): positive | neutral | drop
    # All 15853 sentences (16000) lifted tr FSMTSAD dev macro-F1 past the TF-IDF peer (0.898 vs 0.895) but cost
    # ru brand tweets (SentiRuEval-2016 dev accuracy 0.857 -> 0.833) and English (TweetEval F1 0.693 -> 0.650).
    fsmtsad_max: int = 7000
    hepsi_pos_max: int = 600
    with_intents: bool = True
    with_intent_originals: bool = True  # the English originals of the translated intent requests
    # Not used: CLINC150 (small train split, 7500) and Bitext (100 per intent) as auxiliary English intent tasks with
    # heads of their own. Same 2-core EPYC, dev split, against the shipped model: the brand intent head 0.808 -> 0.800,
    # SentiRuEval-2016 0.863 -> 0.847, TweetEval F1 0.707 -> 0.660, toxicity AUC 0.975 -> 0.971; 36 min of fine-tuning.


def load_all(data_dir: Path | None = None, *, seed: int = 0, config: DataConfig | None = None) -> list[Example]:
    """Every training example (train and dev parts), cleaned and deduplicated per task."""
    config = config or DataConfig()
    root = _require(data_dir or default_data_dir())
    rng = random.Random(seed)
    raw = _sentiment_ru(root, config.speech_as) + _sentiment_tr(root, rng, config.fsmtsad_max, config.hepsi_pos_max)
    raw += _sentiment_en(root) + _toxicity_ru(root)
    if config.with_intents:
        raw += _intents_ru(root, config.with_intent_originals)
    seen: set[tuple[str, str]] = set()
    out: list[Example] = []
    for ex in raw:
        text = normalise(ex.text)
        key = (ex.task, text.lower())
        if not text or key in seen:
            continue
        seen.add(key)
        out.append(Example(text, ex.label, ex.task, ex.source, ex.lang, ex.split_key, ex.train_only))
    return out


def split(examples: list[Example], seed: int = 0) -> tuple[list[Example], list[Example]]:
    train: list[Example] = []
    dev: list[Example] = []
    for e in examples:
        if not is_dev(e.split_key or e.text, seed):
            train.append(e)
        elif not e.train_only:
            dev.append(e)
    return train, dev


def task_examples(examples: list[Example], task: str) -> tuple[list[str], list[str]]:
    chosen = [e for e in examples if e.task == task]
    return [e.text for e in chosen], [e.label for e in chosen]
