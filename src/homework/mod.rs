//! Homework drop boxes: a teacher opens an assignment for a class, each pupil hands files in
//! to a folder of their own, and the teacher sees who handed in, who is late and who has not.
//!
//! This module holds the rules and knows no HTTP: what a valid assignment is, that a closed
//! box takes nothing, that lateness is derived from the times (a hand-in after the due date
//! is late, so moving the due date re-judges it), and where the files go. A drop box is a
//! space (`SpaceId::DropBox`, under `files/homework/<assignment>/<pupil>/`) with its own cap
//! (`quota_dropbox`, 100 MiB by default): hand-ins never count against, nor are blocked by,
//! the pupil's personal quota. Every change takes the `Allowed` proof of the policy, and
//! the rows and files change together: a refused hand-in leaves neither behind.

pub mod archive;

use crate::accounts::{self, audit};
use crate::auth::Allowed;
use crate::files::{self, FileError, store::Upload};
use crate::ids::{AssignmentId, ClassId, SpaceId, UserId};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use std::path::Path;

/// The longest title, in characters.
pub const TITLE_MAX: usize = 120;
/// The longest instructions, in characters.
pub const INSTRUCTIONS_MAX: usize = 10_000;
/// A due date may be at most this far ahead (a school year and a bit).
pub const DUE_MAX_AHEAD: i64 = 400 * 24 * 3600;

/// Why a homework operation was refused. Each has a message key the doors translate.
#[derive(Debug, thiserror::Error)]
pub enum HomeworkError {
    #[error("a title is required")]
    TitleMissing,
    #[error("the title is too long")]
    TitleTooLong,
    #[error("the instructions are too long")]
    InstructionsTooLong,
    #[error("the due date is not a valid date and time")]
    DueInvalid,
    #[error("the due date is in the past")]
    DuePast,
    #[error("the due date is too far ahead")]
    DueTooFar,
    #[error("the teacher has closed this drop box")]
    Closed,
    #[error("no such assignment")]
    NotFound,
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Db(#[from] crate::db::Error),
}

impl HomeworkError {
    pub fn key(&self) -> &'static str {
        match self {
            HomeworkError::TitleMissing => "homework.error_title",
            HomeworkError::TitleTooLong => "homework.error_title_long",
            HomeworkError::InstructionsTooLong => "homework.error_instructions_long",
            HomeworkError::DueInvalid => "homework.error_due",
            HomeworkError::DuePast => "homework.error_due_past",
            HomeworkError::DueTooFar => "homework.error_due_far",
            HomeworkError::Closed => "homework.error_closed",
            HomeworkError::NotFound => "error.not_found",
            HomeworkError::File(f) => f.key(),
            HomeworkError::Db(_) => "error.internal",
        }
    }
}

impl From<rusqlite::Error> for HomeworkError {
    fn from(e: rusqlite::Error) -> Self {
        HomeworkError::Db(e.into())
    }
}

impl From<accounts::AccountError> for HomeworkError {
    fn from(e: accounts::AccountError) -> Self {
        match e {
            accounts::AccountError::NotFound => HomeworkError::NotFound,
            other => HomeworkError::Db(other.into()),
        }
    }
}

pub type Result<T> = std::result::Result<T, HomeworkError>;

#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    pub id: AssignmentId,
    pub class_id: ClassId,
    pub class_name: String,
    pub title: String,
    pub instructions: String,
    pub due_at: i64,
    pub closed: bool,
    pub created_at: i64,
}

impl Assignment {
    /// The drop box of `pupil` for this assignment.
    pub fn drop_box(&self, pupil: UserId) -> SpaceId {
        SpaceId::DropBox {
            assignment: self.id,
            class: self.class_id,
            pupil,
        }
    }

    /// Whether a hand-in at `at` is late.
    pub fn is_late(&self, at: i64) -> bool {
        at > self.due_at
    }
}

/// One handed-in file.
#[derive(Debug, Clone, Serialize)]
pub struct HandIn {
    pub pupil: UserId,
    pub file_name: String,
    pub size: u64,
    pub handed_in_at: i64,
    pub late: bool,
}

/// Parses the value of an `<input type="datetime-local">` (`2026-05-04T18:00`, seconds
/// optional), in the school's local time like every time the portal shows.
pub fn parse_due(s: &str) -> Option<i64> {
    use time::macros::format_description;
    let s = s.trim();
    let with_secs = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let without = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let dt = time::PrimitiveDateTime::parse(s, without)
        .or_else(|_| time::PrimitiveDateTime::parse(s, with_secs))
        .ok()?;
    Some(dt.assume_offset(crate::clock::offset()).unix_timestamp())
}

