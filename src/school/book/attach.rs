//! Files attached to a homework book entry. The author picks them from their own space; each
//! is copied (never linked) to `files/book/<entry>/<attachment id>`, so that:
//!
//! - the class downloads it through the book's own door (`ReadBook` on the entry's class),
//!   and no address ever reaches into the author's space;
//! - the author may go on renaming, changing or deleting their original;
//! - the name on disk is an id, never a name a person typed, while the name people see is
//!   the original's (already a checked name: it came out of a space).
//!
//! Copies are made in two steps like hand-ins: [`stage`] copies each chosen file to a
//! temporary file (fsynced) before the write transaction, so the one writer is never held
//! while copying; [`place`], inside the transaction, records the rows and renames the copies
//! into place. A refused or failed change leaves no file behind.

use super::super::{Result, SchoolError};
use crate::auth::{Action, Principal, authorize};
use crate::files::{self, FileError, store::Upload};
use crate::ids::{BookEntryId, SpaceId};
use rusqlite::{Connection, Transaction};
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::Attachment;

/// The most files one entry holds.
pub const MAX_FILES: usize = 5;
/// The largest file that may be attached, in bytes.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;
/// The picker lists at most this many of the author's files, this deep.
const PICK_MAX: usize = 500;
const PICK_DEPTH: usize = 6;

/// Where an entry's files are kept.
pub fn entry_dir(data_dir: &Path, entry: BookEntryId) -> PathBuf {
    data_dir.join("files").join("book").join(entry.to_string())
}

/// Where one attached file is kept.
pub fn file_path(data_dir: &Path, entry: BookEntryId, attachment: i64) -> PathBuf {
    entry_dir(data_dir, entry).join(attachment.to_string())
}

