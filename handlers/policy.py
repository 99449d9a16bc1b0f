"""A brand's thresholds and switches that steer the router."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from handlers.blocklist import Blocklist
from handlers.directed import CampaignPolicy
from handlers.spam import linked_sites
from handlers.support_hours import SupportHours
from handlers.surge import SurgePolicy
from models.word_match import WordList


@dataclass(frozen=True)
class BrandPolicy:
    default_language: str = "ru"
    languages: tuple[str, ...] = ("ru", "tr", "en")
    # similarity match: best example cosine and its lead over the runner-up entry
    answer_threshold: float = 0.85
    answer_margin: float = 0.005
    # trained intent head: probability of the best entry (out-of-scope is below it)
    intent_threshold: float = 0.5
    # a message the intent head finds out of scope is answered only from a near-paraphrase of an example
    out_of_scope_similarity: float = 0.88
    # the intent head learns generic off-topic requests (handlers.out_of_scope) as out of scope
    builtin_out_of_scope: bool = True
    # sentiment / toxicity
    negative_handoff: float = 0.85
    toxic_threshold: float = 0.8
    hide_toxic: bool = False
    # spam and accounts posing as the brand's support in public comments (handlers.spam): hidden, else left for
    # moderators to judge like abuse
    hide_spam: bool = True
    # public comments carrying a customer's own details (handlers.customer_details): hidden after the reply that
    # says so, to keep them from strangers; else left up, the moderators' card saying they can be hidden
    hide_details: bool = False
    # words that make a message toxic whatever its score (handlers.blocklist): the brand's own, and the built-in
    blocked_words: tuple[str, ...] = ()
    builtin_blocked_words: bool = True
    # the brand's competitors' names ("Ростелеком", "МТС"): a message naming one compares (handlers.competitors)
    competitors: tuple[str, ...] = ()
    # a human must react within this many minutes (practitioners: 60-90, never over a day)
    reaction_minutes: int = 60
    support_hours: SupportHours | None = None  # when moderators work (None: around the clock); the minutes count then
    # A thread a person answered, where nobody has written since for this many hours and nobody waits, goes back to
    # the bot (0: it waits for a person to hand it back). People often step in and forget to hand threads back.
    hand_back_hours: int = 24
    timezone: str = "UTC"  # the brand's clock: moderators read every moment in it (IANA name)
    max_message_chars: int = 4000
    private_link: str = ""  # where public commenters are invited for personal-data questions
    campaign: CampaignPolicy = field(default_factory=CampaignPolicy)  # directed negative
    surge: SurgePolicy = field(default_factory=SurgePolicy)  # many customers unhappy about one thing at once

    @cached_property
    def blocklist(self) -> Blocklist:
        return Blocklist(self.blocked_words, builtin=self.builtin_blocked_words)

    @cached_property
    def named_competitors(self) -> WordList:
        return WordList(self.competitors)

    @cached_property
    def private_link_sites(self) -> frozenset[str]:
        """The site `private_link` goes to: the brand's own (handlers.spam)."""
        return linked_sites([self.private_link])

    def reply_deadline(self, start: datetime) -> datetime:
        """When a person must have answered a thread handed off at `start`."""
        if self.support_hours is None:
            return start + timedelta(minutes=self.reaction_minutes)
        return self.support_hours.deadline(start, self.reaction_minutes)
