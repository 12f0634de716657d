//! WebDAV locks (class 2), kept in the `dav_locks` table so that they survive a restart.
//!
//! A Word document opened from a mounted share holds a lock for as long as it is open; if the
//! box restarts meanwhile (an update, a power cut), forgetting that lock would let a colleague
//! overwrite the file under the author's feet. So the database is the truth: every call reads
//! the live locks (there are few: one per open document) and every change is one write
//! transaction. The conflict rules are those of dav-server's in-memory lock system, over a
//! flat list instead of a tree.

use crate::db::{self, Db};
use dav_server::davpath::DavPath;
use dav_server::ls::{DavLock, DavLockSystem, LsFuture};
use futures_util::FutureExt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use xmltree::Element;

/// The lock system for one request; cheap to build, the state is in the database.
///
/// `discover` (asked for every entry of a PROPFIND) answers from the locks read once for
/// the request, which lives a few milliseconds; `check`, `unlock` and `refresh` read the
/// database afresh, `lock` checks inside its write transaction, and every write empties
/// that copy, so what the request changes or decides on is always the database's word.
#[derive(Clone)]
pub struct DbLocks {
    db: Db,
    seen: std::sync::Arc<std::sync::Mutex<Option<std::sync::Arc<Vec<DavLock>>>>>,
}

impl std::fmt::Debug for DbLocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbLocks")
    }
}

impl DbLocks {
    pub fn new(db: Db) -> Box<DbLocks> {
        Box::new(DbLocks {
            db,
            seen: Default::default(),
        })
    }
}

/// The key a path is stored under: its URL form below `/dav`, without a trailing slash.
fn key(path: &DavPath) -> String {
    let s = path.as_url_string();
    match s.strip_suffix('/') {
        Some(t) if !t.is_empty() => t.to_owned(),
        _ => s,
    }
}

fn segs(key: &str) -> Vec<&str> {
    key.split('/').filter(|s| !s.is_empty()).collect()
}

/// `a` is `b` or one of its ancestors.
fn is_ancestor_or_self(a: &str, b: &str) -> bool {
    let (a, b) = (segs(a), segs(b));
    a.len() <= b.len() && a.iter().zip(&b).all(|(x, y)| x == y)
}

fn epoch(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn to_path(key: &str) -> Option<DavPath> {
    let mut p = DavPath::new(&format!("{}{key}", super::PREFIX)).ok()?;
    p.set_prefix(super::PREFIX).ok()?;
    Some(p)
}

fn owner_to_xml(owner: &Element) -> Option<String> {
    // dav-server gives the element a `D:` prefix without declaring it; declare every prefix
    // used, or the stored XML would not parse back.
    fn bind(e: &mut Element) {
        if let (Some(p), Some(ns)) = (e.prefix.clone(), e.namespace.clone()) {
            e.namespaces
                .get_or_insert_with(xmltree::Namespace::empty)
                .force_put(p, ns);
        }
        for c in e.children.iter_mut() {
            if let xmltree::XMLNode::Element(c) = c {
                bind(c);
            }
        }
    }
    let mut owner = owner.clone();
    bind(&mut owner);
    let mut out = Vec::new();
    owner.write(&mut out).ok()?;
    String::from_utf8(out).ok()
}

/// Parses a stored owner back into the shape dav-server made it in: prefixed `D:` but
/// without that prefix in its own bindings (its multistatus writer drops such elements).
fn owner_from_xml(x: &str) -> Option<Element> {
    fn unbind(e: &mut Element) {
        if let (Some(p), Some(ns)) = (e.prefix.as_deref(), e.namespaces.as_mut()) {
            ns.0.remove(p);
        }
        for c in e.children.iter_mut() {
            if let xmltree::XMLNode::Element(c) = c {
                unbind(c);
            }
        }
    }
    let mut e = Element::parse(x.as_bytes()).ok()?;
    unbind(&mut e);
    Some(e)
}

fn load(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<DavLock>> {
    let now = crate::now();
    let mut stmt = conn.prepare_cached(
        "SELECT token, path, principal, owner_xml, deep, shared, timeout_s, expires_at
         FROM dav_locks WHERE expires_at IS NULL OR expires_at > ?1",
    )?;
    let rows = stmt.query_map([now], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, bool>(4)?,
            r.get::<_, bool>(5)?,
            r.get::<_, Option<i64>>(6)?,
            r.get::<_, Option<i64>>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (token, path, principal, owner, deep, shared, timeout, expires) = row?;
        let Some(path) = to_path(&path) else { continue };
        out.push(DavLock {
            token,
            path: Box::new(path),
            principal,
            owner: owner.and_then(|x| owner_from_xml(&x)).map(Box::new),
            timeout_at: expires.map(|e| UNIX_EPOCH + Duration::from_secs(e.max(0) as u64)),
            timeout: timeout.map(|t| Duration::from_secs(t.max(0) as u64)),
            shared,
            deep,
        });
    }
    Ok(out)
}

fn insert(tx: &rusqlite::Transaction<'_>, l: &DavLock) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO dav_locks (token, path, principal, owner_xml, deep, shared, timeout_s, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        rusqlite::params![
            l.token,
            key(&l.path),
            l.principal,
            l.owner.as_deref().and_then(owner_to_xml),
            l.deep,
            l.shared,
            l.timeout.map(|t| t.as_secs() as i64),
            l.timeout_at.map(epoch),
        ],
    )?;
    Ok(())
}

