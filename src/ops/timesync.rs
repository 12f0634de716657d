//! Whether the box's clock can be trusted. Boards without a real-time clock boot with a wrong
//! time until the network time arrives, and every token an application checks (an ID token's
//! `iat` and `exp`, a CAS ticket's age) then fails: `cartable status` and the admin's system
//! page say so, so that the first thing a maintainer sees is the cause.
//!
//! The kernel knows (adjtimex's `STA_UNSYNC`), but reading it takes `unsafe` FFI, which the
//! crate forbids; so we ask what the box runs instead: `timedatectl` (systemd, which reads the
//! same kernel flag), else `chronyc`, else systemd-timesyncd's marker file, else the adjtimex
//! tool (Debian's or BusyBox's, which print the kernel's flag). Independently of
//! those, a clock earlier than the last event the database recorded is wrong for sure.

use serde::Serialize;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How far behind the last recorded event the clock may be before it is called wrong (a
/// record written by another machine's command, a small NTP step).
pub const BEHIND_TOLERANCE: i64 = 5 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sync {
    Synced,
    Unsynced,
    /// No tool on this machine could tell.
    Unknown,
}

/// What the time-synchronisation service says, or `Unknown` without one.
pub fn state() -> Sync {
    if let Some(out) = run("timedatectl", &["show", "-p", "NTPSynchronized", "--value"]) {
        match out.trim() {
            "yes" => return Sync::Synced,
            "no" => return Sync::Unsynced,
            _ => {}
        }
    }
    if let Some(out) = run("chronyc", &["-n", "tracking"])
        && let Some(leap) = out
            .lines()
            .find_map(|l| l.strip_prefix("Leap status"))
            .and_then(|l| l.split(':').nth(1))
    {
        return if leap.trim() == "Not synchronised" {
            Sync::Unsynced
        } else {
            Sync::Synced
        };
    }
    if std::path::Path::new("/run/systemd/timesync/synchronized").exists() {
        return Sync::Synced;
    }
    // The kernel's own flag, through the adjtimex tool (Debian's, or BusyBox's applet).
    for (program, args) in [("adjtimex", &["-p"][..]), ("busybox", &["adjtimex"][..])] {
        if let Some(status) = run(program, args).as_deref().and_then(adjtimex_status) {
            return if status & STA_UNSYNC != 0 {
                Sync::Unsynced
            } else {
                Sync::Synced
            };
        }
    }
    Sync::Unknown
}

/// The kernel's "clock not synchronised" bit in adjtimex's `status`.
const STA_UNSYNC: u32 = 0x40;

/// The `status:` number adjtimex prints (`status: 64 (UNSYNC)` from BusyBox, `status: 8257`
/// from Debian's tool).
fn adjtimex_status(out: &str) -> Option<u32> {
    out.lines()
        .find_map(|l| l.trim_start().strip_prefix("status:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// The time of `latest` (the newest event the box recorded) when the clock is now well
/// before it.
pub fn behind(now: i64, latest: Option<i64>) -> Option<i64> {
    latest.filter(|&l| now + BEHIND_TOLERANCE < l)
}

/// Runs a tool for at most two seconds and returns what it printed when it succeeded.
fn run(program: &str, args: &[&str]) -> Option<String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let mut out = String::new();
                child.stdout.take()?.read_to_string(&mut out).ok()?;
                return status.success().then_some(out);
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// The line of `cartable status`, with the warning a maintainer must not miss.
pub fn line(sync: Sync, behind: Option<i64>) -> Vec<String> {
    let mut out = vec![match sync {
        Sync::Synced => "clock: synchronised".to_owned(),
        Sync::Unsynced => {
            "clock: NOT synchronised (WARNING: logins to other applications fail if the time is wrong; check NTP)".to_owned()
        }
        Sync::Unknown => "clock: synchronisation unknown (neither timedatectl, chronyc nor adjtimex could tell)".to_owned(),
    }];
    if let Some(at) = behind {
        out.push(format!(
            "clock: WARNING: behind the last recorded event ({}): the time is wrong",
            crate::clock::format_local(at)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_before_the_last_event_is_wrong() {
        assert_eq!(behind(1_000_000, Some(1_000_000 + 3600)), Some(1_003_600));
        assert_eq!(behind(1_000_000, Some(1_000_000 + 60)), None);
        assert_eq!(behind(1_000_000, Some(10)), None);
        assert_eq!(behind(1_000_000, None), None);
        assert!(line(Sync::Unsynced, None)[0].contains("WARNING"));
        assert_eq!(line(Sync::Synced, Some(5)).len(), 2);
        let busybox = "    mode:         0\n    status:       64 (UNSYNC)\n";
        assert_eq!(adjtimex_status(busybox), Some(64));
        assert_eq!(adjtimex_status("         status: 8193\n"), Some(8193));
        assert_eq!(adjtimex_status("nothing"), None);
    }
}
