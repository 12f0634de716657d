-- WebDAV: locks, kept across restarts, and dead properties set by clients (PROPPATCH).
CREATE TABLE dav_locks (
    token      TEXT PRIMARY KEY,
    path       TEXT NOT NULL,        -- the locked resource, below /dav/
    principal  INTEGER REFERENCES users (id) ON DELETE CASCADE,
    owner_xml  TEXT,
    deep       INTEGER NOT NULL,     -- Depth: infinity
    shared     INTEGER NOT NULL,
    expires_at INTEGER               -- NULL: no timeout
) STRICT;
CREATE INDEX dav_locks_path ON dav_locks (path);

CREATE TABLE dav_props (
    path      TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    xml       BLOB NOT NULL,
    PRIMARY KEY (path, namespace, name)
) STRICT;
