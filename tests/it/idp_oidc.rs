//! Cartable as an OpenID Connect provider, driven as a relying party would: discovery, the
//! code flow with a live portal session, the token endpoint's three ways of authenticating,
//! ID tokens checked against the published keys, userinfo, refresh, the claims of a pupil, a
//! teacher and a parent, `prompt`, `max_age`, and logout started by the application.

use crate::support::{PASSWORD, TestServer, csrf_in, location};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use cartable::auth::{Allowed, Role};
use cartable::idp::apps::{self, AppInput, Protocol};
use cartable::ids::ClassId;
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const REDIRECT: &str = "http://127.0.0.1:9/oidc/redirect_uri";
pub const POST_LOGOUT: &str = "http://127.0.0.1:9/bye";

/// A registered application, as its relying party knows it.
pub struct Rp {
    pub client_id: String,
    pub secret: Option<String>,
}

/// Registers an OIDC application open to `roles` (and `classes`, if any).
pub async fn register(
    ts: &TestServer,
    slug: &str,
    public: bool,
    roles: Vec<Role>,
    classes: Vec<ClassId>,
) -> Rp {
    let input = AppInput {
        slug: slug.into(),
        name: format!("App {slug}"),
        protocol: Some(Protocol::Oidc),
        public,
        redirect_uris: vec![REDIRECT.into()],
        post_logout_uris: vec![POST_LOGOUT.into()],
        backchannel_logout_url: "http://127.0.0.1:9/backchannel".into(),
        roles,
        classes,
        ..Default::default()
    };
    let (app, secret) = ts
        .running
        .app
        .db
        .write(move |tx| {
            apps::create(tx, &Allowed::system("test"), input)
                .map_err(|e| cartable::db::Error::Task(e.to_string()))
        })
        .await
        .unwrap();
    Rp {
        client_id: app.slug,
        secret,
    }
}

/// A PKCE verifier and its S256 challenge.
pub fn pkce() -> (String, String) {
    let verifier = format!("v{}", cartable::random_token(32));
    let challenge = B64.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// `/oidc/authorize?...` for `rp` with the usual parameters and `extra` ones.
pub fn authorize_path(rp: &Rp, extra: &[(&str, &str)]) -> String {
    let mut q: Vec<(&str, &str)> = vec![
        ("response_type", "code"),
        ("client_id", &rp.client_id),
        ("redirect_uri", REDIRECT),
        ("scope", "openid profile email"),
        ("state", "st-1"),
        ("nonce", "n-1"),
    ];
    for (k, v) in extra {
        q.retain(|(k2, _)| k2 != k);
        if !v.is_empty() {
            q.push((k, v));
        }
    }
    format!(
        "/oidc/authorize?{}",
        serde_urlencoded::to_string(&q).unwrap()
    )
}

/// The query of a redirect to the application.
pub fn redirect_query(r: &reqwest::Response) -> Vec<(String, String)> {
    let loc = location(r);
    assert!(
        loc.starts_with(REDIRECT),
        "expected a redirect to the application, got {} {loc:?}",
        r.status()
    );
    let q = loc.split_once('?').map(|(_, q)| q).unwrap_or("");
    serde_urlencoded::from_str(q).unwrap()
}

pub fn param<'a>(q: &'a [(String, String)], k: &str) -> Option<&'a str> {
    q.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str())
}

/// Runs the authorization request on a logged-in client and returns the code.
pub async fn code_for(
    ts: &TestServer,
    c: &reqwest::Client,
    rp: &Rp,
    extra: &[(&str, &str)],
) -> String {
    let r = c
        .get(ts.url(&authorize_path(rp, extra)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302, "authorize: {}", location(&r));
    let q = redirect_query(&r);
    assert_eq!(param(&q, "state"), Some("st-1"));
    assert_eq!(param(&q, "iss"), Some(ts.base.as_str()));
    param(&q, "code").expect("a code").to_owned()
}

/// POSTs to the token endpoint with `client_secret_basic` when `rp` has a secret.
pub async fn token(ts: &TestServer, rp: &Rp, form: &[(&str, &str)]) -> reqwest::Response {
    let c = crate::support::plain_client();
    let mut req = c.post(ts.url("/oidc/token"));
    let mut form: Vec<(&str, &str)> = form.to_vec();
    match &rp.secret {
        Some(s) => req = req.basic_auth(&rp.client_id, Some(s)),
        None => form.push(("client_id", &rp.client_id)),
    }
    req.form(&form).send().await.unwrap()
}

pub async fn exchange(ts: &TestServer, rp: &Rp, code: &str, verifier: Option<&str>) -> Value {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT),
    ];
    if let Some(v) = verifier {
        form.push(("code_verifier", v));
    }
    let r = token(ts, rp, &form).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    r.json().await.unwrap()
}

