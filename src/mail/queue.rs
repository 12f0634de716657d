//! The outbound queue: mail for other domains waits here, on disk and in the database,
//! until the smarthost takes it, however long the school's link is down.
//!
//! One row per external recipient. A pass takes the rows that are due, leasing each so that
//! the server's worker and `cartable mail flush` never send one twice, and hands each to
//! [`relay::send`]. Success removes the row; a 4xx or an unreachable relay schedules the next
//! try (doubling, up to the longest delay); a 5xx, or a message still stuck after the
//! give-up delay, removes it and sends the sender a delivery report.

use super::relay::{self, RelayError};
use super::settings::MailSettings;
use super::store::{self, Envelope};
use crate::db::Db;
use crate::i18n::I18n;
use crate::ids::{MessageId, QueueId, UserId};
use crate::settings::Settings;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How long a delivery may hold its row before another pass may take it.
const LEASE: i64 = 300;

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: QueueId,
    #[serde(skip)]
    pub message: MessageId,
    #[serde(skip)]
    pub file: String,
    pub sender: String,
    #[serde(skip)]
    pub sender_id: Option<UserId>,
    pub recipient: String,
    pub subject: String,
    pub size: i64,
    pub queued_at: i64,
    pub attempts: i64,
    pub next_attempt: i64,
    pub last_error: String,
}

const ITEM: &str =
    "SELECT q.id, q.message_id, m.file, q.sender, q.sender_id, q.recipient, m.subject,
        m.size, q.queued_at, q.attempts, q.next_attempt, q.last_error
     FROM mail_queue q JOIN mail_messages m ON m.id = q.message_id";

fn item(r: &rusqlite::Row<'_>) -> rusqlite::Result<Item> {
    Ok(Item {
        id: r.get(0)?,
        message: r.get(1)?,
        file: r.get(2)?,
        sender: r.get(3)?,
        sender_id: r.get(4)?,
        recipient: r.get(5)?,
        subject: r.get(6)?,
        size: r.get(7)?,
        queued_at: r.get(8)?,
        attempts: r.get(9)?,
        next_attempt: r.get(10)?,
        last_error: r.get(11)?,
    })
}

/// Everything queued, oldest first.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Item>> {
    let mut stmt = conn.prepare_cached(&format!("{ITEM} ORDER BY q.queued_at, q.id"))?;
    let rows = stmt.query_map([], item)?;
    rows.collect()
}

