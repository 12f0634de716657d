//! `POST /oidc/token`: an application's server trades a code (or a refresh token) for tokens.
//!
//! Clients authenticate with `client_secret_basic`, `client_secret_post`, or not at all when
//! public (their code then needs its PKCE verifier). A wrong secret counts against the client
//! and address like a failed login. A code is the login's one database write: the grant (and
//! the person's subject, the first time); the ID token is signed off the async threads.

use super::{json, oauth_error};
use crate::app::App;
use crate::idp::apps::{self, App as Registered};
use crate::idp::claims;
use crate::idp::oidc::codes::Refused;
use crate::idp::oidc::grants::{self, NewGrant};
use crate::idp::oidc::request::Params;
use crate::idp::oidc::tokens::{self, Access};
use crate::idp::oidc::{ACCESS_LIFETIME, OAuthError, REFRESH_LIFETIME};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{FORM_LIMIT, Req};
use hyper::StatusCode;
use hyper::header::{self, HeaderValue};

const fn err(error: &'static str, description: &'static str) -> OAuthError {
    OAuthError::new(error, description)
}

fn bad(e: OAuthError) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, e)
}

fn invalid_grant(description: &'static str) -> Response {
    bad(err("invalid_grant", description))
}

/// 401 `invalid_client`, with the challenge RFC 6749 §5.2 asks for when Basic was tried.
fn invalid_client(basic: bool) -> Response {
    let mut r = oauth_error(
        StatusCode::UNAUTHORIZED,
        err("invalid_client", "client authentication failed"),
    );
    if basic {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"cartable\""),
        );
    }
    r
}

/// `Authorization: Basic` as RFC 6749 §2.3.1 has it: WebDAV's Basic, then id and secret each
/// form-urlencoded.
fn basic_credentials(value: &HeaderValue) -> Option<(String, String)> {
    let (id, secret) = crate::dav::basic::credentials(Some(value))?;
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8()
            .ok()
            .map(|c| c.into_owned())
    };
    Some((decode(&id)?, decode(&secret)?))
}

pub async fn token(mut req: Req) -> Result<Response, WebError> {
    let pairs = match req.api_form(FORM_LIMIT).await {
        Ok(p) => p,
        Err(_) => {
            return Ok(bad(err(
                "invalid_request",
                "the body must be a small urlencoded form",
            )));
        }
    };
    let Ok(params) = Params::new(pairs) else {
        return Ok(bad(err(
            "invalid_request",
            "a parameter is repeated or too long",
        )));
    };
    let basic = req
        .headers
        .get(header::AUTHORIZATION)
        .filter(|v| v.to_str().is_ok())
        .map(basic_credentials);
    let (client_id, secret, used_basic) = match (basic, params.get("client_secret")) {
        (Some(None), _) => return Ok(invalid_client(true)),
        (Some(Some(_)), Some(_)) => {
            return Ok(bad(err(
                "invalid_request",
                "use one client authentication method",
            )));
        }
        (Some(Some((id, s))), None) => {
            if params.get("client_id").is_some_and(|c| c != id) {
                return Ok(invalid_client(true));
            }
            (id, Some(s), true)
        }
        (None, s) => match params.get("client_id") {
            Some(id) => (id.to_owned(), s.map(str::to_owned), false),
            None => return Ok(invalid_client(false)),
        },
    };
    let ip = req.conn.peer.ip();
    let throttle_key = format!("client {client_id} {ip}");
    let throttle = &req.app.idp.oidc.throttle;
    if let Some(wait) = throttle.check(&throttle_key, ip) {
        log::warn!("token endpoint throttled for client {client_id:?} from {ip}");
        let mut r = oauth_error(
            StatusCode::TOO_MANY_REQUESTS,
            err(
                "invalid_client",
                "too many failed attempts; wait and try again",
            ),
        );
        if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(r);
    }
    let app = super::oidc_app(&req.app, client_id.clone()).await?;
    let authenticated = match (&app, &secret) {
        (Some(a), Some(s)) => !a.public && a.secret_matches(s),
        (Some(a), None) => a.public,
        (None, _) => false,
    };
    let Some(app) = app.filter(|_| authenticated) else {
        throttle.record_failure(&throttle_key, ip);
        log::info!("token endpoint: client authentication failed for {client_id:?} from {ip}");
        return Ok(invalid_client(used_basic));
    };
    throttle.record_success(&throttle_key);
    if app.disabled {
        return Ok(bad(err(
            "unauthorized_client",
            "this application is disabled",
        )));
    }
    match params.get("grant_type") {
        Some("authorization_code") => code_grant(&req.app, &app, &params).await,
        Some("refresh_token") => refresh_grant(&req.app, &app, &params).await,
        Some(_) => Ok(bad(err(
            "unsupported_grant_type",
            "authorization_code and refresh_token only",
        ))),
        None => Ok(bad(err("invalid_request", "grant_type is missing"))),
    }
}

