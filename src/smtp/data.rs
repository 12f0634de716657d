//! The DATA phase: read the message to the lone dot, enforcing the line and size limits, and
//! write it to a spool file as it comes ([`mail::spool`](crate::mail::spool)), so memory per
//! connection stays a small buffer whatever the message's size. The 250 goes out only after
//! the message is fsynced and filed; a client that drops before the dot leaves nothing behind.

use super::Kind;
use super::io::{Line, Out, read_line};
use super::session::Session;
use crate::mail::spool::{self, Spool};
use tokio::io::{AsyncRead, AsyncWrite, BufReader};

/// RFC 5321's limit on a text line, CRLF included.
const MAX_LINE: usize = 1000;

/// How reading the message ended, when it did not end at the dot.
enum Cut {
    BareLf,
    Eof,
    Timeout,
}

/// Runs DATA; true when the connection must close.
pub async fn data<S: AsyncRead + AsyncWrite + Unpin>(
    sess: &mut Session,
    io: &mut BufReader<S>,
    out: &mut Out,
) -> std::io::Result<bool> {
    match &sess.tx {
        None => {
            out.reply(503, "5.5.1 MAIL FROM and RCPT TO first");
            return Ok(false);
        }
        Some(tx) if tx.recipients() == 0 => {
            out.reply(554, "5.5.1 no valid recipients");
            return Ok(false);
        }
        Some(_) => {}
    }
    let mut spool = match Spool::create(&sess.app.data_dir, received(sess).as_bytes()).await {
        Ok(s) => s,
        Err(e) => {
            log::error!("smtp: cannot spool a message: {e}");
            out.reply(451, "4.3.0 local error; try again later");
            return Ok(false);
        }
    };
    out.reply(354, "end data with <CR><LF>.<CR><LF>");
    out.flush(io.get_mut()).await?;
    let max = sess.mail.max_size;
    let (mut too_big, mut too_long) = (false, false);
    let mut write_error = None;
    let mut buf = Vec::with_capacity(MAX_LINE);
    let cut = loop {
        let wait = sess.wait(sess.limits.data_timeout);
        match read_line(io, MAX_LINE, wait, &mut buf).await? {
            Line::Ok => {
                if buf == b"." {
                    break None;
                }
                let line = buf.strip_prefix(b".").unwrap_or(&buf);
                if too_big || too_long || write_error.is_some() {
                    continue;
                }
                if spool.len() + line.len() as u64 + 2 > max {
                    too_big = true;
                    continue;
                }
                if let Err(e) = spool.write_line(line).await {
                    write_error = Some(e);
                }
            }
            Line::TooLong => too_long = true,
            Line::BareLf => break Some(Cut::BareLf),
            Line::Eof => break Some(Cut::Eof),
            Line::Timeout => break Some(Cut::Timeout),
        }
    };
    let env = sess.tx.take().expect("checked above");
    if let Some(cut) = cut {
        drop(spool);
        match cut {
            Cut::BareLf => out.reply(
                521,
                "5.5.2 bare LF received; lines must end with CRLF. Closing",
            ),
            Cut::Timeout => out.reply(421, "4.4.2 timeout while reading the message; closing"),
            Cut::Eof => {}
        }
        return Ok(true);
    }
    if too_long || too_big || write_error.is_some() {
        drop(spool);
        if too_long {
            out.reply(
                500,
                "5.5.2 a line of the message is longer than 1,000 octets",
            );
        } else if too_big {
            out.reply(
                552,
                &format!("5.3.4 the message is larger than the {max} bytes accepted here"),
            );
        } else if let Some(e) = write_error {
            log::error!("smtp: could not write a message from {}: {e}", sess.peer);
            out.reply(
                451,
                "4.3.0 local error while storing the message; try again later",
            );
        }
        return Ok(false);
    }
    let msg = match spool.finish().await {
        Ok(m) => m,
        Err(e) => {
            log::error!("smtp: could not write a message from {}: {e}", sess.peer);
            out.reply(
                451,
                "4.3.0 local error while storing the message; try again later",
            );
            return Ok(false);
        }
    };
    if let Some(who) = &sess.who {
        let own = crate::mail::address_of(&who.username, &sess.settings.mail_domain);
        if !msg.summary.from_addr.eq_ignore_ascii_case(&own) {
            drop(msg);
            out.reply(
                550,
                &format!("5.7.1 the From: header must be your address, {own}"),
            );
            return Ok(false);
        }
    }
    let outside = !env.outside.is_empty();
    match spool::accept(&sess.app.db, &sess.app.data_dir, env, msg).await {
        Ok(id) => {
            if outside {
                sess.app.mail_queue.wake.notify_one();
            }
            out.reply(250, &format!("2.0.0 OK: stored as {id}"));
        }
        Err(e) => {
            log::error!("smtp: could not store a message from {}: {e}", sess.peer);
            out.reply(
                451,
                "4.3.0 local error while storing the message; try again later",
            );
        }
    }
    Ok(false)
}

/// The trace header this server adds (RFC 5321 section 4.4).
fn received(sess: &Session) -> String {
    use time::format_description::well_known::Rfc2822;
    let with = match (sess.tls, sess.who.is_some()) {
        (false, false) => "ESMTP",
        (true, false) => "ESMTPS",
        (false, true) => "ESMTPA",
        (true, true) => "ESMTPSA",
    };
    let helo: String = sess
        .helo
        .as_deref()
        .unwrap_or("unknown")
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(100)
        .collect();
    let date = time::OffsetDateTime::now_utc()
        .format(&Rfc2822)
        .unwrap_or_default();
    let port = match sess.kind {
        Kind::Incoming => "",
        Kind::Submission | Kind::Submissions => " (submission)",
    };
    format!(
        "Received: from {helo} ({})\r\n\tby {} (Cartable){port} with {with};\r\n\t{date}\r\n",
        sess.peer.ip(),
        sess.host()
    )
}
