//! The trash: deleting a file or folder moves it aside for 30 days instead of destroying it,
//! because pupils and teachers delete the wrong thing and the school office cannot restore a
//! backup for one document.
//!
//! A deleted entry is renamed (same filesystem, so nothing is copied) to
//! `DATA/files/.trash/<random>` and recorded in the `trash` table with where it came from.
//! Restoring renames it back, refusing if the name has been taken since. Entries older than
//! [`KEEP_DAYS`] are purged when a trash is listed and at start-up: no timer wakes the disk.
//!
//! Deleted items live outside every space's root, so they do not count in quota usage:
//! deleting is how a full account makes room. Restoring counts them again, and is refused
//! when they would not fit.

use super::{FileError, Result, quota, store};
use crate::ids::{ClassId, SpaceId, UserId};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// How long a deleted item can be restored.
pub const KEEP_DAYS: i64 = 30;
const KEEP_SECS: i64 = KEEP_DAYS * 24 * 3600;

/// Where deleted items wait, beside the spaces (so that moving there is a rename).
pub fn trash_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("files").join(".trash")
}

/// How a space is written in the `trash` table.
pub fn space_key(id: SpaceId) -> String {
    match id {
        SpaceId::Personal(u) => format!("u:{u}"),
        SpaceId::Class(c) => format!("c:{c}"),
        SpaceId::StaffRoom => "staff".to_owned(),
        SpaceId::DropBox {
            assignment,
            class,
            pupil,
        } => format!("h:{assignment}:{class}:{pupil}"),
    }
}

pub fn parse_space_key(s: &str) -> Option<SpaceId> {
    match s.split_once(':') {
        Some(("u", id)) => id.parse().ok().map(|i| SpaceId::Personal(UserId(i))),
        Some(("c", id)) => id.parse().ok().map(|i| SpaceId::Class(ClassId(i))),
        Some(("h", ids)) => {
            let mut it = ids.split(':').map(|i| i.parse::<i64>().ok());
            match (
                it.next().flatten(),
                it.next().flatten(),
                it.next().flatten(),
                it.next(),
            ) {
                (Some(a), Some(c), Some(p), None) => Some(SpaceId::DropBox {
                    assignment: crate::ids::AssignmentId(a),
                    class: ClassId(c),
                    pupil: UserId(p),
                }),
                _ => None,
            }
        }
        None if s == "staff" => Some(SpaceId::StaffRoom),
        _ => None,
    }
}

/// One deleted file or folder.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: i64,
    pub space: SpaceId,
    /// Its path inside the space, `/`-separated.
    pub original_path: String,
    pub stored_name: String,
    pub is_dir: bool,
    pub size: u64,
    pub deleted_by: Option<UserId>,
    pub deleted_at: i64,
}

fn db_err(e: rusqlite::Error) -> FileError {
    FileError::Io(std::io::Error::other(e))
}

/// Moves `full` (the entry at `original_path` in `space`) to the trash and records it. Runs
/// inside the caller's write transaction: if recording fails, the entry is put back.
pub fn put(
    conn: &Connection,
    data_dir: &Path,
    space: SpaceId,
    original_path: &str,
    full: &Path,
    by: UserId,
    now: i64,
) -> Result<i64> {
    let meta = match std::fs::symlink_metadata(full) {
        Ok(m) if !m.file_type().is_symlink() => m,
        Ok(_) => return Err(FileError::NotFound),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(FileError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let size = if meta.is_dir() {
        quota::usage(full)?
    } else {
        meta.len()
    };
    let dir = trash_dir(data_dir);
    std::fs::create_dir_all(&dir)?;
    let stored = crate::random_token(16);
    let dest = dir.join(&stored);
    std::fs::rename(full, &dest)?;
    quota::forget(full);
    let recorded = conn
        .prepare_cached(
            "INSERT INTO trash (space, original_path, stored_name, is_dir, size, deleted_by, deleted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .and_then(|mut s| {
            s.execute(params![
                space_key(space),
                original_path,
                stored,
                meta.is_dir(),
                size as i64,
                by,
                now
            ])
        })
        .map(|_| conn.last_insert_rowid());
    match recorded {
        Ok(id) => {
            store::sync_dir(&dir)?;
            if let Some(parent) = full.parent() {
                store::sync_dir(parent)?;
            }
            Ok(id)
        }
        Err(e) => {
            let _ = std::fs::rename(&dest, full);
            Err(db_err(e))
        }
    }
}

fn item(r: &rusqlite::Row<'_>) -> rusqlite::Result<Item> {
    let space: String = r.get(1)?;
    Ok(Item {
        id: r.get(0)?,
        space: parse_space_key(&space).unwrap_or(SpaceId::StaffRoom),
        original_path: r.get(2)?,
        stored_name: r.get(3)?,
        is_dir: r.get(4)?,
        size: r.get::<_, i64>(5)?.max(0) as u64,
        deleted_by: r.get(6)?,
        deleted_at: r.get(7)?,
    })
}

const COLUMNS: &str = "id, space, original_path, stored_name, is_dir, size, deleted_by, deleted_at";

/// The deleted items of `spaces`, newest first.
pub fn list(conn: &Connection, spaces: &[SpaceId]) -> Result<Vec<Item>> {
    let mut out = Vec::new();
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM trash WHERE space = ?1 ORDER BY deleted_at DESC, id DESC"
        ))
        .map_err(db_err)?;
    for s in spaces {
        let rows = stmt
            .query_map([space_key(*s)], item)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(db_err)?;
        out.extend(rows);
    }
    out.sort_by(|a, b| b.deleted_at.cmp(&a.deleted_at).then(b.id.cmp(&a.id)));
    Ok(out)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Item>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM trash WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], item).optional())
        .map_err(db_err)
}

