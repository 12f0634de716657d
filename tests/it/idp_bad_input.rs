//! The issue's bad-input list, for OpenID Connect: each gets the error its specification
//! names, and changes nothing (no grant, no session ended, a code still usable by its owner).

use crate::support::oidc::{
    POST_LOGOUT, REDIRECT, Rp, authorize_path, code_for, count, exchange, param, pkce,
    redirect_query, register, token, userinfo,
};
use crate::support::{TestServer, location};
use cartable::auth::{Allowed, Role};
use cartable::idp::oidc::codes::Code;
use serde_json::Value;

async fn error_of(r: reqwest::Response) -> (u16, String) {
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap();
    (status, v["error"].as_str().unwrap_or("").to_owned())
}

async fn grants(ts: &TestServer) -> i64 {
    count(ts, "SELECT count(*) FROM idp_grants").await
}

/// A client, the extra authorization parameters, the error expected back.
type Case<'a> = (&'a Rp, Vec<(&'a str, &'a str)>, &'a str);

async fn send(ts: &TestServer, rp: &Rp, form: Vec<(&'static str, String)>) -> (u16, String) {
    let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    error_of(token(ts, rp, &f).await).await
}

/// An error page of ours: no redirect anywhere.
async fn assert_page(r: reqwest::Response, status: u16, words: &str) {
    assert_eq!(r.status().as_u16(), status);
    assert!(r.headers().get("location").is_none());
    let html = r.text().await.unwrap();
    assert!(html.contains(words), "{html}");
}

#[tokio::test]
async fn unknown_client_and_unregistered_redirect_uri_are_a_page_never_a_redirect() {
    let ts = TestServer::start().await;
    ts.set_default_language("en").await;
    ts.user("amina", Role::Pupil).await;
    let rp = register(&ts, "moodle", false, vec![Role::Pupil], vec![]).await;
    let c = ts.logged_in("amina").await;
    let unknown = Rp {
        client_id: "nobody".into(),
        secret: None,
    };
    let r = c
        .get(ts.url(&authorize_path(&unknown, &[])))
        .send()
        .await
        .unwrap();
    assert_page(r, 400, "not registered with Cartable").await;
    for bad in [
        "http://evil.test/cb",
        "http://127.0.0.1:9/oidc/redirect_uri/",
        "http://127.0.0.1:9/oidc/redirect_uri?x=1",
        "",
    ] {
        let r = c
            .get(ts.url(&authorize_path(&rp, &[("redirect_uri", bad)])))
            .send()
            .await
            .unwrap();
        assert_page(r, 400, "not registered for it").await;
    }
    // No client_id at all, a repeated parameter, a query that does not parse.
    let r = c
        .get(ts.url("/oidc/authorize?response_type=code"))
        .send()
        .await
        .unwrap();
    assert_page(r, 400, "not registered").await;
    let path = format!("{}&client_id=moodle", authorize_path(&rp, &[]));
    assert_page(c.get(ts.url(&path)).send().await.unwrap(), 400, "repeats").await;
    let r = c
        .get(ts.url("/oidc/authorize?client_id=%ZZ"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.headers().get("location").is_none());
    assert_eq!(grants(&ts).await, 0);
}

#[tokio::test]
async fn malformed_authorization_requests_go_back_with_the_error_the_spec_names() {
    let ts = TestServer::start().await;
    ts.user("amina", Role::Pupil).await;
    let rp = register(&ts, "moodle", false, vec![Role::Pupil], vec![]).await;
    let public = register(&ts, "kolibri", true, vec![Role::Pupil], vec![]).await;
    let c = ts.logged_in("amina").await;
    let (_, challenge) = pkce();
    let cases: Vec<Case> = vec![
        (
            &rp,
            vec![("response_type", "token")],
            "unsupported_response_type",
        ),
        (&rp, vec![("response_type", "")], "invalid_request"),
        (&rp, vec![("scope", "profile email")], "invalid_scope"),
        (&rp, vec![("prompt", "none login")], "invalid_request"),
        (&rp, vec![("prompt", "sideways")], "invalid_request"),
        (&rp, vec![("max_age", "soon")], "invalid_request"),
        (&rp, vec![("request", "eyJ")], "request_not_supported"),
        (
            &rp,
            vec![
                ("code_challenge", &challenge),
                ("code_challenge_method", "plain"),
            ],
            "invalid_request",
        ),
        (&rp, vec![("code_challenge", &challenge)], "invalid_request"),
        (
            &rp,
            vec![
                ("code_challenge", "short"),
                ("code_challenge_method", "S256"),
            ],
            "invalid_request",
        ),
        (&public, vec![], "invalid_request"),
    ];
    for (who, extra, expected) in cases {
        let r = c
            .get(ts.url(&authorize_path(who, &extra)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 302, "{extra:?}");
        let q = redirect_query(&r);
        assert_eq!(param(&q, "error"), Some(expected), "{extra:?}");
        assert_eq!(param(&q, "state"), Some("st-1"));
        assert_eq!(param(&q, "iss"), Some(ts.base.as_str()));
        assert!(param(&q, "code").is_none());
    }
    assert_eq!(grants(&ts).await, 0);
    assert_eq!(
        c.get(ts.url("/")).send().await.unwrap().status(),
        200,
        "still logged in"
    );
}

#[tokio::test]
async fn a_replayed_code_is_refused_and_revokes_what_it_issued() {
    let ts = TestServer::start().await;
    ts.user("amina", Role::Pupil).await;
    let rp = register(&ts, "moodle", false, vec![Role::Pupil], vec![]).await;
    let c = ts.logged_in("amina").await;
    let code = code_for(&ts, &c, &rp, &[]).await;
    let t = exchange(&ts, &rp, &code, None).await;
    let access = t["access_token"].as_str().unwrap();
    assert_eq!(userinfo(&ts, access).await.status(), 200);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    assert_eq!(
        error_of(token(&ts, &rp, &form).await).await,
        (400, "invalid_grant".into())
    );
    assert_eq!(
        userinfo(&ts, access).await.status(),
        401,
        "the grant is revoked"
    );
    let refresh = t["refresh_token"].as_str().unwrap();
    let r = token(
        &ts,
        &rp,
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    )
    .await;
    assert_eq!(error_of(r).await, (400, "invalid_grant".into()));
    assert_eq!(grants(&ts).await, 0);
    // The portal session itself is untouched.
    assert_eq!(c.get(ts.url("/")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn expired_foreign_and_unknown_codes_and_a_wrong_verifier_change_nothing() {
    let ts = TestServer::start().await;
    ts.user("amina", Role::Pupil).await;
    let rp = register(&ts, "moodle", false, vec![Role::Pupil], vec![]).await;
    let other = register(&ts, "wiki", false, vec![Role::Pupil], vec![]).await;
    let public = register(&ts, "kolibri", true, vec![Role::Pupil], vec![]).await;
    let c = ts.logged_in("amina").await;
    let grant_form = |code: &str| {
        vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.to_owned()),
            ("redirect_uri", REDIRECT.to_owned()),
        ]
    };
    // Unknown.
    assert_eq!(
        send(&ts, &rp, grant_form("deadbeef")).await,
        (400, "invalid_grant".into())
    );
    // Expired: a code whose minute has passed.
    let now = cartable::now();
    let session_sid: String = ts
        .running
        .app
        .db
        .read(|c| Ok(c.query_row("SELECT sid FROM sessions", [], |r| r.get(0))?))
        .await
        .unwrap();
    let app_id: i64 = count(&ts, "SELECT id FROM apps WHERE slug = 'moodle'").await;
    let user: i64 = count(&ts, "SELECT id FROM users WHERE username = 'amina'").await;
    let stale = ts
        .running
        .app
        .idp
        .oidc
        .codes
        .issue(
            Code {
                app: cartable::ids::AppId(app_id),
                client_id: "moodle".into(),
                redirect_uri: REDIRECT.into(),
                challenge: None,
                nonce: None,
                sid: session_sid,
                auth_time: now - 100,
                user: cartable::ids::UserId(user),
                scopes: vec!["openid".into()],
                iss: ts.base.clone(),
                expires: now - 1,
            },
            now - 61,
        )
        .unwrap();
    assert_eq!(
        send(&ts, &rp, grant_form(&stale)).await,
        (400, "invalid_grant".into())
    );
    // Foreign: another client's code is refused, and its owner can still use it.
    let code = code_for(&ts, &c, &rp, &[]).await;
    assert_eq!(
        send(&ts, &other, grant_form(&code)).await,
        (400, "invalid_grant".into())
    );
    // Another redirect_uri than the request's: refused, the code still good.
    let mut wrong = grant_form(&code);
    wrong[2].1 = "http://127.0.0.1:9/elsewhere".into();
    assert_eq!(send(&ts, &rp, wrong).await, (400, "invalid_grant".into()));
    assert_eq!(grants(&ts).await, 0);
    exchange(&ts, &rp, &code, None).await;
    // A wrong PKCE verifier, then none: refused; the right one still works.
    let (verifier, challenge) = pkce();
    let code = code_for(
        &ts,
        &c,
        &public,
        &[
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    let (bad_verifier, _) = pkce();
    let mut form = grant_form(&code);
    form.push(("code_verifier", bad_verifier));
    assert_eq!(
        send(&ts, &public, form).await,
        (400, "invalid_grant".into())
    );
    assert_eq!(
        send(&ts, &public, grant_form(&code)).await,
        (400, "invalid_grant".into())
    );
    assert_eq!(grants(&ts).await, 1);
    exchange(&ts, &public, &code, Some(&verifier)).await;
    assert_eq!(grants(&ts).await, 2);
}

#[tokio::test]
async fn a_wrong_client_secret_is_401_and_throttled_like_logins() {
    let ts = TestServer::start().await;
    ts.user("amina", Role::Pupil).await;
    let rp = register(&ts, "moodle", false, vec![Role::Pupil], vec![]).await;
    let other = register(&ts, "wiki", false, vec![Role::Pupil], vec![]).await;
    let c = ts.logged_in("amina").await;
    let code = code_for(&ts, &c, &rp, &[]).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    let wrong = Rp {
        client_id: "moodle".into(),
        secret: Some("not-the-secret".into()),
    };
    let r = token(&ts, &wrong, &form).await;
    assert_eq!(r.status(), 401);
    assert!(
        r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
    assert_eq!(error_of(r).await, (401, "invalid_client".into()));
    // No secret at all for a confidential client, a secret for a public one, two methods.
    let none = Rp {
        client_id: "moodle".into(),
        secret: None,
    };
    assert_eq!(
        error_of(token(&ts, &none, &form).await).await,
        (401, "invalid_client".into())
    );
    let both = crate::support::plain_client()
        .post(ts.url("/oidc/token"))
        .basic_auth("moodle", rp.secret.as_deref())
        .form(&[
            ("client_secret", rp.secret.as_deref().unwrap()),
            ("grant_type", "authorization_code"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(both).await, (400, "invalid_request".into()));
    for _ in 0..3 {
        token(&ts, &wrong, &form).await;
    }
    // Five failures: now even the right secret waits, from this address.
    let r = token(&ts, &rp, &form).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    // Another client is not affected, and the code was never spent.
    let code2 = code_for(&ts, &c, &other, &[]).await;
    exchange(&ts, &other, &code2, None).await;
    assert_eq!(grants(&ts).await, 1);
}

#[tokio::test]
async fn a_disabled_account_or_application_and_a_person_not_allowed_get_a_clear_page() {
    let ts = TestServer::start().await;
    ts.set_default_language("en").await;
    let a = ts.class("6e A").await;
    let b = ts.class("6e B").await;
    let amina = ts.user("amina", Role::Pupil).await;
    ts.add_member(a, amina).await;
    let kofi = ts.user("kofi", Role::Pupil).await;
    ts.add_member(b, kofi).await;
    ts.user("p.sow", Role::Parent).await;
    let rp = register(&ts, "moodle", false, vec![Role::Pupil], vec![a]).await;
    // Kofi's class is not allowed; a parent's role is not.
    for who in ["kofi", "p.sow"] {
        let c = ts.logged_in(who).await;
        let r = c
            .get(ts.url(&authorize_path(&rp, &[])))
            .send()
            .await
            .unwrap();
        assert_page(r, 403, "may not use this application").await;
        assert_eq!(c.get(ts.url("/")).send().await.unwrap().status(), 200);
    }
    // Amina gets a code; then her account is disabled before the application redeems it.
    let c = ts.logged_in("amina").await;
    let code = code_for(&ts, &c, &rp, &[]).await;
    ts.running
        .app
        .db
        .write(move |tx| {
            Ok(cartable::accounts::set_disabled(
                tx,
                &Allowed::system("test"),
                amina,
                true,
            )?)
        })
        .await
        .unwrap();
    let r = token(
        &ts,
        &rp,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert_eq!(error_of(r).await, (400, "invalid_grant".into()));
    // Her browser is logged out: the application's request leads to the login page.
    let r = c
        .get(ts.url(&authorize_path(&rp, &[])))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/login?next="));
    assert_eq!(grants(&ts).await, 0);
    // A disabled application: a page, before any login.
    let id: i64 = count(&ts, "SELECT id FROM apps WHERE slug = 'moodle'").await;
    ts.running
        .app
        .db
        .write(move |tx| Ok(tx.execute("UPDATE apps SET disabled = 1 WHERE id = ?1", [id])?))
        .await
        .unwrap();
    let r = ts
        .client()
        .get(ts.url(&authorize_path(&rp, &[])))
        .send()
        .await
        .unwrap();
    assert_page(r, 403, "switched off").await;
}

#[tokio::test]
async fn malformed_token_userinfo_and_logout_requests() {
    let ts = TestServer::start().await;
    ts.user("amina", Role::Pupil).await;
    let rp = register(&ts, "moodle", false, vec![Role::Pupil], vec![]).await;
    let c = ts.logged_in("amina").await;
    let plain = crate::support::plain_client();
    let r = token(&ts, &rp, &[("code", "x")]).await;
    assert_eq!(error_of(r).await, (400, "invalid_request".into()));
    let r = token(&ts, &rp, &[("grant_type", "password")]).await;
    assert_eq!(error_of(r).await, (400, "unsupported_grant_type".into()));
    let r = token(&ts, &rp, &[("grant_type", "authorization_code")]).await;
    assert_eq!(error_of(r).await, (400, "invalid_request".into()));
    let r = token(
        &ts,
        &rp,
        &[("grant_type", "refresh_token"), ("refresh_token", "zz")],
    )
    .await;
    assert_eq!(error_of(r).await, (400, "invalid_grant".into()));
    let r = plain
        .post(ts.url("/oidc/token"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await, (400, "invalid_request".into()));
    let r = plain
        .post(ts.url("/oidc/token"))
        .body("grant_type=authorization_code&grant_type=refresh_token")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await, (400, "invalid_request".into()));
    // Userinfo: no token, a forged one.
    let r = plain.get(ts.url("/oidc/userinfo")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().contains_key("www-authenticate"));
    let r = userinfo(&ts, "eyJnIjoxLCJlIjo5OTk5OTk5OTk5LCJzIjoib3BlbmlkIn0.AAAA").await;
    assert_eq!(r.status(), 401);
    assert!(
        r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("invalid_token")
    );
    // Logout: a hint we did not sign, an unregistered address after logout, an address
    // without a client to check it against: each a page, the session alive.
    let forged = "eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.eyJhdWQiOiJtb29kbGUifQ.AAAA";
    let cases = [
        serde_urlencoded::to_string([("id_token_hint", forged)]).unwrap(),
        serde_urlencoded::to_string([
            ("client_id", "moodle"),
            ("post_logout_redirect_uri", "http://evil.test/"),
        ])
        .unwrap(),
        serde_urlencoded::to_string([("post_logout_redirect_uri", POST_LOGOUT)]).unwrap(),
        serde_urlencoded::to_string([("client_id", "nobody")]).unwrap(),
    ];
    for q in cases {
        let r = c
            .get(ts.url(&format!("/oidc/logout?{q}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{q}");
        assert!(r.headers().get("location").is_none());
    }
    assert_eq!(c.get(ts.url("/")).send().await.unwrap().status(), 200);
    // A hint of another client's token with this client's id: refused.
    let code = code_for(&ts, &c, &rp, &[]).await;
    let t = exchange(&ts, &rp, &code, None).await;
    let q = serde_urlencoded::to_string([
        ("id_token_hint", t["id_token"].as_str().unwrap()),
        ("client_id", "wiki"),
    ])
    .unwrap();
    let r = c
        .get(ts.url(&format!("/oidc/logout?{q}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(c.get(ts.url("/")).send().await.unwrap().status(), 200);
    assert_eq!(count(&ts, "SELECT count(*) FROM idp_logout_queue").await, 0);
}
