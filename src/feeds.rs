//! Secret feed addresses: a calendar or a news reader subscribes without a session, so the
//! address itself says whose feed it is. Each person has one secret per kind of feed (the
//! agenda's, the blogs'), made on request and shown once; only its SHA-256 is kept, so the
//! database (or a backup) does not hold working addresses. A new secret replaces the old
//! one, which ends it.

use crate::auth::{Principal, load_principal};
use crate::ids::UserId;
use rusqlite::{Connection, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

/// The kinds of feed, each with its table (`user_id` primary key, `token_hash`,
/// `created_at`).
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Agenda,
    Blogs,
}

impl Kind {
    fn table(self) -> &'static str {
        match self {
            Kind::Agenda => "agenda_feeds",
            Kind::Blogs => "blog_feeds",
        }
    }
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new secret for `who`'s feed of this kind, replacing (and so ending) the old one. It is
/// returned once, to be shown.
pub fn new_token(tx: &Transaction<'_>, kind: Kind, who: &Principal) -> rusqlite::Result<String> {
    let token = crate::random_token(32);
    tx.prepare_cached(&format!(
        "INSERT INTO {} (user_id, token_hash, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash,
         created_at = excluded.created_at",
        kind.table()
    ))?
    .execute(rusqlite::params![who.id, hash(&token), crate::now()])?;
    Ok(token)
}

/// When `who`'s current secret of this kind was made, if they have one.
pub fn made(conn: &Connection, kind: Kind, who: &Principal) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(&format!(
        "SELECT created_at FROM {} WHERE user_id = ?1",
        kind.table()
    ))?
    .query_row([who.id], |r| r.get(0))
    .optional()
}

/// The account a secret belongs to, if it is current and the account active.
pub fn owner(conn: &Connection, kind: Kind, token: &str) -> rusqlite::Result<Option<Principal>> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let user: Option<UserId> = conn
        .prepare_cached(&format!(
            "SELECT user_id FROM {} WHERE token_hash = ?1",
            kind.table()
        ))?
        .query_row([hash(&token.to_ascii_lowercase())], |r| r.get(0))
        .optional()?;
    match user {
        Some(id) => load_principal(conn, id),
        None => Ok(None),
    }
}
