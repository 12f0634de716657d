//! Classes, who is in them, who teaches them, and which parents belong to which pupils.

use super::{AccountError, Result, User, audit, get_user};
use crate::auth::{Allowed, Role};
use crate::ids::{ClassId, UserId};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Class {
    pub id: ClassId,
    pub name: String,
    pub school_year: String,
    pub pupils: i64,
    pub teachers: i64,
}

const CLASS_SELECT: &str = "SELECT c.id, c.name, c.school_year,
        (SELECT count(*) FROM class_pupils p WHERE p.class_id = c.id),
        (SELECT count(*) FROM class_teachers t WHERE t.class_id = c.id)
     FROM classes c";

fn class_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Class> {
    Ok(Class {
        id: r.get(0)?,
        name: r.get(1)?,
        school_year: r.get(2)?,
        pupils: r.get(3)?,
        teachers: r.get(4)?,
    })
}

/// Checks a class name: short, printable, and usable later as a folder and list name.
pub fn clean_class_name(name: &str) -> Result<String> {
    let n: String = name.trim().chars().filter(|c| !c.is_control()).collect();
    if n.is_empty() {
        return Err(AccountError::NameMissing);
    }
    if n.chars().count() > 40 || n.contains(['/', '\\']) {
        return Err(AccountError::NameTooLong);
    }
    Ok(n)
}

pub fn create_class(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    name: &str,
    year: &str,
) -> Result<ClassId> {
    let name = clean_class_name(name)?;
    if !crate::settings::is_school_year(year) {
        return Err(AccountError::SchoolYearInvalid);
    }
    if find_class(tx, &name, year)?.is_some() {
        return Err(AccountError::ClassExists);
    }
    tx.execute(
        "INSERT INTO classes (name, school_year, created_at) VALUES (?1, ?2, ?3)",
        params![name, year, crate::now()],
    )?;
    let id = ClassId(tx.last_insert_rowid());
    audit(tx, allowed, &format!("class {name} {year}"), "created")?;
    Ok(id)
}

