//! What the box's console says (tty1 and the serial line), in French and English, for the
//! technician standing in front of it: where the portal is, the fingerprint of the school's
//! certificate authority (to check what browsers are asked to trust), the first admin's
//! password while it is still the generated one, the box's own Wi-Fi network when it makes
//! one, and what is wrong with cartable.toml if it could not be applied.

use super::{ERRORS_FILE, apply::FIRST_PASSWORD_FILE};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::path::Path;

/// The SHA-256 fingerprint of the first certificate in a PEM file, as browsers show it.
pub fn fingerprint(pem: &str) -> Option<String> {
    use base64::Engine;
    let b64: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    let hash = Sha256::digest(der);
    Some(
        hash.iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":"),
    )
}

pub fn text(data: &Path) -> String {
    text_at(data, Path::new("/"))
}

/// The console's text for the system under `root` (where the Wi-Fi files are).
pub fn text_at(data: &Path, root: &Path) -> String {
    let mut out = String::from("\n");
    let settings = crate::server::open_db(data).ok().and_then(|db| {
        db.read_blocking(|c| Ok(crate::settings::Settings::load(c)?))
            .ok()
            .map(|s| (db, s))
    });
    let Some((db, settings)) = settings else {
        out.push_str(
            "Cartable: the data directory cannot be read / le dossier de données est illisible.\n",
        );
        return out;
    };
    out.push_str(&format!(
        "  Cartable {} · {}\n\n",
        crate::VERSION,
        settings.school_name
    ));
    out.push_str("  Portail / Portal:\n");
    if let Some(host) = settings.host_names.iter().find(|h| h.ends_with(".local")) {
        out.push_str(&format!("    https://{host}/\n"));
    }
    // The same rule as the server certificate's: never an address it does not name.
    for ip in crate::tls::lan_addresses() {
        match ip {
            IpAddr::V4(v4) => out.push_str(&format!("    https://{v4}/\n")),
            IpAddr::V6(v6) => out.push_str(&format!("    https://[{v6}]/\n")),
        }
    }
    if let Some((ssid, ip)) = super::wifi::access_point(root) {
        out.push_str(&format!(
            "\n  Wi-Fi de la machine / The box's Wi-Fi: « {ssid} »  ->  https://{ip}/\n"
        ));
    }
    if let Some(fp) = std::fs::read_to_string(data.join("tls/ca.crt"))
        .ok()
        .and_then(|p| fingerprint(&p))
    {
        out.push_str("\n  Autorité de certification (SHA-256) / Certificate authority:\n");
        for chunk in fp.split(':').collect::<Vec<_>>().chunks(16) {
            out.push_str(&format!("    {}\n", chunk.join(":")));
        }
        out.push_str("    http://<adresse>/ca : l'installer sur chaque appareil / install it on each device\n");
    }
    let first = data.join(FIRST_PASSWORD_FILE);
    if let Ok(kept) = std::fs::read_to_string(&first) {
        let mut lines = kept.lines();
        let (user, pw) = (
            lines.next().unwrap_or("").to_owned(),
            lines.next().unwrap_or(""),
        );
        let name = user.clone();
        let still: bool = db
            .read_blocking(move |c| {
                Ok(c.query_row(
                    "SELECT must_change_password FROM users WHERE username = ?1",
                    [name],
                    |r| r.get(0),
                )
                .unwrap_or(false))
            })
            .unwrap_or(false);
        if still {
            out.push_str(&format!(
                "\n  Premier administrateur / First admin: {user}  mot de passe / password: {pw}\n    (à changer à la première connexion / to be changed at first login)\n"
            ));
        } else {
            // The admin has chosen their own: the generated one is of no use any more.
            let _ = std::fs::remove_file(&first);
        }
    }
    if let Ok(problems) = std::fs::read_to_string(data.join(ERRORS_FILE)) {
        out.push_str("\n  !! cartable.toml n'a pas pu être appliqué / could not be applied:\n");
        for p in problems.lines().filter(|l| !l.trim().is_empty()) {
            out.push_str(&format!("     - {p}\n"));
        }
        out.push_str(
            "     Corrigez le fichier sur la partition CARTABLE (depuis n'importe quel PC) puis redémarrez.\n     Fix the file on the CARTABLE partition (from any PC), then restart the box.\n",
        );
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_like_browsers() {
        let dir = tempfile::tempdir().unwrap();
        let m = crate::tls::ensure(dir.path(), "École", &["localhost".into()]).unwrap();
        let fp = fingerprint(&m.ca_pem).unwrap();
        assert_eq!(fp.len(), 32 * 3 - 1);
        assert!(fp.bytes().all(|b| b.is_ascii_hexdigit() || b == b':'));
        assert!(
            fingerprint("nothing").is_some_and(|f| f.len() == 95),
            "an empty DER still hashes"
        );
    }

    #[test]
    fn the_console_shows_the_first_password_and_problems() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let file = dir.path().join("cartable.toml");
        std::fs::write(&file, "[school]\nname = \"Collège du Fleuve\"\n").unwrap();
        super::super::run(&data, &file, None).unwrap();
        let t = text(&data);
        assert!(t.contains("Collège du Fleuve"), "{t}");
        assert!(t.contains("https://cartable.local/"), "{t}");
        assert!(t.contains("First admin: admin"), "{t}");
        std::fs::write(&file, "[school]\nname = \"\"\n").unwrap();
        assert!(super::super::run(&data, &file, None).is_err());
        let t = text(&data);
        assert!(t.contains("school.name"), "{t}");
        assert!(
            t.contains("First admin"),
            "an invalid file keeps the box as it was: {t}"
        );
    }

    #[test]
    fn the_console_names_the_box_s_own_wifi_network() {
        let dir = tempfile::tempdir().unwrap();
        let (data, root) = (dir.path().join("data"), dir.path().join("root"));
        let file = dir.path().join("cartable.toml");
        let wifi = "[wifi]\nmode = \"access-point\"\ncountry = \"SN\"\nssid = \"Cartable-École\"\npassphrase = \"manguier-2024\"\naddress = \"192.168.50.1/24\"\n";
        std::fs::write(&file, format!("[school]\nname = \"École\"\n{wifi}")).unwrap();
        super::super::run(&data, &file, Some(&root)).unwrap();
        let t = text_at(&data, &root);
        assert!(
            t.contains("Wi-Fi de la machine / The box's Wi-Fi: « Cartable-École »  ->  https://192.168.50.1/\n"),
            "{t}"
        );
        std::fs::write(&file, "[school]\nname = \"École\"\n").unwrap();
        super::super::run(&data, &file, Some(&root)).unwrap();
        assert!(!text_at(&data, &root).contains("Wi-Fi"), "off: no line");
    }
}
