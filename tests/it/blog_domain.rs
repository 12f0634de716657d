//! Blogs' rules, through the domain module (issue #19; the pages come on top of it): every
//! class has its blog, each role lists what it reads, a pupil's post waits for the class's
//! teacher (a forged approval or a pupil's own edit after approval never publishes it), a
//! parent of another family and another class's pupil see nothing, comments wait on a
//! moderated blog, and the public sees a public blog's published posts without a pupil's name.

use crate::school_news::*;
use cartable::auth::{Principal, load_principal};
use cartable::blog::posts::{Draft, Intent, State};
use cartable::blog::{self, BlogError, blogs, comments, posts, visitor};
use cartable::ids::BlogId;

async fn who(s: &School, name: &'static str) -> Principal {
    let id = s.ids[name];
    s.s.running
        .app
        .db
        .read(move |c| Ok(load_principal(c, id)?.unwrap()))
        .await
        .unwrap()
}

/// Runs `f` in a write transaction as `name`.
async fn as_<T: Send + 'static>(
    s: &School,
    name: &'static str,
    f: impl FnOnce(&rusqlite::Transaction<'_>, &Principal) -> blog::Result<T> + Send + 'static,
) -> blog::Result<T> {
    let p = who(s, name).await;
    s.s.running
        .app
        .db
        .write(move |tx| Ok(f(tx, &p)))
        .await
        .unwrap()
}

fn draft(title: &str) -> Draft {
    Draft {
        title: title.into(),
        body: "Nous avons visité **le musée**.\n\n<script>alert(1)</script>".into(),
    }
}

async fn class_blog(s: &School, class: cartable::ids::ClassId) -> BlogId {
    s.s.running
        .app
        .db
        .read(move |c| Ok(blogs::of_class(c, class).unwrap()))
        .await
        .unwrap()
}

