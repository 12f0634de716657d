//! Handing one queued message to the smarthost, through lettre's SMTP client (over rustls,
//! with the public web roots), and sorting its answer into "try again later" and "never".

use super::settings::{MailSettings, RelayTls};
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayError {
    /// Worth another try: the relay is unreachable, busy, or answered 4xx.
    Transient(String),
    /// The relay refused for good (5xx), or the message cannot be sent as it is.
    Permanent(String),
}

impl std::fmt::Display for RelayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RelayError::Transient(s) | RelayError::Permanent(s) => f.write_str(s),
        }
    }
}

/// How long one conversation with the relay may stall before it counts as failed.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Sends `raw` from `from` (empty for a bounce) to `to` through the configured relay.
pub async fn send(
    settings: &MailSettings,
    helo: &str,
    from: &str,
    to: &str,
    raw: &[u8],
) -> Result<(), RelayError> {
    let Some(host) = settings.relay_host.clone() else {
        return Err(RelayError::Transient("no relay is set up".into()));
    };
    let permanent = |e: &dyn std::fmt::Display| RelayError::Permanent(e.to_string());
    let from = if from.is_empty() {
        None
    } else {
        Some(from.parse().map_err(|e| permanent(&e))?)
    };
    let envelope = Envelope::new(from, vec![to.parse().map_err(|e| permanent(&e))?])
        .map_err(|e| permanent(&e))?;
    let params = || {
        TlsParameters::new(host.clone())
            .map_err(|e| RelayError::Transient(format!("TLS set-up for {host}: {e}")))
    };
    let tls = match settings.relay_tls {
        RelayTls::None => Tls::None,
        RelayTls::StartTls => Tls::Required(params()?),
        RelayTls::Tls => Tls::Wrapper(params()?),
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
        .port(settings.relay_port)
        .tls(tls)
        .timeout(Some(TIMEOUT))
        .hello_name(ClientId::Domain(helo.to_owned()));
    if !settings.relay_user.is_empty() {
        builder = builder.credentials(Credentials::new(
            settings.relay_user.clone(),
            settings.relay_password.clone(),
        ));
    }
    let transport = builder.build();
    // lettre ends the data with CRLF.CRLF itself: a message's own final CRLF would become an
    // extra empty line at the other end.
    let raw = raw.strip_suffix(b"\r\n").unwrap_or(raw);
    match transport.send_raw(&envelope, raw).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_permanent() => Err(RelayError::Permanent(describe(&e))),
        Err(e) => Err(RelayError::Transient(describe(&e))),
    }
}

/// lettre's error with its causes, on one line, for the queue page and the bounce. A reply
/// from the relay reads as the relay wrote it (`550 5.1.1 <x@y>: Recipient address
/// rejected`), which is what a delivery report's Diagnostic-Code carries.
fn describe(e: &lettre::transport::smtp::Error) -> String {
    let shown = e.to_string();
    let mut s = match (e.status(), shown.split_once("): ")) {
        (Some(code), Some((_, text))) => format!("{code} {text}"),
        _ => shown,
    };
    let mut source = std::error::Error::source(e);
    while let Some(c) = source {
        let c = c.to_string();
        if !s.contains(&c) {
            s.push_str(": ");
            s.push_str(&c);
        }
        source = c_source(source);
    }
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(500)
        .collect()
}

fn c_source<'a>(
    e: Option<&'a (dyn std::error::Error + 'static)>,
) -> Option<&'a (dyn std::error::Error + 'static)> {
    e.and_then(|e| e.source())
}
