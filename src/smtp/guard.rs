//! Who may hold an SMTP connection, and for how long a misbehaving address waits.
//!
//! Port 25 is open to anyone on the LAN (and to the internet where the school forwards it), so a
//! single stranger must never be able to take the connections the school's own people need. Each
//! door class has a gate of its own: the incoming door (25) and the submission doors (587, 465)
//! count their connections apart, so no number of strangers on 25 can lock a teacher out of
//! 587. Within a gate, one address may hold only a few connections; IPv6 addresses count by
//! their /64, which one machine usually owns whole.
//!
//! An address that keeps misbehaving (connections over its share, sessions that never said a
//! valid command, sessions closed for too many errors) collects strikes; enough strikes within a
//! minute ban it from that gate for a while, longer each time. A refused or banned connection
//! is not answered at once: it waits a few seconds in a tarpit, so that reconnecting in a loop
//! gains nothing, and the tarpit itself is bounded, so that waiting connections cost nothing
//! either (past its bound they are closed without a word). Bans are logged once each, not per
//! connection: the journal lives on an SD card.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Strikes within [`STRIKE_WINDOW`] that earn a ban.
const STRIKES_TO_BAN: u32 = 10;
const STRIKE_WINDOW: Duration = Duration::from_secs(60);
/// The first ban; each further ban within [`REPEAT_WINDOW`] doubles it, up to [`MAX_BAN`].
const FIRST_BAN: Duration = Duration::from_secs(60);
const MAX_BAN: Duration = Duration::from_secs(15 * 60);
const REPEAT_WINDOW: Duration = Duration::from_secs(3600);
/// Refused connections held in the tarpit at once, per gate.
const TARPIT_SLOTS: usize = 64;
/// Addresses remembered before forgetting the quiet ones.
const PRUNE_ABOVE: usize = 1024;

/// One gate's settings.
#[derive(Debug, Clone, Copy)]
pub struct GateLimits {
    /// Connections held at once through this gate.
    pub total: usize,
    /// Connections one address (or IPv6 /64) may hold at once.
    pub per_address: usize,
    /// How long a refused connection waits before its 421.
    pub tarpit: Duration,
}

/// Why a connection was not let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Every connection of the gate is taken (by several addresses).
    Full,
    /// This address holds its share already.
    AddressFull,
    /// This address is banned for a while.
    Banned,
}

impl Refusal {
    pub fn reply(self) -> &'static [u8] {
        match self {
            Refusal::Full => b"421 4.3.2 too many connections; try again later\r\n",
            Refusal::AddressFull => {
                b"421 4.7.0 too many connections from your address; try again later\r\n"
            }
            Refusal::Banned => {
                b"421 4.7.0 too many refused connections from your address; try again later\r\n"
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    V4([u8; 4]),
    /// The /64 an IPv6 address belongs to.
    V6([u8; 8]),
}

impl Key {
    fn of(ip: IpAddr) -> Key {
        match ip {
            IpAddr::V4(a) => Key::V4(a.octets()),
            IpAddr::V6(a) => match a.to_ipv4_mapped() {
                Some(v4) => Key::V4(v4.octets()),
                None => {
                    let o = a.octets();
                    Key::V6([o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7]])
                }
            },
        }
    }
}

#[derive(Debug, Default)]
struct Entry {
    open: usize,
    strikes: u32,
    window_start: Option<Instant>,
    banned_until: Option<Instant>,
    last_ban: Option<(Instant, Duration)>,
}

impl Entry {
    fn quiet(&self, now: Instant) -> bool {
        self.open == 0
            && self.banned_until.is_none_or(|t| t <= now)
            && self.window_start.is_none_or(|t| now - t > STRIKE_WINDOW)
            && self.last_ban.is_none_or(|(t, _)| now - t > REPEAT_WINDOW)
    }
}

/// The gate of one door class.
pub struct Gate {
    name: &'static str,
    limits: GateLimits,
    slots: Arc<Semaphore>,
    tarpit: Arc<Semaphore>,
    addresses: Mutex<HashMap<Key, Entry>>,
}

/// A connection let in; dropping it gives its place back.
pub struct Ticket {
    gate: Arc<Gate>,
    key: Key,
    _slot: OwnedSemaphorePermit,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut map = self.gate.lock();
        if let Some(e) = map.get_mut(&self.key) {
            e.open = e.open.saturating_sub(1);
        }
    }
}

impl Ticket {
    /// The connection misbehaved (no valid command before the time ran out, too many errors).
    pub fn strike(&self, peer: IpAddr) {
        self.gate.strike(self.key, peer, Instant::now());
    }
}

