//! OpenID Connect and the portal session: a login page that leads back to the application
//! (and a forced password change on the way), `prompt`, `max_age`, and logout started by the
//! application or at the portal.

use crate::support::oidc::*;
use crate::support::{PASSWORD, TestServer, csrf_in, location};
use cartable::auth::Role;
use cartable::idp::apps::{AppInput, Protocol};

#[tokio::test]
async fn without_a_session_the_login_page_leads_back_to_the_application() {
    let ts = TestServer::start().await;
    ts.user("amina", Role::Pupil).await;
    let rp = register(&ts, "moodle", false, vec![Role::Pupil], vec![]).await;
    let c = ts.client();
    let path = authorize_path(&rp, &[]);
    let r = c.get(ts.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let login = location(&r);
    assert!(login.starts_with("/login?next="), "{login}");
    let r = c.get(ts.url(&login)).send().await.unwrap();
    // The login page lets its redirect chain end at the application (Chromium checks it).
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("form-action 'self' http://127.0.0.1:9;"),
        "{csp}"
    );
    let html = r.text().await.unwrap();
    let csrf = csrf_in(&html);
    let next: Vec<(String, String)> =
        serde_urlencoded::from_str(login.split_once('?').unwrap().1).unwrap();
    let r = c
        .post(ts.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "amina"),
            ("password", PASSWORD),
            ("next", next[0].1.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), path);
    let r = c.get(ts.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), 302);
    assert!(param(&redirect_query(&r), "code").is_some());
    // An ordinary login page keeps the strict policy.
    let plain = ts.client().get(ts.url("/login")).send().await.unwrap();
    let csp = plain.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("form-action 'self';"), "{csp}");
}

