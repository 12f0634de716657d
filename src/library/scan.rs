//! Discovery: collections are added by putting their files where the server looks, so that an
//! admin never needs a shell for tens of gigabytes.
//!
//! Two places are looked at, at start, every [`INTERVAL`], when an admin asks ("scan now") and
//! within [`MOUNT_WATCH`] of a USB disk being mounted (the image mounts them by itself, see
//! rootfs-overlay/README.md): a technician plugs the disk in, waits, and pulls it out.
//!
//! - the staff share's top-level `Library` folder (any case; nothing is ever created there):
//!   a teacher or the office copies a `.zim` in over WebDAV or the web. It is on the data disk,
//!   so `install` hard-links it: the staff may delete their copy later and the collection stays,
//!   and while both names exist the bytes are on disk once.
//! - a `library` (or `Library`, `kiwix`) folder at the root of a mounted USB disk: files there
//!   are copied, the disk being another device. A disk counts when its file system is one a
//!   USB disk carries (FAT, exFAT, NTFS, ext*, ...) and it is mounted under `/media`, `/mnt` or
//!   `/run/media`, or its block device says `removable` — never the root, `/boot` or the data
//!   disk's internal partitions, which are neither. The backup disk's automount point is
//!   never looked into: it would mount the disk every few minutes.
//!   [`USB_ENV`] replaces that detection with a list of folders (tests, odd set-ups).
//!
//! A file is installed once it has *settled*: its size and modification time the same at two
//! scans in a row, or unchanged for [`SETTLE`]. WebDAV and web uploads are written under a
//! temporary name in `files/.tmp` and renamed, so a name in the share is already complete; the
//! rule guards against a copy made by hand (`scp`, a file manager on the USB disk) still
//! running. Names starting with a dot (`._x.zim` from macOS, `.~lock`) are not collections.
//!
//! What is found is installed with the audience **staff**: whoever dropped the file, pupils
//! and parents see nothing until an admin opens the collection to the school or to classes on
//! `/admin/library`. (Staff read every collection anyway: teachers preview before they link.)
//! A file whose collection is already installed is skipped without a word; one whose
//! collection is registered but whose file is missing (after a restore) puts it back. A file
//! refused is listed on the admin page with the reason until it is fixed or removed.
//!
//! Each file is looked at once per version (path, size, mtime, inode): scans that find nothing
//! new open nothing and write nothing (SD cards wear out).

use super::install::{self, InstallError};
use super::registry;
use crate::auth::{Allowed, SchoolAudience};
use crate::db::Db;
use crate::ids::SpaceId;
use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// How often the server looks for new files.
pub const INTERVAL: Duration = Duration::from_secs(5 * 60);
/// How often the server looks for a newly mounted USB disk (a read of /proc/self/mountinfo,
/// nothing on disk).
pub const MOUNT_WATCH: Duration = Duration::from_secs(5);
/// A file unchanged for this long is complete, even if no earlier scan saw it.
pub const SETTLE: Duration = Duration::from_secs(60);
/// Folders to look into instead of the mounted USB disks, separated by ':' (each one's
/// `library`, `Library` or `kiwix` folder is searched, as at a disk's root).
pub const USB_ENV: &str = "CARTABLE_LIBRARY_USB";
/// The folders, at a USB disk's root, that hold collections (compared without case).
const USB_FOLDERS: &[&str] = &["library", "kiwix"];
/// The staff share's folder (compared without case).
const STAFF_FOLDER: &str = "library";
/// File systems a USB disk carries.
const USB_FS: &[&str] = &[
    "vfat", "exfat", "ntfs", "ntfs3", "fuseblk", "ext2", "ext3", "ext4", "btrfs", "xfs", "f2fs",
    "hfsplus", "iso9660", "udf",
];
/// The audit log's action for what a scan does.
const ACTION: &str = "manage_library";

/// What a file looked like: a new version is looked at again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    mtime_ns: i128,
    ino: u64,
}

/// What the last scan did, for the admin page.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    pub at: i64,
    /// Collections added (their URL names).
    pub installed: Vec<String>,
    /// Files found but still changing: added at a later scan.
    pub waiting: Vec<String>,
    /// The folders looked into.
    pub folders: Vec<String>,
}

