-- The homework book (cahier de textes): for each lesson of a class, what was done and what is
-- due for when. Days are kept as typed (YYYY-MM-DD, the school's local calendar), since a
-- lesson and a due date are days rather than instants, and the week view selects on them by
-- plain text comparison. The subject is free text (see src/school/book/mod.rs for why); the
-- form offers the subjects already used in the class. An entry may point at one of its
-- class's homework drop boxes (assignments); deleting the drop box leaves the entry.
CREATE TABLE book_entries (
    id            INTEGER PRIMARY KEY,
    class_id      INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    author_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    subject       TEXT NOT NULL CHECK (subject <> ''),
    lesson_day    TEXT NOT NULL,
    done          TEXT NOT NULL DEFAULT '',   -- what was done in the lesson (plain text)
    work          TEXT NOT NULL DEFAULT '',   -- what is to be done for due_day (plain text)
    due_day       TEXT,
    assignment_id INTEGER REFERENCES assignments (id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    edited_at     INTEGER,
    CHECK (done <> '' OR work <> ''),
    CHECK ((work = '') = (due_day IS NULL)),
    CHECK (due_day IS NULL OR due_day >= lesson_day)
) STRICT;
CREATE INDEX book_entries_lesson ON book_entries (class_id, lesson_day);
CREATE INDEX book_entries_due ON book_entries (class_id, due_day) WHERE due_day IS NOT NULL;

-- Files attached to an entry: copies of files the author chose from their own space, kept
-- under files/book/<entry>/<attachment id> (the name on disk is the id, never a name a person
-- typed), so that the class downloads them through the book's own door and the author may go
-- on changing or deleting their originals.
CREATE TABLE book_attachments (
    id        INTEGER PRIMARY KEY,
    entry_id  INTEGER NOT NULL REFERENCES book_entries (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    size      INTEGER NOT NULL,
    added_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX book_attachments_entry ON book_attachments (entry_id);
