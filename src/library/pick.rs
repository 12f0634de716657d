//! Choosing library articles to link from elsewhere in the portal (the homework book's "read
//! this"): find articles by title in the collections a class's pupils may read, and check a
//! chosen one still exists there.
//!
//! A link chosen by a teacher must open for the pupils it is written for: a staff-only
//! collection, or one for other classes, is not offered, and a forged choice of one is refused.
//! Blocking (the reader): callers run it in `spawn_blocking`.

use super::Library;
use super::registry::Collection;
use crate::auth::SchoolAudience;
use crate::ids::ClassId;

/// An article found or chosen.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct Picked {
    pub collection: String,
    pub collection_title: String,
    /// The entry path, as in `/library/<collection>/<path>`.
    pub path: String,
    pub title: String,
    /// `collection/path`: what a form sends back.
    pub value: String,
}

/// Whether every pupil of `class` (and their parents) may read `c`.
pub fn class_reads(c: &Collection, class: ClassId) -> bool {
    match &c.audience {
        SchoolAudience::School => true,
        SchoolAudience::Classes(cs) => cs.contains(&class),
        _ => false,
    }
}

fn picked(c: &Collection, path: String, title: String) -> Picked {
    Picked {
        value: format!("{}/{}", c.name, path),
        collection: c.name.clone(),
        collection_title: c.title.clone(),
        path,
        title,
    }
}

/// Up to `limit` articles whose title starts with `q`, accents and case folded (the
/// library's own index; the collection's title list as typed until it is built), across
/// `collections`, best first.
pub fn find(library: &Library, collections: &[Collection], q: &str, limit: usize) -> Vec<Picked> {
    super::index::find::titles(library, collections, q, limit)
        .into_iter()
        .filter_map(|s| {
            let c = collections.iter().find(|c| c.name == s.name)?;
            Some(picked(c, s.path, s.title))
        })
        .collect()
}

/// The article a form names (`collection/path`), if it exists in one of `collections`.
pub fn resolve(library: &Library, collections: &[Collection], value: &str) -> Option<Picked> {
    let (name, path) = value.split_once('/')?;
    let c = collections.iter().find(|c| c.name == name)?;
    let archive = library.archive(c).ok()?;
    let entry = archive.entry_by_path(path).ok()??;
    let target = archive.resolve(entry.clone()).ok()?;
    if !matches!(target.kind, super::zim::EntryKind::Content { .. }) {
        return None;
    }
    let title = if entry.title.is_empty() {
        target.title
    } else {
        entry.title
    };
    Some(picked(c, path.to_owned(), title))
}
