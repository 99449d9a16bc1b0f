"""`smm-responder check --online`: the command as a self-hoster runs it before going live, asking the fake Bot API
and the fake VK API over real HTTP (aiogram, vk_api) what each brand's tokens can do. Nothing is sent."""

from __future__ import annotations

import asyncio
import contextlib
import io
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import write_config
from tests.fake_telegram import FakeTelegram
from tests.fake_vk import FakeVk
from tests.test_telegram_acceptance import FORUM, TOKEN, setup_fake, telegram_table

AGENCY = -1009000000001
COMPANY = -1005000000001
SENDS = ("sendMessage", "sendDocument", "createForumTopic", "deleteMessage")


async def check(config: Path) -> tuple[int, list[str]]:
    """The CLI in a thread (it runs its own event loop), as from a shell; its exit status and lines."""
    out = io.StringIO()

    def run() -> int:
        with contextlib.redirect_stdout(out):
            return main(["--config", str(config), "check", "--online"])

    status = await asyncio.to_thread(run)
    return status, out.getvalue().splitlines()


async def test_telegram_tokens_forum_rights_webhook_and_agency_chat_are_asked_of_telegram(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeTelegram(TOKEN)
    url = await fake.start()
    try:
        setup_fake(fake)
        fake.set_member(FORUM, fake.bot_user["id"], "member")  # added to the forum, never made an administrator
        fake.add_chat(AGENCY, "supergroup", "Agency")  # the bot was never added
        fake.add_chat(COMPANY, "supergroup", "Volna: the company")  # nor to the company's chat
        monkeypatch.setenv("VOLNA_TG_TOKEN", TOKEN)
        monkeypatch.setenv("VOLNA_TG_SECRET", "s3cret-for-tests")
        company = f"company_chat = {COMPANY}\n"
        table = telegram_table(url, "webhook", 1).replace('mention_words', 'bot_username = "@volna_old_bot"\n'
                                                                               'mention_words') + company
        agency = f'\n[agency]\nchat = {AGENCY}\nvia_brand = "volna"\n'
        config = write_config(tmp_path, brand_extra=table, extra=agency)
        await fake.api_setWebhook({"url": "http://127.0.0.1:1/telegram/volna"})  # nobody listens there
        fake.customer_message({"id": 42, "is_bot": False, "first_name": "Иван"}, "Здравствуйте")
        deadline = asyncio.get_running_loop().time() + 20
        while fake.webhook_error is None and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)

        status, lines = await check(config)
        assert status == 1
        assert "ok  brand volna: Telegram accepts the token: the bot @volna_support_bot" in lines
        assert ("PROBLEM  brand volna: bot_username is @volna_old_bot but the token is @volna_support_bot's: "
                "customers' mentions of the bot would not be recognised") in lines
        assert (f"PROBLEM  brand volna: moderators' forum {FORUM} (Volna moderators): the bot is not an administrator"
                " there: make it one, with Manage topics and Delete messages") in lines
        [webhook] = [line for line in lines if "delivery" in line]
        assert webhook.startswith("PROBLEM  brand volna: Telegram's last delivery to the webhook "
                                  "http://127.0.0.1:1/telegram/volna failed 1 min ago: ")
        assert webhook.endswith("updates waiting)")
        assert (f"PROBLEM  agency chat {AGENCY} (Agency): brand volna's bot is not in it: add the bot to the chat"
                in lines)
        assert (f"PROBLEM  brand volna: company chat {COMPANY} (Volna: the company): the bot is not in it: add the "
                "bot to the chat") in lines
        assert TOKEN not in "\n".join(lines) and "s3cret" not in "\n".join(lines)

        # put right: the bot administers the forum with both rights, joined the agency's chat, its username fixed,
        # and the webhook delivers (no error left)
        fake.set_member(FORUM, fake.bot_user["id"], "administrator", can_manage_topics=True)
        fake.set_member(AGENCY, fake.bot_user["id"], "member")
        fake.set_member(COMPANY, fake.bot_user["id"], "member")
        await fake.api_deleteWebhook({})
        fake.webhook_error = None
        await fake.api_setWebhook({"url": "http://127.0.0.1:1/telegram/volna"})
        fake.updates.clear()
        config = write_config(tmp_path, brand_extra=telegram_table(url, "webhook", 1) + company, extra=agency)
        status, lines = await check(config)
        assert status == 0, lines
        assert (f"ok  brand volna: moderators' forum {FORUM} (Volna moderators): topics on; the bot manages topics "
                "and deletes messages") in lines
        assert "ok  brand volna: webhook http://127.0.0.1:1/telegram/volna set; 0 updates waiting" in lines
        assert f"ok  agency chat {AGENCY} (Agency): brand volna's bot is in it" in lines
        assert f"ok  brand volna: company chat {COMPANY} (Volna: the company): the bot is in it" in lines
        assert f"ok  brand volna: company chat {COMPANY}: moderators' `/ask` questions go there" in lines

        # a token revoked in @BotFather: said, and nothing else is asked with it
        monkeypatch.setenv("VOLNA_TG_TOKEN", "123456:REVOKED")
        status, lines = await check(config)
        assert status == 1
        assert ("PROBLEM  brand volna: Telegram rejects the token in $VOLNA_TG_TOKEN (revoked or mistyped): take the "
                "bot's current token from @BotFather") in lines
        assert not [line for line in lines if "forum" in line and "PROBLEM" in line]
        assert not [call for call in fake.calls if call.method in SENDS]  # asking only: nothing sent
    finally:
        await fake.close()


