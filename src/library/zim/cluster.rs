//! Clusters: the blobs (entries' bytes) stored together, compressed or not.
//!
//! ```text
//! u8 info: low 4 bits compression (0/1 none, 4 xz, 5 zstd; 2 zlib and 3 bzip2 are obsolete),
//!          bit 4 (0x10) "extended": blob offsets are u64 instead of u32
//! data (decompressed if compressed): offsets[n + 1], then the n blobs;
//!          offsets are relative to the data's start, the first one is the offset list's size
//! ```
//!
//! A compressed cluster is decompressed whole, under a size cap, and kept in the [`cache`]
//! (super::cache). An uncompressed one (where writers put media, possibly hundreds of MB) is
//! never loaded: its blob is read from the file on demand, a range at a time.

use std::io::{BufReader, Read};
use std::sync::Arc;

use super::store::Store;
use super::{Error, Result, corrupt};

/// The first bytes of a compressed cluster read to check its xz header before decoding.
const XZ_HEAD: u64 = 64;
/// The largest xz dictionary accepted (xz -9 uses 64 MiB; a corrupt header could ask for 4 GiB).
const MAX_XZ_DICT: u64 = 64 << 20;
/// The largest zstd window accepted, as a power of two (libzstd's own default limit).
const MAX_ZSTD_WINDOW_LOG: u32 = 27;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Xz,
    Zstd,
}

/// Where a cluster lies in the file, and how it is stored.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Location {
    pub index: u32,
    /// The info byte's offset.
    pub start: u64,
    /// Where the next cluster starts, or the checksum for the last one.
    pub end: u64,
    pub compression: Compression,
    pub extended: bool,
}

impl Location {
    pub(crate) fn read_info(store: &Store, index: u32, start: u64, end: u64) -> Result<Location> {
        if start >= end {
            return Err(corrupt(format!("cluster {index} is empty or out of order")));
        }
        let mut info = [0u8];
        store.read_at("a cluster", start, &mut info)?;
        let compression = match info[0] & 0x0f {
            0 | 1 => Compression::None,
            4 => Compression::Xz,
            5 => Compression::Zstd,
            2 => {
                return Err(Error::Compression {
                    cluster: index,
                    name: "zlib",
                });
            }
            3 => {
                return Err(Error::Compression {
                    cluster: index,
                    name: "bzip2",
                });
            }
            _ => {
                return Err(Error::Compression {
                    cluster: index,
                    name: "an unknown",
                });
            }
        };
        Ok(Location {
            index,
            start,
            end,
            compression,
            extended: info[0] & 0x10 != 0,
        })
    }

    fn width(&self) -> u64 {
        if self.extended { 8 } else { 4 }
    }
}

/// A decompressed cluster, as the cache holds it.
///
/// Its bytes are an anonymous mapping of their own rather than a heap block: a cluster is 1 to
/// 2 MiB, and the cache evicts one for each it loads. glibc's malloc serves such blocks from its
/// heaps once one has been freed (it raises its mmap threshold to the size freed), and their
/// free space stays in the process: in the library benchmark (20 clients reading random
/// articles through the 32 MiB cache) the process grew by 129 MiB. A mapping is returned to
/// the kernel when the cluster is dropped, so what the process holds follows the cache's bound.
pub struct Cluster {
    data: memmap2::MmapMut,
    /// `offsets[i]..offsets[i + 1]` is blob `i`; checked increasing and within `data`.
    offsets: Vec<u64>,
}

impl Cluster {
    /// What the cache counts for it.
    pub fn weight(&self) -> usize {
        // Whole pages are mapped.
        self.data.len().next_multiple_of(4096) + self.offsets.capacity() * 8
    }

