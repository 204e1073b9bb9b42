-- Groups of users a memory or termbase can be shared with (a team, a department), and
-- each user's own words for Chinese word segmentation (the online segmentation tool's
-- "add a word to my dictionary").
CREATE TABLE user_groups (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE group_members (
    group_id INTEGER NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);
CREATE TABLE memory_group_shares (
    memory_id INTEGER NOT NULL REFERENCES tm_memories(id) ON DELETE CASCADE,
    group_id  INTEGER NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (memory_id, group_id)
);
CREATE TABLE termbase_group_shares (
    termbase_id INTEGER NOT NULL REFERENCES termbases(id) ON DELETE CASCADE,
    group_id    INTEGER NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (termbase_id, group_id)
);
CREATE TABLE user_words (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    word       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, word)
);
