//! The SMTP door: port 25 for mail to the school, 587 (STARTTLS) and 465 (TLS from the first
//! byte) for the school's own people sending with a mail client.
//!
//! Nothing here decides who may write where: a session turns AUTH into the same
//! [`Principal`](crate::auth::Principal) as the portal, and asks [`crate::mail::route`] about
//! each recipient. Port 25 has no AUTH, so it can only ever reach the school's mailboxes:
//! the server is not an open relay by construction.
//!
//! Port 25 is open to strangers, so who may hold a connection, and for how long, is decided
//! before a conversation starts ([`guard`]: separate gates for the incoming and submission
//! doors, a share per address, bans for addresses that keep misbehaving) and while it runs
//! ([`Limits`]: a short wait for the first command, an end to every session).

mod auth;
pub mod command;
mod data;
pub mod guard;
pub mod io;
#[cfg(test)]
mod props;
mod session;

use crate::app::App;
use crate::mail::MailSettings;
use guard::{Gate, GateLimits};
use session::{End, Session};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
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

/// Time limits and connection caps.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Waiting for the first valid command: a client that connects and says nothing useful
    /// holds a place, so it gets little time.
    pub first_command_timeout: Duration,
    /// Waiting for a later command (RFC 5321 asks for at least 5 minutes).
    pub command_timeout: Duration,
    /// Waiting for the next chunk of a message (RFC 5321: 3 minutes).
    pub data_timeout: Duration,
    /// A whole conversation, however busy: no one holds a place for ever.
    pub session_timeout: Duration,
    /// The incoming door (25), open to strangers.
    pub incoming: GateLimits,
    /// The submission doors (587 and 465) together, for the school's own people.
    pub submission: GateLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            first_command_timeout: Duration::from_secs(20),
            command_timeout: Duration::from_secs(300),
            data_timeout: Duration::from_secs(180),
            // A 10 MiB message over a link of 64 kbit/s takes 22 minutes.
            session_timeout: Duration::from_secs(3600),
            incoming: GateLimits {
                total: 200,
                // Postfix's default (smtpd_client_connection_count_limit). A sending server
                // opens up to 20 at once (Postfix's default_destination_concurrency_limit),
                // and a new one may come before we have seen the last one close: well above 20,
                // so that a busy relay is never refused, let alone banned.
                per_address: 50,
                tarpit: Duration::from_secs(5),
            },
            submission: GateLimits {
                total: 100,
                per_address: 20,
                tarpit: Duration::from_secs(5),
            },
        }
    }
}

/// The gates of the SMTP doors, made once per server: every port 25 listener shares one, and
/// the submission listeners (587 and 465) share the other.
pub struct Gates {
    pub incoming: Arc<Gate>,
    pub submission: Arc<Gate>,
}

impl Gates {
    pub fn new(limits: &Limits) -> Gates {
        Gates {
            incoming: Gate::new("incoming mail (25)", limits.incoming),
            submission: Gate::new("submission (587, 465)", limits.submission),
        }
    }

    fn of(&self, kind: Kind) -> Arc<Gate> {
        match kind {
            Kind::Incoming => self.incoming.clone(),
            Kind::Submission | Kind::Submissions => self.submission.clone(),
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
    gates: &Gates,
) {
    let gate = gates.of(kind);
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
            let (app, acceptor, gate) = (app.clone(), acceptor.clone(), gate.clone());
            tokio::spawn(async move {
                let ticket = match gate.admit(peer.ip()) {
                    Ok(t) => t,
                    Err(why) => return gate.refuse(stream, why).await,
                };
                match serve(app, stream, peer, kind, acceptor, limits).await {
                    Ok(Conduct::Good) => {}
                    Ok(Conduct::Bad) => ticket.strike(peer.ip()),
                    Err(e) => log::debug!("smtp connection from {peer}: {e}"),
                }
            });
        }
    });
}

/// How a client behaved, for its address's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conduct {
    Good,
    /// It never sent a valid command, or was closed for too many errors.
    Bad,
}

async fn serve(
    app: App,
    stream: tokio::net::TcpStream,
    peer: std::net::SocketAddr,
    kind: Kind,
    acceptor: TlsAcceptor,
    limits: Limits,
) -> std::io::Result<Conduct> {
    let db = app.db.clone();
    let mail = db
        .read(|c| Ok(MailSettings::load(c)?))
        .await
        .map_err(std::io::Error::other)?;
    let mut sess = Session::new(app, kind, peer, limits, mail);
    let handshake = |s| async {
        match tokio::time::timeout(limits.first_command_timeout, acceptor.accept(s)).await {
            Ok(r) => r,
            Err(_) => Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "TLS handshake timed out",
            )),
        }
    };
    if kind == Kind::Submissions {
        // A client that cannot finish a handshake has not said a valid command either.
        let Ok(tls) = handshake(stream).await else {
            return Ok(Conduct::Bad);
        };
        sess.tls = true;
        sess.run(tls, true).await?;
        return Ok(sess.conduct());
    }
    if let End::StartTls(plain) = sess.run(stream, true).await? {
        let tls = handshake(plain).await?;
        // RFC 3207: everything learnt before TLS is forgotten; the client says EHLO again.
        sess.tls = true;
        sess.helo = None;
        sess.tx = None;
        sess.who = None;
        sess.credentials = None;
        sess.run(tls, false).await?;
    }
    Ok(sess.conduct())
}
