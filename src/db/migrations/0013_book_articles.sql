-- Library articles a homework book entry links to (issue #18): "read this" for the class.
-- By collection name and entry path, with the title as it was when chosen; a collection
-- removed later leaves the link, which then says the article is not available.
CREATE TABLE book_entry_articles (
    entry_id   INTEGER NOT NULL REFERENCES book_entries (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    collection TEXT NOT NULL,
    path       TEXT NOT NULL,
    title      TEXT NOT NULL,
    PRIMARY KEY (entry_id, position)
) WITHOUT ROWID;
