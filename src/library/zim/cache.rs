//! A byte-bounded LRU of decompressed clusters, shareable by every open archive.
//!
//! An article is a few KB inside a cluster of 1 to 2 MB (libzim's default): reading its
//! neighbours (the same page's images, the next article in a series) should not decompress the
//! cluster again. The bound is in bytes, not clusters, because cluster sizes vary by collection.
//! Readers hold an `Arc` to what they read, so an eviction never pulls bytes from under a
//! response; the bound counts what the cache itself holds.
//!
//! Misses are decompressed through [`ClusterCache::load`], on the cache's own threads (as many
//! as the machine has cores, up to 4), one cluster once however many readers miss it
//! together. In the benchmark against kiwix-serve (20 clients, a 32 MiB cache), decompressing
//! on whichever blocking thread missed grew the process by 250 MiB: 50 threads decompressing
//! 2 MiB clusters side by side, their buffers spread over glibc's per-thread arenas, which keep
//! what they free. On the cache's few threads the growth fell to 85 MiB (the rest is the other
//! threads' arenas: pages, bars, responses), and throughput rose.

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
    /// The decompression threads' queue: clusters are made (allocated) on these few threads
    /// only, so that their buffers live in those threads' malloc arenas and not spread over
    /// every blocking thread's (see the module documentation).
    jobs: Mutex<std::sync::mpsc::Sender<Job>>,
}

type Job = Box<dyn FnOnce() + Send>;

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
        let max_loads = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 4);
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..max_loads {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("zim-decompress-{i}"))
                .spawn(move || {
                    loop {
                        let job = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                log::warn!("library: a decompression thread did not start: {e}");
            }
        }
        ClusterCache {
            capacity: capacity_bytes,
            inner: Mutex::new(Inner::default()),
            loads: Mutex::new(Loads::default()),
            load_done: Condvar::new(),
            max_loads,
            jobs: Mutex::new(tx),
        }
    }

    /// Runs `f` on a decompression thread and waits for it (on the caller's thread if none
    /// could start).
    fn on_worker<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let f = std::sync::Arc::new(Mutex::new(Some(f)));
        let job_f = f.clone();
        let sent = self
            .jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(Box::new(move || {
                let f = job_f.lock().unwrap_or_else(|e| e.into_inner()).take();
                if let Some(f) = f {
                    let _ = tx.send(f());
                }
            }));
        if sent.is_ok()
            && let Ok(v) = rx.recv()
        {
            return v;
        }
        let f = f.lock().unwrap_or_else(|e| e.into_inner()).take();
        match f {
            Some(f) => f(),
            None => unreachable!("a job that ran sent its result"),
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
    pub(crate) fn load<E: Send + 'static>(
        &self,
        key: Key,
        decompress: impl FnOnce() -> Result<Cluster, E> + Send + 'static,
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
        let c = self.on_worker(move || decompress().map(Arc::new))?;
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
