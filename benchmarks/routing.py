"""Benchmark: how a brand's messages are routed to its argument base's entries.

In scope: the brand's own example phrases, k-fold (each fold's matchers and intent head built by the bot's code
from the other folds): the share answered from the right entry, from a wrong one, and handed to a person (each read
with its sentiment, as the bot reads it: an unhappy customer's message is answered on weaker evidence less often).
Off topic: requests that are about none of a support chat's business, when ../shared/datasets is there: English
ones from CLINC150's train/val halves (its out-of-scope queries and the travel, kitchen, car and work domains) and
Russian ones from encodechka's intent training file (assistant requests, its `general__*` small talk left out), and
unhappy Russian tweets about anything (RuSentiTweet's negative training ones: an angry customer off the base's
topics); the share answered from some entry. It measures the entry choice (`handlers.router.pick_entry`), not the
sentiment and toxicity rules that come before it (a very unhappy customer goes to a person, abuse is hidden); apart
(`strongly_negative`), the examples and off-topic probes that read at least `negative_handoff` negative: how many
are answered from an entry written for unhappy customers before a person takes them
(`handlers.entry_moods.for_unhappy`), the right one or not. The held-out Turkish examples with Turkish letters (ç ğ
ı ö ş ü) are routed again as customers often type them, without those letters, read as the bot reads them (its
language detected, the letters written back: `models.language.BrandWords`; `typed_plain`, beside the same examples
as written), and as typed with some of those letters and not others (`typed_partly`: every other word that has them
typed without; examples with one such word left out), and as written as it is spoken (`typed_colloquially`: the
present tense without its "r", "yanıyo"; the future short, "yapıcam", "olcak"; "nerden", "nası", "bi", "diil"; the
examples with such a word). Its Russian examples are routed again typed in Latin letters
(`typed_latin`: one common scheme, soft signs left out) and with the keyboard left in the English layout
(`typed_on_keys`: each Cyrillic letter and mark typed on its key, Latin words as they are), read as the bot reads
them. Every example is read as the pipeline reads a message, without the courtesies around what it asks
(`handlers.courtesies`), and routed again with a greeting put before it (`greeted`: "Добрый вечер, " and the like)
and, those that ask something, with polite words opening it (`polite`: "Подскажите, пожалуйста, ") and with thanks
after it (`thanked`: "Заранее спасибо!"), in capitals (`shouted`, read in lower case: `models.letter_case`), with a
capital first letter as most customers type (`capitalised`: "Сколько стоит …", its sentences begun in lower case), and,
those that ask something, after a sentence that only tells (`told`: "Я ваш абонент уже пять лет. ", read as the
sentence that asks alone: `handlers.request_sentence`), and, those that ask nothing, with a question that names
nothing after them (`what_now`: " Что делать?", read as the sentence that tells alone), read so and, as before that
reading, whole (`read_whole`). Each example is also taken as a public reply to another customer's comment
(`as_replies`): the share left to the customers as their own talk (`handlers.me_too.left_to_customers`: a question
to the brand lost), the rest routed as alone. For what goes
to a person it also measures the answers the moderator is offered (`handlers.suggestions`): how often the right
entry is the first or among them, and how many off-topic handoffs come with some.

Run: `python -m benchmarks.routing [--brand NAME] [--config FILE] [--no-builtin-out-of-scope]`.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import dataclasses
import json
import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.config import EMBEDDED_CONFIG, Config, ConfigError, load_config
from bot.pipeline import build_matchers, read_intents, read_message, read_plainly, words_of
from handlers.argument_base import ArgumentBase, Entry, load_argument_base
from handlers.courtesies import without_courtesies
from handlers.entry_moods import EntryMood, asks_something, for_unhappy, mood_of, says_displeasure
from handlers.matcher import SimilarityMatcher
from handlers.me_too import left_to_customers
from handlers.openers import starts_with_greeting
from handlers.phrasing import capitalised
from handlers.policy import BrandPolicy
from handlers.request_sentence import request_sentences, trouble_and_question
from handlers.router import UNHAPPY, answer_request, pick_entry
from handlers.suggestions import suggest_entries
from handlers.surge_words import name_stems, subject_words
from handlers.types import Action, Analysis, Decision
from models.analyzer import BatchingAnalyzer, TextAnalyzer
from models.encoder import shared_encoder
from models.intent_head import IntentHead
from models.language import BrandWords
from models.training_data import default_data_dir
from models.turkish_letters import plain

CLINC_DOMAINS = ("travel", "kitchen_and_dining", "auto_and_commute", "work")
Example = tuple[str, str, str]  # entry id, language, text


def examples_of(base: ArgumentBase) -> list[Example]:
    return [(entry.id, lang, text) for entry in base.entries for lang, texts in entry.examples.items()
            for text in texts]


def folds_of(examples: Sequence[Example], k: int, seed: int) -> list[list[int]]:
    """Each entry's examples spread over the k folds, so every fold's training part keeps the entry. Each entry's
    are shuffled by a draw of its own, so an entry added or edited leaves the others' folds as they were (one
    draw for all redrew every entry after it, which moved the figures by a point or two on its own)."""
    by_entry: dict[str, list[int]] = {}
    for i, (entry_id, _, _) in enumerate(examples):
        by_entry.setdefault(entry_id, []).append(i)
    folds: list[list[int]] = [[] for _ in range(k)]
    for entry_id, indices in by_entry.items():
        random.Random(f"{seed}:{entry_id}").shuffle(indices)
        for j, i in enumerate(indices):
            folds[j % k].append(i)
    return folds


def without(base: ArgumentBase, examples: Sequence[Example], held: set[int]) -> ArgumentBase:
    keep = {ex for i, ex in enumerate(examples) if i not in held}
    entries = tuple(
        dataclasses.replace(entry, examples={
            lang: tuple(t for t in texts if (entry.id, lang, t) in keep) for lang, texts in entry.examples.items()
        })
        for entry in base.entries
    )
    return dataclasses.replace(base, entries=entries)


def off_topic_probes(data_dir: Path, limit: int, seed: int) -> dict[str, tuple[str, list[str]]]:
    """Source name -> (language, texts); sources whose files are missing are left out."""
    rng = random.Random(seed)
    probes: dict[str, tuple[str, list[str]]] = {}
    clinc = data_dir / "clinc150_oos"
    if (clinc / "data_full.json").is_file() and (clinc / "domains.json").is_file():
        data = json.loads((clinc / "data_full.json").read_text(encoding="utf-8"))
        domains = json.loads((clinc / "domains.json").read_text(encoding="utf-8"))
        off = {intent for domain in CLINC_DOMAINS for intent in domains.get(domain, [])}
        texts = [t for t, _ in data["oos_train"] + data["oos_val"]]
        texts += [t for t, label in data["train"] + data["val"] if label in off]
        probes["clinc150_en"] = ("en", rng.sample(texts, min(limit, len(texts))))
    intents = data_dir / "encodechka_train" / "intents_train.csv"
    if intents.is_file():
        with intents.open(encoding="utf-8", newline="") as fh:
            texts = [row["text"] for row in csv.DictReader(fh) if not row["label"].startswith("general__")]
        probes["encodechka_intents_ru"] = ("ru", rng.sample(texts, min(limit, len(texts))))
    tweets = data_dir / "rusentitweet" / "rusentitweet_train.csv"
    if tweets.is_file():  # unhappy, about anything: what an angry customer off the base's topics writes like
        with tweets.open(encoding="utf-8", newline="") as fh:
            texts = [row["text"] for row in csv.DictReader(fh) if row["label"] == "negative"]
        probes["rusentitweet_negative_ru"] = ("ru", rng.sample(texts, min(limit, len(texts))))
    return probes


_LATIN_TYPING = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya"})


def typed_latin(text: str) -> str:
    """A Russian text as customers without a Cyrillic keyboard type it: one common scheme, soft signs left out."""
    return "".join(ch.lower().translate(_LATIN_TYPING).capitalize() if ch.isupper() else ch.translate(_LATIN_TYPING)
                   for ch in text)


_KEYS_OF = str.maketrans("йцукенгшщзхъфывапролджэячсмитьбю.ёЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,Ё\"№;:?",
                         "qwertyuiop[]asdfghjkl;'zxcvbnm,./`QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>?~@#$^&")


def typed_on_keys(text: str) -> str:
    """A Russian text typed with the keyboard in the English layout (ЙЦУКЕН keys, QWERTY letters; Latin words
    such as "wifi" typed as they are)."""
    return text.translate(_KEYS_OF)


_PRESENT_WRITTEN = re.compile(r"\b(\w+[ıiuü])yor(um|uz|sunuz|sun|lar|dum|duk|du|muş)?\b")
_PRESENT_SPOKEN = {"": "", "um": "m", "uz": "z", "sun": "sun", "sunuz": "nuz", "lar": "lar", "du": "du",
                   "dum": "dum", "duk": "duk", "muş": "muş"}
_FUTURE_WRITTEN = re.compile(r"\b(\w+?)([ae])(?:y[ae])?c([ae])(ğım|ğim|ğız|ğiz|k)\b")
_WORDS_SPOKEN = {"nereden": "nerden", "nasıl": "nası", "bir": "bi", "değil": "diil"}


def typed_colloquially(text: str) -> str:
    """A Turkish text written as it is spoken: the present tense without its "r" ("yanıyor" as "yanıyo"), the
    future short ("yapacağım" as "yapıcam", "ödeyeceğim" as "ödicem", "olacak" as "olcak"), "nereden" as "nerden",
    "nasıl" as "nası", "bir" as "bi", "değil" as "diil"."""
    def future(found: re.Match[str]) -> str:
        stem, vowel, _, ending = found.groups()
        if ending == "k":
            return f"{stem}c{vowel}k"
        return f"{stem}{'ı' if vowel == 'a' else 'i'}c{vowel}{'m' if ending in ('ğım', 'ğim') else 'z'}"

    text = _PRESENT_WRITTEN.sub(lambda m: f"{m.group(1)}yo{_PRESENT_SPOKEN[m.group(2) or '']}", text)
    text = _FUTURE_WRITTEN.sub(future, text)
    return re.sub(r"\w+", lambda m: _WORDS_SPOKEN.get(m.group(0), m.group(0)), text)


def typed_partly(text: str) -> str:
    """A text typed with some of its Turkish letters: every other word that has them typed without."""
    lettered = 0

    def strip(match: re.Match[str]) -> str:
        nonlocal lettered
        word = match.group(0)
        if plain(word) == word:
            return word
        lettered += 1
        return plain(word) if lettered % 2 == 0 else word

    return re.sub(r"\w+", strip, text)


_GREETINGS = {"ru": ("Здравствуйте", "Добрый день", "Привет", "Добрый вечер"),
              "tr": ("Merhaba", "İyi günler", "Selam", "İyi akşamlar"),
              "en": ("Hello", "Hi", "Good afternoon", "Good evening")}


_THANKS = {"ru": ("Спасибо!", "Заранее спасибо!", "Спасибо большое"),
           "tr": ("Teşekkürler", "Şimdiden teşekkürler!", "Teşekkür ederim"),
           "en": ("Thanks!", "Thanks in advance", "Thank you")}


_POLITE = {"ru": ("Подскажите, пожалуйста,", "Скажите, пожалуйста,", "Извините за беспокойство,"),
           "tr": ("Lütfen", "Rica etsem,", "Kusura bakmayın,"),
           "en": ("Please,", "Could you tell me,", "Excuse me,")}


_TOLD = {"ru": ("Я ваш абонент уже пять лет.", "Пишу вам уже второй раз.", "У нас дома трое детей."),
         "tr": ("Beş yıldır abonenizim.", "Size ikinci kez yazıyorum.", "Evde üç çocuğumuz var."),
         "en": ("I've been your customer for five years.", "This is my second time writing to you.",
                "We have three kids at home.")}


_WHAT_NOW = {"ru": ("Что делать?", "Как быть?", "Подскажите, что делать?"),
             "tr": ("Ne yapmalıyım?", "Ne yapabilirim?", "Ne yapmam lazım?"),
             "en": ("What should I do?", "What can I do?", "What do I do now?")}
_SPLIT = frozenset({"told", "what_now", "context"})  # the kinds read as handlers.request_sentence splits them
# The `context` kind's other outcomes: answered from the entry of the sentence before the question (and a person
# called for the question)
_CONTEXT_OUTCOMES = ("both", "context_entry", "context_entry_and_person")
_SPLIT_OUTCOMES = ("wrong_in_pair",)  # of the kinds read by their sentences: a right answer and a wrong one


def courteous_examples(examples: Sequence[Example], seed: int) -> dict[str, dict[int, str]]:
    """Examples as customers often write them (index -> text), of the languages with courtesies here: `greeted`, a
    greeting before the question ("Добрый вечер, какие есть способы оплаты?"), for those that begin with none;
    `polite`, polite words opening it ("Подскажите, пожалуйста, сколько стоит приставка?"), and `thanked`, thanks
    after it ("Как оплатить картой? Заранее спасибо!"), for those that ask something; `shouted`, typed in capitals
    ("СКОЛЬКО СТОИТ ПРИСТАВКА?"); `capitalised`, with a capital first letter, those that begin in lower case
    ("Сколько стоит приставка?"); `told`, a sentence that only tells before those that ask something ("Пишу вам
    уже второй раз. Как оплатить картой?"); `what_now`, a question that names nothing after those that ask nothing
    ("Приставка показывает ошибку 404. Что делать?"); `context`, another entry's example that asks nothing before
    those that ask something ("Интернет пропал. Как оплатить картой?": the payment's question, told of an outage;
    `context_entries` tells which entry the sentence before is)."""
    rng = random.Random(seed)

    def lower(text: str) -> str:
        return f"{text[:1].lower()}{text[1:]}"

    greeted = {i: f"{rng.choice(_GREETINGS[language])}, {lower(text)}" for i, (_, language, text) in enumerate(examples)
               if language in _GREETINGS and not starts_with_greeting(text)}
    asking = [(i, language, text) for i, (_, language, text) in enumerate(examples)
              if language in _GREETINGS and asks_something(text)]
    polite = {i: f"{rng.choice(_POLITE[language])} {lower(text)}" for i, language, text in asking
              if without_courtesies(text) == text}
    thanked = {i: f"{text} {rng.choice(_THANKS[language])}" for i, language, text in asking}
    shouted = {i: text.replace("i", "İ").upper() if language == "tr" else text.upper()
               for i, (_, language, text) in enumerate(examples) if language in _GREETINGS and text.upper() != text}
    capital = {i: capitalised(text, language) for i, (_, language, text) in enumerate(examples)
               if language in _GREETINGS and text[:1].islower()}
    told = {i: f"{rng.choice(_TOLD[language])} {text}" for i, language, text in asking}
    what_now = {i: f"{text.rstrip('.!')}. {rng.choice(_WHAT_NOW[language])}" for i, (_, language, text)
                in enumerate(examples) if language in _WHAT_NOW and not asks_something(text)}
    telling = [(entry_id, language, text.rstrip(".!")) for entry_id, language, text in examples
               if language in _WHAT_NOW and not asks_something(text)]
    context = {}
    for i, language, text in asking:
        others = [told for entry_id, lang, told in telling if lang == language and entry_id != examples[i][0]]
        if others:
            context[i] = f"{rng.choice(others)}. {text}"
    return {"greeted": greeted, "polite": polite, "thanked": thanked, "shouted": shouted, "capitalised": capital,
            "told": told, "what_now": what_now, "context": context}


def context_entries(examples: Sequence[Example], context: dict[int, str]) -> dict[int, str]:
    """Of the `context` kind (courteous_examples), the entry of each one's sentence before the question."""
    telling = {text.rstrip(".!"): entry_id for entry_id, _, text in examples}
    return {i: telling[text[:len(text) - len(examples[i][2]) - 2]] for i, text in context.items()}


def sentences_read(courteous: dict[str, dict[int, str]], examples: Sequence[Example]
                   ) -> tuple[dict[str, dict[int, tuple[str, ...]]], set[tuple[str, int]]]:
    """Of the kinds the pipeline also reads by its sentences (`told`, `what_now`, `context`), each example's
    sentences read alone: the one that asks, then the one that tells, or that one alone where the question names
    nothing (handlers.request_sentence.request_sentences); else a question, then the trouble told in the other
    sentence (trouble_and_question), those (kind, index) also in the set returned."""
    split: dict[str, dict[int, tuple[str, ...]]] = {}
    troubled: set[tuple[str, int]] = set()
    for kind in _SPLIT & set(courteous):
        split[kind] = {}
        for i, text in courteous[kind].items():
            asked = without_courtesies(text)
            if sentences := request_sentences(asked, examples[i][1]):
                split[kind][i] = sentences
            elif (pair := trouble_and_question(asked)) is not None:
                split[kind][i] = (pair[1], pair[0])
                troubled.add((kind, i))
    return split, troubled


def read_typed(typed: dict[int, str], words: BrandWords, analyzer: TextAnalyzer
               ) -> dict[int, tuple[str, np.ndarray, np.ndarray, str | None]]:
    """Examples as customers typed them, read as the bot reads them: index -> (reading, embedding, intent
    vector, the language it was read as)."""
    read_as = {i: words.language(text) for i, text in typed.items()}
    readings = {i: read_message(words, text, read_as[i]) for i, text in typed.items()}
    if not readings:
        return {}
    vectors, intent_vectors = analyzer.vectors(list(readings.values()))
    return {i: (reading, vectors[k], intent_vectors[k], read_as[i]) for k, (i, reading) in enumerate(readings.items())}


def route(base: ArgumentBase, matchers: tuple[SimilarityMatcher, IntentHead | None], policy: BrandPolicy,
          language: str, text: str, vector: np.ndarray, intent_vector: np.ndarray,
          sentiment: dict[str, float] | None = None, names: frozenset[str] = frozenset()
          ) -> tuple[Entry | None, tuple[str, ...], str]:
    """The entry the bot would answer a message from (None: a person), as the pipeline reads it (`sentiment`:
    how unhappy it reads; `names`: the brand's, left out of an unhappy message's subject words); for a message it
    hands to a person, the entries the moderator is offered; how the entry was picked (handlers.router.pick_entry)."""
    matcher, head = matchers
    intents, out_of_scope = read_intents(head, intent_vector, text)
    unhappy = (sentiment or {}).get("negative", 0.0) >= UNHAPPY
    analysis = Analysis(language, sentiment or {}, None, intents, out_of_scope,
                        subject_words(text, language, names) if unhappy else None)
    match = matcher.match(vector)
    entry, how = pick_entry(base, analysis, match, policy, says_displeasure(text))
    return entry, (() if entry is not None else suggest_entries(analysis, match, policy)), how


async def run(args: argparse.Namespace, config: Config) -> dict[str, object]:
    brand = config.brands[args.brand or next(iter(config.brands))]  # main() checked the name
    policy: BrandPolicy = brand.policy
    if args.no_builtin_out_of_scope:
        policy = dataclasses.replace(policy, builtin_out_of_scope=False)
    base = load_argument_base(brand.argument_base, policy.languages)
    names = name_stems(brand.name, brand.display_name)
    encoder = shared_encoder(None if config.encoder == "bundled" else config.encoder)
    analyzer = BatchingAnalyzer(TextAnalyzer.load(encoder))
    started = time.perf_counter()
    examples = examples_of(base)
    read = [read_plainly(text, language) for _, language, text in examples]  # as the pipeline reads a message
    embeddings, intent_vectors = analyzer.analyzer.vectors(read)
    moods = [f.sentiment for f in analyzer.analyzer.analyze(read)]
    typed = {i: plain(text) for i, (_, lang, text) in enumerate(examples) if lang == "tr" and plain(text) != text}
    partly = {i: typed_partly(examples[i][2]) for i in typed if typed_partly(examples[i][2]) not in (
        examples[i][2], typed[i])}
    spoken = {i: written_so for i, (_, lang, text) in enumerate(examples)
              if lang == "tr" and (written_so := typed_colloquially(text)) != text}
    in_scope: Counter[str] = Counter()
    typed_plain: dict[str, Counter[str]] = {"written": Counter(), "plain": Counter()}  # Turkish with its letters
    typed_spoken: dict[str, Counter[str]] = {"written": Counter(), "spoken": Counter()}
    typed_some: dict[str, Counter[str]] = {"written": Counter(), "partly": Counter()}
    latin = {i: typed_latin(text) for i, (_, lang, text) in enumerate(examples) if lang == "ru"}
    typed_in_latin: dict[str, Counter[str]] = {"written": Counter(), "latin": Counter()}  # Russian in Latin letters
    on_keys = {i: typed_on_keys(text) for i, (_, lang, text) in enumerate(examples) if lang == "ru"}
    typed_on_latin_keys: dict[str, Counter[str]] = {"written": Counter(), "on_keys": Counter()}
    courteous = courteous_examples(examples, args.seed)
    split, troubled = sentences_read(courteous, examples)
    told_of = context_entries(examples, courteous["context"])
    read_whole = {kind: dict(zip(variants, zip(*analyzer.analyzer.vectors(list(variants.values())), strict=True),
                                 strict=True)) if variants else {} for kind, variants in courteous.items()}
    typed_courteously: dict[str, dict[str, Counter[str]]] = {
        kind: {"written": Counter(), "read_whole": Counter(), kind: Counter()} for kind in courteous}
    suggested: Counter[str] = Counter()  # among the examples handed to a person
    very_unhappy: Counter[str] = Counter()  # the examples read at least negative_handoff negative
    as_replies: Counter[str] = Counter()  # each example as a public reply to another customer's comment
    for fold in folds_of(examples, args.folds, args.seed):
        held = set(fold)
        part = without(base, examples, held)
        matchers = await build_matchers(part, analyzer, policy, cache=False)
        words = words_of(part)  # as the pipeline reads a text: its language, Turkish letters typed without
        plain_read = read_typed({i: typed[i] for i in fold if i in typed}, words, analyzer.analyzer)
        typed_plain["plain"]["read_as_turkish"] += sum(language == "tr" for *_, language in plain_read.values())
        partly_read = read_typed({i: partly[i] for i in fold if i in partly}, words, analyzer.analyzer)
        spoken_read = read_typed({i: spoken[i] for i in fold if i in spoken}, words, analyzer.analyzer)
        latin_read = read_typed({i: latin[i] for i in fold if i in latin}, words, analyzer.analyzer)
        typed_in_latin["latin"]["read_as_russian"] += sum(language == "ru" for *_, language in latin_read.values())
        keys_read = read_typed({i: on_keys[i] for i in fold if i in on_keys}, words, analyzer.analyzer)
        courteous_read = {kind: read_typed({i: split.get(kind, {}).get(i, (variants[i],))[0] for i in fold
                                            if i in variants}, words, analyzer.analyzer)
                          for kind, variants in courteous.items()}
        context_read = {kind: read_typed({i: sentences[1] for i, sentences in split[kind].items()
                                          if i in held and len(sentences) > 1}, words, analyzer.analyzer)
                        for kind in split}
        typed_on_latin_keys["on_keys"]["read_as_russian"] += sum(lang == "ru" for *_, lang in keys_read.values())
        entry_moods = {e.id: mood_of([moods[i] for i, (owner, *_) in enumerate(examples)
                                      if owner == e.id and i not in held]) for e in part.entries}
        for i in fold:
            entry_id, language, text = examples[i]
            entry, offered, how = route(part, matchers, policy, language, read[i], embeddings[i], intent_vectors[i],
                                        moods[i], names)
            outcome = "handoff" if entry is None else "right" if entry.id == entry_id else "wrong"
            in_scope[outcome] += 1
            # sent as a reply to another customer's comment: left to the customers, or the brand's as alone
            as_replies["left" if left_to_customers(text, moods[i].get("negative", 0.0) >= UNHAPPY,
                                                   entry if how == "intent" else None) else outcome] += 1
            if moods[i].get("negative", 0.0) >= policy.negative_handoff:
                very_unhappy[outcome if _answered_unhappy(entry, entry_moods) else "regret_handoff"] += 1
            if entry is None:
                suggested["offered"] += bool(offered)
                suggested["top1"] += offered[:1] == (entry_id,)
                suggested["top3"] += entry_id in offered
            for spelled, counts, spelling in ((plain_read, typed_plain, "plain"), (partly_read, typed_some, "partly"),
                                              (spoken_read, typed_spoken, "spoken"),
                                              (latin_read, typed_in_latin, "latin"),
                                              (keys_read, typed_on_latin_keys, "on_keys")):
                if i in spelled:
                    counts["written"][outcome] += 1
                    guess, *_ = route(part, matchers, policy, language, *spelled[i][:3], moods[i], names)
                    counts[spelling]["handoff" if guess is None else "right" if guess.id == entry_id else "wrong"] += 1
            for kind, variants in courteous.items():
                if i not in courteous_read[kind]:
                    continue
                typed_courteously[kind]["written"][outcome] += 1
                whole = (variants[i], *read_whole[kind][i])  # the courtesies read with the question, as before
                guesses = {spelling: route(part, matchers, policy, language, reading, vector, intent_vector, moods[i],
                                           names)
                           for spelling, (reading, vector, intent_vector) in ((kind, courteous_read[kind][i][:3]),
                                                                              ("read_whole", whole))}
                context = told_of.get(i) if kind == "context" else None
                for spelling, (guess, _, how) in guesses.items():
                    decided = _decided((guess, how), language)
                    if spelling == kind and kind in _SPLIT:  # by its sentences as handlers.router.answer_request
                        sentences = split[kind].get(i, ())  # reads them (none: the whole message as read whole)
                        readings = [(decided, sentences[0])] if sentences else []
                        if len(sentences) > 1:
                            told, _, told_how = route(part, matchers, policy, language, *context_read[kind][i][:3],
                                                      moods[i], names)
                            readings.append((_decided((told, told_how), language), sentences[1]))
                        as_whole, _, whole_how = guesses["read_whole"]
                        decided = answer_request(_decided((as_whole, whole_how), language), readings, part, names,
                                                 (kind, i) in troubled,
                                                 read_intents(matchers[1], whole[2], whole[0])[0])
                    keys = [str(decided.phrasing_key), *(key for _, key in decided.more_replies)]
                    answered_from = [key.removeprefix("answer:") for key in keys if key.startswith("answer:")]
                    person = any(key.startswith("person:") for key in keys)
                    typed_courteously[kind][spelling][_outcome(answered_from, person, entry_id, context)] += 1
    matchers = await build_matchers(base, analyzer, policy)
    base_moods = {e.id: mood_of([moods[i] for i, (owner, *_) in enumerate(examples) if owner == e.id])
                  for e in base.entries}
    off_topic: dict[str, dict[str, object]] = {}
    for source, (language, probes) in off_topic_probes(Path(args.data_dir), args.probes, args.seed).items():
        texts = [read_plainly(text) for text in probes]  # as the pipeline reads a message
        vectors, intent_probe = analyzer.analyzer.vectors(texts)
        probe_moods = [f.sentiment for f in analyzer.analyzer.analyze(texts)]
        answered: Counter[str] = Counter()
        offered_any = handed = strong = strong_answered = 0
        for text, vector, intent_vector, mood in zip(texts, vectors, intent_probe, probe_moods, strict=True):
            entry, offered, _ = route(base, matchers, policy, language, text, vector, intent_vector, mood, names)
            if mood.get("negative", 0.0) >= policy.negative_handoff:
                strong += 1
                strong_answered += _answered_unhappy(entry, base_moods)
            if entry is not None:
                answered[entry.id] += 1
            else:
                handed += 1
                offered_any += bool(offered)
        off_topic[source] = {"n": len(texts), "answered": round(sum(answered.values()) / len(texts), 4),
                             "most_answered_with": dict(answered.most_common(3)),
                             "handoffs_with_suggestions": round(offered_any / handed, 4) if handed else None,
                             "strongly_negative": strong, "strongly_negative_answered": strong_answered}
    n = len(examples)
    return {
        "brand": brand.name, "builtin_out_of_scope": policy.builtin_out_of_scope, "examples": n,
        "folds": args.folds, "in_scope": {k: round(in_scope[k] / n, 4) for k in ("right", "wrong", "handoff")},
        "typed_plain": _shares(typed_plain, len(typed), "read_as_turkish"),
        "typed_latin": _shares(typed_in_latin, len(latin), "read_as_russian"),
        "typed_on_keys": _shares(typed_on_latin_keys, len(on_keys), "read_as_russian"),
        "typed_partly": _shares(typed_some, len(partly)),
        "typed_colloquially": _shares(typed_spoken, len(spoken)),
        **{kind: _shares(typed_courteously[kind], len(variants), also=(
            *(_SPLIT_OUTCOMES if kind in _SPLIT else ()), *(_CONTEXT_OUTCOMES if kind == "context" else ())))
           for kind, variants in courteous.items()},
        "handoff_suggestions": {k: round(suggested[k] / in_scope["handoff"], 4) if in_scope["handoff"] else None
                                for k in ("offered", "top1", "top3")},
        "strongly_negative": dict(very_unhappy),
        "as_replies": {k: round(as_replies[k] / n, 4) for k in ("left", "right", "wrong", "handoff")},
        "off_topic": off_topic, "seconds": round(time.perf_counter() - started, 1),
    }


def _decided(picked: tuple[Entry | None, str], language: str) -> Decision:
    """An entry choice (`route`'s entry and how it was picked) as handlers.router.answer_request reads a decision:
    an answer from the entry (key "answer:ID"; one that needs a person too, as `route` scores it), or a person (key
    "person:")."""
    entry, how = picked
    if entry is None:
        return Decision(Action.HANDOFF, how, language, None, "…", "person:")
    return Decision(Action.ANSWER, how, language, entry.id, "…", f"answer:{entry.id}")


def _outcome(answered: Sequence[str], person: bool, entry_id: str, context: str | None) -> str:
    """How an example was routed (`answered`: the entries answered from, in order, the question's last; `person`:
    a person called too): `handoff`, `right`, `wrong`, or with another sentence's answer from another entry than
    the one it was said about, `wrong_in_pair`; of the `context` kind (`context`: the entry of the sentence before
    the question), also `both` (the question's entry and that one answered), `context_entry` (that one alone) and
    `context_entry_and_person` (that one, and a person for the question)."""
    if not answered:
        return "handoff"
    question = answered[-1]
    if question not in (entry_id, context):
        return "wrong"
    if len(answered) > 1:
        return "both" if set(answered) == {entry_id, context} else "wrong_in_pair"
    if question == entry_id:
        return "right"
    return "context_entry_and_person" if person else "context_entry"


def _answered_unhappy(entry: Entry | None, moods: dict[str, EntryMood]) -> bool:
    """Whether a very unhappy message is answered from its entry before a person takes it (an entry written for
    unhappy customers that does not need a person anyway), not met with regret alone."""
    return entry is not None and not entry.needs_human and for_unhappy(moods.get(entry.id))


def _shares(counts: dict[str, Counter[str]], n: int, read_as: str = "", also: Sequence[str] = ()) -> dict[str, object]:
    """Examples routed as written and as typed otherwise (`counts`, written first): per spelling the shares
    answered right, wrong and handed off (and `also`: other outcomes counted), and for the typed one how many were
    read as their language."""
    typed = list(counts)[-1]
    return {"n": n, **{spelling: {k: round(seen[k] / n, 4) if n else None for k in (
        "right", "wrong", "handoff", *also, *([read_as] if read_as and spelling == typed else []))}
        for spelling, seen in counts.items()}}


def _typed_line(figures: object, which: str, typed_as: str, read_as: str = "", language: str = "") -> str | None:
    """One `_shares` block as a line: as written / as typed; None when no example was typed so."""
    assert isinstance(figures, dict)
    if not figures["n"]:
        return None
    written, typed = figures["written"], figures[list(figures)[-1]]
    line = (f"the {figures['n']} {which}, as written / {typed_as}: answered right {written['right']:.1%} / "
            f"{typed['right']:.1%}, wrong {written['wrong']:.1%} / {typed['wrong']:.1%}, handed off "
            f"{written['handoff']:.1%} / {typed['handoff']:.1%}")
    return line + (f"; typed so, read as {language} {typed[read_as]:.1%}" if read_as else "")


def brand_folds_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """The arguments of a benchmark that routes a brand's examples k-fold: --config, --brand, --folds, --seed."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--config", default=str(EMBEDDED_CONFIG), help="configuration file (default: embedded)")
    parser.add_argument("--brand", help="brand name (default: the first)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    return parser


def parsed_brand_folds(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> tuple[argparse.Namespace,
                                                                                              Config]:
    """The arguments and the configuration they name (a clear error for bad folds, file or brand)."""
    args = parser.parse_args(argv)
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    try:
        config = load_config(Path(args.config))
    except ConfigError as exc:
        parser.error(str(exc))
    if args.brand is not None and args.brand not in config.brands:
        parser.error(f"unknown brand {args.brand!r} (configured: {', '.join(config.brands)})")
    return args, config


def main(argv: Sequence[str] | None = None) -> int:
    parser = brand_folds_parser("python -m benchmarks.routing", __doc__.splitlines()[0])
    parser.add_argument("--probes", type=int, default=600, help="off-topic requests per source")
    parser.add_argument("--data-dir", default=str(default_data_dir()), help="the shared datasets (off-topic probes)")
    parser.add_argument("--no-builtin-out-of-scope", action="store_true",
                        help="as with builtin_out_of_scope = false")
    args, config = parsed_brand_folds(parser, argv)
    result = asyncio.run(run(args, config))
    in_scope = result["in_scope"]
    assert isinstance(in_scope, dict)
    print(f"brand {result['brand']}: {result['examples']} examples, {result['folds']}-fold: answered right "
          f"{in_scope['right']:.1%}, wrong {in_scope['wrong']:.1%}, handed off {in_scope['handoff']:.1%}")
    for line in (
        _typed_line(result["typed_plain"], "Turkish ones with Turkish letters", "typed without them",
                    "read_as_turkish", "Turkish"),
        _typed_line(result["typed_latin"], "Russian ones", "typed in Latin letters", "read_as_russian", "Russian"),
        _typed_line(result["typed_on_keys"], "Russian ones", "typed in the English layout", "read_as_russian",
                    "Russian"),
        _typed_line(result["typed_partly"], "with Turkish letters in several words", "typed with some of them"),
        _typed_line(result["typed_colloquially"], "Turkish ones with words people write as they speak",
                    "written so (\"yanıyo\", \"nerden\", \"yapıcam\")"),
    ):
        if line is not None:
            print(line)
    for kind, said, read in (("greeted", "with a greeting put before them (\"Добрый вечер, …\")", "without it"),
                             ("polite", "with polite words put before them (\"Подскажите, пожалуйста, …\")",
                              "without them"),
                             ("thanked", "with thanks put after them (\"… Заранее спасибо!\")", "without them"),
                             ("shouted", "typed in capitals (\"СКОЛЬКО СТОИТ …\")", "in lower case"),
                             ("capitalised", "with a capital first letter (\"Сколько стоит …\")",
                              "with it in lower case"),
                             ("told", "after a sentence that only tells (\"Пишу вам уже второй раз. …\")",
                              "as the sentence that asks alone"),
                             ("what_now", "with a question that names nothing after them (\"… Что делать?\")",
                              "as the sentence that tells alone")):
        figures = result[kind]
        assert isinstance(figures, dict)
        if figures["n"]:
            print(f"the {figures['n']} {said}, as written / so, read {read} / so, read whole: answered right "
                  + " / ".join(f"{figures[k]['right']:.1%}" for k in ("written", kind, "read_whole")) + ", wrong "
                  + " / ".join(f"{figures[k]['wrong']:.1%}" for k in ("written", kind, "read_whole")))
    context = result["context"]
    assert isinstance(context, dict)
    if context["n"]:
        split_so, whole = context["context"], context["read_whole"]
        print(f"the {context['n']} asking after another entry's example that asks nothing (\"Интернет пропал. …\"), "
              f"read by their sentences / whole: the question's entry answered {split_so['right']:.1%} / "
              f"{whole['right']:.1%}, both answered {split_so['both']:.1%} / {whole['both']:.1%}, the entry of the "
              f"sentence before {split_so['context_entry']:.1%} / {whole['context_entry']:.1%} (and a person for "
              f"the question {split_so['context_entry_and_person']:.1%}), a wrong one "
              f"{split_so['wrong'] + split_so['wrong_in_pair']:.1%} / {whole['wrong']:.1%}, a person "
              f"{split_so['handoff']:.1%} / {whole['handoff']:.1%}")
    offered = result["handoff_suggestions"]
    assert isinstance(offered, dict)
    if offered["offered"] is not None:
        print(f"handed off: the right entry suggested first {offered['top1']:.1%}, among the suggestions "
              f"{offered['top3']:.1%} (some suggestion {offered['offered']:.1%})")
    very_unhappy = result["strongly_negative"]
    assert isinstance(very_unhappy, dict)
    print(f"strongly negative examples ({sum(very_unhappy.values())}): answered from an entry for unhappy customers "
          f"before a person, right {very_unhappy.get('right', 0)}, wrong {very_unhappy.get('wrong', 0)}; regret and a "
          f"person only {very_unhappy.get('regret_handoff', 0) + very_unhappy.get('handoff', 0)}")
    replies = result["as_replies"]
    assert isinstance(replies, dict)
    print(f"each as a public reply to another customer's comment: left to the customers {replies['left']:.1%}, "
          f"answered right {replies['right']:.1%}, wrong {replies['wrong']:.1%}, handed off {replies['handoff']:.1%}")
    off_topic = result["off_topic"]
    assert isinstance(off_topic, dict)
    for source, figures in off_topic.items():
        print(f"off topic, {source}: {figures['answered']:.1%} of {figures['n']} answered from an entry; strongly "
              f"negative {figures['strongly_negative']}, of them answered so {figures['strongly_negative_answered']}")
    if not off_topic:
        print(f"off topic: no probes ({args.data_dir} has neither CLINC150 nor encodechka's intents)")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