/// What the token answer needs once the grant is written.
struct Issued {
    grant: i64,
    person: claims::Person,
    refresh: String,
    seal: ring::hmac::Key,
    keys: std::sync::Arc<crate::idp::keys::KeyRing>,
}

async fn code_grant(app: &App, client: &Registered, params: &Params) -> Result<Response, WebError> {
    let Some(code_id) = params.get("code") else {
        return Ok(bad(err("invalid_request", "code is missing")));
    };
    let now = crate::now();
    let redirect_uri = params.get("redirect_uri");
    let verifier = params.get("code_verifier");
    let redeemed = app.idp.oidc.codes.redeem(code_id, now, |c| {
        if c.client_id != client.slug || c.app != client.id {
            return Err("the code was issued to another client");
        }
        if redirect_uri != Some(c.redirect_uri.as_str()) {
            return Err("redirect_uri differs from the authorization request's");
        }
        match (&c.challenge, verifier) {
            (Some(ch), Some(v)) if tokens::pkce_matches(v, ch) => Ok(()),
            (Some(_), _) => Err("the code_verifier does not match the code_challenge"),
            (None, Some(_)) => Err("code_verifier without a code_challenge"),
            (None, None) => Ok(()),
        }
    });
    let code = match redeemed {
        Ok(c) => c,
        Err(Refused::Unknown) => return Ok(invalid_grant("unknown code")),
        Err(Refused::Expired) => return Ok(invalid_grant("the code has expired")),
        Err(Refused::Check(d)) => return Ok(invalid_grant(d)),
        Err(Refused::Replayed(grant)) => {
            if let Some(g) = grant {
                log::warn!(
                    "an authorization code of {} was replayed: grant {g} revoked",
                    client.slug
                );
                app.db.write(move |tx| Ok(grants::delete(tx, g)?)).await?;
            }
            return Ok(invalid_grant("the code was already used"));
        }
    };
    let scope = code.scopes.join(" ");
    let settings = app.settings();
    let inner = app.clone();
    let c = code.clone();
    let sc = scope.clone();
    let issued = app
        .db
        .write(move |tx| {
            if !grants::session_alive(tx, &c.sid, now)? {
                return Ok(None);
            }
            claims::subject(tx, c.user)?;
            let Some(person) = claims::person(tx, c.user, &settings)? else {
                return Ok(None);
            };
            let (refresh, hash) = tokens::new_refresh(&sc);
            let grant = grants::create(
                tx,
                &NewGrant {
                    app: c.app,
                    user: c.user,
                    sid: &c.sid,
                    iss: &c.iss,
                    refresh_hash: &hash,
                    refresh_expires: now + REFRESH_LIFETIME,
                },
            )?;
            let seal = inner.idp.oidc.seal.ensure(tx)?.clone();
            let keys = inner.idp.keyring(tx)?;
            Ok(Some(Issued {
                grant,
                person,
                refresh,
                seal,
                keys,
            }))
        })
        .await?;
    let Some(issued) = issued else {
        return Ok(invalid_grant("the login behind this code has ended"));
    };
    if !app.idp.oidc.codes.granted(code_id, issued.grant) {
        let g = issued.grant;
        app.db.write(move |tx| Ok(grants::delete(tx, g)?)).await?;
        return Ok(invalid_grant("the code was already used"));
    }
    let id = IdToken {
        iss: code.iss,
        aud: client.slug.clone(),
        sid: code.sid,
        auth_time: code.auth_time,
        nonce: code.nonce,
        profile: client.claim_profile,
    };
    answer(issued, id, &scope, now).await
}

