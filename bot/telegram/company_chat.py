"""The company's own Telegram chat: where the agency's moderators ask the brand's experts what they cannot know.

Practitioners: an agency answers most questions from the argument base it prepared with the company, but new ones
come up in the work that only the company can answer (a delivery date, a stock, an exception to a policy), and
the customer must not be left in silence meanwhile. In a customer's topic of the moderators' forum `/ask TEXT`
posts the question in the company's chat (`[brands.telegram] company_chat`, a group the brand's bot is in); a
customer still waiting for a person's first word is told it is being checked with the company's specialists.
Someone of the company answers by replying to that post (a question unanswered past the brand's reaction time is
reminded of there once); the answer comes back to the topic with a button that sends it to the customer as the
moderator's reply (or the moderator writes their own with it). The company's chat never sees the customer's words:
only what the moderator asks.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters

from bot.desk import ModeratorDesk
from bot.storage import CompanyQuestion, Storage
from bot.telegram.forum_chat import ForumChat, desk_data
from bot.telegram.limits import RateLimiter

log = logging.getLogger(__name__)

REMINDED_WITHIN = timedelta(days=7)  # questions older than this are not reminded of any more
QUESTION_CHARS = 3500  # of a question in the company's chat: with the words around it, within one message
SEND_ANSWER = "companysend"  # the forum button's action: send the company's answer (by the question's id)
TO_COMPANY = "tocompany"  # the forum button's action: send the post it is under (a month's report) to the company
PostToThread = Callable[[int, str, InlineKeyboardMarkup | None], Awaitable[Message | None]]


class CompanyChat(ForumChat):
    """One brand's questions to its company, and the company's answers (in the brand's moderators' language)."""

    def __init__(self, bot: Bot, chat_id: int, limiter: RateLimiter, storage: Storage, desk: ModeratorDesk,
                 brand_name: str, post_to_thread: PostToThread, language: str = "en", timezone: str = "UTC") -> None:
        """`post_to_thread`: posts into a customer thread's forum topic (conversation id, text, buttons)."""
        super().__init__(bot, chat_id, limiter, language, timezone)
        self.storage = storage
        self.desk = desk
        self.brand_name = brand_name
        self.post_to_thread = post_to_thread

    async def ask(self, conversation_id: int, moderator: str, question: str) -> str:
        """Ask the company about a thread (and, once the question is there, tell a customer still waiting for a
        person's first word that it is being checked); returns what to tell the thread's topic. Raises as
        ModeratorDesk.ask_company does (an empty question, a thread that is not a person's)."""
        asked = await self.desk.ask_company(conversation_id, moderator, question)
        shown = asked.question if len(asked.question) <= QUESTION_CHARS else asked.question[:QUESTION_CHARS] + "…"
        text = self.t("company_question", n=str(asked.id), brand=self.brand_name, who=moderator,
                      question=shown)  # (the whole question is in the thread's notes)
        try:
            post = await self.call(lambda: self.bot.send_message(self.chat_id, text))
        except TelegramAPIError as exc:  # (the customer is not told of a question that went nowhere)
            log.warning("brand %s: question %d not posted in the company's chat %s: %s", self.desk.brand, asked.id,
                        self.chat_id, exc)
            return self.t("company_not_sent", error=str(exc))
        await self.storage.company_question_posted(asked.id, str(self.chat_id), str(post.message_id))
        told = await self.desk.tell_company_checks(conversation_id, moderator)
        return self.t("company_asked", who=moderator, n=str(asked.id)) + (
            f"\n{self.t('company_asked_told')}" if told else "")

    async def remind(self, now: datetime, deadline: Callable[[datetime], datetime]) -> int:
        """Remind the company's chat, once, of each question unanswered past `deadline` (the brand's reaction time
        from when it was asked: a customer waits behind it), as a reply to the question's post; returns how many."""
        reminded = 0
        for question in await self.storage.company_questions_to_remind(self.desk.brand, now - REMINDED_WITHIN):
            asked = datetime.fromisoformat(question.asked_at)
            if deadline(asked) > now or question.post_id is None:
                continue
            await self._reply(int(question.post_id),
                              self.t("company_reminder", n=str(question.id), since=self.moment(asked)))
            if await self.storage.company_question_reminded(question.id):
                reminded += 1
        return reminded

    async def handle_message(self, message: Message) -> None:
        """A message in the company's chat: a reply to one of the brand's questions is its answer (the rest is the
        company's own talk, and replies to other brands' bots are theirs)."""
        asked = message.reply_to_message
        text = (message.text or message.caption or "").strip()
        author = message.from_user
        if asked is None or not text or author is None or author.is_bot:
            return
        question = await self.storage.company_question_of_post(self.desk.brand, str(self.chat_id),
                                                               str(asked.message_id))
        if question is None:
            return
        answered = await self.desk.company_answered(question, text, author.full_name or str(author.id))
        try:
            await self.show(answered)
        except TelegramAPIError as exc:
            log.warning("brand %s: the answer to question %d is shown at the next recovery: %s", self.desk.brand,
                        answered.id, exc)
        try:
            await self._reply(message.message_id, self.t("company_thanks"))
        except TelegramAPIError as exc:
            log.info("brand %s: the company's chat %s was not thanked: %s", self.desk.brand, self.chat_id, exc)

    async def show(self, answered: CompanyQuestion) -> bool:
        """The company's answer in the thread's topic, with the button that sends it to the customer; False when
        the thread has no topic to show it in (its notes keep it all the same)."""
        button = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
            text=self.t("company_send"), callback_data=desk_data(SEND_ANSWER, answered.id))]])
        posted = await self.post_to_thread(answered.conversation_id, self.t(
            "company_answer", n=str(answered.id), who=answered.answered_by or "?", answer=answered.answer or ""),
            button)
        await self.storage.company_answer_shown(answered.id)
        return posted is not None

    async def recover(self, now: datetime, deadline: Callable[[datetime], datetime]) -> int:
        """What a Telegram failure or a stopped process left out: answers no topic shows yet; and the reminders
        that are due (`remind`). Returns how many were posted."""
        shown = 0
        for answered in await self.storage.company_answers_not_shown(self.desk.brand, now - REMINDED_WITHIN):
            shown += await self.show(answered)
        return shown + await self.remind(now, deadline)

    async def send_report(self, from_chat: int, post_id: int, month: str) -> None:
        """The client's report of a month, posted in the forum as a page, copied into the company's chat with a
        caption for the company (the forum's caption is the moderators')."""
        await self.call(lambda: self.bot.copy_message(self.chat_id, from_chat, post_id, caption=self.t(
            "month_report_company", month=month, brand=self.brand_name)))

    async def _reply(self, post_id: int, text: str) -> Message:
        """Post in the company's chat as a reply to one of its posts (sent all the same if it was deleted)."""
        return await self.call(lambda: self.bot.send_message(self.chat_id, text, reply_parameters=ReplyParameters(
            message_id=post_id, allow_sending_without_reply=True)))
