//! Writing an import, all or nothing, and keeping the uploaded file between its preview and
//! its import.
//!
//! The file itself is kept (not the plan), so the import applies exactly the bytes the office
//! saw previewed, planned again against the database as it is at that moment.

use super::plan::fold_class;
use super::{FileError, Plan, plan};
use crate::accounts::{NewUser, Result, add_member, audit, create_class, create_user, find_class};
use crate::auth::{Allowed, Role};
use crate::ids::{ClassId, UserId};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// Why an import wrote nothing.
#[derive(Debug, Clone)]
pub enum Refusal {
    File(FileError),
    /// At least one line has a problem; the plan says which.
    Problems(Box<Plan>),
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Summary {
    pub accounts: usize,
    pub by_role: Vec<(Role, usize)>,
    /// Every class the file named, with whether the import made it.
    pub classes: Vec<ImportedClass>,
}

#[derive(Debug, Clone)]
pub struct ImportedClass {
    pub id: ClassId,
    pub name: String,
    pub new: bool,
}

/// Imports `bytes` inside `tx`: plans again, and writes only if no line has a problem.
/// Accounts are made without a password (nobody can log in until login slips are printed),
/// classes are made in `school_year` when missing, pupils join their class and teachers
/// teach theirs. Each step writes its own audit entry, and one more names the file.
///
/// A refusal writes nothing. An `Err` may come after some writes: the caller's transaction
/// must roll back on it, as `Db::write` does.
pub fn apply(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    bytes: &[u8],
    file_name: &str,
    school_year: &str,
    creatable: &[Role],
) -> Result<std::result::Result<Summary, Refusal>> {
    let plan = match plan(tx, bytes, school_year, creatable)? {
        Ok(p) => p,
        Err(e) => return Ok(Err(Refusal::File(e))),
    };
    if !plan.is_clean() {
        return Ok(Err(Refusal::Problems(Box::new(plan))));
    }
    let mut classes = Vec::with_capacity(plan.classes.len());
    for c in &plan.classes {
        let (id, new) = match c.existing {
            Some(id) => (id, false),
            // Looked up again: the plan's view of the class is from this transaction too,
            // but a class could only be missing here if the plan missed it.
            None => match find_class(tx, &c.name, school_year)? {
                Some(id) => (id, false),
                None => (create_class(tx, allowed, &c.name, school_year)?, true),
            },
        };
        classes.push(ImportedClass {
            id,
            name: c.name.clone(),
            new,
        });
    }
    let class_id = |name: &str| {
        let folded = fold_class(name);
        classes
            .iter()
            .find(|c| fold_class(&c.name) == folded)
            .map(|c| c.id)
    };
    for l in &plan.lines {
        let new = NewUser {
            username: l.username.clone(),
            first_name: l.first_name.clone(),
            last_name: l.last_name.clone(),
            role: Some(l.role),
            language: l.language.map(str::to_owned),
        };
        let user = create_user(tx, allowed, &new, None, true)?;
        for name in &l.classes {
            if let Some(class) = class_id(name) {
                add_member(tx, allowed, class, user)?;
            }
        }
    }
    let by_role = plan.count_by_role();
    let roles = by_role
        .iter()
        .map(|(r, n)| format!("{n} {r}"))
        .collect::<Vec<_>>()
        .join(", ");
    let made = classes.iter().filter(|c| c.new).count();
    audit(
        tx,
        allowed,
        &format!("file {file_name}"),
        &format!(
            "imported {} accounts ({roles}), {made} new classes",
            plan.lines.len()
        ),
    )?;
    Ok(Ok(Summary {
        accounts: plan.lines.len(),
        by_role,
        classes,
    }))
}

/// How long an uploaded file waits for its import before it is swept away.
pub const PENDING_TTL_SECS: i64 = 24 * 3600;

/// A file uploaded for import, waiting between its preview and its import.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: String,
    pub file_name: String,
    pub content: Vec<u8>,
    pub created_at: i64,
}

/// Keeps an uploaded file for its uploader (the proof's actor) and returns its random id.
/// Files older than a day are swept first, so abandoned previews do not pile up.
pub fn store_pending(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    file_name: &str,
    content: &[u8],
) -> Result<String> {
    sweep_pending(tx)?;
    let id = crate::random_token(16);
    tx.execute(
        "INSERT INTO pending_imports (id, user_id, created_at, file_name, content)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, allowed.actor(), crate::now(), file_name, content],
    )?;
    Ok(id)
}

/// The pending import `id`, if `user` uploaded it less than a day ago. Anyone else's is
/// "not found", like one that never existed.
pub fn load_pending(conn: &Connection, user: UserId, id: &str) -> Result<Option<Pending>> {
    Ok(conn
        .query_row(
            "SELECT id, file_name, content, created_at FROM pending_imports
             WHERE id = ?1 AND user_id = ?2 AND created_at > ?3",
            params![id, user, crate::now() - PENDING_TTL_SECS],
            |r| {
                Ok(Pending {
                    id: r.get(0)?,
                    file_name: r.get(1)?,
                    content: r.get(2)?,
                    created_at: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Forgets a pending import of `user`; true if there was one.
pub fn delete_pending(tx: &Transaction<'_>, user: UserId, id: &str) -> Result<bool> {
    Ok(tx.execute(
        "DELETE FROM pending_imports WHERE id = ?1 AND user_id = ?2",
        params![id, user],
    )? > 0)
}

/// Forgets every pending import older than a day.
pub fn sweep_pending(tx: &Transaction<'_>) -> Result<usize> {
    Ok(tx.execute(
        "DELETE FROM pending_imports WHERE created_at <= ?1",
        [crate::now() - PENDING_TTL_SECS],
    )?)
}
