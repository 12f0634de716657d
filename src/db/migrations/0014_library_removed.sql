-- Collections an admin removed (issue #18), by their ZIM UUID: a file still in the staff
-- share's Library folder or on a USB disk is not added back by the next scan, nor after a
-- restart. `cartable library add` and the admin page's "add it again" lift the removal.
CREATE TABLE library_removed (
    uuid       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    removed_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Why a file was refused, as a key the admin page translates (`library_admin-refused-KIND`);
-- `reason` keeps the reader's own words beside it.
ALTER TABLE library_refused ADD COLUMN kind TEXT NOT NULL DEFAULT 'other';