/// Checks the locks on `path` and its ancestors (and, if `deep`, its descendants) against the
/// tokens submitted: the rules of dav-server's `MemLs`.
fn conflict(
    locks: &[DavLock],
    path: &str,
    principal: Option<&str>,
    ignore_principal: bool,
    deep: bool,
    tokens: &[String],
    shared_ok: bool,
) -> Result<(), DavLock> {
    let holds = |l: &DavLock| {
        tokens.contains(&l.token) && (ignore_principal || principal == l.principal.as_deref())
    };
    // Locks above or on the path.
    let mut holds_lock = false;
    let mut first_seen: Option<&DavLock> = None;
    for l in locks {
        let lk = key(&l.path);
        let applies = is_ancestor_or_self(&lk, path) && (l.deep || segs(&lk) == segs(path));
        if !applies {
            continue;
        }
        if holds(l) {
            holds_lock = true;
        } else {
            if !l.shared {
                return Err(l.clone());
            }
            if !shared_ok {
                first_seen.get_or_insert(l);
            }
        }
    }
    if !holds_lock && let Some(l) = first_seen {
        return Err(l.clone());
    }
    // Locks strictly below the path.
    if deep {
        for l in locks {
            let lk = key(&l.path);
            if is_ancestor_or_self(path, &lk)
                && segs(path) != segs(&lk)
                && (!l.shared || !shared_ok)
                && !holds(l)
            {
                return Err(l.clone());
            }
        }
    }
    Ok(())
}

