//! An open ZIM archive: entries by path and by title, redirects, blobs, the main page and the
//! metadata. Everything read from the file is checked against the header's lists first.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::cache::ClusterCache;
use super::cluster::{self, Blob, Cluster, Compression, Location};
use super::dirent::{Dirent, DirentKind};
use super::header::Header;
use super::store::Store;
use super::{Error, Result, corrupt};

/// Redirects followed before giving up: libzim's writer refuses chains, so a real file has one.
pub const MAX_REDIRECTS: usize = 16;
/// The default cap on one decompressed cluster (libzim writes 2 MiB ones by default).
pub const DEFAULT_MAX_CLUSTER_BYTES: u64 = 64 << 20;
/// Title index entries scanned for one prefix search at most, whatever it finds.
const MAX_TITLE_SCAN: usize = 2_000;
/// libzim 7+'s index of front articles by title: u32 entry numbers.
const TITLE_LISTING: &str = "listing/titleOrdered/v1";

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// How to open an archive.
#[derive(Clone)]
pub struct Options {
    /// Shared between archives so that one bound covers them all; a new cache of
    /// [`DEFAULT_CACHE_BYTES`](super::DEFAULT_CACHE_BYTES) if `None`.
    pub cache: Option<Arc<ClusterCache>>,
    /// The largest decompressed cluster accepted.
    pub max_cluster_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cache: None,
            max_cluster_bytes: DEFAULT_MAX_CLUSTER_BYTES,
        }
    }
}

/// One entry of the archive, as found by path, title or index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its place in the URL pointer list.
    pub index: u32,
    pub namespace: u8,
    /// Its path within its namespace.
    pub path: String,
    pub title: String,
    pub kind: EntryKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    Content {
        mime: String,
        cluster: u32,
        blob: u32,
    },
    Redirect {
        target: u32,
    },
    Removed,
}

impl Entry {
    pub fn is_redirect(&self) -> bool {
        matches!(self.kind, EntryKind::Redirect { .. })
    }

    pub fn mime(&self) -> Option<&str> {
        match &self.kind {
            EntryKind::Content { mime, .. } => Some(mime),
            _ => None,
        }
    }
}

/// The collection's description, from its `M/` entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub title: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    pub creator: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub name: Option<String>,
    /// `Illustration_48x48@1`, a PNG.
    pub illustration_48: Option<Vec<u8>>,
}

/// Where the title index is.
enum Titles {
    /// The header's list (v5, v6.0): every entry, sorted by namespace then title.
    Header(u64),
    /// libzim 7+'s `X/listing/titleOrdered/v1`: front articles only, sorted by title; the
    /// entry and its length in entries. Its blob is read through the cache each time, so that
    /// a large collection's index (MBs) is not held outside the cache's bound.
    Listing(Entry, u32),
    None,
}

pub struct Archive {
    id: u64,
    store: Arc<Store>,
    header: Header,
    mime_types: Vec<String>,
    cache: Arc<ClusterCache>,
    max_cluster_bytes: u64,
    titles: Titles,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive")
            .field("path", &self.store.path())
            .field("header", &self.header)
            .finish()
    }
}

impl Archive {
    /// Opens a `.zim` file, or a split archive by its `.zimaa` part, with its own cache.
    pub fn open(path: &Path) -> Result<Archive> {
        Archive::open_with(path, Options::default())
    }

    pub fn open_with(path: &Path, options: Options) -> Result<Archive> {
        let store = Arc::new(Store::open(path)?);
        let header = Header::read(&store)?;
        let mime_types = header.read_mime_types(&store)?;
        let mut archive = Archive {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            store,
            header,
            mime_types,
            cache: options.cache.unwrap_or_default(),
            max_cluster_bytes: options.max_cluster_bytes,
            titles: Titles::None,
        };
        archive.titles = archive.find_titles()?;
        Ok(archive)
    }

    fn find_titles(&self) -> Result<Titles> {
        if let Some(pos) = self.header.title_ptr_pos {
            return Ok(Titles::Header(pos));
        }
        let Some(listing) = self.find(b'X', TITLE_LISTING)? else {
            return Ok(Titles::None);
        };
        let entry = self.entry_at(listing)?;
        let len = self.blob(&entry)?.len();
        if len % 4 != 0 || len / 4 > u64::from(self.header.entry_count) {
            return Err(corrupt("the title index does not list entries"));
        }
        Ok(Titles::Listing(entry, (len / 4) as u32))
    }

    /// A number unique to this open archive in the process (the cache's key).
    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The files read: one, or each part of a split archive.
    pub fn paths(&self) -> Vec<&Path> {
        self.store.paths().collect()
    }

    pub fn size(&self) -> u64 {
        self.store.size()
    }

    pub fn entry_count(&self) -> u32 {
        self.header.entry_count
    }

    pub fn cache(&self) -> &Arc<ClusterCache> {
        &self.cache
    }

