"""`smm-responder check`: what a deployment needs, checked before the bot starts, without starting it.

A self-hoster finds a missing token, a broken argument base or an unwritable volume at the first customer's message
otherwise. This reads the configuration and each brand's base, says which tokens and secrets are set in the
environment (their names only: values are never printed), where the database and backups go and whether they can be
written there (and whether the database will be migrated: a copy is kept first), and whether the encoder cache is
built. Nothing is written. With `--online` it also asks Telegram and VK what each brand's tokens can do
(bot.telegram.preflight, bot.vk.preflight): reading methods only, nothing is sent.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.config import BrandConfig, Config
from bot.storage import MIGRATIONS
from handlers.argument_base import ArgumentBaseError, load_argument_base
from handlers.base_advice import advice
from models.encoder_cache import default_encoder_dir


@dataclass(frozen=True)
class Finding:
    ok: bool
    what: str

    def line(self) -> str:
        return f"{'ok' if self.ok else 'PROBLEM'}  {self.what}"


def _set(name: str | None) -> bool:
    return bool(name and os.environ.get(name))


def _writable(folder: Path) -> bool:
    """Whether files can be made in `folder` (or, not there yet, in the nearest folder above it that is)."""
    for place in (folder, *folder.parents):
        if place.exists():
            return place.is_dir() and os.access(place, os.W_OK | os.X_OK)
    return False


def _brand(brand: BrandConfig) -> list[Finding]:
    found: list[Finding] = []
    name = f"brand {brand.name}"
    try:
        base = load_argument_base(brand.argument_base, brand.policy.languages)
    except ArgumentBaseError as exc:
        found.append(Finding(False, f"{name}: argument base {brand.argument_base}: {len(exc.problems)} problem(s); "
                                    f"`smm-responder kb check {brand.argument_base}` lists them"))
    else:
        advised = len(advice(base))
        found.append(Finding(True, f"{name}: argument base {brand.argument_base}: {len(base.entries)} entries in "
                                   f"{', '.join(base.languages)}" + (
                                       f"; {advised} piece(s) of advice: `smm-responder kb check "
                                       f"{brand.argument_base}` lists them" if advised else "")))
    tg, vk = brand.telegram, brand.vk
    if tg is not None:
        found.append(Finding(_set(tg.token_env), f"{name}: Telegram token ${tg.token_env} "
                                                 f"{'set' if _set(tg.token_env) else 'not set'}"))
        if tg.mode == "webhook" and tg.webhook_secret_env:
            found.append(Finding(_set(tg.webhook_secret_env), f"{name}: Telegram webhook secret "
                                 f"${tg.webhook_secret_env} {'set' if _set(tg.webhook_secret_env) else 'not set'}"))
        found.append(Finding(True, f"{name}: moderators' forum {tg.moderator_chat}" if tg.moderator_chat is not None
                             else f"{name}: no moderators' forum (moderator_chat): people answer from `inbox`"))
        if tg.company_chat is not None:
            found.append(Finding(True, f"{name}: company chat {tg.company_chat}: moderators' `/ask` questions go "
                                       "there"))
    if vk is not None:
        if vk.token_env:
            found.append(Finding(_set(vk.token_env), f"{name}: VK community {vk.group_id} token ${vk.token_env} "
                                                     f"{'set' if _set(vk.token_env) else 'not set'}"))
        for env in (vk.confirmation_env, vk.secret_env) if vk.mode == "callback" else ():
            if env:
                found.append(Finding(_set(env), f"{name}: VK Callback API ${env} {'set' if _set(env) else 'not set'}"))
        if vk.monitor:
            found.append(Finding(_set(vk.monitor_token_env), f"{name}: VK search token ${vk.monitor_token_env} "
                                 f"{'set' if _set(vk.monitor_token_env) else 'not set'}"))
    if tg is None and vk is None:
        found.append(Finding(True, f"{name}: no platform configured: the local channel only"))
    return found


def _database(path: Path) -> Finding:
    if not path.exists():
        return Finding(_writable(path.parent), f"database {path}: new" + ("" if _writable(path.parent) else
                                                                           ", but its folder cannot be written"))
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            [(version,)] = db.execute("SELECT MAX(version) FROM schema_version").fetchall()
    except sqlite3.Error as exc:
        return Finding(False, f"database {path}: unreadable ({exc})")
    version = int(version or 0)
    if version > len(MIGRATIONS):
        return Finding(False, f"database {path}: schema version {version} is newer than this program's "
                              f"({len(MIGRATIONS)})")
    writable = os.access(path, os.W_OK) and _writable(path.parent)
    state = ("up to date" if version == len(MIGRATIONS) else
             f"schema {version} will be migrated to {len(MIGRATIONS)} at start (a copy is kept beside it first)")
    return Finding(writable, f"database {path}: {state}" + ("" if writable else ", but it cannot be written"))


def preflight(config: Config, database: Path | None = None) -> list[Finding]:
    """Everything `check` reads, in order: the configuration, each brand, the agency's chat, the database, the
    backups, the encoder cache."""
    found = [Finding(True, f"configuration {config.file}: {len(config.brands)} brand(s)")]
    for brand in config.brands.values():
        found += _brand(brand)
    if config.agency is not None:
        via = config.brands[config.agency.via_brand].telegram
        token = via.token_env if via is not None else None
        state = "its token is set" if _set(token) else "its token is not set"
        found.append(Finding(_set(token), f"agency chat {config.agency.chat}: posted by brand "
                                          f"{config.agency.via_brand}'s bot ({state})"))
    found.append(_database(database or config.storage_path))
    if config.backups is not None:
        folder = config.backups.folder
        found.append(Finding(_writable(folder), f"backups into {folder}, every {config.backups.every}, the newest "
                             f"{config.backups.kept} kept" + ("" if _writable(folder) else ": the folder cannot be "
                                                                                            "written")))
        if config.backups.command:
            program = config.backups.command[0]
            there = shutil.which(program) is not None
            found.append(Finding(there, f"backups copied off the machine by `{program}`" + (
                "" if there else ": no such program here (install it, or give its full path)")))
    encoder = default_encoder_dir()
    found.append(Finding(encoder.is_dir(), f"encoder cache {encoder}: " + ("built" if encoder.is_dir() else
                                                                            "missing; run `smm-responder setup`")))
    return found


async def online_findings(config: Config) -> list[Finding]:
    """What the platforms say of each brand's tokens, the moderators' forum and the agency's chat (`check
    --online`). Imported here, not above: the offline check needs neither aiogram nor vk_api."""
    from bot.telegram.preflight import telegram_findings
    from bot.vk.preflight import vk_findings

    found: list[Finding] = []
    for brand in config.brands.values():
        if brand.telegram is not None:
            agency = config.agency.chat if config.agency and config.agency.via_brand == brand.name else None
            found += await telegram_findings(brand.name, brand.telegram, agency)
        if brand.vk is not None:
            found += await vk_findings(brand.name, brand.vk)
    return found