impl DbLocks {
    /// The live locks, read from the database now.
    async fn all(&self) -> Vec<DavLock> {
        match self.db.read(|c| Ok(load(c)?)).await {
            Ok(l) => l,
            Err(e) => {
                log::error!("reading WebDAV locks failed: {e}");
                Vec::new()
            }
        }
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, Option<std::sync::Arc<Vec<DavLock>>>> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The live locks as read once for this request (a failed read is not kept).
    async fn all_seen(&self) -> std::sync::Arc<Vec<DavLock>> {
        if let Some(l) = self.seen().clone() {
            return l;
        }
        match self.db.read(|c| Ok(load(c)?)).await {
            Ok(l) => {
                let l = std::sync::Arc::new(l);
                *self.seen() = Some(l.clone());
                l
            }
            Err(e) => {
                log::error!("reading WebDAV locks failed: {e}");
                Default::default()
            }
        }
    }

    /// Forgets the copy: called after every write, whatever its outcome.
    fn forget(&self) {
        *self.seen() = None;
    }
}

impl DavLockSystem for DbLocks {
    fn lock(
        &'_ self,
        path: &DavPath,
        principal: Option<&str>,
        owner: Option<&Element>,
        timeout: Option<Duration>,
        shared: bool,
        deep: bool,
    ) -> LsFuture<'_, Result<DavLock, DavLock>> {
        let lock = DavLock {
            token: format!("urn:uuid:{}", uuid_like()),
            path: Box::new(path.clone()),
            principal: principal.map(str::to_owned),
            owner: owner.map(|o| Box::new(o.clone())),
            timeout_at: timeout.map(|d| SystemTime::now() + d),
            timeout,
            shared,
            deep,
        };
        async move {
            // Checking and inserting in one write transaction: two clients locking at once
            // cannot both win.
            let l = lock.clone();
            let r: Result<Result<DavLock, DavLock>, db::Error> = self
                .db
                .write(move |tx| {
                    let p = key(&l.path);
                    tx.execute(
                        "DELETE FROM dav_locks WHERE expires_at IS NOT NULL AND expires_at <= ?1",
                        [crate::now()],
                    )?;
                    let locks = load(tx)?;
                    if let Err(c) = conflict(&locks, &p, None, true, deep, &[], shared) {
                        return Ok(Err(c));
                    }
                    insert(tx, &l)?;
                    Ok(Ok(l))
                })
                .await;
            self.forget();
            match r {
                Ok(r) => r,
                Err(e) => {
                    // Answer "locked" rather than pretend a lock was taken.
                    log::error!("saving a WebDAV lock failed: {e}");
                    Err(lock)
                }
            }
        }
        .boxed()
    }

    fn unlock(&'_ self, path: &DavPath, token: &str) -> LsFuture<'_, Result<(), ()>> {
        let (p, token) = (key(path), token.to_owned());
        async move {
            let locks = self.all().await;
            let found = locks.iter().any(|l| {
                let lk = key(&l.path);
                l.token == token && is_ancestor_or_self(&lk, &p) && (l.deep || lk == p)
            });
            if !found {
                return Err(());
            }
            let r = self
                .db
                .write(move |tx| {
                    tx.execute("DELETE FROM dav_locks WHERE token = ?1", [token])?;
                    Ok(())
                })
                .await;
            self.forget();
            r.map_err(|e| log::error!("removing a WebDAV lock failed: {e}"))
        }
        .boxed()
    }

    fn refresh(
        &'_ self,
        path: &DavPath,
        token: &str,
        timeout: Option<Duration>,
    ) -> LsFuture<'_, Result<DavLock, ()>> {
        let (p, token) = (key(path), token.to_owned());
        async move {
            let locks = self.all().await;
            let mut lock = locks
                .into_iter()
                .find(|l| l.token == token && is_ancestor_or_self(&key(&l.path), &p))
                .ok_or(())?;
            lock.timeout = timeout;
            lock.timeout_at = timeout.map(|d| SystemTime::now() + d);
            let (t, e) = (
                lock.timeout.map(|t| t.as_secs() as i64),
                lock.timeout_at.map(epoch),
            );
            let r = self
                .db
                .write(move |tx| {
                    tx.execute(
                        "UPDATE dav_locks SET timeout_s = ?2, expires_at = ?3 WHERE token = ?1",
                        rusqlite::params![token, t, e],
                    )?;
                    Ok(())
                })
                .await;
            self.forget();
            r.map_err(|e| log::error!("refreshing a WebDAV lock failed: {e}"))?;
            Ok(lock)
        }
        .boxed()
    }

