//! The operating system's side of provisioning, written under a root folder (`/` on the box,
//! a temporary folder in tests): host name, time zone, network, Wi-Fi (`wifi.rs`), the
//! maintainers' SSH keys. Files are replaced atomically and only when their content changes.

use super::config::{NetworkPlan, Plan};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

fn at(root: &Path, path: &str) -> PathBuf {
    root.join(path.trim_start_matches('/'))
}

/// Writes `text` to `path` if it differs; true when it wrote.
fn put(path: &Path, text: &str, mode: u32) -> Result<bool, String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    crate::tls::write_atomic(path, text.as_bytes(), mode == 0o600)
        .and_then(|_| std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(true)
}

/// The systemd-networkd file for the wired interfaces.
pub fn network_file(plan: &NetworkPlan) -> String {
    let mut s = String::from(
        "# Written by `cartable provision` from cartable.toml; edit that file instead.\n\
         [Match]\nName=en* eth*\n\n[Network]\n",
    );
    match plan {
        NetworkPlan::Dhcp => s.push_str("DHCP=yes\n"),
        NetworkPlan::Static {
            address,
            gateway,
            dns,
        } => {
            s.push_str(&format!("Address={address}\n"));
            if let Some(g) = gateway {
                s.push_str(&format!("Gateway={g}\n"));
            }
            for d in dns {
                s.push_str(&format!("DNS={d}\n"));
            }
        }
    }
    // The box answers to NAME.local on the school's network without any DNS server.
    s.push_str("MulticastDNS=yes\nLLMNR=yes\n");
    s
}

/// The uid and gid of `user` in `root`'s /etc/passwd.
fn ids_of(root: &Path, user: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string(at(root, "/etc/passwd")).ok()?;
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() >= 4 && f[0] == user).then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?)))?
    })
}

pub fn apply(root: &Path, plan: &Plan) -> Result<Vec<String>, String> {
    let mut changed = Vec::new();
    let host = &plan.hostname;
    if put(&at(root, "/etc/hostname"), &format!("{host}\n"), 0o644)? {
        changed.push(format!("host name {host}"));
    }
    let hosts = format!(
        "127.0.0.1\tlocalhost\n127.0.1.1\t{host} {host}.local\n::1\tlocalhost ip6-localhost ip6-loopback\n"
    );
    put(&at(root, "/etc/hosts"), &hosts, 0o644)?;
    if let Some(tz) = &plan.timezone {
        let zone = at(root, &format!("/usr/share/zoneinfo/{tz}"));
        if !zone.is_file() {
            return Err(format!(
                "school.timezone: no zone named {tz:?} on this system"
            ));
        }
        let link = at(root, "/etc/localtime");
        let target = PathBuf::from(format!("/usr/share/zoneinfo/{tz}"));
        if std::fs::read_link(&link).ok().as_deref() != Some(target.as_path()) {
            let tmp = link.with_extension("new");
            let _ = std::fs::remove_file(&tmp);
            std::os::unix::fs::symlink(&target, &tmp)
                .and_then(|_| std::fs::rename(&tmp, &link))
                .map_err(|e| format!("{}: {e}", link.display()))?;
            changed.push(format!("time zone {tz}"));
        }
        put(&at(root, "/etc/timezone"), &format!("{tz}\n"), 0o644)?;
    }
    if put(
        &at(root, "/etc/systemd/network/20-cartable.network"),
        &network_file(&plan.network),
        0o644,
    )? {
        changed.push("network".into());
    }
    changed.extend(super::wifi::apply(root, &plan.wifi, put)?);
    // The maintainers' keys: the `maint` account logs in with these only.
    let ssh = at(root, "/home/maint/.ssh");
    let mut keys = String::from("# Written by `cartable provision` from cartable.toml.\n");
    for k in &plan.ssh_keys {
        keys.push_str(k);
        keys.push('\n');
    }
    let keys_path = ssh.join("authorized_keys");
    if put(&keys_path, &keys, 0o600)? {
        changed.push(format!("{} maintainer key(s)", plan.ssh_keys.len()));
    }
    std::fs::set_permissions(&ssh, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| format!("{}: {e}", ssh.display()))?;
    if let Some((uid, gid)) = ids_of(root, "maint") {
        for p in [&ssh, &keys_path] {
            nix::unistd::chown(p.as_path(), Some(uid.into()), Some(gid.into()))
                .map_err(|e| format!("{}: {e}", p.display()))?;
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_system_files_once() {
        let root = tempfile::tempdir().unwrap();
        let zone = root.path().join("usr/share/zoneinfo/Africa");
        std::fs::create_dir_all(&zone).unwrap();
        std::fs::write(zone.join("Dakar"), b"TZif").unwrap();
        let plan = super::super::config::parse(
            "[school]\nname = \"X\"\ntimezone = \"Africa/Dakar\"\n[network]\nhostname = \"ent\"\nmode = \"static\"\naddress = \"10.0.0.2/24\"\ngateway = \"10.0.0.1\"\ndns = [\"10.0.0.1\"]\n[maintenance]\nssh_keys = [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTestsOnlyAAAAAAAAAAAAAAAAAA m@x\"]\n",
        )
        .unwrap();
        let first = apply(root.path(), &plan).unwrap();
        assert_eq!(first.len(), 4, "{first:?}");
        assert_eq!(
            std::fs::read_to_string(root.path().join("etc/hostname")).unwrap(),
            "ent\n"
        );
        let net =
            std::fs::read_to_string(root.path().join("etc/systemd/network/20-cartable.network"))
                .unwrap();
        assert!(
            net.contains("Address=10.0.0.2/24\nGateway=10.0.0.1\nDNS=10.0.0.1\n"),
            "{net}"
        );
        assert_eq!(
            std::fs::read_link(root.path().join("etc/localtime")).unwrap(),
            PathBuf::from("/usr/share/zoneinfo/Africa/Dakar")
        );
        let keys = root.path().join("home/maint/.ssh/authorized_keys");
        assert!(
            std::fs::read_to_string(&keys)
                .unwrap()
                .contains("ssh-ed25519")
        );
        assert_eq!(
            std::fs::metadata(&keys).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert!(
            apply(root.path(), &plan).unwrap().is_empty(),
            "a second run changes nothing"
        );
    }
}