pub async fn userinfo(ts: &TestServer, access: &str) -> reqwest::Response {
    crate::support::plain_client()
        .get(ts.url("/oidc/userinfo"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
}

/// Checks an ID token's RS256 signature against the JWKS, as a relying party does, and
/// returns its claims.
pub async fn verify_id_token(ts: &TestServer, jwt: &str) -> Value {
    let jwks: Value = crate::support::plain_client()
        .get(ts.url("/oidc/jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value = serde_json::from_slice(&B64.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header["alg"], "RS256");
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .expect("the token's kid is published");
    assert!(key.get("d").is_none(), "public keys only");
    let n = B64.decode(key["n"].as_str().unwrap()).unwrap();
    let e = B64.decode(key["e"].as_str().unwrap()).unwrap();
    let public = ring::signature::RsaPublicKeyComponents { n, e };
    let signed = format!("{}.{}", parts[0], parts[1]);
    public
        .verify(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            signed.as_bytes(),
            &B64.decode(parts[2]).unwrap(),
        )
        .expect("the ID token's signature holds");
    serde_json::from_slice(&B64.decode(parts[1]).unwrap()).unwrap()
}

pub async fn count(ts: &TestServer, sql: &'static str) -> i64 {
    ts.running
        .app
        .db
        .read(move |c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .await
        .unwrap()
}

#[tokio::test]
async fn discovery_names_the_endpoints_and_the_keys_are_public_only() {
    let ts = TestServer::start().await;
    let c = crate::support::plain_client();
    let r = c
        .get(ts.url("/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let d: Value = r.json().await.unwrap();
    assert_eq!(d["issuer"], ts.base.as_str());
    for (k, path) in [
        ("authorization_endpoint", "/oidc/authorize"),
        ("token_endpoint", "/oidc/token"),
        ("userinfo_endpoint", "/oidc/userinfo"),
        ("jwks_uri", "/oidc/jwks"),
        ("end_session_endpoint", "/oidc/logout"),
    ] {
        assert_eq!(d[k], format!("{}{path}", ts.base), "{k}");
    }
    assert_eq!(d["response_types_supported"], serde_json::json!(["code"]));
    assert_eq!(
        d["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    assert_eq!(
        d["id_token_signing_alg_values_supported"],
        serde_json::json!(["RS256"])
    );
    assert_eq!(d["authorization_response_iss_parameter_supported"], true);
    assert_eq!(d["backchannel_logout_session_supported"], true);
    let jwks: Value = c
        .get(ts.url("/oidc/jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let keys = jwks["keys"].as_array().unwrap();
    assert!(!keys.is_empty());
    for k in keys {
        assert_eq!(k["kty"], "RSA");
        for private in ["d", "p", "q", "dp", "dq", "qi"] {
            assert!(k.get(private).is_none(), "{private} published");
        }
    }
    // A Host that is not ours does not become the issuer.
    let r = c
        .get(ts.url("/.well-known/openid-configuration"))
        .header("host", "evil.test")
        .send()
        .await
        .unwrap();
    let d: Value = r.json().await.unwrap();
    assert_ne!(d["issuer"], "http://evil.test");
    assert!(d["issuer"].as_str().unwrap().starts_with("https://"));
    // The box's own LAN address (what a school without DNS types) is an issuer of its own.
    let lan = nix::ifaddrs::getifaddrs()
        .unwrap()
        .filter_map(|a| a.address)
        .filter_map(|s| s.as_sockaddr_in().map(|v4| v4.ip()))
        .find(|ip| !ip.is_loopback());
    if let Some(ip) = lan {
        let host = format!("{ip}:8443");
        let r = c
            .get(ts.url("/.well-known/openid-configuration"))
            .header("host", &host)
            .send()
            .await
            .unwrap();
        let d: Value = r.json().await.unwrap();
        assert_eq!(d["issuer"], format!("http://{host}"));
    }
}

#[tokio::test]
async fn a_pupil_logs_in_to_an_application_and_it_learns_her_class() {
    let ts = TestServer::start().await;
    let class = ts.class("6e A").await;
    let pupil = ts.user("amina", Role::Pupil).await;
    ts.add_member(class, pupil).await;
    let rp = register(
        &ts,
        "moodle",
        false,
        vec![Role::Pupil, Role::Teacher],
        vec![],
    )
    .await;
    let c = ts.logged_in("amina").await;
    let code = code_for(&ts, &c, &rp, &[]).await;
    let t = exchange(&ts, &rp, &code, None).await;
    assert_eq!(t["token_type"], "Bearer");
    assert!(t["expires_in"].as_i64().unwrap() >= 600);
    let id = verify_id_token(&ts, t["id_token"].as_str().unwrap()).await;
    assert_eq!(id["iss"], ts.base.as_str());
    assert_eq!(id["aud"], "moodle");
    assert_eq!(id["nonce"], "n-1");
    assert_eq!(id["preferred_username"], "amina");
    assert_eq!(
        id["groups"],
        serde_json::json!(["role:pupil", "class:6e A"])
    );
    assert_eq!(id["roles"], serde_json::json!(["pupil"]));
    assert_eq!(id["email_verified"], true);
    let sub = id["sub"].as_str().unwrap().to_owned();
    assert_ne!(sub, "amina");
    assert!(id["sid"].as_str().is_some_and(|s| s.len() >= 16));
    let now = cartable::now();
    assert!(id["exp"].as_i64().unwrap() > now && id["iat"].as_i64().unwrap() <= now + 1);
    assert!(id["auth_time"].as_i64().unwrap() <= now);
    let access = t["access_token"].as_str().unwrap();
    let expected_at_hash = B64.encode(&Sha256::digest(access.as_bytes())[..16]);
    assert_eq!(id["at_hash"], expected_at_hash.as_str());
    // Userinfo says the same.
    let r = userinfo(&ts, access).await;
    assert_eq!(r.status(), 200);
    let info: Value = r.json().await.unwrap();
    for k in [
        "sub",
        "preferred_username",
        "groups",
        "roles",
        "email",
        "name",
        "school",
    ] {
        assert_eq!(info[k], id[k], "{k}");
    }
    // One grant for the login; the same person keeps the same subject next time.
    assert_eq!(count(&ts, "SELECT count(*) FROM idp_grants").await, 1);
    let code = code_for(&ts, &c, &rp, &[]).await;
    let t2 = exchange(&ts, &rp, &code, None).await;
    let id2 = verify_id_token(&ts, t2["id_token"].as_str().unwrap()).await;
    assert_eq!(id2["sub"], sub.as_str());
    assert_eq!(id2["sid"], id["sid"]);
    // Refresh: new tokens, the old refresh token is spent.
    let old = t["refresh_token"].as_str().unwrap();
    let r = token(
        &ts,
        &rp,
        &[("grant_type", "refresh_token"), ("refresh_token", old)],
    )
    .await;
    assert_eq!(r.status(), 200);
    let t3: Value = r.json().await.unwrap();
    assert_ne!(t3["refresh_token"], t["refresh_token"]);
    let id3 = verify_id_token(&ts, t3["id_token"].as_str().unwrap()).await;
    assert_eq!(id3["sub"], sub.as_str());
    assert_eq!(id3["auth_time"], id["auth_time"]);
    assert_eq!(
        userinfo(&ts, t3["access_token"].as_str().unwrap())
            .await
            .status(),
        200
    );
    let again = token(
        &ts,
        &rp,
        &[("grant_type", "refresh_token"), ("refresh_token", old)],
    )
    .await;
    assert_eq!(again.status(), 400);
    let e: Value = again.json().await.unwrap();
    assert_eq!(e["error"], "invalid_grant");
    // A narrower scope on refresh is granted; a wider one refused.
    let r = token(
        &ts,
        &rp,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", t3["refresh_token"].as_str().unwrap()),
            ("scope", "openid"),
        ],
    )
    .await;
    assert_eq!(r.status(), 200);
    let t4: Value = r.json().await.unwrap();
    let info: Value = userinfo(&ts, t4["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info.as_object().unwrap().len(), 1, "openid alone: sub only");
    // The portal logout ends the grants: userinfo and refresh stop at once.
    let csrf = crate::support::csrf_for(&c, &ts.base, "/").await;
    c.post(ts.url("/logout"))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    let r = userinfo(&ts, t3["access_token"].as_str().unwrap()).await;
    assert_eq!(r.status(), 401);
    assert!(
        r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("invalid_token")
    );
    let r = token(
        &ts,
        &rp,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", t4["refresh_token"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(count(&ts, "SELECT count(*) FROM idp_logout_queue").await >= 1);
}

#[tokio::test]
async fn client_secret_post_and_a_public_client_with_pkce() {
    let ts = TestServer::start().await;
    ts.user("kofi", Role::Teacher).await;
    let conf = register(&ts, "wiki", false, vec![Role::Teacher], vec![]).await;
    let public = register(&ts, "kolibri", true, vec![Role::Teacher], vec![]).await;
    assert!(public.secret.is_none());
    let c = ts.logged_in("kofi").await;
    // client_secret_post
    let code = code_for(&ts, &c, &conf, &[]).await;
    let r = crate::support::plain_client()
        .post(ts.url("/oidc/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", "wiki"),
            ("client_secret", conf.secret.as_deref().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // A public client: no secret, the verifier instead.
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
    let t = exchange(&ts, &public, &code, Some(&verifier)).await;
    let id = verify_id_token(&ts, t["id_token"].as_str().unwrap()).await;
    assert_eq!(id["aud"], "kolibri");
    assert_eq!(id["roles"], serde_json::json!(["teacher"]));
    // A confidential client may use PKCE too.
    let (verifier, challenge) = pkce();
    let code = code_for(
        &ts,
        &c,
        &conf,
        &[
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    exchange(&ts, &conf, &code, Some(&verifier)).await;
}

#[tokio::test]
async fn claims_for_a_teacher_and_a_parent_name_their_classes() {
    let ts = TestServer::start().await;
    let class = ts.class("5e B").await;
    let teacher = ts.user("t.diallo", Role::Teacher).await;
    ts.add_member(class, teacher).await;
    let child = ts.user("moussa", Role::Pupil).await;
    ts.add_member(class, child).await;
    let parent = ts.user("p.sow", Role::Parent).await;
    ts.link_parent(parent, child).await;
    let rp = register(
        &ts,
        "bookstack",
        false,
        vec![Role::Teacher, Role::Parent],
        vec![class],
    )
    .await;
    for (who, role) in [("t.diallo", "teacher"), ("p.sow", "parent")] {
        let c = ts.logged_in(who).await;
        let code = code_for(&ts, &c, &rp, &[]).await;
        let t = exchange(&ts, &rp, &code, None).await;
        let id = verify_id_token(&ts, t["id_token"].as_str().unwrap()).await;
        assert_eq!(id["preferred_username"], who);
        assert_eq!(
            id["groups"],
            serde_json::json!([format!("role:{role}"), "class:5e B"]),
            "{who}"
        );
        let info: Value = userinfo(&ts, t["access_token"].as_str().unwrap())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(info["groups"], id["groups"]);
    }
}

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
    let deaf = AppInput {
        slug: "vieux-wiki".into(),
        name: "Vieux wiki".into(),
        protocol: Some(Protocol::Oidc),
        redirect_uris: vec![REDIRECT.into()],
        logout_url: "http://127.0.0.1:9/wiki/logout".into(),
        roles: vec![Role::Pupil],
        ..Default::default()
    };
    let (app, secret) = ts
        .running
        .app
        .db
        .write(move |tx| {
            apps::create(tx, &Allowed::system("test"), deaf)
                .map_err(|e| cartable::db::Error::Task(e.to_string()))
        })
        .await
        .unwrap();
    let deaf = Rp {
        client_id: app.slug,
        secret,
    };
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
