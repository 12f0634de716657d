//! Who a session cookie or a password belongs to, remembered in memory.
//!
//! Looking a session up in SQLite on every request cost four fifths of a static file's
//! throughput (a trip to the blocking pool and five queries), and WebDAV clients send a
//! password with every one of their dozens of requests per folder. So the web door's sessions
//! and the WebDAV and SMTP doors' logins are remembered here, in the `App`, bounded.
//!
//! One rule says when something remembered stops being true: a commit that touches the
//! account's row, one of its memberships or the session's row. The database layer reports
//! those after every commit in this process ([`crate::db::Changes`]) and through a shared
//! counter for commits by other processes ([`crate::db::Epoch`]); [`Cache::forget`] drops
//! what they name before the writing request is answered. Logout, a password change or
//! reset, a disabled account, a role, name or language change, a class or family change, all
//! go through those rows, so each takes effect on the next request at every door.
//!
//! A fill races with a change: a request that read the database just before a commit must
//! not store what it read just after the commit was forgotten. Every forgetting moves a
//! generation and is kept in a short log; a fill read under an older generation is dropped
//! when a forgetting since then named its account or its session (or when the log no longer
//! reaches back that far), so that a class logging out does not void everyone's fills.
//!
//! A session's last use is kept here and written to the database in batches
//! ([`Cache::unsaved_uses`]), not on every request.

use super::{IDLE_TIMEOUT, MAX_AGE, Principal, Session};
use crate::db::{Changes, Epoch};
use crate::ids::UserId;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Sessions remembered at most: a large school's every account logged in on two devices.
const MAX_SESSIONS: usize = 4096;
/// Password logins remembered at most.
const MAX_LOGINS: usize = 4096;
/// How long a password login is remembered without a change to forget it: an account whose
/// password stays right is checked with argon2 again after this.
const LOGIN_TTL: Duration = Duration::from_secs(300);
/// A session's last use is written to the database when it is this much newer than the
/// stored one; the sweep of idle sessions (8 hours) never sees a session in use.
pub const SAVE_USE_AFTER: i64 = 300;
/// How often the server writes the sessions' last uses.
pub const SAVE_EVERY: Duration = Duration::from_secs(60);
/// Forgettings kept in the log that fills are checked against.
const LOG: usize = 64;

struct Remembered {
    session: Arc<Session>,
    principal: Arc<Principal>,
    /// When the session was last used, as far as this process knows (the database's
    /// `last_seen` is the session's own, as read: saving a use forgets the entry).
    used: i64,
}

impl Remembered {
    /// Past its limits as far as memory knows.
    fn expired(&self, now: i64) -> bool {
        self.used < now - IDLE_TIMEOUT || self.session.created_at < now - MAX_AGE
    }
}

struct Login {
    principal: Arc<Principal>,
    at: Instant,
}

#[derive(Default)]
struct Inner {
    /// Moved by every forgetting; see the module's documentation.
    generation: u64,
    /// What the last forgettings named, newest last: the one that moved `generation` to `g`
    /// is at `len - 1 - (generation - g)`.
    log: VecDeque<Changes>,
    /// By the SHA-256 of the cookie's token, as the database keys them.
    sessions: HashMap<String, Remembered>,
    /// By [`Cache::login_key`].
    logins: HashMap<[u8; 32], Login>,
}

/// A cache miss's ticket: the generation its database read started under.
#[derive(Debug, Clone, Copy)]
pub struct Ticket(u64);

pub struct Cache {
    inner: Mutex<Inner>,
    epoch: Arc<Epoch>,
    /// Keys the login fingerprints, so that memory holds no plain hash of a password.
    secret: [u8; 32],
}

