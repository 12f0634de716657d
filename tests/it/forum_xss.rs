//! The forum against an XSS corpus (`tests/forum/xss.txt`, from the OWASP XSS Filter Evasion
//! Cheat Sheet and Markdown's own ways to make links): every vector goes through the
//! sanitizer on its own, then through the pages as a teacher would type it, as a topic's
//! title and as its body, in a preview, a reply's preview, an edit, and a search box. Every
//! page that shows it (the topic, the category, search results, the edit form, the post's
//! history, the forum's front page and the dashboard with a notification about it) is
//! parsed, and nothing in it may be active: no script, no event handler, no
//! `javascript:`/`vbscript:`/`data:` URL, no frame, object, SVG, form, style, meta, link or
//! base that the page did not already have without the vector. Titles must read back as the
//! text that was typed, escaped, as often as a harmless title does on the same page.
//! (About 2,000 requests; a few seconds in a debug build.)
//!
//! The checker is a small HTML tokenizer of its own (below), more suspicious than a browser:
//! it reads markup inside `<textarea>` and `<title>` as markup too. A page is compared with
//! the same page showing harmless text, so the page's own `<form>`, `<meta>` and `<link>`
//! tags are not counted. `checker_catches_what_it_must` proves it flags what it must, and
//! `a_template_that_stops_escaping_is_caught` that the walk fails on templates with an
//! escape taken out.

use crate::support::*;
use cartable::auth::Role;
use cartable::forum::markdown;

use crate::xss_check::*;

#[test]
fn checker_catches_what_it_must() {
    let none = Baseline::default();
    for bad in [
        "<p>x</p><script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<img/src=x/onerror=alert(1)>",
        "<p title=x\nonclick=alert(1)>x</p>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"java&#x09;script&colon;alert(1)\">x</a>",
        "<a href='&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)'>x</a>",
        "<a href=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)>x</a>",
        "<a href=\" VBScript:x\">x</a>",
        "<a href=\"data:text/html,x\">x</a>",
        "<iframe src=//x></iframe>",
        "<object data=x>",
        "<embed src=x>",
        "<svg><a>x</a></svg>",
        "<math>",
        "<meta http-equiv=refresh content=\"0;url=//x\">",
        "<link rel=stylesheet href=//x>",
        "<base href=//x>",
        "<form action=//x>",
        "<style>p{}</style>",
        "<p style=\"background:url(x)\">x</p>",
        "<a href=javascript:alert(1)",
        "<!--[if IE]><p>-->",
        "<textarea></textarea><img src=x onerror=alert(1)>",
    ] {
        assert!(!active(bad, &none).is_empty(), "the checker missed {bad:?}");
    }
    for fine in [
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=alert(1) javascript:alert(1)</p>",
        "<a href=\"https://ecole.example/x\" rel=\"noopener\">x</a>",
        "<p>1 < 2 et 3 > 2</p>",
        "<!DOCTYPE html><table><tr><td align=\"left\">x</td></tr></table>",
    ] {
        assert!(
            active(fine, &none).is_empty(),
            "the checker flags harmless {fine:?}: {:?}",
            active(fine, &none)
        );
    }
    // A page's own markup is not counted, a vector's copy of a different one is.
    let page = "<html><head><meta charset=\"utf-8\"><link rel=\"stylesheet\" href=\"/static/s.css\">\
                </head><body><form method=\"post\" action=\"/forum/t/12/reply\"></form>";
    let base = Baseline::of(&[page]);
    assert!(active(&page.replace("12", "345"), &base).is_empty());
    assert!(!active(&format!("{page}<meta http-equiv=\"refresh\">"), &base).is_empty());
    assert!(!active(&format!("{page}<form action=\"javascript:x\">"), &base).is_empty());
    // Titles must read back as text.
    assert_title_shown("self-check", "<b>x</b>", "<h1>&lt;b&gt;x&lt;/b&gt;</h1>");
    let unescaped =
        std::panic::catch_unwind(|| assert_title_shown("", "<b>x</b>", "<h1><b>x</b></h1>"));
    assert!(unescaped.is_err(), "an unescaped title must fail");
    assert_eq!(
        scheme(" \u{1}Java\tScript:x").as_deref(),
        Some("javascript")
    );
    assert_eq!(scheme("javascript\u{fffd}:x"), None);
    assert_eq!(scheme("/a:b"), None);
    assert_eq!(unescape(r"a\nb\tc\\d\65\u{3C}"), "a\nb\tc\\d\\65<");
    assert!(
        corpus().len() >= 100,
        "the corpus holds at least 100 vectors"
    );
}

