//! Cartable as the school's identity provider: the applications beside it (Moodle, Nextcloud,
//! Kolibri, a publisher's site) log people in with their Cartable account, through OpenID
//! Connect or CAS, and learn their role and classes; an application with no login of its own
//! can sit behind the portal instead.
//!
//! This module holds the rules and knows no protocol's transport: the registry of applications
//! ([`apps`]), who the applications are told a person is ([`claims`]), the signing keys
//! ([`keys`], [`jws`]). The web door turns them into the OIDC and CAS endpoints.
//!
//! Who may use an application is one [`crate::auth::Action::UseApp`] decision, asked with the
//! application's audience; registering applications is [`crate::auth::Action::ManageApps`].
//! Logout everywhere hangs on the database: deleting a portal session (however it ends) queues
//! the logouts of what it signed in to (migration `0010_idp.sql`).

pub mod apps;
pub mod backchannel;
pub mod cas;
pub mod claims;
pub mod jws;
pub mod keys;
pub mod oidc;
pub mod presets;

use std::sync::Arc;

/// What can go wrong in the registry and the protocols' rules. Pages and endpoints turn it
/// into the answer their specification names.
#[derive(Debug, thiserror::Error)]
pub enum IdpError {
    #[error("not found")]
    NotFound,
    #[error("not allowed")]
    Denied,
    /// A form or command-line value is wrong; the key names the message.
    #[error("invalid: {0}")]
    Invalid(&'static str),
    #[error(transparent)]
    Db(#[from] crate::db::Error),
}

impl From<rusqlite::Error> for IdpError {
    fn from(e: rusqlite::Error) -> Self {
        IdpError::Db(e.into())
    }
}

impl From<IdpError> for crate::db::Error {
    fn from(e: IdpError) -> Self {
        match e {
            IdpError::Db(d) => d,
            other => crate::db::Error::Task(other.to_string()),
        }
    }
}

impl IdpError {
    /// The message a page shows for it.
    pub fn key(&self) -> &'static str {
        match self {
            IdpError::NotFound => "apps.error_not_found",
            IdpError::Denied => "apps.error_denied",
            IdpError::Invalid(k) => k,
            IdpError::Db(_) => "error.internal",
        }
    }
}

pub type Result<T> = std::result::Result<T, IdpError>;

/// The identity provider's shared state in [`crate::app::AppInner`]: the signing keys, read
/// from the database and kept while they do not change; the CAS tickets in flight; the bell
/// of the logout queue's worker.
pub struct Idp {
    keys: keys::Cache,
    /// OpenID Connect's codes in flight, access-token key and client-secret throttle.
    pub oidc: oidc::Oidc,
    /// CAS service tickets and login marks (in memory only).
    pub cas: cas::Tickets,
    /// Wakes [`backchannel`]'s worker.
    wake: Arc<tokio::sync::Notify>,
}

impl Idp {
    pub fn new() -> Idp {
        Idp {
            keys: keys::Cache::default(),
            oidc: oidc::Oidc::new(),
            cas: cas::Tickets::default(),
            wake: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// Tells the logout queue's worker that logouts were queued (a session just ended), so
    /// that applications hear of it now rather than at the next look.
    pub fn kick(&self) {
        self.wake.notify_one();
    }

    /// The current key ring, reloaded when the keys in the database changed (a rotation from
    /// the command line while the server runs).
    pub fn keyring(&self, conn: &rusqlite::Connection) -> rusqlite::Result<Arc<keys::KeyRing>> {
        self.keys.get(conn)
    }
}

impl Default for Idp {
    fn default() -> Self {
        Idp::new()
    }
}

#[cfg(test)]
mod tests {
    use crate::auth::{Allowed, Role, Session};
    use crate::idp::apps::{self, AppInput, Protocol};

    /// Every way a session ends deletes its row; the trigger turns that into logouts to send.
    #[test]
    fn ending_a_session_queues_the_logouts_of_what_it_signed_in_to() {
        let (_dir, db) = crate::accounts::test_db();
        let n = db
            .write_blocking(|tx| {
                let now = crate::now();
                tx.execute(
                    "INSERT INTO users (username, display_name, role, created_at, updated_at) VALUES ('alice', 'Alice', 'pupil', ?1, ?1)",
                    [now],
                )?;
                let user = crate::ids::UserId(tx.last_insert_rowid());
                let sys = Allowed::system("test");
                let input = |name: &str, protocol, bc: &str| AppInput {
                    name: name.into(),
                    protocol: Some(protocol),
                    redirect_uris: vec!["https://a.test/cb".into()],
                    cas_services: vec!["https://c.test/".into()],
                    backchannel_logout_url: bc.into(),
                    roles: vec![Role::Pupil],
                    ..Default::default()
                };
                let (with_bc, secret) = apps::create(tx, &sys, input("A", Protocol::Oidc, "https://a.test/bc"))?;
                assert!(secret.is_some_and(|s| with_bc.secret_matches(&s)));
                let (without, _) = apps::create(tx, &sys, input("B", Protocol::Oidc, ""))?;
                let (cas, _) = apps::create(tx, &sys, input("C", Protocol::Cas, ""))?;
                let (session, _) = Session::create(tx, user, "test")?;
                let sub = super::claims::subject(tx, user)?;
                for (app, kind, ticket) in [(with_bc.id, "oidc", None), (without.id, "oidc", None), (cas.id, "cas", Some("ST-1"))] {
                    tx.execute(
                        "INSERT INTO idp_grants (app_id, user_id, session_sid, kind, iss, cas_ticket, service, created_at)
                         VALUES (?1, ?2, ?3, ?4, 'https://x', ?5, 'https://c.test/app', 0)",
                        rusqlite::params![app, user, session.sid, kind, ticket],
                    )?;
                }
                Session::delete(tx, &session.token_hash)?;
                let grants: i64 = tx.query_row("SELECT count(*) FROM idp_grants", [], |r| r.get(0))?;
                assert_eq!(grants, 0);
                let mut stmt = tx.prepare("SELECT kind, url, sub, sid, ticket FROM idp_logout_queue ORDER BY kind")?;
                let rows: Vec<(String, String, String, String, Option<String>)> = stmt
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                assert_eq!(rows.len(), 2, "{rows:?}");
                assert_eq!(rows[0], ("cas".into(), "https://c.test/app".into(), sub.clone(), session.sid.clone(), Some("ST-1".into())));
                assert_eq!(rows[1].1, "https://a.test/bc");
                Ok(rows.len())
            })
            .unwrap();
        assert_eq!(n, 2);
    }
}
