//! Installing and removing a collection's files: check the ZIM, choose its URL name, put its
//! bytes under `DATA/library`, record it.
//!
//! A collection can be tens of gigabytes on a board whose disk is barely bigger, so its bytes
//! are never copied twice on the same disk: a file already on the data directory's file system
//! (the staff share's `Library` folder, a maintainer's `scp` into /var/lib/cartable) is
//! hard-linked, and only one on another disk (a USB stick) is copied, to a temporary name that
//! is fsynced and renamed into place, so that a pulled plug leaves no half file under a real
//! name. The file is opened and checked before anything is placed, and again where it landed.

use super::registry::{self, Collection, NewCollection};
use super::zim::{self, Archive};
use crate::auth::{Allowed, SchoolAudience};
use crate::db::Db;
use std::path::{Path, PathBuf};

/// Why a file was not installed. The messages are for the admin page and the command line.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("{0}")]
    Zim(#[from] zim::Error),
    #[error("this collection is already installed, as '{0}'")]
    AlreadyInstalled(String),
    #[error("a class-wide audience names at least one class")]
    NoClass,
    #[error("cannot place the file in {path}: {source}")]
    Place {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "an admin removed this collection (as '{0}'); scans leave it out until it is added again"
    )]
    Removed(String),
    #[error("database: {0}")]
    Db(#[from] crate::db::Error),
}

impl InstallError {
    /// What kind of refusal this is, as the admin page's key (`library_admin-refused-KIND`):
    /// the page says it in the admin's language, with the English detail beside it.
    pub fn kind(&self) -> &'static str {
        match self {
            InstallError::Zim(e) => match e {
                zim::Error::Io { .. } => "unreadable",
                zim::Error::Empty(_) | zim::Error::NotAFile(_) | zim::Error::NotZim => "not_zim",
                zim::Error::SplitName(_) => "split_name",
                zim::Error::Version { .. } => "version",
                zim::Error::Compression { .. } => "compression",
                zim::Error::ClusterTooLarge { .. } => "too_large",
                zim::Error::Truncated { .. }
                | zim::Error::Corrupt(_)
                | zim::Error::Decompress { .. }
                | zim::Error::RedirectLoop(..) => "corrupt",
            },
            InstallError::AlreadyInstalled(_) => "already",
            InstallError::NoClass => "other",
            InstallError::Place { .. } => "place",
            InstallError::Removed(_) => "removed",
            InstallError::Db(_) => "other",
        }
    }
}

/// Where a collection comes from when a scan finds it (the command line's is `cli`).
pub fn found_by_scan(source: &str) -> bool {
    source != "cli"
}

/// The URL names a collection may not take: the library's own pages.
const RESERVED: &[&str] = &["search", "suggest", "static", "illustration", "admin"];

/// A URL name from the collection's `Name` metadata, else its file name: lower-case ASCII
/// letters, digits, '-', '_' and '.'; anything else becomes '_'. Never empty, never starting
/// with '.', never one of [`RESERVED`].
pub fn url_name(metadata_name: Option<&str>, file: &Path) -> String {
    let stem = file
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = stem
        .strip_suffix(".zimaa")
        .or_else(|| stem.strip_suffix(".zim"))
        .unwrap_or(&stem)
        .to_owned();
    let raw = metadata_name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(&stem);
    let mut s: String = deunicode::deunicode(raw.trim())
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '_' | '.' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '_',
        })
        .take(80)
        .collect();
    while s.starts_with('.') {
        s.remove(0);
    }
    if s.is_empty() || RESERVED.contains(&s.as_str()) {
        s = format!("zim-{s}");
    }
    s
}

/// Checks `src`, places its bytes under `library_dir` and records it. On any error nothing is
/// left behind: neither a file under the library folder nor a row.
pub fn install(
    db: &Db,
    library_dir: &Path,
    src: &Path,
    audience: SchoolAudience,
    source: &'static str,
    allowed: &Allowed,
) -> Result<Collection, InstallError> {
    if matches!(audience, SchoolAudience::Classes(ref c) if c.is_empty()) {
        return Err(InstallError::NoClass);
    }
    let archive = Archive::open(src)?;
    let uuid = archive.header().uuid_hex();
    let (known, removed) = db.read_blocking({
        let uuid = uuid.clone();
        move |c| Ok((registry::by_uuid(c, &uuid)?, registry::removed(c, &uuid)?))
    })?;
    if let (None, Some((name, _))) = (&known, removed)
        && found_by_scan(source)
    {
        return Err(InstallError::Removed(name));
    }
    if let Some(c) = known {
        if super::missing::present(library_dir, &c) {
            return Err(InstallError::AlreadyInstalled(c.name));
        }
        return reinstate(db, library_dir, archive, c, allowed);
    }
    let meta = archive.metadata_summary();
    let base = url_name(meta.name.as_deref(), src);
    let place_err = |path: &Path| {
        let path = path.to_owned();
        move |source| InstallError::Place { path, source }
    };
    std::fs::create_dir_all(library_dir).map_err(place_err(library_dir))?;
    let taken: Vec<String> =
        db.read_blocking(|c| Ok(registry::list(c)?.into_iter().map(|c| c.name).collect()))?;
    let parts: Vec<PathBuf> = archive.paths().into_iter().map(Path::to_owned).collect();
    let suffixes: Vec<String> = parts.iter().map(|p| part_suffix(p)).collect();
    let name = (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|n| {
            !taken.contains(n)
                && suffixes
                    .iter()
                    .all(|s| !library_dir.join(format!("{n}{s}")).exists())
        })
        .expect("an unused name");
    drop(archive);

    let mut placed: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for (part, suffix) in parts.iter().zip(&suffixes) {
            let dest = library_dir.join(format!("{name}{suffix}"));
            place(part, &dest).map_err(place_err(&dest))?;
            placed.push(dest);
        }
        sync_dir(library_dir).map_err(place_err(library_dir))?;
        let file = placed[0].clone();
        // Read it again where it landed: a copy cut short shows here, not at the first reader.
        let archive = Archive::open(&file)?;
        let new = NewCollection {
            name: name.clone(),
            file,
            uuid,
            size: archive.size(),
            article_count: u64::from(archive.article_count()),
            title: meta.title.clone().unwrap_or_else(|| name.clone()),
            description: meta.description.clone().unwrap_or_default(),
            language: meta.language.clone().unwrap_or_default(),
            creator: meta.creator.clone().unwrap_or_default(),
            publisher: meta.publisher.clone().unwrap_or_default(),
            date: meta.date.clone().unwrap_or_default(),
            illustration: meta
                .illustration_48
                .clone()
                .filter(|b| b.len() <= 64 * 1024),
            audience,
            source,
        };
        let allowed = allowed.clone();
        let name = name.clone();
        db.write_blocking(move |tx| {
            registry::insert(tx, &allowed, &new)?;
            Ok(registry::by_name(tx, &name)?.expect("just inserted"))
        })
        .map_err(InstallError::from)
    })();
    if result.is_err() {
        for p in &placed {
            let _ = std::fs::remove_file(p);
        }
    }
    result
}

