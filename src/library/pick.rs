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

/// Up to `limit` articles whose title starts with `q` (as typed, then with its first letter
/// in capitals, as collections title their articles), across `collections`.
pub fn find(library: &Library, collections: &[Collection], q: &str, limit: usize) -> Vec<Picked> {
    let q = q.trim();
    if q.is_empty() {
        return Vec::new();
    }
    let mut capital: String = q.chars().take(1).flat_map(char::to_uppercase).collect();
    capital.extend(q.chars().skip(1));
    let mut out: Vec<Picked> = Vec::new();
    for c in collections {
        let Ok(archive) = library.archive(c) else {
            continue;
        };
        for prefix in [q, capital.as_str()] {
            let Ok(entries) = archive.titles_with_prefix(prefix, limit) else {
                continue;
            };
            for e in entries {
                let Ok(target) = archive.resolve(e.clone()) else {
                    continue;
                };
                let path = archive.content_path(&target);
                if out.len() < limit
                    && !out.iter().any(|p| p.collection == c.name && p.path == path)
                {
                    out.push(picked(c, path, e.title));
                }
            }
        }
    }
    out
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
