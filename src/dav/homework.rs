//! `/dav/Homework/`: the homework drop boxes on a mounted drive.
//!
//! Pupils hand work in by saving into a folder, and teachers collect it by opening one: the
//! same boxes as the portal's homework pages, under the same rules. The folder holds one
//! sub-folder per assignment the principal may see (`ViewAssignments`), named
//! `<class> - <title>` made into a valid file name; names are given in assignment order, and
//! a later assignment whose name would clash (case-insensitively, as Windows compares) with
//! an earlier one's gets ` (#<id>)` added, so a name never changes while both exist.
//!
//! - For a pupil, the assignment's folder IS their own drop box. Reading is the generic
//!   `ReadSpace` path of [`super::fs`]. A PUT of a file directly in it is a hand-in: it needs
//!   `HandIn` (so a closed box answers 403 before a byte is read) and is put in place by
//!   `homework::hand_in_replacing`, which checks the box is still open inside the
//!   transaction that records the row, so the portal's roster, the lateness and the audit log
//!   see it exactly as a hand-in through the browser. Saving again under the same name
//!   replaces the file (and counts as handed in again). DELETE is `homework::withdraw`.
//!   Everything else that would change a box (MKCOL, MOVE, COPY into it, PROPPATCH) is
//!   refused with 403, by the policy's "no `WriteSpace` on a drop box".
//! - For the class's teachers, the assignment's folder holds one read-only folder per pupil
//!   of the roster (every pupil now in the class, and any who handed in and have left), named
//!   by username, so an empty folder shows who has not handed in.
//! - Other pupils' boxes do not exist in a pupil's tree, and other classes' assignments in
//!   anyone's: the same 404 as a made-up name.

use super::file::{Finish, Meta, WriteFile};
use super::fs::{SpacesFs, blocking, fs_error};
use super::namespace::{self, HOMEWORK, Target};
use super::props;
use crate::auth::{Action, Allowed, Principal, authorize};
use crate::files::{self, Space, names, quota, store};
use crate::homework::{self, Assignment, HomeworkError};
use crate::ids::{AssignmentId, SpaceId, UserId};
use dav_server::davpath::DavPath;
use dav_server::fs::{DavFile, FsError, OpenOptions};
use futures_util::FutureExt;
use rusqlite::Connection;
use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;

/// Room left for a ` (#<id>)` suffix below the 255-byte name limit.
const BASE_MAX_BYTES: usize = 200;

/// How the principal sees one assignment.
#[derive(Debug)]
pub enum View {
    /// A pupil of the class: the folder is their own box.
    Own,
    /// A teacher of the class: one folder per pupil, by username. Filled only for the
    /// folder the request is about (see [`load`]).
    Teacher { pupils: Vec<(String, UserId)> },
}

#[derive(Debug)]
pub struct Folder {
    pub name: String,
    pub assignment: Assignment,
    pub view: View,
}

/// The assignments one principal sees, loaded per request.
#[derive(Debug, Default)]
pub struct Tree {
    pub folders: Vec<Folder>,
}

/// The entries of a read-only folder, each with the drop box or space it stands for, if any.
pub type Listing = Vec<(String, Option<SpaceId>)>;

/// Where a path below `/dav/Homework/` lands.
pub enum Hw<'a> {
    /// `Homework/` itself or a teacher's assignment folder: read-only, with these entries
    /// (and the drop box each stands for, if any).
    Virtual(Listing),
    /// In a drop box: `rel` is the path below the box.
    Box {
        folder: &'a Folder,
        space: Space,
        own: bool,
        rel: Vec<String>,
    },
}

