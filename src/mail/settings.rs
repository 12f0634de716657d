//! The school's mail settings: who may write where, how big a message may be, and how mail
//! for the outside world leaves (the smarthost and its retry schedule).
//!
//! They live in the `settings` table beside the school's other settings, under `mail_` keys,
//! and are read afresh where they are needed (a new SMTP session, each pass of the queue), so
//! a change from the admin page or the command line applies without a restart.

use rusqlite::{Connection, Transaction};
use serde::Serialize;

/// How the connection to the smarthost is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RelayTls {
    /// Plain SMTP: only for a relay on the same network or machine.
    None,
    /// STARTTLS is required (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

impl RelayTls {
    pub fn as_str(self) -> &'static str {
        match self {
            RelayTls::None => "none",
            RelayTls::StartTls => "starttls",
            RelayTls::Tls => "tls",
        }
    }
    pub fn parse(s: &str) -> Option<RelayTls> {
        match s {
            "none" => Some(RelayTls::None),
            "starttls" => Some(RelayTls::StartTls),
            "tls" => Some(RelayTls::Tls),
            _ => None,
        }
    }
}

/// Who may write to a class's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClassListWriters {
    /// The class's teachers and the office.
    Teachers,
    /// Those, and the class's own pupils.
    Members,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MailSettings {
    /// The largest message accepted, in bytes (advertised as SIZE).
    pub max_size: u64,
    pub pupils_outside: bool,
    pub class_lists: ClassListWriters,
    /// The smarthost; `None` means mail cannot leave the school and outside addresses are
    /// refused when a message is sent rather than failing days later.
    pub relay_host: Option<String>,
    pub relay_port: u16,
    pub relay_tls: RelayTls,
    pub relay_user: String,
    #[serde(skip)]
    pub relay_password: String,
    /// First retry delay, doubling up to `retry_max`; given up after `give_up` (seconds).
    pub retry_first: u64,
    pub retry_max: u64,
    pub give_up: u64,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            max_size: 10 * 1024 * 1024,
            pupils_outside: false,
            class_lists: ClassListWriters::Teachers,
            relay_host: None,
            relay_port: 587,
            relay_tls: RelayTls::StartTls,
            relay_user: String::new(),
            relay_password: String::new(),
            retry_first: 300,
            retry_max: 3600,
            give_up: 5 * 24 * 3600,
        }
    }
}

/// Why mail settings were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailSettingsError {
    #[error("the relay host must be a DNS name or an IP address")]
    RelayHost,
    #[error("the relay port must be between 1 and 65535")]
    RelayPort,
    #[error("the largest message must be between 64 KiB and 100 MiB")]
    MaxSize,
    #[error(
        "retry delays must be at least one second, the first no longer than the longest, and giving up later than the first retry"
    )]
    Retry,
}

impl MailSettingsError {
    pub fn key(&self) -> &'static str {
        match self {
            MailSettingsError::RelayHost => "mail_settings.error_relay_host",
            MailSettingsError::RelayPort => "mail_settings.error_relay_port",
            MailSettingsError::MaxSize => "mail_settings.error_max_size",
            MailSettingsError::Retry => "mail_settings.error_retry",
        }
    }
}

impl MailSettings {
    pub fn check(&self) -> Result<(), MailSettingsError> {
        if let Some(h) = &self.relay_host
            && !crate::settings::is_dns_name(h)
            && h.parse::<std::net::IpAddr>().is_err()
        {
            return Err(MailSettingsError::RelayHost);
        }
        if self.relay_port == 0 {
            return Err(MailSettingsError::RelayPort);
        }
        if !(64 * 1024..=100 * 1024 * 1024).contains(&self.max_size) {
            return Err(MailSettingsError::MaxSize);
        }
        if self.retry_first == 0
            || self.retry_first > self.retry_max
            || self.give_up < self.retry_first
        {
            return Err(MailSettingsError::Retry);
        }
        Ok(())
    }

