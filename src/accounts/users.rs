//! Creating, finding, editing and disabling accounts, and setting their passwords.

use super::{AccountError, Result, audit, clean_name};
use crate::auth::{Allowed, Role, Session};
use crate::ids::UserId;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

/// An account as the admin pages and the command line show it.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub role: Role,
    pub language: Option<String>,
    pub disabled: bool,
    pub must_change_password: bool,
    pub has_password: bool,
    pub created_at: i64,
}

pub(super) const USER_COLUMNS: &str = "id, username, first_name, last_name, display_name, role, language, disabled, \
     must_change_password, password_hash IS NOT NULL, created_at";

pub(super) fn user_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        username: r.get(1)?,
        first_name: r.get(2)?,
        last_name: r.get(3)?,
        display_name: r.get(4)?,
        role: r.get(5)?,
        language: r.get(6)?,
        disabled: r.get(7)?,
        must_change_password: r.get(8)?,
        has_password: r.get(9)?,
        created_at: r.get(10)?,
    })
}

/// What it takes to create an account.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Option<Role>,
    pub language: Option<String>,
}

/// Usernames double as mail addresses (`username@school`), so they are kept to what every
/// mail client and WebDAV client accepts.
pub fn check_username(u: &str) -> Result<()> {
    let ok = (2..=32).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && u.as_bytes()[0].is_ascii_alphanumeric()
        && u.as_bytes()[u.len() - 1].is_ascii_alphanumeric()
        && !u.contains("..");
    if ok {
        Ok(())
    } else {
        Err(AccountError::UsernameInvalid)
    }
}

/// `prénom.nom` folded to ASCII: `Aïssata N'Diaye` → `aissata.ndiaye`.
pub fn username_base(first: &str, last: &str) -> String {
    let fold = |s: &str| -> String {
        deunicode::deunicode(s)
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                'a'..='z' | '0'..='9' => Some(c),
                ' ' | '-' => Some('-'),
                _ => None,
            })
            .collect::<String>()
            .trim_matches('-')
            .to_owned()
    };
    let (f, l) = (fold(first), fold(last));
    let mut base = match (f.is_empty(), l.is_empty()) {
        (false, false) => format!("{f}.{l}"),
        (true, false) => l,
        (false, true) => f,
        (true, true) => "user".into(),
    };
    base.truncate(28);
    base.trim_end_matches(['.', '-']).to_owned()
}

/// The first free username for this person, with `taken` (names already chosen in the same
/// batch) counted as used too.
pub fn suggest_username(
    conn: &Connection,
    first: &str,
    last: &str,
    taken: &[String],
) -> Result<String> {
    let base = username_base(first, last);
    for n in 1..10_000 {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}{n}")
        };
        if taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate))
            || username_exists(conn, &candidate)?
        {
            continue;
        }
        if check_username(&candidate).is_ok() {
            return Ok(candidate);
        }
    }
    Err(AccountError::UsernameTaken)
}

pub fn username_exists(conn: &Connection, username: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE username = ?1)",
        [username],
        |r| r.get(0),
    )?)
}

/// Creates an account. Without a password hash, nobody can log in to it until a password
/// is set (a login slip, a reset): no account is ever created with a default password.
pub fn create_user(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    new: &NewUser,
    password_hash: Option<&str>,
    must_change_password: bool,
) -> Result<UserId> {
    let username = new.username.trim().to_lowercase();
    check_username(&username)?;
    let first = new.first_name.trim().to_owned();
    let last = clean_name(&new.last_name).or_else(|_| clean_name(&username))?;
    if first.chars().count() > 100 {
        return Err(AccountError::NameTooLong);
    }
    let display = if first.is_empty() {
        last.clone()
    } else {
        format!("{first} {last}")
    };
    if username_exists(tx, &username)? {
        return Err(AccountError::UsernameTaken);
    }
    let role = new.role.unwrap_or(Role::Pupil);
    let lang = new.language.as_deref().and_then(crate::i18n::supported);
    let now = crate::now();
    tx.execute(
        "INSERT INTO users (username, first_name, last_name, display_name, role, language, password_hash,
                            must_change_password, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![username, first, last, display, role, lang, password_hash, must_change_password, now],
    )?;
    let id = UserId(tx.last_insert_rowid());
    audit(tx, allowed, &username, &format!("role={role}"))?;
    Ok(id)
}

pub fn get_user(conn: &Connection, id: UserId) -> Result<User> {
    conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))?
        .query_row([id], user_from_row)
        .optional()?
        .ok_or(AccountError::NotFound)
}

pub fn get_user_by_name(conn: &Connection, username: &str) -> Result<User> {
    conn.prepare_cached(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE username = ?1"
    ))?
    .query_row([username.trim()], user_from_row)
    .optional()?
    .ok_or(AccountError::NotFound)
}

