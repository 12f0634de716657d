//! `cartable.toml`, the one file a technician edits on the image's FAT partition: read it,
//! and check every value before anything is applied, so that a typo is reported with all the
//! others at once and the box is never left half-provisioned.

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    #[serde(default)]
    pub school: School,
    #[serde(default)]
    pub network: Network,
    #[serde(default)]
    pub admin: Admin,
    #[serde(default)]
    pub mail: Mail,
    #[serde(default)]
    pub maintenance: Maintenance,
    #[serde(default)]
    pub wifi: super::wifi::Section,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct School {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub mail_domain: String,
    /// `fr`, `en` or `auto`.
    #[serde(default)]
    pub language: String,
    /// An IANA zone name, `Africa/Dakar`.
    #[serde(default)]
    pub timezone: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    #[serde(default)]
    pub hostname: String,
    /// `dhcp` (the default) or `static`.
    #[serde(default)]
    pub mode: String,
    /// For `static`: `192.168.1.10/24`.
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub gateway: String,
    #[serde(default)]
    pub dns: Vec<String>,
    /// More names browsers may use to reach the box (for its certificate).
    #[serde(default)]
    pub extra_names: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Admin {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    /// Empty: one is generated and shown on the console until the admin first logs in.
    #[serde(default)]
    pub password: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mail {
    #[serde(default)]
    pub relay_host: String,
    #[serde(default)]
    pub relay_port: Option<u16>,
    #[serde(default)]
    pub relay_tls: String,
    #[serde(default)]
    pub relay_user: String,
    #[serde(default)]
    pub relay_password: String,
    #[serde(default)]
    pub pupils_outside: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Maintenance {
    /// OpenSSH public keys of the maintainers (`ssh-ed25519 AAAA... name`).
    #[serde(default)]
    pub ssh_keys: Vec<String>,
    /// The minisign public key that signs updates (the `RW...` line).
    #[serde(default)]
    pub update_key: String,
}

/// The checked settings, with defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub school_name: String,
    pub mail_domain: String,
    pub language: String,
    pub timezone: Option<String>,
    pub hostname: String,
    pub network: NetworkPlan,
    pub host_names: Vec<String>,
    pub admin_username: String,
    pub admin_first_name: String,
    pub admin_last_name: String,
    pub admin_password: Option<String>,
    pub relay: Option<Relay>,
    pub pupils_outside: Option<bool>,
    pub ssh_keys: Vec<String>,
    pub update_key: Option<String>,
    pub wifi: super::wifi::Wifi,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NetworkPlan {
    Dhcp,
    Static {
        address: String,
        gateway: Option<String>,
        dns: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Relay {
    pub host: String,
    pub port: u16,
    pub tls: crate::mail::settings::RelayTls,
    pub user: String,
    pub password: String,
}

/// Reads and checks the file's text; the error lists every problem, one per line, each
/// naming its key.
pub fn parse(text: &str) -> Result<Plan, Vec<String>> {
    parse_at(text, None)
}

/// As `parse`, for the system under `root`: an erased Wi-Fi passphrase is the one applied
/// there before, and a problem if there is none.
pub fn parse_at(text: &str, root: Option<&std::path::Path>) -> Result<Plan, Vec<String>> {
    let file: File = toml::from_str(text).map_err(|e| vec![format!("{e}")])?;
    check(file, root)
}

fn ip_ok(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

fn check(f: File, root: Option<&std::path::Path>) -> Result<Plan, Vec<String>> {
    use crate::settings::is_dns_name;
    let mut bad = Vec::new();
    let school_name = f.school.name.trim().to_owned();
    if school_name.is_empty() || school_name.chars().count() > 100 {
        bad.push("school.name: give the school's name (1 to 100 characters)".to_owned());
    }
    let hostname = match f.network.hostname.trim() {
        "" => "cartable".to_owned(),
        h => h.to_ascii_lowercase(),
    };
    if !is_dns_name(&hostname) || hostname.contains('.') {
        bad.push(format!(
            "network.hostname: {hostname:?} must be one word of letters, digits and dashes"
        ));
    }
    let mail_domain = match f.school.mail_domain.trim() {
        "" => format!("{hostname}.lan"),
        d => d.to_ascii_lowercase(),
    };
    if !is_dns_name(&mail_domain) {
        bad.push(format!(
            "school.mail_domain: {mail_domain:?} is not a domain name"
        ));
    }
    let language = match f.school.language.trim() {
        "" => "fr".to_owned(),
        l => l.to_ascii_lowercase(),
    };
    if language != "auto" && crate::i18n::supported(&language) != Some(language.as_str()) {
        let codes: Vec<&str> = crate::i18n::LANGUAGES.iter().map(|(c, _)| *c).collect();
        bad.push(format!(
            "school.language: {language:?} must be one of {} or auto",
            codes.join(", ")
        ));
    }
    let timezone = match f.school.timezone.trim() {
        "" => None,
        tz => {
            let ok = !tz.starts_with('/')
                && !tz.contains("..")
                && tz
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c));
            if !ok {
                bad.push(format!(
                    "school.timezone: {tz:?} is not a zone name like Africa/Dakar"
                ));
            }
            Some(tz.to_owned())
        }
    };
    let network = match f.network.mode.trim() {
        "" | "dhcp" => NetworkPlan::Dhcp,
        "static" => {
            let address = f.network.address.trim().to_owned();
            let valid = address
                .split_once('/')
                .is_some_and(|(ip, len)| ip_ok(ip) && len.parse::<u8>().is_ok_and(|l| l <= 128));
            if !valid {
                bad.push(format!(
                    "network.address: {address:?} must be an address with its prefix, like 192.168.1.10/24"
                ));
            }
            let gateway = match f.network.gateway.trim() {
                "" => None,
                g if ip_ok(g) => Some(g.to_owned()),
                g => {
                    bad.push(format!("network.gateway: {g:?} is not an IP address"));
                    None
                }
            };
            for d in &f.network.dns {
                if !ip_ok(d.trim()) {
                    bad.push(format!("network.dns: {d:?} is not an IP address"));
                }
            }
            NetworkPlan::Static {
                address,
                gateway,
                dns: f.network.dns.iter().map(|d| d.trim().to_owned()).collect(),
            }
        }
        m => {
            bad.push(format!("network.mode: {m:?} must be dhcp or static"));
            NetworkPlan::Dhcp
        }
    };
    let mut host_names = vec![hostname.clone(), format!("{hostname}.local")];
    for n in &f.network.extra_names {
        let n = n.trim().trim_end_matches('.').to_ascii_lowercase();
        if !is_dns_name(&n) && !ip_ok(&n) {
            bad.push(format!(
                "network.extra_names: {n:?} is neither a DNS name nor an IP address"
            ));
        } else if !host_names.contains(&n) {
            host_names.push(n);
        }
    }
    if let NetworkPlan::Static { address, .. } = &network
        && let Some((ip, _)) = address.split_once('/')
        && ip_ok(ip)
        && !host_names.iter().any(|h| h == ip)
    {
        host_names.push(ip.to_owned());
    }
    let wifi = super::wifi::check(&f.wifi, root, &mut bad);
    if let super::wifi::Wifi::AccessPoint(_, ap) = &wifi {
        // Browsers on the box's own network reach it by this address: the certificate must
        // name it (the interface has no address yet when provisioning runs at boot).
        let ip = ap.address.to_string();
        if !host_names.contains(&ip) {
            host_names.push(ip);
        }
        // Two interfaces on overlapping networks: replies would leave by the wrong one.
        if let NetworkPlan::Static { address, .. } = &network
            && let Some((ip, len)) = address.split_once('/')
            && let (Ok(wired), Ok(len)) = (ip.parse::<std::net::Ipv4Addr>(), len.parse::<u8>())
            && let shift = 32 - ap.prefix.min(len.clamp(1, 32)) as u32
            && u32::from(wired) >> shift == u32::from(ap.address) >> shift
        {
            bad.push(format!(
                "wifi.address: {}/{} is on the same network as network.address; choose another, like 10.42.0.1/24",
                ap.address, ap.prefix
            ));
        }
    }
    let admin_username = match f.admin.username.trim() {
        "" => "admin".to_owned(),
        u => u.to_ascii_lowercase(),
    };
    if crate::accounts::check_username(&admin_username).is_err() {
        bad.push(format!(
            "admin.username: {admin_username:?} must be 2 to 32 lowercase letters, digits, dots or dashes"
        ));
    }
    let admin_password = match f.admin.password.as_str() {
        "" => None,
        p => {
            if let Err(e) = crate::auth::check_password_rules(&admin_username, p) {
                bad.push(format!("admin.password: {e}"));
            }
            Some(p.to_owned())
        }
    };
    let relay = match f.mail.relay_host.trim() {
        "" => None,
        host => {
            if !is_dns_name(&host.to_ascii_lowercase()) && !ip_ok(host) {
                bad.push(format!("mail.relay_host: {host:?} is not a host name"));
            }
            let tls = match f.mail.relay_tls.trim() {
                "" => crate::mail::settings::RelayTls::StartTls,
                t => crate::mail::settings::RelayTls::parse(t).unwrap_or_else(|| {
                    bad.push(format!(
                        "mail.relay_tls: {t:?} must be starttls, tls or none"
                    ));
                    crate::mail::settings::RelayTls::StartTls
                }),
            };
            let default_port = match tls {
                crate::mail::settings::RelayTls::Tls => 465,
                crate::mail::settings::RelayTls::StartTls => 587,
                crate::mail::settings::RelayTls::None => 25,
            };
            let port = f.mail.relay_port.unwrap_or(default_port);
            if port == 0 {
                bad.push("mail.relay_port: must be between 1 and 65535".to_owned());
            }
            Some(Relay {
                host: host.to_ascii_lowercase(),
                port,
                tls,
                user: f.mail.relay_user.trim().to_owned(),
                password: f.mail.relay_password.clone(),
            })
        }
    };
    let mut ssh_keys = Vec::new();
    for k in &f.maintenance.ssh_keys {
        let k = k.trim();
        let mut parts = k.split_ascii_whitespace();
        let ok = matches!(
            (parts.next(), parts.next()),
            (Some(t), Some(b)) if (t.starts_with("ssh-") || t.starts_with("ecdsa-") || t.starts_with("sk-"))
                && b.len() > 40
                && b.bytes().all(|c| c.is_ascii_alphanumeric() || b"+/=".contains(&c))
        ) && !k.contains(['\n', '\r']);
        if ok {
            ssh_keys.push(k.to_owned());
        } else {
            bad.push(format!(
                "maintenance.ssh_keys: {:?} is not an OpenSSH public key line",
                k.chars().take(40).collect::<String>()
            ));
        }
    }
    let update_key = match f.maintenance.update_key.trim() {
        "" => None,
        k => {
            // The key line of a minisign .pub file: base64 of 42 bytes, starting with "RW".
            let line = k
                .lines()
                .map(str::trim)
                .rfind(|l| !l.is_empty())
                .unwrap_or("");
            if line.len() != 56 || !line.starts_with("RW") {
                bad.push(
                    "maintenance.update_key: paste the minisign public key (the line starting with RW)"
                        .to_owned(),
                );
            }
            Some(line.to_owned())
        }
    };
    if !bad.is_empty() {
        return Err(bad);
    }
    Ok(Plan {
        school_name,
        mail_domain,
        language,
        timezone,
        hostname,
        network,
        host_names,
        admin_username,
        admin_first_name: f.admin.first_name.trim().to_owned(),
        admin_last_name: f.admin.last_name.trim().to_owned(),
        admin_password,
        relay,
        pupils_outside: f.mail.pupils_outside,
        ssh_keys,
        update_key,
        wifi,
    })
}

#[cfg(test)]
mod props;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_example_is_valid() {
        let p = parse(include_str!("../../provisioning/cartable.toml")).unwrap();
        assert_eq!(p.school_name, "Mon école");
        assert_eq!(p.network, NetworkPlan::Dhcp);
        assert!(p.relay.is_none() && p.ssh_keys.is_empty() && p.update_key.is_none());
        assert_eq!(p.wifi, super::super::wifi::Wifi::Off);
        // Turned on as the comments say, it asks for what is missing, naming each key.
        let on = include_str!("../../provisioning/cartable.toml")
            .replace("mode = \"off\"", "mode = \"access-point\"");
        let e = parse_at(&on, Some(std::path::Path::new("/nonexistent"))).unwrap_err();
        for key in ["wifi.country:", "wifi.ssid:", "wifi.passphrase:"] {
            assert!(e.iter().any(|p| p.starts_with(key)), "{key} in {e:?}");
        }
        let filled = on
            .replace("country = \"\"", "country = \"SN\"")
            .replace("ssid = \"\"", "ssid = \"Cartable\"")
            .replace("passphrase = \"\"", "passphrase = \"manguier-2024\"");
        assert!(
            parse(&filled)
                .unwrap()
                .host_names
                .contains(&"10.42.0.1".into())
        );
    }

    #[test]
    fn a_minimal_file_gets_defaults() {
        let p = parse("[school]\nname = \"École Jean Jaurès\"\n").unwrap();
        assert_eq!(p.hostname, "cartable");
        assert_eq!(p.mail_domain, "cartable.lan");
        assert_eq!(p.language, "fr");
        assert_eq!(p.network, NetworkPlan::Dhcp);
        assert_eq!(p.host_names, ["cartable", "cartable.local"]);
        assert_eq!(p.admin_username, "admin");
        assert_eq!(p.admin_password, None);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let text = r#"
[school]
name = ""
language = "de"
timezone = "../etc/passwd"
[network]
mode = "static"
address = "192.168.1.300/24"
gateway = "x"
[admin]
password = "short"
[mail]
relay_host = "smtp.fai.example"
relay_tls = "ssl"
[maintenance]
ssh_keys = ["not a key"]
update_key = "abc"
"#;
        let errors = parse(text).unwrap_err();
        for key in [
            "school.name:",
            "school.language:",
            "school.timezone:",
            "network.address:",
            "network.gateway:",
            "admin.password:",
            "mail.relay_tls:",
            "maintenance.ssh_keys:",
            "maintenance.update_key:",
        ] {
            assert!(
                errors.iter().any(|e| e.starts_with(key)),
                "{key} in {errors:?}"
            );
        }
        assert!(parse("[school]\nnmae = \"x\"").unwrap_err()[0].contains("nmae"));
    }

    #[test]
    fn every_language_of_the_menu_is_a_school_default() {
        for lang in ["fr", "en", "pt", "ar", "auto", "AR"] {
            let p = parse(&format!("[school]\nname = \"x\"\nlanguage = \"{lang}\"\n")).unwrap();
            assert_eq!(p.language, lang.to_ascii_lowercase());
        }
        for lang in ["pt-AO", "de", "arabic"] {
            let e = parse(&format!("[school]\nname = \"x\"\nlanguage = \"{lang}\"\n")).unwrap_err();
            assert!(e[0].contains("fr, en, pt, ar or auto"), "{e:?}");
        }
    }

    #[test]
    fn a_full_file() {
        let text = r#"
[school]
name = "Lycée Senghor"
mail_domain = "lycee-senghor.sn"
language = "fr"
timezone = "Africa/Dakar"
[network]
hostname = "ent"
mode = "static"
address = "10.0.0.2/24"
gateway = "10.0.0.1"
dns = ["10.0.0.1"]
extra_names = ["ent.lycee-senghor.sn"]
[admin]
username = "proviseur"
password = "baobab-sous-la-pluie"
[mail]
relay_host = "smtp.orange.sn"
relay_user = "lycee"
relay_password = "secret"
[maintenance]
ssh_keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTestsOnlyAAAAAAAAAAAAAAAAAA maint@ong"]
update_key = "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"
"#;
        let p = parse(text).unwrap();
        assert_eq!(
            p.host_names,
            ["ent", "ent.local", "ent.lycee-senghor.sn", "10.0.0.2"]
        );
        assert_eq!(p.relay.as_ref().unwrap().port, 587);
        assert_eq!(p.timezone.as_deref(), Some("Africa/Dakar"));
        assert_eq!(p.ssh_keys.len(), 1);
        assert!(p.update_key.is_some());
    }
}
