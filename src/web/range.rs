//! HTTP validators and byte ranges, shared by everything that sends bytes it did not render:
//! the file manager's downloads and the library's entries (phones seek in audio and video,
//! download managers resume). One parser, so both doors answer `Range` the same way.

/// What a `Range` header asks of a representation of a known length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeAnswer {
    /// One satisfiable range, inclusive bounds.
    One(u64, u64),
    /// No usable range: send everything with a 200.
    Whole,
    /// A well-formed range outside the representation: 416.
    Unsatisfiable,
}

/// A malformed or multi-range header is ignored (the whole representation is sent, as RFC
/// 9110 allows); a well-formed one that misses it is a 416.
pub fn parse_range(value: &str, len: u64) -> RangeAnswer {
    let Ok(parsed) = http_range_header::parse_range_header(value) else {
        return RangeAnswer::Whole;
    };
    match parsed.validate(len) {
        Ok(ranges) if ranges.len() == 1 => RangeAnswer::One(*ranges[0].start(), *ranges[0].end()),
        Ok(_) => RangeAnswer::Whole,
        Err(_) => RangeAnswer::Unsatisfiable,
    }
}

/// Whether an `If-None-Match` value names `etag` (weak comparison, as RFC 9110 asks for
/// this header), or is `*`.
pub fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    if_none_match
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

/// Answers a request's `Range` for a representation of `len` bytes whose ETag is `etag`: a
/// range applies only while `If-Range` (when sent) still names this version. Sets 206 and
/// `Content-Range`, or 416 and `Content-Range: bytes */len`, on `resp`; returns the first byte
/// and the count to send, or `None` after a 416 (send no body).
pub fn answer(
    req: &crate::web::req::Req,
    resp: &mut crate::web::Response,
    etag: &str,
    len: u64,
) -> Option<(u64, u64)> {
    use hyper::{StatusCode, header};
    let range = req
        .header(header::RANGE)
        .filter(|_| req.header(header::IF_RANGE).is_none_or(|ir| ir == etag));
    let (status, content_range, sent) = match range.map(|r| parse_range(r, len)) {
        Some(RangeAnswer::One(a, b)) => (
            StatusCode::PARTIAL_CONTENT,
            format!("bytes {a}-{b}/{len}"),
            Some((a, b - a + 1)),
        ),
        Some(RangeAnswer::Unsatisfiable) => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            format!("bytes */{len}"),
            None,
        ),
        Some(RangeAnswer::Whole) | None => return Some((0, len)),
    };
    *resp.status_mut() = status;
    if let Ok(v) = header::HeaderValue::from_str(&content_range) {
        resp.headers_mut().insert(header::CONTENT_RANGE, v);
    }
    sent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-9", 100), RangeAnswer::One(0, 9));
        assert_eq!(parse_range("bytes=-10", 100), RangeAnswer::One(90, 99));
        assert_eq!(parse_range("bytes=95-", 100), RangeAnswer::One(95, 99));
        assert_eq!(parse_range("bytes=200-", 100), RangeAnswer::Unsatisfiable);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), RangeAnswer::Whole);
        assert_eq!(parse_range("pages=1", 100), RangeAnswer::Whole);
    }

    #[test]
    fn validators() {
        assert!(etag_matches("\"a\"", "\"a\""));
        assert!(etag_matches("\"b\", W/\"a\"", "\"a\""));
        assert!(etag_matches("*", "\"a\""));
        assert!(!etag_matches("\"b\"", "\"a\""));
    }
}
