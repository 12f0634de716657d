-- School life: news and the agenda. Both are addressed the same way (`SchoolAudience` in
-- src/auth/policy.rs): the whole school, the staff, every parent, or a set of classes (their
-- pupils, teachers and parents, or only those parents), the classes in a link table. The
-- homework book and the registers to come are keyed by the same class ids (and an exam event
-- can be pointed at by id), so a class's day joins across all of them; a parent reaches them
-- all through parent_links and class_pupils.
CREATE TABLE news (
    id         INTEGER PRIMARY KEY,
    author_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,     -- Markdown as written
    html       TEXT NOT NULL,     -- sanitised HTML made from it
    audience   TEXT NOT NULL
               CHECK (audience IN ('school', 'staff', 'classes', 'parents', 'class_parents')),
    must_read  INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    edited_at  INTEGER
) STRICT;
CREATE INDEX news_created ON news (created_at DESC);

CREATE TABLE news_classes (
    news_id  INTEGER NOT NULL REFERENCES news (id) ON DELETE CASCADE,
    class_id INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    PRIMARY KEY (news_id, class_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX news_classes_class ON news_classes (class_id);

-- "I have read it" on a must-read item.
CREATE TABLE news_reads (
    news_id INTEGER NOT NULL REFERENCES news (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    read_at INTEGER NOT NULL,
    PRIMARY KEY (news_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX news_reads_user ON news_reads (user_id);

-- Events. starts_at and ends_at (Unix seconds) order and place every event; an all-day event
-- also keeps its days as typed (first_day, last_day, inclusive, YYYY-MM-DD), its times being
-- the school's local midnights around them, so that a calendar gets the very days whatever
-- the time zone. A timed event with no end has ends_at = starts_at.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    author_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('trip', 'exam', 'meeting', 'other')),
    audience    TEXT NOT NULL
                CHECK (audience IN ('school', 'staff', 'classes', 'parents', 'class_parents')),
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL CHECK (ends_at >= starts_at),
    first_day   TEXT,
    last_day    TEXT,
    place       TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    edited_at   INTEGER,
    -- Bumped at each change, for calendars (iCalendar's SEQUENCE).
    sequence    INTEGER NOT NULL DEFAULT 0,
    CHECK ((first_day IS NULL) = (last_day IS NULL))
) STRICT;
CREATE INDEX events_starts ON events (starts_at);
CREATE INDEX events_ends ON events (ends_at);

CREATE TABLE event_classes (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    class_id INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, class_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_classes_class ON event_classes (class_id);

-- Each account's calendar feed: the secret in its address is random; only its SHA-256 is
-- kept, so a copied database opens no one's calendar. A new link replaces the old one.
CREATE TABLE agenda_feeds (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;