/// Formats a time for an `<input type="datetime-local">`.
pub fn format_due(ts: i64) -> String {
    crate::clock::local(ts)
        .and_then(|d| {
            d.format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]"
            ))
            .ok()
        })
        .unwrap_or_default()
}

/// Checks a new assignment's fields; returns the cleaned title and instructions.
pub fn check_new(
    title: &str,
    instructions: &str,
    due_at: Option<i64>,
    now: i64,
) -> Result<(String, String, i64)> {
    let title: String = title.trim().chars().filter(|c| !c.is_control()).collect();
    if title.is_empty() {
        return Err(HomeworkError::TitleMissing);
    }
    if title.chars().count() > TITLE_MAX {
        return Err(HomeworkError::TitleTooLong);
    }
    let instructions: String = instructions
        .trim()
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
        .collect();
    if instructions.chars().count() > INSTRUCTIONS_MAX {
        return Err(HomeworkError::InstructionsTooLong);
    }
    let due = due_at.ok_or(HomeworkError::DueInvalid)?;
    if due < now {
        return Err(HomeworkError::DuePast);
    }
    if due > now + DUE_MAX_AHEAD {
        return Err(HomeworkError::DueTooFar);
    }
    Ok((title, instructions, due))
}

/// Opens an assignment for `class`. The caller holds `ManageAssignments { class }`.
pub fn create(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    class: ClassId,
    title: &str,
    instructions: &str,
    due_at: Option<i64>,
) -> Result<AssignmentId> {
    let now = crate::now();
    let (title, instructions, due) = check_new(title, instructions, due_at, now)?;
    accounts::get_class(tx, class)?;
    tx.execute(
        "INSERT INTO assignments (class_id, title, instructions, due_at, closed, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)",
        params![class, title, instructions, due, allowed.actor(), now],
    )?;
    let id = AssignmentId(tx.last_insert_rowid());
    audit(tx, allowed, &format!("assignment:{id}"), &title)?;
    Ok(id)
}

/// Closes a drop box (no more hand-ins, even late ones) or opens it again.
pub fn set_closed(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    id: AssignmentId,
    closed: bool,
) -> Result<()> {
    let n = tx.execute(
        "UPDATE assignments SET closed = ?1 WHERE id = ?2",
        params![closed, id],
    )?;
    if n == 0 {
        return Err(HomeworkError::NotFound);
    }
    let detail = if closed { "closed" } else { "reopened" };
    audit(tx, allowed, &format!("assignment:{id}"), detail)?;
    Ok(())
}

const SELECT: &str = "SELECT a.id, a.class_id, c.name, a.title, a.instructions, a.due_at,
    a.closed, a.created_at FROM assignments a JOIN classes c ON c.id = a.class_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Assignment> {
    Ok(Assignment {
        id: r.get(0)?,
        class_id: r.get(1)?,
        class_name: r.get(2)?,
        title: r.get(3)?,
        instructions: r.get(4)?,
        due_at: r.get(5)?,
        closed: r.get(6)?,
        created_at: r.get(7)?,
    })
}

pub fn get(conn: &Connection, id: AssignmentId) -> Result<Assignment> {
    conn.prepare_cached(&format!("{SELECT} WHERE a.id = ?1"))?
        .query_row([id], row)
        .optional()?
        .ok_or(HomeworkError::NotFound)
}

/// The assignments of these classes, the next due first, then the past ones.
pub fn list_for_classes(conn: &Connection, classes: &[ClassId]) -> Result<Vec<Assignment>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE a.class_id = ?1"))?;
    for c in classes {
        for a in stmt.query_map([c], row)? {
            out.push(a?);
        }
    }
    let now = crate::now();
    out.sort_by_key(|a| {
        (
            a.due_at < now,
            if a.due_at < now { -a.due_at } else { a.due_at },
        )
    });
    Ok(out)
}

