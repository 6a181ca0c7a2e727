//! The database schema as an ordered list of migrations. A database records the number of
//! migrations applied in `PRAGMA user_version`; opening an older one applies the rest, in one
//! transaction each. Migrations are only ever appended, never edited.

use rusqlite_migration::{M, Migrations};

/// `PRAGMA application_id` of a Casus records database ("CASU").
pub const APPLICATION_ID: i64 = 0x4341_5355;

/// Schema 1: trainees, attempts, decisions, goal scores, notes, reflections, settings.
const V1: &str = "
CREATE TABLE trainees (
    id          TEXT PRIMARY KEY,          -- pseudonymous id (UUID)
    name        TEXT NOT NULL,
    skj         TEXT,                      -- SKJ registration number, optional
    created_ms  INTEGER NOT NULL
);
CREATE TABLE attempts (
    id            TEXT PRIMARY KEY,        -- UUID, the xAPI registration
    trainee       TEXT NOT NULL REFERENCES trainees(id),
    scenario      TEXT NOT NULL,
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    version       TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    study_minutes INTEGER NOT NULL,
    language      TEXT NOT NULL,
    seed          INTEGER NOT NULL,        -- stored as the two's complement of the u64
    mode          TEXT NOT NULL,
    started_ms    INTEGER NOT NULL,
    finished_ms   INTEGER,
    status        TEXT NOT NULL CHECK (status IN ('in_progress', 'finished', 'abandoned')),
    ending        TEXT,
    outcome       TEXT,
    overall       REAL,
    passed        INTEGER,
    logged        INTEGER NOT NULL DEFAULT 0, -- session log entries already recorded below
    session       TEXT                     -- the saved session (JSON), for resuming
);
CREATE INDEX attempts_by_trainee ON attempts (trainee, started_ms);
CREATE INDEX attempts_by_scenario ON attempts (scenario);
CREATE TABLE decisions (
    attempt     TEXT NOT NULL REFERENCES attempts(id),
    seq         INTEGER NOT NULL,          -- position in the session log
    node        TEXT NOT NULL,
    choice      TEXT NOT NULL,
    at_ms       INTEGER NOT NULL,          -- session clock
    recorded_ms INTEGER NOT NULL,          -- wall clock when committed
    took_ms     INTEGER NOT NULL,
    timed_out   INTEGER NOT NULL,
    points      TEXT NOT NULL,             -- JSON object goal -> points (non-zero only)
    PRIMARY KEY (attempt, seq)
) WITHOUT ROWID;
CREATE TABLE step_backs (
    attempt     TEXT NOT NULL REFERENCES attempts(id),
    seq         INTEGER NOT NULL,
    undone_seq  INTEGER,                   -- the decision taken back
    at_ms       INTEGER NOT NULL,
    recorded_ms INTEGER NOT NULL,
    PRIMARY KEY (attempt, seq)
) WITHOUT ROWID;
CREATE TABLE goal_scores (
    attempt TEXT NOT NULL REFERENCES attempts(id),
    goal    TEXT NOT NULL,
    raw     INTEGER NOT NULL,
    min     INTEGER NOT NULL,
    max     INTEGER NOT NULL,
    scaled  REAL NOT NULL,
    met     INTEGER NOT NULL,
    PRIMARY KEY (attempt, goal)            -- rowid order = the scenario's goal order
);
CREATE TABLE notes (
    attempt    TEXT PRIMARY KEY REFERENCES attempts(id),
    text       TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE TABLE reflections (
    attempt    TEXT PRIMARY KEY REFERENCES attempts(id),
    text       TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                    -- JSON
);
";

/// Schema 2: the outbox of xAPI statements for a Learning Record Store.
const V2: &str = "
CREATE TABLE outbox (
    id          TEXT PRIMARY KEY,          -- the statement id (deterministic UUID)
    attempt     TEXT,
    trainee     TEXT,
    created_ms  INTEGER NOT NULL,
    statement   TEXT NOT NULL,             -- JSON
    sent_ms     INTEGER,                   -- NULL until the LRS accepted it
    tries       INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT
);
CREATE INDEX outbox_unsent ON outbox (created_ms) WHERE sent_ms IS NULL;
CREATE INDEX outbox_by_attempt ON outbox (attempt);
";

/// Schema 3: the wall-clock moment a decision or step back was made. `recorded_ms` is when it
/// was committed, which is later when a save failed and a later one caught up.
const V3: &str = "
ALTER TABLE decisions ADD COLUMN made_ms INTEGER;   -- wall clock when made; NULL before schema 3
ALTER TABLE step_backs ADD COLUMN made_ms INTEGER;
";

/// Schema 4: the scoring rules a finished attempt's scores and verdict were made under
/// (`crate::score::SCORING_VERSION`). Attempts finished before it were scored under version 1
/// and keep their scores and verdicts as recorded.
const V4: &str = "
ALTER TABLE attempts ADD COLUMN scoring INTEGER;    -- NULL until finished
UPDATE attempts SET scoring = 1 WHERE overall IS NOT NULL;
";

const ALL: [&str; 4] = [V1, V2, V3, V4];

/// All migrations, oldest first.
pub fn migrations() -> Migrations<'static> {
    migrations_upto(ALL.len())
}

/// The schema version this build writes.
pub fn latest() -> usize {
    ALL.len()
}

/// Migrations up to `n` only (tests build old databases with it).
#[doc(hidden)]
pub fn migrations_upto(n: usize) -> Migrations<'static> {
    Migrations::new(ALL.iter().copied().take(n).map(M::up).collect())
}
