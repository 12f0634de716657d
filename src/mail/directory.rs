//! The school directory as a mail writer needs it: the addresses someone is most likely to
//! write to, for the compose page's suggestions (a `<datalist>`, so no JavaScript).
//!
//! It is a convenience, not a rule: [`route`](super::route) alone decides who may write
//! where, and anyone may still type any address. The list is kept short on purpose, since it
//! is sent with every compose page to cheap phones: the people and class lists around one's
//! own classes of the current school year, never every pupil of the school.

use super::address::class_address;
use super::address_of;
use crate::auth::{Principal, Role};
use crate::settings::Settings;
use rusqlite::Connection;
use serde::Serialize;

/// One suggested recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub address: String,
    /// The person's or the class's name.
    pub name: String,
    /// `None` for a class list.
    pub role: Option<Role>,
    /// For a person: the classes (of the current year) that make them relevant; for a list,
    /// its class.
    pub classes: Vec<String>,
}

impl Suggestion {
    pub fn is_class_list(&self) -> bool {
        self.role.is_none()
    }
}

/// The classes of the current school year among `ids`, as (id, name), by name.
fn current_classes(
    conn: &Connection,
    year: &str,
    ids: &[crate::ids::ClassId],
) -> rusqlite::Result<Vec<(i64, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name FROM classes WHERE id = ?1 AND school_year = ?2")?;
    let mut out = Vec::new();
    for id in ids {
        let mut rows = stmt.query_map(rusqlite::params![id, year], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        if let Some(row) = rows.next() {
            out.push(row?);
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out.dedup();
    Ok(out)
}

/// Enabled members of a class: its pupils (`class_pupils`) or its teachers
/// (`class_teachers`), as (username, display name, role).
fn members(
    conn: &Connection,
    table: &str,
    class: i64,
) -> rusqlite::Result<Vec<(String, String, Role)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT u.username, u.display_name, u.role FROM {table} m JOIN users u ON u.id = m.user_id
         WHERE m.class_id = ?1 AND u.disabled = 0"
    ))?;
    let rows = stmt.query_map([class], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

/// Enabled accounts with one of these roles.
fn by_roles(conn: &Connection, roles: &[Role]) -> rusqlite::Result<Vec<(String, String, Role)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT username, display_name, role FROM users WHERE role = ?1 AND disabled = 0",
    )?;
    let mut out = Vec::new();
    for role in roles {
        let rows = stmt.query_map([role.as_str()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        for row in rows {
            out.push(row?);
        }
    }
    Ok(out)
}

/// Collects suggestions without duplicates, merging the classes a person is listed for.
struct Collector<'a> {
    me: &'a str,
    domain: &'a str,
    out: Vec<Suggestion>,
}

impl Collector<'_> {
    fn person(&mut self, (username, name, role): (String, String, Role), class: Option<&str>) {
        if username.eq_ignore_ascii_case(self.me) {
            return;
        }
        let address = address_of(&username, self.domain);
        let s = match self.out.iter_mut().find(|s| s.address == address) {
            Some(s) => s,
            None => {
                self.out.push(Suggestion {
                    address,
                    name,
                    role: Some(role),
                    classes: Vec::new(),
                });
                self.out.last_mut().expect("just pushed")
            }
        };
        if let Some(c) = class
            && !s.classes.iter().any(|k| k == c)
        {
            s.classes.push(c.to_owned());
        }
    }

    fn list(&mut self, class: &str) {
        self.out.push(Suggestion {
            address: class_address(class, self.domain),
            name: class.to_owned(),
            role: None,
            classes: vec![class.to_owned()],
        });
    }
}

/// Where a suggestion sorts: class lists first, then teachers, the office, admins, pupils,
/// parents; by name within each.
fn rank(s: &Suggestion) -> u8 {
    match s.role {
        None => 0,
        Some(Role::Teacher) => 1,
        Some(Role::Staff) => 2,
        Some(Role::Admin) => 3,
        Some(Role::Pupil) => 4,
        Some(Role::Parent) => 5,
    }
}

