//! A reader of ZIM files, the format of Kiwix's offline collections (versions 5 and 6).
//!
//! # A reader of our own, not the `zim` crate
//!
//! The `zim` crate (0.5) reads the format, but does not fit a server on a small board:
//!
//! - it maps the file into memory (`memmap` 0.7, unmaintained): a collection truncated or removed
//!   while someone reads it kills the process with SIGBUS instead of failing one request;
//! - its library pulls its command-line tools' dependencies in, unconditionally: `clap`,
//!   `indicatif`, `pbr`, `rayon`, `stopwatch`, `num-format`, `md-5`;
//! - each cluster, once decompressed, stays in memory as long as the archive is open: there is
//!   no bound and no eviction between requests, which is exactly what a 1 GB board cannot afford;
//! - xz through `xz2`, a second C library to cross-compile for arm64.
//!
//! The format is small, so this module reads it with `pread` (`FileExt::read_exact_at`, no
//! `unsafe`, no mapping) and checks every offset, length and index against the file's size and
//! the lists' lengths before using it: a corrupt, truncated, zero-length or non-ZIM file gives an
//! [`Error`], never a panic, an unbounded allocation or an endless loop.
//!
//! Decompression: zstd (every Kiwix collection since 2021) through the `zstd` crate, libzstd's
//! own C code vendored and compiled by `cc` exactly as rusqlite's bundled SQLite already is (no
//! system library, and the static arm64 build already sets `CC` for it): the pure-Rust decoder
//! (`ruzstd`) is several times slower, and a cluster miss costs one decompression, which is what
//! the benchmark against kiwix-serve (libzstd too) measures. xz (older collections) through
//! `lzma-rust2`, pure Rust, so that no second C library is needed for a legacy format.
//!
//! # Layout
//!
//! - [`header`]: the 80-byte header and the MIME type list, checked against the file size;
//! - [`dirent`]: directory entries (content, redirect);
//! - [`cluster`]: clusters, their blob offsets, decompression with a size cap;
//! - [`cache`]: the byte-bounded LRU of decompressed clusters, shareable between archives;
//! - `store`: the bytes of one file or of a split archive (`.zimaa`, `.zimab`, ...);
//! - [`archive`]: what callers use: open, look up by path or title prefix, follow redirects,
//!   read a blob, the main page and the metadata.
//!
//! All of it is blocking file I/O and CPU work: callers on tokio run it in `spawn_blocking`.

pub mod archive;
pub mod cache;
pub mod cluster;
pub mod dirent;
pub mod header;
mod store;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub use archive::{Archive, Entry, EntryKind, Metadata, Options};
pub use cache::{ClusterCache, DEFAULT_CACHE_BYTES};
pub use cluster::Blob;
pub use header::Header;

/// Why a ZIM file, or one of its entries, cannot be read. The messages are for the admin page.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: the file is empty")]
    Empty(PathBuf),
    #[error("{0}: not a regular file")]
    NotAFile(PathBuf),
    #[error("{0}: the name of a split archive part must end in .zimaa (or be the .zim before it)")]
    SplitName(PathBuf),
    #[error("not a ZIM file: it does not start with the ZIM magic number")]
    NotZim,
    #[error("ZIM version {major}.{minor} is not supported (versions 5 and 6 are)")]
    Version { major: u16, minor: u16 },
    #[error("the file is truncated: {what} needs bytes up to {end}, but the file has {size}")]
    Truncated {
        what: &'static str,
        end: u64,
        size: u64,
    },
    #[error("corrupt ZIM file: {0}")]
    Corrupt(String),
    #[error(
        "cluster {cluster} uses {name} compression, which is not supported (none, xz and zstd are)"
    )]
    Compression { cluster: u32, name: &'static str },
    #[error("cluster {cluster} is larger than the limit of {limit} bytes")]
    ClusterTooLarge { cluster: u32, limit: u64 },
    #[error("cluster {cluster} cannot be decompressed: {reason}")]
    Decompress { cluster: u32, reason: String },
    #[error("the redirects from entry {0} loop, or chain more than {1} times")]
    RedirectLoop(u32, usize),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

fn corrupt(message: impl Into<String>) -> Error {
    Error::Corrupt(message.into())
}
