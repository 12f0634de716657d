//! Building a collection's index file, start to finish, on the calling (blocking) thread.
//!
//! 1. Walk the directory (every entry, in URL order: only dirents are read, no cluster) and
//!    note the HTML articles by cluster, and the redirects.
//! 2. Read the articles cluster by cluster, so that each compressed cluster is decompressed
//!    once: in URL order, a Wikipedia whose articles were added in no particular order would
//!    decompress the same 2 MiB cluster again for nearly every article. The builder's archive
//!    has its own small cache, so indexing does not evict the pages readers are reading.
//! 3. Add the redirects' titles as aliases of their targets.
//! 4. Index the titles, merge FTS5's segments (`optimize`: fewer b-trees for each query to
//!    read), fsync, and rename `<uuid>.sqlite.part` to `<uuid>.sqlite`.
//!
//! Rows go in by batches of [`BATCH`] in one transaction each; after each batch the caller's
//! `progress` says whether to go on (it writes the registry's progress, checks that the
//! collection is still installed and that the server is not stopping, and lets the web server
//! breathe). The part file has no journal and no fsync until the end: a crash mid-build leaves
//! a part file that the next start deletes, and the build starts over.

use super::{SCHEMA, TITLES_INDEX, VERSION, bytes_to_text, fold, strip_arabic_marks};
use crate::library::zim::{self, Archive, Entry, EntryKind};
use rusqlite::{Connection, params};
use std::path::{Path, PathBuf};

/// Articles per transaction and per progress report.
pub const BATCH: usize = 1000;
/// Directory entries walked between two checks that the build should go on.
const WALK_CHECK: u32 = 20_000;

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The collection cannot be read: its message is the registry's `index_error`.
    #[error("{0}")]
    Zim(#[from] zim::Error),
    #[error("the index file: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the index file: {0}")]
    Io(#[from] std::io::Error),
    /// The caller said to stop (collection removed, server stopping).
    #[error("stopped")]
    Stopped,
}

/// What a finished build did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// HTML articles indexed.
    pub articles: u64,
    /// Redirects added as alternative titles.
    pub aliases: u64,
    /// Articles whose bytes could not be read (a damaged cluster), skipped.
    pub unreadable: u64,
    /// The first unreadable article's error.
    pub first_error: Option<String>,
}

/// Where a build writes before its file is complete.
pub fn part_path(dest: &Path) -> PathBuf {
    let mut s = dest.as_os_str().to_owned();
    s.push(".part");
    PathBuf::from(s)
}

fn is_html(mime: &str) -> bool {
    let m = mime.split(';').next().unwrap_or("").trim();
    m.eq_ignore_ascii_case("text/html") || m.eq_ignore_ascii_case("application/xhtml+xml")
}

/// Whether `e` is in the archive's content namespace (`C`, or `A` in older files, whose `I`,
/// `-` and others hold images and layout).
fn is_content(archive: &Archive, e: &Entry) -> bool {
    if archive.header().new_namespace_scheme() {
        e.namespace == b'C'
    } else {
        e.namespace == b'A'
    }
}