async def test_vk_community_token_rights_event_types_and_search_token_are_asked_of_vk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.vk.events import HANDLED_EVENTS

    fake = FakeVk(1001, token_rights=("photos", "messages"))  # created without the right to manage the community
    fake.tokens.add("vk-other-community-token")
    await fake.start()
    try:
        fake.callback_servers = [{"id": 1, "title": "smm-responder", "url": "https://bot.example/vk/callback"}]
        fake.callback_events = {1: {kind: 1 for kind in HANDLED_EVENTS if kind != "wall_reply_new"}}
        monkeypatch.setenv("VOLNA_VK_TOKEN", "vk-test-token")
        monkeypatch.setenv("VOLNA_VK_SEARCH", "vk-test-token")  # a community's token, which cannot search
        monkeypatch.setenv("VOLNA_VK_CONFIRMATION", "a1b2c3d4")
        monkeypatch.setenv("VOLNA_VK_SECRET", "s3cret")

        def vk_table(group_id: int, mode: str) -> str:
            callback = ('\nconfirmation_env = "VOLNA_VK_CONFIRMATION"\nsecret_env = "VOLNA_VK_SECRET"'
                        if mode == "callback" else "")
            return (f'[brands.vk]\ntoken_env = "VOLNA_VK_TOKEN"\ngroup_id = {group_id}\napi_url = "{fake.url}"\n'
                    f'mode = "{mode}"\nmonitor = ["Волна Телеком"]\nmonitor_token_env = "VOLNA_VK_SEARCH"{callback}\n')

        name = "brand volna: VK community 1001"
        status, lines = await check(write_config(tmp_path, brand_extra=vk_table(1001, "callback")))
        assert status == 1
        assert f"ok  {name} (Volna): VK accepts the token" in lines
        assert (f"PROBLEM  {name}: the token lacks the right to manage (hiding abuse, restoring comments, the "
                "community's event settings): create a token with it (Manage -> API usage -> Access tokens)") in lines
        assert (f"PROBLEM  {name}: no Callback API server is sent every event type the bot reads; 'smm-responder' "
                "(https://bot.example/vk/callback) lacks wall_reply_new (Manage -> API usage -> Callback API -> Event "
                "types)") in lines
        assert ("PROBLEM  brand volna: VK search token $VOLNA_VK_SEARCH: a community's token cannot search; set a "
                "user's or an app's service token") in lines

        fake.token_rights = ("photos", "messages", "docs", "manage")
        fake.callback_events[1]["wall_reply_new"] = 1
        monkeypatch.setenv("VOLNA_VK_SEARCH", "vk-service-token")
        status, lines = await check(write_config(tmp_path, brand_extra=vk_table(1001, "callback")))
        assert status == 0, lines
        assert f"ok  {name}: the token has the rights to messages, manage" in lines
        assert (f"ok  {name}: Callback API server 'smm-responder' (https://bot.example/vk/callback) is sent every "
                "event type the bot reads") in lines
        assert "ok  brand volna: VK search token $VOLNA_VK_SEARCH: searching works" in lines

        # Long Poll with types off is no problem (the bot turns them on at start) but is said; nothing is changed
        fake.longpoll_events = {"message_new": 1}
        status, lines = await check(write_config(tmp_path, brand_extra=vk_table(1001, "longpoll")))
        assert status == 0, lines
        [longpoll] = [line for line in lines if "Long Poll" in line]
        assert longpoll.startswith(f"ok  {name}: Bots Long Poll on, {len(HANDLED_EVENTS) - 1} event types the bot "
                                   "reads off (") and longpoll.endswith("): the bot turns them on when it starts")
        assert fake.longpoll_events == {"message_new": 1}

        # a token of another community, and a revoked one
        status, lines = await check(write_config(tmp_path, brand_extra=vk_table(1002, "longpoll")))
        assert status == 1
        assert ("PROBLEM  brand volna: VK community 1002: the token in $VOLNA_VK_TOKEN belongs to community 1001"
                in lines)
        monkeypatch.setenv("VOLNA_VK_TOKEN", "vk-revoked")
        status, lines = await check(write_config(tmp_path, brand_extra=vk_table(1001, "longpoll")))
        assert (f"PROBLEM  {name}: VK rejects the token in $VOLNA_VK_TOKEN (revoked or mistyped): create a new "
                "community token") in lines
        assert "vk-revoked" not in "\n".join(lines) and "vk-service-token" not in "\n".join(lines)
        assert not [call for call in fake.calls if call.method.startswith(("messages.send", "wall.", "groups.set"))]
    finally:
        await fake.stop()
