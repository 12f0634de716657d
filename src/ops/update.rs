//! Updating the box from far away: `cartable update FILE` installs a new binary only if its
//! minisign signature checks out against the key set at provisioning, it is built for this
//! machine, and its version moves forward; then snapshots the database, swaps the binary
//! atomically (keeping the previous one), restarts the service and checks its health over
//! HTTPS, SMTP and WebDAV. If the new version does not come up healthy in time, the previous
//! binary and the database snapshot are put back and restarted, without anyone's help.
//!
//! The service manager is reached through commands (`systemctl stop/start cartable` on the
//! box), so the same code runs under the tests' own supervisor.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Where the update's snapshot and record live, under the data directory.
pub const DIR: &str = "update";
pub const STATE_FILE: &str = "update/last.json";
const SNAPSHOT: &str = "update/before-update.db";

/// How to run and check the service.
#[derive(Debug, Clone)]
pub struct Service {
    /// The installed binary that the service runs.
    pub binary: PathBuf,
    pub stop: String,
    pub start: String,
    /// Where the HTTPS portal and the SMTP door answer on this machine.
    pub https: String,
    pub smtp: String,
    /// How long the new version has to come up healthy.
    pub timeout: Duration,
}

/// The record of the last update, for `status` and the admin page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub at: i64,
    pub from: String,
    pub to: String,
    /// `installed`, `rolled back: <why>`, `in progress`.
    pub outcome: String,
}

pub fn last(data: &Path) -> Option<Record> {
    serde_json::from_str(&std::fs::read_to_string(data.join(STATE_FILE)).ok()?).ok()
}

/// Says `msg` in the log and, when run by hand (over SSH, where the log is the terminal), in
/// the journal too, filed under cartable.service so that `journalctl -u cartable` shows it
/// (journald credits a root process's OBJECT_SYSTEMD_UNIT to that unit).
fn tell(level: log::Level, msg: &str) {
    log::log!(level, "{msg}");
    if systemd_journal_logger::connected_to_journal()
        || !Path::new("/run/systemd/journal/socket").exists()
    {
        return;
    }
    if let Ok(j) = systemd_journal_logger::JournalLog::new() {
        let j = j
            .with_syslog_identifier("cartable-update".into())
            .add_extra_field("OBJECT_SYSTEMD_UNIT", "cartable.service");
        let _ = j.journal_send(
            &log::Record::builder()
                .level(level)
                .target("cartable::ops::update")
                .args(format_args!("{msg}"))
                .build(),
        );
    }
}

fn record(data: &Path, r: &Record) {
    let _ = std::fs::create_dir_all(data.join(DIR));
    if let Err(e) = crate::tls::write_atomic(
        &data.join(STATE_FILE),
        &serde_json::to_vec(r).unwrap_or_default(),
        false,
    ) {
        log::warn!("could not record the update: {e}");
    }
}

/// The machine an ELF file is built for, as Rust names architectures.
pub fn elf_arch(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() < 20 || &bytes[..4] != b"\x7fELF" || bytes[5] != 1 {
        return None;
    }
    match u16::from_le_bytes([bytes[18], bytes[19]]) {
        62 => Some("x86_64"),
        183 => Some("aarch64"),
        40 => Some("arm"),
        3 => Some("x86"),
        _ => Some("unknown"),
    }
}

