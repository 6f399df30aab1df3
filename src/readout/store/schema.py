"""The store's schema, changed only through named migrations.

Each migration is a name and the SQL that moves the schema one step on; ``migrate`` applies,
in order, those not yet recorded in the ``migrations`` table, all in one transaction. A
new release adds a migration at the end of ``MIGRATIONS``; it never edits one already
released. Table and column names are meant to be read in the sqlite3 shell or Datasette:
multi-valued columns hold JSON arrays, dates are ISO text (``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD`` with a ``*_precision`` column beside them).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

INITIAL = """
CREATE TABLE analyzers (
    id              TEXT PRIMARY KEY,   -- content id of the three below
    readout_version TEXT NOT NULL,
    model           TEXT NOT NULL,
    registry        TEXT NOT NULL       -- digest of the knowledge files in use
);

CREATE TABLE runs (
    id                  INTEGER PRIMARY KEY,
    command             TEXT NOT NULL,
    analyzer_id         TEXT REFERENCES analyzers(id),
    started             TEXT NOT NULL,
    finished            TEXT,           -- NULL: the run was stopped before its end
    documents_new       INTEGER NOT NULL DEFAULT 0,
    documents_unchanged INTEGER NOT NULL DEFAULT 0,
    documents_failed    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE documents (
    id          TEXT PRIMARY KEY,       -- doc- + digest of the text
    title       TEXT,
    outlet      TEXT,
    side        TEXT,                   -- country of the outlet (a government's readout), else NULL
    url         TEXT,
    published   TEXT,
    source      TEXT,                   -- file path, file:record, or '-' for standard input
    chars       INTEGER NOT NULL,
    text        TEXT NOT NULL,
    metadata    TEXT NOT NULL DEFAULT '{}',   -- JSON object: fields of the input not named above
    warnings    TEXT NOT NULL DEFAULT '[]',   -- JSON array
    analyzer_id TEXT REFERENCES analyzers(id)
);
CREATE INDEX documents_published ON documents(published);

CREATE TABLE failures (
    source      TEXT PRIMARY KEY,       -- what could not be read: a path, or path:line for a record
    code        TEXT NOT NULL,          -- the error code (empty_input, binary_input, not_english...)
    reason      TEXT NOT NULL,
    analyzer_id TEXT REFERENCES analyzers(id)
);

CREATE TABLE actors (
    id      TEXT PRIMARY KEY,           -- registry id (country code, person or organization id) or a slug of the name
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL,              -- person, organization, state
    country TEXT,
    sector  TEXT,
    known   INTEGER NOT NULL            -- 1: found in the registry
);
CREATE INDEX actors_country ON actors(country);

CREATE TABLE mentions (
    document_id TEXT NOT NULL REFERENCES documents(id),
    actor_id    TEXT NOT NULL REFERENCES actors(id),
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    text        TEXT NOT NULL,
    title       TEXT,                   -- the actor's title in this document
    PRIMARY KEY (document_id, start, "end", actor_id)
);
CREATE INDEX mentions_actor ON mentions(actor_id);

-- one engagement, merged from every document that reports it
CREATE TABLE engagements (
    id                TEXT PRIMARY KEY,
    kind              TEXT NOT NULL,    -- call, video_call, meeting, talks, summit, visit
    date              TEXT,
    date_precision    TEXT,
    date_start        TEXT,             -- the span the sources allow, day precision; NULL when no source dates it
                                        -- (date_end is then its first report: it happened on or before)
    date_end          TEXT,
    dates_disagree    INTEGER NOT NULL DEFAULT 0,
    dates             TEXT NOT NULL DEFAULT '[]',  -- JSON: each source's date, precision, document, side
    dyad              TEXT NOT NULL,    -- two country codes, sorted: CHN-USA
    country_a         TEXT,
    country_b         TEXT,
    participants      TEXT NOT NULL DEFAULT '[]',  -- JSON array of actor ids
    initiators        TEXT NOT NULL DEFAULT '[]',  -- JSON array: the initiator each source names
    channel_id        TEXT,
    sources           INTEGER NOT NULL DEFAULT 0,
    sides             TEXT NOT NULL DEFAULT '[]',  -- JSON array: sides whose readouts report it ('press' for news)
    first_reported    TEXT
);
CREATE INDEX engagements_date ON engagements(date_start);
CREATE INDEX engagements_dyad ON engagements(dyad, date_start);
CREATE INDEX engagements_channel ON engagements(channel_id);

-- one document's report of an engagement
CREATE TABLE engagement_sources (
    id             TEXT PRIMARY KEY,    -- document id / record id
    engagement_id  TEXT NOT NULL REFERENCES engagements(id),
    document_id    TEXT NOT NULL REFERENCES documents(id),
    kind           TEXT NOT NULL,
    date           TEXT,
    date_precision TEXT,
    date_raw       TEXT,
    published      TEXT,
    dyad           TEXT NOT NULL,
    participants   TEXT NOT NULL DEFAULT '[]',
    initiator      TEXT,
    medium         TEXT,
    location       TEXT,
    channel_id     TEXT,
    first_since    TEXT,
    side           TEXT,
    evidence       TEXT NOT NULL,
    start          INTEGER NOT NULL,
    "end"          INTEGER NOT NULL,
    rule           TEXT NOT NULL
);
CREATE INDEX engagement_sources_engagement ON engagement_sources(engagement_id);
CREATE INDEX engagement_sources_document ON engagement_sources(document_id);
CREATE INDEX engagement_sources_dyad ON engagement_sources(dyad, kind, date);

CREATE TABLE engagement_participants (
    engagement_id TEXT NOT NULL REFERENCES engagements(id),
    actor_id      TEXT NOT NULL REFERENCES actors(id),
    PRIMARY KEY (engagement_id, actor_id)
);
CREATE INDEX engagement_participants_actor ON engagement_participants(actor_id);

CREATE TABLE channels (
    id           TEXT PRIMARY KEY,      -- the registry id; a generic channel is kept per dyad: military-communication@CHN-USA
    registry_id  TEXT NOT NULL,
    name         TEXT NOT NULL,
    dyad         TEXT,
    level        TEXT,
    generic      INTEGER NOT NULL DEFAULT 0,
    names        TEXT NOT NULL DEFAULT '{}',  -- JSON: side -> the names that side uses
    stale        INTEGER NOT NULL DEFAULT 0   -- 1: new assertions since the timeline was built
);
CREATE INDEX channels_dyad ON channels(dyad);

CREATE TABLE channel_assertions (
    id              TEXT PRIMARY KEY,   -- document id / record id
    channel_id      TEXT NOT NULL REFERENCES channels(id),
    document_id     TEXT NOT NULL REFERENCES documents(id),
    status          TEXT NOT NULL,      -- held, suspended, agreed_to_resume, expected_to_resume, resumed, requested, declined, established
    date            TEXT,
    date_precision  TEXT,
    date_raw        TEXT,
    effective_date  TEXT,               -- where the timeline places it: its date, else the publication date
    dated_by        TEXT,               -- text, published, or NULL when neither is known
    published       TEXT,
    asserted_by     TEXT,               -- actor id
    side            TEXT,               -- the asserting side's country, else the outlet's
    generic         INTEGER NOT NULL DEFAULT 0,
    dyad            TEXT,
    evidence        TEXT NOT NULL,
    start           INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    rule            TEXT NOT NULL
);
CREATE INDEX channel_assertions_channel ON channel_assertions(channel_id, effective_date);
CREATE INDEX channel_assertions_document ON channel_assertions(document_id);

-- a channel's timeline: built from its assertions; rebuilt when they change
CREATE TABLE channel_intervals (
    channel_id  TEXT NOT NULL REFERENCES channels(id),
    seq         INTEGER NOT NULL,
    state       TEXT NOT NULL,          -- active, suspended, resumption_pending
    status      TEXT NOT NULL,          -- the status that opened the interval
    start_date  TEXT,
    end_date    TEXT,                   -- NULL: still so as far as the sources go
    last_held   TEXT,
    assertions  TEXT NOT NULL,          -- JSON array of channel_assertions ids
    sides       TEXT NOT NULL,          -- JSON array
    sources     INTEGER NOT NULL,
    contested   INTEGER NOT NULL DEFAULT 0,
    conflicts   TEXT NOT NULL DEFAULT '[]',  -- JSON: assertions in the interval that say otherwise
    PRIMARY KEY (channel_id, seq)
);

CREATE TABLE statements (
    id              TEXT PRIMARY KEY,
    document_id     TEXT NOT NULL REFERENCES documents(id),
    published       TEXT,
    speaker_id      TEXT,
    speaker_name    TEXT,
    side            TEXT,
    kind            TEXT NOT NULL,      -- direct, indirect, mixed
    cue             TEXT,
    content         TEXT NOT NULL,
    start           INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    addressee_id    TEXT,
    topics          TEXT NOT NULL DEFAULT '[]',
    event_type      TEXT,
    event_mode      TEXT,
    score           REAL,               -- PLOVER cooperation-conflict score of the event type/mode
    engagement_source_id TEXT,
    engagement_id   TEXT,
    rule            TEXT NOT NULL
);
CREATE INDEX statements_document ON statements(document_id);
CREATE INDEX statements_speaker ON statements(speaker_id);
CREATE INDEX statements_side ON statements(side);
CREATE INDEX statements_engagement ON statements(engagement_id);
CREATE INDEX statements_published ON statements(published);

CREATE TABLE events (
    id              TEXT PRIMARY KEY,
    document_id     TEXT NOT NULL REFERENCES documents(id),
    date            TEXT,
    date_precision  TEXT,
    published       TEXT,
    source_actor    TEXT,
    source_name     TEXT,
    source_country  TEXT,
    source_sector   TEXT,
    target_actor    TEXT,
    target_name     TEXT,
    target_country  TEXT,
    target_sector   TEXT,
    dyad            TEXT,
    type            TEXT NOT NULL,      -- PLOVER event type
    mode            TEXT,
    cameo           TEXT,
    score           REAL,
    quad            TEXT,
    evidence        TEXT NOT NULL,
    start           INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    rule            TEXT NOT NULL
);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_dyad ON events(dyad, date);
CREATE INDEX events_type ON events(type);

CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='rowid');
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;

CREATE VIRTUAL TABLE statements_fts USING fts5(content, speaker_name, content='statements', content_rowid='rowid');
CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN
    INSERT INTO statements_fts(rowid, content, speaker_name) VALUES (new.rowid, new.content, new.speaker_name);
END;
CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, content, speaker_name) VALUES ('delete', old.rowid, old.content, old.speaker_name);
END;
CREATE TRIGGER statements_fts_update AFTER UPDATE OF content, speaker_name ON statements BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, content, speaker_name) VALUES ('delete', old.rowid, old.content, old.speaker_name);
    INSERT INTO statements_fts(rowid, content, speaker_name) VALUES (new.rowid, new.content, new.speaker_name);
