//! Where a recipient address leads, and whether the sender may write there: one person's
//! mailbox, a class's members, or the queue for the outside world.
//!
//! The SMTP door and the webmail both ask this, with the sender's [`Principal`] when they
//! know it (an unauthenticated SMTP client on port 25 has none), so both follow the same
//! rules: strangers reach only the school's people, only signed-in accounts reach the class
//! lists and the outside, and the school's settings narrow that through [`authorize`].

use super::address::{Address, CLASS_LIST_PREFIX, class_slug};
use super::settings::{ClassListWriters, MailSettings};
use crate::auth::{Action, Principal, authorize};
use crate::ids::{ClassId, UserId};
use crate::settings::Settings;
use rusqlite::{Connection, OptionalExtension};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Mailboxes on this box (one person, a class's members, the postmasters).
    Local(Vec<UserId>),
    /// Leaves through the smarthost.
    Outside(Address),
}

/// Why a recipient was refused. Each door maps these to its own words: an SMTP reply, a
/// message on the compose page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    #[error("{0:?} is not a valid address")]
    BadAddress(String),
    #[error("no one at this school has the address {0}")]
    Unknown(String),
    #[error("{0} is a class list; only its teachers and the office may write to it")]
    ListNotAllowed(String),
    #[error("mail for {0} is not accepted here: sign in to send mail outside the school")]
    RelayDenied(String),
    #[error("your account may not send mail outside the school")]
    OutsideNotAllowed,
    #[error("this school sends no mail outside (no relay is set up)")]
    NoRelay,
}

impl RouteError {
    pub fn key(&self) -> &'static str {
        match self {
            RouteError::BadAddress(_) => "mail.error_bad_address",
            RouteError::Unknown(_) => "mail.error_unknown",
            RouteError::ListNotAllowed(_) => "mail.error_list_not_allowed",
            RouteError::RelayDenied(_) => "mail.error_relay_denied",
            RouteError::OutsideNotAllowed => "mail.error_outside_not_allowed",
            RouteError::NoRelay => "mail.error_no_relay",
        }
    }
}

/// Local parts that reach the school's administrators (RFC 5321 requires `postmaster`).
const POSTMASTERS: [&str; 2] = ["postmaster", "abuse"];

pub fn route(
    conn: &Connection,
    settings: &Settings,
    mail: &MailSettings,
    sender: Option<&Principal>,
    rcpt: &str,
) -> Result<Route, RouteError> {
    let db = |e: rusqlite::Error| {
        log::error!("routing {rcpt:?}: {e}");
        RouteError::Unknown(rcpt.to_owned())
    };
    let addr = Address::parse(rcpt).ok_or_else(|| RouteError::BadAddress(rcpt.to_owned()))?;
    if !addr.is_in(&settings.mail_domain) {
        let Some(who) = sender else {
            return Err(RouteError::RelayDenied(addr.to_string()));
        };
        authorize(
            who,
            &Action::MailOutside {
                pupils_allowed: mail.pupils_outside,
            },
        )
        .map_err(|_| RouteError::OutsideNotAllowed)?;
        if mail.relay_host.is_none() {
            return Err(RouteError::NoRelay);
        }
        return Ok(Route::Outside(addr));
    }
    let local = addr.local.to_ascii_lowercase();
    if let Some(slug) = local.strip_prefix(CLASS_LIST_PREFIX) {
        let class = find_class_by_slug(conn, &settings.school_year, slug)
            .map_err(db)?
            .ok_or_else(|| RouteError::Unknown(addr.to_string()))?;
        let allowed = sender.is_some_and(|who| {
            authorize(
                who,
                &Action::MailClassList {
                    class,
                    members_may_write: mail.class_lists == ClassListWriters::Members,
                },
            )
            .is_ok()
        });
        if !allowed {
            return Err(RouteError::ListNotAllowed(addr.to_string()));
        }
        // The writer has the message in their sent folder already.
        let mut members = class_members(conn, class).map_err(db)?;
        members.retain(|m| Some(*m) != sender.map(|w| w.id));
        return Ok(Route::Local(members));
    }
    if POSTMASTERS.contains(&local.as_str()) {
        let admins = ids(
            conn,
            "SELECT id FROM users WHERE role = 'admin' AND disabled = 0 ORDER BY id",
            [],
        )
        .map_err(db)?;
        if !admins.is_empty() {
            return Ok(Route::Local(admins));
        }
    }
    let user: Option<i64> = conn
        .prepare_cached("SELECT id FROM users WHERE username = ?1 AND disabled = 0")
        .and_then(|mut s| s.query_row([&local], |r| r.get(0)).optional())
        .map_err(db)?;
    match user {
        Some(id) => Ok(Route::Local(vec![UserId(id)])),
        None => Err(RouteError::Unknown(addr.to_string())),
    }
}

fn ids<P: rusqlite::Params>(conn: &Connection, sql: &str, p: P) -> rusqlite::Result<Vec<UserId>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(p, |r| r.get::<_, i64>(0).map(UserId))?;
    rows.collect()
}

/// The class of this school year whose list address has this slug.
pub fn find_class_by_slug(
    conn: &Connection,
    year: &str,
    slug: &str,
) -> rusqlite::Result<Option<ClassId>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name FROM classes WHERE school_year = ?1 ORDER BY id")?;
    let rows = stmt.query_map([year], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (id, name) = row?;
        if class_slug(&name) == slug {
            return Ok(Some(ClassId(id)));
        }
    }
    Ok(None)
}

/// A class's pupils and teachers whose accounts are enabled.
pub fn class_members(conn: &Connection, class: ClassId) -> rusqlite::Result<Vec<UserId>> {
    ids(
        conn,
        "SELECT u.id FROM users u WHERE u.disabled = 0 AND u.id IN
           (SELECT user_id FROM class_pupils WHERE class_id = ?1
            UNION SELECT user_id FROM class_teachers WHERE class_id = ?1)
         ORDER BY u.id",
        [class],
    )
}