/// How many are queued, and since when the oldest waits.
pub fn stats(conn: &Connection) -> rusqlite::Result<(i64, Option<i64>)> {
    conn.query_row("SELECT count(*), min(queued_at) FROM mail_queue", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
}

/// Makes a queued message (or all of them) due now.
pub fn retry_now(tx: &rusqlite::Transaction<'_>, id: Option<QueueId>) -> rusqlite::Result<usize> {
    let now = crate::now();
    match id {
        Some(id) => tx.execute(
            "UPDATE mail_queue SET next_attempt = ?1 WHERE id = ?2",
            rusqlite::params![now, id],
        ),
        None => tx.execute("UPDATE mail_queue SET next_attempt = ?1", [now]),
    }
}

/// Drops a queued message without sending it. Returns the file to remove, if nothing else
/// uses it, or `None` when there was no such row.
pub fn delete(
    tx: &rusqlite::Transaction<'_>,
    id: QueueId,
) -> rusqlite::Result<Option<Vec<String>>> {
    let msg: Option<MessageId> = tx
        .query_row(
            "DELETE FROM mail_queue WHERE id = ?1 RETURNING message_id",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    match msg {
        Some(m) => Ok(Some(store::release(tx, m)?.into_iter().collect())),
        None => Ok(None),
    }
}

/// Forgets leases left by a process that died mid-delivery; called when the server starts.
pub fn release_leases(db: &Db) -> crate::db::Result<()> {
    db.write_blocking(|tx| {
        tx.execute("UPDATE mail_queue SET lease_until = 0", [])?;
        Ok(())
    })
}

/// What became of one queued message in a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    Deferred(String),
    Bounced(String),
}

/// What a pass needs: the database, the data directory, and words for delivery reports.
#[derive(Clone)]
pub struct Queue {
    pub db: Db,
    pub data_dir: PathBuf,
    pub i18n: Arc<I18n>,
    /// Wakes the worker when new mail is queued or a retry is asked for.
    pub wake: Arc<Notify>,
}

impl Queue {
    pub fn new(db: Db, data_dir: &Path, i18n: Arc<I18n>) -> Queue {
        Queue {
            db,
            data_dir: data_dir.to_owned(),
            i18n,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Runs the queue for as long as the server runs.
    pub fn spawn_worker(&self) {
        let q = self.clone();
        tokio::spawn(async move {
            loop {
                let wait = match q.pass(false).await {
                    Ok((_, next)) => next
                        .map(|t| (t - crate::now()).clamp(1, 300) as u64)
                        .unwrap_or(300),
                    Err(e) => {
                        log::error!("mail queue: {e}");
                        60
                    }
                };
                tokio::select! {
                    _ = q.wake.notified() => {}
                    _ = tokio::time::sleep(Duration::from_secs(wait)) => {}
                }
            }
        });
    }

    /// Tries every due message (every message, with `all`), one after the other. Returns
    /// what happened to each, and when the next one is due.
    pub async fn pass(&self, all: bool) -> crate::db::Result<(Vec<(Item, Outcome)>, Option<i64>)> {
        let (settings, mail) = self
            .db
            .read(|c| Ok((Settings::load(c)?, MailSettings::load(c)?)))
            .await?;
        let claimed = self
            .db
            .write(move |tx| {
                let now = crate::now();
                let due = if all { i64::MAX } else { now };
                let mut stmt = tx.prepare_cached(&format!(
                    "{ITEM} WHERE q.next_attempt <= ?1 AND q.lease_until < ?2 ORDER BY q.next_attempt, q.id LIMIT 100"
                ))?;
                let items: Vec<Item> = stmt
                    .query_map(rusqlite::params![due, now], item)?
                    .collect::<rusqlite::Result<_>>()?;
                for i in &items {
                    tx.execute(
                        "UPDATE mail_queue SET lease_until = ?1 WHERE id = ?2",
                        rusqlite::params![now + LEASE, i.id],
                    )?;
                }
                Ok(items)
            })
            .await?;
        let helo = settings
            .host_names
            .first()
            .cloned()
            .unwrap_or_else(|| settings.mail_domain.clone());
        let mut out = Vec::new();
        for it in claimed {
            let sent = match store::read_file(&self.data_dir, &it.file) {
                Ok(raw) => relay::send(&mail, &helo, &it.sender, &it.recipient, &raw)
                    .await
                    .map_err(|e| (e, raw)),
                Err(e) => Err((
                    RelayError::Permanent(format!("the stored message is unreadable: {e}")),
                    Vec::new(),
                )),
            };
            let outcome = self.settle(&settings, &mail, &it, sent).await?;
            match &outcome {
                Outcome::Delivered => log::info!("mail {} to {} relayed", it.id, it.recipient),
                Outcome::Deferred(e) => {
                    log::warn!("mail {} to {} deferred: {e}", it.id, it.recipient)
                }
                Outcome::Bounced(e) => {
                    log::warn!("mail {} to {} returned to sender: {e}", it.id, it.recipient)
                }
            }
            out.push((it, outcome));
        }
        let next = self
            .db
            .read(
                |c| Ok(c.query_row("SELECT min(next_attempt) FROM mail_queue", [], |r| r.get(0))?),
            )
            .await?;
        Ok((out, next))
    }

    async fn settle(
        &self,
        settings: &Settings,
        mail: &MailSettings,
        it: &Item,
        sent: Result<(), (RelayError, Vec<u8>)>,
    ) -> crate::db::Result<Outcome> {
        let now = crate::now();
        let refused = matches!(sent, Err((RelayError::Permanent(_), _)));
        let (outcome, raw) = match sent {
            Ok(()) => (Outcome::Delivered, Vec::new()),
            Err((RelayError::Permanent(e), raw)) => (Outcome::Bounced(e), raw),
            Err((RelayError::Transient(e), raw)) => {
                if now - it.queued_at >= mail.give_up as i64 {
                    let days = (mail.give_up as f64 / 86400.0).max(0.0);
                    (
                        Outcome::Bounced(format!(
                            "{e} (still undelivered after {days:.1} days; gave up)"
                        )),
                        raw,
                    )
                } else {
                    (Outcome::Deferred(e), raw)
                }
            }
        };
        if let Outcome::Deferred(e) = &outcome {
            let next = now + mail.retry_delay(it.attempts as u32) as i64;
            let (id, e) = (it.id, e.clone());
            self.db
                .write(move |tx| {
                    tx.execute(
                        "UPDATE mail_queue SET attempts = attempts + 1, next_attempt = ?1,
                           last_error = ?2, lease_until = 0 WHERE id = ?3",
                        rusqlite::params![next, e, id],
                    )?;
                    Ok(())
                })
                .await?;
            return Ok(outcome);
        }
        if let Outcome::Bounced(reason) = &outcome {
            let status = super::compose::enhanced_status(reason, refused);
            self.report(settings, it, &raw, reason, &status).await;
        }
        let id = it.id;
        let files = self
            .db
            .write(move |tx| Ok(delete(tx, id)?.unwrap_or_default()))
            .await?;
        store::remove_files(&self.data_dir, &files);
        Ok(outcome)
    }

    /// Puts a delivery report in the sender's inbox (never for a bounce, which has no sender).
    async fn report(&self, settings: &Settings, it: &Item, raw: &[u8], reason: &str, status: &str) {
        let Some(sender) = it.sender_id.filter(|_| !it.sender.is_empty()) else {
            return;
        };
        let lang: Option<String> = self
            .db
            .read(move |c| {
                Ok(
                    c.query_row("SELECT language FROM users WHERE id = ?1", [sender], |r| {
                        r.get(0)
                    })
                    .optional()?
                    .flatten(),
                )
            })
            .await
            .ok()
            .flatten();
        let lang = lang.unwrap_or_else(|| crate::i18n::school_default(settings).into());
        let text = super::compose::ReportText {
            subject: self.i18n.format_plain(
                &lang,
                "mail.bounce_subject",
                &[("subject", &it.subject)],
            ),
            explanation: self.i18n.format_plain(
                &lang,
                "mail.bounce_text",
                &[("recipient", &it.recipient)],
            ),
        };
        let host = settings.host_names.first().cloned().unwrap_or_default();
        let report = super::compose::bounce(
            &settings.mail_domain,
            &host,
            &it.sender,
            &it.recipient,
            raw,
            reason,
            status,
            it.queued_at,
            &text,
        );
        let env = Envelope {
            local: vec![sender],
            ..Envelope::default()
        };
        if let Err(e) = store::accept(&self.db, &self.data_dir, env, report).await {
            log::error!("could not deliver the report on mail {}: {e}", it.id);
        }
    }
}
