//! The registry of installed collections: one row each in `library_collections`, with the
//! metadata read from the ZIM at install time (so listing the library opens no file), the
//! audience, and the full-text index's progress.
//!
//! Plain functions over a connection, like the other domain modules; placing the bytes on disk
//! is `install`'s job, reading them `Library`'s.

use crate::auth::{Allowed, SchoolAudience};
use crate::ids::{ClassId, CollectionId};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::path::PathBuf;

/// An installed collection, as the registry knows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Collection {
    pub id: CollectionId,
    /// The URL name: `/library/<name>/...`.
    pub name: String,
    /// The file (or a split archive's first part) under `DATA/library`.
    #[serde(skip)]
    pub file: PathBuf,
    pub uuid: String,
    pub size: u64,
    pub article_count: u64,
    pub title: String,
    pub description: String,
    pub language: String,
    pub creator: String,
    pub publisher: String,
    pub date: String,
    pub has_illustration: bool,
    pub audience: SchoolAudience,
    pub source: String,
    pub added_at: i64,
    pub index: IndexState,
    pub index_done: u64,
    pub index_error: String,
}

/// Where the collection's full-text index stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexState {
    Pending,
    Building,
    Ready,
    Failed,
}

impl IndexState {
    pub fn as_str(self) -> &'static str {
        match self {
            IndexState::Pending => "pending",
            IndexState::Building => "building",
            IndexState::Ready => "ready",
            IndexState::Failed => "failed",
        }
    }

    fn parse(s: &str) -> IndexState {
        match s {
            "building" => IndexState::Building,
            "ready" => IndexState::Ready,
            "failed" => IndexState::Failed,
            _ => IndexState::Pending,
        }
    }
}

/// What `install` learnt about a new collection, to be recorded.
#[derive(Debug, Clone)]
pub struct NewCollection {
    pub name: String,
    pub file: PathBuf,
    pub uuid: String,
    pub size: u64,
    pub article_count: u64,
    pub title: String,
    pub description: String,
    pub language: String,
    pub creator: String,
    pub publisher: String,
    pub date: String,
    pub illustration: Option<Vec<u8>>,
    pub audience: SchoolAudience,
    pub source: &'static str,
}

const COLUMNS: &str = "id, name, file, uuid, size, article_count, title, description, language, \
     creator, publisher, date, illustration IS NOT NULL, audience, source, added_at, \
     index_state, index_done, index_error";

fn from_row(c: &Connection, r: &rusqlite::Row<'_>) -> rusqlite::Result<Collection> {
    let id = CollectionId(r.get(0)?);
    let kind: String = r.get(13)?;
    let classes = if kind == "classes" {
        collection_classes(c, id)?
    } else {
        Vec::new()
    };
    Ok(Collection {
        id,
        name: r.get(1)?,
        file: PathBuf::from(r.get::<_, String>(2)?),
        uuid: r.get(3)?,
        size: r.get::<_, i64>(4)?.max(0) as u64,
        article_count: r.get::<_, i64>(5)?.max(0) as u64,
        title: r.get(6)?,
        description: r.get(7)?,
        language: r.get(8)?,
        creator: r.get(9)?,
        publisher: r.get(10)?,
        date: r.get(11)?,
        has_illustration: r.get(12)?,
        audience: SchoolAudience::from_parts(&kind, classes).unwrap_or(SchoolAudience::Staff),
        source: r.get(14)?,
        added_at: r.get(15)?,
        index: IndexState::parse(&r.get::<_, String>(16)?),
        index_done: r.get::<_, i64>(17)?.max(0) as u64,
        index_error: r.get(18)?,
    })
}

fn collection_classes(c: &Connection, id: CollectionId) -> rusqlite::Result<Vec<ClassId>> {
    let mut st = c.prepare_cached(
        "SELECT class_id FROM library_collection_classes WHERE collection_id = ?1 ORDER BY class_id",
    )?;
    st.query_map([id], |r| r.get(0))?.collect()
}

/// Every installed collection, by title.
pub fn list(c: &Connection) -> rusqlite::Result<Vec<Collection>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM library_collections ORDER BY title COLLATE NOCASE, name"
    ))?;
    let rows = st.query_map([], |r| from_row(c, r))?;
    rows.collect()
}

pub fn by_name(c: &Connection, name: &str) -> rusqlite::Result<Option<Collection>> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM library_collections WHERE name = ?1"),
        [name],
        |r| from_row(c, r),
    )
    .optional()
}

pub fn by_uuid(c: &Connection, uuid: &str) -> rusqlite::Result<Option<Collection>> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM library_collections WHERE uuid = ?1"),
        [uuid],
        |r| from_row(c, r),
    )
    .optional()
}

/// The illustration (a 48x48 PNG), if the collection has one.
pub fn illustration(c: &Connection, name: &str) -> rusqlite::Result<Option<Vec<u8>>> {
    Ok(c.query_row(
        "SELECT illustration FROM library_collections WHERE name = ?1",
        [name],
        |r| r.get::<_, Option<Vec<u8>>>(0),
    )
    .optional()?
    .flatten())
}

fn set_classes(tx: &Transaction<'_>, id: CollectionId, a: &SchoolAudience) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM library_collection_classes WHERE collection_id = ?1",
        [id],
    )?;
    for class in a.classes() {
        tx.execute(
            "INSERT OR IGNORE INTO library_collection_classes (collection_id, class_id) VALUES (?1, ?2)",
            params![id, class],
        )?;
    }
    Ok(())
}

