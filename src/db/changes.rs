//! Which rows that say who someone is a commit changed, for the memory that holds them.
//!
//! The server keeps sessions and logins in memory (`auth::cache`), so that a page costs no
//! database trip to learn who asks. A change to an account must reach that memory at once,
//! whoever made it:
//!
//! - **In this process**, SQLite's update hook on the one writer connection notes the rows of
//!   `users`, `sessions` and the three membership tables a transaction touches. After the
//!   commit, and before the caller hears it is done, the listener learns exactly which. No
//!   call site can forget to tell it: a foreign-key cascade, a trigger and the login's sweep
//!   of expired sessions are seen like any statement. A rolled-back transaction tells nothing.
//! - **Another process** (`cartable user passwd` over SSH, as the server's user) writes
//!   through its own connection, which the server's hook never sees. So a process that keeps
//!   nothing in memory (every one but the server) appends a byte to a small file beside the
//!   database after such a commit. The server compares that file's length with the one it
//!   last saw at each lookup (one `fstat`, no read, at most every tenth of a millisecond) and
//!   forgets everything it remembered when it grew. Appends are atomic between processes, so
//!   no lock is needed, and the file only grows with a maintainer's commands and provisioning
//!   at boot.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What one committed transaction changed, by rowid.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Accounts updated or deleted (their rowid is their id).
    pub users: Vec<i64>,
    /// Sessions updated or deleted, by rowid.
    pub sessions: Vec<i64>,
    /// A pupil, teacher or parent link added or removed: whose is not known from the rowid.
    pub memberships: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.sessions.is_empty() && !self.memberships
    }

    /// Notes one row, as the update hook reports it.
    pub(super) fn note(&mut self, action: rusqlite::hooks::Action, table: &str, rowid: i64) {
        use rusqlite::hooks::Action;
        let changed = matches!(action, Action::SQLITE_UPDATE | Action::SQLITE_DELETE);
        match table {
            "users" if changed => self.users.push(rowid),
            "sessions" if changed => self.sessions.push(rowid),
            "class_pupils" | "class_teachers" | "parent_links" => self.memberships = true,
            _ => {}
        }
    }
}

/// The counter shared between processes: the file's length. See the module's documentation.
pub struct Epoch {
    /// `None` when the file could not be opened: every check then says "changed", so that
    /// nothing is trusted from memory.
    file: Option<std::fs::File>,
    writable: bool,
    /// The length this process last saw.
    seen: AtomicU64,
    /// When it last looked, in nanoseconds since `opened`.
    looked: AtomicU64,
    opened: Instant,
}

/// How long a look at the file's length is trusted. A busy server looks up a session tens of
/// thousands of times a second; one `fstat` each was a twentieth of the CPU of serving a
/// static file with a session. A tenth of a millisecond is far below the time a command over
/// SSH takes to exit, let alone the next request of a person.
const LOOK_EVERY: Duration = Duration::from_micros(100);

impl Epoch {
    /// Opens the counter file at `path`, made (empty, mode 0660) if missing; read-only when
    /// this process may not write it: it still hears the others.
    pub fn open(path: &Path) -> Epoch {
        use std::os::unix::fs::OpenOptionsExt;
        let appending = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o660)
            .open(path);
        let (file, writable) = match appending {
            Ok(f) => (Some(f), true),
            Err(_) => (std::fs::File::open(path).ok(), false),
        };
        if file.is_none() {
            log::warn!(
                "{}: cannot be opened; sessions and logins are looked up in the database every time",
                path.display()
            );
        }
        let epoch = Epoch {
            file,
            writable,
            seen: AtomicU64::new(0),
            looked: AtomicU64::new(0),
            opened: Instant::now(),
        };
        epoch
            .seen
            .store(epoch.length().unwrap_or(0), Ordering::Release);
        epoch
    }

    fn length(&self) -> Option<u64> {
        Some(self.file.as_ref()?.metadata().ok()?.len())
    }

    /// Tells the processes that keep sessions in memory that this one committed a change to
    /// accounts, sessions or memberships.
    pub(super) fn bump(&self) {
        if let Some(mut f) = self.file.as_ref().filter(|_| self.writable)
            && let Err(e) = f.write_all(b".")
        {
            log::warn!("could not tell the server that accounts changed: {e}");
        }
    }

    /// Whether another process committed such a change since the last call that said so
    /// (looking at most every [`LOOK_EVERY`]).
    pub fn changed_elsewhere(&self) -> bool {
        let at = u64::try_from(self.opened.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let last = self.looked.load(Ordering::Acquire);
        if self.file.is_some() && at.saturating_sub(last) < LOOK_EVERY.as_nanos() as u64 {
            return false;
        }
        self.looked.store(at, Ordering::Release);
        let Some(now) = self.length() else {
            return true;
        };
        self.seen.swap(now, Ordering::AcqRel) != now
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bump_is_heard_once_by_the_other_process() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("epoch");
        let server = Epoch::open(&path);
        let later = || std::thread::sleep(LOOK_EVERY * 2);
        later();
        assert!(!server.changed_elsewhere());
        let cli = Epoch::open(&path);
        later();
        assert!(!server.changed_elsewhere(), "opening is no change");
        cli.bump();
        later();
        assert!(server.changed_elsewhere());
        later();
        assert!(!server.changed_elsewhere(), "told once");
        cli.bump();
        cli.bump();
        later();
        assert!(server.changed_elsewhere());
        cli.bump();
        assert!(
            !server.changed_elsewhere(),
            "a look is trusted for LOOK_EVERY"
        );
        later();
        assert!(server.changed_elsewhere(), "and then looked at again");
    }

    #[test]
    fn an_unreadable_counter_trusts_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let e = Epoch::open(&dir.path().join("missing-dir").join("epoch"));
        assert!(e.changed_elsewhere());
        assert!(e.changed_elsewhere());
    }
}
