//! Keeping order in the forum through its pages: locks and mutes, hiding and reports with
//! the audit log, and mentions that reach only the category's readers.

use super::*;

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
