//! Numbered, forward-only migrations, embedded in the binary.
//!
//! `PRAGMA user_version` records how far a database has come. Each migration runs in its own
//! transaction with the version bump, so a crash leaves the database at one version or the
//! next, never between. A database from a newer binary is refused rather than guessed at.

use super::{Error, Result};
use rusqlite::Connection;

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
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let applied = conn
            .execute_batch(sql)
            .and_then(|_| conn.pragma_update(None, "user_version", version));
        match applied {
            Ok(()) => conn.execute_batch("COMMIT")?,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e.into());
            }
        }
        log::info!("database migrated to schema {version}");
    }
    Ok(())
}