impl Gate {
    pub fn new(name: &'static str, limits: GateLimits) -> Arc<Gate> {
        Arc::new(Gate {
            name,
            limits,
            slots: Arc::new(Semaphore::new(limits.total)),
            tarpit: Arc::new(Semaphore::new(TARPIT_SLOTS)),
            addresses: Mutex::new(HashMap::new()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Entry>> {
        self.addresses.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Lets a connection from `peer` in, or says why not (and counts that against it).
    pub fn admit(self: &Arc<Gate>, peer: IpAddr) -> Result<Ticket, Refusal> {
        self.admit_at(peer, Instant::now())
    }

    fn admit_at(self: &Arc<Gate>, peer: IpAddr, now: Instant) -> Result<Ticket, Refusal> {
        let key = Key::of(peer);
        let mut map = self.lock();
        if map.len() > PRUNE_ABOVE {
            map.retain(|_, e| !e.quiet(now));
        }
        let e = map.entry(key).or_default();
        if e.banned_until.is_some_and(|t| t > now) {
            return Err(Refusal::Banned);
        }
        if e.open >= self.limits.per_address {
            drop(map);
            self.strike(key, peer, now);
            return Err(Refusal::AddressFull);
        }
        let Ok(slot) = self.slots.clone().try_acquire_owned() else {
            return Err(Refusal::Full);
        };
        e.open += 1;
        Ok(Ticket {
            gate: self.clone(),
            key,
            _slot: slot,
        })
    }

    fn strike(&self, key: Key, peer: IpAddr, now: Instant) {
        let mut map = self.lock();
        let e = map.entry(key).or_default();
        if e.banned_until.is_some_and(|t| t > now) {
            return;
        }
        if e.window_start.is_none_or(|t| now - t > STRIKE_WINDOW) {
            e.window_start = Some(now);
            e.strikes = 0;
        }
        e.strikes += 1;
        if e.strikes < STRIKES_TO_BAN {
            return;
        }
        let ban = match e.last_ban {
            Some((at, last)) if now - at <= REPEAT_WINDOW => (last * 2).min(MAX_BAN),
            _ => FIRST_BAN,
        };
        e.banned_until = Some(now + ban);
        e.last_ban = Some((now, ban));
        e.strikes = 0;
        e.window_start = None;
        log::warn!(
            "smtp: {peer} banned from the {} door for {} s: {STRIKES_TO_BAN} connections over its share, idle or refused within a minute",
            self.name,
            ban.as_secs()
        );
    }

    /// Answers a refused connection after the tarpit's wait, or drops it at once when the
    /// tarpit is full.
    pub async fn refuse(self: &Arc<Gate>, mut stream: tokio::net::TcpStream, why: Refusal) {
        use tokio::io::AsyncWriteExt;
        let Ok(_place) = self.tarpit.clone().try_acquire_owned() else {
            return;
        };
        if why != Refusal::Full {
            tokio::time::sleep(self.limits.tarpit).await;
        }
        let _ = stream.write_all(why.reply()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(per_address: usize, total: usize) -> Arc<Gate> {
        Gate::new(
            "test",
            GateLimits {
                total,
                per_address,
                tarpit: Duration::ZERO,
            },
        )
    }

    #[test]
    fn one_address_cannot_take_every_place() {
        let g = gate(2, 5);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let t1 = g.admit(a).unwrap();
        let _t2 = g.admit(a).unwrap();
        assert_eq!(g.admit(a).err(), Some(Refusal::AddressFull));
        let _t3 = g.admit(b).unwrap();
        drop(t1);
        let _t4 = g.admit(a).unwrap();
    }

    #[test]
    fn the_gate_has_a_total() {
        let g = gate(2, 3);
        let ips: Vec<IpAddr> = (1..=4)
            .map(|i| format!("192.0.2.{i}").parse().unwrap())
            .collect();
        let _held: Vec<Ticket> = ips[..3].iter().map(|ip| g.admit(*ip).unwrap()).collect();
        assert_eq!(g.admit(ips[3]).err(), Some(Refusal::Full));
    }

    #[test]
    fn ipv6_counts_by_its_64() {
        let g = gate(1, 5);
        let _t = g.admit("2001:db8::1".parse().unwrap()).unwrap();
        assert_eq!(
            g.admit("2001:db8::2".parse().unwrap()).err(),
            Some(Refusal::AddressFull)
        );
        assert!(g.admit("2001:db8:0:1::1".parse().unwrap()).is_ok());
        // An IPv4 address mapped into IPv6 is the IPv4 address.
        let _v4 = g.admit("192.0.2.9".parse().unwrap()).unwrap();
        assert_eq!(
            g.admit("::ffff:192.0.2.9".parse().unwrap()).err(),
            Some(Refusal::AddressFull)
        );
    }

    #[test]
    fn strikes_ban_for_longer_each_time() {
        let g = gate(1, 100);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        let t0 = Instant::now();
        let held = g.admit_at(a, t0).unwrap();
        for _ in 0..STRIKES_TO_BAN {
            assert_eq!(g.admit_at(a, t0).err(), Some(Refusal::AddressFull));
        }
        drop(held);
        assert_eq!(g.admit_at(a, t0).err(), Some(Refusal::Banned));
        assert!(g.admit_at(other, t0).is_ok(), "others are not banned");
        let t1 = t0 + FIRST_BAN + Duration::from_secs(1);
        let held = g.admit_at(a, t1).expect("the ban ends");
        for _ in 0..STRIKES_TO_BAN {
            let _ = g.admit_at(a, t1);
        }
        drop(held);
        let t2 = t1 + FIRST_BAN + Duration::from_secs(1);
        assert_eq!(
            g.admit_at(a, t2).err(),
            Some(Refusal::Banned),
            "the second ban is longer"
        );
        assert!(
            g.admit_at(a, t1 + 2 * FIRST_BAN + Duration::from_secs(1))
                .is_ok()
        );
    }

    #[test]
    fn strikes_far_apart_do_not_add_up() {
        let g = gate(0, 100);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let t0 = Instant::now();
        for i in 0..3 * STRIKES_TO_BAN {
            let at = t0 + STRIKE_WINDOW / 5 * i;
            assert_eq!(g.admit_at(a, at).err(), Some(Refusal::AddressFull));
        }
    }

    #[test]
    fn quiet_addresses_are_forgotten() {
        let g = gate(2, 10_000);
        let now = Instant::now();
        for i in 0..(PRUNE_ABOVE as u32 + 10) {
            let ip = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            drop(g.admit_at(ip, now).unwrap());
        }
        assert!(g.lock().len() <= PRUNE_ABOVE + 1);
    }
}