/// Loads the assignments `p` sees. The roster of a teacher's folder costs a query or two, so
/// it is loaded only for `wanted` (the path's first segment below `Homework/`): a request
/// never reaches into two assignments, as deep listings are refused.
pub fn load(conn: &Connection, p: &Principal, wanted: Option<&str>) -> homework::Result<Tree> {
    let mut classes = p.classes.clone();
    classes.extend(p.teaches.iter().copied());
    classes.sort();
    classes.dedup();
    let mut all = homework::list_for_classes(conn, &classes)?;
    all.sort_by_key(|a| a.id);
    let wanted = wanted.and_then(|w| files::check_name(w).ok());
    let mut used = HashSet::new();
    let mut folders = Vec::new();
    for a in all {
        let view = if authorize(p, &Action::ManageAssignments { class: a.class_id }).is_ok() {
            View::Teacher { pupils: Vec::new() }
        } else if authorize(p, &Action::ViewAssignments { class: a.class_id }).is_ok()
            && authorize(
                p,
                &Action::ReadSpace {
                    space: a.drop_box(p.id),
                },
            )
            .is_ok()
        {
            View::Own
        } else {
            continue;
        };
        let name = unique_name(base_name(&a), a.id, &mut used);
        folders.push(Folder {
            name,
            assignment: a,
            view,
        });
    }
    for f in &mut folders {
        if wanted.as_deref() != Some(f.name.as_str()) {
            continue;
        }
        if let View::Teacher { pupils } = &mut f.view {
            for row in homework::roster(conn, &f.assignment)? {
                if files::check_name(&row.username).ok().as_deref() == Some(&row.username) {
                    pupils.push((row.username, row.pupil));
                }
            }
            pupils.sort();
        }
    }
    folders.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Tree { folders })
}

/// `<class> - <title>`, with what a file name may not hold replaced by `_`, or
/// `Assignment <id>` if nothing usable is left.
fn base_name(a: &Assignment) -> String {
    let raw: String = format!("{} - {}", a.class_name, a.title)
        .nfc()
        .map(|c| if names::bad_char(c) { '_' } else { c })
        .collect();
    let mut s = raw.trim_start_matches(' ');
    if s.len() > BASE_MAX_BYTES {
        let mut end = BASE_MAX_BYTES;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s = &s[..end];
    }
    let s = s.trim_end_matches([' ', '.']);
    match files::check_name(s) {
        Ok(n) if n == s => n,
        _ => format!("Assignment {}", a.id),
    }
}

fn unique_name(base: String, id: AssignmentId, used: &mut HashSet<String>) -> String {
    let mut name = base.clone();
    let mut n = 1;
    while used.contains(&names::fold(&name)) {
        name = if n == 1 {
            format!("{base} (#{id})")
        } else {
            format!("{base} (#{id}-{n})")
        };
        n += 1;
    }
    used.insert(names::fold(&name));
    name
}

/// Resolves `rest`, the path below `Homework/`.
pub fn locate<'a>(tree: &'a Tree, p: &Principal, rest: &[String]) -> Option<Hw<'a>> {
    let Some(first) = rest.first() else {
        let entries = tree
            .folders
            .iter()
            .map(|f| {
                let own = matches!(f.view, View::Own).then(|| f.assignment.drop_box(p.id));
                (f.name.clone(), own)
            })
            .collect();
        return Some(Hw::Virtual(entries));
    };
    let first = files::check_name(first).ok()?;
    let folder = tree.folders.iter().find(|f| f.name == first)?;
    let a = &folder.assignment;
    let space = |pupil, path: String| Space {
        id: a.drop_box(pupil),
        path,
        title: folder.name.clone(),
        writable: false,
    };
    match &folder.view {
        View::Own => Some(Hw::Box {
            folder,
            space: space(p.id, format!("{HOMEWORK}/{}", folder.name)),
            own: true,
            rel: rest[1..].to_vec(),
        }),
        View::Teacher { pupils } => match rest.get(1) {
            None => Some(Hw::Virtual(
                pupils
                    .iter()
                    .map(|(n, id)| (n.clone(), Some(a.drop_box(*id))))
                    .collect(),
            )),
            Some(who) => {
                let (name, id) = pupils.iter().find(|(n, _)| n == who)?;
                Some(Hw::Box {
                    folder,
                    space: space(*id, format!("{HOMEWORK}/{}/{name}", folder.name)),
                    own: false,
                    rel: rest[2..].to_vec(),
                })
            }
        },
    }
}