    /// The delay before attempt number `attempts + 1`: the first delay, doubled after each
    /// failure, never longer than the longest.
    pub fn retry_delay(&self, attempts: u32) -> u64 {
        let doubled = self
            .retry_first
            .saturating_mul(1u64.checked_shl(attempts.min(32)).unwrap_or(u64::MAX));
        doubled.min(self.retry_max)
    }

    pub fn load(conn: &Connection) -> rusqlite::Result<MailSettings> {
        let mut s = MailSettings::default();
        let mut stmt =
            conn.prepare("SELECT key, value FROM settings WHERE key LIKE 'mail\\_%' ESCAPE '\\'")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (key, value) = row?;
            let num = |d: u64| value.parse().unwrap_or(d);
            match key.as_str() {
                "mail_max_size" => s.max_size = num(s.max_size),
                "mail_pupils_outside" => s.pupils_outside = value == "1",
                "mail_class_lists" => {
                    s.class_lists = if value == "members" {
                        ClassListWriters::Members
                    } else {
                        ClassListWriters::Teachers
                    }
                }
                "mail_relay_host" => s.relay_host = Some(value).filter(|v| !v.is_empty()),
                "mail_relay_port" => s.relay_port = value.parse().unwrap_or(s.relay_port),
                "mail_relay_tls" => s.relay_tls = RelayTls::parse(&value).unwrap_or(s.relay_tls),
                "mail_relay_user" => s.relay_user = value,
                "mail_relay_password" => s.relay_password = value,
                "mail_retry_first" => s.retry_first = num(s.retry_first),
                "mail_retry_max" => s.retry_max = num(s.retry_max),
                "mail_give_up" => s.give_up = num(s.give_up),
                _ => {}
            }
        }
        Ok(s)
    }

    pub fn save(&self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        let pairs = [
            ("mail_max_size", self.max_size.to_string()),
            (
                "mail_pupils_outside",
                if self.pupils_outside { "1" } else { "0" }.into(),
            ),
            (
                "mail_class_lists",
                match self.class_lists {
                    ClassListWriters::Teachers => "teachers",
                    ClassListWriters::Members => "members",
                }
                .into(),
            ),
            (
                "mail_relay_host",
                self.relay_host.clone().unwrap_or_default(),
            ),
            ("mail_relay_port", self.relay_port.to_string()),
            ("mail_relay_tls", self.relay_tls.as_str().into()),
            ("mail_relay_user", self.relay_user.clone()),
            ("mail_relay_password", self.relay_password.clone()),
            ("mail_retry_first", self.retry_first.to_string()),
            ("mail_retry_max", self.retry_max.to_string()),
            ("mail_give_up", self.give_up.to_string()),
        ];
        crate::settings::put_all(tx, &pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_schedule_doubles_up_to_the_longest() {
        let s = MailSettings::default();
        let delays: Vec<u64> = (0..6).map(|a| s.retry_delay(a)).collect();
        assert_eq!(delays, [300, 600, 1200, 2400, 3600, 3600]);
        assert_eq!(s.retry_delay(200), 3600);
    }

    #[test]
    fn checks() {
        let good = MailSettings::default();
        assert_eq!(good.check(), Ok(()));
        let bad = |f: fn(&mut MailSettings)| {
            let mut s = good.clone();
            f(&mut s);
            s.check().unwrap_err()
        };
        assert_eq!(
            bad(|s| s.relay_host = Some("a b".into())),
            MailSettingsError::RelayHost
        );
        assert_eq!(bad(|s| s.relay_port = 0), MailSettingsError::RelayPort);
        assert_eq!(bad(|s| s.max_size = 10), MailSettingsError::MaxSize);
        assert_eq!(bad(|s| s.retry_first = 0), MailSettingsError::Retry);
        assert_eq!(bad(|s| s.retry_max = 10), MailSettingsError::Retry);
    }
}
