"""The message pipeline: store, classify, decide, record, queue replies.

Async with bounded concurrency; the messages of one conversation are handled strictly in the
order they arrived; messages are stored before anything else happens to them.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from bot.config import BrandConfig
from bot.storage import NewReply, Storage
from bot.storage.records import StoredMessage
from handlers.addressing import addresses_a_person, without_address
from handlers.argument_base import ArgumentBase, ArgumentBaseSource, Entry
from handlers.courtesies import without_courtesies
from handlers.customer_details import DETAILS_HIDDEN, read_details
from handlers.directed import CampaignDetector, Mention
from handlers.entry_moods import EntryMood, mentions_trouble, mood_of, needs_mood
from handlers.greeting_back import greeted_back
from handlers.impatience import asks_when_answered
from handlers.matcher import Match, SimilarityMatcher, phrasing_texts
from handlers.me_too import JOIN_WINDOW, JOINABLE, REREAD, joins_another
from handlers.out_of_scope import away_from, out_of_scope_phrases, phrases_digest
from handlers.policy import BrandPolicy
from handlers.question_parts import REPLACEABLE, question_parts
from handlers.reactions import NOT_RESOLVED, PLEASED_RATING, RATED_SATISFIED, typed_rating
from handlers.request_sentence import request_sentences, trouble_and_question
from handlers.router import (
    NOT_CUSTOMERS,
    STILL_WAITING_GAP,
    STRONG_NEGATIVE,
    UNHAPPY,
    Relevance,
    answer_parts,
    answer_request,
    decide,
    may_answer_meanwhile,
    pick_entry,
)
from handlers.surge import Surge, topic_of
from handlers.surge_words import name_stems, subject_words
from handlers.time_of_day import customer_hour
from handlers.types import Action, Analysis, Conversation, Decision, IncomingMessage, utcnow
from models.analyzer import BatchingAnalyzer, TextFeatures
from models.cache_files import UNREADABLE, mark_used, prune_stale, write_npz
from models.intent_head import HEAD_VERSION, OOS, IntentHead, cache_dir
from models.language import BrandWords, letters_tell
from models.letter_case import sentences_begun_lower, unshouted

log = logging.getLogger(__name__)

# The encoder reads at most a few hundred tokens; slicing first keeps huge messages cheap.
ANALYSIS_CHARS = 2000
READING = "c3"  # how examples and messages are read before the classifiers (read_plainly): cached heads' key
# A message of at most this many words is read in the conversation's language, when it has one.
FEW_WORDS = 2
# How often a running bot looks for argument-base edits.
KB_CHECK_SECONDS = 2.0
# How long after a failed build of an edited argument base's version it is built again.
RELOAD_RETRY_SECONDS = 60


@dataclass
class BrandRuntime:
    config: BrandConfig
    kb: ArgumentBaseSource
    matcher: SimilarityMatcher
    intents: IntentHead | None
    campaigns: CampaignDetector
    words: BrandWords  # the base's Turkish and English words: customers' language, Turkish letters typed without
    reloading: asyncio.Task[None] | None = field(default=None, repr=False)  # building an edited base's version
    retry_at: float | None = field(default=None, repr=False)  # when to build a version that failed again
    # the moods of the entries a message with a clear mood came near, by id (handlers.entry_moods): read from
    # their examples when first needed, for each version of the base, and kept on disk (`moods_file`)
    moods: dict[str, EntryMood] = field(default_factory=dict, repr=False)

    @classmethod
    async def load(cls, config: BrandConfig, analyzer: BatchingAnalyzer) -> BrandRuntime:
        kb = ArgumentBaseSource(config.argument_base, config.policy.languages, check_interval=KB_CHECK_SECONDS)
        matcher, intents = await build_matchers(kb.current, analyzer, config.policy)
        return cls(config, kb, matcher, intents, CampaignDetector(config.policy.campaign), words_of(kb.current),
                   moods=load_moods(moods_file(kb.current, analyzer)))

    def refresh(self, analyzer: BatchingAnalyzer) -> None:
        """Pick up argument-base edits. The new version's matcher and intent head are built in the background
        (a head trains for seconds, and customers are answered in real time); until they are ready, messages
        are answered from the last version, as they are after a broken edit or a failed build (retried every
        RELOAD_RETRY_SECONDS)."""
        if self.reloading is not None and not self.reloading.done():
            return
        retry = self.retry_at is not None and time.monotonic() >= self.retry_at
        if self.kb.refresh() or retry:
            self.retry_at = None
            self.reloading = asyncio.create_task(self._rebuild(self.kb.current, analyzer))

    async def _rebuild(self, base: ArgumentBase, analyzer: BatchingAnalyzer) -> None:
        try:
            self.matcher, self.intents = await build_matchers(base, analyzer, self.config.policy)
            self.words = words_of(base)
            self.moods = load_moods(moods_file(base, analyzer))
        except Exception:
            self.retry_at = time.monotonic() + RELOAD_RETRY_SECONDS
            log.exception("brand %s: argument base not reloaded, retrying in %d s; answering from the last version",
                          self.config.name, RELOAD_RETRY_SECONDS)
            return
        log.info("brand %s: argument base reloaded (%d entries)", self.config.name, len(base.entries))


def moods_file(base: ArgumentBase, analyzer: BatchingAnalyzer) -> Path:
    """Where a version of a base's entry moods are kept, by its content and what the sentiment means."""
    return cache_dir() / f"moods-{base.digest[:32]}-{analyzer.analyzer.feature_tag}.npz"


