//! The state of the box, gathered once for `cartable status` (over SSH) and the admin's
//! system page: version, uptime, disk, memory, mail queue, certificate, last backup, last
//! update and its outcome, the database's last full check, and whether the clock is right.

use serde::Serialize;
use std::path::Path;

/// No backup for this long earns a warning.
pub const BACKUP_WARN_AFTER: i64 = 3 * 86400;

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub version: String,
    pub school: String,
    pub data: String,
    pub schema: i64,
    pub accounts: i64,
    /// Seconds since the machine started.
    pub uptime: Option<u64>,
    pub disk_free: Option<u64>,
    pub disk_total: Option<u64>,
    pub memory_available: Option<u64>,
    pub memory_total: Option<u64>,
    pub queue_length: i64,
    pub queue_oldest: Option<i64>,
    pub certificate_expiry: Option<i64>,
    pub last_backup: Option<super::backup::Last>,
    /// No backup at all, or none for [`BACKUP_WARN_AFTER`].
    pub backup_overdue: bool,
    pub last_update: Option<super::update::Record>,
    /// The full database check run after the last start.
    pub integrity: Option<super::integrity::Record>,
    /// That check is `running`, but its server is gone.
    pub integrity_interrupted: bool,
    /// Whether the system clock is synchronised (tokens fail everywhere when it is wrong).
    pub clock: super::timesync::Sync,
    /// The newest recorded event, when the clock is now well before it.
    pub clock_behind: Option<i64>,
}

fn memory() -> Option<(u64, u64)> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = text.lines().find(|l| l.starts_with(name))?;
        Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? * 1024)
    };
    Some((field("MemTotal:")?, field("MemAvailable:")?))
}

fn uptime() -> Option<u64> {
    let secs: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(secs as u64)
}

pub fn gather(data: &Path, db: &crate::db::Db) -> crate::db::Result<Status> {
    let (schema, accounts, (queue_length, queue_oldest), settings, last_event) =
        db.read_blocking(|c| {
            Ok((
                c.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))?,
                c.query_row("SELECT count(*) FROM users WHERE disabled = 0", [], |r| {
                    r.get::<_, i64>(0)
                })?,
                crate::mail::queue::stats(c)?,
                crate::settings::Settings::load(c)?,
                c.query_row(
                    "SELECT max(at) FROM (SELECT at FROM audit_log ORDER BY id DESC LIMIT 1)",
                    [],
                    |r| r.get::<_, Option<i64>>(0),
                )?,
            ))
        })?;
    let disk = nix::sys::statvfs::statvfs(data).ok().map(|fs| {
        let block = fs.fragment_size();
        (fs.blocks_available() * block, fs.blocks() * block)
    });
    let mem = memory();
    let integrity = super::integrity::last(data);
    let last_backup = super::backup::last(data);
    let backup_overdue = last_backup
        .as_ref()
        .is_none_or(|b| crate::now() - b.at > BACKUP_WARN_AFTER);
    let last_update = super::update::last(data);
    let latest = [
        last_event,
        last_backup.as_ref().map(|b| b.at),
        last_update.as_ref().map(|u| u.at),
    ]
    .into_iter()
    .flatten()
    .max();
    Ok(Status {
        clock: super::timesync::state(),
        clock_behind: super::timesync::behind(crate::now(), latest),
        version: crate::VERSION.into(),
        school: settings.school_name,
        data: data.display().to_string(),
        schema,
        accounts,
        uptime: uptime(),
        disk_free: disk.map(|d| d.0),
        disk_total: disk.map(|d| d.1),
        memory_available: mem.map(|m| m.1),
        memory_total: mem.map(|m| m.0),
        queue_length,
        queue_oldest,
        certificate_expiry: std::fs::read_to_string(data.join("tls/server.expiry"))
            .ok()
            .and_then(|s| s.trim().parse().ok()),
        last_backup,
        backup_overdue,
        last_update,
        integrity_interrupted: integrity.as_ref().is_some_and(|r| r.interrupted()),
        integrity,
    })
}

/// Bytes as people read them: `1.5 GiB`.
pub fn human(bytes: u64) -> String {
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

/// The `key: value` lines of `cartable status`.
pub fn lines(s: &Status) -> Vec<String> {
    let t = crate::clock::format_local;
    let mut out = vec![
        format!("version: {}", s.version),
        format!("school: {}", s.school),
        format!("data: {}", s.data),
        format!("database: schema {}", s.schema),
        super::integrity::line(s.integrity.as_ref()),
        format!("accounts: {}", s.accounts),
    ];
    if let Some(u) = s.uptime {
        out.push(format!(
            "uptime: {}d {}h {}m",
            u / 86400,
            u % 86400 / 3600,
            u % 3600 / 60
        ));
    }
    if let (Some(free), Some(total)) = (s.disk_free, s.disk_total) {
        let used = (free * 100).checked_div(total).map_or(0, |f| 100 - f);
        out.push(format!(
            "disk: {} free of {} ({used}% used)",
            human(free),
            human(total)
        ));
    }
    if let (Some(a), Some(t)) = (s.memory_available, s.memory_total) {
        out.push(format!("memory: {} available of {}", human(a), human(t)));
    }
    out.push(match (s.queue_length, s.queue_oldest) {
        (0, _) => "mail queue: empty".into(),
        (n, Some(o)) => format!("mail queue: {n} waiting, oldest since {}", t(o)),
        (n, None) => format!("mail queue: {n} waiting"),
    });
    out.push(match s.certificate_expiry {
        Some(e) => format!(
            "certificate: valid until {} ({} days)",
            t(e),
            (e - crate::now()) / 86400
        ),
        None => "certificate: none yet (made when the server first starts)".into(),
    });
    out.push(match &s.last_backup {
        Some(b) => format!(
            "last backup: {} ({}) in {}{}",
            t(b.at),
            human(b.size),
            b.path,
            if s.backup_overdue {
                " (WARNING: older than 3 days)"
            } else {
                ""
            }
        ),
        None => "last backup: never (WARNING)".into(),
    });
    out.push(match &s.last_update {
        Some(u) => format!(
            "last update: {} -> {} on {}: {}",
            u.from,
            u.to,
            t(u.at),
            u.outcome
        ),
        None => "last update: none".into(),
    });
    out.extend(super::timesync::line(s.clock, s.clock_behind));
    out
}
