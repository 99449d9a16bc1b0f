"""The moderators' desk, whatever the front end (terminal inbox, Telegram forum)."""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.storage import CompanyQuestion, DeliveredReply, Handoff, NewReply, Storage
from bot.storage.deletions import AUTHOR
from handlers.argument_base import ArgumentBase, ArgumentBaseError, ArgumentBaseSource
from handlers.conversation_states import Event, TransitionError
from handlers.phrasing import choose_phrasing, fill_name
from handlers.router import TAKEN_FOR_SPAM, UNHAPPY, Relevance
from handlers.texts import label, say
from handlers.tone import accusation
from handlers.types import Action, Conversation, ConversationState, utcnow
from models.language import russian_reading

log = logging.getLogger(__name__)


# How near a brand's approved phrasings lie to a text in a language (bot.pipeline.Pipeline.relevance_to)
RelevanceOf = Callable[[str, str], Awaitable[Relevance | None]]
SURGES_LISTED_HOURS = 24  # the inbox lists negative surges with a customer's message this recent
HIDDEN = "hidden"  # a history item's kind: the bot hid the customer's message (its only reply without text)


@dataclass(frozen=True)
class ThreadCard:
    """What a moderator needs to pick up a thread without asking the customer again."""

    conversation_id: int
    brand: str
    platform: str
    customer_id: str
    customer_name: str
    state: str
    language: str | None
    reason: str | None
    deadline: str | None
    overdue: bool  # the deadline passed and no moderator has answered yet
    awaiting_reply: bool  # the customer waits for a person's answer now (the first one, or to a follow-up)
    moderator: str | None
    last_intent: str | None
    scores: dict[str, float]
    # author, text, at (ISO), kind (HIDDEN: the bot hid the message before), deleted on the platform ('' not;
    # 'author': by the customer; 'other': by the brand's people or the bot; 'unknown')
    history: list[dict[str, str]]
    notes: list[dict[str, str]]
    suggestions: list[Suggestion]  # approved answers to send with one press, numbered from 1
    unreachable: bool = False  # the customer blocked private messages from the brand: replies there cannot reach them

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Suggestion:
    """An argument-base answer the bot thought of for the message it handed off: the phrasing the customer
    would get next, in their language (handlers.suggestions)."""

    entry_id: str
    topic: str
    text: str
    phrasing_key: str


def history_text(item: dict[str, str], t: Callable[[str], str], limit: int) -> str:
    """What a card shows for one history item (`ThreadCard.history`), labelled with `t` (handlers.texts keys):
    the text, cut at `limit`; what the bot hid; the comment a "+1" joined; deleted messages marked."""
    if item["kind"] == HIDDEN:
        return t("history_hidden")
    text = item["text"][:limit]
    if item["author"] == "customer":
        text = with_reading(text, t)
    if item.get("joins"):  # "+1" read as the comment it joined (handlers.me_too)
        text += f" [{t('history_joins')}: «{item['joins'][:limit]}»]"
    if item.get("deleted"):
        text += " " + t("history_deleted_by_customer" if item["deleted"] == AUTHOR else "history_deleted")
    return text


def with_reading(text: str, t: Callable[[str], str]) -> str:
    """A customer's text, and when it is Russian typed in Latin letters or with the keyboard in the English layout
    ("crjkmrj cnjbn nfhba&"), how the bot read it in Cyrillic, for the moderator to read too."""
    reading = russian_reading(text)
    return f"{text} [{t('read_as')}: {reading}]" if reading else text


def _deadline(handoff: Handoff | None) -> str | None:
    """What the card shows: by when a person must answer what the customer waits for (the first reply, or a
    follow-up), else the handoff's own deadline."""
    if handoff is None:
        return None
    return (handoff.due_at or handoff.deadline_at).isoformat()


def argument_base_files(folder: Path, languages: tuple[str, ...]) -> Callable[[], ArgumentBase | None]:
    """A desk's argument base read from its folder (the terminal inbox, without the running bot): its last good
    version, reloaded when the files change; a base broken from the start offers no suggestions."""
    try:
        source = ArgumentBaseSource(folder, languages)
    except ArgumentBaseError as exc:
        log.warning("argument base %s is broken, so no answers are suggested:\n%s", folder, exc)
        return lambda: None

    def current() -> ArgumentBase:
        source.refresh()
        return source.current

    return current


