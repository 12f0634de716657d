-- Forum. Categories have an audience the policy reads: the whole school, one class (made by
-- a trigger with the class, so no class is ever without its forum), the staff room, or a
-- set of roles the admin chose. Posts keep their Markdown source and the sanitised HTML made
-- from it when saved, so pages never render Markdown on the hot path.
CREATE TABLE forum_categories (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('school', 'class', 'staff', 'custom')),
    class_id    INTEGER UNIQUE REFERENCES classes (id) ON DELETE CASCADE,
    name        TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    -- For 'custom': the roles that see it, comma-separated (admin, staff, teacher, pupil, parent).
    roles       TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
) STRICT;

INSERT INTO forum_categories (kind, position, created_at) VALUES ('school', 0, unixepoch());
INSERT INTO forum_categories (kind, position, created_at) VALUES ('staff', 1, unixepoch());
INSERT INTO forum_categories (kind, class_id, position, created_at)
    SELECT 'class', id, 10, unixepoch() FROM classes;
CREATE TRIGGER forum_class_category AFTER INSERT ON classes BEGIN
    INSERT INTO forum_categories (kind, class_id, position, created_at)
    VALUES ('class', NEW.id, 10, unixepoch());
END;

CREATE TABLE forum_topics (
    id            INTEGER PRIMARY KEY,
    category_id   INTEGER NOT NULL REFERENCES forum_categories (id) ON DELETE CASCADE,
    author_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title         TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_post_id  INTEGER NOT NULL DEFAULT 0,
    last_post_at  INTEGER NOT NULL,
    posts         INTEGER NOT NULL DEFAULT 0,
    pinned        INTEGER NOT NULL DEFAULT 0,
    locked        INTEGER NOT NULL DEFAULT 0,
    hidden        INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX forum_topics_list ON forum_topics (category_id, pinned DESC, last_post_at DESC);

CREATE TABLE forum_posts (
    id         INTEGER PRIMARY KEY,
    topic_id   INTEGER NOT NULL REFERENCES forum_topics (id) ON DELETE CASCADE,
    author_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body       TEXT NOT NULL,     -- Markdown as written
    html       TEXT NOT NULL,     -- sanitised HTML made from it
    created_at INTEGER NOT NULL,
    edited_at  INTEGER,
    hidden     INTEGER NOT NULL DEFAULT 0,
    deleted    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX forum_posts_topic ON forum_posts (topic_id, id);
CREATE INDEX forum_posts_author ON forum_posts (author_id, created_at);

-- Every earlier version of an edited post.
CREATE TABLE forum_post_history (
    id        INTEGER PRIMARY KEY,
    post_id   INTEGER NOT NULL REFERENCES forum_posts (id) ON DELETE CASCADE,
    body      TEXT NOT NULL,
    edited_at INTEGER NOT NULL,
    editor_id INTEGER REFERENCES users (id) ON DELETE SET NULL
) STRICT;
CREATE INDEX forum_post_history_post ON forum_post_history (post_id, id);

-- How far each reader has read each topic.
CREATE TABLE forum_reads (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic_id     INTEGER NOT NULL REFERENCES forum_topics (id) ON DELETE CASCADE,
    last_post_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, topic_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE forum_reports (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES forum_posts (id) ON DELETE CASCADE,
    reporter_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    resolved_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    resolved_at INTEGER
) STRICT;
CREATE INDEX forum_reports_open ON forum_reports (resolved_at, created_at);

CREATE TABLE forum_mutes (
    category_id INTEGER NOT NULL REFERENCES forum_categories (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    until       INTEGER NOT NULL,
    muted_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (category_id, user_id)
) STRICT;

CREATE TABLE forum_notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('mention', 'reply')),
    topic_id   INTEGER NOT NULL REFERENCES forum_topics (id) ON DELETE CASCADE,
    post_id    INTEGER NOT NULL REFERENCES forum_posts (id) ON DELETE CASCADE,
    actor_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    seen       INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX forum_notifications_user ON forum_notifications (user_id, seen, id DESC);

-- Full-text search: accents folded, so "eleve" finds "élève". The rowid is the post's id;
-- the first post of a topic also carries the topic's title.
CREATE VIRTUAL TABLE forum_search USING fts5 (
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
