//! Accounts, classes and family links: the school's people, which every service reuses.
//!
//! These functions hold the rules (valid usernames, who can be in a class) and write the
//! audit log; they know nothing of HTTP. Every function that changes data takes the
//! [`Allowed`] proof from `auth::authorize`, and records its actor.

mod classes;
pub mod import;
mod users;

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
