//! Searching the offline library (issue #18) through the real server: the libzim-written
//! collections installed, the background indexer left to build their indexes, then title
//! suggestions (accents folded, Arabic), full text with snippets, FTS syntax typed by a pupil,
//! one search across two collections, who sees what, titles only before an index is ready,
//! a removed collection's hits gone, and an interrupted build started over at the next start.

use crate::support::{self, TestServer};
use cartable::auth::{Allowed, Role, SchoolAudience};
use cartable::library::index::worker;
use cartable::library::registry::{self, Collection, IndexState};
use cartable::library::{self as library, install};
use std::time::{Duration, Instant};

async fn add(s: &TestServer, file: &str, audience: SchoolAudience) -> Collection {
    let c = s
        .install_zim(&support::zim_fixtures().join(file), audience)
        .await;
    worker::wake();
    c
}

async fn state(s: &TestServer, name: &str) -> Option<Collection> {
    let name = name.to_owned();
    s.running
        .app
        .db
        .read(move |c| Ok(registry::by_name(c, &name)?))
        .await
        .unwrap()
}

/// Waits for the collection's index to be ready (the indexer polls every 30 s, and is woken
/// by `add`).
async fn ready(s: &TestServer, name: &str) -> Collection {
    let start = Instant::now();
    loop {
        let c = state(s, name).await.expect("the collection is installed");
        match c.index {
            IndexState::Ready => return c,
            IndexState::Failed => panic!("indexing {name} failed: {}", c.index_error),
            _ => {}
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the index of {name} is not ready after 2 minutes: {:?} {}",
            c.index,
            c.index_done
        );
        worker::wake();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn set_state(s: &TestServer, c: &Collection, st: IndexState, done: u64) {
    let id = c.id;
    s.running
        .app
        .db
        .write(move |tx| Ok(registry::set_index_state(tx, id, st, done, "")?))
        .await
        .unwrap();
}

async fn suggest(
    c: &reqwest::Client,
    s: &TestServer,
    query: &[(&str, &str)],
) -> Vec<serde_json::Value> {
    let r = c
        .get(s.url("/library/suggest"))
        .query(query)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{query:?}");
    assert_eq!(
        r.headers()["cache-control"].to_str().unwrap(),
        "private, max-age=60"
    );
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    r.json().await.unwrap()
}

fn titles(v: &[serde_json::Value]) -> Vec<String> {
    v.iter()
        .map(|h| h["title"].as_str().unwrap().to_owned())
        .collect()
}

fn urls(v: &[serde_json::Value]) -> Vec<String> {
    v.iter()
        .map(|h| h["url"].as_str().unwrap().to_owned())
        .collect()
}

async fn search(c: &reqwest::Client, s: &TestServer, query: &[(&str, &str)]) -> String {
    let r = c
        .get(s.url("/library/search"))
        .query(query)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{query:?}");
    support::plain(&r.text().await.unwrap())
}

/// The part of the page with the full-text hits.
fn text_hits(page: &str) -> &str {
    page.split("id=\"text-hits\"").nth(1).unwrap_or("")
}

#[tokio::test]
async fn titles_and_full_text_across_two_collections() {
    let s = TestServer::start().await;
    s.user("prof", Role::Teacher).await;
    let t0 = Instant::now();
    let a = add(&s, "zstd.zim", SchoolAudience::School).await;
    let b = add(&s, "none.zim", SchoolAudience::School).await;
    assert_ne!(a.name, b.name);
    let a = ready(&s, &a.name).await;
    let b = ready(&s, &b.name).await;
    eprintln!(
        "both fixtures indexed in {:.2} s",
        t0.elapsed().as_secs_f64()
    );
    // 206 HTML articles: the 5 named ones, 200 fillers, and the main page's "Accueil".
    assert!(a.index_done >= 205, "{}", a.index_done);
    assert!(library::index_path(s.running.app.library.dir(), &a.uuid).exists());
    let c = s.logged_in("prof").await;

    // Suggestions: accents and case folded, in one collection or all.
    let one = [("c", a.name.as_str())];
    for q in ["ecole", "École", "ECOLE", "éCo"] {
        let v = suggest(&c, &s, &[one[0], ("q", q)]).await;
        let t = titles(&v);
        assert!(t.iter().any(|t| t == "École primaire"), "{q}: {t:?}");
        assert!(
            urls(&v)
                .iter()
                .all(|u| u.starts_with(&format!("/library/{}/", a.name)))
        );
        assert_eq!(
            v[0]["collection"].as_str().unwrap(),
            a.title,
            "{q}: labelled by collection"
        );
    }
    let v = suggest(&c, &s, &[one[0], ("q", "garc")]).await;
    assert_eq!(titles(&v), ["Garçon"]);
    assert_eq!(
        urls(&v),
        [format!("/library/{}/Gar%C3%A7on", a.name)],
        "percent-encoded path"
    );
    // The redirect "Ecole" leads to École primaire's path.
    let v = suggest(&c, &s, &[one[0], ("q", "Ecole")]).await;
    assert_eq!(
        titles(&v)[0],
        "École primaire",
        "a redirect shown as its target"
    );
    assert_eq!(
        urls(&v)[0],
        format!("/library/{}/%C3%89cole_primaire", a.name)
    );
    // Arabic, with and without vowel marks.
    for q in ["مد", "مَدْ", "مدرسة"] {
        let v = suggest(&c, &s, &[one[0], ("q", q)]).await;
        assert_eq!(titles(&v), ["مدرسة"], "{q}");
    }
    // Ten at most, shorter titles first.
    let v = suggest(&c, &s, &[one[0], ("q", "article")]).await;
    assert_eq!(v.len(), 10);
    assert_eq!(titles(&v)[0], "Article 000");
    assert!(suggest(&c, &s, &[one[0], ("q", "")]).await.is_empty());
    assert!(suggest(&c, &s, &[one[0], ("q", "zzzz")]).await.is_empty());
    // Across both: each collection's article, labelled.
    let v = suggest(&c, &s, &[("q", "garçon")]).await;
    let u = urls(&v);
    assert_eq!(u.len(), 2, "{u:?}");
    assert!(u.contains(&format!("/library/{}/Gar%C3%A7on", a.name)));
    assert!(u.contains(&format!("/library/{}/Gar%C3%A7on", b.name)));

    // Full text: accents folded both ways, snippets marked.
    let page = search(&c, &s, &[one[0], ("q", "ecole")]).await;
    let hits = text_hits(&page);
    assert!(hits.contains("Gar%C3%A7on"), "{page}");
    assert!(hits.contains("<mark>école</mark>"), "{hits}");
    assert!(page.contains("id=\"title-hits\""));
    let page = search(&c, &s, &[one[0], ("q", "récréation CANTINE")]).await;
    let hits = text_hits(&page);
    assert!(hits.contains("%C3%89cole_primaire"), "{page}");
    assert!(hits.contains("<mark>récréation</mark>") && hits.contains("<mark>cantine</mark>"));
    let page = search(&c, &s, &[one[0], ("q", "التلاميذ")]).await;
    assert!(text_hits(&page).contains("<mark>التلاميذ</mark>"), "{page}");
    // Words in no article.
    let page = search(&c, &s, &[one[0], ("q", "xylophone")]).await;
    assert!(page.contains("id=\"no-hits\""));
    assert!(page.contains("<span class=\"count\">0</span>"));

    // Across both collections: hits from each, labelled with the collection.
    let page = search(&c, &s, &[("q", "cantine")]).await;
    let hits = text_hits(&page);
    assert!(hits.contains(&format!("/library/{}/", a.name)), "{page}");
    assert!(hits.contains(&format!("/library/{}/", b.name)), "{page}");
    assert!(page.contains("<span class=\"count\">2</span>"), "{page}");

    // Paging: the 200 fillers all hold common words.
    let page = search(&c, &s, &[one[0], ("q", "lune")]).await;
    assert!(page.contains("rel=\"next\""), "{page}");
    let first = text_hits(&page).to_owned();
    let page2 = search(&c, &s, &[one[0], ("q", "lune"), ("page", "1")]).await;
    assert!(page2.contains("rel=\"prev\""));
    assert_ne!(text_hits(&page2), first);
    let far = search(&c, &s, &[one[0], ("q", "lune"), ("page", "99999")]).await;
    assert!(!far.contains("rel=\"next\""));
    search(&c, &s, &[one[0], ("q", "lune"), ("page", "-3")]).await;

    // The box alone, prefilled when there is a query.
    let empty = search(&c, &s, &[]).await;
    assert!(empty.contains("name=\"q\" value=\"\""));
    assert!(!empty.contains("id=\"count\""));
    let page = search(&c, &s, &[("q", "<b>\"école\"</b>")]).await;
    assert!(
        page.contains("value=\"&lt;b&gt;&quot;école&quot;&lt;"),
        "{page}"
    );
    assert!(!page.contains("<b>\"école"));

    // An unknown collection is a 404.
    let r = c
        .get(s.url("/library/search?q=ecole&c=nothing"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = c
        .get(s.url("/library/suggest?q=ecole&c=nothing"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn fts_syntax_typed_is_only_words() {
    let s = TestServer::start().await;
    s.user("prof", Role::Teacher).await;
    let a = add(&s, "zstd.zim", SchoolAudience::School).await;
    ready(&s, &a.name).await;
    let c = s.logged_in("prof").await;
    for q in [
        "\"",
        "\"école",
        "école\"",
        "*",
        "lune*",
        "*lune",
        "NEAR(",
        "NEAR(lune soleil, 2)",
        "a OR",
        "OR",
        "AND",
        "NOT",
        "lune NOT soleil",
        "-x",
        "-",
        "col:val",
        "title:école",
        "(",
        ")",
        "((lune",
        "lune))",
        "^école",
        "+",
        "{title body}: école",
        "'; DROP TABLE titles; --",
        "\\",
        "%",
        "_",
        "\u{0}",
        "\u{2}école\u{3}",
        &"é".repeat(500),
        &"mot ".repeat(100),
    ] {
        let page = search(&c, &s, &[("q", q)]).await;
        assert!(page.contains("id=\"count\""), "{q:?}");
        suggest(&c, &s, &[("q", q)]).await;
    }
    // The words around the syntax are still searched, as words.
    for q in [
        "((récréation",
        "récréation\"",
        "-cantine",
        "cantine:",
        "^cantine*",
    ] {
        let page = search(&c, &s, &[("q", q)]).await;
        assert!(
            text_hits(&page).contains("%C3%89cole_primaire"),
            "{q}: {page}"
        );
    }
    // Operators are words too, and every word is required: no article holds "near".
    let page = search(&c, &s, &[("q", "NEAR(récréation")]).await;
    assert!(page.contains("id=\"no-hits\""), "{page}");
    let page = search(&c, &s, &[("q", "title:cantine")]).await;
    assert!(
        page.contains("id=\"no-hits\""),
        "'title' is a word here, in no article"
    );
}

#[tokio::test]
async fn pupils_see_only_their_collections_and_anonymous_is_sent_to_login() {
    let s = TestServer::start().await;
    s.user("prof", Role::Teacher).await;
    let pa = s.user("pupil_a", Role::Pupil).await;
    let pb = s.user("pupil_b", Role::Pupil).await;
    let ca = s.class("6A").await;
    let cb = s.class("6B").await;
    s.add_member(ca, pa).await;
    s.add_member(cb, pb).await;
    let staff = add(&s, "zstd.zim", SchoolAudience::Staff).await;
    let class_a = add(&s, "none.zim", SchoolAudience::Classes(vec![ca])).await;
    ready(&s, &staff.name).await;
    ready(&s, &class_a.name).await;

    let a = s.logged_in("pupil_a").await;
    let v = suggest(&a, &s, &[("q", "garçon")]).await;
    assert_eq!(urls(&v), [format!("/library/{}/Gar%C3%A7on", class_a.name)]);
    let page = search(&a, &s, &[("q", "cantine")]).await;
    assert!(text_hits(&page).contains(&format!("/library/{}/", class_a.name)));
    assert!(
        !page.contains(&format!("/library/{}/", staff.name)),
        "{page}"
    );
    assert!(
        !page.contains(&format!("value=\"{}\"", staff.name)),
        "not in the chooser"
    );
    // Named, the staff collection does not exist for a pupil.
    for path in ["/library/suggest", "/library/search"] {
        let r = a
            .get(s.url(path))
            .query(&[("q", "cantine"), ("c", staff.name.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }

    let b = s.logged_in("pupil_b").await;
    assert!(suggest(&b, &s, &[("q", "garçon")]).await.is_empty());
    let page = search(&b, &s, &[("q", "cantine")]).await;
    assert!(!page.contains("/library/cartable"), "{page}");
    assert!(page.contains("id=\"no-collections\""));

    let prof = s.logged_in("prof").await;
    assert_eq!(suggest(&prof, &s, &[("q", "garçon")]).await.len(), 2);

    let anon = s.client();
    for path in ["/library/suggest?q=ecole", "/library/search?q=ecole"] {
        let r = anon.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 303, "{path}");
        assert!(support::location(&r).starts_with("/login"), "{path}");
    }
}

#[tokio::test]
async fn titles_only_until_the_index_is_ready() {
    let s = TestServer::start().await;
    s.user("prof", Role::Teacher).await;
    s.user_in("prof_ar", Role::Teacher, "ar").await;
    let a = add(&s, "zstd.zim", SchoolAudience::School).await;
    let a = ready(&s, &a.name).await;
    // As if the indexer were half-way: the ZIM's own title list answers (exact bytes, or
    // with a capital first letter), and the page says what is coming.
    set_state(&s, &a, IndexState::Building, 50).await;
    let c = s.logged_in("prof").await;
    let one = ("c", a.name.as_str());
    assert_eq!(
        titles(&suggest(&c, &s, &[one, ("q", "Garç")]).await),
        ["Garçon"]
    );
    assert_eq!(
        titles(&suggest(&c, &s, &[one, ("q", "garç")]).await),
        ["Garçon"]
    );
    assert_eq!(
        titles(&suggest(&c, &s, &[one, ("q", "école")]).await),
        ["École primaire"]
    );
    assert_eq!(
        titles(&suggest(&c, &s, &[one, ("q", "مدر")]).await),
        ["مدرسة"]
    );
    // Unfolded: no accent-free match of an accented title...
    assert!(!titles(&suggest(&c, &s, &[one, ("q", "garc")]).await).contains(&"Garçon".into()));
    // ...but the "Ecole" redirect is a title of its own, shown as its target.
    let v = suggest(&c, &s, &[one, ("q", "ecole")]).await;
    assert_eq!(titles(&v), ["École primaire"]);
    assert_eq!(
        urls(&v),
        [format!("/library/{}/%C3%89cole_primaire", a.name)]
    );
    let page = search(&c, &s, &[one, ("q", "Garçon")]).await;
    assert!(page.contains("id=\"title-hits\""));
    assert!(!page.contains("id=\"text-hits\""));
    let total = a.article_count.to_string();
    assert!(
        page.contains(&format!("(50 articles sur {total})")),
        "{page}"
    );
    let ar = s.logged_in("prof_ar").await;
    let page = search(&ar, &s, &[one, ("q", "Garçon")]).await;
    assert!(page.contains("dir=\"rtl\""));
    assert!(page.contains("يجري تحضير البحث"), "{page}");

    set_state(&s, &a, IndexState::Failed, 0).await;
    let page = search(&c, &s, &[one, ("q", "Garçon")]).await;
    assert!(page.contains("pas disponible"), "{page}");
    assert_eq!(
        titles(&suggest(&c, &s, &[one, ("q", "Garç")]).await),
        ["Garçon"]
    );
}

#[tokio::test]
async fn a_removed_collection_leaves_no_hits() {
    let s = TestServer::start().await;
    s.user("prof", Role::Teacher).await;
    let a = add(&s, "zstd.zim", SchoolAudience::School).await;
    let b = add(&s, "none.zim", SchoolAudience::School).await;
    let a = ready(&s, &a.name).await;
    ready(&s, &b.name).await;
    let c = s.logged_in("prof").await;
    assert_eq!(suggest(&c, &s, &[("q", "garçon")]).await.len(), 2);
    let (db, dir) = (
        s.running.app.db.clone(),
        s.running.app.library.dir().to_owned(),
    );
    let gone = a.clone();
    tokio::task::spawn_blocking(move || {
        install::remove(&db, &dir, &gone, &Allowed::system("test")).unwrap()
    })
    .await
    .unwrap();
    assert!(!library::index_path(s.running.app.library.dir(), &a.uuid).exists());
    let v = suggest(&c, &s, &[("q", "garçon")]).await;
    assert_eq!(urls(&v), [format!("/library/{}/Gar%C3%A7on", b.name)]);
    let page = search(&c, &s, &[("q", "cantine")]).await;
    assert!(!page.contains(&format!("/library/{}/", a.name)), "{page}");
    assert!(text_hits(&page).contains(&format!("/library/{}/", b.name)));
    let r = c
        .get(s.url("/library/suggest"))
        .query(&[("q", "garçon"), ("c", a.name.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn an_interrupted_build_starts_over_at_the_next_start() {
    let s = TestServer::start().await;
    s.user("prof", Role::Teacher).await;
    let a = add(&s, "zstd.zim", SchoolAudience::School).await;
    let a = ready(&s, &a.name).await;
    let dir = s.running.app.library.dir().to_owned();
    let index = library::index_path(&dir, &a.uuid);
    // What a kill -9 mid-build leaves: the registry says building, a part file lies beside
    // the index (and no finished file, for a first build), an orphan from a removed one.
    set_state(&s, &a, IndexState::Building, 100).await;
    let data = s.stop();
    std::fs::remove_file(&index).unwrap();
    let part = cartable::library::index::build::part_path(&index);
    std::fs::write(&part, b"half an index").unwrap();
    let orphan = library::index_path(&dir, "0123456789abcdef0123456789abcdef");
    std::fs::write(&orphan, b"left by a removed collection").unwrap();

    let s = TestServer::start_in(data).await;
    let a = ready(&s, &a.name).await;
    assert!(a.index_done >= 205);
    assert!(index.exists());
    assert!(!part.exists());
    assert!(!orphan.exists());
    let c = s.logged_in("prof").await;
    let page = search(&c, &s, &[("q", "cantine")]).await;
    assert!(text_hits(&page).contains("%C3%89cole_primaire"), "{page}");
}

#[test]
fn a_build_told_to_stop_leaves_nothing() {
    use cartable::library::index::build;
    use cartable::library::zim::Archive;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("index").join("x.sqlite");
    let archive = Archive::open(&support::zim_fixtures().join("zstd.zim")).unwrap();
    // A stale part file from a killed build is replaced, not appended to.
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::write(build::part_path(&dest), b"stale").unwrap();
    let mut calls = 0;
    let r = build::build(&archive, &dest, &mut |_| {
        calls += 1;
        false
    });
    assert!(matches!(r, Err(build::BuildError::Stopped)), "{r:?}");
    assert_eq!(calls, 1);
    assert!(!dest.exists());
    assert!(!build::part_path(&dest).exists());
    // Told to go on, the same build finishes, and its file opens.
    std::fs::write(build::part_path(&dest), b"stale").unwrap();
    let stats = build::build(&archive, &dest, &mut |_| true).unwrap();
    assert!(stats.articles >= 205 && stats.aliases >= 2, "{stats:?}");
    assert_eq!(stats.unreadable, 0);
    assert!(!build::part_path(&dest).exists());
    let c = cartable::library::index::open(&dest).unwrap();
    let hits = cartable::library::index::suggest(&c, "vers acc", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0].title, "Accueil",
        "a redirect's title shows its target's"
    );
    assert_eq!(hits[0].path, "Accueil");
}
