-- Homework drop boxes. A teacher opens an assignment for a class; each pupil hands files in.
-- The files themselves live under files/homework/<assignment>/<pupil>/; a row here records
-- each one and when it came, so lateness is derived (handed_in_at > due_at) and follows the
-- due date if it ever moves, and the record does not depend on a file's mtime, which a
-- client could set.
CREATE TABLE assignments (
    id           INTEGER PRIMARY KEY,
    class_id     INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    instructions TEXT NOT NULL DEFAULT '',
    due_at       INTEGER NOT NULL,   -- seconds since the epoch, UTC
    closed       INTEGER NOT NULL DEFAULT 0,
    created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX assignments_class ON assignments (class_id, due_at);

CREATE TABLE hand_ins (
    assignment_id INTEGER NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    pupil_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    file_name     TEXT NOT NULL,
    size          INTEGER NOT NULL,
    handed_in_at  INTEGER NOT NULL,
    PRIMARY KEY (assignment_id, pupil_id, file_name)
) STRICT;