async fn listed(s: &School, name: &'static str) -> Vec<String> {
    let mut titles: Vec<String> = as_(s, name, |tx, p| blogs::list(tx, p))
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.blog.title)
        .collect();
    titles.sort();
    titles
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_class_has_a_blog_and_each_role_lists_what_it_reads() {
    let s = school().await;
    let d = s.s.class("3e D").await;
    class_blog(&s, d).await;
    // The school's blog is titled by the school's name (empty here).
    assert_eq!(listed(&s, PUPIL_A).await, ["", "6e A"]);
    assert_eq!(listed(&s, PARENT_TWO).await, ["", "5e B", "6e A"]);
    assert_eq!(listed(&s, PARENT_OTHER).await, ["", "4e C"]);
    assert_eq!(listed(&s, TEACHER_B).await, ["", "5e B"]);
    assert_eq!(
        listed(&s, OFFICE).await,
        ["", "3e D", "4e C", "5e B", "6e A"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pupil_s_post_waits_for_the_class_s_teacher() {
    let s = school().await;
    let blog = class_blog(&s, s.a).await;
    let (post, state) = as_(&s, PUPIL_A, move |tx, p| {
        posts::create(tx, p, blog, &draft("La sortie"), Intent::Submit)
    })
    .await
    .unwrap();
    assert_eq!(state, State::Submitted);
    let html: String = as_(&s, PUPIL_A, move |tx, p| {
        Ok(posts::get(tx, p, post)?.1.html)
    })
    .await
    .unwrap();
    assert!(
        html.contains("<strong>le musée</strong>") && !html.contains("<script"),
        "{html}"
    );
    // Not on the blog yet: nobody but the class's teacher sees it (waiting for them).
    for name in [PARENT_TWO, TEACHER_B, PUPIL_B, PARENT_OTHER] {
        assert!(
            matches!(
                as_(&s, name, move |tx, p| posts::get(tx, p, post)).await,
                Err(BlogError::NotFound)
            ),
            "{name} sees a submitted post"
        );
    }
    let waiting = as_(&s, TEACHER_A, |tx, p| posts::waiting(tx, p))
        .await
        .unwrap();
    assert_eq!(waiting.len(), 1);
    assert!(
        as_(&s, TEACHER_B, |tx, p| posts::waiting(tx, p))
            .await
            .unwrap()
            .is_empty()
    );
    // The pupil cannot approve her own post, nor can another class's teacher.
    for name in [PUPIL_A, TEACHER_B, PARENT_TWO] {
        assert!(
            as_(&s, name, move |tx, p| posts::approve(tx, p, post))
                .await
                .is_err()
        );
    }
    as_(&s, TEACHER_A, move |tx, p| posts::approve(tx, p, post))
        .await
        .unwrap();
    // Published: the class, its parents and the office read it; other families do not.
    for name in [PUPIL_A, TEACHER_A, PARENT_TWO, OFFICE, ADMIN] {
        let n = as_(&s, name, move |tx, p| {
            Ok(posts::page(tx, p, blog, 0)?.1.len())
        })
        .await
        .unwrap();
        assert_eq!(n, 1, "{name}");
    }
    for name in [PARENT_OTHER, PUPIL_B, TEACHER_B, PUPIL_C] {
        assert!(
            matches!(
                as_(&s, name, move |tx, p| posts::get(tx, p, post)).await,
                Err(BlogError::NotFound)
            ),
            "{name} reads another class's blog"
        );
    }
    // Her edit of the published post goes back to the teacher.
    let state = as_(&s, PUPIL_A, move |tx, p| {
        posts::edit(tx, p, post, &draft("La sortie (suite)"), Intent::Submit)
    })
    .await
    .unwrap();
    assert_eq!(state, State::Submitted);
    let n = as_(&s, PARENT_TWO, move |tx, p| {
        Ok(posts::page(tx, p, blog, 0)?.1.len())
    })
    .await
    .unwrap();
    assert_eq!(n, 0, "an edit after approval waits for approval again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_are_the_teacher_s_and_approval_can_be_turned_off() {
    let s = school().await;
    let blog = class_blog(&s, s.a).await;
    let settings = |audience: &str, approval: bool| blogs::Settings {
        title: String::new(),
        description: "Notre classe".into(),
        audience: audience.into(),
        comments: "moderated".into(),
        approval,
    };
    let (s1, s2) = (settings("public", false), settings("class", true));
    assert!(matches!(
        as_(&s, PUPIL_A, move |tx, p| blogs::update(tx, p, blog, &s1)).await,
        Err(BlogError::Denied)
    ));
    assert!(matches!(
        as_(&s, PUPIL_B, move |tx, p| blogs::update(tx, p, blog, &s2)).await,
        Err(BlogError::NotFound)
    ));
    let bad = settings("everyone", true);
    assert!(matches!(
        as_(&s, TEACHER_A, move |tx, p| blogs::update(tx, p, blog, &bad)).await,
        Err(BlogError::BadAudience)
    ));
    let open = settings("public", false);
    as_(&s, TEACHER_A, move |tx, p| {
        blogs::update(tx, p, blog, &open)
    })
    .await
    .unwrap();
    // Approval off: the pupil's post is published at once, and the public reads it without
    // her name.
    let (post, state) = as_(&s, PUPIL_A, move |tx, p| {
        posts::create(tx, p, blog, &draft("Le potager"), Intent::Submit)
    })
    .await
    .unwrap();
    assert_eq!(state, State::Published);
    let db = s.s.running.app.db.clone();
    let (b, public) = db
        .read(move |c| Ok(visitor::post(c, post).unwrap()))
        .await
        .unwrap();
    assert_eq!(b.title, "6e A");
    assert_eq!(public.author, None, "no pupil's name on a public page");
    let site = db
        .read(|c| Ok(visitor::blogs(c, 3).unwrap()))
        .await
        .unwrap();
    assert_eq!(site.len(), 1);
    // A draft never reaches the public, nor does a class-only blog.
    let (draft_id, _) = as_(&s, PUPIL_A, move |tx, p| {
        posts::create(tx, p, blog, &draft("Brouillon"), Intent::Save)
    })
    .await
    .unwrap();
    assert!(
        db.read(move |c| Ok(visitor::post(c, draft_id).is_err()))
            .await
            .unwrap()
    );
    let b_blog = class_blog(&s, s.b).await;
    assert!(
        db.read(move |c| Ok(visitor::page(c, b_blog, 0).is_err()))
            .await
            .unwrap()
    );
    // The school's blog has no class audience.
    let school_blog = db.read(|c| Ok(blogs::school(c).unwrap())).await.unwrap();
    let class_only = settings("class", true);
    assert!(matches!(
        as_(&s, OFFICE, move |tx, p| blogs::update(
            tx,
            p,
            school_blog,
            &class_only
        ))
        .await,
        Err(BlogError::BadAudience)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comments_from_parents_wait_on_a_moderated_blog() {
    let s = school().await;
    let blog = class_blog(&s, s.a).await;
    let (post, _) = as_(&s, TEACHER_A, move |tx, p| {
        posts::create(tx, p, blog, &draft("Le musée"), Intent::Submit)
    })
    .await
    .unwrap();
    let (comment, waiting) = as_(&s, PARENT_TWO, move |tx, p| {
        comments::add(tx, p, post, "Merci pour les photos !")
    })
    .await
    .unwrap();
    assert!(waiting);
    let count = |name| {
        let s = &s;
        async move {
            as_(s, name, move |tx, p| Ok(comments::list(tx, p, post)?.len()))
                .await
                .unwrap()
        }
    };
    assert_eq!(count(PARENT_TWO).await, 1, "its author sees it waiting");
    assert_eq!(count(PUPIL_A).await, 0);
    assert_eq!(count(TEACHER_A).await, 1);
    assert!(
        as_(&s, PUPIL_A, move |tx, p| comments::approve(tx, p, comment))
            .await
            .is_err()
    );
    assert!(
        as_(&s, PARENT_OTHER, move |tx, p| comments::add(
            tx,
            p,
            post,
            "Moi aussi"
        ))
        .await
        .is_err()
    );
    as_(&s, TEACHER_A, move |tx, p| {
        comments::approve(tx, p, comment)
    })
    .await
    .unwrap();
    assert_eq!(count(PUPIL_A).await, 1);
    // The teacher's own comment needs nobody.
    let (_, waiting) = as_(&s, TEACHER_A, move |tx, p| {
        comments::add(tx, p, post, "Avec plaisir.")
    })
    .await
    .unwrap();
    assert!(!waiting);
    let audit = s
        .count("SELECT count(*) FROM audit_log WHERE target LIKE 'blog comment %'")
        .await;
    assert_eq!(audit, 1);
}
