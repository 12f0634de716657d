//! The reader against files written by a real ZIM writer (PyPI's `libzim`, through
//! `tests/library/make_zim.py`), then against corrupt copies of them.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::*;

/// The generated files, once per test process.
fn fixtures() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/library/make_zim.py");
        let out = std::process::Command::new("python3")
            .arg(&script)
            .arg(dir.path())
            .output()
            .expect("python3 is needed to write the test ZIM files");
        assert!(
            out.status.success(),
            "{} failed (it needs PyPI's libzim: pip install libzim):\n{}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
    .path()
}

fn expected() -> serde_json::Value {
    let text = std::fs::read_to_string(fixtures().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn unhex(s: &serde_json::Value) -> Vec<u8> {
    hex::decode(s.as_str().unwrap()).unwrap()
}

const ALL: [&str; 5] = [
    "zstd.zim",
    "none.zim",
    "xz.zim",
    "xz-extended.zim",
    "split.zimaa",
];

#[test]
fn reads_every_entry_back_byte_for_byte_in_each_compression_and_the_split_archive() {
    let expected = expected();
    for name in ALL {
        let archive =
            Archive::open(&fixtures().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(archive.header().new_namespace_scheme(), "{name}");
        for e in expected["entries"].as_array().unwrap() {
            let path = e["path"].as_str().unwrap();
            let entry = archive
                .entry_by_path(path)
                .unwrap()
                .unwrap_or_else(|| panic!("{name}: {path}"));
            assert_eq!(entry.mime(), e["mime"].as_str(), "{name}: {path}");
            assert_eq!(entry.title, e["title"].as_str().unwrap(), "{name}: {path}");
            assert_eq!(archive.content_path(&entry), path);
            let blob = archive.blob(&entry).unwrap();
            assert_eq!(blob.to_vec().unwrap(), unhex(&e["hex"]), "{name}: {path}");
        }
        assert_eq!(archive.entry_by_path("Nulle_part").unwrap(), None);
        assert_eq!(archive.entry_by_path("").unwrap(), None);
    }
    assert_eq!(
        Archive::open(&fixtures().join("split.zimaa"))
            .unwrap()
            .paths()
            .len(),
        3
    );
}

#[test]
fn media_in_an_uncompressed_cluster_is_read_from_the_file_by_range() {
    let archive = Archive::open(&fixtures().join("zstd.zim")).unwrap();
    let entry = archive.entry_by_path("media/son.ogg").unwrap().unwrap();
    let blob = archive.blob(&entry).unwrap();
    assert!(!blob.is_in_memory());
    assert_eq!(blob.len(), 300_000);
    let all = blob.to_vec().unwrap();
    assert_eq!(blob.read_range(1000, 10).unwrap(), all[1000..1010]);
    assert_eq!(blob.read_range(299_995, 100).unwrap(), all[299_995..]);
    assert!(blob.read_range(400_000, 10).unwrap().is_empty());
}

#[test]
fn follows_redirects_and_finds_the_main_page() {
    for name in ALL {
        let archive = Archive::open(&fixtures().join(name)).unwrap();
        let ecole = archive.entry_by_path("Ecole").unwrap().unwrap();
        assert!(ecole.is_redirect());
        let target = archive.resolve(ecole).unwrap();
        assert_eq!(target.path, "École_primaire");
        assert!(
            String::from_utf8(archive.blob(&target).unwrap().to_vec().unwrap())
                .unwrap()
                .contains("L'école primaire")
        );
        assert_eq!(
            archive.main_entry().unwrap().unwrap().path,
            "Accueil",
            "{name}"
        );
    }
}

#[test]
fn reads_the_metadata_and_illustration() {
    let expected = expected();
    for name in ALL {
        let m = Archive::open(&fixtures().join(name))
            .unwrap()
            .metadata_summary();
        assert_eq!(
            m.title.as_deref(),
            expected["metadata"]["Title"].as_str(),
            "{name}"
        );
        assert_eq!(
            m.description.as_deref(),
            expected["metadata"]["Description"].as_str()
        );
        assert_eq!(m.language.as_deref(), Some("fra"));
        assert_eq!(m.creator.as_deref(), Some("Cartable"));
        assert_eq!(m.date.as_deref(), Some("2026-12-07"));
        assert_eq!(
            m.illustration_48,
            Some(unhex(&expected["illustration_48_hex"]))
        );
    }
}

#[test]
fn lists_titles_by_prefix_with_accents_and_arabic() {
    for name in ALL {
        let archive = Archive::open(&fixtures().join(name)).unwrap();
        let titles = |p: &str, n| -> Vec<String> {
            archive
                .titles_with_prefix(p, n)
                .unwrap()
                .into_iter()
                .map(|e| e.title)
                .collect()
        };
        assert_eq!(
            titles("Article 01", 3),
            ["Article 010", "Article 011", "Article 012"],
            "{name}"
        );
        assert_eq!(titles("Article 19", 100).len(), 10);
        assert_eq!(titles("Éc", 5), ["École primaire"]);
        assert_eq!(titles("Gar", 5), ["Garçon"]);
        assert_eq!(titles("مد", 5), ["مدرسة"]);
        assert!(titles("Zzz", 5).is_empty());
        assert!(titles("", 3).len() == 3);
    }
}

#[test]
fn the_cache_holds_to_its_bound_and_is_shared() {
    let cache = Arc::new(ClusterCache::new(40 * 1024));
    let options = Options {
        cache: Some(cache.clone()),
        ..Options::default()
    };
    let a = Archive::open_with(&fixtures().join("zstd.zim"), options.clone()).unwrap();
    let b = Archive::open_with(&fixtures().join("xz.zim"), options).unwrap();
    for i in 0..200 {
        for archive in [&a, &b] {
            let e = archive
                .entry_by_path(&format!("Article_{i:03}"))
                .unwrap()
                .unwrap();
            archive.blob(&e).unwrap().to_vec().unwrap();
            assert!(cache.bytes() <= cache.capacity());
        }
    }
    assert!(!cache.is_empty());
    cache.forget_archive(a.id());
    cache.forget_archive(b.id());
    assert_eq!((cache.len(), cache.bytes()), (0, 0));
}

#[test]
fn lru_evicts_the_least_recently_used() {
    // Weights are whole pages (a cluster is a mapping of its own).
    const PAGE: usize = 4096;
    let cache = ClusterCache::new(100 * PAGE);
    let c = |pages: usize| Arc::new(cluster::Cluster::filled(pages * PAGE));
    cache.insert((1, 0), c(40));
    cache.insert((1, 1), c(40));
    assert!(cache.get((1, 0)).is_some());
    cache.insert((1, 2), c(40));
    assert!(cache.get((1, 1)).is_none());
    assert!(cache.get((1, 0)).is_some() && cache.get((1, 2)).is_some());
    cache.insert((1, 3), c(101));
    assert!(cache.get((1, 3)).is_none());
    assert_eq!(cache.bytes(), 80 * PAGE);
}

/// Readers missing at once decompress each cluster once, never more at a time than the gate
/// allows, and a failed decompression leaves the way open for the next reader.
#[test]
fn misses_are_decompressed_once_and_a_few_at_a_time() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let cache = Arc::new(ClusterCache::new(1 << 20));
    let (made, running, most) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let threads: Vec<_> = (0..24)
        .map(|i| {
            let (cache, made, running, most) =
                (cache.clone(), made.clone(), running.clone(), most.clone());
            std::thread::spawn(move || {
                let key = (7, i % 3);
                let c = cache
                    .load(key, move || {
                        made.fetch_add(1, Ordering::SeqCst);
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(30));
                        running.fetch_sub(1, Ordering::SeqCst);
                        Ok::<_, Error>(cluster::Cluster::filled(4096))
                    })
                    .unwrap();
                assert_eq!(c.weight(), 4096);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(
        made.load(Ordering::SeqCst),
        3,
        "one decompression per cluster"
    );
    assert!(most.load(Ordering::SeqCst) <= 4);
    let failed = cache.load((8, 0), || Err::<cluster::Cluster, _>(Error::NotZim));
    assert!(failed.is_err());
    let again = cache.load((8, 0), || Ok::<_, Error>(cluster::Cluster::filled(10)));
    assert!(again.is_ok());
}

#[test]
fn a_cluster_over_the_size_limit_is_refused() {
    let options = Options {
        max_cluster_bytes: 1000,
        ..Options::default()
    };
    for name in ["zstd.zim", "xz.zim"] {
        let archive = Archive::open_with(&fixtures().join(name), options.clone());
        // Opening may already need the title index's cluster.
        let Ok(archive) = archive else { continue };
        let e = archive.entry_by_path("Article_100").unwrap().unwrap();
        assert!(
            matches!(archive.blob(&e), Err(Error::ClusterTooLarge { .. })),
            "{name}"
        );
    }
}

/// Reads everything the archive offers; any error is fine, a panic or a hang is not.
fn exercise(archive: &Archive) {
    for i in 0..archive.entry_count().min(400) {
        if let Ok(e) = archive.entry_at(i)
            && let Ok(e) = archive.resolve(e)
            && let Ok(b) = archive.blob(&e)
        {
            let _ = b.read_range(0, 1 << 20);
        }
    }
    for path in ["Accueil", "Ecole", "École_primaire", "media/son.ogg", "zzz"] {
        if let Ok(Some(e)) = archive.entry_by_path(path) {
            let _ = archive.resolve(e);
        }
    }
    let _ = archive.main_entry();
    let _ = archive.titles_with_prefix("Art", 20);
    let _ = archive.metadata_summary();
}

fn corrupt_copy(name: &str, edit: impl FnOnce(&mut Vec<u8>)) -> (tempfile::TempDir, PathBuf) {
    let mut bytes = std::fs::read(fixtures().join(name)).unwrap();
    edit(&mut bytes);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.zim");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

fn header_u64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

#[test]
fn zero_length_non_zim_and_missing_files_are_refused_clearly() {
    let (_d, empty) = corrupt_copy("zstd.zim", |b| b.clear());
    assert!(matches!(Archive::open(&empty), Err(Error::Empty(_))));
    let (_d, text) = corrupt_copy("zstd.zim", |b| *b = b"<html>not a zim</html>".to_vec());
    let err = Archive::open(&text).unwrap_err();
    assert!(matches!(err, Error::NotZim), "{err}");
    assert!(err.to_string().contains("not a ZIM file"));
    let (_d, v7) = corrupt_copy("zstd.zim", |b| b[4] = 7);
    assert!(matches!(
        Archive::open(&v7),
        Err(Error::Version { major: 7, .. })
    ));
    assert!(matches!(
        Archive::open(Path::new("/nonexistent/x.zim")),
        Err(Error::Io { .. })
    ));
    assert!(matches!(
        Archive::open(Path::new("/nonexistent/x.zimab")),
        Err(Error::SplitName(_))
    ));
}

#[test]
fn truncated_files_are_refused_at_open() {
    let size = std::fs::metadata(fixtures().join("zstd.zim"))
        .unwrap()
        .len() as usize;
    for keep in [3, 10, 79, 80, 81, 2048, size / 2, size - 17, size - 1] {
        let (_d, path) = corrupt_copy("zstd.zim", |b| b.truncate(keep));
        let err = Archive::open(&path).expect_err(&format!("truncated to {keep}"));
        assert!(
            matches!(err, Error::Truncated { .. } | Error::NotZim),
            "truncated to {keep}: {err}"
        );
    }
    // A split archive missing its last part.
    let dir = tempfile::tempdir().unwrap();
    for part in ["aa", "ab"] {
        std::fs::copy(
            fixtures().join(format!("split.zim{part}")),
            dir.path().join(format!("s.zim{part}")),
        )
        .unwrap();
    }
    let err = Archive::open(&dir.path().join("s.zimaa")).unwrap_err();
    assert!(matches!(err, Error::Truncated { .. }), "{err}");
}

#[test]
fn pointers_outside_their_lists_are_refused() {
    // The main page past the last entry.
    let (_d, path) = corrupt_copy("zstd.zim", |b| {
        b[64..68].copy_from_slice(&100_000u32.to_le_bytes())
    });
    assert!(matches!(Archive::open(&path), Err(Error::Corrupt(_))));
    // The URL pointer list past the end of the file.
    let (_d, path) = corrupt_copy("zstd.zim", |b| {
        let far = (b.len() as u64 - 100).to_le_bytes();
        b[32..40].copy_from_slice(&far);
    });
    assert!(matches!(
        Archive::open(&path),
        Err(Error::Truncated { .. } | Error::Corrupt(_))
    ));
    // Every URL pointer aimed past the data, or at the header.
    for target in [u64::MAX, 3] {
        let (_d, path) = corrupt_copy("zstd.zim", |b| {
            let (pos, count) = (
                header_u64(b, 32) as usize,
                u32::from_le_bytes(b[24..28].try_into().unwrap()),
            );
            for i in 0..count as usize {
                b[pos + i * 8..pos + i * 8 + 8].copy_from_slice(&target.to_le_bytes());
            }
        });
        if let Ok(archive) = Archive::open(&path) {
            assert!(archive.entry_at(0).is_err() || target == 3);
            exercise(&archive);
        }
    }
    // Every cluster pointer aimed outside the data.
    let (_d, path) = corrupt_copy("zstd.zim", |b| {
        let (pos, count) = (
            header_u64(b, 48) as usize,
            u32::from_le_bytes(b[28..32].try_into().unwrap()),
        );
        for i in 0..count as usize {
            b[pos + i * 8..pos + i * 8 + 8].copy_from_slice(&(u64::MAX - 1).to_le_bytes());
        }
    });
    if let Ok(archive) = Archive::open(&path) {
        let e = archive.entry_by_path("Accueil").unwrap().unwrap();
        assert!(matches!(archive.blob(&e), Err(Error::Corrupt(_))));
        exercise(&archive);
    }
}

#[test]
fn flipped_bytes_anywhere_give_errors_not_panics() {
    for name in ["zstd.zim", "xz-extended.zim"] {
        let original = std::fs::read(fixtures().join(name)).unwrap();
        let h = |at| header_u64(&original, at) as usize;
        // The pointer lists, the MIME list and the header, then spots through the whole file.
        let mut spots: Vec<usize> = (0..80).collect();
        spots.extend((h(32)..h(32) + 64).step_by(3));
        spots.extend((h(48)..(h(48) + 160).min(original.len())).step_by(5));
        spots.extend((80..200).step_by(7));
        let mut x = 18u64;
        for _ in 0..150 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            spots.push((x >> 33) as usize % original.len());
        }
        for spot in spots {
            let (_d, path) = corrupt_copy(name, |b| b[spot] ^= 0xa5);
            if let Ok(archive) = Archive::open(&path) {
                exercise(&archive);
            }
        }
    }
}

#[test]
fn a_redirect_loop_is_cut() {
    // Point `Ecole`'s redirect at itself.
    let (_d, path) = corrupt_copy("zstd.zim", |b| {
        let archive = Archive::open(&fixtures().join("zstd.zim")).unwrap();
        let ecole = archive.entry_by_path("Ecole").unwrap().unwrap();
        let ptr = header_u64(b, 32) as usize + ecole.index as usize * 8;
        let dirent = header_u64(b, ptr) as usize;
        b[dirent + 8..dirent + 12].copy_from_slice(&ecole.index.to_le_bytes());
    });
    let archive = Archive::open(&path).unwrap();
    let ecole = archive.entry_by_path("Ecole").unwrap().unwrap();
    assert!(matches!(
        archive.resolve(ecole),
        Err(Error::RedirectLoop(..))
    ));
}

#[test]
fn a_collection_truncated_while_open_fails_its_reads_not_the_process() {
    let (_d, path) = corrupt_copy("zstd.zim", |_| {});
    let archive = Archive::open(&path).unwrap();
    let son = archive.entry_by_path("media/son.ogg").unwrap().unwrap();
    let blob = archive.blob(&son).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(5000)
        .unwrap();
    assert!(matches!(blob.to_vec(), Err(Error::Io { .. })));
    let article = archive.entry_by_path("Article_150");
    assert!(article.is_err() || archive.blob(&article.unwrap().unwrap()).is_err());
    std::fs::remove_file(&path).unwrap();
    exercise(&archive);
}

#[test]
fn reads_the_old_namespace_scheme_with_its_header_title_list() {
    let expected = expected();
    let archive = Archive::open(&fixtures().join("v5.zim")).unwrap();
    assert_eq!(
        (
            archive.header().major,
            archive.header().new_namespace_scheme()
        ),
        (5, false)
    );
    assert!(archive.header().title_ptr_pos.is_some());
    for e in expected["entries"].as_array().unwrap() {
        let path = format!("A/{}", e["path"].as_str().unwrap());
        let entry = archive
            .entry_by_path(&path)
            .unwrap()
            .unwrap_or_else(|| panic!("{path}"));
        assert_eq!(archive.content_path(&entry), path);
        assert_eq!(
            archive.blob(&entry).unwrap().to_vec().unwrap(),
            unhex(&e["hex"])
        );
    }
    assert_eq!(archive.entry_by_path("Accueil").unwrap(), None);
    assert_eq!(archive.entry_by_path("M/Title").unwrap(), None);
    let main = archive.main_entry().unwrap().unwrap();
    assert_eq!(archive.content_path(&main), "A/Accueil");
    let ecole = archive
        .resolve(archive.entry_by_path("A/Ecole").unwrap().unwrap())
        .unwrap();
    assert_eq!(ecole.path, "École_primaire");
    let titles: Vec<String> = archive
        .titles_with_prefix("Éc", 5)
        .unwrap()
        .into_iter()
        .map(|e| e.title)
        .collect();
    assert_eq!(titles, ["École primaire"]);
    assert_eq!(
        archive.titles_with_prefix("Article 00", 20).unwrap().len(),
        10
    );
    assert_eq!(archive.metadata_summary().language.as_deref(), Some("fra"));
}
