-- The offline library (issue #18): installed ZIM collections and who may read them.
-- The collections' bytes live in DATA/library (hard-linked or copied there by `library add`),
-- their full-text indexes in DATA/library/index, one SQLite file each: both stay out of the
-- main database, which backups copy whole.
CREATE TABLE library_collections (
    id            INTEGER PRIMARY KEY,
    -- The URL name: /library/<name>/<entry path>. Lower-case letters, digits, '-', '_', '.'.
    name          TEXT NOT NULL UNIQUE,
    -- The file (or first part of a split archive, `.zimaa`) under DATA/library.
    file          TEXT NOT NULL,
    -- The archive's UUID in hex: the same collection installed twice is refused, and it
    -- makes the entries' ETags.
    uuid          TEXT NOT NULL UNIQUE,
    size          INTEGER NOT NULL,
    article_count INTEGER NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL DEFAULT '',
    creator       TEXT NOT NULL DEFAULT '',
    publisher     TEXT NOT NULL DEFAULT '',
    date          TEXT NOT NULL DEFAULT '',
    -- The 48x48 PNG from the metadata, if any.
    illustration  BLOB,
    -- Who reads it besides staff: 'school' (everyone), 'staff', or 'classes' (the classes in
    -- library_collection_classes: their pupils and the pupils' parents).
    audience      TEXT NOT NULL DEFAULT 'school' CHECK (audience IN ('school', 'staff', 'classes')),
    -- Where it came from: 'cli' (`library add`), 'webdav' (the staff share's Library folder),
    -- 'usb' (a USB disk's library folder).
    source        TEXT NOT NULL DEFAULT 'cli',
    added_at      INTEGER NOT NULL,
    -- The full-text index: 'pending', 'building', 'ready' or 'failed' (index_error says why);
    -- index_done counts the articles indexed so far, for the admin page's progress.
    index_state   TEXT NOT NULL DEFAULT 'pending'
                  CHECK (index_state IN ('pending', 'building', 'ready', 'failed')),
    index_done    INTEGER NOT NULL DEFAULT 0,
    index_error   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE library_collection_classes (
    collection_id INTEGER NOT NULL REFERENCES library_collections (id) ON DELETE CASCADE,
    class_id      INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    PRIMARY KEY (collection_id, class_id)
) WITHOUT ROWID;

-- Files found (in the staff share's Library folder, on a USB disk) and refused, with the
-- reason, for the admin page. A file fixed or removed leaves this list at the next scan.
CREATE TABLE library_refused (
    path    TEXT PRIMARY KEY,
    source  TEXT NOT NULL,
    reason  TEXT NOT NULL,
    seen_at INTEGER NOT NULL
);
