//! Reading mailboxes: the inbox and sent lists, one message opened for reading, marking it
//! read, deleting it. Every query is scoped by the owner's id: an entry number from another
//! mailbox finds nothing, exactly like one that does not exist.

use crate::ids::{EntryId, MessageId, UserId};
use mail_parser::{MessageParser, MimeHeaders};
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    Inbox,
    Sent,
}

impl Folder {
    pub fn as_str(self) -> &'static str {
        match self {
            Folder::Inbox => "inbox",
            Folder::Sent => "sent",
        }
    }
}

/// One line of a mailbox list.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: EntryId,
    #[serde(skip)]
    pub message: MessageId,
    #[serde(skip)]
    pub file: String,
    pub folder: String,
    pub seen: bool,
    pub at: i64,
    pub from_addr: String,
    pub from_name: String,
    pub to_display: String,
    pub subject: String,
    pub has_attachments: bool,
    pub size: i64,
}

const ENTRY: &str =
    "SELECT e.id, e.message_id, m.file, e.folder, e.seen, e.at, m.from_addr, m.from_name,
        m.to_display, m.subject, m.has_attachments, m.size
     FROM mail_entries e JOIN mail_messages m ON m.id = e.message_id";

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: r.get(0)?,
        message: r.get(1)?,
        file: r.get(2)?,
        folder: r.get(3)?,
        seen: r.get(4)?,
        at: r.get(5)?,
        from_addr: r.get(6)?,
        from_name: r.get(7)?,
        to_display: r.get(8)?,
        subject: r.get(9)?,
        has_attachments: r.get(10)?,
        size: r.get(11)?,
    })
}

pub const PAGE: u32 = 50;

/// A page of a folder, newest first, and whether there are more.
pub fn list(
    conn: &Connection,
    user: UserId,
    folder: Folder,
    page: u32,
) -> rusqlite::Result<(Vec<Entry>, bool)> {
    let sql = format!(
        "{ENTRY} WHERE e.user_id = ?1 AND e.folder = ?2 ORDER BY e.at DESC, e.id DESC LIMIT ?3 OFFSET ?4"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        rusqlite::params![user, folder.as_str(), PAGE + 1, page * PAGE],
        entry,
    )?;
    let mut out: Vec<Entry> = rows.collect::<rusqlite::Result<_>>()?;
    let more = out.len() > PAGE as usize;
    out.truncate(PAGE as usize);
    Ok((out, more))
}

pub fn unread(conn: &Connection, user: UserId) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "SELECT count(*) FROM mail_entries WHERE user_id = ?1 AND folder = 'inbox' AND seen = 0",
    )?
    .query_row([user], |r| r.get(0))
}

/// One entry of this user's, or `None` (also for someone else's).
pub fn get(conn: &Connection, user: UserId, id: EntryId) -> rusqlite::Result<Option<Entry>> {
    let sql = format!("{ENTRY} WHERE e.user_id = ?1 AND e.id = ?2");
    conn.prepare_cached(&sql)?
        .query_row(rusqlite::params![user, id], entry)
        .optional()
}

pub fn mark_seen(tx: &Transaction<'_>, user: UserId, id: EntryId) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE mail_entries SET seen = 1 WHERE user_id = ?1 AND id = ?2 AND seen = 0",
        rusqlite::params![user, id],
    )?;
    Ok(())
}

