"""The database schema: migrations applied in order (`schema_version` says how far a file is)."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: the foundation
    """
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        brand TEXT NOT NULL,
        platform TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        customer_name TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT 'bot',
        language TEXT,
        handoff_reason TEXT,
        handoff_at TEXT,
        moderator TEXT,
        unreachable INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (brand, platform, customer_id)
    );
    CREATE INDEX conversations_state ON conversations (brand, state);
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        brand TEXT NOT NULL,
        platform TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        author TEXT NOT NULL CHECK (author IN ('customer', 'bot', 'moderator')),
        chat_id TEXT NOT NULL,
        thread_id TEXT,
        platform_message_id TEXT,
        reply_to TEXT,
        author_id TEXT NOT NULL DEFAULT '',
        author_name TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'text',
        is_public INTEGER NOT NULL DEFAULT 0,
        sent_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'received',
        action TEXT,
        reason TEXT,
        entry_id TEXT,
        language TEXT,
        scores TEXT,
        processed_at TEXT,
        edited_at TEXT
    );
    CREATE UNIQUE INDEX messages_incoming_once
        ON messages (brand, platform, chat_id, platform_message_id) WHERE direction = 'in';
    CREATE INDEX messages_conversation ON messages (conversation_id, id);
    CREATE INDEX messages_pending ON messages (status) WHERE status = 'received';
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        brand TEXT NOT NULL,
        platform TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        thread_id TEXT,
        reply_to TEXT,
        text TEXT NOT NULL,
        kind TEXT NOT NULL,
        phrasing_key TEXT,
        source_message_id INTEGER REFERENCES messages(id),
        extra TEXT,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        platform_message_id TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT
    );
    CREATE INDEX outbox_due ON outbox (platform, status, next_attempt_at);
    CREATE INDEX outbox_conversation ON outbox (conversation_id, id);
    CREATE TABLE handoffs (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        brand TEXT NOT NULL,
        reason TEXT NOT NULL,
        message_id INTEGER REFERENCES messages(id),
        created_at TEXT NOT NULL,
        deadline_at TEXT NOT NULL,
        taken_by TEXT,
        taken_at TEXT,
        first_reply_at TEXT,
        closed_at TEXT,
        outcome TEXT
    );
    CREATE INDEX handoffs_open ON handoffs (conversation_id) WHERE closed_at IS NULL;
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE ratings (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        handoff_id INTEGER REFERENCES handoffs(id),
        satisfied INTEGER NOT NULL,
        comment TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (handoff_id)
    );
    """,
    # 2: platform cursors (poll offsets) and moderators' forum topics
    """
    CREATE TABLE platform_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE forum_topics (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL UNIQUE REFERENCES conversations(id),
        brand TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        topic_id TEXT NOT NULL,
        card_message_id TEXT,
        closed INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX forum_topics_lookup ON forum_topics (chat_id, topic_id);
    """,
    # 3: the last customer message shown in each forum topic (a failed mirror is posted later)
    """
    ALTER TABLE forum_topics ADD COLUMN mirrored_upto INTEGER NOT NULL DEFAULT 0;
    UPDATE forum_topics SET mirrored_upto = COALESCE((SELECT MAX(id) FROM messages
        WHERE messages.conversation_id = forum_topics.conversation_id AND direction = 'in'), 0);
    """,
    # 4: when a handoff passed its deadline with no moderator reply (the customer and moderators were told once)
    """
    ALTER TABLE handoffs ADD COLUMN overdue_at TEXT;
    CREATE INDEX handoffs_waiting ON handoffs (deadline_at) WHERE closed_at IS NULL AND first_reply_at IS NULL;
    """,
    # 5: directed negative: waves of near-identical negative messages from several accounts, kept as evidence
    """
    CREATE TABLE campaigns (
        id INTEGER PRIMARY KEY,
        brand TEXT NOT NULL,
        detected_at TEXT NOT NULL
    );
    CREATE INDEX campaigns_brand ON campaigns (brand, detected_at);
    CREATE TABLE campaign_messages (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        message_id INTEGER NOT NULL UNIQUE REFERENCES messages(id)
    );
    """,
    # 6: when moderators were reminded of a handoff's coming deadline (once per handoff)
    """
    ALTER TABLE handoffs ADD COLUMN reminded_at TEXT;
    """,
    # 7: each campaign's moderators' forum topic and the last of its messages posted there
    """
    CREATE TABLE campaign_topics (
        campaign_id INTEGER PRIMARY KEY REFERENCES campaigns(id),
        chat_id TEXT NOT NULL,
        topic_id TEXT NOT NULL,
        shown_upto INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 8: the reach of a solved public case: how many people could see it (post views, or the audience)
    """
    ALTER TABLE handoffs ADD COLUMN reach INTEGER;
    ALTER TABLE handoffs ADD COLUMN reach_kind TEXT;
    ALTER TABLE handoffs ADD COLUMN reach_at TEXT;
    """,
    # 9: a brand's messages by time (stats, recalled negative waves): a year of 12 brands, 2.4M messages,
    # read 0.7 s per brand's stats by scanning all of them, 0.05 s with it; replies by public chat (the
    # phrasings everyone under a post got lately) and by the message they answer (`review`)
    """
    CREATE INDEX messages_brand_time ON messages (brand, direction, sent_at);
    CREATE INDEX outbox_chat ON outbox (chat_id, id);
    CREATE INDEX outbox_source ON outbox (source_message_id);
    """,
    # 10: the argument-base entries a handed-off message could be answered from (moderators send one with a
    # press: handlers.suggestions), as a JSON list
    """
    ALTER TABLE messages ADD COLUMN suggestions TEXT;
    """,
    # 11: a customer who writes again after a moderator's reply waits for a person once more: since when, by
    # when (the brand's reaction time), and when they were told the answer is late (once per follow-up)
    """
    ALTER TABLE handoffs ADD COLUMN followup_at TEXT;
    ALTER TABLE handoffs ADD COLUMN followup_due TEXT;
    ALTER TABLE handoffs ADD COLUMN followup_overdue_at TEXT;
    CREATE INDEX handoffs_followup ON handoffs (followup_due) WHERE closed_at IS NULL AND followup_overdue_at IS NULL;
    """,
    # 12: when moderators were reminded of a follow-up's coming deadline (once per follow-up)
    """
    ALTER TABLE handoffs ADD COLUMN followup_reminded_at TEXT;
    """,
    # 13: the Telegram Business connection a customer wrote through ('' for the brand's own bot or community):
    # replies go back the same way, and a business chat's message ids count apart from the bot's chat with the
    # same person, so the same id in both is two messages
    """
    ALTER TABLE messages ADD COLUMN business_connection TEXT NOT NULL DEFAULT '';
    ALTER TABLE outbox ADD COLUMN business_connection TEXT NOT NULL DEFAULT '';
    DROP INDEX messages_incoming_once;
    CREATE UNIQUE INDEX messages_incoming_once
        ON messages (brand, platform, chat_id, platform_message_id, business_connection) WHERE direction = 'in';
    """,
    # 14: a customer's message deleted on the platform: when, and by whom ('author': the customer; 'other': the
    # brand's people or the bot hiding it; '': the platform does not say). The text stays (evidence of attacks).
    """
    ALTER TABLE messages ADD COLUMN deleted_at TEXT;
    ALTER TABLE messages ADD COLUMN deleted_by TEXT;
    """,
    # 15: the customer's emoji reaction to a reply delivered to them (the latest; '' when they took it back)
    """
    ALTER TABLE outbox ADD COLUMN reaction TEXT;
    """,
    # 16: negative surges: many customers unhappy about one argument-base entry at once (handlers.surge), how many
    # the moderators were told of (`announced`) and how many the forum has shown (`shown`)
    """
    CREATE TABLE surges (
        id INTEGER PRIMARY KEY,
        brand TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        since TEXT NOT NULL,
        last_at TEXT NOT NULL,
        customers INTEGER NOT NULL,
        announced INTEGER NOT NULL DEFAULT 0,
        shown INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX surges_open ON surges (brand, entry_id, last_at);
    """,
    # 17: posts in the moderators' forum outside the customer's own topic that quote their message (a campaign's
    # evidence, a surge alert): an erasure request deletes them too
    """
    CREATE TABLE forum_quotes (
        message_id INTEGER NOT NULL REFERENCES messages(id),
        chat_id TEXT NOT NULL,
        post_id TEXT NOT NULL
    );
    CREATE INDEX forum_quotes_message ON forum_quotes (message_id);
    """,
    # 18: the argument-base entry a customer's message is about, for surges (handlers.surge.topic_of, stored with
    # the decision); messages decided before are given it by the rule as it stood (0.3: its GUESS_FLOOR)
    """
    ALTER TABLE messages ADD COLUMN topic TEXT;
    UPDATE messages SET topic = COALESCE(entry_id, CASE WHEN reason != 'out_of_scope'
        AND json_extract(scores, '$.intent') >= 0.3 THEN json_extract(suggestions, '$[0]') END)
        WHERE direction = 'in' AND status = 'processed';
    """,
    # 19: what the platform shows of a customer's account (a VK profile: photo or not, followers, closed,
    # deleted or banned) when they first wrote: directed-negative evidence ("paid accounts": empty profiles)
    """
    CREATE TABLE accounts (
        brand TEXT NOT NULL,
        platform TEXT NOT NULL,
        account_id TEXT NOT NULL,
        profile TEXT NOT NULL,
        checked_at TEXT NOT NULL,
        PRIMARY KEY (brand, platform, account_id)
    );
    """,
    # 20: surges on a word (handlers.surge.new_topic): an unhappy customer's message keeps its subject words' stems
    # (' stem stem '), and a surge on one keeps the stem, the form its customers wrote and the stems most of its
    # first messages share (what other words its news comes in); hides by time, for `stats`
    """
    ALTER TABLE messages ADD COLUMN words TEXT;
    ALTER TABLE surges ADD COLUMN word_stem TEXT;
    ALTER TABLE surges ADD COLUMN word TEXT;
    ALTER TABLE surges ADD COLUMN words TEXT;
    CREATE INDEX outbox_hides ON outbox (brand, sent_at) WHERE kind = 'hide';
    """,
    # 21: a handoff by the message that opened it (`review --gaps` leaves out those a suggested answer settled)
    """
    CREATE INDEX handoffs_message ON handoffs (message_id);
    """,
    # 22: mentions of a brand outside its own pages, found by a platform's search (bot.vk.monitor): the post's
    # address on the platform, who wrote it, how it reads; the forum post showing it, who dealt with it, and the wave
    # of alike unhappy posts from several authors (directed negative) it is part of: its first post's id (0: none);
    # when the forum was reminded of one nobody dealt with in the brand's reaction time
    """
    CREATE TABLE outside_mentions (
        id INTEGER PRIMARY KEY,
        brand TEXT NOT NULL,
        platform TEXT NOT NULL,
        address TEXT NOT NULL,
        query TEXT NOT NULL,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        language TEXT,
        negative REAL NOT NULL,
        positive REAL NOT NULL,
        toxicity REAL,
        views INTEGER,
        posted_at TEXT NOT NULL,
        found_at TEXT NOT NULL,
        forum_chat TEXT,
        forum_post TEXT,
        handled_by TEXT,
        handled_at TEXT,
        directed INTEGER NOT NULL DEFAULT 0,
        reminded_at TEXT,
        UNIQUE (brand, platform, address)
    );
    CREATE INDEX outside_mentions_found ON outside_mentions (brand, found_at);
    """,
    # 23: questions moderators asked the company (the brand's own experts, in its Telegram chat) about a customer's
    # thread: the post there, the company's answer, who gave it and when the forum topic showed it, when a
    # moderator sent it to the customer, and when the company's chat was reminded of it unanswered
    """
    CREATE TABLE company_questions (
        id INTEGER PRIMARY KEY,
        brand TEXT NOT NULL,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        moderator TEXT NOT NULL,
        question TEXT NOT NULL,
        asked_at TEXT NOT NULL,
        chat_id TEXT,
        post_id TEXT,
        answer TEXT,
        answered_by TEXT,
        answered_at TEXT,
        shown_at TEXT,
        sent_at TEXT,
        reminded_at TEXT
    );
    CREATE INDEX company_questions_asked ON company_questions (brand, asked_at);
    CREATE UNIQUE INDEX company_questions_post ON company_questions (chat_id, post_id) WHERE post_id IS NOT NULL;
    """,
    # 24: the language a customer's app is set to (Telegram's language_code), for a message whose words tell none
    """
    ALTER TABLE messages ADD COLUMN language_hint TEXT;
    """,
    # 25: the comment a public one joined ("+1", "у меня тоже": handlers.me_too) and was answered as, for the card
    """
    ALTER TABLE messages ADD COLUMN joins INTEGER REFERENCES messages(id);
    """,
)
