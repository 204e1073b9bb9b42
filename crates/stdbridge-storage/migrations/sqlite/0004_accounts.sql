-- no-transaction
-- Accounts: users, their sessions and API tokens, and who else may read a memory or a
-- termbase. Memories and termbases become private (owner only), shared (with named
-- users) or public (the shared corpus); what was 'personal' is private and what was
-- 'shared' (everyone) is public.
--
-- SQLite cannot change a CHECK constraint in place: the two collection tables are made
-- anew and renamed (the procedure of SQLite's ALTER TABLE documentation), with foreign
-- keys off so that dropping the old table deletes no unit or concept. The rename makes
-- tm_units and tb_concepts refer to the new tables.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE tm_memories_next (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    owner       TEXT,
    visibility  TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'shared', 'public')),
    description TEXT,
    created_at  TEXT NOT NULL,
    header      TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO tm_memories_next (id, name, owner, visibility, description, created_at, header)
    SELECT id, name, owner, CASE visibility WHEN 'shared' THEN 'public' ELSE 'private' END,
           description, created_at, header
    FROM tm_memories;
DROP TABLE tm_memories;
ALTER TABLE tm_memories_next RENAME TO tm_memories;

CREATE TABLE termbases_next (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    owner       TEXT,
    visibility  TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'shared', 'public')),
    description TEXT,
    created_at  TEXT NOT NULL,
    header      TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO termbases_next (id, name, owner, visibility, description, created_at, header)
    SELECT id, name, owner, CASE visibility WHEN 'shared' THEN 'public' ELSE 'private' END,
           description, created_at, header
    FROM termbases;
DROP TABLE termbases;
ALTER TABLE termbases_next RENAME TO termbases;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    email         TEXT,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'translator', 'reader')),
    -- An Argon2id hash in the PHC string format; never the password.
    password_hash TEXT,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

-- A session is known by the SHA-256 of its cookie's value, so a copy of the store
-- signs nobody in.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Personal API tokens, known by their SHA-256 (the token is shown once).
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash         TEXT NOT NULL UNIQUE,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    label        TEXT,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Who else may read a shared memory or termbase.
CREATE TABLE memory_shares (
    memory_id INTEGER NOT NULL REFERENCES tm_memories(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (memory_id, user_id)
);
CREATE TABLE termbase_shares (
    termbase_id INTEGER NOT NULL REFERENCES termbases(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (termbase_id, user_id)
);

COMMIT;
PRAGMA foreign_keys = ON;
