//! The forum through its pages, as people use it: who sees and writes where (a pupil of one
//! class never reaches another's, by page, topic, search or form; parents see the school's
//! category only; the staff room is the staff's), and what must be refused with nothing
//! changed (someone else's post, a forged form, a locked topic, a muted pupil, an empty or
//! huge post) with the form kept. Then the writing tools (preview, quote, edit with its
//! history, delete), moderation (hiding, the audit log) and mentions reaching only readers of
//! the category, on their dashboard and in their mail.
//!
//! This file has the school they run in, the helpers and who reaches what; `writing.rs` the
//! refusals and the writing tools; `moderation.rs` locks, mutes, moderation and mentions.

use crate::support::*;
use cartable::auth::Role;

mod moderation;
mod writing;

struct School {
    s: TestServer,
    /// Category ids.
    school: i64,
    staff: i64,
    six_a: i64,
    five_b: i64,
}

/// "6e A": teacher `t.marc`, pupils `p.amina`, `p.bilal`. "5e B": teacher `t.other`, pupil
/// `p.dan`. `m.parent` (Amina's parent), `o.office` (staff), `a.admin`.
async fn school() -> School {
    let s = TestServer::start().await;
    s.set_default_language("en").await;
    let a = s.class("6e A").await;
    let b = s.class("5e B").await;
    let marc = s.user("t.marc", Role::Teacher).await;
    s.add_member(a, marc).await;
    let amina = s.user("p.amina", Role::Pupil).await;
    s.add_member(a, amina).await;
    let bilal = s.user("p.bilal", Role::Pupil).await;
    s.add_member(a, bilal).await;
    let other = s.user("t.other", Role::Teacher).await;
    s.add_member(b, other).await;
    let dan = s.user("p.dan", Role::Pupil).await;
    s.add_member(b, dan).await;
    let parent = s.user("m.parent", Role::Parent).await;
    s.link_parent(parent, amina).await;
    s.user("o.office", Role::Staff).await;
    s.user("a.admin", Role::Admin).await;
    let category = |sql: &'static str, arg: i64| {
        let db = s.running.app.db.clone();
        async move {
            db.read(move |c| Ok(c.query_row(sql, [arg], |r| r.get::<_, i64>(0))?))
                .await
                .unwrap()
        }
    };
    let by_kind = "SELECT id FROM forum_categories WHERE kind = CASE ?1 WHEN 0 THEN 'school' ELSE 'staff' END";
    let by_class = "SELECT id FROM forum_categories WHERE class_id = ?1";
    School {
        school: category(by_kind, 0).await,
        staff: category(by_kind, 1).await,
        six_a: category(by_class, a.0).await,
        five_b: category(by_class, b.0).await,
        s,
    }
}

impl School {
    fn url(&self, path: &str) -> String {
        self.s.url(path)
    }

    async fn count(&self, sql: &'static str) -> i64 {
        self.s
            .running
            .app
            .db
            .read(move |c| Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))?))
            .await
            .unwrap()
    }

    async fn posts(&self) -> i64 {
        self.count("SELECT count(*) FROM forum_posts").await
    }

    /// Moves every post an hour back, so that a pupil may post again at once (pupils wait
    /// between posts) and nobody is within the delete window any more.
    async fn age_posts(&self) {
        self.s
            .running
            .app
            .db
            .write(|tx| {
                tx.execute("UPDATE forum_posts SET created_at = created_at - 3600", [])?;
                Ok(())
            })
            .await
            .unwrap();
    }

    async fn topic_flag(&self, topic: i64, column: &str) -> bool {
        let sql = format!("SELECT {column} FROM forum_topics WHERE id = ?1");
        self.s
            .running
            .app
            .db
            .read(move |c| Ok(c.query_row(&sql, [topic], |r| r.get::<_, bool>(0))?))
            .await
            .unwrap()
    }
}

/// Who sends a form, where, with which fields.
type Attempt<'a> = (&'a reqwest::Client, &'a str, &'a [(&'a str, &'a str)]);

async fn get(c: &reqwest::Client, url: String) -> (u16, String) {
    let r = c.get(url).send().await.unwrap();
    (
        r.status().as_u16(),
        crate::support::plain(&r.text().await.unwrap()),
    )
}

/// POSTs `fields` with the csrf token of the page at `from`.
async fn post(
    c: &reqwest::Client,
    sc: &School,
    from: &str,
    to: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_for(c, &sc.s.base, from).await;
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(sc.url(to)).form(&form).send().await.unwrap()
}

/// Starts a topic and returns its id.
async fn new_topic(
    c: &reqwest::Client,
    sc: &School,
    category: i64,
    title: &str,
    body: &str,
) -> i64 {
    let r = post(
        c,
        sc,
        "/forum",
        &format!("/forum/c/{category}/new"),
        &[("title", title), ("body", body), ("action", "post")],
    )
    .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let at = location(&r);
    at.strip_prefix("/forum/t/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a new topic's address, not {at}"))
}

/// Replies and returns the new post's id.
async fn reply(c: &reqwest::Client, sc: &School, topic: i64, body: &str) -> i64 {
    let r = reply_raw(c, sc, topic, body, "post").await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let at = location(&r);
    at.strip_prefix("/forum/p/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a new post's address, not {at}"))
}

async fn reply_raw(
    c: &reqwest::Client,
    sc: &School,
    topic: i64,
    body: &str,
    action: &str,
) -> reqwest::Response {
    post(
        c,
        sc,
        "/forum",
        &format!("/forum/t/{topic}/reply"),
        &[("body", body), ("action", action)],
    )
    .await
}