/// Puts `item` back at its place below `space_root`, recreating missing parent folders.
/// Refuses if the name (in any case) is taken there now, or if it would not fit in the
/// `room` bytes left in the quota. The caller checked the policy on `item.space`.
pub fn restore(
    conn: &Connection,
    data_dir: &Path,
    space_root: &Path,
    item: &Item,
    room: u64,
) -> Result<PathBuf> {
    let segments: Vec<&str> = item.original_path.split('/').collect();
    let dest = store::resolve(space_root, &segments)?;
    let (Some(parent), Some(name)) = (dest.parent(), segments.last()) else {
        return Err(FileError::InvalidName);
    };
    if std::fs::symlink_metadata(&dest).is_ok() {
        return Err(FileError::Exists);
    }
    store::check_no_clash(parent, name, None)?;
    if item.size > room {
        return Err(FileError::QuotaExceeded);
    }
    let src = trash_dir(data_dir).join(&item.stored_name);
    if std::fs::symlink_metadata(&src).is_err() {
        // Its stored copy is gone (purged by hand?): forget the row, report it missing.
        conn.execute("DELETE FROM trash WHERE id = ?1", [item.id])
            .map_err(db_err)?;
        return Err(FileError::NotFound);
    }
    std::fs::create_dir_all(parent)?;
    conn.execute("DELETE FROM trash WHERE id = ?1", [item.id])
        .map_err(db_err)?;
    std::fs::rename(&src, &dest)?;
    quota::forget(&dest);
    store::sync_dir(parent)?;
    store::sync_dir(&trash_dir(data_dir))?;
    Ok(dest)
}

/// Deletes for good what was put in the trash more than [`KEEP_DAYS`] ago. With `orphans`
/// (at start-up, before any request), also removes stored entries no row points to: the
/// remains of a crash between the rename and the commit.
pub fn purge(conn: &Connection, data_dir: &Path, now: i64, orphans: bool) -> Result<usize> {
    let old: Vec<(i64, String)> = conn
        .prepare_cached("SELECT id, stored_name FROM trash WHERE deleted_at < ?1")
        .and_then(|mut s| {
            s.query_map([now - KEEP_SECS], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        })
        .map_err(db_err)?;
    let dir = trash_dir(data_dir);
    for (id, stored) in &old {
        remove_entry(&dir.join(stored))?;
        conn.execute("DELETE FROM trash WHERE id = ?1", [id])
            .map_err(db_err)?;
    }
    if orphans && let Ok(entries) = std::fs::read_dir(&dir) {
        let mut known = conn
            .prepare_cached("SELECT 1 FROM trash WHERE stored_name = ?1")
            .map_err(db_err)?;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !known.exists([&name]).map_err(db_err)? {
                remove_entry(&e.path())?;
            }
        }
    }
    Ok(old.len())
}

