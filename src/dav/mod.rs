//! The WebDAV door: `/dav/`, mountable as a network drive by Windows Explorer, macOS Finder,
//! Linux file managers and rclone, over the same spaces and permissions as the web file
//! manager, with the same login.
//!
//! dav-server speaks the protocol (PROPFIND, LOCK, If headers, multistatus); what sits behind
//! it is ours: [`fs::SpacesFs`] maps paths onto the principal's spaces and asks `authorize`,
//! [`locks::DbLocks`] keeps locks in the database. This module does what must happen before
//! dav-server sees a request: the Basic login (passwords only over TLS or loopback), refusing
//! odd paths outright, refusing PROPFIND at infinite depth on a folder ([`depth`]), and
//! checking both sides of a MOVE or COPY, so that a refused operation changes nothing at all
//! (dav-server deletes an overwritten destination first).

pub(crate) mod basic;
mod body;
mod depth;
mod file;
mod fs;
mod homework;
mod locks;
mod namespace;
mod propcache;
mod props;

use crate::app::App;
use crate::auth::{Action, Principal, authorize};
use crate::web::{Response, full};
use dav_server::DavHandler;
use http_body_util::BodyExt;
use hyper::header::{self, HeaderValue};
use hyper::{Request, StatusCode};
use namespace::Target;
use std::net::SocketAddr;
use std::sync::Arc;

/// Where the share is mounted.
pub const PREFIX: &str = "/dav";

const REALM: &str = "Basic realm=\"Cartable\", charset=\"UTF-8\"";

/// Answers one request below `/dav`. `secure` is true over TLS and on loopback: anywhere
/// else a Basic password would cross the network in clear, so we refuse before reading it.
pub async fn handle(
    app: App,
    request: Request<hyper::body::Incoming>,
    peer: SocketAddr,
    secure: bool,
) -> Response {
    let mut r = answer(app, request, peer, secure).await;
    // Explorer and Finder look for these on every answer, not only OPTIONS. We do class 1
    // and 2; partial updates are refused (see `file::WriteFile::seek`).
    let h = r.headers_mut();
    h.insert("DAV", HeaderValue::from_static("1, 2"));
    h.insert("MS-Author-Via", HeaderValue::from_static("DAV"));
    r
}

async fn answer(
    app: App,
    mut request: Request<hyper::body::Incoming>,
    peer: SocketAddr,
    secure: bool,
) -> Response {
    if !secure {
        return plain(
            StatusCode::FORBIDDEN,
            "WebDAV needs HTTPS: use the https:// address of this server.\n",
        );
    }
    let Some(segs) = checked_segments(request.uri().path()) else {
        return plain(StatusCode::BAD_REQUEST, "This path is not allowed.\n");
    };
    let principal = match basic::credentials(request.headers().get(header::AUTHORIZATION)) {
        None => return unauthorized(),
        Some((user, pass)) => match basic::login(&app, &user, &pass, peer.ip()).await {
            Ok(p) => p,
            Err(basic::Refused::Unauthorized) => return unauthorized(),
            Err(basic::Refused::Throttled(wait)) => {
                let mut r = plain(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Too many failed logins; try again later.\n",
                );
                if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
                return r;
            }
            Err(basic::Refused::Internal) => return internal(),
        },
    };
    if principal.must_change_password {
        return plain(
            StatusCode::FORBIDDEN,
            "Change your password in the portal first.\n",
        );
    }
    let infinite = match depth::infinite(request.method(), request.headers()) {
        Ok(i) => i,
        Err(why) => return plain(StatusCode::BAD_REQUEST, why),
    };
    depth::strip(request.headers_mut());
    let p = principal;
    let p2 = p.clone();
    // Assignments are loaded only for a request below `Homework/` (MOVE and COPY with one
    // end there are refused before they need them).
    let wanted = (segs.first().map(String::as_str) == Some(namespace::HOMEWORK))
        .then(|| segs.get(1).cloned().unwrap_or_default());
    let loaded = app
        .db
        .read(move |c| {
            let spaces = crate::files::visible_spaces(c, &p2)?;
            let tree = match wanted {
                Some(w) if namespace::has_classes(&spaces) => homework::load(c, &p2, Some(&w))
                    .map_err(|e| match e {
                        crate::homework::HomeworkError::Db(e) => e,
                        other => crate::db::Error::Task(other.to_string()),
                    })?,
                _ => homework::Tree::default(),
            };
            Ok((spaces, tree))
        })
        .await;
    let (spaces, tree) = match loaded {
        Ok((s, t)) => (Arc::new(s), Arc::new(t)),
        Err(e) => {
            log::error!("WebDAV: listing spaces failed: {e}");
            return internal();
        }
    };
    if let Some(refusal) = check_copy_move(&request, &p, &spaces, &segs) {
        return refusal;
    }
    let fs = fs::SpacesFs {
        app: app.clone(),
        principal: p.clone(),
        spaces,
        homework: tree,
        prop_cache: Default::default(),
    };
    if infinite {
        // A folder is refused; a file (or nothing: dav-server answers 404) is asked at depth 0.
        if fs.is_folder(&segs).await == Some(true) {
            return depth::finite_depth();
        }
        depth::as_zero(request.headers_mut());
    }
    let handler = DavHandler::builder()
        .strip_prefix(PREFIX)
        // dav-server reads 16 KiB at a time by default, each a trip to the blocking pool:
        // `make bench` measured downloads at 0.3 of rclone's speed with it, 1.2 with this.
        .read_buf_size(256 * 1024)
        .filesystem(Box::new(fs))
        .locksystem(locks::DbLocks::new(app.db.clone()))
        .principal(p.username.clone())
        .hide_symlinks(true)
        .autoindex(false)
        .build_handler();
    let resp = if body::is_read_whole(request.method()) {
        match body::read(request).await {
            Ok(request) => handler.handle(request).await,
            Err(body::Refusal::TooLarge) => {
                return plain(StatusCode::PAYLOAD_TOO_LARGE, "This body is too large.\n");
            }
            Err(body::Refusal::TooDeep) => {
                log::warn!(
                    "WebDAV: refused a body nested too deeply from {}",
                    p.username
                );
                return plain(StatusCode::BAD_REQUEST, "This XML is nested too deeply.\n");
            }
            Err(body::Refusal::Unreadable) => {
                return plain(StatusCode::BAD_REQUEST, "This body could not be read.\n");
            }
        }
    } else {
        handler.handle(request).await
    };
    let (parts, body) = resp.into_parts();
    if parts.status.is_server_error() {
        log::warn!("WebDAV answered {} to {}", parts.status, p.username);
    }
    Response::from_parts(parts, SyncBody(std::sync::Mutex::new(body)).boxed())
}