class AccusingReply(ValueError):
    """A moderator's reply that reads as calling the customer a liar or blaming them (handlers.tone): not sent
    unless the moderator insists (`force`)."""

    def __init__(self, phrase: str) -> None:
        super().__init__(f"the reply reads as accusing the customer ({phrase!r})")
        self.phrase = phrase


class EmptyText(ValueError):
    """A reply or a note without text."""


class NothingToHide(LookupError):
    """The customer has no public message in the thread that is still up."""


class ModeratorDesk:
    """Take, reply, resolve, return to the bot and notes; always scoped to one brand."""

    def __init__(self, storage: Storage, brand: str, rng: random.Random | None = None,
                 argument_base: Callable[[], ArgumentBase | None] | None = None, language: str | None = None,
                 reply_deadline: Callable[[datetime], datetime] | None = None,
                 relevance: RelevanceOf | None = None, timezone: str = "UTC") -> None:
        """`argument_base`: the brand's current base (after edits), for suggested answers; none offers none.
        `language`: the moderators', in which they read the base's topics. `reply_deadline`: when a person must
        have reacted to what a moderator hands to a person from a moment (BrandPolicy.reply_deadline; default an
        hour on). `relevance`: how near the approved phrasings lie to a text in a language
        (bot.pipeline.Pipeline.relevance_to), so a suggestion is the phrasing that fits the customer's message,
        as the bot would pick it; none: any fresh one. `timezone`: the brand's clock, so a suggestion wishes no
        "Хорошего дня" at night (handlers.time_of_day)."""
        self.storage = storage
        self.brand = brand
        self.rng = rng or random.Random()
        self.argument_base = argument_base
        self.language = language
        self.reply_deadline = reply_deadline or (lambda start: start + timedelta(hours=1))
        self.relevance = relevance
        self.zone = ZoneInfo(timezone)

    async def card(self, conversation: Conversation, history_limit: int = 10) -> ThreadCard:
        history = await self.storage.history(conversation.id, history_limit)
        handoff = await self.storage.open_handoff(conversation.id)
        decided = [m for m in history if m.direction == "in" and m.action]
        # what the thread is about: the message handed over while a person is to answer it (not a question the bot
        # answered while the thread waited), else the last the bot answered or handed over; not the "ау?" after it
        handed = next((m for m in reversed(decided) if m.action == Action.HANDOFF.value), None) if handoff else None
        last_in = handed or next((m for m in reversed(decided) if m.action != Action.IGNORE.value), None) or (
            decided[-1] if decided else None)
        return ThreadCard(
            conversation.id, conversation.brand, conversation.platform.value, conversation.customer_id,
            conversation.customer_name, conversation.state.value, conversation.language,
            conversation.handoff_reason, _deadline(handoff),
            handoff is not None and (due := handoff.due_at) is not None and due <= utcnow(),
            handoff is not None and handoff.due_at is not None,
            conversation.moderator, last_in.entry_id if last_in else None,
            last_in.scores if last_in else {},
            [{"author": m.author, "text": m.text, "at": m.sent_at.isoformat(timespec="seconds"),
              "kind": HIDDEN if m.author == "bot" and not m.text else m.kind,
              "deleted": "" if m.deleted_by is None else m.deleted_by or "unknown", "joins": m.joins or ""}
             for m in history],
            [{"author": a, "text": t} for a, t in await self.storage.notes(conversation.id)],
            await self.suggestions(conversation),
            conversation.unreachable,
        )

    async def suggestions(self, conversation: Conversation) -> list[Suggestion]:
        """The approved answers offered for the thread's open handoff, each as the customer would get it: the
        phrasing not sent to them yet (the same one every time it is asked, until one is sent)."""
        base = self.argument_base() if self.argument_base is not None else None
        if base is None:
            return []
        entry_ids, public, asked = await self.storage.handoff_suggestions(conversation.id)
        used = await self.storage.used_phrasings(conversation.id) if entry_ids else []
        entries = {entry.id: entry for entry in base.entries}
        language = conversation.language or base.languages[0]
        near = await self.relevance(asked, language) if self.relevance is not None and entry_ids else None
        offered = []
        for entry_id in entry_ids:
            entry = entries.get(entry_id)
            if entry is None or not entry.phrasings(language, public):
                continue  # edited away since, or not written in the customer's language
            text, key = choose_phrasing(entry, language, public=public, used=used,
                                        customer_name=conversation.customer_name, rng=random.Random(conversation.id),
                                        relevance=near(entry, language, public) if near is not None else None,
                                        hour=utcnow().astimezone(self.zone).hour, asked=asked)
            offered.append(Suggestion(entry.id, entry.topic_in(self.language), text, key))
        return offered

    async def send_suggestion(self, conversation_id: int, moderator: str, number: int) -> Suggestion:
        """Send suggested answer `number` (from 1) as this moderator's reply; IndexError when there is none
        (KeyError: no such thread)."""
        conversation = await self.conversation(conversation_id)
        offered = await self.suggestions(conversation)
        if not 1 <= number <= len(offered):
            raise IndexError(f"thread {conversation_id} has no suggested answer {number}")
        chosen = offered[number - 1]
        await self.storage.moderator_event(
            conversation, Event.MODERATOR_REPLY, moderator,
            NewReply(chosen.text, "moderator", chosen.phrasing_key,
                     extra={"moderator": moderator, "entry_id": chosen.entry_id}),
        )
        return chosen

    async def waiting(self) -> list[ThreadCard]:
        conversations = await self.storage.conversations(
            self.brand, (ConversationState.WAITING_FOR_MODERATOR, ConversationState.WITH_MODERATOR)
        )
        cards = [await self.card(c) for c in conversations]
        # the most urgent first: customers waiting for an answer, by deadline; then threads in conversation
        return sorted(cards, key=lambda c: (0, c.deadline or "") if c.awaiting_reply else (1, ""))

    async def conversation(self, conversation_id: int) -> Conversation:
        return await self.storage.conversation(conversation_id, self.brand)

    async def surges(self, hours: int = SURGES_LISTED_HOURS) -> list[dict[str, Any]]:
        """The brand's negative surges (handlers.surge) with a customer's message in the last `hours`, newest
        first, each with its entry's topic (on no entry: the word its customers share)."""
        found = await self.storage.surges(self.brand, utcnow() - timedelta(hours=hours))
        return [{**surge, "topic": self.topic(surge["entry_id"]) if surge["entry_id"] else surge["word"]}
                for surge in found]

    async def abuse_left_up(self, hours: int = SURGES_LISTED_HOURS) -> list[dict[str, Any]]:
        """The public comments of the last `hours` the bot took for abuse and left up (`hide_toxic` off), still
        up, oldest first: each with its `message_id` (`hide_message`), author, text, moment and where."""
        return await self.storage.abuse_left_up(self.brand, utcnow() - timedelta(hours=hours), 0)

    async def outside_mentions(self, hours: int = SURGES_LISTED_HOURS) -> list[dict[str, Any]]:
        """The unhappy posts about the brand found outside its pages (bot.vk.monitor) in the last `hours` that
        nobody has dealt with yet, oldest first: each with its `id` (`outside_mention_handled`)."""
        return await self.storage.outside_mentions(self.brand, utcnow() - timedelta(hours=hours), negative_at=UNHAPPY,
                                                   not_handled=True)

    def topic(self, entry_id: str) -> str:
        """An argument-base entry's topic as moderators read it (its id, when the base has no such entry now)."""
        base = self.argument_base() if self.argument_base is not None else None
        entry = next((e for e in base.entries if e.id == entry_id), None) if base is not None else None
        return entry.topic_in(self.language) if entry is not None else entry_id

    async def take(self, conversation_id: int, moderator: str) -> Conversation:
        conversation = await self.conversation(conversation_id)
        await self.storage.moderator_event(conversation, Event.TAKE, moderator)
        return conversation

    async def reply(self, conversation_id: int, moderator: str, text: str, extra: dict[str, object] | None = None,
                    *, force: bool = False) -> int:
        """Queue a moderator's reply to the customer. Practitioners' rule, for people too: never accuse a
        customer of lying; such a reply raises AccusingReply unless `force`."""
        if not text.strip() and not extra:
            raise EmptyText("an empty reply cannot be sent")
        accusing = None if force else accusation(text)
        if accusing:
            raise AccusingReply(accusing)
        conversation = await self.conversation(conversation_id)
        outbox_id = await self.storage.moderator_event(
            conversation, Event.MODERATOR_REPLY, moderator,
            NewReply(text, "moderator", extra={"moderator": moderator, **(extra or {})}),
        )
        assert outbox_id is not None
        return outbox_id

    async def record_reply(self, conversation_id: int, moderator: str, delivered: DeliveredReply) -> None:
        """A person's reply sent outside the bot, in the platform's own app (a Telegram Business account's owner,
        a VK community's manager): the thread is theirs now, as after a reply from the desk."""
        conversation = await self.conversation(conversation_id)
        await self.storage.moderator_event(conversation, Event.MODERATOR_REPLY, moderator, delivered=delivered)

    async def resolve(self, conversation_id: int, moderator: str, *, ask_rating: bool = True) -> int | None:
        """Close the thread, give it back to the bot and (in private chats) ask for a rating.

        A thread that began with a public comment and was solved in private gets a note under that comment:
        others who read the complaint see that it was solved (practitioners: solve it, then show it).
        """
        conversation = await self.conversation(conversation_id)
        lang = conversation.language or "en"
        reply = None
        public_now = await self.storage.last_incoming_public(conversation.id)
        origin = await self.storage.public_origin(conversation.id)
        shown = None
        if origin is not None and not public_now:
            shown = (origin, NewReply(say("solved_in_private", lang, self.rng), "notice"))
        if ask_rating and public_now:
            ask_rating = False  # public comment threads are never asked for a rating
        if ask_rating:
            reply = NewReply(
                say("rating_question", lang, self.rng), "rating",
                extra={"buttons": [["satisfied", label("satisfied", lang)],
                                   ["not_satisfied", label("not_satisfied", lang)]]},
            )
        outbox_id = await self.storage.moderator_event(conversation, Event.RESOLVE, moderator, reply, shown)
        await self.storage.moderator_event(conversation, Event.CUSTOMER_MESSAGE, moderator)
        return outbox_id

    async def return_to_bot(self, conversation_id: int, moderator: str) -> str | None:
        """Give the thread back to the bot; returns the customer's last message when nobody had answered it, which
        the bot now decides (bot.storage.handoffs.LEFT_TO_BOT), for the moderator to know."""
        conversation = await self.conversation(conversation_id)
        await self.storage.moderator_event(conversation, Event.RETURN_TO_BOT, moderator)
        return await self.storage.undecided_text(conversation_id)

    async def hide(self, conversation_id: int, moderator: str, message_id: int | None = None) -> int:
        """Hide the customer's latest public message that is still up, or the one given (abuse around a question
        a person has answered, abuse the bot left up: it hides abuse only where the brand says so,
        `hide_toxic`); returns the outbox id. NothingToHide when there is none. The thread's state does not
        change."""
        outbox_id = await self.storage.hide_public(await self.conversation(conversation_id), moderator, message_id)
        if outbox_id is None:
            raise NothingToHide(f"thread {conversation_id} has no public message of the customer to hide")
        return outbox_id

    async def hide_message(self, message_id: int, moderator: str) -> int:
        """Hide one of the brand's customers' public messages that is still up (`hide`); returns the outbox id."""
        try:
            message, conversation_id, _ = await self.storage.load_incoming(message_id)
        except KeyError:
            raise NothingToHide(f"no message {message_id}") from None
        if message.brand != self.brand:  # another brand's: as if there were none
            raise NothingToHide(f"no message {message_id}")
        return await self.hide(conversation_id, moderator, message_id)

    async def spam_unseen(self, hours: int = SURGES_LISTED_HOURS) -> list[dict[str, Any]]:
        """What the bot took for spam in the last `hours` that nobody sees any more (hidden, or unanswered in
        private), oldest first: each with its `message_id` (`customer_after_all`)."""
        return await self.storage.spam_unseen(self.brand, utcnow() - timedelta(hours=hours))

    async def customer_after_all(self, message_id: int, moderator: str) -> Conversation:
        """A message the bot took for spam was a customer's: their thread goes to a person (to react within the
        brand's time), and a VK comment the bot hid comes back; LookupError when the brand has no such spam."""
        conversation = await self.storage.customer_after_all(self.brand, message_id, TAKEN_FOR_SPAM,
                                                             self.reply_deadline(utcnow()))
        if conversation is None:
            raise LookupError(f"message {message_id} is no spam of brand {self.brand}")
        log.info("brand %s: %s says message %d was a customer's, not spam", self.brand, moderator, message_id)
        return conversation

    async def notify_surge(self, surge_id: int, moderator: str, text: str, *, force: bool = False) -> int:
        """Tell every customer of a negative surge what was done about it ("the outage is fixed"): this moderator's
        reply to each where they last wrote (under their comment in public, in their chat in private), `{name}`
        their first name; practitioners: solve the natural negative, then show the solution. An empty text raises
        EmptyText, an accusing one AccusingReply unless `force`. Returns how many customers were told."""
        if not text.strip():
            raise EmptyText("an empty update cannot be sent")
        if not force and (accusing := accusation(text)):
            raise AccusingReply(accusing)
        told = 0
        for conversation_id in await self.storage.surge_conversations(self.brand, surge_id, UNHAPPY):
            try:
                conversation = await self.conversation(conversation_id)
                await self.reply(conversation_id, moderator, fill_name(text, conversation.customer_name), force=True)
            except KeyError:  # erased meanwhile (`forget`)
                continue
            told += 1
        log.info("brand %s: %s told the %d customers of surge %d what was done", self.brand, moderator, told,
                 surge_id)
        return told

    async def campaigns(self, hours: int = SURGES_LISTED_HOURS) -> list[dict[str, Any]]:
        """The brand's directed-negative campaigns detected in the last `hours`, oldest first: each with its
        number, accounts, when, and how many posts it reached have no answer to it in public yet."""
        found = await self.storage.campaigns(self.brand, utcnow() - timedelta(hours=hours))
        return [{"campaign": c["campaign"], "accounts": c["accounts"], "since": c["detected_at"],
                 "unanswered": len(await self.storage.statement_targets(self.brand, c["campaign"]))} for c in found]

    async def answer_campaign(self, campaign_id: int, moderator: str, text: str = "", *, force: bool = False,
                              rng: random.Random | None = None) -> list[str]:
        """Answer a directed-negative wave once in public (practitioners: neither silence nor one reply per paid
        account), under the first of its messages still up in each post or group it reached and not answered there
        yet: `text`, or the prepared statement in each place's language (the argument base's `directed_negative`,
        else the built-in `campaign_statement`: the brand looks into every report and asks its customers to write
        in private; it accuses nobody). A `text` that reads as accusing raises AccusingReply unless `force`.
        Returns what went where, one text per place."""
        if text.strip() and not force and (accusing := accusation(text)):
            raise AccusingReply(accusing)
        rng = rng or self.rng
        base = self.argument_base() if self.argument_base is not None else None
        sent = []
        for message_id, language in await self.storage.statement_targets(self.brand, campaign_id):
            language = language or self.language or "en"
            prepared = base.directed_statement.get(language) if base is not None else None  # the brand's own
            said = text.strip() or (fill_name(rng.choice(prepared), "", language) if prepared
                                    else say("campaign_statement", language, rng))
            await self.storage.queue_under(message_id, NewReply(said, "statement", extra={
                "campaign": campaign_id, "moderator": moderator}))
            sent.append(said)
        log.info("brand %s: %s answered campaign %d in public in %d places", self.brand, moderator, campaign_id,
                 len(sent))
        return sent

    async def hide_author_abuse(self, message_id: int, moderator: str) -> int:
        """Hide every abusive comment the bot left up (`abuse_left_up`, the last day) by the author of one of
        them, on its platform; returns how many. NothingToHide when none is up."""
        try:
            message, _, _ = await self.storage.load_incoming(message_id)
        except KeyError:
            raise NothingToHide(f"no message {message_id}") from None
        if message.brand != self.brand:
            raise NothingToHide(f"no message {message_id}")
        hidden = 0
        for abuse in await self.abuse_left_up():
            if abuse["platform"] == message.platform and abuse["author_id"] == message.author_id:
                try:
                    await self.hide_message(abuse["message_id"], moderator)
                    hidden += 1
                except NothingToHide:  # hidden meanwhile
                    continue
        if not hidden:
            raise NothingToHide(f"no comment of the author of message {message_id} is up")
        return hidden

    async def outside_mention_handled(self, mention_id: int, moderator: str) -> None:
        """A post about the brand found outside its pages (bot.vk.monitor) was dealt with: answered on its page
        or judged to need nothing. LookupError when the brand has no such mention or someone marked it before."""
        if not await self.storage.outside_mention_handled(self.brand, mention_id, moderator):
            raise LookupError(f"no mention {mention_id} left to deal with")

    # -- questions to the company (bot.telegram.company_chat) ----------------------------------------

    async def ask_company(self, conversation_id: int, moderator: str, question: str) -> CompanyQuestion:
        """A moderator's question to the company (its own experts) about a thread: kept, and a note on the thread."""
        if not question.strip():
            raise EmptyText("a question needs text")
        conversation = await self.conversation(conversation_id)
        if not conversation.owned_by_human:
            raise TransitionError(f"thread {conversation_id} is not a person's now")
        question_id = await self.storage.add_company_question(self.brand, conversation_id, moderator,
                                                              question.strip())
        await self.storage.add_note(conversation, moderator, f"{label('company_note_asked', self._note_language)}: "
                                                             f"{question.strip()}")
        asked = await self.storage.company_question(question_id, self.brand)
        assert asked is not None
        return asked

    async def tell_company_checks(self, conversation_id: int, moderator: str) -> bool:
        """Once the company has the question: a customer still waiting for a person's first word is told, in their
        language, that the answer is being checked with the company's specialists (never silent while the company
        thinks; it counts as the person's reaction). Whether they were told."""
        handoff = await self.storage.open_handoff(conversation_id)
        if handoff is None or handoff.first_reply_at is not None:
            return False
        conversation = await self.conversation(conversation_id)
        language = conversation.language or self.language or "en"  # the customer's, else the brand's
        await self.reply(conversation_id, moderator, say("company_checking", language, self.rng), {"holding": True},
                         force=True)  # (no answer: drafts of the base leave it out)
        return True

    async def company_answered(self, question: CompanyQuestion, answer: str, by: str) -> CompanyQuestion:
        """The company answered (a later answer replaces an earlier one): kept, and a note on the thread."""
        await self.storage.answer_company_question(question.id, answer.strip(), by)
        conversation = await self.conversation(question.conversation_id)
        await self.storage.add_note(conversation, by, f"{label('company_note_answered', self._note_language)}: "
                                                      f"{answer.strip()}")
        answered = await self.storage.company_question(question.id, self.brand)
        assert answered is not None
        return answered

    async def send_company_answer(self, question_id: int, moderator: str) -> CompanyQuestion:
        """Send the company's answer to the customer as the moderator's reply (held back like any reply that reads
        as accusing). LookupError when there is no such answered question of the brand."""
        question = await self.storage.company_question(question_id, self.brand)
        if question is None or not question.answer:
            raise LookupError(f"no answer to question {question_id} of brand {self.brand}")
        await self.reply(question.conversation_id, moderator, question.answer)
        await self.storage.company_answer_sent(question_id)
        return question

    @property
    def _note_language(self) -> str:
        return self.language or "en"

    async def note(self, conversation_id: int, moderator: str, text: str) -> None:
        if not text.strip():
            raise EmptyText("a note needs text")
        await self.storage.add_note(await self.conversation(conversation_id), moderator, text.strip())
