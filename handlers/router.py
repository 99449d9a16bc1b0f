"""Decide what happens to one customer message: answer, hand off, hide or ignore."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from handlers.acknowledgements import (
    ACKNOWLEDGEMENT,
    acknowledge,
    acknowledged_last,
    is_acknowledgement,
    is_disapproving_emoji,
    says_nothing_to_answer,
)
from handlers.argument_base import ArgumentBase, Entry
from handlers.bot_question import BOT_QUESTION, asks_if_bot, meant_for_bot_questions
from handlers.cheers import CHEERS, reaction
from handlers.competitors import COMPETITOR, comes_from_competitor, for_leaving, mentions_competitor
from handlers.courtesies import is_pleasantry, says_only_courtesies
from handlers.customer_details import (
    DETAILS_GIVEN,
    DETAILS_HIDDEN,
    DETAILS_PUBLIC,
    only_details,
    read_details,
)
from handlers.entry_moods import (
    BITTER,
    BITTER_THANKS,
    PRAISE,
    PRAISE_KEY,
    THANKED,
    EntryMood,
    asks_more_than_to_thank,
    asks_something,
    contradicts,
    for_pleased,
    for_unhappy,
    is_praise,
    mentions_trouble,
    says_displeasure,
    sounds_pleased,
    speaks_of_a_repair,
)
from handlers.follow_ups import FOLLOW_UP, answers_back, leans_on_answer
from handlers.formality import greets_formally
from handlers.impatience import UNANSWERED, asks_when_answered, says_unanswered
from handlers.matcher import Match
from handlers.me_too import BETWEEN_CUSTOMERS, left_to_customers
from handlers.missed_visits import MISSED_VISIT, says_visit_missed
from handlers.openers import (
    ATTENTION,
    OPENER,
    PROMPT,
    calls_for_attention,
    is_opener,
    meant_for_openers,
    prompted_last,
    starts_with_greeting,
)
from handlers.phrasing import choose_phrasing
from handlers.policy import BrandPolicy
from handlers.praise_words import speaks_to_brand
from handlers.question_parts import REPLACEABLE
from handlers.reactions import (
    ANSWER_DID_NOT_HELP,
    ANSWER_UNCLEAR,
    NOT_RESOLVED,
    RATED_SATISFIED,
    says_it_did_not_help,
    says_it_goes_on,
    says_it_is_unclear,
)
from handlers.request_sentence import answering_sentence, answers_alone, entry_subjects, names_more_than
from handlers.scam_reports import SCAM_REPORTED, SCAM_WARNING, tells_of_scam
from handlers.spam import SpamKind, spam_kind
from handlers.suggestions import SUGGESTING, suggest_entries
from handlers.texts import TEXTS, eta_text, said_last, say, say_fresh
from handlers.time_of_day import customer_hour
from handlers.types import Action, Analysis, Conversation, ConversationState, Decision, IncomingMessage, MessageKind

DIRECTED_NEGATIVE = "directed_negative"  # a handoff reason: part of a coordinated wave (handlers.directed)
TOXIC_QUESTION = "toxic_question"  # a handoff reason: a public comment both abusive and a question the base covers
STRONG_NEGATIVE = "strong_negative"  # a handoff reason: a very unhappy customer (policy.negative_handoff)
STILL_WAITING_GAP = timedelta(minutes=10)  # quiet time after our last message before a waiting customer hears again
# ... when what they send is their details (a contract number), or they ask when they will be answered: at once,
# unless that is what we just told them (then after a minute: a burst of details hears it arrived once)
ASKED_AGAIN_GAP = timedelta(minutes=1)
# "до сих пор всё работает, спасибо" after an answer says it goes on as pleased; one less positive than this says the
# trouble goes on ("всё ещё тормозит"): the answer did not help
STILL_PLEASED = 0.5
_WAITING_TEXTS = ("still_waiting", "still_waiting_later", "overdue_holding")
# the reasons of public abuse, spam and scams the bot leaves up (`hide_toxic`, `hide_spam` off) and says nothing
# to: for moderators to judge
ABUSE_LEFT_UP = ("toxic_recorded", "blocked_word_recorded", "spam_recorded", "impersonation_recorded")
SPAM_PRIVATE = "spam_private"  # spam sent to the brand in private: nobody answers it
SCAM_SHOWN = "scam_shown"  # a handoff reason: a customer shows in private what a scammer "from the support" sent
TAKEN_FOR_SPAM = "taken_for_spam"  # a handoff reason: a message the bot took for spam, a customer's after all
# the reasons of messages that are no customer's (handlers.spam): spam, and impersonations of the brand's support
SPAM_REASONS = ("spam", "spam_recorded", SPAM_PRIVATE)
IMPERSONATION_REASONS = ("impersonation", "impersonation_recorded")
NOT_CUSTOMERS = (*SPAM_REASONS, *IMPERSONATION_REASONS)  # no customer's mood, surge or campaign
DID_NOT_HELP_NOTICE = "did_not_help_handoff"  # handlers.texts: what a customer whose answer did not help hears
UNCLEAR_NOTICE = "unclear_handoff"  # ... and one who did not understand it
NOT_RESOLVED_NOTICE = "not_resolved_handoff"  # ... and one who answers the rating question that it is not solved
UNHAPPY_NOTICE = "unhappy_handoff"  # handlers.texts: what a very unhappy customer handed to a person hears
UNHAPPY = 0.5  # a message this negative is an unhappy customer's (remembered for campaigns, counted for surges)
# A question with no word of displeasure or of trouble that reads less negative than this is most often calm: of the
# sample brand's example questions so written that read 0.5-0.6, 15 are of its calm entries ("хочу сменить название
# сети", "i'm moving, can i take my internet with me") and 3 of those for unhappy customers, two of them calm requests
# too ("хочу вернуть деньги за неиспользованный период"); "Понимаю ваше недовольство" is not for them
CALM_QUESTION = 0.6
# An unhappy customer is answered on similarity's agreement with the intent head's best guess only when the head
# gives it this much: a wrong approved answer to an angry customer is worse than a person's reply within the hour.
# Angry messages about nothing the base covers agree by chance, mostly at 0.15-0.3, while the sample brand's own
# unhappy examples answered so rightly mostly score above 0.35 (`python -m benchmarks.routing`: 600 negative
# RuSentiTweet tweets answered 15.0% -> 8.5%; its examples right 72.3% -> 71.2%, wrong 4.8% -> 4.3%). And only
# where the entry's examples or answers name something the message does ("Удалить мой список" agreed on
# `cancel_contract` above 0.35: no contract in it; those tweets 8.5% -> 7.3%, the examples right 70.9%, wrong 4.2%).
UNHAPPY_AGREEMENT = 0.35
# ... and anyone only where the head's best guess leads its second by this much: "Где можно посмотреть карту
# покрытия?" read 0.15 the app entry, 0.14 coverage, and similarity agreed on the app ("Баланс, номер договора и
# платежи видно в приложении"). Of the sample brand's examples answered so at a lead under 0.03, as many were
# answered wrong as right (`python -m benchmarks.routing`: right 69.3% -> 68.8%, wrong 4.7% -> 4.2%; off-topic
# Russian intents answered 15.2% -> 14.3%); a larger lead costs more right answers than wrong ones (0.06: 68.0% /
# 4.0%, 0.1: 67.0% / 3.8%).
AGREEMENT_LEAD = 0.03
# ... and only where the head gives its best guess this much, whatever the lead: "Кто уже перешёл?" (0.16 the move,
# 0.13 the connection status) heard "Поздравляем с переездом!". Off-topic requests agree by chance at such guesses
# (`python -m benchmarks.routing`, 23 entries: CLINC150's answered 16.0% -> 13.7%, encodechka's 17.5% -> 16.7%,
# unhappy tweets 7.3% -> 6.7%; the brand's examples right 67.4% -> 67.0%, wrong 4.7% -> 4.6%)
AGREEMENT_FLOOR = 0.2
# A sentence of a message read alone answers from an entry only where the intent head, reading the whole message,
# gives that entry at least this much: "hi! do you guys have any promo for new customers? thinking of switching from
# another provider" heard "May I ask what made you decide to leave?" (the second sentence alone: the cancel entry,
# sure; the whole: the promotions 0.78, the cancel entry 0.04)
WHOLE_FLOOR = 0.05
# how near each of an entry's phrasings (in a language, public or not) lies to the message, None where unknown
Relevance = Callable[[Entry, str, bool], Sequence[float] | None]


def reply_language(analysis_language: str | None, conversation: Conversation, policy: BrandPolicy) -> str:
    """The customer's language if the brand serves it, else their last one, else the brand's."""
    for candidate in (analysis_language, conversation.language):
        if candidate in policy.languages:
            return candidate
    return policy.default_language


def _scores(analysis: Analysis, match: Match | None) -> dict[str, float]:
    scores: dict[str, float] = {}
    if match is not None and match.entry_id is not None:
        scores["similarity"] = round(match.score, 4)
        scores["margin"] = round(match.margin, 4)
    if analysis.intents:
        best = max(analysis.intents, key=analysis.intents.__getitem__)
        scores["intent"] = round(analysis.intents[best], 4)
    for label, value in analysis.sentiment.items():
        scores[f"sentiment_{label}"] = round(value, 4)
    if analysis.toxicity is not None:
        scores["toxicity"] = round(analysis.toxicity, 4)
    return scores


def pick_entry(
    base: ArgumentBase, analysis: Analysis, match: Match | None, policy: BrandPolicy, displeased: bool = False
) -> tuple[Entry | None, str]:
    """The entry to answer from: the intent head's when it is sure; else similarity's when the head's best
    guess agrees, is at least AGREEMENT_FLOOR and leads its second by AGREEMENT_LEAD (for an unhappy customer,
    `displeased` by their words or so read, a guess of UNHAPPY_AGREEMENT at least about something the entry speaks
    of), or when there is no head; a message the head finds out of scope only from a near-paraphrase of an example
    (off-topic questions are close to some entry by similarity alone), for an unhappy customer one that speaks of
    something the message does."""
    similar: str | None = None  # the entry similarity alone would answer from
    if (match is not None and match.score >= policy.answer_threshold and match.margin >= policy.answer_margin
            and match.score > match.out_of_scope):  # nearer one of the brand's own out-of-scope phrases: not ours
        similar = match.entry_id
    unhappy = displeased or analysis.sentiment.get("negative", 0.0) >= UNHAPPY
    if analysis.intents:
        best = max(analysis.intents, key=analysis.intents.__getitem__)
        prob = analysis.intents[best]
        if prob >= policy.intent_threshold:
            # Similarity breaks near-ties between the head's top choices.
            if match is not None and match.entry_id and match.entry_id != best:
                runner = analysis.intents.get(match.entry_id, 0.0)
                if prob - runner < 0.1 and match.score >= policy.answer_threshold:
                    return base.entry(match.entry_id), "similarity_tiebreak"
            return base.entry(best), "intent"
        weak = unhappy and (prob < UNHAPPY_AGREEMENT or not _speaks_of(base.entry(best), analysis))
        second = max((p for entry_id, p in analysis.intents.items() if entry_id != best), default=0.0)
        if similar == best and not weak and prob - second >= AGREEMENT_LEAD and prob >= AGREEMENT_FLOOR:
            return base.entry(best), "similarity"
        return None, "no_confident_answer"
    if analysis.out_of_scope:
        # ... and for an unhappy customer, only from an entry that speaks of something the message does: "Hiç memnun
        # değilim" lay 0.896 near the examples of a payment not credited and heard "Paranın henüz bakiyede
        # görünmemesine üzüldüm"
        if (similar and match is not None and match.score >= policy.out_of_scope_similarity
                and not (unhappy and not _speaks_of(base.entry(similar), analysis))):
            return base.entry(similar), "similarity"
        return None, "out_of_scope"
    if similar:
        return base.entry(similar), "similarity"
    return None, "no_confident_answer"


def _speaks_of(entry: Entry, analysis: Analysis) -> bool:
    """Whether an entry's examples or answers in the message's language share a subject word with it (True when
    its subject words were not read)."""
    if analysis.subjects is None:
        return True
    return not entry_subjects(entry, analysis.language).isdisjoint(analysis.subjects)


def _after_hours(policy: BrandPolicy, now: datetime, due: datetime, language: str) -> str | None:
    """When a person answers, as the customer reads it ("завтра до 10:00 (UTC+3)"), if the brand's support
    hours end or have ended before `due`; None when they run all the way (then "within N minutes" is true)."""
    hours = policy.support_hours
    if hours is None or hours.open_throughout(now, due):
        return None
    return hours.when(due, now, language)


def brand_sites(base: ArgumentBase, policy: BrandPolicy) -> frozenset[str]:
    """The brand's own sites (handlers.spam): those its answers and its private-chat link go to."""
    return base.linked_sites | policy.private_link_sites  # (both read once, not per message)


