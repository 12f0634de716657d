//! The relying party's side of the OpenID Connect tests: registering an application, the
//! authorization request, the token endpoint, userinfo, and checking tokens against the
//! published keys as an application does.

use super::{TestServer, location};
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
    register_input(ts, input).await
}

/// Registers the application `input` describes.
pub async fn register_input(ts: &TestServer, input: AppInput) -> Rp {
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

/// Checks a token's RS256 signature against the JWKS, as a relying party does, and returns
/// its header and claims.
pub async fn verify_jws(ts: &TestServer, jwt: &str) -> (Value, Value) {
    let r = crate::support::plain_client()
        .get(ts.url("/oidc/jwks"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let jwks: Value = r.json().await.unwrap();
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
        .expect("the signature holds with the published key");
    let claims = serde_json::from_slice(&B64.decode(parts[1]).unwrap()).unwrap();
    (header, claims)
}

/// An ID token's claims, its signature checked against the JWKS.
pub async fn verify_id_token(ts: &TestServer, jwt: &str) -> Value {
    verify_jws(ts, jwt).await.1
}

/// One number from the database (`SELECT count(*) ...`).
pub async fn count(ts: &TestServer, sql: &'static str) -> i64 {
    ts.running
        .app
        .db
        .read(move |c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .await
        .unwrap()
}
