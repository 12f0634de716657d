//! What an application was given in which portal session: one `idp_grants` row per OIDC
//! login, holding the refresh token's hash. The session's end deletes it (the trigger in
//! `0010_idp.sql`), which ends the refresh token and every access token naming it.
//!
//! A grant counts only while its portal session is alive: a session past its idle or
//! maximum age may still have a row until the next login sweeps it.

use crate::auth::{IDLE_TIMEOUT, MAX_AGE};
use crate::idp::apps::ClaimProfile;
use crate::ids::{AppId, UserId};
use rusqlite::{Connection, OptionalExtension, Transaction};

/// A live grant and what answering for it needs.
#[derive(Debug, Clone)]
pub struct Grant {
    pub id: i64,
    pub app: AppId,
    pub client_id: String,
    pub user: UserId,
    pub sid: String,
    pub iss: String,
    /// The portal session's login time.
    pub auth_time: i64,
    pub claim_profile: ClaimProfile,
    pub app_disabled: bool,
    pub refresh_expires: Option<i64>,
}

pub struct NewGrant<'a> {
    pub app: AppId,
    pub user: UserId,
    pub sid: &'a str,
    pub iss: &'a str,
    pub refresh_hash: &'a str,
    pub refresh_expires: i64,
}

/// Whether the portal session `sid` is alive at `now`.
pub fn session_alive(conn: &Connection, sid: &str, now: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM sessions WHERE sid = ?1 AND last_seen >= ?2 AND created_at >= ?3)",
    )?
    .query_row(
        rusqlite::params![sid, now - IDLE_TIMEOUT, now - MAX_AGE],
        |r| r.get(0),
    )
}

pub fn create(tx: &Transaction<'_>, g: &NewGrant<'_>) -> rusqlite::Result<i64> {
    tx.prepare_cached(
        "INSERT INTO idp_grants (app_id, user_id, session_sid, kind, iss, refresh_hash, refresh_expires, created_at)
         VALUES (?1, ?2, ?3, 'oidc', ?4, ?5, ?6, ?7)",
    )?
    .execute(rusqlite::params![
        g.app,
        g.user,
        g.sid,
        g.iss,
        g.refresh_hash,
        g.refresh_expires,
        crate::now()
    ])?;
    Ok(tx.last_insert_rowid())
}

pub fn delete(tx: &Transaction<'_>, id: i64) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM idp_grants WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

const GRANT: &str = "SELECT g.id, g.app_id, a.slug, g.user_id, g.session_sid, g.iss, s.created_at,
        a.claim_profile, a.disabled, g.refresh_expires
     FROM idp_grants g JOIN apps a ON a.id = g.app_id JOIN sessions s ON s.sid = g.session_sid
     WHERE g.kind = 'oidc' AND s.last_seen >= ?2 AND s.created_at >= ?3";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Grant> {
    let profile: String = r.get(7)?;
    Ok(Grant {
        id: r.get(0)?,
        app: r.get(1)?,
        client_id: r.get(2)?,
        user: r.get(3)?,
        sid: r.get(4)?,
        iss: r.get(5)?,
        auth_time: r.get(6)?,
        claim_profile: ClaimProfile::parse(&profile).unwrap_or(ClaimProfile::Standard),
        app_disabled: r.get(8)?,
        refresh_expires: r.get(9)?,
    })
}

/// The grant `id`, if it and its portal session are alive.
pub fn live(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<Option<Grant>> {
    conn.prepare_cached(&format!("{GRANT} AND g.id = ?1"))?
        .query_row(
            rusqlite::params![id, now - IDLE_TIMEOUT, now - MAX_AGE],
            row,
        )
        .optional()
}

/// The live grant holding the refresh token whose hash is `hash`, not yet expired.
pub fn by_refresh(conn: &Connection, hash: &str, now: i64) -> rusqlite::Result<Option<Grant>> {
    let g = conn
        .prepare_cached(&format!("{GRANT} AND g.refresh_hash = ?1"))?
        .query_row(
            rusqlite::params![hash, now - IDLE_TIMEOUT, now - MAX_AGE],
            row,
        )
        .optional()?;
    Ok(g.filter(|g| g.refresh_expires.is_some_and(|e| e + super::SKEW >= now)))
}

/// Replaces a grant's refresh token, if `old_hash` is still its token (two refreshes at once:
/// one wins). Using a refresh token also counts as using the portal session.
pub fn rotate(
    tx: &Transaction<'_>,
    id: i64,
    old_hash: &str,
    new_hash: &str,
    expires: i64,
) -> rusqlite::Result<bool> {
    let n = tx
        .prepare_cached(
            "UPDATE idp_grants SET refresh_hash = ?3, refresh_expires = ?4
             WHERE id = ?1 AND refresh_hash = ?2",
        )?
        .execute(rusqlite::params![id, old_hash, new_hash, expires])?;
    if n == 1 {
        tx.prepare_cached(
            "UPDATE sessions SET last_seen = ?2 WHERE sid = (SELECT session_sid FROM idp_grants WHERE id = ?1)",
        )?
        .execute(rusqlite::params![id, crate::now()])?;
    }
    Ok(n == 1)
}
