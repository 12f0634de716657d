-- Files: the trash. A deleted file or folder is moved under files/.trash/ and recorded here,
-- so that it can be put back for 30 days.
CREATE TABLE trash (
    id            INTEGER PRIMARY KEY,
    space         TEXT NOT NULL,     -- 'u:<user id>', 'c:<class id>' or 'staff'
    original_path TEXT NOT NULL,     -- the path inside the space, `/`-separated
    stored_name   TEXT NOT NULL,     -- its name under files/.trash/
    is_dir        INTEGER NOT NULL,
    size          INTEGER NOT NULL,
    deleted_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    deleted_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX trash_space ON trash (space, deleted_at);
