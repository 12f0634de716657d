//! Backups: one tar archive holding everything a school would miss (the database as an
//! online snapshot, documents, mail, the queue, TLS material, settings), with a manifest of
//! SHA-256 checksums last, and a restore that checks every byte against it before it puts
//! anything in place.
//!
//! An archive is written under a temporary name, fsynced and renamed, so a full disk or a
//! power cut leaves the previous backups as they were. A restore goes into a new data
//! directory only, never over a running server or another school's data.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};

/// The manifest's name in the archive; it comes last.
const MANIFEST: &str = "MANIFEST.json";
/// What the data directory holds that a backup leaves out: the live database (the snapshot
/// stands for it) and the file processes use to tell the server of its changes, the server's lock, the backups themselves, temporary files, and the
/// database as it was before the last update (`cartable update`'s own undo, not the school's),
/// and the offline library's collections and full-text indexes (tens of gigabytes that can be
/// installed again: the registry, in the database, says which; restore lists the missing ones).
const SKIP: &[&str] = &[
    "cartable.db",
    "cartable.db-wal",
    "cartable.db-shm",
    "cartable.db-changes",
    "cartable.lock",
    "backups",
    "files/.tmp",
    "mail/tmp",
    "update/before-update.db",
    "update/candidate",
    "library",
];
/// Where the last backup is recorded, for `status` and the admin page.
pub const LAST_FILE: &str = "last-backup.json";
/// The label of a USB disk that takes the nightly backups when plugged in. Eleven characters,
/// what FAT32 holds: the file system Windows offers for a USB stick of 32 GB or less. (The
/// image's own FAT partition is `CARTABLE`.)
pub const USB_LABEL: &str = "CARTABLE-BK";
/// Nightly backups kept in one place.
pub const KEEP: usize = 7;

#[derive(Debug, Serialize, Deserialize, Clone, PartialEq)]
pub struct Entry {
    pub path: String,
    /// `None` for a folder.
    pub sha256: Option<String>,
    pub size: u64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub version: String,
    pub created_at: i64,
    pub school: String,
    pub schema: i64,
    pub entries: Vec<Entry>,
}

/// The record of the last backup made.
#[derive(Debug, Serialize, Deserialize, Clone)]
pub struct Last {
    pub at: i64,
    pub path: String,
    pub size: u64,
    pub files: usize,
}

