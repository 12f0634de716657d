//! `GET /library/<collection>/<path>`: one entry of a collection, as the browser asked for it.
//!
//! - The URL's path is the entry's content path, percent-decoded exactly once (the router
//!   hands over the raw path). `..` and `.` segments, an encoded `/`, NUL and control
//!   characters, invalid UTF-8 and paths over 4 KiB are refused with a 400 before the reader
//!   sees them: a ZIM path is not a file path, but a URL that normalises differently from
//!   what it names would break relative links, and nothing legitimate needs them.
//! - A ZIM redirect is an HTTP redirect to the target's own URL, never the target's bytes
//!   under the redirect's name: the article's relative links resolve against where it lives.
//! - Entries never change inside a collection (a new version has a new UUID), so the ETag
//!   is the UUID and the entry's index. Media, images and styles are cached for a year
//!   (`immutable`, `private`: they are behind the login). HTML pages carry the top bar in the
//!   reader's language, so their ETag names the language too and they are revalidated
//!   (`no-cache`): a 304 costs one lookup, and a language change or a lost permission shows
//!   at once.
//! - Range works on every entry; a large entry from an uncompressed cluster (audio, video)
//!   is read from the file a piece at a time, never loaded whole.
//! - The Content-Security-Policy keeps articles inside the box: everything from `'self'` or
//!   `data:`, no remote host, forms to the box only, inline styles allowed (Kiwix content
//!   needs them). Scripts are not run: an article is served on the portal's origin, so a
//!   script in it would act with the reader's session (read a CSRF token, post, change a
//!   password), and collections also arrive through the staff share's `Library` folder, not
//!   only from an admin. Wikipedia, Vikidia, Wiktionary and Gutenberg read fine without them;
//!   interactive collections (PhET simulations) do not run. Letting an admin trust one
//!   collection's scripts, served from a separate origin, is left for later.

use super::read::{blocking, entry_url, readable, set, unreadable};
use crate::library::zim::{self, Blob, EntryKind};
use crate::web::error::WebError;
use crate::web::range::etag_matches;
use crate::web::req::Req;
use crate::web::{Body, Response};
use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::{BodyExt, StreamBody};
use hyper::StatusCode;
use hyper::body::Frame;
use hyper::header;
use minijinja::context;
use percent_encoding::percent_decode_str;

/// The longest entry path accepted, in bytes (Wikipedia's longest titles are ~255).
const MAX_PATH: usize = 4096;

/// Entries up to this size are read whole before answering (a read error is then a clean
/// error page); larger ones are sent in pieces of this size.
const CHUNK: u64 = 256 * 1024;

/// The largest HTML page that gets the top bar (larger ones are sent as they are).
const MAX_BAR_PAGE: u64 = 16 << 20;

/// The policy for entries; see the module documentation.
const ENTRY_CSP: &str = "default-src 'self'; img-src 'self' data:; media-src 'self' data:; \
     font-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'none'; \
     connect-src 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'self'; \
     base-uri 'self'";

/// The ZIM content path a URL's raw `{*path}` names, or why it is refused.
pub(super) fn content_path(raw: &str) -> Result<String, &'static str> {
    if raw.len() > MAX_PATH {
        return Err("too long");
    }
    // An encoded `/` would name the same entry as a real one, under a URL whose relative
    // links resolve elsewhere.
    if raw.contains("%2F") || raw.contains("%2f") {
        return Err("encoded slash");
    }
    let path = percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| "not UTF-8")?;
    if path.is_empty() {
        return Err("empty");
    }
    if path.chars().any(char::is_control) {
        return Err("control character");
    }
    if path.split('/').any(|s| s == ".." || s == ".") {
        return Err("dot segment");
    }
    Ok(path.into_owned())
}

/// What the reader found at a path.
enum Found {
    Missing,
    /// A redirect: the content path of its final target.
    Redirect(String),
    NotModified {
        etag: String,
        html: bool,
    },
    Content {
        etag: String,
        mime: String,
        html: bool,
        body: Content,
    },
}

enum Content {
    /// Read whole (small entries, HTML pages with their bar).
    Bytes(Bytes),
    /// Read in pieces as the client takes them.
    Blob(Blob),
}

impl Content {
    fn len(&self) -> u64 {
        match self {
            Content::Bytes(b) => b.len() as u64,
            Content::Blob(b) => b.len(),
        }
    }
}

