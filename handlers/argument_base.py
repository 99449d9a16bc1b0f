"""A brand's argument base: approved answers, several phrasings each, per language.

One folder per brand holds YAML files, each with a top-level ``entries`` list and/or an
``out_of_scope`` mapping (language -> phrases customers ask that are none of the brand's business).
Every problem is reported with its file, entry and field, so an editor can fix a base in one pass.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from handlers.spam import linked_sites
from handlers.tone import accusation

log = logging.getLogger(__name__)

MIN_ANSWERS = 2
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
ALLOWED_PLACEHOLDERS = frozenset({"name"})
_ENTRY_KEYS = frozenset(
    {"id", "topic", "examples", "answers", "public_answers", "needs_human", "personal_data"}
)


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.entry:
            where += f": entry {self.entry!r}"
        if self.field:
            where += f": field {self.field!r}"
        return f"{where}: {self.message}"


class ArgumentBaseError(ValueError):
    """An argument base that cannot be used; `problems` lists every defect found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Entry:
    id: str
    topic: str
    examples: dict[str, tuple[str, ...]]
    answers: dict[str, tuple[str, ...]]
    public_answers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    needs_human: bool = False
    personal_data: bool = False
    source: str = ""
    topics: dict[str, str] = field(default_factory=dict)  # the topic per language, where the base gives them

    def topic_in(self, language: str | None) -> str:
        """The topic as people reading `language` read it (`topic`, where the base gives none in it)."""
        return self.topics.get(language or "", self.topic)

    def phrasings(self, language: str, public: bool) -> tuple[str, ...]:
        if public and self.public_answers.get(language):
            return self.public_answers[language]
        return self.answers.get(language, ())


@dataclass(frozen=True)
class ArgumentBase:
    entries: tuple[Entry, ...]
    languages: tuple[str, ...]
    digest: str  # content hash: what trained heads and cached embeddings are keyed by
    # what customers ask that is none of the brand's business (a file's top-level `out_of_scope`): the intent
    # head learns them as out of scope, so such a message goes to a person instead of the nearest entry
    out_of_scope: tuple[str, ...] = ()
    # the brand's answer to a directed-negative wave, once per post (a file's top-level `directed_negative`: two
    # phrasings or more per language, prepared in advance as practitioners advise; none: the built-in one)
    directed_statement: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def texts(self, language: str) -> list[str]:
        """Everything the base says in a language: its examples and answers."""
        return [text for e in self.entries
                for text in (*e.examples.get(language, ()), *e.answers.get(language, ()),
                             *e.public_answers.get(language, ()))]

    @cached_property
    def linked_sites(self) -> frozenset[str]:
        """The sites its answers link to: the brand's own (handlers.spam: links there send nobody elsewhere)."""
        return linked_sites(text for e in self.entries for phrasings in (*e.answers.values(),
                            *e.public_answers.values()) for text in phrasings)

    def entry(self, entry_id: str) -> Entry:
        for e in self.entries:
            if e.id == entry_id:
                return e
        raise KeyError(entry_id)


def _text_list(
    value: Any, file: str, entry: str | None, fname: str, problems: list[Problem]
) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value:
        problems.append(Problem(file, entry, fname, "must be a non-empty list of strings"))
        return None
    texts: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            problems.append(Problem(file, entry, f"{fname}[{i}]", "must be a non-empty string"))
            continue
        texts.append(item.strip())
    return tuple(texts)


