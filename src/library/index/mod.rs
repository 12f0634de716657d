//! The library's own search index: one SQLite file per collection, at
//! [`index_path`](super::index_path), built in the background ([`worker`]) from the articles.
//!
//! Why our own: a ZIM's full-text index is Xapian, which nothing in Rust reads, and its title
//! index is sorted by bytes, so `ecole` never finds `École` there. Why a file per collection,
//! beside the collections rather than in `cartable.db`: Wikipedia's index is gigabytes, which
//! backups must not carry (it can be rebuilt from the collection), and a collection removed
//! takes its index with it in one `unlink`.
//!
//! Two tables:
//! - `articles`, FTS5 over the title and the text of every HTML article ([`text`]), with the
//!   `unicode61 remove_diacritics 2` tokenizer (case and accents folded); ranked by BM25 with
//!   the title weighing ten times the body. It is contentless: it keeps the words, not the
//!   text (which made the index 3.4 times the collection's size; now 1.1 times on the
//!   benchmark's generated collection, which is nearly all text; less on real ones, whose
//!   HTML and media weigh more than their text). A row's id is the article's entry number in the ZIM, where its title, path and
//!   text are read for the hits shown ([`snippet`]);
//! - `titles`, every article's title and every redirect's (collections spell alternative
//!   titles as redirects) under a folded key ([`fold`]), for suggestions as one types, with
//!   the title to show: a redirect's is its article's.
//!
//! A file here is complete or absent: the builder writes `<uuid>.sqlite.part` and renames it
//! into place when done, and the registry's `index_state` says `ready` only after that.

pub mod build;
pub mod find;
mod query;
pub mod snippet;
mod text;
pub mod worker;

pub use query::{Term, fold, fts_query, strip_arabic_marks, terms};
pub use text::{MAX_TEXT, bytes_to_text, html_to_text};

use rusqlite::{Connection, OpenFlags, params};
use serde::Serialize;
use std::path::Path;

/// The layout's version, in `meta`; a file with another is rebuilt.
pub const VERSION: &str = "2";

/// Suggestions given at most.
pub const MAX_SUGGESTIONS: usize = 10;
/// Title keys read from the prefix index for one suggestion, before ranking them. Keys sort by
/// bytes, so the shortest titles that start with the prefix come first among them.
const TITLE_SCAN: usize = 200;

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- Contentless: the words only; a row's id is the article's entry number in the ZIM.
CREATE VIRTUAL TABLE articles USING fts5 (
    title, body, content = '',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO articles (articles, rank) VALUES ('rank', 'bm25(10.0, 1.0)');
-- Every title that leads to an article: its own, and its redirects' (alternative spellings),
-- with the title to show (a redirect's article's).
CREATE TABLE titles (
    key TEXT NOT NULL, title TEXT NOT NULL, shown TEXT NOT NULL, path TEXT NOT NULL
);
";

/// Built after the rows are in: one sort instead of a B-tree grown row by row.
const TITLES_INDEX: &str = "CREATE INDEX titles_key ON titles (key)";

/// Opens a finished index to read it.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    c.busy_timeout(std::time::Duration::from_secs(2))?;
    let v: Option<String> = c
        .query_row("SELECT value FROM meta WHERE key = 'version'", [], |r| {
            r.get(0)
        })
        .ok();
    if v.as_deref() != Some(VERSION) {
        return Err(rusqlite::Error::InvalidQuery);
    }
    Ok(c)
}

/// A title that starts with what was typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TitleHit {
    /// The article's own title (a redirect's target's, when `key` is an alternative title).
    pub title: String,
    /// The entry's path in the collection (as `/library/<name>/<path>` serves it).
    pub path: String,
    /// The folded title that matched: the article's, or an alternative one's (a redirect).
    #[serde(skip)]
    pub key: String,
    /// The title that matched, as written.
    #[serde(skip)]
    pub matched: String,
}

/// How well a title answers a prefix: lower is better. Exact (folded) title first, then titles
/// that start with the prefix exactly as typed (accents and case), then shorter titles.
pub fn title_rank(typed: &str, folded: &str, hit: &TitleHit) -> (u8, u8, usize, String) {
    (
        u8::from(hit.key != folded),
        u8::from(!hit.matched.starts_with(typed)),
        hit.matched.chars().count(),
        hit.key.clone(),
    )
}