pub async fn entry(req: Req) -> Result<Response, WebError> {
    let name: String = req.param("name")?;
    let c = readable(&req, &name).await?;
    let raw: String = req.param("path")?;
    let path = content_path(&raw).map_err(|why| {
        log::info!("library: refused the path {raw:?} in {name}: {why}");
        WebError::BadRequest("library.bad_path")
    })?;
    let bar = req.app.templates.render(
        "library/bar.html",
        context! {
            lang => req.lang,
            dir => crate::i18n::dir(req.lang),
            name => c.name.clone(),
            title => c.title.clone(),
        },
    )?;
    let inm = req.header(header::IF_NONE_MATCH).map(str::to_owned);
    let (app, c2, lang) = (req.app.clone(), c.clone(), req.lang);
    let found = blocking(move || -> Result<Found, zim::Error> {
        let archive = app.library.archive(&c2)?;
        let Some(entry) = archive.entry_by_path(&path)? else {
            return Ok(Found::Missing);
        };
        let entry = match entry.kind {
            EntryKind::Redirect { .. } => {
                let target = archive.resolve(entry)?;
                return Ok(match target.kind {
                    EntryKind::Removed => Found::Missing,
                    _ => Found::Redirect(archive.content_path(&target)),
                });
            }
            EntryKind::Removed => return Ok(Found::Missing),
            EntryKind::Content { .. } => entry,
        };
        let mime = entry
            .mime()
            .unwrap_or("application/octet-stream")
            .to_owned();
        let html = mime.split(';').next().map(str::trim) == Some("text/html");
        let etag = if html {
            format!("\"{}-{}-{lang}\"", c2.uuid, entry.index)
        } else {
            format!("\"{}-{}\"", c2.uuid, entry.index)
        };
        if inm.as_deref().is_some_and(|v| etag_matches(v, &etag)) {
            return Ok(Found::NotModified { etag, html });
        }
        let blob = archive.blob(&entry)?;
        let body = if html && blob.len() <= MAX_BAR_PAGE {
            Content::Bytes(Bytes::from(with_bar(&blob.to_vec()?, bar.as_bytes())))
        } else if blob.len() <= CHUNK {
            Content::Bytes(Bytes::from(blob.to_vec()?))
        } else {
            Content::Blob(blob)
        };
        Ok(Found::Content {
            etag,
            mime,
            html,
            body,
        })
    })
    .await?;
    match found {
        Err(e) => unreadable(req, &c, e),
        Ok(Found::Missing) => Err(WebError::NotFound),
        Ok(Found::Redirect(target)) => {
            let mut resp = Response::new(crate::web::empty());
            *resp.status_mut() = StatusCode::FOUND;
            set(
                resp.headers_mut(),
                header::LOCATION,
                &entry_url(&c.name, &target),
            );
            Ok(resp)
        }
        Ok(Found::NotModified { etag, html }) => {
            let mut resp = Response::new(crate::web::empty());
            *resp.status_mut() = StatusCode::NOT_MODIFIED;
            headers(&mut resp, &etag, html);
            Ok(resp)
        }
        Ok(Found::Content {
            etag,
            mime,
            html,
            body,
        }) => Ok(send(&req, &etag, &mime, html, body)),
    }
}

/// The validators, caching and policy every answer for an entry carries.
fn headers(resp: &mut Response, etag: &str, html: bool) {
    let h = resp.headers_mut();
    set(h, header::ETAG, etag);
    set(
        h,
        header::CACHE_CONTROL,
        if html {
            "private, no-cache"
        } else {
            "private, max-age=31536000, immutable"
        },
    );
    set(h, header::CONTENT_SECURITY_POLICY, ENTRY_CSP);
    set(h, header::ACCEPT_RANGES, "bytes");
}

fn send(req: &Req, etag: &str, mime: &str, html: bool, body: Content) -> Response {
    let len = body.len();
    let mut resp = Response::new(crate::web::empty());
    headers(&mut resp, etag, html);
    let content_type = if html && !mime.to_ascii_lowercase().contains("charset=") {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_owned()
    };
    if header::HeaderValue::from_str(&content_type).is_ok() {
        set(resp.headers_mut(), header::CONTENT_TYPE, &content_type);
    } else {
        set(
            resp.headers_mut(),
            header::CONTENT_TYPE,
            "application/octet-stream",
        );
    }
    let Some((start, count)) = crate::web::range::answer(req, &mut resp, etag, len) else {
        return resp;
    };
    set(
        resp.headers_mut(),
        header::CONTENT_LENGTH,
        &count.to_string(),
    );
    *resp.body_mut() = match body {
        Content::Bytes(b) => crate::web::full(b.slice(start as usize..(start + count) as usize)),
        Content::Blob(blob) => blob_body(blob, start, count),
    };
    resp
}