    /// The entry at `index` in the URL pointer list.
    pub fn entry_at(&self, index: u32) -> Result<Entry> {
        let d = self.dirent_at(index)?;
        let kind = match d.kind {
            DirentKind::Content {
                mime,
                cluster,
                blob,
            } => {
                let mime = self.mime_types.get(usize::from(mime)).ok_or_else(|| {
                    corrupt(format!(
                        "entry {index} has MIME type {mime}, not in the list"
                    ))
                })?;
                if cluster >= self.header.cluster_count {
                    return Err(corrupt(format!(
                        "entry {index} is in cluster {cluster}, but there are {}",
                        self.header.cluster_count
                    )));
                }
                EntryKind::Content {
                    mime: mime.clone(),
                    cluster,
                    blob,
                }
            }
            DirentKind::Redirect { target } => {
                if target >= self.header.entry_count {
                    return Err(corrupt(format!(
                        "entry {index} redirects to entry {target}, but there are {}",
                        self.header.entry_count
                    )));
                }
                EntryKind::Redirect { target }
            }
            DirentKind::Removed => EntryKind::Removed,
        };
        Ok(Entry {
            index,
            namespace: d.namespace,
            title: if d.title.is_empty() {
                d.path.clone()
            } else {
                d.title
            },
            path: d.path,
            kind,
        })
    }

    fn dirent_at(&self, index: u32) -> Result<Dirent> {
        if index >= self.header.entry_count {
            return Err(corrupt(format!(
                "entry {index} asked for, but there are {}",
                self.header.entry_count
            )));
        }
        let mut ptr = [0u8; 8];
        let at = self.header.url_ptr_pos + u64::from(index) * 8;
        self.store.read_at("the URL pointer list", at, &mut ptr)?;
        Dirent::read(
            &self.store,
            u64::from_le_bytes(ptr),
            self.header.checksum_pos,
        )
    }

