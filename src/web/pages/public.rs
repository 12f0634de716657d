//! Pages anyone may fetch, over plain HTTP too: the health check, the certificate authority
//! and how to trust it, static assets, and the language switch.

use crate::web::error::WebError;
use crate::web::req::{LANG_COOKIE, Req, redirect, safe_next};
use crate::web::{Response, full};
use hyper::header::{self, HeaderValue};
use minijinja::context;
use serde::Deserialize;

pub async fn healthz(req: Req) -> Result<Response, WebError> {
    let db_ok = req
        .app
        .db
        .read(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?))
        .await
        .is_ok();
    let body = serde_json::json!({
        "status": if db_ok { "ok" } else { "degraded" },
        "version": crate::VERSION,
    });
    let mut resp = Response::new(full(body.to_string()));
    if !db_ok {
        *resp.status_mut() = hyper::StatusCode::SERVICE_UNAVAILABLE;
    }
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(resp)
}

pub async fn ca_page(mut req: Req) -> Result<Response, WebError> {
    req.render("ca.html", context! {})
}

pub async fn ca_cert(req: Req) -> Result<Response, WebError> {
    let mut resp = Response::new(full(req.app.ca_pem.clone()));
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-x509-ca-cert"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"cartable-ca.crt\""),
    );
    Ok(resp)
}

/// Static assets, embedded; they change only with the binary, so the version is their ETag.
const STATIC: &[(&str, &str, &str)] = &[
    (
        "cartable.css",
        "text/css; charset=utf-8",
        include_str!("../../../static/cartable.css"),
    ),
    (
        "print.css",
        "text/css; charset=utf-8",
        include_str!("../../../static/print.css"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../../../static/favicon.svg"),
    ),
];

pub async fn static_file(req: Req) -> Result<Response, WebError> {
    let name: String = req.param("file")?;
    let (_, mime, body) = STATIC
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or(WebError::NotFound)?;
    let etag = format!("\"{}\"", crate::VERSION);
    if req.header(header::IF_NONE_MATCH) == Some(etag.as_str()) {
        let mut r = Response::new(crate::web::empty());
        *r.status_mut() = hyper::StatusCode::NOT_MODIFIED;
        return Ok(r);
    }
    let mut resp = Response::new(full(*body));
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(resp)
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// Remembers a visitor's language in a cookie. It changes nothing on the server, so a link
/// (usable without JavaScript) is enough.
pub async fn set_language(mut req: Req) -> Result<Response, WebError> {
    let code: String = req.param("code")?;
    let lang = crate::i18n::supported(&code).ok_or(WebError::NotFound)?;
    let q: Next = req.query()?;
    let c = crate::web::cookie(LANG_COOKIE, lang, req.conn.https, Some(365 * 24 * 3600));
    req.set_cookies.push(c);
    let mut resp = redirect(&safe_next(q.next.as_deref()));
    req.apply_cookies(&mut resp);
    Ok(resp)
}