def _spam_decision(kind: SpamKind, message: IncomingMessage, language: str, policy: BrandPolicy,
                   scores: dict[str, float], rng: random.Random, answers_customer: bool) -> Decision:
    """Spam or a scam (handlers.spam): nobody answers it or takes it up. In public it is hidden (`hide_spam`), else
    left for moderators; the customer an impersonator of the brand's support answered is warned under their
    comment, whether it is hidden or not."""
    if not message.is_public:
        return Decision(Action.IGNORE, SPAM_PRIVATE, language, scores=scores)
    warned = kind is SpamKind.IMPERSONATION and answers_customer and message.reply_to is not None
    warning = say("impersonation_warning", language, rng) if warned else None
    action, reason = (Action.HIDE, kind.value) if policy.hide_spam else (Action.IGNORE, f"{kind.value}_recorded")
    return Decision(action, reason, language, reply_text=warning, scores=scores,
                    reply_under=message.reply_to if warned else None)


def handoff_promise(policy: BrandPolicy, now: datetime, language: str, rng: random.Random, key: str = "handoff",
                    later_key: str = "handoff_later", used: Sequence[str] = ()) -> tuple[str, str]:
    """(text, phrasing key) of `key` saying when a person will answer: "within an hour" (`{eta}`), or, when the
    brand's support hours end before that, in `later_key`'s text with a day and time (`{when}`); in words the
    customer (and, under a post, its readers) had not had yet (`used`), where some are left."""
    when = _after_hours(policy, now, policy.reply_deadline(now), language)
    if when is not None:
        return say_fresh(later_key, language, used, rng, when=when)
    return say_fresh(key, language, used, rng, eta=eta_text(policy.reaction_minutes, language))


