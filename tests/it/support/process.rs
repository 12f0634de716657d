//! The `cartable` program as a separate process, for what an in-process server cannot show:
//! a kill -9, a second server on the same data directory, the server's own memory.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_cartable");

/// Runs `cartable --data DATA ARGS...`, with `stdin` typed in when given.
pub fn cartable(data: &Path, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut child = Command::new(BIN)
        .arg("--data")
        .arg(data)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

/// Adds an account with [`PASSWORD`](super::PASSWORD) through `cartable user add`.
pub fn add_user(data: &Path, username: &str, role: &str) {
    let args = ["user", "add", "--username", username, "--role", role];
    let out = cartable(
        data,
        &[&args[..], &["--password-stdin"]].concat(),
        Some(super::PASSWORD),
    );
    assert!(
        out.status.success(),
        "user add {username}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A `cartable serve` running on free loopback ports.
pub struct Served {
    pub child: Child,
    /// The portal's base URL (plain HTTP on loopback).
    pub base: String,
    /// The incoming-mail door (the port 25 role).
    pub smtp: String,
    /// The submission door with STARTTLS (the port 587 role).
    pub submission: String,
}

impl Served {
    /// Starts measuring a peak: resets the server's VmHWM (`clear_refs`, Linux 4.0+) and
    /// returns its resident memory now, in KiB.
    pub fn peak_from_here(&self) -> u64 {
        std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5")
            .expect("resetting VmHWM (clear_refs)");
        self.memory_kib("VmRSS")
    }

    /// How far the peak rose above `before` (from [`Served::peak_from_here`]), in KiB.
    pub fn peak_growth(&self, before: u64) -> u64 {
        self.memory_kib("VmHWM").saturating_sub(before)
    }

    /// The server's memory figure `field` (`VmRSS`, `VmHWM`) in KiB, from /proc.
    pub fn memory_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no {field} in /proc/PID/status"))
    }
}

/// Starts `cartable serve` on free ports and waits until it has printed every address. Its
/// allocator is set as the service unit sets it on the box (two malloc arenas).
pub fn serve(data: &Path) -> Served {
    let mut child = Command::new(BIN)
        .env("MALLOC_ARENA_MAX", "2")
        .arg("--data")
        .arg(data)
        .args(["serve", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0"])
        .args(["--smtp", "127.0.0.1:0", "--submission", "127.0.0.1:0"])
        .args(["--submissions", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut base, mut smtp, mut submission) = (None, None, None);
    while base.is_none() || smtp.is_none() || submission.is_none() {
        let line = lines.next().expect("serve printed its addresses").unwrap();
        let addr = |rest: &str| rest.split_whitespace().next().unwrap().to_owned();
        if let Some(rest) = line.strip_prefix("listening on http://") {
            base = Some(format!("http://{}", addr(rest)));
        } else if let Some(rest) = line.strip_prefix("listening on smtp://") {
            if rest.ends_with("(incoming mail)") {
                smtp = Some(addr(rest));
            } else {
                submission = Some(addr(rest));
            }
        }
    }
    // Keep reading, as a terminal would, so the server never writes into a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Served {
        child,
        base: base.unwrap(),
        smtp: smtp.unwrap(),
        submission: submission.unwrap(),
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
