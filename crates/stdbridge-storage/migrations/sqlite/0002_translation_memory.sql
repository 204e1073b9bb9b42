-- Translation memories and termbases. Units and concepts are stored as JSON bodies (the
-- library's model, lossless for TMX/TBX round trips) beside the columns that queries use.

CREATE TABLE tm_memories (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    owner       TEXT,
    visibility  TEXT NOT NULL DEFAULT 'personal' CHECK (visibility IN ('personal', 'shared')),
    description TEXT,
    created_at  TEXT NOT NULL,
    header      TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE tm_units (
    id              INTEGER PRIMARY KEY,
    memory_id       INTEGER NOT NULL REFERENCES tm_memories(id) ON DELETE CASCADE,
    unit_key        BLOB NOT NULL,
    tuid            TEXT,
    creator         TEXT,
    created_at      TEXT,
    changed_at      TEXT,
    usage_count     INTEGER NOT NULL DEFAULT 0,
    origin_document TEXT,
    origin_standard TEXT,
    domain          TEXT,
    body            TEXT NOT NULL,
    UNIQUE (memory_id, unit_key)
);

-- Bumped by every write to any memory; the TM index records the value it reflects.
CREATE TABLE tm_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO tm_state (id, generation) VALUES (1, 0);

CREATE TABLE termbases (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    owner       TEXT,
    visibility  TEXT NOT NULL DEFAULT 'personal' CHECK (visibility IN ('personal', 'shared')),
    description TEXT,
    created_at  TEXT NOT NULL,
    header      TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE tb_concepts (
    id          INTEGER PRIMARY KEY,
    termbase_id INTEGER NOT NULL REFERENCES termbases(id) ON DELETE CASCADE,
    concept_key TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    body        TEXT NOT NULL,
    UNIQUE (termbase_id, concept_key)
);
