"""SQLite storage (aiosqlite, WAL): messages, conversations, outbox, handoffs, notes, ratings.

Every incoming message is written before it is processed; processing is recorded in the same
transaction as its outcome (state change and outbox rows), so a restart resumes exactly where
the previous process stopped.

One `Storage` object; its parts live in modules named for what they keep: schema (migrations), records
(the values handed out), base (the file), conversations (incoming messages), outbox, decisions, handoffs,
forum_topics, evidence, surges, reports, erasure, deletions, outside_mentions, company_questions.
"""

from __future__ import annotations

from bot.storage.company_questions import CompanyQuestionStore
from bot.storage.decisions import DecisionStore
from bot.storage.deletions import DeletionStore
from bot.storage.erasure import ErasureStore
from bot.storage.evidence import EvidenceStore
from bot.storage.forum_topics import ForumTopicStore
from bot.storage.handoffs import HandoffStore
from bot.storage.outside_mentions import OutsideMentionStore
from bot.storage.records import (
    PERSON_STEPPED_IN,
    PUBLIC_PHRASINGS_REMEMBERED,
    CompanyQuestion,
    DeliveredReply,
    FoundMention,
    Handoff,
    NewReply,
    OutboxItem,
    ReplyTarget,
    StoredMessage,
)
from bot.storage.reports import ReportStore
from bot.storage.schema import MIGRATIONS
from bot.storage.surges import SurgeStore


class Storage(DecisionStore, HandoffStore, DeletionStore, ForumTopicStore, EvidenceStore, SurgeStore, ReportStore,
              ErasureStore, OutsideMentionStore, CompanyQuestionStore):
    """The bot's one database: open with `await Storage.open(path)`."""


__all__ = ["MIGRATIONS", "PERSON_STEPPED_IN", "PUBLIC_PHRASINGS_REMEMBERED", "CompanyQuestion", "DeliveredReply",
           "FoundMention", "Handoff", "NewReply", "OutboxItem", "ReplyTarget", "Storage", "StoredMessage"]
