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
        "suggest.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../static/suggest.js"),
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

#[cfg(test)]
mod tests {
    use super::STATIC;

    /// `(selector, declarations)` of every rule, `@media` blocks opened, comments dropped.
    fn rules(css: &str) -> Vec<(String, String)> {
        let mut text = String::new();
        let mut rest = css;
        while let Some(at) = rest.find("/*") {
            text.push_str(&rest[..at]);
            rest = rest[at..].split_once("*/").map_or("", |(_, r)| r);
        }
        text.push_str(rest);
        let mut out = Vec::new();
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            let selector = rest[..open].trim().to_owned();
            let after = &rest[open + 1..];
            if selector.starts_with("@media") || selector.starts_with("@supports") {
                // The block's end: the brace that closes the depth it opened.
                let mut depth = 1;
                let end = after
                    .char_indices()
                    .find(|&(_, c)| {
                        depth += match c {
                            '{' => 1,
                            '}' => -1,
                            _ => 0,
                        };
                        depth == 0
                    })
                    .map_or(after.len(), |(i, _)| i);
                out.extend(rules(&after[..end]));
                rest = after.get(end + 1..).unwrap_or("");
            } else {
                let end = after.find('}').unwrap_or(after.len());
                out.push((selector, after[..end].to_owned()));
                rest = after.get(end + 1..).unwrap_or("");
            }
        }
        out
    }

    /// What in one declaration points left or right, if anything.
    fn physical(property: &str, value: &str) -> Option<&'static str> {
        let words = |s: &str| {
            s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                .any(|w| w == "left" || w == "right")
        };
        if property.split('-').any(|w| w == "left" || w == "right") {
            return Some("a left/right property: use its -inline-start/-inline-end form");
        }
        if !value.contains("url(") && words(value) {
            return Some("a left/right value: use start/end");
        }
        let values: Vec<&str> = value.split_whitespace().collect();
        let sides = [
            "margin",
            "padding",
            "inset",
            "border-width",
            "border-style",
            "border-color",
            "scroll-margin",
            "scroll-padding",
        ];
        if sides.contains(&property) && values.len() == 4 && values[1] != values[3] {
            return Some("four sides with different left and right: use the -block/-inline forms");
        }
        if property == "border-radius"
            && !value.contains('/')
            && values.len() > 1
            && values.iter().any(|v| *v != values[0])
        {
            return Some("corners that differ: use border-start-end-radius and the like");
        }
        None
    }

    /// Every stylesheet is written in logical properties (`margin-inline-start`,
    /// `text-align: start`...), so the one stylesheet lays out French left to right and Arabic
    /// right to left. A physical side slipped into a later page fails here; something turned
    /// one way (a rotated icon) must be turned back in a `[dir=rtl]` rule.
    #[test]
    fn stylesheets_use_logical_properties_so_one_serves_both_directions() {
        let mut found = Vec::new();
        for (name, mime, css) in STATIC.iter().filter(|(_, m, _)| m.starts_with("text/css")) {
            assert!(mime.contains("utf-8"), "{name}");
            let all = rules(css);
            assert!(all.len() > 5, "{name}: the rules were read ({})", all.len());
            for (selector, body) in &all {
                for decl in body.split(';') {
                    let Some((property, value)) = decl.split_once(':') else {
                        continue;
                    };
                    let (property, value) = (property.trim(), value.trim());
                    if let Some(why) = physical(property, value) {
                        found.push(format!("{name}: {selector} {{{property}:{value}}}: {why}"));
                    }
                    let turns = ["rotate", "translateX", "skew", "scaleX", "matrix"]
                        .iter()
                        .any(|f| value.contains(&format!("{f}(")));
                    if property == "transform" && turns && !selector.starts_with("[dir=") {
                        let mirrored = selector.split(',').all(|s| {
                            all.iter().any(|(o, b)| {
                                o.split(',')
                                    .any(|o| o.trim() == format!("[dir=rtl] {}", s.trim()))
                                    && b.contains("transform")
                            })
                        });
                        if !mirrored {
                            found.push(format!(
                                "{name}: {selector} {{transform:{value}}} has no [dir=rtl] mirror"
                            ));
                        }
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "physical left/right in the stylesheets:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn the_stylesheet_check_sees_what_it_must() {
        let bad = [
            ("margin-left", ".5rem"),
            ("padding-right", "0"),
            ("border-left", "4px solid red"),
            ("border-right-color", "red"),
            ("border-top-left-radius", "2px"),
            ("left", "0"),
            ("right", "1rem"),
            ("text-align", "left"),
            ("text-align", "right"),
            ("float", "left"),
            ("clear", "right"),
            ("background-position", "right top"),
            ("margin", "0 .4rem 0 0"),
            ("padding", "1px 2px 3px 4px"),
            ("border-radius", "2px 6px 2px 2px"),
        ];
        for (p, v) in bad {
            assert!(physical(p, v).is_some(), "{p}:{v} is physical");
        }
        let good = [
            ("margin-inline-start", ".5rem"),
            ("border-inline-start", "4px solid red"),
            ("inset-inline", "0"),
            ("text-align", "start"),
            ("text-align", "center"),
            ("margin", "0 auto 1rem"),
            ("margin", "1px 2px 3px 2px"),
            ("border-radius", ".5rem"),
            ("border-start-end-radius", "6px"),
            ("background", "url(left.svg)"),
        ];
        for (p, v) in good {
            assert!(physical(p, v).is_none(), "{p}:{v} is logical");
        }
        let css = "a{b:c}/* x{y:z} */@media (max-width:1px){d{e:f}g{h:i}}j{k:l}";
        let got: Vec<String> = rules(css).into_iter().map(|(s, b)| s + ":" + &b).collect();
        assert_eq!(got, ["a:b:c", "d:e:f", "g:h:i", "j:k:l"]);
    }
}
