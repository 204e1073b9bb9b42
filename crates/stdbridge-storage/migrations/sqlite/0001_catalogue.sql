-- The catalogue's system of record. Standards are merged from the records each source
-- gives (standard_sources); relations and keys are derived from the merged record and
-- can be rebuilt from it. Every change to a standard is appended to the change log.

CREATE TABLE standards (
    id            INTEGER PRIMARY KEY,
    key           TEXT    NOT NULL UNIQUE,   -- Designation::key of the designation
    undated_key   TEXT    NOT NULL,          -- Designation::undated_key
    designation   TEXT    NOT NULL,          -- as the preferred source writes it
    status        TEXT,
    doc_type      TEXT,
    scope         TEXT,
    country       TEXT,
    publisher     TEXT,
    year          INTEGER,
    record        TEXT,                      -- the merged Standard, JSON; NULL when it is the only source's record
    created_seq   INTEGER NOT NULL,
    updated_seq   INTEGER NOT NULL
);
CREATE INDEX standards_undated_key ON standards (undated_key);

-- What each source says of a standard (provenance). A source is a file and, for
-- collections, the record's own path inside it.
CREATE TABLE standard_sources (
    standard_id   INTEGER NOT NULL REFERENCES standards (id) ON DELETE CASCADE,
    source        TEXT    NOT NULL,
    priority      INTEGER NOT NULL,          -- 0 when the source is the document's publisher
    hash          TEXT    NOT NULL,          -- SHA-256 of the record JSON
    designation   TEXT    NOT NULL,          -- as this source writes it
    record        TEXT    NOT NULL,          -- the Standard as this source gives it, JSON
    import_id     INTEGER NOT NULL,
    PRIMARY KEY (standard_id, source)
);

CREATE TABLE relations (
    standard_id   INTEGER NOT NULL REFERENCES standards (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL,
    target_key    TEXT    NOT NULL,
    target        TEXT    NOT NULL,
    degree        TEXT,
    catalogue     TEXT
);
CREATE INDEX relations_standard ON relations (standard_id);
CREATE INDEX relations_target ON relations (target_key);

-- Monotonic change log: search indexes follow it by sequence number.
CREATE TABLE changes (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    standard_id   INTEGER NOT NULL,
    key           TEXT    NOT NULL,
    op            TEXT    NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    import_id     INTEGER,
    at            TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE imports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    path          TEXT    NOT NULL,
    format        TEXT    NOT NULL,
    started_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished_at   TEXT,
    inserted      INTEGER NOT NULL DEFAULT 0,
    updated       INTEGER NOT NULL DEFAULT 0,
    unchanged     INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE ics (
    code          TEXT PRIMARY KEY,
    parent        TEXT,
    level         INTEGER NOT NULL,
    titles        TEXT NOT NULL              -- JSON object: language -> title
);

CREATE TABLE ccs (
    code          TEXT PRIMARY KEY,
    level         INTEGER NOT NULL,
    parent        TEXT,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL
);

CREATE TABLE countries (
    alpha2        TEXT PRIMARY KEY,
    alpha3        TEXT NOT NULL,
    numeric       TEXT NOT NULL,
    region        TEXT,
    sub_region    TEXT,
    names         TEXT NOT NULL              -- JSON object: language -> name
);

CREATE TABLE bodies (
    abbreviation  TEXT PRIMARY KEY,
    country       TEXT,
    scope         TEXT,
    url           TEXT,
    names         TEXT NOT NULL              -- JSON object: language -> name
);
