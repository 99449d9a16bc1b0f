"""The `smm-responder` command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.config import BrandConfig, Config, ConfigError, load_config
from handlers.argument_base import ArgumentBaseError, load_argument_base
from handlers.base_advice import advice
from handlers.types import Platform, utcnow

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger("smm_responder")


def _days(value: str) -> int:
    """A period in whole days, 1 or more."""
    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {value!r}") from None
    if days < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {days}")
    return days


_ONE_BRAND = "the brand (may be left out when the configuration has only one)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smm-responder", description="Support auto-responder for brands.")
    parser.add_argument("--config", type=Path, help="TOML configuration (default: ./smm-responder.toml, "
                        "else the embedded sample)")
    parser.add_argument("--db", type=Path, help="SQLite file (overrides the configuration)")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot on every configured platform (local channel if none)")
    chat = sub.add_parser("chat", help="talk to a brand as a customer in the terminal")
    chat.add_argument("--brand", help=_ONE_BRAND)
    chat.add_argument("--customer", default="local-customer", help="customer id (one conversation per id)")
    chat.add_argument("--name", default="", help="customer display name")
    inbox = sub.add_parser("inbox", help="moderators: threads waiting for a human")
    inbox.add_argument("--brand", help=_ONE_BRAND)
    inbox.add_argument("--moderator", default=os.environ.get("USER") or "moderator")
    stats = sub.add_parser("stats", help="mentions handled, satisfaction, sentiment ratio, reaction times")
    stats.add_argument("--brand", help="one brand; without it every brand of the configuration, a line each")
    stats.add_argument("--days", type=int, default=7)
    overview = sub.add_parser("overview", help="every brand at a glance, the most urgent first: waiting and past the "
                              "deadline, surges, campaigns, abuse, unhappy posts found elsewhere, the day's figures")
    overview.add_argument("--language", choices=["ru", "tr", "en"],
                          help="on a terminal (default: the first brand's default language)")
    report = sub.add_parser("report", help="a brand's period for the agency's client, in Markdown: the four "
                            "success figures against the period before, who answered, what customers wrote about, "
                            "negative and attacks, the team, what the argument base lacks")
    report.add_argument("--brand", help=_ONE_BRAND)
    period = report.add_mutually_exclusive_group()
    period.add_argument("--days", type=_days, help="the last N days, against the N before (default 30)")
    period.add_argument("--month", nargs="?", const="last", type=_month, metavar="YYYY-MM",
                        help="a calendar month on the brand's clock, against the month before (alone: the last month "
                             "that is over)")
    report.add_argument("--language", choices=["ru", "tr", "en"], help="default: the brand's default language")
    report.add_argument("--format", choices=["md", "html"], default="md",
                        help="Markdown (default), or one HTML page that opens in any browser and prints to PDF")
    evidence = sub.add_parser("evidence", help="directed negative: detected waves of alike messages, one JSON "
                              "line per campaign")
    evidence.add_argument("--brand", help=_ONE_BRAND)
    evidence.add_argument("--days", type=int, default=30)
    evidence.add_argument("--format", choices=["json", "html"], default="json",
                          help="JSON lines (default), or one page of the campaigns to expose the attack")
    evidence.add_argument("--language", choices=["ru", "tr", "en"], help="of the page (default: the brand's)")
    review = sub.add_parser("review", help="the bot's own answers, least sure first, one JSON line each: what "
                            "to check, and to add to the argument base (examples or out_of_scope)")
    review.add_argument("--brand", help=_ONE_BRAND)
    review.add_argument("--days", type=int, default=1)
    review.add_argument("--limit", type=int, default=50, help="at most this many answers (default 50)")
    instead = review.add_mutually_exclusive_group()
    instead.add_argument("--examples", action="store_true",
                         help="instead: customers' messages a moderator answered with a suggested entry's approved "
                              "answer, to add to that entry's examples")
    instead.add_argument("--spam", action="store_true",
                         help="instead: what the bot took for spam or a scam (hidden, left up, or in private), "
                              "newest first: to check no customer was among them")
    instead.add_argument("--gaps", action="store_true",
                         help="instead: what customers wrote about that no entry covers, grouped by the word they "
                              "share, most customers first: entries to add (--limit groups)")
    review.add_argument("--draft", action="store_true",
                        help="with --gaps: the gaps as drafts of argument-base entries (YAML of the base's form: "
                             "their messages as examples, people's fullest replies to them as answers) to finish, "
                             "move into the base and check with `kb check`")
    forget = sub.add_parser("forget", help="erase everything stored about one customer of a brand (a request to "
                            "delete personal data); without --yes only counts it")
    forget.add_argument("--brand", help=_ONE_BRAND)
    forget.add_argument("--platform", required=True, choices=[p.value for p in Platform])
    forget.add_argument("--customer", required=True, help="the customer's id on that platform")
    forget.add_argument("--yes", action="store_true", help="delete it (without: a dry run)")
    health = sub.add_parser("health", help="for monitoring (Docker HEALTHCHECK): replies and messages stuck in the "
                            "database; one JSON line, exit status 1 when something is stuck")
    health.add_argument("--stale-minutes", type=float, default=10.0,
                        help="a reply not delivered or a message not processed this long is stuck (default 10)")
    backup = sub.add_parser("backup", help="a consistent copy of the SQLite database, also while the bot runs; one "
                            "JSON line")
    backup.add_argument("target", type=Path, help="where the copy goes (a file)")
    backup.add_argument("--replace", action="store_true", help="overwrite the target if it exists")
    kb = sub.add_parser("kb", help="argument base tools")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    check = kb_sub.add_parser("check", help="validate an argument-base folder")
    check.add_argument("path", type=Path)
    check.add_argument("--languages", default="ru,tr,en")
    preflight = sub.add_parser(
        "check", help="what a deployment needs, before starting: the configuration, each brand's argument base, which "
        "tokens are set (names only), the database and backups folders, the encoder cache; exit status 1 on a problem")
    preflight.add_argument("--online", action="store_true",
                           help="also ask Telegram and VK whether each token works and what it may do (the "
                                "moderators' forum, the community's rights and event types, the search token); "
                                "reading only, nothing is sent")
    sub.add_parser("setup", help="build the encoder cache and the classifier's ONNX Runtime graph (done "
                   "automatically when missing)")
    try:
        from models.cli_model import add_model_parser
    except ImportError:  # pragma: no cover - the classifier commands are optional in a trimmed install
        pass
    else:
        add_model_parser(sub)
    return parser


async def _overview(config: Config, args: argparse.Namespace) -> int:
    from bot.overview import as_json, overview, overview_line
    from bot.storage import Storage

    storage = await Storage.open(args.db or config.storage_path)
    try:
        found = await overview(storage, list(config.brands.values()), utcnow())
    finally:
        await storage.close()
    language = args.language or next(iter(config.brands.values())).policy.default_language
    for brand in found:
        print(overview_line(brand, language) if sys.stdout.isatty() else json.dumps(as_json(brand), ensure_ascii=False))
    return 0


async def _report(config: Config, args: argparse.Namespace) -> int:
    from bot.report import brand_report, calendar_month, last_days, last_month
    from bot.report_html import report_html
    from bot.storage import Storage

    settings = config.brand(args.brand)
    now, zone = utcnow(), ZoneInfo(settings.policy.timezone)
    if args.month is None:
        period = last_days(args.days or 30, now)
    elif args.month == "last":
        period = last_month(now, zone)
    else:
        year, month = map(int, args.month.split("-"))
        period = calendar_month(year, month, zone)
        if period.until > now:
            print(f"error: {args.month} is not over yet; --days N gives the last N days", file=sys.stderr)
            return 2
    base = load_argument_base(settings.argument_base, settings.policy.languages)
    storage = await Storage.open(args.db or config.storage_path)
    try:
        language = args.language or settings.policy.default_language
        text = await brand_report(storage, settings, period, language, base)
        print(report_html(text, language) if args.format == "html" else text + "\n", end="")
    finally:
        await storage.close()
    return 0


def _month(value: str) -> str:
    """A calendar month as YYYY-MM, or "last"."""
    if value != "last":
        try:
            datetime.strptime(value, "%Y-%m")
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a month as YYYY-MM: {value!r}") from None
    return value


def _kb_check(path: Path, languages: str) -> int:
    try:
        base = load_argument_base(path, tuple(x.strip() for x in languages.split(",") if x.strip()))
    except ArgumentBaseError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) in {path}", file=sys.stderr)
        return 1
    print(f"{path}: OK, {len(base.entries)} entries, {len(base.out_of_scope)} out-of-scope phrases,"
          f" languages {', '.join(base.languages)}")
    for line in advice(base):  # allowed, but reads wrong to customers
        print(f"advice: {line}")
    return 0


async def run_forget(args: argparse.Namespace, brand: BrandConfig, db: Path) -> int:
    """One JSON line with what is stored about the customer and whether it was erased (with their topic in the
    moderators' Telegram forum, and the forum posts quoting them: campaign evidence, surge alerts, their posts found
    outside the brand's pages); 1 when nothing is stored."""
    from bot.storage import Storage

    storage = await Storage.open(db)
    try:
        conversation = await storage.customer_conversation(brand.name, Platform(args.platform), args.customer)
        topic = await storage.forum_topic(conversation.id) if conversation is not None else None
        quotes = await storage.forum_quotes(conversation.id) if conversation is not None else []
        quotes += await storage.outside_mentions_by(brand.name, args.platform, args.customer)  # their posts found
        replies = await storage.public_replies(conversation.id) if conversation is not None else []
        public_replies = [f"{platform}:{chat}/{message}" for platform, chat, message in replies]
        forum_topic = None
        forum_posts = [f"{chat_id}/{post_id}" for chat_id, post_id in quotes]
        if topic is not None:
            forum_topic = f"{topic[0]}/{topic[1]}"
            if args.yes:
                from bot.telegram.erase import delete_forum_topic

                forum_topic += ": " + await delete_forum_topic(brand.telegram, topic[0], topic[1])
        if quotes and args.yes:
            from bot.telegram.erase import delete_forum_posts

            forum_posts = await delete_forum_posts(brand.telegram, quotes)
        if replies and args.yes:
            public_replies = await _delete_public_replies(brand, replies)
        counts = await storage.forget_customer(brand.name, args.platform, args.customer, erase=args.yes)
    finally:
        await storage.close()
    found = counts["conversations"] > 0 or counts["outside_mentions"] > 0
    print(json.dumps({"brand": brand.name, "platform": args.platform, "customer": args.customer,
                      "erased": found and args.yes, "stored": counts, "forum_topic": forum_topic,
                      "forum_posts": forum_posts, "public_replies": public_replies},
                     ensure_ascii=False))
    if not found:
        print(f"brand {brand.name} has no {args.platform} customer {args.customer!r}", file=sys.stderr)
    elif not args.yes:
        print("nothing was deleted (a dry run): add --yes to erase it", file=sys.stderr)
    return 0 if found else 1


async def _delete_public_replies(brand: BrandConfig, replies: list[tuple[str, str, str]]) -> list[str]:
    """Delete the bot's public replies to a customer (platform, chat id, message id) with the brand's bot or
    community token; what happened to each, for the report."""
    from bot.telegram.erase import delete_replies as delete_on_telegram
    from bot.vk.comments import delete_replies as delete_on_vk

    telegram = [(chat, message) for platform, chat, message in replies if platform == "telegram"]
    vk = [(chat, message) for platform, chat, message in replies if platform == "vk"]
    done: dict[tuple[str, ...], str] = {}
    if telegram:
        done.update(zip([("telegram", *reply) for reply in telegram],
                        await delete_on_telegram(brand.telegram, telegram), strict=True))
    if vk:
        done.update(zip([("vk", *reply) for reply in vk], await delete_on_vk(brand.vk, vk), strict=True))
    return [f"{platform}:{chat}/{message}: {done[(platform, chat, message)]}" for platform, chat, message in replies]


async def _with_app(args: argparse.Namespace) -> int:
    from bot.app import App
    from bot.desk import ModeratorDesk, argument_base_files
    from bot.inbox import run_inbox
    from bot.local_channel import LocalSender, run_chat

    config = load_config(args.config)
    if args.command != "stats" and getattr(args, "brand", "") is None:  # stats without one: every brand
        args.brand = config.only_brand()
    if args.command == "health":
        from bot.storage import Storage

        storage = await Storage.open(args.db or config.storage_path)
        try:
            backlog = await storage.backlog(utcnow() - timedelta(minutes=args.stale_minutes))
        finally:
            await storage.close()
        ok = backlog["replies_stale"] == 0 and backlog["messages_stale"] == 0
        figures: dict[str, Any] = dict(backlog)
        if config.backups is not None:  # the bot's own backups: the newest's age, late past two periods
            from bot.backup import newest_copied_off, scheduled_backups

            backups = scheduled_backups(config.backups.folder)
            age = (utcnow() - backups[-1][0]) if backups else None
            figures["backup_age_hours"] = None if age is None else round(age / timedelta(hours=1), 1)
            ok = ok and (age is None or age <= 2 * config.backups.every)
            if config.backups.command:  # and the newest copied off the machine (`backup_command`)
                copied = newest_copied_off(config.backups.folder)
                off = (utcnow() - copied) if copied else None
                figures["backup_copied_age_hours"] = None if off is None else round(off / timedelta(hours=1), 1)
                ok = ok and (age is None or (off is not None and off <= 2 * config.backups.every))
        print(json.dumps({"ok": ok, **figures}))
        return 0 if ok else 1
    if args.command == "backup":
        from bot.backup import BackupError, backup

        try:
            print(json.dumps(backup(args.db or config.storage_path, args.target, replace=args.replace)))
        except BackupError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        return 0
    if args.command == "forget":
        return await run_forget(args, config.brand(args.brand), args.db or config.storage_path)
    if args.command == "overview":
        return await _overview(config, args)
    if args.command == "report":
        return await _report(config, args)
    if args.command in ("stats", "evidence", "review"):
        from bot.permalinks import outside_link, permalink
        from bot.stats import brand_stats
        from bot.storage import Storage

        brands = [config.brand(args.brand).name] if args.brand else list(config.brands)
        storage = await Storage.open(args.db or config.storage_path)
        try:
            if args.command == "stats":
                for brand in brands:
                    hours = config.brands[brand].policy.support_hours
                    stats = await brand_stats(storage, brand, args.days, hours=hours)
                    print(json.dumps(stats.as_dict(), ensure_ascii=False))
            elif args.command == "review" and args.gaps:
                from bot.pipeline import words_of
                from bot.review import find_gaps, gap_drafts, gaps_in_the_base
                from handlers.surge_words import name_stems

                settings = config.brand(args.brand)
                names = name_stems(settings.name, settings.display_name)
                base = load_argument_base(settings.argument_base, settings.policy.languages)
                if args.draft:
                    gaps = await find_gaps(storage, settings.name, args.days, args.limit, names, words_of(base))
                    drafts = await gap_drafts(storage, settings.name, gaps, base, args.days, embed=_embedder())
                    print(drafts.text, end="")
                else:
                    for gap in await gaps_in_the_base(storage, settings.name, args.days, args.limit, names,
                                                      words_of(base)):
                        print(json.dumps(gap, ensure_ascii=False))
            elif args.command == "review" and args.spam:
                since = utcnow() - timedelta(days=args.days)
                for taken in await storage.taken_for_spam(config.brand(args.brand).name, since, args.limit):
                    taken["link"] = permalink(taken["platform"], taken["chat_id"], taken["platform_message_id"],
                                              taken["thread_id"])
                    print(json.dumps(taken, ensure_ascii=False))
            elif args.command == "review" and args.examples:
                from bot.pipeline import words_of
                from bot.review import examples_moderators_confirmed

                settings = config.brand(args.brand)
                base = load_argument_base(settings.argument_base, settings.policy.languages)
                examples = await examples_moderators_confirmed(storage, settings.name, args.days, base, words_of(base))
                for example in examples:
                    print(json.dumps(example, ensure_ascii=False))
            elif args.command == "review":
                from bot.review import least_sure_answers

                for answer in await least_sure_answers(storage, args.brand, args.days, args.limit):
                    print(json.dumps(answer, ensure_ascii=False))
            elif args.format == "html":  # evidence, as a page
                from bot.evidence_page import evidence_markdown, impersonators
                from bot.report_html import report_html

                settings = config.brand(args.brand)
                language = args.language or settings.policy.default_language
                since = utcnow() - timedelta(days=args.days)
                print(report_html(evidence_markdown(
                    settings.display_name, await storage.campaigns(settings.name, since), language,
                    ZoneInfo(settings.policy.timezone), await impersonators(storage, settings.name, since)),
                    language), end="")
            else:
                since = utcnow() - timedelta(days=args.days)
                for campaign in await storage.campaigns(args.brand, since):
                    for m in campaign["messages"]:
                        m["link"] = permalink(m["platform"], m["chat_id"], m["platform_message_id"], m["thread_id"])
                    print(json.dumps(campaign, ensure_ascii=False))
                for wave in await storage.outside_waves(args.brand, since):  # posts found elsewhere (bot.vk.monitor)
                    for post in wave["posts"]:
                        post["link"] = outside_link(post["platform"], post["address"])
                    print(json.dumps(wave, ensure_ascii=False))
                from bot.evidence_page import impersonators

                for impersonator in await impersonators(storage, args.brand, since):
                    print(json.dumps(impersonator, ensure_ascii=False))
        finally:
            await storage.close()
        return 0
    if args.command == "inbox":
        from bot.storage import Storage

        settings = config.brand(args.brand)
        policy = settings.policy
        storage = await Storage.open(args.db or config.storage_path)
        try:
            desk = ModeratorDesk(storage, settings.name,
                                 argument_base=argument_base_files(settings.argument_base, policy.languages),
                                 reply_deadline=policy.reply_deadline, timezone=policy.timezone)
            return await run_inbox(desk, args.moderator, language=policy.default_language, timezone=policy.timezone)
        finally:
            await storage.close()
    local = LocalSender()
    app = await App.start(config, storage_path=args.db, senders={Platform.LOCAL: local})
    try:
        if args.command == "chat":
            return await run_chat(app, args.brand, local, customer=args.customer, name=args.name)
        from bot.runner import run_platforms

        return await run_platforms(app, local)
    finally:
        await app.close()


def _embedder() -> Callable[[Sequence[str]], Awaitable[np.ndarray]] | None:
    """The encoder's sentence embeddings, to tell one question asked in several languages (`review --gaps
    --draft`); None, with a warning, when the encoder cache is not built."""
    from models.analyzer import TextAnalyzer
    from models.encoder import encoder_is_cached

    if not encoder_is_cached():
        log.warning("the encoder cache is missing (`smm-responder setup`): drafts of one question asked in several "
                    "languages stay apart")
        return None
    loaded: list[TextAnalyzer] = []  # loaded at the first call: a period of one gap or none needs no encoder

    async def embed(texts: Sequence[str]) -> np.ndarray:
        if not loaded:
            loaded.append(TextAnalyzer.load())
        return loaded[0].embed(texts)

    return embed


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "review" and args.draft and not args.gaps:
        parser.error("review --draft goes with --gaps")
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING if args.command in ("chat", "inbox") else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr,
    )
    for noisy in ("transformers", "httpx", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        if args.command == "kb":
            return _kb_check(args.path, args.languages)
        if args.command == "check":
            from bot.preflight import online_findings, preflight

            config = load_config(args.config)
            found = preflight(config, args.db)
            if args.online:
                found += asyncio.run(online_findings(config))
            print("\n".join(finding.line() for finding in found))
            return 0 if all(finding.ok for finding in found) else 1
        if args.command == "setup":
            from models.analyzer import TextAnalyzer
            from models.encoder_cache import build_encoder_cache

            print(build_encoder_cache())
            print(f"classifier runtime: {TextAnalyzer.load().runtime}")  # builds the ONNX Runtime graph once
            return 0
        if args.command == "model":
            from models.cli_model import run_model_command

            return run_model_command(args)
        return asyncio.run(_with_app(args))
    except (ConfigError, ArgumentBaseError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`... | head`): stop quietly, as shell tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not fail again
        return 141


if __name__ == "__main__":
    sys.exit(main())
