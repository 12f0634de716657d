//! Directory entries: what the URL pointer list points at.
//!
//! ```text
//! u16 mime type (0xffff redirect, 0xfffe link target, 0xfffd deleted)
//! u8  parameter length   u8 namespace   u32 revision
//! content:  u32 cluster  u32 blob       redirect:  u32 target entry
//! path\0 title\0 parameters
//! ```

use super::store::Store;
use super::{Result, corrupt};

pub const REDIRECT: u16 = 0xffff;
pub const LINK_TARGET: u16 = 0xfffe;
pub const DELETED: u16 = 0xfffd;
/// Most entries fit in the first read; a path and title together longer than this are refused.
const FIRST_READ: u64 = 512;
const MAX_DIRENT: u64 = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirentKind {
    Content {
        mime: u16,
        cluster: u32,
        blob: u32,
    },
    Redirect {
        target: u32,
    },
    /// Link targets and deleted entries, from the oldest writers: nothing to serve.
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirent {
    pub namespace: u8,
    pub path: String,
    /// As stored: empty means "the same as the path".
    pub title: String,
    pub kind: DirentKind,
}

impl Dirent {
    /// The title as shown and as the title index sorts it.
    pub fn title_or_path(&self) -> &str {
        if self.title.is_empty() {
            &self.path
        } else {
            &self.title
        }
    }

    /// Reads the entry at `offset`, which must end before `limit` (the checksum's position).
    pub(crate) fn read(store: &Store, offset: u64, limit: u64) -> Result<Dirent> {
        if offset >= limit {
            return Err(corrupt(format!(
                "a directory entry starts at {offset}, past the data"
            )));
        }
        let room = limit - offset;
        let mut len = room.min(FIRST_READ);
        loop {
            let buf = store.read_vec("a directory entry", offset, len)?;
            match parse(&buf)? {
                Some(d) => return Ok(d),
                None if len < room.min(MAX_DIRENT) => len = room.min(MAX_DIRENT),
                None => {
                    return Err(corrupt(format!(
                        "the directory entry at {offset} has no end within {len} bytes"
                    )));
                }
            }
        }
    }
}

/// Parses one entry from the start of `b`; `None` when `b` ends before the entry does.
fn parse(b: &[u8]) -> Result<Option<Dirent>> {
    if b.len() < 12 {
        return Ok(None);
    }
    let mime = u16::from_le_bytes([b[0], b[1]]);
    let namespace = b[3];
    let u32_at = |at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    let (kind, strings) = match mime {
        REDIRECT => (DirentKind::Redirect { target: u32_at(8) }, 12),
        LINK_TARGET | DELETED => (DirentKind::Removed, 8),
        _ if b.len() < 16 => return Ok(None),
        _ => (
            DirentKind::Content {
                mime,
                cluster: u32_at(8),
                blob: u32_at(12),
            },
            16,
        ),
    };
    let rest = &b[strings..];
    let Some(p) = rest.iter().position(|&c| c == 0) else {
        return Ok(None);
    };
    let Some(t) = rest[p + 1..].iter().position(|&c| c == 0) else {
        return Ok(None);
    };
    let text = |bytes: &[u8]| {
        String::from_utf8(bytes.to_vec())
            .map_err(|_| corrupt("a directory entry's path or title is not UTF-8"))
    };
    Ok(Some(Dirent {
        namespace,
        path: text(&rest[..p])?,
        title: text(&rest[p + 1..p + 1 + t])?,
        kind,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_content_and_redirect_and_waits_for_the_strings() {
        let mut b = vec![5, 0, 0, b'C', 0, 0, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0];
        b.extend_from_slice(b"Gar\xc3\xa7on\0\0");
        let d = parse(&b).unwrap().unwrap();
        assert_eq!(d.path, "Garçon");
        assert_eq!(d.title_or_path(), "Garçon");
        assert_eq!(
            d.kind,
            DirentKind::Content {
                mime: 5,
                cluster: 2,
                blob: 7
            }
        );
        assert_eq!(parse(&b[..b.len() - 1]).unwrap(), None);
        let r = [
            0xff, 0xff, 0, b'C', 0, 0, 0, 0, 9, 0, 0, 0, b'a', 0, b'T', 0,
        ];
        assert_eq!(
            parse(&r).unwrap().unwrap().kind,
            DirentKind::Redirect { target: 9 }
        );
        assert!(parse(&[0xff, 0xff, 0, b'C', 0, 0, 0, 0, 9, 0, 0, 0, 0xff, 0, 0]).is_err());
    }
}