def answered_with(base: ArgumentBase, last_reply_key: str | None) -> Entry | None:
    """The entry whose approved answer was the customer's last reply from the brand (None: a notice, a person's
    words, no reply)."""
    parts = last_reply_key.split(":") if last_reply_key else []
    if len(parts) != 4:  # an entry's phrasing is "ENTRY:LANGUAGE:public|private:N"; a system text's "KEY:LANGUAGE:N"
        return None
    return next((e for e in base.entries if e.id == parts[0]), None)


def _quiet_gap(text: str, last_reply_key: str | None) -> timedelta:
    """How soon after our last message a waiting customer's message is answered with when a person will."""
    if only_details(text) or asks_when_answered(text) or says_it_did_not_help(text) or says_it_goes_on(text):
        # "когда ответите?": silence is what they fear; the contract number sent right after the handoff notice
        # was met with silence too (the notice was under a minute old): did it reach anyone? So was "перезагрузил,
        # не помогло", the outcome of what the answer handed to a person asked them to try.
        told = any(said_last(key, last_reply_key) for key in _WAITING_TEXTS)
        return ASKED_AGAIN_GAP if told else timedelta(0)
    return STILL_WAITING_GAP


def _still_waiting(message: IncomingMessage, language: str, reply_due: datetime | None,
                   last_reply_at: datetime | None, policy: BrandPolicy, rng: random.Random,
                   last_reply_key: str | None = None,
                   used: Sequence[str] = ()) -> tuple[str, str] | None:
    """While a thread waits for a person's first reply (due by `reply_due`; taking the thread is no reply), a
    customer who writes again after a quiet STILL_WAITING_GAP hears that the message reached the person and
    when they will answer (never silence); one who sends their details, or asks when they will be answered, at
    once (after a minute when we just told them so). Quick follow-ups, and threads a moderator already answers,
    are left to the human. A phrasing the customer had (`used`) comes again only when every one has."""
    if reply_due is None:
        return None
    gap = _quiet_gap(message.text, last_reply_key)
    if last_reply_at is not None and message.sent_at - last_reply_at < gap:
        return None
    left = reply_due - message.sent_at
    if left <= timedelta(0):
        return say_fresh("overdue_holding", language, used, rng)
    when = _after_hours(policy, message.sent_at, reply_due, language)
    if when is not None:
        return say_fresh("still_waiting_later", language, used, rng, when=when)
    minutes = math.ceil(left.total_seconds() / 60)
    minutes = 60 * math.ceil(minutes / 60) if minutes > 60 else 5 * math.ceil(minutes / 5)  # "about" figures
    return say_fresh("still_waiting", language, used, rng, eta=eta_text(minutes, language))


