//! Dead properties as one request sees them, read a folder at a time.
//!
//! dav-server asks for the properties of every entry of a PROPFIND Depth 1 one by one; a
//! database read per entry, each a trip to the blocking pool, made a folder of 2,000 files
//! take 5 times as long as rclone to list. So the first entry asked about loads the
//! properties of all its siblings in one query, and the others are answered from memory.
//!
//! The cache belongs to one [`super::fs::SpacesFs`], which is built per request: it lives
//! exactly one request, and so never serves what another request changed before this one
//! began. Every change this request makes to the properties (PROPPATCH, DELETE, MOVE, COPY)
//! empties it, so the database stays the truth for the request's own reads.

use super::props;
use crate::db::Db;
use dav_server::fs::{DavProp, FsError};
use rusqlite::Connection;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The properties of one folder's children, by key.
type Folder = Arc<HashMap<String, Vec<DavProp>>>;

#[derive(Default)]
pub struct PropCache {
    folders: Mutex<HashMap<String, Folder>>,
}

impl PropCache {
    /// Forgets everything: called after each change to the properties.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Folder>> {
        self.folders.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The properties of `key`, their values only when `content`.
    pub async fn list(&self, db: &Db, key: &str, content: bool) -> Result<Vec<DavProp>, FsError> {
        let mut list = self.all(db, key).await?;
        if !content {
            list.iter_mut().for_each(|d| d.xml = None);
        }
        Ok(list)
    }

    /// The value of one property of `key`, if set.
    pub async fn get(&self, db: &Db, key: &str, prop: &DavProp) -> Result<Vec<u8>, FsError> {
        let ns = |d: &DavProp| d.namespace.as_deref().unwrap_or("").to_owned();
        self.all(db, key)
            .await?
            .into_iter()
            .find(|d| d.name == prop.name && ns(d) == ns(prop))
            .and_then(|d| d.xml)
            .ok_or(FsError::NotFound)
    }

    /// The properties of `key` (values included), from the cache or one read of its folder.
    async fn all(&self, db: &Db, key: &str) -> Result<Vec<DavProp>, FsError> {
        let Some((parent, _)) = key.rsplit_once('/') else {
            // A space's own root: no folder to share a read with.
            let key = key.to_owned();
            return db
                .read(move |c| Ok(props::list(c, &key, true)?))
                .await
                .map_err(|_| FsError::GeneralFailure);
        };
        let cached = self.lock().get(parent).cloned();
        let folder = match cached {
            Some(f) => f,
            None => {
                let p = parent.to_owned();
                let f: Folder = Arc::new(
                    db.read(move |c| Ok(children(c, &p)?))
                        .await
                        .map_err(|_| FsError::GeneralFailure)?,
                );
                self.lock().insert(parent.to_owned(), f.clone());
                f
            }
        };
        Ok(folder.get(key).cloned().unwrap_or_default())
    }
}

/// The properties of the direct children of `parent`, by key. The range on the primary key
/// finds the keys starting with `parent/` (`0` follows `/` in byte order); the `instr` keeps
/// the direct children only.
fn children(conn: &Connection, parent: &str) -> rusqlite::Result<HashMap<String, Vec<DavProp>>> {
    let (lo, hi) = (format!("{parent}/"), format!("{parent}0"));
    let mut stmt = conn.prepare_cached(
        "SELECT path, namespace, name, prefix, xml FROM dav_props
         WHERE path >= ?1 AND path < ?2 AND instr(substr(path, length(?1) + 1), '/') = 0",
    )?;
    let rows = stmt.query_map([&lo, &hi], |r| {
        let ns: String = r.get(1)?;
        Ok((
            r.get::<_, String>(0)?,
            DavProp {
                namespace: (!ns.is_empty()).then_some(ns),
                name: r.get(2)?,
                prefix: r.get(3)?,
                xml: r.get(4)?,
            },
        ))
    })?;
    let mut out: HashMap<String, Vec<DavProp>> = HashMap::new();
    for row in rows {
        let (path, prop) = row?;
        out.entry(path).or_default().push(prop);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_are_the_direct_ones_only() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE dav_props (path TEXT NOT NULL, namespace TEXT NOT NULL,
             name TEXT NOT NULL, prefix TEXT, xml BLOB, PRIMARY KEY (path, namespace, name)) STRICT;",
        )
        .unwrap();
        for p in [
            "u1/a",
            "u1/a/b",
            "u1/é.txt",
            "u1/é.txt/x",
            "u1",
            "u10/c",
            "u1.x/d",
            "u1/%_",
        ] {
            conn.execute(
                "INSERT INTO dav_props VALUES (?1, 'urn:x', 'n', 'x', ?2)",
                rusqlite::params![p, p.as_bytes()],
            )
            .unwrap();
        }
        let got = children(&conn, "u1").unwrap();
        let mut keys: Vec<&str> = got.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["u1/%_", "u1/a", "u1/é.txt"]);
        assert_eq!(got["u1/a"][0].xml.as_deref(), Some(&b"u1/a"[..]));
        assert_eq!(got["u1/a"][0].namespace.as_deref(), Some("urn:x"));
    }
}