def _per_language(
    value: Any, file: str, entry: str | None, fname: str, languages: tuple[str, ...],
    problems: list[Problem], *, required: bool, min_items: int = 1, answers: bool = False,
) -> dict[str, tuple[str, ...]]:
    if value is None:
        if required:
            problems.append(Problem(file, entry, fname, "is missing"))
        return {}
    if not isinstance(value, dict):
        problems.append(Problem(file, entry, fname, "must map a language code to a list of texts"))
        return {}
    result: dict[str, tuple[str, ...]] = {}
    for lang in languages:
        if lang not in value:
            if required:
                problems.append(Problem(file, entry, f"{fname}.{lang}", "is missing"))
            continue
        texts = _text_list(value[lang], file, entry, f"{fname}.{lang}", problems)
        if texts is None:
            continue
        if len(texts) < min_items:
            problems.append(Problem(file, entry, f"{fname}.{lang}",
                                    f"needs at least {min_items} items, has {len(texts)}"))
        if len(set(texts)) != len(texts):
            problems.append(Problem(file, entry, f"{fname}.{lang}", "repeats the same text"))
        if answers:  # what customers read: placeholders filled in, and never an accusation
            for i, text in enumerate(texts):
                for name in _PLACEHOLDER.findall(text):
                    if name not in ALLOWED_PLACEHOLDERS:
                        problems.append(Problem(file, entry, f"{fname}.{lang}[{i}]",
                                                f"unknown placeholder {{{name}}} (only {{name}} is allowed)"))
                accusing = accusation(text, lang)
                if accusing:
                    problems.append(Problem(file, entry, f"{fname}.{lang}[{i}]",
                                            f"accuses the customer ({accusing!r}): answers never call a customer a"
                                            " liar or blame them; state the facts and how to check them"))
        result[lang] = texts
    for lang in value:
        if lang not in languages:
            problems.append(Problem(file, entry, f"{fname}.{lang}",
                                    f"language {lang!r} is not one of the brand's {list(languages)}"))
    return result


def _parse_entry(raw: Any, file: str, index: int, languages: tuple[str, ...],
                 problems: list[Problem]) -> Entry | None:
    label = f"#{index + 1}"
    if not isinstance(raw, dict):
        problems.append(Problem(file, label, None, "an entry must be a mapping"))
        return None
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not _ID.match(entry_id):
        problems.append(Problem(file, label, "id", "must be a snake_case identifier"))
        entry_id = None
    name = entry_id or label
    for key in raw:
        if key not in _ENTRY_KEYS:
            problems.append(Problem(file, name, str(key), "unknown field"))
    topic, topics = _topic(raw.get("topic"), file, name, languages, problems)
    flags: dict[str, bool] = {}
    for flag in ("needs_human", "personal_data"):
        value = raw.get(flag, False)
        if not isinstance(value, bool):
            problems.append(Problem(file, name, flag, "must be true or false"))
            value = False
        flags[flag] = value
    before = len(problems)
    examples = _per_language(raw.get("examples"), file, name, "examples", languages, problems,
                             required=True)
    answers = _per_language(raw.get("answers"), file, name, "answers", languages, problems,
                            required=True, min_items=MIN_ANSWERS, answers=True)
    public = _per_language(raw.get("public_answers"), file, name, "public_answers", languages,
                           problems, required=False, answers=True)
    if entry_id is None or len(problems) > before or topic is None:
        return None
    return Entry(entry_id, topic, examples, answers, public, flags["needs_human"], flags["personal_data"], file,
                 topics)


def _topic(raw: Any, file: str, name: str, languages: tuple[str, ...], problems: list[Problem]
           ) -> tuple[str | None, dict[str, str]]:
    """An entry's topic: one string, or one per language ({ru: …, tr: …, en: …}: what moderators and the agency's
    client read, each in their language); the first of the brand's languages it has stands for the others
    (`Entry.topic`)."""
    if isinstance(raw, str) and raw.strip():
        return raw.strip(), {}
    if isinstance(raw, dict) and raw:
        topics: dict[str, str] = {}
        for language, text in raw.items():
            if language not in languages:
                problems.append(Problem(file, name, f"topic.{language}",
                                        f"language {language!r} is not one of the brand's {list(languages)}"))
            elif not isinstance(text, str) or not text.strip():
                problems.append(Problem(file, name, f"topic.{language}", "must be a non-empty string"))
            else:
                topics[language] = text.strip()
        if len(topics) < len(raw):
            return None, {}
        return next(topics[language] for language in languages if language in topics), topics
    problems.append(Problem(file, name, "topic", "must be a non-empty string, or one per language"))
    return None, {}