/// The ids of the posts on a topic page, in order.
fn post_ids(html: &str) -> Vec<i64> {
    html.split("id=\"post-")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect()
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pupil_never_reaches_another_class_forum() {
    let sc = school().await;
    let other = sc.s.logged_in("t.other").await;
    let amina = sc.s.logged_in("p.amina").await;
    let topic = new_topic(
        &other,
        &sc,
        sc.five_b,
        "Sortie au zoo",
        "Les girafes du zoo.",
    )
    .await;
    let before = sc.posts().await;

    // Not listed, not reachable: the same 404 as a category that does not exist.
    let (_, front) = get(&amina, sc.url("/forum")).await;
    assert!(
        front.contains("6e A") && front.contains("Whole school"),
        "{front}"
    );
    assert!(!front.contains("5e B") && !front.contains("Staff room"));
    for path in [
        format!("/forum/c/{}", sc.five_b),
        format!("/forum/c/{}/new", sc.five_b),
        format!("/forum/t/{topic}"),
        "/forum/c/999999".to_owned(),
        "/forum/t/999999".to_owned(),
    ] {
        let (status, page) = get(&amina, sc.url(&path)).await;
        assert_eq!(status, 404, "{path}");
        assert!(!page.contains("girafes"), "{path}");
    }
    let first = post_ids(&get(&other, sc.url(&format!("/forum/t/{topic}"))).await.1)[0];
    for path in [
        format!("/forum/p/{first}"),
        format!("/forum/p/{first}/history"),
        format!("/forum/p/{first}/edit"),
    ] {
        assert_eq!(get(&amina, sc.url(&path)).await.0, 404, "{path}");
    }
    // Search finds it for its class, not for her.
    let (_, found) = get(&other, sc.url("/forum/search?q=girafe")).await;
    assert!(found.contains("<mark>girafes</mark>"), "{found}");
    let (status, hits) = get(&amina, sc.url("/forum/search?q=girafe")).await;
    assert_eq!(status, 200);
    assert!(hits.contains("id=\"no-hits\"") && !hits.contains("girafes"));

    // Writing there is refused as if it did not exist, and nothing is stored.
    let r = post(
        &amina,
        &sc,
        "/forum",
        &format!("/forum/c/{}/new", sc.five_b),
        &[("title", "Intrus"), ("body", "coucou"), ("action", "post")],
    )
    .await;
    assert_eq!(r.status(), 404);
    assert_eq!(
        reply_raw(&amina, &sc, topic, "coucou", "post")
            .await
            .status(),
        404
    );
    for (path, fields) in [
        (format!("/forum/p/{first}/report"), vec![("reason", "x")]),
        (format!("/forum/t/{topic}/pin"), vec![("on", "1")]),
        (
            format!("/forum/c/{}/mute", sc.five_b),
            vec![("username", "p.dan"), ("hours", "1")],
        ),
    ] {
        let r = post(&amina, &sc, "/forum", &path, &fields).await;
        assert_eq!(r.status(), 404, "{path}");
    }
    assert_eq!(sc.posts().await, before);
    assert_eq!(sc.count("SELECT count(*) FROM forum_reports").await, 0);
    assert!(!sc.topic_flag(topic, "pinned").await);
    // Nor is the report page of a post there shown.
    let (status, _) = get(&amina, sc.url(&format!("/forum/p/{first}/report"))).await;
    assert_eq!(status, 404);

    // Her own class's is open to her.
    let (status, page) = get(&amina, sc.url(&format!("/forum/c/{}", sc.six_a))).await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"new-topic\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parents_see_the_school_and_the_staff_room_is_the_staff() {
    let sc = school().await;
    let marc = sc.s.logged_in("t.marc").await;
    let parent = sc.s.logged_in("m.parent").await;
    let amina = sc.s.logged_in("p.amina").await;
    let office = sc.s.logged_in("o.office").await;
    let school_topic = new_topic(&marc, &sc, sc.school, "Kermesse", "Samedi à 10 h.").await;
    let class_topic = new_topic(&marc, &sc, sc.six_a, "Devoirs", "Exercice 3.").await;
    let staff_topic = new_topic(&marc, &sc, sc.staff, "Conseil de classe", "Mardi.").await;

    let (_, front) = get(&parent, sc.url("/forum")).await;
    assert!(front.contains("Whole school"));
    assert!(!front.contains("6e A") && !front.contains("Staff room"));
    let (status, page) = get(&parent, sc.url(&format!("/forum/t/{school_topic}"))).await;
    assert_eq!(status, 200);
    assert!(page.contains("Samedi à 10 h."));
    assert!(
        page.contains("id=\"reply\""),
        "parents may write in the school's category"
    );
    for who in [&parent, &amina] {
        for path in [
            format!("/forum/c/{}", sc.staff),
            format!("/forum/t/{staff_topic}"),
        ] {
            assert_eq!(get(who, sc.url(&path)).await.0, 404, "{path}");
        }
        let (_, hits) = get(who, sc.url("/forum/search?q=conseil")).await;
        assert!(!hits.contains("Conseil de classe"));
    }
    assert_eq!(
        get(&parent, sc.url(&format!("/forum/t/{class_topic}")))
            .await
            .0,
        404
    );
    // The office reads the staff room, not a class's.
    assert_eq!(
        get(&office, sc.url(&format!("/forum/t/{staff_topic}")))
            .await
            .0,
        200
    );
    assert_eq!(
        get(&office, sc.url(&format!("/forum/t/{class_topic}")))
            .await
            .0,
        404
    );
}
