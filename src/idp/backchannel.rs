//! Telling applications that a portal session ended: OpenID Connect back-channel logout
//! tokens and CAS single-logout `LogoutRequest`s, POSTed from the durable queue that ending a
//! session fills (the trigger in migration `0010_idp.sql`).
//!
//! Like the mail queue, rows wait in the database until the application answers 2xx, with
//! growing delays between tries (an application down for the night still hears of the logout
//! in the morning, within the give-up time the trigger sets). Tokens are signed when sent,
//! with the key that signs then. The worker wakes on [`super::Idp::kick`] (a logout through
//! the portal) and otherwise looks every few seconds, with one indexed read, for rows that
//! other paths queued (a password change, an account disabled, a session expired, the
//! command line). It writes nothing while the queue is empty.

use crate::app::App;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use std::sync::Arc;
use std::time::Duration;

/// How often the queue is looked at without a kick.
const POLL: Duration = Duration::from_secs(3);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The whole request, answer included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Rows sent in one pass (all at once).
const BATCH: i64 = 32;
/// A logout token is good for this long (RFC: short).
const TOKEN_LIFETIME: i64 = 120;
/// The delay after the n-th failure; the last repeats.
const BACKOFF: [i64; 6] = [5, 30, 120, 600, 1800, 3600];

type HttpClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

/// The client for applications: HTTP/1.1 over plain TCP or TLS, trusting the school's CA
/// (applications on the LAN have certificates from it) and the public roots (remote ones).
pub fn client(ca_pem: &str) -> Result<HttpClient, String> {
    use rustls::pki_types::{CertificateDer, pem::PemObject};
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()).flatten() {
        if let Err(e) = roots.add(cert) {
            log::warn!("the school's CA certificate is not usable for outbound TLS: {e}");
        }
    }
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| e.to_string())?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_connect_timeout(Some(CONNECT_TIMEOUT));
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    Ok(Client::builder(hyper_util::rt::TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .build(https))
}

/// One queued logout.
#[derive(Debug, Clone)]
struct Row {
    id: i64,
    kind: String,
    url: String,
    iss: String,
    sub: String,
    sid: String,
    ticket: Option<String>,
    attempts: i64,
    give_up_at: i64,
    /// The application's client id: the logout token's audience.
    slug: String,
}

/// Runs the queue for as long as the server runs.
pub fn spawn(app: App) {
    let client = match client(&app.ca_pem) {
        Ok(c) => c,
        Err(e) => {
            log::error!("applications will not hear of logouts: no HTTP client ({e})");
            return;
        }
    };
    tokio::spawn(async move {
        loop {
            let wait = match pass(&app, &client).await {
                // More due at once than a batch: go on after a breath.
                Ok(Some(next)) if next <= crate::now() => Duration::from_millis(200),
                Ok(Some(next)) => Duration::from_secs((next - crate::now()) as u64),
                Ok(None) => POLL,
                Err(e) => {
                    log::error!("logout queue: {e}");
                    POLL
                }
            };
            tokio::select! {
                _ = app.idp.wake.notified() => {}
                _ = tokio::time::sleep(wait.min(POLL)) => {}
            }
        }
    });
}

