//! Logging in: the one path from a username and password to a [`Principal`], for every door.

use super::cache::Cache;
use super::{Principal, Session, load_principal, password, throttle::Throttle};
use crate::db::{self, Db};
use crate::ids::UserId;
use rusqlite::OptionalExtension;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Why a login failed. `Invalid` is deliberately the same for an unknown user, a wrong
/// password, a disabled account and an account that has no password yet.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("unknown user or wrong password")]
    Invalid,
    #[error("too many failed attempts; try again in {} minutes", .0.as_secs().div_ceil(60))]
    Throttled(Duration),
    #[error(transparent)]
    Db(#[from] db::Error),
}

/// The authentication service shared by every door.
#[derive(Clone)]
pub struct Auth {
    db: Db,
    hashing: Arc<Semaphore>,
    throttle: Arc<Throttle>,
    /// Sessions and password logins in memory, for every door.
    pub cache: Arc<Cache>,
}

/// A hash to verify against when the user is unknown, so that the answer takes as long as for
/// a wrong password. Its password is no secret: the result of that check is always ignored.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$q8IG+TDwBGeZs9LblvbQWA$V9ucqapgMhO3AfUH1vrYpM/tXj2B8arrfdekI404qS4";

impl Auth {
    pub fn new(db: Db) -> Auth {
        // One argon2 hash holds 19 MiB: allow one per core, so that a class logging in at once
        // queues instead of exhausting a 1 GB board.
        let slots = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        let cache = Arc::new(Cache::new(db.epoch()));
        let told = cache.clone();
        db.on_commit(move |changes| told.forget(changes));
        Auth {
            db,
            hashing: Arc::new(Semaphore::new(slots)),
            throttle: Arc::new(Throttle::default()),
            cache,
        }
    }

    /// The live session for a cookie's token and its principal: from memory, or from the
    /// database (one read) and then remembered.
    pub async fn session(
        &self,
        token: &str,
    ) -> Result<Option<(Arc<Session>, Arc<Principal>)>, db::Error> {
        if !Session::well_formed(token) {
            return Ok(None);
        }
        let hash = Session::hash(token);
        if let Some(hit) = self.cache.session(&hash, crate::now()) {
            return Ok(Some(hit));
        }
        let ticket = self.cache.ticket();
        let found = self
            .db
            .read(move |c| Ok(Session::lookup(c, &hash)?))
            .await?;
        Ok(found.map(|(s, p)| {
            let (s, p) = (Arc::new(s), Arc::new(p));
            self.cache.put_session(ticket, s.clone(), p.clone());
            (s, p)
        }))
    }

    /// Writes the sessions' last uses that memory holds and the database does not yet, in
    /// one transaction (the server calls it every minute and when it stops).
    pub async fn save_session_uses(&self) -> Result<(), db::Error> {
        let uses = self.cache.unsaved_uses();
        if uses.is_empty() {
            return Ok(());
        }
        self.db
            .write(move |tx| Ok(Session::save_uses(tx, &uses)?))
            .await
    }

    /// [`Auth::login`] for the doors that send the password with every request or
    /// connection (WebDAV, SMTP AUTH): a login that succeeded is remembered for a few
    /// minutes, until a change to the account forgets it.
    pub async fn login_remembered(
        &self,
        username: &str,
        password: &str,
        client: IpAddr,
    ) -> Result<Arc<Principal>, LoginError> {
        let key = self.cache.login_key(username, password);
        if let Some(p) = self.cache.login(&key) {
            return Ok(p);
        }
        let ticket = self.cache.ticket();
        let p = Arc::new(self.login(username, password, client).await?);
        self.cache.put_login(ticket, key, p.clone());
        Ok(p)
    }

    /// Hashes a password on the blocking pool, waiting for a hashing slot.
    pub async fn hash_password(&self, password: &str) -> String {
        let _slot = self
            .hashing
            .acquire()
            .await
            .expect("the hashing semaphore is never closed");
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || password::hash(&password))
            .await
            .expect("argon2 hashing panicked")
    }

    async fn verify(&self, stored: String, password: &str) -> bool {
        let _slot = self
            .hashing
            .acquire()
            .await
            .expect("the hashing semaphore is never closed");
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || password::verify(&stored, &password))
            .await
            .unwrap_or(false)
    }

    /// Checks a username and password from `client`, throttled per account and address.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client: IpAddr,
    ) -> Result<Principal, LoginError> {
        if let Some(wait) = self.throttle.check(username, client) {
            log::warn!("login throttled for {username:?} from {client}");
            return Err(LoginError::Throttled(wait));
        }
        let name = username.trim().to_owned();
        let row: Option<(UserId, Option<String>, bool)> = self
            .db
            .read(move |c| {
                Ok(c.query_row(
                    "SELECT id, password_hash, disabled FROM users WHERE username = ?1",
                    [name],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?)
            })
            .await?;
        let (ok, id) = match row {
            Some((id, Some(hash), disabled)) => {
                (self.verify(hash, password).await && !disabled, Some(id))
            }
            _ => {
                self.verify(DUMMY_HASH.to_owned(), password).await;
                (false, None)
            }
        };
        let principal = match (ok, id) {
            (true, Some(id)) => self.db.read(move |c| Ok(load_principal(c, id)?)).await?,
            _ => None,
        };
        match principal {
            Some(p) => {
                self.throttle.record_success(username);
                log::info!("{} logged in from {client}", p.username);
                Ok(p)
            }
            None => {
                self.throttle.record_failure(username, client);
                log::info!("failed login for {username:?} from {client}");
                Err(LoginError::Invalid)
            }
        }
    }
}