def may_answer_meanwhile(message: IncomingMessage, conversation: Conversation) -> bool:
    """Whether a message in a thread a person owns may be answered from the base at once (`_answered_meanwhile`):
    a new private question while the thread waits in the queue, not the customer's details, a question when they
    will be answered, or words that the answer before did not help (those hear that a person has it). The pipeline
    reads what the base answers only for these."""
    text = message.text
    return (conversation.state is ConversationState.WAITING_FOR_MODERATOR and not message.is_public
            and asks_something(text) and not only_details(text) and not asks_when_answered(text)
            and not says_it_did_not_help(text) and not says_it_goes_on(text))


def _answered_meanwhile(message: IncomingMessage, conversation: Conversation, analysis: Analysis,
                        match: Match | None, base: ArgumentBase, policy: BrandPolicy, used: Sequence[str],
                        rng: random.Random, last_reply_key: str | None, moods: Mapping[str, EntryMood] | None,
                        relevance: Relevance | None) -> Decision | None:
    """While a thread waits in the queue for a person (nobody took it yet), a new question the intent head is sure an
    approved answer covers is answered at once, the thread still waiting: "peki nasıl ödeyebilirim?" after a
    question for a person met silence for up to an hour (`may_answer_meanwhile` tells which messages may be); not
    from an entry whose answer they already had, nor a greeting's, thanks' or goodbye's (handlers.courtesies), and
    nothing the bot would hand to a person anyway."""
    if not may_answer_meanwhile(message, conversation):
        return None
    alone = decide(message, replace(conversation, state=ConversationState.BOT), analysis, match, base, policy, used,
                   rng, last_reply_key=last_reply_key, moods=moods, relevance=relevance)
    if alone.action is not Action.ANSWER or alone.reason != "intent" or alone.entry_id is None:
        return None
    if is_pleasantry(base.entry(alone.entry_id)):  # "hello??" while waiting heard "Hello! Ask me anything": a call
        return None
    if any(key.startswith(f"{alone.entry_id}:") for key in used):  # its answer again would repeat what they had
        return None
    return alone


def answer_parts(whole: Decision, parts: Sequence[Decision]) -> Decision:
    """The decision for a message of several questions (handlers.question_parts), from the decisions on each read
    alone (`parts`), where nothing about the whole called for more than an answer or a plain handoff
    (handlers.question_parts.REPLACEABLE): when each is answered from a different entry, as it would be alone, each
    is answered, the first answer first; when some are and the rest go to a person (no entry answers them, or they
    ask for one), those are answered and a person takes the rest ("Сколько стоит Оптимум и где купить вашу
    фирменную футболку?" got the price list alone, the second question answered by nobody), the answers first,
    then when the person answers. Else the whole message's decision stands."""
    if whole.reason not in REPLACEABLE or len(parts) < 2:
        return whole
    # answered from an entry as a message alone is (the intent head sure, else similarity): for each its own
    answered = [d for d in parts if d.action is Action.ANSWER and d.reason in REPLACEABLE and d.entry_id
                and d.reply_text and d.phrasing_key]
    # what no entry answers, and what a person is to do ("…и как позвать оператора?": the request for a person)
    unanswered = [d for d in parts if d.action is Action.HANDOFF and d.reply_text and d.phrasing_key]
    if not answered or len(answered) + len(unanswered) < len(parts):
        return whole
    if len({d.entry_id for d in answered}) < len(answered):  # "Где офис и когда он работает?": one entry for both
        return whole
    more = tuple((str(d.reply_text), str(d.phrasing_key)) for d in answered[1:] + unanswered[:1])
    if not unanswered:
        return replace(answered[0], scores=whole.scores, more_replies=more)
    person = unanswered[0]  # one notice for all the rest; its suggestions and reason for the moderator
    return replace(person, reply_text=answered[0].reply_text, phrasing_key=answered[0].phrasing_key,
                   scores=whole.scores, more_replies=more)


def answer_request(whole: Decision, readings: Sequence[tuple[Decision, str]], base: ArgumentBase,
                   names: frozenset[str] = frozenset(), trouble: bool = False,
                   whole_intents: Mapping[str, float] | None = None) -> Decision:
    """The decision for a message whose one sentence asks or complains among sentences that only tell, from its
    sentences read alone (`readings`: each decision with its sentence, as handlers.request_sentence.request_sentences
    orders them: the question, then the one sentence that tells, if any), where nothing about the whole called for
    more than an answer or a plain handoff (handlers.question_parts.REPLACEABLE): the first sentence's answer the
    intent head is sure of, of an entry that speaks of something the sentence names (`names`: the brand's, which say
    nothing of a subject), with the whole message's scores; else a question similarity answers, as alone it would be,
    where the whole was answered from no other entry and no trouble is told beside it (request_sentence
    .answering_sentence). Else the whole message's decision stands: a sentence that names nothing its entry speaks
    of owes the entry to chance ("Что делать?" lay near the request for a person). It stands too where the question
    and the sentence that tells are each sure of another entry and the question names nothing the other's does not
    speak of ("Taşınıyorum. İnternet ne olacak?": the move, and an outage read in the question alone), and where the
    sentence that tells would answer for an unsure question another entry than the whole was answered from. Where
    each is sure of another entry and the question names more, each is answered, the sentence that tells first
    ("Переезжаю в новую квартиру. Сколько стоит Оптимум?"); where the sentence that tells answers and the question,
    which no entry answers alone, names more than its entry, a person takes the question after that answer.
    `trouble`: the sentence that tells is a trouble (handlers.request_sentence.trouble_and_question), to be heard,
    not left for the question's answer alone. `whole_intents`: the intent head's reading of the whole message; the
    sentence that tells answers from no entry it gives less than WHOLE_FLOOR ("…thinking of switching from another
    provider" read alone lay in the cancel entry; the whole message was about promotions for new customers)."""
    strongly = trouble and whole.reason == STRONG_NEGATIVE  # the trouble read very unhappy, the whole so too
    if whole.reason not in REPLACEABLE and not strongly:
        return whole
    entries = [(base.entry(alone.entry_id) if alone.action is Action.ANSWER and alone.entry_id else None,
                alone.reason, sentence) for alone, sentence in readings]
    answered = whole.entry_id if whole.action is Action.ANSWER else None
    language = readings[0][0].language if readings else whole.language
    rank = answering_sentence(entries, language, names, answered, trouble)
    if rank is None:
        return whole
    alone = replace(readings[rank][0], scores=whole.scores)
    if len(readings) < 2:
        return alone
    (question, asked), (told, _) = readings[0], readings[1]
    read_whole = whole_intents or {}  # none: not read, or out of scope (the head's reading tells nothing)
    ruled_out = bool(read_whole) and read_whole.get(str(told.entry_id), 0.0) < WHOLE_FLOOR
    if rank == 0:  # the question answers: with the other sentence's answer where the head is sure of another entry
        told_too = (answers_alone(*entries[1], language, names) and told.entry_id != question.entry_id
                    and not ruled_out)
        if told_too:
            return answer_parts(whole, [told, question])
        if trouble and told.action is Action.HANDOFF and told.reply_text and told.phrasing_key:
            # "Интернет пропал. Как оплатить картой?" heard the payment's answer alone: the trouble, which alone goes
            # to a person (read very unhappy, with its entry's answer), goes to one, and the question is answered
            return replace(told, scores=whole.scores, more_replies=(
                *told.more_replies, (str(alone.reply_text), str(alone.phrasing_key)), *alone.more_replies))
        return whole if trouble else alone
    if strongly or ruled_out:
        return whole
    if (question.action is Action.HANDOFF and question.reply_text and question.phrasing_key and alone.entry_id
            and names_more_than(base.entry(alone.entry_id), asked, language, names)):
        # "Я переезжаю. А футболки у вас продаются?": the move's answer, and a person for the T-shirts
        return answer_parts(whole, [told, question])
    return alone