END;
"""

# 0002: what happened to an engagement (held, planned, proposed, requested, declined, cancelled,
# postponed): each report's, and the merged engagement's (held when any source says it took place)
ENGAGEMENT_STATUS = """
ALTER TABLE engagement_sources ADD COLUMN status TEXT NOT NULL DEFAULT 'held';
ALTER TABLE engagements ADD COLUMN status TEXT NOT NULL DEFAULT 'held';
CREATE INDEX engagements_status ON engagements(status, dyad);
"""

# 0003: Channels form a tree per dyad (an umbrella such as chn-usa-military-communication and its
# members); a member's timeline takes in its umbrellas' suspensions and agreements to resume,
# so intervals record which umbrella opened them. Every timeline is rebuilt on the next query.
CHANNEL_TREE = """
ALTER TABLE channels ADD COLUMN parent_id TEXT;                -- the umbrella it belongs to (channels.id), NULL at the top
CREATE INDEX channels_parent ON channels(parent_id);
ALTER TABLE channel_intervals ADD COLUMN start_precision TEXT; -- day, month or year: how precisely the sources date the start
ALTER TABLE channel_intervals ADD COLUMN opened_by TEXT;       -- the channel_assertions id that opened the interval
ALTER TABLE channel_intervals ADD COLUMN inherited_from TEXT;  -- the umbrella (channels.id) whose assertion opened it; NULL: its own
CREATE INDEX channel_assertions_published ON channel_assertions(channel_id, published);
UPDATE channels SET stale = 1;
"""

# 0004: full-text search that matches word forms: "miscalculation" finds "miscalculations". The
# indexes are made again with the Porter stemmer (over unicode61) and filled from their tables.
FTS_PORTER = """
DROP TRIGGER documents_fts_insert;
DROP TRIGGER documents_fts_delete;
DROP TRIGGER documents_fts_update;
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='rowid', tokenize='porter unicode61');
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');

