//! Authorization codes: in memory, single use, [`super::CODE_LIFETIME`] long, bound to
//! everything the token endpoint must check.
//!
//! A redeemed code leaves a tombstone for a while, naming the grant it produced: a code
//! presented twice means it leaked, and RFC 6749 §4.1.2 asks that what it issued be revoked.
//! The map is bounded, so a flood of authorization requests cannot grow memory without end;
//! when it is full, tombstones go before codes still waiting for their application.

use crate::ids::{AppId, UserId};
use std::collections::HashMap;
use std::sync::Mutex;

/// Codes (live and tombstones) kept at most.
pub const MAX_CODES: usize = 20_000;
/// How long a tombstone remembers a redeemed code, beyond the code's own end.
const TOMBSTONE: i64 = 300;

/// What a code stands for.
#[derive(Debug, Clone)]
pub struct Code {
    pub app: AppId,
    pub client_id: String,
    pub redirect_uri: String,
    /// The PKCE S256 challenge, if the request had one.
    pub challenge: Option<String>,
    pub nonce: Option<String>,
    /// The portal session's public id.
    pub sid: String,
    pub auth_time: i64,
    pub user: UserId,
    pub scopes: Vec<String>,
    /// The issuer the application was told at the authorization endpoint.
    pub iss: String,
    pub expires: i64,
}

enum Slot {
    Live(Box<Code>),
    Used {
        grant: Option<i64>,
        replayed: bool,
        until: i64,
    },
}

/// Why a code was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused<E> {
    Unknown,
    Expired,
    /// Presented again: the grant it produced (if any yet) must be revoked.
    Replayed(Option<i64>),
    /// The caller's check said no (another client, redirect URI or PKCE verifier); the code
    /// stays usable by its rightful owner.
    Check(E),
}

#[derive(Default)]
pub struct Codes {
    map: Mutex<HashMap<String, Slot>>,
}

impl Codes {
    /// Stores `code` and returns the string handed to the application, or `None` when too
    /// many are pending.
    pub fn issue(&self, code: Code, now: i64) -> Option<String> {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_CODES {
            map.retain(|_, s| match s {
                Slot::Live(c) => c.expires > now,
                Slot::Used { until, .. } => *until > now,
            });
        }
        if map.len() >= MAX_CODES {
            // Many logins at once: codes waiting for their application come first; the
            // tombstones only catch replays.
            map.retain(|_, s| matches!(s, Slot::Live(_)));
        }
        if map.len() >= MAX_CODES {
            return None;
        }
        let id = crate::random_token(32);
        map.insert(id.clone(), Slot::Live(Box::new(code)));
        Some(id)
    }

    /// Takes the code if `check` accepts it, leaving a tombstone.
    pub fn redeem<E>(
        &self,
        id: &str,
        now: i64,
        check: impl FnOnce(&Code) -> Result<(), E>,
    ) -> Result<Code, Refused<E>> {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        let Some(slot) = map.get_mut(id) else {
            return Err(Refused::Unknown);
        };
        match slot {
            Slot::Used {
                grant, replayed, ..
            } => {
                *replayed = true;
                let g = grant.take();
                Err(Refused::Replayed(g))
            }
            Slot::Live(c) if c.expires < now => {
                map.remove(id);
                Err(Refused::Expired)
            }
            Slot::Live(c) => {
                check(c).map_err(Refused::Check)?;
                let until = c.expires + TOMBSTONE;
                let Slot::Live(code) = std::mem::replace(
                    slot,
                    Slot::Used {
                        grant: None,
                        replayed: false,
                        until,
                    },
                ) else {
                    unreachable!("matched as live above")
                };
                Ok(*code)
            }
        }
    }

    /// Records the grant a redeemed code produced. `false` when the code was replayed
    /// meanwhile: the caller revokes the grant instead of handing it out.
    pub fn granted(&self, id: &str, grant_id: i64) -> bool {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        match map.get_mut(id) {
            Some(Slot::Used {
                grant, replayed, ..
            }) => {
                if *replayed {
                    return false;
                }
                *grant = Some(grant_id);
                true
            }
            _ => true,
        }
    }

    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(now: i64) -> Code {
        Code {
            app: AppId(1),
            client_id: "moodle".into(),
            redirect_uri: "https://m.test/cb".into(),
            challenge: None,
            nonce: None,
            sid: "s".into(),
            auth_time: now,
            user: UserId(1),
            scopes: vec!["openid".into()],
            iss: "https://x".into(),
            expires: now + 60,
        }
    }

    #[test]
    fn a_code_is_single_use_and_a_replay_names_its_grant() {
        let codes = Codes::default();
        let id = codes.issue(code(100), 100).unwrap();
        let foreign = codes.redeem(&id, 101, |c| {
            if c.client_id == "other" {
                Ok(())
            } else {
                Err("client")
            }
        });
        assert!(matches!(foreign, Err(Refused::Check("client"))));
        let ok = codes.redeem::<()>(&id, 101, |_| Ok(())).unwrap();
        assert_eq!(ok.client_id, "moodle");
        assert!(codes.granted(&id, 7));
        assert_eq!(
            codes.redeem::<()>(&id, 102, |_| Ok(())).unwrap_err(),
            Refused::Replayed(Some(7))
        );
        assert_eq!(
            codes.redeem::<()>("nope", 102, |_| Ok(())).unwrap_err(),
            Refused::Unknown
        );
    }

    #[test]
    fn an_expired_code_is_refused_and_a_replay_before_the_grant_revokes_it() {
        let codes = Codes::default();
        let id = codes.issue(code(100), 100).unwrap();
        assert_eq!(
            codes.redeem::<()>(&id, 200, |_| Ok(())).unwrap_err(),
            Refused::Expired
        );
        let id = codes.issue(code(100), 100).unwrap();
        codes.redeem::<()>(&id, 101, |_| Ok(())).unwrap();
        assert_eq!(
            codes.redeem::<()>(&id, 101, |_| Ok(())).unwrap_err(),
            Refused::Replayed(None)
        );
        assert!(
            !codes.granted(&id, 9),
            "the grant made after a replay is revoked"
        );
    }

    #[test]
    fn the_map_is_bounded_and_tombstones_make_room_first() {
        let codes = Codes::default();
        let ids: Vec<String> = (0..MAX_CODES)
            .map(|_| codes.issue(code(100), 100).unwrap())
            .collect();
        assert!(
            codes.issue(code(100), 100).is_none(),
            "full of waiting codes"
        );
        for id in &ids[..10] {
            codes.redeem::<()>(id, 101, |_| Ok(())).unwrap();
        }
        assert!(
            codes.issue(code(100), 101).is_some(),
            "tombstones made room"
        );
        assert!(codes.len() <= MAX_CODES);
    }
}
