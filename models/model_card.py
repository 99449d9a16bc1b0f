"""Write models/artifacts/MODEL_CARD.md from a training run's figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from models.artifact_files import META_FILE, WEIGHTS_FILE
from models.onnx_export import CALIBRATION_TEXTS
from models.turkish_letters import MIN_COUNT, WORDS_FILE

DATASETS: list[tuple[str, str, str, str]] = [
    # (source key, files read, licence as stated in SOURCE.txt, use)
    ("sentirueval2016", "encodechka_train/SentiRuEval2016_small_train.csv",
     "MIT (encodechka repository); tweets under Twitter terms", "ru sentiment"),
    ("sentirueval2015", "sentirueval2015_banks_telecom/derived_tsv/{banks,telecoms}_train.tsv (train.xml only)",
     "none stated (academic shared task SentiRuEval-2015); Twitter terms", "ru sentiment"),
    ("rusentitweet", "rusentitweet/rusentitweet_train.csv (skip dropped, speech -> positive)",
     "none stated (paper CC BY 4.0); Twitter terms", "ru sentiment"),
    ("fsmtsad_tr", "fsmtsad_tr/fsmtsa.csv (random subset)",
     "conflicting: LICENSE CC0 1.0, README non-commercial / academic only",
     "tr sentiment; word counts (`turkish_words.tsv`)"),
    ("hepsiburada_tr", "tr_hepsiburada_reviews/train.csv (all negatives, subset of positives)",
     "MIT (repository); review texts are Hepsiburada user content",
     "tr sentiment; word counts (`turkish_words.tsv`)"),
    ("tweeteval_val_en", "tweeteval_sentiment_en/val_{text,labels}.txt (val only)",
     "SemEval task licences + Twitter terms", "en sentiment"),
    ("toxic_ru", "encodechka_train/toxic_train.csv", "MIT (encodechka repository)", "ru toxicity"),
    ("intents_ru", "encodechka_train/intents_train.csv (column text)", "MIT (encodechka repository)",
     "ru intents (training task that shapes the intent vectors; this head is not used at inference)"),
    ("intents_en_original", "encodechka_train/intents_train.csv (column answer: English originals)",
     "MIT (encodechka repository)", "en intents, training part only (split by the Russian text)"),
]


def _fmt(row: dict[str, float]) -> str:
    auc = row.get("roc_auc")
    return (f"| {int(row['n'])} | {row['accuracy']:.4f} | {row['macro_f1']:.4f} | "
            + (f"{auc:.4f} |" if auc is not None else "- |"))


def _cosine(meta: dict[str, Any]) -> str:
    row = meta.get("embedding_cosine") or {}
    if not row:
        return "not measured"
    return f"mean {row['mean']:.3f}, 5th percentile {row['p05']:.3f}"


def _repeats(cfg: dict[str, Any]) -> str:
    pairs = cfg.get("source_repeat") or []
    return ", ".join(f"{source} examples x{times}" for source, times in pairs) or "no examples repeated"


def write_model_card(out_dir: Path, metrics: dict[str, Any], data_dir: Path) -> Path:
    meta = json.loads((out_dir / META_FILE).read_text())
    cfg = meta["train_config"]
    size_mb = (out_dir / WEIGHTS_FILE).stat().st_size / 1e6
    lines = [
        "# smm-responder classifier heads",
        "",
        "Fine-tuned copies of the top encoder layers plus linear heads for **sentiment** (negative / neutral /",
        "positive; ru, tr, en) and **toxicity** (clean / toxic; ru), shipped as fp16 deltas over the bundled",
        "base encoder (multilingual-e5-small, MIT, built offline by `models/encoder_cache.py`).",
        "",
        "## How it runs",
        "",
        f"- The base encoder's first {meta['split_layer']} layers (int8) run once per message; their hidden states",
        f"  feed the {meta['n_layers']} fine-tuned top layers (base + delta, int8 at inference) and the base's own top",
        "  layers never run. The mean-pooled output feeds the heads; a linear projection of it, distilled to",
        "  reproduce the base encoder's sentence embedding, is the embedding used for similarity matching",
        f"  (dev cosine to the base's: {_cosine(meta)}). A brand's intent head reads that embedding next to",
        "  the normalised pooled output.",
        "- A char 2-5 + word 1-2 TF-IDF logistic regression per task (`lexical_<task>.npz`, plain arrays) trained on",
        f"  the same data is averaged in with weight {json.dumps(meta.get('lexical_weight', {}))}",
        "  (share of the lexical model), per detected language "
        f"{json.dumps(meta.get('lexical_weight_by_language', {}))}",
        "  where given (in the bot, the language it read the message in: a brand's own Turkish words tell Turkish",
        "  typed without its letters). Chosen on the dev split from 0, 0.2, 0.4, 0.5, 0.6, 0.8, so the mixed dev",
        "  figures below are slightly optimistic. The toxicity model's features are NB-weighted (NBSVM: each",
        "  scaled by the",
        "  log-ratio of its smoothed share in toxic and in clean comments, folded into the coefficients; smoothing",
        "  0.25, C 30, chosen by 5-fold cross-validation on the training comments, `python -m models.toxicity_cv`:",
        "  TF-IDF alone 0.9457 -> 0.9570 ROC AUC, mixed 0.9733 -> 0.9773; on the 196-comment dev split, TF-IDF",
        "  alone 0.9408 -> 0.9592, mixed 0.9751 -> 0.9743, within that split's noise).",
        *_stack_lines(meta),
        "- The bot runs this graph (base lower layers, tuned top, pooling, projection, heads) on ONNX Runtime,",
        "  int8 (weights per output channel; each layer's attention one fused node; the FFN matmuls' outlier",
        "  input channels moved into their weights by SmoothQuant scaling; activations quantised with fixed",
        f"  scales, so a text scores the same in any batch; both from the ranges of {CALIBRATION_TEXTS} training",
        "  texts in `activation_ranges.npz`), exported into the cache by",
        "  `smm-responder setup` (`models/onnx_export.py`): on CPUs without AVX-512 VNNI a single message runs",
        "  2.5-3x faster than in torch's int8 (batches of 32: about 1.25x on a 2-core AVX2 EPYC), and running it",
        "  (`models/onnx_forward.py`) never imports torch.",
        "  `SMM_RESPONDER_RUNTIME=torch` (or no onnxruntime) runs it in torch int8 instead.",
        f"- Files: `{WEIGHTS_FILE}` ({size_mb:.1f} MB: layer deltas fp16, heads fp32), `{META_FILE}` (labels, config,",
        "  dev figures), `lexical_*.npz`, `activation_ranges.npz`, `dev_metrics.json` (per-epoch dev figures,",
        "  training counts).",
        f"- `{WORDS_FILE}`: how often each word of the Turkish training texts (training split) occurs, those seen",
        f"  at least {MIN_COUNT} times. Turkish typed without its letters (\"cok guzel urun\") is read as written",
        "  with them (\"çok güzel ürün\") before the classifier reads it, by the brand's own Turkish words first, then",
        "  these (`models/turkish_letters.py`); the dev figures' rows \"typed without Turkish letters, read back\" are",
        "  read so (with no brand's words, and only where the text is detected as Turkish).",
        "",
        "## Training",
        "",
        "```",
        "python -m models.train            # or: make model; datasets from ../shared/datasets,",
        "                                  # --data-dir DIR or SMM_RESPONDER_DATASETS to override",
        "```",
        "",
        "`python -m models.train --finish-only` keeps the fine-tuned layers and redoes the lexical models,",
        "dev figures and this card.",
        "",
        f"- Seed {meta['seed']}; {meta['train_examples']} training and {meta['dev_examples']} dev examples; "
        f"{meta['steps']} steps of batch {cfg['batch_size']},",
        f"  {cfg['epochs']} epochs, AdamW (layers lr {cfg['lr_layers']}, heads lr {cfg['lr_heads']}),"
        " linear warm-up/decay,",
        f"  {_repeats(cfg)}, "
        f"intent loss weight {cfg['intent_weight']}, "
        f"embedding distillation weight {cfg.get('distill_weight', 0)} (on 1 - cosine),",
        f"  max {cfg['max_tokens']} tokens.",
        f"- Layers 0-{meta['split_layer'] - 1} frozen (int8, as at inference); "
        f"layers {meta['split_layer']}-11 and heads trained.",
        f"- Training took {metrics.get('minutes', 0):.1f} min on this machine (2 CPU cores shared with other jobs;",
        "  about 30 min when the cores are free).",
        "- Dev split: a fixed 10% of every source chosen by a hash of the seed and the lower-cased text",
        "  (duplicates always fall on the same side); texts deduplicated per task.",
        "- Never read: test halves (rusentitweet_test/full, SentiRuEval-2015 test_etalon, TweetEval test, CEDR test,",
        "  CLINC150 test/oos_test).",
        "",
        "## Data and licences",
        "",
        "| source | files | licence as stated (SOURCE.txt) | use |",
        "|---|---|---|---|",
    ]
    lines += [f"| {k} | {f} | {lic} | {use} |" for k, f, lic, use in DATASETS]
    lines += [
        "",
        "Several licences are non-commercial, conflicting or unstated: check them before commercial use.",
        "",
        "## Dev-split figures (final model)",
        "",
        "| task / source | n | accuracy | macro-F1 | ROC AUC |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {key} " + _fmt(row) for key, row in sorted(metrics["dev"].items())]
    lines += [
        "",
        "Through the real inference path (int8 encoder and top layers, ONNX Runtime, lexical mix). Fine-tuned",
        "heads alone",
        "(fp32, before the lexical mix):",
        "",
        "| task / source | n | accuracy | macro-F1 | ROC AUC |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {key} " + _fmt(row) for key, row in sorted(metrics.get("finetune_only_dev", {}).items())]
    baseline = metrics.get("baseline_dev")
    if baseline:
        lines += [
            "",
            "TF-IDF (char 2-5 + word 1-2) + logistic regression peer on the same train/dev split:",
            "",
            "| task / source | n | accuracy | macro-F1 | ROC AUC |",
            "|---|---|---|---|---|",
        ]
        lines += [f"| {key} " + _fmt(row) for key, row in sorted(baseline.items())]
    lines += [
        "",
        "## Limits",
        "",
        "- Trained on tweets and reviews; support messages to brands are close but not the same domain.",
        "- Turkish and English sentiment rest on small or partly synthetic sets (FSMTSAD mixes generated text).",
        "- Toxicity is Russian-only training data. The bot takes a task's score as it is only for texts detected in a "
        "language the task was trained on (`task_languages` in `tuned_top.json`); a text whose language is not "
        "detected (a short one, mostly) gets it too. On clean Turkish and English texts the toxicity head "
        "flagged 0.9-3.5% as toxic at 0.8 (\"Please cancel my subscription\": 0.98), against none of 1,000 "
        "Russian requests; there its score counts only where a built-in obscenity or insult "
        "(`models/abusive_words.py`) backs it: 0-0.5% flagged (`python -m benchmarks.false_toxic`).",
        "- Scores are int8: a probability can move by a few hundredths with the CPU's int8 kernels (AVX2 or "
        "AVX-512 VNNI). It does not move with the other texts in its batch: activation scales are fixed.",
        "",
    ]
    path = out_dir / "MODEL_CARD.md"
    path.write_text("\n".join(lines))
    return path


def _stack_lines(meta: dict[str, Any]) -> list[str]:
    stacks = meta.get("lexical_stack", {})
    if not stacks:
        return []
    return [
        f"- Where a task is stacked ({', '.join(sorted(stacks))}), texts with a lexical weight above 0 get, instead of",
        "  the average, a logistic regression over the encoder's and the TF-IDF model's logits and the built-in",
        "  abusive-word mark (an obscenity, or a Russian insult; `models/stacking.py`, `models/abusive_words.py`):",
        "  coefficients",
        f"  {json.dumps(stacks)},",
        "  fitted on the out-of-fold scores of `python -m models.toxicity_cv --passes 3 --repeat 3` (2,000 training",
        "  comments; its own ROC AUC cross-validated over them: average 0.9773, stacked 0.9810, with the mark of",
        "  obscenities 0.9826, of obscenities, insults and slurs 0.9857; the insult list was written from general",
        "  knowledge, a few of its words after seeing training comments the model missed: without those, 0.9846).",
        "  Its probabilities are calibrated on those scores, so the hiding threshold keeps its meaning.",
    ]

