//! Server-side sessions for the web door.
//!
//! The cookie carries 32 random bytes; the database keeps only their SHA-256, with the CSRF
//! token bound to the session. A new session is made at every login (no fixation), logout
//! deletes it, and a password change ends all the account's other sessions. `last_seen` is
//! written at most every few minutes, not on every request, to spare the SD card.

use super::{Principal, load_principal};
use crate::ids::UserId;
use rusqlite::{Connection, OptionalExtension, Transaction};

pub const SESSION_COOKIE: &str = "cartable_session";
/// A session unused for this long is over.
pub const IDLE_TIMEOUT: i64 = 8 * 3600;
/// A session is over after this long, used or not.
pub const MAX_AGE: i64 = 7 * 24 * 3600;
/// `last_seen` is refreshed only when older than this.
const TOUCH_EVERY: i64 = 300;

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
}

impl Session {
    fn hash(token: &str) -> String {
        crate::sha256_hex(token)
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
            },
            token,
        ))
    }

    /// Finds the live session for a cookie token and its principal.
    pub fn lookup(
        conn: &Connection,
        token: &str,
    ) -> rusqlite::Result<Option<(Session, Principal)>> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let now = crate::now();
        let row = conn
            .prepare_cached(
                "SELECT token_hash, user_id, csrf, last_seen, sid, created_at FROM sessions
                 WHERE token_hash = ?1 AND last_seen >= ?2 AND created_at >= ?3",
            )?
            .query_row(
                rusqlite::params![Self::hash(token), now - IDLE_TIMEOUT, now - MAX_AGE],
                |r| {
                    Ok(Session {
                        token_hash: r.get(0)?,
                        user: r.get(1)?,
                        csrf: r.get(2)?,
                        last_seen: r.get(3)?,
                        sid: r.get(4)?,
                        created_at: r.get(5)?,
                    })
                },
            )
            .optional()?;
        let Some(session) = row else { return Ok(None) };
        Ok(load_principal(conn, session.user)?.map(|p| (session, p)))
    }

    /// Whether `last_seen` is stale enough to be worth a write.
    pub fn needs_touch(&self) -> bool {
        crate::now() - self.last_seen > TOUCH_EVERY
    }

    pub fn touch(tx: &Transaction<'_>, token_hash: &str) -> rusqlite::Result<()> {
        tx.execute(
            "UPDATE sessions SET last_seen = ?1 WHERE token_hash = ?2",
            rusqlite::params![crate::now(), token_hash],
        )?;
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
