-- Attendance: the registers teachers take, lesson by lesson, and what becomes of each absence
-- or lateness afterwards (the office's reason and decision, the family's justification).
--
-- A register is one class, one day, one lesson (its start time, `slot`): taking it again
-- edits it. Everyone is present unless marked, so only the marks are stored: a pupil with no
-- row in `attendance_marks` for a register was there. A mark keeps the office's decision and
-- the family's note when the teacher edits the register again, as long as the pupil stays
-- marked; marking them present again removes the mark and what was said about it.
CREATE TABLE registers (
    id        INTEGER PRIMARY KEY,
    class_id  INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    day       TEXT NOT NULL,             -- YYYY-MM-DD, the school's local date
    slot      TEXT NOT NULL,             -- HH:MM, the lesson's start
    subject   TEXT NOT NULL DEFAULT '',
    taken_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    taken_at  INTEGER NOT NULL,
    edited_at INTEGER,
    UNIQUE (class_id, day, slot)
) STRICT;
CREATE INDEX registers_day ON registers (day);

CREATE TABLE attendance_marks (
    id            INTEGER PRIMARY KEY,
    register_id   INTEGER NOT NULL REFERENCES registers (id) ON DELETE CASCADE,
    pupil_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('absent', 'late')),
    minutes_late  INTEGER NOT NULL DEFAULT 0 CHECK (minutes_late BETWEEN 0 AND 600),
    -- The office's side: why, and whether the school accepts it.
    reason        TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'justified', 'unjustified')),
    decided_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at    INTEGER,
    -- The family's side: a parent's justification, as written.
    family_note   TEXT,
    family_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    family_at     INTEGER,
    UNIQUE (register_id, pupil_id)
) STRICT;
CREATE INDEX attendance_marks_pupil ON attendance_marks (pupil_id);
CREATE INDEX attendance_marks_status ON attendance_marks (status);