pub fn last(data: &Path) -> Option<Last> {
    let text = std::fs::read_to_string(data.join(LAST_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

fn skipped(rel: &str) -> bool {
    SKIP.iter()
        .any(|s| rel == *s || rel.starts_with(&format!("{s}/")))
        || rel.ends_with(".tmp")
}

/// Every file and folder to back up, relative to `data`, folders before their contents.
fn walk(data: &Path, dir: &Path, out: &mut Vec<(String, bool)>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let rel = path
            .strip_prefix(data)
            .expect("walked from data")
            .to_string_lossy()
            .into_owned();
        if skipped(&rel) {
            continue;
        }
        let kind = e.file_type()?;
        if kind.is_dir() {
            out.push((rel, true));
            walk(data, &path, out)?;
        } else if kind.is_file() {
            out.push((rel, false));
        }
    }
    Ok(())
}

/// Reads through `inner`, hashing what passes.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
    size: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

fn header(size: u64, mode: u32, mtime: u64, dir: bool) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_size(size);
    h.set_mode(mode);
    h.set_mtime(mtime);
    h.set_entry_type(if dir {
        tar::EntryType::Directory
    } else {
        tar::EntryType::Regular
    });
    h
}

/// Writes a backup of `data` to the file `to`. The server may be running.
pub fn backup(data: &Path, to: &Path) -> Result<Last, String> {
    use std::os::unix::fs::MetadataExt;
    let db = crate::server::open_db(data).map_err(|e| e.to_string())?;
    let (school, schema) = db
        .read_blocking(|c| {
            Ok((
                crate::settings::Settings::load(c)?.school_name,
                c.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))?,
            ))
        })
        .map_err(|e| e.to_string())?;
    let dir = to
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir_was_there = dir.is_dir();
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    // Held until the archive is in place: a server starting meanwhile leaves this folder's
    // temporary files alone, and what a backup killed earlier left here goes now.
    let held = super::debris::lock_dir(dir)?;
    super::debris::sweep_backups(dir, false);
    let tmp = to.with_extension("partial");
    let snapshot = dir.join(format!(".cartable-snapshot-{}.db", crate::random_token(6)));
    let result = (|| -> Result<Last, String> {
        db.snapshot(&snapshot)
            .map_err(|e| format!("database snapshot: {e}"))?;
        let file = std::fs::File::create(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
        let mut tar = tar::Builder::new(BufWriter::with_capacity(1 << 20, file));
        let mut entries = Vec::new();
        let add = |tar: &mut tar::Builder<_>, rel: &str, src: &Path| -> Result<Entry, String> {
            let err = |e: std::io::Error| format!("{}: {e}", src.display());
            let meta = std::fs::metadata(src).map_err(err)?;
            let f = std::fs::File::open(src).map_err(err)?;
            let mut reader = Hashing {
                inner: f,
                hash: Sha256::new(),
                size: 0,
            };
            let mut h = header(
                meta.len(),
                meta.mode() & 0o777,
                meta.mtime().max(0) as u64,
                false,
            );
            tar.append_data(&mut h, rel, &mut reader).map_err(err)?;
            if reader.size != meta.len() {
                return Err(format!(
                    "{} changed while it was read; try again",
                    src.display()
                ));
            }
            Ok(Entry {
                path: rel.to_owned(),
                sha256: Some(hex::encode(reader.hash.finalize())),
                size: reader.size,
            })
        };
        entries.push(add(&mut tar, "cartable.db", &snapshot)?);
        let mut list = Vec::new();
        walk(data, data, &mut list).map_err(|e| format!("{}: {e}", data.display()))?;
        for (rel, is_dir) in &list {
            if *is_dir {
                let mut h = header(0, 0o700, 0, true);
                tar.append_data(&mut h, rel, std::io::empty())
                    .map_err(|e| format!("{rel}: {e}"))?;
                entries.push(Entry {
                    path: rel.clone(),
                    sha256: None,
                    size: 0,
                });
            } else {
                match add(&mut tar, rel, &data.join(rel)) {
                    Ok(e) => entries.push(e),
                    // Deleted since the listing (a trash purge, a delivered mail): it is
                    // gone from the school too.
                    Err(_) if !data.join(rel).exists() => {}
                    Err(e) => return Err(e),
                }
            }
        }
        let manifest = Manifest {
            format: 1,
            version: crate::VERSION.into(),
            created_at: crate::now(),
            school,
            schema,
            entries,
        };
        let json = serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?;
        let mut h = header(json.len() as u64, 0o600, crate::now() as u64, false);
        tar.append_data(&mut h, MANIFEST, &json[..])
            .map_err(|e| format!("{}: {e}", tmp.display()))?;
        let mut out = tar
            .into_inner()
            .map_err(|e| format!("{}: {e}", tmp.display()))?;
        out.flush().map_err(|e| format!("{}: {e}", tmp.display()))?;
        let file = out.into_inner().map_err(|e| e.to_string())?;
        file.sync_all()
            .map_err(|e| format!("{}: {e}", tmp.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        std::fs::rename(&tmp, to).map_err(|e| format!("{}: {e}", to.display()))?;
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        Ok(Last {
            at: manifest.created_at,
            path: to.display().to_string(),
            size,
            files: manifest
                .entries
                .iter()
                .filter(|e| e.sha256.is_some())
                .count(),
        })
    })();
    let _ = std::fs::remove_file(&snapshot);
    drop(held);
    match result {
        Ok(last) => {
            let json = serde_json::to_vec(&last).unwrap_or_default();
            if let Err(e) = crate::tls::write_atomic(&data.join(LAST_FILE), &json, false) {
                log::warn!("could not record the backup: {e}");
            }
            Ok(last)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            if !dir_was_there {
                let _ = std::fs::remove_dir(dir);
            }
            // ENOSPC, from a write or from SQLite (SQLITE_FULL).
            if e.contains("os error 28") || e.contains("disk is full") {
                return Err(format!(
                    "{} is full: the backup did not fit and was not written; nothing was \
                     changed and the earlier backups are kept ({e})",
                    dir.display()
                ));
            }
            Err(e)
        }
    }
}

/// Where the image's fstab mounts the backup disk on demand (systemd automount).
pub const USB_MOUNT: &str = "/media/cartable-backup";

/// Where a USB disk labelled [`USB_LABEL`] is mounted, if one is plugged in.
fn usb_mount() -> Option<PathBuf> {
    let dev = std::fs::canonicalize(format!("/dev/disk/by-label/{USB_LABEL}")).ok()?;
    // Looking into the automount point mounts the disk.
    let _ = std::fs::read_dir(USB_MOUNT);
    let mounts = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    mounts.lines().find_map(|l| {
        let (left, right) = l.split_once(" - ")?;
        let source = right.split_whitespace().nth(1)?;
        let target = left.split_whitespace().nth(4)?;
        (Path::new(source) == dev).then(|| PathBuf::from(target))
    })
}

/// The nightly backup: to the USB disk when one is plugged in, else to the data disk's
/// `backups/`; the oldest beyond [`KEEP`] are removed.
pub fn backup_auto(data: &Path) -> Result<Last, String> {
    let dir = match usb_mount() {
        Some(m) => m.join("cartable"),
        None => data.join("backups"),
    };
    let stamp = crate::clock::local(crate::now())
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year][month][day]-[hour][minute][second]"
            ))
            .ok()
        })
        .unwrap_or_else(|| crate::now().to_string());
    let last = backup(data, &dir.join(format!("cartable-{stamp}.tar")))?;
    prune(&dir, KEEP);
    Ok(last)
}

