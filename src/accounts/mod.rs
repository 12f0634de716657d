//! Accounts, classes and family links: the school's people, which every service reuses.
//!
//! These functions hold the rules (valid usernames, who can be in a class) and write the
//! audit log; they know nothing of HTTP. Every function that changes data takes the
//! [`Allowed`] proof from `auth::authorize`, and records its actor.

mod audit_log;
mod classes;
pub mod import;
mod users;

pub use audit_log::*;
pub use classes::*;
pub use users::*;

use crate::auth::Allowed;
use rusqlite::Transaction;

/// Why an account operation was refused. Each has a message key the doors translate.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("this username is already taken")]
    UsernameTaken,
    #[error("usernames are 2 to 32 lowercase letters, digits, dots, dashes or underscores")]
    UsernameInvalid,
    #[error("a name is required")]
    NameMissing,
    #[error("a name is too long")]
    NameTooLong,
    #[error("no such account or class")]
    NotFound,
    #[error("a class with this name already exists for this year")]
    ClassExists,
    #[error("this account does not have the right role for that")]
    WrongRole,
    #[error("nobody may disable their own account or change their own role")]
    OwnAccount,
    #[error("a school year is written like 2026-2027")]
    SchoolYearInvalid,
    #[error("invalid password: {0}")]
    Password(#[from] crate::auth::PasswordError),
    #[error(transparent)]
    Db(#[from] crate::db::Error),
}

impl AccountError {
    pub fn key(&self) -> &'static str {
        match self {
            AccountError::UsernameTaken => "error.username_taken",
            AccountError::UsernameInvalid => "error.username_invalid",
            AccountError::NameMissing => "error.name_missing",
            AccountError::NameTooLong => "error.name_too_long",
            AccountError::NotFound => "error.not_found",
            AccountError::ClassExists => "error.class_exists",
            AccountError::WrongRole => "error.wrong_role",
            AccountError::OwnAccount => "admin_users.error_own_account",
            AccountError::SchoolYearInvalid => "admin_classes.error_year",
            AccountError::Password(p) => p.key(),
            AccountError::Db(_) => "error.internal",
        }
    }
}

impl From<rusqlite::Error> for AccountError {
    fn from(e: rusqlite::Error) -> Self {
        AccountError::Db(e.into())
    }
}

impl From<AccountError> for crate::db::Error {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Db(d) => d,
            other => crate::db::Error::Task(other.to_string()),
        }
    }
}

pub type Result<T> = std::result::Result<T, AccountError>;

/// Runs account operations in one write transaction, like [`crate::db::Db::write`], but
/// hands back the [`AccountError`] that refused them (so the page can say why) after
/// rolling everything back.
pub async fn write<T, F>(db: &crate::db::Db, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Transaction<'_>) -> Result<T> + Send + 'static,
{
    db.write_as(f).await
}

/// Runs account queries on a read connection, keeping their [`AccountError`].
pub async fn read<T, F>(db: &crate::db::Db, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&rusqlite::Connection) -> Result<T> + Send + 'static,
{
    db.read(move |c| Ok(f(c))).await?
}

/// Appends to the audit log, in the same transaction as the change it records.
pub fn audit(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    target: &str,
    detail: &str,
) -> rusqlite::Result<()> {
    let actor = (allowed.actor().0 != 0).then_some(allowed.actor());
    tx.execute(
        "INSERT INTO audit_log (at, actor_id, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![crate::now(), actor, allowed.actor_name(), allowed.action(), target, detail],
    )?;
    Ok(())
}

/// Trims a person's name and checks it is present and of sane length.
pub fn clean_name(s: &str) -> Result<String> {
    let s: String = s.trim().chars().filter(|c| !c.is_control()).collect();
    if s.is_empty() {
        return Err(AccountError::NameMissing);
    }
    if s.chars().count() > 100 {
        return Err(AccountError::NameTooLong);
    }
    Ok(s)
}

/// A fresh database in a temporary folder, for the tests of this module and its children.
#[cfg(test)]
pub(crate) fn test_db() -> (tempfile::TempDir, crate::db::Db) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = crate::db::Db::open(&dir.path().join("t.db")).expect("a fresh database");
    (dir, db)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    #[tokio::test]
    async fn a_refused_write_rolls_back_and_says_why() {
        let (_dir, db) = test_db();
        let allowed = Allowed::system("create_account");
        let r: Result<()> = write(&db, move |tx| {
            let new = NewUser {
                username: "awa.diop".into(),
                first_name: "Awa".into(),
                last_name: "Diop".into(),
                role: Some(Role::Pupil),
                language: None,
            };
            create_user(tx, &allowed, &new, None, true)?;
            create_user(tx, &allowed, &new, None, true)?;
            Ok(())
        })
        .await;
        assert!(matches!(r, Err(AccountError::UsernameTaken)));
        let gone = read(&db, |c| get_user_by_name(c, "awa.diop")).await;
        assert!(matches!(gone, Err(AccountError::NotFound)));
        let n: i64 = db
            .read(|c| Ok(c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?))
            .await
            .unwrap();
        assert_eq!(n, 0, "the audit entry went with the rolled-back change");
    }
}