async fn refresh_grant(
    app: &App,
    client: &Registered,
    params: &Params,
) -> Result<Response, WebError> {
    let Some(token) = params.get("refresh_token").map(str::to_owned) else {
        return Ok(bad(err("invalid_request", "refresh_token is missing")));
    };
    let Some(granted) = tokens::refresh_scope(&token) else {
        return Ok(invalid_grant("unknown refresh token"));
    };
    let scope = match params.get("scope") {
        None => granted.clone(),
        Some(asked) => {
            let have: Vec<&str> = granted.split(' ').collect();
            if asked
                .split(' ')
                .filter(|s| !s.is_empty())
                .any(|s| !have.contains(&s))
            {
                return Ok(bad(err("invalid_scope", "more scope than was granted")));
            }
            crate::idp::oidc::SCOPES
                .iter()
                .filter(|s| asked.split(' ').any(|a| a == **s))
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    let now = crate::now();
    let settings = app.settings();
    let inner = app.clone();
    let app_id = client.id;
    let found = app
        .db
        .write(move |tx| {
            let hash = tokens::hash(&token);
            let Some(g) = grants::by_refresh(tx, &hash, now)? else {
                return Ok(None);
            };
            if g.app != app_id {
                return Ok(None);
            }
            let Some(person) = claims::person(tx, g.user, &settings)? else {
                return Ok(None);
            };
            let (refresh, new_hash) = tokens::new_refresh(&granted);
            if !grants::rotate(tx, g.id, &hash, &new_hash, now + REFRESH_LIFETIME)? {
                return Ok(None);
            }
            let seal = inner.idp.oidc.seal.ensure(tx)?.clone();
            let keys = inner.idp.keyring(tx)?;
            Ok(Some((
                Issued {
                    grant: g.id,
                    person,
                    refresh,
                    seal,
                    keys,
                },
                g,
            )))
        })
        .await?;
    let Some((issued, g)) = found else {
        return Ok(invalid_grant("unknown, expired or revoked refresh token"));
    };
    let id = IdToken {
        iss: g.iss,
        aud: client.slug.clone(),
        sid: g.sid,
        auth_time: g.auth_time,
        nonce: None,
        profile: client.claim_profile,
    };
    answer(issued, id, &scope, now).await
}

/// What the ID token says beyond the person.
struct IdToken {
    iss: String,
    aud: String,
    sid: String,
    auth_time: i64,
    nonce: Option<String>,
    profile: apps::ClaimProfile,
}

async fn answer(issued: Issued, id: IdToken, scope: &str, now: i64) -> Result<Response, WebError> {
    let access = Access {
        grant: issued.grant,
        expires: now + ACCESS_LIFETIME,
        scope: scope.to_owned(),
    }
    .seal(&issued.seal);
    let scopes: Vec<&str> = scope.split(' ').collect();
    let mut claims = claims::oidc(&issued.person, &scopes, id.profile);
    claims.insert("iss".into(), id.iss.into());
    claims.insert("aud".into(), id.aud.into());
    claims.insert("iat".into(), now.into());
    claims.insert("exp".into(), (now + ACCESS_LIFETIME).into());
    claims.insert("auth_time".into(), id.auth_time.into());
    claims.insert("sid".into(), id.sid.into());
    claims.insert("at_hash".into(), tokens::at_hash(&access).into());
    if let Some(n) = id.nonce {
        claims.insert("nonce".into(), n.into());
    }
    let keys = issued.keys;
    let signed = tokio::task::spawn_blocking(move || keys.sign(&serde_json::Value::Object(claims)))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .map_err(|e| WebError::Internal(format!("ID token: {e}")))?;
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ACCESS_LIFETIME,
            "id_token": signed,
            "refresh_token": issued.refresh,
            "scope": scope,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::basic_credentials;
    use hyper::header::HeaderValue;

    fn h(s: &str) -> HeaderValue {
        HeaderValue::from_str(s).unwrap()
    }

    #[test]
    fn basic_credentials_are_form_decoded() {
        // "my%20app:s%3Acret" base64
        let v = format!(
            "Basic {}",
            base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                "my%20app:s%3Acret"
            )
        );
        assert_eq!(
            basic_credentials(&h(&v)),
            Some(("my app".into(), "s:cret".into()))
        );
        assert_eq!(basic_credentials(&h("Bearer x")), None);
        assert_eq!(basic_credentials(&h("Basic !!!")), None);
    }
}
