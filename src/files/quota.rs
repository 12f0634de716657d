//! How much each account may store, and how much it does.
//!
//! Quotas are set per role by the admin (school settings `quota_<role>`, in MiB), and the
//! same numbers bind the web and WebDAV. Class spaces and the staff room have their own.
//!
//! How much a space uses is known by walking it ([`usage`]), O(files): once per write, it
//! made creating 2,000 small files over WebDAV 3 times slower than rclone. So [`used`]
//! keeps each walk for [`FRESH`] in a cache by space root, and the writes that go through
//! our code keep it current: every file put in place by [`store::Upload::commit`] (web
//! uploads, WebDAV PUT and COPY, hand-ins) adds its size to the spaces above it
//! ([`charge`]); deleting, moving and restoring from the trash drop the cached walk instead
//! ([`forget`]), so the next check walks again.
//!
//! The bound: the figure never misses bytes written through our code (a charge made while a
//! walk runs is kept on top of it, at worst counted twice); it over-counts a replaced file's
//! old size when the new one is smaller, and what was deleted during a walk, until the next
//! walk. It misses only what changed on disk behind our back (an admin copying files in by
//! hand), and for at most [`FRESH`] after the walk that preceded the change.
//!
//! [`store::Upload::commit`]: super::store::Upload::commit

use crate::auth::Role;
use crate::ids::SpaceId;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub const MIB: u64 = 1024 * 1024;

/// The default quota of a role's personal space, in MiB.
pub fn default_mib(role: Role) -> u64 {
    match role {
        Role::Pupil => 200,
        Role::Parent => 20,
        Role::Teacher | Role::Staff | Role::Admin => 2048,
    }
}

/// The default quota of a class space or the staff room, in MiB.
pub const SHARED_SPACE_MIB: u64 = 4096;

/// The default cap of one pupil's drop box for one assignment, in MiB.
pub const DROP_BOX_MIB: u64 = 100;

/// A space's quota in bytes, from the settings (`quota_pupil = 200`, `quota_shared = 4096`).
pub fn quota_bytes(
    conn: &rusqlite::Connection,
    space: SpaceId,
    owner_role: Option<Role>,
) -> rusqlite::Result<u64> {
    let (key, default) = match (space, owner_role) {
        (SpaceId::Personal(_), Some(role)) => (format!("quota_{role}"), default_mib(role)),
        (SpaceId::Personal(_), None) => ("quota_pupil".to_owned(), default_mib(Role::Pupil)),
        // A drop box has its own cap, apart from the pupil's personal quota: a full
        // personal space must never stop homework from being handed in.
        (SpaceId::DropBox { .. }, _) => ("quota_dropbox".to_owned(), DROP_BOX_MIB),
        _ => ("quota_shared".to_owned(), SHARED_SPACE_MIB),
    };
    use rusqlite::OptionalExtension;
    let set: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    Ok(set.and_then(|v| v.parse::<u64>().ok()).unwrap_or(default) * MIB)
}

/// How long a walk of a space is trusted (see the module's doc).
pub const FRESH: Duration = Duration::from_secs(60);

#[derive(Default)]
struct Cached {
    /// The last walk kept: bytes, when it started, and `charged` then.
    walk: Option<(u64, Instant, u64)>,
    /// Every byte ever charged to this root; only grows, so a walk can tell which charges
    /// came after it started.
    charged: u64,
    /// When the walk was last dropped: a walk started before cannot be kept.
    forgotten: Option<Instant>,
}

static CACHE: Mutex<Option<HashMap<PathBuf, Cached>>> = Mutex::new(None);

fn cache() -> MutexGuard<'static, Option<HashMap<PathBuf, Cached>>> {
    CACHE.lock().unwrap_or_else(|p| p.into_inner())
}

fn entry<'a>(c: &'a mut Option<HashMap<PathBuf, Cached>>, root: &Path) -> &'a mut Cached {
    c.get_or_insert_with(HashMap::new)
        .entry(root.to_path_buf())
        .or_default()
}