pub fn find_class(conn: &Connection, name: &str, year: &str) -> Result<Option<ClassId>> {
    Ok(conn
        .query_row(
            "SELECT id FROM classes WHERE name = ?1 AND school_year = ?2",
            params![name.trim(), year],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn get_class(conn: &Connection, id: ClassId) -> Result<Class> {
    static SQL: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("{CLASS_SELECT} WHERE c.id = ?1"));
    conn.prepare_cached(&SQL)?
        .query_row([id], class_from_row)
        .optional()?
        .ok_or(AccountError::NotFound)
}

/// Every class, newest school year first, then by name.
pub fn list_classes(conn: &Connection) -> Result<Vec<Class>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{CLASS_SELECT} ORDER BY c.school_year DESC, c.name"
    ))?;
    let rows = stmt.query_map([], class_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The classes with these ids (a teacher's, a pupil's).
pub fn classes_by_id(conn: &Connection, ids: &[ClassId]) -> Result<Vec<Class>> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Ok(c) = get_class(conn, *id) {
            out.push(c);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn members(conn: &Connection, table: &str, id: ClassId) -> Result<Vec<User>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM users JOIN {table} m ON m.user_id = users.id WHERE m.class_id = ?1
         ORDER BY users.last_name, users.first_name",
        super::users::USER_COLUMNS
    ))?;
    let rows = stmt.query_map([id], super::users::user_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn class_pupils(conn: &Connection, id: ClassId) -> Result<Vec<User>> {
    members(conn, "class_pupils", id)
}

pub fn class_teachers(conn: &Connection, id: ClassId) -> Result<Vec<User>> {
    members(conn, "class_teachers", id)
}

/// The classes a pupil is in.
pub fn classes_of_pupil(conn: &Connection, user: UserId) -> Result<Vec<ClassId>> {
    let mut stmt = conn.prepare_cached("SELECT class_id FROM class_pupils WHERE user_id = ?1")?;
    let rows = stmt.query_map([user], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The classes a teacher teaches.
pub fn classes_taught(conn: &Connection, user: UserId) -> Result<Vec<ClassId>> {
    let mut stmt = conn.prepare_cached("SELECT class_id FROM class_teachers WHERE user_id = ?1")?;
    let rows = stmt.query_map([user], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Gives pupils of `class` the new password hashes of their login slips, all or none: each
/// must still be an enabled pupil of the class (else `NotFound`, and the caller's
/// transaction rolls back). Each must choose their own password at next login, and their
/// open sessions end. One audit entry names them all.
pub fn set_slip_passwords(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    class: ClassId,
    hashes: &[(UserId, String)],
) -> Result<()> {
    let c = get_class(tx, class)?;
    let now = crate::now();
    let mut names = Vec::with_capacity(hashes.len());
    for (user, hash) in hashes {
        let changed = tx.execute(
            "UPDATE users SET password_hash = ?1, must_change_password = 1, updated_at = ?2
             WHERE id = ?3 AND role = 'pupil' AND disabled = 0
               AND EXISTS (SELECT 1 FROM class_pupils WHERE class_id = ?4 AND user_id = ?3)",
            params![hash, now, user, class],
        )?;
        if changed != 1 {
            return Err(AccountError::NotFound);
        }
        crate::auth::Session::delete_others(tx, *user, None)?;
        names.push(get_user(tx, *user)?.username);
    }
    audit(
        tx,
        allowed,
        &format!("class {} {}", c.name, c.school_year),
        &format!("login slips for {}: {}", names.len(), names.join(", ")),
    )?;
    Ok(())
}

/// Puts a pupil in a class, or a teacher on it, depending on the account's role.
pub fn add_member(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    class: ClassId,
    user: UserId,
) -> Result<()> {
    let c = get_class(tx, class)?;
    let u = get_user(tx, user)?;
    let table = match u.role {
        Role::Pupil => "class_pupils",
        Role::Teacher => "class_teachers",
        _ => return Err(AccountError::WrongRole),
    };
    tx.execute(
        &format!("INSERT OR IGNORE INTO {table} (class_id, user_id) VALUES (?1, ?2)"),
        params![class, user],
    )?;
    audit(
        tx,
        allowed,
        &format!("class {} {}", c.name, c.school_year),
        &format!("added {}", u.username),
    )?;
    Ok(())
}

pub fn remove_member(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    class: ClassId,
    user: UserId,
) -> Result<()> {
    let c = get_class(tx, class)?;
    let u = get_user(tx, user)?;
    tx.execute(
        "DELETE FROM class_pupils WHERE class_id = ?1 AND user_id = ?2",
        params![class, user],
    )?;
    tx.execute(
        "DELETE FROM class_teachers WHERE class_id = ?1 AND user_id = ?2",
        params![class, user],
    )?;
    audit(
        tx,
        allowed,
        &format!("class {} {}", c.name, c.school_year),
        &format!("removed {}", u.username),
    )?;
    Ok(())
}

/// Links a parent account to a pupil.
pub fn link_parent(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    parent: UserId,
    child: UserId,
) -> Result<()> {
    let p = get_user(tx, parent)?;
    let c = get_user(tx, child)?;
    if p.role != Role::Parent || c.role != Role::Pupil {
        return Err(AccountError::WrongRole);
    }
    tx.execute(
        "INSERT OR IGNORE INTO parent_links (parent_id, child_id) VALUES (?1, ?2)",
        params![parent, child],
    )?;
    audit(
        tx,
        allowed,
        &p.username,
        &format!("parent of {}", c.username),
    )?;
    Ok(())
}

pub fn unlink_parent(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    parent: UserId,
    child: UserId,
) -> Result<()> {
    let p = get_user(tx, parent)?;
    let c = get_user(tx, child)?;
    tx.execute(
        "DELETE FROM parent_links WHERE parent_id = ?1 AND child_id = ?2",
        params![parent, child],
    )?;
    audit(
        tx,
        allowed,
        &p.username,
        &format!("no longer parent of {}", c.username),
    )?;
    Ok(())
}

/// A parent's children, or a pupil's parents.
pub fn children_of(conn: &Connection, parent: UserId) -> Result<Vec<User>> {
    let mut stmt = conn.prepare_cached("SELECT child_id FROM parent_links WHERE parent_id = ?1")?;
    let ids: Vec<UserId> = stmt
        .query_map([parent], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|u| get_user(conn, u)).collect()
}

pub fn parents_of(conn: &Connection, child: UserId) -> Result<Vec<User>> {
    let mut stmt = conn.prepare_cached("SELECT parent_id FROM parent_links WHERE child_id = ?1")?;
    let ids: Vec<UserId> = stmt
        .query_map([child], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|u| get_user(conn, u)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{NewUser, create_user, test_db};

    fn person(tx: &Transaction<'_>, username: &str, role: Role) -> UserId {
        let new = NewUser {
            username: username.into(),
            first_name: "Fatou".into(),
            last_name: username.into(),
            role: Some(role),
            language: None,
        };
        create_user(
            tx,
            &Allowed::system("create_account"),
            &new,
            Some("old"),
            false,
        )
        .unwrap()
    }

    #[test]
    fn a_class_needs_a_school_year() {
        let (_dir, db) = test_db();
        let a = Allowed::system("manage_classes");
        db.write_blocking(|tx| {
            for bad in ["2026", "2026-2028", "26-27", "2026/2027", ""] {
                assert!(
                    matches!(
                        create_class(tx, &a, "6A", bad),
                        Err(AccountError::SchoolYearInvalid)
                    ),
                    "{bad:?} was accepted"
                );
            }
            create_class(tx, &a, "6A", "2026-2027")?;
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn teachers_and_their_classes() {
        let (_dir, db) = test_db();
        let a = Allowed::system("manage_classes");
        db.write_blocking(|tx| {
            let k = create_class(tx, &a, "CM2", "2026-2027")?;
            let t = person(tx, "prof", Role::Teacher);
            add_member(tx, &a, k, t)?;
            assert_eq!(classes_taught(tx, t)?, vec![k]);
            assert!(classes_of_pupil(tx, t)?.is_empty());
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn slips_reset_enabled_pupils_of_the_class_all_or_nothing() {
        let (_dir, db) = test_db();
        let a = Allowed::system("print_slips");
        let setup = Allowed::system("manage_classes");
        let (k, p1, p2, outsider) = db
            .write_blocking(|tx| {
                let k = create_class(tx, &setup, "5B", "2026-2027")?;
                let p1 = person(tx, "p1", Role::Pupil);
                let p2 = person(tx, "p2", Role::Pupil);
                let outsider = person(tx, "p3", Role::Pupil);
                add_member(tx, &setup, k, p1)?;
                add_member(tx, &setup, k, p2)?;
                crate::auth::Session::create(tx, p1, "test")?;
                Ok((k, p1, p2, outsider))
            })
            .unwrap();
        // A pupil of another class in the batch: nothing at all is written.
        let r = db.write_blocking(|tx| {
            Ok(set_slip_passwords(
                tx,
                &a,
                k,
                &[(p1, "h1".into()), (outsider, "h3".into())],
            )?)
        });
        assert!(r.is_err());
        db.read_blocking(|c| {
            let h: String =
                c.query_row("SELECT password_hash FROM users WHERE id = ?1", [p1], |r| {
                    r.get(0)
                })?;
            assert_eq!(h, "old");
            Ok(())
        })
        .unwrap();
        db.write_blocking(|tx| {
            Ok(set_slip_passwords(
                tx,
                &a,
                k,
                &[(p1, "h1".into()), (p2, "h2".into())],
            )?)
        })
        .unwrap();
        db.read_blocking(|c| {
            for (id, h) in [(p1, "h1"), (p2, "h2")] {
                let (hash, must): (String, bool) = c.query_row(
                    "SELECT password_hash, must_change_password FROM users WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                assert_eq!(hash, h);
                assert!(must);
            }
            let sessions: i64 = c.query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))?;
            assert_eq!(sessions, 0, "the pupil's old session ended");
            let detail: String = c.query_row(
                "SELECT detail FROM audit_log WHERE action = 'print_slips'",
                [],
                |r| r.get(0),
            )?;
            assert_eq!(detail, "login slips for 2: p1, p2");
            Ok(())
        })
        .unwrap();
        // A disabled pupil gets no slip.
        let a2 = Allowed::system("disable_account");
        db.write_blocking(|tx| Ok(crate::accounts::set_disabled(tx, &a2, p2, true)?))
            .unwrap();
        let r = db.write_blocking(|tx| Ok(set_slip_passwords(tx, &a, k, &[(p2, "h".into())])?));
        assert!(r.is_err());
    }
}