/// The files handed in for `assignment`, by one pupil or by all, oldest first.
pub fn hand_ins(conn: &Connection, a: &Assignment, pupil: Option<UserId>) -> Result<Vec<HandIn>> {
    let mut stmt = conn.prepare_cached(
        "SELECT pupil_id, file_name, size, handed_in_at FROM hand_ins
         WHERE assignment_id = ?1 AND (?2 IS NULL OR pupil_id = ?2)
         ORDER BY handed_in_at, file_name",
    )?;
    let rows = stmt.query_map(params![a.id, pupil], |r| {
        let at: i64 = r.get(3)?;
        Ok(HandIn {
            pupil: r.get(0)?,
            file_name: r.get(1)?,
            size: r.get::<_, i64>(2)? as u64,
            handed_in_at: at,
            late: a.is_late(at),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Where one pupil's hand-ins are kept.
pub fn box_dir(data_dir: &Path, a: &Assignment, pupil: UserId) -> std::path::PathBuf {
    files::space_root(data_dir, a.drop_box(pupil))
}

/// Records and puts in place files a pupil sent, all or none. The uploads are already whole
/// in their temporary files; the box is checked open again here, inside the transaction, so
/// a teacher closing it during a long upload wins. The caller holds `HandIn` on the box.
pub fn hand_in(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    data_dir: &Path,
    id: AssignmentId,
    uploads: Vec<(String, Upload)>,
) -> Result<usize> {
    let a = get(tx, id)?;
    if a.closed {
        return Err(HomeworkError::Closed);
    }
    let pupil = allowed.actor();
    let dir = box_dir(data_dir, &a, pupil);
    let now = crate::now();
    for (name, _) in &uploads {
        files::store::check_no_clash(&dir, name, None)?;
    }
    let mut placed = Vec::new();
    let count = uploads.len();
    let result = (|| -> Result<()> {
        for (name, up) in uploads {
            tx.execute(
                "INSERT INTO hand_ins (assignment_id, pupil_id, file_name, size, handed_in_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, pupil, name, up.written as i64, now],
            )?;
            let dest = dir.join(&name);
            up.commit(&dest)?;
            placed.push(dest);
        }
        let late = if a.is_late(now) { " (late)" } else { "" };
        audit(
            tx,
            allowed,
            &format!("assignment:{id}"),
            &format!("{count} file(s){late}"),
        )?;
        Ok(())
    })();
    if result.is_err() {
        // The transaction rolls back; take the files that made it into place back out too.
        for p in placed {
            let _ = std::fs::remove_file(p);
        }
    }
    result.map(|_| count)
}

/// Hands in one file, replacing the pupil's earlier file of exactly the same name if there is
/// one: a network drive saves a document again under its name, and Finder and Explorer often
/// send an empty file first. The replaced file counts as handed in now (so possibly late).
/// The rows and the audit are written first and the file renamed into place last, so a
/// failure leaves the old file and its row as they were. Returns whether a file was replaced.
/// The caller holds `HandIn` on the box.
pub fn hand_in_replacing(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    data_dir: &Path,
    id: AssignmentId,
    name: &str,
    upload: Upload,
) -> Result<bool> {
    let a = get(tx, id)?;
    if a.closed {
        return Err(HomeworkError::Closed);
    }
    let name = files::check_name(name)?;
    let pupil = allowed.actor();
    let dir = box_dir(data_dir, &a, pupil);
    let replaced = tx.execute(
        "DELETE FROM hand_ins WHERE assignment_id = ?1 AND pupil_id = ?2 AND file_name = ?3",
        params![id, pupil, name],
    )? > 0;
    files::store::check_no_clash(&dir, &name, replaced.then_some(name.as_str()))?;
    let now = crate::now();
    tx.execute(
        "INSERT INTO hand_ins (assignment_id, pupil_id, file_name, size, handed_in_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, pupil, name, upload.written as i64, now],
    )?;
    let late = if a.is_late(now) { " (late)" } else { "" };
    let what = if replaced { "replaced" } else { "handed in" };
    audit(
        tx,
        allowed,
        &format!("assignment:{id}"),
        &format!("{what} {name}{late}"),
    )?;
    upload.commit(&dir.join(&name))?;
    Ok(replaced)
}

/// Takes a handed-in file back out of the pupil's own box, while the box is open.
pub fn withdraw(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    data_dir: &Path,
    id: AssignmentId,
    name: &str,
) -> Result<()> {
    let a = get(tx, id)?;
    if a.closed {
        return Err(HomeworkError::Closed);
    }
    let pupil = allowed.actor();
    let n = tx.execute(
        "DELETE FROM hand_ins WHERE assignment_id = ?1 AND pupil_id = ?2 AND file_name = ?3",
        params![id, pupil, name],
    )?;
    if n == 0 {
        return Err(HomeworkError::NotFound);
    }
    let name = files::check_name(name)?;
    let root = box_dir(data_dir, &a, pupil);
    let path = files::store::resolve(&root, &[name.as_str()])?;
    let removed = std::fs::remove_file(&path);
    files::quota::forget(&path);
    match removed {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(FileError::Io(e).into()),
    }
    files::store::sync_dir(&root).ok();
    audit(
        tx,
        allowed,
        &format!("assignment:{id}"),
        &format!("withdrew {name}"),
    )?;
    Ok(())
}

/// Where a pupil stands on an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nothing handed in yet.
    Missing,
    /// Everything came before the due date.
    OnTime,
    /// The last file came after the due date.
    Late,
}

/// A pupil of the class with their status and files, for the teacher's roster.
#[derive(Debug, Clone, Serialize)]
pub struct RosterRow {
    pub pupil: UserId,
    pub username: String,
    pub display_name: String,
    pub status: Status,
    pub last_at: Option<i64>,
    pub files: Vec<HandIn>,
}

pub fn status_of(a: &Assignment, files: &[HandIn]) -> (Status, Option<i64>) {
    let last = files.iter().map(|f| f.handed_in_at).max();
    let status = match last {
        None => Status::Missing,
        Some(t) if a.is_late(t) => Status::Late,
        Some(_) => Status::OnTime,
    };
    (status, last)
}

/// Every pupil now in the class, with what they handed in; plus pupils who handed in and
/// have since left the class, so that no hand-in disappears from the teacher's view.
pub fn roster(conn: &Connection, a: &Assignment) -> Result<Vec<RosterRow>> {
    let all = hand_ins(conn, a, None)?;
    let mut pupils: Vec<(UserId, String, String)> = accounts::class_pupils(conn, a.class_id)?
        .into_iter()
        .map(|u| (u.id, u.username, u.display_name))
        .collect();
    for h in &all {
        if !pupils.iter().any(|(id, ..)| *id == h.pupil) {
            let u = accounts::get_user(conn, h.pupil)?;
            pupils.push((u.id, u.username, u.display_name));
        }
    }
    Ok(pupils
        .into_iter()
        .map(|(pupil, username, display_name)| {
            let files: Vec<HandIn> = all.iter().filter(|h| h.pupil == pupil).cloned().collect();
            let (status, last_at) = status_of(a, &files);
            RosterRow {
                pupil,
                username,
                display_name,
                status,
                last_at,
                files,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_from_the_browser() {
        assert_eq!(parse_due("2026-05-04T18:00"), Some(1_777_917_600));
        assert_eq!(parse_due("2026-05-04T18:00:30"), Some(1_777_917_630));
        assert_eq!(format_due(1_777_917_600), "2026-05-04T18:00");
        for bad in [
            "",
            "tomorrow",
            "2026-13-01T10:00",
            "2026-02-30T10:00",
            "2026-05-04",
        ] {
            assert_eq!(parse_due(bad), None, "{bad}");
        }
    }

    #[test]
    fn new_assignments_are_checked() {
        let now = 1_777_000_000;
        assert!(check_new("Rédaction", "Deux pages.", Some(now + 3600), now).is_ok());
        let err = |t: &str, d| check_new(t, "", d, now).unwrap_err().key();
        assert_eq!(err("  ", Some(now + 1)), "homework.error_title");
        assert_eq!(
            err(&"x".repeat(121), Some(now + 1)),
            "homework.error_title_long"
        );
        assert_eq!(err("t", None), "homework.error_due");
        assert_eq!(err("t", Some(now - 60)), "homework.error_due_past");
        assert_eq!(
            err("t", Some(now + DUE_MAX_AHEAD + 1)),
            "homework.error_due_far"
        );
    }

    #[test]
    fn lateness_follows_the_last_file() {
        let a = Assignment {
            id: AssignmentId(1),
            class_id: ClassId(1),
            class_name: "6e A".into(),
            title: "t".into(),
            instructions: String::new(),
            due_at: 100,
            closed: false,
            created_at: 0,
        };
        let f = |at| HandIn {
            pupil: UserId(1),
            file_name: "a".into(),
            size: 1,
            handed_in_at: at,
            late: a.is_late(at),
        };
        assert_eq!(status_of(&a, &[]).0, Status::Missing);
        assert_eq!(status_of(&a, &[f(50), f(100)]).0, Status::OnTime);
        assert_eq!(status_of(&a, &[f(50), f(101)]), (Status::Late, Some(101)));
    }
}