/// Bytes used below the space root `root`: [`usage`], kept for [`FRESH`] and brought up to
/// date by [`charge`] and [`forget`]. Blocking, like [`usage`].
pub fn used(root: &Path) -> std::io::Result<u64> {
    let start = Instant::now();
    let base = {
        let mut c = cache();
        let e = entry(&mut c, root);
        if let Some((bytes, at, base)) = e.walk
            && at.elapsed() < FRESH
        {
            return Ok(bytes + e.charged.saturating_sub(base));
        }
        e.charged
    };
    let bytes = usage(root)?;
    let mut c = cache();
    let e = entry(&mut c, root);
    let newer = e.walk.is_none_or(|(_, at, _)| at < start);
    if newer && e.forgotten.is_none_or(|f| f < start) {
        e.walk = Some((bytes, start, base));
    }
    Ok(bytes + e.charged.saturating_sub(base))
}

/// Counts `bytes` just put at `path` in every cached space that holds it.
pub fn charge(path: &Path, bytes: u64) {
    if let Some(map) = cache().as_mut() {
        for (root, e) in map.iter_mut() {
            if path.starts_with(root) {
                e.charged = e.charged.saturating_add(bytes);
            }
        }
    }
}

/// Drops the cached walk of every space that holds `path`, after something there was
/// deleted or moved: the next [`used`] walks again.
pub fn forget(path: &Path) {
    if let Some(map) = cache().as_mut() {
        let now = Instant::now();
        for (root, e) in map.iter_mut() {
            if path.starts_with(root) || root.starts_with(path) {
                e.walk = None;
                e.forgotten = Some(now);
            }
        }
    }
}

/// Bytes used below `root` (regular files only; links are not followed).
pub fn usage(root: &Path) -> std::io::Result<u64> {
    let mut total = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for e in entries {
            let e = e?;
            let m = e.metadata()?;
            if m.is_dir() {
                stack.push(e.path());
            } else if m.is_file() {
                total += m.len();
            }
        }
    }
    Ok(total)
}

/// Every quota the admin sets, as (setting key, MiB): one per role, then the shared spaces.
pub fn all_quotas(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<(String, u64)>> {
    let mut out = Vec::new();
    for role in Role::ALL {
        let mib = quota_bytes(conn, SpaceId::Personal(crate::ids::UserId(0)), Some(role))? / MIB;
        out.push((format!("quota_{role}"), mib));
    }
    out.push((
        "quota_shared".to_owned(),
        quota_bytes(conn, SpaceId::StaffRoom, None)? / MIB,
    ));
    let drop_box = SpaceId::DropBox {
        assignment: crate::ids::AssignmentId(0),
        class: crate::ids::ClassId(0),
        pupil: crate::ids::UserId(0),
    };
    out.push((
        "quota_dropbox".to_owned(),
        quota_bytes(conn, drop_box, None)? / MIB,
    ));
    Ok(out)
}

/// The largest quota the form accepts, in MiB (1 TiB): beyond is a typing mistake.
pub const MAX_MIB: u64 = 1024 * 1024;

/// Saves one quota, in MiB. Only the keys [`all_quotas`] lists are accepted.
pub fn set_quota(tx: &rusqlite::Transaction<'_>, key: &str, mib: u64) -> rusqlite::Result<bool> {
    let known = key == "quota_shared"
        || key == "quota_dropbox"
        || Role::ALL.iter().any(|r| key == format!("quota_{r}"));
    if !known || mib > MAX_MIB {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        rusqlite::params![key, mib.to_string()],
    )?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn used_is_kept_and_brought_up_to_date() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("space");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/one"), [0u8; 10]).unwrap();
        assert_eq!(used(&root).unwrap(), 10);
        // Written through our code: counted at once.
        std::fs::write(root.join("two"), [0u8; 5]).unwrap();
        charge(&root.join("two"), 5);
        assert_eq!(used(&root).unwrap(), 15);
        // Charges elsewhere do not count here.
        charge(&dir.path().join("other/x"), 7);
        assert_eq!(used(&root).unwrap(), 15);
        // Behind our back: not seen while the walk is fresh...
        std::fs::write(root.join("three"), [0u8; 3]).unwrap();
        assert_eq!(used(&root).unwrap(), 15);
        // ...but a deletion drops the walk, and the next one sees everything.
        std::fs::remove_file(root.join("a/one")).unwrap();
        forget(&root.join("a/one"));
        assert_eq!(used(&root).unwrap(), 8);
        assert_eq!(usage(&root).unwrap(), 8);
    }
}
