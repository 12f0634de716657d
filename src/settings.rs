//! The school's settings, kept in the database so that provisioning and the admin pages can
//! change them, with defaults that let `serve` start on an empty data directory.

use rusqlite::{Connection, Transaction};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Settings {
    pub school_name: String,
    /// Names the server certificate covers and browsers use to reach the box.
    pub host_names: Vec<String>,
    pub mail_domain: String,
    /// `fr`, `en`, or `auto` to follow each browser's Accept-Language.
    pub default_language: String,
    /// The current school year, as offices write it: `2026-2027`.
    pub school_year: String,
}

impl Default for Settings {
    fn default() -> Self {
        let host = nix::unistd::gethostname()
            .ok()
            .and_then(|h| h.into_string().ok())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "cartable".into());
        Settings {
            school_name: "Cartable".into(),
            mail_domain: format!("{host}.local"),
            host_names: vec![host, "localhost".into()],
            default_language: "auto".into(),
            school_year: current_school_year(),
        }
    }
}

/// The school year a date falls in, starting in August: `2026-2027` from August 2026.
pub fn current_school_year() -> String {
    let now = time::OffsetDateTime::now_utc();
    let start = if u8::from(now.month()) >= 8 {
        now.year()
    } else {
        now.year() - 1
    };
    format!("{}-{}", start, start + 1)
}

/// Whether `s` is a school year as offices write it: two consecutive years, `2026-2027`.
pub fn is_school_year(s: &str) -> bool {
    let Some((a, b)) = s.split_once('-') else {
        return false;
    };
    let year = |y: &str| {
        (y.len() == 4 && y.bytes().all(|c| c.is_ascii_digit()))
            .then(|| y.parse::<u32>().ok())
            .flatten()
    };
    matches!((year(a), year(b)), (Some(a), Some(b)) if b == a + 1)
}

/// Whether `s` is a DNS name a certificate and a browser accept: dot-separated labels of
/// lowercase letters, digits and inner dashes (`ent.ecole-jaures.fr`, `cartable`).
pub fn is_dns_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// Splits a host name list as people type it (commas or spaces), lowercased, without
/// duplicates, in the order given.
pub fn parse_host_names(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for h in s.split([',', ' ', '\n', '\r', '\t']) {
        let h = h.trim().trim_end_matches('.').to_lowercase();
        if !h.is_empty() && !out.contains(&h) {
            out.push(h);
        }
    }
    out
}

/// Why settings were refused; each names the message the admin page shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("the school name must be 1 to 100 characters")]
    SchoolName,
    #[error("host name {0:?} is neither a DNS name nor an IP address")]
    HostName(String),
    #[error("at least one host name is needed")]
    NoHostName,
    #[error("the mail domain must be a DNS name")]
    MailDomain,
    #[error("the language must be auto, fr, en, pt or ar")]
    Language,
    #[error("a school year is written like 2026-2027")]
    SchoolYear,
}

impl SettingsError {
    pub fn key(&self) -> &'static str {
        match self {
            SettingsError::SchoolName => "settings_page.error_school_name",
            SettingsError::HostName(_) => "settings_page.error_host_name",
            SettingsError::NoHostName => "settings_page.error_no_host_name",
            SettingsError::MailDomain => "settings_page.error_mail_domain",
            SettingsError::Language => "settings_page.error_language",
            SettingsError::SchoolYear => "settings_page.error_school_year",
        }
    }
}

