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

impl Settings {
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
        for (k, v) in pairs {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [k, &v],
            )?;
        }
        Ok(())
    }
}