/// Sends every due logout, records what became of each, and returns when the next is due.
pub async fn pass(app: &App, client: &HttpClient) -> crate::db::Result<Option<i64>> {
    let now = crate::now();
    let rows = app
        .db
        .read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT q.id, q.kind, q.url, q.iss, q.sub, q.sid, q.ticket, q.attempts,
                        q.give_up_at, a.slug
                 FROM idp_logout_queue q JOIN apps a ON a.id = q.app_id
                 WHERE q.next_try <= ?1 ORDER BY q.next_try, q.id LIMIT ?2",
            )?;
            let rows = stmt
                .query_map(rusqlite::params![now, BATCH], |r| {
                    Ok(Row {
                        id: r.get(0)?,
                        kind: r.get(1)?,
                        url: r.get(2)?,
                        iss: r.get(3)?,
                        sub: r.get(4)?,
                        sid: r.get(5)?,
                        ticket: r.get(6)?,
                        attempts: r.get(7)?,
                        give_up_at: r.get(8)?,
                        slug: r.get(9)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<Row>>>()?;
            Ok(rows)
        })
        .await?;
    if !rows.is_empty() {
        let ring = if rows.iter().any(|r| r.kind == "oidc") {
            let app2 = app.clone();
            Some(app.db.read(move |c| Ok(app2.idp.keyring(c)?)).await?)
        } else {
            None
        };
        let mut sends = tokio::task::JoinSet::new();
        for row in rows {
            let body = match body(&row, ring.as_deref()) {
                Ok(b) => b,
                Err(e) => {
                    sends.spawn(async move { (row, Err(e)) });
                    continue;
                }
            };
            let client = client.clone();
            sends.spawn(async move {
                let sent = post(&client, &row.url, body).await;
                (row, sent)
            });
        }
        let mut done = Vec::new();
        while let Some(r) = sends.join_next().await {
            match r {
                Ok(r) => done.push(r),
                Err(e) => log::error!("logout queue: a send failed to run: {e}"),
            }
        }
        settle(app, done).await?;
    }
    app.db
        .read(|c| {
            Ok(
                c.query_row("SELECT min(next_try) FROM idp_logout_queue", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .await
}

/// The form body to POST for a row.
fn body(row: &Row, ring: Option<&super::keys::KeyRing>) -> Result<String, String> {
    let now = crate::now();
    let pair = match row.kind.as_str() {
        "cas" => {
            let ticket = row.ticket.as_deref().unwrap_or("");
            let id = format!("LR-{}", crate::random_token(16));
            let xml =
                super::cas::wire::logout_request(&id, &super::cas::wire::rfc3339(now), ticket);
            ("logoutRequest", xml)
        }
        _ => {
            let ring = ring.ok_or("no signing keys")?;
            ("logout_token", logout_token(ring, row, now)?)
        }
    };
    serde_urlencoded::to_string([pair]).map_err(|e| e.to_string())
}

/// An OpenID Connect back-channel logout token (typ `logout+jwt`), signed now.
fn logout_token(ring: &super::keys::KeyRing, row: &Row, now: i64) -> Result<String, String> {
    let key = ring.signer(now).ok_or("no key signs now")?;
    let mut claims = serde_json::json!({
        "iss": row.iss,
        "aud": row.slug,
        "iat": now,
        "exp": now + TOKEN_LIFETIME,
        "jti": crate::random_token(16),
        "sid": row.sid,
        "events": { "http://schemas.openid.net/event/backchannel-logout": {} },
    });
    if !row.sub.is_empty() {
        claims["sub"] = serde_json::json!(row.sub);
    }
    let header = serde_json::json!({ "alg": "RS256", "typ": "logout+jwt", "kid": key.kid });
    super::jws::sign_with_header(&key.pair, &header, &claims).map_err(|e| e.to_string())
}

/// POSTs a form; any 2xx is success (the answer's body is read, a little, and dropped).
async fn post(client: &HttpClient, url: &str, body: String) -> Result<(), String> {
    let req = hyper::Request::post(url)
        .header(
            hyper::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(hyper::header::USER_AGENT, "Cartable")
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| format!("bad request: {e}"))?;
    let exchange = async {
        let resp = client.request(req).await.map_err(|e| {
            use std::error::Error;
            match e.source() {
                Some(s) => format!("{e}: {s}"),
                None => e.to_string(),
            }
        })?;
        let status = resp.status();
        let _ = Limited::new(resp.into_body(), 64 * 1024).collect().await;
        Ok::<_, String>(status)
    };
    match tokio::time::timeout(REQUEST_TIMEOUT, exchange).await {
        Err(_) => Err("no answer in time".into()),
        Ok(Err(e)) => Err(e),
        Ok(Ok(s)) if s.is_success() => Ok(()),
        Ok(Ok(s)) => Err(format!("answered {s}")),
    }
}

/// Deletes what was delivered or given up on; schedules the next try of the rest.
async fn settle(app: &App, done: Vec<(Row, Result<(), String>)>) -> crate::db::Result<()> {
    let now = crate::now();
    for (row, sent) in &done {
        match sent {
            Ok(()) => log::info!(
                "logout ({}) delivered to {} for application {}",
                row.kind,
                row.url,
                row.slug
            ),
            Err(e) if now >= row.give_up_at => log::warn!(
                "logout ({}) to {} for application {} given up after {} tries: {e}",
                row.kind,
                row.url,
                row.slug,
                row.attempts + 1
            ),
            Err(e) => log::warn!(
                "logout ({}) to {} for application {} failed, will retry: {e}",
                row.kind,
                row.url,
                row.slug
            ),
        }
    }
    app.db
        .write(move |tx| {
            for (row, sent) in done {
                if sent.is_ok() || now >= row.give_up_at {
                    tx.execute("DELETE FROM idp_logout_queue WHERE id = ?1", [row.id])?;
                } else {
                    let delay = BACKOFF[(row.attempts.max(0) as usize).min(BACKOFF.len() - 1)];
                    let error: String = sent.err().unwrap_or_default().chars().take(300).collect();
                    tx.execute(
                        "UPDATE idp_logout_queue SET attempts = attempts + 1, next_try = ?2,
                           last_error = ?3 WHERE id = ?1",
                        rusqlite::params![row.id, now + delay, error],
                    )?;
                }
            }
            Ok(())
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logout_token_says_what_the_specification_asks() {
        let (_dir, db) = crate::accounts::test_db();
        super::super::keys::ensure(&db).unwrap();
        let cache = super::super::keys::Cache::default();
        let ring = db.read_blocking(|c| Ok(cache.get(c)?)).unwrap();
        let row = Row {
            id: 1,
            kind: "oidc".into(),
            url: "https://a.test/bc".into(),
            iss: "https://school.test".into(),
            sub: "s1".into(),
            sid: "sid1".into(),
            ticket: None,
            attempts: 0,
            give_up_at: 0,
            slug: "moodle".into(),
        };
        let form = body(&row, Some(&ring)).unwrap();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&form).unwrap();
        assert_eq!(pairs[0].0, "logout_token");
        let token = &pairs[0].1;
        let claims = ring.verify(token).unwrap();
        assert_eq!(claims["aud"], "moodle");
        assert_eq!(claims["iss"], "https://school.test");
        assert_eq!(claims["sid"], "sid1");
        assert_eq!(claims["sub"], "s1");
        assert!(claims.get("nonce").is_none());
        assert!(claims["events"]["http://schemas.openid.net/event/backchannel-logout"].is_object());
        let header = token.split('.').next().unwrap();
        use base64::Engine;
        let header: serde_json::Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(header)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(header["typ"], "logout+jwt");
        let cas = Row {
            kind: "cas".into(),
            ticket: Some("ST-1".into()),
            ..row
        };
        let form = body(&cas, None).unwrap();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&form).unwrap();
        assert_eq!(pairs[0].0, "logoutRequest");
        assert!(
            pairs[0]
                .1
                .contains("<samlp:SessionIndex>ST-1</samlp:SessionIndex>")
        );
    }
}
