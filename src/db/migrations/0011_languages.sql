-- Portuguese and Arabic join French and English (issue #16). The users table named the
-- languages in a CHECK constraint, and SQLite changes a constraint only by rebuilding the
-- table (https://sqlite.org/lang_altertable.html#otheralter): the new table keeps every
-- column, row and id, and no longer lists languages. The binary's catalog list decides which
-- codes exist (`i18n::supported` validates every write); a code a later version drops is
-- ignored when the language is chosen, never an error. Runs with foreign keys off, as the
-- procedure requires; `migrate` checks them before committing.
CREATE TABLE users_new (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE COLLATE NOCASE,
    first_name           TEXT NOT NULL DEFAULT '',
    last_name            TEXT NOT NULL DEFAULT '',
    display_name         TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'teacher', 'pupil', 'parent')),
    language             TEXT CHECK (language GLOB '[a-z][a-z]'),
    password_hash        TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    disabled             INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
) STRICT;
INSERT INTO users_new (id, username, first_name, last_name, display_name, role, language,
                       password_hash, must_change_password, disabled, created_at, updated_at)
    SELECT id, username, first_name, last_name, display_name, role, language,
           password_hash, must_change_password, disabled, created_at, updated_at
    FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_role ON users (role, last_name, first_name);