fn remove_entry(path: &Path) -> Result<()> {
    let r = match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(_) => Ok(()),
    };
    match r {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, Connection, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE users (id INTEGER PRIMARY KEY);
             INSERT INTO users (id) VALUES (1);",
        )
        .unwrap();
        conn.execute_batch(include_str!("../db/migrations/0002_trash.sql"))
            .unwrap();
        let root = dir.path().join("files/users/1");
        std::fs::create_dir_all(root.join("Maths")).unwrap();
        std::fs::write(root.join("Maths/devoir.txt"), b"12345").unwrap();
        (dir, conn, root)
    }

    const ME: SpaceId = SpaceId::Personal(UserId(1));

    #[test]
    fn space_keys_round_trip() {
        for s in [
            SpaceId::Personal(UserId(7)),
            SpaceId::Class(ClassId(3)),
            SpaceId::StaffRoom,
        ] {
            assert_eq!(parse_space_key(&space_key(s)), Some(s));
        }
        assert_eq!(parse_space_key("x:1"), None);
        assert_eq!(parse_space_key("u:abc"), None);
    }

    #[test]
    fn delete_then_restore_puts_a_folder_back() {
        let (dir, conn, root) = setup();
        let id = put(
            &conn,
            dir.path(),
            ME,
            "Maths",
            &root.join("Maths"),
            UserId(1),
            1000,
        )
        .unwrap();
        assert!(!root.join("Maths").exists());
        assert_eq!(quota::usage(&root).unwrap(), 0, "the trash is not counted");
        let items = list(&conn, &[ME]).unwrap();
        assert_eq!(items.len(), 1);
        assert!(items[0].is_dir);
        assert_eq!(items[0].size, 5);
        let item = get(&conn, id).unwrap().unwrap();
        restore(&conn, dir.path(), &root, &item, u64::MAX).unwrap();
        assert_eq!(
            std::fs::read(root.join("Maths/devoir.txt")).unwrap(),
            b"12345"
        );
        assert!(list(&conn, &[ME]).unwrap().is_empty());
        assert_eq!(std::fs::read_dir(trash_dir(dir.path())).unwrap().count(), 0);
    }

    #[test]
    fn restore_refuses_a_taken_name_or_a_full_quota_and_changes_nothing() {
        let (dir, conn, root) = setup();
        let file = root.join("Maths/devoir.txt");
        let id = put(
            &conn,
            dir.path(),
            ME,
            "Maths/devoir.txt",
            &file,
            UserId(1),
            1000,
        )
        .unwrap();
        std::fs::write(root.join("Maths/DEVOIR.TXT"), b"new").unwrap();
        let item = get(&conn, id).unwrap().unwrap();
        assert!(matches!(
            restore(&conn, dir.path(), &root, &item, u64::MAX),
            Err(FileError::Exists)
        ));
        std::fs::remove_file(root.join("Maths/DEVOIR.TXT")).unwrap();
        assert!(matches!(
            restore(&conn, dir.path(), &root, &item, 4),
            Err(FileError::QuotaExceeded)
        ));
        assert_eq!(list(&conn, &[ME]).unwrap().len(), 1, "still in the trash");
        restore(&conn, dir.path(), &root, &item, 5).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"12345");
    }

    #[test]
    fn restore_recreates_a_deleted_parent() {
        let (dir, conn, root) = setup();
        let file = root.join("Maths/devoir.txt");
        let id = put(
            &conn,
            dir.path(),
            ME,
            "Maths/devoir.txt",
            &file,
            UserId(1),
            1000,
        )
        .unwrap();
        std::fs::remove_dir(root.join("Maths")).unwrap();
        let item = get(&conn, id).unwrap().unwrap();
        restore(&conn, dir.path(), &root, &item, u64::MAX).unwrap();
        assert!(file.is_file());
    }

    #[test]
    fn old_items_are_purged_and_orphans_swept() {
        let (dir, conn, root) = setup();
        let now = 100 * 24 * 3600;
        put(
            &conn,
            dir.path(),
            ME,
            "Maths",
            &root.join("Maths"),
            UserId(1),
            now - KEEP_SECS - 1,
        )
        .unwrap();
        std::fs::write(root.join("keep.txt"), b"k").unwrap();
        put(
            &conn,
            dir.path(),
            ME,
            "keep.txt",
            &root.join("keep.txt"),
            UserId(1),
            now - 60,
        )
        .unwrap();
        std::fs::write(trash_dir(dir.path()).join("orphan"), b"o").unwrap();
        assert_eq!(purge(&conn, dir.path(), now, false).unwrap(), 1);
        let left = list(&conn, &[ME]).unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].original_path, "keep.txt");
        assert_eq!(std::fs::read_dir(trash_dir(dir.path())).unwrap().count(), 2);
        purge(&conn, dir.path(), now, true).unwrap();
        assert_eq!(std::fs::read_dir(trash_dir(dir.path())).unwrap().count(), 1);
        assert_eq!(list(&conn, &[ME]).unwrap().len(), 1);
    }
}
