//! PROPFIND's `Depth`: 0 or 1 on a folder, never infinity.
//!
//! A `Depth: infinity` PROPFIND on a folder makes the server walk every folder below it, and
//! on `/dav/` that is every tree the account can see: one request, as often as a client
//! likes. RFC 4918 §9.1 lets a server refuse it with 403 and the `propfind-finite-depth`
//! precondition, which is what we answer, before dav-server sees the request. dav-server
//! itself answers 501 to infinity, except for a request that carries an `X-Litmus` header
//! (`handle_props.rs`, for the litmus suite's sake), which it then walks: no header may turn
//! it back on here, and [`strip`] removes that one before dav-server sees it anyway.
//!
//! A PROPFIND without `Depth` means infinity (RFC 4918 §9.1: "servers SHOULD treat a request
//! without a Depth header as if a `Depth: infinity` header was included"), and is refused on
//! a folder in the same way, as Apache mod_dav does with `DavDepthInfinity Off` (its
//! default). Clients that mount a share (Windows Explorer, macOS Finder, GNOME and KDE,
//! davfs2, rclone, litmus) send `Depth: 0` or `1` on every PROPFIND of a folder, because
//! servers answer so. On a file, infinity is the same as 0 (RFC 4918 §9.1), and is passed on
//! as 0 (again as mod_dav does); dav-server would otherwise list nothing at all for a file
//! asked without `Depth`. A `Depth` that is neither 0, 1 nor infinity, or two of them, is a
//! 400: dav-server would take it as no header at all.
//!
//! The other methods that take a depth act on one tree the principal may write and are
//! infinite by nature (RFC 4918): DELETE and MOVE of a folder, COPY of one (bounded by the
//! quota it writes into), LOCK of a folder (one row in `dav_locks`, checked by path prefix).
//! None of them sends back a walk of what the account may read, so they are left as they are.

use crate::web::{Response, full};
use hyper::header::{self, HeaderValue};
use hyper::{HeaderMap, Method, StatusCode};

/// The precondition's body (RFC 4918 §9.1 and §16).
const FINITE_DEPTH: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
    <D:error xmlns:D=\"DAV:\"><D:propfind-finite-depth/></D:error>\n";

/// Whether the request is a PROPFIND at infinite depth (asked, or without `Depth`), or why
/// its `Depth` means nothing (a 400).
pub fn infinite(method: &Method, headers: &HeaderMap) -> Result<bool, &'static str> {
    if method.as_str() != "PROPFIND" {
        return Ok(false);
    }
    let mut depths = headers.get_all("Depth").iter();
    let (first, second) = (depths.next(), depths.next());
    if second.is_some() {
        return Err("One Depth header, please.\n");
    }
    match first.map(|v| v.to_str().map(str::trim)) {
        Some(Ok("0" | "1")) => Ok(false),
        None => Ok(true),
        Some(Ok(v)) if v.eq_ignore_ascii_case("infinity") => Ok(true),
        Some(_) => Err("Depth must be 0 or 1 here.\n"),
    }
}

/// A PROPFIND at infinite depth on a file: the same as depth 0, and passed on so.
pub fn as_zero(headers: &mut HeaderMap) {
    headers.insert("Depth", HeaderValue::from_static("0"));
}

/// The answer to a PROPFIND at infinite depth on a folder.
pub fn finite_depth() -> Response {
    let mut r = Response::new(full(FINITE_DEPTH));
    *r.status_mut() = StatusCode::FORBIDDEN;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    r
}

/// Removes the headers that switch dav-server's behaviour (today `X-Litmus`, which turns
/// infinite depth on), so that what it does never depends on a client's say-so.
pub fn strip(headers: &mut HeaderMap) {
    headers.remove("x-litmus");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(depths: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for d in depths {
            h.append("Depth", HeaderValue::from_str(d).unwrap());
        }
        h
    }

    fn infinite_(method: &str, depths: &[&str]) -> Result<bool, u16> {
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        infinite(&m, &with(depths)).map_err(|_| 400)
    }

    #[test]
    fn infinity_is_asked_or_implied_and_nonsense_refused() {
        assert_eq!(infinite_("PROPFIND", &["0"]), Ok(false));
        assert_eq!(infinite_("PROPFIND", &[" 1 "]), Ok(false));
        for asked in [&["infinity"][..], &["Infinity"], &["INFINITY"], &[]] {
            assert_eq!(infinite_("PROPFIND", asked), Ok(true), "{asked:?}");
        }
        for bad in [&["2"][..], &["-1"], &[""], &["0", "1"], &["1", "infinity"]] {
            assert_eq!(infinite_("PROPFIND", bad), Err(400), "{bad:?}");
        }
        // Other methods keep their own depths.
        assert_eq!(infinite_("DELETE", &["infinity"]), Ok(false));
        assert_eq!(infinite_("LOCK", &[]), Ok(false));
    }
}
