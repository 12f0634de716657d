//! `GET /oidc/authorize`: a person already logged in to the portal goes straight back to the
//! application with a code; anyone else logs in first (`/login?next=` brings them back). No
//! consent screen: the admin registered the application.
//!
//! The order matters: an unknown client or an unregistered redirect URI is a Cartable page
//! (redirecting would make Cartable an open redirector); a disabled application or a person
//! it is not open to is a Cartable page too (sending them back would loop: the application
//! sends them here again); every other fault goes back to the redirect URI with `error`,
//! `state` and `iss` (RFC 6749 §4.1.2.1, RFC 9207).

use super::{found, issuer, page, with_query};
use crate::auth::Action;
use crate::idp::oidc::codes::Code;
use crate::idp::oidc::request::{self, Params, Prompt};
use crate::idp::oidc::{CODE_LIFETIME, OAuthError};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use hyper::StatusCode;

pub async fn authorize(mut req: Req) -> Result<Response, WebError> {
    let Ok(pairs) =
        serde_urlencoded::from_str::<Vec<(String, String)>>(req.uri.query().unwrap_or(""))
    else {
        return page(&mut req, StatusCode::BAD_REQUEST, "oidc.error_bad_request");
    };
    let params = match Params::new(pairs) {
        Ok(p) => p,
        Err(_) => return page(&mut req, StatusCode::BAD_REQUEST, "oidc.error_repeated"),
    };
    let Some(client_id) = params.get("client_id").map(str::to_owned) else {
        return page(
            &mut req,
            StatusCode::BAD_REQUEST,
            "oidc.error_unknown_client",
        );
    };
    let app = super::oidc_app(&req.app, client_id).await?;
    let Some(app) = app else {
        return page(
            &mut req,
            StatusCode::BAD_REQUEST,
            "oidc.error_unknown_client",
        );
    };
    let Some(redirect_uri) = params
        .get("redirect_uri")
        .filter(|u| app.redirect_registered(u))
        .map(str::to_owned)
    else {
        return page(&mut req, StatusCode::BAD_REQUEST, "oidc.error_redirect_uri");
    };
    if app.disabled {
        return page(&mut req, StatusCode::FORBIDDEN, "oidc.error_app_disabled");
    }
    let iss = issuer(&req);
    let state = params.get("state").map(str::to_owned);
    let back = |e: OAuthError| {
        Ok(found(&with_query(
            &redirect_uri,
            &[
                ("error", Some(e.error)),
                ("error_description", Some(e.description)),
                ("state", state.as_deref()),
                ("iss", Some(&iss)),
            ],
        )))
    };
    let ar = match request::check(&params, app.public) {
        Ok(r) => r,
        Err(e) => return back(e),
    };
    let now = crate::now();
    let login_required = OAuthError::new("login_required", "the person is not logged in");
    let Some(session) = req.session.clone() else {
        if ar.prompt == Prompt::None {
            return back(login_required);
        }
        return Ok(to_login(&params));
    };
    let too_old = ar.max_age.is_some_and(|m| now - session.created_at > m);
    if ar.prompt == Prompt::Login || too_old {
        if ar.prompt == Prompt::None {
            return back(login_required);
        }
        // Ending the session (not just asking for the password) logs its applications out
        // too: whoever logs in next starts afresh.
        crate::web::pages::auth_pages::end_portal_session(&mut req).await?;
        let mut resp = to_login(&params);
        req.apply_cookies(&mut resp);
        return Ok(resp);
    }
    let audience = app.audience();
    let allowed = req.allow(&Action::UseApp { app: &audience });
    if allowed.is_err() {
        if ar.prompt == Prompt::None {
            return back(OAuthError::new(
                "access_denied",
                "this application is not open to this person",
            ));
        }
        return page(&mut req, StatusCode::FORBIDDEN, "oidc.error_not_allowed");
    }
    let user = req.principal()?.id;
    let code = Code {
        app: app.id,
        client_id: app.slug.clone(),
        redirect_uri: redirect_uri.clone(),
        challenge: ar.challenge,
        nonce: ar.nonce,
        sid: session.sid.clone(),
        auth_time: session.created_at,
        user,
        scopes: ar.scopes,
        iss: iss.clone(),
        expires: now + CODE_LIFETIME,
    };
    let Some(code) = req.app.idp.oidc.codes.issue(code, now) else {
        return back(OAuthError::new(
            "temporarily_unavailable",
            "too many logins in progress; try again",
        ));
    };
    Ok(found(&with_query(
        &redirect_uri,
        &[
            ("code", Some(&code)),
            ("state", state.as_deref()),
            ("iss", Some(&iss)),
        ],
    )))
}

/// The login page, coming back to this request afterwards. `prompt` and `max_age` are left
/// out of the way back: the login just made satisfies them, and keeping them would ask again
/// for ever.
fn to_login(params: &Params) -> Response {
    let kept: Vec<(&str, &str)> = params
        .pairs()
        .iter()
        .filter(|(k, _)| k != "prompt" && k != "max_age")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let next = format!(
        "/oidc/authorize?{}",
        serde_urlencoded::to_string(&kept).unwrap_or_default()
    );
    redirect(&crate::web::req::with_next("/login", &next))
}