impl Cache {
    pub fn new(epoch: Arc<Epoch>) -> Cache {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).expect("the operating system's random generator failed");
        Cache {
            inner: Mutex::new(Inner::default()),
            epoch,
            secret,
        }
    }

    /// The lock, after forgetting everything if another process changed accounts.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if self.epoch.changed_elsewhere() {
            // What changed is not known: as a membership change, everything goes.
            inner.forget(Changes {
                memberships: true,
                ..Changes::default()
            });
        }
        inner
    }

    /// The ticket a miss takes before reading the database.
    pub fn ticket(&self) -> Ticket {
        Ticket(self.lock().generation)
    }

    /// The live session with this token hash and its principal, marked used at `now`.
    pub fn session(&self, token_hash: &str, now: i64) -> Option<(Arc<Session>, Arc<Principal>)> {
        let mut inner = self.lock();
        let r = inner.sessions.get_mut(token_hash)?;
        // Past its limits as far as memory knows: the database decides (another door, an
        // application's refresh, may have used it since), through a miss.
        if r.expired(now) {
            inner.sessions.remove(token_hash);
            return None;
        }
        r.used = r.used.max(now);
        Some((r.session.clone(), r.principal.clone()))
    }

    /// Remembers a session read from the database under `ticket` (or just created), unless a
    /// change came in between.
    pub fn put_session(&self, ticket: Ticket, session: Arc<Session>, principal: Arc<Principal>) {
        let mut inner = self.lock();
        if inner.stale(ticket, principal.id, Some(session.rowid)) {
            return;
        }
        if inner.sessions.len() >= MAX_SESSIONS {
            make_room(&mut inner.sessions);
        }
        inner.sessions.insert(
            session.token_hash.clone(),
            Remembered {
                used: session.last_seen(),
                session,
                principal,
            },
        );
    }

    /// Sessions used since their `last_seen` was stored, by more than [`SAVE_USE_AFTER`]:
    /// (token hash, last use), for one batched write.
    pub fn unsaved_uses(&self) -> Vec<(String, i64)> {
        self.lock()
            .sessions
            .iter()
            .filter(|(_, r)| r.used - r.session.last_seen() > SAVE_USE_AFTER)
            .map(|(k, r)| (k.clone(), r.used))
            .collect()
    }

    /// The fingerprint a password login is remembered under: keyed by this process's secret,
    /// so a copy of memory does not give a password's plain hash to try guesses against.
    pub fn login_key(&self, username: &str, password: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.secret);
        h.update(username.trim().to_lowercase().as_bytes());
        h.update([0]);
        h.update(password.as_bytes());
        h.finalize().into()
    }

    /// A password login remembered under `key`, still true.
    pub fn login(&self, key: &[u8; 32]) -> Option<Arc<Principal>> {
        let mut inner = self.lock();
        match inner.logins.get(key) {
            Some(l) if l.at.elapsed() < LOGIN_TTL => Some(l.principal.clone()),
            Some(_) => {
                inner.logins.remove(key);
                None
            }
            None => None,
        }
    }

    /// Remembers a successful password login made under `ticket`.
    pub fn put_login(&self, ticket: Ticket, key: [u8; 32], principal: Arc<Principal>) {
        let mut inner = self.lock();
        if inner.stale(ticket, principal.id, None) {
            return;
        }
        if inner.logins.len() >= MAX_LOGINS {
            inner.logins.retain(|_, l| l.at.elapsed() < LOGIN_TTL);
            if inner.logins.len() >= MAX_LOGINS {
                inner.logins.clear();
            }
        }
        inner.logins.insert(
            key,
            Login {
                principal,
                at: Instant::now(),
            },
        );
    }

    /// Drops what a commit made untrue (see the module's documentation).
    pub fn forget(&self, changes: &Changes) {
        self.lock().forget(changes.clone());
    }

    /// How many sessions and logins are remembered (the tests look).
    pub fn len(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.sessions.len(), inner.logins.len())
    }
}

impl Inner {
    fn forget(&mut self, changes: Changes) {
        if changes.memberships {
            // Whose membership is not known: every principal is read again.
            self.sessions.clear();
            self.logins.clear();
        } else {
            let gone = |id: UserId| changes.users.contains(&id.0);
            self.sessions.retain(|_, r| {
                !gone(r.principal.id) && !changes.sessions.contains(&r.session.rowid)
            });
            self.logins.retain(|_, l| !gone(l.principal.id));
        }
        self.generation += 1;
        if self.log.len() == LOG {
            self.log.pop_front();
        }
        self.log.push_back(changes);
    }

    /// Whether a forgetting since `ticket` names this account or session.
    fn stale(&self, ticket: Ticket, user: UserId, session: Option<i64>) -> bool {
        let since = (self.generation - ticket.0) as usize;
        if since > self.log.len() {
            return true;
        }
        self.log.iter().rev().take(since).any(|c| {
            c.memberships
                || c.users.contains(&user.0)
                || session.is_some_and(|r| c.sessions.contains(&r))
        })
    }
}