impl Settings {
    /// Checks settings typed by a person before they are saved.
    pub fn check(&self) -> Result<(), SettingsError> {
        let name = self.school_name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(SettingsError::SchoolName);
        }
        if self.host_names.is_empty() {
            return Err(SettingsError::NoHostName);
        }
        for h in &self.host_names {
            if !is_dns_name(h) && h.parse::<std::net::IpAddr>().is_err() {
                return Err(SettingsError::HostName(h.clone()));
            }
        }
        if !is_dns_name(&self.mail_domain) {
            return Err(SettingsError::MailDomain);
        }
        if self.default_language != "auto"
            && crate::i18n::supported(&self.default_language) != Some(&*self.default_language)
        {
            return Err(SettingsError::Language);
        }
        if !is_school_year(&self.school_year) {
            return Err(SettingsError::SchoolYear);
        }
        Ok(())
    }

    /// The portal's address as printed on login slips: `https://` and the first host name.
    pub fn portal_url(&self) -> String {
        let host = self
            .host_names
            .first()
            .map(String::as_str)
            .unwrap_or("localhost");
        if host.contains(':') {
            format!("https://[{host}]/")
        } else {
            format!("https://{host}/")
        }
    }

    pub fn load(conn: &Connection) -> rusqlite::Result<Settings> {
        let mut s = Settings::default();
        let mut stmt = conn.prepare("SELECT key, value FROM settings")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (key, value) = row?;
            match key.as_str() {
                "school_name" => s.school_name = value,
                "host_names" => {
                    s.host_names = value
                        .split(',')
                        .map(str::to_owned)
                        .filter(|h| !h.is_empty())
                        .collect()
                }
                "mail_domain" => s.mail_domain = value,
                "default_language" => s.default_language = value,
                "school_year" => s.school_year = value,
                _ => {}
            }
        }
        Ok(s)
    }

    pub fn save(&self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        let pairs = [
            ("school_name", self.school_name.clone()),
            ("host_names", self.host_names.join(",")),
            ("mail_domain", self.mail_domain.clone()),
            ("default_language", self.default_language.clone()),
            ("school_year", self.school_year.clone()),
        ];
        put_all(tx, &pairs)
    }
}

/// Writes `key = value` pairs into the settings table, replacing what was there (the school
/// settings here, the mail settings in `mail::settings`).
pub fn put_all(tx: &Transaction<'_>, pairs: &[(&str, String)]) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?;
    for (k, v) in pairs {
        stmt.execute([k, v.as_str()])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_years() {
        assert!(is_school_year("2026-2027"));
        for bad in [
            "2026-2026",
            "2026-2028",
            "2026",
            "26-27",
            "2026 - 2027",
            "abcd-efgh",
            "",
        ] {
            assert!(!is_school_year(bad), "{bad:?}");
        }
        assert!(is_school_year(&current_school_year()));
    }

    #[test]
    fn host_names() {
        assert_eq!(
            parse_host_names(" ENT.ecole.fr, cartable  10.0.0.2,ent.ecole.fr."),
            vec!["ent.ecole.fr", "cartable", "10.0.0.2"]
        );
        assert!(is_dns_name("ent.ecole-jaures.fr"));
        assert!(is_dns_name("cartable"));
        for bad in ["-x.fr", "x-.fr", "a..b", "é.fr", "a_b.fr", "a/b", ""] {
            assert!(!is_dns_name(bad), "{bad:?}");
        }
        assert!(!is_dns_name(&"a".repeat(64)));
    }

    #[test]
    fn checking_settings() {
        let good = Settings {
            school_name: "École Jean Jaurès".into(),
            host_names: vec!["ent.ecole.fr".into(), "192.168.1.10".into(), "::1".into()],
            mail_domain: "ecole.fr".into(),
            default_language: "auto".into(),
            school_year: "2026-2027".into(),
        };
        assert_eq!(good.check(), Ok(()));
        assert_eq!(good.portal_url(), "https://ent.ecole.fr/");
        let bad = |f: fn(&mut Settings)| {
            let mut s = good.clone();
            f(&mut s);
            s.check().unwrap_err()
        };
        assert_eq!(
            bad(|s| s.school_name = " ".into()),
            SettingsError::SchoolName
        );
        assert_eq!(bad(|s| s.host_names.clear()), SettingsError::NoHostName);
        assert_eq!(
            bad(|s| s.host_names.push("bad name".into())),
            SettingsError::HostName("bad name".into())
        );
        assert_eq!(
            bad(|s| s.mail_domain = "x@y".into()),
            SettingsError::MailDomain
        );
        assert_eq!(
            bad(|s| s.default_language = "de".into()),
            SettingsError::Language
        );
        assert_eq!(
            bad(|s| s.default_language = "fr-FR".into()),
            SettingsError::Language
        );
        assert_eq!(
            bad(|s| s.school_year = "2026".into()),
            SettingsError::SchoolYear
        );
        let mut v6 = good.clone();
        v6.host_names = vec!["fe80::1".into()];
        assert_eq!(v6.portal_url(), "https://[fe80::1]/");
    }
}