/// `1.2.10` > `1.2.9`: versions compared number by number.
pub fn newer(a: &str, b: &str) -> std::cmp::Ordering {
    let parse = |v: &str| -> Vec<u64> {
        v.split(['.', '-', '+'])
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    parse(a).cmp(&parse(b))
}

/// Checks the signature of `file` (`file.minisig` beside it) with the provisioned key.
pub fn verify(data: &Path, file: &Path, bytes: &[u8]) -> Result<(), String> {
    let key_path = data.join(crate::provision::apply::UPDATE_KEY_FILE);
    let key_text = std::fs::read_to_string(&key_path).map_err(|_| {
        "no update key was provisioned (maintenance.update_key in cartable.toml); updates are refused".to_owned()
    })?;
    let key = minisign_verify::PublicKey::decode(&key_text)
        .or_else(|_| minisign_verify::PublicKey::from_base64(key_text.trim()))
        .map_err(|e| format!("{}: not a minisign public key ({e})", key_path.display()))?;
    let sig_path = PathBuf::from(format!("{}.minisig", file.display()));
    let sig_text = std::fs::read_to_string(&sig_path).map_err(|_| {
        format!(
            "{} is missing: every update must come with its signature",
            sig_path.display()
        )
    })?;
    let sig = minisign_verify::Signature::decode(&sig_text)
        .map_err(|e| format!("{}: not a minisign signature ({e})", sig_path.display()))?;
    key.verify(bytes, &sig, false).map_err(|e| {
        format!(
            "{}: the signature does not match ({e}); refused",
            file.display()
        )
    })
}

/// The version a binary reports with `--version`.
fn version_of(file: &Path) -> Result<String, String> {
    let out = std::process::Command::new(file)
        .arg("--version")
        .output()
        .map_err(|e| format!("{}: cannot run it ({e})", file.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .strip_prefix("cartable ")
        .map(str::to_owned)
        .filter(|v| out.status.success() && !v.is_empty())
        .ok_or_else(|| {
            format!(
                "{}: not a Cartable binary (it says {:?})",
                file.display(),
                text.trim()
            )
        })
}

fn sh(cmd: &str) -> Result<(), String> {
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .status()
        .map_err(|e| format!("{cmd}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{cmd}` failed ({status})"))
    }
}

/// Writes `bytes` as the new binary beside `target`, then renames it into place, keeping the
/// one it replaces as `<target>.previous`.
fn swap(target: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let err = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    let new = target.with_extension("new");
    let previous = PathBuf::from(format!("{}.previous", target.display()));
    let written = (|| {
        use std::io::Write;
        let mut f = std::fs::File::create(&new)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::set_permissions(&new, std::fs::Permissions::from_mode(0o755))
    })();
    if let Err(e) = written {
        // A full disk: what was written of it goes.
        let _ = std::fs::remove_file(&new);
        return Err(err(&new, e));
    }
    let _ = std::fs::remove_file(&previous);
    if let Err(e) = std::fs::hard_link(target, &previous)
        .or_else(|_| std::fs::copy(target, &previous).map(|_| ()))
    {
        let _ = std::fs::remove_file(&new);
        let _ = std::fs::remove_file(&previous);
        return Err(err(&previous, e));
    }
    if let Err(e) = std::fs::rename(&new, target) {
        let _ = std::fs::remove_file(&new);
        return Err(err(target, e));
    }
    if let Some(dir) = target.parent() {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// Puts `<target>.previous` back in place.
fn unswap(target: &Path) -> Result<(), String> {
    let previous = PathBuf::from(format!("{}.previous", target.display()));
    if !previous.is_file() {
        return Err(format!(
            "{} is missing: nothing to roll back to",
            previous.display()
        ));
    }
    let bytes = std::fs::read(&previous).map_err(|e| format!("{}: {e}", previous.display()))?;
    let tmp = target.with_extension("rollback");
    std::fs::write(&tmp, &bytes)
        .and_then(|_| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))
        })
        .and_then(|_| std::fs::File::open(&tmp)?.sync_all())
        .and_then(|_| std::fs::rename(&tmp, target))
        .map_err(|e| format!("{}: {e}", target.display()))
}

/// Gives `path` the owner and mode of `like` when it exists: `cartable update` runs as root
/// (sudo) on files that the service, as its own user, must still write.
fn same_owner(path: &Path, like: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let Ok(m) = std::fs::metadata(like) else {
        return Ok(());
    };
    std::os::unix::fs::chown(path, Some(m.uid()), Some(m.gid()))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(m.mode() & 0o7777))
}

/// Holds `update/` for the whole update: a server it restarts leaves the update's temporary
/// files alone (src/ops/debris.rs), and a second update at once is refused.
fn hold(data: &Path) -> Result<nix::fcntl::Flock<std::fs::File>, String> {
    super::debris::try_lock_dir(&data.join(DIR))
        .ok_or_else(|| "another `cartable update` is running; wait for it to end".to_owned())
}

/// Replaces the database with the snapshot (the service is stopped).
fn restore_db(data: &Path) -> Result<(), String> {
    let snap = data.join(SNAPSHOT);
    if !snap.is_file() {
        return Err("no database snapshot to restore".into());
    }
    let db = data.join("cartable.db");
    let tmp = data.join("cartable.db.restoring");
    std::fs::copy(&snap, &tmp)
        .and_then(|_| std::fs::File::open(&tmp)?.sync_all())
        .and_then(|_| same_owner(&tmp, &db))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("{}: {e}", tmp.display())
        })?;
    for side in ["cartable.db-wal", "cartable.db-shm"] {
        let _ = std::fs::remove_file(data.join(side));
    }
    std::fs::rename(&tmp, &db).map_err(|e| format!("{}: {e}", db.display()))?;
    let _ = std::fs::File::open(data).and_then(|d| d.sync_all());
    Ok(())
}

