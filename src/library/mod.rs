//! The offline library: Kiwix ZIM collections (encyclopaedias, dictionaries, books) read in
//! process and served behind the one login (issue #18).
//!
//! - [`zim`] reads the format: entries by path or title, bytes through a bounded cache of
//!   decompressed clusters;
//! - [`registry`] is the list of installed collections in the database, with their metadata
//!   and audience (who reads what is `authorize`'s decision: `Action::ReadCollection`);
//! - [`index`] is the library's own search index (folded titles, full text), one SQLite file
//!   per collection, built in the background;
//! - [`install`] checks a file, places its bytes under `DATA/library` (hard-linked, never
//!   copied twice on one disk) and records it, or removes it;
//! - [`Library`], held by `App`, keeps the open archives and the one cluster cache that all
//!   collections share, so that its bound is the library's whole decompressed footprint;
//! - [`scan`] finds new files in the staff share's `Library` folder and on USB disks;
//! - [`missing`] tells which registered collections have lost their file (after a restore).
//!
//! Everything here is blocking file I/O: pages call it inside `spawn_blocking`.

pub mod index;
pub mod install;
pub mod missing;
pub mod pick;
pub mod registry;
pub mod scan;
pub mod zim;

use crate::ids::CollectionId;
use registry::Collection;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use zim::{Archive, ClusterCache};

/// The environment variable that sets the cluster cache's size, in MiB (default 32).
pub const CACHE_ENV: &str = "CARTABLE_LIBRARY_CACHE_MB";

/// Where a collection's full-text index lives: one SQLite file per collection, beside the
/// collections and outside the main database (and so outside backups).
pub fn index_path(library_dir: &Path, uuid: &str) -> PathBuf {
    library_dir.join("index").join(format!("{uuid}.sqlite"))
}

/// The characters escaped in an entry path's segments: what would end or change a path
/// segment in a URL (`?`, `#`, `%`; `/` separates segments), and what HTML gives a meaning to
/// in an attribute (`"`, `'`, `&`, `<`, `>`), so that templates print these URLs unescaped.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b'&')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// `/library/<collection>/<path>`: an entry's address in the portal, the path's segments
/// percent-encoded (so `?` and `#` in titles stay in the path) and its slashes kept, so
/// that an article's relative links resolve against it as in the collection.
pub fn entry_url(collection: &str, path: &str) -> String {
    let mut url = format!("/library/{collection}/");
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            url.push('/');
        }
        url.extend(percent_encoding::utf8_percent_encode(seg, SEGMENT));
    }
    url
}

/// The library's shared state: the open archives and their cluster cache.
pub struct Library {
    dir: PathBuf,
    cache: Arc<ClusterCache>,
    open: Mutex<HashMap<CollectionId, Arc<Archive>>>,
}

impl Library {
    /// The library of the data directory `data_dir`, with a cache of `cache_bytes`.
    pub fn new(data_dir: &Path, cache_bytes: usize) -> Library {
        Library {
            dir: data_dir.join("library"),
            cache: Arc::new(ClusterCache::new(cache_bytes)),
            open: Mutex::new(HashMap::new()),
        }
    }

    /// The cache size from [`CACHE_ENV`], else 32 MiB; at least 1 MiB.
    pub fn cache_bytes_from_env() -> usize {
        std::env::var(CACHE_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .map(|mb| mb.clamp(1, 1 << 20) << 20)
            .unwrap_or(zim::DEFAULT_CACHE_BYTES)
    }

    /// `DATA/library`: the collections' files, and their indexes in `index/`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn cache(&self) -> &Arc<ClusterCache> {
        &self.cache
    }

    /// The open archive of `c`, opened on first use and kept. Blocking.
    pub fn archive(&self, c: &Collection) -> Result<Arc<Archive>, zim::Error> {
        if let Some(a) = self.lock().get(&c.id) {
            return Ok(a.clone());
        }
        let a = Arc::new(Archive::open_with(
            &c.file,
            zim::Options {
                cache: Some(self.cache.clone()),
                ..Default::default()
            },
        )?);
        Ok(self.lock().entry(c.id).or_insert(a).clone())
    }

    /// Closes a removed collection's archive (readers holding it finish with it) and drops
    /// its clusters from the cache.
    pub fn forget(&self, id: CollectionId) {
        if let Some(a) = self.lock().remove(&id) {
            self.cache.forget_archive(a.id());
        }
    }

    /// Closes the archives of collections no longer installed (removed from the command line
    /// while the server ran): `live` is every installed collection's id.
    pub fn prune(&self, live: &[CollectionId]) {
        let gone: Vec<CollectionId> = self
            .lock()
            .keys()
            .filter(|id| !live.contains(id))
            .copied()
            .collect();
        for id in gone {
            self.forget(id);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<CollectionId, Arc<Archive>>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::entry_url;

    #[test]
    fn entry_urls_keep_slashes_and_encode_the_rest() {
        assert_eq!(entry_url("wp", "Garçon"), "/library/wp/Gar%C3%A7on");
        assert_eq!(
            entry_url("wp", "dossier/Sous page"),
            "/library/wp/dossier/Sous%20page"
        );
        assert_eq!(entry_url("wp", "Q?#%"), "/library/wp/Q%3F%23%25");
        assert_eq!(entry_url("wp", "A/École"), "/library/wp/A/%C3%89cole");
    }
}