/// Puts back the file of a collection still registered but whose file is missing (after a
/// restore: backups carry the registry, not the bytes), under its old name, so that its
/// audience and links stay as they were.
fn reinstate(
    db: &Db,
    library_dir: &Path,
    archive: Archive,
    c: Collection,
    allowed: &Allowed,
) -> Result<Collection, InstallError> {
    let place_err = |path: &Path| {
        let path = path.to_owned();
        move |source| InstallError::Place { path, source }
    };
    std::fs::create_dir_all(library_dir).map_err(place_err(library_dir))?;
    let parts: Vec<PathBuf> = archive.paths().into_iter().map(Path::to_owned).collect();
    drop(archive);
    let mut placed: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for part in &parts {
            let dest = library_dir.join(format!("{}{}", c.name, part_suffix(part)));
            // A part left from before (a split set missing its first part) is ours to replace.
            if dest.exists() && dest != *part {
                std::fs::remove_file(&dest).map_err(place_err(&dest))?;
            }
            place(part, &dest).map_err(place_err(&dest))?;
            placed.push(dest);
        }
        sync_dir(library_dir).map_err(place_err(library_dir))?;
        let file = placed[0].clone();
        Archive::open(&file)?;
        let allowed = allowed.clone();
        let c2 = c.clone();
        let index_gone = !super::index_path(library_dir, &c.uuid).exists();
        db.write_blocking(move |tx| {
            registry::set_file(tx, &allowed, &c2, &file)?;
            if index_gone {
                registry::set_index_state(tx, c2.id, registry::IndexState::Pending, 0, "")?;
            }
            Ok(registry::by_name(tx, &c2.name)?.expect("still registered"))
        })
        .map_err(InstallError::from)
    })();
    if result.is_err() {
        for p in placed.iter().filter(|p| !parts.contains(p)) {
            let _ = std::fs::remove_file(p);
        }
    }
    result
}

/// The part of a file name kept when the collection is renamed: `.zim`, or a split archive
/// part's `.zimaa`, `.zimab`, ...
fn part_suffix(p: &Path) -> String {
    let n = p
        .file_name()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    match n.rfind(".zim") {
        Some(i) => n[i..].to_owned(),
        None => ".zim".to_owned(),
    }
}

/// Hard-links `src` to `dest` when both are on one file system, else copies it through a
/// temporary name, fsynced, then renamed. `dest` must not exist.
fn place(src: &Path, dest: &Path) -> std::io::Result<()> {
    if src == dest {
        return Ok(());
    }
    match std::fs::hard_link(src, dest) {
        Ok(()) => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::CrossesDevices => {}
        // FAT and some network file systems have no hard links: copy as across devices.
        Err(e) if e.kind() == std::io::ErrorKind::Unsupported => {}
        Err(e) if e.raw_os_error() == Some(nix::libc::EPERM) => {}
        Err(e) => return Err(e),
    }
    let tmp = dest.with_extension("part");
    let result = (|| {
        let mut from = std::fs::File::open(src)?;
        let mut to = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        std::io::copy(&mut from, &mut to)?;
        to.sync_all()?;
        std::fs::rename(&tmp, dest)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Forgets a collection and deletes its files under `library_dir` (and its full-text index);
/// files elsewhere are never touched.
pub fn remove(
    db: &Db,
    library_dir: &Path,
    c: &Collection,
    allowed: &Allowed,
) -> Result<(), InstallError> {
    let (allowed2, c2) = (allowed.clone(), c.clone());
    db.write_blocking(move |tx| Ok(registry::delete(tx, &allowed2, &c2)?))?;
    if c.file.parent() == Some(library_dir) {
        let stem = c.name.as_str();
        if let Ok(dir) = std::fs::read_dir(library_dir) {
            for e in dir.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if n.strip_prefix(stem)
                    .is_some_and(|rest| rest.starts_with(".zim") && rest.len() <= 6)
                {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
    let index = super::index_path(library_dir, &c.uuid);
    for p in [
        index.clone(),
        index.with_extension("sqlite-wal"),
        index.with_extension("sqlite-shm"),
    ] {
        let _ = std::fs::remove_file(p);
    }
    let _ = sync_dir(library_dir);
    Ok(())
}
