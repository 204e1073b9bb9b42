-- Long work (imports, TMX imports, reindexing, pre-translating a document) as jobs: who
-- started it, where it runs, how far it got and how it ended, so that a restart shows
-- what finished, what failed and what was interrupted. Times are Unix milliseconds.
--
-- In a database file of its own beside the store's: an import holds the store's write
-- lock for the whole file (one transaction), and its job must record progress meanwhile.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,              -- import, tm-import, reindex, pretranslate…
    title       TEXT    NOT NULL,              -- what a person reads: the file, the memory…
    owner       TEXT    NOT NULL,              -- the principal that started it
    runner      TEXT    NOT NULL,              -- host:pid of the process running it
    state       TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'interrupted')),
    phase       TEXT,
    done        INTEGER NOT NULL DEFAULT 0,
    total       INTEGER NOT NULL DEFAULT 0,
    result      TEXT,                          -- JSON, when done
    error       TEXT,                          -- when failed or interrupted
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL,              -- the runner's last sign of life
    finished_ms INTEGER
);
CREATE INDEX jobs_unfinished ON jobs (state) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_owner ON jobs (owner, id);
