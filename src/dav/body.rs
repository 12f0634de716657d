//! The bodies dav-server parses as XML (PROPFIND, PROPPATCH, LOCK), read and checked before it
//! sees them. Its XML trees (xmltree) are built by recursion, one call per level, so a body of
//! a thousand nested elements overflowed a worker thread's stack and aborted the whole server:
//! any account could stop the school's box with one request. The nesting is measured here
//! with xml's streaming reader, which recurses not at all, and a body deeper than any client
//! sends is refused with 400.

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::{Method, Request};
use xml::reader::{EventReader, XmlEvent};

/// dav-server's own limit on the bodies it reads whole.
pub const MAX_BYTES: usize = 64 * 1024;
/// The deepest nesting accepted. Clients send four or five levels (a property inside `prop`
/// inside `set` inside `propertyupdate`); dead properties may hold a little structure of their own.
pub const MAX_DEPTH: usize = 64;

/// Why a body was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    TooLarge,
    TooDeep,
    /// The client stopped sending, or sent a broken body.
    Unreadable,
}

/// Whether dav-server reads this method's body whole (all but PUT and PATCH, which stream).
pub fn is_read_whole(method: &Method) -> bool {
    !matches!(method.as_str(), "PUT" | "PATCH")
}

/// Reads the body (at most [`MAX_BYTES`]) and checks its nesting; the request comes back with
/// the body in memory, as dav-server would have held it anyway.
pub async fn read<B>(request: Request<B>) -> Result<Request<Full<Bytes>>, Refusal>
where
    B: hyper::body::Body,
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let declared = request
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|l| l > MAX_BYTES as u64) {
        return Err(Refusal::TooLarge);
    }
    let (parts, body) = request.into_parts();
    let bytes = match Limited::new(body, MAX_BYTES).collect().await {
        Ok(c) => c.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => return Err(Refusal::TooLarge),
        Err(_) => return Err(Refusal::Unreadable),
    };
    if too_deep(&bytes) {
        return Err(Refusal::TooDeep);
    }
    Ok(Request::from_parts(parts, Full::new(bytes)))
}

/// Whether elements nest deeper than [`MAX_DEPTH`] before the document ends or goes wrong.
/// A malformed body is not judged here: dav-server refuses it (at a depth already checked).
pub fn too_deep(bytes: &[u8]) -> bool {
    let mut depth = 0usize;
    for event in EventReader::new(bytes) {
        match event {
            Ok(XmlEvent::StartElement { .. }) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return true;
                }
            }
            Ok(XmlEvent::EndElement { .. }) => depth = depth.saturating_sub(1),
            Ok(XmlEvent::EndDocument) | Err(_) => return false,
            Ok(_) => {}
        }
    }
    false
}

#[cfg(test)]
mod props;