def load_argument_base(folder: Path, languages: tuple[str, ...] = ("ru", "tr", "en")) -> ArgumentBase:
    """Read and validate every ``*.yaml``/``*.yml`` file of a folder; raise with all problems."""
    problems: list[Problem] = []
    if not folder.is_dir():
        raise ArgumentBaseError([Problem(str(folder), None, None, "is not a folder")])
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if not files:
        raise ArgumentBaseError([Problem(str(folder), None, None, "has no .yaml files")])
    digest = hashlib.sha256("|".join(languages).encode())
    entries: list[Entry] = []
    out_of_scope: list[tuple[str, str]] = []  # (file, phrase)
    statement: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for path in files:
        name = path.name
        try:
            content = path.read_bytes()
            digest.update(name.encode() + b"\0" + content)
            data = yaml.safe_load(content.decode("utf-8"))
        except UnicodeDecodeError:
            problems.append(Problem(name, None, None, "is not UTF-8 text"))
            continue
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" at line {mark.line + 1}" if mark is not None else ""
            problems.append(Problem(name, None, None, f"is not valid YAML{line}: {getattr(exc, 'problem', exc)}"))
            continue
        if not isinstance(data, dict) or not (isinstance(data.get("entries"), list) or "out_of_scope" in data
                                              or "directed_negative" in data):
            problems.append(Problem(name, None, "entries", "the file must have a top-level 'entries' list"
                                                           " (or an 'out_of_scope' or 'directed_negative' mapping)"))
            continue
        for key in data:
            if key not in ("entries", "out_of_scope", "directed_negative"):
                problems.append(Problem(name, None, str(key), "unknown top-level key (only 'entries',"
                                                               " 'out_of_scope' and 'directed_negative')"))
        if "directed_negative" in data:
            if statement:
                problems.append(Problem(name, None, "directed_negative", "is given in another file too"))
            statement = _per_language(data["directed_negative"], name, None, "directed_negative", languages,
                                      problems, required=False, min_items=MIN_ANSWERS, answers=True)
        if "out_of_scope" in data:
            phrases = _per_language(data["out_of_scope"], name, None, "out_of_scope", languages, problems,
                                    required=False)
            out_of_scope.extend((name, text) for texts in phrases.values() for text in texts)
        entries_list = data.get("entries", [])
        if not isinstance(entries_list, list):
            problems.append(Problem(name, None, "entries", "must be a list of entries"))
            continue
        for i, raw in enumerate(entries_list):
            entry = _parse_entry(raw, name, i, languages, problems)
            if entry is None:
                continue
            if entry.id in seen:
                problems.append(Problem(name, entry.id, "id", f"duplicates the entry in {seen[entry.id]}"))
                continue
            seen[entry.id] = name
            entries.append(entry)
    examples = {text.casefold(): e.id for e in entries for texts in e.examples.values() for text in texts}
    for name, text in out_of_scope:
        if text.casefold() in examples:
            problems.append(Problem(name, None, "out_of_scope",
                                    f"{text!r} is also an example of entry {examples[text.casefold()]!r}"))
    if problems:
        raise ArgumentBaseError(problems)
    return ArgumentBase(tuple(entries), languages, digest.hexdigest(), tuple(text for _, text in out_of_scope),
                        statement)


class ArgumentBaseSource:
    """Keeps the last good version of a brand's base, reloading it when its files change."""

    def __init__(self, folder: Path, languages: tuple[str, ...], check_interval: float = 0.0) -> None:
        self.folder = folder
        self.languages = languages
        self.check_interval = check_interval  # seconds between looks at the files (keeps stat() off hot paths)
        self._checked_at = time.monotonic()
        self._signature: tuple[tuple[str, int, int], ...] | None = None
        self.current: ArgumentBase = load_argument_base(folder, languages)
        self._signature = self._files_signature()
        self.last_error: ArgumentBaseError | None = None

    def _files_signature(self) -> tuple[tuple[str, int, int], ...]:
        try:
            paths = sorted([*self.folder.glob("*.yaml"), *self.folder.glob("*.yml")])
            return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
        except OSError:
            return ()

    def refresh(self) -> bool:
        """Reload if files changed; True when a new version is in use. Broken edits are logged."""
        now = time.monotonic()
        if now - self._checked_at < self.check_interval:
            return False
        self._checked_at = now
        signature = self._files_signature()
        if signature == self._signature:
            return False
        self._signature = signature
        try:
            base = load_argument_base(self.folder, self.languages)
        except ArgumentBaseError as exc:
            self.last_error = exc
            log.error("argument base %s is broken; keeping the last good version:\n%s", self.folder, exc)
            return False
        self.last_error = None
        changed = base.digest != self.current.digest
        self.current = base
        return changed