/// A first login with a password to change: the application's login waits behind the change,
/// and the password page (its form ends at the application too) leads back to it.
#[tokio::test]
async fn a_forced_password_change_keeps_the_way_back_to_the_application() {
    let ts = TestServer::start().await;
    ts.user_with("amina", Role::Pupil, true).await;
    let rp = register(&ts, "moodle", false, vec![Role::Pupil], vec![]).await;
    let c = ts.client();
    let path = authorize_path(&rp, &[]);
    let login = location(&c.get(ts.url(&path)).send().await.unwrap());
    let html = c
        .get(ts.url(&login))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = c
        .post(ts.url("/login"))
        .form(&[
            ("csrf", csrf_in(&html).as_str()),
            ("username", "amina"),
            ("password", PASSWORD),
            ("next", path.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to_password = location(&r);
    assert!(to_password.starts_with("/password?next="), "{to_password}");
    // Any other page sends to the password page, keeping where it was going.
    let r = c.get(ts.url(&path)).send().await.unwrap();
    assert_eq!(location(&r), to_password);
    let r = c.get(ts.url(&to_password)).send().await.unwrap();
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("form-action 'self' http://127.0.0.1:9;"),
        "{csp}"
    );
    let html = r.text().await.unwrap();
    let r = c
        .post(ts.url("/password"))
        .form(&[
            ("csrf", csrf_in(&html).as_str()),
            ("current", PASSWORD),
            ("new", "Une-nouvelle-phrase-42"),
            ("confirm", "Une-nouvelle-phrase-42"),
            ("next", path.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), path);
    let r = c.get(ts.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), 302);
    assert!(param(&redirect_query(&r), "code").is_some());
}

#[tokio::test]
async fn prompt_none_prompt_login_and_max_age() {
    let ts = TestServer::start().await;
    ts.user("amina", Role::Pupil).await;
    let rp = register(&ts, "moodle", false, vec![Role::Pupil], vec![]).await;
    // prompt=none without a session: login_required, back at the application.
    let r = ts
        .client()
        .get(ts.url(&authorize_path(&rp, &[("prompt", "none")])))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let q = redirect_query(&r);
    assert_eq!(param(&q, "error"), Some("login_required"));
    assert_eq!(param(&q, "state"), Some("st-1"));
    assert_eq!(param(&q, "iss"), Some(ts.base.as_str()));
    // prompt=none with a session: a code, no page.
    let c = ts.logged_in("amina").await;
    code_for(&ts, &c, &rp, &[("prompt", "none")]).await;
    // prompt=login: the session ends and the login page comes, leading back without prompt.
    let sessions = count(&ts, "SELECT count(*) FROM sessions").await;
    let r = c
        .get(ts.url(&authorize_path(&rp, &[("prompt", "login")])))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let login = location(&r);
    assert!(login.starts_with("/login?next="), "{login}");
    assert!(!login.contains("prompt"), "{login}");
    assert_eq!(
        count(&ts, "SELECT count(*) FROM sessions").await,
        sessions - 1
    );
    let r = c.get(ts.url("/")).send().await.unwrap();
    assert_eq!(r.status(), 303, "logged out");
    // max_age: a session older than asked is ended the same way.
    let c = ts.logged_in("amina").await;
    code_for(&ts, &c, &rp, &[("max_age", "3600")]).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let r = c
        .get(ts.url(&authorize_path(&rp, &[("max_age", "0")])))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/login?next="));
    // max_age with prompt=none: login_required instead.
    let c = ts.logged_in("amina").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let r = c
        .get(ts.url(&authorize_path(
            &rp,
            &[("max_age", "0"), ("prompt", "none")],
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(param(&redirect_query(&r), "error"), Some("login_required"));
}

#[tokio::test]
async fn the_application_logs_the_person_out_of_cartable() {
    let ts = TestServer::start().await;
    ts.user("amina", Role::Pupil).await;
    let rp = register(&ts, "moodle", false, vec![Role::Pupil], vec![]).await;
    let c = ts.logged_in("amina").await;
    let code = code_for(&ts, &c, &rp, &[]).await;
    let t = exchange(&ts, &rp, &code, None).await;
    let hint = t["id_token"].as_str().unwrap();
    // With a hint naming this session: logged out at once, sent back with the state.
    let q = serde_urlencoded::to_string([
        ("id_token_hint", hint),
        ("post_logout_redirect_uri", POST_LOGOUT),
        ("state", "bye-1"),
    ])
    .unwrap();
    let r = c
        .get(ts.url(&format!("/oidc/logout?{q}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(location(&r), format!("{POST_LOGOUT}?state=bye-1"));
    assert_eq!(c.get(ts.url("/")).send().await.unwrap().status(), 303);
    assert_eq!(
        userinfo(&ts, t["access_token"].as_str().unwrap())
            .await
            .status(),
        401
    );
    assert_eq!(count(&ts, "SELECT count(*) FROM idp_logout_queue").await, 1);
    // A hint of another session (or none) asks first; the confirmation logs out.
    let c = ts.logged_in("amina").await;
    let r = c
        .get(ts.url(&format!("/oidc/logout?{q}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("form-action 'self' http://127.0.0.1:9;"),
        "{csp}"
    );
    let html = r.text().await.unwrap();
    assert!(html.contains("action=\"/oidc/logout\""));
    assert_eq!(
        c.get(ts.url("/")).send().await.unwrap().status(),
        200,
        "still logged in"
    );
    let csrf = csrf_in(&html);
    let r = c
        .post(ts.url("/oidc/logout"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("id_token_hint", hint),
            ("post_logout_redirect_uri", POST_LOGOUT),
            ("state", "bye-2"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(location(&r), format!("{POST_LOGOUT}?state=bye-2"));
    assert_eq!(c.get(ts.url("/")).send().await.unwrap().status(), 303);
    // A forged confirmation (no valid csrf) changes nothing.
    let c = ts.logged_in("amina").await;
    let r = c
        .post(ts.url("/oidc/logout"))
        .form(&[("csrf", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(c.get(ts.url("/")).send().await.unwrap().status(), 200);
}

/// An application that cannot hear of a logout (no back-channel URL) keeps its own session:
/// the portal's logout names it, so that the pupil on a shared PC logs out of it by hand.
#[tokio::test]
async fn the_portal_logout_names_applications_that_will_not_hear_of_it() {
    let ts = TestServer::start().await;
    ts.user("amina", Role::Pupil).await;
    let rp = register(&ts, "moodle", false, vec![Role::Pupil], vec![]).await;
    let deaf = register_input(
        &ts,
        AppInput {
            slug: "vieux-wiki".into(),
            name: "Vieux wiki".into(),
            protocol: Some(Protocol::Oidc),
            redirect_uris: vec![REDIRECT.into()],
            logout_url: "http://127.0.0.1:9/wiki/logout".into(),
            roles: vec![Role::Pupil],
            ..Default::default()
        },
    )
    .await;
    let c = ts.logged_in("amina").await;
    for rp in [&rp, &deaf] {
        let code = code_for(&ts, &c, rp, &[]).await;
        exchange(&ts, rp, &code, None).await;
    }
    let home = c
        .get(ts.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = c
        .post(ts.url("/logout"))
        .form(&[("csrf", csrf_in(&home).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Vieux wiki") && page.contains("127.0.0.1:9&#x2f;wiki&#x2f;logout"),
        "{page}"
    );
    assert!(!page.contains("App moodle"), "moodle hears of it: {page}");
    // The session is over all the same.
    let r = c.get(ts.url("/")).send().await.unwrap();
    assert_eq!(r.status(), 303);
}