def decide(
    message: IncomingMessage,
    conversation: Conversation,
    analysis: Analysis,
    match: Match | None,
    base: ArgumentBase,
    policy: BrandPolicy,
    used_phrasings: Sequence[str],
    rng: random.Random,
    directed: bool = False,
    last_reply_at: datetime | None = None,
    reply_due: datetime | None = None,
    last_reply_key: str | None = None,
    answers_customer: bool = False,
    moods: Mapping[str, EntryMood] | None = None,
    relevance: Relevance | None = None,
    rating: bool | None = None,
) -> Decision:
    """`last_reply_at`: when the customer was last written to; `reply_due`: the deadline of the person's first
    reply while the thread waits for it (both only matter while a human owns the thread); `last_reply_key`: the
    phrasing key of the last reply to the customer, if it had one; `answers_customer`: the message replies to
    another customer's (`reply_to`), as scammers answer complaints (handlers.spam); `moods`: the moods of the
    entries known so far (handlers.entry_moods), by id; `relevance`: how near an entry's phrasings lie to the
    message (handlers.matcher.SimilarityMatcher.relevance), to answer with the one that fits it; `rating`: the
    customer's typed answer to our last reply, a question to rate a resolution they have not rated yet ("да" /
    "нет": handlers.reactions.typed_rating), when the message is one."""
    language = reply_language(analysis.language, conversation, policy)
    scores = _scores(analysis, match)

    def promise(key: str, later_key: str) -> tuple[str, str]:
        return handoff_promise(policy, message.sent_at, language, rng, key, later_key, used_phrasings)

    def acknowledged() -> Decision:
        """Nothing asked, nobody to call: acknowledged in private, once; under a post, left as it is."""
        if message.is_public or acknowledged_last(last_reply_key):
            return Decision(Action.IGNORE, ACKNOWLEDGEMENT, language, scores=scores)
        reply, key = acknowledge(language, used_phrasings, rng)
        return Decision(Action.ANSWER, ACKNOWLEDGEMENT, language, None, reply, key, scores)

    def praised() -> Decision:
        """Praise thanked ("Спасибо за тёплые слова!"), in a phrasing the customer has not had yet."""
        reply, key = say_fresh(PRAISE_KEY, language, used_phrasings, rng)
        return Decision(Action.ANSWER, PRAISE, language, None, reply, key, scores)

    def handoff(reason: str, key: str = "handoff", entry: Entry | None = None) -> Decision:
        later = f"{key}_later"  # the text for when support hours end before the promise (where the key has one)
        text, said_key = promise(key, later if later in TEXTS else "handoff_later")
        offered = suggest_entries(analysis, match, policy) if reason in SUGGESTING else ()
        return kept_private(Decision(Action.HANDOFF, reason, language, entry.id if entry else None, text, said_key,
                                     scores, offered))

    def kept_private(decision: Decision) -> Decision:
        """A public comment handed to a person with the customer's details in it ("Третий день нет интернета,
        договор 4581203!"): the reply adds that everyone reads comments, and with `hide_details` the comment is
        hidden after it (under the regret for a very unhappy customer they stayed in view, unmentioned). Not a scam
        told of: a number there is the scammer's."""
        if not message.is_public or decision.reason == SCAM_REPORTED or not read_details(message.text).found:
            return decision
        note = say("details_hidden_note" if policy.hide_details else "details_public_note", language, rng)
        return replace(decision, reply_text=" ".join(filter(None, (decision.reply_text, note, policy.private_link))),
                       hide_comment=policy.hide_details)

    def approved(entry: Entry) -> tuple[str, str]:
        """The entry's phrasing for this customer and this message, at the hour the customer's greeting tells
        ("добрый вечер"), else the brand's clock."""
        return choose_phrasing(
            entry, language, public=message.is_public, used=used_phrasings,
            customer_name=conversation.customer_name, rng=rng,
            relevance=relevance(entry, language, message.is_public) if relevance is not None else None,
            hour=customer_hour(message.text, message.sent_at, policy.timezone), formal=greets_formally(message.text),
            asked=message.text,
        )

    def answered_then_handed(reason: str, entry: Entry) -> Decision:
        """The approved words first, then when a person will answer (practitioners: always say when)."""
        reply, key = approved(entry)
        reply = f"{reply} {promise('eta_note', 'eta_note_later')[0]}"
        return kept_private(Decision(Action.HANDOFF, reason, language, entry.id, reply, key, scores))

    if conversation.owned_by_human:  # left to the person; a paid account in a wave hears nothing from us either
        meanwhile = None if directed else _answered_meanwhile(
            message, conversation, analysis, match, base, policy, used_phrasings, rng, last_reply_key, moods,
            relevance)
        if meanwhile is not None:
            return meanwhile
        waiting = None if directed else _still_waiting(message, language, reply_due, last_reply_at, policy, rng,
                                                       last_reply_key, used_phrasings)
        text, key = waiting or (None, None)
        return Decision(Action.IGNORE, "human_owns_thread", language, reply_text=text, phrasing_key=key,
                        scores=scores)
    text = message.text.strip()
    if message.kind is MessageKind.STICKER:  # asks nothing; read as its emoji where the platform gives one
        if is_disapproving_emoji(text):
            return handoff(STRONG_NEGATIVE, UNHAPPY_NOTICE)
        if not message.is_public and last_reply_key is None and not used_phrasings and not is_acknowledgement(text):
            # a sticker to say hello (👋, or VK's, which tells no emoji) before anything was said to them: "write any
            # time" would close a talk not begun; the customer is invited to tell what they came for
            reply, key = say_fresh(PROMPT, language, used_phrasings, rng)
            return Decision(Action.ANSWER, OPENER, language, None, reply, key, scores)
        return acknowledged()
    if message.kind is not MessageKind.TEXT and not text:
        return handoff(f"attachment_{message.kind.value}", "attachment")
    if not text:
        return Decision(Action.ANSWER, "empty_message", language, None, say("empty", language, rng), None, scores)
    if len(text) > policy.max_message_chars:
        return handoff("too_long", "too_long")
    not_customer = spam_kind(text, message.author_name, brand_sites(base, policy), answers_customer)
    if not_customer is SpamKind.IMPERSONATION and not message.is_public:
        # Nobody poses as the brand's support to the brand: in private, such words are a customer's, who pasted or
        # forwarded what "the support" sent them, to ask whether it is the brand's. They hear at once what the brand
        # never asks for; a person answers.
        return handoff(SCAM_SHOWN, SCAM_WARNING)
    if not_customer is not None:
        return _spam_decision(not_customer, message, language, policy, scores, rng, answers_customer)
    toxic = "toxic" if analysis.toxicity is not None and analysis.toxicity >= policy.toxic_threshold else None
    blocked = policy.blocklist.match(text, analysis.language)
    toxic = toxic or ("blocked_word" if blocked else None)
    if toxic:
        # a brand's own stop words mark spam and competitors, not a customer's temper
        own_word = blocked is not None and blocked in policy.blocklist.own
        if not message.is_public:
            # abuse in private is a customer at the end of their tether: regret, not "Передаю ваш вопрос" ("ваш бот
            # тупой" heard of its question); a person answers, never the bot
            return handoff(f"{toxic}_private", "handoff" if own_word else UNHAPPY_NOTICE)
        if policy.hide_toxic:
            return Decision(Action.HIDE, toxic, language, scores=scores)
        question = None if directed or own_word else pick_entry(base, analysis, match, policy)[0]
        if question is not None:
            # A real question in abusive words (a customer at the end of their tether, natural negative) is not
            # met with silence: a person answers it, the bot never does.
            return handoff(TOXIC_QUESTION, entry=question)
        return Decision(Action.IGNORE, f"{toxic}_recorded", language, scores=scores)
    if tells_of_scam(text):
        # "Мне звонили от вашего имени и просили код из смс, это вы?" heard "Понимаю ваше недовольство…" an hour before
        # anyone said not to share the code: what the brand never asks for, now (under a post, everyone reads it too),
        # and a person checks who it was
        return handoff(SCAM_REPORTED, SCAM_WARNING)
    if directed:
        # Part of a coordinated wave: kept as evidence and shown to moderators as one campaign. In public
        # the bot neither answers nor opens a thread per paid account; a private chat still gets a person.
        if message.is_public:
            return Decision(Action.IGNORE, DIRECTED_NEGATIVE, language, scores=scores)
        return handoff(DIRECTED_NEGATIVE)
    if rating is not None:  # "да, спасибо" / "нет, не решили" typed back to "Вы довольны решением?"
        if rating:
            return Decision(Action.ANSWER, RATED_SATISFIED, language, None, say("rating_thanks", language, rng),
                            None, scores)
        return handoff(NOT_RESOLVED, NOT_RESOLVED_NOTICE)  # the resolution failed: back to a person
    answered = answered_with(base, last_reply_key)
    if answered is not None and (says_it_did_not_help(text) or (
            says_it_goes_on(text) and analysis.sentiment.get("positive", 0.0) < STILL_PLEASED)):
        # "перезагрузил, не помогло" after an approved answer: answering it again, or from whatever entry the words
        # lie near, goes round in circles; a person takes it, with the entry that did not help for the moderator.
        return handoff(ANSWER_DID_NOT_HELP, DID_NOT_HELP_NOTICE, entry=answered)
    if answered is not None and says_it_is_unclear(text):
        # "не понял", "а подробнее?", "what do you mean?" after an approved answer went to a person as a question
        # of its own ("Good question, but not quite my area"): a person explains that answer, with its entry
        return handoff(ANSWER_UNCLEAR, UNCLEAR_NOTICE, entry=answered)
    if is_disapproving_emoji(text):  # 😡 alone: an unhappy customer, whichever entry its embedding lies near
        return handoff(STRONG_NEGATIVE, UNHAPPY_NOTICE)
    entry, how = pick_entry(base, analysis, match, policy, says_displeasure(text))
    if says_unanswered(text):
        # "Ответьте уже в ЛС, третий день жду", no thread of theirs waiting here (they waited elsewhere), heard the
        # connection-status answer "Проверим вашу заявку!": regret, and a person, with what it lay near for the card
        return handoff(UNANSWERED, UNHAPPY_NOTICE, entry=entry)
    mood_of_entry = (moods or {}).get(entry.id) if entry is not None else None
    clash = contradicts(analysis, mood_of_entry, text)
    if clash == BITTER_THANKS:  # "спасибо за ничего" got "Пожалуйста! Рады, что смогли помочь": regret, and a person
        return handoff(BITTER_THANKS, UNHAPPY_NOTICE)
    if clash is not None:  # praise taken for a complaint: not from that entry
        entry, how = None, "no_confident_answer"
    # A customer switching to the brand from a competitor asks as any new customer, and is never answered from an
    # entry for those leaving for one ("Думаю перейти к вам от другого провайдера" read alone lay in the cancel entry)
    coming = comes_from_competitor(text)
    competing = mentions_competitor(text, policy.named_competitors) and not coming
    if coming and entry is not None and for_leaving(entry):
        entry, how = None, "no_confident_answer"
    if competing and how != "intent":  # "У конкурентов дешевле": a person answers with what the brand offers, not
        entry, how = None, COMPETITOR  # the price list ("Rakip firma daha ucuz" heard it was not the bot's area)
    if (entry is not None and sounds_pleased(analysis, text) and not asks_more_than_to_thank(text)
            and not mentions_trouble(text) and not competing and not is_pleasantry(entry)):
        # praise that asks nothing is thanked, whatever entry it lies near: "у вас лучший интернет в городе!" lay
        # near the coverage questions and heard "Будем рады подключить! Напишите адрес"
        entry, how = None, "no_confident_answer"
    # a greeting's, thanks' or goodbye's entry for a message that is more than a courtesy or an opener
    pleasantry = (entry is not None and is_pleasantry(entry) and not says_only_courtesies(text)
                  and not is_opener(text))
    if pleasantry and how != "intent" and asks_something(text) and not (
            starts_with_greeting(text) or asks_when_answered(text)):
        # "До какого числа?", "Где подробности?" under a post lay nearest the goodbye ("До свидания, Анна!"): a
        # question is not answered with a pleasantry the head is unsure of; a person answers it
        entry, how = None, "no_confident_answer"
    elif pleasantry and not answers_customer and analysis.sentiment.get("negative", 0.0) >= BITTER:
        # "Позор" lay nearest the goodbye ("Всего доброго! Мы на связи"), "Пока, больше не приду" too: words of
        # displeasure get no pleasantry: regret, and a person
        return handoff("no_confident_answer", UNHAPPY_NOTICE)
    if says_nothing_to_answer(text):  # "ха-ха", "Katılıyorum 🙋": the entry it lies near (the greeting, the thanks)
        entry, how = None, "no_confident_answer"  # is noise; an acknowledgement
    reacting = None if answers_customer else reaction(text)
    if reacting is not None and analysis.sentiment.get("negative", 0.0) < UNHAPPY:
        # "Молодцы!" heard the greeting's "Привет! Мы на связи", "Наконец-то" the goodbye's, "Can't wait!" and
        # "Интересно" went to a person as questions (handlers.cheers): a cheer is thanked (from the thanks entry
        # where it lies near one), a note taken acknowledged (under a post, left as it is)
        if reacting != CHEERS:
            return acknowledged()
        if entry is None or not for_pleased(mood_of_entry):
            return praised()
    if calls_for_attention(text):  # "???": the entry its embedding lies near is noise
        if message.is_public:  # under a post, puzzlement at the post rather than a call to support
            return Decision(Action.IGNORE, ATTENTION, language, scores=scores)
        entry, how = None, "no_confident_answer"
    if asks_if_bot(text) and (entry is None or not meant_for_bot_questions(entry)):
        # "вы бот?" lay nearest the entry asking for a person: a moderator had only to say so an hour later; the
        # bot says so itself, and how to reach a person
        reply, key = say_fresh(BOT_QUESTION, language, used_phrasings, rng)
        return Decision(Action.ANSWER, BOT_QUESTION, language, None, reply, key, scores)
    if is_opener(text) and not prompted_last(last_reply_key) and (entry is None or not meant_for_openers(entry)):
        # "у меня вопрос", "помогите", "ещё вопрос": the question is still to come (however upset the words, and
        # whatever entry lies near: "ещё вопрос" got the goodbye one); a person would only ask for it, an hour later
        reply, key = say_fresh(PROMPT, language, used_phrasings, rng)
        return Decision(Action.ANSWER, OPENER, language, None, reply, key, scores)
    negative = analysis.sentiment.get("negative", 0.0)
    unhappy = negative >= UNHAPPY or says_displeasure(text)
    # ... and hears regret handed to a person, unless it is a question read only mildly so, with no word of
    # displeasure or of trouble ("Я переезжаю. Как быть с интернетом?", 0.55, heard "Понимаю ваше недовольство")
    regretful = unhappy and not (negative < CALM_QUESTION and asks_something(text) and not says_displeasure(text)
                                 and not mentions_trouble(text))
    if answered is not None and how not in ("intent", "similarity_tiebreak") and (
            leans_on_answer(text) or answers_back(text, entry, answered, mood_of_entry)):
        # "а с какого числа он начнёт действовать?" after the tariff-change answer got the contacts entry's: a
        # short question pointing back at the answer, which the head is unsure of read alone, goes to a person,
        # with that answer's entry for context; so does a reply that lies nearest the answer's own entry ("на
        # максимум" to "which tariff?" got the tariff-change entry again, asking the same in other words)
        return handoff(FOLLOW_UP, UNHAPPY_NOTICE if regretful else "handoff", entry=answered)
    strongly_negative = negative >= policy.negative_handoff
    if strongly_negative and entry is not None and not entry.needs_human and for_unhappy(mood_of_entry):
        # The brand wrote this entry for unhappy customers ("интернета нет с утра"), whom the sentiment head reads
        # strongly negative as often as not: its approved words start solving it now (asking for the contract
        # number, what the lights show), and a person still takes the thread ("не работает интернет" heard only
        # "Сожалею… Специалист ответит в течение часа").
        return answered_then_handed(STRONG_NEGATIVE, entry)
    if (strongly_negative and entry is not None and how == "intent" and not entry.needs_human
            and not for_pleased(mood_of_entry) and asks_something(text) and not says_displeasure(text)
            and not mentions_trouble(text)):
        # A question the intent head is sure of, read very unhappy with no word of displeasure or trouble ("I
        # forgot to pay, will my internet be cut off?", 0.89; the sentiment head reads worried questions so):
        # its approved answer now, and a person still takes the thread (it heard only regret an hour before anyone
        # said what happens)
        return answered_then_handed(STRONG_NEGATIVE, entry)
    if strongly_negative and (entry is None or not entry.needs_human):
        # A really unhappy customer gets a person, and regret first; the detected intent goes along for the
        # moderator.
        return handoff(STRONG_NEGATIVE, UNHAPPY_NOTICE, entry=entry)
    if (says_visit_missed(text) and (entry is None or not entry.needs_human)
            and analysis.sentiment.get("positive", 0.0) < THANKED):
        # "Teknisyen gelmedi, sabahtan beri bekliyorum" (0.16 negative) got the connection-status entry's "the
        # technician usually calls the day before": only a person can send someone or book another time; regret
        # first, and the entry goes along for the moderator
        return handoff(MISSED_VISIT, UNHAPPY_NOTICE, entry=entry)
    details = read_details(text)
    if details.alone or (entry is not None and entry.personal_data and not entry.needs_human and details.found):
        # The customer sent what an answer asks for (a contract number, a phone, an address): asking for it again
        # or answering it as a question is wrong; a person with access to their account checks it. What the
        # intent head guesses for details alone is noise: details alone are about the entry whose answer asked for
        # them (the thread's topic on the moderator's card, which showed none after "пришлите номер договора"). An
        # entry that needs a person keeps its approved words (a complaint's apology).
        if details.alone:
            entry = answered if answered is not None and answered.personal_data else None
        reply, said_key = promise("details_received", "details_received_later")
        reason = DETAILS_GIVEN
        if message.is_public:  # everyone reads a comment
            reason = DETAILS_HIDDEN if policy.hide_details else DETAILS_PUBLIC
        return kept_private(Decision(Action.HANDOFF, reason, language, entry.id if entry else None, reply, said_key,
                                     scores))
    if message.is_public and answers_customer and left_to_customers(text, unhappy, entry if how == "intent" else None):
        # Advice ("перезагрузите роутер, мне помогло") and an experience ("у меня подключали бесплатно") went to a
        # person as questions ("Передаю ваш вопрос специалисту"), thanks to that customer were answered
        # "Пожалуйста!", "[id…|Маша], смотри какая акция" the promotions; it is left to them, and a moderator reads
        # it in the thread.
        return Decision(Action.IGNORE, BETWEEN_CUSTOMERS, language, scores=scores)
    if entry is None and is_acknowledgement(text):  # "ок", "+", 👍
        return acknowledged()
    if (entry is None and is_praise(analysis, text) and not competing
            and (how == "no_confident_answer" or (how == "out_of_scope" and speaks_to_brand(text)))):
        # "у вас лучший интернет в городе!": praise no entry answers (or one for unhappy customers lay nearest)
        # is thanked; a person had nothing to do with it but say the same an hour later. Out of scope, praise that
        # speaks to or of the brand ("Волна лучший провайдер, третий год без проблем!" went to a person), not a
        # remark about anything ("обожаю котиков")
        return praised()
    if entry is None:
        if how == "out_of_scope":
            # "not quite my area" is for the weather; an unhappy customer ("Faturam neden bu kadar yüksek geldi?",
            # 0.65 negative, which the base does not cover) hears regret instead, and one asking about a repair
            # ("When will it be fixed?" heard "Good question, but not quite my area") that a person has it
            if regretful:
                return handoff(how, UNHAPPY_NOTICE)
            # ... and one that asks nothing ("Good question" to a statement) the plain one; so does a comment under
            # the brand's post, whose question is most likely about the post ("Это только для Москвы?" under a
            # promotion heard "Я отвечаю на вопросы о наших услугах, а с этим лучше поможет коллега")
            plain = speaks_of_a_repair(text) or not asks_something(text) or message.is_public
            return handoff(how, "handoff" if plain else "out_of_scope")
        # an unhappy customer no entry answers ("мастер не пришёл, ждал весь день", 0.51 negative) heard "Спасибо,
        # что написали. Подключаю коллегу": regret first, as for the very unhappy
        return handoff(how, UNHAPPY_NOTICE if regretful else "handoff")
    if message.is_public and entry.personal_data and policy.private_link and not entry.needs_human:
        invite = say("private_invite", language, rng, link=policy.private_link)
        return Decision(Action.ANSWER, f"{how}_private_invite", language, entry.id, invite, None, scores)
    if entry.needs_human:
        return answered_then_handed("entry_needs_human", entry)
    answer, key = approved(entry)
    return Decision(Action.ANSWER, how, language, entry.id, answer, key, scores)
