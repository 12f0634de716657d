//! The web door: the portal over HTTPS, a plain-HTTP listener that redirects to it, and a
//! plain-HTTP portal on loopback for the demo, the tests and scripts on the box.
//!
//! `dispatch` does what every request needs before a handler runs: the session, the
//! language, the forced password change, security headers, and mapping errors to pages.

pub mod error;
mod linkify;
mod pages;
pub mod range;
pub mod req;
pub mod router;
mod routes;
pub mod templates;

pub use routes::routes;

use crate::app::App;
use crate::auth::SESSION_COOKIE;
use bytes::Bytes;
use error::WebError;
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::header::{self, HeaderValue};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use minijinja::context;
use req::{Conn, LANG_COOKIE, PRE_SESSION_COOKIE, Req};
use router::{Found, Router};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

pub type Body = BoxBody<Bytes, std::io::Error>;
pub type Response = hyper::Response<Body>;

pub fn full(b: impl Into<Bytes>) -> Body {
    Full::new(b.into()).map_err(|never| match never {}).boxed()
}

pub fn empty() -> Body {
    full(Bytes::new())
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Lax`, and `Secure` over HTTPS.
pub fn cookie(name: &str, value: &str, secure: bool, max_age: Option<i64>) -> String {
    let mut c = cookie::Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(secure);
    if let Some(age) = max_age {
        c = c.max_age(cookie::time::Duration::seconds(age));
    }
    c.build().to_string()
}

/// What a listener does with requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Serves the portal (HTTPS, or plain HTTP on a loopback address).
    Portal { https: bool },
    /// Plain HTTP on the network: redirects to HTTPS, except the health check and the CA page.
    Redirect { https_port: Option<u16> },
}

/// Accepts connections on `listener` until the process ends.
pub fn spawn_listener(
    app: App,
    router: Arc<Router>,
    listener: TcpListener,
    mode: Mode,
    tls: Option<TlsAcceptor>,
) {
    tokio::spawn(async move {
        loop {
            let (stream, peer) = match listener.accept().await {
                Ok(s) => s,
                Err(e) => {
                    // Out of file descriptors, most likely: wait rather than spin.
                    log::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let (app, router, tls) = (app.clone(), router.clone(), tls.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let (app, router) = (app.clone(), router.clone());
                    async move {
                        Ok::<_, std::convert::Infallible>(
                            dispatch(app, &router, req, peer, mode).await,
                        )
                    }
                });
                let mut http = hyper::server::conn::http1::Builder::new();
                http.timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(Duration::from_secs(20));
                let result = match tls {
                    Some(acceptor) => {
                        match tokio::time::timeout(Duration::from_secs(20), acceptor.accept(stream))
                            .await
                        {
                            Ok(Ok(tls_stream)) => {
                                http.serve_connection(TokioIo::new(tls_stream), service)
                                    .await
                            }
                            _ => return,
                        }
                    }
                    None => http.serve_connection(TokioIo::new(stream), service).await,
                };
                if let Err(e) = result {
                    log::debug!("connection from {peer}: {e}");
                }
            });
        }
    });
}

fn cookies(req: &Request<hyper::body::Incoming>) -> Vec<(String, String)> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| {
            cookie::Cookie::split_parse(v.to_owned())
                .filter_map(Result::ok)
                .collect::<Vec<_>>()
        })
        .map(|c| (c.name().to_owned(), c.value().to_owned()))
        .collect()
}

/// Paths a plain-HTTP network listener answers itself instead of redirecting.
fn served_without_tls(path: &str) -> bool {
    path == "/healthz" || path == "/ca" || path == "/ca.crt" || path.starts_with("/static/")
}

/// Paths reachable while a forced password change is pending.
fn allowed_before_password_change(path: &str) -> bool {
    served_without_tls(path)
        || path == "/password"
        || path == "/logout"
        || path.starts_with("/lang/")
}

async fn dispatch(
    app: App,
    router: &Router,
    request: Request<hyper::body::Incoming>,
    peer: SocketAddr,
    mode: Mode,
) -> Response {
    let path = request.uri().path().to_owned();
    // WebDAV logs in with HTTP Basic, not cookies: it skips the portal's session and CSRF.
    if path == crate::dav::PREFIX || path.starts_with("/dav/") {
        return match mode {
            // Passwords travel only over TLS, or on loopback (where the plain portal listens).
            Mode::Portal { https } => {
                let secure = https || peer.ip().is_loopback();
                crate::dav::handle(app, request, peer, secure).await
            }
            Mode::Redirect { https_port } => redirect_to_https(&request, https_port),
        };
    }
    let https = match mode {
        Mode::Portal { https } => https,
        Mode::Redirect { https_port } => {
            if !served_without_tls(&path) {
                return redirect_to_https(&request, https_port);
            }
            false
        }
    };
    let jar = cookies(&request);
    let get = |name: &str| jar.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());

    let (session, principal) = match get(SESSION_COOKIE) {
        Some(token) => match app.auth.session(&token).await {
            Ok(Some((s, p))) => (Some(s), Some(p)),
            Ok(None) => (None, None),
            Err(e) => {
                log::error!("session lookup failed: {e}");
                (None, None)
            }
        },
        None => (None, None),
    };
    let settings = app.settings();
    let accept = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang_cookie = get(LANG_COOKIE);
    let lang = crate::i18n::negotiate(
        principal.as_ref().and_then(|p| p.language.as_deref()),
        lang_cookie.as_deref(),
        &settings.default_language,
        accept,
    );
    let is_head = request.method() == hyper::Method::HEAD;
    let (parts, body) = request.into_parts();
    let mut req = Req {
        app: app.clone(),
        method: parts.method,
        uri: parts.uri,
        headers: parts.headers,
        body: Some(body),
        params: Vec::new(),
        conn: Conn { peer, https },
        principal,
        session,
        lang,
        pre_csrf: get(PRE_SESSION_COOKIE).filter(|t| t.len() == 48),
        set_cookies: Vec::new(),
    };

    let forced = req
        .principal
        .as_ref()
        .is_some_and(|p| p.must_change_password);
    let result = if forced && !allowed_before_password_change(&path) {
        // Where the person was going waits behind the change (an application's login).
        let next = match req.method {
            hyper::Method::GET => req.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"),
            _ => "/",
        };
        Ok(req::redirect(&pages::auth_pages::password_page(
            &req::safe_next(Some(next)),
        )))
    } else {
        match router.find(&req.method, &path) {
            Found::Handler(h, params) => {
                req.params = params;
                // The handler consumes the request; keep what an error page needs.
                let spare = clone_for_error(&req);
                let r = h.clone()(req).await;
                req = spare;
                r
            }
            Found::WrongMethod => Err(WebError::MethodNotAllowed),
            Found::Nothing => Err(WebError::NotFound),
        }
    };
    let mut resp = match result {
        Ok(r) => r,
        Err(e) => error_response(&mut req, e),
    };
    security_headers(&mut resp, &path);
    if is_head {
        *resp.body_mut() = empty();
    }
    resp
}

/// What an error page needs of a request the handler consumed. Headers are left out: the
/// error page does not read them, and this runs on every request.
fn clone_for_error(req: &Req) -> Req {
    Req {
        app: req.app.clone(),
        method: req.method.clone(),
        uri: req.uri.clone(),
        headers: hyper::header::HeaderMap::new(),
        body: None,
        params: Vec::new(),
        conn: req.conn,
        principal: req.principal.clone(),
        session: req.session.clone(),
        lang: req.lang,
        pre_csrf: req.pre_csrf.clone(),
        set_cookies: Vec::new(),
    }
}

fn error_response(req: &mut Req, e: WebError) -> Response {
    if let WebError::Internal(detail) = &e {
        log::error!("{} {}: {detail}", req.method, req.uri.path());
    }
    if matches!(e, WebError::LoginRequired) {
        let next = req.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        return req::redirect(&req::with_next("/login", next));
    }
    let status = e.status();
    let key = e.message_key();
    let limit = match e {
        WebError::TooLarge(n) => n / 1024,
        _ => 0,
    };
    let ctx = context! { status => status.as_u16(), key => key, limit_kib => limit };
    match req.render_status(status, "error.html", ctx) {
        Ok(r) => r,
        Err(e) => {
            log::error!("the error page failed to render: {e:?}");
            let mut r = Response::new(full("error"));
            *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            r
        }
    }
}

fn redirect_to_https(
    request: &Request<hyper::body::Incoming>,
    https_port: Option<u16>,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let host = host
        .parse::<hyper::http::uri::Authority>()
        .map(|a| a.host().to_owned())
        .unwrap_or_else(|_| "localhost".into());
    let host = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host
    };
    let port = match https_port {
        Some(443) | None => String::new(),
        Some(p) => format!(":{p}"),
    };
    let pq = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let mut resp = Response::new(empty());
    *resp.status_mut() = StatusCode::MOVED_PERMANENTLY;
    if let Ok(v) = HeaderValue::from_str(&format!("https://{host}{port}{pq}")) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// The portal's Content-Security-Policy, with `form-action` widened to `extra` origins.
///
/// Chromium and Safari check `form-action` along the whole redirect chain after a form is
/// sent: the login form's POST answered by a 303 to `/oidc/authorize`, then a 302 to the
/// application, is blocked unless the application's origin is allowed too. Only origins made
/// of safe characters are added (a `;` would start a directive of its own).
pub fn csp(extra: &[String]) -> HeaderValue {
    let mut form_action = String::from("'self'");
    for o in extra {
        if !o.is_empty()
            && o.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b':' | b'/' | b'.' | b'-' | b'[' | b']')
            })
        {
            form_action.push(' ');
            form_action.push_str(o);
        }
    }
    let policy = format!(
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action {form_action}; frame-ancestors 'none'; base-uri 'none'"
    );
    HeaderValue::from_str(&policy).unwrap_or_else(|_| {
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        )
    })
}

fn security_headers(resp: &mut Response, path: &str) {
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    // A handler may have set its own policy (the login page of a pending application login
    // widens `form-action`): keep it.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, csp(&[]));
    }
    if !path.starts_with("/static/") && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}
