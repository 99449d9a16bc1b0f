"""One encoder forward pass per message, feeding every head; batched across concurrent callers."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from models import cache_files, onnx_forward, vector_cache
from models.abusive_words import abusive, abusive_anywhere
from models.artifact_files import ARTIFACTS_DIR, WEIGHTS_FILE, ArtifactError, artifacts_present, lexical_file, read_meta
from models.encoder import Encoder, shared_encoder
from models.lexical import LexicalModel
from models.onnx_forward import OnnxForward
from models.stacking import Stack
from models.torch_thread import executor as torch_executor
from models.torch_thread import on_torch_thread

if TYPE_CHECKING:  # the torch path's types; the ONNX Runtime path never imports torch
    import torch

    from models.heads import TunedTop

log = logging.getLogger(__name__)

SHIPPED_TASKS = ("sentiment", "toxicity")


@dataclass(frozen=True)
class TextFeatures:
    embedding: np.ndarray  # L2-normalised sentence embedding, for similarity matching
    intent_vector: np.ndarray  # what a brand's intent head reads
    # Each empty / None where the heads were not trained on the text's detected language (no score beats a wild
    # guess: toxicity trained on Russian comments flags "Please cancel my subscription" 0.98 toxic); toxicity
    # stays where a built-in insult or obscenity backs it (see TextAnalyzer.analyze).
    sentiment: dict[str, float] = field(default_factory=dict)  # negative / neutral / positive
    toxicity: float | None = None  # probability of toxic


@dataclass(frozen=True)
class AnalysisArrays:
    embeddings: np.ndarray  # (n, dim), rows L2-normalised
    intent_vectors: np.ndarray  # (n, features)
    probs: dict[str, np.ndarray]  # per shipped task, (n, classes)
    languages: Sequence[str | None] = ()  # each text's detected language, where the scores read it (else empty)


class ShippedHeads:
    """The fine-tuned top layers and heads, fed by the base encoder's hidden states after `split_layer`."""

    def __init__(
        self,
        tuned: TunedTop | Callable[[], TunedTop],
        meta: dict[str, Any],
        *,
        quantize: bool = True,
        lexical: dict[str, LexicalModel] | None = None,
    ) -> None:
        self._tuned_source = tuned
        self._tuned: TunedTop | None = None
        self._tuned_lock = threading.Lock()
        self.quantize = quantize
        self.meta = meta
        self.split_layer = int(meta["split_layer"])
        self.tasks: dict[str, list[str]] = {t: list(v) for t, v in meta["tasks"].items() if t in SHIPPED_TASKS}
        self.lexical = lexical or {}
        weights = meta.get("lexical_weight", {})
        self.lexical_weight = {task: float(weights.get(task, 0.0)) for task in self.lexical}
        by_language = meta.get("lexical_weight_by_language", {})
        self.lexical_by_language: dict[str, dict[str, float]] = {
            task: {lang: float(w) for lang, w in by_language.get(task, {}).items()} for task in self.lexical
        }
        # binary tasks whose scores are stacked (models.stacking) where their weight is above 0, not averaged
        self.lexical_stack = {task: Stack.from_json(raw) for task, raw in meta.get("lexical_stack", {}).items()
                              if task in self.lexical and len(self.tasks.get(task, ())) == 2}
        # the languages each task was trained on (none listed: any); see TextAnalyzer.analyze for texts in others
        self.task_languages = {task: frozenset(langs) for task, langs in meta.get("task_languages", {}).items()
                               if task in self.tasks}

    @property
    def reads_languages(self) -> bool:
        """Whether scoring depends on each text's detected language."""
        return bool(any(self.lexical_by_language.values()) or self.lexical_stack or self.task_languages)

    def untrained(self, language: str | None) -> set[str]:
        """The tasks not trained on `language` (an undetected one counts as trained: short texts, mostly)."""
        return {task for task, langs in self.task_languages.items() if language is not None and language not in langs}

    @property
    def tuned(self) -> TunedTop:
        """The fine-tuned layers and heads in torch, loaded on first use (the ONNX Runtime graph
        already holds them, so that path never does)."""
        with self._tuned_lock:
            if self._tuned is None:
                self._tuned = self._load_tuned()
            return self._tuned

    def _load_tuned(self) -> TunedTop:
        import torch

        from models.heads import TunedTop

        source = self._tuned_source
        tuned = source if isinstance(source, TunedTop) else source()
        tuned.eval()
        if self.quantize:
            tuned = torch.ao.quantization.quantize_dynamic(tuned, {torch.nn.Linear}, dtype=torch.qint8)
        return tuned

    @property
    def tuned_loaded(self) -> bool:
        return self._tuned is not None

    def with_torch_layers(self) -> ShippedHeads:
        """These heads with their torch layers loaded (ArtifactError when they do not load)."""
        self.tuned  # noqa: B018 - loads them
        return self

    @classmethod
    def load(cls, encoder: Encoder, path: Path | None = None, *, quantize: bool = True) -> ShippedHeads:
        """The heads' metadata and lexical models; the torch layers load when first used."""
        folder = path or ARTIFACTS_DIR
        meta = read_meta(folder)
        if not (Path(encoder.source) / "smm-responder.json").is_file():
            raise ArtifactError(f"the shipped heads fit the bundled base encoder only, not {encoder.source}")
        if not (folder / WEIGHTS_FILE).is_file():
            raise ArtifactError(f"{folder / WEIGHTS_FILE} is missing")

        def load_layers() -> TunedTop:
            from models.heads import base_top_from_folder, load_tuned_top

            return load_tuned_top(base_top_from_folder(encoder.source, int(meta["split_layer"])), folder)[0]

        lexical = {}
        for task in meta.get("lexical_weight", {}):
            file = folder / lexical_file(task)
            if not file.is_file():
                raise ArtifactError(f"{file} is missing")
            lexical[task] = LexicalModel.load(file)
        return cls(load_layers, meta, quantize=quantize, lexical=lexical)

    def __call__(
        self, hidden: torch.Tensor, mask: torch.Tensor
    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """From the base's states after `split_layer`: embeddings, intent vectors and per-task probabilities.

        The intent vector is the distilled embedding (what example phrases are matched by) next to
        the normalised pooled output the heads read (trained on intents among other tasks).
        """
        import torch

        pooled = self.tuned.pooled(hidden, mask)
        embedding = self.tuned.embedding(pooled)
        intent = torch.cat([embedding, torch.nn.functional.normalize(pooled, dim=-1)], dim=-1)
        probs = {
            task: torch.softmax(self.tuned.heads[task](pooled).float(), dim=-1).numpy() for task in self.tasks
        }
        return embedding.float().numpy(), intent.float().numpy(), probs

    def mix_lexical(self, texts: Sequence[str], probs: dict[str, np.ndarray],
                    languages: Sequence[str | None] | None = None) -> None:
        """Combine the lexical models' probabilities with the encoder's (in place), as shipped.

        A task's weight may differ by the text's detected language (e.g. Turkish sentiment leans
        more on the lexical model); texts of other languages get the task's default weight. Where a
        task has a stack (toxicity), texts with a weight above 0 get the stacked probability, the
        others keep the encoder's; otherwise the two are averaged with the weight. `languages`: the texts'
        detected languages, when known already.
        """
        if not len(texts):
            return
        if languages is None:
            languages = detected_languages(texts) if self.reads_languages else [None] * len(texts)
        for task, model in self.lexical.items():
            if task not in probs:
                continue
            default = self.lexical_weight[task]
            by_language = self.lexical_by_language.get(task, {})
            weights = np.array([by_language.get(lang or "", default) for lang in languages],
                               dtype=np.float32)[:, None]
            if not weights.any():
                continue
            lexical = model.predict_proba(texts, self.tasks[task])
            stack = self.lexical_stack.get(task)
            if stack is None:
                probs[task] = (1.0 - weights) * probs[task] + weights * lexical
                continue
            marks = np.array([w > 0 and abusive(t, lang)
                              for t, lang, w in zip(texts, languages, weights[:, 0], strict=True)])
            positive = stack.combine(probs[task][:, 1], lexical[:, 1], marks)
            stacked = np.column_stack([1.0 - positive, positive]).astype(probs[task].dtype)
            probs[task] = np.where(weights > 0, stacked, probs[task])


class TextAnalyzer:
    """The encoder plus the shipped heads (sentiment, toxicity) when they are available.

    With the heads, one pass runs the base's lower layers and the fine-tuned top layers: the
    embedding is the distilled projection of the top's pooled output. Without them, the embedding is
    the base encoder's own and there are no sentiment or toxicity scores.
    """

    def __init__(self, encoder: Encoder, heads: ShippedHeads | None = None, fast: OnnxForward | None = None) -> None:
        self.encoder = encoder
        self.heads = heads
        self.fast = fast if heads is not None else None  # the same forward pass on ONNX Runtime
        # What the vectors mean (the runtime changes them slightly): intent heads are cached under this tag.
        self.feature_tag = _graph_tag(encoder, heads) + (
            f"-onnx{onnx_forward.GRAPH_VERSION}" if self.fast is not None else "")
        self.runtime = "onnxruntime" if self.fast is not None else "torch"

    @classmethod
    def load(
        cls, encoder: Encoder | None = None, artifacts: Path | None = None, *, require_heads: bool = False
    ) -> TextAnalyzer:
        """The shared encoder with the shipped heads when the artifacts are present and fit it."""
        encoder = encoder or shared_encoder()
        heads: ShippedHeads | None = None
        if artifacts_present(artifacts) or require_heads:
            heads = on_torch_thread(_heads_or_none, lambda: ShippedHeads.load(encoder, artifacts), require_heads)
        fast = None
        if heads is not None and onnx_forward.wanted():
            fast = on_torch_thread(_onnx_forward, encoder, heads, artifacts)
        if fast is None:  # the torch path: load its weights now rather than on the first message
            on_torch_thread(lambda: encoder.model)
            if heads is not None:
                heads = on_torch_thread(_heads_or_none, heads.with_torch_layers, require_heads)
        return cls(encoder, heads, fast)

    def analyze_arrays(self, texts: Sequence[str], batch_size: int = 32, *, lexical: bool = True,
                       languages: Sequence[str | None] | None = None) -> AnalysisArrays:
        """Embeddings, intent vectors and per shipped task class probabilities, in one pass.

        `lexical=False` skips mixing in the lexical models (when only the vectors are wanted). `languages`: the
        texts' languages where the caller knows them better than the letters and common words tell (a brand's own
        Turkish words, "berbat hizmet" typed without Turkish letters); None where it does not.
        """
        return on_torch_thread(self._analyze_arrays, texts, batch_size, lexical, languages)

    def _analyze_arrays(self, texts: Sequence[str], batch_size: int, lexical: bool,
                        told: Sequence[str | None] | None = None) -> AnalysisArrays:
        encoder = self.encoder
        if self.heads is None:
            vectors = encoder.embed(texts, batch_size=batch_size)
            return AnalysisArrays(vectors, vectors, {})
        heads = self.heads
        n = len(texts)
        vectors = np.zeros((n, encoder.dim), dtype=np.float32)
        intent = np.zeros((n, 2 * encoder.dim), dtype=np.float32)
        probs = {task: np.zeros((n, len(labels)), dtype=np.float32) for task, labels in heads.tasks.items()}
        order = sorted(range(n), key=lambda i: len(texts[i]))
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            chunk = [texts[i] for i in idx]
            if self.fast is not None:
                embedding, pooled, batch_probs = self.fast(encoder.token_arrays(chunk))
                vectors[idx] = embedding
                intent[idx] = np.concatenate([embedding, _normalised(pooled)], axis=1)
            else:
                vectors[idx], intent[idx], batch_probs = self._torch_forward(heads, chunk)
            for task, value in batch_probs.items():
                probs[task][idx] = value
        languages = detected_languages(texts) if lexical and heads.reads_languages else []
        if languages and told is not None:  # what the caller knows, else what the letters and words tell
            languages = [known or found for known, found in zip(told, languages, strict=True)]
        if lexical:
            heads.mix_lexical(texts, probs, languages or None)
        return AnalysisArrays(vectors, intent, probs, languages)

    def _torch_forward(
        self, heads: ShippedHeads, texts: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """`heads` over the base's lower layers, in torch (without ONNX Runtime)."""
        import torch

        from models.heads import lower_states

        with torch.inference_mode():
            batch = self.encoder.tokenize(texts)
            return heads(lower_states(self.encoder.model, batch, heads.split_layer), batch["attention_mask"])

    def analyze(self, texts: Sequence[str], languages: Sequence[str | None] | None = None) -> list[TextFeatures]:
        """Each text's features; `languages` as `analyze_arrays` takes them."""
        arrays = self.analyze_arrays(texts, languages=languages)
        probs = arrays.probs
        sentiment = probs.get("sentiment")
        toxicity = probs.get("toxicity")
        labels = self.heads.tasks if self.heads is not None else {}
        out: list[TextFeatures] = []
        for i, vector in enumerate(arrays.embeddings):
            language = arrays.languages[i] if arrays.languages else None
            untrained = self.heads.untrained(language) if self.heads is not None and arrays.languages else set()
            senti = (
                {lab: float(p) for lab, p in zip(labels["sentiment"], sentiment[i], strict=True)}
                if sentiment is not None and "sentiment" not in untrained
                else {}
            )
            # In a language the toxicity head did not learn, its guess counts only where a built-in insult or
            # obscenity backs it ("You stupid moron" yes, "Please cancel my subscription" no); of any language,
            # since short Turkish abuse is easily read as English.
            tox = (float(toxicity[i][labels["toxicity"].index("toxic")])
                   if toxicity is not None and ("toxicity" not in untrained or abusive_anywhere(texts[i])) else None)
            out.append(TextFeatures(vector, arrays.intent_vectors[i], senti, tox))
        return out

    def vectors(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(embeddings, intent vectors), exactly as `analyze` computes them for a message."""
        arrays = self.analyze_arrays(texts, lexical=False)
        return arrays.embeddings, arrays.intent_vectors

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.vectors(texts)[0]

    def intent_vectors(self, texts: Sequence[str]) -> np.ndarray:
        return self.vectors(texts)[1]


def detected_languages(texts: Sequence[str]) -> list[str | None]:
    from models.language import detect_language

    return [detect_language(t) for t in texts]


def _normalised(rows: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as torch.nn.functional.normalize does."""
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.asarray(rows / np.maximum(norms, 1e-12), dtype=np.float32)


def _graph_tag(encoder: Encoder, heads: ShippedHeads | None) -> str:
    """Names the forward graph: the encoder and the shipped heads' metadata."""
    tag = encoder.source + ("|" + json.dumps(heads.meta, sort_keys=True) if heads is not None else "")
    return hashlib.sha256(tag.encode()).hexdigest()[:12]


def _heads_or_none(load: Callable[[], ShippedHeads], require_heads: bool) -> ShippedHeads | None:
    """What `load` returns; None (logged) when the artifacts do not load, unless the heads are required."""
    try:
        return load()
    except ArtifactError as exc:
        if require_heads:
            raise
        log.warning("classifier heads disabled: %s", exc)
        return None


def _onnx_forward(encoder: Encoder, heads: ShippedHeads, artifacts: Path | None) -> OnnxForward | None:
    """The ONNX Runtime session of this encoder and these heads, built into the cache the first time; None
    (the torch path) when that fails."""
    path = onnx_forward.onnx_file(_graph_tag(encoder, heads))
    tasks = list(heads.tasks)
    try:
        if not path.is_file():
            from models import onnx_export

            log.info("building the ONNX Runtime graph of the classifier (once): %s", path)
            fp32 = Encoder(encoder.source, quantize=False, max_tokens=encoder.max_tokens)
            tuned = ShippedHeads.load(fp32, artifacts, quantize=False).tuned
            ranges = onnx_export.load_ranges(artifacts or ARTIFACTS_DIR)
            if ranges is None:
                log.info("no %s beside the heads: the int8 graph is not smoothed", onnx_export.RANGES_FILE)
            onnx_export.build(fp32.model, tuned, heads.split_layer, tasks, fp32.tokenize(["a", "b c"]), path, ranges)
            cache_files.prune_stale(path, onnx_forward.GRAPH_GLOB)
        return OnnxForward(path, tasks, encoder.threads)
    except Exception as exc:  # a missing `onnx` package, an export or session error: the torch path still works
        log.warning("ONNX Runtime path unavailable, using torch: %s", exc)
        return None


class BatchingAnalyzer:
    """Collects concurrent requests into batches and runs them off the event loop.

    While one batch runs in the worker thread, new requests queue up and form the next batch,
    so throughput grows with load while a lone message still goes through alone.
    """

    def __init__(self, analyzer: TextAnalyzer, max_batch: int = 32) -> None:
        self.analyzer = analyzer
        self.max_batch = max_batch
        self._queue: asyncio.Queue[tuple[str, str | None, asyncio.Future[TextFeatures]]] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._executor = torch_executor()  # the process's torch thread (see models.torch_thread)

    async def analyze(self, text: str, language: str | None = None) -> TextFeatures:
        """A message's features; `language` where the caller knows it better than the letters tell (see
        TextAnalyzer.analyze_arrays)."""
        if self._queue is None:
            self._queue = asyncio.Queue()
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._run(self._queue))
        future: asyncio.Future[TextFeatures] = asyncio.get_running_loop().create_future()
        await self._queue.put((text, language, future))
        return await future

    async def vectors(self, texts: Sequence[str], *, cached: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(embeddings, intent vectors) of many texts (e.g. an argument base's examples), off the loop; kept in
        the on-disk cache (models.vector_cache) when `cached`."""
        texts, analyzer = list(texts), self.analyzer
        work = (functools.partial(vector_cache.cached_vectors, analyzer.vectors, texts, analyzer.feature_tag)
                if cached else functools.partial(analyzer.vectors, texts))
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    async def _run(self, queue: asyncio.Queue[tuple[str, str | None, asyncio.Future[TextFeatures]]]) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await queue.get()]
            while len(batch) < self.max_batch and not queue.empty():
                batch.append(queue.get_nowait())
            texts, languages = [t for t, _, _ in batch], [lang for _, lang, _ in batch]
            try:
                results = await loop.run_in_executor(self._executor, self.analyzer.analyze, texts, languages)
            except Exception as exc:  # every waiter learns about the failure
                for *_, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc)
                continue
            for (*_, fut), res in zip(batch, results, strict=True):
                if not fut.done():
                    fut.set_result(res)

    async def close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