    fn check(
        &'_ self,
        path: &DavPath,
        principal: Option<&str>,
        ignore_principal: bool,
        deep: bool,
        submitted_tokens: &[String],
    ) -> LsFuture<'_, Result<(), DavLock>> {
        let p = key(path);
        let principal = principal.map(str::to_owned);
        let tokens = submitted_tokens.to_vec();
        async move {
            let locks = self.all().await;
            conflict(
                &locks,
                &p,
                principal.as_deref(),
                ignore_principal,
                deep,
                &tokens,
                false,
            )
        }
        .boxed()
    }

    fn discover(&'_ self, path: &DavPath) -> LsFuture<'_, Vec<DavLock>> {
        let p = key(path);
        async move {
            let now = SystemTime::now();
            self.all_seen()
                .await
                .iter()
                .filter(|l| {
                    let lk = key(&l.path);
                    is_ancestor_or_self(&lk, &p)
                        && (l.deep || segs(&lk) == segs(&p))
                        && l.timeout_at.is_none_or(|t| t > now)
                })
                .cloned()
                .collect()
        }
        .boxed()
    }

    fn delete(&'_ self, path: &DavPath) -> LsFuture<'_, Result<(), ()>> {
        let p = key(path);
        async move {
            let r = self
                .db
                .write(move |tx| {
                    let doomed: Vec<String> = load(tx)?
                        .into_iter()
                        .filter(|l| is_ancestor_or_self(&p, &key(&l.path)))
                        .map(|l| l.token)
                        .collect();
                    for t in doomed {
                        tx.execute("DELETE FROM dav_locks WHERE token = ?1", [t])?;
                    }
                    Ok(())
                })
                .await;
            self.forget();
            r.map_err(|e| log::error!("removing WebDAV locks failed: {e}"))
        }
        .boxed()
    }
}

/// A random UUID (version 4) for a lock token.
fn uuid_like() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the operating system's random generator failed");
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock(path: &str, deep: bool, shared: bool, token: &str) -> DavLock {
        DavLock {
            token: token.into(),
            path: Box::new(to_path(path).unwrap()),
            principal: Some("u".into()),
            owner: None,
            timeout_at: None,
            timeout: None,
            shared,
            deep,
        }
    }

    #[test]
    fn deep_locks_cover_descendants_and_tokens_release_them() {
        let locks = vec![lock("/u/dir", true, false, "t1")];
        assert!(conflict(&locks, "/u/dir/a.txt", Some("u"), false, false, &[], false).is_err());
        assert!(conflict(&locks, "/u/other", Some("u"), false, false, &[], false).is_ok());
        let t = vec!["t1".to_owned()];
        assert!(conflict(&locks, "/u/dir/a.txt", Some("u"), false, false, &t, false).is_ok());
        assert!(
            conflict(&locks, "/u/dir/a.txt", Some("v"), false, false, &t, false).is_err(),
            "another user cannot use a stolen token"
        );
        // A deep operation on the parent meets the lock below it.
        assert!(conflict(&locks, "/u", Some("u"), false, true, &[], false).is_err());
        assert!(conflict(&locks, "/u", Some("u"), false, false, &[], false).is_ok());
    }

    #[test]
    fn shared_locks_coexist() {
        let locks = vec![lock("/u/f", false, true, "t1")];
        assert!(conflict(&locks, "/u/f", None, true, false, &[], true).is_ok());
        assert!(conflict(&locks, "/u/f", None, true, false, &[], false).is_err());
    }

    #[test]
    fn owners_round_trip() {
        let x = r#"<lockinfo xmlns='DAV:'><owner><href>mailto:a@b</href></owner></lockinfo>"#;
        let e = Element::parse(x.as_bytes()).unwrap();
        let mut o = e.get_child("owner").unwrap().clone();
        o.prefix = Some("D".into());
        let back = owner_from_xml(&owner_to_xml(&o).unwrap()).unwrap();
        assert_eq!(back.name, "owner");
        assert_eq!(
            back.get_child("href").unwrap().get_text().unwrap(),
            "mailto:a@b"
        );
    }

    #[test]
    fn paths_round_trip() {
        let p = to_path("/Classes/6e%20A/x.txt").unwrap();
        assert_eq!(key(&p), "/Classes/6e%20A/x.txt");
    }
}
