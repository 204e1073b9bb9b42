-- Machine translations already paid for: keyed by engine, model, languages, required
-- terms and the normalized source (as tagged text), so a repeated segment costs nothing.
CREATE TABLE mt_cache (
    key TEXT PRIMARY KEY,
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    created TEXT NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0
);