def load_moods(path: Path) -> dict[str, EntryMood]:
    """The entry moods read before for this version of the base (none when there are none, or unreadable)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            moods = {str(entry): EntryMood(float(negative), float(positive))
                     for entry, (negative, positive) in zip(data["entries"], data["moods"], strict=True)}
    except FileNotFoundError:
        return {}
    except UNREADABLE as exc:
        log.warning("entry moods read again: %s unreadable (%s)", path, exc)
        return {}
    mark_used(path)
    return moods


def save_moods(path: Path, moods: dict[str, EntryMood]) -> None:
    """Keep the entry moods read so far (a restart does not read their examples again); a cache that cannot be
    written is logged."""
    try:
        write_npz(path, entries=np.array(list(moods), dtype=str),
                  moods=np.array([[m.negative, m.positive] for m in moods.values()], dtype=np.float64))
        prune_stale(path, "moods-*.npz")
    except OSError as exc:
        log.warning("entry moods not kept in %s: %s", path, exc)


def words_of(base: ArgumentBase) -> BrandWords:
    return BrandWords.learn(base.texts("tr"), base.texts("en"), base.texts("ru"))


def read_plainly(text: str, language: str | None = None) -> str:
    """A message (or an example), already read in its letters, as the classifiers read it: in lower case where it
    is typed in capitals, its sentences begun in lower case, without the courtesies around what it asks."""
    return without_courtesies(sentences_begun_lower(unshouted(text), language))


def read_message(words: BrandWords, text: str, language: str | None) -> str:
    """A customer's message as the classifiers read it: in its letters ("faturami odeyemiyorum" as "faturamı
    ödeyemiyorum", `BrandWords.read`), then as `read_plainly` reads it (lower case once, before the letters)."""
    return without_courtesies(words.read(sentences_begun_lower(unshouted(text, language), language), language))


def read_against_base(matcher: SimilarityMatcher, head: IntentHead | None, features: TextFeatures, reading: str,
                      language: str) -> tuple[Analysis, Match, Relevance]:
    """What the brand's base makes of a message read so: its scores with the intent head's, the nearest entry by
    similarity, and how near each entry's phrasings lie to it."""
    intents, out_of_scope = read_intents(head, features.intent_vector, reading)
    return (Analysis(language, features.sentiment, features.toxicity, intents, out_of_scope),
            matcher.match(features.embedding), functools.partial(matcher.relevance, features.embedding))


