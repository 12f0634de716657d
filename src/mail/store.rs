//! Accepting a message: the RFC 5322 file on disk first, fsynced, then one transaction that
//! lists it in each local recipient's inbox, the sender's sent folder and the outbound queue.
//! Only when both are durable does the door say yes (an SMTP 250, a "sent" page).

use super::MailError;
use crate::db::Db;
use crate::ids::{MessageId, UserId};
use mail_parser::MessageParser;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Who a message is from and where it goes, as the door worked it out.
#[derive(Debug, Clone, Default)]
pub struct Envelope {
    /// The envelope sender (`MAIL FROM`), empty for a bounce.
    pub from: String,
    /// The account that sent it, if it was sent by one (it gets a copy in its sent folder).
    pub sender: Option<UserId>,
    /// Local mailboxes, without duplicates.
    pub local: Vec<UserId>,
    /// Addresses outside the school, for the queue.
    pub outside: Vec<String>,
}

impl Envelope {
    pub fn add_local(&mut self, users: &[UserId]) {
        for u in users {
            if !self.local.contains(u) {
                self.local.push(*u);
            }
        }
    }
    pub fn add_outside(&mut self, addr: String) {
        if !self.outside.iter().any(|a| a.eq_ignore_ascii_case(&addr)) {
            self.outside.push(addr);
        }
    }
    pub fn recipients(&self) -> usize {
        self.local.len() + self.outside.len()
    }
}

/// What the mailbox lists show of a message, read once from its headers when it arrives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub from_addr: String,
    pub from_name: String,
    pub to_display: String,
    pub subject: String,
    pub message_id: String,
    pub has_attachments: bool,
}

fn clip(s: &str, max: usize) -> String {
    let s: String = s.chars().filter(|c| !c.is_control()).collect();
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

/// What the lists show of a message: its header fields, read from the header block alone,
/// and whether a MIME part of its body is an attachment, found by a scan of its lines. The body
/// is not parsed (nor its attachments decoded), so the summary costs no copy of a large
/// message, the same whether it came by SMTP (see [`super::spool`]) or from the webmail.
pub fn summarize(raw: &[u8]) -> Summary {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(raw.len(), |i| i + 4);
    let mut s = summarize_headers(&raw[..end]);
    s.has_attachments = raw[end..]
        .split(|&b| b == b'\n')
        .any(|l| super::spool::is_attachment_header(l.strip_suffix(b"\r").unwrap_or(l)));
    s
}

/// The summary of a header block (ending with its empty line); `has_attachments` is left to
/// the caller, who sees the body.
pub fn summarize_headers(headers: &[u8]) -> Summary {
    let Some(msg) = MessageParser::default().parse(headers) else {
        return Summary::default();
    };
    let from = msg.from().and_then(|a| a.first());
    let to: Vec<String> = msg
        .to()
        .into_iter()
        .chain(msg.cc())
        .flat_map(|a| a.iter())
        .map(|a| a.name().or(a.address()).unwrap_or_default().to_owned())
        .collect();
    Summary {
        from_addr: clip(from.and_then(|a| a.address()).unwrap_or_default(), 254),
        from_name: clip(from.and_then(|a| a.name()).unwrap_or_default(), 100),
        to_display: clip(&to.join(", "), 200),
        subject: clip(msg.subject().unwrap_or_default(), 250),
        message_id: clip(msg.message_id().unwrap_or_default(), 250),
        has_attachments: false,
    }
}

pub fn store_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("mail").join("store")
}

/// The folder of the store a message named `token` goes in, made durable if it is new.
fn shard_dir(data_dir: &Path, token: &str) -> std::io::Result<PathBuf> {
    let store = store_dir(data_dir);
    let dir = store.join(&token[..2]);
    if !dir.is_dir() {
        std::fs::create_dir_all(&dir)?;
        std::fs::File::open(&store)?.sync_all()?;
    }
    Ok(dir)
}