/// Frees a tenth of a full session map: the expired first, then the least recently used.
fn make_room(sessions: &mut HashMap<String, Remembered>) {
    let now = crate::now();
    sessions.retain(|_, r| !r.expired(now));
    if sessions.len() < MAX_SESSIONS {
        return;
    }
    let mut uses: Vec<i64> = sessions.values().map(|r| r.used).collect();
    let cut = MAX_SESSIONS / 10;
    uses.select_nth_unstable(cut);
    let below = uses[cut];
    sessions.retain(|_, r| r.used > below);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    fn principal(id: i64) -> Arc<Principal> {
        Arc::new(Principal {
            id: UserId(id),
            username: format!("u{id}"),
            display_name: String::new(),
            role: Role::Pupil,
            language: None,
            must_change_password: false,
            classes: Vec::new(),
            teaches: Vec::new(),
            children: Vec::new(),
            children_classes: Vec::new(),
        })
    }

    fn session(hash: &str, user: i64, rowid: i64, now: i64) -> Arc<Session> {
        Arc::new(Session::for_tests(hash, UserId(user), rowid, now))
    }

    fn cache() -> (tempfile::TempDir, Cache) {
        let dir = tempfile::tempdir().unwrap();
        let epoch = Arc::new(Epoch::open(&dir.path().join("e")));
        (dir, Cache::new(epoch))
    }

    #[test]
    fn a_fill_read_before_a_change_to_its_account_is_dropped() {
        let (_d, c) = cache();
        let now = crate::now();
        let t = c.ticket();
        // Another account's change, and another session's end, do not void this fill.
        c.forget(&Changes {
            users: vec![2],
            sessions: vec![20],
            memberships: false,
        });
        c.put_session(t, session("a", 1, 10, now), principal(1));
        assert!(c.session("a", now).is_some());
        let t = c.ticket();
        c.forget(&Changes {
            users: vec![1],
            ..Changes::default()
        });
        assert!(c.session("a", now).is_none(), "forgotten");
        c.put_session(t, session("a", 1, 10, now), principal(1));
        assert!(c.session("a", now).is_none(), "the stale fill is dropped");
    }

    #[test]
    fn sessions_end_by_row_and_expire_by_time() {
        let (_d, c) = cache();
        let now = crate::now();
        c.put_session(c.ticket(), session("a", 1, 10, now), principal(1));
        c.put_session(c.ticket(), session("b", 1, 11, now), principal(1));
        c.forget(&Changes {
            sessions: vec![10],
            ..Changes::default()
        });
        assert!(c.session("a", now).is_none());
        assert!(c.session("b", now).is_some());
        assert!(
            c.session("b", now + IDLE_TIMEOUT + 1).is_none(),
            "idle too long"
        );
        let old = now - MAX_AGE - 1;
        c.put_session(c.ticket(), session("c", 1, 12, old), principal(1));
        assert!(c.session("c", now).is_none(), "too old, used or not");
    }

    #[test]
    fn logins_are_keyed_by_name_and_password_and_forgotten_with_their_account() {
        let (_d, c) = cache();
        let k = c.login_key("Amina", "secret");
        assert_eq!(k, c.login_key(" amina", "secret"));
        assert_ne!(k, c.login_key("amina", "Secret"));
        c.put_login(c.ticket(), k, principal(1));
        assert!(c.login(&k).is_some());
        c.forget(&Changes {
            users: vec![1],
            ..Changes::default()
        });
        assert!(c.login(&k).is_none());
    }

    #[test]
    fn unsaved_uses_are_the_sessions_used_well_after_their_stored_time() {
        let (_d, c) = cache();
        let now = crate::now();
        c.put_session(c.ticket(), session("a", 1, 10, now - 1000), principal(1));
        c.put_session(c.ticket(), session("b", 2, 11, now - 1000), principal(2));
        assert!(c.unsaved_uses().is_empty());
        c.session("a", now);
        c.session("b", now - 1000 + SAVE_USE_AFTER);
        assert_eq!(c.unsaved_uses(), vec![("a".to_owned(), now)]);
    }
}
