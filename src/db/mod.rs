//! The database layer: one SQLite file, one writer, a few readers.
//!
//! rusqlite is synchronous, so every call runs on tokio's blocking pool. Writes go through a
//! single connection behind a mutex (several SQLite writers only trade "database is locked"
//! errors, as lldap learnt); reads take one of a few pooled connections, which WAL lets run
//! beside the writer. `synchronous=FULL` makes every committed transaction durable before the
//! caller hears about it: what a user was told is saved survives a power cut.

mod changes;
pub mod check;
mod migrations;

pub use changes::{Changes, Epoch};
pub use migrations::{LATEST_VERSION, MIGRATIONS};

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// How many read connections are pooled; reads are short, so a few suffice on a small board.
const READERS: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "this database was written by a newer Cartable (schema {found}, this binary knows up to {known}); \
         install that version again or restore a backup"
    )]
    TooNew { found: i64, known: i64 },
    #[error("the database {path} failed its integrity check: {detail}; restore a backup")]
    Corrupt { path: PathBuf, detail: String },
    #[error("database task failed: {0}")]
    Task(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// Hears, after each commit and before the writer is released, what it changed.
type Listener = Box<dyn Fn(&Changes) + Send + Sync>;

struct Inner {
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    reader_slots: Arc<Semaphore>,
    /// What the writer's open transaction changed so far (filled by its update hook).
    pending: Arc<Mutex<Changes>>,
    listeners: Mutex<Vec<Listener>>,
    epoch: Arc<Epoch>,
}

/// A pooled reader on loan to one blocking task. The slot's permit travels with it, and both
/// go back together when the task ends, however it ends: a request dropped by its client
/// (hyper drops the future, the blocking task runs on) or a closure that panics can no
/// longer leave a free slot with no connection behind it.
struct Loan {
    inner: Arc<Inner>,
    conn: Option<Connection>,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl Drop for Loan {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.inner
                .readers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(conn);
        }
    }
}

/// A handle to the database, cheap to clone and shared by every door.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

impl Db {
    /// Opens (creating if needed) the database, checks what must hold before it is served
    /// (its header, every table's b-tree: [`check::quick`]; the schema version, while
    /// migrating) and migrates it. The full check is [`check::full`], run after start.
    pub fn open(path: &Path) -> Result<Db> {
        check::header(path)?;
        let writer = open_connection(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        let started = std::time::Instant::now();
        let problems = check::quick(&writer)?;
        if !problems.is_empty() {
            return Err(Error::Corrupt {
                path: path.to_owned(),
                detail: problems.join("; "),
            });
        }
        log::debug!(
            "database {} checked in {} ms",
            path.display(),
            started.elapsed().as_millis()
        );
        migrations::migrate(&writer)?;
        let pending = Arc::new(Mutex::new(Changes::default()));
        let noted = pending.clone();
        writer.update_hook(Some(move |action, _db: &str, table: &str, rowid| {
            noted
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .note(action, table, rowid)
        }))?;
        let mut epoch_path = path.as_os_str().to_owned();
        epoch_path.push("-changes");
        let epoch = Arc::new(Epoch::open(Path::new(&epoch_path)));
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let conn = open_connection(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            readers.push(conn);
        }
        Ok(Db {
            inner: Arc::new(Inner {
                writer: Mutex::new(writer),
                readers: Mutex::new(readers),
                reader_slots: Arc::new(Semaphore::new(READERS)),
                pending,
                listeners: Mutex::new(Vec::new()),
                epoch,
            }),
        })
    }

    /// Calls `f` after every commit that changed accounts, sessions or memberships, with
    /// what it changed, before the writer takes the next transaction. See [`changes`].
    pub fn on_commit(&self, f: impl Fn(&Changes) + Send + Sync + 'static) {
        self.inner
            .listeners
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Box::new(f));
    }

    /// The counter other processes move after changing accounts or sessions.
    pub fn epoch(&self) -> Arc<Epoch> {
        self.inner.epoch.clone()
    }