/// Waits until the service answers as `version` on every door, or the time is up.
fn healthy(data: &Path, svc: &Service, version: &str) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let ca =
        std::fs::read_to_string(data.join("tls/ca.crt")).map_err(|e| format!("the CA: {e}"))?;
    let deadline = Instant::now() + svc.timeout;
    let mut last = String::from("no answer yet");
    while Instant::now() < deadline {
        match rt.block_on(super::health::check(&ca, &svc.https, &svc.smtp, version)) {
            Ok(()) => return Ok(()),
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    Err(format!(
        "not healthy after {} s: {last}",
        svc.timeout.as_secs()
    ))
}

/// Installs `file` as the new version. Returns what happened, in one line.
pub fn update(
    data: &Path,
    file: &Path,
    svc: &Service,
    allow_downgrade: bool,
) -> Result<String, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    verify(data, file, &bytes)?;
    let arch = elf_arch(&bytes)
        .ok_or_else(|| format!("{}: not a program (no ELF header)", file.display()))?;
    if arch != std::env::consts::ARCH {
        return Err(format!(
            "{}: built for {arch}, but this machine is {}; refused",
            file.display(),
            std::env::consts::ARCH
        ));
    }
    // Run from a copy of our own, executable: a file copied over SSH may not be.
    std::fs::create_dir_all(data.join(DIR)).map_err(|e| e.to_string())?;
    let _held = hold(data)?;
    let staged = data.join(DIR).join("candidate");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(&staged, &bytes)
            .and_then(|_| std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o755)))
            .map_err(|e| {
                let _ = std::fs::remove_file(&staged);
                format!("{}: {e}; nothing was changed", staged.display())
            })?;
    }
    let to = version_of(&staged);
    let _ = std::fs::remove_file(&staged);
    let to =
        to.map_err(|e| e.replace(&staged.display().to_string(), &file.display().to_string()))?;
    let from = crate::VERSION.to_owned();
    if newer(&to, &from) != std::cmp::Ordering::Greater && !allow_downgrade {
        return Err(format!(
            "{} is version {to}, not newer than the installed {from}; use --allow-downgrade to install it anyway",
            file.display()
        ));
    }
    // The snapshot first: with it, any failure below can be undone. It replaces the last
    // update's only once the new binary is in place, so that a refused install (a full
    // disk) leaves `--rollback` as it was.
    let db = crate::server::open_db(data).map_err(|e| e.to_string())?;
    let snap = data.join(SNAPSHOT);
    let tmp = snap.with_extension("partial");
    db.snapshot(&tmp).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("the database snapshot failed ({e}); nothing was changed")
    })?;
    drop(db);
    if let Err(e) = swap(&svc.binary, &bytes) {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("installing failed ({e}); nothing was changed"));
    }
    if let Err(e) = std::fs::rename(&tmp, &snap) {
        let _ = std::fs::remove_file(&tmp);
        return Err(match unswap(&svc.binary) {
            Ok(()) => format!("{}: {e}; nothing was changed", snap.display()),
            Err(u) => format!(
                "{}: {e}, and putting the binary back failed: {u}",
                snap.display()
            ),
        });
    }
    let mut rec = Record {
        at: crate::now(),
        from: from.clone(),
        to: to.clone(),
        outcome: "in progress".into(),
    };
    record(data, &rec);
    tell(
        log::Level::Info,
        &format!("update: {from} -> {to} installed; restarting"),
    );
    let started = sh(&svc.stop).and_then(|_| sh(&svc.start));
    let check = started.and_then(|_| healthy(data, svc, &to));
    match check {
        Ok(()) => {
            rec.outcome = "installed".into();
            record(data, &rec);
            tell(
                log::Level::Info,
                &format!("update: {to} is running and healthy"),
            );
            Ok(format!(
                "updated from {from} to {to}; the service is healthy"
            ))
        }
        Err(why) => {
            tell(
                log::Level::Error,
                &format!("update: {to} failed ({why}); rolling back to {from}"),
            );
            let back = roll_back(data, svc, &from);
            rec.outcome = match &back {
                Ok(()) => format!("rolled back: {why}"),
                Err(e) => format!("rollback FAILED ({e}) after: {why}"),
            };
            record(data, &rec);
            tell(
                log::Level::Error,
                &format!("update: {from} -> {to}: {}", rec.outcome),
            );
            match back {
                Ok(()) => Err(format!(
                    "{to} did not come up healthy ({why}); {from} and the database as it was are back and healthy"
                )),
                Err(e) => Err(format!(
                    "{to} did not come up healthy ({why}), and the rollback failed: {e}"
                )),
            }
        }
    }
}

/// Puts the previous binary and the snapshot back, restarts and checks it.
fn roll_back(data: &Path, svc: &Service, version: &str) -> Result<(), String> {
    let _ = sh(&svc.stop);
    unswap(&svc.binary)?;
    restore_db(data)?;
    sh(&svc.start)?;
    healthy(data, svc, version)
}

/// `cartable update --rollback`: the same, by hand.
pub fn rollback(data: &Path, svc: &Service) -> Result<String, String> {
    std::fs::create_dir_all(data.join(DIR)).map_err(|e| e.to_string())?;
    let _held = hold(data)?;
    let previous = PathBuf::from(format!("{}.previous", svc.binary.display()));
    let version = version_of(&previous)?;
    roll_back(data, svc, &version)?;
    let rec = Record {
        at: crate::now(),
        from: crate::VERSION.into(),
        to: version.clone(),
        outcome: "rolled back by hand".into(),
    };
    record(data, &rec);
    tell(
        log::Level::Warn,
        &format!("update: rolled back by hand to {version}"),
    );
    Ok(format!("rolled back to {version}; the service is healthy"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_architectures() {
        use std::cmp::Ordering::*;
        assert_eq!(newer("0.1.10", "0.1.9"), Greater);
        assert_eq!(newer("0.2.0", "0.10.0"), Less);
        assert_eq!(newer("1.0.0", "1.0.0"), Equal);
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        assert_eq!(elf_arch(&me), Some(std::env::consts::ARCH));
        assert_eq!(elf_arch(b"#!/bin/sh\necho hi\n"), None);
    }
}
