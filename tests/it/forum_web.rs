//! The forum through its pages, as people use it: who sees and writes where (a pupil of one
//! class never reaches another's, by page, topic, search or form; parents see the school's
//! category only; the staff room is the staff's), and what must be refused with nothing
//! changed (someone else's post, a forged form, a locked topic, a muted pupil, an empty or
//! huge post) with the form kept. Then the writing tools (preview, quote, edit with its
//! history, delete), moderation (hiding, the audit log) and mentions reaching only readers of
//! the category, on their dashboard and in their mail.

use crate::support::*;
use cartable::auth::Role;

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
    (r.status().as_u16(), r.text().await.unwrap())
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_change_nothing_and_keep_what_was_typed() {
    let sc = school().await;
    let marc = sc.s.logged_in("t.marc").await;
    let amina = sc.s.logged_in("p.amina").await;
    let bilal = sc.s.logged_in("p.bilal").await;
    let topic = new_topic(&amina, &sc, sc.six_a, "Question", "Texte d'Amina.").await;
    let first = post_ids(&get(&amina, sc.url(&format!("/forum/t/{topic}"))).await.1)[0];
    sc.age_posts().await;

    // Someone else's post: the edit form and the edit are refused, the text is unchanged.
    let edit = format!("/forum/p/{first}/edit");
    assert_eq!(get(&bilal, sc.url(&edit)).await.0, 403);
    let r = post(
        &bilal,
        &sc,
        "/forum",
        &edit,
        &[("body", "Piraté"), ("action", "post")],
    )
    .await;
    assert_eq!(r.status(), 403);
    let r = post(
        &bilal,
        &sc,
        "/forum",
        &format!("/forum/p/{first}/delete"),
        &[],
    )
    .await;
    assert_eq!(r.status(), 403);
    let (_, page) = get(&marc, sc.url(&format!("/forum/t/{topic}"))).await;
    assert!(
        page.contains("Texte d'Amina.") && !page.contains("Piraté"),
        "{page}"
    );

    // A forged or missing token: refused, nothing stored or changed.
    let before = sc.posts().await;
    let reply_path = format!("/forum/t/{topic}/reply");
    let new_path = format!("/forum/c/{}/new", sc.six_a);
    let lock_path = format!("/forum/t/{topic}/lock");
    let attempts: [Attempt; 3] = [
        (
            &amina,
            &reply_path,
            &[("body", "Rejoué"), ("action", "post")],
        ),
        (
            &amina,
            &new_path,
            &[("title", "Rejoué"), ("body", "Rejoué"), ("action", "post")],
        ),
        (&marc, &lock_path, &[("on", "1")]),
    ];
    for token in [Some("forged-token-forged-token-forged-token-forged!"), None] {
        for (who, path, fields) in attempts {
            let mut form = fields.to_vec();
            form.extend(token.map(|t| ("csrf", t)));
            let r = who.post(sc.url(path)).form(&form).send().await.unwrap();
            assert_eq!(r.status(), 403, "{path} with {token:?}");
        }
    }
    assert_eq!(sc.posts().await, before);
    assert!(!sc.topic_flag(topic, "locked").await);

    // An empty post, an empty title, a post over the limit: the form comes back as typed.
    let new = format!("/forum/c/{}/new", sc.six_a);
    let r = post(
        &amina,
        &sc,
        "/forum",
        &new,
        &[
            ("title", "Mon titre"),
            ("body", "  \n "),
            ("action", "post"),
        ],
    )
    .await;
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(page.contains("Write a message first.") && page.contains("value=\"Mon titre\""));
    let r = post(
        &amina,
        &sc,
        "/forum",
        &new,
        &[("title", " "), ("body", "Mon texte"), ("action", "post")],
    )
    .await;
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(page.contains("Give your topic a title.") && page.contains(">Mon texte</textarea>"));
    let huge = "é".repeat(cartable::forum::BODY_MAX + 1);
    let r = post(
        &amina,
        &sc,
        "/forum",
        &new,
        &[("title", "Long"), ("body", &huge), ("action", "post")],
    )
    .await;
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(page.contains("The message is too long") && page.contains(&huge));
    let r = reply_raw(&amina, &sc, topic, &huge, "post").await;
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(page.contains("The message is too long") && page.contains(&huge));
    assert_eq!(sc.posts().await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locks_and_mutes_stop_pupils_not_the_teacher() {
    let sc = school().await;
    let marc = sc.s.logged_in("t.marc").await;
    let amina = sc.s.logged_in("p.amina").await;
    let topic = new_topic(&marc, &sc, sc.six_a, "Consignes", "Lisez bien.").await;
    let r = post(
        &marc,
        &sc,
        "/forum",
        &format!("/forum/t/{topic}/lock"),
        &[("on", "1")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert!(sc.topic_flag(topic, "locked").await);

    // The pupil sees the lock and no reply box; a reply sent anyway is refused, text kept.
    let (_, page) = get(&amina, sc.url(&format!("/forum/t/{topic}"))).await;
    assert!(page.contains("id=\"locked\"") && !page.contains("id=\"reply\""));
    let before = sc.posts().await;
    let r = reply_raw(&amina, &sc, topic, "Je réponds quand même", "post").await;
    assert_eq!(r.status(), 403);
    let page = r.text().await.unwrap();
    assert!(page.contains("This topic is locked: no one can reply any more."));
    assert!(page.contains("Je réponds quand même</textarea>"));
    assert_eq!(sc.posts().await, before);
    // The teacher, who moderates the class, still can.
    reply(&marc, &sc, topic, "Précision du professeur.").await;
    assert_eq!(sc.posts().await, before + 1);

    // Muted for an hour in the class's category: refused there with until when.
    let r = post(
        &marc,
        &sc,
        "/forum",
        &format!("/forum/c/{}/mute", sc.six_a),
        &[("username", "p.amina"), ("hours", "1")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = post(
        &marc,
        &sc,
        "/forum",
        &format!("/forum/c/{}/mute", sc.six_a),
        &[("username", "t.other"), ("hours", "1")],
    )
    .await;
    assert_eq!(r.status(), 400, "only pupils are muted");
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Only pupils can be muted.")
    );
    let (_, page) = get(&amina, sc.url(&format!("/forum/c/{}", sc.six_a))).await;
    assert!(page.contains("id=\"muted\"") && !page.contains("id=\"new-topic\""));
    let r = post(
        &amina,
        &sc,
        "/forum",
        &format!("/forum/c/{}/new", sc.six_a),
        &[("title", "Muette ?"), ("body", "Test"), ("action", "post")],
    )
    .await;
    assert_eq!(r.status(), 403);
    let page = r.text().await.unwrap();
    assert!(page.contains("A moderator has muted you in this category until"));
    assert!(page.contains("value=\"Muette ?\""));
    assert_eq!(sc.posts().await, before + 1);
    // Elsewhere (the whole school's category) she still writes.
    new_topic(&amina, &sc, sc.school, "Bonjour", "Tout le monde").await;
    // A pupil may not mute anyone.
    let r = post(
        &amina,
        &sc,
        "/forum",
        &format!("/forum/c/{}/mute", sc.six_a),
        &[("username", "p.bilal"), ("hours", "1")],
    )
    .await;
    assert_eq!(r.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_quote_edit_history_and_delete() {
    let sc = school().await;
    let amina = sc.s.logged_in("p.amina").await;
    let bilal = sc.s.logged_in("p.bilal").await;
    let new = format!("/forum/c/{}/new", sc.six_a);

    // A preview renders the Markdown above the form and saves nothing.
    let r = post(
        &amina,
        &sc,
        "/forum",
        &new,
        &[
            ("title", "Fractions"),
            ("body", "- un\n- deux\n\n`1/2`"),
            ("action", "preview"),
        ],
    )
    .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"preview\"") && page.contains("<li>un</li>"));
    assert!(page.contains("<code>1/2</code>") && page.contains("value=\"Fractions\""));
    assert_eq!(sc.posts().await, 0);

    let topic = new_topic(
        &amina,
        &sc,
        sc.six_a,
        "Fractions",
        "Comment **simplifier** 2/4 ?",
    )
    .await;
    let first = post_ids(&get(&amina, sc.url(&format!("/forum/t/{topic}"))).await.1)[0];
    let (_, page) = get(&bilal, sc.url(&format!("/forum/t/{topic}"))).await;
    assert!(page.contains("<strong>simplifier</strong>"));

    // A reply's preview saves nothing either.
    let r = reply_raw(&bilal, &sc, topic, "Divise par *deux*", "preview").await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("<em>deux</em>") && page.contains(">Divise par *deux*</textarea>"));
    assert_eq!(sc.posts().await, 1);

    // Quoting pre-fills the reply box.
    let (_, page) = get(&bilal, sc.url(&format!("/forum/t/{topic}?quote={first}"))).await;
    assert!(
        page.contains("**@p.amina**\n&gt; Comment **simplifier** 2&#x2f;4 ?\n"),
        "{page}"
    );
    let r = reply_raw(&bilal, &sc, topic, "Divise par deux", "post").await;
    assert_eq!(r.status(), 303);
    let post_link = location(&r);
    let r = bilal.get(sc.url(&post_link)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let second: i64 = post_link.trim_start_matches("/forum/p/").parse().unwrap();
    assert_eq!(
        location(&r),
        format!("/forum/t/{topic}?page=0#post-{second}")
    );

    // Editing keeps the earlier text in the history.
    sc.age_posts().await;
    let r = post(
        &amina,
        &sc,
        "/forum",
        &format!("/forum/p/{first}/edit"),
        &[("body", "Comment simplifier 4/8 ?"), ("action", "post")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, page) = get(&bilal, sc.url(&format!("/forum/t/{topic}"))).await;
    assert!(page.contains("Comment simplifier 4/8 ?"));
    assert!(page.contains(&format!("href=\"/forum/p/{first}/history\"")));
    let (status, history) = get(&bilal, sc.url(&format!("/forum/p/{first}/history"))).await;
    assert_eq!(status, 200);
    assert!(history.contains("Comment simplifier 4/8 ?"));
    assert!(history.contains("<strong>simplifier</strong> 2/4 ?"));

    // Past the window, the author may not delete; within it, she may.
    let r = post(
        &amina,
        &sc,
        "/forum",
        &format!("/forum/p/{first}/delete"),
        &[],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("The time to delete this message has passed.")
    );
    let own = reply(&amina, &sc, topic, "Oups, doublon").await;
    let r = post(
        &amina,
        &sc,
        "/forum",
        &format!("/forum/p/{own}/delete"),
        &[],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, page) = get(&bilal, sc.url(&format!("/forum/t/{topic}"))).await;
    assert!(!page.contains("Oups, doublon") && page.contains("This message was deleted."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderation_hides_from_pupils_and_is_audited() {
    let sc = school().await;
    let marc = sc.s.logged_in("t.marc").await;
    let amina = sc.s.logged_in("p.amina").await;
    let bilal = sc.s.logged_in("p.bilal").await;
    let admin = sc.s.logged_in("a.admin").await;
    let topic = new_topic(&amina, &sc, sc.six_a, "Récré", "Qui joue au foot ?").await;
    let rude = reply(&bilal, &sc, topic, "Message grossier").await;

    // A pupil reports it, from the link under the post to the report page; the teacher sees
    // it in the queue and hides it.
    let (_, page) = get(&amina, sc.url(&format!("/forum/t/{topic}"))).await;
    let link = format!("href=\"/forum/p/{rude}/report\"");
    assert!(page.contains(&link), "{page}");
    let (status, form) = get(&amina, sc.url(&format!("/forum/p/{rude}/report"))).await;
    assert_eq!(status, 200, "{form}");
    assert!(form.contains("Message grossier") && form.contains("name=\"reason\""));
    let r = post(
        &amina,
        &sc,
        &format!("/forum/p/{rude}/report"),
        &format!("/forum/p/{rude}/report"),
        &[("reason", "insulte")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(get(&amina, sc.url("/forum/moderation")).await.0, 403);
    let (status, queue) = get(&marc, sc.url("/forum/moderation")).await;
    assert_eq!(status, 200);
    assert!(queue.contains("Message grossier") && queue.contains("insulte"));
    let r = post(
        &marc,
        &sc,
        "/forum",
        &format!("/forum/p/{rude}/hide"),
        &[("on", "1")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, page) = get(&amina, sc.url(&format!("/forum/t/{topic}"))).await;
    assert!(!page.contains("Message grossier") && page.contains("hidden by a moderator"));
    assert!(!page.contains(&format!("/forum/p/{rude}/report")));
    let (_, page) = get(&marc, sc.url(&format!("/forum/t/{topic}"))).await;
    assert!(page.contains("Message grossier"));
    // The moderator sees it marked hidden, with the button that shows it again.
    let post_html = page
        .split(&format!("id=\"post-{rude}\""))
        .nth(1)
        .and_then(|rest| rest.split("</li>").next())
        .expect("the hidden post's place");
    assert!(post_html.contains(&format!("action=\"/forum/p/{rude}/hide\"")));
    assert!(post_html.contains("name=\"on\" value=\"0\""));
    assert_eq!(
        get(&amina, sc.url(&format!("/forum/p/{rude}"))).await.0,
        404
    );
    let (_, hits) = get(&amina, sc.url("/forum/search?q=grossier")).await;
    assert!(!hits.contains("grossier</mark>"));

    // Pin, then dismiss the report; the admin reads all of it in the audit log.
    let r = post(
        &marc,
        &sc,
        "/forum",
        &format!("/forum/t/{topic}/pin"),
        &[("on", "1")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert!(sc.topic_flag(topic, "pinned").await);
    let report: i64 = sc.count("SELECT max(id) FROM forum_reports").await;
    let r = post(
        &marc,
        &sc,
        "/forum",
        &format!("/forum/reports/{report}/dismiss"),
        &[],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, queue) = get(&marc, sc.url("/forum/moderation")).await;
    assert!(!queue.contains("Message grossier"));
    let (_, audit) = get(&admin, sc.url("/admin/audit")).await;
    assert!(audit.contains("Forum moderated"), "{audit}");
    assert!(audit.contains("hidden = true"));
    assert!(audit.contains("pinned = true"));
    assert!(audit.contains("report dismissed"));

    // The admin adds a category for parents only; a pupil does not see it.
    let r = post(
        &admin,
        &sc,
        "/admin/forum",
        "/admin/forum",
        &[
            ("name", "Parents d'élèves"),
            ("description", "Entre parents"),
            ("roles", "parent"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, front) = get(&amina, sc.url("/forum")).await;
    assert!(!front.contains("Parents d"));
    let parent = sc.s.logged_in("m.parent").await;
    let (_, front) = get(&parent, sc.url("/forum")).await;
    assert!(front.contains("Parents d&#x27;élèves"), "{front}");
    let r = post(
        &admin,
        &sc,
        "/admin/forum",
        "/admin/forum",
        &[("name", "Sans rôle")],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("Tick at least one role"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_reaches_only_readers_on_their_dashboard_and_in_their_mail() {
    let sc = school().await;
    let amina = sc.s.logged_in("p.amina").await;
    let bilal = sc.s.logged_in("p.bilal").await;
    let dan = sc.s.logged_in("p.dan").await;
    let topic = new_topic(
        &amina,
        &sc,
        sc.six_a,
        "Exposé",
        "Tu viens @p.bilal ? Et toi @p.dan ?",
    )
    .await;

    // Bilal, in the class, is told on his dashboard and by mail; Dan, in another, is not.
    let (_, dash) = get(&bilal, sc.url("/")).await;
    assert!(dash.contains("id=\"forum-notices\""), "{dash}");
    assert!(
        dash.contains("Test p.amina mentioned you in “Exposé”"),
        "{dash}"
    );
    assert!(
        dash.contains("Forum <span class=\"count\">(1 new)</span>"),
        "{dash}"
    );
    let (_, inbox) = get(&bilal, sc.url("/mail")).await;
    assert!(inbox.contains("mentioned you in “Exposé”"), "{inbox}");
    let (_, dash) = get(&dan, sc.url("/")).await;
    assert!(!dash.contains("Exposé") && !dash.contains("forum-notices"));
    let (_, inbox) = get(&dan, sc.url("/mail")).await;
    assert!(!inbox.contains("Exposé"));
    assert_eq!(
        sc.count("SELECT count(*) FROM forum_notifications").await,
        1
    );

    // Opening the topic marks the notification seen; the tile goes quiet.
    let (_, front) = get(&bilal, sc.url("/forum")).await;
    assert!(front.contains("id=\"notices\""));
    let first = post_ids(&get(&bilal, sc.url(&format!("/forum/t/{topic}"))).await.1)[0];
    let (_, dash) = get(&bilal, sc.url("/")).await;
    assert!(!dash.contains("forum-notices") && !dash.contains("(1 new)"));

    // A reply tells the topic's author.
    let r = reply_raw(&bilal, &sc, topic, "Oui !", "post").await;
    assert_eq!(r.status(), 303);
    let (_, dash) = get(&amina, sc.url("/")).await;
    assert!(
        dash.contains("Test p.bilal replied to your topic “Exposé”"),
        "{dash}"
    );
    assert!(first > 0);
}