    /// Runs `f` with a read-only connection.
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let permit = self
            .inner
            .reader_slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| Error::Task(e.to_string()))?;
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let conn = inner
                .readers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .pop();
            let loan = Loan {
                inner: inner.clone(),
                conn,
                _permit: permit,
            };
            let conn = loan
                .conn
                .as_ref()
                .ok_or_else(|| Error::Task("no reader connection is free".into()))?;
            // One read transaction per call: a consistent snapshot, and one WAL read lock
            // instead of one per statement.
            match conn.unchecked_transaction() {
                Ok(tx) => f(&tx),
                Err(e) => Err(e.into()),
            }
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))?
    }

    /// Runs `f` inside one write transaction: it commits if `f` returns `Ok`, and rolls back
    /// otherwise, so a failed operation changes nothing.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> Result<T> + Send + 'static,
    {
        self.write_as(f).await
    }

    /// [`Db::write`] for a caller with its own error type (a domain refusal, say), which
    /// comes back as it was after the rollback.
    pub async fn write_as<T, E, F>(&self, f: F) -> std::result::Result<T, E>
    where
        T: Send + 'static,
        E: From<Error> + Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> std::result::Result<T, E> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = inner.writer.lock().unwrap_or_else(|p| p.into_inner());
            write_tx(&inner, &mut conn, f)
        })
        .await
        .map_err(|e| E::from(Error::Task(e.to_string())))?
    }

    /// The synchronous form of [`Db::write`], for the command line.
    pub fn write_blocking<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    {
        self.write_blocking_as(f)
    }

    /// The synchronous form of [`Db::write_as`].
    pub fn write_blocking_as<T, E, F>(&self, f: F) -> std::result::Result<T, E>
    where
        E: From<Error>,
        F: FnOnce(&rusqlite::Transaction<'_>) -> std::result::Result<T, E>,
    {
        let mut conn = self.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
        write_tx(&self.inner, &mut conn, f)
    }

    /// Copies the whole database to `dest` with SQLite's online backup, in one step under a
    /// read lock: a consistent snapshot even while the server writes, fsynced before return.
    pub fn snapshot(&self, dest: &Path) -> Result<()> {
        let conn = self.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = Connection::open(dest)?;
        {
            let backup = rusqlite::backup::Backup::new(&conn, &mut out)?;
            backup.step(-1)?;
        }
        out.pragma_update(None, "journal_mode", "DELETE")?;
        drop(out);
        std::fs::File::open(dest)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::Task(format!("{}: {e}", dest.display())))?;
        Ok(())
    }

    /// The synchronous form of [`Db::read`], for the command line.
    pub fn read_blocking<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Connection) -> Result<T>,
    {
        let conn = self.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
        f(&conn)
    }
}

fn write_tx<T, E, F>(inner: &Inner, conn: &mut Connection, f: F) -> std::result::Result<T, E>
where
    E: From<Error>,
    F: FnOnce(&rusqlite::Transaction<'_>) -> std::result::Result<T, E>,
{
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|e| E::from(e.into()))?;
    let out = f(&tx).and_then(|out| tx.commit().map(|()| out).map_err(|e| E::from(e.into())));
    // Rolled back or committed, what the hook noted is done with; only a commit is told.
    let changes = std::mem::take(&mut *inner.pending.lock().unwrap_or_else(|p| p.into_inner()));
    let out = out?;
    if !changes.is_empty() {
        let listeners = inner.listeners.lock().unwrap_or_else(|p| p.into_inner());
        // A process that listens keeps sessions in memory (the server); one that does not
        // tells the server.
        if listeners.is_empty() {
            inner.epoch.bump();
        }
        for listen in listeners.iter() {
            listen(&changes);
        }
    }
    Ok(out)
}