/// Up to `limit` titles whose folded form starts with `typed` folded, best first (see
/// [`title_rank`]); one per path (a redirect and its target are one article).
pub fn suggest(c: &Connection, typed: &str, limit: usize) -> rusqlite::Result<Vec<TitleHit>> {
    let folded = fold(typed.trim_start());
    if folded.is_empty() {
        return Ok(Vec::new());
    }
    let mut st = c.prepare_cached(
        "SELECT key, title, path, shown FROM titles \
         WHERE key >= ?1 AND key < ?2 ORDER BY key LIMIT ?3",
    )?;
    let mut hits: Vec<TitleHit> = st
        .query_map(
            params![folded, query::prefix_end(&folded), TITLE_SCAN as i64],
            |r| {
                Ok(TitleHit {
                    key: r.get(0)?,
                    matched: r.get(1)?,
                    path: r.get(2)?,
                    title: r.get(3)?,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    let typed = typed.trim_start();
    hits.sort_by_cached_key(|h| title_rank(typed, &folded, h));
    let mut seen = std::collections::HashSet::new();
    hits.retain(|h| seen.insert(h.path.clone()));
    hits.truncate(limit);
    Ok(hits)
}

pub use crate::forum::search::Piece;

/// An article that holds every word of the query: its entry number in the ZIM.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TextHit {
    pub entry: u32,
    /// BM25: lower is better; comparable enough between collections to merge their lists.
    pub score: f64,
}

/// The best `limit` articles for an FTS5 query (from [`fts_query`]), skipping `offset`:
/// ranking reads every match; titles and snippets are read from the collection for the hits
/// shown only.
pub fn search(
    c: &Connection,
    fts: &str,
    offset: usize,
    limit: usize,
) -> rusqlite::Result<Vec<TextHit>> {
    let mut st = c.prepare_cached(
        "SELECT rowid, rank FROM articles WHERE articles MATCH ?1 \
         ORDER BY rank LIMIT ?2 OFFSET ?3",
    )?;
    st.query_map(params![fts, limit as i64, offset as i64], |r| {
        Ok(TextHit {
            entry: u32::try_from(r.get::<_, i64>(0)?).unwrap_or(u32::MAX),
            score: r.get(1)?,
        })
    })?
    .collect()
}

/// How many articles match, counting no further than `cap` (a frequent word in Wikipedia
/// matches millions; "more than 10,000" says enough).
pub fn count(c: &Connection, fts: &str, cap: u64) -> rusqlite::Result<u64> {
    let mut st = c.prepare_cached(
        "SELECT count(*) FROM (SELECT rowid FROM articles WHERE articles MATCH ?1 LIMIT ?2)",
    )?;
    st.query_row(params![fts, cap as i64], |r| r.get::<_, i64>(0))
        .map(|n| n.max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(SCHEMA).unwrap();
        c.execute_batch(TITLES_INDEX).unwrap();
        // (entry, title, text, path); an empty text is a redirect to the entry's article.
        for (entry, title, body, path) in [
            (
                1,
                "École primaire",
                "L'école accueille les élèves.",
                "École_primaire",
            ),
            (
                2,
                "Écoles du monde",
                "Des écoles partout.",
                "Écoles_du_monde",
            ),
            (1, "Ecole", "", "École_primaire"),
            (3, "Garçon", "Un garçon va à l'école.", "Garçon"),
            (4, "مدرسة", "المدرسة مكان للتعلم", "مدرسة"),
        ] {
            let shown = if body.is_empty() {
                c.query_row("SELECT shown FROM titles WHERE path = ?1", [path], |r| {
                    r.get::<_, String>(0)
                })
                .unwrap()
            } else {
                c.execute(
                    "INSERT INTO articles (rowid, title, body) VALUES (?1, ?2, ?3)",
                    params![entry, title, body],
                )
                .unwrap();
                title.to_owned()
            };
            c.execute(
                "INSERT INTO titles (key, title, shown, path) VALUES (?1, ?2, ?3, ?4)",
                params![fold(title), title, shown, path],
            )
            .unwrap();
        }
        c
    }

    #[test]
    fn suggestions_fold_and_rank() {
        let c = sample();
        let titles = |q: &str| -> Vec<String> {
            suggest(&c, q, 10)
                .unwrap()
                .into_iter()
                .map(|h| h.title)
                .collect()
        };
        // The redirect "Ecole" is the exact match, shown as its target (listed once).
        assert_eq!(titles("ecole"), ["École primaire", "Écoles du monde"]);
        assert_eq!(titles("École p"), ["École primaire"]);
        assert_eq!(titles("GAR"), ["Garçon"]);
        assert_eq!(titles("مد"), ["مدرسة"]);
        assert!(titles("").is_empty());
        assert!(titles("zz").is_empty());
        // Prefix ends are exact: "ecole" does not find "ecolf".
        assert!(titles("ecole primairex").is_empty());
    }

    #[test]
    fn full_text_ranks_titles_first_and_keeps_no_text() {
        let c = sample();
        let q = fts_query("ecole").unwrap();
        let hits = search(&c, &q, 0, 10).unwrap();
        let entries: Vec<u32> = hits.iter().map(|h| h.entry).collect();
        assert_eq!(entries.len(), 3);
        // Titles weigh more: the articles titled with the word come first.
        assert_eq!(entries[2], 3, "{hits:?}");
        assert!(hits.windows(2).all(|w| w[0].score <= w[1].score));
        assert_eq!(count(&c, &q, 100).unwrap(), 3);
        assert_eq!(count(&c, &q, 2).unwrap(), 2);
        assert_eq!(search(&c, &q, 2, 10).unwrap(), hits[2..]);
        let q = fts_query("مدرسة").unwrap();
        assert_eq!(search(&c, &q, 0, 10).unwrap().len(), 1);
        // Contentless: the text is not in the index (snippets come from the collection).
        let body: Option<String> = c
            .query_row("SELECT body FROM articles WHERE rowid = 3", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(body, None);
    }
}