/// Moves a message written and fsynced elsewhere on the same file system (a spool file) into
/// the store under `token`, and makes its new name durable.
pub fn move_in(data_dir: &Path, from: &Path, token: &str) -> std::io::Result<String> {
    let dir = shard_dir(data_dir, token)?;
    let rel = format!("{}/{token}.eml", &token[..2]);
    std::fs::rename(from, store_dir(data_dir).join(&rel))?;
    std::fs::File::open(&dir)?.sync_all()?;
    Ok(rel)
}

/// Writes the message under a fresh random name and makes it durable: the file's data, and
/// its entry in its folder.
fn write_file(data_dir: &Path, raw: &[u8]) -> std::io::Result<String> {
    let store = store_dir(data_dir);
    let token = crate::random_token(16);
    let shard = &token[..2];
    let dir = shard_dir(data_dir, &token)?;
    let rel = format!("{shard}/{token}.eml");
    let path = store.join(&rel);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    let written = f.write_all(raw).and_then(|_| f.sync_all());
    if let Err(e) = written.and_then(|_| std::fs::File::open(&dir)?.sync_all()) {
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    Ok(rel)
}

/// Stores and files a message, blocking (call it from a blocking thread). When it returns
/// `Ok`, the message is on disk and in every mailbox and queue it was meant for.
pub fn accept_blocking(
    db: &Db,
    data_dir: &Path,
    env: &Envelope,
    raw: &[u8],
) -> Result<MessageId, MailError> {
    if env.recipients() == 0 && env.sender.is_none() {
        return Err(MailError::NoRecipients);
    }
    let summary = summarize(raw);
    let rel = write_file(data_dir, raw).map_err(MailError::Io)?;
    file_message(db, data_dir, env, rel, raw.len() as u64, summary)
}

/// Lists a message already in the store (at `rel`) in every mailbox and queue `env` names, in
/// one transaction; removes the file when that fails, so nothing is left unlisted.
pub fn file_message(
    db: &Db,
    data_dir: &Path,
    env: &Envelope,
    rel: String,
    size: u64,
    summary: Summary,
) -> Result<MessageId, MailError> {
    if env.recipients() == 0 && env.sender.is_none() {
        let _ = std::fs::remove_file(store_dir(data_dir).join(&rel));
        return Err(MailError::NoRecipients);
    }
    let env = env.clone();
    let size = size as i64;
    let file = rel.clone();
    let stored = db.write_blocking(move |tx| {
        let now = crate::now();
        tx.prepare_cached(
            "INSERT INTO mail_messages (file, size, received_at, from_addr, from_name, to_display,
               subject, message_id, has_attachments)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(rusqlite::params![
            file,
            size,
            now,
            summary.from_addr,
            summary.from_name,
            summary.to_display,
            summary.subject,
            summary.message_id,
            summary.has_attachments
        ])?;
        let id = MessageId(tx.last_insert_rowid());
        let mut entry = tx.prepare_cached(
            "INSERT INTO mail_entries (user_id, message_id, folder, seen, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for u in &env.local {
            entry.execute(rusqlite::params![u, id, "inbox", false, now])?;
        }
        if let Some(s) = env.sender {
            entry.execute(rusqlite::params![s, id, "sent", true, now])?;
        }
        let mut queue = tx.prepare_cached(
            "INSERT INTO mail_queue (message_id, sender, sender_id, recipient, queued_at, next_attempt)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        )?;
        for r in &env.outside {
            queue.execute(rusqlite::params![id, env.from, env.sender, r, now])?;
        }
        Ok(id)
    });
    match stored {
        Ok(id) => Ok(id),
        Err(e) => {
            let _ = std::fs::remove_file(store_dir(data_dir).join(&rel));
            Err(MailError::Db(e))
        }
    }
}

/// [`accept_blocking`] from async code.
pub async fn accept(
    db: &Db,
    data_dir: &Path,
    env: Envelope,
    raw: Vec<u8>,
) -> Result<MessageId, MailError> {
    let db = db.clone();
    let data_dir = data_dir.to_owned();
    tokio::task::spawn_blocking(move || accept_blocking(&db, &data_dir, &env, &raw))
        .await
        .map_err(|e| MailError::Db(crate::db::Error::Task(e.to_string())))?
}

/// Removes a message's row and file once nothing lists or queues it any more. Returns the
/// file to delete after the transaction commits.
pub fn release(tx: &rusqlite::Transaction<'_>, id: MessageId) -> rusqlite::Result<Option<String>> {
    let used: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM mail_entries WHERE message_id = ?1)
             OR EXISTS (SELECT 1 FROM mail_queue WHERE message_id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    if used {
        return Ok(None);
    }
    let file: Option<String> = rusqlite::OptionalExtension::optional(tx.query_row(
        "DELETE FROM mail_messages WHERE id = ?1 RETURNING file",
        [id],
        |r| r.get(0),
    ))?;
    Ok(file)
}

/// Removes what a crash can leave of messages being received: spool files in `mail/tmp/`, and
/// files in the store that no row lists (written, but the server died before their
/// transaction committed, so no one was ever told they were accepted). Run at start, before
/// any door opens. Returns how many files went.
pub fn sweep(db: &Db, data_dir: &Path) -> Result<usize, MailError> {
    let mut removed = 0;
    if let Ok(entries) = std::fs::read_dir(super::spool::tmp_dir(data_dir)) {
        for e in entries.flatten() {
            if std::fs::remove_file(e.path()).is_ok() {
                removed += 1;
            }
        }
    }
    let store = store_dir(data_dir);
    let Ok(shards) = std::fs::read_dir(&store) else {
        return Ok(removed);
    };
    let known: std::collections::HashSet<String> = db.read_blocking(|c| {
        let mut st = c.prepare("SELECT file FROM mail_messages")?;
        let files = st.query_map([], |r| r.get(0))?;
        Ok(files.collect::<rusqlite::Result<_>>()?)
    })?;
    for shard in shards.flatten() {
        let Ok(files) = std::fs::read_dir(shard.path()) else {
            continue;
        };
        for f in files.flatten() {
            let rel = format!(
                "{}/{}",
                shard.file_name().to_string_lossy(),
                f.file_name().to_string_lossy()
            );
            if !known.contains(&rel) && std::fs::remove_file(f.path()).is_ok() {
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// Deletes files [`release`] gave back, after their rows are gone for good.
pub fn remove_files(data_dir: &Path, files: &[String]) {
    for f in files {
        if let Err(e) = std::fs::remove_file(store_dir(data_dir).join(f)) {
            log::warn!("could not delete mail file {f}: {e}");
        }
    }
}

/// Reads a stored message's bytes.
pub fn read_file(data_dir: &Path, rel: &str) -> Result<Vec<u8>, MailError> {
    std::fs::read(store_dir(data_dir).join(rel)).map_err(MailError::Io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_a_message() {
        let raw = b"From: =?utf-8?q?Fran=C3=A7oise_Diallo?= <f.diallo@ecole.fr>\r\n\
To: Amina <amina@ecole.fr>, classe+6e-a@ecole.fr\r\n\
Subject: Sortie au mus\xc3\xa9e\r\n\
Message-ID: <abc@ecole.fr>\r\n\
\r\n\
Bonjour\r\n";
        let s = summarize(raw);
        assert_eq!(s.from_addr, "f.diallo@ecole.fr");
        assert_eq!(s.from_name, "Françoise Diallo");
        assert_eq!(s.to_display, "Amina, classe+6e-a@ecole.fr");
        assert_eq!(s.subject, "Sortie au musée");
        assert_eq!(s.message_id, "abc@ecole.fr");
        assert!(!s.has_attachments);
        assert_eq!(summarize(b"").subject, "");
        let with = b"Subject: a\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\
Content-Disposition: attachment; filename=a.pdf\r\n\r\nAAAA\r\n--x--\r\n";
        let s = summarize(with);
        assert!(s.has_attachments);
        assert_eq!(s.subject, "a");
    }
}