    pub fn blob_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Decompresses the cluster at `loc`, refusing more than `limit` bytes.
    ///
    /// The offset list comes first, and its last offset is the data's length: the cluster's
    /// mapping is made once at that size. Bytes past the last blob are not read.
    pub(crate) fn decompress(store: &Store, loc: &Location, limit: u64) -> Result<Cluster> {
        let failed = |reason: String| Error::Decompress {
            cluster: loc.index,
            reason,
        };
        let source = BufReader::new(store.reader(loc.start + 1, loc.end));
        let mut reader: Box<dyn Read + '_> = match loc.compression {
            Compression::None => return Err(failed("not compressed".into())),
            Compression::Zstd => {
                let mut decoder = zstd::stream::read::Decoder::with_buffer(source)
                    .map_err(|e| failed(e.to_string()))?
                    .single_frame();
                decoder
                    .window_log_max(MAX_ZSTD_WINDOW_LOG)
                    .map_err(|e| failed(e.to_string()))?;
                Box::new(decoder)
            }
            Compression::Xz => {
                let head_len = XZ_HEAD.min(loc.end - loc.start - 1);
                let head = store.read_vec("a cluster", loc.start + 1, head_len)?;
                match xz_dict_size(&head) {
                    Some(d) if d <= MAX_XZ_DICT => {}
                    Some(d) => {
                        return Err(failed(format!(
                            "its xz dictionary ({d} bytes) is too large"
                        )));
                    }
                    None => return Err(failed("its xz header is not valid".into())),
                }
                Box::new(lzma_rust2::XzReader::new(source, false))
            }
        };
        let bad = || {
            corrupt(format!(
                "cluster {}'s blob offsets are not valid",
                loc.index
            ))
        };
        let too_large = || Error::ClusterTooLarge {
            cluster: loc.index,
            limit,
        };
        // An early end of the stream is a corrupt cluster; other errors are the decoder's.
        let read_exact = |reader: &mut dyn Read, buf: &mut [u8]| match reader.read_exact(buf) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(bad()),
            Err(e) => Err(failed(e.to_string())),
        };
        let w = loc.width() as usize;
        let mut word = [0u8; 8];
        read_exact(&mut reader, &mut word[..w])?;
        let first = u64::from_le_bytes(word);
        if first == 0 || first % w as u64 != 0 {
            return Err(bad());
        }
        if first > limit {
            return Err(too_large());
        }
        let mut list = vec![0u8; first as usize];
        list[..w].copy_from_slice(&word[..w]);
        read_exact(&mut reader, &mut list[w..])?;
        let mut last = [0u8; 8];
        last[..w].copy_from_slice(&list[first as usize - w..]);
        let len = u64::from_le_bytes(last);
        if len < first {
            return Err(bad());
        }
        if len > limit {
            return Err(too_large());
        }
        let mut data = memmap2::MmapMut::map_anon(len as usize).map_err(|e| Error::Io {
            path: "(memory for a cluster)".into(),
            source: e,
        })?;
        data[..list.len()].copy_from_slice(&list);
        drop(list);
        read_exact(&mut reader, &mut data[first as usize..])?;
        let offsets = offsets(loc, &data)?;
        Ok(Cluster { data, offsets })
    }

    #[cfg(test)]
    pub(crate) fn filled(len: usize) -> Cluster {
        Cluster {
            data: memmap2::MmapMut::map_anon(len.max(1)).expect("a test mapping"),
            offsets: Vec::new(),
        }
    }

    pub(crate) fn blob_range(&self, cluster: u32, blob: u32) -> Result<(usize, usize)> {
        let b = blob as usize;
        match (self.offsets.get(b), self.offsets.get(b + 1)) {
            (Some(&s), Some(&e)) => Ok((s as usize, e as usize)),
            _ => Err(no_blob(cluster, blob, self.blob_count() as u64)),
        }
    }
}

fn no_blob(cluster: u32, blob: u32, count: u64) -> Error {
    corrupt(format!(
        "cluster {cluster} has {count} blobs, not blob {blob}"
    ))
}

/// The blob offsets at the start of decompressed data, checked.
fn offsets(loc: &Location, data: &[u8]) -> Result<Vec<u64>> {
    let w = loc.width() as usize;
    let read = |i: usize| -> Option<u64> {
        let b = data.get(i * w..i * w + w)?;
        let mut x = [0u8; 8];
        x[..w].copy_from_slice(b);
        Some(u64::from_le_bytes(x))
    };
    let bad = || {
        corrupt(format!(
            "cluster {}'s blob offsets are not valid",
            loc.index
        ))
    };
    let first = read(0).ok_or_else(bad)?;
    if first == 0 || first % w as u64 != 0 || first > data.len() as u64 {
        return Err(bad());
    }
    let count = (first / w as u64) as usize;
    let mut offsets = Vec::with_capacity(count);
    for i in 0..count {
        let o = read(i).ok_or_else(bad)?;
        if o > data.len() as u64 || offsets.last().is_some_and(|&last| o < last) {
            return Err(bad());
        }
        offsets.push(o);
    }
    Ok(offsets)
}

