//! Service tickets, kept in memory only: single use, a minute to live, bound to the service
//! they were issued for, the portal session and the person. Nothing is written for them: a
//! ticket lost in a restart costs the person one more redirect, while a write per ticket
//! would cost the SD card and the login rate. The grant is written once, when the service
//! validates the ticket.
//!
//! The same store keeps the "fresh login" marks of `/cas/login`: when it sends someone to the
//! login form (or, with `renew`, ends their session first), it notes which session (if any)
//! they had, and a ticket issued on their way back, in a session that is not that one, came
//! from their password: what `renew` asks a ticket to prove at validation.

use crate::ids::{AppId, UserId};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a service ticket lives. The specification allows five minutes and advises
/// shorter; the service validates it within a second of the redirect.
pub const TICKET_LIFETIME: Duration = Duration::from_secs(60);
/// How long the way through the login form may take.
pub const LOGIN_MARK_LIFETIME: Duration = Duration::from_secs(10 * 60);
/// Bounds on what is held at once (a class logging in at once is a few hundred).
const MAX_TICKETS: usize = 20_000;
const MAX_MARKS: usize = 20_000;

/// What a service ticket stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// The service URL exactly as `/cas/login` received it.
    pub service: String,
    pub app: AppId,
    pub user: UserId,
    /// The portal session's public id: the ticket dies with the session.
    pub session_sid: String,
    /// The portal session's start (the attributes' `authenticationDate`).
    pub auth_time: i64,
    /// Issued right after the person typed their password (not from an existing session).
    pub primary: bool,
}

struct Held<T> {
    value: T,
    until: Instant,
}

#[derive(Default)]
struct Inner {
    tickets: HashMap<String, Held<Ticket>>,
    marks: HashMap<String, Held<Option<String>>>,
}

/// The tickets and login marks of the running server.
#[derive(Default)]
pub struct Tickets {
    inner: Mutex<Inner>,
}

/// The store is full of live tickets: many more logins at once than a school makes.
#[derive(Debug, PartialEq, Eq)]
pub struct Full;

fn make_room<T>(map: &mut HashMap<String, Held<T>>, max: usize, now: Instant) -> bool {
    if map.len() >= max {
        map.retain(|_, h| h.until > now);
    }
    map.len() < max
}

impl Tickets {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Issues a ticket: `ST-` and 32 random bytes in hex.
    pub fn issue(&self, ticket: Ticket) -> Result<String, Full> {
        let id = format!("ST-{}", crate::random_token(32));
        let now = Instant::now();
        let mut inner = self.lock();
        if !make_room(&mut inner.tickets, MAX_TICKETS, now) {
            return Err(Full);
        }
        inner.tickets.insert(
            id.clone(),
            Held {
                value: ticket,
                until: now + TICKET_LIFETIME,
            },
        );
        Ok(id)
    }

    /// Takes a ticket out: whatever the validation then finds, it cannot be presented again.
    /// `None` for an unknown, used or expired one.
    pub fn take(&self, id: &str) -> Option<Ticket> {
        let held = self.lock().tickets.remove(id)?;
        (held.until > Instant::now()).then_some(held.value)
    }

    /// Notes that someone is sent to the login form, having had the session `previous` (or
    /// none); returns the mark to carry through it. Anyone may ask for marks without logging
    /// in, so a full store drops its oldest mark rather than refuse: a flood can at worst
    /// make someone type their password once more, never lock everyone out of logging in.
    pub fn mark_login(&self, previous: Option<String>) -> String {
        let id = crate::random_token(16);
        let now = Instant::now();
        let mut inner = self.lock();
        if !make_room(&mut inner.marks, MAX_MARKS, now) {
            let oldest = inner
                .marks
                .iter()
                .min_by_key(|(_, h)| h.until)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                inner.marks.remove(&k);
            }
        }
        inner.marks.insert(
            id.clone(),
            Held {
                value: previous,
                until: now + LOGIN_MARK_LIFETIME,
            },
        );
        id
    }

    /// Whether `session_sid` was made by a login after `mark` was made (the mark is used up).
    pub fn fresh_login(&self, mark: &str, session_sid: &str) -> bool {
        let Some(held) = self.lock().marks.remove(mark) else {
            return false;
        };
        held.until > Instant::now() && held.value.as_deref() != Some(session_sid)
    }

    #[cfg(test)]
    fn expire_all(&self) {
        let past = Instant::now() - Duration::from_secs(1);
        let mut inner = self.lock();
        inner.tickets.values_mut().for_each(|h| h.until = past);
        inner.marks.values_mut().for_each(|h| h.until = past);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket() -> Ticket {
        Ticket {
            service: "https://a.test/app".into(),
            app: AppId(1),
            user: UserId(2),
            session_sid: "s1".into(),
            auth_time: 0,
            primary: false,
        }
    }

    #[test]
    fn a_ticket_is_used_once() {
        let t = Tickets::default();
        let id = t.issue(ticket()).unwrap();
        assert!(id.starts_with("ST-") && id.len() == 67);
        assert_eq!(t.take(&id), Some(ticket()));
        assert_eq!(t.take(&id), None);
        assert_eq!(t.take("ST-nothing"), None);
    }

    #[test]
    fn an_expired_ticket_or_mark_is_refused() {
        let t = Tickets::default();
        let id = t.issue(ticket()).unwrap();
        let mark = t.mark_login(None);
        t.expire_all();
        assert_eq!(t.take(&id), None);
        assert!(!t.fresh_login(&mark, "s2"));
    }

    #[test]
    fn a_fresh_login_is_a_new_session_after_the_mark() {
        let t = Tickets::default();
        let mark = t.mark_login(Some("old".into()));
        assert!(!t.fresh_login("unknown", "new"));
        assert!(t.fresh_login(&mark, "new"));
        assert!(!t.fresh_login(&mark, "new"), "a mark is used once");
        let mark = t.mark_login(Some("old".into()));
        assert!(!t.fresh_login(&mark, "old"), "the same session is no login");
    }

    #[test]
    fn the_store_is_bounded() {
        let t = Tickets::default();
        for _ in 0..MAX_TICKETS {
            t.issue(ticket()).unwrap();
        }
        assert_eq!(t.issue(ticket()), Err(Full));
        t.expire_all();
        assert!(t.issue(ticket()).is_ok(), "expired tickets make room");
        let first = t.mark_login(None);
        std::thread::sleep(Duration::from_millis(2));
        for _ in 1..MAX_MARKS {
            t.mark_login(None);
        }
        let last = t.mark_login(None);
        assert!(!t.fresh_login(&first, "s"), "the oldest mark made room");
        assert!(t.fresh_login(&last, "s"));
    }
}
