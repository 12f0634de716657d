//! First boot (and every boot after): `cartable provision --from <FAT>/cartable.toml` turns
//! the one file a technician edited into a configured box: the operating system's host name,
//! time zone, network, Wi-Fi and maintainers' keys, and the school's settings, first admin,
//! mail relay, certificate and update key.
//!
//! The file is checked whole before anything is applied: an invalid file changes nothing,
//! and its problems are kept for the console (`cartable banner`) so the box still comes up
//! and says what to fix. Applying is idempotent, so the service runs it at every boot and an
//! edited file takes effect on the next one. Secrets are erased from the file once applied.

pub mod apply;
pub mod banner;
pub mod config;
pub mod system;
pub mod wifi;

use std::path::Path;

/// Where the problems of the last invalid file are kept for the console.
pub const ERRORS_FILE: &str = "provision-errors.txt";

#[derive(Debug)]
pub enum Failure {
    /// The file is wrong: every problem, one per line.
    Invalid(Vec<String>),
    /// Applying a valid file failed (a disk error, say).
    Apply(String),
}

/// Reads, checks and applies `from`. `root` is where the operating system's files go (`/`
/// on the box); `None` leaves the system alone (a server that is not the appliance).
pub fn run(data: &Path, from: &Path, root: Option<&Path>) -> Result<Vec<String>, Failure> {
    crate::server::prepare_data_dir(data).map_err(|e| Failure::Apply(e.to_string()))?;
    let errors_path = data.join(ERRORS_FILE);
    let text = std::fs::read_to_string(from)
        .map_err(|e| vec![format!("{}: {e}", from.display())])
        .map(|t| t.trim_start_matches('\u{feff}').to_owned());
    let plan = text.and_then(|t| config::parse_at(&t, root));
    let plan = match plan {
        Ok(p) => p,
        Err(problems) => {
            let mut text = problems.join("\n");
            text.push('\n');
            if let Err(e) = crate::tls::write_atomic(&errors_path, text.as_bytes(), false) {
                log::error!("{}: {e}", errors_path.display());
            }
            return Err(Failure::Invalid(problems));
        }
    };
    let mut changed = Vec::new();
    if let Some(root) = root {
        changed.extend(system::apply(root, &plan).map_err(Failure::Apply)?);
    }
    let applied = apply::apply(data, &plan).map_err(Failure::Apply)?;
    changed.extend(applied.lines);
    if scrub(from).map_err(|e| Failure::Apply(format!("{}: {e}", from.display())))? {
        changed.push(format!("secrets removed from {}", from.display()));
    }
    let _ = std::fs::remove_file(&errors_path);
    Ok(changed)
}

