"""Questions moderators ask the company about a customer's thread (bot.telegram.company_chat): what the agency's
moderators cannot know (a delivery date, a stock, a policy's exception) its client's experts answer. Kept with
the post that asked, the answer and who gave it, and when it reached the customer; counted for `stats`; erased
with the customer's conversation (`forget`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.storage.base import StorageBase
from bot.storage.deletions import WITHDRAWN
from bot.storage.records import CompanyQuestion, now_iso

UNANSWERED_LISTED = timedelta(days=7)  # the evening figures and `overview` count unanswered questions this recent
_COLUMNS = ("id, brand, conversation_id, moderator, question, asked_at, chat_id, post_id, answer, answered_by,"
            " answered_at, sent_at")


# A question whose thread still wants the answer: not one whose customer deleted what they asked before anyone
# answered (the thread's last handoff withdrawn, bot.storage.deletions)
_THREAD_WANTS_IT = (" AND NOT EXISTS (SELECT 1 FROM handoffs h"
                    " WHERE h.conversation_id = company_questions.conversation_id"
                    f" AND h.outcome = '{WITHDRAWN}' AND h.id = (SELECT MAX(id) FROM handoffs"
                    " WHERE conversation_id = company_questions.conversation_id))")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _question(row: Sequence[Any]) -> CompanyQuestion:
    (question_id, brand, conversation_id, moderator, question, asked_at, chat_id, post_id, answer, answered_by,
     answered_at, sent_at) = row
    return CompanyQuestion(int(question_id), str(brand), int(conversation_id), str(moderator), str(question),
                           str(asked_at), _text(chat_id), _text(post_id), _text(answer), _text(answered_by),
                           _text(answered_at), _text(sent_at))


class CompanyQuestionStore(StorageBase):
    """Moderators' questions to the company and its answers."""

    async def add_company_question(self, brand: str, conversation_id: int, moderator: str, question: str) -> int:
        async with self._write:
            cur = await self._db.execute(
                "INSERT INTO company_questions (brand, conversation_id, moderator, question, asked_at)"
                " VALUES (?, ?, ?, ?, ?)", (brand, conversation_id, moderator, question, now_iso()))
            await self._db.commit()
        assert cur.lastrowid is not None
        return cur.lastrowid

    async def company_question_posted(self, question_id: int, chat_id: str, post_id: str) -> None:
        """The question's post in the company's chat (its answers reply to that post)."""
        async with self._write:
            await self._db.execute("UPDATE company_questions SET chat_id = ?, post_id = ? WHERE id = ?",
                                   (chat_id, post_id, question_id))
            await self._db.commit()

    async def company_question(self, question_id: int, brand: str) -> CompanyQuestion | None:
        rows = await self.fetch(f"SELECT {_COLUMNS} FROM company_questions WHERE id = ? AND brand = ?",
                                (question_id, brand))
        return _question(rows[0]) if rows else None

    async def company_question_of_post(self, brand: str, chat_id: str, post_id: str) -> CompanyQuestion | None:
        rows = await self.fetch(f"SELECT {_COLUMNS} FROM company_questions WHERE brand = ? AND chat_id = ?"
                                " AND post_id = ?", (brand, chat_id, post_id))
        return _question(rows[0]) if rows else None

    async def answer_company_question(self, question_id: int, answer: str, by: str) -> None:
        """The company's answer (a later one replaces it: the company corrected itself), not shown yet."""
        async with self._write:
            await self._db.execute(
                "UPDATE company_questions SET answer = ?, answered_by = ?, answered_at = ?, shown_at = NULL,"
                " sent_at = NULL WHERE id = ?", (answer, by, now_iso(), question_id))
            await self._db.commit()

    async def company_answer_shown(self, question_id: int) -> None:
        """The forum topic shows the answer (with its button)."""
        async with self._write:
            await self._db.execute("UPDATE company_questions SET shown_at = ? WHERE id = ?", (now_iso(), question_id))
            await self._db.commit()

    async def company_answers_not_shown(self, brand: str, since: datetime) -> list[CompanyQuestion]:
        """The brand's answers given since a moment that no forum topic shows yet (Telegram refused, or the process
        stopped in between), oldest first."""
        rows = await self.fetch(f"SELECT {_COLUMNS} FROM company_questions WHERE brand = ? AND answered_at >= ?"
                                " AND shown_at IS NULL ORDER BY id", (brand, since.isoformat()))
        return [_question(row) for row in rows]

    async def company_answer_sent(self, question_id: int) -> None:
        async with self._write:
            await self._db.execute("UPDATE company_questions SET sent_at = ? WHERE id = ?", (now_iso(), question_id))
            await self._db.commit()

    async def company_question_reminded(self, question_id: int) -> bool:
        """Mark the question's reminder sent; False when it had been (another process, or a retry, did it)."""
        async with self._write:
            cur = await self._db.execute("UPDATE company_questions SET reminded_at = ? WHERE id = ?"
                                         " AND reminded_at IS NULL", (now_iso(), question_id))
            await self._db.commit()
        return cur.rowcount > 0

    async def company_questions_to_remind(self, brand: str, since: datetime) -> list[CompanyQuestion]:
        """The brand's questions asked since a moment, posted in the company's chat, unanswered and not reminded of
        yet, whose thread still wants the answer (`_THREAD_WANTS_IT`), oldest first."""
        rows = await self.fetch(f"SELECT {_COLUMNS} FROM company_questions WHERE brand = ? AND asked_at >= ?"
                                " AND answered_at IS NULL AND reminded_at IS NULL AND post_id IS NOT NULL"
                                f"{_THREAD_WANTS_IT} ORDER BY id", (brand, since.isoformat()))
        return [_question(row) for row in rows]

    async def company_questions_unanswered(self, brand: str, since: datetime) -> list[CompanyQuestion]:
        """The brand's questions asked since a moment the company has not answered yet, whose thread still wants
        the answer, oldest first."""
        rows = await self.fetch(f"SELECT {_COLUMNS} FROM company_questions WHERE brand = ? AND asked_at >= ?"
                                f" AND answered_at IS NULL{_THREAD_WANTS_IT} ORDER BY id", (brand, since.isoformat()))
        return [_question(row) for row in rows]
