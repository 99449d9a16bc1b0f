"""Mentions of a brand outside its own pages (posts found by a platform's search): which of the found posts
really speak of the brand, and which of them are unhappy.

A platform's search for "Волна Телеком" also returns posts about sea waves and posts that use one word of the
name: a post mentions the brand when every word of one of its search queries is in it in some form (a word that
begins with the query word's stem: "Волны Телекома", "волна-телеком"); a query of one word ("volnatelecom") is
matched as written, inside a word too (a handle, an address), and a hashtag or @handle with its sign ("#волна" is
not any "волна"). Case, ё and Turkish letters do not count ("Türk Telekom" is "TURK TELEKOM'a").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from handlers.router import UNHAPPY
from handlers.surge_words import word_stems
from models.turkish_letters import plain

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# What found a post that shares one of the brand's own posts with the sharer's words (bot.vk.events.Reposted): no
# search query, the shared post ("share:<owner id>_<post id>")
SHARED = "share:"


def shared_post(query: str) -> str | None:
    """The brand's post a found post shares (its address), when a share found it and not a search."""
    return query.removeprefix(SHARED) if query.startswith(SHARED) else None


def mentions_brand(text: str, queries: Sequence[str]) -> str | None:
    """The first query a post's text mentions the brand by, else None."""
    folded = _fold(text)
    written = _WORD.findall(folded)
    for query in queries:
        words = _WORD.findall(_fold(query))
        if len(words) == 1:
            tag = query.strip()[0] if query.strip()[0] in "#@" else ""  # a hashtag or handle: with its sign
            if tag + words[0] in folded:
                return query
            continue
        wanted = word_stems(query)
        if wanted and all(any(word.startswith(stem) for word in written) for stem in wanted):
            return query
    return None


def _fold(text: str) -> str:
    """Case, ё and Turkish letters folded, as the query words' stems are ("TÜRK TELEKOM" as "turk telekom"; a
    Turkish İ lower-cased is i, not i with a dot)."""
    return plain(text.replace("İ", "i").casefold().replace("ё", "е"))


def is_unhappy(sentiment: dict[str, float]) -> bool:
    """A found post the moderators should see at once: as unhappy as a customer the bot hands to a person."""
    return sentiment.get("negative", 0.0) >= UNHAPPY