/// The sanitizer alone, vector by vector: only its own tags, nothing active.
/// `FORUM_XSS_DUMP=1` prints what it made of each.
#[test]
fn sanitizer_leaves_every_vector_inert() {
    let mut failures = Vec::new();
    let dump = std::env::var_os("FORUM_XSS_DUMP").is_some();
    for v in corpus() {
        let html = markdown::render(&v);
        if dump {
            eprintln!("{v:?}\n    => {html:?}");
        }
        let p = parse(&html);
        let mut bad: Vec<(&str, String)> =
            findings(&p).into_iter().map(|f| (f.why, f.shape)).collect();
        for t in &p.tags {
            if !has(SANITIZER_TAGS, &t.name) {
                bad.push(("tag the sanitizer does not keep", t.shape.clone()));
            }
            for (name, value) in &t.attrs {
                let ok = matches!(
                    (t.name.as_str(), name.as_str()),
                    ("a", "href" | "title" | "rel") | ("th" | "td", "align") | ("ol", "start")
                ) || (matches!(t.name.as_str(), "p" | "li")
                    && name == "dir"
                    && value == "auto");
                if !ok {
                    bad.push(("attribute the sanitizer does not keep", t.shape.clone()));
                }
                if name == "href"
                    && scheme(value).is_some_and(|s| !["http", "https", "mailto"].contains(&&*s))
                {
                    bad.push((
                        "href with a scheme other than http, https, mailto",
                        t.shape.clone(),
                    ));
                }
            }
        }
        if !bad.is_empty() {
            failures.push(format!("{v:?}\n  gave {html:?}\n  {bad:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ------------------------------------------------------------------------------------------
// Through the pages

/// A teacher's browser on the forum: no pace limit, may edit their own posts.
struct Writer {
    c: reqwest::Client,
    base: String,
    csrf: String,
    category: i64,
}

/// The pages one vector went through, by kind, with the title each should show, and the ids
/// it made.
struct Walk {
    pages: Vec<Page>,
    topic: i64,
    post: i64,
}

struct Page {
    kind: &'static str,
    html: String,
    /// The title as this page should show it (as typed in a preview, as kept elsewhere).
    title: String,
}

/// The marker appended to an edited post, so that a search finds a group of posts.
fn lot(i: usize) -> String {
    format!("xsslot{}z", i / 10)
}

impl Writer {
    async fn new(s: &TestServer, username: &str, category: i64) -> Writer {
        let c = s.logged_in(username).await;
        let csrf = csrf_for(&c, &s.base, &format!("/forum/c/{category}/new")).await;
        Writer {
            c,
            base: s.base.clone(),
            csrf,
            category,
        }
    }

    async fn get(&self, path: &str) -> Result<String, String> {
        let r = self.c.get(format!("{}{path}", self.base)).send().await;
        let r = r.map_err(|e| format!("GET {path}: {e}"))?;
        let status = r.status().as_u16();
        let text = crate::support::plain(&r.text().await.unwrap_or_default());
        if status != 200 {
            return Err(format!("GET {path} answered {status}"));
        }
        Ok(text)
    }

    async fn search(&self, q: &str) -> Result<String, String> {
        let r = self
            .c
            .get(format!("{}/forum/search", self.base))
            .query(&[("q", q)])
            .send()
            .await
            .map_err(|e| format!("search: {e}"))?;
        let status = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        if status != 200 {
            return Err(format!("search answered {status}"));
        }
        Ok(text)
    }

    /// POSTs a form; `Ok((status, location, body))`.
    async fn post(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Result<(u16, String, String), String> {
        let mut form = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        let r = self
            .c
            .post(format!("{}{path}", self.base))
            .form(&form)
            .send()
            .await
            .map_err(|e| format!("POST {path}: {e}"))?;
        let status = r.status().as_u16();
        let loc = location(&r);
        Ok((status, loc, r.text().await.unwrap_or_default()))
    }

    /// The vector as a new topic's title and body (previewed, then posted), the topic page,
    /// a reply's preview, a search for it, the edit form, then an edit (the vector goes to
    /// the history, the post keeps it with a search marker after) and the history page.
    async fn walk(&self, i: usize, vector: &str) -> Result<Walk, String> {
        self.walk_with(i, vector, vector).await
    }

    /// [`Writer::walk`] with a title other than the body.
    async fn walk_with(&self, i: usize, title: &str, vector: &str) -> Result<Walk, String> {
        let title = if title.chars().count() <= cartable::forum::TITLE_MAX {
            title.to_owned()
        } else {
            as_title(title)
        };
        let shown = as_title(&title);
        let new = format!("/forum/c/{}/new", self.category);
        let mut pages = Vec::new();
        let fields = [
            ("title", title.as_str()),
            ("body", vector),
            ("action", "preview"),
        ];
        let mut page = |kind, html, title: &str| {
            pages.push(Page {
                kind,
                html,
                title: title.to_owned(),
            })
        };
        let (status, _, html) = self.post(&new, &fields).await?;
        if status != 200 {
            return Err(format!("the new topic's preview answered {status}"));
        }
        page("new topic preview", html, &title);
        let fields = [
            ("title", title.as_str()),
            ("body", vector),
            ("action", "post"),
        ];
        let (status, loc, _) = self.post(&new, &fields).await?;
        let topic: i64 = loc
            .strip_prefix("/forum/t/")
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| format!("posting the topic answered {status}, Location {loc:?}"))?;
        let html = self.get(&format!("/forum/t/{topic}")).await?;
        let post: i64 = html
            .split("id=\"post-")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .ok_or("the topic page has no post-N id")?;
        page("topic page", html, &shown);
        let fields = [("body", vector), ("action", "preview")];
        let path = format!("/forum/t/{topic}/reply");
        let (status, _, html) = self.post(&path, &fields).await?;
        if status != 200 {
            return Err(format!("the reply's preview answered {status}"));
        }
        page("reply preview", html, &shown);
        // (Whether the search finds this topic among others depends on the vector.)
        page("search for the vector", self.search(vector).await?, "");
        let html = self.get(&format!("/forum/p/{post}/edit")).await?;
        page("edit form", html, &shown);
        let edited = format!("{vector}\n\n{}", lot(i));
        let fields = [("body", edited.as_str()), ("action", "post")];
        let (status, loc, _) = self.post(&format!("/forum/p/{post}/edit"), &fields).await?;
        if status != 303 {
            return Err(format!("the edit answered {status}, Location {loc:?}"));
        }
        let html = self.get(&format!("/forum/p/{post}/history")).await?;
        page("history", html, &shown);
        Ok(Walk { pages, topic, post })
    }
}

/// What the pages of a walk must be: as inert as the same page showing harmless text, and
/// showing the title, as text, at least as often as that page showed the harmless title
/// (a title left unescaped in one place reads back one time fewer).
#[derive(Default)]
struct Expected {
    baselines: std::collections::HashMap<&'static str, Baseline>,
    titles: std::collections::HashMap<&'static str, usize>,
}

impl Expected {
    fn learn(&mut self, walk: &Walk) {
        for p in &walk.pages {
            self.baselines.entry(p.kind).or_default().add(&p.html);
            self.titles.insert(
                p.kind,
                parse(&p.html).text.matches(p.title.as_str()).count(),
            );
        }
    }

    fn check(&self, walk: &Walk) -> Result<(), String> {
        let mut problems = Vec::new();
        for p in &walk.pages {
            if let Err(e) = inert(p.kind, &p.html, &self.baselines[p.kind]) {
                problems.push(e);
            }
            let want = self.titles[p.kind];
            let got = parse(&p.html).text.matches(p.title.as_str()).count();
            if !p.title.is_empty() && got < want {
                problems.push(format!(
                    "{}: the title {:?} reads back as text {got} times, not {want} (unescaped?)",
                    p.kind, p.title
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }
}

fn title_shown(what: &str, title: &str, html: &str) -> Result<(), String> {
    if parse(html).text.contains(title) {
        Ok(())
    } else {
        Err(format!(
            "{what}: the title {title:?} does not read back as text (unescaped?)"
        ))
    }
}

fn inert(what: &str, html: &str, baseline: &Baseline) -> Result<(), String> {
    let bad = active(html, baseline);
    if bad.is_empty() {
        return Ok(());
    }
    let around: Vec<String> = bad
        .iter()
        .map(|f| {
            let from = html.floor_char_boundary(f.at.saturating_sub(150));
            let to = html.ceil_char_boundary((f.at + 250).min(html.len()));
            format!("  {}: {}\n    in …{}…", f.why, f.shape, &html[from..to])
        })
        .collect();
    Err(format!("{what}: active markup:\n{}", around.join("\n")))
}

const BENIGN_TITLE: &str = "Devoirs de la semaine";
const BENIGN: &str = "Bonjour à tous, les **devoirs** sont en ligne.";

/// Every vector through the pages, as a teacher (`t.marc`) writes and as another teacher
/// (`t.autre`) is told about it: see the module's comment.
#[tokio::test]
async fn forum_pages_leave_every_vector_inert() {
    let s = TestServer::start().await;
    s.user("t.marc", Role::Teacher).await;
    let autre = s.user("t.autre", Role::Teacher).await;
    let marc_id = s
        .running
        .app
        .db
        .read(|c| {
            Ok(
                c.query_row("SELECT id FROM users WHERE username = 't.marc'", [], |r| {
                    r.get::<_, i64>(0)
                })?,
            )
        })
        .await
        .unwrap();
    let category = s
        .running
        .app
        .db
        .read(|c| {
            Ok(c.query_row(
                "SELECT id FROM forum_categories WHERE kind = 'school'",
                [],
                |r| r.get::<_, i64>(0),
            )?)
        })
        .await
        .unwrap();
    let vectors = corpus();
    let lanes = 4;
    let mut writers = Vec::new();
    for _ in 0..lanes {
        writers.push(Writer::new(&s, "t.marc", category).await);
    }
    let reader = Writer::new(&s, "t.autre", category).await;

    // The baselines: each page with harmless text.
    let benign = writers[0]
        .walk_with(usize::MAX - 9, BENIGN_TITLE, BENIGN)
        .await
        .expect("the benign walk");
    let mut expected = Expected::default();
    expected.learn(&benign);
    for kind in [
        "new topic preview",
        "topic page",
        "reply preview",
        "edit form",
        "history",
    ] {
        assert!(
            expected.titles[kind] > 0,
            "the {kind} does not show the title"
        );
    }
    let cat_base = Baseline::of(&[&writers[0]
        .get(&format!("/forum/c/{category}"))
        .await
        .unwrap()]);
    let home_base = Baseline::of(&[&writers[0].get("/forum").await.unwrap()]);
    let hits_base = Baseline::of(&[&writers[0].search(&lot(usize::MAX - 9)).await.unwrap()]);
    let notices = |topics: Vec<(i64, i64)>, seen_before: bool| {
        let db = s.running.app.db.clone();
        async move {
            db.write(move |tx| {
                if seen_before {
                    tx.execute("UPDATE forum_notifications SET seen = 1", [])?;
                }
                for (topic, post) in topics {
                    tx.execute(
                        "INSERT INTO forum_notifications (user_id, kind, topic_id, post_id, actor_id, created_at)
                         VALUES (?1, 'reply', ?2, ?3, ?4, unixepoch())",
                        rusqlite::params![autre.0, topic, post, marc_id],
                    )?;
                }
                Ok(())
            })
            .await
            .unwrap()
        }
    };
    notices(vec![(benign.topic, benign.post)], false).await;
    let overview_base = Baseline::of(&[&reader.get("/forum").await.unwrap()]);
    let dashboard_base = Baseline::of(&[&reader.get("/").await.unwrap()]);

    // Every vector, in `lanes` browsers at once.
    let mut failures: Vec<String> = Vec::new();
    let results = futures_util::future::join_all(writers.iter().enumerate().map(|(lane, w)| {
        let vectors = &vectors;
        let expected = &expected;
        async move {
            let mut out = Vec::new();
            for (i, v) in vectors.iter().enumerate().skip(lane).step_by(lanes) {
                let walked = w
                    .walk(i, v)
                    .await
                    .and_then(|walk| expected.check(&walk).map(|()| walk));
                out.push((i, walked));
            }
            out
        }
    }))
    .await;
    let mut walks: Vec<(usize, Walk)> = Vec::new();
    for (i, r) in results.into_iter().flatten() {
        match r {
            Ok(w) => walks.push((i, w)),
            Err(e) => failures.push(format!("vector {:?}:\n{e}", vectors[i])),
        }
    }
    walks.sort_by_key(|(i, _)| *i);

    // The category's pages list every title, escaped.
    let mut text = String::new();
    for page in 0.. {
        let html = writers[0]
            .get(&format!("/forum/c/{category}?page={page}"))
            .await
            .unwrap();
        if let Err(e) = inert("category page", &html, &cat_base) {
            failures.push(format!("category page {page}: {e}"));
        }
        text.push_str(&parse(&html).text);
        if !html.contains("rel=\"next\"") {
            break;
        }
        assert!(page < 100, "the category's pages do not end");
    }
    for (i, _) in &walks {
        let t = as_title(&vectors[*i]);
        if !text.contains(&t) {
            failures.push(format!(
                "category pages: the title {t:?} does not read back as text"
            ));
        }
    }

    // Search results: ten posts a search, their titles and excerpts; then broad words.
    for group in walks.chunk_by(|(a, _), (b, _)| a / 10 == b / 10) {
        let html = writers[0].search(&lot(group[0].0)).await.unwrap();
        let vs: Vec<&str> = group.iter().map(|(i, _)| vectors[*i].as_str()).collect();
        if let Err(e) = inert("search results", &html, &hits_base) {
            failures.push(format!("search results for {vs:?}: {e}"));
        }
        for (i, _) in group {
            if let Err(e) = title_shown("search results", &as_title(&vectors[*i]), &html) {
                failures.push(e);
            }
        }
    }
    for q in [
        "alert",
        "script",
        "javascript",
        "onerror img",
        "svg onload",
        "href",
        "style",
    ] {
        let html = writers[0].search(q).await.unwrap();
        if let Err(e) = inert("search results", &html, &hits_base) {
            failures.push(format!("search results for {q:?}: {e}"));
        }
    }
    if let Err(e) = inert(
        "forum home",
        &writers[0].get("/forum").await.unwrap(),
        &home_base,
    ) {
        failures.push(e);
    }

    // Notifications about each topic, ten at a time: the forum's home page lists them, the
    // dashboard the latest five.
    for group in walks.chunks(10) {
        notices(group.iter().map(|(_, w)| (w.topic, w.post)).collect(), true).await;
        let home = reader.get("/forum").await.unwrap();
        let dash = reader.get("/").await.unwrap();
        let vs: Vec<&str> = group.iter().map(|(i, _)| vectors[*i].as_str()).collect();
        for (what, html, base) in [
            ("forum home with notices", &home, &overview_base),
            ("dashboard with notices", &dash, &dashboard_base),
        ] {
            if let Err(e) = inert(what, html, base) {
                failures.push(format!("{what} for {vs:?}: {e}"));
            }
        }
        for (i, _) in group {
            if let Err(e) = title_shown("forum home's notices", &as_title(&vectors[*i]), &home) {
                failures.push(e);
            }
        }
    }

    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert_eq!(walks.len(), vectors.len());
}

/// The same walk against copies of the templates with an escape taken out: the checks above
/// must catch it, or they prove nothing.
#[tokio::test]
async fn a_template_that_stops_escaping_is_caught() {
    let templates = tempfile::tempdir().unwrap();
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
        templates.path(),
    );
    let sabotage = |file: &str, from: &str, to: &str| {
        let path = templates.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains(from),
            "{file} no longer has {from:?}: update this test"
        );
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    sabotage(
        "forum/topic.html",
        "<h1 class=\"topic-title\"><bdi>{{ topic.title }}</bdi></h1>",
        "<h1 class=\"topic-title\"><bdi>{{ topic.title|safe }}</bdi></h1>",
    );
    sabotage(
        "forum/search_box.html",
        "value=\"{{ q }}\"",
        "value={{ q|safe }}",
    );
    let dir = tempfile::tempdir().unwrap();
    let any: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
    let running = cartable::server::start(cartable::server::Options {
        http: vec![any],
        templates: Some(templates.path().to_owned()),
        ..cartable::server::Options::new(dir.path().to_owned())
    })
    .await
    .expect("the server starts");
    let base = format!("http://{}", running.http[0].0);
    let s = TestServer {
        running,
        https_base: String::new(),
        base,
        dir,
    };
    s.user("t.marc", Role::Teacher).await;
    let w = Writer::new(&s, "t.marc", 1).await;
    let benign = w
        .walk_with(0, BENIGN_TITLE, BENIGN)
        .await
        .expect("the benign walk");
    let mut expected = Expected::default();
    expected.learn(&benign);
    let topic_base = Baseline::of(&[&benign.pages[1].html]);
    let search_base = Baseline::of(&[&benign.pages[3].html]);
    // The unescaped title reads back one time fewer…
    let walk = w.walk(1, "<b>gras</b>").await.unwrap();
    let err = expected.check(&walk).unwrap_err();
    assert!(err.contains("topic page: the title"), "missed: {err:?}");
    // …and the checker sees the handler it brings.
    let vector = "<img src=x onerror=alert(1)>";
    let new = "/forum/c/1/new";
    let (_, loc, _) = w
        .post(new, &[("title", vector), ("body", "x"), ("action", "post")])
        .await
        .unwrap();
    let html = w.get(&loc).await.unwrap();
    let err = inert("topic page", &html, &topic_base).unwrap_err();
    assert!(err.contains("event handler attribute"), "{err}");
    // The search box's value, unquoted.
    let html = w.search("x autofocus onfocus=alert(1)").await.unwrap();
    let err = inert("search", &html, &search_base).unwrap_err();
    assert!(err.contains("event handler attribute"), "{err}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}
