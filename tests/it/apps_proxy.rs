//! An application behind the portal (issue #15, item 5): `/apps/<slug>/` reaches its internal
//! address for those allowed, and only them, without the portal's cookie or credentials, with
//! the forwarded headers, bodies both ways, redirects brought back under the prefix, and a
//! clear 502 when the application is down.

use crate::support::process::cartable;
use crate::support::*;
use bytes::Bytes;
use cartable::auth::Role;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;

/// The size of `/big`'s answer.
const BIG: usize = 5 * 1024 * 1024 + 3;

/// A tiny application: it answers with what it received, one `key: value` per line; `/redirect`
/// `/cookie` and `/big` answer as their names say.
async fn echo_server() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let service = service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| async move {
                        let mut text = format!(
                            "method: {}\ntarget: {}\n",
                            req.method(),
                            req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("")
                        );
                        for (k, v) in req.headers() {
                            text.push_str(&format!("{k}: {}\n", v.to_str().unwrap_or("?")));
                        }
                        let path = req.uri().path().to_owned();
                        let body = req.into_body().collect().await.unwrap().to_bytes();
                        text.push_str(&format!("body-length: {}\n", body.len()));
                        if path.ends_with("/big") {
                            return Ok(hyper::Response::new(Full::new(Bytes::from(vec![
                                b'y';
                                BIG
                            ]))));
                        }
                        let mut resp = hyper::Response::new(Full::new(Bytes::from(text)));
                        if path.ends_with("/redirect") {
                            *resp.status_mut() = hyper::StatusCode::FOUND;
                            resp.headers_mut().insert(
                                "location",
                                format!("http://127.0.0.1:{port}/base/landed?a=1")
                                    .parse()
                                    .unwrap(),
                            );
                        }
                        if path.ends_with("/cookie") {
                            let h = resp.headers_mut();
                            h.append("set-cookie", "app=1; Path=/base/".parse().unwrap());
                            h.append(
                                "set-cookie",
                                "cartable_session=stolen; Path=/".parse().unwrap(),
                            );
                        }
                        Ok::<_, Infallible>(resp)
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    port
}

fn field(text: &str, key: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
        .map(str::to_owned)
}

fn add(s: &TestServer, args: &[&str]) {
    let out = cartable(s.dir.path(), args, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_behind_the_portal_is_reached_by_those_allowed_only() {
    let s = TestServer::start().await;
    let port = echo_server().await;
    let year = s.running.app.settings().school_year.clone();
    let pupil = s.user("x.pupil", Role::Pupil).await;
    s.user("x.other", Role::Pupil).await;
    s.user("x.teacher", Role::Teacher).await;
    let name = "6e A".to_owned();
    let class = s
        .running
        .app
        .db
        .write(move |tx| {
            Ok(cartable::accounts::create_class(
                tx,
                &cartable::auth::Allowed::system("test"),
                &name,
                &year,
            )?)
        })
        .await
        .unwrap();
    s.add_member(class, pupil).await;
    let internal = format!("http://127.0.0.1:{port}/base/");
    add(
        &s,
        &[
            "app",
            "add",
            "--name",
            "Echo",
            "--protocol",
            "proxy",
            "--internal-url",
            &internal,
            "--role",
            "pupil",
            "--class",
            "6e A",
        ],
    );
    add(
        &s,
        &[
            "app",
            "add",
            "--name",
            "Sso",
            "--protocol",
            "oidc",
            "--redirect-uri",
            "https://sso.test/cb",
            "--role",
            "pupil",
        ],
    );

    // Nobody logged in: the login page, then back here.
    let anonymous = s.client();
    let r = anonymous.get(s.url("/apps/echo/")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/login?next="));

    // Not allowed (another class, another role): 403. Unknown, or not behind the portal: 404.
    for who in ["x.other", "x.teacher"] {
        let c = s.logged_in(who).await;
        for path in ["/apps/echo/", "/apps/echo/x"] {
            let r = c.get(s.url(path)).send().await.unwrap();
            assert_eq!(r.status(), 403, "{who} {path}");
        }
    }
    let c = s.logged_in("x.pupil").await;
    for path in ["/apps/nope/", "/apps/sso/x"] {
        assert_eq!(
            c.get(s.url(path)).send().await.unwrap().status(),
            404,
            "{path}"
        );
    }
    let r = c.get(s.url("/apps/echo")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/apps/echo/");

    // Redirects into the application come back under the prefix; its cookies stay there and
    // cannot be the portal's.
    let r = c.get(s.url("/apps/echo/redirect")).send().await.unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(location(&r), "/apps/echo/landed?a=1");
    let r = c.get(s.url("/apps/echo/cookie")).send().await.unwrap();
    let set: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(set.len(), 1, "{set:?}");
    assert!(
        set[0].starts_with("app=1") && set[0].contains("Path=/apps/echo/"),
        "{set:?}"
    );
    // Allowed: the path and query under the internal base; no portal cookie or credentials;
    // the forwarded headers are ours, not the visitor's.
    let r = c
        .get(s.url("/apps/echo/a/b.html?q=1&r=%20"))
        .header("authorization", "Basic eDp5")
        .header("x-forwarded-for", "6.6.6.6")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert_eq!(field(&text, "method").unwrap(), "GET");
    assert_eq!(field(&text, "target").unwrap(), "/base/a/b.html?q=1&r=%20");
    let cookies = field(&text, "cookie").unwrap_or_default();
    assert!(
        cookies.contains("app=1"),
        "the application's own cookie: {text}"
    );
    assert!(!cookies.contains("cartable_"), "{text}");
    assert!(field(&text, "authorization").is_none(), "{text}");
    assert_eq!(field(&text, "x-forwarded-for").unwrap(), "127.0.0.1");
    assert_eq!(field(&text, "x-forwarded-proto").unwrap(), "http");
    assert_eq!(field(&text, "x-forwarded-prefix").unwrap(), "/apps/echo");
    assert_eq!(
        field(&text, "x-forwarded-host").unwrap(),
        s.base.trim_start_matches("http://")
    );
    assert_eq!(field(&text, "host").unwrap(), format!("127.0.0.1:{port}"));

    // A path that climbs out of the internal address (encoded, as a browser never sends it).
    let r = c
        .get(s.url("/apps/echo/a%2f..%2f..%2fsecret"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    // A body goes through whole (streamed), and other methods too.
    let big = vec![b'x'; 3 * 1024 * 1024 + 7];
    let r = c
        .post(s.url("/apps/echo/upload"))
        .body(big.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert_eq!(field(&text, "body-length").unwrap(), big.len().to_string());
    let r = c.get(s.url("/apps/echo/big")).send().await.unwrap();
    assert_eq!(r.bytes().await.unwrap().len(), BIG);
    let r = c.delete(s.url("/apps/echo/item/3")).send().await.unwrap();
    assert_eq!(field(&r.text().await.unwrap(), "method").unwrap(), "DELETE");

    // Still logged in to the portal.
    assert_eq!(c.get(s.url("/profile")).send().await.unwrap().status(), 200);

    // The application is down: a clear page, 502.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{closed}/");
    add(&s, &["app", "edit", "echo", "--internal-url", &url]);
    let r = c.get(s.url("/apps/echo/")).send().await.unwrap();
    assert_eq!(r.status(), 502);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("ne répond pas") || page.contains("does not answer"),
        "{page}"
    );
}