/// The entries of the read-only folder `target` (`/dav/`, `Classes/`, `Homework/`, a
/// teacher's assignment folder), each with the space it stands for if any; `None` when
/// `target` is a real folder, listed from the disk.
pub fn virtual_listing(fs: &SpacesFs, target: &Target<'_>) -> Result<Option<Listing>, FsError> {
    Ok(match target {
        Target::Root | Target::Classes => Some(
            namespace::children(&fs.spaces, target)
                .into_iter()
                .map(|(n, s)| (n, s.map(|s| s.id)))
                .collect(),
        ),
        Target::Homework { rest } => match locate(&fs.homework, &fs.principal, rest) {
            None => return Err(FsError::NotFound),
            Some(Hw::Virtual(list)) => Some(list),
            Some(Hw::Box { .. }) => None,
        },
        Target::Space { .. } => None,
    })
}

/// When `path` names a file directly in the principal's own box: the assignment and the
/// file's checked name. `None` for any other path, which the generic code answers (reads
/// are allowed there, writes refused).
fn own_file(fs: &SpacesFs, path: &DavPath) -> Result<Option<(Assignment, String)>, FsError> {
    let segs = namespace::segments(path.as_bytes()).ok_or(FsError::NotFound)?;
    let Some(Target::Homework { rest }) = namespace::locate(&fs.spaces, &segs) else {
        return Ok(None);
    };
    match locate(&fs.homework, &fs.principal, &rest) {
        Some(Hw::Box {
            folder,
            own: true,
            rel,
            ..
        }) => match rel.as_slice() {
            [name] => {
                let name = files::check_name(name).map_err(fs_error)?;
                Ok(Some((folder.assignment.clone(), name)))
            }
            [] => Err(FsError::Forbidden),
            _ => Err(FsError::NotFound),
        },
        _ => Ok(None),
    }
}

/// The policy's word on changing the principal's own box of `a`.
fn may_hand_in(p: &Principal, a: &Assignment) -> Result<Allowed, FsError> {
    let space = a.drop_box(p.id);
    authorize(
        p,
        &Action::HandIn {
            space,
            open: !a.closed,
        },
    )
    .map_err(|_| FsError::Forbidden)
}

fn homework_error(e: HomeworkError) -> FsError {
    match e {
        HomeworkError::Closed => FsError::Forbidden,
        HomeworkError::NotFound => FsError::NotFound,
        HomeworkError::File(f) => fs_error(f),
        other => {
            log::error!("WebDAV hand-in failed: {other}");
            FsError::GeneralFailure
        }
    }
}

