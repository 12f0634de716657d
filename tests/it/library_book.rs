//! The homework book's "read this" links into the offline library (issue #18): a teacher finds
//! an article by the start of its title (the picker works without JavaScript: a search button
//! that brings the form back with what it found), ticks it and saves; the class's pupils see
//! the link. Only collections the class's pupils may read are offered, and a forged choice of
//! another collection, or of an article that does not exist, is refused and changes nothing.

use crate::school_news::*;
use crate::support::*;
use cartable::auth::{Allowed, SchoolAudience};
use cartable::library::install;

/// Installs the two test collections: `zstd.zim` for everyone, `none.zim` for staff only.
/// Returns their names.
fn install_two(sc: &School) -> (String, String) {
    let app = &sc.s.running.app;
    let dir = app.library.dir().to_owned();
    let allowed = Allowed::system("manage_library");
    let fx = zim_fixtures();
    let everyone = install::install(
        &app.db,
        &dir,
        &fx.join("zstd.zim"),
        SchoolAudience::School,
        "cli",
        &allowed,
    )
    .expect("zstd.zim installs");
    let staff = install::install(
        &app.db,
        &dir,
        &fx.join("none.zim"),
        SchoolAudience::Staff,
        "cli",
        &allowed,
    )
    .expect("none.zim installs");
    (everyone.name, staff.name)
}

fn fields<'a>(class: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("class", class),
        ("subject", "Sciences"),
        ("lesson_day", "2026-05-04"),
        ("done", "Les écoles du monde."),
        ("work", "Lire l'article."),
        ("due_day", "2026-05-11"),
    ];
    f.extend_from_slice(extra);
    f
}

#[tokio::test]
async fn a_teacher_links_an_article_and_the_pupils_follow_it() {
    let sc = school().await;
    let (everyone, staff) = install_two(&sc);
    let class = sc.a.to_string();

    // The picker: the search button brings the form back with the articles found, from the
    // collection the pupils read only, and saves nothing.
    let r = sc
        .post(
            TEACHER_A,
            "/book/new",
            &fields(&class, &[("article_q", "éco"), ("find_article", "1")]),
        )
        .await;
    assert_eq!(r.status(), 200);
    // Attribute values come escaped by the templates ('/' as &#x2f;).
    let html = r.text().await.unwrap().replace("&#x2f;", "/");
    let wanted = format!("value=\"{everyone}/École_primaire\"");
    assert!(html.contains(&wanted), "École primaire offered: {html}");
    assert!(
        !html.contains(&format!("value=\"{staff}/")),
        "a staff-only collection offered"
    );
    assert!(
        html.contains("Les écoles du monde."),
        "the form keeps what was typed"
    );
    assert_eq!(sc.count("SELECT count(*) FROM book_entries").await, 0);

    // Nothing found says so.
    let r = sc
        .post(
            TEACHER_A,
            "/book/new",
            &fields(&class, &[("article_q", "Zzz"), ("find_article", "1")]),
        )
        .await;
    assert!(r.text().await.unwrap().contains("id=\"no-article\""));

    // Ticked and saved: the entry links to it, and a pupil of the class follows the link.
    let value = format!("{everyone}/École_primaire");
    let r = sc
        .post(
            TEACHER_A,
            "/book/new",
            &fields(&class, &[("article", &value)]),
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let at = location(&r);
    let id = at
        .trim_start_matches("/book/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let r = sc
        .as_(PUPIL_A)
        .get(sc.url(&format!("/book/{id}")))
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap().replace("&#x2f;", "/");
    let href = format!("href=\"/library/{everyone}/%C3%89cole_primaire\"");
    assert!(
        html.contains(&href),
        "the link, its path percent-encoded: {html}"
    );
    assert!(html.contains("École primaire"));

    // Editing keeps the article ticked; saving without it takes it off.
    let (status, page) = sc.get(TEACHER_A, &format!("/book/{id}/edit")).await;
    assert_eq!(status, 200);
    assert!(page.contains("École primaire"));
    let r = sc
        .post(TEACHER_A, &format!("/book/{id}/edit"), &fields(&class, &[]))
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        sc.count("SELECT count(*) FROM book_entry_articles").await,
        0
    );
}

#[tokio::test]
async fn forged_and_missing_articles_are_refused_and_change_nothing() {
    let sc = school().await;
    let (everyone, staff) = install_two(&sc);
    let class = sc.a.to_string();
    let forged = [
        format!("{staff}/École_primaire"),
        format!("{everyone}/Pas_un_article"),
        format!("{everyone}/../{staff}/Accueil"),
        "nothing/Accueil".to_owned(),
        "no-slash".to_owned(),
        format!("{everyone}/"),
    ];
    for v in &forged {
        let r = sc
            .post(TEACHER_A, "/book/new", &fields(&class, &[("article", v)]))
            .await;
        assert_eq!(r.status(), 400, "{v}");
        assert!(r.text().await.unwrap().contains("id=\"error\""), "{v}");
    }
    // Eleven articles: too many.
    let many: Vec<String> = (0..11).map(|i| format!("{everyone}/a{i}")).collect();
    let mut f = fields(&class, &[]);
    for v in &many {
        f.push(("article", v));
    }
    let r = sc.post(TEACHER_A, "/book/new", &f).await;
    assert_eq!(r.status(), 400);
    assert_eq!(sc.count("SELECT count(*) FROM book_entries").await, 0);
    assert_eq!(
        sc.count("SELECT count(*) FROM book_entry_articles").await,
        0
    );
}