/// Removes all but the `keep` newest `cartable-*.tar` in `dir`.
pub fn prune(dir: &Path, keep: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("cartable-") && n.ends_with(".tar"))
        .collect();
    names.sort();
    let n = names.len().saturating_sub(keep);
    for old in &names[..n] {
        if let Err(e) = std::fs::remove_file(dir.join(old)) {
            log::warn!("could not remove the old backup {old}: {e}");
        }
    }
}

/// A relative archive path that stays inside the folder it is unpacked in.
fn safe(rel: &Path) -> bool {
    !rel.as_os_str().is_empty() && rel.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Puts a backup back into `data`, which must be empty or absent (and so has no server
/// running on it). Every file is checked against the manifest before the folder takes its
/// place; a corrupt or truncated archive changes nothing.
pub fn restore(from: &Path, data: &Path) -> Result<Manifest, String> {
    use std::os::unix::fs::PermissionsExt;
    if data.exists() {
        let mut it = std::fs::read_dir(data).map_err(|e| format!("{}: {e}", data.display()))?;
        if it.next().is_some() {
            if let Ok(f) = std::fs::File::open(data.join("cartable.lock"))
                && nix::fcntl::Flock::lock(f, nix::fcntl::FlockArg::LockExclusiveNonblock).is_err()
            {
                return Err(format!(
                    "a Cartable server is running on {}; stop it, and restore into an empty folder",
                    data.display()
                ));
            }
            return Err(format!(
                "{} is not empty; restore into a new folder (or move this one aside first: mv {0} {0}.old)",
                data.display()
            ));
        }
    }
    let parent = data
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    let work = parent.join(format!(
        ".{}.restoring-{}",
        data.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        crate::random_token(4)
    ));
    let result = (|| -> Result<Manifest, String> {
        std::fs::create_dir(&work).map_err(|e| format!("{}: {e}", work.display()))?;
        std::fs::set_permissions(&work, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| e.to_string())?;
        let file = std::fs::File::open(from).map_err(|e| format!("{}: {e}", from.display()))?;
        let mut archive = tar::Archive::new(std::io::BufReader::new(file));
        let mut seen: Vec<Entry> = Vec::new();
        let mut manifest: Option<Manifest> = None;
        let broken = |e: std::io::Error| {
            format!(
                "{}: the archive is damaged or cut short ({e})",
                from.display()
            )
        };
        for entry in archive.entries().map_err(broken)? {
            let mut entry = entry.map_err(broken)?;
            let rel = entry.path().map_err(broken)?.into_owned();
            if !safe(&rel) {
                return Err(format!(
                    "{}: refusing the path {}",
                    from.display(),
                    rel.display()
                ));
            }
            let rel_s = rel.to_string_lossy().into_owned();
            if rel_s == MANIFEST {
                let mut json = Vec::new();
                entry.read_to_end(&mut json).map_err(broken)?;
                manifest = Some(serde_json::from_slice(&json).map_err(|e| {
                    format!("{}: the manifest is unreadable ({e})", from.display())
                })?);
                continue;
            }
            let dest = work.join(&rel);
            match entry.header().entry_type() {
                tar::EntryType::Directory => {
                    std::fs::create_dir_all(&dest)
                        .map_err(|e| format!("{}: {e}", dest.display()))?;
                    seen.push(Entry {
                        path: rel_s,
                        sha256: None,
                        size: 0,
                    });
                }
                tar::EntryType::Regular => {
                    if let Some(p) = dest.parent() {
                        std::fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))?;
                    }
                    let mode = entry.header().mode().unwrap_or(0o600) & 0o755;
                    let mut out = std::fs::File::create(&dest)
                        .map_err(|e| format!("{}: {e}", dest.display()))?;
                    let mut reader = Hashing {
                        inner: &mut entry,
                        hash: Sha256::new(),
                        size: 0,
                    };
                    std::io::copy(&mut reader, &mut out).map_err(broken)?;
                    out.sync_all()
                        .map_err(|e| format!("{}: {e}", dest.display()))?;
                    std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(mode | 0o600))
                        .map_err(|e| e.to_string())?;
                    seen.push(Entry {
                        path: rel_s,
                        sha256: Some(hex::encode(reader.hash.finalize())),
                        size: reader.size,
                    });
                }
                other => {
                    return Err(format!(
                        "{}: unexpected entry {other:?} for {rel_s}",
                        from.display()
                    ));
                }
            }
        }
        let manifest = manifest.ok_or_else(|| {
            format!(
                "{}: no manifest; the archive is cut short or not a Cartable backup",
                from.display()
            )
        })?;
        if manifest.schema > crate::db::LATEST_VERSION {
            return Err(format!(
                "this backup comes from a newer Cartable (schema {}); install that version to restore it",
                manifest.schema
            ));
        }
        let mut want = manifest.entries.clone();
        let mut got = seen;
        want.sort_by(|a, b| a.path.cmp(&b.path));
        got.sort_by(|a, b| a.path.cmp(&b.path));
        if want != got {
            let bad = want
                .iter()
                .find(|w| !got.contains(w))
                .map(|w| w.path.clone())
                .or_else(|| {
                    got.iter()
                        .find(|g| !want.contains(g))
                        .map(|g| g.path.clone())
                })
                .unwrap_or_default();
            return Err(format!(
                "{}: {bad} does not match the manifest; the archive is damaged",
                from.display()
            ));
        }
        Ok(manifest)
    })();
    match result {
        Ok(m) => {
            if data.exists() {
                std::fs::remove_dir(data).map_err(|e| format!("{}: {e}", data.display()))?;
            }
            std::fs::rename(&work, data).map_err(|e| format!("{}: {e}", data.display()))?;
            let _ = std::fs::File::open(parent).and_then(|d| d.sync_all());
            Ok(m)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&work);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nightly_backups_keep_the_newest_seven_and_nothing_else_is_touched() {
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<String> = (1..=10)
            .map(|d| format!("cartable-202611{d:02}-023000.tar"))
            .collect();
        for n in names.iter().chain(["notes.txt".to_owned()].iter()) {
            std::fs::write(dir.path().join(n), b"x").unwrap();
        }
        prune(dir.path(), KEEP);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut want: Vec<String> = names[3..].to_vec();
        want.push("notes.txt".into());
        assert_eq!(left, want);
    }
}