fn open_connection(path: &Path, flags: OpenFlags) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.set_prepared_statement_cache_capacity(64);
    // Plans made from the SQL alone, not from the values bound to it. Without this, SQLite
    // 3.51 compiles a statement again each time a `LIMIT ?` or `OFFSET ?` is bound, so a
    // cached statement was parsed and planned anew at every topic page (11% of its CPU).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_from_one_without_gaps() {
        for (i, (n, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*n, i as i64 + 1, "migration {n} is out of order");
        }
        assert_eq!(LATEST_VERSION, MIGRATIONS.len() as i64);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn readers_survive_dropped_requests_and_panics() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        // Requests whose clients leave while their read runs on: hyper drops the future.
        let mut gone = Vec::new();
        for _ in 0..READERS * 2 {
            let db = db.clone();
            gone.push(tokio::spawn(async move {
                db.read(|c| {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?)
                })
                .await
            }));
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        for g in &gone {
            g.abort();
        }
        // A read that panics.
        let panicked = db
            .read(|_| -> Result<()> { panic!("a bug in a read") })
            .await;
        assert!(matches!(panicked, Err(Error::Task(_))));
        // Every slot still has its connection.
        let mut all = Vec::new();
        for _ in 0..READERS * 3 {
            let db = db.clone();
            all.push(tokio::spawn(async move {
                db.read(|c| Ok(c.query_row("SELECT 2", [], |r| r.get::<_, i64>(0))?))
                    .await
            }));
        }
        for a in all {
            assert_eq!(a.await.unwrap().unwrap(), 2);
        }
    }

    #[tokio::test]
    async fn cached_statements_are_not_compiled_again_for_new_limits() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        let reprepared = db
            .read(|c| {
                let mut stmt =
                    c.prepare_cached("SELECT id FROM users ORDER BY id LIMIT ?1 OFFSET ?2")?;
                for page in 0..3 {
                    stmt.query_map([10, page * 10], |r| r.get::<_, i64>(0))?
                        .for_each(drop);
                }
                Ok(stmt.get_status(rusqlite::StatementStatus::RePrepare))
            })
            .await
            .unwrap();
        assert_eq!(reprepared, 0);
    }

    #[test]
    fn a_newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        Db::open(&path).unwrap();
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .unwrap();
        drop(conn);
        match Db::open(&path) {
            Err(Error::TooNew { found, known }) => {
                assert_eq!(found, LATEST_VERSION + 1);
                assert_eq!(known, LATEST_VERSION);
            }
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("a newer database was accepted"),
        }
    }

    #[test]
    fn a_corrupt_database_fails_loudly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        std::fs::write(
            &path,
            b"this is not a database, just some bytes that are long enough",
        )
        .unwrap();
        assert!(Db::open(&path).is_err());
    }

    #[tokio::test]
    async fn commits_report_accounts_sessions_and_memberships_even_through_cascades() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        let heard = Arc::new(Mutex::new(Vec::<Changes>::new()));
        let h = heard.clone();
        db.on_commit(move |c| h.lock().unwrap().push(c.clone()));
        let setup = "INSERT INTO users (id, username, display_name, role, created_at, updated_at)
                     VALUES (7, 'a', 'A', 'pupil', 0, 0);
                     INSERT INTO classes (id, name, school_year, created_at) VALUES (1, 'c', 'y', 0);
                     INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, sid)
                     VALUES ('h', 7, 'x', 0, 0, 's');";
        db.write(move |tx| Ok(tx.execute_batch(setup)?))
            .await
            .unwrap();
        assert!(
            heard.lock().unwrap().is_empty(),
            "new rows change nothing known"
        );
        // A rolled-back transaction is not reported.
        let r: Result<()> = db
            .write(|tx| {
                tx.execute("UPDATE users SET role = 'teacher' WHERE id = 7", [])?;
                Err(Error::Task("refused".into()))
            })
            .await;
        assert!(r.is_err());
        assert!(heard.lock().unwrap().is_empty());
        db.write(|tx| Ok(tx.execute("INSERT INTO class_pupils VALUES (1, 7)", [])?))
            .await
            .unwrap();
        // Deleting the account deletes its session and membership by cascade.
        db.write(|tx| Ok(tx.execute("DELETE FROM users WHERE id = 7", [])?))
            .await
            .unwrap();
        let heard = heard.lock().unwrap();
        assert_eq!(heard.len(), 2);
        assert!(heard[0].memberships && heard[0].users.is_empty());
        assert_eq!(heard[1].users, vec![7]);
        assert_eq!(heard[1].sessions.len(), 1, "the cascade is seen");
        assert!(heard[1].memberships);
    }

    #[tokio::test]
    async fn a_failed_write_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        let r: Result<()> = db
            .write(|tx| {
                tx.execute("INSERT INTO settings (key, value) VALUES ('a', 'b')", [])?;
                tx.execute("INSERT INTO settings (key, value) VALUES ('a', 'c')", [])?;
                Ok(())
            })
            .await;
        assert!(r.is_err());
        let n: i64 = db
            .read(|c| {
                Ok(
                    c.query_row("SELECT count(*) FROM settings WHERE key = 'a'", [], |r| {
                        r.get(0)
                    })?,
                )
            })
            .await
            .unwrap();
        assert_eq!(n, 0);
    }
}