/// A PUT in the principal's own box: `Ok(None)` if `path` is not there.
pub async fn open_write(
    fs: &SpacesFs,
    path: &DavPath,
    oo: &OpenOptions,
) -> Result<Option<Box<dyn DavFile>>, FsError> {
    let Some((a, name)) = own_file(fs, path)? else {
        return Ok(None);
    };
    let allowed = may_hand_in(&fs.principal, &a)?;
    let space = a.drop_box(fs.principal.id);
    let dir = homework::box_dir(&fs.app.data_dir, &a, fs.principal.id);
    let dest = dir.join(&name);
    let (d, n, t) = (dir.clone(), name.clone(), dest.clone());
    let existing = blocking(move || match std::fs::symlink_metadata(&t) {
        Ok(m) if m.is_file() => Ok(Some(m.len())),
        Ok(_) => Err(FsError::Forbidden),
        Err(_) => {
            store::check_no_clash(&d, &n, None).map_err(fs_error)?;
            Ok(None)
        }
    })
    .await?;
    match existing {
        Some(_) if oo.create_new => return Err(FsError::Exists),
        None if !oo.create => return Err(FsError::NotFound),
        _ => {}
    }
    let cap = fs
        .app
        .db
        .read(move |c| Ok(quota::quota_bytes(c, space, None)?))
        .await
        .map_err(|e| {
            log::error!("reading a drop box's cap failed: {e}");
            FsError::GeneralFailure
        })?;
    let d = dir.clone();
    let used = blocking(move || quota::used(&d).map_err(|e| fs_error(e.into()))).await?;
    let room = cap.saturating_sub(used) + existing.unwrap_or(0);
    if oo.size.is_some_and(|n| n > room) {
        return Err(FsError::InsufficientStorage);
    }
    let data = fs.app.data_dir.clone();
    let upload = blocking(move || store::Upload::start(&data).map_err(fs_error)).await?;
    let (app, id, target) = (fs.app.clone(), a.id, dest.clone());
    let finish: Finish = Box::new(move |up| {
        async move {
            let data = app.data_dir.clone();
            let who = allowed.actor_name().to_owned();
            app.db
                .write_as(move |tx| homework::hand_in_replacing(tx, &allowed, &data, id, &name, up))
                .await
                .map_err(homework_error)?;
            log::info!("{} handed in a file for assignment {id} over WebDAV", who);
            blocking(move || {
                let m = std::fs::symlink_metadata(&target).map_err(|e| fs_error(e.into()))?;
                Ok(Meta::from_fs(&m))
            })
            .await
        }
        .boxed()
    });
    Ok(Some(Box::new(WriteFile {
        upload: Some(upload),
        dest,
        room,
        expected: oo.size,
        received: 0,
        buf: Default::default(),
        done: None,
        finish: Some(finish),
    })))
}

/// A DELETE in the principal's own box, as a withdrawal: `Ok(false)` if `path` is not there.
pub async fn remove_file(fs: &SpacesFs, path: &DavPath) -> Result<bool, FsError> {
    let Some((a, name)) = own_file(fs, path)? else {
        return Ok(false);
    };
    let allowed = may_hand_in(&fs.principal, &a)?;
    let (data, id, n) = (fs.app.data_dir.clone(), a.id, name.clone());
    fs.app
        .db
        .write_as(move |tx| homework::withdraw(tx, &allowed, &data, id, &n))
        .await
        .map_err(homework_error)?;
    let key = format!("h{}-{}/{name}", a.id, fs.principal.id);
    fs.app
        .db
        .write(move |tx| Ok(props::remove_tree(tx, &key)?))
        .await
        .map_err(|e| {
            log::error!("WebDAV properties: {e}");
            FsError::GeneralFailure
        })?;
    fs.prop_cache.clear();
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ClassId;

    fn assignment(id: i64, class: &str, title: &str) -> Assignment {
        Assignment {
            id: AssignmentId(id),
            class_id: ClassId(1),
            class_name: class.into(),
            title: title.into(),
            instructions: String::new(),
            due_at: 0,
            closed: false,
            created_at: 0,
        }
    }

    #[test]
    fn folder_names_are_valid_and_unique() {
        assert_eq!(
            base_name(&assignment(1, "6e A", "Rédaction")),
            "6e A - Rédaction"
        );
        assert_eq!(
            base_name(&assignment(2, "6e A", "Maths: ex. 3/4?")),
            "6e A - Maths_ ex. 3_4_"
        );
        assert_eq!(base_name(&assignment(3, "6e A", "Fin...")), "6e A - Fin");
        let long = base_name(&assignment(4, "6e A", &"é".repeat(300)));
        assert!(long.len() <= BASE_MAX_BYTES && files::check_name(&long).is_ok());
        let mut used = HashSet::new();
        let names: Vec<String> = [(5, "Essai"), (7, "essai"), (9, "Essai")]
            .into_iter()
            .map(|(id, t)| {
                unique_name(
                    base_name(&assignment(id, "6e A", t)),
                    AssignmentId(id),
                    &mut used,
                )
            })
            .collect();
        assert_eq!(
            names,
            ["6e A - Essai", "6e A - essai (#7)", "6e A - Essai (#9)"]
        );
        let again = unique_name("6e A - essai (#7)".into(), AssignmentId(11), &mut used);
        assert_eq!(again, "6e A - essai (#7) (#11)");
    }
}
