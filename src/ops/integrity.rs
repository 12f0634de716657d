//! The full database check, once per start, in the background.
//!
//! The start path only checks what must hold before serving (src/db/check.rs); the full
//! check (`PRAGMA integrity_check`, FTS5's search index included) takes seconds per 100,000
//! forum posts, so the server runs it after its listeners are up, on a thread of its own at
//! the lowest CPU priority, with a read-only connection of its own (a pooled reader held for
//! seconds would slow every page). Its outcome is a small JSON file in the data directory,
//! written atomically, rather than a row: a damaged database is the last place to record that
//! it is damaged, and `cartable status`, run as another process, reads it as it reads the last
//! backup's. A problem goes to the journal as an error that says what to do.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

/// Where the last check's outcome is kept, in the data directory.
pub const FILE: &str = "integrity.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Running,
    Ok,
    Problem,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub state: State,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    /// How long the check took, in milliseconds.
    pub took_ms: Option<u64>,
    /// What SQLite found, or why the check could not run.
    pub problems: Vec<String>,
    /// The server process that runs it: a `running` record whose process is gone was cut
    /// short (the server stopped first).
    pub pid: u32,
    /// Which start wrote it, so that a check finishing late does not overwrite a newer one's.
    pub run: String,
}

/// What a maintainer should do about a problem, said wherever one is reported.
pub const ADVICE: &str = "the database is damaged: restore the last backup made before this \
    date (`cartable restore --from ARCHIVE` into a new data directory, then swap it in with the \
    service stopped), and keep the older backups, since the ones made from now on carry the damage";

pub fn last(data: &Path) -> Option<Record> {
    serde_json::from_str(&std::fs::read_to_string(data.join(FILE)).ok()?).ok()
}

impl Record {
    /// Still `running`, but the process that ran it is gone.
    pub fn interrupted(&self) -> bool {
        self.state == State::Running && !Path::new(&format!("/proc/{}", self.pid)).exists()
    }
}

fn write(data: &Path, r: &Record) {
    let json = serde_json::to_vec(r).unwrap_or_default();
    if let Err(e) = crate::tls::write_atomic(&data.join(FILE), &json, false) {
        log::warn!("could not record the database check: {e}");
    }
}

/// Holds the background check back until released. Tests use it to look at a server whose
/// full check has certainly not finished, without guessing at times.
#[derive(Debug, Clone, Default)]
pub struct Hold(Arc<(Mutex<bool>, Condvar)>);

impl Hold {
    pub fn release(&self) {
        *self.0.0.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.0.1.notify_all();
    }

    fn wait(&self) {
        let mut open = self.0.0.lock().unwrap_or_else(|p| p.into_inner());
        while !*open {
            open = self.0.1.wait(open).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// A check about to run: recorded as `running` before the server answers anyone, so that
/// whoever looks meanwhile sees that it has not finished.
pub struct Pending {
    data: PathBuf,
    record: Record,
}

/// Records that a check is starting.
pub fn begin(data: &Path) -> Pending {
    let record = Record {
        state: State::Running,
        started_at: crate::now(),
        finished_at: None,
        took_ms: None,
        problems: Vec::new(),
        pid: std::process::id(),
        run: crate::random_token(8),
    };
    write(data, &record);
    Pending {
        data: data.to_owned(),
        record,
    }
}

impl Pending {
    /// Runs the check on a thread of its own, at the lowest CPU priority (and so, on Linux,
    /// the lowest best-effort I/O priority), after `hold` is released if there is one.
    pub fn spawn(self, hold: Option<Hold>) -> std::thread::JoinHandle<()> {
        std::thread::Builder::new()
            .name("integrity-check".into())
            .spawn(move || {
                // Linux's nice value belongs to the thread: the server's others keep theirs.
                if let Err(e) =
                    rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19)
                {
                    log::debug!("the database check keeps its priority: {e}");
                }
                if let Some(h) = hold {
                    h.wait();
                }
                self.run();
            })
            .expect("a thread for the database check")
    }

    fn run(mut self) {
        let started = std::time::Instant::now();
        let found = crate::db::check::full(&self.data.join("cartable.db"))
            .unwrap_or_else(|e| vec![format!("the check could not run: {e}")]);
        let r = &mut self.record;
        r.finished_at = Some(crate::now());
        r.took_ms = Some(started.elapsed().as_millis() as u64);
        r.state = if found.is_empty() {
            State::Ok
        } else {
            State::Problem
        };
        r.problems = found;
        // A newer start owns the record now (a test's second server on the same folder).
        if last(&self.data).is_some_and(|now| now.run != r.run) {
            return;
        }
        write(&self.data, r);
        match r.state {
            State::Ok => log::info!(
                "database check: no damage found ({} ms)",
                r.took_ms.unwrap_or(0)
            ),
            _ => log::error!("database check: {}; {ADVICE}", r.problems.join("; ")),
        }
    }
}

/// The check's line in `cartable status`.
pub fn line(r: Option<&Record>) -> String {
    let t = crate::clock::format_local;
    let Some(r) = r else {
        return "database check: not run yet (it runs after each start)".into();
    };
    match r.state {
        State::Running if r.interrupted() => format!(
            "database check: interrupted (started {}; the server stopped first; it runs again \
             at the next start)",
            t(r.started_at)
        ),
        State::Running => format!("database check: running since {}", t(r.started_at)),
        State::Ok => format!(
            "database check: ok ({}, {:.1} s)",
            t(r.finished_at.unwrap_or(r.started_at)),
            r.took_ms.unwrap_or(0) as f64 / 1000.0
        ),
        State::Problem => format!(
            "database check: PROBLEM found {}: {}. WARNING: {ADVICE}",
            t(r.finished_at.unwrap_or(r.started_at)),
            r.problems.join("; ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_records_running_then_its_outcome() {
        let dir = tempfile::tempdir().unwrap();
        crate::db::Db::open(&dir.path().join("cartable.db")).unwrap();
        let hold = Hold::default();
        let thread = begin(dir.path()).spawn(Some(hold.clone()));
        let r = last(dir.path()).unwrap();
        assert_eq!(r.state, State::Running);
        assert!(!r.interrupted());
        assert!(line(Some(&r)).contains("running since"));
        hold.release();
        thread.join().unwrap();
        let r = last(dir.path()).unwrap();
        assert_eq!(r.state, State::Ok, "{r:?}");
        assert!(line(Some(&r)).starts_with("database check: ok"));
    }

    #[test]
    fn a_late_check_leaves_a_newer_start_s_record_alone() {
        let dir = tempfile::tempdir().unwrap();
        crate::db::Db::open(&dir.path().join("cartable.db")).unwrap();
        let hold = Hold::default();
        let old = begin(dir.path()).spawn(Some(hold.clone()));
        let newer = begin(dir.path());
        hold.release();
        old.join().unwrap();
        assert_eq!(last(dir.path()).unwrap().run, newer.record.run);
    }

    #[test]
    fn a_check_cut_short_says_so() {
        let r = Record {
            state: State::Running,
            started_at: 0,
            finished_at: None,
            took_ms: None,
            problems: Vec::new(),
            pid: u32::MAX,
            run: String::new(),
        };
        assert!(r.interrupted());
        assert!(line(Some(&r)).contains("interrupted"));
    }
}
