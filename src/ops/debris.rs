//! Crash debris: what a kill -9 or a power cut leaves in the data directory, swept when the
//! server starts.
//!
//! Every durable write goes to a temporary file that is renamed into place once fsynced, so a
//! crash loses nothing acknowledged, but leaves the temporary file. Which ones, and who sweeps:
//!
//! | written by | debris | swept |
//! |---|---|---|
//! | uploads (web, WebDAV, hand-ins), homework zips | `files/.tmp/*` | here ([`crate::files::store::sweep_tmp`]) |
//! | `cartable backup` into `backups/` | `backups/*.partial`, `backups/.cartable-snapshot-*.db` | here, unless a backup holds the folder's lock; and by each backup in its own folder (a USB disk's too) |
//! | `cartable update` | `update/candidate`, `update/before-update.partial`, `update/last.tmp`, `cartable.db.restoring` | here, unless an update holds `update/`'s lock |
//! | the TLS material's atomic writes | `tls/*.tmp` | here |
//! | SMTP's DATA | `mail/tmp/*` (spool files), files in `mail/store/` that no row lists | by the server's start ([`crate::mail::store::sweep`], which needs the database) |
//!
//! A backup or an update may run beside a starting server (an update restarts it), so each
//! holds an exclusive `flock` on its folder while it works, and the sweep leaves a locked
//! folder alone: only what no living process writes is removed.

use nix::fcntl::{Flock, FlockArg};
use std::fs::File;
use std::path::Path;

/// Locks `dir` (the folder itself, so that no lock file is left behind), waiting for any
/// other holder.
pub fn lock_dir(dir: &Path) -> Result<Flock<File>, String> {
    let f = File::open(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Flock::lock(f, FlockArg::LockExclusive)
        .map_err(|(_, e)| format!("{}: cannot lock it ({e})", dir.display()))
}

/// Locks `dir` if no one else holds it.
pub fn try_lock_dir(dir: &Path) -> Option<Flock<File>> {
    Flock::lock(File::open(dir).ok()?, FlockArg::LockExclusiveNonblock).ok()
}

/// Removes the files of `dir` whose names `pick` chooses; returns how many went.
fn remove_in(dir: &Path, pick: impl Fn(&str) -> bool) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().is_ok_and(|t| t.is_file()) && pick(&name) {
            match std::fs::remove_file(e.path()) {
                Ok(()) => n += 1,
                Err(err) => log::warn!("could not remove {}: {err}", e.path().display()),
            }
        }
    }
    n
}

/// A backup's leftovers in its folder: its snapshot of the database, and an archive cut short.
/// `any_partial`: every `*.partial` (the data directory's own `backups/`), or only the nightly
/// backups' (a folder given with `--to` may hold other programs' files).
pub fn sweep_backups(dir: &Path, any_partial: bool) -> usize {
    remove_in(dir, |n| {
        (n.starts_with(".cartable-snapshot-") && n.ends_with(".db"))
            || (n.ends_with(".partial") && (any_partial || n.starts_with("cartable-")))
    })
}

/// Sweeps the data directory; the server calls it at start, with the directory's lock held.
/// Returns how many files went.
pub fn sweep(data: &Path) -> usize {
    let uploads = || std::fs::read_dir(crate::files::store::tmp_dir(data)).map_or(0, |d| d.count());
    let before = uploads();
    crate::files::store::sweep_tmp(data);
    let mut n = before.saturating_sub(uploads());
    let backups = data.join("backups");
    if let Some(_held) = try_lock_dir(&backups) {
        n += sweep_backups(&backups, true);
    }
    let update = data.join(super::update::DIR);
    if let Some(_held) = try_lock_dir(&update) {
        n += remove_in(&update, |f| {
            matches!(f, "candidate" | "before-update.partial" | "last.tmp")
        });
        n += remove_in(data, |f| f == "cartable.db.restoring");
    }
    n += remove_in(&data.join("tls"), |f| f.ends_with(".tmp"));
    if n > 0 {
        log::info!("removed {n} file(s) left by an earlier crash");
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_folder_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("backups")).unwrap();
        std::fs::write(d.join("backups/now.partial"), b"x").unwrap();
        let held = lock_dir(&d.join("backups")).unwrap();
        assert_eq!(sweep(d), 0);
        assert!(d.join("backups/now.partial").exists());
        drop(held);
        assert_eq!(sweep(d), 1);
        assert!(!d.join("backups/now.partial").exists());
    }

    #[test]
    fn a_folder_given_to_backup_keeps_other_programs_partial_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in [
            "cartable-20250101-020000.partial",
            ".cartable-snapshot-ab12.db",
            "video.partial",
        ] {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        assert_eq!(sweep_backups(d, false), 2);
        assert!(d.join("video.partial").exists());
    }
}
