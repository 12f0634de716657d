//! `GET|POST /oidc/logout`: RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).
//!
//! An `id_token_hint` we signed (its expiry does not matter) that names this browser's
//! session ends it at once; anything else asks first, with a form of ours (a link on a
//! foreign page must not log a pupil out: logout CSRF). Ending the session deletes its row,
//! and the trigger queues the back-channel logouts of every application it signed in to.
//! `post_logout_redirect_uri` must be registered for the hint's client, or there is no
//! redirect at all: an error page.

use super::{found, page, with_query};
use crate::idp::oidc::request::Params;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{FORM_LIMIT, Req, redirect};
use hyper::header;
use hyper::{Method, StatusCode};
use minijinja::context;

pub async fn end_session(mut req: Req) -> Result<Response, WebError> {
    let pairs: Vec<(String, String)> = if req.method == Method::POST {
        match req.api_form(FORM_LIMIT).await {
            Ok(p) => p,
            Err(_) => return page(&mut req, StatusCode::BAD_REQUEST, "oidc.error_bad_request"),
        }
    } else {
        match serde_urlencoded::from_str(req.uri.query().unwrap_or("")) {
            Ok(p) => p,
            Err(_) => return page(&mut req, StatusCode::BAD_REQUEST, "oidc.error_bad_request"),
        }
    };
    let Ok(params) = Params::new(pairs) else {
        return page(&mut req, StatusCode::BAD_REQUEST, "oidc.error_repeated");
    };
    // The hint: one of our ID tokens, whatever its age.
    let mut hint_client = None;
    let mut hint_sid = None;
    if let Some(hint) = params.get("id_token_hint").map(str::to_owned) {
        let app = req.app.clone();
        let claims = req
            .app
            .db
            .read(move |c| Ok(app.idp.keyring(c)?.verify(&hint)))
            .await?;
        let Some(claims) = claims else {
            return page(&mut req, StatusCode::BAD_REQUEST, "oidc.error_hint");
        };
        hint_client = match &claims["aud"] {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Array(a) => a.first().and_then(|v| v.as_str()).map(str::to_owned),
            _ => None,
        };
        hint_sid = claims["sid"].as_str().map(str::to_owned);
    }
    let client_id = match (params.get("client_id"), hint_client.as_deref()) {
        (Some(a), Some(b)) if a != b => {
            return page(&mut req, StatusCode::BAD_REQUEST, "oidc.error_hint");
        }
        (Some(a), _) => Some(a.to_owned()),
        (None, b) => b.map(str::to_owned),
    };
    let client = match client_id {
        None => None,
        Some(id) => {
            let found = super::oidc_app(&req.app, id).await?;
            match found {
                Some(a) => Some(a),
                None => {
                    return page(
                        &mut req,
                        StatusCode::BAD_REQUEST,
                        "oidc.error_unknown_client",
                    );
                }
            }
        }
    };
    let state = params.get("state");
    let target = match params.get("post_logout_redirect_uri") {
        None => None,
        Some(u) if client.as_ref().is_some_and(|a| a.post_logout_registered(u)) => {
            Some(with_query(u, &[("state", state)]))
        }
        Some(_) => {
            return page(
                &mut req,
                StatusCode::BAD_REQUEST,
                "oidc.error_post_logout_uri",
            );
        }
    };
    let Some(session) = req.session.clone() else {
        // Nobody to log out here.
        return Ok(match target {
            Some(t) => found(&t),
            None => redirect("/login"),
        });
    };
    let confirmed = req.method == Method::POST && params.get("csrf").is_some();
    if confirmed {
        req.check_origin()?;
        req.check_csrf(params.get("csrf"))?;
    }
    if confirmed || hint_sid.as_deref() == Some(session.sid.as_str()) {
        crate::web::pages::auth_pages::end_portal_session(&mut req).await?;
        let mut resp = match target {
            Some(t) => found(&t),
            None => redirect("/login"),
        };
        req.apply_cookies(&mut resp);
        return Ok(resp);
    }
    let extra: Vec<String> = target
        .as_deref()
        .and_then(super::origin)
        .into_iter()
        .collect();
    let fields: Vec<(&str, &str)> = [
        "id_token_hint",
        "client_id",
        "post_logout_redirect_uri",
        "state",
    ]
    .into_iter()
    .filter_map(|k| params.get(k).map(|v| (k, v)))
    .collect();
    let app_name = client.as_ref().map(|a| a.name.clone()).unwrap_or_default();
    let mut resp = req.render(
        "idp/logout_confirm.html",
        context! { fields => fields, app_name => app_name },
    )?;
    resp.headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, crate::web::csp(&extra));
    Ok(resp)
}
