-- Core: settings, accounts, classes, sessions and the audit log.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE COLLATE NOCASE,
    first_name           TEXT NOT NULL DEFAULT '',
    last_name            TEXT NOT NULL DEFAULT '',
    display_name         TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'teacher', 'pupil', 'parent')),
    language             TEXT CHECK (language IN ('fr', 'en')),
    password_hash        TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    disabled             INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
) STRICT;
CREATE INDEX users_role ON users (role, last_name, first_name);

CREATE TABLE classes (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL COLLATE NOCASE,
    school_year TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (name, school_year)
) STRICT;

CREATE TABLE class_pupils (
    class_id INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (class_id, user_id)
) STRICT;
CREATE INDEX class_pupils_user ON class_pupils (user_id);

CREATE TABLE class_teachers (
    class_id INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (class_id, user_id)
) STRICT;
CREATE INDEX class_teachers_user ON class_teachers (user_id);

CREATE TABLE parent_links (
    parent_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    child_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (parent_id, child_id)
) STRICT;
CREATE INDEX parent_links_child ON parent_links (child_id);

-- The cookie holds a random token; only its SHA-256 is stored, so a copied database or
-- backup cannot be used to hijack sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    client     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL DEFAULT '',
    detail   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);

-- A CSV class list between its preview and its import: the office checks every line's
-- problem first, then applies the very file it saw, all or nothing.
CREATE TABLE pending_imports (
    id         TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    file_name  TEXT NOT NULL,
    content    BLOB NOT NULL
) STRICT;