DROP TRIGGER statements_fts_insert;
DROP TRIGGER statements_fts_delete;
DROP TRIGGER statements_fts_update;
DROP TABLE statements_fts;
CREATE VIRTUAL TABLE statements_fts USING fts5(content, speaker_name, content='statements', content_rowid='rowid', tokenize='porter unicode61');
CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN
    INSERT INTO statements_fts(rowid, content, speaker_name) VALUES (new.rowid, new.content, new.speaker_name);
END;
CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, content, speaker_name) VALUES ('delete', old.rowid, old.content, old.speaker_name);
END;
CREATE TRIGGER statements_fts_update AFTER UPDATE OF content, speaker_name ON statements BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, content, speaker_name) VALUES ('delete', old.rowid, old.content, old.speaker_name);
    INSERT INTO statements_fts(rowid, content, speaker_name) VALUES (new.rowid, new.content, new.speaker_name);
END;
INSERT INTO statements_fts(statements_fts) VALUES ('rebuild');
"""

# 0005: runs say whether they finished, are running (in which process), or were interrupted; each
# failure names the run that recorded it and when. A run left unfinished by an earlier readout
# counts as running until the next ingest finds no process behind it.
RUN_STATUS = """
ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'finished';   -- running, finished, interrupted
UPDATE runs SET status = 'running' WHERE finished IS NULL;
ALTER TABLE runs ADD COLUMN pid INTEGER;                                -- the process of a running ingest
ALTER TABLE runs ADD COLUMN host TEXT;                                  -- and its machine
ALTER TABLE runs ADD COLUMN documents_updated INTEGER NOT NULL DEFAULT 0;  -- known texts whose metadata changed
ALTER TABLE runs ADD COLUMN skipped TEXT NOT NULL DEFAULT '{}';        -- JSON: what folder walks skipped, by kind
ALTER TABLE failures ADD COLUMN run_id INTEGER REFERENCES runs(id);    -- the run that recorded it
ALTER TABLE failures ADD COLUMN failed_at TEXT;                         -- when (UTC, ISO 8601)
"""

# 0006: an event's modality: NULL when the text asserts it (done or going on); future, planned or
# hypothetical when it has not happened ("will sell", "plans to sell", "could sell"). Such events
# are kept, with the words that decided it in the record, and left out of the dyad index.
EVENT_MODALITY = """
ALTER TABLE events ADD COLUMN modality TEXT;   -- NULL: asserted; future, planned, hypothetical: not happened yet
"""

# 0007: documents the gate (gate.py) found unable to hold a record: not parsed, kept here (not in
# documents: no text, no records) with the gate's reason, so that ingesting them again is a no-op.
NOT_RELEVANT = """
CREATE TABLE not_relevant (
    id          TEXT PRIMARY KEY,       -- the document id its text would have (doc- + digest)
    source      TEXT,
    title       TEXT,
    outlet      TEXT,
    url         TEXT,
    published   TEXT,
    chars       INTEGER NOT NULL,
    reason      TEXT NOT NULL,          -- the gate's reason
    analyzer_id TEXT REFERENCES analyzers(id),
    run_id      INTEGER REFERENCES runs(id),
    recorded_at TEXT NOT NULL           -- UTC, ISO 8601
);
"""

# (name, SQL): append only.
MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("0001_initial", INITIAL),
    ("0002_engagement_status", ENGAGEMENT_STATUS),
    ("0003_channel_tree", CHANNEL_TREE),
    ("0004_fts_porter", FTS_PORTER),
    ("0005_run_status_and_failure_runs", RUN_STATUS),
    ("0006_event_modality", EVENT_MODALITY),
    ("0007_not_relevant", NOT_RELEVANT),
)
KNOWN = frozenset(name for name, _ in MIGRATIONS)


def recorded(conn: sqlite3.Connection) -> list[str]:
    """The migrations recorded in the database (none if it has no migrations table). Reads only."""
    has = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").fetchone()
    return [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY name")] if has else []


def pending(conn: sqlite3.Connection) -> list[str]:
    """The migrations this database lacks, in order. Reads only."""
    done = set(recorded(conn))
    return [name for name, _ in MIGRATIONS if name not in done]


def applied(conn: sqlite3.Connection) -> list[str]:
    """The migrations recorded in the database (an alias of ``recorded``)."""
    return recorded(conn)


MIGRATIONS_TABLE = "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL);"


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations this database lacks, in order, in one transaction (with the
    migrations table itself, for a new database): a reader never sees a half-made schema.
    Return their names."""
    new = pending(conn)
    if not new:
        return []
    when = _quote(datetime.now(UTC).isoformat(timespec="seconds"))
    sql = dict(MIGRATIONS)
    script = "BEGIN;\n" + MIGRATIONS_TABLE + "\n" + "\n".join(
        sql[name] + f"\nINSERT INTO migrations(name, applied) VALUES ({_quote(name)}, {when});" for name in new
    ) + "\nCOMMIT;"
    # executescript commits first; the migrations and their records go in one transaction
    try:
        conn.executescript(script)
    except sqlite3.Error:
        if conn.in_transaction:
            conn.rollback()
        raise
    return new


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
