//! Which spaces an account sees, what they are called, and where they live on disk.
//!
//! At the top of `/dav/` (and of the web file manager) an account sees its own space under
//! its username, `Classes/<class>` for each class it is in or teaches, and `Staff` for the
//! staff room. `Classes` and `Staff` start with a capital, so no username can take them.

use crate::accounts;
use crate::auth::{Action, Principal, authorize};
use crate::ids::SpaceId;
use rusqlite::Connection;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The folder of class spaces at the top of `/dav/`.
pub const CLASSES: &str = "Classes";
/// The staff room's folder at the top of `/dav/`.
pub const STAFF: &str = "Staff";

#[derive(Debug, Clone, Serialize)]
pub struct Space {
    pub id: SpaceId,
    /// The path of the space's root below `/dav/`: `amina.diallo`, `Classes/6e A`, `Staff`.
    pub path: String,
    /// What a person reads: the class name, or their own name.
    pub title: String,
    pub writable: bool,
}

/// Where a space's files are kept, below the data directory.
pub fn space_root(data_dir: &Path, id: SpaceId) -> PathBuf {
    let files = data_dir.join("files");
    match id {
        SpaceId::Personal(u) => files.join("users").join(u.to_string()),
        SpaceId::Class(c) => files.join("classes").join(c.to_string()),
        SpaceId::StaffRoom => files.join("staff"),
        SpaceId::DropBox {
            assignment, pupil, ..
        } => files
            .join("homework")
            .join(assignment.to_string())
            .join(pupil.to_string()),
    }
}

/// The spaces `p` may read, in the order they are listed.
pub fn visible_spaces(conn: &Connection, p: &Principal) -> accounts::Result<Vec<Space>> {
    let may = |id| authorize(p, &Action::ReadSpace { space: id }).is_ok();
    let writes = |id| authorize(p, &Action::WriteSpace { space: id }).is_ok();
    let mut out = Vec::new();
    let own = SpaceId::Personal(p.id);
    out.push(Space {
        id: own,
        path: p.username.clone(),
        title: p.display_name.clone(),
        writable: writes(own),
    });
    let mut ids = p.classes.clone();
    ids.extend(p.teaches.iter().copied());
    ids.sort();
    ids.dedup();
    for class in accounts::classes_by_id(conn, &ids)? {
        let id = SpaceId::Class(class.id);
        if may(id) {
            out.push(Space {
                id,
                path: format!("{CLASSES}/{}", class.name),
                title: class.name.clone(),
                writable: writes(id),
            });
        }
    }
    if may(SpaceId::StaffRoom) {
        out.push(Space {
            id: SpaceId::StaffRoom,
            path: STAFF.to_owned(),
            title: STAFF.to_owned(),
            writable: writes(SpaceId::StaffRoom),
        });
    }
    Ok(out)
}