/// `count` bytes of `blob` from `start`, read a piece at a time (off the async threads when
/// they come from the file) as the client takes them.
fn blob_body(blob: Blob, start: u64, count: u64) -> Body {
    let end = start + count;
    let stream = futures_util::stream::unfold((blob, start), move |(blob, at)| async move {
        if at >= end {
            return None;
        }
        let n = CHUNK.min(end - at);
        let piece = if blob.is_in_memory() {
            blob.read_range(at, n)
        } else {
            let b = blob.clone();
            match tokio::task::spawn_blocking(move || b.read_range(at, n)).await {
                Ok(r) => r,
                Err(e) => Err(zim::Error::Corrupt(format!("reader task: {e}"))),
            }
        };
        Some(match piece {
            Ok(v) if v.len() as u64 == n => (Ok(Bytes::from(v)), (blob, at + n)),
            Ok(_) => (
                Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the collection shrank while being read",
                )),
                (blob, end),
            ),
            Err(e) => {
                log::error!("library: reading an entry: {e}");
                (Err(std::io::Error::other(e.to_string())), (blob, end))
            }
        })
    });
    BodyExt::boxed(StreamBody::new(stream.map(|r| r.map(Frame::data))))
}

/// `page` with `bar` inserted right after its `<body ...>` tag; lacking one, after `</head>`,
/// else after a leading doctype (before it would switch the page to quirks mode), else at
/// the start.
pub(super) fn with_bar(page: &[u8], bar: &[u8]) -> Vec<u8> {
    let at = body_open_end(page)
        .or_else(|| find_ci(page, b"</head>").map(|i| i + 7))
        .or_else(|| {
            let start = page
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .unwrap_or(0);
            let rest = &page[start..];
            (rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"<!doctype"))
                .then(|| rest.iter().position(|&b| b == b'>').map(|i| start + i + 1))
                .flatten()
        })
        .unwrap_or(0);
    let mut out = Vec::with_capacity(page.len() + bar.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(bar);
    out.extend_from_slice(&page[at..]);
    out
}

/// Just past the `>` of the first `<body` tag (quoted attribute values may hold `>`).
fn body_open_end(page: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = find_ci(&page[from..], b"<body") {
        let tag = from + i;
        let after = tag + 5;
        match page.get(after) {
            Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') => {
                let mut quote = None;
                for (j, &b) in page[after..].iter().enumerate() {
                    match (quote, b) {
                        (None, b'"' | b'\'') => quote = Some(b),
                        (Some(q), b) if b == q => quote = None,
                        (None, b'>') => return Some(after + j + 1),
                        _ => {}
                    }
                }
                return None;
            }
            _ => from = after,
        }
    }
    None
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded_once_and_odd_ones_refused() {
        assert_eq!(content_path("Gar%C3%A7on").unwrap(), "Garçon");
        assert_eq!(
            content_path("dossier/Sous_page").unwrap(),
            "dossier/Sous_page"
        );
        assert_eq!(content_path("100%25").unwrap(), "100%");
        assert_eq!(content_path("a%253F").unwrap(), "a%3F", "decoded once only");
        assert_eq!(content_path("A/%D9%85").unwrap(), "A/م");
        for bad in [
            "a/../b", "..", "%2E%2E/x", "./x", "a%2Fb", "a%2fb", "a%00b", "a%0Ab", "%C3%28", "%FF",
            "",
        ] {
            assert!(content_path(bad).is_err(), "{bad} is refused");
        }
        assert!(content_path(&"a".repeat(5000)).is_err());
    }

    #[test]
    fn the_bar_goes_after_the_body_tag() {
        let bar = b"<div>BAR</div>";
        let page = b"<!DOCTYPE html><html><head><title>x</title></head><body class=\"a>b\"><h1>T</h1></body></html>";
        let out = String::from_utf8(with_bar(page, bar)).unwrap();
        assert!(
            out.contains("<body class=\"a>b\"><div>BAR</div><h1>T</h1>"),
            "{out}"
        );
        let out = String::from_utf8(with_bar(b"<HTML><BODY><p>x</p>", bar)).unwrap();
        assert_eq!(out, "<HTML><BODY><div>BAR</div><p>x</p>");
        // `<bodyguard>` is not a body.
        let out = String::from_utf8(with_bar(b"<head></head><bodyguard>", bar)).unwrap();
        assert_eq!(out, "<head></head><div>BAR</div><bodyguard>");
        let out = String::from_utf8(with_bar(b"<!doctype html>\n<p>x</p>", bar)).unwrap();
        assert_eq!(out, "<!doctype html><div>BAR</div>\n<p>x</p>");
        let out = String::from_utf8(with_bar(b"<p>x</p>", bar)).unwrap();
        assert_eq!(out, "<div>BAR</div><p>x</p>");
    }
}
