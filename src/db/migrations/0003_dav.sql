-- WebDAV: locks, kept across restarts, and dead properties set by clients (PROPPATCH).
-- Paths are keys below /dav/ as URL strings (`/alice/notes.txt`) for locks, and per space
-- (`u12/notes.txt`, `c3/...`, `staff/...`) for properties, so that a class rename keeps them.
CREATE TABLE dav_locks (
    token      TEXT PRIMARY KEY,
    path       TEXT NOT NULL,        -- the locked resource, below /dav/, URL-encoded
    principal  TEXT,                 -- the username that took it
    owner_xml  TEXT,
    deep       INTEGER NOT NULL,     -- Depth: infinity
    shared     INTEGER NOT NULL,
    timeout_s  INTEGER,              -- NULL: no timeout
    expires_at INTEGER               -- NULL: no timeout
) STRICT;
CREATE INDEX dav_locks_path ON dav_locks (path);

CREATE TABLE dav_props (
    path      TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    prefix    TEXT,
    xml       BLOB,
    PRIMARY KEY (path, namespace, name)
) STRICT;