/// Erases the passwords from the file, keeping everything else (comments included). Returns
/// whether it changed the file. The Wi-Fi passphrase goes only when Wi-Fi is on (it was
/// applied, and is kept in the system's files from then on).
pub fn scrub(path: &Path) -> std::io::Result<bool> {
    let text = std::fs::read_to_string(path)?;
    let Ok(mut doc) = text.parse::<toml_edit::DocumentMut>() else {
        return Ok(false);
    };
    let wifi_on = doc
        .get("wifi")
        .and_then(|t| t.get("mode"))
        .and_then(|m| m.as_str())
        .is_some_and(|m| {
            matches!(
                m.trim().to_ascii_lowercase().as_str(),
                "client" | "access-point"
            )
        });
    let mut changed = false;
    for (table, key) in [
        ("admin", "password"),
        ("mail", "relay_password"),
        ("wifi", "passphrase"),
    ] {
        if table == "wifi" && !wifi_on {
            continue;
        }
        let Some(item) = doc.get_mut(table).and_then(|t| t.get_mut(key)) else {
            continue;
        };
        if item.as_str().is_some_and(|s| !s.is_empty()) {
            let decor = item.as_value().map(|v| v.decor().clone());
            let mut v = toml_edit::Value::from("");
            if let Some(d) = decor {
                *v.decor_mut() = d;
            }
            *item = toml_edit::Item::Value(v);
            changed = true;
        }
    }
    if changed {
        crate::tls::write_atomic(path, doc.to_string().as_bytes(), false)?;
        // The whole file system, not only the file and its folder: on the FAT partition,
        // with only write_atomic's two fsyncs, a plug pulled seconds later left
        // cartable.toml's entry pointing at a cluster the allocation table still had free
        // (fsck.fat then empties the file, and the technician's settings are gone; seen by
        // `make image-test ARCH=rpi`). With syncfs the file survives a plug pulled a second
        // later.
        if let Some(dir) = path.parent() {
            nix::unistd::syncfs(std::fs::File::open(dir)?).map_err(std::io::Error::from)?;
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"# Le fichier du technicien / the technician's file
[school]
name = "Collège Mariama Bâ"
mail_domain = "college-ba.sn"

[admin]
username = "principal"
# Le mot de passe / the password
password = "baobab-sous-la-pluie"   # effacé après usage

[mail]
relay_host = "smtp.example.sn"
relay_password = "relais-secret"
"#;

    #[test]
    fn provisioning_applies_once_and_erases_the_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let file = dir.path().join("cartable.toml");
        std::fs::write(&file, FILE).unwrap();
        let changed = run(&data, &file, None).unwrap();
        assert!(
            changed
                .iter()
                .any(|c| c.contains("admin principal created")),
            "{changed:?}"
        );
        let after = std::fs::read_to_string(&file).unwrap();
        assert!(
            !after.contains("baobab") && !after.contains("relais-secret"),
            "{after}"
        );
        assert!(
            after.contains("# Le mot de passe / the password\npassword = \"\""),
            "{after}"
        );
        assert!(
            after.contains("# effacé après usage"),
            "comments kept: {after}"
        );
        // The second run, on the scrubbed file, changes nothing and keeps the password.
        assert!(run(&data, &file, None).unwrap().is_empty());
        let db = crate::server::open_db(&data).unwrap();
        let (hash, relay): (String, String) = db
            .read_blocking(|c| {
                Ok((
                    c.query_row(
                        "SELECT password_hash FROM users WHERE username = 'principal'",
                        [],
                        |r| r.get(0),
                    )?,
                    crate::mail::MailSettings::load(c)?.relay_password,
                ))
            })
            .unwrap();
        assert!(crate::auth::verify_password_blocking(
            &hash,
            "baobab-sous-la-pluie"
        ));
        assert_eq!(relay, "relais-secret");
        assert!(data.join("tls/ca.crt").is_file());
        assert!(!data.join(apply::FIRST_PASSWORD_FILE).exists());
    }

    #[test]
    fn an_invalid_file_changes_nothing_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let file = dir.path().join("cartable.toml");
        std::fs::write(
            &file,
            "[school]\nname = \"\"\n[admin]\npassword = \"court\"\n",
        )
        .unwrap();
        let Err(Failure::Invalid(problems)) = run(&data, &file, None) else {
            panic!("accepted");
        };
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(!data.join("cartable.db").exists(), "nothing applied");
        let kept = std::fs::read_to_string(data.join(ERRORS_FILE)).unwrap();
        assert!(kept.contains("school.name"));
        assert!(
            std::fs::read_to_string(&file).unwrap().contains("court"),
            "the file is left as it was"
        );
    }

    #[test]
    fn a_generated_password_waits_for_the_console() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let file = dir.path().join("cartable.toml");
        std::fs::write(&file, "[school]\nname = \"École\"\n").unwrap();
        run(&data, &file, None).unwrap();
        let kept = std::fs::read_to_string(data.join(apply::FIRST_PASSWORD_FILE)).unwrap();
        let mut lines = kept.lines();
        assert_eq!(lines.next(), Some("admin"));
        assert_eq!(lines.next().unwrap().len(), 12);
    }
}
