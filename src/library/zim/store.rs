//! The bytes of an archive: one `.zim` file, or the parts of a split one (`.zimaa`, `.zimab`,
//! ...), which Kiwix's `zimsplit` cuts as plain byte chunks to fit FAT32 USB disks.
//!
//! Reads are `pread`s: no shared cursor, so any number of threads read at once, and a file
//! truncated or removed under a reader makes that read fail, not the process.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::{Error, Result};

/// The most parts a split archive may have: `aa` to `zz`.
const MAX_PARTS: usize = 26 * 26;

struct Part {
    file: File,
    path: PathBuf,
    start: u64,
    len: u64,
}

pub(crate) struct Store {
    parts: Vec<Part>,
    size: u64,
}

impl Store {
    /// Opens `path`: a `.zim` file; or the first part of a split archive (`x.zimaa`), or the
    /// `x.zim` name of one whose parts are beside it.
    pub(crate) fn open(path: &Path) -> Result<Store> {
        let mut parts = Vec::new();
        let mut start = 0u64;
        for path in part_paths(path)? {
            let file = File::open(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            let meta = file.metadata().map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            if !meta.is_file() {
                return Err(Error::NotAFile(path));
            }
            let len = meta.len();
            if len == 0 {
                return Err(Error::Empty(path));
            }
            parts.push(Part {
                file,
                path,
                start,
                len,
            });
            start = start
                .checked_add(len)
                .ok_or_else(|| super::corrupt("the parts add up to more than 2^64 bytes"))?;
        }
        Ok(Store { parts, size: start })
    }

    pub(crate) fn size(&self) -> u64 {
        self.size
    }

    /// The path of the first part, for messages.
    pub(crate) fn path(&self) -> &Path {
        &self.parts[0].path
    }

    pub(crate) fn paths(&self) -> impl Iterator<Item = &Path> {
        self.parts.iter().map(|p| p.path.as_path())
    }

    /// Fills `buf` from `offset`, across parts; `what` names the region for the error.
    pub(crate) fn read_at(&self, what: &'static str, offset: u64, buf: &mut [u8]) -> Result<()> {
        let end = offset.saturating_add(buf.len() as u64);
        if end > self.size {
            return Err(Error::Truncated {
                what,
                end,
                size: self.size,
            });
        }
        let mut done = 0;
        let mut offset = offset;
        while done < buf.len() {
            let i = self.parts.partition_point(|p| p.start + p.len <= offset);
            let part = &self.parts[i];
            let within = offset - part.start;
            let n = ((part.len - within) as usize).min(buf.len() - done);
            part.file
                .read_exact_at(&mut buf[done..done + n], within)
                .map_err(|source| Error::Io {
                    path: part.path.clone(),
                    source,
                })?;
            done += n;
            offset += n as u64;
        }
        Ok(())
    }

    /// `len` bytes from `offset`; the range is checked against the size before allocating.
    pub(crate) fn read_vec(&self, what: &'static str, offset: u64, len: u64) -> Result<Vec<u8>> {
        let end = offset.saturating_add(len);
        if end > self.size {
            return Err(Error::Truncated {
                what,
                end,
                size: self.size,
            });
        }
        let mut buf = vec![0; len as usize];
        self.read_at(what, offset, &mut buf)?;
        Ok(buf)
    }

    /// A reader over `[start, end)`, for the decompressors (which stop at their stream's end).
    pub(crate) fn reader(&self, start: u64, end: u64) -> StoreReader<'_> {
        StoreReader {
            store: self,
            pos: start,
            end: end.min(self.size),
        }
    }
}

pub(crate) struct StoreReader<'a> {
    store: &'a Store,
    pos: u64,
    end: u64,
}

impl Read for StoreReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (self.end.saturating_sub(self.pos)).min(buf.len() as u64) as usize;
        if n == 0 {
            return Ok(0);
        }
        self.store
            .read_at("a cluster", self.pos, &mut buf[..n])
            .map_err(std::io::Error::other)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// The files that make up the archive at `path`, in order.
fn part_paths(path: &Path) -> Result<Vec<PathBuf>> {
    let name = path.to_string_lossy();
    let base = if let Some(base) = name.strip_suffix("aa").filter(|b| b.ends_with(".zim")) {
        base.to_owned()
    } else if name.ends_with(".zim") && !path.exists() && Path::new(&format!("{name}aa")).exists() {
        name.into_owned()
    } else if name.ends_with(".zim") || !name.contains(".zima") {
        return Ok(vec![path.to_owned()]);
    } else {
        return Err(Error::SplitName(path.to_owned()));
    };
    let mut paths = Vec::new();
    for i in 0..MAX_PARTS {
        let suffix = [b'a' + (i / 26) as u8, b'a' + (i % 26) as u8];
        let part = PathBuf::from(format!(
            "{base}{}",
            std::str::from_utf8(&suffix).unwrap_or("")
        ));
        if !part.exists() {
            break;
        }
        paths.push(part);
    }
    if paths.is_empty() {
        // Let opening it say that the first part is missing.
        paths.push(path.to_owned());
    }
    Ok(paths)
}
