"""Telegram via aiogram 3: customers in chats and comment threads, moderators in a forum supergroup.

Configuration (per brand, `[brands.telegram]`): `token_env` names the variable holding the bot token;
`moderator_chat` is the forum supergroup where every handoff gets a topic (the bot must be an admin
allowed to manage topics); `mode` is "polling" or "webhook" (then `webhook_url`, `listen_host`,
`listen_port`, and optionally `webhook_secret_env`; brands on the same host and port share one
server, told apart by the webhook URL's path); `api_server`
points to a self-hosted Bot API server; `bot_username` and `mention_words` decide which group
messages are meant for the brand. In a channel's discussion group the bot answers comments under
posts in their thread; public personal-data questions are invited to https://t.me/<bot>?start=support
unless the brand sets `private_link`. A Telegram Business account listed in `business_accounts` (the
brand's own account) that connects the bot as its chatbot gets its private chats answered through the
connection, as the account; what its owner writes there by hand is a person's answer, and the bot leaves that
thread to them.

Modules: convert (Telegram message -> IncomingMessage, addressing rules), adapter (updates in),
sender (outbox items out, rate limits), forum (the moderators' desk, for every platform),
limits (the sending queue's clock), webhooks (shared webhook servers), runtime (wiring into an App;
used by bot.runner).
"""
