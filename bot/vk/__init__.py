"""VK adapter (vk_api 11.x, API 5.199): community messages and public comments."""

from bot.vk.client import VkClient, VkError
from bot.vk.community import VkCommunity, VkStartupError
from bot.vk.service import CallbackServer, VkSender, VkService, start_vk

__all__ = ["CallbackServer", "VkClient", "VkCommunity", "VkError", "VkSender", "VkService", "VkStartupError",
           "start_vk"]
