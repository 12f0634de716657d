//! Searching several collections at once, each by the best means it has now: its index when
//! ready, else the ZIM's own title list (exact bytes: `Éc` finds `École`, `ec` does not).
//!
//! The collections are given already filtered by `authorize`: this module only searches what
//! it is handed. Blocking (SQLite and the ZIM reader): callers run it in `spawn_blocking`.

use super::{TextHit, fts_query, title_rank};
use crate::library::Library;
use crate::library::registry::{Collection, IndexState};
use serde::Serialize;

/// Counting matches stops here.
pub const COUNT_CAP: u64 = 10_000;

pub use crate::library::entry_url;

/// A title found, in the shape `/library/suggest` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub title: String,
    pub url: String,
    /// The collection's title.
    pub collection: String,
    /// The collection's URL name and the entry's path (for the homework book's picker).
    #[serde(skip)]
    pub name: String,
    #[serde(skip)]
    pub path: String,
}

/// Up to `limit` titles starting with `typed` across `collections`, best first.
pub fn titles(
    library: &Library,
    collections: &[Collection],
    typed: &str,
    limit: usize,
) -> Vec<Suggestion> {
    let typed = typed.trim_start();
    let folded = super::fold(typed);
    if folded.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(Suggestion, (u8, u8, usize, String))> = Vec::new();
    for c in collections {
        let hits = match from_index(library, c, typed, limit) {
            Some(h) => h,
            None => from_archive(library, c, typed, limit),
        };
        for h in hits {
            let rank = title_rank(typed, &folded, &h);
            found.push((
                Suggestion {
                    url: entry_url(&c.name, &h.path),
                    title: h.title,
                    collection: c.title.clone(),
                    name: c.name.clone(),
                    path: h.path,
                },
                rank,
            ));
        }
    }
    // Stable: equal ranks keep the collections' order.
    found.sort_by(|a, b| a.1.cmp(&b.1));
    let mut seen = std::collections::HashSet::new();
    found
        .into_iter()
        .map(|(s, _)| s)
        .filter(|s| seen.insert(s.url.clone()))
        .take(limit)
        .collect()
}

fn from_index(
    library: &Library,
    c: &Collection,
    typed: &str,
    limit: usize,
) -> Option<Vec<super::TitleHit>> {
    if c.index != IndexState::Ready {
        return None;
    }
    let path = crate::library::index_path(library.dir(), &c.uuid);
    match super::open(&path).and_then(|conn| super::suggest(&conn, typed, limit)) {
        Ok(h) => Some(h),
        Err(e) => {
            log::warn!("library index of {}: {e}", c.name);
            None
        }
    }
}

/// The ZIM's title list, as typed and with a capital first letter (titles mostly have one).
fn from_archive(
    library: &Library,
    c: &Collection,
    typed: &str,
    limit: usize,
) -> Vec<super::TitleHit> {
    let archive = match library.archive(c) {
        Ok(a) => a,
        Err(e) => {
            log::warn!("library: {}: {e}", c.name);
            return Vec::new();
        }
    };
    let mut prefixes = vec![typed.to_owned()];
    let mut chars = typed.chars();
    if let Some(first) = chars.next() {
        let upper: String = first.to_uppercase().chain(chars).collect();
        if upper != typed {
            prefixes.push(upper);
        }
    }
    let mut out = Vec::new();
    for p in prefixes {
        match archive.titles_with_prefix(&p, limit) {
            Ok(entries) => out.extend(entries.into_iter().map(|e| {
                // A redirect (an alternative title) is shown as the article it leads to.
                let target = archive.resolve(e.clone()).unwrap_or_else(|_| e.clone());
                super::TitleHit {
                    path: archive.content_path(&target),
                    title: target.title,
                    key: super::fold(&e.title),
                    matched: e.title,
                }
            })),
            Err(e) => log::warn!("library: {}: {e}", c.name),
        }
    }
    out
}

/// An article found in the text, with the collection it is in.
#[derive(Debug, Clone, Serialize)]
pub struct FoundText {
    pub title: String,
    pub url: String,
    pub collection: String,
    pub snippet: Vec<super::Piece>,
}

