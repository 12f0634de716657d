//! A message arriving line by line (SMTP's DATA) goes to disk as it comes, never whole into
//! memory: a hundred clients each sending 10 MiB at once would otherwise take a gigabyte on a
//! board that has one. Memory per message is a write buffer and the headers (capped), which
//! are all that the mailbox lists need.
//!
//! The message is written under `mail/tmp/`, on the same file system as `mail/store/`, then
//! fsynced and renamed into the store and filed in one transaction (see [`super::store`]).
//! Whatever a crash leaves in `mail/tmp/`, or in the store without a row, is swept at the next
//! start ([`super::store::sweep`]).

use super::MailError;
use super::store::{self, Envelope, Summary};
use crate::db::Db;
use crate::ids::MessageId;
use std::path::{Path, PathBuf};
use tokio::io::{AsyncWriteExt, BufWriter};

/// The header block kept in memory for the summary; longer blocks are cut (Postfix's
/// `header_size_limit` is 100 KiB too).
const HEADER_CAP: usize = 100 * 1024;
/// The write buffer: writes reach the file system in pieces of this size.
const WRITE_BUFFER: usize = 64 * 1024;

pub fn tmp_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("mail").join("tmp")
}

/// A message being received.
pub struct Spool {
    path: PathBuf,
    token: String,
    file: BufWriter<tokio::fs::File>,
    /// Bytes of the message written so far (without the trace header).
    len: u64,
    trace_len: u64,
    headers: Vec<u8>,
    in_headers: bool,
    attachments: bool,
}

/// A message on disk, fsynced, waiting to be filed.
pub struct Spooled {
    path: PathBuf,
    token: String,
    /// The file's size, trace header included.
    size: u64,
    pub summary: Summary,
}

impl Spool {
    /// Starts a message in `mail/tmp/` with `trace` (the Received: header) before it.
    pub async fn create(data_dir: &Path, trace: &[u8]) -> std::io::Result<Spool> {
        let dir = tmp_dir(data_dir);
        tokio::fs::create_dir_all(&dir).await?;
        let token = crate::random_token(16);
        let path = dir.join(format!("{token}.part"));
        let f = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await?;
        let mut spool = Spool {
            path,
            token,
            file: BufWriter::with_capacity(WRITE_BUFFER, f),
            len: 0,
            trace_len: trace.len() as u64,
            headers: Vec::new(),
            in_headers: true,
            attachments: false,
        };
        spool.file.write_all(trace).await?;
        Ok(spool)
    }

    /// Bytes of the message so far, CRLFs included.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends one line (given without its CRLF).
    pub async fn write_line(&mut self, line: &[u8]) -> std::io::Result<()> {
        if self.in_headers {
            if line.is_empty() {
                self.in_headers = false;
            } else if self.headers.len() + line.len() + 2 <= HEADER_CAP {
                self.headers.extend_from_slice(line);
                self.headers.extend_from_slice(b"\r\n");
            }
        } else if !self.attachments && is_attachment_header(line) {
            self.attachments = true;
        }
        self.file.write_all(line).await?;
        self.file.write_all(b"\r\n").await?;
        self.len += line.len() as u64 + 2;
        Ok(())
    }

    /// Makes the message durable (its data; its name is made durable when it is filed).
    pub async fn finish(mut self) -> std::io::Result<Spooled> {
        let synced = async {
            self.file.flush().await?;
            self.file.get_mut().sync_all().await
        }
        .await;
        synced?;
        self.headers.extend_from_slice(b"\r\n");
        let mut summary = store::summarize_headers(&self.headers);
        summary.has_attachments = self.attachments;
        Ok(Spooled {
            path: std::mem::take(&mut self.path),
            token: std::mem::take(&mut self.token),
            size: self.trace_len + self.len,
            summary,
        })
    }
}

/// A message given up (refused, the client left, the task ended) leaves no file. Removing a
/// name is one quick system call, done here rather than left to the next start's sweep.
impl Drop for Spool {
    fn drop(&mut self) {
        remove(&self.path);
    }
}

impl Drop for Spooled {
    fn drop(&mut self) {
        remove(&self.path);
    }
}

fn remove(path: &Path) {
    if path.as_os_str().is_empty() {
        return;
    }
    if let Err(e) = std::fs::remove_file(path) {
        log::warn!("could not remove {}: {e}", path.display());
    }
}

/// Whether a body line is a MIME part's header that makes it an attachment. The summary's
/// paperclip needs no more than this; reading the message whole is what we avoid.
pub(super) fn is_attachment_header(line: &[u8]) -> bool {
    const NAME: &[u8] = b"content-disposition:";
    line.len() > NAME.len()
        && line[..NAME.len()].eq_ignore_ascii_case(NAME)
        && line[NAME.len()..]
            .trim_ascii_start()
            .get(..10)
            .is_some_and(|v| v.eq_ignore_ascii_case(b"attachment"))
}

/// Files a spooled message: moves it into the store and lists it wherever `env` says, in one
/// transaction. When this returns `Ok`, the message is durable and filed.
pub async fn accept(
    db: &Db,
    data_dir: &Path,
    env: Envelope,
    msg: Spooled,
) -> Result<MessageId, MailError> {
    let db = db.clone();
    let data_dir = data_dir.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut msg = msg;
        let rel = store::move_in(&data_dir, &msg.path, &msg.token).map_err(MailError::Io)?;
        msg.path = PathBuf::new();
        let summary = std::mem::take(&mut msg.summary);
        store::file_message(&db, &data_dir, &env, rel, msg.size, summary)
    })
    .await
    .map_err(|e| MailError::Db(crate::db::Error::Task(e.to_string())))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_headers() {
        assert!(is_attachment_header(
            b"Content-Disposition: attachment; filename=\"devoir.pdf\""
        ));
        assert!(is_attachment_header(b"content-disposition:ATTACHMENT"));
        assert!(!is_attachment_header(b"Content-Disposition: inline"));
        assert!(!is_attachment_header(b"Content-Disposition:"));
        assert!(!is_attachment_header(b"Subject: attachment"));
    }

    #[tokio::test]
    async fn a_message_is_written_as_it_comes_and_summarised_from_its_headers() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Spool::create(dir.path(), b"Received: by test\r\n")
            .await
            .unwrap();
        for l in [
            &b"From: Awa <awa@ecole.fr>"[..],
            b"Subject: Devoir",
            b"Content-Type: multipart/mixed; boundary=x",
            b"",
            b"--x",
            b"Content-Disposition: attachment; filename=a.txt",
            b"",
            b"bonjour",
            b"--x--",
        ] {
            s.write_line(l).await.unwrap();
        }
        let done = s.finish().await.unwrap();
        assert_eq!(done.summary.from_addr, "awa@ecole.fr");
        assert_eq!(done.summary.subject, "Devoir");
        assert!(done.summary.has_attachments);
        let raw = std::fs::read(&done.path).unwrap();
        assert!(raw.starts_with(b"Received: by test\r\nFrom: Awa"));
        assert!(raw.ends_with(b"--x--\r\n"));
        assert_eq!(done.size as usize, raw.len());
        drop(done);
        assert_eq!(std::fs::read_dir(tmp_dir(dir.path())).unwrap().count(), 0);
    }
}
