//! The portal's public pages, HTTPS and its redirects, languages, and bad requests.

use crate::support::*;
use cartable::auth::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_json_with_status_and_version() {
    let s = TestServer::start().await;
    let r = s.client().get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["version"], cartable::VERSION);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_serves_the_portal_with_secure_cookies() {
    let s = TestServer::start().await;
    s.user("admin1", Role::Admin).await;
    let c = s.client();
    let r = c
        .get(format!("{}/healthz", s.https_base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = login(&c, &s.https_base, "admin1", PASSWORD).await;
    assert_eq!(r.status(), 303);
    let session = session_set_cookie(&r).unwrap();
    assert!(session.contains("Secure"), "{session}");
    assert_eq!(
        c.get(format!("{}/", s.https_base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_on_the_network_redirects_to_https_except_health_and_ca() {
    // Bound to every address, the listener is not loopback-only: it must redirect.
    let s = TestServer::start_with(vec!["0.0.0.0:0".parse().unwrap()]).await;
    let port = s.running.http[0].0.port();
    let https_port = s.running.https[0].port();
    let c = s.client();
    let base = format!("http://127.0.0.1:{port}");
    let r = c
        .get(format!("{base}/login?next=%2F"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 301);
    assert_eq!(
        location(&r),
        format!("https://127.0.0.1:{https_port}/login?next=%2F")
    );
    assert_eq!(
        c.get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let ca = c.get(format!("{base}/ca")).send().await.unwrap();
    assert_eq!(ca.status(), 200);
    let page = ca.text().await.unwrap();
    for system in ["Windows", "macOS", "Linux", "Android", "iOS"] {
        assert!(page.contains(system), "{system} install steps");
    }
    let crt = c.get(format!("{base}/ca.crt")).send().await.unwrap();
    assert_eq!(crt.status(), 200);
    assert!(
        crt.text()
            .await
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn language_follows_account_then_school_then_browser() {
    let s = TestServer::start().await;
    s.set_default_language("auto").await;
    let c = s.client();
    let en = c
        .get(s.url("/login"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert!(en.text().await.unwrap().contains("Log in"));
    let fr = c
        .get(s.url("/login"))
        .header("accept-language", "fr-FR")
        .send()
        .await
        .unwrap();
    assert!(fr.text().await.unwrap().contains("Connexion"));
    s.set_default_language("fr").await;
    let fr = c
        .get(s.url("/login"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert!(
        fr.text().await.unwrap().contains("Connexion"),
        "the school default wins over the browser"
    );
    // A visitor's own choice wins over the school's.
    let r = c.get(s.url("/lang/en?next=/login")).send().await.unwrap();
    assert_eq!(location(&r), "/login");
    assert!(page_text(&c, s.url("/login")).await.contains("Log in"));
    // And a logged-in account's language wins over everything.
    s.user("lang1", Role::Teacher).await;
    let t = s.logged_in("lang1").await;
    let page = page_text(&t, s.url("/profile")).await;
    let r = t
        .post(s.url("/profile"))
        .form(&[("csrf", csrf_in(&page).as_str()), ("language", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let home = t
        .get(s.url("/"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Hello"), "{home}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_malformed_bodies_get_clear_errors() {
    let s = TestServer::start().await;
    s.user("big", Role::Pupil).await;
    let c = s.client();
    let csrf = csrf_for(&c, &s.base, "/login").await;
    let huge = "x".repeat(200 * 1024);
    let r = c
        .post(s.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "big"),
            ("password", huge.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert!(r.text().await.unwrap().contains("trop gros"));
    let r = c
        .post(s.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}&username=big"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("pas correctement rempli"));
    let r = c.get(s.url("/no/such/page")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = c.delete(s.url("/login")).send().await.unwrap();
    assert_eq!(r.status(), 405);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_small_and_fetch_nothing_from_outside() {
    let s = TestServer::start().await;
    s.user("small", Role::Admin).await;
    let c = s.logged_in("small").await;
    for path in [
        "/login",
        "/",
        "/profile",
        "/admin/",
        "/library",
        "/ca",
        "/static/cartable.css",
    ] {
        let body = page_text(&c, s.url(path)).await;
        assert!(body.len() < 100 * 1024, "{path} is {} bytes", body.len());
        for outside in ["http://", "https://", "//fonts.", "//cdn"] {
            let hits: Vec<_> = body
                .match_indices(outside)
                .map(|(i, _)| &body[i..(i + 40).min(body.len())])
                .collect();
            assert!(hits.is_empty(), "{path} refers outside: {hits:?}");
        }
    }
}
