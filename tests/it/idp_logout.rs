//! Logging out of Cartable logs out of the applications it signed the person in to: a small
//! HTTP server here plays the applications and receives the CAS `LogoutRequest` (naming the
//! service ticket) and the OpenID Connect back-channel logout token (whose signature must
//! verify against the published keys). A receiver that is down is tried again; a password
//! change and an account disabled by the office send them too, with no kick from a page. The
//! OpenID Connect login is a real code flow (tests/it/idp_oidc.rs drives it).

use crate::idp_cas::{SERVICE, cas_app, login_url, ticket_in};
use crate::support::*;
use cartable::auth::{Allowed, Role};
use cartable::idp::apps::ClaimProfile;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// What the fake applications received: (path, form fields).
type Received = (String, Vec<(String, String)>);

/// Answers every POST with the next status of `statuses` (200 once they run out) and
/// reports what it got.
async fn receiver(statuses: Vec<u16>) -> (u16, mpsc::UnboundedReceiver<Received>) {
    receiver_on(statuses, None).await
}

/// [`receiver`] over TLS with `tls` when given.
async fn receiver_on(
    statuses: Vec<u16>,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> (u16, mpsc::UnboundedReceiver<Received>) {
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::unbounded_channel();
    let statuses = Arc::new(Mutex::new(statuses.into_iter()));
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (tx, statuses, acceptor) = (tx.clone(), statuses.clone(), acceptor.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| {
                        let (tx, statuses) = (tx.clone(), statuses.clone());
                        async move {
                            use http_body_util::BodyExt;
                            let path = req.uri().path().to_owned();
                            let body = req.into_body().collect().await.unwrap().to_bytes();
                            let form: Vec<(String, String)> =
                                serde_urlencoded::from_bytes(&body).unwrap_or_default();
                            let status = statuses.lock().unwrap().next().unwrap_or(200);
                            let _ = tx.send((path, form));
                            let mut resp = hyper::Response::new(http_body_util::Full::new(
                                bytes::Bytes::new(),
                            ));
                            *resp.status_mut() = hyper::StatusCode::from_u16(status).unwrap();
                            Ok::<_, std::convert::Infallible>(resp)
                        }
                    },
                );
                let http = hyper::server::conn::http1::Builder::new();
                let _ = match acceptor {
                    Some(a) => {
                        let Ok(tls) = a.accept(stream).await else {
                            return;
                        };
                        http.serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                            .await
                    }
                    None => {
                        http.serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                            .await
                    }
                };
            });
        }
    });
    (port, rx)
}

async fn next_received(rx: &mut mpsc::UnboundedReceiver<Received>, within: Duration) -> Received {
    tokio::time::timeout(within, rx.recv())
        .await
        .expect("the application heard of the logout in time")
        .unwrap()
}

fn field<'a>(r: &'a Received, name: &str) -> &'a str {
    r.1.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {r:?}"))
}