/// The discovery's state, held by `App`: one scan at a time, and what earlier scans saw.
#[derive(Default)]
pub struct Scanner {
    gate: tokio::sync::Mutex<()>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Every candidate's stamp at the last scan (for "settled").
    seen: HashMap<PathBuf, Stamp>,
    /// The stamp at which each file was dealt with (installed, skipped, refused).
    done: HashMap<PathBuf, Stamp>,
    usb_roots: Option<Vec<PathBuf>>,
    last: Option<Report>,
}

impl Scanner {
    pub fn new() -> Scanner {
        Scanner::default()
    }

    /// Looks into these folders instead of the mounted USB disks (tests).
    pub fn set_usb_roots(&self, roots: Vec<PathBuf>) {
        self.lock().usb_roots = Some(roots);
    }

    /// Looks at every file again at the next scan, even unchanged: after an admin removed a
    /// collection (its file, still found, is then listed as removed) or lifted a removal.
    pub fn look_again(&self) {
        self.lock().done.clear();
    }

    /// True while a scan runs (a copy from a USB disk can take an hour).
    pub fn running(&self) -> bool {
        self.gate.try_lock().is_err()
    }

    pub fn last(&self) -> Option<Report> {
        self.lock().last.clone()
    }

    /// The folders that stand for USB disks: the tests' or the mounted disks.
    fn usb_roots(&self) -> Vec<PathBuf> {
        let set = self.lock().usb_roots.clone();
        set.unwrap_or_else(usb_roots)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Runs one scan, after the one running (if any) has finished. Blocking work runs on a
/// blocking thread; two scans never run at once.
pub async fn scan(app: &crate::app::App) -> Report {
    let _held = app.scanner.gate.lock().await;
    let app2 = app.clone();
    let report = tokio::task::spawn_blocking(move || {
        let roots = app2.scanner.usb_roots();
        let (mut seen, mut done) = {
            let mut s = app2.scanner.lock();
            (std::mem::take(&mut s.seen), std::mem::take(&mut s.done))
        };
        let report = scan_blocking(
            &app2.db,
            &app2.data_dir,
            app2.library.dir(),
            &roots,
            &mut seen,
            &mut done,
        );
        let mut s = app2.scanner.lock();
        s.seen = seen;
        s.done = done;
        report
    })
    .await
    .unwrap_or_else(|e| {
        log::error!("library scan failed: {e}");
        Report::default()
    });
    for name in &report.installed {
        log::info!("library: added {name} (found in a Library folder)");
    }
    app.scanner.lock().last = Some(report.clone());
    report
}

/// Scans at start, then every [`INTERVAL`] or as soon as a USB disk not there before is
/// mounted, for as long as the server runs.
pub fn spawn(app: crate::app::App) {
    tokio::spawn(async move {
        let mut disks = app.scanner.usb_roots();
        loop {
            scan(&app).await;
            let next = tokio::time::Instant::now() + INTERVAL;
            while tokio::time::Instant::now() < next {
                tokio::time::sleep_until(next.min(tokio::time::Instant::now() + MOUNT_WATCH)).await;
                let now = app.scanner.usb_roots();
                let mounted: Vec<_> = now.iter().filter(|d| !disks.contains(d)).collect();
                let scan_now = !mounted.is_empty();
                if scan_now {
                    log::info!("library: a USB disk was mounted at {mounted:?}, looking into it");
                }
                disks = now;
                if scan_now {
                    break;
                }
            }
        }
    });
}

/// The staff share's `Library` folder, if there is one.
pub fn staff_folder(data_dir: &Path) -> Option<PathBuf> {
    let root = crate::files::spaces::space_root(data_dir, SpaceId::StaffRoom);
    named_dirs(&root, &[STAFF_FOLDER]).into_iter().next()
}

/// The subfolders of `dir` named one of `names` (without case), symlinks excluded.
fn named_dirs(dir: &Path, names: &[&str]) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = rd
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let n = e.file_name().to_string_lossy().to_lowercase();
            names.contains(&n.as_str())
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// The folders to search for USB disks: [`USB_ENV`] when set, else the mounted removable
/// disks (see the module's doc).
pub fn usb_roots() -> Vec<PathBuf> {
    if let Ok(v) = std::env::var(USB_ENV) {
        return v
            .split(':')
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .collect();
    }
    let Ok(info) = std::fs::read_to_string("/proc/self/mountinfo") else {
        return Vec::new();
    };
    removable_mounts(&info, block_removable)
}

/// The mount points in `mountinfo` that look like USB disks; `removable` says whether a
/// device (`/dev/sdb1`) is removable.
fn removable_mounts(mountinfo: &str, removable: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for l in mountinfo.lines() {
        let Some((left, right)) = l.split_once(" - ") else {
            continue;
        };
        let mut r = right.split_whitespace();
        let (Some(fs), Some(source)) = (r.next(), r.next()) else {
            continue;
        };
        let Some(target) = left.split_whitespace().nth(4).map(unescape) else {
            continue;
        };
        // The nightly backup's disk holds archives, not collections; and a look every few
        // minutes would keep it from being unmounted when idle.
        if !USB_FS.contains(&fs) || target == crate::ops::backup::USB_MOUNT {
            continue;
        }
        let under_media = ["/media/", "/mnt/", "/run/media/"]
            .iter()
            .any(|p| target.starts_with(p))
            || target == "/mnt";
        if under_media || (source.starts_with("/dev/") && removable(source)) {
            let t = PathBuf::from(target);
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// mountinfo writes spaces and other odd bytes as `\040` (octal).
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0');
            out.push(v);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether sysfs says the block device (or, for a partition, its disk) is removable.
fn block_removable(dev: &str) -> bool {
    let Ok(real) = std::fs::canonicalize(dev) else {
        return false;
    };
    let Some(name) = real.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return false;
    };
    let Ok(sys) = std::fs::canonicalize(format!("/sys/class/block/{name}")) else {
        return false;
    };
    [sys.join("removable"), sys.join("../removable")]
        .iter()
        .any(|p| std::fs::read_to_string(p).is_ok_and(|s| s.trim() == "1"))
}

/// The collections' files in `dir`: `.zim` files and the first parts (`.zimaa`) of split
/// ones, regular files only, dot-files left out.
fn candidates(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = rd
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| {
            let n = e.file_name().to_string_lossy().to_lowercase();
            !n.starts_with('.') && (n.ends_with(".zim") || n.ends_with(".zimaa"))
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// The file's stamp; for a split archive's first part, its parts' sizes count too (a part
/// still being copied changes the stamp).
fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::symlink_metadata(path).ok()?;
    let mut s = Stamp {
        len: m.len(),
        mtime_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
        ino: m.ino(),
    };
    let name = path.file_name()?.to_string_lossy().into_owned();
    if let Some(stem) = name
        .strip_suffix("aa")
        .filter(|n| n.to_lowercase().ends_with(".zim"))
    {
        for c in b'b'..=b'z' {
            let part = path.with_file_name(format!("{stem}a{}", c as char));
            let Ok(pm) = std::fs::symlink_metadata(&part) else {
                break;
            };
            s.len += pm.len();
            s.mtime_ns = s
                .mtime_ns
                .max(i128::from(pm.mtime()) * 1_000_000_000 + i128::from(pm.mtime_nsec()));
        }
    }
    Some(s)
}

fn settled(s: &Stamp, before: Option<&Stamp>) -> bool {
    if before == Some(s) {
        return true;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0);
    now - s.mtime_ns >= SETTLE.as_nanos() as i128
}

/// One scan: looks at every folder, installs what settled, records what was refused, and
/// forgets refusals whose file is gone.
fn scan_blocking(
    db: &Db,
    data_dir: &Path,
    library_dir: &Path,
    usb: &[PathBuf],
    seen: &mut HashMap<PathBuf, Stamp>,
    done: &mut HashMap<PathBuf, Stamp>,
) -> Report {
    let mut report = Report {
        at: crate::now(),
        ..Report::default()
    };
    let mut folders: Vec<(PathBuf, &'static str)> = Vec::new();
    if let Some(d) = staff_folder(data_dir) {
        folders.push((d, "webdav"));
    }
    for root in usb {
        for d in named_dirs(root, USB_FOLDERS) {
            folders.push((d, "usb"));
        }
    }
    let refused: HashMap<String, (String, String)> =
        match db.read_blocking(|c| Ok(registry::refused(c)?)) {
            Ok(r) => r
                .into_iter()
                .map(|r| (r.path, (r.kind, r.reason)))
                .collect(),
            Err(e) => {
                log::warn!("library scan: {e}");
                return report;
            }
        };
    let mut now_seen = HashMap::new();
    let allowed = Allowed::system(ACTION);
    for (dir, source) in &folders {
        report.folders.push(dir.display().to_string());
        for path in candidates(dir) {
            let Some(st) = stamp(&path) else { continue };
            now_seen.insert(path.clone(), st);
            if done.get(&path) == Some(&st) {
                continue;
            }
            if !settled(&st, seen.get(&path)) {
                report.waiting.push(path.display().to_string());
                continue;
            }
            let key = path.to_string_lossy().into_owned();
            let outcome = look_at(db, library_dir, &path, source, &allowed);
            match &outcome {
                Outcome::Installed(name) => report.installed.push(name.clone()),
                Outcome::Known => {}
                Outcome::Retry => continue,
                Outcome::Refused(kind, reason) => {
                    let same = refused
                        .get(&key)
                        .is_some_and(|(k, r)| k == kind && r == reason);
                    if !same {
                        let refusal = registry::Refusal {
                            path: key.clone(),
                            source: source.to_string(),
                            kind: kind.to_string(),
                            reason: reason.clone(),
                            seen_at: crate::now(),
                        };
                        let r = db.write_blocking(|tx| Ok(registry::record_refused(tx, &refusal)?));
                        if let Err(e) = r {
                            log::warn!("library scan: {e}");
                            continue;
                        }
                    }
                }
            }
            if !matches!(outcome, Outcome::Refused(..)) && refused.contains_key(&key) {
                let _ = db.write_blocking(|tx| Ok(registry::clear_refused(tx, &key)?));
            }
            done.insert(path, st);
        }
    }
    // Refusals whose file is gone (deleted, renamed, its disk unplugged) leave the list.
    for path in refused.keys() {
        if !Path::new(path).exists() {
            let _ = db.write_blocking(|tx| Ok(registry::clear_refused(tx, path)?));
        }
    }
    done.retain(|p, _| now_seen.contains_key(p));
    *seen = now_seen;
    report
}

/// What became of one file.
enum Outcome {
    /// Installed (or put back after a restore) under this name.
    Installed(String),
    /// Its collection is already installed.
    Known,
    /// Refused: the kind (for the admin page) and the reason.
    Refused(&'static str, String),
    /// Something went wrong that is not the file's fault (the database): try again later.
    Retry,
}

fn look_at(
    db: &Db,
    library_dir: &Path,
    path: &Path,
    source: &'static str,
    allowed: &Allowed,
) -> Outcome {
    match install::install(
        db,
        library_dir,
        path,
        SchoolAudience::Staff,
        source,
        allowed,
    ) {
        Ok(c) => {
            super::index::worker::wake();
            Outcome::Installed(c.name)
        }
        Err(InstallError::AlreadyInstalled(_)) => Outcome::Known,
        Err(InstallError::Db(e)) => {
            log::warn!("library scan: {}: {e}", path.display());
            Outcome::Retry
        }
        Err(e) => Outcome::Refused(e.kind(), e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usb_disks_are_file_systems_under_media_or_removable_devices() {
        let info = "\
22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw
23 22 8:1 / /boot/efi rw - vfat /dev/sda1 rw
24 22 0:5 / /dev rw - devtmpfs udev rw
30 22 8:17 / /media/pupil/KEY\\040ONE rw - vfat /dev/sdb1 rw
31 22 8:33 / /srv/disk rw - exfat /dev/sdc1 rw
32 22 8:49 / /srv/internal rw - ext4 /dev/sdd1 rw
33 22 0:40 / /media/cartable-backup rw - autofs systemd-1 rw
35 33 8:65 / /media/cartable-backup rw - vfat /dev/sde1 rw
34 22 0:41 / /mnt/tmp rw - tmpfs tmpfs rw
";
        let found = removable_mounts(info, |dev| dev == "/dev/sdc1");
        assert_eq!(
            found,
            vec![
                PathBuf::from("/media/pupil/KEY ONE"),
                PathBuf::from("/srv/disk")
            ]
        );
    }
}
