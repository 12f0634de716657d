//! SMTP AUTH (RFC 4954) with the PLAIN and LOGIN mechanisms, checked by the same
//! [`Auth::login_remembered`](crate::auth::Auth::login_remembered) as WebDAV, so the same
//! password, the same throttling and the same forgetting apply: a mail client that sends
//! every few minutes costs one argon2 check, not one per connection. Only on the submission
//! ports, and only over TLS (or from this machine, for tests and the demo).

use super::io::{Line, Out, read_line};
use super::session::Session;
use crate::auth::LoginError;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use tokio::io::{AsyncRead, AsyncWrite, BufReader};

/// Sends a 334 challenge and reads the client's answer; `None` when it cancelled (`*`),
/// broke the line rules, or left.
async fn challenge<S: AsyncRead + AsyncWrite + Unpin>(
    sess: &Session,
    io: &mut BufReader<S>,
    out: &mut Out,
    prompt: &str,
) -> std::io::Result<Option<Vec<u8>>> {
    out.reply(334, prompt);
    out.flush(io.get_mut()).await?;
    let mut buf = Vec::new();
    let wait = sess.wait(sess.limits.command_timeout);
    match read_line(io, super::session::MAX_COMMAND, wait, &mut buf).await? {
        Line::Ok if buf != b"*" => Ok(Some(buf)),
        _ => Ok(None),
    }
}

fn decode(b: &[u8]) -> Option<Vec<u8>> {
    STANDARD.decode(b.trim_ascii()).ok()
}

pub async fn auth<S: AsyncRead + AsyncWrite + Unpin>(
    sess: &mut Session,
    io: &mut BufReader<S>,
    out: &mut Out,
    mechanism: &str,
    initial: Option<String>,
) -> std::io::Result<()> {
    if sess.kind == super::Kind::Incoming {
        out.reply(503, "5.5.1 AUTH is for the submission ports (587, 465)");
        return Ok(());
    }
    if !sess.auth_possible() {
        out.reply(538, "5.7.11 encryption required: STARTTLS first");
        return Ok(());
    }
    if sess.who.is_some() {
        out.reply(503, "5.5.1 already authenticated");
        return Ok(());
    }
    if sess.tx.is_some() {
        out.reply(503, "5.5.1 AUTH is not allowed during a mail transaction");
        return Ok(());
    }
    let credentials = match mechanism {
        "PLAIN" => {
            let answer = match initial.as_deref() {
                Some("=") => Some(Vec::new()),
                Some(i) => Some(i.as_bytes().to_vec()),
                None => challenge(sess, io, out, "").await?,
            };
            answer.and_then(|a| decode(&a)).and_then(|raw| {
                let mut parts = raw.split(|&b| b == 0);
                let (authz, user, pass) = (parts.next()?, parts.next()?, parts.next()?);
                if parts.next().is_some() || (!authz.is_empty() && authz != user) {
                    return None;
                }
                Some((
                    String::from_utf8(user.to_vec()).ok()?,
                    String::from_utf8(pass.to_vec()).ok()?,
                ))
            })
        }
        "LOGIN" => {
            let user = match initial.as_deref() {
                Some(i) => Some(i.as_bytes().to_vec()),
                None => challenge(sess, io, out, "VXNlcm5hbWU6").await?,
            }
            .and_then(|u| decode(&u))
            .and_then(|u| String::from_utf8(u).ok());
            match user {
                Some(user) => challenge(sess, io, out, "UGFzc3dvcmQ6")
                    .await?
                    .and_then(|p| decode(&p))
                    .and_then(|p| String::from_utf8(p).ok())
                    .map(|p| (user, p)),
                None => None,
            }
        }
        _ => {
            out.reply(504, "5.5.4 unsupported mechanism; use PLAIN or LOGIN");
            return Ok(());
        }
    };
    let Some((user, pass)) = credentials else {
        out.reply(501, "5.5.2 authentication cancelled or malformed");
        return Ok(());
    };
    // Mail clients send the whole address as the user name as often as the bare one.
    let domain = format!("@{}", sess.settings.mail_domain);
    let name = match user.len().checked_sub(domain.len()) {
        Some(at) if user[at..].eq_ignore_ascii_case(&domain) => &user[..at],
        _ => &user[..],
    };
    match sess
        .app
        .auth
        .login_remembered(name, &pass, sess.peer.ip())
        .await
    {
        Ok(p) => {
            log::info!("smtp: {} authenticated from {}", p.username, sess.peer);
            sess.who = Some(p);
            sess.credentials = Some((name.to_owned(), pass));
            out.reply(235, "2.7.0 authentication succeeded");
        }
        Err(LoginError::Invalid) => out.reply(535, "5.7.8 wrong user name or password"),
        Err(LoginError::Throttled(wait)) => out.reply(
            454,
            &format!(
                "4.7.0 too many failed attempts; try again in {} minutes",
                wait.as_secs().div_ceil(60)
            ),
        ),
        Err(LoginError::Db(e)) => {
            log::error!("smtp: login failed: {e}");
            out.reply(454, "4.7.0 temporary failure; try again later");
        }
    }
    Ok(())
}