/// The byte range, within the file, of blob `blob` of an uncompressed cluster.
pub(crate) fn stored_blob(store: &Store, loc: &Location, blob: u32) -> Result<(u64, u64)> {
    let w = loc.width();
    let data = loc.start + 1;
    let room = loc.end - data;
    let read = |i: u64| -> Result<u64> {
        let mut x = [0u8; 8];
        store.read_at(
            "a cluster's blob offsets",
            data + i * w,
            &mut x[..w as usize],
        )?;
        Ok(u64::from_le_bytes(x))
    };
    let first = read(0)?;
    if first == 0 || first % w != 0 || first > room {
        return Err(corrupt(format!(
            "cluster {}'s blob offsets are not valid",
            loc.index
        )));
    }
    let count = first / w - 1;
    if u64::from(blob) >= count {
        return Err(no_blob(loc.index, blob, count));
    }
    let (s, e) = (read(u64::from(blob))?, read(u64::from(blob) + 1)?);
    if s < first || e < s || e > room {
        return Err(corrupt(format!(
            "blob {blob} of cluster {} lies outside it",
            loc.index
        )));
    }
    Ok((data + s, e - s))
}

/// The largest LZMA2 dictionary the first block of an xz stream asks for, from its header;
/// `None` if the stream or block header is not valid.
fn xz_dict_size(b: &[u8]) -> Option<u64> {
    if b.len() < 14 || b[..6] != *b"\xfd7zXZ\0" || b[12] == 0 {
        return None;
    }
    let block = &b[12..];
    let header_len = (usize::from(block[0]) + 1) * 4;
    let block = block.get(..header_len)?;
    let flags = block[1];
    let mut at = 2;
    let vli = |at: &mut usize| -> Option<u64> {
        let mut value = 0u64;
        for i in 0..9 {
            let byte = *block.get(*at)?;
            *at += 1;
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    };
    if flags & 0x40 != 0 {
        vli(&mut at)?;
    }
    if flags & 0x80 != 0 {
        vli(&mut at)?;
    }
    let mut largest = 0;
    for _ in 0..=(flags & 3) {
        let id = vli(&mut at)?;
        let len = usize::try_from(vli(&mut at)?).ok()?;
        let props = block.get(at..at.checked_add(len)?)?;
        at += len;
        if id == 0x21 {
            let d = u64::from(*props.first()?);
            let size = match d {
                0..=39 => (2 | (d & 1)) << (d / 2 + 11),
                40 => u64::from(u32::MAX),
                _ => return None,
            };
            largest = largest.max(size);
        }
    }
    Some(largest)
}

/// An entry's bytes: a slice of a cached decompressed cluster, or a range of the file.
#[derive(Clone)]
pub struct Blob {
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    Memory {
        cluster: Arc<Cluster>,
        start: usize,
        end: usize,
    },
    File {
        store: Arc<Store>,
        start: u64,
        len: u64,
    },
}

impl Blob {
    pub(crate) fn memory(cluster: Arc<Cluster>, start: usize, end: usize) -> Blob {
        Blob {
            inner: Inner::Memory {
                cluster,
                start,
                end,
            },
        }
    }

    pub(crate) fn file(store: Arc<Store>, start: u64, len: u64) -> Blob {
        Blob {
            inner: Inner::File { store, start, len },
        }
    }

    pub fn len(&self) -> u64 {
        match &self.inner {
            Inner::Memory { start, end, .. } => (end - start) as u64,
            Inner::File { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the bytes are already in memory (else each read goes to the file).
    pub fn is_in_memory(&self) -> bool {
        matches!(self.inner, Inner::Memory { .. })
    }

    /// Up to `len` bytes from `offset` (fewer past the end), for Range requests.
    pub fn read_range(&self, offset: u64, len: u64) -> Result<Vec<u8>> {
        let offset = offset.min(self.len());
        let len = len.min(self.len() - offset);
        match &self.inner {
            Inner::Memory { cluster, start, .. } => {
                let s = start + offset as usize;
                Ok(cluster.data[s..s + len as usize].to_vec())
            }
            Inner::File { store, start, .. } => store.read_vec("a blob", start + offset, len),
        }
    }

    pub fn to_vec(&self) -> Result<Vec<u8>> {
        self.read_range(0, self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xz_header_dictionary_is_read_and_garbage_refused() {
        // `xz -6` of "hello": 8 MiB dictionary (property byte 0x16).
        let mut s = b"\xfd7zXZ\0\0\x04\xe6\xd6\xb4\x46".to_vec();
        s.extend_from_slice(&[0x02, 0x00, 0x21, 0x01, 0x16, 0x00, 0x00, 0x00, 0, 0, 0, 0]);
        assert_eq!(xz_dict_size(&s), Some(8 << 20));
        s[16] = 41;
        assert_eq!(xz_dict_size(&s), None);
        assert_eq!(xz_dict_size(b"not xz at all, not at all"), None);
        assert_eq!(xz_dict_size(&[]), None);
    }
}
