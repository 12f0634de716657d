//! A byte-bounded LRU of decompressed clusters, shareable by every open archive.
//!
//! An article is a few KB inside a cluster of 1 to 2 MB (libzim's default): reading its
//! neighbours (the same page's images, the next article in a series) should not decompress the
//! cluster again. The bound is in bytes, not clusters, because cluster sizes vary by collection.
//! Readers hold an `Arc` to what they read, so an eviction never pulls bytes from under a
//! response; the bound counts what the cache itself holds.
//!
//! Misses are decompressed through [`ClusterCache::load`]: at most as many at once as the
//! machine has cores (up to 4), and one cluster once however many readers miss it together.
//! Without that gate, 20 clients missing at once put 50 blocking threads to decompressing
//! 2 MiB clusters side by side (twice the same one, often), and the process grew by 250 MiB
//! above a 32 MiB cache in the benchmark against kiwix-serve: the transient buffers, spread
//! over glibc's per-thread arenas, are what the bound did not count.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex};

use super::cluster::Cluster;

/// The default bound: 32 MiB (issue #18).
pub const DEFAULT_CACHE_BYTES: usize = 32 << 20;

/// An archive's id (unique in the process) and the cluster's number in it.
pub(crate) type Key = (u64, u32);

pub struct ClusterCache {
    capacity: usize,
    inner: Mutex<Inner>,
    loads: Mutex<Loads>,
    load_done: Condvar,
    max_loads: usize,
}

/// The decompressions running now.
#[derive(Default)]
struct Loads {
    running: usize,
    keys: HashSet<Key>,
}

/// Ends a load however it ends (an error, a panic), and wakes those waiting.
struct LoadSlot<'a> {
    cache: &'a ClusterCache,
    key: Key,
}

impl Drop for LoadSlot<'_> {
    fn drop(&mut self) {
        let mut loads = self.cache.loads_lock();
        loads.running -= 1;
        loads.keys.remove(&self.key);
        drop(loads);
        self.cache.load_done.notify_all();
    }
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
            loads: Mutex::new(Loads::default()),
            load_done: Condvar::new(),
            max_loads: std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .clamp(1, 4),
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

    fn loads_lock(&self) -> std::sync::MutexGuard<'_, Loads> {
        self.loads.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cluster at `key`: from the cache, or made by `decompress` and kept. Waits while
    /// as many decompressions as allowed run, or while another reader makes the same cluster
    /// (then takes theirs).
    pub(crate) fn load<E>(
        &self,
        key: Key,
        decompress: impl FnOnce() -> Result<Cluster, E>,
    ) -> Result<Arc<Cluster>, E> {
        if let Some(c) = self.get(key) {
            return Ok(c);
        }
        let mut loads = self.loads_lock();
        loop {
            if !loads.keys.contains(&key) {
                // Made while this reader waited: take it.
                if let Some(c) = self.get(key) {
                    return Ok(c);
                }
                if loads.running < self.max_loads {
                    break;
                }
            }
            loads = self
                .load_done
                .wait(loads)
                .unwrap_or_else(|e| e.into_inner());
        }
        loads.running += 1;
        loads.keys.insert(key);
        drop(loads);
        let _slot = LoadSlot { cache: self, key };
        let c = Arc::new(decompress()?);
        self.insert(key, c.clone());
        Ok(c)
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
