//! Who is asking, and may they? The one place that decides access, for every door.
//!
//! Each door (web pages today, WebDAV and SMTP AUTH later) turns its login into a
//! [`Principal`] through [`Auth::login`] or a session, then asks [`authorize`] about an
//! [`Action`]. `authorize` is a pure function of the principal and the action, so the whole
//! policy can be read and tested in one file; the domain functions that change data take the
//! [`Allowed`] proof it returns, so a handler cannot skip the check and still compile.

pub mod cache;
mod login;
mod password;
mod policy;
mod session;
mod throttle;

pub use login::{Auth, LoginError};
pub use password::{
    PasswordError, check_password_rules, generate_password, hash as hash_password_blocking,
    verify as verify_password_blocking,
};
pub use policy::{
    Action, Allowed, AppAudience, BlogAudience, BlogFacts, BlogOwner, CommentMode, Denied,
    ForumAudience, SchoolAudience, addressed, authorize, visitor_reads,
};
pub use session::{IDLE_TIMEOUT, MAX_AGE, SESSION_COOKIE, Session};
pub use throttle::Throttle;

use crate::ids::{ClassId, UserId};
use serde::Serialize;

/// The five kinds of account in a school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Staff,
    Teacher,
    Pupil,
    Parent,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Staff,
        Role::Teacher,
        Role::Pupil,
        Role::Parent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Teacher => "teacher",
            Role::Pupil => "pupil",
            Role::Parent => "parent",
        }
    }

    /// Parses a role name in any of the portal's languages, as written in a CSV file or on
    /// the command line: `teacher`, `enseignante`, `professora`, `أستاذ`.
    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        // The stored names (every database read) without folding.
        if let Some(r) = Role::ALL.into_iter().find(|r| r.as_str() == s) {
            return Some(r);
        }
        // Nothing to fold (a forum category open to no role in particular stores "").
        if s.is_empty() {
            return None;
        }
        let folded = fold_role(s);
        ROLE_NAMES
            .iter()
            .find(|(_, names)| names.iter().any(|n| fold_role(n) == folded))
            .map(|(r, _)| *r)
    }
}

/// The words for each role a class list may use, in French, English, Portuguese and Arabic
/// (compared after [`fold_role`], so accents, case and Arabic diacritics do not matter).
const ROLE_NAMES: &[(Role, &[&str])] = &[
    (
        Role::Admin,
        &[
            "admin",
            "administrateur",
            "administratrice",
            "administrator",
            "administrador",
            "administradora",
            "مسؤول النظام",
            "مدير النظام",
        ],
    ),
    (
        Role::Staff,
        &[
            "staff",
            "office",
            "personnel",
            "vie scolaire",
            "secretariat",
            "vie scolaire et secrétariat",
            "school office",
            "secretaria",
            "serviços escolares",
            "secretaria e serviços escolares",
            "administrativo",
            "administrativa",
            "الإدارة",
            "الإدارة والحياة المدرسية",
            "إداري",
            "إدارية",
        ],
    ),
    (
        Role::Teacher,
        &[
            "teacher",
            "enseignant",
            "enseignante",
            "professeur",
            "professeure",
            "prof",
            "professor",
            "professora",
            "docente",
            "أستاذ",
            "أستاذة",
            "معلم",
            "معلمة",
        ],
    ),
    (
        Role::Pupil,
        &[
            "pupil",
            "student",
            "eleve",
            "aluno",
            "aluna",
            "estudante",
            "تلميذ",
            "تلميذة",
            "طالب",
            "طالبة",
        ],
    ),
    (
        Role::Parent,
        &[
            "parent",
            "responsable",
            "encarregado de educação",
            "encarregada de educação",
            "encarregado",
            "encarregada",
            "ولي أمر",
            "وليّ أمر",
            "ولي الأمر",
            "ولية أمر",
        ],
    ),
];

/// A role word as compared: transliterated to ASCII (accents and Arabic diacritics gone),
/// lower case, single spaces.
fn fold_role(s: &str) -> String {
    deunicode::deunicode(s)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl rusqlite::types::FromSql for Role {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let s = v.as_str()?;
        Role::parse(s)
            .ok_or_else(|| rusqlite::types::FromSqlError::Other(format!("unknown role {s}").into()))
    }
}

impl rusqlite::ToSql for Role {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

/// A logged-in account, with the relations that access decisions need, loaded once per
/// request or connection so that [`authorize`] never touches the database.
#[derive(Debug, Clone, Serialize)]
pub struct Principal {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The account's chosen language, if any (`fr`, `en`).
    pub language: Option<String>,
    pub must_change_password: bool,
    /// Classes this account is a pupil of.
    pub classes: Vec<ClassId>,
    /// Classes this account teaches.
    pub teaches: Vec<ClassId>,
    /// This account's children, for a parent.
    pub children: Vec<UserId>,
    /// The classes those children are in, for a parent: what the school's news and agenda
    /// (and later the homework book) address them through.
    pub children_classes: Vec<ClassId>,
}

/// Loads a principal by id, or `None` for an unknown or disabled account.
pub fn load_principal(
    conn: &rusqlite::Connection,
    id: UserId,
) -> rusqlite::Result<Option<Principal>> {
    use rusqlite::OptionalExtension;
    let row = conn
        .prepare_cached(
            "SELECT username, display_name, role, language, must_change_password FROM users
             WHERE id = ?1 AND disabled = 0",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Role>(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })
        .optional()?;
    let Some((username, display_name, role, language, must_change_password)) = row else {
        return Ok(None);
    };
    let ids = |sql: &str| -> rusqlite::Result<Vec<i64>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        rows.collect()
    };
    Ok(Some(Principal {
        id,
        username,
        display_name,
        role,
        language,
        must_change_password,
        classes: ids("SELECT class_id FROM class_pupils WHERE user_id = ?1")?
            .into_iter()
            .map(ClassId)
            .collect(),
        teaches: ids("SELECT class_id FROM class_teachers WHERE user_id = ?1")?
            .into_iter()
            .map(ClassId)
            .collect(),
        children: ids("SELECT child_id FROM parent_links WHERE parent_id = ?1")?
            .into_iter()
            .map(UserId)
            .collect(),
        children_classes: ids("SELECT DISTINCT p.class_id FROM parent_links l
             JOIN class_pupils p ON p.user_id = l.child_id WHERE l.parent_id = ?1")?
        .into_iter()
        .map(ClassId)
        .collect(),
    }))
}

#[cfg(test)]
mod role_tests {
    use super::*;

    #[test]
    fn every_role_word_names_one_role_and_each_language_is_understood() {
        let mut seen = std::collections::HashMap::new();
        for (role, names) in ROLE_NAMES {
            for n in *names {
                assert_eq!(Role::parse(n), Some(*role), "{n}");
                if let Some(other) = seen.insert(fold_role(n), *role) {
                    assert_eq!(other, *role, "{n} folds like a word of another role");
                }
            }
        }
        // The role's name as each language's pages show it reads back as that role, so a
        // class list written from the portal's own words imports.
        let i18n = crate::i18n::I18n::new();
        for (lang, _) in crate::i18n::LANGUAGES {
            for role in Role::ALL {
                let shown = i18n.get(lang, &format!("role.{}", role.as_str()));
                assert_eq!(Role::parse(&shown), Some(role), "{lang}: {shown}");
            }
        }
        assert_eq!(Role::parse("Élève"), Some(Role::Pupil));
        assert_eq!(Role::parse("  PROFESSORA "), Some(Role::Teacher));
        assert_eq!(Role::parse("tuteur"), None);
    }
}