/// A CAS login to `service` and its validation: the grant that single logout follows.
async fn cas_session(s: &TestServer, c: &reqwest::Client, service: &str) -> String {
    let r = c.get(s.url(&login_url(service, ""))).send().await.unwrap();
    let ticket = ticket_in(&r, service);
    let q = serde_urlencoded::to_string([("service", service), ("ticket", &ticket)]).unwrap();
    let xml = plain_client()
        .get(s.url(&format!("/cas/p3/serviceValidate?{q}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(xml.contains("authenticationSuccess"), "{xml}");
    ticket
}

/// The claims of a logout token, after checking its header and its signature against the
/// published keys (`/oidc/jwks`).
async fn verified_claims(s: &TestServer, token: &str) -> serde_json::Value {
    let (header, claims) = crate::support::oidc::verify_jws(s, token).await;
    assert_eq!(header["typ"], "logout+jwt");
    claims
}

async fn queue_rows(s: &TestServer) -> Vec<(i64, String)> {
    s.running
        .app
        .db
        .read(|c| {
            let mut stmt =
                c.prepare("SELECT attempts, last_error FROM idp_logout_queue ORDER BY id")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
        .unwrap()
}

async fn wait_until<F, Fut>(what: &str, within: Duration, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let end = Instant::now() + within;
    while !f().await {
        assert!(Instant::now() < end, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_out_at_the_portal_tells_the_cas_service_and_the_oidc_application() {
    let s = TestServer::start().await;
    s.user("l.pupil", Role::Pupil).await;
    let (port, mut rx) = receiver(vec![]).await;
    let service = format!("http://127.0.0.1:{port}/cas/index.php");
    cas_app(
        &s,
        "phpCAS",
        &format!("http://127.0.0.1:{port}/cas/"),
        vec![Role::Pupil],
        vec![],
        ClaimProfile::EntFr,
    )
    .await;
    let c = s.logged_in("l.pupil").await;
    let ticket = cas_session(&s, &c, &service).await;
    // A real OpenID Connect login to an application with back-channel logout.
    let rp = crate::support::oidc::register(&s, "wiki", false, vec![Role::Pupil], vec![]).await;
    let url = format!("http://127.0.0.1:{port}/oidc/backchannel");
    s.running
        .app
        .db
        .write(move |tx| {
            tx.execute(
                "UPDATE apps SET backchannel_logout_url = ?1 WHERE slug = 'wiki'",
                [url],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let code = crate::support::oidc::code_for(&s, &c, &rp, &[]).await;
    let tokens = crate::support::oidc::exchange(&s, &rp, &code, None).await;
    let id_token =
        crate::support::oidc::verify_id_token(&s, tokens["id_token"].as_str().unwrap()).await;
    let (sid, sub) = (id_token["sid"].clone(), id_token["sub"].clone());

    let csrf = csrf_in(&page_text(&c, s.url("/")).await);
    let r = c
        .post(s.url("/logout"))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let mut got = [
        next_received(&mut rx, Duration::from_secs(5)).await,
        next_received(&mut rx, Duration::from_secs(5)).await,
    ];
    got.sort_by(|a, b| a.0.cmp(&b.0));
    let (cas, oidc) = (&got[0], &got[1]);
    assert_eq!(cas.0, "/cas/index.php");
    let lr = field(cas, "logoutRequest");
    assert!(
        lr.starts_with(
            "<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\""
        ),
        "{lr}"
    );
    assert!(
        lr.contains(&format!(
            "<samlp:SessionIndex>{ticket}</samlp:SessionIndex>"
        )),
        "{lr}"
    );
    assert_eq!(oidc.0, "/oidc/backchannel");
    let claims = verified_claims(&s, field(oidc, "logout_token")).await;
    assert_eq!(claims["iss"], id_token["iss"]);
    assert_eq!(claims["aud"], "wiki");
    assert_eq!(claims["sid"], sid);
    assert_eq!(claims["sub"], sub);
    assert!(claims["events"]["http://schemas.openid.net/event/backchannel-logout"].is_object());
    assert!(claims["jti"].as_str().is_some_and(|j| j.len() >= 16));
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert!((iat - cartable::now()).abs() < 10 && exp - iat == 120);
    assert!(claims.get("nonce").is_none());
    wait_until("the queue is empty", Duration::from_secs(5), || async {
        queue_rows(&s).await.is_empty()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_that_is_down_is_tried_again() {
    let s = TestServer::start().await;
    s.user("l.pupil", Role::Pupil).await;
    // The first try answers 503; the next is accepted.
    let (port, mut rx) = receiver(vec![503]).await;
    let service = format!("http://127.0.0.1:{port}/cas/index.php");
    cas_app(
        &s,
        "A",
        &format!("http://127.0.0.1:{port}/cas/"),
        vec![Role::Pupil],
        vec![],
        ClaimProfile::Standard,
    )
    .await;
    // Another application nobody listens for.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    let gone = format!("http://127.0.0.1:{closed_port}/cas/index.php");
    cas_app(
        &s,
        "B",
        &format!("http://127.0.0.1:{closed_port}/cas/"),
        vec![Role::Pupil],
        vec![],
        ClaimProfile::Standard,
    )
    .await;
    let c = s.logged_in("l.pupil").await;
    let ticket = cas_session(&s, &c, &service).await;
    cas_session(&s, &c, &gone).await;
    let csrf = csrf_in(&page_text(&c, s.url("/")).await);
    c.post(s.url("/logout"))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    let first = next_received(&mut rx, Duration::from_secs(5)).await;
    assert!(field(&first, "logoutRequest").contains(&ticket));
    wait_until(
        "both failures are recorded",
        Duration::from_secs(5),
        || async {
            let rows = queue_rows(&s).await;
            rows.len() == 2 && rows.iter().all(|(n, e)| *n == 1 && !e.is_empty())
        },
    )
    .await;
    // Tried again a few seconds later, and delivered this time.
    let second = next_received(&mut rx, Duration::from_secs(15)).await;
    assert!(field(&second, "logoutRequest").contains(&ticket));
    wait_until(
        "the delivered one leaves the queue",
        Duration::from_secs(5),
        || async { queue_rows(&s).await.len() == 1 },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_and_a_disabled_account_also_log_out_of_applications() {
    let s = TestServer::start().await;
    let pupil = s.user("l.pupil", Role::Pupil).await;
    let (port, mut rx) = receiver(vec![]).await;
    let service = format!("http://127.0.0.1:{port}/cas/index.php");
    cas_app(
        &s,
        "A",
        &format!("http://127.0.0.1:{port}/cas/"),
        vec![Role::Pupil],
        vec![],
        ClaimProfile::Standard,
    )
    .await;
    let here = s.logged_in("l.pupil").await;
    let there = s.logged_in("l.pupil").await;
    let ticket_here = cas_session(&s, &here, &service).await;
    let ticket_there = cas_session(&s, &there, &service).await;

    // The password changed here ends the session there, and its application's.
    let csrf = csrf_in(&page_text(&here, s.url("/password")).await);
    let r = here
        .post(s.url("/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", PASSWORD),
            ("new", "another-horse-battery"),
            ("confirm", "another-horse-battery"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let got = next_received(&mut rx, Duration::from_secs(10)).await;
    assert!(
        field(&got, "logoutRequest").contains(&ticket_there),
        "{got:?}"
    );

    // The office disables the account: the last session ends, and so does its application's.
    s.running
        .app
        .db
        .write(move |tx| {
            cartable::accounts::set_disabled(tx, &Allowed::system("test"), pupil, true)
                .map_err(|e| cartable::db::Error::Task(e.to_string()))
        })
        .await
        .unwrap();
    let got = next_received(&mut rx, Duration::from_secs(10)).await;
    assert!(
        field(&got, "logoutRequest").contains(&ticket_here),
        "{got:?}"
    );
    let _ = SERVICE;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_application_with_a_certificate_from_the_schools_ca_is_reached() {
    let s = TestServer::start().await;
    s.user("l.pupil", Role::Pupil).await;
    // The application uses a certificate from the school's CA (the server's own, here).
    let tls = cartable::tls::ensure(&s.dir.path().join("tls"), "École", &[]).unwrap();
    let (port, mut rx) = receiver_on(vec![], Some(tls.server_config)).await;
    let service = format!("https://localhost:{port}/cas/index.php");
    cas_app(
        &s,
        "A",
        &format!("https://localhost:{port}/cas/"),
        vec![Role::Pupil],
        vec![],
        ClaimProfile::Standard,
    )
    .await;
    let c = s.logged_in("l.pupil").await;
    let ticket = cas_session(&s, &c, &service).await;
    let r = c
        .get(s.url(&format!(
            "/cas/logout?service={}",
            service.replace(':', "%3A").replace('/', "%2F")
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(location(&r), service, "back to the registered service");
    let got = next_received(&mut rx, Duration::from_secs(5)).await;
    assert!(field(&got, "logoutRequest").contains(&ticket), "{got:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logout_still_undelivered_at_its_give_up_time_is_dropped() {
    let s = TestServer::start().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let app = cas_app(
        &s,
        "A",
        &format!("http://127.0.0.1:{port}/"),
        vec![Role::Pupil],
        vec![],
        ClaimProfile::Standard,
    )
    .await;
    s.running
        .app
        .db
        .write(move |tx| {
            tx.execute(
                "INSERT INTO idp_logout_queue (app_id, kind, url, iss, sub, sid, ticket, attempts, next_try, give_up_at)
                 VALUES (?1, 'cas', ?2, 'http://x', 's', 'sid', 'ST-1', 9, 0, 1)",
                rusqlite::params![app.id, format!("http://127.0.0.1:{port}/x")],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    s.running.app.idp.kick();
    wait_until("the row is given up", Duration::from_secs(10), || async {
        queue_rows(&s).await.is_empty()
    })
    .await;
}
