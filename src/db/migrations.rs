//! Numbered, forward-only migrations, embedded in the binary.
//!
//! `PRAGMA user_version` records how far a database has come. Each migration runs in its own
//! transaction with the version bump, so a crash leaves the database at one version or the
//! next, never between. A database from a newer binary is refused rather than guessed at.
//!
//! Foreign keys are off while migrations run, as SQLite's procedure for rebuilding a table
//! requires (with them on, dropping the old `users` would cascade into every table that
//! points at it); each migration checks them with `PRAGMA foreign_key_check` before its
//! commit instead, so a migration that breaks a reference rolls back.

use super::{Error, Result};
use rusqlite::{Connection, OptionalExtension};

/// Every migration, in order. Append only: never edit or renumber one that has shipped.
pub const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_core.sql")),
    (2, include_str!("migrations/0002_trash.sql")),
    (3, include_str!("migrations/0003_dav.sql")),
    (4, include_str!("migrations/0004_homework.sql")),
    (5, include_str!("migrations/0005_mail.sql")),
    (6, include_str!("migrations/0006_forum.sql")),
    (7, include_str!("migrations/0007_school.sql")),
    (8, include_str!("migrations/0008_homework_book.sql")),
    (9, include_str!("migrations/0009_attendance.sql")),
    (10, include_str!("migrations/0010_idp.sql")),
    (11, include_str!("migrations/0011_languages.sql")),
    (12, include_str!("migrations/0012_library.sql")),
    (13, include_str!("migrations/0013_book_articles.sql")),
    (14, include_str!("migrations/0014_library_removed.sql")),
    (15, include_str!("migrations/0015_blogs.sql")),
    (16, include_str!("migrations/0016_ordered_lists.sql")),
];

pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(conn: &Connection) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > LATEST_VERSION {
        return Err(Error::TooNew {
            found,
            known: LATEST_VERSION,
        });
    }
    let pending: Vec<_> = MIGRATIONS.iter().filter(|(v, _)| *v > found).collect();
    if pending.is_empty() {
        return Ok(());
    }
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let outcome = pending
        .into_iter()
        .try_for_each(|(version, sql)| apply(conn, *version, sql));
    conn.pragma_update(None, "foreign_keys", "ON")?;
    outcome
}

fn apply(conn: &Connection, version: i64, sql: &str) -> Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let applied = conn
        .execute_batch(sql)
        .and_then(|_| broken_reference(conn))
        .and_then(|_| conn.pragma_update(None, "user_version", version));
    match applied {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e.into());
        }
    }
    log::info!("database migrated to schema {version}");
    Ok(())
}

/// An error naming the first row whose foreign key points nowhere, if any.
fn broken_reference(conn: &Connection) -> rusqlite::Result<()> {
    let broken: Option<(String, Option<i64>, String)> = conn
        .query_row("PRAGMA foreign_key_check", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    match broken {
        None => Ok(()),
        Some((table, row, parent)) => Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
            Some(format!(
                "row {} of {table} points to a missing {parent}",
                row.unwrap_or_default()
            )),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A school made before Portuguese and Arabic keeps every row and every reference through
    /// the rebuild of `users`, and the references still cascade afterwards.
    #[test]
    fn the_users_rebuild_keeps_rows_and_references() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        for (version, sql) in &MIGRATIONS[..10] {
            apply(&conn, *version, sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO users (id, username, display_name, role, language, created_at, updated_at)
                 VALUES (7, 'a.diallo', 'Aminata Diallo', 'pupil', 'fr', 1, 1),
                        (8, 't.marc', 'Marc T', 'teacher', NULL, 1, 1);
             INSERT INTO classes (id, name, school_year, created_at) VALUES (1, '6e A', '2026', 1);
             INSERT INTO class_pupils VALUES (1, 7);
             INSERT INTO class_teachers VALUES (1, 8);",
        )
        .unwrap();
        assert!(
            conn.execute("UPDATE users SET language = 'ar' WHERE id = 7", [])
                .is_err()
        );
        migrate(&conn).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, LATEST_VERSION);
        let fks: bool = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert!(fks, "foreign keys are on again");
        let (n, lang): (i64, String) = conn
            .query_row(
                "SELECT count(*), max(language) FROM users WHERE id IN (7, 8)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((n, lang.as_str()), (2, "fr"));
        conn.execute("UPDATE users SET language = 'ar' WHERE id = 7", [])
            .unwrap();
        assert!(
            conn.execute("UPDATE users SET language = 'Arabic' WHERE id = 7", [])
                .is_err()
        );
        // The class membership still points at the rebuilt table: deleting cascades.
        conn.execute("DELETE FROM users WHERE id = 7", []).unwrap();
        let left: i64 = conn
            .query_row("SELECT count(*) FROM class_pupils", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
        assert!(
            conn.execute("INSERT INTO class_teachers VALUES (1, 99)", [])
                .is_err(),
            "a reference to no one is refused"
        );
    }
}
