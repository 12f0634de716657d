//! The identity provider's OpenID Connect endpoints (the Basic OP profile, code flow only):
//! discovery and keys, authorization, token, userinfo and RP-initiated logout. The rules live
//! in `crate::idp::oidc`; this door reads requests and writes the answers the specifications
//! name: OAuth JSON errors from the token endpoint, `error=` back to a registered redirect
//! URI, and a Cartable page whenever the redirect URI cannot be trusted (never a redirect to
//! an address nobody registered).

mod authorize;
pub mod csp;
mod discovery;
mod end_session;
mod token;
mod userinfo;

use crate::idp::oidc::OAuthError;
use crate::web::error::WebError;
use crate::web::req::Req;
use crate::web::router::Router;
use crate::web::{Response, full};
use hyper::StatusCode;
use hyper::header::{self, HeaderValue};
use minijinja::context;

pub use csp::form_action_origins;

pub fn routes(r: &mut Router) {
    r.get(
        "/.well-known/openid-configuration",
        discovery::configuration,
    );
    r.get("/oidc/jwks", discovery::jwks);
    r.get("/oidc/authorize", authorize::authorize);
    r.post("/oidc/token", token::token);
    r.get("/oidc/userinfo", userinfo::userinfo);
    r.post("/oidc/userinfo", userinfo::userinfo);
    r.get("/oidc/logout", end_session::end_session);
    r.post("/oidc/logout", end_session::end_session);
}

/// The OpenID Connect application whose client id is `client_id`.
pub async fn oidc_app(
    app: &crate::app::App,
    client_id: String,
) -> Result<Option<crate::idp::apps::App>, WebError> {
    let found = app
        .db
        .read(move |c| Ok(crate::idp::apps::by_slug(c, &client_id)?))
        .await?;
    Ok(found.filter(|a| a.protocol == crate::idp::apps::Protocol::Oidc))
}

/// The issuer applications are told: this request's own origin when it reached us by a name
/// of ours (a loopback address, `localhost`, a host name of the school's settings, an address
/// of one of the box's interfaces that the server certificate's rule keeps, `crate::tls::belongs`),
/// else the canonical `https://<first host name>`. A name nobody configured never becomes an
/// issuer, nor an address whose certificate an application could not check or that changes
/// daily (link-local, site-local `fec0::`, a temporary IPv6 address).
pub fn issuer(req: &Req) -> String {
    let settings = req.app.settings();
    if let Some(a) = req
        .header(header::HOST)
        .and_then(|h| h.parse::<hyper::http::uri::Authority>().ok())
    {
        let name = a
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        // The interfaces are listed (a system call) only when the cheap checks failed.
        let ours = name == "localhost"
            || settings.host_names.contains(&name)
            || name
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback() || crate::tls::lan_addresses().contains(&ip));
        if ours {
            let scheme = if req.conn.https { "https" } else { "http" };
            return format!("{scheme}://{}", a.as_str().to_ascii_lowercase());
        }
    }
    settings.portal_url().trim_end_matches('/').to_owned()
}

/// A JSON answer that no cache keeps.
pub fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut resp = Response::new(full(body.to_string()));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    // Applications running in a browser read these too; no cookie is involved.
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    resp
}

/// An OAuth error as JSON (RFC 6749 §5.2).
pub fn oauth_error(status: StatusCode, e: OAuthError) -> Response {
    json(
        status,
        &serde_json::json!({ "error": e.error, "error_description": e.description }),
    )
}

/// `uri` with `pairs` added to its query (those whose value is `None` left out).
pub fn with_query(uri: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let present: Vec<(&str, &str)> = pairs
        .iter()
        .filter_map(|(k, v)| v.map(|v| (*k, v)))
        .collect();
    if present.is_empty() {
        return uri.to_owned();
    }
    let q = serde_urlencoded::to_string(&present).unwrap_or_default();
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}{q}")
}

/// A `302 Found` to an application's registered address.
pub fn found(location: &str) -> Response {
    let mut resp = Response::new(crate::web::empty());
    *resp.status_mut() = StatusCode::FOUND;
    if let Ok(v) = HeaderValue::from_str(location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// A Cartable page saying why, in the person's language: for what cannot go back to the
/// application.
pub fn page(req: &mut Req, status: StatusCode, key: &str) -> Result<Response, WebError> {
    req.render_status(
        status,
        "error.html",
        context! { status => status.as_u16(), key => key, limit_kib => 0 },
    )
}

/// The scheme, host and port of an absolute URL, as a CSP source (`https://a.test:8443`).
pub fn origin(url: &str) -> Option<String> {
    let u = url.parse::<hyper::Uri>().ok()?;
    let scheme = u.scheme_str().filter(|s| matches!(*s, "http" | "https"))?;
    let host = u.host()?;
    Some(match u.port_u16() {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    })
}
