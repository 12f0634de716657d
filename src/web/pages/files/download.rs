//! Sending a file: streamed from disk in small pieces (a 1 GB video never sits in memory),
//! with single byte ranges (phones seek in videos, download managers resume), validators
//! (`ETag`, `Last-Modified`, `If-None-Match` → 304) and a `Content-Disposition` that keeps
//! accented and non-Latin names (RFC 6266 / RFC 5987).
//!
//! Only types a browser shows harmlessly are sent inline; anything else (HTML, SVG, scripts)
//! is sent as an attachment of type `application/octet-stream`, so an uploaded page can
//! never run as part of the portal.

use super::Target;
use crate::web::error::WebError;
use crate::web::range::etag_matches;
use crate::web::req::Req;
use crate::web::{Body, Response};
use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::{BodyExt, StreamBody};
use hyper::StatusCode;
use hyper::body::Frame;
use hyper::header::{self, HeaderValue};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::fs::Metadata;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

const CHUNK: usize = 64 * 1024;

/// RFC 5987 `attr-char`: what may stay unencoded in `filename*`.
const ATTR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// Types shown in the browser rather than saved.
fn inline_type(mime: &str) -> bool {
    matches!(
        mime,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "application/pdf" | "text/plain"
    ) || mime.starts_with("audio/")
        || mime.starts_with("video/")
}

#[derive(serde::Deserialize, Default)]
struct Query {
    download: Option<String>,
}

pub async fn send(req: Req, target: Target, meta: Metadata) -> Result<Response, WebError> {
    let len = meta.len();
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .unwrap_or_default();
    let etag = format!("\"{:x}-{:x}\"", len, mtime.as_nanos());
    let last_modified = http_date(mtime.as_secs() as i64);
    let name = target.segments.last().cloned().unwrap_or_default();

    let mut resp = Response::new(crate::web::empty());
    let h = resp.headers_mut();
    set(h, header::ETAG, &etag);
    set(h, header::LAST_MODIFIED, &last_modified);
    set(h, header::CACHE_CONTROL, "private, no-cache");
    set(h, header::ACCEPT_RANGES, "bytes");

    let not_modified = match req.header(header::IF_NONE_MATCH) {
        Some(inm) => etag_matches(inm, &etag),
        None => req.header(header::IF_MODIFIED_SINCE) == Some(last_modified.as_str()),
    };
    if not_modified {
        *resp.status_mut() = StatusCode::NOT_MODIFIED;
        return Ok(resp);
    }

    let guessed = mime_guess::from_path(&name).first_or_octet_stream();
    let query: Query = req.query().unwrap_or_default();
    let inline = query.download.is_none() && inline_type(guessed.essence_str());
    let content_type = if inline {
        guessed.essence_str().to_owned()
    } else {
        "application/octet-stream".to_owned()
    };
    set(h, header::CONTENT_TYPE, &content_type);
    set(
        h,
        header::CONTENT_DISPOSITION,
        &content_disposition(&name, inline),
    );

    let Some((start, count)) = crate::web::range::answer(&req, &mut resp, &etag, len) else {
        resp.headers_mut().remove(header::CONTENT_DISPOSITION);
        return Ok(resp);
    };
    set(
        resp.headers_mut(),
        header::CONTENT_LENGTH,
        &count.to_string(),
    );

    let mut file = tokio::fs::File::open(&target.path)
        .await
        .map_err(|e| WebError::Internal(format!("open {}: {e}", target.path.display())))?;
    if start > 0 {
        file.seek(std::io::SeekFrom::Start(start))
            .await
            .map_err(|e| WebError::Internal(format!("seek: {e}")))?;
    }
    *resp.body_mut() = file_body(file, count);
    Ok(resp)
}

/// `count` bytes of `file`, read a piece at a time as the client takes them.
fn file_body(file: tokio::fs::File, count: u64) -> Body {
    let stream = futures_util::stream::unfold((file, count), |(mut file, left)| async move {
        if left == 0 {
            return None;
        }
        let mut buf = vec![0u8; CHUNK.min(left as usize)];
        match file.read(&mut buf).await {
            Ok(0) => Some((
                Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the file shrank while being sent",
                )),
                (file, 0),
            )),
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(Bytes::from(buf)), (file, left - n as u64)))
            }
            Err(e) => Some((Err(e), (file, 0))),
        }
    });
    BodyExt::boxed(StreamBody::new(stream.map(|r| r.map(Frame::data))))
}

fn set(h: &mut hyper::HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        h.insert(name, v);
    }
}

/// `attachment; filename="Resume.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf`: old clients
/// read the ASCII fallback, every current one the exact name.
pub fn content_disposition(name: &str, inline: bool) -> String {
    let fallback: String = deunicode::deunicode(name)
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "{}; filename=\"{}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        fallback,
        utf8_percent_encode(name, ATTR)
    )
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|d| {
            d.format(time::macros::format_description!(
                "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
            ))
            .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_keeps_the_utf8_name_and_a_safe_fallback() {
        assert_eq!(
            content_disposition("Résumé \"1\".pdf", false),
            "attachment; filename=\"Resume _1_.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%221%22.pdf"
        );
    }

    #[test]
    fn http_dates() {
        assert_eq!(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