/// A page of full-text results.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TextPage {
    pub hits: Vec<FoundText>,
    /// Articles that match, in all the collections searched (at most [`COUNT_CAP`] each).
    pub total: u64,
    /// Whether a collection's count stopped at the cap.
    pub capped: bool,
    /// Whether a next page has hits.
    pub more: bool,
}

/// Page `page` (from 0) of `per_page` full-text hits across the ready collections among
/// `collections`, best first: each collection's best `(page + 1) * per_page + 1` hits, merged by
/// score. Collections whose index is not ready are skipped (the page says so).
pub fn full_text(
    library: &Library,
    collections: &[Collection],
    typed: &str,
    page: usize,
    per_page: usize,
) -> TextPage {
    let Some(fts) = fts_query(typed) else {
        return TextPage::default();
    };
    let terms = super::terms(typed);
    let want = (page + 1) * per_page + 1;
    let mut out = TextPage::default();
    let mut searched: Vec<&Collection> = Vec::new();
    let mut all: Vec<(usize, TextHit)> = Vec::new();
    for c in collections.iter().filter(|c| c.index == IndexState::Ready) {
        let path = crate::library::index_path(library.dir(), &c.uuid);
        let found = super::open(&path).and_then(|conn| {
            let hits = super::search(&conn, &fts, 0, want)?;
            let n = super::count(&conn, &fts, COUNT_CAP)?;
            Ok((hits, n))
        });
        match found {
            Ok((hits, n)) => {
                out.total += n;
                out.capped |= n >= COUNT_CAP;
                all.extend(hits.into_iter().map(|h| (searched.len(), h)));
                searched.push(c);
            }
            Err(e) => log::warn!("library index of {}: {e}", c.name),
        }
    }
    all.sort_by(|a, b| a.1.score.total_cmp(&b.1.score));
    let start = page * per_page;
    out.more = all.len() > start + per_page;
    let chosen: Vec<(usize, TextHit)> = all.into_iter().skip(start).take(per_page).collect();
    // Each hit may need its cluster decompressed (a few ms for 2 MiB): a few at once, in order.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    let per_worker = chosen.len().div_ceil(workers).max(1);
    let searched = &searched;
    let terms = &terms;
    out.hits = std::thread::scope(|s| {
        let running: Vec<_> = chosen
            .chunks(per_worker)
            .map(|chunk| {
                s.spawn(move || {
                    let mut found = Vec::new();
                    for (i, hit) in chunk {
                        let c = searched[*i];
                        match shown(library, c, hit.entry, terms) {
                            Ok(f) => found.push(f),
                            Err(e) => log::warn!("library: {}: entry {}: {e}", c.name, hit.entry),
                        }
                    }
                    found
                })
            })
            .collect();
        running
            .into_iter()
            .flat_map(|r| r.join().unwrap_or_default())
            .collect()
    });
    out
}

/// A hit as the page shows it: its title, address and snippet, read from the collection (the
/// index keeps none of them; see [`super::snippet`]).
fn shown(
    library: &Library,
    c: &Collection,
    entry: u32,
    terms: &[super::Term],
) -> Result<FoundText, crate::library::zim::Error> {
    let archive = library.archive(c)?;
    let e = archive.entry_at(entry)?;
    let text = super::bytes_to_text(&archive.blob(&e)?.to_vec()?);
    Ok(FoundText {
        url: entry_url(&c.name, &archive.content_path(&e)),
        snippet: super::snippet::snippet(&text, terms),
        title: e.title,
        collection: c.title.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_slashes_and_encode_the_rest() {
        assert_eq!(
            entry_url("wiki", "École_primaire"),
            "/library/wiki/%C3%89cole_primaire"
        );
        assert_eq!(
            entry_url("wiki", "dossier/Sous_page"),
            "/library/wiki/dossier/Sous_page"
        );
        assert_eq!(
            entry_url("wiki", "a?b#c d%"),
            "/library/wiki/a%3Fb%23c%20d%25"
        );
        assert_eq!(
            entry_url("w", "Paris_(France)"),
            "/library/w/Paris_(France)"
        );
    }
}