/// An entry's files, in the order they were added.
pub fn list(conn: &Connection, entry: BookEntryId) -> Result<Vec<Attachment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, file_name, size FROM book_attachments WHERE entry_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([entry], |r| {
        Ok(Attachment {
            id: r.get(0)?,
            file_name: r.get(1)?,
            size: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One of the author's files the form offers: its path below their space, `/`-separated.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Pickable {
    pub path: String,
    pub size: u64,
}

/// The files of `who`'s own space the form offers (regular files only, links skipped), by
/// path.
pub fn pickable(data_dir: &Path, who: &Principal) -> Vec<Pickable> {
    let space = SpaceId::Personal(who.id);
    if authorize(who, &Action::ReadSpace { space }).is_err() {
        return Vec::new();
    }
    let root = files::space_root(data_dir, space);
    let mut out = Vec::new();
    walk(&root, "", 0, &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn walk(dir: &Path, prefix: &str, depth: usize, out: &mut Vec<Pickable>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if out.len() >= PICK_MAX {
            return;
        }
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || files::check_name(&name).is_err() {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
            continue;
        };
        let path = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if meta.is_dir() && depth < PICK_DEPTH {
            walk(&e.path(), &path, depth + 1, out);
        } else if meta.is_file() {
            out.push(Pickable {
                path,
                size: meta.len(),
            });
        }
    }
}

/// A chosen file, copied and waiting for [`place`].
pub struct Staged {
    pub name: String,
    upload: Upload,
}

/// Copies the files `who` chose (paths below their own space) to temporary files. A path
/// that leaves the space, names a folder, a link or nothing is `BadAttachment`; a file over
/// [`MAX_BYTES`] is `AttachmentTooBig`.
pub fn stage(data_dir: &Path, who: &Principal, paths: &[String]) -> Result<Vec<Staged>> {
    if paths.len() > MAX_FILES {
        return Err(SchoolError::TooManyAttachments);
    }
    let mut out = Vec::with_capacity(paths.len());
    for p in paths {
        let (name, path) = own_file(data_dir, who, p)?;
        out.push(Staged {
            name,
            upload: copy(data_dir, &path)?,
        });
    }
    Ok(out)
}

/// A file `who` chose in their own space by its path there (`folder/name`): its name and
/// where it is. A path that leaves the space, names a folder, a link or nothing is
/// `BadAttachment`; a file over [`MAX_BYTES`] is `AttachmentTooBig`. (Blog posts take files
/// from one's documents the same way.)
pub fn own_file(data_dir: &Path, who: &Principal, p: &str) -> Result<(String, PathBuf)> {
    let space = SpaceId::Personal(who.id);
    authorize(who, &Action::ReadSpace { space }).map_err(|_| SchoolError::BadAttachment)?;
    let root = files::space_root(data_dir, space);
    let segments: Vec<&str> = p.split('/').collect();
    let path = files::store::resolve(&root, &segments).map_err(|e| match e {
        FileError::Io(io) => SchoolError::Db(crate::db::Error::Task(io.to_string())),
        _ => SchoolError::BadAttachment,
    })?;
    let meta = std::fs::symlink_metadata(&path).map_err(|_| SchoolError::BadAttachment)?;
    if !meta.is_file() {
        return Err(SchoolError::BadAttachment);
    }
    if meta.len() > MAX_BYTES {
        return Err(SchoolError::AttachmentTooBig);
    }
    let name = segments.last().copied().unwrap_or_default();
    let name = files::check_name(name).map_err(|_| SchoolError::BadAttachment)?;
    Ok((name, path))
}

fn io_error(e: impl std::fmt::Display) -> SchoolError {
    SchoolError::Db(crate::db::Error::Task(format!(
        "copying an attachment: {e}"
    )))
}

/// A temporary, fsynced copy of `path` (not more than [`MAX_BYTES`], even if it grew).
fn copy(data_dir: &Path, path: &Path) -> Result<Upload> {
    let mut from = std::fs::File::open(path).map_err(|_| SchoolError::BadAttachment)?;
    let mut up = Upload::start(data_dir).map_err(io_error)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = from.read(&mut buf).map_err(io_error)?;
        if n == 0 {
            break;
        }
        up.write(&buf[..n]).map_err(io_error)?;
        if up.written > MAX_BYTES {
            return Err(SchoolError::AttachmentTooBig);
        }
    }
    Ok(up)
}

/// Records `staged` as files of `entry` and moves them into place; returns where they went,
/// for the caller to take back out if the transaction fails after all. The entry must hold
/// at most [`MAX_FILES`] files afterwards.
pub fn place(
    tx: &Transaction<'_>,
    data_dir: &Path,
    entry: BookEntryId,
    staged: Vec<Staged>,
) -> Result<Vec<PathBuf>> {
    let held: i64 = tx.query_row(
        "SELECT count(*) FROM book_attachments WHERE entry_id = ?1",
        [entry],
        |r| r.get(0),
    )?;
    if held as usize + staged.len() > MAX_FILES {
        return Err(SchoolError::TooManyAttachments);
    }
    let mut placed = Vec::new();
    let result = (|| -> Result<()> {
        for s in staged {
            tx.prepare_cached(
                "INSERT INTO book_attachments (entry_id, file_name, size, added_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(rusqlite::params![
                entry,
                s.name,
                s.upload.written as i64,
                crate::now()
            ])?;
            let dest = file_path(data_dir, entry, tx.last_insert_rowid());
            s.upload.commit(&dest).map_err(io_error)?;
            placed.push(dest);
        }
        Ok(())
    })();
    if let Err(e) = result {
        discard(&placed);
        return Err(e);
    }
    Ok(placed)
}

/// Forgets the files `ids` of `entry` (ids of other entries are ignored); returns the files
/// to remove once the change is committed.
pub fn remove(
    tx: &Transaction<'_>,
    data_dir: &Path,
    entry: BookEntryId,
    ids: &[i64],
) -> Result<Vec<PathBuf>> {
    let mut gone = Vec::new();
    let mut del =
        tx.prepare_cached("DELETE FROM book_attachments WHERE entry_id = ?1 AND id = ?2")?;
    for id in ids {
        if del.execute(rusqlite::params![entry, id])? > 0 {
            gone.push(file_path(data_dir, entry, *id));
        }
    }
    Ok(gone)
}

/// Removes files no row points at any more (after a committed change), and their folder if
/// it is left empty. Failures are logged: a file left over is harmless.
pub fn discard(paths: &[PathBuf]) {
    for p in paths {
        if let Err(e) = std::fs::remove_file(p)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            log::warn!("could not remove {}: {e}", p.display());
        }
        if let Some(dir) = p.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// One file of an entry `who` may read: its record and where it is on disk. Anything else
/// is `NotFound`.
pub fn readable(
    conn: &Connection,
    who: &Principal,
    data_dir: &Path,
    entry: BookEntryId,
    attachment: i64,
) -> Result<(super::Entry, Attachment, PathBuf)> {
    let e = super::readable(conn, who, entry)?;
    let a = e
        .attachments
        .iter()
        .find(|a| a.id == attachment)
        .cloned()
        .ok_or(SchoolError::NotFound)?;
    let path = file_path(data_dir, entry, attachment);
    Ok((e, a, path))
}