/// Deletes entries of this user's; returns how many went and the files no longer used (to
/// remove after commit).
pub fn delete(
    tx: &Transaction<'_>,
    user: UserId,
    ids: &[EntryId],
) -> rusqlite::Result<(usize, Vec<String>)> {
    let mut files = Vec::new();
    let mut n = 0;
    for id in ids {
        let msg: Option<MessageId> = tx
            .query_row(
                "DELETE FROM mail_entries WHERE user_id = ?1 AND id = ?2 RETURNING message_id",
                rusqlite::params![user, id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(m) = msg {
            n += 1;
            files.extend(super::store::release(tx, m)?);
        }
    }
    Ok((n, files))
}

/// An attachment as a reader sees it in the list.
#[derive(Debug, Clone, Serialize)]
pub struct AttachmentInfo {
    pub index: usize,
    pub name: String,
    pub size: usize,
    pub content_type: String,
}

/// A message opened for reading: its headers decoded, its text, its attachments.
#[derive(Debug, Clone, Serialize, Default)]
pub struct View {
    pub from: String,
    pub from_addr: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub reply_to: String,
    pub subject: String,
    pub date: Option<i64>,
    pub message_id: String,
    pub references: Vec<String>,
    /// The plain text; an HTML-only message is turned into text, never rendered as HTML.
    pub text: String,
    pub attachments: Vec<AttachmentInfo>,
}

fn addresses(a: Option<&mail_parser::Address<'_>>) -> Vec<String> {
    a.map(|a| {
        a.iter()
            .map(|x| match (x.name(), x.address()) {
                (Some(n), Some(ad)) => format!("{n} <{ad}>"),
                (None, Some(ad)) => ad.to_owned(),
                (Some(n), None) => n.to_owned(),
                (None, None) => String::new(),
            })
            .collect()
    })
    .unwrap_or_default()
}

fn content_type(p: &mail_parser::MessagePart<'_>) -> String {
    p.content_type()
        .map(|c| match c.subtype() {
            Some(s) => format!("{}/{}", c.ctype(), s),
            None => c.ctype().to_owned(),
        })
        .unwrap_or_else(|| "application/octet-stream".into())
        .to_ascii_lowercase()
}

pub fn view(raw: &[u8]) -> View {
    let Some(msg) = MessageParser::default().parse(raw) else {
        return View {
            text: String::from_utf8_lossy(raw).into_owned(),
            ..View::default()
        };
    };
    let from = msg.from().and_then(|a| a.first());
    let text = if msg.text_body_count() > 0 {
        (0..msg.text_body_count())
            .filter_map(|i| msg.body_text(i))
            .collect::<Vec<_>>()
            .join("\n\n")
    } else {
        msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default()
    };
    View {
        from: from
            .and_then(|a| a.name().or(a.address()))
            .unwrap_or_default()
            .to_owned(),
        from_addr: from
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_owned(),
        to: addresses(msg.to()),
        cc: addresses(msg.cc()),
        reply_to: msg
            .reply_to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_owned(),
        subject: msg.subject().unwrap_or_default().to_owned(),
        date: msg.date().map(|d| d.to_timestamp()),
        message_id: msg.message_id().unwrap_or_default().to_owned(),
        references: msg
            .references()
            .as_text_list()
            .map(|l| l.iter().map(|s| s.to_string()).collect())
            .or_else(|| msg.references().as_text().map(|s| vec![s.to_owned()]))
            .unwrap_or_default(),
        text,
        attachments: msg
            .attachments()
            .enumerate()
            .map(|(index, p)| AttachmentInfo {
                index,
                name: attachment_name(p, index),
                size: p.contents().len(),
                content_type: content_type(p),
            })
            .collect(),
    }
}

fn attachment_name(p: &mail_parser::MessagePart<'_>, index: usize) -> String {
    let name = p.attachment_name().unwrap_or_default();
    let clean: String = name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'))
        .collect();
    if clean.trim().is_empty() {
        format!("attachment-{}", index + 1)
    } else {
        clean
    }
}

/// The attachment at `index`: its file name, type and decoded bytes.
pub fn attachment(raw: &[u8], index: usize) -> Option<(String, String, Vec<u8>)> {
    let msg = MessageParser::default().parse(raw)?;
    let p = msg.attachments().nth(index)?;
    Some((
        attachment_name(p, index),
        content_type(p),
        p.contents().to_vec(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_a_multipart_message() {
        let raw = b"From: Prof <prof@ecole.fr>\r\nTo: a@ecole.fr\r\nSubject: Devoir\r\n\
Message-ID: <m1@ecole.fr>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=XX\r\n\r\n\
--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nVoici le sujet.\r\n\
--XX\r\nContent-Type: application/pdf; name=\"sujet/../x.pdf\"\r\n\
Content-Disposition: attachment; filename=\"sujet/../x.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nSGVsbG8=\r\n--XX--\r\n";
        let v = view(raw);
        assert_eq!(v.from, "Prof");
        assert_eq!(v.subject, "Devoir");
        assert_eq!(v.text.trim(), "Voici le sujet.");
        assert_eq!(v.attachments.len(), 1);
        assert_eq!(v.attachments[0].name, "sujet..x.pdf");
        assert_eq!(v.attachments[0].content_type, "application/pdf");
        let (name, ct, bytes) = attachment(raw, 0).unwrap();
        assert_eq!(
            (name.as_str(), ct.as_str(), &bytes[..]),
            ("sujet..x.pdf", "application/pdf", &b"Hello"[..])
        );
        assert!(attachment(raw, 1).is_none());
    }

    #[test]
    fn html_only_mail_becomes_text() {
        let raw = b"Subject: x\r\nContent-Type: text/html\r\n\r\n<p>Hello <script>alert(1)</script><b>there</b></p>";
        let v = view(raw);
        assert!(v.text.contains("there"), "{:?}", v.text);
        assert!(!v.text.contains("<b>"));
    }
}