def read_intents(head: IntentHead | None, intent_vector: np.ndarray, text: str) -> tuple[dict[str, float], bool]:
    """The intent head's probabilities, and whether it finds the message out of scope (then none)."""
    if head is None:
        return {}, False
    probs = head.predict_proba(intent_vector, [text])[0]
    if max(probs.values()) < head.threshold:
        return {}, True
    return probs, False


async def build_matchers(
    base: ArgumentBase, analyzer: BatchingAnalyzer, policy: BrandPolicy, *, cache: bool = True
) -> tuple[SimilarityMatcher, IntentHead | None]:
    """Embed the base's examples once; the similarity matcher and the intent head share them. The intent
    head also learns the base's own out-of-scope phrases and the built-in ones (handlers.out_of_scope) as its
    `oos` class; it is cached (`cache`) by everything it is trained from."""
    texts: list[str] = []
    labels: list[str] = []
    for entry in base.entries:
        for language, phrases in entry.examples.items():  # as messages are read
            texts.extend(read_plainly(phrase, language) for phrase in phrases)
            labels.extend([entry.id] * len(phrases))
    vectors, intent_vectors = await analyzer.vectors(texts, cached=cache)
    own = list(base.out_of_scope)  # the brand said so: kept however close to its examples
    own_vectors, own_intent = await analyzer.vectors(own, cached=cache) if own else (vectors[:0], intent_vectors[:0])
    answers = phrasing_texts(base)  # to answer with the phrasing that fits the message (handlers.phrasing)
    answer_vectors = (await analyzer.vectors(answers, cached=cache))[0] if answers else vectors[:0]
    matcher = SimilarityMatcher(base, lambda _texts: vectors, own_vectors,
                                dict(zip(answers, answer_vectors, strict=True)))
    if len(base.entries) < 2:
        return matcher, None
    builtin = out_of_scope_phrases(policy.languages) if policy.builtin_out_of_scope else []
    builtin_vectors, builtin_intent = await _builtin_vectors(analyzer, tuple(builtin), cache)
    keep = away_from(builtin_vectors, vectors)  # a brand keeps its own topics
    oos = own + [builtin[i] for i in keep]
    head_texts, head_labels = texts + oos, labels + [OOS] * len(oos)
    head_vectors = np.concatenate([intent_vectors, own_intent, builtin_intent[keep]])
    # Cached by the base's content hash, the out-of-scope phrases, what the vectors mean and how heads are
    # trained: retrained only when one of them changes.
    tag = analyzer.analyzer.feature_tag
    path = cache_dir() / f"kb-{base.digest[:32]}-{phrases_digest(oos)}-{tag}-h{HEAD_VERSION}-{READING}.npz"
    if cache and path.is_file():
        try:
            return matcher, IntentHead.load(path)
        except UNREADABLE as exc:
            log.warning("retraining the intent head: cached %s unreadable (%s)", path, exc)
    head = await asyncio.get_running_loop().run_in_executor(
        None, lambda: IntentHead.train_on_embeddings(head_vectors, head_labels, progress=False, texts=head_texts)
    )
    if cache:
        head.save(path)
        prune_stale(path, "kb-*.npz")  # other brands' heads stay while their bots load them (mark_used)
    return matcher, head


_BUILTIN_VECTORS: dict[tuple[str, tuple[str, ...]], tuple[np.ndarray, np.ndarray]] = {}