/// A search of the account list, as the admin's "find" form sends it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct UserFilter {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub page: u32,
}

pub const PAGE_SIZE: u32 = 50;

/// Finds accounts whose username or name contains the search text, by role, a page at a time.
pub fn find_users(conn: &Connection, f: &UserFilter) -> Result<Vec<User>> {
    let like = format!(
        "%{}%",
        f.q.trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let role = Role::parse(&f.role).map(Role::as_str).unwrap_or("");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {USER_COLUMNS} FROM users
         WHERE (username LIKE ?1 ESCAPE '\\' OR display_name LIKE ?1 ESCAPE '\\')
           AND (?2 = '' OR role = ?2)
         ORDER BY last_name, first_name, username LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt.query_map(
        params![like, role, PAGE_SIZE, f.page * PAGE_SIZE],
        user_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The editable parts of an account.
#[derive(Debug, Clone)]
pub struct UserChanges {
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub language: Option<String>,
    pub disabled: bool,
}

pub fn update_user(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    id: UserId,
    c: &UserChanges,
) -> Result<()> {
    let before = get_user(tx, id)?;
    // An admin who demoted or disabled themselves could lock the school out of its own box.
    if allowed.actor() == id && (c.role != before.role || (c.disabled && !before.disabled)) {
        return Err(AccountError::OwnAccount);
    }
    let last = clean_name(&c.last_name)?;
    let first = c.first_name.trim().to_owned();
    if first.chars().count() > 100 {
        return Err(AccountError::NameTooLong);
    }
    let display = if first.is_empty() {
        last.clone()
    } else {
        format!("{first} {last}")
    };
    let lang = c.language.as_deref().and_then(crate::i18n::supported);
    tx.execute(
        "UPDATE users SET first_name = ?1, last_name = ?2, display_name = ?3, role = ?4, language = ?5,
                          disabled = ?6, updated_at = ?7 WHERE id = ?8",
        params![first, last, display, c.role, lang, c.disabled, crate::now(), id],
    )?;
    if c.disabled {
        // A disabled account is logged out everywhere at once.
        Session::delete_others(tx, id, None)?;
    }
    let mut detail = Vec::new();
    if before.role != c.role {
        detail.push(format!("role {} -> {}", before.role, c.role));
        // Relations only make sense for some roles: a former pupil sits in no class and has
        // no parents, a former teacher teaches nothing, a former parent has no children.
        let dropped = drop_relations_for_role(tx, id, c.role)?;
        if dropped > 0 {
            detail.push(format!("{dropped} class or family links removed"));
        }
    }
    if before.disabled != c.disabled {
        detail.push(if c.disabled {
            "disabled".into()
        } else {
            "enabled".into()
        });
    }
    if before.display_name != display {
        detail.push(format!("name {:?} -> {display:?}", before.display_name));
    }
    audit(tx, allowed, &before.username, &detail.join("; "))?;
    Ok(())
}

/// Removes the class memberships and family links an account of `role` cannot have, and
/// says how many went.
fn drop_relations_for_role(tx: &Transaction<'_>, id: UserId, role: Role) -> Result<usize> {
    let mut n = 0;
    if role != Role::Pupil {
        n += tx.execute("DELETE FROM class_pupils WHERE user_id = ?1", [id])?;
        n += tx.execute("DELETE FROM parent_links WHERE child_id = ?1", [id])?;
    }
    if role != Role::Teacher {
        n += tx.execute("DELETE FROM class_teachers WHERE user_id = ?1", [id])?;
    }
    if role != Role::Parent {
        n += tx.execute("DELETE FROM parent_links WHERE parent_id = ?1", [id])?;
    }
    Ok(n)
}

pub fn set_disabled(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    id: UserId,
    disabled: bool,
) -> Result<()> {
    let u = get_user(tx, id)?;
    if disabled && allowed.actor() == id {
        return Err(AccountError::OwnAccount);
    }
    tx.execute(
        "UPDATE users SET disabled = ?1, updated_at = ?2 WHERE id = ?3",
        params![disabled, crate::now(), id],
    )?;
    if disabled {
        Session::delete_others(tx, id, None)?;
    }
    audit(
        tx,
        allowed,
        &u.username,
        if disabled { "disabled" } else { "enabled" },
    )?;
    Ok(())
}

/// Stores a new password hash. Every other session of the account ends, so a stolen
/// session dies with the old password.
pub fn set_password_hash(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    id: UserId,
    hash: &str,
    must_change: bool,
    keep_session: Option<&str>,
) -> Result<()> {
    let u = get_user(tx, id)?;
    tx.execute(
        "UPDATE users SET password_hash = ?1, must_change_password = ?2, updated_at = ?3 WHERE id = ?4",
        params![hash, must_change, crate::now(), id],
    )?;
    Session::delete_others(tx, id, keep_session)?;
    // A user changing their own password is not an admin action worth logging.
    if allowed.actor() != id {
        audit(
            tx,
            allowed,
            &u.username,
            if must_change {
                "password reset"
            } else {
                "password set"
            },
        )?;
    }
    Ok(())
}

/// How many accounts of each role there are (for the admin home page).
pub fn count_by_role(conn: &Connection) -> Result<Vec<(Role, i64)>> {
    let mut stmt =
        conn.prepare_cached("SELECT role, count(*) FROM users WHERE disabled = 0 GROUP BY role")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(check_username("aissata.diallo").is_ok());
        assert!(check_username("a").is_err());
        assert!(check_username("Aissata").is_err());
        assert!(check_username(".x").is_err());
        assert!(check_username("a..b").is_err());
        assert!(check_username("a/b").is_err());
        assert_eq!(username_base("Aïssata", "N'Diaye"), "aissata.ndiaye");
        assert_eq!(
            username_base("Jean-Baptiste", "Lefèvre"),
            "jean-baptiste.lefevre"
        );
        assert_eq!(username_base("", "Ñúñez"), "nunez");
        assert_eq!(username_base("李", ""), "li");
    }

    fn admin(tx: &Transaction<'_>, username: &str) -> UserId {
        let new = NewUser {
            username: username.into(),
            first_name: "Ada".into(),
            last_name: "Admin".into(),
            role: Some(Role::Admin),
            language: None,
        };
        create_user(
            tx,
            &Allowed::system("create_account"),
            &new,
            Some("x"),
            false,
        )
        .unwrap()
    }

    #[test]
    fn nobody_disables_or_demotes_themselves() {
        let (_dir, db) = crate::accounts::test_db();
        db.write_blocking(|tx| {
            let me = admin(tx, "ada");
            let other = admin(tx, "bob");
            let p = crate::auth::load_principal(tx, me)?.unwrap();
            let allowed = crate::auth::authorize(
                &p,
                &crate::auth::Action::EditAccount {
                    target: me,
                    role: Role::Admin,
                },
            )
            .unwrap();
            let mut c = UserChanges {
                first_name: "Ada".into(),
                last_name: "Lovelace".into(),
                role: Role::Staff,
                language: Some("en".into()),
                disabled: false,
            };
            assert!(matches!(
                update_user(tx, &allowed, me, &c),
                Err(AccountError::OwnAccount)
            ));
            c.role = Role::Admin;
            c.disabled = true;
            assert!(matches!(
                update_user(tx, &allowed, me, &c),
                Err(AccountError::OwnAccount)
            ));
            assert!(matches!(
                set_disabled(tx, &allowed, me, true),
                Err(AccountError::OwnAccount)
            ));
            // Their own names and language are theirs to change; another admin may be disabled.
            c.disabled = false;
            update_user(tx, &allowed, me, &c).unwrap();
            assert_eq!(get_user(tx, me)?.display_name, "Ada Lovelace");
            c.disabled = true;
            update_user(tx, &allowed, other, &c).unwrap();
            assert!(get_user(tx, other)?.disabled);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn a_new_role_drops_the_links_it_cannot_have() {
        let (_dir, db) = crate::accounts::test_db();
        let a = Allowed::system("edit_account");
        db.write_blocking(|tx| {
            let mk = |u: &str, role| {
                let new = NewUser {
                    username: u.into(),
                    last_name: u.into(),
                    role: Some(role),
                    ..Default::default()
                };
                create_user(tx, &a, &new, None, false).unwrap()
            };
            let pupil = mk("kofi", Role::Pupil);
            let parent = mk("ama", Role::Parent);
            let class = crate::accounts::create_class(tx, &a, "4C", "2026-2027")?;
            crate::accounts::add_member(tx, &a, class, pupil)?;
            crate::accounts::link_parent(tx, &a, parent, pupil)?;
            let c = UserChanges {
                first_name: String::new(),
                last_name: "kofi".into(),
                role: Role::Teacher,
                language: None,
                disabled: false,
            };
            update_user(tx, &a, pupil, &c)?;
            assert!(crate::accounts::classes_of_pupil(tx, pupil)?.is_empty());
            assert!(crate::accounts::children_of(tx, parent)?.is_empty());
            // Saving without a role change keeps what is there.
            crate::accounts::add_member(tx, &a, class, pupil)?;
            update_user(tx, &a, pupil, &c)?;
            assert_eq!(crate::accounts::classes_taught(tx, pupil)?, vec![class]);
            Ok(())
        })
        .unwrap();
    }
}