/// The addresses `who` most likely writes to:
///
/// - a pupil: their classmates and their teachers;
/// - a teacher: the pupils, teachers and list addresses of the classes they teach, and the
///   office and admins;
/// - the office and admins: every teacher, office account and admin, and every class list of
///   the year (not every pupil: the page would grow with the school);
/// - a parent: the teachers of their children's classes.
pub fn suggestions(
    conn: &Connection,
    settings: &Settings,
    who: &Principal,
) -> rusqlite::Result<Vec<Suggestion>> {
    let year = settings.school_year.as_str();
    let mut c = Collector {
        me: &who.username,
        domain: &settings.mail_domain,
        out: Vec::new(),
    };
    match who.role {
        Role::Pupil => {
            for (id, name) in current_classes(conn, year, &who.classes)? {
                for m in members(conn, "class_teachers", id)? {
                    c.person(m, Some(&name));
                }
                for m in members(conn, "class_pupils", id)? {
                    c.person(m, Some(&name));
                }
            }
        }
        Role::Teacher => {
            for (id, name) in current_classes(conn, year, &who.teaches)? {
                c.list(&name);
                for m in members(conn, "class_teachers", id)? {
                    c.person(m, Some(&name));
                }
                for m in members(conn, "class_pupils", id)? {
                    c.person(m, Some(&name));
                }
            }
            for m in by_roles(conn, &[Role::Staff, Role::Admin])? {
                c.person(m, None);
            }
        }
        Role::Staff | Role::Admin => {
            let mut stmt =
                conn.prepare_cached("SELECT id, name FROM classes WHERE school_year = ?1")?;
            let classes = stmt
                .query_map([year], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for (id, name) in &classes {
                c.list(name);
                for m in members(conn, "class_teachers", *id)? {
                    c.person(m, Some(name));
                }
            }
            for m in by_roles(conn, &[Role::Teacher, Role::Staff, Role::Admin])? {
                c.person(m, None);
            }
        }
        Role::Parent => {
            let mut stmt =
                conn.prepare_cached("SELECT class_id FROM class_pupils WHERE user_id = ?1")?;
            let mut classes = Vec::new();
            for child in &who.children {
                let rows = stmt.query_map([child], |r| r.get(0))?;
                classes.extend(rows.collect::<rusqlite::Result<Vec<crate::ids::ClassId>>>()?);
            }
            for (id, name) in current_classes(conn, year, &classes)? {
                for m in members(conn, "class_teachers", id)? {
                    c.person(m, Some(&name));
                }
            }
        }
    }
    let mut out = c.out;
    for s in &mut out {
        s.classes.sort();
    }
    out.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.address.cmp(&b.address))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{self, NewUser, test_db};
    use crate::auth::Allowed;
    use crate::ids::UserId;

    fn person(tx: &rusqlite::Transaction<'_>, username: &str, role: Role) -> UserId {
        let new = NewUser {
            username: username.into(),
            first_name: username.into(),
            last_name: "X".into(),
            role: Some(role),
            language: None,
        };
        accounts::create_user(tx, &Allowed::system("test"), &new, None, false).unwrap()
    }

    #[test]
    fn suggestions_follow_the_classes_of_this_year() {
        let (_dir, db) = test_db();
        let settings = Settings {
            mail_domain: "ecole.fr".into(),
            school_year: "2026-2027".into(),
            ..Settings::default()
        };
        let a = Allowed::system("test");
        let (teacher, pupil, parent) = db
            .write_blocking(|tx| {
                let now = accounts::create_class(tx, &a, "6e A", "2026-2027")?;
                let old = accounts::create_class(tx, &a, "CM2", "2025-2026")?;
                let t = person(tx, "prof", Role::Teacher);
                let p = person(tx, "amina", Role::Pupil);
                let gone = person(tx, "gone", Role::Pupil);
                let was = person(tx, "was", Role::Pupil);
                let parent = person(tx, "maman", Role::Parent);
                person(tx, "office", Role::Staff);
                for (k, u) in [(now, t), (now, p), (now, gone), (old, t), (old, was)] {
                    accounts::add_member(tx, &a, k, u)?;
                }
                accounts::link_parent(tx, &a, parent, p)?;
                tx.execute("UPDATE users SET disabled = 1 WHERE id = ?1", [gone])?;
                Ok((t, p, parent))
            })
            .unwrap();
        let addresses = |who: UserId| {
            db.read_blocking(|c| {
                let p = crate::auth::load_principal(c, who)?.unwrap();
                Ok(suggestions(c, &settings, &p)?
                    .into_iter()
                    .map(|s| s.address)
                    .collect::<Vec<_>>())
            })
            .unwrap()
        };
        // The list first, then by role; not oneself, not a disabled account, not last year's.
        assert_eq!(
            addresses(teacher),
            ["classe+6e-a@ecole.fr", "office@ecole.fr", "amina@ecole.fr"]
        );
        assert_eq!(addresses(pupil), ["prof@ecole.fr"]);
        assert_eq!(addresses(parent), ["prof@ecole.fr"]);
        let office = db
            .read_blocking(|c| Ok(accounts::get_user_by_name(c, "office")?.id))
            .unwrap();
        assert_eq!(addresses(office), ["classe+6e-a@ecole.fr", "prof@ecole.fr"]);
    }
}
