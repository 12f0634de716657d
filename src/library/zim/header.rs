//! The ZIM header (80 bytes, little-endian) and the MIME type list after it.
//!
//! Every position the header gives is checked here, once, against the file's size and against
//! the checksum that ends the archive, so that the rest of the reader can trust the lists'
//! bounds and only has to check the offsets it reads from them.

use super::store::Store;
use super::{Error, Result, corrupt};

pub const MAGIC: u32 = 72_173_914;
pub const HEADER_LEN: u64 = 80;
/// "None" in the header's main and layout page fields.
const NO_PAGE: u32 = u32::MAX;
/// The MIME type list is a few hundred bytes; more than this is not a ZIM file's.
const MAX_MIME_LIST: u64 = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub major: u16,
    pub minor: u16,
    pub uuid: [u8; 16],
    pub entry_count: u32,
    pub cluster_count: u32,
    pub url_ptr_pos: u64,
    /// Absent in files written by libzim 7 and later (v6.1+), whose title index is an entry.
    pub title_ptr_pos: Option<u64>,
    pub cluster_ptr_pos: u64,
    pub mime_list_pos: u64,
    pub main_page: Option<u32>,
    pub layout_page: Option<u32>,
    pub checksum_pos: u64,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut x = [0; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

impl Header {
    /// The UUID as 32 lower-case hex digits: the collection's identity in the registry.
    pub fn uuid_hex(&self) -> String {
        self.uuid.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// Reads and checks the header of the archive in `store`.
    pub(crate) fn read(store: &Store) -> Result<Header> {
        let size = store.size();
        let mut b = [0u8; HEADER_LEN as usize];
        let n = size.min(HEADER_LEN) as usize;
        store.read_at("the header", 0, &mut b[..n])?;
        if n < 4 || u32_at(&b, 0) != MAGIC {
            return Err(Error::NotZim);
        }
        if size < HEADER_LEN {
            return Err(Error::Truncated {
                what: "the header",
                end: HEADER_LEN,
                size,
            });
        }
        let page = |at| Some(u32_at(&b, at)).filter(|&p| p != NO_PAGE);
        let mut uuid = [0; 16];
        uuid.copy_from_slice(&b[8..24]);
        let h = Header {
            major: u16_at(&b, 4),
            minor: u16_at(&b, 6),
            uuid,
            entry_count: u32_at(&b, 24),
            cluster_count: u32_at(&b, 28),
            url_ptr_pos: u64_at(&b, 32),
            title_ptr_pos: Some(u64_at(&b, 40)).filter(|&p| p != u64::MAX && p != 0),
            cluster_ptr_pos: u64_at(&b, 48),
            mime_list_pos: u64_at(&b, 56),
            main_page: page(64),
            layout_page: page(68),
            checksum_pos: u64_at(&b, 72),
        };
        if h.major != 5 && h.major != 6 {
            return Err(Error::Version {
                major: h.major,
                minor: h.minor,
            });
        }
        h.check(size)?;
        Ok(h)
    }

    /// The "new namespace scheme" (libzim 7+, v6.1+): content in `C`, metadata in `M`,
    /// well-known entries in `W`, indexes in `X`. Older files keep articles in `A`, images in
    /// `I`, layout in `-`.
    pub fn new_namespace_scheme(&self) -> bool {
        self.major >= 6 && self.minor >= 1
    }

    fn check(&self, size: u64) -> Result<()> {
        let checksum_end = self.checksum_pos.saturating_add(16);
        if checksum_end > size {
            return Err(Error::Truncated {
                what: "the checksum",
                end: checksum_end,
                size,
            });
        }
        if self.checksum_pos < HEADER_LEN {
            return Err(corrupt("the checksum position is inside the header"));
        }
        let entries = u64::from(self.entry_count);
        self.region("the URL pointer list", self.url_ptr_pos, entries * 8, size)?;
        if let Some(pos) = self.title_ptr_pos {
            self.region("the title pointer list", pos, entries * 4, size)?;
        }
        let clusters = u64::from(self.cluster_count);
        self.region(
            "the cluster pointer list",
            self.cluster_ptr_pos,
            clusters * 8,
            size,
        )?;
        self.region("the MIME type list", self.mime_list_pos, 1, size)?;
        for (what, page) in [("main", self.main_page), ("layout", self.layout_page)] {
            if let Some(p) = page.filter(|&p| p >= self.entry_count) {
                return Err(corrupt(format!(
                    "the {what} page is entry {p}, but there are only {} entries",
                    self.entry_count
                )));
            }
        }
        Ok(())
    }

    /// Checks that `[pos, pos + len)` lies between the header and the checksum.
    fn region(&self, what: &'static str, pos: u64, len: u64, size: u64) -> Result<()> {
        let end = pos.saturating_add(len);
        if pos < HEADER_LEN {
            return Err(corrupt(format!("{what} starts inside the header")));
        }
        if end > size {
            return Err(Error::Truncated { what, end, size });
        }
        if end > self.checksum_pos {
            return Err(corrupt(format!("{what} runs past the checksum")));
        }
        Ok(())
    }

    /// The MIME types, in the order the directory entries number them.
    pub(crate) fn read_mime_types(&self, store: &Store) -> Result<Vec<String>> {
        let len = (self.checksum_pos - self.mime_list_pos).min(MAX_MIME_LIST);
        let bytes = store.read_vec("the MIME type list", self.mime_list_pos, len)?;
        let mut types = Vec::new();
        let mut rest = &bytes[..];
        loop {
            let Some(nul) = rest.iter().position(|&c| c == 0) else {
                return Err(corrupt("the MIME type list has no end"));
            };
            if nul == 0 {
                return Ok(types);
            }
            types.push(String::from_utf8_lossy(&rest[..nul]).into_owned());
            rest = &rest[nul + 1..];
        }
    }
}
