"""Evidence links: the web address of a public message on its platform, none for private dialogs."""

from __future__ import annotations

import pytest

from bot.permalinks import outside_link, permalink, profile_link


@pytest.mark.parametrize(
    ("platform", "chat_id", "message_id", "thread_id", "link"),
    [
        ("vk", "wall-42_7", "15", "15", "https://vk.com/wall-42_7?reply=15"),
        ("vk", "wall-42_7", "16", "15", "https://vk.com/wall-42_7?reply=16&thread=15"),
        ("vk", "topic-42_3", "90", None, "https://vk.com/topic-42_3?post=90"),
        ("vk", "photo-42_5", "11", None, "https://vk.com/photo-42_5"),
        ("vk", "video-42_6", "13", None, "https://vk.com/video-42_6"),
        ("vk", "wall-42_8", "post8", None, "https://vk.com/wall-42_8"),
        ("vk", "market-42_9", "12", None, "https://vk.com/market-42_9"),
        ("vk", "12345", "77", None, None),  # a private dialog with the community
        ("telegram", "-1001234567890", "501", None, "https://t.me/c/1234567890/501"),
        ("telegram", "-1001234567890", "502", "480", "https://t.me/c/1234567890/502?thread=480"),
        ("telegram", "987654", "3", None, None),  # a private chat
        ("telegram", "-4567", "3", None, None),  # a basic group: Telegram gives it no links
        ("local", "console", "1", None, None),
        ("vk", "wall-42_7", None, None, None),
    ],
)
def test_public_messages_have_links_and_private_ones_none(
    platform: str, chat_id: str, message_id: str | None, thread_id: str | None, link: str | None
) -> None:
    assert permalink(platform, chat_id, message_id, thread_id) == link


def test_customer_profiles_link_where_the_platform_has_them() -> None:
    assert profile_link("telegram", "42") == "tg://user?id=42"
    assert profile_link("vk", "1234") == "https://vk.com/id1234"
    assert profile_link("vk", "-77") == "https://vk.com/club77"  # a community (a post about the brand in its name)
    assert profile_link("vk", "-") is None and profile_link("vk", "id5") is None
    assert profile_link("local", "console") is None


def test_a_post_found_outside_the_brands_pages_links_to_itself_on_vk() -> None:
    assert outside_link("vk", "-2002_15") == "https://vk.com/wall-2002_15"
    assert outside_link("vk", "6001_7") == "https://vk.com/wall6001_7"
    assert outside_link("telegram", "-1001_5") is None
