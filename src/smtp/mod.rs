//! The SMTP door: port 25 for mail to the school, 587 (STARTTLS) and 465 (TLS from the first
//! byte) for the school's own people sending with a mail client.
//!
//! Nothing here decides who may write where: a session turns AUTH into the same
//! [`Principal`](crate::auth::Principal) as the portal, and asks [`crate::mail::route`] about
//! each recipient. Port 25 has no AUTH, so it can only ever reach the school's mailboxes:
//! the server is not an open relay by construction.

mod auth;
pub mod command;
mod data;
pub mod io;
mod session;

use crate::app::App;
use crate::mail::MailSettings;
use session::{End, Session};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;

/// What a listener is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Port 25: mail for the school's addresses, from anyone; no AUTH.
    Incoming,
    /// Port 587: AUTH required, after STARTTLS (or from this machine).
    Submission,
    /// Port 465: like 587, with TLS from the first byte.
    Submissions,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Incoming => "incoming mail",
            Kind::Submission => "submission, STARTTLS",
            Kind::Submissions => "submission, TLS",
        }
    }
    pub fn scheme(self) -> &'static str {
        match self {
            Kind::Submissions => "smtps",
            _ => "smtp",
        }
    }
}

/// Time limits and the connection cap.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Waiting for a command (RFC 5321 asks for at least 5 minutes).
    pub command_timeout: Duration,
    /// Waiting for the next chunk of a message (RFC 5321: 3 minutes).
    pub data_timeout: Duration,
    /// Simultaneous connections over all SMTP listeners; more are told to come back.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            command_timeout: Duration::from_secs(300),
            data_timeout: Duration::from_secs(180),
            max_connections: 100,
        }
    }
}

/// Accepts connections on `listener` until the process ends.
pub fn spawn_listener(
    app: App,
    listener: TcpListener,
    kind: Kind,
    acceptor: TlsAcceptor,
    limits: Limits,
    slots: Arc<Semaphore>,
) {
    tokio::spawn(async move {
        loop {
            let (stream, peer) = match listener.accept().await {
                Ok(s) => s,
                Err(e) => {
                    log::warn!("smtp accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let (app, acceptor, slots) = (app.clone(), acceptor.clone(), slots.clone());
            tokio::spawn(async move {
                let Ok(_slot) = slots.try_acquire_owned() else {
                    use tokio::io::AsyncWriteExt;
                    let mut stream = stream;
                    let _ = stream
                        .write_all(b"421 4.3.2 too many connections; try again later\r\n")
                        .await;
                    return;
                };
                if let Err(e) = serve(app, stream, peer, kind, acceptor, limits).await {
                    log::debug!("smtp connection from {peer}: {e}");
                }
            });
        }
    });
}

async fn serve(
    app: App,
    stream: tokio::net::TcpStream,
    peer: std::net::SocketAddr,
    kind: Kind,
    acceptor: TlsAcceptor,
    limits: Limits,
) -> std::io::Result<()> {
    let db = app.db.clone();
    let mail = db
        .read(|c| Ok(MailSettings::load(c)?))
        .await
        .map_err(std::io::Error::other)?;
    let mut sess = Session::new(app, kind, peer, limits, mail);
    let handshake = |s| async {
        match tokio::time::timeout(Duration::from_secs(30), acceptor.accept(s)).await {
            Ok(r) => r,
            Err(_) => Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "TLS handshake timed out",
            )),
        }
    };
    if kind == Kind::Submissions {
        let tls = handshake(stream).await?;
        sess.tls = true;
        sess.run(tls, true).await?;
        return Ok(());
    }
    if let End::StartTls(plain) = sess.run(stream, true).await? {
        let tls = handshake(plain).await?;
        // RFC 3207: everything learnt before TLS is forgotten; the client says EHLO again.
        sess.tls = true;
        sess.helo = None;
        sess.tx = None;
        sess.who = None;
        sess.run(tls, false).await?;
    }
    Ok(())
}
