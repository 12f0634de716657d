-- Blogs (issue #19): a class's (made with the class, by the trigger below), the school's (one,
-- made here), or a teacher's. See src/blog/ and src/auth/policy/blog.rs.
CREATE TABLE blogs (
    id          INTEGER PRIMARY KEY,
    owner       TEXT NOT NULL CHECK (owner IN ('class', 'school', 'teacher')),
    class_id    INTEGER REFERENCES classes (id) ON DELETE CASCADE,
    teacher_id  INTEGER REFERENCES users (id) ON DELETE CASCADE,
    -- Empty: the class's name, or the school's (they can change; a chosen title stays).
    title       TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    audience    TEXT NOT NULL DEFAULT 'class' CHECK (audience IN ('class', 'school', 'public')),
    comments    TEXT NOT NULL DEFAULT 'moderated' CHECK (comments IN ('off', 'moderated', 'open')),
    -- Pupils' posts wait for a teacher's approval (class blogs).
    approval    INTEGER NOT NULL DEFAULT 1 CHECK (approval IN (0, 1)),
    created_at  INTEGER NOT NULL,
    CHECK ((owner = 'class') = (class_id IS NOT NULL)),
    CHECK ((owner = 'teacher') = (teacher_id IS NOT NULL)),
    CHECK (owner = 'teacher' OR audience != 'class' OR owner = 'class')
) STRICT;
CREATE UNIQUE INDEX blogs_class ON blogs (class_id) WHERE class_id IS NOT NULL;
CREATE UNIQUE INDEX blogs_school ON blogs (owner) WHERE owner = 'school';
CREATE INDEX blogs_teacher ON blogs (teacher_id) WHERE teacher_id IS NOT NULL;

INSERT INTO blogs (owner, audience, comments, approval, created_at)
    VALUES ('school', 'school', 'moderated', 1, unixepoch());
INSERT INTO blogs (owner, class_id, created_at) SELECT 'class', id, unixepoch() FROM classes;
CREATE TRIGGER classes_blog AFTER INSERT ON classes BEGIN
    INSERT INTO blogs (owner, class_id, created_at) VALUES ('class', NEW.id, unixepoch());
END;

-- A post moves draft -> submitted -> published (and back to draft when its author takes it
-- back or a moderator returns it). Bodies are Markdown with their sanitised HTML.
CREATE TABLE blog_posts (
    id           INTEGER PRIMARY KEY,
    blog_id      INTEGER NOT NULL REFERENCES blogs (id) ON DELETE CASCADE,
    author_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    html         TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'published')),
    -- A moderator's word to the author when returning a post to draft.
    note         TEXT NOT NULL DEFAULT '',
    hidden       INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    created_at   INTEGER NOT NULL,
    edited_at    INTEGER NOT NULL,
    submitted_at INTEGER,
    published_at INTEGER,
    approved_by  INTEGER REFERENCES users (id) ON DELETE SET NULL
) STRICT;
CREATE INDEX blog_posts_published ON blog_posts (blog_id, published_at DESC) WHERE state = 'published';
CREATE INDEX blog_posts_waiting ON blog_posts (blog_id, submitted_at) WHERE state = 'submitted';
CREATE INDEX blog_posts_author ON blog_posts (author_id, edited_at DESC);

CREATE TABLE blog_comments (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES blog_posts (id) ON DELETE CASCADE,
    author_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body        TEXT NOT NULL,
    html        TEXT NOT NULL,
    -- 'waiting' for a moderator (a moderated blog), or 'published'.
    state       TEXT NOT NULL CHECK (state IN ('waiting', 'published')),
    hidden      INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    created_at  INTEGER NOT NULL,
    approved_by INTEGER REFERENCES users (id) ON DELETE SET NULL
) STRICT;
CREATE INDEX blog_comments_post ON blog_comments (post_id, created_at);
CREATE INDEX blog_comments_waiting ON blog_comments (state, created_at) WHERE state = 'waiting';

CREATE TABLE blog_reports (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES blog_posts (id) ON DELETE CASCADE,
    comment_id  INTEGER REFERENCES blog_comments (id) ON DELETE CASCADE,
    reporter_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    resolved_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    resolved_at INTEGER
) STRICT;
CREATE INDEX blog_reports_open ON blog_reports (resolved_at, created_at);

-- Each person's secret for the Atom feeds of the private blogs they read (see src/feeds.rs).
CREATE TABLE blog_feeds (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;

-- A post's images and files; their bytes are DATA/blogs/<id> (see src/blog/media.rs).
CREATE TABLE blog_media (
    id         INTEGER PRIMARY KEY,
    post_id    INTEGER NOT NULL REFERENCES blog_posts (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    mime       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    -- An image's size in pixels (NULL for another file).
    width      INTEGER,
    height     INTEGER,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX blog_media_post ON blog_media (post_id);

-- Posts' words for /blogs/search (rowid = the post's id); kept by src/blog/posts.rs.
CREATE VIRTUAL TABLE blog_search USING fts5 (
    title, body,
    tokenize = 'unicode61 remove_diacritics 2'
);