    /// The index of the entry `path` in `namespace`: a binary search of the URL pointer list,
    /// which writers sort by namespace then path (bytes). At most 33 probes, whatever the file.
    fn find(&self, namespace: u8, path: &str) -> Result<Option<u32>> {
        let key = (namespace, path.as_bytes());
        let (mut lo, mut hi) = (0u32, self.header.entry_count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let d = self.dirent_at(mid)?;
            match (d.namespace, d.path.as_bytes()).cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(Some(mid)),
            }
        }
        Ok(None)
    }

    /// The namespace and path of a content path as served: `C` and the path itself in the new
    /// scheme; in older files the namespace is the path's first segment (`A/Foo`, `I/x.png`),
    /// since their articles link to `../I/x.png`.
    fn content_key<'p>(&self, path: &'p str) -> Option<(u8, &'p str)> {
        if self.header.new_namespace_scheme() {
            return Some((b'C', path));
        }
        match path.as_bytes() {
            [ns, b'/', ..] if !matches!(*ns, b'M' | b'X' | b'W') => Some((*ns, &path[2..])),
            _ => None,
        }
    }

    /// The path under which `entry` is served (see [`entry_by_path`](Self::entry_by_path)).
    pub fn content_path(&self, entry: &Entry) -> String {
        if self.header.new_namespace_scheme() {
            entry.path.clone()
        } else {
            format!("{}/{}", char::from(entry.namespace), entry.path)
        }
    }

    /// The content entry at `path` (not following redirects): `C` namespace paths in the new
    /// scheme, `A/...`, `I/...` and the like in older files. Metadata and indexes are not
    /// content.
    pub fn entry_by_path(&self, path: &str) -> Result<Option<Entry>> {
        let Some((ns, path)) = self.content_key(path) else {
            return Ok(None);
        };
        self.find(ns, path)?.map(|i| self.entry_at(i)).transpose()
    }

    /// Follows `entry`'s redirects to a content (or removed) entry, at most
    /// [`MAX_REDIRECTS`] times.
    pub fn resolve(&self, entry: Entry) -> Result<Entry> {
        let start = entry.index;
        let mut entry = entry;
        for _ in 0..=MAX_REDIRECTS {
            match entry.kind {
                EntryKind::Redirect { target } => entry = self.entry_at(target)?,
                _ => return Ok(entry),
            }
        }
        Err(Error::RedirectLoop(start, MAX_REDIRECTS))
    }

    /// The main page, redirects followed (in the new scheme the header points at
    /// `W/mainPage`, a redirect to the real page).
    pub fn main_entry(&self) -> Result<Option<Entry>> {
        match self.header.main_page {
            Some(i) => self.resolve(self.entry_at(i)?).map(Some),
            None => Ok(None),
        }
    }

    /// The bytes of a content entry.
    pub fn blob(&self, entry: &Entry) -> Result<Blob> {
        let EntryKind::Content { cluster, blob, .. } = entry.kind else {
            return Err(corrupt(format!("entry {} has no content", entry.index)));
        };
        let key = (self.id, cluster);
        if let Some(c) = self.cache.get(key) {
            return memory_blob(c, cluster, blob);
        }
        let loc = self.cluster_location(cluster)?;
        if loc.compression == Compression::None {
            let (start, len) = cluster::stored_blob(&self.store, &loc, blob)?;
            return Ok(Blob::file(self.store.clone(), start, len));
        }
        let (store, limit) = (self.store.clone(), self.max_cluster_bytes);
        let c = self
            .cache
            .load(key, move || Cluster::decompress(&store, &loc, limit))?;
        memory_blob(c, cluster, blob)
    }

    fn cluster_location(&self, index: u32) -> Result<Location> {
        if index >= self.header.cluster_count {
            return Err(corrupt(format!("cluster {index} does not exist")));
        }
        let mut ptrs = [0u8; 16];
        let n = if index + 1 < self.header.cluster_count {
            16
        } else {
            8
        };
        let at = self.header.cluster_ptr_pos + u64::from(index) * 8;
        self.store
            .read_at("the cluster pointer list", at, &mut ptrs[..n])?;
        let start = u64::from_le_bytes(ptrs[..8].try_into().unwrap_or_default());
        let end = if n == 16 {
            u64::from_le_bytes(ptrs[8..].try_into().unwrap_or_default())
        } else {
            self.header.checksum_pos
        };
        if start < super::header::HEADER_LEN || end > self.header.checksum_pos {
            return Err(corrupt(format!("cluster {index} lies outside the data")));
        }
        Location::read_info(&self.store, index, start, end)
    }

    /// A metadata value (`Title`, `Description`, `Language`, `Illustration_48x48@1`, ...).
    pub fn metadata(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let Some(i) = self.find(b'M', name)? else {
            return Ok(None);
        };
        let entry = self.resolve(self.entry_at(i)?)?;
        match entry.kind {
            EntryKind::Content { .. } => self.blob(&entry)?.to_vec().map(Some),
            _ => Ok(None),
        }
    }

    /// The usual metadata; a missing or unreadable value is `None`.
    pub fn metadata_summary(&self) -> Metadata {
        let text = |name| {
            self.metadata(name)
                .ok()
                .flatten()
                .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        Metadata {
            title: text("Title"),
            description: text("Description"),
            language: text("Language"),
            creator: text("Creator"),
            publisher: text("Publisher"),
            date: text("Date"),
            name: text("Name"),
            illustration_48: self.metadata("Illustration_48x48@1").ok().flatten(),
        }
    }

    /// The number of articles: the entries of the title index (front articles in files from
    /// libzim 7 on; every entry in older ones).
    pub fn article_count(&self) -> u32 {
        self.title_count()
    }

    /// The number of entries in the title index, and the entry at place `i` in it.
    fn title_count(&self) -> u32 {
        match &self.titles {
            Titles::Header(_) => self.header.entry_count,
            Titles::Listing(_, count) => *count,
            Titles::None => 0,
        }
    }

    fn title_entry(&self, i: u32) -> Result<Entry> {
        let mut b = [0u8; 4];
        match &self.titles {
            Titles::Header(pos) => {
                self.store
                    .read_at("the title pointer list", pos + u64::from(i) * 4, &mut b)?;
            }
            Titles::Listing(entry, _) => {
                let bytes = self.blob(entry)?.read_range(u64::from(i) * 4, 4)?;
                b = bytes
                    .try_into()
                    .map_err(|_| corrupt("the title index is shorter than it was"))?;
            }
            Titles::None => return Err(corrupt("no title index")),
        }
        self.entry_at(u32::from_le_bytes(b))
    }

    /// Up to `limit` content entries whose title starts with `prefix` (bytes, as the index
    /// sorts them: no case or accent folding, which the library's own index will do), in title
    /// order. Redirects are included (they are how collections spell alternative titles).
    pub fn titles_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<Entry>> {
        let ns = if self.header.new_namespace_scheme() {
            b'C'
        } else {
            b'A'
        };
        let listing = matches!(self.titles, Titles::Listing(..));
        let key = |e: &Entry| -> (u8, Vec<u8>) {
            let ns = if listing { ns } else { e.namespace };
            (ns, e.title.as_bytes().to_vec())
        };
        let wanted = (ns, prefix.as_bytes().to_vec());
        let (mut lo, mut hi) = (0u32, self.title_count());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if key(&self.title_entry(mid)?) < wanted {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let mut found = Vec::new();
        for i in (lo..self.title_count()).take(MAX_TITLE_SCAN) {
            if found.len() >= limit {
                break;
            }
            let e = self.title_entry(i)?;
            if (!listing && e.namespace != ns) || !e.title.starts_with(prefix) {
                break;
            }
            if !matches!(e.kind, EntryKind::Removed) {
                found.push(e);
            }
        }
        Ok(found)
    }
}

fn memory_blob(c: Arc<Cluster>, cluster: u32, blob: u32) -> Result<Blob> {
    let (start, end) = c.blob_range(cluster, blob)?;
    Ok(Blob::memory(c, start, end))
}
