//! The background indexer: builds the index of each collection whose `index_state` is
//! `pending`, one collection at a time, while the server serves.
//!
//! A task started with the server looks for pending collections at start, every
//! [`POLL`], and at once when [`wake`] is called (after an install). Each build runs on a
//! thread of its own at the lowest CPU priority (nice 19, as the database check does), and
//! pauses between batches: on a two-core board, readers must not notice an encyclopaedia
//! being indexed. Progress goes to the registry at most once a second, for the admin page.
//!
//! What can go wrong, and what happens:
//! - the process is killed mid-build: the registry says `building` and a part file lies in
//!   `index/`; the next start ([`recover`]) deletes every part file and sets such collections
//!   back to `pending`, and the build starts over (an index is small beside its collection,
//!   and half an FTS5 index cannot be trusted to resume);
//! - the collection cannot be read: `failed`, with the reader's message for the admin page;
//! - the collection is removed while it is being indexed: the build stops after its batch and
//!   deletes its part file (and a finished file, had the removal come just before the
//!   rename);
//! - the server stops (a test's server dropped): the build stops after its batch.
//!
//! One lock file (`index/.lock`) is held around each build and the recovery: two servers on
//! one data directory cannot run (the data directory is locked), but a stopped server's build
//! may still be finishing its batch when the next one starts, and must not delete the new
//! one's part file.

use super::build::{self, BuildError, remove_part};
use crate::app::App;
use crate::db::Db;
use crate::library::registry::{self, Collection, IndexState};
use crate::library::zim::{self, Archive, ClusterCache};
use nix::fcntl::{Flock, FlockArg};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// How often pending collections are looked for without being woken.
pub const POLL: Duration = Duration::from_secs(30);
/// The pause after each batch: the web server's turn.
const PAUSE: Duration = Duration::from_millis(5);
/// Progress written to the registry at most this often.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);
/// The builder's own cluster cache: a few clusters, read in order, each once.
const BUILD_CACHE: usize = 8 << 20;

static WAKE: Notify = Notify::const_new();

/// Tells the indexers to look for pending collections now (call it after an install).
pub fn wake() {
    WAKE.notify_waiters();
}

/// The running indexer; dropping it (with the server's `Running`) stops it after its batch.
pub struct Indexer {
    stop: Arc<AtomicBool>,
    stopped: Arc<Notify>,
}

impl Drop for Indexer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.stopped.notify_one();
    }
}

/// Starts the indexer of `app`'s library.
pub fn spawn(app: &App) -> Indexer {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::new(Notify::new());
    let (db, dir) = (app.db.clone(), app.library.dir().to_owned());
    let (s, n) = (stop.clone(), stopped.clone());
    tokio::spawn(async move { run(db, dir, s, n).await });
    Indexer { stop, stopped }
}

async fn run(db: Db, dir: PathBuf, stop: Arc<AtomicBool>, stopped: Arc<Notify>) {
    let (d, l) = (db.clone(), dir.clone());
    match tokio::task::spawn_blocking(move || recover(&d, &l)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => log::warn!("library index: recovery: {e}"),
        Err(e) => log::warn!("library index: recovery: {e}"),
    }
    loop {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        // Listening before looking: a wake between the look and the wait is not lost.
        let woken = WAKE.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        let next = db
            .read(|c| {
                let mut pending: Vec<Collection> = registry::list(c)?
                    .into_iter()
                    // A collection whose file is missing (after a restore: backups carry the
                    // registry, not the files) waits for it, pending, rather than failing.
                    .filter(|c| c.index == IndexState::Pending && c.file.is_file())
                    .collect();
                pending.sort_by_key(|c| (c.added_at, c.id.0));
                Ok(pending.into_iter().next())
            })
            .await;
        match next {
            Ok(Some(c)) => {
                let (tx, rx) = tokio::sync::oneshot::channel();
                let (d, l, s) = (db.clone(), dir.clone(), stop.clone());
                let spawned = std::thread::Builder::new()
                    .name("library-index".into())
                    .spawn(move || {
                        // The nice value is the thread's own: the server's others keep theirs.
                        if let Err(e) =
                            rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19)
                        {
                            log::debug!("the library indexer keeps its priority: {e}");
                        }
                        index_one(&d, &l, &c, &s);
                        let _ = tx.send(());
                    });
                match spawned {
                    Ok(_) => {
                        let _ = rx.await;
                    }
                    Err(e) => {
                        log::error!("library index: no thread: {e}");
                        tokio::time::sleep(POLL).await;
                    }
                }
            }
            Ok(None) => {
                tokio::select! {
                    _ = woken => {}
                    _ = stopped.notified() => {}
                    _ = tokio::time::sleep(POLL) => {}
                }
            }
            Err(e) => {
                log::error!("library index: {e}");
                tokio::select! {
                    _ = stopped.notified() => {}
                    _ = tokio::time::sleep(POLL) => {}
                }
            }
        }
    }
}

fn lock(dir: &Path) -> std::io::Result<Flock<std::fs::File>> {
    let idx = dir.join("index");
    std::fs::create_dir_all(&idx)?;
    let f = std::fs::File::create(idx.join(".lock"))?;
    Flock::lock(f, FlockArg::LockExclusive).map_err(|(_, e)| std::io::Error::from(e))
}

