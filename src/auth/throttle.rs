//! Login throttling, per account and per client address.
//!
//! Failures are counted in memory over a sliding window: writing them to the database would
//! wear an SD card under a guessing attack, and a restart forgetting them is acceptable. The
//! same throttle guards every door, so guessing over SMTP AUTH costs as much as over the web.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed per account within [`WINDOW`] before it is throttled.
pub const PER_ACCOUNT: usize = 5;
/// Failures allowed per client address within [`WINDOW`]: higher, since a classroom PC
/// sees many pupils mistype.
pub const PER_ADDRESS: usize = 20;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Keys kept before old ones are pruned, so that a flood of made-up usernames cannot grow
/// memory without bound.
const MAX_KEYS: usize = 10_000;

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Throttle {
    fn keys(username: &str, addr: IpAddr) -> [(String, usize); 2] {
        [
            (format!("u:{}", username.trim().to_lowercase()), PER_ACCOUNT),
            (format!("a:{addr}"), PER_ADDRESS),
        ]
    }

    /// If either key is over its limit, how long until the oldest failure leaves the window.
    pub fn check(&self, username: &str, addr: IpAddr) -> Option<Duration> {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = None;
        for (key, limit) in Self::keys(username, addr) {
            if let Some(q) = map.get_mut(&key) {
                while q.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
                    q.pop_front();
                }
                if q.len() >= limit {
                    let left = WINDOW.saturating_sub(now.duration_since(q[q.len() - limit]));
                    wait = Some(wait.map_or(left, |w: Duration| w.max(left)));
                }
            }
        }
        wait
    }

    pub fn record_failure(&self, username: &str, addr: IpAddr) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > MAX_KEYS {
            map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        for (key, limit) in Self::keys(username, addr) {
            let q = map.entry(key).or_default();
            q.push_back(now);
            while q.len() > limit {
                q.pop_front();
            }
        }
    }

    /// A successful login clears the account's failures (not the address's).
    pub fn record_success(&self, username: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&format!("u:{}", username.trim().to_lowercase()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_is_throttled_after_its_limit_from_any_address() {
        let t = Throttle::default();
        for i in 0..PER_ACCOUNT {
            assert!(
                t.check("Amina", IpAddr::from([10, 0, 0, i as u8]))
                    .is_none()
            );
            t.record_failure("Amina", IpAddr::from([10, 0, 0, i as u8]));
        }
        assert!(t.check("amina", IpAddr::from([10, 0, 0, 99])).is_some());
        assert!(t.check("kofi", IpAddr::from([10, 0, 0, 99])).is_none());
    }

    #[test]
    fn address_is_throttled_across_accounts() {
        let t = Throttle::default();
        let a = IpAddr::from([10, 0, 0, 1]);
        for i in 0..PER_ADDRESS {
            t.record_failure(&format!("user{i}"), a);
        }
        assert!(t.check("someone-else", a).is_some());
        assert!(
            t.check("someone-else", IpAddr::from([10, 0, 0, 2]))
                .is_none()
        );
    }

    #[test]
    fn success_clears_the_account() {
        let t = Throttle::default();
        let a = IpAddr::from([10, 0, 0, 1]);
        for _ in 0..PER_ACCOUNT {
            t.record_failure("kofi", a);
        }
        t.record_success("kofi");
        assert!(t.check("kofi", IpAddr::from([10, 0, 0, 3])).is_none());
    }
}
