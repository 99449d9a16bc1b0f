"""Telegram via aiogram 3: customers in chats and comment threads, moderators in a forum supergroup."""
