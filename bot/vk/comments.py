"""Deleting comments and posts as the community: customers' abuse a moderator or the bot hides, and the bot's own
public replies to a customer who asked to erase their personal data (`smm-responder forget`); and restoring one
the bot hid as spam that a moderator says was a customer's."""

from __future__ import annotations

from collections.abc import Sequence

from bot.config import VkSettings
from bot.vk.client import VkClient, VkError
from bot.vk.events import POST_PREFIX, CommentTarget, parse_target


async def delete_comment(client: VkClient, target: CommentTarget, message_id: str) -> None:
    """Delete one comment under the target (or, "post<id>", a post on the community's wall)."""
    await _on_comment(client, target, message_id, "delete")


async def restore_comment(client: VkClient, target: CommentTarget, message_id: str) -> None:
    """Restore one comment the community deleted under the target (or, "post<id>", a post on its wall)."""
    await _on_comment(client, target, message_id, "restore")


async def _on_comment(client: VkClient, target: CommentTarget, message_id: str, verb: str) -> None:
    """`wall.<verb>` for a post, `<section>.<verb>Comment` for a comment (verb: "delete" or "restore")."""
    if message_id.startswith(POST_PREFIX):  # a customer's post on the wall
        await client.call(f"wall.{verb}", owner_id=target.owner_id, post_id=target.object_id)
        return
    comment_id = int(message_id)
    if target.kind == "topic":
        await client.call(f"board.{verb}Comment", group_id=-target.owner_id, topic_id=target.object_id,
                          comment_id=comment_id)
        return
    section = {"wall": "wall", "photo": "photos", "video": "video", "market": "market"}[target.kind]
    await client.call(f"{section}.{verb}Comment", owner_id=target.owner_id, comment_id=comment_id)


async def delete_replies(settings: VkSettings | None, replies: Sequence[tuple[str, str]]) -> list[str]:
    """Delete the community's comments (chat id, comment id) with its token; what happened to each, for the
    report."""
    token = settings.token() if settings else None
    if settings is None or not token:
        return ["not deleted: the brand's VK token is not set; delete the comment on VK"] * len(replies)
    client = VkClient(token, api_url=settings.api_url)
    done = []
    try:
        for chat_id, comment_id in replies:
            target = parse_target(chat_id)
            if target is None:
                done.append("not deleted: not a public comment")
                continue
            try:
                await delete_comment(client, target, comment_id)
            except VkError as exc:
                done.append(f"not deleted: {exc}; delete the comment on VK")
            else:
                done.append("deleted")
    finally:
        client.close()
    return done
