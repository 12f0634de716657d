//! Integrity checks of the database file, in two sizes.
//!
//! Before the server answers anyone, it must know that the file is an SQLite database and that
//! every table's and index's b-tree is sound; that has to stay quick however big the forum
//! grows, since `cartable update` wants the new version healthy within 90 s on an ARM board.
//! `PRAGMA quick_check` no longer is: since SQLite 3.44 it also calls each virtual table's
//! `xIntegrity`, and FTS5's ignores "quick" and verifies the whole search index against its
//! content (1.2 s of the 1.3 s it took with 100,000 forum posts on the development machine).
//! So the start path runs [`quick`]: `PRAGMA quick_check(TABLE)` on every ordinary table,
//! FTS5's shadow tables included (their b-trees are cheap to walk), and on no virtual table.
//!
//! What that leaves out — the search index's consistency, the freelist, pages that no tree
//! or two trees claim, and the rows of each index against its table — [`full`] checks with
//! `PRAGMA integrity_check`, which runs FTS5's `xIntegrity` with the same checksum its
//! `'integrity-check'` command uses. It takes seconds, so the server runs it in the background
//! after start (src/ops/integrity.rs), and `cartable check` runs it by hand.

use super::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::io::Read;
use std::path::Path;

/// The first 16 bytes of every SQLite database file.
const MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// At most this many problems are reported by one check: the first ones say what is wrong.
const MAX_PROBLEMS: usize = 20;

fn corrupt(path: &Path, detail: impl Into<String>) -> Error {
    Error::Corrupt {
        path: path.to_owned(),
        detail: detail.into(),
    }
}

/// Refuses a file that is not an SQLite database (an absent or empty one is a new database),
/// with a clearer word than SQLite's "file is not a database".
pub fn header(path: &Path) -> Result<()> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(corrupt(path, format!("it cannot be read ({e})"))),
    };
    let mut head = [0u8; 100];
    let mut got = 0;
    while got < head.len() {
        match file.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => return Err(corrupt(path, format!("it cannot be read ({e})"))),
        }
    }
    if got == 0 {
        return Ok(());
    }
    if got < head.len() || &head[..16] != MAGIC {
        return Err(corrupt(
            path,
            "its header is not an SQLite database's (the file is damaged, or is not a database)",
        ));
    }
    Ok(())
}

/// The ordinary tables of the main database, FTS5's shadow tables and `sqlite_schema`
/// included, virtual tables left out.
fn ordinary_tables(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'shadow')",
    )?;
    stmt.query_map([], |r| r.get(0))?.collect()
}

/// The lines of one integrity pragma that are not `ok`. Damage bad enough that SQLite stops
/// the check ("database disk image is malformed") is one more problem found, not a failure
/// to check.
fn problems(conn: &Connection, pragma: &str, out: &mut Vec<String>) -> rusqlite::Result<()> {
    let result = (|| -> rusqlite::Result<()> {
        let mut stmt = conn.prepare(pragma)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let line: String = row.get(0)?;
            if line != "ok" && out.len() < MAX_PROBLEMS {
                out.push(line);
            }
        }
        Ok(())
    })();
    match result {
        Err(rusqlite::Error::SqliteFailure(e, msg))
            if matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase
            ) =>
        {
            out.push(msg.unwrap_or_else(|| e.to_string()));
            Ok(())
        }
        other => other,
    }
}

/// The start path's check: every ordinary table's b-tree and its indexes, no virtual table.
/// Returns the problems found (none: the database may be served).
pub fn quick(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for table in ordinary_tables(conn)? {
        let quoted = table.replace('\'', "''");
        problems(
            conn,
            &format!("PRAGMA main.quick_check('{quoted}')"),
            &mut out,
        )?;
    }
    Ok(out)
}

/// The full check, on a read-only connection of its own: every b-tree, index and constraint,
/// the freelist, and each FTS5 index against its content. Returns the problems found.
pub fn full(path: &Path) -> Result<Vec<String>> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    let mut out = Vec::new();
    problems(
        &conn,
        &format!("PRAGMA main.integrity_check({MAX_PROBLEMS})"),
        &mut out,
    )?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    /// A database with a few forum posts, and their search rows, as the forum writes them.
    fn forum_db(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("t.db");
        Db::open(&path).unwrap();
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "INSERT INTO forum_topics (category_id, title, created_at, last_post_at)
                 VALUES (1, 'Sortie au musée', 0, 0);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
             INSERT INTO forum_posts (topic_id, body, html, created_at)
                 SELECT 1, printf('message %d sur la sortie au musée, les devoirs de %d', i, i % 7),
                        '', i FROM n;
             INSERT INTO forum_search (rowid, title, body) SELECT id, '', body FROM forum_posts;",
        )
        .unwrap();
        path
    }

    #[test]
    fn a_sound_database_passes_both_checks() {
        let dir = tempfile::tempdir().unwrap();
        let path = forum_db(dir.path());
        let conn = Connection::open(&path).unwrap();
        let tables = ordinary_tables(&conn).unwrap();
        for t in [
            "sqlite_schema",
            "forum_posts",
            "forum_search_data",
            "forum_search_content",
        ] {
            assert!(
                tables.iter().any(|n| n == t),
                "{t} is not checked: {tables:?}"
            );
        }
        assert!(!tables.iter().any(|n| n == "forum_search"), "{tables:?}");
        assert_eq!(quick(&conn).unwrap(), Vec::<String>::new());
        assert_eq!(full(&path).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn a_search_index_out_of_step_is_left_to_the_full_check() {
        let dir = tempfile::tempdir().unwrap();
        let path = forum_db(dir.path());
        let conn = Connection::open(&path).unwrap();
        conn.execute(
            "UPDATE forum_search_content SET c1 = 'texte changé derrière l''index' WHERE id = 5",
            [],
        )
        .unwrap();
        assert_eq!(quick(&conn).unwrap(), Vec::<String>::new());
        let found = full(&path).unwrap();
        assert!(
            found.iter().any(|p| p.contains("forum_search")),
            "{found:?}"
        );
    }

    #[test]
    fn a_damaged_table_fails_the_quick_check() {
        let dir = tempfile::tempdir().unwrap();
        let path = forum_db(dir.path());
        let (page, size): (i64, i64) = {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
            let root = conn
                .query_row(
                    "SELECT rootpage FROM sqlite_schema WHERE name = 'forum_posts'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            (
                root,
                conn.query_row("PRAGMA page_size", [], |r| r.get(0))
                    .unwrap(),
            )
        };
        // Scribble over the table's root page, past its header.
        let mut bytes = std::fs::read(&path).unwrap();
        let at = ((page - 1) * size) as usize;
        for b in &mut bytes[at + 12..at + size as usize] {
            *b = 0x5a;
        }
        std::fs::write(&path, &bytes).unwrap();
        let conn = Connection::open(&path).unwrap();
        assert!(!quick(&conn).unwrap().is_empty());
    }

    #[test]
    fn a_file_that_is_no_database_is_named_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        assert!(header(&path).is_ok(), "an absent file is a new database");
        std::fs::write(&path, b"").unwrap();
        assert!(header(&path).is_ok(), "an empty file is a new database");
        std::fs::write(&path, vec![b'x'; 4096]).unwrap();
        match header(&path) {
            Err(Error::Corrupt { detail, .. }) => assert!(detail.contains("header"), "{detail}"),
            other => panic!("{other:?}"),
        }
    }
}
