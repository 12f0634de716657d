//! `GET|POST /oidc/userinfo`: the same claims as the ID token, for a bearer access token.
//! A read only: the token is sealed and names its grant, and the grant is gone once the
//! portal session ended (RFC 6750: `401` with `error="invalid_token"`).

use super::json;
use crate::idp::claims;
use crate::idp::oidc::grants;
use crate::idp::oidc::tokens::Access;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{FORM_LIMIT, Req};
use hyper::header::{self, HeaderValue};
use hyper::{Method, StatusCode};

fn unauthorized(challenge: &'static str) -> Response {
    let mut r = json(
        StatusCode::UNAUTHORIZED,
        &serde_json::json!({ "error": "invalid_token" }),
    );
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    r
}

const NO_TOKEN: &str = "Bearer realm=\"cartable\"";
const BAD_TOKEN: &str = "Bearer realm=\"cartable\", error=\"invalid_token\"";

pub async fn userinfo(mut req: Req) -> Result<Response, WebError> {
    let from_header = req.header(header::AUTHORIZATION).and_then(|v| {
        let (scheme, t) = v.trim().split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| t.trim().to_owned())
    });
    let token = match from_header {
        Some(t) => t,
        // RFC 6750 §2.2: a form body may carry it instead.
        None if req.method == Method::POST => {
            let pairs = req.api_form(FORM_LIMIT).await.unwrap_or_default();
            match pairs.iter().find(|(k, _)| k == "access_token") {
                Some((_, t)) => t.clone(),
                None => return Ok(unauthorized(NO_TOKEN)),
            }
        }
        None => return Ok(unauthorized(NO_TOKEN)),
    };
    let now = crate::now();
    let app = req.app.clone();
    let settings = req.app.settings();
    let claims = req
        .app
        .db
        .read(move |c| {
            let Some(key) = app.idp.oidc.seal.get(c)? else {
                return Ok(None);
            };
            let Some(access) = Access::open(&token, key, now) else {
                return Ok(None);
            };
            let Some(g) = grants::live(c, access.grant, now)? else {
                return Ok(None);
            };
            if g.app_disabled {
                return Ok(None);
            }
            let Some(person) = claims::person(c, g.user, &settings)? else {
                return Ok(None);
            };
            Ok(Some(claims::oidc(
                &person,
                &access.scopes(),
                g.claim_profile,
            )))
        })
        .await?;
    match claims {
        Some(m) => Ok(json(StatusCode::OK, &serde_json::Value::Object(m))),
        None => Ok(unauthorized(BAD_TOKEN)),
    }
}