async def _builtin_vectors(
    analyzer: BatchingAnalyzer, phrases: tuple[str, ...], cache: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(embeddings, intent vectors) of the built-in out-of-scope phrases: the same for every brand of these
    languages, so read or embedded once per process and analyzer, not per brand and argument-base reload."""
    key = (analyzer.analyzer.feature_tag, phrases)
    if key not in _BUILTIN_VECTORS:
        _BUILTIN_VECTORS[key] = await analyzer.vectors(list(phrases), cached=cache)
    return _BUILTIN_VECTORS[key]


@dataclass(frozen=True)
class Outcome:
    message_id: int
    message: IncomingMessage
    conversation: Conversation
    decision: Decision
    analysis: Analysis
    outbox_ids: list[int] = field(default_factory=list)
    campaign: int | None = None  # the directed-negative campaign the message belongs to
    surge: Surge | None = None  # a negative surge the moderators should hear of now (handlers.surge)


Listener = Callable[[Outcome], Awaitable[None]]


class Pipeline:
    def __init__(
        self,
        storage: Storage,
        analyzer: BatchingAnalyzer,
        brands: dict[str, BrandRuntime],
        *,
        concurrency: int = 64,
        seed: int | None = None,
    ) -> None:
        self.storage = storage
        self.analyzer = analyzer
        self.brands = brands
        self._slots = asyncio.Semaphore(concurrency)
        self._queues: dict[int, deque[tuple[int, asyncio.Future[Outcome | None]]]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        # the messages scheduled and not decided yet: one decision each, whoever asks for it (a platform's update
        # and the watcher's `resume` may find the same stored message at once)
        self._scheduled: dict[int, asyncio.Future[Outcome | None]] = {}
        self._rng = random.Random(seed)
        self.listeners: list[Listener] = []
        self._recall_lock = asyncio.Lock()

    async def submit(self, msg: IncomingMessage) -> asyncio.Future[Outcome | None] | None:
        """Store the message and schedule it; None when it is a duplicate (already handled)."""
        if msg.brand not in self.brands:
            raise KeyError(f"unknown brand {msg.brand!r}")
        stored = await self.storage.store_incoming(msg)
        if stored is None:
            log.info("duplicate %s message %s in chat %s ignored", msg.platform, msg.message_id, msg.chat_id)
            return None
        message_id, conversation = stored
        return self._schedule(message_id, conversation.id)

    async def handle(self, msg: IncomingMessage) -> Outcome | None:
        """Submit and wait for the decision."""
        future = await self.submit(msg)
        return None if future is None else await future

    async def resume(self) -> int:
        """Decide what is stored but not decided (what a previous run did not finish, a message given back to the
        bot) and not being decided already; returns how many."""
        futures = []
        for message_id in await self.storage.pending_incoming():
            _, conversation_id, _ = await self.storage.load_incoming(message_id)
            if message_id not in self._scheduled:  # checked after the last wait: nobody else scheduled it since
                futures.append(self._schedule(message_id, conversation_id))
        if futures:
            log.info("resuming %d stored messages", len(futures))
            await asyncio.gather(*futures, return_exceptions=True)
        return len(futures)

    def argument_base(self, brand: str) -> ArgumentBase | None:
        """The brand's base the bot answers from now (the last good version after edits)."""
        runtime = self.brands.get(brand)
        return runtime.matcher.base if runtime is not None else None

    async def relevance_to(self, brand: str, text: str, language: str) -> Relevance | None:
        """How near the brand's approved phrasings lie to a message, read as the bot reads it (for the answers a
        moderator's card suggests: the phrasing that fits it, as the bot would pick); None without the brand or
        a text."""
        runtime = self.brands.get(brand)
        text = without_address(text)
        if runtime is None or not text.strip():
            return None
        features = await self.analyzer.analyze(read_message(runtime.words, text, language), language)
        return functools.partial(runtime.matcher.relevance, features.embedding)

    async def drain(self) -> None:
        """Wait until every scheduled message and every argument-base reload is done."""
        while self._workers:
            await asyncio.gather(*list(self._workers.values()), return_exceptions=True)
        await asyncio.gather(*[b.reloading for b in self.brands.values() if b.reloading is not None])

    def _schedule(self, message_id: int, conversation_id: int) -> asyncio.Future[Outcome | None]:
        if (scheduled := self._scheduled.get(message_id)) is not None:
            return scheduled
        future: asyncio.Future[Outcome | None] = asyncio.get_running_loop().create_future()
        self._scheduled[message_id] = future
        future.add_done_callback(lambda _: self._scheduled.pop(message_id, None))
        self._queues.setdefault(conversation_id, deque()).append((message_id, future))
        if conversation_id not in self._workers:
            self._workers[conversation_id] = asyncio.create_task(self._drain_conversation(conversation_id))
        return future

    async def _drain_conversation(self, conversation_id: int) -> None:
        queue = self._queues[conversation_id]
        try:
            while queue:
                message_id, future = queue.popleft()
                try:
                    async with self._slots:
                        outcome = await self._process(message_id)
                except Exception as exc:
                    log.exception("message %d failed", message_id)
                    await self.storage.mark_failed(message_id, f"{type(exc).__name__}: {exc}")
                    if not future.done():
                        future.set_exception(exc)
                    continue
                if not future.done():
                    future.set_result(outcome)
        finally:
            del self._workers[conversation_id]
            if not queue:
                self._queues.pop(conversation_id, None)

    async def _recall_negative(self, runtime: BrandRuntime) -> None:
        """Once per brand after start: the window's earlier negative messages, so a wave spanning a restart
        (or several processes on one database) is still seen as one."""
        async with self._recall_lock:
            if runtime.campaigns.recalled:
                return
            runtime.campaigns.recalled = True
            since = utcnow() - timedelta(minutes=runtime.config.policy.campaign.window_minutes)
            rows = await self.storage.recent_negative(runtime.config.name, since, UNHAPPY)
            if not rows:
                return
            read = [read_plainly(runtime.words.reading(unshouted(text[:ANALYSIS_CHARS]))[0]) for *_, text in rows]
            vectors, _ = await self.analyzer.vectors(read)
            for (message_id, author, sent_at, text), vector in zip(rows, vectors, strict=True):
                at = datetime.fromisoformat(sent_at)
                runtime.campaigns.remember(Mention.of(message_id, author, at, text, vector))

    async def _decide_parts(self, runtime: BrandRuntime, base: tuple[SimilarityMatcher, IntentHead | None,
                                                                     BrandWords],
                            said: IncomingMessage, parts: list[str], conversation: Conversation, used: list[str],
                            last_key: str | None, language: str,
                            phrasings_for: Relevance | None = None) -> list[Decision]:
        """Each question of a message that asks several (or each sentence read alone), decided as if it came alone,
        each in words the customer has not had, nor the parts before it got; the name in the first answer only;
        `phrasings_for`: as _decide_as."""
        decisions: list[Decision] = []
        for part in parts:
            said_so_far = used + [str(d.phrasing_key) for d in decisions]
            # the customer's name once, in the first answer: "Анна, …" twice in a row reads like a form letter
            named = replace(conversation, customer_name="") if decisions else conversation
            decisions.append((await self._decide_as(runtime, base, said, part, named, said_so_far, last_key,
                                                    language, phrasings_for))[0])
        return decisions

    async def _decide_as(self, runtime: BrandRuntime, base: tuple[SimilarityMatcher, IntentHead | None, BrandWords],
                         said: IncomingMessage, text: str, conversation: Conversation, used: list[str],
                         last_key: str | None, language: str,
                         phrasings_for: Relevance | None = None) -> tuple[Decision, Analysis]:
        """`said` decided as if it said `text` alone (its reading, its scores: a question of several, the comment
        another joins), by the version of the base (`base`: matcher, intent head, words) the whole was read with;
        its entry's phrasing chosen by how near each lies to `text`, or as `phrasings_for` tells (the whole
        message's: "Мы уезжаем на дачу на всё лето." tells which of the cancel entry's fits "Можно приостановить
        договор?")."""
        matcher, head, words = base
        reading = read_message(words, text, language)
        features = await self.analyzer.analyze(reading, language)
        analysis, match, relevance = read_against_base(matcher, head, features, reading, language)
        relevance = phrasings_for or relevance
        if needs_mood(analysis, text):
            await self._read_mood(runtime, pick_entry(matcher.base, analysis, match, runtime.config.policy)[0])
        decision = decide(replace(said, text=text), conversation, analysis, match, matcher.base, runtime.config.policy,
                          used, self._rng, last_reply_key=last_key, moods=runtime.moods, relevance=relevance)
        return decision, analysis

    async def _joined_comment(self, msg: IncomingMessage, said: str, analysis: Analysis) -> StoredMessage | None:
        """The comment a public one joins ("у меня тоже", handlers.me_too): the one it replies to, its thread's
        first, else the latest under the same post (in the same thread, if in one) lately; not one that itself
        joins another ("+1" under "+1": its words say nothing); one of unhappy words joins only an unhappy one ("у
        меня тоже не работает" under a question about prices is no outage). `said`: its words, without the address."""
        thread = msg.thread_id if msg.thread_id != msg.message_id else None  # a VK top comment is its own thread
        replied = [ref for ref in (msg.reply_to, thread) if ref]
        unhappy = analysis.sentiment.get("negative", 0.0) >= UNHAPPY or mentions_trouble(said)
        for joined in await self.storage.joined_comments(msg.brand, msg.platform, msg.chat_id, msg.author_id,
                                                         replied, msg.sent_at - JOIN_WINDOW, thread, JOINABLE):
            if joins_another(joined.text, replying=True):
                continue
            return None if unhappy and joined.scores.get("sentiment_negative", 0.0) < UNHAPPY else joined
        return None

    async def _read_mood(self, runtime: BrandRuntime, entry: Entry | None) -> None:
        """The mood of the entry a message with a clear mood came near, from its examples, once per version."""
        if entry is None or entry.id in runtime.moods:
            return
        examples = [text for texts in entry.examples.values() for text in texts]
        features = await asyncio.gather(*(self.analyzer.analyze(text) for text in examples))
        runtime.moods[entry.id] = mood_of([f.sentiment for f in features])
        save_moods(moods_file(runtime.matcher.base, self.analyzer), runtime.moods)

    async def _answers_customer(self, msg: IncomingMessage) -> bool:
        """Whether a public message replies to another customer's (handlers.spam: scammers answer complaints), or
        addresses a person ("[id…|Маша], смотри какая акция": a friend tagged under a post)."""
        if not msg.is_public:
            return False
        if addresses_a_person(msg.text, msg.brand):
            return True
        if msg.reply_to is None:
            return False
        answered = await self.storage.conversation_of_message(msg.brand, msg.platform, msg.chat_id, msg.reply_to)
        return answered is not None and answered.customer_id != msg.author_id

    async def _process(self, message_id: int) -> Outcome | None:
        msg, conversation_id, status = await self.storage.load_incoming(message_id)
        if status != "received":
            return None
        runtime = self.brands.get(msg.brand)
        if runtime is None:
            raise KeyError(f"unknown brand {msg.brand!r}")
        runtime.refresh(self.analyzer)
        # One version of the base throughout: a reload may swap the runtime's while this message awaits.
        matcher, intent_head, words = runtime.matcher, runtime.intents, runtime.words
        conversation = await self.storage.conversation(conversation_id, msg.brand)
        policy = runtime.config.policy
        said = replace(msg, text=without_address(msg.text))  # what the customer says, to whomever addressed
        text = said.text[:ANALYSIS_CHARS]
        # what the words tell; an e-mail address or a phone alone tells nothing (its Latin letters are no English)
        detected = words.language(text) if not read_details(text).unworded else None
        if conversation.language and len(text.split()) <= FEW_WORDS and letters_tell(text) is None:
            # "ok" from a Russian customer: a word or two in plain Latin letters tell less of their language than
            # the conversation so far; "спасибо" or "anladım" tell it by their letters
            detected = conversation.language
        hint = msg.language_hint if msg.language_hint in policy.languages else None
        language = detected or conversation.language or hint or policy.default_language
        match = None
        analysis = Analysis(language)
        relevance: Relevance | None = None  # how near the answers' phrasings lie to the message
        wave: list[Mention] = []
        reading = text
        if text.strip():
            # "faturami odeyemiyorum" read as "faturamı ödeyemiyorum"; "СКОЛЬКО СТОИТ ПРИСТАВКА" in lower case;
            # "Добрый вечер, какие есть способы оплаты? Спасибо" as the question alone (handlers.courtesies)
            reading = read_message(words, text, language)
            features = await self.analyzer.analyze(reading, detected)  # the brand's words tell Turkish better
            # A person answers: the mood still counts, and so does a paid account in a wave (no answer to it). A
            # thread still waiting for a person hears at once what the base answers surely (handlers.router).
            if conversation.owned_by_human and not may_answer_meanwhile(said, conversation):
                analysis = Analysis(language, features.sentiment, features.toxicity)
            else:
                analysis, match, relevance = read_against_base(matcher, intent_head, features, reading, language)
            if analysis.sentiment.get("negative", 0.0) >= UNHAPPY:  # what it is about (entries, surges on a word)
                analysis = replace(analysis, subjects=subject_words(
                    reading, language, name_stems(runtime.config.name, runtime.config.display_name)))
                await self._recall_negative(runtime)
                wave = runtime.campaigns.observe(
                    Mention.of(message_id, msg.author_id, msg.sent_at, text, features.embedding)
                )
        used = await self.storage.used_phrasings(conversation.id, msg.chat_id if msg.is_public else None)
        last_reply_at = reply_due = followup_due = None
        if conversation.owned_by_human:  # still waiting for a person's first reply? (taking the thread is none)
            handoff = await self.storage.open_handoff(conversation.id)
            if handoff is not None and handoff.first_reply_at is None:
                reply_due, last_reply_at = handoff.deadline_at, await self.storage.last_reply_at(conversation.id)
            elif handoff is not None and not wave:  # answered once: this one needs a person in time too (a paid
                followup_due = policy.reply_deadline(msg.sent_at)  # account's wave message is evidence, not a question)
                if asks_when_answered(text):  # "ну что там?" to a person who answered, then went quiet a while:
                    quiet_since = await self.storage.last_reply_at(conversation.id)  # told by when they answer
                    if quiet_since is None or msg.sent_at - quiet_since >= STILL_WAITING_GAP:
                        reply_due, last_reply_at = handoff.followup_due or followup_due, quiet_since
        last_key = await self.storage.last_reply_key(conversation.id)  # what the router reads the message against
        if match is not None and needs_mood(analysis, text):  # (where what the base answers was read)
            await self._read_mood(runtime, pick_entry(matcher.base, analysis, match, policy)[0])
        rating = None if conversation.owned_by_human else typed_rating(
            text, pleased=analysis.sentiment.get("positive", 0.0) >= PLEASED_RATING)
        if rating is not None and not await self.storage.rating_awaited(conversation.id):
            rating = None  # "да" to nothing we asked
        decision = decide(said, conversation, analysis, match, matcher.base, policy, used, self._rng,
                          directed=bool(wave), last_reply_at=last_reply_at, reply_due=reply_due,
                          last_reply_key=last_key, answers_customer=await self._answers_customer(msg),
                          moods=runtime.moods, relevance=relevance, rating=rating)
        if (msg.is_public and decision.entry_id is None and decision.reason in REREAD and not wave
                and not conversation.owned_by_human and joins_another(said.text, msg.reply_to is not None)):
            # "+1", "у меня тоже" under a complaint: answered as the comment it joins (handlers.me_too)
            joined = await self._joined_comment(msg, said.text, analysis)
            if joined is not None:
                await self.storage.mark_joined(message_id, joined)  # for the moderators' card
                decision, analysis = await self._decide_as(
                    runtime, (matcher, intent_head, words), said, without_address(joined.text)[:ANALYSIS_CHARS],
                    conversation, used, last_key, language if detected else joined.language or language)
        replaceable = decision.reason in REPLACEABLE
        if (replaceable or decision.reason == STRONG_NEGATIVE) and not conversation.owned_by_human and not wave:
            # "Сколько стоит Оптимум и как его оплатить?": each answered ("…? Спасибо!": the thanks ask nothing)
            asked = without_courtesies(text)
            parts = question_parts(asked) if replaceable else []
            if len(parts) > 1:
                decision = answer_parts(decision, await self._decide_parts(
                    runtime, (matcher, intent_head, words), said, parts, conversation, used, last_key, language))
            elif replaceable and (requests := request_sentences(asked, language)):
                # "Я ваш абонент уже пять лет. Сколько стоит Оптимум?": the question read alone ("Я переезжаю. Как
                # быть с интернетом?": and the sentence that tells what it is about)
                alone = await self._decide_parts(runtime, (matcher, intent_head, words), said, list(requests),
                                                 conversation, used, last_key, language, relevance)
                decision = answer_request(decision, list(zip(alone, requests, strict=True)), matcher.base,
                                          name_stems(runtime.config.name, runtime.config.display_name),
                                          whole_intents=analysis.intents)
            elif (pair := trouble_and_question(asked)) is not None:
                # "Телевизор не показывает. Как оплатить картой?": the set-top box and the payment each answered;
                # "Не работает интернет. Сколько стоит Максимум?" (very unhappy): a person, and the price list
                trouble, question = pair
                told, questioned = await self._decide_parts(runtime, (matcher, intent_head, words), said,
                                                            [trouble, question], conversation, used, last_key, language)
                decision = answer_request(decision, [(questioned, question), (told, trouble)], matcher.base,
                                          name_stems(runtime.config.name, runtime.config.display_name), trouble=True,
                                          whole_intents=analysis.intents)
        decision = greeted_back(decision, said.text, customer_hour(said.text, said.sent_at, policy.timezone),
                                conversation.customer_name)
        if decision.reason in (RATED_SATISFIED, NOT_RESOLVED):  # typed back to the rating question: it is one
            await self.storage.store_rating(conversation, decision.reason == RATED_SATISFIED, text)
        replies: list[NewReply] = []
        if decision.action is Action.HIDE:
            replies.append(NewReply("", "hide", extra={"reason": decision.reason}))
        # "still waiting", a warning under a scam's victim's comment: notices
        kind = decision.action.value if decision.action in (Action.ANSWER, Action.HANDOFF) else "notice"
        if decision.reply_text:
            replies.append(NewReply(decision.reply_text, kind, decision.phrasing_key, reply_to=decision.reply_under))
        replies += [NewReply(more, kind, key) for more, key in decision.more_replies]
        if decision.hide_comment:  # after the reply that says so (the outbox keeps a chat's order)
            replies.append(NewReply("", "hide", extra={"reason": DETAILS_HIDDEN}))
        topic = topic_of(decision)
        if decision.reason in NOT_CUSTOMERS:  # spam or a scam (handlers.spam): no customer's surge or campaign
            runtime.campaigns.forget(message_id)
            wave = []
        # an unhappy customer's message (handlers.router.UNHAPPY) counts towards a negative surge (handlers.surge),
        # and is remembered for directed-negative (campaign) detection above
        unhappy = (not wave and decision.reason not in NOT_CUSTOMERS
                   and analysis.sentiment.get("negative", 0.0) >= UNHAPPY)
        about: tuple[str, ...] = ()  # an unhappy message's subject words, for a surge on a word (a new problem)
        if unhappy and policy.surge.enabled and policy.surge.new_topics:
            about = analysis.subjects or ()
        outbox_ids = await self.storage.record_decision(
            message_id, conversation, decision, replies, policy.reply_deadline, msg, followup_due, about
        )
        campaign = None
        if wave:
            campaign = await self.storage.record_campaign(msg.brand, [m.message_id for m in wave] + [message_id])
            log.warning("brand %s: message %d joins directed-negative campaign %d (%d earlier messages alike)",
                        msg.brand, message_id, campaign, len(wave))
        surges: list[Surge | None] = []
        if unhappy and topic:
            surges.append(await self.storage.note_unhappy(msg.brand, topic, msg.sent_at, policy.surge, UNHAPPY))
        if about:
            surges.append(await self.storage.note_unhappy_words(msg.brand, about, msg.sent_at, policy.surge, UNHAPPY))
        for begun in filter(None, surges):
            log.warning("brand %s: negative surge %d on %r: %d customers since %s", msg.brand, begun.id,
                        begun.entry_id or begun.word, begun.customers, begun.since)
        surge = next(filter(None, surges), None)
        outcome = Outcome(message_id, msg, conversation, decision, analysis, outbox_ids, campaign, surge)
        for listener in self.listeners:
            try:
                await listener(outcome)
            except Exception:
                log.exception("listener failed for message %d", message_id)
        return outcome