/// Records a collection whose file is in place; audited.
pub fn insert(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    n: &NewCollection,
) -> rusqlite::Result<CollectionId> {
    tx.execute(
        "INSERT INTO library_collections (name, file, uuid, size, article_count, title, \
         description, language, creator, publisher, date, illustration, audience, source, added_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            n.name,
            n.file.to_string_lossy(),
            n.uuid,
            n.size as i64,
            n.article_count as i64,
            n.title,
            n.description,
            n.language,
            n.creator,
            n.publisher,
            n.date,
            n.illustration,
            n.audience.kind(),
            n.source,
            crate::now(),
        ],
    )?;
    let id = CollectionId(tx.last_insert_rowid());
    set_classes(tx, id, &n.audience)?;
    tx.execute("DELETE FROM library_removed WHERE uuid = ?1", [&n.uuid])?;
    let detail = format!("added {} ({})", n.file.display(), n.audience.kind());
    crate::accounts::audit(tx, allowed, &n.name, &detail)?;
    Ok(id)
}

/// Changes who reads a collection; audited.
pub fn set_audience(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    id: CollectionId,
    name: &str,
    audience: &SchoolAudience,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE library_collections SET audience = ?2 WHERE id = ?1",
        params![id, audience.kind()],
    )?;
    set_classes(tx, id, audience)?;
    crate::accounts::audit(tx, allowed, name, &format!("audience {}", audience.kind()))
}

/// Points a collection at its file again (put back after a restore, or under a new data
/// folder); audited.
pub fn set_file(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    c: &Collection,
    file: &std::path::Path,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE library_collections SET file = ?2 WHERE id = ?1",
        params![c.id, file.to_string_lossy()],
    )?;
    crate::accounts::audit(
        tx,
        allowed,
        &c.name,
        &format!("re-added {}", file.display()),
    )
}

/// Forgets a collection (its files are `install::remove`'s to delete) and remembers its UUID
/// as removed, so that no scan adds it back; audited.
pub fn delete(tx: &Transaction<'_>, allowed: &Allowed, c: &Collection) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM library_collections WHERE id = ?1", [c.id])?;
    tx.execute(
        "INSERT INTO library_removed (uuid, name, removed_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (uuid) DO UPDATE SET name = ?2, removed_at = ?3",
        params![c.uuid, c.name, crate::now()],
    )?;
    crate::accounts::audit(
        tx,
        allowed,
        &c.name,
        &format!("removed {}", c.file.display()),
    )
}

/// The full-text indexer's progress.
pub fn set_index_state(
    c: &Connection,
    id: CollectionId,
    state: IndexState,
    done: u64,
    error: &str,
) -> rusqlite::Result<()> {
    c.execute(
        "UPDATE library_collections SET index_state = ?2, index_done = ?3, index_error = ?4 WHERE id = ?1",
        params![id, state.as_str(), done as i64, error],
    )?;
    Ok(())
}

/// When the collection with this UUID was removed by an admin (and under which name), if it was.
pub fn removed(c: &Connection, uuid: &str) -> rusqlite::Result<Option<(String, i64)>> {
    c.query_row(
        "SELECT name, removed_at FROM library_removed WHERE uuid = ?1",
        [uuid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Lets scans add the collection with this UUID again; audited.
pub fn readmit(tx: &Transaction<'_>, allowed: &Allowed, uuid: &str) -> rusqlite::Result<bool> {
    let Some((name, _)) = removed(tx, uuid)? else {
        return Ok(false);
    };
    tx.execute("DELETE FROM library_removed WHERE uuid = ?1", [uuid])?;
    crate::accounts::audit(tx, allowed, &name, "may be added again")?;
    Ok(true)
}

/// A file found and refused, for the admin page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Refusal {
    pub path: String,
    /// Where it was found: `webdav` or `usb`.
    pub source: String,
    /// A key for the admin page's sentence (see `InstallError::kind`).
    pub kind: String,
    /// The reader's own words (English, for the technician).
    pub reason: String,
    pub seen_at: i64,
}

pub fn record_refused(c: &Connection, r: &Refusal) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO library_refused (path, source, kind, reason, seen_at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (path) DO UPDATE SET source = ?2, kind = ?3, reason = ?4, seen_at = ?5",
        params![r.path, r.source, r.kind, r.reason, r.seen_at],
    )?;
    Ok(())
}

pub fn clear_refused(c: &Connection, path: &str) -> rusqlite::Result<()> {
    c.execute("DELETE FROM library_refused WHERE path = ?1", [path])?;
    Ok(())
}

/// Files refused, the latest first.
pub fn refused(c: &Connection) -> rusqlite::Result<Vec<Refusal>> {
    let mut st = c.prepare_cached(
        "SELECT path, source, kind, reason, seen_at FROM library_refused ORDER BY seen_at DESC, path",
    )?;
    let rows = st.query_map([], |r| {
        Ok(Refusal {
            path: r.get(0)?,
            source: r.get(1)?,
            kind: r.get(2)?,
            reason: r.get(3)?,
            seen_at: r.get(4)?,
        })
    })?;
    rows.collect()
}