/// The decoded segments of a request path below `/dav`, or `None` when one of them is `.`,
/// `..`, holds an encoded slash, backslash or NUL, or is not UTF-8: such paths are refused
/// outright rather than normalised into something the client did not mean.
fn checked_segments(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix(PREFIX)?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    let mut out = Vec::new();
    for raw in rest.split('/').filter(|s| !s.is_empty()) {
        let bytes = percent_decode(raw)?;
        let seg = String::from_utf8(bytes).ok()?;
        if seg == "." || seg == ".." || seg.contains(['/', '\\', '\0']) {
            return None;
        }
        out.push(seg);
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            // Two hex digits exactly: `u8::from_str_radix` alone would also take `+1`.
            let h = b.get(i + 1..i + 3)?;
            if !h.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// For MOVE and COPY, checks both ends before anything happens: the source of a MOVE and
/// the destination must be inside spaces the principal writes. A destination the principal
/// cannot see answers like one whose parent does not exist.
fn check_copy_move(
    request: &Request<hyper::body::Incoming>,
    p: &Principal,
    spaces: &[crate::files::Space],
    segs: &[String],
) -> Option<Response> {
    let m = request.method().as_str();
    if m != "MOVE" && m != "COPY" {
        return None;
    }
    let writes = |target: Option<Target<'_>>| -> Result<(), StatusCode> {
        match target {
            None => Err(StatusCode::NOT_FOUND),
            Some(Target::Space { space, rel }) if !rel.is_empty() => {
                authorize(p, &Action::WriteSpace { space: space.id })
                    .map(|_| ())
                    .map_err(|_| StatusCode::FORBIDDEN)
            }
            Some(_) => Err(StatusCode::FORBIDDEN),
        }
    };
    if m == "MOVE"
        && let Err(s) = writes(namespace::locate(spaces, segs))
    {
        return Some(plain(s, ""));
    }
    let dest = request.headers().get("Destination")?.to_str().ok()?;
    let path = match dest.find("://") {
        Some(i) => {
            let after = &dest[i + 3..];
            &after[after.find('/').unwrap_or(after.len())..]
        }
        None => dest,
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let Some(dsegs) = checked_segments(path) else {
        return Some(plain(
            StatusCode::BAD_REQUEST,
            "This path is not allowed.\n",
        ));
    };
    match writes(namespace::locate(spaces, &dsegs)) {
        Ok(()) => None,
        Err(StatusCode::NOT_FOUND) => Some(plain(StatusCode::CONFLICT, "")),
        Err(s) => Some(plain(s, "")),
    }
}

/// dav-server's body is `Send` but not `Sync`, which the web door's body type wants; a
/// mutex nobody contends makes it so.
struct SyncBody(std::sync::Mutex<dav_server::body::Body>);

impl hyper::body::Body for SyncBody {
    type Data = bytes::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<bytes::Bytes>, std::io::Error>>> {
        let inner = self
            .get_mut()
            .0
            .get_mut()
            .unwrap_or_else(|p| p.into_inner());
        std::pin::Pin::new(inner).poll_frame(cx)
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match self.0.try_lock() {
            Ok(b) => b.size_hint(),
            Err(_) => hyper::body::SizeHint::default(),
        }
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut r = Response::new(full(text));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

fn unauthorized() -> Response {
    let mut r = plain(StatusCode::UNAUTHORIZED, "Login required.\n");
    r.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(REALM));
    r
}

fn internal() -> Response {
    plain(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on the server.\n",
    )
}

#[cfg(test)]
mod path_props;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_paths_are_refused() {
        assert_eq!(checked_segments("/dav").unwrap(), Vec::<String>::new());
        assert_eq!(
            checked_segments("/dav/Classes/6e%20A/").unwrap(),
            vec!["Classes", "6e A"]
        );
        for bad in [
            "/dav/u/..",
            "/dav/u/%2e%2E",
            "/dav/u/a%2Fb",
            "/dav/u/a%5cb",
            "/dav/u/a%00",
            "/dav/u/%ff",
            "/dav/u/%4",
            "/davx",
        ] {
            assert!(checked_segments(bad).is_none(), "{bad}");
        }
    }
}
