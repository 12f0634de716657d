//! A byte-bounded LRU of decompressed clusters, shareable by every open archive.
//!
//! An article is a few KB inside a cluster of 1 to 2 MB (libzim's default): reading its
//! neighbours (the same page's images, the next article in a series) should not decompress the
//! cluster again. The bound is in bytes, not clusters, because cluster sizes vary by collection.
//! Readers hold an `Arc` to what they read, so an eviction never pulls bytes from under a
//! response; the bound counts what the cache itself holds.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use super::cluster::Cluster;

/// The default bound: 32 MiB (issue #18).
pub const DEFAULT_CACHE_BYTES: usize = 32 << 20;

/// An archive's id (unique in the process) and the cluster's number in it.
pub(crate) type Key = (u64, u32);

pub struct ClusterCache {
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<Key, (Arc<Cluster>, u64)>,
    /// Last use → key; the first is the least recently used.
    by_use: BTreeMap<u64, Key>,
    bytes: usize,
    clock: u64,
}

impl ClusterCache {
    pub fn new(capacity_bytes: usize) -> ClusterCache {
        ClusterCache {
            capacity: capacity_bytes,
            inner: Mutex::new(Inner::default()),
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The bytes held now; never more than [`capacity`](Self::capacity).
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // The lock guards plain bookkeeping that no panic leaves half-done.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn get(&self, key: Key) -> Option<Arc<Cluster>> {
        let mut inner = self.lock();
        inner.clock += 1;
        let now = inner.clock;
        let (cluster, used) = inner.entries.get_mut(&key)?;
        let (cluster, before) = (cluster.clone(), std::mem::replace(used, now));
        inner.by_use.remove(&before);
        inner.by_use.insert(now, key);
        Some(cluster)
    }

    /// Keeps `cluster`, evicting the least recently used; one larger than the whole cache is
    /// not kept.
    pub(crate) fn insert(&self, key: Key, cluster: Arc<Cluster>) {
        let weight = cluster.weight();
        if weight > self.capacity {
            return;
        }
        let mut inner = self.lock();
        if inner.entries.contains_key(&key) {
            return;
        }
        while inner.bytes + weight > self.capacity {
            let Some((_, old)) = inner.by_use.pop_first() else {
                break;
            };
            if let Some((evicted, _)) = inner.entries.remove(&old) {
                inner.bytes -= evicted.weight();
            }
        }
        inner.clock += 1;
        let now = inner.clock;
        inner.by_use.insert(now, key);
        inner.entries.insert(key, (cluster, now));
        inner.bytes += weight;
    }

    /// Drops every cluster of one archive (when its collection is removed).
    pub fn forget_archive(&self, archive: u64) {
        let mut inner = self.lock();
        let keys: Vec<Key> = inner
            .entries
            .keys()
            .filter(|k| k.0 == archive)
            .copied()
            .collect();
        for key in keys {
            if let Some((cluster, used)) = inner.entries.remove(&key) {
                inner.by_use.remove(&used);
                inner.bytes -= cluster.weight();
            }
        }
    }
}

impl Default for ClusterCache {
    fn default() -> Self {
        ClusterCache::new(DEFAULT_CACHE_BYTES)
    }
}
