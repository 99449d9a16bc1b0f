"""Pick an approved phrasing: in the customer's language, never the same one twice to them."""

from __future__ import annotations

import random
import string
from collections.abc import Collection

from handlers.argument_base import Entry


def phrasing_key(entry_id: str, language: str, public: bool, index: int) -> str:
    return f"{entry_id}:{language}:{'public' if public else 'private'}:{index}"


def fill_name(template: str, name: str) -> str:
    """Insert the customer's first name; phrasings with {name} read naturally without it too."""
    first = name.strip().split()[0] if name.strip() else ""
    if first:
        return template.replace("{name}", first)
    text = template.replace(", {name}", "").replace(" {name}", "").replace("{name}, ", "")
    text = text.replace("{name}", "").strip()
    if text and text[0] in string.punctuation:
        text = text[1:].lstrip()
    return text[:1].upper() + text[1:] if text else text


def choose_phrasing(
    entry: Entry,
    language: str,
    *,
    public: bool,
    used: Collection[str],
    customer_name: str,
    rng: random.Random,
) -> tuple[str, str]:
    """Return (text, key). Unused phrasings first; once all are used, the one last used longest ago.
    `used`: phrasing keys, oldest first (a key may repeat)."""
    options = entry.phrasings(language, public)
    if not options:
        raise KeyError(f"entry {entry.id} has no phrasing in {language}")
    keys = [phrasing_key(entry.id, language, public, i) for i in range(len(options))]
    fresh = [i for i, key in enumerate(keys) if key not in used]
    if not customer_name:
        # Without a name, prefer phrasings that do not need one.
        fresh = [i for i in fresh if "{name}" not in options[i]] or fresh
    if fresh:
        index = rng.choice(fresh)
    else:
        last_use = {key: n for n, key in enumerate(used)}  # each key's latest use
        index = min(range(len(options)), key=lambda i: last_use.get(keys[i], -1))
    return fill_name(options[index], customer_name), keys[index]