/// After a start: part files deleted, builds that a stop or a crash interrupted set back to
/// `pending`, ready indexes whose file is gone or outdated too, and index files of
/// collections no longer installed deleted.
pub fn recover(db: &Db, library_dir: &Path) -> Result<(), String> {
    let _lock = lock(library_dir).map_err(|e| e.to_string())?;
    let collections = db
        .read_blocking(|c| Ok(registry::list(c)?))
        .map_err(|e| e.to_string())?;
    let idx = library_dir.join("index");
    if let Ok(entries) = std::fs::read_dir(&idx) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let uuid = name.split('.').next().unwrap_or("");
            let leftover = name.ends_with(".part") || name.ends_with(".part-journal");
            let orphan = !uuid.is_empty()
                && name.contains(".sqlite")
                && !collections.iter().any(|c| c.uuid == uuid);
            if leftover || orphan {
                match std::fs::remove_file(e.path()) {
                    Ok(()) => log::info!("library index: removed {}", e.path().display()),
                    Err(err) => log::warn!("library index: {}: {err}", e.path().display()),
                }
            }
        }
    }
    for c in collections {
        let path = crate::library::index_path(library_dir, &c.uuid);
        let redo = match c.index {
            IndexState::Building => true,
            IndexState::Ready => super::open(&path).is_err(),
            IndexState::Pending | IndexState::Failed => false,
        };
        if redo {
            log::info!("library index: {} will be indexed again", c.name);
            db.write_blocking(|tx| {
                Ok(registry::set_index_state(
                    tx,
                    c.id,
                    IndexState::Pending,
                    0,
                    "",
                )?)
            })
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Whether `c` is still installed (the same collection, not another under its UUID).
fn installed(db: &Db, c: &Collection) -> bool {
    match db.read_blocking(|conn| Ok(registry::by_uuid(conn, &c.uuid)?)) {
        Ok(Some(now)) => now.id == c.id,
        Ok(None) => false,
        // Cannot tell: go on; the next batch asks again.
        Err(_) => true,
    }
}

fn set_state(db: &Db, c: &Collection, state: IndexState, done: u64, error: &str) {
    let error = error.to_owned();
    let id = c.id;
    if let Err(e) =
        db.write_blocking(move |tx| Ok(registry::set_index_state(tx, id, state, done, &error)?))
    {
        log::warn!("library index: {}: {e}", c.name);
    }
}

/// Builds one collection's index, recording the outcome in the registry. Blocking.
pub fn index_one(db: &Db, library_dir: &Path, c: &Collection, stop: &AtomicBool) {
    let _lock = match lock(library_dir) {
        Ok(l) => l,
        Err(e) => {
            log::error!("library index: cannot lock {}: {e}", library_dir.display());
            std::thread::sleep(POLL);
            return;
        }
    };
    // Between the look and the lock, the collection may have gone or been done.
    match db.read_blocking(|conn| Ok(registry::by_uuid(conn, &c.uuid)?)) {
        Ok(Some(now)) if now.id == c.id && now.index == IndexState::Pending => {}
        _ => return,
    }
    let started = Instant::now();
    log::info!(
        "library index: indexing {} ({} articles)",
        c.name,
        c.article_count
    );
    set_state(db, c, IndexState::Building, 0, "");
    let archive = match Archive::open_with(
        &c.file,
        zim::Options {
            cache: Some(Arc::new(ClusterCache::new(BUILD_CACHE))),
            ..Default::default()
        },
    ) {
        Ok(a) => a,
        Err(e) => {
            log::warn!("library index: {}: {e}", c.name);
            set_state(db, c, IndexState::Failed, 0, &e.to_string());
            return;
        }
    };
    let dest = crate::library::index_path(library_dir, &c.uuid);
    let mut removed = false;
    let mut last = Instant::now();
    let mut progress = |done: u64| {
        if stop.load(Ordering::SeqCst) {
            return false;
        }
        if !installed(db, c) {
            removed = true;
            return false;
        }
        if last.elapsed() >= PROGRESS_EVERY {
            set_state(db, c, IndexState::Building, done, "");
            last = Instant::now();
        }
        std::thread::sleep(PAUSE);
        true
    };
    let result = build::build(&archive, &dest, &mut progress);
    match result {
        Ok(stats) => {
            if !installed(db, c) {
                // Removed between the last batch and the rename: its index goes too.
                let _ = std::fs::remove_file(&dest);
                log::info!("library index: {} was removed while indexed", c.name);
                return;
            }
            if stats.unreadable > 0 {
                log::warn!(
                    "library index: {}: {} articles unreadable, skipped (first: {})",
                    c.name,
                    stats.unreadable,
                    stats.first_error.as_deref().unwrap_or("")
                );
            }
            log::info!(
                "library index: {} ready: {} articles, {} alternative titles, in {:.1} s",
                c.name,
                stats.articles,
                stats.aliases,
                started.elapsed().as_secs_f64()
            );
            set_state(db, c, IndexState::Ready, stats.articles, "");
        }
        Err(BuildError::Stopped) if removed => {
            log::info!("library index: {} was removed while indexed", c.name);
        }
        Err(BuildError::Stopped) => {
            // The server is stopping: the next start sees `building` and starts over.
            log::info!("library index: {} interrupted", c.name);
        }
        Err(e) => {
            log::warn!("library index: {}: {e}", c.name);
            set_state(db, c, IndexState::Failed, 0, &e.to_string());
        }
    }
    remove_part(&dest);
}
