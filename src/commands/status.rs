//! `cartable status`: what a maintainer checks first over SSH, one `key: value` per line so
//! scripts can read it too.

use super::Result;
use std::path::Path;

fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// `MemTotal` and `MemAvailable` from /proc/meminfo, in bytes.
fn memory() -> Option<(u64, u64)> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = text.lines().find(|l| l.starts_with(name))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    };
    Some((field("MemTotal:")?, field("MemAvailable:")?))
}

fn uptime() -> Option<String> {
    let secs: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let s = secs as u64;
    Some(format!(
        "{}d {}h {}m",
        s / 86400,
        s % 86400 / 3600,
        s % 3600 / 60
    ))
}

pub fn status(data: &Path) -> Result<()> {
    if !data.join("cartable.db").exists() {
        return Err(format!("{} holds no Cartable database", data.display()));
    }
    let db = crate::server::open_db(data).map_err(|e| e.to_string())?;
    let (schema, accounts, queue, settings) = db
        .read_blocking(|c| {
            Ok((
                c.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))?,
                c.query_row("SELECT count(*) FROM users WHERE disabled = 0", [], |r| {
                    r.get::<_, i64>(0)
                })?,
                crate::mail::queue::stats(c)?,
                crate::settings::Settings::load(c)?,
            ))
        })
        .map_err(|e| e.to_string())?;
    println!("version: {}", crate::VERSION);
    println!("school: {}", settings.school_name);
    println!("data: {}", data.display());
    println!("database: schema {schema}");
    println!("accounts: {accounts}");
    if let Some(up) = uptime() {
        println!("uptime: {up}");
    }
    if let Ok(fs) = nix::sys::statvfs::statvfs(data) {
        let block = fs.fragment_size();
        let total = fs.blocks() * block;
        let free = fs.blocks_available() * block;
        println!(
            "disk: {} free of {} ({}% used)",
            human(free),
            human(total),
            (free * 100).checked_div(total).map_or(0, |f| 100 - f)
        );
    }
    if let Some((total, available)) = memory() {
        println!("memory: {} available of {}", human(available), human(total));
    }
    match queue {
        (0, _) => println!("mail queue: empty"),
        (n, Some(oldest)) => println!(
            "mail queue: {n} waiting, oldest since {}",
            crate::clock::format_local(oldest)
        ),
        (n, None) => println!("mail queue: {n} waiting"),
    }
    match crate::ops::backup::last(data) {
        Some(b) => println!(
            "last backup: {} ({}) in {}",
            crate::clock::format_local(b.at),
            human(b.size),
            b.path
        ),
        None => println!("last backup: never"),
    }
    match crate::ops::update::last(data) {
        Some(u) => println!(
            "last update: {} -> {} on {}: {}",
            u.from,
            u.to,
            crate::clock::format_local(u.at),
            u.outcome
        ),
        None => println!("last update: none"),
    }
    let expiry = std::fs::read_to_string(data.join("tls/server.expiry"))
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok());
    match expiry {
        Some(t) => println!(
            "certificate: valid until {} ({} days)",
            crate::clock::format_local(t),
            (t - crate::now()) / 86400
        ),
        None => println!("certificate: none yet (made when the server first starts)"),
    }
    Ok(())
}