/// Builds the index of `archive` at `dest` (through its part file). `progress(done)` is called
/// after every batch with the articles indexed so far; `false` stops the build, which deletes
/// its part file and returns [`BuildError::Stopped`].
pub fn build(
    archive: &Archive,
    dest: &Path,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Result<Stats, BuildError> {
    let part = part_path(dest);
    remove_part(dest);
    let result = build_part(archive, &part, progress);
    match result {
        Ok(stats) => {
            std::fs::File::open(&part)?.sync_all()?;
            std::fs::rename(&part, dest)?;
            if let Some(dir) = dest.parent() {
                std::fs::File::open(dir)?.sync_all()?;
            }
            Ok(stats)
        }
        Err(e) => {
            remove_part(dest);
            Err(e)
        }
    }
}

/// Deletes a build's leftovers (its part file and a journal SQLite may have left).
pub fn remove_part(dest: &Path) {
    let part = part_path(dest);
    let mut journal = part.as_os_str().to_owned();
    journal.push("-journal");
    let _ = std::fs::remove_file(&part);
    let _ = std::fs::remove_file(PathBuf::from(journal));
}

fn build_part(
    archive: &Archive,
    part: &Path,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Result<Stats, BuildError> {
    if let Some(dir) = part.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut conn = Connection::open(part)?;
    // Nothing here needs to survive a crash: the part file is thrown away and rebuilt.
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -8000;
         PRAGMA temp_store = FILE;",
    )?;
    conn.execute_batch(SCHEMA)?;

    // 1. The directory.
    let mut articles: Vec<(u32, u32)> = Vec::new();
    let mut redirects: Vec<u32> = Vec::new();
    for i in 0..archive.entry_count() {
        if i % WALK_CHECK == WALK_CHECK - 1 && !progress(0) {
            return Err(BuildError::Stopped);
        }
        let e = archive.entry_at(i)?;
        if !is_content(archive, &e) {
            continue;
        }
        match &e.kind {
            EntryKind::Content { mime, cluster, .. } if is_html(mime) => {
                articles.push((*cluster, i));
            }
            EntryKind::Redirect { .. } => redirects.push(i),
            _ => {}
        }
    }
    articles.sort_unstable();

    // 2. The articles, cluster by cluster.
    let mut stats = Stats::default();
    for batch in articles.chunks(BATCH) {
        let tx = conn.transaction()?;
        {
            // An article's row is its entry number: the search reads its title, path and text
            // from the collection by it.
            let mut art =
                tx.prepare_cached("INSERT INTO articles (rowid, title, body) VALUES (?1, ?2, ?3)")?;
            let mut tit = tx.prepare_cached(
                "INSERT INTO titles (key, title, shown, path) VALUES (?1, ?2, ?2, ?3)",
            )?;
            for &(_, i) in batch {
                let e = archive.entry_at(i)?;
                let body = match archive.blob(&e).and_then(|b| b.to_vec()) {
                    Ok(bytes) => bytes_to_text(&bytes),
                    Err(err) => {
                        stats.unreadable += 1;
                        if stats.first_error.is_none() {
                            stats.first_error = Some(format!("{}: {err}", e.path));
                        }
                        continue;
                    }
                };
                let path = archive.content_path(&e);
                let title = strip_arabic_marks(&e.title);
                art.execute(params![i64::from(i), title, strip_arabic_marks(&body)])?;
                tit.execute(params![fold(&e.title), e.title, path])?;
                stats.articles += 1;
            }
        }
        tx.commit()?;
        if !progress(stats.articles) {
            return Err(BuildError::Stopped);
        }
    }
    if stats.articles == 0
        && let Some(e) = &stats.first_error
    {
        return Err(BuildError::Zim(zim::Error::Corrupt(e.clone())));
    }

    // 3. Redirects, as alternative titles of the articles they lead to.
    for batch in redirects.chunks(BATCH) {
        let tx = conn.transaction()?;
        {
            let mut tit = tx.prepare_cached(
                "INSERT INTO titles (key, title, shown, path) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for &i in batch {
                let e = archive.entry_at(i)?;
                // A broken redirect (a loop, a target outside the list) is no title.
                let Ok(target) = archive.resolve(e.clone()) else {
                    continue;
                };
                match &target.kind {
                    EntryKind::Content { mime, .. }
                        if is_html(mime) && is_content(archive, &target) =>
                    {
                        // Shown under its article's title.
                        tit.execute(params![
                            fold(&e.title),
                            e.title,
                            target.title,
                            archive.content_path(&target)
                        ])?;
                        stats.aliases += 1;
                    }
                    _ => {}
                }
            }
        }
        tx.commit()?;
        if !progress(stats.articles) {
            return Err(BuildError::Stopped);
        }
    }

    // 4. Finish.
    conn.execute_batch(TITLES_INDEX)?;
    conn.execute("INSERT INTO articles (articles) VALUES ('optimize')", [])?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('version', ?1), ('articles', ?2), \
         ('aliases', ?3), ('built_at', ?4)",
        params![
            VERSION,
            stats.articles.to_string(),
            stats.aliases.to_string(),
            crate::now().to_string()
        ],
    )?;
    conn.execute_batch("PRAGMA optimize")?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A manual measure, not a test: `CARTABLE_INDEX_BENCH=lib.zim cargo test --lib --
    /// --ignored --nocapture index_bench` indexes a collection (tests/bench/make_library.py
    /// writes one) and times queries on it. Timings are printed, never asserted.
    #[test]
    #[ignore]
    fn index_bench() {
        let Ok(zim) = std::env::var("CARTABLE_INDEX_BENCH") else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("bench.sqlite");
        let archive = Archive::open(Path::new(&zim)).unwrap();
        let t = std::time::Instant::now();
        let stats = build(&archive, &dest, &mut |_| true).unwrap();
        eprintln!(
            "indexed {} articles, {} aliases in {:.1} s, {} MiB",
            stats.articles,
            stats.aliases,
            t.elapsed().as_secs_f64(),
            std::fs::metadata(&dest).unwrap().len() >> 20
        );
        let timed = |label: &str, f: &mut dyn FnMut()| {
            let mut ms: Vec<f64> = (0..200)
                .map(|_| {
                    let t = std::time::Instant::now();
                    f();
                    t.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            ms.sort_by(f64::total_cmp);
            eprintln!("{label}: p50 {:.2} ms, p99 {:.2} ms", ms[100], ms[197]);
        };
        for q in [
            "aussi",
            "aussi atome",
            "réaliste",
            "realiste",
            "ornithorynque",
            "zzyzxquok",
        ] {
            let fts = super::super::fts_query(q).unwrap();
            let terms = super::super::terms(q);
            timed(
                &format!("full text {q:?} (open, rank 21, count, 20 snippets)"),
                &mut || {
                    let c = super::super::open(&dest).unwrap();
                    let hits = super::super::search(&c, &fts, 0, 21).unwrap();
                    super::super::count(&c, &fts, 10_000).unwrap();
                    for h in hits.iter().take(20) {
                        let e = archive.entry_at(h.entry).unwrap();
                        let text = bytes_to_text(&archive.blob(&e).unwrap().to_vec().unwrap());
                        super::super::snippet::snippet(&text, &terms);
                    }
                },
            );
        }
        for q in ["Éco", "Rivière gl", "riviere", "M", "Œuvre", "Zzyzx"] {
            timed(&format!("suggest {q:?} (open, query)"), &mut || {
                let c = super::super::open(&dest).unwrap();
                super::super::suggest(&c, q, 10).unwrap();
            });
        }
    }

    #[test]
    fn part_names() {
        let d = Path::new("/x/index/abc.sqlite");
        assert_eq!(part_path(d), Path::new("/x/index/abc.sqlite.part"));
        assert!(is_html("text/html; charset=utf-8"));
        assert!(is_html("TEXT/HTML"));
        assert!(!is_html("text/css"));
    }
}
