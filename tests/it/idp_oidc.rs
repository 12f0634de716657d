//! Cartable as an OpenID Connect provider, driven as a relying party would: discovery, the
//! code flow with a live portal session, the token endpoint's three ways of authenticating,
//! ID tokens checked against the published keys, userinfo, refresh, and the claims of a pupil,
//! a teacher and a parent. The portal session's side (login hand-off, `prompt`, `max_age`,
//! logout) is in `idp_oidc_sessions.rs`.

use crate::support::TestServer;
use crate::support::oidc::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use cartable::auth::Role;
use serde_json::Value;
use sha2::{Digest, Sha256};

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
        .find(|ip| !ip.is_loopback() && !ip.is_link_local());
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
