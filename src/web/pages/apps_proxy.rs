//! Applications with no login of their own (a kiwix-serve, a static site on the LAN) behind
//! the portal: `/apps/<slug>/...` is forwarded to the application's internal address for
//! those the one `UseApp` decision lets in, so the portal's login guards it.
//!
//! The proxy is deliberately plain: HTTP/1.1 to an `http://` address over hyper's client,
//! bodies streamed both ways (an upload or a large download never sits in memory), the
//! portal's session cookie and any `Authorization` kept from the application, the usual
//! `X-Forwarded-*` headers set by us (never the visitor's own), and redirects and cookies
//! that point into the application rewritten under the prefix. The application shares the
//! portal's origin, so it is trusted like the portal: its responses get the portal's security
//! headers, and it may not set the portal's own cookies. No WebSocket upgrades.

use crate::auth::{Action, SESSION_COOKIE};
use crate::idp::apps::{self, App, Protocol};
use crate::web::error::WebError;
use crate::web::req::{PRE_SESSION_COOKIE, Req, redirect};
use crate::web::router::Router;
use crate::web::{Body, Response, empty};
use http_body_util::BodyExt;
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use minijinja::context;
use std::sync::OnceLock;
use std::time::Duration;

/// How long the application has to accept the connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long it has to start answering (the body may then take as long as it needs).
const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

pub fn routes(r: &mut Router) {
    for m in [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
    ] {
        r.add(m.clone(), "/apps/{slug}/", forward);
        r.add(m, "/apps/{slug}/{*rest}", forward);
    }
    r.get("/apps/{slug}", with_slash);
}

/// The connection pool is not kept between requests: each test (and each server) has its own
/// runtime, and an application on the LAN is a loopback or one-hop connect away.
fn client() -> &'static Client<HttpConnector, Body> {
    static CLIENT: OnceLock<Client<HttpConnector, Body>> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let mut http = HttpConnector::new();
        http.set_connect_timeout(Some(CONNECT_TIMEOUT));
        http.set_nodelay(true);
        Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(0)
            .build(http)
    })
}

async fn with_slash(req: Req) -> Result<Response, WebError> {
    let slug: String = req.param("slug")?;
    Ok(redirect(&format!("/apps/{slug}/")))
}

/// The application a slug names, if it is one behind the portal.
async fn proxied(req: &Req, slug: String) -> Result<App, WebError> {
    let app = req
        .app
        .db
        .read(move |c| Ok(apps::by_slug(c, &slug)?))
        .await?;
    app.filter(|a| a.protocol == Protocol::Proxy)
        .ok_or(WebError::NotFound)
}

pub async fn forward(mut req: Req) -> Result<Response, WebError> {
    req.principal()?;
    let slug: String = req.param("slug")?;
    let app = proxied(&req, slug).await?;
    req.allow(&Action::UseApp {
        app: &app.audience(),
    })?;
    let prefix = format!("/apps/{}", app.slug);
    if climbs(&req.uri) {
        return Err(WebError::BadRequest("error.bad_query"));
    }
    let Some(target) = target(&app.internal_url, &prefix, &req.uri) else {
        log::warn!(
            "application {}: its internal address {:?} is not an http:// address",
            app.slug,
            app.internal_url
        );
        return down(req);
    };
    let mut out = hyper::Request::builder()
        .method(req.method.clone())
        .uri(target.clone())
        .body(
            req.body
                .take()
                .map(|b| b.map_err(std::io::Error::other).boxed())
                .unwrap_or_else(empty),
        )
        .map_err(|e| WebError::Internal(e.to_string()))?;
    *out.headers_mut() = forwarded_headers(&req, &prefix);
    let sent = tokio::time::timeout(ANSWER_TIMEOUT, client().request(out)).await;
    let resp = match sent {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            log::warn!("application {} at {target}: {e}", app.slug);
            return down(req);
        }
        Err(_) => {
            log::warn!("application {} at {target}: no answer in time", app.slug);
            return down(req);
        }
    };
    let (parts, body) = resp.into_parts();
    let mut back = Response::new(body.map_err(std::io::Error::other).boxed());
    *back.status_mut() = parts.status;
    let base = internal_base(&app.internal_url).unwrap_or_default();
    for (name, value) in parts.headers.iter() {
        if hop_by_hop(&parts.headers, name) {
            continue;
        }
        let value = if name == header::LOCATION {
            rewrite_location(value, &base, &prefix)
        } else if name == header::SET_COOKIE {
            match rewrite_cookie(value, &base.1, &prefix) {
                Some(v) => v,
                None => continue,
            }
        } else {
            value.clone()
        };
        back.headers_mut().append(name.clone(), value);
    }
    Ok(back)
}

