//! The DATA phase: read the message to the lone dot, enforcing the line and size limits,
//! then hand it to [`mail::store`](crate::mail::store). The 250 goes out only after the
//! message is fsynced and filed; a client that drops before the dot leaves nothing behind.

use super::Kind;
use super::io::{Line, Out, read_line};
use super::session::Session;
use tokio::io::{AsyncRead, AsyncWrite, BufReader};

/// RFC 5321's limit on a text line, CRLF included.
const MAX_LINE: usize = 1000;

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
    out.reply(354, "end data with <CR><LF>.<CR><LF>");
    out.flush(io.get_mut()).await?;
    let max = sess.mail.max_size as usize;
    let mut body = Vec::with_capacity(64 * 1024);
    let (mut too_big, mut too_long) = (false, false);
    let mut buf = Vec::new();
    loop {
        match read_line(io, MAX_LINE, sess.limits.data_timeout, &mut buf).await? {
            Line::Ok(line) => {
                if line == b"." {
                    break;
                }
                let line = line.strip_prefix(b".").unwrap_or(&line);
                if too_big {
                    continue;
                }
                if body.len() + line.len() + 2 > max {
                    too_big = true;
                    body = Vec::new();
                    continue;
                }
                body.extend_from_slice(line);
                body.extend_from_slice(b"\r\n");
            }
            Line::TooLong => too_long = true,
            Line::BareLf => {
                sess.tx = None;
                out.reply(
                    521,
                    "5.5.2 bare LF received; lines must end with CRLF. Closing",
                );
                return Ok(true);
            }
            Line::Eof => {
                sess.tx = None;
                return Ok(true);
            }
            Line::Timeout => {
                sess.tx = None;
                out.reply(421, "4.4.2 timeout while reading the message; closing");
                return Ok(true);
            }
        }
    }
    let env = sess.tx.take().expect("checked above");
    if too_long {
        out.reply(
            500,
            "5.5.2 a line of the message is longer than 1,000 octets",
        );
        return Ok(false);
    }
    if too_big {
        out.reply(
            552,
            &format!(
                "5.3.4 the message is larger than the {} bytes accepted here",
                max
            ),
        );
        return Ok(false);
    }
    if let Some(who) = &sess.who {
        let own = crate::mail::address_of(&who.username, &sess.settings.mail_domain);
        let from = crate::mail::store::summarize(&body).from_addr;
        if !from.eq_ignore_ascii_case(&own) {
            out.reply(
                550,
                &format!("5.7.1 the From: header must be your address, {own}"),
            );
            return Ok(false);
        }
    }
    let mut raw = received(sess).into_bytes();
    raw.extend_from_slice(&body);
    drop(body);
    let outside = !env.outside.is_empty();
    match crate::mail::store::accept(&sess.app.db, &sess.app.data_dir, env, raw).await {
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
