//! The blog pages as each role meets them (issue #19): every blog route walked as every role
//! and as someone without a login, a pupil's post through the forms (a forged approval or
//! settings change refused and nothing changed), a parent's comment waiting for the teacher,
//! a private post never reached through `/site`, and the forum's XSS corpus in every field
//! (title, text, comment, description) leaving every page inert.

use crate::school_news::*;
use crate::support::*;
use crate::xss_check::{Baseline, active, corpus};

/// The blog of class `class` (6e A is `s.a`).
async fn class_blog(s: &School, class: cartable::ids::ClassId) -> i64 {
    s.s.running
        .app
        .db
        .read(move |c| Ok(cartable::blog::blogs::of_class(c, class).unwrap().0))
        .await
        .unwrap()
}

async fn status(s: &School, who: &str, path: &str) -> u16 {
    s.as_(who)
        .get(s.url(path))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The id in a `/blogs/p/{id}?msg=...` redirect.
fn post_id(r: &reqwest::Response) -> i64 {
    let l = location(r);
    let rest = l.strip_prefix("/blogs/p/").unwrap_or_else(|| panic!("{l}"));
    rest.split(['?', '#']).next().unwrap().parse().unwrap()
}

/// Sends the editor's form (multipart, as the page's) as `who` to `path`, with `files`
/// (name, bytes).
pub(crate) async fn editor_form(
    s: &School,
    who: &str,
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, Vec<u8>)],
) -> reqwest::Response {
    let csrf = csrf_for(s.as_(who), &s.s.base, "/").await;
    let mut form = reqwest::multipart::Form::new().text("csrf", csrf);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, bytes) in files {
        let part = reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string());
        form = form.part("files", part);
    }
    s.as_(who)
        .post(s.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn write_post(s: &School, who: &str, blog: i64, title: &str, body: &str) -> i64 {
    let r = editor_form(
        s,
        who,
        &format!("/blogs/{blog}/write"),
        &[("title", title), ("body", body), ("action", "submit")],
        &[],
    )
    .await;
    assert_eq!(r.status(), 303, "{who} writes on blog {blog}");
    post_id(&r)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_blog_route_answers_exactly_its_readers_and_writers() {
    let s = school().await;
    let blog = class_blog(&s, s.a).await;
    let post = write_post(
        &s,
        TEACHER_A,
        blog,
        "Au musée",
        "Nous avons vu des fossiles.",
    )
    .await;
    let readers = [PUPIL_A, TEACHER_A, PARENT_TWO, OFFICE, ADMIN];
    let outsiders = [PUPIL_B, PUPIL_C, TEACHER_B, PARENT_OTHER];
    for who in EVERYONE {
        assert_eq!(status(&s, who, "/blogs").await, 200, "{who} /blogs");
        let reads = readers.contains(&who);
        let expect = |yes: u16| if reads { yes } else { 404 };
        assert_eq!(
            status(&s, who, &format!("/blogs/{blog}")).await,
            expect(200),
            "{who}"
        );
        assert_eq!(
            status(&s, who, &format!("/blogs/p/{post}")).await,
            expect(200),
            "{who}"
        );
        let moderates = [TEACHER_A, ADMIN].contains(&who);
        let settings = if moderates { 200 } else { expect(403) };
        assert_eq!(
            status(&s, who, &format!("/blogs/{blog}/settings")).await,
            settings,
            "{who}"
        );
        let writes = [PUPIL_A, TEACHER_A, ADMIN].contains(&who);
        let write = if writes { 200 } else { expect(403) };
        assert_eq!(
            status(&s, who, &format!("/blogs/{blog}/write")).await,
            write,
            "{who}"
        );
        assert!(readers.contains(&who) != outsiders.contains(&who));
    }
    // Without a login: the portal's pages send to the login; /site answers, but a class-only
    // blog and its post are not there.
    let anon = plain_client();
    for path in [
        format!("/blogs/{blog}"),
        format!("/blogs/p/{post}"),
        "/blogs".into(),
    ] {
        let r = anon.get(s.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), 303, "{path}");
        assert!(location(&r).starts_with("/login"), "{path}");
    }
    assert_eq!(anon.get(s.url("/site")).send().await.unwrap().status(), 200);
    for path in [format!("/site/{blog}"), format!("/site/p/{post}")] {
        let r = anon.get(s.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path} of a class-only blog");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pupil_s_post_goes_through_the_teacher_and_forged_forms_change_nothing() {
    let s = school().await;
    let blog = class_blog(&s, s.a).await;
    let post = write_post(&s, PUPIL_A, blog, "Le potager", "Les *tomates* poussent.").await;
    let (_, page) = s.get(PUPIL_A, &format!("/blogs/p/{post}")).await;
    assert!(page.contains("waiting for approval"), "{page}");
    let (_, list) = s.get(PARENT_TWO, &format!("/blogs/{blog}")).await;
    assert!(!list.contains("Le potager"), "not published yet");
    // Forged: the pupil approves her own post, turns approval off, hides or deletes another's.
    for path in [
        format!("/blogs/p/{post}/approve"),
        format!("/blogs/p/{post}/hide"),
    ] {
        assert_eq!(s.post(PUPIL_A, &path, &[]).await.status(), 403, "{path}");
    }
    let r = s
        .post(
            PUPIL_A,
            &format!("/blogs/{blog}/settings"),
            &[
                ("audience", "public"),
                ("comments", "open"),
                ("approval", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        s.count("SELECT count(*) FROM blog_posts WHERE state = 'published'")
            .await,
        0
    );
    assert_eq!(
        s.count("SELECT count(*) FROM blogs WHERE audience = 'public' OR approval = 0")
            .await,
        0
    );
    // Another class's teacher cannot either; the class's teacher can.
    let approve = format!("/blogs/p/{post}/approve");
    assert_eq!(s.post(TEACHER_B, &approve, &[]).await.status(), 404);
    let r = s.post(TEACHER_A, &approve, &[]).await;
    assert_eq!(location(&r), format!("/blogs/p/{post}?msg=blog.approved"));
    let (_, list) = s.get(PARENT_TWO, &format!("/blogs/{blog}")).await;
    assert!(list.contains("Le potager"), "{list}");
    // The parent comments; it waits for the teacher, who approves it.
    let r = s
        .post(
            PARENT_TWO,
            &format!("/blogs/p/{post}/comment"),
            &[("body", "Bravo !")],
        )
        .await;
    assert_eq!(
        location(&r),
        format!("/blogs/p/{post}?msg=blog.comment_waiting")
    );
    let (_, seen) = s.get(PUPIL_A, &format!("/blogs/p/{post}")).await;
    assert!(
        !seen.contains("Bravo"),
        "a waiting comment is not shown to others"
    );
    let comment = s.count("SELECT max(id) FROM blog_comments").await;
    let r = s
        .post(TEACHER_A, &format!("/blogs/c/{comment}/approve"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let (_, seen) = s.get(PUPIL_A, &format!("/blogs/p/{post}")).await;
    assert!(seen.contains("Bravo"), "{seen}");
    // A parent of another family reads nothing of it.
    assert_eq!(
        status(&s, PARENT_OTHER, &format!("/blogs/p/{post}")).await,
        404
    );
    let r = s
        .post(
            PARENT_OTHER,
            &format!("/blogs/p/{post}/comment"),
            &[("body", "x")],
        )
        .await;
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_reads_a_public_blog_without_a_pupil_s_name() {
    let s = school().await;
    let blog = class_blog(&s, s.a).await;
    let r = s
        .post(
            TEACHER_A,
            &format!("/blogs/{blog}/settings"),
            &[
                ("title", ""),
                ("description", "La classe de 6e A"),
                ("audience", "public"),
                ("comments", "moderated"),
                ("approval", "1"),
            ],
        )
        .await;
    assert_eq!(
        location(&r),
        format!("/blogs/{blog}?msg=blog.settings_saved")
    );
    let post = write_post(&s, PUPIL_A, blog, "Notre sortie", "Au parc.").await;
    s.post(TEACHER_A, &format!("/blogs/p/{post}/approve"), &[])
        .await;
    let draft = editor_form(
        &s,
        PUPIL_A,
        &format!("/blogs/{blog}/write"),
        &[
            ("title", "Brouillon secret"),
            ("body", "x"),
            ("action", "draft"),
        ],
        &[],
    )
    .await;
    let draft = post_id(&draft);
    let anon = plain_client();
    let page = |path: String| {
        let anon = anon.clone();
        let url = s.url(&path);
        async move {
            let r = anon.get(url).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (code, home) = page("/site".into()).await;
    assert_eq!(code, 200);
    assert!(
        home.contains("Notre sortie") && !home.contains("Brouillon"),
        "{home}"
    );
    let (code, html) = page(format!("/site/p/{post}")).await;
    assert_eq!(code, 200);
    assert!(html.contains("Au parc."), "{html}");
    let pupil_name = display_name(&s.s, "p.awa").await;
    assert!(
        !html.contains(&pupil_name),
        "the pupil's name is on a public page"
    );
    assert!(
        html.len() < 30_000,
        "a public post page is {} bytes",
        html.len()
    );
    assert_eq!(page(format!("/site/p/{draft}")).await.0, 404);
    // Another class's blog stays private.
    let other = class_blog(&s, s.b).await;
    assert_eq!(page(format!("/site/{other}")).await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_xss_corpus_in_every_field_leaves_every_page_inert() {
    let s = school().await;
    let blog = class_blog(&s, s.a).await;
    s.post(
        TEACHER_A,
        &format!("/blogs/{blog}/settings"),
        &[
            ("title", ""),
            ("description", "Baseline"),
            ("audience", "public"),
            ("comments", "open"),
            ("approval", "1"),
        ],
    )
    .await;
    let first = write_post(&s, TEACHER_A, blog, "Baseline", "Baseline text.").await;
    // A comment too, so that the page's own moderation buttons are in the baseline.
    s.post(
        PARENT_TWO,
        &format!("/blogs/p/{first}/comment"),
        &[("body", "Baseline")],
    )
    .await;
    let pages = |post: i64| {
        vec![
            "/blogs".to_owned(),
            format!("/blogs/{blog}"),
            format!("/blogs/p/{post}"),
            "/site".to_owned(),
            format!("/site/{blog}"),
            format!("/site/p/{post}"),
        ]
    };
    let mut base = Baseline::default();
    for path in pages(first) {
        let (_, html) = s.get(TEACHER_A, &path).await;
        base.add(&html);
    }
    let mut checked = 0;
    for (i, vector) in corpus().iter().enumerate() {
        let title: String = vector.chars().take(cartable::blog::TITLE_MAX).collect();
        let title = if title.trim().is_empty() {
            format!("v{i}")
        } else {
            title
        };
        let r = editor_form(
            &s,
            TEACHER_A,
            &format!("/blogs/{blog}/write"),
            &[("title", &title), ("body", vector), ("action", "submit")],
            &[(vector.as_str(), b"notes".to_vec())],
        )
        .await;
        let post = match r.status().as_u16() {
            303 => post_id(&r),
            // Refused as typed (an empty text, say): nothing saved, nothing to check.
            400 => continue,
            other => panic!("vector {i}: {other}"),
        };
        s.post(
            PARENT_TWO,
            &format!("/blogs/p/{post}/comment"),
            &[("body", vector)],
        )
        .await;
        if i % 4 == 0 {
            s.post(
                TEACHER_A,
                &format!("/blogs/{blog}/settings"),
                &[
                    ("title", &title),
                    ("description", vector),
                    ("audience", "public"),
                    ("comments", "open"),
                    ("approval", "1"),
                ],
            )
            .await;
        }
        for path in pages(post) {
            let r = s.as_(TEACHER_A).get(s.url(&path)).send().await.unwrap();
            let html = r.text().await.unwrap();
            let found = active(&html, &base);
            assert!(
                found.is_empty(),
                "vector {i} {vector:?} on {path}: {found:?}"
            );
        }
        checked += 1;
    }
    let all = corpus().len();
    assert!(
        checked * 10 >= all * 9,
        "only {checked} of {all} vectors were saved"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_news_reader_follows_public_and_private_blogs_through_their_atom_feeds() {
    let s = school().await;
    let blog = class_blog(&s, s.a).await;
    let settings = |audience: &'static str| {
        vec![
            ("title", "Les 6e A"),
            ("description", "Notre année & nos <projets>"),
            ("audience", audience),
            ("comments", "open"),
            ("approval", "1"),
        ]
    };
    s.post(
        TEACHER_A,
        &format!("/blogs/{blog}/settings"),
        &settings("public"),
    )
    .await;
    let first = write_post(&s, PUPIL_A, blog, "Le potager", "Les *tomates* poussent.").await;
    s.post(TEACHER_A, &format!("/blogs/p/{first}/approve"), &[])
        .await;
    // A second later, so that the order is certain.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    write_post(
        &s,
        TEACHER_A,
        blog,
        "Sortie & pique-nique",
        "Rendez-vous à 8 h <b>précises</b>.",
    )
    .await;
    let teacher_name = display_name(&s.s, "t.anne").await;
    let expected = serde_json::json!({
        "title": "Les 6e A",
        "entries": [
            {"title": "Sortie & pique-nique", "author": teacher_name, "text": "Rendez-vous à 8 h"},
            {"title": "Le potager", "author": null, "text": "<em>tomates</em>"},
        ]
    });
    python_check(
        "tests/blog/feed_check.py",
        s.url(&format!("/site/{blog}/feed.atom")),
        &expected,
        "feedparser",
    )
    .await;

    // Private again: the public feed is gone, and a parent's secret link serves it to them.
    s.post(
        TEACHER_A,
        &format!("/blogs/{blog}/settings"),
        &settings("class"),
    )
    .await;
    let anon = plain_client();
    let r = anon
        .get(s.url(&format!("/site/{blog}/feed.atom")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let links = |who: &'static str| {
        let s = &s;
        async move {
            let r = s.post(who, "/blogs/feed", &[]).await;
            assert_eq!(r.status(), 200);
            let html = r.text().await.unwrap();
            html.split("value=\"")
                .skip(1)
                .filter_map(|v| v.split('"').next())
                .map(|v| v.replace("&#x2f;", "/"))
                .filter(|v| v.contains("/blogs/feed/"))
                .collect::<Vec<String>>()
        }
    };
    let parent = links(PARENT_TWO).await;
    let mine = parent
        .iter()
        .find(|u| u.ends_with(&format!("/{blog}.atom")))
        .unwrap_or_else(|| panic!("no feed for the class blog in {parent:?}"))
        .clone();
    let mut private = expected;
    // Inside the school, the pupil's name is shown as on the blog's pages.
    let pupil_name = display_name(&s.s, "p.awa").await;
    private["entries"][1]["author"] = pupil_name.into();
    python_check(
        "tests/blog/feed_check.py",
        mine.clone(),
        &private,
        "feedparser",
    )
    .await;
    // Another family's parent gets no feed of it, even with the right blog number.
    let other = links(PARENT_OTHER).await;
    assert!(!other.iter().any(|u| u.ends_with(&format!("/{blog}.atom"))));
    let forged = other[0].rsplit_once('/').unwrap().0.to_owned() + &format!("/{blog}.atom");
    assert_eq!(anon.get(forged).send().await.unwrap().status(), 404);
    // A new link ends the old one.
    links(PARENT_TWO).await;
    assert_eq!(anon.get(mine).send().await.unwrap().status(), 404);
    let r = anon
        .get(s.url(&format!("/blogs/feed/{}/{blog}.atom", "0".repeat(64))))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_reaches_the_blog_s_moderators_who_close_it() {
    let s = school().await;
    let blog = class_blog(&s, s.a).await;
    let post = write_post(&s, TEACHER_A, blog, "Sortie", "Au musée.").await;
    let r = s
        .post(
            PARENT_TWO,
            &format!("/blogs/p/{post}/report"),
            &[("note", "Une photo d'un autre enfant")],
        )
        .await;
    assert_eq!(location(&r), format!("/blogs/p/{post}?msg=blog.reported"));
    let (_, list) = s.get(TEACHER_A, "/blogs").await;
    assert!(list.contains("un autre enfant"), "{list}");
    let (_, other) = s.get(TEACHER_B, "/blogs").await;
    assert!(
        !other.contains("Une photo"),
        "another class's teacher is not told"
    );
    let report = s.count("SELECT max(id) FROM blog_reports").await;
    for who in [PUPIL_A, PARENT_TWO, TEACHER_B] {
        let r = s
            .post(who, &format!("/blogs/r/{report}/dismiss"), &[])
            .await;
        assert!(
            matches!(r.status().as_u16(), 403 | 404),
            "{who}: {}",
            r.status()
        );
    }
    let r = s
        .post(TEACHER_A, &format!("/blogs/r/{report}/dismiss"), &[])
        .await;
    assert_eq!(location(&r), "/blogs?msg=blog.report_dismissed");
    let (_, list) = s.get(TEACHER_A, "/blogs").await;
    assert!(!list.contains("un autre enfant"));
    let audited = s
        .count("SELECT count(*) FROM audit_log WHERE detail = 'report dismissed'")
        .await;
    assert_eq!(audited, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_finds_published_posts_one_reads_accents_folded() {
    let s = school().await;
    let a = class_blog(&s, s.a).await;
    let b = class_blog(&s, s.b).await;
    let mine = write_post(
        &s,
        TEACHER_A,
        a,
        "La fête de l'école",
        "Un spectacle de marionnettes.",
    )
    .await;
    write_post(
        &s,
        TEACHER_B,
        b,
        "Autre fête",
        "Des marionnettes aussi, en 5e B.",
    )
    .await;
    // Submitted, not published: found by nobody.
    write_post(&s, PUPIL_A, a, "Brouillon", "Marionnettes en papier.").await;
    let hits = |who: &'static str, q: &'static str| {
        let s = &s;
        async move {
            let r = s
                .as_(who)
                .get(s.url(&format!("/blogs/search?q={}", urlencoding(q))))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            let html = r.text().await.unwrap();
            html.matches("class=\"card blog-hit\"").count()
        }
    };
    assert_eq!(
        hits(PUPIL_A, "marionnette").await,
        1,
        "her class's, not 5e B's nor the draft"
    );
    assert_eq!(
        hits(PARENT_TWO, "MARIONNETTES").await,
        2,
        "both children's classes"
    );
    assert_eq!(hits(PARENT_OTHER, "marionnettes").await, 0);
    assert_eq!(hits(PUPIL_A, "ecole fete").await, 1, "accents folded");
    assert_eq!(
        hits(PUPIL_A, "\"NEAR( OR *").await,
        0,
        "FTS syntax is only words"
    );
    // Edited, the new words are found; deleted, nothing.
    let r = editor_form(
        &s,
        TEACHER_A,
        &format!("/blogs/p/{mine}/edit"),
        &[
            ("title", "La kermesse"),
            ("body", "Des jeux."),
            ("action", "submit"),
        ],
        &[],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(hits(PUPIL_A, "kermesse").await, 1);
    assert_eq!(hits(PUPIL_A, "marionnettes").await, 0);
    s.post(TEACHER_A, &format!("/blogs/p/{mine}/delete"), &[])
        .await;
    assert_eq!(hits(PUPIL_A, "kermesse").await, 0);
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
