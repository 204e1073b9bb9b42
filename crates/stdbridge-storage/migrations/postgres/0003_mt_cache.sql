-- Machine translations already paid for (as migrations/sqlite/0003).
CREATE TABLE mt_cache (
    key TEXT COLLATE "C" PRIMARY KEY,
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    created TEXT NOT NULL,
    hits BIGINT NOT NULL DEFAULT 0
);
