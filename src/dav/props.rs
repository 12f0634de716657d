//! Dead properties (PROPPATCH), kept in the `dav_props` table.
//!
//! Extended attributes would tie them to the filesystem (FAT and some overlay setups have
//! none) and to the file's inode; the database works everywhere and goes into backups. Keys
//! are per space (`u12/notes/a.txt`), not per URL, so a renamed class keeps its properties;
//! moving, copying and deleting a resource carry its properties along.

use dav_server::fs::DavProp;
use rusqlite::{Connection, Transaction, params};

/// The properties stored for `key`; their values only when `content`.
pub fn list(conn: &Connection, key: &str, content: bool) -> rusqlite::Result<Vec<DavProp>> {
    let mut stmt =
        conn.prepare_cached("SELECT namespace, name, prefix, xml FROM dav_props WHERE path = ?1")?;
    let rows = stmt.query_map([key], |r| {
        let ns: String = r.get(0)?;
        Ok(DavProp {
            namespace: (!ns.is_empty()).then_some(ns),
            name: r.get(1)?,
            prefix: r.get(2)?,
            xml: if content { r.get(3)? } else { None },
        })
    })?;
    rows.collect()
}

/// Sets (`true`) or removes (`false`) each property, all in the caller's transaction.
pub fn patch(tx: &Transaction<'_>, key: &str, patch: &[(bool, DavProp)]) -> rusqlite::Result<()> {
    for (set, p) in patch {
        let ns = p.namespace.as_deref().unwrap_or("");
        if *set {
            tx.execute(
                "INSERT INTO dav_props (path, namespace, name, prefix, xml) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (path, namespace, name) DO UPDATE SET prefix = ?4, xml = ?5",
                params![key, ns, p.name, p.prefix, p.xml],
            )?;
        } else {
            tx.execute(
                "DELETE FROM dav_props WHERE path = ?1 AND namespace = ?2 AND name = ?3",
                params![key, ns, p.name],
            )?;
        }
    }
    Ok(())
}

/// Rows of `key` and everything below it. `substr` rather than `LIKE`, since names may hold
/// `%` and `_`.
const BELOW: &str = "(path = ?1 OR substr(path, 1, length(?1) + 1) = ?1 || '/')";

/// Forgets the properties of `key` and everything below it.
pub fn remove_tree(tx: &Transaction<'_>, key: &str) -> rusqlite::Result<()> {
    tx.execute(&format!("DELETE FROM dav_props WHERE {BELOW}"), [key])?;
    Ok(())
}

/// Moves the properties of `from` (and below) to `to`, replacing what `to` had.
pub fn move_tree(tx: &Transaction<'_>, from: &str, to: &str) -> rusqlite::Result<()> {
    remove_tree(tx, to)?;
    tx.execute(
        &format!("UPDATE dav_props SET path = ?2 || substr(path, length(?1) + 1) WHERE {BELOW}"),
        params![from, to],
    )?;
    Ok(())
}

/// Copies the properties of the single resource `from` to `to`.
pub fn copy_one(tx: &Transaction<'_>, from: &str, to: &str) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM dav_props WHERE path = ?1", [to])?;
    tx.execute(
        "INSERT INTO dav_props (path, namespace, name, prefix, xml)
         SELECT ?2, namespace, name, prefix, xml FROM dav_props WHERE path = ?1",
        params![from, to],
    )?;
    Ok(())
}
