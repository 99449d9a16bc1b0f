"""Who a message is addressed to, set aside from what it says.

A reply in a VK comment thread begins with its addressee as VK writes it, "[club229123|Волна], помогите" or
"[id4581203|Анна], у меня тоже", and Telegram group members begin with a handle, "@volna_bot помогите". Read
with it, "помогите" was no opener, a Latin "[club1|Volna], 4581203" was answered in English, and the addressee's
id could pass for a contract number. The stored message keeps its words as written.
"""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"^(?:\s*(?:\[(?:id|club|public)\d+\|[^\]\n]*\]|@\w+)[\s,:;-]*)+")


def without_address(text: str) -> str:
    """The message without the addressees it begins with; as written when they are all it has."""
    rest = _ADDRESS.sub("", text, count=1)
    return rest if rest.strip() else text


_PERSON = re.compile(r"^\s*\[id\d+\|")  # VK's address of a person (a community's is [club…] or [public…])
_HANDLE = re.compile(r"^\s*@(\w+)")  # a handle typed: Telegram's, or "@Маша" typed on VK as it is
_BOT_SUFFIX = "bot"  # every Telegram bot's username ends so: the brand's bot, addressed where it answers


def addresses_a_person(text: str, brand: str = "") -> bool:
    """Whether a message begins by addressing a person: on VK "[id4581203|Маша], смотри какая акция", a reply to
    another customer's comment or a friend tagged under a post; a handle that is neither a bot's (the brand's, in a
    Telegram group) nor the `brand`'s own name ("@Маша смотри" under a post heard the goodbye)."""
    if _PERSON.match(text) is not None:
        return True
    handle = _HANDLE.match(text)
    if handle is None:
        return False
    name = handle[1].casefold()
    return not name.endswith(_BOT_SUFFIX) and name != brand.casefold()
