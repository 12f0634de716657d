//! How much each account may store, and how much it does.
//!
//! Quotas are set per role by the admin (school settings `quota_<role>`, in MiB), and the
//! same numbers bind the web and WebDAV. Class spaces and the staff room have their own.

use crate::auth::Role;
use crate::ids::SpaceId;
use std::path::Path;

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