/// The 502 page: the application is down, or its address is wrong.
fn down(mut req: Req) -> Result<Response, WebError> {
    req.render_status(
        StatusCode::BAD_GATEWAY,
        "error.html",
        context! { status => 502, key => "apps_admin.proxy_down", limit_kib => 0 },
    )
}

/// The internal address's origin (`http://host:port`) and path without its trailing slash.
fn internal_base(internal: &str) -> Option<(String, String)> {
    let uri: Uri = internal.parse().ok()?;
    if uri.scheme_str() != Some("http") {
        return None;
    }
    let origin = format!("http://{}", uri.authority()?);
    Some((origin, uri.path().trim_end_matches('/').to_owned()))
}

/// Where a request for `/apps/<slug>/rest?q` goes: the internal address's path, then `rest`.
fn target(internal: &str, prefix: &str, uri: &Uri) -> Option<Uri> {
    let (origin, base) = internal_base(internal)?;
    let rest = uri.path().strip_prefix(prefix).unwrap_or("/");
    let rest = if rest.is_empty() { "/" } else { rest };
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    format!("{origin}{base}{rest}{query}").parse().ok()
}

/// Whether the path has a `.` or `..` segment (plain or percent-encoded): browsers never
/// send one, and the application's server could resolve it outside the internal address's
/// path.
fn climbs(uri: &Uri) -> bool {
    uri.path().split('/').any(|seg| {
        let seg = percent_encoding::percent_decode_str(seg).decode_utf8_lossy();
        seg.split(['/', '\\']).any(|p| p == "." || p == "..")
    })
}

/// Headers that describe one connection, not the message: never forwarded (RFC 9110 7.6.1),
/// with those the `Connection` header names.
fn hop_by_hop(headers: &HeaderMap, name: &HeaderName) -> bool {
    const HOP: [&str; 8] = [
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
    ];
    HOP.contains(&name.as_str())
        || name == header::UPGRADE
        || headers
            .get_all(header::CONNECTION)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(name.as_str()))
}

/// The visitor's headers for the application: without hop-by-hop ones, the portal's cookies,
/// `Authorization`, or any `X-Forwarded-*` the visitor made up; with ours.
fn forwarded_headers(req: &Req, prefix: &str) -> HeaderMap {
    let mut out = HeaderMap::new();
    for (name, value) in req.headers.iter() {
        let n = name.as_str();
        if hop_by_hop(&req.headers, name)
            || name == header::HOST
            || name == header::AUTHORIZATION
            || name == header::COOKIE
            || name == header::FORWARDED
            // The portal already answered any `100-continue`.
            || name == header::EXPECT
            || n.starts_with("x-forwarded-")
            || n == "x-real-ip"
        {
            continue;
        }
        out.append(name.clone(), value.clone());
    }
    let cookies: Vec<String> = req
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .filter(|c| {
            let name = c.split('=').next().unwrap_or("");
            !c.is_empty()
                && name != SESSION_COOKIE
                && name != PRE_SESSION_COOKIE
                && !name.starts_with("cartable_")
        })
        .map(str::to_owned)
        .collect();
    if !cookies.is_empty()
        && let Ok(v) = HeaderValue::from_str(&cookies.join("; "))
    {
        out.insert(header::COOKIE, v);
    }
    let mut set = |name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            out.insert(HeaderName::from_static(name), v);
        }
    };
    set("x-forwarded-for", &req.conn.peer.ip().to_string());
    set(
        "x-forwarded-proto",
        if req.conn.https { "https" } else { "http" },
    );
    if let Some(host) = req.header(header::HOST) {
        set("x-forwarded-host", host);
    }
    set("x-forwarded-prefix", prefix);
    out
}

