//! Server-side sessions for the web door.
//!
//! The cookie carries 32 random bytes; the database keeps only their SHA-256, with the CSRF
//! token bound to the session. A new session is made at every login (no fixation), logout
//! deletes it, and a password change ends all the account's other sessions. The server keeps
//! the sessions in use in memory ([`super::cache`]); `last_seen` is written from there in
//! batches, at most every few minutes per session, to spare the SD card.

use super::{Principal, load_principal};
use crate::ids::UserId;
use rusqlite::{Connection, OptionalExtension, Transaction};

pub const SESSION_COOKIE: &str = "cartable_session";
/// A session unused for this long is over.
pub const IDLE_TIMEOUT: i64 = 8 * 3600;
/// A session is over after this long, used or not.
pub const MAX_AGE: i64 = 7 * 24 * 3600;
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub user: UserId,
    pub csrf: String,
    /// The session's public id: the `sid` applications are told (OIDC), never the token's hash.
    pub sid: String,
    /// When the person logged in: the OIDC `auth_time`, what `max_age` is measured against.
    pub created_at: i64,
    last_seen: i64,
    /// The row's id: what the database's change reports name it by.
    pub rowid: i64,
}

impl Session {
    /// What the database keys a cookie's token by.
    pub fn hash(token: &str) -> String {
        crate::sha256_hex(token)
    }

    /// Whether a cookie's value can be a token at all (not worth a hash or a lookup).
    pub fn well_formed(token: &str) -> bool {
        token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
    }

    #[cfg(test)]
    pub(crate) fn for_tests(hash: &str, user: UserId, rowid: i64, at: i64) -> Session {
        Session {
            token_hash: hash.to_owned(),
            user,
            csrf: String::new(),
            sid: String::new(),
            created_at: at,
            last_seen: at,
            rowid,
        }
    }

    /// `last_seen` as read from the database.
    pub fn last_seen(&self) -> i64 {
        self.last_seen
    }

    /// Creates a session and returns it with the token for the cookie.
    pub fn create(
        tx: &Transaction<'_>,
        user: UserId,
        client: &str,
    ) -> rusqlite::Result<(Session, String)> {
        let token = crate::random_token(32);
        let csrf = crate::random_token(24);
        let now = crate::now();
        let token_hash = Self::hash(&token);
        let sid = crate::random_token(16);
        tx.execute(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, client, sid) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)",
            rusqlite::params![token_hash, user, csrf, now, client, sid],
        )?;
        let rowid = tx.last_insert_rowid();
        // Sweep expired sessions while we are writing anyway, rather than on a timer.
        tx.execute(
            "DELETE FROM sessions WHERE last_seen < ?1 OR created_at < ?2",
            [now - IDLE_TIMEOUT, now - MAX_AGE],
        )?;
        Ok((
            Session {
                token_hash,
                user,
                csrf,
                sid,
                created_at: now,
                last_seen: now,
                rowid,
            },
            token,
        ))
    }

    /// Finds the live session whose token hashes to `token_hash` ([`Session::hash`]) and its
    /// principal.
    pub fn lookup(
        conn: &Connection,
        token_hash: &str,
    ) -> rusqlite::Result<Option<(Session, Principal)>> {
        let now = crate::now();
        let row = conn
            .prepare_cached(
                "SELECT token_hash, user_id, csrf, last_seen, sid, created_at, rowid FROM sessions
                 WHERE token_hash = ?1 AND last_seen >= ?2 AND created_at >= ?3",
            )?
            .query_row(
                rusqlite::params![token_hash, now - IDLE_TIMEOUT, now - MAX_AGE],
                |r| {
                    Ok(Session {
                        token_hash: r.get(0)?,
                        user: r.get(1)?,
                        csrf: r.get(2)?,
                        last_seen: r.get(3)?,
                        sid: r.get(4)?,
                        created_at: r.get(5)?,
                        rowid: r.get(6)?,
                    })
                },
            )
            .optional()?;
        let Some(session) = row else { return Ok(None) };
        Ok(load_principal(conn, session.user)?.map(|p| (session, p)))
    }

    /// Stores when sessions were last used: (token hash, time), from the cache, in one
    /// transaction. A session ended meanwhile is not brought back.
    pub fn save_uses(tx: &Transaction<'_>, uses: &[(String, i64)]) -> rusqlite::Result<()> {
        let mut stmt = tx.prepare_cached(
            "UPDATE sessions SET last_seen = ?1 WHERE token_hash = ?2 AND last_seen < ?1",
        )?;
        for (hash, at) in uses {
            stmt.execute(rusqlite::params![at, hash])?;
        }
        Ok(())
    }

    pub fn delete(tx: &Transaction<'_>, token_hash: &str) -> rusqlite::Result<()> {
        tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    /// Ends every session of `user` except `keep` (the one changing the password).
    pub fn delete_others(
        tx: &Transaction<'_>,
        user: UserId,
        keep: Option<&str>,
    ) -> rusqlite::Result<()> {
        tx.execute(
            "DELETE FROM sessions WHERE user_id = ?1 AND token_hash != ?2",
            rusqlite::params![user, keep.unwrap_or("")],
        )?;
        Ok(())
    }
}
