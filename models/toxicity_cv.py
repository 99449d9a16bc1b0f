"""Cross-validated toxicity figures for comparing training recipes (the 196-text dev split cannot tell changes of a
few thousandths apart).

5-fold cross-validation on `encodechka_train/toxic_train.csv` (2,000 labelled comments): per fold, the top encoder
layers are fine-tuned on toxicity alone, as `models.train` does (same layers, optimiser, schedule and embedding
distillation), and score the held-out fold; the TF-IDF model (`models.lexical`, with the shipped toxicity settings:
NB-weighted features) is fitted on the same folds.
Prints each fold's ROC AUC, then one JSON line: the encoder's, the TF-IDF model's, their averages (`mix_*`), and
the stacking regression over both and the abusive-word mark (models.stacking): its ROC AUC, itself cross-validated
over the out-of-fold scores, and its coefficients fitted on all of them (`stack`: what `TrainConfig.toxicity_stack`
ships).

Run: `python -m models.toxicity_cv [--passes 3] [--repeat 3] [--aux 0.5] [--seed 0] [--save-scores FILE.npz]
[--data-dir DIR]` (4-12 minutes on 2 cores). `--passes`: epochs over the folds' training texts (the shipped
recipe makes 9: toxic_ru x3 over 3 epochs); `--aux W`: also train heads for the file's INSULT / THREAT /
OBSCENITY labels, with loss weight W;
`--inappropriate W`: also train a head on `inappropriate_train.csv` (3,000 comments on sensitive topics, y 0/1)
in every fold, with loss weight W (its texts join the batches; the passes count the toxicity texts).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from models.abusive_words import abusive
from models.encoder import Encoder
from models.heads import TunedTop
from models.language import detect_language
from models.lexical import LexicalModel
from models.stacking import Stack
from models.train import Item, TrainConfig, _batches, _collate, _set_seed, distilled_forward, frozen_states
from models.training_data import DataError, default_data_dir

FOLDS = 5
FINE_LABELS = ("insult", "threat", "obscenity")
MIX_SHARES = (0.2, 0.3, 0.4, 0.5)


def _read(path: Path) -> tuple[list[str], np.ndarray, dict[str, np.ndarray]]:
    if not path.exists():
        raise DataError(f"training data not found: {path} (set --data-dir)")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    texts = [r["text"] for r in rows]
    toxic = np.array([int(r["toxic"]) for r in rows])
    fine = {k: np.array([int(f"__label__{k.upper()}" in r["labels"]) for r in rows]) for k in FINE_LABELS}
    return texts, toxic, fine


def _read_inappropriate(path: Path, exclude: set[str]) -> tuple[list[str], list[int]]:
    if not path.exists():
        raise DataError(f"training data not found: {path} (set --data-dir)")
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["text"].strip() and r["text"] not in exclude]
    return [r["text"] for r in rows], [int(float(r["y"])) for r in rows]


def _fit_fold(encoder: Encoder, items: Sequence[Item], fine: dict[str, np.ndarray], train_rows: np.ndarray,
              passes: float, aux: float, seed: int, extra: Sequence[Item] = (), extra_weight: float = 0.0,
              repeat: int = 1) -> TunedTop:
    config = TrainConfig()
    _set_seed(seed)
    tasks: dict[str, list[str]] = {"toxicity": ["clean", "toxic"]}
    if aux:
        tasks.update({k: ["no", "yes"] for k in fine})
    if extra:
        tasks["inappropriate"] = ["no", "yes"]
    tuned = TunedTop.from_base(encoder.model, config.split_layer, tasks, encoder.dim)
    optimizer = torch.optim.AdamW([
        {"params": list(tuned.layers.parameters()), "lr": config.lr_layers, "weight_decay": config.weight_decay},
        {"params": list(tuned.heads.parameters()) + list(tuned.proj.parameters()), "lr": config.lr_heads,
         "weight_decay": 0.0},
    ])
    train_items = [items[i] for i in train_rows] * repeat + list(extra)
    row_of = {id(items[i]): int(i) for i in train_rows}
    total = int(math.ceil(len(train_items) / config.batch_size) * passes)
    warmup = max(1, int(total * config.warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: (s + 1) / warmup if s < warmup else max(0.0, (total - s) / max(1, total - warmup)))
    rng = random.Random(seed)
    step = 0
    tuned.train()
    while step < total:
        for batch in _batches(train_items, config.batch_size, rng):
            if step >= total:
                break
            pooled, loss = distilled_forward(tuned, batch, config.distill_weight)
            for task, weight in (("toxicity", 1.0), ("inappropriate", extra_weight)):
                picked = [j for j, it in enumerate(batch) if it.task == task]
                if picked:
                    gold = torch.tensor([batch[j].label for j in picked])
                    loss = loss + weight * nn.functional.cross_entropy(
                        tuned.heads[task](pooled[picked]), gold, reduction="sum")
            if aux:
                own = [j for j, it in enumerate(batch) if it.task == "toxicity"]
                rows = [row_of[id(batch[j])] for j in own]
                for name, labels in fine.items():
                    loss = loss + aux * nn.functional.cross_entropy(
                        tuned.heads[name](pooled[own]), torch.tensor(labels[rows]), reduction="sum")
            optimizer.zero_grad()
            (loss / len(batch)).backward()
            nn.utils.clip_grad_norm_(tuned.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
    return tuned.eval()


@torch.inference_mode()
def _score(tuned: TunedTop, items: Sequence[Item]) -> np.ndarray:
    out = np.zeros(len(items))
    for start in range(0, len(items), 64):
        hidden, mask = _collate(items[start : start + 64])
        out[start : start + 64] = torch.softmax(tuned(hidden, mask, ["toxicity"])["toxicity"], dim=-1)[:, 1].numpy()
    return out


def cross_validate(data_dir: Path, passes: float, aux: float, seed: int, inappropriate: float = 0.0,
                   repeat: int = 1, save_scores: Path | None = None) -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    texts, toxic, fine = _read(data_dir / "encodechka_train" / "toxic_train.csv")
    more, more_labels = ([], []) if not inappropriate else _read_inappropriate(
        data_dir / "encodechka_train" / "inappropriate_train.csv", set(texts))
    encoder = Encoder(quantize=False, max_tokens=TrainConfig.max_tokens)
    states, targets = frozen_states(encoder, TrainConfig.split_layer, texts, "frozen layers")
    items = [Item(states[i], "toxicity", int(toxic[i]), targets[i]) for i in range(len(texts))]
    extra: list[Item] = []
    if inappropriate:
        more_states, more_targets = frozen_states(encoder, TrainConfig.split_layer, more, "inappropriate")
        extra = [Item(more_states[i], "inappropriate", more_labels[i], more_targets[i]) for i in range(len(more))]
    encoder_scores, lexical_scores = np.zeros(len(texts)), np.zeros(len(texts))
    started = time.monotonic()
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(texts, toxic)
    for fold, (train_rows, test_rows) in enumerate(folds):
        tuned = _fit_fold(encoder, items, fine, train_rows, passes, aux, seed, extra, inappropriate, repeat)
        encoder_scores[test_rows] = _score(tuned, [items[i] for i in test_rows])
        lexical = LexicalModel.fit([texts[i] for i in train_rows],
                                   ["toxic" if toxic[i] else "clean" for i in train_rows], seed=seed,
                                   **TrainConfig().lexical_fit("toxicity"))
        lexical_scores[test_rows] = lexical.predict_proba([texts[i] for i in test_rows], ["clean", "toxic"])[:, 1]
        print(f"fold {fold}: encoder ROC AUC {roc_auc_score(toxic[test_rows], encoder_scores[test_rows]):.4f}"
              f" ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)
    result: dict[str, Any] = {
        "passes": passes, "repeat": repeat, "aux": aux, "inappropriate": inappropriate, "seed": seed, "n": len(texts),
        "encoder_auc": round(float(roc_auc_score(toxic, encoder_scores)), 4),
        "lexical_auc": round(float(roc_auc_score(toxic, lexical_scores)), 4)}
    marks = np.array([abusive(t, detect_language(t)) for t in texts], dtype=np.float64)
    if save_scores is not None:
        np.savez(save_scores, toxic=toxic, encoder=encoder_scores, lexical=lexical_scores, abusive=marks)
    for share in MIX_SHARES:
        mixed = (1 - share) * encoder_scores + share * lexical_scores
        result[f"mix_{share}_auc"] = round(float(roc_auc_score(toxic, mixed)), 4)
    result["stack_without_mark_auc"] = _stacked_auc(toxic, encoder_scores, lexical_scores, np.zeros_like(marks))
    result["stack_auc"] = _stacked_auc(toxic, encoder_scores, lexical_scores, marks)
    result["stack"] = Stack.fit(encoder_scores, lexical_scores, marks, toxic).to_json()
    return result


def _stacked_auc(toxic: np.ndarray, encoder: np.ndarray, lexical: np.ndarray, marks: np.ndarray) -> float:
    """ROC AUC of the stacking regression, itself cross-validated over the out-of-fold scores (other folds)."""
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    stacked = np.zeros(len(toxic))
    for train_rows, test_rows in StratifiedKFold(FOLDS, shuffle=True, random_state=1).split(encoder, toxic):
        stack = Stack.fit(encoder[train_rows], lexical[train_rows], marks[train_rows], toxic[train_rows])
        stacked[test_rows] = stack.combine(encoder[test_rows], lexical[test_rows], marks[test_rows])
    return round(float(roc_auc_score(toxic, stacked)), 4)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.toxicity_cv", description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=float, default=3.0, help="epochs over each fold's training texts")
    parser.add_argument("--aux", type=float, default=0.0, help="loss weight of the fine-grained label heads")
    parser.add_argument("--inappropriate", type=float, default=0.0,
                        help="loss weight of a head trained on inappropriate_train.csv (0: not used)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="toxicity texts repeated per pass (the shipped recipe: 3, over 3 passes)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save-scores", type=Path, default=None, metavar="FILE.npz",
                        help="also save every comment's out-of-fold scores (label, encoder, TF-IDF, abusive-word mark)")
    parser.add_argument("--data-dir", type=Path, default=None, help="default: ../shared/datasets")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    try:
        result = cross_validate(args.data_dir or default_data_dir(), args.passes, args.aux, args.seed,
                                args.inappropriate, args.repeat, args.save_scores)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