/// A redirect into the application (absolute, or a path under its base) comes back under
/// the prefix; one elsewhere is left as it is.
fn rewrite_location(value: &HeaderValue, base: &(String, String), prefix: &str) -> HeaderValue {
    let Ok(loc) = value.to_str() else {
        return value.clone();
    };
    let (origin, path) = base;
    let local = loc
        .strip_prefix(origin.as_str())
        .filter(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
        .or_else(|| {
            loc.starts_with('/')
                .then_some(loc)
                .filter(|l| !l.starts_with("//"))
        });
    let Some(local) = local else {
        return value.clone();
    };
    let under = if path.is_empty() {
        Some(local)
    } else {
        local
            .strip_prefix(path.as_str())
            .filter(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
    };
    match under {
        Some(rest) => {
            let rest = if rest.is_empty() || rest.starts_with('?') {
                format!("/{rest}")
            } else {
                rest.to_owned()
            };
            HeaderValue::from_str(&format!("{prefix}{rest}")).unwrap_or_else(|_| value.clone())
        }
        None => value.clone(),
    }
}

/// An application's cookie is kept to its own prefix, and may never be one of the portal's.
fn rewrite_cookie(value: &HeaderValue, base_path: &str, prefix: &str) -> Option<HeaderValue> {
    let text = value.to_str().ok()?;
    let mut c = cookie::Cookie::parse(text.to_owned()).ok()?;
    if c.name().starts_with("cartable_") {
        return None;
    }
    let path = c.path().unwrap_or("/");
    let rest = path.strip_prefix(base_path).unwrap_or("/");
    let rest = if rest.starts_with('/') { rest } else { "/" };
    c.set_path(format!("{prefix}{rest}"));
    c.unset_domain();
    HeaderValue::from_str(&c.to_string()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_map_under_the_internal_base() {
        let uri: Uri = "/apps/wiki/a/b?x=1".parse().unwrap();
        assert_eq!(
            target("http://127.0.0.1:8080/kiwix/", "/apps/wiki", &uri).unwrap(),
            "http://127.0.0.1:8080/kiwix/a/b?x=1"
        );
        let uri: Uri = "/apps/wiki/".parse().unwrap();
        assert_eq!(
            target("http://10.0.0.2", "/apps/wiki", &uri).unwrap(),
            "http://10.0.0.2/"
        );
        assert!(target("https://10.0.0.2/", "/apps/wiki", &uri).is_none());
    }

    #[test]
    fn dot_segments_are_refused() {
        for bad in [
            "/apps/k/../x",
            "/apps/k/a/%2e%2E/b",
            "/apps/k/./x",
            "/apps/k/a%2f..%2fb",
        ] {
            assert!(climbs(&bad.parse().unwrap()), "{bad}");
        }
        assert!(!climbs(&"/apps/k/a.b/..c/x%2Fy.html".parse().unwrap()));
    }

    #[test]
    fn redirects_into_the_application_come_back_under_the_prefix() {
        let base = ("http://10.0.0.2:81".to_owned(), "/kiwix".to_owned());
        let r = |l: &str| {
            rewrite_location(&HeaderValue::from_str(l).unwrap(), &base, "/apps/k")
                .to_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(r("http://10.0.0.2:81/kiwix/x?y"), "/apps/k/x?y");
        assert_eq!(r("/kiwix/x"), "/apps/k/x");
        assert_eq!(r("/kiwix"), "/apps/k/");
        assert_eq!(r("/other"), "/other");
        assert_eq!(r("https://elsewhere.test/x"), "https://elsewhere.test/x");
        assert_eq!(r("//evil.test/x"), "//evil.test/x");
        let root = ("http://10.0.0.2".to_owned(), String::new());
        let v = rewrite_location(&HeaderValue::from_static("/login"), &root, "/apps/k");
        assert_eq!(v, "/apps/k/login");
    }

    #[test]
    fn cookies_stay_under_the_prefix_and_never_shadow_the_portals() {
        let v = |s: &'static str| HeaderValue::from_static(s);
        let c = rewrite_cookie(&v("sid=1; Path=/; HttpOnly"), "", "/apps/k").unwrap();
        assert!(c.to_str().unwrap().contains("Path=/apps/k/"), "{c:?}");
        let c = rewrite_cookie(&v("sid=1; Path=/kiwix/a"), "/kiwix", "/apps/k").unwrap();
        assert!(c.to_str().unwrap().contains("Path=/apps/k/a"), "{c:?}");
        assert!(rewrite_cookie(&v("cartable_session=x; Path=/"), "", "/apps/k").is_none());
    }
}
