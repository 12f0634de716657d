//! Writing in the forum through its pages: what is refused with nothing changed and the form
//! kept, then preview, quoting, editing with its history, and deleting one's own post.

use super::*;

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
    assert!(page.contains("id=\"preview\"") && page.contains("<li dir=\"auto\">un</li>"));
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
