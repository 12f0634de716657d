//! Cartable as a CAS 3.0 server: the rules behind `/cas/login` and the validation endpoints,
//! with no HTTP in them. A service ticket lives in memory ([`tickets`]); its validation is
//! where the login is recorded, in one write (the grant that logout follows, and the
//! person's subject); the answers' bytes are in [`wire`].
//!
//! A ticket is presented once. Whatever its validation finds (another service, a session
//! that ended, an account disabled since, a person no longer allowed), it is gone.

pub mod tickets;
pub mod wire;

pub use tickets::{Ticket, Tickets};
pub use wire::Failure;

use super::apps::{self, Protocol};
use super::claims;
use crate::auth::{Action, authorize, load_principal};
use crate::settings::Settings;
use rusqlite::{OptionalExtension, Transaction};

/// Who a validated ticket stands for, and what the service is told about them.
#[derive(Debug, Clone)]
pub struct Validated {
    pub username: String,
    pub attributes: Vec<(&'static str, Vec<String>)>,
    pub auth_time: i64,
    pub primary: bool,
}

/// What a service asks when it validates a ticket it has taken from the store.
pub struct Check<'a> {
    pub service: &'a str,
    /// `renew=true`: only a ticket from a fresh login will do.
    pub renew: bool,
    /// The CAS base URL the request came by, recorded with the grant.
    pub iss: &'a str,
}

/// The checks that need no database: the service the ticket was issued for, and `renew`.
pub fn check_ticket(ticket: &Ticket, check: &Check<'_>) -> Result<(), Failure> {
    if ticket.service != check.service {
        return Err(Failure::InvalidService);
    }
    if check.renew && !ticket.primary {
        return Err(Failure::NotFromLogin);
    }
    Ok(())
}

/// Validates a ticket for its service and records the login: the grant (which the end of
/// the portal session turns into a single logout) and the subject. Nothing is written when
/// it fails.
pub fn validate(
    tx: &Transaction<'_>,
    ticket: &Ticket,
    ticket_id: &str,
    check: &Check<'_>,
    settings: &Settings,
) -> Result<Validated, ValidateError> {
    check_ticket(ticket, check)?;
    // The portal session the ticket came from must still be there: a ticket presented after
    // a logout (or a password change, an account disabled) opens nothing. The session was
    // live when the ticket was issued, a minute ago at most, so its row is enough.
    let live: Option<crate::ids::UserId> = tx
        .prepare_cached("SELECT user_id FROM sessions WHERE sid = ?1")?
        .query_row([&ticket.session_sid], |r| r.get(0))
        .optional()?;
    if live != Some(ticket.user) {
        return Err(Failure::InvalidTicket.into());
    }
    let now = crate::now();
    let app = apps::get(tx, ticket.app)?
        .filter(|a| a.protocol == Protocol::Cas && a.serves(&ticket.service))
        .ok_or(Failure::InvalidService)?;
    // A disabled account has no principal; a person moved out of the application's classes
    // since the ticket was issued is no longer let in.
    let who = load_principal(tx, ticket.user)?.ok_or(Failure::InvalidTicket)?;
    let audience = app.audience();
    authorize(&who, &Action::UseApp { app: &audience }).map_err(|_| Failure::InvalidTicket)?;
    claims::subject(tx, ticket.user)?;
    tx.execute(
        "INSERT INTO idp_grants (app_id, user_id, session_sid, kind, iss, cas_ticket, service, created_at)
         VALUES (?1, ?2, ?3, 'cas', ?4, ?5, ?6, ?7)",
        rusqlite::params![
            app.id,
            ticket.user,
            ticket.session_sid,
            check.iss,
            ticket_id,
            ticket.service,
            now
        ],
    )?;
    let person = claims::person(tx, ticket.user, settings)?.ok_or(Failure::InvalidTicket)?;
    Ok(Validated {
        attributes: claims::cas(&person, app.claim_profile),
        username: person.username,
        auth_time: ticket.auth_time,
        primary: ticket.primary,
    })
}

/// The origin the login form must be allowed to end at (CSP `form-action`) when it was
/// opened for a CAS login: the login's POST is redirected back to `/cas/login`, which
/// redirects to the service, and browsers check every hop of a form's redirects against
/// `form-action`. `next` is the login form's `next`; `None` unless it is `/cas/login` for a
/// registered service. (For the login page's CSP, with the OpenID Connect authorization's.)
pub fn login_form_action(conn: &rusqlite::Connection, next: &str) -> Option<String> {
    let (path, query) = next.split_once('?')?;
    if path != "/cas/login" {
        return None;
    }
    let params: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    let mut services = params.iter().filter(|(k, _)| k == "service");
    let service = &services.next()?.1;
    if services.next().is_some() || !apps::valid_url(service) {
        return None;
    }
    apps::for_service(conn, service).ok()??;
    let uri = service.parse::<hyper::Uri>().ok()?;
    Some(format!("{}://{}", uri.scheme_str()?, uri.authority()?))
}

/// A refusal (with its CAS code) or a database failure.
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error("{}", .0.code())]
    Refused(Failure),
    #[error(transparent)]
    Db(#[from] crate::db::Error),
}

impl From<Failure> for ValidateError {
    fn from(f: Failure) -> Self {
        ValidateError::Refused(f)
    }
}

impl From<rusqlite::Error> for ValidateError {
    fn from(e: rusqlite::Error) -> Self {
        ValidateError::Db(e.into())
    }
}

impl From<super::IdpError> for ValidateError {
    fn from(e: super::IdpError) -> Self {
        match e {
            super::IdpError::Db(e) => ValidateError::Db(e),
            _ => ValidateError::Refused(Failure::InternalError),
        }
    }
}

impl ValidateError {
    pub fn failure(&self) -> Failure {
        match self {
            ValidateError::Refused(f) => *f,
            ValidateError::Db(_) => Failure::InternalError,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{Allowed, Role};

    #[test]
    fn the_login_form_may_end_at_a_registered_service_only() {
        let (_dir, db) = crate::accounts::test_db();
        db.write_blocking(|tx| {
            let input = apps::AppInput {
                name: "A".into(),
                protocol: Some(Protocol::Cas),
                cas_services: vec!["https://moodle.test:8443/login/".into()],
                roles: vec![Role::Pupil],
                ..Default::default()
            };
            apps::create(tx, &Allowed::system("test"), input)?;
            Ok(())
        })
        .unwrap();
        let action = |next: &str| {
            db.read_blocking(|c| Ok(login_form_action(c, next)))
                .unwrap()
        };
        assert_eq!(
            action("/cas/login?service=https%3A%2F%2Fmoodle.test%3A8443%2Flogin%2Findex.php&rn=1")
                .as_deref(),
            Some("https://moodle.test:8443")
        );
        assert_eq!(
            action("/cas/login?service=https%3A%2F%2Fevil.test%2F"),
            None
        );
        assert_eq!(
            action("/cas/logout?service=https%3A%2F%2Fmoodle.test%3A8443%2Flogin%2F"),
            None
        );
        assert_eq!(action("/"), None);
        assert_eq!(action("/cas/login?service=a&service=b"), None);
    }
}
